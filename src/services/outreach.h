/* outreach.h — activities and attendance, donations of a donation drive
 * (activities.c); unit pairings and projects with fundings (projects.c);
 * referrals of households to government services (agency_referrals.c).
 * API.md "Outreach", DESIGN.md §2.10. */
#ifndef BANGFU_OUTREACH_H
#define BANGFU_OUTREACH_H

#include "http/route.h"

extern const struct field activity_body[];
extern const struct field attendance_body[];
extern const struct field donation_body[];
extern const struct field org_pairing_body[];
extern const struct field project_body[];
extern const struct field project_patch[];
extern const struct field project_funding_body[];
extern const struct field agency_referral_body[];
extern const struct field agency_outcome_body[];
extern const struct field agency_follow_up_body[];

int activities_scope(struct req *r);
int activities_h_create(struct req *r);
int activities_h_list(struct req *r);
int activities_h_get(struct req *r);
int activities_h_attendance(struct req *r);
int activities_h_attendees(struct req *r);
int activities_h_donation(struct req *r);
int hh_h_activities(struct req *r);

int pairings_h_create(struct req *r);
int pairings_h_list(struct req *r);
int projects_scope(struct req *r);
int projects_h_create(struct req *r);
int projects_h_list(struct req *r);
int projects_h_get(struct req *r);
int projects_h_update(struct req *r);
int projects_h_funding(struct req *r);

int agency_referrals_scope(struct req *r);
int agency_referrals_h_create(struct req *r);
int agency_referrals_h_list(struct req *r);
int agency_referrals_h_get(struct req *r);
int agency_referrals_h_outcome(struct req *r);
int agency_referrals_h_follow_up(struct req *r);
int hh_h_agency_referrals(struct req *r);

#endif
