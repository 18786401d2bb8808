/* found_report.h — the figures of API.md "Found early" in the dashboard
 * and the quarterly report (clues, emergency aid, the watch after exit).
 * Kept apart from reports.c, which calls these through one-line hooks. */
#ifndef BANGFU_FOUND_REPORT_H
#define BANGFU_FOUND_REPORT_H

#include <jansson.h>

#include "core/ctx.h"
#include "rules/period.h"

/* Adds to the dashboard `out` of the units matching `like` (an org path
 * LIKE pattern), as of x->today:
 *   clues_open, clues_overdue        open clues; of those due_date < today
 *   clues_received, clues_on_time    per month of the 12 ending this one
 *                                    (received_on; resolved_on when on time)
 *   follow_ups_overdue               emergency payments not followed up,
 *                                    follow_up_due < today
 *   monitoring, monitoring_due       exited archives under watch (monitor_until
 *                                    >= today); of those next_review_date <= today */
/* reports.c: fills arr[12] from rows (month "YYYY-MM", value) of s, and
 * finalizes s. */
int month_rows(struct db_stmt *s, struct err *e, char months[12][8], int64_t *arr);

int found_dashboard(struct ctx *x, const char *like, json_t *out, struct err *e);

/* The quarterly report's figures for root `root_id` (subtree LIKE `like`)
 * and its direct children over p; *out (new reference) maps the bucket's
 * org id (as text) to its blocks.  Definitions (the period [from, to]):
 *   clues.received            clues with received_on in it
 *   clues.resolved, on_time,  clues with resolved_on in it; of those
 *   archived                  resolved_on <= due_date; outcome archived
 *   emergency.count,          applications of an emergency programme
 *   amount_fen                disbursed in it (amount net of refunds)
 *   emergency.archived_after  of those, followed up as archived by now
 *   households.monitoring     exited by the end, monitor_until >= the end
 *                             (a reopened archive's watch is cleared: one
 *                             reopened after the end is not counted)
 *   households.reopened       reopen events in it */
int found_quarterly(struct ctx *x, int64_t root_id, const char *like, const struct period *p, json_t **out,
		    struct err *e);
/* Sets unit.clues, unit.emergency, unit.households.monitoring and
 * .reopened from `all` (zeros when absent). */
void found_quarterly_unit(json_t *all, int64_t org_id, json_t *unit);

#endif
