/* db_pg.c — the PostgreSQL driver (libpq).
 *
 * Statements are not prepared on the server: db_prepare() only rewrites the
 * `?` placeholders to `$1..$n` and keeps the text; the first db_step() sends
 * it with PQexecParams (text parameters, text results) and later steps walk
 * the rows of that one result.  Nothing lives on the server between calls,
 * so a connection can be reset or pooled freely.
 *
 * Every session runs with client_encoding UTF8, timezone UTC and
 * client_min_messages=warning.  A connection found broken before a call is
 * reset once, but only outside a transaction (a reset would silently lose
 * the transaction's earlier statements).
 */
#include "db.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Type OIDs from pg_type.h (not installed with libpq-fe.h). */
enum {
	OID_BOOL = 16,
	OID_INT8 = 20,
	OID_INT2 = 21,
	OID_INT4 = 23,
	OID_FLOAT4 = 700,
	OID_FLOAT8 = 701,
	OID_NUMERIC = 1700,
};

/* Statements are prepared on the server once per connection and run by
 * name afterwards (parse and plan once, not at every request). */
#define PS_CACHE 256

struct pg_prepared {
	uint64_t hash;
	char *sql; /* with $n placeholders */
};

struct pg_db {
	struct db base;
	PGconn *h;
	enum db_fail fail;
	struct pg_prepared ps[PS_CACHE];
	int nps;
};

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Forgets the prepared statements (the server's are gone after a reset). */
static void ps_clear(struct pg_db *c)
{
	for (int i = 0; i < c->nps; i++)
		free(c->ps[i].sql);
	c->nps = 0;
}

/* The name of sql's prepared statement, preparing it on first use; NULL
 * when it is to be planned each time (DB_PLAN_EACH), the cache is full (run
 * it unprepared) or preparing failed (*res holds the error result then). */
static const char *ps_name(struct pg_db *c, const char *sql, int nparams, char name[16],
			   PGresult **res)
{
	*res = NULL;
	if (!strncmp(sql, DB_PLAN_EACH, sizeof DB_PLAN_EACH - 1))
		return NULL; /* the unnamed statement: planned with its values */
	uint64_t h = fnv1a(sql);
	for (int i = 0; i < c->nps; i++)
		if (c->ps[i].hash == h && !strcmp(c->ps[i].sql, sql)) {
			snprintf(name, 16, "bf%d", i);
			return name;
		}
	if (c->nps == PS_CACHE)
		return NULL;
	snprintf(name, 16, "bf%d", c->nps);
	PGresult *r = PQprepare(c->h, name, sql, nparams, NULL);
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
		*res = r;
		return NULL;
	}
	PQclear(r);
	c->ps[c->nps].hash = h;
	c->ps[c->nps].sql = strdup(sql);
	if (!c->ps[c->nps].sql)
		return NULL;
	c->nps++;
	return name;
}

struct pg_stmt {
	struct db_stmt base;
	char *sql;       /* with $1..$n placeholders */
	int nparams;
	char **vals;     /* nparams text values; NULL = SQL NULL */
	PGresult *res;   /* after the first step */
	PGresult *ahead; /* sent by pg_run_ahead: the result its first step takes */
	int sent;        /* by pg_run_ahead */
	int executed;
	int row;         /* current row, -1 before the first */
	int nrows;
};

/* jit off: bangfu's statements are short, and the report's are costed high
 * enough to be compiled, which took 1.2 s of a 1.9 s statement at 100,000
 * archives (docs/benchmarks.md). */
static const char session_sql[] =
	"SET client_min_messages=warning; SET client_encoding='UTF8'; SET timezone='UTC'; SET jit=off";

/* PQerrorMessage() without its trailing newline(s), into buf. */
static const char *conn_msg(PGconn *h, char *buf, size_t n)
{
	const char *m = h ? PQerrorMessage(h) : NULL;
	if (!m || !*m)
		m = "未知错误";
	/* One line: libpq's hints come as "\n\t..." continuation lines. */
	size_t len = 0;
	for (; *m && len + 1 < n; m++) {
		if (*m == '\n' || *m == '\r' || *m == '\t') {
			if (len > 0 && buf[len - 1] != ' ')
				buf[len++] = ' ';
		} else {
			buf[len++] = *m;
		}
	}
	buf[len] = '\0';
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' '))
		buf[--len] = '\0';
	return buf;
}

