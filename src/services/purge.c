/* purge.c — RULE retention.purge (see purge.h).  Statistics read status,
 * category, causes, dates, income and money, never names or numbers, so
 * the erased fields take placeholders that keep every NOT NULL and index
 * whole: the ID number becomes "PURGED-<id>" in the archive and in the
 * people index (the index's rows stay closed, so no open archive is
 * blocked), the name "已清除" with its search grams rewritten. */
#include "services/purge.h"

#include <stdio.h>

#include "services/audit.h"
#include "services/hh_search.h"

#define PURGE_BATCH 200
#define ERASED "已清除"

/* The scans of archive hid: its own, its members', its applications' and
 * its cases' (each carries household_id since upload). */
#define SCANS_OF " FROM attachments WHERE household_id = ? AND purged_at IS NULL"

static int purge_one(struct ctx *x, int64_t hid, int64_t org, const char *exited_on, struct purge_counts *n,
		     struct err *e)
{
	int64_t files = 0, bytes = 0;
	char idn[32];
	snprintf(idn, sizeof idn, "PURGED-%lld", (long long)hid);
	int rc = db_int(x->db, e, &files, NULL, "SELECT COUNT(*)" SCANS_OF " AND deleted_at IS NULL", "i", hid);
	if (!rc)
		rc = db_int(x->db, e, &bytes, NULL, "SELECT COALESCE(SUM(size), 0)" SCANS_OF " AND deleted_at IS NULL", "i", hid);
	if (!rc)
		rc = db_run(x->db, e, "DELETE FROM attachment_blobs WHERE attachment_id IN (SELECT id" SCANS_OF ")", "i", hid);
	if (!rc)
		rc = db_run(x->db, e, "UPDATE attachments SET purged_at = ?, filename = '" ERASED "', note = NULL"
				      " WHERE household_id = ? AND purged_at IS NULL", "si", x->now_s, hid);
	if (!rc) /* before the archive's own number changes: the worker's row is found by it */
		rc = db_run(x->db, e, "UPDATE archive_people SET id_number = CASE WHEN id_number = (SELECT h.id_number"
				      " FROM households h WHERE h.id = ?) THEN ? ELSE ? || '-' || CAST((SELECT MIN(m.id)"
				      " FROM members m WHERE m.household_id = archive_people.household_id"
				      " AND m.id_number = archive_people.id_number) AS TEXT) END"
				      " WHERE household_id = ?", "issi", hid, idn, idn, hid);
	if (!rc)
		rc = db_run(x->db, e, "UPDATE households SET name = '" ERASED "', id_number = ?, phone = NULL, address = NULL,"
				      " employer = NULL, notes = NULL, dibao_cert_no = NULL, purged_at = ?, updated_at = ?"
				      " WHERE id = ?", "sssi", idn, x->now_s, x->now_s, hid);
	if (!rc)
		rc = db_run(x->db, e, "UPDATE members SET name = '" ERASED "', id_number = ? || '-' || CAST(id AS TEXT)"
				      " WHERE household_id = ?", "si", idn, hid);
	if (!rc)
		rc = db_run(x->db, e, "UPDATE cases SET person_name = '" ERASED "', phone = NULL, id_number = NULL"
				      " WHERE household_id = ?", "i", hid);
	if (!rc)
		rc = db_run(x->db, e, "UPDATE visits SET notes = NULL WHERE household_id = ?", "i", hid);
	if (!rc)
		rc = db_run(x->db, e, "UPDATE objections SET text = '" ERASED "' WHERE household_id = ?", "i", hid);
	if (!rc) /* free text that may name people; amounts, dates and states stay */
		rc = db_run(x->db, e, "UPDATE applications SET"
				      " reason = CASE WHEN reason IS NULL OR reason = '' THEN reason ELSE '" ERASED "' END,"
				      " signed_by = CASE WHEN signed_by IS NULL THEN NULL ELSE '" ERASED "' END,"
				      " report = CASE WHEN report IS NULL THEN NULL ELSE '" ERASED "' END"
				      " WHERE household_id = ?", "i", hid);
	if (!rc)
		rc = name_grams_put(x, hid, org, ERASED, e);
	if (!rc)
		rc = audit_add(x, "purge", "household", hid, org, e,
			       "保存期满清除：档案于 %s 退出，清除个人信息，删除 %lld 个附件的文件内容（%lld 字节）", exited_on,
			       (long long)files, (long long)bytes);
	if (!rc) {
		n->archives++;
		n->attachments += files;
		n->bytes += bytes;
	}
	return rc;
}

int purge_exited(struct ctx *x, const char *before, int dry, struct purge_counts *n, struct err *e)
{
	*n = (struct purge_counts){0};
	if (dry)
		return db_int(x->db, e, &n->archives, NULL, "SELECT COUNT(*) FROM households WHERE status = 'exited'"
							    " AND exited_on < ? AND purged_at IS NULL", "s", before) ||
		       db_int(x->db, e, &n->attachments, NULL, "SELECT COUNT(*) FROM attachments a JOIN households h"
							       " ON h.id = a.household_id WHERE h.status = 'exited' AND h.exited_on < ?"
							       " AND h.purged_at IS NULL AND a.deleted_at IS NULL AND a.purged_at IS NULL",
			      "s", before) ||
		       db_int(x->db, e, &n->bytes, NULL, "SELECT COALESCE(SUM(a.size), 0) FROM attachments a JOIN households h"
							 " ON h.id = a.household_id WHERE h.status = 'exited' AND h.exited_on < ?"
							 " AND h.purged_at IS NULL AND a.deleted_at IS NULL AND a.purged_at IS NULL",
			      "s", before)
			       ? -(int)e->code
			       : 0;
	for (;;) { /* batches: the first PURGE_BATCH left, until none */
		int rc = db_begin(x->db, 1, e);
		if (rc)
			return rc;
		struct db_stmt *s = db_q(x->db, e, "SELECT id, org_id, exited_on FROM households WHERE status = 'exited'"
						   " AND exited_on < ? AND purged_at IS NULL ORDER BY id LIMIT ?",
					 "si", before, (int64_t)PURGE_BATCH);
		json_t *rows = s ? db_rows_json(s, e) : NULL;
		db_finalize(s);
		size_t i, got = json_array_size(rows);
		json_t *h;
		rc = rows ? 0 : -(int)e->code;
		json_array_foreach(rows, i, h) {
			if (rc)
				break;
			rc = purge_one(x, json_integer_value(json_object_get(h, "id")),
				       json_integer_value(json_object_get(h, "org_id")),
				       json_string_value(json_object_get(h, "exited_on")), n, e);
		}
		json_decref(rows);
		if (!rc)
			rc = db_commit(x->db, e);
		if (rc) {
			db_rollback(x->db);
			return rc;
		}
		if (got < PURGE_BATCH)
			return 0;
	}
}
