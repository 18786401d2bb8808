/* tmpdb.h — a SQLite file in a fresh temp dir for the unit tests that need
 * a real database, and its removal (with its -wal and -shm). */
#ifndef BANGFU_TEST_TMPDB_H
#define BANGFU_TEST_TMPDB_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct tmpdb {
	char dir[64], path[96];
};

/* 0, or -1 when no dir could be made. */
static inline int tmpdb_make(struct tmpdb *t, const char *prefix)
{
	snprintf(t->dir, sizeof t->dir, "%s/%sXXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", prefix);
	if (!mkdtemp(t->dir))
		return -1;
	snprintf(t->path, sizeof t->path, "%s/t.db", t->dir);
	return 0;
}

static inline void tmpdb_remove(const struct tmpdb *t)
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
