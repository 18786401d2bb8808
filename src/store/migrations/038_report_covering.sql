-- 038: the quarterly report's two counts of archives read from their
-- indexes alone (RULE report.kept).  Those under watch at the period's end
-- (status 'exited', monitor_until on or after the end, exited_on on or
-- before it) were read through households_watch and households_exited and
-- then fetched from the table, one page each (6,868 at a million archives;
-- at ten million, about 68,000 pages in random order; the report's 28 s
-- there were its fund balances, RULE report.balance).  PostgreSQL's
-- households_watch now carries exited_on too, so the count is index-only;
-- SQLite's entries hold the row's id and map it (0.2 of its report's
-- 0.4 s at a million, left as it is).  The exits re-employed in the
-- period (reemployed_on set, exited_on in the period) were the period's
-- exits fetched from the table to test reemployed_on (4,330 pages at a
-- million); a partial index holds those alone.
-- @pg
DROP INDEX households_watch;
CREATE INDEX households_watch ON households (status, monitor_until, next_review_date, org_id) INCLUDE (id, exited_on);
-- @end
CREATE INDEX households_reemployed ON households (exited_on, org_id) WHERE reemployed_on IS NOT NULL;
