/* households.c — create, read, list and edit archives.
 *
 * Precise identification (RULE archive.precise) is checked twice: a
 * friendly look-up that names the holding unit, and the partial unique
 * index on archive_people that makes the database refuse the loser of two
 * concurrent creates.
 */
#include "services/households.h"
#include "services/mutual_aid.h"
#include "services/primary_aid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/req.h"
#include "http/route.h"
#include "rules/household.h"
#include "rules/idcard.h"
#include "rules/mask.h"
#include "rules/money.h"
#include "services/audit.h"
#include "services/hh_search.h"
#include "services/calendar.h"
#include "services/orgs.h"
#include "services/standards.h"

#define FEN_MAX 100000000000LL
#define TEXT_MAX 2000

const struct field member_body[] = {
	{"id", F_INT, 0, 0, 0, "成员编号"},
	{"name", F_STR, F_REQ, 1, 50, "成员姓名"},
	{"id_number", F_STR, 0, 1, 32, "成员身份证号"}, /* required unless `id` keeps it */
	{"relation", F_STR, F_REQ, 1, 20, "与户主关系"},
	{"monthly_income_fen", F_INT, 0, 0, FEN_MAX, "成员月收入（分）"},
	{"health", F_STR, 0, 0, 200, "健康状况"},
	{"school_stage", F_STR, 0, 0, 20, "就学阶段"},
	{"disability", F_BOOL, 0, 0, 0, "残疾"},
	{"occupation", F_STR, 0, 0, 100, "职业"},
	FIELDS_END,
};

/* The simple text and flag columns: same name in the body and the table. */
#define TEXT_FIELDS(X)                                   \
	X("phone", 20, "联系电话")                        \
	X("employer", 100, "工作单位")                    \
	X("address", 200, "家庭住址")                     \
	X("housing", TEXT_MAX, "住房情况")                \
	X("living_conditions", TEXT_MAX, "家庭生活状况")  \
	X("illness", TEXT_MAX, "患病及用药情况")          \
	X("mental_state", TEXT_MAX, "思想状况")           \
	X("employment_needs", TEXT_MAX, "就业需求")       \
	X("skills", TEXT_MAX, "技能特长")                 \
	X("measures", TEXT_MAX, "已采取的帮扶措施")       \
	X("dibao_cert_no", 50, "低保证号")                \
	X("notes", TEXT_MAX, "备注")
#define FLAG_FIELDS(X)                          \
	X("receives_dibao", "享受低保待遇")     \
	X("migrant_worker", "农民工")           \
	X("model_worker", "劳模")               \
	X("disability", "持残疾证")

#define TEXT_SPEC(n, max, lab) {n, F_STR, 0, 0, max, lab},
#define FLAG_SPEC(n, lab) {n, F_BOOL, 0, 0, 0, lab},
#define TEXT_NAME(n, max, lab) n,
#define FLAG_NAME(n, lab) n,

static const char *const text_cols[] = {TEXT_FIELDS(TEXT_NAME) NULL};
static const char *const flag_cols[] = {FLAG_FIELDS(FLAG_NAME) NULL};

const struct field household_body[] = {
	{"org_id", F_INT, F_REQ, 1, 0, "所属单位"},
	{"name", F_STR, F_REQ, 1, 50, "姓名"},
	{"id_number", F_STR, F_REQ, 1, 32, "身份证号"},
	{"monthly_income_fen", F_INT, F_REQ, 0, FEN_MAX, "本人月收入（分）"},
	{"causes", F_ARR, 0, 0, CAUSE__MAX, "致困原因"},
	{"members", F_ARR, 0, 0, 20, "家庭成员", member_body},
	TEXT_FIELDS(TEXT_SPEC) FLAG_FIELDS(FLAG_SPEC) FIELDS_END,
};

const struct field household_patch[] = {
	{"version", F_INT, F_REQ, 1, 0, "版本号"},
	{"id_number", F_STR, 0, 1, 32, "身份证号"},
	{"name", F_STR, 0, 1, 50, "姓名"},
	{"monthly_income_fen", F_INT, 0, 0, FEN_MAX, "本人月收入（分）"},
	{"causes", F_ARR, 0, 0, CAUSE__MAX, "致困原因"},
	{"members", F_ARR, 0, 0, 20, "家庭成员", member_body},
	{"primary_aid", F_STR, F_NULL, 1, 32, "帮扶主项"},
	TEXT_FIELDS(TEXT_SPEC) FLAG_FIELDS(FLAG_SPEC) FIELDS_END,
};

/* --- checks ------------------------------------------------------------- */

static int check_id(struct ctx *x, const char *field, const char *s, struct idcard_info *info,
		    struct err *e)
{
	int rc = idcard_check(s, x->today, info);
	if (rc != ID_OK)
		return err_field(e, field, "%s", idcard_strerror(rc));
	return 0;
}

/* causes → "a,b" (arena) and a bit mask; 422 on an unknown code. */
static int causes_join(struct ctx *x, json_t *arr, const char **out, unsigned *mask, struct err *e)
{
	size_t i;
	json_t *v;
	char buf[512] = "";
	*mask = 0;
	json_array_foreach(arr, i, v) {
		int c = cause_parse(json_string_value(v));
		if (c < 0)
			return err_field(e, "causes", "未知的致困原因：%s",
					 json_is_string(v) ? json_string_value(v) : "（非字符串）");
		if (*mask & CAUSE_BIT(c))
			continue;
		*mask |= CAUSE_BIT(c);
		if (*buf)
			strcat(buf, ",");
		strcat(buf, cause_name(c));
	}
	*out = arena_strdup(x->a, buf);
	return 0;
}

static unsigned causes_mask_of(const char *s)
{
	unsigned m = 0;
	char buf[512];
	snprintf(buf, sizeof buf, "%s", s ? s : "");
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (cause_parse(t) >= 0)
			m |= CAUSE_BIT(cause_parse(t));
	return m;
}

/* RULE archive.precise: the unit holding an open archive with this ID
 * number (other than `self`), or NULL. */
static const char *holder_of(struct ctx *x, const char *idn, int64_t self, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT o.name FROM archive_people p JOIN households h ON h.id = p.household_id"
				 " JOIN orgs o ON o.id = h.org_id WHERE p.id_number = ? AND p.is_open = 1"
				 " AND p.household_id <> ?",
				 "si", idn, self);
	const char *name = NULL;
	if (s && db_step(s, e) == DB_ROW)
		name = arena_strdup(x->a, db_col_text(s, 0));
	db_finalize(s);
	return name;
}

static int duplicate(struct ctx *x, const char *field, const char *holder, struct err *e)
{
	err_set(e, E_DUPLICATE_ID_NUMBER, "该身份证号已在%s的在档家庭中，不能重复建档", holder);
	if (!e->details)
		e->details = json_object();
	json_object_set_new(e->details, "org_name", json_string(holder));
	json_object_set_new(e->details, "field", json_string(field));
	return -E_DUPLICATE_ID_NUMBER;
}

/* After a unique violation the transaction is dead (PostgreSQL): roll back
 * and name the holder from outside it. */
