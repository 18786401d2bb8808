-- 029: archive-number searches counted from kept rows (RULE counts.archive).
-- A search by an archive-number prefix of up to ten digits (a region, a
-- district, a district's year) counted every archive it matched: 17,651
-- for one district's year at a million archives, 2.9 ms of every page.  The
-- archives of each unit are now kept here by the first ten characters of
-- their number (region and year), by triggers in the transaction of every
-- change of a number or a unit (enter, import, reopen, purge), and such a
-- total sums the rows of the scope's units whose key starts with the
-- prefix.  A longer prefix still counts its archives (a tenth of a
-- district's year at most).  `bangfu check` counts again and names any
-- drift.
-- @sqlite
CREATE TABLE archive_counts (
	prefix TEXT NOT NULL,
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	n BIGINT NOT NULL,
	PRIMARY KEY (prefix, org_id)
) WITHOUT ROWID;
-- @pg
CREATE TABLE archive_counts (
	prefix TEXT NOT NULL,
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	n BIGINT NOT NULL,
	PRIMARY KEY (prefix, org_id)
);
-- @end
INSERT INTO archive_counts (prefix, org_id, n)
SELECT substr(archive_no, 1, 10), org_id, COUNT(*) FROM households
WHERE archive_no IS NOT NULL GROUP BY substr(archive_no, 1, 10), org_id;

-- @sqlite
CREATE TRIGGER archive_counts_insert AFTER INSERT ON households WHEN NEW.archive_no IS NOT NULL BEGIN
	UPDATE archive_counts SET n = n + 1 WHERE prefix = substr(NEW.archive_no, 1, 10) AND org_id = NEW.org_id;
	INSERT INTO archive_counts (prefix, org_id, n) SELECT substr(NEW.archive_no, 1, 10), NEW.org_id, 1
	WHERE NOT EXISTS (SELECT 1 FROM archive_counts WHERE prefix = substr(NEW.archive_no, 1, 10) AND org_id = NEW.org_id);
END;
CREATE TRIGGER archive_counts_delete AFTER DELETE ON households WHEN OLD.archive_no IS NOT NULL BEGIN
	UPDATE archive_counts SET n = n - 1 WHERE prefix = substr(OLD.archive_no, 1, 10) AND org_id = OLD.org_id;
END;
CREATE TRIGGER archive_counts_update AFTER UPDATE OF archive_no, org_id ON households
WHEN COALESCE(OLD.archive_no, '') <> COALESCE(NEW.archive_no, '') OR OLD.org_id <> NEW.org_id
BEGIN
	UPDATE archive_counts SET n = n - 1
	WHERE OLD.archive_no IS NOT NULL AND prefix = substr(OLD.archive_no, 1, 10) AND org_id = OLD.org_id;
	UPDATE archive_counts SET n = n + 1
	WHERE NEW.archive_no IS NOT NULL AND prefix = substr(NEW.archive_no, 1, 10) AND org_id = NEW.org_id;
	INSERT INTO archive_counts (prefix, org_id, n) SELECT substr(NEW.archive_no, 1, 10), NEW.org_id, 1
	WHERE NEW.archive_no IS NOT NULL AND NOT EXISTS (SELECT 1 FROM archive_counts
	  WHERE prefix = substr(NEW.archive_no, 1, 10) AND org_id = NEW.org_id);
END;
-- @pg
CREATE FUNCTION archive_counts_add(p TEXT, o BIGINT, d BIGINT) RETURNS void LANGUAGE sql AS $$
	INSERT INTO archive_counts (prefix, org_id, n) VALUES (substr(p, 1, 10), o, d)
	ON CONFLICT (prefix, org_id) DO UPDATE SET n = archive_counts.n + d;
$$;
-- The two rows a move touches are locked in key order (as hh_counts_move).
CREATE FUNCTION archive_counts_move() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	was BOOLEAN := false;
	now_ BOOLEAN := false;
BEGIN
	IF TG_OP <> 'INSERT' THEN
		was := OLD.archive_no IS NOT NULL;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		now_ := NEW.archive_no IS NOT NULL;
	END IF;
	IF was AND (NOT now_ OR (substr(OLD.archive_no, 1, 10), OLD.org_id) < (substr(NEW.archive_no, 1, 10), NEW.org_id)) THEN
		PERFORM archive_counts_add(OLD.archive_no, OLD.org_id, -1);
		was := false;
	END IF;
	IF now_ THEN
		PERFORM archive_counts_add(NEW.archive_no, NEW.org_id, 1);
	END IF;
	IF was THEN
		PERFORM archive_counts_add(OLD.archive_no, OLD.org_id, -1);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER archive_counts_row AFTER INSERT OR DELETE ON households
	FOR EACH ROW EXECUTE FUNCTION archive_counts_move();
CREATE TRIGGER archive_counts_update AFTER UPDATE OF archive_no, org_id ON households FOR EACH ROW
	WHEN (OLD.archive_no IS DISTINCT FROM NEW.archive_no OR OLD.org_id <> NEW.org_id)
	EXECUTE FUNCTION archive_counts_move();
-- @end
