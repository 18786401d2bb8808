// Browser tests of the bangfu web UI: node --test web/tests/
// Needs a running server with the demo data (bangfu init --demo) that serves the UI
// (or web/tools/serve.mjs in front of it) at BANGFU_UI_URL, and Debian's chromium.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { URL0, PW, CLOCK, pageErrors, useBrowser, api, dropTokens, open, login, close, field, householdsOfStatus, menuTo, menuText, SHOTS, shot } from './browser.mjs';


useBrowser();
before(() => {
  fs.mkdirSync(SHOTS, { recursive: true });
});

/* ---- helpers ---------------------------------------------------------- */

async function buttons(page, sel) {
  await page.waitForSelector(sel, { state: 'attached' });
  return (await page.locator(sel + ' button').allInnerTexts()).map((s) => s.replace(/\s+/g, ''));
}
const menu = menuText;
function randomId() {
  // 330102 + birth date + 3-digit sequence + GB 11643 check character
  const y = 1965 + Math.floor(Math.random() * 30), m = 1 + Math.floor(Math.random() * 12), d = 1 + Math.floor(Math.random() * 28);
  const p = (n, w) => String(n).padStart(w, '0');
  const s17 = '330102' + y + p(m, 2) + p(d, 2) + p(Math.floor(Math.random() * 1000), 3);
  const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += +s17[i] * W[i];
  return s17 + '10X98765432'[sum % 11];
}
/** Moves the server's clock to `date` (YYYY-MM-DD); idle sessions end, so tokens are dropped. */
function setClock(date) {
  assert.ok(CLOCK, 'BANGFU_UI_CLOCK_FILE (tests/run-ui.sh serves with --clock-file)');
  fs.writeFileSync(CLOCK, date + '\n');
  dropTokens();
}
const dayAfter = (d) => new Date(Date.parse(d + 'T00:00:00Z') + 86400000).toISOString().slice(0, 10);
async function waitStatus(page, sel, text) {
  await page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent.trim() === t, [sel, text]);
}
async function firstHousehold(user, params) {
  const r = await api(user, 'GET', '/households?limit=1&' + params);
  assert.equal(r.status, 200);
  assert.ok(r.body.items.length, 'a demo household with ' + params);
  return r.body.items[0];
}
async function hhActions(page, id) {
  await page.goto(`${URL0}/households/${id}`);
  await page.waitForSelector('[data-test=hh-status]');
  // the workflow's actions (查看完整信息 is not a step; reveal.test.mjs)
  return (await buttons(page, '[data-test=hh-actions]')).filter((b) => !b.includes('完整信息'));
}

/* ---- tests ------------------------------------------------------------ */

test('login page: wrong password is refused in Chinese, good one enters', async () => {
  const page = await open(null);
  await page.goto(URL0 + '/dashboard');
  await page.waitForURL(/\/login/);
  await shot(page, 'login');
  await page.fill('#username', 's1_viewer');
  await page.fill('#password', 'wrong-password-1');
  await page.click('[data-test=login-submit]');
  const err = await page.locator('[data-test=login-error]').innerText();
  assert.match(err, /[\u4e00-\u9fff]/, 'error message is Chinese');
  await login(page, 's1_viewer');
  assert.equal(await page.locator('[data-test=user-role]').innerText(), '查看');
  // reload keeps the session (GET /me)
  await page.reload();
  await page.waitForSelector('[data-test=user-name]');
  assert.match(page.url(), /\/dashboard/);
  await page.click('[data-test=logout]');
  await page.waitForURL(/\/login/);
  await close(page);
});

