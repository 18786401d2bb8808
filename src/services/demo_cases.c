/* demo_cases.c — about 360 demo reception cases over the last five months
 * across the streets: every channel and category, every status, some
 * overdue, some referred, wage arrears with money recovered.  Each street
 * station gets a 经办人 to handle them (same password as the other demo
 * users).  Walked through the real services with the clock set back to
 * when each step would have happened.  Deterministic. */
#include <stdio.h>
#include <string.h>

#include "rules/case_flow.h"
#include "services/auth.h"
#include "services/cases.h"
#include "services/setup.h"

#define DEMO_CASES 360
#define DAY 86400

static uint32_t roll(uint64_t *s, uint32_t n)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*s >> 33) % n;
}

static const char *const names[] = {"孙立新", "周桂芳", "吴建军", "郑秀兰", "冯志刚", "陈小燕",
				    "褚国强", "卫红梅", "蒋德福", "沈丽华", "韩永生", "杨春花"};
static const char *const units[] = {"某建筑劳务公司", "城东物流有限公司", "宏达服装厂", "新城物业服务公司",
				    "顺发餐饮有限公司", "恒远电子厂"};
static const char *const agencies[] = {"区人力资源和社会保障局劳动保障监察大队", "区劳动人事争议仲裁委员会",
				       "区法律援助中心", "区信访局", "市总工会法律服务中心"};
static const char *const subjects[CC__MAX][2] = {
	[CC_PETITION] = {"反映企业改制中身份置换补偿问题", "反映单位未缴纳社会保险"},
	[CC_CONSULTATION] = {"咨询困难职工建档条件", "咨询金秋助学申请材料"},
	[CC_LEGAL_AID] = {"申请工伤赔偿法律援助", "申请劳动合同纠纷代理"},
	[CC_WAGE_ARREARS] = {"农民工讨要拖欠工资", "企业拖欠三个月工资"},
	[CC_LABOUR_DISPUTE] = {"解除劳动合同经济补偿争议", "加班费争议调解"},
	[CC_OTHER] = {"反映职工生活困难", "求助子女入学问题"},
};

/* weights in per cent, in enum order */
static const int channel_w[CH__MAX] = {35, 40, 10, 15};
static const int category_w[CC__MAX] = {12, 30, 15, 20, 15, 8};

static int pick(uint64_t *s, const int *w, int n)
{
	int r = (int)roll(s, 100);
	for (int i = 0; i < n; i++)
		if ((r -= w[i]) < 0)
			return i;
	return n - 1;
}

/* A staff user for every street station that has none. */
static int street_staff(struct ctx *x, struct err *e)
{
	return db_run(x->db, e,
		      "INSERT INTO users (username, name, org_id, role, password_hash, created_at)"
		      " SELECT 'street' || CAST(o.id AS TEXT) || '_staff', o.name || '经办人', o.id, 'staff',"
		      " (SELECT password_hash FROM users WHERE username = 's1_staff'), ?"
		      " FROM orgs o WHERE o.level = 'street' AND NOT EXISTS (SELECT 1 FROM users u"
		      " WHERE u.org_id = o.id AND u.role = 'staff')",
		      "s", x->now_s);
}

static int act(struct ctx *x, int64_t at, int64_t id, json_t *b, struct err *e)
{
	int denied;
	ctx_set_now(x, at);
	int rc = case_act(x, id, b, &denied, e);
	json_decref(b);
	return rc;
}

/* One case of street `org` received `days` days before `end`, walked
 * towards a target drawn from the mix below as far as the clock allows. */
