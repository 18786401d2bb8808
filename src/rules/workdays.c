/* workdays — see workdays.h. */
#include "rules/workdays.h"

/* Index of the first override with date >= d (c->n when none). */
static size_t lower_bound(const struct wd_calendar *c, day_t d)
{
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->dates[mid] < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int has_overrides(const struct wd_calendar *c)
{
	return c != NULL && c->n > 0 && c->dates != NULL && c->workday != NULL;
}

static int weekday_is_workday(day_t d)
{
	return date_weekday(d) <= 5;
}

int wd_is_workday(const struct wd_calendar *c, day_t d)
{
	if (has_overrides(c)) {
		size_t i = lower_bound(c, d);
		if (i < c->n && c->dates[i] == d)
			return c->workday[i] != 0;
	}
	return weekday_is_workday(d);
}

/* Mon..Fri days in (from, to], from < to, ignoring overrides. */
static int64_t plain_weekdays(day_t from, day_t to)
{
	int64_t span = (int64_t)to - from;
	int64_t count = span / 7 * 5;
	int64_t rest = span % 7;
	for (int64_t i = 1; i <= rest; i++)
		if (weekday_is_workday((day_t)(from + (span / 7) * 7 + i)))
			count++;
	return count;
}

day_t wd_add_workdays(const struct wd_calendar *c, day_t from, int n)
{
	/* RULE workdays.add */
	day_t d = from;
	while (n > 0 && d < INT32_MAX) {
		d++;
		if (wd_is_workday(c, d))
			n--;
	}
	return d;
}

int wd_between(const struct wd_calendar *c, day_t from, day_t to)
{
	if (to <= from)
		return 0;
	int64_t count = plain_weekdays(from, to);
	if (has_overrides(c)) {
		/* Correct the plain count by each override inside (from, to]. */
		for (size_t i = lower_bound(c, (day_t)(from + 1)); i < c->n && c->dates[i] <= to; i++)
			count += (c->workday[i] != 0) - weekday_is_workday(c->dates[i]);
	}
	return (int)count;
}
