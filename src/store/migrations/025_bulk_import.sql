-- 025: the census import's writing (issue 18 item 5, docs/benchmarks.md
-- "The CSV import").  SQLite only; the tables keep their columns' meaning
-- and every query its answer.
--   name_grams, archive_people  WITHOUT ROWID: the rows live in their
--       primary key's b-tree, not in a rowid table beside it, so a gram or
--       a person is one b-tree entry fewer to write.  archive_people's key
--       is (household_id, id_number), which also serves what the index
--       archive_people_household served; its `id` is gone (nothing read
--       it but the purge, which now numbers a member's erased ID by the
--       member's id, services/purge.c).  One person stands once in an
--       archive already (RULE archive.precise: the open-archive index).
--   hh_counts_insert, review_counts_insert  the same counts without an
--       upsert: SQLite codes an upsert's DO UPDATE to abort the statement
--       on a conflict, which makes every INSERT of a household keep a
--       statement journal of the ~25 pages it touches; with an UPDATE and
--       an INSERT ... WHERE NOT EXISTS, the import's INSERT OR FAIL of a
--       household needs none (services/import_fast.c).
-- PostgreSQL keeps its tables (a heap and its indexes either way) and its
-- trigger functions.
-- @sqlite
CREATE TABLE name_grams_025 (
	gram TEXT NOT NULL,
	household_id BIGINT NOT NULL REFERENCES households(id),
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	PRIMARY KEY (gram, household_id)
) WITHOUT ROWID;
INSERT INTO name_grams_025 (gram, household_id, org_id) SELECT gram, household_id, org_id FROM name_grams;
DROP TABLE name_grams;
ALTER TABLE name_grams_025 RENAME TO name_grams;
CREATE INDEX name_grams_household ON name_grams (household_id);
CREATE INDEX name_grams_unit ON name_grams (gram, org_id);

CREATE TABLE archive_people_025 (
	id_number TEXT NOT NULL,
	household_id BIGINT NOT NULL REFERENCES households(id),
	is_open BIGINT NOT NULL DEFAULT 1 CHECK (is_open IN (0, 1)),
	PRIMARY KEY (household_id, id_number)
) WITHOUT ROWID;
INSERT INTO archive_people_025 (id_number, household_id, is_open)
SELECT id_number, household_id, is_open FROM archive_people;
DROP TABLE archive_people;
ALTER TABLE archive_people_025 RENAME TO archive_people;
CREATE UNIQUE INDEX archive_people_open ON archive_people (id_number) WHERE is_open = 1;

DROP TRIGGER hh_counts_insert;
CREATE TRIGGER hh_counts_insert AFTER INSERT ON households BEGIN
	UPDATE hh_counts SET n = n + 1
	WHERE org_id = NEW.org_id AND status = NEW.status AND category = COALESCE(NEW.category, '');
	INSERT INTO hh_counts (org_id, status, category, n)
	SELECT NEW.org_id, NEW.status, COALESCE(NEW.category, ''), 1
	WHERE NOT EXISTS (SELECT 1 FROM hh_counts
	  WHERE org_id = NEW.org_id AND status = NEW.status AND category = COALESCE(NEW.category, ''));
END;
DROP TRIGGER review_counts_insert;
CREATE TRIGGER review_counts_insert AFTER INSERT ON households
WHEN NEW.status = 'active' AND NEW.next_review_date IS NOT NULL
BEGIN
	UPDATE review_counts SET n = n + 1 WHERE org_id = NEW.org_id AND due = NEW.next_review_date;
	INSERT INTO review_counts (org_id, due, n)
	SELECT NEW.org_id, NEW.next_review_date, 1
	WHERE NOT EXISTS (SELECT 1 FROM review_counts WHERE org_id = NEW.org_id AND due = NEW.next_review_date);
END;
-- @end
