/* activities.c — outreach activities (送法进企业, 义诊, 募捐 …), attendance by
 * household, and the donations of a donation drive.  The list also shows
 * the job fairs and trainings of employment.c as activities of their
 * kinds, so that one calendar holds them all (API.md "Outreach"). */
#include "services/outreach.h"

#include <inttypes.h>
#include <string.h>

#include "rules/money.h"
#include "rules/outreach.h"
#include "services/audit.h"
#include "services/funds.h"
#include "services/households.h"
#include "services/orgs.h"

#define FEN_MAX 100000000000LL
#define ATTENDANCE_MAX 2000

const struct field activity_body[] = {
	{"org_id", F_INT, F_REQ, 1, 0, "举办单位"},
	{"kind", F_STR, F_REQ, 1, 30, "活动类型"},
	{"title", F_STR, F_REQ, 1, 100, "活动名称"},
	{"date", F_DATE, F_REQ, 0, 0, "活动日期"},
	{"place", F_STR, 0, 0, 200, "地点"},
	{"partner", F_STR, 0, 0, 200, "合作单位"},
	{"note", F_STR, 0, 0, 1000, "备注"},
	FIELDS_END,
};
const struct field attendance_body[] = {
	{"household_ids", F_ARR, F_REQ, 1, ATTENDANCE_MAX, "参加的家庭"},
	FIELDS_END,
};
const struct field donation_body[] = {
	{"account_id", F_INT, F_REQ, 1, 0, "存入账户"},
	{"amount_fen", F_INT, F_REQ, 1, FEN_MAX, "捐款金额（分）"},
	{"donor", F_STR, 0, 0, 100, "捐款人"},
	FIELDS_END,
};

/* One row shape for activities and for the job fairs and trainings shown
 * beside them: id is null for those, source_id names their own record. */
#define ACTIVITY_ROWS                                                                              \
	"(SELECT a.id, 'activity' AS source, a.id AS source_id, a.org_id, a.kind, a.title, a.date,"    \
	" a.date AS end_date, a.place, a.partner, a.note, a.attendance, a.donated_fen FROM activities a" \
	" UNION ALL SELECT CAST(NULL AS BIGINT), 'job_fair', f.id, f.org_id, 'job_fair', f.name, f.date,"  \
	" f.date, f.place, CAST(NULL AS TEXT), CAST(NULL AS TEXT), f.visitors, 0 FROM job_fairs f"   \
	" UNION ALL SELECT CAST(NULL AS BIGINT), 'training', t.id, t.org_id, 'training', t.name,"      \
	" t.start_date, t.end_date, CAST(NULL AS TEXT), t.provider, CAST(NULL AS TEXT),"             \
	" (SELECT COUNT(*) FROM enrolments n WHERE n.training_id = t.id), 0 FROM trainings t) v"

static json_t *activity_json(struct ctx *x, int64_t id, struct err *e)
{
	return db_one_json(x->db, e,
			   "SELECT a.id, 'activity' AS source, a.org_id, o.name AS org_name, a.kind, a.title, a.date,"
			   " a.place, a.partner, a.note, a.attendance, a.donated_fen, a.created_by, a.created_at"
			   " FROM activities a JOIN orgs o ON o.id = a.org_id WHERE a.id = ?",
			   id);
}

int activities_scope(struct req *r)
{
	return record_in_scope(&r->x, "activities", r->id, "活动不存在", &r->err);
}

