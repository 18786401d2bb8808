/* routes.c — the one route table.  Every endpoint of the API is a row:
 * method, path, handler, permission, audit entity, scope check, body spec.
 * route_test (tests/unit) walks this table: a route without a permission
 * or entity fails the build's tests. */
#include <stdlib.h>
#include <string.h>

#include "http/route.h"
#include "http/server.h"
#include "services/audit.h"
#include "services/auth.h"
#include "services/applications.h"
#include "services/attachments.h"
#include "services/calendar.h"
#include "services/campaigns.h"
#include "services/documents.h"
#include "services/emergency.h"
#include "services/cases.h"
#include "services/checks.h"
#include "services/clues.h"
#include "services/cards.h"
#include "services/employment.h"
#include "services/goods.h"
#include "services/loans.h"
#include "services/mutual_aid.h"
#include "services/funds.h"
#include "services/programs.h"
#include "services/reports.h"
#include "services/hh_workflow.h"
#include "services/import.h"
#include "services/households.h"
#include "services/exports.h"
#include "services/orgs.h"
#include "services/outreach.h"
#include "services/standards.h"
#include "services/users.h"

#define YEAR_MAX 2100
#define FEN_MAX 100000000000LL /* 10^9 yuan: no single figure is larger */

static const struct field login_body[] = {
	{"username", F_STR, F_REQ, 1, 64, "用户名"},
	{"password", F_STR, F_REQ, 1, 128, "密码"},
	FIELDS_END,
};
static const struct field org_body[] = {
	{"parent_id", F_INT, F_NULL, 1, 0, "上级单位"},
	{"name", F_STR, F_REQ, 1, 100, "单位名称"},
	{"level", F_STR, F_REQ, 1, 20, "层级"},
	{"region_code", F_STR, F_REQ, 6, 6, "行政区划代码"},
	FIELDS_END,
};
static const struct field org_patch[] = {
	{"name", F_STR, 0, 1, 100, "单位名称"},
	{"region_code", F_STR, 0, 6, 6, "行政区划代码"},
	FIELDS_END,
};
static const struct field user_body[] = {
	{"username", F_STR, F_REQ, 2, 32, "用户名"},
	{"name", F_STR, F_REQ, 1, 50, "姓名"},
	{"password", F_STR, F_REQ, 1, 128, "密码"},
	{"org_id", F_INT, F_REQ, 1, 0, "所属单位"},
	{"role", F_STR, F_REQ, 1, 20, "角色"},
	FIELDS_END,
};
static const struct field user_patch[] = {
	{"name", F_STR, 0, 1, 50, "姓名"},
	{"role", F_STR, 0, 1, 20, "角色"},
	{"locked", F_BOOL, 0, 0, 0, "停用"},
	{"password", F_STR, 0, 1, 128, "密码"},
	FIELDS_END,
};
static const struct field standard_body[] = {
	{"org_id", F_INT, F_REQ, 1, 0, "单位"},
	{"year", F_INT, F_REQ, 2000, YEAR_MAX, "年度"},
	{"monthly_fen", F_INT, F_REQ, 1, FEN_MAX, "每月标准（分）"},
	FIELDS_END,
};
static const struct field calendar_body[] = {
	{"workday", F_BOOL, F_REQ, 0, 0, "是否工作日"},
	{"note", F_STR, 0, 0, 100, "说明"},
	FIELDS_END,
};
static const struct field empty_body[] = {FIELDS_END};

#define API "/api/v1"

