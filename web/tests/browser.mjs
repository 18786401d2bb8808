// Shared helpers of the browser tests (web/tests/*.test.mjs): Debian's
// chromium through playwright-core, logging in through the login page, and
// the API with a bearer token to find fixtures and check results.
// Needs a running server with the demo data (bangfu init --demo) that serves
// the UI at BANGFU_UI_URL (tests/run-ui.sh starts one).  Not a test file
// itself: node --test only runs *.test.mjs.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const URL0 = (process.env.BANGFU_UI_URL || 'http://127.0.0.1:8090').replace(/\/$/, '');
export const PW = process.env.BANGFU_DEMO_PASSWORD || 'Demo2026pass';
const ADMIN_PW = process.env.BANGFU_ADMIN_PASSWORD || 'Admin12345a';
export const CLOCK = process.env.BANGFU_UI_CLOCK_FILE; // the server's "now" (tests/run-ui.sh)
export const pw = (u) => (u === 'admin' ? ADMIN_PW : PW);

/** Where screenshots go: docs/screenshots/ unless BANGFU_SHOTS says (tests/run-ui.sh: a temp dir). */
export const SHOTS = process.env.BANGFU_SHOTS || path.resolve(fileURLToPath(new URL('../../docs/screenshots', import.meta.url)));
/** A screenshot of the viewport as SHOTS/NAME.png. */
export async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: false });
}

/** Script errors of every page opened by open(), as "user: message". */
export const pageErrors = [];
let browser;

/** Registers the before/after hooks of a test file: one headless chromium for the file. */
export function useBrowser() {
  before(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
  });
  after(async () => {
    await browser?.close();
  });
}

/** The file's chromium (after useBrowser's before hook), for tests that make their own contexts. */
export const browserInstance = () => browser;

const tokens = {};
/** The API directly (bearer token): {status, body}. */
export async function api(user, method, p, body) {
  if (!tokens[user]) {
    const r = await fetch(URL0 + '/api/v1/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: user, password: pw(user) }) });
    assert.equal(r.status, 200, `login ${user} for fixtures`);
    tokens[user] = (await r.json()).token;
  }
  const r = await fetch(URL0 + '/api/v1' + p, {
    method, headers: { Authorization: 'Bearer ' + tokens[user], 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}
/** Forgets the tokens of api() (after the server's clock moved: idle sessions end). */
export function dropTokens() {
  for (const k of Object.keys(tokens)) delete tokens[k];
}

/** A new browser context and page, logged in as `user` unless null; ctx: more context options. */
export async function open(user, { width = 1366, height = 768, ...ctx } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...ctx });
  const page = await context.newPage();
  page.setDefaultTimeout(30000); // the machine running make check may be busy
  page.on('pageerror', (e) => pageErrors.push(`${user}: ${e.message}`));
  page.on('response', async (r) => {
    if (process.env.BANGFU_UI_DEBUG && r.url().includes('/api/') && r.status() >= 400)
      console.error('#', user, r.request().method(), r.url(), r.status(), (await r.text().catch(() => '')).slice(0, 300));
  });
  if (user) await login(page, user);
  return page;
}
export async function login(page, user, password = pw(user)) {
  await page.goto(URL0 + '/login');
  await page.fill('#username', user);
  await page.fill('#password', password);
  await page.click('[data-test=login-submit]');
  await page.waitForURL(/\/(dashboard|clues)/); // an informant (信息员) lands on its clues
  await page.waitForSelector('[data-test=user-name]');
}
export async function close(page) {
  await page.context().close();
}
/** An el-input / el-input-number by data-test (Element Plus puts the attribute on the input itself). */
export function field(page, name) {
  return page.locator(`input[data-test=${name}], textarea[data-test=${name}], [data-test=${name}] input, [data-test=${name}] textarea`).first();
}
/** Picks the option `label` of the el-select whose input has id `id`. */
export async function pickOption(page, id, label) {
  await page.locator('.el-select__wrapper', { has: page.locator('#' + id) }).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: label }).click();
}
/** Clicks the menu entry `text` (opening its group first when it is closed). */
export async function menuTo(page, text) {
  const inner = page.locator('a.menu-link', { hasText: new RegExp(`^\\s*${text}\\s*$`) });
  const link = page.locator('.app-menu').locator(inner).first();
  await link.waitFor({ state: 'attached' });
  if (!(await link.isVisible())) await page.locator('.app-menu .menu-group', { has: inner }).locator('.group-btn').click();
  await link.click();
}
/** The text of every entry of the menu, shown or in a closed group. */
export async function menuText(page) {
  return (await page.locator('.app-menu').allTextContents()).join(' ');
}
/** Goes to 档案列表 through the menu and queries the archives of status `label` (the URL shows `code`). */
export async function householdsOfStatus(page, label, code) {
  await menuTo(page, '档案列表');
  await page.waitForSelector('[data-test=hh-table] .el-table__row');
  await pickOption(page, 'f-status', label);
  await page.locator('button', { hasText: '查询' }).click();
  await page.waitForURL(new RegExp('status=' + code));
  await page.waitForSelector('[data-test=hh-table] .el-table__row');
}