static int race_lost(struct ctx *x, const char *idn, struct err *e)
{
	db_rollback(x->db);
	err_clear(e);
	const char *h = holder_of(x, idn, 0, e);
	return duplicate(x, "id_number", h ? h : "其他单位", e);
}

/* --- members and derived figures ------------------------------------------ */

/* RULE privacy.edit: a number sent back as its stored value or its masked
 * form keeps the stored one.  1 when `given` is either. */
static int keeps_stored(const char *given, const char *stored)
{
	char masked[64];
	if (!given || !stored)
		return !given;
	mask_id_number(stored, masked, sizeof masked);
	return !strcmp(given, stored) || !strcmp(given, masked);
}

/* The members of a PATCH with each kept number filled in from the stored
 * member named by `id` (a new reference); 422 for an `id` that is not one
 * of this household's members. */
static json_t *members_unmasked(struct ctx *x, int64_t hid, json_t *body, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e, "SELECT id, id_number FROM members WHERE household_id = ?", "i", hid);
	json_t *stored = s ? db_rows_json(s, e) : NULL;
	db_finalize(s);
	if (!stored)
		return NULL;
	json_t *out = json_deep_copy(body), *m, *sm;
	size_t i, j;
	int bad = 0;
	json_array_foreach(out, i, m) {
		json_t *mid = json_object_get(m, "id");
		if (!json_is_integer(mid))
			continue;
		const char *found = NULL;
		json_array_foreach(stored, j, sm)
			if (json_integer_value(json_object_get(sm, "id")) == json_integer_value(mid))
				found = json_string_value(json_object_get(sm, "id_number"));
		char field[48];
		snprintf(field, sizeof field, "members[%zu].id", i);
		if (!found)
			bad = err_field(e, field, "该成员不属于本档案，请刷新后重试");
		else if (keeps_stored(json_string_value(json_object_get(m, "id_number")), found))
			json_object_set_new(m, "id_number", json_string(found));
	}
	json_decref(stored);
	if (bad) {
		json_decref(out);
		return NULL;
	}
	return out;
}

static int set_members(struct ctx *x, int64_t id, json_t *worker_idn, json_t *members,
		       struct err *e)
{
	const char *wid = json_string_value(worker_idn);
	struct idcard_info winfo, minfo[20];
	size_t i, n = json_array_size(members);
	json_t *m;
	int rc = 0;
	char field[64];
	if (check_id(x, "id_number", wid, &winfo, e))
		rc = -E_VALIDATION_FAILED;
	json_array_foreach(members, i, m) {
		snprintf(field, sizeof field, "members[%zu].id_number", i);
		if (check_id(x, field, json_string_value(json_object_get(m, "id_number")), &minfo[i], e)) {
			rc = -E_VALIDATION_FAILED;
			continue;
		}
		if (!strcmp(minfo[i].norm, winfo.norm))
			rc = err_field(e, field, "成员身份证号与户主相同");
		for (size_t j = 0; j < i; j++)
			if (!strcmp(minfo[j].norm, minfo[i].norm))
				rc = err_field(e, field, "与第%zu位成员的身份证号重复", j + 1);
		const char *rel = json_string_value(json_object_get(m, "relation"));
		if (relation_parse(rel) < 0) {
			snprintf(field, sizeof field, "members[%zu].relation", i);
			rc = err_field(e, field, "与户主关系应为 spouse、child、parent、sibling、grandparent、grandchild 或 other");
		}
		const char *st = json_string_value(json_object_get(m, "school_stage"));
		if (st && school_parse(st) < 0) {
			snprintf(field, sizeof field, "members[%zu].school_stage", i);
			rc = err_field(e, field, "就学阶段应为 none、preschool、primary、junior、senior、vocational 或 university");
		}
	}
	if (rc)
		return rc;
	/* friendly duplicate check first: names the holding unit */
	const char *h = holder_of(x, winfo.norm, id, e);
	if (h)
		return duplicate(x, "id_number", h, e);
	for (i = 0; i < n; i++)
		if ((h = holder_of(x, minfo[i].norm, id, e))) {
			snprintf(field, sizeof field, "members[%zu].id_number", i);
			return duplicate(x, field, h, e);
		}
	if ((rc = db_run(x->db, e, "DELETE FROM archive_people WHERE household_id = ?", "i", id)) ||
	    (rc = db_run(x->db, e, "DELETE FROM members WHERE household_id = ?", "i", id)))
		return rc;
	if (db_run(x->db, e, "INSERT INTO archive_people (id_number, household_id) VALUES (?, ?)",
		   "si", winfo.norm, id))
		return db_last_fail(x->db) == DBF_UNIQUE ? race_lost(x, winfo.norm, e) : -E_DB;
	json_array_foreach(members, i, m) {
		char bd[11];
		date_format(minfo[i].birth, bd);
		const char *st = json_string_value(json_object_get(m, "school_stage"));
		rc = db_run(x->db, e,
			    "INSERT INTO members (household_id, name, id_number, relation, gender, birth_date,"
			    " monthly_income_fen, health, school_stage, disability, occupation)"
			    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			    "isssssissis", id, json_string_value(json_object_get(m, "name")),
			    minfo[i].norm, json_string_value(json_object_get(m, "relation")),
			    minfo[i].male ? "male" : "female", bd,
			    (int64_t)json_integer_value(json_object_get(m, "monthly_income_fen")),
			    json_string_value(json_object_get(m, "health")), st ? st : "none",
			    (int64_t)json_is_true(json_object_get(m, "disability")),
			    json_string_value(json_object_get(m, "occupation")));
		if (rc)
			return rc;
		if (db_run(x->db, e, "INSERT INTO archive_people (id_number, household_id) VALUES (?, ?)",
			   "si", minfo[i].norm, id))
			return db_last_fail(x->db) == DBF_UNIQUE ? race_lost(x, minfo[i].norm, e) : -E_DB;
	}
	return 0;
}

int household_set_members(struct ctx *x, int64_t id, json_t *worker_idn, json_t *members,
			  struct err *e)
{
	json_t *kept = members_unmasked(x, id, members, e);
	if (!kept)
		return -(int)(e->code ? e->code : E_DB);
	int rc = set_members(x, id, worker_idn, kept, e);
	json_decref(kept);
	return rc;
}

static int64_t setting_int(struct ctx *x, const char *key, int64_t def)
{
	struct err ignore = {0};
	struct db_stmt *s = db_q(x->db, &ignore, "SELECT value FROM settings WHERE key = ?", "s", key);
	int64_t v = def;
	if (s && db_step(s, &ignore) == DB_ROW && db_col_text(s, 0))
		v = strtoll(db_col_text(s, 0), NULL, 10);
	db_finalize(s);
	err_clear(&ignore);
	return v > 0 ? v : def;
}

