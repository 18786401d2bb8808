/* import.c — the census import: file → rows → households.
 *
 * Three ways through a file (enum stage), each in a write transaction of
 * its own that this service opens and ends (the HTTP route is R_OWN_TX):
 *   DIRECT   one pass: the census (rules/census.h) gets each row as it
 *            comes and hands over each household once its rows are done;
 *            import_fast writes it.  Nothing is remembered per row: a
 *            person seen before (in the file or an open archive) is met by
 *            the unique index of archive_people.
 *   GROUPED  pass 1 stores every data row (row number, head ID, cells) in
 *            the temporary table bangfu_import_rows, since a household's
 *            rows need not be consecutive (API.md); pass 2 reads them back
 *            a page at a time grouped by household, in order of each
 *            household's first row; import_fast writes them.
 *   CAREFUL  as GROUPED, but each household goes through household_create()
 *            (the same checks, precise identification, event and audit
 *            entry as POST /households) inside SAVEPOINT bangfu_hh; one that
 *            fails is rolled back alone, so every error of the file is
 *            listed by row in one answer.  What the file has seen (ID
 *            numbers, heads, archive numbers) is kept in the temporary table
 *            bangfu_import_seen for the duplicate checks by row number.
 * DIRECT and GROUPED give up at the first thing they would have to explain
 * (an error, a duplicate, a household's rows apart); their transaction is
 * rolled back and the next way starts from the top of the file.  A clean
 * file is read once.  No savepoint is open during the bulk ways: with one,
 * SQLite keeps every page a statement touches in a sub-journal for the
 * whole import (docs/benchmarks.md).  At the end:
 *   - any error → ROLLBACK: nothing is imported (422);
 *   - dry run   → ROLLBACK as well: the answer tells what a real run would
 *                 do, and the database is as before;
 *   - otherwise → one audit entry for the import, COMMIT.
 * A dry run is thus exactly as strict as the real run, by construction.
 *
 * Memory stays flat in the file's size: rows are read as a stream
 * (rules/sheet.h), one household at a time lives in an arena emptied after
 * it, the temporary tables are on disk; only the error list grows, and it
 * stops at CENSUS_MAX_ERRORS.
 */
#include "services/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/req.h"
#include "http/route.h"
#include "rules/census.h"
#include "rules/household.h"
#include "rules/multipart.h"
#include "services/audit.h"
#include "services/households.h"
#include "services/import_fast.h"
#include "services/orgs.h"

#define PROGRESS_EVERY 1000 /* rows */

/* --- household_create's field names → the sheet's rows and columns ------ */

static const struct {
	const char *field, *column;
} field_cols[] = {
	{"name", "姓名"},
	{"id_number", "身份证号"},
	{"relation", "与户主关系"},
	{"monthly_income_fen", "月收入(元)"},
	{"health", "健康状况"},
	{"illness", "健康状况"},
	{"school_stage", "就学阶段"},
	{"phone", "联系电话"},
	{"employer", "工作单位"},
	{"occupation", "工作单位"},
	{"address", "家庭住址"},
	{"causes", "致困原因"},
	{"members", "户主身份证号"},
};

static void field_error(struct census *c, const struct census_household *h, const char *field,
			const char *msg)
{
	int row = h->worker.row;
	const char *sub = field;
	if (!strncmp(field, "members[", 8)) {
		int i = atoi(field + 8);
		const char *dot = strchr(field, '.');
		if (i >= 0 && i < h->nmembers)
			row = h->members[i].row;
		sub = dot ? dot + 1 : "";
	}
	const char *column = "";
	for (size_t k = 0; k < sizeof field_cols / sizeof field_cols[0]; k++)
		if (!strcmp(sub, field_cols[k].field))
			column = field_cols[k].column;
	if (!strcmp(field, "members"))
		row = h->first_row;
	census_error(c, row, column, "%s", msg);
}

/* Every field error of e, mapped back to the file. */
static void report(struct census *c, const struct census_household *h, const struct err *e)
{
	json_t *fields = json_object_get(e->details, "fields");
	const char *k;
	json_t *v;
	int n = 0;
	json_object_foreach(fields, k, v) {
		field_error(c, h, k, json_string_value(v) ? json_string_value(v) : e->msg);
		n++;
	}
	if (e->code == E_DUPLICATE_ID_NUMBER) {
		const char *f = json_string_value(json_object_get(e->details, "field"));
		field_error(c, h, f ? f : "id_number", e->msg);
	} else if (!n) {
		census_error(c, h->first_row, "", "%s", e->msg[0] ? e->msg : err_default_msg(e->code));
	}
}

