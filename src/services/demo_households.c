/* demo_households.c — about 2,000 demo households in every state, each
 * walked through the real workflow (create, submit, visit, verify,
 * publish, approve, enter, review, exit) by demo users, with the clock set
 * back to when each step would have happened.  Deterministic. */
#include <stdio.h>
#include <string.h>

#include "rules/household.h"
#include "core/tz.h"
#include "rules/idcard.h"
#include "services/auth.h"
#include "services/calendar.h"
#include "services/hh_workflow.h"
#include "services/households.h"
#include "services/setup.h"

#define DEMO_HOUSEHOLDS 2000
#define DAY 86400

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
				       "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"};
static const char *const given[] = {"建国", "秀英", "桂兰", "志强", "海燕", "国华", "丽娟", "永红",
				    "建华", "玉兰", "小军", "春梅", "德明", "淑珍", "红霞", "卫东",
				    "晓东", "美玲", "文斌", "金凤", "振华", "凤英", "保国", "翠花"};
static const char *const employers[] = {"第一机械厂", "纺织印染厂", "公交运输公司", "环卫服务中心",
					"食品加工厂", "建筑工程公司", "商贸有限公司", "灵活就业"};
static const char *const health[] = {"健康", "慢性病", "重病", "残疾", "健康", "健康"};

struct rng { uint64_t s; };
static uint32_t rnd(struct rng *r, uint32_t n)
{
	r->s = r->s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(r->s >> 33) % n;
}

static const char *make_id(struct ctx *x, const char *region, day_t birth, int seq)
{
	char first17[32], bd[11];
	date_format(birth, bd);
	snprintf(first17, sizeof first17, "%.6s%.4s%.2s%.2s%03u", region, bd, bd + 5, bd + 8,
		 (unsigned)seq % 1000u);
	return arena_printf(x->a, "%s%c", first17, idcard_check_char(first17));
}

struct actors { struct actor staff, reviewer, approver; };

static int load(struct ctx *x, const char *user, struct actor *out, struct err *e)
{
	int rc = auth_load_actor(x, user, 0, e);
	*out = x->who;
	return rc;
}

static int step(struct ctx *x, const struct actor *who, int64_t at, int64_t id, json_t *b,
		struct err *e)
{
	x->who = *who;
	ctx_set_now(x, at);
	int denied;
	int rc = hh_transition(x, id, b, &denied, e);
	json_decref(b);
	return rc;
}

/* *after: 09:00 local of the working day after the household's notice_end
 * (0 when it has none). */
