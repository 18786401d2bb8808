/* report_outreach.c — the `outreach` block of the quarterly report's UNIT
 * (API.md "Outreach") and the overdue referrals of the dashboard.  Same
 * bucket join as reports.c and report_services.c: one query per figure
 * answers the total and every child unit.  Each takes the parameters (U, U,
 * subtree, from, to) with from = the first day "YYYY-MM-DD" and to = the
 * last day's "YYYY-MM-DDT23:59:59Z".
 *
 * Definitions (the period is [from, to]):
 *  activities          activities dated in it, with the job fairs held and
 *                      the trainings starting in it (one calendar)
 *  attendance          households recorded as attending those activities,
 *                      and enrolments in those trainings (a job fair's
 *                      visitors are people at the door, not households)
 *  referrals.made      referrals to agencies dated (referred_on) in it
 *  referrals.granted   referrals granted (decided_on) in it
 *  projects.count      projects of the period's year, by the project's unit
 *  projects.funded_fen their fundings made by the period's end
 */
#include "services/report_outreach.h"

#include <inttypes.h>
#include <stdio.h>

#include "rules/outreach.h"

#define BUCKET " JOIN orgs b ON (b.id = ? OR b.parent_id = ?) AND o.path LIKE b.path || '%%'" /* through printf */
#define YEAR_OF_FROM "t.year = CAST(SUBSTR(CAST(? AS TEXT), 1, 4) AS BIGINT)"

static const struct agg {
	const char *group, *key, *sel, *from, *cond;
} aggs[] = {
	{NULL, "activities", "COUNT(*)", "activities t", "t.date >= ? AND t.date <= ?"},
	{NULL, "activities", "COUNT(*)", "job_fairs t", "t.date >= ? AND t.date <= ?"},
	{NULL, "activities", "COUNT(*)", "trainings t", "t.start_date >= ? AND t.start_date <= ?"},
	{NULL, "attendance", "COUNT(*)", "activity_attendance n JOIN activities t ON t.id = n.activity_id",
	 "t.date >= ? AND t.date <= ?"},
	{NULL, "attendance", "COUNT(*)", "enrolments n JOIN trainings t ON t.id = n.training_id",
	 "t.start_date >= ? AND t.start_date <= ?"},
	{"referrals", "made", "COUNT(*)", "agency_referrals t", "t.referred_on >= ? AND t.referred_on <= ?"},
	{"referrals", "granted", "COUNT(*)", "agency_referrals t",
	 "t.status = 'granted' AND t.decided_on >= ? AND t.decided_on <= ?"},
	{"projects", "count", "COUNT(*)", "projects t", YEAR_OF_FROM " AND t.created_at <= ?"},
	{"projects", "funded_fen", "CAST(SUM(f.amount_fen) AS BIGINT)",
	 "project_fundings f JOIN projects t ON t.id = f.project_id", YEAR_OF_FROM " AND f.created_at <= ?"},
};

/* The block with every figure at 0. */
static json_t *zero(void)
{
	return json_pack("{s:i, s:i, s:{s:i, s:i}, s:{s:i, s:i}}", "activities", 0, "attendance", 0, "referrals",
			 "made", 0, "granted", 0, "projects", "count", 0, "funded_fen", 0);
}

static json_t *slot(json_t *all, int64_t id)
{
	char key[24];
	snprintf(key, sizeof key, "%" PRId64, id);
	json_t *u = json_object_get(all, key);
	if (!u) {
		u = zero();
		json_object_set_new(all, key, u);
	}
	return u;
}

static void add(json_t *o, const char *group, const char *key, int64_t v)
{
	json_t *g = group ? json_object_get(o, group) : o;
	json_object_set_new(g, key, json_integer(json_integer_value(json_object_get(g, key)) + v));
}

int report_outreach(struct ctx *x, int64_t root, const char *like, const struct period *p, json_t **out,
		    struct err *e)
{
	json_t *all = json_object();
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof aggs / sizeof aggs[0]; i++) {
		const struct agg *g = &aggs[i];
		const char *sql = arena_printf(x->a, "SELECT b.id, %s FROM %s JOIN orgs o ON o.id = t.org_id" BUCKET
						     " WHERE o.path LIKE ? AND %s GROUP BY b.id",
					       g->sel, g->from, g->cond);
		struct db_stmt *s = db_q(x->db, e, sql, "iisss", root, root, like, p->from_s, p->to_ts);
		if (!s) {
			rc = -E_DB;
			break;
		}
		while ((rc = db_step(s, e)) == DB_ROW) /* a NULL sum reads 0 */
			add(slot(all, db_col_int(s, 0)), g->group, g->key, db_col_int(s, 1));
		db_finalize(s);
		rc = rc < 0 ? rc : 0;
	}
	if (rc) {
		json_decref(all);
		return rc;
	}
	*out = all;
	return 0;
}

void report_outreach_unit(json_t *all, int64_t id, json_t *unit)
{
	char key[24];
	snprintf(key, sizeof key, "%" PRId64, id);
	json_t *u = json_object_get(all, key);
	json_object_set_new(unit, "outreach", u ? json_deep_copy(u) : zero());
}

int report_outreach_dashboard(struct ctx *x, const char *like, json_t *out, struct err *e)
{
	char before[11];
	date_format(x->today - REFERRAL_OVERDUE_DAYS, before);
	int64_t n = 0;
	int rc = db_int(x->db, e, &n, NULL,
			"SELECT COUNT(*) FROM agency_referrals r JOIN orgs o ON o.id = r.org_id WHERE o.path LIKE ?"
			" AND r.status = 'pending' AND r.referred_on < ?",
			"ss", like, before);
	if (!rc)
		json_object_set_new(out, "agency_referrals_overdue", json_integer(n));
	return rc;
}