int household_recompute(struct ctx *x, int64_t id, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT h.org_id, h.monthly_income_fen, h.causes,"
				 " (SELECT COUNT(*) FROM members m WHERE m.household_id = h.id),"
				 " (SELECT COALESCE(SUM(monthly_income_fen), 0) FROM members m WHERE m.household_id = h.id)"
				 " FROM households h WHERE h.id = ?",
				 "i", id);
	if (!s)
		return -E_DB;
	int rc = db_step(s, e);
	if (rc != DB_ROW) {
		db_finalize(s);
		return rc < 0 ? rc : err_set(e, E_NOT_FOUND, NULL);
	}
	int64_t org = db_col_int(s, 0), total = db_col_int(s, 1) + db_col_int(s, 4);
	int64_t size = 1 + db_col_int(s, 3);
	unsigned mask = causes_mask_of(db_col_text(s, 2));
	db_finalize(s);

	struct hh_basis b;
	if ((rc = household_basis(x, org, &b, e)))
		return rc;
	int64_t pc;
	const char *cat;
	household_figures(&b, total, size, mask, &pc, &cat);
	return db_run(x->db, e,
		      "UPDATE households SET household_size = ?, per_capita_income_fen = ?, standard_fen = ?,"
		      " suggested_category = ? WHERE id = ?",
		      "iizsi", size, pc, b.found ? b.standard_fen : 0, cat, id);
}

int household_basis(struct ctx *x, int64_t org_id, struct hh_basis *b, struct err *e)
{
	int year;
	int64_t src = 0, src_year = 0;
	date_to_ymd(x->today, &year, &(int){0}, &(int){0});
	*b = (struct hh_basis){0};
	int rc = standard_effective(x, org_id, year, &b->standard_fen, &src, &src_year, &b->found, e);
	b->marginal_pct = (int)setting_int(x, "marginal_factor_pct", CATEGORY_MARGINAL_PCT);
	return rc;
}

void household_figures(const struct hh_basis *b, int64_t total_fen, int64_t size, unsigned causes,
		       int64_t *per_capita_fen, const char **category)
{
	*per_capita_fen = money_div_half_up(total_fen, size); /* RULE income.per_capita */
	*category = category_name(category_suggest(*per_capita_fen, b->found ? b->standard_fen : 0,
						   b->marginal_pct, causes));
}