/* --- the JSON body POST /households would get ------------------------------- */

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, json_string(v));
}

static json_t *household_body_of(int64_t org, const struct census_household *h)
{
	json_t *b = json_object(), *causes = json_array(), *members = json_array();
	json_object_set_new(b, "org_id", json_integer(org));
	json_object_set_new(b, "name", json_string(h->worker.name));
	json_object_set_new(b, "id_number", json_string(h->worker.id));
	json_object_set_new(b, "monthly_income_fen", json_integer(h->worker.income_fen));
	for (int k = 0; k < CAUSE__MAX; k++)
		if (h->causes & CAUSE_BIT(k))
			json_array_append_new(causes, json_string(cause_name(k)));
	json_object_set_new(b, "causes", causes);
	set_str(b, "phone", h->phone);
	set_str(b, "employer", h->worker.employer);
	set_str(b, "address", h->address);
	set_str(b, "illness", h->worker.health);
	for (int i = 0; i < h->nmembers; i++) {
		const struct census_person *p = &h->members[i];
		json_t *m = json_object();
		json_object_set_new(m, "name", json_string(p->name));
		json_object_set_new(m, "id_number", json_string(p->id));
		json_object_set_new(m, "relation", json_string(relation_name(p->relation)));
		json_object_set_new(m, "monthly_income_fen", json_integer(p->income_fen));
		set_str(m, "health", p->health);
		json_object_set_new(m, "school_stage", json_string(school_name(p->school)));
		set_str(m, "occupation", p->employer);
		json_array_append_new(members, m);
	}
	json_object_set_new(b, "members", members);
	return b;
}

/* RULE archive.precise, for every person of the household at once (so
 * that one answer names every row already in an open archive);
 * household_create() checks again, and the unique index last of all.
 * Returns 1 when one is held, 0 when none, <0 on a database error. */
static int held(struct ctx *x, struct census *c, const struct census_household *h, struct err *e)
{
	int found = 0;
	for (int i = -1; i < h->nmembers; i++) {
		const struct census_person *p = i < 0 ? &h->worker : &h->members[i];
		struct db_stmt *s = db_q(x->db, e,
					 "SELECT o.name FROM archive_people p JOIN households h ON h.id = p.household_id"
					 " JOIN orgs o ON o.id = h.org_id WHERE p.id_number = ? AND p.is_open = 1",
					 "s", p->id);
		if (!s)
			return -E_DB;
		int rc = db_step(s, e);
		if (rc == DB_ROW) {
			census_error(c, p->row, "身份证号", "该身份证号已在%s的在档家庭中，不能重复建档",
				     db_col_text(s, 0));
			found = 1;
		}
		db_finalize(s);
		if (rc < 0)
			return rc;
	}
	return found;
}

/* --- the answer -------------------------------------------------------------------- */

static const char *const mode_names[] = {"bulk", "bulk_grouped", "one_by_one"};

static json_t *answer_of(const struct census *c, int dry_run, int active, int stage)
{
	json_t *errs = json_array();
	for (int i = 0; i < c->nerr; i++)
		json_array_append_new(errs, json_pack("{s:i,s:s,s:s}", "row", c->err[i].row, "column",
						      c->err[i].column, "message", c->err[i].message));
	if (c->dropped) {
		char m[128];
		snprintf(m, sizeof m, "另有 %d 处错误未列出（最多列出 %d 处）", c->dropped, CENSUS_MAX_ERRORS);
		json_array_append_new(errs, json_pack("{s:i,s:s,s:s}", "row", 0, "column", "", "message", m));
	}
	return json_pack("{s:b,s:i,s:i,s:i,s:s,s:o}", "dry_run", dry_run, "households", c->nhh, "people",
			 c->people, "active", active, "mode", mode_names[stage], "errors", errs);
}

static int fail_with(struct err *e, json_t *answer, int nerr)
{
	err_set(e, E_VALIDATION_FAILED, "普查表有 %d 处错误，未导入任何数据", nerr);
	json_decref(e->details);
	e->details = answer;
	return -E_VALIDATION_FAILED;
}

/* --- the service --------------------------------------------------------------------- */

