/*
 * dates — see dates.h.  Day arithmetic uses Howard Hinnant's
 * days_from_civil / civil_from_days algorithms, exact for the whole
 * proleptic Gregorian calendar.
 */
#include "rules/dates.h"

#include <stddef.h>

#define SECS_PER_DAY 86400

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* Days since 1970-01-01 for a (not necessarily valid) y/m/d; m in 1..12. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;                                   /* [0, 399] */
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;  /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;                                      /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
	int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11] */
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
	static const unsigned char len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && date_is_leap((int)(y % 400)))
		return 29;
	return len[m - 1];
}

int date_from_ymd(int y, int m, int d, day_t *out)
{
	if (y < 0 || y > 9999 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return -1;
	*out = (day_t)days_from_civil(y, m, d);
	return 0;
}

void date_to_ymd(day_t d, int *y, int *m, int *dd)
{
	int64_t yy;
	civil_from_days(d, &yy, m, dd);
	*y = (int)yy;
}

int date_weekday(day_t d)
{
	/* 1970-01-01 was a Thursday (4). */
	return (int)(((int64_t)d % 7 + 7 + 3) % 7) + 1;
}

day_t date_add_months(day_t d, int n)
{
	int64_t y;
	int m, dd;
	civil_from_days(d, &y, &m, &dd);
	int64_t idx = y * 12 + (m - 1) + n;
	int64_t ny = floor_div(idx, 12);
	int nm = (int)(idx - ny * 12) + 1;
	int ml = month_days(ny, nm);
	if (dd > ml)
		dd = ml;
	int64_t r = days_from_civil(ny, nm, dd);
	if (r > INT32_MAX)
		return INT32_MAX;
	if (r < INT32_MIN)
		return INT32_MIN;
	return (day_t)r;
}

/* Reads exactly n ASCII digits; returns the value or -1. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Parses the leading "YYYY-MM-DD" of s (year 1900..2999, real date). */
static int date_prefix(const char *s, day_t *out)
{
	int y = digits(s, 4);
	if (y < 0 || s[4] != '-')
		return -1;
	int m = digits(s + 5, 2);
	if (m < 0 || s[7] != '-')
		return -1;
	int d = digits(s + 8, 2);
	if (d < 0 || y < 1900 || y > 2999)
		return -1;
	return date_from_ymd(y, m, d, out);
}

int date_parse(const char *s, day_t *out)
{
	day_t d;
	if (s == NULL || date_prefix(s, &d) != 0 || s[10] != '\0')
		return -1;
	*out = d;
	return 0;
}

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

static void put4(char *p, int v)
{
	put2(p, v / 100);
	put2(p + 2, v % 100);
}

void date_format(day_t d, char out[11])
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	if (y < 0 || y > 9999) {
		y = 0;
		m = 0;
		dd = 0;
	}
	put4(out, y);
	out[4] = '-';
	put2(out + 5, m);
	out[7] = '-';
	put2(out + 8, dd);
	out[10] = '\0';
}

int ts_parse(const char *s, int64_t *epoch)
{
	day_t day;
	if (s == NULL || date_prefix(s, &day) != 0)
		return -1;
	if (s[10] == '\0') {
		*epoch = (int64_t)day * SECS_PER_DAY;
		return 0;
	}
	const char *p = s + 10;
	if (*p != 'T' && *p != 't')
		return -1;
	p++;
	int hh = digits(p, 2);
	if (hh < 0 || hh > 23 || p[2] != ':')
		return -1;
	int mi = digits(p + 3, 2);
	if (mi < 0 || mi > 59 || p[5] != ':')
		return -1;
	int ss = digits(p + 6, 2);
	if (ss < 0 || ss > 59)
		return -1;
	p += 8;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	int64_t off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1;
		int oh = digits(p + 1, 2);
		if (oh < 0 || oh > 23 || p[3] != ':')
			return -1;
		int om = digits(p + 4, 2);
		if (om < 0 || om > 59)
			return -1;
		off = sign * (int64_t)(oh * 3600 + om * 60);
		p += 6;
	} else {
		return -1;
	}
	if (*p != '\0')
		return -1;
	/* Local time = UTC + offset, so UTC = local - offset. */
	*epoch = (int64_t)day * SECS_PER_DAY + hh * 3600 + mi * 60 + ss - off;
	return 0;
}

void ts_format(int64_t epoch, char out[21])
{
	int64_t days = floor_div(epoch, SECS_PER_DAY);
	int64_t secs = epoch - days * SECS_PER_DAY;
	int64_t y = -1;
	int m = 0, d = 0;
	if (days >= INT32_MIN && days <= INT32_MAX)
		civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		y = 0;
		m = 0;
		d = 0;
		secs = 0;
	}
	put4(out, (int)y);
	out[4] = '-';
	put2(out + 5, m);
	out[7] = '-';
	put2(out + 8, d);
	out[10] = 'T';
	put2(out + 11, (int)(secs / 3600));
	out[13] = ':';
	put2(out + 14, (int)(secs / 60 % 60));
	out[16] = ':';
	put2(out + 17, (int)(secs % 60));
	out[19] = 'Z';
	out[20] = '\0';
}

day_t ts_day(int64_t epoch)
{
	int64_t d = floor_div(epoch, SECS_PER_DAY);
	if (d > INT32_MAX)
		return INT32_MAX;
	if (d < INT32_MIN)
		return INT32_MIN;
	return (day_t)d;
}

int date_age(day_t birth, day_t today)
{
	int by, bm, bd, ty, tm, td;
	date_to_ymd(birth, &by, &bm, &bd);
	date_to_ymd(today, &ty, &tm, &td);
	int age = ty - by;
	if (tm < bm || (tm == bm && td < bd))
		age--;
	return age < 0 ? 0 : age;
}
