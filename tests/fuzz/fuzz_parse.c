/* fuzz_parse.c — libFuzzer harness for the small parsers every request and
 * import leans on: ID numbers (idcard_check), yuan amounts
 * (money_parse_yuan), dates (date_parse) and timestamps (ts_parse).  Any
 * bytes: no crash, no read past the string; what parses must survive a
 * round trip (format, parse again, same value) and stay in its range.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules/dates.h"
#include "rules/idcard.h"
#include "rules/money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	int64_t fen;
	if (money_parse_yuan(s, &fen) == 0) {
		char buf[32];
		int64_t again;
		if (fen < 0 || fen > MONEY_MAX_FEN)
			__builtin_trap();
		money_format_fen(fen, buf);
		if (money_parse_yuan(buf, &again) != 0 || again != fen)
			__builtin_trap();
	}

	day_t d, d2;
	if (date_parse(s, &d) == 0) {
		char buf[11];
		date_format(d, buf);
		if (date_parse(buf, &d2) != 0 || d2 != d)
			__builtin_trap();
	}

	int64_t t, t2;
	if (ts_parse(s, &t) == 0) {
		char buf[21];
		ts_format(t, buf);
		if (ts_parse(buf, &t2) != 0 || t2 != t)
			__builtin_trap();
	}

	day_t today;
	date_parse("2026-03-02", &today);
	struct idcard_info info;
	if (idcard_check(s, today, &info) == 0) {
		if (strlen(s) != 18 || idcard_check_char(s) != toupper((unsigned char)s[17]))
			__builtin_trap(); /* a valid number is 18 characters with its check character */
	}
	free(s);
	return 0;
}
