/* Unit tests for src/rules/dates.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "rules/dates.h"

static day_t ymd(int y, int m, int d)
{
	day_t out = 0;
	assert_int_equal(date_from_ymd(y, m, d, &out), 0);
	return out;
}

static void test_leap_years(void **state)
{
	static const struct { int y, leap; } t[] = {
		{ 1900, 0 }, { 2000, 1 }, { 2100, 0 }, { 2400, 1 }, { 2024, 1 },
		{ 2023, 0 }, { 2026, 0 }, { 1996, 1 }, { 1600, 1 }, { 1700, 0 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		assert_int_equal(date_is_leap(t[i].y), t[i].leap);
}

static void test_from_ymd_validity(void **state)
{
	static const struct { int y, m, d, ok; } t[] = {
		{ 1900, 2, 29, 0 }, { 2000, 2, 29, 1 }, { 2100, 2, 29, 0 }, { 2024, 2, 29, 1 },
		{ 2023, 2, 29, 0 }, { 2023, 2, 28, 1 }, { 2026, 1, 31, 1 }, { 2026, 4, 31, 0 },
		{ 2026, 4, 30, 1 }, { 2026, 6, 31, 0 }, { 2026, 9, 31, 0 }, { 2026, 11, 31, 0 },
		{ 2026, 12, 31, 1 }, { 2026, 13, 1, 0 }, { 2026, 0, 1, 0 }, { 2026, 1, 0, 0 },
		{ 2026, 1, 32, 0 }, { 2026, 7, 31, 1 }, { 2026, 8, 31, 1 }, { -1, 1, 1, 0 },
		{ 10000, 1, 1, 0 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		day_t d = 12345;
		int rc = date_from_ymd(t[i].y, t[i].m, t[i].d, &d);
		assert_int_equal(rc, t[i].ok ? 0 : -1);
		if (!t[i].ok)
			assert_int_equal(d, 12345);
	}
}

static void test_known_days(void **state)
{
	assert_int_equal(ymd(1970, 1, 1), 0);
	assert_int_equal(ymd(1969, 12, 31), -1);
	assert_int_equal(ymd(2026, 11, 23), 20780);
	assert_int_equal(ymd(1900, 1, 1), -25567);
	assert_int_equal(ymd(2000, 3, 1) - ymd(2000, 2, 28), 2);
	assert_int_equal(ymd(1900, 3, 1) - ymd(1900, 2, 28), 1);
	assert_int_equal(ymd(2100, 3, 1) - ymd(2100, 2, 28), 1);
	assert_int_equal(ymd(2025, 1, 1) - ymd(2024, 1, 1), 366);
	assert_int_equal(ymd(2027, 1, 1) - ymd(2026, 1, 1), 365);
}

static void test_weekday(void **state)
{
	static const struct { int y, m, d, wd; } t[] = {
		{ 2026, 11, 23, 1 }, { 1970, 1, 1, 4 }, { 1969, 12, 31, 3 }, { 2000, 1, 1, 6 },
		{ 1900, 1, 1, 1 }, { 2024, 2, 29, 4 }, { 2026, 10, 1, 4 }, { 2026, 10, 10, 6 },
		{ 2026, 9, 20, 7 }, { 1949, 10, 1, 6 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		assert_int_equal(date_weekday(ymd(t[i].y, t[i].m, t[i].d)), t[i].wd);
	/* Consecutive days cycle through 1..7, also across negative day numbers. */
	for (day_t d = -30; d < 30; d++)
		assert_int_equal(date_weekday(d + 1), date_weekday(d) % 7 + 1);
}

