/* demo.c — the demo city of `bangfu init --demo`: 4 districts, 12 streets,
 * 40 grassroots unions, a user of every role at city, district and street
 * level, and minimum living standards. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/orgs.h"
#include "services/setup.h"
#include "services/standards.h"
#include "services/users.h"

#define DEMO_PASSWORD "Demo2026pass"

static const char *const districts[4] = {"东湖区", "西山区", "南城区", "北江县"};
static const char *const streets[12] = {
	"湖滨街道", "东门街道", "望江街道", "西山街道", "枫林街道", "石桥镇",
	"南苑街道", "城南街道", "新港街道", "北江镇",   "临江街道", "白沙乡",
};
static const char *const firms[10] = {
	"第一机械厂", "纺织印染厂", "化工有限公司", "公交运输公司", "食品加工厂",
	"建筑工程公司", "环卫服务中心", "商贸有限公司", "电子元件厂", "物流有限公司",
};
static const enum role demo_roles[] = {ROLE_ADMIN,    ROLE_STAFF,   ROLE_REVIEWER,
				       ROLE_APPROVER, ROLE_FINANCE, ROLE_VIEWER};

/* Display names as they read in the trails: the unit, the post and a person,
 * e.g. "市总审核员 王丽" (the usernames stay city_reviewer and so on). */
static const char *const demo_posts[] = {"管理员", "经办员", "审核员", "审批员", "财务员", "查询员"};
static const char *const demo_people[3][6] = {
	{NULL, "陈静", "王丽", "刘建国", "赵敏", "孙伟"},
	{"周强", "吴芳", "郑海涛", "冯雪梅", "何磊", "许娟"},
	{"朱宏", "张晓燕", "李明", "黄志刚", "林霞", "徐斌"},
};

static int add_users(struct ctx *x, const char *prefix, const char *unit, int level, int64_t org,
		     int with_admin, struct err *e)
{
	for (size_t i = with_admin ? 0 : 1; i < sizeof demo_roles / sizeof demo_roles[0]; i++) {
		const char *user = arena_printf(x->a, "%s_%s", prefix, role_name(demo_roles[i]));
		const char *name = arena_printf(x->a, "%s%s %s", unit, demo_posts[i], demo_people[level][i]);
		int64_t id;
		int rc = user_add(x, user, name, org, role_name(demo_roles[i]), DEMO_PASSWORD, &id, e);
		if (rc)
			return rc;
		printf("  %-18s %-10s 密码：%s\n", user, role_label(demo_roles[i]), DEMO_PASSWORD);
	}
	return 0;
}

int demo_build(struct ctx *x, int64_t root, const char *region, struct err *e)
{
	int rc = 0, year;
	date_to_ymd(x->today, &year, &(int){0}, &(int){0});
	long base = strtol(region, NULL, 10) / 100 * 100; /* 330100 → districts 330102.. */
	printf("演示数据：\n");
	if ((rc = standard_set(x, root, year, 93000, e)) || (rc = standard_set(x, root, year - 1, 90000, e)))
		return rc;
	if ((rc = add_users(x, "city", "市总", 0, root, 0, e)))
		return rc;
	int firm = 0;
	for (int d = 0; d < 4; d++) {
		int64_t did;
		const char *code = arena_printf(x->a, "%06ld", base + 2 + d);
		rc = org_create(x, root, arena_printf(x->a, "%s总工会帮扶中心", districts[d]), LEVEL_DISTRICT,
				code, &did, e);
		if (!rc && d == 0)
			rc = add_users(x, "d1", districts[d], 1, did, 1, e);
		if (!rc && d == 3) /* a county with its own, lower standard */
			rc = standard_set(x, did, year, 78000, e);
		for (int s = 0; !rc && s < 3; s++) {
			int64_t sid;
			int si = d * 3 + s;
			rc = org_create(x, did, arena_printf(x->a, "%s%s工会服务站", districts[d], streets[si]),
					LEVEL_STREET, code, &sid, e);
			if (!rc && si == 0)
				rc = add_users(x, "s1", streets[si], 2, sid, 1, e);
			/* 40 grassroots unions over 12 streets: 4 in the first four, 3 elsewhere */
			int n = si < 4 ? 4 : 3;
			for (int g = 0; !rc && g < n; g++, firm++) {
				int64_t gid;
				rc = org_create(x, sid,
						arena_printf(x->a, "%s%s工会", streets[si], firms[firm % 10]),
						LEVEL_GRASSROOTS, code, &gid, e);
			}
		}
		if (rc)
			return rc;
	}
	return 0;
}
