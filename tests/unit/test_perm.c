/* test_perm.c — the permission table against API.md "Who may do what",
 * and the route table: every route names a permission and an audit entity,
 * writes need more than P_READ, routes on one record check their scope,
 * the table's rules of route_check.c hold (a route without a permission
 * fails the build) and the checker refuses what it must. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "http/route.h"
#include "rules/perm.h"

static const struct {
	enum perm p;
	const char *roles; /* the roles allowed, by first letter: a s r p f v */
} table[] = {
	{P_AUDIT_READ, "av"},  {P_ADMIN, "a"},       {P_HH_WRITE, "sa"},   {P_HH_VERIFY, "r"},
	{P_HH_REJECT, "rp"},   {P_HH_APPROVE, "p"},  {P_HH_REVIEW, "sr"},  {P_APP_WRITE, "sa"},
	{P_APP_VERIFY, "r"},   {P_APP_APPROVE, "p"}, {P_APP_REJECT, "rp"}, {P_FUNDS, "f"},
	{P_CASE_WRITE, "sa"},  {P_CASE_CLOSE, "srpa"},
	{P_JOBS, "sa"},        {P_CARDS, "sa"},      {P_PURCHASE, "sf"},
	{P_READ, "asrpfv"},
	{P_SESSION, "asrpfvi"}, {P_CLUE_READ, "asrpfvi"}, {P_CLUE_WRITE, "isa"}, {P_CLUE_RESOLVE, "sra"},
};
static const char role_letter[ROLE__MAX] = {
	[ROLE_ADMIN] = 'a', [ROLE_STAFF] = 's', [ROLE_REVIEWER] = 'r',
	[ROLE_APPROVER] = 'p', [ROLE_FINANCE] = 'f', [ROLE_VIEWER] = 'v',
	[ROLE_INFORMANT] = 'i',
};

static void perm_table_matches_contract(void **state)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		for (int r = 0; r < ROLE__MAX; r++) {
			int want = strchr(table[i].roles, role_letter[r]) != NULL;
			if (perm_allows(r, table[i].p) != want)
				fail_msg("%s for %s: want %d", perm_name(table[i].p), role_name(r), want);
		}
}

static void perm_rejects_out_of_range(void **state)
{
	assert_false(perm_allows(ROLE__MAX, P_READ));
	assert_false(perm_allows(-1, P_READ));
	assert_false(perm_allows(ROLE_ADMIN, P__MAX));
}

static void roles_round_trip(void **state)
{
	for (int r = 0; r < ROLE__MAX; r++)
		assert_int_equal(role_parse(role_name(r)), r);
	assert_int_equal(role_parse("root"), -1);
	assert_int_equal(role_parse(NULL), -1);
	assert_int_equal(role_parse("Admin"), -1);
}

static void every_route_is_guarded(void **state)
{
	assert_true(routes_count > 10);
	for (int i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		int unsafe = strcmp(rt->method, "GET") != 0;
		/* handler, entity, permission, duplicates: route_table_check */
		/* only login is public among writes; logout needs a session */
		if (unsafe && rt->perm == P_PUBLIC && strcmp(rt->pattern, "/api/v1/login"))
			fail_msg("%s %s is a public write", rt->method, rt->pattern);
		/* what any logged-in user may do to their own session or password */
		if (unsafe && rt->perm == P_READ && !strstr(rt->pattern, "logout") &&
		    strcmp(rt->pattern, "/api/v1/me/password") && !(rt->flags & R_QUERY))
			fail_msg("%s %s writes with only the read permission", rt->method, rt->pattern);
		/* a route on one record (":id") must check that record's scope */
		if (strstr(rt->pattern, ":id") && !rt->scope)
			fail_msg("%s %s has no scope check", rt->method, rt->pattern);
		/* writes that take a body declare its fields */
		if ((!strcmp(rt->method, "POST") || !strcmp(rt->method, "PATCH") ||
		     !strcmp(rt->method, "PUT")) && !rt->body && !(rt->flags & R_RAW_BODY) &&
		    !strstr(rt->pattern, "logout"))
			fail_msg("%s %s has no body spec", rt->method, rt->pattern);
	}
}

