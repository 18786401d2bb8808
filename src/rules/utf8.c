/* utf8 — see utf8.h. */
#include "rules/utf8.h"

#include <stdint.h>
#include <string.h>

/* Length of the well-formed sequence at s[0..n), 0 when there is none. */
static size_t seq_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	size_t len;
	uint32_t cp, min;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, cp = c & 0x1F, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, cp = c & 0x0F, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, cp = c & 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

int utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	for (size_t i = 0; i < n;) {
		size_t k = seq_len(s + i, n - i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

/* 1 when s[0..n) (n <= 3) could begin a well-formed sequence longer than n:
 * a lead byte and continuation bytes, cut short. */
static int cut_short(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
	if (len <= n)
		return 0;
	for (size_t k = 1; k < n; k++)
		if ((s[k] & 0xC0) != 0x80)
			return 0;
	return 1;
}

size_t utf8_repair(char *str)
{
	unsigned char *s = (unsigned char *)str;
	size_t n = strlen(str), changed = 0;
	for (size_t i = 0; i < n;) {
		size_t k = seq_len(s + i, n - i);
		if (k) {
			i += k;
			continue;
		}
		if (n - i <= 3 && cut_short(s + i, n - i)) {
			changed += n - i;
			s[i] = '\0';
			break;
		}
		s[i++] = '?';
		changed++;
	}
	return changed;
}
