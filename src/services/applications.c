/* applications.c — filing, reading and listing applications. */
#include "services/applications.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/eligibility.h"
#include "rules/household.h"
#include "services/attachments.h"
#include "services/audit.h"
#include "services/orgs.h"
#include "services/calendar.h"
#include "services/emergency.h"
#include "services/households.h"
#include "services/programs.h"

#define FEN_MAX 100000000000LL

const struct field application_body[] = {
	{"household_id", F_INT, F_NULL, 1, 0, "困难职工家庭"},
	{"org_id", F_INT, F_NULL, 1, 0, "承办单位"},      /* emergency aid (emergency.c) */
	{"person", F_OBJ, F_NULL, 0, 0, "受助人"},        /* emergency aid */
	{"program_code", F_STR, F_REQ, 1, 32, "帮扶项目"},
	{"member_id", F_INT, F_NULL, 1, 0, "受助成员"},
	{"requested_fen", F_INT, F_REQ, 0, FEN_MAX, "申请金额（分）"},
	{"reason", F_STR, 0, 0, 2000, "申请理由"},
	{"documents", F_ARR, 0, 0, 30, "已提交的材料"},
	FIELDS_END,
};

int application_event(struct ctx *x, int64_t id, const char *action, const char *from,
		      const char *to, const char *comment, struct err *e)
{
	return db_run(x->db, e,
		      "INSERT INTO application_events (application_id, at, user_id, action, from_status,"
		      " to_status, comment) VALUES (?, ?, ?, ?, ?, ?, ?)",
		      "iszssss", id, x->now_s, x->who.id, action, from, to, comment);
}

/* RULE aid.monthly (migration 008): the applications of `from_where` (a
 * FROM ... WHERE on applications a, with its arguments a), just disbursed,
 * added to aid_monthly by unit, month and programme. */
int aid_monthly_add(struct ctx *x, const char *from_where, const struct db_args *args, struct err *e)
{
	char sql[1024];
	if ((size_t)snprintf(sql, sizeof sql,
			     "INSERT INTO aid_monthly (org_id, month, program_code, paid_count, net_fen)"
			     " SELECT a.org_id, SUBSTR(a.disbursed_at, 1, 7), a.program_code, COUNT(*),"
			     " SUM(a.disbursed_fen - a.refunded_fen)%s"
			     " GROUP BY a.org_id, SUBSTR(a.disbursed_at, 1, 7), a.program_code"
			     " ON CONFLICT (org_id, month, program_code) DO UPDATE SET"
			     " paid_count = aid_monthly.paid_count + excluded.paid_count,"
			     " net_fen = aid_monthly.net_fen + excluded.net_fen",
			     from_where) >= sizeof sql)
		return err_set(e, E_INTERNAL, "程序错误：SQL 过长");
	struct db_stmt *s = db_q_args(x->db, e, sql, args);
	if (!s)
		return -E_DB;
	int rc = db_step(s, e);
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

/* RULE aid.monthly: amount_fen of application id refunded. */
int aid_monthly_refund(struct ctx *x, int64_t id, int64_t amount_fen, struct err *e)
{
	return db_run(x->db, e,
		      "UPDATE aid_monthly SET net_fen = net_fen - ? WHERE (org_id, month, program_code) ="
		      " (SELECT org_id, SUBSTR(disbursed_at, 1, 7), program_code FROM applications WHERE id = ?)",
		      "ii", amount_fen, id);
}

struct facts_row {
	int64_t org_id, per_capita, standard;
	const char *status, *causes, *name;
	int disability;
};

static int household_facts(struct ctx *x, int64_t hid, struct facts_row *f, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT h.org_id, h.status, h.per_capita_income_fen, COALESCE(h.standard_fen, 0),"
				 " h.causes, h.disability, h.name FROM households h JOIN orgs o ON o.id = h.org_id"
				 " WHERE h.id = ? AND o.path LIKE ?",
				 "is", hid, ctx_scope_like(x));
	if (!s)
		return -E_DB;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		f->org_id = db_col_int(s, 0);
		f->status = arena_strdup(x->a, db_col_text(s, 1));
		f->per_capita = db_col_int(s, 2);
		f->standard = db_col_int(s, 3);
		f->causes = arena_strdup(x->a, db_col_text(s, 4));
		f->disability = (int)db_col_int(s, 5);
		f->name = arena_strdup(x->a, db_col_text(s, 6));
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_set(e, E_NOT_FOUND, "困难职工家庭不存在");
	}
	db_finalize(s);
	return rc;
}

