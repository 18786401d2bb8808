// Checks done in the browser as the user types; the server checks again.

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/**
 * GB 11643 resident ID number.  Returns {ok, message, birthDate, gender}.
 * message is Chinese and names the first problem found.
 */
export function checkIdNumber(raw, today = new Date()) {
  const s = String(raw || '').trim().toUpperCase();
  if (!s) return { ok: false, message: '请输入身份证号' };
  if (s.length !== 18) return { ok: false, message: `身份证号应为18位（现为${s.length}位）` };
  if (!/^\d{17}[\dX]$/.test(s)) return { ok: false, message: '身份证号前17位须为数字，末位为数字或X' };
  const y = +s.slice(6, 10), m = +s.slice(10, 12), d = +s.slice(12, 14);
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d)
    return { ok: false, message: '身份证号中的出生日期无效' };
  const birthDate = s.slice(6, 10) + '-' + s.slice(10, 12) + '-' + s.slice(12, 14);
  const todayStr = typeof today === 'string' ? today : isoDate(today);
  if (birthDate > todayStr) return { ok: false, message: '身份证号中的出生日期晚于今天' };
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (s.charCodeAt(i) - 48) * W[i];
  const want = CHECK[sum % 11];
  const gender = (s.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female';
  if (s[17] !== want) return { ok: false, message: `身份证号校验位错误（应为${want}）`, birthDate, gender };
  return { ok: true, message: '', birthDate, gender };
}

export function isoDate(d = new Date()) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export function ageOn(birthDate, today = isoDate()) {
  if (!birthDate) return null;
  let a = +today.slice(0, 4) - +birthDate.slice(0, 4);
  if (today.slice(5) < birthDate.slice(5)) a--;
  return a;
}

/** 元 (number or text) → integer 分, or null when empty/invalid. No float drift. */
export function yuanToFen(v) {
  if (v === null || v === undefined || v === '') return null;
  const s = String(v).trim();
  if (!/^-?\d+(\.\d{0,2})?$/.test(s)) {
    const n = Number(s);
    return Number.isFinite(n) ? Math.round(n * 100) : null;
  }
  const neg = s.startsWith('-');
  const [i, f = ''] = s.replace('-', '').split('.');
  const fen = Number(i) * 100 + Number((f + '00').slice(0, 2));
  return neg ? -fen : fen;
}
export function fenToYuan(fen) {
  if (fen === null || fen === undefined) return null;
  return fen / 100;
}
/** 分 → "1,234.50" (yuan, two decimals, grouped). */
export function fmtYuan(fen) {
  if (fen === null || fen === undefined || fen === '') return '—';
  const neg = fen < 0;
  const a = Math.abs(Math.trunc(fen));
  const y = Math.floor(a / 100).toLocaleString('zh-CN');
  const f = String(a % 100).padStart(2, '0');
  return (neg ? '-' : '') + y + '.' + f;
}

/** Per-capita income in fen, rounded half up: total ÷ people. */
export function perCapita(totalFen, people) {
  if (!people) return 0;
  return Math.floor((2 * totalFen + people) / (2 * people));
}

/** DESIGN.md §2.1: dibao ≤ 1×, marginal ≤ factor×, accident by causes, else none. */
export function suggestCategory(perCapitaFen, standardFen, causes = [], factor = 1.5) {
  if (standardFen) {
    if (perCapitaFen <= standardFen) return 'dibao';
    // integer compare: pc ≤ factor × std with factor in tenths
    const f10 = Math.round(factor * 10);
    if (perCapitaFen * 10 <= standardFen * f10) return 'marginal';
  }
  const acc = ['accident', 'disaster', 'work_injury', 'illness_self', 'illness_family'];
  if (causes.some((c) => acc.includes(c))) return 'accident';
  return 'none';
}

export function fmtTime(ts) {
  if (!ts) return '—';
  const d = new Date(ts);
  if (isNaN(d)) return ts;
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
