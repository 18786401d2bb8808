/* money — see money.h. */
#include "rules/money.h"

#include <stddef.h>

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int money_parse_yuan(const char *s, int64_t *fen)
{
	if (s == NULL)
		return -1;
	while (is_blank(*s))
		s++;
	int64_t yuan = 0;
	int ndig = 0;
	for (; *s >= '0' && *s <= '9'; s++, ndig++) {
		yuan = yuan * 10 + (*s - '0');
		if (yuan > MONEY_MAX_FEN / 100)
			return -1;
	}
	if (ndig == 0)
		return -1;
	int64_t frac = 0;
	if (*s == '.') {
		s++;
		int nfrac = 0;
		for (; *s >= '0' && *s <= '9'; s++, nfrac++) {
			if (nfrac == 2)
				return -1;
			frac = frac * 10 + (*s - '0');
		}
		if (nfrac == 0)
			return -1;
		if (nfrac == 1)
			frac *= 10;
	}
	while (is_blank(*s))
		s++;
	if (*s != '\0')
		return -1;
	int64_t v = yuan * 100 + frac;
	if (v > MONEY_MAX_FEN)
		return -1;
	*fen = v;
	return 0;
}

void money_format_fen(int64_t fen, char out[32])
{
	/* Work in unsigned so INT64_MIN has a magnitude. */
	uint64_t mag = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	char tmp[32];
	size_t n = 0;
	tmp[n++] = (char)('0' + mag % 10);
	mag /= 10;
	tmp[n++] = (char)('0' + mag % 10);
	mag /= 10;
	tmp[n++] = '.';
	do {
		tmp[n++] = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag != 0);
	if (fen < 0)
		tmp[n++] = '-';
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

int64_t money_div_half_up(int64_t num, int64_t den)
{
	/* RULE income.per_capita */
	if (den <= 0)
		return 0;
	uint64_t mag = num < 0 ? (uint64_t)0 - (uint64_t)num : (uint64_t)num;
	uint64_t q = mag / (uint64_t)den;
	uint64_t r = mag % (uint64_t)den;
	/* r >= den - r  <=>  2r >= den, without overflowing 2r. */
	if (r >= (uint64_t)den - r)
		q++;
	if (num < 0)
		return q > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)q;
	return (int64_t)q;
}
