// The statutory calendar that ships with bangfu (issue 23): the 国务院办公厅
// notices of 2024–2026 loaded by init and migrate, deadlines counted on it,
// a year without data flagged and warned about, "today" in Asia/Shanghai,
// and calendar files imported carefully (GB18030, refusals by row, nothing
// stored after a refusal, nothing but UTF-8 in the database and the audit log).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test, describe, before, after } from 'node:test';
import { startServer, withServer, assertError, assertFieldError, assertStatus, limit } from './lib.mjs';
import { aidWorld, applyOk, LIVING_DOCS } from './aid-fixture.mjs';
import { makeHouseholds, hhAct } from './aid-world.mjs';
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
// After a clock move sessions have expired (30 idle minutes): log in again.
const relogin = async (s) => {
	s._admin = null;
	return (await s.admin()).token;
};

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

describe('deadlines of real records through 2026 (one server, the clock walks)', () => {
	let s, w, A, B, V1, V2;
	const apply = (h) => applyOk(w, { household_id: h.id, program_code: 'living', requested_fen: 30000, documents: LIVING_DOCS });
	const dashboard = async () => {
		const r = await s.api('GET', '/reports/dashboard', { token: w.admin.token });
		assertStatus(r, 200, 'dashboard');
		return r.json;
	};
	before(async () => {
		s = await startServer({ clock: '2026-01-05T02:00:00Z' });
		w = await aidWorld(s, { label: 'statutory' });
		await w.setClock('2026-01-05T02:00:00Z');
		[A, B] = await makeHouseholds(w, [{}, {}]);
		[V1, V2] = await makeHouseholds(w, [{ upto: 'verified' }, { upto: 'verified' }]);
	});
	after(async () => { if (s) await s.stop(); });

	test('a 6-working-day application submitted on 2026-02-13 is due 2026-02-28 (a make-up Saturday)', T, async () => {
		await w.setClock('2026-02-13T02:00:00Z');
		const a = await apply(A);
		assert.equal(a.due_date, '2026-02-28');
		assert.equal(a.due_date_provisional, false);
	});

	test('a notice published on 2026-09-30 for 5 working days ends 2026-10-13; approval waits for the Beijing day after', T, async () => {
		await w.setClock('2026-09-30T02:00:00Z');
		const p = await hhAct(w, V1.id, w.staff, { action: 'publish' });
		assert.equal(p.notice_end, '2026-10-13');
		assert.equal(p.notice_end_provisional, false);
		await w.setClock('2026-10-13T15:30:00Z'); // 23:30 on 10-13 in Beijing
		assertError(await s.api('POST', `/households/${V1.id}/transitions`, { token: w.approverD.token, body: { action: 'approve' } }),
			409, 'notice_period', 'the last day of the notice, Beijing time');
		await w.setClock('2026-10-13T16:30:00Z'); // 00:30 on 10-14 in Beijing, still 10-13 in UTC
		const ok = await hhAct(w, V1.id, w.approverD, { action: 'approve' });
		assert.equal(ok.status, 'approved');
	});

	test('across 31 December into 2027 (no data): provisional and warned; known once imported, counted again', T, async () => {
		await w.setClock('2026-12-28T02:00:00Z');
		const a = await apply(B);
		assert.equal(a.due_date, '2027-01-05', 'Monday to Friday: 12-29, 12-30, 12-31, 01-01, 01-04, 01-05');
		assert.equal(a.due_date_provisional, true);
		const listed = await s.api('GET', `/applications?household_id=${B.id}`, { token: w.admin.token });
		assert.equal(listed.json.items.find((x) => x.id === a.id).due_date_provisional, true, 'flagged in the list');
		const p = await hhAct(w, V2.id, w.staff, { action: 'publish' });
		assert.equal(p.notice_end, '2027-01-04');
		assert.equal(p.notice_end_provisional, true);
		const hl = await s.api('GET', '/households?status=in_notice', { token: w.admin.token });
		assert.equal(hl.json.items.find((x) => x.id === V2.id).notice_end_provisional, true, 'flagged in the list');
		const d = await dashboard();
		assert.deepEqual(d.warnings.map((x) => [x.code, x.year]), [['calendar_year_missing', 2027]]);
		assert.match(d.warnings[0].message, /工作日历：2027 年法定节假日尚未导入/);

		// the 2027 notice (a test's stand-in: New Year's Day only) imported with its year row
		const before = auditCount(s);
		const r = await s.api('POST', '/imports/calendar', { token: w.admin.token, contentType: 'text/csv',
			rawBody: 'date,workday,note\nyear,2027,测试用：2027年部分节假日安排\n2027-01-01,0,元旦\n' });
		assertStatus(r, 200, 'import 2027');
		assert.deepEqual([r.json.days, r.json.years], [1, [2027]]);
		assert.equal(auditCount(s), before + 2, 'the import and the recomputation, each audited');
		const a2 = (await s.api('GET', `/applications/${a.id}`, { token: w.admin.token })).json;
		assert.deepEqual([a2.due_date, a2.due_date_provisional], ['2027-01-06', false], 'counted again on the 2027 calendar');
		const h2 = (await s.api('GET', `/households/${V2.id}`, { token: w.admin.token })).json;
		assert.deepEqual([h2.notice_end, h2.notice_end_provisional], ['2027-01-05', false]);
		const audit = await s.api('GET', '/audit?entity=calendar&limit=5', { token: w.admin.token });
		assertStatus(audit, 200);
		assert.ok(audit.json.items.some((x) => x.action === 'recompute' && /申请 1 件、公示 1 户/.test(x.summary)), audit.text);
		assert.deepEqual((await dashboard()).warnings, [], 'no warning once 2027 is known');
		const c27 = await calendarOf(s, w.admin.token, 2027);
		assert.deepEqual([c27.known, c27.notice_source, c27.items[0].source], [true, 'override', 'override']);
	});
});

