/* Unit tests for db_snapshot_readers() and db_begin_snapshot() (RULE
 * report.snapshot) on a real SQLite file: the readers see one state, and a
 * commit after they began is seen by none of them. */
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

static int64_t count(struct db *c)
{
	struct err e = {0};
	int64_t n = -1;
	assert_int_equal(db_int(c, &e, &n, NULL, "SELECT COUNT(*) FROM t", ""), 0);
	return n;
}

static int setup(void **state)
{
	*state = tmpdb_open("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);");
	return 0;
}

static void test_one_state(void **state)
{
	struct fx *f = *state;
	struct err e = {0};
	struct db *rd[2], *w = NULL;
	assert_int_equal(db_snapshot_readers(f->c, f->t.path, 2, rd, &e), 0);
	assert_false(f->c->in_tx);
	/* a commit from elsewhere after the readers began */
	assert_int_equal(db_open(f->t.path, &w, &e), 0);
	assert_int_equal(db_exec(w, "INSERT INTO t VALUES (2); INSERT INTO t VALUES (3);", &e), 0);
	assert_int_equal(count(rd[0]), 1);
	assert_int_equal(count(rd[1]), 1);
	assert_int_equal(count(f->c), 3);
	for (int i = 0; i < 2; i++) {
		assert_true(rd[i]->in_tx);
		db_rollback(rd[i]);
		assert_int_equal(count(rd[i]), 3); /* a new read sees the commit */
		db_close(rd[i]);
	}
	db_close(w);
}

static void test_one_connection(void **state)
{
	struct fx *f = *state;
	struct err e = {0};
	struct db *w = NULL;
	assert_int_equal(db_begin_snapshot(f->c, &e), 0);
	assert_int_equal(count(f->c), 1); /* the first read fixes the snapshot */
	assert_int_equal(db_open(f->t.path, &w, &e), 0);
	assert_int_equal(db_exec(w, "INSERT INTO t VALUES (2);", &e), 0);
	assert_int_equal(count(f->c), 1);
	db_rollback(f->c);
	assert_false(f->c->in_tx);
	assert_int_equal(count(f->c), 2);
	db_close(w);
}

static void test_refused_in_a_transaction(void **state)
{
	struct fx *f = *state;
	struct err e = {0};
	struct db *rd[2] = {(struct db *)1, (struct db *)1};
	assert_int_equal(db_begin(f->c, 0, &e), 0);
	assert_int_equal(db_snapshot_readers(f->c, f->t.path, 2, rd, &e), -E_INTERNAL);
	assert_null(rd[0]);
	assert_null(rd[1]);
	assert_true(f->c->in_tx); /* the caller's transaction is left alone */
	db_rollback(f->c);
	err_clear(&e);
}

static void test_unopenable_readers_leave_nothing(void **state)
{
	struct fx *f = *state;
	struct err e = {0};
	struct db *rd[2];
	char bad[128];
	snprintf(bad, sizeof bad, "%s/no/such/dir/t.db", f->t.dir);
	assert_int_equal(db_snapshot_readers(f->c, bad, 2, rd, &e), -E_DB);
	assert_null(rd[0]);
	assert_null(rd[1]);
	assert_false(f->c->in_tx);
	assert_int_equal(count(f->c), 1);
	err_clear(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_connection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_in_a_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unopenable_readers_leave_nothing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
