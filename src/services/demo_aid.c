/* demo_aid.c — demo money: funded accounts at city and district level, a
 * transfer down, about 300 applications across the programmes in every
 * state, a district condolence campaign paid out, donated goods.  Walked
 * through the real services as demo users.  Deterministic. */
#include <stdio.h>
#include <string.h>

#include "services/applications.h"
#include "services/auth.h"
#include "services/campaigns.h"
#include "services/funds.h"
#include "services/programs.h"
#include "services/setup.h"

#define DAY 86400

static int as(struct ctx *x, const char *user, struct err *e)
{
	return auth_load_actor(x, user, 0, e);
}

static int step(struct ctx *x, const char *user, int64_t id, json_t *b, struct err *e)
{
	int denied, rc = as(x, user, e);
	if (!rc)
		rc = application_transition(x, id, b, &denied, e);
	json_decref(b);
	return rc;
}

static int account(struct ctx *x, int64_t org, const char *source, const char *name, int64_t fen,
		   int64_t *id, struct err *e)
{
	int year;
	date_to_ymd(x->today, &year, &(int){0}, &(int){0});
	int rc = db_insert(x->db, e, id,
			"INSERT INTO fund_accounts (org_id, source, year, name, created_by, created_at)"
			" VALUES (?, ?, ?, ?, ?, ?)",
			"isisi" "s", org, source, (int64_t)year, name, x->who.id, x->now_s);
	if (!rc && fen)
		rc = fund_move(x, *id, fen, "deposit", 0, 0, "年度帮扶资金拨付", NULL, e);
	return rc;
}

