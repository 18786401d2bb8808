// Browser tests of the downloads (issue 6, "download a report"): the quarterly
// report as Excel and PDF from 统计报表, and the households list's 导出 Excel.
// Each file is caught as chromium's download, saved, and read back with tools
// that are not bangfu's: tests/api/xlsx_read.py (Python's zipfile + xml.etree)
// and poppler's pdftotext; its figures are compared with the JSON the API
// answers the same session.  Same setup as ui.test.mjs (tests/run-ui.sh).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { URL0, pageErrors, useBrowser, api, open, close, pickOption, householdsOfStatus, menuTo } from './browser.mjs';

const READER = fileURLToPath(new URL('../../tests/api/xlsx_read.py', import.meta.url));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-dl-'));
const DISTRICT = '东湖区总工会帮扶中心';

useBrowser();
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

/* ---- helpers ---------------------------------------------------------- */

/** Clicks `sel` and waits for the browser's download: {name, file, buf}, saved under TMP. */
async function download(page, sel, whileWaiting = async () => {}) {
  const event = page.waitForEvent('download');
  await page.click(sel);
  await whileWaiting();
  const dl = await event;
  assert.equal(await dl.failure(), null, 'the download completed');
  const name = dl.suggestedFilename();
  const file = path.join(TMP, `${Date.now()}-${path.basename(name)}`);
  await dl.saveAs(file);
  return { name, file, buf: fs.readFileSync(file) };
}

/** The name a Content-Disposition gives, `filename*` (UTF-8) first, as RFC 6266 has browsers do. */
function dispositionName(h) {
  const star = /filename\*=UTF-8''([^;\s]+)/i.exec(h || '');
  const plain = /filename="([^"]*)"/i.exec(h || '');
  return star ? decodeURIComponent(star[1]) : plain?.[1];
}

/** What the server answers to the same GET in the page's session (cookie): {headers, json}. */
async function sameSession(page, href) {
  const r = await page.request.get(new URL(href, URL0).href);
  assert.equal(r.status(), 200, href);
  const type = r.headers()['content-type'] || '';
  return { headers: r.headers(), json: type.startsWith('application/json') ? await r.json() : null };
}

