/* calendar.h — working-day overrides (holidays, make-up days) and the
 * working-day arithmetic every deadline uses. */
#ifndef BANGFU_CALENDAR_H
#define BANGFU_CALENDAR_H

#include "core/ctx.h"
#include "rules/workdays.h"

struct req;

/* Loads the overrides from `from` on (arena) into *cal. */
int calendar_load(struct ctx *x, day_t from, struct wd_calendar *cal, struct err *e);
/* The n-th working day after `from`. */
int calendar_add_workdays(struct ctx *x, day_t from, int n, day_t *out, struct err *e);
int calendar_set(struct ctx *x, const char *date, int workday, const char *note, struct err *e);

int calendar_h_list(struct req *r);
int calendar_h_put(struct req *r);
int calendar_h_delete(struct req *r);
int calendar_h_workdays(struct req *r);

#endif
