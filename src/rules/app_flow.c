#include "rules/app_flow.h"

#include <string.h>

#define B AS_BIT

/* RULE aid.flow: API.md applications/transitions */
static const struct app_step steps[AA__MAX] = {
	[AA_VERIFY] = {"verify", "查验", B(AS_SUBMITTED), AS_VERIFIED, P_APP_VERIFY, AF_DOCUMENTS},
	[AA_APPROVE] = {"approve", "批准", B(AS_VERIFIED), AS_APPROVED, P_APP_APPROVE,
			AF_NOT_SUBMITTER | AF_TIER},
	[AA_REJECT] = {"reject", "驳回", B(AS_SUBMITTED) | B(AS_VERIFIED), AS_REJECTED, P_APP_REJECT,
		       AF_COMMENT},
	[AA_DISBURSE] = {"disburse", "发放", B(AS_APPROVED), AS_DISBURSED, P_FUNDS, AF_ACCOUNT},
	[AA_RECEIPT] = {"receipt", "签收", B(AS_DISBURSED), AS_RECEIPTED, P_APP_WRITE, AF_SIGNED},
	[AA_CLOSE] = {"close", "办结", B(AS_RECEIPTED), AS_CLOSED, P_APP_WRITE, AF_REPORT},
	[AA_WITHDRAW] = {"withdraw", "撤回", B(AS_SUBMITTED) | B(AS_VERIFIED), AS_WITHDRAWN,
			 P_APP_WRITE, 0},
};
_Static_assert(sizeof steps / sizeof steps[0] == AA__MAX, "one step per action");

static const struct {
	const char *name, *label;
} statuses[AS__MAX] = {
	[AS_SUBMITTED] = {"submitted", "已申请"}, [AS_VERIFIED] = {"verified", "已查验"},
	[AS_APPROVED] = {"approved", "已批准"},   [AS_DISBURSED] = {"disbursed", "已发放"},
	[AS_RECEIPTED] = {"receipted", "已签收"}, [AS_CLOSED] = {"closed", "已办结"},
	[AS_REJECTED] = {"rejected", "已驳回"},   [AS_WITHDRAWN] = {"withdrawn", "已撤回"},
};
_Static_assert(sizeof statuses / sizeof statuses[0] == AS__MAX, "one name per status");

const struct app_step *app_step_find(const char *name, enum app_action *action)
{
	for (int i = 0; name && i < AA__MAX; i++)
		if (!strcmp(name, steps[i].name)) {
			if (action)
				*action = i;
			return &steps[i];
		}
	return NULL;
}

int app_step_allowed(const struct app_step *s, enum app_status from)
{
	return s && (unsigned)from < AS__MAX && (s->from & B(from));
}

int app_status_parse(const char *s)
{
	for (int i = 0; s && i < AS__MAX; i++)
		if (!strcmp(s, statuses[i].name))
			return i;
	return -1;
}

const char *app_status_name(enum app_status s) { return (unsigned)s < AS__MAX ? statuses[s].name : "?"; }
const char *app_status_label(enum app_status s) { return (unsigned)s < AS__MAX ? statuses[s].label : "?"; }
