// Micro-loans (小额贷款): a disbursed `microloan` application becomes a loan
// with a monthly schedule; repayments pay the oldest instalments first and
// credit a fund account; unpaid instalments past their due date are overdue.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertFieldError, assertStatus, listAll, limit } from './lib.mjs';
import {
	START, aidWorld, makeHouseholds, openAccount, deposit, balance, ledger, checkLedger,
	appTr, appTrOk, auditOf, auditVerify, reconcile,
} from './aid-world.mjs';

const T = { timeout: limit(60000) };
const LIVING_DOCS = ['救助申请书', '身份证复印件', '低保证或单位/社区出具的困难证明'];

const post = (w, who, p, body) => w.s.api('POST', p, { token: who.token, body });
async function getLoan(w, id, who) {
	const r = await w.s.api('GET', `/loans/${id}`, { token: (who || w.financeC).token });
	assertStatus(r, 200, `GET loan ${id}`);
	assert.ok(Array.isArray(r.json.instalments), 'instalments must be an array');
	return r.json;
}
async function overdue(w, who) {
	const r = await w.s.api('GET', '/loans/overdue', { token: (who || w.financeC).token });
	assertStatus(r, 200, 'GET /loans/overdue');
	assert.ok(Array.isArray(r.json.items), 'items must be an array');
	for (const it of r.json.items) // RULE privacy.masked: the household's phone
		assert.ok(it.phone == null || /^\d{3}\*+\d{4}$/.test(it.phone), `phone masked: ${it.phone}`);
	return r.json.items;
}
async function apply(w, body) {
	const r = await post(w, w.staff, '/applications', { reason: '', documents: [], ...body });
	assertStatus(r, 201, `apply ${JSON.stringify(body).slice(0, 200)}`);
	return r.json;
}
// The n-th month after a YYYY-MM-DD date, the day clamped to the month's end.
function addMonths(date, n) {
	const [y, m, d] = date.split('-').map(Number);
	const idx = y * 12 + (m - 1) + n;
	const ny = Math.floor(idx / 12), nm = idx % 12 + 1;
	const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
	return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

describe('loans', () => {
	let s, w, prog;
	let A, B, Dr; // active of S1 (loan), active of S1 (living aid), draft of S1 (loan)
	let acct; // the city's account
	const L = {}, APP = {};
	before(async () => {
		s = await startServer({ clock: START });
		w = await aidWorld(s, { extraUsers: { viewerS2: ['s2', 'viewer'] } });
		[A, B, Dr] = await makeHouseholds(w, [{ org: 's1' }, { org: 's1' }, { org: 's1', upto: 'draft' }]);
		acct = await openAccount(w, 1, w.financeC, { name: '市总小额贷款资金' });
		await deposit(w, acct.id, 5000000, w.financeC);
	});
	after(async () => { if (s) await s.stop(); });

	test('the microloan programme: no active archive required; a loan application through to disbursement', T, async () => {
		const r = await s.api('GET', '/programs/microloan', { token: w.staff.token });
		assertStatus(r, 200, 'GET /programs/microloan');
		prog = r.json;
		assert.equal(prog.rules.requires_active, false, 'microloans need no active archive');
		assert.ok(Array.isArray(prog.documents) && prog.documents.length > 0, 'the programme lists its documents');

		const a = await apply(w, { household_id: A.id, program_code: 'microloan', requested_fen: 1000000,
			reason: '开办早餐店，自主创业', documents: prog.documents });
		APP.a = a;
		assert.equal(a.status, 'submitted');
		assert.equal(a.required_level, 'city', '1,000,000 fen is above the district tier (500,000)');
		assert.deepEqual(a.missing_documents, []);
		// not a loan yet: filed, verified, approved are not disbursed
		assertFieldError(await post(w, w.financeC, '/loans', { application_id: a.id, term_months: 10, start_date: '2026-04-01' }), 'application_id', { what: 'a submitted microloan' });
		await appTrOk(w, a.id, w.reviewer, { action: 'verify' });
		for (const who of ['approverS', 'approverD'])
			assertError(await appTr(w, a.id, w[who], { action: 'approve' }), 403, 'forbidden', `${who} approves 1,000,000 fen`);
		const ap = await appTrOk(w, a.id, w.approverC, { action: 'approve', comment: '同意发放创业贷款' });
		assert.equal(ap.status, 'approved');
		assert.equal(ap.approved_fen, 1000000);
		assertFieldError(await post(w, w.financeC, '/loans', { application_id: a.id, term_months: 10, start_date: '2026-04-01' }), 'application_id', { what: 'an approved, not disbursed microloan' });
		const d = await appTrOk(w, a.id, w.financeC, { action: 'disburse', account_id: acct.id });
		assert.equal(d.status, 'disbursed');
		assert.equal(d.disbursed_fen, 1000000);
		assert.equal(await balance(w, acct.id), 4000000);

		// a draft household may file a microloan too (requires_active false): 300,000 fen, district tier
		const b = await apply(w, { household_id: Dr.id, program_code: 'microloan', requested_fen: 300000,
			reason: '开办修车铺', documents: prog.documents });
		APP.b = b;
		assert.equal(b.required_level, 'district');
		await appTrOk(w, b.id, w.reviewer, { action: 'verify' });
		await appTrOk(w, b.id, w.approverD, { action: 'approve' });
		await appTrOk(w, b.id, w.financeC, { action: 'disburse', account_id: acct.id });

		// a living-aid application, disbursed: not a loan
		const l = await apply(w, { household_id: B.id, program_code: 'living', requested_fen: 30000, documents: LIVING_DOCS });
		APP.living = l;
		await appTrOk(w, l.id, w.reviewer, { action: 'verify' });
		await appTrOk(w, l.id, w.approverS, { action: 'approve' });
		await appTrOk(w, l.id, w.financeC, { action: 'disburse', account_id: acct.id });
		assert.equal(await balance(w, acct.id), 4000000 - 300000 - 30000);
	});

	test('POST /loans: finance only; a disbursed microloan → 10 equal instalments a month apart; not twice', T, async () => {
		const body = { application_id: APP.a.id, term_months: 10, start_date: '2026-04-01' };
		for (const who of ['admin', 'staff', 'reviewer', 'approverC', 'viewer'])
			assertError(await post(w, w[who], '/loans', body), 403, 'forbidden', `${who} creates a loan`);
		assertFieldError(await post(w, w.financeC, '/loans', { ...body, application_id: APP.living.id }), 'application_id', { what: 'a living-aid application' });
		for (const term_months of [0, -1, 121])
			assertFieldError(await post(w, w.financeC, '/loans', { ...body, term_months }), 'term_months', { what: `term ${term_months}` });
		assertFieldError(await post(w, w.financeC, '/loans', { ...body, start_date: '2026-13-01' }), 'start_date', { what: 'bad start date' });
		assertFieldError(await post(w, w.financeC, '/loans', { application_id: APP.a.id, term_months: 10 }), 'start_date', { what: 'no start date' });
		assertError(await post(w, w.financeC, '/loans', { ...body, application_id: 999999 }), 404, 'not_found', 'unknown application');
		assertError(await post(w, w.financeC, '/loans', { ...body, term_months: '10' }), 400, 'bad_request', 'term as a string');
		assert.equal((await listAll(s, '/loans', w.financeC.token)).total, 0, 'refused requests create nothing');

		const r = await post(w, w.financeC, '/loans', body);
		assertStatus(r, 201, 'create loan');
		const loan = r.json;
		L.a = loan;
		assert.equal(loan.application_id, APP.a.id);
		assert.equal(loan.household_id, A.id);
		assert.equal(loan.principal_fen, 1000000);
		assert.equal(loan.term_months, 10);
		assert.equal(loan.start_date, '2026-04-01');
		assert.equal(loan.repaid_fen, 0);
		assert.equal(loan.outstanding_fen, 1000000);
		assert.equal(loan.instalments.length, 10);
		assert.deepEqual(loan.instalments.map((i) => i.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
		assert.ok(loan.instalments.every((i) => i.amount_fen === 100000 && i.paid_fen === 0 && i.overdue === false),
			JSON.stringify(loan.instalments));
		assert.deepEqual(loan.instalments.map((i) => i.due_date), [
			'2026-05-01', '2026-06-01', '2026-07-01', '2026-08-01', '2026-09-01',
			'2026-10-01', '2026-11-01', '2026-12-01', '2027-01-01', '2027-02-01']);
		assert.deepEqual(loan.repayments, []);

		assertError(await post(w, w.financeC, '/loans', body), 409, 'conflict', 'a second loan for the same application');
		assertError(await post(w, w.financeC, '/loans', { ...body, term_months: 5 }), 409, 'conflict', 'again, another term');

		// 300,000 over 7 months from 31 March: the last instalment takes the remainder; month ends clamp
		const b = await post(w, w.financeD, '/loans', { application_id: APP.b.id, term_months: 7, start_date: '2026-03-31' });
		assertStatus(b, 201, 'loan of the draft household (district finance)');
		L.b = b.json;
		assert.deepEqual(L.b.instalments.map((i) => i.amount_fen), [42857, 42857, 42857, 42857, 42857, 42857, 42858]);
		assert.equal(L.b.instalments.reduce((x, i) => x + i.amount_fen, 0), 300000);
		assert.deepEqual(L.b.instalments.map((i) => i.due_date), [1, 2, 3, 4, 5, 6, 7].map((k) => addMonths('2026-03-31', k)));
		assert.equal(L.b.instalments[0].due_date, '2026-04-30');

		const list = await listAll(s, '/loans', w.viewer.token);
		assert.deepEqual(list.items.map((x) => x.id).sort((a, b) => a - b), [L.a.id, L.b.id].sort((a, b) => a - b));
		assert.equal((await listAll(s, '/loans', w.viewerS2.token)).total, 0, 'a sibling street sees no loan');
		assertError(await s.api('GET', `/loans/${L.a.id}`, { token: w.viewerS2.token }), 404, 'not_found', 'loan of S1 from S2');
	});

	test('repayments: oldest instalments first; credit the account; never more than outstanding; no future date', T, async () => {
		const p = `/loans/${L.a.id}/repayments`;
		const bal0 = await balance(w, acct.id);
		const rows0 = (await ledger(w, acct.id)).length;
		const body = { amount_fen: 150000, date: w.today(), account_id: acct.id };
		for (const who of ['admin', 'staff', 'approverC', 'viewer'])
			assertError(await post(w, w[who], p, body), 403, 'forbidden', `${who} records a repayment`);

		const r = await post(w, w.financeC, p, { ...body, note: '首次还款' });
		assertStatus(r, 201, 'repayment');
		assert.equal(r.json.repaid_fen, 150000);
		assert.equal(r.json.outstanding_fen, 850000);
		assert.deepEqual(r.json.instalments.slice(0, 3).map((i) => i.paid_fen), [100000, 50000, 0], 'instalment 1 fully paid, instalment 2 half');
		assert.ok(r.json.instalments.slice(2).every((i) => i.paid_fen === 0));
		assert.equal(r.json.repayments.length, 1);
		assert.equal(r.json.repayments[0].amount_fen, 150000);
		assert.equal(r.json.repayments[0].date, w.today());
		assert.equal(await balance(w, acct.id), bal0 + 150000, 'the account is credited');
		const rows = await checkLedger(w, acct.id);
		assert.equal(rows.length, rows0 + 1);
		assert.equal(rows.at(-1).kind, 'loan_repayment');
		assert.equal(rows.at(-1).amount_fen, 150000);

		// refused repayments change nothing (also after the instalments were touched)
		const snap = JSON.stringify(await getLoan(w, L.a.id));
		assertFieldError(await post(w, w.financeC, p, { ...body, amount_fen: 850001 }), 'amount_fen', { what: 'more than outstanding' });
		assertFieldError(await post(w, w.financeC, p, { ...body, amount_fen: 10000, date: '2026-12-31' }), 'date', { what: 'a future date' });
		for (const amount_fen of [0, -100])
			assertFieldError(await post(w, w.financeC, p, { ...body, amount_fen }), 'amount_fen', { what: `repayment of ${amount_fen}` });
		assertFieldError(await post(w, w.financeC, p, { amount_fen: 10000, date: w.today() }), 'account_id', { what: 'no account' });
		assertError(await post(w, w.financeD, p, { ...body, amount_fen: 10000 }), 404, 'not_found', 'an account above the finance user\'s unit');
		assertError(await post(w, w.financeC, p, { ...body, amount_fen: 10000, account_id: 999999 }), 404, 'not_found', 'an unknown account');
		assertError(await post(w, w.financeC, '/loans/999999/repayments', body), 404, 'not_found', 'an unknown loan');
		assert.equal(JSON.stringify(await getLoan(w, L.a.id)), snap, 'the loan is unchanged');
		assert.equal(await balance(w, acct.id), bal0 + 150000, 'the balance is unchanged');
		assert.equal((await ledger(w, acct.id)).length, rows0 + 1, 'no ledger row');

		// the rest of instalment 2
		const r2 = await post(w, w.financeC, p, { ...body, amount_fen: 50000 });
		assertStatus(r2, 201, 'second repayment');
		assert.deepEqual(r2.json.instalments.slice(0, 3).map((i) => i.paid_fen), [100000, 100000, 0]);
		assert.equal(r2.json.repaid_fen, 200000);
		assert.equal(r2.json.repayments.length, 2);
		// a repayment dated in the past is fine
		reconcile(s);
	});

	test('overdue: an unpaid instalment past its due date is listed and marked; paid ones are not', T, async () => {
		// instalment 3 of loan A falls due on 2026-07-01; on that day it is not overdue yet
		await w.setClock('2026-07-01T09:00:00Z');
		let items = (await overdue(w)).filter((i) => i.loan_id === L.a.id);
		assert.deepEqual(items, [], 'nothing of loan A is overdue on the due date of instalment 3');
		let loan = await getLoan(w, L.a.id);
		assert.deepEqual(loan.instalments.map((i) => i.overdue), Array(10).fill(false));

		await w.setClock('2026-07-02T09:00:00Z');
		const all = await overdue(w);
		items = all.filter((i) => i.loan_id === L.a.id);
		assert.deepEqual(items.map((i) => i.seq), [3], 'only instalment 3: 1 and 2 are paid, 4 is not due');
		assert.equal(items[0].due_date, '2026-07-01');
		assert.equal(items[0].amount_fen, 100000);
		assert.equal(items[0].phone, '138****8000', 'the phone, masked');
		assert.equal(items[0].paid_fen, 0);
		assert.equal(items[0].household_id, A.id);
		// loan B's first three instalments (30 Apr, 31 May, 30 Jun) are overdue too
		assert.deepEqual(all.filter((i) => i.loan_id === L.b.id).map((i) => i.seq), [1, 2, 3]);
		loan = await getLoan(w, L.a.id);
		assert.deepEqual(loan.instalments.map((i) => i.overdue), [false, false, true, false, false, false, false, false, false, false]);
		assert.deepEqual((await overdue(w, w.viewer)).map((i) => [i.loan_id, i.seq]), all.map((i) => [i.loan_id, i.seq]), 'the street sees its loans');
		assert.deepEqual(await overdue(w, w.viewerS2), [], 'a sibling street sees none');

		// partly paid stays overdue; fully paid is no longer listed
		const p = `/loans/${L.a.id}/repayments`;
		const r = await post(w, w.financeC, p, { amount_fen: 60000, date: w.today(), account_id: acct.id });
		assertStatus(r, 201, 'part of instalment 3');
		assert.equal(r.json.instalments[2].paid_fen, 60000);
		assert.equal(r.json.instalments[2].overdue, true, 'a part payment leaves it overdue');
		assert.deepEqual((await overdue(w)).filter((i) => i.loan_id === L.a.id).map((i) => [i.seq, i.paid_fen]), [[3, 60000]]);
		const r2 = await post(w, w.financeC, p, { amount_fen: 40000, date: w.today(), account_id: acct.id });
		assertStatus(r2, 201, 'rest of instalment 3');
		assert.equal(r2.json.instalments[2].overdue, false);
		assert.deepEqual((await overdue(w)).filter((i) => i.loan_id === L.a.id), []);

		// the whole rest at once, and nothing more
		const rest = await post(w, w.financeC, p, { amount_fen: 700000, date: w.today(), account_id: acct.id });
		assertStatus(rest, 201, 'the rest of the loan');
		assert.equal(rest.json.outstanding_fen, 0);
		assert.ok(rest.json.instalments.every((i) => i.paid_fen === i.amount_fen));
		assertFieldError(await post(w, w.financeC, p, { amount_fen: 1, date: w.today(), account_id: acct.id }), 'amount_fen', { what: 'a repaid loan' });
		await checkLedger(w, acct.id);
		reconcile(s);

		const au = (await auditOf(w, 'loan')).filter((e) => e.action !== 'denied');
		assert.deepEqual(au.filter((e) => e.action === 'create').map((e) => e.entity_id).sort((a, b) => a - b), [L.a.id, L.b.id].sort((a, b) => a - b));
		assert.equal(au.filter((e) => e.action === 'repay' && e.entity_id === L.a.id).length, 5);
		auditVerify(s);
	});
});
