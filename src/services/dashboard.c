/* dashboard.c — the dashboard's key figures and monthly series (工作台,
 * API.md "Reports"): report_dashboard() and GET /reports/dashboard.  Split
 * from reports.c, whose helpers it shares (reports.h). */
#include "services/reports.h"
#include "services/found_report.h"
#include <string.h>
#include "rules/household.h"
#include "services/calendar.h"
#include "services/mutual_aid.h"
#include "services/orgs.h"
#include "services/report_outreach.h"

/* Fills arr[12] from rows (month "YYYY-MM", value) of s (found_report.c too). */
int month_rows(struct db_stmt *s, struct err *e, char months[12][8], int64_t *arr)
{
	if (!s)
		return -E_DB;
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		const char *m = db_col_text(s, 0);
		for (int i = 0; m && i < 12; i++)
			if (!strcmp(months[i], m))
				arr[i] = db_col_int(s, 1);
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

static json_t *int_array(const int64_t *v, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_integer(v[i]));
	return a;
}

/* The open records of `sql` in the scope `like` and, of those, the ones past
 * their date (sql's parameters: today, then the scope). */
static int open_overdue(struct ctx *x, const char *sql, const char *like, int64_t *open, int64_t *overdue,
			struct err *e)
{
	struct db_stmt *s = db_q(x->db, e, sql, "ss", x->today_s, like);
	if (!s)
		return -E_DB;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		*open = db_col_int(s, 0);
		*overdue = db_col_int(s, 1);
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

/* Key figures as of today (the server clock) and the series of the 12
 * months ending with the current one:
 *   active, by_category          active archives now (category as above)
 *   reviews_due                  active with next_review_date <= today
 *                                (GET /households?review_due=true)
 *   exit_suggested               active with exit_suggested = 1
 *   applications_open            submitted, verified or approved now
 *   applications_overdue         of those, due_date < today
 *   fund_balance_fen             the accounts' balances now
 *   months, new, exited          entered_on / exited_on per month
 *   aid_by_program               {code: {"count":[12],"amount_fen":[12]}} by
 *                                disbursed_at, amount net of refunds
 *                                (from aid_monthly, RULE aid.monthly)
 *   cases_open, cases_overdue    cases received, assigned or in progress now;
 *                                of those, deadline < today
 *   cases_received               cases per month by received_on ([12])
 *   warnings                     [{"code","message",...}]: what needs doing
 *                                that no list shows (RULE calendar.missing) */
int report_dashboard(struct ctx *x, int64_t org_id, json_t **out, struct err *e)
{
	struct org root;
	*out = NULL;
	int rc = org_in_scope(x, org_id, &root, e);
	if (rc)
		return rc;
	const char *like = arena_printf(x->a, "%s%%", root.path);
	int64_t v[CAT__MAX + 3] = {0};
	char *sel = arena_strdup(x->a, "SELECT COUNT(*)");
	for (int i = 0; i < CAT__MAX; i++)
		sel = report_count_if(x->a, sel, arena_printf(x->a, "COALESCE(h.category, h.suggested_category) = '%s'",
							 category_name(report_cat_order[i])));
	sel = report_count_if(x->a, sel, "h.next_review_date <= ?");
	sel = report_count_if(x->a, sel, "h.exit_suggested = 1");
	struct db_stmt *s = db_q(x->db, e,
				 arena_printf(x->a, "%s FROM households h JOIN orgs o ON o.id = h.org_id"
						    " WHERE o.path LIKE ? AND h.status = 'active'", sel),
				 "ss", x->today_s, like);
	if (!s)
		return -E_DB;
	if ((rc = db_step(s, e)) == DB_ROW)
		for (int i = 0; i < CAT__MAX + 3; i++)
			v[i] = db_col_int(s, i); /* NULL sums (no row) read as 0 */
	db_finalize(s);
	if (rc < 0)
		return rc;
	int64_t open = 0, overdue = 0, balance = 0;
	if ((rc = open_overdue(x, "SELECT COUNT(*), CAST(SUM(CASE WHEN a.due_date < ? THEN 1 ELSE 0 END) AS BIGINT)"
				  " FROM applications a JOIN orgs o ON o.id = a.org_id WHERE o.path LIKE ?"
				  " AND a.status IN ('submitted', 'verified', 'approved')",
			       like, &open, &overdue, e)))
		return rc;
	if ((rc = db_int(x->db, e, &balance, NULL,
			 "SELECT CAST(COALESCE(SUM(fa.balance_fen), 0) AS BIGINT) FROM fund_accounts fa"
			 " JOIN orgs o ON o.id = fa.org_id WHERE o.path LIKE ?",
			 "s", like)))
		return rc;

	int64_t c_open = 0, c_overdue = 0;
	if ((rc = open_overdue(x, "SELECT COUNT(*), CAST(SUM(CASE WHEN c.deadline < ? THEN 1 ELSE 0 END) AS BIGINT)"
				  " FROM cases c JOIN orgs o ON o.id = c.org_id WHERE o.path LIKE ?"
				  " AND c.status IN ('received', 'assigned', 'in_progress')",
			       like, &c_open, &c_overdue, e)))
		return rc;

	char months[12][8], first[12][11], last[12][11];
	period_last_12_months(x->today, months, first, last);
	int64_t fresh[12] = {0}, exited[12] = {0}, c_months[12] = {0};
	if ((rc = month_rows(db_q(x->db, e,
				  "SELECT SUBSTR(h.entered_on, 1, 7), COUNT(*) FROM households h"
				  " JOIN orgs o ON o.id = h.org_id WHERE o.path LIKE ? AND h.entered_on >= ?"
				  " AND h.entered_on <= ? GROUP BY SUBSTR(h.entered_on, 1, 7)",
				  "sss", like, first[0], last[11]),
			     e, months, fresh)) ||
	    (rc = month_rows(db_q(x->db, e,
				  "SELECT SUBSTR(h.exited_on, 1, 7), COUNT(*) FROM households h"
				  " JOIN orgs o ON o.id = h.org_id WHERE o.path LIKE ? AND h.exited_on >= ?"
				  " AND h.exited_on <= ? GROUP BY SUBSTR(h.exited_on, 1, 7)",
				  "sss", like, first[0], last[11]),
			     e, months, exited)) ||
	    (rc = month_rows(db_q(x->db, e,
				  "SELECT SUBSTR(c.received_on, 1, 7), COUNT(*) FROM cases c"
				  " JOIN orgs o ON o.id = c.org_id WHERE o.path LIKE ? AND c.received_on >= ?"
				  " AND c.received_on <= ? GROUP BY SUBSTR(c.received_on, 1, 7)",
				  "sss", like, first[0], last[11]),
			     e, months, c_months)))
		return rc;

	int nprog = 0;
	const char **progs = NULL;
	if ((rc = report_load_programs(x, 0, &nprog, &progs, e)))
		return rc;
	int64_t *cnt = arena_alloc(x->a, sizeof(int64_t) * 12 * (size_t)(nprog + 1));
	int64_t *fen = arena_alloc(x->a, sizeof(int64_t) * 12 * (size_t)(nprog + 1));
	/* RULE aid.monthly: the sums kept with every payment and refund */
	s = db_q(x->db, e,
		 "SELECT m.month, m.program_code, CAST(SUM(m.paid_count) AS BIGINT), CAST(SUM(m.net_fen) AS BIGINT)"
		 " FROM aid_monthly m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE ?"
		 " AND m.month >= ? AND m.month <= ? GROUP BY m.month, m.program_code",
		 "sss", like, months[0], months[11]);
	if (!s)
		return -E_DB;
	while ((rc = db_step(s, e)) == DB_ROW) {
		const char *m = db_col_text(s, 0), *code = db_col_text(s, 1);
		int p = -1;
		for (int i = 0; code && i < nprog; i++)
			if (!strcmp(progs[i], code))
				p = i;
		for (int i = 0; m && p >= 0 && i < 12; i++)
			if (!strcmp(months[i], m)) {
				cnt[p * 12 + i] = db_col_int(s, 2);
				fen[p * 12 + i] = db_col_int(s, 3);
			}
	}
	db_finalize(s);
	if (rc < 0)
		return rc;

	json_t *cat = json_object(), *ms = json_array(), *aid = json_object();
	for (int i = 0; i < CAT__MAX; i++)
		json_object_set_new(cat, category_name(report_cat_order[i]), json_integer(v[1 + i]));
	for (int i = 0; i < 12; i++)
		json_array_append_new(ms, json_string(months[i]));
	for (int p = 0; p < nprog; p++)
		json_object_set_new(aid, progs[p], json_pack("{s:o, s:o}", "count", int_array(cnt + p * 12, 12),
							     "amount_fen", int_array(fen + p * 12, 12)));
	*out = json_pack("{s:I, s:s, s:s, s:I, s:o, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o}",
			 "org_id", (json_int_t)root.id, "name", root.name, "today", x->today_s,
			 "active", (json_int_t)v[0], "by_category", cat,
			 "reviews_due", (json_int_t)v[1 + CAT__MAX], "exit_suggested", (json_int_t)v[2 + CAT__MAX],
			 "applications_open", (json_int_t)open, "applications_overdue", (json_int_t)overdue,
			 "fund_balance_fen", (json_int_t)balance, "months", ms, "new", int_array(fresh, 12),
			 "exited", int_array(exited, 12), "aid_by_program", aid);
	if (!*out)
		return err_set(e, E_INTERNAL, NULL);
	json_object_set_new(*out, "cases_open", json_integer(c_open));
	json_object_set_new(*out, "cases_overdue", json_integer(c_overdue));
	json_object_set_new(*out, "cases_received", int_array(c_months, 12));
	if ((rc = found_dashboard(x, like, *out, e)) || /* clues, follow-ups, watch */
	    (rc = ma_dashboard(x, like, *out, e)) || /* mutual-aid claims open (mutual_claims.c) */
	    (rc = report_outreach_dashboard(x, like, *out, e))) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	/* RULE calendar.missing: shown at the top of every to-do list */
	const char *msg;
	int year;
	json_t *warnings = json_array();
	json_object_set_new(*out, "warnings", warnings);
	if ((rc = calendar_missing(x, &msg, &year, e))) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	if (msg)
		json_array_append_new(warnings, json_pack("{s:s, s:i, s:s}", "code", "calendar_year_missing", "year", year,
							  "message", msg));
	return 0;
}

/* --- handlers ------------------------------------------------------------------ */

int reports_h_dashboard(struct req *r)
{
	int64_t org;
	int rc = req_query_int(r, "org_id", r->x.who.org_id, 1, INT64_MAX, &org);
	json_t *out = NULL;
	if (!rc)
		rc = report_dashboard(&r->x, org, &out, &r->err);
	return rc ? rc : req_reply(r, 200, out);
}
