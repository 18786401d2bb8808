// Reception cases (信访接待与维权个案): the codes of the API with their Chinese
// labels, and which action buttons a role sees in which status (the server's
// rules/case_flow.c decides; this only hides what would be refused).
export const CASE_STATUS = {
  received: '已受理', assigned: '已分派', in_progress: '办理中', resolved: '已办结', closed: '已结案', referred: '已转办',
};
export const CASE_STATUS_TYPE = {
  received: 'warning', assigned: 'primary', in_progress: 'primary', resolved: 'success', closed: 'info', referred: 'info',
};
export const CASE_CHANNEL = { window: '窗口', hotline: '12351热线', letter: '来信', online: '网上' };
export const CASE_CATEGORY = {
  petition: '信访', consultation: '咨询', legal_aid: '法律援助', wage_arrears: '欠薪', labour_dispute: '劳动争议', other: '其他',
};
export const CASE_ACTIONS = { receive: '受理', assign: '分派', start: '开始办理', resolve: '办结', close: '结案', refer: '转办' };
// working days from intake to the deadline, as the server computes them
export const CASE_WORKDAYS = { petition: 15, consultation: 3, legal_aid: 7, wage_arrears: 10, labour_dispute: 15, other: 10 };

const OPEN = ['received', 'assigned', 'in_progress'];
const WRITE = ['staff', 'admin'];
export const CASE_SPECS = [
  { action: 'assign', label: '分派', from: ['received', 'assigned'], roles: WRITE, type: 'primary' },
  { action: 'start', label: '开始办理', from: ['assigned'], roles: WRITE, type: 'primary' },
  { action: 'resolve', label: '办结', from: ['in_progress'], roles: WRITE, type: 'success' },
  { action: 'close', label: '结案', from: ['resolved'], roles: [...WRITE, 'reviewer', 'approver'], type: 'primary' },
  { action: 'refer', label: '转办', from: OPEN, roles: WRITE, type: 'warning' },
];
export function caseActions(c, role) {
  return c ? CASE_SPECS.filter((s) => s.from.includes(c.status) && s.roles.includes(role)) : [];
}
