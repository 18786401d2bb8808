/* found_report.c — dashboard figures of clues, emergency follow-ups and
 * the watch after exit (API.md "Found early"). */
#include "services/found_report.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "rules/period.h"

static int month_series(struct ctx *x, const char *sql, const char *like, char months[12][8],
			const char *from, const char *to, int64_t *arr, struct err *e)
{
	return month_rows(db_q(x->db, e, sql, "sss", like, from, to), e, months, arr);
}

static json_t *series(const int64_t *v)
{
	json_t *a = json_array();
	for (int i = 0; i < 12; i++)
		json_array_append_new(a, json_integer(v[i]));
	return a;
}

int found_dashboard(struct ctx *x, const char *like, json_t *out, struct err *e)
{
	int64_t open = 0, overdue = 0, fu = 0, watch = 0, due = 0;
	int rc = db_int(x->db, e, &open, NULL,
			"SELECT COUNT(*) FROM clues c JOIN orgs o ON o.id = c.org_id"
			" WHERE o.path LIKE ? AND c.status = 'open'", "s", like);
	if (!rc) /* RULE clue.overdue */
		rc = db_int(x->db, e, &overdue, NULL,
			    "SELECT COUNT(*) FROM clues c JOIN orgs o ON o.id = c.org_id"
			    " WHERE o.path LIKE ? AND c.status = 'open' AND c.due_date < ?", "ss", like, x->today_s);
	if (!rc) /* RULE emergency.follow_up_overdue */
		rc = db_int(x->db, e, &fu, NULL,
			    "SELECT COUNT(*) FROM applications a JOIN orgs o ON o.id = a.org_id"
			    " WHERE o.path LIKE ? AND a.follow_up_due < ? AND a.follow_up_outcome IS NULL",
			    "ss", like, x->today_s);
	if (!rc) /* RULE watch.list */
		rc = db_int(x->db, e, &watch, NULL,
			    "SELECT COUNT(*) FROM households h JOIN orgs o ON o.id = h.org_id"
			    " WHERE o.path LIKE ? AND h.status = 'exited' AND h.monitor_until >= ?", "ss", like, x->today_s);
	if (!rc)
		rc = db_int(x->db, e, &due, NULL,
			    "SELECT COUNT(*) FROM households h JOIN orgs o ON o.id = h.org_id"
			    " WHERE o.path LIKE ? AND h.status = 'exited' AND h.monitor_until >= ?"
			    " AND h.next_review_date <= ?", "sss", like, x->today_s, x->today_s);
	if (rc)
		return rc;
	char months[12][8], first[12][11], last[12][11];
	period_last_12_months(x->today, months, first, last);
	int64_t recv[12] = {0}, ontime[12] = {0};
	if ((rc = month_series(x, "SELECT SUBSTR(c.received_on, 1, 7), COUNT(*) FROM clues c"
				  " JOIN orgs o ON o.id = c.org_id WHERE o.path LIKE ? AND c.received_on >= ?"
				  " AND c.received_on <= ? GROUP BY SUBSTR(c.received_on, 1, 7)",
			       like, months, first[0], last[11], recv, e)) ||
	    (rc = month_series(x, "SELECT SUBSTR(c.resolved_on, 1, 7), COUNT(*) FROM clues c"
				  " JOIN orgs o ON o.id = c.org_id WHERE o.path LIKE ? AND c.resolved_on >= ?"
				  " AND c.resolved_on <= ? AND c.resolved_on <= c.due_date"
				  " GROUP BY SUBSTR(c.resolved_on, 1, 7)",
			       like, months, first[0], last[11], ontime, e)))
		return rc;
	json_object_set_new(out, "clues_open", json_integer(open));
	json_object_set_new(out, "clues_overdue", json_integer(overdue));
	json_object_set_new(out, "clues_received", series(recv));
	json_object_set_new(out, "clues_on_time", series(ontime));
	json_object_set_new(out, "follow_ups_overdue", json_integer(fu));
	json_object_set_new(out, "monitoring", json_integer(watch));
	json_object_set_new(out, "monitoring_due", json_integer(due));
	return 0;
}

/* --- quarterly report ------------------------------------------------------- */

