/* tmpdb.h — a SQLite file of a unit test of the store, in a directory of
 * its own under TMPDIR, removed with its -wal and -shm. */
#ifndef BANGFU_TEST_TMPDB_H
#define BANGFU_TEST_TMPDB_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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

#endif
