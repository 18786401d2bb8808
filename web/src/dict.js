// Chinese labels for the English codes of the API.
export const HH_STATUS = {
  draft: '草稿', submitted: '待审核', verified: '已审核', in_notice: '公示中',
  approved: '已审批', active: '在档', rejected: '已退回', exited: '已退出',
};
export const HH_STATUS_TYPE = {
  draft: 'info', submitted: 'warning', verified: 'primary', in_notice: 'warning',
  approved: 'primary', active: 'success', rejected: 'danger', exited: 'info',
};
export const CATEGORY = { dibao: '低保户', marginal: '低保边缘户', accident: '意外致困户', none: '一般困难' };
export const CAUSES = {
  illness_self: '本人患病', illness_family: '家属患病', disability_self: '本人残疾',
  disability_family: '家属残疾', education: '子女就学', unemployment: '失业', low_income: '收入低',
  single_parent: '单亲', accident: '意外事故', disaster: '自然灾害', work_injury: '工伤', other: '其他',
};
export const ACCIDENT_CAUSES = ['accident', 'disaster', 'work_injury', 'illness_self', 'illness_family'];
export const RELATIONS = {
  spouse: '配偶', child: '子女', parent: '父母', sibling: '兄弟姐妹',
  grandparent: '祖父母', grandchild: '孙子女', other: '其他',
};
export const SCHOOL = {
  none: '无', preschool: '学前', primary: '小学', junior: '初中', senior: '高中',
  vocational: '中职', university: '大学',
};
export const GENDER = { male: '男', female: '女' };
export const ROLES = { admin: '管理员', staff: '经办人', reviewer: '审核人', approver: '审批人', finance: '财务', viewer: '查看' };
export const LEVELS = { city: '市级', district: '区（县）级', street: '街道（乡镇）级', grassroots: '基层工会' };
export const VISIT_KINDS = { verification: '入户核查', condolence: '慰问', pairing: '结对走访', review: '动态复核' };
export const HH_ACTIONS = {
  create: '建档', submit: '提交申请', verify: '审核', reject: '退回', publish: '公示', approve: '审批',
  enter: '录入建档', review: '动态调整', exit: '解困退出', update: '修改', import: '导入',
  objection: '异议', resolve: '异议处理',
};
export const APP_STATUS = {
  submitted: '已申请', verified: '已查验', approved: '已批准', disbursed: '已发放',
  receipted: '已签收', closed: '已办结', rejected: '已驳回', withdrawn: '已撤回',
};
export const APP_STATUS_TYPE = {
  submitted: 'warning', verified: 'primary', approved: 'primary', disbursed: 'success',
  receipted: 'success', closed: 'info', rejected: 'danger', withdrawn: 'info',
};
export const APP_ACTIONS = {
  submit: '提交申请', verify: '查验', approve: '批准', reject: '驳回', disburse: '发放',
  receipt: '签收', close: '办结', withdraw: '撤回',
};
export const FUND_SOURCES = { union: '工会经费', government: '财政资金', donation: '社会捐赠', social: '社会资金' };
export const LEDGER_KINDS = {
  deposit: '存入', transfer_in: '划入', transfer_out: '划出', disburse: '发放', disbursement: '发放',
  refund: '退回', loan: '贷款发放', repayment: '还款', card_purchase: '爱心卡消费',
};

export function opts(map) {
  return Object.entries(map).map(([value, label]) => ({ value, label }));
}
export function label(map, code) {
  if (code === null || code === undefined || code === '') return '—';
  return map[code] ?? code;
}
