/* Unit tests for the pure helpers of src/render/ (chart axis scaling, table
 * page breaks) and a smoke test of pdf_quarterly_report() writing a file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/pdf_chart.h"
#include "render/pdf_doc.h"
#include "render/pdf_report.h"

static void test_axis_max(void **state)
{
	static const struct { double max; int whole; double top; int ticks; } t[] = {
		{0, 1, 1, 1},       /* empty chart: an axis all the same */
		{-3, 1, 1, 1},
		{1, 1, 1, 1},       /* counts: the step never goes below 1 */
		{3, 1, 3, 3},
		{7, 1, 8, 4},       /* step 2 */
		{10, 1, 10, 5},
		{11, 1, 15, 3},     /* step 5 */
		{300, 1, 300, 3},   /* step 100 */
		{301, 1, 400, 4},
		{98765, 1, 100000, 5},
		{0.3, 0, 0.3, 3},   /* ratios: step 0.1 */
		{0.45, 0, 0.5, 5},
		{0.123, 0, 0.15, 3},
		{0.3, 1, 1, 1},     /* whole: a small ratio still gets step 1 */
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int ticks = -1;
		double top = chart_axis_max(t[i].max, t[i].whole, &ticks);
		if (top < t[i].top - 1e-9 || top > t[i].top + 1e-9)
			fail_msg("axis of %g (whole %d): %g, want %g", t[i].max, t[i].whole, top, t[i].top);
		assert_int_equal(ticks, t[i].ticks);
		assert_true(top >= t[i].max);
	}
}

static void test_rows_fit(void **state)
{
	const double rows[] = {20, 20, 30, 50, 10};
	/* the heading row takes its room first */
	assert_int_equal(pdf_rows_fit(0, 100, 20, rows, 5), 3);  /* 20+20+20+30 = 90 <= 100 */
	assert_int_equal(pdf_rows_fit(0, 90, 20, rows, 5), 3);   /* exactly at the bottom fits */
	assert_int_equal(pdf_rows_fit(0, 89.9, 20, rows, 5), 2);
	assert_int_equal(pdf_rows_fit(60, 100, 20, rows, 5), 1);
	assert_int_equal(pdf_rows_fit(70, 100, 20, rows, 5), 0); /* not even one: next page */
	assert_int_equal(pdf_rows_fit(0, 1000, 20, rows, 5), 5);
	assert_int_equal(pdf_rows_fit(0, 1000, 20, rows, 0), 0);
	/* rows are never split: a tall row waits even when a shorter one after it would fit */
	assert_int_equal(pdf_rows_fit(0, 115, 0, rows, 5), 3);
}

static int is_pdf(const char *path, long *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	char head[5] = {0}, tail[16] = {0};
	size_t n = fread(head, 1, 5, f);
	fseek(f, -8, SEEK_END);
	*size = ftell(f) + 8;
	size_t m = fread(tail, 1, 8, f);
	fclose(f);
	return n == 5 && m == 8 && !memcmp(head, "%PDF-", 5) && strstr(tail, "%%EOF");
}

/* Many units: the tables run over several pages (heading rows repeated),
 * unknown keys are ignored, missing figures count as 0. */
static void test_report_file(void **state)
{
	json_t *units = json_array();
	for (int i = 0; i < 80; i++)
		json_array_append_new(units, json_pack("{s:i, s:s+, s:{s:{s:i, s:i}, s:f}, s:i}", "org_id", i + 10,
						       "name", "基层工会", i % 2 ? "甲" : "乙", "households",
						       "by_status", "active", i, "exited", 1, "exit_rate_ytd", 0.5,
						       "future_key", 1));
	json_t *rep = json_pack("{s:s, s:s, s:s, s:s, s:o, s:{s:{s:{s:i, s:i}}}}", "name", "某市总工会",
				"period", "2026Q3", "from", "2026-07-01", "to", "2026-09-30", "units", units,
				"total", "households", "by_status", "active", 3160, "exited", 80);
	char path[] = "/tmp/bangfu-pdf-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct err e = {0};
	assert_int_equal(pdf_quarterly_report(rep, path, &e), 0);
	long size = 0;
	assert_true(is_pdf(path, &size));
	assert_true(size > 20000); /* the font subset alone is larger */

	/* a bad period refuses, and an unwritable path is an error, not a crash */
	json_object_set_new(rep, "period", json_string("2026Q5"));
	assert_int_equal(pdf_quarterly_report(rep, path, &e), -E_VALIDATION_FAILED);
	err_clear(&e);
	json_object_set_new(rep, "period", json_string("2026Q3"));
	assert_int_equal(pdf_quarterly_report(rep, "/nonexistent-dir/x.pdf", &e), -E_INTERNAL);
	err_clear(&e);
	unlink(path);
	json_decref(rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_axis_max),
		cmocka_unit_test(test_rows_fit),
		cmocka_unit_test(test_report_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
