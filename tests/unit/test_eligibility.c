/* test_eligibility.c — RULE aid.eligibility (each rule kind), the rules
 * parser, RULE aid.tiers, school years, and the application flow table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "rules/app_flow.h"
#include "rules/eligibility.h"
#include "rules/household.h"

static struct elig_rules parse(const char *text)
{
	struct elig_rules r;
	const char *why = NULL;
	json_t *j = json_loads(text, 0, NULL);
	assert_non_null(j);
	if (elig_parse(j, &r, &why))
		fail_msg("rules %s refused: %s", text, why);
	json_decref(j);
	return r;
}

static void parse_refuses_bad_rules(void **state)
{
	const char *bad[] = {
		"[]", "{\"unknown\":1}", "{\"requires_active\":1}", "{\"max_income_pct\":0}",
		"{\"max_income_pct\":\"100\"}", "{\"causes_any\":[\"flood\"]}", "{\"causes_any\":\"illness_self\"}",
		"{\"beneficiary\":\"parent\"}", "{\"beneficiary\":\"student\"}",
		"{\"school_stages\":[\"phd\"]}", "{\"cap_household_year\":0}", "{\"disability_extra_fen\":-1}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct elig_rules r;
		const char *why = NULL;
		json_t *j = json_loads(bad[i], JSON_DECODE_ANY, NULL);
		assert_non_null(j);
		if (elig_parse(j, &r, &why) == 0)
			fail_msg("accepted %s", bad[i]);
		assert_non_null(why);
		json_decref(j);
	}
}

static const struct elig_facts base = {
	.active = 1, .per_capita_fen = 50000, .standard_fen = 93000, .member_school_stage = -1,
};

static int check(const struct elig_rules *r, struct elig_facts f)
{
	const char *reasons[8];
	return elig_check(r, &f, reasons, 8);
}

static void each_rule_kind(void **state)
{
	struct elig_rules r = parse("{\"requires_active\":true}");
	struct elig_facts f = base;
	assert_int_equal(check(&r, f), 0);
	f.active = 0;
	assert_int_equal(check(&r, f), 1);

	r = parse("{\"max_income_pct\":100,\"or_causes\":[\"accident\",\"disaster\"]}");
	f = base;
	f.per_capita_fen = 93000;
	assert_int_equal(check(&r, f), 0); /* equal to the line passes */
	f.per_capita_fen = 93001;
	assert_int_equal(check(&r, f), 1);
	f.causes = CAUSE_BIT(CAUSE_DISASTER);
	assert_int_equal(check(&r, f), 0); /* sudden disaster waives the income rule */
	f.causes = 0;
	f.standard_fen = 0;
	assert_int_equal(check(&r, f), 1); /* no standard known: cannot judge, refuse */

	r = parse("{\"causes_any\":[\"illness_self\",\"illness_family\",\"work_injury\"]}");
	f = base;
	assert_int_equal(check(&r, f), 1);
	f.causes = CAUSE_BIT(CAUSE_WORK_INJURY) | CAUSE_BIT(CAUSE_LOW_INCOME);
	assert_int_equal(check(&r, f), 0);

	r = parse("{\"beneficiary\":\"student\",\"school_stages\":[\"senior\",\"university\"]}");
	f = base;
	assert_int_equal(check(&r, f), 1); /* no member named */
	f.has_member = 1;
	f.member_school_stage = SCHOOL_PRIMARY;
	assert_int_equal(check(&r, f), 1);
	f.member_school_stage = SCHOOL_UNIVERSITY;
	assert_int_equal(check(&r, f), 0);

	r = parse("{\"cap_household_year\":1}");
	f = base;
	assert_int_equal(check(&r, f), 0);
	f.household_year_count = 1;
	assert_int_equal(check(&r, f), 1);

	r = parse("{\"cap_member_school_year\":1,\"beneficiary\":\"student\",\"school_stages\":[\"senior\"]}");
	f = base;
	f.has_member = 1;
	f.member_school_stage = SCHOOL_SENIOR;
	f.member_school_year_count = 1;
	assert_int_equal(check(&r, f), 1);
	f.member_school_year_count = 0;
	assert_int_equal(check(&r, f), 0);
}

static void every_failure_is_listed(void **state)
{
	struct elig_rules r = parse("{\"requires_active\":true,\"max_income_pct\":100,"
				    "\"causes_any\":[\"illness_self\"],\"cap_household_year\":1}");
	struct elig_facts f = base;
	f.active = 0;
	f.per_capita_fen = 200000;
	f.household_year_count = 3;
	const char *reasons[8] = {0};
	assert_int_equal(elig_check(&r, &f, reasons, 8), 4);
	for (int i = 0; i < 4; i++)
		assert_true(reasons[i] && strlen(reasons[i]) > 3);
	/* a short buffer still counts them all */
	assert_int_equal(elig_check(&r, &f, reasons, 2), 4);
}

