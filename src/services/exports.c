/* exports.c — the report and the lists as files (see exports.h).
 *
 * The lists walk the same queries as GET /households and GET /applications
 * (households_each, applications_each): the same scope, filters, order and
 * masking, every matching row rather than one page.  Workbooks are written
 * to a temporary file (libxlsxwriter 1.1.4 has no output buffer), read back
 * into the request's arena and the file removed at once. */
#include "services/exports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/xlsx_out.h"
#include "rules/app_flow.h"
#include "rules/census.h"
#include "rules/household.h"
#include "services/applications.h"
#include "services/orgs.h"
#include "services/reports.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* --- labels for the list columns ---------------------------------------------- */

/* code → zh-CN label through a rules table; NULL for an unknown code. */
#define LABEL_FN(fn, parse, label)                                                                  \
	static const char *fn(const char *c)                                                        \
	{                                                                                           \
		int v = parse(c);                                                                   \
		return v >= 0 ? label(v) : NULL;                                                    \
	}
LABEL_FN(status_label, hh_status_parse, hh_status_label)
LABEL_FN(cat_label, category_parse, category_label)
LABEL_FN(cause_lbl, cause_parse, cause_label)
LABEL_FN(app_label, app_status_parse, app_status_label)
LABEL_FN(tier_label, level_parse, level_label)

static const char *gender_label(const char *c)
{
	return !strcmp(c, "male") ? "男" : !strcmp(c, "female") ? "女" : NULL;
}

static const struct xlsx_col hh_cols[] = {
	{"档案ID", "id", XK_INT, 8, NULL},
	{"档案编号", "archive_no", XK_TEXT, 18, NULL},
	{"姓名", "name", XK_TEXT, 10, NULL},
	{"身份证号", "id_number", XK_TEXT, 21, NULL},
	{"性别", "gender", XK_LABEL, 6, gender_label},
	{"年龄", "age", XK_INT, 6, NULL}, /* RULE privacy.masked: never the birth date */
	{"联系电话", "phone", XK_TEXT, 14, NULL},
	{"所属单位", "org_name", XK_TEXT, 20, NULL},
	{"档案状态", "status", XK_LABEL, 10, status_label},
	{"困难类别", "category", XK_LABEL, 12, cat_label},
	{"建议类别", "suggested_category", XK_LABEL, 12, cat_label},
	{"致困原因", "causes", XK_LIST, 24, cause_lbl},
	{"家庭人口", "household_size", XK_INT, 9, NULL},
	{"人均月收入（元）", "per_capita_income_fen", XK_FEN, 14, NULL},
	{"公示截止", "notice_end", XK_TEXT, 12, NULL},
	{"下次复核日期", "next_review_date", XK_TEXT, 13, NULL},
	{"建议解困", "exit_suggested", XK_BOOL, 9, NULL},
};
#define HH_NCOLS (int)(sizeof hh_cols / sizeof hh_cols[0])

static const struct xlsx_col app_cols[] = {
	{"申请编号", "id", XK_INT, 9, NULL},
	{"户主姓名", "household_name", XK_TEXT, 10, NULL},
	{"档案ID", "household_id", XK_INT, 8, NULL},
	{"所属单位", "org_name", XK_TEXT, 20, NULL},
	{"帮扶项目", "program_name", XK_TEXT, 14, NULL},
	{"状态", "status", XK_LABEL, 9, app_label},
	{"申请金额（元）", "requested_fen", XK_FEN, 13, NULL},
	{"批准金额（元）", "approved_fen", XK_FEN, 13, NULL},
	{"发放金额（元）", "disbursed_fen", XK_FEN, 13, NULL},
	{"退回金额（元）", "refunded_fen", XK_FEN, 13, NULL},
	{"审批层级", "required_level", XK_LABEL, 9, tier_label},
	{"办结时限", "due_date", XK_TEXT, 12, NULL},
	{"是否逾期", "overdue", XK_BOOL, 9, NULL},
	{"申请事由", "reason", XK_TEXT, 30, NULL},
	{"签收人", "signed_by", XK_TEXT, 10, NULL},
	{"签收日期", "signed_on", XK_TEXT, 12, NULL},
	{"申请时间", "created_at", XK_TEXT, 21, NULL},
};
#define APP_NCOLS (int)(sizeof app_cols / sizeof app_cols[0])

