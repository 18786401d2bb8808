#include "migrate.h"

#include <stdlib.h>
#include <string.h>

#include "core/embed.h"

int migrate_latest(void)
{
	int n = 0;
	while (migrations[n].name)
		n++;
	return n;
}

/* Replaces {{ID}} with the driver's auto-increment key.  Caller frees. */
static char *dialect(struct db *c, const char *sql)
{
	const char *id = c->drv->id_column, *tag = "{{ID}}";
	size_t n = strlen(sql) + 1, tl = strlen(tag), il = strlen(id);
	for (const char *p = sql; (p = strstr(p, tag)); p += tl)
		n += il;
	char *out = malloc(n), *o = out;
	for (const char *p = sql, *q; ; p = q + tl) {
		q = strstr(p, tag);
		size_t len = q ? (size_t)(q - p) : strlen(p);
		memcpy(o, p, len);
		o += len;
		if (!q)
			break;
		memcpy(o, id, il);
		o += il;
	}
	*o = '\0';
	return out;
}

/* Drops, in place, the blocks meant for the other engine: the lines from
 * "-- @sqlite" or "-- @pg" (alone on a line) to "-- @end", when the tag is
 * not `keep`.  Triggers are the one thing the engines spell differently. */
static void engine_blocks(char *sql, const char *keep)
{
	char *o = sql;
	int skip = 0;
	for (char *p = sql; *p;) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
		int tag = !strncmp(p, "-- @", 4);
		if (tag && !strncmp(p + 4, "end", 3))
			skip = 0;
		else if (tag)
			skip = strncmp(p + 4, keep, strlen(keep)) != 0;
		else if (!skip) {
			memmove(o, p, len);
			o += len;
		}
		p += len;
	}
	*o = '\0';
}

static int current_version(struct db *c, int64_t *v, struct err *e)
{
	int rc = db_exec(c, "CREATE TABLE IF NOT EXISTS schema_migrations ("
			    " version BIGINT PRIMARY KEY, name TEXT NOT NULL)", e);
	if (rc)
		return rc;
	int found;
	*v = 0;
	rc = db_int(c, e, v, &found, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", "");
	return rc;
}

/* Applies every migration whose version is not recorded, in order: a
 * database taken back by deleting some versions' rows (and undoing their
 * objects) gets exactly those again, and no others. */
int migrate_up(struct db *c, struct err *e)
{
	int64_t have;
	int rc = current_version(c, &have, e);
	for (int i = 0; rc == 0 && migrations[i].name; i++) {
		int64_t done = 0;
		int found = 0;
		if (i < have && (rc = db_int(c, e, &done, &found, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?",
					   "i", (int64_t)(i + 1))))
			break;
		if (done)
			continue;
		char *sql = dialect(c, migrations[i].data);
		engine_blocks(sql, db_kind(c) == DB_PG ? "pg" : "sqlite");
		rc = db_begin(c, 1, e);
		if (!rc)
			rc = db_exec(c, sql, e);
		if (!rc)
			rc = db_run(c, e, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
				    "is", (int64_t)(i + 1), migrations[i].name);
		if (!rc)
			rc = db_commit(c, e);
		else
			db_rollback(c);
		free(sql);
	}
	return rc;
}

int migrate_check(struct db *c, struct err *e)
{
	int64_t have = 0;
	int found;
	struct err ignore = {0};
	int rc = db_int(c, &ignore, &have, &found,
			"SELECT COALESCE(MAX(version), 0) FROM schema_migrations", "");
	err_clear(&ignore);
	if (rc || have == 0)
		return err_set(e, E_DB, "数据库尚未初始化，请先运行 bangfu init");
	int64_t n = 0;
	if (have <= migrate_latest() &&
	    db_int(c, &ignore, &n, &found, "SELECT COUNT(*) FROM schema_migrations WHERE version <= ?", "i",
		   (int64_t)migrate_latest()) == 0 &&
	    n < have) /* a version missing below the newest one */
		have = n;
	err_clear(&ignore);
	if (have < migrate_latest())
		return err_set(e, E_DB, "数据库结构版本为 %lld，程序需要 %d，请先运行 bangfu migrate",
			       (long long)have, migrate_latest());
	if (have > migrate_latest())
		return err_set(e, E_DB, "数据库结构版本 %lld 比程序（%d）新，请升级程序",
			       (long long)have, migrate_latest());
	return 0;
}

int migrate_has_data(struct db *c)
{
	struct err ignore = {0};
	int64_t n = 0;
	int found = 0;
	int rc = db_int(c, &ignore, &n, &found, "SELECT COUNT(*) FROM orgs", "");
	err_clear(&ignore);
	return rc == 0 && found && n > 0;
}
