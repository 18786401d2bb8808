// Downloads of large scans (API.md "Attachments", issue 19): a file over
// 2 MiB is read from the database in blocks while it is sent (on SQLite),
// one up to 2 MiB whole.  Either way the client gets exactly the stored
// bytes (sha256 as recorded, the right Content-Length), HEAD answers the
// headers alone, and the download's audit entry is committed before the
// first byte: it is there as soon as the headers are.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withServer, limit, assertStatus } from './lib.mjs';
import { aidWorld, hhBody, auditOf } from './aid-world.mjs';
import { sha256 } from './scans.mjs';

const T = { timeout: limit(300000) };

// A PDF of n bytes whose padding changes from byte to byte, so that a block
// sent twice, out of order or short cannot give the same bytes back.
function bigPdf(n) {
	const head = Buffer.from('%PDF-1.4\n%');
	const tail = Buffer.from('\nstartxref\n9\n%%EOF\n');
	const pad = Buffer.alloc(n - head.length - tail.length);
	let x = 2463534242;
	for (let i = 0; i < pad.length; i++) {
		x ^= x << 13; x >>>= 0;
		x ^= x >>> 17;
		x ^= x << 5; x >>>= 0;
		pad[i] = 97 + (x % 26);
	}
	return Buffer.concat([head, pad, tail]);
}

async function upload(w, hid, bytes) {
	const q = new URLSearchParams({ owner_type: 'household', owner_id: hid, kind: '其他' });
	const res = await fetch(`${w.s.base}/api/v1/attachments?${q}`, { method: 'POST',
		headers: { Authorization: `Bearer ${w.staff.token}`, 'Content-Type': 'application/pdf' }, body: bytes });
	const json = await res.json();
	assert.equal(res.status, 201, JSON.stringify(json));
	return json;
}
const downloads = async (w, id) => (await auditOf(w, 'attachment', id)).filter((e) => e.action === 'download').length;

test('large scans download whole and exact, audited before the first byte; HEAD sends the headers alone', T, async () => {
	await withServer({ clock: '2026-03-02T09:00:00Z' }, async (s) => {
		const w = await aidWorld(s, { label: 'attach-dl' });
		const r = await s.api('POST', '/households', { token: w.staff.token, body: hhBody(w, 's1') });
		assertStatus(r, 201, 'draft household');
		const hid = r.json.id;

		// 9 MiB and a bit: blocks and a short last one; 1.5 MiB: read whole
		for (const size of [9 * 1048576 + 12345, 1572864 + 7]) {
			const bytes = bigPdf(size);
			const up = await upload(w, hid, bytes);
			assert.equal(up.size, size);
			assert.equal(up.sha256, sha256(bytes), 'the stored hash is of the sent bytes');
			assert.equal(await downloads(w, up.id), 0, 'no download yet');

			const url = `${s.base}/api/v1/attachments/${up.id}/content`;
			const auth = { Authorization: `Bearer ${w.staff.token}` };
			const res = await fetch(url, { headers: auth });
			assert.equal(res.status, 200, `download of ${size} bytes`);
			assert.equal(res.headers.get('content-length'), String(size), 'Content-Length is the file size');
			assert.equal(res.headers.get('content-type'), 'application/pdf');
			assert.equal(res.headers.get('cache-control'), 'no-store');
			assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
			assert.equal(res.headers.get('content-disposition'), "attachment; filename*=UTF-8''%E5%85%B6%E4%BB%96.pdf");
			// the headers are here, the body not yet read: the audit entry is committed
			assert.equal(await downloads(w, up.id), 1, 'audited before the body is read');
			const got = Buffer.from(await res.arrayBuffer());
			assert.equal(got.length, size, 'every byte');
			assert.equal(sha256(got), up.sha256, 'the same bytes');
			assert.ok(got.equals(bytes));

			// inline, for the browser's viewer: the same bytes
			const inl = await fetch(`${url}?inline=1`, { headers: auth });
			assert.equal(inl.headers.get('content-disposition'), "inline; filename*=UTF-8''%E5%85%B6%E4%BB%96.pdf");
			assert.equal(sha256(Buffer.from(await inl.arrayBuffer())), up.sha256);
			assert.equal(await downloads(w, up.id), 2, 'each download audited');

			// HEAD: the headers of a GET, no body
			const head = await fetch(url, { method: 'HEAD', headers: auth });
			assert.equal(head.status, 200);
			assert.equal(head.headers.get('content-length'), String(size));
			assert.equal(head.headers.get('content-type'), 'application/pdf');
			assert.equal((await head.arrayBuffer()).byteLength, 0, 'HEAD has no body');
		}

		// a deleted scan: 404, for a streamed one too, and no download audited
		const big = await upload(w, hid, bigPdf(3 * 1048576));
		assertStatus(await s.api('DELETE', `/attachments/${big.id}`, { token: w.staff.token }), 204, 'delete');
		const gone = await fetch(`${s.base}/api/v1/attachments/${big.id}/content`, { headers: { Authorization: `Bearer ${w.staff.token}` } });
		assert.equal(gone.status, 404);
		assert.equal((await gone.json()).error.code, 'not_found');
		assert.equal(await downloads(w, big.id), 0, 'a refused download is not a download');

		// the server still answers, and check verifies every stored hash
		const ck = s.cli(['check']);
		assert.equal(ck.code, 0, ck.stdout + ck.stderr);
	});
});

// A download reads its session, its scope and its bytes in the writers'
// turn (route flag R_TURN): the refusals are those of every other route,
// and an idle session revoked there stays revoked when the clock goes back.
test('a download checks its session in the writers\' turn: 401 without one, 404 out of scope, an idle session stays dead', T, async () => {
	await withServer({ clock: '2026-03-02T09:00:00Z' }, async (s) => {
		const w = await aidWorld(s, { label: 'attach-turn', extraUsers: { staff2: ['s2', 'staff'] } });
		const r = await s.api('POST', '/households', { token: w.staff.token, body: hhBody(w, 's1') });
		assertStatus(r, 201, 'draft household');
		const up = await upload(w, r.json.id, bigPdf(4096));
		const url = `${s.base}/api/v1/attachments/${up.id}/content`;
		const get = (token) => fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

		const none = await get(null);
		assert.equal(none.status, 401, 'no session');
		assert.equal((await none.json()).error.code, 'unauthenticated');
		const bad = await get('0'.repeat(64));
		assert.equal(bad.status, 401, 'an unknown token');
		const out = await get(w.staff2.token);
		assert.equal(out.status, 404, 'another street');
		assert.equal((await out.json()).error.code, 'not_found');
		assert.equal(await downloads(w, up.id), 0, 'refused downloads are not audited');

		// a login session, idle for 31 minutes: refused, and revoked for good
		const u = await s.createUser({ org_id: w.s1.id, role: 'staff', name: '下载会话' });
		const { token } = await s.login(u.username, u.password);
		const ok = await get(token);
		assert.equal(ok.status, 200, 'a fresh session downloads');
		assert.equal(sha256(Buffer.from(await ok.arrayBuffer())), up.sha256);
		s.setClock('2026-03-02T09:31:30Z');
		const idle = await get(token);
		assert.equal(idle.status, 401, 'idle 31 minutes');
		assert.match((await idle.json()).error.message, /超时/);
		s.setClock('2026-03-02T09:01:00Z');
		const back = await get(token);
		assert.equal(back.status, 401, 'the revocation was kept: the clock going back does not revive it');
		assert.equal(await downloads(w, up.id), 1, 'one download audited');
	});
});
