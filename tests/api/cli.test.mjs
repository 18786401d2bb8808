// The command line: version, help, usage errors, init, user management.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, describe, before, after } from 'node:test';
import { startServer, withServer, runCli, assertError, assertStatus, plusMinutes, ADMIN_USER, ADMIN_PASSWORD, DEFAULT_CLOCK, limit } from './lib.mjs';

const T = { timeout: limit(60000) };

// Tries each printed word that could be a password; the clock moves 16
// minutes between tries so that wrong guesses never lock the account.
async function tryCandidates(s, username, text) {
	const cands = [...new Set((text.match(/[\x21-\x7e]{10,}/g) || [])
		.map((w) => w.replace(/^["'(\[]+|["')\].,;]+$/g, ''))
		.filter((w) => /[A-Za-z]/.test(w) && /[0-9]/.test(w) && !w.includes('/')))];
	for (let i = 0; i < cands.length; i++) {
		s.setClock(plusMinutes(DEFAULT_CLOCK, 16 * i));
		const l = await s.api('POST', '/login', { body: { username, password: cands[i] } });
		if (l.status === 200)
			return true;
	}
	return false;
}

test('bangfu version → exit 0 and prints something', T, () => {
	const r = runCli(['version']);
	assert.equal(r.code, 0, r.stderr);
	assert.ok(r.stdout.trim().length > 0, 'version printed on stdout');
});

test('bangfu --help → exit 0 and lists the commands', T, () => {
	const r = runCli(['--help']);
	assert.equal(r.code, 0, r.stderr);
	const out = r.stdout + r.stderr;
	for (const c of ['init', 'serve', 'token', 'user', 'calendar', 'audit'])
		assert.ok(out.includes(c), `--help mentions ${c}`);
});

test('unknown command → exit 2 with a message on stderr', T, () => {
	const r = runCli(['frobnicate']);
	assert.equal(r.code, 2, `exit ${r.code}`);
	assert.ok(r.stderr.trim().length > 0);
	assert.equal(r.stdout.trim(), '');
});

test('no command at all → exit 2', T, () => {
	const r = runCli([]);
	assert.equal(r.code, 2, `exit ${r.code}: ${r.stdout}`);
});

test('unknown option → exit 2', T, () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-cli-'));
	try {
		const r = runCli(['init', '--db', path.join(dir, 'x.db'), '--no-such-option']);
		assert.equal(r.code, 2, `exit ${r.code}: ${r.stderr}`);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});

test('a command that needs a database, without --db or $BANGFU_DB → exit 2', T, () => {
	const env = { BANGFU_DB: '' };
	const r = runCli(['token', 'create', '--user', 'admin'], null, { env });
	assert.equal(r.code, 2, `exit ${r.code}: ${r.stderr}`);
});

test('init without --admin-password prints a generated password for admin that works', T, async () => {
	await withServer({ noAdminPassword: true }, async (s) => {
		const ok = await tryCandidates(s, 'admin', s.initOutput);
		assert.ok(ok, `one of the printed words is the admin password: ${s.initOutput}`);
	});
});

test('user add without --password prints a generated one', T, async () => {
	await withServer({}, async (s) => {
		const r = s.cli(['user', 'add', '--username', 'u9', '--name', '丙', '--org-id', '1', '--role', 'viewer']);
		assert.equal(r.code, 0, r.stderr);
		const ok = await tryCandidates(s, 'u9', r.stdout + '\n' + r.stderr);
		assert.ok(ok, `one of the printed words is the password: ${r.stdout} ${r.stderr}`);
	});
});

describe('user commands on one shared server', () => {
	let s;
	before(async () => { s = await startServer(); });
	after(async () => { if (s) await s.stop(); });

	test('BANGFU_DB stands in for --db', T, async () => {
		const r = runCli(['token', 'create', '--user', ADMIN_USER], null, { env: { BANGFU_DB: s.dbUrl } });
		assert.equal(r.code, 0, r.stderr);
		assertStatus(await s.api('GET', '/me', { token: r.stdout.trim() }), 200);
	});

	test('init on a database that already holds data → exit 1, data kept', T, async () => {
		const r = s.cli(['init', '--admin-user', 'other', '--admin-password', 'Other12345a']);
		assert.equal(r.code, 1, `exit ${r.code}: ${r.stderr}`);
		assert.ok(r.stderr.trim().length > 0, 'explained on stderr');
		await s.login(ADMIN_USER, ADMIN_PASSWORD);
		const o = await s.api('POST', '/login', { body: { username: 'other', password: 'Other12345a' } });
		assertError(o, 401, 'invalid_credentials', 'no second admin');
	});

	test('user add, then that user logs in', T, async () => {
		const r = s.cli(['user', 'add', '--username', 'u1', '--name', '甲', '--org-id', '1', '--role', 'staff', '--password', 'Passw0rd12']);
		assert.equal(r.code, 0, `user add: ${r.stderr}`);
		const l = await s.login('u1', 'Passw0rd12');
		assert.equal(l.user.username, 'u1');
		assert.equal(l.user.name, '甲');
		assert.equal(l.user.role, 'staff');
		assert.equal(l.user.org_id, 1);
		// the same username again fails
		const dup = s.cli(['user', 'add', '--username', 'u1', '--name', '乙', '--org-id', '1', '--role', 'staff', '--password', 'Passw0rd12']);
		assert.equal(dup.code, 1, `duplicate user add: ${dup.code}`);
	});

	test('user add refuses a bad role, a weak password and an unknown org', T, async () => {
		const base = ['user', 'add', '--name', '甲', '--org-id', '1', '--role', 'staff', '--password', 'Passw0rd12'];
		const set = (k, v, u) => {
			const a = [...base, '--username', u];
			a[a.indexOf(k) + 1] = v;
			return a;
		};
		for (const [k, v, u] of [['--role', 'boss', 'x1'], ['--password', 'short1', 'x2'], ['--password', 'onlyletterslong', 'x3'], ['--org-id', '99999', 'x4']]) {
			const r = s.cli(set(k, v, u));
			assert.notEqual(r.code, 0, `user add with ${k} ${v} must fail`);
			const l = await s.api('POST', '/login', { body: { username: u, password: v.startsWith('Passw') ? v : 'Passw0rd12' } });
			assert.equal(l.status, 401, `${u} must not exist`);
		}
	});

	test('user lock: login fails and existing tokens stop working', T, async () => {
		assert.equal(s.cli(['user', 'add', '--username', 'lk1', '--name', '甲', '--org-id', '1', '--role', 'staff', '--password', 'Passw0rd12']).code, 0);
		const { token } = await s.login('lk1', 'Passw0rd12');
		const r = s.cli(['user', 'lock', '--username', 'lk1']);
		assert.equal(r.code, 0, `user lock: ${r.stderr}`);
		const l = await s.api('POST', '/login', { body: { username: 'lk1', password: 'Passw0rd12' } });
		assert.ok([401, 403, 429].includes(l.status), `a locked user cannot log in: ${l.status} ${l.text}`);
		assertError(l, l.status, l.json?.error?.code);
		assert.ok(!l.json.token, 'no token for a locked user');
		assertError(await s.api('GET', '/me', { token }), 401, 'unauthenticated', 'token of a locked user');
		// other users are unaffected
		await s.login(ADMIN_USER, ADMIN_PASSWORD);
		const unknown = s.cli(['user', 'lock', '--username', 'no-such-user']);
		assert.equal(unknown.code, 1, 'locking an unknown user fails');
	});

	test('user passwd: the new password works, the old one no longer', T, async () => {
		assert.equal(s.cli(['user', 'add', '--username', 'pw1', '--name', '甲', '--org-id', '1', '--role', 'staff', '--password', 'Passw0rd12']).code, 0);
		const r = s.cli(['user', 'passwd', '--username', 'pw1', '--password', 'NewPassw0rd1']);
		assert.equal(r.code, 0, `user passwd: ${r.stderr}`);
		await s.login('pw1', 'NewPassw0rd1');
		assertError(await s.api('POST', '/login', { body: { username: 'pw1', password: 'Passw0rd12' } }), 401, 'invalid_credentials', 'old password');
		const weak = s.cli(['user', 'passwd', '--username', 'pw1', '--password', 'weak']);
		assert.notEqual(weak.code, 0, 'a weak password is refused');
		await s.login('pw1', 'NewPassw0rd1');
	});
});
