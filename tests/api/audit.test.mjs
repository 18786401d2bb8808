// Audit log: listing, filters, what is logged, the hash chain.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, withServer, assertError, assertStatus, listAll, regionCode, uniq, ADMIN_USER, ADMIN_PASSWORD, limit } from './lib.mjs';

const T = { timeout: limit(60000) };
const FIELDS = ['id', 'at', 'user_id', 'action', 'entity', 'entity_id', 'summary'];
const SECRET = 'Secr3tPassw0rdXYZ';
const WRONG = 'Wr0ngGuessQQQ777';

describe('audit log', () => {
	let s, admin, org, user;
	before(async () => {
		s = await startServer();
		admin = await s.admin();
		org = await s.createOrg({ parent_id: 1, level: 'district', name: uniq('审计区') });
		user = await s.createUser({ org_id: org.id, role: 'staff', password: SECRET });
		await s.login(user.username, SECRET);
		await s.api('POST', '/login', { body: { username: user.username, password: WRONG } });
		await s.api('POST', '/standards', { token: admin.token, body: { org_id: org.id, year: 2026, monthly_fen: 80000 } });
		await s.api('PUT', '/calendar/2026-10-01', { token: admin.token, body: { workday: false, note: '国庆节' } });
	});
	after(async () => { if (s) await s.stop(); });

	test('GET /audit lists entries newest first with the fields', T, async () => {
		const r = await s.api('GET', '/audit', { token: admin.token });
		assertStatus(r, 200);
		assert.ok(Array.isArray(r.json.items));
		assert.equal(typeof r.json.total, 'number');
		assert.ok(r.json.items.length >= 4, `several entries expected: ${r.text.slice(0, 500)}`);
		for (const e of r.json.items) {
			for (const k of FIELDS)
				assert.ok(Object.hasOwn(e, k), `entry lacks ${k}: ${JSON.stringify(e)}`);
			assert.equal(typeof e.id, 'number');
			assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'RFC 3339 UTC');
		}
		// newest first: by id (init's entries carry the system clock, the
		// server's the clock file, so times alone need not be monotonic here)
		for (let i = 1; i < r.json.items.length; i++)
			assert.ok(r.json.items[i - 1].id > r.json.items[i].id, 'newest (highest id) first');
		// the writes of before() are there, by the admin
		const orgEntry = r.json.items.find((e) => e.entity === 'org' && e.entity_id === org.id);
		assert.ok(orgEntry, 'org creation audited');
		assert.equal(orgEntry.user_id, admin.user.id);
		assert.ok(r.json.items.some((e) => e.entity === 'user' && e.entity_id === user.id), 'user creation audited');
		assert.ok(r.json.items.some((e) => e.entity === 'standard'), 'standard audited');
		assert.ok(r.json.items.some((e) => e.entity === 'calendar'), 'calendar audited');
		// the clock file rules "at"
		assert.ok(orgEntry.at.startsWith('2026-03-02T09:00'), `at follows the server clock: ${orgEntry.at}`);
	});

	test('filters: entity & entity_id, user_id, limit', T, async () => {
		const r = await s.api('GET', `/audit?entity=org&entity_id=${org.id}`, { token: admin.token });
		assertStatus(r, 200);
		assert.ok(r.json.items.length >= 1);
		for (const e of r.json.items) {
			assert.equal(e.entity, 'org');
			assert.equal(e.entity_id, org.id);
		}
		assert.equal(r.json.total, r.json.items.length);
		const byUser = await s.api('GET', `/audit?user_id=${admin.user.id}`, { token: admin.token });
		assertStatus(byUser, 200);
		assert.ok(byUser.json.items.length >= 3);
		assert.ok(byUser.json.items.every((e) => e.user_id === admin.user.id));
		const one = await s.api('GET', '/audit?limit=1', { token: admin.token });
		assert.equal(one.json.items.length, 1);
		assert.ok(one.json.total > 1);
		const none = await s.api('GET', '/audit?entity=org&entity_id=987654', { token: admin.token });
		assert.deepEqual(none.json.items, []);
	});

	test('a failed login is audited under entity session', T, async () => {
		const before = (await listAll(s, '/audit?entity=session', admin.token)).items;
		const r = await s.api('POST', '/login', { body: { username: ADMIN_USER, password: 'Bad-guess-999' } });
		assertError(r, 401, 'invalid_credentials');
		const afterL = (await listAll(s, '/audit?entity=session', admin.token)).items;
		assert.ok(afterL.length > before.length, 'a new session entry after a failed login');
		assert.ok(afterL.every((e) => e.entity === 'session'));
		const newest = afterL[0];
		assert.ok(!before.some((e) => e.id === newest.id));
	});

	test('a 403 refusal is audited with action denied', T, async () => {
		const staff = await s.login(user.username, SECRET);
		const name = uniq('拒绝区');
		assertError(await s.api('POST', '/orgs', { token: staff.token, body: { parent_id: org.id, name, level: 'street', region_code: regionCode() } }), 403, 'forbidden');
		const l = await s.api('GET', `/audit?user_id=${staff.user.id}`, { token: admin.token });
		assertStatus(l, 200);
		const denied = l.json.items.find((e) => e.action === 'denied');
		assert.ok(denied, `a denied entry by the staff user: ${l.text.slice(0, 800)}`);
		assert.equal(denied.user_id, staff.user.id);
	});

	test('no entry holds a password, right or wrong', T, async () => {
		const all = await listAll(s, '/audit', admin.token);
		const text = JSON.stringify(all.items);
		for (const p of [SECRET, WRONG, ADMIN_PASSWORD, 'Bad-guess-999'])
			assert.ok(!text.includes(p), `the audit log contains the password ${p}`);
	});

	test('bangfu audit verify: intact chain → exit 0', T, async () => {
		const r = s.cli(['audit', 'verify']);
		assert.equal(r.code, 0, `audit verify on an intact chain: ${r.stdout} ${r.stderr}`);
	});
});

