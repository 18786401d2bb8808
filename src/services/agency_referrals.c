/* agency_referrals.c — households referred to government services (转介:
 * 城市低保, 公租房, 学费减免, 医疗救助 …), followed up until the agency
 * decides; a granted 低保 updates the archive. */
#include "services/outreach.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "rules/outreach.h"
#include "services/audit.h"
#include "services/households.h"
#include "services/orgs.h"

#define FEN_MAX 100000000000LL

const struct field agency_referral_body[] = {
	{"agency", F_STR, F_REQ, 1, 30, "转介部门"},
	{"service", F_STR, F_REQ, 1, 30, "转介事项"},
	{"member_id", F_INT, F_NULL, 1, 0, "家庭成员"},
	{"referred_on", F_DATE, F_REQ, 0, 0, "转介日期"},
	{"note", F_STR, 0, 0, 1000, "备注"},
	FIELDS_END,
};
const struct field agency_outcome_body[] = {
	{"outcome", F_STR, F_REQ, 1, 20, "办理结果"},
	{"decided_on", F_DATE, F_REQ, 0, 0, "办结日期"},
	{"amount_fen", F_INT, F_NULL, 0, FEN_MAX, "金额（分）"},
	{"dibao_cert_no", F_STR, F_NULL, 0, 50, "低保证号"},
	{"note", F_STR, 0, 0, 1000, "备注"},
	FIELDS_END,
};
const struct field agency_follow_up_body[] = {
	{"date", F_DATE, F_REQ, 0, 0, "跟进日期"},
	{"note", F_STR, F_REQ, 1, 1000, "跟进情况"},
	FIELDS_END,
};

/* RULE referral.overdue: pending and referred more than 30 days ago.  One
 * text parameter: the last referred_on that is not yet overdue's eve. */
#define OVERDUE_IF "(r.status = 'pending' AND r.referred_on < ?)"
#define REFERRAL_COLS                                                                              \
	"r.id, r.household_id, h.name AS household_name, h.archive_no, r.org_id, o.name AS org_name,"   \
	" r.member_id, m.name AS member_name, r.agency, r.service, r.referred_on, r.note, r.status,"    \
	" r.decided_on, r.amount_fen, r.dibao_cert_no, r.outcome_note, r.followed_up_on,"              \
	" r.follow_up_note, CASE WHEN " OVERDUE_IF " THEN 1 ELSE 0 END AS overdue, r.created_at,"     \
	" r.updated_at"
#define REFERRAL_FROM                                                                              \
	" FROM agency_referrals r JOIN households h ON h.id = r.household_id JOIN orgs o ON o.id = r.org_id" \
	" LEFT JOIN members m ON m.id = r.member_id"

/* The day before which a pending referral is overdue (today − 30). */
static const char *overdue_before(struct ctx *x)
{
	char *d = arena_alloc(x->a, 11);
	date_format(x->today - REFERRAL_OVERDUE_DAYS, d);
	return d;
}

static void bools(json_t *items)
{
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		json_object_set_new(it, "overdue", json_boolean(json_integer_value(json_object_get(it, "overdue"))));
}

static json_t *referral_json(struct ctx *x, int64_t id, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e, "SELECT " REFERRAL_COLS REFERRAL_FROM " WHERE r.id = ?", "si",
				 overdue_before(x), id);
	json_t *items = s ? db_rows_json(s, e) : NULL;
	db_finalize(s);
	json_t *o = json_array_get(items, 0);
	if (o) {
		bools(items);
		json_incref(o);
	} else if (items) {
		err_set(e, E_NOT_FOUND, "转介记录不存在");
	}
	json_decref(items);
	return o;
}

int agency_referrals_scope(struct req *r)
{
	return record_in_scope(&r->x, "agency_referrals", r->id, "转介记录不存在", &r->err);
}