test('each role sees its own menu and only the actions of its role', async () => {
  const submitted = await firstHousehold('s1_staff', 'status=submitted');
  const active = await firstHousehold('s1_staff', 'status=active');
  const want = {
    s1_staff: { role: '经办人', submitted: [], active: ['编辑', '动态调整'], newMenu: true, audit: false },
    s1_reviewer: { role: '审核人', submitted: ['审核', '退回'], active: ['动态调整'], newMenu: false, audit: false },
    s1_approver: { role: '审批人', submitted: ['退回'], active: ['退出'], newMenu: false, audit: false },
    s1_finance: { role: '财务', submitted: [], active: [], newMenu: false, audit: false },
    s1_viewer: { role: '查看', submitted: [], active: [], newMenu: false, audit: true },
    admin: { role: '管理员', submitted: [], active: ['编辑'], newMenu: true, audit: true },
  };
  for (const [user, w] of Object.entries(want)) {
    const page = await open(user);
    assert.equal(await page.locator('[data-test=user-role]').innerText(), w.role, user);
    const m = await menu(page);
    assert.equal(m.includes('新建档案'), w.newMenu, `${user}: 新建档案 in menu`);
    assert.equal(m.includes('审计日志'), w.audit, `${user}: 审计日志 in menu`);
    assert.equal(m.includes('用户管理'), user === 'admin', `${user}: 用户管理 in menu`);
    assert.equal(m.includes('导入普查表'), w.newMenu, `${user}: 导入普查表 in menu`);
    assert.equal(m.includes('新建申请'), w.newMenu, `${user}: 新建申请 in menu`);
    assert.ok(m.includes('统计报表'), `${user}: 统计报表 in menu`);
    assert.deepEqual(await hhActions(page, submitted.id), w.submitted, `${user} on a submitted archive`);
    assert.deepEqual(await hhActions(page, active.id), w.active, `${user} on an active archive`);
    if (user === 's1_reviewer') await shot(page, 'household-detail-reviewer');
    await close(page);
  }
});

let entered = null; // the archive walked through all five steps, used by the application test
test('an archive goes through all five steps (submit, verify, publish, approve, enter) with two users', async () => {
  const idn = randomId();
  const spouse = randomId();
  const name = '测试' + idn.slice(-4);
  // 1. staff creates the archive in the form, with live checks
  let page = await open('s1_staff');
  await page.goto(URL0 + '/households/new');
  await page.waitForSelector('[data-test=hh-form]');
  await field(page, 'hh-name').fill(name);
  const bad = idn.slice(0, 17) + (idn[17] === '0' ? '1' : '0');
  await field(page, 'hh-id').fill(bad);
  await field(page, 'hh-id').blur();
  await page.waitForSelector('text=校验位错误');
  await field(page, 'hh-id').fill(idn);
  await field(page, 'hh-id').blur();
  const info = await page.locator('[data-test=hh-id-info]').innerText();
  assert.ok(info.includes(`${idn.slice(6, 10)}-${idn.slice(10, 12)}-${idn.slice(12, 14)}`), 'birth date from the ID: ' + info);
  assert.ok(info.includes(+idn[16] % 2 ? '男' : '女'), 'sex from the ID');
  await field(page, 'hh-income').fill('600');
  await page.locator('[data-test=hh-causes]').getByText('收入低').click();
  await page.click('[data-test=add-member]');
  await page.locator('input[aria-label="成员1姓名"]').fill('测试配偶');
  await page.locator('input[aria-label="成员1身份证号"]').fill(spouse);
  await page.locator('.el-select__wrapper', { has: page.locator('input[aria-label="成员1与户主关系"]') }).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '配偶' }).click();
  await page.locator('input[aria-label="成员1月收入（元）"]').fill('300.5');
  await page.locator('input[aria-label="成员1月收入（元）"]').blur();
  // 600 + 300.50 = 900.50 over two people → 450.25
  await page.waitForFunction(() => document.querySelector('[data-test=hh-percapita]')?.textContent === '450.25');
  assert.equal(await page.locator('[data-test=hh-suggested]').innerText(), '低保户');
  await shot(page, 'household-form');
  await page.click('[data-test=hh-save]');
  await page.waitForURL(/\/households\/\d+$/);
  const hid = Number(page.url().match(/(\d+)$/)[1]);
  assert.equal(await page.locator('[data-test=hh-status]').innerText(), '草稿');
  // 2. submit
  await page.click('[data-test=act-submit]');
  await page.click('[data-test=action-confirm]');
  await page.waitForFunction(() => document.querySelector('[data-test=hh-status]')?.textContent.trim() === '待审核');
  // 3. home visit (入户核查)
  await page.click('[data-test=add-visit]');
  await field(page, 'visit-notes').fill('入户核查：家庭情况属实，夫妻二人收入低。');
  await page.click('[data-test=visit-save]');
  await page.waitForSelector('[data-test=visits-table] >> text=入户核查：家庭情况属实');
  await close(page);

  // 4. reviewer verifies, category confirmed
  page = await open('s1_reviewer');
  assert.deepEqual(await hhActions(page, hid), ['审核', '退回']);
  await page.click('[data-test=act-verify]');
  await page.waitForSelector('[data-test=verify-category]');
  await shot(page, 'household-verify-dialog');
  await page.click('[data-test=action-confirm]');
  await page.waitForFunction(() => document.querySelector('[data-test=hh-status]')?.textContent.trim() === '已审核');
  await close(page);

  // 5. staff publishes (公示)
  page = await open('s1_staff');
  assert.ok((await hhActions(page, hid)).includes('公示'));
  await page.click('[data-test=act-publish]');
  await page.waitForSelector('text=公示截止日');
  await page.click('[data-test=action-confirm]');
  await page.waitForFunction(() => document.querySelector('[data-test=hh-status]')?.textContent.trim() === '公示中');
  await page.locator('.el-tabs__item', { hasText: '流程记录' }).click();
  const trail = await page.locator('[data-test=hh-timeline]').innerText();
  for (const s of ['建档', '提交申请', '审核', '公示']) assert.ok(trail.includes(s), 'trail has ' + s);
  await close(page);

  // 6. the approver sees 审批 but is told the notice period is still running
  const h = (await api('s1_approver', 'GET', '/households/' + hid)).body;
  assert.equal(h.status, 'in_notice');
  assert.equal(h.category, 'dibao');
  page = await open('s1_approver');
  assert.deepEqual(await hhActions(page, hid), ['审批', '退回']);
  await page.waitForSelector(`text=公示期至 ${h.notice_end}`);
  await close(page);

  // 7. the notice period passes: the approver approves (审批)
  setClock(dayAfter(h.notice_end));
  page = await open('s1_approver');
  assert.deepEqual(await hhActions(page, hid), ['审批', '退回']);
  assert.equal(await page.locator(`text=公示期至 ${h.notice_end}`).count(), 0, 'no notice-period hint any more');
  await page.click('[data-test=act-approve]');
  await page.click('[data-test=action-confirm]');
  await waitStatus(page, '[data-test=hh-status]', '已审批');
  await close(page);

  // 8. staff enters it (录入): an archive number, active
  page = await open('s1_staff');
  assert.deepEqual(await hhActions(page, hid), ['录入']);
  await page.click('[data-test=act-enter]');
  await page.click('[data-test=action-confirm]');
  await waitStatus(page, '[data-test=hh-status]', '在档');
  const done = (await api('s1_staff', 'GET', '/households/' + hid)).body;
  assert.equal(done.status, 'active');
  assert.match(done.archive_no, /^\d{15}$/);
  await page.waitForSelector(`text=${done.archive_no}`);
  await page.locator('.el-tabs__item', { hasText: '流程记录' }).click();
  const trail2 = await page.locator('[data-test=hh-timeline]').innerText();
  for (const s of ['审批', '录入']) assert.ok(trail2.includes(s), 'trail has ' + s);
  await close(page);
  entered = { id: hid, name };
});

