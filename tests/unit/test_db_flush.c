/* Unit tests for the flush after the turn (RULE db.flush_after_turn,
 * db_writer.c) on a real SQLite file: the pool's writer connection commits
 * with synchronous=NORMAL, the member that committed flushes the WAL after
 * giving up the turn, no writer is answered before a flush begun after its
 * COMMIT has returned, the next batch runs while the disk flushes, and a
 * failed flush refuses its writes as perhaps saved.  An early commit (RULE
 * privacy.download) is visible at once, keeps the turn for the request's
 * reads, and its flush, on the flusher thread, is waited for apart.
 *
 * Linked with -Wl,--wrap=fdatasync (Makefile): bangfu's own calls come
 * here and are counted, then made; SQLite's (libsqlite3.so) are not. */
#include "tmpdb.h"

#include "store/db_writer.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

int __real_fdatasync(int fd);

static long delay_ms;     /* each WAL flush of bangfu's takes this much longer */
static int fail_flush;    /* each WAL flush of bangfu's fails (EIO) */
static long flushes_done; /* bangfu's WAL flushes returned */
static int flushing;      /* one is under way */

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int __wrap_fdatasync(int fd)
{
	char link[64], target[512];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, target, sizeof target - 1);
	target[n > 0 ? n : 0] = '\0';
	if (n < 4 || strcmp(target + n - 4, "-wal") != 0)
		return __real_fdatasync(fd); /* not the WAL: not counted */
	__atomic_store_n(&flushing, 1, __ATOMIC_SEQ_CST);
	sleep_ms(__atomic_load_n(&delay_ms, __ATOMIC_SEQ_CST));
	int rc = __real_fdatasync(fd);
	if (__atomic_load_n(&fail_flush, __ATOMIC_SEQ_CST)) {
		errno = EIO;
		rc = -1;
	}
	__atomic_store_n(&flushing, 0, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&flushes_done, 1, __ATOMIC_SEQ_CST);
	return rc;
}

static long done(void) { return __atomic_load_n(&flushes_done, __ATOMIC_SEQ_CST); }

static struct db_pool *pool_on(struct tmpdb *t)
{
	return tmpdb_pool(t, "flush", "CREATE TABLE t (x INTEGER)");
}

/* one write of x through the group commit; returns its milliseconds */
static double write_one(struct db_pool *p, int64_t x)
{
	struct err e = {0};
	struct db *w = db_pool_writer(p);
	double t0 = now_ms();
	assert_int_equal(db_begin(w, 1, &e), 0);
	assert_int_equal(db_run(w, &e, "INSERT INTO t (x) VALUES (?)", "i", x), 0);
	assert_int_equal(db_commit(w, &e), 0);
	writer_end(w);
	return now_ms() - t0;
}

/* the rows of t, counted on a pooled connection (not the writer's) */
static int64_t rows(struct db_pool *p)
{
	struct err e = {0};
	int64_t n = -1;
	struct db *r = db_pool_get(p);
	assert_int_equal(db_int(r, &e, &n, NULL, "SELECT COUNT(*) FROM t", ""), 0);
	db_pool_put(p, r);
	return n;
}

/* a write of x on a thread of its own: its milliseconds, then done */
struct bg_writer {
	struct db_pool *p;
	int64_t x;
	double ms;
	int done;
};

