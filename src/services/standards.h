/* standards.h — minimum living standards (低保线) per org and year.
 * A unit without its own inherits its nearest ancestor's. */
#ifndef BANGFU_STANDARDS_H
#define BANGFU_STANDARDS_H

#include "core/ctx.h"

struct req;

/* RULE standard.inherit: the effective monthly standard of org_id in year:
 * the latest year <= `year` that the unit or an ancestor has set, and in
 * that year the nearest unit's.  *found = 0 when there is none. */
int standard_effective(struct ctx *x, int64_t org_id, int64_t year, int64_t *monthly_fen,
		       int64_t *source_org_id, int64_t *source_year, int *found, struct err *e);
int standard_set(struct ctx *x, int64_t org_id, int64_t year, int64_t monthly_fen, struct err *e);

int standards_h_set(struct req *r);
int standards_h_get(struct req *r);

#endif
