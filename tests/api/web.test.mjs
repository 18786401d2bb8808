// The web interface is served from the binary: the app for any non-API
// path, assets with long caching and gzip, API paths never shadowed.
import assert from 'node:assert/strict';
import { test, before, after } from 'node:test';
import { startServer, limit } from './lib.mjs';

const T = { timeout: limit(60000) };
let s;
before(async () => { s = await startServer(); });
after(async () => { await s.stop(); });

test('/ and app routes answer the HTML page', T, async () => {
	for (const p of ['/', '/households/12', '/login']) {
		const r = await fetch(s.base + p);
		assert.equal(r.status, 200, p);
		assert.match(r.headers.get('content-type'), /^text\/html/, p);
		assert.equal(r.headers.get('cache-control'), 'no-cache', p);
		assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/);
		assert.match(await r.text(), /<html|<!doctype/i, p);
	}
});

test('every script the page loads is served, gzip when asked, cached for a year', T, async () => {
	const html = await (await fetch(s.base + '/')).text();
	const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
	for (const a of assets) {
		const r = await fetch(s.base + a, { headers: { 'accept-encoding': 'gzip' } });
		assert.equal(r.status, 200, a);
		assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable', a);
		if (/\.(js|css)$/.test(a))
			assert.equal(r.headers.get('content-encoding'), 'gzip', a);
		assert.ok((await r.arrayBuffer()).byteLength > 0, a);
	}
});

test('a missing asset is 404 and API paths are never the app', T, async () => {
	assert.equal((await fetch(s.base + '/assets/no-such-file.js')).status, 404);
	const api = await fetch(s.base + '/api/v1/no-such-thing');
	assert.equal(api.status, 404);
	assert.equal((await api.json()).error.code, 'not_found');
	const post = await fetch(s.base + '/households', { method: 'POST', body: '{}' });
	assert.notEqual(post.status, 200, 'POST to an app path is not served the page');
});
