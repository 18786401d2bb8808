/* main.c — `bangfu COMMAND ...`: the command table and dispatch. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#ifndef BANGFU_VERSION
#define BANGFU_VERSION "0.1.0"
#endif

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

/* Commands not shown by `help` (tools for tests and operators' scripts). */
static const struct command hidden[] = {
	{"routes", cmd_routes, "routes [--check]",
	 "以 JSON 打印路由表（方法、路径、权限、审计实体、允许的角色）；--check 只检查路由表规则。"},
};
#define NHIDDEN (int)(sizeof hidden / sizeof hidden[0])

static const struct command commands[] = {
	{"init", cmd_init,
	 "init --db URL [--org-name NAME] [--region-code CODE] [--admin-user NAME] [--admin-password PASS] [--demo]",
	 "建库：创建表结构、根单位（市级）与管理员，载入程序自带的法定节假日安排；--demo 另建演示城市。数据库已有数据时拒绝执行。"},
	{"migrate", cmd_migrate, "migrate --db URL",
	 "把数据库结构升级到本程序的版本，并载入本程序自带、数据库中还没有的年份的法定节假日安排（不改动管理员的设定）。"},
	{"serve", cmd_serve,
	 "serve --db URL [--listen HOST:PORT] [--clock-file F] [--tz ZONE] [--session-idle-minutes N] [--threads N] [--max-connections N] [--timeout S] [--analyze-every S] [--trusted-proxy ADDR[,ADDR]] [--attachment-max BYTES] [--report-db URL]",
	 "启动 HTTP 服务（默认 127.0.0.1:8080）；--clock-file 让服务从文件读取“当前时间”；--tz 为计算“今天”、期限与季度所用的时区（默认 Asia/Shanghai，也可用 BANGFU_TZ），接口中的时间戳仍为 UTC；"
	 "--trusted-proxy：来自这些地址（如 nginx）的请求以 X-Forwarded-For 最后一项为客户端地址；--attachment-max：单个附件（扫描件）的字节数上限，默认 10 MiB；"
	 "--report-db：PostgreSQL 流复制备库，季度报表与首页看板从备库读（也可用 BANGFU_REPORT_DB）。"},
	{"user add", cmd_user_add,
	 "user add --db URL --username U --name N --org-id ID --role R [--password P]",
	 "新建用户；不给密码时生成并打印一个。"},
	{"user passwd", cmd_user_passwd, "user passwd --db URL --username U [--password P]",
	 "重设密码，并使该用户的所有会话失效。"},
	{"user lock", cmd_user_lock, "user lock --db URL --username U", "停用账户，并使其所有会话失效。"},
	{"user unlock", cmd_user_unlock, "user unlock --db URL --username U", "重新启用账户。"},
	{"token create", cmd_token_create, "token create --db URL --user NAME",
	 "为用户创建命令行令牌，只在标准输出打印令牌本身；首次使用起计空闲时间。"},
	{"calendar import", cmd_calendar_import, "calendar import --db URL FILE.csv",
	 "导入工作日调整（CSV 或 xlsx；UTF-8 带或不带 BOM、GB18030）：每行 日期,是否工作日(1/0),说明，可有 year,年份,通知文号 行登记该年的通知；逐行检查，有任何错误则全部不导入。"},
	{"audit verify", cmd_audit_verify, "audit verify --db URL",
	 "校验审计日志哈希链；完整时退出码 0，否则指出第一条被改动或删除的记录。"},
	{"import households", cmd_import_households, "import households --db URL --org-id ID FILE [--dry-run]",
	 "导入普查表（CSV 或 xlsx，一人一行，按户主身份证号成户）到单位 ID；逐行检查，有任何错误则全部不导入；--dry-run 只检查不写入。"},
	{"report quarterly", cmd_report_quarterly,
	 "report quarterly --db URL --org-id ID --period YYYYQn --format json|xlsx|pdf -o FILE",
	 "生成单位 ID 的季度统计报表（本单位及各直属下级）：json；xlsx（每部分一张工作表，合计为公式）；pdf（可打印的报表，含图表）。"},
	{"export households", cmd_export_households,
	 "export households --db URL --org-id ID [--status S] [--format xlsx|csv] -o FILE",
	 "导出单位 ID 及其下级的困难职工档案名单（筛选条件同档案列表，身份证号与电话隐去中间部分）；csv 为带 BOM 的 UTF-8。"},
	{"funds reconcile", cmd_funds_reconcile, "funds reconcile --db URL",
	 "核对每个资金账户：余额等于流水合计；不平时退出码 1 并指出账户。"},
	{"backup", cmd_backup, "backup --db URL -o FILE",
	 "备份整个数据库（SQLite 在线备份，服务运行中亦可；PostgreSQL 调用 pg_dump）。"},
	{"restore", cmd_restore, "restore --db URL FILE",
	 "从备份恢复到一个新的空数据库（PostgreSQL 调用 pg_restore）。"},
	{"check", cmd_check, "check --db URL",
	 "检查数据库：结构版本、外键、资金对账、审计链、一人一档；有问题时退出码 1 并逐项指出。另以“提醒”列出工作日历缺少的年份（不影响退出码）。"},
	{"purge", cmd_purge, "purge --db URL --exited-before YYYY-MM-DD [--dry-run]",
	 "保存期满清除：日期之前退出的档案，删除其附件（扫描件）的文件内容，清除姓名、身份证号、电话、住址与备注；各项统计数字不变；每个档案记一条审计。--dry-run 只统计不写入。"},
	{"version", cmd_version, "version", "显示版本。"},
	{"help", cmd_help, "help [COMMAND]", "显示帮助。"},
};
#define NCOMMANDS (int)(sizeof commands / sizeof commands[0])

