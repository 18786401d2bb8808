/* demo_outreach.c — the demo's outreach: a year of activities in every
 * district (送法进企业, 义诊, 募捐, 慰问发放, 走访困难企业 …) with the
 * households that attended, donation drives' donations into each
 * district's donation account, two unit pairings, a project per district
 * funded from the city's account in every status, and referrals to
 * government services in every state (overdue ones among the pending; a
 * granted 低保 updates its archive).  Money moves through the ledger.
 * Deterministic. */
#include <stdio.h>
#include <string.h>

#include "services/auth.h"
#include "services/funds.h"
#include "services/households.h"
#include "services/setup.h"

#define DAY 86400

static const char *const kinds[6][2] = {
	{"legal_outreach", "劳动合同与工资支付法律宣讲"}, {"free_clinic", "职工健康义诊"},
	{"donation_drive", "“情暖职工”爱心募捐"},            {"handout", "困难职工慰问品发放"},
	{"enterprise_visit", "走访困难企业"},                {"other", "困难职工子女助学座谈"},
};
static const char *const partners[6] = {"市律师协会", "市第一人民医院", "爱心企业联合会",
					"区慈善总会", "区人社局", "团区委"};
static const char *const services[6][2] = {
	{"dibao", "civil_affairs"},        {"public_housing", "housing"}, {"tuition_waiver", "education"},
	{"medical_aid", "health"},         {"job", "human_resources"},    {"legal_aid", "legal_aid"},
};

struct unit {
	int64_t id;
	const char *path, *name;
	int64_t street;            /* its first street */
	const char *street_path;
};

static int units(struct ctx *x, const char *level, struct unit *u, int max, int *n, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e, "SELECT o.id, o.path, o.name, c.id, c.path FROM orgs o JOIN orgs c"
				 " ON c.id = (SELECT MIN(id) FROM orgs WHERE parent_id = o.id) WHERE o.level = ? ORDER BY o.id",
				 "s", level);
	*n = 0;
	while (s && *n < max && db_step(s, e) == DB_ROW) {
		u[*n] = (struct unit){db_col_int(s, 0), arena_strdup(x->a, db_col_text(s, 1)),
				      arena_strdup(x->a, db_col_text(s, 2)), db_col_int(s, 3),
				      arena_strdup(x->a, db_col_text(s, 4))};
		(*n)++;
	}
	db_finalize(s);
	return s ? 0 : -E_DB;
}

static int new_account(struct ctx *x, int64_t org, const char *source, const char *name, int64_t *id,
		       struct err *e)
{
	int year;
	date_to_ymd(x->today, &year, &(int){0}, &(int){0});
	return db_insert(x->db, e, id,
			 "INSERT INTO fund_accounts (org_id, source, year, name, created_by, created_at)"
			 " VALUES (?, ?, ?, ?, ?, ?)",
			 "isisi" "s", org, source, (int64_t)year, name, x->who.id, x->now_s);
}

/* 96 activities: two a month in each district, the kinds in turn, one
 * held by the district and one by its first street */