int household_event(struct ctx *x, int64_t id, const char *action, const char *from,
		    const char *to, const char *comment, const char *data, struct err *e)
{
	return db_run(x->db, e,
		      "INSERT INTO household_events (household_id, at, user_id, action, from_status,"
		      " to_status, comment, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		      "iszsssss", id, x->now_s, x->who.id, action, from, to, comment, data);
}

/* --- create ------------------------------------------------------------------ */

int household_create(struct ctx *x, json_t *b, int64_t *id, struct err *e)
{
	int64_t org = json_integer_value(json_object_get(b, "org_id"));
	int rc = org_in_scope(x, org, NULL, e);
	if (rc)
		return rc;
	const char *causes = "";
	unsigned mask = 0;
	if ((rc = causes_join(x, json_object_get(b, "causes"), &causes, &mask, e)))
		return rc;
	struct idcard_info info;
	const char *idn = json_string_value(json_object_get(b, "id_number"));
	if ((rc = check_id(x, "id_number", idn, &info, e)))
		return rc;
	char bd[11];
	date_format(info.birth, bd);

	/* RULE income.per_capita: the figures as household_recompute() makes
	 * them from the stored rows (the worker and the members of the body),
	 * written with the row instead of by an UPDATE after it */
	json_t *members = json_object_get(b, "members"), *m;
	int64_t total = json_integer_value(json_object_get(b, "monthly_income_fen")), size = 1, pc;
	size_t i;
	json_array_foreach(members, i, m) {
		total += json_integer_value(json_object_get(m, "monthly_income_fen"));
		size++;
	}
	struct hh_basis hb;
	const char *cat;
	if ((rc = household_basis(x, org, &hb, e)))
		return rc;
	household_figures(&hb, total, size, mask, &pc, &cat);

	struct db_args a = {0};
	char cols[1024] = "org_id, status, name, id_number, gender, birth_date, monthly_income_fen,"
			  " causes, household_size, per_capita_income_fen, standard_fen, suggested_category,"
			  " created_by, created_at, updated_at";
	char vals[512] = "?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";
	db_arg_int(&a, org);
	db_arg_str(&a, json_string_value(json_object_get(b, "name")));
	db_arg_str(&a, info.norm);
	db_arg_str(&a, info.male ? "male" : "female");
	db_arg_str(&a, bd);
	db_arg_int(&a, json_integer_value(json_object_get(b, "monthly_income_fen")));
	db_arg_str(&a, causes);
	db_arg_int(&a, size);
	db_arg_int(&a, pc);
	if (hb.found)
		db_arg_int(&a, hb.standard_fen);
	else
		db_arg_str(&a, NULL);
	db_arg_str(&a, cat);
	if (x->who.id)
		db_arg_int(&a, x->who.id);
	else
		db_arg_str(&a, NULL);
	db_arg_str(&a, x->now_s);
	db_arg_str(&a, x->now_s);
	for (int i = 0; text_cols[i]; i++) {
		json_t *v = json_object_get(b, text_cols[i]);
		if (json_is_string(v)) {
			strcat(cols, ", ");
			strcat(cols, text_cols[i]);
			strcat(vals, ", ?");
			db_arg_str(&a, json_string_value(v));
		}
	}
	for (int i = 0; flag_cols[i]; i++) {
		strcat(cols, ", ");
		strcat(cols, flag_cols[i]);
		strcat(vals, ", ?");
		db_arg_int(&a, json_is_true(json_object_get(b, flag_cols[i])));
	}
	if ((rc = db_insert_args(x->db, e, id,
				 arena_printf(x->a, "INSERT INTO households (%s) VALUES (%s)", cols, vals), &a)))
		return rc;
	json_t *empty = json_array();
	rc = household_set_members(x, *id, json_object_get(b, "id_number"), members ? members : empty, e);
	json_decref(empty);
	if (!rc)
		rc = name_grams_put(x, *id, org, json_string_value(json_object_get(b, "name")), e);
	if (!rc)
		rc = household_event(x, *id, "create", NULL, "draft", NULL, NULL, e);
	if (!rc)
		rc = audit_add(x, "create", "household", *id, org, e, "新建困难职工档案（草稿）：%s",
			       json_string_value(json_object_get(b, "name")));
	return rc;
}

/* --- read ---------------------------------------------------------------------- */

#define HH_COLS                                                                                \
	"h.id, h.org_id, o.name AS org_name, h.version, h.status, h.name, h.id_number, h.gender," \
	" h.birth_date, h.phone, h.employer, h.address, h.monthly_income_fen, h.causes,"           \
	" h.housing, h.living_conditions, h.illness, h.mental_state, h.employment_needs,"          \
	" h.skills, h.measures, h.dibao_cert_no, h.receives_dibao, h.migrant_worker,"              \
	" h.model_worker, h.disability, h.notes, h.household_size, h.per_capita_income_fen,"      \
	" h.standard_fen, h.suggested_category, h.category, h.archive_no, h.notice_end,"          \
	" h.next_review_date, h.last_review_date, h.exit_suggested, h.exit_reason,"               \
	" h.entered_on, h.exited_on, h.monitor_until, h.submitted_by, h.created_at, h.updated_at, h.primary_aid"

static void fix_bools(json_t *o, const char *const *names)
{
	for (; *names; names++) {
		json_t *v = json_object_get(o, *names);
		if (json_is_integer(v))
			json_object_set_new(o, *names, json_boolean(json_integer_value(v)));
	}
}

void person_mask_fields(json_t *o, day_t today)
{
	char buf[64];
	const char *idn = json_string_value(json_object_get(o, "id_number"));
	if (idn) {
		mask_id_number(idn, buf, sizeof buf);
		json_object_set_new(o, "id_number", json_string(buf));
	}
	const char *ph = json_string_value(json_object_get(o, "phone"));
	if (ph) {
		mask_phone(ph, buf, sizeof buf);
		json_object_set_new(o, "phone", json_string(buf));
	}
	/* RULE mask.birth: the hidden digits are the birth date, so the age
	 * stands in for it */
	json_t *bd = json_object_get(o, "birth_date");
	if (bd) {
		day_t b;
		if (date_parse(json_string_value(bd), &b) == 0)
			json_object_set_new(o, "age", json_integer(date_age(b, today)));
		json_object_del(o, "birth_date");
	}
}

static void causes_array(json_t *o)
{
	const char *c = json_string_value(json_object_get(o, "causes"));
	json_t *arr = json_array();
	char buf[512];
	snprintf(buf, sizeof buf, "%s", c ? c : "");
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		json_array_append_new(arr, json_string(t));
	json_object_set_new(o, "causes", arr);
}

static const char *const hh_bools[] = {"receives_dibao", "migrant_worker", "model_worker",
				       "disability", "exit_suggested", NULL};
static const char *const member_bools[] = {"disability", NULL};

/* A household with its members: each row of the statement carries the
 * household and one member (none: NULLs), in the members' order. */
#define MEMBER_COLS                                                                                 \
	"m.id, m.name, m.id_number, m.relation, m.gender, m.birth_date, m.monthly_income_fen, m.health," \
	" m.school_stage, m.disability, m.occupation"
#define HH_WITH_MEMBERS                                                                              \
	"SELECT " HH_COLS ", " MEMBER_COLS " FROM households h JOIN orgs o ON o.id = h.org_id"          \
	" LEFT JOIN members m ON m.household_id = h.id WHERE h.id = ?"

/* How many columns MEMBER_COLS names. */
static int member_ncols(void)
{
	int n = 1;
	for (const char *p = MEMBER_COLS; *p; p++)
		n += *p == ',';
	return n;
}

/* scoped: only within the caller's scope (404 otherwise).  The record and
 * its members are one statement: a round trip less to PostgreSQL's
 * backend for every archive opened.  with: a statement to send in the
 * same round trip (the caller steps and finalizes it), or NULL. */
static json_t *household_json_in(struct ctx *x, int64_t id, int full, int scoped, struct db_stmt *with,
				 struct err *e)
{
	struct db_stmt *s = db_q(x->db, e,
				 scoped ? HH_WITH_MEMBERS " AND o.path LIKE ? ORDER BY m.id" : HH_WITH_MEMBERS " ORDER BY m.id",
				 scoped ? "is" : "i", id, scoped ? ctx_scope_like(x) : NULL);
	if (!s)
		return NULL;
	if (with && db_run_ahead((struct db_stmt *[]){s, with}, 2, e)) {
		db_finalize(s);
		return NULL;
	}
	json_t *o = NULL, *members = json_array();
	int rc, n = 0, nh = 0;
	while ((rc = db_step(s, e)) == DB_ROW) {
		if (!o) { /* PostgreSQL knows the columns once the statement ran */
			n = db_col_count(s);
			nh = n - member_ncols();
			o = db_row_json_cols(s, 0, nh);
		}
		if (db_col_type(s, nh) != DBC_NULL) {
			json_t *m = db_row_json_cols(s, nh, n);
			fix_bools(m, member_bools);
			if (!full)
				person_mask_fields(m, x->today);
			json_array_append_new(members, m);
		}
	}
	db_finalize(s);
	if (rc < 0 || !o) {
		if (rc == DB_DONE)
			err_set(e, E_NOT_FOUND, "档案不存在");
		json_decref(o);
		json_decref(members);
		return NULL;
	}
	fix_bools(o, hh_bools);
	causes_array(o);
	calendar_flag(x, o, "notice_end", "notice_end_provisional"); /* RULE calendar.provisional */
	if (!full) {
		person_mask_fields(o, x->today);
		json_object_set_new(o, "masked", json_true());
	}
	json_object_set_new(o, "members", members);
	return o;
}

json_t *household_json(struct ctx *x, int64_t id, int full, struct err *e)
{
	return household_json_in(x, id, full, 0, NULL, e);
}

int household_load(struct ctx *x, int64_t id, enum hh_status *st, int64_t *org_id,
		   int64_t *version, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT h.status, h.org_id, h.version FROM households h JOIN orgs o ON o.id = h.org_id"
				 " WHERE h.id = ? AND o.path LIKE ?",
				 "is", id, ctx_scope_like(x));
	if (!s)
		return -E_DB;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		if (st)
			*st = hh_status_parse(db_col_text(s, 0));
		if (org_id)
			*org_id = db_col_int(s, 1);
		if (version)
			*version = db_col_int(s, 2);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_set(e, E_NOT_FOUND, "档案不存在");
	}
	db_finalize(s);
	return rc;
}

int households_scope(struct req *r)
{
	return household_load(&r->x, r->id, NULL, NULL, NULL, &r->err);
}

/* The scope check of GET /households/{id}: the masked record itself, read
 * within the scope (one statement where the check and the read were two),
 * with the people's mutual-aid plans (services/mutual_enrol.c) sent in
 * the same round trip, kept for the handler. */
int households_scope_read(struct req *r)
{
	struct db_stmt *plans = ma_household_plans_q(&r->x, r->id, &r->err);
	json_t *o = plans ? household_json_in(&r->x, r->id, 0, 1, plans, &r->err) : NULL;
	json_t *ma = o ? db_rows_json(plans, &r->err) : NULL;
	db_finalize(plans);
	if (!ma) {
		json_decref(o);
		return -(int)(r->err.code ? r->err.code : E_DB);
	}
	json_object_set_new(o, "mutual_aid", ma);
	r->scoped = o;
	return 0;
}

int households_h_create(struct req *r)
{
	int64_t id = 0;
	int rc = household_create(&r->x, r->in, &id, &r->err);
	if (rc)
		return rc;
	json_t *o = household_json(&r->x, id, 0, &r->err);
	return o ? req_reply(r, 201, o) : -E_DB;
}

/* GET /households/{id}: masked for every role (RULE privacy.masked); a
 * plain read writes nothing. */
int households_h_get(struct req *r)
{
	json_t *o = r->scoped; /* households_scope_read, with the plans */
	r->scoped = NULL;
	return o ? req_reply(r, 200, o) : -(int)(r->err.code ? r->err.code : E_DB);
}

const struct field reveal_body[] = {
	{"reason", F_STR, F_REQ, 2, 200, "查看原因"},
	FIELDS_END,
};

