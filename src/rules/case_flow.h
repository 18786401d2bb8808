/* case_flow.h — reception cases (信访接待、热线、法律援助、欠薪): codes of
 * channels and categories, the default deadline of each category, and the
 * case workflow as a table (state × action → state, permission).
 * docs/api-notes.md "Cases" is the contract these tables implement. */
#ifndef BANGFU_CASE_FLOW_H
#define BANGFU_CASE_FLOW_H

#include "rules/perm.h"

enum case_status { CS_RECEIVED, CS_ASSIGNED, CS_IN_PROGRESS, CS_RESOLVED, CS_CLOSED, CS_REFERRED, CS__MAX };

enum case_action { CA_ASSIGN, CA_START, CA_RESOLVE, CA_CLOSE, CA_REFER, CA__MAX };

enum case_channel { CH_WINDOW, CH_HOTLINE, CH_LETTER, CH_ONLINE, CH__MAX };

enum case_category {
	CC_PETITION, CC_CONSULTATION, CC_LEGAL_AID, CC_WAGE_ARREARS, CC_LABOUR_DISPUTE, CC_OTHER, CC__MAX
};

enum {
	CF_ASSIGNEE = 1 << 0, /* `assigned_to`: a staff user of the case's subtree */
	CF_RESULT = 1 << 1,   /* `result` required; `recovered_fen` allowed (wage arrears) */
	CF_REFERRAL = 1 << 2, /* `referred_to` required */
	CF_FINISH = 1 << 3,   /* the case is finished (办结): sets finished_at */
};

#define CS_BIT(s) (1u << (s))

struct case_step {
	const char *name, *label;
	unsigned from;
	enum case_status to;
	enum perm perm;
	unsigned flags;
};

const struct case_step *case_step_find(const char *name, enum case_action *action);
int case_step_allowed(const struct case_step *s, enum case_status from);
/* RULE cases.open: received, assigned and in_progress cases are open; only
 * open cases can be overdue. */
int case_status_open(enum case_status s);

int case_status_parse(const char *s);   /* -1 when unknown */
const char *case_status_name(enum case_status s);
const char *case_status_label(enum case_status s);
int case_channel_parse(const char *s);
const char *case_channel_name(enum case_channel c);
const char *case_channel_label(enum case_channel c);
int case_category_parse(const char *s);
const char *case_category_name(enum case_category c);
const char *case_category_label(enum case_category c);
/* RULE cases.deadline: working days from intake to the deadline. */
int case_category_workdays(enum case_category c);

#endif
