/* route_check.c — the rules every row of the route table must keep, and the
 * table as JSON (`bangfu routes`, read by tests/api/matrix.test.mjs).
 *
 * Checked by the unit test test_routes and by the build itself (the
 * Makefile runs `bangfu routes --check` after linking and deletes the
 * binary when it fails): a route added without a permission, an audit
 * entity or a handler, or a second row for the same method and path, does
 * not build.
 */
#include <stdio.h>
#include <string.h>

#include "http/route.h"

/* The only routes anyone may call without logging in. */
static const char *const public_routes[] = {
	"GET /healthz",
	"GET /readyz",
	"GET /metrics",   /* loopback only: the handler answers 404 elsewhere */
	"POST /api/v1/login",
};
#define NPUBLIC (int)(sizeof public_routes / sizeof public_routes[0])

static int is_listed_public(const struct route *rt)
{
	char key[256];
	snprintf(key, sizeof key, "%s %s", rt->method, rt->pattern);
	for (int i = 0; i < NPUBLIC; i++)
		if (!strcmp(key, public_routes[i]))
			return 1;
	return 0;
}

static int known_method(const char *m)
{
	static const char *const ok[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (!strcmp(m, ok[i]))
			return 1;
	return 0;
}

int route_table_check(const struct route *tab, int n, char *msg, size_t msglen)
{
	for (int i = 0; i < n; i++) {
		const struct route *rt = &tab[i];
		const char *why = NULL;
		if (!rt->method || !known_method(rt->method))
			why = "unknown method";
		else if (!rt->pattern || rt->pattern[0] != '/')
			why = "pattern must start with /";
		else if (!rt->handler)
			why = "no handler";
		else if (!rt->entity || !rt->entity[0])
			why = "no audit entity";
		else if ((unsigned)rt->perm >= P__MAX)
			why = "permission out of range";
		else if (rt->perm == P_PUBLIC && !is_listed_public(rt))
			why = "no permission (P_PUBLIC is only for the routes listed in route_check.c)";
		else if (rt->perm != P_PUBLIC && is_listed_public(rt))
			why = "listed as public but asks for a permission";
		for (int j = 0; !why && j < i; j++)
			if (!strcmp(tab[j].method, rt->method) && !strcmp(tab[j].pattern, rt->pattern))
				why = "duplicate of an earlier row";
		if (why) {
			snprintf(msg, msglen, "route %d (%s %s): %s", i, rt->method ? rt->method : "?",
				 rt->pattern ? rt->pattern : "?", why);
			return -1;
		}
	}
	return 0;
}

json_t *route_table_json(void)
{
	json_t *arr = json_array();
	for (int i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		json_t *roles = json_array();
		for (int ro = 0; ro < ROLE__MAX; ro++)
			if (perm_allows((enum role)ro, rt->perm))
				json_array_append_new(roles, json_string(role_name((enum role)ro)));
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:o}",
			"method", rt->method, "pattern", rt->pattern, "perm", perm_name(rt->perm),
			"entity", rt->entity, "scoped", rt->scope != NULL, "body", rt->body != NULL,
			"raw_body", (rt->flags & R_RAW_BODY) != 0, "roles", roles));
	}
	return arr;
}
