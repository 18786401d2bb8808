// The HTTP edge (issue 24), probed with raw bytes on a socket as an
// attacker would: ambiguous framing is answered 400 and the connection
// closed, with nothing read after it answered as a request of its own
// (RFC 9112 §6.3); the errors libmicrohttpd raises by itself (431, 414,
// 400, 413, 505, and its 500 for a long chunk line) come in the API's JSON
// error shape, once, and are logged and counted in /metrics; a control
// character in a logged field cannot start a line of the access log.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, limit, rawHttp as raw, httpResponses as responses } from './lib.mjs';

const T = { timeout: limit(60000) };

// One answer, in the API's error shape, and the connection closed after it.
async function refused(base, bytes, status, code, what) {
	const r = await raw(base, bytes);
	assert.equal(r.closed, true, `${what}: the connection is closed, not held (got ${JSON.stringify(r.text.slice(0, 200))})`);
	const all = responses(r.text);
	assert.equal(all.length, 1, `${what}: exactly one response, nothing read after it answered:\n${r.text}`);
	const [res] = all;
	assertError(res, status, code, what);
	assert.match(res.headers['content-type'] || '', /^application\/json/, `${what}: JSON`);
	assert.equal(res.headers.connection, 'close', `${what}: Connection: close`);
	return res;
}

const H = 'Host: bangfu.test\r\n';
const SMUGGLED = `GET /api/v1/me HTTP/1.1\r\n${H}\r\n`;

// The access lines matching pred, once there are at least n (the log is
// written by a flusher, within tens of milliseconds: polled for 5 s).
async function accessLines(s, pred, n) {
	let lines = [];
	for (let i = 0; i < 250; i++) {
		lines = s.stderr().split('\n').filter((l) => l.startsWith('access ') && pred(l));
		if (lines.length >= n)
			break;
		await new Promise((res) => setTimeout(res, 20));
	}
	return lines;
}

async function metrics(base) {
	const text = await (await fetch(`${base}/metrics`)).text();
	const count = (k) => Number((text.match(new RegExp(`bangfu_requests_total\\{class="${k}"\\} (\\d+)`)) || [])[1]);
	return { '4xx': count('4xx'), '5xx': count('5xx'), all: Number(text.match(/bangfu_request_duration_seconds_count (\d+)/)[1]) };
}

