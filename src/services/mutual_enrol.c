/* mutual_enrol.c — enrolling people in a mutual-aid plan, one list at a
 * time: all or nothing, errors by person (API.md "Mutual aid").  The JSON
 * list is here; the roster file is read in mutual_roster.c and comes
 * through ma_enrol() too. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/idcard.h"
#include "services/audit.h"
#include "services/funds.h"
#include "services/households.h"
#include "services/mutual_aid.h"
#include "services/orgs.h"

static const struct field person_body[] = {
	{"name", F_STR, F_REQ, 1, 50, "姓名"},
	{"id_number", F_STR, F_REQ, 1, 32, "身份证号"},
	{"phone", F_STR, F_NULL, 0, 30, "联系电话"},
	FIELDS_END,
};

const struct field ma_enrol_body[] = {
	{"org_id", F_INT, F_REQ, 1, 0, "参保单位"},
	{"paid_by", F_STR, F_REQ, 1, 20, "缴费方"},
	{"account_id", F_INT, F_NULL, 1, 0, "支出账户"},
	{"people", F_ARR, F_REQ, 1, 10000, "参保人员", person_body},
	FIELDS_END,
};

static const char *const payers[] = {"member", "union", "employer", NULL};

struct checked {
	struct idcard_info id;
	char birth[11];
};

/* Rows per statement when checking and writing a list: one prepared
 * statement per chunk, not one per person (100,000 people from a roster). */
#define CHUNK 100

/* One person as remembered between the passes: a valid ID number is 17
 * digits and the check character they imply, so the digits as a number
 * are the person; `at` is the roster row (or the list position + 1). */
#define KEY_BAD (1ull << 62)
#define KEY_IN (1ull << 61) /* already in the plan */
#define KEY_NUM (KEY_IN - 1)
struct ma_key {
	uint64_t k;
	int at;
};

static uint64_t id_key(const char *norm)
{
	uint64_t k = 0;
	for (int i = 0; i < 17; i++)
		k = k * 10 + (uint64_t)(norm[i] - '0');
	return k;
}

static void key_id(uint64_t k, char out[19])
{
	char d[24];
	snprintf(d, sizeof d, "%017llu", (unsigned long long)(k & KEY_NUM));
	memcpy(out, d, 17);
	out[17] = idcard_check_char(d);
	out[18] = 0;
}

/* "<head>" then `tuple` k times, comma-separated (arena). */
static const char *repeated(struct arena *a, const char *head, const char *tuple, const char *tail, int k)
{
	size_t hl = strlen(head), tl = strlen(tuple), xl = strlen(tail);
	char *out = arena_alloc(a, hl + (size_t)k * (tl + 2) + xl + 1), *p = out;
	memcpy(p, head, hl);
	p += hl;
	for (int i = 0; i < k; i++) {
		if (i) {
			memcpy(p, ", ", 2);
			p += 2;
		}
		memcpy(p, tuple, tl);
		p += tl;
	}
	memcpy(p, tail, xl + 1);
	return out;
}

static int key_cmp(const void *a, const void *b)
{
	const struct ma_key *x = a, *y = b;
	uint64_t p = x->k & KEY_NUM, q = y->k & KEY_NUM;
	return p < q ? -1 : p > q ? 1 : x->at - y->at;
}
static int at_cmp(const void *a, const void *b)
{
	return ((const struct ma_key *)a)->at - ((const struct ma_key *)b)->at;
}

/* RULE ma.once, against the plan: flags KEY_IN on each good key (sorted)
 * already in it, CHUNK numbers a statement. */
static int mark_enrolled(struct ma_run *run, struct err *e)
{
	struct ctx *x = run->x;
	int rc = 0, at = 0;
	while (!rc && at < run->n) {
		int idx[CHUNK], k = 0;
		for (; at < run->n && k < CHUNK; at++)
			if (!(run->keys[at].k & KEY_BAD))
				idx[k++] = at;
		if (!k)
			break;
		struct db_stmt *s = NULL;
		if ((rc = db_prepare(x->db, repeated(x->a, "SELECT id_number FROM ma_enrolments WHERE plan_id = ? AND id_number IN (",
						      "?", ")", k), &s, e)))
			break;
		db_bind_int(s, 1, run->o->plan_id);
		char ids[CHUNK][19];
		for (int j = 0; j < k; j++) {
			key_id(run->keys[idx[j]].k, ids[j]);
			db_bind_text(s, 2 + j, ids[j]);
		}
		while ((rc = db_step(s, e)) == DB_ROW)
			for (int j = 0; j < k; j++)
				if (!strcmp(ids[j], db_col_text(s, 0)))
					run->keys[idx[j]].k |= KEY_IN;
		db_finalize(s);
		rc = rc < 0 ? rc : 0;
	}
	return rc;
}

