/* hh_flow.h — the five-step archiving workflow as a table (DESIGN.md §2.2,
 * API.md households/transitions): state × action → next state, who, and
 * the conditions the service must check. */
#ifndef BANGFU_HH_FLOW_H
#define BANGFU_HH_FLOW_H

#include "rules/perm.h"

enum hh_status {
	HS_DRAFT, HS_SUBMITTED, HS_VERIFIED, HS_IN_NOTICE, HS_APPROVED, HS_ACTIVE, HS_REJECTED,
	HS_EXITED, HS__MAX
};

enum hh_action {
	HA_SUBMIT, HA_VERIFY, HA_REJECT, HA_PUBLISH, HA_APPROVE, HA_ENTER, HA_REVIEW, HA_EXIT,
	HA_REOPEN,       /* exited → draft: API.md "Found early" */
	HA__MAX
};

/* Conditions a step carries; the service checks each flag it finds. */
enum {
	HF_COMMENT = 1 << 0,     /* `comment` required */
	HF_VISIT = 1 << 1,       /* a visit of kind verification must exist */
	HF_CATEGORY = 1 << 2,    /* `category` (confirmed) required */
	HF_NOTICE_OVER = 1 << 3, /* today after notice_end (409 notice_period) */
	HF_NO_OBJECTION = 1 << 4,/* no open objection (409 open_objection) */
	HF_NOT_SUBMITTER = 1 << 5,/* separation of duties (403) */
	HF_EXIT_REASON = 1 << 6, /* `exit_reason` required */
};

#define HS_BIT(s) (1u << (s))

struct hh_step {
	const char *name;   /* "submit" */
	const char *label;  /* "提交申请" */
	unsigned from;      /* HS_BIT mask of the states it leaves */
	enum hh_status to;
	enum perm perm;
	unsigned flags;
};

/* The step of an action name, or NULL. */
const struct hh_step *hh_step_find(const char *name, enum hh_action *action);
const struct hh_step *hh_step_get(enum hh_action a);
/* RULE archive.flow: 1 when the step may leave `from`. */
int hh_step_allowed(const struct hh_step *s, enum hh_status from);

int hh_status_parse(const char *s);
const char *hh_status_name(enum hh_status s);
const char *hh_status_label(enum hh_status s);
/* An archive is open in every status but exited (RULE archive.open). */
int hh_status_open(enum hh_status s);

#endif
