// Operations: backup while serving, restore into an empty database, check,
// funds reconcile — on SQLite and PostgreSQL alike.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test, before, after } from 'node:test';
import { startServer, withServer, freshDatabase, runCli, assertStatus, limit, uniq, regionCode, DB_KIND } from './lib.mjs';

const T = { timeout: limit(120000) };
let s, finance, account;

before(async () => {
	s = await startServer();
	const a = await s.admin();
	const u = await s.api('POST', '/users', { token: a.token, body: {
		username: 'ops_fin', name: '财务', password: 'Passw0rd1234', org_id: 1, role: 'finance' } });
	assertStatus(u, 201);
	finance = await s.login('ops_fin', 'Passw0rd1234');
	const acct = await s.api('POST', '/fund-accounts', { token: finance.token, body: {
		org_id: 1, source: 'union', year: 2026, name: '运维测试账户' } });
	assertStatus(acct, 201);
	account = acct.json.id;
	for (const fen of [12345, 500000])
		assertStatus(await s.api('POST', `/fund-accounts/${account}/deposits`, { token: finance.token,
			body: { amount_fen: fen, note: '拨款' } }), 201);
});
after(async () => { await s.stop(); });

test('check passes on a healthy database, naming every check', T, () => {
	const r = s.cli(['check']);
	assert.equal(r.code, 0, r.stdout + r.stderr);
	for (const what of ['结构版本', '资金', '审计', '精准识别'])
		assert.ok(r.stdout.includes(what), `check reports ${what}`);
	assert.ok(!r.stdout.includes('失败'), r.stdout);
	assert.equal(s.cli(['funds', 'reconcile', '--db', s.dbUrl]).code, 0);
});

// SQLite only: on PostgreSQL autovacuum keeps the statistics and serve leaves them alone
if (DB_KIND === 'sqlite') test('serve refreshes SQLite\'s planner statistics when it starts', T, async () => {
	// taken once serve listened: init had made the root unit and the admin
	for (let i = 0; s.sql("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").trim() === '0'; i++) {
		assert.ok(i < 100, 'no statistics 10 s after serve started');
		await new Promise((r) => setTimeout(r, 100));
	}
	const rows = s.sql("SELECT tbl || ' ' || stat FROM sqlite_stat1 WHERE tbl IN ('orgs', 'users') ORDER BY tbl, idx").trim().split('\n');
	assert.ok(rows.some((r) => r.startsWith('orgs ')) && rows.some((r) => r.startsWith('users ')), rows.join('; '));
	for (const r of rows)
		assert.ok(Number(r.split(' ')[1]) >= 1, `a row count in ${r}`);
});

// SQLite only: while serving, every --analyze-every seconds, with a line in the log
if (DB_KIND === 'sqlite') test('serve refreshes the statistics while it runs', T, async () => {
	await withServer({ args: ['--analyze-every', '1'] }, async (v) => {
		// sqlite_stat1 does not exist until the first refresh has committed
		const orgRows = () => v.sql("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").trim() === '0' ? ''
			: v.sql("SELECT stat FROM sqlite_stat1 WHERE idx = 'orgs_parent'").trim().split(' ')[0];
		// the first refresh runs at once once the server listens (RULE db.stats)
		for (let i = 0; orgRows() !== '1'; i++) {
			assert.ok(i < 100, `at start: the root unit alone, not ${orgRows()}`);
			await new Promise((r) => setTimeout(r, 100));
		}
		for (let i = 0; i < 3; i++)
			await v.createOrg({ parent_id: 1, level: 'district', name: uniq('统计区'), region_code: regionCode() });
		// the line is written after the commit that the count sees: wait for both
		const logged = /maintenance task=analyze status=ok ms=[0-9.]+\n/;
		for (let i = 0; orgRows() !== '4' || !logged.test(v.stderr()); i++) {
			assert.ok(i < 100, `statistics not refreshed (${orgRows()}) or not logged:\n${v.stderr()}`);
			await new Promise((r) => setTimeout(r, 100));
		}
	});
	// a bad interval is refused before anything starts
	const bad = runCli(['serve', '--db', s.dbUrl, '--analyze-every', '0']);
	assert.equal(bad.code, 2);
	assert.match(bad.stderr, /--analyze-every 应为正整数/);
});

