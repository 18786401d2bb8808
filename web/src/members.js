// Household members between the form (元, editable rows) and the API (分).
import { yuanToFen, fenToYuan } from './rules.js';

let seq = 0;
export function blankMember() {
  return { _k: 'n' + seq++, id: null, name: '', id_number: '', relation: '', income: 0, health: '', school_stage: 'none', disability: false, occupation: '' };
}
// A stored member's number comes masked (API.md "Privacy"); sent back
// unchanged, the server keeps the stored one.
export const isKeptNumber = (m) => !!m.id && (m.id_number || '').includes('*');
export function memberFromApi(m) {
  return {
    _k: 'm' + (m.id ?? seq++), id: m.id ?? null, name: m.name || '', id_number: m.id_number || '', relation: m.relation || '',
    gender: m.gender || '', age: m.age ?? null,
    income: fenToYuan(m.monthly_income_fen) ?? 0, health: m.health || '', school_stage: m.school_stage || 'none',
    disability: !!m.disability, occupation: m.occupation || '',
  };
}
export function memberToApi(m) {
  const o = {
    name: m.name.trim(), id_number: m.id_number.trim().toUpperCase(), relation: m.relation,
    monthly_income_fen: yuanToFen(m.income) ?? 0, school_stage: m.school_stage || 'none', disability: !!m.disability,
  };
  if (m.id) o.id = m.id;
  if (m.health) o.health = m.health;
  if (m.occupation) o.occupation = m.occupation;
  return o;
}
export function membersIncomeFen(members) {
  return members.reduce((s, m) => s + (yuanToFen(m.income) || 0), 0);
}
