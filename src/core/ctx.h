/* ctx.h — what a service call needs: a connection, an arena, the clock,
 * who is acting, and the configuration.  The HTTP layer builds one per
 * request; the CLI builds one per command.  No global request state.
 */
#ifndef BANGFU_CTX_H
#define BANGFU_CTX_H

#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "rules/dates.h"
#include "rules/perm.h"
#include "store/db.h"

struct config {
	const char *db_url;
	const char *listen;       /* HOST:PORT */
	const char *clock_file;   /* NULL: the system clock */
	const char *tz;           /* the zone of "today" (core/tz.h); NULL: Asia/Shanghai */
	int session_idle_min;     /* idle expiry of sessions and tokens */
	int threads;              /* HTTP workers = database connections */
	int max_conns;            /* open connections at most */
	int conn_timeout_s;       /* idle/slow connection timeout */
	int analyze_every_s;      /* serve: refresh SQLite's statistics this often */
	const char *trusted_proxies; /* serve: comma-separated proxy addresses whose
				      * X-Forwarded-For names the client; NULL: none */
	long long attachment_max; /* serve --attachment-max: bytes of one scan; 0: 10 MiB */
	const char *report_db_url; /* serve --report-db: a PostgreSQL standby for the reports; NULL: db_url */
};

enum org_level { LEVEL_CITY, LEVEL_DISTRICT, LEVEL_STREET, LEVEL_GRASSROOTS, LEVEL__MAX };

struct actor {
	int64_t id;               /* 0: the system (CLI without --user) */
	const char *username;
	const char *name;
	enum role role;
	int64_t org_id;
	const char *org_path;     /* '/1/4/' — the root of the actor's scope */
	enum org_level org_level;
	const char *org_name;
	int must_change;          /* must_change_password */
};

struct cal_known;

struct ctx {
	struct db *db;
	struct arena *a;
	const struct config *cfg;
	int64_t now;              /* seconds since the epoch, from the one clock */
	char now_s[21];           /* RFC 3339 UTC */
	char today_s[11];         /* today in the server's zone (core/tz.h), */
	day_t today;              /* not in UTC: API.md "General" */
	struct actor who;
	int authed;
	const char *client;       /* remote address, or "cli" */
	const struct cal_known *cal_known; /* services/calendar.c: the known years, read once */
	int64_t cal_gen;          /* kept_gen 'calendar', read with the session (RULE calendar.cache); 0: not read */
};

/* Reads the clock (the clock file when configured) into x->now & co. */
int ctx_set_clock(struct ctx *x, struct err *e);
/* Sets x->now & co. to `now` (the demo builder walks through time). */
void ctx_set_now(struct ctx *x, int64_t now);

/* The actor of work that no user asked for (the CLI, serve's maintenance):
 * the admin role over every unit, named `name`, with no user id. */
void ctx_as_system(struct ctx *x, const char *name);

/* The LIKE pattern of the actor's subtree: "/1/4/%" (arena). */
const char *ctx_scope_like(struct ctx *x);

int level_parse(const char *s); /* "street" → LEVEL_STREET, -1 unknown */
const char *level_name(enum org_level l);
const char *level_label(enum org_level l); /* "街道" */

#endif
