#include "services/check.h"

#include <inttypes.h>
#include <stdio.h>

#include "services/attachments.h"
#include "services/audit.h"
#include "services/calendar.h"
#include "services/funds.h"
#include "services/hh_search.h"
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

/* One named check made of queries that must each count nothing. */
struct zero {
	const char *sql, *what;
};

static int all_zero(struct db *c, const char *name, const struct zero *z, size_t n)
{
	struct err e = {0};
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++)
		rc = count_is_zero(c, z[i].sql, z[i].what, &e);
	int bad = report(name, rc, &e);
	err_clear(&e);
	return bad;
}

#define ALL_ZERO(c, name, z) all_zero(c, name, z, sizeof z / sizeof z[0])

/* How many rows one of the queries a and b has and the other has not. */
#define ROWS_DIFFER(a, b) \
	"SELECT (SELECT COUNT(*) FROM (" a " EXCEPT " b ") f) + (SELECT COUNT(*) FROM (" b " EXCEPT " a ") k)"

/* Partner cards (RULE cards.share, cards.suspend) and cases (RULE
 * cases.flow, cases.recovered), read back. */
static int check_services(struct db *c)
{
	static const struct zero card_money[] = {
		{"SELECT COUNT(*) FROM purchases WHERE union_fen < 0 OR partner_fen < 0"
		 " OR union_fen + partner_fen <> amount_fen",
		 "爱心卡消费的工会承担与商户让利之和不等于消费金额"},
		{"SELECT COUNT(*) FROM purchases p WHERE CASE WHEN p.union_fen = 0 THEN p.ledger_id IS NOT NULL"
		 " ELSE NOT EXISTS (SELECT 1 FROM ledger l WHERE l.id = p.ledger_id AND l.kind = 'card_purchase'"
		 " AND l.account_id = p.account_id AND l.amount_fen = -p.union_fen) END",
		 "爱心卡消费缺少工会承担部分的资金流水"},
		{"SELECT COUNT(*) FROM ledger l WHERE l.kind = 'card_purchase'"
		 " AND NOT EXISTS (SELECT 1 FROM purchases p WHERE p.ledger_id = l.id)",
		 "资金流水中的爱心卡支出没有对应的消费记录"},
	};
	static const struct zero card_holder[] = {
		{"SELECT COUNT(*) FROM cards c JOIN households h ON h.id = c.household_id"
		 " WHERE c.status = 'active' AND h.status <> 'active'",
		 "有效爱心卡所属的档案不在档"},
	};
	static const struct zero case_result[] = {
		{"SELECT COUNT(*) FROM cases WHERE status IN ('resolved', 'closed')"
		 " AND (result IS NULL OR TRIM(result) = '')",
		 "已办结或已结案的个案没有办理结果"},
	};
	static const struct zero case_money[] = {
		{"SELECT COUNT(*) FROM cases WHERE recovered_fen < 0"
		 " OR (recovered_fen <> 0 AND category <> 'wage_arrears')",
		 "非欠薪个案记有追回欠薪金额"},
	};
	/* the quarterly report reads the status of a record with no later
	 * event from the record itself (services/reports.c) */
	static const struct zero trail[] = {
		{"SELECT COUNT(*) FROM households h JOIN household_events e ON e.id = (SELECT MAX(e2.id)"
		 " FROM household_events e2 WHERE e2.household_id = h.id AND e2.to_status IS NOT NULL)"
		 " WHERE e.to_status <> h.status",
		 "档案状态与其最后一条流程记录不一致"},
		{"SELECT COUNT(*) FROM applications a JOIN application_events e ON e.id = (SELECT MAX(e2.id)"
		 " FROM application_events e2 WHERE e2.application_id = a.id AND e2.to_status IS NOT NULL)"
		 " WHERE e.to_status <> a.status",
		 "申请状态与其最后一条流程记录不一致"},
	};
	/* RULE counts.kept: the counts the triggers of migration 011 keep */
	static const struct zero counts[] = {
		{"SELECT COUNT(*) FROM (SELECT org_id, status, COALESCE(category, '') AS category, COUNT(*) AS n"
		 " FROM households GROUP BY org_id, status, COALESCE(category, '')) f"
		 " FULL JOIN (SELECT * FROM hh_counts WHERE n <> 0) k ON k.org_id = f.org_id AND k.status = f.status"
		 " AND k.category = f.category WHERE f.n IS NULL OR k.n IS NULL OR f.n <> k.n",
		 "按单位、状态、类别保存的档案数与档案不一致"},
		{"SELECT COUNT(*) FROM (SELECT h.org_id, a.cover_period AS period, COUNT(*) AS n FROM applications a"
		 " JOIN households h ON h.id = a.household_id WHERE a.cover_period IS NOT NULL"
		 " AND a.status NOT IN ('rejected', 'withdrawn') AND h.status = 'active' GROUP BY h.org_id, a.cover_period) f"
		 " FULL JOIN (SELECT * FROM cover_counts WHERE n <> 0) k ON k.org_id = f.org_id AND k.period = f.period"
		 " WHERE f.n IS NULL OR k.n IS NULL OR f.n <> k.n",
		 "按单位、期别保存的慰问覆盖数与申请不一致"},
		{"SELECT COUNT(*) FROM (SELECT org_id, next_review_date AS due, COUNT(*) AS n FROM households"
		 " WHERE status = 'active' AND next_review_date IS NOT NULL GROUP BY org_id, next_review_date) f"
		 " FULL JOIN (SELECT * FROM review_counts WHERE n <> 0) k ON k.org_id = f.org_id AND k.due = f.due"
		 " WHERE f.n IS NULL OR k.n IS NULL OR f.n <> k.n",
		 "按单位、复核日期保存的在档数与档案不一致"},
		/* migration 031: the units above each unit, and the reviews
		 * due kept for each of them (review_tally_fresh is the view
		 * that counts them afresh) */
		{ROWS_DIFFER("SELECT o.id, a.id FROM orgs o JOIN orgs a ON a.path <> ''"
			     " AND substr(o.path, 1, length(a.path)) = a.path",
			     "SELECT org_id, anc_id FROM org_tree"),
		 "单位的上级关系表与单位路径不一致"},
		{ROWS_DIFFER("SELECT org_id, kind, day, n FROM review_tally_fresh",
			     "SELECT org_id, kind, day, n FROM review_tally WHERE n <> 0"),
		 "按单位（含下级）保存的待复核、待回访数与档案不一致"},
		{"SELECT COUNT(*) FROM (SELECT gram, org_id, COUNT(*) AS n FROM name_grams GROUP BY gram, org_id) f"
		 " FULL JOIN (SELECT * FROM gram_counts WHERE n <> 0) k ON k.gram = f.gram AND k.org_id = f.org_id"
		 " WHERE f.n IS NULL OR k.n IS NULL OR f.n <> k.n",
		 "按单位保存的姓名检索计数与检索索引不一致"},
		{"SELECT COUNT(*) FROM (SELECT substr(archive_no, 1, 10) AS prefix, org_id, COUNT(*) AS n FROM households"
		 " WHERE archive_no IS NOT NULL GROUP BY substr(archive_no, 1, 10), org_id) f"
		 " FULL JOIN (SELECT * FROM archive_counts WHERE n <> 0) k ON k.prefix = f.prefix AND k.org_id = f.org_id"
		 " WHERE f.n IS NULL OR k.n IS NULL OR f.n <> k.n",
		 "按单位、档案编号前十位保存的档案数与档案不一致"},
		/* migration 037: the latest filing of each archive's condolence
		 * applications approved now, its unit and whether it is active */
		{ROWS_DIFFER("SELECT household_id, org_id, active, last_at FROM hh_condolence_fresh",
			     "SELECT household_id, org_id, active, last_at FROM hh_condolence"),
		 "按档案保存的最近一次已批准慰问申请时间与申请不一致"},
		/* migration 026: the quarterly report's households part */
		{"SELECT COUNT(*) FROM (SELECT org_id, status, COALESCE(category, suggested_category, '') AS cat,"
		 " COALESCE(causes, '') AS causes, COUNT(*) AS n FROM households GROUP BY org_id, status,"
		 " COALESCE(category, suggested_category, ''), COALESCE(causes, '')) f"
		 " FULL JOIN (SELECT * FROM hh_report_counts WHERE n <> 0) k ON k.org_id = f.org_id"
		 " AND k.status = f.status AND k.cat = f.cat AND k.causes = f.causes"
		 " WHERE f.n IS NULL OR k.n IS NULL OR f.n <> k.n",
		 "按单位、状态、类别、致困原因保存的档案数与档案不一致"},
		{"SELECT COUNT(*) FROM (SELECT account_id, SUBSTR(at, 1, 7) AS month,"
		 " SUM(CASE WHEN amount_fen > 0 THEN amount_fen ELSE 0 END) AS fin,"
		 " SUM(CASE WHEN amount_fen < 0 THEN -amount_fen ELSE 0 END) AS fout FROM ledger"
		 " WHERE transfer_id IS NULL GROUP BY account_id, SUBSTR(at, 1, 7)) f"
		 " FULL JOIN (SELECT * FROM ledger_monthly WHERE in_fen <> 0 OR out_fen <> 0) k"
		 " ON k.account_id = f.account_id AND k.month = f.month"
		 " WHERE f.fin IS DISTINCT FROM k.in_fen OR f.fout IS DISTINCT FROM k.out_fen",
		 "按账户、月份保存的收支合计与资金流水不一致"},
		{"SELECT COUNT(*) FROM campaigns c WHERE c.applications_n <> (SELECT COUNT(*) FROM applications a"
		 " WHERE a.campaign_id = c.id) OR c.amount_fen <> (SELECT COALESCE(SUM(a.approved_fen), 0)"
		 " FROM applications a WHERE a.campaign_id = c.id AND a.status NOT IN ('rejected', 'withdrawn'))"
		 " OR c.disbursed_n <> (SELECT COUNT(*) FROM applications a WHERE a.campaign_id = c.id"
		 " AND a.status IN ('disbursed', 'receipted', 'closed'))",
		 "两节送温暖活动保存的申请数、金额或已发放数与申请不一致"},
	};
	static const struct zero grams[] = {
		{name_grams_drift_sql, "姓名检索索引与档案姓名不一致"},
	};
	/* RULE ma.kept: the plan's figures, the enrolment's approved sum, the
	 * paid claims' ledger rows (migration 015) */
	static const struct zero mutual[] = {
		{"SELECT COUNT(*) FROM ma_plans p WHERE p.enrolled_n <> (SELECT COUNT(*) FROM ma_enrolments e"
		 " WHERE e.plan_id = p.id) OR p.premium_total_fen <> (SELECT COALESCE(SUM(e.premium_fen), 0)"
		 " FROM ma_enrolments e WHERE e.plan_id = p.id) OR p.claims_n <> (SELECT COUNT(*) FROM ma_claims c"
		 " WHERE c.plan_id = p.id) OR p.paid_fen <> (SELECT COALESCE(SUM(c.paid_fen), 0) FROM ma_claims c"
		 " WHERE c.plan_id = p.id)",
		 "互助保障计划保存的参保人数、保费、理赔数或支付额与记录不一致"},
		{"SELECT COUNT(*) FROM ma_enrolments e WHERE e.approved_fen <> (SELECT COALESCE(SUM(c.approved_fen), 0)"
		 " FROM ma_claims c WHERE c.enrolment_id = e.id AND c.status IN ('approved', 'paid'))"
		 " OR e.approved_fen > (SELECT p.annual_cap_fen FROM ma_plans p WHERE p.id = e.plan_id)",
		 "参保人员已核定理赔额与理赔记录不一致或超过年度上限"},
		{"SELECT COUNT(*) FROM ma_claims c WHERE c.status = 'paid' AND (c.paid_fen <> c.approved_fen"
		 " OR (c.paid_fen > 0 AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.id = c.ledger_id"
		 " AND l.account_id = c.account_id AND l.amount_fen = -c.paid_fen)))",
		 "已支付理赔与资金流水不符"},
	};
	return ALL_ZERO(c, "状态与流程记录一致", trail) +
	       ALL_ZERO(c, "姓名检索索引与档案姓名一致", grams) +
	       ALL_ZERO(c, "保存的档案数与覆盖数与记录一致", counts) +
	       ALL_ZERO(c, "爱心卡消费分担与资金流水一致", card_money) +
	       ALL_ZERO(c, "有效爱心卡只属于在档家庭", card_holder) +
	       ALL_ZERO(c, "已办结个案都有办理结果", case_result) +
	       ALL_ZERO(c, "追回欠薪只记在欠薪个案", case_money) +
	       ALL_ZERO(c, "互助保障计划、理赔与资金流水一致", mutual);
}

