-- 027: the reviews due, read in their order and counted from indexes alone
-- (RULE watch.review_due).  GET /households?review_due=true merges two
-- arms: the active archives due, and the exits under watch whose visit is
-- due.
-- - households_review gains the id before the unit: a page of the active
--   arm (by review date, then id) is then read in order from the index;
--   with the unit before the id, every page sorted a whole day of reviews
--   (2,850 archives a day at a million).
-- - households_watch replaces households_monitor (status, monitor_until)
--   and starts as it did, so the `monitoring` list and the dashboard read
--   it alike; with the review date and the unit in it, the watched exits
--   due (a year of exits: 21,000 at a million) are counted without reading
--   the table (13 ms a page before, 3 ms now).
DROP INDEX households_review;
CREATE INDEX households_review ON households (status, next_review_date, id, org_id);
DROP INDEX households_monitor;
CREATE INDEX households_watch ON households (status, monitor_until, next_review_date, org_id);
