// Accessibility checks the browser tests share (web/tests/a11y.test.mjs,
// keyboard.test.mjs): axe-core (from npm) injected into the page, run with the
// WCAG 2.0/2.1 A and AA rules (what GB/T 37668 follows), and the checks of this
// project's own bar that axe has no rule for:
//   - a table never splits a number, an amount or a code over two lines, nor
//     cuts text off at a cell's edge (but where a tooltip shows the rest);
//   - a table that still scrolls sideways shows a cue (see style.css);
//   - action buttons and links in tables are at least 24×24 px;
//   - a phone-sized page never scrolls sideways as a whole.
// Not a test file itself (node --test runs *.test.mjs only).
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Makes axe available in every page of the context (before any script of the page). */
export async function withAxe(context) {
  await context.addInitScript({ content: AXE });
}

/**
 * The serious and critical axe violations and the project's own checks on the
 * page as it is now, as readable lines ("where: rule: target — summary").
 */
export async function audit(page, where, scope) {
  // let transitions end (dialogs fading in, drawers sliding): axe reads colours
  await page.waitForFunction(() => !document.getAnimations().some((a) => a.playState === 'running' && a.effect?.getComputedTiming().endTime !== Infinity), null, { timeout: 3000, polling: 50 }).catch(() => {});
  await page.waitForTimeout(scope ? 150 : 50);
  const out = await page.evaluate(async (scope) => {
    if (!window.axe) throw new Error('axe-core is not in the page (withAxe on the context)');
    // scope 'dialog': the topmost open dialog, drawer or message box only (the page under it was audited)
    let root = document;
    if (scope === 'dialog') {
      const open = [...document.querySelectorAll('.el-overlay, .el-message-box__wrapper')].filter((e) => e.getBoundingClientRect().width && getComputedStyle(e).display !== 'none');
      root = open[open.length - 1] || document;
    } else if (scope) root = [...document.querySelectorAll(scope)].find((e) => e.getBoundingClientRect().width) || document;
    const r = await window.axe.run(root, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
      selectors: false, // a third faster; the findings quote the element's HTML
    });
    const lines = [];
    for (const v of r.violations) {
      if (v.impact !== 'serious' && v.impact !== 'critical') continue;
      for (const n of v.nodes.slice(0, 6)) {
        const why = (n.failureSummary || '').split('\n').slice(1, 2).join(' ').trim();
        lines.push(`${v.id} (${v.impact}): «${(n.html || '').slice(0, 140)}» — ${why}`);
      }
      if (v.nodes.length > 6) lines.push(`${v.id}: … and ${v.nodes.length - 6} more`);
    }
    const visible = (el) => {
      const b = el.getBoundingClientRect();
      return b.width > 0 && b.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    // numbers, amounts and codes (Latin letters and digits with their punctuation) on one line
    const token = /[0-9A-Za-z][0-9A-Za-z,.:_\-/%*+]*[0-9A-Za-z%]/g;
    for (const cell of root.querySelectorAll('.el-table__body .cell')) {
      if (!visible(cell)) continue;
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        for (const m of t.data.matchAll(token)) {
          const range = document.createRange();
          range.setStart(t, m.index);
          range.setEnd(t, m.index + m[0].length);
          const tops = new Set([...range.getClientRects()].filter((q) => q.width > 0).map((q) => Math.round(q.top)));
          if (tops.size > 1) lines.push(`split-token: "${m[0]}" breaks over ${tops.size} lines in a table cell`);
        }
      }
    }
    // nor is anything cut off at a cell's edge (but in cells that show the rest on hover)
    for (const cell of root.querySelectorAll('.el-table__body .cell')) {
      if (!visible(cell) || cell.classList.contains('el-tooltip')) continue;
      if (cell.scrollWidth > cell.clientWidth + 1)
        lines.push(`clipped: "${cell.textContent.trim().slice(0, 40)}" is cut off in its cell (${cell.scrollWidth} px in ${cell.clientWidth})`);
    }
    // tables that scroll sideways say so (style.css: a "左右滑动" cue on the header, a visible scroll bar)
    for (const t of root.querySelectorAll('.el-table')) {
      if (!visible(t)) continue;
      const wrap = t.querySelector('.el-table__body-wrapper .el-scrollbar__wrap');
      if (!wrap || wrap.scrollWidth <= wrap.clientWidth + 2) continue;
      if (!t.matches('.is-scrolling-left, .is-scrolling-middle')) continue; // scrolled to the end: nothing more to see
      const head = t.querySelector('.el-table__header-wrapper');
      const cue = head && getComputedStyle(head, '::after');
      if (!cue || cue.content === 'none' || cue.display === 'none' || cue.visibility === 'hidden')
        lines.push(`scroll-cue: a table scrolls sideways (${wrap.scrollWidth} px in ${wrap.clientWidth}) without a visible cue: ${t.getAttribute('data-test') || ''}`);
    }
    // action buttons and links in tables: 24×24 px at least
    for (const b of root.querySelectorAll('.el-table__body .el-button, .el-table__body a')) {
      if (!visible(b)) continue;
      const q = b.getBoundingClientRect();
      if (q.width < 24 || q.height < 24) lines.push(`target-size: "${b.textContent.trim()}" is ${Math.round(q.width)}×${Math.round(q.height)} px`);
    }
    if (window.innerWidth < 500 && document.documentElement.scrollWidth > window.innerWidth + 1)
      lines.push(`page-overflow: the page is ${document.documentElement.scrollWidth} px wide in ${window.innerWidth}`);
    return [...new Set(lines)];
  }, scope || null);
  return out.map((l) => `${where}: ${l}`);
}

