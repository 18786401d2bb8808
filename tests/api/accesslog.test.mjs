// The structured access log: one line per request on stderr with time,
// method, path without the query (a query may hold a name), status,
// milliseconds and the user.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withServer } from './lib.mjs';

test('one access line per request; no query values in it', async () => {
	await withServer(async (s) => {
		const adm = await s.admin();
		const r = await s.api('GET', '/households?q=' + encodeURIComponent('张秘密') + '&limit=5', { token: adm.token });
		assert.equal(r.status, 200);
		assert.equal((await s.api('GET', '/households/999999', { token: adm.token })).status, 404);
		assert.equal((await s.api('GET', '/healthz')).status, 200);
		// the line is written when the request completes: poll briefly
		let lines = [];
		for (let i = 0; i < 100 && lines.length < 3; i++) {
			lines = s.stderr().split('\n').filter((l) => l.startsWith('access ') && / path=\/(api\/v1\/households|healthz)/.test(l));
			if (lines.length < 3)
				await new Promise((res) => setTimeout(res, 20));
		}
		const re = /^access ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ client=127\.0\.0\.1 method=(\w+) path=(\S+) status=(\d{3}) ms=\d+\.\d\d uid=(\d+) user=(\S+)$/;
		const parsed = lines.map((l) => { const m = re.exec(l); assert.ok(m, `access line format: ${l}`); return m; });
		const list = parsed.find((m) => m[2] === '/api/v1/households');
		assert.ok(list, 'the list request is logged');
		assert.deepEqual([list[1], list[3], list[5]], ['GET', '200', 'admin']);
		assert.ok(Number(list[4]) > 0, 'the user id is logged');
		assert.ok(parsed.some((m) => m[2] === '/api/v1/households/999999' && m[3] === '404'));
		assert.ok(parsed.some((m) => m[2] === '/healthz' && m[4] === '0' && m[5] === '-'));
		assert.ok(!s.stderr().includes('张秘密') && !s.stderr().includes(encodeURIComponent('张秘密')), 'no query value in the log');
	});
});