static int activities(struct ctx *x, const struct unit *d, int nd, int64_t end, int *na, int *natt,
		      struct err *e)
{
	int64_t acct[8] = {0};
	int rc = 0;
	ctx_set_now(x, end - 370 * DAY);
	for (int i = 0; !rc && i < nd; i++)
		rc = new_account(x, d[i].id, "donation", arena_printf(x->a, "%s社会捐赠资金", d[i].name), &acct[i], e);
	for (int m = 23; !rc && m >= 0; m--)
		for (int i = 0; !rc && i < nd; i++) {
			int k = (m / 2 * 5 + m % 2 * 3 + i) % 6;
			int64_t id = 0, n = 0, org = m % 2 ? d[i].id : d[i].street;
			const char *path = m % 2 ? d[i].path : d[i].street_path;
			ctx_set_now(x, end - (int64_t)(m / 2 * 30 + m % 2 * 13 + i * 4 + 2) * DAY);
			rc = db_insert(x->db, e, &id,
				       "INSERT INTO activities (org_id, kind, title, date, place, partner, note, created_by,"
				       " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
				       "issssssz" "s", org, kinds[k][0], kinds[k][1], x->today_s,
				       arena_printf(x->a, "%s职工服务中心", d[i].name), partners[k],
				       k == 4 ? "了解企业经营与职工工资发放情况" : NULL, x->who.id, x->now_s);
			/* 5 to 24 active households of the district attended (not a visit to a firm) */
			if (!rc && k != 4)
				rc = db_run(x->db, e,
					    "INSERT INTO activity_attendance (activity_id, household_id, created_at)"
					    " SELECT ?, h.id, ? FROM households h JOIN orgs o ON o.id = h.org_id"
					    " WHERE h.status = 'active' AND o.path LIKE ? ORDER BY h.id LIMIT ? OFFSET ?",
					    "issii", id, x->now_s, arena_printf(x->a, "%s%%", path),
					    (int64_t)(5 + (m * 7 + i * 3) % 20), (int64_t)((m * 13) % 40));
			if (!rc)
				rc = db_int(x->db, e, &n, NULL,
					    "UPDATE activities SET attendance = (SELECT COUNT(*) FROM activity_attendance"
					    " WHERE activity_id = ?) WHERE id = ? RETURNING attendance", "ii", id, id);
			*natt += (int)n;
			(*na)++;
			if (rc || k != 2)
				continue;
			/* a drive's donations: two donors, into the district's donation account */
			for (int j = 0; !rc && j < 2; j++) {
				int64_t fen = 100000 + (int64_t)((m * 37 + i * 11 + j * 5) % 20) * 50000;
				const char *donor = j ? "爱心职工个人捐款" : "东湖建设集团有限公司";
				rc = fund_move(x, acct[i], fen, "deposit", 0, 0, arena_printf(x->a, "募捐活动“%s”：%s",
										 kinds[k][1], donor), NULL, e);
				if (!rc)
					rc = db_run(x->db, e, "UPDATE ledger SET activity_id = ? WHERE id ="
						    " (SELECT MAX(id) FROM ledger WHERE account_id = ?)", "ii", id, acct[i]);
				if (!rc)
					rc = db_run(x->db, e, "INSERT INTO activity_donations (activity_id, account_id,"
						    " amount_fen, donor, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
						    "iiisz" "s", id, acct[i], fen, donor, x->who.id, x->now_s);
				if (!rc)
					rc = db_run(x->db, e, "UPDATE activities SET donated_fen = donated_fen + ? WHERE id = ?",
						    "ii", fen, id);
			}
		}
	return rc;
}

/* two pairings and a project per district: done, running, running, planned */
static int projects(struct ctx *x, const struct unit *d, int nd, int64_t end, struct err *e)
{
	int year, rc = 0;
	ctx_set_now(x, end - 200 * DAY);
	date_to_ymd(x->today, &year, &(int){0}, &(int){0});
	for (int i = 0; !rc && i + 1 < nd && i < 2; i++) /* 东湖区 → 北江县, 西山区 → 南城区 */
		rc = db_run(x->db, e,
			    "INSERT INTO org_pairings (helper_org_id, helped_org_id, org_id, from_date, to_date, note,"
			    " created_by, created_at) VALUES (?, ?, (SELECT id FROM orgs WHERE parent_id IS NULL), ?, NULL, ?, ?, ?)",
			    "iissz" "s", d[i].id, d[nd - 1 - i].id, x->today_s,
			    i ? "城区结对帮扶：职工技能培训与岗位对接" : "强区帮弱县：资金、项目、干部结对", x->who.id, x->now_s);
	int64_t city = 0;
	if (!rc) /* the city's own union account (demo_aid.c) */
		rc = db_int(x->db, e, &city, NULL, "SELECT MIN(a.id) FROM fund_accounts a JOIN orgs o ON o.id = a.org_id"
			    " WHERE o.parent_id IS NULL AND a.source = 'union'", "");
	static const char *const names[4] = {"职工技能实训基地", "困难职工子女助学工程", "职工互助医疗站",
					     "山区职工安居工程"};
	static const char *const status[4] = {"done", "running", "running", "planned"};
	for (int i = 0; !rc && i < nd && i < 4; i++) {
		int64_t pid = 0, acct = 0, tid = 0, budget = 30000000 + (int64_t)i * 10000000;
		int64_t funded = i == 0 ? budget : i == 3 ? 0 : budget / (i + 1);
		ctx_set_now(x, end - (int64_t)(150 - i * 20) * DAY);
		date_to_ymd(x->today, &year, &(int){0}, &(int){0});
		rc = db_insert(x->db, e, &pid,
			       "INSERT INTO projects (org_id, name, year, budget_fen, description, status, outcome, created_by,"
			       " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			       "isiisssz" "ss", d[i].id, arena_printf(x->a, "%s%s", d[i].name, names[i]), (int64_t)year,
			       budget, "一县一项目：市总工会立项支持", status[i],
			       i == 0 ? "已建成投用，培训困难职工 320 人次，实现就业 210 人" : NULL, x->who.id, x->now_s,
			       x->now_s);
		if (!rc)
			rc = new_account(x, d[i].id, "union", arena_printf(x->a, "%s项目资金", d[i].name), &acct, e);
		if (!rc && funded) { /* after the city's account was filled (demo_aid.c: 60 days ago) */
			ctx_set_now(x, end - (int64_t)(50 - i * 10) * DAY);
			rc = fund_transfer(x, city, acct, funded, "一县一项目拨款", &tid, e);
		}
		if (!rc && funded)
			rc = db_run(x->db, e, "INSERT INTO project_fundings (project_id, transfer_id, amount_fen, created_by,"
				    " created_at) VALUES (?, ?, ?, ?, ?)", "iiiz" "s", pid, tid, funded, x->who.id, x->now_s);
		if (!rc && funded)
			rc = db_run(x->db, e, "UPDATE projects SET funded_fen = ? WHERE id = ?", "ii", funded, pid);
	}
	return rc;
}

