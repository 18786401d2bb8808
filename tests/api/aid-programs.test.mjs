// Aid programmes (帮扶项目): the seven default programmes of DESIGN.md §2.4
// with their amounts, documents, tiers and rules; adding programmes (admin
// only, rules checked); PATCH bumps the version while applications keep the
// programme as it was when they were filed.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertFieldError, assertStatus, listAll, limit } from './lib.mjs';
import {
	START, aidWorld, hhBody, member, makeActive, programs, program, LIVING_DOCS,
	apply, applyOk, tr, trOk, getApp, auditVerify, reconcile, workdaysAfter,
} from './aid-fixture.mjs';

const T = { timeout: limit(60000) };
const TODAY = '2026-03-16';
const CODES = ['living', 'medical', 'education', 'legal', 'employment', 'condolence', 'microloan'];
const TIERS = [{ level: 'street', max_fen: 100000 }, { level: 'district', max_fen: 500000 }, { level: 'city', max_fen: null }];

// Tiers as the server lists them, compared by level and bound (the top bound
// may be null or absent).
const tiersOf = (t) => t.map((x) => ({ level: x.level, max_fen: x.max_fen ?? null }));

const newProgram = (over = {}) => ({
	code: 'hardship', name: '特困补助', standard_fen: 50000, max_fen: 200000, deadline_workdays: 3,
	documents: ['补助申请书', '收入证明'],
	tiers: [{ level: 'street', max_fen: 60000 }, { level: 'city', max_fen: null }],
	rules: { requires_active: true, max_income_pct: 80, cap_household_year: 2 },
	...over,
});

