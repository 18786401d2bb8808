/* clues.c — clues of hardship (线索): filing, listing, resolving.
 * Contract: API.md "Found early, helped at once, watched after exit". */
#include "services/clues.h"

#include <string.h>

#include "rules/household.h"
#include "rules/idcard.h"
#include "services/audit.h"
#include "services/calendar.h"
#include "services/households.h"
#include "services/orgs.h"

#define CLUE_WORKDAYS 5 /* RULE clue.due: the 5th working day after receipt */

const struct field clue_body[] = {
	{"org_id", F_INT, F_REQ, 1, 0, "所属单位"},
	{"name", F_STR, F_REQ, 1, 50, "姓名"},
	{"id_number", F_STR, F_NULL, 0, 32, "身份证号"},
	{"phone", F_STR, F_NULL, 0, 30, "联系电话"},
	{"address", F_STR, F_REQ, 1, 200, "住址"},
	{"situation", F_STR, F_REQ, 1, 4000, "困难情况"},
	{"causes", F_ARR, 0, 0, 12, "致困原因"},
	FIELDS_END,
};

const struct field clue_resolve_body[] = {
	{"outcome", F_STR, F_REQ, 1, 32, "处理结果"},
	{"household_id", F_INT, F_NULL, 1, 0, "困难职工档案"},
	{"application_id", F_INT, F_NULL, 1, 0, "临时救助申请"},
	{"comment", F_STR, 0, 0, 2000, "说明"},
	FIELDS_END,
};

static const struct {
	const char *code, *label;
} outcomes[] = {
	{"archived", "已建档"},          {"emergency_aid", "已临时救助"}, {"referred", "已转介"},
	{"not_in_difficulty", "经核实不困难"}, {"duplicate", "重复线索"},
};
#define N_OUTCOMES (int)(sizeof outcomes / sizeof outcomes[0])

static const char *str(json_t *b, const char *k)
{
	const char *s = json_string_value(json_object_get(b, k));
	return s && *s ? s : NULL;
}

/* The causes as stored ("illness_self,low_income"); 422 on an unknown code. */
static int causes_text(struct ctx *x, json_t *arr, const char **out, struct err *e)
{
	char *s = arena_strdup(x->a, "");
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		const char *c = json_string_value(v);
		if (!c || cause_parse(c) < 0)
			return err_field(e, "causes", "未知的致困原因：%s", c ? c : "（非文字）");
		s = arena_printf(x->a, "%s%s%s", s, *s ? "," : "", c);
	}
	*out = s;
	return 0;
}

int clue_create(struct ctx *x, json_t *b, int64_t *id, struct err *e)
{
	int64_t org = json_integer_value(json_object_get(b, "org_id"));
	const char *idn = str(b, "id_number"), *causes = "";
	/* RULE clue.scope: its own unit or one below it (404 otherwise) */
	int rc = org_in_scope(x, org, NULL, e);
	if (rc)
		return rc;
	if (idn) {
		struct idcard_info info;
		int bad = idcard_check(idn, x->today, &info);
		if (bad != ID_OK)
			rc = err_field(e, "id_number", "%s", idcard_strerror(bad));
		else
			idn = arena_strdup(x->a, info.norm);
	}
	if (causes_text(x, json_object_get(b, "causes"), &causes, e))
		rc = -E_VALIDATION_FAILED;
	if (rc)
		return rc;
	day_t due;
	char due_s[11];
	if ((rc = calendar_add_workdays(x, x->today, CLUE_WORKDAYS, &due, e)))
		return rc;
	date_format(due, due_s);
	rc = db_insert(x->db, e, id,
		       "INSERT INTO clues (org_id, status, name, id_number, phone, address, situation, causes,"
		       " received_on, due_date, created_by, created_at, updated_at)"
		       " VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       "isssssssszss", org, str(b, "name"), idn, str(b, "phone"), str(b, "address"),
		       str(b, "situation"), causes, x->today_s, due_s, x->who.id, x->now_s, x->now_s);
	if (!rc)
		rc = audit_add(x, "create", "clue", *id, org, e, "收到线索：%s，%s", str(b, "name"),
			       str(b, "address"));
	return rc;
}