static int notice_over(struct ctx *x, int64_t id, int64_t *after, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e, "SELECT notice_end FROM households WHERE id = ?", "i", id);
	if (!s)
		return -E_DB;
	int rc = db_step(s, e);
	day_t end;
	if (rc == DB_ROW && date_parse(db_col_text(s, 0), &end) == 0) {
		day_t next;
		rc = calendar_add_workdays(x, end, 1, &next, e);
		if (!rc)
			*after = tz_day_start(next) + 9 * 3600;
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

/* The six-monthly reviews (动态调整) of an archive entered at `entered`,
 * up to `until`: a centre that works does each in the weeks before it is
 * due; a few of those due in the last ten days are still to do. */
static int reviews(struct ctx *x, const struct actors *a, struct rng *g, int64_t id, int64_t entered,
		   int64_t until, int64_t end, struct err *e)
{
	day_t due = date_add_months(tz_day(entered), 6), last = tz_day(end);
	int64_t prev = entered;
	while (due <= last) {
		if (due > last - 10 && rnd(g, 3) == 0)
			return 0; /* due these days, not yet done */
		int64_t at = tz_day_start(due - (day_t)rnd(g, 15)) + (int64_t)(9 + rnd(g, 8)) * 3600;
		if (at <= prev)
			at = prev + 3600;
		if (at >= until || at >= end)
			return 0;
		int rc = step(x, rnd(g, 2) ? &a->staff : &a->reviewer, at, id,
			      json_pack("{s:s,s:s}", "action", "review", "comment", "定期复核：家庭收入与人口无明显变化"), e);
		if (rc)
			return rc;
		prev = at;
		due = date_add_months(tz_day(at), 6);
	}
	return 0;
}

/* Target state of household i: the mix a real centre has. */
static enum hh_status target(uint32_t roll)
{
	if (roll < 55) return HS_ACTIVE;
	if (roll < 66) return HS_EXITED;
	if (roll < 71) return HS_DRAFT;
	if (roll < 76) return HS_SUBMITTED;
	if (roll < 81) return HS_VERIFIED;
	if (roll < 87) return HS_IN_NOTICE;
	if (roll < 91) return HS_APPROVED;
	return HS_REJECTED;
}

static int one(struct ctx *x, const struct actors *a, struct rng *g, int i, int64_t org,
	       const char *region, int64_t end, struct err *e)
{
	enum hh_status want = target(rnd(g, 100));
	/* recent states start recently; archives up to two years back */
	int span = want == HS_ACTIVE || want == HS_EXITED ? 700 : 40;
	int64_t t = end - (int64_t)(rnd(g, span) + 12) * DAY + 9 * 3600;
	if (want == HS_IN_NOTICE) /* published these last days: most notices still running */
		t = end - (int64_t)(rnd(g, 6) + 4) * DAY + 9 * 3600;
	day_t today = ts_day(end);
	json_t *members = json_array();
	int nm = (int)rnd(g, 4);
	for (int m = 0; m < nm; m++) {
		int rel = m == 0 ? REL_SPOUSE : (m == 3 ? REL_PARENT : REL_CHILD);
		int age = rel == REL_CHILD ? 4 + (int)rnd(g, 18) : rel == REL_PARENT ? 65 + (int)rnd(g, 20) : 35 + (int)rnd(g, 20);
		int stage = rel != REL_CHILD ? SCHOOL_NONE : age < 6 ? SCHOOL_PRESCHOOL : age < 12 ? SCHOOL_PRIMARY
			  : age < 15 ? SCHOOL_JUNIOR : age < 18 ? (rnd(g, 3) ? SCHOOL_SENIOR : SCHOOL_VOCATIONAL) : SCHOOL_UNIVERSITY;
		day_t birth = today - age * 365 - (day_t)rnd(g, 300);
		json_array_append_new(members, json_pack(
			"{s:s,s:s,s:s,s:I,s:s,s:s,s:b}", "name",
			arena_printf(x->a, "%s%s", surnames[rnd(g, 20)], given[rnd(g, 24)]), "id_number",
			make_id(x, region, birth, 3 * i + m + 1), "relation", relation_name(rel),
			"monthly_income_fen", (json_int_t)(rel == REL_SPOUSE ? rnd(g, 2) * 120000 : 0),
			"health", health[rnd(g, 6)], "school_stage", school_name(stage), "disability",
			rnd(g, 10) == 0));
	}
	const char *causes[] = {"illness_self", "illness_family", "disability_self", "education",
				"unemployment", "low_income", "single_parent", "accident", "work_injury"};
	json_t *cz = json_array();
	json_array_append_new(cz, json_string(causes[rnd(g, 9)]));
	if (rnd(g, 2))
		json_array_append_new(cz, json_string("low_income"));
	day_t wbirth = today - (30 + (day_t)rnd(g, 28)) * 365 - (day_t)rnd(g, 360);
	json_t *b = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:o,s:o,s:s,s:b,s:b}",
		"org_id", (json_int_t)org,
		"name", arena_printf(x->a, "%s%s", surnames[rnd(g, 20)], given[rnd(g, 24)]),
		"id_number", make_id(x, region, wbirth, 3 * i),
		"phone", arena_printf(x->a, "13%09u", 100000000u + rnd(g, 899999999u)),
		"employer", employers[rnd(g, 8)],
		"address", arena_printf(x->a, "%s%u号", "幸福路", 1 + rnd(g, 300)),
		"monthly_income_fen", (json_int_t)(rnd(g, 5) * 45000 + rnd(g, 40000)),
		"causes", cz, "members", members,
		"living_conditions", "家庭生活困难，收入来源单一", "migrant_worker", rnd(g, 6) == 0,
		"model_worker", rnd(g, 40) == 0);
	x->who = a->staff;
	ctx_set_now(x, t);
	int64_t id = 0;
	/* an unlucky random ID number is refused part way: undo all of it */
	int rc = db_exec(x->db, "SAVEPOINT demo_hh", e);
	if (!rc)
		rc = household_create(x, b, &id, e);
	json_decref(b);
	if (rc == -E_DUPLICATE_ID_NUMBER) {
		struct err ignore = {0};
		db_exec(x->db, "ROLLBACK TO SAVEPOINT demo_hh", &ignore);
		db_exec(x->db, "RELEASE SAVEPOINT demo_hh", &ignore);
		err_clear(&ignore);
		return rc;
	}
	if (!rc)
		rc = db_exec(x->db, "RELEASE SAVEPOINT demo_hh", e);
	if (rc)
		return rc;
	if (want == HS_DRAFT)
		return 0;
	if ((rc = step(x, &a->staff, t + 3600, id, json_pack("{s:s}", "action", "submit"), e)))
		return rc;
	if (want == HS_SUBMITTED)
		return 0;
	x->who = a->staff;
	ctx_set_now(x, t + DAY);
	int64_t vid;
	json_t *v = json_pack("{s:s,s:s,s:s,s:s}", "date", x->today_s, "kind", "verification",
			      "visitor", a->reviewer.name, "notes", "入户核查：家庭情况属实");
	rc = hh_visit_add(x, id, v, &vid, e);
	json_decref(v);
	if (rc)
		return rc;
	if (want == HS_REJECTED)
		return step(x, &a->reviewer, t + 2 * DAY, id,
			    json_pack("{s:s,s:s}", "action", "reject", "comment", "收入证明材料不全，请补充后重新提交"), e);
	const char *cats[] = {"dibao", "marginal", "accident", "none"};
	if ((rc = step(x, &a->reviewer, t + 2 * DAY, id,
		       json_pack("{s:s,s:s}", "action", "verify", "category", cats[rnd(g, 3)]), e)))
		return rc;
	if (want == HS_VERIFIED)
		return 0;
	if ((rc = step(x, &a->staff, t + 3 * DAY, id, json_pack("{s:s}", "action", "publish"), e)))
		return rc;
	/* the approver acts the working morning after the notice period, which
	 * holidays may stretch (RULE archive.notice) */
	int64_t ta = t + 11 * DAY, after = 0;
	if ((rc = notice_over(x, id, &after, e)))
		return rc;
	if (after > ta)
		ta = after;
	if (want == HS_IN_NOTICE || ta >= end - 3600)
		return 0;
	if ((rc = step(x, &a->approver, ta, id, json_pack("{s:s}", "action", "approve"), e)))
		return rc;
	if (want == HS_APPROVED)
		return 0;
	int64_t entered = ta + 3600;
	if ((rc = step(x, &a->staff, entered, id, json_pack("{s:s}", "action", "enter"), e)))
		return rc;
	if (rnd(g, 3) == 0) { /* holiday condolence visit (两节送温暖) */
		x->who = a->staff;
		ctx_set_now(x, entered + 9 * DAY < end ? entered + 9 * DAY : end - 3600);
		v = json_pack("{s:s,s:s,s:s,s:s}", "date", x->today_s, "kind", "condolence", "visitor",
			      a->staff.name, "notes", "走访慰问，送去慰问金和米面油");
		rc = hh_visit_add(x, id, v, &vid, e);
		json_decref(v);
		if (rc)
			return rc;
	}
	if (rnd(g, 5) == 0) { /* pairing: a cadre with a plan for this household (一户一法) */
		char start[11];
		date_format(ts_day(t) + 12, start);
		rc = db_run(x->db, e,
			    "INSERT INTO pairings (household_id, cadre_name, cadre_unit, plan, visits_per_year,"
			    " start_date, created_by, created_at) VALUES (?, ?, ?, ?, 2, ?, ?, ?)",
			    "issssis", id, arena_printf(x->a, "%s%s", surnames[rnd(g, 20)], given[rnd(g, 24)]),
			    "市总工会机关", "每季度电话联系一次，协助申请助学与医疗救助，推荐就业岗位", start,
			    a->staff.id, x->now_s);
		if (rc)
			return rc;
	}
	int64_t when = end;
	if (want == HS_EXITED) {
		when = t + (int64_t)(30 + rnd(g, 300)) * DAY;
		if (when > end - 3600)
			when = end - 3600;
		if (when <= entered) /* never exit before entering */
			when = entered + 3600;
	}
	if ((rc = reviews(x, a, g, id, entered, when, end, e)))
		return rc;
	if (want == HS_EXITED)
		return step(x, &a->approver, when, id,
			    json_pack("{s:s,s:s}", "action", "exit", "exit_reason", "实现再就业，家庭收入稳定，解困脱困"), e);
	return 0;
}

