/* primary_aid.h — a household's primary aid item (帮扶主项, DESIGN.md
 * §2.9): the one most direct, real and concrete help for it.  A programme
 * code, or employment, legal, medical_mutual (API.md "Mutual aid"). */
#ifndef BANGFU_PRIMARY_AID_H
#define BANGFU_PRIMARY_AID_H

#include <jansson.h>

#include "core/ctx.h"

/* RULE primary_aid.code: 1 when code names a programme or one of the
 * items beside them. */
int primary_aid_known(struct ctx *x, const char *code, struct err *e);

/* When body carries "primary_aid" (a code, or null to clear it), checks
 * it and sets it on household id, inside the caller's transaction.  The
 * approve and review steps and PATCH (while active) call this.  0 or <0
 * (422 on an unknown code). */
int primary_aid_apply(struct ctx *x, int64_t id, json_t *body, struct err *e);

/* The zh-CN label of a code ("医疗互助" for medical_mutual, else the
 * programme's name); NULL when unknown.  Arena text. */
const char *primary_aid_label(struct ctx *x, const char *code);

#endif
