/* db.c — dispatch to the driver, convenience queries, and the pool. */
#include "db.h"
#include "store/db_ckpt.h"
#include "store/db_writer.h"

#include "rules/utf8.h"

#include <pthread.h>
#include <stdarg.h>
#include <string.h>

int db_open(const char *url, struct db **out, struct err *e)
{
	*out = NULL;
	if (!url || !*url)
		return err_set(e, E_USAGE, "未指定数据库（--db 或 BANGFU_DB）");
	if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11))
		return db_pg_driver.open(url, out, e);
	return db_sqlite_driver.open(url, out, e);
}

void db_close(struct db *c)
{
	if (c)
		c->drv->close(c);
}

enum db_kind db_kind(const struct db *c) { return c->drv->kind; }
int db_exec(struct db *c, const char *sql, struct err *e) { return c->drv->exec(c, sql, e); }

int db_prepare(struct db *c, const char *sql, struct db_stmt **out, struct err *e)
{
	return c->drv->prepare(c, sql, out, e);
}

int db_bind_int(struct db_stmt *s, int i, int64_t v) { return s->conn->drv->bind_int(s, i, v); }
/* RULE store.utf8: no text that is not UTF-8 reaches the database.  The
 * edges decode or refuse what they are given; this is the last guard, for
 * both engines alike (PostgreSQL refuses such text by itself, SQLite would
 * keep it, and every JSON answer reading it back would break). */
static int text_ok(const char *v)
{
	return !v || utf8_valid(v, strlen(v));
}

int db_bind_text(struct db_stmt *s, int i, const char *v)
{
	return text_ok(v) ? s->conn->drv->bind_text(s, i, v) : -E_VALIDATION_FAILED;
}

/* The error of a failed bind: rc from the bind. */
static void bind_failed(struct err *e, int rc)
{
	if (rc == -E_VALIDATION_FAILED)
		err_set(e, E_VALIDATION_FAILED, "文本含有无效字符（不是 UTF-8 编码），未保存");
	else
		err_set(e, E_INTERNAL, "参数绑定失败");
}
int db_bind_null(struct db_stmt *s, int i) { return s->conn->drv->bind_null(s, i); }
int db_step(struct db_stmt *s, struct err *e) { return s->conn->drv->step(s, e); }
int db_col_count(struct db_stmt *s) { return s->conn->drv->col_count(s); }
const char *db_col_name(struct db_stmt *s, int i) { return s->conn->drv->col_name(s, i); }
enum db_coltype db_col_type(struct db_stmt *s, int i) { return s->conn->drv->col_type(s, i); }
int64_t db_col_int(struct db_stmt *s, int i) { return s->conn->drv->col_int(s, i); }
const char *db_col_text(struct db_stmt *s, int i) { return s->conn->drv->col_text(s, i); }
int db_col_is_null(struct db_stmt *s, int i) { return db_col_type(s, i) == DBC_NULL; }
enum db_fail db_last_fail(struct db *c) { return c->drv->last_fail(c); }

void db_finalize(struct db_stmt *s)
{
	if (s)
		s->conn->drv->finalize(s);
}

int db_blob_insert(struct db *c, const char *table, const char *key_col, const char *col, int64_t key,
		   const void *data, size_t len, struct err *e)
{
	return c->drv->blob_insert(c, table, key_col, col, key, data, len, e);
}

int db_blob_read(struct db *c, const char *table, const char *col, int64_t key, void *buf, size_t len,
		 struct err *e)
{
	return c->drv->blob_read(c, table, col, key, buf, len, e);
}

int db_blob_pieces(const struct db *c)
{
	return c->drv->blob_read_at != NULL;
}

int db_blob_read_at(struct db *c, const char *table, const char *col, int64_t key, size_t len, size_t off,
		    void *buf, size_t n, struct err *e)
{
	if (!c->drv->blob_read_at)
		return err_set(e, E_INTERNAL, "数据库不支持分段读取文件");
	return c->drv->blob_read_at(c, table, col, key, len, off, buf, n, e);
}

/* BEGIN, COMMIT, ROLLBACK: on SQLite from the statement cache (sqlite3_exec
 * parsed them at every call: a read transaction per request makes that
 * count). */
static int tx_exec(struct db *c, const char *sql, struct err *e)
{
	return c->drv->kind == DB_SQLITE ? db_run(c, e, sql, "") : db_exec(c, sql, e);
}

