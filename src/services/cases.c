/* cases.c — intake, reading and listing of reception cases.  The actions
 * (assign, start, resolve, close, refer) are in case_workflow.c. */
#include "services/cases.h"

#include <string.h>

#include "rules/case_flow.h"
#include "rules/idcard.h"
#include "services/audit.h"
#include "services/calendar.h"
#include "services/households.h"
#include "services/orgs.h"

const struct field case_body[] = {
	{"org_id", F_INT, F_REQ, 1, 0, "承办单位"},
	{"channel", F_STR, F_REQ, 1, 20, "受理渠道"},
	{"category", F_STR, F_REQ, 1, 20, "事项类别"},
	{"household_id", F_INT, F_NULL, 1, 0, "困难职工档案"},
	{"person_name", F_STR, 0, 1, 50, "姓名"},
	{"phone", F_STR, 0, 0, 30, "联系电话"},
	{"id_number", F_STR, 0, 0, 32, "身份证号"},
	{"work_unit", F_STR, 0, 0, 100, "工作单位"},
	{"migrant_worker", F_BOOL, 0, 0, 0, "农民工"},
	{"subject", F_STR, F_REQ, 1, 200, "事由"},
	{"description", F_STR, 0, 0, 4000, "详细情况"},
	FIELDS_END,
};

static const char *str(json_t *b, const char *k)
{
	const char *s = json_string_value(json_object_get(b, k));
	return s && *s ? s : NULL;
}

int case_event(struct ctx *x, int64_t id, const char *action, const char *from, const char *to,
	       const char *comment, struct err *e)
{
	return db_run(x->db, e,
		      "INSERT INTO case_events (case_id, at, user_id, action, from_status, to_status, comment)"
		      " VALUES (?, ?, ?, ?, ?, ?, ?)",
		      "iszssss", id, x->now_s, x->who.id, action, from, to, comment);
}

/* The person: an archived household in scope (its name, phone and ID number
 * unless the body gives them), or free entry with a name.  An ID number is
 * checked by GB 11643 either way. */
static int person(struct ctx *x, json_t *b, const char **name, const char **phone, const char **idn,
		  struct err *e)
{
	int64_t hid = json_integer_value(json_object_get(b, "household_id"));
	*name = str(b, "person_name");
	*phone = str(b, "phone");
	*idn = str(b, "id_number");
	if (hid) {
		json_t *h = NULL;
		int rc = household_load(x, hid, NULL, NULL, NULL, e);
		if (rc)
			return rc; /* out of scope or missing: 404 */
		if (!(h = household_json(x, hid, 1, e)))
			return -(int)e->code;
		if (!*name)
			*name = arena_strdup(x->a, json_string_value(json_object_get(h, "name")));
		if (!*phone && str(h, "phone"))
			*phone = arena_strdup(x->a, str(h, "phone"));
		if (!*idn)
			*idn = arena_strdup(x->a, json_string_value(json_object_get(h, "id_number")));
		json_decref(h);
	} else if (!*name) {
		return err_field(e, "person_name", "未关联困难职工档案时须填写姓名");
	}
	if (*idn) {
		struct idcard_info info;
		int rc = idcard_check(*idn, x->today, &info);
		if (rc != ID_OK)
			return err_field(e, "id_number", "%s", idcard_strerror(rc));
		*idn = arena_strdup(x->a, info.norm);
	}
	return 0;
}