describe('today is Beijing\'s; timestamps stay UTC', () => {
	const caseBody = (org) => ({ org_id: org, channel: 'hotline', category: 'consultation', person_name: '赵六',
		phone: '13912345678', subject: '咨询', description: '来电咨询' });
	const today = async (s, token) => (await s.api('GET', '/reports/dashboard', { token })).json.today;

	test('before and after 16:00 UTC', T, async () => {
		await withServer({ clock: '2026-03-02T15:59:59Z' }, async (s) => {
			const { token } = await s.admin();
			assert.equal(await today(s, token), '2026-03-02', '23:59:59 in Beijing');
			const c1 = await s.api('POST', '/cases', { token, body: caseBody(1) });
			assertStatus(c1, 201);
			assert.equal(c1.json.received_on, '2026-03-02');
			s.setClock('2026-03-02T16:00:00Z');
			assert.equal(await today(s, token), '2026-03-03', '00:00 on 3 March in Beijing');
			const c2 = await s.api('POST', '/cases', { token, body: caseBody(1) });
			assertStatus(c2, 201);
			assert.equal(c2.json.received_on, '2026-03-03', 'a case taken at 00:00 Beijing time belongs to that day');
			assert.equal(c2.json.created_at, '2026-03-02T16:00:00Z', 'the timestamp stays UTC');
			s.setClock('2026-03-02T23:00:00Z'); // 07:00 on 3 March in Beijing
			assert.equal(await today(s, await relogin(s)), '2026-03-03');
		});
	});

	test('serve --tz UTC keeps the UTC date; an unknown zone is refused', T, async () => {
		await withServer({ clock: '2026-03-02T23:00:00Z', args: ['--tz', 'UTC'] }, async (s) => {
			const { token } = await s.admin();
			assert.equal(await today(s, token), '2026-03-02');
			const r = s.cli(['serve', '--tz', 'Mars/Olympus', '--listen', '127.0.0.1:1']);
			assert.equal(r.code, 2, r.stderr);
			assert.match(r.stderr, /未知的时区/);
		});
	});
});

describe('the missing next year, on the dashboard and in bangfu check', () => {
	test('from 1 December, not before; check only reminds (exit 0)', T, async () => {
		await withServer({ clock: '2026-11-30T02:00:00Z' }, async (s) => {
			const dash = async () => {
				const r = await s.api('GET', '/reports/dashboard', { token: await relogin(s) });
				assertStatus(r, 200, 'dashboard');
				return r.json.warnings;
			};
			const check = () => s.cli(['check', '--clock-file', s.clockFile]);
			assert.deepEqual(await dash(), []);
			let c = check();
			assert.equal(c.code, 0, c.stdout + c.stderr);
			assert.doesNotMatch(c.stdout, /提醒/);
			s.setClock('2026-12-01T02:00:00Z');
			assert.equal((await dash())[0].year, 2027);
			c = check();
			assert.equal(c.code, 0, c.stdout + c.stderr);
			assert.match(c.stdout, /提醒\s+工作日历：2027 年法定节假日尚未导入/);
			s.setClock('2028-01-10T02:00:00Z'); // this year unknown: always
			assert.match((await dash())[0].message, /2028 年法定节假日尚未导入/);
			const l = await calendarOf(s, await relogin(s), 2028);
			assert.match(l.warning, /2028 年/);
		});
	});
});