/* SQLite has one writer at a time: its writers take turns, and the request
 * writers of a server share their commits (db_writer.c). */
int db_begin(struct db *c, int write, struct err *e)
{
	if (c->drv->kind == DB_SQLITE && write)
		return writer_begin(c, e);
	int rc = tx_exec(c, "BEGIN", e);
	if (rc == 0)
		c->in_tx = 1;
	return rc;
}

/* The end of db_begin_bulk's transaction: the connection as db_open left it. */
static void bulk_end(struct db *c)
{
	if (!c->bulk || c->in_tx)
		return;
	struct err ignore = {0};
	c->bulk = 0;
	db_exec(c, "PRAGMA foreign_keys=ON; PRAGMA temp_store=DEFAULT", &ignore);
	err_clear(&ignore);
}

int db_begin_bulk(struct db *c, struct err *e)
{
	if (c->drv->kind != DB_SQLITE)
		return db_begin(c, 1, e);
	/* foreign_keys is a no-op inside a transaction, so it is set before
	 * and back after (bulk_end); the pager reads temp_store at BEGIN for
	 * the whole transaction, and set back at once, with no temporary
	 * database open yet, later temporary tables are on disk.  The page
	 * cache stays the connection's 32 MiB: with 4 MiB the indexes of a
	 * million-row import spilled and were read back (a tenth of its CPU,
	 * docs/benchmarks.md); the peak stays flat past 100,000 rows. */
	int rc = db_exec(c, "PRAGMA foreign_keys=OFF; PRAGMA temp_store=MEMORY", e);
	c->bulk = 1;
	if (!rc && !(rc = db_begin(c, 1, e)) && (rc = db_exec(c, "PRAGMA temp_store=DEFAULT", e)))
		db_rollback(c);
	else if (rc)
		bulk_end(c);
	return rc;
}

int db_commit(struct db *c, struct err *e)
{
	if (c->writer) {
		int rc = writer_commit(c, e);
		bulk_end(c);
		return rc;
	}
	int rc = tx_exec(c, "COMMIT", e);
	if (rc != 0)
		db_rollback(c);
	c->in_tx = 0;
	bulk_end(c);
	return rc;
}

int db_commit_early(struct db *c, uint64_t *ticket, struct err *e)
{
	*ticket = 0;
	if (c->writer && !c->bulk)
		return writer_commit_early(c, ticket, e);
	return db_commit(c, e);
}

int db_wait_flushed(uint64_t ticket, struct err *e)
{
	return writer_flushed(ticket, e);
}

void db_rollback(struct db *c)
{
	if (c && c->writer) {
		writer_rollback(c);
		bulk_end(c);
		return;
	}
	if (!c || !c->in_tx)
		return;
	struct err ignore = {0};
	tx_exec(c, "ROLLBACK", &ignore);
	err_clear(&ignore);
	c->in_tx = 0;
	bulk_end(c);
}

/* RULE report.snapshot: one committed state for a whole read. */
int db_begin_snapshot(struct db *c, struct err *e)
{
	if (c->drv->kind == DB_SQLITE)
		return db_begin(c, 0, e);
	int rc = db_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", e);
	if (rc == 0)
		c->in_tx = 1;
	return rc;
}

/* SQLite: begins a read transaction on each reader and reads page 1,
 * which fixes its WAL snapshot.  The snapshots are one when c's
 * data_version (it changes when another connection commits) is the same
 * before and after; otherwise a commit landed in between: try again. */
static int sq_readers(struct db *c, int n, struct db **out, struct err *e)
{
	for (int attempt = 0; attempt < 20; attempt++) {
		int64_t v0 = 0, v1 = 0;
		int rc = db_int(c, e, &v0, NULL, "PRAGMA data_version", "");
		for (int i = 0; rc == 0 && i < n; i++) {
			db_rollback(out[i]);
			if ((rc = db_begin(out[i], 0, e)) == 0)
				rc = db_int(out[i], e, &(int64_t){0}, NULL, "SELECT COUNT(*) FROM sqlite_master", "");
		}
		if (rc == 0)
			rc = db_int(c, e, &v1, NULL, "PRAGMA data_version", "");
		if (rc || v0 == v1)
			return rc;
	}
	return err_set(e, E_DB, "数据库正被持续写入，未能取得一致的读取快照，请稍后重试");
}

/* RULE report.snapshot: SQLite readers on one snapshot, without taking
 * the writer lock (a long import would hold a report up). */
