/* employment.c — job seekers, employers, vacancies and job fairs, and the
 * list/scope helpers the employment and card modules share. */
#include "services/employment.h"

#include <inttypes.h>
#include <string.h>

#include "rules/idcard.h"
#include "rules/jobs.h"
#include "services/households.h"
#include "services/audit.h"
#include "services/orgs.h"

#define FEN_MAX 100000000000LL
#define COUNT_MAX 10000000

const struct field seeker_body[] = {
	{"org_id", F_INT, F_REQ, 1, 0, "所属单位"},
	{"name", F_STR, F_REQ, 1, 50, "姓名"},
	{"id_number", F_STR, F_REQ, 1, 18, "身份证号"},
	{"phone", F_STR, 0, 0, 20, "联系电话"},
	{"skills", F_STR, 0, 0, 500, "技能特长"},
	{"wishes", F_STR, 0, 0, 500, "就业意向"},
	{"certificates", F_ARR, 0, 0, 20, "证书"},
	FIELDS_END,
};
const struct field seeker_patch[] = {
	{"phone", F_STR, 0, 0, 20, "联系电话"},
	{"skills", F_STR, 0, 0, 500, "技能特长"},
	{"wishes", F_STR, 0, 0, 500, "就业意向"},
	{"certificates", F_ARR, 0, 0, 20, "证书"},
	FIELDS_END,
};
const struct field employer_body[] = {
	{"org_id", F_INT, F_REQ, 1, 0, "所属单位"},
	{"name", F_STR, F_REQ, 1, 100, "用人单位名称"},
	{"industry", F_STR, 0, 0, 50, "行业"},
	{"contact", F_STR, 0, 0, 50, "联系人"},
	{"phone", F_STR, 0, 0, 20, "联系电话"},
	{"address", F_STR, 0, 0, 200, "地址"},
	FIELDS_END,
};
const struct field vacancy_body[] = {
	{"employer_id", F_INT, F_REQ, 1, 0, "用人单位"},
	{"title", F_STR, F_REQ, 1, 100, "岗位名称"},
	{"positions", F_INT, F_REQ, 1, 100000, "招聘人数"},
	{"wage_min_fen", F_INT, 0, 0, FEN_MAX, "月薪下限（分）"},
	{"wage_max_fen", F_INT, 0, 0, FEN_MAX, "月薪上限（分）"},
	{"requirements", F_STR, 0, 0, 1000, "岗位要求"},
	FIELDS_END,
};
const struct field vacancy_patch[] = {
	{"status", F_STR, F_REQ, 1, 10, "岗位状态"},
	FIELDS_END,
};
const struct field fair_body[] = {
	{"org_id", F_INT, F_REQ, 1, 0, "主办单位"},
	{"name", F_STR, F_REQ, 1, 100, "招聘会名称"},
	{"date", F_DATE, F_REQ, 0, 0, "举办日期"},
	{"place", F_STR, 0, 0, 200, "地点"},
	{"employers", F_INT, 0, 0, COUNT_MAX, "参会单位数"},
	{"vacancies", F_INT, 0, 0, COUNT_MAX, "提供岗位数"},
	{"visitors", F_INT, 0, 0, COUNT_MAX, "入场人数"},
	{"agreements", F_INT, 0, 0, COUNT_MAX, "达成意向数"},
	FIELDS_END,
};
const struct field fair_patch[] = {
	{"employers", F_INT, 0, 0, COUNT_MAX, "参会单位数"},
	{"vacancies", F_INT, 0, 0, COUNT_MAX, "提供岗位数"},
	{"visitors", F_INT, 0, 0, COUNT_MAX, "入场人数"},
	{"agreements", F_INT, 0, 0, COUNT_MAX, "达成意向数"},
	FIELDS_END,
};

/* --- shared helpers ------------------------------------------------------------ */