#define BUCKET " JOIN orgs b ON (b.id = ? OR b.parent_id = ?) AND o.path LIKE b.path || '%%'" /* through printf */

/* One aggregate per row; `bounds` names its parameters after the bucket's:
 * d/D the period's first/last day, t/T its first/last instant. */
static const struct agg {
	const char *group, *sel, *from, *cond, *bounds;
	const char *keys[3];
} aggs[] = {
	{"clues", "COUNT(*)", "clues t", "t.received_on >= ? AND t.received_on <= ?", "dD", {"received"}},
	{"clues",
	 "COUNT(*), CAST(SUM(CASE WHEN t.resolved_on <= t.due_date THEN 1 ELSE 0 END) AS BIGINT),"
	 " CAST(SUM(CASE WHEN t.outcome = 'archived' THEN 1 ELSE 0 END) AS BIGINT)",
	 "clues t", "t.resolved_on >= ? AND t.resolved_on <= ?", "dD", {"resolved", "on_time", "archived"}},
	{"emergency",
	 "COUNT(*), CAST(SUM(t.disbursed_fen - t.refunded_fen) AS BIGINT),"
	 " CAST(SUM(CASE WHEN t.follow_up_outcome = 'archived' THEN 1 ELSE 0 END) AS BIGINT)",
	 "applications t JOIN programs pr ON pr.code = t.program_code",
	 "pr.emergency = 1 AND t.disbursed_at >= ? AND t.disbursed_at <= ?", "tT",
	 {"count", "amount_fen", "archived_after"}},
	{"households", "COUNT(*)", "households t",
	 "t.status = 'exited' AND t.exited_on <= ? AND t.monitor_until >= ?", "DD", {"monitoring"}},
	{"households", "COUNT(*)", "household_events ev JOIN households t ON t.id = ev.household_id",
	 "ev.action = 'reopen' AND ev.at >= ? AND ev.at <= ?", "tT", {"reopened"}},
};
#define N_AGGS (sizeof aggs / sizeof aggs[0])

/* all[id][group] as an object, created on demand */
static json_t *slot(json_t *all, int64_t id, const char *group)
{
	char key[24];
	snprintf(key, sizeof key, "%" PRId64, id);
	json_t *u = json_object_get(all, key);
	if (!u)
		json_object_set_new(all, key, u = json_object());
	json_t *g = json_object_get(u, group);
	if (!g)
		json_object_set_new(u, group, g = json_object());
	return g;
}

int found_quarterly(struct ctx *x, int64_t root, const char *like, const struct period *p, json_t **out,
		    struct err *e)
{
	json_t *all = json_object();
	int rc = 0;
	for (size_t i = 0; !rc && i < N_AGGS; i++) {
		const struct agg *g = &aggs[i];
		struct db_args a = {0};
		db_arg_int(&a, root);
		db_arg_int(&a, root);
		db_arg_str(&a, like);
		for (const char *c = g->bounds; *c; c++)
			db_arg_str(&a, *c == 'd' ? p->from_s : *c == 'D' ? p->to_s : *c == 't' ? p->from_ts : p->to_ts);
		struct db_stmt *s = db_q_args(x->db, e,
					      arena_printf(x->a, "SELECT b.id, %s FROM %s JOIN orgs o ON o.id = t.org_id" BUCKET
								 " WHERE o.path LIKE ? AND %s GROUP BY b.id",
							   g->sel, g->from, g->cond),
					      &a);
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

void found_quarterly_unit(json_t *all, int64_t id, json_t *unit)
{
	char key[24];
	snprintf(key, sizeof key, "%" PRId64, id);
	json_t *u = json_object_get(all, key);
	for (size_t i = 0; i < N_AGGS; i++) {
		const struct agg *g = &aggs[i];
		json_t *dst = json_object_get(unit, g->group);
		if (!dst)
			json_object_set_new(unit, g->group, dst = json_object());
		for (int k = 0; k < 3 && g->keys[k]; k++) {
			json_t *v = json_object_get(json_object_get(u, g->group), g->keys[k]);
			json_object_set_new(dst, g->keys[k], v ? json_incref(v) : json_integer(0));
		}
	}
}
