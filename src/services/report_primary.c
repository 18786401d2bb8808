/* report_primary.c — households.by_primary_aid of the quarterly report,
 * with the bucket join of reports.c (one query for the total and every
 * child unit). */
#include "services/report_primary.h"

#include <inttypes.h>
#include <stdio.h>

int report_primary_aid(struct ctx *x, int64_t root, const char *like, const struct period *p, json_t **out,
		       struct err *e)
{
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT b.id, h.primary_aid, COUNT(*) FROM households h JOIN orgs o ON o.id = h.org_id"
				 " JOIN orgs b ON (b.id = ? OR b.parent_id = ?) AND o.path LIKE b.path || '%'"
				 " WHERE o.path LIKE ? AND h.status = 'active' AND h.primary_aid IS NOT NULL"
				 " AND h.entered_on <= ? GROUP BY b.id, h.primary_aid",
				 "iiss", root, root, like, p->to_s);
	if (!s)
		return -E_DB;
	json_t *all = json_object();
	int rc;
	char key[24];
	while ((rc = db_step(s, e)) == DB_ROW) {
		snprintf(key, sizeof key, "%" PRId64, db_col_int(s, 0));
		json_t *u = json_object_get(all, key);
		if (!u)
			json_object_set_new(all, key, u = json_object());
		json_object_set_new(u, db_col_text(s, 1), json_integer(db_col_int(s, 2)));
	}
	db_finalize(s);
	if (rc < 0) {
		json_decref(all);
		return rc;
	}
	*out = all;
	return 0;
}

void report_primary_aid_unit(struct ctx *x, json_t *all, int64_t id, json_t *unit)
{
	char key[24];
	snprintf(key, sizeof key, "%" PRId64, id);
	json_t *u = json_object_get(all, key), *by = json_object();
	struct err e = {0};
	struct db_stmt *s = db_q(x->db, &e, "SELECT code FROM programs UNION SELECT 'medical_mutual' ORDER BY 1", "");
	while (s && db_step(s, &e) == DB_ROW)
		json_object_set_new(by, db_col_text(s, 0), json_integer(0));
	db_finalize(s);
	err_clear(&e);
	const char *k;
	json_t *v;
	json_object_foreach(u, k, v)
		json_object_set(by, k, v);
	json_t *hh = json_object_get(unit, "households");
	if (hh)
		json_object_set_new(hh, "by_primary_aid", by);
	else
		json_decref(by);
}
