/* demo_found.c — the demo of API.md "Found early": an informant (信息员)
 * of a grassroots union under the first street with a dozen clues (some
 * resolved, on time or late, some open and overdue), emergency aid paid to
 * people without an archive (one followed up, one overdue for its follow-
 * up), a monitoring visit and a reopened archive.  The demo exits of
 * demo_households.c already keep their archives under watch.  Walked
 * through the real services with the clock set back.  Deterministic. */
#include <stdio.h>
#include <string.h>

#include "rules/idcard.h"
#include "services/applications.h"
#include "services/auth.h"
#include "services/clues.h"
#include "services/emergency.h"
#include "services/hh_workflow.h"
#include "services/setup.h"

#define DAY 86400

static const char *const names[] = {"马春燕", "刘德华", "葛秀英", "孔令军", "曹玉兰", "严志勇",
				    "华美玲", "金福生", "魏淑珍", "陶建平", "姜丽萍", "戚国栋"};
static const char *const situations[] = {
	"丈夫突发脑梗住院，家中无其他收入，两个孩子上学",
	"家中失火，房屋和生活用品大部分烧毁",
	"本人在工地受伤，停工三个月，工伤认定尚未完成",
	"企业停产，夫妻二人同时失业，老人长期服药",
	"孩子患白血病，已花费医疗费二十余万元",
	"单亲母亲，企业欠薪半年，房租已拖欠",
};
static const char *const causes[] = {"illness_family", "disaster", "work_injury", "unemployment",
				     "illness_family", "single_parent"};

/* A valid ID number of region 330102, born in 1970 + i % 20. */
static const char *person_id(struct ctx *x, int i)
{
	char first17[32];
	snprintf(first17, sizeof first17, "330102%04d%02d%02d%03d", 1970 + i % 20, 1 + i % 12, 1 + i % 27,
		 (901 + 2 * i) % 1000);
	return arena_printf(x->a, "%s%c", first17, idcard_check_char(first17));
}

static int as(struct ctx *x, const char *user, int64_t at, struct err *e)
{
	ctx_set_now(x, at);
	return auth_load_actor(x, user, 0, e);
}

static int app_step(struct ctx *x, const char *user, int64_t at, int64_t id, json_t *b, struct err *e)
{
	int denied, rc = as(x, user, at, e);
	if (!rc)
		rc = application_transition(x, id, b, &denied, e);
	json_decref(b);
	return rc;
}

static int informant(struct ctx *x, int64_t *org, const char **path, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT g.id, g.name, g.path FROM orgs g JOIN users u ON u.org_id = g.parent_id"
				 " WHERE u.username = 's1_staff' AND g.level = 'grassroots' ORDER BY g.id LIMIT 1", "");
	const char *name = NULL;
	if (s && db_step(s, e) == DB_ROW) {
		*org = db_col_int(s, 0);
		name = arena_strdup(x->a, db_col_text(s, 1));
		*path = arena_printf(x->a, "%s%%", db_col_text(s, 2));
	}
	db_finalize(s);
	if (!name)
		return err_set(e, E_INTERNAL, "演示数据：第一个街道下没有基层工会");
	int rc = db_run(x->db, e,
			"INSERT INTO users (username, name, org_id, role, password_hash, created_at)"
			" SELECT 'g1_informant', ?, ?, 'informant', password_hash, ? FROM users WHERE username = 's1_staff'",
			"sis", arena_printf(x->a, "%s信息员 王小红", name), *org, x->now_s);
	return rc;
}

static int clues(struct ctx *x, int64_t org, int64_t end, struct err *e)
{
	static const int back[] = {24, 20, 17, 14, 12, 10, 8, 6, 4, 2, 1, 0};
	int rc = 0;
	for (int i = 0; !rc && i < 12; i++) {
		json_t *b = json_pack("{s:I, s:s, s:s?, s:s, s:s, s:s, s:[s]}", "org_id", (json_int_t)org, "name", names[i],
				      "id_number", i % 3 ? person_id(x, 40 + i) : NULL, "phone", "13905712345",
				      "address", "湖滨街道某小区", "situation", situations[i % 6], "causes", causes[i % 6]);
		int64_t id = 0;
		if (!(rc = as(x, "g1_informant", end - back[i] * DAY - 5 * 3600, e)))
			rc = clue_create(x, b, &id, e);
		json_decref(b);
		/* the older ones resolved (two of them late), two left open past their due date */
		if (rc || back[i] < 8 || i == 4 || i == 5)
			continue;
		static const char *const outcome[] = {"referred", "not_in_difficulty", "referred", "duplicate"};
		json_t *r = json_pack("{s:s, s:s}", "outcome", outcome[i % 4], "comment", "经入户核实后处理");
		if (!(rc = as(x, "s1_staff", end - (back[i] - (i % 2 ? 9 : 2)) * DAY, e)))
			rc = clue_resolve(x, id, r, e);
		json_decref(r);
	}
	return rc;
}

