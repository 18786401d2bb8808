#include "services/check.h"

#include <inttypes.h>
#include <stdio.h>

#include "services/audit.h"
#include "services/funds.h"
#include "store/migrate.h"

static int report(const char *what, int rc, const struct err *e)
{
	if (rc)
		printf("失败  %s：%s\n", what, e->msg);
	else
		printf("通过  %s\n", what);
	return rc != 0;
}

static int count_is_zero(struct db *c, const char *sql, const char *what, struct err *e)
{
	int64_t n = 0;
	int rc = db_int(c, e, &n, NULL, sql, "");
	if (!rc && n)
		rc = err_set(e, E_INTERNAL, "%s：%" PRId64 " 处", what, n);
	return rc;
}

int check_all(struct db *c)
{
	int bad = 0, rc;
	struct err e = {0};
	rc = migrate_check(c, &e);
	bad += report("数据库结构版本", rc, &e);
	err_clear(&e);
	if (rc)
		return bad;

	if (db_kind(c) == DB_SQLITE) {
		rc = count_is_zero(c, "SELECT COUNT(*) FROM pragma_foreign_key_check", "外键引用断裂", &e);
		if (!rc)
			rc = count_is_zero(c, "SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'",
					   "文件完整性检查未通过", &e);
	} else {
		rc = 0; /* PostgreSQL enforces foreign keys on every write */
	}
	bad += report("外键与文件完整性", rc, &e);
	err_clear(&e);

	int64_t n = 0, badid = 0;
	rc = funds_reconcile(c, &n, &e);
	bad += report("资金账户余额与流水一致", rc, &e);
	err_clear(&e);

	rc = audit_verify(c, &n, &badid, &e);
	bad += report("审计日志哈希链", rc, &e);
	err_clear(&e);

	/* RULE archive.precise, read back: the index and the archives agree */
	rc = count_is_zero(c, "SELECT COUNT(*) FROM (SELECT id_number FROM archive_people WHERE is_open = 1"
			      " GROUP BY id_number HAVING COUNT(*) > 1) d", "同一身份证号出现在多个在档家庭", &e);
	if (!rc)
		rc = count_is_zero(c, "SELECT COUNT(*) FROM archive_people p JOIN households h ON h.id = p.household_id"
				   " WHERE p.is_open <> CASE WHEN h.status = 'exited' THEN 0 ELSE 1 END",
				   "人员索引与档案状态不一致", &e);
	if (!rc)
		rc = count_is_zero(c, "SELECT COUNT(*) FROM households h WHERE NOT EXISTS (SELECT 1 FROM archive_people p"
				   " WHERE p.household_id = h.id AND p.id_number = h.id_number)",
				   "档案户主缺少人员索引", &e);
	bad += report("一人只在一个在档家庭（精准识别）", rc, &e);
	err_clear(&e);

	rc = count_is_zero(c, "SELECT COUNT(*) FROM applications WHERE status IN ('disbursed', 'receipted', 'closed')"
			      " AND disbursed_fen <> COALESCE(approved_fen, 0)", "已发放金额与批准金额不符", &e);
	if (!rc)
		rc = count_is_zero(c, "SELECT COUNT(*) FROM applications a WHERE a.disbursed_fen > 0 AND a.disbursed_fen <>"
				   " -(SELECT COALESCE(SUM(amount_fen), 0) FROM ledger l WHERE l.application_id = a.id"
				   " AND l.kind = 'disbursement')", "申请发放金额与资金流水不符", &e);
	bad += report("帮扶发放与资金流水一致", rc, &e);
	err_clear(&e);
	return bad;
}
