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
--   households, members  a CHECK of a list of more than two values
--       (status, category, suggested_category; relation, school_stage) is
--       spelled as comparisons joined by OR: SQLite codes `x IN (3+ values)`
--       as a temporary b-tree, built again at every execution of the
--       INSERT, seven per household of the import (a fifth of its CPU).
--       The same rule for every value, NULL included; the stored rows are
--       unchanged (the way of 017).  A later migration that edits these
--       CHECKs by text must look for this spelling.
-- PostgreSQL keeps its tables (a heap and its indexes either way), its
-- CHECKs and its trigger functions.
-- @sqlite
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(replace(replace(sql,
 'CHECK (status IN (''draft'', ''submitted'', ''verified'', ''in_notice'',
		''approved'', ''active'', ''rejected'', ''exited''))',
 'CHECK (status = ''draft'' OR status = ''submitted'' OR status = ''verified'' OR status = ''in_notice''
		OR status = ''approved'' OR status = ''active'' OR status = ''rejected'' OR status = ''exited'')'),
 'CHECK (suggested_category IN (''dibao'', ''marginal'', ''accident'', ''none''))',
 'CHECK (suggested_category = ''dibao'' OR suggested_category = ''marginal'' OR suggested_category = ''accident'' OR suggested_category = ''none'')'),
 'CHECK (category IN (''dibao'', ''marginal'', ''accident'', ''none''))',
 'CHECK (category = ''dibao'' OR category = ''marginal'' OR category = ''accident'' OR category = ''none'')')
WHERE type = 'table' AND name = 'households';
UPDATE sqlite_master SET sql = replace(replace(sql,
 'CHECK (relation IN (''spouse'', ''child'', ''parent'', ''sibling'',
		''grandparent'', ''grandchild'', ''other''))',
 'CHECK (relation = ''spouse'' OR relation = ''child'' OR relation = ''parent'' OR relation = ''sibling''
		OR relation = ''grandparent'' OR relation = ''grandchild'' OR relation = ''other'')'),
 'CHECK (school_stage IN (''none'', ''preschool'',
		''primary'', ''junior'', ''senior'', ''vocational'', ''university''))',
 'CHECK (school_stage = ''none'' OR school_stage = ''preschool''
		OR school_stage = ''primary'' OR school_stage = ''junior'' OR school_stage = ''senior''
		OR school_stage = ''vocational'' OR school_stage = ''university'')')
WHERE type = 'table' AND name = 'members';
PRAGMA writable_schema = RESET;

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
