/* app_flow.h — the application ("五有") workflow as a table: API.md
 * applications/transitions. */
#ifndef BANGFU_APP_FLOW_H
#define BANGFU_APP_FLOW_H

#include "rules/perm.h"

enum app_status {
	AS_SUBMITTED, AS_VERIFIED, AS_APPROVED, AS_DISBURSED, AS_RECEIPTED, AS_CLOSED, AS_REJECTED,
	AS_WITHDRAWN, AS__MAX
};

enum app_action { AA_VERIFY, AA_APPROVE, AA_REJECT, AA_DISBURSE, AA_RECEIPT, AA_CLOSE, AA_WITHDRAW, AA__MAX };

enum {
	AF_COMMENT = 1 << 0,       /* `comment` required */
	AF_DOCUMENTS = 1 << 1,     /* every required document present (有查验) */
	AF_NOT_SUBMITTER = 1 << 2, /* separation of duties */
	AF_TIER = 1 << 3,          /* approver's level reaches required_level */
	AF_ACCOUNT = 1 << 4,       /* `account_id`, balance checked (有批准 → 发放) */
	AF_SIGNED = 1 << 5,        /* `signed_by`, `signed_on` (有签收) */
	AF_REPORT = 1 << 6,        /* `report` (办结报告) */
};

#define AS_BIT(s) (1u << (s))

struct app_step {
	const char *name, *label;
	unsigned from;
	enum app_status to;
	enum perm perm;
	unsigned flags;
};

const struct app_step *app_step_find(const char *name, enum app_action *action);
int app_step_allowed(const struct app_step *s, enum app_status from);
int app_status_parse(const char *s);
const char *app_status_name(enum app_status s);
const char *app_status_label(enum app_status s);

#endif
