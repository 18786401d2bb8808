#include "rules/eligibility.h"

#include <stdio.h>
#include <string.h>

#include "rules/household.h"

static int code_bits(json_t *arr, int (*parse)(const char *), unsigned *bits)
{
	size_t i;
	json_t *v;
	*bits = 0;
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return -1;
	json_array_foreach(arr, i, v) {
		int c = parse(json_string_value(v));
		if (c < 0)
			return -1;
		*bits |= 1u << c;
	}
	return 0;
}

static int int_field(json_t *o, const char *k, int64_t min, int64_t max, int64_t *out)
{
	json_t *v = json_object_get(o, k);
	*out = 0;
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return -1;
	*out = json_integer_value(v);
	return 0;
}

int elig_parse(json_t *j, struct elig_rules *r, const char **why)
{
	static const char *const known[] = {
		"requires_active", "max_income_pct", "or_causes", "causes_any", "beneficiary",
		"school_stages", "cap_household_year", "cap_member_school_year",
		"disability_extra_fen", NULL};
	memset(r, 0, sizeof *r);
	if (!json_is_object(j))
		return *why = "规则应为 JSON 对象", -1;
	const char *k;
	json_t *v;
	json_object_foreach(j, k, v) {
		int ok = 0;
		for (int i = 0; known[i]; i++)
			ok |= !strcmp(k, known[i]);
		if (!ok)
			return *why = "规则中有未知的条目", -1;
	}
	json_t *ra = json_object_get(j, "requires_active");
	if (ra && !json_is_boolean(ra))
		return *why = "requires_active 应为布尔值", -1;
	r->requires_active = json_is_true(ra);
	int64_t n;
	if (int_field(j, "max_income_pct", 1, 1000, &n))
		return *why = "max_income_pct 应为1至1000的整数", -1;
	r->max_income_pct = (int)n;
	if (code_bits(json_object_get(j, "or_causes"), cause_parse, &r->or_causes) ||
	    code_bits(json_object_get(j, "causes_any"), cause_parse, &r->causes_any))
		return *why = "规则中的致困原因代码无效", -1;
	json_t *b = json_object_get(j, "beneficiary");
	if (b && !(json_is_string(b) && !strcmp(json_string_value(b), "student")))
		return *why = "beneficiary 只能为 student", -1;
	r->student = b != NULL;
	if (code_bits(json_object_get(j, "school_stages"), school_parse, &r->school_stages))
		return *why = "规则中的就学阶段代码无效", -1;
	if (r->student && !r->school_stages)
		return *why = "资助学生时须列出 school_stages", -1;
	if (int_field(j, "cap_household_year", 1, 100, &n))
		return *why = "cap_household_year 应为1至100的整数", -1;
	r->cap_household_year = (int)n;
	if (int_field(j, "cap_member_school_year", 1, 100, &n))
		return *why = "cap_member_school_year 应为1至100的整数", -1;
	r->cap_member_school_year = (int)n;
	if (int_field(j, "disability_extra_fen", 1, 100000000, &r->disability_extra_fen))
		return *why = "disability_extra_fen 应为正整数（分）", -1;
	return 0;
}

int elig_check(const struct elig_rules *r, const struct elig_facts *f, const char **reasons,
	       int max)
{
	int n = 0;
#define FAIL(msg) do { if (n < max) reasons[n] = (msg); n++; } while (0)
	if (r->requires_active && !f->active)
		FAIL("档案不是在档状态：本项目只受理在档困难职工家庭");
	if (r->max_income_pct && !(f->causes & r->or_causes)) {
		if (f->standard_fen <= 0)
			FAIL("所属单位未设定最低生活保障标准，无法核定收入条件");
		else if (f->per_capita_fen * 100 > f->standard_fen * r->max_income_pct)
			FAIL("家庭人均月收入高于本项目的收入标准");
	}
	if (r->causes_any && !(f->causes & r->causes_any))
		FAIL("致困原因不符合本项目的救助范围");
	if (r->student) {
		if (!f->has_member)
			FAIL("须指定在读子女为受助人");
		else if (f->member_school_stage < 0 || !(r->school_stages & (1u << f->member_school_stage)))
			FAIL("受助人不在本项目资助的就学阶段");
	}
	if (r->cap_household_year && f->household_year_count >= r->cap_household_year)
		FAIL("本户本年度申请本项目的次数已达上限");
	if (r->cap_member_school_year && f->has_member &&
	    f->member_school_year_count >= r->cap_member_school_year)
		FAIL("该学生本学年已获本项目资助");
#undef FAIL
	return n;
}

int64_t elig_standard_amount(const struct elig_rules *r, int64_t standard_fen, int disability)
{
	return standard_fen + (disability ? r->disability_extra_fen : 0);
}

static const struct {
	const char *name, *label;
} tiers_t[TIER__MAX] = {
	[TIER_STREET] = {"street", "街道（乡镇）"},
	[TIER_DISTRICT] = {"district", "区县"},
	[TIER_CITY] = {"city", "市"},
};
_Static_assert(sizeof tiers_t / sizeof tiers_t[0] == TIER__MAX, "tiers");

int tier_parse(const char *s)
{
	for (int i = 0; s && i < TIER__MAX; i++)
		if (!strcmp(s, tiers_t[i].name))
			return i;
	return -1;
}
const char *tier_name(enum tier_level l) { return (unsigned)l < TIER__MAX ? tiers_t[l].name : "?"; }
const char *tier_label(enum tier_level l) { return (unsigned)l < TIER__MAX ? tiers_t[l].label : "?"; }

int tiers_parse(json_t *arr, struct tiers *t, const char **why)
{
	size_t i;
	json_t *v;
	memset(t, 0, sizeof *t);
	if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > TIER__MAX)
		return *why = "审批层级应为1至3项的数组", -1;
	json_array_foreach(arr, i, v) {
		int l = tier_parse(json_string_value(json_object_get(v, "level")));
		json_t *m = json_object_get(v, "max_fen");
		int last = i + 1 == json_array_size(arr);
		if (l < 0)
			return *why = "审批层级应为 street、district 或 city", -1;
		if (i && l <= (int)t->level[i - 1])
			return *why = "审批层级须由低到高排列", -1;
		if (last ? !(m == NULL || json_is_null(m)) : !json_is_integer(m))
			return *why = "除最高一级外，每级须给出 max_fen，最高一级不设上限", -1;
		int64_t max = last ? -1 : json_integer_value(m);
		if (!last && (max < 0 || (i && max <= t->max_fen[i - 1])))
			return *why = "各级 max_fen 须为递增的非负整数", -1;
		t->level[i] = l;
		t->max_fen[i] = max;
		t->n = (int)i + 1;
	}
	return 0;
}

enum tier_level tiers_required(const struct tiers *t, int64_t amount)
{
	for (int i = 0; i < t->n; i++)
		if (t->max_fen[i] < 0 || amount <= t->max_fen[i])
			return t->level[i];
	return TIER_CITY;
}

void school_year_of(day_t d, char out[10])
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	int start = m >= 9 ? y : y - 1;
	snprintf(out, 10, "%04u-%04u", (unsigned)start % 10000u, (unsigned)(start + 1) % 10000u);
}
