/* Unit tests for src/rules/claim_flow.c (RULE ma.flow, ma.tier): every
 * state × action pair of the mutual-aid claim workflow against the table
 * of API.md "Mutual aid", written out here independently of the code's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rules/claim_flow.h"
#include "rules/eligibility.h"

/* want[action][status]: the state reached, or -1 when refused. */
static const int want[CA__MAX][CS__MAX] = {
	/*              submitted     verified      approved  paid rejected */
	[CA_VERIFY] = {CS_VERIFIED, -1, -1, -1, -1},
	[CA_APPROVE] = {-1, CS_APPROVED, -1, -1, -1},
	[CA_PAY] = {-1, -1, CS_PAID, -1, -1},
	[CA_REJECT] = {CS_REJECTED, CS_REJECTED, -1, -1, -1},
};
static const char *const action_names[CA__MAX] = {"verify", "approve", "pay", "reject"};

static void every_pair(void **state)
{
	(void)state;
	for (int a = 0; a < CA__MAX; a++) {
		enum claim_action got;
		const struct claim_step *s = claim_step_find(action_names[a], &got);
		assert_non_null(s);
		assert_int_equal(got, a);
		for (int st = 0; st < CS__MAX; st++) {
			int ok = claim_step_allowed(s, st);
			if (ok != (want[a][st] >= 0))
				fail_msg("%s from %s: allowed %d", s->name, claim_status_name(st), ok);
			if (ok)
				assert_int_equal(s->to, want[a][st]);
		}
		assert_false(claim_step_allowed(s, CS__MAX));
	}
	assert_null(claim_step_find("withdraw", NULL));
	assert_null(claim_step_find(NULL, NULL));
	assert_false(claim_step_allowed(NULL, CS_SUBMITTED));
}

static void roles_and_flags(void **state)
{
	(void)state;
	/* API.md: verify reviewer, approve approver, pay finance, reject reviewer or approver */
	const struct claim_step *v = claim_step_find("verify", NULL), *ap = claim_step_find("approve", NULL);
	const struct claim_step *pay = claim_step_find("pay", NULL), *rj = claim_step_find("reject", NULL);
	for (int r = 0; r < ROLE__MAX; r++) {
		assert_int_equal(perm_allows(r, v->perm), r == ROLE_REVIEWER);
		assert_int_equal(perm_allows(r, ap->perm), r == ROLE_APPROVER);
		assert_int_equal(perm_allows(r, pay->perm), r == ROLE_FINANCE);
		assert_int_equal(perm_allows(r, rj->perm), r == ROLE_REVIEWER || r == ROLE_APPROVER);
	}
	assert_true(v->flags & CF_PAPERS);
	assert_true(ap->flags & CF_NOT_SUBMITTER);
	assert_true(ap->flags & CF_TIER);
	assert_true(pay->flags & CF_ACCOUNT);
	assert_true(rj->flags & CF_COMMENT);
}

static void open_tiers_names(void **state)
{
	(void)state;
	int open[CS__MAX] = {[CS_SUBMITTED] = 1, [CS_VERIFIED] = 1, [CS_APPROVED] = 1};
	for (int st = 0; st < CS__MAX; st++) {
		assert_int_equal(claim_status_open(st), open[st]);
		assert_int_equal(claim_status_parse(claim_status_name(st)), st);
	}
	assert_int_equal(claim_status_parse("closed"), -1);
	assert_string_equal(claim_status_label(CS_PAID), "已支付");
	assert_string_equal(claim_status_name(CS__MAX), "?");
	/* DESIGN.md §2.4 tiers: ≤ 1,000 yuan street, ≤ 5,000 district, above city */
	assert_int_equal(claim_tier_required(1), TIER_STREET);
	assert_int_equal(claim_tier_required(100000), TIER_STREET);
	assert_int_equal(claim_tier_required(100001), TIER_DISTRICT);
	assert_int_equal(claim_tier_required(500000), TIER_DISTRICT);
	assert_int_equal(claim_tier_required(500001), TIER_CITY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_pair),
		cmocka_unit_test(roles_and_flags),
		cmocka_unit_test(open_tiers_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
