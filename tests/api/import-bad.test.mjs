// import-bad.test.mjs — hostile and awkward census files (issue #5 "Bad
// input"): zip bombs, archives whose sizes lie, huge sheets (row, column and
// cell caps), the error cap, Excel serial dates, blank rows, columns without
// a name, wrong encodings, and text that crosses
// the readers' 64 KiB chunks.  Each ends in a clear Chinese error (or a
// correct import), nothing imported, the server alive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, assertStatus } from './lib.mjs';
import { world } from './idgen.mjs';
import {
	HEADER, family, csv, xlsx, gb18030, XLSX_TYPE, uploadTo, countIn, assertImportError, hasError,
} from './import-fixture.mjs';

let s;
let w;
before(async () => {
	s = await startServer();
	w = await world(s, { users: ['staff1', 'adminS1'] });
});
after(async () => { if (s) await s.stop(); });

const upload = (body, o) => uploadTo(s, w, body, o);
const count = () => countIn(s, w);

// python3 on stdin → the bytes it writes
function py(code) {
	const r = spawnSync('python3', ['-c', code], { maxBuffer: 64 << 20 });
	assert.equal(r.status, 0, `python3 failed: ${r.stderr}`);
	return r.stdout;
}

async function assertRefused(body, re, what, type = XLSX_TYPE) {
	const before = await count();
	const r = await upload(body, { type });
	const d = assertImportError(r, what);
	assert.ok(d.errors.some((e) => re.test(e.message)), `${what}: ${r.text}`);
	assert.equal(await count(), before, `${what}: nothing imported`);
	assertStatus(await s.api('GET', '/healthz'), 200, 'server alive');
	return d;
}

test('zip bomb: a worksheet declared at 40 MB from 40 KB is refused before inflating', async () => {
	const bomb = py(String.raw`
import io, sys, zipfile
b = io.BytesIO()
with zipfile.ZipFile(b, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('xl/worksheets/sheet1.xml', '<worksheet><sheetData>' + ' ' * (40 << 20) + '</sheetData></worksheet>')
sys.stdout.buffer.write(b.getvalue())`);
	assert.ok(bomb.length < 1 << 20, `bomb is small: ${bomb.length}`);
	await assertRefused(bomb, /压缩比异常/, 'zip bomb');
});

test('an archive that lies about its sizes: refused as damaged, not trusted', async () => {
	const good = xlsx([HEADER, ...family(2)]);
	// declare the worksheet 20 bytes smaller than it is, in the local header
	// and in the central directory alike (so the archive is consistent)
	const r = spawnSync('python3', ['-c', String.raw`
import struct, sys
b = bytearray(sys.stdin.buffer.read())
name = b'xl/worksheets/sheet1.xml'
i = 0
while True:
    i = b.find(name, i)
    if i < 0:
        break
    if b[i - 30:i - 26] == b'PK\x03\x04':
        o = i - 30 + 22
    elif b[i - 46:i - 42] == b'PK\x01\x02':
        o = i - 46 + 24
    else:
        i += 1
        continue
    (size,) = struct.unpack('<I', b[o:o + 4])
    b[o:o + 4] = struct.pack('<I', size - 20)
    i += 1
sys.stdout.buffer.write(b)`], { input: good, maxBuffer: 64 << 20 });
	assert.equal(r.status, 0, String(r.stderr));
	assert.notDeepEqual(r.stdout, good);
	await assertRefused(r.stdout, /xlsx 文件已损坏/, 'sizes that lie');
});

test('huge sheets: the row cap (1,048,576 rows), the error cap with the count of the rest', async () => {
	const rows = 'x\n'.repeat(1048576);
	const body = HEADER.join(',') + '\n' + rows;
	const d = await assertRefused(body, /行数超过上限（1048576 行）/, 'row cap', 'text/csv');
	assert.equal(d.errors.length, 1001, 'a thousand errors listed, then the count of the rest');
	const rest = d.errors.find((e) => /另有 \d+ 处错误未列出（最多列出 1000 处）/.test(e.message));
	assert.ok(rest, JSON.stringify(d.errors.slice(-2)));
	assert.equal(rest.row, 0);
	const capped = d.errors.find((e) => /行数超过上限/.test(e.message));
	assert.equal(capped.row, 1048577, 'the row the cap was reached at');
});

