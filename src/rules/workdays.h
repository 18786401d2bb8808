/*
 * workdays — working-day arithmetic over a Monday-to-Friday week with a
 * table of overrides (public holidays, and the weekend "make-up" working
 * days China's State Council schedules around them).
 */
#ifndef BANGFU_RULES_WORKDAYS_H
#define BANGFU_RULES_WORKDAYS_H

#include "dates.h"
#include <stddef.h>

/* Overrides sorted by date, ascending, no duplicates; workday[i] 1 = working
 * day, 0 = holiday.  The arrays are borrowed, never freed here. */
struct wd_calendar { const day_t *dates; const unsigned char *workday; size_t n; };

/* 1 when d is a working day: the override for d if there is one, else
 * Monday..Friday.  c may be NULL (no overrides). */
int   wd_is_workday(const struct wd_calendar *c, day_t d);

/* RULE workdays.add: the n-th working day strictly after `from` (n >= 1);
 * n <= 0 returns from unchanged. */
day_t wd_add_workdays(const struct wd_calendar *c, day_t from, int n);

/* The number of working days in (from, to]; 0 when to <= from. */
int   wd_between(const struct wd_calendar *c, day_t from, day_t to);

#endif
