/* db_sqlite.c — the SQLite driver.
 *
 * One connection per worker (the pool).  WAL with synchronous=FULL (the
 * pool's writer connection: NORMAL, and flushed by db_writer.c), so a
 * committed transaction is on disk before the client gets its 2xx; foreign
 * keys on; a busy timeout so concurrent writers queue instead of failing.
 */
#include "db.h"

#include <sqlite3.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads are memory-mapped (up to 1 GiB) with a 32 MiB page cache per
 * connection: list counts over a million archives stay in memory.
 * Compiled statements are kept per connection and reused by SQL text:
 * compiling was a third of the CPU of a simple authenticated request. */
#define STMT_CACHE 128

struct sq_stmt {
	struct db_stmt base;
	sqlite3_stmt *st;
	uint64_t hash;
	const char *sqlp; /* the text it was prepared from, as last asked for */
	int cached, busy;
};

struct sq_db {
	struct db base;
	sqlite3 *h;
	enum db_fail fail;
	struct sq_stmt *cache[STMT_CACHE];
	int ncache, evict; /* evict: next slot to try when full (round robin) */
};

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static enum db_fail classify(int ext)
{
	switch (ext) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY: return DBF_UNIQUE;
	case SQLITE_CONSTRAINT_CHECK:
	case SQLITE_CONSTRAINT_NOTNULL: return DBF_CHECK;
	case SQLITE_CONSTRAINT_FOREIGNKEY: return DBF_FOREIGN;
	}
	switch (ext & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return DBF_BUSY;
	case SQLITE_CONSTRAINT: return DBF_CHECK;
	}
	return DBF_OTHER;
}

static int fail(struct sq_db *c, struct err *e)
{
	c->fail = classify(sqlite3_extended_errcode(c->h));
	if (c->fail == DBF_UNIQUE || c->fail == DBF_CHECK || c->fail == DBF_FOREIGN)
		return err_set(e, E_CONFLICT, "数据冲突：%s", sqlite3_errmsg(c->h));
	return err_set(e, E_DB, "数据库错误：%s", sqlite3_errmsg(c->h));
}

static int sq_exec(struct db *db, const char *sql, struct err *e)
{
	struct sq_db *c = (struct sq_db *)db;
	c->fail = DBF_NONE;
	if (sqlite3_exec(c->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		return fail(c, e);
	return 0;
}

static void sq_close(struct db *db)
{
	struct sq_db *c = (struct sq_db *)db;
	for (int i = 0; i < c->ncache; i++) {
		sqlite3_finalize(c->cache[i]->st);
		free(c->cache[i]);
	}
	sqlite3_close_v2(c->h);
	free(c);
}

/* SQLite keeps memory statistics behind a global mutex on every
 * allocation; bangfu never reads them (a tenth of a bulk import's
 * allocator time went to it). */
static void sq_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int sq_open(const char *url, struct db **out, struct err *e)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sq_configure);
	const char *path = url;
	if (!strncmp(path, "sqlite://", 9))
		path += 9;
	struct sq_db *c = calloc(1, sizeof *c);
	c->base.drv = &db_sqlite_driver;
	int rc = sqlite3_open_v2(path, &c->h,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		err_set(e, E_DB, "无法打开数据库 %s：%s", path,
			c->h ? sqlite3_errmsg(c->h) : "内存不足");
		sq_close(&c->base);
		return -E_DB;
	}
	/* RULE db.qpsg: a plan never depends on the values bound.  Without it,
	 * every statement with `LIKE ?` (each scope check: `o.path LIKE ?`) is
	 * prepared again at every bind, a fifth of the time of opening an
	 * archive; LIKE never used an index here (not case-sensitive). */
	sqlite3_db_config(c->h, SQLITE_DBCONFIG_ENABLE_QPSG, 1, (int *)0);
	sqlite3_busy_timeout(c->h, 10000);
	sqlite3_extended_result_codes(c->h, 1);
	rc = sq_exec(&c->base,
		     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
		     " PRAGMA mmap_size=1073741824; PRAGMA cache_size=" DB_SQLITE_CACHE ";",
		     e);
	if (rc != 0) {
		sq_close(&c->base);
		return rc;
	}
	*out = &c->base;
	return 0;
}

