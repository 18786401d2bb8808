// A campaign paid at once while single disbursements of its applications
// race it: every application is paid exactly once, each with one ledger row,
// and the ledger reconciles (a PostgreSQL race once debited twice).
import assert from 'node:assert/strict';
import { test, before, after } from 'node:test';
import { startServer, assertStatus, limit } from './lib.mjs';
import { START, aidWorld, makeHouseholds, openAccount, deposit, balance, checkLedger, applications, appTr, reconcile, auditVerify } from './aid-world.mjs';

let s, w;
before(async () => {
	s = await startServer({ clock: START });
	w = await aidWorld(s);
});
after(async () => { if (s) await s.stop(); });

test('campaign disbursement racing single disbursements pays each application once', { timeout: limit(240000) }, async () => {
	const specs = [];
	for (let i = 0; i < 16; i++)
		specs.push({ org: 's1', category: ['dibao', 'marginal', 'accident', 'none'][i % 4] });
	await makeHouseholds(w, specs);
	for (let round = 0; round < 3; round++) {
		const c = await s.api('POST', '/campaigns', { token: w.approverS.token, body: {
			org_id: w.s1.id, name: '竞争测试', period: `race-${round}`,
			amounts: { dibao: 1000, marginal: 800, accident: 600, none: 500 } } });
		assertStatus(c, 201);
		const acct = await openAccount(w, 1, w.financeC);
		await deposit(w, acct.id, 10000000, w.financeC);
		const apps = (await applications(w, `campaign_id=${c.json.id}`)).items;
		assert.equal(apps.length, c.json.applications);
		const total = apps.reduce((t, a) => t + a.approved_fen, 0);
		// half the applications singly, the campaign at the same moment
		const singles = apps.filter((_, i) => i % 2 === 0).map((a) =>
			appTr(w, a.id, w.financeC, { action: 'disburse', account_id: acct.id }));
		const whole = s.api('POST', `/campaigns/${c.json.id}/disburse`, { token: w.financeC.token,
			body: { account_id: acct.id } });
		const res = await Promise.all([whole, ...singles]);
		for (const r of res)
			assert.ok([200, 409].includes(r.status), `answer ${r.status}: ${r.text}`);
		const after = (await applications(w, `campaign_id=${c.json.id}`)).items;
		const paid = after.filter((a) => a.status === 'disbursed');
		const rows = await checkLedger(w, acct.id); // running balance and sum = balance
		const debits = rows.filter((r) => r.application_id);
		const perApp = new Map();
		for (const r of debits)
			perApp.set(r.application_id, (perApp.get(r.application_id) || 0) + 1);
		for (const a of paid)
			assert.equal(perApp.get(a.id), 1, `application ${a.id} has exactly one ledger row`);
		assert.equal(debits.length, paid.length, 'no ledger row without a paid application');
		const spent = paid.reduce((t, a) => t + a.disbursed_fen, 0);
		assert.equal(await balance(w, acct.id), 10000000 - spent);
		if (res[0].status === 200)
			assert.equal(spent, total, 'after the campaign, all of it is paid');
	}
	reconcile(s);
	auditVerify(s);
});
