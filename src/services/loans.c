#include "services/loans.h"

#include <inttypes.h>
#include <string.h>

#include "services/audit.h"
#include "services/orgs.h"
#include "services/funds.h"
#include "services/households.h"

#define FEN_MAX 100000000000LL

const struct field loan_body[] = {
	{"application_id", F_INT, F_REQ, 1, 0, "贷款申请"},
	{"term_months", F_INT, F_REQ, 1, 120, "期限（月）"},
	{"start_date", F_DATE, F_REQ, 0, 0, "起始日期"},
	FIELDS_END,
};
const struct field repayment_body[] = {
	{"amount_fen", F_INT, F_REQ, 1, FEN_MAX, "还款金额（分）"},
	{"date", F_DATE, F_REQ, 0, 0, "还款日期"},
	{"account_id", F_INT, F_REQ, 1, 0, "收款账户"},
	{"note", F_STR, 0, 0, 500, "备注"},
	FIELDS_END,
};

static json_t *loan_json(struct ctx *x, int64_t id, struct err *e)
{
	json_t *o = db_one_json(x->db, e,
				"SELECT l.id, l.application_id, l.household_id, h.name AS household_name, l.org_id,"
				" l.principal_fen, l.term_months, l.start_date, l.repaid_fen,"
				" l.principal_fen - l.repaid_fen AS outstanding_fen, l.created_at FROM loans l"
				" JOIN households h ON h.id = l.household_id WHERE l.id = ?", id);
	if (!o)
		return NULL;
	struct db_stmt *s = db_q(x->db, e, "SELECT seq, due_date, amount_fen, paid_fen, CASE WHEN paid_fen < amount_fen"
				 " AND due_date < ? THEN 1 ELSE 0 END AS overdue FROM loan_instalments WHERE loan_id = ?"
				 " ORDER BY seq", "si", x->today_s, id);
	json_t *inst = s ? db_rows_json(s, e) : NULL;
	db_finalize(s);
	size_t i;
	json_t *it;
	json_array_foreach(inst, i, it)
		json_object_set_new(it, "overdue", json_boolean(json_integer_value(json_object_get(it, "overdue"))));
	json_object_set_new(o, "instalments", inst ? inst : json_array());
	s = db_q(x->db, e, "SELECT id, amount_fen, date, note, created_at FROM loan_repayments WHERE loan_id = ?"
		 " ORDER BY id", "i", id);
	json_t *rep = s ? db_rows_json(s, e) : NULL;
	db_finalize(s);
	json_object_set_new(o, "repayments", rep ? rep : json_array());
	return o;
}

int loans_scope(struct req *r)
{
	return record_in_scope(&r->x, "loans", r->id, "贷款不存在", &r->err);
}

/* POST /loans — RULE loan.schedule: equal principal each month, the last
 * instalment takes the remainder; the n-th falls n months after the start. */