/* --- helpers -------------------------------------------------------------------- */

/* code → name of every programme (a new reference), NULL on error. */
static json_t *program_names(struct ctx *x, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e, "SELECT code, name FROM programs ORDER BY code", "");
	if (!s)
		return NULL;
	json_t *o = json_object();
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW)
		json_object_set_new(o, db_col_text(s, 0), json_string(db_col_text(s, 1)));
	db_finalize(s);
	if (rc < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Answers the workbook at path (removed afterwards) as an attachment named
 * `name` (UTF-8; the ASCII fallback is `ascii`). */
static int reply_file(struct req *r, char *path, const char *ascii, const char *name)
{
	char *data = NULL;
	size_t len = 0;
	int rc = xlsx_take_file(path, &data, &len, &r->err);
	free(path);
	if (rc)
		return rc;
	char *copy = arena_alloc(r->x.a, len + 1);
	memcpy(copy, data, len);
	free(data);
	char enc[512], *o = enc;
	for (const unsigned char *p = (const unsigned char *)name; *p && o < enc + sizeof enc - 4; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p))
			*o++ = (char)*p;
		else
			o += sprintf(o, "%%%02X", *p);
	}
	*o = 0;
	r->raw = copy;
	r->raw_len = len;
	r->content_type = XLSX_TYPE;
	r->disposition = arena_printf(r->x.a, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, enc);
	r->status = 200;
	return 0;
}

static int fail_file(char *path, int rc)
{
	if (path) {
		unlink(path);
		free(path);
	}
	return rc;
}

/* --- the quarterly report --------------------------------------------------------- */

int export_quarterly_xlsx(struct ctx *x, int64_t org_id, const char *period, const char *path, struct err *e)
{
	json_t *rep = NULL, *names = NULL;
	int rc = report_quarterly(x, org_id, period, &rep, e);
	if (!rc && !(names = program_names(x, e)))
		rc = -E_DB;
	if (!rc)
		rc = xlsx_quarterly_report(rep, names, path, e);
	json_decref(rep);
	json_decref(names);
	return rc;
}

int exports_h_quarterly_xlsx(struct req *r)
{
	int64_t org;
	int rc = req_query_int(r, "org_id", r->x.who.org_id, 1, INT64_MAX, &org);
	if (rc)
		return rc;
	char *path = xlsx_tmp_path();
	if (!path)
		return err_set(&r->err, E_INTERNAL, "无法创建临时文件");
	const char *period = req_query(r, "period");
	if ((rc = export_quarterly_xlsx(&r->x, org, period, path, &r->err)))
		return fail_file(path, rc);
	return reply_file(r, path, arena_printf(r->x.a, "quarterly-%s.xlsx", period),
			  arena_printf(r->x.a, "季度统计表-%s.xlsx", period));
}

/* --- lists ------------------------------------------------------------------------ */

/* The walk of a list into a writer; names: programme names to add as
 * program_name (applications). */
struct list_arg {
	struct xlsx_list *l;
	json_t *names;
	int64_t n;
};

static int list_row(void *arg, json_t *row, struct err *e)
{
	struct list_arg *a = arg;
	if (a->names) {
		const char *code = json_string_value(json_object_get(row, "program_code"));
		json_t *name = json_object_get(a->names, code ? code : "");
		json_object_set(row, "program_name", name ? name : json_object_get(row, "program_code"));
	}
	a->n++;
	return xlsx_list_row(a->l, row, e);
}