static enum db_fail classify(const char *state)
{
	if (!state)
		return DBF_OTHER;
	if (!strcmp(state, "23505"))
		return DBF_UNIQUE;
	if (!strcmp(state, "23514") || !strcmp(state, "23502"))
		return DBF_CHECK;
	if (!strcmp(state, "23503"))
		return DBF_FOREIGN;
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))
		return DBF_BUSY;
	return DBF_OTHER;
}

/* Classifies a failed result (res may be NULL: out of memory or no
 * connection) and fills e the way the SQLite driver does. */
static int fail_res(struct pg_db *c, const PGresult *res, struct err *e)
{
	char buf[400];
	const char *msg = NULL;
	c->fail = classify(res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL);
	if (res)
		msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	if (!msg || !*msg)
		msg = conn_msg(c->h, buf, sizeof buf);
	if (c->fail == DBF_UNIQUE || c->fail == DBF_CHECK || c->fail == DBF_FOREIGN)
		return err_set(e, E_CONFLICT, "数据冲突：%s", msg);
	return err_set(e, E_DB, "数据库错误：%s", msg);
}

static int run_plain(PGconn *h, const char *sql)
{
	PGresult *r = PQexec(h, sql);
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	PQclear(r);
	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : -1;
}

/* Makes sure the connection is usable; resets it once when it is broken
 * and no transaction is open. */
static int ensure_conn(struct pg_db *c, struct err *e)
{
	char buf[400];
	/* Outside a transaction, read whatever the server sent while we were
	 * idle: a terminated backend shows up here as CONNECTION_BAD without
	 * our having to send a statement into a dead socket. */
	for (int i = 0; i < 2 && !c->base.in_tx && PQstatus(c->h) == CONNECTION_OK; i++)
		if (!PQconsumeInput(c->h))
			break; /* the second read sees the EOF after a FATAL message */
	if (PQstatus(c->h) == CONNECTION_OK)
		return 0;
	if (!c->base.in_tx) {
		PQreset(c->h);
		ps_clear(c);
		if (PQstatus(c->h) == CONNECTION_OK && run_plain(c->h, session_sql) == 0)
			return 0;
	}
	c->fail = DBF_OTHER;
	return err_set(e, E_DB, "数据库错误：%s", conn_msg(c->h, buf, sizeof buf));
}

static void pg_close(struct db *db)
{
	struct pg_db *c = (struct pg_db *)db;
	if (!c)
		return;
	ps_clear(c);
	PQfinish(c->h);
	free(c);
}

static int pg_open(const char *url, struct db **out, struct err *e)
{
	char buf[400];
	*out = NULL;
	struct pg_db *c = calloc(1, sizeof *c);
	if (!c)
		return err_set(e, E_DB, "无法连接数据库：%s", "内存不足");
	c->base.drv = &db_pg_driver;
	c->h = PQconnectdb(url);
	if (!c->h || PQstatus(c->h) != CONNECTION_OK) {
		err_set(e, E_DB, "无法连接数据库：%s",
			c->h ? conn_msg(c->h, buf, sizeof buf) : "内存不足");
		pg_close(&c->base);
		return -E_DB;
	}
	PGresult *r = PQexec(c->h, session_sql);
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
		int rc = fail_res(c, r, e);
		PQclear(r);
		pg_close(&c->base);
		return rc;
	}
	PQclear(r);
	*out = &c->base;
	return 0;
}

static int pg_exec(struct db *db, const char *sql, struct err *e)
{
	struct pg_db *c = (struct pg_db *)db;
	c->fail = DBF_NONE;
	int rc = ensure_conn(c, e);
	if (rc != 0)
		return rc;
	PGresult *r = PQexec(c->h, sql);
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) {
		PQclear(r);
		return 0;
	}
	rc = fail_res(c, r, e);
	PQclear(r);
	return rc;
}

static int is_ident(char ch)
{
	return ch == '_' || ch == '$' || (ch >= '0' && ch <= '9') ||
	       ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') || (unsigned char)ch >= 0x80;
}

/* Length of the dollar-quote tag at p ("$$" or "$name$"), 0 if none. */
static size_t dollar_tag(const char *p)
{
	size_t i = 1;
	if (p[i] >= '0' && p[i] <= '9')
		return 0;
	while (p[i] && p[i] != '$' && is_ident(p[i]))
		i++;
	return p[i] == '$' ? i + 1 : 0;
}