#define CLUE_COLS                                                                                \
	"c.id, c.org_id, o.name AS org_name, c.status, c.name, c.id_number, c.phone, c.address,"  \
	" c.situation, c.causes, c.received_on, c.due_date, c.outcome, c.household_id,"          \
	" c.application_id, c.comment, c.resolved_on, c.resolved_by,"                            \
	" (SELECT u.name FROM users u WHERE u.id = c.resolved_by) AS resolved_by_name,"         \
	" c.created_by, (SELECT u.name FROM users u WHERE u.id = c.created_by) AS created_by_name," \
	" c.created_at, c.updated_at"
#define CLUE_FROM "FROM clues c JOIN orgs o ON o.id = c.org_id"

/* Labels, flags and masking (RULE mask.id, mask.phone).  For an informant
 * the outcome and its links go (RULE clue.blind): "duplicate" or a linked
 * archive would tell it that the person has an archive. */
static void decorate(struct ctx *x, json_t *o)
{
	const char *st = json_string_value(json_object_get(o, "status"));
	const char *due = json_string_value(json_object_get(o, "due_date"));
	const char *done = json_string_value(json_object_get(o, "resolved_on"));
	const char *out = json_string_value(json_object_get(o, "outcome"));
	int open = st && !strcmp(st, "open");
	json_object_set_new(o, "status_label", json_string(open ? "待处理" : "已处理"));
	json_object_set_new(o, "overdue", json_boolean(open && due && strcmp(due, x->today_s) < 0));
	json_object_set_new(o, "on_time", done && due ? json_boolean(strcmp(done, due) <= 0) : json_null());
	const char *label = NULL;
	for (int i = 0; out && i < N_OUTCOMES; i++)
		if (!strcmp(out, outcomes[i].code))
			label = outcomes[i].label;
	json_object_set_new(o, "outcome_label", label ? json_string(label) : json_null());
	json_t *causes = json_array();
	const char *c = json_string_value(json_object_get(o, "causes"));
	char *buf = arena_strdup(x->a, c ? c : "");
	for (char *sv = NULL, *t = strtok_r(buf, ",", &sv); t; t = strtok_r(NULL, ",", &sv))
		json_array_append_new(causes, json_string(t));
	json_object_set_new(o, "causes", causes);
	calendar_flag(x, o, "due_date", "due_date_provisional");
	person_mask_fields(o, x->today);
	if (x->who.role == ROLE_INFORMANT) {
		static const char *const hidden[] = {"outcome", "outcome_label", "household_id", "application_id",
						     "comment", "resolved_by", "resolved_by_name"};
		for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
			json_object_del(o, hidden[i]);
	}
}

json_t *clue_json(struct ctx *x, int64_t id, struct err *e)
{
	json_t *o = db_one_json(x->db, e, "SELECT " CLUE_COLS " " CLUE_FROM " WHERE c.id = ?", id);
	if (o)
		decorate(x, o);
	return o;
}

/* The record a resolution links to: in scope (404), present when the
 * outcome needs it (422). */
static int linked(struct ctx *x, json_t *b, const char *key, const char *table, int needed,
		  const char *label, int64_t *id, struct err *e)
{
	*id = json_integer_value(json_object_get(b, key));
	if (!*id)
		return needed ? err_field(e, key, "处理结果为“%s”时须关联%s", needed == 1 ? "已建档" : "已临时救助", label)
			      : 0;
	return record_in_scope(x, table, *id, arena_printf(x->a, "%s不存在", label), e);
}

