// Working-day calendar: overrides, arithmetic, CSV import.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test, describe, before, after } from 'node:test';
import { startServer, withServer, assertError, assertFieldError, assertStatus, limit } from './lib.mjs';

const T = { timeout: limit(60000) };

const add = async (s, token, from, n) => {
	const r = await s.api('GET', `/calendar/workdays?from=${from}&add=${n}`, { token });
	assertStatus(r, 200, `workdays from ${from} add ${n}`);
	return r.json.date;
};
const count = async (s, token, from, to) => {
	const r = await s.api('GET', `/calendar/workdays?from=${from}&to=${to}`, { token });
	assertStatus(r, 200, `workdays from ${from} to ${to}`);
	return r.json.workdays;
};

test('PUT /calendar/{date} sets an override; GET /calendar?year lists it', T, async () => {
	await withServer({}, async (s) => {
		const { token } = await s.admin();
		const r = await s.api('PUT', '/calendar/2026-10-01', { token, body: { workday: false, note: '国庆节' } });
		assertStatus(r, 200, 'PUT calendar');
		assert.deepEqual({ date: r.json.date, workday: r.json.workday, note: r.json.note }, { date: '2026-10-01', workday: false, note: '国庆节' });
		const l = await s.api('GET', '/calendar?year=2026', { token });
		assertStatus(l, 200);
		assert.ok(Array.isArray(l.json.items));
		const e = l.json.items.find((x) => x.date === '2026-10-01');
		assert.ok(e, `2026-10-01 listed: ${l.text}`);
		assert.equal(e.workday, false);
		assert.equal(e.note, '国庆节');
		// other years do not list it
		const l27 = await s.api('GET', '/calendar?year=2027', { token });
		assertStatus(l27, 200);
		assert.ok(!l27.json.items.some((x) => x.date === '2026-10-01'));
		// PUT again replaces
		const r2 = await s.api('PUT', '/calendar/2026-10-01', { token, body: { workday: true, note: '改' } });
		assertStatus(r2, 200);
		const l2 = await s.api('GET', '/calendar?year=2026', { token });
		const same = l2.json.items.filter((x) => x.date === '2026-10-01');
		assert.equal(same.length, 1, 'one override per date');
		assert.equal(same[0].workday, true);
		assert.equal(same[0].note, '改');
	});
});

test('workdays arithmetic honours holidays and make-up days', T, async () => {
	await withServer({}, async (s) => {
		const { token } = await s.admin();
		for (let d = 1; d <= 7; d++)
			assertStatus(await s.api('PUT', `/calendar/2026-10-0${d}`, { token, body: { workday: false, note: '国庆节' } }), 200);
		assertStatus(await s.api('PUT', '/calendar/2026-10-10', { token, body: { workday: true, note: '国庆调休' } }), 200);
		assert.equal(await add(s, token, '2026-09-30', 1), '2026-10-08');
		assert.equal(await add(s, token, '2026-09-30', 2), '2026-10-09');
		assert.equal(await add(s, token, '2026-09-30', 3), '2026-10-10');
		assert.equal(await add(s, token, '2026-09-30', 4), '2026-10-12');
		assert.equal(await add(s, token, '2026-09-30', 5), '2026-10-13');
		assert.equal(await add(s, token, '2026-10-03', 1), '2026-10-08', 'from a holiday');
		// (from, to]: 10-08, 10-09, 10-10 (make-up Saturday), 10-12
		assert.equal(await count(s, token, '2026-09-30', '2026-10-12'), 4);
		assert.equal(await count(s, token, '2026-10-09', '2026-10-10'), 1);
		assert.equal(await count(s, token, '2026-10-10', '2026-10-11'), 0);
	});
});

test('bangfu calendar import loads date,workday,note rows', T, async () => {
	await withServer({}, async (s) => {
		const { token } = await s.admin();
		const f = path.join(s.dir, 'cal.csv');
		fs.writeFileSync(f, 'date,workday,note\n2027-10-01,0,国庆节\n2027-10-02,false,国庆节\n2027-10-09,1,国庆调休\n2027-10-10,true,国庆调休\n');
		const r = s.cli(['calendar', 'import', f]);
		assert.equal(r.code, 0, `calendar import failed: ${r.stderr}`);
		const l = await s.api('GET', '/calendar?year=2027', { token });
		assertStatus(l, 200);
		const m = Object.fromEntries(l.json.items.map((x) => [x.date, x]));
		assert.equal(m['2027-10-01']?.workday, false);
		assert.equal(m['2027-10-02']?.workday, false);
		assert.equal(m['2027-10-09']?.workday, true);
		assert.equal(m['2027-10-10']?.workday, true);
		assert.equal(m['2027-10-01']?.note, '国庆节');
		// and the arithmetic sees them: 2027-09-30 is a Thursday
		assert.equal(await add(s, token, '2027-09-30', 1), '2027-10-04');
	});
});

