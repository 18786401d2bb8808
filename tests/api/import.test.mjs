// import.test.mjs — POST /imports/households and `bangfu import households`
// (API.md "Import format (普查表)"): CSV in UTF-8, UTF-8 with BOM and
// GB18030, XLSX, multipart, dry runs, row-level errors, all or nothing,
// duplicates in the file and against the database, broken files, the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, assertError, assertStatus, listAll } from './lib.mjs';
import { world, revealHh, assertMasked } from './idgen.mjs';
import {
	HEADER, family, csv, xlsx, gb18030, CSV_TYPE, XLSX_TYPE, uploadTo, countIn, assertImportError, hasError,
} from './import-fixture.mjs';

let s;
let w;
before(async () => {
	s = await startServer();
	w = await world(s, { users: ['staff1', 'staff2', 'viewer1', 'adminS1'] });
});
after(async () => { if (s) await s.stop(); });

const upload = (body, o) => uploadTo(s, w, body, o);
const count = (org) => countIn(s, w, org);

async function findByName(name, org = w.s1.id) {
	const { items } = await listAll(s, `/households?org_id=${org}&q=${encodeURIComponent(name)}`, w.admin.token);
	return items.filter((h) => h.name === name);
}


test('template.csv: the header row, UTF-8 with BOM', async () => {
	const r = await fetch(`${s.base}/api/v1/imports/households/template.csv`, { headers: { Authorization: `Bearer ${w.viewer1.token}` } });
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /text\/csv/);
	assert.match(r.headers.get('content-disposition') || '', /attachment/);
	const buf = Buffer.from(await r.arrayBuffer());
	assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
	assert.equal(buf.subarray(3).toString('utf8').trim(), HEADER.join(','));
});

test('good CSV (UTF-8): households as drafts with members, counts, audit', async () => {
	const a = family(3), b = family(1);
	const before = await count();
	const r = await upload(csv([...a, ...b]), { dry: false });
	assertStatus(r, 200, 'import');
	assert.deepEqual({ ...r.json, active: undefined }, { dry_run: false, households: 2, people: 4, errors: [], active: undefined, mode: 'bulk' });
	assert.equal(await count(), before + 2);
	const [h] = await findByName(a[0][1]);
	assert.ok(h, 'imported household listed');
	assert.equal(h.status, 'draft');
	const got = await s.api('GET', `/households/${h.id}`, { token: w.staff1.token });
	assertStatus(got, 200);
	assertMasked(got.json, 'an imported household');
	const full = { json: await revealHh(w, got.json) };
	assert.equal(full.json.id_number, a[0][0]);
	assert.equal(full.json.monthly_income_fen, 210050);
	assert.deepEqual([...full.json.causes].sort(), ['illness_family', 'low_income']);
	assert.equal(full.json.phone, '13800138000');
	assert.equal(got.json.phone, '138****8000');
	assert.equal(full.json.household_size, 3);
	assert.equal(full.json.members.length, 2);
	const sp = full.json.members.find((m) => m.id_number === a[1][2]);
	assert.equal(sp.relation, 'spouse');
	assert.equal(sp.monthly_income_fen, 80000);
	const ch = full.json.members.find((m) => m.id_number === a[2][2]);
	assert.equal(ch.relation, 'child');
	assert.equal(ch.school_stage, 'primary');
	const ev = await s.api('GET', `/households/${h.id}/events`, { token: w.staff1.token });
	assert.equal(ev.json.items[0].to, 'draft');
	const au = await s.api('GET', '/audit?entity=household&limit=50', { token: w.admin.token });
	assertStatus(au, 200);
	assert.ok(au.json.items.some((e) => e.action === 'import'), 'one audit entry for the import');
});

// API.md: "A household is the rows sharing 户主身份证号" — its rows need not
// be consecutive, nor the worker's row come first.
test('a household whose rows are apart is imported whole; errors keep the file\'s rows', async () => {
	const b = family(3), c = family(2);
	const rows = [b[1], c[0], b[0], c[1], b[2]]; // rows 2..6
	const bad = rows.map((r) => [...r]);
	bad[4][3] = '表亲'; // row 6, in b, two rows after b's worker
	const d = assertImportError(await upload(csv(bad)), 'split household with an error');
	assert.deepEqual(d.errors.map((e) => [e.row, e.column]), [[6, '与户主关系']], JSON.stringify(d.errors));
	const dup = rows.map((r) => [...r]);
	dup[3][2] = b[1][2]; // row 5 (in c) repeats row 2's ID (in b)
	const dd = assertImportError(await upload(csv(dup)), 'split households, a repeated ID');
	assert.ok(hasError(dd, 5, '身份证号', /第 2 行/), JSON.stringify(dd.errors));
	const before = await count();
	const r = await upload(csv(rows), { dry: false });
	assertStatus(r, 200, 'split household import');
	assert.deepEqual([r.json.households, r.json.people, r.json.errors], [2, 5, []]);
	assert.equal(await count(), before + 2);
	for (const [f, n] of [[b, 2], [c, 1]]) {
		const [h] = await findByName(f[0][1]);
		assert.ok(h, `household of ${f[0][1]} listed`);
		const got = await s.api('GET', `/households/${h.id}`, { token: w.staff1.token });
		assertStatus(got, 200);
		const full = { json: await revealHh(w, got.json) };
		assert.equal(full.json.id_number, f[0][0]);
		assert.deepEqual(full.json.members.map((m) => m.id_number).sort(), f.slice(1).map((m) => m[2]).sort());
		assert.equal(full.json.household_size, n + 1);
	}
});

