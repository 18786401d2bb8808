/* programs.c — the programme catalogue.  A change bumps `version`; filed
 * applications keep the snapshot they were judged by (applications.c). */
#include "services/programs.h"

#include <stdlib.h>
#include <string.h>

#include "rules/eligibility.h"
#include "services/audit.h"

#define FEN_MAX 100000000000LL

#define PROGRAM_FIELDS(req)                                                      \
	{"name", F_STR, req, 1, 50, "项目名称"},                                 \
	{"description", F_STR, 0, 0, 2000, "项目说明"},                          \
	{"standard_fen", F_INT, req, 0, FEN_MAX, "标准金额（分）"},              \
	{"max_fen", F_INT, 0, 0, FEN_MAX, "最高金额（分）"},                     \
	{"deadline_workdays", F_INT, req, 1, 60, "办结时限（工作日）"},          \
	{"documents", F_ARR, 0, 0, 30, "须提交的材料"},                          \
	{"tiers", F_ARR, 0, 1, 3, "审批层级"},                                   \
	{"rules", F_OBJ, 0, 0, 0, "申请条件"},                                    \
	{"emergency", F_BOOL, 0, 0, 0, "临时救助（不需档案）"}

const struct field program_body[] = {
	{"code", F_STR, F_REQ, 2, 32, "项目代码"},
	PROGRAM_FIELDS(F_REQ),
	FIELDS_END,
};
const struct field program_patch[] = {
	PROGRAM_FIELDS(0),
	{"active", F_BOOL, 0, 0, 0, "启用"},
	FIELDS_END,
};

static const char default_tiers[] =
	"[{\"level\":\"street\",\"max_fen\":100000},{\"level\":\"district\",\"max_fen\":500000},"
	"{\"level\":\"city\",\"max_fen\":null}]";

static json_t *parsed(const char *text)
{
	json_t *v = text ? json_loads(text, 0, NULL) : NULL;
	return v ? v : json_null();
}

static json_t *row_json(struct db_stmt *s)
{
	json_t *o = db_row_json(s);
	json_object_set_new(o, "documents", parsed(json_string_value(json_object_get(o, "documents"))));
	json_object_set_new(o, "tiers", parsed(json_string_value(json_object_get(o, "tiers"))));
	json_object_set_new(o, "rules", parsed(json_string_value(json_object_get(o, "rules"))));
	json_object_set_new(o, "active", json_boolean(json_integer_value(json_object_get(o, "active"))));
	json_object_set_new(o, "emergency", json_boolean(json_integer_value(json_object_get(o, "emergency"))));
	return o;
}

#define PROGRAM_COLS "code, name, description, standard_fen, max_fen, deadline_workdays," \
		     " documents, tiers, rules, active, emergency, version, updated_at"

json_t *program_json(struct ctx *x, const char *code, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e, "SELECT " PROGRAM_COLS " FROM programs WHERE code = ?", "s", code);
	if (!s)
		return NULL;
	json_t *o = NULL;
	int rc = db_step(s, e);
	if (rc == DB_ROW)
		o = row_json(s);
	else if (rc == DB_DONE)
		err_set(e, E_NOT_FOUND, "帮扶项目不存在：%s", code ? code : "");
	db_finalize(s);
	return o;
}

int programs_h_list(struct req *r)
{
	struct db_stmt *s = db_q(r->x.db, &r->err, "SELECT " PROGRAM_COLS " FROM programs ORDER BY"
				 " CASE code WHEN 'living' THEN 1 WHEN 'medical' THEN 2 WHEN 'education' THEN 3"
				 " WHEN 'legal' THEN 4 WHEN 'employment' THEN 5 WHEN 'condolence' THEN 6"
				 " WHEN 'microloan' THEN 7 ELSE 8 END, code", "");
	if (!s)
		return -E_DB;
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(s, &r->err)) == DB_ROW)
		json_array_append_new(items, row_json(s));
	db_finalize(s);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	return req_reply_list(r, items, (int64_t)json_array_size(items));
}

