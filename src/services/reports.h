/* reports.h — statistics and reporting (统计上报, DESIGN.md §2.7, API.md
 * "Reports"): the quarterly report rolled up the org tree, and the
 * dashboard's key figures and monthly series.  Every figure is an SQL
 * aggregate; C only arranges the grouped rows into JSON. */
#ifndef BANGFU_REPORTS_H
#define BANGFU_REPORTS_H

#include "core/ctx.h"
#include "http/route.h"
#include "rules/household.h"

/* The quarterly report of org `org_id` (in the actor's scope, else
 * -E_NOT_FOUND) for `period` "YYYYQn" (else -E_VALIDATION_FAILED with
 * details.fields.period).  *out: a new reference,
 * {"org_id","period","from","to","total":UNIT,"units":[{"org_id","name",...UNIT}]}
 * with one unit per direct child, each covering its whole subtree. */
int report_quarterly(struct ctx *x, int64_t org_id, const char *period, json_t **out, struct err *e);

/* The dashboard of org `org_id` as of x->today; *out a new reference. */
int report_dashboard(struct ctx *x, int64_t org_id, json_t **out, struct err *e);

/* Shared by reports.c and dashboard.c: sel + ", SUM(CASE WHEN cond THEN 1
 * ELSE 0 END)"; the programme codes (every one, sorted) in the arena. */
char *report_count_if(struct arena *a, char *sel, const char *cond);
extern const enum category report_cat_order[]; /* the categories in the report's order */
int report_load_programs(struct ctx *x, int emergency, int *n, const char ***codes, struct err *e);

int reports_h_quarterly(struct req *r);  /* GET /reports/quarterly?org_id=&period= */
int reports_h_dashboard(struct req *r);  /* GET /reports/dashboard?org_id= */

#endif
