// replica.test.mjs — run by tests/scale/scale.sh: a third bangfu process (R)
// started with `serve --report-db` on a streaming standby of the database
// (RULE report.replica).  Its reports read the standby; its sessions, scopes
// and every other request the primary.  The proof: with the standby's replay
// paused, a deposit made on the primary shows in the primary's dashboard and
// in R's account page, not in R's dashboard, until the replay goes on.
import assert from 'node:assert/strict';
import { test, after } from 'node:test';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { attachServer, assertStatus, uniq } from '../api/lib.mjs';

const env = (k) => { assert.ok(process.env[k], `${k} is set by tests/scale/scale.sh`); return process.env[k]; };
const at = (base) => attachServer({ base, dbUrl: env('SCALE_DB'), clockFile: env('SCALE_CLOCK') });
const psql = (url, sql) => execFileSync('psql', ['-XqtA', url, '-c', sql], { encoding: 'utf8' }).trim();
const STANDBY = env('SCALE_STANDBY_DB');
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

// waits until the standby has replayed everything the primary wrote so far
async function caughtUp() {
	const lsn = psql(env('SCALE_DB'), 'SELECT pg_current_wal_lsn()');
	for (let i = 0; i < 200; i++) {
		if (psql(STANDBY, `SELECT pg_last_wal_replay_lsn() >= '${lsn}'`) === 't')
			return;
		await sleep(50);
	}
	assert.fail(`the standby did not replay up to ${lsn}`);
}
async function pauseReplay() {
	psql(STANDBY, 'SELECT pg_wal_replay_pause()');
	for (let i = 0; i < 200; i++) {
		if (psql(STANDBY, 'SELECT pg_get_wal_replay_pause_state()') === 'paused')
			return;
		await sleep(50);
	}
	assert.fail('the standby did not pause its replay');
}
after(() => psql(STANDBY, 'SELECT pg_wal_replay_resume()'));

test('serve --report-db: the reports read the standby, the rest and the session the primary', async () => {
	const A = at(env('SCALE_A')), R = at(env('SCALE_R'));
	assert.equal(psql(STANDBY, 'SELECT pg_is_in_recovery()'), 't', 'SCALE_STANDBY_DB is a standby');
	const fin = await A.userSession({ org_id: 1, role: 'finance', name: '市财务' });
	const acct = await A.api('POST', '/fund-accounts', { token: fin.token, body: { org_id: 1, source: 'union', year: 2026, name: uniq('备库账户') } });
	assertStatus(acct, 201, 'open an account');
	assertStatus(await A.api('POST', `/fund-accounts/${acct.json.id}/deposits`, { token: fin.token, body: { amount_fen: 123400, note: '拨入' } }), 201, 'deposit');
	await caughtUp();
	const dashA = async () => { const r = await A.api('GET', '/reports/dashboard', { token: fin.token }); assertStatus(r, 200, 'dashboard on A'); return r.json.fund_balance_fen; };
	const dashR = async (token = fin.token) => { const r = await R.api('GET', '/reports/dashboard', { token }); assertStatus(r, 200, 'dashboard on R'); return r.json.fund_balance_fen; };
	const before = await dashA();
	assert.equal(await dashR(), before, 'caught up: the same balance on either');

	await pauseReplay();
	try {
		assertStatus(await A.api('POST', `/fund-accounts/${acct.json.id}/deposits`, { token: fin.token, body: { amount_fen: 500, note: '拨入' } }), 201, 'deposit while the standby is paused');
		assert.equal(await dashA(), before + 500, 'the primary has it');
		assert.equal(await dashR(), before, "R's dashboard reads the paused standby");
		const q = await R.api('GET', '/reports/quarterly?period=2026Q1', { token: fin.token });
		assertStatus(q, 200, "R's quarterly report from the standby");
		const page = await R.api('GET', `/fund-accounts/${acct.json.id}`, { token: fin.token });
		assertStatus(page, 200, "R's account page");
		assert.equal(page.json.balance_fen, 123900, 'any other read of R goes to the primary');
		// a session made after the pause exists only on the primary: R reads it there
		const late = await R.login(fin.record.username, fin.record.password);
		assert.equal(await dashR(late.token), before, 'a session the standby has not seen opens a report on R');
	} finally {
		psql(STANDBY, 'SELECT pg_wal_replay_resume()');
	}
	await caughtUp();
	assert.equal(await dashR(), before + 500, 'replayed: R shows the deposit');
});

test('serve --report-db refuses a database that is not a PostgreSQL standby of the same schema', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-replica-'));
	try {
		const bin = env('BANGFU_BIN');
		const sq = spawnSync(bin, ['serve', '--db', env('SCALE_DB'), '--report-db', path.join(dir, 'r.db'), '--listen', '127.0.0.1:1'],
			{ encoding: 'utf8', timeout: 20000 });
		assert.notEqual(sq.status, 0, 'a SQLite file as the report database');
		assert.match(sq.stderr, /--report-db 须为 PostgreSQL 备库/);
		const empty = env('SCALE_DB').replace(/\/scale$/, '/postgres');
		const pg = spawnSync(bin, ['serve', '--db', env('SCALE_DB'), '--report-db', empty, '--listen', '127.0.0.1:1'],
			{ encoding: 'utf8', timeout: 20000 });
		assert.notEqual(pg.status, 0, 'a PostgreSQL database without bangfu in it');
		assert.match(pg.stderr, /尚未初始化/);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
