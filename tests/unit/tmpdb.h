/* tmpdb.h — a SQLite file of a unit test of the store (test_db_*.c), in a
 * directory of its own under TMPDIR, removed with its -wal and -shm; and
 * the usual fixture: that file opened with one schema.  Include after
 * cmocka.h. */
#ifndef BANGFU_TEST_TMPDB_H
#define BANGFU_TEST_TMPDB_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"

struct tmpdb {
	char dir[64], path[96];
};

static inline void tmpdb_make(struct tmpdb *t, const char *prefix)
{
	snprintf(t->dir, sizeof t->dir, "%s/%sXXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", prefix);
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof t->path, "%s/t.db", t->dir);
}

static inline void tmpdb_remove(struct tmpdb *t)
{
	char p[128];
	const char *ext[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", t->path, ext[i]);
		unlink(p);
	}
	rmdir(t->dir);
}

static inline void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* A server's pool (2 connections and the writer) on a new file made with
 * `schema` (the store's pool tests). */
static inline struct db_pool *tmpdb_pool(struct tmpdb *t, const char *prefix, const char *schema)
{
	struct err e = {0};
	struct db *c = NULL;
	tmpdb_make(t, prefix);
	assert_int_equal(db_open(t->path, &c, &e), 0);
	assert_int_equal(db_exec(c, schema, &e), 0);
	db_close(c);
	struct db_pool *p = NULL;
	assert_int_equal(db_pool_open(t->path, 2, &p, &e), 0);
	return p;
}

/* The fixture: the file opened on f->c with `schema` run. */
struct fx {
	struct tmpdb t;
	struct db *c;
};

static inline struct fx *tmpdb_open(const char *schema)
{
	struct fx *f = calloc(1, sizeof *f);
	struct err e = {0};
	tmpdb_make(&f->t, "dbtest");
	assert_int_equal(db_open(f->t.path, &f->c, &e), 0);
	assert_int_equal(db_exec(f->c, schema, &e), 0);
	return f;
}

static inline int teardown(void **state)
{
	struct fx *f = *state;
	db_close(f->c);
	tmpdb_remove(&f->t);
	free(f);
	return 0;
}

#endif
