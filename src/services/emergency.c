/* emergency.c — emergency aid without an archive (临时救助) and its
 * follow-up.  Contract: API.md "Found early, helped at once, watched after
 * exit". */
#include "services/emergency.h"

#include <stdlib.h>
#include <string.h>

#include "core/tz.h"
#include "rules/eligibility.h"
#include "rules/idcard.h"
#include "rules/mask.h"
#include "services/applications.h"
#include "services/audit.h"
#include "services/calendar.h"
#include "services/households.h"
#include "services/orgs.h"

#define FOLLOW_UP_DAYS 30   /* RULE emergency.follow_up */
#define CAP_DAYS 365        /* RULE emergency.cap */

const struct field app_person_body[] = {
	{"name", F_STR, F_REQ, 1, 50, "姓名"},
	{"id_number", F_STR, F_REQ, 1, 32, "身份证号"},
	{"phone", F_STR, F_NULL, 0, 30, "联系电话"},
	{"address", F_STR, F_NULL, 0, 200, "住址"},
	FIELDS_END,
};

const struct field follow_up_body[] = {
	{"outcome", F_STR, F_REQ, 1, 20, "跟进结果"},
	{"household_id", F_INT, F_NULL, 1, 0, "困难职工档案"},
	{"comment", F_STR, 0, 0, 2000, "说明"},
	FIELDS_END,
};

static const char *str(json_t *b, const char *k)
{
	const char *s = json_string_value(json_object_get(b, k));
	return s && *s ? s : NULL;
}

/* RULE emergency.eligible: not in an active archive (worker or member),
 * no emergency payment disbursed on a day from 365 days ago to today. */
static int eligible(struct ctx *x, const char *idn, struct err *e)
{
	int64_t archived = 0, paid = 0;
	char since[21];
	ts_format(tz_day_start(x->today - CAP_DAYS), since);
	int rc = db_int(x->db, e, &archived, NULL,
			"SELECT COUNT(*) FROM archive_people ap JOIN households h ON h.id = ap.household_id"
			" WHERE ap.id_number = ? AND ap.is_open = 1 AND h.status = 'active'", "s", idn);
	if (!rc)
		rc = db_int(x->db, e, &paid, NULL,
			    "SELECT COUNT(*) FROM applications a JOIN programs p ON p.code = a.program_code"
			    " WHERE a.person_id_number = ? AND p.emergency = 1 AND a.disbursed_at >= ?",
			    "ss", idn, since);
	if (rc || (!archived && !paid))
		return rc;
	err_set(e, E_NOT_ELIGIBLE, "%s", archived ? "此人在正常在档的困难职工档案中，请通过档案申请帮扶"
						  : "此人在365天内已领取过临时救助");
	if (archived)
		err_detail_push(e, "reasons", "has_archive");
	if (paid)
		err_detail_push(e, "reasons", "cap_reached");
	return -E_NOT_ELIGIBLE;
}

