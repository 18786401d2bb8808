/* orgs.c — org units.  An org's `path` ("/1/4/17/") lists its ancestors;
 * the caller's scope is every org whose path starts with the caller's. */
#include "services/orgs.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "http/req.h"
#include "services/audit.h"

#define ORG_COLS "id, parent_id, name, level, region_code, path, created_at"

static int region_ok(const char *s)
{
	if (!s || strlen(s) != 6)
		return 0;
	for (int i = 0; i < 6; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int org_in_scope(struct ctx *x, int64_t id, struct org *out, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT id, parent_id, name, level, region_code, path FROM orgs"
				 " WHERE id = ? AND path LIKE ?",
				 "is", id, ctx_scope_like(x));
	if (!s)
		return -E_DB;
	int rc = db_step(s, e);
	if (rc == DB_ROW && out) {
		out->id = db_col_int(s, 0);
		out->parent_id = db_col_int(s, 1);
		out->name = arena_strdup(x->a, db_col_text(s, 2));
		out->level = level_parse(db_col_text(s, 3));
		out->region_code = arena_strdup(x->a, db_col_text(s, 4));
		out->path = arena_strdup(x->a, db_col_text(s, 5));
	}
	db_finalize(s);
	if (rc == DB_DONE)
		return err_set(e, E_NOT_FOUND, "单位不存在");
	return rc < 0 ? rc : 0;
}

json_t *org_json(struct ctx *x, int64_t id, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT " ORG_COLS ", (SELECT COUNT(*) FROM orgs c WHERE c.parent_id = o.id)"
				 " AS children FROM orgs o WHERE id = ?",
				 "i", id);
	if (!s)
		return NULL;
	json_t *o = NULL;
	int rc = db_step(s, e);
	if (rc == DB_ROW)
		o = db_row_json(s);
	else if (rc == DB_DONE)
		err_set(e, E_NOT_FOUND, "单位不存在");
	db_finalize(s);
	return o;
}

int org_create(struct ctx *x, int64_t parent_id, const char *name, enum org_level level,
	       const char *region_code, int64_t *id, struct err *e)
{
	struct org parent = {0};
	int rc = 0;
	if (parent_id && (rc = org_in_scope(x, parent_id, &parent, e)))
		return rc;
	/* RULE org.level: a child's level is below its parent's */
	if (parent_id && level <= parent.level)
		return err_field(e, "level", "下级单位的层级必须低于上级单位（上级为%s）",
				 level_label(parent.level));
	if (!region_ok(region_code))
		return err_field(e, "region_code", "行政区划代码应为6位数字");
	struct db_stmt *s = db_q(x->db, e,
				 "INSERT INTO orgs (parent_id, name, level, region_code, path, created_at)"
				 " VALUES (?, ?, ?, ?, '', ?) RETURNING id",
				 "zssss", parent_id, name, level_name(level), region_code, x->now_s);
	if (!s)
		return -E_DB;
	rc = db_step(s, e);
	if (rc == DB_ROW)
		*id = db_col_int(s, 0);
	db_finalize(s);
	if (rc < 0)
		return rc;
	const char *path = arena_printf(x->a, "%s%lld/", parent_id ? parent.path : "/", (long long)*id);
	rc = db_run(x->db, e, "UPDATE orgs SET path = ? WHERE id = ?", "si", path, *id);
	if (!rc)
		rc = audit_add(x, "create", "org", *id, *id, e, "新建单位“%s”（%s）", name,
			       level_label(level));
	return rc;
}

int record_in_scope(struct ctx *x, const char *table, int64_t id, const char *missing,
		    struct err *e)
{
	int found = 0;
	int64_t got = 0;
	int rc = db_int(x->db, e, &got, &found,
			arena_printf(x->a, "SELECT t.id FROM %s t JOIN orgs o ON o.id = t.org_id"
					   " WHERE t.id = ? AND o.path LIKE ?", table),
			"is", id, ctx_scope_like(x));
	if (!rc && !found)
		rc = err_set(e, E_NOT_FOUND, "%s", missing);
	return rc;
}

int orgs_scope(struct req *r)
{
	return org_in_scope(&r->x, r->id, NULL, &r->err);
}

/* RULE orgs.cache: GET /orgs answers with the text of an earlier answer to
 * the same question (the caller's scope, parent_id, level, paging) while the
 * org tree's generation (kept_gen 'orgs', migration 022, read with the
 * session) is the one that text was made at.  Every change to orgs, by any
 * process, moves the generation in its own transaction, so a cached text is
 * never older than what the request would read itself. */
