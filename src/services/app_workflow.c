/* app_workflow.c — the application workflow driven by rules/app_flow.c:
 * 查验 (documents), 批准 (tier, separation of duties, amount), 发放 (funds,
 * in the same transaction), 签收, 办结, 驳回, 撤回. */
#include <inttypes.h>
#include <string.h>

#include "rules/app_flow.h"
#include "rules/eligibility.h"
#include "services/applications.h"
#include "services/audit.h"
#include "services/emergency.h"
#include "services/funds.h"

#define FEN_MAX 100000000000LL

const struct field app_transition_body[] = {
	{"action", F_STR, F_REQ, 1, 20, "操作"},
	{"comment", F_STR, 0, 0, 2000, "意见"},
	{"approved_fen", F_INT, 0, 0, FEN_MAX, "批准金额（分）"},
	{"account_id", F_INT, 0, 1, 0, "支出账户"},
	{"signed_by", F_STR, 0, 0, 50, "签收人"},
	{"signed_on", F_DATE, 0, 0, 0, "签收日期"},
	{"report", F_STR, 0, 0, 4000, "办结报告"},
	FIELDS_END,
};

static const char *str(json_t *b, const char *k)
{
	const char *s = json_string_value(json_object_get(b, k));
	return s && *s ? s : NULL;
}

/* The approver's tier: city units approve any amount, districts up to the
 * district tier, streets the street tier; grassroots units none. */
static int actor_tier(const struct actor *w)
{
	switch (w->org_level) {
	case LEVEL_CITY: return TIER_CITY;
	case LEVEL_DISTRICT: return TIER_DISTRICT;
	case LEVEL_STREET: return TIER_STREET;
	default: return -1;
	}
}

