#include "ctx.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/tz.h"

int ctx_set_clock(struct ctx *x, struct err *e)
{
	int64_t now = (int64_t)time(NULL);
	if (x->cfg && x->cfg->clock_file) {
		char line[128] = "";
		FILE *f = fopen(x->cfg->clock_file, "r");
		if (!f)
			return err_set(e, E_INTERNAL, "无法读取时钟文件 %s", x->cfg->clock_file);
		if (!fgets(line, sizeof line, f))
			line[0] = '\0';
		fclose(f);
		line[strcspn(line, "\r\n")] = '\0';
		if (ts_parse(line, &now) != 0)
			return err_set(e, E_INTERNAL, "时钟文件内容无效：%s", line);
	}
	ctx_set_now(x, now);
	return 0;
}

void ctx_set_now(struct ctx *x, int64_t now)
{
	x->now = now;
	ts_format(now, x->now_s);
	x->today = tz_day(now); /* the server's zone: API.md "General" */
	date_format(x->today, x->today_s);
}

void ctx_as_system(struct ctx *x, const char *name)
{
	x->who.org_path = "/";
	x->who.role = ROLE_ADMIN;
	x->who.username = name;
}

const char *ctx_scope_like(struct ctx *x)
{
	return arena_printf(x->a, "%s%%", x->who.org_path ? x->who.org_path : "/");
}

static const struct {
	const char *name, *label;
} levels[LEVEL__MAX] = {
	[LEVEL_CITY] = {"city", "市级"},
	[LEVEL_DISTRICT] = {"district", "区县级"},
	[LEVEL_STREET] = {"street", "街道（乡镇）级"},
	[LEVEL_GRASSROOTS] = {"grassroots", "基层工会"},
};
_Static_assert(sizeof levels / sizeof levels[0] == LEVEL__MAX, "one entry per level");

int level_parse(const char *s)
{
	for (int i = 0; s && i < LEVEL__MAX; i++)
		if (!strcmp(s, levels[i].name))
			return i;
	return -1;
}

const char *level_name(enum org_level l) { return (unsigned)l < LEVEL__MAX ? levels[l].name : "?"; }
const char *level_label(enum org_level l) { return (unsigned)l < LEVEL__MAX ? levels[l].label : "?"; }
