/* demo_services.c — demo employment services and partner cards: employers
 * and vacancies of the first street (so its users, the district's and the
 * city's all see them), job seekers (archived workers and
 * others, some in the "4050" group), referrals with every outcome (the
 * hired archived workers become exit suggestions), a training with
 * results, two job fairs; partners of each kind paid from the district's
 * account, cards for active households and purchases over the last two
 * months.  Outcomes, cards and purchases go through the real services as
 * the city's staff.  Deterministic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/idcard.h"
#include "services/auth.h"
#include "services/cards.h"
#include "services/employment.h"
#include "services/setup.h"

#define DAY 86400

static const char *const firms[6] = {"东湖物业服务有限公司", "湖滨家政服务中心", "望江超市连锁",
				     "城东保安服务公司", "东门汽车修理厂", "湖滨社区养老院"};
static const char *const jobs[10][2] = {
	{"物业维修工", "电工证优先"}, {"保洁员", "身体健康"}, {"家政服务员", "持家政证优先"},
	{"理货员", "能上夜班"}, {"收银员", "会用收银机"}, {"保安员", "55 岁以下"},
	{"汽修学徒", "肯吃苦"}, {"护理员", "持护理证优先"}, {"仓库管理员", "会电脑"},
	{"送餐员", "会骑电动车"},
};
static const char *const skills[5] = {"电工", "烹饪", "驾驶", "缝纫", "计算机操作"};
static const char *const kinds[4][3] = {
	{"shop", "东湖爱心超市", "8800"}, {"pharmacy", "东湖爱心大药房", "8000"},
	{"hospital", "东湖区人民医院（爱心门诊）", "7000"}, {"school", "东湖职业技术学校", "9000"},
};

/* A valid ID number of region `region`, born on `birth` (YYYYMMDD), sequence n. */
static const char *idn(struct ctx *x, const char *region, const char *birth, int n)
{
	char first[32];
	snprintf(first, sizeof first, "%.6s%.8s%03u", region, birth, (unsigned)n % 1000u);
	return arena_printf(x->a, "%s%c", first, idcard_check_char(first));
}

static int employment(struct ctx *x, int64_t unit, const char *region, int64_t end, int *out, struct err *e)
{
	int64_t emp[6], vac[10], seek[40];
	int ns = 0, rc = 0;
	ctx_set_now(x, end - 55 * DAY);
	for (int i = 0; !rc && i < 6; i++)
		rc = db_int(x->db, e, &emp[i], NULL, "INSERT INTO employers (org_id, name, industry, contact, phone,"
			    " created_at) VALUES (?, ?, '服务业', '人事部', '0571-86000000', ?) RETURNING id",
			    "iss", unit, firms[i], x->now_s);
	for (int i = 0; !rc && i < 10; i++)
		rc = db_int(x->db, e, &vac[i], NULL, "INSERT INTO vacancies (employer_id, org_id, title, positions,"
			    " wage_min_fen, wage_max_fen, requirements, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
			    " RETURNING id", "iisiiiss", emp[i % 6], unit, jobs[i][0], (int64_t)(1 + i % 4),
			    (int64_t)(250000 + i * 10000), (int64_t)(350000 + i * 20000), jobs[i][1], x->now_s);
	/* 25 archived workers of the district (active archives) and 15 others */
	struct db_stmt *s = rc ? NULL : db_q(x->db, e, "SELECT h.name, h.id_number, h.gender, h.birth_date FROM households h"
				 " JOIN orgs o ON o.id = h.org_id JOIN orgs d ON d.id = ? WHERE h.status = 'active'"
				 " AND o.path LIKE d.path || '%' ORDER BY h.id LIMIT 25", "i", unit);
	while (!rc && s && ns < 25 && db_step(s, e) == DB_ROW) {
		rc = db_int(x->db, e, &seek[ns], NULL,
			    "INSERT INTO job_seekers (org_id, name, id_number, gender, birth_date, skills, wishes,"
			    " certificates, created_at) VALUES (?, ?, ?, ?, ?, ?, '就近就业', '[\"再就业优惠证\"]', ?) RETURNING id",
			    "issssss", unit, db_col_text(s, 0), db_col_text(s, 1), db_col_text(s, 2), db_col_text(s, 3),
			    skills[ns % 5], x->now_s);
		ns++;
	}
	db_finalize(s);
	for (int i = 0; !rc && i < 15; i++) {
		const char *birth = i % 3 ? "19840512" : "19740830"; /* every third in the 4050 group */
		const char *id = idn(x, region, birth, 600 + i);
		struct idcard_info info;
		idcard_check(id, x->today, &info);
		char bd[11];
		date_format(info.birth, bd);
		rc = db_int(x->db, e, &seek[ns++], NULL,
			    "INSERT INTO job_seekers (org_id, name, id_number, gender, birth_date, skills, wishes,"
			    " created_at) VALUES (?, ?, ?, ?, ?, ?, '技能培训后就业', ?) RETURNING id",
			    "issssss", unit, arena_printf(x->a, "求职人员%02d", i + 1), id, info.male ? "male" : "female", bd,
			    skills[i % 5], x->now_s);
	}
	/* 30 referrals: hired (archived workers first), rejected, no_show, pending */
	static const char *const outcomes[5] = {"hired", "rejected", "no_show", "pending", "hired"};
	for (int i = 0; !rc && i < 30; i++) {
		int64_t rid = 0;
		ctx_set_now(x, end - (int64_t)(50 - i) * DAY);
		rc = db_insert(x->db, e, &rid, "INSERT INTO referrals (seeker_id, vacancy_id, org_id, date, created_by,"
			    " created_at) VALUES (?, ?, ?, ?, ?, ?)", "iiiszs",
			    seek[i % ns], vac[i % 10], unit, x->today_s, x->who.id, x->now_s);
		const char *oc = outcomes[i % 5];
		if (!rc && strcmp(oc, "pending")) {
			x->now += 7 * DAY;
			ctx_set_now(x, x->now);
			rc = referral_outcome(x, rid, oc, x->today_s, NULL, e);
		}
		out[0] += !rc;
	}
	/* a training course with results, two job fairs */
	int64_t tr = 0;
	ctx_set_now(x, end - 40 * DAY);
	char start[11], stop[11];
	date_format(x->today, start);
	date_format(x->today + 14, stop);
	if (!rc)
		rc = db_insert(x->db, e, &tr, "INSERT INTO trainings (org_id, name, provider, start_date, end_date,"
			    " capacity, created_at) VALUES (?, '家政服务员培训班', '东湖区职业技能培训中心', ?, ?, 20, ?)"
			    "", "isss", unit, start, stop, x->now_s);
	for (int i = 0; !rc && i < 12; i++) {
		const char *res = i < 8 ? "passed" : i < 10 ? "failed" : "pending";
		rc = db_run(x->db, e, "INSERT INTO enrolments (training_id, seeker_id, result, certificate, result_date,"
			    " created_at) VALUES (?, ?, ?, ?, ?, ?)", "iisss" "s", tr, seek[ns - 1 - i], res,
			    i < 8 ? "家政服务员（初级）" : NULL, i < 10 ? stop : NULL, x->now_s);
	}
	if (!rc)
		rc = db_run(x->db, e, "INSERT INTO job_fairs (org_id, name, date, place, employers, vacancies, visitors,"
			    " agreements, created_at) VALUES (?, '春风行动专场招聘会', ?, '东湖区工人文化宫', 46, 820, 2300, 310, ?),"
			    " (?, '就业援助月招聘会', ?, '湖滨街道广场', 18, 260, 640, 85, ?)",
			    "ississ", unit, start, x->now_s, unit, stop, x->now_s);
	out[1] = ns;
	return rc;
}