static int sq_prepare(struct db *db, const char *sql, struct db_stmt **out, struct err *e)
{
	struct sq_db *c = (struct sq_db *)db;
	sqlite3_stmt *st = NULL;
	c->fail = DBF_NONE;
	/* most SQL is a literal: the same pointer again (compared in full, as
	 * an arena may hand out the same address for other text) */
	for (int i = 0; i < c->ncache; i++) {
		struct sq_stmt *s = c->cache[i];
		if (s->sqlp == sql && !s->busy && !strcmp(sqlite3_sql(s->st), sql)) {
			s->busy = 1;
			*out = &s->base;
			return 0;
		}
	}
	uint64_t h = fnv1a(sql);
	for (int i = 0; i < c->ncache; i++) {
		struct sq_stmt *s = c->cache[i];
		if (s->hash == h && !s->busy && !strcmp(sqlite3_sql(s->st), sql)) {
			s->busy = 1;
			s->sqlp = sql;
			*out = &s->base;
			return 0;
		}
	}
	if (sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		return fail(c, e);
	struct sq_stmt *s = calloc(1, sizeof *s);
	s->base.conn = db;
	s->st = st;
	s->hash = h;
	s->sqlp = sql;
	s->busy = 1;
	int slot = -1;
	if (c->ncache < STMT_CACHE) {
		slot = c->ncache++;
	} else {
		for (int k = 0; k < STMT_CACHE && slot < 0; k++, c->evict = (c->evict + 1) % STMT_CACHE)
			if (!c->cache[c->evict]->busy) {
				slot = c->evict;
				sqlite3_finalize(c->cache[slot]->st);
				free(c->cache[slot]);
			}
	}
	if (slot >= 0) {
		s->cached = 1;
		c->cache[slot] = s;
	}
	*out = &s->base;
	return 0;
}

#define ST(s) (((struct sq_stmt *)(s))->st)

static int sq_bind_int(struct db_stmt *s, int i, int64_t v)
{
	return sqlite3_bind_int64(ST(s), i, v) == SQLITE_OK ? 0 : -E_INTERNAL;
}

static int sq_bind_text(struct db_stmt *s, int i, const char *v)
{
	int rc = v ? sqlite3_bind_text(ST(s), i, v, -1, SQLITE_TRANSIENT)
		   : sqlite3_bind_null(ST(s), i);
	return rc == SQLITE_OK ? 0 : -E_INTERNAL;
}

static int sq_bind_text_static(struct db_stmt *s, int i, const char *v)
{
	int rc = v ? sqlite3_bind_text(ST(s), i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(ST(s), i);
	return rc == SQLITE_OK ? 0 : -E_INTERNAL;
}

static int sq_bind_null(struct db_stmt *s, int i)
{
	return sqlite3_bind_null(ST(s), i) == SQLITE_OK ? 0 : -E_INTERNAL;
}

static int sq_step(struct db_stmt *s, struct err *e)
{
	struct sq_db *c = (struct sq_db *)s->conn;
	c->fail = DBF_NONE;
	int rc = sqlite3_step(ST(s));
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	return fail(c, e);
}

static int sq_col_count(struct db_stmt *s) { return sqlite3_column_count(ST(s)); }
static const char *sq_col_name(struct db_stmt *s, int i) { return sqlite3_column_name(ST(s), i); }

static enum db_coltype sq_col_type(struct db_stmt *s, int i)
{
	switch (sqlite3_column_type(ST(s), i)) {
	case SQLITE_NULL: return DBC_NULL;
	case SQLITE_INTEGER: return DBC_INT;
	case SQLITE_FLOAT: return DBC_REAL;
	default: return DBC_TEXT;
	}
}

static int64_t sq_col_int(struct db_stmt *s, int i) { return sqlite3_column_int64(ST(s), i); }

static const char *sq_col_text(struct db_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(ST(s), i);
}

static void sq_finalize(struct db_stmt *s)
{
	struct sq_stmt *q = (struct sq_stmt *)s;
	if (q->cached) {
		sqlite3_reset(q->st);
		sqlite3_clear_bindings(q->st);
		q->busy = 0;
		return;
	}
	sqlite3_finalize(q->st);
	free(q);
}

static enum db_fail sq_last_fail(struct db *db) { return ((struct sq_db *)db)->fail; }

static int64_t sq_inserted_id(struct db *db)
{
	sqlite3 *h = ((struct sq_db *)db)->h;
	if (sqlite3_changes(h) <= 0)
		return 0;
	int64_t id = sqlite3_last_insert_rowid(h);
	return id ? id : 1; /* a table WITHOUT ROWID: written, with no key */
}

/* Blobs by incremental I/O: the row is written with a zeroblob of the right
 * size, then filled in 256 KiB pieces straight from the caller's buffer, so
 * SQLite never holds a second copy of the file in one piece. */
#define BLOB_PIECE (256u << 10)

static int sq_blob_insert(struct db *db, const char *table, const char *key_col, const char *col,
			  int64_t key, const void *data, size_t len, struct err *e)
{
	struct sq_db *c = (struct sq_db *)db;
	char sql[256];
	sqlite3_stmt *st = NULL;
	sqlite3_blob *b = NULL;
	int rc;
	c->fail = DBF_NONE;
	snprintf(sql, sizeof sql, "INSERT INTO %s (%s, %s) VALUES (?, zeroblob(?))", table, key_col, col);
	if (len > 0x7fffffff)
		return err_set(e, E_TOO_LARGE, "文件过大");
	if (sqlite3_prepare_v2(c->h, sql, -1, &st, NULL) != SQLITE_OK)
		return fail(c, e);
	sqlite3_bind_int64(st, 1, key);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)len);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(c, e);
	if (sqlite3_blob_open(c->h, "main", table, col, key, 1, &b) != SQLITE_OK)
		return fail(c, e);
	for (size_t off = 0; off < len; off += BLOB_PIECE) {
		size_t n = len - off < BLOB_PIECE ? len - off : BLOB_PIECE;
		if (sqlite3_blob_write(b, (const char *)data + off, (int)n, (int)off) != SQLITE_OK) {
			sqlite3_blob_close(b);
			return fail(c, e);
		}
	}
	if (sqlite3_blob_close(b) != SQLITE_OK)
		return fail(c, e);
	return 0;
}

