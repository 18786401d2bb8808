/* reports.c — the quarterly report (统计上报) and the dashboard.
 *
 * Every figure is an SQL aggregate (GROUP BY, SUM(CASE ...)), written once
 * for SQLite and PostgreSQL; C only places the grouped rows.  A report of
 * unit U has buckets: U itself (the "total") and each direct child of U.
 * A record belongs to every bucket whose path is a prefix of its org's path
 * — the join
 *     JOIN orgs b ON (b.id = U OR b.parent_id = U) AND o.path LIKE b.path || '%'
 * — so one query answers the total and all the child rows at once, each
 * covering its whole subtree (records of U's own org count in the total
 * only).  The join is evaluated once over the org rows (the bucket map ob,
 * see OB); big tables are grouped by org first and those rows rolled up
 * through ob (docs/benchmarks.md: 50 s to 27 s at 5.4M payments).  The
 * per-household subqueries (status at the end, condolence) sit in a
 * WITH ... AS MATERIALIZED (SQLite >= 3.35, PostgreSQL >= 12) so that they
 * run once per record.  The dashboard is in dashboard.c.
 *
 * The status at the end is looked up per row only for the records with an
 * event after the end (the late sets lh and la, found by the event time
 * indexes of migration 007).  Every other record has had its last event by
 * the end, and the last event's to_status is its status now (`bangfu check`:
 * 状态与流程记录一致), so its status now is its status at the end; an
 * application's "reached approved by the end" is then its status now being
 * approved or later (the flow has no way back from approved).  For the
 * current quarter nothing is late.  With the covering indexes of 007 and
 * the two halves read at once (sections()), the city report at 1M
 * households / 5.4M payments went from 27 s to 6.7-6.8 s on SQLite, about
 * 1.3x the bare GROUP BY of the payments (docs/benchmarks.md).
 *
 * Definitions (API.md "Reports"; the period is [from, to], whole days;
 * timestamps are compared with the instants the first day begins and the
 * last day ends in the server's zone, core/tz.h: 2026Q3 in Asia/Shanghai
 * is 2026-06-30T16:00:00Z .. 2026-09-30T15:59:59Z):
 *
 *  households.by_status    every household by its status at the end of the
 *                          period: the to_status of its last event (the
 *                          highest id: events are appended in workflow
 *                          order) among those with at <= end.  A household
 *                          created after the end is not counted; one without any
 *                          event (none is made so today) counts with its
 *                          current status if created by the end.
 *  by_category, by_cause   the households active at the end (by_status.active);
 *                          category = COALESCE(category, suggested_category)
 *                          and causes as they are now (a later review may
 *                          have changed them: a simplification).
 *  new / exited            entered_on / exited_on within the period.
 *  exit_rate_ytd           exits with exited_on from Jan 1 of the period's
 *                          year to its end ÷ (active at the end + those
 *                          exits); 0 when the denominator is 0.  Rounded to
 *                          4 decimals.  exit_target 0.30 (DESIGN.md §2.3:
 *                          exits >= 30 % a year), exit_target_met when
 *                          exit_rate_ytd >= 0.30.
 *  aid.by_program          applications with disbursed_at in the period, per
 *                          programme (every programme code, 0 when none):
 *                          count and SUM(disbursed_fen - refunded_fen); the
 *                          refunds are those known now.
 *  funds                   in_fen / out_fen: positive / negative ledger
 *                          amounts in the period on the bucket's accounts,
 *                          leaving out transfers whose other account is also
 *                          inside the bucket (internal moves); balance_fen:
 *                          per account the balance of its last ledger row
 *                          (highest id) at or before the end, summed.
 *  visits                  visits dated in the period.
 *  cases                   received: received_on in the period; closed:
 *                          closed_at in the period; finished: of those
 *                          received, the ones finished (办结: resolved, or
 *                          referred 转办) by the end; closure_rate finished ÷
 *                          received (0 when none), 4 decimals; recovered_fen:
 *                          money recovered in wage-arrears cases finished
 *                          (finished_at) in the period.
 *  overdue.cases           cases received by the end and not finished by
 *                          it, with deadline < to.
 *  overdue.applications    applications whose status at the end (the last
 *                          application event, by id, among those at or
 *                          before it) is submitted, verified or approved,
 *                          with due_date < to.
 *  overdue.reviews         households active at the end with
 *                          next_review_date < to (the review date as it is
 *                          now: a simplification).
 *  condolence              covered: households active at the end having a
 *                          condolence application filed (created_at) in the
 *                          period that had reached approved (or disbursed,
 *                          receipted, closed) by the end; active: active
 *                          households at the end; ratio covered ÷ active
 *                          (0 when none), 4 decimals.
 */
#include "services/reports.h"
#include "services/found_report.h"

#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "core/tz.h"
#include "rules/hh_flow.h"
#include "rules/household.h"
#include "rules/period.h"
#include "services/calendar.h"
#include "services/mutual_aid.h"
#include "services/orgs.h"
#include "services/report_primary.h"
#include "services/report_services.h"
#include "services/report_outreach.h"

#define EXIT_TARGET 0.30

/* by_category keys in the order of API.md */
const enum category report_cat_order[CAT__MAX] = {CAT_DIBAO, CAT_MARGINAL, CAT_ACCIDENT, CAT_NONE};

/* The bucket join: two integer parameters (U, U). */
#define BUCKET " JOIN orgs b ON (b.id = ? OR b.parent_id = ?) AND o.path LIKE b.path || '%'"
/* The bucket map: every org of the subtree with each bucket it rolls up to
 * (itself under the total and under its child unit), computed once over
 * the few org rows so that big tables join it on an integer instead of
 * testing a path prefix per row and bucket.  Three parameters (U, U, the
 * subtree's LIKE pattern).  Big tables are first grouped by org (g), then
 * g is rolled up through ob: the roll-up sums a few rows per org. */
