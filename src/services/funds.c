/* funds.c — accounts per unit, source and year; deposits; transfers down
 * the hierarchy; refunds; the ledger. */
#include "services/funds.h"

#include <inttypes.h>
#include <string.h>

#include "rules/money.h"
#include "services/applications.h"
#include "services/audit.h"
#include "services/orgs.h"

#define FEN_MAX 100000000000LL

const struct field account_body[] = {
	{"org_id", F_INT, F_REQ, 1, 0, "所属单位"},
	{"source", F_STR, F_REQ, 1, 20, "资金来源"},
	{"year", F_INT, F_REQ, 2000, 2100, "年度"},
	{"name", F_STR, F_REQ, 1, 100, "账户名称"},
	FIELDS_END,
};
const struct field deposit_body[] = {
	{"amount_fen", F_INT, F_REQ, 1, FEN_MAX, "金额（分）"},
	{"note", F_STR, 0, 0, 500, "摘要"},
	FIELDS_END,
};
const struct field transfer_body[] = {
	{"from_account_id", F_INT, F_REQ, 1, 0, "转出账户"},
	{"to_account_id", F_INT, F_REQ, 1, 0, "转入账户"},
	{"amount_fen", F_INT, F_REQ, 1, FEN_MAX, "金额（分）"},
	{"note", F_STR, 0, 0, 500, "摘要"},
	FIELDS_END,
};
const struct field refund_body[] = {
	{"application_id", F_INT, F_REQ, 1, 0, "申请编号"},
	{"amount_fen", F_INT, F_REQ, 1, FEN_MAX, "退回金额（分）"},
	{"note", F_STR, 0, 0, 500, "摘要"},
	FIELDS_END,
};

static const char *const sources[] = {"union", "government", "donation", "social", NULL};

