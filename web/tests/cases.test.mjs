// Browser tests of the reception screens (信访接待): a 12351 hotline call is
// taken in by a street's staff, then referred (转办) from its detail page;
// a viewer sees it without action buttons.  Same setup as ui.test.mjs: a
// demo server at BANGFU_UI_URL and Debian's chromium (tests/run-ui.sh),
// the helpers of browser.mjs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { URL0, pageErrors, useBrowser, api, open, field as input, menuText } from './browser.mjs';

useBrowser();
after(() => {
  assert.deepEqual(pageErrors, [], 'no script errors in the pages');
});

const session = (user) => open(user);
const apiAs = (user, p) => api(user, 'GET', p);
const buttonTexts = async (page, sel) => (await page.locator(sel + ' button').allInnerTexts()).map((s) => s.replace(/\s+/g, ''));

test('a hotline call is taken in, then referred; the trail and the audit show both', async () => {
  const subject = '来电反映工地拖欠工资' + Date.now();
  const page = await session('s1_staff');
  assert.match(await menuText(page), /信访接待/);
  await page.goto(URL0 + '/cases/new');
  await page.waitForSelector('[data-test=case-form]');
  await page.click('[data-test=case-channel-hotline]');
  await page.click('[data-test=case-category]');
  await page.locator('.el-select-dropdown__item:visible', { hasText: '欠薪' }).click();
  await page.waitForSelector('text=办理时限 10 个工作日');
  // a bad ID number is caught before anything is sent
  await input(page, 'case-name').fill('马建业');
  await input(page, 'case-id-number').fill('330102198506150010');
  await input(page, 'case-subject').fill(subject);
  await page.click('[data-test=case-save]');
  await page.waitForSelector('text=身份证号校验位错误');
  assert.match(page.url(), /\/cases\/new$/, 'not saved');
  await input(page, 'case-id-number').fill('');
  await input(page, 'case-work-unit').fill('城东建筑劳务公司');
  await page.click('[data-test=case-migrant]');
  await input(page, 'case-phone').fill('13957100001');
  await input(page, 'case-description').fill('在城东工地务工，三个月工资未发');
  await page.click('[data-test=case-save]');
  await page.waitForURL(/\/cases\/\d+$/);
  const id = Number(page.url().match(/(\d+)$/)[1]);
  assert.equal(await page.locator('[data-test=case-status]').innerText(), '已受理');
  assert.deepEqual(await buttonTexts(page, '[data-test=case-actions]'), ['分派', '转办']);
  const info = await page.locator('[data-test=case-info]').innerText();
  assert.match(info, /马建业/);
  assert.match(info, /12351热线/);
  assert.match(info, /139\*\*\*\*0001/, 'the phone is masked');

  // the API agrees: hotline, wage arrears, free entry, migrant worker, in S1
  let r = await apiAs('s1_staff', `/cases/${id}`);
  assert.equal(r.status, 200);
  assert.deepEqual([r.body.channel, r.body.category, r.body.household_id, r.body.migrant_worker, r.body.subject],
    ['hotline', 'wage_arrears', null, true, subject]);

  // referral dialog
  await page.click('[data-test=case-act-refer]');
  await page.waitForSelector('[data-test=case-action-dialog]');
  await page.click('[data-test=case-action-confirm]');
  await page.waitForSelector('text=请填写转办单位');
  await input(page, 'case-referred').fill('区人力资源和社会保障局劳动保障监察大队');
  await input(page, 'case-comment').fill('属劳动保障监察职责，转办处理');
  await page.click('[data-test=case-action-confirm]');
  await page.waitForSelector('[data-test=case-status][data-status=referred]');
  assert.equal(await page.locator('[data-test=case-status]').innerText(), '已转办');
  assert.equal(await page.locator('[data-test=case-referred-to]').innerText(), '区人力资源和社会保障局劳动保障监察大队');
  assert.deepEqual(await buttonTexts(page, '[data-test=case-actions]'), [], 'a referred case offers no action');
  const trail = await page.locator('[data-test=case-trail]').innerText();
  assert.match(trail, /受理[\s\S]*转办/);
  assert.match(trail, /属劳动保障监察职责/);

  r = await apiAs('s1_staff', `/cases/${id}`);
  assert.equal(r.body.status, 'referred');
  assert.deepEqual(r.body.events.map((e) => e.action), ['receive', 'refer']);
  const audit = await apiAs('city_viewer', `/audit?entity=case&entity_id=${id}`);
  assert.equal(audit.status, 200);
  assert.deepEqual(audit.body.items.map((a) => a.action).reverse(), ['create', 'refer']);

  // the list finds it by its subject, as referred
  await page.goto(`${URL0}/cases?q=${encodeURIComponent(subject)}`);
  await page.waitForSelector('[data-test=case-table] .el-table__row');
  assert.equal(await page.locator('[data-test=case-table] .el-table__row').count(), 1);
  assert.match(await page.locator('[data-test=case-table] .el-table__row').innerText(), /已转办/);
  await page.context().close();

  // a viewer of the street reads it, with no buttons and no intake menu
  const v = await session('s1_viewer');
  assert.doesNotMatch(await menuText(v), /登记来访来电/);
  await v.goto(`${URL0}/cases/${id}`);
  await v.waitForSelector('[data-test=case-status]');
  assert.deepEqual(await buttonTexts(v, '[data-test=case-actions]'), []);
  await v.context().close();
});
