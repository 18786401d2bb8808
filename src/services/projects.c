/* projects.c — unit pairings (县区结对) and projects with a budget
 * (一县一项目), each funding a fund transfer linked to the project. */
#include "services/outreach.h"

#include <inttypes.h>
#include <string.h>

#include "rules/money.h"
#include "rules/outreach.h"
#include "services/audit.h"
#include "services/funds.h"
#include "services/orgs.h"

#define FEN_MAX 100000000000LL

const struct field org_pairing_body[] = {
	{"helper_org_id", F_INT, F_REQ, 1, 0, "帮扶单位"},
	{"helped_org_id", F_INT, F_REQ, 1, 0, "受援单位"},
	{"from", F_DATE, F_REQ, 0, 0, "开始日期"},
	{"to", F_DATE, F_NULL, 0, 0, "结束日期"},
	{"note", F_STR, 0, 0, 1000, "备注"},
	FIELDS_END,
};
const struct field project_body[] = {
	{"org_id", F_INT, F_REQ, 1, 0, "项目单位"},
	{"name", F_STR, F_REQ, 1, 100, "项目名称"},
	{"year", F_INT, F_REQ, 2000, 2100, "年度"},
	{"budget_fen", F_INT, F_REQ, 1, FEN_MAX, "预算（分）"},
	{"description", F_STR, 0, 0, 2000, "项目内容"},
	FIELDS_END,
};
const struct field project_patch[] = {
	{"status", F_STR, 0, 1, 20, "状态"},
	{"outcome", F_STR, 0, 0, 2000, "成效"},
	FIELDS_END,
};
const struct field project_funding_body[] = {
	{"from_account_id", F_INT, F_REQ, 1, 0, "拨出账户"},
	{"to_account_id", F_INT, F_REQ, 1, 0, "拨入账户"},
	{"amount_fen", F_INT, F_REQ, 1, FEN_MAX, "金额（分）"},
	{"note", F_STR, 0, 0, 500, "摘要"},
	FIELDS_END,
};

#define PAIRING_COLS                                                                               \
	"p.id, p.helper_org_id, hp.name AS helper_org_name, p.helped_org_id, hd.name AS helped_org_name," \
	" p.org_id, p.from_date AS \"from\", p.to_date AS \"to\", p.note, p.created_at"
#define PAIRING_FROM                                                                               \
	" FROM org_pairings p JOIN orgs hp ON hp.id = p.helper_org_id JOIN orgs hd ON hd.id = p.helped_org_id"

/* POST /org-pairings — RULE pairing.above: both units in the caller's
 * scope (404) and the caller's own unit above both (403). */
int pairings_h_create(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t helper = body_int(r, "helper_org_id", 0), helped = body_int(r, "helped_org_id", 0), id = 0;
	int rc = org_in_scope(x, helper, NULL, &r->err);
	if (!rc)
		rc = org_in_scope(x, helped, NULL, &r->err);
	if (rc)
		return rc;
	if (helper == x->who.org_id || helped == x->who.org_id)
		return err_set(&r->err, E_FORBIDDEN, "结对须由两个单位共同的上级单位的管理员登记");
	if (helper == helped)
		return err_field(&r->err, "helped_org_id", "受援单位不能与帮扶单位相同");
	const char *from = body_str(r, "from"), *to = body_str(r, "to");
	if (to && strcmp(to, from) < 0)
		return err_field(&r->err, "to", "结束日期不能早于开始日期");
	if ((rc = db_insert(x->db, &r->err, &id,
			    "INSERT INTO org_pairings (helper_org_id, helped_org_id, org_id, from_date, to_date, note,"
			    " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			    "iiisssz" "s", helper, helped, x->who.org_id, from, to, body_str(r, "note"), x->who.id,
			    x->now_s)) ||
	    (rc = audit_add(x, "create", "org_pairing", id, x->who.org_id, &r->err, "登记结对：单位 %" PRId64
			    " 帮扶单位 %" PRId64, helper, helped)))
		return rc;
	struct db_stmt *s = db_q(x->db, &r->err, "SELECT " PAIRING_COLS PAIRING_FROM " WHERE p.id = ?", "i", id);
	json_t *items = s ? db_rows_json(s, &r->err) : NULL;
	db_finalize(s);
	json_t *o = json_array_get(items, 0);
	if (!o) {
		json_decref(items);
		return -E_DB;
	}
	json_incref(o);
	json_decref(items);
	return req_reply(r, 201, o);
}

