#include "rules/household.h"

#include <string.h>

#include "rules/money.h"

struct code { const char *name, *label; };

static const struct code causes[CAUSE__MAX] = {
	[CAUSE_ILLNESS_SELF] = {"illness_self", "本人患病"},
	[CAUSE_ILLNESS_FAMILY] = {"illness_family", "家属患病"},
	[CAUSE_DISABILITY_SELF] = {"disability_self", "本人残疾"},
	[CAUSE_DISABILITY_FAMILY] = {"disability_family", "家属残疾"},
	[CAUSE_EDUCATION] = {"education", "子女就学"},
	[CAUSE_UNEMPLOYMENT] = {"unemployment", "失业"},
	[CAUSE_LOW_INCOME] = {"low_income", "收入低"},
	[CAUSE_SINGLE_PARENT] = {"single_parent", "单亲"},
	[CAUSE_ACCIDENT] = {"accident", "意外事故"},
	[CAUSE_DISASTER] = {"disaster", "自然灾害"},
	[CAUSE_WORK_INJURY] = {"work_injury", "工伤"},
	[CAUSE_OTHER] = {"other", "其他"},
};
_Static_assert(sizeof causes / sizeof causes[0] == CAUSE__MAX, "causes");

static const struct code relations[REL__MAX] = {
	[REL_SPOUSE] = {"spouse", "配偶"},         [REL_CHILD] = {"child", "子女"},
	[REL_PARENT] = {"parent", "父母"},         [REL_SIBLING] = {"sibling", "兄弟姐妹"},
	[REL_GRANDPARENT] = {"grandparent", "祖父母"}, [REL_GRANDCHILD] = {"grandchild", "孙子女"},
	[REL_OTHER] = {"other", "其他"},
};
_Static_assert(sizeof relations / sizeof relations[0] == REL__MAX, "relations");

static const struct code schools[SCHOOL__MAX] = {
	[SCHOOL_NONE] = {"none", "无"},          [SCHOOL_PRESCHOOL] = {"preschool", "学前"},
	[SCHOOL_PRIMARY] = {"primary", "小学"},   [SCHOOL_JUNIOR] = {"junior", "初中"},
	[SCHOOL_SENIOR] = {"senior", "高中"},     [SCHOOL_VOCATIONAL] = {"vocational", "中职"},
	[SCHOOL_UNIVERSITY] = {"university", "大学"},
};
_Static_assert(sizeof schools / sizeof schools[0] == SCHOOL__MAX, "schools");

static const struct code categories[CAT__MAX] = {
	[CAT_NONE] = {"none", "一般困难"},
	[CAT_DIBAO] = {"dibao", "低保户"},
	[CAT_MARGINAL] = {"marginal", "低保边缘户"},
	[CAT_ACCIDENT] = {"accident", "意外致困户"},
};
_Static_assert(sizeof categories / sizeof categories[0] == CAT__MAX, "categories");

static int find(const struct code *t, int n, const char *s, int by_label)
{
	for (int i = 0; s && i < n; i++)
		if (!strcmp(s, by_label ? t[i].label : t[i].name))
			return i;
	return -1;
}

#define CODES(prefix, table, max, type)                                                     \
	int prefix##_parse(const char *s) { return find(table, max, s, 0); }                \
	int prefix##_from_label(const char *s) { return find(table, max, s, 1); }           \
	const char *prefix##_name(type v) { return (unsigned)v < max ? table[v].name : "?"; } \
	const char *prefix##_label(type v) { return (unsigned)v < max ? table[v].label : "?"; }

CODES(cause, causes, CAUSE__MAX, enum cause)
CODES(relation, relations, REL__MAX, enum relation)
CODES(school, schools, SCHOOL__MAX, enum school_stage)
int category_parse(const char *s) { return find(categories, CAT__MAX, s, 0); }
const char *category_name(enum category c) { return (unsigned)c < CAT__MAX ? categories[c].name : "?"; }
const char *category_label(enum category c) { return (unsigned)c < CAT__MAX ? categories[c].label : "?"; }

enum category category_suggest(int64_t pc, int64_t standard, int factor_pct, unsigned causes_mask)
{
	if (standard > 0) {
		if (pc <= standard)
			return CAT_DIBAO;
		/* pc <= standard × pct / 100, in integers: pc × 100 <= standard × pct */
		if (pc * 100 <= standard * (int64_t)factor_pct)
			return CAT_MARGINAL;
	}
	const unsigned sudden = CAUSE_BIT(CAUSE_ACCIDENT) | CAUSE_BIT(CAUSE_DISASTER) |
				CAUSE_BIT(CAUSE_WORK_INJURY) | CAUSE_BIT(CAUSE_ILLNESS_SELF) |
				CAUSE_BIT(CAUSE_ILLNESS_FAMILY);
	return (causes_mask & sudden) ? CAT_ACCIDENT : CAT_NONE;
}

int64_t per_capita_fen(const int64_t *incomes, int n)
{
	int64_t sum = 0;
	for (int i = 0; i < n; i++)
		sum += incomes[i];
	return n > 0 ? money_div_half_up(sum, n) : 0;
}
