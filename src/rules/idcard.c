/* idcard — see idcard.h. */
#include "rules/idcard.h"

#include <assert.h>
#include <stddef.h>
#include <string.h>

#define ID_LEN 18

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

char idcard_check_char(const char *first17)
{
	/* ISO 7064 MOD 11-2: weight of position i (0-based) is 2^(17-i) mod 11. */
	static const int weight[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	static const char map[11] = { '1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2' };
	if (first17 == NULL)
		return '\0';
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		if (!is_digit(first17[i]))
			return '\0';
		sum += (first17[i] - '0') * weight[i];
	}
	return map[sum % 11];
}

static int province_ok(int p)
{
	return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
	       (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) ||
	       p == 71 || p == 81 || p == 82 || p == 83 || p == 91;
}

/* s: 6 digits. */
static int region_ok(const char *s)
{
	int p = (s[0] - '0') * 10 + (s[1] - '0');
	if (!province_ok(p))
		return 0;
	/* Taiwan, Hong Kong, Macao and foreigners' codes are province-level only. */
	if (p == 71 || p >= 81)
		return 1;
	return memcmp(s + 2, "0000", 4) != 0;
}

static int num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int idcard_check(const char *s, day_t today, struct idcard_info *info)
{
	/* RULE idcard.check */
	if (info != NULL)
		memset(info, 0, sizeof *info);
	if (s == NULL || strnlen(s, ID_LEN + 1) != ID_LEN)
		return ID_LENGTH;
	for (int i = 0; i < 17; i++)
		if (!is_digit(s[i]))
			return ID_CHARS;
	char last = s[17] == 'x' ? 'X' : s[17];
	if (!is_digit(last) && last != 'X')
		return ID_CHARS;
	if (!region_ok(s))
		return ID_REGION;
	day_t birth;
	int y = num(s + 6, 4);
	if (y < 1900 || date_from_ymd(y, num(s + 10, 2), num(s + 12, 2), &birth) != 0)
		return ID_DATE;
	if (birth > today)
		return ID_FUTURE;
	if (idcard_check_char(s) != last)
		return ID_CHECK;
	if (info != NULL) {
		memcpy(info->norm, s, 17);
		info->norm[17] = last;
		info->norm[18] = '\0';
		memcpy(info->region, s, 6);
		info->region[6] = '\0';
		info->birth = birth;
		info->male = (s[16] - '0') % 2;
	}
	return ID_OK;
}

const char *idcard_strerror(enum idcard_err e)
{
	static const char *const msg[] = {
		[ID_OK]     = "身份证号有效",
		[ID_LENGTH] = "身份证号应为18位",
		[ID_CHARS]  = "身份证号前17位须为数字，末位为数字或X",
		[ID_REGION] = "身份证号地区码无效",
		[ID_DATE]   = "身份证号出生日期无效",
		[ID_FUTURE] = "身份证号出生日期晚于今天",
		[ID_CHECK]  = "身份证号校验位错误",
	};
	static_assert(sizeof msg / sizeof msg[0] == ID_CHECK + 1, "one message per idcard_err");
	if ((unsigned)e >= sizeof msg / sizeof msg[0])
		return "身份证号无效";
	return msg[e];
}
