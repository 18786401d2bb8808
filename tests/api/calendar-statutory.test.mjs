// The statutory calendar that ships with bangfu (issue 23): the 国务院办公厅
// notices of 2024–2026 loaded by init and migrate, deadlines counted on it,
// a year without data flagged and warned about, "today" in Asia/Shanghai,
// and calendar files imported carefully (GB18030, refusals by row, nothing
// stored after a refusal, nothing but UTF-8 in the database and the audit log).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test, describe, before, after } from 'node:test';
import { startServer, withServer, assertError, assertStatus, limit } from './lib.mjs';
import { aidWorld, hhBody, makeActive, createHousehold, applyOk, LIVING_DOCS } from './aid-fixture.mjs';
import { gb18030 } from './import-fixture.mjs';

const T = { timeout: limit(120000) };

const add = async (s, token, from, n) => {
	const r = await s.api('GET', `/calendar/workdays?from=${from}&add=${n}`, { token });
	assertStatus(r, 200, `workdays from ${from} add ${n}`);
	return r.json;
};
const count = async (s, token, from, to) => {
	const r = await s.api('GET', `/calendar/workdays?from=${from}&to=${to}`, { token });
	assertStatus(r, 200, `workdays from ${from} to ${to}`);
	return r.json.workdays;
};
const dayBefore = (d) => new Date(Date.parse(d + 'T00:00:00Z') - 86400000).toISOString().slice(0, 10);
const calendarOf = async (s, token, year) => {
	const r = await s.api('GET', `/calendar?year=${year}`, { token });
	assertStatus(r, 200, `GET /calendar?year=${year}`);
	return r.json;
};
const auditCount = (s) => Number(s.sql('SELECT COUNT(*) FROM audit_log').trim());

describe('the shipped statutory calendar (one server)', () => {
	let s, token;
	before(async () => {
		s = await startServer();
		token = (await s.admin()).token;
	});
	after(async () => { if (s) await s.stop(); });

	test('init loads 2024–2026, each year naming its notice; 2027 is not invented', T, async () => {
		assert.match(s.initOutput, /已载入法定节假日安排：2024、2025、2026 年/);
		const notices = { 2024: '国办发明电〔2023〕7号', 2025: '国办发明电〔2024〕12号', 2026: '国办发明电〔2025〕7号' };
		for (const [y, n] of Object.entries(notices)) {
			const c = await calendarOf(s, token, y);
			assert.equal(c.known, true, `${y} known`);
			assert.equal(c.notice_source, 'statutory');
			assert.ok(c.notice.includes(n), `${y}: ${c.notice}`);
			assert.ok(c.items.length > 25, `${y} lists its days`);
			assert.ok(c.items.every((d) => d.source === 'statutory' && d.note), `${y}: every day statutory, named`);
		}
		const c27 = await calendarOf(s, token, 2027);
		assert.equal(c27.known, false);
		assert.equal(c27.notice, null);
		assert.deepEqual(c27.items, []);
		const c26 = await calendarOf(s, token, 2026);
		const day = (d) => c26.items.find((x) => x.date === d);
		assert.deepEqual([day('2026-10-01').workday, day('2026-10-01').note, day('2026-10-01').weekday], [false, '国庆节', 4]);
		assert.deepEqual([day('2026-02-14').workday, day('2026-02-14').weekday], [true, 6]);
	});

	test('the issue\'s two examples', T, async () => {
		assert.equal((await add(s, token, '2026-09-30', 5)).date, '2026-10-13', '公示 from 2026-09-30, 5 working days');
		assert.equal((await add(s, token, '2026-02-13', 6)).date, '2026-02-28', '6 working days from 2026-02-13');
	});

	test('the Spring Festival and National Day make-up days 2024–2026 are working days, the holidays are not', T, async () => {
		const makeUp = ['2024-02-04', '2024-02-18', '2024-09-29', '2024-10-12', '2025-01-26', '2025-02-08',
			'2025-09-28', '2025-10-11', '2026-02-14', '2026-02-28', '2026-09-20', '2026-10-10'];
		for (const d of makeUp) {
			const dow = new Date(d + 'T00:00:00Z').getUTCDay();
			assert.ok(dow === 0 || dow === 6, `${d} is a weekend day`);
			assert.equal(await count(s, token, dayBefore(d), d), 1, `${d} is a make-up working day`);
		}
		const holidays = ['2024-02-12', '2024-02-16', '2024-10-07', '2025-01-28', '2025-02-04', '2025-10-08',
			'2026-02-16', '2026-02-23', '2026-10-05', '2026-10-07'];
		for (const d of holidays)
			assert.equal(await count(s, token, dayBefore(d), d), 0, `${d} is a holiday`);
		// a whole stretch: the 2025 National Day and Mid-Autumn week, with both make-up days
		// (09-26, 10-12]: 09-28 (Sun), 09-29, 09-30, 10-09, 10-10, 10-11 (Sat)
		assert.equal(await count(s, token, '2025-09-26', '2025-10-12'), 6);
	});

	test('a deadline that crosses 31 December into a year without data is provisional', T, async () => {
		const r = await add(s, token, '2026-12-28', 6);
		assert.equal(r.date, '2027-01-05', 'Monday to Friday: 12-29, 12-30, 12-31, 01-01, 01-04, 01-05');
		assert.equal(r.provisional, true);
		const inside = await add(s, token, '2026-12-21', 3);
		assert.equal(inside.provisional, false, 'a deadline inside 2026 is not');
	});
});