/* Writes run->buf[0..nbuf) in one INSERT.  0, or <0 (409 when one was
 * enrolled at the same moment by another request). */
static int insert_rows(struct ma_run *run, struct err *e)
{
	struct ctx *x = run->x;
	const struct ma_enrol_opts *o = run->o;
	int k = run->nbuf, rc;
	struct db_stmt *s = NULL;
	if ((rc = db_prepare(x->db, repeated(x->a,
					      "INSERT INTO ma_enrolments (plan_id, org_id, name, id_number, gender,"
					      " birth_date, phone, household_id, paid_by, premium_fen, account_id, ledger_id,"
					      " created_by, created_at) VALUES ",
					      "(?, ?, ?, ?, ?, ?, ?, (SELECT MAX(household_id) FROM archive_people"
					      " WHERE id_number = ? AND is_open = 1), ?, ?, ?, ?, ?, ?)", "", k),
			     &s, e)))
		return rc;
	struct checked ck[CHUNK];
	for (int j = 0, b = 1; j < k; j++) {
		const struct ma_person *p = &run->buf[j];
		struct checked *c = &ck[j];
		if (idcard_check(p->id_number, x->today, &c->id) != ID_OK) { /* not the list that was checked */
			db_finalize(s);
			return err_set(e, E_INTERNAL, "参保名单在两次读取之间不一致");
		}
		date_format(c->id.birth, c->birth);
		db_bind_int(s, b++, o->plan_id);
		db_bind_int(s, b++, run->org.id);
		db_bind_text(s, b++, p->name);
		db_bind_text(s, b++, c->id.norm);
		db_bind_text(s, b++, c->id.male ? "male" : "female");
		db_bind_text(s, b++, c->birth);
		db_bind_text(s, b++, p->phone && *p->phone ? p->phone : NULL);
		db_bind_text(s, b++, c->id.norm);
		db_bind_text(s, b++, o->paid_by);
		db_bind_int(s, b++, run->premium);
		run->by_union ? db_bind_int(s, b++, o->account_id) : db_bind_null(s, b++);
		run->ledger ? db_bind_int(s, b++, run->ledger) : db_bind_null(s, b++);
		x->who.id ? db_bind_int(s, b++, x->who.id) : db_bind_null(s, b++);
		db_bind_text(s, b++, x->now_s);
	}
	rc = db_step(s, e);
	db_finalize(s);
	if (rc < 0 && db_last_fail(x->db) == DBF_UNIQUE) { /* enrolled at the same moment elsewhere */
		err_clear(e);
		rc = err_set(e, E_DUPLICATE_ID_NUMBER, "名单中有人员刚刚已由他人登记参加本计划，请重新提交");
	}
	return rc < 0 ? rc : 0;
}

static void buf_clear(struct ma_run *run)
{
	for (int j = 0; j < run->nbuf; j++) {
		free((char *)run->buf[j].name);
		free((char *)run->buf[j].id_number);
		free((char *)run->buf[j].phone);
	}
	run->nbuf = 0;
}

/* RULE ma.enrol_unit: the enrolling unit is in the caller's scope and under
 * the plan's unit. */
static int check_unit(struct ctx *x, json_t *plan, int64_t org_id, struct org *org, struct err *e)
{
	int rc = org_in_scope(x, org_id, org, e);
	if (rc)
		return rc;
	const char *pp = json_string_value(json_object_get(plan, "org_path"));
	if (!pp || strncmp(org->path, pp, strlen(pp)))
		return err_field(e, "org_id", "参保单位不在本计划的适用范围内");
	return 0;
}

