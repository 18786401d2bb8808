#include "cli/cli.h"
#include "core/tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_parse(int argc, char **argv, const char *allowed, struct cli_opts *o)
{
	memset(o, 0, sizeof *o);
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-o")) /* API.md spells the output file -o */
			a = "--o";
		if (strncmp(a, "--", 2) || !a[2]) {
			if (o->nargs == CLI_MAX_OPTS)
				goto usage;
			o->args[o->nargs++] = a;
			continue;
		}
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		/* find name in allowed: comma separated, '=' suffix takes a value */
		const char *p = allowed;
		int takes = -1;
		while (p && *p) {
			const char *end = strchr(p, ',');
			size_t n = end ? (size_t)(end - p) : strlen(p);
			int val = n && p[n - 1] == '=';
			if (n - (size_t)val == len && !strncmp(p, name, len)) {
				takes = val;
				break;
			}
			p = end ? end + 1 : NULL;
		}
		if (takes < 0) {
			fprintf(stderr, "未知选项：%s\n", a);
			return 2;
		}
		if (o->n == CLI_MAX_OPTS)
			goto usage;
		if (len >= sizeof o->name[0])
			goto usage;
		memcpy(o->name[o->n], name, len);
		o->name[o->n][len] = '\0';
		if (takes) {
			if (eq)
				o->value[o->n] = eq + 1;
			else if (i + 1 < argc)
				o->value[o->n] = argv[++i];
			else {
				fprintf(stderr, "选项 --%.*s 需要一个值\n", (int)len, name);
				return 2;
			}
		} else if (eq) {
			fprintf(stderr, "选项 --%.*s 不带值\n", (int)len, name);
			return 2;
		}
		o->n++;
	}
	return 0;
usage:
	fprintf(stderr, "参数过多\n");
	return 2;
}

const char *cli_get(const struct cli_opts *o, const char *name)
{
	for (int i = o->n - 1; i >= 0; i--)
		if (!strcmp(o->name[i], name))
			return o->value[i];
	return NULL;
}

int cli_flag(const struct cli_opts *o, const char *name)
{
	for (int i = 0; i < o->n; i++)
		if (!strcmp(o->name[i], name))
			return 1;
	return 0;
}

int cli_open(const struct cli_opts *o, struct ctx *x, struct config *cfg, struct err *e)
{
	memset(x, 0, sizeof *x);
	cfg->db_url = cli_get(o, "db") ? cli_get(o, "db") : getenv("BANGFU_DB");
	if (!cfg->db_url || !*cfg->db_url)
		return err_set(e, E_USAGE, "未指定数据库：请用 --db 或环境变量 BANGFU_DB");
	cfg->clock_file = cli_get(o, "clock-file") ? cli_get(o, "clock-file")
						   : getenv("BANGFU_CLOCK_FILE");
	cfg->tz = cli_get(o, "tz") ? cli_get(o, "tz") : getenv("BANGFU_TZ");
	char why[200];
	if (tz_setup(cfg->tz, why, sizeof why))
		return err_set(e, E_USAGE, "--tz：%s", why);
	x->cfg = cfg;
	x->a = arena_new();
	x->client = "cli";
	ctx_as_system(x, "cli");
	int rc = ctx_set_clock(x, e);
	if (!rc)
		rc = db_open(cfg->db_url, &x->db, e);
	return rc;
}

void cli_close(struct ctx *x)
{
	db_close(x->db);
	arena_free(x->a);
	x->db = NULL;
	x->a = NULL;
}

int cli_fail(const struct err *e)
{
	fprintf(stderr, "bangfu: %s\n", e->msg[0] ? e->msg : err_default_msg(e->code));
	if (e->details) {
		json_t *fields = json_object_get(e->details, "fields");
		const char *k;
		json_t *v;
		json_object_foreach(fields, k, v)
			fprintf(stderr, "  %s：%s\n", k, json_string_value(v));
	}
	return err_exit_code(e->code);
}