/* Rewrites `?` to `$n`, leaving alone those inside '...' strings (with
 * E'...' backslash escapes), $tag$...$tag$ strings, "..." identifiers,
 * -- line comments and (nested) block comments.  Two passes: count (out == NULL), then write. */
static int rewrite(const char *sql, char *out)
{
	int n = 0;
	size_t o = 0;
	const char *p = sql;
#define PUT(ch) do { char c_ = (ch); if (out) out[o] = c_; o++; } while (0)
	while (*p) {
		char ch = *p;
		if (ch == '?') {
			n++;
			if (out)
				o += (size_t)sprintf(out + o, "$%d", n);
			p++;
		} else if (ch == '\'') {
			int esc = p > sql && (p[-1] == 'E' || p[-1] == 'e') &&
				  (p - 1 == sql || !is_ident(p[-2]));
			PUT(*p++);
			while (*p) {
				if (esc && *p == '\\' && p[1]) {
					PUT(*p++);
					PUT(*p++);
					continue;
				}
				if (*p == '\'') {
					PUT(*p++);
					if (*p == '\'') { /* '' inside the string */
						PUT(*p++);
						continue;
					}
					break;
				}
				PUT(*p++);
			}
		} else if (ch == '$' && (p == sql || !is_ident(p[-1])) && dollar_tag(p)) {
			/* $tag$ ... $tag$ (a digit after $ is a parameter, not a tag) */
			size_t tl = dollar_tag(p);
			const char *end;
			for (end = p + tl; *end && strncmp(end, p, tl); end++)
				;
			end = *end ? end + tl : end;
			while (p < end)
				PUT(*p++);
		} else if (ch == '"') {
			PUT(*p++);
			while (*p && *p != '"')
				PUT(*p++);
			if (*p)
				PUT(*p++);
		} else if (ch == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				PUT(*p++);
		} else if (ch == '/' && p[1] == '*') {
			int depth = 0;
			while (*p) {
				if (p[0] == '/' && p[1] == '*') {
					depth++;
					PUT(*p++);
					PUT(*p++);
				} else if (p[0] == '*' && p[1] == '/') {
					depth--;
					PUT(*p++);
					PUT(*p++);
					if (depth == 0)
						break;
				} else {
					PUT(*p++);
				}
			}
		} else {
			PUT(*p++);
		}
	}
	PUT('\0');
#undef PUT
	return n;
}

static int pg_prepare(struct db *db, const char *sql, struct db_stmt **out, struct err *e)
{
	struct pg_db *c = (struct pg_db *)db;
	c->fail = DBF_NONE;
	*out = NULL;
	int n = rewrite(sql, NULL);
	struct pg_stmt *s = calloc(1, sizeof *s);
	if (s) {
		s->sql = malloc(strlen(sql) + (size_t)n * 11 + 1);
		s->vals = calloc((size_t)n + 1, sizeof *s->vals);
	}
	if (!s || !s->sql || !s->vals) {
		if (s) {
			free(s->sql);
			free(s->vals);
			free(s);
		}
		c->fail = DBF_OTHER;
		return err_set(e, E_DB, "数据库错误：%s", "内存不足");
	}
	rewrite(sql, s->sql);
	s->base.conn = db;
	s->nparams = n;
	s->row = -1;
	*out = &s->base;
	return 0;
}

#define PS(s) ((struct pg_stmt *)(s))

static int set_param(struct db_stmt *st, int i, char *v)
{
	struct pg_stmt *s = PS(st);
	if (i < 1 || i > s->nparams || s->executed) {
		free(v);
		return -E_INTERNAL;
	}
	free(s->vals[i - 1]);
	s->vals[i - 1] = v;
	return 0;
}

static int pg_bind_int(struct db_stmt *s, int i, int64_t v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%" PRId64, v);
	char *d = strdup(buf);
	if (!d)
		return -E_INTERNAL;
	return set_param(s, i, d);
}

static int pg_bind_text(struct db_stmt *s, int i, const char *v)
{
	char *d = NULL;
	if (v && !(d = strdup(v)))
		return -E_INTERNAL;
	return set_param(s, i, d);
}

static int pg_bind_null(struct db_stmt *s, int i) { return set_param(s, i, NULL); }