test('a refused save keeps what the user typed and shows the field error', async () => {
  const taken = await firstHousehold('s1_staff', 'status=active');
  const full = (await api('s1_staff', 'POST', '/households/' + taken.id + '/reveal', { reason: '测试重复建档' })).body;
  full.org_name = taken.org_name;
  const page = await open('s1_staff');
  await page.goto(URL0 + '/households/new');
  await field(page, 'hh-name').fill('重复测试');
  await field(page, 'hh-id').fill(full.id_number);
  await field(page, 'hh-income').fill('1234.5');
  await page.click('[data-test=hh-save]');
  await page.locator('.el-form-item__error', { hasText: full.org_name }).waitFor();
  assert.match(page.url(), /\/households\/new$/);
  assert.equal(await field(page, 'hh-name').inputValue(), '重复测试');
  assert.equal(await field(page, 'hh-income').inputValue(), '1234.50');
  await close(page);
});

test('an application is filed, verified, approved, disbursed and receipted, each by its role', async () => {
  assert.ok(entered, 'the archive of the five-step test is active');
  let page = await open('s1_staff');
  await page.goto(`${URL0}/applications/new?household_id=${entered.id}`);
  await page.waitForSelector('[data-test=app-form]');
  await page.waitForSelector(`text=${entered.name}`);
  await page.click('[data-test=app-program]');
  await page.locator('.el-select-dropdown__item:visible', { hasText: '生活救助' }).click();
  const docs = page.locator('[data-test=app-docs] .el-checkbox');
  const n = await docs.count();
  assert.ok(n > 0, 'the programme lists its documents');
  for (let i = 0; i < n - 1; i++) await docs.nth(i).click(); // one document still missing
  await field(page, 'app-amount').fill('300');
  await field(page, 'app-reason').fill('夫妻二人收入低，申请生活救助');
  await shot(page, 'application-form');
  await page.click('[data-test=app-save]');
  await page.waitForURL(/\/applications\/\d+$/);
  const aid = Number(page.url().match(/(\d+)$/)[1]);
  assert.equal(await page.locator('[data-test=app-status]').innerText(), '已申请');
  assert.deepEqual(await buttons(page, '[data-test=app-actions]'), ['撤回']);
  await close(page);

  // the reviewer is refused while a document is missing, told which one in Chinese
  page = await open('s1_reviewer');
  await page.goto(`${URL0}/applications/${aid}`);
  await page.waitForSelector('[data-test=app-status]');
  assert.deepEqual(await buttons(page, '[data-test=app-actions]'), ['查验', '驳回']);
  await page.click('[data-test=app-act-verify]');
  await page.click('[data-test=app-action-confirm]');
  await page.locator('.el-message--error', { hasText: '缺少材料' }).waitFor();
  assert.equal(await page.locator('[data-test=app-status]').innerText(), '已申请');
  await close(page);
  const app1 = (await api('s1_staff', 'GET', '/applications/' + aid)).body;
  const missing = app1.missing_documents;
  assert.equal(missing.length, 1);
  // staff withdraws it and files again with every document; verification passes
  page = await open('s1_staff');
  await page.goto(`${URL0}/applications/${aid}`);
  await page.waitForSelector('[data-test=app-status]');
  await page.click('[data-test=app-act-withdraw]');
  await page.click('[data-test=app-action-confirm]');
  await waitStatus(page, '[data-test=app-status]', '已撤回');
  await close(page);
  // filed again with every document (the API; the form was shown above)
  const again = await api('s1_staff', 'POST', '/applications', {
    household_id: entered.id, program_code: 'living', member_id: null, requested_fen: 30000,
    reason: '夫妻二人收入低，申请生活救助', documents: missing.concat(app1.documents),
  });
  assert.equal(again.status, 201, JSON.stringify(again.body));
  const id = again.body.id;


  page = await open('s1_reviewer');
  await page.goto(`${URL0}/applications/${id}`);
  await page.click('[data-test=app-act-verify]');
  await page.click('[data-test=app-action-confirm]');
  await waitStatus(page, '[data-test=app-status]', '已查验');
  await close(page);

  // finance sees no button on a verified application; the street approver approves
  page = await open('d1_finance');
  await page.goto(`${URL0}/applications/${id}`);
  await page.waitForSelector('[data-test=app-status]');
  assert.deepEqual(await buttons(page, '[data-test=app-actions]'), []);
  await close(page);
  page = await open('s1_approver');
  await page.goto(`${URL0}/applications/${id}`);
  assert.deepEqual(await buttons(page, '[data-test=app-actions]'), ['批准', '驳回']);
  await page.click('[data-test=app-act-approve]');
  await field(page, 'approve-amount').fill('300');
  await page.click('[data-test=app-action-confirm]');
  await waitStatus(page, '[data-test=app-status]', '已批准');
  await close(page);

  // finance pays from an account it holds; the ledger shows the payment
  page = await open('d1_finance');
  await page.goto(`${URL0}/applications/${id}`);
  assert.deepEqual(await buttons(page, '[data-test=app-actions]'), ['发放']);
  const acct = (await api('d1_finance', 'GET', '/fund-accounts')).body.items[0];
  await page.click('[data-test=app-act-disburse]');
  await page.click('[data-test=disburse-account]');
  await page.locator('.el-select-dropdown__item:visible', { hasText: acct.name }).click();
  await page.click('[data-test=app-action-confirm]');
  await waitStatus(page, '[data-test=app-status]', '已发放');
  await close(page);
  const after = (await api('d1_finance', 'GET', '/fund-accounts/' + acct.id)).body;
  assert.equal(after.balance_fen, acct.balance_fen - 30000, 'the account paid 300 元');

  // staff records the signed receipt
  page = await open('s1_staff');
  await page.goto(`${URL0}/applications/${id}`);
  assert.deepEqual(await buttons(page, '[data-test=app-actions]'), ['签收']);
  await page.click('[data-test=app-act-receipt]');
  assert.equal(await field(page, 'signed-by').inputValue(), entered.name, 'the worker signs by default');
  await page.click('[data-test=app-action-confirm]');
  await waitStatus(page, '[data-test=app-status]', '已签收');
  const steps = await page.locator('[data-test=five-steps] .is-success').count();
  assert.ok(steps >= 4, 'the five steps up to 有签收 are done: ' + steps);
  await shot(page, 'application-detail');
  await close(page);
  const fin = (await api('s1_staff', 'GET', '/applications/' + id)).body;
  assert.equal(fin.status, 'receipted');
  assert.equal(fin.disbursed_fen, 30000);
});

