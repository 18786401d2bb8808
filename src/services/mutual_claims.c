/* mutual_claims.c — mutual-aid claims: submit, read, list, and the
 * workflow of rules/claim_flow.c (审核 with the hospital's papers, 审批
 * within tier and cap, 支付 from a fund account, 驳回).  API.md "Mutual
 * aid". */
#include <inttypes.h>
#include <string.h>

#include "rules/claim_flow.h"
#include "rules/eligibility.h"
#include "services/audit.h"
#include "services/calendar.h"
#include "services/funds.h"
#include "services/households.h"
#include "services/mutual_aid.h"
#include "services/orgs.h"

#define FEN_MAX 100000000000LL

const struct field ma_claim_body[] = {
	{"enrolment_id", F_INT, F_REQ, 1, 0, "参保记录"},
	{"benefit_code", F_STR, F_REQ, 1, 32, "保障待遇"},
	{"event_date", F_DATE, F_REQ, 0, 0, "发生日期"},
	{"claimed_fen", F_INT, F_REQ, 1, FEN_MAX, "申请金额（分）"},
	{"diagnosis", F_STR, F_REQ, 1, 500, "诊断"},
	FIELDS_END,
};

const struct field ma_claim_transition_body[] = {
	{"action", F_STR, F_REQ, 1, 20, "操作"},
	{"comment", F_STR, 0, 0, 2000, "意见"},
	{"approved_fen", F_INT, 0, 1, FEN_MAX, "核定金额（分）"},
	{"account_id", F_INT, 0, 1, 0, "支出账户"},
	FIELDS_END,
};

int ma_claim_event(struct ctx *x, int64_t id, const char *action, const char *from, const char *to,
		 const char *comment, struct err *e)
{
	return db_run(x->db, e,
		      "INSERT INTO ma_claim_events (claim_id, at, user_id, action, from_status, to_status, comment)"
		      " VALUES (?, ?, ?, ?, ?, ?, ?)",
		      "iszssss", id, x->now_s, x->who.id, action, from, to, comment);
}

/* The enrolment in scope with its plan's rules; NULL (404) otherwise. */
static json_t *enrolment_facts(struct ctx *x, int64_t id, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT e.id, e.org_id, e.plan_id, e.name, e.approved_fen, p.cover_from, p.cover_to,"
				 " p.annual_cap_fen, p.benefits, p.name AS plan_name, p.deadline_workdays"
				 " FROM ma_enrolments e JOIN ma_plans p ON p.id = e.plan_id JOIN orgs o ON o.id = e.org_id"
				 " WHERE e.id = ? AND o.path LIKE ?",
				 "is", id, ctx_scope_like(x));
	if (!s)
		return NULL;
	json_t *o = NULL;
	int rc = db_step(s, e);
	if (rc == DB_ROW)
		o = db_row_json(s);
	else if (rc == DB_DONE)
		err_set(e, E_NOT_FOUND, "参保记录不存在");
	db_finalize(s);
	return o;
}

static json_t *benefit_of(json_t *benefits, const char *code)
{
	size_t i;
	json_t *b;
	json_array_foreach(benefits, i, b)
		if (code && !strcmp(code, json_string_value(json_object_get(b, "code"))))
			return b;
	return NULL;
}

static const char *jstr(json_t *b, const char *k) { return json_string_value(json_object_get(b, k)); }
static int64_t jint(json_t *b, const char *k) { return json_integer_value(json_object_get(b, k)); }

