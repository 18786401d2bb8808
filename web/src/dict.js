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
export const ROLES = { admin: '管理员', staff: '经办人', reviewer: '审核人', approver: '审批人', finance: '财务', viewer: '查看', informant: '信息员' };
export const LEVELS = { city: '市级', district: '区（县）级', street: '街道（乡镇）级', grassroots: '基层工会' };
export const VISIT_KINDS = { verification: '入户核查', condolence: '慰问', pairing: '结对走访', review: '动态复核', monitoring: '返困监测' };
export const HH_ACTIONS = {
  create: '建档', submit: '提交申请', verify: '审核', reject: '退回', publish: '公示', approve: '审批',
  enter: '录入建档', review: '动态调整', exit: '解困退出', update: '修改', import: '导入',
  objection: '异议', resolve: '异议处理', reopen: '重新启用',
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
  receipt: '签收', close: '办结', withdraw: '撤回', follow_up: '跟进',
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

// The audit log (GET /audit): what was done to what, in Chinese.  Workflow
// steps read as in their own trails (审核 for an archive, 查验 for an
// application); codes not listed show as they are.
export const AUDIT_ENTITIES = {
  session: '登录会话', user: '用户', org: '单位', standard: '低保标准', calendar: '工作日历', household: '困难职工档案',
  visit: '走访', objection: '公示异议', pairing: '结对帮扶', application: '帮扶申请', program: '帮扶项目', fund_account: '资金账户',
  campaign: '送温暖活动', goods: '爱心物资', loan: '小额贷款', report: '报表', case: '信访个案', card: '爱心卡',
  partner: '爱心合作单位', job_seeker: '求职人员', employer: '用人单位', vacancy: '招聘岗位', referral: '推荐就业',
  training: '技能培训', job_fair: '招聘会', clue: '线索',
  activity: '外联活动', org_pairing: '县区结对', project: '一县一项目', agency_referral: '转介政府部门',
};
export const AUDIT_ACTIONS = {
  create: '新建', update: '修改', delete: '删除', set: '设定', login: '登录', logout: '退出登录', login_failed: '登录失败',
  token_create: '签发接口令牌', password: '修改密码', read_id_number: '查看完整身份证号', import: '导入', import_active: '导入在档',
  submit: '提交', verify: '审核', publish: '公示', approve: '审批', enter: '录入建档', review: '动态调整', reject: '退回',
  exit: '解困退出', resolve: '处理', disburse: '发放', receipt: '签收', close: '办结', withdraw: '撤回', refund: '退款',
  assign: '分派', start: '开始办理', refer: '转办', purchase: '消费', outcome: '登记推荐结果', reemployed: '再就业',
  transfer: '划拨', deposit: '存入', repay: '还款', enrol: '报名', result: '登记结果', handout: '发放',
  suspend: '暂停', reactivate: '恢复', follow_up: '跟进', reopen: '重新启用', watch_end: '返困监测期满',
};
const AUDIT_ACTIONS_OF = {
  application: { ...APP_ACTIONS, create: '提交申请' },
  goods: { receipt: '接收捐赠', handout: '发放物资' },
  case: { create: '受理', assign: '分派', start: '开始办理', resolve: '办结', close: '结案', refer: '转办' },
  objection: { create: '登记', resolve: '处理' },
  activity: { attendance: '登记参加家庭', donation: '收到捐款' },
  project: { funding: '项目拨款' },
  agency_referral: { create: '转介', outcome: '登记办理结果', follow_up: '跟进' },
};
export function auditAction(action, entity) {
  return AUDIT_ACTIONS_OF[entity]?.[action] ?? (entity === 'household' ? HH_ACTIONS[action] : undefined) ?? AUDIT_ACTIONS[action] ?? action;
}

// 帮扶主项: a programme code, or one of these beside them
export const PRIMARY_EXTRA = { medical_mutual: '医疗互助', employment: '就业援助', legal: '法律援助' };
export function primaryAidOptions(programs) {
  const m = { ...Object.fromEntries(programs.map((p) => [p.code, p.name])), ...PRIMARY_EXTRA };
  return Object.entries(m).map(([value, label]) => ({ value, label }));
}

// 互助保障理赔 statuses (StatusTag shows them; mutual.js re-exports)
export const CLAIM_STATUS = { submitted: '已申请', verified: '已审核', approved: '已审批', paid: '已支付', rejected: '已驳回' };
export const CLAIM_STATUS_TYPE = { submitted: 'info', verified: 'warning', approved: 'primary', paid: 'success', rejected: 'danger' };
