#include "services/goods.h"

#include <inttypes.h>
#include <string.h>

#include "services/audit.h"
#include "services/households.h"
#include "services/orgs.h"

const struct field goods_body[] = {
	{"org_id", F_INT, F_REQ, 1, 0, "所属单位"},
	{"name", F_STR, F_REQ, 1, 100, "物品名称"},
	{"unit", F_STR, F_REQ, 1, 10, "计量单位"},
	FIELDS_END,
};
const struct field goods_receipt_body[] = {
	{"quantity", F_INT, F_REQ, 1, 1000000, "数量"},
	{"donor", F_STR, F_REQ, 1, 100, "捐赠人（单位）"},
	{"date", F_DATE, F_REQ, 0, 0, "日期"},
	{"note", F_STR, 0, 0, 500, "备注"},
	FIELDS_END,
};
const struct field goods_handout_body[] = {
	{"household_id", F_INT, F_REQ, 1, 0, "受助家庭"},
	{"quantity", F_INT, F_REQ, 1, 1000000, "数量"},
	{"date", F_DATE, F_REQ, 0, 0, "日期"},
	{"note", F_STR, 0, 0, 500, "备注"},
	FIELDS_END,
};

static json_t *goods_json(struct ctx *x, int64_t id, struct err *e)
{
	json_t *o = db_one_json(x->db, e, "SELECT g.id, g.org_id, o.name AS org_name, g.name, g.unit, g.stock,"
				" g.created_at FROM goods g JOIN orgs o ON o.id = g.org_id WHERE g.id = ?", id);
	if (!o)
		return NULL;
	struct db_stmt *s = db_q(x->db, e, "SELECT m.id, m.kind, m.quantity, m.stock_after, m.donor, m.household_id,"
				 " h.name AS household_name, m.date, m.note, m.created_at FROM goods_moves m"
				 " LEFT JOIN households h ON h.id = m.household_id WHERE m.goods_id = ? ORDER BY m.id",
				 "i", id);
	json_t *moves = s ? db_rows_json(s, e) : NULL;
	db_finalize(s);
	json_object_set_new(o, "moves", moves ? moves : json_array());
	return o;
}

int goods_scope(struct req *r)
{
	return record_in_scope(&r->x, "goods", r->id, "物品不存在", &r->err);
}

int goods_h_create(struct req *r)
{
	int64_t org = body_int(r, "org_id", 0), id = 0;
	int rc = org_in_scope(&r->x, org, NULL, &r->err);
	if (!rc)
		rc = db_insert(r->x.db, &r->err, &id,
			    "INSERT INTO goods (org_id, name, unit, created_at) VALUES (?, ?, ?, ?)",
			    "isss", org, body_str(r, "name"), body_str(r, "unit"), r->x.now_s);
	if (!rc)
		rc = audit_add(&r->x, "create", "goods", id, org, &r->err, "登记爱心物品“%s”", body_str(r, "name"));
	if (rc)
		return rc;
	json_t *o = goods_json(&r->x, id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

int goods_h_list(struct req *r)
{
	struct db_stmt *s = db_q(r->x.db, &r->err,
				 "SELECT g.id, g.org_id, o.name AS org_name, g.name, g.unit, g.stock FROM goods g"
				 " JOIN orgs o ON o.id = g.org_id WHERE o.path LIKE ? ORDER BY g.id",
				 "s", ctx_scope_like(&r->x));
	json_t *items = s ? db_rows_json(s, &r->err) : NULL;
	db_finalize(s);
	return items ? req_reply_list(r, items, (int64_t)json_array_size(items)) : -E_DB;
}

int goods_h_get(struct req *r)
{
	json_t *o = goods_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

static int move(struct req *r, const char *kind, int64_t delta, int64_t household)
{
	int64_t stock = 0, org = 0;
	int found = 0;
	int rc = db_int(r->x.db, &r->err, &stock, &found,
			delta < 0 ? "UPDATE goods SET stock = stock + ? WHERE id = ? AND stock + ? >= 0 RETURNING stock"
				  : "UPDATE goods SET stock = stock + ? WHERE id = ? AND ? >= 0 RETURNING stock",
			"iii", delta, r->id, delta);
	if (rc)
		return rc;
	if (!found)
		return err_field(&r->err, "quantity", "库存不足，不能发放这么多");
	db_int(r->x.db, &r->err, &org, NULL, "SELECT org_id FROM goods WHERE id = ?", "i", r->id);
	rc = db_run(r->x.db, &r->err,
		    "INSERT INTO goods_moves (goods_id, kind, quantity, stock_after, donor, household_id, date, note,"
		    " user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "isiiszssz" "s", r->id, kind, delta < 0 ? -delta : delta, stock, body_str(r, "donor"), household,
		    body_str(r, "date"), body_str(r, "note"), r->x.who.id, r->x.now_s);
	if (!rc)
		rc = audit_add(&r->x, kind, "goods", r->id, org, &r->err, "%s %" PRId64 "，结存 %" PRId64,
			       delta < 0 ? "发放" : "接收捐赠", delta < 0 ? -delta : delta, stock);
	if (rc)
		return rc;
	json_t *o = goods_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

int goods_h_receipt(struct req *r)
{
	return move(r, "receipt", body_int(r, "quantity", 0), 0);
}

int goods_h_handout(struct req *r)
{
	int64_t hid = body_int(r, "household_id", 0);
	enum hh_status st;
	int rc = household_load(&r->x, hid, &st, NULL, NULL, &r->err);
	if (rc)
		return rc;
	if (st != HS_ACTIVE)
		return err_field(&r->err, "household_id", "只能向在档困难职工家庭发放");
	return move(r, "handout", -body_int(r, "quantity", 0), hid);
}