/* POST /households/{id}/agency-referrals → 201 {"status":"pending",...} */
int agency_referrals_h_create(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t org = 0, id = 0, member = body_int(r, "member_id", 0);
	int rc = household_load(x, r->id, NULL, &org, NULL, &r->err);
	if (rc)
		return rc;
	if (code_find(agencies, body_str(r, "agency")) < 0)
		return err_field(&r->err, "agency", "转介部门应为 civil_affairs、housing、education、health、"
				 "human_resources、legal_aid 或 other");
	if (code_find(agency_services, body_str(r, "service")) < 0)
		return err_field(&r->err, "service", "转介事项应为 dibao、public_housing、tuition_waiver、"
				 "medical_aid、job、legal_aid 或 other");
	if (strcmp(body_str(r, "referred_on"), x->today_s) > 0)
		return err_field(&r->err, "referred_on", "转介日期不能晚于今天");
	if (member) {
		int64_t n = 0;
		if ((rc = db_int(x->db, &r->err, &n, NULL,
				 "SELECT COUNT(*) FROM members WHERE id = ? AND household_id = ?", "ii", member, r->id)))
			return rc;
		if (!n)
			return err_field(&r->err, "member_id", "该成员不属于本户");
	}
	if ((rc = db_insert(x->db, &r->err, &id,
			    "INSERT INTO agency_referrals (household_id, org_id, member_id, agency, service, referred_on,"
			    " note, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			    "iizssssz" "ss", r->id, org, member, body_str(r, "agency"), body_str(r, "service"),
			    body_str(r, "referred_on"), body_str(r, "note"), x->who.id, x->now_s, x->now_s)) ||
	    (rc = audit_add(x, "create", "agency_referral", id, org, &r->err, "档案 %" PRId64 " 转介%s（%s）", r->id,
			    agency_services[code_find(agency_services, body_str(r, "service"))].label,
			    agencies[code_find(agencies, body_str(r, "agency"))].label)))
		return rc;
	json_t *o = referral_json(x, id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

/* GET /agency-referrals?status=&service=&overdue=true&household_id=&org_id= */
int agency_referrals_h_list(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t limit, offset, org, hid, total = 0;
	int rc = req_paging(r, &limit, &offset);
	if (!rc)
		rc = req_query_int(r, "org_id", x->who.org_id, 1, INT64_MAX, &org);
	if (!rc)
		rc = req_query_int(r, "household_id", 0, 1, INT64_MAX, &hid);
	struct org root;
	if (!rc)
		rc = org_in_scope(x, org, &root, &r->err);
	if (rc)
		return rc;
	const char *st = req_query(r, "status"), *svc = req_query(r, "service"), *od = req_query(r, "overdue");
	if (st && *st && strcmp(st, "pending") && strcmp(st, "granted") && strcmp(st, "refused"))
		return err_field(&r->err, "status", "状态应为 pending、granted 或 refused");
	if (svc && *svc && code_find(agency_services, svc) < 0)
		return err_field(&r->err, "service", "未知的转介事项");
	const char *before = overdue_before(x);
	struct db_args a = {0};
	db_arg_str(&a, before); /* the overdue column */
	char *from = arena_printf(x->a, "%s WHERE o.path LIKE ?", REFERRAL_FROM);
	struct db_args w = {0};
	db_arg_str(&w, arena_printf(x->a, "%s%%", root.path));
	if (st && *st) {
		from = arena_printf(x->a, "%s AND r.status = ?", from);
		db_arg_str(&w, st);
	}
	if (svc && *svc) {
		from = arena_printf(x->a, "%s AND r.service = ?", from);
		db_arg_str(&w, svc);
	}
	if (hid) {
		from = arena_printf(x->a, "%s AND r.household_id = ?", from);
		db_arg_int(&w, hid);
	}
	if (od && !strcmp(od, "true")) {
		from = arena_printf(x->a, "%s AND " OVERDUE_IF, from);
		db_arg_str(&w, before);
	}
	/* the columns take one argument ahead of those of the FROM: count with
	 * the FROM's alone, then page with both */
	int64_t n = 0;
	struct db_stmt *s = db_q_args(x->db, &r->err, arena_printf(x->a, "SELECT COUNT(*) %s", from), &w);
	if (s && db_step(s, &r->err) == DB_ROW)
		n = db_col_int(s, 0);
	db_finalize(s);
	if (!s || r->err.code)
		return -E_DB;
	total = n;
	for (int i = 0; i < w.n; i++) {
		if (w.type[i] == 'i')
			db_arg_int(&a, w.i[i]);
		else
			db_arg_str(&a, w.s[i]);
	}
	db_arg_int(&a, limit);
	db_arg_int(&a, offset);
	s = db_q_args(x->db, &r->err,
		      arena_printf(x->a, "SELECT " REFERRAL_COLS " %s ORDER BY r.referred_on DESC, r.id DESC LIMIT ? OFFSET ?",
				   from),
		      &a);
	json_t *items = s ? db_rows_json(s, &r->err) : NULL;
	db_finalize(s);
	if (!items)
		return -E_DB;
	bools(items);
	return req_reply_list(r, items, total);
}

int agency_referrals_h_get(struct req *r)
{
	json_t *o = referral_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

/* GET /households/{id}/agency-referrals */
int hh_h_agency_referrals(struct req *r)
{
	struct db_stmt *s = db_q(r->x.db, &r->err,
				 "SELECT " REFERRAL_COLS REFERRAL_FROM " WHERE r.household_id = ?"
				 " ORDER BY r.referred_on DESC, r.id DESC",
				 "si", overdue_before(&r->x), r->id);
	json_t *items = s ? db_rows_json(s, &r->err) : NULL;
	db_finalize(s);
	if (!items)
		return -E_DB;
	bools(items);
	return req_reply_list(r, items, (int64_t)json_array_size(items));
}

struct ref {
	int64_t hid, org, version;
	char svc[32], on[11];
};

/* Loads a referral that is still pending: 409 invalid_transition with
 * `decided` otherwise (RULE referral.outcome). */
static int load_pending(struct ctx *x, int64_t id, struct ref *f, const char *decided, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e, "SELECT status, household_id, org_id, service, referred_on, version"
				 " FROM agency_referrals WHERE id = ?", "i", id);
	if (!s)
		return -E_DB;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		rc = strcmp(db_col_text(s, 0), "pending") ? err_set(e, E_INVALID_TRANSITION, "%s", decided) : 0;
		f->hid = db_col_int(s, 1);
		f->org = db_col_int(s, 2);
		snprintf(f->svc, sizeof f->svc, "%s", db_col_text(s, 3));
		snprintf(f->on, sizeof f->on, "%s", db_col_text(s, 4));
		f->version = db_col_int(s, 5);
	} else if (rc == DB_DONE) {
		rc = err_set(e, E_NOT_FOUND, "转介记录不存在");
	}
	db_finalize(s);
	return rc;
}

/* POST /agency-referrals/{id}/outcome — RULE referral.outcome: once, while
 * pending (409 invalid_transition); decided on or after the referral and
 * not after today.  RULE referral.dibao_granted: a granted dibao sets the
 * archive's receives_dibao and dibao_cert_no and recomputes its figures
 * against today's standard, so its suggested category may change. */
int agency_referrals_h_outcome(struct req *r)
{
	struct ctx *x = &r->x;
	struct ref f;
	int rc = load_pending(x, r->id, &f, "该转介已有办理结果，不能再次登记", &r->err);
	if (rc)
		return rc;
	const char *out = body_str(r, "outcome"), *dec = body_str(r, "decided_on");
	if (strcmp(out, "granted") && strcmp(out, "refused"))
		return err_field(&r->err, "outcome", "办理结果应为 granted 或 refused");
	if (strcmp(dec, f.on) < 0)
		return err_field(&r->err, "decided_on", "办结日期不能早于转介日期");
	if (strcmp(dec, x->today_s) > 0)
		return err_field(&r->err, "decided_on", "办结日期不能晚于今天");
	const char *cert = body_str(r, "dibao_cert_no");
	int64_t amount = body_int(r, "amount_fen", 0);
	struct db_args a = {0};
	db_arg_str(&a, dec);
	if (json_is_integer(json_object_get(r->in, "amount_fen")))
		db_arg_int(&a, amount);
	else
		db_arg_str(&a, NULL);
	db_arg_str(&a, cert && *cert ? cert : NULL);
	db_arg_str(&a, body_str(r, "note"));
	rc = db_move_status(x->db, &r->err, "agency_referrals", r->id, "pending", f.version, out, x->now_s,
			    ", decided_on = ?, amount_fen = ?, dibao_cert_no = ?, outcome_note = ?", &a);
	if (rc == 0)
		return err_set(&r->err, E_INVALID_TRANSITION, "该转介已有办理结果，不能再次登记");
	if (rc < 0)
		return rc;
	int dibao = !strcmp(out, "granted") && !strcmp(f.svc, "dibao");
	if (dibao &&
	    ((rc = db_run(x->db, &r->err,
			  "UPDATE households SET receives_dibao = 1, dibao_cert_no = COALESCE(?, dibao_cert_no),"
			  " version = version + 1, updated_at = ? WHERE id = ?",
			  "ssi", cert && *cert ? cert : NULL, x->now_s, f.hid)) ||
	     (rc = household_recompute(x, f.hid, &r->err)) ||
	     (rc = audit_add(x, "update", "household", f.hid, f.org, &r->err, "转介民政部门获批低保%s%s",
			     cert && *cert ? "，低保证号 " : "", cert && *cert ? cert : ""))))
		return rc;
	if ((rc = audit_add(x, "outcome", "agency_referral", r->id, f.org, &r->err, "转介办理结果：%s",
			    !strcmp(out, "granted") ? "已办成" : "未获批")))
		return rc;
	json_t *o = referral_json(x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -E_DB;
}

/* POST /agency-referrals/{id}/follow-ups {"date","note"} — while pending:
 * the last follow-up with the agency (跟进). */
int agency_referrals_h_follow_up(struct req *r)
{
	struct ctx *x = &r->x;
	struct ref f;
	int rc = load_pending(x, r->id, &f, "该转介已办结，无需跟进", &r->err);
	if (rc)
		return rc;
	const char *d = body_str(r, "date");
	if (strcmp(d, f.on) < 0 || strcmp(d, x->today_s) > 0)
		return err_field(&r->err, "date", "跟进日期应在转介日期与今天之间");
	if ((rc = db_run(x->db, &r->err,
			 "UPDATE agency_referrals SET followed_up_on = ?, follow_up_note = ?, version = version + 1,"
			 " updated_at = ? WHERE id = ?",
			 "sssi", d, body_str(r, "note"), x->now_s, r->id)) ||
	    (rc = audit_add(x, "follow_up", "agency_referral", r->id, f.org, &r->err, "跟进转介：%s", body_str(r, "note"))))
		return rc;
	json_t *o = referral_json(x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -E_DB;
}
