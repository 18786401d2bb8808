// Browser tests of API.md "Found early": an informant (信息员) files a clue on
// a phone-sized screen and sees nothing but its clue screens; the street's
// staff resolve the clue; an emergency application (临时救助) for a person
// without an archive is filed, paid and followed up; an exited archive shows
// its watch and is reopened.  Same setup as ui.test.mjs (tests/run-ui.sh:
// the demo city, whose g1_informant files for a grassroots union of s1).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { URL0, pageErrors, useBrowser, api, open, close, login, field as input } from './browser.mjs';

useBrowser();
after(() => {
  assert.deepEqual(pageErrors, [], 'no script errors in the pages');
});

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function idNumber(first17) {
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * W[i];
  return first17 + '10X98765432'[s % 11];
}
const stamp = String(Date.now() % 1000).padStart(3, '0');

test('an informant files a clue on a phone and sees only its clue screens; staff resolve it', async () => {
  const name = '线索测试' + stamp;
  const page = await open(null, { width: 390, height: 844 });
  await login(page, 'g1_informant');
  assert.match(page.url(), /\/clues$/, 'an informant lands on its clues');
  await page.click('[aria-label=打开菜单]');
  await page.waitForSelector('.menu-drawer .app-menu');
  const menu = (await page.locator('.menu-drawer .app-menu a.menu-link').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(menu, ['上报线索', '我的线索'], 'nothing else in the menu');
  await page.keyboard.press('Escape');
  // any other screen leads back to the clues
  for (const p of ['/dashboard', '/households', '/applications/new', '/reports']) {
    await page.goto(URL0 + p);
    await page.waitForURL(/\/clues$/);
  }
  await page.click('[data-test=clue-new]');
  await page.waitForSelector('[data-test=clue-form]');
  assert.ok((await page.locator('[data-test=clue-org-name]').innerText()).includes('工会'), 'its own unit, fixed');
  await page.click('[data-test=clue-save]');
  await page.waitForSelector('.el-form-item.is-error');
  await input(page, 'clue-name').fill(name);
  await input(page, 'clue-id').fill('330102198506150010'); // a wrong check character
  await input(page, 'clue-address').fill('湖滨街道幸福小区 5 幢');
  await input(page, 'clue-situation').fill('妻子突发重病住院，家中无其他收入');
  await page.click('[data-test=clue-save]');
  await page.waitForSelector('text=身份证号校验位错误');
  await input(page, 'clue-id').fill('');
  await page.locator('[data-test=clue-causes] .el-checkbox', { hasText: '家属患病' }).click();
  await page.click('[data-test=clue-save]');
  await page.waitForURL(/\/clues$/);
  const card = page.locator('[data-test=clue-card]', { hasText: name });
  await card.waitFor();
  assert.equal(await card.locator('[data-status]').getAttribute('data-status'), 'open');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling on a phone (${width})`);
  // the API refuses the informant everything else
  assert.equal((await api('g1_informant', 'GET', '/households')).status, 403);
  assert.equal((await api('g1_informant', 'GET', '/reports/dashboard')).status, 403);

  // the street's staff resolve it
  const staff = await open('s1_staff');
  await staff.goto(URL0 + '/clues?status=open');
  const row = staff.locator('[data-test=clue-table] .el-table__row', { hasText: name });
  await row.waitFor();
  await row.locator('.el-button', { hasText: '处理' }).click();
  await staff.waitForSelector('[data-test=clue-resolve-dialog]');
  await staff.click('[data-test=clue-outcome]');
  await staff.locator('.el-select-dropdown__item:visible', { hasText: '已转介' }).click();
  await input(staff, 'clue-comment').fill('已转介社区民政办理临时救助');
  await staff.click('[data-test=clue-resolve-save]');
  await staff.waitForSelector('text=线索已处理');
  await staff.goto(URL0 + '/clues?status=resolved');
  await staff.locator('[data-test=clue-table] .el-table__row', { hasText: name }).locator('text=已转介').waitFor();
  await close(staff);

  // the informant sees it resolved, without the outcome
  await page.reload();
  await card.waitFor();
  assert.equal(await card.locator('[data-status]').getAttribute('data-status'), 'resolved');
  assert.doesNotMatch(await card.innerText(), /转介/);
  await close(page);
});

test('an emergency application for a person without an archive: filed, paid, followed up', async () => {
  const person = '急难测试' + stamp;
  const id = idNumber('330102197204' + String(10 + (Number(stamp) % 18)) + '7' + stamp.slice(1));
  const page = await open('s1_staff');
  await page.goto(URL0 + '/applications/new?program=emergency');
  await page.waitForSelector('[data-test=app-person-name]');
  await input(page, 'app-person-name').fill(person);
  await input(page, 'app-person-id').fill(id);
  await input(page, 'app-person-address').fill('湖滨街道某村 12 号');
  await input(page, 'app-reason').fill('家中失火，急需生活救助');
  await page.locator('[data-test=app-docs] .el-checkbox', { hasText: '身份证' }).click();
  await page.click('[data-test=app-save]');
  await page.waitForURL(/\/applications\/\d+$/);
  const appId = Number(page.url().match(/(\d+)$/)[1]);
  assert.match(await page.locator('[data-test=app-person]').innerText(), new RegExp(person));
  assert.doesNotMatch(await page.locator('[data-test=app-person]').innerText(), new RegExp(id), 'the ID number masked');
  // the usual steps, by their roles
  assert.equal((await api('s1_reviewer', 'POST', `/applications/${appId}/transitions`, { action: 'verify' })).status, 200);
  assert.equal((await api('s1_approver', 'POST', `/applications/${appId}/transitions`, { action: 'approve' })).status, 200);
  const accts = (await api('city_finance', 'GET', '/fund-accounts?limit=500')).body.items;
  const acct = accts.find((a) => a.org_id === 1 && a.balance_fen >= 100000);
  const pay = await api('city_finance', 'POST', `/applications/${appId}/transitions`, { action: 'disburse', account_id: acct.id });
  assert.equal(pay.status, 200, JSON.stringify(pay.body));
  assert.ok(pay.body.follow_up_due);
  await page.reload();
  await page.waitForSelector('[data-test=follow-up]');
  assert.match(await page.locator('[data-test=follow-up]').innerText(), new RegExp(pay.body.follow_up_due));
  await page.click('[data-test=follow-up-open]');
  await page.waitForSelector('[data-test=follow-up-dialog]');
  await page.locator('[data-test=follow-up-outcome] label', { hasText: '结束跟进' }).click();
  await page.click('[data-test=follow-up-save]');
  await page.waitForSelector('text=请填写结束跟进的理由');
  await input(page, 'follow-up-comment').fill('已回访：投亲安置，收入恢复，无需建档');
  await page.click('[data-test=follow-up-save]');
  await page.waitForSelector('[data-test=follow-up-done]');
  assert.match(await page.locator('[data-test=follow-up-done]').innerText(), /结束跟进/);
  const r = await api('s1_staff', 'GET', `/applications/${appId}`);
  assert.equal(r.body.follow_up_outcome, 'closed');
  await close(page);
});

test('an exited archive shows its watch and is reopened', async () => {
  const list = (await api('s1_staff', 'GET', '/households?monitoring=true&limit=500')).body;
  assert.ok(list.total >= 1, 'the demo has watched exits in the street');
  const h = list.items.at(-1);
  const page = await open('s1_staff');
  await page.goto(URL0 + '/households?monitoring=true');
  await page.waitForSelector('[data-test=hh-table] .el-table__row');
  await page.goto(URL0 + '/households/' + h.id);
  await page.waitForSelector('[data-test=hh-watched]');
  assert.match(await page.locator('[data-test=hh-monitor]').innerText(), new RegExp('监测至 ' + h.monitor_until));
  await page.click('[data-test=act-reopen]');
  await page.waitForSelector('[data-test=action-dialog]');
  await page.click('[data-test=action-confirm]');
  await page.waitForSelector('text=请填写重新启用意见');
  await input(page, 'action-comment').fill('监测走访发现家属患病，返困');
  await page.click('[data-test=action-confirm]');
  await page.waitForSelector('[data-test=hh-status] >> text=草稿');
  assert.match(await page.locator('h1').innerText(), new RegExp('档案编号 ' + h.archive_no), 'the archive number is kept');
  const r = await api('s1_staff', 'GET', `/households/${h.id}`);
  assert.deepEqual([r.body.status, r.body.archive_no, r.body.monitor_until], ['draft', h.archive_no, null]);
  await close(page);
});
