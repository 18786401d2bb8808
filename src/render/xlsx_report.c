/* xlsx_report.c — the quarterly report (统计上报) as a workbook.
 *
 * One sheet per section of the report JSON (report_quarterly(),
 * API.md "Reports").  Every sheet has the same shape:
 *   row 1      title: "<unit> 2026年第三季度困难职工帮扶统计表" (merged)
 *   row 2      统计期, 单位 of money and rates
 *   rows 3–4   header: a group row (merged over its columns) and a column row;
 *              frozen with the unit column
 *   rows 5…    one row per direct child unit (its whole subtree, the JSON's
 *              figures), then 本级 (the unit's own records: total − the sum
 *              of the children, as numbers), then 合计 as SUM formulas over
 *              the rows above, with the report's total as the cached value.
 * Rates are numbers with a percent format; a rate's 本级 value is computed
 * from the 本级 counts, its 合计 is a formula over the 合计 counts (rounded
 * to 4 decimals like the JSON), cached with the JSON's total.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "render/xlsx_out.h"
#include "rules/hh_flow.h"
#include "rules/household.h"

#define MAX_COLS 80
#define HEAD_ROWS 4 /* title, subtitle, group, column */

enum ck { CK_CNT, CK_FEN, CK_RATE, CK_YESNO };

struct rcol {
	const char *group; /* NULL: the header spans both header rows */
	const char *head;
	const char *k[4];  /* path inside a UNIT object */
	enum ck kind;
	int num, den1, den2; /* CK_RATE / CK_YESNO: indexes of the columns it is computed from, -1 none */
	double target;       /* CK_YESNO: met when the rate column `num` >= target */
};

struct sheet {
	const char *name;
	struct rcol c[MAX_COLS];
	int n;
	char buf[64]; /* a header composed at run time */
};

struct fmts {
	lxw_format *title, *sub, *head, *name, *bold_name, *cnt, *fen, *rate, *text, *tcnt, *tfen, *trate,
		*ttext;
};

/* --- columns ------------------------------------------------------------------ */

static int add(struct sheet *s, const char *group, const char *head, enum ck kind, const char *k0,
	       const char *k1, const char *k2, const char *k3)
{
	if (s->n == MAX_COLS)
		return -1;
	s->c[s->n] = (struct rcol){group, head, {k0, k1, k2, k3}, kind, -1, -1, -1, 0};
	return s->n++;
}

static void add_rate(struct sheet *s, const char *group, const char *head, const char *k0,
		     const char *k1, int num, int den1, int den2)
{
	int i = add(s, group, head, CK_RATE, k0, k1, NULL, NULL);
	if (i >= 0) {
		s->c[i].num = num;
		s->c[i].den1 = den1;
		s->c[i].den2 = den2;
	}
}

static json_t *at(json_t *unit, const struct rcol *c)
{
	json_t *v = unit;
	for (int i = 0; i < 4 && c->k[i]; i++)
		v = json_object_get(v, c->k[i]);
	return v;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* Columns for a flat object of figures (cases, overdue): the known keys
 * present first, in their order and with their names, then any other
 * numeric key of the total under its own name (a figure added to the
 * report later). */
struct known {
	const char *key, *head;
	enum ck kind;
	const char *num, *den; /* CK_RATE: keys of the same object */
};

static int find_col(const struct sheet *s, const char *k0, const char *k1)
{
	for (int i = 0; i < s->n; i++)
		if (s->c[i].k[0] && !strcmp(s->c[i].k[0], k0) && s->c[i].k[1] && !strcmp(s->c[i].k[1], k1) &&
		    !s->c[i].k[2])
			return i;
	return -1;
}

static void add_flat(struct sheet *s, json_t *total, const char *obj, const char *group,
		     const struct known *kn)
{
	json_t *o = json_object_get(total, obj);
	for (const struct known *k = kn; k->key; k++) {
		if (!json_object_get(o, k->key))
			continue; /* not (yet) in the report */
		if (k->kind == CK_RATE)
			add_rate(s, group, k->head, obj, k->key, k->num ? find_col(s, obj, k->num) : -1,
				 k->den ? find_col(s, obj, k->den) : -1, -1);
		else
			add(s, group, k->head, k->kind, obj, k->key, NULL, NULL);
	}
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		const struct known *k = kn;
		while (k->key && strcmp(k->key, key))
			k++;
		if (k->key || !json_is_number(v))
			continue;
		enum ck kind = ends_with(key, "_fen") ? CK_FEN
			       : (ends_with(key, "_rate") || ends_with(key, "ratio") || json_is_real(v)) ? CK_RATE
													: CK_CNT;
		if (kind == CK_RATE)
			add_rate(s, group, key, obj, key, -1, -1, -1);
		else
			add(s, group, key, kind, obj, key, NULL, NULL);
	}
}

