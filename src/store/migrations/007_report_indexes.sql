-- 007: indexes for the quarterly report (docs/benchmarks.md).
-- The workflow events by time.  The report needs the status of every
-- household and application at the end of a period.  Those with no
-- event after the end are in that status still (their last event is the
-- last one at or before the end; `bangfu check` proves that the last event
-- matches the status), so only the few with a later event need the per-row
-- lookup; these indexes find them.  Appends in time order: cheap to keep.  (IF [NOT] EXISTS: the migration may run again on
-- a database taken back to an earlier version, as tests/api/campaigns-cover does.)
CREATE INDEX IF NOT EXISTS household_events_at ON household_events (at);
CREATE INDEX IF NOT EXISTS application_events_at ON application_events (at);
-- Covering indexes for the report's big reads, each replacing a narrower one
-- where it can: the households by unit with every column the report counts;
-- an archive's applications with their filing time and status (condolence
-- coverage without reading the rows); the ledger by account and time with
-- the amounts (the funds flows without reading or sorting the rows).
DROP INDEX IF EXISTS households_org_status;
CREATE INDEX IF NOT EXISTS households_report ON households (org_id, status, created_at, category,
	suggested_category, entered_on, exited_on, next_review_date, causes);
DROP INDEX IF EXISTS applications_household;
CREATE INDEX IF NOT EXISTS applications_household ON applications (household_id, program_code, year, created_at, status);
CREATE INDEX IF NOT EXISTS ledger_account_at ON ledger (account_id, at, amount_fen, transfer_id);
