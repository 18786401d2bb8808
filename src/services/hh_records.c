/* hh_records.c — what is recorded about a household besides its archive:
 * visits (走访), objections during the public notice (公示异议) and
 * pairings (结对帮扶, 一户一法). */
#include <stdlib.h>
#include <string.h>

#include "services/audit.h"
#include "services/households.h"
#include "services/hh_workflow.h"
#include "services/watch.h"

const struct field visit_body[] = {
	{"date", F_DATE, F_REQ, 0, 0, "走访日期"},
	{"kind", F_STR, F_REQ, 1, 20, "走访类型"},
	{"visitor", F_STR, F_REQ, 1, 100, "走访人"},
	{"notes", F_STR, 0, 0, 4000, "走访记录"},
	FIELDS_END,
};
const struct field objection_body[] = {
	{"text", F_STR, F_REQ, 1, 2000, "异议内容"},
	FIELDS_END,
};
const struct field resolve_body[] = {
	{"upheld", F_BOOL, F_REQ, 0, 0, "异议是否成立"},
	{"comment", F_STR, 0, 0, 2000, "处理意见"},
	FIELDS_END,
};
const struct field pairing_body[] = {
	{"cadre_name", F_STR, F_REQ, 1, 50, "帮扶干部"},
	{"cadre_unit", F_STR, 0, 0, 100, "帮扶单位"},
	{"phone", F_STR, 0, 0, 20, "联系电话"},
	{"plan", F_STR, F_REQ, 1, 4000, "帮扶计划（一户一法）"},
	{"visits_per_year", F_INT, F_REQ, 1, 12, "每年走访次数"},
	{"start_date", F_DATE, F_REQ, 0, 0, "开始日期"},
	{"end_date", F_DATE, 0, 0, 0, "结束日期"},
	FIELDS_END,
};

static const char *const visit_kinds[] = {"verification", "condolence", "pairing", "review", "monitoring", NULL};
static const char *const visit_labels[] = {"入户核查", "慰问", "结对走访", "动态复核", "返困监测", NULL};

static json_t *list(struct req *r, const char *sql)
{
	struct db_stmt *s = db_q(r->x.db, &r->err, sql, "i", r->id);
	json_t *items = s ? db_rows_json(s, &r->err) : NULL;
	db_finalize(s);
	return items;
}

int hh_visit_add(struct ctx *x, int64_t id, json_t *b, int64_t *visit_id, struct err *e)
{
	int64_t org = 0;
	int rc = household_load(x, id, NULL, &org, NULL, e);
	if (rc)
		return rc;
	const char *kind = json_string_value(json_object_get(b, "kind"));
	const char *date = json_string_value(json_object_get(b, "date"));
	int k = -1;
	for (int i = 0; visit_kinds[i]; i++)
		if (kind && !strcmp(kind, visit_kinds[i]))
			k = i;
	if (k < 0)
		return err_field(e, "kind", "走访类型应为 verification、condolence、pairing、review 或 monitoring");
	if (strcmp(date, x->today_s) > 0)
		return err_field(e, "date", "走访日期不能晚于今天（%s）", x->today_s);
	if (!strcmp(kind, "monitoring") && (rc = watch_on_visit(x, id, date, e))) /* RULE watch.visit */
		return rc;
	rc = db_insert(x->db, e, visit_id,
		    "INSERT INTO visits (household_id, date, kind, visitor, notes, created_by, created_at)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?)",
		    "issssz" "s", id, date, kind, json_string_value(json_object_get(b, "visitor")),
		    json_string_value(json_object_get(b, "notes")), x->who.id, x->now_s);
	if (!rc)
		rc = audit_add(x, "create", "visit", *visit_id, org, e, "档案 %lld 登记%s走访（%s）",
			       (long long)id, visit_labels[k], date);
	return rc;
}

int hh_h_visit_add(struct req *r)
{
	int64_t vid = 0;
	int rc = hh_visit_add(&r->x, r->id, r->in, &vid, &r->err);
	if (rc)
		return rc;
	json_t *o = db_one_json(r->x.db, &r->err, "SELECT * FROM visits WHERE id = ?", vid);
	return o ? req_reply(r, 201, o) : -E_DB;
}

int hh_h_visits(struct req *r)
{
	json_t *items = list(r, "SELECT * FROM visits WHERE household_id = ? ORDER BY date DESC, id DESC");
	return items ? req_reply_list(r, items, (int64_t)json_array_size(items)) : -E_DB;
}

