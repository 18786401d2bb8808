/* hh_workflow.h — the archiving workflow (transitions), visits,
 * objections, pairings and the event trail of a household. */
#ifndef BANGFU_HH_WORKFLOW_H
#define BANGFU_HH_WORKFLOW_H

#include "http/route.h"
#include "rules/hh_flow.h"

extern const struct field hh_transition_body[];
extern const struct field visit_body[];
extern const struct field objection_body[];
extern const struct field resolve_body[];
extern const struct field pairing_body[];

/* Applies one step as the actor in x (used by the API and the demo).
 * The caller owns the write transaction.  On a refusal of role or duty,
 * *denied is set so the API can audit it. */
int hh_transition(struct ctx *x, int64_t id, json_t *body, int *denied, struct err *e);
int hh_visit_add(struct ctx *x, int64_t id, json_t *body, int64_t *visit_id, struct err *e);

/* The workflow trail of household `id`, oldest first (a new reference;
 * NULL with e set on failure). */
json_t *hh_events_json(struct ctx *x, int64_t id, struct err *e);

int hh_h_transition(struct req *r);
int hh_h_events(struct req *r);
int hh_h_visit_add(struct req *r);
int hh_h_visits(struct req *r);
int hh_h_objection_add(struct req *r);
int hh_h_objections(struct req *r);
int hh_h_objection_resolve(struct req *r);
int hh_h_pairing_add(struct req *r);
int hh_h_pairings(struct req *r);

#endif
