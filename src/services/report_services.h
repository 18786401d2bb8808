/* report_services.h — the employment and partner-card figures of the
 * quarterly report (reports.c places them in each UNIT). */
#ifndef BANGFU_REPORT_SERVICES_H
#define BANGFU_REPORT_SERVICES_H

#include "core/ctx.h"
#include "rules/period.h"

/* Runs the aggregates for root `root_id` (subtree LIKE pattern `like`) and
 * its direct children over period p.  *out (new reference) maps the
 * bucket's org id (as text) to {"employment":{...},"cards":{...}}. */
int report_services(struct ctx *x, int64_t root_id, const char *like, const struct period *p,
		    json_t **out, struct err *e);
/* Sets unit.employment and unit.cards from `all` (zeros when absent). */
void report_services_unit(json_t *all, int64_t org_id, json_t *unit);

#endif
