-- 012: the statutory calendar (国务院办公厅 holiday notices) ships with bangfu
-- (src/store/calendar/cn-statutory.csv, embedded) and is loaded by init and
-- migrate (services/calendar.c); until now the table held the admin's
-- overrides alone and every deadline counted Monday to Friday.
--
-- calendar: one row per day that is not what Monday–Friday says, or that a
-- notice names.  source = 'statutory' (from a notice) or 'override' (an
-- admin's PUT /calendar/{date} or calendar import; the rows before this
-- migration were all an admin's).  Under an override the notice's own
-- value is kept in statutory_workday / statutory_note, so that removing the
-- override brings it back.
ALTER TABLE calendar ADD COLUMN source TEXT NOT NULL DEFAULT 'override'
	CHECK (source IN ('statutory', 'override'));
ALTER TABLE calendar ADD COLUMN statutory_workday BIGINT;
ALTER TABLE calendar ADD COLUMN statutory_note TEXT;

-- calendar_years: the years whose holidays are known, with the notice
-- (name and number) they come from.  source = 'statutory' when bangfu
-- shipped the year, 'override' when an admin's calendar import declared it
-- (a "year,YYYY,notice" row).  A deadline in a year not listed here is
-- provisional (counted Monday to Friday plus the overrides), and from
-- 1 December a missing next year is reported (dashboard, bangfu check).
CREATE TABLE calendar_years (
	year BIGINT PRIMARY KEY,
	notice TEXT NOT NULL,
	source TEXT NOT NULL CHECK (source IN ('statutory', 'override')),
	loaded_at TEXT NOT NULL
);
