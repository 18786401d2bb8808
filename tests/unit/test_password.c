/* Unit tests for src/rules/password.c (RULE password.strength). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "rules/password.h"

#define WEAK "密码至少10个字符，且须同时包含字母和数字"

static void repeat(char *buf, const char *unit, int times, const char *tail)
{
	buf[0] = '\0';
	for (int i = 0; i < times; i++)
		strcat(buf, unit);
	strcat(buf, tail);
}

static void test_table(void **state)
{
	static const struct { const char *pw; int ok; } t[] = {
		{ "abcdefgh1", 0 },        /* 9 characters */
		{ "abcdefghi1", 1 },       /* 10 */
		{ "1abcdefghi", 1 },
		{ "Abcdefghij", 0 },       /* letters only */
		{ "1234567890", 0 },       /* digits only */
		{ "12345678901234567890", 0 },
		{ "!!!!!!!!a1", 1 },
		{ "!!!!!!!!!!", 0 },
		{ "          ", 0 },
		{ "", 0 },
		{ "a1", 0 },
		{ "工会帮扶密码安全第一z9", 1 },   /* 12 code points, 32 bytes */
		{ "工会帮扶密码安全z9", 1 },       /* 10 code points */
		{ "工会帮扶密码安z9", 0 },         /* 9 code points but 23 bytes */
		{ "工会帮扶密码安全第一", 0 },     /* no letter, no digit */
		{ "工会帮扶密码安全第一９ａ", 0 }, /* full-width digit and letter are not ASCII */
		{ "工会帮扶密码安全第一9", 0 },    /* digit but no letter */
		{ "éééééééééé1", 0 },             /* é is a letter but not ASCII */
		{ "ééééééééée1", 1 },
		{ "😀😀😀😀😀😀😀😀a1", 1 },         /* 4-byte sequences count once */
		{ "😀😀😀😀😀😀😀a1", 0 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		const char *why = "unset";
		int rc = password_check(t[i].pw, &why);
		if (t[i].ok) {
			assert_int_equal(rc, 0);
			assert_null(why);
		} else {
			assert_int_equal(rc, -1);
			assert_string_equal(why, WEAK);
		}
	}
}

static void test_byte_limit(void **state)
{
	char buf[512];
	const char *why = NULL;

	repeat(buf, "b", 126, "a1");             /* 128 bytes */
	assert_int_equal(password_check(buf, &why), 0);
	repeat(buf, "b", 127, "a1");             /* 129 bytes */
	assert_int_equal(password_check(buf, &why), -1);
	assert_string_not_equal(why, WEAK);
	assert_non_null(strstr(why, "128"));

	repeat(buf, "工", 42, "a1");             /* 126 + 2 = 128 bytes */
	assert_int_equal(password_check(buf, &why), 0);
	repeat(buf, "工", 42, "ab1");            /* 129 bytes */
	assert_int_equal(password_check(buf, &why), -1);
	repeat(buf, "工", 43, "a1");             /* 45 characters but 131 bytes */
	assert_int_equal(password_check(buf, &why), -1);
	assert_non_null(strstr(why, "128"));
	repeat(buf, "x", 400, "1");
	assert_int_equal(password_check(buf, &why), -1);
	assert_non_null(strstr(why, "128"));
}

static void test_bad_utf8(void **state)
{
	static const char *const t[] = {
		"abcdefghi1\xff",
		"abcdefghi1\xc3",            /* truncated 2-byte sequence */
		"abcdefghi1\xc0\xaf",        /* overlong '/' */
		"abcdefghi1\xed\xa0\x80",    /* UTF-16 surrogate */
		"abcdefghi1\xf4\x90\x80\x80",/* above U+10FFFF */
		"\200abcdefghi1",           /* stray continuation byte 0x80 */
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		const char *why = NULL;
		assert_int_equal(password_check(t[i], &why), -1);
		assert_non_null(why);
		assert_string_not_equal(why, WEAK);
	}
}

static void test_null_args(void **state)
{
	const char *why = NULL;
	assert_int_equal(password_check(NULL, &why), -1);
	assert_string_equal(why, WEAK);
	assert_int_equal(password_check("abcdefghi1", NULL), 0);
	assert_int_equal(password_check("short1", NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_byte_limit),
		cmocka_unit_test(test_bad_utf8),
		cmocka_unit_test(test_null_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
