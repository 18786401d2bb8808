/* commands.c — the CLI commands; each calls the same services as the API. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/tz.h"
#include "http/server.h"
#include "services/audit.h"
#include "services/auth.h"
#include "services/calendar.h"
#include "services/check.h"
#include "services/funds.h"
#include "store/backup.h"
#include "services/setup.h"
#include "services/users.h"
#include "store/migrate.h"

#define COMMON "db=,clock-file=,tz=,help"

/* Runs body(x) inside cli_open/cli_close; maps errors to exit codes. */
#define WITH_DB(opts, x, cfg, e)                                           \
	struct ctx x;                                                      \
	struct config cfg = {0};                                           \
	struct err e = {0};                                                \
	if (cli_open(&opts, &x, &cfg, &e)) {                               \
		cli_close(&x);                                             \
		int code_ = cli_fail(&e);                                  \
		err_clear(&e);                                             \
		return code_;                                              \
	}

static int finish(struct ctx *x, struct err *e, int rc)
{
	int code = rc ? cli_fail(e) : 0;
	err_clear(e);
	cli_close(x);
	return code;
}

int cmd_init(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv,
			   COMMON ",org-name=,region-code=,admin-user=,admin-password=,demo", &o);
	if (rc)
		return rc;
	WITH_DB(o, x, cfg, e);
	struct init_opts io = {
		.org_name = cli_get(&o, "org-name") ? cli_get(&o, "org-name") : "示范市总工会困难职工帮扶中心",
		.region_code = cli_get(&o, "region-code") ? cli_get(&o, "region-code") : "330100",
		.admin_user = cli_get(&o, "admin-user") ? cli_get(&o, "admin-user") : "admin",
		.admin_password = cli_get(&o, "admin-password"),
		.demo = cli_flag(&o, "demo"),
	};
	return finish(&x, &e, setup_init(&x, &io, &e));
}

int cmd_migrate(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv, COMMON, &o);
	if (rc)
		return rc;
	WITH_DB(o, x, cfg, e);
	rc = migrate_up(x.db, &e);
	if (!rc)
		printf("数据库结构已是最新（版本 %d）\n", migrate_latest());
	/* the statutory years this bangfu ships and the database lacks */
	const char *years = NULL;
	if (!rc && !(rc = db_begin(x.db, 1, &e)) && !(rc = calendar_statutory_sync(&x, &years, &e)))
		rc = db_commit(x.db, &e);
	if (!rc)
		printf(years ? "已载入法定节假日安排：%s 年\n" : "法定节假日安排已是最新%s\n", years ? years : "");
	return finish(&x, &e, rc);
}

int cmd_serve(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv,
			   COMMON ",listen=,session-idle-minutes=,threads=,max-connections=,timeout=,analyze-every=,"
				  "trusted-proxy=,attachment-max=,report-db=",
			   &o);
	if (rc)
		return rc;
	struct config cfg = {
		.db_url = cli_get(&o, "db") ? cli_get(&o, "db") : getenv("BANGFU_DB"),
		.listen = cli_get(&o, "listen") ? cli_get(&o, "listen") : getenv("BANGFU_LISTEN"),
		.clock_file = cli_get(&o, "clock-file"),
		.tz = cli_get(&o, "tz") ? cli_get(&o, "tz") : getenv("BANGFU_TZ"),
		.session_idle_min = 30,
		.threads = 16,
		.max_conns = 512,
		.conn_timeout_s = 30,
		.analyze_every_s = 3600,
		.trusted_proxies = cli_get(&o, "trusted-proxy"),
		.report_db_url = cli_get(&o, "report-db") ? cli_get(&o, "report-db") : getenv("BANGFU_REPORT_DB"),
	};
	if (!cfg.listen)
		cfg.listen = "127.0.0.1:8080";
	const char *nums[] = {"session-idle-minutes", "threads", "max-connections", "timeout", "analyze-every"};
	int *dst[] = {&cfg.session_idle_min, &cfg.threads, &cfg.max_conns, &cfg.conn_timeout_s,
		      &cfg.analyze_every_s};
	for (int i = 0; i < 5; i++) {
		const char *v = cli_get(&o, nums[i]);
		if (!v)
			continue;
		char *end;
		long n = strtol(v, &end, 10);
		if (*end || n < 1 || n > 100000) {
			fprintf(stderr, "--%s 应为正整数\n", nums[i]);
			return 2;
		}
		*dst[i] = (int)n;
	}
	if (cli_get(&o, "attachment-max")) {
		char *end;
		long long n = strtoll(cli_get(&o, "attachment-max"), &end, 10);
		if (*end || n < 1 || n > (1LL << 30)) {
			fprintf(stderr, "--attachment-max 应为 1 到 1073741824 之间的字节数\n");
			return 2;
		}
		cfg.attachment_max = n;
	}
	if (!cfg.db_url) {
		fprintf(stderr, "未指定数据库：请用 --db 或环境变量 BANGFU_DB\n");
		return 2;
	}
	char why[200];
	if (tz_setup(cfg.tz, why, sizeof why)) { /* before any thread */
		fprintf(stderr, "--tz：%s\n", why);
		return 2;
	}
	struct err e = {0};
	rc = server_run(&cfg, &e);
	int code = rc ? cli_fail(&e) : 0;
	err_clear(&e);
	return code;
}

