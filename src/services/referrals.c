/* referrals.c — referrals of job seekers to vacancies with their outcome,
 * training courses with enrolments and results.  A hired referral of a
 * worker whose archive is active is recorded on the archive (RULE
 * jobs.reemployed): an event, reemployed_on and the exit suggestion, so the
 * approver can exit the archive through the normal workflow. */
#include "services/employment.h"

#include <inttypes.h>
#include <string.h>

#include "services/audit.h"
#include "services/households.h"
#include "services/orgs.h"

const struct field referral_body[] = {
	{"seeker_id", F_INT, F_REQ, 1, 0, "求职人员"},
	{"vacancy_id", F_INT, F_REQ, 1, 0, "岗位"},
	{"date", F_DATE, 0, 0, 0, "推荐日期"},
	{"note", F_STR, 0, 0, 500, "备注"},
	FIELDS_END,
};
const struct field outcome_body[] = {
	{"outcome", F_STR, F_REQ, 1, 20, "推荐结果"},
	{"date", F_DATE, 0, 0, 0, "结果日期"},
	{"note", F_STR, 0, 0, 500, "备注"},
	FIELDS_END,
};
const struct field training_body[] = {
	{"org_id", F_INT, F_REQ, 1, 0, "主办单位"},
	{"name", F_STR, F_REQ, 1, 100, "培训名称"},
	{"provider", F_STR, 0, 0, 100, "培训机构"},
	{"start_date", F_DATE, F_REQ, 0, 0, "开班日期"},
	{"end_date", F_DATE, F_REQ, 0, 0, "结业日期"},
	{"capacity", F_INT, F_REQ, 1, 10000, "名额"},
	FIELDS_END,
};
const struct field enrolment_body[] = {
	{"seeker_id", F_INT, F_REQ, 1, 0, "求职人员"},
	FIELDS_END,
};
const struct field result_body[] = {
	{"result", F_STR, F_REQ, 1, 10, "培训结果"},
	{"certificate", F_STR, 0, 0, 100, "所获证书"},
	{"date", F_DATE, 0, 0, 0, "结果日期"},
	FIELDS_END,
};

static const char *const outcome_labels[][2] = {
	{"hired", "已录用"}, {"rejected", "未录用"}, {"no_show", "未到场"},
};

/* A date in the body, or today. */
static const char *date_or_today(struct req *r, const char *field)
{
	const char *d = body_str(r, field);
	return d ? d : r->x.today_s;
}

/* --- referrals ------------------------------------------------------------------ */

#define REFERRAL_COLS                                                                              \
	"r.id, r.seeker_id, s.name AS seeker_name, r.vacancy_id, v.title AS vacancy_title,"           \
	" m.name AS employer_name, r.org_id, r.date, r.outcome, r.outcome_date, r.note, r.created_at"
#define REFERRAL_FROM                                                                              \
	" FROM referrals r JOIN job_seekers s ON s.id = r.seeker_id JOIN vacancies v ON v.id = r.vacancy_id" \
	" JOIN employers m ON m.id = v.employer_id JOIN orgs o ON o.id = r.org_id"

static json_t *referral_json(struct ctx *x, int64_t id, struct err *e)
{
	return db_one_json(x->db, e, "SELECT " REFERRAL_COLS REFERRAL_FROM " WHERE r.id = ?", id);
}

int referrals_scope(struct req *r)
{
	return record_in_scope(&r->x, "referrals", r->id, "推荐记录不存在", &r->err);
}