int demo_households(struct ctx *x, struct err *e)
{
	struct actors a;
	const struct actor self = x->who;
	int64_t end = x->now;
	int rc;
	if ((rc = load(x, "city_staff", &a.staff, e)) || (rc = load(x, "city_reviewer", &a.reviewer, e)) ||
	    (rc = load(x, "city_approver", &a.approver, e)))
		return rc;
	/* the units a household can belong to: streets and grassroots unions */
	struct db_stmt *s = db_q(x->db, e, "SELECT id, region_code FROM orgs WHERE level IN ('street', 'grassroots')"
					   " ORDER BY id", "");
	int64_t orgs[128];
	const char *regions[128];
	int n = 0;
	while (s && n < 128 && db_step(s, e) == DB_ROW) {
		orgs[n] = db_col_int(s, 0);
		regions[n++] = arena_strdup(x->a, db_col_text(s, 1));
	}
	db_finalize(s);
	if (!n)
		return err_set(e, E_INTERNAL, "演示数据：没有街道或基层单位");
	struct rng g = {20261123};
	int made = 0;
	for (int i = 0; i < DEMO_HOUSEHOLDS; i++) {
		int k = (int)rnd(&g, (uint32_t)n);
		rc = one(x, &a, &g, i, orgs[k], regions[k], end, e);
		if (rc == -E_DUPLICATE_ID_NUMBER) { /* an unlucky random ID: skip it */
			err_clear(e);
			continue;
		}
		if (rc)
			return rc;
		made++;
	}
	x->who = self;
	ctx_set_now(x, end);
	printf("  困难职工家庭档案 %d 户（各流程状态均有）\n", made);
	return 0;
}
