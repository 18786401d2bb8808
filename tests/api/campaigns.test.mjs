// Holiday condolence campaigns (两节送温暖): one approved `condolence`
// application per active archive of a unit's subtree, the amount by the
// household's confirmed category; no household twice in one period;
// coverage; disbursement all or nothing from one account.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertFieldError, assertStatus, listAll, limit } from './lib.mjs';
import {
	START, aidWorld, makeHouseholds, hhAct, openAccount, deposit, balance, ledger, checkLedger,
	applications, auditOf, auditVerify, reconcile,
} from './aid-world.mjs';

const T = { timeout: limit(60000) };
const AMOUNTS = { dibao: 100000, marginal: 80000, accident: 60000, none: 50000 };
const AMOUNTS_D = { dibao: 90000, marginal: 70000, accident: 40000, none: 30000 };
const sum = (a) => a.reduce((x, y) => x + y, 0);

const post = (w, who, p, body) => w.s.api('POST', p, { token: who.token, body });
const create = (w, who, body) => post(w, who, '/campaigns', { name: '两节送温暖', period: '2027元旦', amounts: AMOUNTS, ...body });
async function createOk(w, who, body) {
	const r = await create(w, who, body);
	assertStatus(r, 201, `create campaign ${JSON.stringify(body)}`);
	return r.json;
}
async function getCampaign(w, id, who) {
	const r = await w.s.api('GET', `/campaigns/${id}`, { token: (who || w.admin).token });
	assertStatus(r, 200, `GET campaign ${id}`);
	return r.json;
}
const condolenceTotal = async (w) => (await applications(w, 'program_code=condolence')).total;

