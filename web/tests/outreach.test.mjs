// Browser tests of 活动与外联 (API.md "Outreach"): the month calendar, recording
// an activity and ticking its attendees over two pages, the pairings and
// projects with their funding bars, the referrals list with its filters and
// the outcome dialog, referrals on the household, and the phone layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { URL0, useBrowser, api, open, close, menuTo, shot } from './browser.mjs';

useBrowser();

const rows = (t) => `[data-test=${t}] .el-table__row`;

test('outreach: the month calendar; an activity recorded and its attendees ticked over two pages', async () => {
  const page = await open('d1_staff');
  await menuTo(page, '活动与外联');
  await page.waitForURL(/\/outreach/);
  await page.waitForSelector('[data-test=calendar] [data-test=activity-chip]');
  const month = await page.locator('[data-test=month-label]').innerText();
  assert.match(month, /^\d{4}年\d{1,2}月$/);
  const chips = await page.locator('[data-test=activity-chip]').count();
  assert.ok(chips >= 1, 'the demo has activities this month');
  await shot(page, 'outreach-calendar');
  // the previous month has its own activities
  await page.locator('button[aria-label=上个月]').click();
  await page.waitForFunction((m) => document.querySelector('[data-test=month-label]').textContent !== m, month);
  await page.locator('button[aria-label=下个月]').click();
  await page.waitForFunction((m) => document.querySelector('[data-test=month-label]').textContent === m, month);

  // record one
  const title = '送法进企业（界面测试）' + Date.now() % 100000;
  await page.click('[data-test=new-activity]');
  await page.locator('input[data-test=activity-title], [data-test=activity-title] input').first().fill(title);
  await page.click('.el-dialog:visible [data-test=save]');
  const chip = page.locator('[data-test=activity-chip]', { hasText: title });
  await chip.waitFor();
  await chip.click();
  await page.waitForSelector('.el-dialog:visible [data-test=attendance]');
  assert.equal((await page.locator('.el-dialog:visible [data-test=attendance]').innerText()).trim(), '0');

  // tick two on the first page and one on the second
  await page.click('[data-test=open-attendance]');
  await page.waitForSelector(`${rows('attendee-table')}`);
  const boxes = page.locator('[data-test=attendee-table] .el-table__row .el-checkbox');
  await boxes.nth(0).click();
  await boxes.nth(1).click();
  await page.locator('[data-test=attendee-picker] .el-pager li', { hasText: /^2$/ }).click();
  await page.waitForFunction(() => document.querySelector('[data-test=attendee-picker] .el-pager li.is-active')?.textContent.trim() === '2');
  await page.locator('[data-test=attendee-table] .el-table__row .el-checkbox').nth(0).click();
  assert.match(await page.locator('[data-test=attendee-count]').innerText(), /已选 3 户/);
  await shot(page, 'outreach-attendees');
  await page.click('[data-test=attendee-save]');
  await page.waitForFunction(() => document.querySelector('.el-dialog [data-test=attendance]')?.textContent.trim() === '3');

  const list = await api('d1_staff', 'GET', `/activities?kind=legal_outreach&limit=500`);
  const a = list.body.items.find((x) => x.title === title);
  assert.ok(a, 'the activity is in the API list');
  assert.equal(a.attendance, 3, 'three households recorded');
  const att = await api('d1_staff', 'GET', `/activities/${a.id}`);
  const hid = att.body.attendees[0].id;
  await close(page);

  // the household lists the activity
  const p2 = await open('d1_staff');
  await p2.goto(`${URL0}/households/${hid}`);
  await p2.waitForSelector('[data-test=household-outreach]');
  await p2.locator('[data-test=household-outreach] .el-tabs__item', { hasText: '参加的活动' }).click();
  await p2.locator('[data-test=household-activities] .el-table__row', { hasText: title }).waitFor();
  await close(p2);
});

