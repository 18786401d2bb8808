// Browser test of 查看完整信息 (API.md "Privacy"): an archive opens masked,
// with the age and no birth date; the reveal dialog asks for a reason
// (a short free text is refused on the spot), then shows the full numbers
// and birth dates in place; the audit log holds the reveal with its reason.
// Finance and viewers get no reveal button.  Same setup as ui.test.mjs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { URL0, pageErrors, useBrowser, api, open, close } from './browser.mjs';

useBrowser();
after(() => {
  assert.deepEqual(pageErrors, [], 'no script errors in the pages');
});

const text = (page, sel) => page.locator(sel).innerText();

test('an archive opens masked; 查看完整信息 with a reason shows the full numbers in place, audited', async () => {
  const list = (await api('s1_staff', 'GET', '/households?status=active&limit=50')).body.items;
  const h = list.find((x) => x.household_size > 1) || list[0];
  const page = await open('s1_staff');
  await page.goto(`${URL0}/households/${h.id}`);
  await page.waitForSelector('[data-test=hh-id-number]');
  assert.equal(await text(page, '[data-test=hh-id-number]'), h.id_number, 'masked as in the list');
  assert.match(h.id_number, /^\d{6}\*{8}[\dX]{4}$/);
  assert.match(await text(page, '[data-test=hh-birth]'), new RegExp(`${h.age}岁$`), 'the age, no birth date');
  assert.doesNotMatch(await page.locator('main').innerText(), /\d{4}-\d{2}-\d{2}（/, 'no birth date anywhere');

  await page.click('[data-test=reveal-open]');
  const dlg = page.locator('[data-test=reveal-dialog]');
  await dlg.waitFor();
  await dlg.getByText('其他').click();
  await page.locator('[data-test=reveal-reason-text]').fill('查');
  await page.click('[data-test=reveal-submit]');
  await dlg.getByText('请填写查看原因（至少 2 个字）').waitFor();
  await dlg.getByText('入户核查').click();
  await page.click('[data-test=reveal-submit]');
  await page.waitForFunction(() => !document.querySelector('[data-test=hh-id-number]')?.textContent.includes('*'));

  const full = (await api('s1_staff', 'POST', `/households/${h.id}/reveal`, { reason: '测试核对' })).body;
  assert.equal(await text(page, '[data-test=hh-id-number]'), full.id_number, 'the full number in place');
  assert.ok((await text(page, '[data-test=hh-birth]')).includes(full.birth_date), 'the birth date in place');
  if (full.phone)
    assert.equal(await text(page, '[data-test=hh-phone]'), full.phone);
  for (const m of full.members)
    assert.ok((await page.locator('main').innerText()).includes(m.id_number), `member ${m.name} in full`);
  assert.match(await page.locator('[data-test=hh-card-pdf]').getAttribute('href'), /reveal_reason=/, 'the card prints in full too');

  const audit = (await api('admin', 'GET', `/audit?entity=household&entity_id=${h.id}&action=reveal`)).body.items;
  assert.ok(audit.some((e) => e.summary.includes('入户核查')), 'the reason is audited');
  await close(page);
});

test('finance and viewers see masked numbers and no reveal button', async () => {
  const h = (await api('city_viewer', 'GET', '/households?status=active&limit=1')).body.items[0];
  for (const user of ['city_viewer', 'city_finance']) {
    const page = await open(user);
    await page.goto(`${URL0}/households/${h.id}`);
    await page.waitForSelector('[data-test=hh-id-number]');
    assert.equal(await text(page, '[data-test=hh-id-number]'), h.id_number);
    assert.equal(await page.locator('[data-test=reveal-open]').count(), 0, `${user}: no reveal button`);
    await close(page);
  }
});