json_t *household_reveal(struct ctx *x, int64_t id, const char *reason, struct err *e)
{
	int64_t org = 0;
	if (household_load(x, id, NULL, &org, NULL, e))
		return NULL;
	json_t *o = household_json(x, id, 1, e);
	if (o && audit_add(x, "reveal", "household", id, org, e, "查看完整信息：%s；原因：%s",
			   json_string_value(json_object_get(o, "name")), reason)) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

/* POST /households/{id}/reveal {"reason"}: the full ID numbers, phones and
 * birth dates of the worker and every member (RULE privacy.reveal). */
int households_h_reveal(struct req *r)
{
	json_t *h = household_reveal(&r->x, r->id, body_str(r, "reason"), &r->err);
	if (!h)
		return -(int)(r->err.code ? r->err.code : E_DB);
	json_t *members = json_array(), *m;
	size_t i;
	json_array_foreach(json_object_get(h, "members"), i, m)
		json_array_append_new(members, json_pack("{s:O, s:O, s:O, s:n, s:O}", "id", json_object_get(m, "id"),
							 "name", json_object_get(m, "name"), "id_number",
							 json_object_get(m, "id_number"), "phone", "birth_date",
							 json_object_get(m, "birth_date")));
	json_t *o = json_pack("{s:I, s:O, s:O, s:O, s:o}", "id", (json_int_t)r->id, "id_number",
			      json_object_get(h, "id_number"), "phone", json_object_get(h, "phone"),
			      "birth_date", json_object_get(h, "birth_date"), "members", members);
	json_decref(h);
	return req_reply(r, 200, o);
}

int hh_filter_from_query(struct req *r, struct hh_filter *f)
{
	memset(f, 0, sizeof *f);
	int rc = req_query_int(r, "org_id", 0, 0, INT64_MAX, &f->org_id);
	if (rc)
		return rc;
	f->status = req_query(r, "status");
	f->category = req_query(r, "category");
	f->q = req_query(r, "q");
	f->primary_aid = req_query(r, "primary_aid");
	const char *due = req_query(r, "review_due"), *exs = req_query(r, "exit_suggested");
	f->review_due = due && !strcmp(due, "true");
	f->exit_suggested = exs && !strcmp(exs, "true");
	const char *mon = req_query(r, "monitoring");
	f->monitoring = mon && !strcmp(mon, "true");
	return 0;
}

#define HH_LIST_COLS                                                                              \
	"h.id, h.org_id, o.name AS org_name, h.version, h.status, h.name, h.id_number, h.gender,"  \
	" h.birth_date, h.phone, h.causes, h.household_size, h.per_capita_income_fen,"             \
	" h.suggested_category, h.category, h.archive_no, h.notice_end, h.next_review_date,"       \
	" h.exit_suggested, h.monitor_until, h.updated_at, h.primary_aid"

/* The caller's scope is a root unit ("/1/"): the whole tree. */
static int scope_is_root(const struct ctx *x)
{
	const char *p = x->who.org_path;
	return p && p[0] == '/' && p[1] && strchr(p + 1, '/') == p + strlen(p) - 1;
}

/* " AND h.<col> = ?" with v in a, or with v written in when lit (the
 * whole tree's pages, RULE scope.root: v is a known status or category,
 * checked by the caller, written from our own table); "" for no v. */
static const char *enum_eq(struct ctx *x, const char *col, const char *v, int lit, struct db_args *a)
{
	if (!v)
		return "";
	if (!lit) {
		if (a) /* NULL: the same clause again, its value already in the list's arguments */
			db_arg_str(a, v);
		return arena_printf(x->a, " AND h.%s = ?", col);
	}
	return arena_printf(x->a, " AND h.%s = '%s'", col,
			    *col == 's' ? hh_status_name(hh_status_parse(v)) : category_name(category_parse(v)));
}

/* The FROM ... WHERE of the list for f (arguments into a), and its order.
 * 404 for an org outside the scope, 422 for an unknown status or category.
 * split: for review_page (the day, not the statuses); whole: the whole
 * tree, without the orgs and their path, the status and category written
 * in (RULE scope.root). */
static int list_sql(struct ctx *x, const struct hh_filter *f, int split, int whole, char *where, size_t wn,
		    struct db_args *a, const char **order, struct err *e)
{
	int rc;
	const char *like = ctx_scope_like(x);
	if (f->org_id) {
		struct org o;
		if ((rc = org_in_scope(x, f->org_id, &o, e)))
			return rc;
		like = arena_printf(x->a, "%s%%", o.path);
	}
	const char *status = f->status, *cat = f->category, *q = f->q;
	if (status && hh_status_parse(status) < 0)
		return err_field(e, "status", "未知的档案状态：%s", status);
	if (cat && category_parse(cat) < 0)
		return err_field(e, "category", "未知的困难类别：%s", cat);
	/* RULE list.q: digits are an archive-number prefix (an index range);
	 * anything else is a name, found through its grams (hh_search.c) */
	int by_name = q && *q && strspn(q, "0123456789") != strlen(q);
	if (whole) {
		/* RULE scope.root: the whole tree (households_h_list) */
		snprintf(where, wn, "FROM households h WHERE TRUE");
	} else if (by_name) {
		name_grams_from(x, q, where, wn, a);
		strcat(where, " AND o.path LIKE ?");
	} else {
		snprintf(where, wn, "FROM households h JOIN orgs o ON o.id = h.org_id WHERE o.path LIKE ?");
	}
	if (!whole)
		db_arg_str(a, like);
	strcat(where, enum_eq(x, "status", status, whole, a));
	strcat(where, enum_eq(x, "category", cat, whole, a));
	if (q && *q && !by_name) {
		strcat(where, " AND h.archive_no >= ? AND h.archive_no < ?");
		db_arg_str(a, q);
		db_arg_str(a, arena_printf(x->a, "%s:", q)); /* ':' sorts right after '9' */
	}
	if (f->review_due) { /* RULE watch.review_due: the watched exits too */
		strcat(where, " AND h.next_review_date <= ?");
		db_arg_str(a, x->today_s);
		if (!split) { /* split: review_page() adds each arm's status */
			strcat(where, " AND h.status IN ('active', 'exited') AND (h.status = 'active' OR h.monitor_until >= ?)");
			db_arg_str(a, x->today_s);
		}
	}
	if (f->monitoring) { /* RULE watch.list */
		strcat(where, " AND h.status = 'exited' AND h.monitor_until >= ?");
		db_arg_str(a, x->today_s);
	}
	if (f->exit_suggested)
		strcat(where, " AND h.status = 'active' AND h.exit_suggested = 1");
	if (f->primary_aid) { /* 帮扶主项 */
		strcat(where, " AND h.primary_aid = ?");
		db_arg_str(a, f->primary_aid);
	}
	/* RULE list.q: an archive-number prefix in archive-number order, newest
	 * first, read in order from households_archive_no (by id, a page of a
	 * district's year at a million archives walked the table from its end:
	 * 10 ms) */
	*order = f->review_due			       ? "h.next_review_date, h.id"
		 : by_name			       ? NAME_GRAMS_ORDER
		 : q && *q			       ? "h.archive_no DESC, h.id DESC"
						       : "h.id DESC";
	return 0;
}

/* A list row as the answer shows it. */
static void list_item(json_t *it, day_t today)
{
	fix_bools(it, hh_bools);
	causes_array(it);
	person_mask_fields(it, today); /* RULE mask.list */
}

/* RULE scope.root: the whole tree's first pages (up to FIRST_ROWS rows)
 * are read by a statement prepared once on PostgreSQL, with their status
 * and category written in: one plan fits every page of those, but only
 * when the rows read in order are cut by a number written in (cut by
 * `LIMIT $n`, PostgreSQL costs the generic plan as if a tenth of the rows
 * were read, and planned every page again: the planning was most of a
 * page's time).  The number is the next power of two of the rows the page
 * needs, from 32, so that five statements serve every such page; the page
 * is cut from those rows by `LIMIT ? OFFSET ?`. */
#define FIRST_ROWS 500
static const char *first_rows(struct ctx *x, int64_t n)
{
	int64_t k = 32;
	while (k < n)
		k *= 2;
	return arena_printf(x->a, "%lld", (long long)k);
}

/* A page of the list: the total (a kept count, or counted over `count`),
 * then the page's ids, ordered and cut from the indexes alone, then only
 * those rows: a sort of thousands of matching archives (an archive-number
 * prefix, the reviews due) never carries their whole rows. */
static int list_page(struct ctx *x, const char *where, const char *count, const char *order, struct db_args *a,
		     int once, int64_t limit, int64_t offset, json_t **items, int64_t *total, struct err *e)
{
	/* a count over the list's own FROM ... WHERE is planned with its
	 * values, as the page (DB_PLAN_EACH) */
	const char *csql = strncmp(count, "SELECT ", 7) && strncmp(count, "WITH ", 5) &&
				   strncmp(count, DB_PLAN_EACH, sizeof DB_PLAN_EACH - 1)
				   ? arena_printf(x->a, DB_PLAN_EACH "SELECT COUNT(*) %s", count)
				   : count;
	struct db_stmt *s = db_q_args(x->db, e, csql, a);
	int rc = s ? db_step(s, e) : -E_DB;
	*total = rc == DB_ROW ? db_col_int(s, 0) : 0;
	db_finalize(s);
	*items = NULL;
	if (rc != DB_ROW)
		return rc < 0 ? rc : err_set(e, E_DB, NULL);
	/* A name's page (RULE list.q) is prepared once on PostgreSQL: its one
	 * way in is the gram's key, read backwards, so the generic plan is the
	 * plan for the values, and planning it again at every page was 40% of
	 * PostgreSQL's CPU for the request (1.75 -> 1.2 ms at a million). */
	int grams = !strcmp(order, NAME_GRAMS_ORDER), n = a->n;
	const char *ids = arena_printf(x->a, "SELECT %s %s ORDER BY %s LIMIT ? OFFSET ?",
				       grams ? "g.household_id" : "h.id", where, order);
	if (once) /* the whole tree's first pages, newest first (RULE scope.root) */
		ids = arena_printf(x->a, "SELECT u.id FROM (SELECT h.id %s ORDER BY h.id DESC LIMIT %s) u"
					 " ORDER BY u.id DESC LIMIT ? OFFSET ?", where, first_rows(x, offset + limit));
	db_arg_int(a, limit);
	db_arg_int(a, offset);
	s = db_q_args(x->db, e,
		      arena_printf(x->a, "%sSELECT " HH_LIST_COLS " FROM households h JOIN orgs o ON o.id = h.org_id"
					 " WHERE h.id IN (%s) ORDER BY %s",
				   grams || once ? "" : DB_PLAN_EACH, ids, grams ? "h.id DESC" : order),
		      a);
	*items = s ? db_rows_json(s, e) : NULL;
	db_finalize(s);
	a->n = n;
	return *items ? 0 : -E_DB;
}

static void args_append(struct db_args *to, const struct db_args *from)
{
	for (int i = 0; i < from->n; i++)
		from->type[i] == 'i' ? db_arg_int(to, from->i[i]) : db_arg_str(to, from->s[i]);
}

/* RULE watch.review_due: the reviews due are the active archives and the
 * exits still under watch.  One OR over both statuses cannot be read in
 * date order from households_review (status, next_review_date, id, org_id), so
 * every page sorted all the due archives; instead each arm reads its first
 * offset + limit ids in order from its own index, and only those are
 * merged by date.  `where` is list_sql()'s split form (the day, not the
 * statuses), with its arguments `a`. */
static int review_page(struct ctx *x, const struct hh_filter *f, int whole, const char *where,
		       const struct db_args *a, int64_t limit, int64_t offset, json_t **items, int64_t *total,
		       struct err *e)
{
	/* the arms that a status leaves: none for any other status */
	int act = !f->status || !strcmp(f->status, "active"), ex = !f->status || !strcmp(f->status, "exited");
	/* The watched exits' arm reads households_watch_due (migration 035) in
	 * date order, the end of each watch checked on its entry: since the
	 * ended watches' visits are cleared (RULE watch.end), nearly every
	 * entry up to today is one.  The check is spelled with COALESCE so
	 * that PostgreSQL does not read it as a range of households_watch:
	 * it guessed few rows in both ranges there (63 for 1,693 at a million
	 * archives) and sorted every exit under watch for each page. */
	static const char *arm_sql[2] = {" AND h.status = 'active'",
					 " AND h.status = 'exited' AND COALESCE(h.monitor_until, '') >= ?"};
	int arm[2] = {act, ex};
	struct db_args b = {0};
	*items = NULL;
	*total = 0;
	if (!act && !ex) {
		*items = json_array();
		return 0;
	}
	const char *count = NULL;
	if (!(f->q && *f->q) && !f->category && !f->exit_suggested && !f->monitoring && !f->primary_aid) {
		/* RULE counts.review: three range sums of the scope's own
		 * unit in review_tally (migration 031): the active archives
		 * due by today, and the watched exits due, as those whose
		 * watch lasts until today or later less those whose visit
		 * is still ahead */
#define TALLY "(SELECT COALESCE(SUM(n), 0) FROM review_tally WHERE org_id = ? AND kind = "
		static const char *sums[3] = {" + " TALLY "'a' AND day <= ?)", " + " TALLY "'u' AND day >= ?)",
					      " - " TALLY "'n' AND day > ?)"};
#undef TALLY
		int64_t root = f->org_id ? f->org_id : x->who.org_id;
		count = "SELECT 0";
		for (int k = 0; k < 3; k++)
			if (k ? ex : act) {
				count = arena_printf(x->a, "%s%s", count, sums[k]);
				db_arg_int(&b, root);
				db_arg_str(&b, x->today_s);
			}
	} else {
		count = DB_PLAN_EACH "SELECT 0";
		for (int k = 0; k < 2; k++)
			if (arm[k]) {
				count = arena_printf(x->a, "%s + (SELECT COUNT(*) %s%s)", count, where, arm_sql[k]);
				args_append(&b, a);
				if (k)
					db_arg_str(&b, x->today_s);
			}
	}
	struct db_stmt *s = db_q_args(x->db, e, count, &b);
	int rc = s ? db_step(s, e) : -E_DB;
	*total = rc == DB_ROW ? db_col_int(s, 0) : 0;
	db_finalize(s);
	if (rc != DB_ROW)
		return rc < 0 ? rc : err_set(e, E_DB, NULL);
	/* whole (RULE scope.root): no unit's path in the arms, whose one way
	 * in is households_review in date order, so one plan fits every day:
	 * on PostgreSQL the first pages are prepared once, each arm cut by
	 * first_rows() (with `LIMIT $n` the generic plan was costed at 2,111
	 * against 434 for the values, and never chosen; with the number, 433).
	 * Parsing and planning the page with its values were 1.5 of its 2.6 ms
	 * at a million archives.  A unit's page is still planned with its path
	 * (a generic plan read 11 ms for a district), and so is a page past
	 * the first FIRST_ROWS rows. */
	int once = whole && offset + limit <= FIRST_ROWS;
	const char *arms = NULL, *lim = once ? first_rows(x, offset + limit) : "?";
	b.n = 0;
	for (int k = 0; k < 2; k++)
		if (arm[k]) {
			const char *one = arena_printf(x->a, "SELECT * FROM (SELECT h.id, h.next_review_date AS d %s%s"
							     " ORDER BY h.next_review_date, h.id LIMIT %s) a%d",
						       where, arm_sql[k], lim, k);
			arms = arms ? arena_printf(x->a, "%s UNION ALL %s", arms, one) : one;
			args_append(&b, a);
			if (k)
				db_arg_str(&b, x->today_s);
			if (!once)
				db_arg_int(&b, offset + limit);
		}
	db_arg_int(&b, limit);
	db_arg_int(&b, offset);
	s = db_q_args(x->db, e,
		      arena_printf(x->a, "%sSELECT " HH_LIST_COLS " FROM households h JOIN orgs o ON o.id = h.org_id"
					 " WHERE h.id IN (SELECT u.id FROM (%s) u ORDER BY u.d, u.id LIMIT ? OFFSET ?)"
					 " ORDER BY h.next_review_date, h.id",
				   once ? "" : DB_PLAN_EACH, arms),
		      &b);
	*items = s ? db_rows_json(s, e) : NULL;
	db_finalize(s);
	return *items ? 0 : -E_DB;
}

/* GET /households?status=&category=&org_id=&q=&review_due=true&exit_suggested=true */
int households_h_list(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t limit, offset;
	struct hh_filter f;
	struct db_args a = {0};
	char where[1024];
	const char *order;
	int rc = req_paging(r, &limit, &offset);
	if (!rc)
		rc = hh_filter_from_query(r, &f);
	/* RULE scope.root: init makes the one root and POST /orgs no other
	 * (a null parent_id is refused), so the root's caller, with no unit
	 * asked for, sees every archive: its reviews due, and on PostgreSQL
	 * its lists by status and category, are read without the orgs' paths.
	 * SQLite reads a list through the units, each unit's archives of the
	 * status in id order from households_status (status, org_id, id), and
	 * ends each unit's read once the page is full (its ordered inner loop):
	 * 0.1 ms for the city's active archives at a million, where without
	 * the units it sorted all 600,000 of them (44 ms) */
	int whole = !rc && (!f.org_id || f.org_id == x->who.org_id) && scope_is_root(x) && !(f.q && *f.q) &&
		    !f.exit_suggested && !f.monitoring && !f.primary_aid &&
		    (f.review_due ? !f.category : db_kind(x->db) == DB_PG);
	if (!rc)
		rc = list_sql(x, &f, f.review_due, whole, where, sizeof where, &a, &order, &r->err);
	if (rc)
		return rc;
	int64_t total = 0;
	json_t *items = NULL;
	/* RULE counts.kept: without a name, date or flag filter the total is
	 * the kept count (migration 011), with the list's arguments in order */
	const char *kept = NULL;
	if (f.primary_aid)
		kept = NULL;
	else if (f.q && *f.q && strspn(f.q, "0123456789") != strlen(f.q) && !f.status && !f.category && !f.review_due &&
	    !f.exit_suggested && !f.monitoring)
		kept = name_grams_count(f.q); /* RULE list.q: the grams and their units alone */
	else if (f.q && *f.q && strlen(f.q) <= 10 && !f.status && !f.category && !f.review_due && !f.exit_suggested &&
		 !f.monitoring)
		/* RULE counts.archive: an archive-number prefix of up to ten
		 * digits from the kept rows of its units (migration 029); the
		 * list's arguments: the scope, the prefix, its end */
		kept = "SELECT COALESCE(SUM(k.n), 0) FROM archive_counts k JOIN orgs o ON o.id = k.org_id"
		       " WHERE o.path LIKE ? AND k.prefix >= ? AND k.prefix < ?";
	else if (!(f.q && *f.q) && !f.review_due && !f.exit_suggested && !f.monitoring)
		kept = arena_printf(x->a, "SELECT COALESCE(SUM(h.n), 0) FROM hh_counts h%s%s%s",
				    whole ? " WHERE TRUE" : " JOIN orgs o ON o.id = h.org_id WHERE o.path LIKE ?",
				    enum_eq(x, "status", f.status, whole, NULL), enum_eq(x, "category", f.category, whole, NULL));
	if (f.review_due)
		rc = review_page(x, &f, whole, where, &a, limit, offset, &items, &total, &r->err);
	else
		rc = list_page(x, where, kept ? kept : where, order, &a, whole && offset + limit <= FIRST_ROWS, limit, offset,
			       &items, &total, &r->err);
	if (rc)
		return rc;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		list_item(it, x->today);
		calendar_flag(x, it, "notice_end", "notice_end_provisional");
	}
	return req_reply_list(r, items, total);
}

