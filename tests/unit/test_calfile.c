/* Unit tests for src/rules/calfile.c (RULE calendar.file), the shipped
 * statutory data (src/store/calendar/, RULE calendar.provisional's source),
 * src/rules/utf8.c (RULE audit.utf8, store.utf8) and the time zone of
 * "today" (core/tz.c, rules/period.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/embed.h"
#include "core/tz.h"
#include "rules/calfile.h"
#include "rules/period.h"
#include "rules/utf8.h"
#include "rules/workdays.h"

static day_t ymd(int y, int m, int d)
{
	day_t out = 0;
	assert_int_equal(date_from_ymd(y, m, d, &out), 0);
	return out;
}

static int parse(const char *text, int strict, struct arena *a, struct calfile *f)
{
	return calfile_parse(text, strlen(text), a, strict, f);
}

/* Every shipped file parses strictly; 2024–2026 reproduce the issue's
 * examples and the 75 days that differ from Monday–Friday. */
static void test_shipped(void **state)
{
	struct arena *a = arena_new();
	int years = 0;
	for (int i = 0; calendars[i].name; i++) {
		struct calfile f;
		int rc = calfile_parse(calendars[i].data, calendars[i].size, a, 1, &f);
		if (rc)
			fail_msg("%s row %d: %s", calendars[i].name, f.errors[0].row, f.errors[0].message);
		years += f.nyears;
		if (strcmp(calendars[i].name, "cn-statutory.csv") == 0) {
			assert_true(calfile_has_year(&f, 2024) && calfile_has_year(&f, 2025) && calfile_has_year(&f, 2026));
			assert_false(calfile_has_year(&f, 2027)); /* not invented */
			day_t *dates = arena_alloc(a, sizeof *dates * (size_t)f.ndays);
			unsigned char *work = arena_alloc(a, (size_t)f.ndays);
			for (int k = 0; k < f.ndays; k++) {
				dates[k] = f.days[k].date;
				work[k] = (unsigned char)f.days[k].workday;
			}
			struct wd_calendar c = {dates, work, (size_t)f.ndays};
			assert_int_equal(wd_add_workdays(&c, ymd(2026, 9, 30), 5), ymd(2026, 10, 13));
			assert_int_equal(wd_add_workdays(&c, ymd(2026, 2, 13), 6), ymd(2026, 2, 28));
			int differ = 0;
			for (day_t d = ymd(2024, 1, 1); d <= ymd(2026, 12, 31); d++)
				differ += wd_is_workday(&c, d) != wd_is_workday(NULL, d);
			assert_int_equal(differ, 75);
		}
		calfile_free(&f);
	}
	assert_true(years >= 3);
	arena_free(a);
}

static void test_rows(void **state)
{
	struct arena *a = arena_new();
	struct calfile f;
	assert_int_equal(parse("\xEF\xBB\xBF# c\r\ndate,workday,note\r\nyear,2027,通知\r\n2027/1/1,是,元旦\r\n"
			       "2027-01-04,休息,\"调休,补假\"\r\n", 1, a, &f), 0);
	assert_int_equal(f.ndays, 2);
	assert_int_equal(f.days[0].date, ymd(2027, 1, 1));
	assert_int_equal(f.days[0].workday, 1);
	assert_string_equal(f.days[1].note, "调休,补假");
	calfile_free(&f);

	/* every error by row, sorted; the duplicate names the first row */
	assert_int_equal(parse("2027-01-01,0,a\n2027-02-30,0,b\n2027-01-02,x,c\n2027-01-01,1,d\n2027-01-03,0,e,f\n",
			       0, a, &f), -1);
	assert_int_equal(f.nerrors, 4);
	assert_int_equal(f.errors[0].row, 2);
	assert_int_equal(f.errors[1].row, 3);
	assert_int_equal(f.errors[2].row, 4);
	assert_non_null(strstr(f.errors[2].message, "第 1 行"));
	assert_int_equal(f.errors[3].row, 5);
	calfile_free(&f);

	/* strict: a day outside a declared year; a year twice; a year without notice */
	assert_int_equal(parse("year,2027,n\n2028-01-01,0,x\nyear,2027,m\nyear,2029,\n", 1, a, &f), -1);
	assert_int_equal(f.nerrors, 3);
	calfile_free(&f);
	assert_int_equal(parse("", 0, a, &f), -1); /* nothing at all */
	calfile_free(&f);
	arena_free(a);
}

static void test_utf8_repair(void **state)
{
	char cut[] = "用户名 \xE5\xBC"; /* 张 cut after two of its bytes */
	assert_int_equal(utf8_repair(cut), 2);
	assert_string_equal(cut, "用户名 ");
	char bad[] = "a\xFF" "b\xB9\xFA" "c";
	assert_int_equal(utf8_repair(bad), 3);
	assert_string_equal(bad, "a?b??c");
	char ok[] = "张三 ok";
	assert_int_equal(utf8_repair(ok), 0);
	assert_true(utf8_valid(ok, strlen(ok)));
}

static void test_tz(void **state)
{
	char why[200];
	int64_t t;
	assert_int_equal(tz_setup(NULL, why, sizeof why), 0);
	assert_string_equal(tz_name(), "Asia/Shanghai");
	assert_int_equal(ts_parse("2026-03-02T15:59:59Z", &t), 0);
	assert_int_equal(tz_day(t), ymd(2026, 3, 2));
	assert_int_equal(tz_day(t + 1), ymd(2026, 3, 3));
	assert_int_equal(tz_day_start(ymd(2026, 3, 3)), t + 1);
	struct period p;
	assert_int_equal(period_parse("2026Q3", &p), 0);
	period_in_zone(&p, tz_day_start);
	assert_string_equal(p.from_ts, "2026-06-30T16:00:00Z");
	assert_string_equal(p.to_ts, "2026-09-30T15:59:59Z");
	assert_int_equal(tz_setup("-05:30", why, sizeof why), 0);
	assert_int_equal(tz_offset(t), -(5 * 3600 + 30 * 60));
	assert_int_equal(tz_setup("Nowhere/City", why, sizeof why), -1);
	assert_string_equal(tz_name(), "-05:30"); /* unchanged by a refusal */
	assert_int_equal(tz_setup("UTC", why, sizeof why), 0);
	assert_int_equal(tz_day(t + 1), ymd(2026, 3, 2));
	assert_int_equal(tz_setup(NULL, why, sizeof why), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_utf8_repair),
		cmocka_unit_test(test_tz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