struct pending {
	int row;
	char g[24];
	char *cells;
};

/* The three ways through a file, each in a transaction of its own; a
 * way that meets something it does not explain gives up, the transaction
 * is rolled back and the next way starts over (see the top of the file). */
enum stage {
	DIRECT,  /* one pass, households as their rows come, import_fast */
	GROUPED, /* rows stored, read back grouped by household, import_fast */
	CAREFUL, /* as GROUPED, household_create() in a savepoint each */
};

struct run {
	struct ctx *x;
	const struct import_opts *o;
	enum stage stage;
	struct census c;
	struct import_fast fast;
	struct err *e;
	int rc;        /* a database failure that stopped the import (e set) */
	int gave_up;   /* DIRECT, GROUPED: met an error or a duplicate */
	int active;
	long rows;
	long stored;               /* data rows in bangfu_import_rows */
	unsigned long long in_total;
	struct pending *pend;      /* rows waiting for a multi-row INSERT */
	int npend;
	size_t pend_bytes;
};

/* RULE import.dup: an ID number, head or archive number seen before in
 * this file, kept in a temporary table of the import's own transaction
 * (flat memory, whatever the file size); gone with its savepoint. */
static int on_seen(void *arg, char kind, const char *key, int row)
{
	struct run *u = arg;
	char k[80];
	snprintf(k, sizeof k, "%c:%s", kind, key);
	int64_t first = 0;
	int found = 0;
	int rc = db_int(u->x->db, u->e, &first, &found, "SELECT row FROM bangfu_import_seen WHERE k = ?", "s", k);
	if (!rc && !found)
		rc = db_run(u->x->db, u->e, "INSERT INTO bangfu_import_seen (k, row) VALUES (?, ?)", "si", k,
			    (int64_t)row);
	if (rc) {
		u->rc = rc;
		return -1;
	}
	return found ? (int)first : 0;
}

/* One household: checked against the database and inserted inside its
 * own savepoint (see the top of the file).  Its allocations go to the
 * census' household arena, emptied when it returns.  Non-zero stops the
 * import with u->rc set. */
static int insert_household(struct run *u, struct census *c, struct census_household *h)
{
	struct ctx *x = u->x;
	struct err *e = u->e;
	int rc;
	if ((rc = held(x, c, h, e)) < 0)
		return rc;
	if (rc)
		return 0;
	json_t *body = household_body_of(u->o->org_id, h);
	struct err he = {0};
	if (validate_object(&he, body, household_body, "")) {
		report(c, h, &he);
		err_clear(&he);
		json_decref(body);
		return 0;
	}
	if ((rc = db_exec(x->db, "SAVEPOINT bangfu_hh", e))) {
		json_decref(body);
		return rc;
	}
	int64_t id = 0;
	rc = household_create(x, body, &id, &he);
	json_decref(body);
	if (rc && !x->db->in_tx) {
		/* the database refused a concurrent duplicate and the whole
		 * transaction is gone (households.c race_lost) */
		err_clear(&he);
		return err_set(e, E_CONFLICT, "导入期间有人同时为同一身份证号建档，导入已取消，请重试");
	}
	if (rc == -E_DB || rc == -E_INTERNAL) {
		*e = he;
		return rc;
	}
	if (!rc && h->archive_no) {
		rc = import_make_active(x, c, NULL, h, id, u->o->org_id, &he);
		if (rc < 0 && (rc == -E_DB || !x->db->in_tx)) {
			*e = he;
			return rc;
		}
		if (!rc)
			u->active++;
	}
	if (rc) {
		if (rc < 0)
			report(c, h, &he);
		err_clear(&he);
		if ((rc = db_exec(x->db, "ROLLBACK TO SAVEPOINT bangfu_hh", e)))
			return rc;
	}
	return db_exec(x->db, "RELEASE SAVEPOINT bangfu_hh", e);
}

/* DIRECT and GROUPED: the household as import_fast writes it, or give up
 * at the first thing the careful way would have to explain. */
static int insert_fast(struct run *u, struct census *c, struct census_household *h)
{
	int64_t id = 0;
	int rc = h->bad || c->nerr || c->dropped ? 1 : import_fast_household(&u->fast, h, &id, u->e);
	if (rc > 0)
		u->gave_up = 1;
	else if (rc < 0)
		u->rc = rc;
	else if (h->archive_no)
		u->active++;
	return rc;
}

