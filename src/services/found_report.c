/* found_report.c — dashboard and quarterly-report figures of clues, emergency aid and
 * the watch after exit (API.md "Found early"). */
#include "services/found_report.h"

#include <string.h>

#include "rules/period.h"
#include "services/report_services.h"
#include "services/reports.h"

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

/* The same aggregates as report_services.c's, with their own bounds. */
#define EMERGENCY 2
static const struct report_agg aggs[] = {
	{"clues", "COUNT(*)", "clues t", "t.received_on >= ? AND t.received_on <= ?", {"received"}, "dD"},
	{"clues",
	 "COUNT(*), CAST(SUM(CASE WHEN t.resolved_on <= t.due_date THEN 1 ELSE 0 END) AS BIGINT),"
	 " CAST(SUM(CASE WHEN t.outcome = 'archived' THEN 1 ELSE 0 END) AS BIGINT)",
	 "clues t", "t.resolved_on >= ? AND t.resolved_on <= ?", {"resolved", "on_time", "archived"}, "dD"},
	/* RULE report.emergency: the emergency programmes' codes (read first,
	 * found_quarterly) bound as values, so that PostgreSQL plans the read
	 * with them: joined to programs, it could not tell the rare emergency
	 * payments from the common ones, and read every application of the
	 * quarter (a scan of the whole table: 0.3 s at a million archives, and
	 * from the disk at ten million) where (program_code, disbursed_at)
	 * holds the few */
	[EMERGENCY] = {"emergency",
	 "COUNT(*), CAST(SUM(t.disbursed_fen - t.refunded_fen) AS BIGINT),"
	 " CAST(SUM(CASE WHEN t.follow_up_outcome = 'archived' THEN 1 ELSE 0 END) AS BIGINT)",
	 "applications t", "t.program_code IN (%s) AND t.disbursed_at >= ? AND t.disbursed_at <= ?",
	 {"count", "amount_fen", "archived_after"}, "tT", NULL},
	{"households", "COUNT(*)", "households t",
	 "t.status = 'exited' AND t.exited_on <= ? AND t.monitor_until >= ?", {"monitoring"}, "DD"},
	{"households", "COUNT(*)", "household_events ev JOIN households t ON t.id = ev.household_id",
	 "ev.action = 'reopen' AND ev.at >= ? AND ev.at <= ?", {"reopened"}, "tT"},
};
#define N_AGGS (sizeof aggs / sizeof aggs[0])

int found_quarterly(struct ctx *x, int64_t root, const char *like, const struct period *p, json_t **out,
		    struct err *e)
{
	struct report_agg mine[N_AGGS];
	memcpy(mine, aggs, sizeof aggs);
	int n = 0, rc;
	const char **codes = NULL;
	if ((rc = report_load_programs(x, 1, &n, &codes, e)))
		return rc;
	mine[EMERGENCY].in = codes;
	return report_aggs(x, mine, N_AGGS, root, like, p, out, e);
}

void found_quarterly_unit(json_t *all, int64_t id, json_t *unit)
{
	report_aggs_unit(aggs, N_AGGS, all, id, unit);
}
