// Funds (资金): accounts per unit, source and year; deposits; transfers down
// the hierarchy only; disbursements tied to applications; refunds; the
// ledger reconciles and a balance never goes negative, also under
// concurrent disbursements.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertFieldError, assertStatus, listAll, limit } from './lib.mjs';
import {
	START, aidWorld, hhBody, makeActive, LIVING_DOCS, applyOk, tr, trOk, getApp,
	openAccount, deposit, balance, ledger, auditVerify, reconcile,
} from './aid-fixture.mjs';

const T = { timeout: limit(60000) };
const TODAY = '2026-03-16';
const NON_FINANCE = ['admin', 'staff', 'reviewer', 'approverC', 'viewer'];

const post = (w, who, p, body) => w.s.api('POST', p, { token: who.token, body });

// Every ledger row has the contract's fields; balance_fen runs; the sum of
// amount_fen is the account's balance.  Returns the rows.
async function checkLedger(w, id) {
	const l = await ledger(w, id);
	assert.equal(l.total, l.items.length);
	let run = 0;
	for (const row of l.items) {
		for (const k of ['id', 'at', 'kind', 'amount_fen', 'balance_fen', 'application_id', 'note'])
			assert.ok(Object.hasOwn(row, k), `ledger row lacks ${k}: ${JSON.stringify(row)}`);
		assert.ok(Number.isInteger(row.amount_fen) && row.amount_fen !== 0, `amount_fen: ${JSON.stringify(row)}`);
		run += row.amount_fen;
		assert.equal(row.balance_fen, run, `running balance of account ${id}: ${JSON.stringify(row)}`);
		assert.ok(row.balance_fen >= 0, 'a balance never goes negative');
	}
	assert.equal(run, await balance(w, id), `the ledger of ${id} sums to its balance`);
	return l.items;
}