static int on_household(void *arg, struct census *c, struct census_household *h)
{
	struct run *u = arg;
	struct arena *keep = u->x->a;
	int rc = 0;
	u->x->a = c->ha;
	if (u->stage != CAREFUL)
		rc = insert_fast(u, c, h);
	else if (!h->bad && (rc = insert_household(u, c, h)))
		u->rc = rc;
	u->x->a = keep;
	return rc;
}

/* DIRECT keeps nothing: the unique index of archive_people meets an ID
 * number seen before, in the file or the database (import_fast.h). */
static int seen_none(void *arg, char kind, const char *key, int row)
{
	(void)arg, (void)kind, (void)key, (void)row;
	return 0;
}

/* --- pass 1: the rows into bangfu_import_rows ------------------------------------------ */

/* A row's cells as one text: per cell its kind digit, its length in
 * bytes, ':' and its text. */
static char *encode_cells(const struct sheet_row *r)
{
	size_t n = 1;
	for (int i = 0; i < r->ncells; i++)
		n += 24 + strlen(sheet_cell(r, i));
	char *b = malloc(n), *p = b;
	if (!b)
		return NULL;
	for (int i = 0; i < r->ncells; i++) {
		const char *t = sheet_cell(r, i);
		size_t l = strlen(t);
		p += sprintf(p, "%d%zu:", (int)sheet_kind(r, i), l);
		memcpy(p, t, l);
		p += l;
	}
	*p = '\0';
	return b;
}

/* The row back from encode_cells(): cells and texts in one malloc'd block. */
static struct cell *decode_cells(const char *t, int *ncells)
{
	int n = 0;
	size_t bytes = strlen(t) + 1;
	for (const char *p = t; *p;) {
		char *end;
		size_t l = strtoul(p + 1, &end, 10);
		p = end + 1 + l;
		n++;
	}
	struct cell *cells = malloc((size_t)(n ? n : 1) * sizeof *cells + bytes + (size_t)n);
	if (!cells)
		return NULL;
	char *text = (char *)(cells + (n ? n : 1));
	int i = 0;
	for (const char *p = t; *p; i++) {
		char *end;
		cells[i].kind = (enum cell_kind)(*p - '0');
		size_t l = strtoul(p + 1, &end, 10);
		memcpy(text, end + 1, l);
		text[l] = '\0';
		cells[i].text = text;
		text += l + 1;
		p = end + 1 + l;
	}
	*ncells = n;
	return cells;
}

static void progress_at(struct run *u, long rows, unsigned long long done, unsigned long long total)
{
	if (u->o->progress)
		u->o->progress(u->o->progress_arg, rows, done, total);
}

#define STORE_BATCH 200             /* rows per INSERT (3 parameters each) */
#define STORE_BATCH_BYTES (4u << 20) /* or this much cell text */

/* The pending rows into bangfu_import_rows in one statement. */
static int flush_rows(struct run *u)
{
	if (!u->npend)
		return 0;
	struct db *db = u->x->db;
	struct err *e = u->e;
	char sql[64 + STORE_BATCH * 10];
	size_t n = (size_t)snprintf(sql, sizeof sql, "INSERT INTO bangfu_import_rows (row, g, cells) VALUES ");
	for (int i = 0; i < u->npend; i++)
		n += (size_t)snprintf(sql + n, sizeof sql - n, i ? ",(?,?,?)" : "(?,?,?)");
	struct db_stmt *st = NULL;
	int rc = db_prepare(db, sql, &st, e);
	for (int i = 0; !rc && i < u->npend; i++) {
		const struct pending *p = &u->pend[i];
		if (db_bind_int(st, 3 * i + 1, p->row) || db_bind_text(st, 3 * i + 2, p->g) ||
		    db_bind_text(st, 3 * i + 3, p->cells))
			rc = err_set(e, E_INTERNAL, "内存不足");
	}
	if (!rc && (rc = db_step(st, e)) > 0)
		rc = 0;
	db_finalize(st);
	for (int i = 0; i < u->npend; i++)
		free(u->pend[i].cells);
	u->stored += u->npend;
	u->npend = 0;
	u->pend_bytes = 0;
	return rc;
}

/* A data row with a head waits for its batch; one without is checked at
 * once (it belongs to no household, and nothing else is under way). */
