// Mutual aid (职工医疗互助, 女职工"四病"保障): plans, enrolment one by one
// and by roster file, claims through verify / approve / pay / reject.
// API.md "Mutual aid"; every refusal changes nothing.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertFieldError, assertStatus, listAll, limit, uniq, PASSWORD } from './lib.mjs';
import { START, aidWorld, hhBody, makeActive, openAccount, deposit, balance, ledger, workdaysAfter } from './aid-fixture.mjs';
import { badCheck } from './idgen.mjs';
import { claimPapers } from './scans.mjs';
import { execFileSync } from 'node:child_process';

// A minimal workbook (inline strings, as libxlsxwriter writes them) of rows, by Python's zipfile.
const XLSX_PY = `
import json, sys, zipfile
from xml.sax.saxutils import escape
rows = json.loads(sys.stdin.read())
def col(i): return chr(65 + i)
sheet = ''.join('<row r="%d">%s</row>' % (r + 1, ''.join('<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (col(i), r + 1, escape(v)) for i, v in enumerate(row))) for r, row in enumerate(rows))
z = zipfile.ZipFile(sys.stdout.buffer, 'w')
z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
z.writestr('_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
z.writestr('xl/workbook.xml', '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>')
z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
z.writestr('xl/worksheets/sheet1.xml', '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>%s</sheetData></worksheet>' % sheet)
z.close()
`;
const xlsx = (rows) => execFileSync('python3', ['-c', XLSX_PY], { input: JSON.stringify(rows) });

const T = { timeout: limit(90000) };

const post = (w, who, p, body) => w.s.api('POST', p, { token: who.token, body });
const get = (w, who, p) => w.s.api('GET', p, { token: who.token });
const papers = (w, id) => claimPapers(w.s, w.staff.token, id);

function planBody(w, over = {}) {
	return {
		org_id: 1, code: uniq('ma'), name: uniq('职工重大疾病医疗互助'), kind: 'medical', year: 2026, premium_fen: 3000,
		enrol_from: '2026-01-01', enrol_to: '2026-06-30', cover_from: '2026-01-01', cover_to: '2026-12-31',
		annual_cap_fen: 1000000, women_only: false, age_max: null,
		benefits: [{ code: 'major', name: '重大疾病', max_fen: 800000 }, { code: 'inpatient', name: '住院', max_fen: 300000 }],
		...over,
	};
}

async function plan(w, over) {
	const r = await post(w, w.admin, '/mutual-aid/plans', planBody(w, over));
	assertStatus(r, 201, 'create plan');
	return r.json;
}

const person = (w, over = {}) => ({ name: uniq('李'), id_number: w.p.male(), phone: '13900139000', ...over });

async function enrolled(w, planId) {
	const r = await get(w, w.admin, `/mutual-aid/plans/${planId}`);
	assertStatus(r, 200, 'GET plan');
	return r.json.enrolled;
}