async function seedAudit(s) {
	const { token } = await s.admin();
	for (let i = 0; i < 4; i++)
		await s.createOrg({ parent_id: 1, level: 'district', name: `区${i}` });
	const all = await listAll(s, '/audit', token);
	assert.ok(all.items.some((e) => e.id === 2) && all.items.some((e) => e.id === 3) && all.items.some((e) => e.id === 4),
		`entries 2, 3 and 4 exist: ${all.items.map((e) => e.id)}`);
	const ok = s.cli(['audit', 'verify']);
	assert.equal(ok.code, 0, `intact chain first: ${ok.stdout} ${ok.stderr}`);
}

const namesEntry = (out, id) => new RegExp(`(^|[^0-9.:-])${id}([^0-9.:-]|$)`).test(out);

test('audit verify: an edited entry is found and named', T, async () => {
	await withServer({}, async (s) => {
		await seedAudit(s);
		s.sql("UPDATE audit_log SET summary='x' WHERE id=2");
		const r = s.cli(['audit', 'verify']);
		assert.notEqual(r.code, 0, 'tampering must be detected');
		assert.equal(r.code, 1, 'a broken chain is a run-time failure (exit 1)');
		assert.ok(namesEntry(r.stdout + '\n' + r.stderr, 2), `output names entry 2: ${r.stdout} ${r.stderr}`);
	});
});

test('audit verify: an edit of another column (action) is found', T, async () => {
	await withServer({}, async (s) => {
		await seedAudit(s);
		s.sql("UPDATE audit_log SET action='tampered' WHERE id=3");
		const r = s.cli(['audit', 'verify']);
		assert.notEqual(r.code, 0, 'editing action must be detected (the chain covers every column)');
		assert.ok(namesEntry(r.stdout + '\n' + r.stderr, 3), `output names entry 3: ${r.stdout} ${r.stderr}`);
	});
});

test('audit verify: a deleted middle entry is found', T, async () => {
	await withServer({}, async (s) => {
		await seedAudit(s);
		s.sql('DELETE FROM audit_log WHERE id=3');
		const r = s.cli(['audit', 'verify']);
		assert.notEqual(r.code, 0, 'deleting entry 3 must be detected');
		const out = r.stdout + '\n' + r.stderr;
		assert.ok(namesEntry(out, 3) || namesEntry(out, 4), `output names entry 3 or 4: ${out}`);
	});
});
