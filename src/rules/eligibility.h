/* eligibility.h — declarative programme rules (DESIGN.md §2.4), judged in
 * pure C.  A programme's `rules` JSON parses into struct elig_rules; the
 * service gathers struct elig_facts; elig_check lists every failed rule.
 *
 * rules JSON keys (all optional):
 *   requires_active      bool   the household's archive must be active
 *   max_income_pct       int    per-capita income <= pct % of the standard
 *   or_causes            [code] ...unless the causes include one of these
 *   causes_any           [code] at least one of these causes
 *   beneficiary          "student": a member at one of school_stages
 *   school_stages        [stage]
 *   cap_household_year   int    applications per household and calendar year
 *   cap_member_school_year int  per student and school year (Sept–Aug)
 *   disability_extra_fen int    added to the standard with a disability certificate
 */
#ifndef BANGFU_ELIGIBILITY_H
#define BANGFU_ELIGIBILITY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "rules/dates.h"

struct elig_rules {
	int requires_active;
	int max_income_pct;       /* 0: no income rule */
	unsigned or_causes;       /* cause bits that waive the income rule */
	unsigned causes_any;      /* 0: no cause rule */
	int student;              /* beneficiary must be a student member */
	unsigned school_stages;   /* school stage bits */
	int cap_household_year;   /* 0: no cap */
	int cap_member_school_year;
	int64_t disability_extra_fen;
};

struct elig_facts {
	int active;
	int64_t per_capita_fen;
	int64_t standard_fen;     /* 0: unknown */
	unsigned causes;
	int has_member;
	int member_school_stage;  /* -1 when no member */
	int household_year_count; /* this year's applications, not rejected/withdrawn */
	int member_school_year_count;
	int disability;
};

/* Parses and checks a programme's rules.  0 ok; -1 with *why (zh-CN). */
int elig_parse(json_t *rules, struct elig_rules *out, const char **why);

/* RULE aid.eligibility: fills reasons[] (static zh-CN strings) with every
 * failed rule, at most max; returns their number (0 = eligible). */
int elig_check(const struct elig_rules *r, const struct elig_facts *f, const char **reasons,
	       int max);

/* RULE aid.standard_amount: the standard amount with the disability extra. */
int64_t elig_standard_amount(const struct elig_rules *r, int64_t standard_fen, int disability);

enum tier_level { TIER_STREET, TIER_DISTRICT, TIER_CITY, TIER__MAX };

struct tiers {
	int n;
	enum tier_level level[TIER__MAX];
	int64_t max_fen[TIER__MAX]; /* -1: no upper bound */
};

/* Parses [{"level","max_fen"|null}] ascending by level and amount, the last
 * one unbounded.  0 ok; -1 with *why. */
int tiers_parse(json_t *arr, struct tiers *out, const char **why);
/* RULE aid.tiers: the lowest level whose bound covers the amount. */
enum tier_level tiers_required(const struct tiers *t, int64_t amount_fen);
const char *tier_name(enum tier_level l);
const char *tier_label(enum tier_level l);
int tier_parse(const char *s);

/* "2026-2027" for a date from 2026-09-01 to 2027-08-31. */
void school_year_of(day_t d, char out[10]);

#endif
