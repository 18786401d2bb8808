/* checks.h — household economic checks with other agencies (家庭经济状况核对,
 * API.md "Attachments", DESIGN.md §2.8): made on the worker's signed
 * authorisation (授权委托书, an attachment of the household), one per agency,
 * pending until its result (clear or found) is recorded. */
#ifndef BANGFU_CHECKS_H
#define BANGFU_CHECKS_H

#include "http/route.h"

extern const struct field check_body[];
extern const struct field check_result_body[];

int checks_h_create(struct req *r);
int checks_h_result(struct req *r);
int checks_h_list(struct req *r);

#endif
