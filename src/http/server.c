/* server.c — libmicrohttpd glue and the dispatcher.
 *
 * Request lifecycle: the request line read, the URI log callback creates
 * `struct req` (so that an error libmicrohttpd answers by itself, such as
 * 431, is logged and counted like any other answer); the first access
 * callback checks the framing (edge.h: 400 and close when ambiguous) and
 * answers MHD_YES without queuing (queuing on the first call makes
 * libmicrohttpd close the connection — 3–9× slower); body chunks are
 * appended under the route's size cap; the last call dispatches and queues
 * the answer; the completed callback logs, counts and frees the request.
 *
 * The library's own error answers (400, 413, 414, 431, 500, 505, with
 * fixed HTML bodies and no hook to change them in 0.9.75) are replaced by
 * the API's JSON error shape in MHD_queue_response() at the end of this
 * file; docs/deployment.md "The HTTP edge" says how and why.
 */
#include "http/server.h"
#include "store/db_stats.h"
#include "store/db_writer.h"

#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include "core/logbuf.h"
#include "http/edge.h"
#include "http/route.h"
#include "http/static.h"
#include "rules/utf8.h"
#include "services/audit.h"
#include "services/auth.h"
#include "services/watch.h"
#include "store/migrate.h"

#define BODY_LIMIT (1u << 20)
#define BIG_BODY_LIMIT (10u << 20)

/* Latency buckets of /metrics, in milliseconds. */
static const double buckets_ms[] = {1, 5, 10, 50, 100, 500, 1000, 5000};
#define NBUCKETS (int)(sizeof buckets_ms / sizeof buckets_ms[0])

struct server {
	const struct config *cfg;
	struct db_pool *pool;
	struct db_pool *reports; /* serve --report-db (R_REPORT), or NULL */
	/* counters for /metrics; updated with atomic adds by every worker */
	unsigned long long requests[6];          /* by status class: 1xx..5xx, [0] other */
	unsigned long long latency[NBUCKETS + 1]; /* cumulative per bucket, last = +Inf */
	unsigned long long latency_us_sum;
};

/* One per TCP connection (MHD_OPTION_NOTIFY_CONNECTION, its socket
 * context): the peer's address and the request being read or answered. */
struct conn {
	struct server *srv;
	struct req *cur;  /* from the request line to the completed callback */
	char peer[INET6_ADDRSTRLEN];
};

static struct conn *conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* The library's own MHD_queue_response: bangfu's answers go straight to it;
 * the name MHD_queue_response is this file's replacement (the end of the
 * file), reached only by the library's own error answers. */
typedef enum MHD_Result (*queue_fn)(struct MHD_Connection *, unsigned int, struct MHD_Response *);
static queue_fn lib_queue;
static pthread_once_t lib_queue_once = PTHREAD_ONCE_INIT;

static void lib_queue_find(void)
{
	lib_queue = (queue_fn)(uintptr_t)dlsym(RTLD_NEXT, "MHD_queue_response");
}

int server_metrics(struct req *r)
{
	struct server *s = r->srv;
	const char *c = r->x.client;
	if (!c || (strcmp(c, "127.0.0.1") && strcmp(c, "::1")))
		return err_set(&r->err, E_NOT_FOUND, "请求的接口不存在");
	char *buf = arena_alloc(r->x.a, 4096);
	size_t n = 0;
	n += (size_t)snprintf(buf + n, 4096 - n, "# TYPE bangfu_requests_total counter\n");
	for (int i = 1; i <= 5; i++)
		n += (size_t)snprintf(buf + n, 4096 - n, "bangfu_requests_total{class=\"%dxx\"} %llu\n", i,
				      __atomic_load_n(&s->requests[i], __ATOMIC_RELAXED));
	n += (size_t)snprintf(buf + n, 4096 - n, "# TYPE bangfu_request_duration_seconds histogram\n");
	unsigned long long cum = 0;
	for (int i = 0; i <= NBUCKETS; i++) {
		cum += __atomic_load_n(&s->latency[i], __ATOMIC_RELAXED);
		if (i < NBUCKETS)
			n += (size_t)snprintf(buf + n, 4096 - n, "bangfu_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
					      buckets_ms[i] / 1000.0, cum);
		else
			n += (size_t)snprintf(buf + n, 4096 - n, "bangfu_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
					      "bangfu_request_duration_seconds_count %llu\n", cum, cum);
	}
	n += (size_t)snprintf(buf + n, 4096 - n, "bangfu_request_duration_seconds_sum %.6f\n",
			      (double)__atomic_load_n(&s->latency_us_sum, __ATOMIC_RELAXED) / 1e6);
	n += (size_t)snprintf(buf + n, 4096 - n,
			      "# TYPE bangfu_password_verifications_total counter\n"
			      "bangfu_password_verifications_total %llu\n", auth_password_checks());
	r->raw = buf;
	r->raw_len = n;
	r->content_type = "text/plain; version=0.0.4";
	r->status = 200;
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int is_unsafe(const char *m)
{
	return strcmp(m, "GET") && strcmp(m, "HEAD") && strcmp(m, "OPTIONS");
}

static void peer_addr(struct MHD_Connection *c, char buf[INET6_ADDRSTRLEN])
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	strcpy(buf, "?");
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, INET6_ADDRSTRLEN);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf,
				  INET6_ADDRSTRLEN);
	}
}

