// Browser tests of 互助保障 (mutual aid) and 帮扶主项: a city clerk enrols a
// woman in the demo's women's plan and files her claim from the plan's
// screen; the reviewer, the approver and finance walk it to 已支付 on the
// claim's screen, each seeing only the action of their role; a roster file
// with a bad row is refused by the dry run, naming the row; the primary item
// is set on an archive.  On a phone too.  Same setup as ui.test.mjs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { URL0, pageErrors, useBrowser, api, open, close, field as input, menuTo, menuText } from './browser.mjs';
import { idNumber } from '../../tests/api/idgen.mjs';
import { pdf } from '../../tests/api/scans.mjs';

useBrowser();
after(() => {
  assert.deepEqual(pageErrors, [], 'no script errors in the pages');
});

const buttonTexts = async (page, sel) => (await page.locator(sel + ' button').allInnerTexts()).map((s) => s.replace(/\s+/g, ''));
const woman = idNumber('330106', '19911111', 102); // not in the demo

test('a woman is enrolled and her claim walks to 已支付, each role acting from the claim screen', async () => {
  const plans = (await api('city_staff', 'GET', '/mutual-aid/plans')).body.items;
  const plan = plans.find((p) => p.kind === 'women');
  assert.ok(plan, 'the demo has a women\'s plan');
  const page = await open('city_staff');
  assert.match(await menuText(page), /互助保障/);
  await menuTo(page, '保障计划');
  await page.waitForSelector('[data-test=plan-table] .el-table__row');
  await page.locator('[data-test=plan-table] a', { hasText: plan.name }).click();
  await page.waitForSelector('[data-test=plan-figures]');
  const before = Number(await page.locator('[data-test=plan-enrolled]').innerText());

  await page.click('[data-test=enrol-one]');
  await page.waitForSelector('[data-test=enrol-dialog]');
  await input(page, 'enrol-name').fill('柳如梅');
  await input(page, 'enrol-id').fill(woman);
  await page.click('[data-test=enrol-save]');
  await page.waitForFunction((n) => document.querySelector('[data-test=plan-enrolled]')?.innerText === String(n), before + 1);
  // the same woman again: refused, nothing added
  await page.click('[data-test=enrol-one]');
  await input(page, 'enrol-name').fill('柳如梅');
  await input(page, 'enrol-id').fill(woman);
  await page.click('[data-test=enrol-save]');
  await page.waitForSelector('text=已参加本计划');
  await page.keyboard.press('Escape');
  assert.equal(Number(await page.locator('[data-test=plan-enrolled]').innerText()), before + 1);

  await input(page, 'enrol-q').fill('柳如梅');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('[data-test=enrol-table] .el-table__row').length === 1);
  const row = page.locator('[data-test=enrol-table] .el-table__row').first();
  assert.match(await row.innerText(), /330106\*{8}/, 'the ID number masked');
  await row.locator('button', { hasText: '申请理赔' }).click();
  await page.waitForSelector('[data-test=claim-dialog]');
  await input(page, 'claim-amount').fill('3000');
  await input(page, 'claim-diagnosis').fill('宫颈癌早期手术');
  await page.click('[data-test=claim-save]');
  await page.waitForURL(/\/mutual-aid\/claims\/\d+$/);
  const id = Number(page.url().match(/(\d+)$/)[1]);
  assert.equal(await page.locator('[data-test=claim-status]').innerText(), '已申请');
  assert.deepEqual(await buttonTexts(page, '[data-test=claim-actions]'), [], 'staff has no step here');
  // the hospital's papers: missing until staff upload a scan on the claim
  await page.waitForSelector('[data-test=claim-missing]');
  const panel = '[data-test=attachments-claim]';
  await page.locator(`${panel} [data-test=attachment-file]`).setInputFiles({ name: '病情证明.pdf', mimeType: 'application/pdf', buffer: pdf().bytes });
  await page.waitForSelector(`${panel} .attach-item[data-kind=病情证明]`);
  await page.waitForSelector('[data-test=claim-missing]', { state: 'detached' });
  await close(page);

  for (const [user, act, status] of [['city_reviewer', 'verify', '已审核'], ['city_approver', 'approve', '已审批'], ['city_finance', 'pay', '已支付']]) {
    const p = await open(user);
    await p.goto(`${URL0}/mutual-aid/claims/${id}`);
    await p.waitForSelector('[data-test=claim-status]');
    assert.equal(await p.locator('[data-test=claim-actions] button').count(), act === 'pay' ? 1 : act === 'verify' ? 2 : 2, `${user}'s buttons`);
    await p.click(`[data-test=claim-act-${act}]`);
    await p.waitForSelector('[data-test=claim-action-dialog]');
    await p.click('[data-test=claim-action-confirm]');
    await p.waitForFunction((s) => document.querySelector('[data-test=claim-status]')?.innerText === s, status);
    await close(p);
  }
  const c = (await api('city_staff', 'GET', `/mutual-aid/claims/${id}`)).body;
  assert.deepEqual([c.status, c.paid_fen, c.ledger_id > 0], ['paid', 300000, true]);
  const ev = (await api('city_staff', 'GET', `/mutual-aid/claims/${id}/events`)).body.items.map((e) => e.action);
  assert.deepEqual(ev, ['submit', 'verify', 'approve', 'pay']);
});

