/* server.c — libmicrohttpd glue and the dispatcher.
 *
 * Request lifecycle: the first callback creates `struct req` and answers
 * MHD_YES without queuing (queuing on the first call makes libmicrohttpd
 * close the connection — 3–9× slower); body chunks are appended under the
 * route's size cap; the last call dispatches and queues the answer; the
 * completed callback frees the request.
 */
#include "http/server.h"
#include "store/db_writer.h"

#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include "http/route.h"
#include "http/static.h"
#include "rules/utf8.h"
#include "services/audit.h"
#include "services/auth.h"
#include "store/migrate.h"

#define BODY_LIMIT (1u << 20)
#define BIG_BODY_LIMIT (10u << 20)

/* Latency buckets of /metrics, in milliseconds. */
static const double buckets_ms[] = {1, 5, 10, 50, 100, 500, 1000, 5000};
#define NBUCKETS (int)(sizeof buckets_ms / sizeof buckets_ms[0])

struct server {
	const struct config *cfg;
	struct db_pool *pool;
	/* counters for /metrics; updated with atomic adds by every worker */
	unsigned long long requests[6];          /* by status class: 1xx..5xx, [0] other */
	unsigned long long latency[NBUCKETS + 1]; /* cumulative per bucket, last = +Inf */
	unsigned long long latency_us_sum;
};

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

static void client_addr(struct req *r)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char buf[INET6_ADDRSTRLEN] = "?";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, sizeof buf);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf,
				  sizeof buf);
	}
	r->x.client = arena_strdup(r->x.a, buf);
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

static int run_route(struct req *r)
{
	const struct route *rt = r->route;
	int rc, write = is_unsafe(r->method) || (rt->flags & R_WRITE_TX);

	if (r->too_large)
		return err_set(&r->err, E_TOO_LARGE, "请求体超过上限（%zu MiB）", r->body_limit >> 20);
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
	if (rt->perm != P_PUBLIC) {
		if ((rc = auth_authenticate(r)))
			return rc;
		if (r->via_cookie && is_unsafe(r->method) && (rc = auth_check_csrf(r)))
			return rc;
	}
	if (write && !(rt->flags & R_OWN_TX)) {
		/* SQLite: the request writers share commits (RULE db.group_commit) */
		struct db *w = db_pool_writer(r->srv->pool);
		if (w) {
			r->pooled = r->x.db;
			r->x.db = w;
		}
		if ((rc = db_begin(r->x.db, 1, &r->err)))
			return rc;
	}
	if (rt->scope && (rc = rt->scope(r)))
		return rc;
	if (!perm_allows(r->x.who.role, rt->perm))
		return req_deny(r, E_FORBIDDEN, NULL);
	if ((rc = validate_body(r, rt->body)))
		return rc;
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
		if (r->err.code == E_OK)
			err_set(&r->err, E_INTERNAL, NULL);
		if (r->err.code == E_INTERNAL || r->err.code == E_DB)
			fprintf(stderr, "error: %s %s: %s\n", r->method, r->path, r->err.msg);
		r->raw = NULL;
		req_reply(r, err_http_status(r->err.code), err_to_json(&r->err));
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
}

static void add_security_headers(struct MHD_Response *resp, int api)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
				"frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
	if (api)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
}

