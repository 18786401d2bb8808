// Clues (线索), emergency aid and the watch after exit (API.md "Found early").
export const CLUE_OUTCOMES = {
  archived: '已建档', emergency_aid: '已临时救助', referred: '已转介', not_in_difficulty: '经核实不困难', duplicate: '重复线索',
};
export const CLUE_STATUS = { open: '待处理', resolved: '已处理' };
export const FOLLOW_UP = { archived: '已建档', closed: '结束跟进' };
// details.reasons of a refused emergency application
export const EMERGENCY_REASONS = {
  has_archive: '此人是正常在档困难职工档案的职工或家庭成员，请通过档案申请帮扶',
  cap_reached: '此人365天内已领取过临时救助',
};