function censusCsv(rows) {
  const head = '户主身份证号,姓名,身份证号,与户主关系,月收入(元),健康状况,就学阶段,联系电话,工作单位,家庭住址,致困原因';
  return Buffer.from([head, ...rows.map((r) => r.join(','))].join('\n') + '\n', 'utf8');
}
test('an import with an error row: dry run shows the row and column, the fixed file is imported', async () => {
  const w1 = randomId(), w2 = randomId(), kid = randomId();
  const badKid = kid.slice(0, 17) + (kid[17] === '1' ? '2' : '1');
  const rows = (k) => [
    [w1, '导入甲', w1, '本人', '900', '良好', '无', '13800138001', '某机械厂', '湖滨路1号', '收入低'],
    [w2, '导入乙', w2, '本人', '700.5', '慢性病', '无', '13800138002', '某纺织厂', '湖滨路2号', '本人患病、收入低'],
    [w2, '导入乙子', k, '子女', '0', '良好', '初中', '', '', '', ''],
  ];
  const page = await open('s1_staff');
  await menuTo(page, '导入普查表');
  await page.waitForURL(/\/imports$/);
  await page.setInputFiles('[data-test=import-file]', { name: '普查表.csv', mimeType: 'text/csv', buffer: censusCsv(rows(badKid)) });
  assert.ok(await page.locator('[data-test=import-confirm]').isDisabled(), 'nothing to confirm before a check');
  await page.click('[data-test=import-check]');
  const errRow = page.locator('[data-test=import-errors] .el-table__row');
  await errRow.first().waitFor();
  assert.equal(await errRow.count(), 1);
  const cells = (await errRow.first().locator('td').allInnerTexts()).map((x) => x.trim());
  assert.equal(cells[0], '4', 'row 4 of the file (header is row 1)');
  assert.equal(cells[1], '身份证号');
  assert.match(cells[2], /校验位/);
  assert.ok(await page.locator('[data-test=import-confirm]').isDisabled(), 'a file with errors cannot be imported');
  await shot(page, 'import-errors');
  // fixed and checked again, then confirmed
  await page.setInputFiles('[data-test=import-file]', { name: '普查表.csv', mimeType: 'text/csv', buffer: censusCsv(rows(kid)) });
  await page.click('[data-test=import-check]');
  await page.locator('[data-test=import-report]', { hasText: '检查通过' }).waitFor();
  assert.equal(await page.locator('[data-test=import-households]').innerText(), '2');
  assert.equal(await page.locator('[data-test=import-people]').innerText(), '3');
  assert.equal((await api('s1_staff', 'POST', '/households/search', { id_number: w2 })).body.items?.length ?? 0, 0, 'a dry run imports nothing');
  await page.click('[data-test=import-confirm]');
  await page.locator('[data-test=import-report]', { hasText: '已导入' }).waitFor();
  await close(page);
  const found = (await api('s1_staff', 'POST', '/households/search', { id_number: w2 })).body;
  const h = (await api('s1_staff', 'GET', '/households/' + found.items[0].id)).body;
  assert.equal(h.status, 'draft');
  assert.equal(h.name, '导入乙');
  assert.equal(h.household_size, 2);
});