static enum MHD_Result answer(struct req *r)
{
	struct MHD_Response *resp;
	if (r->out) {
		char *text = json_dumps(r->out, JSON_COMPACT);
		size_t n = text ? strlen(text) : 0;
		resp = MHD_create_response_from_buffer(n, text ? text : (char *)"", MHD_RESPMEM_MUST_COPY);
		free(text);
		MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
	} else {
		/* static assets live in the binary: no copy needed */
		resp = MHD_create_response_from_buffer(r->raw_len, (void *)(r->raw ? r->raw : ""),
						       r->cache_control ? MHD_RESPMEM_PERSISTENT
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
	if (!r->status)
		r->status = r->out || r->raw ? 200 : 204;
	enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct server *srv = cls;
	struct req *r = *con_cls;
	if (!r) {
		r = calloc(1, sizeof *r);
		r->srv = srv;
		r->conn = conn;
		r->t0 = now_ms();
		r->x.a = arena_new();
		r->x.cfg = srv->cfg;
		r->method = arena_strdup(r->x.a, method);
		r->path = arena_strdup(r->x.a, url);
		client_addr(r);
		int known;
		const struct route *rt = route_match(r, method, url, &known);
		r->body_limit = rt && (rt->flags & R_BIG_BODY) ? BIG_BODY_LIMIT : BODY_LIMIT;
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > r->body_limit)
			r->too_large = 1;
		*con_cls = r;
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

/* One log line, in one write(2): stderr's stdio lock is shared by every
 * worker.  Cut at 1 KiB. */
__attribute__((format(printf, 1, 2))) static void log_line(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n > 0 && write(STDERR_FILENO, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1) < 0)
		n = 0; /* nowhere to report a failed log write */
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct req *r = *con_cls;
	if (!r)
		return;
	double ms = now_ms() - r->t0;
	int klass = r->status / 100;
	__atomic_add_fetch(&r->srv->requests[klass >= 1 && klass <= 5 ? klass : 0], 1, __ATOMIC_RELAXED);
	int b = 0;
	while (b < NBUCKETS && ms > buckets_ms[b])
		b++;
	__atomic_add_fetch(&r->srv->latency[b], 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&r->srv->latency_us_sum, (unsigned long long)(ms * 1000), __ATOMIC_RELAXED);
	/* The path is libmicrohttpd's, without the query string (queries may
	 * hold names); ID numbers never travel in a path (RULE privacy.url). */
	log_line("access ts=%s client=%s method=%s path=%.400s status=%d ms=%.2f uid=%lld user=%s%s\n",
		 r->x.now_s[0] ? r->x.now_s : "-", r->x.client ? r->x.client : "-", r->method, r->path,
		 r->status, now_ms() - r->t0, (long long)r->x.who.id,
		 r->x.who.username ? r->x.who.username : "-",
		 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
	if (r->x.db)
		db_pool_put(r->srv->pool, r->x.db);
	json_decref(r->in);
	json_decref(r->out);
	err_clear(&r->err);
	free(r->body);
	arena_free(r->x.a);
	free(r);
	*con_cls = NULL;
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

/* Fresh planner statistics, sampled, on SQLite: a database that grew since
 * its last ANALYZE would be planned by stale row counts.  Up to 100,000
 * rows of each index: 0.8 s on a 7.5 GB database, whatever its size.  With
 * 1,000 (22 ms) every unit looked like 1,001 archives against 17,600, and
 * an archive-number search walked the units instead of its index: 2.3 s
 * (docs/benchmarks.md).  Taken as a write, in turn with the other writers.
 * PostgreSQL's autovacuum keeps its own. */
static int refresh_stats(struct db *c, struct err *e)
{
	if (db_kind(c) != DB_SQLITE)
		return 0;
	int rc = db_begin(c, 1, e);
	if (!rc && !(rc = db_exec(c, "PRAGMA analysis_limit = 100000; ANALYZE", e)))
		rc = db_commit(c, e);
	db_rollback(c);
	return rc;
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

int server_run(const struct config *cfg, struct err *e)
{
	struct server srv = {.cfg = cfg};
	struct sockaddr_in sa;
	int rc = parse_listen(cfg->listen, &sa, e);
	if (rc)
		return rc;
	if ((rc = db_pool_open(cfg->db_url, cfg->threads, &srv.pool, e)))
		return rc;
	struct db *c = db_pool_get(srv.pool);
	rc = migrate_check(c, e);
	if (!rc)
		rc = refresh_stats(c, e);
	db_pool_put(srv.pool, c);
	if (rc) {
		db_pool_close(srv.pool);
		return rc;
	}

	/* Signals are taken by this thread alone (sigwait below). */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, NULL, NULL,
		on_request, &srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_conns,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->conn_timeout_s,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(cfg->max_conns / 2 + 1),
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv, MHD_OPTION_END);
	if (!d) {
		db_pool_close(srv.pool);
		return err_set(e, E_INTERNAL, "无法监听 %s（端口被占用？）", cfg->listen);
	}
	fprintf(stderr, "bangfu: serving on http://%s (%d workers)\n", cfg->listen, cfg->threads);
	/* wait for a signal; between two, refresh the statistics */
	int sig;
	for (;;) {
		struct timespec ts = {.tv_sec = cfg->analyze_every_s};
		if ((sig = sigtimedwait(&set, NULL, &ts)) > 0)
			break;
		if (errno == EAGAIN)
			refresh_stats_logged(&srv);
	}
	fprintf(stderr, "bangfu: %s received, finishing in-flight requests\n",
		sig == SIGINT ? "SIGINT" : "SIGTERM");
	MHD_quiesce_daemon(d);
	MHD_stop_daemon(d);
	db_pool_close(srv.pool);
	fprintf(stderr, "bangfu: stopped cleanly\n");
	return 0;
}