static void *bg_write(void *arg)
{
	struct bg_writer *b = arg;
	b->ms = write_one(b->p, b->x);
	__atomic_store_n(&b->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void test_answered_after_its_flush(void **state)
{
	(void)state;
	struct tmpdb t;
	struct db_pool *p = pool_on(&t);
	struct err e = {0};
	int64_t sync = -1;
	assert_int_equal(db_int(db_pool_writer(p), &e, &sync, NULL, "PRAGMA synchronous", ""), 0);
	assert_int_equal(sync, 1); /* NORMAL: its COMMIT does not flush */
	struct db *r = db_pool_get(p);
	assert_int_equal(db_int(r, &e, &sync, NULL, "PRAGMA synchronous", ""), 0);
	assert_int_equal(sync, 2); /* FULL: the pool's other connections as before */
	db_pool_put(p, r);
	for (int i = 1; i <= 20; i++) {
		long before = done();
		write_one(p, i);
		assert_true(done() > before); /* flushed before it was answered */
	}
	assert_int_equal(rows(p), 20);
	db_pool_close(p);
	tmpdb_remove(&t);
}

/* A slow disk holds the writer who committed, not the turn: a writer that
 * comes during the flush begins and writes at once, and is answered only
 * after a flush of its own. */
static void test_next_batch_runs_during_the_flush(void **state)
{
	(void)state;
	struct tmpdb t;
	struct db_pool *p = pool_on(&t);
	__atomic_store_n(&delay_ms, 400, __ATOMIC_SEQ_CST);
	struct bg_writer a = {p, 1, 0, 0};
	pthread_t th;
	long before = done();
	assert_int_equal(pthread_create(&th, NULL, bg_write, &a), 0);
	for (int i = 0; i < 500 && !__atomic_load_n(&flushing, __ATOMIC_SEQ_CST); i++)
		sleep_ms(2);
	assert_true(__atomic_load_n(&flushing, __ATOMIC_SEQ_CST)); /* A committed; its flush runs */

	struct err e = {0};
	struct db *w = db_pool_writer(p);
	double t0 = now_ms();
	assert_int_equal(db_begin(w, 1, &e), 0);
	assert_int_equal(db_run(w, &e, "INSERT INTO t (x) VALUES (2)", ""), 0);
	double in_turn = now_ms() - t0;
	assert_true(in_turn < 200);               /* the turn was free */
	assert_int_equal(done(), before);         /* while A's flush still ran */
	assert_int_equal(db_commit(w, &e), 0);
	writer_end(w);
	assert_true(done() >= before + 1);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_true(a.ms >= 400); /* A was answered after its flush */
	__atomic_store_n(&delay_ms, 0, __ATOMIC_SEQ_CST);

	assert_int_equal(rows(p), 2);
	db_pool_close(p);
	tmpdb_remove(&t);
}

/* A flush that fails: the write is refused (503), saying that it may have
 * been saved, since its rows were committed before the flush; the next
 * write, flushed, is answered as usual. */
static void test_failed_flush(void **state)
{
	(void)state;
	struct tmpdb t;
	struct db_pool *p = pool_on(&t);
	struct err e = {0};
	struct db *w = db_pool_writer(p);
	__atomic_store_n(&fail_flush, 1, __ATOMIC_SEQ_CST);
	assert_int_equal(db_begin(w, 1, &e), 0);
	assert_int_equal(db_run(w, &e, "INSERT INTO t (x) VALUES (1)", ""), 0);
	assert_int_equal(db_commit(w, &e), -E_DB);
	assert_non_null(strstr(e.msg, "可能已经保存"));
	err_clear(&e);
	writer_end(w);
	__atomic_store_n(&fail_flush, 0, __ATOMIC_SEQ_CST);
	write_one(p, 2);
	assert_int_equal(rows(p), 2); /* the first was committed: "may have been saved" is true */
	db_pool_close(p);
	tmpdb_remove(&t);
}

/* db_commit_early: committed and visible before its (slow) flush returns;
 * the turn stays the request's (it reads, and writes again) until
 * writer_end; db_wait_flushed returns once the flush has; a failed flush
 * is the "may have been saved" error there. */
static void test_commit_early(void **state)
{
	(void)state;
	struct tmpdb t;
	struct db_pool *p = pool_on(&t);
	struct err e = {0};
	struct db *w = db_pool_writer(p);
	__atomic_store_n(&delay_ms, 300, __ATOMIC_SEQ_CST);
	long before = done();
	uint64_t ticket = 0;
	double t0 = now_ms();
	assert_int_equal(db_begin(w, 1, &e), 0);
	assert_int_equal(db_run(w, &e, "INSERT INTO t (x) VALUES (1)", ""), 0);
	assert_int_equal(db_commit_early(w, &ticket, &e), 0);
	assert_true(ticket > 0);
	assert_true(now_ms() - t0 < 200); /* not after the flush */
	assert_int_equal(rows(p), 1); /* committed: another connection sees it */
	assert_int_equal(done(), before); /* its flush has not returned */

	/* the turn is still this request's: another writer waits */
	struct bg_writer other = {p, 9, 0, 0};
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, bg_write, &other), 0);
	int64_t n = 0;
	assert_int_equal(db_int(w, &e, &n, NULL, "SELECT COUNT(*) FROM t", ""), 0);
	assert_int_equal(n, 1); /* and reads on the writer connection */
	assert_int_equal(db_begin(w, 1, &e), 0); /* and it may write again */
	assert_int_equal(db_run(w, &e, "INSERT INTO t (x) VALUES (2)", ""), 0);
	sleep_ms(50);
	assert_int_equal(__atomic_load_n(&other.done, __ATOMIC_SEQ_CST), 0);
	assert_int_equal(db_commit(w, &e), 0);
	writer_end(w);

	assert_int_equal(db_wait_flushed(ticket, &e), 0);
	assert_true(done() > before);
	assert_true(now_ms() - t0 >= 300);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(__atomic_load_n(&other.done, __ATOMIC_SEQ_CST), 1);
	__atomic_store_n(&delay_ms, 0, __ATOMIC_SEQ_CST);

	/* a failed flush: committed, and refused as perhaps saved */
	__atomic_store_n(&fail_flush, 1, __ATOMIC_SEQ_CST);
	assert_int_equal(db_begin(w, 1, &e), 0);
	assert_int_equal(db_run(w, &e, "INSERT INTO t (x) VALUES (3)", ""), 0);
	assert_int_equal(db_commit_early(w, &ticket, &e), 0);
	writer_end(w);
	assert_int_equal(db_wait_flushed(ticket, &e), -E_DB);
	assert_non_null(strstr(e.msg, "可能已经保存"));
	err_clear(&e);
	__atomic_store_n(&fail_flush, 0, __ATOMIC_SEQ_CST);
	assert_int_equal(rows(p), 4);
	db_pool_close(p);
	tmpdb_remove(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answered_after_its_flush),
		cmocka_unit_test(test_next_batch_runs_during_the_flush),
		cmocka_unit_test(test_failed_flush),
		cmocka_unit_test(test_commit_early),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
