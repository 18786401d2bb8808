/* db_writer.h — SQLite's writers of one process, in turn, by group commit
 * (db_writer.c).  db_begin/db_commit/db_rollback call these for writes on
 * SQLite; a connection with `batch` set is the pool's writer connection,
 * whose writers share one transaction, each inside a SAVEPOINT. */
#ifndef BANGFU_DB_WRITER_H
#define BANGFU_DB_WRITER_H

#include "store/db.h"

int writer_begin(struct db *c, struct err *e);
/* For the batch connection: returns once the batch holding this writer's
 * changes has committed (its error when the commit failed). */
int writer_commit(struct db *c, struct err *e);
/* For the batch connection: commits the batch holding this writer's
 * changes now (visible; its error when the COMMIT failed) and hands its
 * flush to the flusher thread; writer_flushed(*ticket) waits for that
 * flush (RULE privacy.download).  The turn stays the request's, without a
 * batch, until writer_end: it may read on (or begin again).  Elsewhere,
 * writer_commit and *ticket 0. */
int writer_commit_early(struct db *c, uint64_t *ticket, struct err *e);
/* Once the batch of ticket is on disk: 0, or the error of its flush. */
int writer_flushed(uint64_t ticket, struct err *e);
/* For the batch connection the turn is kept until writer_end(): the
 * request may read on, or write again (the audit of a refusal). */
void writer_rollback(struct db *c);
/* The end of a request that used the batch connection c. */
void writer_end(struct db *c);
/* Runs fn(arg) in the writers' turn between batches, as a writer that
 * needs the database alone, without a transaction of its own (the
 * checkpoints of db_ckpt.c). */
void writer_alone(void (*fn)(void *), void *arg);
/* The pool's writer connection c of the database file db_file: its
 * batches commit with synchronous=NORMAL and the member that committed
 * flushes the WAL after giving up the turn, before any member is answered
 * (RULE db.flush_after_turn). */
int writer_wal(struct db *c, const char *db_file, struct err *e);

#endif