function readXlsx(file) {
  const r = spawnSync('python3', [READER, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, `xlsx_read ${file}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
const isZip = (buf) => buf.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'));
const col = (cellName) => cellName.replace(/\d+$/, '');
const rowOf = (cellName) => Number(cellName.match(/\d+$/)[0]);
/** The cell under the header `head` (in header row `hr`) in the row whose column A is `rowName`. */
function lookup(sheet, hr, head, rowName) {
  const h = Object.entries(sheet.cells).find(([k, c]) => rowOf(k) === hr && c.v === head);
  assert.ok(h, `${sheet.name}: a column ${head}`);
  const r = Object.entries(sheet.cells).find(([k, c]) => col(k) === 'A' && c.v === rowName);
  assert.ok(r, `${sheet.name}: a row ${rowName}`);
  return sheet.cells[col(h[0]) + rowOf(r[0])]?.v;
}

/** Picks the unit `name` in the OrgSelect whose input has id `id`. */
async function pickOrg(page, id, name) {
  await page.locator('.el-select__wrapper', { has: page.locator('#' + id) }).click();
  await page.locator('.org-select__popper .el-select-dropdown__item:visible', { hasText: new RegExp(`^${name}$`) }).click();
}

/* ---- tests ------------------------------------------------------------ */

test('download: a city user picks a district and a quarter, downloads the report as Excel and PDF', async () => {
  const page = await open('city_staff', { acceptDownloads: true });
  await menuTo(page, '统计报表');
  await page.waitForSelector('[data-test=report-table] .el-table__row');
  await pickOrg(page, 'report-org', DISTRICT);
  await page.locator('[data-test=report-quarter] label', { hasText: '第三季度' }).click();
  await page.click('[data-test=report-run]');
  await page.waitForSelector(`text=${DISTRICT} 2026 年第 3 季度`);

  // Excel: the server's name for it, a zip whose sheets are the report's
  const xhref = await page.locator('[data-test=report-xlsx]').getAttribute('href');
  assert.match(xhref, /period=2026Q3/);
  const x = await download(page, '[data-test=report-xlsx]');
  const same = await sameSession(page, xhref);
  assert.equal(x.name, dispositionName(same.headers['content-disposition']), 'named as Content-Disposition says');
  assert.match(x.name, /2026Q3.*\.xlsx$/, 'the name ends in .xlsx and names the quarter: ' + x.name);
  assert.ok(isZip(x.buf), 'an xlsx is a zip (PK\\x03\\x04)');
  const rep = (await sameSession(page, `/api/v1/reports/quarterly?org_id=${xhref.match(/org_id=(\d+)/)[1]}&period=2026Q3`)).json;
  assert.ok(rep.units.length >= 2 && rep.total.households.by_status.active > 0, 'the demo district has streets and archives');
  const wb = readXlsx(x.file);
  assert.deepEqual(wb.sheets.map((s) => s.name), ['户数与类别', '新增与退出', '帮扶项目', '资金', '走访与案件', '逾期事项', '就业服务', '爱心卡', '线索与临时救助', '互助保障', '活动与外联']);
  const hh = wb.sheets[0];
  assert.equal(hh.cells.A1.v, `${DISTRICT} 2026年第三季度困难职工帮扶统计表`);
  for (const head of ['期末各状态户数', '期末在档户：按困难类别', '期末在档户：按致困原因（可多选）'])
    assert.ok(Object.values(hh.cells).some((c) => c.v === head), 'section header ' + head);
  // figures: a street's archives in the file and in the JSON; the totals too
  const u0 = rep.units[0];
  assert.equal(lookup(hh, 4, '在档', u0.name), u0.households.by_status.active, `${u0.name}: 在档`);
  assert.equal(lookup(hh, 4, '在档', '合计'), rep.total.households.by_status.active, '合计 在档');
  assert.equal(lookup(wb.sheets[3], 3, '期末余额（元）', '合计'), rep.total.funds.balance_fen / 100, '合计 期末余额（元）');
  assert.ok(rep.total.funds.balance_fen > 0, 'a balance that is not zero is compared');

  // PDF: "正在生成…" while the server works (the request is held here until seen), then the file
  let release;
  const held = new Promise((r) => (release = r));
  const isPdf = (u) => u.pathname.endsWith('/reports/quarterly.pdf');
  await page.route(isPdf, async (route) => {
    await held;
    await route.continue();
  });
  const phref = await page.locator('[data-test=report-pdf]').getAttribute('href');
  const p = await download(page, '[data-test=report-pdf]', async () => {
    await page.locator('[data-test=report-pdf] [data-test=download-state]', { hasText: '正在生成' }).waitFor();
    assert.equal(await page.locator('[data-test=report-pdf]').getAttribute('aria-busy'), 'true');
    release();
  });
  await page.unroute(isPdf);
  assert.equal(await page.locator('[data-test=report-pdf]').innerText(), '下载 PDF', 'the button is back');
  assert.equal(p.name, dispositionName((await sameSession(page, phref)).headers['content-disposition']));
  assert.match(p.name, /2026Q3.*\.pdf$/, p.name);
  assert.equal(p.buf.subarray(0, 5).toString('latin1'), '%PDF-');
  const t = spawnSync('pdftotext', ['-layout', p.file, '-'], { encoding: 'utf8' });
  assert.equal(t.status, 0, t.stderr);
  assert.ok(t.stdout.includes(`${DISTRICT} 2026年第三季度困难职工帮扶统计报告`), 'the report title');
  // a unit name may wrap in its table cell: its first six characters stand in one piece
  for (const u of rep.units) assert.ok(t.stdout.includes(u.name.slice(0, 6)), 'unit ' + u.name);
  await close(page);
});

test('download: a refused file is told in Chinese, not saved', async () => {
  const page = await open('d1_viewer', { acceptDownloads: true });
  const saved = [];
  page.on('download', (d) => saved.push(d.suggestedFilename()));
  await page.goto(URL0 + '/reports');
  await page.waitForSelector('[data-test=report-table] .el-table__row');
  // the server refuses a quarter that does not exist (422): ask for one through the button's request
  const isXlsx = (u) => u.pathname.endsWith('/reports/quarterly.xlsx');
  await page.route(isXlsx, (route) => route.continue({ url: route.request().url().replace(/period=\w+/, 'period=2026Q9') }));
  await page.click('[data-test=report-xlsx]');
  const msg = page.locator('.el-message--error');
  await msg.waitFor();
  assert.match(await msg.innerText(), /[\u4e00-\u9fff]/, 'the error is Chinese');
  await page.locator('[data-test=report-xlsx]', { hasText: '下载 Excel' }).waitFor();
  assert.deepEqual(saved, [], 'nothing was saved');
  await close(page);
});

test('download: the households list exported with a status filter has the list\'s rows, IDs masked', async () => {
  const page = await open('d1_viewer', { acceptDownloads: true });
  await householdsOfStatus(page, '在档', 'active');
  const all = [];
  for (let off = 0, n = 1; off < n; off += 500) {
    const r = (await api('d1_viewer', 'GET', `/households?status=active&limit=500&offset=${off}`)).body;
    all.push(...r.items);
    n = r.total;
  }
  assert.ok(all.length > 20, 'more than a page of active archives');
  await page.locator('.el-pagination__total', { hasText: String(all.length) }).waitFor();
  // a filter changed but not yet applied does not change what is exported: the list on screen is
  await pickOption(page, 'f-status', '草稿');
  await page.keyboard.press('Escape');
  assert.match(await page.locator('[data-test=hh-export]').getAttribute('href'), /status=active/);

  const x = await download(page, '[data-test=hh-export]');
  assert.match(x.name, /\.xlsx$/);
  assert.ok(isZip(x.buf));
  const sheet = readXlsx(x.file).sheets[0];
  assert.match(sheet.cells.A2.v, /状态：在档/, 'the filter line');
  const heads = Object.fromEntries(Object.entries(sheet.cells).filter(([k]) => rowOf(k) === 3).map(([k, c]) => [c.v, col(k)]));
  const data = [...new Set(Object.keys(sheet.cells).map(rowOf))].filter((r) => r > 3).sort((a, b) => a - b);
  assert.equal(data.length, all.length, 'one data row per archive of the list\'s total');
  const ids = data.map((r) => sheet.cells[heads['档案ID'] + r].v);
  assert.deepEqual(ids, all.map((h) => h.id), 'the archives of the list, in its order');
  for (const r of data) {
    assert.equal(sheet.cells[heads['档案状态'] + r].v, '在档', 'row ' + r);
    assert.match(sheet.cells[heads['身份证号'] + r].v, /^\d{6}\*{8}[\dX]{4}$/, 'ID masked, row ' + r);
  }
  const full = Object.values(sheet.cells).filter((c) => /\d{17}[\dX]/.test(String(c.v)));
  assert.deepEqual(full, [], 'no full ID number in any cell');
  await close(page);
});

test('download: no script errors', () => {
  assert.deepEqual(pageErrors, []);
});
