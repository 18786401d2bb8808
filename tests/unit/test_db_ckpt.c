/* Unit tests for the server's checkpoints (RULE db.checkpoint, db_ckpt.c)
 * on a real SQLite file: the pool's connections checkpoint only past the
 * backstop, the checkpointer's thread copies the WAL into the database
 * soon after a commit, and writers without a pause do not grow the WAL
 * with all they write (the backstop's commit lets it start again). */
#include "tmpdb.h"

#include "store/db_ckpt.h"

#include <sys/stat.h>
#include <time.h>

static off_t size_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_size : 0;
}

/* n commits of one 1 MB row each, through a pool connection's write turn */
static void write_mb(struct db_pool *p, int n)
{
	struct err e = {0};
	for (int i = 0; i < n; i++) {
		struct db *c = db_pool_get(p);
		assert_int_equal(db_begin(c, 1, &e), 0);
		assert_int_equal(db_run(c, &e, "INSERT INTO t (x) VALUES (zeroblob(1000000))", ""), 0);
		assert_int_equal(db_commit(c, &e), 0);
		db_pool_put(p, c);
	}
}

static struct db_pool *pool_on(struct tmpdb *t)
{
	return tmpdb_pool(t, "ckpt", "CREATE TABLE t (x BLOB)");
}

static void test_checkpointed_by_the_thread(void **state)
{
	(void)state;
	struct tmpdb t;
	struct db_pool *p = pool_on(&t);
	struct err e = {0};
	struct db *c = db_pool_get(p);
	int64_t auto_pages = -1;
	assert_int_equal(db_int(c, &e, &auto_pages, NULL, "PRAGMA wal_autocheckpoint", ""), 0);
	assert_int_equal(auto_pages, atoi(DB_CKPT_BACKSTOP)); /* commits checkpoint only past it */
	db_pool_put(p, c);
	off_t before = size_of(t.path);
	write_mb(p, 8); /* 8 MB: below the backstop, no commit checkpoints */
	/* the rows are in the WAL; the thread copies them within its turns */
	off_t after = before;
	for (int i = 0; i < 250 && after < before + 7000000; i++) { /* DB_CKPT_MS: 1 s */
		sleep_ms(20);
		after = size_of(t.path);
	}
	assert_true(after >= before + 7000000);
	db_pool_close(p);
	tmpdb_remove(&t);
}

static void test_wal_bounded_under_writes(void **state)
{
	(void)state;
	struct tmpdb t;
	struct db_pool *p = pool_on(&t);
	char wal[128];
	snprintf(wal, sizeof wal, "%s-wal", t.path);
	write_mb(p, 300); /* 300 MB, commit after commit */
	/* a checkpoint beside the writers ends behind them, so without a
	 * pause the WAL would hold all 300 MB.  The commit past the backstop
	 * checkpoints what the thread has not copied, and the WAL starts
	 * again: 40-50 MB here on a quiet machine.  The bound is loose: that
	 * commit's checkpoint is skipped while the thread's own is running,
	 * and how long that runs depends on the machine's load. */
	assert_true(size_of(wal) < 200 * 1000000);
	db_pool_close(p);
	tmpdb_remove(&t);
}

/* The thread checkpoints only in the writers' turn (the WAL-reset bug,
 * db_ckpt.c): none while a writer holds it, again once it is given back. */
static void test_checkpoints_in_the_writers_turn(void **state)
{
	(void)state;
	struct tmpdb t;
	struct err e = {0};
	struct db *c = NULL, *w = NULL;
	tmpdb_make(&t, "ckptturn");
	assert_int_equal(db_open(t.path, &c, &e), 0);
	assert_int_equal(db_exec(c, "CREATE TABLE t (x BLOB)", &e), 0);
	struct db_ckpt *k = NULL;
	assert_int_equal(db_ckpt_start(t.path, 50, &k, &e), 0); /* the server's is DB_CKPT_MS */
	for (int i = 0; i < 250 && db_ckpt_runs(k) == 0; i++)
		sleep_ms(20);
	assert_true(db_ckpt_runs(k) > 0);
	assert_int_equal(db_open(t.path, &w, &e), 0);
	assert_int_equal(db_begin(w, 1, &e), 0); /* a writer alone: it holds the turn */
	assert_int_equal(db_run(w, &e, "INSERT INTO t (x) VALUES (zeroblob(100000))", ""), 0);
	long held = db_ckpt_runs(k);
	sleep_ms(300); /* six of the thread's periods */
	assert_int_equal(db_ckpt_runs(k), held);
	assert_int_equal(db_commit(w, &e), 0);
	for (int i = 0; i < 250 && db_ckpt_runs(k) == held; i++)
		sleep_ms(20);
	assert_true(db_ckpt_runs(k) > held);
	db_ckpt_stop(k);
	db_close(w);
	db_close(c);
	tmpdb_remove(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checkpointed_by_the_thread),
		cmocka_unit_test(test_wal_bounded_under_writes),
		cmocka_unit_test(test_checkpoints_in_the_writers_turn),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