static int store_row(struct run *u, const struct sheet_row *r)
{
	struct census *c = &u->c;
	char head[19];
	census_row_head(c, r, head);
	if (!*head) {
		int rc = census_row(c, r);
		arena_free(c->ha);
		c->ha = arena_new();
		return rc;
	}
	if (!u->pend && !(u->pend = calloc(STORE_BATCH, sizeof *u->pend)))
		return err_set(u->e, E_INTERNAL, "内存不足");
	struct pending *p = &u->pend[u->npend];
	if (!(p->cells = encode_cells(r)))
		return err_set(u->e, E_INTERNAL, "内存不足");
	p->row = r->row;
	memcpy(p->g, head, sizeof head);
	u->npend++;
	u->pend_bytes += strlen(p->cells);
	return u->npend == STORE_BATCH || u->pend_bytes >= STORE_BATCH_BYTES ? flush_rows(u) : 0;
}

/* The header goes to the census at once.  DIRECT gives each data row to
 * the census as it comes; the other ways store it with the household it
 * belongs to. */
static int on_row(void *arg, const struct sheet *s, const struct sheet_row *r)
{
	struct run *u = arg;
	u->c.date1904 = s->date1904;
	u->in_total = s->in_total;
	if (++u->rows % PROGRESS_EVERY == 0)
		progress_at(u, u->rows, u->stage == DIRECT ? s->in_done : s->in_done / 2, s->in_total);
	int rc = 0;
	if (u->c.state == 0 || u->stage == DIRECT) {
		if (u->c.state == 2)
			return 0;
		rc = census_row(&u->c, r);
		if (u->stage == DIRECT && (u->c.nerr || u->c.dropped))
			u->gave_up = 1;
		if (!rc && !u->gave_up)
			return 0;
		if (rc && !u->gave_up && !u->rc)
			u->rc = rc < 0 ? rc : -E_DB;
		return u->stage == DIRECT || u->rc ? -1 : rc;
	}
	if (u->c.state != 1)
		return 0;
	if ((rc = store_row(u, r))) {
		u->rc = rc;
		return -1;
	}
	return 0;
}

/* --- pass 2: households grouped, in order of their first row ------------------------------ */

#define REPLAY_PAGE 1000 /* rows read back at a time */

struct stored_row {
	int64_t f, row;
	char *cells;
};

static int replay(struct run *u)
{
	struct db *db = u->x->db;
	struct err *e = u->e;
	int rc;
	if ((rc = db_exec(db, "CREATE INDEX bangfu_import_rows_g ON bangfu_import_rows (g)", e)) ||
	    (rc = db_exec(db,
			  "UPDATE bangfu_import_rows SET f = (SELECT MIN(r.row) FROM bangfu_import_rows r"
			  " WHERE r.g = bangfu_import_rows.g)",
			  e)) ||
	    (rc = db_exec(db, "CREATE INDEX bangfu_import_rows_f ON bangfu_import_rows (f, row)", e)))
		return rc;
	struct stored_row *page = calloc(REPLAY_PAGE, sizeof *page);
	if (!page)
		return err_set(e, E_INTERNAL, "内存不足");
	int64_t lf = 0, lr = 0;
	long done = 0;
	for (;;) {
		struct db_stmt *s = db_q(db, e,
					 "SELECT f, row, cells FROM bangfu_import_rows WHERE f > ? OR (f = ? AND row > ?)"
					 " ORDER BY f, row LIMIT 1000",
					 "iii", lf, lf, lr);
		if (!s) {
			rc = -E_DB;
			break;
		}
		int n = 0;
		while (n < REPLAY_PAGE && (rc = db_step(s, e)) == DB_ROW) {
			page[n].f = db_col_int(s, 0);
			page[n].row = db_col_int(s, 1);
			page[n].cells = strdup(db_col_text(s, 2));
			n++;
		}
		db_finalize(s);
		if (rc < 0) {
			for (int i = 0; i < n; i++)
				free(page[i].cells);
			break;
		}
		rc = 0;
		for (int i = 0; i < n; i++) {
			struct sheet_row r = {.row = (int)page[i].row};
			r.cells = page[i].cells ? decode_cells(page[i].cells, &r.ncells) : NULL;
			if (!rc && !r.cells)
				rc = err_set(e, E_INTERNAL, "内存不足");
			if (!rc && !u->gave_up && census_row(&u->c, &r) && !u->gave_up)
				rc = u->rc ? u->rc : -E_DB;
			free(r.cells);
			free(page[i].cells);
		}
		if (rc || u->gave_up || n < REPLAY_PAGE)
			break;
		lf = page[n - 1].f;
		lr = page[n - 1].row;
		done += n;
		progress_at(u, done, u->in_total / 2 + u->in_total * (unsigned long long)done / (2ULL * (unsigned long long)u->stored), u->in_total);
	}
	free(page);
	return rc;
}