/* The client: the peer, or, when the peer is a trusted proxy (serve
 * --trusted-proxy), the last address of its X-Forwarded-For — so that the
 * access log, the audit log and the limit on failed logins per client
 * (auth.c) see the user and not nginx. */
static void client_addr(struct req *r, const struct conn *cc)
{
	char fwd[INET6_ADDRSTRLEN];
	const char *peer = cc ? cc->peer : "?";
	if (r->x.cfg->trusted_proxies && edge_addr_listed(r->x.cfg->trusted_proxies, peer) &&
	    edge_forwarded_client(req_header(r, "X-Forwarded-For"), fwd, sizeof fwd) == 0)
		peer = fwd;
	r->x.client = arena_strdup(r->x.a, peer);
}

/* A refused request (403) is audited in a transaction of its own, after the
 * request's own work was rolled back. */
static void audit_denied(struct req *r)
{
	struct err e = {0};
	db_rollback(r->x.db);
	if (db_begin(r->x.db, 1, &e) == 0 &&
	    audit_add(&r->x, "denied", r->route->entity, r->id ? r->id : 0, 0, &e, "拒绝：%s %s（%s）",
		      r->method, r->path, err_json_code(r->err.code)) == 0)
		db_commit(r->x.db, &e);
	else
		db_rollback(r->x.db);
	err_clear(&e);
}

int req_deny(struct req *r, enum err_code code, const char *msg)
{
	if (msg == r->err.msg)
		r->err.code = code; /* keep the message already there */
	else if (msg)
		err_set(&r->err, code, "%s", msg);
	else if (code == E_FORBIDDEN)
		err_set(&r->err, code, "“%s”角色无权执行此操作", role_label(r->x.who.role));
	else
		err_set(&r->err, code, NULL);
	audit_denied(r);
	return -(int)code;
}

/* RULE api.json_only: a JSON endpoint takes a body only as
 * application/json (charset and other parameters allowed).  A form or
 * text/plain body is what a page on another site can post without
 * asking: taking it would allow login CSRF.  Files (R_RAW_BODY) keep their
 * own types. */
static int json_content_type(struct req *r)
{
	const char *ct = req_header(r, "Content-Type");
	if (!r->body_len && (!ct || !is_unsafe(r->method)))
		return 0;
	if (ct && !strncasecmp(ct, "application/json", 16) && strchr("; \t", ct[16]))
		return 0;
	return err_set(&r->err, E_UNSUPPORTED_MEDIA_TYPE,
		       "请求体须为 JSON（Content-Type: application/json），收到的是 %.60s",
		       ct ? ct : "没有 Content-Type 的请求体");
}

int req_begin_write(struct req *r)
{
	/* SQLite: the request writers share commits (RULE db.group_commit) */
	struct db *w = db_pool_writer(r->srv->pool);
	if (r->x.db->in_tx && (r->pooled || !w))
		return 0; /* R_TURN: begun before the session (the writer's turn, or PostgreSQL's transaction) */
	if (w && !r->pooled) {
		r->pooled = r->x.db;
		r->x.db = w;
	}
	return db_begin(r->x.db, 1, &r->err);
}

