/* found_report.h — the figures of API.md "Found early" in the dashboard
 * and the quarterly report (clues, emergency aid, the watch after exit).
 * Kept apart from reports.c, which calls these through one-line hooks. */
#ifndef BANGFU_FOUND_REPORT_H
#define BANGFU_FOUND_REPORT_H

#include <jansson.h>

#include "core/ctx.h"

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

#endif
