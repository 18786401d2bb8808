/* demo_mutual.c — demo mutual aid (互助保障) and primary aid items (帮扶主项):
 * a medical plan and a women's plan of the current year at the city,
 * people of the active archives enrolled (the women's premiums paid by
 * the union in one ledger row per unit), claims in every state, and a
 * primary item on most active archives.  Walked through the real services
 * as demo users.  Deterministic. */
#include <stdio.h>
#include <string.h>

#include "services/auth.h"
#include "services/mutual_aid.h"
#include "services/setup.h"

#define DAY 86400
#define MAX_PEOPLE 120

static int as(struct ctx *x, const char *user, struct err *e)
{
	return auth_load_actor(x, user, 0, e);
}

static int plan(struct ctx *x, int year, const char *code, const char *name, const char *kind, int64_t premium,
		int women, const char *benefits, int64_t cap, int64_t *id, struct err *e)
{
	return db_insert(x->db, e, id,
			 "INSERT INTO ma_plans (org_id, code, name, kind, year, premium_fen, enrol_from, enrol_to, cover_from,"
			 " cover_to, annual_cap_fen, women_only, age_max, benefits, created_by, created_at)"
			 " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			 "sssiissssiiisis", code, name, kind, (int64_t)year, premium,
			 arena_printf(x->a, "%d-01-01", year), arena_printf(x->a, "%d-12-31", year),
			 arena_printf(x->a, "%d-01-01", year), arena_printf(x->a, "%d-12-31", year), cap, (int64_t)women,
			 women ? (int64_t)60 : (int64_t)0, benefits, x->who.id, x->now_s);
}

static void ignore(void *arg, const struct ma_person *p, int i, const char *field, enum err_code code,
		   const char *msg)
{
	(void)arg, (void)p, (void)i, (void)field, (void)code, (void)msg;
}

/* The active archives' workers (women only when `women`), enrolled in
 * plan by their unit, a batch per unit. */
static int enrol(struct ctx *x, int64_t plan_id, int women, int64_t account, int max, int64_t *n_out, struct err *e)
{
	int year;
	date_to_ymd(x->today, &year, &(int){0}, &(int){0});
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT h.name, h.id_number, h.org_id FROM households h WHERE h.status = 'active'"
				 " AND (? = 0 OR h.gender = 'female') AND h.birth_date > ? ORDER BY h.org_id, h.id LIMIT ?",
				 "isi", (int64_t)women, arena_printf(x->a, "%d-01-02", year - 60), (int64_t)max);
	struct ma_person p[MAX_PEOPLE];
	int64_t org[MAX_PEOPLE];
	int n = 0, rc = 0;
	while (s && n < max && n < MAX_PEOPLE && db_step(s, e) == DB_ROW) {
		p[n] = (struct ma_person){arena_strdup(x->a, db_col_text(s, 0)), arena_strdup(x->a, db_col_text(s, 1)),
					  NULL, 0};
		org[n++] = db_col_int(s, 2);
	}
	db_finalize(s);
	*n_out = 0;
	for (int i = 0, j; !rc && i < n; i = j) {
		for (j = i; j < n && org[j] == org[i]; j++)
			;
		struct ma_enrol_opts o = {.plan_id = plan_id, .org_id = org[i], .account_id = account,
					  .paid_by = account ? "union" : "member"};
		int64_t got = 0;
		rc = ma_enrol(x, &o, p + i, j - i, ignore, NULL, &got, e);
		if (rc == -E_NOT_ELIGIBLE || rc == -E_DUPLICATE_ID_NUMBER || rc == -E_VALIDATION_FAILED) {
			err_clear(e); /* an older worker, say: left out of the demo */
			rc = 0;
		}
		*n_out += got;
	}
	return rc;
}

static int step(struct ctx *x, const char *user, int64_t id, json_t *b, struct err *e)
{
	int denied, rc = as(x, user, e);
	if (!rc)
		rc = ma_claim_transition(x, id, b, &denied, e);
	json_decref(b);
	return rc;
}