test('outreach: pairings and projects with their funding bars; finance funds a project within its budget', async () => {
  const page = await open('admin');
  await page.goto(`${URL0}/outreach?tab=projects`);
  await page.waitForSelector(rows('pairings-table'));
  assert.equal(await page.locator(rows('pairings-table')).count(), 2, 'two demo pairings');
  await page.waitForSelector(rows('projects-table'));
  const bars = await page.locator('[data-test=projects-table] [data-test=funding-bar]').count();
  assert.equal(bars, 4, 'a project per district, each with its bar');
  const texts = await page.locator('[data-test=projects-table] .el-progress__text').allInnerTexts();
  assert.ok(texts.includes('100%') && texts.includes('0%'), `a finished and an unfunded project: ${texts}`);
  await shot(page, 'outreach-projects');
  await close(page);

  const fin = await open('city_finance');
  await fin.goto(`${URL0}/outreach?tab=projects`);
  await fin.waitForSelector(rows('projects-table'));
  const before = (await api('city_finance', 'GET', '/projects?limit=50')).body.items.find((p) => p.status === 'planned');
  const row = fin.locator(rows('projects-table'), { hasText: before.name });
  await row.locator('[data-test=fund]').click();
  const dlg = fin.locator('.el-dialog:visible');
  const accts = (await api('city_finance', 'GET', '/fund-accounts?limit=500')).body.items;
  const from = accts.find((x) => x.org_id === 1 && x.source === 'union');
  const to = accts.find((x) => x.org_id === before.org_id && x.name.includes('项目资金'));
  await dlg.locator('[data-test=funding-from]').click();
  await fin.locator('.funding-from .el-select-dropdown__item', { hasText: from.name }).first().click();
  await dlg.locator('[data-test=funding-to]').click();
  await fin.locator('.funding-to .el-select-dropdown__item', { hasText: to.name }).first().click();
  await dlg.locator('input[aria-label="金额（元）"]').fill(String(before.budget_fen / 100 + 1));
  await dlg.locator('[data-test=save]').click();
  await dlg.locator('.el-form-item__error').waitFor(); // one yuan over the budget: refused in Chinese
  assert.match(await dlg.locator('.el-form-item__error').innerText(), /预算/);
  await dlg.locator('input[aria-label="金额（元）"]').fill('1000');
  await dlg.locator('[data-test=save]').click();
  await fin.waitForFunction(() => !document.querySelector('.el-dialog[data-test=projects-form]')?.offsetParent);
  const after = (await api('city_finance', 'GET', `/projects/${before.id}`)).body;
  assert.equal(after.funded_fen, 100000, '1,000 yuan funded');
  await close(fin);
});

test('outreach: referrals filtered by overdue; an outcome recorded once; a referral made on the household', async () => {
  const page = await open('s1_staff');
  await page.goto(`${URL0}/outreach?tab=referrals`);
  await page.waitForSelector(rows('referrals-table'));
  await page.locator('[data-test=referral-overdue]').click();
  await page.locator('button', { hasText: '查询' }).click();
  await page.waitForURL(/overdue=true/);
  await page.waitForSelector(rows('referrals-table'));
  const n = await page.locator(rows('referrals-table')).count();
  assert.ok(n >= 1, 'the demo has overdue referrals');
  assert.equal(await page.locator('[data-test=referral-overdue-tag]').count(), n, 'every row says 超 30 天');
  await shot(page, 'outreach-referrals');
  const first = (await api('s1_staff', 'GET', '/agency-referrals?overdue=true&limit=1')).body.items[0];
  await page.locator(rows('referrals-table')).first().locator('[data-test=referral-outcome]').click();
  await page.locator('.el-dialog:visible [data-test=outcome-radio] .el-radio', { hasText: '未获批' }).click();
  await page.locator('.el-dialog:visible [data-test=save]').click();
  await page.waitForFunction(() => !document.querySelector('.el-overlay .el-dialog[data-test=referral-dialog]')?.offsetParent);
  const done = (await api('s1_staff', 'GET', `/agency-referrals/${first.id}`)).body;
  assert.equal(done.status, 'refused');
  await close(page);

  // a new referral from the household
  const hh = (await api('s1_staff', 'GET', '/households?status=active&limit=1')).body.items[0];
  const p2 = await open('s1_staff');
  await p2.goto(`${URL0}/households/${hh.id}`);
  await p2.waitForSelector('[data-test=new-referral]');
  const before = await p2.locator('[data-test=household-outreach] [data-test=referrals-table] .el-table__row').count();
  await p2.click('[data-test=new-referral]');
  await p2.locator('.el-dialog:visible [data-test=save]').click();
  await p2.waitForFunction((b) => document.querySelectorAll('[data-test=household-outreach] [data-test=referrals-table] .el-table__row').length === b + 1, before);
  const list = (await api('s1_staff', 'GET', `/households/${hh.id}/agency-referrals`)).body.items;
  assert.equal(list[0].service, 'dibao');
  assert.equal(list[0].status, 'pending');
  await close(p2);
});

test('outreach on a phone: the agenda instead of the grid, no sideways scroll, dialogs full screen', async () => {
  const page = await open('d1_staff', { width: 390, height: 844, isMobile: true, hasTouch: true });
  await page.goto(`${URL0}/outreach`);
  await page.waitForSelector('[data-test=calendar] [data-test=activity-chip]');
  assert.equal(await page.locator('table.cal').count(), 0, 'no month grid on a phone');
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(over <= 1, `no sideways scroll (${over}px)`);
  await shot(page, 'mobile-outreach');
  await page.locator('[data-test=activity-chip]').first().click();
  await page.waitForSelector('.el-dialog.is-fullscreen [data-test=attendance]');
  await close(page);
});
