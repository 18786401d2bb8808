// Accessibility of every screen and every dialog, at 1366×768 and at 390×844:
// axe-core (WCAG 2.0/2.1 A and AA) injected into each page, plus the checks of
// a11y.mjs (numbers never split in tables, a cue on tables that scroll
// sideways, 24×24 px table actions, no sideways scrolling of a phone page).
// Any serious or critical finding fails.  One browser, one context per size;
// each route is visited once per size by the user who sees most on it, each
// dialog opened, audited and closed with Escape (nothing is saved).
// Same setup as ui.test.mjs (tests/run-ui.sh).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { URL0, CLOCK, pageErrors, useBrowser, api, login, browserInstance } from './browser.mjs';
import { withAxe, audit } from './a11y.mjs';

useBrowser();

const SIZES = [
  { name: '1366×768', width: 1366, height: 768 },
  { name: '390×844', width: 390, height: 844, phone: true },
];

/* fixtures: records in the first street (s1) in the state each dialog needs */
const fx = {};
async function first(user, path) {
  const r = await api(user, 'GET', path + (path.includes('?') ? '&' : '?') + 'limit=1');
  assert.equal(r.status, 200, path);
  assert.ok(r.body.items.length, 'a demo record for ' + path);
  return r.body.items[0].id;
}
before(async () => {
  fx.draft = await first('s1_staff', '/households?status=draft');
  fx.submitted = await first('s1_staff', '/households?status=submitted');
  fx.inNotice = await first('s1_staff', '/households?status=in_notice');
  fx.active = await first('s1_staff', '/households?status=active');
  fx.appSubmitted = await first('s1_staff', '/applications?status=submitted');
  fx.appDisbursed = await first('s1_staff', '/applications?status=disbursed');
  fx.appApproved = await first('d1_finance', '/applications?status=approved');
  // API.md "Found early": a watched exit and a paid emergency application of the street
  fx.watched = await first('s1_staff', '/households?monitoring=true');
  fx.emergencyPaid = await first('s1_staff', '/applications?temporary=true&follow_up_overdue=true');
  fx.plan = await first('admin', '/mutual-aid/plans');
  fx.claimSubmitted = await first('admin', '/mutual-aid/claims?status=submitted');
  fx.claimVerified = await first('admin', '/mutual-aid/claims?status=verified');
  fx.claimApproved = await first('admin', '/mutual-aid/claims?status=approved');
  // a case just received (the demo's own may all have moved on by its date)
  const me = (await api('s1_staff', 'GET', '/me')).body;
  const c = await api('s1_staff', 'POST', '/cases', { org_id: me.org_id, channel: 'hotline', category: 'consultation',
    person_name: '无障碍检查', subject: '来电咨询（无障碍检查用）' });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  fx.caseReceived = c.body.id;
  // a holiday at the end of the server's year, for the calendar's delete dialog (after every deadline of the tests)
  const year = CLOCK ? fs.readFileSync(CLOCK, 'utf8').slice(0, 4) : String(new Date().getFullYear());
  assert.equal((await api('admin', 'PUT', `/calendar/${year}-12-31`, { workday: false, note: '测试假日' })).status, 200);
});

const rows = (t) => `[data-test=${t}] .el-table__row`;
const OVERLAY = '.el-overlay:visible, .el-message-box:visible';

/**
 * What is visited, user by user.  A step: path, what shows it is ready, the
 * tabs to look at, the dialogs to open (a selector to click, or a function).
 */