static int run_route(struct req *r)
{
	const struct route *rt = r->route;
	int rc, write = is_unsafe(r->method) || (rt->flags & R_WRITE_TX);

	if (r->too_large && (rt->flags & R_FILE_BODY))
		return err_set(&r->err, E_TOO_LARGE, "文件过大：超过 %zu 字节的上限", r->body_limit - (64u << 10));
	if (r->too_large)
		return err_set(&r->err, E_TOO_LARGE, "请求体超过上限（%zu MiB）", r->body_limit >> 20);
	if (!(rt->flags & R_RAW_BODY) && (rc = json_content_type(r)))
		return rc;
	if (r->body_len && !(rt->flags & R_RAW_BODY)) {
		json_error_t je;
		r->in = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
		if (!r->in)
			return err_set(&r->err, E_BAD_JSON, "请求体不是合法的 JSON：第%d行第%d列", je.line,
				       je.column);
	}
	if (rt->body && !r->in)
		r->in = json_object();

	r->x.db = db_pool_get(r->srv->pool);
	if ((rc = ctx_set_clock(&r->x, &r->err)))
		return rc;
	if ((rt->flags & R_TURN) && (rc = req_begin_write(r)))
		return rc;
	if (rt->perm != P_PUBLIC) {
		if ((rc = auth_authenticate(r))) {
			/* in the turn, an expired session's revocation is kept */
			if ((rt->flags & R_TURN) && r->err.code == E_UNAUTHENTICATED && r->x.db->in_tx) {
				struct err ignore = {0};
				db_commit(r->x.db, &ignore);
				err_clear(&ignore);
			}
			return rc;
		}
		if (r->via_cookie && is_unsafe(r->method) && (rc = auth_check_csrf(r)))
			return rc;
	}
	if (write && !(rt->flags & R_OWN_TX)) {
		if ((rc = req_begin_write(r)))
			return rc;
	} else if (!write && !(rt->flags & R_OWN_TX) && db_kind(r->x.db) == DB_SQLITE &&
		   (rc = db_begin(r->x.db, 0, &r->err))) {
		/* RULE db.read_tx: a read's statements share one snapshot and
		 * one WAL read lock (each statement on its own took and gave
		 * back the lock: about 5 µs each).  After the session, whose
		 * last_seen touch is a write of its own. */
		return rc;
	}
	/* RULE clue.informant: refused before the scope check, whose 404 would
	 * tell an informant that a record exists */
	if (r->x.who.role == ROLE_INFORMANT && !perm_allows(r->x.who.role, rt->perm))
		return req_deny(r, E_FORBIDDEN, NULL);
	if (rt->scope && (rc = rt->scope(r)))
		return rc;
	if (!perm_allows(r->x.who.role, rt->perm))
		return req_deny(r, E_FORBIDDEN, NULL);
	if ((rc = validate_body(r, rt->body)))
		return rc;
	/* RULE report.replica: a report reads the standby, once its session
	 * and scope were read on the primary */
	if ((rt->flags & R_REPORT) && r->srv->reports) {
		r->primary = r->x.db;
		r->x.db = db_pool_get(r->srv->reports);
	}
	if ((rc = rt->handler(r)))
		return rc;
	if (r->x.db->in_tx && (rc = db_commit(r->x.db, &r->err)))
		return rc;
	return 0;
}

/* MHD_KeyValueIterator: stops at the first key or value that is not UTF-8,
 * naming the parameter (its key when that is UTF-8) in *bad. */
static enum MHD_Result arg_utf8(void *bad, enum MHD_ValueKind kind, const char *key, const char *value)
{
	int key_ok = !key || utf8_valid(key, strlen(key));
	if (!key_ok || (value && !utf8_valid(value, strlen(value)))) {
		*(const char **)bad = key_ok && key ? key : "?";
		return MHD_NO;
	}
	return MHD_YES;
}

/* RULE store.utf8 at the edge: a path (400) or a query parameter (422 on
 * that field) that is not UTF-8 after URL decoding is refused before any
 * handler, or any audit entry, sees it. */
static int request_utf8(struct req *r)
{
	if (!utf8_valid(r->path, strlen(r->path)))
		return err_set(&r->err, E_BAD_REQUEST, "请求地址含有无效字符（应为 UTF-8 编码）");
	const char *bad = NULL;
	if (r->conn)
		MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, arg_utf8, &bad);
	return bad ? err_field(&r->err, bad, "参数含有无效字符（应为 UTF-8 编码）") : 0;
}

static void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The error answer of r->err (the body the handler had set goes). */
static void fail_reply(struct req *r)
{
	if (r->err.code == E_OK)
		err_set(&r->err, E_INTERNAL, NULL);
	if (r->err.code == E_INTERNAL || r->err.code == E_DB) {
		char m[64], p[401], msg[1000];
		edge_log_escape(m, sizeof m, r->method, 0);
		edge_log_escape(p, sizeof p, r->path, 0);
		edge_log_escape(msg, sizeof msg, r->err.msg, 1);
		log_line("error: %s %s: %s\n", m, p, msg);
	}
	r->raw = NULL;
	r->piece = NULL;
	r->content_type = NULL;
	r->disposition = NULL;
	req_reply(r, err_http_status(r->err.code), err_to_json(&r->err));
}

static void dispatch(struct req *r)
{
	int known = 0;
	int rc = request_utf8(r);
	r->route = rc ? NULL : route_match(r, r->method, r->path, &known);
	if (rc)
		;
	else if (!r->route)
		rc = err_set(&r->err, known ? E_METHOD_NOT_ALLOWED : E_NOT_FOUND,
			     known ? NULL : "请求的接口不存在");
	else
		rc = run_route(r);
	if (rc) {
		if (r->x.db)
			db_rollback(r->x.db);
		fail_reply(r);
	}
	if (r->primary) {
		db_pool_put(r->srv->reports, r->x.db);
		r->x.db = r->primary;
		r->primary = NULL;
	}
	if (r->pooled) {
		writer_end(r->x.db);
		r->x.db = r->pooled;
		r->pooled = NULL;
	}
	if (r->x.db) {
		db_pool_put(r->srv->pool, r->x.db);
		r->x.db = NULL;
	}
	/* RULE privacy.download: a body read while its audit entry flushed
	 * (db_commit_early) goes once the entry is on disk, out of the turn */
	if (!rc && r->flush_ticket && !r->piece && db_wait_flushed(r->flush_ticket, &r->err))
		fail_reply(r);
}

