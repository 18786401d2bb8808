// The household list's q (API.md "Lists at scale", RULE list.q): a name by
// prefix or by any two or more consecutive characters, an archive number by
// prefix; found through the name grams kept with every write of a name
// (migration 010), in scope, paged; `bangfu check` names a gram that drifts.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { aidWorld, makeHouseholds, getHousehold, hhAct } from './aid-world.mjs';
import { startServer, assertStatus, limit, listAll } from './lib.mjs';
import { people, hhBody, world, createHh, getHh } from './idgen.mjs';

const T = { timeout: limit(120000) };

describe('households: q by name and archive number', () => {
	let s, w, p, made;
	const tag = String(Date.now() % 1000);
	// names unique to this test: a rare surname pair and given names
	const N = { a: '龚建国', b: '龚建华', c: '欧阳建国', d: '建龚', e: '龚', f: '龚%建', g: '司马建国华' };
	const q = async (text, who = w.staff1, extra = '') => {
		const r = await s.api('GET', `/households?q=${encodeURIComponent(text)}${extra.includes('limit=') ? '' : '&limit=500'}${extra}`, { token: who.token });
		assertStatus(r, 200, `q=${text}`);
		return r;
	};
	const names = async (text, who = w.staff1, extra = '') => (await q(text, who, extra)).json.items.map((x) => x.name).sort();

	before(async () => {
		s = await startServer();
		w = await world(s);
		p = people(700 + Number(tag));
		made = {};
		for (const [k, name] of Object.entries(N))
			made[k] = await createHh(w, hhBody(w.s1.id, p, { name, members: [] }));
		made.other = await createHh(w, hhBody(w.s2.id, p, { name: '龚建国', members: [] }), w.staff2);
	});
	after(async () => { await s.stop(); });

	test('one character: a prefix; two or more: consecutive characters anywhere, in order', T, async () => {
		assert.deepEqual(await names('龚'), ['龚', '龚%建', '龚建华', '龚建国'].sort(), 'the surname: names that start with it');
		assert.deepEqual(await names('建'), ['建龚'], 'one character matches only at the start');
		assert.deepEqual(await names('建国'), ['欧阳建国', '龚建国', '司马建国华'].sort(), 'two characters anywhere');
		assert.deepEqual(await names('阳建国'), ['欧阳建国']);
		assert.deepEqual(await names('欧阳建国'), ['欧阳建国'], 'the full name');
		// three characters are counted from their kept rows (migration 034),
		// more from the rows of the first three: at the start, inside, at the end
		for (const [text, want] of [['建国华', ['司马建国华']], ['马建国', ['司马建国华']], ['司马建', ['司马建国华']],
			['马建国华', ['司马建国华']], ['司马建国', ['司马建国华']], ['司马建国华', ['司马建国华']], ['马建华', []],
			['建国', ['欧阳建国', '龚建国', '司马建国华']]]) {
			const r = await q(text);
			assert.deepEqual(r.json.items.map((x) => x.name).sort(), [...want].sort(), `q=${text}`);
			assert.equal(r.json.total, want.length, `the total of q=${text}`);
		}
		assert.deepEqual(await names('龚建'), ['龚建华', '龚建国'].sort());
		assert.deepEqual(await names('国建'), [], 'the order counts');
		assert.deepEqual(await names('龚国'), [], 'not consecutive');
		assert.deepEqual(await names('%建'), ['龚%建'], '% is a character like any other');
		assert.deepEqual(await names('_建'), [], '_ is a character like any other');
		assert.deepEqual(await names('龚'.repeat(51)), [], 'longer than any name');
	});

	test('in scope only, with the other filters, paged, newest first', T, async () => {
		assert.deepEqual(await names('龚建国', w.staff2), ['龚建国'], 'the other street sees its own');
		const d = await q('龚建国', w.staffD);
		assert.deepEqual(d.json.items.map((x) => x.id), [made.other.id, made.a.id], 'the district sees both, newest first');
		assert.equal(d.json.total, 2);
		const page = await q('龚', w.staff1, '&limit=2&offset=1');
		assert.equal(page.json.total, 4);
		assert.deepEqual(page.json.items.map((x) => x.id), [made.e.id, made.b.id], 'the second and third newest');
		assert.deepEqual(await names('龚', w.staff1, '&status=active'), []);
		assert.deepEqual(await names('龚', w.staff1, '&status=draft'), ['龚', '龚%建', '龚建华', '龚建国'].sort());
		assert.deepEqual(await names('龚建国', w.staffD, `&org_id=${w.s2.id}`), ['龚建国']);
	});

	test('a renamed archive is found by its new name only', T, async () => {
		const h = await getHh(w, made.d.id, w.staff1);
		const u = await s.api('PATCH', `/households/${h.id}`, { token: w.staff1.token, body: { version: h.version, name: '龚小明' } });
		assertStatus(u, 200);
		assert.deepEqual(await names('建龚'), []);
		assert.deepEqual(await names('小明'), ['龚小明']);
		assert.ok((await names('龚')).includes('龚小明'));
	});

	test('an archive number by prefix', T, async () => {
		const r = await q('3301');
		for (const it of r.json.items)
			assert.ok(it.archive_no?.startsWith('3301'), `archive ${it.archive_no}`);
	});

	test('bangfu check proves the grams and names one that drifted', T, async () => {
		assert.equal(s.cli(['check']).code, 0);
		s.sql(`DELETE FROM name_grams WHERE household_id = ${made.b.id} AND gram = '建华'`);
		const c = s.cli(['check']);
		assert.equal(c.code, 1, c.stdout);
		assert.match(c.stdout, /失败\s+姓名检索索引与档案姓名一致：姓名检索索引与档案姓名不一致：1 处/);
		s.sql(`INSERT INTO name_grams (gram, household_id, org_id, name) VALUES ('建华', ${made.b.id}, ${w.s1.id}, '龚建华')`);
		assert.equal(s.cli(['check']).code, 0, 'repaired');
		s.sql(`UPDATE name_grams SET org_id = ${w.s2.id} WHERE household_id = ${made.b.id} AND gram = '建华'`);
		assert.equal(s.cli(['check']).code, 1, 'a gram in the wrong unit is a drift too');
		s.sql(`UPDATE name_grams SET org_id = ${w.s1.id} WHERE household_id = ${made.b.id} AND gram = '建华'`);
		assert.equal(s.cli(['check']).code, 0);
		// the runs of three characters (migration 034) are proved too
		s.sql(`DELETE FROM name_grams WHERE household_id = ${made.b.id} AND gram = '龚建华'`);
		assert.equal(s.cli(['check']).code, 1, 'a missing run of three is a drift');
		s.sql(`INSERT INTO name_grams (gram, household_id, org_id, name) VALUES ('龚建华', ${made.b.id}, ${w.s1.id}, '龚建华')`);
		assert.equal(s.cli(['check']).code, 0);
		// the name kept with each gram (migration 030) is proved too
		s.sql(`UPDATE name_grams SET name = '龚建国' WHERE household_id = ${made.b.id} AND gram = '建华'`);
		assert.equal(s.cli(['check']).code, 1, 'a gram with another name is a drift');
		s.sql(`UPDATE name_grams SET name = '龚建华' WHERE household_id = ${made.b.id} AND gram = '建华'`);
		assert.equal(s.cli(['check']).code, 0);
	});
});

