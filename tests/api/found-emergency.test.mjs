// Emergency aid without an archive (临时救助), API.md "Found early": the
// default programme `emergency` names a person instead of a household, runs
// the usual steps, tiers and ledger, is refused for a person in an active
// archive and for a second payment within 365 days, and is followed up 30
// days after the payment (archived, linked to the archive, or closed).
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertFieldError, assertStatus, listAll, limit } from './lib.mjs';
import {
	aidWorld, makeHouseholds, hhBody, openAccount, deposit, checkLedger, appTr, appTrOk, auditOf,
	auditVerify, reconcile,
} from './aid-world.mjs';
import { badCheck } from './idgen.mjs';

const T = { timeout: limit(120000) };
const post = (w, who, p, body) => w.s.api('POST', p, { token: who.token, body });
const get = (w, who, p) => w.s.api('GET', p, { token: who.token });
const emBody = (w, id_number, over = {}) => ({ program_code: 'emergency', org_id: w.s1.id,
	person: { name: '孙急难', id_number, phone: '13712345678', address: '湖滨街道 8 号' },
	requested_fen: 100000, reason: '家中失火', documents: ['身份证'], ...over });
async function pay(w, app, acct) {
	await appTrOk(w, app.id, w.reviewer, { action: 'verify' });
	await appTrOk(w, app.id, app.requested_fen > 100000 ? w.approverD : w.approverS, { action: 'approve' });
	return appTrOk(w, app.id, w.financeC, { action: 'disburse', account_id: acct.id });
}

