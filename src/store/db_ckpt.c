/* db_ckpt.c — the server's WAL checkpoints, on a thread of their own
 * (RULE db.checkpoint).
 *
 * By default SQLite checkpoints in the commit that takes the WAL past 1,000
 * pages: the committing connection copies the WAL's pages into the
 * database before its commit returns.  In the server that connection is
 * the group commit's (db_writer.c), which every request writer waits for,
 * so a create paid for a share of each checkpoint inside the one writer's
 * turn (9 % of its CPU at a million archives).  This thread, on a
 * connection of its own, runs a PASSIVE checkpoint every period: it copies
 * what no reader still needs.  The pool's connections checkpoint only past
 * DB_CKPT_BACKSTOP pages (db.c), which bounds the WAL under writers that
 * never pause: the WAL starts again from its beginning only after a
 * checkpoint that copied all of it.
 *
 * Each checkpoint is made in the writers' turn (db_writer.c), between two
 * of their transactions, never beside one: SQLite up to 3.51.2 (Debian 12
 * has 3.40) has the "WAL-reset bug" (sqlite.org/wal.html#walresetbug), in
 * which a checkpoint that runs while another connection commits and starts
 * the WAL again from its beginning can record frames as copied that were
 * not, and readers then read old pages from the database file.  A
 * checkpoint every 50 ms beside a stream of commits made that rare race
 * common enough to show: a `bangfu check` in the clean-clone run of the
 * tests found three archives of a fresh import missing under their
 * members.  In the turn, a checkpoint waits for the open batch to commit,
 * and the writers wait for its copy.
 *
 * So the period is long (DB_CKPT_MS, a second): the thread brings the
 * database file up to date when the writes pause, and under a stream of
 * writes the backstop's commit checkpoints.  Every 50 ms, at a million
 * archives under 64 creating clients, the thread's 166 checkpoints held
 * the turn 2.0 s of 10 s (12 ms each: two fsyncs and the pages copied);
 * each copied again the index pages the one before had copied.  Every
 * second, the server wrote 155-170 KB a create instead of 255-275 KB and
 * answered 8-12 % more creates (docs/benchmarks.md).
 */
#include "store/db_ckpt.h"
#include "store/db_writer.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

struct db_ckpt {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop, running;
	long period_ms;
	long runs; /* checkpoints made */
	struct db *c;
};

static void checkpoint(void *arg)
{
	struct db_ckpt *k = arg;
	struct err ignore = {0}; /* busy or failed: the next turn tries again */
	if (!db_exec(k->c, "PRAGMA wal_checkpoint(PASSIVE)", &ignore))
		__atomic_add_fetch(&k->runs, 1, __ATOMIC_RELAXED);
	err_clear(&ignore);
}

static void *run(void *arg)
{
	struct db_ckpt *k = arg;
	sigset_t all; /* the process's signals are its main thread's to take */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	pthread_mutex_lock(&k->mu);
	while (!k->stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += k->period_ms / 1000;
		ts.tv_nsec += k->period_ms % 1000 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&k->cv, &k->mu, &ts);
		if (k->stop)
			break;
		pthread_mutex_unlock(&k->mu);
		writer_alone(checkpoint, k);
		pthread_mutex_lock(&k->mu);
	}
	pthread_mutex_unlock(&k->mu);
	return NULL;
}

int db_ckpt_start(const char *url, long period_ms, struct db_ckpt **out, struct err *e)
{
	struct db_ckpt *k = calloc(1, sizeof *k);
	if (!k)
		return err_set(e, E_INTERNAL, "内存不足");
	k->period_ms = period_ms;
	int rc = db_open(url, &k->c, e);
	if (rc) {
		free(k);
		return rc;
	}
	pthread_mutex_init(&k->mu, NULL);
	pthread_cond_init(&k->cv, NULL);
	if (pthread_create(&k->thread, NULL, run, k)) {
		db_ckpt_stop(k);
		return err_set(e, E_INTERNAL, "无法启动检查点线程");
	}
	k->running = 1;
	*out = k;
	return 0;
}

void db_ckpt_stop(struct db_ckpt *k)
{
	if (!k)
		return;
	pthread_mutex_lock(&k->mu);
	k->stop = 1;
	pthread_cond_signal(&k->cv);
	pthread_mutex_unlock(&k->mu);
	if (k->running)
		pthread_join(k->thread, NULL);
	db_close(k->c);
	pthread_mutex_destroy(&k->mu);
	pthread_cond_destroy(&k->cv);
	free(k);
}

long db_ckpt_runs(struct db_ckpt *k)
{
	return k ? __atomic_load_n(&k->runs, __ATOMIC_RELAXED) : 0;
}