int db_snapshot_readers(struct db *c, const char *url, int n, struct db **out, struct err *e)
{
	int rc = 0, i;
	for (i = 0; i < n; i++)
		out[i] = NULL;
	if (c->in_tx || c->drv->kind != DB_SQLITE)
		return err_set(e, E_INTERNAL, "内部错误：快照读取须在 SQLite 上、事务之外开始");
	for (i = 0; rc == 0 && i < n; i++)
		rc = db_open(url, &out[i], e);
	if (rc == 0)
		rc = sq_readers(c, n, out, e);
	if (rc)
		for (i = 0; i < n; i++) {
			db_rollback(out[i]);
			db_close(out[i]);
			out[i] = NULL;
		}
	return rc;
}

/* keep: the arguments outlive the statement's use (no copy of texts) */
static int bind_va(struct db_stmt *s, const char *fmt, va_list ap, int keep)
{
	int rc = 0;
	int (*text)(struct db_stmt *, int, const char *) =
		keep && s->conn->drv->bind_text_static ? s->conn->drv->bind_text_static : s->conn->drv->bind_text;
	for (int i = 0; fmt && fmt[i] && rc == 0; i++) {
		switch (fmt[i]) {
		case 'i': rc = db_bind_int(s, i + 1, va_arg(ap, int64_t)); break;
		case 's': {
			const char *v = va_arg(ap, const char *);
			rc = text_ok(v) ? text(s, i + 1, v) : -E_VALIDATION_FAILED;
			break;
		}
		case 'n': rc = db_bind_null(s, i + 1); break;
		case 'z': {
			int64_t v = va_arg(ap, int64_t);
			rc = v ? db_bind_int(s, i + 1, v) : db_bind_null(s, i + 1);
			break;
		}
		default: rc = -E_INTERNAL;
		}
	}
	return rc;
}

/* Placeholders outside quotes: must match the format's letters. */
static int count_params(const char *sql)
{
	int n = 0;
	char q = 0;
	for (; *sql; sql++) {
		if (q) {
			if (*sql == q)
				q = 0;
		} else if (*sql == '\'' || *sql == '"') {
			q = *sql;
		} else if (*sql == '?') {
			n++;
		}
	}
	return n;
}

static struct db_stmt *q_va(struct db *c, struct err *e, const char *sql, const char *fmt,
			    va_list ap, int keep)
{
	struct db_stmt *s = NULL;
	if (count_params(sql) != (int)strlen(fmt)) {
		err_set(e, E_INTERNAL, "程序错误：SQL 参数个数与格式不符（%d ≠ %zu）", count_params(sql),
			strlen(fmt));
		return NULL;
	}
	if (db_prepare(c, sql, &s, e) != 0)
		return NULL;
	int rc = bind_va(s, fmt, ap, keep);
	if (rc != 0) {
		db_finalize(s);
		bind_failed(e, rc);
		return NULL;
	}
	return s;
}

struct db_stmt *db_q(struct db *c, struct err *e, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct db_stmt *s = q_va(c, e, sql, fmt, ap, 0);
	va_end(ap);
	return s;
}

int db_run_ahead(struct db_stmt **s, int n, struct err *e)
{
	return n > 1 && s[0]->conn->drv->run_ahead ? s[0]->conn->drv->run_ahead(s, n, e) : 0;
}

int db_run(struct db *c, struct err *e, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct db_stmt *s = q_va(c, e, sql, fmt, ap, 1);
	va_end(ap);
	if (!s)
		return -(int)(e && e->code ? e->code : E_DB);
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW)
		;
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

/* The INSERT as the engine takes it: with RETURNING id on PostgreSQL. */
static const char *insert_sql(struct db *c, const char *sql, char buf[4096])
{
	if (c->drv->inserted_id)
		return sql;
	return snprintf(buf, 4096, "%s RETURNING id", sql) < 4096 ? buf : NULL;
}

static int insert_done(struct db *c, struct err *e, int64_t *id, struct db_stmt *s);

int db_insert(struct db *c, struct err *e, int64_t *id, const char *sql, const char *fmt, ...)
{
	char buf[4096];
	*id = 0;
	if (!(sql = insert_sql(c, sql, buf)))
		return err_set(e, E_INTERNAL, "程序错误：SQL 过长");
	va_list ap;
	va_start(ap, fmt);
	struct db_stmt *s = q_va(c, e, sql, fmt, ap, 1);
	va_end(ap);
	return insert_done(c, e, id, s);
}