test('reports: pick a unit and a quarter, see the table and the charts', async () => {
  const page = await open('d1_viewer');
  await menuTo(page, '统计报表');
  await page.waitForSelector('[data-test=report-table] .el-table__row');
  await page.locator('[data-test=report-quarter] label', { hasText: '第二季度' }).click();
  await page.click('[data-test=report-run]');
  await page.waitForSelector('text=2026 年第 2 季度');
  const me = (await api('d1_viewer', 'GET', '/me')).body;
  const rep = (await api('d1_viewer', 'GET', `/reports/quarterly?org_id=${me.org_id}&period=2026Q2`)).body;
  const rows = page.locator('[data-test=report-table] .el-table__body-wrapper .el-table__row');
  assert.equal(await rows.count(), rep.units.length + 1, 'one row per child unit and a total');
  const last = (await rows.last().locator('td').allInnerTexts()).map((x) => x.trim());
  assert.equal(last[0], '合计');
  assert.equal(last[1], String(rep.total.households.by_status.active || 0));
  // cases, employment and cards: a table each, one row per unit and 合计 as the JSON's total
  for (const [key, figs] of [
    ['cases', (t) => [t.received, t.finished, t.closed, `${(t.closure_rate * 100).toFixed(1)}%`, t.recovered_fen]],
    ['employment', (t) => [t.seekers_registered, t.referrals, t.hired, t.trainings, t.trained, t.reemployed_exits]],
    ['cards', (t) => [t.issued, t.active, t.purchases, t.union_fen, t.partner_fen]],
  ]) {
    const trs = page.locator(`[data-test=report-${key}] .el-table__body-wrapper .el-table__row`);
    assert.equal(await trs.count(), rep.units.length + 1, `${key}: one row per child unit and a total`);
    const cells = (await trs.last().locator('td').allInnerTexts()).map((x) => x.trim());
    const want = figs(rep.total[key]);
    assert.equal(cells[0], '合计');
    // money columns show yuan (fen ÷ 100): compared as numbers without the thousands separators
    const num = (x) => Number(String(x).replace(/[,%]/g, ''));
    const fenCols = { cases: [4], employment: [], cards: [3, 4] }[key];
    want.forEach((v, i) => assert.equal(num(cells[i + 1]), fenCols.includes(i) ? num(v) / 100 : num(v), `${key} total column ${i + 1}`));
  }
  // the charts load when they come into view
  await page.locator('.chart-box').last().scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelectorAll('[data-test=report-chart] canvas').length === 2);
  assert.ok(await page.locator('[data-test=report-xlsx]').getAttribute('href').then((h) => h.includes('period=2026Q2')));
  await shot(page, 'reports');
  await close(page);
});