static void sheet_households(struct sheet *s, json_t *total)
{
	json_t *hh = json_object_get(total, "households");
	const char *key;
	json_t *v;
	json_object_foreach(json_object_get(hh, "by_status"), key, v) {
		int st = hh_status_parse(key);
		add(s, "期末各状态户数", st >= 0 ? hh_status_label(st) : key, CK_CNT, "households", "by_status",
		    key, NULL);
	}
	json_object_foreach(json_object_get(hh, "by_category"), key, v) {
		int c = category_parse(key);
		add(s, "期末在档户：按困难类别", c >= 0 ? category_label(c) : key, CK_CNT, "households",
		    "by_category", key, NULL);
	}
	json_object_foreach(json_object_get(hh, "by_cause"), key, v) {
		int c = cause_parse(key);
		add(s, "期末在档户：按致困原因（可多选）", c >= 0 ? cause_label(c) : key, CK_CNT, "households",
		    "by_cause", key, NULL);
	}
}

static void sheet_flow(struct sheet *s, json_t *total)
{
	const char *g = "档案进出";
	add(s, g, "本期新增建档", CK_CNT, "households", "new", NULL, NULL);
	add(s, g, "本期退出", CK_CNT, "households", "exited", NULL, NULL);
	int ytd = add(s, g, "本年累计退出", CK_CNT, "households", "exited_ytd", NULL, NULL);
	int act = add(s, g, "期末在档户数", CK_CNT, "households", "active", NULL, NULL);
	double target = json_number_value(json_object_get(json_object_get(total, "households"), "exit_target"));
	snprintf(s->buf, sizeof s->buf, "本年退出率（目标 %.0f%%）", target * 100);
	add_rate(s, "退出率", s->buf, "households", "exit_rate_ytd", ytd, act, ytd);
	int met = add(s, "退出率", "是否达到目标", CK_YESNO, "households", "exit_target_met", NULL, NULL);
	if (met >= 0) {
		s->c[met].num = s->n - 2;
		s->c[met].target = target;
	}
}

static void sheet_aid(struct sheet *s, json_t *total, json_t *names)
{
	const char *code;
	json_t *v;
	json_object_foreach(json_object_get(json_object_get(total, "aid"), "by_program"), code, v) {
		const char *name = json_string_value(json_object_get(names, code));
		add(s, name ? name : code, "件数", CK_CNT, "aid", "by_program", code, "count");
		add(s, name ? name : code, "金额（元）", CK_FEN, "aid", "by_program", code, "amount_fen");
	}
	add(s, "合计", "件数", CK_CNT, "aid", "count", NULL, NULL);
	add(s, "合计", "金额（元）", CK_FEN, "aid", "amount_fen", NULL, NULL);
}

static void sheet_funds(struct sheet *s)
{
	add(s, NULL, "本期收入（元）", CK_FEN, "funds", "in_fen", NULL, NULL);
	add(s, NULL, "本期支出（元）", CK_FEN, "funds", "out_fen", NULL, NULL);
	add(s, NULL, "期末余额（元）", CK_FEN, "funds", "balance_fen", NULL, NULL);
}

static void sheet_visits(struct sheet *s, json_t *total)
{
	add(s, NULL, "本期走访次数", CK_CNT, "visits", NULL, NULL, NULL);
	static const struct known condolence[] = {
		{"covered", "已慰问户数", CK_CNT, NULL, NULL},
		{"active", "期末在档户数", CK_CNT, NULL, NULL},
		{"ratio", "覆盖率", CK_RATE, "covered", "active"},
		{NULL, NULL, 0, NULL, NULL},
	};
	add_flat(s, total, "condolence", "两节送温暖", condolence);
	static const struct known cases[] = {
		{"received", "受理", CK_CNT, NULL, NULL},
		{"finished", "办结", CK_CNT, NULL, NULL},
		{"closed", "结案", CK_CNT, NULL, NULL},
		{"closure_rate", "办结率", CK_RATE, "finished", "received"},
		{"recovered_fen", "追回欠薪（元）", CK_FEN, NULL, NULL},
		{NULL, NULL, 0, NULL, NULL},
	};
	add_flat(s, total, "cases", "个案（来访与维权）", cases);
	static const struct known checks[] = {
		{"requested", "申请核对", CK_CNT, NULL, NULL},
		{"found", "核对发现收入或财产", CK_CNT, NULL, NULL},
		{NULL, NULL, 0, NULL, NULL},
	};
	add_flat(s, total, "checks", "家庭经济状况核对", checks);
}