int ma_claim_create(struct ctx *x, json_t *body, int64_t *idp, struct err *e)
{
	json_t *en = enrolment_facts(x, jint(body, "enrolment_id"), e);
	if (!en)
		return -(int)e->code;
	json_t *benefits = json_loads(json_string_value(json_object_get(en, "benefits")), 0, NULL);
	const char *code = jstr(body, "benefit_code"), *ev = jstr(body, "event_date");
	const char *cf = json_string_value(json_object_get(en, "cover_from"));
	const char *ct = json_string_value(json_object_get(en, "cover_to"));
	int64_t amount = jint(body, "claimed_fen");
	int64_t cap = json_integer_value(json_object_get(en, "annual_cap_fen"));
	int64_t used = json_integer_value(json_object_get(en, "approved_fen"));
	int64_t org = json_integer_value(json_object_get(en, "org_id"));
	int64_t id = 0;
	int rc = 0;
	json_t *b = benefit_of(benefits, code);
	if (!b) {
		rc = err_field(e, "benefit_code", "本计划没有此保障待遇：%s", code);
		goto out;
	}
	if (strcmp(ev, x->today_s) > 0) {
		rc = err_field(e, "event_date", "发生日期不能晚于今天");
		goto out;
	}
	/* RULE ma.claim: the cover period, the benefit's maximum, the cap */
	char why[3][160];
	int nw = 0;
	if (strcmp(ev, cf) < 0 || strcmp(ev, ct) > 0)
		snprintf(why[nw++], sizeof why[0], "发生日期不在保障期内（%s 至 %s）", cf, ct);
	if (amount > json_integer_value(json_object_get(b, "max_fen")))
		snprintf(why[nw++], sizeof why[0], "申请金额超过“%s”的最高给付 %" JSON_INTEGER_FORMAT " 分",
			 json_string_value(json_object_get(b, "name")), json_integer_value(json_object_get(b, "max_fen")));
	if (used + amount > cap)
		snprintf(why[nw++], sizeof why[0], "超过年度给付上限：已核定 %" PRId64 " 分，上限 %" PRId64 " 分", used, cap);
	if (nw) {
		rc = err_set(e, E_NOT_ELIGIBLE, "不符合理赔条件：%s", why[0]);
		for (int i = 0; i < nw; i++)
			err_detail_push(e, "reasons", why[i]);
		goto out;
	}
	day_t due;
	char due_s[11];
	if ((rc = calendar_add_workdays(x, x->today, (int)json_integer_value(json_object_get(en, "deadline_workdays")),
					&due, e)))
		goto out;
	date_format(due, due_s);
	rc = db_insert(x->db, e, &id,
		       "INSERT INTO ma_claims (enrolment_id, plan_id, org_id, benefit_code, benefit_name, event_date,"
		       " claimed_fen, diagnosis, status, due_date, required_level, submitted_by, created_at, updated_at)"
		       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?)",
		       "iiisssisssiss", jint(body, "enrolment_id"), json_integer_value(json_object_get(en, "plan_id")),
		       org, code, json_string_value(json_object_get(b, "name")), ev, amount, jstr(body, "diagnosis"),
		       due_s, tier_name(claim_tier_required(amount)), x->who.id, x->now_s, x->now_s);
	if (!rc)
		rc = db_run(x->db, e, "UPDATE ma_plans SET claims_n = claims_n + 1 WHERE id = ?", "i",
			    (int64_t)json_integer_value(json_object_get(en, "plan_id")));
	if (!rc)
		rc = ma_claim_event(x, id, "submit", NULL, "submitted", NULL, e);
	if (!rc)
		rc = audit_add(x, "create", "mutual_aid_claim", id, org, e, "%s申请互助保障理赔（%s，%s），金额 %" PRId64 " 分",
			       json_string_value(json_object_get(en, "name")),
			       json_string_value(json_object_get(en, "plan_name")),
			       json_string_value(json_object_get(b, "name")), amount);
out:
	json_decref(benefits);
	json_decref(en);
	*idp = id;
	return rc;
}

int ma_h_claim_create(struct req *r)
{
	int64_t id = 0;
	int rc = ma_claim_create(&r->x, r->in, &id, &r->err);
	if (rc)
		return rc;
	json_t *o = ma_claim_json(&r->x, id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

#define CLAIM_COLS                                                                                   \
	"c.id, c.enrolment_id, c.plan_id, p.name AS plan_name, c.org_id,"                            \
	" (SELECT o2.name FROM orgs o2 WHERE o2.id = c.org_id) AS org_name, e.name, e.id_number,"     \
	" e.phone, e.birth_date, e.household_id, c.benefit_code, c.benefit_name, c.event_date,"      \
	" c.claimed_fen, c.approved_fen, c.paid_fen, c.diagnosis, c.status, c.version, c.due_date,"  \
	" c.required_level, c.account_id, c.ledger_id, c.submitted_by, c.approved_by, c.created_at," \
	" c.updated_at, c.paid_at, p.annual_cap_fen, e.approved_fen AS enrolment_approved_fen"

#define CLAIM_FROM                                                                                   \
	"FROM ma_claims c JOIN ma_enrolments e ON e.id = c.enrolment_id JOIN ma_plans p ON p.id = c.plan_id"

static void decorate(json_t *o, day_t today, const char *today_s)
{
	person_mask_fields(o, today); /* RULE mask.list */
	const char *st = json_string_value(json_object_get(o, "status"));
	const char *due = json_string_value(json_object_get(o, "due_date"));
	int open = st && claim_status_open(claim_status_parse(st));
	json_object_set_new(o, "overdue", json_boolean(open && due && strcmp(due, today_s) < 0));
	json_object_set_new(o, "status_label", json_string(claim_status_label(claim_status_parse(st))));
	json_object_set_new(o, "cap_left_fen",
			    json_integer(json_integer_value(json_object_get(o, "annual_cap_fen")) -
					 json_integer_value(json_object_get(o, "enrolment_approved_fen"))));
}

json_t *ma_claim_json(struct ctx *x, int64_t id, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e, "SELECT " CLAIM_COLS " " CLAIM_FROM " WHERE c.id = ?", "i", id);
	if (!s)
		return NULL;
	json_t *o = NULL;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		o = db_row_json(s);
		decorate(o, x->today, x->today_s);
		json_t *miss = ma_claim_missing_papers(x, id, e);
		json_object_set_new(o, "missing_documents", miss ? miss : json_array());
		calendar_flag(x, o, "due_date", "due_date_provisional");
	} else if (rc == DB_DONE) {
		err_set(e, E_NOT_FOUND, "理赔申请不存在");
	}
	db_finalize(s);
	return o;
}