describe('aid programmes', () => {
	let s, w, H;
	before(async () => {
		s = await startServer({ clock: START });
		w = await aidWorld(s);
		const hs = await makeActive(w, [
			hhBody(w),
			hhBody(w),
			hhBody(w, { monthly_income_fen: 80000 }), // 86 % of the standard
			hhBody(w, { members: [member(w, { school_stage: 'university' })] }),
		]);
		H = { a: hs[0], b: hs[1], c86: hs[2], edu: hs[3] };
		await w.setClock(TODAY + 'T09:00:00Z');
	});
	after(async () => { if (s) await s.stop(); });

	test('GET /programs lists the seven default programmes', T, async () => {
		const items = await programs(w, w.viewer);
		const codes = items.map((p) => p.code);
		for (const c of CODES)
			assert.ok(codes.includes(c), `default programme ${c} listed: ${codes}`);
		for (const p of items) {
			for (const k of ['code', 'name', 'standard_fen', 'max_fen', 'deadline_workdays', 'documents', 'tiers', 'rules'])
				assert.ok(Object.hasOwn(p, k), `${p.code} lacks ${k}`);
			assert.equal(typeof p.name, 'string');
			assert.ok(p.name.length > 0);
			assert.ok(Number.isInteger(p.standard_fen) && Number.isInteger(p.max_fen) && Number.isInteger(p.deadline_workdays), p.code);
			assert.ok(Array.isArray(p.documents) && p.documents.every((d) => typeof d === 'string'), `${p.code} documents`);
			assert.ok(Array.isArray(p.tiers), `${p.code} tiers`);
			assert.ok(p.rules && typeof p.rules === 'object' && !Array.isArray(p.rules), `${p.code} rules`);
			assert.deepEqual(tiersOf(p.tiers), TIERS, `${p.code} tiers: street ≤ 1000 yuan, district ≤ 5000, city above`);
		}
		const by = Object.fromEntries(items.map((p) => [p.code, p]));
		const L = by.living;
		assert.equal(L.standard_fen, 30000);
		assert.equal(L.max_fen, 300000);
		assert.equal(L.deadline_workdays, 6);
		assert.deepEqual(L.documents, LIVING_DOCS);
		assert.equal(L.rules.requires_active, true);
		assert.equal(L.rules.max_income_pct, 100);
		assert.equal(L.rules.disability_extra_fen, 30000);
		const M = by.medical;
		assert.equal(M.deadline_workdays, 6);
		assert.equal(M.rules.requires_active, true);
		for (const c of ['illness_self', 'illness_family', 'work_injury'])
			assert.ok(M.rules.causes_any.includes(c), `medical causes_any has ${c}`);
		const E = by.education;
		assert.equal(E.rules.max_income_pct, 100);
		assert.equal(E.rules.beneficiary, 'student');
		for (const c of ['legal', 'employment']) {
			assert.equal(by[c].rules.requires_active, false, `${c} needs no active archive`);
			assert.equal(by[c].standard_fen, 0);
			assert.equal(by[c].max_fen, 0);
		}
		assert.equal(by.legal.deadline_workdays, 7);
		assert.equal(by.employment.deadline_workdays, 6);
	});

	test('the default rules at work: legal and employment need no active archive and pay nothing; education pays a student', T, async () => {
		// a draft household may ask for legal aid but not for living aid
		const r = await s.api('POST', '/households', { token: w.staff.token, body: hhBody(w) });
		assertStatus(r, 201, 'draft household');
		const draft = r.json;
		const legal = await applyOk(w, { household_id: draft.id, program_code: 'legal', requested_fen: 0, documents: (await program(w, 'legal')).documents });
		assert.equal(legal.due_date, workdaysAfter(TODAY, 7));
		assert.equal(legal.required_level, 'street');
		const emp = await applyOk(w, { household_id: draft.id, program_code: 'employment', requested_fen: 0 });
		assert.equal(emp.due_date, workdaysAfter(TODAY, 6));
		assertError(await apply(w, { household_id: draft.id, program_code: 'living', requested_fen: 30000 }), 422, 'not_eligible', 'living for a draft');
		assertFieldError(await apply(w, { household_id: draft.id, program_code: 'legal', requested_fen: 1, reason: '律师费' }), 'requested_fen', { what: 'legal aid pays no money (max 0)' });

		const stu = H.edu.members[0];
		const e = await applyOk(w, { household_id: H.edu.id, program_code: 'education', member_id: stu.id, requested_fen: 100000, reason: '考入大学' });
		assert.equal(e.member_id, stu.id);
	});

	test('POST /programs (admin) → 201; listed; its own tiers, deadline and rules apply', T, async () => {
		const body = newProgram();
		const r = await s.api('POST', '/programs', { token: w.admin.token, body });
		assertStatus(r, 201, 'POST /programs');
		for (const k of ['code', 'name', 'standard_fen', 'max_fen', 'deadline_workdays'])
			assert.equal(r.json[k], body[k], k);
		assert.deepEqual(r.json.documents, body.documents);
		assert.deepEqual(tiersOf(r.json.tiers), body.tiers);
		const p = await program(w, 'hardship');
		assert.equal(p.name, '特困补助');
		assert.deepEqual(p.rules, body.rules);

		const a = await applyOk(w, { household_id: H.a.id, program_code: 'hardship', requested_fen: 60000, reason: '特困', documents: body.documents });
		assert.equal(a.due_date, workdaysAfter(TODAY, 3), '3 working days');
		assert.equal(a.required_level, 'street');
		assert.deepEqual(a.missing_documents, []);
		const b = await applyOk(w, { household_id: H.a.id, program_code: 'hardship', requested_fen: 60001, reason: '特困' });
		assert.equal(b.required_level, 'city', 'no district tier: above 60000 goes to the city');
		assert.deepEqual(b.missing_documents, body.documents);
		assertError(await apply(w, { household_id: H.a.id, program_code: 'hardship', requested_fen: 10000 }), 422, 'not_eligible', 'cap 2 a year');
		// 80 % of the standard: 80000 per capita is above 74400
		assertError(await apply(w, { household_id: H.c86.id, program_code: 'hardship', requested_fen: 10000 }), 422, 'not_eligible', 'income above 80 %');
		assertFieldError(await apply(w, { household_id: H.b.id, program_code: 'hardship', requested_fen: 200001, reason: 'x' }), 'requested_fen', { what: 'above the new max_fen' });
	});

	test('POST /programs refusals: bad rules → 422 rules, duplicate → 409 conflict, non-admin → 403', T, async () => {
		const count = (await programs(w)).length;
		for (const [what, rules] of [
			['unknown key', { requires_active: true, colour: 'red' }],
			['bad cause code', { causes_any: ['laziness'] }],
			['bad waiver cause', { max_income_pct: 100, or_causes: ['bad_luck'] }],
		]) {
			const r = await s.api('POST', '/programs', { token: w.admin.token, body: newProgram({ code: 'badrules', rules }) });
			assertFieldError(r, 'rules', { what });
		}
		assertError(await s.api('POST', '/programs', { token: w.admin.token, body: newProgram({ name: '重复' }) }), 409, 'conflict', 'duplicate code');
		assertError(await s.api('POST', '/programs', { token: w.admin.token, body: newProgram({ code: 'living' }) }), 409, 'conflict', 'a default code');
		for (const who of ['staff', 'reviewer', 'approverC', 'financeC', 'viewer'])
			assertError(await s.api('POST', '/programs', { token: w[who].token, body: newProgram({ code: `by_${who.toLowerCase()}` }) }), 403, 'forbidden', `${who} adds a programme`);
		for (const who of ['staff', 'approverC', 'financeC'])
			assertError(await s.api('PATCH', '/programs/living', { token: w[who].token, body: { standard_fen: 1 } }), 403, 'forbidden', `${who} edits a programme`);
		assert.equal((await programs(w)).length, count, 'nothing added by a refused request');
		assert.equal((await program(w, 'living')).standard_fen, 30000, 'nothing changed by a refused PATCH');
	});

	test('PATCH /programs/{code} bumps the version; earlier applications keep their snapshot', T, async () => {
		const before = await program(w, 'living');
		const old = await applyOk(w, { household_id: H.a.id, program_code: 'living', requested_fen: 30000, documents: LIVING_DOCS });
		assert.equal(old.program_version, before.version);
		const newDocs = [...LIVING_DOCS, '银行卡复印件'];
		const r = await s.api('PATCH', '/programs/living', { token: w.admin.token, body: { standard_fen: 40000, documents: newDocs } });
		assertStatus(r, 200, 'PATCH /programs/living');
		const after = await program(w, 'living');
		assert.equal(after.version, before.version + 1, 'version bumped');
		assert.equal(after.standard_fen, 40000);
		assert.deepEqual(after.documents, newDocs);

		const g = await getApp(w, old.id);
		assert.equal(g.program_version, before.version, 'filed under the old version');
		assert.equal(g.program.standard_fen, 30000, 'the snapshot keeps the old standard');
		assert.deepEqual(g.program.documents, LIVING_DOCS, 'the snapshot keeps the old documents');
		assert.deepEqual(g.missing_documents, []);
		// verification checks the documents of the snapshot
		const v = await trOk(w, old.id, w.reviewer, { action: 'verify' });
		assert.equal(v.status, 'verified');
		assert.equal(v.program_version, before.version);

		// a new application sees the new version: 40000 needs no reason, and the new document
		const n = await applyOk(w, { household_id: H.b.id, program_code: 'living', requested_fen: 40000, documents: LIVING_DOCS });
		assert.equal(n.program_version, after.version);
		assert.equal(n.program.standard_fen, 40000);
		assert.deepEqual(n.missing_documents, ['银行卡复印件']);
		const d = assertError(await tr(w, n.id, w.reviewer, { action: 'verify' }), 422, 'validation_failed', 'new document missing');
		assert.deepEqual(d.missing_documents, ['银行卡复印件']);

		const audit = await listAll(s, '/audit?entity=program', w.admin.token);
		assert.ok(audit.items.length >= 2, 'programme changes are audited');
	});

	test('audit chain and ledger are intact', T, async () => {
		auditVerify(s);
		reconcile(s);
	});
});