#define OB                                                                                         \
	"ob AS MATERIALIZED (SELECT o.id AS org_id, b.id AS bucket, b.path AS bpath FROM orgs o"  \
	BUCKET " WHERE o.path LIKE ?)"
/* The records with an event after the end: one text parameter (end ts).
 * No DISTINCT: with it SQLite walks the whole (record, id) index to keep
 * the ids distinct (3.7 s at 5.4M applications) instead of the time index;
 * IN does not mind duplicates. */
#define LATE_HH "lh AS MATERIALIZED (SELECT household_id AS id FROM household_events WHERE at > ?)"
#define LATE_APP "la AS MATERIALIZED (SELECT application_id AS id FROM application_events WHERE at > ?)"
/* The status of late application `a` at the end: one text parameter (end ts). */
#define APP_STATUS_AT                                                                              \
	"COALESCE((SELECT ae.to_status FROM application_events ae WHERE ae.application_id = a.id"  \
	" AND ae.to_status IS NOT NULL AND ae.at <= ? ORDER BY ae.id DESC LIMIT 1),"    \
	" a.status)"
/* Reached approved (or a later step) by the end.  One parameter (end ts). */
#define APP_APPROVED_BY                                                                            \
	"CASE WHEN a.id IN (SELECT id FROM la) THEN EXISTS (SELECT 1 FROM application_events ae"   \
	" WHERE ae.application_id = a.id AND ae.at <= ?"                                            \
	" AND ae.to_status IN ('approved', 'disbursed', 'receipted', 'closed'))"                   \
	" ELSE a.status IN ('approved', 'disbursed', 'receipted', 'closed') END"

struct unit {
	int64_t org_id;
	const char *name;
	int64_t status[HS__MAX], cat[CAT__MAX], cause[CAUSE__MAX];
	int64_t fresh, exited, exits_ytd, overdue_reviews, covered;
	int64_t visits, in_fen, out_fen, balance_fen, overdue_apps;
	int64_t c_received, c_finished, c_closed, c_recovered, c_overdue;
	int64_t *aid_n, *aid_fen; /* per programme, in the order of rep.progs */
};

struct rep {
	struct ctx *x;
	struct err *e;
	struct org root;
	const char *like; /* the root's subtree: "/1/4/%" */
	struct period p;
	int n;            /* u[0] the root (the total), then the direct children */
	struct unit *u;
	int nprog;
	const char **progs;
	json_t *svc;      /* employment and cards per unit (report_services.c) */
	json_t *found;    /* clues, emergency aid, the watch per unit (found_report.c) */
	json_t *primary;  /* households.by_primary_aid per unit (report_primary.c) */
	json_t *outreach; /* per unit (report_outreach.c) */
};

static double ratio4(int64_t num, int64_t den)
{
	return den > 0 ? round((double)num * 10000.0 / (double)den) / 10000.0 : 0.0;
}

static struct unit *find(struct rep *R, int64_t id)
{
	for (int i = 0; i < R->n; i++)
		if (R->u[i].org_id == id)
			return &R->u[i];
	return NULL;
}

static int prog_index(struct rep *R, const char *code)
{
	for (int i = 0; code && i < R->nprog; i++)
		if (!strcmp(R->progs[i], code))
			return i;
	return -1;
}

/* Loads the programme codes (every one, active or not; only the emergency
 * ones when `emergency`), sorted, NULL-terminated. */
int report_load_programs(struct ctx *x, int emergency, int *n, const char ***codes, struct err *e)
{
	const char *where = emergency ? " WHERE emergency = 1" : "";
	int64_t cnt = 0;
	int rc = db_int(x->db, e, &cnt, NULL, arena_printf(x->a, "SELECT COUNT(*) FROM programs%s", where), "");
	if (rc)
		return rc;
	*codes = arena_alloc(x->a, sizeof **codes * (size_t)(cnt + 1));
	*n = 0;
	struct db_stmt *s = db_q(x->db, e, arena_printf(x->a, "SELECT code FROM programs%s ORDER BY code", where), "");
	if (!s)
		return -E_DB;
	while ((rc = db_step(s, e)) == DB_ROW)
		if (*n < cnt)
			(*codes)[(*n)++] = arena_strdup(x->a, db_col_text(s, 0));
	db_finalize(s);
	(*codes)[*n] = NULL;
	return rc < 0 ? rc : 0;
}

