/* report_outreach.h — the outreach figures of the quarterly report and the
 * dashboard (reports.c places them). */
#ifndef BANGFU_REPORT_OUTREACH_H
#define BANGFU_REPORT_OUTREACH_H

#include "core/ctx.h"
#include "rules/period.h"

/* Runs the aggregates for root `root_id` (subtree LIKE pattern `like`) and
 * its direct children over period p.  *out (new reference) maps the
 * bucket's org id (as text) to its outreach block. */
int report_outreach(struct ctx *x, int64_t root_id, const char *like, const struct period *p,
		    json_t **out, struct err *e);
/* Sets unit.outreach from `all` (zeros when absent). */
void report_outreach_unit(json_t *all, int64_t org_id, json_t *unit);
/* Sets out.agency_referrals_overdue: referrals of the subtree pending more
 * than 30 days (RULE referral.overdue). */
int report_outreach_dashboard(struct ctx *x, const char *like, json_t *out, struct err *e);

#endif