struct each_arg {
	db_row_fn fn;
	void *arg;
	day_t today;
};
static int each_item(void *arg, json_t *row, struct err *e)
{
	struct each_arg *ea = arg;
	list_item(row, ea->today);
	return ea->fn(ea->arg, row, e);
}

int households_each(struct ctx *x, const struct hh_filter *f, db_row_fn fn, void *arg, struct err *e)
{
	struct db_args a = {0};
	char where[1024];
	const char *order;
	int rc = list_sql(x, f, 0, 0, where, sizeof where, &a, &order, e);
	if (rc)
		return rc;
	struct each_arg ea = {fn, arg, x->today};
	return db_each(x->db, e, arena_printf(x->a, "SELECT " HH_LIST_COLS " %s ORDER BY %s", where, order),
		       &a, each_item, &ea);
}

/* The stored members, shaped as a body's members (a new reference). */
static json_t *members_stored(struct ctx *x, int64_t hid, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT name, id_number, relation, monthly_income_fen, health, school_stage,"
				 " disability, occupation FROM members WHERE household_id = ? ORDER BY id",
				 "i", hid);
	json_t *rows = s ? db_rows_json(s, e) : NULL;
	db_finalize(s);
	size_t i;
	json_t *m;
	json_array_foreach(rows, i, m)
		fix_bools(m, member_bools);
	return rows;
}