/* GROUPED and CAREFUL after pass 1: the households, and the end of the
 * census.  A file that stopped early (bad) is the careful way's to
 * explain: its rows so far are checked, and the census is not ended. */
static int run_grouped(struct run *u, int bad)
{
	struct census *c = &u->c;
	int rc = flush_rows(u);
	free(u->pend);
	u->pend = NULL;
	if (!rc && u->stage == GROUPED && (bad || c->nerr || c->dropped))
		u->gave_up = 1;
	if (!rc && !u->gave_up)
		rc = replay(u);
	if (rc || u->gave_up || bad) {
		census_end(c, 0);
		return rc;
	}
	return census_end(c, 1);
}

/* DIRECT at the end of the file: the last household and the file-level
 * checks. */
static int run_direct(struct run *u, int bad)
{
	if (bad) {
		u->gave_up = 1;
		census_end(&u->c, 0);
		return 0;
	}
	return census_end(&u->c, 1);
}

/* One way through the file in a transaction of its own, left open. */
static int run_stage(struct run *u, const void *buf, size_t len, struct sheet *s, int *bad)
{
	struct ctx *x = u->x;
	struct err *e = u->e;
	/* the fast ways write only rows they point at themselves (db.h) */
	int rc = u->stage == CAREFUL ? db_begin(x->db, 1, e) : db_begin_bulk(x->db, e);
	if (!rc && u->stage != CAREFUL)
		rc = import_fast_begin(&u->fast, x, u->o->org_id, e);
	if (!rc && u->stage != DIRECT &&
	    ((rc = db_exec(x->db, "CREATE TEMP TABLE bangfu_import_seen (k TEXT PRIMARY KEY, row INTEGER NOT NULL)", e)) ||
	     (rc = db_exec(x->db,
			   "CREATE TEMP TABLE bangfu_import_rows (row INTEGER PRIMARY KEY, g TEXT NOT NULL, f INTEGER,"
			   " cells TEXT NOT NULL)",
			   e))))
		return rc;
	if (rc)
		return rc;
	census_begin(&u->c, x->a, x->today, x->who.role == ROLE_ADMIN, on_household,
		     u->stage == DIRECT ? seen_none : on_seen, u, 0);
	*s = (struct sheet){.sink = on_row, .sink_arg = u};
	const struct import_opts *o = u->o;
	*bad = o->path ? sheet_read_file(o->path, o->format, s) : sheet_read(buf, len, o->format, s);
	if (!u->rc && !u->gave_up)
		rc = u->stage == DIRECT ? run_direct(u, *bad) : run_grouped(u, *bad);
	else
		census_end(&u->c, 0);
	for (int i = 0; i < u->npend; i++)
		free(u->pend[i].cells);
	free(u->pend);
	u->pend = NULL;
	if (rc && u->gave_up && !u->rc)
		rc = 0; /* the last household (census_end's) gave up */
	if (!rc && !u->rc && u->stage != CAREFUL && (u->c.nerr || u->c.dropped))
		u->gave_up = 1; /* file-level errors */
	return u->rc ? u->rc : rc;
}