describe('funds', () => {
	let s, w, HS;
	const A = {}; // accounts
	before(async () => {
		s = await startServer({ clock: START });
		w = await aidWorld(s, { extraUsers: { financeS1: ['s1', 'finance'] } });
		HS = await makeActive(w, Array.from({ length: 20 }, () => hhBody(w)));
		await w.setClock(TODAY + 'T09:00:00Z');
	});
	after(async () => { if (s) await s.stop(); });

	test('POST /fund-accounts (finance) → 201 with balance 0; bad source → 422; other roles → 403', T, async () => {
		A.city = await openAccount(w, 1, { source: 'union', name: '市总工会帮扶资金' });
		A.d = await openAccount(w, w.d.id, { source: 'government' });
		A.s1 = await openAccount(w, w.s1.id, { source: 'donation' });
		A.s2 = await openAccount(w, w.s2.id, { source: 'social', who: w.financeS2 });
		for (const k of ['id', 'org_id', 'source', 'year', 'name', 'balance_fen'])
			assert.ok(Object.hasOwn(A.city, k), `account lacks ${k}`);
		assert.equal(A.city.org_id, 1);
		assert.equal(A.city.source, 'union');
		assert.equal(A.city.year, 2026);
		assert.equal(A.d.source, 'government');
		assert.equal(A.s2.org_id, w.s2.id);
		const g = await s.api('GET', `/fund-accounts/${A.city.id}`, { token: w.financeC.token });
		assertStatus(g, 200, 'GET account');
		assert.equal(g.json.balance_fen, 0);
		assert.equal(g.json.name, '市总工会帮扶资金');

		const body = { org_id: w.s1.id, source: 'lottery', year: 2026, name: '彩票' };
		assertFieldError(await post(w, w.financeC, '/fund-accounts', body), 'source', { what: 'bad source' });
		assertError(await post(w, w.financeS2, '/fund-accounts', { ...body, source: 'union' }), 404, 'not_found', 'finance of S2 opens an account of S1');
		for (const who of NON_FINANCE)
			assertError(await post(w, w[who], '/fund-accounts', { ...body, source: 'union' }), 403, 'forbidden', `${who} opens an account`);
		const all = await listAll(s, '/fund-accounts', w.financeC.token);
		assert.equal(all.total, 4, 'refused requests open nothing');
		const audit = await listAll(s, `/audit?entity=fund_account&entity_id=${A.city.id}`, w.admin.token);
		assert.ok(audit.items.length > 0, 'opening an account is audited');
	});

	test('deposits: amount > 0, integer; finance only; scope', T, async () => {
		const r = await deposit(w, A.city.id, 1000000);
		assert.equal(r.id, A.city.id);
		assert.equal(r.balance_fen, 1000000);
		const p = `/fund-accounts/${A.city.id}/deposits`;
		for (const amount_fen of [0, -100])
			assertFieldError(await post(w, w.financeC, p, { amount_fen, note: 'x' }), 'amount_fen', { what: `deposit ${amount_fen}` });
		for (const amount_fen of [1.5, '100'])
			assertError(await post(w, w.financeC, p, { amount_fen, note: 'x' }), 400, 'bad_request', `deposit ${JSON.stringify(amount_fen)}`);
		// (an S1 account: inside the scope of every one of them, so the role decides)
		for (const who of NON_FINANCE)
			assertError(await post(w, w[who], `/fund-accounts/${A.s1.id}/deposits`, { amount_fen: 100, note: 'x' }), 403, 'forbidden', `${who} deposits`);
		assertError(await post(w, w.financeS2, `/fund-accounts/${A.s1.id}/deposits`, { amount_fen: 100, note: 'x' }), 404, 'not_found', 'finance of S2 deposits into S1');
		assertError(await s.api('GET', `/fund-accounts/${A.s1.id}`, { token: w.financeS2.token }), 404, 'not_found', 'finance of S2 reads S1');
		assertError(await s.api('GET', `/fund-accounts/${A.s1.id}/ledger`, { token: w.financeS2.token }), 404, 'not_found', 'finance of S2 reads the ledger of S1');
		assert.equal(await balance(w, A.city.id), 1000000, 'refused deposits change nothing');
		assert.equal(await balance(w, A.s1.id), 0);
		const rows = await checkLedger(w, A.city.id);
		assert.equal(rows.length, 1, 'one row per movement, none for refusals');
		assert.equal(rows[0].amount_fen, 1000000);
		assert.equal(rows[0].note, '拨入');
		await deposit(w, A.s2.id, 50000, w.financeS2);
	});

	test('transfers go down the tree; upward 422, sideways 404, too much 409 with nothing changed', T, async () => {
		const xfer = (who, from, to, amount_fen) => post(w, who, '/fund-transfers', { from_account_id: from.id, to_account_id: to.id, amount_fen, note: '划拨' });
		assertStatus(await xfer(w.financeC, A.city, A.d, 300000), 201, 'city → district');
		assertStatus(await xfer(w.financeC, A.city, A.s1, 100000), 201, 'city → street');
		assertStatus(await xfer(w.financeC, A.d, A.s1, 50000), 201, 'district → street');
		assert.equal(await balance(w, A.city.id), 600000);
		assert.equal(await balance(w, A.d.id), 250000);
		assert.equal(await balance(w, A.s1.id), 150000);

		const counts = async () => Promise.all([A.city, A.d, A.s1, A.s2].map(async (a) => (await ledger(w, a.id)).total));
		const before = await counts();
		assertFieldError(await xfer(w.financeC, A.s1, A.city, 1000), 'to_account_id', { what: 'street → city (upward)' });
		assertFieldError(await xfer(w.financeC, A.s1, A.d, 1000), 'to_account_id', { what: 'street → district (upward)' });
		assertFieldError(await xfer(w.financeC, A.d, A.city, 1000), 'to_account_id', { what: 'district → city (upward)' });
		assertFieldError(await xfer(w.financeC, A.s1, A.s2, 1000), 'to_account_id', { what: 'street → sibling street' });
		assertError(await xfer(w.financeS2, A.s2, A.s1, 1000), 404, 'not_found', 'to a sibling account the sender cannot see');
		assertError(await xfer(w.financeS2, A.s1, A.s2, 1000), 404, 'not_found', 'from an account the sender cannot see');
		for (const amount_fen of [0, -5])
			assertFieldError(await xfer(w.financeC, A.city, A.d, amount_fen), 'amount_fen', { what: `transfer ${amount_fen}` });
		assertError(await xfer(w.financeC, A.city, A.d, 2.5), 400, 'bad_request', 'transfer 2.5');
		for (const who of NON_FINANCE)
			assertError(await xfer(w[who], A.city, A.d, 1000), 403, 'forbidden', `${who} transfers`);
		assertError(await xfer(w.financeC, A.city, A.d, 600001), 409, 'insufficient_funds', 'more than the balance');
		assert.equal(await balance(w, A.city.id), 600000, 'sender unchanged');
		assert.equal(await balance(w, A.d.id), 250000, 'receiver unchanged');
		assert.deepEqual(await counts(), before, 'no ledger rows for refused transfers');
		// the whole balance may go
		assertStatus(await xfer(w.financeC, A.d, A.s1, 250000), 201, 'district empties its account');
		assert.equal(await balance(w, A.d.id), 0);
		assert.equal(await balance(w, A.s1.id), 400000);
	});

	test('the ledger: one signed row per movement, running balances, sums to the balance', T, async () => {
		const city = await checkLedger(w, A.city.id);
		assert.deepEqual(city.map((r) => r.amount_fen), [1000000, -300000, -100000]);
		const d = await checkLedger(w, A.d.id);
		assert.deepEqual(d.map((r) => r.amount_fen), [300000, -50000, -250000]);
		const s1 = await checkLedger(w, A.s1.id);
		assert.deepEqual(s1.map((r) => r.amount_fen), [100000, 50000, 250000]);
		assert.ok(s1.every((r) => r.application_id === null));
		await checkLedger(w, A.s2.id);
		// read by every role inside the scope
		const v = await s.api('GET', `/fund-accounts/${A.s1.id}/ledger`, { token: w.viewer.token });
		assertStatus(v, 200, 'viewer of S1 reads the S1 ledger');
		reconcile(s);
	});

	let approved; // 20 approved living applications of 30000
	test('20 concurrent disbursements against money for 10: exactly 10 succeed, the balance ends at 0', T, async () => {
		approved = [];
		for (const h of HS.slice(0, 20))
			approved.push(await applyOk(w, { household_id: h.id, program_code: 'living', requested_fen: 30000, reason: '生活困难', documents: LIVING_DOCS }));
		for (const a of approved)
			await trOk(w, a.id, w.reviewer, { action: 'verify' });
		for (const a of approved) {
			const r = await trOk(w, a.id, w.approverS, { action: 'approve' });
			assert.equal(r.approved_fen, 30000);
		}
		A.conc = await openAccount(w, w.s1.id, { source: 'union', name: '并发测试账户' });
		await deposit(w, A.conc.id, 10 * 30000);
		const rs = await Promise.all(approved.map((a) => tr(w, a.id, w.financeC, { action: 'disburse', account_id: A.conc.id })));
		const ok = rs.filter((r) => r.status === 200);
		const no = rs.filter((r) => r.status !== 200);
		assert.equal(ok.length, 10, `exactly 10 succeed: ${rs.map((r) => r.status).join(',')} ${no.slice(0, 2).map((r) => r.text.slice(0, 200)).join(' / ')}`);
		for (const r of no)
			assertError(r, 409, 'insufficient_funds', 'disbursement without money');
		assert.equal(await balance(w, A.conc.id), 0, 'the balance ends at 0');
		const rows = await checkLedger(w, A.conc.id);
		const outs = rows.filter((r) => r.amount_fen < 0);
		assert.equal(outs.length, 10, 'exactly 10 disbursement rows');
		assert.ok(outs.every((r) => r.amount_fen === -30000 && r.application_id !== null));
		assert.equal(rows.length, 11, 'the deposit and 10 disbursements');
		const paid = new Set(ok.map((r) => r.json.id));
		assert.deepEqual(new Set(outs.map((r) => r.application_id)), paid, 'ledger rows name the paid applications');
		for (const a of approved) {
			const g = await getApp(w, a.id);
			assert.equal(g.status, paid.has(a.id) ? 'disbursed' : 'approved', `application ${a.id}`);
		}
		reconcile(s);
	});

	test('5 concurrent disbursements of the same application: exactly one succeeds', T, async () => {
		const unpaid = [];
		for (const a of approved)
			if ((await getApp(w, a.id)).status === 'approved')
				unpaid.push(a);
		assert.ok(unpaid.length > 0);
		const one = unpaid[0];
		await deposit(w, A.conc.id, 100000);
		const rs = await Promise.all(Array.from({ length: 5 }, () => tr(w, one.id, w.financeC, { action: 'disburse', account_id: A.conc.id })));
		const codes = rs.map((r) => r.status);
		assert.equal(codes.filter((c) => c === 200).length, 1, `exactly one 200: ${codes}`);
		for (const r of rs.filter((x) => x.status !== 200)) {
			assert.equal(r.status, 409, r.text);
			assert.ok(['invalid_transition', 'conflict'].includes(r.json.error.code), r.text);
		}
		assert.equal(await balance(w, A.conc.id), 70000, 'paid once');
		const rows = await checkLedger(w, A.conc.id);
		assert.equal(rows.filter((r) => r.application_id === one.id).length, 1, 'one ledger row for the application');
		assert.equal((await getApp(w, one.id)).status, 'disbursed');
		reconcile(s);
	});

	test('disbursement: insufficient funds changes nothing; S2 finance cannot use an S1 account', T, async () => {
		const empty = await openAccount(w, w.s1.id, { source: 'government', name: '空账户' });
		const a = (await Promise.all(approved.map((x) => getApp(w, x.id)))).find((x) => x.status === 'approved');
		assertError(await tr(w, a.id, w.financeC, { action: 'disburse', account_id: empty.id }), 409, 'insufficient_funds', 'empty account');
		const g = await getApp(w, a.id);
		assert.equal(g.status, 'approved', 'still approved');
		assert.equal(g.disbursed_fen ?? 0, 0);
		assert.equal((await ledger(w, empty.id)).total, 0, 'no ledger row for the refusal');
		for (const who of NON_FINANCE)
			assertError(await tr(w, a.id, w[who], { action: 'disburse', account_id: A.conc.id }), 403, 'forbidden', `${who} disburses`);
		assertError(await tr(w, a.id, w.financeS2, { action: 'disburse', account_id: A.s2.id }), 404, 'not_found', 'finance of S2, S1 application');
		// a finance user of S1 cannot pay from a city account it cannot see
		assertError(await tr(w, a.id, w.financeS1, { action: 'disburse', account_id: A.city.id }), 404, 'not_found', 'finance of S1, city account');
		assert.equal((await getApp(w, a.id)).status, 'approved');
		assert.equal(await balance(w, A.city.id), 600000);
		// and it can from its own
		const ok = await trOk(w, a.id, w.financeS1, { action: 'disburse', account_id: A.s1.id });
		assert.equal(ok.status, 'disbursed');
		assert.equal(await balance(w, A.s1.id), 370000);
		await checkLedger(w, A.s1.id);
	});

	test('refunds: back into the paying account, never more than was paid out', T, async () => {
		const paidRow = (await ledger(w, A.conc.id)).items.find((r) => r.amount_fen === -30000);
		const app = paidRow.application_id;
		const p = `/fund-accounts/${A.conc.id}/refunds`;
		const bal = await balance(w, A.conc.id);
		const r = await post(w, w.financeC, p, { application_id: app, amount_fen: 10000, note: '多发退回' });
		assertStatus(r, 201, 'refund 10000');
		assert.equal(await balance(w, A.conc.id), bal + 10000);
		assertError(await post(w, w.financeC, p, { application_id: app, amount_fen: 20001, note: 'x' }), 422, 'validation_failed', 'refund more than the rest');
		assertError(await post(w, w.financeC, p, { application_id: app, amount_fen: 30001, note: 'x' }), 422, 'validation_failed', 'refund more than was paid');
		assertError(await post(w, w.financeC, p, { application_id: app, amount_fen: 0, note: 'x' }), 422, 'validation_failed', 'refund 0');
		for (const who of NON_FINANCE)
			assertError(await post(w, w[who], p, { application_id: app, amount_fen: 100, note: 'x' }), 403, 'forbidden', `${who} refunds`);
		assert.equal(await balance(w, A.conc.id), bal + 10000, 'refused refunds change nothing');
		// an application not paid from this account
		const unpaid = (await Promise.all(approved.map((x) => getApp(w, x.id)))).find((x) => x.status === 'approved');
		assertError(await post(w, w.financeC, p, { application_id: unpaid.id, amount_fen: 100, note: 'x' }), 422, 'validation_failed', 'refund of an unpaid application');
		assertStatus(await post(w, w.financeC, p, { application_id: app, amount_fen: 20000, note: '全部退回' }), 201, 'refund the rest');
		assertError(await post(w, w.financeC, p, { application_id: app, amount_fen: 1, note: 'x' }), 422, 'validation_failed', 'refund after all came back');
		assert.equal(await balance(w, A.conc.id), bal + 30000);
		const rows = await checkLedger(w, A.conc.id);
		const back = rows.filter((x) => x.application_id === app && x.amount_fen > 0);
		assert.deepEqual(back.map((x) => x.amount_fen), [10000, 20000], 'refund rows are positive and name the application');
		assert.equal(back[0].note, '多发退回');
	});

	test('audit chain and ledger are intact', T, async () => {
		for (const a of Object.values(A))
			await checkLedger(w, a.id);
		reconcile(s);
		auditVerify(s);
	});
});
