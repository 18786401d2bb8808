// Session, cookies, CSRF, lockout, idle expiry, CLI tokens.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import {
	withServer, startServer, assertError, assertStatus, plusMinutes,
	ADMIN_USER, ADMIN_PASSWORD, DEFAULT_CLOCK, regionCode, uniq, limit,
} from './lib.mjs';

const T = { timeout: limit(60000) };

describe('auth on one shared server', () => {
	let s;
	before(async () => { s = await startServer(); });
	after(async () => { if (s) await s.stop(); });

	test('login answers token, csrf_token, user and a strict HttpOnly cookie', T, async () => {
		const res = await s.api('POST', '/login', { body: { username: ADMIN_USER, password: ADMIN_PASSWORD } });
		assertStatus(res, 200, 'login');
		const j = res.json;
		assert.equal(typeof j.token, 'string');
		assert.ok(j.token.length >= 16, 'token looks too short to be random');
		assert.equal(typeof j.csrf_token, 'string');
		assert.ok(j.csrf_token.length >= 16, 'csrf token looks too short');
		assert.notEqual(j.token, j.csrf_token);
		for (const k of ['id', 'username', 'name', 'org_id', 'role'])
			assert.ok(Object.hasOwn(j.user, k), `user.${k} missing: ${res.text}`);
		assert.equal(typeof j.user.id, 'number');
		assert.equal(j.user.username, ADMIN_USER);
		assert.equal(j.user.org_id, 1);
		assert.equal(j.user.role, 'admin');
		for (const k of Object.keys(j.user))
			assert.ok(!/hash|salt|secret|^pass(word)?$/i.test(k), `user object must not expose ${k}`);
		const sc = res.headers.getSetCookie();
		assert.equal(sc.length >= 1, true, 'Set-Cookie missing');
		const c = sc.join('\n');
		assert.match(c, /;\s*HttpOnly/i);
		assert.match(c, /;\s*SameSite=Strict/i);
		assert.match(c, /;\s*Path=\/(;|$)/i);
		assert.doesNotMatch(c, /;\s*Secure/i, 'Secure only under TLS');
		assert.match(res.headers.get('cache-control') || '', /no-store/);
	});

	test('two logins give different tokens', T, async () => {
		const a = await s.login(ADMIN_USER, ADMIN_PASSWORD);
		const b = await s.login(ADMIN_USER, ADMIN_PASSWORD);
		assert.notEqual(a.token, b.token);
		assert.notEqual(a.csrf, b.csrf);
	});

	test('wrong password → 401 invalid_credentials', T, async () => {
		const res = await s.api('POST', '/login', { body: { username: ADMIN_USER, password: 'Wrong12345x' } });
		assertError(res, 401, 'invalid_credentials', 'wrong password');
		assert.equal(res.headers.getSetCookie().length, 0, 'no cookie on a failed login');
	});

	test('unknown user → 401 invalid_credentials', T, async () => {
		const res = await s.api('POST', '/login', { body: { username: 'nobody-here', password: 'Whatever123' } });
		assertError(res, 401, 'invalid_credentials', 'unknown user');
	});

	test('GET /me with a bearer token answers the user', T, async () => {
		const { token, user } = await s.login(ADMIN_USER, ADMIN_PASSWORD);
		const res = await s.api('GET', '/me', { token });
		assertStatus(res, 200, 'GET /me');
		assert.equal(res.json.id, user.id);
		assert.equal(res.json.username, ADMIN_USER);
		assert.equal(res.json.role, 'admin');
		assert.equal(res.json.org_id, 1);
		assert.match(res.headers.get('cache-control') || '', /no-store/);
	});

	test('GET /me without auth → 401 unauthenticated; a made-up token too', T, async () => {
		assertError(await s.api('GET', '/me'), 401, 'unauthenticated', 'no auth');
		assertError(await s.api('GET', '/me', { token: 'deadbeef'.repeat(8) }), 401, 'unauthenticated', 'bad token');
		assertError(await s.api('GET', '/me', { cookie: 'bangfu_session=nonsense' }), 401, 'unauthenticated', 'bad cookie');
		assertError(await s.api('GET', '/orgs'), 401, 'unauthenticated', 'GET /orgs without auth');
	});

	test('logout → 204, then the token is dead', T, async () => {
		const { token } = await s.login(ADMIN_USER, ADMIN_PASSWORD);
		assertStatus(await s.api('GET', '/me', { token }), 200);
		const out = await s.api('POST', '/logout', { token });
		assertStatus(out, 204, 'logout');
		assertError(await s.api('GET', '/me', { token }), 401, 'unauthenticated', 'after logout');
	});

	test('logout kills only that session', T, async () => {
		const a = await s.login(ADMIN_USER, ADMIN_PASSWORD);
		const b = await s.login(ADMIN_USER, ADMIN_PASSWORD);
		assertStatus(await s.api('POST', '/logout', { token: a.token }), 204);
		assertStatus(await s.api('GET', '/me', { token: b.token }), 200, 'other session');
	});

	test('the session cookie authenticates GET /me', T, async () => {
		const { cookie, user } = await s.login(ADMIN_USER, ADMIN_PASSWORD);
		const res = await s.api('GET', '/me', { cookie });
		assertStatus(res, 200, 'GET /me by cookie');
		assert.equal(res.json.id, user.id);
	});

	test('cookie POST without or with a wrong X-CSRF-Token → 403 csrf_failed; right one passes', T, async () => {
		const { cookie, csrf } = await s.login(ADMIN_USER, ADMIN_PASSWORD);
		const body = () => ({ parent_id: 1, name: uniq('区'), level: 'district', region_code: regionCode() });
		assertError(await s.api('POST', '/orgs', { cookie, body: body() }), 403, 'csrf_failed', 'no csrf');
		assertError(await s.api('POST', '/orgs', { cookie, body: body(), headers: { 'X-CSRF-Token': 'x' + csrf.slice(1) } }),
			403, 'csrf_failed', 'wrong csrf');
		assertError(await s.api('POST', '/orgs', { cookie, body: body(), headers: { 'X-CSRF-Token': '' } }),
			403, 'csrf_failed', 'empty csrf');
		// The csrf token of another session does not fit this one.
		const other = await s.login(ADMIN_USER, ADMIN_PASSWORD);
		assertError(await s.api('POST', '/orgs', { cookie, body: body(), headers: { 'X-CSRF-Token': other.csrf } }),
			403, 'csrf_failed', 'csrf of another session');
		const ok = await s.api('POST', '/orgs', { cookie, body: body(), headers: { 'X-CSRF-Token': csrf } });
		assertStatus(ok, 201, 'cookie POST with the right csrf');
	});

	test('cookie logout also needs the CSRF token', T, async () => {
		const { cookie, csrf } = await s.login(ADMIN_USER, ADMIN_PASSWORD);
		assertError(await s.api('POST', '/logout', { cookie }), 403, 'csrf_failed', 'logout without csrf');
		assertStatus(await s.api('GET', '/me', { cookie }), 200, 'still logged in');
		assertStatus(await s.api('POST', '/logout', { cookie, headers: { 'X-CSRF-Token': csrf } }), 204);
		assertError(await s.api('GET', '/me', { cookie }), 401, 'unauthenticated', 'after cookie logout');
	});

	test('cookie PUT without CSRF → 403 csrf_failed', T, async () => {
		const { cookie } = await s.login(ADMIN_USER, ADMIN_PASSWORD);
		assertError(await s.api('PUT', '/calendar/2026-05-04', { cookie, body: { workday: false, note: '调休' } }),
			403, 'csrf_failed', 'cookie PUT');
	});

	test('a bearer POST needs no CSRF token', T, async () => {
		const { token } = await s.login(ADMIN_USER, ADMIN_PASSWORD);
		const res = await s.api('POST', '/orgs', { token, body: { parent_id: 1, name: uniq('区'), level: 'district', region_code: regionCode() } });
		assertStatus(res, 201, 'bearer POST');
	});

	test('every API answer carries Cache-Control: no-store', T, async () => {
		const { token } = await s.admin();
		const answers = [
			await s.api('GET', '/me', { token }),
			await s.api('GET', '/orgs', { token }),
			await s.api('GET', '/orgs/1', { token }),
			await s.api('GET', '/users', { token }),
			await s.api('GET', '/me'),
			await s.api('GET', '/no/such/thing', { token }),
			await s.api('POST', '/orgs', { token, rawBody: '{' }),
			await s.api('POST', '/login', { body: { username: 'x', password: 'y' } }),
			await s.api('POST', '/orgs', { token, body: { parent_id: 1, name: uniq('区'), level: 'district', region_code: regionCode() } }),
			await s.api('POST', '/orgs', { token, body: { parent_id: 1, level: 'district', region_code: regionCode() } }),
			await s.api('POST', '/orgs', { cookie: (await s.admin()).cookie, body: { parent_id: 1, name: uniq('区'), level: 'district', region_code: regionCode() } }),
			await s.api('POST', '/logout', { token: (await s.login(ADMIN_USER, ADMIN_PASSWORD)).token }),
		];
		const staff = await s.userSession({ role: 'staff' });
		answers.push(await s.api('POST', '/orgs', { token: staff.token, body: { parent_id: 1, name: uniq('区'), level: 'district', region_code: regionCode() } }));
		assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 200, 401, 404, 400, 401, 201, 422, 403, 204, 403]);
		for (const r of answers)
			assert.match(r.headers.get('cache-control') || '', /no-store/, `status ${r.status} ${r.text.slice(0, 100)}`);
	});
});