/* POST /activities */
int activities_h_create(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t org = body_int(r, "org_id", 0), id = 0;
	int rc = org_in_scope(x, org, NULL, &r->err);
	if (rc)
		return rc;
	const char *kind = body_str(r, "kind");
	if (code_find(activity_kinds, kind) < 0)
		return err_field(&r->err, "kind", "活动类型应为 legal_outreach、free_clinic、job_fair、training、"
				 "donation_drive、handout、enterprise_visit 或 other");
	if ((rc = db_insert(x->db, &r->err, &id,
			    "INSERT INTO activities (org_id, kind, title, date, place, partner, note, created_by,"
			    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			    "issssssz" "s", org, kind, body_str(r, "title"), body_str(r, "date"), body_str(r, "place"),
			    body_str(r, "partner"), body_str(r, "note"), x->who.id, x->now_s)) ||
	    (rc = audit_add(x, "create", "activity", id, org, &r->err, "登记活动“%s”（%s）", body_str(r, "title"),
			    body_str(r, "date"))))
		return rc;
	json_t *o = activity_json(x, id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

/* GET /activities?kind=&from=&to=&org_id= — activities, job fairs and
 * trainings (by their first day) of the unit's subtree, by date. */
int activities_h_list(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t limit, offset, org;
	int rc = req_paging(r, &limit, &offset);
	if (!rc)
		rc = req_query_int(r, "org_id", x->who.org_id, 1, INT64_MAX, &org);
	if (rc)
		return rc;
	struct org root;
	if ((rc = org_in_scope(x, org, &root, &r->err)))
		return rc;
	const char *kind = req_query(r, "kind"), *from = req_query(r, "from"), *to = req_query(r, "to");
	day_t d;
	if (kind && *kind && code_find(activity_kinds, kind) < 0)
		return err_field(&r->err, "kind", "未知的活动类型");
	if (from && *from && date_parse(from, &d))
		return err_field(&r->err, "from", "日期应写作 YYYY-MM-DD");
	if (to && *to && date_parse(to, &d))
		return err_field(&r->err, "to", "日期应写作 YYYY-MM-DD");
	struct db_args a = {0};
	char *where = arena_printf(x->a, "FROM " ACTIVITY_ROWS " JOIN orgs o ON o.id = v.org_id WHERE o.path LIKE ?");
	db_arg_str(&a, arena_printf(x->a, "%s%%", root.path));
	if (kind && *kind) {
		where = arena_printf(x->a, "%s AND v.kind = ?", where);
		db_arg_str(&a, kind);
	}
	if (from && *from) {
		where = arena_printf(x->a, "%s AND v.date >= ?", where);
		db_arg_str(&a, from);
	}
	if (to && *to) {
		where = arena_printf(x->a, "%s AND v.date <= ?", where);
		db_arg_str(&a, to);
	}
	json_t *items = NULL;
	int64_t total = 0;
	if ((rc = db_page(x->db, &r->err,
			  "v.id, v.source, v.source_id, v.org_id, o.name AS org_name, v.kind, v.title, v.date,"
			  " v.end_date, v.place, v.partner, v.note, v.attendance, v.donated_fen",
			  where, "v.date, v.source, v.source_id", &a, limit, offset, &items, &total)))
		return rc;
	return req_reply_list(r, items, total);
}

/* GET /activities/{id} — with the households that attended and the
 * donations (no ID numbers or phones: names and archive numbers only). */
int activities_h_get(struct req *r)
{
	struct ctx *x = &r->x;
	json_t *o = activity_json(x, r->id, &r->err);
	if (!o)
		return -(int)r->err.code;
	struct db_stmt *s = db_q(x->db, &r->err,
				 "SELECT h.id, h.name, h.archive_no, h.status, o.name AS org_name FROM activity_attendance t"
				 " JOIN households h ON h.id = t.household_id JOIN orgs o ON o.id = h.org_id"
				 " WHERE t.activity_id = ? AND o.path LIKE ? ORDER BY h.id",
				 "is", r->id, ctx_scope_like(x));
	json_t *att = s ? db_rows_json(s, &r->err) : NULL;
	db_finalize(s);
	s = att ? db_q(x->db, &r->err,
		       "SELECT d.id, d.account_id, f.name AS account_name, d.amount_fen, d.donor, d.created_at"
		       " FROM activity_donations d JOIN fund_accounts f ON f.id = d.account_id"
		       " WHERE d.activity_id = ? ORDER BY d.id",
		       "i", r->id)
		 : NULL;
	json_t *don = s ? db_rows_json(s, &r->err) : NULL;
	db_finalize(s);
	if (!att || !don) {
		json_decref(o);
		json_decref(att);
		return -E_DB;
	}
	json_object_set_new(o, "attendees", att);
	json_object_set_new(o, "donations", don);
	return req_reply(r, 200, o);
}

/* POST /activities/{id}/attendance {"household_ids":[...]} — RULE
 * activity.attendance: every household in the caller's scope, else 404
 * and nothing recorded; repeats ignored.  {"attended": households that
 * attended in all, "added": new this time}. */
int activities_h_attendance(struct req *r)
{
	struct ctx *x = &r->x;
	json_t *ids = json_object_get(r->in, "household_ids"), *v;
	size_t i;
	json_array_foreach(ids, i, v) if (!json_is_integer(v) || json_integer_value(v) < 1)
		return err_field(&r->err, arena_printf(x->a, "household_ids[%zu]", i), "应为档案编号（正整数）");
	json_array_foreach(ids, i, v) {
		int64_t hid = json_integer_value(v);
		int rc = household_load(x, hid, NULL, NULL, NULL, &r->err);
		if (rc == -E_NOT_FOUND) {
			err_clear(&r->err);
			return err_set(&r->err, E_NOT_FOUND, "档案 %" PRId64 " 不存在，本次未登记任何参加记录", hid);
		}
		if (rc)
			return rc;
	}
	int64_t before = 0, after = 0, org = 0;
	int rc = db_int(x->db, &r->err, &before, NULL,
			"SELECT COUNT(*) FROM activity_attendance WHERE activity_id = ?", "i", r->id);
	json_array_foreach(ids, i, v) {
		if (rc)
			break;
		rc = db_run(x->db, &r->err,
			    "INSERT INTO activity_attendance (activity_id, household_id, created_at) VALUES (?, ?, ?)"
			    " ON CONFLICT DO NOTHING",
			    "iis", r->id, (int64_t)json_integer_value(v), x->now_s);
	}
	if (!rc)
		rc = db_int(x->db, &r->err, &after, NULL,
			    "SELECT COUNT(*) FROM activity_attendance WHERE activity_id = ?", "i", r->id);
	if (!rc)
		rc = db_int(x->db, &r->err, &org, NULL,
			    "UPDATE activities SET attendance = ? WHERE id = ? RETURNING org_id", "ii", after, r->id);
	if (!rc)
		rc = audit_add(x, "attendance", "activity", r->id, org, &r->err, "登记 %" PRId64 " 户参加活动",
			       after - before);
	if (rc)
		return rc;
	return req_reply(r, 200, json_pack("{s:I, s:I}", "attended", (json_int_t)after, "added",
					   (json_int_t)(after - before)));
}

/* GET /households/{id}/activities — what the household's people attended:
 * activities by attendance, trainings by enrolment of the worker or a
 * member (matched by ID number). */
int hh_h_activities(struct req *r)
{
	struct db_stmt *s = db_q(r->x.db, &r->err,
				 "SELECT a.id, 'activity' AS source, a.id AS source_id, a.kind, a.title, a.date, a.place,"
				 " a.partner, o.name AS org_name FROM activity_attendance t JOIN activities a"
				 " ON a.id = t.activity_id JOIN orgs o ON o.id = a.org_id WHERE t.household_id = ?"
				 " UNION ALL SELECT CAST(NULL AS BIGINT), 'training', tr.id, 'training', tr.name,"
				 " tr.start_date, CAST(NULL AS TEXT), tr.provider, o.name FROM enrolments n"
				 " JOIN trainings tr ON tr.id = n.training_id JOIN job_seekers j ON j.id = n.seeker_id"
				 " JOIN orgs o ON o.id = tr.org_id WHERE j.id_number IN (SELECT id_number FROM households"
				 " WHERE id = ? UNION SELECT id_number FROM members WHERE household_id = ?)"
				 " ORDER BY date DESC, source, source_id DESC",
				 "iii", r->id, r->id, r->id);
	json_t *items = s ? db_rows_json(s, &r->err) : NULL;
	db_finalize(s);
	return items ? req_reply_list(r, items, (int64_t)json_array_size(items)) : -E_DB;
}

/* POST /activities/{id}/donations — RULE activity.donation: only a
 * donation drive takes donations (409); the account lies in the caller's
 * scope (404) and on the activity's own line of units — its unit, one
 * above or one below, never another district's (422); the money is a
 * deposit whose ledger row names the activity. */
int activities_h_donation(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t acct = body_int(r, "account_id", 0), amount = body_int(r, "amount_fen", 0), acct_org = 0;
	struct db_stmt *s = db_q(x->db, &r->err,
				 "SELECT a.kind, a.title, a.org_id, o.path FROM activities a JOIN orgs o ON o.id = a.org_id"
				 " WHERE a.id = ?", "i", r->id);
	if (!s || db_step(s, &r->err) != DB_ROW) {
		db_finalize(s);
		return r->err.code ? -(int)r->err.code : err_set(&r->err, E_NOT_FOUND, "活动不存在");
	}
	int drive = !strcmp(db_col_text(s, 0), "donation_drive");
	const char *title = arena_strdup(x->a, db_col_text(s, 1)), *path = arena_strdup(x->a, db_col_text(s, 3));
	int64_t org = db_col_int(s, 2);
	db_finalize(s);
	int rc = fund_account_in_scope(x, acct, &acct_org, &r->err);
	if (rc)
		return rc;
	if (!drive)
		return err_set(&r->err, E_CONFLICT, "只有募捐活动可以登记捐款");
	int64_t line = 0;
	if ((rc = db_int(x->db, &r->err, &line, NULL,
			 "SELECT COUNT(*) FROM orgs o WHERE o.id = ? AND (? LIKE o.path || '%' OR o.path LIKE ? || '%')",
			 "iss", acct_org, path, path)))
		return rc;
	if (!line)
		return err_field(&r->err, "account_id", "捐款只能存入本活动举办单位或其上级、下级单位的账户");
	const char *donor = body_str(r, "donor");
	const char *note = arena_printf(x->a, "募捐活动“%s”%s%s", title, donor && *donor ? "：" : "",
					donor ? donor : "");
	int64_t did = 0, bal = 0;
	char yuan[32];
	money_format_fen(amount, yuan);
	if ((rc = fund_move(x, acct, amount, "deposit", 0, 0, note, &bal, &r->err)) ||
	    (rc = db_run(x->db, &r->err,
			 "UPDATE ledger SET activity_id = ? WHERE id = (SELECT MAX(id) FROM ledger WHERE account_id = ?)",
			 "ii", r->id, acct)) ||
	    (rc = db_insert(x->db, &r->err, &did,
			    "INSERT INTO activity_donations (activity_id, account_id, amount_fen, donor, created_by,"
			    " created_at) VALUES (?, ?, ?, ?, ?, ?)",
			    "iiisz" "s", r->id, acct, amount, donor, x->who.id, x->now_s)) ||
	    (rc = db_run(x->db, &r->err, "UPDATE activities SET donated_fen = donated_fen + ? WHERE id = ?", "ii",
			 amount, r->id)) ||
	    (rc = audit_add(x, "deposit", "fund_account", acct, acct_org, &r->err, "募捐活动 %" PRId64 " 存入 %s 元",
			    r->id, yuan)) ||
	    (rc = audit_add(x, "donation", "activity", r->id, org, &r->err, "收到捐款 %s 元", yuan)))
		return rc;
	json_t *o = db_one_json(x->db, &r->err,
				"SELECT id, activity_id, account_id, amount_fen, donor, created_at FROM activity_donations"
				" WHERE id = ?", did);
	if (!o)
		return -E_DB;
	json_object_set_new(o, "balance_fen", json_integer(bal));
	return req_reply(r, 201, o);
}

/* GET /activities/{id}/attendance — the ids of the households that
 * attended (for ticking them again in the form). */
int activities_h_attendees(struct req *r)
{
	struct db_stmt *s = db_q(r->x.db, &r->err,
				 "SELECT t.household_id FROM activity_attendance t JOIN households h ON h.id = t.household_id"
				 " JOIN orgs o ON o.id = h.org_id WHERE t.activity_id = ? AND o.path LIKE ?"
				 " ORDER BY t.household_id",
				 "is", r->id, ctx_scope_like(&r->x));
	json_t *items = s ? db_rows_json(s, &r->err) : NULL;
	db_finalize(s);
	return items ? req_reply_list(r, items, (int64_t)json_array_size(items)) : -E_DB;
}
