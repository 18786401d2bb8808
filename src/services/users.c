/* users.c — accounts, scoped to the actor's subtree like every record. */
#include "services/users.h"

#include <string.h>

#include "http/req.h"
#include "rules/password.h"
#include "services/audit.h"
#include "services/auth.h"
#include "services/orgs.h"

#define USER_COLS "u.id, u.username, u.name, u.org_id, o.name AS org_name, u.role, u.locked, " \
		  "u.must_change_password, u.created_at"

static int username_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 2 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", s[i]))
			return 0;
	return 1;
}

static int check_password(const char *pw, struct err *e)
{
	const char *why = NULL;
	if (password_check(pw, &why) != 0)
		return err_field(e, "password", "%s", why);
	return 0;
}

int user_add(struct ctx *x, const char *username, const char *name, int64_t org_id,
	     const char *role, const char *password, int64_t *id, struct err *e)
{
	int rc = org_in_scope(x, org_id, NULL, e);
	if (rc)
		return rc;
	if (!username_ok(username))
		rc = err_field(e, "username", "用户名应为2至32位字母、数字或 _ . -");
	if (!name || !*name)
		rc = err_field(e, "name", "姓名不能为空");
	if (role_parse(role) < 0)
		rc = err_field(e, "role", "角色应为 admin、staff、reviewer、approver、finance、viewer 或 informant");
	if (check_password(password, e))
		rc = -E_VALIDATION_FAILED;
	if (rc)
		return rc;
	char hash[128];
	if ((rc = auth_hash_password(password, hash, e)))
		return rc;
	struct db_stmt *s = db_q(x->db, e,
				 "INSERT INTO users (username, name, org_id, role, password_hash, created_at)"
				 " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
				 "ssisss", username, name, org_id, role, hash, x->now_s);
	if (!s)
		return -E_DB;
	rc = db_step(s, e);
	if (rc == DB_ROW)
		*id = db_col_int(s, 0);
	db_finalize(s);
	if (rc < 0 && db_last_fail(x->db) == DBF_UNIQUE) {
		err_clear(e);
		return err_set(e, E_CONFLICT, "用户名“%s”已存在", username);
	}
	if (rc < 0)
		return rc;
	return audit_add(x, "create", "user", *id, org_id, e, "新建用户 %s（%s，%s）", username, name,
			 role_label(role_parse(role)));
}

static int64_t user_org(struct ctx *x, int64_t id)
{
	int64_t org = 0;
	struct err ignore = {0};
	db_int(x->db, &ignore, &org, NULL, "SELECT org_id FROM users WHERE id = ?", "i", id);
	err_clear(&ignore);
	return org;
}

int user_set_password(struct ctx *x, int64_t id, const char *password, int must_change,
		      struct err *e)
{
	char hash[128];
	int rc = check_password(password, e);
	if (!rc)
		rc = auth_hash_password(password, hash, e);
	if (!rc)
		rc = db_run(x->db, e, "UPDATE users SET password_hash = ?, must_change_password = ?"
				      " WHERE id = ?", "sii", hash, (int64_t)!!must_change, id);
	if (!rc)
		rc = auth_revoke_user(x, id, e);
	if (!rc)
		rc = audit_add(x, "password", "user", id, user_org(x, id), e, "重设密码");
	return rc;
}

int user_set_locked(struct ctx *x, int64_t id, int locked, struct err *e)
{
	int rc = db_run(x->db, e, "UPDATE users SET locked = ? WHERE id = ?", "ii", (int64_t)locked, id);
	if (!rc && locked)
		rc = auth_revoke_user(x, id, e);
	if (!rc)
		rc = audit_add(x, locked ? "lock" : "unlock", "user", id, user_org(x, id), e,
			       locked ? "停用账户" : "启用账户");
	return rc;
}

int user_find(struct ctx *x, const char *username, int64_t *id, struct err *e)
{
	int found = 0;
	int rc = db_int(x->db, e, id, &found,
			"SELECT u.id FROM users u JOIN orgs o ON o.id = u.org_id"
			" WHERE u.username = ? AND o.path LIKE ?",
			"ss", username, ctx_scope_like(x));
	if (!rc && !found)
		rc = err_set(e, E_NOT_FOUND, "用户不存在：%s", username);
	return rc;
}

