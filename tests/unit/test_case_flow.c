/* Unit tests for src/rules/case_flow.c (RULE cases.flow, cases.open,
 * cases.deadline): every state × action pair against the expected
 * table, written out here independently of the code's table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rules/case_flow.h"

/* want[action][status]: the state reached, or -1 when refused. */
static const int want[CA__MAX][CS__MAX] = {
	/*               received      assigned      in_progress   resolved   closed referred */
	[CA_ASSIGN] = {CS_ASSIGNED, CS_ASSIGNED, -1, -1, -1, -1},
	[CA_START] = {-1, CS_IN_PROGRESS, -1, -1, -1, -1},
	[CA_RESOLVE] = {-1, -1, CS_RESOLVED, -1, -1, -1},
	[CA_CLOSE] = {-1, -1, -1, CS_CLOSED, -1, -1},
	[CA_REFER] = {CS_REFERRED, CS_REFERRED, CS_REFERRED, -1, -1, -1},
};

static const char *const action_names[CA__MAX] = {"assign", "start", "resolve", "close", "refer"};

static void every_pair(void **state)
{
	(void)state;
	for (int a = 0; a < CA__MAX; a++) {
		enum case_action got;
		const struct case_step *s = case_step_find(action_names[a], &got);
		assert_non_null(s);
		assert_int_equal(got, a);
		for (int st = 0; st < CS__MAX; st++) {
			int ok = case_step_allowed(s, st);
			if (ok != (want[a][st] >= 0))
				fail_msg("%s from %s: allowed %d", s->name, case_status_name(st), ok);
			if (ok)
				assert_int_equal(s->to, want[a][st]);
		}
		assert_false(case_step_allowed(s, CS__MAX));
		assert_false(case_step_allowed(s, (enum case_status)-1));
	}
	assert_null(case_step_find("reopen", NULL));
	assert_null(case_step_find(NULL, NULL));
	assert_false(case_step_allowed(NULL, CS_RECEIVED));
}

static void permissions_and_flags(void **state)
{
	(void)state;
	/* staff and admin act; reviewers and approvers may close; finance and
	 * viewers do nothing */
	for (int a = 0; a < CA__MAX; a++) {
		const struct case_step *s = case_step_find(action_names[a], NULL);
		assert_true(perm_allows(ROLE_STAFF, s->perm));
		assert_true(perm_allows(ROLE_ADMIN, s->perm));
		assert_false(perm_allows(ROLE_VIEWER, s->perm));
		assert_false(perm_allows(ROLE_FINANCE, s->perm));
		assert_int_equal(perm_allows(ROLE_REVIEWER, s->perm), a == CA_CLOSE);
		assert_int_equal(perm_allows(ROLE_APPROVER, s->perm), a == CA_CLOSE);
	}
	assert_true(case_step_find("assign", NULL)->flags & CF_ASSIGNEE);
	assert_true(case_step_find("resolve", NULL)->flags & CF_RESULT);
	assert_true(case_step_find("resolve", NULL)->flags & CF_FINISH);
	assert_true(case_step_find("refer", NULL)->flags & CF_REFERRAL);
	assert_true(case_step_find("refer", NULL)->flags & CF_FINISH);
	assert_false(case_step_find("close", NULL)->flags & CF_FINISH);
}

static void open_states(void **state)
{
	(void)state;
	int open[CS__MAX] = {[CS_RECEIVED] = 1, [CS_ASSIGNED] = 1, [CS_IN_PROGRESS] = 1};
	for (int st = 0; st < CS__MAX; st++)
		assert_int_equal(case_status_open(st), open[st]);
	assert_false(case_status_open(CS__MAX));
}

static void codes_round_trip(void **state)
{
	(void)state;
	for (int i = 0; i < CS__MAX; i++)
		assert_int_equal(case_status_parse(case_status_name(i)), i);
	for (int i = 0; i < CH__MAX; i++)
		assert_int_equal(case_channel_parse(case_channel_name(i)), i);
	for (int i = 0; i < CC__MAX; i++)
		assert_int_equal(case_category_parse(case_category_name(i)), i);
	assert_int_equal(case_status_parse("open"), -1);
	assert_int_equal(case_channel_parse("fax"), -1);
	assert_int_equal(case_category_parse(NULL), -1);
	assert_string_equal(case_channel_label(CH_HOTLINE), "12351热线");
	assert_string_equal(case_category_label(CC_LEGAL_AID), "法律援助");
	assert_string_equal(case_status_label(CS_REFERRED), "已转办");
	assert_string_equal(case_status_name(CS__MAX), "?");
}

static void deadlines(void **state)
{
	(void)state;
	assert_int_equal(case_category_workdays(CC_LEGAL_AID), 7); /* DESIGN.md §2.4 */
	assert_int_equal(case_category_workdays(CC_CONSULTATION), 3);
	assert_int_equal(case_category_workdays(CC_PETITION), 15);
	assert_int_equal(case_category_workdays(CC_LABOUR_DISPUTE), 15);
	assert_int_equal(case_category_workdays(CC_WAGE_ARREARS), 10);
	assert_int_equal(case_category_workdays(CC_OTHER), 10);
	assert_int_equal(case_category_workdays(CC__MAX), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_pair),         cmocka_unit_test(permissions_and_flags),
		cmocka_unit_test(open_states),        cmocka_unit_test(codes_round_trip),
		cmocka_unit_test(deadlines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
