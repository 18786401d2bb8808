/* route.h — the shape of the one route table (routes.c).
 *
 * Before a handler runs, the dispatcher (server.c) has, in this order:
 * matched method and path, capped the body size, parsed the JSON body,
 * read the clock, authenticated the caller, checked CSRF for cookie
 * sessions, run the route's scope check (404 for a record outside the
 * caller's subtree), checked the permission (403, audited), and validated
 * the body against the field spec (400 for shape and type, 422 for values).
 * Routes with unsafe methods run inside one write transaction, committed
 * only when the handler succeeds: the audit entry and the change commit
 * together or not at all.
 */
#ifndef BANGFU_ROUTE_H
#define BANGFU_ROUTE_H

#include <stdint.h>

#include "http/req.h"
#include "rules/perm.h"

enum ftype { F_STR, F_INT, F_BOOL, F_ARR, F_OBJ, F_DATE };

enum {
	F_REQ = 1 << 0,      /* must be present (and, for strings, non-blank) */
	F_NULL = 1 << 1,     /* may be null */
};

/* One body field.  For F_STR, min/max bound the length in characters; for
 * F_INT, the value; for F_ARR, the number of elements.  max == 0 means no
 * upper bound (strings still stop at 10,000 characters). */
struct field {
	const char *name;
	enum ftype type;
	unsigned flags;
	int64_t min, max;
	const char *label;   /* zh-CN name for messages */
	const struct field *of; /* F_ARR: the spec of each element (objects) */
};
#define FIELDS_END {0, 0, 0, 0, 0, 0, 0}

enum {
	R_OWN_TX = 1 << 0,   /* the handler manages its own transactions */
	R_BIG_BODY = 1 << 1, /* imports: 10 MiB body limit instead of 1 MiB */
	R_RAW_BODY = 1 << 2, /* body is not JSON (files) */
	R_WRITE_TX = 1 << 3, /* a GET that writes (e.g. audit of a full ID read) */
	R_QUERY = 1 << 4,    /* a POST that only reads (the body keeps ID numbers out of URLs) */
	R_FILE_BODY = 1 << 5, /* attachments: the body limit is serve --attachment-max (and a multipart margin) */
	R_TURN = 1 << 6,      /* a write from the session on: its read, the scope and the handler in the writers' turn */
	R_REPORT = 1 << 7,    /* a read-only report: its handler reads serve --report-db (a standby) when given */
};

struct route {
	const char *method;
	const char *pattern;          /* "/api/v1/orgs/:id" — ":x" matches one segment */
	int (*handler)(struct req *r);
	enum perm perm;
	const char *entity;           /* audit entity of the resource */
	int (*scope)(struct req *r);  /* 0 in scope, -E_NOT_FOUND otherwise */
	const struct field *body;     /* NULL: no JSON body expected */
	unsigned flags;
};

extern const struct route routes[];
extern const int routes_count;

/* Finds the route for method + path; fills r->param/id.  Returns the
 * route, or NULL with *path_known set when only the method is wrong. */
const struct route *route_match(struct req *r, const char *method, const char *path,
				int *path_known);

/* Checks the rules every row must keep (a permission unless listed as
 * public, an entity, a handler, no duplicate).  Returns 0, or -1 with the
 * first offending row described in msg. */
int route_table_check(const struct route *tab, int n, char *msg, size_t msglen);
/* The table as a JSON array of {method, pattern, perm, entity, scoped, body,
 * raw_body, roles}; the caller owns it. */
json_t *route_table_json(void);

/* Checks r->in against spec.  Returns 0 or <0 with r->err set. */
int validate_body(struct req *r, const struct field *spec);
/* Checks one object against spec; field names in errors get `prefix`
 * ("members[2]."). */
int validate_object(struct err *e, json_t *obj, const struct field *spec, const char *prefix);

#endif
