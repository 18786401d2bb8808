/* req.h — one HTTP request as the handlers see it.
 *
 * Created when libmicrohttpd has read the request line (its URI log
 * callback), freed in the completed callback.  Everything allocated for it comes from
 * r->x.a (the arena) or is a JSON reference owned by r (in, out).
 */
#ifndef BANGFU_REQ_H
#define BANGFU_REQ_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"

struct route;
struct server;

#define REQ_MAX_PARAMS 4

struct req {
	struct ctx x;
	struct err err;
	struct server *srv;
	void *conn;                   /* struct MHD_Connection * */
	const struct route *route;
	const char *method;
	const char *path;             /* without the query */
	const char *param[REQ_MAX_PARAMS]; /* path parameters, in order */
	int nparam;
	int64_t id;                   /* the first numeric path parameter */

	char *body;                   /* raw body (malloc'd, NUL-terminated) */
	size_t body_len, body_cap, body_limit;
	int too_large;
	json_t *in;                   /* parsed body, or NULL */
	json_t *scoped;               /* the record a scope check loaded (owned), or NULL */

	int64_t session_id;
	int64_t orgs_gen;   /* kept_gen 'orgs', read with the session (RULE orgs.cache) */
	int via_cookie;
	const char *csrf;             /* the session's CSRF token */

	int status;                   /* answer */
	json_t *out;                  /* JSON answer (owned) */
	const char *raw;              /* or a raw answer (arena or static) */
	size_t raw_len;
	const char *content_type;
	const char *set_cookie;
	const char *disposition;      /* Content-Disposition of a file answer */
	const char *content_encoding; /* "gzip" for pre-compressed assets */
	const char *cache_control;    /* static files; API answers are no-store */
	int raw_lives;                /* raw lives as long as r (arena): sent without a copy */
	/* or a body of stream_len bytes read while it is sent (a download):
	 * piece() fills buf with the n bytes at off, on a connection of the
	 * pool (the request's own has gone back to it), key its argument */
	int (*piece)(struct db *c, int64_t key, size_t len, size_t off, char *buf, size_t n, struct err *e);
	int64_t piece_key;
	size_t stream_len;
	/* the handler committed early (db_commit_early, RULE
	 * privacy.download): nothing is sent before this flush returns */
	uint64_t flush_ticket;
	int close;                    /* answer with Connection: close (bad framing) */
	int answered;                 /* the library's error answer went out (server.c) */
	int bad_target;               /* whitespace or a control character in the request line's target */
	double t0;
	struct db *pooled;            /* x.db's own while it is the pool's writer */
	struct db *primary;           /* x.db's own while it is a --report-db connection (R_REPORT) */
};

/* Query parameter, or NULL. */
const char *req_query(struct req *r, const char *name);
/* Integer query parameter within [min, max]; absent → def.  A bad value
 * answers 422 with details.fields[name]. */
int req_query_int(struct req *r, const char *name, int64_t def, int64_t min, int64_t max,
		  int64_t *out);
/* ?limit= (default 50, max 500) and ?offset=. */
int req_paging(struct req *r, int64_t *limit, int64_t *offset);
/* Sets the JSON answer (steals the reference). Returns 0. */
int req_reply(struct req *r, int status, json_t *out);
/* A finished JSON text (malloc'd; taken over and freed here). */
int req_reply_text(struct req *r, int status, char *text);
/* {"items": items, "total": total} */
int req_reply_list(struct req *r, json_t *items, int64_t total);
const char *req_header(struct req *r, const char *name);
/* An uploaded file: the body itself, or the multipart field `file`, into
 * *part (data, len, and the part's content type and file name; for a plain
 * body the request's Content-Type and no name).  Raises 400 bad_request for
 * a malformed multipart body or no file at all (`what` names the file in
 * the message: "普查表"). */
struct mp_part;
int req_file(struct req *r, const char *what, struct mp_part *part);
const char *req_cookie(struct req *r, const char *name);

/* Begins the request's write transaction now (on SQLite on the pool's
 * writer, in turn with the other request writers: RULE db.group_commit);
 * the server commits it after the handler.  For an R_OWN_TX handler that
 * reads first, outside the writer's turn, and writes last. */
int req_begin_write(struct req *r);

/* Refuses with 403 (code E_FORBIDDEN or E_SEPARATION_OF_DUTIES) and writes
 * the refusal to the audit log in a transaction of its own. */
int req_deny(struct req *r, enum err_code code, const char *msg);

/* Body field accessors: the body was checked against the route's spec, so
 * these only pick values.  Absent → the default. */
const char *body_str(struct req *r, const char *name);       /* NULL if absent/null */
int64_t body_int(struct req *r, const char *name, int64_t def);
int body_bool(struct req *r, const char *name, int def);
int body_has(struct req *r, const char *name);

#endif