static void test_parse(void **state)
{
	static const struct { const char *s; int ok; int y, m, d; } t[] = {
		{ "2026-11-23", 1, 2026, 11, 23 },
		{ "1900-01-01", 1, 1900, 1, 1 },
		{ "2999-12-31", 1, 2999, 12, 31 },
		{ "2024-02-29", 1, 2024, 2, 29 },
		{ "2000-02-29", 1, 2000, 2, 29 },
		{ "1899-12-31", 0, 0, 0, 0 }, { "3000-01-01", 0, 0, 0, 0 }, { "2023-02-29", 0, 0, 0, 0 }, { "1900-02-29", 0, 0, 0, 0 },
		{ "2026-11-31", 0, 0, 0, 0 }, { "2026-00-10", 0, 0, 0, 0 }, { "2026-13-01", 0, 0, 0, 0 }, { "2026-01-00", 0, 0, 0, 0 },
		{ "2026-1-23", 0, 0, 0, 0 }, { "2026-11-3", 0, 0, 0, 0 }, { "26-11-23", 0, 0, 0, 0 }, { "2026/11/23", 0, 0, 0, 0 },
		{ "20261123", 0, 0, 0, 0 }, { "2026-11-23 ", 0, 0, 0, 0 }, { " 2026-11-23", 0, 0, 0, 0 }, { "2026-11-230", 0, 0, 0, 0 },
		{ "2026-11-2x", 0, 0, 0, 0 }, { "+026-11-23", 0, 0, 0, 0 }, { "2026-11-23T00:00:00Z", 0, 0, 0, 0 }, { "", 0, 0, 0, 0 },
		{ "2026-11", 0, 0, 0, 0 }, { "２０２６-11-23", 0, 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		day_t d = 777;
		int rc = date_parse(t[i].s, &d);
		if (!t[i].ok) {
			assert_int_equal(rc, -1);
			assert_int_equal(d, 777);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(d, ymd(t[i].y, t[i].m, t[i].d));
	}
	day_t d;
	assert_int_equal(date_parse(NULL, &d), -1);
}

static void test_round_trip(void **state)
{
	/* Every day the parser accepts: format -> parse and ymd -> day agree. */
	day_t first = ymd(1900, 1, 1), last = ymd(2999, 12, 31);
	int prev_y = 1899, prev_m = 12, prev_d = 31;
	for (day_t d = first; d <= last; d++) {
		char buf[11];
		day_t back;
		int y, m, dd;
		date_format(d, buf);
		assert_int_equal(strlen(buf), 10);
		assert_int_equal(date_parse(buf, &back), 0);
		assert_int_equal(back, d);
		date_to_ymd(d, &y, &m, &dd);
		assert_int_equal(date_from_ymd(y, m, dd, &back), 0);
		assert_int_equal(back, d);
		/* The next calendar day follows the previous one. */
		if (dd == 1)
			assert_true((m == 1 && y == prev_y + 1 && prev_m == 12 && prev_d == 31) ||
			            (m == prev_m + 1 && y == prev_y));
		else
			assert_true(y == prev_y && m == prev_m && dd == prev_d + 1);
		prev_y = y;
		prev_m = m;
		prev_d = dd;
	}
}

static void test_format(void **state)
{
	char buf[11];
	date_format(0, buf);
	assert_string_equal(buf, "1970-01-01");
	date_format(-1, buf);
	assert_string_equal(buf, "1969-12-31");
	date_format(20780, buf);
	assert_string_equal(buf, "2026-11-23");
	date_format(ymd(5, 3, 9), buf);
	assert_string_equal(buf, "0005-03-09");
	date_format(INT32_MAX, buf);
	assert_string_equal(buf, "0000-00-00");
	date_format(INT32_MIN, buf);
	assert_string_equal(buf, "0000-00-00");
}

static void test_add_months(void **state)
{
	static const struct { int y, m, d, n, ey, em, ed; } t[] = {
		{ 2026, 8, 31, 6, 2027, 2, 28 },
		{ 2027, 8, 31, 6, 2028, 2, 29 },
		{ 2026, 1, 31, 1, 2026, 2, 28 },
		{ 2024, 1, 31, 1, 2024, 2, 29 },
		{ 2026, 3, 31, -1, 2026, 2, 28 },
		{ 2026, 5, 31, 1, 2026, 6, 30 },
		{ 2026, 11, 23, 12, 2027, 11, 23 },
		{ 2026, 11, 23, 0, 2026, 11, 23 },
		{ 2026, 1, 15, -13, 2024, 12, 15 },
		{ 2026, 1, 15, -1, 2025, 12, 15 },
		{ 2024, 2, 29, 12, 2025, 2, 28 },
		{ 2024, 2, 29, 48, 2028, 2, 29 },
		{ 2026, 12, 31, 1, 2027, 1, 31 },
		{ 2026, 12, 15, 25, 2029, 1, 15 },
		{ 1899, 12, 31, 2, 1900, 2, 28 },
		{ 1970, 1, 31, -1, 1969, 12, 31 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		assert_int_equal(date_add_months(ymd(t[i].y, t[i].m, t[i].d), t[i].n),
		                 ymd(t[i].ey, t[i].em, t[i].ed));
}

static void test_ts_parse(void **state)
{
	const int64_t base = (int64_t)20780 * 86400; /* 2026-11-23T00:00:00Z */
	const struct { const char *s; int64_t want; } good[] = {
		{ "2026-11-23T08:30:00Z", base + 8 * 3600 + 30 * 60 },
		{ "2026-11-23t08:30:00z", base + 8 * 3600 + 30 * 60 },
		{ "2026-11-23T08:30:00+08:00", base + 30 * 60 },
		{ "2026-11-23T08:30:00-05:30", base + 14 * 3600 },
		{ "2026-11-23T08:30:00+00:00", base + 8 * 3600 + 30 * 60 },
		{ "2026-11-23T08:30:00-00:00", base + 8 * 3600 + 30 * 60 },
		{ "2026-11-23T00:30:00+08:00", base - 7 * 3600 - 30 * 60 },
		{ "2026-11-23T23:59:59-23:59", base + 86399 + 23 * 3600 + 59 * 60 },
		{ "2026-11-23T08:30:00.5Z", base + 8 * 3600 + 30 * 60 },
		{ "2026-11-23T08:30:59.999999999+08:00", base + 30 * 60 + 59 },
		{ "2026-11-23", base },
		{ "1970-01-01T00:00:00Z", 0 },
		{ "1969-12-31T23:59:59Z", -1 },
		{ "1970-01-01T08:00:00+08:00", 0 },
		{ "1900-01-01T00:00:00Z", (int64_t)-25567 * 86400 },
	};
	static const char *const bad[] = {
		"", "2026-11-23T08:30:00", "2026-11-23 08:30:00Z", "2026-11-23T24:00:00Z",
		"2026-11-23T08:60:00Z", "2026-11-23T08:30:60Z", "2026-11-23T8:30:00Z",
		"2026-11-23T08:30Z", "2026-11-23T08:30:00+08", "2026-11-23T08:30:00+0800",
		"2026-11-23T08:30:00+24:00", "2026-11-23T08:30:00+08:60", "2026-11-23T08:30:00.Z",
		"2026-11-23T08:30:00Zjunk", "2026-11-23T08:30:00Z ", "2026-11-23T", "2026-02-30T00:00:00Z",
		"1899-12-31T23:59:59Z", "2026-11-23T08:30:00.12x+08:00", "2026-11-23Tab:30:00Z",
		"2026-11-23X08:30:00Z", "2026-11-23T08:30:00UTC",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		int64_t e = 0;
		assert_int_equal(ts_parse(good[i].s, &e), 0);
		assert_int_equal(e, good[i].want);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t e = 42;
		assert_int_equal(ts_parse(bad[i], &e), -1);
		assert_int_equal(e, 42);
	}
	int64_t e;
	assert_int_equal(ts_parse(NULL, &e), -1);
}

static void test_ts_format_and_day(void **state)
{
	char buf[21];
	ts_format(0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	ts_format(-1, buf);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
	ts_format((int64_t)20780 * 86400 + 8 * 3600 + 30 * 60 + 5, buf);
	assert_string_equal(buf, "2026-11-23T08:30:05Z");
	ts_format(INT64_MAX, buf);
	assert_string_equal(buf, "0000-00-00T00:00:00Z");

	static const struct { int64_t e; day_t d; } t[] = {
		{ 0, 0 }, { 86399, 0 }, { 86400, 1 }, { -1, -1 }, { -86400, -1 }, { -86401, -2 },
		{ (int64_t)20780 * 86400 + 3600, 20780 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		assert_int_equal(ts_day(t[i].e), t[i].d);

	/* 00:30 in Beijing is still the previous UTC day. */
	int64_t e;
	assert_int_equal(ts_parse("2026-11-23T00:30:00+08:00", &e), 0);
	assert_int_equal(ts_day(e), 20779);

	/* Round trip over a spread of instants, including before 1970. */
	for (int64_t x = (int64_t)-25567 * 86400; x < (int64_t)40000 * 86400; x += 7777777) {
		int64_t back;
		ts_format(x, buf);
		assert_int_equal(ts_parse(buf, &back), 0);
		assert_int_equal(back, x);
	}
}

/* RULE mask.birth: the age that stands in for a masked birth date. */
static void test_age(void **state)
{
	(void)state;
	assert_int_equal(date_age(ymd(1985, 6, 15), ymd(2026, 6, 14)), 40);
	assert_int_equal(date_age(ymd(1985, 6, 15), ymd(2026, 6, 15)), 41);
	assert_int_equal(date_age(ymd(2000, 2, 29), ymd(2026, 2, 28)), 25);
	assert_int_equal(date_age(ymd(2000, 2, 29), ymd(2026, 3, 1)), 26);
	assert_int_equal(date_age(ymd(2000, 2, 29), ymd(2028, 2, 29)), 28);
	assert_int_equal(date_age(ymd(2026, 3, 2), ymd(2026, 3, 2)), 0);
	assert_int_equal(date_age(ymd(2026, 3, 3), ymd(2026, 3, 2)), 0); /* not born yet: 0, never negative */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_age),
		cmocka_unit_test(test_from_ymd_validity),
		cmocka_unit_test(test_known_days),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_add_months),
		cmocka_unit_test(test_ts_parse),
		cmocka_unit_test(test_ts_format_and_day),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
