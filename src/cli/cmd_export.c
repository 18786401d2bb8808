/* cmd_export.c — files from the command line, as the system actor:
 *   bangfu report quarterly --db URL --org-id ID --period YYYYQn --format json|xlsx|pdf -o FILE
 *   bangfu export households --db URL --org-id ID [--status S] [--format xlsx|csv] -o FILE
 * The same service functions as GET /reports/quarterly(.xlsx) and
 * GET /households.xlsx. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "render/pdf_report.h"
#include "rules/period.h"
#include "services/exports.h"
#include "services/reports.h"
#include "store/migrate.h"

#define OPTS "db=,clock-file=,tz=,help,org-id=,format=,o=,output="

static int64_t org_opt(const struct cli_opts *o)
{
	const char *s = cli_get(o, "org-id");
	char *end = NULL;
	long long v = s && *s ? strtoll(s, &end, 10) : 0;
	return end && !*end && v > 0 ? (int64_t)v : 0;
}

static const char *out_opt(const struct cli_opts *o)
{
	return cli_get(o, "o") ? cli_get(o, "o") : cli_get(o, "output");
}

/* Opens the database in a read transaction (one snapshot for the whole
 * file on PostgreSQL as well). */
static int open_read(const struct cli_opts *o, struct ctx *x, struct err *e)
{
	static struct config cfg; /* x->cfg points here: one command per process */
	int rc = cli_open(o, x, &cfg, e);
	if (!rc)
		rc = migrate_check(x->db, e);
	if (!rc)
		rc = db_begin(x->db, 0, e);
	return rc;
}

/* The file is written beside its destination and renamed into place on
 * success: a failure leaves neither a half-written file nor a missing old one. */
static int done(struct ctx *x, struct err *e, int rc, const char *tmp, const char *path)
{
	if (!rc && tmp && rename(tmp, path) != 0)
		rc = err_set(e, E_INTERNAL, "无法写入文件 %s", path);
	if (rc && tmp)
		unlink(tmp);
	int code = rc ? cli_fail(e) : 0;
	err_clear(e);
	if (x->a || x->db) {
		db_rollback(x->db);
		cli_close(x);
	}
	return code;
}

int cmd_report_quarterly(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv, OPTS ",period=", &o);
	if (rc)
		return rc;
	const char *fmt = cli_get(&o, "format") ? cli_get(&o, "format") : "json";
	const char *period = cli_get(&o, "period"), *out = out_opt(&o);
	int64_t org = org_opt(&o);
	struct period p;
	if (o.nargs || !org || !out || (strcmp(fmt, "json") && strcmp(fmt, "xlsx") && strcmp(fmt, "pdf"))) {
		fprintf(stderr, "用法：bangfu report quarterly --db URL --org-id ID --period YYYYQn --format json|xlsx|pdf -o FILE\n");
		return 2;
	}
	if (period_parse(period, &p)) {
		fprintf(stderr, "bangfu: 统计期应写作“年份+Q+季度”，如 2026Q3（季度为 1–4）\n");
		return 2;
	}
	struct ctx x = {0};
	struct err e = {0};
	if ((rc = open_read(&o, &x, &e)))
		return done(&x, &e, rc, NULL, NULL);
	const char *tmp = arena_printf(x.a, "%s.tmp", out);
	if (!strcmp(fmt, "xlsx")) {
		rc = export_quarterly_xlsx(&x, org, period, tmp, &e);
	} else {
		json_t *rep = NULL;
		rc = report_quarterly(&x, org, period, &rep, &e);
		if (!rc && !strcmp(fmt, "pdf"))
			rc = pdf_quarterly_report(rep, tmp, &e);
		else if (!rc && json_dump_file(rep, tmp, JSON_INDENT(2)) != 0)
			rc = err_set(&e, E_INTERNAL, "无法写入文件 %s", out);
		json_decref(rep);
	}
	if (!rc)
		printf("已生成 %s 季度报表：%s\n", p.name, out);
	return done(&x, &e, rc, tmp, out);
}

int cmd_export_households(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv, OPTS ",status=", &o);
	if (rc)
		return rc;
	const char *fmt = cli_get(&o, "format") ? cli_get(&o, "format") : "xlsx", *out = out_opt(&o);
	struct hh_filter f = {.org_id = org_opt(&o), .status = cli_get(&o, "status")};
	if (o.nargs || !f.org_id || !out || (strcmp(fmt, "xlsx") && strcmp(fmt, "csv"))) {
		fprintf(stderr, "用法：bangfu export households --db URL --org-id ID [--status S] [--format xlsx|csv] -o FILE\n");
		return 2;
	}
	struct ctx x = {0};
	struct err e = {0};
	int64_t n = 0;
	if ((rc = open_read(&o, &x, &e)))
		return done(&x, &e, rc, NULL, NULL);
	const char *tmp = arena_printf(x.a, "%s.tmp", out);
	rc = export_households(&x, &f, strcmp(fmt, "csv") ? EXPORT_XLSX : EXPORT_CSV, tmp, &n, &e);
	if (!rc)
		printf("已导出 %lld 户到 %s\n", (long long)n, out);
	return done(&x, &e, rc, tmp, out);
}