/* RULE privacy.url: nothing in a path or query names a person */
static void no_id_number_in_urls(void **state)
{
	for (int i = 0; i < routes_count; i++)
		if (strstr(routes[i].pattern, "id_number") || strstr(routes[i].pattern, "phone"))
			fail_msg("%s %s puts personal data in the URL", routes[i].method, routes[i].pattern);
}

static int h(struct req *r) { (void)r; return 0; }

static void table_keeps_rules(void **st)
{
	char msg[512] = "";
	int rc = route_table_check(routes, routes_count, msg, sizeof msg);
	if (rc)
		print_error("%s\n", msg);
	assert_int_equal(rc, 0);
	assert_true(routes_count > 50);
}

static void every_route_matches_itself(void **st)
{
	/* a pattern with ":x" segments filled in finds its own row */
	for (int i = 0; i < routes_count; i++) {
		char path[256];
		size_t n = 0;
		for (const char *p = routes[i].pattern; *p && n < sizeof path - 8;) {
			if (*p == ':') {
				n += (size_t)snprintf(path + n, sizeof path - n, "7");
				while (*p && *p != '/')
					p++;
			} else {
				path[n++] = *p++;
			}
		}
		path[n] = '\0';
		struct req r = {0};
		r.x.a = arena_new();
		int known = 0;
		const struct route *rt = route_match(&r, routes[i].method, path, &known);
		assert_non_null(rt);
		assert_string_equal(rt->method, routes[i].method);
		assert_true(known);
		arena_free(r.x.a);
	}
}

static void checker_refuses_bad_rows(void **st)
{
	char msg[512];
	const struct route no_perm[] = {{"GET", "/api/v1/x", h, P_PUBLIC, "x", NULL, NULL, 0}};
	assert_int_equal(route_table_check(no_perm, 1, msg, sizeof msg), -1);
	assert_non_null(strstr(msg, "no permission"));

	const struct route login_guarded[] = {{"POST", "/api/v1/login", h, P_READ, "session", NULL, NULL, 0}};
	assert_int_equal(route_table_check(login_guarded, 1, msg, sizeof msg), -1);

	const struct route dup[] = {{"GET", "/api/v1/x", h, P_READ, "x", NULL, NULL, 0},
				    {"GET", "/api/v1/x", h, P_ADMIN, "x", NULL, NULL, 0}};
	assert_int_equal(route_table_check(dup, 2, msg, sizeof msg), -1);
	assert_non_null(strstr(msg, "duplicate"));

	const struct route no_entity[] = {{"GET", "/api/v1/x", h, P_READ, "", NULL, NULL, 0}};
	assert_int_equal(route_table_check(no_entity, 1, msg, sizeof msg), -1);

	const struct route no_handler[] = {{"GET", "/api/v1/x", NULL, P_READ, "x", NULL, NULL, 0}};
	assert_int_equal(route_table_check(no_handler, 1, msg, sizeof msg), -1);

	const struct route ok[] = {{"GET", "/healthz", h, P_PUBLIC, "system", NULL, NULL, 0},
				   {"GET", "/api/v1/x", h, P_READ, "x", NULL, NULL, 0}};
	assert_int_equal(route_table_check(ok, 2, msg, sizeof msg), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(perm_table_matches_contract),
		cmocka_unit_test(perm_rejects_out_of_range),
		cmocka_unit_test(roles_round_trip),
		cmocka_unit_test(every_route_is_guarded),
		cmocka_unit_test(table_keeps_rules),
		cmocka_unit_test(every_route_matches_itself),
		cmocka_unit_test(checker_refuses_bad_rows),
		cmocka_unit_test(no_id_number_in_urls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
