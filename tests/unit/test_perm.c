/* test_perm.c — the permission table against API.md "Who may do what",
 * and the route table: every route names a permission and an audit entity,
 * writes need more than P_READ, and routes on one record check its scope. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
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
};
static const char role_letter[ROLE__MAX] = {
	[ROLE_ADMIN] = 'a', [ROLE_STAFF] = 's', [ROLE_REVIEWER] = 'r',
	[ROLE_APPROVER] = 'p', [ROLE_FINANCE] = 'f', [ROLE_VIEWER] = 'v',
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
		assert_non_null(rt->handler);
		if (!rt->entity || !*rt->entity)
			fail_msg("%s %s has no audit entity", rt->method, rt->pattern);
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

static void routes_are_unique(void **state)
{
	for (int i = 0; i < routes_count; i++)
		for (int j = i + 1; j < routes_count; j++)
			if (!strcmp(routes[i].method, routes[j].method) &&
			    !strcmp(routes[i].pattern, routes[j].pattern))
				fail_msg("duplicate route %s %s", routes[i].method, routes[i].pattern);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(perm_table_matches_contract),
		cmocka_unit_test(perm_rejects_out_of_range),
		cmocka_unit_test(roles_round_trip),
		cmocka_unit_test(every_route_is_guarded),
		cmocka_unit_test(routes_are_unique),
		cmocka_unit_test(no_id_number_in_urls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
