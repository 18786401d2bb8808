// Admin-only writes and the audit reader roles.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertStatus, regionCode, uniq, limit } from './lib.mjs';

const T = { timeout: limit(60000) };

describe('roles', () => {
	let s, admin;
	const sessions = {};
	before(async () => {
		s = await startServer();
		admin = await s.admin();
		for (const role of ['staff', 'reviewer', 'approver', 'finance', 'viewer'])
			sessions[role] = await s.userSession({ org_id: 1, role });
	});
	after(async () => { if (s) await s.stop(); });

	for (const role of ['staff', 'reviewer', 'approver', 'finance', 'viewer']) {
		test(`${role}: admin writes → 403 forbidden, nothing written`, T, async () => {
			const token = sessions[role].token;
			const orgBody = { parent_id: 1, name: uniq('区'), level: 'district', region_code: regionCode() };
			assertError(await s.api('POST', '/orgs', { token, body: orgBody }), 403, 'forbidden', `${role} POST /orgs`);
			const userBody = { username: uniq('x'), name: '甲', password: 'Passw0rd1234', org_id: 1, role: 'staff' };
			assertError(await s.api('POST', '/users', { token, body: userBody }), 403, 'forbidden', `${role} POST /users`);
			assertError(await s.api('POST', '/standards', { token, body: { org_id: 1, year: 2031, monthly_fen: 80000 } }),
				403, 'forbidden', `${role} POST /standards`);
			assertError(await s.api('PUT', '/calendar/2026-10-01', { token, body: { workday: false, note: '国庆节' } }),
				403, 'forbidden', `${role} PUT /calendar`);
			// nothing was written
			const orgs = await s.api('GET', '/orgs?limit=500', { token: admin.token });
			assert.ok(!orgs.json.items.some((o) => o.name === orgBody.name), 'org not created');
			const login = await s.api('POST', '/login', { body: { username: userBody.username, password: userBody.password } });
			assertError(login, 401, 'invalid_credentials', 'user not created');
			assertError(await s.api('GET', '/standards?org_id=1&year=2031', { token: admin.token }), 404, 'not_found', 'standard not created');
			const cal = await s.api('GET', '/calendar?year=2026', { token: admin.token });
			assertStatus(cal, 200);
			const day = cal.json.items.find((c) => c.date === '2026-10-01');
			assert.equal(day.source, 'statutory', 'calendar not written: the statutory day, no override');
		});

		test(`${role}: reads are open (GET /orgs, /orgs/1, /me, /calendar)`, T, async () => {
			const token = sessions[role].token;
			assertStatus(await s.api('GET', '/orgs', { token }), 200, `${role} GET /orgs`);
			assertStatus(await s.api('GET', '/orgs/1', { token }), 200, `${role} GET /orgs/1`);
			assertStatus(await s.api('GET', '/me', { token }), 200, `${role} GET /me`);
			assertStatus(await s.api('GET', '/calendar?year=2026', { token }), 200, `${role} GET /calendar`);
		});
	}

	test('GET /audit: 200 for admin and viewer, 403 forbidden for the others', T, async () => {
		assertStatus(await s.api('GET', '/audit', { token: admin.token }), 200, 'admin');
		assertStatus(await s.api('GET', '/audit', { token: sessions.viewer.token }), 200, 'viewer');
		for (const role of ['staff', 'reviewer', 'approver', 'finance'])
			assertError(await s.api('GET', '/audit', { token: sessions[role].token }), 403, 'forbidden', `${role} GET /audit`);
	});

	test('admin may do the admin writes', T, async () => {
		const token = admin.token;
		assertStatus(await s.api('POST', '/orgs', { token, body: { parent_id: 1, name: uniq('区'), level: 'district', region_code: regionCode() } }), 201);
		assertStatus(await s.api('POST', '/users', { token, body: { username: uniq('x'), name: '甲', password: 'Passw0rd1234', org_id: 1, role: 'staff' } }), 201);
		assertStatus(await s.api('POST', '/standards', { token, body: { org_id: 1, year: 2032, monthly_fen: 80000 } }), 201);
		assertStatus(await s.api('PUT', '/calendar/2026-10-02', { token, body: { workday: false, note: '国庆节' } }), 200);
	});
});