/* 30 referrals of active households, the first street's first (its users
 * see them): granted, refused, pending (half of those over 30 days) */
static int referrals(struct ctx *x, const char *street, int64_t end, int *nr, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e, "SELECT h.id, h.org_id FROM households h JOIN orgs o ON o.id = h.org_id"
				 " WHERE h.status = 'active' ORDER BY CASE WHEN o.path LIKE ? THEN 0 ELSE 1 END, h.id"
				 " LIMIT 30", "s", arena_printf(x->a, "%s%%", street));
	int64_t hh[30][2];
	int n = 0, rc = 0;
	while (s && n < 30 && db_step(s, e) == DB_ROW) {
		hh[n][0] = db_col_int(s, 0);
		hh[n++][1] = db_col_int(s, 1);
	}
	db_finalize(s);
	for (int i = 0; !rc && i < n; i++) {
		int st = i % 3; /* 0 pending, 1 granted, 2 refused */
		int back = st == 0 ? (i % 2 ? 45 + i : 3 + i % 20) : 60 + i * 3;
		ctx_set_now(x, end - (int64_t)back * DAY);
		const char *svc = services[i % 6][0];
		int64_t id = 0;
		rc = db_insert(x->db, e, &id,
			       "INSERT INTO agency_referrals (household_id, org_id, agency, service, referred_on, note,"
			       " created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			       "iisssszss", hh[i][0], hh[i][1], services[i % 6][1], svc, x->today_s, "协助准备申请材料",
			       x->who.id, x->now_s, x->now_s);
		if (!rc && st == 0 && back > 30)
			rc = db_run(x->db, e, "UPDATE agency_referrals SET followed_up_on = ?, follow_up_note = ? WHERE id = ?",
				    "ssi", x->today_s, "已电话询问，部门称材料在审", id);
		(*nr)++;
		if (rc || st == 0)
			continue;
		ctx_set_now(x, x->now + 20 * DAY);
		int dibao = st == 1 && !strcmp(svc, "dibao");
		const char *cert = dibao ? arena_printf(x->a, "民低保字%05d号", 2000 + i) : NULL;
		rc = db_run(x->db, e,
			    "UPDATE agency_referrals SET status = ?, decided_on = ?, amount_fen = ?, dibao_cert_no = ?,"
			    " outcome_note = ?, version = version + 1, updated_at = ? WHERE id = ?",
			    "ssz" "sssi", st == 1 ? "granted" : "refused", x->today_s, (int64_t)(dibao ? 93000 : 0), cert,
			    st == 1 ? "已办结" : "不符合条件", x->now_s, id);
		if (!rc && dibao)
			rc = db_run(x->db, e, "UPDATE households SET receives_dibao = 1, dibao_cert_no = ? WHERE id = ?",
				    "si", cert, hh[i][0]);
		if (!rc && dibao)
			rc = household_recompute(x, hh[i][0], e);
	}
	return rc;
}

int demo_outreach(struct ctx *x, struct err *e)
{
	const struct actor self = x->who;
	int64_t end = x->now;
	struct unit d[8];
	int nd = 0, na = 0, natt = 0, nr = 0;
	int rc = auth_load_actor(x, "city_finance", 0, e);
	if (!rc)
		rc = units(x, "district", d, 8, &nd, e);
	if (!rc)
		rc = activities(x, d, nd, end, &na, &natt, e);
	if (!rc)
		rc = projects(x, d, nd, end, e);
	if (!rc)
		rc = auth_load_actor(x, "city_staff", 0, e);
	if (!rc)
		rc = referrals(x, nd ? d[0].street_path : "/", end, &nr, e);
	x->who = self;
	ctx_set_now(x, end);
	if (!rc)
		printf("  外联活动 %d 场（参加 %d 户次），县区结对 2 对，一县一项目 %d 个，转介 %d 件\n", na, natt,
		       nd < 4 ? nd : 4, nr);
	return rc;
}
