#include "rules/jobs.h"

#include <stdio.h>
#include <string.h>

int jobs_age(day_t birth, day_t today)
{
	return date_age(birth, today);
}

int jobs_is_4050(day_t birth, int male, day_t today)
{
	return jobs_age(birth, today) >= (male ? 50 : 40);
}

int jobs_share_split(int64_t amount, int64_t bp, int64_t *union_fen, int64_t *partner_fen)
{
	if (amount < 0 || bp < 0 || bp > 10000 || amount > INT64_MAX / 10001)
		return -1;
	int64_t u = (amount * bp + 5000) / 10000;
	*union_fen = u;
	*partner_fen = amount - u;
	return 0;
}

int jobs_month_range(const char *month, char first[11], char last[11])
{
	if (!month || strlen(month) != 7 || month[4] != '-')
		return -1;
	char buf[11];
	snprintf(buf, sizeof buf, "%s-01", month);
	day_t d;
	if (date_parse(buf, &d) != 0)
		return -1;
	date_format(d, first);
	date_format(date_add_months(d, 1) - 1, last);
	return 0;
}
