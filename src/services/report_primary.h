/* report_primary.h — the quarterly report's households.by_primary_aid
 * (帮扶主项, API.md "Mutual aid"): active households per primary item. */
#ifndef BANGFU_REPORT_PRIMARY_H
#define BANGFU_REPORT_PRIMARY_H

#include "core/ctx.h"
#include "rules/period.h"

/* For root `root_id` (subtree `like`) and its direct children: *out (new
 * reference) maps the bucket's org id (as text) to {code: N}.  Counted:
 * households active now that were entered by the period's end (the
 * status now, a simplification like the review dates). */
int report_primary_aid(struct ctx *x, int64_t root_id, const char *like, const struct period *p, json_t **out,
		       struct err *e);
/* Sets unit.households.by_primary_aid from `all`: every programme code
 * and medical_mutual, 0 when none. */
void report_primary_aid_unit(struct ctx *x, json_t *all, int64_t org_id, json_t *unit);

#endif
