// Labels and small helpers of 活动与外联 (API.md "Outreach").
export const ACTIVITY_KINDS = {
  legal_outreach: '送法进企业', free_clinic: '义诊', job_fair: '招聘会', training: '技能培训',
  donation_drive: '募捐', handout: '慰问发放', enterprise_visit: '走访困难企业', other: '其他',
};
// tag colours per kind (Element Plus tag types)
export const KIND_TYPE = {
  legal_outreach: 'primary', free_clinic: 'success', job_fair: 'warning', training: 'warning',
  donation_drive: 'danger', handout: 'success', enterprise_visit: 'info', other: 'info',
};
export const AGENCIES = {
  civil_affairs: '民政部门', housing: '住房保障部门', education: '教育部门', health: '医保卫健部门',
  human_resources: '人社部门', legal_aid: '法律援助机构', other: '其他',
};
export const SERVICES = {
  dibao: '城市低保', public_housing: '公租房', tuition_waiver: '学费减免', medical_aid: '医疗救助',
  job: '就业援助', legal_aid: '法律援助', other: '其他',
};
// the agency a service usually goes to
export const SERVICE_AGENCY = {
  dibao: 'civil_affairs', public_housing: 'housing', tuition_waiver: 'education', medical_aid: 'health',
  job: 'human_resources', legal_aid: 'legal_aid', other: 'other',
};
export const REFERRAL_STATUS = { pending: '办理中', granted: '已办成', refused: '未获批' };
export const REFERRAL_STATUS_TYPE = { pending: 'warning', granted: 'success', refused: 'info' };
export const PROJECT_STATUS = { planned: '计划中', running: '实施中', done: '已完成' };
export const PROJECT_STATUS_TYPE = { planned: 'info', running: 'warning', done: 'success' };

/** A row of the dashboard's to-do list for a referral pending more than 30 days. */
export function referralTodo(r, what) {
  return {
    key: 'r' + r.id, what, title: `${r.household_name} · ${SERVICES[r.service] || r.service}`,
    sub: `${AGENCIES[r.agency] || r.agency} · 转介于 ${r.referred_on}`, org: r.org_name,
    due: r.referred_on, overdue: true, provisional: false, to: '/outreach?tab=referrals&overdue=true',
  };
}