int demo_mutual(struct ctx *x, struct err *e)
{
	const struct actor self = x->who;
	int64_t end = x->now, med = 0, wom = 0, acct = 0, n_med = 0, n_wom = 0;
	int year;
	date_to_ymd(x->today, &year, &(int){0}, &(int){0});
	int rc = as(x, "city_staff", e);
	if (rc)
		return rc;
	if ((rc = db_int(x->db, e, &acct, NULL, "SELECT id FROM fund_accounts WHERE org_id = 1 AND source = 'union'"
						   " ORDER BY id LIMIT 1", "")) ||
	    (rc = plan(x, year, arena_printf(x->a, "medical-%d", year), arena_printf(x->a, "%d年职工重大疾病医疗互助", year),
		       "medical", 3000, 0,
		       "[{\"code\":\"major\",\"name\":\"重大疾病\",\"max_fen\":1000000},"
		       "{\"code\":\"inpatient\",\"name\":\"住院医疗\",\"max_fen\":300000}]",
		       1500000, &med, e)) ||
	    (rc = plan(x, year, arena_printf(x->a, "women-%d", year), arena_printf(x->a, "%d年女职工“四病”保障", year),
		       "women", 5000, 1, "[{\"code\":\"four\",\"name\":\"女职工“四病”\",\"max_fen\":800000}]", 800000,
		       &wom, e)) ||
	    (rc = enrol(x, med, 0, 0, 80, &n_med, e)) || (rc = enrol(x, wom, 1, acct, 40, &n_wom, e)))
		return rc;

	/* claims of the medical plan in every state */
	struct db_stmt *s = db_q(x->db, e, "SELECT id FROM ma_enrolments WHERE plan_id = ? ORDER BY id LIMIT 15", "i", med);
	int64_t en[15];
	int n = 0, made = 0;
	while (s && n < 15 && db_step(s, e) == DB_ROW)
		en[n++] = db_col_int(s, 0);
	db_finalize(s);
	static const char *const dx[] = {"急性心肌梗死住院", "肺恶性肿瘤化疗", "脑卒中住院治疗", "股骨骨折手术",
					 "慢性肾衰竭透析"};
	for (int i = 0; !rc && i < n; i++) {
		int target = i % 5; /* submitted, verified, approved, paid, rejected */
		ctx_set_now(x, end - (int64_t)(target ? 10 - i % 4 : 1) * DAY);
		json_t *b = json_pack("{s:I,s:s,s:s,s:I,s:s}", "enrolment_id", (json_int_t)en[i], "benefit_code",
				      i % 2 ? "inpatient" : "major", "event_date", x->today_s, "claimed_fen",
				      (json_int_t)(i % 2 ? 50000 + 10000 * i : 200000 + 50000 * i), "diagnosis", dx[i % 5]);
		int64_t id = 0;
		if (!(rc = as(x, "city_staff", e)))
			rc = ma_claim_create(x, b, &id, e);
		json_decref(b);
		if (rc)
			break;
		made++;
		x->now += 3600;
		if (target == 4)
			rc = step(x, "city_reviewer", id, json_pack("{s:s,s:s}", "action", "reject", "comment",
								    "不属于本计划保障范围"), e);
		if (!rc && target >= 1 && target <= 3) /* the hospital's papers first */
			rc = demo_attach_pdf(x, "claim", id, "病情证明", "住院病情证明.pdf", e);
		if (!rc && target >= 1 && target <= 3)
			rc = step(x, "city_reviewer", id, json_pack("{s:s}", "action", "verify"), e);
		if (!rc && target >= 2 && target <= 3)
			rc = step(x, "city_approver", id, json_pack("{s:s}", "action", "approve"), e);
		if (!rc && target == 3)
			rc = step(x, "city_finance", id, json_pack("{s:s,s:I}", "action", "pay", "account_id", (json_int_t)acct), e);
	}
	/* 帮扶主项 on the active archives, by their first cause */
	if (!rc)
		rc = db_run(x->db, e,
			    "UPDATE households SET primary_aid = CASE"
			    " WHEN causes LIKE 'illness%' THEN CASE WHEN id % 2 = 0 THEN 'medical_mutual' ELSE 'medical' END"
			    " WHEN causes LIKE 'education%' THEN 'education' WHEN causes LIKE 'unemployment%' THEN 'employment'"
			    " WHEN causes LIKE 'work_injury%' THEN 'legal' ELSE 'living' END"
			    " WHERE status = 'active' AND id % 10 <> 0", "");
	x->who = self;
	ctx_set_now(x, end);
	if (!rc)
		printf("  互助保障计划 2 个（参保 %lld + %lld 人），理赔 %d 件（各流程状态均有），帮扶主项已设\n",
		       (long long)n_med, (long long)n_wom, made);
	return rc;
}
