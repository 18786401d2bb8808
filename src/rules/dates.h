/*
 * dates — calendar dates and UTC timestamps (pure, proleptic Gregorian).
 *
 * A date is a day_t: days since 1970-01-01 (negative before it).  A
 * timestamp is an int64_t count of seconds since 1970-01-01T00:00:00Z.
 * Nothing here allocates, reads the clock or touches global state.
 */
#ifndef BANGFU_RULES_DATES_H
#define BANGFU_RULES_DATES_H

#include <stdint.h>

typedef int32_t day_t;                 /* days since 1970-01-01 (can be negative) */

/* Parses strict "YYYY-MM-DD" (exactly 10 characters, ASCII digits) naming a
 * real calendar date with year 1900..2999.  Returns 0 and sets *out, or -1
 * (and leaves *out alone) on anything else. */
int  date_parse(const char *s, day_t *out);

/* Writes d as "YYYY-MM-DD" plus NUL.  Days outside years 0..9999 cannot be
 * written in that form and produce "0000-00-00". */
void date_format(day_t d, char out[11]);

/* Builds a day from year/month/day.  Accepts years 0..9999 and only real
 * dates (Feb 29 only in leap years).  Returns 0 ok, -1 invalid. */
int  date_from_ymd(int y, int m, int d, day_t *out);

/* Splits any day_t into year, month 1..12, day 1..31.  Never fails. */
void date_to_ymd(day_t d, int *y, int *m, int *dd);

/* Age in whole years on `today` of someone born on `birth` (0 before the
 * first birthday; a 29 February birthday counts on 1 March in other years). */
int  date_age(day_t birth, day_t today);

/* ISO weekday of d: 1 = Monday .. 7 = Sunday. */
int  date_weekday(day_t d);

/* 1 when y is a Gregorian leap year (divisible by 4, except centuries not
 * divisible by 400), else 0. */
int  date_is_leap(int y);

/* The same day of the month n months after d (n may be negative), clamped
 * to the last day of the target month: Aug 31 + 6 -> Feb 28 (or 29). */
day_t date_add_months(day_t d, int n);

/* Parses an RFC 3339 timestamp "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm)"
 * ('t' and 'z' also accepted; the fraction is truncated; leap second 60 is
 * refused) or a bare "YYYY-MM-DD" meaning 00:00:00 UTC.  The date part
 * follows date_parse (year 1900..2999).  Returns 0 and sets *epoch, or -1. */
int  ts_parse(const char *s, int64_t *epoch);

/* Writes epoch as "YYYY-MM-DDTHH:MM:SSZ" (UTC) plus NUL.  Timestamps outside
 * years 0..9999 produce "0000-00-00T00:00:00Z". */
void ts_format(int64_t epoch, char out[21]);

/* The UTC calendar day containing epoch (floor division, so negative
 * timestamps map to the right day).  Saturates at the day_t range. */
day_t ts_day(int64_t epoch);

#endif