/* RULE privacy.edit for the phone: sent back as its masked form, kept. */
static int phone_kept(struct ctx *x, struct req *r, const char *col)
{
	const char *given = body_str(r, col);
	if (strcmp(col, "phone") || !given || !strchr(given, '*'))
		return 0;
	struct db_stmt *s = db_q(x->db, &r->err, "SELECT phone FROM households WHERE id = ?", "i", r->id);
	char masked[64] = "";
	if (s && db_step(s, &r->err) == DB_ROW && db_col_text(s, 0))
		mask_phone(db_col_text(s, 0), masked, sizeof masked);
	db_finalize(s);
	return !strcmp(given, masked);
}

/* PATCH /households/{id}: while draft, rejected or active; optimistic lock
 * on `version` (409 conflict when stale). */
int households_h_update(struct req *r)
{
	struct ctx *x = &r->x;
	enum hh_status st;
	int64_t org, version;
	int rc = household_load(x, r->id, &st, &org, &version, &r->err);
	if (rc)
		return rc;
	if (st != HS_DRAFT && st != HS_REJECTED && st != HS_ACTIVE)
		return err_set(&r->err, E_INVALID_TRANSITION, "档案处于“%s”状态，不能修改", hh_status_label(st));
	if (body_has(r, "primary_aid") && st != HS_ACTIVE && json_object_get(r->in, "primary_aid"))
		return err_field(&r->err, "primary_aid", "档案在档（active）时方可设置帮扶主项");
	if (body_int(r, "version", 0) != version)
		return err_set(&r->err, E_CONFLICT, "档案已被他人修改（当前版本 %lld），请刷新后重试",
			       (long long)version);
	struct db_args a = {0};
	char set[1024] = "version = version + 1, updated_at = ?";
	db_arg_str(&a, x->now_s);
	const char *causes;
	unsigned mask;
	if (body_has(r, "causes")) {
		if ((rc = causes_join(x, json_object_get(r->in, "causes"), &causes, &mask, &r->err)))
			return rc;
		strcat(set, ", causes = ?");
		db_arg_str(&a, causes);
	}
	if (body_has(r, "name")) {
		strcat(set, ", name = ?");
		db_arg_str(&a, body_str(r, "name"));
	}
	/* the worker's number: kept when sent back as stored or masked */
	const char *stored_idn = NULL, *new_idn = NULL;
	struct db_stmt *q = db_q(x->db, &r->err, "SELECT id_number FROM households WHERE id = ?", "i", r->id);
	if (q && db_step(q, &r->err) == DB_ROW)
		stored_idn = arena_strdup(x->a, db_col_text(q, 0));
	db_finalize(q);
	if (!stored_idn)
		return -E_DB;
	if (body_has(r, "id_number") && !keeps_stored(body_str(r, "id_number"), stored_idn)) {
		struct idcard_info info;
		if ((rc = check_id(x, "id_number", body_str(r, "id_number"), &info, &r->err)))
			return rc;
		new_idn = arena_strdup(x->a, info.norm);
		char bd[11];
		date_format(info.birth, bd);
		strcat(set, ", id_number = ?, gender = ?, birth_date = ?");
		db_arg_str(&a, new_idn);
		db_arg_str(&a, info.male ? "male" : "female");
		db_arg_str(&a, arena_strdup(x->a, bd));
	}
	if (body_has(r, "monthly_income_fen")) {
		strcat(set, ", monthly_income_fen = ?");
		db_arg_int(&a, body_int(r, "monthly_income_fen", 0));
	}
	for (int i = 0; text_cols[i]; i++)
		if (json_object_get(r->in, text_cols[i]) && !phone_kept(x, r, text_cols[i])) {
			strcat(set, ", ");
			strcat(set, text_cols[i]);
			strcat(set, " = ?");
			db_arg_str(&a, body_str(r, text_cols[i]));
		}
	for (int i = 0; flag_cols[i]; i++)
		if (body_has(r, flag_cols[i])) {
			strcat(set, ", ");
			strcat(set, flag_cols[i]);
			strcat(set, " = ?");
			db_arg_int(&a, body_bool(r, flag_cols[i], 0));
		}
	db_arg_int(&a, r->id);
	db_arg_int(&a, version);
	struct db_stmt *s = db_q_args(x->db, &r->err,
				      arena_printf(x->a, "UPDATE households SET %s WHERE id = ? AND version = ?"
							 " RETURNING id", set),
				      &a);
	if (!s)
		return -E_DB;
	rc = db_step(s, &r->err);
	db_finalize(s);
	if (rc == DB_DONE)
		return err_set(&r->err, E_CONFLICT, NULL);
	if (rc < 0)
		return rc;
	if (body_has(r, "members") || new_idn) {
		json_t *members = body_has(r, "members") ? json_incref(json_object_get(r->in, "members"))
							 : members_stored(x, r->id, &r->err);
		json_t *idn = json_string(new_idn ? new_idn : stored_idn);
		rc = members ? household_set_members(x, r->id, idn, members, &r->err)
			     : -(int)(r->err.code ? r->err.code : E_DB);
		json_decref(idn);
		json_decref(members);
		if (rc)
			return rc;
	}
	if (body_has(r, "name") && (rc = name_grams_put(x, r->id, org, body_str(r, "name"), &r->err)))
		return rc;
	if ((rc = primary_aid_apply(x, r->id, r->in, &r->err)))
		return rc;
	if ((rc = household_recompute(x, r->id, &r->err)) ||
	    (rc = household_event(x, r->id, "update", hh_status_name(st), hh_status_name(st), NULL, NULL,
				  &r->err)) ||
	    (rc = audit_add(x, "update", "household", r->id, org, &r->err, "修改档案（版本 %lld → %lld）",
			    (long long)version, (long long)version + 1)))
		return rc;
	json_t *o = household_json(x, r->id, 0, &r->err);
	return o ? req_reply(r, 200, o) : -E_DB;
}

