/* report_services.c — employment and partner-card figures per report unit.
 * Same bucket join as reports.c: one query answers the total and every
 * child unit.  Each aggregate takes the parameters (U, U, subtree, from,
 * to) with from = the first day "YYYY-MM-DD" and to = the last day's
 * "YYYY-MM-DDT23:59:59Z", which bounds dates and timestamps alike.
 *
 * Definitions (the period is [from, to]):
 *  employment.seekers_registered  job seekers registered (created_at) in it
 *  employment.referrals           referrals dated in it
 *  employment.hired               referrals whose outcome hired is dated in it
 *  employment.trainings           training courses starting in it
 *  employment.trained             enrolments passed (result_date) in it, by
 *                                 the training's unit
 *  employment.reemployed_exits    archives exited in it that had a hired
 *                                 referral recorded (reemployed_on)
 *  cards.issued                   cards issued in it
 *  cards.active                   cards active now that were issued by its
 *                                 end (a simplification, like review dates)
 *  cards.purchases, union_fen, partner_fen
 *                                 purchases dated in it, by the card's unit
 *  checks.requested               agency checks requested in it (家庭经济状况核对)
 *  checks.found                   their results dated in it that found income
 *                                 or property
 *  mutual_aid.enrolled, premium_fen
 *                                 enrolments (互助保障) made in it, their premiums
 *  mutual_aid.claims              claims submitted in it
 *  mutual_aid.paid, paid_fen      claims paid in it, the amount paid
 *  mutual_aid.open                claims open now (submitted, verified,
 *                                 approved) that were submitted by its end
 */
#include "services/report_services.h"

#include <inttypes.h>
#include <stdio.h>

#define BUCKET " JOIN orgs b ON (b.id = ? OR b.parent_id = ?) AND o.path LIKE b.path || '%%'" /* through printf */

static const struct report_agg aggs[] = {
	{"employment", "COUNT(*)", "job_seekers t", "t.created_at >= ? AND t.created_at <= ?",
	 {"seekers_registered"}},
	{"employment", "COUNT(*)", "referrals t", "t.date >= ? AND t.date <= ?", {"referrals"}},
	{"employment", "COUNT(*)", "referrals t",
	 "t.outcome = 'hired' AND t.outcome_date >= ? AND t.outcome_date <= ?", {"hired"}},
	{"employment", "COUNT(*)", "trainings t", "t.start_date >= ? AND t.start_date <= ?", {"trainings"}},
	{"employment", "COUNT(*)", "enrolments n JOIN trainings t ON t.id = n.training_id",
	 "n.result = 'passed' AND n.result_date >= ? AND n.result_date <= ?", {"trained"}},
	{"employment", "COUNT(*)", "households t",
	 "t.reemployed_on IS NOT NULL AND t.exited_on >= ? AND t.exited_on <= ?", {"reemployed_exits"}},
	{"cards", "COUNT(*)", "cards t", "t.issued_on >= ? AND t.issued_on <= ?", {"issued"}},
	{"cards", "COUNT(*)", "cards t", "t.status = 'active' AND CAST(? AS TEXT) IS NOT NULL AND t.issued_on <= ?", {"active"}},
	{"cards", "COUNT(*), CAST(SUM(t.union_fen) AS BIGINT), CAST(SUM(t.partner_fen) AS BIGINT)",
	 "purchases t", "t.date >= ? AND t.date <= ?", {"purchases", "union_fen", "partner_fen"}},
	/* agency checks (issue 19): requested, and results that found something */
	{"checks", "COUNT(*)", "household_checks t", "t.requested_on >= ? AND t.requested_on <= ?", {"requested"}},
	{"checks", "COUNT(*)", "household_checks t", "t.result = 'found' AND t.result_on >= ? AND t.result_on <= ?", {"found"}},
	{"mutual_aid", "COUNT(*), CAST(SUM(t.premium_fen) AS BIGINT)", "ma_enrolments t",
	 "t.created_at >= ? AND t.created_at <= ?", {"enrolled", "premium_fen"}},
	{"mutual_aid", "COUNT(*)", "ma_claims t", "t.created_at >= ? AND t.created_at <= ?", {"claims"}},
	{"mutual_aid", "COUNT(*), CAST(SUM(t.paid_fen) AS BIGINT)", "ma_claims t",
	 "t.paid_at >= ? AND t.paid_at <= ?", {"paid", "paid_fen"}},
	{"mutual_aid", "COUNT(*)", "ma_claims t",
	 "t.status IN ('submitted', 'verified', 'approved') AND CAST(? AS TEXT) IS NOT NULL AND t.created_at <= ?", {"open"}},
};

