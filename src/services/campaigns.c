/* campaigns.c — 两节送温暖.  Creating a campaign is an approval of its
 * amounts, so it takes an approver whose level reaches the largest amount's
 * tier; its applications start `approved`.  Households already covered by a
 * campaign of the same period are skipped. */
#include "services/campaigns.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "rules/eligibility.h"
#include "rules/household.h"
#include "services/applications.h"
#include "services/audit.h"
#include "services/funds.h"
#include "services/orgs.h"
#include "services/programs.h"

const struct field campaign_body[] = {
	{"org_id", F_INT, F_REQ, 1, 0, "发起单位"},
	{"name", F_STR, F_REQ, 1, 100, "活动名称"},
	{"period", F_STR, F_REQ, 1, 50, "活动期次（如 2027春节）"},
	{"amounts", F_OBJ, F_REQ, 0, 0, "各类别慰问金额（分）"},
	FIELDS_END,
};
const struct field campaign_disburse_body[] = {
	{"account_id", F_INT, F_REQ, 1, 0, "支出账户"},
	FIELDS_END,
};

static int actor_tier(const struct actor *w)
{
	return w->org_level == LEVEL_CITY ? TIER_CITY
	       : w->org_level == LEVEL_DISTRICT ? TIER_DISTRICT
	       : w->org_level == LEVEL_STREET ? TIER_STREET : -1;
}

