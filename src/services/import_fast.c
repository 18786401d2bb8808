/* import_fast.c — see import_fast.h. */
#include "services/import_fast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/dates.h"
#include "rules/household.h"
#include "rules/idcard.h"
#include "services/hh_search.h"

int import_fast_begin(struct import_fast *f, struct ctx *x, int64_t org, struct err *e)
{
	*f = (struct import_fast){.x = x, .org = org};
	int rc = household_basis(x, org, &f->basis, e);
	if (!rc && !(rc = audit_chain_open(x, &f->chain, e)))
		f->open = 1;
	return rc;
}

int import_fast_end(struct import_fast *f, struct err *e)
{
	if (!f->open)
		return 0;
	f->open = 0;
	return audit_chain_close(f->x, &f->chain, e);
}

/* RULE archive.precise: the person goes into the open-archive index, or
 * someone holds the number already (1): another open archive, or this one
 * (the person twice in a household: the key on SQLite, migration 025). */
static int index_person(struct ctx *x, const char *idn, int64_t id, struct err *e)
{
	int64_t ap = 0;
	int rc = db_insert(x->db, e, &ap,
			   "INSERT INTO archive_people (id_number, household_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
			   "si", idn, id);
	return rc ? rc : ap ? 0 : 1;
}

static int add_member(struct ctx *x, const struct census_person *p, int64_t id, struct err *e)
{
	struct idcard_info info;
	char bd[11];
	if (idcard_check(p->id, x->today, &info) != ID_OK)
		return 1; /* the census checked it: cannot happen */
	date_format(info.birth, bd);
	int rc = db_run(x->db, e,
			"INSERT INTO members (household_id, name, id_number, relation, gender, birth_date,"
			" monthly_income_fen, health, school_stage, disability, occupation)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"isssssissis", id, p->name, info.norm, relation_name(p->relation),
			info.male ? "male" : "female", bd, p->income_fen, p->health, school_name(p->school),
			(int64_t)0, p->employer);
	return rc ? rc : index_person(x, info.norm, id, e);
}

#define HH_COLS                                                                                           \
	"(org_id, status, name, id_number, gender, birth_date, monthly_income_fen, causes, household_size,"   \
	" per_capita_income_fen, suggested_category, created_by, created_at, updated_at, phone, employer,"   \
	" address, illness, standard_fen) VALUES (?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

int import_fast_household(struct import_fast *f, const struct census_household *h, int64_t *id,
			  struct err *e)
{
	struct ctx *x = f->x;
	struct idcard_info info;
	if (idcard_check(h->worker.id, x->today, &info) != ID_OK)
		return 1;
	char bd[11], causes[512] = "";
	date_format(info.birth, bd);
	for (int k = 0; k < CAUSE__MAX; k++)
		if (h->causes & CAUSE_BIT(k)) {
			if (*causes)
				strcat(causes, ",");
			strcat(causes, cause_name(k));
		}
	int64_t total = h->worker.income_fen, size = 1 + h->nmembers, pc;
	for (int i = 0; i < h->nmembers; i++)
		total += h->members[i].income_fen;
	const char *cat;
	household_figures(&f->basis, total, size, h->causes, &pc, &cat);

	/* the columns household_create() writes, in its order.  SQLite: OR FAIL
	 * (a failure rolls the whole import back anyway) with foreign keys
	 * off (db_begin_bulk) needs no statement journal although the kept
	 * counts' triggers fire (migration 025). */
	int rc = db_insert(x->db, e, id,
				 db_kind(x->db) == DB_SQLITE ? "INSERT OR FAIL INTO households " HH_COLS
							      : "INSERT INTO households " HH_COLS,
				 "issssisiiszssssssz", f->org, h->worker.name, info.norm, info.male ? "male" : "female",
				 bd, h->worker.income_fen, causes, size, pc, cat, x->who.id, x->now_s, x->now_s,
				 h->phone, h->worker.employer, h->address, h->worker.health,
				 f->basis.found ? f->basis.standard_fen : 0);
	if (rc || !*id)
		return rc ? rc : err_set(e, E_INTERNAL, "新档案没有编号");
	if ((rc = index_person(x, info.norm, *id, e)) || (rc = name_grams_add(x, *id, f->org, h->worker.name, e)))
		return rc;
	for (int i = 0; i < h->nmembers; i++)
		if ((rc = add_member(x, &h->members[i], *id, e)))
			return rc;
	if ((rc = household_event(x, *id, "create", NULL, "draft", NULL, NULL, e)) ||
	    (rc = audit_chain_add(x, &f->chain, "create", "household", *id, f->org, e,
				  "新建困难职工档案（草稿）：%s", h->worker.name)))
		return rc;
	return h->archive_no ? import_make_active(x, NULL, &f->chain, h, *id, f->org, e) : 0;
}

/* RULE archive.number: a number in the system's own form (region + year +
 * 5 digits) moves that counter past it, so `enter` never reuses it. */
static int bump_counter(struct ctx *x, const char *no, struct err *e)
{
	if (strlen(no) != 15 || strspn(no, "0123456789") != 15)
		return 0;
	char region[7], year[5];
	memcpy(region, no, 6);
	region[6] = '\0';
	memcpy(year, no + 6, 4);
	year[4] = '\0';
	int64_t y = atoll(year), seq = atoll(no + 10);
	int rc = db_run(x->db, e,
			"INSERT INTO archive_seqs (region_code, year, last) VALUES (?, ?, ?)"
			" ON CONFLICT (region_code, year) DO NOTHING",
			"sii", region, y, seq);
	return rc ? rc
		  : db_run(x->db, e, "UPDATE archive_seqs SET last = ? WHERE region_code = ? AND year = ? AND last < ?",
			   "isii", seq, region, y, seq);
}

int import_make_active(struct ctx *x, struct census *c, struct audit_chain *ch,
		       const struct census_household *h, int64_t id, int64_t org, struct err *e)
{
	int64_t n = 0;
	int rc = db_int(x->db, e, &n, NULL, "SELECT COUNT(*) FROM households WHERE archive_no = ?", "s",
			h->archive_no);
	if (rc)
		return rc;
	if (n) {
		if (c)
			census_error(c, h->archive_row, "档案编号", "档案编号“%s”已被其他档案使用", h->archive_no);
		return 1;
	}
	day_t on;
	char next[11];
	date_parse(h->entered_on, &on);
	date_format(date_add_months(on, 6), next);
	if ((rc = db_run(x->db, e,
			 "UPDATE households SET status = 'active', archive_no = ?, entered_on = ?,"
			 " next_review_date = ?, category = suggested_category, updated_at = ? WHERE id = ?",
			 "ssssi", h->archive_no, h->entered_on, next, x->now_s, id)) ||
	    (rc = bump_counter(x, h->archive_no, e)))
		return rc;
	char *ds = NULL;
	json_t *d = json_pack("{s:s,s:s}", "archive_no", h->archive_no, "entered_on", h->entered_on);
	if (d)
		ds = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	rc = household_event(x, id, "import_active", "draft", "active", "普查表导入：纸质档案已审批建档", ds, e);
	free(ds);
	if (rc)
		return rc;
	const char *fmt = "导入已建档档案：%s（档案编号 %s，建档日期 %s）";
	return ch ? audit_chain_add(x, ch, "import_active", "household", id, org, e, fmt, h->worker.name,
				    h->archive_no, h->entered_on)
		  : audit_add(x, "import_active", "household", id, org, e, fmt, h->worker.name, h->archive_no,
			      h->entered_on);
}