/* all[id][group] as an object, created on demand */
static json_t *slot(json_t *all, int64_t id, const char *group)
{
	char key[24];
	snprintf(key, sizeof key, "%" PRId64, id);
	json_t *u = json_object_get(all, key);
	if (!u) {
		u = json_object();
		json_object_set_new(all, key, u);
	}
	json_t *g = json_object_get(u, group);
	if (!g) {
		g = json_object();
		json_object_set_new(u, group, g);
	}
	return g;
}

int report_aggs(struct ctx *x, const struct report_agg *aggs, size_t n, int64_t root, const char *like,
		const struct period *p, json_t **out, struct err *e)
{
	json_t *all = json_object();
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		const struct report_agg *g = &aggs[i];
		/* grouped by unit first (g), then rolled up through the bucket map
		 * (ob, computed once over the org rows), as services/reports.c does:
		 * joined to the buckets per row, PostgreSQL took the bucket join for
		 * one row and read the emergency payments unit by unit, all 500,000
		 * of the quarter (3.5-4.3 s at 100,000 archives; docs/benchmarks.md) */
		int k = 0;
		char *cols = arena_strdup(x->a, ""), *sums = arena_strdup(x->a, "");
		for (; k < 3 && g->keys[k]; k++) {
			cols = arena_printf(x->a, "%s, c%d", cols, k);
			sums = arena_printf(x->a, "%s, CAST(SUM(g.c%d) AS BIGINT)", sums, k);
		}
		const char *cond = g->cond, *marks = NULL;
		for (int j = 0; g->in && g->in[j]; j++)
			marks = marks ? arena_printf(x->a, "%s, ?", marks) : "?";
		if (g->in)
			cond = arena_printf(x->a, g->cond, marks ? marks : "NULL");
		const char *sql = arena_printf(x->a, "%sWITH ob AS MATERIALIZED (SELECT o.id AS org_id, b.id AS bucket"
						     " FROM orgs o" BUCKET " WHERE o.path LIKE ?),"
						     " g(org_id%s) AS MATERIALIZED (SELECT t.org_id, %s FROM %s WHERE %s"
						     " GROUP BY t.org_id) SELECT ob.bucket%s FROM g JOIN ob ON ob.org_id = g.org_id"
						     " GROUP BY ob.bucket",
					       g->in ? DB_PLAN_EACH : "", cols, g->sel, g->from, cond, sums);
		struct db_args a = {0};
		db_arg_int(&a, root);
		db_arg_int(&a, root);
		db_arg_str(&a, like);
		for (int j = 0; g->in && g->in[j]; j++)
			db_arg_str(&a, g->in[j]);
		for (const char *c = g->bounds ? g->bounds : "dT"; *c; c++)
			db_arg_str(&a, *c == 'd' ? p->from_s : *c == 'D' ? p->to_s : *c == 't' ? p->from_ts : p->to_ts);
		struct db_stmt *s = db_q_args(x->db, e, sql, &a);
		if (!s) {
			rc = -E_DB;
			break;
		}
		while ((rc = db_step(s, e)) == DB_ROW) {
			json_t *o = slot(all, db_col_int(s, 0), g->group);
			for (int k = 0; k < 3 && g->keys[k]; k++) /* a NULL sum reads 0 */
				json_object_set_new(o, g->keys[k], json_integer(db_col_int(s, 1 + k)));
		}
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

void report_aggs_unit(const struct report_agg *aggs, size_t n, json_t *all, int64_t id, json_t *unit)
{
	char key[24];
	snprintf(key, sizeof key, "%" PRId64, id);
	json_t *u = json_object_get(all, key);
	for (size_t i = 0; i < n; i++) {
		const struct report_agg *g = &aggs[i];
		json_t *dst = json_object_get(unit, g->group);
		if (!dst) {
			dst = json_object();
			json_object_set_new(unit, g->group, dst);
		}
		for (int k = 0; k < 3 && g->keys[k]; k++) {
			json_t *v = json_object_get(json_object_get(u, g->group), g->keys[k]);
			json_object_set_new(dst, g->keys[k], v ? json_incref(v) : json_integer(0));
		}
	}
}

int report_services(struct ctx *x, int64_t root, const char *like, const struct period *p, json_t **out,
		    struct err *e)
{
	return report_aggs(x, aggs, sizeof aggs / sizeof aggs[0], root, like, p, out, e);
}

void report_services_unit(json_t *all, int64_t id, json_t *unit)
{
	report_aggs_unit(aggs, sizeof aggs / sizeof aggs[0], all, id, unit);
}