int clue_resolve(struct ctx *x, int64_t id, json_t *b, struct err *e)
{
	const char *out = str(b, "outcome");
	int k = -1;
	for (int i = 0; out && i < N_OUTCOMES; i++)
		if (!strcmp(out, outcomes[i].code))
			k = i;
	if (k < 0)
		return err_field(e, "outcome", "处理结果应为 archived、emergency_aid、referred、not_in_difficulty 或 duplicate");
	int64_t org = 0, hid = 0, aid = 0;
	char st[16] = "";
	struct db_stmt *s = db_q(x->db, e, "SELECT org_id, status FROM clues WHERE id = ?", "i", id);
	if (!s)
		return -E_DB;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		org = db_col_int(s, 0);
		snprintf(st, sizeof st, "%s", db_col_text(s, 1));
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_set(e, E_NOT_FOUND, "线索不存在");
	}
	db_finalize(s);
	if (rc)
		return rc;
	/* RULE clue.once */
	if (strcmp(st, "open"))
		return err_set(e, E_INVALID_TRANSITION, "该线索已处理，不能再次处理");
	/* RULE clue.links: archived → an archive in scope, emergency_aid → an application */
	if ((rc = linked(x, b, "household_id", "households", !strcmp(out, "archived"), "困难职工档案", &hid, e)) ||
	    (rc = linked(x, b, "application_id", "applications", !strcmp(out, "emergency_aid") ? 2 : 0,
			 "临时救助申请", &aid, e)))
		return rc;
	rc = db_run(x->db, e,
		    "UPDATE clues SET status = 'resolved', outcome = ?, household_id = ?, application_id = ?,"
		    " comment = ?, resolved_on = ?, resolved_by = ?, updated_at = ? WHERE id = ? AND status = 'open'",
		    "szzsszsi", out, hid, aid, str(b, "comment"), x->today_s, x->who.id, x->now_s, id);
	if (!rc)
		rc = audit_add(x, "resolve", "clue", id, org, e, "线索处理：%s%s%s", outcomes[k].label,
			       str(b, "comment") ? "，" : "", str(b, "comment") ? str(b, "comment") : "");
	return rc;
}

int clues_scope(struct req *r)
{
	return record_in_scope(&r->x, "clues", r->id, "线索不存在", &r->err);
}

int clues_h_create(struct req *r)
{
	int64_t id = 0;
	int rc = clue_create(&r->x, r->in, &id, &r->err);
	if (rc)
		return rc;
	json_t *o = clue_json(&r->x, id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

int clues_h_get(struct req *r)
{
	json_t *o = clue_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

int clues_h_resolve(struct req *r)
{
	int rc = clue_resolve(&r->x, r->id, r->in, &r->err);
	if (rc)
		return rc;
	json_t *o = clue_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -E_DB;
}

/* GET /clues?status=open|resolved&overdue=true&org_id=&q= — the subtree's
 * clues; an informant's own only (RULE clue.own). */
int clues_h_list(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t limit, offset, org;
	int rc = req_paging(r, &limit, &offset);
	if (!rc)
		rc = req_query_int(r, "org_id", 0, 0, INT64_MAX, &org);
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
	char where[512] = CLUE_FROM " WHERE o.path LIKE ?";
	db_arg_str(&a, like);
	if (x->who.role == ROLE_INFORMANT) {
		strcat(where, " AND c.created_by = ?");
		db_arg_int(&a, x->who.id);
	}
	const char *st = req_query(r, "status"), *over = req_query(r, "overdue"), *q = req_query(r, "q");
	if (st && strcmp(st, "open") && strcmp(st, "resolved"))
		return err_field(&r->err, "status", "状态应为 open 或 resolved");
	if (st) {
		strcat(where, " AND c.status = ?");
		db_arg_str(&a, st);
	}
	if (over && !strcmp(over, "true")) {
		strcat(where, " AND c.status = 'open' AND c.due_date < ?");
		db_arg_str(&a, x->today_s);
	}
	if (q && *q) {
		strcat(where, " AND (c.name LIKE ? OR c.address LIKE ?)");
		db_arg_str(&a, arena_printf(x->a, "%%%s%%", q));
		db_arg_str(&a, arena_printf(x->a, "%%%s%%", q));
	}
	int64_t total = 0;
	json_t *items = NULL;
	if ((rc = db_page(x->db, &r->err, CLUE_COLS, where, "c.id DESC", &a, limit, offset, &items, &total)))
		return rc;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		decorate(x, it);
	return req_reply_list(r, items, total);
}
