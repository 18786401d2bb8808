// Aid applications (帮扶申请, "五有"): filing with the deadline in working
// days and the approval tier, the eligibility rules and caps, the workflow
// submitted → verified → approved → disbursed → receipted → closed with
// documents, tiers, separation of duties, receipts and reports; reject,
// withdraw, lists and overdue applications.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertFieldError, assertStatus, listAll, PASSWORD, limit } from './lib.mjs';
import {
	START, aidWorld, hhBody, member, makeActive, createHousehold, program, LIVING_DOCS,
	apply, applyOk, tr, trOk, getApp, appTotal, appEvents, openAccount, deposit, balance,
	auditVerify, reconcile, workdaysAfter,
} from './aid-fixture.mjs';

const T = { timeout: limit(60000) };
const TODAY = '2026-03-16'; // a Monday
const HOLIDAY = '2026-03-18';
const CJK = /[\u3400-\u9fff]/;

const notEligible = (res, what) => {
	const d = assertError(res, 422, 'not_eligible', what);
	assert.ok(Array.isArray(d.reasons) && d.reasons.length > 0, `${what}: details.reasons must be a non-empty array: ${res.text}`);
	for (const r of d.reasons) {
		assert.equal(typeof r, 'string', `${what}: reasons are strings`);
		assert.match(r, CJK, `${what}: reasons are Chinese`);
	}
	return d.reasons;
};