int programs_h_get(struct req *r)
{
	json_t *o = program_json(&r->x, r->param[0], &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

/* Checks documents (strings), tiers and rules; returns their JSON text. */
static int check_parts(struct req *r, const char **docs, const char **tiers, const char **rules)
{
	const char *why = NULL;
	json_t *d = json_object_get(r->in, "documents"), *t = json_object_get(r->in, "tiers");
	json_t *ru = json_object_get(r->in, "rules");
	size_t i;
	json_t *v;
	json_array_foreach(d, i, v)
		if (!json_is_string(v) || !*json_string_value(v))
			return err_field(&r->err, "documents", "材料名称应为非空字符串");
	struct tiers tt;
	if (t && tiers_parse(t, &tt, &why))
		return err_field(&r->err, "tiers", "%s", why);
	struct elig_rules er;
	if (ru && elig_parse(ru, &er, &why))
		return err_field(&r->err, "rules", "%s", why);
	char *s;
	*docs = d ? (s = json_dumps(d, JSON_COMPACT), arena_strdup(r->x.a, s)) : NULL;
	if (d)
		free(s);
	*tiers = t ? (s = json_dumps(t, JSON_COMPACT), arena_strdup(r->x.a, s)) : NULL;
	if (t)
		free(s);
	*rules = ru ? (s = json_dumps(ru, JSON_COMPACT), arena_strdup(r->x.a, s)) : NULL;
	if (ru)
		free(s);
	return 0;
}

/* RULE emergency.program: a programme flagged "emergency" names a person
 * instead of a household (API.md "Found early"). */
static int set_emergency(struct req *r, const char *code)
{
	if (!body_has(r, "emergency"))
		return 0;
	return db_run(r->x.db, &r->err, "UPDATE programs SET emergency = ? WHERE code = ?", "is",
		      (int64_t)body_bool(r, "emergency", 0), code);
}

int programs_h_create(struct req *r)
{
	const char *code = body_str(r, "code"), *docs, *tiers, *rules;
	for (const char *p = code; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789_", *p))
			return err_field(&r->err, "code", "项目代码只能包含小写字母、数字和下划线");
	int rc = check_parts(r, &docs, &tiers, &rules);
	if (rc)
		return rc;
	int64_t std = body_int(r, "standard_fen", 0), max = body_int(r, "max_fen", std * 10);
	if (max < std)
		return err_field(&r->err, "max_fen", "最高金额不能低于标准金额");
	rc = db_run(r->x.db, &r->err,
		    "INSERT INTO programs (code, name, description, standard_fen, max_fen, deadline_workdays,"
		    " documents, tiers, rules, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "sssiiissss", code, body_str(r, "name"), body_str(r, "description") ? body_str(r, "description") : "",
		    std, max, body_int(r, "deadline_workdays", 6), docs ? docs : "[]",
		    tiers ? tiers : default_tiers, rules ? rules : "{}", r->x.now_s);
	if (rc && db_last_fail(r->x.db) == DBF_UNIQUE) {
		err_clear(&r->err);
		return err_set(&r->err, E_CONFLICT, "项目代码“%s”已存在", code);
	}
	if (!rc)
		rc = set_emergency(r, code);
	if (!rc)
		rc = audit_add(&r->x, "create", "program", 0, 0, &r->err, "新增帮扶项目 %s（%s）", code,
			       body_str(r, "name"));
	if (rc)
		return rc;
	json_t *o = program_json(&r->x, code, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

int programs_h_update(struct req *r)
{
	const char *code = r->param[0], *docs, *tiers, *rules;
	json_t *cur = program_json(&r->x, code, &r->err);
	if (!cur)
		return -(int)r->err.code;
	int64_t std = body_int(r, "standard_fen", json_integer_value(json_object_get(cur, "standard_fen")));
	int64_t max = body_int(r, "max_fen", json_integer_value(json_object_get(cur, "max_fen")));
	json_decref(cur);
	int rc = check_parts(r, &docs, &tiers, &rules);
	if (rc)
		return rc;
	if (max < std)
		return err_field(&r->err, "max_fen", "最高金额不能低于标准金额");
	rc = db_run(r->x.db, &r->err,
		    "UPDATE programs SET name = COALESCE(?, name), description = COALESCE(?, description),"
		    " standard_fen = ?, max_fen = ?, deadline_workdays = COALESCE(?, deadline_workdays),"
		    " documents = COALESCE(?, documents), tiers = COALESCE(?, tiers), rules = COALESCE(?, rules),"
		    " active = COALESCE(?, active), version = version + 1, updated_at = ? WHERE code = ?",
		    "ssiizssszss", body_str(r, "name"), body_str(r, "description"), std, max,
		    body_int(r, "deadline_workdays", 0), docs, tiers, rules,
		    body_has(r, "active") ? (body_bool(r, "active", 1) ? "1" : "0") : NULL, r->x.now_s, code);
	if (!rc)
		rc = set_emergency(r, code);
	if (!rc)
		rc = audit_add(&r->x, "update", "program", 0, 0, &r->err, "修改帮扶项目 %s", code);
	if (rc)
		return rc;
	json_t *o = program_json(&r->x, code, &r->err);
	return o ? req_reply(r, 200, o) : -E_DB;
}
