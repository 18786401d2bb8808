-- 031: the total of the reviews due from kept rows of the scope's own unit
-- (RULE counts.review).  GET /households?review_due=true counts the active
-- archives whose review is due and the exits under watch whose visit is due
-- (RULE watch.review_due).  Until now that total summed review_counts (023)
-- over every unit of the scope and every day already due (3,300 rows for the
-- city at a million archives) and counted the watched exits from their index
-- (a year of exits: 21,000 entries), 3 ms of every page, growing with the
-- units, the days and the archives.
--
-- org_tree: every unit with itself and each unit above it (orgs never move:
-- a path is set once, when the unit is made).
--
-- review_tally: per unit and every unit above it, three kinds of rows:
--   'a'  active archives by next review date;
--   'u'  watched exits by the end of their watch (monitor_until), and
--   'n'  the same exits by their next visit date,
-- where a watched exit is one whose next visit falls within its watch
-- (next_review_date <= monitor_until: watch.c never sets it later; one that
-- did could never be due while watched).  For today T the exits due are
--   #{until >= T} - #{next > T}
-- (next > T implies until >= next > T), both ranges of at most a watch's
-- length ahead; so the whole total is three range sums over the scope's own
-- unit: a few hundred rows for the city, whatever the size of the country.
-- Kept by triggers in the transaction of every change; `bangfu check`
-- compares both tables with the paths and with the view review_tally_fresh
-- and names any drift.
CREATE TABLE org_tree (
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	anc_id BIGINT NOT NULL REFERENCES orgs(id),
	PRIMARY KEY (org_id, anc_id)
);
INSERT INTO org_tree (org_id, anc_id)
SELECT o.id, a.id FROM orgs o JOIN orgs a ON a.path <> '' AND substr(o.path, 1, length(a.path)) = a.path;

CREATE TABLE review_tally (
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	kind TEXT NOT NULL CHECK (kind IN ('a', 'u', 'n')),
	day TEXT NOT NULL,
	n BIGINT NOT NULL,
	PRIMARY KEY (org_id, kind, day)
-- @sqlite
) WITHOUT ROWID;
-- @pg
);
-- @end
-- The rows as counted afresh: by unit first, then summed into the units above.
CREATE VIEW review_tally_fresh AS
SELECT t.anc_id AS org_id, g.kind, g.day, SUM(g.n) AS n FROM (
	SELECT org_id, 'a' AS kind, next_review_date AS day, COUNT(*) AS n FROM households
	WHERE status = 'active' AND next_review_date IS NOT NULL GROUP BY org_id, next_review_date
	UNION ALL
	SELECT org_id, 'u', monitor_until, COUNT(*) FROM households
	WHERE status = 'exited' AND next_review_date <= monitor_until GROUP BY org_id, monitor_until
	UNION ALL
	SELECT org_id, 'n', next_review_date, COUNT(*) FROM households
	WHERE status = 'exited' AND next_review_date <= monitor_until GROUP BY org_id, next_review_date) g
JOIN org_tree t ON t.org_id = g.org_id
GROUP BY t.anc_id, g.kind, g.day;
INSERT INTO review_tally (org_id, kind, day, n) SELECT org_id, kind, day, n FROM review_tally_fresh;

-- @sqlite
CREATE TRIGGER org_tree_path AFTER UPDATE OF path ON orgs WHEN OLD.path <> NEW.path BEGIN
	DELETE FROM org_tree WHERE org_id = NEW.id;
	INSERT INTO org_tree (org_id, anc_id)
	SELECT NEW.id, a.id FROM orgs a WHERE a.path <> '' AND substr(NEW.path, 1, length(a.path)) = a.path;
END;
CREATE TRIGGER org_tree_insert AFTER INSERT ON orgs WHEN NEW.path <> '' BEGIN
	INSERT INTO org_tree (org_id, anc_id)
	SELECT NEW.id, a.id FROM orgs a WHERE a.path <> '' AND substr(NEW.path, 1, length(a.path)) = a.path;
END;
-- The rows one archive counts in, read from the archive itself: a change
-- takes them away before it (the old values still in the table) and adds
-- them after it.
CREATE VIEW review_tally_of AS
SELECT h.id AS household_id, t.anc_id AS org_id, k.kind,
       CASE k.kind WHEN 'u' THEN h.monitor_until ELSE h.next_review_date END AS day
FROM households h JOIN org_tree t ON t.org_id = h.org_id
JOIN (SELECT 'a' AS kind UNION ALL SELECT 'u' UNION ALL SELECT 'n') k
  ON CASE k.kind WHEN 'a' THEN h.status = 'active' AND h.next_review_date IS NOT NULL
     ELSE h.status = 'exited' AND h.next_review_date <= h.monitor_until END;
-- A row moved by d: the triggers below insert their moves into this view, and
-- its one trigger adds each by the whole key (without an upsert, as 025's
-- insert triggers, so that a bulk import's INSERT needs no statement
-- journal; and not by one row-value IN over the kinds, which SQLite searched
-- by the unit alone: 0.8 ms an update at a million archives).
CREATE VIEW review_tally_move AS SELECT org_id, kind, day, n AS d FROM review_tally;
CREATE TRIGGER review_tally_move INSTEAD OF INSERT ON review_tally_move BEGIN
	UPDATE review_tally SET n = n + NEW.d WHERE org_id = NEW.org_id AND kind = NEW.kind AND day = NEW.day;
	INSERT INTO review_tally (org_id, kind, day, n) SELECT NEW.org_id, NEW.kind, NEW.day, NEW.d
	WHERE NOT EXISTS (SELECT 1 FROM review_tally WHERE org_id = NEW.org_id AND kind = NEW.kind AND day = NEW.day);
