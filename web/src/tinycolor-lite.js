// A few lines in place of @ctrl/tinycolor (17 KB, 6 KiB gzipped, on every
// screen): Element Plus' button uses it only to work out the shades of a
// custom `color` prop, which this UI never sets.  vite.config.js aliases the
// package here; what el-button calls (mix, tint, isDark, toString) works on
// #rgb / #rrggbb / rgb() colours.
const clamp = (n) => Math.max(0, Math.min(255, Math.round(n)));
function parse(c) {
  const s = String(c || '').trim();
  let m = s.match(/^#([0-9a-f]{3})$/i);
  if (m) return m[1].split('').map((h) => parseInt(h + h, 16));
  m = s.match(/^#([0-9a-f]{6})/i);
  if (m) return [0, 2, 4].map((i) => parseInt(m[1].slice(i, i + 2), 16));
  m = s.match(/rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/i);
  if (m) return [m[1], m[2], m[3]].map(Number);
  return [0, 0, 0];
}
export class TinyColor {
  constructor(c) {
    this.rgb = c instanceof TinyColor ? [...c.rgb] : parse(c);
  }
  /** `amount` % of `color` into this one. */
  mix(color, amount = 50) {
    const o = new TinyColor(color).rgb;
    const p = amount / 100;
    const r = new TinyColor();
    r.rgb = this.rgb.map((v, i) => clamp(v + (o[i] - v) * p));
    return r;
  }
  tint(amount = 10) {
    return this.mix('#ffffff', amount);
  }
  shade(amount = 10) {
    return this.mix('#000000', amount);
  }
  isDark() {
    const [r, g, b] = this.rgb;
    return (r * 299 + g * 587 + b * 114) / 1000 < 128;
  }
  toString() {
    return '#' + this.rgb.map((v) => clamp(v).toString(16).padStart(2, '0')).join('');
  }
  toHexString() {
    return this.toString();
  }
}
export default TinyColor;