describe('bangfu migrate adds the shipped years a database lacks, an admin\'s override stays', () => {
	test('an older database: 2026 missing, an override of 2026-10-01', T, async () => {
		await withServer({}, async (s) => {
			const { token } = await s.admin();
			assertStatus(await s.api('PUT', '/calendar/2026-10-01', { token, body: { workday: true, note: '本单位值班' } }), 200);
			// as a database of the previous bangfu: no 2026 data under the override
			s.sql(`DELETE FROM calendar WHERE source = 'statutory' AND date LIKE '2026-%'`);
			s.sql('DELETE FROM calendar_years WHERE year = 2026');
			s.sql(`UPDATE calendar SET statutory_workday = NULL, statutory_note = NULL WHERE date = '2026-10-01'`);
			let c = s.cli(['check']);
			assert.match(c.stdout, /本程序自带 2026 年法定节假日安排，数据库中还没有，请运行 bangfu migrate/);
			const m = s.cli(['migrate']);
			assert.equal(m.code, 0, m.stderr);
			assert.match(m.stdout, /已载入法定节假日安排：2026 年/);
			const cal = await calendarOf(s, token, 2026);
			const day = (d) => cal.items.find((x) => x.date === d);
			assert.deepEqual([day('2026-10-01').source, day('2026-10-01').workday, day('2026-10-01').note], ['override', true, '本单位值班']);
			assert.deepEqual(day('2026-10-01').statutory, { workday: false, note: '国庆节' });
			assert.deepEqual([day('2026-10-02').source, day('2026-10-02').workday], ['statutory', false]);
			assert.equal(cal.known, true);
			assert.match(s.cli(['migrate']).stdout, /法定节假日安排已是最新/);
			c = s.cli(['check']);
			assert.doesNotMatch(c.stdout, /本程序自带/);
			// removing the override brings the notice's day back; a statutory day has no override to remove
			assertStatus(await s.api('DELETE', '/calendar/2026-10-01', { token, body: {} }), 204);
			const back = (await calendarOf(s, token, 2026)).items.find((x) => x.date === '2026-10-01');
			assert.deepEqual([back.source, back.workday, back.note], ['statutory', false, '国庆节']);
			assertError(await s.api('DELETE', '/calendar/2026-10-02', { token, body: {} }), 404, 'not_found');
			assert.equal(s.cli(['audit', 'verify']).code, 0);
		});
	});
});

