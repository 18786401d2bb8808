/* mutual_aid.h — mutual-aid plans (职工医疗互助, 女职工"四病"/防癌保障),
 * enrolments (one by one and by roster file), claims and their workflow.
 * API.md "Mutual aid", DESIGN.md §2.9.
 *
 * Scope: a plan is seen and used by its unit and every unit below it (and
 * seen by the units above); an enrolment belongs to its org_id, a claim to
 * its enrolment's unit, both scoped as households are. */
#ifndef BANGFU_MUTUAL_AID_H
#define BANGFU_MUTUAL_AID_H

#include "http/route.h"
#include "rules/sheet.h"
#include "services/orgs.h"

extern const struct field ma_plan_body[];
extern const struct field ma_enrol_body[];
extern const struct field ma_claim_body[];
extern const struct field ma_claim_transition_body[];

/* The plan if the actor may see it (its unit is in the actor's subtree or
 * above the actor's unit); NULL with E_NOT_FOUND otherwise. */
json_t *ma_plan_json(struct ctx *x, int64_t id, struct err *e);

/* One person to enrol: as sent (JSON) or read from a roster row. */
struct ma_person {
	const char *name, *id_number, *phone;
	int row;           /* roster row, 0 for the JSON list */
};
struct ma_enrol_opts {
	int64_t plan_id, org_id, account_id;
	const char *paid_by;
	int dry_run;
	int rows;          /* people come with their roster row (errors name it) */
};
/* RULE ma.enrol: checks every person (ID number, women-only, age on
 * cover_from, the window, not twice), then enrols all or none; paid_by
 * union debits premium × N from account_id in one ledger row.  Errors by
 * person: report(arg, i, field, code, message) for each, and then the
 * answer is -E_VALIDATION_FAILED (or the stronger code of the first).
 * *enrolled gets N. */
typedef void (*ma_report_fn)(void *arg, const struct ma_person *p, int i, const char *field,
			     enum err_code code, const char *msg);
int ma_enrol(struct ctx *x, const struct ma_enrol_opts *o, const struct ma_person *people, int n,
	     ma_report_fn report, void *arg, int64_t *enrolled, struct err *e);

/* The same in steps, for a list too long to hold (a roster file read
 * twice): ma_run_start() checks the plan, unit, payer and window;
 * ma_run_check() each person in order (errors reported at once); then
 * ma_run_verify() the list as a whole (not twice, not already in the plan)
 * and answers as ma_enrol() does; then, unless a dry run, ma_run_write()
 * the same people in the same order and ma_run_finish().  What is kept
 * per person is a 16-byte key (the ID number as a number and its row),
 * never the person; writes go CHUNK rows a statement.  ma_run_free()
 * always. */
struct ma_key;
struct ma_run {
	struct ctx *x;
	const struct ma_enrol_opts *o;
	ma_report_fn report;
	void *arg;
	json_t *plan;
	struct org org;
	day_t cover;
	int women, by_union, n, nbad, cap, nbuf, written;
	int64_t age_max, premium, ledger;
	enum err_code first;
	struct ma_key *keys;
	struct ma_person *buf; /* the chunk being written, strings malloc'd */
};
int ma_run_start(struct ma_run *run, struct ctx *x, const struct ma_enrol_opts *o, ma_report_fn report, void *arg,
		 struct err *e);
int ma_run_check(struct ma_run *run, const struct ma_person *p);
int ma_run_verify(struct ma_run *run, struct err *e);
int ma_run_write(struct ma_run *run, const struct ma_person *p, struct err *e);
int ma_run_finish(struct ma_run *run, struct err *e);
void ma_run_free(struct ma_run *run);

/* The plans of the household's people (their enrolments in scope), for
 * the archive detail: the statement, bound and not stepped (sent with the
 * archive's own, db_run_ahead); NULL on error. */
struct db_stmt *ma_household_plans_q(struct ctx *x, int64_t household_id, struct err *e);

/* RULE ma.papers: the hospital's papers a claim still lacks (names), as a
 * new array; empty when complete.  See mutual_claims.c. */
json_t *ma_claim_missing_papers(struct ctx *x, int64_t claim_id, struct err *e);

/* Files a claim from a checked body (ma_claim_body); *id gets it. */
int ma_claim_create(struct ctx *x, json_t *body, int64_t *id, struct err *e);
/* One step of the claim workflow; *denied set for a 403 to audit. */
int ma_claim_transition(struct ctx *x, int64_t id, json_t *body, int *denied, struct err *e);
/* One step of a claim's trail (保留痕迹). */
int ma_claim_event(struct ctx *x, int64_t id, const char *action, const char *from, const char *to,
		   const char *comment, struct err *e);
json_t *ma_claim_json(struct ctx *x, int64_t id, struct err *e);

/* The dashboard's mutual_aid_claims_open and mutual_aid_claims_overdue
 * (claims submitted, verified or approved now; of those, past due) for
 * the subtree `like`, set on out. */
int ma_dashboard(struct ctx *x, const char *like, json_t *out, struct err *e);

int ma_plans_scope(struct req *r);
int ma_claims_scope(struct req *r);
int ma_h_plan_create(struct req *r);
int ma_h_plan_list(struct req *r);
int ma_h_plan_get(struct req *r);
int ma_h_enrol(struct req *r);
int ma_h_enrol_import(struct req *r);
int ma_h_enrolments(struct req *r);
int ma_h_claim_create(struct req *r);
int ma_h_claim_list(struct req *r);
int ma_h_claim_get(struct req *r);
int ma_h_claim_events(struct req *r);
int ma_h_claim_transition(struct req *r);

#endif
