/* period.h — report periods (RULE report.period).  Pure: no I/O.
 *
 * A quarterly period is written "YYYYQn": four digits, a capital Q, one
 * digit 1..4 ("2026Q3").  Years 2000..2100, like standards and accounts.
 * Q1 = Jan 1 .. Mar 31, Q2 = Apr 1 .. Jun 30, Q3 = Jul 1 .. Sep 30,
 * Q4 = Oct 1 .. Dec 31; both ends are inclusive days.
 */
#ifndef BANGFU_RULES_PERIOD_H
#define BANGFU_RULES_PERIOD_H

#include "rules/dates.h"

struct period {
	int year, quarter;             /* 2026, 3 */
	day_t from, to, year_start;    /* 2026-07-01, 2026-09-30, 2026-01-01 */
	char name[7];                  /* "2026Q3" */
	char from_s[11], to_s[11], year_start_s[11];
	/* timestamps bounding the period: "2026-07-01T00:00:00Z", "2026-09-30T23:59:59Z" */
	char from_ts[21], to_ts[21], year_start_ts[21];
};

/* Parses "YYYYQn" strictly (exactly 6 characters).  Returns 0 and fills
 * *out, or -1 (and leaves *out alone) for anything else: NULL, "", "26Q1",
 * "2026Q5", "2026q3", "2026Q3 ". */
int period_parse(const char *s, struct period *out);

/* Moves the period's timestamps to a time zone: from_ts (and
 * year_start_ts) become the instant its first day begins there, to_ts the
 * last second of its last day, as day_start(d) gives the instant day d
 * begins.  period_parse() leaves them in UTC. */
void period_in_zone(struct period *p, int64_t (*day_start)(day_t d));

/* The quarter containing day d (years 0..9999 accepted here). */
void period_of_day(day_t d, struct period *out);

/* The 12 months ending with the month of d, oldest first, as "YYYY-MM";
 * first[] / last[] get each month's first and last day "YYYY-MM-DD". */
void period_last_12_months(day_t d, char months[12][8], char first[12][11], char last[12][11]);

#endif