static int partner_cards(struct ctx *x, int64_t d1, int64_t end, int *out, struct err *e)
{
	int64_t account = 0, partner[4], cards[40];
	int n = 0, rc = db_int(x->db, e, &account, NULL, "SELECT MIN(id) FROM fund_accounts WHERE org_id = ?", "i", d1);
	ctx_set_now(x, end - 60 * DAY);
	for (int i = 0; !rc && i < 4; i++)
		rc = db_int(x->db, e, &partner[i], NULL, "INSERT INTO partners (org_id, name, kind, union_share_bp,"
			    " account_id, address, created_at) VALUES (?, ?, ?, ?, ?, '东湖区', ?) RETURNING id",
			    "issiis", d1, kinds[i][1], kinds[i][0], (int64_t)strtol(kinds[i][2], NULL, 10), account, x->now_s);
	struct db_stmt *s = rc ? NULL : db_q(x->db, e, "SELECT h.id FROM households h JOIN orgs o ON o.id = h.org_id"
				 " JOIN orgs d ON d.id = ? WHERE h.status = 'active' AND o.path LIKE d.path || '%'"
				 " ORDER BY h.id DESC LIMIT 40", "i", d1);
	int64_t hh[40];
	int nh = 0;
	while (s && nh < 40 && db_step(s, e) == DB_ROW)
		hh[nh++] = db_col_int(s, 0);
	db_finalize(s);
	for (int i = 0; !rc && i < nh; i++)
		if (!(rc = card_issue(x, hh[i], &cards[n], e)))
			n++;
	/* 120 purchases over the last two months, 20 to 300 yuan */
	for (int i = 0; !rc && n && i < 120; i++) {
		int64_t id = 0;
		ctx_set_now(x, end - (int64_t)(60 - i / 2) * DAY + 10 * 3600);
		rc = card_purchase(x, cards[(i * 7) % n], partner[i % 4], (int64_t)(2000 + (i * 2719) % 28000),
				   i % 4 == 1 ? "常用药品" : i % 4 == 0 ? "米、面、油" : "门诊费用", &id, e);
		out[1] += !rc;
	}
	out[0] = n;
	return rc;
}

int demo_services(struct ctx *x, struct err *e)
{
	const struct actor self = x->who;
	int64_t end = x->now, d1 = 0, s1 = 0;
	int jobs_n[2] = {0}, cards_n[2] = {0};
	const char *region = NULL;
	int rc = auth_load_actor(x, "city_staff", 0, e);
	struct db_stmt *s = rc ? NULL : db_q(x->db, e, "SELECT id, region_code FROM orgs WHERE level = 'district'"
				 " ORDER BY id LIMIT 1", "");
	if (s && db_step(s, e) == DB_ROW) {
		d1 = db_col_int(s, 0);
		region = arena_strdup(x->a, db_col_text(s, 1));
	}
	db_finalize(s);
	if (!rc && !region)
		rc = err_set(e, E_INTERNAL, "演示数据缺少区县");
	if (!rc)
		rc = db_int(x->db, e, &s1, NULL, "SELECT MIN(id) FROM orgs WHERE parent_id = ?", "i", d1);
	if (!rc)
		rc = employment(x, s1, region, end, jobs_n, e);
	if (!rc)
		rc = partner_cards(x, d1, end, cards_n, e);
	x->who = self;
	ctx_set_now(x, end);
	if (!rc)
		printf("  求职人员 %d 人，推荐 %d 次，培训班 1 期，招聘会 2 场；爱心合作单位 4 家，爱心卡 %d 张，消费 %d 笔\n",
		       jobs_n[1], jobs_n[0], cards_n[0], cards_n[1]);
	return rc;
}
