// import-fast.test.mjs — the census import's bulk way writes exactly what
// the one-by-one way (household_create(), as POST /households) writes.
//
// The same roster goes into two fresh databases at the same clock, once
// the default way (answer mode "bulk", or "bulk_grouped" when a
// household's rows are apart) and once with one_by_one=true; every
// household in full (members, figures, category, archive number), its
// trail, the open-archive index (through precise identification) and the
// audit log must then be the same, and `bangfu check` must pass on both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertStatus, listAll } from './lib.mjs';
import { HEADER, family, pid, csv, CSV_TYPE } from './import-fixture.mjs';
import { revealHh } from './idgen.mjs';

const ARCH = [...HEADER, '档案编号', '建档日期'];

// Households of every shape the sheet allows: 1–6 people, every relation,
// school stages, blank and full optional cells, several causes, incomes
// with fen, and two archives approved on paper (the system's own number
// form and a free one).
function roster() {
	const rows = [];
	const shapes = [1, 2, 3, 4, 5, 6, 2, 3];
	shapes.forEach((n, k) => {
		const f = family(n).map((r) => [...r, '', '']);
		f[0][4] = ['0', '1500.5', '888.88', '2100'][k % 4];
		f[0][10] = ['收入低', '本人患病、子女就学', '', '失业、家属患病、自然灾害'][k % 4];
		if (k % 3 === 0) {
			f[0][7] = '';
			f[0][8] = '';
		}
		for (let i = 1; i < f.length; i++) {
			f[i][3] = ['配偶', '子女', '父母', '兄弟姐妹', '祖父母', '孙子女', '其他'][(i + k) % 7];
			f[i][6] = ['', '学前', '小学', '初中', '高中', '中职', '大学'][(i * 3 + k) % 7];
			f[i][4] = String((i * 137 + k) % 900) + '.25';
		}
		if (k === 2)
			[f[0][11], f[0][12]] = ['330102202500012', '2025-06-01'];
		if (k === 5)
			[f[0][11], f[0][12]] = ['纸-2024-7', '2024-12-31'];
		rows.push(...f);
	});
	return rows;
}

async function importInto(rows, { oneByOne }) {
	const s = await startServer();
	const admin = await s.admin();
	const qs = `org_id=1&dry_run=false${oneByOne ? '&one_by_one=true' : ''}`;
	const r = await s.api('POST', `/imports/households?${qs}`, { token: admin.token, rawBody: csv(rows, ARCH), contentType: CSV_TYPE });
	assertStatus(r, 200, 'import');
	return { s, admin, answer: r.json };
}

// Everything the import wrote, as the API shows it with the full numbers
// of a reveal (audit first: a reveal is itself audited).
async function snapshot({ s, admin }) {
	const audit = await listAll(s, '/audit', admin.token);
	const { items } = await listAll(s, '/households?org_id=1', admin.token);
	const full = [];
	for (const h of items.sort((a, b) => a.id - b.id)) {
		const one = await s.api('GET', `/households/${h.id}`, { token: admin.token });
		assertStatus(one, 200);
		one.json = await revealHh({ s, admin }, one.json);
		const ev = await s.api('GET', `/households/${h.id}/events`, { token: admin.token });
		assertStatus(ev, 200);
		full.push({ ...one.json, events: ev.json });
	}
	const check = s.cli(['check']);
	assert.equal(check.code, 0, check.stdout + check.stderr);
	// Row keys are the database's own: PostgreSQL does not give back the
	// sequence numbers a way that gave up had taken, so households are
	// named by their order, members and events by their place.
	const rank = new Map(full.map((h, i) => [h.id, i + 1]));
	const households = full.map((h) => ({
		...h, id: rank.get(h.id),
		members: h.members.map((m) => ({ ...m, id: undefined })),
		events: (h.events.items || h.events).map((e) => ({ ...e, id: undefined, household_id: undefined })),
	}));
	// the import's entries (init's carry the real time of day)
	const entries = audit.items.filter((e) => e.entity === 'household')
		.map((e) => ({ ...e, entity_id: e.entity_id && rank.get(e.entity_id) }));
	return { audit: entries, households };
}

async function compare(rows, wantMode) {
	const fast = await importInto(rows, { oneByOne: false });
	const slow = await importInto(rows, { oneByOne: true });
	try {
		assert.equal(fast.answer.mode, wantMode, JSON.stringify(fast.answer));
		assert.equal(slow.answer.mode, 'one_by_one');
		assert.deepEqual({ ...fast.answer, mode: 0 }, { ...slow.answer, mode: 0 });
		const a = await snapshot(fast), b = await snapshot(slow);
		assert.ok(a.households.length >= 8, `${a.households.length} households`);
		assert.ok(a.households.some((h) => h.status === 'active' && h.archive_no === '330102202500012'));
		assert.ok(a.households.some((h) => h.members.length === 5));
		assert.deepEqual(a.households, b.households);
		assert.ok(a.audit.length >= 10, `${a.audit.length} audit entries`);
		assert.deepEqual(a.audit, b.audit);
		// the open-archive index: every person is held, in both
		for (const h of a.households.slice(0, 3)) {
			const again = await fast.s.api('POST', '/households', {
				token: fast.admin.token,
				body: { org_id: 1, name: '重复', id_number: h.members.at(-1)?.id_number || h.id_number, monthly_income_fen: 0 },
			});
			assert.equal(again.status, 409, again.text);
		}
	} finally {
		await fast.s.stop();
		await slow.s.stop();
	}
}

test('bulk import writes what one-by-one writes (households in order)', async () => {
	await compare(roster(), 'bulk');
});

test('rows of a household apart: grouped bulk way, same result', async () => {
	const rows = roster();
	// move the first household's second row to the end of the file
	const moved = rows.splice(1, 1);
	rows.push(...moved);
	await compare(rows, 'bulk_grouped');
});

test('a duplicate against the database sends the file the careful way, errors by row', async () => {
	const { s, admin } = await importInto(roster(), { oneByOne: false });
	try {
		const again = family(2).map((r) => [...r, '', '']);
		const held = pid(true);
		const r1 = await s.api('POST', '/households', {
			token: admin.token, body: { org_id: 1, name: '先建', id_number: held, monthly_income_fen: 0 },
		});
		assertStatus(r1, 201);
		again[1][2] = held;
		const r = await s.api('POST', '/imports/households?org_id=1', {
			token: admin.token, rawBody: csv([...family(3).map((x) => [...x, '', '']), ...again], ARCH), contentType: CSV_TYPE,
		});
		assert.equal(r.status, 422, r.text);
		assert.equal(r.json.error.details.mode, 'one_by_one');
		assert.ok(r.json.error.details.errors.some((e) => e.row === 6 && e.column === '身份证号'), r.text);
	} finally {
		await s.stop();
	}
});
