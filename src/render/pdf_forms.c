/* pdf_forms.c — 档案卡, 申请审批表 and 公示名单 (pdf_forms.h). */
#include "render/pdf_forms.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "render/pdf_doc.h"
#include "rules/app_flow.h"
#include "rules/hh_flow.h"
#include "rules/household.h"
#include "rules/mask.h"
#include "rules/money.h"

#define LIST_MAX 500 /* rows of one table at most */

static const char *s_(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* The date part of a timestamp or date field. */
static const char *day_(struct arena *a, json_t *o, const char *key)
{
	return arena_strndup(a, s_(o, key), 10);
}

static const char *yuan_(struct arena *a, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		return "";
	char b[32];
	money_format_fen(json_integer_value(v), b);
	return arena_strdup(a, b);
}

static const char *int_(struct arena *a, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? arena_printf(a, "%lld", (long long)json_integer_value(v)) : "";
}

/* A code's zh-CN label through parse/label functions; the code itself
 * when unknown, "" when absent. */
static const char *label_(const char *code, int (*parse)(const char *), const char *(*label)(int))
{
	int v = code && *code ? parse(code) : -1;
	return v >= 0 ? label(v) : code ? code : "";
}

static const char *status_l(int v) { return hh_status_label(v); }
static const char *category_l(int v) { return category_label(v); }
static const char *relation_l(int v) { return relation_label(v); }
static const char *school_l(int v) { return school_label(v); }
static const char *app_status_l(int v) { return app_status_label(v); }
static const char *cause_l(int v) { return cause_label(v); }

/* The strings of an array joined by 、 (codes through parse/label when
 * parse is set). */
static const char *join_(struct arena *a, json_t *arr, int (*parse)(const char *), const char *(*label)(int))
{
	const char *out = "";
	size_t i;
	json_t *c;
	json_array_foreach(arr, i, c) {
		const char *l = json_string_value(c);
		if (parse)
			l = label_(l, parse, label);
		out = arena_printf(a, "%s%s%s", out, *out ? "、" : "", l ? l : "");
	}
	return out;
}

static const char *causes_(struct arena *a, json_t *arr)
{
	return join_(a, arr, cause_parse, cause_l);
}

static const char *category_of(json_t *h)
{
	const char *c = s_(h, "category");
	return label_(*c ? c : s_(h, "suggested_category"), category_parse, category_l);
}

static const char *hh_action_label(const char *action)
{
	const struct hh_step *st = hh_step_find(action, NULL);
	if (st)
		return st->label;
	static const char *const other[][2] = {{"create", "建档"}, {"objection", "公示异议"},
					       {"resolve", "异议处理"}, {"update", "修改档案"}};
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
		if (!strcmp(other[i][0], action))
			return other[i][1];
	return action;
}

/* A table of up to LIST_MAX items: each item gives ncols cells through fn. */
typedef void (*row_fn)(struct arena *a, json_t *it, const char **cells);

static void list_table(struct pdf_doc *d, struct arena *a, const struct pdf_col *cols, int ncols,
		       json_t *items, row_fn fn, const char *none)
{
	int n = (int)json_array_size(items);
	if (n > LIST_MAX)
		n = LIST_MAX;
	if (n == 0) {
		pdf_para(d, none);
		return;
	}
	const char **cells = arena_alloc(a, sizeof *cells * (size_t)(n * ncols));
	for (int i = 0; i < n; i++)
		fn(a, json_array_get(items, (size_t)i), cells + i * ncols);
	pdf_table(d, cols, ncols, cells, n);
}

static int finish(struct pdf_doc *d, struct arena *a, char **buf, size_t *len, struct err *e)
{
	int rc = pdf_doc_finish(d, buf, len, e);
	arena_free(a);
	return rc;
}

/* --- 档案卡 ------------------------------------------------------------------ */

static void member_row(struct arena *a, json_t *m, const char **c)
{
	c[0] = s_(m, "name");
	c[1] = label_(s_(m, "relation"), relation_parse, relation_l);
	c[2] = s_(m, "id_number");
	c[3] = arena_printf(a, "%s%s", s_(m, "health"), json_is_true(json_object_get(m, "disability")) ? "（残疾）" : "");
	c[4] = label_(s_(m, "school_stage"), school_parse, school_l);
	c[5] = yuan_(a, m, "monthly_income_fen");
}

static void hh_event_row(struct arena *a, json_t *ev, const char **c)
{
	char *t = arena_strndup(a, s_(ev, "at"), 16), *T = strchr(t, 'T');
	if (T)
		*T = ' ';
	c[0] = t;
	c[1] = hh_action_label(s_(ev, "action"));
	c[2] = arena_printf(a, "%s → %s", label_(s_(ev, "from"), hh_status_parse, status_l),
			    label_(s_(ev, "to"), hh_status_parse, status_l));
	c[3] = s_(ev, "user_name");
	c[4] = s_(ev, "comment");
}

static void visit_row(struct arena *a, json_t *v, const char **c)
{
	static const char *const kinds[][2] = {{"verification", "入户核查"}, {"condolence", "慰问"},
					       {"pairing", "结对走访"}, {"review", "动态复核"}};
	c[0] = s_(v, "date");
	c[1] = s_(v, "kind");
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(kinds[i][0], c[1]))
			c[1] = kinds[i][1];
	c[2] = s_(v, "visitor");
	c[3] = s_(v, "notes");
	(void)a;
}

