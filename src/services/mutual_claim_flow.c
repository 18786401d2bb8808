/* mutual_claim_flow.c — the claim workflow driven by rules/claim_flow.c:
 * 审核 (the hospital's papers), 审批 (tier, separation of duties, amount
 * within the claim and the cap left), 支付 (a fund account, one ledger row,
 * in the same transaction), 驳回.  Every step writes the trail and the
 * audit log. */
#include <inttypes.h>
#include <string.h>

#include "rules/claim_flow.h"
#include "rules/eligibility.h"
#include "services/audit.h"
#include "services/funds.h"
#include "services/mutual_aid.h"

/* RULE claim.papers: verify needs a scan of the claim itself (the
 * hospital's 病情证明, invoices, discharge summary: attachments with
 * owner_type "claim"); without one the step answers 422 with
 * details.missing_documents ["医院证明材料"]. */
json_t *ma_claim_missing_papers(struct ctx *x, int64_t claim_id, struct err *e)
{
	int64_t n = 0;
	if (db_int(x->db, e, &n, NULL,
		   "SELECT COUNT(*) FROM attachments WHERE owner_type = 'claim' AND owner_id = ? AND deleted_at IS NULL"
		   " AND purged_at IS NULL",
		   "i", claim_id))
		return NULL;
	return n ? json_array() : json_pack("[s]", "医院证明材料");
}

static const char *str(json_t *b, const char *k)
{
	const char *s = json_string_value(json_object_get(b, k));
	return s && *s ? s : NULL;
}

/* The tier an approver's unit reaches: a city centre any amount, a
 * district the district tier, a street the street tier, a grassroots
 * union none. */
static const int level_tier[LEVEL__MAX] = {
	[LEVEL_CITY] = TIER_CITY, [LEVEL_DISTRICT] = TIER_DISTRICT, [LEVEL_STREET] = TIER_STREET,
	[LEVEL_GRASSROOTS] = -1,
};

