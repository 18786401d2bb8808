#include "rules/case_flow.h"

#include <string.h>

#define B CS_BIT
#define OPEN (B(CS_RECEIVED) | B(CS_ASSIGNED) | B(CS_IN_PROGRESS))

/* RULE cases.flow: received → assigned → in_progress → resolved → closed,
 * or referred (转办) from any open state. */
static const struct case_step steps[CA__MAX] = {
	[CA_ASSIGN] = {"assign", "分派", B(CS_RECEIVED) | B(CS_ASSIGNED), CS_ASSIGNED, P_CASE_WRITE, CF_ASSIGNEE},
	[CA_START] = {"start", "开始办理", B(CS_ASSIGNED), CS_IN_PROGRESS, P_CASE_WRITE, 0},
	[CA_RESOLVE] = {"resolve", "办结", B(CS_IN_PROGRESS), CS_RESOLVED, P_CASE_WRITE, CF_RESULT | CF_FINISH},
	[CA_CLOSE] = {"close", "结案", B(CS_RESOLVED), CS_CLOSED, P_CASE_CLOSE, 0},
	[CA_REFER] = {"refer", "转办", OPEN, CS_REFERRED, P_CASE_WRITE, CF_REFERRAL | CF_FINISH},
};
_Static_assert(sizeof steps / sizeof steps[0] == CA__MAX, "one step per action");

struct code {
	const char *name, *label;
};

static const struct code statuses[CS__MAX] = {
	[CS_RECEIVED] = {"received", "已受理"},   [CS_ASSIGNED] = {"assigned", "已分派"},
	[CS_IN_PROGRESS] = {"in_progress", "办理中"}, [CS_RESOLVED] = {"resolved", "已办结"},
	[CS_CLOSED] = {"closed", "已结案"},        [CS_REFERRED] = {"referred", "已转办"},
};
_Static_assert(sizeof statuses / sizeof statuses[0] == CS__MAX, "one name per status");

static const struct code channels[CH__MAX] = {
	[CH_WINDOW] = {"window", "窗口"}, [CH_HOTLINE] = {"hotline", "12351热线"},
	[CH_LETTER] = {"letter", "来信"}, [CH_ONLINE] = {"online", "网上"},
};
_Static_assert(sizeof channels / sizeof channels[0] == CH__MAX, "one name per channel");

/* Default deadlines in working days: legal aid review 7 (DESIGN.md §2.4);
 * labour-dispute mediation 15 (调解期限 15 日); petitions 15 (a reply on
 * acceptance within 15 days, 信访工作条例); wage arrears 10, other 10;
 * a consultation is answered within 3. */
static const struct {
	struct code c;
	int workdays;
} categories[CC__MAX] = {
	[CC_PETITION] = {{"petition", "信访"}, 15},
	[CC_CONSULTATION] = {{"consultation", "咨询"}, 3},
	[CC_LEGAL_AID] = {{"legal_aid", "法律援助"}, 7},
	[CC_WAGE_ARREARS] = {{"wage_arrears", "欠薪"}, 10},
	[CC_LABOUR_DISPUTE] = {{"labour_dispute", "劳动争议"}, 15},
	[CC_OTHER] = {{"other", "其他"}, 10},
};
_Static_assert(sizeof categories / sizeof categories[0] == CC__MAX, "one entry per category");

const struct case_step *case_step_find(const char *name, enum case_action *action)
{
	for (int i = 0; name && i < CA__MAX; i++)
		if (!strcmp(name, steps[i].name)) {
			if (action)
				*action = i;
			return &steps[i];
		}
	return NULL;
}

int case_step_allowed(const struct case_step *s, enum case_status from)
{
	return s && (unsigned)from < CS__MAX && (s->from & B(from));
}

int case_status_open(enum case_status s) { return (unsigned)s < CS__MAX && (OPEN & B(s)); }

static int parse(const struct code *t, size_t stride, int n, const char *s)
{
	for (int i = 0; s && i < n; i++) {
		const struct code *c = (const struct code *)((const char *)t + stride * i);
		if (!strcmp(s, c->name))
			return i;
	}
	return -1;
}

int case_status_parse(const char *s) { return parse(statuses, sizeof statuses[0], CS__MAX, s); }
int case_channel_parse(const char *s) { return parse(channels, sizeof channels[0], CH__MAX, s); }
int case_category_parse(const char *s) { return parse(&categories[0].c, sizeof categories[0], CC__MAX, s); }

const char *case_status_name(enum case_status s) { return (unsigned)s < CS__MAX ? statuses[s].name : "?"; }
const char *case_status_label(enum case_status s) { return (unsigned)s < CS__MAX ? statuses[s].label : "?"; }
const char *case_channel_name(enum case_channel c) { return (unsigned)c < CH__MAX ? channels[c].name : "?"; }
const char *case_channel_label(enum case_channel c) { return (unsigned)c < CH__MAX ? channels[c].label : "?"; }
const char *case_category_name(enum case_category c) { return (unsigned)c < CC__MAX ? categories[c].c.name : "?"; }
const char *case_category_label(enum case_category c) { return (unsigned)c < CC__MAX ? categories[c].c.label : "?"; }
int case_category_workdays(enum case_category c) { return (unsigned)c < CC__MAX ? categories[c].workdays : 0; }
