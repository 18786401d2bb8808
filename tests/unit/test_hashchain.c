/* Unit tests for src/rules/hashchain.c (RULE audit.chain). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "rules/hashchain.h"

#define PREV "abababababababababababababababababababababababababababababababab"

static void test_known_vectors(void **state)
{
	char h[65];
	/* Nothing hashed: BLAKE2b-256 of the empty message. */
	hashchain_entry(NULL, NULL, 0, h);
	assert_string_equal(h, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
	/* Computed independently (Python hashlib.blake2b, digest_size=32) over
	 * PREV + 01 <len 1> "x" + 00 + 01 <len 0> + 01 <len 6> "会员". */
	const char *f[] = { "x", NULL, "", "会员" };
	hashchain_entry(PREV, f, 4, h);
	assert_string_equal(h, "27e36aac537e7e679517967b86e85da7d310855d79d404c66e04a052f73201a5");
}

static void test_deterministic_and_hex(void **state)
{
	const char *f[] = { "2026-11-23T08:30:00Z", "admin", "household.update", "42" };
	char a[65], b[65];
	hashchain_entry(PREV, f, 4, a);
	hashchain_entry(PREV, f, 4, b);
	assert_string_equal(a, b);
	assert_int_equal(strlen(a), 64);
	for (int i = 0; i < 64; i++)
		assert_true((a[i] >= '0' && a[i] <= '9') || (a[i] >= 'a' && a[i] <= 'f'));
	/* NULL prev is the same as "". */
	hashchain_entry(NULL, f, 4, a);
	hashchain_entry("", f, 4, b);
	assert_string_equal(a, b);
}

static void test_all_distinct(void **state)
{
	static const char *const f_ab_c[] = { "ab", "c" };
	static const char *const f_a_bc[] = { "a", "bc" };
	static const char *const f_abc[] = { "abc" };
	static const char *const f_null[] = { NULL };
	static const char *const f_empty[] = { "" };
	static const char *const f_null_null[] = { NULL, NULL };
	static const char *const f_empty_empty[] = { "", "" };
	static const char *const f_null_empty[] = { NULL, "" };
	static const char *const f_empty_null[] = { "", NULL };
	static const char *const f_ab_c_null[] = { "ab", "c", NULL };
	static const char *const f_c_ab[] = { "c", "ab" };
	static const char *const f_nul_byte[] = { "\x01" };
	const struct { const char *prev; const char *const *f; size_t n; } t[] = {
		{ NULL, NULL, 0 },
		{ NULL, f_ab_c, 2 }, { NULL, f_a_bc, 2 }, { NULL, f_abc, 1 },
		{ NULL, f_null, 1 }, { NULL, f_empty, 1 }, { NULL, f_null_null, 2 },
		{ NULL, f_empty_empty, 2 }, { NULL, f_null_empty, 2 }, { NULL, f_empty_null, 2 },
		{ NULL, f_ab_c_null, 3 }, { NULL, f_c_ab, 2 }, { NULL, f_nul_byte, 1 },
		{ PREV, NULL, 0 }, { PREV, f_ab_c, 2 }, { PREV, f_null, 1 }, { PREV, f_empty, 1 },
		{ "bbababababababababababababababababababababababababababababababab", f_ab_c, 2 },
		{ "abababababababababababababababababababababababababababababababac", f_ab_c, 2 },
	};
	enum { N = sizeof t / sizeof t[0] };
	char h[N][65];
	for (size_t i = 0; i < N; i++)
		hashchain_entry(t[i].prev, t[i].f, t[i].n, h[i]);
	for (size_t i = 0; i < N; i++)
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(h[i], h[j]);
}

static void test_each_field_matters(void **state)
{
	const char *base[] = { "2026-11-23T08:30:00Z", "admin", "household.update", "42", "{}" };
	char want[65];
	hashchain_entry(PREV, base, 5, want);
	for (size_t i = 0; i < 5; i++) {
		const char *f[5];
		char h[65];
		memcpy(f, base, sizeof f);
		char changed[64];
		snprintf(changed, sizeof changed, "%s.", base[i]);
		f[i] = changed;
		hashchain_entry(PREV, f, 5, h);
		assert_string_not_equal(h, want);
		f[i] = NULL;
		hashchain_entry(PREV, f, 5, h);
		assert_string_not_equal(h, want);
	}
	/* Dropping the last field changes the hash. */
	char h[65];
	hashchain_entry(PREV, base, 4, h);
	assert_string_not_equal(h, want);
}

static void test_chain(void **state)
{
	/* Editing an early entry changes every later hash. */
	const char *rows[3][2] = { { "a", "1" }, { "b", "2" }, { "c", "3" } };
	char good[3][65], bad[3][65];
	const char *prev = NULL;
	for (int i = 0; i < 3; i++) {
		hashchain_entry(prev, rows[i], 2, good[i]);
		prev = good[i];
	}
	rows[0][1] = "9";
	prev = NULL;
	for (int i = 0; i < 3; i++) {
		hashchain_entry(prev, rows[i], 2, bad[i]);
		prev = bad[i];
		assert_false(hashchain_hex_equal(good[i], bad[i]));
	}
}

static void test_hex_equal(void **state)
{
	char a[65], b[65];
	hashchain_entry(NULL, NULL, 0, a);
	memcpy(b, a, sizeof b);
	assert_int_equal(hashchain_hex_equal(a, b), 1);
	b[63] = b[63] == '0' ? '1' : '0';
	assert_int_equal(hashchain_hex_equal(a, b), 0);
	memcpy(b, a, sizeof b);
	b[0] = b[0] == '0' ? '1' : '0';
	assert_int_equal(hashchain_hex_equal(a, b), 0);
	memcpy(b, a, sizeof b);
	b[63] = '\0';
	assert_int_equal(hashchain_hex_equal(a, b), 0);   /* 63 characters */
	assert_int_equal(hashchain_hex_equal(b, b), 0);
	char longer[66];
	memcpy(longer, a, 64);
	longer[64] = '0';
	longer[65] = '\0';
	assert_int_equal(hashchain_hex_equal(a, longer), 0);
	assert_int_equal(hashchain_hex_equal(longer, longer), 0);
	assert_int_equal(hashchain_hex_equal(a, NULL), 0);
	assert_int_equal(hashchain_hex_equal(NULL, a), 0);
	assert_int_equal(hashchain_hex_equal(NULL, NULL), 0);
	assert_int_equal(hashchain_hex_equal("", ""), 0);
	/* Upper-case is a different string. */
	memcpy(b, a, sizeof b);
	for (int i = 0; i < 64; i++)
		if (b[i] >= 'a' && b[i] <= 'f')
			b[i] = (char)(b[i] - 'a' + 'A');
	assert_int_equal(hashchain_hex_equal(a, b), 0);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_vectors),
		cmocka_unit_test(test_deterministic_and_hex),
		cmocka_unit_test(test_all_distinct),
		cmocka_unit_test(test_each_field_matters),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_hex_equal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