describe('aid applications', () => {
	let s, w, H, acct, progT;
	const docsOf = async (code) => (await program(w, code)).documents;

	before(async () => {
		s = await startServer({ clock: START });
		w = await aidWorld(s, { extraUsers: { staffX: ['s1', 'staff'] } });
		// a programme without caps for the workflow cases
		const r = await s.api('POST', '/programs', { token: w.admin.token, body: {
			code: 'aidtest', name: '测试救助', standard_fen: 30000, max_fen: 3000000, deadline_workdays: 6,
			documents: ['申请书'], rules: { requires_active: true },
			tiers: [{ level: 'street', max_fen: 100000 }, { level: 'district', max_fen: 500000 }, { level: 'city', max_fen: null }],
		} });
		assertStatus(r, 201, 'POST /programs aidtest');
		progT = r.json;
		const spouse = (over) => member(w, { relation: 'spouse', id_number: w.p.female(), ...over });
		const hs = await makeActive(w, [
			hhBody(w), // main: the full workflow
			hhBody(w), // rw: reject / withdraw and the cap
			hhBody(w, { monthly_income_fen: 100000 }), // rich: per-capita above the standard
			hhBody(w, { monthly_income_fen: 100000, causes: ['accident'] }), // accident
			hhBody(w, { members: [member(w, { school_stage: 'senior' })] }), // edu
			hhBody(w, { causes: ['illness_family'] }), // med
			hhBody(w, { disability: true }), // dis
			hhBody(w, { members: [spouse({ disability: true })] }), // memDis
			hhBody(w), // other
		]);
		H = Object.fromEntries(['main', 'rw', 'rich', 'accident', 'edu', 'med', 'dis', 'memDis', 'other'].map((k, i) => [k, hs[i]]));
		H.draft = await createHousehold(w, hhBody(w));
		H.s2 = await createHousehold(w, hhBody(w, { org_id: w.s2.id }), w.admin);
		await w.setClock(TODAY + 'T09:00:00Z');
		acct = await openAccount(w, w.s1.id, { source: 'union' });
		await deposit(w, acct.id, 1000000);
	});
	after(async () => { if (s) await s.stop(); });

	const apps = {};

	test('POST /applications → 201 submitted with due date, required level, programme snapshot', T, async () => {
		const a = await applyOk(w, { household_id: H.main.id, program_code: 'living', requested_fen: 30000, reason: '生活困难', documents: LIVING_DOCS });
		assert.equal(a.status, 'submitted');
		assert.equal(typeof a.id, 'number');
		assert.equal(a.household_id, H.main.id);
		assert.equal(a.program_code, 'living');
		assert.equal(a.requested_fen, 30000);
		assert.equal(a.due_date, workdaysAfter(TODAY, 6), '6 working days after Monday 16 March');
		assert.equal(a.due_date, '2026-03-24');
		assert.equal(a.required_level, 'street');
		assert.deepEqual(a.missing_documents, []);
		assert.equal(a.overdue, false);
		assert.ok(a.program && typeof a.program === 'object', 'program snapshot');
		assert.equal(a.program.code, 'living');
		assert.equal(a.program.standard_fen, 30000);
		assert.deepEqual(a.program.documents, LIVING_DOCS);
		assert.deepEqual(a.documents, LIVING_DOCS);
		apps.main = a;
		const g = await getApp(w, a.id, w.staff);
		assert.equal(g.status, 'submitted');
		assert.equal(g.due_date, a.due_date);

		// missing documents are listed at filing
		const m = await applyOk(w, { household_id: H.other.id, program_code: 'aidtest', requested_fen: 30000, documents: [] });
		assert.deepEqual(m.missing_documents, ['申请书']);
		assert.equal(m.due_date, '2026-03-24');
		apps.missingDocs = m;

		// a holiday moves the deadline
		assertStatus(await s.api('PUT', `/calendar/${HOLIDAY}`, { token: w.admin.token, body: { workday: false, note: '测试假日' } }), 200, 'holiday');
		const h = await applyOk(w, { household_id: H.other.id, program_code: 'aidtest', requested_fen: 30000, documents: ['申请书'] });
		assert.equal(h.due_date, workdaysAfter(TODAY, 6, { holidays: [HOLIDAY] }));
		assert.equal(h.due_date, '2026-03-25');
		apps.holiday = h;
	});

	test('required_level follows the programme tiers by amount', T, async () => {
		const cases = [[100000, 'street'], [100001, 'district'], [500000, 'district'], [500001, 'city'], [3000000, 'city']];
		for (const [fen, level] of cases) {
			const a = await applyOk(w, { household_id: H.other.id, program_code: 'aidtest', requested_fen: fen, reason: '较大困难', documents: ['申请书'] });
			assert.equal(a.required_level, level, `${fen} fen → ${level}`);
		}
	});

	test('eligibility refusals → 422 not_eligible with reasons; nothing written', T, async () => {
		const before = await appTotal(w);
		const full = LIVING_DOCS;
		notEligible(await apply(w, { household_id: H.draft.id, program_code: 'living', requested_fen: 30000, documents: full }), 'household not active');
		notEligible(await apply(w, { household_id: H.rich.id, program_code: 'living', requested_fen: 30000, documents: full }), 'per-capita above the standard');
		notEligible(await apply(w, { household_id: H.main.id, program_code: 'living', requested_fen: 30000, documents: full }), 'second living application this year (cap 1)');
		notEligible(await apply(w, { household_id: H.main.id, program_code: 'education', requested_fen: 30000 }), 'education without a student');
		notEligible(await apply(w, { household_id: H.edu.id, program_code: 'education', member_id: null, requested_fen: 30000 }), 'education without a beneficiary');
		notEligible(await apply(w, { household_id: H.main.id, program_code: 'medical', requested_fen: 50000 }), 'medical without an illness cause');
		assert.equal(await appTotal(w), before, 'refused applications are not written');

		// accident waives the income limit
		const acc = await applyOk(w, { household_id: H.accident.id, program_code: 'living', requested_fen: 30000, documents: full });
		assert.equal(acc.status, 'submitted');
		apps.accident = acc;
	});

	test('validation refusals → 422 with the field, wrong types → 400, another street → 404; nothing written', T, async () => {
		const before = await appTotal(w);
		const base = { household_id: H.rw.id, program_code: 'living', requested_fen: 30000, documents: LIVING_DOCS };
		const eduMember = H.edu.members[0].id;
		assert.equal(typeof eduMember, 'number', 'household members carry ids');
		assertFieldError(await apply(w, { ...base, member_id: eduMember }), 'member_id', { what: 'member of another household' });
		assertFieldError(await apply(w, { ...base, program_code: 'nosuch' }), 'program_code', { what: 'unknown programme' });
		assertFieldError(await apply(w, { ...base, requested_fen: 300001, reason: '很困难' }), 'requested_fen', { what: 'above max_fen' });
		assertFieldError(await apply(w, { ...base, requested_fen: 30001 }), 'reason', { what: 'above the standard without reason' });
		assertFieldError(await apply(w, { ...base, requested_fen: 30001, reason: '' }), 'reason', { what: 'above the standard with an empty reason' });
		const neg = await apply(w, { ...base, requested_fen: -1 });
		assertError(neg, 422, 'validation_failed', 'negative requested_fen');
		for (const bad of [1.5, '100']) {
			const r = await apply(w, { ...base, requested_fen: bad });
			assertError(r, 400, 'bad_request', `requested_fen ${JSON.stringify(bad)}`);
		}
		assertError(await apply(w, { ...base, household_id: H.s2.id }), 404, 'not_found', 'household of another street');
		assertError(await apply(w, { ...base, household_id: 999999 }), 404, 'not_found', 'no such household');
		assert.equal(await appTotal(w), before, 'refused applications are not written');
		// at max_fen with a reason is fine (and needs the city)
		const top = await applyOk(w, { household_id: H.other.id, program_code: 'aidtest', requested_fen: 3000000, reason: '重大灾害' });
		assert.equal(top.required_level, 'city');
	});

	test('roles: only staff and admin file applications', T, async () => {
		const body = { household_id: H.other.id, program_code: 'aidtest', requested_fen: 10000, documents: ['申请书'] };
		for (const who of ['reviewer', 'approverS', 'approverD', 'financeC', 'viewer'])
			assertError(await apply(w, body, w[who]), 403, 'forbidden', `${who} files`);
		const a = await applyOk(w, body, w.admin);
		assert.equal(a.status, 'submitted');
	});

	test('disability adds 30000 fen to the standard (household flag or the member\'s)', T, async () => {
		const d = await applyOk(w, { household_id: H.dis.id, program_code: 'living', requested_fen: 60000, documents: LIVING_DOCS });
		assert.equal(d.requested_fen, 60000);
		assertFieldError(await apply(w, { household_id: H.memDis.id, program_code: 'living', requested_fen: 60001, documents: LIVING_DOCS }), 'reason', { what: 'above 60000 without reason' });
		const disabledMember = H.memDis.members.find((m) => m.disability === true || m.disability === 1);
		assert.ok(disabledMember, `the disabled member: ${JSON.stringify(H.memDis.members)}`);
		const m = await applyOk(w, { household_id: H.memDis.id, program_code: 'living', member_id: disabledMember.id, requested_fen: 60000, documents: LIVING_DOCS });
		assert.equal(m.member_id, disabledMember.id);
	});

	test('education: a student beneficiary, once per student per school year', T, async () => {
		const stu = H.edu.members[0];
		assert.equal(stu.school_stage, 'senior');
		const a = await applyOk(w, { household_id: H.edu.id, program_code: 'education', member_id: stu.id, requested_fen: 30000, documents: await docsOf('education') });
		assert.equal(a.member_id, stu.id);
		notEligible(await apply(w, { household_id: H.edu.id, program_code: 'education', member_id: stu.id, requested_fen: 30000 }), 'second education grant this school year');
	});

	test('medical: twice a year; approval tiers by amount (street ≤ 100000 < district ≤ 500000 < city)', T, async () => {
		const docs = await docsOf('medical');
		const a = await applyOk(w, { household_id: H.med.id, program_code: 'medical', requested_fen: 200000, reason: '住院', documents: docs });
		assert.equal(a.required_level, 'district');
		const b = await applyOk(w, { household_id: H.med.id, program_code: 'medical', requested_fen: 600000, reason: '重病', documents: docs });
		assert.equal(b.required_level, 'city');
		notEligible(await apply(w, { household_id: H.med.id, program_code: 'medical', requested_fen: 50000, documents: docs }), 'third medical application this year');

		await trOk(w, a.id, w.reviewer, { action: 'verify' });
		await trOk(w, b.id, w.reviewer, { action: 'verify' });
		assertError(await tr(w, a.id, w.approverS, { action: 'approve' }), 403, 'forbidden', 'street approver, 200000 fen');
		assert.equal((await getApp(w, a.id)).status, 'verified');
		const ad = await trOk(w, a.id, w.approverD, { action: 'approve' });
		assert.equal(ad.status, 'approved');
		assert.equal(ad.approved_fen, 200000, 'approved_fen defaults to the requested amount');

		assertError(await tr(w, b.id, w.approverS, { action: 'approve' }), 403, 'forbidden', 'street approver, 600000 fen');
		assertError(await tr(w, b.id, w.approverD, { action: 'approve' }), 403, 'forbidden', 'district approver, 600000 fen');
		assert.equal((await getApp(w, b.id)).status, 'verified');
		const bc = await trOk(w, b.id, w.approverC, { action: 'approve' });
		assert.equal(bc.status, 'approved');
		apps.medA = ad;
		apps.medB = bc;
	});

	test('the whole way: verify → approve → disburse → receipt → close, with events and audit', T, async () => {
		const id = apps.main.id;
		// verify (有查验): reviewer only
		for (const who of ['staff', 'approverS', 'financeC', 'viewer'])
			assertError(await tr(w, id, w[who], { action: 'verify' }), 403, 'forbidden', `${who} verifies`);
		for (const action of ['approve', 'disburse', 'receipt', 'close'])
			assertError(await tr(w, id, w.admin, { action, account_id: acct.id, signed_by: 'x', signed_on: TODAY, report: 'x' }), action === 'approve' || action === 'disburse' ? 403 : 409,
				action === 'approve' || action === 'disburse' ? 'forbidden' : 'invalid_transition', `admin ${action} from submitted`);
		for (const [who, action] of [['approverS', 'approve'], ['financeC', 'disburse'], ['staff', 'receipt'], ['staff', 'close']])
			assertError(await tr(w, id, w[who], { action, account_id: acct.id, signed_by: '王某', signed_on: TODAY, report: '办结' }), 409, 'invalid_transition', `${action} from submitted`);
		const v = await trOk(w, id, w.reviewer, { action: 'verify', comment: '材料齐全' });
		assert.equal(v.status, 'verified');
		assertError(await tr(w, id, w.reviewer, { action: 'verify' }), 409, 'invalid_transition', 'verify twice');

		// approve (有批准)
		for (const who of ['staff', 'reviewer', 'financeC', 'viewer'])
			assertError(await tr(w, id, w[who], { action: 'approve' }), 403, 'forbidden', `${who} approves`);
		const ap = await trOk(w, id, w.approverS, { action: 'approve', comment: '同意' });
		assert.equal(ap.status, 'approved');
		assert.equal(ap.approved_fen, 30000);
		assertError(await tr(w, id, w.approverS, { action: 'approve' }), 409, 'invalid_transition', 'approve twice');

		// disburse (发放)
		const bal0 = await balance(w, acct.id);
		for (const who of ['staff', 'approverS', 'reviewer'])
			assertError(await tr(w, id, w[who], { action: 'disburse', account_id: acct.id }), 403, 'forbidden', `${who} disburses`);
		assertError(await tr(w, id, w.financeS2, { action: 'disburse', account_id: acct.id }), 404, 'not_found', 'finance of S2');
		assertError(await tr(w, id, w.staff, { action: 'close', report: '办结' }), 409, 'invalid_transition', 'close before disbursement');
		assert.equal((await getApp(w, id)).status, 'approved');
		assert.equal(await balance(w, acct.id), bal0, 'refused disbursements move no money');
		const db = await trOk(w, id, w.financeC, { action: 'disburse', account_id: acct.id });
		assert.equal(db.status, 'disbursed');
		assert.equal(await balance(w, acct.id), bal0 - 30000);
		assertError(await tr(w, id, w.financeC, { action: 'disburse', account_id: acct.id }), 409, 'invalid_transition', 'disburse twice');
		assert.equal(await balance(w, acct.id), bal0 - 30000, 'the second disbursement moves no money');

		// close before receipt
		assertError(await tr(w, id, w.staff, { action: 'close', report: '办结' }), 409, 'invalid_transition', 'close before receipt');
		// receipt (有签收)
		assertError(await tr(w, id, w.financeC, { action: 'receipt', signed_by: '王某', signed_on: TODAY }), 403, 'forbidden', 'finance receipts');
		assertFieldError(await tr(w, id, w.staff, { action: 'receipt', signed_on: TODAY }), 'signed_by', { what: 'receipt without signed_by' });
		assertFieldError(await tr(w, id, w.staff, { action: 'receipt', signed_by: '王某' }), 'signed_on', { what: 'receipt without signed_on' });
		assertFieldError(await tr(w, id, w.staff, { action: 'receipt', signed_by: '王某', signed_on: '2026-03-17' }), 'signed_on', { what: 'signed tomorrow' });
		assert.equal((await getApp(w, id)).status, 'disbursed');
		const rc = await trOk(w, id, w.staff, { action: 'receipt', signed_by: '王某', signed_on: TODAY });
		assert.equal(rc.status, 'receipted');
		assert.equal(rc.signed_by, '王某');
		assert.equal(rc.signed_on, TODAY);
		assertError(await tr(w, id, w.staff, { action: 'receipt', signed_by: '王某', signed_on: TODAY }), 409, 'invalid_transition', 'receipt twice');

		// close (办结)
		assertFieldError(await tr(w, id, w.staff, { action: 'close' }), 'report', { what: 'close without report' });
		assertError(await tr(w, id, w.viewer, { action: 'close', report: '办结' }), 403, 'forbidden', 'viewer closes');
		const cl = await trOk(w, id, w.staff, { action: 'close', report: '救助金已发放到户' });
		assert.equal(cl.status, 'closed');
		assert.equal(cl.overdue, false);
		for (const action of ['withdraw', 'reject'])
			assertError(await tr(w, id, action === 'reject' ? w.reviewer : w.staff, { action, comment: 'x' }), 409, 'invalid_transition', `${action} a closed application`);
		apps.main = cl;

		const ev = await appEvents(w, id);
		assert.deepEqual(ev.map((e) => e.action), ['submit', 'verify', 'approve', 'disburse', 'receipt', 'close']);
		assert.deepEqual(ev.map((e) => e.user_id), [w.staff.user.id, w.reviewer.user.id, w.approverS.user.id, w.financeC.user.id, w.staff.user.id, w.staff.user.id]);
		const audit = await listAll(s, `/audit?entity=application&entity_id=${id}`, w.admin.token);
		assert.ok(audit.items.length > 0, 'audit entries for the application');
		const viaViewer = await s.api('GET', `/audit?entity=application&entity_id=${id}`, { token: w.viewer.token });
		assertStatus(viaViewer, 200, 'viewer reads the audit');
		assertError(await s.api('GET', `/audit?entity=application&entity_id=${id}`, { token: w.staff.token }), 403, 'forbidden', 'staff reads the audit');
	});

	test('verify with missing documents → 422 with details.missing_documents; approved_fen', T, async () => {
		const id = apps.missingDocs.id;
		const r = await tr(w, id, w.reviewer, { action: 'verify' });
		const d = assertError(r, 422, 'validation_failed', 'verify with missing documents');
		assert.deepEqual(d.missing_documents, ['申请书']);
		assert.equal((await getApp(w, id)).status, 'submitted');

		// a living application with one of three documents
		const p = await applyOk(w, { household_id: H.rw.id, program_code: 'living', requested_fen: 30000, documents: [LIVING_DOCS[1]] });
		const d2 = assertError(await tr(w, p.id, w.reviewer, { action: 'verify' }), 422, 'validation_failed', 'living with one document');
		assert.deepEqual([...d2.missing_documents].sort(), [LIVING_DOCS[0], LIVING_DOCS[2]].sort());
		await trOk(w, p.id, w.staff, { action: 'withdraw' });

		// approved_fen below the request
		const acc = apps.accident.id;
		await trOk(w, acc, w.reviewer, { action: 'verify' });
		const ap = await trOk(w, acc, w.approverS, { action: 'approve', approved_fen: 25000, comment: '酌减' });
		assert.equal(ap.approved_fen, 25000);
		assert.equal(ap.requested_fen, 30000);
	});

	test('reject and withdraw; rejected and withdrawn applications do not count toward the cap', T, async () => {
		const body = { household_id: H.rw.id, program_code: 'living', requested_fen: 30000, documents: LIVING_DOCS };
		// (an earlier living application of this household was withdrawn)
		const a = await applyOk(w, body);
		for (const who of ['reviewer', 'approverS', 'financeC', 'viewer'])
			assertError(await tr(w, a.id, w[who], { action: 'withdraw' }), 403, 'forbidden', `${who} withdraws`);
		const wd = await trOk(w, a.id, w.staff, { action: 'withdraw' });
		assert.equal(wd.status, 'withdrawn');
		assertError(await tr(w, a.id, w.staff, { action: 'withdraw' }), 409, 'invalid_transition', 'withdraw twice');
		assertError(await tr(w, a.id, w.reviewer, { action: 'verify' }), 409, 'invalid_transition', 'verify a withdrawn application');

		const b = await applyOk(w, body);
		assertFieldError(await tr(w, b.id, w.reviewer, { action: 'reject' }), 'comment', { what: 'reject without comment' });
		for (const who of ['staff', 'financeC'])
			assertError(await tr(w, b.id, w[who], { action: 'reject', comment: '不符合' }), 403, 'forbidden', `${who} rejects`);
		assert.equal((await getApp(w, b.id)).status, 'submitted');
		const rj = await trOk(w, b.id, w.reviewer, { action: 'reject', comment: '材料不实' });
		assert.equal(rj.status, 'rejected');
		assertError(await tr(w, b.id, w.approverS, { action: 'reject', comment: 'x' }), 409, 'invalid_transition', 'reject twice');

		const c = await applyOk(w, body);
		assert.equal(c.status, 'submitted', 'a rejected and a withdrawn application leave the cap free');
		notEligible(await apply(w, body), 'the third one counts');
		// withdraw from verified is allowed; reject by an approver from verified
		await trOk(w, c.id, w.reviewer, { action: 'verify' });
		const wv = await trOk(w, c.id, w.staff, { action: 'withdraw' });
		assert.equal(wv.status, 'withdrawn');

		const t = await applyOk(w, { household_id: H.other.id, program_code: 'aidtest', requested_fen: 20000, documents: ['申请书'] });
		await trOk(w, t.id, w.reviewer, { action: 'verify' });
		const ra = await trOk(w, t.id, w.approverS, { action: 'reject', comment: '重复申请' });
		assert.equal(ra.status, 'rejected');

		// nor from approved
		const u = await applyOk(w, { household_id: H.other.id, program_code: 'aidtest', requested_fen: 20000, documents: ['申请书'] });
		await trOk(w, u.id, w.reviewer, { action: 'verify' });
		await trOk(w, u.id, w.approverS, { action: 'approve' });
		assertError(await tr(w, u.id, w.staff, { action: 'withdraw' }), 409, 'invalid_transition', 'withdraw an approved application');
		assertError(await tr(w, u.id, w.reviewer, { action: 'reject', comment: 'x' }), 409, 'invalid_transition', 'reject an approved application');
		assertError(await tr(w, u.id, w.staff, { action: 'fly' }), 409, 'invalid_transition', 'unknown action');
		assert.equal((await getApp(w, u.id)).status, 'approved');
		apps.approvedOpen = u;
	});

	test('separation of duties: the submitter may never approve', T, async () => {
		const x = w.users.staffX;
		const a = await applyOk(w, { household_id: H.other.id, program_code: 'aidtest', requested_fen: 20000, documents: ['申请书'] }, w.staffX);
		await trOk(w, a.id, w.reviewer, { action: 'verify' });
		const p = await s.api('PATCH', `/users/${x.id}`, { token: w.admin.token, body: { role: 'approver' } });
		assertStatus(p, 200, 'make staffX an approver');
		const l = await s.login(x.username, PASSWORD);
		assert.equal(l.user.role, 'approver');
		assertError(await tr(w, a.id, { token: l.token }, { action: 'approve' }), 403, 'separation_of_duties', 'the submitter approves');
		assert.equal((await getApp(w, a.id)).status, 'verified');
		const ok = await trOk(w, a.id, w.approverS, { action: 'approve' });
		assert.equal(ok.status, 'approved');
	});

	test('GET /applications filters; overdue lists open applications past their due date', T, async () => {
		const all = await listAll(s, '/applications', w.admin.token);
		assert.ok(all.total >= 20, `total ${all.total}`);
		// in the list's order (due date, then id), with the names beside the ids
		const key = (a) => `${a.due_date}|${String(a.id).padStart(12, '0')}`;
		assert.deepEqual(all.items.map(key), all.items.map(key).sort(), 'ordered by due date, then id');
		assert.ok(new Set(all.items.map((a) => a.due_date)).size > 1, 'the fixture has several due dates');
		for (const a of all.items.filter((x, i) => i % 5 === 0)) {
			const hh = await s.api('GET', `/households/${a.household_id}`, { token: w.admin.token });
			assertStatus(hh, 200, `household ${a.household_id}`);
			assert.equal(a.household_name, hh.json.name, `household_name of ${a.id}`);
			const org = await s.api('GET', `/orgs/${a.org_id}`, { token: w.admin.token });
			assertStatus(org, 200, `org ${a.org_id}`);
			assert.equal(a.org_name, org.json.name, `org_name of ${a.id}`);
		}
		const closed = await listAll(s, '/applications?status=closed', w.admin.token);
		assert.deepEqual(closed.items.map((a) => a.id), [apps.main.id]);
		const edu = await listAll(s, '/applications?program_code=education', w.admin.token);
		assert.equal(edu.total, 1);
		assert.ok(edu.items.every((a) => a.program_code === 'education'));
		const med = await listAll(s, `/applications?household_id=${H.med.id}`, w.admin.token);
		assert.deepEqual(med.items.map((a) => a.id).sort((a, b) => a - b), [apps.medA.id, apps.medB.id].sort((a, b) => a - b));
		const both = await listAll(s, `/applications?household_id=${H.rw.id}&status=withdrawn`, w.admin.token);
		assert.equal(both.total, 3);
		assert.ok(both.items.every((a) => a.household_id === H.rw.id && a.status === 'withdrawn'));
		const none = await listAll(s, '/applications?overdue=true', w.admin.token);
		assert.equal(none.total, 0, 'nothing overdue on the day of filing');
		// scope: S2 sees none of S1's applications
		const fin2 = await listAll(s, '/applications', w.financeS2.token);
		assert.equal(fin2.total, 0, 'finance of S2 sees no S1 application');
		assertError(await s.api('GET', `/applications/${apps.main.id}`, { token: w.financeS2.token }), 404, 'not_found', 'S1 application seen from S2');

		// move past the due dates (24 and 25 March)
		await w.setClock('2026-03-26T09:00:00Z');
		const fresh = await applyOk(w, { household_id: H.other.id, program_code: 'aidtest', requested_fen: 20000, documents: ['申请书'] });
		assert.equal(fresh.overdue, false);
		const now = await listAll(s, '/applications', w.admin.token);
		const open = new Set(['submitted', 'verified', 'approved']);
		const expect = now.items.filter((a) => open.has(a.status) && a.due_date < '2026-03-26').map((a) => a.id).sort((a, b) => a - b);
		assert.ok(expect.length >= 5, 'several open applications are past due');
		const over = await listAll(s, '/applications?overdue=true', w.admin.token);
		assert.deepEqual(over.items.map((a) => a.id).sort((a, b) => a - b), expect);
		assert.ok(over.items.every((a) => a.overdue === true));
		assert.ok(!over.items.some((a) => a.id === apps.main.id || a.id === fresh.id), 'closed and new ones are not overdue');
		for (const a of now.items)
			assert.equal(a.overdue, expect.includes(a.id), `overdue flag of ${a.id} (${a.status}, due ${a.due_date})`);
		assert.equal((await getApp(w, apps.approvedOpen.id)).overdue, true);
		assert.equal((await getApp(w, apps.main.id)).overdue, false);
		const overSub = await listAll(s, '/applications?overdue=true&status=submitted', w.admin.token);
		assert.ok(overSub.total > 0 && overSub.items.every((a) => a.status === 'submitted'));
	});

	test('audit chain and ledger are intact', T, async () => {
		auditVerify(s);
		reconcile(s);
	});
});
