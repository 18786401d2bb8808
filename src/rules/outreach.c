#include "rules/outreach.h"

#include <string.h>

const struct code_label activity_kinds[] = {
	{"legal_outreach", "送法进企业"}, {"free_clinic", "义诊"},      {"job_fair", "招聘会"},
	{"training", "技能培训"},         {"donation_drive", "募捐"},    {"handout", "慰问发放"},
	{"enterprise_visit", "走访困难企业"}, {"other", "其他"},         {0, 0},
};
const struct code_label agencies[] = {
	{"civil_affairs", "民政部门"}, {"housing", "住房保障部门"}, {"education", "教育部门"},
	{"health", "医保卫健部门"},   {"human_resources", "人社部门"}, {"legal_aid", "法律援助机构"},
	{"other", "其他"},             {0, 0},
};
const struct code_label agency_services[] = {
	{"dibao", "城市低保"},        {"public_housing", "公租房"}, {"tuition_waiver", "学费减免"},
	{"medical_aid", "医疗救助"},  {"job", "就业援助"},          {"legal_aid", "法律援助"},
	{"other", "其他"},            {0, 0},
};

int code_find(const struct code_label *t, const char *s)
{
	for (int i = 0; s && t[i].name; i++)
		if (!strcmp(t[i].name, s))
			return i;
	return -1;
}

static const struct {
	const char *from, *to;
} project_steps[] = {
	{"planned", "running"},
	{"running", "done"},
	{"planned", "done"},
};

int project_step_allowed(const char *from, const char *to)
{
	for (size_t i = 0; i < sizeof project_steps / sizeof project_steps[0]; i++)
		if (from && to && !strcmp(project_steps[i].from, from) && !strcmp(project_steps[i].to, to))
			return 1;
	return 0;
}
