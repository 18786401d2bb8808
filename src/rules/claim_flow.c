#include "rules/claim_flow.h"

#include <string.h>

#include "rules/eligibility.h"

#define B CS_BIT

/* RULE ma.flow: API.md "Mutual aid", claims/transitions */
static const struct claim_step steps[CA__MAX] = {
	[CA_VERIFY] = {"verify", "审核", B(CS_SUBMITTED), CS_VERIFIED, P_APP_VERIFY, CF_PAPERS},
	[CA_APPROVE] = {"approve", "审批", B(CS_VERIFIED), CS_APPROVED, P_APP_APPROVE,
			CF_NOT_SUBMITTER | CF_TIER},
	[CA_PAY] = {"pay", "支付", B(CS_APPROVED), CS_PAID, P_FUNDS, CF_ACCOUNT},
	[CA_REJECT] = {"reject", "驳回", B(CS_SUBMITTED) | B(CS_VERIFIED), CS_REJECTED, P_APP_REJECT,
		       CF_COMMENT},
};
_Static_assert(sizeof steps / sizeof steps[0] == CA__MAX, "one step per action");

static const struct {
	const char *name, *label;
} statuses[CS__MAX] = {
	[CS_SUBMITTED] = {"submitted", "已申请"}, [CS_VERIFIED] = {"verified", "已审核"},
	[CS_APPROVED] = {"approved", "已审批"},   [CS_PAID] = {"paid", "已支付"},
	[CS_REJECTED] = {"rejected", "已驳回"},
};
_Static_assert(sizeof statuses / sizeof statuses[0] == CS__MAX, "one name per status");

const struct claim_step *claim_step_find(const char *name, enum claim_action *action)
{
	for (int i = 0; name && i < CA__MAX; i++)
		if (!strcmp(name, steps[i].name)) {
			if (action)
				*action = i;
			return &steps[i];
		}
	return NULL;
}

int claim_step_allowed(const struct claim_step *s, enum claim_status from)
{
	return s && (unsigned)from < CS__MAX && (s->from & B(from));
}

int claim_status_parse(const char *s)
{
	for (int i = 0; s && i < CS__MAX; i++)
		if (!strcmp(s, statuses[i].name))
			return i;
	return -1;
}

int claim_status_open(enum claim_status s) { return s == CS_SUBMITTED || s == CS_VERIFIED || s == CS_APPROVED; }
const char *claim_status_name(enum claim_status s) { return (unsigned)s < CS__MAX ? statuses[s].name : "?"; }
const char *claim_status_label(enum claim_status s) { return (unsigned)s < CS__MAX ? statuses[s].label : "?"; }

int claim_tier_required(long long amount_fen)
{
	static const struct tiers t = {3, {TIER_STREET, TIER_DISTRICT, TIER_CITY}, {100000, 500000, -1}};
	return (int)tiers_required(&t, amount_fen);
}