int campaign_create(struct ctx *x, json_t *b, int64_t *id, struct err *e)
{
	int64_t org = json_integer_value(json_object_get(b, "org_id"));
	struct org o;
	int rc = org_in_scope(x, org, &o, e);
	if (rc)
		return rc;
	json_t *amounts = json_object_get(b, "amounts");
	int64_t amt[CAT__MAX];
	const char *k;
	json_t *v;
	json_object_foreach(amounts, k, v)
		if (category_parse(k) < 0)
			return err_field(e, "amounts", "未知的困难类别：%s", k);
	json_t *prog = program_json(x, "condolence", e);
	if (!prog)
		return -(int)e->code;
	struct tiers t;
	const char *why;
	tiers_parse(json_object_get(prog, "tiers"), &t, &why);
	int64_t max = json_integer_value(json_object_get(prog, "max_fen")), top = 0;
	for (int c = 0; c < CAT__MAX && !rc; c++) {
		v = json_object_get(amounts, category_name(c));
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > max)
			rc = err_field(e, "amounts", "须为每个类别（dibao、marginal、accident、none）给出1至%" PRId64
				       "分的慰问金额", max);
		else if ((amt[c] = json_integer_value(v)) > top)
			top = amt[c];
	}
	if (!rc && actor_tier(&x->who) < (int)tiers_required(&t, top))
		rc = err_set(e, E_FORBIDDEN, "最高慰问金额须由%s级审批人批准", tier_label(tiers_required(&t, top)));
	if (rc) {
		json_decref(prog);
		return rc;
	}
	const char *period = json_string_value(json_object_get(b, "period"));
	char *snap = json_dumps(prog, JSON_COMPACT), *am = json_dumps(amounts, JSON_COMPACT | JSON_SORT_KEYS);
	int year;
	date_to_ymd(x->today, &year, &(int){0}, &(int){0});
	rc = db_insert(x->db, e, id,
		    "INSERT INTO campaigns (org_id, name, period, amounts, created_by, created_at)"
		    " VALUES (?, ?, ?, ?, ?, ?)",
		    "isssz" "s", org, json_string_value(json_object_get(b, "name")), period, am, x->who.id,
		    x->now_s);
	/* one statement for the whole subtree: 100,000 archives in one go */
	if (!rc)
		rc = db_run(x->db, e,
			    "INSERT INTO applications (household_id, org_id, program_code, program_version,"
			    " program_snapshot, campaign_id, cover_period, status, requested_fen, approved_fen, reason,"
			    " documents, year, due_date, required_level, submitted_by, approved_by, created_at, updated_at)"
			    " SELECT h.id, h.org_id, 'condolence', CAST(? AS BIGINT), ?, CAST(? AS BIGINT), ?, 'approved',"
			    " a.fen, a.fen, ?, '[]', CAST(? AS BIGINT), ?, a.lvl, CAST(? AS BIGINT), CAST(? AS BIGINT), ?, ?"
			    " FROM households h JOIN orgs o ON o.id = h.org_id"
			    " JOIN (SELECT 'dibao' AS cat, CAST(? AS BIGINT) AS fen, CAST(? AS TEXT) AS lvl"
			    "  UNION ALL SELECT 'marginal', CAST(? AS BIGINT), CAST(? AS TEXT)"
			    "  UNION ALL SELECT 'accident', CAST(? AS BIGINT), CAST(? AS TEXT)"
			    "  UNION ALL SELECT 'none', CAST(? AS BIGINT), CAST(? AS TEXT)) a"
			    " ON a.cat = COALESCE(h.category, h.suggested_category)"
			    " WHERE h.status = 'active' AND o.path LIKE ? AND NOT EXISTS (SELECT 1 FROM applications p"
			    "  JOIN campaigns c ON c.id = p.campaign_id WHERE p.household_id = h.id AND c.period = ?"
			    "  AND p.status NOT IN ('rejected', 'withdrawn'))"
			    /* RULE campaign.once: a concurrent campaign of the period (another
			     * process) covered it first: the index of migration 006 says so */
			    " ON CONFLICT (household_id, cover_period) WHERE cover_period IS NOT NULL"
			    "  AND status NOT IN ('rejected', 'withdrawn') DO NOTHING",
			    "isissiszzss" "isisisis" "ss",
			    (int64_t)json_integer_value(json_object_get(prog, "version")), snap, *id, period, period,
			    (int64_t)year, x->today_s, x->who.id, x->who.id, x->now_s, x->now_s,
			    amt[CAT_DIBAO], tier_name(tiers_required(&t, amt[CAT_DIBAO])),
			    amt[CAT_MARGINAL], tier_name(tiers_required(&t, amt[CAT_MARGINAL])),
			    amt[CAT_ACCIDENT], tier_name(tiers_required(&t, amt[CAT_ACCIDENT])),
			    amt[CAT_NONE], tier_name(tiers_required(&t, amt[CAT_NONE])),
			    arena_printf(x->a, "%s%%", o.path), period);
	free(snap);
	free(am);
	json_decref(prog);
	int64_t n = 0;
	if (!rc)
		rc = db_run(x->db, e,
			    "INSERT INTO application_events (application_id, at, user_id, action, from_status,"
			    " to_status, comment) SELECT id, CAST(? AS TEXT), CAST(? AS BIGINT), 'approve', NULL,"
			    " 'approved', CAST(? AS TEXT) FROM applications"
			    " WHERE campaign_id = ?",
			    "szsi", x->now_s, x->who.id, arena_printf(x->a, "两节送温暖活动 %" PRId64, *id), *id);
	/* RULE counts.kept: the latest approved condolence filing of each
	 * archive it covers (migration 037), set-based: its insert trigger
	 * leaves a campaign's rows to this statement */
	if (!rc)
		rc = db_run(x->db, e,
			    "INSERT INTO hh_condolence (household_id, org_id, active, last_at)"
			    " SELECT h.id, h.org_id, CASE WHEN h.status = 'active' THEN 1 ELSE 0 END, a.created_at"
			    " FROM applications a JOIN households h ON h.id = a.household_id WHERE a.campaign_id = ?"
			    " ON CONFLICT (household_id) DO UPDATE SET last_at = CASE"
			    "  WHEN excluded.last_at > hh_condolence.last_at THEN excluded.last_at ELSE hh_condolence.last_at END",
			    "i", *id);
	/* RULE counts.kept: the campaign's figures, fixed now but for payments */
	if (!rc)
		rc = db_run(x->db, e,
			    "UPDATE campaigns SET applications_n = (SELECT COUNT(*) FROM applications a"
			    " WHERE a.campaign_id = campaigns.id), amount_fen = (SELECT COALESCE(SUM(a.approved_fen), 0)"
			    " FROM applications a WHERE a.campaign_id = campaigns.id) WHERE id = ?",
			    "i", *id);
	if (!rc)
		rc = db_int(x->db, e, &n, NULL, "SELECT applications_n FROM campaigns WHERE id = ?", "i", *id);
	if (!rc)
		rc = audit_add(x, "create", "campaign", *id, org, e, "发起两节送温暖“%s”（%s），生成慰问申请 %" PRId64 " 份",
			       json_string_value(json_object_get(b, "name")), period, n);
	return rc;
}

/* A campaign's columns, c joined to its unit o, but its unit's active
 * archives (ACTIVE_COL). */
