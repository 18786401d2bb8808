#include "store/backup.h"

#include <spawn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/db.h"
#include "store/migrate.h"

extern char **environ;

static int is_pg(const char *url)
{
	return !strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11);
}

static const char *path_of(const char *url)
{
	return strncmp(url, "sqlite://", 9) ? url : url + 9;
}

/* Copies src into dst page by page; readers and writers of src go on. */
static int sqlite_copy(const char *src, const char *dst, int src_flags, struct err *e)
{
	sqlite3 *from = NULL, *to = NULL;
	int rc = sqlite3_open_v2(src, &from, src_flags, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_open_v2(dst, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		err_set(e, E_DB, "无法打开数据库：%s", sqlite3_errmsg(from && rc ? from : to));
		goto out;
	}
	sqlite3_busy_timeout(from, 10000);
	sqlite3_busy_timeout(to, 10000);
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	if (!b) {
		rc = SQLITE_ERROR;
		err_set(e, E_DB, "备份失败：%s", sqlite3_errmsg(to));
		goto out;
	}
	do {
		rc = sqlite3_backup_step(b, 1024);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		err_set(e, E_DB, "备份失败：%s", sqlite3_errstr(rc));
	else
		rc = SQLITE_OK;
out:
	sqlite3_close_v2(from);
	sqlite3_close_v2(to);
	return rc == SQLITE_OK ? 0 : -E_DB;
}

static int run_tool(char *const argv[], struct err *e)
{
	pid_t pid;
	int status = 0;
	if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) != 0)
		return err_set(e, E_DB, "无法运行 %s（请安装 postgresql-client）", argv[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return err_set(e, E_DB, "%s 执行失败（退出码 %d）", argv[0],
			       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}

int backup_run(const char *url, const char *file, struct err *e)
{
	if (is_pg(url)) {
		char *argv[] = {"pg_dump", "--format=custom", "--no-owner", "-f", (char *)file,
				(char *)url, NULL};
		return run_tool(argv, e);
	}
	if (access(path_of(url), R_OK) != 0)
		return err_set(e, E_DB, "数据库文件不存在：%s", path_of(url));
	unlink(file);
	return sqlite_copy(path_of(url), file, SQLITE_OPEN_READONLY, e);
}

int restore_run(const char *url, const char *file, struct err *e)
{
	if (access(file, R_OK) != 0)
		return err_set(e, E_USAGE, "备份文件不存在：%s", file);
	struct db *c = NULL;
	int rc = db_open(url, &c, e);
	if (rc)
		return rc;
	int has = migrate_has_data(c);
	db_close(c);
	if (has)
		return err_set(e, E_CONFLICT, "目标数据库已有数据，restore 拒绝覆盖（请恢复到一个新的空数据库）");
	if (is_pg(url)) {
		char *argv[] = {"pg_restore", "--no-owner", "--exit-on-error", "-d", (char *)url,
				(char *)file, NULL};
		return run_tool(argv, e);
	}
	return sqlite_copy(file, path_of(url), SQLITE_OPEN_READONLY, e);
}