const WALK = [
  { user: null, steps: [
    { path: '/login', ready: '#username', after: async (page, check) => {
      await page.click('[data-test=login-submit]'); // empty: the form's errors
      await page.waitForSelector('.el-form-item__error');
      await check('login, empty form');
    } },
  ] },
  { user: 'admin', steps: [
    { path: '/dashboard', ready: '[data-test=stat-active]', charts: 3 },
    { path: '/households', ready: rows('hh-table') },
    { path: '/households/new', ready: '[data-test=hh-form]', after: async (page, check) => {
      await page.click('[data-test=hh-save]');
      await page.waitForSelector('.el-form-item.is-error');
      await check('new archive, empty form sent');
    } },
    { path: '/households/{active}', ready: '[data-test=hh-status]', tabs: true },
    { path: '/imports', ready: '[data-test=import-file]' },
    { path: '/applications', ready: rows('app-table') },
    { path: '/applications/new', ready: '[data-test=app-form]' },
    { path: '/cases', ready: rows('case-table') },
    { path: '/cases/new', ready: '[data-test=case-form]' },
    { path: '/clues', ready: rows('clue-table'), dialogs: [`${rows('clue-table')} .el-button >> text=处理`] },
    { path: '/clues/new', ready: '[data-test=clue-form]' },
    { path: '/applications/new?program=emergency', ready: '[data-test=app-person-name]' },
    { path: '/campaigns', ready: rows('campaign-table') },
    { path: '/employment', ready: rows('seekers-table'), tabs: true,
      dialogs: ['[data-test=new-seeker]', '[data-test=new-employer]', '[data-test=new-vacancy]'] },
    { path: '/cards', ready: rows('cards-table'), tabs: true,
      dialogs: ['[data-test=new-card]', '[data-test=new-partner]', async (page) => {
        await page.locator('.el-tabs__item', { hasText: '合作单位' }).click();
        await page.locator('[data-test=partners-table] [data-test=statement]').first().click();
        await page.waitForSelector(rows('statement-table'));
      }] },
    { path: '/outreach', ready: '[data-test=calendar] [data-test=activity-chip]', tabs: true,
      dialogs: ['[data-test=new-activity]', '[data-test=activity-chip] >> nth=0', async (page) => {
        await page.locator('[data-test=activity-chip]').first().click();
        await page.click('[data-test=open-attendance]');
        await page.waitForSelector(rows('attendee-table'));
      }] },
    { path: '/outreach?tab=projects', ready: rows('projects-table'),
      dialogs: ['[data-test=new-pairing]', '[data-test=new-project]', '[data-test=project-status] >> nth=0'] },
    { path: '/reports', ready: rows('report-table'), charts: 2 },
    { path: '/mutual-aid/plans', ready: rows('plan-table'), dialogs: ['[data-test=plan-new]'] },
    { path: '/mutual-aid/plans/{plan}', ready: rows('enrol-table'),
      dialogs: ['[data-test=enrol-one]', '[data-test=enrol-import]', `${rows('enrol-table')} >> nth=0 >> .el-button >> text=申请理赔`] },
    { path: '/mutual-aid/claims', ready: rows('claim-table') },
    { path: '/admin/orgs', ready: '[data-test=org-tree] .el-tree-node',
      dialogs: ['[data-test=org-tree] .el-button >> text=添加下级', '[data-test=org-tree] .el-button >> text=修改'] },
    { path: '/admin/users', ready: rows('users-table'),
      dialogs: ['.page-head .el-button >> text=新建用户', '[data-test=users-table] .el-button >> text=修改'] },
    { path: '/admin/programs', ready: rows('programs-table'), dialogs: ['[data-test=programs-table] .el-button >> text=修改'] },
    { path: '/admin/standards', ready: '[data-test=standard-current]' },
    { path: '/admin/calendar', ready: '[data-test=calendar-table]',
      dialogs: [async (page) => {
        const del = page.locator('[data-test=calendar-table] .el-button', { hasText: '取消调整' });
        if (await del.count()) await del.first().click();
      }] },
    { path: '/audit', ready: rows('audit-table') },
    { path: '/no-such-page', ready: '.page' },
    { path: '/dashboard', ready: '[data-test=stat-active]', name: 'password dialog', dialogs: ['[data-test=change-password]'], phoneMenu: true },
  ] },
  { user: 's1_staff', steps: [
    { path: '/households/{draft}', ready: '[data-test=hh-status]', dialogs: ['[data-test=act-submit]', '[data-test=reveal-open]'] },
    { path: '/households/{inNotice}', ready: '[data-test=hh-status]', dialogs: [async (page) => {
      await page.locator('.el-tabs__item', { hasText: '公示异议' }).click();
      await page.click('[data-test=add-objection]');
    }] },
    { path: '/households/{active}', ready: '[data-test=hh-status]',
      dialogs: ['[data-test=act-review]', '[data-test=add-visit]', '[data-test=check-new]', async (page) => {
        await page.locator('.el-tabs__item', { hasText: '结对帮扶' }).click();
        await page.locator('.el-button', { hasText: '添加结对' }).click();
      }] },
    { path: '/applications/{appDisbursed}', ready: '[data-test=app-status]', dialogs: ['[data-test=app-actions] .el-button >> nth=0'] },
    { path: '/households/{watched}', ready: '[data-test=hh-monitor]', dialogs: ['[data-test=act-reopen]', '[data-test=add-visit]'] },
    { path: '/applications/{emergencyPaid}', ready: '[data-test=follow-up]', dialogs: ['[data-test=follow-up-open]'] },
    { path: '/cases/{caseReceived}', ready: '[data-test=case-status]', dialogs: ['[data-test=case-act-assign]', '[data-test=case-act-refer]'] },
    { path: '/employment', ready: rows('seekers-table'), dialogs: [`${rows('seekers-table')} .el-button >> text=推荐`] },
    { path: '/cards', ready: rows('cards-table'), dialogs: ['[data-test=buy] >> nth=0'] },
    { path: '/outreach?tab=referrals', ready: rows('referrals-table'),
      dialogs: ['[data-test=referral-outcome] >> nth=0', '[data-test=referral-follow-up] >> nth=0'] },
    { path: '/households/{active}', name: 'household referral', ready: '[data-test=new-referral]', dialogs: ['[data-test=new-referral]'] },
  ] },
  { user: 'g1_informant', steps: [
    { path: '/clues', ready: '[data-test=clue-cards]' },
    { path: '/clues/new', ready: '[data-test=clue-form]', after: async (page, check) => {
      await page.click('[data-test=clue-save]');
      await page.waitForSelector('.el-form-item.is-error');
      await check('clue form, empty form sent');
    } },
  ] },
  { user: 's1_reviewer', steps: [
    { path: '/households/{submitted}', ready: '[data-test=hh-status]', dialogs: ['[data-test=act-verify]', '[data-test=act-reject]'] },
    { path: '/applications/{appSubmitted}', ready: '[data-test=app-status]', dialogs: ['[data-test=app-actions] .el-button >> nth=0'] },
  ] },
  { user: 's1_approver', steps: [
    { path: '/households/{active}', ready: '[data-test=hh-status]', dialogs: ['[data-test=act-exit]'] },
  ] },
  { user: 'city_reviewer', steps: [
    { path: '/mutual-aid/claims/{claimSubmitted}', ready: '[data-test=claim-status]', dialogs: ['[data-test=claim-act-verify]', '[data-test=claim-act-reject]'] },
  ] },
  { user: 'city_approver', steps: [
    { path: '/mutual-aid/claims/{claimVerified}', ready: '[data-test=claim-status]', dialogs: ['[data-test=claim-act-approve]'] },
  ] },
  { user: 'city_finance', steps: [
    { path: '/mutual-aid/claims/{claimApproved}', ready: '[data-test=claim-status]', dialogs: ['[data-test=claim-act-pay]'] },
  ] },
  { user: 'd1_approver', steps: [
    { path: '/campaigns', ready: rows('campaign-table'), dialogs: ['[data-test=new-campaign]'] },
  ] },
  { user: 'd1_finance', steps: [
    { path: '/funds', ready: rows('accounts-table'),
      dialogs: ['[data-test=new-account]', '[data-test=new-transfer]', `${rows('accounts-table')} >> nth=0 >> .el-button >> text=存入`,
        `${rows('accounts-table')} >> nth=0 >> .el-button >> text=明细`] },
    { path: '/applications/{appApproved}', ready: '[data-test=app-status]', dialogs: ['[data-test=app-act-disburse]'] },
  ] },
];