int case_create(struct ctx *x, json_t *b, int64_t *id, struct err *e)
{
	const char *ch = str(b, "channel"), *cat = str(b, "category");
	int channel = case_channel_parse(ch), category = case_category_parse(cat);
	int64_t org = json_integer_value(json_object_get(b, "org_id"));
	int64_t hid = json_integer_value(json_object_get(b, "household_id"));
	const char *name, *phone, *idn;
	int rc = org_in_scope(x, org, NULL, e);
	if (rc)
		return rc;
	if (channel < 0)
		rc = err_field(e, "channel", "受理渠道应为 window、hotline、letter 或 online");
	if (category < 0)
		rc = err_field(e, "category", "事项类别应为 petition、consultation、legal_aid、wage_arrears、"
					    "labour_dispute 或 other");
	if (rc)
		return rc;
	if ((rc = person(x, b, &name, &phone, &idn, e)))
		return rc;
	day_t due;
	char due_s[11];
	/* RULE cases.deadline */
	if ((rc = calendar_add_workdays(x, x->today, case_category_workdays(category), &due, e)))
		return rc;
	date_format(due, due_s);
	rc = db_insert(x->db, e, id,
		    "INSERT INTO cases (org_id, status, channel, category, household_id, person_name, phone,"
		    " id_number, work_unit, migrant_worker, subject, description, received_on, deadline,"
		    " created_by, created_at, updated_at)"
		    " VALUES (?, 'received', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "isszssssisssszss", org, case_channel_name(channel), case_category_name(category), hid,
		    name, phone, idn, str(b, "work_unit"),
		    (int64_t)json_is_true(json_object_get(b, "migrant_worker")), str(b, "subject"),
		    str(b, "description") ? str(b, "description") : "", x->today_s, due_s, x->who.id,
		    x->now_s, x->now_s);
	if (!rc)
		rc = case_event(x, *id, "receive", NULL, "received", str(b, "subject"), e);
	if (!rc)
		rc = audit_add(x, "create", "case", *id, org, e, "受理%s：%s（%s），%s", case_channel_label(channel),
			       name, case_category_label(category), str(b, "subject"));
	return rc;
}

#define CASE_COLS                                                                                 \
	"c.id, c.org_id, o.name AS org_name, c.version, c.status, c.channel, c.category,"         \
	" c.household_id, h.name AS household_name, c.person_name, c.phone, c.id_number,"        \
	" c.work_unit, c.migrant_worker, c.subject, c.description, c.received_on, c.deadline,"   \
	" c.assigned_to, u.name AS assigned_name, c.referred_to, c.result, c.recovered_fen,"     \
	" c.finished_at, c.closed_at, c.created_by, c.created_at, c.updated_at"
#define CASE_FROM                                                                                 \
	"FROM cases c JOIN orgs o ON o.id = c.org_id LEFT JOIN households h ON h.id = c.household_id" \
	" LEFT JOIN users u ON u.id = c.assigned_to"

/* Labels, the overdue flag (RULE cases.overdue: open and the deadline
 * before today) and masking (RULE mask.id, mask.phone). */
static void decorate(struct ctx *x, json_t *o, const char *today)
{
	int st = case_status_parse(json_string_value(json_object_get(o, "status")));
	int ch = case_channel_parse(json_string_value(json_object_get(o, "channel")));
	int cat = case_category_parse(json_string_value(json_object_get(o, "category")));
	const char *due = json_string_value(json_object_get(o, "deadline"));
	json_object_set_new(o, "status_label", json_string(case_status_label(st)));
	json_object_set_new(o, "channel_label", json_string(case_channel_label(ch)));
	json_object_set_new(o, "category_label", json_string(case_category_label(cat)));
	json_object_set_new(o, "migrant_worker", json_boolean(json_integer_value(json_object_get(o, "migrant_worker"))));
	json_object_set_new(o, "overdue", json_boolean(case_status_open(st) && due && strcmp(due, today) < 0));
	calendar_flag(x, o, "deadline", "deadline_provisional"); /* RULE calendar.provisional */
	person_mask_fields(o, x->today);
}

json_t *case_json(struct ctx *x, int64_t id, int with_events, struct err *e)
{
	json_t *o = db_one_json(x->db, e, "SELECT " CASE_COLS " " CASE_FROM " WHERE c.id = ?", id);
	if (!o)
		return NULL;
	decorate(x, o, x->today_s);
	if (!with_events)
		return o;
	struct db_stmt *s = db_q(x->db, e,
		 "SELECT ev.id, ev.at, ev.user_id, u.name AS user_name, ev.action, ev.from_status AS \"from\","
		 " ev.to_status AS \"to\", ev.comment FROM case_events ev LEFT JOIN users u ON u.id = ev.user_id"
		 " WHERE ev.case_id = ? ORDER BY ev.id",
		 "i", id);
	json_t *ev = s ? db_rows_json(s, e) : NULL;
	db_finalize(s);
	if (!ev) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "events", ev);
	return o;
}