int demo_aid(struct ctx *x, struct err *e)
{
	const struct actor self = x->who;
	int64_t end = x->now, city_acct, gov_acct, d1_acct;
	int rc = as(x, "city_finance", e);
	if (rc)
		return rc;
	ctx_set_now(x, end - 60 * DAY);
	int64_t d1 = 0;
	db_int(x->db, e, &d1, NULL, "SELECT id FROM orgs WHERE level = 'district' ORDER BY id LIMIT 1", "");
	if ((rc = account(x, 1, "union", "市总工会帮扶专项资金", 300000000, &city_acct, e)) ||
	    (rc = account(x, 1, "government", "市财政困难职工帮扶资金", 200000000, &gov_acct, e)) ||
	    (rc = account(x, d1, "union", "区总工会帮扶资金", 0, &d1_acct, e)))
		return rc;
	int64_t tid = 0;
	if ((rc = db_insert(x->db, e, &tid,
			 "INSERT INTO fund_transfers (from_account_id, to_account_id, amount_fen, note, created_by,"
			 " created_at) VALUES (?, ?, ?, ?, ?, ?)",
			 "iiisi" "s", city_acct, d1_acct, (int64_t)50000000, "向区总工会划拨帮扶资金", x->who.id,
			 x->now_s)) ||
	    (rc = fund_move(x, city_acct, -50000000, "transfer_out", 0, tid, "向区总工会划拨帮扶资金", NULL, e)) ||
	    (rc = fund_move(x, d1_acct, 50000000, "transfer_in", 0, tid, "市总工会划拨", NULL, e)))
		return rc;

	/* applications: active households, one programme each, walked to a state */
	struct db_stmt *s = db_q(x->db, e, "SELECT h.id, (SELECT m.id FROM members m WHERE m.household_id = h.id"
				 " AND m.school_stage IN ('senior', 'vocational', 'university') LIMIT 1) FROM households h"
				 " WHERE h.status = 'active' ORDER BY h.id LIMIT 400", "");
	int64_t hh[400], student[400];
	int n = 0;
	while (s && n < 400 && db_step(s, e) == DB_ROW) {
		hh[n] = db_col_int(s, 0);
		student[n++] = db_col_is_null(s, 1) ? 0 : db_col_int(s, 1);
	}
	db_finalize(s);
	const char *progs[] = {"living", "medical", "education", "legal", "employment"};
	int made = 0;
	for (int i = 0; i < n; i++) {
		const char *code = student[i] ? "education" : progs[i % 5 == 2 ? 0 : i % 5];
		json_t *prog = program_json(x, code, e);
		if (!prog)
			return -E_DB;
		json_t *body = json_pack("{s:I,s:s,s:I,s:s,s:O}", "household_id", (json_int_t)hh[i], "program_code", code,
					 "requested_fen", json_integer_value(json_object_get(prog, "standard_fen")),
					 "reason", "家庭生活困难，申请救助", "documents", json_object_get(prog, "documents"));
		json_decref(prog);
		if (student[i])
			json_object_set_new(body, "member_id", json_integer(student[i]));
		int64_t id = 0;
		int target = i % 8; /* 0 submitted .. 5 closed, 6 rejected, 7 withdrawn */
		/* the finished ones from the last forty days; the open ones (submitted,
		 * verified, approved) these last days, within their 6 working days,
		 * but for a handful that ran over */
		int back = target >= 3 ? 40 - i % 40 : i % 96 < 2 ? 16 + i % 5 : 1 + i % 4;
		ctx_set_now(x, end - (int64_t)back * DAY);
		rc = as(x, "city_staff", e);
		if (!rc)
			rc = application_create(x, body, &id, e);
		json_decref(body);
		if (rc == -E_NOT_ELIGIBLE || rc == -E_VALIDATION_FAILED) { /* not every household qualifies */
			err_clear(e);
			rc = 0;
			continue;
		}
		if (rc)
			return rc;
		made++;
		if (target == 7) {
			rc = step(x, "city_staff", id, json_pack("{s:s}", "action", "withdraw"), e);
		} else if (target == 6) {
			rc = step(x, "city_reviewer", id, json_pack("{s:s,s:s}", "action", "reject", "comment",
								    "经入户核查，家庭收入已超过标准"), e);
		} else if (target >= 1) {
			x->now += 3600;
			rc = step(x, "city_reviewer", id, json_pack("{s:s}", "action", "verify"), e);
			if (!rc && target >= 2)
				rc = step(x, "city_approver", id, json_pack("{s:s}", "action", "approve"), e);
			if (!rc && target >= 3)
				rc = step(x, "city_finance", id, json_pack("{s:s,s:I}", "action", "disburse", "account_id",
									   (json_int_t)city_acct), e);
			if (!rc && target >= 4) {
				char on[11];
				date_format(x->today, on);
				rc = step(x, "city_staff", id, json_pack("{s:s,s:s,s:s}", "action", "receipt", "signed_by",
									 "户主本人", "signed_on", on), e);
			}
			if (!rc && target >= 5)
				rc = step(x, "city_staff", id, json_pack("{s:s,s:s}", "action", "close", "report",
									 "救助金已发放到户，本人签收，材料归档"), e);
		}
		if (rc)
			return rc;
	}

	/* a district condolence campaign, paid out; goods in kind */
	ctx_set_now(x, end - 20 * DAY);
	int64_t camp = 0, count = 0;
	json_t *cb = json_pack("{s:I,s:s,s:s,s:{s:i,s:i,s:i,s:i}}", "org_id", (json_int_t)d1, "name",
			       "元旦春节送温暖（东湖区）", "period", "演示-两节", "amounts", "dibao", 100000,
			       "marginal", 80000, "accident", 80000, "none", 50000);
	if ((rc = as(x, "d1_approver", e)) || (rc = campaign_create(x, cb, &camp, e))) {
		json_decref(cb);
		return rc;
	}
	json_decref(cb);
	if ((rc = as(x, "d1_finance", e)) || (rc = campaign_disburse(x, camp, d1_acct, &count, e)))
		return rc;
	if ((rc = as(x, "city_staff", e)))
		return rc;
	int64_t goods = 0;
	if ((rc = db_insert(x->db, e, &goods, "INSERT INTO goods (org_id, name, unit, stock, created_at)"
			 " VALUES (1, '冬季棉被', '床', 0, ?)", "s", x->now_s)) ||
	    (rc = db_run(x->db, e, "UPDATE goods SET stock = 120 WHERE id = ?", "i", goods)) ||
	    (rc = db_run(x->db, e, "INSERT INTO goods_moves (goods_id, kind, quantity, stock_after, donor, date,"
			 " user_id, created_at) VALUES (?, 'receipt', 120, 120, '爱心企业联合会', ?, ?, ?)",
			 "isis", goods, x->today_s, x->who.id, x->now_s)))
		return rc;
	x->who = self;
	ctx_set_now(x, end);
	printf("  帮扶申请 %d 件（各流程状态均有），资金账户 3 个，送温暖活动 1 次（%lld 户）\n", made,
	       (long long)count);
	return 0;
}