describe('mutual aid', () => {
	let s, w, P, W, acct, H;
	before(async () => {
		s = await startServer({ clock: START });
		w = await aidWorld(s);
		H = (await makeActive(w, [hhBody(w)]))[0];
		acct = await openAccount(w, w.s1.id);
		await deposit(w, acct.id, 100000);
	});
	after(async () => { if (s) await s.stop(); });

	test('plans: admin creates (201 with the contract fields); other roles 403; bad values 422; a code twice 409', T, async () => {
		P = await plan(w);
		for (const k of ['id', 'org_id', 'code', 'name', 'kind', 'year', 'premium_fen', 'enrol_from', 'enrol_to', 'cover_from',
			'cover_to', 'annual_cap_fen', 'women_only', 'age_max', 'benefits', 'enrolled', 'claims', 'paid_fen'])
			assert.ok(Object.hasOwn(P, k), `plan lacks ${k}`);
		assert.equal(P.enrolled, 0);
		assert.equal(P.women_only, false);
		assert.deepEqual(P.benefits.map((b) => b.code), ['major', 'inpatient']);
		W = await plan(w, { kind: 'women', name: '女职工"四病"保障', women_only: true, age_max: 55, premium_fen: 5000,
			benefits: [{ code: 'cancer', name: '女性特殊疾病', max_fen: 500000 }], annual_cap_fen: 500000 });
		for (const who of [w.staff, w.reviewer, w.approverC, w.financeC, w.viewer])
			assertError(await post(w, who, '/mutual-aid/plans', planBody(w)), 403, 'forbidden', who.user.role);
		assertFieldError(await post(w, w.admin, '/mutual-aid/plans', planBody(w, { kind: 'car' })), 'kind');
		assertFieldError(await post(w, w.admin, '/mutual-aid/plans', planBody(w, { enrol_to: '2025-12-01' })), 'enrol_to');
		assertFieldError(await post(w, w.admin, '/mutual-aid/plans', planBody(w, { cover_to: '2025-12-31' })), 'cover_to');
		assertFieldError(await post(w, w.admin, '/mutual-aid/plans',
			planBody(w, { benefits: [{ code: 'a', name: '甲', max_fen: 2000000 }] })), 'benefits[0].max_fen');
		assertFieldError(await post(w, w.admin, '/mutual-aid/plans',
			planBody(w, { benefits: [{ code: 'a', name: '甲', max_fen: 1 }, { code: 'a', name: '乙', max_fen: 2 }] })), 'benefits[1].code');
		assertFieldError(await post(w, w.admin, '/mutual-aid/plans', planBody(w, { premium_fen: -1 })), 'premium_fen');
		assertError(await post(w, w.admin, '/mutual-aid/plans', planBody(w, { code: P.code })), 409, 'conflict');
		// seen by the units below; a plan of S2 is not seen from S1
		const list = await listAll(s, '/mutual-aid/plans', w.staff.token);
		assert.ok(list.items.some((p) => p.id === P.id), 'a city plan is seen by a street');
		const s2 = await plan(w, { org_id: w.s2.id });
		assertError(await get(w, w.staff, `/mutual-aid/plans/${s2.id}`), 404, 'not_found');
		assertStatus(await get(w, w.staffD, `/mutual-aid/plans/${s2.id}`), 200, 'the district sees its street\'s plan');
	});

	test('enrolment: union pays premium × N in one ledger row; the archive is linked and shows the plan', T, async () => {
		const before = await balance(w, acct.id);
		const ppl = [person(w), person(w, { id_number: H.id_number, name: H.name }), person(w, { id_number: w.p.female() })];
		const r = await post(w, w.staff, `/mutual-aid/plans/${P.id}/enrolments`,
			{ org_id: w.s1.id, paid_by: 'union', account_id: acct.id, people: ppl });
		assertStatus(r, 201, 'enrol 3');
		assert.equal(r.json.enrolled, 3);
		assert.equal(await balance(w, acct.id), before - 3 * 3000);
		const rows = (await ledger(w, acct.id)).items;
		assert.equal(rows.at(-1).amount_fen, -9000, 'one ledger row for the three');
		assert.equal(rows.filter((x) => x.amount_fen === -9000).length, 1);
		assert.equal(await enrolled(w, P.id), 3);
		const list = await listAll(s, `/mutual-aid/plans/${P.id}/enrolments`, w.staff.token);
		assert.equal(list.total, 3);
		for (const e of list.items) {
			assert.match(e.id_number, /\*{8}/, 'ID number masked');
			assert.ok(!Object.hasOwn(e, 'birth_date'), 'no birth_date');
			assert.equal(typeof e.age, 'number');
		}
		const linked = list.items.find((e) => e.name === H.name);
		assert.equal(linked.household_id, H.id, 'linked to the open archive');
		assert.equal(list.items.filter((e) => e.household_id).length, 1);
		const h = await get(w, w.staff, `/households/${H.id}`);
		assert.ok(Array.isArray(h.json.mutual_aid), 'archive detail lists the plans');
		assert.deepEqual(h.json.mutual_aid.map((m) => m.plan_id), [P.id]);
		// q on the name
		const q = await get(w, w.staff, `/mutual-aid/plans/${P.id}/enrolments?q=${encodeURIComponent(H.name.slice(0, 2))}`);
		assert.equal(q.json.total, 1);
		// member-paid: no ledger row
		const n = (await ledger(w, acct.id)).items.length;
		assertStatus(await post(w, w.staff, `/mutual-aid/plans/${P.id}/enrolments`,
			{ org_id: w.s1.id, paid_by: 'member', account_id: null, people: [person(w)] }), 201, 'member pays');
		assert.equal((await ledger(w, acct.id)).items.length, n);
	});

	test('enrolment refusals change nothing: bad ID, twice, a man in a women-only plan, over age, window, funds, role', T, async () => {
		const base = { org_id: w.s1.id, paid_by: 'member', account_id: null };
		const n0 = await enrolled(w, P.id);
		let d = assertFieldError(await post(w, w.staff, `/mutual-aid/plans/${P.id}/enrolments`,
			{ ...base, people: [person(w), person(w, { id_number: badCheck(w.p.male()) })] }), 'people[1].id_number');
		assert.equal(Object.keys(d.fields).length, 1);
		const some = (await listAll(s, `/mutual-aid/plans/${P.id}/enrolments`, w.admin.token)).items[0];
		const list = await listAll(s, `/mutual-aid/plans/${P.id}/enrolments`, w.admin.token);
		assert.ok(some);
		// already in the plan: by its ID number (the linked archive's)
		d = assertError(await post(w, w.staff, `/mutual-aid/plans/${P.id}/enrolments`,
			{ ...base, people: [person(w), person(w, { id_number: H.id_number })] }), 409, 'duplicate_id_number');
		assert.ok(d.fields['people[1].id_number']);
		const twice = w.p.male();
		d = assertError(await post(w, w.staff, `/mutual-aid/plans/${P.id}/enrolments`,
			{ ...base, people: [person(w, { id_number: twice }), person(w, { id_number: twice })] }), 409, 'duplicate_id_number');
		assert.ok(d.fields['people[1].id_number']);
		d = assertError(await post(w, w.staff, `/mutual-aid/plans/${W.id}/enrolments`,
			{ ...base, people: [person(w, { id_number: w.p.female() }), person(w)] }), 422, 'not_eligible');
		assert.ok(d.fields['people[1].id_number'], 'the man is named');
		assert.ok(d.reasons.length >= 1);
		d = assertError(await post(w, w.staff, `/mutual-aid/plans/${W.id}/enrolments`,
			{ ...base, people: [person(w, { id_number: w.p.female('19650101') })] }), 422, 'not_eligible');
		assert.ok(d.fields['people[0].id_number'], 'older than age_max on cover_from');
		assert.equal(await enrolled(w, W.id), 0);
		const closed = await plan(w, { enrol_from: '2026-01-01', enrol_to: '2026-02-28' });
		assertError(await post(w, w.staff, `/mutual-aid/plans/${closed.id}/enrolments`, { ...base, people: [person(w)] }), 422, 'not_eligible');
		// the union's account short by 1 fen
		const poor = await openAccount(w, w.s1.id);
		await deposit(w, poor.id, 2 * 3000 - 1);
		assertError(await post(w, w.staff, `/mutual-aid/plans/${P.id}/enrolments`,
			{ ...base, paid_by: 'union', account_id: poor.id, people: [person(w), person(w)] }), 409, 'insufficient_funds');
		assert.equal(await balance(w, poor.id), 5999);
		assert.equal((await ledger(w, poor.id)).items.length, 1);
		assertFieldError(await post(w, w.staff, `/mutual-aid/plans/${P.id}/enrolments`,
			{ ...base, paid_by: 'union', people: [person(w)] }), 'account_id');
		assertFieldError(await post(w, w.staff, `/mutual-aid/plans/${P.id}/enrolments`,
			{ ...base, paid_by: 'boss', people: [person(w)] }), 'paid_by');
		for (const who of [w.reviewer, w.approverC, w.financeC, w.viewer])
			assertError(await post(w, who, `/mutual-aid/plans/${P.id}/enrolments`, { ...base, people: [person(w)] }), 403, 'forbidden');
		// a unit outside the caller's scope
		assertError(await post(w, w.staff, `/mutual-aid/plans/${P.id}/enrolments`, { ...base, org_id: w.s2.id, people: [person(w)] }), 404, 'not_found');
		assert.equal(await enrolled(w, P.id), n0);
		assert.equal((await listAll(s, `/mutual-aid/plans/${P.id}/enrolments`, w.admin.token)).total, list.total);
	});

	test('roster file: dry run, one bad row among 2,000 names its row and enrols nothing, then all at once', T, async () => {
		const roster = await plan(w);
		const rows = Array.from({ length: 2000 }, (_, i) => `${uniq('张')},${w.p.female()},1380000${String(i).padStart(4, '0')}`);
		const good = '\uFEFF姓名,身份证号,联系电话\n' + rows.join('\n') + '\n';
		const url = (q) => `/mutual-aid/plans/${roster.id}/enrolments/import?org_id=${w.s1.id}&paid_by=member&${q}`;
		let r = await w.s.api('POST', url('dry_run=true'), { token: w.staff.token, rawBody: good, contentType: 'text/csv' });
		assertStatus(r, 200, 'dry run');
		assert.equal(r.json.dry_run, true);
		assert.equal(r.json.people, 2000);
		assert.deepEqual(r.json.errors, []);
		assert.equal(await enrolled(w, roster.id), 0);
		const bad = rows.slice();
		bad[1499] = `${uniq('张')},${badCheck(w.p.female())},13800000000`;
		r = await w.s.api('POST', url('dry_run=false'), { token: w.staff.token,
			rawBody: '姓名,身份证号,联系电话\n' + bad.join('\n'), contentType: 'text/csv' });
		const d = assertError(r, 422, 'validation_failed');
		assert.deepEqual(d.errors.map((e) => [e.row, e.column]), [[1501, '身份证号']]);
		assert.equal(await enrolled(w, roster.id), 0);
		r = await w.s.api('POST', url('dry_run=false'), { token: w.staff.token,
			rawBody: '姓名,身份证号,工号\n甲,' + w.p.female() + ',1\n', contentType: 'text/csv' });
		assert.equal(assertError(r, 422, 'validation_failed').errors[0].column, '工号');
		r = await w.s.api('POST', url('dry_run=false'), { token: w.staff.token, rawBody: good, contentType: 'text/csv' });
		assertStatus(r, 200, 'import');
		assert.equal(r.json.enrolled, 2000);
		assert.equal(await enrolled(w, roster.id), 2000);
		// an Excel roster: the same reader as the household import
		const xrows = [['联系电话', '姓名', '身份证号'], ['13900000001', '孙丽', w.p.female()], ['', '周敏', w.p.female()]];
		r = await w.s.api('POST', url('dry_run=false'), { token: w.staff.token, rawBody: xlsx(xrows),
			contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
		assertStatus(r, 200, 'xlsx import');
		assert.equal(r.json.enrolled, 2);
		assert.equal(await enrolled(w, roster.id), 2002);
		const bx = [['姓名', '身份证号'], ['吴', w.p.male()], ['郑', '123']];
		r = await w.s.api('POST', url('dry_run=true'), { token: w.staff.token, rawBody: xlsx(bx),
			contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
		assert.deepEqual(assertError(r, 422, 'validation_failed').errors.map((e) => [e.row, e.column]), [[3, '身份证号']]);
		// the same file again: every row already enrolled
		r = await w.s.api('POST', url('dry_run=true'), { token: w.staff.token, rawBody: good, contentType: 'text/csv' });
		assert.equal(assertError(r, 422, 'validation_failed').errors.length > 100, true);
	});

	test('roster file read as a stream: each refusal named by its row, the list\'s own after the rows\'; 250 people in three chunks, the union pays premium × N in one ledger row', T, async () => {
		const wp = await plan(w, { women_only: true, age_max: 55 });
		const url = (q) => `/mutual-aid/plans/${wp.id}/enrolments/import?org_id=${w.s1.id}&${q}`;
		const csv = (rows) => '姓名,身份证号,联系电话\n' + rows.join('\n') + '\n';
		const send = (q, rows) => w.s.api('POST', url(q), { token: w.staff.token, rawBody: csv(rows), contentType: 'text/csv' });
		const pre = w.p.female();
		assertStatus(await send('paid_by=member', [`${uniq('赵')},${pre},`]), 200, 'one enrolled first');
		const first = w.p.female();
		const rows = [`${uniq('王')},${w.p.female()},13900000000`, `${uniq('钱')},${first},`, '', `孙,${w.p.male()},`,
			`,${w.p.female()},`, `李,${w.p.female('19650101')},`, `周,${first},`, `吴,${badCheck(w.p.female())},`, `郑,${pre},`];
		const d = assertError(await send('paid_by=member&dry_run=false', rows), 422, 'validation_failed');
		assert.equal(d.people, 8, 'the blank line is no one');
		assert.equal(d.enrolled, 0);
		assert.deepEqual(d.errors.map((e) => [e.row, e.column]),
			[[5, '身份证号'], [6, '姓名'], [7, '身份证号'], [9, '身份证号'], [8, '身份证号'], [10, '身份证号']]);
		assert.match(d.errors[0].message, /女职工/);
		assert.match(d.errors[2].message, /最高年龄 55/);
		assert.match(d.errors[4].message, /第 3 人/, 'the repeat names the row it repeats');
		assert.match(d.errors[5].message, /已参加本计划/);
		assert.equal(await enrolled(w, wp.id), 1, 'nothing enrolled');
		const a = await openAccount(w, w.s1.id);
		await deposit(w, a.id, 250 * 3000);
		const good = Array.from({ length: 250 }, (_, i) => `${uniq('冯')},${w.p.female()},1390000${String(i).padStart(4, '0')}`);
		let r = await send(`paid_by=union&account_id=${a.id}&dry_run=true`, good);
		assertStatus(r, 200, 'dry run');
		assert.equal(await balance(w, a.id), 250 * 3000, 'a dry run debits nothing');
		r = await send(`paid_by=union&account_id=${a.id}&dry_run=false`, good);
		assertStatus(r, 200, 'import 250');
		assert.deepEqual([r.json.people, r.json.enrolled], [250, 250]);
		assert.equal(await balance(w, a.id), 0, 'premium × 250 debited');
		assert.equal((await ledger(w, a.id)).items.filter((x) => x.amount_fen === -250 * 3000).length, 1, 'in one ledger row');
		assert.equal(await enrolled(w, wp.id), 251);
		const list = await listAll(s, `/mutual-aid/plans/${wp.id}/enrolments?org_id=${w.s1.id}`, w.staff.token);
		assert.equal(list.total, 251);
		assert.ok(list.items.some((e) => e.phone && e.phone.startsWith('139')), 'phones written');
		// one of them again, union-paid: already in (422 by row, as every roster error), nothing debited
		await deposit(w, a.id, 3000);
		const again = assertError(await send(`paid_by=union&account_id=${a.id}`, good.slice(0, 1)), 422, 'validation_failed');
		assert.deepEqual(again.errors.map((e) => e.row), [2]);
		assert.equal(await balance(w, a.id), 3000);
	});

	test('claims: submit with a working-day deadline; outside cover, above the benefit, above the cap → 422 not_eligible', T, async () => {
		const e = (await listAll(s, `/mutual-aid/plans/${P.id}/enrolments`, w.staff.token)).items[0];
		const c = await post(w, w.staff, '/mutual-aid/claims',
			{ enrolment_id: e.id, benefit_code: 'major', event_date: w.today(), claimed_fen: 800000, diagnosis: '恶性肿瘤' });
		assertStatus(c, 201, 'claim');
		assert.equal(c.json.status, 'submitted');
		assert.equal(c.json.due_date, workdaysAfter(w.today(), 10));
		assert.match(c.json.id_number, /\*{8}/);
		const bad = { enrolment_id: e.id, benefit_code: 'inpatient', event_date: w.today(), claimed_fen: 1000, diagnosis: '肺炎' };
		let d = assertError(await post(w, w.staff, '/mutual-aid/claims', { ...bad, event_date: '2025-12-31' }), 422, 'not_eligible');
		assert.ok(d.reasons.length === 1);
		assertError(await post(w, w.staff, '/mutual-aid/claims', { ...bad, claimed_fen: 300001 }), 422, 'not_eligible');
		assertFieldError(await post(w, w.staff, '/mutual-aid/claims', { ...bad, benefit_code: 'cancer' }), 'benefit_code');
		assertError(await post(w, w.reviewer, '/mutual-aid/claims', bad), 403, 'forbidden');
		assertError(await post(w, w.staffD, '/mutual-aid/claims', { ...bad, enrolment_id: 999999 }), 404, 'not_found');
		const claims = await listAll(s, `/mutual-aid/claims?plan_id=${P.id}`, w.staff.token);
		assert.equal(claims.total, 1);
	});

	test('claims workflow: verify, approve within tier and cap, two approvals at once, pay short by 1 fen then paid, reject', T, async () => {
		const [e] = (await listAll(s, `/mutual-aid/plans/${P.id}/enrolments`, w.staff.token)).items;
		const [big] = (await listAll(s, `/mutual-aid/claims?plan_id=${P.id}&status=submitted`, w.staff.token)).items;
		const small = (await post(w, w.staff, '/mutual-aid/claims',
			{ enrolment_id: e.id, benefit_code: 'inpatient', event_date: w.today(), claimed_fen: 300000, diagnosis: '骨折住院' })).json;
		const tr = (id, who, body) => post(w, who, `/mutual-aid/claims/${id}/transitions`, body);
		assertError(await tr(big.id, w.approverC, { action: 'approve' }), 409, 'invalid_transition');
		assertError(await tr(big.id, w.staff, { action: 'verify' }), 403, 'forbidden');
		assertError(await tr(big.id, w.reviewer, { action: 'fly' }), 409, 'invalid_transition');
		// RULE claim.papers: no scan of the claim, no verify
		const bare = await tr(big.id, w.reviewer, { action: 'verify' });
		assertError(bare, 422, 'validation_failed');
		assert.deepEqual(bare.json.error.details.missing_documents, ['医院证明材料']);
		assert.equal((await get(w, w.admin, `/mutual-aid/claims/${big.id}`)).json.status, 'submitted', 'nothing moved');
		await papers(w, big.id);
		await papers(w, small.id);
		assert.deepEqual((await get(w, w.admin, `/mutual-aid/claims/${big.id}`)).json.missing_documents, []);
		assertStatus(await tr(big.id, w.reviewer, { action: 'verify' }), 200, 'verify');
		assertStatus(await tr(small.id, w.reviewer, { action: 'verify' }), 200, 'verify small');
		// 8,000 yuan needs the city
		assertError(await tr(big.id, w.approverS, { action: 'approve' }), 403, 'forbidden');
		assertError(await tr(big.id, w.approverD, { action: 'approve' }), 403, 'forbidden');
		assertFieldError(await tr(big.id, w.approverC, { action: 'approve', approved_fen: 800001 }), 'approved_fen');
		// two approvals at once: exactly one wins
		const both = await Promise.all([tr(big.id, w.approverC, { action: 'approve' }), tr(big.id, w.approverC, { action: 'approve' })]);
		assert.deepEqual(both.map((r) => r.status).sort(), [200, 409]);
		const lost = both.find((r) => r.status !== 200);
		assert.ok(['conflict', 'invalid_transition'].includes(lost.json.error.code));
		// cap left: 1,000,000 − 800,000 = 200,000
		let d = assertError(await tr(small.id, w.approverC, { action: 'approve', approved_fen: 200001 }), 422, 'not_eligible');
		assert.ok(d.reasons.length);
		assertError(await tr(small.id, w.approverC, { action: 'approve' }), 422, 'not_eligible');
		let r = await tr(small.id, w.approverS, { action: 'approve', approved_fen: 100000 });
		assertStatus(r, 200, 'a street approves 1,000 yuan');
		assert.equal(r.json.approved_fen, 100000);
		assert.equal(r.json.cap_left_fen, 100000);
		// pay: the account short by 1 fen, then enough
		const pay = await openAccount(w, 1);
		await deposit(w, pay.id, 799999);
		assertError(await tr(big.id, w.financeC, { action: 'pay', account_id: pay.id }), 409, 'insufficient_funds');
		assert.equal((await get(w, w.admin, `/mutual-aid/claims/${big.id}`)).json.status, 'approved');
		assert.equal(await balance(w, pay.id), 799999);
		assertError(await tr(big.id, w.approverC, { action: 'pay', account_id: pay.id }), 403, 'forbidden');
		assertFieldError(await tr(big.id, w.financeC, { action: 'pay' }), 'account_id');
		await deposit(w, pay.id, 1);
		r = await tr(big.id, w.financeC, { action: 'pay', account_id: pay.id });
		assertStatus(r, 200, 'pay');
		assert.equal(r.json.status, 'paid');
		assert.equal(r.json.paid_fen, 800000);
		assert.equal(await balance(w, pay.id), 0);
		const rows = (await ledger(w, pay.id)).items;
		assert.equal(rows.at(-1).amount_fen, -800000);
		assert.equal(rows.at(-1).balance_fen, 0);
		assertError(await tr(big.id, w.financeC, { action: 'pay', account_id: pay.id }), 409, 'invalid_transition');
		// the trail and the audit
		const ev = await get(w, w.viewer, `/mutual-aid/claims/${big.id}/events`);
		assert.deepEqual(ev.json.items.map((x) => x.action), ['submit', 'verify', 'approve', 'pay']);
		const au = await get(w, w.admin, `/audit?entity=mutual_aid_claim&entity_id=${big.id}`);
		assert.deepEqual(au.json.items.map((x) => x.action).filter((a) => a !== 'denied').slice(0, 4).reverse(),
			['create', 'verify', 'approve', 'pay']);
		// reject: comment required, then final
		const third = (await post(w, w.staff, '/mutual-aid/claims',
			{ enrolment_id: e.id, benefit_code: 'inpatient', event_date: w.today(), claimed_fen: 50000, diagnosis: '门诊' })).json;
		assertFieldError(await tr(third.id, w.reviewer, { action: 'reject' }), 'comment');
		assertError(await tr(third.id, w.financeC, { action: 'reject', comment: '不' }), 403, 'forbidden');
		r = await tr(third.id, w.reviewer, { action: 'reject', comment: '材料不实' });
		assert.equal(r.json.status, 'rejected');
		assertError(await tr(third.id, w.reviewer, { action: 'verify' }), 409, 'invalid_transition');
		const p = (await get(w, w.admin, `/mutual-aid/plans/${P.id}`)).json;
		assert.equal(p.claims, 3);
		assert.equal(p.paid_fen, 800000);
		// above the cap at submission now: 900,000 approved of 1,000,000
		d = assertError(await post(w, w.staff, '/mutual-aid/claims',
			{ enrolment_id: e.id, benefit_code: 'inpatient', event_date: w.today(), claimed_fen: 100001, diagnosis: '住院' }), 422, 'not_eligible');
		assert.ok(d.reasons.some((x) => /上限/.test(x)));
		// out of scope: a claim of S1 from S2's finance
		assertError(await tr(small.id, w.financeS2, { action: 'pay', account_id: pay.id }), 404, 'not_found');
	});

	test('separation of duties: the submitter, made an approver, may not approve the claim (403); another approver may', T, async () => {
		const x = await s.createUser({ org_id: w.s1.id, role: 'staff', name: '经办转审批' });
		let xs = await s.login(x.username, PASSWORD);
		const her = w.p.female();
		assertStatus(await post(w, w.staff, `/mutual-aid/plans/${W.id}/enrolments`,
			{ org_id: w.s1.id, paid_by: 'member', account_id: null, people: [person(w, { id_number: her })] }), 201);
		const en = (await listAll(s, `/mutual-aid/plans/${W.id}/enrolments`, w.staff.token)).items.at(-1);
		const c = await post(w, xs, '/mutual-aid/claims',
			{ enrolment_id: en.id, benefit_code: 'cancer', event_date: w.today(), claimed_fen: 50000, diagnosis: '乳腺癌筛查阳性' });
		assertStatus(c, 201, 'claim by x');
		await papers(w, c.json.id);
		assertStatus(await post(w, w.reviewer, `/mutual-aid/claims/${c.json.id}/transitions`, { action: 'verify' }), 200);
		assertStatus(await s.api('PATCH', `/users/${x.id}`, { token: w.admin.token, body: { role: 'approver' } }), 200);
		xs = await s.login(x.username, PASSWORD);
		assertError(await post(w, xs, `/mutual-aid/claims/${c.json.id}/transitions`, { action: 'approve' }), 403, 'separation_of_duties');
		assert.equal((await get(w, w.admin, `/mutual-aid/claims/${c.json.id}`)).json.status, 'verified', 'nothing changed');
		const ok = await post(w, w.approverS, `/mutual-aid/claims/${c.json.id}/transitions`, { action: 'approve' });
		assertStatus(ok, 200, 'another approver');
		assert.equal(ok.json.approved_by, w.approverS.user.id);
	});
});