test('huge sheets: more than 200 columns, a cell over 32 KB', async () => {
	const wide = csv(family(1).map((r) => [...r, ...Array(200).fill('z')]), [...HEADER, ...Array(200).fill('备注')]);
	await assertRefused(wide, /列数超过上限（200 列）/, 'column cap', 'text/csv');
	const a = family(1);
	a[0][9] = '路'.repeat(12000); // 36,000 bytes in UTF-8
	await assertRefused(csv(a), /单元格过长（超过 32768 字节）/, 'cell cap', 'text/csv');
	const x = family(1);
	x[0][9] = { inline: '路'.repeat(12000) };
	await assertRefused(xlsx([HEADER, ...x]), /单元格过长（超过 32 KB）/, 'xlsx cell cap');
});

test('Excel serial dates: 建档日期 as a number is a date (45809 = 2025-06-01)', async () => {
	const hdr = [...HEADER, '档案编号', '建档日期'];
	const a = family(2);
	const r = await upload(xlsx([hdr, [...a[0], 'SC-SERIAL-1', 45809], a[1]]), { who: w.adminS1, type: XLSX_TYPE });
	assertStatus(r, 200, 'serial date import');
	assert.equal(r.json.active, 1);
	const { json } = await s.api('GET', `/households?org_id=${w.s1.id}&q=${encodeURIComponent(a[0][1])}`, { token: w.admin.token });
	const h = json.items.find((x) => x.name === a[0][1]);
	const full = await s.api('GET', `/households/${h.id}`, { token: w.admin.token });
	assertStatus(full, 200, 'the imported archive');
	assert.equal(full.json.entered_on, '2025-06-01', full.text);
	assert.equal(full.json.next_review_date, '2025-12-01');
	// a serial with a fraction, or before 1900-03-01, is not a date
	const b = family(1);
	const r2 = await upload(xlsx([hdr, [...b[0], 'SC-SERIAL-2', 45809.5]]), { who: w.adminS1, type: XLSX_TYPE });
	assert.ok(hasError(assertImportError(r2, 'fraction'), 2, '建档日期', /无效/), r2.text);
});

test('blank rows are skipped and rows keep their numbers (CSV and XLSX)', async () => {
	const a = family(2);
	a[1][3] = '表亲';
	const blank = Array(HEADER.length).fill('');
	let d = assertImportError(await upload(csv([a[0], blank, blank, a[1]])), 'csv blank rows');
	assert.ok(hasError(d, 5, '与户主关系'), JSON.stringify(d.errors));
	d = assertImportError(await upload(xlsx([HEADER, a[0], blank, blank, a[1]]), { type: XLSX_TYPE }), 'xlsx blank rows');
	assert.ok(hasError(d, 5, '与户主关系'), JSON.stringify(d.errors));
	const good = family(2);
	const r = await upload(xlsx([HEADER, blank, good[0], blank, good[1], blank]), { type: XLSX_TYPE, dry: true });
	assertStatus(r, 200, 'blank rows around good ones');
	assert.equal(r.json.people, 2);
});

test('a value in a column without a name', async () => {
	const a = family(1);
	let d = assertImportError(await upload(csv([[...a[0], '多出来的']])), 'extra column');
	assert.ok(d.errors.some((e) => e.row === 2 && /第 12 列有内容但没有列名/.test(e.message)), JSON.stringify(d.errors));
});

test('wrong encodings: bytes that are neither UTF-8 nor GB18030', async () => {
	const head = gb18030(HEADER.join(',') + '\n');
	await assertRefused(Buffer.concat([head, Buffer.from([0x81, 0x20, 0x0a])]), /编码无法识别.*第 2 行/, 'bad GB18030', 'text/csv');
	await assertRefused(Buffer.concat([head, Buffer.from('abc,', 'latin1'), Buffer.from([0xff, 0x0a])]), /编码无法识别/, 'latin-1 0xff', 'text/csv');
});

test('text across the readers\' 64 KiB chunks: GB18030 and UTF-8 with BOM, many households', async () => {
	const rows = [];
	for (let i = 0; i < 700; i++) {
		const f = family(1);
		f[0][9] = '浙江省杭州市上城区望江街道近江村' + '幢'.repeat(i % 7) + i + '号';
		rows.push(...f);
	}
	const text = csv(rows);
	const gb = gb18030(text);
	assert.ok(gb.length > 65536, `GB18030 file spans chunks: ${gb.length}`);
	let r = await upload(gb, { type: 'text/csv', dry: true });
	assertStatus(r, 200, 'GB18030 over several chunks');
	assert.equal(r.json.households, 700);
	r = await upload(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]), { type: 'text/csv', dry: true });
	assertStatus(r, 200, 'UTF-8 over several chunks');
	assert.equal(r.json.households, 700);
});
