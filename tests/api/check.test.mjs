// `bangfu check` for the partner cards and the cases: each invariant is
// broken with direct SQL on the demo city (which has cards, purchases and
// finished cases made through the services), `check` must exit 1 naming it
// in Chinese, and pass again once the row is repaired.
//
// Two of the invariants are also CHECK constraints of the schema; to break
// them the test sets the constraint aside (SQLite: ignore_check_constraints
// for its one statement; PostgreSQL: the constraint is dropped and added
// back after the repair), as a restored or hand-edited database could be.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withServer, limit } from './lib.mjs';

const T = { timeout: limit(600000) };
const isPg = (s) => /^postgres(ql)?:/.test(s.dbUrl);
const one = (s, q) => s.sql(q).trim().split('\n')[0].split('|');

// Runs `stmt` with the CHECK constraint of table(column) out of the way.
function withoutCheck(s, table, column, stmt, repair) {
	if (!isPg(s)) {
		s.sql(`PRAGMA ignore_check_constraints = ON; ${stmt}`);
		return () => s.sql(repair);
	}
	const [name, def] = one(s, `SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '${table}'::regclass`
		+ ` AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%${column}%' ORDER BY conname LIMIT 1`);
	assert.ok(name, `a CHECK constraint on ${table}.${column}`);
	s.sql(`ALTER TABLE ${table} DROP CONSTRAINT ${name}; ${stmt}`);
	return () => s.sql(`${repair}; ALTER TABLE ${table} ADD CONSTRAINT ${name} ${def}`);
}

// `constraint`: a CHECK constraint was set aside, which SQLite's
// integrity_check reports too (check's 外键与文件完整性); `before`: checks
// that the same edit breaks too, named before `name` in check's output.
function expectBroken(s, name, what, constraint = false, before = []) {
	const c = s.cli(['check']);
	assert.equal(c.code, 1, `check must fail for ${what}:\n${c.stdout}${c.stderr}`);
	assert.match(c.stdout, new RegExp(`失败\\s+${name}：${what}：1 处`), c.stdout);
	const failed = c.stdout.split('\n').filter((l) => l.startsWith('失败')).map((l) => l.replace(/^失败\s+/, '').split('：')[0]);
	const expected = [...(constraint && !isPg(s) ? ['外键与文件完整性'] : []), ...before, name];
	assert.deepEqual(failed, expected, `the other checks still pass:\n${c.stdout}`);
}

function expectHealthy(s, why) {
	const c = s.cli(['check']);
	assert.equal(c.code, 0, `${why}:\n${c.stdout}${c.stderr}`);
	for (const name of ['状态与流程记录一致', '爱心卡消费分担与资金流水一致', '有效爱心卡只属于在档家庭', '已办结个案都有办理结果', '追回欠薪只记在欠薪个案'])
		assert.match(c.stdout, new RegExp(`通过\\s+${name}`), c.stdout);
}

