// Browser tests of the scans (issue 19): on a draft archive of street S1 a
// staff member uploads the ID card by the file picker and a 户口簿 by drag
// and drop, previews the image in place, sees the browser and the server
// refuse in Chinese (类型不支持, 文件过大), deletes one; the camera input is
// there for phones; on a submitted application the missing paper turns
// 已上传 once scanned.  Same setup as ui.test.mjs (tests/run-ui.sh).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { URL0, pageErrors, useBrowser, api, open, close } from './browser.mjs';

const require = createRequire(import.meta.url);
useBrowser();
after(() => {
  assert.deepEqual(pageErrors, [], 'no script errors in the pages');
});

// a real 2×2 PNG (zlib from node), so the preview is an image chromium draws
function png() {
  const zlib = require('node:zlib');
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b) => { let c = 0xffffffff; for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (t, d) => { const l = Buffer.alloc(4); l.writeUInt32BE(d.length); const td = Buffer.concat([Buffer.from(t), d]); const c = Buffer.alloc(4); c.writeUInt32BE(crc(td)); return Buffer.concat([l, td, c]); };
  const ihdr = Buffer.from([0, 0, 0, 2, 0, 0, 0, 2, 8, 0, 0, 0, 0]);
  const raw = Buffer.from([0, 0x20, 0xe0, 0, 0xe0, 0x20]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\nstartxref\n9\n%%EOF\n');

async function token(user) {
  const r = await fetch(URL0 + '/api/v1/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password: process.env.BANGFU_DEMO_PASSWORD || 'Demo2026pass' }) });
  return (await r.json()).token;
}

async function pickKind(page, panel, kind) {
  await page.locator(`${panel} [data-test=attachment-kind]`).click();
  await page.keyboard.type(kind);
  await page.locator('.el-select-dropdown__item:visible', { hasText: kind }).first().click();
}

test('household scans: picker, drag and drop, preview, Chinese refusals, delete; camera input for phones', async () => {
  const drafts = await api('s1_staff', 'GET', '/households?status=draft&limit=1');
  assert.equal(drafts.status, 200);
  const hh = drafts.body.items[0];
  assert.ok(hh, 'the demo has a draft archive in S1');
  const page = await open('s1_staff');
  await page.goto(`${URL0}/households/${hh.id}`);
  const panel = '[data-test=attachments-household]';
  await page.waitForSelector(panel);
  const before = await page.locator(`${panel} .attach-item`).count();
  // the phone camera: an image input with capture
  assert.equal(await page.locator(`${panel} [data-test=attachment-capture]`).getAttribute('accept'), 'image/*');
  assert.equal(await page.locator(`${panel} [data-test=attachment-capture]`).getAttribute('capture'), 'environment');

  // 1. the picker: an ID card image, previewed in place
  await pickKind(page, panel, '身份证');
  await page.locator(`${panel} [data-test=attachment-file]`).setInputFiles({ name: '身份证.png', mimeType: 'image/png', buffer: png() });
  await page.waitForSelector(`${panel} .attach-item[data-kind=身份证]`);
  await page.locator(`${panel} .attach-item[data-kind=身份证] [data-test=attachment-show]`).first().click();
  const img = page.locator(`${panel} .attach-item[data-kind=身份证] img[data-test=attachment-preview]`).first();
  await img.waitFor();
  await page.waitForFunction((sel) => { const i = document.querySelector(sel); return i && i.complete && i.naturalWidth === 2; },
    `${panel} .attach-item[data-kind=身份证] img[data-test=attachment-preview]`);

  // 2. drag and drop: a 户口簿 PDF
  await pickKind(page, panel, '户口簿');
  await page.evaluate(({ sel, bytes }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], '户口簿.pdf', { type: 'application/pdf' }));
    document.querySelector(sel).dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { sel: `${panel} [data-test=attachment-drop]`, bytes: [...PDF] });
  await page.waitForSelector(`${panel} .attach-item[data-kind=户口簿]`);
  assert.equal(await page.locator(`${panel} .attach-item`).count(), before + 2);

  // 3. refusals in Chinese: by the browser (type, size) and by the server (HTML named .png)
  await page.locator(`${panel} [data-test=attachment-file]`).setInputFiles({ name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await page.waitForSelector(`${panel} [data-test=attachment-refusal]:has-text("类型不支持")`);
  await page.locator(`${panel} [data-test=attachment-file]`).setInputFiles({ name: 'big.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(10 * 1024 * 1024 + 1, 0x20) });
  await page.waitForSelector(`${panel} [data-test=attachment-refusal]:has-text("文件过大")`);
  await page.locator(`${panel} [data-test=attachment-file]`).setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('<html><body>not a scan</body></html>') });
  await page.waitForSelector(`${panel} [data-test=attachment-refusal]:has-text("类型不支持：")`);
  assert.equal(await page.locator(`${panel} .attach-item`).count(), before + 2, 'nothing stored by refusals');

  // 4. delete while the archive is a draft
  await page.locator(`${panel} .attach-item[data-kind=户口簿] [data-test=attachment-delete]`).first().click();
  await page.locator('.el-popconfirm button', { hasText: '删除' }).click();
  await page.waitForFunction(({ sel, n }) => document.querySelectorAll(sel).length === n, { sel: `${panel} .attach-item`, n: before + 1 });
  const list = await api('s1_staff', 'GET', `/attachments?owner_type=household&owner_id=${hh.id}`);
  assert.equal(list.body.items.filter((a) => !a.deleted_at).length, before + 1);
  const audit = await api('admin', 'GET', '/audit?action=download&entity=attachment');
  assert.ok(audit.body.items.length >= 1, 'the preview was an audited download');
  // the agency checks section is on the same screen
  await page.waitForSelector('[data-test=hh-checks]');
  await close(page);
});

test('application: a missing paper turns 已上传 once its scan is attached', async () => {
  const apps = await api('s1_staff', 'GET', '/applications?status=submitted&limit=100');
  const app = apps.body.items.find((a) => a.program_code === 'living');
  assert.ok(app, 'a submitted living-aid application in S1');
  const full = await api('s1_staff', 'GET', `/applications/${app.id}`);
  const doc = full.body.program.documents.find((d) => !full.body.attached_documents[d]);
  assert.ok(doc, 'a paper not scanned yet');
  const page = await open('s1_staff', { width: 390, height: 844 });
  await page.goto(`${URL0}/applications/${app.id}`);
  const panel = '[data-test=attachments-application]';
  await page.waitForSelector(panel);
  assert.notEqual(await page.locator(`[data-test=doc-uploaded][data-doc="${doc}"]`).count(), 1);
  await pickKind(page, panel, doc);
  await page.locator(`${panel} [data-test=attachment-file]`).setInputFiles({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.waitForSelector(`[data-test=doc-uploaded][data-doc="${doc}"]`);
  await page.waitForSelector(`${panel} .attach-item .attach-icon:has-text("PDF")`);
  // a scan on the household counts for its application, with its thumbnail
  const doc2 = full.body.program.documents.find((d) => d !== doc && !full.body.attached_documents[d]);
  assert.ok(doc2, 'a second paper not scanned yet');
  const hhScan = await fetch(`${URL0}/api/v1/attachments?owner_type=household&owner_id=${app.household_id}&kind=${encodeURIComponent(doc2)}`, {
    method: 'POST', headers: { Authorization: 'Bearer ' + (await token('s1_staff')), 'Content-Type': 'image/png' }, body: png() });
  assert.equal(hhScan.status, 201, await hhScan.clone().text());
  const scanId = (await hhScan.json()).id;
  await page.reload();
  await page.waitForSelector(`[data-test=doc-uploaded][data-doc="${doc2}"]`);
  await page.click(`[data-test=doc-view-${scanId}]`);
  await page.waitForFunction(() => { const i = document.querySelector('img[data-test=doc-thumb]'); return i && i.complete && i.naturalWidth === 2; });
  await close(page);
});