static json_t *user_json(struct ctx *x, int64_t id, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT " USER_COLS " FROM users u JOIN orgs o ON o.id = u.org_id"
				 " WHERE u.id = ?",
				 "i", id);
	if (!s)
		return NULL;
	json_t *o = NULL;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		o = db_row_json(s);
		json_object_set_new(o, "locked", json_boolean(json_integer_value(json_object_get(o, "locked"))));
		json_object_set_new(o, "must_change_password",
				    json_boolean(json_integer_value(json_object_get(o, "must_change_password"))));
	} else if (rc == DB_DONE) {
		err_set(e, E_NOT_FOUND, "用户不存在");
	}
	db_finalize(s);
	return o;
}

int users_scope(struct req *r)
{
	return record_in_scope(&r->x, "users", r->id, "用户不存在", &r->err);
}

int users_h_list(struct req *r)
{
	int64_t limit, offset, org;
	int rc = req_paging(r, &limit, &offset);
	if (!rc)
		rc = req_query_int(r, "org_id", 0, 0, INT64_MAX, &org);
	if (rc)
		return rc;
	struct db_args a = {0};
	char where[256] = "FROM users u JOIN orgs o ON o.id = u.org_id WHERE o.path LIKE ?";
	db_arg_str(&a, ctx_scope_like(&r->x));
	if (org) {
		strcat(where, " AND u.org_id = ?");
		db_arg_int(&a, org);
	}
	if (req_query(r, "role")) {
		strcat(where, " AND u.role = ?");
		db_arg_str(&a, req_query(r, "role"));
	}
	int64_t total = 0;
	json_t *items = NULL;
	if ((rc = db_page(r->x.db, &r->err, USER_COLS, where, "u.id", &a, limit, offset, &items, &total)))
		return rc;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		json_object_set_new(it, "locked", json_boolean(json_integer_value(json_object_get(it, "locked"))));
		json_object_set_new(it, "must_change_password",
				    json_boolean(json_integer_value(json_object_get(it, "must_change_password"))));
	}
	return req_reply_list(r, items, total);
}

int users_h_get(struct req *r)
{
	json_t *o = user_json(&r->x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

int users_h_create(struct req *r)
{
	int64_t id = 0;
	int rc = user_add(&r->x, body_str(r, "username"), body_str(r, "name"),
			  body_int(r, "org_id", 0), body_str(r, "role"), body_str(r, "password"), &id,
			  &r->err);
	if (rc)
		return rc;
	json_t *o = user_json(&r->x, id, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

/* PATCH /users/{id} {"name","role","locked","password"} */
int users_h_update(struct req *r)
{
	struct ctx *x = &r->x;
	const char *role = body_str(r, "role"), *name = body_str(r, "name");
	int rc = 0;
	if (role && role_parse(role) < 0)
		return err_field(&r->err, "role", "角色应为 admin、staff、reviewer、approver、finance、viewer 或 informant");
	if (r->id == x->who.id && (role || body_bool(r, "locked", 0)))
		return err_set(&r->err, E_FORBIDDEN, "不能修改本人的角色或停用本人账户");
	if (name || role) {
		rc = db_run(x->db, &r->err,
			    "UPDATE users SET name = COALESCE(?, name), role = COALESCE(?, role) WHERE id = ?",
			    "ssi", name, role, r->id);
		if (!rc)
			rc = audit_add(x, "update", "user", r->id, user_org(x, r->id), &r->err,
				       "修改用户%s%s", role ? "，角色改为" : "",
				       role ? role_label(role_parse(role)) : "");
	}
	if (!rc && body_has(r, "locked"))
		rc = user_set_locked(x, r->id, body_bool(r, "locked", 0), &r->err);
	if (!rc && body_has(r, "password"))
		rc = user_set_password(x, r->id, body_str(r, "password"), r->id != x->who.id, &r->err);
	if (rc)
		return rc;
	json_t *o = user_json(x, r->id, &r->err);
	return o ? req_reply(r, 200, o) : -E_DB;
}
