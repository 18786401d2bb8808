/* perm.h — roles and the one permission table (role × action).
 *
 * Routes name a permission; workflow tables name one per transition.
 * Whether the caller may act on a given record (scope) is a separate check
 * made against the org tree; see http/route.h.
 */
#ifndef BANGFU_PERM_H
#define BANGFU_PERM_H

enum role {
	ROLE_ADMIN,
	ROLE_STAFF,
	ROLE_REVIEWER,
	ROLE_APPROVER,
	ROLE_FINANCE,
	ROLE_VIEWER,
	ROLE_INFORMANT,  /* 信息员: files clues, sees only its own (API.md "Found early") */
	ROLE__MAX
};

enum perm {
	P_PUBLIC,        /* no login needed */
	P_READ,          /* any logged-in role, inside its scope */
	P_WORKFLOW,      /* any role here; the workflow table decides per step */
	P_AUDIT_READ,    /* the audit log */
	P_ADMIN,         /* orgs, users, standards, calendar, programmes */
	P_HH_WRITE,      /* households: create, edit, submit, publish, enter; visits; objections; imports */
	P_HH_VERIFY,     /* households: verify, resolve objections */
	P_HH_REJECT,     /* households: reject */
	P_HH_PUBLISH,    /* households: publish */
	P_HH_APPROVE,    /* households: approve, exit */
	P_HH_REVIEW,     /* households: half-yearly review */
	P_APP_WRITE,     /* applications: create, receipt, close, withdraw */
	P_APP_VERIFY,
	P_APP_APPROVE,
	P_APP_REJECT,
	P_FUNDS,         /* fund accounts, deposits, transfers, disburse */
	P_CASE_WRITE,    /* cases: intake, assign, start, resolve, refer */
	P_CASE_CLOSE,    /* cases: close (结案) after checking the result */
	P_JOBS,          /* employment: seekers, employers, vacancies, referrals, trainings, fairs */
	P_CARDS,         /* partners and their cards */
	P_PURCHASE,      /* purchases against a card (the union's share leaves a fund) */
	P_REVEAL,        /* full ID numbers, phones and birth dates, with a reason */
	P_CHECKS,        /* agency checks (家庭经济状况核对) and their results */
	P_SESSION,       /* /me, /logout: every role, the informant too */
	P_CLUE_READ,     /* clues: every role in scope; an informant its own */
	P_CLUE_WRITE,    /* clues: file */
	P_CLUE_RESOLVE,  /* clues: resolve */
	P_OUTREACH,      /* activities, attendance, agency referrals and their outcomes */
	P__MAX
};

/* 1 when `role` may do what `perm` names. */
int perm_allows(enum role role, enum perm perm);

/* "admin" → ROLE_ADMIN; -1 when unknown. */
int role_parse(const char *s);
const char *role_name(enum role r);   /* "admin" */
const char *role_label(enum role r);  /* "管理员" */
const char *perm_name(enum perm p);   /* for the route matrix and logs */

#endif
