/* cards.c — partners, cards, purchases and monthly statements. */
#include "services/cards.h"

#include <inttypes.h>
#include <string.h>

#include "rules/jobs.h"
#include "rules/money.h"
#include "services/audit.h"
#include "services/employment.h"
#include "services/funds.h"
#include "services/orgs.h"

#define FEN_MAX 100000000000LL

const struct field partner_body[] = {
	{"org_id", F_INT, F_REQ, 1, 0, "所属单位"},
	{"name", F_STR, F_REQ, 1, 100, "合作单位名称"},
	{"kind", F_STR, F_REQ, 1, 20, "类别"},
	{"union_share_bp", F_INT, F_REQ, 0, 10000, "工会承担比例（万分之）"},
	{"account_id", F_INT, F_REQ, 1, 0, "结算资金账户"},
	{"address", F_STR, 0, 0, 200, "地址"},
	{"phone", F_STR, 0, 0, 20, "联系电话"},
	FIELDS_END,
};
const struct field partner_patch[] = {
	{"union_share_bp", F_INT, 0, 0, 10000, "工会承担比例（万分之）"},
	{"account_id", F_INT, 0, 1, 0, "结算资金账户"},
	{"address", F_STR, 0, 0, 200, "地址"},
	{"phone", F_STR, 0, 0, 20, "联系电话"},
	FIELDS_END,
};
const struct field card_body[] = {
	{"household_id", F_INT, F_REQ, 1, 0, "困难职工家庭"},
	FIELDS_END,
};
const struct field purchase_body[] = {
	{"partner_id", F_INT, F_REQ, 1, 0, "合作单位"},
	{"amount_fen", F_INT, F_REQ, 1, FEN_MAX, "消费金额（分）"},
	{"items", F_STR, 0, 0, 1000, "购买项目"},
	FIELDS_END,
};

static const char *const kinds[][2] = {
	{"shop", "爱心超市"}, {"pharmacy", "爱心药店"}, {"hospital", "爱心医院"}, {"school", "爱心学校"},
};

/* --- partners ------------------------------------------------------------------ */

#define PARTNER_COLS                                                                               \
	"p.id, p.org_id, o.name AS org_name, p.name, p.kind, p.union_share_bp, p.account_id,"         \
	" a.name AS account_name, p.address, p.phone, p.created_at"
#define PARTNER_FROM " FROM partners p JOIN orgs o ON o.id = p.org_id JOIN fund_accounts a ON a.id = p.account_id"

static json_t *partner_json(struct ctx *x, int64_t id, struct err *e)
{
	return db_one_json(x->db, e, "SELECT " PARTNER_COLS PARTNER_FROM " WHERE p.id = ?", id);
}

/* RULE cards.partner_account: the union's share is paid from an account of
 * the partner's own unit. */
static int check_account(struct req *r, int64_t account, int64_t org)
{
	int64_t aorg = 0;
	int rc = fund_account_in_scope(&r->x, account, &aorg, &r->err);
	if (rc == -E_NOT_FOUND) {
		err_clear(&r->err);
		return err_field(&r->err, "account_id", "结算资金账户不存在");
	}
	if (!rc && aorg != org)
		return err_field(&r->err, "account_id", "结算资金账户应属于合作单位所在的单位");
	return rc;
}

int partners_scope(struct req *r)
{
	return record_in_scope(&r->x, "partners", r->id, "合作单位不存在", &r->err);
}