static int user_cmd(int argc, char **argv, const char *allowed, int what)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv, allowed, &o);
	if (rc)
		return rc;
	const char *username = cli_get(&o, "username");
	if (!username) {
		fprintf(stderr, "缺少 --username\n");
		return 2;
	}
	WITH_DB(o, x, cfg, e);
	int64_t id = 0;
	char generated[32];
	const char *pw = cli_get(&o, "password");
	int generate = (what == 0 || what == 1) && !pw;
	if (generate) {
		/* no password given: generate one and print it */
		random_password(generated);
		pw = generated;
	}
	if ((rc = migrate_check(x.db, &e)) || (rc = db_begin(x.db, 1, &e)))
		return finish(&x, &e, rc);
	if (what == 0) {
		const char *org = cli_get(&o, "org-id");
		rc = user_add(&x, username, cli_get(&o, "name") ? cli_get(&o, "name") : username,
			      org ? strtoll(org, NULL, 10) : 0, cli_get(&o, "role"), pw, &id, &e);
		if (!rc && generate)
			rc = db_run(x.db, &e, "UPDATE users SET must_change_password = 1 WHERE id = ?", "i", id);
	} else {
		rc = user_find(&x, username, &id, &e);
		if (!rc && what == 1)
			rc = user_set_password(&x, id, pw, generate, &e);
		else if (!rc)
			rc = user_set_locked(&x, id, what == 2, &e);
	}
	if (!rc)
		rc = db_commit(x.db, &e);
	if (!rc && what <= 1)
		printf("用户 %s 的密码：%s\n", username, pw);
	else if (!rc)
		printf("用户 %s 已%s\n", username, what == 2 ? "停用" : "启用");
	return finish(&x, &e, rc);
}

int cmd_user_add(int argc, char **argv)
{
	return user_cmd(argc, argv, COMMON ",username=,name=,org-id=,role=,password=", 0);
}
int cmd_user_passwd(int argc, char **argv)
{
	return user_cmd(argc, argv, COMMON ",username=,password=", 1);
}
int cmd_user_lock(int argc, char **argv) { return user_cmd(argc, argv, COMMON ",username=", 2); }
int cmd_user_unlock(int argc, char **argv) { return user_cmd(argc, argv, COMMON ",username=", 3); }

int cmd_token_create(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv, COMMON ",user=", &o);
	if (rc)
		return rc;
	if (!cli_get(&o, "user")) {
		fprintf(stderr, "缺少 --user\n");
		return 2;
	}
	WITH_DB(o, x, cfg, e);
	char token[65];
	rc = migrate_check(x.db, &e);
	if (!rc)
		rc = auth_token_create(&x, cli_get(&o, "user"), token, &e);
	if (!rc)
		printf("%s\n", token);
	return finish(&x, &e, rc);
}

/* `bangfu calendar import FILE`: the same service as POST /imports/calendar
 * (rules/calfile.h), all or nothing; every error by row on stderr. */
