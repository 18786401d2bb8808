-- 035: the watched exits due for a visit read in date order (RULE
-- watch.review_due, watch.end).  The reviews-due list merges the active
-- archives (read in date order from households_review) with the watched
-- exits, which were read from households_watch by the end of their watch:
-- every exit still under watch, a year of exits (1,693 at a million
-- archives, ten times that at ten million), to keep the first page by
-- date.  An exit whose visit is pending is now in this partial index by
-- that date: once the maintenance task clears the visit of a watch that
-- has ended (RULE watch.end, services/watch.c), the rows with a date are
-- the exits under watch, and a page reads its own rows in order.  The
-- task finds the ended watches here too.
-- @sqlite
CREATE INDEX households_watch_due ON households (next_review_date, id, monitor_until, org_id)
	WHERE status = 'exited' AND next_review_date IS NOT NULL;
-- @pg
CREATE INDEX households_watch_due ON households (next_review_date, id) INCLUDE (monitor_until, org_id)
	WHERE status = 'exited' AND next_review_date IS NOT NULL;
-- @end