#define ORGS_CACHE 32
static struct {
	pthread_mutex_t mu;
	struct {
		char *key, *text;
		int64_t gen;
	} e[ORGS_CACHE];
	int next;
} orgs_cache = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* A copy of the text cached for key at gen, or NULL. */
static char *orgs_cache_get(const char *key, int64_t gen)
{
	char *text = NULL;
	pthread_mutex_lock(&orgs_cache.mu);
	for (int i = 0; i < ORGS_CACHE && !text; i++)
		if (orgs_cache.e[i].key && orgs_cache.e[i].gen == gen && !strcmp(orgs_cache.e[i].key, key))
			text = strdup(orgs_cache.e[i].text);
	pthread_mutex_unlock(&orgs_cache.mu);
	return text;
}

static void orgs_cache_put(const char *key, int64_t gen, const char *text)
{
	pthread_mutex_lock(&orgs_cache.mu);
	int slot = -1;
	for (int i = 0; i < ORGS_CACHE && slot < 0; i++)
		if (orgs_cache.e[i].key && !strcmp(orgs_cache.e[i].key, key))
			slot = i;
	if (slot < 0) {
		slot = orgs_cache.next;
		orgs_cache.next = (orgs_cache.next + 1) % ORGS_CACHE;
		free(orgs_cache.e[slot].key);
		orgs_cache.e[slot].key = strdup(key);
	}
	free(orgs_cache.e[slot].text);
	orgs_cache.e[slot].text = strdup(text);
	orgs_cache.e[slot].gen = gen;
	pthread_mutex_unlock(&orgs_cache.mu);
}

int orgs_h_list(struct req *r)
{
	int64_t limit, offset, parent;
	int rc = req_paging(r, &limit, &offset);
	if (!rc)
		rc = req_query_int(r, "parent_id", 0, 0, INT64_MAX, &parent);
	if (rc)
		return rc;
	const char *level = req_query(r, "level");
	char *key = arena_printf(r->x.a, "%s|%lld|%lld|%lld|%s", ctx_scope_like(&r->x), (long long)parent,
				 (long long)limit, (long long)offset, level ? level : "");
	char *text = orgs_cache_get(key, r->orgs_gen);
	if (text)
		return req_reply_text(r, 200, text);
	struct db_args a = {0};
	char where[256] = "FROM orgs o WHERE path LIKE ?";
	db_arg_str(&a, ctx_scope_like(&r->x));
	if (parent) {
		strcat(where, " AND parent_id = ?");
		db_arg_int(&a, parent);
	}
	if (level) {
		strcat(where, " AND level = ?");
		db_arg_str(&a, level);
	}
	if ((rc = db_page_text(r->x.db, &r->err, ORG_COLS, where, "o.id", &a, limit, offset, &text)))
		return rc;
	orgs_cache_put(key, r->orgs_gen, text);
	return req_reply_text(r, 200, text);
}

int orgs_h_get(struct req *r)
{
	json_t *o = org_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

int orgs_h_create(struct req *r)
{
	if (!body_has(r, "parent_id"))
		return err_set(&r->err, E_FORBIDDEN, "只能在本单位或下级单位之下新建单位");
	int level = level_parse(body_str(r, "level"));
	if (level < 0)
		return err_field(&r->err, "level", "层级应为 city、district、street 或 grassroots");
	int64_t id = 0;
	int rc = org_create(&r->x, body_int(r, "parent_id", 0), body_str(r, "name"), level,
			    body_str(r, "region_code"), &id, &r->err);
	if (rc)
		return rc;
	json_t *o = org_json(&r->x, id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

/* PATCH /orgs/{id} {"name","region_code"} — the place in the tree is fixed. */
int orgs_h_update(struct req *r)
{
	const char *name = body_str(r, "name"), *rc_ = body_str(r, "region_code");
	if (rc_ && !region_ok(rc_))
		return err_field(&r->err, "region_code", "行政区划代码应为6位数字");
	int rc = db_run(r->x.db, &r->err,
			"UPDATE orgs SET name = COALESCE(?, name), region_code = COALESCE(?, region_code)"
			" WHERE id = ?",
			"ssi", name, rc_, r->id);
	if (!rc)
		rc = audit_add(&r->x, "update", "org", r->id, r->id, &r->err, "修改单位信息%s%s",
			       name ? "：名称改为" : "", name ? name : "");
	if (rc)
		return rc;
	json_t *o = org_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -E_DB;
}