static void disability_extra(void **state)
{
	struct elig_rules r = parse("{\"disability_extra_fen\":30000}");
	assert_int_equal(elig_standard_amount(&r, 30000, 0), 30000);
	assert_int_equal(elig_standard_amount(&r, 30000, 1), 60000);
}

static struct tiers tiers_of(const char *text)
{
	struct tiers t;
	const char *why = NULL;
	json_t *j = json_loads(text, 0, NULL);
	if (tiers_parse(j, &t, &why))
		fail_msg("tiers %s refused: %s", text, why);
	json_decref(j);
	return t;
}

static void tier_selection(void **state)
{
	struct tiers t = tiers_of("[{\"level\":\"street\",\"max_fen\":100000},"
				  "{\"level\":\"district\",\"max_fen\":500000},{\"level\":\"city\",\"max_fen\":null}]");
	assert_int_equal(tiers_required(&t, 0), TIER_STREET);
	assert_int_equal(tiers_required(&t, 100000), TIER_STREET);
	assert_int_equal(tiers_required(&t, 100001), TIER_DISTRICT);
	assert_int_equal(tiers_required(&t, 500000), TIER_DISTRICT);
	assert_int_equal(tiers_required(&t, 500001), TIER_CITY);
	assert_int_equal(tiers_required(&t, INT64_MAX), TIER_CITY);
	t = tiers_of("[{\"level\":\"district\",\"max_fen\":200000},{\"level\":\"city\"}]");
	assert_int_equal(tiers_required(&t, 1), TIER_DISTRICT);
	const char *bad[] = {
		"[]", "{}", "[{\"level\":\"city\",\"max_fen\":1}]",
		"[{\"level\":\"district\",\"max_fen\":1},{\"level\":\"street\"}]",
		"[{\"level\":\"street\",\"max_fen\":5},{\"level\":\"district\",\"max_fen\":5},{\"level\":\"city\"}]",
		"[{\"level\":\"street\"},{\"level\":\"city\"}]", "[{\"level\":\"town\"}]",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *why = NULL;
		json_t *j = json_loads(bad[i], JSON_DECODE_ANY, NULL);
		if (tiers_parse(j, &t, &why) == 0)
			fail_msg("accepted tiers %s", bad[i]);
		json_decref(j);
	}
}

static void school_years(void **state)
{
	char buf[10];
	day_t d;
	date_parse("2026-09-01", &d);
	school_year_of(d, buf);
	assert_string_equal(buf, "2026-2027");
	date_parse("2026-08-31", &d);
	school_year_of(d, buf);
	assert_string_equal(buf, "2025-2026");
	date_parse("2027-01-15", &d);
	school_year_of(d, buf);
	assert_string_equal(buf, "2026-2027");
}

static void app_flow_table(void **state)
{
	const struct {
		const char *action, *from, *to;
		enum role who;
	} t[] = {
		{"verify", "submitted", "verified", ROLE_REVIEWER},
		{"approve", "verified", "approved", ROLE_APPROVER},
		{"reject", "submitted,verified", "rejected", ROLE_APPROVER},
		{"disburse", "approved", "disbursed", ROLE_FINANCE},
		{"receipt", "disbursed", "receipted", ROLE_STAFF},
		{"close", "receipted", "closed", ROLE_STAFF},
		{"withdraw", "submitted,verified", "withdrawn", ROLE_STAFF},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		const struct app_step *s = app_step_find(t[i].action, NULL);
		assert_non_null(s);
		assert_string_equal(app_status_name(s->to), t[i].to);
		assert_true(perm_allows(t[i].who, s->perm));
		assert_false(perm_allows(ROLE_VIEWER, s->perm));
		for (int st = 0; st < AS__MAX; st++) {
			char pat[64], needle[32];
			snprintf(pat, sizeof pat, ",%s,", t[i].from);
			snprintf(needle, sizeof needle, ",%s,", app_status_name(st));
			if (app_step_allowed(s, st) != (strstr(pat, needle) != NULL))
				fail_msg("%s from %s", t[i].action, app_status_name(st));
		}
	}
	assert_false(perm_allows(ROLE_STAFF, app_step_find("disburse", NULL)->perm));
	assert_false(perm_allows(ROLE_REVIEWER, app_step_find("approve", NULL)->perm));
	assert_true(app_step_find("approve", NULL)->flags & AF_NOT_SUBMITTER);
	assert_true(app_step_find("verify", NULL)->flags & AF_DOCUMENTS);
	assert_null(app_step_find("pay", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_refuses_bad_rules), cmocka_unit_test(each_rule_kind),
		cmocka_unit_test(every_failure_is_listed), cmocka_unit_test(disability_extra),
		cmocka_unit_test(tier_selection),          cmocka_unit_test(school_years),
		cmocka_unit_test(app_flow_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
