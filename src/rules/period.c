/* period.c — report periods: "2026Q3" → its days (RULE report.period). */
#include "rules/period.h"

#include <stdio.h>
#include <string.h>

static void fill(int year, int quarter, struct period *out)
{
	struct period p;
	memset(&p, 0, sizeof p);
	p.year = year;
	p.quarter = quarter;
	int m0 = (quarter - 1) * 3 + 1;
	date_from_ymd(year, m0, 1, &p.from);
	date_from_ymd(year, 1, 1, &p.year_start);
	/* the day before the first of the next quarter */
	p.to = date_add_months(p.from, 3) - 1;
	unsigned y = (unsigned)year % 10000u;
	p.name[0] = (char)('0' + y / 1000);
	p.name[1] = (char)('0' + y / 100 % 10);
	p.name[2] = (char)('0' + y / 10 % 10);
	p.name[3] = (char)('0' + y % 10);
	p.name[4] = 'Q';
	p.name[5] = (char)('0' + quarter);
	p.name[6] = 0;
	date_format(p.from, p.from_s);
	date_format(p.to, p.to_s);
	date_format(p.year_start, p.year_start_s);
	snprintf(p.from_ts, sizeof p.from_ts, "%sT00:00:00Z", p.from_s);
	snprintf(p.to_ts, sizeof p.to_ts, "%sT23:59:59Z", p.to_s);
	snprintf(p.year_start_ts, sizeof p.year_start_ts, "%sT00:00:00Z", p.year_start_s);
	*out = p;
}

int period_parse(const char *s, struct period *out)
{
	if (!s || strlen(s) != 6)
		return -1;
	for (int i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	if (s[4] != 'Q' || s[5] < '1' || s[5] > '4')
		return -1;
	int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	if (year < 2000 || year > 2100)
		return -1;
	fill(year, s[5] - '0', out);
	return 0;
}

void period_in_zone(struct period *p, int64_t (*day_start)(day_t d))
{
	ts_format(day_start(p->from), p->from_ts);
	ts_format(day_start(p->to + 1) - 1, p->to_ts);
	ts_format(day_start(p->year_start), p->year_start_ts);
}

void period_of_day(day_t d, struct period *out)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	fill(y, (m - 1) / 3 + 1, out);
}

void period_last_12_months(day_t d, char months[12][8], char first[12][11], char last[12][11])
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	day_t cur;
	date_from_ymd(y, m, 1, &cur);
	for (int i = 0; i < 12; i++) {
		day_t f = date_add_months(cur, i - 11);
		day_t l = date_add_months(f, 1) - 1;
		date_format(f, first[i]);
		date_format(l, last[i]);
		memcpy(months[i], first[i], 7);
		months[i][7] = 0;
	}
}
