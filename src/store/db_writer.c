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
 *
 * The flush is out of the turn (writer_wal, RULE db.flush_after_turn): the
 * pool's writer connection commits with synchronous=NORMAL (its COMMIT
 * writes the batch's frames to the WAL and returns), the member that
 * committed gives the turn to the next batch, and then flushes the WAL
 * itself (fdatasync on a descriptor of its own), and only then are the
 * batch's members answered.  The next batch runs its SQL while the disk
 * flushes; the flush of a later batch covers every frame written before
 * it began, so a batch is answered once any flush begun after its COMMIT
 * has returned.  What an answered write is does not change: its frames
 * are on disk.  Before, the turn waited for each flush (0.2-0.9 ms on the
 * machines measured in docs/benchmarks.md), a third of its time under a
 * stream of creates.
 *
 * An early commit (writer_commit_early, a download's audit entry) commits
 * its batch at once, hands the flush to the flusher thread and keeps the
 * turn, without a batch, for the request's reads; the request waits for
 * that flush apart (writer_flushed), once it has read, out of the turn.
 */
#include "store/db_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BATCH_MAX 64
#define RESULTS 256
#define UNFLUSHED 1 /* a result: committed, visible, but its WAL flush failed */

static struct {
	pthread_mutex_t mu;
	pthread_cond_t turn, done;
	int busy;            /* a writer holds the turn */
	int waiting_members; /* batch writers waiting for the turn */
	int waiting_alone;   /* writers that need the database alone */
	int open;            /* a batch transaction is open */
	int members, failed; /* in the open batch; it cannot commit */
	uint64_t seq, committed;
	uint64_t flush_want;  /* the flusher thread's next batch to flush (writer_commit_early) */
	pthread_cond_t flush_req;
	int results[RESULTS]; /* 0, -err or UNFLUSHED of batch n, at n % RESULTS */
} W = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
       .flush_req = PTHREAD_COND_INITIALIZER};

/* The WAL flushed after the turn (writer_wal); its own lock, since the
 * flush runs outside W.mu. */
static struct {
	pthread_mutex_t mu;
	char path[4096]; /* "" until writer_wal(): each COMMIT flushes itself */
	int fd;          /* open on path, -1 until the first flush */
	ino_t ino;
} F = {PTHREAD_MUTEX_INITIALIZER, "", -1, 0};

/* This thread's batch and whether it still holds the turn after rolling
 * back its own changes (it may read on, or write again, before it ends). */
static __thread uint64_t my_batch;
static __thread int holding;
static __thread int in_turn; /* this thread holds the turn */
static __thread uint64_t flush_due; /* a batch this thread committed, its WAL not yet flushed */

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
	if (F.path[0]) {
		/* flush() once the turn is given up; a failed COMMIT too, so
		 * that W.committed never passes a batch not yet flushed */
		flush_due = W.seq;
		return;
	}
	W.committed = W.seq;
	pthread_cond_broadcast(&W.done);
}

/* fdatasync of the WAL, opened again if it is no longer the file at its
 * path (SQLite removes the WAL when the last connection to the database
 * closes: not while the server's pool holds its own); 0 or an errno. */
static int wal_sync(void)
{
	struct stat st;
	pthread_mutex_lock(&F.mu);
	if (F.fd >= 0 && (stat(F.path, &st) != 0 || st.st_ino != F.ino)) {
		close(F.fd);
		F.fd = -1;
	}
	if (F.fd < 0 && (F.fd = open(F.path, O_RDONLY | O_CLOEXEC)) >= 0) {
		if (fstat(F.fd, &st) == 0) {
			F.ino = st.st_ino;
		} else {
			close(F.fd);
			F.fd = -1;
		}
	}
	int fd = F.fd, rc = fd >= 0 ? fdatasync(fd) : -1;
	if (rc)
		rc = errno ? errno : EIO;
	pthread_mutex_unlock(&F.mu);
	return rc;
}

/* Answers every batch up to mine, their frames written before a flush
 * that has returned rc (0, or an errno).  A failed flush fails the
 * committed ones as UNFLUSHED: their rows are in the database, but not
 * known to be on disk. */
static void flushed(uint64_t mine, int rc)
{
	pthread_mutex_lock(&W.mu);
	if (rc) {
		fprintf(stderr, "bangfu: WAL flush failed: %s\n", strerror(rc));
		for (uint64_t b = W.committed + 1; b <= mine; b++)
			if (!W.results[b % RESULTS])
				W.results[b % RESULTS] = UNFLUSHED;
	}
	if (W.committed < mine)
		W.committed = mine;
	pthread_cond_broadcast(&W.done);
	pthread_mutex_unlock(&W.mu);
}

/* Outside W.mu, after leave(): flushes the WAL for the batch this thread
 * committed, then answers every batch up to it. */
static void flush(void)
{
	uint64_t mine = flush_due;
	if (!mine)
		return;
	flush_due = 0;
	flushed(mine, wal_sync());
}

/* The flusher thread: the flushes handed over by writer_commit_early, so
 * that its writer goes on (reads, sends) while the disk flushes.  A flush
 * asked for while one runs waits for it: that one may have begun before
 * the later batch's COMMIT. */
