/* err.h — the one error enum of bangfu.
 *
 * Every layer reports failure as an `enum err_code` inside a `struct err`
 * (code + zh-CN message + optional JSON details).  The code maps to the HTTP
 * status, the JSON `error.code` and the CLI exit status in exactly one
 * place: err.c's table.  A constraint violation is an ordinary return value;
 * a broken invariant is an assert().
 */
#ifndef BANGFU_ERR_H
#define BANGFU_ERR_H

#include <jansson.h>

enum err_code {
	E_OK = 0,
	E_BAD_JSON,
	E_BAD_REQUEST,
	E_UNAUTHENTICATED,
	E_INVALID_CREDENTIALS,
	E_FORBIDDEN,
	E_CSRF_FAILED,
	E_SEPARATION_OF_DUTIES,
	E_NOT_FOUND,
	E_METHOD_NOT_ALLOWED,
	E_DUPLICATE_ID_NUMBER,
	E_INVALID_TRANSITION,
	E_NOTICE_PERIOD,
	E_OPEN_OBJECTION,
	E_INSUFFICIENT_FUNDS,
	E_CONFLICT,
	E_TOO_LARGE,
	E_URI_TOO_LONG,       /* the HTTP edge: request-target over the library's limit */
	E_HEADERS_TOO_LARGE,  /* the HTTP edge: header fields over the library's limit */
	E_UNSUPPORTED_MEDIA_TYPE,
	E_VALIDATION_FAILED,
	E_NOT_ELIGIBLE,
	E_ACCOUNT_LOCKED,
	E_RATE_LIMITED,
	E_INTERNAL,
	E_DB,        /* the database failed (I/O, connection); not the caller's fault */
	E_HTTP_VERSION, /* the HTTP edge: not HTTP/1.0 or 1.1 */
	E_USAGE,     /* CLI only: wrong arguments */
	E__MAX
};

struct err {
	enum err_code code;
	char msg[512];
	json_t *details; /* owned; NULL or an object */
};

/* Sets e (when non-NULL) and returns -code, so callers write
 * `return err_set(e, E_NOT_FOUND, NULL);`.  A NULL fmt takes the default
 * zh-CN message of the code. */
int err_set(struct err *e, enum err_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Adds details.fields[field] = msg and sets E_VALIDATION_FAILED (unless e
 * already holds another code).  Returns -E_VALIDATION_FAILED. */
int err_field(struct err *e, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* E_VALIDATION_FAILED with msg and details.missing_documents = missing (the
 * names of the papers a step still needs).  Returns -E_VALIDATION_FAILED. */
int err_missing_documents(struct err *e, const char *msg, json_t *missing);

/* Adds one string to details[key] (an array), e.g. "reasons". */
void err_detail_push(struct err *e, const char *key, const char *text);

void err_clear(struct err *e);

int err_http_status(enum err_code code);
const char *err_json_code(enum err_code code);
const char *err_default_msg(enum err_code code);
int err_exit_code(enum err_code code); /* CLI: 1 run-time, 2 usage */

/* {"error":{"code","message","details"}}; a new reference. */
json_t *err_to_json(const struct err *e);

#endif
