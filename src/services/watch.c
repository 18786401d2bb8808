/* watch.c — the watch after exit and the reopening of an exited archive.
 * Contract: API.md "Found early, helped at once, watched after exit". */
#include "services/watch.h"

#include <string.h>

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