static void sheet_overdue(struct sheet *s, json_t *total)
{
	static const struct known overdue[] = {
		{"applications", "逾期未办结的帮扶申请", CK_CNT, NULL, NULL},
		{"reviews", "逾期未复核的在档户", CK_CNT, NULL, NULL},
		{"cases", "逾期未办结的个案", CK_CNT, NULL, NULL},
		{NULL, NULL, 0, NULL, NULL},
	};
	add_flat(s, total, "overdue", NULL, overdue);
}

/* API.md "Found early": clues, emergency aid, the watch after exit */
static void sheet_found(struct sheet *s, json_t *total)
{
	static const struct known clues[] = {
		{"received", "收到线索", CK_CNT, NULL, NULL},
		{"resolved", "已处理", CK_CNT, NULL, NULL},
		{"on_time", "按时处理", CK_CNT, NULL, NULL},
		{"archived", "转为建档", CK_CNT, NULL, NULL},
		{NULL, NULL, 0, NULL, NULL},
	};
	static const struct known emergency[] = {
		{"count", "发放笔数", CK_CNT, NULL, NULL},
		{"amount_fen", "发放金额（元）", CK_FEN, NULL, NULL},
		{"archived_after", "跟进后建档", CK_CNT, NULL, NULL},
		{NULL, NULL, 0, NULL, NULL},
	};
	add_flat(s, total, "clues", "线索（随时发现）", clues);
	add_flat(s, total, "emergency", "临时救助", emergency);
	add(s, "返困监测", "期末监测户数", CK_CNT, "households", "monitoring", NULL, NULL);
	add(s, "返困监测", "本期重新启用", CK_CNT, "households", "reopened", NULL, NULL);
}

static void sheet_employment(struct sheet *s, json_t *total)
{
	static const struct known employment[] = {
		{"seekers_registered", "登记求职人数", CK_CNT, NULL, NULL},
		{"referrals", "推荐就业人次", CK_CNT, NULL, NULL},
		{"hired", "推荐成功（录用）", CK_CNT, NULL, NULL},
		{"trainings", "开班培训期数", CK_CNT, NULL, NULL},
		{"trained", "培训合格人数", CK_CNT, NULL, NULL},
		{"reemployed_exits", "再就业退出户数", CK_CNT, NULL, NULL},
		{NULL, NULL, 0, NULL, NULL},
	};
	add_flat(s, total, "employment", NULL, employment);
}

static void sheet_cards(struct sheet *s, json_t *total)
{
	static const struct known cards[] = {
		{"issued", "本期发卡", CK_CNT, NULL, NULL},
		{"active", "期末有效卡", CK_CNT, NULL, NULL},
		{"purchases", "消费笔数", CK_CNT, NULL, NULL},
		{"union_fen", "工会承担（元）", CK_FEN, NULL, NULL},
		{"partner_fen", "商户让利（元）", CK_FEN, NULL, NULL},
		{NULL, NULL, 0, NULL, NULL},
	};
	add_flat(s, total, "cards", NULL, cards);
}

/* 互助保障 and 帮扶主项 (API.md "Mutual aid") */
static void sheet_mutual(struct sheet *s, json_t *total, json_t *names)
{
	static const struct known mutual[] = {
		{"enrolled", "本期参保人数", CK_CNT, NULL, NULL},
		{"premium_fen", "本期保费（元）", CK_FEN, NULL, NULL},
		{"claims", "本期理赔申请", CK_CNT, NULL, NULL},
		{"paid", "本期支付笔数", CK_CNT, NULL, NULL},
		{"paid_fen", "本期支付金额（元）", CK_FEN, NULL, NULL},
		{"open", "待办理赔", CK_CNT, NULL, NULL},
		{NULL, NULL, 0, NULL, NULL},
	};
	add_flat(s, total, "mutual_aid", "互助保障", mutual);
	const char *code;
	json_t *v;
	json_object_foreach(json_object_get(json_object_get(total, "households"), "by_primary_aid"), code, v) {
		const char *name = json_string_value(json_object_get(names, code));
		add(s, "在档户：按帮扶主项", name ? name : !strcmp(code, "medical_mutual") ? "医疗互助" : code, CK_CNT,
		    "households", "by_primary_aid", code, NULL);
	}
}

