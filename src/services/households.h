/* households.h — real-name archives of households in difficulty
 * (DESIGN.md §2.1, API.md "Households"). */
#ifndef BANGFU_HOUSEHOLDS_H
#define BANGFU_HOUSEHOLDS_H

#include "core/ctx.h"
#include "http/route.h"
#include "rules/hh_flow.h"

extern const struct field household_body[];  /* POST /households */
extern const struct field household_patch[]; /* PATCH /households/{id} */
extern const struct field member_body[];

/* Creates a draft from a body already checked against household_body.
 * Runs in the caller's write transaction; writes event and audit. */
int household_create(struct ctx *x, json_t *body, int64_t *id, struct err *e);

/* RULE mask.id, mask.phone, mask.birth: masks o's "id_number" and "phone"
 * in place and replaces its "birth_date" by "age" on `today`. */
void person_mask_fields(json_t *o, day_t today);

/* The record as JSON: full (ID numbers in clear) or masked.  NULL when
 * missing (e set). */
json_t *household_json(struct ctx *x, int64_t id, int full, struct err *e);

/* The full record for a reveal: written to the audit log as a "reveal" with
 * the reason (RULE privacy.reveal) in the caller's write transaction.  NULL
 * with e set when missing, out of scope or failing. */
json_t *household_reveal(struct ctx *x, int64_t id, const char *reason, struct err *e);
extern const struct field reveal_body[]; /* {"reason"}: 2-200 characters */

/* Status and org of a household in scope; -E_NOT_FOUND otherwise. */
int household_load(struct ctx *x, int64_t id, enum hh_status *st, int64_t *org_id,
		   int64_t *version, struct err *e);

/* Replaces the members and re-indexes the open-archive people; checks the
 * ID numbers (422) and precise identification (409).  A member with an `id`
 * whose number is omitted or sent masked keeps its stored number (RULE
 * privacy.edit). */
int household_set_members(struct ctx *x, int64_t id, json_t *worker_id_number, json_t *members,
			  struct err *e);
/* Recomputes size, per-capita income, standard and suggested category. */
int household_recompute(struct ctx *x, int64_t id, struct err *e);
/* What the figures of a unit's households are judged by this year: its
 * standard (found = 0 when none) and the marginal factor. */
struct hh_basis {
	int found, marginal_pct;
	int64_t standard_fen;
};
int household_basis(struct ctx *x, int64_t org_id, struct hh_basis *b, struct err *e);
/* RULE income.per_capita and the suggested category, from the household's
 * total monthly income, its size and its causes (CAUSE_BIT mask). */
void household_figures(const struct hh_basis *b, int64_t total_fen, int64_t size, unsigned causes,
		       int64_t *per_capita_fen, const char **category);
/* Appends to the workflow trail. */
int household_event(struct ctx *x, int64_t id, const char *action, const char *from,
		    const char *to, const char *comment, const char *data, struct err *e);

/* The filters of GET /households (and of its .xlsx and the CLI export). */
struct hh_filter {
	int64_t org_id;                 /* 0: the caller's whole scope */
	const char *status, *category, *q, *primary_aid;
	int review_due, exit_suggested;
	int monitoring;                 /* exited and under watch (API.md "Found early") */
};
/* From ?org_id=&status=&category=&q=&review_due=true&exit_suggested=true&primary_aid=. */
int hh_filter_from_query(struct req *r, struct hh_filter *f);
/* Every household matching f, in the list's order and shaped (and masked)
 * like its items, handed to fn one at a time.  404 for an org outside the
 * scope, 422 for an unknown status or category. */
int households_each(struct ctx *x, const struct hh_filter *f, db_row_fn fn, void *arg, struct err *e);

int households_scope(struct req *r);
int households_scope_read(struct req *r); /* households_scope, loading the masked record */
int households_h_create(struct req *r);
int households_h_get(struct req *r);
int households_h_reveal(struct req *r);
int households_h_list(struct req *r);
int households_h_update(struct req *r);
int households_h_search(struct req *r);
extern const struct field household_search_body[];

#endif
