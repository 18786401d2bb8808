-- 034: a full name counted from kept rows (RULE list.q, counts.grams).  A
-- search of three characters, most often a whole name, counted the rows of
-- its first pair whose name holds the text: 王秀兰 at a million archives
-- read the 5,579 rows of 王秀 for every page's total, each checked for the
-- name and for the scope's units, about 2 ms a page, and ten times that at
-- ten million.  Each name now has a gram for every run of three
-- characters too (one for a three-character name, two for four), kept
-- with the others (services/hh_search.c, the import, the benchmarks'
-- generators) and counted per unit by 028's triggers, so such a total is
-- the kept rows of the scope's units, whatever the size of the country;
-- a longer search reads the rows of its first three characters.  A name
-- holds a run of three characters exactly when it holds the text, so the
-- answers do not change.  `bangfu check` proves these grams with the rest.
-- @sqlite
INSERT INTO name_grams (gram, household_id, org_id, name)
SELECT DISTINCT substr(h.name, k.i, 3), h.id, h.org_id, h.name FROM households h
JOIN (WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 48) SELECT i FROM n) k
  ON k.i + 2 <= length(h.name);
-- @pg
INSERT INTO name_grams (gram, household_id, org_id, name)
SELECT DISTINCT substr(h.name, k.i, 3), h.id, h.org_id, h.name FROM households h
JOIN generate_series(1, 48) k (i) ON k.i + 2 <= length(h.name);
-- @end