static void sheet_outreach(struct sheet *s)
{
	add(s, NULL, "开展活动（次）", CK_CNT, "outreach", "activities", NULL, NULL);
	add(s, NULL, "参加活动（户次）", CK_CNT, "outreach", "attendance", NULL, NULL);
	add(s, "转介政府部门", "转介件数", CK_CNT, "outreach", "referrals", "made", NULL);
	add(s, "转介政府部门", "办成件数", CK_CNT, "outreach", "referrals", "granted", NULL);
	add(s, "一县一项目（本年）", "项目数", CK_CNT, "outreach", "projects", "count", NULL);
	add(s, "一县一项目（本年）", "已拨付（元）", CK_FEN, "outreach", "projects", "funded_fen", NULL);
}

/* --- writing ------------------------------------------------------------------ */

static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The own-records value (total − Σ children) of every column, and rates
 * and flags recomputed from them. */
static void own_values(const struct sheet *s, json_t *total, json_t *units, double *own)
{
	for (int i = 0; i < s->n; i++) {
		const struct rcol *c = &s->c[i];
		if (c->kind != CK_CNT && c->kind != CK_FEN)
			continue;
		double v = json_number_value(at(total, c));
		size_t j;
		json_t *u;
		json_array_foreach(units, j, u)
			v -= json_number_value(at(u, c));
		own[i] = c->kind == CK_FEN ? v / 100.0 : v;
	}
	for (int i = 0; i < s->n; i++) {
		const struct rcol *c = &s->c[i];
		if (c->kind == CK_RATE && c->num >= 0) {
			double den = (c->den1 >= 0 ? own[c->den1] : 0) + (c->den2 >= 0 ? own[c->den2] : 0);
			own[i] = den > 0 ? round(own[c->num] * 10000.0 / den) / 10000.0 : 0.0;
		}
	}
	for (int i = 0; i < s->n; i++)
		if (s->c[i].kind == CK_YESNO && s->c[i].num >= 0)
			own[i] = own[s->c[i].num] >= s->c[i].target;
}

static void cell(lxw_worksheet *ws, int row, int col, const struct rcol *c, json_t *v, const struct fmts *f)
{
	switch (c->kind) {
	case CK_CNT:
		worksheet_write_number(ws, row, col, json_number_value(v), f->cnt);
		break;
	case CK_FEN:
		worksheet_write_number(ws, row, col, json_number_value(v) / 100.0, f->fen);
		break;
	case CK_RATE:
		worksheet_write_number(ws, row, col, json_number_value(v), f->rate);
		break;
	case CK_YESNO:
		worksheet_write_string(ws, row, col, json_is_true(v) ? "是" : "否", f->text);
		break;
	}
}

static void total_cell(lxw_worksheet *ws, int row, int col, const struct sheet *s, int i, json_t *v,
		       int first, const struct fmts *f)
{
	const struct rcol *c = &s->c[i];
	char a[16], b[16], d[16], fm[128];
	switch (c->kind) {
	case CK_CNT:
	case CK_FEN:
		lxw_rowcol_to_cell(a, (lxw_row_t)first, (lxw_col_t)col);
		lxw_rowcol_to_cell(b, (lxw_row_t)(row - 1), (lxw_col_t)col);
		snprintf(fm, sizeof fm, "=SUM(%s:%s)", a, b);
		worksheet_write_formula_num(ws, row, col, fm, c->kind == CK_FEN ? f->tfen : f->tcnt,
					    json_number_value(v) / (c->kind == CK_FEN ? 100.0 : 1.0));
		break;
	case CK_RATE:
		if (c->num < 0) {
			worksheet_write_number(ws, row, col, json_number_value(v), f->trate);
			break;
		}
		lxw_rowcol_to_cell(a, (lxw_row_t)row, (lxw_col_t)(c->num + 1));
		if (c->den2 >= 0) {
			lxw_rowcol_to_cell(b, (lxw_row_t)row, (lxw_col_t)(c->den1 + 1));
			lxw_rowcol_to_cell(d, (lxw_row_t)row, (lxw_col_t)(c->den2 + 1));
			snprintf(fm, sizeof fm, "=IF(%s+%s>0,ROUND(%s/(%s+%s),4),0)", b, d, a, b, d);
		} else {
			lxw_rowcol_to_cell(b, (lxw_row_t)row, (lxw_col_t)(c->den1 + 1));
			snprintf(fm, sizeof fm, "=IF(%s>0,ROUND(%s/%s,4),0)", b, a, b);
		}
		worksheet_write_formula_num(ws, row, col, fm, f->trate, json_number_value(v));
		break;
	case CK_YESNO:
		worksheet_write_string(ws, row, col, json_is_true(v) ? "是" : "否", f->ttext);
		break;
	}
}

