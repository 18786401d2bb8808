-- 010: the name search by index (RULE list.q, API.md "Lists at scale").
-- Chinese names are 2-4 characters, so a trigram index misses the most
-- common searches (a 2-character given name, a surname).  Each archive's
-- name is kept here as its character pairs plus '^' and its first
-- character: "王建国" -> ^王, 王建, 建国.  A search of one character reads
-- the prefix gram; of two or more, the rows of its first pair, each
-- checked for the other pairs and, past two characters, for the whole
-- text.  The same SQL on both engines (substr and length count characters
-- on both); kept in the transaction of every write of a name
-- (name_grams_sql in src/services/households.c, the same statement for
-- one archive, an import's new archives and this first fill) and proved
-- by `bangfu check`.
-- The archive's unit rides along, so that a count in a subtree reads this
-- table alone (the index by gram and unit) instead of every archive.
CREATE TABLE name_grams (
	gram TEXT NOT NULL,
	household_id BIGINT NOT NULL REFERENCES households(id),
	org_id BIGINT NOT NULL REFERENCES orgs(id),
	PRIMARY KEY (gram, household_id)
);
CREATE INDEX name_grams_household ON name_grams (household_id);
CREATE INDEX name_grams_unit ON name_grams (gram, org_id);
INSERT INTO name_grams (gram, household_id, org_id)
SELECT DISTINCT CASE WHEN k.i = 0 THEN '^' || substr(h.name, 1, 1) ELSE substr(h.name, k.i, 2) END, h.id, h.org_id
FROM households h
JOIN (WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 49) SELECT i FROM n) k
  ON k.i < length(h.name) AND (k.i = 0 OR k.i + 1 <= length(h.name));
