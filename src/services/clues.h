/* clues.h — clues of hardship (线索, API.md "Found early"): filed by an
 * informant (信息员) or staff, acted on within 5 working days, resolved
 * once.  An informant sees only the clues it filed, and no answer to it
 * says whether the person already has an archive (RULE clue.blind). */
#ifndef BANGFU_CLUES_H
#define BANGFU_CLUES_H

#include "http/route.h"

extern const struct field clue_body[];
extern const struct field clue_resolve_body[];

/* Files a clue from a checked body; *id gets the new id.  Audited. */
int clue_create(struct ctx *x, json_t *b, int64_t *id, struct err *e);
/* Resolves open clue `id` (in scope) once; 409 invalid_transition after. */
int clue_resolve(struct ctx *x, int64_t id, json_t *b, struct err *e);
/* The clue, ID number and phone masked; NULL with e set when missing. */
json_t *clue_json(struct ctx *x, int64_t id, struct err *e);

int clues_scope(struct req *r);
int clues_h_create(struct req *r);
int clues_h_list(struct req *r);
int clues_h_get(struct req *r);
int clues_h_resolve(struct req *r);

#endif
