/* cmd_import.c — `bangfu import households --db URL --org-id ID FILE [--dry-run] [--progress] [--one-by-one]`:
 * the same service as POST /imports/households, as the system actor
 * (admin scope), in one transaction.  The file is read as a stream, so
 * its size is bounded by the sheet limits (rules/sheet.h), not by memory. */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "services/import.h"
#include "store/migrate.h"

struct bar {
	int shown;      /* a line is on the terminal */
	int last;       /* the permille drawn last */
};

/* A progress bar on stderr: "[#####.....]  42.0%  已处理 123456 行". */
static void progress(void *arg, long rows, unsigned long long done, unsigned long long total)
{
	struct bar *b = arg;
	int pm = total ? (int)(done * 1000 / total) : 1000;
	if (pm > 1000)
		pm = 1000;
	if (b->shown && pm == b->last && done < total)
		return;
	char bar[31];
	int fill = pm * 30 / 1000;
	for (int i = 0; i < 30; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[30] = '\0';
	fprintf(stderr, "\r正在导入：[%s] %5.1f%%  已处理 %ld 行", bar, pm / 10.0, rows);
	b->shown = 1;
	b->last = pm;
	if (done >= total)
		fputc('\n', stderr);
	fflush(stderr);
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
	int rc = cli_parse(argc, argv, "db=,clock-file=,tz=,help,org-id=,dry-run,progress,one-by-one", &o);
	if (rc)
		return rc;
	const char *org = cli_get(&o, "org-id");
	char *end = NULL;
	long long org_id = org ? strtoll(org, &end, 10) : 0;
	if (cli_flag(&o, "help") || o.nargs != 1 || !org || !*org || *end || org_id < 1) {
		fprintf(stderr, "用法：bangfu import households --db URL --org-id ID FILE [--dry-run] [--progress] [--one-by-one]\n"
				"  FILE 为普查表（CSV 或 xlsx）；--dry-run 只检查，不写入；\n"
				"  --progress 显示进度条（在终端上默认显示）；\n"
				"  --one-by-one 逐户建档（与网页逐户新建完全相同的路径，较慢）。\n");
		return 2;
	}
	const char *path = o.args[0];
	if (access(path, R_OK)) {
		fprintf(stderr, "bangfu: 无法打开文件 %s：%s\n", path, strerror(errno));
		return 1;
	}
	struct bar bar = {0};
	/* Memory stays flat while importing, so each statement's temporary
	 * b-tree (SQLite frees its page cache when the statement ends) sits at
	 * the top of the heap: glibc would hand it back to the kernel and fault
	 * it in again for every statement (brk + TLB shootdowns: 5× slower).
	 * Keep up to 64 MiB of free heap instead. */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_TOP_PAD, 1 << 20);

	struct ctx x;
	struct config cfg = {0};
	struct err e = {0};
	json_t *answer = NULL;
	if ((rc = cli_open(&o, &x, &cfg, &e)) || (rc = migrate_check(x.db, &e)))
		goto out;
	size_t pl = strlen(path);
	struct import_opts io = {
		.org_id = org_id,
		.dry_run = cli_flag(&o, "dry-run"),
		.one_by_one = cli_flag(&o, "one-by-one"),
		.format = pl >= 5 && !strcasecmp(path + pl - 5, ".xlsx") ? SHEET_XLSX
			  : pl >= 4 && !strcasecmp(path + pl - 4, ".csv") ? SHEET_CSV
									  : SHEET_AUTO,
		.path = path,
		.progress = cli_flag(&o, "progress") || isatty(2) ? progress : NULL,
		.progress_arg = &bar,
	};
	rc = import_households(&x, NULL, 0, &io, &answer, &e); /* commits */
out:
	if (bar.shown && bar.last < 1000)
		fputc('\n', stderr);
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
