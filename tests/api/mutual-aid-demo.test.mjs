// The demo city's mutual aid (互助保障) and primary items (帮扶主项): two
// plans of the current year with enrolments and claims in every state, and
// `bangfu check` names a plan whose kept figures drift from its records.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withServer, limit, listAll } from './lib.mjs';

const T = { timeout: limit(600000) };

test('demo: a medical and a women\'s plan of this year, claims in every state; check guards the kept figures', T, async () => {
	await withServer({ demo: true }, async (s) => {
		const adm = await s.admin();
		const plans = (await listAll(s, '/mutual-aid/plans', adm.token)).items;
		assert.deepEqual(plans.map((p) => p.kind).sort(), ['medical', 'women']);
		const year = Number(plans[0].year);
		assert.ok(plans.every((p) => p.year === year && p.enrolled > 0));
		const women = plans.find((p) => p.kind === 'women');
		assert.equal(women.women_only, true);
		assert.equal(women.premium_total_fen, women.enrolled * women.premium_fen);
		const claims = (await listAll(s, '/mutual-aid/claims', adm.token)).items;
		assert.deepEqual([...new Set(claims.map((c) => c.status))].sort(), ['approved', 'paid', 'rejected', 'submitted', 'verified']);
		const hh = await s.api('GET', '/households?primary_aid=medical_mutual&limit=1', { token: adm.token });
		assert.ok(hh.json.total > 0, 'archives with 医疗互助 as their primary item');
		const d = await s.api('GET', '/reports/dashboard', { token: adm.token });
		assert.equal(d.json.mutual_aid_claims_open, claims.filter((c) => ['submitted', 'verified', 'approved'].includes(c.status)).length);

		let c = s.cli(['check']);
		assert.equal(c.code, 0, c.stdout + c.stderr);
		assert.match(c.stdout, /通过\s+互助保障计划、理赔与资金流水一致/);
		s.sql(`UPDATE ma_plans SET enrolled_n = enrolled_n + 1 WHERE id = ${women.id}`);
		c = s.cli(['check']);
		assert.equal(c.code, 1);
		assert.match(c.stdout, /失败\s+互助保障计划、理赔与资金流水一致：互助保障计划保存的参保人数、保费、理赔数或支付额与记录不一致：1 处/);
		s.sql(`UPDATE ma_plans SET enrolled_n = enrolled_n - 1 WHERE id = ${women.id}`);
		const paid = claims.find((c) => c.status === 'paid');
		s.sql(`UPDATE ledger SET note = note WHERE id = ${paid.ledger_id}; UPDATE ma_claims SET ledger_id = NULL WHERE id = ${paid.id}`);
		c = s.cli(['check']);
		assert.equal(c.code, 1);
		assert.match(c.stdout, /已支付理赔与资金流水不符：1 处/);
		s.sql(`UPDATE ma_claims SET ledger_id = ${paid.ledger_id} WHERE id = ${paid.id}`);
		assert.equal(s.cli(['check']).code, 0);
	});
});
