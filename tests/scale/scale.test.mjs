// scale.test.mjs — run by tests/scale/scale.sh: two bangfu processes (A, B)
// on one PostgreSQL database, nginx round-robin in front (P).  Everything
// racy is fired at both processes at once, and the database must come out
// as if the requests had run one after another.
import assert from 'node:assert/strict';
import { test, before, after } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { attachServer, assertStatus, assertError, runCli, freshDatabase, rawHttp, httpResponses, ADMIN_USER, ADMIN_PASSWORD } from '../api/lib.mjs';
import { START, aidWorld, makeHouseholds, openAccount, deposit, checkLedger, reconcile, auditVerify } from '../api/aid-world.mjs';

const env = (k) => { assert.ok(process.env[k], `${k} is set by tests/scale/scale.sh`); return process.env[k]; };
const at = (base) => attachServer({ base, dbUrl: env('SCALE_DB'), clockFile: env('SCALE_CLOCK') });
let A, B, P, w;
before(async () => {
	A = at(env('SCALE_A'));
	B = at(env('SCALE_B'));
	P = at(env('SCALE_PROXY'));
	A.setClock(START);
	w = await aidWorld(P, { label: 'scale' });
});
after(() => {
	reconcile(A);
	auditVerify(A);
});
// the same request on A and on B at the same moment
const both = (fn) => Promise.all([fn(A), fn(B)]);
const statuses = (rs) => rs.map((r) => r.status).sort();

test('a session from a login works on either process, directly and through the proxy', async () => {
	const l = await A.login(ADMIN_USER, ADMIN_PASSWORD);
	for (const s of [A, B, P, P, P, P]) {
		const me = await s.api('GET', '/me', { token: l.token });
		assertStatus(me, 200, `GET /me on ${s.base}`);
		assert.equal(me.json.username, ADMIN_USER);
		const mc = await s.api('GET', '/me', { cookie: l.cookie });
		assertStatus(mc, 200, `GET /me with the cookie on ${s.base}`);
	}
	// logging out on B ends the session on A too
	assertStatus(await B.api('POST', '/logout', { token: l.token }), 204, 'logout on B');
	assertStatus(await A.api('GET', '/me', { token: l.token }), 401, 'the session is gone on A');
	// the proxy spread the requests over both upstreams
	const log = fs.readFileSync(env('SCALE_NGINX_LOG'), 'utf8');
	assert.ok(log.split('\n').filter((x) => x.includes('/api/v1/me')).length >= 8, 'nginx logged the proxied requests');
});

test('concurrent approvals of one application on both processes: exactly one wins', async () => {
	const hs = await makeHouseholds(w, [{ org: 's1' }, { org: 's1' }, { org: 's1' }]);
	const progs = (await A.api('GET', '/programs', { token: w.staff.token })).json.items;
	const living = progs.find((p) => p.code === 'living');
	assert.ok(living, 'the living programme exists');
	for (const h of hs) {
		const filed = await A.api('POST', '/applications', { token: w.staff.token, body: {
			household_id: h.id, program_code: 'living', member_id: null, requested_fen: living.standard_fen,
			reason: '困难', documents: living.documents } });
		assertStatus(filed, 201, 'file an application');
		assertStatus(await B.api('POST', `/applications/${filed.json.id}/transitions`, { token: w.reviewer.token, body: { action: 'verify' } }), 200, 'verify');
		const rs = await both((s) => s.api('POST', `/applications/${filed.json.id}/transitions`, { token: w.approverS.token, body: { action: 'approve' } }));
		assert.deepEqual(statuses(rs), [200, 409], `one approval wins: ${rs.map((r) => r.text.slice(0, 200))}`);
		const ev = (await A.api('GET', `/applications/${filed.json.id}/events`, { token: w.admin.token })).json;
		const items = ev.items || ev;
		assert.equal(items.filter((e) => e.action === 'approve').length, 1, 'one approve event');
	}
});

