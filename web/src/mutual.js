// Mutual aid (互助保障) and primary aid items (帮扶主项): labels and the
// claim workflow's actions, as the API names them (API.md "Mutual aid").
export const MA_KIND = { medical: '职工医疗互助', women: '女职工保障', other: '其他互助' };
export const MA_PAID_BY = { member: '个人缴费', union: '工会代缴', employer: '单位缴费' };
export const CLAIM_ACTIONS = { submit: '提交理赔申请', verify: '审核', approve: '审批', pay: '支付', reject: '驳回' };
export const CLAIM_SPECS = [
  { action: 'verify', label: '审核通过', from: ['submitted'], roles: ['reviewer'], type: 'primary' },
  { action: 'approve', label: '审批', from: ['verified'], roles: ['approver'], type: 'primary' },
  { action: 'pay', label: '支付', from: ['approved'], roles: ['finance'], type: 'primary' },
  { action: 'reject', label: '驳回', from: ['submitted', 'verified'], roles: ['reviewer', 'approver'], type: 'danger', commentRequired: true },
];
// 帮扶主项 (in dict.js, so that the households list does not load this module)
export { PRIMARY_EXTRA, primaryAidOptions, CLAIM_STATUS, CLAIM_STATUS_TYPE } from './dict.js';
// The approval tier of a claim's amount (≤ 1,000 yuan street, ≤ 5,000 district, above city)
export const claimTier = (fen) => (fen <= 100000 ? 'street' : fen <= 500000 ? 'district' : 'city');
