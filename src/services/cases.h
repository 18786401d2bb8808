/* cases.h — reception cases (信访接待、12351 热线、来信、网上; 法律援助、欠薪、
 * 劳动争议): intake, reading, listing (cases.c) and the workflow driven by
 * rules/case_flow.c (case_workflow.c).  Contract: docs/api-notes.md "Cases". */
#ifndef BANGFU_CASES_H
#define BANGFU_CASES_H

#include "http/route.h"

extern const struct field case_body[];
extern const struct field case_action_body[];

/* Takes in a case from a checked body (status received, deadline = intake
 * date + the category's working days); *id gets the new id.  Audited. */
int case_create(struct ctx *x, json_t *body, int64_t *id, struct err *e);
/* Applies body.action to case `id`; *denied set for a role refusal (403). */
int case_act(struct ctx *x, int64_t id, json_t *body, int *denied, struct err *e);
/* The case with ID number and phone masked; with_events adds the trail. */
json_t *case_json(struct ctx *x, int64_t id, int with_events, struct err *e);
int case_event(struct ctx *x, int64_t id, const char *action, const char *from, const char *to,
	       const char *comment, struct err *e);

int cases_scope(struct req *r);
int cases_h_create(struct req *r);
int cases_h_list(struct req *r);
int cases_h_get(struct req *r);
int cases_h_events(struct req *r);
int cases_h_action(struct req *r);

#endif