#define CSP                                                                                         \
	"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "                \
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

static void add_security_headers(struct MHD_Response *resp, int api)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	if (api)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
}

/* A streamed answer (req.h `piece`): read in blocks of STREAM_BLOCK while
 * it is sent, each on a connection taken from the pool for that block
 * alone (a connection held while the client reads could starve the
 * pool), so a download holds one block in memory, not the whole file, and
 * the client receives a block while the next is read.  4 MiB: SQLite finds
 * a block of a blob by walking its overflow pages from the first, once per
 * block (the handle is not kept between blocks), so a 10 MiB file read in
 * 1 MiB blocks walked 11,520 pages for its 2,560 (a fifth of the server's
 * CPU, sqlite3Get4byte); in 4 MiB blocks, 3,072.  With 256 KiB blocks 16
 * downloads of 10 MiB at once took 1.6x the CPU of 1 MiB ones. */
#define STREAM_BLOCK (4u << 20)

struct stream {
	struct server *srv;
	int (*piece)(struct db *c, int64_t key, size_t len, size_t off, char *buf, size_t n, struct err *e);
	int64_t key;
	size_t len;
	uint64_t ticket; /* the flush the first block waits for (RULE privacy.download), or 0 */
};

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;
	if (pos >= s->len)
		return MHD_CONTENT_READER_END_OF_STREAM;
	size_t n = s->len - (size_t)pos < max ? s->len - (size_t)pos : max;
	struct err e = {0};
	struct db *c = db_pool_get(s->srv->pool);
	int rc = s->piece(c, s->key, s->len, (size_t)pos, buf, n, &e);
	db_pool_put(s->srv->pool, c);
	/* read while the audit entry flushed; not sent before it is on disk */
	if (!rc && s->ticket && !(rc = db_wait_flushed(s->ticket, &e)))
		s->ticket = 0;
	if (rc) /* the headers are gone: the client sees a short body */
		log_line("error: stream of %lld at %llu: %s\n", (long long)s->key, (unsigned long long)pos,
			 e.msg);
	err_clear(&e);
	return rc ? MHD_CONTENT_READER_END_WITH_ERROR : (ssize_t)n;
}

static struct MHD_Response *stream_response(struct req *r)
{
	struct stream *s = malloc(sizeof *s);
	if (!s)
		return NULL;
	*s = (struct stream){r->srv, r->piece, r->piece_key, r->stream_len, r->flush_ticket};
	struct MHD_Response *resp = MHD_create_response_from_callback(
		s->len, s->len < STREAM_BLOCK ? (s->len ? s->len : 1) : STREAM_BLOCK, stream_read, s, free);
	if (!resp)
		free(s);
	return resp;
}

static enum MHD_Result answer(struct req *r)
{
	struct MHD_Response *resp;
	if (!r->out && r->piece) {
		resp = stream_response(r);
		if (resp && r->content_type)
			MHD_add_response_header(resp, "Content-Type", r->content_type);
	} else if (r->out) {
		char *text = json_dumps(r->out, JSON_COMPACT); /* libmicrohttpd frees it */
		resp = text ? MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE)
			    : MHD_create_response_from_buffer(0, (char *)"", MHD_RESPMEM_PERSISTENT);
		if (!resp)
			free(text);
		MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
	} else {
		/* static assets live in the binary: no copy needed */
		resp = MHD_create_response_from_buffer(r->raw_len, (void *)(r->raw ? r->raw : ""),
						       r->cache_control || r->raw_lives ? MHD_RESPMEM_PERSISTENT
									: MHD_RESPMEM_MUST_COPY);
		if (r->content_type)
			MHD_add_response_header(resp, "Content-Type", r->content_type);
	}
	if (!resp)
		return MHD_NO;
	add_security_headers(resp, !strncmp(r->path, "/api/", 5) || !strcmp(r->path, "/healthz") || !strcmp(r->path, "/readyz") || !strcmp(r->path, "/metrics"));
	if (r->set_cookie)
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
	if (r->disposition)
		MHD_add_response_header(resp, "Content-Disposition", r->disposition);
	if (r->content_encoding)
		MHD_add_response_header(resp, "Content-Encoding", r->content_encoding);
	if (r->cache_control)
		MHD_add_response_header(resp, "Cache-Control", r->cache_control);
	if (r->content_encoding || r->cache_control)
		MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	if (r->close)
		MHD_add_response_header(resp, "Connection", "close");
	if (!r->status)
		r->status = r->out || r->raw || r->piece ? 200 : 204;
	enum MHD_Result ret = lib_queue(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

struct collect {
	struct edge_header *h;
	int n, cap;
};

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct collect *c = cls;
	if (c->n < c->cap)
		c->h[c->n++] = (struct edge_header){key, value};
	return MHD_YES;
}