static void pairing_row(struct arena *a, json_t *p, const char **c)
{
	c[0] = s_(p, "cadre_name");
	c[1] = s_(p, "cadre_unit");
	c[2] = s_(p, "phone");
	c[3] = s_(p, "plan");
	c[4] = arena_printf(a, "%s 至 %s", s_(p, "start_date"), *s_(p, "end_date") ? s_(p, "end_date") : "今");
}

static void aid_row(struct arena *a, json_t *ap, const char **c)
{
	c[0] = s_(ap, "program_name");
	c[1] = label_(s_(ap, "status"), app_status_parse, app_status_l);
	c[2] = day_(a, ap, "disbursed_at");
	c[3] = yuan_(a, ap, "amount_fen");
}

int pdf_household_card(json_t *card, char **buf, size_t *len, struct err *e)
{
	struct arena *a = arena_new();
	json_t *h = json_object_get(card, "household");
	struct pdf_doc *d = pdf_doc_new(s_(h, "org_name"), "困难职工档案卡");
	pdf_title(d, "困难职工档案卡");
	pdf_subtitle(d, arena_printf(a, "档案编号：%s　　建档单位：%s　　档案状态：%s",
				     *s_(h, "archive_no") ? s_(h, "archive_no") : "（未录入）", s_(h, "org_name"),
				     label_(s_(h, "status"), hh_status_parse, status_l)));
	int masked = json_is_true(json_object_get(h, "masked")); /* RULE privacy.masked */
	const char *gender = !strcmp(s_(h, "gender"), "male") ? "男" : !strcmp(s_(h, "gender"), "female") ? "女" : "";
	const char *kv[] = {
		"户主姓名", s_(h, "name"), "性别", gender,
		"身份证号", s_(h, "id_number"), masked ? "年龄" : "出生日期",
		masked ? int_(a, h, "age") : s_(h, "birth_date"),
		"工作单位", s_(h, "employer"), "联系电话", s_(h, "phone"),
		"困难类别", category_of(h), "家庭人口", int_(a, h, "household_size"),
		"本人月收入（元）", yuan_(a, h, "monthly_income_fen"), "人均月收入（元）", yuan_(a, h, "per_capita_income_fen"),
		"低保标准（元/月）", yuan_(a, h, "standard_fen"), "建档日期", s_(h, "entered_on"),
		"下次复核", s_(h, "next_review_date"), "低保证号", s_(h, "dibao_cert_no"),
	};
	pdf_heading(d, "一、基本情况");
	pdf_fields(d, kv, (int)(sizeof kv / sizeof kv[0]) / 2, 2);
	const char *kv1[] = {"家庭住址", s_(h, "address"), "致困原因", causes_(a, json_object_get(h, "causes")),
			     "住房情况", s_(h, "housing"), "备注", s_(h, "notes")};
	pdf_fields(d, kv1, 4, 1);

	pdf_heading(d, "二、家庭成员");
	static const struct pdf_col mcols[] = {{"姓名", 0.14, 0}, {"与户主关系", 0.12, 0}, {"身份证号", 0.27, 0},
					       {"健康状况", 0.19, 0}, {"就学阶段", 0.12, 0}, {"月收入（元）", 0.16, 1}};
	list_table(d, a, mcols, 6, json_object_get(h, "members"), member_row, "无其他家庭成员。");

	pdf_heading(d, "三、审批流程");
	static const struct pdf_col ecols[] = {{"时间", 0.2, 0}, {"环节", 0.13, 0}, {"状态", 0.2, 0},
					       {"经办人", 0.14, 0}, {"意见", 0.33, 0}};
	list_table(d, a, ecols, 5, json_object_get(card, "events"), hh_event_row, "无记录。");

	pdf_heading(d, "四、最近走访");
	static const struct pdf_col vcols[] = {{"日期", 0.16, 0}, {"类型", 0.14, 0}, {"走访人", 0.16, 0}, {"走访记录", 0.54, 0}};
	list_table(d, a, vcols, 4, json_object_get(card, "visits"), visit_row, "无走访记录。");

	pdf_heading(d, "五、结对帮扶（一户一法）");
	static const struct pdf_col pcols[] = {{"帮扶干部", 0.13, 0}, {"帮扶单位", 0.18, 0}, {"联系电话", 0.15, 0},
					       {"帮扶计划", 0.34, 0}, {"起止日期", 0.2, 0}};
	list_table(d, a, pcols, 5, json_object_get(card, "pairings"), pairing_row, "未结对。");

	pdf_heading(d, "六、已获帮扶");
	static const struct pdf_col acols[] = {{"帮扶项目", 0.34, 0}, {"状态", 0.18, 0}, {"发放日期", 0.24, 0}, {"金额（元）", 0.24, 1}};
	list_table(d, a, acols, 4, json_object_get(card, "aid"), aid_row, "尚未获得帮扶资金。");

	pdf_heading(d, "签字");
	pdf_sign_boxes(d, (const char *[]){"填表人", "审核人"}, NULL, 2);
	return finish(d, a, buf, len, e);
}