/* GET /org-pairings — those with either unit in the caller's scope. */
int pairings_h_list(struct req *r)
{
	int64_t limit, offset, total = 0;
	int rc = req_paging(r, &limit, &offset);
	if (rc)
		return rc;
	struct db_args a = {0};
	const char *like = ctx_scope_like(&r->x);
	db_arg_str(&a, like);
	db_arg_str(&a, like);
	json_t *items = NULL;
	if ((rc = db_page(r->x.db, &r->err, PAIRING_COLS, PAIRING_FROM " WHERE hp.path LIKE ? OR hd.path LIKE ?",
			  "p.from_date DESC, p.id DESC", &a, limit, offset, &items, &total)))
		return rc;
	return req_reply_list(r, items, total);
}

#define PROJECT_COLS                                                                               \
	"p.id, p.org_id, o.name AS org_name, p.name, p.year, p.budget_fen, p.funded_fen, p.description," \
	" p.status, p.outcome, p.created_at, p.updated_at"

static json_t *project_json(struct ctx *x, int64_t id, struct err *e)
{
	json_t *o = db_one_json(x->db, e,
				"SELECT " PROJECT_COLS " FROM projects p JOIN orgs o ON o.id = p.org_id WHERE p.id = ?", id);
	if (!o)
		return NULL;
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT f.id, f.transfer_id, t.from_account_id, t.to_account_id, f.amount_fen, t.note,"
				 " f.created_at FROM project_fundings f JOIN fund_transfers t ON t.id = f.transfer_id"
				 " WHERE f.project_id = ? ORDER BY f.id",
				 "i", id);
	json_t *f = s ? db_rows_json(s, e) : NULL;
	db_finalize(s);
	if (!f) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "fundings", f);
	return o;
}

int projects_scope(struct req *r)
{
	return record_in_scope(&r->x, "projects", r->id, "项目不存在", &r->err);
}