int emergency_create(struct ctx *x, json_t *b, json_t *prog, int64_t *id, struct err *e)
{
	int64_t org = json_integer_value(json_object_get(b, "org_id"));
	int64_t amount = json_integer_value(json_object_get(b, "requested_fen"));
	const char *code = json_string_value(json_object_get(prog, "code"));
	const char *reason = str(b, "reason");
	json_t *p = json_object_get(b, "person");
	int rc = 0, vrc = 0;
	if (!org)
		rc = err_field(e, "org_id", "临时救助须填写承办单位");
	if (!json_is_object(p))
		rc = err_field(e, "person", "临时救助须填写受助人（姓名、身份证号）");
	else
		vrc = validate_object(e, p, app_person_body, "person.");
	if (json_integer_value(json_object_get(b, "household_id")))
		rc = err_field(e, "household_id", "临时救助申请写受助人，不关联档案");
	if (json_integer_value(json_object_get(b, "member_id")))
		rc = err_field(e, "member_id", "临时救助申请写受助人，不关联成员");
	if (vrc || rc)
		return vrc ? vrc : rc;
	if ((rc = org_in_scope(x, org, NULL, e)))
		return rc;
	struct idcard_info info;
	int bad = idcard_check(str(p, "id_number"), x->today, &info);
	if (bad != ID_OK)
		return err_field(e, "person.id_number", "%s", idcard_strerror(bad));
	const char *idn = arena_strdup(x->a, info.norm);
	if ((rc = eligible(x, idn, e)))
		return rc;
	json_t *docs = json_object_get(b, "documents");
	if ((rc = application_check_amount(amount, json_integer_value(json_object_get(prog, "standard_fen")),
					   json_integer_value(json_object_get(prog, "max_fen")), reason, docs, e)))
		return rc;
	struct tiers tiers;
	const char *why;
	tiers_parse(json_object_get(prog, "tiers"), &tiers, &why);
	day_t due;
	char due_s[11];
	int year;
	date_to_ymd(x->today, &year, &(int){0}, &(int){0});
	if ((rc = calendar_add_workdays(x, x->today, (int)json_integer_value(json_object_get(prog, "deadline_workdays")),
					&due, e)))
		return rc;
	date_format(due, due_s);
	char *snap = json_dumps(prog, JSON_COMPACT), *dj = docs ? json_dumps(docs, JSON_COMPACT) : strdup("[]");
	rc = db_insert(x->db, e, id,
		       "INSERT INTO applications (household_id, org_id, program_code, program_version,"
		       " program_snapshot, status, requested_fen, reason, documents, year, due_date,"
		       " required_level, submitted_by, created_at, updated_at, person_name, person_id_number,"
		       " person_phone, person_address)"
		       " VALUES (NULL, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       "isisississzssssss", org, code, (int64_t)json_integer_value(json_object_get(prog, "version")),
		       snap, amount, reason, dj, (int64_t)year, due_s, tier_name(tiers_required(&tiers, amount)),
		       x->who.id, x->now_s, x->now_s, str(p, "name"), idn, str(p, "phone"), str(p, "address"));
	free(snap);
	free(dj);
	if (!rc)
		rc = application_event(x, *id, "submit", NULL, "submitted", reason, e);
	if (!rc)
		rc = audit_add(x, "create", "application", *id, org, e, "%s申请“%s”（临时救助，未建档），金额 %lld 分",
			       str(p, "name"), json_string_value(json_object_get(prog, "name")), (long long)amount);
	return rc;
}

int emergency_disbursed(struct ctx *x, int64_t id, struct err *e)
{
	char due[11];
	date_format(x->today + FOLLOW_UP_DAYS, due);
	return db_run(x->db, e,
		      "UPDATE applications SET follow_up_due = ? WHERE id = ? AND household_id IS NULL"
		      " AND program_code IN (SELECT code FROM programs WHERE emergency = 1)", "si", due, id);
}

void emergency_shape(json_t *o, const char *today)
{
	int temporary = json_is_null(json_object_get(o, "household_id")) || !json_object_get(o, "household_id");
	json_object_set_new(o, "temporary", json_boolean(temporary));
	const char *idn = json_string_value(json_object_get(o, "person_id_number"));
	if (temporary && idn) {
		/* RULE mask.id, mask.phone, mask.birth */
		json_t *p = json_pack("{s:O, s:s, s:O, s:O}", "name", json_object_get(o, "person_name"),
				      "id_number", idn, "phone", json_object_get(o, "person_phone"),
				      "address", json_object_get(o, "person_address"));
		day_t t = 0;
		struct idcard_info info;
		if (date_parse(today, &t) == 0 && idcard_check(idn, t, &info) == ID_OK) {
			json_object_set_new(p, "age", json_integer(date_age(info.birth, t)));
			json_object_set_new(p, "gender", json_string(info.male ? "male" : "female"));
		}
		person_mask_fields(p, t);
		json_object_set_new(o, "person", p);
	} else {
		json_object_set_new(o, "person", json_null());
	}
	static const char *const raw[] = {"person_name", "person_id_number", "person_phone", "person_address"};
	for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++)
		json_object_del(o, raw[i]);
	const char *fu = json_string_value(json_object_get(o, "follow_up_due"));
	json_object_set_new(o, "follow_up_overdue",
			    json_boolean(fu && json_is_null(json_object_get(o, "follow_up_outcome")) && strcmp(fu, today) < 0));
}