static struct req *req_new(struct server *srv, struct MHD_Connection *conn, const char *path, size_t len)
{
	struct arena *a = arena_new();
	struct req *r = arena_alloc(a, sizeof *r); /* zeroed; goes with its arena */
	r->srv = srv;
	r->conn = conn;
	r->t0 = now_ms();
	r->x.a = a;
	r->x.cfg = srv->cfg;
	r->path = arena_strndup(r->x.a, path, len);
	struct conn *cc = conn_of(conn);
	r->x.client = arena_strdup(r->x.a, cc ? cc->peer : "?");
	if (cc)
		cc->cur = r;
	return r;
}

/* MHD_OPTION_URI_LOG_CALLBACK: the request line has been read (its target
 * still percent-encoded, with the query, which is not kept). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct req *r = req_new(cls, conn, uri, strcspn(uri, "?"));
	if (r)
		r->bad_target = edge_bad_target(uri);
	return r;
}

/* The first access callback: every header is in.  0, or 400 queued (with
 * Connection: close, and nothing more read from the connection) when the
 * framing is ambiguous. */
static int req_begin(struct req *r, const char *url, const char *method, const char *version)
{
	r->method = arena_strdup(r->x.a, method);
	r->path = arena_strdup(r->x.a, url);
	client_addr(r, conn_of(r->conn));

	/* a request with more header fields than this is refused as a whole */
	struct edge_header h[100];
	struct collect col = {h, 0, (int)(sizeof h / sizeof h[0])};
	const char *why = NULL;
	if (r->bad_target)
		why = "请求地址含空白或控制字符";
	else if (MHD_get_connection_values(r->conn, MHD_HEADER_KIND, collect_header, &col) > col.cap)
		why = "请求头字段过多（最多 100 个）";
	else
		why = edge_framing_problem(h, col.n, version && !strcmp(version, "HTTP/1.0"));
	if (!why)
		return 0;
	err_set(&r->err, E_BAD_REQUEST, "%s", why);
	r->close = 1;
	req_reply(r, 400, err_to_json(&r->err));
	return -1;
}

/* A scan's body: the file itself plus room for the multipart framing. */
static size_t attachment_body_limit(const struct config *cfg)
{
	return (size_t)(cfg->attachment_max > 0 ? cfg->attachment_max : 10LL << 20) + (64u << 10);
}

/* An upload whose length is announced is read into one buffer of its size:
 * no doubling reallocs (a copy each) on the way to 10 MiB.  0 on OOM. */
static int preallocate(struct req *r, size_t n)
{
	if (r->body_cap >= n + 1)
		return 1;
	char *nb = realloc(r->body, n + 1);
	if (!nb)
		return 0;
	r->body = nb;
	r->body_cap = n + 1;
	return 1;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct req *r = *con_cls;
	if (!r && !(r = *con_cls = req_new(cls, conn, url, strlen(url))))
		return MHD_NO;
	if (!r->method) {
		if (req_begin(r, url, method, version))
			return answer(r);
		int known;
		const struct route *rt = route_match(r, method, url, &known);
		r->body_limit = rt && (rt->flags & R_BIG_BODY) ? BIG_BODY_LIMIT : BODY_LIMIT;
		if (rt && (rt->flags & R_FILE_BODY))
			r->body_limit = attachment_body_limit(r->srv->cfg);
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > r->body_limit)
			r->too_large = 1;
		else if (cl && rt && (rt->flags & R_FILE_BODY) && !preallocate(r, strtoull(cl, NULL, 10)))
			return MHD_NO;
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (r->too_large || r->body_len + n > r->body_limit) {
			r->too_large = 1;
			return MHD_YES;
		}
		if (r->body_len + n + 1 > r->body_cap) {
			size_t cap = r->body_cap ? r->body_cap : 4096;
			while (cap < r->body_len + n + 1)
				cap *= 2;
			char *nb = realloc(r->body, cap);
			if (!nb)
				return MHD_NO;
			r->body = nb;
			r->body_cap = cap;
		}
		memcpy(r->body + r->body_len, upload, n);
		r->body_len += n;
		r->body[r->body_len] = '\0';
		return MHD_YES;
	}
	if (static_serve(r) != 0)
		dispatch(r);
	return answer(r);
}

/* One log line, cut at 1 KiB, whole in the log: gathered with the other
 * workers' and written by logbuf.c's flusher while serving. */