static void header(lxw_worksheet *ws, const struct sheet *s, const struct fmts *f)
{
	worksheet_merge_range(ws, 2, 0, 3, 0, "单位", f->head);
	worksheet_set_column(ws, 0, 0, 26, NULL);
	for (int i = 0; i < s->n;) {
		const struct rcol *c = &s->c[i];
		int j = i + 1;
		while (c->group && j < s->n && s->c[j].group && !strcmp(s->c[j].group, c->group))
			j++;
		if (!c->group)
			worksheet_merge_range(ws, 2, i + 1, 3, i + 1, c->head, f->head);
		else if (j - i > 1)
			worksheet_merge_range(ws, 2, i + 1, 2, j, c->group, f->head);
		else
			worksheet_write_string(ws, 2, i + 1, c->group, f->head);
		for (int k = i; k < j; k++) {
			if (c->group)
				worksheet_write_string(ws, 3, k + 1, s->c[k].head, f->head);
			double w = (double)chars(s->c[k].head) * 2.0 + 2.0;
			worksheet_set_column(ws, k + 1, k + 1, w < 10 ? 10 : w > 24 ? 24 : w, NULL);
		}
		i = j;
	}
	worksheet_set_row(ws, 3, 30, NULL);
	worksheet_freeze_panes(ws, HEAD_ROWS, 1);
}

static void write_sheet(lxw_workbook *wb, const struct sheet *s, json_t *report, const char *title,
			const char *sub, const struct fmts *f)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, s->name);
	if (!ws || !s->n)
		return;
	json_t *total = json_object_get(report, "total"), *units = json_object_get(report, "units");
	worksheet_merge_range(ws, 0, 0, 0, s->n, title, f->title);
	worksheet_set_row(ws, 0, 28, NULL);
	worksheet_merge_range(ws, 1, 0, 1, s->n, sub, f->sub);
	header(ws, s, f);
	int row = HEAD_ROWS;
	size_t j;
	json_t *u;
	json_array_foreach(units, j, u) {
		worksheet_write_string(ws, row, 0, json_string_value(json_object_get(u, "name")), f->name);
		for (int i = 0; i < s->n; i++)
			cell(ws, row, i + 1, &s->c[i], at(u, &s->c[i]), f);
		row++;
	}
	double own[MAX_COLS] = {0};
	own_values(s, total, units, own);
	worksheet_write_string(ws, row, 0, "本级", f->name);
	for (int i = 0; i < s->n; i++) {
		const struct rcol *c = &s->c[i];
		lxw_format *fm = c->kind == CK_FEN ? f->fen : c->kind == CK_RATE ? f->rate : f->cnt;
		if (c->kind == CK_YESNO)
			worksheet_write_string(ws, row, i + 1, own[i] ? "是" : "否", f->text);
		else if (c->kind != CK_RATE || c->num >= 0)
			worksheet_write_number(ws, row, i + 1, own[i], fm);
		else
			worksheet_write_blank(ws, row, i + 1, fm);
	}
	row++;
	worksheet_write_string(ws, row, 0, "合计", f->bold_name);
	for (int i = 0; i < s->n; i++)
		total_cell(ws, row, i + 1, s, i, at(total, &s->c[i]), HEAD_ROWS, f);
}

static lxw_format *fmt(lxw_workbook *wb, int bold, const char *num, int border)
{
	lxw_format *f = workbook_add_format(wb);
	if (bold)
		format_set_bold(f);
	if (num)
		format_set_num_format(f, num);
	if (border)
		format_set_border(f, LXW_BORDER_THIN);
	return f;
}

