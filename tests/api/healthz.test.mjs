// GET /healthz answers without auth.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withServer, assertStatus, limit } from './lib.mjs';

const T = { timeout: limit(60000) };

test('GET /healthz → 200 without auth, and with a bogus token too', T, async () => {
	await withServer({}, async (s) => {
		const r = await s.api('GET', '/healthz');
		assertStatus(r, 200, '/healthz');
		const r2 = await s.api('GET', '/healthz', { token: 'bogus' });
		assertStatus(r2, 200, '/healthz with a bogus token');
		// it is not under /api/v1
		const r3 = await fetch(s.base + '/api/v1/healthz');
		await r3.arrayBuffer();
		assert.notEqual(r3.status, 500);
	});
});

test('the server keeps answering many requests in a row and in parallel', T, async () => {
	await withServer({}, async (s) => {
		const { token } = await s.admin();
		const rs = await Promise.all(Array.from({ length: 40 }, (_, i) => s.api('GET', i % 2 ? '/me' : '/orgs', { token })));
		for (const r of rs)
			assertStatus(r, 200);
		const hs = await Promise.all(Array.from({ length: 20 }, () => s.api('GET', '/healthz')));
		for (const r of hs)
			assertStatus(r, 200);
	});
});
