/* Unit tests for src/rules/money.c (RULE income.per_capita). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "rules/money.h"

static void test_parse_good(void **state)
{
	static const struct { const char *s; int64_t fen; } t[] = {
		{ "123", 12300 }, { "123.4", 12340 }, { "123.45", 12345 }, { "0.5", 50 },
		{ "0.05", 5 }, { "0", 0 }, { "0.00", 0 }, { " 12.3 ", 1230 }, { "\t7\t", 700 },
		{ "   1", 100 }, { "1   ", 100 }, { "007", 700 }, { "1234.50", 123450 },
		{ "100000000000", INT64_C(10000000000000) },       /* exactly the cap */
		{ "100000000000.00", INT64_C(10000000000000) },
		{ "99999999999.99", INT64_C(9999999999999) },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int64_t fen = -1;
		assert_int_equal(money_parse_yuan(t[i].s, &fen), 0);
		assert_int_equal(fen, t[i].fen);
	}
}

static void test_parse_bad(void **state)
{
	static const char *const t[] = {
		"", " ", "1.234", "-1", "+1", "1,000", "abc", "1e3", ".5", "5.", "1..2", "1.2.3",
		"1 2", "1. 5", "12a", "0x10", "１２", "100000000000.01", "100000000001",
		"99999999999999999999999999", "9223372036854775807", "¥12", "12元", "1\n",
		"nan", "inf",
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int64_t fen = 4242;
		assert_int_equal(money_parse_yuan(t[i], &fen), -1);
		assert_int_equal(fen, 4242);
	}
	int64_t fen = 4242;
	assert_int_equal(money_parse_yuan(NULL, &fen), -1);
	assert_int_equal(fen, 4242);
}

static void test_format(void **state)
{
	static const struct { int64_t fen; const char *s; } t[] = {
		{ 0, "0.00" }, { 5, "0.05" }, { -5, "-0.05" }, { 50, "0.50" }, { 100, "1.00" },
		{ 123450, "1234.50" }, { -123450, "-1234.50" }, { 12345, "123.45" },
		{ INT64_C(10000000000000), "100000000000.00" },
		{ INT64_MAX, "92233720368547758.07" }, { INT64_MIN, "-92233720368547758.08" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char buf[32];
		money_format_fen(t[i].fen, buf);
		assert_string_equal(buf, t[i].s);
	}
	/* Formatting then parsing gives the amount back. */
	for (int64_t f = 0; f < 100000; f += 7) {
		char buf[32];
		int64_t back;
		money_format_fen(f, buf);
		assert_int_equal(money_parse_yuan(buf, &back), 0);
		assert_int_equal(back, f);
	}
}

static void test_div_half_up(void **state)
{
	static const struct { int64_t num, den, q; } t[] = {
		{ 5, 2, 3 }, { 7, 3, 2 }, { 1, 2, 1 }, { 0, 3, 0 }, { 8, 3, 3 }, { 1, 3, 0 },
		{ 2, 3, 1 }, { 4, 8, 1 }, { 3, 8, 0 }, { 10, 4, 3 }, { 9, 4, 2 }, { 6, 3, 2 },
		{ 1234567, 3, 411522 }, { 1234568, 3, 411523 }, { 100, 1, 100 },
		{ INT64_MAX, 1, INT64_MAX }, { INT64_MAX, 2, INT64_C(4611686018427387904) },
		{ INT64_MAX, INT64_MAX, 1 }, { INT64_MAX / 2, INT64_MAX, 0 },
		{ INT64_MAX / 2 + 1, INT64_MAX, 1 },
		/* Outside the contract: defined, not relied upon. */
		{ -5, 2, -3 }, { -7, 3, -2 }, { 5, 0, 0 }, { 5, -2, 0 }, { INT64_MIN, 1, INT64_MIN },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		assert_int_equal(money_div_half_up(t[i].num, t[i].den), t[i].q);
	/* Against the textbook formula where it cannot overflow. */
	for (int64_t den = 1; den < 40; den++)
		for (int64_t num = 0; num < 500; num++)
			assert_int_equal(money_div_half_up(num, den), (2 * num + den) / (2 * den));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_div_half_up),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
