-- 023: active archives per unit and review date (RULE counts.review), kept
-- by triggers in the transaction of every change, as hh_counts (011).  The
-- total of GET /households?review_due=true counted every active archive of
-- the scope whose review was due (9,000 of 61,000 at 100,000 archives, ten
-- times that at a million); it now sums the kept rows of the units and the
-- days already due, which grow with the units and the days overdue, not
-- with the archives.  `bangfu check` counts again and names any drift.
CREATE TABLE review_counts (
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	due TEXT NOT NULL,
	n BIGINT NOT NULL,
	PRIMARY KEY (org_id, due)
);
INSERT INTO review_counts (org_id, due, n)
SELECT org_id, next_review_date, COUNT(*) FROM households
WHERE status = 'active' AND next_review_date IS NOT NULL
GROUP BY org_id, next_review_date;

-- @sqlite
CREATE TRIGGER review_counts_insert AFTER INSERT ON households
WHEN NEW.status = 'active' AND NEW.next_review_date IS NOT NULL
BEGIN
	INSERT INTO review_counts (org_id, due, n) VALUES (NEW.org_id, NEW.next_review_date, 1)
	ON CONFLICT (org_id, due) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER review_counts_delete AFTER DELETE ON households
WHEN OLD.status = 'active' AND OLD.next_review_date IS NOT NULL
BEGIN
	UPDATE review_counts SET n = n - 1 WHERE org_id = OLD.org_id AND due = OLD.next_review_date;
END;
CREATE TRIGGER review_counts_update AFTER UPDATE OF org_id, status, next_review_date ON households
WHEN OLD.org_id <> NEW.org_id OR OLD.status <> NEW.status
  OR COALESCE(OLD.next_review_date, '') <> COALESCE(NEW.next_review_date, '')
BEGIN
	UPDATE review_counts SET n = n - 1
	WHERE OLD.status = 'active' AND OLD.next_review_date IS NOT NULL
	  AND org_id = OLD.org_id AND due = OLD.next_review_date;
	INSERT INTO review_counts (org_id, due, n)
	SELECT NEW.org_id, NEW.next_review_date, 1 WHERE NEW.status = 'active' AND NEW.next_review_date IS NOT NULL
	ON CONFLICT (org_id, due) DO UPDATE SET n = n + 1;
END;
-- @pg
CREATE FUNCTION review_counts_add(o BIGINT, d TEXT, k BIGINT) RETURNS void LANGUAGE sql AS $$
	INSERT INTO review_counts (org_id, due, n) VALUES (o, d, k)
	ON CONFLICT (org_id, due) DO UPDATE SET n = review_counts.n + k;
$$;
-- The two rows a move touches are locked in key order (as hh_counts_move).
CREATE FUNCTION review_counts_move() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	was BOOLEAN := false;
	now_ BOOLEAN := false;
BEGIN
	IF TG_OP <> 'INSERT' THEN
		was := OLD.status = 'active' AND OLD.next_review_date IS NOT NULL;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		now_ := NEW.status = 'active' AND NEW.next_review_date IS NOT NULL;
	END IF;
	IF was AND (NOT now_ OR (OLD.org_id, OLD.next_review_date) < (NEW.org_id, NEW.next_review_date)) THEN
		PERFORM review_counts_add(OLD.org_id, OLD.next_review_date, -1);
		was := false;
	END IF;
	IF now_ THEN
		PERFORM review_counts_add(NEW.org_id, NEW.next_review_date, 1);
	END IF;
	IF was THEN
		PERFORM review_counts_add(OLD.org_id, OLD.next_review_date, -1);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER review_counts_row AFTER INSERT OR DELETE ON households
	FOR EACH ROW EXECUTE FUNCTION review_counts_move();
CREATE TRIGGER review_counts_update AFTER UPDATE OF org_id, status, next_review_date ON households FOR EACH ROW
	WHEN (OLD.org_id <> NEW.org_id OR OLD.status <> NEW.status
	      OR OLD.next_review_date IS DISTINCT FROM NEW.next_review_date)
	EXECUTE FUNCTION review_counts_move();
-- @end