test('lockout: 5 wrong passwords lock the account for 15 minutes', T, async () => {
	await withServer({}, async (s) => {
		const u = await s.createUser({ role: 'staff' });
		for (let i = 0; i < 5; i++) {
			const r = await s.api('POST', '/login', { body: { username: u.username, password: 'Wrong12345x' } });
			assertError(r, 401, 'invalid_credentials', `failure ${i + 1}`);
		}
		const locked = await s.api('POST', '/login', { body: { username: u.username, password: u.password } });
		assertError(locked, 429, 'account_locked', 'right password while locked');
		// Other accounts are untouched.
		await s.login(ADMIN_USER, ADMIN_PASSWORD);
		s.setClock(plusMinutes(DEFAULT_CLOCK, 16));
		const l = await s.login(u.username, u.password);
		assert.equal(l.user.username, u.username);
	});
});

test('lockout: failures spread over more than 15 minutes do not lock', T, async () => {
	await withServer({}, async (s) => {
		const u = await s.createUser({ role: 'staff' });
		for (let i = 0; i < 5; i++) {
			s.setClock(plusMinutes(DEFAULT_CLOCK, i * 5)); // 0, 5, 10, 15, 20 min
			const r = await s.api('POST', '/login', { body: { username: u.username, password: 'Wrong12345x' } });
			assertError(r, 401, 'invalid_credentials', `failure ${i + 1}`);
		}
		await s.login(u.username, u.password);
	});
});

