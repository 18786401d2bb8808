/* applications.h — aid applications ("五有": 有申请、有查验、有批准、有时限、
 * 有签收) against the programmes, and their workflow. */
#ifndef BANGFU_APPLICATIONS_H
#define BANGFU_APPLICATIONS_H

#include "http/route.h"

extern const struct field application_body[];
extern const struct field app_transition_body[];

/* Files an application from a checked body; *id gets the new id.  The
 * programme is snapshotted: later changes to it do not touch this one. */
int application_create(struct ctx *x, json_t *body, int64_t *id, struct err *e);
/* RULE aid.above_standard and the amount's bounds: 422 on the field when
 * amount > max, or > std without a reason; documents must be names. */
int application_check_amount(int64_t amount, int64_t std, int64_t max, const char *reason, json_t *docs,
			     struct err *e);
int application_transition(struct ctx *x, int64_t id, json_t *body, int *denied, struct err *e);
json_t *application_json(struct ctx *x, int64_t id, struct err *e);
/* The application's trail, oldest first; NULL with e set on failure. */
json_t *application_events_json(struct ctx *x, int64_t id, struct err *e);
int application_event(struct ctx *x, int64_t id, const char *action, const char *from,
		      const char *to, const char *comment, struct err *e);

/* RULE aid.monthly: aid_monthly (unit, month, programme: applications
 * disbursed, their amount net of refunds) kept with every payment.
 * aid_monthly_add() adds the applications that `from_where` (" FROM
 * applications a WHERE ...", arguments in args) selects, once, as they are
 * disbursed; aid_monthly_refund() takes a refund of one off its month. */
int aid_monthly_add(struct ctx *x, const char *from_where, const struct db_args *args, struct err *e);
int aid_monthly_refund(struct ctx *x, int64_t id, int64_t amount_fen, struct err *e);

/* The filters of GET /applications (and of its .xlsx). */
struct app_filter {
	const char *status, *program_code;
	int64_t household_id, campaign_id;
	int overdue;
	int follow_up_overdue, temporary; /* API.md "Found early" */
};
/* From ?status=&program_code=&household_id=&campaign_id=&overdue=true. */
int app_filter_from_query(struct req *r, struct app_filter *f);
/* Every application in scope matching f, in the list's order and shaped
 * like its items, handed to fn one at a time. */
int applications_each(struct ctx *x, const struct app_filter *f, db_row_fn fn, void *arg, struct err *e);

int applications_scope(struct req *r);
int applications_h_create(struct req *r);
int applications_h_list(struct req *r);
int applications_h_get(struct req *r);
int applications_h_events(struct req *r);
int applications_h_transition(struct req *r);

#endif