int ma_claim_transition(struct ctx *x, int64_t id, json_t *b, int *denied, struct err *e)
{
	*denied = 0;
	json_t *o = ma_claim_json(x, id, e);
	if (!o)
		return -(int)e->code;
	int rc = 0;
	enum claim_action act = CA_VERIFY;
	const char *action = str(b, "action"), *comment = str(b, "comment");
	const struct claim_step *step = claim_step_find(action, &act);
	enum claim_status st = claim_status_parse(json_string_value(json_object_get(o, "status")));
	int64_t org = json_integer_value(json_object_get(o, "org_id"));
	int64_t version = json_integer_value(json_object_get(o, "version"));
	int64_t claimed = json_integer_value(json_object_get(o, "claimed_fen"));
	int64_t approved = json_integer_value(json_object_get(o, "approved_fen"));
	int64_t enrolment = json_integer_value(json_object_get(o, "enrolment_id"));
	int64_t plan = json_integer_value(json_object_get(o, "plan_id"));
	int64_t acct = json_integer_value(json_object_get(b, "account_id"));
	const char *set = NULL;
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
	if (!claim_step_allowed(step, st)) {
		rc = err_set(e, E_INVALID_TRANSITION, "理赔处于“%s”状态，不能执行“%s”", claim_status_label(st),
			     step->label);
		goto out;
	}
	if ((step->flags & CF_COMMENT) && !comment) {
		rc = err_field(e, "comment", "请填写%s意见", step->label);
		goto out;
	}
	if ((step->flags & CF_PAPERS) && json_array_size(json_object_get(o, "missing_documents"))) {
		rc = err_missing_documents(e, "医院证明材料不全，不能通过审核", json_object_get(o, "missing_documents"));
		goto out;
	}
	if ((step->flags & CF_NOT_SUBMITTER) && x->who.id &&
	    json_integer_value(json_object_get(o, "submitted_by")) == x->who.id) {
		*denied = 1;
		rc = err_set(e, E_SEPARATION_OF_DUTIES, "不能审批本人提交的理赔申请");
		goto out;
	}
	if (act == CA_APPROVE) {
		int64_t amount = json_object_get(b, "approved_fen") ? json_integer_value(json_object_get(b, "approved_fen"))
								    : claimed;
		enum tier_level need = claim_tier_required(amount);
		/* RULE ma.tier */
		if ((unsigned)x->who.org_level >= LEVEL__MAX || level_tier[x->who.org_level] < (int)need) {
			*denied = 1;
			rc = err_set(e, E_FORBIDDEN, "该金额须由%s级审批人审批", tier_label(need));
			goto out;
		}
		if (amount > claimed) {
			rc = err_field(e, "approved_fen", "核定金额不能超过申请金额（%" PRId64 " 分）", claimed);
			goto out;
		}
		approved = amount;
		set = ", approved_fen = ?, approved_by = ?, required_level = ?";
		db_arg_int(&a, amount);
		db_arg_int(&a, x->who.id);
		db_arg_str(&a, tier_name(need));
	} else if (act == CA_PAY) {
		if (!acct) {
			rc = err_field(e, "account_id", "请选择支出账户");
			goto out;
		}
		if ((rc = fund_account_in_scope(x, acct, NULL, e)))
			goto out;
		set = ", account_id = ?, paid_fen = ?, paid_at = ?";
		db_arg_int(&a, acct);
		db_arg_int(&a, approved);
		db_arg_str(&a, x->now_s);
	}
	/* status first, guarded: of two approvals at once one finds no row */
	rc = db_move_status(x->db, e, "ma_claims", id, claim_status_name(st), version, claim_status_name(step->to),
			    x->now_s, set, &a);
	if (rc == DB_DONE) {
		rc = err_set(e, E_CONFLICT, "理赔申请已被他人同时处理，请刷新后重试");
		goto out;
	}
	if (rc < 0)
		goto out;
	rc = 0;
	if (act == CA_APPROVE) {
		/* RULE ma.cap: the cap left checked in the UPDATE that spends it */
		int found = 0;
		int64_t now_used = 0;
		if ((rc = db_int(x->db, e, &now_used, &found,
				 "UPDATE ma_enrolments SET approved_fen = approved_fen + ? WHERE id = ? AND approved_fen + ?"
				 " <= (SELECT annual_cap_fen FROM ma_plans WHERE id = ?) RETURNING approved_fen",
				 "iiii", approved, enrolment, approved, plan)))
			goto out;
		if (!found) {
			rc = err_set(e, E_NOT_ELIGIBLE, "核定金额超过本人年度给付剩余额度（%" JSON_INTEGER_FORMAT " 分）",
				     json_integer_value(json_object_get(o, "cap_left_fen")));
			err_detail_push(e, "reasons", e->msg);
			goto out;
		}
	} else if (act == CA_PAY && approved > 0) {
		char note[200];
		snprintf(note, sizeof note, "互助保障理赔：%s（%s）", json_string_value(json_object_get(o, "name")),
			 json_string_value(json_object_get(o, "plan_name")));
		int64_t ledger = 0;
		if ((rc = fund_move(x, acct, -approved, "disbursement", 0, 0, note, NULL, e)) ||
		    (rc = db_int(x->db, e, &ledger, NULL, "SELECT MAX(id) FROM ledger WHERE account_id = ?", "i", acct)) ||
		    (rc = db_run(x->db, e, "UPDATE ma_claims SET ledger_id = ? WHERE id = ?", "ii", ledger, id)) ||
		    (rc = db_run(x->db, e, "UPDATE ma_plans SET paid_fen = paid_fen + ? WHERE id = ?", "ii", approved, plan)))
			goto out;
	}
	if ((rc = ma_claim_event(x, id, step->name, claim_status_name(st), claim_status_name(step->to), comment, e)))
		goto out;
	rc = audit_add(x, step->name, "mutual_aid_claim", id, org, e, "互助保障理赔 %" PRId64 "（%s）：%s（%s → %s）", id,
		       json_string_value(json_object_get(o, "name")), step->label, claim_status_label(st),
		       claim_status_label(step->to));
out:
	json_decref(o);
	return rc;
}

int ma_h_claim_transition(struct req *r)
{
	int denied = 0;
	int rc = ma_claim_transition(&r->x, r->id, r->in, &denied, &r->err);
	if (rc && denied)
		return req_deny(r, r->err.code, r->err.msg);
	if (rc)
		return rc;
	json_t *o = ma_claim_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -E_DB;
}
