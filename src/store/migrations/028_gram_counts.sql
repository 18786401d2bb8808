-- 028: name searches counted from kept rows (RULE counts.grams).  A search
-- of one or two characters (a surname, a given name) counted every archive
-- of its gram in the scope: 66,779 for 王 at a million archives, 2.3 ms of
-- every page, whatever the page's size.  The archives of each gram and
-- unit are now kept here by triggers in the transaction of every write of
-- a name (create, rename, both import ways, purge), and the total sums the
-- rows of the scope's units.  name_grams_unit (gram, org_id) served only
-- that count: it goes, so a new name still writes one row per gram, into
-- this small table (about 32,000 rows at a million archives) instead of a
-- three-million-entry index.  `bangfu check` counts again and names any
-- drift.  On PostgreSQL a name's grams are written in their sorted order
-- (services/hh_search.c), so two writers lock the rows they share in one
-- order.
-- @sqlite
CREATE TABLE gram_counts (
	gram TEXT NOT NULL,
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	n BIGINT NOT NULL,
	PRIMARY KEY (gram, org_id)
) WITHOUT ROWID;
-- @pg
CREATE TABLE gram_counts (
	gram TEXT NOT NULL,
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	n BIGINT NOT NULL,
	PRIMARY KEY (gram, org_id)
);
-- @end
INSERT INTO gram_counts (gram, org_id, n)
SELECT gram, org_id, COUNT(*) FROM name_grams GROUP BY gram, org_id;
DROP INDEX name_grams_unit;

-- @sqlite
-- Without an upsert (as 025): an INSERT's DO UPDATE makes the statement
-- keep a journal of the pages it touches.
CREATE TRIGGER gram_counts_insert AFTER INSERT ON name_grams BEGIN
	UPDATE gram_counts SET n = n + 1 WHERE gram = NEW.gram AND org_id = NEW.org_id;
	INSERT INTO gram_counts (gram, org_id, n) SELECT NEW.gram, NEW.org_id, 1
	WHERE NOT EXISTS (SELECT 1 FROM gram_counts WHERE gram = NEW.gram AND org_id = NEW.org_id);
END;
CREATE TRIGGER gram_counts_delete AFTER DELETE ON name_grams BEGIN
	UPDATE gram_counts SET n = n - 1 WHERE gram = OLD.gram AND org_id = OLD.org_id;
END;
CREATE TRIGGER gram_counts_update AFTER UPDATE OF gram, org_id ON name_grams
WHEN OLD.gram <> NEW.gram OR OLD.org_id <> NEW.org_id
BEGIN
	UPDATE gram_counts SET n = n - 1 WHERE gram = OLD.gram AND org_id = OLD.org_id;
	UPDATE gram_counts SET n = n + 1 WHERE gram = NEW.gram AND org_id = NEW.org_id;
	INSERT INTO gram_counts (gram, org_id, n) SELECT NEW.gram, NEW.org_id, 1
	WHERE NOT EXISTS (SELECT 1 FROM gram_counts WHERE gram = NEW.gram AND org_id = NEW.org_id);
END;
-- @pg
CREATE FUNCTION gram_counts_add(g TEXT, o BIGINT, d BIGINT) RETURNS void LANGUAGE sql AS $$
	INSERT INTO gram_counts (gram, org_id, n) VALUES (g, o, d)
	ON CONFLICT (gram, org_id) DO UPDATE SET n = gram_counts.n + d;
$$;
-- The two rows a move touches are locked in key order (as hh_counts_move).
CREATE FUNCTION gram_counts_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM gram_counts_add(NEW.gram, NEW.org_id, 1);
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM gram_counts_add(OLD.gram, OLD.org_id, -1);
	ELSIF (OLD.gram, OLD.org_id) < (NEW.gram, NEW.org_id) THEN
		PERFORM gram_counts_add(OLD.gram, OLD.org_id, -1);
		PERFORM gram_counts_add(NEW.gram, NEW.org_id, 1);
	ELSE
		PERFORM gram_counts_add(NEW.gram, NEW.org_id, 1);
		PERFORM gram_counts_add(OLD.gram, OLD.org_id, -1);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER gram_counts_row AFTER INSERT OR DELETE ON name_grams
	FOR EACH ROW EXECUTE FUNCTION gram_counts_move();
CREATE TRIGGER gram_counts_update AFTER UPDATE OF gram, org_id ON name_grams FOR EACH ROW
	WHEN (OLD.gram <> NEW.gram OR OLD.org_id <> NEW.org_id)
	EXECUTE FUNCTION gram_counts_move();
-- @end