test('a roster with one bad row is refused by the dry run, naming the row; nothing is enrolled', async () => {
  const plan = (await api('city_staff', 'GET', '/mutual-aid/plans')).body.items.find((p) => p.kind === 'medical');
  const page = await open('city_staff');
  await page.goto(`${URL0}/mutual-aid/plans/${plan.id}`);
  await page.waitForSelector('[data-test=plan-figures]');
  await page.click('[data-test=enrol-import]');
  await page.waitForSelector('[data-test=roster-dialog]');
  const good = idNumber('330106', '19800202', 11);
  const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
  await page.setInputFiles('[data-test=roster-file]', { name: '名单.csv', mimeType: 'text/csv',
    buffer: Buffer.from(`姓名,身份证号,联系电话\n甲,${good},13900000001\n乙,${bad},13900000002\n`) });
  await page.click('[data-test=roster-check]');
  await page.waitForSelector('[data-test=roster-errors] .el-table__row');
  const err = await page.locator('[data-test=roster-errors]').innerText();
  assert.match(err, /3[\s\S]*身份证号[\s\S]*校验位/);
  assert.ok(await page.locator('[data-test=roster-confirm]').isDisabled(), 'no import after a failed check');
  const after = (await api('city_staff', 'GET', `/mutual-aid/plans/${plan.id}`)).body;
  assert.equal(after.enrolled, plan.enrolled);
  await close(page);
});

test('the primary item is set on an active archive; on a phone the claims list reads', async () => {
  const h = (await api('s1_staff', 'GET', '/households?status=active&limit=1')).body.items[0];
  const page = await open('s1_staff');
  await page.goto(`${URL0}/households/${h.id}`);
  await page.waitForSelector('[data-test=primary-aid-card]');
  await page.click('[data-test=primary-aid-edit]');
  await page.waitForSelector('[data-test=primary-aid-dialog]');
  await page.locator('.el-select__wrapper', { has: page.locator('#pa-select') }).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '医疗互助' }).click();
  await page.click('[data-test=primary-aid-save]');
  await page.waitForFunction(() => document.querySelector('[data-test=primary-aid]')?.innerText === '医疗互助');
  assert.equal((await api('s1_staff', 'GET', `/households/${h.id}`)).body.primary_aid, 'medical_mutual');
  await close(page);

  const phone = await open('city_viewer', { width: 390, height: 844 });
  await phone.goto(`${URL0}/mutual-aid/claims`);
  await phone.waitForSelector('[data-test=claim-table] .el-table__row');
  const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `no sideways scrolling on a phone (${wide})`);
  await close(phone);
});