const struct route routes[] = {
	{"GET", "/healthz", auth_h_healthz, P_PUBLIC, "system", NULL, NULL, 0},
	{"GET", "/readyz", auth_h_readyz, P_PUBLIC, "system", NULL, NULL, 0},
	{"GET", "/metrics", server_metrics, P_PUBLIC, "system", NULL, NULL, 0},
	{"POST", API "/login", auth_h_login, P_PUBLIC, "session", NULL, login_body, R_OWN_TX},
	{"POST", API "/logout", auth_h_logout, P_SESSION, "session", NULL, NULL, 0},
	{"GET", API "/me", auth_h_me, P_SESSION, "user", NULL, NULL, 0},
	{"POST", API "/me/password", auth_h_password, P_READ, "user", NULL, password_body, 0},

	{"GET", API "/orgs", orgs_h_list, P_READ, "org", NULL, NULL, 0},
	{"POST", API "/orgs", orgs_h_create, P_ADMIN, "org", NULL, org_body, 0},
	{"GET", API "/orgs/:id", orgs_h_get, P_READ, "org", orgs_scope, NULL, 0},
	{"PATCH", API "/orgs/:id", orgs_h_update, P_ADMIN, "org", orgs_scope, org_patch, 0},

	{"GET", API "/users", users_h_list, P_READ, "user", NULL, NULL, 0},
	{"POST", API "/users", users_h_create, P_ADMIN, "user", NULL, user_body, 0},
	{"GET", API "/users/:id", users_h_get, P_READ, "user", users_scope, NULL, 0},
	{"PATCH", API "/users/:id", users_h_update, P_ADMIN, "user", users_scope, user_patch, 0},

	{"GET", API "/standards", standards_h_get, P_READ, "standard", NULL, NULL, 0},
	{"POST", API "/standards", standards_h_set, P_ADMIN, "standard", NULL, standard_body, 0},

	{"GET", API "/calendar", calendar_h_list, P_READ, "calendar", NULL, NULL, 0},
	{"GET", API "/calendar/workdays", calendar_h_workdays, P_READ, "calendar", NULL, NULL, 0},
	{"PUT", API "/calendar/:date", calendar_h_put, P_ADMIN, "calendar", NULL, calendar_body, 0},
	{"DELETE", API "/calendar/:date", calendar_h_delete, P_ADMIN, "calendar", NULL, empty_body, 0},

	{"POST", API "/imports/calendar", calendar_h_import, P_ADMIN, "calendar", NULL, NULL, R_RAW_BODY},
	{"POST", API "/imports/households", imports_h_households, P_HH_WRITE, "household", NULL, NULL, R_RAW_BODY | R_BIG_BODY | R_OWN_TX},
	{"GET", API "/imports/households/template.csv", imports_h_template, P_READ, "household", NULL, NULL, 0},
	{"GET", API "/imports/households/template.xlsx", exports_h_template_xlsx, P_READ, "household", NULL, NULL, 0},
	{"GET", API "/households.xlsx", exports_h_households_xlsx, P_READ, "household", NULL, NULL, 0},
	{"GET", API "/households/notice.pdf", documents_h_notice, P_HH_PUBLISH, "household", NULL, NULL, 0},
	{"GET", API "/households", households_h_list, P_READ, "household", NULL, NULL, 0},
	{"POST", API "/households", households_h_create, P_HH_WRITE, "household", NULL, household_body, 0},
	{"POST", API "/households/search", households_h_search, P_READ, "household", NULL, household_search_body, R_QUERY},
	{"GET", API "/households/:id", households_h_get, P_READ, "household", households_scope_read, NULL, 0},
	{"POST", API "/households/:id/reveal", households_h_reveal, P_REVEAL, "household", households_scope, reveal_body, 0},
	{"PATCH", API "/households/:id", households_h_update, P_HH_WRITE, "household", households_scope, household_patch, 0},
	{"POST", API "/households/:id/transitions", hh_h_transition, P_WORKFLOW, "household", households_scope, hh_transition_body, 0},
	{"GET", API "/households/:id/card.pdf", documents_h_card, P_READ, "household", households_scope, NULL, R_WRITE_TX},
	{"GET", API "/households/:id/events", hh_h_events, P_READ, "household", households_scope, NULL, 0},
	{"GET", API "/households/:id/visits", hh_h_visits, P_READ, "visit", households_scope, NULL, 0},
	{"POST", API "/households/:id/visits", hh_h_visit_add, P_HH_WRITE, "visit", households_scope, visit_body, 0},
	{"GET", API "/households/:id/objections", hh_h_objections, P_READ, "objection", households_scope, NULL, 0},
	{"POST", API "/households/:id/objections", hh_h_objection_add, P_HH_WRITE, "objection", households_scope, objection_body, 0},
	{"POST", API "/households/:id/objections/:oid/resolve", hh_h_objection_resolve, P_HH_REJECT, "objection", households_scope, resolve_body, 0},
	{"GET", API "/households/:id/checks", checks_h_list, P_READ, "household_check", households_scope, NULL, 0},
	{"POST", API "/households/:id/checks", checks_h_create, P_CHECKS, "household_check", households_scope, check_body, 0},
	{"POST", API "/households/:id/checks/:cid/result", checks_h_result, P_CHECKS, "household_check", households_scope, check_result_body, 0},
	{"GET", API "/households/:id/pairings", hh_h_pairings, P_READ, "pairing", households_scope, NULL, 0},
	{"POST", API "/households/:id/pairings", hh_h_pairing_add, P_HH_WRITE, "pairing", households_scope, pairing_body, 0},

	{"GET", API "/programs", programs_h_list, P_READ, "program", NULL, NULL, 0},
	{"POST", API "/programs", programs_h_create, P_ADMIN, "program", NULL, program_body, 0},
	{"GET", API "/programs/:code", programs_h_get, P_READ, "program", NULL, NULL, 0},
	{"PATCH", API "/programs/:code", programs_h_update, P_ADMIN, "program", NULL, program_patch, 0},

	{"GET", API "/applications.xlsx", exports_h_applications_xlsx, P_READ, "application", NULL, NULL, 0},
	{"GET", API "/applications", applications_h_list, P_READ, "application", NULL, NULL, 0},
	{"POST", API "/applications", applications_h_create, P_APP_WRITE, "application", NULL, application_body, 0},
	{"GET", API "/applications/:id", applications_h_get, P_READ, "application", applications_scope, NULL, 0},
	{"GET", API "/applications/:id/form.pdf", documents_h_form, P_READ, "application", applications_scope, NULL, 0},
	{"GET", API "/applications/:id/events", applications_h_events, P_READ, "application", applications_scope, NULL, 0},
	{"POST", API "/applications/:id/transitions", applications_h_transition, P_WORKFLOW, "application", applications_scope, app_transition_body, 0},
	{"POST", API "/applications/:id/follow-up", applications_h_follow_up, P_APP_WRITE, "application", applications_scope, follow_up_body, 0},

	{"GET", API "/fund-accounts", funds_h_list, P_READ, "fund_account", NULL, NULL, 0},
	{"POST", API "/fund-accounts", funds_h_create, P_FUNDS, "fund_account", NULL, account_body, 0},
	{"GET", API "/fund-accounts/:id", funds_h_get, P_READ, "fund_account", funds_scope, NULL, 0},
	{"GET", API "/fund-accounts/:id/ledger", funds_h_ledger, P_READ, "fund_account", funds_scope, NULL, 0},
	{"POST", API "/fund-accounts/:id/deposits", funds_h_deposit, P_FUNDS, "fund_account", funds_scope, deposit_body, 0},
	{"POST", API "/fund-accounts/:id/refunds", funds_h_refund, P_FUNDS, "fund_account", funds_scope, refund_body, 0},
	{"POST", API "/fund-transfers", funds_h_transfer, P_FUNDS, "fund_account", NULL, transfer_body, 0},

	{"GET", API "/campaigns", campaigns_h_list, P_READ, "campaign", NULL, NULL, 0},
	{"POST", API "/campaigns", campaigns_h_create, P_APP_APPROVE, "campaign", NULL, campaign_body, 0},
	{"GET", API "/campaigns/:id", campaigns_h_get, P_READ, "campaign", campaigns_scope, NULL, 0},
	{"POST", API "/campaigns/:id/disburse", campaigns_h_disburse, P_FUNDS, "campaign", campaigns_scope, campaign_disburse_body, 0},

	{"GET", API "/goods", goods_h_list, P_READ, "goods", NULL, NULL, 0},
	{"POST", API "/goods", goods_h_create, P_HH_WRITE, "goods", NULL, goods_body, 0},
	{"GET", API "/goods/:id", goods_h_get, P_READ, "goods", goods_scope, NULL, 0},
	{"POST", API "/goods/:id/receipts", goods_h_receipt, P_HH_WRITE, "goods", goods_scope, goods_receipt_body, 0},
	{"POST", API "/goods/:id/handouts", goods_h_handout, P_HH_WRITE, "goods", goods_scope, goods_handout_body, 0},

	{"GET", API "/loans", loans_h_list, P_READ, "loan", NULL, NULL, 0},
	{"POST", API "/loans", loans_h_create, P_FUNDS, "loan", NULL, loan_body, 0},
	{"GET", API "/loans/overdue", loans_h_overdue, P_READ, "loan", NULL, NULL, 0},
	{"GET", API "/loans/:id", loans_h_get, P_READ, "loan", loans_scope, NULL, 0},
	{"POST", API "/loans/:id/repayments", loans_h_repay, P_FUNDS, "loan", loans_scope, repayment_body, 0},

	{"GET", API "/cases", cases_h_list, P_READ, "case", NULL, NULL, 0},
	{"POST", API "/cases", cases_h_create, P_CASE_WRITE, "case", NULL, case_body, 0},
	{"GET", API "/cases/:id", cases_h_get, P_READ, "case", cases_scope, NULL, 0},
	{"GET", API "/cases/:id/events", cases_h_events, P_READ, "case", cases_scope, NULL, 0},
	{"POST", API "/cases/:id/actions", cases_h_action, P_WORKFLOW, "case", cases_scope, case_action_body, 0},
	{"GET", API "/job-seekers", seekers_h_list, P_READ, "job_seeker", NULL, NULL, 0},
	{"POST", API "/job-seekers", seekers_h_create, P_JOBS, "job_seeker", NULL, seeker_body, 0},
	{"GET", API "/job-seekers/:id", seekers_h_get, P_READ, "job_seeker", seekers_scope, NULL, 0},
	{"PATCH", API "/job-seekers/:id", seekers_h_update, P_JOBS, "job_seeker", seekers_scope, seeker_patch, 0},
	{"GET", API "/employers", employers_h_list, P_READ, "employer", NULL, NULL, 0},
	{"POST", API "/employers", employers_h_create, P_JOBS, "employer", NULL, employer_body, 0},
	{"GET", API "/employers/:id", employers_h_get, P_READ, "employer", employers_scope, NULL, 0},
	{"GET", API "/vacancies", vacancies_h_list, P_READ, "vacancy", NULL, NULL, 0},
	{"POST", API "/vacancies", vacancies_h_create, P_JOBS, "vacancy", NULL, vacancy_body, 0},
	{"GET", API "/vacancies/:id", vacancies_h_get, P_READ, "vacancy", vacancies_scope, NULL, 0},
	{"PATCH", API "/vacancies/:id", vacancies_h_update, P_JOBS, "vacancy", vacancies_scope, vacancy_patch, 0},
	{"GET", API "/referrals", referrals_h_list, P_READ, "referral", NULL, NULL, 0},
	{"POST", API "/referrals", referrals_h_create, P_JOBS, "referral", NULL, referral_body, 0},
	{"GET", API "/referrals/:id", referrals_h_get, P_READ, "referral", referrals_scope, NULL, 0},
	{"POST", API "/referrals/:id/outcome", referrals_h_outcome, P_JOBS, "referral", referrals_scope, outcome_body, 0},
	{"GET", API "/trainings", trainings_h_list, P_READ, "training", NULL, NULL, 0},
	{"POST", API "/trainings", trainings_h_create, P_JOBS, "training", NULL, training_body, 0},
	{"GET", API "/trainings/:id", trainings_h_get, P_READ, "training", trainings_scope, NULL, 0},
	{"POST", API "/trainings/:id/enrolments", trainings_h_enrol, P_JOBS, "training", trainings_scope, enrolment_body, 0},
	{"POST", API "/trainings/:id/enrolments/:eid/result", trainings_h_result, P_JOBS, "training", trainings_scope, result_body, 0},
	{"GET", API "/job-fairs", fairs_h_list, P_READ, "job_fair", NULL, NULL, 0},
	{"POST", API "/job-fairs", fairs_h_create, P_JOBS, "job_fair", NULL, fair_body, 0},
	{"GET", API "/job-fairs/:id", fairs_h_get, P_READ, "job_fair", fairs_scope, NULL, 0},
	{"PATCH", API "/job-fairs/:id", fairs_h_update, P_JOBS, "job_fair", fairs_scope, fair_patch, 0},

	{"GET", API "/partners", partners_h_list, P_READ, "partner", NULL, NULL, 0},
	{"POST", API "/partners", partners_h_create, P_CARDS, "partner", NULL, partner_body, 0},
	{"GET", API "/partners/:id", partners_h_get, P_READ, "partner", partners_scope, NULL, 0},
	{"PATCH", API "/partners/:id", partners_h_update, P_CARDS, "partner", partners_scope, partner_patch, 0},
	{"GET", API "/partners/:id/statements", partners_h_statement, P_READ, "partner", partners_scope, NULL, 0},
	{"GET", API "/cards", cards_h_list, P_READ, "card", NULL, NULL, 0},
	{"POST", API "/cards", cards_h_create, P_CARDS, "card", NULL, card_body, 0},
	{"GET", API "/cards/:id", cards_h_get, P_READ, "card", cards_scope, NULL, 0},
	{"POST", API "/cards/:id/purchases", cards_h_purchase, P_PURCHASE, "card", cards_scope, purchase_body, 0},

	{"GET", API "/clues", clues_h_list, P_CLUE_READ, "clue", NULL, NULL, 0},
	{"POST", API "/clues", clues_h_create, P_CLUE_WRITE, "clue", NULL, clue_body, 0},
	{"GET", API "/clues/:id", clues_h_get, P_READ, "clue", clues_scope, NULL, 0},
	{"POST", API "/clues/:id/resolve", clues_h_resolve, P_CLUE_RESOLVE, "clue", clues_scope, clue_resolve_body, 0},

	{"GET", API "/reports/quarterly", reports_h_quarterly, P_READ, "report", NULL, NULL, R_OWN_TX | R_REPORT},
	{"GET", API "/reports/quarterly.xlsx", exports_h_quarterly_xlsx, P_READ, "report", NULL, NULL, R_OWN_TX | R_REPORT},
	{"GET", API "/reports/quarterly.pdf", documents_h_quarterly, P_READ, "report", NULL, NULL, R_OWN_TX | R_REPORT},
	{"GET", API "/reports/dashboard", reports_h_dashboard, P_READ, "report", NULL, NULL, R_OWN_TX | R_REPORT},

	{"POST", API "/attachments", attachments_h_upload, P_WORKFLOW, "attachment", NULL, NULL, R_RAW_BODY | R_FILE_BODY},
	{"GET", API "/attachments", attachments_h_list, P_READ, "attachment", attachments_owner_scope, NULL, 0},
	{"GET", API "/attachments/:id", attachments_h_get, P_READ, "attachment", attachments_scope, NULL, 0},
	{"GET", API "/attachments/:id/content", attachments_h_content, P_READ, "attachment", attachments_scope, NULL, R_OWN_TX | R_TURN},
	{"DELETE", API "/attachments/:id", attachments_h_delete, P_HH_WRITE, "attachment", attachments_scope, NULL, 0},

	{"GET", API "/mutual-aid/plans", ma_h_plan_list, P_READ, "mutual_aid_plan", NULL, NULL, 0},
	{"POST", API "/mutual-aid/plans", ma_h_plan_create, P_ADMIN, "mutual_aid_plan", NULL, ma_plan_body, 0},
	{"GET", API "/mutual-aid/plans/:id", ma_h_plan_get, P_READ, "mutual_aid_plan", ma_plans_scope, NULL, 0},
	{"GET", API "/mutual-aid/plans/:id/enrolments", ma_h_enrolments, P_READ, "mutual_aid_plan", ma_plans_scope, NULL, 0},
	{"POST", API "/mutual-aid/plans/:id/enrolments", ma_h_enrol, P_APP_WRITE, "mutual_aid_plan", ma_plans_scope, ma_enrol_body, 0},
	{"POST", API "/mutual-aid/plans/:id/enrolments/import", ma_h_enrol_import, P_APP_WRITE, "mutual_aid_plan", ma_plans_scope, NULL, R_RAW_BODY | R_BIG_BODY},
	{"GET", API "/mutual-aid/claims", ma_h_claim_list, P_READ, "mutual_aid_claim", NULL, NULL, 0},
	{"POST", API "/mutual-aid/claims", ma_h_claim_create, P_APP_WRITE, "mutual_aid_claim", NULL, ma_claim_body, 0},
	{"GET", API "/mutual-aid/claims/:id", ma_h_claim_get, P_READ, "mutual_aid_claim", ma_claims_scope, NULL, 0},
	{"GET", API "/mutual-aid/claims/:id/events", ma_h_claim_events, P_READ, "mutual_aid_claim", ma_claims_scope, NULL, 0},
	{"POST", API "/mutual-aid/claims/:id/transitions", ma_h_claim_transition, P_WORKFLOW, "mutual_aid_claim", ma_claims_scope, ma_claim_transition_body, 0},

	{"GET", API "/activities", activities_h_list, P_READ, "activity", NULL, NULL, 0},
	{"POST", API "/activities", activities_h_create, P_OUTREACH, "activity", NULL, activity_body, 0},
	{"GET", API "/activities/:id", activities_h_get, P_READ, "activity", activities_scope, NULL, 0},
	{"GET", API "/activities/:id/attendance", activities_h_attendees, P_READ, "activity", activities_scope, NULL, 0},
	{"POST", API "/activities/:id/attendance", activities_h_attendance, P_OUTREACH, "activity", activities_scope, attendance_body, 0},
	{"POST", API "/activities/:id/donations", activities_h_donation, P_FUNDS, "activity", activities_scope, donation_body, 0},
	{"GET", API "/households/:id/activities", hh_h_activities, P_READ, "activity", households_scope, NULL, 0},
	{"GET", API "/org-pairings", pairings_h_list, P_READ, "org_pairing", NULL, NULL, 0},
	{"POST", API "/org-pairings", pairings_h_create, P_ADMIN, "org_pairing", NULL, org_pairing_body, 0},
	{"GET", API "/projects", projects_h_list, P_READ, "project", NULL, NULL, 0},
	{"POST", API "/projects", projects_h_create, P_ADMIN, "project", NULL, project_body, 0},
	{"GET", API "/projects/:id", projects_h_get, P_READ, "project", projects_scope, NULL, 0},
	{"PATCH", API "/projects/:id", projects_h_update, P_ADMIN, "project", projects_scope, project_patch, 0},
	{"POST", API "/projects/:id/fundings", projects_h_funding, P_FUNDS, "project", projects_scope, project_funding_body, 0},
	{"GET", API "/agency-referrals", agency_referrals_h_list, P_READ, "agency_referral", NULL, NULL, 0},
	{"GET", API "/agency-referrals/:id", agency_referrals_h_get, P_READ, "agency_referral", agency_referrals_scope, NULL, 0},
	{"POST", API "/agency-referrals/:id/outcome", agency_referrals_h_outcome, P_OUTREACH, "agency_referral", agency_referrals_scope, agency_outcome_body, 0},
	{"POST", API "/agency-referrals/:id/follow-ups", agency_referrals_h_follow_up, P_OUTREACH, "agency_referral", agency_referrals_scope, agency_follow_up_body, 0},
	{"GET", API "/households/:id/agency-referrals", hh_h_agency_referrals, P_READ, "agency_referral", households_scope, NULL, 0},
	{"POST", API "/households/:id/agency-referrals", agency_referrals_h_create, P_OUTREACH, "agency_referral", households_scope, agency_referral_body, 0},

	{"GET", API "/audit", audit_h_list, P_AUDIT_READ, "audit", NULL, NULL, 0},
};
const int routes_count = (int)(sizeof routes / sizeof routes[0]);