/* Reminders: what an operator should do, though nothing is broken. */
static void reminders(struct ctx *x)
{
	struct err e = {0};
	const char *msg = NULL, *years = NULL;
	int year;
	if (calendar_missing(x, &msg, &year, &e) == 0 && msg)
		printf("提醒  %s\n", msg);
	err_clear(&e);
	if (calendar_unloaded(x, &years, &e) == 0 && years)
		printf("提醒  工作日历：本程序自带 %s 年法定节假日安排，数据库中还没有，请运行 bangfu migrate\n", years);
	err_clear(&e);
}

int check_all(struct ctx *x)
{
	struct db *c = x->db;
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
	/* RULE aid.monthly, read back: the kept sums are the applications' own */
	if (!rc)
		rc = count_is_zero(c, "SELECT COUNT(*) FROM (SELECT org_id, SUBSTR(disbursed_at, 1, 7) AS month,"
				   " program_code, COUNT(*) AS n, SUM(disbursed_fen - refunded_fen) AS fen"
				   " FROM applications WHERE disbursed_at IS NOT NULL"
				   " GROUP BY org_id, SUBSTR(disbursed_at, 1, 7), program_code) a"
				   " FULL JOIN aid_monthly m ON m.org_id = a.org_id AND m.month = a.month"
				   " AND m.program_code = a.program_code"
				   " WHERE a.n IS DISTINCT FROM m.paid_count OR a.fen IS DISTINCT FROM m.net_fen",
				   "按月发放汇总与申请不符", &e);
	bad += report("帮扶发放与资金流水一致", rc, &e);
	err_clear(&e);
	bad += check_services(c);
	rc = attach_check(c, &n, &e); /* RULE attach.hash */
	bad += report("附件文件内容与 sha256 一致", rc, &e);
	err_clear(&e);
	bad += check_outreach(c);
	reminders(x);
	return bad;
}
