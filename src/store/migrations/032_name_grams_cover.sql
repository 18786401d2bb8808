-- 032: PostgreSQL reads a name search from the grams' key alone (RULE
-- list.q).  On SQLite name_grams is a WITHOUT ROWID table: its rows are
-- its key, in key order, so a search reads one gram's rows side by side,
-- name and unit with them.  A PostgreSQL table is a heap: a gram's rows lie
-- scattered over it, and its key index (gram, household_id) held neither
-- the unit nor the name, so a full name's count and page fetched every row
-- of its first pair from the heap (502 pages for 567 rows at 100,000
-- archives: 2.3 and 4.3 ms).  The key now carries both (INCLUDE), and those
-- reads are index-only (0.3 and 1.0 ms).  The key's constraint is found by
-- its kind, whatever name the table's rebuilds (025) gave it.
-- @pg
DO $$
DECLARE k TEXT;
BEGIN
	SELECT conname INTO k FROM pg_constraint WHERE conrelid = 'name_grams'::regclass AND contype = 'p';
	EXECUTE format('ALTER TABLE name_grams DROP CONSTRAINT %I, ADD PRIMARY KEY (gram, household_id) INCLUDE (org_id, name)', k);
END $$;
-- @end