int cases_scope(struct req *r)
{
	return record_in_scope(&r->x, "cases", r->id, "个案不存在", &r->err);
}

int cases_h_create(struct req *r)
{
	int64_t id = 0;
	int rc = case_create(&r->x, r->in, &id, &r->err);
	if (rc)
		return rc;
	json_t *o = case_json(&r->x, id, 1, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

int cases_h_get(struct req *r)
{
	json_t *o = case_json(&r->x, r->id, 1, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

int cases_h_events(struct req *r)
{
	json_t *o = case_json(&r->x, r->id, 1, &r->err);
	if (!o)
		return -(int)r->err.code;
	json_t *ev = json_incref(json_object_get(o, "events"));
	json_decref(o);
	return req_reply_list(r, ev, (int64_t)json_array_size(ev));
}

/* A code filter: absent is fine, unknown is 422. */
static int code_filter(struct req *r, const char *name, int (*parse)(const char *), const char *col,
		       char *where, size_t wsz, struct db_args *a)
{
	const char *v = req_query(r, name);
	if (!v)
		return 0;
	if (parse(v) < 0)
		return err_field(&r->err, name, "未知的取值：%s", v);
	strncat(where, arena_printf(r->x.a, " AND %s = ?", col), wsz - strlen(where) - 1);
	db_arg_str(a, v);
	return 0;
}

/* GET /cases?status=&category=&channel=&org_id=&assigned_to=&household_id=&overdue=true&q= */
int cases_h_list(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t limit, offset, org, assignee, hid;
	int rc = req_paging(r, &limit, &offset);
	if (!rc)
		rc = req_query_int(r, "org_id", 0, 0, INT64_MAX, &org);
	if (!rc)
		rc = req_query_int(r, "assigned_to", 0, 0, INT64_MAX, &assignee);
	if (!rc)
		rc = req_query_int(r, "household_id", 0, 0, INT64_MAX, &hid);
	if (rc)
		return rc;
	const char *like = ctx_scope_like(x);
	if (org) {
		struct org o;
		if ((rc = org_in_scope(x, org, &o, &r->err)))
			return rc;
		like = arena_printf(x->a, "%s%%", o.path);
	}
	struct db_args a = {0};
	char where[1024] = CASE_FROM " WHERE o.path LIKE ?";
	db_arg_str(&a, like);
	if ((rc = code_filter(r, "status", case_status_parse, "c.status", where, sizeof where, &a)) ||
	    (rc = code_filter(r, "category", case_category_parse, "c.category", where, sizeof where, &a)) ||
	    (rc = code_filter(r, "channel", case_channel_parse, "c.channel", where, sizeof where, &a)))
		return rc;
	if (assignee) {
		strcat(where, " AND c.assigned_to = ?");
		db_arg_int(&a, assignee);
	}
	if (hid) {
		strcat(where, " AND c.household_id = ?");
		db_arg_int(&a, hid);
	}
	const char *over = req_query(r, "overdue"), *q = req_query(r, "q");
	if (over && !strcmp(over, "true")) {
		strcat(where, " AND c.status IN ('received', 'assigned', 'in_progress') AND c.deadline < ?");
		db_arg_str(&a, x->today_s);
	}
	if (q && *q) {
		const char *pat = arena_printf(x->a, "%%%s%%", q);
		strcat(where, " AND (c.person_name LIKE ? OR c.subject LIKE ? OR c.work_unit LIKE ?)");
		db_arg_str(&a, pat);
		db_arg_str(&a, pat);
		db_arg_str(&a, pat);
	}
	int64_t total = 0;
	json_t *items = NULL;
	if ((rc = db_page(x->db, &r->err, CASE_COLS, where, "c.id DESC", &a, limit, offset, &items, &total)))
		return rc;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		decorate(x, it, x->today_s);
	return req_reply_list(r, items, total);
}
