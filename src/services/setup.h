/* setup.h — `bangfu init`: schema, the root unit, the first admin, and
 * optionally the demo city. */
#ifndef BANGFU_SETUP_H
#define BANGFU_SETUP_H

#include "core/ctx.h"

struct init_opts {
	const char *org_name;
	const char *region_code;
	const char *admin_user;
	const char *admin_password; /* NULL: generate and print one */
	int demo;
};

/* Refuses a database that already holds data.  Prints the logins. */
/* A generated password: 16 characters without look-alikes, at least one
 * letter and one digit (RULE password.strength). */
void random_password(char out[17]);

int setup_init(struct ctx *x, const struct init_opts *o, struct err *e);

/* The demo city under root_id (services/demo.c). */
int demo_build(struct ctx *x, int64_t root_id, const char *region_code, struct err *e);
/* About 2,000 households in every state (services/demo_households.c). */
int demo_households(struct ctx *x, struct err *e);
/* Accounts, applications in every state, a campaign (services/demo_aid.c). */
int demo_aid(struct ctx *x, struct err *e);
/* About 360 reception cases in every state (services/demo_cases.c). */
int demo_cases(struct ctx *x, struct err *e);
/* Employment services and partner cards (services/demo_services.c). */
int demo_services(struct ctx *x, struct err *e);
/* Scans and agency checks (services/demo_attach.c). */
int demo_attachments(struct ctx *x, struct err *e);
/* One demo PDF attached to an owner (a claim's papers, demo_mutual.c). */
int demo_attach_pdf(struct ctx *x, const char *type, int64_t id, const char *kind, const char *name, struct err *e);
/* Clues, an informant, emergency aid, the watch (services/demo_found.c). */
int demo_found(struct ctx *x, struct err *e);
/* Mutual-aid plans, enrolments, claims; primary aid items (services/demo_mutual.c). */
int demo_mutual(struct ctx *x, struct err *e);
/* Activities, pairings, projects, referrals (services/demo_outreach.c). */
int demo_outreach(struct ctx *x, struct err *e);

#endif
