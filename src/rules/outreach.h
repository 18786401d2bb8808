/* outreach.h — the codes of outreach (API.md "Outreach"): activity kinds,
 * agencies, services, and the project workflow as a table. */
#ifndef BANGFU_OUTREACH_RULES_H
#define BANGFU_OUTREACH_RULES_H

struct code_label {
	const char *name, *label;
};

extern const struct code_label activity_kinds[];  /* NULL-terminated */
extern const struct code_label agencies[];
extern const struct code_label agency_services[];

/* The index of `s` in a NULL-terminated table, or -1. */
int code_find(const struct code_label *t, const char *s);

/* RULE project.flow: planned → running → done, and planned → done for a
 * project finished at once.  1 when from → to is a step of the table. */
int project_step_allowed(const char *from, const char *to);

/* RULE referral.overdue: a referral pending more than this many days. */
#define REFERRAL_OVERDUE_DAYS 30

#endif