int ma_run_start(struct ma_run *run, struct ctx *x, const struct ma_enrol_opts *o, ma_report_fn report, void *arg,
		 struct err *e)
{
	*run = (struct ma_run){.x = x, .o = o, .report = report, .arg = arg};
	if (!(run->plan = ma_plan_json(x, o->plan_id, e)))
		return -(int)e->code;
	json_t *plan = run->plan;
	int rc = check_unit(x, plan, o->org_id, &run->org, e);
	if (rc)
		return rc;
	const char *ef = json_string_value(json_object_get(plan, "enrol_from"));
	const char *et = json_string_value(json_object_get(plan, "enrol_to"));
	run->women = json_is_true(json_object_get(plan, "women_only"));
	json_t *agej = json_object_get(plan, "age_max");
	run->age_max = json_is_integer(agej) ? json_integer_value(agej) : 0;
	run->premium = json_integer_value(json_object_get(plan, "premium_fen"));
	if (!o->paid_by || !strcmp(o->paid_by, "") || !(!strcmp(o->paid_by, payers[0]) ||
							  !strcmp(o->paid_by, payers[1]) || !strcmp(o->paid_by, payers[2])))
		return err_field(e, "paid_by", "缴费方应为 member、union 或 employer");
	run->by_union = !strcmp(o->paid_by, "union");
	if (run->by_union && !o->account_id)
		return err_field(e, "account_id", "由工会缴费时须指定支出账户");
	if (run->by_union && (rc = fund_account_in_scope(x, o->account_id, NULL, e)))
		return rc;
	/* RULE ma.window */
	if (strcmp(x->today_s, ef) < 0 || strcmp(x->today_s, et) > 0) {
		rc = err_set(e, E_NOT_ELIGIBLE, "不在本计划的参保期内（%s 至 %s）", ef, et);
		err_detail_push(e, "reasons", e->msg);
		return rc;
	}
	date_parse(json_string_value(json_object_get(plan, "cover_from")), &run->cover);
	return 0;
}

