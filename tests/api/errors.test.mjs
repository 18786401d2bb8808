// Request parsing and the error envelope.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertFieldError, assertStatus, regionCode, uniq, limit, ADMIN_USER, ADMIN_PASSWORD } from './lib.mjs';

const T = { timeout: limit(60000) };

describe('errors', () => {
	let s, token;
	before(async () => {
		s = await startServer();
		token = (await s.admin()).token;
	});
	after(async () => { if (s) await s.stop(); });

	const org = (extra = {}) => ({ parent_id: 1, name: uniq('区'), level: 'district', region_code: regionCode(), ...extra });

	test('a body that is not JSON → 400 bad_json', T, async () => {
		assertError(await s.api('POST', '/orgs', { token, rawBody: '{"name": ' }), 400, 'bad_json', 'truncated');
		assertError(await s.api('POST', '/orgs', { token, rawBody: 'name=x&level=city' }), 400, 'bad_json', 'form body');
		assertError(await s.api('POST', '/login', { rawBody: '{username:"admin"}' }), 400, 'bad_json', 'login');
		assertError(await s.api('POST', '/users', { token, rawBody: '\xff\xfe{}' }), 400, 'bad_json', 'not UTF-8 / garbage');
	});

	// RULE api.json_only: a form or text/plain body is what another site can
	// post in the user's browser; taking it would allow login CSRF.
	test('a JSON endpoint takes only application/json → 415 unsupported_media_type', T, async () => {
		const creds = JSON.stringify({ username: ADMIN_USER, password: ADMIN_PASSWORD });
		for (const ct of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded',
			'multipart/form-data; boundary=x', 'application/jsonx', 'application/json-patch+json', 'text/json']) {
			const r = await s.api('POST', '/login', { rawBody: creds, contentType: ct });
			assertError(r, 415, 'unsupported_media_type', ct);
			assert.equal(r.headers.getSetCookie().length, 0, `${ct}: no session cookie`);
		}
		// a body without any Content-Type (a Buffer: fetch adds none)
		const bare = await fetch(`${s.base}/api/v1/login`, { method: 'POST', body: Buffer.from(creds) });
		assert.equal(bare.status, 415, 'a body without a Content-Type');
		assert.equal((await bare.json()).error.code, 'unsupported_media_type');
		// JSON with parameters, in any case, is JSON
		for (const ct of ['application/json; charset=utf-8', 'Application/JSON', 'application/json;charset=UTF-8'])
			assertStatus(await s.api('POST', '/login', { rawBody: creds, contentType: ct }), 200, ct);
		// any JSON endpoint, refused before anything is written
		const b0 = await s.api('GET', '/orgs?limit=500', { token });
		assertError(await s.api('POST', '/orgs', { token, rawBody: JSON.stringify(org()), contentType: 'text/plain' }),
			415, 'unsupported_media_type', 'POST /orgs as text/plain');
		assertError(await s.api('PATCH', '/orgs/1', { token, rawBody: '{"name":"x"}', contentType: 'application/x-www-form-urlencoded' }),
			415, 'unsupported_media_type', 'PATCH as a form');
		assert.equal((await s.api('GET', '/orgs?limit=500', { token })).json.total, b0.json.total);
		// a form post without a body to a cookie session's POST
		const ck = await s.login(ADMIN_USER, ADMIN_PASSWORD);
		const f = await fetch(`${s.base}/api/v1/logout`, { method: 'POST', headers: { Cookie: ck.cookie, 'X-CSRF-Token': ck.csrf,
			'Content-Type': 'application/x-www-form-urlencoded' } });
		assert.equal(f.status, 415, 'an empty form post');
		// reads without a body keep working whatever they say
		assertStatus(await s.api('GET', '/me', { token, headers: { 'Content-Type': 'text/plain' } }), 200, 'GET with a Content-Type');
	});

	test('a JSON body that is not an object → 400 bad_request', T, async () => {
		assertError(await s.api('POST', '/orgs', { token, rawBody: '[1,2]' }), 400, 'bad_request', 'array body');
		assertError(await s.api('POST', '/orgs', { token, rawBody: '"x"' }), 400, 'bad_request', 'string body');
	});

	test('a field of the wrong type → 400 bad_request naming the field', T, async () => {
		const r = await s.api('POST', '/orgs', { token, body: org({ name: 5 }) });
		const d = assertError(r, 400, 'bad_request', 'name: 5');
		assert.ok(d.fields && Object.hasOwn(d.fields, 'name'), `details.fields.name: ${r.text}`);
		const r2 = await s.api('POST', '/orgs', { token, body: org({ parent_id: '1' }) });
		const d2 = assertError(r2, 400, 'bad_request', 'parent_id: "1"');
		assert.ok(d2.fields && Object.hasOwn(d2.fields, 'parent_id'), `details.fields.parent_id: ${r2.text}`);
		const r3 = await s.api('POST', '/login', { body: { username: ['admin'], password: 'x' } });
		const d3 = assertError(r3, 400, 'bad_request', 'username: [..]');
		assert.ok(d3.fields && Object.hasOwn(d3.fields, 'username'), `details.fields.username: ${r3.text}`);
	});

	test('an unknown field → 400 bad_request naming it', T, async () => {
		const r = await s.api('POST', '/orgs', { token, body: org({ colour: 'red' }) });
		const d = assertError(r, 400, 'bad_request', 'unknown field');
		assert.ok(d.fields && Object.hasOwn(d.fields, 'colour'), `details.fields.colour: ${r.text}`);
		const r2 = await s.api('POST', '/users', { token, body: { username: uniq('u'), name: '甲', password: 'Passw0rd1234', org_id: 1, role: 'staff', is_root: true } });
		const d2 = assertError(r2, 400, 'bad_request', 'unknown user field');
		assert.ok(d2.fields && Object.hasOwn(d2.fields, 'is_root'), `details.fields.is_root: ${r2.text}`);
	});

	test('a missing required field → 422 validation_failed naming it', T, async () => {
		const body = org();
		delete body.name;
		assertFieldError(await s.api('POST', '/orgs', { token, body }), 'name', { what: 'org without name' });
		const b2 = org();
		delete b2.level;
		assertFieldError(await s.api('POST', '/orgs', { token, body: b2 }), 'level', { what: 'org without level' });
		assertFieldError(await s.api('POST', '/users', { token, body: { name: '甲', password: 'Passw0rd1234', org_id: 1, role: 'staff' } }),
			'username', { what: 'user without username' });
	});

	test('nothing is created by a refused request', T, async () => {
		const b0 = await s.api("GET", "/orgs?limit=500", { token });
		await s.api('POST', '/orgs', { token, body: org({ colour: 'red' }) });
		await s.api('POST', '/orgs', { token, body: org({ name: 5 }) });
		const b1 = await s.api("GET", "/orgs?limit=500", { token });
		assert.equal(b1.json.total, b0.json.total);
	});

	test('a body over 1 MiB → 413 too_large', T, async () => {
		const big = JSON.stringify({ parent_id: 1, name: 'x'.repeat(1024 * 1024 + 10), level: 'district', region_code: '110000' });
		let r;
		try {
			r = await s.api('POST', '/orgs', { token, rawBody: big });
		} catch (e) {
			assert.fail(`the server cut the connection instead of answering 413: ${e.cause?.code || e.message}`);
		}
		assertError(r, 413, 'too_large', '1 MiB + 10');
		// just under the limit is parsed normally (here: rejected for its content, not its size)
		const okSize = JSON.stringify({ parent_id: 1, name: 'x'.repeat(1000 * 1000), level: 'district', region_code: '110000' });
		const r2 = await s.api('POST', '/orgs', { token, rawBody: okSize });
		assert.notEqual(r2.status, 413, `a body under 1 MiB must not be too_large: ${r2.text.slice(0, 200)}`);
		// the server is still fine
		assertStatus(await s.api('GET', '/me', { token }), 200);
	});

	test('an unknown route under /api/v1 → 404 not_found', T, async () => {
		assertError(await s.api('GET', '/no-such-thing', { token }), 404, 'not_found', 'GET /no-such-thing');
		assertError(await s.api('POST', '/orgs/1/frobnicate', { token, body: {} }), 404, 'not_found', 'POST /orgs/1/frobnicate');
		assertError(await s.api('GET', '/orgs/abc', { token }), 404, 'not_found', 'GET /orgs/abc');
		assertError(await s.api('GET', '/orgs/999999', { token }), 404, 'not_found', 'GET /orgs/999999');
	});

	test('error messages are Chinese and the envelope is exact for several codes', T, async () => {
		// assertError checks keys, code, a non-empty zh-CN message and an object `details`
		assertError(await s.api('GET', '/me'), 401, 'unauthenticated');
		assertError(await s.api('POST', '/login', { body: { username: 'admin', password: 'nope-nope-1' } }), 401, 'invalid_credentials');
		assertError(await s.api('POST', '/orgs', { token, rawBody: '{' }), 400, 'bad_json');
		assertError(await s.api('GET', '/orgs/424242', { token }), 404, 'not_found');
		assertFieldError(await s.api('POST', '/orgs', { token, body: org({ level: 'galaxy' }) }), 'level');
	});

	test('errors are JSON with a JSON content type', T, async () => {
		const r = await s.api('GET', '/no-such-thing', { token });
		assert.match(r.headers.get('content-type') || '', /^application\/json/);
		const ok = await s.api('GET', '/me', { token });
		assert.match(ok.headers.get('content-type') || '', /^application\/json/);
	});
});
