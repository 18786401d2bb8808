/* Unit tests for src/rules/mask.c (RULE mask.id, RULE mask.phone). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "rules/mask.h"

static void test_mask_id(void **state)
{
	static const struct { const char *in, *out; } t[] = {
		{ "110101199003074514", "110101********4514" },
		{ "11010119900307451X", "110101********451X" },
		{ "110101900307451", "110101*****7451" },   /* old 15-digit number */
		{ "12345678901", "123456*8901" },           /* 11: shortest kept form */
		{ "1234567890", "**********" },             /* 10: all hidden */
		{ "1234", "****" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char buf[64];
		memset(buf, '#', sizeof buf);
		mask_id_number(t[i].in, buf, sizeof buf);
		assert_string_equal(buf, t[i].out);
	}
	char buf[8] = "junk";
	mask_id_number(NULL, buf, sizeof buf);
	assert_string_equal(buf, "");
}

static void test_mask_phone(void **state)
{
	static const struct { const char *in, *out; } t[] = {
		{ "13800138000", "138****8000" },
		{ "+8613800138000", "+86*******8000" },
		{ "01012345678", "010****5678" },
		{ "12345678", "123*5678" },   /* 8: shortest kept form */
		{ "1234567", "*******" },     /* 7: all hidden */
		{ "1", "*" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char buf[64];
		memset(buf, '#', sizeof buf);
		mask_phone(t[i].in, buf, sizeof buf);
		assert_string_equal(buf, t[i].out);
	}
	char buf[8] = "junk";
	mask_phone(NULL, buf, sizeof buf);
	assert_string_equal(buf, "");
}

static void test_truncation(void **state)
{
	char buf[32];
	memset(buf, '#', sizeof buf);
	mask_id_number("110101199003074514", buf, 5);
	assert_string_equal(buf, "1101");
	assert_int_equal(buf[5], '#');          /* nothing written past outsz */
	memset(buf, '#', sizeof buf);
	mask_id_number("110101199003074514", buf, 10);
	assert_string_equal(buf, "110101***");  /* the tail is never shown when cut */
	mask_id_number("110101199003074514", buf, 18);
	assert_string_equal(buf, "110101********451");
	mask_phone("13800138000", buf, 1);
	assert_string_equal(buf, "");
	memset(buf, '#', sizeof buf);
	mask_phone("13800138000", buf, 0);      /* outsz 0: untouched */
	assert_int_equal(buf[0], '#');
	mask_phone("13800138000", NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mask_id),
		cmocka_unit_test(test_mask_phone),
		cmocka_unit_test(test_truncation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
