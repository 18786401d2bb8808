/* Unit tests for src/rules/outreach.c (RULE project.flow and the code
 * tables of API.md "Outreach"): every status pair against the expected
 * table, written out here independently of the code's table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rules/outreach.h"

static const char *const st[] = {"planned", "running", "done"};
/* want[from][to] */
static const int want[3][3] = {
	{0, 1, 1},
	{0, 0, 1},
	{0, 0, 0},
};

static void project_steps(void **state)
{
	(void)state;
	for (int f = 0; f < 3; f++)
		for (int t = 0; t < 3; t++)
			assert_int_equal(project_step_allowed(st[f], st[t]), want[f][t]);
	assert_int_equal(project_step_allowed("planned", "cancelled"), 0);
	assert_int_equal(project_step_allowed(NULL, "done"), 0);
}

static void codes_of_api_md(void **state)
{
	(void)state;
	static const char *const kinds[] = {"legal_outreach", "free_clinic", "job_fair", "training",
					    "donation_drive", "handout", "enterprise_visit", "other"};
	static const char *const ags[] = {"civil_affairs", "housing", "education", "health",
					  "human_resources", "legal_aid", "other"};
	static const char *const svcs[] = {"dibao", "public_housing", "tuition_waiver", "medical_aid",
					   "job", "legal_aid", "other"};
	for (int i = 0; i < 8; i++)
		assert_int_equal(code_find(activity_kinds, kinds[i]), i);
	for (int i = 0; i < 7; i++) {
		assert_int_equal(code_find(agencies, ags[i]), i);
		assert_int_equal(code_find(agency_services, svcs[i]), i);
	}
	assert_null(activity_kinds[8].name);
	assert_int_equal(code_find(activity_kinds, "party"), -1);
	assert_int_equal(code_find(agencies, NULL), -1);
	assert_int_equal(code_find(agency_services, "Dibao"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(project_steps),
		cmocka_unit_test(codes_of_api_md),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