static int cmd_version(int argc, char **argv)
{
	printf("bangfu %s\n", BANGFU_VERSION);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "bangfu — 困难职工帮扶管理系统\n\n用法：\n");
	for (int i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  bangfu %s\n      %s\n", commands[i].usage, commands[i].help);
	fprintf(f, "\n--db 可为 SQLite 文件路径或 postgresql:// 地址，默认取环境变量 BANGFU_DB；"
		   "--listen 默认取 BANGFU_LISTEN。\n退出码：0 成功，1 运行时失败（原因见标准错误），2 用法错误。\n");
}

static int cmd_help(int argc, char **argv)
{
	usage(stdout);
	return 0;
}

/* Longest command name (one or two words) that matches argv. */
static const struct command *find(int argc, char **argv, int *words)
{
	for (int i = 0; i < NCOMMANDS; i++) {
		const char *sp = strchr(commands[i].name, ' ');
		if (sp && argc >= 2 && !strncmp(argv[0], commands[i].name, (size_t)(sp - commands[i].name)) &&
		    strlen(argv[0]) == (size_t)(sp - commands[i].name) && !strcmp(argv[1], sp + 1)) {
			*words = 2;
			return &commands[i];
		}
	}
	for (int i = 0; i < NCOMMANDS; i++)
		if (argc >= 1 && !strcmp(argv[0], commands[i].name)) {
			*words = 1;
			return &commands[i];
		}
	for (int i = 0; i < NHIDDEN; i++)
		if (argc >= 1 && !strcmp(argv[0], hidden[i].name)) {
			*words = 1;
			return &hidden[i];
		}
	return NULL;
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "bangfu: libsodium 初始化失败\n");
		return 1;
	}
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(0, NULL);
	int words = 0;
	const struct command *c = find(argc - 1, argv + 1, &words);
	if (!c) {
		fprintf(stderr, "bangfu: 未知命令：%s（bangfu --help 查看用法）\n", argv[1]);
		return 2;
	}
	for (int i = 1 + words; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("用法：bangfu %s\n\n%s\n", c->usage, c->help);
			return 0;
		}
	return c->run(argc - 1 - words, argv + 1 + words);
}
