/* watch.c — the watch after exit and the reopening of an exited archive.
 * Contract: API.md "Found early, helped at once, watched after exit". */
#include "services/watch.h"

#include <stdio.h>
#include <string.h>

#include "services/audit.h"

int watch_on_exit(struct ctx *x, int64_t id, struct err *e)
{
	char until[11], next[11];
	date_format(date_add_months(x->today, WATCH_MONTHS), until);
	date_format(date_add_months(x->today, WATCH_VISIT_MONTHS), next);
	return db_run(x->db, e, "UPDATE households SET review_before_exit = next_review_date, monitor_until = ?,"
		      " next_review_date = ? WHERE id = ?", "ssi",
		      until, next, id);
}

int watch_on_reopen(struct ctx *x, int64_t id, struct err *e)
{
	/* RULE archive.precise: one person, one open archive */
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT o.name FROM archive_people ap JOIN archive_people other"
				 " ON other.id_number = ap.id_number AND other.is_open = 1 AND other.household_id <> ap.household_id"
				 " JOIN households h ON h.id = other.household_id JOIN orgs o ON o.id = h.org_id"
				 " WHERE ap.household_id = ? ORDER BY other.household_id LIMIT 1",
				 "i", id);
	if (!s)
		return -E_DB;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		err_set(e, E_DUPLICATE_ID_NUMBER, "该档案的职工或家庭成员已在另一份未退出的档案中（%s），不能重新启用",
			db_col_text(s, 0));
		if (!e->details)
			e->details = json_object();
		json_object_set_new(e->details, "org_name", json_string(db_col_text(s, 0)));
		rc = -E_DUPLICATE_ID_NUMBER;
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	rc = db_run(x->db, e, "UPDATE archive_people SET is_open = 1 WHERE household_id = ?", "i", id);
	if (!rc)
		rc = db_run(x->db, e, "UPDATE households SET monitor_until = NULL, next_review_date = NULL,"
				      " review_before_exit = NULL WHERE id = ?",
			    "i", id);
	return rc;
}

int watch_kept_archive_no(struct ctx *x, int64_t id, const char **no, struct err *e)
{
	*no = NULL;
	struct db_stmt *s = db_q(x->db, e, "SELECT archive_no FROM households WHERE id = ?", "i", id);
	if (!s)
		return -E_DB;
	int rc = db_step(s, e);
	if (rc == DB_ROW && db_col_text(s, 0) && *db_col_text(s, 0))
		*no = arena_strdup(x->a, db_col_text(s, 0));
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

int watch_on_visit(struct ctx *x, int64_t id, const char *date, struct err *e)
{
	char st[16] = "", until[12] = "";
	struct db_stmt *s = db_q(x->db, e, "SELECT status, COALESCE(monitor_until, '') FROM households WHERE id = ?",
				 "i", id);
	if (!s)
		return -E_DB;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		snprintf(st, sizeof st, "%s", db_col_text(s, 0));
		snprintf(until, sizeof until, "%s", db_col_text(s, 1));
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	/* RULE watch.visit */
	if (strcmp(st, "exited"))
		return err_field(e, "kind", "返困监测走访只适用于已退出的档案");
	day_t d;
	if (date_parse(date, &d) != 0)
		return err_field(e, "date", "走访日期无效");
	char next[11];
	date_format(date_add_months(d, WATCH_VISIT_MONTHS), next);
	int past = !*until || strcmp(next, until) > 0;
	if (past) /* the watch ends before the next visit would be due */
		return db_run(x->db, e, "UPDATE households SET next_review_date = NULL WHERE id = ?", "i", id);
	return db_run(x->db, e, "UPDATE households SET next_review_date = ? WHERE id = ?", "si", next, id);
}

/* "2027-03-16" as the summary reads it: 2027年3月16日 (the audit screen's
 * narrow cells break an ISO date at its hyphens). */
static const char *date_cn(const char *iso, struct ctx *x)
{
	int y, m, d;
	return sscanf(iso, "%d-%d-%d", &y, &m, &d) == 3 ? arena_printf(x->a, "%d年%d月%d日", y, m, d) : iso;
}

/* One transaction of watch_end_run: up to WATCH_END_BATCH archives. */
static int watch_end_batch(struct ctx *x, int *n, struct err *e)
{
	int64_t id[WATCH_END_BATCH], org[WATCH_END_BATCH];
	char until[WATCH_END_BATCH][11], due[WATCH_END_BATCH][11];
	*n = 0;
	int rc = db_begin(x->db, 1, e);
	if (rc)
		return rc;
	/* a pending visit lies inside its watch, so an ended watch's lies
	 * before today too: read from the exits' visit dates (migration 035) */
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT id, org_id, monitor_until, next_review_date FROM households"
				 " WHERE status = 'exited' AND next_review_date < ? AND monitor_until < ? ORDER BY id LIMIT ?",
				 "ssi", x->today_s, x->today_s, (int64_t)WATCH_END_BATCH);
	while (s && (rc = db_step(s, e)) == DB_ROW) {
		id[*n] = db_col_int(s, 0);
		org[*n] = db_col_int(s, 1);
		snprintf(until[*n], sizeof until[0], "%s", db_col_text(s, 2));
		snprintf(due[*n], sizeof due[0], "%s", db_col_text(s, 3));
		++*n;
	}
	db_finalize(s);
	rc = !s ? -E_DB : rc < 0 ? rc : 0;
	for (int i = 0; !rc && i < *n; i++)
		if (!(rc = db_run(x->db, e, "UPDATE households SET next_review_date = NULL WHERE id = ?", "i", id[i])))
			rc = audit_add(x, "watch_end", "household", id[i], org[i], e,
				       "返困监测期已于%s结束，未完成的走访（应于%s）不再列入待复核", date_cn(until[i], x),
				       date_cn(due[i], x));
	if (!rc)
		return db_commit(x->db, e);
	db_rollback(x->db);
	return rc;
}

int watch_end_run(struct ctx *x, int64_t *n, struct err *e)
{
	*n = 0;
	for (;;) {
		int k, rc = watch_end_batch(x, &k, e);
		if (rc)
			return rc;
		*n += k;
		if (k < WATCH_END_BATCH)
			return 0;
	}
}
