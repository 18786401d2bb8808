-- 009: the applications in the list's order (due_date, then id), so that a
-- page of GET /applications reads its twenty rows from an index instead of
-- sorting every application in scope (5,400,000 at 1,000,000 archives:
-- 14.7 s a page, docs/benchmarks.md); by programme too, the list's other
-- common filter.  With a status filter applications_status_due serves.
CREATE INDEX IF NOT EXISTS applications_due ON applications (due_date, id);
CREATE INDEX IF NOT EXISTS applications_program_due ON applications (program_code, due_date, id);
-- A campaign's figures (GET /campaigns, /campaigns/{id}) from indexes
-- alone: its applications by status with their amounts, and the archives
-- its period covers, by period and archive (RULE campaign.coverage; the
-- unique applications_cover_period leads with the archive, and SQLite
-- reads the row again for the status).  A campaign of 600,000 took 2.2 s,
-- a list of ten 19.9 s (docs/benchmarks.md).
DROP INDEX IF EXISTS applications_campaign;
CREATE INDEX applications_campaign ON applications (campaign_id, status, approved_fen);
CREATE INDEX IF NOT EXISTS applications_covered ON applications (cover_period, household_id, status)
	WHERE cover_period IS NOT NULL;