const fill = (p) => p.replace(/\{(\w+)\}/g, (_, k) => fx[k]);

async function walk(size) {
  const context = await browserInstance().newContext({ viewport: { width: size.width, height: size.height }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  await withAxe(context);
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  page.on('pageerror', (e) => pageErrors.push(`a11y ${size.name}: ${e.message}`));
  const problems = [];
  const check = async (where, scope) => {
    const t0 = Date.now();
    problems.push(...(await audit(page, `${size.name} ${where}`, scope)));
    if (process.env.BANGFU_A11Y_DEBUG) console.error(`# ${size.name} ${where}: audit ${Date.now() - t0} ms, since last ${t0 - last} ms`);
    last = Date.now();
  };
  let seen = 0;
  let last = Date.now();
  for (const part of WALK) {
    if (part.user) {
      await context.clearCookies();
      await login(page, part.user);
    }
    for (const s of part.steps) {
      const path = fill(s.path);
      const where = `${part.user || 'anonymous'} ${s.name || path}`;
      await page.goto(URL0 + path);
      await page.waitForSelector(s.ready);
      if (s.charts) {
        // the charts load when they come into view: bring them there first
        await page.locator('.chart-box').last().scrollIntoViewIfNeeded();
        await page.waitForFunction((n) => document.querySelectorAll('.chart-box canvas').length === n, s.charts);
      }
      await check(where);
      seen++;
      if (s.tabs) {
        const tabs = page.locator('.el-tabs__item');
        for (let i = 1; i < (await tabs.count()); i++) {
          await tabs.nth(i).click();
          await check(`${where} tab ${(await tabs.nth(i).innerText()).trim()}`, '.el-tabs__content');
        }
        await tabs.first().click();
      }
      if (s.after) await s.after(page, check);
      if (size.phone && s.phoneMenu) {
        await page.click('[aria-label=打开菜单]');
        await page.waitForSelector('.menu-drawer .app-menu');
        await check(`${where} menu drawer`, 'dialog');
        await page.keyboard.press('Escape');
        await page.waitForSelector('.menu-drawer', { state: 'hidden' });
      }
      for (const [i, d] of (s.dialogs || []).entries()) {
        if (typeof d === 'function') await d(page);
        else await page.locator(d).first().click();
        const open = page.locator(OVERLAY);
        if (!(await open.count())) await page.waitForSelector(OVERLAY, { timeout: 5000 }).catch(() => {});
        if (!(await open.count())) {
          problems.push(`${size.name} ${where}: dialog ${i + 1} did not open`);
          continue;
        }
        const title = (await page.locator('.el-dialog__title:visible, .el-drawer__title:visible, .el-message-box__title:visible').last().innerText().catch(() => '')).trim();
        await check(`${where} dialog «${title || i + 1}»`, 'dialog');
        seen++;
        await page.keyboard.press('Escape');
        await page.waitForFunction(() => ![...document.querySelectorAll('.el-overlay, .el-message-box')].some((e) => e.getBoundingClientRect().width && getComputedStyle(e).display !== 'none'), null, { timeout: 5000 })
          .catch(() => problems.push(`${size.name} ${where}: dialog «${title}» does not close with Escape`));
      }
    }
  }
  await context.close();
  return { problems, seen };
}

// both sizes at once (a context each in the one browser): the walk is mostly waiting
test(`axe and the project's checks on every screen and dialog at ${SIZES.map((s) => s.name).join(' and ')}`, async () => {
  const sizes = SIZES.filter((s) => !process.env.BANGFU_A11Y_SIZE || s.name.startsWith(process.env.BANGFU_A11Y_SIZE));
  const results = await Promise.all(sizes.map(walk));
  const problems = results.flatMap((r) => r.problems);
  for (const [i, r] of results.entries()) assert.ok(r.seen >= 40, `${sizes[i].name}: screens and dialogs audited: ${r.seen}`);
  assert.deepEqual(problems, [], `${problems.length} findings:\n${problems.join('\n')}`);
});

test('a11y: no script errors', () => {
  assert.deepEqual(pageErrors, []);
});