test('a password set by an admin: the user is asked to change it after login, and may do it later', async () => {
  const u = (await api('admin', 'GET', '/users?limit=500')).body.items.find((x) => x.username === 'city_viewer');
  assert.ok(u, 'demo user city_viewer');
  let page = await open('admin');
  await page.goto(URL0 + '/admin/users');
  await page.waitForSelector('[data-test=users-table] .el-table__row');
  await shot(page, 'admin-users');
  await close(page);
  assert.equal((await api('admin', 'PATCH', '/users/' + u.id, { password: 'Reset2026abc' })).status, 200);
  page = await open(null);
  await login(page, 'city_viewer', 'Reset2026abc');
  const dlg = page.locator('[data-test=password-dialog]');
  await dlg.locator('text=请修改初始密码').waitFor();
  await shot(page, 'password-change');
  await page.click('[data-test=pw-later]'); // not blocking
  await page.goto(URL0 + '/households');
  await page.waitForSelector('[data-test=hh-table] .el-table__row');
  await page.click('[data-test=change-password]');
  await field(page, 'pw-old').fill('Reset2026abc');
  await field(page, 'pw-new').fill('short1');
  await field(page, 'pw-again').fill('short1');
  await page.click('[data-test=pw-save]');
  await dlg.locator('.el-form-item__error').first().waitFor();
  assert.equal(await field(page, 'pw-old').inputValue(), 'Reset2026abc', 'nothing typed is lost');
  await field(page, 'pw-new').fill('Mine2026abcd');
  await field(page, 'pw-again').fill('Mine2026abcd');
  await page.click('[data-test=pw-save]');
  await dlg.waitFor({ state: 'hidden' });
  await close(page);
  page = await open(null);
  await login(page, 'city_viewer', 'Mine2026abcd');
  await page.waitForTimeout(300);
  assert.equal(await page.locator('[data-test=password-dialog]:visible').count(), 0, 'not asked again');
  await close(page);
});

/** Visible form controls without an accessible name (aria-label, aria-labelledby, <label for>, a wrapping label). */
async function unlabelled(page) {
  return page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('input, textarea, select')) {
      if (el.type === 'hidden' || el.type === 'radio' || el.type === 'checkbox' && el.closest('label')) continue;
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
      const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.closest('label') ||
        (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent.trim()) || el.title;
      if (!named) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
}