/* Four emergency applications: submitted; paid 40 days ago, not followed
 * up (overdue); paid 35 days ago, closed after the follow-up; paid 5 days ago. */
static int emergency(struct ctx *x, int64_t org, int64_t end, struct err *e)
{
	int64_t acct = 0;
	int rc = db_int(x->db, e, &acct, NULL, "SELECT MIN(id) FROM fund_accounts WHERE org_id = 1", "");
	static const int back[] = {1, 40, 35, 5};
	for (int i = 0; !rc && i < 4; i++) {
		int64_t t = end - back[i] * DAY - 6 * 3600, id = 0;
		json_t *b = json_pack("{s:s, s:I, s:{s:s, s:s, s:s, s:s}, s:I, s:s, s:[s]}", "program_code", "emergency",
				      "org_id", (json_int_t)org, "person", "name", names[6 + i], "id_number", person_id(x, i),
				      "phone", "13600571234", "address", "湖滨街道某村", "requested_fen", (json_int_t)100000,
				      "reason", situations[i + 1], "documents", "身份证");
		if (!(rc = as(x, "city_staff", t, e)))
			rc = application_create(x, b, &id, e);
		json_decref(b);
		if (rc == -E_NOT_ELIGIBLE) { /* a demo archive holds the number: skip */
			err_clear(e);
			rc = 0;
			continue;
		}
		if (rc || back[i] < 5)
			continue;
		if (!(rc = app_step(x, "city_reviewer", t + 3600, id, json_pack("{s:s}", "action", "verify"), e)) &&
		    !(rc = app_step(x, "city_approver", t + 7200, id, json_pack("{s:s}", "action", "approve"), e)))
			rc = app_step(x, "city_finance", t + DAY, id,
				      json_pack("{s:s, s:I}", "action", "disburse", "account_id", (json_int_t)acct), e);
		if (!rc && back[i] == 35 && !(rc = as(x, "city_staff", end - 4 * DAY, e))) {
			json_t *f = json_pack("{s:s, s:s}", "outcome", "closed", "comment", "已回访：伤愈返岗，收入恢复，无需建档");
			rc = emergency_follow_up(x, id, f, e);
			json_decref(f);
		}
	}
	return rc;
}

/* A monitoring visit on one watched archive, and one exited archive reopened. */
static int watch(struct ctx *x, int64_t end, struct err *e)
{
	int64_t seen = 0, back = 0;
	int found = 0, rc = as(x, "city_staff", end - DAY, e);
	if (!rc)
		rc = db_int(x->db, e, &seen, &found,
			    "SELECT MIN(id) FROM households WHERE status = 'exited' AND monitor_until >= ?"
			    " AND next_review_date <= ?", "ss", x->today_s, x->today_s);
	if (!rc && found && seen) {
		json_t *v = json_pack("{s:s, s:s, s:s, s:s}", "date", x->today_s, "kind", "monitoring", "visitor",
				      "市总经办员 陈静", "notes", "回访：家庭收入稳定，未返困");
		int64_t vid = 0;
		rc = hh_visit_add(x, seen, v, &vid, e);
		json_decref(v);
	}
	if (!rc)
		rc = db_int(x->db, e, &back, &found,
			    "SELECT MAX(id) FROM households WHERE status = 'exited' AND monitor_until >= ?", "s",
			    x->today_s);
	if (!rc && found && back && back != seen) {
		json_t *b = json_pack("{s:s, s:s}", "action", "reopen", "comment", "监测走访发现：家属患病，返困，重新启用原档案");
		int denied;
		rc = hh_transition(x, back, b, &denied, e);
		json_decref(b);
		if (rc == -E_DUPLICATE_ID_NUMBER) { /* a member has been archived again since */
			err_clear(e);
			rc = 0;
		}
	}
	return rc;
}

int demo_found(struct ctx *x, struct err *e)
{
	const struct actor self = x->who;
	int64_t end = x->now, org = 0, street = 0;
	const char *path = NULL;
	int rc = informant(x, &org, &path, e);
	if (!rc)
		rc = db_int(x->db, e, &street, NULL, "SELECT org_id FROM users WHERE username = 's1_staff'", "");
	if (!rc)
		rc = clues(x, org, end, e);
	if (!rc)
		rc = emergency(x, street, end, e);
	if (!rc)
		rc = watch(x, end, e);
	x->who = self;
	ctx_set_now(x, end);
	if (!rc)
		printf("  信息员 g1_informant（基层工会，只能上报和查看本人线索），密码同上；线索 12 条、临时救助 4 件、"
		       "退出后监测户\n");
	return rc;
}