static void *flusher(void *arg)
{
	(void)arg;
	uint64_t done = 0;
	pthread_mutex_lock(&W.mu);
	for (;;) {
		while (W.flush_want <= done)
			pthread_cond_wait(&W.flush_req, &W.mu);
		uint64_t mine = W.flush_want;
		pthread_mutex_unlock(&W.mu);
		flushed(mine, wal_sync());
		done = mine;
		pthread_mutex_lock(&W.mu);
	}
	return NULL;
}

static pthread_once_t flusher_once = PTHREAD_ONCE_INIT;
static int flusher_started;

static void flusher_start(void)
{
	pthread_t t;
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	flusher_started = pthread_create(&t, &a, flusher, NULL) == 0;
	pthread_attr_destroy(&a);
}

/* Hands this thread's flush to the flusher thread (or runs it here, when
 * that thread could not start). */
static void flush_async(void)
{
	uint64_t mine = flush_due;
	if (!mine)
		return;
	pthread_once(&flusher_once, flusher_start);
	if (!flusher_started) {
		flush();
		return;
	}
	flush_due = 0;
	pthread_mutex_lock(&W.mu);
	if (W.flush_want < mine)
		W.flush_want = mine;
	pthread_cond_signal(&W.flush_req);
	pthread_mutex_unlock(&W.mu);
}

int writer_wal(struct db *c, const char *db_file, struct err *e)
{
	int rc = run(c, "PRAGMA synchronous=NORMAL", e);
	pthread_mutex_lock(&F.mu);
	if (F.fd >= 0)
		close(F.fd);
	F.fd = -1;
	if (!rc)
		snprintf(F.path, sizeof F.path, "%s-wal", db_file);
	else
		F.path[0] = '\0';
	pthread_mutex_unlock(&F.mu);
	return rc;
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
		/* after a rollback of its own changes, or an early commit, the
		 * same request again */
		if (!W.open && !(rc = begin_batch(c, e))) {
			W.open = 1;
			W.failed = 0;
			W.seq++;
			W.members++;
			my_batch = W.seq;
		}
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
	flush();
	if (!rc) {
		c->in_tx = 1;
		c->writer = 1;
		in_turn = 1;
	}
	return rc;
}

/* RELEASE (or COMMIT) of this writer's changes; when that fails they roll
 * back, and a batch they were in can no longer commit. */
static int release(struct db *c, struct err *e)
{
	c->in_tx = 0;
	c->writer = 0;
	int rc = run(c, c->batch ? "RELEASE member" : "COMMIT", e);
	struct err ignore = {0};
	if (rc)
		run(c, c->batch ? "ROLLBACK TO member" : "ROLLBACK", &ignore);
	err_clear(&ignore);
	if (rc && c->batch) {
		pthread_mutex_lock(&W.mu);
		W.failed = 1;
		pthread_mutex_unlock(&W.mu);
	}
	return rc;
}

/* The end of this writer's turn: the batch is committed now if no other
 * member waits, and flushed by this thread if it committed it.  Its
 * batch, returned. */
static uint64_t end_turn(struct db *c)
{
	pthread_mutex_lock(&W.mu);
	uint64_t mine = my_batch;
	leave(c);
	pthread_mutex_unlock(&W.mu);
	flush();
	return mine;
}

/* Under W.mu: rc, or the error of batch mine once it is committed. */
static int batch_result(uint64_t mine, int rc, struct err *e)
{
	int res = W.results[mine % RESULTS];
	if (!rc && res == UNFLUSHED)
		rc = err_set(e, E_DB, "数据未能确认写入磁盘，本次操作可能已经保存，请刷新后核对再决定是否重试");
	else if (!rc && res)
		rc = err_set(e, E_DB, "数据库提交失败，本次操作未保存，请重试");
	return rc;
}

/* rc, or the error of batch mine, once it is committed and flushed. */
static int wait_batch(uint64_t mine, int rc, struct err *e)
{
	pthread_mutex_lock(&W.mu);
	while (W.committed < mine)
		pthread_cond_wait(&W.done, &W.mu);
	rc = batch_result(mine, rc, e);
	pthread_mutex_unlock(&W.mu);
	return rc;
}

int writer_commit(struct db *c, struct err *e)
{
	if (!in_turn || !c->in_tx)
		return 0; /* another request's turn on the shared connection */
	int rc = release(c, e);
	uint64_t mine = end_turn(c);
	return c->batch ? wait_batch(mine, rc, e) : rc;
}

int writer_commit_early(struct db *c, uint64_t *ticket, struct err *e)
{
	*ticket = 0;
	if (!in_turn || !c->in_tx)
		return 0;
	if (!c->batch || !F.path[0])
		return writer_commit(c, e);
	int rc = release(c, e);
	if (rc) /* as writer_commit: its changes went, the batch fails */
		return wait_batch(end_turn(c), rc, e);
	/* the batch commits now, with the members before this one; the turn
	 * stays this request's (no batch open) until writer_end */
	pthread_mutex_lock(&W.mu);
	uint64_t mine = my_batch;
	if (W.open)
		commit_batch(c);
	holding = 1;
	rc = batch_result(mine, 0, e); /* its COMMIT's: the flush has not run */
	pthread_mutex_unlock(&W.mu);
	flush_async();
	if (!rc)
		*ticket = mine;
	return rc;
}

int writer_flushed(uint64_t ticket, struct err *e)
{
	return ticket ? wait_batch(ticket, 0, e) : 0;
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
	flush();
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