static void make_formats(lxw_workbook *wb, struct fmts *f)
{
	f->title = fmt(wb, 1, NULL, 0);
	format_set_font_size(f->title, 14);
	format_set_align(f->title, LXW_ALIGN_CENTER);
	format_set_align(f->title, LXW_ALIGN_VERTICAL_CENTER);
	f->sub = fmt(wb, 0, NULL, 0);
	format_set_align(f->sub, LXW_ALIGN_CENTER);
	f->head = fmt(wb, 1, NULL, 1);
	format_set_align(f->head, LXW_ALIGN_CENTER);
	format_set_align(f->head, LXW_ALIGN_VERTICAL_CENTER);
	format_set_text_wrap(f->head);
	format_set_bg_color(f->head, 0xDDEBF7);
	f->name = fmt(wb, 0, NULL, 1);
	f->bold_name = fmt(wb, 1, NULL, 1);
	f->cnt = fmt(wb, 0, "0", 1);
	f->fen = fmt(wb, 0, "#,##0.00", 1);
	f->rate = fmt(wb, 0, "0.00%", 1);
	f->text = fmt(wb, 0, NULL, 1);
	format_set_align(f->text, LXW_ALIGN_CENTER);
	f->tcnt = fmt(wb, 1, "0", 1);
	f->tfen = fmt(wb, 1, "#,##0.00", 1);
	f->trate = fmt(wb, 1, "0.00%", 1);
	f->ttext = fmt(wb, 1, NULL, 1);
	format_set_align(f->ttext, LXW_ALIGN_CENTER);
}

/* "2026Q3" → "2026年第三季度" */
static void period_title(const char *p, char *buf, size_t n)
{
	static const char *const q[] = {"一", "二", "三", "四"};
	if (p && strlen(p) == 6 && p[5] >= '1' && p[5] <= '4')
		snprintf(buf, n, "%.4s年第%s季度", p, q[p[5] - '1']);
	else
		snprintf(buf, n, "%s", p ? p : "");
}

int xlsx_quarterly_report(json_t *report, json_t *program_names, const char *path, struct err *e)
{
	json_t *total = json_object_get(report, "total");
	if (!json_is_object(total))
		return err_set(e, E_INTERNAL, "报表数据不完整，无法生成 Excel 文件");
	enum { NSHEETS = 11 };
	static const char *const names[NSHEETS] = {"户数与类别", "新增与退出", "帮扶项目", "资金",
						   "走访与案件", "逾期事项",   "就业服务", "爱心卡",
						   "线索与临时救助", "互助保障", "活动与外联"};
	struct sheet *sh = calloc(NSHEETS, sizeof *sh);
	if (!sh)
		return err_set(e, E_INTERNAL, NULL);
	for (int i = 0; i < NSHEETS; i++)
		sh[i].name = names[i];
	sheet_households(&sh[0], total);
	sheet_flow(&sh[1], total);
	sheet_aid(&sh[2], total, program_names);
	sheet_funds(&sh[3]);
	sheet_visits(&sh[4], total);
	sheet_overdue(&sh[5], total);
	sheet_employment(&sh[6], total);
	sheet_cards(&sh[7], total);
	sheet_found(&sh[8], total);
	sheet_mutual(&sh[9], total, program_names);
	sheet_outreach(&sh[10]);

	char per[64], title[512], sub[256];
	period_title(json_string_value(json_object_get(report, "period")), per, sizeof per);
	const char *name = json_string_value(json_object_get(report, "name"));
	snprintf(title, sizeof title, "%s %s困难职工帮扶统计表", name ? name : "", per);
	snprintf(sub, sizeof sub, "统计期：%s 至 %s　　金额单位：元　　各下级单位含其全部下属单位；本级 = 合计 − 各下级单位",
		 json_string_value(json_object_get(report, "from")) ?: "",
		 json_string_value(json_object_get(report, "to")) ?: "");

	lxw_workbook *wb = workbook_new(path);
	if (!wb) {
		free(sh);
		return err_set(e, E_INTERNAL, "无法创建 Excel 文件");
	}
	struct fmts f;
	make_formats(wb, &f);
	for (int i = 0; i < NSHEETS; i++)
		write_sheet(wb, &sh[i], report, title, sub, &f);
	free(sh);
	lxw_error rc = workbook_close(wb);
	if (rc != LXW_NO_ERROR)
		return err_set(e, E_INTERNAL, "生成 Excel 文件失败：%s", lxw_strerror(rc));
	return xlsx_exact_numbers(path, e);
}
