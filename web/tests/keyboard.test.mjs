// The web UI by keyboard alone (no click, no mouse): log in, reach every menu
// entry (Tab, arrows, Enter; on a phone through the menu drawer), open a
// household from the list, record a visit (a field in error included) and
// submit the archive; at every stop the focused thing must show a focus ring
// and be in the viewport (a11y.mjs focusStop).  Same setup as ui.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { URL0, pageErrors, useBrowser, api, browserInstance, pw, shot } from './browser.mjs';
import { focusStop } from './a11y.mjs';

useBrowser();

async function context(width, height) {
  const ctx = await browserInstance().newContext({ viewport: { width, height }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  page.setDefaultTimeout(30000);
  page.on('pageerror', (e) => pageErrors.push(`keyboard: ${e.message}`));
  return page;
}
/** Presses `key` and checks the focus ring where the focus lands; returns that stop. */
async function press(page, key, stops) {
  await page.keyboard.press(key);
  const s = await focusStop(page).catch((e) => {
    throw new Error(`after ${key}: ${e.message}`);
  });
  stops?.push(s);
  return s;
}
/** Tabs (or Shift+Tabs) until `want(stop)` holds, checking every stop on the way. */
async function tabTo(page, want, what, { back = false, max = 60 } = {}) {
  for (let i = 0; i < max; i++) {
    const s = await press(page, back ? 'Shift+Tab' : 'Tab');
    if (await want(s)) return s;
  }
  throw new Error(`${what}: not reached in ${max} ${back ? 'Shift+Tab' : 'Tab'}s`);
}
const active = (page) => page.evaluate(() => ({
  href: document.activeElement?.getAttribute('href'),
  expanded: document.activeElement?.getAttribute('aria-expanded'),
  group: document.activeElement?.classList.contains('group-btn'),
  test: document.activeElement?.closest('[data-test]')?.getAttribute('data-test'),
  inDrawer: !!document.activeElement?.closest('.menu-drawer'),
}));
const entries = async (user) => {
  // what the menu should offer: the routes of the role (AppMenu.vue)
  const base = ['/dashboard', '/households', '/applications', '/clues', '/cases', '/funds', '/campaigns', '/employment', '/cards', '/outreach', '/reports',
    '/admin/orgs', '/admin/programs', '/admin/standards', '/admin/calendar', '/mutual-aid/plans', '/mutual-aid/claims'];
  const me = (await api(user, 'GET', '/me')).body;
  if (['staff', 'admin'].includes(me.role)) base.push('/households/new', '/imports', '/applications/new', '/cases/new', '/clues/new');
  if (me.role === 'admin') base.push('/admin/users');
  if (['admin', 'viewer'].includes(me.role)) base.push('/audit');
  return base.sort();
};
/** Waits for the screen at `href` to be shown (its heading). */
async function shown(page, href) {
  await page.waitForURL((u) => new URL(u).pathname === href);
  await page.waitForSelector('main h1');
}
/** Logs in with the keyboard: Tab to 用户名, type, Tab to 密码, type, Enter. */
async function keyboardLogin(page, user) {
  await page.goto(URL0 + '/login');
  await page.waitForSelector('#username');
  await tabTo(page, async () => (await page.evaluate(() => document.activeElement.id)) === 'username', 'the user name field');
  await page.keyboard.type(user);
  await press(page, 'Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'password', 'Tab goes from 用户名 to 密码');
  await page.keyboard.type(pw(user));
  await page.keyboard.press('Enter');
  await shown(page, '/dashboard');
}

test('keyboard: log in, every menu entry, a household, a visit (with a field in error) and a submission, 1366×768', async () => {
  const user = 'admin';
  const page = await context(1366, 768);
  await keyboardLogin(page, user);

  // the skip link first, then the menu: Tab reaches its first entry, arrows the others
  const skip = await press(page, 'Tab');
  assert.equal(skip.name, '跳到主要内容');
  const first = await press(page, 'Tab');
  assert.equal(first.href, '/dashboard', 'the second Tab is on the menu');
  await press(page, 'Tab');
  assert.equal((await active(page)).group, true, 'Tab goes on to the next entry (a group)');
  await press(page, 'Shift+Tab');
  const want = await entries(user);
  const seen = new Set();
  // down the menu: a closed group opens with Enter, a link opens its screen with Enter
  // (the focus stays on it), ↓ goes on; once round, back at 工作台
  for (let i = 0; i < 80; i++) {
    const a = await active(page);
    if (a.group && a.expanded === 'false') {
      await press(page, 'Enter');
      assert.equal((await active(page)).expanded, 'true', 'Enter opens a group');
    } else if (a.href) {
      if (seen.has(a.href)) break;
      seen.add(a.href);
      await press(page, 'Enter');
      await shown(page, a.href);
      assert.equal((await active(page)).href, a.href, 'the focus stays on the entry opened');
      await focusStop(page);
    }
    await press(page, 'ArrowDown');
  }
  assert.deepEqual([...seen].sort(), want, 'every entry of the menu reached and opened');
  await shot(page, 'keyboard-menu');

  // back to 档案列表 (Home, ↓↓), the drafts, the first one
  await press(page, 'Home');
  await press(page, 'ArrowDown');
  await press(page, 'ArrowDown');
  assert.equal((await active(page)).href, '/households');
  await press(page, 'Enter');
  await shown(page, '/households');
  await page.waitForSelector('[data-test=hh-table] .el-table__row');
  await press(page, 'Home');
  const back = await press(page, 'Shift+Tab');
  assert.equal(back.name, '跳到主要内容', 'Shift+Tab from the first entry: the skip link');
  await page.keyboard.press('Enter'); // to the screen itself
  await tabTo(page, async () => (await page.evaluate(() => document.activeElement.id)) === 'f-status', 'the status filter');
  await page.keyboard.press('Enter'); // opens the options
  await page.waitForSelector('.el-select-dropdown__item:visible');
  for (let i = 0; i < 10; i++) {
    if ((await page.locator('.el-select-dropdown__item.is-hovering:visible').innerText().catch(() => '')).trim() === '草稿') break;
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
  await tabTo(page, (s) => s.name === '查询', 'the 查询 button');
  await page.keyboard.press('Enter');
  await page.waitForURL(/status=draft/);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-test=hh-table] .el-table__row')].every((r) => r.textContent.includes('草稿')));
  const link = await tabTo(page, (s) => /^\/households\/\d+$/.test(s.href || ''), 'the first archive of the list');
  await page.keyboard.press('Enter');
  await shown(page, link.href);
  const id = Number(link.href.match(/\d+$/)[0]);
  assert.equal((await api(user, 'GET', `/households/${id}`)).body.status, 'draft');
  const visits = (await api(user, 'GET', `/households/${id}/visits`)).body.items.length;

  // 记录走访: the dialog takes the focus; 走访人 emptied and saved shows an error, and the
  // field in error still shows where the focus is
  // the link went with the list: Tab goes on from where it was, in the screen
  await tabTo(page, async () => (await active(page)).test === 'add-visit', 'the 记录走访 button');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-test=visit-dialog] .el-dialog, .el-dialog:visible');
  await tabTo(page, async () => (await active(page)).test === 'visit-visitor', 'the 走访人 field');
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await tabTo(page, async () => (await active(page)).test === 'visit-save', 'the 保存 button');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.el-dialog .el-form-item.is-error');
  await tabTo(page, async () => (await active(page)).test === 'visit-visitor', 'the 走访人 field in error', { back: true });
  assert.ok(await page.evaluate(() => !!document.activeElement.closest('.el-form-item.is-error')), 'the focused field shows its error');
  await shot(page, 'keyboard-field-error');
  await page.keyboard.type('键盘测试员');
  await tabTo(page, async () => (await active(page)).test === 'visit-notes', 'the 走访记录 field');
  await page.keyboard.type('键盘走访：入户核查，情况属实。');
  await tabTo(page, async () => (await active(page)).test === 'visit-save', 'the 保存 button');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-test=visits-table] >> text=键盘走访');
  assert.equal((await api(user, 'GET', `/households/${id}/visits`)).body.items.length, visits + 1, 'the visit is recorded');

  // 提交: the action's dialog, 确定提交
  await page.waitForFunction(() => !document.querySelector('.el-overlay:not([style*="display: none"]) .el-dialog'));
  await page.keyboard.press('Shift+Tab');
  await tabTo(page, async () => (await active(page)).test === 'act-submit', 'the 提交 button', { back: true });
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-test=action-confirm]');
  await tabTo(page, async () => (await active(page)).test === 'action-confirm', 'the 确定提交 button');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-test=hh-status]')?.textContent.trim() === '待审核');
  assert.equal((await api(user, 'GET', `/households/${id}`)).body.status, 'submitted');
  await page.context().close();
});

