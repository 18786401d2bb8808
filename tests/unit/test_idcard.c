/* Unit tests for src/rules/idcard.c (RULE idcard.check). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "rules/idcard.h"

static day_t ymd(int y, int m, int d)
{
	day_t out = 0;
	assert_int_equal(date_from_ymd(y, m, d, &out), 0);
	return out;
}

/* "Today" for most tests. */
#define TODAY ymd(2026, 11, 23)

/* Builds a number with a correct check character from region, YYYYMMDD and
 * a 3-digit sequence. */
static void make_id(char out[19], const char *region, const char *birth, const char *seq)
{
	snprintf(out, 19, "%.6s%.8s%.3s", region, birth, seq);
	assert_int_equal(strlen(out), 17);
	out[17] = idcard_check_char(out);
	out[18] = '\0';
	assert_true(out[17] != '\0');
}

static void test_known_valid(void **state)
{
	/* Hand computation for 11010119900307451: the weighted sum is
	 * 1*7+1*9+0*10+1*5+0*8+1*4+1*2+9*1+9*6+0*3+0*7+3*9+0*10+7*5+4*8+5*4+1*2
	 * = 206, 206 mod 11 = 8, and position 8 of "10X98765432" is '4'. */
	assert_int_equal(idcard_check_char("11010119900307451"), '4');
	struct idcard_info info;
	memset(&info, 0x5a, sizeof info);
	assert_int_equal(idcard_check("110101199003074514", TODAY, &info), ID_OK);
	assert_string_equal(info.norm, "110101199003074514");
	assert_string_equal(info.region, "110101");
	assert_int_equal(info.birth, ymd(1990, 3, 7));
	assert_int_equal(info.male, 1);   /* sequence 451 is odd */
	assert_int_equal(idcard_check("110101199003074514", TODAY, NULL), ID_OK);
}

static void test_check_char_table(void **state)
{
	/* Expected characters computed by hand (weighted sums 167, 237, 206). */
	static const struct { const char *first17; char c; } t[] = {
		{ "11010519491231002", 'X' },
		{ "44030419850412102", '6' },
		{ "11010119900307451", '4' },
	};
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int sum = 0;
		for (int k = 0; k < 17; k++)
			sum += (t[i].first17[k] - '0') * w[k];
		/* The check value v satisfies (sum + v) mod 11 == 1, v = 10 written X. */
		int v = (12 - sum % 11) % 11;
		char want = v == 10 ? 'X' : (char)('0' + v);
		assert_int_equal(want, t[i].c);
		assert_int_equal(idcard_check_char(t[i].first17), want);
	}
	assert_int_equal(idcard_check_char(NULL), '\0');
	assert_int_equal(idcard_check_char("1101051949123100"), '\0');  /* 16 digits */
	assert_int_equal(idcard_check_char("1101051949123100a"), '\0');
}

static void test_generated_valid(void **state)
{
	static const char *const regions[] = {
		"110101", "310104", "440304", "500101", "650102", "810000", "820000", "830000",
		"710000", "152801", "370202",
	};
	static const char *const births[] = { "19000101", "19491001", "19900307", "20000229", "20261123" };
	int seen_x = 0;
	for (size_t r = 0; r < sizeof regions / sizeof regions[0]; r++) {
		for (size_t b = 0; b < sizeof births / sizeof births[0]; b++) {
			for (int s = 0; s < 1000; s += 37) {
				char seq[4], id[19];
				snprintf(seq, sizeof seq, "%03d", s);
				make_id(id, regions[r], births[b], seq);
				struct idcard_info info;
				assert_int_equal(idcard_check(id, TODAY, &info), ID_OK);
				assert_string_equal(info.norm, id);
				assert_memory_equal(info.region, regions[r], 7);
				assert_int_equal(info.male, s % 2);
				seen_x |= id[17] == 'X';
			}
		}
	}
	assert_true(seen_x);
}

static void test_lower_x(void **state)
{
	char id[19];
	/* Find a sequence whose check character is X. */
	int s;
	for (s = 0; s < 1000; s++) {
		char seq[4];
		snprintf(seq, sizeof seq, "%03d", s);
		make_id(id, "320102", "19851111", seq);
		if (id[17] == 'X')
			break;
	}
	assert_true(s < 1000);
	struct idcard_info info;
	assert_int_equal(idcard_check(id, TODAY, &info), ID_OK);
	char lower[19];
	memcpy(lower, id, sizeof lower);
	lower[17] = 'x';
	memset(&info, 0, sizeof info);
	assert_int_equal(idcard_check(lower, TODAY, &info), ID_OK);
	assert_string_equal(info.norm, id);              /* normalised to upper-case */
	assert_int_equal(info.norm[17], 'X');
	assert_int_equal(info.male, s % 2);
	assert_int_equal(idcard_check("11010519491231002x", TODAY, NULL), ID_OK);
}