describe('emergency aid without an archive', () => {
	let s, w, hh, hhS2, acct;
	before(async () => {
		s = await startServer({ clock: '2026-03-02T09:00:00Z' });
		w = await aidWorld(s, { label: 'found-emergency', extraUsers: { staffS2: ['s2', 'staff'] } });
		const member = { name: '李成员', id_number: w.p.female(), relation: 'spouse', monthly_income_fen: 0,
			health: '良好', school_stage: 'none', disability: false };
		[hh, hhS2] = await makeHouseholds(w, [{ org: 's1', body: { members: [member] } }, { org: 's2' }]);
		await w.setClock('2026-03-02T09:00:00Z');
		acct = await openAccount(w, 1, w.financeC);
		await deposit(w, acct.id, 2000000, w.financeC);
	});
	after(() => s && s.stop());

	test('the default programme', T, async () => {
		const r = await get(w, w.staff, '/programs/emergency');
		assertStatus(r, 200);
		assert.equal(r.json.name, '临时救助');
		assert.equal(r.json.emergency, true);
		assert.equal(r.json.standard_fen, 100000);
		assert.equal(r.json.max_fen, 500000);
		assert.equal(r.json.deadline_workdays, 2);
		assert.deepEqual(r.json.documents, ['身份证']);
		const living = await get(w, w.staff, '/programs/living');
		assert.equal(living.json.emergency, false);
	});

	test('an application names a person, runs the usual steps and the ledger, and is followed up', T, async () => {
		const pid = w.p.male();
		const r = await post(w, w.staff, '/applications', emBody(w, pid));
		assertStatus(r, 201, 'emergency application');
		const a = r.json;
		assert.equal(a.household_id, null);
		assert.equal(a.temporary, true);
		assert.equal(a.status, 'submitted');
		assert.equal(a.due_date, '2026-03-04'); // 2 working days
		assert.equal(a.required_level, 'street');
		assert.equal(a.person.name, '孙急难');
		assert.match(a.person.id_number, /^\d{6}\*+\w{4}$/);
		assert.equal(a.person.phone, '137****5678');
		assert.equal(typeof a.person.age, 'number');
		assert.ok(!JSON.stringify(a).includes(pid), 'the full ID number is never shown');
		assert.equal(a.person_id_number, undefined);
		// separation of duties: the approver refuses what it submitted is impossible here
		// (approvers do not file); tiers: 3,000 yuan needs the district
		const big = (await post(w, w.admin, '/applications', emBody(w, w.p.male(), { requested_fen: 300000, reason: '重伤住院' }))).json;
		assert.equal(big.required_level, 'district');
		await appTrOk(w, big.id, w.reviewer, { action: 'verify' });
		assertError(await appTr(w, big.id, w.approverS, { action: 'approve' }), 403, 'forbidden');
		assertStatus(await appTr(w, big.id, w.approverD, { action: 'approve' }), 200);
		// the documents of the programme
		const bare = (await post(w, w.staff, '/applications', emBody(w, w.p.male(), { documents: [] }))).json;
		const v = await appTr(w, bare.id, w.reviewer, { action: 'verify' });
		assertError(v, 422, 'validation_failed');
		assert.deepEqual(v.json.error.details.missing_documents, ['身份证']);
		// pay it: one ledger row, follow-up due 30 days on
		const paid = await pay(w, a, acct);
		assert.equal(paid.status, 'disbursed');
		assert.equal(paid.follow_up_due, '2026-04-01');
		assert.equal(paid.follow_up_overdue, false);
		const rows = await checkLedger(w, acct.id);
		assert.ok(rows.some((x) => x.application_id === a.id && x.amount_fen === -100000));
		// a second one within 365 days: refused, nothing filed
		const again = await post(w, w.staff, '/applications', emBody(w, pid));
		assertError(again, 422, 'not_eligible');
		assert.deepEqual(again.json.error.details.reasons, ['cap_reached']);
		// the follow-up is overdue after 30 days: the list and the dashboard
		await w.setClock('2026-04-02T09:00:00Z');
		const over = (await listAll(w.s, '/applications?follow_up_overdue=true', w.staff.token)).items;
		assert.deepEqual(over.map((x) => x.id), [a.id]);
		assert.equal(over[0].follow_up_overdue, true);
		assert.equal((await get(w, w.staff, '/reports/dashboard')).json.follow_ups_overdue, 1);
		const tmp = (await listAll(w.s, '/applications?temporary=true', w.staff.token)).items;
		assert.ok(tmp.length >= 3 && tmp.every((x) => x.household_id === null && x.temporary === true));
		// follow-up refusals
		const fu = `/applications/${a.id}/follow-up`;
		assertFieldError(await post(w, w.staff, fu, { outcome: 'archived' }), 'household_id');
		assertFieldError(await post(w, w.staff, fu, { outcome: 'archived', household_id: hh.id }), 'household_id');
		assertError(await post(w, w.staff, fu, { outcome: 'archived', household_id: hhS2.id }), 404, 'not_found');
		assertFieldError(await post(w, w.staff, fu, { outcome: 'closed' }), 'comment');
		assertFieldError(await post(w, w.staff, fu, { outcome: 'later' }), 'outcome');
		for (const who of [w.reviewer, w.viewer, w.financeC])
			assertError(await post(w, who, fu, { outcome: 'closed', comment: 'x' }), 403, 'forbidden');
		assertError(await post(w, w.staffS2, fu, { outcome: 'closed', comment: 'x' }), 404, 'not_found');
		assertError(await post(w, w.staff, `/applications/${bare.id}/follow-up`, { outcome: 'closed', comment: '未发放' }), 409, 'invalid_transition');
		// the person is archived: a draft archive with the person as its worker
		const h = await post(w, w.staff, '/households', hhBody(w, 's1', { id_number: pid, name: '孙急难' }));
		assertStatus(h, 201, 'archive the person');
		const ok = await post(w, w.staff, fu, { outcome: 'archived', household_id: h.json.id });
		assertStatus(ok, 200, 'follow-up archived');
		assert.equal(ok.json.follow_up_outcome, 'archived');
		assert.equal(ok.json.follow_up_household_id, h.json.id);
		assert.equal(ok.json.follow_up_on, '2026-04-02');
		assertError(await post(w, w.staff, fu, { outcome: 'closed', comment: '再次' }), 409, 'invalid_transition');
		assert.equal((await listAll(w.s, '/applications?follow_up_overdue=true', w.staff.token)).total, 0);
		const pdf = await w.s.api('GET', `/applications/${a.id}/form.pdf`, { token: w.staff.token });
		assertStatus(pdf, 200, 'the form of an emergency application');
		const xlsx = await w.s.api('GET', '/applications.xlsx?temporary=true', { token: w.staff.token });
		assertStatus(xlsx, 200, 'the list as a workbook');
		const audit = await auditOf(w, 'application', a.id);
		assert.ok(audit.some((x) => x.action === 'follow_up'));
		await w.setClock('2026-03-02T09:00:00Z');
	});

	test('refusals: a person in an active archive, bad input, out of scope', T, async () => {
		const n0 = (await get(w, w.admin, '/applications?limit=1')).json.total;
		let r = await post(w, w.staff, '/applications', emBody(w, hh.id_number));
		assertError(r, 422, 'not_eligible');
		assert.deepEqual(r.json.error.details.reasons, ['has_archive']);
		r = await post(w, w.staff, '/applications', emBody(w, hh.members[0].id_number));
		assertError(r, 422, 'not_eligible');
		assert.deepEqual(r.json.error.details.reasons, ['has_archive'], 'a member applies through the archive too');
		assertFieldError(await post(w, w.staff, '/applications', emBody(w, badCheck(w.p.male()))), 'person.id_number');
		assertFieldError(await post(w, w.staff, '/applications', emBody(w, w.p.male(), { person: undefined })), 'person');
		assertFieldError(await post(w, w.staff, '/applications', emBody(w, w.p.male(), { org_id: undefined })), 'org_id');
		assertFieldError(await post(w, w.staff, '/applications', emBody(w, w.p.male(), { requested_fen: 500001 })), 'requested_fen');
		assertFieldError(await post(w, w.staff, '/applications', emBody(w, w.p.male(), { requested_fen: 150000, reason: '' })), 'reason');
		assertError(await post(w, w.staff, '/applications', emBody(w, w.p.male(), { org_id: w.s2.id })), 404, 'not_found');
		assertError(await post(w, w.staff, '/applications', emBody(w, w.p.male(), { person: { name: '甲', id_number: w.p.male(), age: 3 } })), 400, 'bad_request');
		for (const who of [w.reviewer, w.viewer, w.financeC])
			assertError(await post(w, who, '/applications', emBody(w, w.p.male())), 403, 'forbidden');
		// an ordinary programme still needs its household
		assertFieldError(await post(w, w.staff, '/applications', { program_code: 'living', requested_fen: 30000, documents: [] }), 'household_id');
		assert.equal((await get(w, w.admin, '/applications?limit=1')).json.total, n0, 'nothing filed');
	});

	test('365 days: a payment a year and a day ago no longer counts', T, async () => {
		const pid = w.p.female();
		const a = (await post(w, w.staff, '/applications', emBody(w, pid))).json;
		await pay(w, a, acct);
		await w.setClock('2027-03-02T09:00:00Z'); // today - 365 = the payment day
		assertError(await post(w, w.staff, '/applications', emBody(w, pid)), 422, 'not_eligible');
		await w.setClock('2027-03-03T09:00:00Z');
		assertStatus(await post(w, w.staff, '/applications', emBody(w, pid)), 201, 'a year and a day later');
		const closed = await post(w, w.staff, `/applications/${a.id}/follow-up`, { outcome: 'closed', comment: '已返乡，无需建档' });
		assertStatus(closed, 200);
		assert.equal(closed.json.follow_up_outcome, 'closed');
		await w.setClock('2026-03-02T09:00:00Z');
		await checkLedger(w, acct.id);
		reconcile(s);
		auditVerify(s);
	});
});
