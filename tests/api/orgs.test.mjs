// Org units: creation rules, listing, paging.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, withServer, assertError, assertFieldError, assertStatus, regionCode, uniq, limit } from './lib.mjs';

const T = { timeout: limit(60000) };

test('init --org-name/--region-code name the root unit', T, async () => {
	await withServer({ initArgs: ['--org-name', '某某市总工会', '--region-code', '370200'] }, async (s) => {
		const { token } = await s.admin();
		const r = await s.api('GET', '/orgs/1', { token });
		assertStatus(r, 200);
		assert.equal(r.json.name, '某某市总工会');
		assert.equal(r.json.region_code, '370200');
	});
});

test('GET /orgs lists the subtree with items/total and pages with limit/offset', T, async () => {
	await withServer({}, async (s) => {
		const { token } = await s.admin();
		const made = [];
		for (let i = 0; i < 5; i++)
			made.push((await s.createOrg({ parent_id: 1, level: 'district', name: `区${i}` })).id);
		const all = await s.api('GET', '/orgs', { token });
		assertStatus(all, 200);
		assert.deepEqual(Object.keys(all.json).sort(), ['items', 'total']);
		assert.equal(all.json.total, 6);
		assert.equal(all.json.items.length, 6);
		const ids = all.json.items.map((o) => o.id).sort((a, b) => a - b);
		assert.deepEqual(ids, [1, ...made].sort((a, b) => a - b));
		for (const o of all.json.items)
			for (const k of ['id', 'parent_id', 'name', 'level', 'region_code'])
				assert.ok(Object.hasOwn(o, k), `item lacks ${k}`);

		const p1 = await s.api('GET', '/orgs?limit=2&offset=0', { token });
		const p2 = await s.api('GET', '/orgs?limit=2&offset=2', { token });
		const p3 = await s.api('GET', '/orgs?limit=2&offset=4', { token });
		const p4 = await s.api('GET', '/orgs?limit=2&offset=6', { token });
		for (const p of [p1, p2, p3, p4]) {
			assertStatus(p, 200);
			assert.equal(p.json.total, 6, 'total is the full count whatever the page');
		}
		assert.equal(p1.json.items.length, 2);
		assert.equal(p2.json.items.length, 2);
		assert.equal(p3.json.items.length, 2);
		assert.equal(p4.json.items.length, 0);
		const paged = [...p1.json.items, ...p2.json.items, ...p3.json.items].map((o) => o.id);
		assert.equal(new Set(paged).size, 6, 'pages do not overlap');
		assert.deepEqual([...paged].sort((a, b) => a - b), ids);
		const one = await s.api('GET', '/orgs?limit=1', { token });
		assert.equal(one.json.items.length, 1);
	});
});

describe('orgs on one shared server', () => {
	let s;
	before(async () => { s = await startServer(); });
	after(async () => { if (s) await s.stop(); });

	test('the root unit made by init is id 1, level city, no parent', T, async () => {
		const { token } = await s.admin();
		const r = await s.api('GET', '/orgs/1', { token });
		assertStatus(r, 200, 'GET /orgs/1');
		assert.equal(r.json.id, 1);
		assert.equal(r.json.level, 'city');
		assert.equal(r.json.parent_id, null);
		assert.equal(typeof r.json.name, 'string');
		assert.ok(r.json.name.length > 0);
		assert.match(String(r.json.region_code), /^\d{6}$/);
	});

	test('POST /orgs creates a unit below its parent', T, async () => {
		const { token } = await s.admin();
		const body = { parent_id: 1, name: '市南区总工会', level: 'district', region_code: '370202' };
		const r = await s.api('POST', '/orgs', { token, body });
		assertStatus(r, 201, 'district under city');
		assert.equal(typeof r.json.id, 'number');
		assert.notEqual(r.json.id, 1);
		assert.equal(r.json.parent_id, 1);
		assert.equal(r.json.name, body.name);
		assert.equal(r.json.level, 'district');
		assert.equal(r.json.region_code, '370202');
		const g = await s.api('GET', `/orgs/${r.json.id}`, { token });
		assertStatus(g, 200);
		for (const k of ['id', 'parent_id', 'name', 'level', 'region_code'])
			assert.deepEqual(g.json[k], r.json[k], k);
		// street under district, grassroots under street, grassroots under district (skipping a level is still "below")
		const st = await s.createOrg({ parent_id: r.json.id, level: 'street' });
		assert.equal(st.parent_id, r.json.id);
		const gr = await s.createOrg({ parent_id: st.id, level: 'grassroots' });
		assert.equal(gr.level, 'grassroots');
		const gr2 = await s.createOrg({ parent_id: r.json.id, level: 'grassroots' });
		assert.equal(gr2.parent_id, r.json.id);
	});

	test('a child level must be below its parent', T, async () => {
		const { token } = await s.admin();
		const mk = (parent_id, level) => s.api('POST', '/orgs', { token, body: { parent_id, name: uniq('单位'), level, region_code: regionCode() } });
		assertFieldError(await mk(1, 'city'), 'level', { what: 'city under city' });
		const d = await s.createOrg({ parent_id: 1, level: 'district' });
		assertFieldError(await mk(d.id, 'district'), 'level', { what: 'district under district' });
		assertFieldError(await mk(d.id, 'city'), 'level', { what: 'city under district' });
		const st = await s.createOrg({ parent_id: d.id, level: 'street' });
		const g = await s.createOrg({ parent_id: st.id, level: 'grassroots' });
		assertFieldError(await mk(g.id, 'grassroots'), 'level', { what: 'grassroots under grassroots' });
		assertFieldError(await mk(1, 'province'), 'level', { what: 'level not in the list' });
		// a parent that does not exist
		assertError(await mk(987654, 'district'), 404, 'not_found', 'unknown parent');
	});

	test('region_code must be 6 digits', T, async () => {
		const { token } = await s.admin();
		for (const rc of ['12345', '1234567', 'abcdef', '12345a', '']) {
			const r = await s.api('POST', '/orgs', { token, body: { parent_id: 1, name: uniq('区'), level: 'district', region_code: rc } });
			assertFieldError(r, 'region_code', { what: `region_code ${JSON.stringify(rc)}` });
		}
	});

	test('an empty name is refused', T, async () => {
		const { token } = await s.admin();
		const r = await s.api('POST', '/orgs', { token, body: { parent_id: 1, name: '', level: 'district', region_code: regionCode() } });
		assertFieldError(r, 'name', { what: 'empty name' });
	});

	test('GET /orgs: junk paging values are refused or ignored, never a crash', T, async () => {
		const { token } = await s.admin();
		const r = await s.api('GET', '/orgs?limit=abc', { token });
		assert.ok([200, 400, 422].includes(r.status), `limit=abc → ${r.status}`);
		if (r.status !== 200)
			assertError(r, r.status, r.status === 400 ? 'bad_request' : 'validation_failed');
		const neg = await s.api('GET', '/orgs?offset=-1', { token });
		assert.ok([200, 400, 422].includes(neg.status), `offset=-1 → ${neg.status}`);
	});
});
