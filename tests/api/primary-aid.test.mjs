// 帮扶主项 (primary_aid) on approve, review and PATCH while active; the
// list filter; the report's households.by_primary_aid and mutual_aid block;
// the dashboard's open claims.  API.md "Mutual aid".
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertFieldError, assertStatus, limit, uniq } from './lib.mjs';
import { START, aidWorld, hhBody, createHousehold, openAccount, deposit } from './aid-fixture.mjs';
import { addDays } from './idgen.mjs';
import { claimPapers } from './scans.mjs';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const tmp = (name, buf) => {
	const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-ma-')), name);
	fs.writeFileSync(f, buf);
	return f;
};

const T = { timeout: limit(90000) };
const post = (w, who, p, body) => w.s.api('POST', p, { token: who.token, body });
const get = (w, who, p) => w.s.api('GET', p, { token: who.token });
const act = (w, id, who, body) => post(w, who, `/households/${id}/transitions`, body);

describe('primary aid and the mutual-aid report', () => {
	let s, w, H = [];
	before(async () => {
		s = await startServer({ clock: START });
		w = await aidWorld(s);
		for (let i = 0; i < 3; i++)
			H.push(await createHousehold(w, hhBody(w, i === 2 ? { org_id: w.s2.id } : {}), i === 2 ? w.staffD : w.staff));
		let end = '';
		for (const h of H) {
			const st = h.org_id === w.s1.id ? w.staff : w.staffD, rv = h.org_id === w.s1.id ? w.reviewer : w.reviewerD;
			assertStatus(await act(w, h.id, st, { action: 'submit' }), 200);
			assertStatus(await post(w, st, `/households/${h.id}/visits`, { date: w.today(), kind: 'verification', visitor: 'x', notes: '入户' }), 201);
			assertStatus(await act(w, h.id, rv, { action: 'verify', category: 'dibao' }), 200);
			const p = await act(w, h.id, st, { action: 'publish' });
			if (p.json.notice_end > end)
				end = p.json.notice_end;
		}
		await w.setClock(addDays(end, 1) + 'T09:00:00Z');
	});
	after(async () => { if (s) await s.stop(); });

	test('approve sets primary_aid; an unknown code → 422 and nothing moves; PATCH only while active; review sets it', T, async () => {
		const [a, b, c] = H;
		assertFieldError(await act(w, a.id, w.approverD, { action: 'approve', primary_aid: 'lottery' }), 'primary_aid');
		assert.equal((await get(w, w.admin, `/households/${a.id}`)).json.status, 'in_notice');
		let r = await act(w, a.id, w.approverD, { action: 'approve', primary_aid: 'living' });
		assertStatus(r, 200, 'approve');
		assert.equal(r.json.primary_aid, 'living');
		// PATCH while approved (not active): refused, as every edit then
		assertError(await w.s.api('PATCH', `/households/${a.id}`, { token: w.staff.token,
			body: { version: r.json.version, primary_aid: 'legal' } }), 409, 'invalid_transition');
		assert.equal((await act(w, b.id, w.approverD, { action: 'approve' })).json.primary_aid, null);
		for (const h of [a, b])
			assertStatus(await act(w, h.id, w.staff, { action: 'enter' }), 200);
		r = await get(w, w.staff, `/households/${b.id}`);
		r = await w.s.api('PATCH', `/households/${b.id}`, { token: w.staff.token, body: { version: r.json.version, primary_aid: 'medical_mutual' } });
		assertStatus(r, 200, 'PATCH primary_aid');
		assert.equal(r.json.primary_aid, 'medical_mutual');
		assertFieldError(await w.s.api('PATCH', `/households/${b.id}`, { token: w.staff.token,
			body: { version: r.json.version, primary_aid: 'nope' } }), 'primary_aid');
		assertStatus(await act(w, c.id, w.approverD, { action: 'approve', primary_aid: 'employment' }), 200);
		assertStatus(await act(w, c.id, w.staffD, { action: 'enter' }), 200);
		r = await act(w, a.id, w.reviewer, { action: 'review', primary_aid: 'education' });
		assertStatus(r, 200, 'review');
		assert.equal(r.json.primary_aid, 'education');
	});

	test('GET /households?primary_aid= filters, inside the scope', T, async () => {
		let r = await get(w, w.admin, '/households?primary_aid=medical_mutual');
		assert.equal(r.json.total, 1);
		assert.equal(r.json.items[0].id, H[1].id);
		assert.equal(r.json.items[0].primary_aid, 'medical_mutual');
		r = await get(w, w.staff, '/households?primary_aid=employment');
		assert.equal(r.json.total, 0, 'S2\'s household is outside S1');
		r = await get(w, w.staffD, '/households?primary_aid=employment');
		assert.equal(r.json.total, 1);
	});

	test('quarterly report: by_primary_aid per unit and in total; mutual_aid block; JSON, xlsx and pdf; dashboard open claims', T, async () => {
		const plan = await post(w, w.admin, '/mutual-aid/plans', {
			org_id: w.d.id, code: uniq('w'), name: '女职工"四病"保障', kind: 'women', year: 2026, premium_fen: 5000,
			enrol_from: '2026-01-01', enrol_to: '2026-12-31', cover_from: '2026-01-01', cover_to: '2026-12-31',
			annual_cap_fen: 500000, women_only: true, age_max: 60, benefits: [{ code: 'cancer', name: '女性特殊疾病', max_fen: 500000 }] });
		assertStatus(plan, 201, 'plan');
		const acct = await openAccount(w, w.s1.id);
		await deposit(w, acct.id, 50000);
		const people = [0, 1, 2].map(() => ({ name: uniq('赵'), id_number: w.p.female(), phone: null }));
		assertStatus(await post(w, w.staff, `/mutual-aid/plans/${plan.json.id}/enrolments`,
			{ org_id: w.s1.id, paid_by: 'union', account_id: acct.id, people }), 201, 'enrol');
		assertStatus(await post(w, w.staffD, `/mutual-aid/plans/${plan.json.id}/enrolments`,
			{ org_id: w.s2.id, paid_by: 'employer', account_id: null, people: [{ name: '钱', id_number: w.p.female() }] }), 201);
		const en = (await get(w, w.staff, `/mutual-aid/plans/${plan.json.id}/enrolments`)).json.items;
		const claim = (id, fen) => post(w, w.staff, '/mutual-aid/claims',
			{ enrolment_id: id, benefit_code: 'cancer', event_date: w.today(), claimed_fen: fen, diagnosis: '乳腺癌' });
		const c1 = (await claim(en[0].id, 100000)).json, c2 = (await claim(en[1].id, 20000)).json;
		await claimPapers(w.s, w.staff.token, c1.id);
		for (const c of [c1])
			for (const [who, body] of [[w.reviewer, { action: 'verify' }], [w.approverS, { action: 'approve' }]])
				assertStatus(await post(w, who, `/mutual-aid/claims/${c.id}/transitions`, body), 200, body.action);
		const pay = await openAccount(w, 1);
		await deposit(w, pay.id, 100000);
		assertStatus(await post(w, w.financeC, `/mutual-aid/claims/${c1.id}/transitions`, { action: 'pay', account_id: pay.id }), 200);
		assert.ok(c2.id);

		const period = `2026Q${Math.floor((Number(w.today().slice(5, 7)) - 1) / 3) + 1}`;
		const r = await get(w, w.admin, `/reports/quarterly?org_id=${w.d.id}&period=${period}`);
		assertStatus(r, 200, 'report');
		const t = r.json.total;
		assert.deepEqual(t.mutual_aid && [t.mutual_aid.enrolled, t.mutual_aid.premium_fen, t.mutual_aid.claims, t.mutual_aid.paid_fen],
			[4, 20000, 2, 100000]);
		assert.equal(t.mutual_aid.open, 1);
		assert.equal(t.households.by_primary_aid.education, 1);
		assert.equal(t.households.by_primary_aid.medical_mutual, 1);
		assert.equal(t.households.by_primary_aid.employment, 1);
		assert.equal(t.households.by_primary_aid.living, 0);
		const u1 = r.json.units.find((u) => u.org_id === w.s1.id), u2 = r.json.units.find((u) => u.org_id === w.s2.id);
		assert.deepEqual([u1.mutual_aid.enrolled, u1.mutual_aid.claims, u1.mutual_aid.paid_fen], [3, 2, 100000]);
		assert.deepEqual([u2.mutual_aid.enrolled, u2.mutual_aid.premium_fen, u2.mutual_aid.claims], [1, 5000, 0]);
		assert.equal(u2.households.by_primary_aid.employment, 1);
		assert.equal(u1.households.by_primary_aid.employment, 0);
		// the files
		const x = await fetch(`${s.base}/api/v1/reports/quarterly.xlsx?org_id=${w.d.id}&period=${period}`,
			{ headers: { Authorization: `Bearer ${w.admin.token}` } });
		assert.equal(x.status, 200);
		const xb = Buffer.from(await x.arrayBuffer());
		const book = JSON.parse(execFileSync('python3', [path.join(import.meta.dirname, 'xlsx_read.py'), tmp('r.xlsx', xb)], { encoding: 'utf8' }));
		const sheet = book.sheets.find((sh) => sh.name === '互助保障');
		assert.ok(sheet, 'a 互助保障 sheet');
		const texts = Object.values(sheet.cells).map((c) => c.v);
		for (const h of ['本期参保人数', '本期支付金额（元）', '在档户：按帮扶主项', '医疗互助'])
			assert.ok(texts.includes(h), `the sheet has ${h}`);
		assert.ok(texts.includes(1000), 'the paid 1,000 yuan');
		const p = await fetch(`${s.base}/api/v1/reports/quarterly.pdf?org_id=${w.d.id}&period=${period}`,
			{ headers: { Authorization: `Bearer ${w.admin.token}` } });
		assert.equal(p.status, 200);
		const pb = Buffer.from(await p.arrayBuffer());
		assert.equal(pb.subarray(0, 5).toString(), '%PDF-');
		const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', tmp('r.pdf', pb), '-'], { encoding: 'utf8' });
		assert.match(text, /十一、互助保障/);
		assert.match(text, /图 4\s+本季度互助保障理赔支付/);
		// the dashboard
		const d = await get(w, w.staff, '/reports/dashboard');
		assertStatus(d, 200, 'dashboard');
		assert.equal(d.json.mutual_aid_claims_open, 1);
		assert.equal(d.json.mutual_aid_claims_overdue, 0);
		assert.equal((await get(w, w.staffD, `/reports/dashboard?org_id=${w.s2.id}`)).json.mutual_aid_claims_open ?? 0, 0);
		assertError(await get(w, w.staff, `/reports/quarterly?org_id=${w.s2.id}&period=${period}`), 404, 'not_found');
	});
});