int loans_h_create(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t app = body_int(r, "application_id", 0), term = body_int(r, "term_months", 1);
	struct db_stmt *s = db_q(x->db, &r->err,
				 "SELECT a.program_code, a.status, a.disbursed_fen, a.household_id, a.org_id FROM applications a"
				 " JOIN orgs o ON o.id = a.org_id WHERE a.id = ? AND o.path LIKE ?",
				 "is", app, ctx_scope_like(x));
	if (!s)
		return -E_DB;
	int rc = db_step(s, &r->err);
	if (rc != DB_ROW) {
		db_finalize(s);
		return rc < 0 ? rc : err_set(&r->err, E_NOT_FOUND, "贷款申请不存在");
	}
	int is_loan = !strcmp(db_col_text(s, 0), "microloan");
	const char *st = db_col_text(s, 1);
	int paid_out = !strcmp(st, "disbursed") || !strcmp(st, "receipted") || !strcmp(st, "closed");
	int64_t principal = db_col_int(s, 2), hid = db_col_int(s, 3), org = db_col_int(s, 4);
	db_finalize(s);
	if (!is_loan)
		return err_field(&r->err, "application_id", "该申请不是小额贷款项目");
	if (!paid_out || principal <= 0)
		return err_field(&r->err, "application_id", "贷款须先发放后才能建立还款计划");
	int64_t id = 0;
	day_t start;
	date_parse(body_str(r, "start_date"), &start);
	rc = db_insert(x->db, &r->err, &id,
		    "INSERT INTO loans (application_id, household_id, org_id, principal_fen, term_months, start_date,"
		    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		    "iiiiiss", app, hid, org, principal, term, body_str(r, "start_date"), x->now_s);
	if (rc && db_last_fail(x->db) == DBF_UNIQUE) {
		err_clear(&r->err);
		return err_set(&r->err, E_CONFLICT, "该申请已建立贷款");
	}
	int64_t each = principal / term;
	for (int64_t k = 1; !rc && k <= term; k++) {
		char due[11];
		date_format(date_add_months(start, (int)k), due);
		int64_t amt = k < term ? each : principal - each * (term - 1);
		rc = db_run(x->db, &r->err, "INSERT INTO loan_instalments (loan_id, seq, due_date, amount_fen)"
			    " VALUES (?, ?, ?, ?)", "iisi", id, k, due, amt);
	}
	if (!rc)
		rc = audit_add(x, "create", "loan", id, org, &r->err, "建立小额贷款 %" PRId64 " 分，%" PRId64 " 期",
			       principal, term);
	if (rc)
		return rc;
	json_t *o = loan_json(x, id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

int loans_h_list(struct req *r)
{
	struct db_stmt *s = db_q(r->x.db, &r->err,
				 "SELECT l.id, l.application_id, l.household_id, h.name AS household_name, l.principal_fen,"
				 " l.term_months, l.start_date, l.repaid_fen, l.principal_fen - l.repaid_fen AS outstanding_fen"
				 " FROM loans l JOIN households h ON h.id = l.household_id JOIN orgs o ON o.id = l.org_id"
				 " WHERE o.path LIKE ? ORDER BY l.id DESC LIMIT 500",
				 "s", ctx_scope_like(&r->x));
	json_t *items = s ? db_rows_json(s, &r->err) : NULL;
	db_finalize(s);
	return items ? req_reply_list(r, items, (int64_t)json_array_size(items)) : -E_DB;
}

int loans_h_get(struct req *r)
{
	json_t *o = loan_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

/* GET /loans/overdue — instalments past due and not fully paid. */
int loans_h_overdue(struct req *r)
{
	struct db_stmt *s = db_q(r->x.db, &r->err,
				 "SELECT i.loan_id, i.seq, i.due_date, i.amount_fen, i.paid_fen, l.household_id,"
				 " h.name AS household_name, h.phone FROM loan_instalments i JOIN loans l ON l.id = i.loan_id"
				 " JOIN households h ON h.id = l.household_id JOIN orgs o ON o.id = l.org_id"
				 " WHERE o.path LIKE ? AND i.paid_fen < i.amount_fen AND i.due_date < ?"
				 " ORDER BY i.due_date, i.loan_id LIMIT 500",
				 "ss", ctx_scope_like(&r->x), r->x.today_s);
	json_t *items = s ? db_rows_json(s, &r->err) : NULL;
	db_finalize(s);
	if (!items)
		return -E_DB;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		person_mask_fields(it, r->x.today);
	return req_reply_list(r, items, (int64_t)json_array_size(items));
}

/* POST /loans/{id}/repayments — oldest instalments first; never more than
 * is outstanding; the money goes into the chosen account. */
int loans_h_repay(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t amount = body_int(r, "amount_fen", 0), org = 0, moved = 0;
	if (strcmp(body_str(r, "date"), x->today_s) > 0)
		return err_field(&r->err, "date", "还款日期不能晚于今天");
	int rc = db_int(x->db, &r->err, &moved, NULL,
			"UPDATE loans SET repaid_fen = repaid_fen + ? WHERE id = ? AND repaid_fen + ? <= principal_fen"
			" RETURNING org_id", "iii", amount, r->id, amount);
	if (rc)
		return rc;
	if (!moved)
		return err_field(&r->err, "amount_fen", "还款金额超过未还本金");
	org = moved;
	int64_t left = amount;
	while (left > 0 && !rc) {
		int64_t seq = 0, due = 0;
		int found = 0;
		struct db_stmt *s = db_q(x->db, &r->err, "SELECT seq, amount_fen - paid_fen FROM loan_instalments"
					 " WHERE loan_id = ? AND paid_fen < amount_fen ORDER BY seq LIMIT 1", "i", r->id);
		if (s && db_step(s, &r->err) == DB_ROW) {
			seq = db_col_int(s, 0);
			due = db_col_int(s, 1);
			found = 1;
		}
		db_finalize(s);
		if (!found)
			break;
		int64_t pay = left < due ? left : due;
		rc = db_run(x->db, &r->err, "UPDATE loan_instalments SET paid_fen = paid_fen + ? WHERE loan_id = ?"
			    " AND seq = ?", "iii", pay, r->id, seq);
		left -= pay;
	}
	int64_t acct = body_int(r, "account_id", 0);
	if (!rc)
		rc = fund_account_in_scope(x, acct, NULL, &r->err);
	if (!rc)
		rc = db_run(x->db, &r->err, "INSERT INTO loan_repayments (loan_id, amount_fen, date, note, user_id,"
			    " created_at) VALUES (?, ?, ?, ?, ?, ?)", "iissz" "s", r->id, amount, body_str(r, "date"),
			    body_str(r, "note"), x->who.id, x->now_s);
	if (!rc)
		rc = fund_move(x, acct, amount, "loan_repayment", 0, 0, "小额贷款还款", NULL, &r->err);
	if (!rc)
		rc = audit_add(x, "repay", "loan", r->id, org, &r->err, "贷款还款 %" PRId64 " 分", amount);
	if (rc)
		return rc;
	json_t *o = loan_json(x, r->id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}
