/* Unit tests for db_refresh_stats() (RULE db.stats) on a real SQLite file:
 * exact statistics for the tables that moved by more than a tenth and for
 * indexes made since, nothing for the others, and a schema cookie moved so
 * that the other connections plan with the new figures. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "tmpdb.h"
#include "store/db_stats.h"

static struct db *other; /* a connection opened before the refresh */

static int64_t one(struct db *c, const char *sql)
{
	struct err e = {0};
	int64_t n = -1;
	int found = 0;
	assert_int_equal(db_int(c, &e, &n, &found, sql, ""), 0);
	return found ? n : -1;
}

static void fill(struct db *c, int from, int to)
{
	struct err e = {0};
	char sql[200];
	snprintf(sql, sizeof sql,
		 "WITH RECURSIVE s(i) AS (SELECT %d UNION ALL SELECT i + 1 FROM s WHERE i < %d)"
		 " INSERT INTO t (x, k) SELECT i, i %% 4 FROM s",
		 from, to);
	assert_int_equal(db_exec(c, sql, &e), 0);
}

static int setup(void **state)
{
	struct err e = {0};
	struct fx *f = tmpdb_open("CREATE TABLE t (x INTEGER, k INTEGER); CREATE INDEX t_k ON t (k);"
				  " CREATE TABLE u (y INTEGER); INSERT INTO u VALUES (1), (2);"
				  " CREATE TABLE v (z INTEGER); CREATE INDEX v_z ON v (z);"
				  " CREATE TABLE w (a TEXT, b INTEGER, PRIMARY KEY (a, b)) WITHOUT ROWID;"
				  " INSERT INTO w VALUES ('x', 1), ('x', 2), ('y', 3);");
	fill(f->c, 1, 1000);
	assert_int_equal(db_open(f->t.path, &other, &e), 0);
	assert_int_equal(one(other, "SELECT COUNT(*) FROM t"), 1000); /* its schema read */
	*state = f;
	return 0;
}

static int teardown_both(void **state)
{
	db_close(other);
	other = NULL;
	return teardown(state);
}

static void test_exact_then_only_what_moved(void **state)
{
	struct fx *f = *state;
	struct err e = {0};
	int n = -1;
	int64_t cookie = one(other, "PRAGMA schema_version");
	assert_int_equal(db_refresh_stats(f->c, &n, &e), 0);
	assert_int_equal(n, 3); /* t_k, u by its row count, w whole; v is empty */
	/* a WITHOUT ROWID table's key: its figures under the table's name */
	assert_int_equal(one(f->c, "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'w' AND idx = 'w' AND stat = '3 2 1'"), 1);
	/* exact: 1,000 rows, 250 a key (a sample would guess) */
	assert_int_equal(one(f->c, "SELECT CAST(stat AS INTEGER) FROM sqlite_stat1 WHERE idx = 't_k'"), 1000);
	assert_int_equal(one(f->c, "SELECT COUNT(*) FROM sqlite_stat1 WHERE idx = 't_k' AND stat = '1000 250'"), 1);
	assert_int_equal(one(f->c, "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'v'"), 0);
	/* the other connection reads the schema again (and the statistics) */
	assert_true(one(other, "PRAGMA schema_version") > cookie);
	assert_int_equal(one(other, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'bangfu_stats_moved'"), 0);

	/* nothing moved: nothing analyzed, the cookie stays */
	cookie = one(other, "PRAGMA schema_version");
	assert_int_equal(db_refresh_stats(f->c, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(one(other, "PRAGMA schema_version"), cookie);

	/* a tenth more is not enough; a fifth is */
	fill(f->c, 1001, 1100);
	assert_int_equal(db_refresh_stats(f->c, &n, &e), 0);
	assert_int_equal(n, 0);
	fill(f->c, 1101, 1250);
	assert_int_equal(db_refresh_stats(f->c, &n, &e), 0);
	assert_int_equal(n, 1); /* t_k; u did not move */
	assert_int_equal(one(f->c, "SELECT CAST(stat AS INTEGER) FROM sqlite_stat1 WHERE idx = 't_k'"), 1250);

	/* an index made since (a migration) is analyzed alone */
	assert_int_equal(db_exec(f->c, "CREATE INDEX t_x ON t (x)", &e), 0);
	assert_int_equal(db_refresh_stats(f->c, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(one(f->c, "SELECT CAST(stat AS INTEGER) FROM sqlite_stat1 WHERE idx = 't_x'"), 1250);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exact_then_only_what_moved, setup, teardown_both),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