test('bangfu calendar import: CRLF line ends and a BOM are accepted', T, async () => {
	await withServer({}, async (s) => {
		const { token } = await s.admin();
		const f = path.join(s.dir, 'cal.csv');
		fs.writeFileSync(f, '\ufeffdate,workday,note\r\n2027-01-01,0,元旦\r\n');
		const r = s.cli(['calendar', 'import', f]);
		assert.equal(r.code, 0, `calendar import failed: ${r.stderr}`);
		const l = await s.api('GET', '/calendar?year=2027', { token });
		const e = l.json.items.find((x) => x.date === '2027-01-01');
		assert.ok(e, l.text);
		assert.equal(e.note, '元旦');
	});
});

test('bangfu calendar import: one bad row → non-zero exit and nothing loaded', T, async () => {
	await withServer({}, async (s) => {
		const { token } = await s.admin();
		const bads = [
			'date,workday,note\n2028-10-01,0,国庆节\n2028-02-30,0,不存在\n2028-10-02,0,国庆节\n',
			'date,workday,note\n2028-10-01,0,国庆节\n2028-10-03,maybe,x\n',
			'date,workday,note\n2028-10-01,0,国庆节\nnot-a-date,1,x\n',
		];
		for (const text of bads) {
			const f = path.join(s.dir, 'bad.csv');
			fs.writeFileSync(f, text);
			const r = s.cli(['calendar', 'import', f]);
			assert.notEqual(r.code, 0, `a bad row must fail the import: ${JSON.stringify(text)}`);
			assert.ok(r.stderr.trim().length > 0, 'the failure is explained on stderr');
			const l = await s.api('GET', '/calendar?year=2028', { token });
			assertStatus(l, 200);
			assert.deepEqual(l.json.items, [], `nothing loaded after ${JSON.stringify(text)}: ${l.text}`);
		}
		const missing = s.cli(['calendar', 'import', path.join(s.dir, 'no-such-file.csv')]);
		assert.equal(missing.code, 1, 'missing file → exit 1');
	});
});

describe('calendar on one shared server (no data for 2028)', () => {
	let s;
	before(async () => { s = await startServer(); });
	after(async () => { if (s) await s.stop(); });

	test('calendar: impossible dates and bodies are refused', T, async () => {
		const { token } = await s.admin();
		for (const d of ['2026-02-30', '2026-13-01', '2025-02-29', '2026-04-31']) {
			const r = await s.api('PUT', `/calendar/${d}`, { token, body: { workday: false, note: 'x' } });
			assert.equal(r.status, 422, `${d}: ${r.status} ${r.text}`);
			assertError(r, 422, 'validation_failed', d);
		}
		assertStatus(await s.api('PUT', '/calendar/2028-02-29', { token, body: { workday: false, note: '闰日' } }), 200, 'leap day exists');
		const bad = await s.api('PUT', '/calendar/2026-05-01', { token, body: { workday: 'no', note: 'x' } });
		assertError(bad, 400, 'bad_request', 'workday as a string');
		const missing = await s.api('PUT', '/calendar/2026-05-01', { token, body: { note: 'x' } });
		assertFieldError(missing, 'workday', { what: 'workday missing' });
		const l = await s.api('GET', '/calendar?year=2026', { token });
		assert.ok(!l.json.items.some((x) => x.date === '2026-02-30'));
		assert.equal(l.json.items.find((x) => x.date === '2026-05-01').source, 'statutory', 'the refused PUTs left 05-01 alone');
	});

	test('workdays arithmetic: plain weeks in a year without data (2028)', T, async () => {
		const { token } = await s.admin();
		assert.equal(await add(s, token, '2028-09-27', 1), '2028-09-28'); // Wed → Thu
		assert.equal(await add(s, token, '2028-09-29', 1), '2028-10-02'); // Fri → Mon
		assert.equal(await add(s, token, '2028-09-30', 1), '2028-10-02'); // Sat → Mon
		assert.equal(await add(s, token, '2028-09-27', 5), '2028-10-04');
		assert.equal(await count(s, token, '2028-09-27', '2028-10-09'), 8);
		assert.equal(await count(s, token, '2028-09-29', '2028-10-02'), 1); // (Fri, Mon]
		assert.equal(await count(s, token, '2028-10-02', '2028-10-02'), 0);
	});

	test('workdays: bad parameters are refused', T, async () => {
		const { token } = await s.admin();
		for (const q of ['from=2026-02-30&add=1', 'from=x&add=1', 'add=1', 'from=2026-09-30&add=abc', 'from=2026-09-30&to=2026-13-01']) {
			const r = await s.api('GET', `/calendar/workdays?${q}`, { token });
			assert.ok([400, 422].includes(r.status), `${q}: ${r.status} ${r.text}`);
			assertError(r, r.status, r.status === 400 ? 'bad_request' : 'validation_failed', q);
		}
	});
});