int db_insert_args(struct db *c, struct err *e, int64_t *id, const char *sql, const struct db_args *a)
{
	char buf[4096];
	*id = 0;
	if (!(sql = insert_sql(c, sql, buf)))
		return err_set(e, E_INTERNAL, "程序错误：SQL 过长");
	return insert_done(c, e, id, db_q_args(c, e, sql, a));
}

/* Steps the INSERT s (NULL: preparing failed) and reads the new key. */
static int insert_done(struct db *c, struct err *e, int64_t *id, struct db_stmt *s)
{
	if (!s)
		return -(int)(e && e->code ? e->code : E_DB);
	int rc = db_step(s, e);
	if (rc == DB_ROW)
		*id = db_col_int(s, 0);
	while (rc == DB_ROW)
		rc = db_step(s, e);
	db_finalize(s);
	if (rc < 0)
		return rc;
	if (c->drv->inserted_id)
		*id = c->drv->inserted_id(c);
	return 0;
}

int db_int(struct db *c, struct err *e, int64_t *out, int *found, const char *sql,
	   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct db_stmt *s = q_va(c, e, sql, fmt, ap, 1);
	va_end(ap);
	if (found)
		*found = 0;
	if (!s)
		return -(int)(e && e->code ? e->code : E_DB);
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		*out = db_col_int(s, 0);
		if (found)
			*found = 1;
		rc = 0;
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

void db_arg_int(struct db_args *a, int64_t v)
{
	if (a->n < DB_ARGS_MAX) {
		a->type[a->n] = 'i';
		a->i[a->n++] = v;
	}
}

void db_arg_str(struct db_args *a, const char *v)
{
	if (a->n < DB_ARGS_MAX) {
		a->type[a->n] = 's';
		a->s[a->n++] = v;
	}
}

struct db_stmt *db_q_args(struct db *c, struct err *e, const char *sql, const struct db_args *a)
{
	struct db_stmt *s = NULL;
	if (db_prepare(c, sql, &s, e) != 0)
		return NULL;
	for (int i = 0; i < a->n; i++) {
		int rc = a->type[i] == 'i' ? db_bind_int(s, i + 1, a->i[i])
					   : db_bind_text(s, i + 1, a->s[i]);
		if (rc) {
			db_finalize(s);
			bind_failed(e, rc);
			return NULL;
		}
	}
	return s;
}

int db_each(struct db *c, struct err *e, const char *sql, const struct db_args *a, db_row_fn fn,
	    void *arg)
{
	struct db_stmt *s = db_q_args(c, e, sql, a);
	if (!s)
		return -E_DB;
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		json_t *row = db_row_json(s);
		rc = row ? fn(arg, row, e) : err_set(e, E_INTERNAL, NULL);
		json_decref(row);
		if (rc < 0)
			break;
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

int db_move_status(struct db *c, struct err *e, const char *table, int64_t id, const char *from,
		   int64_t version, const char *to, const char *now, const char *set,
		   const struct db_args *a)
{
	char sql[768];
	snprintf(sql, sizeof sql,
		 "UPDATE %s SET status = ?, version = version + 1, updated_at = ?%s"
		 " WHERE id = ? AND status = ? AND version = ? RETURNING id",
		 table, set ? set : "");
	struct db_args all = {0};
	db_arg_str(&all, to);
	db_arg_str(&all, now);
	for (int i = 0; a && i < a->n; i++)
		a->type[i] == 'i' ? db_arg_int(&all, a->i[i]) : db_arg_str(&all, a->s[i]);
	db_arg_int(&all, id);
	db_arg_str(&all, from);
	db_arg_int(&all, version);
	struct db_stmt *s = db_q_args(c, e, sql, &all);
	if (!s)
		return -E_DB;
	int rc = db_step(s, e);
	db_finalize(s);
	return rc;
}

int db_page(struct db *c, struct err *e, const char *cols, const char *from, const char *order,
	    struct db_args *a, int64_t limit, int64_t offset, json_t **items, int64_t *total)
{
	return db_page_counted(c, e, cols, from, from, order, a, limit, offset, items, total);
}

int db_page_counted(struct db *c, struct err *e, const char *cols, const char *from, const char *count_from,
		    const char *order, struct db_args *a, int64_t limit, int64_t offset, json_t **items,
		    int64_t *total)
{
	size_t n = strlen(cols) + (strlen(from) > strlen(count_from) ? strlen(from) : strlen(count_from)) +
		   strlen(order) + 64;
	char *sql = malloc(n);
	if (!strncmp(count_from, "SELECT ", 7))
		snprintf(sql, n, "%s", count_from);
	else
		snprintf(sql, n, "SELECT COUNT(*) %s", count_from);
	struct db_stmt *s = db_q_args(c, e, sql, a);
	int rc = s ? db_step(s, e) : -E_DB;
	*total = rc == DB_ROW ? db_col_int(s, 0) : 0;
	db_finalize(s);
	*items = NULL;
	if (rc == DB_ROW) {
		snprintf(sql, n, "SELECT %s %s ORDER BY %s LIMIT ? OFFSET ?", cols, from, order);
		db_arg_int(a, limit);
		db_arg_int(a, offset);
		s = db_q_args(c, e, sql, a);
		*items = s ? db_rows_json(s, e) : NULL;
		db_finalize(s);
		a->n -= 2;
		rc = *items ? 0 : -E_DB;
	}
	free(sql);
	return rc < 0 ? rc : 0;
}

/* A growing text buffer for db_page_text. */
struct sbuf {
	char *p;
	size_t n, cap;
};

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *np = realloc(b->p, cap);
		if (!np)
			abort(); /* out of memory */
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

/* A JSON string (RFC 8259): quotes, backslash and control characters
 * escaped; UTF-8 passes through (it was validated when it came in). */
static void sb_json_string(struct sbuf *b, const char *s)
{
	sb_put(b, "\"", 1);
	const char *run = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		sb_put(b, run, (size_t)(s - run));
		char esc[8];
		switch (c) {
		case '"': sb_put(b, "\\\"", 2); break;
		case '\\': sb_put(b, "\\\\", 2); break;
		case '\n': sb_put(b, "\\n", 2); break;
		case '\r': sb_put(b, "\\r", 2); break;
		case '\t': sb_put(b, "\\t", 2); break;
		default:
			snprintf(esc, sizeof esc, "\\u%04x", c);
			sb_put(b, esc, 6);
		}
		run = s + 1;
	}
	sb_put(b, run, (size_t)(s - run));
	sb_put(b, "\"", 1);
}

int db_page_text(struct db *c, struct err *e, const char *cols, const char *from, const char *order,
		 struct db_args *a, int64_t limit, int64_t offset, char **text)
{
	size_t n = strlen(cols) + strlen(from) + strlen(order) + 64;
	char *sql = malloc(n), num[32];
	struct sbuf b = {0};
	int64_t total = 0;
	*text = NULL;
	snprintf(sql, n, "SELECT COUNT(*) %s", from);
	struct db_stmt *s = db_q_args(c, e, sql, a);
	int rc = s ? db_step(s, e) : -E_DB;
	if (rc == DB_ROW)
		total = db_col_int(s, 0);
	db_finalize(s);
	if (rc != DB_ROW)
		goto out;
	snprintf(sql, n, "SELECT %s %s ORDER BY %s LIMIT ? OFFSET ?", cols, from, order);
	db_arg_int(a, limit);
	db_arg_int(a, offset);
	s = db_q_args(c, e, sql, a);
	a->n -= 2;
	if (!s) {
		rc = -E_DB;
		goto out;
	}
	sb_put(&b, "{\"items\":[", 10);
	int rows = 0, ncol = 0;
	while ((rc = db_step(s, e)) == DB_ROW) {
		if (!rows++)
			ncol = db_col_count(s);
		sb_put(&b, rows > 1 ? ",{" : "{", rows > 1 ? 2 : 1);
		for (int i = 0; i < ncol; i++) {
			if (i)
				sb_put(&b, ",", 1);
			sb_json_string(&b, db_col_name(s, i));
			sb_put(&b, ":", 1);
			switch (db_col_type(s, i)) {
			case DBC_NULL: sb_put(&b, "null", 4); break;
			case DBC_INT:
				snprintf(num, sizeof num, "%lld", (long long)db_col_int(s, i));
				sb_put(&b, num, strlen(num));
				break;
			case DBC_REAL:
				snprintf(num, sizeof num, "%.17g", strtod(db_col_text(s, i), NULL));
				sb_put(&b, num, strlen(num));
				break;
			default: sb_json_string(&b, db_col_text(s, i));
			}
		}
		sb_put(&b, "}", 1);
	}
	db_finalize(s);
	if (rc < 0)
		goto out;
	snprintf(num, sizeof num, "%lld", (long long)total);
	sb_put(&b, "],\"total\":", 10);
	sb_put(&b, num, strlen(num));
	sb_put(&b, "}", 1);
	*text = b.p;
	b.p = NULL;
	rc = 0;
out:
	free(b.p);
	free(sql);
	return rc < 0 ? rc : 0;
}

json_t *db_row_json(struct db_stmt *s)
{
	return db_row_json_cols(s, 0, db_col_count(s));
}

json_t *db_row_json_cols(struct db_stmt *s, int from, int to)
{
	json_t *o = json_object();
	for (int i = from; i < to; i++) {
		json_t *v;
		switch (db_col_type(s, i)) {
		case DBC_NULL: v = json_null(); break;
		case DBC_INT: v = json_integer(db_col_int(s, i)); break;
		case DBC_REAL: v = json_real(strtod(db_col_text(s, i), NULL)); break;
		default: v = json_string(db_col_text(s, i)); break;
		}
		json_object_set_new(o, db_col_name(s, i), v ? v : json_null());
	}
	return o;
}

json_t *db_one_json(struct db *c, struct err *e, const char *sql, int64_t id)
{
	struct db_stmt *s = db_q(c, e, sql, "i", id);
	if (!s)
		return NULL;
	json_t *o = NULL;
	int rc = db_step(s, e);
	if (rc == DB_ROW)
		o = db_row_json(s);
	else if (rc == DB_DONE)
		err_set(e, E_NOT_FOUND, NULL);
	db_finalize(s);
	return o;
}

json_t *db_rows_json(struct db_stmt *s, struct err *e)
{
	json_t *arr = json_array();
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW)
		json_array_append_new(arr, db_row_json(s));
	if (rc < 0) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

/* --- pool ---------------------------------------------------------------- */

struct db_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int size, nfree;
	struct db **all, **free;
	struct db *writer; /* SQLite: the request writers' shared connection */
	struct db_ckpt *ckpt; /* SQLite: the checkpoints, off the writers' path */
};

