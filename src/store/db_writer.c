/* db_writer.c — SQLite's one writer, shared by group commit (RULE
 * db.group_commit).
 *
 * SQLite has one writer at a time, and every commit waits for the disk
 * (WAL, synchronous=FULL: one fsync, about 2 ms on the machines measured in
 * docs/benchmarks.md), so writers one after another cap the server at a few
 * hundred writes a second, however short each is.  Here the request
 * writers of a server share one transaction on the pool's writer
 * connection: each runs in its turn inside a SAVEPOINT (its own changes
 * roll back alone), and instead of committing it passes the turn to the
 * next writer waiting.  The last writer of the batch (none waiting, 64
 * members, or a writer that needs the database alone) commits for all, and
 * only then does any member answer: a write that was answered has reached
 * the disk, as before.  A failed commit fails every member.
 *
 * Writers that keep their own transactions (imports, the statistics
 * refresh, the CLI) take the turn alone, between batches.  Other processes
 * still meet SQLite's busy timeout.
 */
#include "store/db_writer.h"

#include <pthread.h>

#define BATCH_MAX 64
#define RESULTS 256

static struct {
	pthread_mutex_t mu;
	pthread_cond_t turn, done;
	int busy;            /* a writer holds the turn */
	int waiting_members; /* batch writers waiting for the turn */
	int waiting_alone;   /* writers that need the database alone */
	int open;            /* a batch transaction is open */
	int members, failed; /* in the open batch; it cannot commit */
	uint64_t seq, committed;
	int results[RESULTS]; /* 0 or -err of batch n, at n % RESULTS */
} W = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER};

/* This thread's batch and whether it still holds the turn after rolling
 * back its own changes (it may read on, or write again, before it ends). */
static __thread uint64_t my_batch;
static __thread int holding;
static __thread int in_turn; /* this thread holds the turn */

static int run(struct db *c, const char *sql, struct err *e)
{
	return c->drv->exec(c, sql, e);
}

/* Under W.mu: opens a batch on c.  Each member runs in a SAVEPOINT, whose
 * rollback needs the pages it changed as they were: SQLite keeps them in a
 * sub-journal, a temporary file unless temp_store is MEMORY when the
 * transaction begins (the pager reads it then).  On a file it was 12 page
 * writes (and their 4-byte headers) a household created, more syscalls
 * than the WAL's own frames; in memory it is bounded by one member's
 * pages, dropped at each RELEASE.  temp_store goes back to DEFAULT at once,
 * so the temporary tables of the transaction stay on disk (as
 * db_begin_bulk). */
static int begin_batch(struct db *c, struct err *e)
{
	int rc = run(c, "PRAGMA temp_store=MEMORY", e);
	if (!rc && !(rc = run(c, "BEGIN IMMEDIATE", e)) && (rc = run(c, "PRAGMA temp_store=DEFAULT", e))) {
		struct err ignore = {0};
		run(c, "ROLLBACK", &ignore);
		err_clear(&ignore);
	}
	return rc;
}

/* Under W.mu: commits the open batch on c and wakes its members. */
static void commit_batch(struct db *c)
{
	struct err e = {0};
	int rc = run(c, "COMMIT", &e);
	if (rc) {
		struct err ignore = {0};
		run(c, "ROLLBACK", &ignore);
		err_clear(&ignore);
	}
	err_clear(&e);
	W.results[W.seq % RESULTS] = rc ? -E_DB : 0;
	W.open = 0;
	W.members = 0;
	W.committed = W.seq;
	pthread_cond_broadcast(&W.done);
}

/* Under W.mu: gives up the turn; the batch goes on with the next member
 * waiting, or is committed now. */
static void leave(struct db *c)
{
	W.busy = 0;
	holding = 0;
	in_turn = 0;
	if (c->batch && W.open &&
	    !(W.waiting_members > 0 && W.waiting_alone == 0 && W.members < BATCH_MAX && !W.failed))
		commit_batch(c);
	pthread_cond_broadcast(&W.turn);
}

