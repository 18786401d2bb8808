/* db_stats.c — the SQLite planner's statistics, exact, in short turns.
 *
 * ANALYZE with `analysis_limit` reads only the first N entries of each
 * index and extrapolates: at a million archives, 100,000 entries of
 * households_status (status, org_id) are all 'active', and the planner was
 * told that each status had 50,001 archives (in truth 601,000 active): the
 * city-wide list of active archives then sorted all of them for every page
 * (16 ms of CPU instead of 0.8).  So the statistics are exact, and kept
 * cheap otherwise: a table is analyzed again only when its row count moved
 * by more than a tenth, and each index in its own write transaction, so a
 * writer waits for one index at most (households_status: 0.2 s at a
 * million), never for the whole database. */
#include "store/db_stats.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* The row count that the last ANALYZE saw for `table` (or for its index
 * `idx`, when not NULL): the first figure of its statistics; *found = 0
 * when there are none. */
static int stats_rows(struct db *c, const char *table, const char *idx, int64_t *rows, int *found, struct err *e)
{
	int f = 0;
	int64_t v = 0;
	int rc = db_int(c, e, &v, &f, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'", "");
	*found = 0;
	if (rc || !v)
		return rc;
	return idx ? db_int(c, e, rows, found, "SELECT CAST(stat AS INTEGER) FROM sqlite_stat1 WHERE tbl = ? AND idx = ?",
			    "ss", table, idx)
		   : db_int(c, e, rows, found, "SELECT CAST(stat AS INTEGER) FROM sqlite_stat1 WHERE tbl = ? LIMIT 1", "s",
			    table);
}

static int analyze_one(struct db *c, const char *name, struct err *e)
{
	char sql[200];
	snprintf(sql, sizeof sql, "ANALYZE \"%s\"", name);
	int rc = db_begin(c, 1, e);
	if (!rc && !(rc = db_exec(c, sql, e)))
		rc = db_commit(c, e);
	db_rollback(c);
	return rc;
}

/* The tables, each with its indexes: [[table, index...], ...] (a WITHOUT
 * ROWID table's first "index" is the table itself). */
static json_t *tables_and_indexes(struct db *c, struct err *e)
{
	struct db_stmt *s = db_q(c, e,
				 "SELECT t.name, i.name, upper(t.sql) LIKE '%WITHOUT ROWID%'"
				 " FROM sqlite_schema t LEFT JOIN sqlite_schema i"
				 " ON i.type = 'index' AND i.tbl_name = t.name"
				 " WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite_%' ORDER BY t.name, i.name",
				 "");
	if (!s)
		return NULL;
	json_t *all = json_array(), *cur = NULL;
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		const char *t = db_col_text(s, 0);
		if (!cur || strcmp(json_string_value(json_array_get(cur, 0)), t)) {
			/* a WITHOUT ROWID table is its primary key: its figures are
			 * kept under the table's own name, and only ANALYZE of the
			 * table makes them; so it stands in the list as its own
			 * first index, analyzed whole */
			cur = db_col_int(s, 2) ? json_pack("[ss]", t, t) : json_pack("[s]", t);
			json_array_append_new(all, cur);
		}
		if (!db_col_is_null(s, 1))
			json_array_append_new(cur, json_string(db_col_text(s, 1)));
	}
	db_finalize(s);
	if (rc < 0) {
		json_decref(all);
		return NULL;
	}
	return all;
}

/* Every other connection, in this process and in others, keeps the
 * statistics that it read with the schema, and its prepared statements
 * keep their plans: ANALYZE does not move the schema cookie.  A table made
 * and dropped in one transaction moves it, so each connection reads the
 * schema again, with the new statistics, and prepares its statements again
 * (sqlite3_prepare_v3 does so by itself) at its next statement. */
static int schema_moved(struct db *c, struct err *e)
{
	int rc = db_begin(c, 1, e);
	if (!rc && !(rc = db_exec(c, "CREATE TABLE bangfu_stats_moved (x INTEGER); DROP TABLE bangfu_stats_moved", e)))
		rc = db_commit(c, e);
	db_rollback(c);
	return rc;
}

int db_refresh_stats(struct db *c, int *n, struct err *e)
{
	if (n)
		*n = 0;
	if (db_kind(c) != DB_SQLITE)
		return 0;
	int rc = db_exec(c, "PRAGMA analysis_limit = 0", e);
	json_t *all = rc ? NULL : tables_and_indexes(c, e);
	if (!all)
		return rc ? rc : -E_DB;
	size_t i;
	json_t *t;
	int analyzed = 0;
	json_array_foreach(all, i, t) {
		const char *table = json_string_value(json_array_get(t, 0));
		char count[200];
		snprintf(count, sizeof count, "SELECT COUNT(*) FROM \"%s\"", table);
		int64_t now = 0, seen = 0;
		int found = 0, f2 = 0;
		if ((rc = db_int(c, e, &now, &f2, count, "")) || (rc = stats_rows(c, table, NULL, &seen, &found, e)))
			break;
		if (now == 0 && !found)
			continue; /* empty, and known so: nothing to learn */
		int64_t moved = now > seen ? now - seen : seen - now;
		int stale = !found || moved * 10 > now;
		size_t m = json_array_size(t);
		int whole = m > 1 && !strcmp(json_string_value(json_array_get(t, 1)), table);
		for (size_t k = 1; !rc && k < m; k++) {
			const char *idx = json_string_value(json_array_get(t, k));
			int has = 0; /* an index made since (a migration) */
			if (!stale && (rc = stats_rows(c, table, idx, &seen, &has, e)))
				break;
			if (stale || (!has && now > 0)) {
				rc = analyze_one(c, idx, e);
				analyzed++;
				if (whole && k == 1)
					break; /* the table, with all its indexes */
			}
		}
		if (!rc && m == 1 && stale && now > 0) { /* no index: its row count alone */
			rc = analyze_one(c, table, e);
			analyzed++;
		}
		if (rc)
			break;
	}
	json_decref(all);
	if (n)
		*n = analyzed;
	if (!rc && analyzed)
		rc = schema_moved(c, e);
	return rc;
}
