/* programs.h — aid programmes (帮扶项目): amounts, documents, deadlines,
 * approval tiers and eligibility rules.  Global, not per unit. */
#ifndef BANGFU_PROGRAMS_H
#define BANGFU_PROGRAMS_H

#include "http/route.h"

extern const struct field program_body[];
extern const struct field program_patch[];

/* The programme as JSON (documents, tiers and rules parsed), or NULL with
 * e set (E_NOT_FOUND when unknown). */
json_t *program_json(struct ctx *x, const char *code, struct err *e);

int programs_h_list(struct req *r);
int programs_h_get(struct req *r);
int programs_h_create(struct req *r);
int programs_h_update(struct req *r);

#endif