test('keyboard: the phone menu drawer takes the focus, reaches every entry and gives the focus back, 390×844', async () => {
  const user = 's1_staff';
  const page = await context(390, 844);
  await keyboardLogin(page, user);
  const btn = await tabTo(page, (s) => s.name === '打开菜单', 'the menu button');
  assert.ok(btn);
  // Escape closes the drawer and gives the focus back
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.closest('.menu-drawer .menu-link') && document.activeElement.getBoundingClientRect().left >= 0);
  assert.equal((await active(page)).href, '/dashboard', 'the drawer opens on the entry of the screen shown');
  await focusStop(page);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === '打开菜单');
  await focusStop(page);
  await page.waitForSelector('.menu-drawer', { state: 'hidden' });

  const want = await entries(user);
  const seen = new Set();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.closest('.menu-drawer .menu-link') && document.activeElement.getBoundingClientRect().left >= 0);
  for (let i = 0; i < 80; i++) {
    const a = await active(page);
    assert.ok(a.inDrawer, 'the focus stays in the drawer');
    if (a.group && a.expanded === 'false') {
      await press(page, 'Enter');
    } else if (a.href) {
      if (seen.has(a.href)) break;
      seen.add(a.href);
      await press(page, 'Enter').catch(() => {}); // the drawer closes: checked below
      await shown(page, a.href);
      await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === '打开菜单');
      await focusStop(page); // back on the menu button
      await page.waitForSelector('.menu-drawer', { state: 'hidden' });
      await page.keyboard.press('Enter');
      // the drawer opens on the entry just opened (once it has slid in)
      await page.waitForFunction((h) => document.activeElement?.closest('.menu-drawer') && document.activeElement.getAttribute('href') === h &&
        document.activeElement.getBoundingClientRect().left >= 0, a.href);
      await focusStop(page);
    }
    await press(page, 'ArrowDown');
  }
  assert.deepEqual([...seen].sort(), want, 'every entry of the menu reached and opened through the drawer');
  await page.context().close();
});

test('keyboard: no script errors', () => {
  assert.deepEqual(pageErrors, []);
});