static void log_line(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n > 0)
		logbuf_write(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* Counts one answer in /metrics and writes its access line.  Every field
 * a client chose is escaped (edge_log_escape): a newline in a path cannot
 * start a line of its own. */
static void account(struct server *srv, double t0, const char *ts, const char *client, const char *method,
		    const char *path, int status, long long uid, const char *user, int aborted)
{
	double ms = now_ms() - t0;
	int klass = status / 100;
	__atomic_add_fetch(&srv->requests[klass >= 1 && klass <= 5 ? klass : 0], 1, __ATOMIC_RELAXED);
	int b = 0;
	while (b < NBUCKETS && ms > buckets_ms[b])
		b++;
	__atomic_add_fetch(&srv->latency[b], 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&srv->latency_us_sum, (unsigned long long)(ms * 1000), __ATOMIC_RELAXED);
	char c[64], m[64], p[401], u[130];
	edge_log_escape(c, sizeof c, client, 0);
	edge_log_escape(m, sizeof m, method, 0);
	edge_log_escape(p, sizeof p, path, 0);
	edge_log_escape(u, sizeof u, user, 0);
	long long cs = (long long)(ms * 100 + 0.5); /* ms to two places, without printf's floating point */
	log_line("access ts=%s client=%s method=%s path=%s status=%d ms=%lld.%02lld uid=%lld user=%s%s\n", ts, c, m,
		 p, status, cs / 100, cs % 100, uid, u, aborted ? " aborted=1" : "");
}

/* MHD_OPTION_EXTERNAL_LOGGER: the library's messages, one escaped line
 * each (none of them can start a forged line of the access log). */
static void on_library_message(void *cls, const char *fmt, va_list ap)
{
	char msg[600], esc[1000];
	vsnprintf(msg, sizeof msg, fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	edge_log_escape(esc, sizeof esc, msg, 1);
	log_line("libmicrohttpd: %s\n", esc);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct req *r = *con_cls;
	if (!r)
		return;
	struct conn *cc = conn_of(conn);
	if (cc && cc->cur == r)
		cc->cur = NULL;
	/* The path is libmicrohttpd's, without the query string (queries may
	 * hold names); ID numbers never travel in a path (RULE privacy.url). */
	account(r->srv, r->t0, r->x.now_s[0] ? r->x.now_s : "-", r->x.client, r->method, r->path, r->status,
		(long long)r->x.who.id, r->x.who.username, toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && !r->answered);
	if (r->x.db)
		db_pool_put(r->srv->pool, r->x.db);
	json_decref(r->in);
	json_decref(r->scoped);
	json_decref(r->out);
	err_clear(&r->err);
	free(r->body);
	arena_free(r->x.a); /* r too */
	*con_cls = NULL;
}

/* MHD_OPTION_NOTIFY_CONNECTION: a struct conn for each TCP connection. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		struct conn *cc = calloc(1, sizeof *cc);
		if (cc) {
			cc->srv = cls;
			peer_addr(conn, cc->peer);
		}
		*socket_context = cc;
	} else {
		free(*socket_context);
		*socket_context = NULL;
	}
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, struct err *e)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	if (!colon || (size_t)(colon - listen) >= sizeof host)
		return err_set(e, E_USAGE, "--listen 应为 主机:端口，例如 127.0.0.1:8080");
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (*end || port < 1 || port > 65535 ||
	    inet_pton(AF_INET, strcmp(host, "localhost") ? host : "127.0.0.1", &sa->sin_addr) != 1)
		return err_set(e, E_USAGE, "--listen 无效：%s", listen);
	return 0;
}

/* Fresh planner statistics on SQLite (RULE db.stats, store/db_stats.c): a
 * database that grew since its last ANALYZE would be planned by stale row
 * counts.  PostgreSQL's autovacuum keeps its own. */
static int refresh_stats(struct db *c, struct err *e)
{
	return db_refresh_stats(c, NULL, e);
}

/* Every --analyze-every seconds while serving; one line to the log. */
static void refresh_stats_logged(struct server *srv)
{
	struct err e = {0};
	double t0 = now_ms();
	struct db *c = db_pool_get(srv->pool);
	int sqlite = db_kind(c) == DB_SQLITE, rc = sqlite ? refresh_stats(c, &e) : 0;
	db_pool_put(srv->pool, c);
	if (!sqlite)
		return;
	log_line("maintenance task=analyze status=%s ms=%.2f%s%.500s\n", rc ? "failed" : "ok",
		 now_ms() - t0, rc ? " error=" : "", rc ? e.msg : "");
	err_clear(&e);
}

/* RULE watch.end at every tick, on both engines; a line to the log when it
 * cleared something or failed. */
static void watch_end_logged(struct server *srv)
{
	struct ctx x = {.cfg = srv->cfg, .a = arena_new(), .client = "maintenance"};
	ctx_as_system(&x, "system");
	struct err e = {0};
	double t0 = now_ms();
	int64_t n = 0;
	int rc = ctx_set_clock(&x, &e);
	if (!rc) {
		x.db = db_pool_get(srv->pool);
		rc = watch_end_run(&x, &n, &e);
		db_pool_put(srv->pool, x.db);
	}
	if (rc || n)
		log_line("maintenance task=watch_end status=%s archives=%lld ms=%.2f%s%.500s\n", rc ? "failed" : "ok",
			 (long long)n, now_ms() - t0, rc ? " error=" : "", rc ? e.msg : "");
	err_clear(&e);
	arena_free(x.a);
}

/* serve --report-db (RULE report.replica): a pool on a PostgreSQL standby
 * of the primary, for the R_REPORT routes, at the primary's schema
 * version (a standby behind a migration would answer with old columns). */
static int reports_open(struct server *srv, int pg, struct err *e)
{
	int rc = db_pool_open(srv->cfg->report_db_url, srv->cfg->threads, &srv->reports, e);
	if (rc)
		return rc;
	struct db *c = db_pool_get(srv->reports);
	if (!pg || db_kind(c) != DB_PG)
		rc = err_set(e, E_VALIDATION_FAILED, "--report-db 须为 PostgreSQL 备库（主库也须为 PostgreSQL）");
	else
		rc = migrate_check(c, e);
	db_pool_put(srv->reports, c);
	if (rc) {
		db_pool_close(srv->reports);
		srv->reports = NULL;
	}
	return rc;
}

int server_run(const struct config *cfg, struct err *e)
{
	struct server srv = {.cfg = cfg};
	struct sockaddr_in sa;
	int rc = parse_listen(cfg->listen, &sa, e);
	if (rc)
		return rc;
	/* Signals are taken by this thread alone (sigwait below): blocked
	 * before any other thread starts, the pool's checkpointer
	 * (db_ckpt.c) too, since a thread created before would take a
	 * SIGTERM sent while this one runs a maintenance task, and die of it */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((rc = db_pool_open(cfg->db_url, cfg->threads, &srv.pool, e)))
		return rc;
	struct db *c = db_pool_get(srv.pool);
	rc = migrate_check(c, e);
	int pg = db_kind(c) == DB_PG;
	db_pool_put(srv.pool, c);
	if (!rc && cfg->report_db_url)
		rc = reports_open(&srv, pg, e);
	if (rc) {
		db_pool_close(srv.pool);
		return rc;
	}

	auth_prepare();
	pthread_once(&lib_queue_once, lib_queue_find);
	if (!lib_queue) {
		db_pool_close(srv.reports);
		db_pool_close(srv.pool);
		return err_set(e, E_INTERNAL, "找不到 libmicrohttpd 的 MHD_queue_response");
	}
	/* Framing is checked by req_begin() (edge.h), not by the library's
	 * MHD_OPTION_STRICT_FOR_CLIENT: in 0.9.75 its level 1 closes the
	 * connection without an answer for a space in the target and sends
	 * the header block twice for a missing Host, and its level -1 (the
	 * only one refusing a space before a colon) is the lenient level
	 * (docs/deployment.md "The HTTP edge"). */
	logbuf_start(STDERR_FILENO); /* at once when it cannot start */
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, NULL, NULL,
		on_request, &srv, MHD_OPTION_EXTERNAL_LOGGER, on_library_message, &srv,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_conns,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->conn_timeout_s,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(cfg->max_conns / 2 + 1),
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, &srv,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, &srv,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv, MHD_OPTION_END);
	if (!d) {
		logbuf_stop();
		db_pool_close(srv.reports);
		db_pool_close(srv.pool);
		return err_set(e, E_INTERNAL, "无法监听 %s（端口被占用？）", cfg->listen);
	}
	log_line("bangfu: serving on http://%s (%d workers)\n", cfg->listen, cfg->threads);
	/* wait for a signal; between two, refresh the statistics: first at
	 * once, while serving (exact statistics after a big change take their
	 * time: more than the benchmark's 10 s wait for a start once six
	 * million payments were added; the requests meanwhile are planned by
	 * the statistics as they were) */
	int sig, first = 1;
	for (;;) {
		struct timespec ts = {.tv_sec = first ? 0 : cfg->analyze_every_s};
		first = 0;
		if ((sig = sigtimedwait(&set, NULL, &ts)) > 0)
			break;
		if (errno == EAGAIN) {
			watch_end_logged(&srv);
			refresh_stats_logged(&srv);
		}
	}
	log_line("bangfu: %s received, finishing in-flight requests\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	MHD_quiesce_daemon(d);
	MHD_stop_daemon(d);
	db_pool_close(srv.reports);
	db_pool_close(srv.pool);
	logbuf_stop(); /* the lines still in memory */
	fprintf(stderr, "bangfu: stopped cleanly\n");
	return 0;
}

/* --- the library's own error answers ------------------------------------- */

/* The API's error for a status libmicrohttpd answered by itself: its
 * JSON text (malloc'd) and the status bangfu answers instead (a 500 from
 * the library is the client's chunk-size line longer than the read
 * buffer: 413 too_large, as libmicrohttpd 0.9.77 answers it). */
static char *library_error(unsigned status, unsigned *http)
{
	struct err e = {0};
	switch (status) {
	case 413:
	case 500:
		err_set(&e, E_TOO_LARGE, "请求体的长度或分块头超过上限");
		break;
	case 414:
		err_set(&e, E_URI_TOO_LONG, NULL);
		break;
	case 431:
		err_set(&e, E_HEADERS_TOO_LARGE, NULL);
		break;
	case 505:
		err_set(&e, E_HTTP_VERSION, NULL);
		break;
	default:
		err_set(&e, E_BAD_REQUEST, "HTTP 请求格式错误");
	}
	*http = (unsigned)err_http_status(e.code);
	json_t *j = err_to_json(&e);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return text;
}

/* Writes a whole answer to the socket itself: for the one path where
 * libmicrohttpd 0.9.75 (and 0.9.76) would send the header block twice —
 * an error found while parsing the header fields (a Content-Length that is
 * not a number or beyond 2^64, HTTP/1.1 without Host), where its state
 * machine builds the reply again after the error reply.  The library then
 * closes the connection (the caller answers it MHD_NO). */
static int raw_answer(struct MHD_Connection *c, unsigned http, const char *text)
{
	const union MHD_ConnectionInfo *fd = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	static const char *const reasons[] = {[0] = "Bad Request", [13] = "Content Too Large",
					      [14] = "URI Too Long", [31] = "Request Header Fields Too Large"};
	const char *reason = http >= 400 && http <= 431 && reasons[http - 400] ? reasons[http - 400] : "Error";
	char head[1024];
	int n = snprintf(head, sizeof head,
			 "HTTP/1.1 %u %s\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n"
			 "X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nX-Frame-Options: DENY\r\n"
			 "Content-Security-Policy: " CSP "\r\nCache-Control: no-store\r\nContent-Length: %zu\r\n\r\n",
			 http, reason, strlen(text));
	if (!fd || n <= 0 || (size_t)n >= sizeof head)
		return -1;
	struct iovec iov[2] = {{head, (size_t)n}, {(void *)text, strlen(text)}};
	struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2};
	return sendmsg(fd->connect_fd, &m, MSG_NOSIGNAL) == (ssize_t)((size_t)n + strlen(text)) ? 0 : -1;
}

/* libmicrohttpd 0.9.75 answers some requests by itself, before or while
 * reading them: 414 (a request target over its memory pool), 431 (header
 * fields over it), 400 (a malformed request line, header line, chunk or
 * Content-Length; HTTP/1.1 without Host), 413 (a Content-Length or chunk
 * size beyond 2^64), 505 (HTTP/2.0 and the like) and 500 (a chunk-size
 * line longer than the read buffer: a 100 KB chunk extension).  Its bodies
 * are fixed HTML, and no option or callback changes them (neither does
 * 0.9.77's MHD_OPTION_CLIENT_DISCIPLINE_LVL).  But it queues them through
 * its exported MHD_queue_response, called through the PLT, and a definition
 * in the executable comes first in symbol lookup: this one.  bangfu's own
 * answers call the library's (lib_queue) directly, so only the library's
 * errors arrive here.  Each becomes the API's JSON error, counted and
 * logged like any answer (by the completed callback once the request line
 * was read, here otherwise).  tests/api/edge.test.mjs fails if the library
 * stops calling through here.  A connection that is not bangfu's (no
 * struct conn) passes through unchanged. */
enum MHD_Result MHD_queue_response(struct MHD_Connection *c, unsigned int status, struct MHD_Response *resp)
{
	pthread_once(&lib_queue_once, lib_queue_find);
	struct conn *cc = c ? conn_of(c) : NULL;
	if (!cc || !lib_queue)
		return lib_queue ? lib_queue(c, status, resp) : MHD_NO;
	unsigned http;
	char *text = library_error(status, &http);
	if (!text)
		return lib_queue(c, status, resp);
	struct req *r = cc->cur;
	if (r)
		r->status = (int)http; /* logged when the request completes */
	else
		account(cc->srv, now_ms(), "-", cc->peer, NULL, NULL, (int)http, 0, NULL, 0);

	/* header fields all read, the access callback not called yet: the
	 * doubled-header path (raw_answer) */
	const union MHD_ConnectionInfo *hs = MHD_get_connection_info(c, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
	if (r && !r->method && hs && hs->header_size > 0) {
		if (raw_answer(c, http, text) == 0)
			r->answered = 1;
		free(text);
		return MHD_NO;
	}
	struct MHD_Response *mine = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_COPY);
	free(text);
	if (!mine)
		return lib_queue(c, status, resp);
	MHD_add_response_header(mine, "Content-Type", "application/json; charset=utf-8");
	add_security_headers(mine, 1);
	MHD_add_response_header(mine, "Connection", "close");
	enum MHD_Result ret = lib_queue(c, http, mine);
	MHD_destroy_response(mine);
	if (r && ret == MHD_YES)
		r->answered = 1;
	return ret;
}
