/* household.h — the codes of a household archive and the category rule
 * (DESIGN.md §2.1).  Pure: no I/O. */
#ifndef BANGFU_RULES_HOUSEHOLD_H
#define BANGFU_RULES_HOUSEHOLD_H

#include <stdint.h>

enum cause {
	CAUSE_ILLNESS_SELF, CAUSE_ILLNESS_FAMILY, CAUSE_DISABILITY_SELF, CAUSE_DISABILITY_FAMILY,
	CAUSE_EDUCATION, CAUSE_UNEMPLOYMENT, CAUSE_LOW_INCOME, CAUSE_SINGLE_PARENT,
	CAUSE_ACCIDENT, CAUSE_DISASTER, CAUSE_WORK_INJURY, CAUSE_OTHER,
	CAUSE__MAX
};

enum relation {
	REL_SPOUSE, REL_CHILD, REL_PARENT, REL_SIBLING, REL_GRANDPARENT, REL_GRANDCHILD, REL_OTHER,
	REL__MAX
};

enum school_stage {
	SCHOOL_NONE, SCHOOL_PRESCHOOL, SCHOOL_PRIMARY, SCHOOL_JUNIOR, SCHOOL_SENIOR,
	SCHOOL_VOCATIONAL, SCHOOL_UNIVERSITY,
	SCHOOL__MAX
};

enum category { CAT_NONE, CAT_DIBAO, CAT_MARGINAL, CAT_ACCIDENT, CAT__MAX };

/* code ↔ enum; *_parse returns -1 for an unknown code.  *_label is the
 * zh-CN name, also the name used in import files; *_from_label parses it. */
int cause_parse(const char *code);
const char *cause_name(enum cause c);
const char *cause_label(enum cause c);
int cause_from_label(const char *label);
int relation_parse(const char *code);
const char *relation_name(enum relation r);
const char *relation_label(enum relation r);
int relation_from_label(const char *label);
int school_parse(const char *code);
const char *school_name(enum school_stage s);
const char *school_label(enum school_stage s);
int school_from_label(const char *label);
int category_parse(const char *code);
const char *category_name(enum category c);
const char *category_label(enum category c);

#define CAUSE_BIT(c) (1u << (c))

/* RULE category.marginal_factor: default 150 % of the standard. */
#define CATEGORY_MARGINAL_PCT 150

/* RULE category.suggest: dibao if per_capita <= standard; marginal if
 * <= standard × factor_pct / 100; accident if the causes include accident,
 * disaster, work_injury, illness_self or illness_family; else none.
 * standard_fen <= 0 means no standard is known: only the causes count. */
enum category category_suggest(int64_t per_capita_fen, int64_t standard_fen, int factor_pct,
			       unsigned causes);

/* RULE income.per_capita: (sum of incomes) / n, half up; n >= 1. */
int64_t per_capita_fen(const int64_t *incomes, int n);

#endif
