/* jobs.h — pure rules of employment services and partner cards.  No I/O. */
#ifndef BANGFU_RULES_JOBS_H
#define BANGFU_RULES_JOBS_H

#include <stdint.h>

#include "rules/dates.h"

/* Whole years of age on `today` of someone born on `birth` (0 before the
 * first birthday; a Feb 29 birthday counts on Mar 1 in common years). */
int jobs_age(day_t birth, day_t today);

/* RULE jobs.4050: the "4050" group (4050人员) of re-employment policy —
 * women aged 40 or more and men aged 50 or more.  1 or 0. */
int jobs_is_4050(day_t birth, int male, day_t today);

/* RULE cards.share: the union's share of a purchase of amount_fen at
 * share_bp basis points (0..10000), rounded half up on the union's share;
 * the partner's share is the rest, so the two always add up to the amount.
 * Returns 0, or -1 (outputs untouched) when amount < 0, share_bp outside
 * 0..10000 or the product would overflow. */
int jobs_share_split(int64_t amount_fen, int64_t share_bp, int64_t *union_fen, int64_t *partner_fen);

/* RULE cards.month: "YYYY-MM" (exactly 7 characters, month 01..12, year
 * 1900..2999) → the first and last day as "YYYY-MM-DD".  0 or -1. */
int jobs_month_range(const char *month, char first[11], char last[11]);

#endif