describe('campaigns', () => {
	let s, w;
	let S1, S2; // active households of S1 and S2
	let draft, exited, late; // not active when the first campaign is made
	const C = {};
	before(async () => {
		s = await startServer({ clock: START });
		w = await aidWorld(s);
		// a grassroots union under S1 and an approver there
		w.g = await s.createOrg({ parent_id: w.s1.id, level: 'grassroots', name: '某厂工会' });
		await w.addUser('approverG', w.g.id, 'approver');
	});
	after(async () => { if (s) await s.stop(); });

	test('world: active households of every category in S1 and S2; a draft, an exited and a not yet entered one', { timeout: limit(120000) }, async () => {
		const hs = await makeHouseholds(w, [
			{ org: 's1', category: 'dibao' }, { org: 's1', category: 'dibao' }, { org: 's1', category: 'marginal' },
			{ org: 's1', category: 'accident' }, { org: 's1', category: 'none' },
			{ org: 's2', category: 'dibao' }, { org: 's2', category: 'marginal' }, { org: 's2', category: 'none' },
			{ org: 's1', category: 'marginal' }, // exited below
			{ org: 's1', category: 'accident', upto: 'approved' }, // entered later
			{ org: 's1', upto: 'draft' },
		]);
		S1 = hs.slice(0, 5);
		S2 = hs.slice(5, 8);
		[exited, late, draft] = hs.slice(8);
		for (const h of [...S1, ...S2])
			assert.equal(h.status, 'active');
		assert.deepEqual(S1.map((h) => h.category), ['dibao', 'dibao', 'marginal', 'accident', 'none']);
		assert.deepEqual(S2.map((h) => h.category), ['dibao', 'marginal', 'none']);
		const ex = await hhAct(w, exited.id, w.approverD, { action: 'exit', exit_reason: '家庭收入稳定，已解困' });
		assert.equal(ex.status, 'exited');
		assert.equal(late.status, 'approved');
		assert.equal(draft.status, 'draft');
	});

	test('POST /campaigns: approvers only; amounts for every category, 1..max_fen; unknown category; scope', T, async () => {
		const prog = await s.api('GET', '/programs/condolence', { token: w.admin.token });
		assertStatus(prog, 200, 'GET /programs/condolence');
		assert.equal(prog.json.max_fen, 100000, 'the condolence programme\'s maximum');
		const body = { org_id: w.s1.id };
		for (const who of ['admin', 'staff', 'reviewer', 'financeC', 'viewer'])
			assertError(await create(w, w[who], body), 403, 'forbidden', `${who} creates a campaign`);
		// an approver of a grassroots unit approves no tier at all
		assertError(await create(w, w.approverG, { org_id: w.g.id }), 403, 'forbidden', 'grassroots approver');

		const { none, ...noNone } = AMOUNTS;
		assertFieldError(await create(w, w.approverS, { ...body, amounts: noNone }), 'amounts', { what: 'missing category amount' });
		assertFieldError(await create(w, w.approverS, { ...body, amounts: {} }), 'amounts', { what: 'no amounts' });
		assertFieldError(await create(w, w.approverS, { ...body, amounts: { ...AMOUNTS, dibao: 100001 } }), 'amounts', { what: 'above max_fen' });
		assertFieldError(await create(w, w.approverC, { ...body, amounts: { ...AMOUNTS, marginal: 5000000 } }), 'amounts', { what: 'above max_fen, even for the city' });
		assertFieldError(await create(w, w.approverS, { ...body, amounts: { ...AMOUNTS, none: 0 } }), 'amounts', { what: 'zero amount' });
		assertFieldError(await create(w, w.approverS, { ...body, amounts: { ...AMOUNTS, accident: -500 } }), 'amounts', { what: 'negative amount' });
		assertFieldError(await create(w, w.approverS, { ...body, amounts: { ...AMOUNTS, none: '50000' } }), 'amounts', { what: 'amount as a string' });
		assertFieldError(await create(w, w.approverS, { ...body, amounts: { ...AMOUNTS, poor: 50000 } }), 'amounts', { what: 'unknown category' });
		assertError(await create(w, w.approverS, { ...body, amounts: 'x' }), 400, 'bad_request', 'amounts not an object');
		assertFieldError(await create(w, w.approverS, { ...body, period: '' }), 'period', { what: 'empty period' });
		assertFieldError(await post(w, w.approverS, '/campaigns', { org_id: w.s1.id, name: 'x', amounts: AMOUNTS }), 'period', { what: 'no period' });

		// out of scope: a sibling street, the parent district, an unknown unit
		for (const org_id of [w.s2.id, w.d.id, 1, 999999])
			assertError(await create(w, w.approverS, { org_id }), 404, 'not_found', `street approver, org ${org_id}`);
		assertError(await create(w, w.approverD, { org_id: 1 }), 404, 'not_found', 'district approver, city');

		assert.equal((await listAll(s, '/campaigns', w.admin.token)).total, 0, 'refused requests create nothing');
		assert.equal(await condolenceTotal(w), 0, 'and no application');
	});

	test('a street approver creates a campaign: one approved condolence application per active archive, amount by category', T, async () => {
		const c = await createOk(w, w.approverS, { org_id: w.s1.id, name: '2027年元旦送温暖', period: '2027元旦' });
		C.a = c;
		assert.equal(c.org_id, w.s1.id);
		assert.equal(c.name, '2027年元旦送温暖');
		assert.equal(c.period, '2027元旦');
		assert.deepEqual(c.amounts, AMOUNTS);
		assert.equal(c.applications, 5, 'the 5 active archives of S1; not the draft, the exited or the approved-not-entered');
		assert.equal(typeof c.amount_fen, 'number', `amount_fen must be a JSON integer, got ${JSON.stringify(c.amount_fen)}`);
		const expect = S1.map((h) => AMOUNTS[h.category]);
		assert.equal(c.amount_fen, sum(expect));
		assert.deepEqual(c.coverage, { covered: 5, active: 5, ratio: 1 });

		const apps = await applications(w, `campaign_id=${c.id}`);
		assert.equal(apps.total, 5);
		const byHh = new Map(apps.items.map((a) => [a.household_id, a]));
		assert.deepEqual([...byHh.keys()].sort((a, b) => a - b), S1.map((h) => h.id).sort((a, b) => a - b));
		for (const h of S1) {
			const a = byHh.get(h.id);
			assert.equal(a.program_code, 'condolence');
			assert.equal(a.status, 'approved');
			assert.equal(a.campaign_id, c.id);
			assert.equal(a.approved_fen, AMOUNTS[h.category], `approved_fen of a ${h.category} household`);
			assert.equal(a.org_id, w.s1.id);
		}
		for (const h of [draft, exited, late])
			assert.equal((await applications(w, `household_id=${h.id}&program_code=condolence`)).total, 0, `no application for the ${h.status} household`);
		// a campaign application reads like any other
		const one = await s.api('GET', `/applications/${apps.items[0].id}`, { token: w.staff.token });
		assertStatus(one, 200, 'GET campaign application');
		assert.equal(one.json.campaign_id, c.id);
		assert.equal(one.json.status, 'approved');
		// reading: the campaign's unit and above; not a sibling street
		assert.equal((await getCampaign(w, c.id, w.viewer)).id, c.id);
		assert.equal((await getCampaign(w, c.id, w.financeD)).applications, 5);
		const list = await listAll(s, '/campaigns', w.approverS.token);
		assert.deepEqual(list.items.map((x) => x.id), [c.id]);
	});

	test('the same period over an overlapping unit skips covered households; a different period covers them again', T, async () => {
		const c = await createOk(w, w.approverD, { org_id: w.d.id, name: '区元旦送温暖', period: '2027元旦', amounts: AMOUNTS_D });
		C.b = c;
		assert.equal(c.applications, 3, 'only the 3 households of S2: S1\'s are covered by the first campaign');
		assert.equal(c.amount_fen, sum(S2.map((h) => AMOUNTS_D[h.category])));
		assert.deepEqual(c.coverage, { covered: 8, active: 8, ratio: 1 }, 'S1\'s households count as covered');
		const apps = await applications(w, `campaign_id=${c.id}`);
		assert.deepEqual(apps.items.map((a) => a.household_id).sort((a, b) => a - b), S2.map((h) => h.id).sort((a, b) => a - b));
		for (const a of apps.items)
			assert.equal(a.approved_fen, AMOUNTS_D[S2.find((h) => h.id === a.household_id).category]);
		// the first campaign is unchanged
		const first = await getCampaign(w, C.a.id);
		assert.equal(first.applications, 5);
		assert.equal(first.amount_fen, C.a.amount_fen);

		// the same period once more over the whole district: nothing new
		const again = await createOk(w, w.approverD, { org_id: w.d.id, period: '2027元旦' });
		assert.equal(again.applications, 0);
		assert.equal(again.amount_fen, 0);
		assert.deepEqual(again.coverage, { covered: 8, active: 8, ratio: 1 });
		// still one application per household for the period
		const all = await applications(w, 'program_code=condolence');
		assert.equal(all.total, 8);
		assert.equal(new Set(all.items.map((a) => a.household_id)).size, 8);

		// a new archive in S1: the period's coverage drops below 1 until it is covered
		const ent = await hhAct(w, late.id, w.staff, { action: 'enter' });
		assert.equal(ent.status, 'active');
		const cov = (await getCampaign(w, C.a.id)).coverage;
		assert.equal(cov.covered, 5);
		assert.equal(cov.active, 6);
		assert.ok(Math.abs(cov.ratio - 5 / 6) < 1e-9, `ratio ${cov.ratio}`);
		const more = await createOk(w, w.approverS, { org_id: w.s1.id, period: '2027元旦' });
		C.late = more;
		assert.equal(more.applications, 1, 'only the new archive');
		assert.equal(more.amount_fen, AMOUNTS.accident);
		assert.deepEqual(more.coverage, { covered: 6, active: 6, ratio: 1 });
		assert.deepEqual((await getCampaign(w, C.b.id)).coverage, { covered: 9, active: 9, ratio: 1 });

		// another period (Spring Festival) at the city covers every active archive again
		const spring = await createOk(w, w.approverC, { org_id: 1, name: '2027年春节送温暖', period: '2027春节' });
		C.spring = spring;
		assert.equal(spring.applications, 9, 'all 9 active archives');
		assert.equal(spring.amount_fen, sum([...S1, ...S2, late].map((h) => AMOUNTS[h.category])));
		assert.deepEqual(spring.coverage, { covered: 9, active: 9, ratio: 1 });
		const sp = await applications(w, `campaign_id=${spring.id}`);
		assert.equal(sp.total, 9);
		assert.ok(!sp.items.some((a) => [draft.id, exited.id].includes(a.household_id)), 'not the draft nor the exited household');
		// the district approver does not see the city's campaign
		assertError(await s.api('GET', `/campaigns/${spring.id}`, { token: w.approverD.token }), 404, 'not_found', 'city campaign, district approver');
		assertError(await s.api('GET', `/campaigns/${C.b.id}`, { token: w.approverS.token }), 404, 'not_found', 'district campaign, street approver');
	});

	test('disburse: finance only; short by 1 fen → 409 and nothing changes; enough → all disbursed, one ledger row each', T, async () => {
		const c = await getCampaign(w, C.b.id); // the district's: 3 applications of S2
		const total = c.amount_fen;
		const acct = await openAccount(w, w.d.id, w.financeD, { name: '区送温暖资金' });
		const acctC = await openAccount(w, 1, w.financeC, { name: '市总帮扶资金' });
		await deposit(w, acct.id, total - 1, w.financeD);
		await deposit(w, acctC.id, 10000000, w.financeC);
		const p = `/campaigns/${c.id}/disburse`;
		for (const who of ['admin', 'staffD', 'reviewerD', 'approverD', 'approverC'])
			assertError(await post(w, w[who], p, { account_id: acct.id }), 403, 'forbidden', `${who} disburses`);
		// users of S1 do not see the district's campaign at all
		for (const who of ['staff', 'viewer'])
			assertError(await post(w, w[who], p, { account_id: acct.id }), 404, 'not_found', `${who} (S1) disburses`);
		assertError(await post(w, w.financeD, p, { account_id: acctC.id }), 404, 'not_found', 'an account above the user\'s unit');
		assertError(await post(w, w.financeD, `/campaigns/${C.spring.id}/disburse`, { account_id: acct.id }), 404, 'not_found', 'a campaign above the user\'s unit');
		assertFieldError(await post(w, w.financeD, p, {}), 'account_id', { what: 'no account' });

		// RULE aid.monthly: the dashboard's sums of condolence payments
		const sums = () => s.sql("SELECT COALESCE(SUM(paid_count), 0) || ' ' || COALESCE(SUM(net_fen), 0) FROM aid_monthly"
			+ " WHERE program_code = 'condolence'").trim().split(' ').map(Number);
		const sumsBefore = sums();
		const before = { bal: await balance(w, acct.id), rows: (await ledger(w, acct.id)).length };
		const r = await post(w, w.financeD, p, { account_id: acct.id });
		assertError(r, 409, 'insufficient_funds', 'short by 1 fen');
		assert.deepEqual(sums(), sumsBefore, 'the monthly sums unchanged by the refused payment');
		assert.equal(await balance(w, acct.id), before.bal, 'balance unchanged');
		assert.equal((await ledger(w, acct.id)).length, before.rows, 'no ledger row');
		const still = await applications(w, `campaign_id=${c.id}`);
		assert.equal(still.total, 3);
		for (const a of still.items) {
			assert.equal(a.status, 'approved', 'applications untouched');
			assert.equal(a.account_id, null, 'no account set');
		}
		assert.equal((await getCampaign(w, c.id)).disbursed, 0);

		await deposit(w, acct.id, 1 + 5000, w.financeD);
		const ok = await post(w, w.financeD, p, { account_id: acct.id });
		assertStatus(ok, 200, 'disburse with enough');
		assert.equal(ok.json.id, c.id);
		assert.equal(ok.json.disbursed, 3);
		assert.equal(await balance(w, acct.id), 5000, 'the balance less the campaign\'s total');
		const apps = await applications(w, `campaign_id=${c.id}`);
		for (const a of apps.items) {
			assert.equal(a.status, 'disbursed');
			assert.equal(a.disbursed_fen, a.approved_fen);
			assert.equal(a.account_id, acct.id);
		}
		const rows = await checkLedger(w, acct.id);
		const disb = rows.filter((x) => x.kind === 'disbursement');
		assert.equal(rows.length, before.rows + 1 + 3, 'the deposit and one disbursement row per application');
		assert.equal(disb.length, 3);
		assert.deepEqual(disb.map((x) => x.application_id).sort((a, b) => a - b), apps.items.map((a) => a.id).sort((a, b) => a - b));
		for (const row of disb)
			assert.equal(row.amount_fen, -apps.items.find((a) => a.id === row.application_id).approved_fen);
		assert.equal(rows.at(-1).balance_fen, 5000, 'the running balance ends at the account\'s balance');
		reconcile(s);
		const paidNow = apps.items.reduce((t, a) => t + a.disbursed_fen, 0);
		assert.deepEqual(sums(), [sumsBefore[0] + 3, sumsBefore[1] + paidNow], 'the monthly sums count the three payments');
		const chk = s.cli(['check']);
		assert.equal(chk.code, 0, chk.stdout + chk.stderr);

		assertError(await post(w, w.financeD, p, { account_id: acct.id }), 409, 'invalid_transition', 'disburse twice');
		assert.equal(await balance(w, acct.id), 5000);
		assert.equal((await ledger(w, acct.id)).length, rows.length);
		// the other campaigns are untouched
		assert.ok((await applications(w, `campaign_id=${C.a.id}`)).items.every((a) => a.status === 'approved'));
		// a campaign with no application has nothing to disburse
		const empty = (await listAll(s, '/campaigns', w.admin.token)).items.find((x) => x.applications === 0);
		assert.ok(empty, 'the empty campaign');
		assertError(await post(w, w.financeD, `/campaigns/${empty.id}/disburse`, { account_id: acct.id }), 409, 'invalid_transition', 'nothing to disburse');

		// the city's Spring Festival campaign from the city account
		const sp = await post(w, w.financeC, `/campaigns/${C.spring.id}/disburse`, { account_id: acctC.id });
		assertStatus(sp, 200, 'disburse the city campaign');
		assert.equal(sp.json.disbursed, 9);
		assert.equal(await balance(w, acctC.id), 10000000 - C.spring.amount_fen);
		await checkLedger(w, acctC.id);
		reconcile(s);
	});

	test('audit: campaign creation and disbursement', T, async () => {
		const au = await auditOf(w, 'campaign');
		for (const e of au)
			assert.equal(e.entity, 'campaign');
		const created = au.filter((e) => e.action === 'create').map((e) => e.entity_id);
		for (const c of [C.a, C.b, C.late, C.spring])
			assert.ok(created.includes(c.id), `campaign ${c.id} creation audited: ${JSON.stringify(au.map((e) => [e.action, e.entity_id]))}`);
		const disb = au.filter((e) => e.action === 'disburse');
		assert.deepEqual(disb.map((e) => e.entity_id).sort((a, b) => a - b), [C.b.id, C.spring.id].sort((a, b) => a - b));
		assert.equal(au.find((e) => e.action === 'create' && e.entity_id === C.a.id).user_id, w.approverS.user.id);
		assert.equal(disb.find((e) => e.entity_id === C.b.id).user_id, w.financeD.user.id);
		auditVerify(s);
	});
});