/* Under W.mu: waits for the turn between batches, for a writer that
 * needs the database alone. */
static void take_alone(void)
{
	W.waiting_alone++;
	while (W.busy || W.open)
		pthread_cond_wait(&W.turn, &W.mu);
	W.waiting_alone--;
	W.busy = 1;
}

int writer_begin(struct db *c, struct err *e)
{
	int rc = 0;
	pthread_mutex_lock(&W.mu);
	if (c->batch && holding) {
		/* after a rollback of its own changes, the same request again */
	} else if (c->batch) {
		W.waiting_members++;
		while (W.busy || (!W.open && W.waiting_alone > 0))
			pthread_cond_wait(&W.turn, &W.mu);
		W.waiting_members--;
		W.busy = 1;
		if (!W.open && !(rc = begin_batch(c, e))) {
			W.open = 1;
			W.failed = 0;
			W.seq++;
		}
		if (!rc) {
			W.members++;
			my_batch = W.seq;
		}
	} else {
		take_alone();
	}
	holding = 0;
	if (rc)
		leave(c);
	pthread_mutex_unlock(&W.mu);
	if (!rc && (rc = run(c, c->batch ? "SAVEPOINT member" : "BEGIN IMMEDIATE", e))) {
		pthread_mutex_lock(&W.mu);
		if (c->batch)
			W.failed = 1; /* its SAVEPOINT failed: do not trust the batch */
		leave(c);
		pthread_mutex_unlock(&W.mu);
	}
	if (!rc) {
		c->in_tx = 1;
		c->writer = 1;
		in_turn = 1;
	}
	return rc;
}

int writer_commit(struct db *c, struct err *e)
{
	if (!in_turn || !c->in_tx)
		return 0; /* another request's turn on the shared connection */
	c->in_tx = 0;
	c->writer = 0;
	int rc = run(c, c->batch ? "RELEASE member" : "COMMIT", e);
	struct err ignore = {0};
	if (rc)
		run(c, c->batch ? "ROLLBACK TO member" : "ROLLBACK", &ignore);
	err_clear(&ignore);
	pthread_mutex_lock(&W.mu);
	if (rc && c->batch)
		W.failed = 1;
	uint64_t mine = my_batch;
	leave(c);
	if (c->batch) {
		while (W.committed < mine)
			pthread_cond_wait(&W.done, &W.mu);
		if (!rc && W.results[mine % RESULTS])
			rc = err_set(e, E_DB, "数据库提交失败，本次操作未保存，请重试");
	}
	pthread_mutex_unlock(&W.mu);
	return rc;
}

void writer_rollback(struct db *c)
{
	if (!in_turn || !c->in_tx)
		return;
	c->in_tx = 0;
	c->writer = 0;
	struct err ignore = {0};
	int rc = c->batch ? (run(c, "ROLLBACK TO member", &ignore) || run(c, "RELEASE member", &ignore))
			  : run(c, "ROLLBACK", &ignore);
	err_clear(&ignore);
	pthread_mutex_lock(&W.mu);
	if (c->batch) {
		if (rc)
			W.failed = 1;
		holding = 1; /* until writer_end(): the request may read on */
	} else {
		leave(c);
	}
	pthread_mutex_unlock(&W.mu);
}

void writer_end(struct db *c)
{
	if (!c || !c->batch || !in_turn)
		return;
	if (c->in_tx) /* begun and never finished: its changes go */
		writer_rollback(c);
	pthread_mutex_lock(&W.mu);
	leave(c);
	pthread_mutex_unlock(&W.mu);
}

void writer_alone(void (*fn)(void *), void *arg)
{
	pthread_mutex_lock(&W.mu);
	take_alone();
	pthread_mutex_unlock(&W.mu);
	fn(arg);
	pthread_mutex_lock(&W.mu);
	W.busy = 0;
	pthread_cond_broadcast(&W.turn);
	pthread_mutex_unlock(&W.mu);
}