// RULE list.q: an archive-number prefix lists in archive-number order, newest
// first, read in that order from the index (by id, a page walked the table).
describe('households: an archive-number prefix in archive-number order', () => {
	let s, w, X;
	before(async () => {
		s = await startServer({ clock: '2026-03-02T09:00:00Z' });
		w = await aidWorld(s, { label: 'archive-order' });
		// the first made is numbered last: its id is the smallest, its
		// archive number the newest
		const [first] = await makeHouseholds(w, [{ upto: 'in_notice' }]);
		X = await makeHouseholds(w, [{}, {}, {}]);
		await hhAct(w, first.id, w.approverD, { action: 'approve' });
		await hhAct(w, first.id, w.staff, { action: 'enter' });
		X.push(first);
	});
	after(() => s && s.stop());

	test('newest number first, on every page', T, async () => {
		const nos = [];
		for (const h of X)
			nos.push((await getHousehold(w, h.id)).archive_no);
		assert.ok(nos.every((n) => /^\d{15}$/.test(n)), nos.join());
		const prefix = nos[0].slice(0, 10); // region and year
		const all = (await listAll(s, `/households?q=${prefix}`, w.staff.token)).items.map((x) => x.archive_no);
		assert.ok(nos.every((n) => all.includes(n)));
		assert.deepEqual(all, [...all].sort().reverse());
		assert.equal(all[0], nos[3], 'the archive entered last first, though made first');
		const paged = [];
		for (let off = 0; off < all.length; off += 3) {
			const r = await s.api('GET', `/households?q=${prefix}&limit=3&offset=${off}`, { token: w.staff.token });
			assert.equal(r.json.total, all.length);
			paged.push(...r.json.items.map((x) => x.archive_no));
		}
		assert.deepEqual(paged, all);
	});
});
