-- 007: the workflow events by time.  The quarterly report needs the status
-- of every household and application at the end of a period.  Those with no
-- event after the end are in that status still (their last event is the
-- last one at or before the end; `bangfu check` proves that the last event
-- matches the status), so only the few with a later event need the per-row
-- lookup; these indexes find them (docs/benchmarks.md).  Appends in time
-- order: cheap to keep.
CREATE INDEX household_events_at ON household_events (at);
CREATE INDEX application_events_at ON application_events (at);
