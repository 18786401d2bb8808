-- 033: PostgreSQL reads the watched exits due from their index alone (RULE
-- watch.review_due).  The page of GET /households?review_due=true takes
-- its exited arm from households_watch (status, monitor_until,
-- next_review_date, org_id): a year of exits, each checked for its visit
-- date and unit, the first ones by date kept.  On SQLite every index
-- entry carries the row's id; on PostgreSQL it did not, so each of them
-- was fetched from the table for its id (1,693 heap fetches at a million
-- archives: 4.1 ms; ten times that at ten million).  With the id in the
-- index (INCLUDE), the arm is index-only (1.5 ms).
-- @pg
DROP INDEX households_watch;
CREATE INDEX households_watch ON households (status, monitor_until, next_review_date, org_id) INCLUDE (id);
-- @end