/* --- 申请审批表 ---------------------------------------------------------------- */

/* The last event of the trail with that action, or NULL. */
static json_t *event_of(json_t *events, const char *action)
{
	json_t *found = NULL, *ev;
	size_t i;
	json_array_foreach(events, i, ev)
		if (!strcmp(s_(ev, "action"), action))
			found = ev;
	return found;
}

static const char *step_text(struct arena *a, json_t *ev, const char *who, const char *extra)
{
	if (!ev)
		return NULL;
	const char *verdict = !strcmp(s_(ev, "action"), "reject") ? "不同意" : "同意";
	const char *c = s_(ev, "comment");
	return arena_printf(a, "%s%s%s%s\n%s：%s　日期：%s", verdict, extra, *c ? "。" : "", c, who,
			    s_(ev, "user_name"), day_(a, ev, "at"));
}

/* The programme's eligibility rules (src/rules/eligibility.h) in words, one
 * a line; a key not known here is printed as key: value. */
static const char *rules_text(struct arena *a, json_t *rules)
{
	const char *out = "", *key;
	json_t *v;
	json_object_foreach(rules, key, v) {
		const char *t;
		if (!strcmp(key, "requires_active"))
			t = json_is_true(v) ? "须为在档困难职工" : NULL;
		else if (!strcmp(key, "max_income_pct"))
			t = arena_printf(a, "家庭人均月收入不高于低保标准的 %lld%%", (long long)json_integer_value(v));
		else if (!strcmp(key, "or_causes"))
			t = arena_printf(a, "或致困原因含：%s", causes_(a, v));
		else if (!strcmp(key, "causes_any"))
			t = arena_printf(a, "致困原因须含：%s", causes_(a, v));
		else if (!strcmp(key, "beneficiary"))
			t = !strcmp(json_string_value(v) ? json_string_value(v) : "", "student") ? "受助人须为在读学生" : NULL;
		else if (!strcmp(key, "school_stages"))
			t = arena_printf(a, "就学阶段：%s", join_(a, v, school_parse, school_l));
		else if (!strcmp(key, "cap_household_year"))
			t = arena_printf(a, "每户每年至多 %lld 次", (long long)json_integer_value(v));
		else if (!strcmp(key, "cap_member_school_year"))
			t = arena_printf(a, "每名学生每学年至多 %lld 次", (long long)json_integer_value(v));
		else if (!strcmp(key, "disability_extra_fen"))
			t = arena_printf(a, "持残疾证加发 %s 元", yuan_(a, rules, key));
		else {
			char *j = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
			t = arena_printf(a, "%s: %s", key, j ? j : "");
			free(j);
		}
		if (t)
			out = arena_printf(a, "%s%s%s", out, *out ? "\n" : "", t);
	}
	return out;
}