static unsigned cause_bits(const char *list)
{
	unsigned m = 0;
	char buf[512];
	snprintf(buf, sizeof buf, "%s", list ? list : "");
	for (char *sv = NULL, *t = strtok_r(buf, ",", &sv); t; t = strtok_r(NULL, ",", &sv))
		if (cause_parse(t) >= 0)
			m |= 1u << cause_parse(t);
	return m;
}

int application_check_amount(int64_t amount, int64_t std, int64_t max, const char *reason, json_t *docs,
			     struct err *e)
{
	int rc = 0;
	if (amount > max)
		rc = err_field(e, "requested_fen", "申请金额超过本项目最高金额（%lld 分）", (long long)max);
	else if (amount > std && (!reason || !*reason)) /* RULE aid.above_standard */
		rc = err_field(e, "reason", "申请金额高于标准金额（%lld 分），须说明理由", (long long)std);
	size_t i;
	json_t *v;
	json_array_foreach(docs, i, v)
		if (!json_is_string(v) || !*json_string_value(v))
			rc = err_field(e, "documents", "材料名称应为非空字符串");
	return rc;
}

int application_create(struct ctx *x, json_t *b, int64_t *id, struct err *e)
{
	int64_t hid = json_integer_value(json_object_get(b, "household_id"));
	int64_t mid = json_integer_value(json_object_get(b, "member_id"));
	int64_t amount = json_integer_value(json_object_get(b, "requested_fen"));
	const char *code = json_string_value(json_object_get(b, "program_code"));
	const char *reason = json_string_value(json_object_get(b, "reason"));
	struct facts_row h = {0};
	struct err pe = {0};
	json_t *prog = program_json(x, code, &pe);
	err_clear(&pe);
	if (!prog || !json_is_true(json_object_get(prog, "active"))) {
		json_decref(prog);
		return err_field(e, "program_code", "未知或已停用的帮扶项目：%s", code);
	}
	int rc = 0;
	if (json_is_true(json_object_get(prog, "emergency"))) { /* RULE emergency.program */
		rc = emergency_create(x, b, prog, id, e);
		json_decref(prog);
		return rc;
	}
	if (!hid)
		rc = err_field(e, "household_id", "请选择困难职工家庭");
	if (json_object_get(b, "person") && !json_is_null(json_object_get(b, "person")))
		rc = err_field(e, "person", "只有临时救助申请填写受助人");
	if (!rc)
		rc = household_facts(x, hid, &h, e);
	if (rc) {
		json_decref(prog);
		return rc;
	}
	struct elig_rules rules;
	struct tiers tiers;
	const char *why;
	elig_parse(json_object_get(prog, "rules"), &rules, &why);
	tiers_parse(json_object_get(prog, "tiers"), &tiers, &why);
	struct elig_facts f = {
		.active = !strcmp(h.status, "active"), .per_capita_fen = h.per_capita,
		.standard_fen = h.standard, .causes = cause_bits(h.causes), .member_school_stage = -1,
		.disability = h.disability,
	};
	int year;
	char school_year[10];
	date_to_ymd(x->today, &year, &(int){0}, &(int){0});
	school_year_of(x->today, school_year);
	if (mid) {
		struct db_stmt *s = db_q(x->db, e, "SELECT school_stage, disability FROM members"
						   " WHERE id = ? AND household_id = ?", "ii", mid, hid);
		if (s && db_step(s, e) == DB_ROW) {
			f.has_member = 1;
			f.member_school_stage = school_parse(db_col_text(s, 0));
			f.disability |= (int)db_col_int(s, 1);
		}
		db_finalize(s);
		if (!f.has_member) {
			json_decref(prog);
			return err_field(e, "member_id", "该成员不属于此家庭");
		}
	}
	int64_t n = 0;
	/* RULE aid.caps: count this year's filings that are not rejected/withdrawn */
	rc = db_int(x->db, e, &n, NULL, "SELECT COUNT(*) FROM applications WHERE household_id = ?"
		    " AND program_code = ? AND year = ? AND status NOT IN ('rejected', 'withdrawn')",
		    "isi", hid, code, (int64_t)year);
	f.household_year_count = (int)n;
	if (!rc && mid)
		rc = db_int(x->db, e, &n, NULL, "SELECT COUNT(*) FROM applications WHERE member_id = ?"
			    " AND program_code = ? AND school_year = ? AND status NOT IN ('rejected', 'withdrawn')",
			    "iss", mid, code, school_year);
	f.member_school_year_count = (int)n;
	if (rc) {
		json_decref(prog);
		return rc;
	}
	const char *reasons[16];
	int nr = elig_check(&rules, &f, reasons, 16);
	if (nr) {
		err_set(e, E_NOT_ELIGIBLE, "不符合“%s”的申请条件：%s", json_string_value(json_object_get(prog, "name")),
			reasons[0]);
		for (int i = 0; i < nr && i < 16; i++)
			err_detail_push(e, "reasons", reasons[i]);
		json_decref(prog);
		return -E_NOT_ELIGIBLE;
	}
	int64_t max = json_integer_value(json_object_get(prog, "max_fen"));
	int64_t std = elig_standard_amount(&rules, json_integer_value(json_object_get(prog, "standard_fen")),
					   f.disability);
	json_t *docs = json_object_get(b, "documents");
	if ((rc = application_check_amount(amount, std, max, reason, docs, e))) {
		json_decref(prog);
		return rc;
	}
	day_t due;
	char due_s[11];
	if ((rc = calendar_add_workdays(x, x->today,
					(int)json_integer_value(json_object_get(prog, "deadline_workdays")), &due, e))) {
		json_decref(prog);
		return rc;
	}
	date_format(due, due_s);
	char *snap = json_dumps(prog, JSON_COMPACT), *dj = docs ? json_dumps(docs, JSON_COMPACT) : strdup("[]");
	rc = db_insert(x->db, e, id,
		    "INSERT INTO applications (household_id, org_id, program_code, program_version,"
		    " program_snapshot, member_id, status, requested_fen, reason, documents, year, school_year,"
		    " due_date, required_level, submitted_by, created_at, updated_at)"
		    " VALUES (?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "iisiszississszss", hid, h.org_id, code,
		    (int64_t)json_integer_value(json_object_get(prog, "version")), snap, mid, amount, reason, dj,
		    (int64_t)year, mid ? school_year : NULL, due_s, tier_name(tiers_required(&tiers, amount)),
		    x->who.id, x->now_s, x->now_s);
	free(snap);
	free(dj);
	if (!rc)
		rc = application_event(x, *id, "submit", NULL, "submitted", reason, e);
	if (!rc)
		rc = audit_add(x, "create", "application", *id, h.org_id, e, "%s申请“%s”，金额 %lld 分",
			       h.name, json_string_value(json_object_get(prog, "name")), (long long)amount);
	json_decref(prog);
	return rc;
}

