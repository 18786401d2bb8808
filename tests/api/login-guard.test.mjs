// Logins give nothing away (issue 24): a failed login makes the same
// argon2id verification whether the username exists or not (RULE
// login.no_enumeration; counted in /metrics),
// and failures from one client address across many usernames — password
// spraying — are refused with 429 rate_limited after AUTH_CLIENT_FAILURES
// (20) in 15 minutes (RULE login.spray).  Behind a proxy the client is the
// last X-Forwarded-For address, only from a `--trusted-proxy`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withServer, assertError, assertStatus, uniq, limit, ADMIN_USER, ADMIN_PASSWORD, DEFAULT_CLOCK } from './lib.mjs';

const T = { timeout: limit(180000) };
const SPRAY = 20; // AUTH_CLIENT_FAILURES


// The access line is written when the answer has gone out: wait for it.
async function accessLine(s, re) {
	for (let i = 0; i < 100; i++) {
		const l = s.stderr().split('\n').find((x) => x.startsWith('access ') && re.test(x));
		if (l)
			return l;
		await new Promise((r) => setTimeout(r, 20));
	}
	assert.fail(`no access line matching ${re}:\n${s.stderr().slice(-2000)}`);
}

function login(s, username, password, xff) {
	return s.api('POST', '/login', { body: { username, password }, headers: xff ? { 'X-Forwarded-For': xff } : {} });
}

// Counted, not timed (a timing test flakes on a shared machine): every
// failed login makes exactly one argon2id verification, with the same
// parameters (the unknown user's is against a hash made at start by the
// same function), so the answer's time cannot tell the two apart.
test('a failed login makes the same argon2id verification for an unknown username as for a real one', T, async () => {
	await withServer(async (s) => {
		const checks = async () => Number((await (await fetch(`${s.base}/metrics`)).text())
			.match(/^bangfu_password_verifications_total (\d+)$/m)[1]);
		const real = await s.createUser({ role: 'viewer' });
		let n = await checks();
		const a = await login(s, real.username, 'Wrong-passw0rd');
		assertError(a, 401, 'invalid_credentials', 'a real user, wrong password');
		assert.equal(await checks(), n + 1, 'a real user\'s failure: one verification');
		n += 1;
		const b = await login(s, uniq('nobody'), 'Wrong-passw0rd');
		assertError(b, 401, 'invalid_credentials', 'an unknown user');
		assert.equal(await checks(), n + 1, 'an unknown user\'s failure: one verification too');
		assert.deepEqual(a.json, b.json, 'the same answer either way');
		n += 1;
		assertStatus(await login(s, real.username, real.password), 200, 'a right password');
		assert.equal(await checks(), n + 1);
	});
});

test('password spraying: 20 failures from one address over any usernames → 429 rate_limited for 15 minutes', T, async () => {
	await withServer({ args: ['--trusted-proxy', '127.0.0.1'] }, async (s) => {
		const real = await s.createUser({ role: 'staff' });
		const sprayer = '203.0.113.7';
		// 20 names, real ones among them (each fewer than the 5 failures that lock an account)
		for (let i = 0; i < SPRAY; i++) {
			const name = i === 3 ? ADMIN_USER : i % 5 === 0 ? real.username : uniq('spray');
			assertError(await login(s, name, 'Spring2026!', sprayer), 401, 'invalid_credentials', `try ${i + 1}`);
		}
		// the 21st, even with a right password of another account, is refused and sets no cookie
		const refused = await login(s, ADMIN_USER, ADMIN_PASSWORD, sprayer);
		assertError(refused, 429, 'rate_limited', 'the address that sprayed');
		assert.equal(refused.headers.getSetCookie().length, 0, 'no session for the sprayer');
		assertError(await login(s, uniq('nobody'), 'x', sprayer), 429, 'rate_limited', 'an unknown name too');
		// other addresses are not affected: another client behind the proxy, and the proxy's own
		assertStatus(await login(s, ADMIN_USER, ADMIN_PASSWORD, '203.0.113.8'), 200, 'another client');
		assertStatus(await login(s, ADMIN_USER, ADMIN_PASSWORD), 200, 'a direct client');
		// a client cannot pick its address: the proxy's appended entry counts, not the client's own
		assertError(await login(s, ADMIN_USER, ADMIN_PASSWORD, `198.51.100.1, ${sprayer}`), 429, 'rate_limited',
			'a forged first X-Forwarded-For entry');
		// the log names the client, not the proxy
		await accessLine(s, / client=203\.0\.113\.7 method=POST path=\/api\/v1\/login status=429 /);
		// 15 minutes on, the address may try again
		s.setClock(new Date(Date.parse(DEFAULT_CLOCK) + 16 * 60000).toISOString().replace(/\.\d+Z$/, 'Z'));
		assertStatus(await login(s, ADMIN_USER, ADMIN_PASSWORD, sprayer), 200, 'after the window');
	});
});

test('without --trusted-proxy, X-Forwarded-For is ignored', T, async () => {
	await withServer(async (s) => {
		assertStatus(await login(s, ADMIN_USER, ADMIN_PASSWORD, '203.0.113.9'), 200, 'login');
		const line = await accessLine(s, /path=\/api\/v1\/login /);
		assert.match(line, / client=127\.0\.0\.1 /, `the peer, not the header: ${line}`);
		assert.ok(!s.stderr().includes('203.0.113.9'));
	});
});
