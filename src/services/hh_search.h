/* hh_search.h — the household name search by index (RULE list.q,
 * migration 010_name_grams.sql, API.md "Lists at scale"). */
#ifndef BANGFU_HH_SEARCH_H
#define BANGFU_HH_SEARCH_H

#include <stddef.h>

#include "core/ctx.h"
#include "store/db.h"

/* Replaces the grams of archive `hid` by those of `name`: '^' and its first
 * character, then every run of two and of three consecutive characters
 * (migration 034), with its unit.
 * In the caller's transaction. */
int name_grams_put(struct ctx *x, int64_t hid, int64_t org, const char *name, struct err *e);
/* The same for an archive that has no grams yet (the import's new ones). */
int name_grams_add(struct ctx *x, int64_t hid, int64_t org, const char *name, struct err *e);

/* The FROM ... WHERE start of a list whose q is a name (not all digits):
 * the grams g that find q, their units o, their archives h (LEFT JOIN:
 * dropped by both engines when only g.household_id is read), with the
 * arguments appended to a (matching nothing when q is longer than a name
 * can be).  The list's order is then
 * NAME_GRAMS_ORDER (the same as h.id DESC, read from the gram index). */
void name_grams_from(struct ctx *x, const char *q, char *from, size_t fn, struct db_args *a);
#define NAME_GRAMS_ORDER "g.household_id DESC"

/* The SELECT that counts the same rows when the list has no other filter:
 * up to three characters from the kept counts of the gram and its units
 * (RULE counts.grams, migrations 028 and 034; arguments: the gram, then
 * the scope's LIKE), past three from the rows of the first three; NULL
 * when q is longer than a name can be. */
const char *name_grams_count(const char *q);

/* For `bangfu check`: the grams kept against the grams of every name,
 * computed again in SQL (migration 010's statement). */
extern const char name_grams_drift_sql[];

#endif