#define CAMPAIGN_COLS                                                                                 \
	"c.id, c.org_id, o.name AS org_name, c.name, c.period, c.amounts, c.created_by,"             \
	" c.created_at, c.applications_n AS applications, c.disbursed_n AS disbursed, c.amount_fen," \
	/* RULE counts.kept: the archives with a live cover of the period   \
	 * (cover_period, migration 006; one per archive at most), as kept  \
	 * by the triggers of migration 011.  From the few units to their   \
	 * kept rows by key (CROSS JOIN keeps that order on SQLite, which   \
	 * otherwise built a temporary index of the kept rows for every     \
	 * campaign of a page: 0.3 ms each) */                                \
	" (SELECT COALESCE(SUM(k.n), 0) FROM orgs ho CROSS JOIN cover_counts k"                      \
	"  WHERE ho.path LIKE o.path || '%' AND k.org_id = ho.id AND k.period = c.period) AS covered"
/* RULE counts.kept: the active archives of o's subtree, the same way */
#define ACTIVE_COL                                                                                  \
	" (SELECT COALESCE(SUM(k.n), 0) FROM orgs ho CROSS JOIN hh_counts k"                         \
	"  WHERE ho.path LIKE o.path || '%' AND k.org_id = ho.id AND k.status = 'active') AS active"

/* A row of CAMPAIGN_COLS as the answer shows it. */
static void campaign_shape(json_t *o)
{
	json_t *am = json_loads(json_string_value(json_object_get(o, "amounts")), 0, NULL);
	json_object_set_new(o, "amounts", am ? am : json_object());
	int64_t active = json_integer_value(json_object_get(o, "active"));
	int64_t covered = json_integer_value(json_object_get(o, "covered"));
	/* RULE campaign.coverage: active archives of the unit's subtree covered by
	 * any campaign of the same period, over all its active archives */
	json_object_set_new(o, "coverage", json_pack("{s:I,s:I,s:f}", "covered", (json_int_t)covered, "active",
						     (json_int_t)active, "ratio",
						     active ? (double)covered / (double)active : 0.0));
}

json_t *campaign_json(struct ctx *x, int64_t id, struct err *e)
{
	json_t *o = db_one_json(x->db, e,
				"SELECT " CAMPAIGN_COLS "," ACTIVE_COL " FROM campaigns c JOIN orgs o ON o.id = c.org_id"
				" WHERE c.id = ?",
				id);
	if (o)
		campaign_shape(o);
	return o;
}

int campaign_disburse(struct ctx *x, int64_t id, int64_t account, int64_t *count, struct err *e)
{
	int64_t total = 0, bal = 0;
	int found = 0;
	int rc = fund_account_in_scope(x, account, NULL, e);
	if (rc)
		return rc;
	/* RULE campaign.all_or_nothing.  Claim first: the guarded UPDATE waits
	 * for any single disbursement of the same application and skips it if
	 * that one won, so exactly the rows claimed here are totalled, debited
	 * and written to the ledger (the claimed ones are those with no ledger
	 * row yet).  Then one debit checked against the balance. */
	if ((rc = db_run(x->db, e,
			 "UPDATE applications SET status = 'disbursed', account_id = ?, disbursed_fen = approved_fen,"
			 " disbursed_at = ?, version = version + 1, updated_at = ? WHERE campaign_id = ?"
			 " AND status = 'approved'",
			 "issi", account, x->now_s, x->now_s, id)))
		return rc;
	const char *mine = " FROM applications a WHERE a.campaign_id = ? AND a.status = 'disbursed'"
			   " AND a.account_id = ? AND a.disbursed_at = ? AND a.disbursed_fen > 0"
			   " AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.application_id = a.id)";
	char sql[768];
	snprintf(sql, sizeof sql, "SELECT COUNT(*)%s", mine);
	if ((rc = db_int(x->db, e, count, NULL, sql, "iis", id, account, x->now_s)))
		return rc;
	if (*count == 0)
		return err_set(e, E_INVALID_TRANSITION, "该活动没有待发放的慰问申请");
	snprintf(sql, sizeof sql, "SELECT COALESCE(SUM(a.disbursed_fen), 0)%s", mine);
	if ((rc = db_int(x->db, e, &total, NULL, sql, "iis", id, account, x->now_s)))
		return rc;
	if ((rc = db_int(x->db, e, &bal, &found,
			 "UPDATE fund_accounts SET balance_fen = balance_fen - ? WHERE id = ? AND balance_fen >= ?"
			 " RETURNING balance_fen", "iii", total, account, total)))
		return rc;
	if (!found)
		return err_set(e, E_INSUFFICIENT_FUNDS, "账户余额不足：本次活动共需 %" PRId64 " 分，全部未发放", total);
	snprintf(sql, sizeof sql,
		 "INSERT INTO application_events (application_id, at, user_id, action, from_status, to_status)"
		 " SELECT a.id, CAST(? AS TEXT), CAST(? AS BIGINT), 'disburse', 'approved', 'disbursed'%s", mine);
	if ((rc = db_run(x->db, e, sql, "sziis", x->now_s, x->who.id, id, account, x->now_s)))
		return rc;
	struct db_args claimed = {0};
	db_arg_int(&claimed, id);
	db_arg_int(&claimed, account);
	db_arg_str(&claimed, x->now_s);
	if ((rc = aid_monthly_add(x, mine, &claimed, e)))
		return rc;
	/* one ledger row per application, running balance in id order */
	snprintf(sql, sizeof sql,
		 "INSERT INTO ledger (account_id, at, kind, amount_fen, balance_fen, application_id, note, user_id)"
		 " SELECT CAST(? AS BIGINT), CAST(? AS TEXT), 'disbursement', -a.disbursed_fen,"
		 " CAST(? AS BIGINT) - SUM(a.disbursed_fen) OVER (ORDER BY a.id ROWS UNBOUNDED PRECEDING), a.id,"
		 " CAST(? AS TEXT), CAST(? AS BIGINT)%s ORDER BY a.id",
		 mine);
	if ((rc = db_run(x->db, e, sql, "isisz" "iis", account, x->now_s, bal + total, "两节送温暖慰问金",
			 x->who.id, id, account, x->now_s)))
		return rc;
	int64_t org = 0;
	if ((rc = db_run(x->db, e, "UPDATE campaigns SET disbursed_n = disbursed_n + ? WHERE id = ?", "ii", *count, id)))
		return rc;
	db_int(x->db, e, &org, NULL, "SELECT org_id FROM campaigns WHERE id = ?", "i", id);
	return audit_add(x, "disburse", "campaign", id, org, e, "两节送温暖活动统一发放：%" PRId64 " 户，共 %" PRId64 " 分",
			 *count, total);
}

