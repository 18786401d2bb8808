/* emergency.h — emergency aid (临时救助, API.md "Found early"): an
 * application of a programme flagged `emergency` names a person instead of
 * a household; its steps, tiers, separation of duties and ledger are those
 * of every application (app_workflow.c).  Thirty days after the payment the
 * case is followed up: archived (linked to the archive) or closed. */
#ifndef BANGFU_EMERGENCY_H
#define BANGFU_EMERGENCY_H

#include "http/route.h"

extern const struct field app_person_body[];
extern const struct field follow_up_body[];

/* Files an emergency application from a checked body for programme `prog`
 * (its JSON); 422 not_eligible with reasons has_archive / cap_reached. */
int emergency_create(struct ctx *x, json_t *b, json_t *prog, int64_t *id, struct err *e);
/* After a disbursement: sets follow_up_due (30 days on) when application
 * `id` is an emergency one. */
int emergency_disbursed(struct ctx *x, int64_t id, struct err *e);
/* Shapes an application row: `temporary`, the masked `person` (the raw
 * person_* columns go), the follow-up fields. */
void emergency_shape(json_t *o, const char *today);

/* Follows up disbursed emergency application `id` (in scope) once:
 * {"outcome":"archived","household_id"} or {"outcome":"closed","comment"}. */
int emergency_follow_up(struct ctx *x, int64_t id, json_t *b, struct err *e);

int applications_h_follow_up(struct req *r); /* POST /applications/{id}/follow-up */

#endif