/* The snapshot's required documents not in the application's documents. */
static json_t *missing_documents(json_t *o)
{
	json_t *snap = json_object_get(o, "program"), *have = json_object_get(o, "documents");
	json_t *need = json_object_get(snap, "documents"), *miss = json_array();
	size_t i, j;
	json_t *d, *h;
	json_array_foreach(need, i, d) {
		int found = 0;
		json_array_foreach(have, j, h)
			found |= json_equal(d, h);
		if (!found)
			json_array_append(miss, d);
	}
	return miss;
}

/* The names by scalar subquery, not by join: a list ordered by an index
 * looks them up for the rows of its page only, and its count reads the
 * applications alone (1,000,000 archives, 5,400,000 applications: 14.7 s
 * for a page with the joins, docs/benchmarks.md). */
#define APP_COLS                                                                                \
	"a.id, a.household_id, COALESCE((SELECT h.name FROM households h WHERE h.id = a.household_id)," \
	" a.person_name) AS household_name, a.org_id, (SELECT o.name FROM orgs o WHERE o.id = a.org_id) AS org_name," \
	" a.program_code, a.program_version, a.member_id, a.campaign_id, a.status, a.version,"   \
	" a.requested_fen, a.approved_fen, a.disbursed_fen, a.refunded_fen, a.reason, a.documents," \
	" a.year, a.school_year, a.due_date, a.required_level, a.account_id, a.signed_by,"        \
	" a.signed_on, a.report, a.submitted_by, a.approved_by, a.created_at, a.updated_at,"      \
	" a.disbursed_at, a.closed_at, a.person_name, a.person_id_number, a.person_phone,"       \
	" a.person_address, a.follow_up_due, a.follow_up_outcome, a.follow_up_household_id,"     \
	" a.follow_up_comment, a.follow_up_on"

