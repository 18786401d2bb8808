// Browser test of the working-day calendar (issue 23): the 工作日历 screen
// lists the statutory holidays and make-up days of a year with the notice
// they come from, and from 1 December the dashboard's to-do list says that
// next year's holidays are not loaded.  Same setup as ui.test.mjs (a demo
// server on a clock file, tests/run-ui.sh).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { URL0, CLOCK, pageErrors, useBrowser, dropTokens, open, close } from './browser.mjs';

useBrowser();
after(() => {
  assert.deepEqual(pageErrors, [], 'no script errors in the pages');
});

function setClock(date) {
  assert.ok(CLOCK, 'BANGFU_UI_CLOCK_FILE (tests/run-ui.sh serves with --clock-file)');
  fs.writeFileSync(CLOCK, date + '\n');
  dropTokens();
}

test('工作日历 shows the statutory year; from 1 December the dashboard warns that next year is missing', async () => {
  const start = fs.readFileSync(CLOCK, 'utf8').trim();
  try {
    const adm = await open('admin');
    await adm.goto(URL0 + '/admin/calendar');
    await adm.waitForSelector('[data-test=calendar-table] .el-table__row');
    const yearInput = adm.locator('.el-input-number input');
    await yearInput.fill('2026');
    await yearInput.press('Enter');
    await adm.waitForFunction(() => /国办发明电〔2025〕7号/.test(document.querySelector('[data-test=calendar-notice]')?.textContent || ''));
    const row = adm.locator('[data-test=calendar-table] .el-table__row', { hasText: '2026-10-01' });
    assert.match(await row.innerText(), /休息[\s\S]*国庆节[\s\S]*法定/);
    const makeUp = adm.locator('[data-test=calendar-table] .el-table__row', { hasText: '2026-02-28' });
    assert.match(await makeUp.innerText(), /六[\s\S]*调休上班/);
    await close(adm);

    setClock('2026-12-03');
    const staff = await open('s1_staff');
    await staff.waitForSelector('[data-test=calendar-warning]');
    assert.match(await staff.locator('[data-test=calendar-warning]').innerText(), /工作日历：2027 年法定节假日尚未导入/);
    await close(staff);
  } finally {
    setClock(start);
  }
});
