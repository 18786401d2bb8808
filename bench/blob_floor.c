/* blob_floor.c — the floor of the attachment bench (issue 19): the same
 * bytes copied into and out of a SQLite blob with nothing else, in WAL
 * mode with synchronous=FULL as bangfu's database, SQLite's defaults
 * otherwise (no memory map, a 2 MB page cache: its reads are pread()s).
 * bangfu maps its file (mmap_size 1 GiB, a 32 MiB cache): with those two
 * settings this program read 4.8-6.3 GB/s of 1 MiB blobs where it reads
 * 2.9-3.4 as it is, on the same machine (2026-12-07).
 *   blob_floor DB SIZE_BYTES COUNT
 * prints "write MBps read MBps": COUNT rows of SIZE bytes inserted (one
 * transaction each, zeroblob + incremental writes), then read back whole. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void die(sqlite3 *h, const char *what)
{
	fprintf(stderr, "blob_floor: %s: %s\n", what, h ? sqlite3_errmsg(h) : "?");
	exit(1);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: blob_floor DB SIZE_BYTES COUNT\n");
		return 2;
	}
	long size = atol(argv[2]), count = atol(argv[3]);
	unsigned char *buf = malloc((size_t)size);
	if (!buf || size < 1 || count < 1)
		return 2;
	for (long i = 0; i < size; i++)
		buf[i] = (unsigned char)(i * 131 + 7);
	sqlite3 *h;
	if (sqlite3_open(argv[1], &h) != SQLITE_OK)
		die(h, "open");
	if (sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			    "CREATE TABLE IF NOT EXISTS b (id INTEGER PRIMARY KEY, bytes BLOB NOT NULL)", 0, 0, 0) != SQLITE_OK)
		die(h, "schema");
	sqlite3_stmt *ins;
	if (sqlite3_prepare_v2(h, "INSERT INTO b (bytes) VALUES (zeroblob(?))", -1, &ins, 0) != SQLITE_OK)
		die(h, "prepare");
	double t0 = now();
	for (long k = 0; k < count; k++) {
		sqlite3_blob *b;
		sqlite3_exec(h, "BEGIN IMMEDIATE", 0, 0, 0);
		sqlite3_bind_int64(ins, 1, size);
		if (sqlite3_step(ins) != SQLITE_DONE)
			die(h, "insert");
		sqlite3_reset(ins);
		if (sqlite3_blob_open(h, "main", "b", "bytes", sqlite3_last_insert_rowid(h), 1, &b) != SQLITE_OK)
			die(h, "blob_open");
		for (long off = 0; off < size; off += 262144) {
			int n = (int)(size - off < 262144 ? size - off : 262144);
			if (sqlite3_blob_write(b, buf + off, n, (int)off) != SQLITE_OK)
				die(h, "blob_write");
		}
		sqlite3_blob_close(b);
		if (sqlite3_exec(h, "COMMIT", 0, 0, 0) != SQLITE_OK)
			die(h, "commit");
	}
	double tw = now() - t0;
	t0 = now();
	for (long k = 1; k <= count; k++) {
		sqlite3_blob *b;
		if (sqlite3_blob_open(h, "main", "b", "bytes", k, 0, &b) != SQLITE_OK)
			die(h, "blob_open read");
		if (sqlite3_blob_read(b, buf, (int)size, 0) != SQLITE_OK)
			die(h, "blob_read");
		sqlite3_blob_close(b);
	}
	double tr = now() - t0;
	double mb = (double)size * count / 1048576.0;
	printf("%.1f %.1f\n", mb / tw, mb / tr);
	sqlite3_finalize(ins);
	sqlite3_close(h);
	free(buf);
	return 0;
}
