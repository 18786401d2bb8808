/* employment.h — employment services (职业介绍、技能培训、招聘会):
 * job seekers, employers and vacancies, job fairs (employment.c);
 * referrals with outcomes and trainings with enrolments (referrals.c).
 * Every record carries the org it belongs to; scope as everywhere. */
#ifndef BANGFU_EMPLOYMENT_H
#define BANGFU_EMPLOYMENT_H

#include "http/route.h"

extern const struct field seeker_body[];
extern const struct field seeker_patch[];
extern const struct field employer_body[];
extern const struct field vacancy_body[];
extern const struct field vacancy_patch[];
extern const struct field fair_body[];
extern const struct field fair_patch[];
extern const struct field referral_body[];
extern const struct field outcome_body[];
extern const struct field training_body[];
extern const struct field enrolment_body[];
extern const struct field result_body[];

/* A list query under construction: `from` (arena) and its arguments.
 * svc_q_init starts from `from_where` (ending in "WHERE o.path LIKE ?",
 * bound to the actor's scope); svc_q_str / svc_q_id add "AND col = ?" when
 * the query parameter is given (svc_q_id: a positive integer, else 422). */
struct svc_q {
	char *from;
	struct db_args a;
};
void svc_q_init(struct req *r, struct svc_q *q, const char *from_where);
void svc_q_str(struct req *r, struct svc_q *q, const char *param, const char *col);
int svc_q_id(struct req *r, struct svc_q *q, const char *param, const char *col);

/* A page of `SELECT cols from ORDER BY order` (paging from the query) as
 * the list answer.  `a` holds the arguments of `from`. */
int svc_list(struct req *r, const char *cols, const char *from, const char *order, struct db_args *a);
/* Sets o[key] to the rows of s (finalized here); 0 or <0. */
int svc_attach(json_t *o, const char *key, struct db_stmt *s, struct err *e);
/* A record of `table` whose id is in body field `field` and that lies in
 * the actor's scope; its org in *org.  404 otherwise. */
int svc_ref_in_scope(struct req *r, const char *table, const char *field, const char *missing,
		     int64_t *id, int64_t *org);
/* Body strings array of at most 20 non-blank names → JSON text (arena). */
int svc_names(struct req *r, const char *field, const char **out);

/* Records the outcome of a pending referral (409 invalid_transition once
 * recorded); hired: the seeker is employed and RULE jobs.reemployed.
 * Writes the audit entry; the caller owns the transaction. */
int referral_outcome(struct ctx *x, int64_t id, const char *outcome, const char *date, const char *note,
		     struct err *e);

/* The seeker's record (masked ID number, 4050 flag, household link). */
json_t *seeker_json(struct ctx *x, int64_t id, struct err *e);

int seekers_scope(struct req *r);
int seekers_h_create(struct req *r);
int seekers_h_list(struct req *r);
int seekers_h_get(struct req *r);
int seekers_h_update(struct req *r);
int employers_scope(struct req *r);
int employers_h_create(struct req *r);
int employers_h_list(struct req *r);
int employers_h_get(struct req *r);
int vacancies_scope(struct req *r);
int vacancies_h_create(struct req *r);
int vacancies_h_list(struct req *r);
int vacancies_h_get(struct req *r);
int vacancies_h_update(struct req *r);
int fairs_scope(struct req *r);
int fairs_h_create(struct req *r);
int fairs_h_list(struct req *r);
int fairs_h_get(struct req *r);
int fairs_h_update(struct req *r);

int referrals_scope(struct req *r);
int referrals_h_create(struct req *r);
int referrals_h_list(struct req *r);
int referrals_h_get(struct req *r);
int referrals_h_outcome(struct req *r);
int trainings_scope(struct req *r);
int trainings_h_create(struct req *r);
int trainings_h_list(struct req *r);
int trainings_h_get(struct req *r);
int trainings_h_enrol(struct req *r);
int trainings_h_result(struct req *r);

#endif