static void test_wrong_check_char(void **state)
{
	static const char all[] = "0123456789X";
	char id[19];
	make_id(id, "110101", "19900307", "451");
	int accepted = 0;
	for (int i = 0; all[i] != '\0'; i++) {
		id[17] = all[i];
		int rc = idcard_check(id, TODAY, NULL);
		if (all[i] == '4') {
			assert_int_equal(rc, ID_OK);
			accepted++;
		} else {
			assert_int_equal(rc, ID_CHECK);
		}
	}
	assert_int_equal(accepted, 1);
	id[17] = 'x';
	assert_int_equal(idcard_check(id, TODAY, NULL), ID_CHECK);
	/* A single changed digit in the body is caught too. */
	make_id(id, "110101", "19900307", "451");
	for (int pos = 0; pos < 17; pos++) {
		char bad[19];
		memcpy(bad, id, sizeof bad);
		bad[pos] = bad[pos] == '9' ? '8' : (char)(bad[pos] + 1);
		int rc = idcard_check(bad, TODAY, NULL);
		assert_int_not_equal(rc, ID_OK);
	}
}

static void test_errors(void **state)
{
	char future[19], today[19], leap_bad[19], leap_ok[19], reg0[19], reg_prov[19], reg99[19];
	make_id(future, "110101", "20261124", "451");
	make_id(today, "110101", "20261123", "451");
	make_id(leap_bad, "110101", "20230229", "451");
	make_id(leap_ok, "110101", "20240229", "451");
	make_id(reg0, "000000", "19900307", "451");
	make_id(reg_prov, "110000", "19900307", "451");
	make_id(reg99, "991234", "19900307", "451");
	char y1899[19], m13[19], d00[19], d31[19], reg16[19], reg84[19];
	make_id(y1899, "110101", "18991231", "451");
	make_id(m13, "110101", "19901301", "451");
	make_id(d00, "110101", "19900100", "451");
	make_id(d31, "110101", "19900431", "451");
	make_id(reg16, "160101", "19900307", "451");
	make_id(reg84, "840101", "19900307", "451");

	const struct { const char *s; enum idcard_err e; } t[] = {
		{ "11010119900307451", ID_LENGTH },
		{ "1101011990030745144", ID_LENGTH },
		{ "", ID_LENGTH },
		{ "110101 199003074514", ID_LENGTH },
		{ "1101011990a3074514", ID_CHARS },
		{ "11010119900307451Y", ID_CHARS },
		{ "X10101199003074514", ID_CHARS },
		{ "11010119900307 514", ID_CHARS },
		{ "１101199003074514", ID_CHARS },            /* full-width digit, 18 bytes */
		{ "１１０１０１199003", ID_LENGTH },          /* 24 bytes */
		{ reg0, ID_REGION }, { reg_prov, ID_REGION }, { reg99, ID_REGION },
		{ reg16, ID_REGION }, { reg84, ID_REGION },
		{ leap_bad, ID_DATE }, { leap_ok, ID_OK },
		{ y1899, ID_DATE }, { m13, ID_DATE }, { d00, ID_DATE }, { d31, ID_DATE },
		{ future, ID_FUTURE }, { today, ID_OK },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct idcard_info info;
		memset(&info, 0x5a, sizeof info);
		int rc = idcard_check(t[i].s, TODAY, &info);
		assert_int_equal(rc, t[i].e);
		if (rc != ID_OK) {
			/* info is zeroed on failure. */
			assert_int_equal(info.norm[0], '\0');
			assert_int_equal(info.birth, 0);
		}
	}
	assert_int_equal(idcard_check(NULL, TODAY, NULL), ID_LENGTH);
	/* The same future number is fine once its birthday has come. */
	assert_int_equal(idcard_check(future, TODAY + 1, NULL), ID_OK);
	/* Earlier checks win: a bad region with a bad check character is ID_REGION. */
	reg0[17] = reg0[17] == '0' ? '1' : '0';
	assert_int_equal(idcard_check(reg0, TODAY, NULL), ID_REGION);
}

static void test_strerror(void **state)
{
	assert_string_equal(idcard_strerror(ID_CHECK), "身份证号校验位错误");
	for (int e = ID_OK; e <= ID_CHECK; e++) {
		const char *m = idcard_strerror((enum idcard_err)e);
		assert_non_null(m);
		assert_true(strlen(m) > 0);
		for (int f = ID_OK; f < e; f++)
			assert_string_not_equal(m, idcard_strerror((enum idcard_err)f));
	}
	assert_non_null(idcard_strerror((enum idcard_err)99));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_valid),
		cmocka_unit_test(test_check_char_table),
		cmocka_unit_test(test_generated_valid),
		cmocka_unit_test(test_lower_x),
		cmocka_unit_test(test_wrong_check_char),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_strerror),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
