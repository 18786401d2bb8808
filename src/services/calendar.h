/* calendar.h — the working-day calendar every deadline uses: the statutory
 * holidays and make-up working days that ship with bangfu (the 国务院办公厅
 * notices, src/store/calendar/), an admin's overrides on top, and
 * Monday–Friday for every other day (docs/calendar.md).
 *
 * The table `calendar` holds the days in force, each with its source
 * (statutory | override); `calendar_years` the years whose notice is known.
 * A deadline falling in a year that is not known is provisional: counted
 * Monday to Friday plus the overrides, and flagged in its answer
 * (*_provisional).  When such a year becomes known (shipped data loaded,
 * an import's year row) the open deadlines in it are counted again (RULE
 * calendar.recompute), in the same transaction.
 */
#ifndef BANGFU_CALENDAR_H
#define BANGFU_CALENDAR_H

#include <jansson.h>

#include "core/ctx.h"
#include "rules/workdays.h"

struct req;

/* Loads the days in force from `from` on (arena) into *cal. */
int calendar_load(struct ctx *x, day_t from, struct wd_calendar *cal, struct err *e);
/* The n-th working day after `from`. */
int calendar_add_workdays(struct ctx *x, day_t from, int n, day_t *out, struct err *e);

/* An admin's override of one day (PUT /calendar/{date}); inside the
 * caller's write transaction.  Deadlines already set stay as they are. */
int calendar_set(struct ctx *x, const char *date, int workday, const char *note, struct err *e);

/* RULE calendar.provisional: 1 when the date ("YYYY-MM-DD") lies in a year
 * whose statutory holidays are not known (calendar_years); 0 for NULL or a
 * known year.  The known years are read once per ctx. */
int calendar_provisional(struct ctx *x, const char *date);
/* Sets o[flag] = calendar_provisional(x, o[key]) as a JSON boolean. */
void calendar_flag(struct ctx *x, json_t *o, const char *key, const char *flag);

/* init and migrate: loads every year of the shipped statutory data that
 * the database does not hold yet (never touching an override), inside the
 * caller's write transaction; one audit entry per year.  *years (may be
 * NULL) gets the years loaded as "2024、2025" (arena) or NULL when none. */
int calendar_statutory_sync(struct ctx *x, const char **years, struct err *e);

/* RULE calendar.missing: the warning for the dashboard and `bangfu check`,
 * or NULL: from 1 December when next year is not known, and whenever this
 * year is not.  *year gets the missing year.  (arena) */
int calendar_missing(struct ctx *x, const char **message, int *year, struct err *e);
/* The shipped years (of this binary) the database does not hold, "2027"
 * (arena), or NULL: `bangfu migrate` has not been run since an upgrade. */
int calendar_unloaded(struct ctx *x, const char **years, struct err *e);

/* `bangfu calendar import` and POST /imports/calendar: the file (buf, or
 * the file at path) as rules/calfile.h reads it, all or nothing, inside the
 * caller's write transaction.  Its days become overrides; its year rows
 * make their years known.  Returns 0 with *answer = {"days","years":[...],
 * "from","to","recomputed"}; -E_VALIDATION_FAILED with e->details =
 * {"errors":[{"row","message"}]} when the file has any error (nothing is
 * written).  */
int calendar_import(struct ctx *x, const void *buf, size_t len, const char *path, json_t **answer,
		    struct err *e);

int calendar_h_list(struct req *r);
int calendar_h_put(struct req *r);
int calendar_h_delete(struct req *r);
int calendar_h_workdays(struct req *r);
int calendar_h_import(struct req *r);   /* POST /imports/calendar */

#endif
