/* claim_flow.h — the mutual-aid claim workflow as a table: API.md
 * "Mutual aid", claims/transitions.  submitted → verified → approved →
 * paid, or rejected before approval. */
#ifndef BANGFU_CLAIM_FLOW_H
#define BANGFU_CLAIM_FLOW_H

#include "rules/perm.h"

enum claim_status { CS_SUBMITTED, CS_VERIFIED, CS_APPROVED, CS_PAID, CS_REJECTED, CS__MAX };

enum claim_action { CA_VERIFY, CA_APPROVE, CA_PAY, CA_REJECT, CA__MAX };

enum {
	CF_COMMENT = 1 << 0,       /* `comment` required */
	CF_PAPERS = 1 << 1,        /* the hospital's papers attached */
	CF_NOT_SUBMITTER = 1 << 2, /* separation of duties */
	CF_TIER = 1 << 3,          /* approver's level reaches the amount's tier */
	CF_ACCOUNT = 1 << 4,       /* `account_id`, balance checked */
};

#define CS_BIT(s) (1u << (s))

struct claim_step {
	const char *name, *label;
	unsigned from;
	enum claim_status to;
	enum perm perm;
	unsigned flags;
};

const struct claim_step *claim_step_find(const char *name, enum claim_action *action);
int claim_step_allowed(const struct claim_step *s, enum claim_status from);
int claim_status_parse(const char *s);
const char *claim_status_name(enum claim_status s);
const char *claim_status_label(enum claim_status s);
/* RULE ma.tier: the approval tier of an amount, as the programmes'
 * defaults (DESIGN.md §2.4): up to 1,000 yuan a street, up to 5,000 a
 * district, above that the city.  An enum tier_level (rules/eligibility.h). */
int claim_tier_required(long long amount_fen);
/* 1 while a claim waits on someone (submitted, verified, approved). */
int claim_status_open(enum claim_status s);

#endif
