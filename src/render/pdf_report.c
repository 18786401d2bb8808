/* pdf_report.c — the quarterly report: title, one table per section (a row
 * per child unit and a 合计 row from "total"), and three charts. */
#include "render/pdf_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "render/pdf_chart.h"
#include "render/pdf_doc.h"
#include "rules/hh_flow.h"
#include "rules/household.h"
#include "rules/money.h"

#define MAX_UNITS 200
#define MAX_PROGS 12

static const char *const quarter_zh[] = {"", "一", "二", "三", "四"};
static const char *const default_programs[][2] = {
	{"living", "生活救助"}, {"medical", "医疗救助"}, {"education", "金秋助学"},
	{"legal", "法律援助"},  {"employment", "就业援助"}, {"condolence", "两节送温暖"},
	{"microloan", "小额贷款"},
};

/* The report as the drawing code walks it: rows[0..n-1] the child units,
 * rows[n] the total (named 合计). */
struct rep {
	struct arena *a;
	struct pdf_doc *d;
	json_t *rows[MAX_UNITS + 1];
	const char *names[MAX_UNITS + 1];
	int n;
	const char *progs[MAX_PROGS], *prog_names[MAX_PROGS];
	int nprog;
	int cause_base; /* the first cause of the table being drawn */
	const struct fig *figs; /* the columns of the keyed table being drawn */
};

/* A column of a keyed table: a dotted path and how to show it. */
enum fig_kind { FIG_CNT, FIG_FEN, FIG_RATE };
struct fig {
	const char *head, *path;
	enum fig_kind kind;
};

/* The number at a dotted path ("households.by_status.active"), 0 when absent. */
static double real(json_t *o, const char *path)
{
	char key[64];
	while (o && *path) {
		size_t k = strcspn(path, ".");
		snprintf(key, sizeof key, "%.*s", (int)k, path);
		o = json_object_get(o, key);
		path += k + (path[k] == '.');
	}
	return json_number_value(o);
}