static void decorate(json_t *o, const char *snapshot, const char *today)
{
	json_t *docs = json_loads(json_string_value(json_object_get(o, "documents")), 0, NULL);
	json_object_set_new(o, "documents", docs ? docs : json_array());
	if (snapshot) {
		json_t *p = json_loads(snapshot, 0, NULL);
		json_object_set_new(o, "program", p ? p : json_null());
		json_object_set_new(o, "program_name", json_string(json_string_value(json_object_get(p, "name"))));
		json_object_set_new(o, "missing_documents", missing_documents(o));
	}
	const char *st = json_string_value(json_object_get(o, "status"));
	const char *due = json_string_value(json_object_get(o, "due_date"));
	int open = st && (!strcmp(st, "submitted") || !strcmp(st, "verified") || !strcmp(st, "approved"));
	json_object_set_new(o, "overdue", json_boolean(open && due && strcmp(due, today) < 0));
	emergency_shape(o, today); /* the person masked, the follow-up */
}

json_t *application_json(struct ctx *x, int64_t id, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT " APP_COLS ", a.program_snapshot FROM applications a WHERE a.id = ?",
				 "i", id);
	if (!s)
		return NULL;
	json_t *o = NULL;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		o = db_row_json(s);
		const char *snap = json_string_value(json_object_get(o, "program_snapshot"));
		char *copy = snap ? strdup(snap) : NULL;
		json_object_del(o, "program_snapshot");
		decorate(o, copy, x->today_s);
		calendar_flag(x, o, "due_date", "due_date_provisional"); /* RULE calendar.provisional */
		free(copy);
		if (attach_documents(x, o, e)) { /* RULE aid.documents: ticked or attached */
			json_decref(o);
			o = NULL;
		}
	} else if (rc == DB_DONE) {
		err_set(e, E_NOT_FOUND, "申请不存在");
	}
	db_finalize(s);
	return o;
}

int applications_scope(struct req *r)
{
	return record_in_scope(&r->x, "applications", r->id, "申请不存在", &r->err);
}

