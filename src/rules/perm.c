#include "perm.h"

#include <assert.h>
#include <string.h>

#define R(x) (1u << ROLE_##x)
#define ALL (R(ADMIN) | R(STAFF) | R(REVIEWER) | R(APPROVER) | R(FINANCE) | R(VIEWER))

/* RULE perm.table: API.md "Who may do what". */
static const struct {
	const char *name;
	unsigned roles;
} perms[P__MAX] = {
	[P_PUBLIC] = {"public", ALL},
	[P_READ] = {"read", ALL},
	[P_WORKFLOW] = {"workflow", ALL},
	[P_AUDIT_READ] = {"audit_read", R(ADMIN) | R(VIEWER)},
	[P_ADMIN] = {"admin", R(ADMIN)},
	[P_HH_WRITE] = {"household_write", R(STAFF) | R(ADMIN)},
	[P_HH_VERIFY] = {"household_verify", R(REVIEWER)},
	[P_HH_REJECT] = {"household_reject", R(REVIEWER) | R(APPROVER)},
	[P_HH_PUBLISH] = {"household_publish", R(STAFF) | R(REVIEWER) | R(ADMIN)},
	[P_HH_APPROVE] = {"household_approve", R(APPROVER)},
	[P_HH_REVIEW] = {"household_review", R(STAFF) | R(REVIEWER)},
	[P_APP_WRITE] = {"application_write", R(STAFF) | R(ADMIN)},
	[P_APP_VERIFY] = {"application_verify", R(REVIEWER)},
	[P_APP_APPROVE] = {"application_approve", R(APPROVER)},
	[P_APP_REJECT] = {"application_reject", R(REVIEWER) | R(APPROVER)},
	[P_FUNDS] = {"funds", R(FINANCE)},
	[P_CASE_WRITE] = {"case_write", R(STAFF) | R(ADMIN)},
	[P_CASE_CLOSE] = {"case_close", R(STAFF) | R(REVIEWER) | R(APPROVER) | R(ADMIN)},
	[P_JOBS] = {"jobs_write", R(STAFF) | R(ADMIN)},
	[P_CARDS] = {"cards_write", R(STAFF) | R(ADMIN)},
	[P_PURCHASE] = {"card_purchase", R(STAFF) | R(FINANCE)},
	[P_REVEAL] = {"reveal", R(STAFF) | R(REVIEWER) | R(APPROVER) | R(ADMIN)},
	[P_CHECKS] = {"agency_checks", R(STAFF) | R(REVIEWER) | R(ADMIN)},
	/* RULE clue.informant: outside these an informant is refused everywhere */
	[P_SESSION] = {"session", ALL | R(INFORMANT)},
	[P_CLUE_READ] = {"clue_read", ALL | R(INFORMANT)},
	[P_CLUE_WRITE] = {"clue_write", R(INFORMANT) | R(STAFF) | R(ADMIN)},
	[P_CLUE_RESOLVE] = {"clue_resolve", R(STAFF) | R(REVIEWER) | R(ADMIN)},
	[P_OUTREACH] = {"outreach_write", R(STAFF) | R(ADMIN)},
};
_Static_assert(sizeof perms / sizeof perms[0] == P__MAX, "one entry per permission");

static const struct {
	const char *name, *label;
} roles[ROLE__MAX] = {
	[ROLE_ADMIN] = {"admin", "管理员"},
	[ROLE_STAFF] = {"staff", "经办人"},
	[ROLE_REVIEWER] = {"reviewer", "审核人"},
	[ROLE_APPROVER] = {"approver", "审批人"},
	[ROLE_FINANCE] = {"finance", "财务"},
	[ROLE_VIEWER] = {"viewer", "查看"},
	[ROLE_INFORMANT] = {"informant", "信息员"},
};
_Static_assert(sizeof roles / sizeof roles[0] == ROLE__MAX, "one entry per role");

int perm_allows(enum role role, enum perm perm)
{
	if ((unsigned)role >= ROLE__MAX || (unsigned)perm >= P__MAX)
		return 0;
	return (perms[perm].roles >> role) & 1u;
}

int role_parse(const char *s)
{
	for (int i = 0; s && i < ROLE__MAX; i++)
		if (!strcmp(s, roles[i].name))
			return i;
	return -1;
}

const char *role_name(enum role r) { return (unsigned)r < ROLE__MAX ? roles[r].name : "?"; }
const char *role_label(enum role r) { return (unsigned)r < ROLE__MAX ? roles[r].label : "?"; }
const char *perm_name(enum perm p) { return (unsigned)p < P__MAX ? perms[p].name : "?"; }
