/* watch.h — watching after exit (返困监测, API.md "Found early"): an exit
 * keeps the archive under watch for 12 months with a follow-up visit due
 * after 6; a `monitoring` visit sets the next one; `reopen` brings an
 * exited archive back to draft with its number, trail, visits and members.
 * hh_workflow.c and hh_records.c call these from their steps. */
#ifndef BANGFU_WATCH_H
#define BANGFU_WATCH_H

#include "core/ctx.h"

#define WATCH_MONTHS 12     /* RULE watch.exit */
#define WATCH_VISIT_MONTHS 6

/* On exit: monitor_until = today + 12 months, next_review_date = + 6. */
int watch_on_exit(struct ctx *x, int64_t id, struct err *e);
/* On reopen: 409 duplicate_id_number (details.org_name) while the worker or
 * a member is in another open archive; else its people are open again and
 * the watch is cleared. */
int watch_on_reopen(struct ctx *x, int64_t id, struct err *e);
/* On enter: *no = the archive number the household already has (a
 * reopened archive keeps it), or NULL. */
int watch_kept_archive_no(struct ctx *x, int64_t id, const char **no, struct err *e);
/* A visit of kind `monitoring` on household `id` dated `date`: 422 unless
 * the household is exited; sets next_review_date to date + 6 months, or
 * null past monitor_until. */
int watch_on_visit(struct ctx *x, int64_t id, const char *date, struct err *e);
/* RULE watch.end: the visit still pending on an archive whose watch has
 * ended (monitor_until before today) is cleared, one audit entry per
 * archive, in transactions of WATCH_END_BATCH; *n = how many.  serve runs
 * it at every maintenance tick (server.c). */
#define WATCH_END_BATCH 500
int watch_end_run(struct ctx *x, int64_t *n, struct err *e);

#endif