/* The filters as a line for the sheet: "筛选条件：状态 在档；…". */
static const char *hh_note(struct ctx *x, const struct hh_filter *f, const char *org_name)
{
	char *s = arena_printf(x->a, "单位：%s", org_name ? org_name : "本单位及下级全部");
	if (f->status)
		s = arena_printf(x->a, "%s；状态：%s", s, status_label(f->status) ?: f->status);
	if (f->category)
		s = arena_printf(x->a, "%s；类别：%s", s, cat_label(f->category) ?: f->category);
	if (f->q && *f->q)
		s = arena_printf(x->a, "%s；姓名或档案编号：%s", s, f->q);
	if (f->review_due)
		s = arena_printf(x->a, "%s；到期待复核", s);
	if (f->exit_suggested)
		s = arena_printf(x->a, "%s；建议解困", s);
	if (f->monitoring)
		s = arena_printf(x->a, "%s；退出后监测中", s);
	return arena_printf(x->a, "%s；导出日期：%s；身份证号与电话已隐去中间部分", s, x->today_s);
}

int export_households(struct ctx *x, const struct hh_filter *f, enum export_format fmt, const char *path,
		      int64_t *rows, struct err *e)
{
	struct org o = {0};
	int rc = f->org_id ? org_in_scope(x, f->org_id, &o, e) : 0;
	if (rc)
		return rc;
	struct xlsx_list *l = fmt == EXPORT_CSV
				      ? csv_list_open(path, hh_cols, HH_NCOLS, e)
				      : xlsx_list_open(path, "困难职工档案", "困难职工档案名单",
						       hh_note(x, f, o.name), hh_cols, HH_NCOLS, e);
	if (!l)
		return -E_INTERNAL;
	struct list_arg a = {l, NULL, 0};
	rc = households_each(x, f, list_row, &a, e);
	int rc2 = xlsx_list_close(l, e);
	if (rows)
		*rows = a.n;
	return rc ? rc : rc2;
}

int exports_h_households_xlsx(struct req *r)
{
	struct hh_filter f;
	int rc = hh_filter_from_query(r, &f);
	if (rc)
		return rc;
	char *path = xlsx_tmp_path();
	if (!path)
		return err_set(&r->err, E_INTERNAL, "无法创建临时文件");
	if ((rc = export_households(&r->x, &f, EXPORT_XLSX, path, NULL, &r->err)))
		return fail_file(path, rc);
	return reply_file(r, path, "households.xlsx", "困难职工档案.xlsx");
}

int exports_h_applications_xlsx(struct req *r)
{
	struct app_filter f;
	int rc = app_filter_from_query(r, &f);
	if (rc)
		return rc;
	struct list_arg a = {NULL, program_names(&r->x, &r->err), 0};
	if (!a.names)
		return -E_DB;
	char *path = xlsx_tmp_path();
	const char *note = arena_printf(r->x.a, "筛选条件：%s%s%s%s；导出日期：%s",
					f.status ? app_label(f.status) ?: f.status : "全部状态",
					f.program_code ? "；项目：" : "", f.program_code ? f.program_code : "",
					f.overdue ? "；仅逾期" : "", r->x.today_s);
	if (path && !(a.l = xlsx_list_open(path, "帮扶申请", "帮扶申请名单", note, app_cols, APP_NCOLS, &r->err)))
		rc = -E_INTERNAL;
	else if (!path)
		rc = err_set(&r->err, E_INTERNAL, "无法创建临时文件");
	if (!rc)
		rc = applications_each(&r->x, &f, list_row, &a, &r->err);
	int rc2 = xlsx_list_close(a.l, &r->err);
	json_decref(a.names);
	if (rc || rc2)
		return fail_file(path, rc ? rc : rc2);
	return reply_file(r, path, "applications.xlsx", "帮扶申请.xlsx");
}

/* --- the import template ------------------------------------------------------------ */

