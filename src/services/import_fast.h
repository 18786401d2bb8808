/* import_fast.h — the census import's bulk inserter (services/import.c).
 *
 * household_create() takes a JSON body and asks the database a dozen
 * questions per household; for a roster of a million rows that is most of
 * the time.  Here a household the census (rules/census.c) has already
 * checked, with every rule of household_body, is written with one INSERT
 * per row it needs: the household with its figures worked out in C (the
 * unit's standard and the marginal factor are read once per import), its
 * members, its people in archive_people, the "create" event and its audit
 * entry, appended to a chain held open for the whole import.  What it
 * writes is exactly what household_create() (+ make_active) writes for the
 * same household: tests/api/import-fast.test.mjs compares the two.
 *
 * It refuses (returns 1) instead of explaining: a person already in an open
 * archive, in the database or earlier in the file (the unique index of
 * archive_people answers both at once), or an archive number taken.  Part
 * of the household may then be written: the caller rolls the transaction
 * back and goes the careful way, which names every error by row.
 */
#ifndef BANGFU_IMPORT_FAST_H
#define BANGFU_IMPORT_FAST_H

#include "core/ctx.h"
#include "rules/census.h"
#include "services/audit.h"
#include "services/households.h"

struct import_fast {
	struct ctx *x;
	int64_t org;
	struct hh_basis basis;
	struct audit_chain chain;
	int open;
};

int import_fast_begin(struct import_fast *f, struct ctx *x, int64_t org, struct err *e);
/* 0 written (*id), 1 refused (see above), <0 database failure. */
int import_fast_household(struct import_fast *f, const struct census_household *h, int64_t *id,
			  struct err *e);
/* Writes the audit chain's head back. */
int import_fast_end(struct import_fast *f, struct err *e);

/* An archive approved on paper (档案编号, 建档日期) starts active: status,
 * number, dates, the archive number counter, an event and an audit entry
 * (through ch when not NULL).  1 when the number is taken (reported with
 * census_error when c is not NULL), 0, or <0. */
int import_make_active(struct ctx *x, struct census *c, struct audit_chain *ch,
		       const struct census_household *h, int64_t id, int64_t org, struct err *e);

#endif
