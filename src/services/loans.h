/* loans.h — micro-loans (小额贷款): a disbursed `microloan` application
 * becomes a loan with an equal-principal monthly schedule; repayments go
 * into a fund account and settle the oldest instalments first. */
#ifndef BANGFU_LOANS_H
#define BANGFU_LOANS_H

#include "http/route.h"

extern const struct field loan_body[];
extern const struct field repayment_body[];

int loans_scope(struct req *r);
int loans_h_create(struct req *r);
int loans_h_list(struct req *r);
int loans_h_get(struct req *r);
int loans_h_overdue(struct req *r);
int loans_h_repay(struct req *r);

#endif
