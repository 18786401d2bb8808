/* campaigns.h — holiday condolence campaigns (两节送温暖): one approved
 * condolence application per active archive in a unit's subtree, amounts
 * by category, disbursed all at once or not at all. */
#ifndef BANGFU_CAMPAIGNS_H
#define BANGFU_CAMPAIGNS_H

#include "http/route.h"

extern const struct field campaign_body[];
extern const struct field campaign_disburse_body[];

int campaign_create(struct ctx *x, json_t *body, int64_t *id, struct err *e);
int campaign_disburse(struct ctx *x, int64_t id, int64_t account_id, int64_t *count, struct err *e);
json_t *campaign_json(struct ctx *x, int64_t id, struct err *e);

int campaigns_scope(struct req *r);
int campaigns_h_create(struct req *r);
int campaigns_h_list(struct req *r);
int campaigns_h_get(struct req *r);
int campaigns_h_disburse(struct req *r);

#endif
