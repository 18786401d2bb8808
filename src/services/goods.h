/* goods.h — goods donated in kind (爱心互助园地): items, receipts from
 * donors, hand-outs to households.  RULE goods.never_negative. */
#ifndef BANGFU_GOODS_H
#define BANGFU_GOODS_H

#include "http/route.h"

extern const struct field goods_body[];
extern const struct field goods_receipt_body[];
extern const struct field goods_handout_body[];

int goods_scope(struct req *r);
int goods_h_create(struct req *r);
int goods_h_list(struct req *r);
int goods_h_get(struct req *r);
int goods_h_receipt(struct req *r);
int goods_h_handout(struct req *r);

#endif