int svc_list(struct req *r, const char *cols, const char *from, const char *order, struct db_args *a)
{
	int64_t limit, offset, total = 0;
	json_t *items = NULL;
	int rc = req_paging(r, &limit, &offset);
	if (!rc)
		rc = db_page(r->x.db, &r->err, cols, from, order, a, limit, offset, &items, &total);
	return rc ? rc : req_reply_list(r, items, total);
}

void svc_q_init(struct req *r, struct svc_q *q, const char *from_where)
{
	memset(&q->a, 0, sizeof q->a);
	q->from = arena_strdup(r->x.a, from_where);
	db_arg_str(&q->a, ctx_scope_like(&r->x));
}

void svc_q_str(struct req *r, struct svc_q *q, const char *param, const char *col)
{
	const char *v = req_query(r, param);
	if (!v || !*v)
		return;
	q->from = arena_printf(r->x.a, "%s AND %s = ?", q->from, col);
	db_arg_str(&q->a, v);
}

int svc_q_id(struct req *r, struct svc_q *q, const char *param, const char *col)
{
	int64_t v = 0;
	int rc = req_query_int(r, param, 0, 1, INT64_MAX, &v);
	if (!rc && v) {
		q->from = arena_printf(r->x.a, "%s AND %s = ?", q->from, col);
		db_arg_int(&q->a, v);
	}
	return rc;
}

int svc_attach(json_t *o, const char *key, struct db_stmt *s, struct err *e)
{
	json_t *rows = s ? db_rows_json(s, e) : NULL;
	db_finalize(s);
	if (!rows)
		return -E_DB;
	json_object_set_new(o, key, rows);
	return 0;
}

int svc_ref_in_scope(struct req *r, const char *table, const char *field, const char *missing,
		     int64_t *id, int64_t *org)
{
	*id = body_int(r, field, 0);
	int found = 0;
	int rc = db_int(r->x.db, &r->err, org, &found,
			arena_printf(r->x.a, "SELECT t.org_id FROM %s t JOIN orgs o ON o.id = t.org_id"
					     " WHERE t.id = ? AND o.path LIKE ?", table),
			"is", *id, ctx_scope_like(&r->x));
	if (!rc && !found)
		rc = err_set(&r->err, E_NOT_FOUND, "%s", missing);
	return rc;
}

int svc_names(struct req *r, const char *field, const char **out)
{
	json_t *arr = json_object_get(r->in, field), *v;
	size_t i;
	*out = "[]";
	if (!arr)
		return 0;
	json_array_foreach(arr, i, v) {
		const char *s = json_string_value(v);
		if (!s || !*s || strlen(s) > 100)
			return err_field(&r->err, field, "每项应为 1–100 个字符的名称");
	}
	char *t = json_dumps(arr, JSON_COMPACT);
	*out = arena_strdup(r->x.a, t);
	free(t);
	return 0;
}

/* --- job seekers ------------------------------------------------------------------ */

/* The open archive holding the ID number, if any, is the seeker's household
 * (RULE archive.precise: at most one) — when the caller may see it: a link
 * made by ID number says nothing of an archive outside the caller's scope
 * (RULE scope.id_link).  The `?` of SEEKER_FROM binds ctx_scope_like(). */
#define SEEKER_COLS                                                                                \
	"s.id, s.org_id, o.name AS org_name, s.name, s.id_number, s.gender, s.birth_date, s.phone,"   \
	" s.skills, s.wishes, s.certificates, s.status, ap.household_id, h.status AS household_status," \
	" s.created_at"
#define SEEKER_FROM                                                                                \
	" FROM job_seekers s JOIN orgs o ON o.id = s.org_id"                                          \
	" LEFT JOIN archive_people ap ON ap.id_number = s.id_number AND ap.is_open = 1"               \
	"  AND EXISTS (SELECT 1 FROM households ah JOIN orgs ao ON ao.id = ah.org_id"                 \
	"   WHERE ah.id = ap.household_id AND ao.path LIKE ?)"                                         \
	" LEFT JOIN households h ON h.id = ap.household_id"