/* POST /households/{id}/objections — only during the public notice. */
int hh_h_objection_add(struct req *r)
{
	enum hh_status st;
	int64_t org, oid = 0;
	int rc = household_load(&r->x, r->id, &st, &org, NULL, &r->err);
	if (rc)
		return rc;
	if (st != HS_IN_NOTICE)
		return err_set(&r->err, E_INVALID_TRANSITION, "只能在公示期内登记异议");
	rc = db_insert(r->x.db, &r->err, &oid,
		    "INSERT INTO objections (household_id, text, created_by, created_at)"
		    " VALUES (?, ?, ?, ?)",
		    "isz" "s", r->id, body_str(r, "text"), r->x.who.id, r->x.now_s);
	if (!rc)
		rc = household_event(&r->x, r->id, "objection", "in_notice", "in_notice",
				     body_str(r, "text"), NULL, &r->err);
	if (!rc)
		rc = audit_add(&r->x, "create", "objection", oid, org, &r->err, "档案 %lld 公示期收到异议",
			       (long long)r->id);
	if (rc)
		return rc;
	json_t *o = db_one_json(r->x.db, &r->err, "SELECT * FROM objections WHERE id = ?", oid);
	return o ? req_reply(r, 201, o) : -E_DB;
}

int hh_h_objections(struct req *r)
{
	json_t *items = list(r, "SELECT * FROM objections WHERE household_id = ? ORDER BY id");
	return items ? req_reply_list(r, items, (int64_t)json_array_size(items)) : -E_DB;
}

/* POST /households/{id}/objections/{oid}/resolve {"upheld","comment"}.  An
 * upheld objection sends the archive back (rejected) with the comment. */
int hh_h_objection_resolve(struct req *r)
{
	struct ctx *x = &r->x;
	enum hh_status st;
	int64_t org, oid = 0, found = 0;
	int rc = household_load(x, r->id, &st, &org, NULL, &r->err);
	if (rc)
		return rc;
	if (r->nparam < 2 || (oid = strtoll(r->param[1], NULL, 10)) <= 0)
		return err_set(&r->err, E_NOT_FOUND, "异议不存在");
	if ((rc = db_int(x->db, &r->err, &found, NULL,
			 "SELECT COUNT(*) FROM objections WHERE id = ? AND household_id = ?", "ii", oid,
			 r->id)))
		return rc;
	if (!found)
		return err_set(&r->err, E_NOT_FOUND, "异议不存在");
	int upheld = body_bool(r, "upheld", 0);
	const char *comment = body_str(r, "comment");
	if (upheld && (!comment || !*comment))
		return err_field(&r->err, "comment", "异议成立时须填写处理意见");
	int64_t changed = 0;
	rc = db_int(x->db, &r->err, &changed, NULL,
		    "UPDATE objections SET status = ?, resolved_by = ?, resolved_at = ?, comment = ?"
		    " WHERE id = ? AND status = 'open' RETURNING id",
		    "szssi", upheld ? "upheld" : "dismissed", x->who.id, x->now_s, comment, oid);
	if (rc)
		return rc;
	if (!changed)
		return err_set(&r->err, E_INVALID_TRANSITION, "该异议已处理");
	if (upheld && st == HS_IN_NOTICE) {
		rc = db_run(x->db, &r->err, "UPDATE households SET status = 'rejected', version = version + 1,"
					    " updated_at = ? WHERE id = ?", "si", x->now_s, r->id);
		if (!rc)
			rc = household_event(x, r->id, "reject", "in_notice", "rejected",
					     arena_printf(x->a, "异议成立：%s", comment), NULL, &r->err);
	}
	if (!rc)
		rc = audit_add(x, "resolve", "objection", oid, org, &r->err, "处理档案 %lld 的异议：%s",
			       (long long)r->id, upheld ? "成立，档案退回" : "不成立");
	if (rc)
		return rc;
	json_t *o = db_one_json(x->db, &r->err, "SELECT * FROM objections WHERE id = ?", oid);
	return o ? req_reply(r, 200, o) : -E_DB;
}

int hh_h_pairing_add(struct req *r)
{
	int64_t org, pid = 0;
	int rc = household_load(&r->x, r->id, NULL, &org, NULL, &r->err);
	if (rc)
		return rc;
	const char *start = body_str(r, "start_date"), *end = body_str(r, "end_date");
	if (end && strcmp(end, start) < 0)
		return err_field(&r->err, "end_date", "结束日期不能早于开始日期");
	rc = db_insert(r->x.db, &r->err, &pid,
		    "INSERT INTO pairings (household_id, cadre_name, cadre_unit, phone, plan,"
		    " visits_per_year, start_date, end_date, created_by, created_at)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "issssissz" "s", r->id, body_str(r, "cadre_name"), body_str(r, "cadre_unit"),
		    body_str(r, "phone"), body_str(r, "plan"), body_int(r, "visits_per_year", 1), start,
		    end, r->x.who.id, r->x.now_s);
	if (!rc)
		rc = audit_add(&r->x, "create", "pairing", pid, org, &r->err, "档案 %lld 结对帮扶：%s",
			       (long long)r->id, body_str(r, "cadre_name"));
	if (rc)
		return rc;
	json_t *o = db_one_json(r->x.db, &r->err, "SELECT * FROM pairings WHERE id = ?", pid);
	return o ? req_reply(r, 201, o) : -E_DB;
}

int hh_h_pairings(struct req *r)
{
	json_t *items = list(r, "SELECT * FROM pairings WHERE household_id = ? ORDER BY id");
	return items ? req_reply_list(r, items, (int64_t)json_array_size(items)) : -E_DB;
}