/* Matches one pattern; ":x" takes one non-empty segment.  Numeric segments
 * set r->id (the first one). */
static int match(const char *pat, const char *path, struct req *r)
{
	int np = 0;
	int64_t id = 0;
	const char *params[REQ_MAX_PARAMS];
	size_t plen[REQ_MAX_PARAMS];
	while (*pat && *path) {
		if (*pat == ':') {
			const char *end = strchr(path, '/');
			size_t n = end ? (size_t)(end - path) : strlen(path);
			if (n == 0 || np == REQ_MAX_PARAMS)
				return 0;
			params[np] = path;
			plen[np++] = n;
			while (*pat && *pat != '/')
				pat++;
			path += n;
			continue;
		}
		if (*pat++ != *path++)
			return 0;
	}
	if (*pat || *path)
		return 0;
	if (r) {
		r->nparam = np;
		r->id = 0;
		for (int i = 0; i < np; i++) {
			r->param[i] = arena_strndup(r->x.a, params[i], plen[i]);
			char *end;
			long long v = strtoll(r->param[i], &end, 10);
			if (!id && !*end && v > 0)
				id = v;
		}
		r->id = id;
	}
	return 1;
}

const struct route *route_match(struct req *r, const char *method, const char *path,
				int *path_known)
{
	*path_known = 0;
	for (int i = 0; i < routes_count; i++) {
		if (!match(routes[i].pattern, path, NULL))
			continue;
		*path_known = 1;
		if (!strcmp(routes[i].method, method) ||
		    (!strcmp(method, "HEAD") && !strcmp(routes[i].method, "GET"))) {
			match(routes[i].pattern, path, r);
			return &routes[i];
		}
	}
	return NULL;
}