/* Parses certificates, adds the 4050 flag, and masks the person (RULE
 * privacy.masked: ID number, phone, age for the birth date). */
static void seeker_dress(struct ctx *x, json_t *o)
{
	json_t *c = json_loads(json_string_value(json_object_get(o, "certificates")), 0, NULL);
	json_object_set_new(o, "certificates", c ? c : json_array());
	day_t birth = 0;
	if (date_parse(json_string_value(json_object_get(o, "birth_date")), &birth) == 0) {
		int male = !strcmp(json_string_value(json_object_get(o, "gender")), "male");
		json_object_set_new(o, "group_4050", json_boolean(jobs_is_4050(birth, male, x->today)));
	}
	person_mask_fields(o, x->today);
	json_object_set_new(o, "archived", json_boolean(json_is_integer(json_object_get(o, "household_id"))));
}

json_t *seeker_json(struct ctx *x, int64_t id, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e, "SELECT " SEEKER_COLS SEEKER_FROM " WHERE s.id = ?", "si",
				 ctx_scope_like(x), id);
	int rc = s ? db_step(s, e) : -E_DB;
	json_t *o = rc == DB_ROW ? db_row_json(s) : NULL;
	db_finalize(s);
	if (rc == DB_DONE)
		err_set(e, E_NOT_FOUND, NULL);
	if (!o)
		return NULL;
	seeker_dress(x, o);
	if (svc_attach(o, "referrals",
		       db_q(x->db, e, "SELECT r.id, r.vacancy_id, v.title AS vacancy_title, m.name AS employer_name,"
				      " r.date, r.outcome, r.outcome_date FROM referrals r JOIN vacancies v ON v.id = r.vacancy_id"
				      " JOIN employers m ON m.id = v.employer_id WHERE r.seeker_id = ? ORDER BY r.id", "i", id), e) ||
	    svc_attach(o, "enrolments",
		       db_q(x->db, e, "SELECT n.id, n.training_id, t.name AS training_name, n.result, n.certificate,"
				      " n.result_date FROM enrolments n JOIN trainings t ON t.id = n.training_id"
				      " WHERE n.seeker_id = ? ORDER BY n.id", "i", id), e)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int seekers_scope(struct req *r)
{
	return record_in_scope(&r->x, "job_seekers", r->id, "求职人员不存在", &r->err);
}

int seekers_h_create(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t org = body_int(r, "org_id", 0), id = 0, dup = 0;
	int rc = org_in_scope(x, org, NULL, &r->err);
	if (rc)
		return rc;
	struct idcard_info info;
	int bad = idcard_check(body_str(r, "id_number"), x->today, &info);
	if (bad)
		return err_field(&r->err, "id_number", "%s", idcard_strerror(bad));
	const char *certs;
	if ((rc = svc_names(r, "certificates", &certs)))
		return rc;
	/* RULE jobs.one_registration: one registration per person, anywhere */
	if ((rc = db_int(x->db, &r->err, &dup, NULL, "SELECT COUNT(*) FROM job_seekers WHERE id_number = ?",
			 "s", info.norm)))
		return rc;
	if (dup)
		return err_set(&r->err, E_CONFLICT, "此人已登记为求职人员");
	char birth[11];
	date_format(info.birth, birth);
	rc = db_insert(x->db, &r->err, &id,
		    "INSERT INTO job_seekers (org_id, name, id_number, gender, birth_date, phone, skills, wishes,"
		    " certificates, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "isssssss" "szs", org, body_str(r, "name"), info.norm, info.male ? "male" : "female", birth,
		    body_str(r, "phone"), body_str(r, "skills"), body_str(r, "wishes"), certs, x->who.id, x->now_s);
	if (rc && db_last_fail(x->db) == DBF_UNIQUE)
		return err_set(&r->err, E_CONFLICT, "此人已登记为求职人员");
	if (!rc)
		rc = audit_add(x, "create", "job_seeker", id, org, &r->err, "登记求职人员“%s”", body_str(r, "name"));
	if (rc)
		return rc;
	json_t *o = seeker_json(x, id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

/* GET /job-seekers?status=&q=&group_4050=true&archived=true */
int seekers_h_list(struct req *r)
{
	struct ctx *x = &r->x;
	struct svc_q q;
	svc_q_init(r, &q, SEEKER_FROM " WHERE o.path LIKE ?");
	db_arg_str(&q.a, ctx_scope_like(x)); /* SEEKER_FROM's; the same value as the WHERE's */
	const char *st = req_query(r, "status"), *name = req_query(r, "q");
	if (st && *st && strcmp(st, "seeking") && strcmp(st, "employed"))
		return err_field(&r->err, "status", "状态应为 seeking 或 employed");
	svc_q_str(r, &q, "status", "s.status");
	if (name && *name) {
		q.from = arena_printf(x->a, "%s AND s.name LIKE ?", q.from);
		db_arg_str(&q.a, arena_printf(x->a, "%%%s%%", name));
	}
	const char *g = req_query(r, "group_4050");
	if (g && !strcmp(g, "true")) { /* RULE jobs.4050 as birth-date cut-offs */
		char w[11], m[11];
		date_format(date_add_months(x->today, -40 * 12), w);
		date_format(date_add_months(x->today, -50 * 12), m);
		q.from = arena_printf(x->a, "%s AND ((s.gender = 'female' AND s.birth_date <= ?)"
					    " OR (s.gender = 'male' AND s.birth_date <= ?))", q.from);
		db_arg_str(&q.a, arena_strdup(x->a, w));
		db_arg_str(&q.a, arena_strdup(x->a, m));
	}
	const char *ar = req_query(r, "archived");
	if (ar && !strcmp(ar, "true"))
		q.from = arena_printf(x->a, "%s AND ap.household_id IS NOT NULL", q.from);
	int rc = svc_list(r, SEEKER_COLS, q.from, "s.id", &q.a);
	if (rc)
		return rc;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(r->out, "items"), i, it)
		seeker_dress(x, it);
	return 0;
}

int seekers_h_get(struct req *r)
{
	json_t *o = seeker_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

int seekers_h_update(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t org = 0;
	const char *certs = NULL;
	int rc = 0;
	static const char *const cols[] = {"phone", "skills", "wishes"};
	for (size_t i = 0; !rc && i < sizeof cols / sizeof cols[0]; i++)
		if (body_has(r, cols[i]))
			rc = db_run(x->db, &r->err, arena_printf(x->a, "UPDATE job_seekers SET %s = ? WHERE id = ?", cols[i]),
				    "si", body_str(r, cols[i]), r->id);
	if (!rc && body_has(r, "certificates") && !(rc = svc_names(r, "certificates", &certs)))
		rc = db_run(x->db, &r->err, "UPDATE job_seekers SET certificates = ? WHERE id = ?", "si", certs, r->id);
	if (!rc)
		rc = db_int(x->db, &r->err, &org, NULL, "SELECT org_id FROM job_seekers WHERE id = ?", "i", r->id);
	if (!rc)
		rc = audit_add(x, "update", "job_seeker", r->id, org, &r->err, "修改求职登记");
	if (rc)
		return rc;
	json_t *o = seeker_json(x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -E_DB;
}

/* --- employers and vacancies --------------------------------------------------------- */

#define EMPLOYER_COLS "m.id, m.org_id, o.name AS org_name, m.name, m.industry, m.contact, m.phone, m.address, m.created_at"
#define VACANCY_COLS                                                                               \
	"v.id, v.employer_id, m.name AS employer_name, v.org_id, v.title, v.positions, v.wage_min_fen," \
	" v.wage_max_fen, v.requirements, v.status, v.created_at,"                                     \
	" (SELECT COUNT(*) FROM referrals r WHERE r.vacancy_id = v.id) AS referrals,"                 \
	" (SELECT COUNT(*) FROM referrals r WHERE r.vacancy_id = v.id AND r.outcome = 'hired') AS hired"
#define VACANCY_FROM " FROM vacancies v JOIN employers m ON m.id = v.employer_id JOIN orgs o ON o.id = v.org_id"

int employers_scope(struct req *r)
{
	return record_in_scope(&r->x, "employers", r->id, "用人单位不存在", &r->err);
}

static json_t *employer_json(struct ctx *x, int64_t id, struct err *e)
{
	json_t *o = db_one_json(x->db, e, "SELECT " EMPLOYER_COLS " FROM employers m JOIN orgs o ON o.id = m.org_id"
					  " WHERE m.id = ?", id);
	if (o && svc_attach(o, "vacancies", db_q(x->db, e, "SELECT " VACANCY_COLS VACANCY_FROM
							   " WHERE v.employer_id = ? ORDER BY v.id", "i", id), e)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int employers_h_create(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t org = body_int(r, "org_id", 0), id = 0;
	int rc = org_in_scope(x, org, NULL, &r->err);
	if (!rc)
		rc = db_insert(x->db, &r->err, &id,
			    "INSERT INTO employers (org_id, name, industry, contact, phone, address, created_at)"
			    " VALUES (?, ?, ?, ?, ?, ?, ?)",
			    "issssss", org, body_str(r, "name"), body_str(r, "industry"), body_str(r, "contact"),
			    body_str(r, "phone"), body_str(r, "address"), x->now_s);
	if (!rc)
		rc = audit_add(x, "create", "employer", id, org, &r->err, "登记用人单位“%s”", body_str(r, "name"));
	if (rc)
		return rc;
	json_t *o = employer_json(x, id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

int employers_h_list(struct req *r)
{
	struct db_args a = {0};
	db_arg_str(&a, ctx_scope_like(&r->x));
	return svc_list(r, EMPLOYER_COLS, "FROM employers m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE ?",
			"m.id", &a);
}

int employers_h_get(struct req *r)
{
	json_t *o = employer_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

int vacancies_scope(struct req *r)
{
	return record_in_scope(&r->x, "vacancies", r->id, "岗位不存在", &r->err);
}

static json_t *vacancy_json(struct ctx *x, int64_t id, struct err *e)
{
	return db_one_json(x->db, e, "SELECT " VACANCY_COLS VACANCY_FROM " WHERE v.id = ?", id);
}

int vacancies_h_create(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t emp, org, id = 0;
	int rc = svc_ref_in_scope(r, "employers", "employer_id", "用人单位不存在", &emp, &org);
	if (rc)
		return rc;
	int64_t lo = body_int(r, "wage_min_fen", 0), hi = body_int(r, "wage_max_fen", lo);
	if (hi < lo)
		return err_field(&r->err, "wage_max_fen", "月薪上限不能低于下限");
	rc = db_insert(x->db, &r->err, &id,
		    "INSERT INTO vacancies (employer_id, org_id, title, positions, wage_min_fen, wage_max_fen,"
		    " requirements, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		    "iisiiiss", emp, org, body_str(r, "title"), body_int(r, "positions", 1), lo, hi,
		    body_str(r, "requirements"), x->now_s);
	if (!rc)
		rc = audit_add(x, "create", "vacancy", id, org, &r->err, "发布岗位“%s”", body_str(r, "title"));
	if (rc)
		return rc;
	json_t *o = vacancy_json(x, id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

/* GET /vacancies?status=&employer_id= */
int vacancies_h_list(struct req *r)
{
	struct svc_q q;
	svc_q_init(r, &q, VACANCY_FROM " WHERE o.path LIKE ?");
	svc_q_str(r, &q, "status", "v.status");
	int rc = svc_q_id(r, &q, "employer_id", "v.employer_id");
	return rc ? rc : svc_list(r, VACANCY_COLS, q.from, "v.id", &q.a);
}

int vacancies_h_get(struct req *r)
{
	json_t *o = vacancy_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

/* PATCH /vacancies/{id} {"status":"open"|"closed"} */
int vacancies_h_update(struct req *r)
{
	struct ctx *x = &r->x;
	const char *st = body_str(r, "status");
	if (strcmp(st, "open") && strcmp(st, "closed"))
		return err_field(&r->err, "status", "岗位状态应为 open 或 closed");
	int64_t org = 0;
	int rc = db_int(x->db, &r->err, &org, NULL, "UPDATE vacancies SET status = ? WHERE id = ? RETURNING org_id",
			"si", st, r->id);
	if (!rc)
		rc = audit_add(x, "update", "vacancy", r->id, org, &r->err, "岗位状态改为 %s", st);
	if (rc)
		return rc;
	json_t *o = vacancy_json(x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -E_DB;
}

/* --- job fairs ------------------------------------------------------------------ */

static const char *const fair_counts[] = {"employers", "vacancies", "visitors", "agreements"};

int fairs_scope(struct req *r)
{
	return record_in_scope(&r->x, "job_fairs", r->id, "招聘会不存在", &r->err);
}

static json_t *fair_json(struct ctx *x, int64_t id, struct err *e)
{
	return db_one_json(x->db, e, "SELECT f.id, f.org_id, o.name AS org_name, f.name, f.date, f.place,"
				     " f.employers, f.vacancies, f.visitors, f.agreements, f.created_at"
				     " FROM job_fairs f JOIN orgs o ON o.id = f.org_id WHERE f.id = ?", id);
}

int fairs_h_create(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t org = body_int(r, "org_id", 0), id = 0;
	int rc = org_in_scope(x, org, NULL, &r->err);
	if (!rc)
		rc = db_insert(x->db, &r->err, &id,
			    "INSERT INTO job_fairs (org_id, name, date, place, employers, vacancies, visitors,"
			    " agreements, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			    "isssiiiis", org, body_str(r, "name"), body_str(r, "date"), body_str(r, "place"),
			    body_int(r, "employers", 0), body_int(r, "vacancies", 0), body_int(r, "visitors", 0),
			    body_int(r, "agreements", 0), x->now_s);
	if (!rc)
		rc = audit_add(x, "create", "job_fair", id, org, &r->err, "登记招聘会“%s”", body_str(r, "name"));
	if (rc)
		return rc;
	json_t *o = fair_json(x, id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

int fairs_h_list(struct req *r)
{
	struct db_args a = {0};
	db_arg_str(&a, ctx_scope_like(&r->x));
	return svc_list(r, "f.id, f.org_id, o.name AS org_name, f.name, f.date, f.place, f.employers, f.vacancies,"
			   " f.visitors, f.agreements, f.created_at",
			"FROM job_fairs f JOIN orgs o ON o.id = f.org_id WHERE o.path LIKE ?", "f.date DESC, f.id", &a);
}

int fairs_h_get(struct req *r)
{
	json_t *o = fair_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

/* PATCH /job-fairs/{id}: the counts, once known */
int fairs_h_update(struct req *r)
{
	struct ctx *x = &r->x;
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof fair_counts / sizeof fair_counts[0]; i++)
		if (body_has(r, fair_counts[i]))
			rc = db_run(x->db, &r->err, arena_printf(x->a, "UPDATE job_fairs SET %s = ? WHERE id = ?", fair_counts[i]),
				    "ii", body_int(r, fair_counts[i], 0), r->id);
	int64_t org = 0;
	if (!rc)
		rc = db_int(x->db, &r->err, &org, NULL, "SELECT org_id FROM job_fairs WHERE id = ?", "i", r->id);
	if (!rc)
		rc = audit_add(x, "update", "job_fair", r->id, org, &r->err, "更新招聘会统计");
	if (rc)
		return rc;
	json_t *o = fair_json(x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -E_DB;
}