static int pg_step(struct db_stmt *st, struct err *e)
{
	struct pg_stmt *s = PS(st);
	struct pg_db *c = (struct pg_db *)st->conn;
	c->fail = DBF_NONE;
	if (!s->executed) {
		int rc = ensure_conn(c, e);
		if (rc != 0)
			return rc;
		s->executed = 1;
		PGresult *r = NULL;
		if (s->sent) { /* pg_run_ahead's */
			r = s->ahead;
			s->ahead = NULL;
		} else {
			char name[16];
			const char *ps = ps_name(c, s->sql, s->nparams, name, &r);
			if (ps)
				r = PQexecPrepared(c->h, ps, s->nparams, (const char *const *)s->vals, NULL, NULL, 0);
			else if (!r)
				r = PQexecParams(c->h, s->sql, s->nparams, NULL,
						 (const char *const *)s->vals, NULL, NULL, 0);
		}
		ExecStatusType rs = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
		if (rs == PGRES_TUPLES_OK) {
			s->res = r;
			s->nrows = PQntuples(r);
		} else if (rs == PGRES_COMMAND_OK || rs == PGRES_EMPTY_QUERY) {
			PQclear(r);
			return DB_DONE;
		} else {
			rc = fail_res(c, r, e);
			PQclear(r);
			return rc;
		}
	}
	if (!s->res)
		return DB_DONE;
	if (s->row < s->nrows)
		s->row++;
	return s->row < s->nrows ? DB_ROW : DB_DONE;
}

/* The n statements of one connection, bound and not yet stepped, sent in
 * one round trip (libpq's pipeline mode): each one's first db_step takes
 * its result as if it had run alone then, an error included (a statement
 * after a failed one reports the pipeline's abort).  Statements not yet
 * prepared on this connection are prepared first, one by one, as at a
 * step.  When the connection cannot enter the mode, nothing is sent and
 * every statement runs at its own first step. */
static int pg_run_ahead(struct db_stmt **st, int n, struct err *e)
{
	struct pg_db *c = (struct pg_db *)st[0]->conn;
	c->fail = DBF_NONE;
	int rc = ensure_conn(c, e);
	if (rc)
		return rc;
	char names[8][16];
	const char *ps[8];
	if (n > 8)
		n = 8; /* the rest run at their steps */
	for (int i = 0; i < n; i++) {
		PGresult *r = NULL;
		ps[i] = ps_name(c, PS(st[i])->sql, PS(st[i])->nparams, names[i], &r);
		if (r) {
			rc = fail_res(c, r, e);
			PQclear(r);
			return rc;
		}
	}
	if (!PQenterPipelineMode(c->h))
		return 0;
	int sent = 0;
	for (; sent < n; sent++) {
		struct pg_stmt *s = PS(st[sent]);
		const char *const *v = (const char *const *)s->vals;
		if (!(ps[sent] ? PQsendQueryPrepared(c->h, ps[sent], s->nparams, v, NULL, NULL, 0)
			       : PQsendQueryParams(c->h, s->sql, s->nparams, NULL, v, NULL, NULL, 0)))
			break;
	}
	int synced = PQpipelineSync(c->h);
	for (int i = 0; i < sent; i++) {
		struct pg_stmt *s = PS(st[i]);
		s->ahead = PQgetResult(c->h); /* NULL: the connection failed */
		s->sent = 1;
		for (PGresult *more; s->ahead && (more = PQgetResult(c->h));) /* up to the query's end */
			PQclear(more);
	}
	if (synced)
		PQclear(PQgetResult(c->h)); /* PGRES_PIPELINE_SYNC */
	if (!PQexitPipelineMode(c->h)) { /* results left unread: the connection is unusable */
		char buf[400];
		c->fail = DBF_OTHER;
		return err_set(e, E_DB, "数据库错误：%s", conn_msg(c->h, buf, sizeof buf));
	}
	return 0;
}

static int pg_col_count(struct db_stmt *s) { return PS(s)->res ? PQnfields(PS(s)->res) : 0; }

static const char *pg_col_name(struct db_stmt *s, int i)
{
	return PS(s)->res ? PQfname(PS(s)->res, i) : NULL;
}

/* 1 when there is a current row and column i exists. */
static int have_cell(struct pg_stmt *s, int i)
{
	return s->res && s->row >= 0 && s->row < s->nrows && i >= 0 && i < PQnfields(s->res);
}