test('concurrent debits of one account on both processes: no double spending, no negative balance', { timeout: 240000 }, async () => {
	await makeHouseholds(w, Array.from({ length: 8 }, (_, i) => ({ org: 's1', category: ['dibao', 'marginal'][i % 2] })));
	const acct = await openAccount(w, 1, w.financeC);
	const c = await A.api('POST', '/campaigns', { token: w.approverS.token, body: {
		org_id: w.s1.id, name: '双进程', period: 'scale-debit', amounts: { dibao: 1000, marginal: 1000, accident: 1000, none: 1000 } } });
	assertStatus(c, 201);
	const apps = (await A.api('GET', `/applications?campaign_id=${c.json.id}&limit=500`, { token: w.admin.token })).json.items;
	assert.ok(apps.length >= 8);
	// money for half of them: the rest must be refused, not overdrawn
	const fund = 1000 * Math.floor(apps.length / 2);
	await deposit(w, acct.id, fund, w.financeC);
	const other = await openAccount(w, 1, w.financeC);
	const reqs = [];
	apps.forEach((a, i) => {
		const s = i % 2 ? A : B;
		// each application paid on both processes at once, and transfers out racing them
		reqs.push(s.api('POST', `/applications/${a.id}/transitions`, { token: w.financeC.token, body: { action: 'disburse', account_id: acct.id } }));
		reqs.push((s === A ? B : A).api('POST', `/applications/${a.id}/transitions`, { token: w.financeC.token, body: { action: 'disburse', account_id: acct.id } }));
		if (i % 3 === 0)
			reqs.push(s.api('POST', '/fund-transfers', { token: w.financeC.token, body: { from_account_id: acct.id, to_account_id: other.id, amount_fen: 700, note: '调拨' } }));
	});
	const rs = await Promise.all(reqs);
	for (const r of rs)
		assert.ok(r.status < 500, `no server error: ${r.status} ${r.text}`);
	const rows = await checkLedger(w, acct.id); // running balance, never negative, sums to the balance
	const after = (await A.api('GET', `/applications?campaign_id=${c.json.id}&limit=500`, { token: w.admin.token })).json.items;
	const paid = after.filter((a) => a.status === 'disbursed');
	for (const a of paid)
		assert.equal(rows.filter((r) => r.application_id === a.id).length, 1, `application ${a.id} paid once`);
	const out = rows.filter((r) => r.amount_fen < 0).reduce((t, r) => t - r.amount_fen, 0);
	assert.ok(out <= fund, `spent ${out} of ${fund}`);
	assert.equal(paid.reduce((t, a) => t + a.disbursed_fen, 0), rows.filter((r) => r.kind === 'disbursement').reduce((t, r) => t - r.amount_fen, 0));
	assert.ok(paid.length >= 1, 'something was paid');
	await checkLedger(w, other.id);
});

test('concurrent edits of one household on both processes: no lost update', async () => {
	const [h] = await makeHouseholds(w, [{ org: 's1' }]);
	for (let i = 0; i < 5; i++) {
		const cur = (await A.api('GET', `/households/${h.id}`, { token: w.staff.token })).json;
		const rs = await Promise.all([
			A.api('PATCH', `/households/${h.id}`, { token: w.staff.token, body: { version: cur.version, address: `甲路${i}号` } }),
			B.api('PATCH', `/households/${h.id}`, { token: w.staff.token, body: { version: cur.version, employer: `乙厂${i}` } }),
		]);
		assert.deepEqual(statuses(rs), [200, 409], `one edit of version ${cur.version} wins: ${rs.map((r) => r.text.slice(0, 200))}`);
		const now = (await B.api('GET', `/households/${h.id}`, { token: w.staff.token })).json;
		assert.equal(now.version, cur.version + 1);
		const won = rs[0].status === 200 ? 'a' : 'b';
		if (won === 'a')
			assert.equal(now.address, `甲路${i}号`);
		else
			assert.equal(now.employer, `乙厂${i}`);
	}
	// deposits on both processes: every one counted
	const acct = await openAccount(w, 1, w.financeC);
	const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? A : B).api('POST', `/fund-accounts/${acct.id}/deposits`, { token: w.financeC.token, body: { amount_fen: 100 + i, note: '并发' } })));
	for (const r of rs)
		assertStatus(r, 201, 'deposit');
	const rows = await checkLedger(w, acct.id);
	assert.equal(rows.length, 20);
	assert.equal(rows.reduce((t, r) => t + r.amount_fen, 0), 20 * 100 + 190);
});

test('two campaigns of one period on both processes cover each household once', async () => {
	await makeHouseholds(w, [{ org: 's1' }, { org: 's1' }]);
	for (let i = 0; i < 4; i++) {
		const period = `scale-double-${i}`;
		const body = { org_id: w.s1.id, name: '同期', period, amounts: { dibao: 1000, marginal: 800, accident: 600, none: 500 } };
		const rs = await both((s) => s.api('POST', '/campaigns', { token: w.approverS.token, body }));
		for (const r of rs)
			assert.ok([201, 409].includes(r.status), `campaign: ${r.status} ${r.text}`);
		const dup = A.sql(`SELECT a.household_id, COUNT(*) FROM applications a JOIN campaigns c ON c.id = a.campaign_id
			WHERE c.period = '${period}' GROUP BY a.household_id HAVING COUNT(*) > 1`).trim();
		assert.equal(dup, '', `households covered twice in ${period}: ${dup}`);
		const active = Number(A.sql(`SELECT COUNT(*) FROM households h JOIN orgs o ON o.id = h.org_id WHERE h.status = 'active' AND o.id = ${w.s1.id}`));
		const covered = Number(A.sql(`SELECT COUNT(DISTINCT a.household_id) FROM applications a JOIN campaigns c ON c.id = a.campaign_id WHERE c.period = '${period}'`));
		assert.equal(covered, active, 'every active household is covered');
	}
});