int fund_move(struct ctx *x, int64_t account, int64_t delta, const char *kind, int64_t app,
	      int64_t transfer, const char *note, int64_t *balance, struct err *e)
{
	int64_t bal = 0;
	int found = 0;
	int rc;
	if (delta < 0) /* the check and the debit are one statement: no race can overdraw */
		rc = db_int(x->db, e, &bal, &found,
			    "UPDATE fund_accounts SET balance_fen = balance_fen - ? WHERE id = ?"
			    " AND balance_fen >= ? RETURNING balance_fen",
			    "iii", -delta, account, -delta);
	else
		rc = db_int(x->db, e, &bal, &found,
			    "UPDATE fund_accounts SET balance_fen = balance_fen + ? WHERE id = ?"
			    " RETURNING balance_fen",
			    "ii", delta, account);
	if (rc)
		return rc;
	if (!found) {
		char need[32];
		money_format_fen(-delta, need);
		return err_set(e, E_INSUFFICIENT_FUNDS, "账户余额不足，本次需支出 %s 元", need);
	}
	if (balance)
		*balance = bal;
	return db_run(x->db, e,
		      "INSERT INTO ledger (account_id, at, kind, amount_fen, balance_fen, application_id,"
		      " transfer_id, note, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		      "issiizzsz", account, x->now_s, kind, delta, bal, app, transfer, note, x->who.id);
}

int fund_account_in_scope(struct ctx *x, int64_t id, int64_t *org_id, struct err *e)
{
	int found = 0;
	int64_t org = 0;
	int rc = db_int(x->db, e, &org, &found,
			"SELECT a.org_id FROM fund_accounts a JOIN orgs o ON o.id = a.org_id"
			" WHERE a.id = ? AND o.path LIKE ?",
			"is", id, ctx_scope_like(x));
	if (!rc && !found)
		return err_set(e, E_NOT_FOUND, "资金账户不存在");
	if (org_id)
		*org_id = org;
	return rc;
}

static json_t *account_json(struct ctx *x, int64_t id, struct err *e)
{
	return db_one_json(x->db, e,
			   "SELECT a.id, a.org_id, o.name AS org_name, a.source, a.year, a.name,"
			   " a.balance_fen, a.created_at FROM fund_accounts a JOIN orgs o ON o.id = a.org_id"
			   " WHERE a.id = ?",
			   id);
}

int funds_scope(struct req *r)
{
	return fund_account_in_scope(&r->x, r->id, NULL, &r->err);
}

int funds_h_list(struct req *r)
{
	int64_t limit, offset;
	int rc = req_paging(r, &limit, &offset);
	if (rc)
		return rc;
	struct db_args a = {0};
	db_arg_str(&a, ctx_scope_like(&r->x));
	char *text = NULL;
	if ((rc = db_page_text(r->x.db, &r->err,
			       "a.id, a.org_id, o.name AS org_name, a.source, a.year, a.name, a.balance_fen, a.created_at",
			       "FROM fund_accounts a JOIN orgs o ON o.id = a.org_id WHERE o.path LIKE ?", "a.id", &a,
			       limit, offset, &text)))
		return rc;
	return req_reply_text(r, 200, text);
}

int funds_h_get(struct req *r)
{
	json_t *o = account_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

int funds_h_create(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t org = body_int(r, "org_id", 0), id = 0;
	int rc = org_in_scope(x, org, NULL, &r->err);
	if (rc)
		return rc;
	const char *src = body_str(r, "source");
	int ok = 0;
	for (int i = 0; sources[i]; i++)
		ok |= !strcmp(src, sources[i]);
	if (!ok)
		return err_field(&r->err, "source", "资金来源应为 union、government、donation 或 social");
	rc = db_insert(x->db, &r->err, &id,
		    "INSERT INTO fund_accounts (org_id, source, year, name, created_by, created_at)"
		    " VALUES (?, ?, ?, ?, ?, ?)",
		    "isisz" "s", org, src, body_int(r, "year", 0), body_str(r, "name"), x->who.id, x->now_s);
	if (!rc)
		rc = audit_add(x, "create", "fund_account", id, org, &r->err, "开设资金账户“%s”",
			       body_str(r, "name"));
	if (rc)
		return rc;
	json_t *o = account_json(x, id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

int funds_h_deposit(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t org = 0, amount = body_int(r, "amount_fen", 0), bal = 0;
	int rc = fund_account_in_scope(x, r->id, &org, &r->err);
	char yuan[32];
	money_format_fen(amount, yuan);
	if (!rc)
		rc = fund_move(x, r->id, amount, "deposit", 0, 0, body_str(r, "note"), &bal, &r->err);
	if (!rc)
		rc = audit_add(x, "deposit", "fund_account", r->id, org, &r->err, "存入 %s 元", yuan);
	if (rc)
		return rc;
	json_t *o = account_json(x, r->id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

/* RULE funds.transfer_down: into an account of a unit inside the sending
 * account's own subtree (never up, never sideways). */
int fund_transfer(struct ctx *x, int64_t from, int64_t to, int64_t amount, const char *note, int64_t *tid,
		  struct err *e)
{
	int64_t from_org = 0, to_org = 0;
	int rc = fund_account_in_scope(x, from, &from_org, e);
	if (!rc)
		rc = fund_account_in_scope(x, to, &to_org, e);
	if (rc)
		return rc;
	if (from == to)
		return err_field(e, "to_account_id", "转入账户不能与转出账户相同");
	int64_t inside = 0;
	if ((rc = db_int(x->db, e, &inside, NULL,
			 "SELECT COUNT(*) FROM orgs t JOIN orgs f ON f.id = ? WHERE t.id = ?"
			 " AND t.path LIKE f.path || '%'",
			 "ii", from_org, to_org)))
		return rc;
	if (!inside)
		return err_field(e, "to_account_id", "只能向本单位或下级单位的账户划拨资金");
	if ((rc = db_insert(x->db, e, tid,
			 "INSERT INTO fund_transfers (from_account_id, to_account_id, amount_fen, note,"
			 " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			 "iiisz" "s", from, to, amount, note, x->who.id, x->now_s)) ||
	    (rc = fund_move(x, from, -amount, "transfer_out", 0, *tid, note, NULL, e)) ||
	    (rc = fund_move(x, to, amount, "transfer_in", 0, *tid, note, NULL, e)))
		return rc;
	char yuan[32];
	money_format_fen(amount, yuan);
	return audit_add(x, "transfer", "fund_account", from, from_org, e, "向账户 %" PRId64 " 划拨 %s 元", to,
			 yuan);
}

int funds_h_transfer(struct req *r)
{
	int64_t tid = 0;
	int rc = fund_transfer(&r->x, body_int(r, "from_account_id", 0), body_int(r, "to_account_id", 0),
			       body_int(r, "amount_fen", 0), body_str(r, "note"), &tid, &r->err);
	if (rc)
		return rc;
	json_t *o = db_one_json(r->x.db, &r->err, "SELECT * FROM fund_transfers WHERE id = ?", tid);
	return o ? req_reply(r, 201, o) : -E_DB;
}

/* POST /fund-accounts/{id}/refunds {"application_id","amount_fen","note"}:
 * money an application paid out from this account comes back. */
int funds_h_refund(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t org = 0, app = body_int(r, "application_id", 0), amount = body_int(r, "amount_fen", 0);
	int rc = fund_account_in_scope(x, r->id, &org, &r->err);
	if (rc)
		return rc;
	int64_t moved = 0;
	if ((rc = db_int(x->db, &r->err, &moved, NULL,
			 "UPDATE applications SET refunded_fen = refunded_fen + ? WHERE id = ? AND account_id = ?"
			 " AND refunded_fen + ? <= disbursed_fen RETURNING id",
			 "iiii", amount, app, r->id, amount)))
		return rc;
	if (!moved)
		return err_field(&r->err, "amount_fen", "退回金额超过该申请从本账户发放的金额，或申请不是从本账户发放");
	char yuan[32];
	money_format_fen(amount, yuan);
	if ((rc = fund_move(x, r->id, amount, "refund", app, 0, body_str(r, "note"), NULL, &r->err)) ||
	    (rc = aid_monthly_refund(x, app, amount, &r->err)) ||
	    (rc = audit_add(x, "refund", "fund_account", r->id, org, &r->err,
			    "申请 %" PRId64 " 退回 %s 元", app, yuan)))
		return rc;
	json_t *o = account_json(x, r->id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

int funds_h_ledger(struct req *r)
{
	int64_t limit, offset, total = 0;
	int rc = req_paging(r, &limit, &offset);
	if (!rc)
		rc = db_int(r->x.db, &r->err, &total, NULL, "SELECT COUNT(*) FROM ledger WHERE account_id = ?",
			    "i", r->id);
	if (rc)
		return rc;
	struct db_stmt *s = db_q(r->x.db, &r->err,
				 "SELECT id, at, kind, amount_fen, balance_fen, application_id, transfer_id, activity_id,"
				 " note, user_id FROM ledger WHERE account_id = ? ORDER BY id LIMIT ? OFFSET ?",
				 "iii", r->id, limit, offset);
	json_t *items = s ? db_rows_json(s, &r->err) : NULL;
	db_finalize(s);
	return items ? req_reply_list(r, items, total) : -E_DB;
}

int funds_reconcile(struct db *c, int64_t *n, struct err *e)
{
	struct db_stmt *s = db_q(c, e,
				 "SELECT a.id, a.name, a.balance_fen,"
				 " (SELECT COALESCE(SUM(amount_fen), 0) FROM ledger l WHERE l.account_id = a.id),"
				 " (SELECT balance_fen FROM ledger l WHERE l.account_id = a.id ORDER BY l.id DESC LIMIT 1)"
				 " FROM fund_accounts a ORDER BY a.id",
				 "");
	if (!s)
		return -E_DB;
	int rc;
	*n = 0;
	while ((rc = db_step(s, e)) == DB_ROW) {
		int64_t bal = db_col_int(s, 2), sum = db_col_int(s, 3);
		int64_t last = db_col_is_null(s, 4) ? 0 : db_col_int(s, 4);
		(*n)++;
		if (bal != sum || bal != last || bal < 0) {
			rc = err_set(e, E_INTERNAL, "账户 %" PRId64 "（%s）不平：余额 %" PRId64 " 分，流水合计 %" PRId64
				     " 分，最后一笔后余额 %" PRId64 " 分",
				     db_col_int(s, 0), db_col_text(s, 1), bal, sum, last);
			break;
		}
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}