static int one(struct ctx *x, uint64_t *g, int64_t org, int64_t staff, int64_t hid, int64_t end, int days,
	       struct err *e)
{
	int cat = pick(g, category_w, CC__MAX), ch = pick(g, channel_w, CH__MAX);
	int64_t t = end - (int64_t)days * DAY - 6 * 3600 + (int64_t)roll(g, 8) * 3600;
	json_t *b = json_pack("{s:I, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)org, "channel", case_channel_name(ch),
			      "category", case_category_name(cat), "subject", subjects[cat][roll(g, 2)],
			      "description", "来访（来电）人陈述情况，经办人登记");
	if (hid)
		json_object_set_new(b, "household_id", json_integer(hid));
	else
		json_object_update_missing_new(b, json_pack("{s:s, s:s, s:s, s:b}", "person_name", names[roll(g, 12)],
							   "phone", "13905710000", "work_unit", units[roll(g, 6)],
							   "migrant_worker", (int)roll(g, 2)));
	int64_t id = 0;
	ctx_set_now(x, t);
	int rc = case_create(x, b, &id, e);
	json_decref(b);
	/* target: 8 % received, 12 % assigned, 15 % in progress, 15 % resolved,
	 * 38 % closed, 12 % referred */
	uint32_t r = roll(g, 100);
	int target = r < 8 ? CS_RECEIVED : r < 20 ? CS_ASSIGNED : r < 35 ? CS_IN_PROGRESS
		   : r < 50 ? CS_RESOLVED : r < 88 ? CS_CLOSED : CS_REFERRED;
	/* older cases are finished but for a handful still open (overdue) */
	if (days > 12 && target <= CS_IN_PROGRESS && roll(g, 100) < 96)
		target = CS_CLOSED;
	int64_t at[4] = {t + DAY / 4, t + DAY, t + (int64_t)(3 + roll(g, 15)) * DAY, 0};
	at[3] = at[2] + 2 * DAY;
	if (target == CS_REFERRED)
		return rc || at[0] > end ? rc
		       : act(x, at[0], id, json_pack("{s:s, s:s}", "action", "refer", "referred_to", agencies[roll(g, 5)]), e);
	if (!rc && target >= CS_ASSIGNED && at[0] <= end)
		rc = act(x, at[0], id, json_pack("{s:s, s:I}", "action", "assign", "assigned_to", (json_int_t)staff), e);
	if (!rc && target >= CS_IN_PROGRESS && at[1] <= end)
		rc = act(x, at[1], id, json_pack("{s:s}", "action", "start"), e);
	if (!rc && target >= CS_RESOLVED && at[2] <= end) {
		json_t *res = json_pack("{s:s, s:s}", "action", "resolve", "result", "已依法依规办理并答复当事人");
		if (cat == CC_WAGE_ARREARS)
			json_object_set_new(res, "recovered_fen", json_integer((json_int_t)(5 + roll(g, 400)) * 10000));
		rc = act(x, at[2], id, res, e);
	}
	if (!rc && target >= CS_CLOSED && at[3] <= end)
		rc = act(x, at[3], id, json_pack("{s:s, s:s}", "action", "close", "comment", "回访当事人，满意"), e);
	return rc;
}

int demo_cases(struct ctx *x, struct err *e)
{
	const struct actor self = x->who;
	int64_t end = x->now;
	int rc = street_staff(x, e);
	if (!rc)
		rc = auth_load_actor(x, "city_staff", 0, e);
	if (rc)
		return rc;
	int64_t org[16], staff[16];
	const char *path[16];
	int n = 0;
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT o.id, o.path, (SELECT MIN(u.id) FROM users u WHERE u.org_id = o.id"
				 " AND u.role = 'staff') FROM orgs o WHERE o.level = 'street' ORDER BY o.id", "");
	while (s && n < 16 && db_step(s, e) == DB_ROW) {
		org[n] = db_col_int(s, 0);
		path[n] = arena_printf(x->a, "%s%%", db_col_text(s, 1));
		staff[n++] = db_col_int(s, 2);
	}
	db_finalize(s);
	if (!n)
		return err_set(e, E_INTERNAL, "演示数据：没有街道");
	uint64_t g = 20261124;
	for (int i = 0; !rc && i < DEMO_CASES; i++) {
		int k = (int)roll(&g, (uint32_t)n), found = 0;
		int64_t hid = 0;
		/* 40 % are archived workers of the street */
		if (roll(&g, 100) < 40 &&
		    (rc = db_int(x->db, e, &hid, &found,
				 "SELECT h.id FROM households h JOIN orgs o ON o.id = h.org_id WHERE o.path LIKE ?"
				 " AND h.status = 'active' ORDER BY h.id LIMIT 1 OFFSET ?",
				 "si", path[k], (int64_t)roll(&g, 20))))
			break;
		rc = one(x, &g, org[k], staff[k], found ? hid : 0, end, 150 - i * 150 / DEMO_CASES, e);
	}
	x->who = self;
	ctx_set_now(x, end);
	if (!rc)
		printf("  信访接待与维权个案 %d 件（各渠道、类别、状态均有）；各街道经办人 street<单位编号>_staff，密码同上\n",
		       DEMO_CASES);
	return rc;
}
