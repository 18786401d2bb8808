/* Unit tests for src/http/edge.c (the framing of a request, the client
 * behind a trusted proxy, log escaping) and xlsx_number_text()
 * (src/render/xlsx_exact.c, RULE money.exact_files). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "http/edge.h"
#include "render/xlsx_out.h"

#define N(arr) (int)(sizeof arr / sizeof arr[0])

static void test_framing_accepted(void **state)
{
	const struct edge_header plain[] = {{"Host", "x"}, {"Content-Length", "12"}, {"Content-Type", "application/json"}};
	assert_null(edge_framing_problem(plain, N(plain), 0));
	const struct edge_header chunked[] = {{"Host", "x"}, {"transfer-encoding", " Chunked "}};
	assert_null(edge_framing_problem(chunked, N(chunked), 0));
	const struct edge_header tokens[] = {{"Host", "x"}, {"X-A!#$%&'*+-.^_`|~9", "v"}};
	assert_null(edge_framing_problem(tokens, N(tokens), 0));
	/* HTTP/1.0 needs no Host */
	assert_null(edge_framing_problem(NULL, 0, 1));
}

static void test_framing_refused(void **state)
{
	static const struct {
		struct edge_header h[4];
		int n, http10;
	} bad[] = {
		{{{"Host", "x"}, {"Content-Length", "2"}, {"Content-Length", "40"}}, 3, 0},   /* two lengths */
		{{{"Host", "x"}, {"Content-Length", "2"}, {"content-length", "2"}}, 3, 0},     /* even equal ones */
		{{{"Host", "x"}, {"Content-Length", "40"}, {"Transfer-Encoding", "chunked"}}, 3, 0},
		{{{"Host", "x"}, {"Content-Length ", "38"}}, 2, 0},                           /* space before the colon */
		{{{"Host", "x"}, {"Content-Length\t", "38"}}, 2, 0},
		{{{"Host", "x"}, {"Transfer-Encodingchunked", ""}}, 2, 0},                    /* a fold, as 0.9.75 keeps it */
		{{{"Host", "x"}, {"content-length5", ""}}, 2, 0},
		{{{"Host", "x"}, {"X-A, gzip", "chunked"}}, 2, 0},                            /* a fold into another name */
		{{{"Host", "x"}, {"Transfer-Encoding", "gzip"}}, 2, 0},
		{{{"Host", "x"}, {"Transfer-Encoding", "gzip, chunked"}}, 2, 0},
		{{{"Host", "x"}, {"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}}, 3, 0},
		{{{"Transfer-Encoding", "chunked"}}, 1, 1},                                   /* chunked in HTTP/1.0 */
		{{{"Host", "x"}, {"Host", "y"}}, 2, 0},
		{{{"Content-Length", "2"}}, 1, 0},                                            /* HTTP/1.1 without Host */
		{{{"Host", "x"}, {"", "v"}}, 2, 0},
		{{{"Host", "x"}, {"X\x01", "v"}}, 2, 0},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *why = edge_framing_problem(bad[i].h, bad[i].n, bad[i].http10);
		if (!why)
			fail_msg("case %zu was accepted", i);
		assert_true(strlen(why) > 0);
	}
}

static void test_bad_target(void **state)
{
	assert_false(edge_bad_target("/api/v1/orgs?q=%E5%BC%A0"));
	assert_true(edge_bad_target("/api/v1/m e"));
	assert_true(edge_bad_target("/a\tb"));
	assert_true(edge_bad_target("/a\x7f"));
	assert_true(edge_bad_target("/a\x01"));
}

static void test_log_escape(void **state)
{
	char buf[256];
	edge_log_escape(buf, sizeof buf, "/api/v1/x\naccess ts=- user=admin status=200", 0);
	assert_string_equal(buf, "/api/v1/x\\x0aaccess\\x20ts=-\\x20user=admin\\x20status=200");
	assert_null(strchr(buf, '\n'));
	edge_log_escape(buf, sizeof buf, "a\rb\x1b[31m\"q\"\\\x7f\xe5\xbc\xa0", 0);
	assert_string_equal(buf, "a\\x0db\\x1b[31m\\x22q\\x22\\x5c\\x7f\\xe5\\xbc\\xa0");
	edge_log_escape(buf, sizeof buf, NULL, 0);
	assert_string_equal(buf, "-");
	edge_log_escape(buf, sizeof buf, "a message \"x\"\n", 1); /* text: spaces and quotes kept */
	assert_string_equal(buf, "a message \"x\"\\x0a");
	/* cut at the buffer, never inside an escape */
	edge_log_escape(buf, 7, "ab\n\ncd", 0);
	assert_string_equal(buf, "ab\\x0a");
	edge_log_escape(buf, 1, "abc", 0);
	assert_string_equal(buf, "");
}

static void test_forwarded(void **state)
{
	char out[64];
	assert_int_equal(edge_forwarded_client("203.0.113.9", out, sizeof out), 0);
	assert_string_equal(out, "203.0.113.9");
	/* the last entry is the one the proxy appended; a client's own are ignored */
	assert_int_equal(edge_forwarded_client("1.1.1.1, 10.0.0.7 , 198.51.100.4", out, sizeof out), 0);
	assert_string_equal(out, "198.51.100.4");
	assert_int_equal(edge_forwarded_client("2001:DB8::1", out, sizeof out), 0);
	assert_string_equal(out, "2001:db8::1");
	assert_int_equal(edge_forwarded_client("evil\nline", out, sizeof out), -1);
	assert_int_equal(edge_forwarded_client("1.2.3.4 5.6.7.8", out, sizeof out), -1);
	assert_int_equal(edge_forwarded_client("", out, sizeof out), -1);
	assert_int_equal(edge_forwarded_client(NULL, out, sizeof out), -1);

	assert_true(edge_addr_listed("127.0.0.1", "127.0.0.1"));
	assert_true(edge_addr_listed("10.0.0.1, 127.0.0.1", "127.0.0.1"));
	assert_false(edge_addr_listed("127.0.0.10", "127.0.0.1"));
	assert_false(edge_addr_listed("127.0.0.1", "127.0.0.10"));
	assert_false(edge_addr_listed("", "127.0.0.1"));
	assert_false(edge_addr_listed(NULL, "127.0.0.1"));
}

/* RULE money.exact_files: every fen / 100 reads back as its own decimals */
static void test_number_text(void **state)
{
	char out[32];
	xlsx_number_text(72607 / 100.0, out);
	assert_string_equal(out, "726.07");
	xlsx_number_text(6990 / 100.0, out);
	assert_string_equal(out, "69.9");
	xlsx_number_text(-81206 / 100.0, out);
	assert_string_equal(out, "-812.06");
	xlsx_number_text(0, out);
	assert_string_equal(out, "0");
	xlsx_number_text(123456789012345 / 100.0, out);
	assert_string_equal(out, "1234567890123.45");
	xlsx_number_text(0.1 + 0.2, out); /* not a fen value: still the same double */
	assert_true(strtod(out, NULL) == 0.1 + 0.2);
	for (long long fen = -200000; fen <= 20000000; fen += 7) {
		char want[32];
		long long a = fen < 0 ? -fen : fen;
		/* as the file has it: libxlsxwriter's "%.16G" text, read back */
		char lib[32];
		snprintf(lib, sizeof lib, "%.16G", fen / 100.0);
		xlsx_number_text(strtod(lib, NULL), out);
		snprintf(want, sizeof want, "%s%lld.%02lld", fen < 0 ? "-" : "", a / 100, a % 100);
		/* the same number as the exact decimal, trailing zeros aside */
		size_t n = strlen(want);
		while (n && want[n - 1] == '0')
			want[--n] = '\0';
		if (want[n - 1] == '.')
			want[--n] = '\0';
		if (strcmp(out, want))
			fail_msg("%lld fen: %s, not %s", fen, out, want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_framing_accepted),
		cmocka_unit_test(test_framing_refused),
		cmocka_unit_test(test_bad_target),
		cmocka_unit_test(test_log_escape),
		cmocka_unit_test(test_forwarded),
		cmocka_unit_test(test_number_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
