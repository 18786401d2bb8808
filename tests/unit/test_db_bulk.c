/* Unit tests for db_begin_bulk() (the census import's fast ways) on a real
 * SQLite file: inside, foreign keys are off and the page cache is small;
 * after COMMIT or ROLLBACK the connection is as db_open left it, and a
 * temporary table made inside still works. */
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

static int64_t pragma(struct db *c, const char *sql)
{
	struct err e = {0};
	int64_t v = -999;
	assert_int_equal(db_int(c, &e, &v, NULL, sql, ""), 0);
	return v;
}

/* 0 when a child row pointing at no parent was written, <0 when refused */
static int orphan(struct db *c)
{
	struct err e = {0};
	int rc = db_run(c, &e, "INSERT INTO ch (p_id) VALUES (99)", "");
	err_clear(&e);
	return rc;
}

static int setup(void **state)
{
	*state = tmpdb_open("CREATE TABLE p (id INTEGER PRIMARY KEY);"
				   " CREATE TABLE ch (p_id INTEGER NOT NULL REFERENCES p(id));");
	return 0;
}

static void as_opened(struct db *c)
{
	assert_false(c->in_tx);
	assert_int_equal(pragma(c, "PRAGMA foreign_keys"), 1);
	assert_int_equal(pragma(c, "PRAGMA temp_store"), 0);
	assert_int_equal(pragma(c, "PRAGMA cache_size"), atoi(DB_SQLITE_CACHE));
	assert_true(orphan(c) < 0);
}

static void inside(struct db *c)
{
	struct err e = {0};
	assert_int_equal(db_begin_bulk(c, &e), 0);
	assert_true(c->in_tx);
	assert_int_equal(pragma(c, "PRAGMA foreign_keys"), 0);
	assert_int_equal(pragma(c, "PRAGMA cache_size"), atoi(DB_SQLITE_CACHE)); /* not made smaller */
	assert_int_equal(pragma(c, "PRAGMA temp_store"), 0); /* set back at once: temp tables on disk */
	assert_int_equal(db_exec(c, "CREATE TEMP TABLE tmp (x TEXT); INSERT INTO tmp VALUES ('a');", &e), 0);
	assert_int_equal(pragma(c, "SELECT COUNT(*) FROM tmp"), 1);
	assert_int_equal(db_exec(c, "DROP TABLE tmp", &e), 0);
	assert_int_equal(orphan(c), 0); /* the caller vouches for its references */
}

static void test_commit(void **state)
{
	struct fx *f = *state;
	struct err e = {0};
	as_opened(f->c);
	inside(f->c);
	assert_int_equal(db_run(f->c, &e, "DELETE FROM ch", ""), 0);
	assert_int_equal(db_commit(f->c, &e), 0);
	as_opened(f->c);
	assert_int_equal(pragma(f->c, "SELECT COUNT(*) FROM ch"), 0);
}

static void test_rollback(void **state)
{
	struct fx *f = *state;
	inside(f->c);
	db_rollback(f->c);
	as_opened(f->c);
	assert_int_equal(pragma(f->c, "SELECT COUNT(*) FROM ch"), 0); /* the orphan went with it */
	inside(f->c); /* and again on the same connection */
	db_rollback(f->c);
	as_opened(f->c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