test('idle expiry: 30 minutes without a request, refreshed by each request', T, async () => {
	await withServer({}, async (s) => {
		const { token } = await s.login(ADMIN_USER, ADMIN_PASSWORD);
		const other = await s.login(ADMIN_USER, ADMIN_PASSWORD);
		s.setClock(plusMinutes(DEFAULT_CLOCK, 29));
		assertStatus(await s.api('GET', '/me', { token }), 200, 'bearer at +29');
		s.setClock(plusMinutes(DEFAULT_CLOCK, 58));
		assertStatus(await s.api('GET', '/me', { token }), 200, 'bearer at +58 (29 idle)');
		// the other session was idle since +0
		assertError(await s.api('GET', '/me', { token: other.token }), 401, 'unauthenticated', 'session idle 58 min');
		s.setClock(plusMinutes(DEFAULT_CLOCK, 58 + 31));
		assertError(await s.api('GET', '/me', { token }), 401, 'unauthenticated', 'bearer after 31 idle minutes');
	});
});

test('idle expiry: serve --session-idle-minutes 5', T, async () => {
	await withServer({ args: ['--session-idle-minutes', '5'] }, async (s) => {
		const { token } = await s.login(ADMIN_USER, ADMIN_PASSWORD);
		s.setClock(plusMinutes(DEFAULT_CLOCK, 4));
		assertStatus(await s.api('GET', '/me', { token }), 200, 'at +4');
		s.setClock(plusMinutes(DEFAULT_CLOCK, 4 + 6));
		assertError(await s.api('GET', '/me', { token }), 401, 'unauthenticated', '6 idle minutes with a 5-minute limit');
	});
});

test('CLI token: printed alone, works as a bearer, idle timer starts at first use', T, async () => {
	await withServer({}, async (s) => {
		const r = s.cli(['token', 'create', '--user', ADMIN_USER]);
		assert.equal(r.code, 0, `token create failed: ${r.stderr}`);
		const lines = r.stdout.split('\n').filter((l) => l.length > 0);
		assert.equal(lines.length, 1, `stdout must hold the token alone: ${JSON.stringify(r.stdout)}`);
		const token = lines[0];
		assert.match(token, /^\S{16,}$/, 'token has no spaces and is long enough');
		s.setClock(plusMinutes(DEFAULT_CLOCK, 120));
		const me = await s.api('GET', '/me', { token });
		assertStatus(me, 200, 'CLI token first used 2 hours after creation');
		assert.equal(me.json.username, ADMIN_USER);
		s.setClock(plusMinutes(DEFAULT_CLOCK, 120 + 20));
		assertStatus(await s.api('GET', '/me', { token }), 200, '20 idle minutes');
		s.setClock(plusMinutes(DEFAULT_CLOCK, 120 + 20 + 31));
		assertError(await s.api('GET', '/me', { token }), 401, 'unauthenticated', 'CLI token after 31 idle minutes');
	});
});

test('CLI token for an unknown user fails with exit 1', T, async () => {
	await withServer({}, async (s) => {
		const r = s.cli(['token', 'create', '--user', 'no-such-user']);
		assert.equal(r.code, 1, `expected exit 1, got ${r.code}: ${r.stdout} ${r.stderr}`);
		assert.equal(r.stdout.trim(), '', 'no token on stdout');
	});
});
