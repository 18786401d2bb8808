/* cmd_purge.c — `bangfu purge --db URL --exited-before YYYY-MM-DD [--dry-run]`
 * (API.md "Attachments", RULE retention.purge), as the system actor. */
#include <stdio.h>

#include "cli/cli.h"
#include "rules/dates.h"
#include "services/purge.h"
#include "store/migrate.h"

int cmd_purge(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv, "db=,clock-file=,tz=,help,exited-before=,dry-run", &o);
	if (rc)
		return rc;
	const char *before = cli_get(&o, "exited-before");
	day_t d;
	if (!before || date_parse(before, &d)) {
		fprintf(stderr, "用法：bangfu purge --db URL --exited-before YYYY-MM-DD [--dry-run]\n");
		return 2;
	}
	int dry = cli_flag(&o, "dry-run");
	struct ctx x;
	struct config cfg = {0};
	struct err e = {0};
	struct purge_counts n;
	if (!(rc = cli_open(&o, &x, &cfg, &e)) && !(rc = migrate_check(x.db, &e)))
		rc = purge_exited(&x, before, dry, &n, &e);
	if (!rc)
		printf("%s%lld 个 %s 前退出的档案：清除个人信息，删除 %lld 个附件的文件内容（%lld 字节）%s\n",
		       dry ? "演练（未写入）：将处理 " : "已处理 ", (long long)n.archives, before,
		       (long long)n.attachments, (long long)n.bytes, dry ? "" : "；统计数字不变");
	int code = rc ? cli_fail(&e) : 0;
	err_clear(&e);
	cli_close(&x);
	return code;
}