int cmd_calendar_import(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv, COMMON, &o);
	if (rc)
		return rc;
	if (o.nargs != 1) {
		fprintf(stderr, "用法：bangfu calendar import --db URL FILE.csv\n");
		return 2;
	}
	FILE *f = fopen(o.args[0], "rb");
	if (!f) {
		fprintf(stderr, "bangfu: 无法打开文件 %s\n", o.args[0]);
		return 1;
	}
	fclose(f);
	WITH_DB(o, x, cfg, e);
	json_t *answer = NULL;
	if (!(rc = migrate_check(x.db, &e)) && !(rc = db_begin(x.db, 1, &e)) &&
	    !(rc = calendar_import(&x, NULL, 0, o.args[0], &answer, &e)))
		rc = db_commit(x.db, &e);
	if (!rc) {
		json_t *ys = json_object_get(answer, "years");
		printf("已导入 %lld 天工作日调整", (long long)json_integer_value(json_object_get(answer, "days")));
		if (json_array_size(ys)) {
			size_t i;
			json_t *y;
			printf("；已登记年份：");
			json_array_foreach(ys, i, y)
				printf("%s%lld", i ? "、" : "", (long long)json_integer_value(y));
		}
		printf("\n");
	} else if (e.details && json_object_get(e.details, "errors")) {
		size_t i;
		json_t *it;
		fprintf(stderr, "bangfu: %s\n", e.msg);
		json_array_foreach(json_object_get(e.details, "errors"), i, it) {
			int64_t row = json_integer_value(json_object_get(it, "row"));
			const char *msg = json_string_value(json_object_get(it, "message"));
			if (row > 0)
				fprintf(stderr, "  第 %lld 行：%s\n", (long long)row, msg);
			else
				fprintf(stderr, "  %s\n", msg);
		}
		json_decref(answer);
		err_clear(&e);
		cli_close(&x);
		return 1;
	}
	json_decref(answer);
	return finish(&x, &e, rc);
}

int cmd_audit_verify(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv, COMMON, &o);
	if (rc)
		return rc;
	WITH_DB(o, x, cfg, e);
	int64_t n = 0, bad = 0;
	rc = audit_verify(x.db, &n, &bad, &e);
	if (!rc)
		printf("审计日志完整：共 %" PRId64 " 条，哈希链校验通过\n", n);
	else if (bad)
		printf("审计日志校验失败：第 %" PRId64 " 条（entry %" PRId64 "）\n", bad, bad);
	return finish(&x, &e, rc);
}

int cmd_funds_reconcile(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv, COMMON, &o);
	if (rc)
		return rc;
	WITH_DB(o, x, cfg, e);
	int64_t n = 0;
	rc = funds_reconcile(x.db, &n, &e);
	if (!rc)
		printf("资金账户全部平衡：共 %" PRId64 " 个账户，余额与流水一致\n", n);
	return finish(&x, &e, rc);
}

int cmd_backup(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv, COMMON ",o=,output=", &o);
	if (rc)
		return rc;
	const char *out = cli_get(&o, "o") ? cli_get(&o, "o") : cli_get(&o, "output");
	const char *url = cli_get(&o, "db") ? cli_get(&o, "db") : getenv("BANGFU_DB");
	if (!out || !url) {
		fprintf(stderr, "用法：bangfu backup --db URL -o FILE\n");
		return 2;
	}
	struct err e = {0};
	rc = backup_run(url, out, &e);
	if (!rc)
		printf("已备份到 %s\n", out);
	int code = rc ? cli_fail(&e) : 0;
	err_clear(&e);
	return code;
}

int cmd_restore(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv, COMMON, &o);
	if (rc)
		return rc;
	const char *url = cli_get(&o, "db") ? cli_get(&o, "db") : getenv("BANGFU_DB");
	if (o.nargs != 1 || !url) {
		fprintf(stderr, "用法：bangfu restore --db URL FILE\n");
		return 2;
	}
	struct err e = {0};
	rc = restore_run(url, o.args[0], &e);
	if (!rc)
		printf("已从 %s 恢复；请运行 bangfu check 确认\n", o.args[0]);
	int code = rc ? cli_fail(&e) : 0;
	err_clear(&e);
	return code;
}

int cmd_check(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv, COMMON, &o);
	if (rc)
		return rc;
	WITH_DB(o, x, cfg, e);
	int bad = check_all(&x);
	if (bad)
		err_set(&e, E_INTERNAL, "%d 项检查未通过", bad);
	else
		printf("全部检查通过\n");
	return finish(&x, &e, bad ? -E_INTERNAL : 0);
}
