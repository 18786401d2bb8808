/* test_household.c — RULE category.suggest, income.per_capita, the code
 * tables, and RULE archive.flow (the workflow table against API.md). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "rules/hh_flow.h"
#include "rules/household.h"

static void suggest_by_income(void **state)
{
	const struct {
		int64_t pc, standard;
		unsigned causes;
		enum category want;
	} t[] = {
		{0, 93000, 0, CAT_DIBAO},
		{93000, 93000, 0, CAT_DIBAO},          /* equal to the line: dibao */
		{93001, 93000, 0, CAT_MARGINAL},
		{139500, 93000, 0, CAT_MARGINAL},      /* exactly 1.5 × */
		{139501, 93000, 0, CAT_NONE},
		{139501, 93000, CAUSE_BIT(CAUSE_ACCIDENT), CAT_ACCIDENT},
		{500000, 93000, CAUSE_BIT(CAUSE_ILLNESS_FAMILY), CAT_ACCIDENT},
		{500000, 93000, CAUSE_BIT(CAUSE_WORK_INJURY), CAT_ACCIDENT},
		{500000, 93000, CAUSE_BIT(CAUSE_DISASTER), CAT_ACCIDENT},
		{500000, 93000, CAUSE_BIT(CAUSE_ILLNESS_SELF), CAT_ACCIDENT},
		{500000, 93000, CAUSE_BIT(CAUSE_LOW_INCOME) | CAUSE_BIT(CAUSE_EDUCATION), CAT_NONE},
		{10, 93000, CAUSE_BIT(CAUSE_ACCIDENT), CAT_DIBAO}, /* income first */
		{10, 0, 0, CAT_NONE},                  /* no standard known */
		{10, 0, CAUSE_BIT(CAUSE_ACCIDENT), CAT_ACCIDENT},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (category_suggest(t[i].pc, t[i].standard, CATEGORY_MARGINAL_PCT, t[i].causes) != t[i].want)
			fail_msg("case %zu: pc %lld standard %lld", i, (long long)t[i].pc, (long long)t[i].standard);
	/* the factor is configurable */
	assert_int_equal(category_suggest(139501, 93000, 200, 0), CAT_MARGINAL);
	assert_int_equal(category_suggest(186001, 93000, 200, 0), CAT_NONE);
}

static void per_capita_half_up(void **state)
{
	int64_t a[] = {100001, 0};
	assert_int_equal(per_capita_fen(a, 2), 50001); /* 50000.5 → 50001 */
	int64_t b[] = {100000, 0, 0};
	assert_int_equal(per_capita_fen(b, 3), 33333); /* 33333.33 */
	int64_t c[] = {200000, 0, 0};
	assert_int_equal(per_capita_fen(c, 3), 66667); /* 66666.67 */
	int64_t d[] = {0};
	assert_int_equal(per_capita_fen(d, 1), 0);
}

static void codes_round_trip(void **state)
{
	for (int i = 0; i < CAUSE__MAX; i++) {
		assert_int_equal(cause_parse(cause_name(i)), i);
		assert_int_equal(cause_from_label(cause_label(i)), i);
	}
	for (int i = 0; i < REL__MAX; i++)
		assert_int_equal(relation_from_label(relation_label(i)), i);
	for (int i = 0; i < SCHOOL__MAX; i++)
		assert_int_equal(school_parse(school_name(i)), i);
	assert_int_equal(cause_parse("flood"), -1);
	assert_int_equal(relation_parse("self"), -1);
	assert_int_equal(cause_from_label("本人患病"), CAUSE_ILLNESS_SELF);
	assert_int_equal(relation_from_label("兄弟姐妹"), REL_SIBLING);
	assert_int_equal(school_from_label("中职"), SCHOOL_VOCATIONAL);
}

/* RULE archive.flow: every (action, state) pair against API.md's table. */
static void flow_table(void **state)
{
	const struct {
		const char *action, *from, *to;
	} ok[] = {
		{"submit", "draft,rejected", "submitted"},
		{"verify", "submitted", "verified"},
		{"reject", "submitted,verified,in_notice", "rejected"},
		{"publish", "verified", "in_notice"},
		{"approve", "in_notice", "approved"},
		{"enter", "approved", "active"},
		{"review", "active", "active"},
		{"exit", "active", "exited"},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		enum hh_action a;
		const struct hh_step *s = hh_step_find(ok[i].action, &a);
		assert_non_null(s);
		assert_string_equal(hh_status_name(s->to), ok[i].to);
		for (int st = 0; st < HS__MAX; st++) {
			const char *name = hh_status_name(st);
			char pat[64];
			snprintf(pat, sizeof pat, ",%s,", ok[i].from);
			char needle[32];
			snprintf(needle, sizeof needle, ",%s,", name);
			int want = strstr(pat, needle) != NULL;
			if (hh_step_allowed(s, st) != want)
				fail_msg("%s from %s: want %d", ok[i].action, name, want);
		}
	}
	assert_null(hh_step_find("delete", NULL));
	assert_null(hh_step_find(NULL, NULL));
}

static void flow_roles(void **state)
{
	/* who, per API.md: verify reviewer; approve/exit approver; reject both */
	assert_true(perm_allows(ROLE_REVIEWER, hh_step_find("verify", NULL)->perm));
	assert_false(perm_allows(ROLE_STAFF, hh_step_find("verify", NULL)->perm));
	assert_true(perm_allows(ROLE_APPROVER, hh_step_find("approve", NULL)->perm));
	assert_false(perm_allows(ROLE_REVIEWER, hh_step_find("approve", NULL)->perm));
	assert_true(perm_allows(ROLE_APPROVER, hh_step_find("reject", NULL)->perm));
	assert_true(perm_allows(ROLE_REVIEWER, hh_step_find("reject", NULL)->perm));
	assert_false(perm_allows(ROLE_STAFF, hh_step_find("reject", NULL)->perm));
	assert_true(perm_allows(ROLE_STAFF, hh_step_find("submit", NULL)->perm));
	assert_false(perm_allows(ROLE_VIEWER, hh_step_find("submit", NULL)->perm));
	assert_true(perm_allows(ROLE_APPROVER, hh_step_find("exit", NULL)->perm));
	assert_false(perm_allows(ROLE_STAFF, hh_step_find("exit", NULL)->perm));
	assert_true(hh_step_find("approve", NULL)->flags & HF_NOT_SUBMITTER);
	assert_true(hh_step_find("approve", NULL)->flags & HF_NOTICE_OVER);
	assert_true(hh_step_find("verify", NULL)->flags & HF_VISIT);
	assert_true(hh_step_find("reject", NULL)->flags & HF_COMMENT);
	assert_false(hh_status_open(HS_EXITED));
	assert_true(hh_status_open(HS_REJECTED));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(suggest_by_income), cmocka_unit_test(per_capita_half_up),
		cmocka_unit_test(codes_round_trip),  cmocka_unit_test(flow_table),
		cmocka_unit_test(flow_roles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
