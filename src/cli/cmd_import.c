/* cmd_import.c — `bangfu import households --db URL --org-id ID FILE [--dry-run]`:
 * the same service as POST /imports/households, as the system actor
 * (admin scope), in one transaction. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "services/import.h"
#include "store/migrate.h"

#define CLI_FILE_MAX (100u << 20) /* the HTTP body stops at 10 MiB; a file on disk may be larger */

static void progress(void *arg, int done, int total)
{
	(void)arg;
	fprintf(stderr, "\r正在导入：已处理 %d / %d 户", done, total);
	if (done >= total)
		fputc('\n', stderr);
	fflush(stderr);
}

/* The whole file into memory; NULL with a message on failure. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "bangfu: 无法打开文件 %s：%s\n", path, strerror(errno));
		return NULL;
	}
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (n == cap) {
			if (cap >= CLI_FILE_MAX) {
				fprintf(stderr, "bangfu: 文件 %s 超过 %u MB，请分成几个文件导入\n", path, CLI_FILE_MAX >> 20);
				free(buf);
				buf = NULL;
				break;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0) {
			if (ferror(f)) {
				fprintf(stderr, "bangfu: 读取文件 %s 失败\n", path);
				free(buf);
				buf = NULL;
			}
			break;
		}
	}
	fclose(f);
	*len = n;
	return buf;
}

static void print_errors(json_t *answer)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(answer, "errors"), i, it) {
		int64_t row = json_integer_value(json_object_get(it, "row"));
		const char *col = json_string_value(json_object_get(it, "column"));
		const char *msg = json_string_value(json_object_get(it, "message"));
		if (row > 0 && col && *col)
			fprintf(stderr, "  第 %lld 行【%s】：%s\n", (long long)row, col, msg);
		else if (row > 0)
			fprintf(stderr, "  第 %lld 行：%s\n", (long long)row, msg);
		else
			fprintf(stderr, "  %s\n", msg);
	}
}

int cmd_import_households(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv, "db=,clock-file=,help,org-id=,dry-run", &o);
	if (rc)
		return rc;
	const char *org = cli_get(&o, "org-id");
	char *end = NULL;
	long long org_id = org ? strtoll(org, &end, 10) : 0;
	if (cli_flag(&o, "help") || o.nargs != 1 || !org || !*org || *end || org_id < 1) {
		fprintf(stderr, "用法：bangfu import households --db URL --org-id ID FILE [--dry-run]\n"
				"  FILE 为普查表（CSV 或 xlsx）；--dry-run 只检查，不写入。\n");
		return 2;
	}
	const char *path = o.args[0];
	size_t len = 0;
	char *buf = slurp(path, &len);
	if (!buf)
		return 1;

	struct ctx x;
	struct config cfg = {0};
	struct err e = {0};
	json_t *answer = NULL;
	if ((rc = cli_open(&o, &x, &cfg, &e)) || (rc = migrate_check(x.db, &e)) ||
	    (rc = db_begin(x.db, 1, &e)))
		goto out;
	size_t pl = strlen(path);
	struct import_opts io = {
		.org_id = org_id,
		.dry_run = cli_flag(&o, "dry-run"),
		.format = pl >= 5 && !strcasecmp(path + pl - 5, ".xlsx") ? SHEET_XLSX
			  : pl >= 4 && !strcasecmp(path + pl - 4, ".csv") ? SHEET_CSV
									  : SHEET_AUTO,
		.progress = progress,
	};
	rc = import_households(&x, buf, len, &io, &answer, &e);
	if (!rc)
		rc = db_commit(x.db, &e);
	else
		db_rollback(x.db);
out:
	free(buf);
	int code = 0;
	if (rc == -E_VALIDATION_FAILED && e.details && json_object_get(e.details, "errors")) {
		json_t *d = e.details;
		fprintf(stderr, "bangfu: %s（文件共 %lld 户 %lld 人）：\n", e.msg,
			(long long)json_integer_value(json_object_get(d, "households")),
			(long long)json_integer_value(json_object_get(d, "people")));
		print_errors(d);
		code = 1;
	} else if (rc) {
		code = cli_fail(&e);
	} else if (json_is_true(json_object_get(answer, "dry_run"))) {
		printf("检查通过（试导入，未写入任何数据）：共 %lld 户、%lld 人，其中已建档 %lld 户\n",
		       (long long)json_integer_value(json_object_get(answer, "households")),
		       (long long)json_integer_value(json_object_get(answer, "people")),
		       (long long)json_integer_value(json_object_get(answer, "active")));
	} else {
		printf("已导入 %lld 户、%lld 人（草稿 %lld 户，已建档在档 %lld 户）\n",
		       (long long)json_integer_value(json_object_get(answer, "households")),
		       (long long)json_integer_value(json_object_get(answer, "people")),
		       (long long)(json_integer_value(json_object_get(answer, "households")) -
				   json_integer_value(json_object_get(answer, "active"))),
		       (long long)json_integer_value(json_object_get(answer, "active")));
	}
	json_decref(answer);
	err_clear(&e);
	if (x.a || x.db)
		cli_close(&x);
	return code;
}