int campaigns_scope(struct req *r)
{
	return record_in_scope(&r->x, "campaigns", r->id, "活动不存在", &r->err);
}

int campaigns_h_create(struct req *r)
{
	int64_t id = 0;
	int rc = campaign_create(&r->x, r->in, &id, &r->err);
	if (rc == -E_FORBIDDEN)
		return req_deny(r, E_FORBIDDEN, r->err.msg);
	if (rc)
		return rc;
	json_t *o = campaign_json(&r->x, id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

/* GET /campaigns?limit=&offset= — newest first, paged like every list. */
int campaigns_h_list(struct req *r)
{
	int64_t limit, offset, total = 0;
	int rc = req_paging(r, &limit, &offset);
	if (rc)
		return rc;
	const char *from = "FROM campaigns c JOIN orgs o ON o.id = c.org_id WHERE o.path LIKE ?";
	struct db_args a = {0};
	db_arg_str(&a, ctx_scope_like(&r->x));
	json_t *items = NULL, *row, *active = json_object();
	/* one statement for the page (a read of each campaign by its id cost
	 * a statement, its binding and its answer apiece), and the active
	 * archives once for each unit of the page (its campaigns share them:
	 * 0.35 ms for each at a million archives, ten of a page's eleven
	 * campaigns of the one city) */
	if ((rc = db_page(r->x.db, &r->err, CAMPAIGN_COLS, from, "c.id DESC", &a, limit, offset, &items, &total)))
		goto out;
	size_t i;
	json_array_foreach(items, i, row) {
		int64_t org = json_integer_value(json_object_get(row, "org_id"));
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)org);
		json_t *n = json_object_get(active, key);
		if (!n) {
			int64_t v = 0;
			if ((rc = db_int(r->x.db, &r->err, &v, NULL, "SELECT" ACTIVE_COL " FROM orgs o WHERE o.id = ?",
					 "i", org)))
				goto out;
			json_object_set_new(active, key, n = json_integer(v));
		}
		json_object_set(row, "active", n);
		campaign_shape(row);
	}
out:
	json_decref(active);
	if (rc) {
		json_decref(items);
		return rc;
	}
	return req_reply_list(r, items, total);
}

int campaigns_h_get(struct req *r)
{
	json_t *o = campaign_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

int campaigns_h_disburse(struct req *r)
{
	int64_t n = 0;
	int rc = campaign_disburse(&r->x, r->id, body_int(r, "account_id", 0), &n, &r->err);
	if (rc)
		return rc;
	json_t *o = campaign_json(&r->x, r->id, &r->err);
	if (o)
		json_object_set_new(o, "disbursed_now", json_integer(n));
	return o ? req_reply(r, 200, o) : -E_DB;
}