/* One household of three people, in the columns of census_columns[0..CC_STANDARD). */
static const char *const example[] = {
	"110101199003074514", "张三", "110101199003074514", "本人", "1500.00", "慢性病", "无",
	"13800138000", "某某机械厂", "某某区某某街道 1 号", "家属患病、收入低",
	"110101199003074514", "李四", "110101199208152029", "配偶", "0", "重病", "无",
	"", "", "", "",
	"110101199003074514", "张小明", "110101201405120018", "子女", "0", "健康", "小学",
	"", "", "", "",
};
static const char *const health_values[] = {"健康", "慢性病", "重病", "残疾", NULL};
static const char *const text_cols[] = {"户主身份证号", "身份证号", "联系电话", NULL};
static const char *const help[] = {
	"户主身份证号", "必填", "18 位居民身份证号；同一户的每一行都填户主（困难职工本人）的身份证号，按它成户。",
	"姓名", "必填", "本行人员的姓名。",
	"身份证号", "必填", "本行人员的 18 位身份证号；户主本人一行与“户主身份证号”相同。一人只能在一个在档家庭中。",
	"与户主关系", "必填", "从下拉列表选择：本人、配偶、子女、父母、兄弟姐妹、祖父母、孙子女、其他；每户必须有一行“本人”。",
	"月收入(元)", "必填", "本行人员的月收入，单位元，最多两位小数；没有收入填 0。",
	"健康状况", "选填", "可从下拉列表选择（健康、慢性病、重病、残疾），也可写具体病情，200 字以内。",
	"就学阶段", "选填", "从下拉列表选择：无、学前、小学、初中、高中、中职、大学；空白按“无”。",
	"联系电话", "选填", "户主本人一行填写，手机或固定电话。",
	"工作单位", "选填", "户主填工作单位；家庭成员可填职业或单位。",
	"家庭住址", "选填", "户主本人一行填写。",
	"致困原因", "选填",
	"可填多项，用顿号“、”分隔：本人患病、家属患病、本人残疾、家属残疾、子女就学、失业、收入低、单亲、意外事故、自然灾害、工伤、其他。",
	"（整体）", "", "一人一行；表头不要改动；第一张工作表为数据，本说明页不会被导入。示例三行请删除或替换后再导入。"
	"导入前可先“试导入”（dry_run）检查，有任何错误则全部不导入。",
	NULL,
};

int exports_h_template_xlsx(struct req *r)
{
	struct arena *a = r->x.a;
	const char **headers = arena_alloc(a, sizeof *headers * (CC_STANDARD + 1));
	for (int i = 0; i < CC_STANDARD; i++)
		headers[i] = census_columns[i];
	const char **rel = arena_alloc(a, sizeof *rel * (REL__MAX + 2));
	rel[0] = "本人";
	for (int i = 0; i < REL__MAX; i++)
		rel[i + 1] = relation_label(i);
	const char **school = arena_alloc(a, sizeof *school * (SCHOOL__MAX + 1));
	for (int i = 0; i < SCHOOL__MAX; i++)
		school[i] = school_label(i);
	const struct xlsx_choice choices[] = {
		{census_columns[CC_RELATION], rel, 1},
		{census_columns[CC_SCHOOL], school, 1},
		{census_columns[CC_HEALTH], health_values, 0},
	};
	_Static_assert(sizeof example / sizeof example[0] == 3 * CC_STANDARD, "three example rows");
	const struct xlsx_template t = {
		.sheet = "普查表",
		.headers = headers,
		.example = example,
		.nexample = 3,
		.text_cols = text_cols,
		.choices = choices,
		.nchoices = 3,
		.help = help,
	};
	char *path = xlsx_tmp_path();
	if (!path)
		return err_set(&r->err, E_INTERNAL, "无法创建临时文件");
	int rc = xlsx_import_template(&t, path, &r->err);
	if (rc)
		return fail_file(path, rc);
	return reply_file(r, path, "household-import-template.xlsx", "普查表模板.xlsx");
}