/* The n bytes at off of the blob of len bytes in the row `rowid = key`,
 * read straight into buf (a whole file, or a piece of a download). */
static int sq_blob_read_at(struct db *db, const char *table, const char *col, int64_t key, size_t len,
			   size_t off, void *buf, size_t n, struct err *e)
{
	struct sq_db *c = (struct sq_db *)db;
	sqlite3_blob *b = NULL;
	c->fail = DBF_NONE;
	int rc = sqlite3_blob_open(c->h, "main", table, col, key, 0, &b);
	if (rc != SQLITE_OK) {
		sqlite3_blob_close(b);
		return rc == SQLITE_ERROR ? err_set(e, E_NOT_FOUND, "文件内容不存在") : fail(c, e);
	}
	if ((size_t)sqlite3_blob_bytes(b) != len || off > len || n > len - off) {
		sqlite3_blob_close(b);
		return err_set(e, E_INTERNAL, "文件内容长度与记录不符");
	}
	for (size_t at = 0; at < n; at += BLOB_PIECE) {
		size_t k = n - at < BLOB_PIECE ? n - at : BLOB_PIECE;
		if (sqlite3_blob_read(b, (char *)buf + at, (int)k, (int)(off + at)) != SQLITE_OK) {
			sqlite3_blob_close(b);
			return fail(c, e);
		}
	}
	sqlite3_blob_close(b);
	return 0;
}

static int sq_blob_read(struct db *db, const char *table, const char *col, int64_t key, void *buf,
			size_t len, struct err *e)
{
	return sq_blob_read_at(db, table, col, key, len, 0, buf, len, e);
}

const char *db_sqlite_file(struct db *db)
{
	return sqlite3_db_filename(((struct sq_db *)db)->h, "main");
}

const struct db_driver db_sqlite_driver = {
	.name = "sqlite",
	.kind = DB_SQLITE,
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.bind_int = sq_bind_int,
	.bind_text = sq_bind_text,
	.bind_text_static = sq_bind_text_static,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.col_count = sq_col_count,
	.col_name = sq_col_name,
	.col_type = sq_col_type,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.finalize = sq_finalize,
	.last_fail = sq_last_fail,
	.inserted_id = sq_inserted_id,
	.blob_insert = sq_blob_insert,
	.blob_read = sq_blob_read,
	.blob_read_at = sq_blob_read_at,
	.id_column = "INTEGER PRIMARY KEY AUTOINCREMENT",
};