test('UTF-8 with BOM and CRLF, quoted fields, blank lines skipped', async () => {
	const a = family(2);
	a[0][9] = '上城区"幸福"里, 3号';
	const text = '\ufeff' + csv([a[0]], HEADER, '\r\n') + '\r\n,,,,,,,,,,\r\n' + csv([a[1]], HEADER, '\r\n').split('\r\n').slice(1).join('\r\n');
	const r = await upload(Buffer.from(text, 'utf8'));
	assertStatus(r, 200, 'BOM import');
	assert.equal(r.json.households, 1);
	assert.equal(r.json.people, 2);
	const [h] = await findByName(a[0][1]);
	const full = await s.api('GET', `/households/${h.id}`, { token: w.staff1.token });
	assert.equal(full.json.address, '上城区"幸福"里, 3号');
});

test('GB18030 CSV is recognised and converted', async () => {
	const a = family(2);
	a[0][1] = '欧阳淑珍';
	const r = await upload(gb18030(csv(a)), { type: 'text/csv' });
	assertStatus(r, 200, 'GB18030 import');
	assert.equal(r.json.people, 2);
	const [h] = await findByName('欧阳淑珍');
	assert.ok(h, 'name decoded from GB18030');
	const full = await s.api('GET', `/households/${h.id}`, { token: w.staff1.token });
	assert.equal(full.json.address, '上城区解放路1号');
});

test('good XLSX: shared and inline strings, number cells', async () => {
	const a = family(2);
	const rows = [HEADER, [a[0][0], { inline: a[0][1] }, a[0][0], '本人', 1500.5, '良好', '', 13900001111, '某厂', '某路2号', '失业'],
		[a[1][0], a[1][1], a[1][2], '配偶', 0, '', '', '', '', '', '']];
	const r = await upload(xlsx(rows), { type: XLSX_TYPE });
	assertStatus(r, 200, 'xlsx import');
	assert.equal(r.json.households, 1);
	const [h] = await findByName(a[0][1]);
	const got = await s.api('GET', `/households/${h.id}`, { token: w.staff1.token });
	const full = { json: await revealHh(w, got.json) };
	assert.equal(full.json.monthly_income_fen, 150050);
	assert.equal(full.json.phone, '13900001111', 'a number cell read as the phone');
	assert.deepEqual(full.json.causes, ['unemployment']);
});

test('XLSX: a formula cell is refused, an ID stored as a number is explained', async () => {
	const a = family(2), b = family(1);
	const rows = [HEADER, [a[0][0], a[0][1], a[0][0], '本人', { f: 'SUM(1000,500)', v: 1500 }, '', '', '', '', '', ''],
		[a[1][0], a[1][1], a[1][2], '配偶', 0],
		[b[0][0], b[0][1], Number(b[0][0].slice(0, 17)) * 10, '本人', 100]];
	const before = await count();
	const r = await upload(xlsx(rows), { type: XLSX_TYPE });
	const d = assertImportError(r, 'formula');
	assert.ok(hasError(d, 2, '月收入(元)', /单元格含公式，请填写数值/), r.text);
	assert.ok(hasError(d, 4, '身份证号', /数字/), r.text);
	assert.equal(await count(), before);
});

test('dry run: the answer of a real run, nothing written', async () => {
	const before = await count();
	const r = await upload(csv([...family(3), ...family(2)]), { dry: true });
	assertStatus(r, 200, 'dry run');
	assert.equal(r.json.dry_run, true);
	assert.equal(r.json.households, 2);
	assert.equal(r.json.people, 5);
	assert.deepEqual(r.json.errors, []);
	assert.equal(await count(), before);
});

