/* tmpdb.h — a SQLite file in a directory of its own for the unit tests
 * of the store (test_db_*.c): made with one schema, removed with its WAL
 * files.  Include after cmocka.h. */
#ifndef BANGFU_TEST_TMPDB_H
#define BANGFU_TEST_TMPDB_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/db.h"

struct fx {
	char dir[64], path[96];
	struct db *c;
};

static struct fx *tmpdb_open(const char *schema)
{
	struct fx *f = calloc(1, sizeof *f);
	struct err e = {0};
	snprintf(f->dir, sizeof f->dir, "%s/dbtestXXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	assert_int_equal(db_open(f->path, &f->c, &e), 0);
	assert_int_equal(db_exec(f->c, schema, &e), 0);
	return f;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char p[128];
	db_close(f->c);
	const char *ext[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", f->path, ext[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

#endif