END;
CREATE TRIGGER review_tally_insert AFTER INSERT ON households
WHEN NEW.next_review_date IS NOT NULL AND NEW.status IN ('active', 'exited') BEGIN
	INSERT INTO review_tally_move SELECT org_id, kind, day, 1 FROM review_tally_of WHERE household_id = NEW.id;
END;
CREATE TRIGGER review_tally_delete BEFORE DELETE ON households
WHEN OLD.next_review_date IS NOT NULL AND OLD.status IN ('active', 'exited') BEGIN
	INSERT INTO review_tally_move SELECT org_id, kind, day, -1 FROM review_tally_of WHERE household_id = OLD.id;
END;
CREATE TRIGGER review_tally_update_old BEFORE UPDATE OF org_id, status, next_review_date, monitor_until ON households
WHEN OLD.next_review_date IS NOT NULL AND OLD.status IN ('active', 'exited') BEGIN
	INSERT INTO review_tally_move SELECT org_id, kind, day, -1 FROM review_tally_of WHERE household_id = OLD.id;
END;
CREATE TRIGGER review_tally_update_new AFTER UPDATE OF org_id, status, next_review_date, monitor_until ON households
WHEN NEW.next_review_date IS NOT NULL AND NEW.status IN ('active', 'exited') BEGIN
	INSERT INTO review_tally_move SELECT org_id, kind, day, 1 FROM review_tally_of WHERE household_id = NEW.id;
END;
-- @pg
CREATE FUNCTION org_tree_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM org_tree WHERE org_id = NEW.id;
	INSERT INTO org_tree (org_id, anc_id)
	SELECT NEW.id, a.id FROM orgs a WHERE a.path <> '' AND substr(NEW.path, 1, length(a.path)) = a.path;
	RETURN NULL;
END $$;
CREATE TRIGGER org_tree_insert AFTER INSERT ON orgs FOR EACH ROW WHEN (NEW.path <> '')
	EXECUTE FUNCTION org_tree_fill();
CREATE TRIGGER org_tree_path AFTER UPDATE OF path ON orgs FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path)
	EXECUTE FUNCTION org_tree_fill();
-- One statement: the old rows less one, the new rows one more, netted and
-- locked in key order (as hh_counts_move), so two moves cannot deadlock.
-- OLD is null on INSERT and NEW on DELETE (PostgreSQL 11 and later).
CREATE FUNCTION review_tally_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO review_tally (org_id, kind, day, n)
	SELECT t.anc_id, k.kind, k.day, SUM(k.d) FROM (
		SELECT OLD.org_id AS org_id, 'a' AS kind, OLD.next_review_date AS day, -1 AS d
		WHERE OLD.status = 'active' AND OLD.next_review_date IS NOT NULL
		UNION ALL SELECT OLD.org_id, 'u', OLD.monitor_until, -1
		WHERE OLD.status = 'exited' AND OLD.next_review_date <= OLD.monitor_until
		UNION ALL SELECT OLD.org_id, 'n', OLD.next_review_date, -1
		WHERE OLD.status = 'exited' AND OLD.next_review_date <= OLD.monitor_until
		UNION ALL SELECT NEW.org_id, 'a', NEW.next_review_date, 1
		WHERE NEW.status = 'active' AND NEW.next_review_date IS NOT NULL
		UNION ALL SELECT NEW.org_id, 'u', NEW.monitor_until, 1
		WHERE NEW.status = 'exited' AND NEW.next_review_date <= NEW.monitor_until
		UNION ALL SELECT NEW.org_id, 'n', NEW.next_review_date, 1
		WHERE NEW.status = 'exited' AND NEW.next_review_date <= NEW.monitor_until) k
	JOIN org_tree t ON t.org_id = k.org_id
	GROUP BY t.anc_id, k.kind, k.day HAVING SUM(k.d) <> 0 ORDER BY 1, 2, 3
	ON CONFLICT (org_id, kind, day) DO UPDATE SET n = review_tally.n + EXCLUDED.n;
	RETURN NULL;
END $$;
CREATE TRIGGER review_tally_insert AFTER INSERT ON households FOR EACH ROW
	WHEN (NEW.next_review_date IS NOT NULL AND NEW.status IN ('active', 'exited'))
	EXECUTE FUNCTION review_tally_move();
CREATE TRIGGER review_tally_delete AFTER DELETE ON households FOR EACH ROW
	WHEN (OLD.next_review_date IS NOT NULL AND OLD.status IN ('active', 'exited'))
	EXECUTE FUNCTION review_tally_move();
CREATE TRIGGER review_tally_update AFTER UPDATE OF org_id, status, next_review_date, monitor_until ON households
	FOR EACH ROW WHEN ((OLD.org_id <> NEW.org_id OR OLD.status <> NEW.status
	      OR OLD.next_review_date IS DISTINCT FROM NEW.next_review_date
	      OR OLD.monitor_until IS DISTINCT FROM NEW.monitor_until)
	  AND ((OLD.next_review_date IS NOT NULL AND OLD.status IN ('active', 'exited'))
	    OR (NEW.next_review_date IS NOT NULL AND NEW.status IN ('active', 'exited'))))
	EXECUTE FUNCTION review_tally_move();
-- @end