int ma_claims_scope(struct req *r)
{
	return record_in_scope(&r->x, "ma_claims", r->id, "理赔申请不存在", &r->err);
}

int ma_h_claim_get(struct req *r)
{
	json_t *o = ma_claim_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

int ma_h_claim_events(struct req *r)
{
	struct db_stmt *s = db_q(r->x.db, &r->err,
				 "SELECT ev.id, ev.at, ev.user_id, u.name AS user_name, ev.action,"
				 " ev.from_status AS \"from\", ev.to_status AS \"to\", ev.comment"
				 " FROM ma_claim_events ev LEFT JOIN users u ON u.id = ev.user_id"
				 " WHERE ev.claim_id = ? ORDER BY ev.id",
				 "i", r->id);
	json_t *items = s ? db_rows_json(s, &r->err) : NULL;
	db_finalize(s);
	return items ? req_reply_list(r, items, (int64_t)json_array_size(items)) : -E_DB;
}

/* GET /mutual-aid/claims?plan_id=&status=&enrolment_id=&overdue=true */
int ma_h_claim_list(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t limit, offset, plan, enrolment;
	int rc = req_paging(r, &limit, &offset);
	if (!rc)
		rc = req_query_int(r, "plan_id", 0, 0, INT64_MAX, &plan);
	if (!rc)
		rc = req_query_int(r, "enrolment_id", 0, 0, INT64_MAX, &enrolment);
	if (rc)
		return rc;
	const char *status = req_query(r, "status"), *over = req_query(r, "overdue");
	if (status && claim_status_parse(status) < 0)
		return err_field(&r->err, "status", "未知的理赔状态：%s", status);
	struct db_args a = {0};
	char where[768] = CLAIM_FROM " WHERE c.org_id IN (SELECT o.id FROM orgs o WHERE o.path LIKE ?)";
	db_arg_str(&a, ctx_scope_like(x));
	if (plan) {
		strcat(where, " AND c.plan_id = ?");
		db_arg_int(&a, plan);
	}
	if (enrolment) {
		strcat(where, " AND c.enrolment_id = ?");
		db_arg_int(&a, enrolment);
	}
	if (status) {
		strcat(where, " AND c.status = ?");
		db_arg_str(&a, status);
	}
	if (over && !strcmp(over, "true")) {
		strcat(where, " AND c.status IN ('submitted', 'verified', 'approved') AND c.due_date < ?");
		db_arg_str(&a, x->today_s);
	}
	json_t *items = NULL;
	int64_t total = 0;
	if ((rc = db_page(x->db, &r->err, CLAIM_COLS, where, "c.id DESC", &a, limit, offset, &items, &total)))
		return rc;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		decorate(it, x->today, x->today_s);
	return req_reply_list(r, items, total);
}

int ma_dashboard(struct ctx *x, const char *like, json_t *out, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN c.due_date < ? THEN 1 ELSE 0 END), 0) AS BIGINT)"
				 " FROM ma_claims c WHERE c.status IN ('submitted', 'verified', 'approved')"
				 " AND c.org_id IN (SELECT o.id FROM orgs o WHERE o.path LIKE ?)",
				 "ss", x->today_s, like);
	if (!s)
		return -E_DB;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		json_object_set_new(out, "mutual_aid_claims_open", json_integer(db_col_int(s, 0)));
		json_object_set_new(out, "mutual_aid_claims_overdue", json_integer(db_col_int(s, 1)));
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}