int db_pool_open(const char *url, int size, struct db_pool **out, struct err *e)
{
	struct db_pool *p = calloc(1, sizeof *p);
	p->all = calloc((size_t)size, sizeof *p->all);
	p->free = calloc((size_t)size, sizeof *p->free);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	for (int i = 0; i < size; i++) {
		int rc = db_open(url, &p->all[i], e);
		if (rc != 0) {
			p->size = i;
			db_pool_close(p);
			*out = NULL;
			return rc;
		}
		p->free[p->nfree++] = p->all[i];
		p->size = i + 1;
	}
	if (size > 0 && p->all[0]->drv->kind == DB_SQLITE) {
		int rc = db_open(url, &p->writer, e);
		if (rc != 0) {
			db_pool_close(p);
			*out = NULL;
			return rc;
		}
		p->writer->batch = 1;
		rc = writer_wal(p->writer, db_sqlite_file(p->writer), e);
		/* RULE db.checkpoint: the checkpointer's thread checkpoints
		 * (db_ckpt.c); a commit of the pool only past the backstop */
		for (int i = 0; rc == 0 && i <= size; i++)
			rc = db_exec(i < size ? p->all[i] : p->writer, "PRAGMA wal_autocheckpoint=" DB_CKPT_BACKSTOP, e);
		if (rc == 0)
			rc = db_ckpt_start(url, DB_CKPT_MS, &p->ckpt, e);
		if (rc != 0) {
			db_pool_close(p);
			*out = NULL;
			return rc;
		}
	}
	*out = p;
	return 0;
}

struct db *db_pool_writer(struct db_pool *p)
{
	return p->writer;
}

struct db *db_pool_get(struct db_pool *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->nfree == 0)
		pthread_cond_wait(&p->cv, &p->mu);
	struct db *c = p->free[--p->nfree];
	pthread_mutex_unlock(&p->mu);
	return c;
}

void db_pool_put(struct db_pool *p, struct db *c)
{
	if (!c)
		return;
	db_rollback(c);
	pthread_mutex_lock(&p->mu);
	p->free[p->nfree++] = c;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void db_pool_close(struct db_pool *p)
{
	if (!p)
		return;
	db_ckpt_stop(p->ckpt);
	for (int i = 0; i < p->size; i++)
		db_close(p->all[i]);
	if (p->writer)
		db_close(p->writer);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p->all);
	free(p->free);
	free(p);
}