/* POST /projects → 201 {"status":"planned",...} */
int projects_h_create(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t org = body_int(r, "org_id", 0), id = 0;
	int rc = org_in_scope(x, org, NULL, &r->err);
	if (rc)
		return rc;
	char yuan[32];
	money_format_fen(body_int(r, "budget_fen", 0), yuan);
	if ((rc = db_insert(x->db, &r->err, &id,
			    "INSERT INTO projects (org_id, name, year, budget_fen, description, created_by, created_at,"
			    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			    "isiisz" "ss", org, body_str(r, "name"), body_int(r, "year", 0), body_int(r, "budget_fen", 0),
			    body_str(r, "description"), x->who.id, x->now_s, x->now_s)) ||
	    (rc = audit_add(x, "create", "project", id, org, &r->err, "立项“%s”，预算 %s 元", body_str(r, "name"),
			    yuan)))
		return rc;
	json_t *o = project_json(x, id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

/* GET /projects?year=&org_id= — with funded_fen, by year and unit. */
int projects_h_list(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t limit, offset, org, year, total = 0;
	int rc = req_paging(r, &limit, &offset);
	if (!rc)
		rc = req_query_int(r, "org_id", x->who.org_id, 1, INT64_MAX, &org);
	if (!rc)
		rc = req_query_int(r, "year", 0, 2000, 2100, &year);
	struct org root;
	if (!rc)
		rc = org_in_scope(x, org, &root, &r->err);
	if (rc)
		return rc;
	struct db_args a = {0};
	db_arg_str(&a, arena_printf(x->a, "%s%%", root.path));
	const char *from = "FROM projects p JOIN orgs o ON o.id = p.org_id WHERE o.path LIKE ?";
	if (year) {
		from = "FROM projects p JOIN orgs o ON o.id = p.org_id WHERE o.path LIKE ? AND p.year = ?";
		db_arg_int(&a, year);
	}
	json_t *items = NULL;
	if ((rc = db_page(x->db, &r->err, PROJECT_COLS, from, "p.year DESC, o.path, p.id", &a, limit, offset, &items,
			  &total)))
		return rc;
	return req_reply_list(r, items, total);
}

int projects_h_get(struct req *r)
{
	json_t *o = project_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

/* PATCH /projects/{id} {"status":"running|done","outcome"} — RULE
 * project.flow (409 invalid_transition for a step not in the table). */
int projects_h_update(struct req *r)
{
	struct ctx *x = &r->x;
	const char *to = body_str(r, "status"), *outcome = body_str(r, "outcome");
	if (to && strcmp(to, "running") && strcmp(to, "done"))
		return err_field(&r->err, "status", "状态应为 running 或 done");
	if (!to && !body_has(r, "outcome"))
		return err_field(&r->err, "status", "请填写状态或成效");
	struct db_stmt *s = db_q(x->db, &r->err, "SELECT status, version, org_id FROM projects WHERE id = ?", "i",
				 r->id);
	if (!s || db_step(s, &r->err) != DB_ROW) {
		db_finalize(s);
		return -E_DB;
	}
	const char *from = arena_strdup(x->a, db_col_text(s, 0));
	int64_t version = db_col_int(s, 1), org = db_col_int(s, 2);
	db_finalize(s);
	int rc;
	if (to && strcmp(to, from)) {
		if (!project_step_allowed(from, to))
			return err_set(&r->err, E_INVALID_TRANSITION, "项目状态不能从“%s”改为“%s”", from, to);
		struct db_args a = {0};
		db_arg_str(&a, outcome);
		rc = db_move_status(x->db, &r->err, "projects", r->id, from, version, to, x->now_s,
				    outcome ? ", outcome = ?" : NULL, outcome ? &a : NULL);
		if (rc == 0)
			return err_set(&r->err, E_CONFLICT, "项目已被他人修改，请刷新后重试");
		if (rc < 0)
			return rc;
	} else if ((rc = db_run(x->db, &r->err,
				"UPDATE projects SET outcome = ?, version = version + 1, updated_at = ? WHERE id = ?",
				"ssi", outcome, x->now_s, r->id))) {
		return rc;
	}
	if ((rc = audit_add(x, "update", "project", r->id, org, &r->err, "项目状态 %s → %s", from, to ? to : from)))
		return rc;
	json_t *o = project_json(x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -E_DB;
}

/* POST /projects/{id}/fundings — RULE project.budget: a fund transfer
 * (RULE funds.transfer_down) into an account of the project's unit or a
 * unit below it; the fundings never pass the budget (422, nothing moved). */
int projects_h_funding(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t from = body_int(r, "from_account_id", 0), to = body_int(r, "to_account_id", 0);
	int64_t amount = body_int(r, "amount_fen", 0), to_org = 0, tid = 0, fid = 0, org = 0, status_ok = 0;
	int rc = fund_account_in_scope(x, from, NULL, &r->err);
	if (!rc)
		rc = fund_account_in_scope(x, to, &to_org, &r->err);
	if (!rc)
		rc = db_int(x->db, &r->err, &status_ok, NULL,
			    "SELECT COUNT(*) FROM projects p JOIN orgs po ON po.id = p.org_id JOIN orgs t ON t.id = ?"
			    " WHERE p.id = ? AND t.path LIKE po.path || '%'",
			    "ii", to_org, r->id);
	if (rc)
		return rc;
	if (!status_ok)
		return err_field(&r->err, "to_account_id", "拨入账户须属于项目单位或其下级单位");
	int64_t left = 0;
	if ((rc = db_int(x->db, &r->err, &org, NULL,
			 "UPDATE projects SET funded_fen = funded_fen + ?, updated_at = ? WHERE id = ?"
			 " AND status <> 'done' AND funded_fen + ? <= budget_fen RETURNING org_id",
			 "isii", amount, x->now_s, r->id, amount)))
		return rc;
	if (!org) {
		struct db_stmt *s = db_q(x->db, &r->err, "SELECT budget_fen - funded_fen, status FROM projects WHERE id = ?",
					 "i", r->id);
		int done = 0;
		if (s && db_step(s, &r->err) == DB_ROW) {
			left = db_col_int(s, 0);
			done = !strcmp(db_col_text(s, 1), "done");
		}
		db_finalize(s);
		if (done)
			return err_set(&r->err, E_INVALID_TRANSITION, "项目已完成，不能再拨款");
		char yuan[32];
		money_format_fen(left, yuan);
		return err_field(&r->err, "amount_fen", "拨款合计将超过项目预算，最多还可拨 %s 元", yuan);
	}
	const char *note = body_str(r, "note");
	char yuan[32];
	money_format_fen(amount, yuan);
	if ((rc = fund_transfer(x, from, to, amount, note && *note ? note : "项目拨款", &tid, &r->err)) ||
	    (rc = db_insert(x->db, &r->err, &fid,
			    "INSERT INTO project_fundings (project_id, transfer_id, amount_fen, created_by, created_at)"
			    " VALUES (?, ?, ?, ?, ?)",
			    "iiiz" "s", r->id, tid, amount, x->who.id, x->now_s)) ||
	    (rc = audit_add(x, "funding", "project", r->id, org, &r->err, "项目拨款 %s 元（划拨 %" PRId64 "）", yuan,
			    tid)))
		return rc;
	json_t *o = project_json(x, r->id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}
