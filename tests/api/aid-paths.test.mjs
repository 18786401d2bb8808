// The whole "五有" path for every programme: 申请 → 查验 → 批准 → 发放 →
// 签收 → 办结, each step by its own role, the trail in the events, money in
// the ledger where the programme pays money (legal and employment aid pay
// none), and the ledger reconciling at the end.
import assert from 'node:assert/strict';
import { test, before, after } from 'node:test';
import { startServer, assertStatus, limit } from './lib.mjs';
import { START, aidWorld, makeHouseholds, openAccount, deposit, balance, checkLedger, appTrOk, reconcile, auditVerify } from './aid-world.mjs';

let s, w;
before(async () => {
	s = await startServer({ clock: START });
	w = await aidWorld(s);
});
after(async () => { if (s) await s.stop(); });

test('every programme walks the whole path', { timeout: limit(240000) }, async () => {
	const student = { name: '王同学', id_number: w.p.female('20080901'), relation: 'child', school_stage: 'senior' };
	const [hLiving, hMedical, hEdu, hLegal, hJob, hLoan] = await makeHouseholds(w, [
		{ org: 's1' },
		{ org: 's1', body: { causes: ['illness_family'] } },
		{ org: 's1', body: { members: [student] } },
		{ org: 's1' }, { org: 's1' }, { org: 's1' },
	]);
	const memberId = (await s.api('GET', `/households/${hEdu.id}`, { token: w.admin.token })).json.members[0].id;
	const acct = await openAccount(w, 1, w.financeC);
	await deposit(w, acct.id, 10000000, w.financeC);
	const progs = {};
	for (const p of (await s.api('GET', '/programs', { token: w.staff.token })).json.items)
		progs[p.code] = p;

	const cases = [
		{ code: 'living', h: hLiving },
		{ code: 'medical', h: hMedical },
		{ code: 'education', h: hEdu, member_id: memberId },
		{ code: 'legal', h: hLegal },
		{ code: 'employment', h: hJob },
		{ code: 'microloan', h: hLoan, fen: 100000 },
	];
	let paid = 0;
	for (const c of cases) {
		const p = progs[c.code];
		const fen = c.fen ?? p.standard_fen;
		const filed = await s.api('POST', '/applications', { token: w.staff.token, body: {
			household_id: c.h.id, program_code: c.code, member_id: c.member_id ?? null,
			requested_fen: fen, reason: '困难', documents: p.documents } });
		assertStatus(filed, 201, `file ${c.code}`);
		const id = filed.json.id;
		assert.equal(filed.json.status, 'submitted');
		assert.ok(filed.json.due_date > START.slice(0, 10), `${c.code} has a deadline`);
		await appTrOk(w, id, w.reviewer, { action: 'verify' });
		const approver = fen > 100000 ? w.approverD : w.approverS;
		await appTrOk(w, id, approver, { action: 'approve' });
		await appTrOk(w, id, w.financeC, { action: 'disburse', account_id: acct.id });
		await appTrOk(w, id, w.staff, { action: 'receipt', signed_by: '户主本人', signed_on: START.slice(0, 10) });
		const closed = await appTrOk(w, id, w.staff, { action: 'close', report: '已办结，材料归档' });
		assert.equal(closed.status, 'closed', c.code);
		assert.equal(closed.disbursed_fen, fen, c.code);
		paid += fen;
		const ev = await s.api('GET', `/applications/${id}/events`, { token: w.staff.token });
		assert.deepEqual(ev.json.items.map((e) => e.action),
			['submit', 'verify', 'approve', 'disburse', 'receipt', 'close'], `${c.code} trail`);
		assert.deepEqual(new Set(ev.json.items.map((e) => e.user_id)).size >= 4, true, `${c.code}: four people took part`);
	}
	// condolence goes through a campaign, then receipt and close one by one
	const camp = await s.api('POST', '/campaigns', { token: w.approverS.token, body: {
		org_id: w.s1.id, name: '送温暖', period: 'paths', amounts: { dibao: 50000, marginal: 50000, accident: 50000, none: 50000 } } });
	assertStatus(camp, 201);
	assertStatus(await s.api('POST', `/campaigns/${camp.json.id}/disburse`, { token: w.financeC.token,
		body: { account_id: acct.id } }), 200);
	paid += camp.json.amount_fen;
	const one = (await s.api('GET', `/applications?campaign_id=${camp.json.id}&limit=1`, { token: w.staff.token })).json.items[0];
	await appTrOk(w, one.id, w.staff, { action: 'receipt', signed_by: '户主本人', signed_on: START.slice(0, 10) });
	assert.equal((await appTrOk(w, one.id, w.staff, { action: 'close', report: '慰问金已送达' })).status, 'closed');

	assert.equal(await balance(w, acct.id), 10000000 - paid);
	const rows = await checkLedger(w, acct.id);
	assert.equal(rows.filter((r) => r.amount_fen < 0).length, 4 + camp.json.applications,
		'living, medical, education, microloan and the campaign move money; legal and employment none');
	reconcile(s);
	auditVerify(s);
});