int referrals_h_create(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t seeker, vacancy, org, vorg, id = 0;
	int rc = svc_ref_in_scope(r, "job_seekers", "seeker_id", "求职人员不存在", &seeker, &org);
	if (!rc)
		rc = svc_ref_in_scope(r, "vacancies", "vacancy_id", "岗位不存在", &vacancy, &vorg);
	if (rc)
		return rc;
	int64_t open = 0, seeking = 0;
	if ((rc = db_int(x->db, &r->err, &open, NULL, "SELECT COUNT(*) FROM vacancies WHERE id = ? AND status = 'open'",
			 "i", vacancy)) ||
	    (rc = db_int(x->db, &r->err, &seeking, NULL,
			 "SELECT COUNT(*) FROM job_seekers WHERE id = ? AND status = 'seeking'", "i", seeker)))
		return rc;
	if (!open)
		return err_field(&r->err, "vacancy_id", "岗位已关闭，不能再推荐");
	if (!seeking)
		return err_field(&r->err, "seeker_id", "此人已经就业");
	rc = db_int(x->db, &r->err, &id, NULL,
		    "INSERT INTO referrals (seeker_id, vacancy_id, org_id, date, note, created_by, created_at)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
		    "iiisszs", seeker, vacancy, org, date_or_today(r, "date"), body_str(r, "note"), x->who.id, x->now_s);
	if (!rc && !id)
		return err_set(&r->err, E_CONFLICT, "已向该岗位推荐此人，结果尚未登记");
	if (!rc)
		rc = audit_add(x, "create", "referral", id, org, &r->err, "推荐求职人员 %" PRId64 " 到岗位 %" PRId64,
			       seeker, vacancy);
	if (rc)
		return rc;
	json_t *o = referral_json(x, id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

/* GET /referrals?seeker_id=&vacancy_id=&outcome= */
int referrals_h_list(struct req *r)
{
	struct svc_q q;
	svc_q_init(r, &q, REFERRAL_FROM " WHERE o.path LIKE ?");
	svc_q_str(r, &q, "outcome", "r.outcome");
	int rc = svc_q_id(r, &q, "seeker_id", "r.seeker_id");
	if (!rc)
		rc = svc_q_id(r, &q, "vacancy_id", "r.vacancy_id");
	return rc ? rc : svc_list(r, REFERRAL_COLS, q.from, "r.id", &q.a);
}

int referrals_h_get(struct req *r)
{
	json_t *o = referral_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

/* RULE jobs.reemployed: the seeker's open archive, when active, gets an
 * event, reemployed_on and exit_suggested; nothing exits by itself. */
static int record_reemployment(struct ctx *x, int64_t seeker, const char *date, const char *employer,
			       struct err *e)
{
	int64_t hid = 0, org = 0;
	int found = 0;
	int rc = db_int(x->db, e, &hid, &found,
			"SELECT h.id FROM job_seekers s JOIN archive_people ap ON ap.id_number = s.id_number"
			" AND ap.is_open = 1 JOIN households h ON h.id = ap.household_id"
			" WHERE s.id = ? AND h.status = 'active'",
			"i", seeker);
	if (rc || !found)
		return rc;
	if ((rc = db_int(x->db, e, &org, NULL,
			 "UPDATE households SET reemployed_on = ?, exit_suggested = 1, version = version + 1,"
			 " updated_at = ? WHERE id = ? RETURNING org_id",
			 "ssi", date, x->now_s, hid)))
		return rc;
	const char *why = arena_printf(x->a, "经职业介绍于 %s 被“%s”录用，建议解困退出", date, employer);
	if ((rc = household_event(x, hid, "reemployed", "active", "active", why, NULL, e)))
		return rc;
	return audit_add(x, "reemployed", "household", hid, org, e, "%s", why);
}

int referral_outcome(struct ctx *x, int64_t id, const char *oc, const char *date, const char *note,
		     struct err *e)
{
	const char *label = NULL;
	for (size_t i = 0; i < sizeof outcome_labels / sizeof outcome_labels[0]; i++)
		if (oc && !strcmp(oc, outcome_labels[i][0]))
			label = outcome_labels[i][1];
	if (!label)
		return err_field(e, "outcome", "推荐结果应为 hired、rejected 或 no_show");
	int64_t org = 0, seeker = 0;
	int found = 0;
	/* guarded by outcome = 'pending': a result is recorded once */
	int rc = db_int(x->db, e, &seeker, &found,
			"UPDATE referrals SET outcome = ?, outcome_date = ?, note = COALESCE(?, note)"
			" WHERE id = ? AND outcome = 'pending' RETURNING seeker_id",
			"sssi", oc, date, note, id);
	if (!rc && !found)
		return err_set(e, E_INVALID_TRANSITION, "该推荐的结果已经登记，不能再改");
	if (!rc)
		rc = db_int(x->db, e, &org, NULL, "SELECT org_id FROM referrals WHERE id = ?", "i", id);
	if (!rc && !strcmp(oc, "hired")) {
		const char *employer = "";
		struct db_stmt *s = db_q(x->db, e, "SELECT m.name FROM referrals r JOIN vacancies v ON v.id ="
					 " r.vacancy_id JOIN employers m ON m.id = v.employer_id WHERE r.id = ?", "i", id);
		if (s && db_step(s, e) == DB_ROW)
			employer = arena_strdup(x->a, db_col_text(s, 0));
		db_finalize(s);
		rc = db_run(x->db, e, "UPDATE job_seekers SET status = 'employed' WHERE id = ?", "i", seeker);
		if (!rc)
			rc = record_reemployment(x, seeker, date, employer, e);
	}
	if (!rc)
		rc = audit_add(x, "outcome", "referral", id, org, e, "推荐结果：%s", label);
	return rc;
}

/* POST /referrals/{id}/outcome {"outcome":"hired|rejected|no_show","date","note"} */
int referrals_h_outcome(struct req *r)
{
	int rc = referral_outcome(&r->x, r->id, body_str(r, "outcome"), date_or_today(r, "date"),
				  body_str(r, "note"), &r->err);
	if (rc)
		return rc;
	json_t *o = referral_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -E_DB;
}

/* --- trainings ------------------------------------------------------------------ */

#define TRAINING_COLS                                                                              \
	"t.id, t.org_id, o.name AS org_name, t.name, t.provider, t.start_date, t.end_date, t.capacity," \
	" t.created_at, (SELECT COUNT(*) FROM enrolments n WHERE n.training_id = t.id) AS enrolled,"  \
	" (SELECT COUNT(*) FROM enrolments n WHERE n.training_id = t.id AND n.result = 'passed') AS passed"

int trainings_scope(struct req *r)
{
	return record_in_scope(&r->x, "trainings", r->id, "培训班不存在", &r->err);
}

static json_t *training_json(struct ctx *x, int64_t id, struct err *e)
{
	json_t *o = db_one_json(x->db, e, "SELECT " TRAINING_COLS " FROM trainings t JOIN orgs o ON o.id = t.org_id"
					  " WHERE t.id = ?", id);
	if (o && svc_attach(o, "enrolments",
			    db_q(x->db, e, "SELECT n.id, n.seeker_id, s.name AS seeker_name, n.result, n.certificate,"
					   " n.result_date, n.created_at FROM enrolments n JOIN job_seekers s ON s.id = n.seeker_id"
					   " WHERE n.training_id = ? ORDER BY n.id", "i", id), e)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int trainings_h_create(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t org = body_int(r, "org_id", 0), id = 0;
	int rc = org_in_scope(x, org, NULL, &r->err);
	if (rc)
		return rc;
	if (strcmp(body_str(r, "end_date"), body_str(r, "start_date")) < 0)
		return err_field(&r->err, "end_date", "结业日期不能早于开班日期");
	rc = db_insert(x->db, &r->err, &id,
		    "INSERT INTO trainings (org_id, name, provider, start_date, end_date, capacity, created_at)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?)",
		    "issssis", org, body_str(r, "name"), body_str(r, "provider"), body_str(r, "start_date"),
		    body_str(r, "end_date"), body_int(r, "capacity", 1), x->now_s);
	if (!rc)
		rc = audit_add(x, "create", "training", id, org, &r->err, "开设培训班“%s”", body_str(r, "name"));
	if (rc)
		return rc;
	json_t *o = training_json(x, id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

int trainings_h_list(struct req *r)
{
	struct db_args a = {0};
	db_arg_str(&a, ctx_scope_like(&r->x));
	return svc_list(r, TRAINING_COLS, "FROM trainings t JOIN orgs o ON o.id = t.org_id WHERE o.path LIKE ?",
			"t.start_date DESC, t.id", &a);
}

int trainings_h_get(struct req *r)
{
	json_t *o = training_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

/* POST /trainings/{id}/enrolments {"seeker_id"}: within the capacity
 * (counted under the write lock of the transaction), once per seeker. */
int trainings_h_enrol(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t seeker, sorg, org = 0, id = 0;
	int rc = svc_ref_in_scope(r, "job_seekers", "seeker_id", "求职人员不存在", &seeker, &sorg);
	if (rc)
		return rc;
	int found = 0;
	/* the UPDATE takes the training's row lock: concurrent enrolments queue */
	if ((rc = db_int(x->db, &r->err, &org, &found,
			 "UPDATE trainings SET capacity = capacity WHERE id = ? AND capacity >"
			 " (SELECT COUNT(*) FROM enrolments WHERE training_id = ?) RETURNING org_id",
			 "ii", r->id, r->id)))
		return rc;
	if (!found)
		return err_field(&r->err, "seeker_id", "培训班名额已满");
	rc = db_int(x->db, &r->err, &id, NULL,
		    "INSERT INTO enrolments (training_id, seeker_id, created_at) VALUES (?, ?, ?)"
		    " ON CONFLICT DO NOTHING RETURNING id",
		    "iis", r->id, seeker, x->now_s);
	if (!rc && !id)
		return err_set(&r->err, E_CONFLICT, "此人已报名该培训班");
	if (!rc)
		rc = audit_add(x, "enrol", "training", r->id, org, &r->err, "求职人员 %" PRId64 " 报名", seeker);
	if (rc)
		return rc;
	json_t *o = training_json(x, r->id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

/* POST /trainings/{id}/enrolments/{eid}/result {"result":"passed|failed",
 * "certificate","date"}: once; a certificate (only with passed) is added to
 * the seeker's certificates. */
int trainings_h_result(struct req *r)
{
	struct ctx *x = &r->x;
	const char *res = body_str(r, "result"), *cert = body_str(r, "certificate");
	if (strcmp(res, "passed") && strcmp(res, "failed"))
		return err_field(&r->err, "result", "培训结果应为 passed 或 failed");
	if (cert && strcmp(res, "passed"))
		return err_field(&r->err, "certificate", "只有结业合格才登记证书");
	int64_t eid = r->nparam > 1 ? strtoll(r->param[1], NULL, 10) : 0, seeker = 0, org = 0;
	int found = 0;
	int rc = db_int(x->db, &r->err, &seeker, &found, "SELECT seeker_id FROM enrolments WHERE id = ? AND training_id = ?",
			"ii", eid, r->id);
	if (!rc && !found)
		return err_set(&r->err, E_NOT_FOUND, "报名记录不存在");
	if (!rc)
		rc = db_int(x->db, &r->err, &eid, &found,
			    "UPDATE enrolments SET result = ?, certificate = ?, result_date = ?"
			    " WHERE id = ? AND result = 'pending' RETURNING id",
			    "sssi", res, cert, date_or_today(r, "date"), eid);
	if (!rc && !found)
		return err_set(&r->err, E_INVALID_TRANSITION, "该学员的培训结果已经登记");
	if (!rc && cert) {
		json_t *c = NULL;
		struct db_stmt *s = db_q(x->db, &r->err, "SELECT certificates FROM job_seekers WHERE id = ?", "i", seeker);
		if (s && db_step(s, &r->err) == DB_ROW)
			c = json_loads(db_col_text(s, 0), 0, NULL);
		db_finalize(s);
		if (!json_is_array(c)) {
			json_decref(c);
			c = json_array();
		}
		json_array_append_new(c, json_string(cert));
		char *t = json_dumps(c, JSON_COMPACT);
		rc = db_run(x->db, &r->err, "UPDATE job_seekers SET certificates = ? WHERE id = ?", "si", t, seeker);
		free(t);
		json_decref(c);
	}
	if (!rc)
		rc = db_int(x->db, &r->err, &org, NULL, "SELECT org_id FROM trainings WHERE id = ?", "i", r->id);
	if (!rc)
		rc = audit_add(x, "result", "training", r->id, org, &r->err, "学员 %" PRId64 " 培训结果：%s", seeker, res);
	if (rc)
		return rc;
	json_t *o = training_json(x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -E_DB;
}
