/* case_workflow.c — the case actions driven by rules/case_flow.c: 分派 (to a
 * staff user of the case's subtree), 开始办理, 办结 (result; money recovered
 * for wage arrears), 结案, 转办 (to another unit or agency).  Optimistic:
 * the UPDATE is guarded by the status and version read, so of two staff
 * acting on the same state one wins and the other gets 409. */
#include <inttypes.h>
#include <string.h>

#include "rules/case_flow.h"
#include "services/audit.h"
#include "services/cases.h"

#define FEN_MAX 100000000000LL

const struct field case_action_body[] = {
	{"action", F_STR, F_REQ, 1, 20, "操作"},
	{"version", F_INT, 0, 1, 0, "版本"},
	{"comment", F_STR, 0, 0, 2000, "说明"},
	{"assigned_to", F_INT, 0, 1, 0, "承办人"},
	{"result", F_STR, 0, 0, 4000, "办理结果"},
	{"recovered_fen", F_INT, 0, 0, FEN_MAX, "追回金额（分）"},
	{"referred_to", F_STR, 0, 0, 100, "转办单位"},
	FIELDS_END,
};

static const char *str(json_t *b, const char *k)
{
	const char *s = json_string_value(json_object_get(b, k));
	return s && *s ? s : NULL;
}

/* RULE cases.assignee: an unlocked staff user whose unit lies in the
 * subtree of the case's unit. */
static int check_assignee(struct ctx *x, int64_t uid, int64_t case_org, const char **name, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT u.name FROM users u JOIN orgs o ON o.id = u.org_id"
				 " JOIN orgs c ON c.id = ? WHERE u.id = ? AND u.role = 'staff' AND u.locked = 0"
				 " AND o.path LIKE c.path || '%'",
				 "ii", case_org, uid);
	if (!s)
		return -E_DB;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		*name = arena_strdup(x->a, db_col_text(s, 0));
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_field(e, "assigned_to", "承办人应为本单位或下级单位的经办人");
	}
	db_finalize(s);
	return rc;
}

/* The fields each step takes; anything else in the body is a 422. */
static int check_fields(const struct case_step *step, json_t *b, const char *category, struct err *e)
{
	int rc = 0;
	if ((step->flags & CF_ASSIGNEE) && !json_object_get(b, "assigned_to"))
		rc = err_field(e, "assigned_to", "请选择承办人");
	if (!(step->flags & CF_ASSIGNEE) && json_object_get(b, "assigned_to"))
		rc = err_field(e, "assigned_to", "只有“分派”可以指定承办人");
	if ((step->flags & CF_RESULT) && !str(b, "result"))
		rc = err_field(e, "result", "请填写办理结果");
	if (!(step->flags & CF_RESULT) && json_object_get(b, "result"))
		rc = err_field(e, "result", "只有“办结”填写办理结果");
	/* RULE cases.recovered */
	if (json_object_get(b, "recovered_fen") &&
	    (!(step->flags & CF_RESULT) || strcmp(category, "wage_arrears")))
		rc = err_field(e, "recovered_fen", "只有欠薪个案在办结时填写追回金额");
	if ((step->flags & CF_REFERRAL) && !str(b, "referred_to"))
		rc = err_field(e, "referred_to", "请填写转办单位");
	if (!(step->flags & CF_REFERRAL) && json_object_get(b, "referred_to"))
		rc = err_field(e, "referred_to", "只有“转办”填写转办单位");
	return rc;
}

int case_act(struct ctx *x, int64_t id, json_t *b, int *denied, struct err *e)
{
	*denied = 0;
	json_t *o = case_json(x, id, 0, e);
	if (!o)
		return -(int)e->code;
	int rc = 0;
	const char *action = str(b, "action"), *comment = str(b, "comment"), *who = NULL;
	const struct case_step *step = case_step_find(action, NULL);
	int st = case_status_parse(json_string_value(json_object_get(o, "status")));
	int64_t org = json_integer_value(json_object_get(o, "org_id"));
	int64_t version = json_integer_value(json_object_get(o, "version"));
	const char *category = json_string_value(json_object_get(o, "category"));
	struct db_args a = {0};
	const char *set = NULL;

	if (!step) {
		rc = err_set(e, E_INVALID_TRANSITION, "未知的操作：%s", action ? action : "");
		goto out;
	}
	if (!perm_allows(x->who.role, step->perm)) {
		*denied = 1;
		rc = err_set(e, E_FORBIDDEN, "“%s”角色不能执行“%s”", role_label(x->who.role), step->label);
		goto out;
	}
	if (json_object_get(b, "version") && json_integer_value(json_object_get(b, "version")) != version) {
		rc = err_set(e, E_CONFLICT, "个案已被他人修改，请刷新后重试");
		goto out;
	}
	if (!case_step_allowed(step, st)) {
		rc = err_set(e, E_INVALID_TRANSITION, "个案处于“%s”状态，不能执行“%s”", case_status_label(st),
			     step->label);
		goto out;
	}
	if ((rc = check_fields(step, b, category, e)))
		goto out;
	if (step->flags & CF_ASSIGNEE) {
		int64_t uid = json_integer_value(json_object_get(b, "assigned_to"));
		if ((rc = check_assignee(x, uid, org, &who, e)))
			goto out;
		set = ", assigned_to = ?";
		db_arg_int(&a, uid);
	} else if (step->flags & CF_RESULT) {
		set = ", result = ?, recovered_fen = ?, finished_at = ?";
		db_arg_str(&a, str(b, "result"));
		db_arg_int(&a, json_integer_value(json_object_get(b, "recovered_fen")));
		db_arg_str(&a, x->now_s);
	} else if (step->flags & CF_REFERRAL) {
		set = ", referred_to = ?, finished_at = ?";
		db_arg_str(&a, str(b, "referred_to"));
		db_arg_str(&a, x->now_s);
	} else if (step->to == CS_CLOSED) {
		set = ", closed_at = ?";
		db_arg_str(&a, x->now_s);
	}
	rc = db_move_status(x->db, e, "cases", id, case_status_name(st), version,
			    case_status_name(step->to), x->now_s, set, &a);
	if (rc == DB_DONE) {
		rc = err_set(e, E_CONFLICT, "个案已被他人同时处理，请刷新后重试");
		goto out;
	}
	if (rc < 0)
		goto out;
	const char *note = step->flags & CF_RESULT     ? str(b, "result")
			   : step->flags & CF_REFERRAL ? str(b, "referred_to")
			   : who                       ? who
						       : NULL;
	const char *trail = comment && note ? arena_printf(x->a, "%s；%s", note, comment) : comment ? comment : note;
	if ((rc = case_event(x, id, step->name, case_status_name(st), case_status_name(step->to), trail, e)))
		goto out;
	rc = audit_add(x, step->name, "case", id, org, e, "个案 %" PRId64 "（%s）：%s（%s → %s）%s%s", id,
		       json_string_value(json_object_get(o, "person_name")), step->label, case_status_label(st),
		       case_status_label(step->to), note ? "：" : "", note ? note : "");
out:
	json_decref(o);
	return rc;
}

int cases_h_action(struct req *r)
{
	int denied = 0;
	int rc = case_act(&r->x, r->id, r->in, &denied, &r->err);
	if (rc && denied)
		return req_deny(r, r->err.code, r->err.msg);
	if (rc)
		return rc;
	json_t *o = case_json(&r->x, r->id, 1, &r->err);
	return o ? req_reply(r, 200, o) : -E_DB;
}