/* RULE emergency.follow_up_archived: the archive holds the person, as its
 * worker or a member. */
static int holds_person(struct ctx *x, int64_t hid, const char *idn, struct err *e)
{
	int64_t n = 0;
	int rc = db_int(x->db, e, &n, NULL,
			"SELECT (SELECT COUNT(*) FROM households WHERE id = ? AND id_number = ?)"
			" + (SELECT COUNT(*) FROM members WHERE household_id = ? AND id_number = ?)",
			"isis", hid, idn, hid, idn);
	if (!rc && !n)
		rc = err_field(e, "household_id", "该档案的职工及家庭成员中没有此受助人");
	return rc;
}

int emergency_follow_up(struct ctx *x, int64_t id, json_t *b, struct err *e)
{
	const char *out = str(b, "outcome"), *comment = str(b, "comment");
	int64_t hid = json_integer_value(json_object_get(b, "household_id"));
	if (!out || (strcmp(out, "archived") && strcmp(out, "closed")))
		return err_field(e, "outcome", "跟进结果应为 archived（已建档）或 closed（结束跟进）");
	char idn[40] = "", due[12] = "", done[12] = "";
	int64_t org = 0;
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT COALESCE(person_id_number, ''), COALESCE(follow_up_due, ''),"
				 " COALESCE(follow_up_outcome, ''), org_id FROM applications WHERE id = ?", "i", id);
	if (!s)
		return -E_DB;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		snprintf(idn, sizeof idn, "%s", db_col_text(s, 0));
		snprintf(due, sizeof due, "%s", db_col_text(s, 1));
		snprintf(done, sizeof done, "%s", db_col_text(s, 2));
		org = db_col_int(s, 3);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_set(e, E_NOT_FOUND, "申请不存在");
	}
	db_finalize(s);
	if (rc)
		return rc;
	/* RULE emergency.follow_up_once */
	if (!*due)
		return err_set(e, E_INVALID_TRANSITION, "只有已发放的临时救助申请需要跟进");
	if (*done)
		return err_set(e, E_INVALID_TRANSITION, "该申请已跟进，不能再次跟进");
	if (!strcmp(out, "archived")) {
		if (!hid)
			return err_field(e, "household_id", "跟进结果为“已建档”时须关联档案");
		if ((rc = household_load(x, hid, NULL, NULL, NULL, e)) || (rc = holds_person(x, hid, idn, e)))
			return rc;
	} else if (!comment) {
		return err_field(e, "comment", "结束跟进须说明理由");
	} else if (hid) {
		return err_field(e, "household_id", "结束跟进不关联档案");
	}
	rc = db_run(x->db, e,
		    "UPDATE applications SET follow_up_outcome = ?, follow_up_household_id = ?, follow_up_comment = ?,"
		    " follow_up_on = ?, follow_up_by = ?, updated_at = ? WHERE id = ? AND follow_up_outcome IS NULL",
		    "szssisi", out, hid, comment, x->today_s, x->who.id, x->now_s, id);
	if (!rc)
		rc = application_event(x, id, "follow_up", NULL, NULL,
				       !strcmp(out, "archived") ? "跟进：已建档" : comment, e);
	if (!rc)
		rc = audit_add(x, "follow_up", "application", id, org, e, "临时救助跟进：%s%s%s",
			       !strcmp(out, "archived") ? "已建档" : "结束跟进", comment ? "，" : "", comment ? comment : "");
	return rc;
}

int applications_h_follow_up(struct req *r)
{
	int rc = emergency_follow_up(&r->x, r->id, r->in, &r->err);
	if (rc)
		return rc;
	json_t *o = application_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -E_DB;
}