int import_households(struct ctx *x, const void *buf, size_t len, const struct import_opts *o,
		      json_t **answer, struct err *e)
{
	*answer = NULL;
	struct org org;
	int rc = org_in_scope(x, o->org_id, &org, e);
	if (rc)
		return rc;
	struct run u;
	struct sheet s = {0};
	int bad = 0;
	for (enum stage st = o->one_by_one ? CAREFUL : DIRECT;; st++) {
		u = (struct run){.x = x, .o = o, .e = e, .stage = st};
		rc = run_stage(&u, buf, len, &s, &bad);
		if (rc || !u.gave_up)
			break;
		db_rollback(x->db); /* and the next way, from the start */
		sheet_free(&s);
	}
	struct census *c = &u.c;
	if (!rc && bad) { /* the reason the file stopped is always listed */
		if (c->nerr >= CENSUS_MAX_ERRORS) {
			c->nerr--;
			c->dropped++;
		}
		census_error(c, s.err_row, "", "%s", s.err);
	}
	if (!rc)
		progress_at(&u, u.rows, s.in_total, s.in_total);
	sheet_free(&s);
	if (rc) {
		db_rollback(x->db);
		return rc;
	}

	census_sort_errors(c);
	if (c->nerr || o->dry_run) {
		db_rollback(x->db);
		if (c->nerr)
			return fail_with(e, answer_of(c, o->dry_run, u.active, u.stage), c->nerr + c->dropped);
		*answer = answer_of(c, 1, u.active, u.stage);
		return 0;
	}
	if ((u.stage != DIRECT && ((rc = db_exec(x->db, "DROP TABLE bangfu_import_seen", e)) ||
				   (rc = db_exec(x->db, "DROP TABLE bangfu_import_rows", e)))) ||
	    (rc = import_fast_end(&u.fast, e)) ||
	    (rc = audit_add(x, "import", "household", 0, o->org_id, e,
			    "导入普查表到%s：%d 户 %d 人（其中已建档 %d 户）", org.name, c->nhh, c->people, u.active)) ||
	    (rc = db_commit(x->db, e))) {
		db_rollback(x->db);
		return rc;
	}
	*answer = answer_of(c, 0, u.active, u.stage);
	return 0;
}

/* --- HTTP ------------------------------------------------------------------------------- */

enum sheet_format import_format_of(const char *content_type, const char *filename)
{
	size_t fl = filename ? strlen(filename) : 0;
	if (fl >= 5 && !strcasecmp(filename + fl - 5, ".xlsx"))
		return SHEET_XLSX;
	if (fl >= 4 && !strcasecmp(filename + fl - 4, ".csv"))
		return SHEET_CSV;
	if (content_type && strstr(content_type, "spreadsheetml"))
		return SHEET_XLSX;
	if (content_type && (strstr(content_type, "text/csv") || strstr(content_type, "text/plain")))
		return SHEET_CSV;
	return SHEET_AUTO;
}

/* ?name=true|false (or 1|0), absent: false. */
int import_query_flag(struct req *r, const char *name, int *out)
{
	const char *v = req_query(r, name);
	*out = v && (!strcmp(v, "true") || !strcmp(v, "1"));
	if (!*out && v && *v && strcmp(v, "false") && strcmp(v, "0"))
		return err_field(&r->err, name, "%s 应为 true 或 false", name);
	return 0;
}

/* POST /imports/households?org_id=&dry_run=true|false&one_by_one=true|false — the file as the
 * body (text/csv or the xlsx type) or as multipart field `file`. */
int imports_h_households(struct req *r)
{
	int64_t org = 0;
	int rc = req_query_int(r, "org_id", 0, 1, INT64_MAX, &org);
	if (rc)
		return rc;
	if (!org)
		return err_field(&r->err, "org_id", "请用 org_id 指定导入到哪个单位");
	int dry = 0, one = 0;
	if ((rc = import_query_flag(r, "dry_run", &dry)) || (rc = import_query_flag(r, "one_by_one", &one)))
		return rc;
	struct mp_part part;
	if ((rc = req_file(r, "普查表", &part)))
		return rc;
	const char *data = part.data;
	size_t len = part.len;
	enum sheet_format fmt = import_format_of(part.content_type, part.filename[0] ? part.filename : NULL);
	struct import_opts o = {.org_id = org, .dry_run = dry, .one_by_one = one, .format = fmt};
	json_t *answer = NULL;
	if ((rc = import_households(&r->x, data, len, &o, &answer, &r->err)))
		return rc;
	return req_reply(r, 200, answer);
}

/* GET /imports/households/template.csv — the header row, UTF-8 with a BOM
 * so that Excel opens it with the right encoding. */
int imports_h_template(struct req *r)
{
	const char *csv = arena_printf(r->x.a, "\xEF\xBB\xBF%s\r\n", census_template_header());
	r->raw = csv;
	r->raw_len = strlen(csv);
	r->content_type = "text/csv; charset=utf-8";
	r->disposition = "attachment; filename=\"household-import-template.csv\"; "
			 "filename*=UTF-8''%E6%99%AE%E6%9F%A5%E8%A1%A8%E6%A8%A1%E6%9D%BF.csv";
	r->status = 200;
	return 0;
}