int pdf_application_form(json_t *form, char **buf, size_t *len, struct err *e)
{
	struct arena *a = arena_new();
	json_t *ap = json_object_get(form, "application"), *h = json_object_get(form, "household");
	json_t *prog = json_object_get(ap, "program"), *events = json_object_get(form, "events");
	struct pdf_doc *d = pdf_doc_new(s_(ap, "org_name"), "困难职工帮扶救助申请审批表");
	pdf_title(d, "困难职工帮扶救助申请审批表");
	pdf_subtitle(d, arena_printf(a, "申请编号：%s　　受理单位：%s　　申请日期：%s", int_(a, ap, "id"),
				     s_(ap, "org_name"), day_(a, ap, "created_at")));
	const char *kv[] = {
		"申请人", s_(h, "name"), "身份证号", s_(h, "id_number"),
		"工作单位", s_(h, "employer"), "联系电话", s_(h, "phone"),
		"档案编号", s_(h, "archive_no"), "困难类别", category_of(h),
		"家庭人口", int_(a, h, "household_size"), "人均月收入（元）", yuan_(a, h, "per_capita_income_fen"),
	};
	pdf_heading(d, "一、申请人及家庭情况");
	pdf_fields(d, kv, 8, 2);
	const char *kv1[] = {"家庭住址", s_(h, "address"), "致困原因", causes_(a, json_object_get(h, "causes"))};
	pdf_fields(d, kv1, 2, 1);

	const char *kv2[] = {
		"帮扶项目", s_(ap, "program_name"), "当前状态", label_(s_(ap, "status"), app_status_parse, app_status_l),
		"申请金额（元）", yuan_(a, ap, "requested_fen"), "核定金额（元）", yuan_(a, ap, "approved_fen"),
		"审批层级", !strcmp(s_(ap, "required_level"), "city") ? "市级" : !strcmp(s_(ap, "required_level"), "district") ? "区级" : "街道级",
		"办理时限", s_(ap, "due_date"),
	};
	pdf_heading(d, "二、申请事项");
	pdf_fields(d, kv2, 6, 2);
	pdf_fields(d, (const char *[]){"申请理由", s_(ap, "reason")}, 1, 1);

	/* the programme as it was when filed (the snapshot judged against) */
	const char *kv3[] = {
		"项目版本", int_(a, ap, "program_version"), "标准金额（元）", yuan_(a, prog, "standard_fen"),
		"资格规则", rules_text(a, json_object_get(prog, "rules")), "最高金额（元）", yuan_(a, prog, "max_fen"),
		"应交材料", join_(a, json_object_get(prog, "documents"), NULL, NULL),
		"已交材料", join_(a, json_object_get(ap, "documents"), NULL, NULL),
		"缺少材料", join_(a, json_object_get(ap, "missing_documents"), NULL, NULL),
		"档案状态", label_(s_(h, "status"), hh_status_parse, status_l),
	};
	pdf_heading(d, "三、资格核对（申请时的项目规则）");
	pdf_fields(d, kv3, 8, 2);

	pdf_heading(d, "四、审批意见");
	/* a rejection fills the box of the step that refused */
	json_t *sub = event_of(events, "submit"), *ver = event_of(events, "verify");
	json_t *appr = event_of(events, "approve"), *rej = event_of(events, "reject");
	json_t *last = json_array_get(events, json_array_size(events) - 1);
	if (rej && !strcmp(s_(rej, "from"), "submitted"))
		ver = rej;
	else if (rej)
		appr = rej;
	const char *approved = *yuan_(a, ap, "approved_fen") ? arena_printf(a, "，核定 %s 元", yuan_(a, ap, "approved_fen")) : "";
	const char *fill[] = {
		arena_printf(a, "申请日期：%s", day_(a, ap, "created_at")),
		sub ? arena_printf(a, "已受理\n经办人：%s　日期：%s", s_(sub, "user_name"), day_(a, sub, "at")) : NULL,
		step_text(a, ver, "审核人", ""),
		step_text(a, appr, "审批人", appr == rej ? "" : approved),
		arena_printf(a, "%s（盖章）", s_(ap, "org_name")),
		last ? arena_printf(a, "%s（%s）", day_(a, last, "at"), label_(s_(last, "to"), app_status_parse, app_status_l)) : NULL,
	};
	pdf_sign_boxes(d, (const char *[]){"申请人签字", "基层工会意见", "审核意见", "审批意见", "盖章", "日期"}, fill, 6);
	return finish(d, a, buf, len, e);
}