int applications_h_create(struct req *r)
{
	int64_t id = 0;
	int rc = application_create(&r->x, r->in, &id, &r->err);
	if (rc)
		return rc;
	json_t *o = application_json(&r->x, id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

int applications_h_get(struct req *r)
{
	json_t *o = application_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

json_t *application_events_json(struct ctx *x, int64_t id, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT e.id, e.at, e.user_id, u.name AS user_name, e.action,"
				 " e.from_status AS \"from\", e.to_status AS \"to\", e.comment"
				 " FROM application_events e LEFT JOIN users u ON u.id = e.user_id"
				 " WHERE e.application_id = ? ORDER BY e.id",
				 "i", id);
	json_t *items = s ? db_rows_json(s, e) : NULL;
	db_finalize(s);
	return items;
}

int applications_h_events(struct req *r)
{
	json_t *items = application_events_json(&r->x, r->id, &r->err);
	return items ? req_reply_list(r, items, (int64_t)json_array_size(items)) : -E_DB;
}

/* GET /applications?status=&program_code=&household_id=&org_id=&campaign_id=&overdue=true */
int app_filter_from_query(struct req *r, struct app_filter *f)
{
	memset(f, 0, sizeof *f);
	int rc = req_query_int(r, "household_id", 0, 0, INT64_MAX, &f->household_id);
	if (!rc)
		rc = req_query_int(r, "campaign_id", 0, 0, INT64_MAX, &f->campaign_id);
	f->status = req_query(r, "status");
	f->program_code = req_query(r, "program_code");
	const char *over = req_query(r, "overdue");
	f->overdue = over && !strcmp(over, "true");
	const char *fu = req_query(r, "follow_up_overdue"), *tmp = req_query(r, "temporary");
	f->follow_up_overdue = fu && !strcmp(fu, "true");
	f->temporary = tmp && !strcmp(tmp, "true");
	return rc;
}

/* The FROM ... WHERE of the list for f, its arguments into a.  The
 * units by IN, for the count: SQLite counts by org_id (and status) from
 * applications_org_status alone.  For a page (ordered), "+a.org_id" keeps
 * SQLite off that index, which a small statistics sample can make look
 * cheap (it did with 1,000 rows an index): it reads the rows in the list's
 * order from applications_due (or applications_status_due) and stops at
 * the page's end, where sorting all of them took seconds at 5,400,000
 * (docs/benchmarks.md).  PostgreSQL reads "+" as the same number. */
static void list_sql(struct ctx *x, const struct app_filter *f, int ordered, char *where, size_t wn,
		     struct db_args *a)
{
	snprintf(where, wn, "FROM applications a WHERE %sa.org_id IN (SELECT o.id FROM orgs o WHERE o.path LIKE ?)",
		 ordered ? "+" : "");
	db_arg_str(a, ctx_scope_like(x));
	if (f->status) {
		strcat(where, " AND a.status = ?");
		db_arg_str(a, f->status);
	}
	if (f->program_code) {
		strcat(where, " AND a.program_code = ?");
		db_arg_str(a, f->program_code);
	}
	if (f->household_id) {
		strcat(where, " AND a.household_id = ?");
		db_arg_int(a, f->household_id);
	}
	if (f->campaign_id) {
		strcat(where, " AND a.campaign_id = ?");
		db_arg_int(a, f->campaign_id);
	}
	if (f->overdue) {
		strcat(where, " AND a.status IN ('submitted', 'verified', 'approved') AND a.due_date < ?");
		db_arg_str(a, x->today_s);
	}
	if (f->follow_up_overdue) { /* RULE emergency.follow_up_overdue */
		strcat(where, " AND a.follow_up_due < ? AND a.follow_up_outcome IS NULL");
		db_arg_str(a, x->today_s);
	}
	if (f->temporary)
		strcat(where, " AND a.household_id IS NULL");
}

#define APP_ORDER "a.due_date, a.id"

int applications_h_list(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t limit, offset;
	struct app_filter f;
	int rc = req_paging(r, &limit, &offset);
	if (!rc)
		rc = app_filter_from_query(r, &f);
	if (rc)
		return rc;
	struct db_args a = {0}, again = {0}; /* the same arguments, for the count */
	char where[768], count[768];
	list_sql(x, &f, 1, where, sizeof where, &a);
	list_sql(x, &f, 0, count, sizeof count, &again);
	int64_t total = 0;
	json_t *items = NULL;
	if ((rc = db_page_counted(x->db, &r->err, APP_COLS, where, count, APP_ORDER, &a, limit, offset, &items,
				  &total)))
		return rc;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		decorate(it, NULL, x->today_s);
		calendar_flag(x, it, "due_date", "due_date_provisional");
	}
	return req_reply_list(r, items, total);
}

struct each_arg {
	db_row_fn fn;
	void *arg;
	const char *today;
};
static int each_item(void *arg, json_t *row, struct err *e)
{
	struct each_arg *ea = arg;
	decorate(row, NULL, ea->today);
	return ea->fn(ea->arg, row, e);
}

int applications_each(struct ctx *x, const struct app_filter *f, db_row_fn fn, void *arg, struct err *e)
{
	struct db_args a = {0};
	char where[768];
	list_sql(x, f, 1, where, sizeof where, &a);
	struct each_arg ea = {fn, arg, x->today_s};
	return db_each(x->db, e, arena_printf(x->a, "SELECT " APP_COLS " %s ORDER BY " APP_ORDER, where), &a,
		       each_item, &ea);
}
