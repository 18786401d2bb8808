/* Unit tests for src/rules/workdays.c (RULE workdays.add). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "rules/workdays.h"

static day_t ymd(int y, int m, int d)
{
	day_t out = 0;
	assert_int_equal(date_from_ymd(y, m, d, &out), 0);
	return out;
}

/*
 * A National-Day-style schedule for 2026: 10-01 (Thu) .. 10-07 (Wed) off,
 * with Sunday 09-20 and Saturday 10-10 made up as working days.
 */
struct cal2026 {
	day_t dates[9];
	unsigned char workday[9];
	struct wd_calendar c;
};

static void cal_init(struct cal2026 *k)
{
	k->dates[0] = ymd(2026, 9, 20);
	k->workday[0] = 1;
	for (int i = 0; i < 7; i++) {
		k->dates[1 + i] = ymd(2026, 10, 1 + i);
		k->workday[1 + i] = 0;
	}
	k->dates[8] = ymd(2026, 10, 10);
	k->workday[8] = 1;
	k->c.dates = k->dates;
	k->c.workday = k->workday;
	k->c.n = 9;
}

static void test_is_workday(void **state)
{
	struct cal2026 k;
	cal_init(&k);
	static const struct { int m, d, plain, cal; } t[] = {
		{ 9, 18, 1, 1 },  /* Fri */
		{ 9, 19, 0, 0 },  /* Sat */
		{ 9, 20, 0, 1 },  /* Sun, make-up day */
		{ 9, 30, 1, 1 },  /* Wed */
		{ 10, 1, 1, 0 },  /* Thu, holiday */
		{ 10, 2, 1, 0 },
		{ 10, 3, 0, 0 },  /* Sat inside the holiday */
		{ 10, 5, 1, 0 },
		{ 10, 7, 1, 0 },
		{ 10, 8, 1, 1 },  /* Thu, back to work */
		{ 10, 10, 0, 1 }, /* Sat, make-up day */
		{ 10, 11, 0, 0 }, /* Sun */
		{ 11, 23, 1, 1 }, /* Mon */
	};
	struct wd_calendar empty = { NULL, NULL, 0 };
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		day_t d = ymd(2026, t[i].m, t[i].d);
		assert_int_equal(wd_is_workday(NULL, d), t[i].plain);
		assert_int_equal(wd_is_workday(&empty, d), t[i].plain);
		assert_int_equal(wd_is_workday(&k.c, d), t[i].cal);
	}
}

static void test_add_workdays(void **state)
{
	struct cal2026 k;
	cal_init(&k);
	static const struct { int m, d, n, em, ed; int use_cal; } t[] = {
		{ 11, 20, 1, 11, 23, 1 }, /* Friday + 1 -> Monday */
		{ 11, 21, 1, 11, 23, 1 }, /* Saturday + 1 -> Monday */
		{ 11, 23, 1, 11, 24, 1 },
		{ 11, 23, 5, 11, 30, 1 },
		{ 11, 23, 10, 12, 7, 1 },
		{ 9, 18, 1, 9, 20, 1 },   /* Friday + 1 -> make-up Sunday */
		{ 9, 18, 1, 9, 21, 0 },   /* ... but Monday without the calendar */
		{ 9, 30, 1, 10, 8, 1 },   /* across the whole holiday */
		{ 9, 30, 2, 10, 9, 1 },
		{ 9, 30, 3, 10, 10, 1 },  /* make-up Saturday counts */
		{ 9, 30, 4, 10, 12, 1 },
		{ 9, 30, 1, 10, 1, 0 },
		{ 9, 30, 4, 10, 6, 0 },
		{ 10, 3, 1, 10, 8, 1 },   /* starting inside the holiday */
		{ 10, 1, 1, 10, 8, 1 },
		{ 9, 25, 5, 10, 9, 1 },   /* Fri + 5: 9-28, 9-29, 9-30, 10-8, 10-9 */
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		const struct wd_calendar *c = t[i].use_cal ? &k.c : NULL;
		assert_int_equal(wd_add_workdays(c, ymd(2026, t[i].m, t[i].d), t[i].n),
		                 ymd(2026, t[i].em, t[i].ed));
	}
	day_t from = ymd(2026, 10, 2);
	assert_int_equal(wd_add_workdays(&k.c, from, 0), from);
	assert_int_equal(wd_add_workdays(&k.c, from, -3), from);
	assert_int_equal(wd_add_workdays(NULL, from, 0), from);
}

static void test_between(void **state)
{
	struct cal2026 k;
	cal_init(&k);
	static const struct { int fm, fd, tm, td, plain, cal; } t[] = {
		{ 9, 30, 10, 12, 8, 4 },  /* 10-8, 10-9, 10-10 (make-up), 10-12 */
		{ 9, 30, 10, 7, 5, 0 },   /* the holiday itself */
		{ 9, 18, 9, 20, 0, 1 },   /* (Fri, Sun]: the make-up Sunday */
		{ 9, 18, 9, 18, 0, 0 },   /* empty interval */
		{ 9, 21, 9, 18, 0, 0 },   /* reversed */
		{ 11, 23, 11, 30, 5, 5 }, /* (Mon, Mon] */
		{ 11, 20, 11, 23, 1, 1 }, /* (Fri, Mon] */
		{ 9, 1, 10, 31, 43, 40 }, /* 43 weekdays, 5 of them holidays, 2 make-up days */
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		day_t f = ymd(2026, t[i].fm, t[i].fd), to = ymd(2026, t[i].tm, t[i].td);
		assert_int_equal(wd_between(NULL, f, to), t[i].plain);
		assert_int_equal(wd_between(&k.c, f, to), t[i].cal);
	}
}

/* wd_between and wd_add_workdays agree with a day-by-day count. */
static void test_between_matches_brute_force(void **state)
{
	struct cal2026 k;
	cal_init(&k);
	const struct wd_calendar *cals[] = { NULL, &k.c };
	day_t lo = ymd(2026, 9, 1), hi = ymd(2026, 11, 1);
	for (size_t ci = 0; ci < 2; ci++) {
		for (day_t f = lo; f < hi; f++) {
			int count = 0;
			for (day_t to = f + 1; to < hi + 20; to++) {
				if (wd_is_workday(cals[ci], to)) {
					count++;
					/* `to` is the count-th working day after f. */
					assert_int_equal(wd_add_workdays(cals[ci], f, count), to);
				}
				assert_int_equal(wd_between(cals[ci], f, to), count);
			}
		}
	}
	/* Long spans without a calendar: 5 working days per full week. */
	assert_int_equal(wd_between(NULL, ymd(2026, 11, 22), ymd(2026, 11, 22) + 7 * 1000), 5000);
	assert_int_equal(wd_between(NULL, -100000, -100000 + 7 * 3), 15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_workday),
		cmocka_unit_test(test_add_workdays),
		cmocka_unit_test(test_between),
		cmocka_unit_test(test_between_matches_brute_force),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
