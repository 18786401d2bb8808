/* password — see password.h. */
#include "rules/password.h"

#include <stddef.h>
#include <stdint.h>

static const char MSG_WEAK[] = "密码至少10个字符，且须同时包含字母和数字";
static const char MSG_LONG[] = "密码不能超过128个字节";
static const char MSG_UTF8[] = "密码含有无效字符";

/* Length in bytes of the valid UTF-8 sequence at s, or 0 if s does not start
 * one (overlong forms, surrogates and code points above U+10FFFF refused). */
static size_t utf8_seq(const unsigned char *s)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t n;
	uint32_t cp, min;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2; cp = c & 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3; cp = c & 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4; cp = c & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0; /* also stops at the terminating NUL */
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

static int set_why(const char **why, const char *msg)
{
	if (why != NULL)
		*why = msg;
	return -1;
}

int password_check(const char *pw, const char **why)
{
	/* RULE password.strength */
	if (pw == NULL)
		return set_why(why, MSG_WEAK);
	const unsigned char *p = (const unsigned char *)pw;
	size_t bytes = 0, chars = 0;
	int letter = 0, digit = 0;
	while (p[bytes] != '\0') {
		if (bytes >= PASSWORD_MAX_BYTES)
			return set_why(why, MSG_LONG);
		size_t n = utf8_seq(p + bytes);
		if (n == 0)
			return set_why(why, MSG_UTF8);
		unsigned char c = p[bytes];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			letter = 1;
		else if (c >= '0' && c <= '9')
			digit = 1;
		bytes += n;
		chars++;
	}
	if (bytes > PASSWORD_MAX_BYTES)
		return set_why(why, MSG_LONG);
	if (chars < PASSWORD_MIN_CHARS || !letter || !digit)
		return set_why(why, MSG_WEAK);
	if (why != NULL)
		*why = NULL;
	return 0;
}
