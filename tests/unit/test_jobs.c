/* Unit tests for src/rules/jobs.c (RULE jobs.4050, cards.share, cards.month). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rules/jobs.h"

static day_t D(const char *s)
{
	day_t d = 0;
	assert_int_equal(date_parse(s, &d), 0);
	return d;
}

static void test_age(void **state)
{
	assert_int_equal(jobs_age(D("1976-03-02"), D("2026-03-02")), 50);
	assert_int_equal(jobs_age(D("1976-03-03"), D("2026-03-02")), 49);
	assert_int_equal(jobs_age(D("2000-02-29"), D("2026-02-28")), 25);
	assert_int_equal(jobs_age(D("2000-02-29"), D("2026-03-01")), 26);
	assert_int_equal(jobs_age(D("2030-01-01"), D("2026-03-02")), 0);
}

static void test_4050(void **state)
{
	day_t today = D("2026-03-02");
	assert_int_equal(jobs_is_4050(D("1986-03-02"), 0, today), 1);  /* woman turning 40 today */
	assert_int_equal(jobs_is_4050(D("1986-03-03"), 0, today), 0);  /* woman of 39 */
	assert_int_equal(jobs_is_4050(D("1976-03-02"), 1, today), 1);  /* man turning 50 today */
	assert_int_equal(jobs_is_4050(D("1976-03-03"), 1, today), 0);  /* man of 49 */
	assert_int_equal(jobs_is_4050(D("1980-01-01"), 1, today), 0);  /* man of 46 */
	assert_int_equal(jobs_is_4050(D("1980-01-01"), 0, today), 1);  /* woman of 46 */
}

static void test_share(void **state)
{
	static const struct { int64_t amount, bp, u, p; } t[] = {
		{10000, 8800, 8800, 1200}, {1, 8800, 1, 0}, {1, 4999, 0, 1}, {1, 5000, 1, 0},
		{3, 5000, 2, 1}, {12345, 8800, 10864, 1481}, {0, 8800, 0, 0}, {999, 0, 0, 999},
		{999, 10000, 999, 0}, {15, 3333, 5, 10},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int64_t u = -1, p = -1;
		assert_int_equal(jobs_share_split(t[i].amount, t[i].bp, &u, &p), 0);
		assert_int_equal(u, t[i].u);
		assert_int_equal(p, t[i].p);
		assert_int_equal(u + p, t[i].amount);
	}
	int64_t u = 7, p = 7;
	assert_int_equal(jobs_share_split(-1, 5000, &u, &p), -1);
	assert_int_equal(jobs_share_split(100, 10001, &u, &p), -1);
	assert_int_equal(jobs_share_split(100, -1, &u, &p), -1);
	assert_int_equal(jobs_share_split(INT64_MAX, 5000, &u, &p), -1);
	assert_int_equal(u, 7);
	assert_int_equal(p, 7);
}

static void test_month(void **state)
{
	char f[11], l[11];
	assert_int_equal(jobs_month_range("2026-02", f, l), 0);
	assert_string_equal(f, "2026-02-01");
	assert_string_equal(l, "2026-02-28");
	assert_int_equal(jobs_month_range("2024-02", f, l), 0);
	assert_string_equal(l, "2024-02-29");
	assert_int_equal(jobs_month_range("2026-12", f, l), 0);
	assert_string_equal(l, "2026-12-31");
	static const char *const bad[] = {"2026-13", "2026-00", "2026-1", "202603", "2026-03-01", "", "abcd-ef", "2026/03"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(jobs_month_range(bad[i], f, l), -1);
	assert_int_equal(jobs_month_range(NULL, f, l), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_age), cmocka_unit_test(test_4050),
		cmocka_unit_test(test_share), cmocka_unit_test(test_month),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
