// Users: creation, password rule, duplicates, roles, listing.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertFieldError, assertStatus, uniq, ROLES, listAll, limit } from './lib.mjs';

const T = { timeout: limit(60000) };

function noSecrets(obj, what) {
	const walk = (o, p) => {
		if (o && typeof o === 'object')
			for (const [k, v] of Object.entries(o)) {
				assert.ok(!/hash|salt|secret|^pass(word)?$|^pwd?$/i.test(k), `${what}: ${p}${k} must not be exposed`);
				walk(v, `${p}${k}.`);
			}
	};
	walk(obj, '');
}

describe('users', () => {
	let s, token;
	before(async () => {
		s = await startServer();
		token = (await s.admin()).token;
	});
	after(async () => { if (s) await s.stop(); });

	test('POST /users → 201 with the user and no password or hash', T, async () => {
		const username = uniq('zhang');
		const r = await s.api('POST', '/users', { token, body: { username, name: '张经办', password: 'Zhang12345x', org_id: 1, role: 'staff' } });
		assertStatus(r, 201, 'create user');
		assert.equal(typeof r.json.id, 'number');
		assert.equal(r.json.username, username);
		assert.equal(r.json.name, '张经办');
		assert.equal(r.json.org_id, 1);
		assert.equal(r.json.role, 'staff');
		noSecrets(r.json, 'POST /users');
		assert.ok(!r.text.includes('Zhang12345x'), 'the password must not be echoed');
		const g = await s.api('GET', `/users/${r.json.id}`, { token });
		assertStatus(g, 200, 'GET /users/{id}');
		assert.equal(g.json.username, username);
		noSecrets(g.json, 'GET /users/{id}');
		const l = await listAll(s, '/users', token);
		for (const u of l.items)
			noSecrets(u, 'GET /users');
		assert.ok(!JSON.stringify(l.items).includes('Zhang12345x'));
	});

	test('the new user can log in and sees itself in /me', T, async () => {
		const u = await s.createUser({ role: 'reviewer', name: '李审核' });
		const l = await s.login(u.username, u.password);
		assert.equal(l.user.id, u.id);
		assert.equal(l.user.role, 'reviewer');
		const me = await s.api('GET', '/me', { token: l.token });
		assertStatus(me, 200);
		assert.equal(me.json.name, '李审核');
	});

	test('password rule: ≥ 10 characters with letters and digits', T, async () => {
		for (const pw of ['Ab1', 'Abcdef123', 'abcdefghijkl', '123456789012', '!!!!!!!!!!!!', '          ']) {
			const r = await s.api('POST', '/users', { token, body: { username: uniq('pw'), name: '甲', password: pw, org_id: 1, role: 'staff' } });
			assertFieldError(r, 'password', { what: `password ${JSON.stringify(pw)}` });
		}
		// exactly 10 with both is fine
		const ok = await s.api('POST', '/users', { token, body: { username: uniq('pw'), name: '甲', password: 'abcdefgh12', org_id: 1, role: 'staff' } });
		assertStatus(ok, 201, '10 characters with letters and digits');
	});

	test('a refused password creates nobody', T, async () => {
		const username = uniq('nobody');
		await s.api('POST', '/users', { token, body: { username, name: '甲', password: 'short1', org_id: 1, role: 'staff' } });
		const r = await s.api('POST', '/login', { body: { username, password: 'short1' } });
		assertError(r, 401, 'invalid_credentials');
		const l = await listAll(s, '/users', token);
		assert.ok(!l.items.some((u) => u.username === username));
	});

	test('duplicate username → 409 conflict', T, async () => {
		const u = await s.createUser({ role: 'staff' });
		const r = await s.api('POST', '/users', { token, body: { username: u.username, name: '重名', password: 'Another1234', org_id: 1, role: 'viewer' } });
		assertError(r, 409, 'conflict', 'duplicate username');
		// the original keeps its password
		await s.login(u.username, u.password);
	});

	test('role outside the list → 422', T, async () => {
		for (const role of ['superuser', 'Admin', '']) {
			const r = await s.api('POST', '/users', { token, body: { username: uniq('r'), name: '甲', password: 'Passw0rd1234', org_id: 1, role } });
			assertFieldError(r, 'role', { what: `role ${JSON.stringify(role)}` });
		}
	});

	test('every listed role can be created', T, async () => {
		for (const role of ROLES) {
			const u = await s.createUser({ role });
			assert.equal(u.role, role);
		}
	});

	test('org_id that does not exist → 404', T, async () => {
		const r = await s.api('POST', '/users', { token, body: { username: uniq('x'), name: '甲', password: 'Passw0rd1234', org_id: 999999, role: 'staff' } });
		assertError(r, 404, 'not_found', 'unknown org');
	});

	test('GET /users lists only the caller\'s subtree', T, async () => {
		const t = await s.tree();
		const dAdmin = await s.userSession({ org_id: t.d, role: 'admin' });
		const inS1 = await s.createUser({ org_id: t.s1, role: 'staff' });
		const inS2 = await s.createUser({ org_id: t.s2, role: 'staff' });
		const s1Admin = await s.userSession({ org_id: t.s1, role: 'admin' });
		const rootList = await listAll(s, '/users', token);
		const rootNames = rootList.items.map((u) => u.username);
		for (const u of [dAdmin.record, inS1, inS2, s1Admin.record])
			assert.ok(rootNames.includes(u.username), `root admin sees ${u.username}`);
		assert.ok(rootNames.includes('admin'));

		const dl = await listAll(s, '/users', dAdmin.token);
		const dNames = dl.items.map((u) => u.username).sort();
		assert.deepEqual(dNames, [dAdmin.record.username, inS1.username, inS2.username, s1Admin.record.username].sort());
		assert.equal(dl.total, 4);

		const sl = await listAll(s, '/users', s1Admin.token);
		assert.deepEqual(sl.items.map((u) => u.username).sort(), [inS1.username, s1Admin.record.username].sort());
		assert.equal(sl.total, 2);
	});

	test('GET /users pages with limit/offset', T, async () => {
		const all = await listAll(s, '/users', token);
		assert.ok(all.total >= 3);
		const p1 = await s.api('GET', '/users?limit=2&offset=0', { token });
		const p2 = await s.api('GET', '/users?limit=2&offset=2', { token });
		assertStatus(p1, 200);
		assertStatus(p2, 200);
		assert.equal(p1.json.items.length, 2);
		assert.equal(p1.json.total, all.total);
		const ids = new Set([...p1.json.items, ...p2.json.items].map((u) => u.id));
		assert.equal(ids.size, p1.json.items.length + p2.json.items.length, 'pages do not overlap');
	});
});