describe('calendar files: GB18030, refusals by row, nothing stored after a refusal', () => {
	let s, token;
	before(async () => {
		s = await startServer();
		token = (await s.admin()).token;
	});
	after(async () => { if (s) await s.stop(); });
	const file = (name, bytes) => {
		const f = path.join(s.dir, name);
		fs.writeFileSync(f, bytes);
		return f;
	};
	const nothingIn2029 = async (before, what) => {
		const c = await calendarOf(s, token, 2029);
		assert.deepEqual([c.items, c.known], [[], false], `nothing stored after ${what}`);
		assert.equal(auditCount(s), before, `no audit entry after ${what}`);
	};
	const upload = (body) => s.api('POST', '/imports/calendar', { token, rawBody: body, contentType: 'text/csv' });

	test('a GB18030 file (as Excel on Chinese Windows saves it) is decoded, by the CLI and over HTTP', T, async () => {
		const r = s.cli(['calendar', 'import', file('gb.csv', gb18030('日期,是否工作日,说明\r\n2029-10-01,0,国庆节\r\n2029-10-08,是,国庆调休\r\n'))]);
		assert.equal(r.code, 0, r.stderr);
		const c = await calendarOf(s, token, 2029);
		assert.deepEqual(c.items.map((x) => [x.date, x.workday, x.note, x.source]),
			[['2029-10-01', false, '国庆节', 'override'], ['2029-10-08', true, '国庆调休', 'override']]);
		const h = await upload(gb18030('2029-10-02,休息,国庆节\n'));
		assertStatus(h, 200, 'GB18030 over HTTP');
		assert.equal((await calendarOf(s, token, 2029)).items.find((x) => x.date === '2029-10-02').note, '国庆节');
		const audit = await s.api('GET', '/audit?entity=calendar', { token });
		assertStatus(audit, 200);
		assert.ok(audit.json, 'GET /audit?entity=calendar answers valid JSON');
		assert.ok(audit.json.items.every((x) => !x.summary.includes('\ufffd')), 'no replacement characters');
		for (const d of ['2029-10-01', '2029-10-02', '2029-10-08'])
			assertStatus(await s.api('DELETE', `/calendar/${d}`, { token, body: {} }), 204);
	});

	test('bad files are refused with the row, by the CLI (exit 1) and over HTTP (422), and nothing is stored', T, async () => {
		const head = Buffer.from('date,workday,note\n2029-01-01,0,元旦\n');
		const bad = [
			['invalid bytes', Buffer.concat([head, Buffer.from('2029-01-02,0,'), Buffer.from([0x81, 0x0a])]), 3, /编码无法识别/],
			['a date twice', Buffer.from('date,workday,note\n2029-01-01,0,元旦\n2029-01-02,0,x\n2029-01-01,1,又一次\n'), 4, /2029-01-01 重复：第 2 行已写过/],
			['an impossible date', Buffer.concat([head, Buffer.from('2029-02-30,0,x\n')]), 3, /日期“2029-02-30”无效/],
			['an unknown workday value', Buffer.concat([head, Buffer.from('2029-01-03,maybe,x\n')]), 3, /是否工作日“maybe”无效/],
			['a fourth column', Buffer.concat([head, Buffer.from('2029-01-03,0,元旦,多余\n')]), 3, /第 4 列多出内容/],
			['a year row without its notice', Buffer.concat([head, Buffer.from('year,2029,\n')]), 3, /缺少通知名称/],
		];
		for (const [what, bytes, row, re] of bad) {
			const before = auditCount(s);
			const r = s.cli(['calendar', 'import', file('bad.csv', bytes)]);
			assert.equal(r.code, 1, `${what}: exit 1\n${r.stderr}`);
			assert.match(r.stderr, new RegExp(`第 ${row} 行：`), `${what}: the row is named\n${r.stderr}`);
			assert.match(r.stderr, re, what);
			await nothingIn2029(before, `${what} (CLI)`);
			const h = await upload(bytes);
			const d = assertError(h, 422, 'validation_failed', what);
			assert.equal(d.errors[0].row, row, `${what}: ${h.text}`);
			assert.match(d.errors[0].message, re, what);
			await nothingIn2029(before, `${what} (HTTP)`);
		}
		const staff = await s.userSession({ role: 'staff' });
		assertError(await s.api('POST', '/imports/calendar', { token: staff.token, rawBody: head, contentType: 'text/csv' }), 403, 'forbidden');
		assertError(await upload(''), 400, 'bad_request', 'no file');
	});

	test('no invalid UTF-8 reaches the audit log: JSON bodies are checked, a long name is cut on a character', T, async () => {
		const raw = Buffer.concat([Buffer.from('{"workday":false,"note":"'), Buffer.from([0xb9, 0xfa]), Buffer.from('"}')]);
		const r = await s.api('PUT', '/calendar/2029-05-01', { token, rawBody: raw });
		assertError(r, 400, 'bad_json', 'GB18030 bytes in a JSON body');
		// a path or query that is not UTF-8 after URL decoding: refused before any handler or audit entry
		const viewer = await s.userSession({ role: 'viewer' });
		const before = auditCount(s);
		assertFieldError(await s.api('GET', '/households?q=%B9%FA', { token }), 'q', { what: 'a query parameter' });
		assertError(await s.api('DELETE', '/calendar/%FF', { token, body: {} }), 400, 'bad_request', 'path');
		assertError(await s.api('POST', '/orgs/%FF', { token: viewer.token, body: {} }), 400, 'bad_request', 'a refused path');
		assert.equal(auditCount(s), before, 'nothing audited');
		assertStatus(await s.api('GET', '/households?q=%E5%BC%A0', { token }), 200, 'UTF-8 in a query is fine');
		// 30 Chinese characters (90 bytes): the failed login's audit summary keeps 64 bytes of it
		const name = '张'.repeat(30);
		assertError(await s.api('POST', '/login', { body: { username: name, password: 'x' } }), 401, 'invalid_credentials');
		const a = await s.api('GET', '/audit?action=login_failed&limit=1', { token });
		assertStatus(a, 200);
		assert.ok(a.json, `valid JSON: ${a.text.slice(0, 200)}`);
		assert.equal(a.json.items[0].summary, '登录失败：用户名 ' + '张'.repeat(21), 'cut after the 21st whole character');
		assert.equal(s.cli(['audit', 'verify']).code, 0);
		// and the store refuses such text outright (SQLite would keep it)
		const dbUtf8 = s.sql("SELECT COUNT(*) FROM audit_log WHERE summary LIKE '%\ufffd%'");
		assert.equal(Number(dbUtf8.trim()), 0);
	});
});
