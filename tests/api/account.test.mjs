// Own password change, readiness, metrics, and sessions that stay dead.
import assert from 'node:assert/strict';
import { test, before, after } from 'node:test';
import { startServer, assertStatus, assertFieldError, assertError, plusMinutes, DEFAULT_CLOCK, PASSWORD, limit } from './lib.mjs';

const T = { timeout: limit(60000) };
let s;
before(async () => { s = await startServer(); });
after(async () => { await s.stop(); });

test('GET /readyz answers ready without a login', T, async () => {
	const r = await fetch(s.base + '/readyz');
	assert.equal(r.status, 200);
	assert.equal((await r.json()).status, 'ready');
	assert.equal(r.headers.get('cache-control'), 'no-store');
});

test('POST /me/password: old password checked, rule applied, other sessions end', T, async () => {
	const u = await s.createUser({ role: 'viewer' });
	const a = await s.login(u.username, PASSWORD);
	const b = await s.login(u.username, PASSWORD);
	assertFieldError(await s.api('POST', '/me/password', { token: a.token,
		body: { old_password: 'Wrong000000', new_password: 'Brandnew12345' } }), 'old_password');
	assertFieldError(await s.api('POST', '/me/password', { token: a.token,
		body: { old_password: PASSWORD, new_password: 'short1' } }), 'new_password');
	assertFieldError(await s.api('POST', '/me/password', { token: a.token,
		body: { old_password: PASSWORD, new_password: PASSWORD } }), 'new_password');
	assertError(await s.api('POST', '/me/password', { token: a.token,
		body: { old_password: PASSWORD } }), 422, 'validation_failed');
	// nothing changed by the refusals
	assertStatus(await s.api('GET', '/me', { token: b.token }), 200);

	assertStatus(await s.api('POST', '/me/password', { token: a.token,
		body: { old_password: PASSWORD, new_password: 'Brandnew12345' } }), 204);
	assertStatus(await s.api('GET', '/me', { token: a.token }), 200, 'the session that changed it stays');
	assertError(await s.api('GET', '/me', { token: b.token }), 401, 'unauthenticated');
	assertError(await s.api('POST', '/login', { body: { username: u.username, password: PASSWORD } }),
		401, 'invalid_credentials');
	await s.login(u.username, 'Brandnew12345');
	const admin = await s.admin();
	const audit = await s.api('GET', `/audit?entity=user&entity_id=${u.id}`, { token: admin.token });
	assert.ok(audit.json.items.some((e) => e.action === 'password'), 'the change is audited');
	assert.ok(!JSON.stringify(audit.json).includes('Brandnew12345'), 'no password in the audit log');
});

test('GET /me tells a user to change a password an admin set; their own change clears it', T, async () => {
	const u = await s.createUser({ role: 'staff' });
	const l = await s.login(u.username, PASSWORD);
	assert.equal((await s.api('GET', '/me', { token: l.token })).json.must_change_password, false);
	const admin = await s.admin();
	assertStatus(await s.api('PATCH', `/users/${u.id}`, { token: admin.token, body: { password: 'Reset12345ab' } }), 200);
	const m = await s.login(u.username, 'Reset12345ab');
	assert.equal((await s.api('GET', '/me', { token: m.token })).json.must_change_password, true);
	// not blocking: the API still answers
	assertStatus(await s.api('GET', '/households?limit=1', { token: m.token }), 200);
	assertStatus(await s.api('POST', '/me/password', { token: m.token,
		body: { old_password: 'Reset12345ab', new_password: 'Mine12345abc' } }), 204);
	assert.equal((await s.api('GET', '/me', { token: m.token })).json.must_change_password, false);
	// an admin setting their own password is not asked to change it
	const a2 = await s.createUser({ role: 'admin' });
	const t2 = await s.login(a2.username, PASSWORD);
	assertStatus(await s.api('PATCH', `/users/${a2.id}`, { token: t2.token, body: { password: 'Admin98765xyz' } }), 200);
	const t3 = await s.login(a2.username, 'Admin98765xyz');
	assert.equal((await s.api('GET', '/me', { token: t3.token })).json.must_change_password, false);
});

test('an expired session stays expired when the clock moves back', T, async () => {
	s.setClock(DEFAULT_CLOCK);
	const u = await s.createUser({ role: 'viewer' });
	const l = await s.login(u.username, PASSWORD);
	s.setClock(plusMinutes(DEFAULT_CLOCK, 45));
	assertError(await s.api('GET', '/me', { token: l.token }), 401, 'unauthenticated');
	s.setClock(DEFAULT_CLOCK);
	assertError(await s.api('GET', '/me', { token: l.token }), 401, 'unauthenticated');
});

test('GET /metrics counts requests by class for loopback clients', T, async () => {
	const get = async () => { const r = await fetch(s.base + '/metrics'); assert.equal(r.status, 200); return { text: await r.text() }; };
	const before = await get();
	const count = (text, cls) => Number((text.match(new RegExp(`bangfu_requests_total\\{class="${cls}"\\} (\\d+)`)) || [])[1]);
	const n4 = count(before.text, '4xx');
	assert.ok(Number.isInteger(n4), before.text);
	await s.api('GET', '/me');  // 401
	// counted when the server has finished the request, which may be just
	// after the client has read the answer (slow under the sanitizers)
	let after = await get();
	for (let i = 0; i < 50 && !(count(after.text, '4xx') >= n4 + 1); i++) {
		await new Promise((res) => setTimeout(res, 20));
		after = await get();
	}
	assert.ok(count(after.text, '4xx') >= n4 + 1, 'the 401 was counted');
	assert.match(after.text, /bangfu_request_duration_seconds_count \d+/);
});