const struct field household_search_body[] = {
	{"id_number", F_STR, F_REQ, 1, 32, "身份证号"},
	FIELDS_END,
};

/* POST /households/search {"id_number"} — every archive in scope where the
 * number stands, as worker or member, open or exited; masked like a list.
 * A POST so that no ID number ever appears in a URL or an access log. */
int households_h_search(struct req *r)
{
	struct ctx *x = &r->x;
	struct idcard_info info;
	int rc = check_id(x, "id_number", body_str(r, "id_number"), &info, &r->err);
	if (rc)
		return rc;
	struct db_args a = {0};
	db_arg_str(&a, ctx_scope_like(x));
	db_arg_str(&a, info.norm);
	db_arg_str(&a, info.norm);
	int64_t total = 0;
	json_t *items = NULL;
	if ((rc = db_page(x->db, &r->err,
			  "h.id, h.org_id, o.name AS org_name, h.status, h.name, h.id_number, h.phone, h.category,"
			  " h.archive_no, h.updated_at",
			  "FROM households h JOIN orgs o ON o.id = h.org_id WHERE o.path LIKE ? AND (h.id_number = ?"
			  " OR EXISTS (SELECT 1 FROM members m WHERE m.household_id = h.id AND m.id_number = ?))",
			  "h.id DESC", &a, 100, 0, &items, &total)))
		return rc;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		person_mask_fields(it, x->today);
	return req_reply_list(r, items, total);
}
