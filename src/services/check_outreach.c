/* check_outreach.c — `bangfu check` of the outreach figures kept beside
 * their records (services/check.c calls it): an activity's attendance and
 * donations, a project's funded amount and its budget. */
#include "services/check.h"

#include <inttypes.h>
#include <stdio.h>

static const struct {
	const char *sql, *what;
} kept[] = {
	{"SELECT COUNT(*) FROM activities a WHERE a.attendance <>"
	 " (SELECT COUNT(*) FROM activity_attendance t WHERE t.activity_id = a.id)",
	 "活动的参加户数与参加记录不一致"},
	{"SELECT COUNT(*) FROM activities a WHERE a.donated_fen <>"
	 " (SELECT COALESCE(SUM(d.amount_fen), 0) FROM activity_donations d WHERE d.activity_id = a.id)",
	 "募捐活动的捐款合计与捐款记录不一致"},
	{"SELECT COUNT(*) FROM activity_donations d WHERE NOT EXISTS (SELECT 1 FROM ledger l"
	 " WHERE l.activity_id = d.activity_id AND l.account_id = d.account_id AND l.amount_fen = d.amount_fen)",
	 "捐款没有对应的资金流水"},
	{"SELECT COUNT(*) FROM projects p WHERE p.funded_fen > p.budget_fen OR p.funded_fen <>"
	 " (SELECT COALESCE(SUM(f.amount_fen), 0) FROM project_fundings f WHERE f.project_id = p.id)",
	 "项目的已拨付金额与拨款记录不一致或超过预算"},
	{"SELECT COUNT(*) FROM project_fundings f JOIN fund_transfers t ON t.id = f.transfer_id"
	 " WHERE t.amount_fen <> f.amount_fen",
	 "项目拨款与资金划拨金额不一致"},
};

int check_outreach(struct db *c)
{
	struct err e = {0};
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof kept / sizeof kept[0]; i++) {
		int64_t n = 0;
		rc = db_int(c, &e, &n, NULL, kept[i].sql, "");
		if (!rc && n)
			rc = err_set(&e, E_INTERNAL, "%s：%" PRId64 " 处", kept[i].what, n);
	}
	if (rc)
		printf("失败  活动捐款与项目拨款与记录一致：%s\n", e.msg);
	else
		printf("通过  活动捐款与项目拨款与记录一致\n");
	err_clear(&e);
	return rc != 0;
}