static long long num(json_t *o, const char *path)
{
	return (long long)real(o, path);
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static const char *int_s(struct rep *R, long long v)
{
	return arena_printf(R->a, "%lld", v);
}

static const char *yuan_s(struct rep *R, long long fen)
{
	char b[32];
	money_format_fen(fen, b);
	return arena_strdup(R->a, b);
}

static const char *pct_s(struct rep *R, double v)
{
	return arena_printf(R->a, "%.1f%%", v * 100);
}

static void load(struct rep *R, json_t *report)
{
	json_t *units = json_object_get(report, "units"), *u;
	size_t i;
	json_array_foreach(units, i, u) {
		if (R->n == MAX_UNITS)
			break;
		const char *nm = json_string_value(json_object_get(u, "name"));
		R->rows[R->n] = u;
		R->names[R->n++] = nm ? nm : "";
	}
	R->rows[R->n] = json_object_get(report, "total");
	R->names[R->n] = "合计";
	/* programmes: the keys of total.aid.by_program, in the report's order */
	json_t *bp = json_object_get(json_object_get(R->rows[R->n], "aid"), "by_program");
	json_t *names = json_object_get(report, "program_names");
	const char *code;
	json_t *v;
	json_object_foreach(bp, code, v) {
		if (R->nprog == MAX_PROGS)
			break;
		const char *nm = json_string_value(json_object_get(names, code));
		for (size_t k = 0; !nm && k < sizeof default_programs / sizeof default_programs[0]; k++)
			if (!strcmp(default_programs[k][0], code))
				nm = default_programs[k][1];
		R->progs[R->nprog] = code;
		R->prog_names[R->nprog++] = nm ? nm : code;
	}
}

/* One table with a column per figure and a row per unit plus 合计;
 * fig(R, row, col) gives each cell. */
typedef const char *(*cell_fn)(struct rep *R, json_t *row, int col);

static void table(struct rep *R, const char *const *heads, int nfig, cell_fn fig)
{
	int nc = nfig + 1, nr = R->n + 1;
	struct pdf_col cols[16];
	double unit_share = nc > 8 ? 0.22 : 0.26;
	cols[0] = (struct pdf_col){"单位", unit_share, 0};
	for (int j = 0; j < nfig && j < 15; j++)
		cols[j + 1] = (struct pdf_col){heads[j], (1 - unit_share) / nfig, 1};
	const char **cells = arena_alloc(R->a, sizeof *cells * (size_t)(nc * nr));
	for (int i = 0; i < nr; i++) {
		cells[i * nc] = R->names[i];
		for (int j = 0; j < nfig; j++)
			cells[i * nc + j + 1] = fig(R, R->rows[i], j);
	}
	pdf_table(R->d, cols, nc, cells, nr);
}

static const char *status_cell(struct rep *R, json_t *row, int col)
{
	return int_s(R, num(json_object_get(json_object_get(row, "households"), "by_status"),
			    hh_status_name(col)));
}

static const enum category cat_order[] = {CAT_DIBAO, CAT_MARGINAL, CAT_ACCIDENT, CAT_NONE};

static const char *category_cell(struct rep *R, json_t *row, int col)
{
	json_t *h = json_object_get(row, "households");
	switch (col) {
	case 0: return int_s(R, num(h, "by_status.active"));
	case 1: case 2: case 3: case 4:
		return int_s(R, num(json_object_get(h, "by_category"), category_name(cat_order[col - 1])));
	case 5: return int_s(R, num(h, "new"));
	case 6: return int_s(R, num(h, "exited"));
	case 7: return int_s(R, num(h, "exited_ytd"));
	default: return pct_s(R, real(h, "exit_rate_ytd"));
	}
}

static const char *cause_cell(struct rep *R, json_t *row, int col)
{
	return int_s(R, num(json_object_get(json_object_get(row, "households"), "by_cause"),
			    cause_name(R->cause_base + col)));
}

static const char *aid_cell(struct rep *R, json_t *row, int col)
{
	json_t *aid = json_object_get(row, "aid");
	if (col == R->nprog)
		return arena_printf(R->a, "%lld 笔\n%s", num(aid, "count"), yuan_s(R, num(aid, "amount_fen")));
	json_t *p = json_object_get(json_object_get(aid, "by_program"), R->progs[col]);
	return arena_printf(R->a, "%lld 笔\n%s", num(p, "count"), yuan_s(R, num(p, "amount_fen")));
}

static const char *funds_cell(struct rep *R, json_t *row, int col)
{
	static const char *const keys[] = {"funds.in_fen", "funds.out_fen", "funds.balance_fen"};
	return yuan_s(R, num(row, keys[col]));
}

static const char *fig_cell(struct rep *R, json_t *row, int col)
{
	const struct fig *f = &R->figs[col];
	switch (f->kind) {
	case FIG_FEN: return yuan_s(R, num(row, f->path));
	case FIG_RATE: return pct_s(R, real(row, f->path));
	default: return int_s(R, num(row, f->path));
	}
}

/* A heading and a table of the figures figs[0..n-1]. */
static void keyed_table(struct rep *R, const char *heading, const struct fig *figs, int n)
{
	const char *heads[16];
	for (int i = 0; i < n && i < 16; i++)
		heads[i] = figs[i].head;
	R->figs = figs;
	pdf_heading(R->d, heading);
	table(R, heads, n, fig_cell);
}

static const struct fig other_figs[] = {
	{"走访次数", "visits", FIG_CNT},
	{"逾期申请", "overdue.applications", FIG_CNT},
	{"逾期复核", "overdue.reviews", FIG_CNT},
	{"逾期个案", "overdue.cases", FIG_CNT},
	{"慰问户数", "condolence.covered", FIG_CNT},
	{"慰问覆盖率", "condolence.ratio", FIG_RATE},
};
static const struct fig case_figs[] = {
	{"受理", "cases.received", FIG_CNT},
	{"办结", "cases.finished", FIG_CNT},
	{"结案", "cases.closed", FIG_CNT},
	{"办结率", "cases.closure_rate", FIG_RATE},
	{"追回欠薪（元）", "cases.recovered_fen", FIG_FEN},
};
static const struct fig check_figs[] = {
	{"申请核对", "checks.requested", FIG_CNT},
	{"核对发现收入或财产", "checks.found", FIG_CNT},
};
static const struct fig employment_figs[] = {
	{"登记求职", "employment.seekers_registered", FIG_CNT},
	{"推荐就业", "employment.referrals", FIG_CNT},
	{"推荐成功", "employment.hired", FIG_CNT},
	{"开班培训", "employment.trainings", FIG_CNT},
	{"培训合格", "employment.trained", FIG_CNT},
	{"再就业退出", "employment.reemployed_exits", FIG_CNT},
};
static const struct fig card_figs[] = {
	{"本期发卡", "cards.issued", FIG_CNT},
	{"有效卡", "cards.active", FIG_CNT},
	{"消费笔数", "cards.purchases", FIG_CNT},
	{"工会承担（元）", "cards.union_fen", FIG_FEN},
	{"商户让利（元）", "cards.partner_fen", FIG_FEN},
};
static const struct fig found_figs[] = {
	{"收到线索", "clues.received", FIG_CNT},
	{"已处理", "clues.resolved", FIG_CNT},
	{"按时处理", "clues.on_time", FIG_CNT},
	{"转为建档", "clues.archived", FIG_CNT},
	{"临时救助笔数", "emergency.count", FIG_CNT},
	{"临时救助（元）", "emergency.amount_fen", FIG_FEN},
	{"救助后建档", "emergency.archived_after", FIG_CNT},
	{"返困监测户", "households.monitoring", FIG_CNT},
	{"重新启用", "households.reopened", FIG_CNT},
};
static const struct fig mutual_figs[] = {
	{"参保人数", "mutual_aid.enrolled", FIG_CNT},
	{"保费（元）", "mutual_aid.premium_fen", FIG_FEN},
	{"理赔申请", "mutual_aid.claims", FIG_CNT},
	{"支付笔数", "mutual_aid.paid", FIG_CNT},
	{"支付金额（元）", "mutual_aid.paid_fen", FIG_FEN},
	{"待办理赔", "mutual_aid.open", FIG_CNT},
};
static const struct fig outreach_figs[] = {
	{"开展活动", "outreach.activities", FIG_CNT},
	{"参加户次", "outreach.attendance", FIG_CNT},
	{"转介", "outreach.referrals.made", FIG_CNT},
	{"转介办成", "outreach.referrals.granted", FIG_CNT},
	{"本年项目", "outreach.projects.count", FIG_CNT},
	{"项目拨付（元）", "outreach.projects.funded_fen", FIG_FEN},
};
#define NFIGS(a) ((int)(sizeof a / sizeof a[0]))

static void charts(struct rep *R)
{
	/* households by status per child unit (the total alone when no child) */
	int nb = R->n ? R->n : 1; /* rows[0] is the total when there is no child */
	double *v = arena_alloc(R->a, sizeof *v * (size_t)(nb * HS__MAX + MAX_UNITS + 1));
	const char *ser[HS__MAX];
	for (int s = 0; s < HS__MAX; s++)
		ser[s] = hh_status_label(s);
	for (int i = 0; i < nb; i++)
		for (int s = 0; s < HS__MAX; s++)
			v[i * HS__MAX + s] = (double)num(R->rows[i], arena_printf(R->a, "households.by_status.%s",
										       hh_status_name(s)));
	pdf_heading(R->d, "图 1  各单位档案户数（按期末状态）");
	pdf_chart_bars(R->d, &(struct chart){"户数", nb, HS__MAX, R->names, ser, v, 0, NULL, 0}, 220);

	double pv[MAX_PROGS];
	for (int p = 0; p < R->nprog; p++)
		pv[p] = (double)num(json_object_get(json_object_get(json_object_get(R->rows[R->n], "aid"),
								    "by_program"), R->progs[p]), "amount_fen") / 100;
	pdf_heading(R->d, "图 2  本季度帮扶资金发放（按项目）");
	pdf_chart_bars(R->d, &(struct chart){"金额（元）", R->nprog, 1, R->prog_names, NULL, pv, 0, NULL, 0, 1}, 200);

	for (int i = 0; i <= R->n; i++)
		v[i] = real(R->rows[i], "households.exit_rate_ytd");
	pdf_heading(R->d, "图 3  本年累计退出率与 30% 目标");
	pdf_chart_bars(R->d, &(struct chart){"退出率", R->n + 1, 1, R->names, NULL, v, 0.30, "目标 30%", 1}, 200);

	for (int i = 0; i <= R->n; i++)
		v[i] = (double)num(R->rows[i], "mutual_aid.paid_fen") / 100;
	pdf_heading(R->d, "图 4  本季度互助保障理赔支付（按单位）");
	pdf_chart_bars(R->d, &(struct chart){"金额（元）", R->n + 1, 1, R->names, NULL, v, 0, NULL, 0, 1}, 200);
}

int pdf_quarterly_report_mem(json_t *report, char **buf, size_t *len, struct err *e)
{
	struct rep R = {.a = arena_new()};
	load(&R, report);
	const char *unit = str(report, "name"), *period = str(report, "period");
	int year = 0, q = 0;
	if (sscanf(period, "%4dQ%1d", &year, &q) != 2 || q < 1 || q > 4) {
		arena_free(R.a);
		return err_field(e, "period", "统计期应写作“年份+Q+季度”，如 2026Q3");
	}
	const char *title = arena_printf(R.a, "%s %d年第%s季度困难职工帮扶统计报告", unit, year, quarter_zh[q]);
	R.d = pdf_doc_new(unit, title);
	pdf_title(R.d, title);
	pdf_subtitle(R.d, arena_printf(R.a, "统计期 %s 至 %s　　金额单位：元",
				       str(report, "from"), str(report, "to")));

	const char *st[HS__MAX];
	for (int s = 0; s < HS__MAX; s++)
		st[s] = hh_status_label(s);
	pdf_heading(R.d, "一、档案户数（按期末状态）");
	table(&R, st, HS__MAX, status_cell);

	const char *cat_h[9] = {"在档户数", NULL, NULL, NULL, NULL, "本季新建档", "本季退出", "本年退出", "本年退出率"};
	for (int i = 0; i < 4; i++)
		cat_h[i + 1] = category_label(cat_order[i]);
	pdf_heading(R.d, "二、在档困难职工（按困难类别）与建档、退出");
	table(&R, cat_h, 9, category_cell);

	const char *ca[CAUSE__MAX];
	for (int c = 0; c < CAUSE__MAX; c++)
		ca[c] = cause_label(c);
	pdf_heading(R.d, "三、在档困难职工致困原因");
	R.cause_base = 0;
	table(&R, ca, CAUSE__MAX / 2, cause_cell);
	R.cause_base = CAUSE__MAX / 2;
	table(&R, ca + CAUSE__MAX / 2, CAUSE__MAX - CAUSE__MAX / 2, cause_cell);

	const char *ph[MAX_PROGS + 1];
	for (int p = 0; p < R.nprog; p++)
		ph[p] = R.prog_names[p];
	ph[R.nprog] = "合计";
	pdf_heading(R.d, "四、帮扶资金发放（按项目，笔数 / 金额）");
	table(&R, ph, R.nprog + 1, aid_cell);

	pdf_heading(R.d, "五、资金收支");
	table(&R, (const char *[]){"本季收入", "本季支出", "期末余额"}, 3, funds_cell);

	keyed_table(&R, "六、走访、逾期事项与慰问", other_figs, NFIGS(other_figs));
	keyed_table(&R, "七、个案（来访与维权）", case_figs, NFIGS(case_figs));
	keyed_table(&R, "八、就业服务", employment_figs, NFIGS(employment_figs));
	keyed_table(&R, "九、爱心卡", card_figs, NFIGS(card_figs));
	keyed_table(&R, "十、随时发现、临时救助与返困监测", found_figs, NFIGS(found_figs));
	keyed_table(&R, "十一、互助保障（职工医疗互助、女职工保障）", mutual_figs, NFIGS(mutual_figs));
	keyed_table(&R, "十二、活动与外联", outreach_figs, NFIGS(outreach_figs));
	keyed_table(&R, "十三、家庭经济状况核对", check_figs, NFIGS(check_figs));

	charts(&R);
	int rc = pdf_doc_finish(R.d, buf, len, e);
	arena_free(R.a);
	return rc;
}

int pdf_quarterly_report(json_t *report, const char *path, struct err *e)
{
	char *buf = NULL;
	size_t len = 0;
	int rc = pdf_quarterly_report_mem(report, &buf, &len, e);
	if (rc)
		return rc;
	FILE *f = fopen(path, "wb");
	int bad = !f || fwrite(buf, 1, len, f) != len;
	if (f && fclose(f) != 0)
		bad = 1;
	free(buf);
	return bad ? err_set(e, E_INTERNAL, "无法写入文件：%s", path) : 0;
}