test('pg_dump backup of the shared database restores into a fresh one that passes bangfu check', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-scale-bk-'));
	try {
		const file = path.join(dir, 'scale.dump');
		const b = runCli(['backup', '--db', env('SCALE_DB'), '-o', file]);
		assert.equal(b.code, 0, b.stderr);
		assert.ok(fs.statSync(file).size > 1000);
		const fresh = freshDatabase(dir, 'pg');
		try {
			const r = runCli(['restore', '--db', fresh.dbUrl, file]);
			assert.equal(r.code, 0, r.stderr);
			const c = runCli(['check', '--db', fresh.dbUrl]);
			assert.equal(c.code, 0, `${c.stdout}\n${c.stderr}`);
			const q = 'SELECT COUNT(*) FROM households';
			assert.equal(fresh.sql(q).trim(), A.sql(q).trim(), 'the copy has every household');
			const l = 'SELECT COALESCE(SUM(amount_fen), 0) FROM ledger';
			assert.equal(fresh.sql(l).trim(), A.sql(l).trim(), 'and every ledger row');
		} finally {
			fresh.drop();
		}
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});

// docs/deployment.md "The HTTP edge": behind nginx configured as documented
// (tests/nginx-proxy.sh copies its error pages from there), what nginx
// refuses itself is refused in the API's shape too, and bangfu, serving
// with --trusted-proxy, logs the client nginx saw, not one a client names.
test('behind nginx: bad framing and oversized requests are refused as JSON; the log names the real client', async () => {
	const H = 'Host: bangfu.test\r\n';
	const login = `POST /api/v1/login HTTP/1.1\r\n${H}Content-Type: application/json\r\n`;
	const smuggled = `GET /api/v1/me HTTP/1.1\r\n${H}\r\n`;
	for (const [what, bytes, status, code] of [
		['Content-Length and Transfer-Encoding', `${login}Content-Length: 40\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n${smuggled}`, 400, 'bad_request'],
		['two Content-Length', `${login}Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}${smuggled}`, 400, 'bad_request'],
		['Transfer-Encoding gzip', `${login}Transfer-Encoding: gzip\r\n\r\n{}`, 400, 'bad_request'],
		['a 200 KB header', `GET /api/v1/me HTTP/1.1\r\n${H}X-Big: ${'a'.repeat(200 * 1024)}\r\n\r\n`, 431, 'headers_too_large'],
		['a 300 KB URL', `GET /api/v1/${'a'.repeat(300 * 1024)} HTTP/1.1\r\n${H}\r\n`, 414, 'uri_too_long'],
		['/metrics from outside', `GET /metrics HTTP/1.1\r\n${H}\r\n`, 404, 'not_found'],
	]) {
		const r = await rawHttp(P.base, bytes, { wait: 2000 });
		const all = httpResponses(r.text);
		assert.ok(all.length >= 1, `${what}: an answer`);
		assertError(all[0], status, code, `${what} through nginx`);
		assert.ok(all.length === 1 || all[1].status !== 401, `${what}: the smuggled request is not answered`);
	}
	const before = new Set(env('SCALE_SERVE_LOGS').split(':').flatMap((f) => fs.readFileSync(f, 'utf8').split('\n')));
	const r = await P.api('POST', '/login', { body: { username: ADMIN_USER, password: ADMIN_PASSWORD }, headers: { 'X-Forwarded-For': '198.51.100.23' } });
	assertStatus(r, 200, 'login through nginx with a forged X-Forwarded-For');
	await new Promise((res) => setTimeout(res, 200));
	const lines = env('SCALE_SERVE_LOGS').split(':').flatMap((f) => fs.readFileSync(f, 'utf8').split('\n'))
		.filter((l) => !before.has(l) && l.startsWith('access ') && l.includes('path=/api/v1/login'));
	assert.equal(lines.length, 1, `one login line:\n${lines.join('\n')}`);
	assert.match(lines[0], / client=127\.0\.0\.1 /, 'the address nginx saw (its appended entry), not the forged one');
});