test('keyboard and labels: log in with the keyboard only; every input of the main forms has a label', async () => {
  const page = await open(null);
  await page.goto(URL0 + '/login');
  await page.focus('#username');
  await page.keyboard.type('s1_staff');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'password', 'Tab goes from user name to password');
  await page.keyboard.type(PW);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/dashboard/);
  await page.waitForSelector('[data-test=user-name]');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), '跳到主要内容', 'the first Tab offers to skip the menu');
  for (const [url, ready] of [['/households', '[data-test=hh-table]'], ['/households/new', '[data-test=hh-form]'], ['/imports', '[data-test=import-file]'], ['/reports', '[data-test=report-table]'], ['/applications', '[data-test=app-table]']]) {
    await page.goto(URL0 + url);
    await page.waitForSelector(ready);
    assert.deepEqual(await unlabelled(page), [], url + ': inputs without a label');
  }
  // the phone-sized visit form too
  await page.setViewportSize({ width: 390, height: 844 });
  const hh = await firstHousehold('s1_staff', 'status=active');
  await page.goto(`${URL0}/households/${hh.id}`);
  await page.click('[data-test=add-visit]');
  await page.waitForSelector('[data-test=visit-notes]');
  assert.deepEqual(await unlabelled(page), [], 'visit form: inputs without a label');
  await close(page);
});

test('households list: filter by status, masked IDs, paging; dashboard to-do with overdue first', async () => {
  const page = await open('s1_reviewer');
  const rows = page.locator('[data-test=todo-table] .el-table__body-wrapper .el-table__row');
  await rows.first().waitFor();
  const flags = (await rows.allInnerTexts()).map((t) => t.includes('已超时'));
  assert.ok(flags.length > 0, 'the reviewer has things to do');
  assert.deepEqual(flags, [...flags].sort((a, b) => b - a), 'overdue items come first');
  assert.ok((await rows.allInnerTexts()).some((t) => t.includes('档案待审核')));
  await householdsOfStatus(page, '在档', 'active');
  const total = (await api('s1_reviewer', 'GET', '/households?status=active&limit=1')).body.total;
  assert.ok(total > 20, 'more than one page of active archives');
  await page.locator('.el-pagination__total', { hasText: String(total) }).waitFor();
  const first = await page.locator('[data-test=hh-table] .el-table__row').allInnerTexts();
  assert.equal(first.length, 20);
  for (const r of first) {
    assert.ok(r.includes('在档'), 'filtered by status: ' + r);
    assert.match(r, /\d{6}\*{8}[\dX]{4}/, 'ID masked');
    assert.doesNotMatch(r, /\d{17}[\dX]/, 'no full ID number');
  }
  await page.locator('.el-pager li', { hasText: /^2$/ }).click();
  await page.waitForURL(/page=2/);
  await page.waitForFunction((t) => document.querySelector('[data-test=hh-table] .el-table__row')?.innerText !== t, first[0]);
  const p2 = (await api('s1_reviewer', 'GET', '/households?status=active&limit=20&offset=20')).body.items[0];
  assert.ok((await page.locator('[data-test=hh-table] .el-table__row').first().innerText()).includes(p2.name), 'page 2 shows the API\'s second page');
  await close(page);
});

test('main screens render (screenshots)', async () => {
  const page = await open('city_staff');
  await page.waitForSelector('[data-test=stat-active]');
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-test=stat-active]').textContent));
  await page.waitForTimeout(1500);
  await shot(page, 'dashboard');
  await page.goto(URL0 + '/households?status=active');
  await page.waitForSelector('[data-test=hh-table] .el-table__row');
  const masked = await page.locator('[data-test=hh-table] .el-table__row').first().innerText();
  assert.match(masked, /\d{6}\*{8}\w{4}/, 'ID numbers are masked in the list');
  await shot(page, 'households');
  await page.goto(URL0 + '/applications');
  await page.waitForSelector('[data-test=app-table] .el-table__row');
  await shot(page, 'applications');
  await close(page);
  const fin = await open('city_finance');
  await fin.goto(URL0 + '/funds');
  await fin.waitForSelector('[data-test=accounts-table] .el-table__row');
  await shot(fin, 'funds');
  await fin.goto(URL0 + '/campaigns');
  await fin.waitForSelector('[data-test=campaign-table] .el-table__row');
  await shot(fin, 'campaigns');
  await close(fin);
  const adm = await open('admin');
  await adm.goto(URL0 + '/admin/orgs');
  await adm.waitForSelector('[data-test=org-tree] .el-tree-node');
  await shot(adm, 'admin-orgs');
  for (const [url, sel, name] of [['/admin/programs', '[data-test=programs-table] .el-table__row', 'admin-programs'], ['/admin/standards', '[data-test=standard-current]', 'admin-standards'], ['/admin/calendar', '[data-test=calendar-table]', 'admin-calendar']]) {
    await adm.goto(URL0 + url);
    await adm.waitForSelector(sel);
    await shot(adm, name);
  }
  await adm.goto(URL0 + '/audit');
  await adm.waitForSelector('[data-test=audit-table] .el-table__row');
  await shot(adm, 'audit');
  await close(adm);
});

