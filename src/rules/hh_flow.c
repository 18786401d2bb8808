#include "rules/hh_flow.h"

#include <string.h>

#define B HS_BIT

/* RULE archive.flow: API.md households/transitions.  `publish` is allowed
 * to staff, reviewers and admins: the transitions table names staff and
 * reviewer, the roles table staff and admin. */
static const struct hh_step steps[HA__MAX] = {
	[HA_SUBMIT] = {"submit", "提交申请", B(HS_DRAFT) | B(HS_REJECTED), HS_SUBMITTED, P_HH_WRITE, 0},
	[HA_VERIFY] = {"verify", "审核", B(HS_SUBMITTED), HS_VERIFIED, P_HH_VERIFY,
		       HF_VISIT | HF_CATEGORY},
	[HA_REJECT] = {"reject", "退回", B(HS_SUBMITTED) | B(HS_VERIFIED) | B(HS_IN_NOTICE),
		       HS_REJECTED, P_HH_REJECT, HF_COMMENT},
	[HA_PUBLISH] = {"publish", "公示", B(HS_VERIFIED), HS_IN_NOTICE, P_HH_PUBLISH, 0},
	[HA_APPROVE] = {"approve", "审批", B(HS_IN_NOTICE), HS_APPROVED, P_HH_APPROVE,
			HF_NOTICE_OVER | HF_NO_OBJECTION | HF_NOT_SUBMITTER},
	[HA_ENTER] = {"enter", "录入建档", B(HS_APPROVED), HS_ACTIVE, P_HH_WRITE, 0},
	[HA_REVIEW] = {"review", "动态调整", B(HS_ACTIVE), HS_ACTIVE, P_HH_REVIEW, 0},
	[HA_EXIT] = {"exit", "解困退出", B(HS_ACTIVE), HS_EXITED, P_HH_APPROVE, HF_EXIT_REASON},
	[HA_REOPEN] = {"reopen", "重新启用", B(HS_EXITED), HS_DRAFT, P_HH_WRITE, HF_COMMENT},
};
_Static_assert(sizeof steps / sizeof steps[0] == HA__MAX, "one step per action");

static const struct {
	const char *name, *label;
} statuses[HS__MAX] = {
	[HS_DRAFT] = {"draft", "草稿"},           [HS_SUBMITTED] = {"submitted", "待审核"},
	[HS_VERIFIED] = {"verified", "已审核"},   [HS_IN_NOTICE] = {"in_notice", "公示中"},
	[HS_APPROVED] = {"approved", "已审批"},   [HS_ACTIVE] = {"active", "在档"},
	[HS_REJECTED] = {"rejected", "已退回"},   [HS_EXITED] = {"exited", "已退出"},
};
_Static_assert(sizeof statuses / sizeof statuses[0] == HS__MAX, "one name per status");

const struct hh_step *hh_step_find(const char *name, enum hh_action *action)
{
	for (int i = 0; name && i < HA__MAX; i++)
		if (!strcmp(name, steps[i].name)) {
			if (action)
				*action = i;
			return &steps[i];
		}
	return NULL;
}

const struct hh_step *hh_step_get(enum hh_action a)
{
	return (unsigned)a < HA__MAX ? &steps[a] : NULL;
}

int hh_step_allowed(const struct hh_step *s, enum hh_status from)
{
	return s && (unsigned)from < HS__MAX && (s->from & B(from));
}

int hh_status_parse(const char *s)
{
	for (int i = 0; s && i < HS__MAX; i++)
		if (!strcmp(s, statuses[i].name))
			return i;
	return -1;
}

const char *hh_status_name(enum hh_status s) { return (unsigned)s < HS__MAX ? statuses[s].name : "?"; }
const char *hh_status_label(enum hh_status s) { return (unsigned)s < HS__MAX ? statuses[s].label : "?"; }
int hh_status_open(enum hh_status s) { return s != HS_EXITED; }