/* Runs s and hands each row to fn with the unit named by column 0. */
typedef void (*row_fn)(struct rep *R, struct unit *u, struct db_stmt *s);
static int each(struct rep *R, struct db_stmt *s, row_fn fn)
{
	if (!s)
		return -E_DB;
	int rc;
	while ((rc = db_step(s, R->e)) == DB_ROW) {
		struct unit *u = find(R, db_col_int(s, 0));
		if (u)
			fn(R, u, s);
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

/* --- households -------------------------------------------------------------- */

/* The archives whose status at the end is not their status now, or which
 * did not exist at the end (RULE report.kept): those with an event after
 * the end (lh) and those created after it.  Per archive: its unit, its
 * status now (now) and at the end (st, NULL when created after it), its
 * category and causes as the report reads them (as they are now) and its
 * review date.  Four text parameters (the end ts). */
#define CHANGED                                                                                    \
	"c AS MATERIALIZED (SELECT h.id, h.org_id, h.status AS now,"                               \
	" COALESCE(h.category, h.suggested_category, '') AS cat, COALESCE(h.causes, '') AS causes," \
	" COALESCE(h.review_before_exit, h.next_review_date) AS review,"                          \
	" CASE WHEN h.id IN (SELECT id FROM lh) THEN"                                              \
	"  COALESCE((SELECT e.to_status FROM household_events e WHERE e.household_id = h.id"       \
	"   AND e.to_status IS NOT NULL AND e.at <= ? ORDER BY e.id DESC LIMIT 1),"                \
	"   CASE WHEN h.created_at <= ? THEN h.status END)"                                        \
	"  WHEN h.created_at <= ? THEN h.status END AS st"                                          \
	" FROM households h WHERE h.org_id IN (SELECT org_id FROM ob)"                             \
	" AND h.id IN (SELECT id FROM lh UNION SELECT id FROM households WHERE created_at > ?))"
/* Condolence coverage of archive `id` (the active ones at the end count):
 * a condolence application filed in the period that had reached approved
 * by the end.  Three text parameters (from ts, end ts, end ts). */
#define COVERED_EXISTS(id)                                                                         \
	"EXISTS (SELECT 1 FROM applications a WHERE a.household_id = " id                          \
	" AND a.program_code = 'condolence' AND a.created_at >= ? AND a.created_at <= ? AND "      \
	APP_APPROVED_BY ")"
#define COVERED(id) "CASE WHEN " COVERED_EXISTS(id) " THEN 1 ELSE 0 END"

static void hh_status_row(struct rep *R, struct unit *u, struct db_stmt *s)
{
	int c = 1;
	for (int i = 0; i < HS__MAX; i++)
		u->status[i] += db_col_int(s, c++);
	for (int i = 0; i < CAT__MAX; i++)
		u->cat[report_cat_order[i]] += db_col_int(s, c++);
	for (int i = 0; i < CAUSE__MAX; i++)
		u->cause[i] += db_col_int(s, c++);
}

static void hh_dates_row(struct rep *R, struct unit *u, struct db_stmt *s)
{
	u->fresh += db_col_int(s, 1);
	u->exited += db_col_int(s, 2);
	u->exits_ytd += db_col_int(s, 3);
}

static void hh_active_row(struct rep *R, struct unit *u, struct db_stmt *s)
{
	u->overdue_reviews += db_col_int(s, 1);
	u->covered += db_col_int(s, 2);
}

char *report_count_if(struct arena *a, char *sel, const char *cond)
{
	return arena_printf(a, "%s, CAST(SUM(CASE WHEN %s THEN 1 ELSE 0 END) AS BIGINT)", sel, cond);
}

/* Adds sum k of y.n where cond: to the per-org select (*in) and its roll-up (*out). */
static void add_sum(struct arena *a, char **in, char **out, int k, const char *cond)
{
	*in = arena_printf(a, "%s, SUM(CASE WHEN %s THEN y.n ELSE 0 END) AS c%d", *in, cond, k);
	*out = arena_printf(a, "%s, CAST(SUM(g.c%d) AS BIGINT)", *out, k);
}

/* The causes are counted over the few (unit, causes) pairs of the active
 * archives (z), not tested per row: ten LIKEs on each of 600,000 archives
 * cost 2.4 s of the report (docs/benchmarks.md). */
static void add_cause(struct arena *a, char **gc, char **out, int k, const char *cause)
{
	*gc = arena_printf(a, "%s, SUM(CASE WHEN (',' || z.causes || ',') LIKE '%%,%s,%%' THEN z.n ELSE 0 END)"
			   " AS k%d", *gc, cause, k);
	*out = arena_printf(a, "%s, CAST(COALESCE(SUM(gc.k%d), 0) AS BIGINT)", *out, k);
}

/* by_status, by_category, by_cause: the kept counts of migration 026
 * (hh_report_counts, per unit, status, category and causes), less the
 * changed archives (c) as they are now, plus them as they were at the end. */
static int hh_statuses(struct rep *R)
{
	struct arena *a = R->x->a;
	char *in = arena_strdup(a, "SELECT y.org_id"), *out = arena_strdup(a, "SELECT ob.bucket");
	char *gc = arena_strdup(a, "SELECT z.org_id");
	int k = 0;
	for (int i = 0; i < HS__MAX; i++)
		add_sum(a, &in, &out, k++, arena_printf(a, "y.status = '%s'", hh_status_name(i)));
	for (int i = 0; i < CAT__MAX; i++)
		add_sum(a, &in, &out, k++, arena_printf(a, "y.status = 'active' AND y.cat = '%s'",
							category_name(report_cat_order[i])));
	for (int i = 0; i < CAUSE__MAX; i++)
		add_cause(a, &gc, &out, i, cause_name(i));
	const char *sql = arena_printf(a, "%s%s%s%s%s%s",
		"WITH " OB ", " LATE_HH ", " CHANGED ","
		" y AS MATERIALIZED (SELECT k.org_id, k.status, k.cat, k.causes, k.n FROM hh_report_counts k"
		"  WHERE k.org_id IN (SELECT org_id FROM ob) AND k.n <> 0"
		"  UNION ALL SELECT c.org_id, c.now, c.cat, c.causes, -1 FROM c"
		"  UNION ALL SELECT c.org_id, c.st, c.cat, c.causes, 1 FROM c WHERE c.st IS NOT NULL),"
		" g AS MATERIALIZED (", in, " FROM y GROUP BY y.org_id), gc AS MATERIALIZED (", gc,
		" FROM (SELECT y.org_id, y.causes, SUM(y.n) AS n FROM y WHERE y.status = 'active'"
		" GROUP BY y.org_id, y.causes) z GROUP BY z.org_id) ",
		arena_printf(a, "%s FROM g JOIN ob ON ob.org_id = g.org_id LEFT JOIN gc ON gc.org_id = g.org_id"
			     " GROUP BY ob.bucket", out));
	const char *end = R->p.to_ts;
	return each(R, db_q(R->x->db, R->e, sql, "iis" "s" "ssss", R->root.id, R->root.id, R->like, end,
			    end, end, end, end),
		    hh_status_row);
}

/* new, exited, exited_ytd: by entry and exit date, from the indexes
 * households_entered and households_exited (date, unit; migration 026). */
static int hh_dates(struct rep *R)
{
	const struct period *p = &R->p;
	return each(R,
		    db_q(R->x->db, R->e,
			 "WITH " OB ", g AS MATERIALIZED (SELECT h.org_id, COUNT(*) AS nw, 0 AS ex, 0 AS ytd"
			 "  FROM households h WHERE h.entered_on >= ? AND h.entered_on <= ? GROUP BY h.org_id"
			 " UNION ALL SELECT h.org_id, 0, SUM(CASE WHEN h.exited_on >= ? THEN 1 ELSE 0 END), COUNT(*)"
			 "  FROM households h WHERE h.exited_on >= ? AND h.exited_on <= ? GROUP BY h.org_id)"
			 " SELECT ob.bucket, CAST(SUM(g.nw) AS BIGINT), CAST(SUM(g.ex) AS BIGINT),"
			 " CAST(SUM(g.ytd) AS BIGINT) FROM g JOIN ob ON ob.org_id = g.org_id GROUP BY ob.bucket",
			 "iis" "ss" "sss", R->root.id, R->root.id, R->like, p->from_s, p->to_s, p->from_s,
			 p->year_start_s, p->to_s),
		    hh_dates_row);
}

/* overdue.reviews and condolence.covered, of the archives active at the
 * end: those active now, corrected by the changed ones (c).  The coverage
 * of an archive with no late application (lah: those with an event after
 * the end) is counted from hh_condolence (migration 037): its applications
 * were all filed by the end, so it is covered when the latest filing of
 * one approved now is in the period; one index range, not a probe of the
 * applications per active archive.  The review
 * date the report reads is the one an exit moved aside, if any (017): the
 * kept review_counts (023) count the active archives by next_review_date,
 * the few active ones with a moved-aside date are corrected from
 * households_before_exit (026). */
static int hh_active(struct rep *R)
{
	const struct period *p = &R->p;
	const char *end = p->to_ts;
	return each(R,
		    db_q(R->x->db, R->e,
			 "WITH " OB ", " LATE_HH ", " LATE_APP ", " CHANGED ","
			 " lah AS MATERIALIZED (SELECT a.household_id AS id FROM applications a WHERE a.id IN (SELECT id FROM la)"
			 "  AND a.household_id IS NOT NULL),"
			 " g AS MATERIALIZED (SELECT r.org_id, SUM(r.n) AS rv, 0 AS cv FROM review_counts r"
			 "  WHERE r.org_id IN (SELECT org_id FROM ob) AND r.due < ? GROUP BY r.org_id"
			 " UNION ALL SELECT h.org_id, SUM(CASE WHEN h.review_before_exit < ? THEN 1 ELSE 0 END"
			 "  - CASE WHEN h.next_review_date < ? THEN 1 ELSE 0 END), 0 FROM households h"
			 "  WHERE h.status = 'active' AND h.review_before_exit IS NOT NULL GROUP BY h.org_id"
			 " UNION ALL SELECT k.org_id, 0, COUNT(*) FROM hh_condolence k WHERE k.active = 1"
			 "  AND k.last_at >= ? AND k.org_id IN (SELECT org_id FROM ob)"
			 "  AND k.household_id NOT IN (SELECT id FROM lah) GROUP BY k.org_id"
			 " UNION ALL SELECT h.org_id, 0, COUNT(*) FROM households h WHERE h.status = 'active'"
			 "  AND h.org_id IN (SELECT org_id FROM ob) AND h.id IN (SELECT id FROM lah)"
			 "  AND " COVERED_EXISTS("h.id") " GROUP BY h.org_id"
			 " UNION ALL SELECT c.org_id,"
			 "  SUM(CASE WHEN c.st = 'active' AND c.review < ? THEN 1 ELSE 0 END"
			 "  - CASE WHEN c.now = 'active' AND c.review < ? THEN 1 ELSE 0 END),"
			 "  SUM((CASE WHEN c.st = 'active' THEN 1 ELSE 0 END - CASE WHEN c.now = 'active' THEN 1 ELSE 0 END)"
			 "  * " COVERED("c.id") ") FROM c GROUP BY c.org_id)"
			 " SELECT ob.bucket, CAST(SUM(g.rv) AS BIGINT), CAST(SUM(g.cv) AS BIGINT)"
			 " FROM g JOIN ob ON ob.org_id = g.org_id GROUP BY ob.bucket",
			 "iis" "ss" "ssss" "sss" "s" "sss" "ss" "sss",
			 R->root.id, R->root.id, R->like, end, end, end, end, end, end,
			 p->to_s, p->to_s, p->to_s, p->from_ts, p->from_ts, end, end, p->to_s, p->to_s,
			 p->from_ts, end, end),
		    hh_active_row);
}

static int q_households(struct rep *R)
{
	int rc;
	(void)((rc = hh_statuses(R)) || (rc = hh_dates(R)) || (rc = hh_active(R)));
	return rc;
}

/* --- aid ------------------------------------------------------------------- */

static void aid_row(struct rep *R, struct unit *u, struct db_stmt *s)
{
	int i = prog_index(R, db_col_text(s, 1));
	if (i < 0)
		return;
	u->aid_n[i] = db_col_int(s, 2);
	u->aid_fen[i] = db_col_int(s, 3);
}

/* Kept monthly sums (aid_monthly, ledger_monthly) are by the UTC month of
 * the row's time; the period's days in the server's zone begin and end a
 * few hours off the months' bounds, either way round.  A sum over the
 * period is then the months of its days, corrected by the rows between the
 * two bounds at either end: +1 for a row in the period but not in those
 * months, -1 for the other way round (EDGE_SIGN, four parameters: EDGE_ARGS).
 * The edges' rows are read by their time index. */
struct edges {
	char next[11];          /* the first day after the period: the months end before it */
	const char *m1, *m2;    /* the months [m1, m2) */
	const char *lo[2], *hi[2]; /* each edge, both bounds included */
};

static void edges_of(struct rep *R, struct edges *d)
{
	const struct period *p = &R->p;
	date_format(date_add_months(p->from, 3), d->next);
	d->m1 = arena_printf(R->x->a, "%.7s", p->from_s);
	d->m2 = arena_printf(R->x->a, "%.7s", d->next);
	int a = strcmp(p->from_ts, p->from_s) < 0, b = strcmp(p->to_ts, d->next) < 0;
	d->lo[0] = a ? p->from_ts : p->from_s;
	d->hi[0] = a ? p->from_s : p->from_ts;
	d->lo[1] = b ? p->to_ts : d->next;
	d->hi[1] = b ? d->next : p->to_ts;
}

#define EDGE_SIGN(col)                                                                             \
	"(CASE WHEN " col " >= ? AND " col " <= ? THEN 1 ELSE 0 END"                               \
	" - CASE WHEN " col " >= ? AND " col " < ? THEN 1 ELSE 0 END)"
#define EDGE_ARGS(R, d) (R)->p.from_ts, (R)->p.to_ts, (R)->p.from_s, (d)->next

/* The payments of the period from the kept monthly sums (RULE aid.monthly,
 * migration 008; `bangfu check` proves them against the applications) and
 * the edges.  Reading every payment of the period took 0.67 s of the report
 * at 550,000 of them (docs/benchmarks.md). */
#define AID_EDGE                                                                                   \
	" SELECT a.org_id, a.program_code, SUM(" EDGE_SIGN("a.disbursed_at") "), SUM("             \
	EDGE_SIGN("a.disbursed_at") " * (a.disbursed_fen - a.refunded_fen)) FROM applications a"    \
	" WHERE a.disbursed_at >= ? AND a.disbursed_at <= ? GROUP BY a.org_id, a.program_code"

static int q_aid(struct rep *R)
{
	struct edges d;
	edges_of(R, &d);
	return each(R,
		    db_q(R->x->db, R->e,
			 "WITH " OB ", g AS MATERIALIZED (SELECT m.org_id, m.program_code AS code,"
			 "  m.paid_count AS n, m.net_fen AS fen FROM aid_monthly m WHERE m.month >= ? AND m.month < ?"
			 "  UNION ALL" AID_EDGE " UNION ALL" AID_EDGE ")"
			 " SELECT ob.bucket, g.code, CAST(SUM(g.n) AS BIGINT), CAST(SUM(g.fen) AS BIGINT)"
			 " FROM g JOIN ob ON ob.org_id = g.org_id GROUP BY ob.bucket, g.code",
			 "iis" "ss" "ssssssssss" "ssssssssss", R->root.id, R->root.id, R->like, d.m1, d.m2,
			 EDGE_ARGS(R, &d), EDGE_ARGS(R, &d), d.lo[0], d.hi[0],
			 EDGE_ARGS(R, &d), EDGE_ARGS(R, &d), d.lo[1], d.hi[1]),
		    aid_row);
}

/* --- funds ------------------------------------------------------------------ */

static void flow_row(struct rep *R, struct unit *u, struct db_stmt *s)
{
	u->in_fen = db_col_int(s, 1);
	u->out_fen = db_col_int(s, 2);
}

/* RULE report.balance: each account's balance at the end is that of its
 * last ledger row by then, read account by account with its own id as a
 * value.  Joined to the accounts in one statement, PostgreSQL planned the
 * last row for an outer account id: the ledger's statistics see the one
 * account that pays most of the payments, so it took every account's rows
 * for as many as the table's, and read the primary key backwards for each
 * account until a row of it came (451 ms for each small account at
 * 3,000,000 payments, 9.5 of the report's 10 s; 30 s at 10,000,000).
 * With the id written in, it reads ledger_account (account_id, id). */
static int balances(struct rep *R)
{
	struct db_stmt *s = db_q(R->x->db, R->e,
				 "SELECT b.id, fa.id FROM fund_accounts fa JOIN orgs o ON o.id = fa.org_id" BUCKET
				 " WHERE o.path LIKE ? ORDER BY fa.id",
				 "iis", R->root.id, R->root.id, R->like);
	if (!s)
		return -E_DB;
	int rc, n = 0, cap = 0;
	int64_t *bucket = NULL, *acct = NULL;
	while ((rc = db_step(s, R->e)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			int64_t *b2 = arena_alloc(R->x->a, (size_t)cap * sizeof *b2),
				*a2 = arena_alloc(R->x->a, (size_t)cap * sizeof *a2);
			if (n) {
				memcpy(b2, bucket, (size_t)n * sizeof *b2);
				memcpy(a2, acct, (size_t)n * sizeof *a2);
			}
			bucket = b2;
			acct = a2;
		}
		bucket[n] = db_col_int(s, 0);
		acct[n++] = db_col_int(s, 1);
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	int64_t bal = 0;
	for (int i = 0; i < n; i++) {
		if (!i || acct[i] != acct[i - 1]) { /* an account's rows are together (its buckets) */
			int found = 0;
			bal = 0;
			if ((rc = db_int(R->x->db, R->e, &bal, &found,
					 DB_PLAN_EACH "SELECT l.balance_fen FROM ledger l WHERE l.id = (SELECT MAX(l2.id)"
						      " FROM ledger l2 WHERE l2.account_id = ? AND l2.at <= ?)",
					 "is", acct[i], R->p.to_ts)))
				return rc;
		}
		struct unit *u = find(R, bucket[i]);
		if (u)
			u->balance_fen += bal;
	}
	return 0;
}

/* Money in and out of each account in the period: the rows but transfers
 * from the kept sums per account and UTC month (ledger_monthly, migration
 * 026) and the edges (above); the transfers, grouped by their other end,
 * from their partial index ledger_transfer_at.  Summing every ledger row of
 * the period took 0.15 s at 550,000 payments. */
#define FLOW_SUMS                                                                                  \
	"SUM(CASE WHEN l.amount_fen > 0 THEN l.amount_fen ELSE 0 END) AS fin,"                      \
	" SUM(CASE WHEN l.amount_fen < 0 THEN -l.amount_fen ELSE 0 END) AS fout"
#define LEDGER_EDGE                                                                                \
	" SELECT l.account_id, CAST(NULL AS BIGINT),"                                              \
	" SUM(" EDGE_SIGN("l.at") " * CASE WHEN l.amount_fen > 0 THEN l.amount_fen ELSE 0 END),"   \
	" SUM(" EDGE_SIGN("l.at") " * CASE WHEN l.amount_fen < 0 THEN -l.amount_fen ELSE 0 END)"   \
	" FROM ledger l WHERE l.account_id IN (SELECT id FROM fund_accounts) AND l.at >= ? AND l.at <= ?" \
	" AND l.transfer_id IS NULL GROUP BY l.account_id"

static int q_funds(struct rep *R)
{
	struct edges d;
	edges_of(R, &d);
	/* a transfer's ledger row is internal to bucket b when the account at
	 * the other end lies inside b as well */
	int rc = each(R,
		      db_q(R->x->db, R->e,
			   "WITH " OB ", g AS MATERIALIZED (SELECT m.account_id, CAST(NULL AS BIGINT) AS other,"
			   "  SUM(m.in_fen) AS fin, SUM(m.out_fen) AS fout FROM ledger_monthly m"
			   "  WHERE m.month >= ? AND m.month < ? GROUP BY m.account_id"
			   " UNION ALL" LEDGER_EDGE " UNION ALL" LEDGER_EDGE
			   " UNION ALL SELECT l.account_id,"
			   "  CASE WHEN t.from_account_id = l.account_id THEN t.to_account_id"
			   "  ELSE t.from_account_id END AS other, " FLOW_SUMS
			   "  FROM ledger l LEFT JOIN fund_transfers t ON t.id = l.transfer_id"
			   "  WHERE l.transfer_id IS NOT NULL AND l.at >= ? AND l.at <= ? GROUP BY 1, 2)"
			   " SELECT ob.bucket, CAST(SUM(g.fin) AS BIGINT), CAST(SUM(g.fout) AS BIGINT)"
			   " FROM g JOIN fund_accounts fa ON fa.id = g.account_id"
			   " JOIN ob ON ob.org_id = fa.org_id"
			   " LEFT JOIN fund_accounts ca ON ca.id = g.other"
			   " LEFT JOIN orgs co ON co.id = ca.org_id"
			   " WHERE co.path IS NULL OR co.path NOT LIKE ob.bpath || '%'"
			   " GROUP BY ob.bucket",
			   "iis" "ss" "ssssssssss" "ssssssssss" "ss", R->root.id, R->root.id, R->like, d.m1, d.m2,
			   EDGE_ARGS(R, &d), EDGE_ARGS(R, &d), d.lo[0], d.hi[0],
			   EDGE_ARGS(R, &d), EDGE_ARGS(R, &d), d.lo[1], d.hi[1], R->p.from_ts, R->p.to_ts),
		      flow_row);
	if (rc)
		return rc;
	return balances(R);
}

/* --- visits, overdue applications ---------------------------------------------- */

static void visits_row(struct rep *R, struct unit *u, struct db_stmt *s)
{
	u->visits = db_col_int(s, 1);
}

static void apps_row(struct rep *R, struct unit *u, struct db_stmt *s)
{
	u->overdue_apps = db_col_int(s, 1);
}

static int q_visits_apps(struct rep *R)
{
	int rc = each(R,
		      db_q(R->x->db, R->e,
			   "SELECT b.id, COUNT(*) FROM visits v JOIN households h ON h.id = v.household_id"
			   " JOIN orgs o ON o.id = h.org_id" BUCKET
			   " WHERE o.path LIKE ? AND v.date >= ? AND v.date <= ? GROUP BY b.id",
			   "iisss", R->root.id, R->root.id, R->like, R->p.from_s, R->p.to_s),
		      visits_row);
	if (rc)
		return rc;
	/* not late: by the status now, counted from applications_status_due alone
	 * (migration 024: status, due date, unit, creation), found apart (op)
	 * and grouped after: grouped at once, SQLite read the whole unit index
	 * to have the rows in unit order when its sampled statistics took the
	 * open statuses for common (57 ms of CPU at 550,000 payments);
	 * late: by the status at the end */
	return each(R,
		    db_q(R->x->db, R->e,
			 "WITH " OB ", " LATE_APP ", op AS MATERIALIZED (SELECT a.org_id"
			 "  FROM applications a WHERE a.status IN ('submitted', 'verified', 'approved')"
			 "  AND a.due_date < ? AND a.created_at <= ? AND a.id NOT IN (SELECT id FROM la)),"
			 " g AS MATERIALIZED (SELECT op.org_id, COUNT(*) AS n FROM op GROUP BY op.org_id"
			 " UNION ALL SELECT a.org_id, COUNT(*) AS n FROM applications a"
			 "  WHERE a.id IN (SELECT id FROM la) AND a.due_date < ? AND a.created_at <= ?"
			 "  AND " APP_STATUS_AT " IN ('submitted', 'verified', 'approved') GROUP BY a.org_id)"
			 " SELECT ob.bucket, CAST(SUM(g.n) AS BIGINT) FROM g JOIN ob ON ob.org_id = g.org_id"
			 " GROUP BY ob.bucket",
			 "iis" "s" "ss" "sss", R->root.id, R->root.id, R->like, R->p.to_ts,
			 R->p.to_s, R->p.to_ts, R->p.to_s, R->p.to_ts, R->p.to_ts),
		    apps_row);
}

/* --- cases ------------------------------------------------------------------- */

static void cases_row(struct rep *R, struct unit *u, struct db_stmt *s)
{
	u->c_received = db_col_int(s, 1);
	u->c_finished = db_col_int(s, 2);
	u->c_closed = db_col_int(s, 3);
	u->c_recovered = db_col_int(s, 4);
	u->c_overdue = db_col_int(s, 5);
}

#define SUM_IF(cond, v) ", CAST(SUM(CASE WHEN " cond " THEN " v " ELSE 0 END) AS BIGINT)"
#define IN_PERIOD(col) col " >= ? AND " col " <= ?"

static int q_cases(struct rep *R)
{
	const struct period *p = &R->p;
	return each(R,
		    db_q(R->x->db, R->e,
			 "SELECT b.id"
			 SUM_IF(IN_PERIOD("c.received_on"), "1")
			 SUM_IF(IN_PERIOD("c.received_on") " AND c.finished_at <= ?", "1")
			 SUM_IF(IN_PERIOD("c.closed_at"), "1")
			 SUM_IF(IN_PERIOD("c.finished_at"), "c.recovered_fen")
			 SUM_IF("c.deadline < ? AND (c.finished_at IS NULL OR c.finished_at > ?)", "1")
			 " FROM cases c JOIN orgs o ON o.id = c.org_id" BUCKET
			 " WHERE o.path LIKE ? AND c.received_on <= ? GROUP BY b.id",
			 "sssssssssssiiss", p->from_s, p->to_s, p->from_s, p->to_s, p->to_ts, p->from_ts,
			 p->to_ts, p->from_ts, p->to_ts, p->to_s, p->to_ts, R->root.id, R->root.id, R->like,
			 p->to_s),
		    cases_row);
}

/* --- the answer ------------------------------------------------------------- */

static json_t *unit_json(struct rep *R, const struct unit *u, int named)
{
	json_t *o = json_object();
	if (named) {
		json_object_set_new(o, "org_id", json_integer(u->org_id));
		json_object_set_new(o, "name", json_string(u->name));
	}
	json_t *st = json_object(), *cat = json_object(), *cause = json_object();
	for (int i = 0; i < HS__MAX; i++)
		json_object_set_new(st, hh_status_name(i), json_integer(u->status[i]));
	for (int i = 0; i < CAT__MAX; i++)
		json_object_set_new(cat, category_name(report_cat_order[i]), json_integer(u->cat[report_cat_order[i]]));
	for (int i = 0; i < CAUSE__MAX; i++)
		json_object_set_new(cause, cause_name(i), json_integer(u->cause[i]));
	int64_t active = u->status[HS_ACTIVE];
	double rate = ratio4(u->exits_ytd, active + u->exits_ytd);
	json_object_set_new(o, "households",
			    json_pack("{s:o, s:o, s:o, s:I, s:I, s:I, s:I, s:f, s:f, s:b}",
				      "by_status", st, "by_category", cat, "by_cause", cause,
				      "active", (json_int_t)active, "new", (json_int_t)u->fresh,
				      "exited", (json_int_t)u->exited, "exited_ytd", (json_int_t)u->exits_ytd,
				      "exit_rate_ytd", rate, "exit_target", EXIT_TARGET,
				      "exit_target_met", rate >= EXIT_TARGET));
	json_t *bp = json_object();
	int64_t n = 0, fen = 0;
	for (int i = 0; i < R->nprog; i++) {
		json_object_set_new(bp, R->progs[i], json_pack("{s:I, s:I}", "count", (json_int_t)u->aid_n[i],
							       "amount_fen", (json_int_t)u->aid_fen[i]));
		n += u->aid_n[i];
		fen += u->aid_fen[i];
	}
	json_object_set_new(o, "aid", json_pack("{s:o, s:I, s:I}", "by_program", bp, "count", (json_int_t)n,
						"amount_fen", (json_int_t)fen));
	json_object_set_new(o, "funds", json_pack("{s:I, s:I, s:I}", "in_fen", (json_int_t)u->in_fen,
						  "out_fen", (json_int_t)u->out_fen,
						  "balance_fen", (json_int_t)u->balance_fen));
	json_object_set_new(o, "visits", json_integer(u->visits));
	json_object_set_new(o, "cases",
			    json_pack("{s:I, s:I, s:I, s:f, s:I}", "received", (json_int_t)u->c_received,
				      "closed", (json_int_t)u->c_closed, "finished", (json_int_t)u->c_finished,
				      "closure_rate", ratio4(u->c_finished, u->c_received),
				      "recovered_fen", (json_int_t)u->c_recovered));
	json_object_set_new(o, "overdue", json_pack("{s:I, s:I, s:I}", "applications", (json_int_t)u->overdue_apps,
						    "reviews", (json_int_t)u->overdue_reviews,
						    "cases", (json_int_t)u->c_overdue));
	json_object_set_new(o, "condolence", json_pack("{s:I, s:I, s:f}", "covered", (json_int_t)u->covered,
						       "active", (json_int_t)active,
						       "ratio", ratio4(u->covered, active)));
	report_services_unit(R->svc, u->org_id, o);
	found_quarterly_unit(R->found, u->org_id, o);
	report_primary_aid_unit(R->x, R->primary, u->org_id, o);
	report_outreach_unit(R->outreach, u->org_id, o);
	return o;
}

static int load_units(struct rep *R)
{
	struct ctx *x = R->x;
	int64_t cnt = 0;
	int rc = db_int(x->db, R->e, &cnt, NULL, "SELECT COUNT(*) FROM orgs WHERE parent_id = ?", "i",
			R->root.id);
	if (rc)
		return rc;
	R->u = arena_alloc(x->a, sizeof *R->u * (size_t)(cnt + 1));
	R->u[0].org_id = R->root.id;
	R->u[0].name = R->root.name;
	R->n = 1;
	struct db_stmt *s = db_q(x->db, R->e, "SELECT id, name FROM orgs WHERE parent_id = ? ORDER BY id",
				 "i", R->root.id);
	if (!s)
		return -E_DB;
	while ((rc = db_step(s, R->e)) == DB_ROW && R->n <= cnt) {
		R->u[R->n].org_id = db_col_int(s, 0);
		R->u[R->n].name = arena_strdup(x->a, db_col_text(s, 1));
		R->n++;
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	for (int i = 0; i < R->n; i++) {
		R->u[i].aid_n = arena_alloc(x->a, sizeof(int64_t) * (size_t)(R->nprog + 1));
		R->u[i].aid_fen = arena_alloc(x->a, sizeof(int64_t) * (size_t)(R->nprog + 1));
	}
	return 0;
}

/* The households section, on a thread of its own (sections()). */
struct part {
	struct rep R;
	struct ctx x;
	struct err e;
	int rc;
};

static void *households_part(void *arg)
{
	struct part *p = arg;
	p->rc = q_households(&p->R);
	return NULL;
}

/* The sections in two halves, at once when parallel: the households on a
 * second thread and connection (hdb), the rest on this one.  Each half
 * takes about as long as the other at a million archives
 * (docs/benchmarks.md).  They fill disjoint fields of R->u. */
static int halves(struct rep *R, struct db *hdb, int parallel)
{
	struct part h = {.R = *R, .x = *R->x};
	h.x.db = hdb;
	h.x.a = arena_new();
	h.R.x = &h.x;
	h.R.e = &h.e;
	pthread_t t;
	int threaded = parallel && pthread_create(&t, NULL, households_part, &h) == 0;
	if (!threaded)
		households_part(&h);
	int rc;
	(void)((rc = q_aid(R)) || (rc = q_funds(R)) || (rc = q_visits_apps(R)) || (rc = q_cases(R)) ||
	       (rc = report_services(R->x, R->root.id, R->like, &R->p, &R->svc, R->e)) ||
	       (rc = found_quarterly(R->x, R->root.id, R->like, &R->p, &R->found, R->e)) ||
	       (rc = report_primary_aid(R->x, R->root.id, R->like, &R->p, &R->primary, R->e)) ||
	       (rc = report_outreach(R->x, R->root.id, R->like, &R->p, &R->outreach, R->e)));
	if (threaded)
		pthread_join(t, NULL);
	if (!rc && h.rc) {
		rc = h.rc;
		*R->e = h.e; /* takes its details */
	} else {
		err_clear(&h.e);
	}
	arena_free(h.x.a);
	return rc;
}

/* The units and the sections, all from one committed state (RULE
 * report.snapshot), not from whatever each statement finds.  On SQLite two
 * connections begin on one snapshot and the halves run at once.  On
 * PostgreSQL, which spreads a scan over parallel workers itself and whose
 * new connections start with cold caches, two halves at once were slower
 * (docs/benchmarks.md): the halves run one after the other in one
 * REPEATABLE READ transaction.  A caller inside a transaction (the CLI)
 * has its snapshot already. */
static int sections(struct rep *R)
{
	struct ctx *x = R->x, mx = *x;
	struct db *rd[2] = {x->db, x->db};
	int own = !x->db->in_tx, parallel = own && db_kind(x->db) == DB_SQLITE, rc = 0;
	if (parallel)
		rc = db_snapshot_readers(x->db, x->cfg->db_url, 2, rd, R->e);
	else if (own)
		rc = db_begin_snapshot(x->db, R->e);
	if (rc)
		return rc;
	mx.db = rd[1];
	R->x = &mx;
	if (!(rc = report_load_programs(&mx, 0, &R->nprog, &R->progs, R->e)) && !(rc = load_units(R)))
		rc = halves(R, rd[0], parallel);
	R->x = x;
	for (int i = 0; parallel && i < 2; i++) {
		db_rollback(rd[i]);
		db_close(rd[i]);
	}
	if (own && !parallel)
		db_rollback(x->db);
	return rc;
}

int report_quarterly(struct ctx *x, int64_t org_id, const char *period, json_t **out, struct err *e)
{
	struct rep R = {.x = x, .e = e};
	*out = NULL;
	int rc = org_in_scope(x, org_id, &R.root, e);
	if (rc)
		return rc;
	/* RULE report.period */
	if (period_parse(period, &R.p) != 0)
		return err_field(e, "period", "统计期应写作“年份+Q+季度”，如 2026Q3（季度为 1–4）");
	period_in_zone(&R.p, tz_day_start); /* whole days of the server's zone */
	R.like = arena_printf(x->a, "%s%%", R.root.path);
	if ((rc = sections(&R))) {
		json_decref(R.svc);
		json_decref(R.found);
		return rc;
	}
	json_t *units = json_array();
	for (int i = 1; i < R.n; i++)
		json_array_append_new(units, unit_json(&R, &R.u[i], 1));
	*out = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o}", "org_id", (json_int_t)R.root.id,
			 "name", R.root.name, "period", R.p.name, "from", R.p.from_s, "to", R.p.to_s,
			 "total", unit_json(&R, &R.u[0], 0), "units", units);
	json_decref(R.svc);
	json_decref(R.found);
	json_decref(R.primary);
	json_decref(R.outreach);
	return *out ? 0 : err_set(e, E_INTERNAL, NULL);
}

int reports_h_quarterly(struct req *r)
{
	int64_t org;
	int rc = req_query_int(r, "org_id", r->x.who.org_id, 1, INT64_MAX, &org);
	json_t *out = NULL;
	if (!rc)
		rc = report_quarterly(&r->x, org, req_query(r, "period"), &out, &r->err);
	return rc ? rc : req_reply(r, 200, out);
}