test('a mixed file: 422 with row-level errors, nothing imported', async () => {
	const good = family(2), bad = family(3);
	bad[1][2] = bad[1][2].slice(0, 17) + (bad[1][2][17] === '0' ? '1' : '0'); // wrong check character
	bad[2][3] = '表亲';
	bad[2][4] = '12.345';
	bad[0][10] = '家属患病、天灾';
	const rows = [...good, ...bad];
	const before = await count();
	const r = await upload(csv(rows));
	const d = assertImportError(r, 'mixed');
	assert.equal(d.dry_run, false);
	assert.equal(d.households, 2);
	assert.equal(d.people, 5);
	assert.ok(hasError(d, 5, '身份证号', /校验/), r.text);
	assert.ok(hasError(d, 6, '与户主关系'), r.text);
	assert.ok(hasError(d, 6, '月收入(元)'), r.text);
	assert.ok(hasError(d, 4, '致困原因', /天灾/), r.text);
	const rowsSorted = d.errors.map((e) => e.row);
	assert.deepEqual(rowsSorted, [...rowsSorted].sort((x, y) => x - y));
	assert.equal(await count(), before, 'the good household was not imported either');
	assert.equal((await findByName(good[0][1])).length, 0);
});

test('unknown and missing columns', async () => {
	const a = family(1);
	let r = await upload(csv([[...a[0], '浙江']], [...HEADER, '籍贯']));
	let d = assertImportError(r, 'unknown column');
	assert.ok(hasError(d, 1, '籍贯'), r.text);
	r = await upload(csv([a[0].slice(0, 4)], HEADER.slice(0, 4)));
	d = assertImportError(r, 'missing column');
	assert.ok(hasError(d, 1, '月收入(元)', /缺少/), r.text);
	r = await upload('');
	assert.ok(r.status === 400 || r.status === 422, r.text);
});

test('household rules: worker row required, one per person, 本人 = 户主身份证号', async () => {
	const a = family(2);
	const noWorker = [a[1]];
	const b = family(2);
	b[1][2] = b[0][2]; // member with the worker's own ID number
	const r = await upload(csv([...noWorker, ...b]));
	const d = assertImportError(r, 'worker rules');
	assert.ok(hasError(d, 2, '户主身份证号', /本人/), r.text);
	assert.ok(d.errors.some((e) => e.row === 4), r.text);
});

test('duplicate ID numbers within the file and against the database', async () => {
	const a = family(2), b = family(2);
	b[1][2] = a[1][2]; // a's spouse again, in another household
	let r = await upload(csv([...a, ...b]));
	let d = assertImportError(r, 'duplicate in file');
	assert.ok(hasError(d, 5, '身份证号', /第 3 行/), r.text);

	r = await upload(csv(a));
	assertStatus(r, 200, 'first import');
	const c = family(2);
	c[1][2] = a[0][2]; // a's worker as c's member: already in an open archive
	const before = await count();
	r = await upload(csv([...c, ...family(1)]));
	d = assertImportError(r, 'duplicate in database');
	assert.ok(hasError(d, 3, '身份证号', /在档/), r.text);
	assert.equal(await count(), before);
	// the same person in a household of another unit (outside staff1's scope) is found too
	r = await upload(csv(a), { org: w.s2.id, who: w.staff2 });
	d = assertImportError(r, 'duplicate across units');
	assert.ok(hasError(d, 2, '身份证号'), r.text);
});

test('broken files: truncated xlsx, non-zip claiming xlsx, binary, bad CSV quotes — clear errors, server alive', async () => {
	const good = xlsx([HEADER, family(1)[0]]);
	for (const [what, body, type] of [
		['truncated xlsx', good.subarray(0, Math.floor(good.length / 2)), XLSX_TYPE],
		['truncated xlsx tail', good.subarray(0, good.length - 30), XLSX_TYPE],
		['not a zip', Buffer.from('this is not a zip file at all'), XLSX_TYPE],
		['zip header only', Buffer.from('PK\u0003\u0004garbage garbage garbage'), XLSX_TYPE],
		['binary as csv', Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 0, 10, 13]), 'text/csv'],
		['UTF-16 csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv(family(1)), 'utf16le')]), 'text/csv'],
		['unbalanced quote', Buffer.from(csv(family(1)) + '"abc,def\n'), 'text/csv'],
	]) {
		const r = await upload(body, { type });
		assert.ok(r.status === 422 || r.status === 400, `${what}: ${r.status} ${r.text}`);
		const e = r.json.error;
		assert.match(e.message, /[\u3400-\u9fff]/, what);
		if (r.status === 422)
			assert.match(e.details.errors[0].message, /[\u3400-\u9fff]/, what);
	}
	const h = await s.api('GET', '/healthz');
	assertStatus(h, 200, 'server alive');
});