/* One problem with the person at `at` (row, or list position + 1). */
static void bad(struct ma_run *run, int at, const char *field, enum err_code code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void bad(struct ma_run *run, int at, const char *field, enum err_code code, const char *fmt, ...)
{
	char msg[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	int rows = run->o->rows;
	struct ma_person p = {.row = rows ? at : 0};
	run->report(run->arg, &p, rows ? 0 : at - 1, field, code, msg);
	if (!run->nbad++)
		run->first = code;
}

int ma_run_check(struct ma_run *run, const struct ma_person *p)
{
	int at = run->o->rows ? p->row : run->n + 1, nbad = run->nbad;
	if (run->n == run->cap) {
		int cap = run->cap ? run->cap * 2 : 1024;
		struct ma_key *k = realloc(run->keys, sizeof *k * (size_t)cap);
		if (!k)
			return -1;
		run->keys = k;
		run->cap = cap;
	}
	struct ma_key *key = &run->keys[run->n++];
	*key = (struct ma_key){KEY_BAD, at};
	if (!p->name || !*p->name)
		bad(run, at, "name", E_VALIDATION_FAILED, "姓名不能为空");
	struct idcard_info id;
	int ir = idcard_check(p->id_number ? p->id_number : "", run->x->today, &id);
	if (ir != ID_OK) {
		bad(run, at, "id_number", E_VALIDATION_FAILED, "%s", idcard_strerror(ir));
		return 0;
	}
	/* RULE ma.women, ma.age: from the ID number */
	if (run->women && id.male)
		bad(run, at, "id_number", E_NOT_ELIGIBLE, "本计划仅限女职工参加");
	else if (run->age_max && date_age(id.birth, run->cover) > run->age_max)
		bad(run, at, "id_number", E_NOT_ELIGIBLE, "保障开始日超过最高年龄 %" PRId64 " 岁", run->age_max);
	key->k = id_key(id.norm) | (run->nbad > nbad ? KEY_BAD : 0);
	return 0;
}

int ma_run_verify(struct ma_run *run, struct err *e)
{
	/* RULE ma.once: not twice in the list, nor in the plan already.  A key
	 * whose number is invalid sorts first (its number part is 0). */
	struct ma_key *k = run->keys;
	int n = run->n;
	qsort(k, (size_t)n, sizeof *k, key_cmp);
	for (int i = 1; i < n; i++)
		if ((k[i].k & KEY_NUM) && (k[i].k & KEY_NUM) == (k[i - 1].k & KEY_NUM) && !(k[i].k & KEY_BAD)) {
			bad(run, k[i].at, "id_number", E_DUPLICATE_ID_NUMBER, "与第 %d 人身份证号重复", k[i - 1].at);
			k[i].k |= KEY_BAD;
		}
	int rc = mark_enrolled(run, e);
	qsort(k, (size_t)n, sizeof *k, at_cmp);
	for (int i = 0; !rc && i < n; i++)
		if (k[i].k & KEY_IN)
			bad(run, k[i].at, "id_number", E_DUPLICATE_ID_NUMBER, "已参加本计划");
	if (!rc && run->nbad)
		rc = err_set(e, run->first, "参保名单有 %d 处问题，未登记任何人员", run->nbad);
	return rc;
}

int ma_run_write(struct ma_run *run, const struct ma_person *p, struct err *e)
{
	int rc = 0;
	if (!run->buf) {
		run->buf = calloc(CHUNK, sizeof *run->buf);
		if (!run->buf)
			return err_set(e, E_INTERNAL, "内存不足");
		int64_t total = run->premium * run->n;
		if (run->by_union && total > 0) {
			char note[200];
			snprintf(note, sizeof note, "互助保障参保费：%s，%d 人",
				 json_string_value(json_object_get(run->plan, "name")), run->n);
			if (!(rc = fund_move(run->x, run->o->account_id, -total, "disbursement", 0, 0, note, NULL, e)))
				rc = db_int(run->x->db, e, &run->ledger, NULL, "SELECT MAX(id) FROM ledger WHERE account_id = ?",
					    "i", run->o->account_id);
			if (rc)
				return rc;
		}
	}
	run->written++;
	run->buf[run->nbuf++] = (struct ma_person){strdup(p->name), strdup(p->id_number),
						   p->phone ? strdup(p->phone) : NULL, p->row};
	if (run->nbuf == CHUNK) {
		rc = insert_rows(run, e);
		buf_clear(run);
	}
	return rc;
}

int ma_run_finish(struct ma_run *run, struct err *e)
{
	int rc = 0;
	if (run->written != run->n)
		return err_set(e, E_INTERNAL, "参保名单在两次读取之间不一致");
	if (run->nbuf) {
		rc = insert_rows(run, e);
		buf_clear(run);
	}
	int64_t total = run->premium * run->n;
	if (!rc)
		rc = db_run(run->x->db, e,
			    "UPDATE ma_plans SET enrolled_n = enrolled_n + ?, premium_total_fen = premium_total_fen + ?"
			    " WHERE id = ?", "iii", (int64_t)run->n, total, run->o->plan_id);
	if (!rc)
		rc = audit_add(run->x, "enrol", "mutual_aid_plan", run->o->plan_id, run->org.id, e,
			       "%s 参加互助保障计划“%s”：%d 人，缴费方 %s，保费合计 %" PRId64 " 分", run->org.name,
			       json_string_value(json_object_get(run->plan, "name")), run->n, run->o->paid_by, total);
	return rc;
}

void ma_run_free(struct ma_run *run)
{
	buf_clear(run);
	free(run->buf);
	free(run->keys);
	json_decref(run->plan);
	run->buf = NULL;
	run->keys = NULL;
	run->plan = NULL;
}

int ma_enrol(struct ctx *x, const struct ma_enrol_opts *o, const struct ma_person *people, int n,
	     ma_report_fn report, void *arg, int64_t *enrolled, struct err *e)
{
	*enrolled = 0;
	struct ma_run run;
	int rc = ma_run_start(&run, x, o, report, arg, e);
	for (int i = 0; !rc && i < n; i++)
		if (ma_run_check(&run, &people[i]))
			rc = err_set(e, E_INTERNAL, "内存不足");
	if (!rc)
		rc = ma_run_verify(&run, e);
	if (!rc && !o->dry_run) {
		for (int i = 0; !rc && i < n; i++)
			rc = ma_run_write(&run, &people[i], e);
		if (!rc)
			rc = ma_run_finish(&run, e);
	}
	if (!rc)
		*enrolled = n;
	ma_run_free(&run);
	return rc;
}

/* --- the JSON list ---------------------------------------------------------- */

static void report_field(void *arg, const struct ma_person *p, int i, const char *field, enum err_code code,
			 const char *msg)
{
	(void)p;
	(void)code;
	json_t *fields = arg;
	char k[64];
	snprintf(k, sizeof k, "people[%d].%s", i, field);
	if (!json_object_get(fields, k))
		json_object_set_new(fields, k, json_string(msg));
}

int ma_h_enrol(struct req *r)
{
	json_t *list = json_object_get(r->in, "people");
	int n = (int)json_array_size(list);
	struct ma_person *people = arena_alloc(r->x.a, sizeof *people * (size_t)n);
	for (int i = 0; i < n; i++) {
		json_t *p = json_array_get(list, (size_t)i);
		people[i] = (struct ma_person){json_string_value(json_object_get(p, "name")),
					       json_string_value(json_object_get(p, "id_number")),
					       json_string_value(json_object_get(p, "phone")), 0};
	}
	struct ma_enrol_opts o = {.plan_id = r->id, .org_id = body_int(r, "org_id", 0),
				  .account_id = body_int(r, "account_id", 0), .paid_by = body_str(r, "paid_by")};
	json_t *fields = json_object();
	int64_t n_in = 0;
	int rc = ma_enrol(&r->x, &o, people, n, report_field, fields, &n_in, &r->err);
	if (rc && json_object_size(fields)) {
		if (!r->err.details)
			r->err.details = json_object();
		json_object_set(r->err.details, "fields", fields);
		if (r->err.code == E_NOT_ELIGIBLE) {
			const char *k;
			json_t *v;
			json_object_foreach(fields, k, v)
				err_detail_push(&r->err, "reasons", json_string_value(v));
		}
	}
	json_decref(fields);
	if (rc)
		return rc;
	json_t *plan = ma_plan_json(&r->x, r->id, &r->err);
	json_t *out = json_pack("{s:I,s:I}", "enrolled", (json_int_t)n_in, "premium_fen",
				(json_int_t)(n_in * json_integer_value(json_object_get(plan, "premium_fen"))));
	json_decref(plan);
	return req_reply(r, 201, out);
}

/* --- reading them ---------------------------------------------------------- */

#define ENROL_COLS                                                                                  \
	"e.id, e.plan_id, e.org_id, (SELECT o2.name FROM orgs o2 WHERE o2.id = e.org_id) AS org_name," \
	" e.name, e.id_number, e.gender, e.birth_date, e.phone, e.household_id, e.paid_by,"            \
	" e.premium_fen, e.account_id, e.approved_fen, e.created_at"

/* 1 when s is exactly one UTF-8 character. */
static int mblen_one(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int n = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC0 ? 2 : 1;
	return (int)strlen(s) == n;
}

/* GET /mutual-aid/plans/{id}/enrolments?q=&org_id=&limit=&offset= */
int ma_h_enrolments(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t limit, offset;
	int rc = req_paging(r, &limit, &offset);
	if (rc)
		return rc;
	struct db_args a = {0};
	char where[512] = "FROM ma_enrolments e JOIN orgs o ON o.id = e.org_id WHERE e.plan_id = ? AND o.path LIKE ?";
	db_arg_int(&a, r->id);
	db_arg_str(&a, ctx_scope_like(x));
	const char *q = req_query(r, "q");
	/* RULE list.q, as on households: a prefix, or two or more consecutive
	 * characters anywhere in the name */
	if (q && *q) {
		int one_char = mblen_one(q);
		strcat(where, " AND e.name LIKE ?");
		db_arg_str(&a, arena_printf(x->a, one_char ? "%s%%" : "%%%s%%", q));
	}
	json_t *items = NULL;
	int64_t total = 0;
	if ((rc = db_page(x->db, &r->err, ENROL_COLS, where, "e.id", &a, limit, offset, &items, &total)))
		return rc;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		person_mask_fields(it, x->today); /* RULE mask.list */
	return req_reply_list(r, items, total);
}

/* The plans of an archive's people (GET /households/{id}): read from each
 * person's enrolments by their index (an IN over the people walked the
 * plans and built a list per read of an archive). */
struct db_stmt *ma_household_plans_q(struct ctx *x, int64_t household_id, struct err *e)
{
	return db_q(x->db, e,
		    "SELECT e.id AS enrolment_id, e.name, p.id AS plan_id, p.name AS plan_name, p.kind, p.year,"
		    " p.cover_from, p.cover_to, e.paid_by, e.approved_fen,"
		    " (SELECT COUNT(*) FROM ma_claims c WHERE c.enrolment_id = e.id) AS claims"
		    " FROM archive_people ap JOIN ma_enrolments e ON e.id_number = ap.id_number"
		    " JOIN ma_plans p ON p.id = e.plan_id JOIN orgs o ON o.id = e.org_id"
		    " WHERE ap.household_id = ? AND o.path LIKE ? ORDER BY p.year DESC, p.id, e.id",
		    "is", household_id, ctx_scope_like(x));
}
