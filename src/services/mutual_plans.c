/* mutual_plans.c — mutual-aid plans: create, read, list (API.md "Mutual
 * aid").  Enrolments are in mutual_enrol.c, claims in mutual_claims.c. */
#include <stdlib.h>
#include <string.h>

#include "rules/dates.h"
#include "services/audit.h"
#include "services/mutual_aid.h"
#include "services/orgs.h"

#define FEN_MAX 100000000000LL

static const struct field benefit_body[] = {
	{"code", F_STR, F_REQ, 1, 32, "待遇代码"},
	{"name", F_STR, F_REQ, 1, 50, "待遇名称"},
	{"max_fen", F_INT, F_REQ, 1, FEN_MAX, "最高给付（分）"},
	FIELDS_END,
};

const struct field ma_plan_body[] = {
	{"org_id", F_INT, F_REQ, 1, 0, "所属单位"},
	{"code", F_STR, F_REQ, 1, 32, "计划代码"},
	{"name", F_STR, F_REQ, 1, 100, "计划名称"},
	{"kind", F_STR, F_REQ, 1, 20, "类别"},
	{"year", F_INT, F_REQ, 2000, 2100, "年度"},
	{"premium_fen", F_INT, F_REQ, 0, FEN_MAX, "每人保费（分）"},
	{"enrol_from", F_DATE, F_REQ, 0, 0, "参保开始日期"},
	{"enrol_to", F_DATE, F_REQ, 0, 0, "参保截止日期"},
	{"cover_from", F_DATE, F_REQ, 0, 0, "保障开始日期"},
	{"cover_to", F_DATE, F_REQ, 0, 0, "保障截止日期"},
	{"annual_cap_fen", F_INT, F_REQ, 1, FEN_MAX, "年度给付上限（分）"},
	{"women_only", F_BOOL, 0, 0, 0, "仅限女职工"},
	{"age_max", F_INT, F_NULL, 1, 120, "最高年龄"},
	{"deadline_workdays", F_INT, 0, 1, 60, "理赔办理时限（工作日）"},
	{"benefits", F_ARR, F_REQ, 1, 20, "保障待遇", benefit_body},
	FIELDS_END,
};

static const char *const kinds[] = {"medical", "women", "other", NULL};

static int one_of(const char *s, const char *const *set)
{
	for (; s && *set; set++)
		if (!strcmp(s, *set))
			return 1;
	return 0;
}

/* The plan's unit lies in the actor's subtree, or above the actor's unit. */
#define PLAN_SEEN "(o.path LIKE ? OR ? LIKE o.path || '%')"

#define PLAN_COLS                                                                                   \
	"p.id, p.org_id, o.name AS org_name, p.code, p.name, p.kind, p.year, p.premium_fen,"       \
	" p.enrol_from, p.enrol_to, p.cover_from, p.cover_to, p.annual_cap_fen, p.women_only,"     \
	" p.age_max, p.benefits, p.deadline_workdays, p.enrolled_n AS enrolled,"                    \
	" p.premium_total_fen, p.claims_n AS claims, p.paid_fen, p.created_at"

static void decorate(json_t *o, const char *today)
{
	json_t *b = json_loads(json_string_value(json_object_get(o, "benefits")), 0, NULL);
	json_object_set_new(o, "benefits", b ? b : json_array());
	json_object_set_new(o, "women_only", json_boolean(json_integer_value(json_object_get(o, "women_only"))));
	const char *from = json_string_value(json_object_get(o, "enrol_from"));
	const char *to = json_string_value(json_object_get(o, "enrol_to"));
	json_object_set_new(o, "enrol_open",
			    json_boolean(from && to && strcmp(today, from) >= 0 && strcmp(today, to) <= 0));
}

json_t *ma_plan_json(struct ctx *x, int64_t id, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT " PLAN_COLS ", o.path AS org_path FROM ma_plans p JOIN orgs o ON o.id = p.org_id"
				 " WHERE p.id = ? AND " PLAN_SEEN,
				 "iss", id, ctx_scope_like(x), x->who.org_path);
	if (!s)
		return NULL;
	json_t *o = NULL;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		o = db_row_json(s);
		decorate(o, x->today_s);
	} else if (rc == DB_DONE) {
		err_set(e, E_NOT_FOUND, "互助保障计划不存在");
	}
	db_finalize(s);
	return o;
}

int ma_plans_scope(struct req *r)
{
	json_t *o = ma_plan_json(&r->x, r->id, &r->err);
	json_decref(o);
	return o ? 0 : -(int)r->err.code;
}

/* RULE ma.plan: the dates in order, benefits with distinct codes and a
 * maximum within the annual cap. */