test('backup while serving, restore into an empty database, restored data checks out', T, async () => {
	const file = path.join(s.dir, 'backup.bin');
	const b = s.cli(['backup', '-o', file]);
	assert.equal(b.code, 0, b.stderr);
	assert.ok(fs.statSync(file).size > 0, 'backup file written');
	// the server still answers after the online backup
	assertStatus(await s.api('GET', `/fund-accounts/${account}`, { token: finance.token }), 200);

	const dir = fs.mkdtempSync(path.join(s.dir, 'restore-'));
	const target = freshDatabase(dir);
	try {
		const r = runCli(['restore', '--db', target.dbUrl, file]);
		assert.equal(r.code, 0, r.stderr);
		const c = runCli(['check', '--db', target.dbUrl]);
		assert.equal(c.code, 0, c.stdout + c.stderr);
		const bal = target.sql(`SELECT balance_fen FROM fund_accounts WHERE id = ${account}`);
		assert.equal(bal.trim(), '512345', 'the restored balance is the one backed up');
		// restoring over data is refused and changes nothing
		const again = runCli(['restore', '--db', target.dbUrl, file]);
		assert.equal(again.code, 1, 'restore into a database with data fails');
		assert.match(again.stderr, /已有数据/);
	} finally {
		target.drop();
	}
});

test('restore of a missing file is refused', T, () => {
	const r = s.cli(['restore', path.join(s.dir, 'nope.bin')]);
	assert.notEqual(r.code, 0);
});

test('check and reconcile name a ledger that no longer adds up', T, () => {
	s.sql(`UPDATE fund_accounts SET balance_fen = balance_fen + 1 WHERE id = ${account}`);
	try {
		const c = s.cli(['check']);
		assert.equal(c.code, 1, c.stdout);
		assert.match(c.stdout, /失败\s+资金账户余额与流水一致/);
		assert.match(c.stdout, /运维测试账户/);
		const f = s.cli(['funds', 'reconcile', '--db', s.dbUrl]);
		assert.equal(f.code, 1);
		assert.match(f.stderr, /运维测试账户/);
	} finally {
		s.sql(`UPDATE fund_accounts SET balance_fen = balance_fen - 1 WHERE id = ${account}`);
	}
	assert.equal(s.cli(['check']).code, 0, 'healthy again after the repair');
});

test('check names a person in two open archives', T, () => {
	s.sql(`INSERT INTO orgs (parent_id, name, level, region_code, path, created_at) VALUES (1, '临时', 'street', '330102', '/1/999/', '2026-01-01T00:00:00Z')`);
	// two open index rows for one ID number can only appear by editing the
	// table behind the unique index's back: drop it, then restore it
	s.sql('DROP INDEX archive_people_open');
	try {
		s.sql(`INSERT INTO households (org_id, status, name, id_number, gender, birth_date, monthly_income_fen, household_size, per_capita_income_fen, suggested_category, created_at, updated_at) VALUES (1, 'draft', '甲', '11010119900307451X', 'male', '1990-03-07', 0, 1, 0, 'none', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`);
		s.sql(`INSERT INTO households (org_id, status, name, id_number, gender, birth_date, monthly_income_fen, household_size, per_capita_income_fen, suggested_category, created_at, updated_at) VALUES (1, 'draft', '乙', '11010119900307451X', 'male', '1990-03-07', 0, 1, 0, 'none', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`);
		s.sql(`INSERT INTO archive_people (id_number, household_id, is_open) SELECT id_number, id, 1 FROM households WHERE name IN ('甲', '乙')`);
		const c = s.cli(['check']);
		assert.equal(c.code, 1, c.stdout);
		assert.match(c.stdout, /失败\s+一人只在一个在档家庭/);
	} finally {
		s.sql(`DELETE FROM archive_people WHERE household_id IN (SELECT id FROM households WHERE name IN ('甲', '乙'))`);
		s.sql(`DELETE FROM households WHERE name IN ('甲', '乙')`);
		s.sql('CREATE UNIQUE INDEX archive_people_open ON archive_people (id_number) WHERE is_open = 1');
	}
	assert.equal(s.cli(['check']).code, 0, s.cli(['check']).stdout);
});