int application_transition(struct ctx *x, int64_t id, json_t *b, int *denied, struct err *e)
{
	*denied = 0;
	json_t *o = application_json(x, id, e);
	if (!o)
		return -(int)e->code;
	int rc = 0;
	enum app_action act = AA_VERIFY;
	const char *action = str(b, "action"), *comment = str(b, "comment");
	const struct app_step *step = app_step_find(action, &act);
	enum app_status st = app_status_parse(json_string_value(json_object_get(o, "status")));
	int64_t org = json_integer_value(json_object_get(o, "org_id"));
	int64_t version = json_integer_value(json_object_get(o, "version"));
	int64_t approved = json_integer_value(json_object_get(o, "approved_fen"));
	json_t *prog = json_object_get(o, "program");
	const char *required = json_string_value(json_object_get(o, "required_level"));
	const char *set = NULL; /* extra SET clause of this step */
	struct db_args a = {0};

	if (!step) {
		rc = err_set(e, E_INVALID_TRANSITION, "未知的操作：%s", action ? action : "");
		goto out;
	}
	if (!perm_allows(x->who.role, step->perm)) {
		*denied = 1;
		rc = err_set(e, E_FORBIDDEN, "“%s”角色不能执行“%s”", role_label(x->who.role), step->label);
		goto out;
	}
	if (!app_step_allowed(step, st)) {
		rc = err_set(e, E_INVALID_TRANSITION, "申请处于“%s”状态，不能执行“%s”", app_status_label(st),
			     step->label);
		goto out;
	}
	if ((step->flags & AF_COMMENT) && !comment) {
		rc = err_field(e, "comment", "请填写%s意见", step->label);
		goto out;
	}
	if ((step->flags & AF_DOCUMENTS) && json_array_size(json_object_get(o, "missing_documents"))) {
		/* RULE aid.documents (有查验) */
		rc = err_missing_documents(e, "申请材料不全，不能通过查验", json_object_get(o, "missing_documents"));
		json_object_set_new(e->details, "fields", json_pack("{s:s}", "documents", "申请材料不全"));
		goto out;
	}
	if ((step->flags & AF_NOT_SUBMITTER) &&
	    json_integer_value(json_object_get(o, "submitted_by")) == x->who.id && x->who.id) {
		*denied = 1;
		rc = err_set(e, E_SEPARATION_OF_DUTIES, "不能批准本人提交的申请");
		goto out;
	}
	if (act == AA_APPROVE) {
		struct tiers t;
		const char *why;
		int64_t max = json_integer_value(json_object_get(prog, "max_fen"));
		int64_t std = json_integer_value(json_object_get(prog, "standard_fen"));
		int64_t amount = json_object_get(b, "approved_fen")
					 ? json_integer_value(json_object_get(b, "approved_fen"))
					 : json_integer_value(json_object_get(o, "requested_fen"));
		tiers_parse(json_object_get(prog, "tiers"), &t, &why);
		int need = tiers_required(&t, amount);
		if (tier_parse(required) > need)
			need = tier_parse(required);
		/* RULE aid.tiers: 较大困难由市、区两级共同帮扶 */
		if (actor_tier(&x->who) < need) {
			*denied = 1;
			rc = err_set(e, E_FORBIDDEN, "该金额须由%s级审批人批准", tier_label(need));
			goto out;
		}
		if (amount > max) {
			rc = err_field(e, "approved_fen", "批准金额超过本项目最高金额（%" PRId64 " 分）", max);
			goto out;
		}
		if (amount > std && !comment && !str(o, "reason")) {
			rc = err_field(e, "comment", "批准金额高于标准金额，须说明理由");
			goto out;
		}
		approved = amount;
		set = ", approved_fen = ?, approved_by = ?, required_level = ?";
		db_arg_int(&a, amount);
		db_arg_int(&a, x->who.id);
		db_arg_str(&a, tier_name(need));
	} else if (act == AA_RECEIPT) {
		const char *by = str(b, "signed_by"), *on = str(b, "signed_on");
		if (!by)
			rc = err_field(e, "signed_by", "请填写签收人");
		if (!on)
			rc = err_field(e, "signed_on", "请填写签收日期");
		else if (strcmp(on, x->today_s) > 0)
			rc = err_field(e, "signed_on", "签收日期不能晚于今天");
		if (rc)
			goto out;
		set = ", signed_by = ?, signed_on = ?";
		db_arg_str(&a, by);
		db_arg_str(&a, on);
	} else if (act == AA_CLOSE) {
		if (!str(b, "report")) {
			rc = err_field(e, "report", "请填写办结报告");
			goto out;
		}
		set = ", report = ?, closed_at = ?";
		db_arg_str(&a, str(b, "report"));
		db_arg_str(&a, x->now_s);
	} else if (act == AA_DISBURSE) {
		if (!json_object_get(b, "account_id")) {
			rc = err_field(e, "account_id", "请选择支出账户");
			goto out;
		}
		set = ", account_id = ?, disbursed_fen = ?, disbursed_at = ?";
		db_arg_int(&a, json_integer_value(json_object_get(b, "account_id")));
		db_arg_int(&a, approved);
		db_arg_str(&a, x->now_s);
	}
	/* status first, guarded: a second concurrent disbursement finds no row */
	rc = db_move_status(x->db, e, "applications", id, app_status_name(st), version,
			    app_status_name(step->to), x->now_s, set, &a);
	if (rc == DB_DONE) {
		rc = err_set(e, E_CONFLICT, "申请已被他人同时处理，请刷新后重试");
		goto out;
	}
	if (rc < 0)
		goto out;
	rc = 0;
	if (act == AA_DISBURSE) {
		int64_t acct = json_integer_value(json_object_get(b, "account_id"));
		if ((rc = fund_account_in_scope(x, acct, NULL, e)))
			goto out;
		if (approved > 0 && (rc = fund_move(x, acct, -approved, "disbursement", id, 0,
						     json_string_value(json_object_get(o, "household_name")), NULL, e)))
			goto out;
		struct db_args one = {0};
		db_arg_int(&one, id);
		if ((rc = aid_monthly_add(x, " FROM applications a WHERE a.id = ?", &one, e)) ||
		    (rc = emergency_disbursed(x, id, e))) /* RULE emergency.follow_up */
			goto out;
		/* RULE counts.kept: a campaign's paid applications */
		if ((rc = db_run(x->db, e,
				 "UPDATE campaigns SET disbursed_n = disbursed_n + 1 WHERE id ="
				 " (SELECT campaign_id FROM applications WHERE id = ?)", "i", id)))
			goto out;
	}
	if ((rc = application_event(x, id, step->name, app_status_name(st), app_status_name(step->to),
				    comment, e)))
		goto out;
	rc = audit_add(x, step->name, "application", id, org, e, "申请 %" PRId64 "（%s）：%s（%s → %s）", id,
		       json_string_value(json_object_get(o, "household_name")), step->label,
		       app_status_label(st), app_status_label(step->to));
out:
	json_decref(o);
	return rc;
}

int applications_h_transition(struct req *r)
{
	int denied = 0;
	int rc = application_transition(&r->x, r->id, r->in, &denied, &r->err);
	if (rc && denied)
		return req_deny(r, r->err.code, r->err.msg);
	if (rc)
		return rc;
	json_t *o = application_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -E_DB;
}