test('check names broken card purchases, cards of inactive archives and cases', T, async () => {
	await withServer({ demo: true }, async (s) => {
		expectHealthy(s, 'the demo city is whole');

		// 1. a purchase whose shares do not add up to its amount
		const [pid] = one(s, 'SELECT id FROM purchases WHERE union_fen > 0 AND partner_fen > 0 ORDER BY id LIMIT 1');
		assert.ok(pid, 'the demo has purchases shared by union and partner');
		let restore = withoutCheck(s, 'purchases', 'partner_fen', `UPDATE purchases SET partner_fen = partner_fen + 1 WHERE id = ${pid}`,
			`UPDATE purchases SET partner_fen = partner_fen - 1 WHERE id = ${pid}`);
		try {
			expectBroken(s, '爱心卡消费分担与资金流水一致', '爱心卡消费的工会承担与商户让利之和不等于消费金额', true);
		} finally {
			restore();
		}
		expectHealthy(s, 'repaired shares');

		// 2. a purchase whose union share has no ledger row (and the ledger row no purchase)
		const [ledger] = one(s, `SELECT ledger_id FROM purchases WHERE id = ${pid}`);
		s.sql(`UPDATE purchases SET ledger_id = NULL WHERE id = ${pid}`);
		try {
			const c = s.cli(['check']);
			assert.equal(c.code, 1, c.stdout);
			assert.match(c.stdout, /失败\s+爱心卡消费分担与资金流水一致：爱心卡消费缺少工会承担部分的资金流水：1 处/);
		} finally {
			s.sql(`UPDATE purchases SET ledger_id = ${ledger} WHERE id = ${pid}`);
		}
		// the ledger row of another amount is not the union's share either
		s.sql(`UPDATE ledger SET amount_fen = amount_fen - 1 WHERE id = ${ledger}`);
		try {
			const c = s.cli(['check']);
			assert.equal(c.code, 1, c.stdout);
			assert.match(c.stdout, /爱心卡消费缺少工会承担部分的资金流水/);
		} finally {
			s.sql(`UPDATE ledger SET amount_fen = amount_fen + 1 WHERE id = ${ledger}`);
		}
		expectHealthy(s, 'ledger row back');

		// 3. an active card whose archive is no longer active
		const [hid] = one(s, "SELECT c.household_id FROM cards c JOIN households h ON h.id = c.household_id"
			+ " WHERE c.status = 'active' AND h.status = 'active' ORDER BY c.id LIMIT 1");
		assert.ok(hid, 'the demo has active cards');
		s.sql(`UPDATE households SET status = 'approved' WHERE id = ${hid}`);
		try {
			// the status no longer matches the archive's last event either
			expectBroken(s, '有效爱心卡只属于在档家庭', '有效爱心卡所属的档案不在档', false, ['状态与流程记录一致']);
		} finally {
			s.sql(`UPDATE households SET status = 'active' WHERE id = ${hid}`);
		}
		expectHealthy(s, 'archive active again');

		// 4. a finished case without a result (resolved, then closed)
		for (const st of ['resolved', 'closed']) {
			const row = s.sql(`SELECT id, result FROM cases WHERE status = '${st}' ORDER BY id LIMIT 1`).trim();
			assert.ok(row, `the demo has ${st} cases`);
			const id = row.split('|')[0], result = row.slice(id.length + 1);
			assert.ok(result.length > 0, `a ${st} case has its result`);
			s.sql(`UPDATE cases SET result = '  ' WHERE id = ${id}`);
			try {
				expectBroken(s, '已办结个案都有办理结果', '已办结或已结案的个案没有办理结果');
			} finally {
				s.sql(`UPDATE cases SET result = '${result.replace(/'/g, "''")}' WHERE id = ${id}`);
			}
		}
		expectHealthy(s, 'results back');

		// 5. money recovered on a case that is not about wage arrears
		const [cid] = one(s, "SELECT id FROM cases WHERE category <> 'wage_arrears' AND recovered_fen = 0 ORDER BY id LIMIT 1");
		assert.ok(cid, 'the demo has other cases');
		restore = withoutCheck(s, 'cases', 'recovered_fen', `UPDATE cases SET recovered_fen = 50000 WHERE id = ${cid}`,
			`UPDATE cases SET recovered_fen = 0 WHERE id = ${cid}`);
		try {
			expectBroken(s, '追回欠薪只记在欠薪个案', '非欠薪个案记有追回欠薪金额', true);
		} finally {
			restore();
		}
		expectHealthy(s, 'recovered money removed');

		// 6. a status moved without its workflow event (the quarterly report
		// trusts the last event: services/reports.c)
		for (const [table, events, key, what] of [['households', 'household_events', 'household_id', '档案'],
			['applications', 'application_events', 'application_id', '申请']]) {
			const [id] = one(s, `SELECT t.id FROM ${table} t WHERE t.status = 'submitted' AND EXISTS (SELECT 1`
				+ ` FROM ${events} e WHERE e.${key} = t.id AND e.to_status = 'submitted') ORDER BY t.id LIMIT 1`);
			assert.ok(id, `the demo has submitted ${table} with their events`);
			s.sql(`UPDATE ${table} SET status = 'verified' WHERE id = ${id}`);
			try {
				expectBroken(s, '状态与流程记录一致', `${what}状态与其最后一条流程记录不一致`);
			} finally {
				s.sql(`UPDATE ${table} SET status = 'submitted' WHERE id = ${id}`);
			}
		}
		expectHealthy(s, 'statuses back');

		// 7. RULE aid.monthly: the monthly sums the dashboard reads, against
		// the applications (a sum off by one fen; a month missing)
		const [org, month, prog, n, fen] = one(s, 'SELECT org_id, month, program_code, paid_count, net_fen FROM aid_monthly'
			+ ' ORDER BY org_id, month, program_code LIMIT 1');
		assert.ok(Number(n) > 0, 'the demo has payments in aid_monthly');
		const key = `org_id = ${org} AND month = '${month}' AND program_code = '${prog}'`;
		s.sql(`UPDATE aid_monthly SET net_fen = net_fen + 1 WHERE ${key}`);
		try {
			expectBroken(s, '帮扶发放与资金流水一致', '按月发放汇总与申请不符');
		} finally {
			s.sql(`UPDATE aid_monthly SET net_fen = net_fen - 1 WHERE ${key}`);
		}
		s.sql(`DELETE FROM aid_monthly WHERE ${key}`);
		try {
			expectBroken(s, '帮扶发放与资金流水一致', '按月发放汇总与申请不符');
		} finally {
			s.sql(`INSERT INTO aid_monthly (org_id, month, program_code, paid_count, net_fen) VALUES (${org}, '${month}', '${prog}', ${n}, ${fen})`);
		}
		expectHealthy(s, 'monthly sums back');
	});
});
