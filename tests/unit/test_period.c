/* Unit tests for src/rules/period.c (RULE report.period). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "rules/period.h"

static day_t ymd(int y, int m, int d)
{
	day_t out = 0;
	assert_int_equal(date_from_ymd(y, m, d, &out), 0);
	return out;
}

static void test_quarters(void **state)
{
	static const struct { const char *s, *from, *to; } t[] = {
		{ "2026Q1", "2026-01-01", "2026-03-31" },
		{ "2026Q2", "2026-04-01", "2026-06-30" },
		{ "2026Q3", "2026-07-01", "2026-09-30" },
		{ "2026Q4", "2026-10-01", "2026-12-31" },
		{ "2024Q1", "2024-01-01", "2024-03-31" }, /* leap year: Q1 still ends on Mar 31 */
		{ "2000Q1", "2000-01-01", "2000-03-31" },
		{ "2100Q4", "2100-10-01", "2100-12-31" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct period p;
		assert_int_equal(period_parse(t[i].s, &p), 0);
		assert_string_equal(p.name, t[i].s);
		assert_string_equal(p.from_s, t[i].from);
		assert_string_equal(p.to_s, t[i].to);
		assert_int_equal(p.quarter, t[i].s[5] - '0');
		char ys[11];
		memcpy(ys, t[i].s, 4);
		strcpy(ys + 4, "-01-01");
		assert_string_equal(p.year_start_s, ys);
		char ts[21];
		snprintf(ts, sizeof ts, "%sT23:59:59Z", t[i].to);
		assert_string_equal(p.to_ts, ts);
		snprintf(ts, sizeof ts, "%sT00:00:00Z", t[i].from);
		assert_string_equal(p.from_ts, ts);
		assert_true(p.from <= p.to);
	}
	struct period p;
	assert_int_equal(period_parse("2026Q3", &p), 0);
	assert_int_equal(p.year, 2026);
	assert_int_equal(p.from, ymd(2026, 7, 1));
	assert_int_equal(p.to, ymd(2026, 9, 30));
	assert_int_equal(p.year_start, ymd(2026, 1, 1));
}

static void test_bad_periods(void **state)
{
	static const char *const bad[] = {
		"", "2026", "26Q1", "2026Q0", "2026Q5", "2026Q9", "2026q3", "2026 Q3", "2026Q3 ",
		" 2026Q3", "2026-Q3", "2026Q", "Q32026", "20a6Q1", "1999Q4", "2101Q1", "2026Q33",
		"２026Q1", "2026Ｑ1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct period p = { .year = 77 };
		assert_int_equal(period_parse(bad[i], &p), -1);
		assert_int_equal(p.year, 77); /* left alone */
	}
	assert_int_equal(period_parse(NULL, NULL), -1);
}

static void test_period_of_day(void **state)
{
	static const struct { int y, m, d; const char *name; } t[] = {
		{ 2026, 1, 1, "2026Q1" }, { 2026, 3, 31, "2026Q1" }, { 2026, 4, 1, "2026Q2" },
		{ 2026, 6, 30, "2026Q2" }, { 2026, 7, 1, "2026Q3" }, { 2026, 9, 30, "2026Q3" },
		{ 2026, 10, 1, "2026Q4" }, { 2026, 12, 31, "2026Q4" }, { 2024, 2, 29, "2024Q1" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct period p;
		period_of_day(ymd(t[i].y, t[i].m, t[i].d), &p);
		assert_string_equal(p.name, t[i].name);
		assert_true(p.from <= ymd(t[i].y, t[i].m, t[i].d));
		assert_true(p.to >= ymd(t[i].y, t[i].m, t[i].d));
	}
}

static void test_last_12_months(void **state)
{
	char m[12][8], f[12][11], l[12][11];
	period_last_12_months(ymd(2026, 11, 15), m, f, l);
	assert_string_equal(m[0], "2025-12");
	assert_string_equal(f[0], "2025-12-01");
	assert_string_equal(l[0], "2025-12-31");
	assert_string_equal(m[2], "2026-02");
	assert_string_equal(l[2], "2026-02-28");
	assert_string_equal(m[11], "2026-11");
	assert_string_equal(f[11], "2026-11-01");
	assert_string_equal(l[11], "2026-11-30");
	/* from the last day of a long month, and across a leap February */
	period_last_12_months(ymd(2024, 3, 31), m, f, l);
	assert_string_equal(m[0], "2023-04");
	assert_string_equal(m[10], "2024-02");
	assert_string_equal(l[10], "2024-02-29");
	assert_string_equal(m[11], "2024-03");
	assert_string_equal(l[11], "2024-03-31");
	/* January: the series starts in February of the year before */
	period_last_12_months(ymd(2026, 1, 1), m, f, l);
	assert_string_equal(m[0], "2025-02");
	assert_string_equal(m[11], "2026-01");
	for (int i = 0; i < 12; i++)
		assert_int_equal(strncmp(m[i], f[i], 7), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quarters),
		cmocka_unit_test(test_bad_periods),
		cmocka_unit_test(test_period_of_day),
		cmocka_unit_test(test_last_12_months),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
