/*
 * money — amounts are integer fen (1 yuan = 100 fen); no floating point.
 */
#ifndef BANGFU_RULES_MONEY_H
#define BANGFU_RULES_MONEY_H

#include <stdint.h>

/* Largest amount money_parse_yuan accepts: 1e13 fen (100 billion yuan). */
#define MONEY_MAX_FEN INT64_C(10000000000000)

/* Parses a yuan amount: digits, optionally '.' and 1 or 2 more digits
 * ("123", "123.4", "123.45", "0.5"), optionally surrounded by spaces or tabs.
 * No sign, no thousands separators, no exponent, no bare "." or ".5".
 * At most MONEY_MAX_FEN.  Returns 0 and sets *fen, or -1 (*fen untouched). */
int  money_parse_yuan(const char *s, int64_t *fen);

/* Writes fen as yuan with exactly two decimals: 123450 -> "1234.50",
 * -5 -> "-0.05".  Every int64_t fits in out[32]. */
void money_format_fen(int64_t fen, char out[32]);

/* RULE income.per_capita: num/den rounded half up (ties away from zero).
 * Meant for num >= 0, den > 0; a negative num rounds half away from zero,
 * den <= 0 returns 0. */
int64_t money_div_half_up(int64_t num, int64_t den);

#endif