test('phone layout (390×844): menu in a drawer, visit form usable', async () => {
  const page = await open('s1_staff', { width: 390, height: 844 });
  assert.equal(await page.locator('.aside').count(), 0, 'no fixed side menu on a phone');
  await page.waitForTimeout(800);
  await shot(page, 'mobile-dashboard');
  await page.click('[aria-label=打开菜单]');
  await page.waitForSelector('.menu-drawer .app-menu');
  await shot(page, 'mobile-menu');
  await menuTo(page, '档案列表');
  await page.waitForURL(/\/households/);
  const hh = await firstHousehold('s1_staff', 'status=active');
  await page.goto(`${URL0}/households/${hh.id}`);
  await page.waitForSelector('[data-test=hh-status]');
  await shot(page, 'mobile-household');
  await page.click('[data-test=add-visit]');
  await page.waitForSelector('[data-test=visit-notes]');
  const box = await page.locator('[data-test=visit-dialog] .el-dialog, .el-dialog:visible').first().boundingBox();
  assert.ok(box && box.width <= 390, 'the visit dialog fits the phone');
  await shot(page, 'mobile-visit');
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= 392, 'no horizontal scrolling of the page: ' + scroll);
  // a wide list on the phone: who, how much, which status, no sideways scrolling
  await page.keyboard.press('Escape');
  await page.goto(URL0 + '/applications');
  await page.waitForSelector('[data-test=app-table] .el-table__row');
  const wrap = await page.evaluate(() => { const w = document.querySelector('[data-test=app-table] .el-scrollbar__wrap'); return w.scrollWidth - w.clientWidth; });
  assert.ok(wrap <= 2, 'the applications list fits the phone: ' + wrap);
  await page.locator('[data-test=app-table]').scrollIntoViewIfNeeded();
  await shot(page, 'mobile-applications');
  await close(page);
});

test('a referral is made and its outcome recorded; cards and statements render', async () => {
  const seekers = (await api('s1_staff', 'GET', '/job-seekers?status=seeking&limit=500')).body.items;
  assert.ok(seekers.length > 0, 'the demo has seekers in S1');
  const page = await open('s1_staff');
  await page.goto(URL0 + '/employment');
  await page.waitForSelector('[data-test=seekers-table] .el-table__row');
  const name = seekers[0].name;
  await page.locator('[data-test=seekers-table] .el-table__row').filter({ hasText: name }).first()
    .locator('button', { hasText: '推荐' }).click();
  await page.click('[data-test=referral-vacancy]');
  await page.locator('.el-select-dropdown__item:visible').first().click();
  await page.click('[data-test=save]');
  await page.waitForSelector('.el-message--success');
  const refs = (await api('s1_staff', 'GET', `/referrals?seeker_id=${seekers[0].id}&outcome=pending`)).body.items;
  assert.equal(refs.length, 1, 'the referral was made');
  await page.locator('.el-tabs__item', { hasText: '推荐记录' }).click();
  await page.waitForSelector('[data-test=referrals-table] .el-table__row');
  await shot(page, 'employment-referrals');
  await page.locator('[data-test=referrals-table] .el-table__row').filter({ hasText: name }).filter({ hasText: '待反馈' }).first()
    .locator('[data-test=outcome-hired]').click();
  await page.waitForFunction(() => [...document.querySelectorAll('.el-message--success')].some((m) => m.textContent.includes('录用')));
  const after = (await api('s1_staff', 'GET', `/referrals/${refs[0].id}`)).body;
  assert.equal(after.outcome, 'hired');
  await close(page);

  const d1 = await open('d1_staff');
  await d1.goto(URL0 + '/cards');
  await d1.waitForSelector('[data-test=cards-table] .el-table__row');
  await shot(d1, 'cards');
  await d1.locator('.el-tabs__item', { hasText: '合作单位' }).click();
  await d1.waitForSelector('[data-test=partners-table] .el-table__row');
  await d1.locator('[data-test=partners-table] [data-test=statement]').first().click();
  await d1.waitForSelector('[data-test=statement-table] .el-table__row');
  await shot(d1, 'card-statement');
  await close(d1);
});

test('no script errors on any page', () => {
  assert.deepEqual(pageErrors, []);
});
