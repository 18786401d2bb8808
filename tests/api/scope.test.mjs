// A user sees and acts only inside the subtree of their unit; outside is 404.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertStatus, regionCode, uniq, listAll, limit } from './lib.mjs';

const T = { timeout: limit(60000) };

describe('scope: city → district D → streets S1, S2', () => {
	let s, t, s1Admin, dAdmin, userS2, g1;
	before(async () => {
		s = await startServer();
		t = await s.tree();
		g1 = await s.createOrg({ parent_id: t.s1, level: 'grassroots' });
		s1Admin = await s.userSession({ org_id: t.s1, role: 'admin' });
		dAdmin = await s.userSession({ org_id: t.d, role: 'admin' });
		userS2 = await s.createUser({ org_id: t.s2, role: 'staff' });
	});
	after(async () => { if (s) await s.stop(); });

	test('S1 admin: GET /orgs/S2 → 404, GET /orgs/D and /orgs/1 → 404, GET /orgs/S1 → 200', T, async () => {
		const tok = s1Admin.token;
		assertError(await s.api('GET', `/orgs/${t.s2}`, { token: tok }), 404, 'not_found', 'sibling street');
		assertError(await s.api('GET', `/orgs/${t.d}`, { token: tok }), 404, 'not_found', 'parent district');
		assertError(await s.api('GET', '/orgs/1', { token: tok }), 404, 'not_found', 'root');
		assertStatus(await s.api('GET', `/orgs/${t.s1}`, { token: tok }), 200, 'own unit');
		assertStatus(await s.api('GET', `/orgs/${g1.id}`, { token: tok }), 200, 'child unit');
	});

	test('an out-of-scope id and a non-existent id answer the same', T, async () => {
		const a = await s.api('GET', `/orgs/${t.s2}`, { token: s1Admin.token });
		const b = await s.api('GET', '/orgs/987654', { token: s1Admin.token });
		assert.equal(a.status, b.status);
		assert.equal(a.json.error.code, b.json.error.code);
		assert.equal(a.json.error.message, b.json.error.message);
	});

	test('S1 admin: GET /orgs lists the S1 subtree only', T, async () => {
		const l = await listAll(s, '/orgs', s1Admin.token);
		assert.deepEqual(l.items.map((o) => o.id).sort((a, b) => a - b), [t.s1, g1.id].sort((a, b) => a - b));
		assert.equal(l.total, 2);
	});

	test('S1 admin: POST /users with org_id S2 → 404', T, async () => {
		const r = await s.api('POST', '/users', { token: s1Admin.token, body: { username: uniq('x'), name: '甲', password: 'Passw0rd1234', org_id: t.s2, role: 'staff' } });
		assertError(r, 404, 'not_found', 'user in sibling street');
		const r2 = await s.api('POST', '/users', { token: s1Admin.token, body: { username: uniq('x'), name: '甲', password: 'Passw0rd1234', org_id: t.d, role: 'admin' } });
		assertError(r2, 404, 'not_found', 'user in parent district');
		const ok = await s.api('POST', '/users', { token: s1Admin.token, body: { username: uniq('x'), name: '甲', password: 'Passw0rd1234', org_id: g1.id, role: 'staff' } });
		assertStatus(ok, 201, 'user in own subtree');
	});

	test('S1 admin: POST /orgs with parent_id S2 → 404', T, async () => {
		const r = await s.api('POST', '/orgs', { token: s1Admin.token, body: { parent_id: t.s2, name: uniq('企业'), level: 'grassroots', region_code: regionCode() } });
		assertError(r, 404, 'not_found', 'org under sibling');
		const ok = await s.api('POST', '/orgs', { token: s1Admin.token, body: { parent_id: t.s1, name: uniq('企业'), level: 'grassroots', region_code: regionCode() } });
		assertStatus(ok, 201, 'org under own unit');
	});

	test('S1 admin: a top-level org (parent_id null) is refused', T, async () => {
		const r = await s.api('POST', '/orgs', { token: s1Admin.token, body: { parent_id: null, name: uniq('市'), level: 'city', region_code: regionCode() } });
		assert.ok([403, 404].includes(r.status), `a street admin must not create a root unit: ${r.status} ${r.text}`);
		assertError(r, r.status, r.status === 403 ? 'forbidden' : 'not_found');
	});

	test('S1 admin: GET /users/{user in S2} → 404', T, async () => {
		assertError(await s.api('GET', `/users/${userS2.id}`, { token: s1Admin.token }), 404, 'not_found', 'user in S2');
		assertError(await s.api('GET', `/users/${dAdmin.user.id}`, { token: s1Admin.token }), 404, 'not_found', 'user in D');
		assertStatus(await s.api('GET', `/users/${s1Admin.user.id}`, { token: s1Admin.token }), 200, 'self');
	});

	test('S1 admin: standards and calendar are not writable outside the subtree', T, async () => {
		const r = await s.api('POST', '/standards', { token: s1Admin.token, body: { org_id: t.s2, year: 2026, monthly_fen: 90000 } });
		assertError(r, 404, 'not_found', 'standard for sibling');
		const g = await s.api('GET', `/standards?org_id=${t.s2}&year=2026`, { token: s1Admin.token });
		assertError(g, 404, 'not_found', 'reading the standard of a sibling');
	});

	test('district admin sees both streets', T, async () => {
		const tok = dAdmin.token;
		assertStatus(await s.api('GET', `/orgs/${t.s1}`, { token: tok }), 200);
		assertStatus(await s.api('GET', `/orgs/${t.s2}`, { token: tok }), 200);
		assertError(await s.api('GET', '/orgs/1', { token: tok }), 404, 'not_found', 'root from district');
		const l = await listAll(s, '/orgs', tok);
		const ids = l.items.map((o) => o.id);
		for (const id of [t.d, t.s1, t.s2, g1.id])
			assert.ok(ids.includes(id), `district admin lists ${id}`);
		assert.ok(!ids.includes(1), 'the root is not in a district subtree');
		assertStatus(await s.api('GET', `/users/${userS2.id}`, { token: tok }), 200, 'user in S2 from the district');
		const ok = await s.api('POST', '/users', { token: tok, body: { username: uniq('x'), name: '乙', password: 'Passw0rd1234', org_id: t.s2, role: 'staff' } });
		assertStatus(ok, 201, 'district admin creates a user in S2');
	});

	test('a street staff member reads its own unit but not the sibling', T, async () => {
		const st = await s.userSession({ org_id: t.s2, role: 'staff' });
		assertStatus(await s.api('GET', `/orgs/${t.s2}`, { token: st.token }), 200);
		assertError(await s.api('GET', `/orgs/${t.s1}`, { token: st.token }), 404, 'not_found');
		const l = await listAll(s, '/users', st.token);
		assert.ok(l.items.every((u) => u.org_id === t.s2), 'S2 staff lists only S2 users');
	});
});