static int check_plan(struct req *r)
{
	int rc = 0;
	const char *ef = body_str(r, "enrol_from"), *et = body_str(r, "enrol_to");
	const char *cf = body_str(r, "cover_from"), *ct = body_str(r, "cover_to");
	int64_t cap = body_int(r, "annual_cap_fen", 0);
	if (!one_of(body_str(r, "kind"), kinds))
		rc = err_field(&r->err, "kind", "类别应为 medical、women 或 other");
	if (strcmp(ef, et) > 0)
		rc = err_field(&r->err, "enrol_to", "参保截止日期不能早于开始日期");
	if (strcmp(cf, ct) > 0)
		rc = err_field(&r->err, "cover_to", "保障截止日期不能早于开始日期");
	if (strcmp(et, ct) > 0)
		rc = err_field(&r->err, "enrol_to", "参保截止日期不能晚于保障截止日期");
	int year = 0;
	day_t d;
	if (!date_parse(cf, &d))
		date_to_ymd(d, &year, &(int){0}, &(int){0});
	if (year != body_int(r, "year", 0))
		rc = err_field(&r->err, "cover_from", "保障开始日期应在计划年度内");
	json_t *ben = json_object_get(r->in, "benefits"), *b, *b2;
	size_t i, j;
	char f[64];
	json_array_foreach(ben, i, b) {
		snprintf(f, sizeof f, "benefits[%zu].max_fen", i);
		if (json_integer_value(json_object_get(b, "max_fen")) > cap)
			rc = err_field(&r->err, f, "最高给付不能超过年度给付上限");
		json_array_foreach(ben, j, b2)
			if (j < i && json_equal(json_object_get(b, "code"), json_object_get(b2, "code"))) {
				snprintf(f, sizeof f, "benefits[%zu].code", i);
				rc = err_field(&r->err, f, "待遇代码重复");
			}
	}
	return rc;
}

int ma_h_plan_create(struct req *r)
{
	struct ctx *x = &r->x;
	struct org org;
	int rc = org_in_scope(x, body_int(r, "org_id", 0), &org, &r->err);
	if (rc)
		return rc;
	if ((rc = check_plan(r)))
		return rc;
	json_t *age = json_object_get(r->in, "age_max");
	char *ben = json_dumps(json_object_get(r->in, "benefits"), JSON_COMPACT);
	int64_t id = 0;
	const char *code = body_str(r, "code");
	rc = db_insert(x->db, &r->err, &id,
		       "INSERT INTO ma_plans (org_id, code, name, kind, year, premium_fen, enrol_from, enrol_to,"
		       " cover_from, cover_to, annual_cap_fen, women_only, age_max, benefits, deadline_workdays,"
		       " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       "isssiissssiizsizs", org.id, code, body_str(r, "name"), body_str(r, "kind"),
		       body_int(r, "year", 0), body_int(r, "premium_fen", 0), body_str(r, "enrol_from"),
		       body_str(r, "enrol_to"), body_str(r, "cover_from"), body_str(r, "cover_to"),
		       body_int(r, "annual_cap_fen", 0), (int64_t)body_bool(r, "women_only", 0),
		       json_is_integer(age) ? (int64_t)json_integer_value(age) : 0, ben,
		       body_int(r, "deadline_workdays", 10), x->who.id, x->now_s);
	free(ben);
	if (rc && db_last_fail(x->db) == DBF_UNIQUE) {
		err_clear(&r->err);
		return err_set(&r->err, E_CONFLICT, "本单位已有代码为“%s”的互助保障计划", code);
	}
	if (!rc)
		rc = audit_add(x, "create", "mutual_aid_plan", id, org.id, &r->err, "新建互助保障计划“%s”（%s，%lld 年）",
			       body_str(r, "name"), code, (long long)body_int(r, "year", 0));
	if (rc)
		return rc;
	json_t *o = ma_plan_json(x, id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

int ma_h_plan_get(struct req *r)
{
	json_t *o = ma_plan_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

/* GET /mutual-aid/plans?year=&kind=&enrol_open=true */
int ma_h_plan_list(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t limit, offset, year;
	int rc = req_paging(r, &limit, &offset);
	if (!rc)
		rc = req_query_int(r, "year", 0, 0, 2100, &year);
	if (rc)
		return rc;
	struct db_args a = {0};
	char where[512] = "FROM ma_plans p JOIN orgs o ON o.id = p.org_id WHERE " PLAN_SEEN;
	db_arg_str(&a, ctx_scope_like(x));
	db_arg_str(&a, x->who.org_path);
	if (year) {
		strcat(where, " AND p.year = ?");
		db_arg_int(&a, year);
	}
	const char *kind = req_query(r, "kind"), *open = req_query(r, "enrol_open");
	if (kind) {
		strcat(where, " AND p.kind = ?");
		db_arg_str(&a, kind);
	}
	if (open && !strcmp(open, "true")) {
		strcat(where, " AND p.enrol_from <= ? AND p.enrol_to >= ?");
		db_arg_str(&a, x->today_s);
		db_arg_str(&a, x->today_s);
	}
	json_t *items = NULL;
	int64_t total = 0;
	if ((rc = db_page(x->db, &r->err, PLAN_COLS, where, "p.year DESC, p.id DESC", &a, limit, offset, &items,
			  &total)))
		return rc;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		decorate(it, x->today_s);
	return req_reply_list(r, items, total);
}