int partners_h_create(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t org = body_int(r, "org_id", 0), account = body_int(r, "account_id", 0), id = 0;
	const char *kind = body_str(r, "kind"), *label = NULL;
	int rc = org_in_scope(x, org, NULL, &r->err);
	if (rc)
		return rc;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(kind, kinds[i][0]))
			label = kinds[i][1];
	if (!label)
		return err_field(&r->err, "kind", "类别应为 shop、pharmacy、hospital 或 school");
	if ((rc = check_account(r, account, org)))
		return rc;
	rc = db_insert(x->db, &r->err, &id,
		    "INSERT INTO partners (org_id, name, kind, union_share_bp, account_id, address, phone, created_at)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		    "issiisss", org, body_str(r, "name"), kind, body_int(r, "union_share_bp", 0), account,
		    body_str(r, "address"), body_str(r, "phone"), x->now_s);
	if (!rc)
		rc = audit_add(x, "create", "partner", id, org, &r->err, "登记%s“%s”，工会承担万分之 %" PRId64, label,
			       body_str(r, "name"), body_int(r, "union_share_bp", 0));
	if (rc)
		return rc;
	json_t *o = partner_json(x, id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

/* GET /partners?kind= */
int partners_h_list(struct req *r)
{
	struct svc_q q;
	svc_q_init(r, &q, PARTNER_FROM " WHERE o.path LIKE ?");
	svc_q_str(r, &q, "kind", "p.kind");
	return svc_list(r, PARTNER_COLS, q.from, "p.id", &q.a);
}

int partners_h_get(struct req *r)
{
	json_t *o = partner_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

/* PATCH /partners/{id}: a new ratio applies to later purchases only. */
int partners_h_update(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t org = 0;
	int rc = db_int(x->db, &r->err, &org, NULL, "SELECT org_id FROM partners WHERE id = ?", "i", r->id);
	if (!rc && body_has(r, "account_id") && !(rc = check_account(r, body_int(r, "account_id", 0), org)))
		rc = db_run(x->db, &r->err, "UPDATE partners SET account_id = ? WHERE id = ?", "ii",
			    body_int(r, "account_id", 0), r->id);
	if (!rc && body_has(r, "union_share_bp"))
		rc = db_run(x->db, &r->err, "UPDATE partners SET union_share_bp = ? WHERE id = ?", "ii",
			    body_int(r, "union_share_bp", 0), r->id);
	static const char *const cols[] = {"address", "phone"};
	for (size_t i = 0; !rc && i < 2; i++)
		if (body_has(r, cols[i]))
			rc = db_run(x->db, &r->err, arena_printf(x->a, "UPDATE partners SET %s = ? WHERE id = ?", cols[i]),
				    "si", body_str(r, cols[i]), r->id);
	if (!rc)
		rc = audit_add(x, "update", "partner", r->id, org, &r->err, "修改合作单位");
	if (rc)
		return rc;
	json_t *o = partner_json(x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -E_DB;
}

#define PURCHASE_COLS                                                                              \
	"u.id, u.card_id, c.card_no, u.partner_id, p.name AS partner_name, u.household_id,"           \
	" h.name AS household_name, u.account_id, u.ledger_id, u.date, u.amount_fen, u.union_fen,"    \
	" u.partner_fen, u.items, u.created_at"
#define PURCHASE_FROM                                                                              \
	" FROM purchases u JOIN cards c ON c.id = u.card_id JOIN partners p ON p.id = u.partner_id"   \
	" JOIN households h ON h.id = u.household_id"

/* GET /partners/{id}/statements?month=YYYY-MM: every purchase of the month
 * at this partner and the totals (RULE cards.statement: the totals are the
 * sums of the rows listed). */
int partners_h_statement(struct req *r)
{
	struct ctx *x = &r->x;
	char first[11], last[11];
	const char *month = req_query(r, "month");
	if (jobs_month_range(month, first, last) != 0)
		return err_field(&r->err, "month", "月份应写作 YYYY-MM，如 2026-03");
	json_t *o = partner_json(x, r->id, &r->err);
	if (!o)
		return -(int)r->err.code;
	json_t *head = json_pack("{s:O, s:O, s:O, s:O, s:s, s:s, s:s}", "partner_id", json_object_get(o, "id"),
				 "partner_name", json_object_get(o, "name"), "kind", json_object_get(o, "kind"),
				 "union_share_bp", json_object_get(o, "union_share_bp"), "month", month, "from", first,
				 "to", last);
	json_decref(o);
	int rc = svc_attach(head, "items",
			    db_q(x->db, &r->err, "SELECT " PURCHASE_COLS PURCHASE_FROM
					       " WHERE u.partner_id = ? AND u.date >= ? AND u.date <= ? ORDER BY u.id",
				 "iss", r->id, first, last), &r->err);
	struct db_stmt *s = rc ? NULL
			       : db_q(x->db, &r->err, "SELECT COUNT(*), CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT),"
					     " CAST(COALESCE(SUM(union_fen), 0) AS BIGINT), CAST(COALESCE(SUM(partner_fen), 0) AS BIGINT)"
					     " FROM purchases WHERE partner_id = ? AND date >= ? AND date <= ?",
				      "iss", r->id, first, last);
	if (s && db_step(s, &r->err) == DB_ROW) {
		static const char *const keys[] = {"count", "amount_fen", "union_fen", "partner_fen"};
		for (int i = 0; i < 4; i++)
			json_object_set_new(head, keys[i], json_integer(db_col_int(s, i)));
	} else {
		rc = rc ? rc : -E_DB;
	}
	db_finalize(s);
	if (rc) {
		json_decref(head);
		return rc;
	}
	return req_reply(r, 200, head);
}

/* --- cards ------------------------------------------------------------------ */

#define CARD_COLS                                                                                  \
	"c.id, c.card_no, c.household_id, h.name AS household_name, h.status AS household_status,"    \
	" c.org_id, o.name AS org_name, c.status, c.issued_on, c.suspended_on, c.created_at,"         \
	" (SELECT COUNT(*) FROM purchases u WHERE u.card_id = c.id) AS purchases,"                    \
	" (SELECT CAST(COALESCE(SUM(u.union_fen), 0) AS BIGINT) FROM purchases u WHERE u.card_id = c.id) AS union_fen"
#define CARD_FROM " FROM cards c JOIN households h ON h.id = c.household_id JOIN orgs o ON o.id = c.org_id"

static json_t *card_json(struct ctx *x, int64_t id, struct err *e)
{
	json_t *o = db_one_json(x->db, e, "SELECT " CARD_COLS CARD_FROM " WHERE c.id = ?", id);
	if (o && svc_attach(o, "recent_purchases",
			    db_q(x->db, e, "SELECT " PURCHASE_COLS PURCHASE_FROM " WHERE u.card_id = ?"
					   " ORDER BY u.id DESC LIMIT 20", "i", id), e)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int cards_scope(struct req *r)
{
	return record_in_scope(&r->x, "cards", r->id, "爱心卡不存在", &r->err);
}

int card_issue(struct ctx *x, int64_t hid, int64_t *id, struct err *e)
{
	int64_t have = 0, org = 0;
	const char *st = NULL, *idn = NULL, *region = NULL;
	struct db_stmt *s = db_q(x->db, e, "SELECT h.status, h.id_number, o.region_code, h.org_id FROM households h"
				 " JOIN orgs o ON o.id = h.org_id WHERE h.id = ?", "i", hid);
	if (s && db_step(s, e) == DB_ROW) {
		st = arena_strdup(x->a, db_col_text(s, 0));
		idn = arena_strdup(x->a, db_col_text(s, 1));
		region = arena_strdup(x->a, db_col_text(s, 2));
		org = db_col_int(s, 3);
	}
	db_finalize(s);
	if (!st)
		return err_set(e, E_NOT_FOUND, "档案不存在");
	if (strcmp(st, "active"))
		return err_field(e, "household_id", "只能向在档困难职工家庭发卡");
	int rc = db_int(x->db, e, &have, NULL, "SELECT COUNT(*) FROM cards WHERE household_id = ? OR"
			" (id_number = ? AND status = 'active')", "is", hid, idn);
	if (rc)
		return rc;
	if (have)
		return err_set(e, E_CONFLICT, "该家庭已有爱心卡");
	rc = db_insert(x->db, e, id,
		    "INSERT INTO cards (household_id, org_id, card_no, id_number, status, issued_on, created_by,"
		    " created_at) VALUES (?, ?, ?, ?, 'active', ?, ?, ?)",
		    "iisssz" "s", hid, org, arena_printf(x->a, "new-%" PRId64, hid), idn, x->today_s, x->who.id, x->now_s);
	if (rc && db_last_fail(x->db) == DBF_UNIQUE)
		return err_set(e, E_CONFLICT, "该家庭已有爱心卡");
	/* RULE cards.number: region code of the unit + 8-digit card id */
	const char *no = arena_printf(x->a, "%s%08" PRId64, region, *id);
	if (!rc)
		rc = db_run(x->db, e, "UPDATE cards SET card_no = ? WHERE id = ?", "si", no, *id);
	if (!rc)
		rc = audit_add(x, "create", "card", *id, org, e, "向档案 %" PRId64 " 发放爱心卡 %s", hid, no);
	return rc;
}

/* POST /cards {"household_id"}: RULE cards.active_only and cards.one_open. */
int cards_h_create(struct req *r)
{
	int64_t hid, org, id = 0;
	int rc = svc_ref_in_scope(r, "households", "household_id", "档案不存在", &hid, &org);
	if (!rc)
		rc = card_issue(&r->x, hid, &id, &r->err);
	if (rc)
		return rc;
	json_t *o = card_json(&r->x, id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

/* GET /cards?status=&household_id= */
int cards_h_list(struct req *r)
{
	struct svc_q q;
	svc_q_init(r, &q, CARD_FROM " WHERE o.path LIKE ?");
	svc_q_str(r, &q, "status", "c.status");
	int rc = svc_q_id(r, &q, "household_id", "c.household_id");
	return rc ? rc : svc_list(r, CARD_COLS, q.from, "c.id", &q.a);
}

int cards_h_get(struct req *r)
{
	json_t *o = card_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

/* POST /cards/{id}/purchases {"partner_id","amount_fen","items"}.
 * RULE cards.purchase: the card is active and its household lies in the
 * partner's subtree; the union's share (RULE cards.share) leaves the
 * partner's account in this transaction, one ledger row, never below 0. */
int card_purchase(struct ctx *x, int64_t card, int64_t pid, int64_t amount, const char *items, int64_t *id,
		  struct err *e)
{
	int rc;
	int64_t hid = 0, corg = 0, bp = 0, account = 0, inside = 0;
	const char *cst = NULL, *hst = NULL, *pname = NULL;
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT c.household_id, c.org_id, c.status, h.status, p.union_share_bp, p.account_id, p.name,"
				 " CASE WHEN co.path LIKE po.path || '%' THEN 1 ELSE 0 END"
				 " FROM cards c JOIN households h ON h.id = c.household_id JOIN orgs co ON co.id = c.org_id"
				 " JOIN partners p ON p.id = ? JOIN orgs po ON po.id = p.org_id WHERE c.id = ?",
				 "ii", pid, card);
	if (s && db_step(s, e) == DB_ROW) {
		hid = db_col_int(s, 0);
		corg = db_col_int(s, 1);
		cst = arena_strdup(x->a, db_col_text(s, 2));
		hst = arena_strdup(x->a, db_col_text(s, 3));
		bp = db_col_int(s, 4);
		account = db_col_int(s, 5);
		pname = arena_strdup(x->a, db_col_text(s, 6));
		inside = db_col_int(s, 7);
	}
	db_finalize(s);
	if (!cst)
		return err_set(e, E_NOT_FOUND, "爱心卡或合作单位不存在");
	if (strcmp(cst, "active") || strcmp(hst, "active")) {
		err_set(e, E_NOT_ELIGIBLE, "爱心卡已暂停使用（档案不在档），不能消费");
		err_detail_push(e, "reasons", "card_suspended");
		return -E_NOT_ELIGIBLE;
	}
	if (!inside)
		return err_field(e, "partner_id", "该合作单位不服务持卡家庭所在的单位");
	int64_t ufen = 0, pfen = 0, ledger = 0;
	if (jobs_share_split(amount, bp, &ufen, &pfen) != 0)
		return err_field(e, "amount_fen", "金额无效");
	if (ufen > 0) {
		const char *note = arena_printf(x->a, "爱心卡 %" PRId64 " 在“%s”消费，工会承担", card, pname);
		if ((rc = fund_move(x, account, -ufen, "card_purchase", 0, 0, note, NULL, e)) ||
		    (rc = db_int(x->db, e, &ledger, NULL, "SELECT MAX(id) FROM ledger WHERE account_id = ?", "i",
				 account)))
			return rc;
	}
	rc = db_insert(x->db, e, id,
		    "INSERT INTO purchases (card_id, partner_id, household_id, org_id, account_id, ledger_id, date,"
		    " amount_fen, union_fen, partner_fen, items, created_by, created_at)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "iiiiiz" "siiisz" "s", card, pid, hid, corg, account, ledger, x->today_s, amount, ufen, pfen,
		    items, x->who.id, x->now_s);
	char yuan[32], uyuan[32];
	money_format_fen(amount, yuan);
	money_format_fen(ufen, uyuan);
	if (!rc)
		rc = audit_add(x, "purchase", "card", card, corg, e, "在“%s”消费 %s 元，工会承担 %s 元", pname,
			       yuan, uyuan);
	return rc;
}

int cards_h_purchase(struct req *r)
{
	int64_t pid, porg, id = 0;
	int rc = svc_ref_in_scope(r, "partners", "partner_id", "合作单位不存在", &pid, &porg);
	if (!rc)
		rc = card_purchase(&r->x, r->id, pid, body_int(r, "amount_fen", 0), body_str(r, "items"), &id, &r->err);
	if (rc)
		return rc;
	json_t *o = db_one_json(r->x.db, &r->err, "SELECT " PURCHASE_COLS PURCHASE_FROM " WHERE u.id = ?", id);
	return o ? req_reply(r, 201, o) : -E_DB;
}

/* --- workflow hooks ---------------------------------------------------------------- */

/* Audits each card that the UPDATE ... RETURNING id, org_id in s changed
 * (finalized here). */
static int audit_changed(struct ctx *x, struct db_stmt *s, const char *action, const char *msg,
			 struct err *e)
{
	if (!s)
		return -E_DB;
	int64_t ids[8], orgs[8];
	int n = 0, rc;
	while ((rc = db_step(s, e)) == DB_ROW)
		if (n < 8) { /* one card per household: at most one row */
			ids[n] = db_col_int(s, 0);
			orgs[n++] = db_col_int(s, 1);
		}
	db_finalize(s);
	for (int i = 0; rc >= 0 && i < n; i++)
		rc = audit_add(x, action, "card", ids[i], orgs[i], e, "%s", msg);
	return rc < 0 ? rc : 0;
}

int cards_on_exit(struct ctx *x, int64_t hid, struct err *e)
{
	return audit_changed(x, db_q(x->db, e, "UPDATE cards SET status = 'suspended', suspended_on = ?"
				     " WHERE household_id = ? AND status = 'active' RETURNING id, org_id",
				     "si", x->today_s, hid),
			     "suspend", "档案解困退出，爱心卡暂停使用", e);
}

int cards_on_enter(struct ctx *x, int64_t hid, struct err *e)
{
	return audit_changed(x, db_q(x->db, e,
				     "UPDATE cards SET household_id = ?, status = 'active', suspended_on = NULL,"
				     " org_id = (SELECT org_id FROM households WHERE id = ?)"
				     " WHERE id = (SELECT MAX(c.id) FROM cards c JOIN households h ON h.id = ?"
				     "  JOIN orgs co ON co.id = c.org_id"
				     "  WHERE c.id_number = h.id_number AND c.status = 'suspended' AND co.path LIKE ?)"
				     " AND NOT EXISTS (SELECT 1 FROM cards c2 WHERE c2.household_id = ?)"
				     " RETURNING id, org_id",
				     "iiisi", hid, hid, hid, ctx_scope_like(x), hid),
			     "reactivate", "重新建档，爱心卡随新档案恢复使用", e);
}