/* --- 公示名单 -------------------------------------------------------------------- */

static void notice_row(struct arena *a, json_t *it, const char **c)
{
	char masked[64];
	mask_id_number(s_(it, "id_number"), masked, sizeof masked); /* RULE mask.notice */
	c[0] = s_(it, "name");
	c[1] = arena_strdup(a, masked);
	c[2] = s_(it, "employer");
	c[3] = label_(s_(it, "category"), category_parse, category_l);
	c[4] = causes_(a, json_object_get(it, "causes"));
	c[5] = s_(it, "org_name");
	c[6] = arena_printf(a, "%s 至 %s", s_(it, "notice_start"), s_(it, "notice_end"));
}

int pdf_notice_list(json_t *notice, char **buf, size_t *len, struct err *e)
{
	struct arena *a = arena_new();
	const char *unit = s_(notice, "unit"), *contact = s_(notice, "contact");
	struct pdf_doc *d = pdf_doc_new(unit, "困难职工建档公示名单");
	pdf_title(d, "困难职工建档公示名单");
	pdf_subtitle(d, arena_printf(a, "公示单位：%s　　共 %zu 户", unit, json_array_size(json_object_get(notice, "items"))));
	pdf_para(d, "根据困难职工帮扶工作的有关规定，经本人申请、基层工会入户核查和审核，下列职工拟纳入困难职工档案管理，"
		    "现予公示。公示期内，任何单位和个人对公示对象有异议的，可向下列受理单位实名反映。");
	static const struct pdf_col cols[] = {{"姓名", 0.15, 0}, {"身份证号", 0.2, 0}, {"工作单位", 0.14, 0}, {"困难类别", 0.09, 0},
					      {"致困原因", 0.12, 0}, {"所属单位", 0.12, 0}, {"公示期", 0.18, 0}};
	list_table(d, a, cols, 7, json_object_get(notice, "items"), notice_row, "目前没有处于公示期的档案。");
	pdf_heading(d, "异议受理");
	pdf_para(d, arena_printf(a, "受理单位：%s", unit));
	pdf_para(d, arena_printf(a, "联系方式：%s", *contact ? contact : "（请向受理单位当面反映）"));
	pdf_gap(d, 16);
	pdf_para(d, arena_printf(a, "%s\n%s", unit, s_(notice, "date")));
	return finish(d, a, buf, len, e);
}