test('multipart/form-data field "file"', async () => {
	const a = family(2);
	const fd = new FormData();
	fd.append('note', 'x');
	fd.append('file', new Blob([csv(a)], { type: 'text/csv' }), '普查表.csv');
	const res = await fetch(`${s.base}/api/v1/imports/households?org_id=${w.s1.id}&dry_run=false`, {
		method: 'POST', headers: { Authorization: `Bearer ${w.staff1.token}` }, body: fd,
	});
	const text = await res.text();
	assert.equal(res.status, 200, text);
	assert.equal(JSON.parse(text).households, 1);
	const fx = new FormData();
	fx.append('file', new Blob([xlsx([HEADER, ...family(1)])], { type: XLSX_TYPE }), 'a.xlsx');
	const r2 = await fetch(`${s.base}/api/v1/imports/households?org_id=${w.s1.id}`, {
		method: 'POST', headers: { Authorization: `Bearer ${w.staff1.token}` }, body: fx,
	});
	assert.equal(r2.status, 200, await r2.text());
	const none = new FormData();
	none.append('other', 'x');
	const r3 = await fetch(`${s.base}/api/v1/imports/households?org_id=${w.s1.id}`, {
		method: 'POST', headers: { Authorization: `Bearer ${w.staff1.token}` }, body: none,
	});
	assert.equal(r3.status, 400);
});

test('permissions and scope: viewer 403, another unit 404, org_id required', async () => {
	const body = csv(family(1));
	assertError(await upload(body, { who: w.viewer1 }), 403, 'forbidden');
	assertError(await upload(body, { org: w.s2.id }), 404, 'not_found');
	const r = await s.api('POST', '/imports/households', { token: w.staff1.token, rawBody: body, contentType: CSV_TYPE });
	assertError(r, 422, 'validation_failed');
});

test('archives approved on paper (档案编号, 建档日期): admin only, start active', async () => {
	const hdr = [...HEADER, '档案编号', '建档日期'];
	const a = family(2);
	const rows = [[...a[0], 'SC-2025-0001', '2025-06-01'], [...a[1], '', '']];
	let r = await upload(csv(rows, hdr), { who: w.staff1 });
	const d = assertImportError(r, 'staff cannot');
	assert.ok(hasError(d, 2, '档案编号', /管理员/), r.text);

	r = await upload(csv(rows, hdr), { who: w.adminS1 });
	assertStatus(r, 200, 'admin import of archives');
	assert.equal(r.json.active, 1);
	const [h] = await findByName(a[0][1]);
	assert.equal(h.status, 'active');
	assert.equal(h.archive_no, 'SC-2025-0001');
	assert.equal(h.next_review_date, '2025-12-01');

	const b = family(1);
	r = await upload(csv([[...b[0], 'SC-2025-0001', '2025/6/2']], hdr), { who: w.adminS1 });
	const d2 = assertImportError(r, 'archive number taken');
	assert.ok(hasError(d2, 2, '档案编号'), r.text);
});

test('CLI: dry run, real run, row errors (exit 1), usage (exit 2), progress', async () => {
	const dir = fs.mkdtempSync(path.join(s.dir, 'cli-'));
	const file = path.join(dir, '普查表.csv');
	const a = family(3);
	fs.writeFileSync(file, csv(a));
	const before = await count();
	let r = s.cli(['import', 'households', '--org-id', String(w.s1.id), file, '--dry-run']);
	assert.equal(r.code, 0, r.stderr);
	assert.doesNotMatch(r.stderr, /已处理/, 'no progress bar: not a TTY, no --progress');
	assert.match(r.stdout, /1 户.*3 人/);
	assert.equal(await count(), before);
	r = s.cli(['import', 'households', '--org-id', String(w.s1.id), file]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /已导入 1 户/);
	assert.equal(await count(), before + 1);
	r = s.cli(['import', 'households', '--org-id', String(w.s1.id), file]);
	assert.equal(r.code, 1);
	assert.match(r.stderr, /第 2 行/);
	r = s.cli(['import', 'households', file]);
	assert.equal(r.code, 2);
	r = s.cli(['import', 'households', '--org-id', String(w.s1.id)]);
	assert.equal(r.code, 2);
	r = s.cli(['import', 'households', '--org-id', String(w.s1.id), path.join(dir, 'missing.csv')]);
	assert.equal(r.code, 1);

	// a larger sheet (xlsx): a progress bar on stderr with --progress, all imported
	const many = [];
	for (let i = 0; i < 1020; i++)
		many.push(...family(1));
	const big = path.join(dir, 'big.xlsx');
	fs.writeFileSync(big, xlsx([HEADER, ...many]));
	r = s.cli(['import', 'households', '--org-id', String(w.s1.id), big, '--progress'], { timeout: 300000 });
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stderr, /100\.0%  已处理 1021 行/);
	assert.match(r.stderr, /已处理 1000 行/);
	assert.match(r.stdout, /已导入 1020 户/);
});