/**
 * Whether the focused element shows a focus ring a sighted keyboard user can
 * see: an outline (2 px at least, not transparent) on it or on the field box
 * around it (Element Plus wraps inputs), inside the viewport.  Returns a
 * description of the stop, or throws with what is wrong.
 */
export async function focusStop(page) {
  const r = await page.evaluate(() => {
    const a = document.activeElement;
    if (!a || a === document.body) return { error: 'nothing has focus' };
    const name = (a.getAttribute('aria-label') || a.textContent || a.getAttribute('placeholder') || a.id || a.tagName).trim().replace(/\s+/g, ' ').slice(0, 40);
    const ring = (el) => {
      const s = getComputedStyle(el);
      const w = parseFloat(s.outlineWidth) || 0;
      const transparent = /rgba\(.*,\s*0\)$/.test(s.outlineColor) || s.outlineColor === 'transparent';
      return s.outlineStyle !== 'none' && w >= 2 && !transparent;
    };
    // the ring may be on the element, on the box around it (fields), on what
    // stands for a hidden input (checkboxes, radios, switches: a sibling) or on
    // the row inside a tree node
    const cands = [a];
    for (let p = a.parentElement, i = 0; p && i < 4; p = p.parentElement, i++) cands.push(p);
    for (let n = a.nextElementSibling, i = 0; n && i < 2; n = n.nextElementSibling, i++) cands.push(n);
    if (a.firstElementChild) cands.push(a.firstElementChild);
    const sized = (el) => el.getBoundingClientRect().width >= 4 && el.getBoundingClientRect().height >= 4;
    const found = cands.find((el) => ring(el) && sized(el)) || null;
    const b = (found || a).getBoundingClientRect();
    const inView = b.bottom > 0 && b.right > 0 && b.top < window.innerHeight && b.left < window.innerWidth && b.width > 0 && b.height > 0;
    const where = `${a.className} ${Math.round(b.left)},${Math.round(b.top)} ${Math.round(b.width)}×${Math.round(b.height)} in ${window.innerWidth}×${window.innerHeight}`;
    return { name, tag: a.tagName.toLowerCase(), href: a.getAttribute('href'), ring: !!found, inView, where };
  });
  if (r.error) throw new Error(r.error);
  if (!r.ring) throw new Error(`no visible focus ring on <${r.tag}> "${r.name}"`);
  if (!r.inView) throw new Error(`the focused <${r.tag}> "${r.name}" is outside the viewport (${r.where})`);
  return r;
}
