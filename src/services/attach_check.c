/* attach_check.c — `bangfu check` for the scans: every live attachment has
 * its bytes, of its recorded size and sha256; a deleted or purged one has
 * none (RULE attach.hash). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/attachments.h"

static int count_zero(struct db *c, const char *sql, const char *what, struct err *e)
{
	int64_t n = 0;
	int rc = db_int(c, e, &n, NULL, sql, "");
	if (!rc && n)
		rc = err_set(e, E_INTERNAL, "%s：%lld 处", what, (long long)n);
	return rc;
}

int attach_check(struct db *c, int64_t *n, struct err *e)
{
	int rc = count_zero(c, "SELECT COUNT(*) FROM attachments a WHERE a.deleted_at IS NULL AND a.purged_at IS NULL"
			       " AND NOT EXISTS (SELECT 1 FROM attachment_blobs b WHERE b.attachment_id = a.id)",
			    "附件缺少文件内容", e);
	if (!rc)
		rc = count_zero(c, "SELECT COUNT(*) FROM attachment_blobs b JOIN attachments a ON a.id = b.attachment_id"
				   " WHERE a.deleted_at IS NOT NULL OR a.purged_at IS NOT NULL",
				"已删除或已清除的附件仍留有文件内容", e);
	if (rc)
		return rc;
	struct db_stmt *s = db_q(c, e, "SELECT id, size, sha256 FROM attachments WHERE deleted_at IS NULL"
				       " AND purged_at IS NULL ORDER BY id", "");
	if (!s)
		return -(int)e->code;
	unsigned char *buf = NULL;
	size_t cap = 0;
	char hex[ATTACH_SHA256_HEX];
	*n = 0;
	while ((rc = db_step(s, e)) == DB_ROW) {
		int64_t id = db_col_int(s, 0);
		size_t len = (size_t)db_col_int(s, 1);
		char want[sizeof hex];
		snprintf(want, sizeof want, "%s", db_col_text(s, 2) ? db_col_text(s, 2) : "");
		if (len > cap) {
			unsigned char *nb = realloc(buf, len);
			if (!nb) {
				rc = err_set(e, E_INTERNAL, "内存不足");
				break;
			}
			buf = nb;
			cap = len;
		}
		if ((rc = db_blob_read(c, "attachment_blobs", "bytes", id, buf, len, e))) {
			err_set(e, E_INTERNAL, "附件 %lld 的文件内容无法读取或长度不符", (long long)id);
			break;
		}
		if (attach_sha256_hex(buf, len, hex) || strcmp(hex, want)) {
			rc = err_set(e, E_INTERNAL, "附件 %lld 的文件内容与 sha256 不符", (long long)id);
			break;
		}
		++*n;
	}
	db_finalize(s);
	free(buf);
	return rc < 0 ? rc : 0;
}