static enum db_coltype pg_col_type(struct db_stmt *st, int i)
{
	struct pg_stmt *s = PS(st);
	if (!have_cell(s, i) || PQgetisnull(s->res, s->row, i))
		return DBC_NULL;
	switch (PQftype(s->res, i)) {
	case OID_INT8:
	case OID_INT2:
	case OID_INT4:
	case OID_BOOL: return DBC_INT;
	case OID_NUMERIC: /* SUM(bigint) is numeric: a whole number is an integer */
		return strchr(PQgetvalue(s->res, s->row, i), '.') ? DBC_REAL : DBC_INT;
	case OID_FLOAT4:
	case OID_FLOAT8: return DBC_REAL;
	default: return DBC_TEXT;
	}
}

static int64_t pg_col_int(struct db_stmt *st, int i)
{
	struct pg_stmt *s = PS(st);
	if (!have_cell(s, i) || PQgetisnull(s->res, s->row, i))
		return 0;
	const char *v = PQgetvalue(s->res, s->row, i);
	if (PQftype(s->res, i) == OID_BOOL)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static const char *pg_col_text(struct db_stmt *st, int i)
{
	struct pg_stmt *s = PS(st);
	if (!have_cell(s, i) || PQgetisnull(s->res, s->row, i))
		return NULL;
	const char *v = PQgetvalue(s->res, s->row, i);
	/* Booleans read as 1/0, as they do from SQLite. */
	if (PQftype(s->res, i) == OID_BOOL)
		return v[0] == 't' ? "1" : "0";
	return v;
}

static void pg_finalize(struct db_stmt *st)
{
	struct pg_stmt *s = PS(st);
	PQclear(s->res);
	PQclear(s->ahead);
	for (int i = 0; i < s->nparams; i++)
		free(s->vals[i]);
	free(s->vals);
	free(s->sql);
	free(s);
}

static enum db_fail pg_last_fail(struct db *db) { return ((struct pg_db *)db)->fail; }

/* Blobs as bytea: the bytes go as one binary parameter and come back as a
 * binary result, never escaped to text (which would double them). */
static int blob_begin(struct pg_db *c, int64_t key, char k[24], struct err *e)
{
	c->fail = DBF_NONE;
	snprintf(k, 24, "%lld", (long long)key);
	return ensure_conn(c, e);
}

static int pg_blob_insert(struct db *db, const char *table, const char *key_col, const char *col,
			  int64_t key, const void *data, size_t len, struct err *e)
{
	struct pg_db *c = (struct pg_db *)db;
	char sql[256], k[24];
	int rc = blob_begin(c, key, k, e);
	if (rc)
		return rc;
	if (len > 0x7fffffff)
		return err_set(e, E_TOO_LARGE, "文件过大");
	snprintf(sql, sizeof sql, "INSERT INTO %s (%s, %s) VALUES ($1::bigint, $2::bytea)", table, key_col, col);
	const char *vals[2] = {k, data};
	int lens[2] = {0, (int)len}, fmts[2] = {0, 1};
	PGresult *r = PQexecParams(c->h, sql, 2, NULL, vals, lens, fmts, 0);
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = fail_res(c, r, e);
	PQclear(r);
	return rc;
}

static int pg_blob_read(struct db *db, const char *table, const char *col, int64_t key, void *buf,
			size_t len, struct err *e)
{
	struct pg_db *c = (struct pg_db *)db;
	char sql[256], k[24];
	int rc = blob_begin(c, key, k, e);
	if (rc)
		return rc;
	snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE attachment_id = $1::bigint", col, table);
	const char *vals[1] = {k};
	PGresult *r = PQexecParams(c->h, sql, 1, NULL, vals, NULL, NULL, 1);
	if (!r || PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = fail_res(c, r, e);
	else if (PQntuples(r) != 1 || PQgetisnull(r, 0, 0))
		rc = err_set(e, E_NOT_FOUND, "文件内容不存在");
	else if ((size_t)PQgetlength(r, 0, 0) != len)
		rc = err_set(e, E_INTERNAL, "文件内容长度与记录不符");
	else
		memcpy(buf, PQgetvalue(r, 0, 0), len);
	PQclear(r);
	return rc;
}

const struct db_driver db_pg_driver = {
	.name = "postgresql",
	.kind = DB_PG,
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.bind_int = pg_bind_int,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.run_ahead = pg_run_ahead,
	.col_count = pg_col_count,
	.col_name = pg_col_name,
	.col_type = pg_col_type,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.finalize = pg_finalize,
	.last_fail = pg_last_fail,
	.blob_insert = pg_blob_insert,
	.blob_read = pg_blob_read,
	.id_column = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
};