describe('the HTTP edge', () => {
	let s;
	before(async () => { s = await startServer(); });
	after(async () => { if (s) await s.stop(); });

	test('a well-framed pipeline is still answered request by request', T, async () => {
		const r = await raw(s.base, `GET /healthz HTTP/1.1\r\n${H}\r\nGET /healthz HTTP/1.1\r\n${H}\r\n`, { wait: 1500 });
		const all = responses(r.text);
		assert.deepEqual(all.map((x) => x.status), [200, 200]);
		assert.equal(r.closed, false, 'and the connection stays open');
		const post = await raw(s.base, `POST /api/v1/login HTTP/1.1\r\n${H}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n` +
			'2\r\n{}\r\n0\r\n\r\n', { wait: 1500 });
		assert.deepEqual(responses(post.text).map((x) => x.status), [422], 'a chunked body alone is fine');
	});

	test('ambiguous framing → 400 bad_request, connection closed, the rest never answered', T, async () => {
		const login = `POST /api/v1/login HTTP/1.1\r\n${H}Content-Type: application/json\r\n`;
		const cases = [
			['two different Content-Length', `${login}Content-Length: 2\r\nContent-Length: ${SMUGGLED.length + 2}\r\n\r\n{}${SMUGGLED}`],
			['two equal Content-Length', `${login}Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}${SMUGGLED}`],
			['Content-Length and Transfer-Encoding', `${login}Content-Length: ${9 + SMUGGLED.length}\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n${SMUGGLED}`],
			['Transfer-Encoding and Content-Length', `${login}Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n2\r\n{}\r\n0\r\n\r\n${SMUGGLED}`],
			['a space before the colon', `${login}Content-Length : ${SMUGGLED.length}\r\n\r\n${SMUGGLED}`],
			['a tab before the colon', `${login}Transfer-Encoding\t: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`],
			['a folded Transfer-Encoding', `${login}Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`],
			['a folded Content-Length', `${login}Content-Length:\r\n 2\r\n\r\n{}${SMUGGLED}`],
			['a line folded into another header', `${login}X-Note: a\r\n Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`],
			['Transfer-Encoding gzip', `${login}Transfer-Encoding: gzip\r\n\r\n{}`],
			['Transfer-Encoding gzip, chunked', `${login}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`],
			['two Transfer-Encoding', `${login}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`],
			['chunked in HTTP/1.0', `POST /api/v1/login HTTP/1.0\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`],
			['two Host', `GET /api/v1/me HTTP/1.1\r\n${H}Host: other.test\r\n\r\n${SMUGGLED}`],
			['HTTP/1.1 without Host', `GET /api/v1/me HTTP/1.1\r\n\r\n${SMUGGLED}`],
			['a space inside the target', `GET /api/v1/m e HTTP/1.1\r\n${H}\r\n${SMUGGLED}`],
		];
		// (refused() waits 4 s for the close: the server's connection timeout is 30 s)
		for (const [what, bytes] of cases)
			await refused(s.base, bytes, 400, 'bad_request', what);
		// the smuggled request never ran: no line for GET /api/v1/me beyond the refusals
		const refusals = cases.filter(([, bytes]) => bytes.startsWith('GET /api/v1/me ')).length;
		const me = await accessLines(s, (l) => / path=\/api\/v1\/me /.test(l), refusals);
		assert.ok(me.length >= refusals, `the refusals of GET /me are logged:\n${me.join('\n')}`);
		await new Promise((r) => setTimeout(r, 100));
		const all = s.stderr().split('\n').filter((l) => l.startsWith('access ') && / path=\/api\/v1\/me /.test(l));
		assert.ok(all.every((l) => / status=400 /.test(l)), `no smuggled GET /me was answered:\n${all.join('\n')}`);
	});

	test('errors libmicrohttpd raises itself come as the API\'s JSON, once, logged and counted', T, async () => {
		const before = await metrics(s.base);
		const post = `POST /api/v1/login HTTP/1.1\r\n${H}Content-Type: application/json\r\n`;
		const cases = [
			['a 200 KB header', `GET /api/v1/me HTTP/1.1\r\n${H}X-Big: ${'a'.repeat(200 * 1024)}\r\n\r\n`, 431, 'headers_too_large'],
			['a 300 KB URL', `GET /api/v1/${'a'.repeat(300 * 1024)} HTTP/1.1\r\n${H}\r\n`, 414, 'uri_too_long'],
			['a header line without a colon', `GET /api/v1/me HTTP/1.1\r\n${H}no colon here\r\n\r\n`, 400, 'bad_request'],
			['a Content-Length that is not a number', `${post}Content-Length: abc\r\n\r\n{}`, 400, 'bad_request'],
			['a Content-Length beyond 2^64', `${post}Content-Length: 99999999999999999999999\r\n\r\n{}`, 413, 'too_large'],
			['a chunk size beyond 2^64', `${post}Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n{}`, 413, 'too_large'],
			['a malformed chunk', `${post}Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, 400, 'bad_request'],
			['a 100 KB chunk extension', `${post}Transfer-Encoding: chunked\r\n\r\n2;${'a'.repeat(100 * 1024)}\r\n{}\r\n0\r\n\r\n`, 413, 'too_large'],
			['HTTP/2.0 on the request line', `GET /api/v1/me HTTP/2.0\r\n${H}\r\n`, 505, 'http_version_not_supported'],
			['HTTP/0.9 on the request line', `GET /api/v1/me HTTP/0.9\r\n${H}\r\n`, 505, 'http_version_not_supported'],
		];
		for (const [what, bytes, status, code] of cases) {
			const res = await refused(s.base, bytes, status, code, what);
			assert.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: the security headers too`);
			assert.equal(res.headers['cache-control'], 'no-store', what);
		}
		await new Promise((r) => setTimeout(r, 100));
		const after = await metrics(s.base);
		const n4 = cases.filter(([, , st]) => st < 500).length, n5 = cases.length - n4;
		assert.ok(after['4xx'] - before['4xx'] >= n4, `/metrics counts the 4xx: ${JSON.stringify([before, after])}`);
		assert.ok(after['5xx'] - before['5xx'] >= n5, `/metrics counts the 505s: ${JSON.stringify([before, after])}`);
		for (const [st, n] of [[431, 1], [414, 1], [505, 2], [413, 3]]) {
			const log = await accessLines(s, (l) => l.includes(` status=${st} `), n);
			assert.ok(log.length >= n, `${n} access line(s) with status=${st}:\n${s.stderr().split('\n').slice(-20).join('\n')}`);
		}
		// and the server is fine
		assert.equal((await fetch(`${s.base}/healthz`)).status, 200);
	});

	test('a control character in a logged field is escaped: no forged access line', T, async () => {
		const forged = 'access ts=2026-03-02T09:00:00Z client=10.9.8.7 method=POST path=/api/v1/login status=200 ms=1.00 uid=1 user=admin';
		const target = '/api/v1/x' + encodeURIComponent('\n' + forged + '\n');
		const r = await fetch(s.base + target);
		assert.equal(r.status, 404);
		await r.arrayBuffer();
		// a method with an escape sequence and a newline-free target of raw bytes
		await raw(s.base, `GE\x1b[2JT /api/v1/me HTTP/1.1\r\n${H}\r\n`, { wait: 1000 });
		await accessLines(s, (l) => l.includes('method=GE\\x1b'), 1);
		await accessLines(s, (l) => l.includes('/api/v1/x'), 1);
		const lines = s.stderr().split('\n');
		assert.ok(!lines.some((l) => l.startsWith(forged.slice(0, 60))), 'no line of its own for the forged entry');
		const mine = lines.find((l) => l.startsWith('access ') && l.includes('/api/v1/x'));
		assert.ok(mine, 'the request is logged');
		assert.match(mine, /path=\/api\/v1\/x\\x0aaccess\\x20ts=/, `newline and spaces escaped: ${mine}`);
		assert.match(mine, / status=404 /);
		assert.ok(!s.stderr().includes('\x1b'), 'no raw escape character in the log');
		assert.ok(lines.some((l) => l.startsWith('access ') && l.includes('method=GE\\x1b[2JT ')), 'the method escaped');
	});
});
