/* db_ckpt.h — the server's WAL checkpoints on a thread of their own
 * (SQLite; db_ckpt.c). */
#ifndef BANGFU_DB_CKPT_H
#define BANGFU_DB_CKPT_H

#include "store/db.h"

/* The pages in the WAL past which a commit of the pool checkpoints itself
 * (PRAGMA wal_autocheckpoint): 32 MiB of 4 KiB pages. */
#define DB_CKPT_BACKSTOP "8192"
/* The thread's period.  Each of its checkpoints holds the writers' turn
 * (db_ckpt.c) and pays two fsyncs and every page it copies: the backstop,
 * not the thread, checkpoints a busy server. */
#define DB_CKPT_MS 1000

struct db_ckpt;
/* Opens a connection to url and checkpoints on it every period_ms until
 * stopped. */
int db_ckpt_start(const char *url, long period_ms, struct db_ckpt **out, struct err *e);
/* How many checkpoints the thread has made. */
long db_ckpt_runs(struct db_ckpt *k);
/* Stops the thread and closes its connection; NULL is a no-op. */
void db_ckpt_stop(struct db_ckpt *k);

#endif
