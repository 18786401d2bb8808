// Outreach (API.md "Outreach", DESIGN.md §2.10): activities of every kind
// with attendance by household (all or nothing), donation drives' donations
// into a fund account, job fairs and trainings in the same list; unit
// pairings; projects with a budget funded by fund transfers; referrals to
// government services with outcome, follow-up and the overdue list; the
// report's outreach block.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertFieldError, assertStatus, listAll, limit, uniq, regionCode, REPO } from './lib.mjs';
import {
	START, aidWorld, makeHouseholds, hhBody, openAccount, deposit, balance, checkLedger, auditOf, auditVerify,
	reconcile,
} from './aid-world.mjs';

const T = { timeout: limit(120000) };
const KINDS = ['legal_outreach', 'free_clinic', 'job_fair', 'training', 'donation_drive', 'handout',
	'enterprise_visit', 'other'];

const post = (w, who, p, body) => w.s.api('POST', p, { token: who.token, body });
const get = (w, who, p) => w.s.api('GET', p, { token: who.token });
async function ok(res, status, what) {
	assertStatus(await res, status, what);
	return (await res).json;
}

describe('outreach', () => {
	let s, w, d2, A, B, C, M; // A, B active of S1; C active of S2; M marginal of S1
	const act = {};
	before(async () => {
		s = await startServer({ clock: START });
		w = await aidWorld(s, {
			extraUsers: { staffS2: ['s2', 'staff'], adminD: ['d', 'admin'], adminS1: ['s1', 'admin'], financeS1: ['s1', 'finance'] },
		});
		d2 = await s.createOrg({ parent_id: 1, level: 'district', name: uniq('县'), region_code: regionCode() });
		w.orgOf.d2 = d2.id;
		await w.addUser('financeD2', 'd2', 'finance');
		[A, B, C] = await makeHouseholds(w, [{ org: 's1' }, { org: 's1' }, { org: 's2' }]);
		// per capita 100,000 fen: above the standard (93,000), below 1.5× → marginal
		M = await ok(post(w, w.staff, '/households', hhBody(w, 's1', { monthly_income_fen: 100000,
			members: [] })), 201, 'marginal household');
	});
	after(async () => { if (s) await s.stop(); });

	test('activities of every kind; refusals by field, role and scope; the list with job fairs and trainings', T, async () => {
		for (const [i, kind] of KINDS.entries()) {
			const a = await ok(post(w, w.staff, '/activities', { org_id: w.s1.id, kind, title: `活动${i}`,
				date: `2026-03-${String(10 + i).padStart(2, '0')}`, place: '职工服务中心', partner: '市律师协会', note: '' }), 201, kind);
			assert.equal(a.kind, kind);
			assert.equal(a.org_id, w.s1.id);
			assert.equal(a.attendance, 0);
			act[kind] = a;
		}
		assertFieldError(await post(w, w.staff, '/activities', { org_id: w.s1.id, kind: 'party', title: 'x', date: '2026-03-01' }), 'kind');
		assertFieldError(await post(w, w.staff, '/activities', { org_id: w.s1.id, kind: 'other', title: '', date: '2026-03-01' }), 'title');
		assertFieldError(await post(w, w.staff, '/activities', { org_id: w.s1.id, kind: 'other', title: 'x', date: '2026-02-30' }), 'date');
		for (const who of ['viewer', 'financeC', 'reviewer'])
			assertError(await post(w, w[who], '/activities', { org_id: w.s1.id, kind: 'other', title: 'x', date: '2026-03-01' }), 403, 'forbidden', who);
		assertError(await post(w, w.staff, '/activities', { org_id: w.s2.id, kind: 'other', title: 'x', date: '2026-03-01' }), 404, 'not_found', 'S1 staff for S2');
		const s2act = await ok(post(w, w.staffS2, '/activities', { org_id: w.s2.id, kind: 'free_clinic', title: '乙街道义诊', date: '2026-03-12' }), 201, 'S2 clinic');
		assertError(await get(w, w.staff, `/activities/${s2act.id}`), 404, 'not_found', 'S1 staff reads an S2 activity');

		// the employment module's job fairs and trainings show as activities of their kinds
		const fair = await ok(post(w, w.staff, '/job-fairs', { org_id: w.s1.id, name: '春风行动招聘会', date: '2026-03-20', place: '人才市场', visitors: 320 }), 201, 'fair');
		const tr = await ok(post(w, w.staff, '/trainings', { org_id: w.s1.id, name: '家政服务培训', provider: '市职校', start_date: '2026-03-21', end_date: '2026-03-28', capacity: 30 }), 201, 'training');
		const all = await listAll(s, `/activities?org_id=${w.s1.id}&from=2026-03-01&to=2026-03-31`, w.staff.token);
		assert.equal(all.total, KINDS.length + 2, 'eight activities, one fair, one training');
		const f = all.items.find((x) => x.source === 'job_fair');
		assert.equal(f.source_id, fair.id);
		assert.equal(f.kind, 'job_fair');
		assert.equal(f.attendance, 320, "a fair's visitors are its attendance");
		assert.equal(f.id, null);
		const t = all.items.find((x) => x.source === 'training');
		assert.equal(t.source_id, tr.id);
		assert.equal(t.end_date, '2026-03-28');
		const dates = all.items.map((x) => x.date);
		assert.deepEqual(dates, [...dates].sort(), 'by date');
		const fairs = await listAll(s, '/activities?kind=job_fair', w.staff.token);
		assert.equal(fairs.total, 2, 'the job_fair activity and the job fair');
		assert.ok(fairs.items.every((x) => x.kind === 'job_fair'));
		const late = await listAll(s, '/activities?from=2026-03-20', w.staff.token);
		assert.ok(late.items.every((x) => x.date >= '2026-03-20'));
		assert.ok(!all.items.some((x) => x.id === s2act.id), 'S1 staff does not see S2');
		const city = await listAll(s, '/activities', w.admin.token);
		assert.ok(city.items.some((x) => x.id === s2act.id), 'the city sees both streets');
		assertFieldError(await get(w, w.staff, '/activities?kind=party'), 'kind');
		assertFieldError(await get(w, w.staff, '/activities?from=2026-13-01'), 'from');
		assertError(await get(w, w.staff, `/activities?org_id=${w.s2.id}`), 404, 'not_found', 'list of another street');
	});

	test('attendance: one household out of scope among 200 records nothing; repeats ignored; the household lists it', T, async () => {
		const ids = [A.id, B.id, M.id];
		for (let i = 0; ids.length < 199; i++) {
			const r = await post(w, w.staff, '/households', hhBody(w, 's1'));
			assertStatus(r, 201, 'draft household');
			ids.push(r.json.id);
		}
		const a = act.legal_outreach;
		const bad = [...ids.slice(0, 150), C.id, ...ids.slice(150)];
		assert.equal(bad.length, 200);
		assertError(await post(w, w.staff, `/activities/${a.id}/attendance`, { household_ids: bad }), 404, 'not_found', 'one of S2 among 200');
		assertError(await post(w, w.staff, `/activities/${a.id}/attendance`, { household_ids: [A.id, 99999999] }), 404, 'not_found', 'no such household');
		let g = await ok(get(w, w.staff, `/activities/${a.id}`), 200, 'activity');
		assert.equal(g.attendance, 0, 'nothing recorded');
		assert.equal(g.attendees.length, 0, 'nothing recorded');
		assertFieldError(await post(w, w.staff, `/activities/${a.id}/attendance`, { household_ids: ['x'] }), 'household_ids[0]');
		assertFieldError(await post(w, w.staff, `/activities/${a.id}/attendance`, { household_ids: [] }), 'household_ids');
		assertError(await post(w, w.viewer, `/activities/${a.id}/attendance`, { household_ids: [A.id] }), 403, 'forbidden');

		const r = await ok(post(w, w.staff, `/activities/${a.id}/attendance`, { household_ids: ids }), 200, '199 of S1');
		assert.deepEqual(r, { attended: 199, added: 199 });
		const again = await ok(post(w, w.staff, `/activities/${a.id}/attendance`, { household_ids: [A.id, A.id, B.id] }), 200, 'repeats');
		assert.deepEqual(again, { attended: 199, added: 0 }, 'repeats are ignored');
		g = await ok(get(w, w.staff, `/activities/${a.id}`), 200, 'activity');
		assert.equal(g.attendance, 199);
		assert.equal(g.attendees.length, 199);
		assert.ok(!('id_number' in g.attendees[0]) && !('phone' in g.attendees[0]), 'attendees carry no ID numbers or phones');
		const ticked = await ok(get(w, w.staff, `/activities/${a.id}/attendance`), 200, 'ticked ids');
		assert.equal(ticked.total, 199);
		// a clinic for S2's household by the district's staff
		await ok(post(w, w.staffD, `/activities/${act.free_clinic.id}/attendance`, { household_ids: [C.id, A.id] }), 200, 'district staff');

		// the household's people: activities attended and a training of its worker
		const seeker = await ok(post(w, w.staff, '/job-seekers', { org_id: w.s1.id, name: A.name, id_number: A.id_number }), 201, 'seeker');
		const tr = (await listAll(s, '/activities?kind=training', w.staff.token)).items.find((x) => x.source === 'training');
		await ok(post(w, w.staff, `/trainings/${tr.source_id}/enrolments`, { seeker_id: seeker.id }), 201, 'enrol');
		const mine = await ok(get(w, w.staff, `/households/${A.id}/activities`), 200, 'household activities');
		assert.deepEqual(mine.items.map((x) => x.kind).sort(), ['free_clinic', 'legal_outreach', 'training']);
		assert.equal(mine.items[0].date >= mine.items.at(-1).date, true, 'newest first');
		const none = await ok(get(w, w.staffS2, `/households/${C.id}/activities`), 200, 'C');
		assert.deepEqual(none.items.map((x) => x.kind), ['free_clinic']);
		assertError(await get(w, w.staff, `/households/${C.id}/activities`), 404, 'not_found', 'S1 staff, S2 household');
		const au = await auditOf(w, 'activity', a.id);
		assert.ok(au.some((x) => x.action === 'attendance'), 'attendance is audited');
	});

	test('donations: a drive only, by finance, into an account on the activity’s line; the ledger names the activity', T, async () => {
		const drive = act.donation_drive;
		const accS1 = await openAccount(w, w.s1.id, w.financeC, { source: 'donation', name: '甲街道募捐' });
		const accD = await openAccount(w, w.d.id, w.financeC, { source: 'donation', name: '区募捐' });
		const accD2 = await openAccount(w, d2.id, w.financeC, { source: 'donation', name: '县募捐' });
		const acc2 = await openAccount(w, w.s2.id, w.financeC, { source: 'donation', name: '乙街道募捐' });
		const body = { account_id: accS1.id, amount_fen: 50000, donor: '爱心企业' };
		assertError(await post(w, w.staff, `/activities/${drive.id}/donations`, body), 403, 'forbidden', 'staff');
		assertError(await post(w, w.financeC, `/activities/${act.handout.id}/donations`, body), 409, 'conflict', 'not a drive');
		assertFieldError(await post(w, w.financeC, `/activities/${drive.id}/donations`, { ...body, account_id: accD2.id }), 'account_id', { what: 'another district' });
		assertFieldError(await post(w, w.financeC, `/activities/${drive.id}/donations`, { ...body, account_id: acc2.id }), 'account_id', { what: 'a sibling street' });
		assertError(await post(w, w.financeD2, `/activities/${drive.id}/donations`, { ...body, account_id: accD2.id }), 404, 'not_found', 'the county finance: the drive is out of scope');
		assertError(await post(w, w.financeS1, `/activities/${drive.id}/donations`, { ...body, account_id: accD.id }), 404, 'not_found', 'street finance into the district account');
		assertFieldError(await post(w, w.financeC, `/activities/${drive.id}/donations`, { ...body, amount_fen: 0 }), 'amount_fen');
		for (const id of [accS1.id, accD2.id, acc2.id])
			assert.equal(await balance(w, id), 0, 'no refused attempt moved money');

		const d1 = await ok(post(w, w.financeS1, `/activities/${drive.id}/donations`, body), 201, 'into S1');
		assert.equal(d1.balance_fen, 50000);
		await ok(post(w, w.financeC, `/activities/${drive.id}/donations`, { account_id: accD.id, amount_fen: 12345, donor: '' }), 201, 'into the district above');
		const rows = await checkLedger(w, accS1.id);
		assert.equal(rows.length, 1);
		assert.equal(rows[0].kind, 'deposit', 'a deposit (API.md)');
		assert.equal(rows[0].activity_id, drive.id, 'the ledger row names the activity');
		assert.equal(rows[0].amount_fen, 50000);
		const g = await ok(get(w, w.financeC, `/activities/${drive.id}`), 200, 'drive');
		assert.equal(g.donated_fen, 62345);
		assert.equal(g.donations.length, 2);
		reconcile(s);
	});

	test('unit pairings: by the admin of a unit above both', T, async () => {
		const pBody = { helper_org_id: w.d.id, helped_org_id: d2.id, from: '2026-01-01', to: '2026-12-31', note: '城区结对帮扶县' };
		for (const who of ['staff', 'financeC', 'approverC'])
			assertError(await post(w, w[who], '/org-pairings', pBody), 403, 'forbidden', who);
		assertError(await post(w, w.adminD, '/org-pairings', pBody), 404, 'not_found', 'the county is outside the district admin');
		assertError(await post(w, w.adminD, '/org-pairings', { ...pBody, helper_org_id: w.d.id, helped_org_id: w.s1.id }), 403, 'forbidden', 'its own unit is not above both');
		assertError(await post(w, w.adminS1, '/org-pairings', { ...pBody, helper_org_id: w.s1.id, helped_org_id: w.s2.id }), 404, 'not_found', 'street admin');
		assertFieldError(await post(w, w.admin, '/org-pairings', { ...pBody, helped_org_id: w.d.id }), 'helped_org_id');
		assertFieldError(await post(w, w.admin, '/org-pairings', { ...pBody, to: '2025-12-31' }), 'to');
		const p = await ok(post(w, w.admin, '/org-pairings', pBody), 201, 'city pairs district and county');
		assert.equal(p.helper_org_id, w.d.id);
		assert.equal(p.helped_org_id, d2.id);
		assert.equal(p.from, '2026-01-01');
		const q = await ok(post(w, w.adminD, '/org-pairings', { helper_org_id: w.s1.id, helped_org_id: w.s2.id, from: '2026-02-01', to: null }), 201, 'district pairs streets');
		assert.equal(q.to, null);
		assert.equal((await listAll(s, '/org-pairings', w.admin.token)).total, 2);
		const dl = await listAll(s, '/org-pairings', w.financeD2.token);
		assert.deepEqual(dl.items.map((x) => x.id), [p.id], 'the county sees its own pairing only');
		assert.ok((await auditOf(w, 'org_pairing', p.id)).length >= 1);
	});

	test('projects: a budget never passed by a fen; fundings are transfers linked to the project; status and outcome', T, async () => {
		const pb = { org_id: d2.id, name: '县职工技能实训基地', year: 2026, budget_fen: 100000, description: '一县一项目' };
		assertError(await post(w, w.staff, '/projects', pb), 403, 'forbidden', 'staff');
		assertError(await post(w, w.adminD, '/projects', pb), 404, 'not_found', 'district admin, county project');
		assertFieldError(await post(w, w.admin, '/projects', { ...pb, budget_fen: 0 }), 'budget_fen');
		const p = await ok(post(w, w.admin, '/projects', pb), 201, 'project');
		assert.equal(p.status, 'planned');
		assert.equal(p.funded_fen, 0);
		const p2 = await ok(post(w, w.admin, '/projects', { ...pb, org_id: w.d.id, name: '区困难职工服务站', year: 2025 }), 201, 'district project 2025');

		const city = await openAccount(w, 1, w.financeC, { name: '市总项目资金' });
		await deposit(w, city.id, 150000, w.financeC);
		const county = await openAccount(w, d2.id, w.financeC, { name: '县项目账户' });
		const dist = await openAccount(w, w.d.id, w.financeC, { name: '区账户' });
		const fund = (who, body) => post(w, who, `/projects/${p.id}/fundings`, body);
		const fb = { from_account_id: city.id, to_account_id: county.id, amount_fen: 60000 };
		assertError(await fund(w.admin, fb), 403, 'forbidden', 'admin funds');
		assertError(await fund(w.financeD, fb), 404, 'not_found', 'district finance: city account out of scope');
		assertFieldError(await fund(w.financeC, { ...fb, to_account_id: dist.id }), 'to_account_id', { what: "not the project's unit" });
		let f = await ok(fund(w.financeC, fb), 201, '60,000');
		assert.equal(f.funded_fen, 60000);
		assert.equal(f.fundings.length, 1);
		assert.equal(f.fundings[0].amount_fen, 60000);
		const tid = f.fundings[0].transfer_id;
		assert.ok(tid > 0, 'the funding is a fund transfer');
		const inRows = await checkLedger(w, county.id);
		assert.equal(inRows.at(-1).transfer_id, tid);
		assert.equal(inRows.at(-1).kind, 'transfer_in');

		const r = await fund(w.financeC, { ...fb, amount_fen: 40001 });
		assertFieldError(r, 'amount_fen', { what: 'one fen over the budget' });
		assert.equal(await balance(w, city.id), 90000, 'nothing moved');
		assert.equal(await balance(w, county.id), 60000, 'nothing moved');
		assert.equal((await ok(get(w, w.admin, `/projects/${p.id}`), 200, 'p')).funded_fen, 60000);
		// the budget allows it but the account does not: 409, nothing recorded
		await ok(post(w, w.financeC, '/fund-transfers', { from_account_id: city.id, to_account_id: dist.id, amount_fen: 80000 }), 201, 'spend the city');
		assertError(await fund(w.financeC, { ...fb, amount_fen: 40000 }), 409, 'insufficient_funds');
		assert.equal((await ok(get(w, w.admin, `/projects/${p.id}`), 200, 'p')).funded_fen, 60000, 'not counted');
		await deposit(w, city.id, 40000, w.financeC);
		f = await ok(fund(w.financeC, { ...fb, amount_fen: 40000 }), 201, 'the rest, to the fen');
		assert.equal(f.funded_fen, 100000);
		assertFieldError(await fund(w.financeC, { ...fb, amount_fen: 1 }), 'amount_fen', { what: 'full' });

		const patch = (body) => w.s.api('PATCH', `/projects/${p.id}`, { token: w.admin.token, body });
		assertFieldError(await patch({ status: 'planned' }), 'status');
		assertError(await w.s.api('PATCH', `/projects/${p.id}`, { token: w.financeC.token, body: { status: 'running' } }), 403, 'forbidden');
		assert.equal((await ok(patch({ status: 'running' }), 200, 'running')).status, 'running');
		const done = await ok(patch({ status: 'done', outcome: '培训 320 人次，就业 210 人' }), 200, 'done');
		assert.equal(done.status, 'done');
		assert.equal(done.outcome, '培训 320 人次，就业 210 人');
		assertError(await patch({ status: 'running' }), 409, 'invalid_transition', 'done → running');
		assert.equal((await ok(patch({ outcome: '追记：带动增收' }), 200, 'outcome only')).outcome, '追记：带动增收');

		const y26 = await listAll(s, '/projects?year=2026', w.admin.token);
		assert.deepEqual(y26.items.map((x) => [x.id, x.funded_fen]), [[p.id, 100000]]);
		const y25 = await listAll(s, '/projects?year=2025', w.admin.token);
		assert.deepEqual(y25.items.map((x) => x.id), [p2.id]);
		assert.deepEqual((await listAll(s, '/projects', w.financeD2.token)).items.map((x) => x.id), [p.id], 'the county sees its own');
		assertError(await get(w, w.financeD, `/projects/${p.id}`), 404, 'not_found');
		reconcile(s);
	});

	test('referrals: outcome once; a granted 低保 sets the archive and may change its suggested category; overdue after 30 days', T, async () => {
		const rb = { agency: 'civil_affairs', service: 'dibao', member_id: null, referred_on: '2026-03-02', note: '协助申请城市低保' };
		const url = (h) => `/households/${h.id}/agency-referrals`;
		assertError(await post(w, w.viewer, url(M), rb), 403, 'forbidden');
		assertError(await post(w, w.staff, url(C), rb), 404, 'not_found', 'S2 household');
		assertFieldError(await post(w, w.staff, url(M), { ...rb, agency: 'police' }), 'agency');
		assertFieldError(await post(w, w.staff, url(M), { ...rb, service: 'pension' }), 'service');
		assertFieldError(await post(w, w.staff, url(M), { ...rb, referred_on: '2026-12-01' }), 'referred_on');
		const other = await ok(post(w, w.staff, '/households', hhBody(w, 's1', { members: [{ name: '王小明', relation: 'child', id_number: w.p.female('20100101'), monthly_income_fen: 0 }] })), 201, 'with a member');
		const member = other.members[0];
		assertFieldError(await post(w, w.staff, url(M), { ...rb, member_id: member.id }), 'member_id', { what: 'a member of another household' });
		const own = await ok(post(w, w.staff, url(other), { ...rb, agency: 'education', service: 'tuition_waiver', member_id: member.id, referred_on: '2026-03-02' }), 201, 'for the member');
		assert.equal(own.member_name, '王小明');

		const before = await ok(get(w, w.admin, `/households/${M.id}`), 200, 'M');
		assert.equal(before.suggested_category, 'marginal');
		assert.equal(before.receives_dibao, false);
		const ref = await ok(post(w, w.staff, url(M), rb), 201, 'dibao referral');
		assert.equal(ref.status, 'pending');
		assert.equal(ref.overdue, false);
		const housing = await ok(post(w, w.staff, url(A), { ...rb, agency: 'housing', service: 'public_housing', referred_on: '2026-02-10' }), 201, 'housing');
		const tuition = await ok(post(w, w.staff, url(B), { ...rb, agency: 'education', service: 'tuition_waiver' }), 201, 'tuition');
		const med = await ok(post(w, w.staffS2, url(C), { ...rb, agency: 'health', service: 'medical_aid' }), 201, 'medical');

		// overdue: pending more than 30 days
		let od = await listAll(s, '/agency-referrals?overdue=true', w.staff.token);
		assert.deepEqual(od.items.map((x) => x.id), [], 'none yet (2026-02-10 is 20 days ago)');
		await w.setClock('2026-04-01T09:00:00Z');
		od = await listAll(s, '/agency-referrals?overdue=true', w.staff.token);
		assert.deepEqual(od.items.map((x) => x.id), [housing.id], 'referred 2026-03-02: 30 days, not more');
		let dash = await ok(get(w, w.staff, '/reports/dashboard'), 200, 'dashboard');
		assert.equal(dash.agency_referrals_overdue, 1);
		await w.setClock('2026-04-02T09:00:00Z');
		od = await listAll(s, '/agency-referrals?overdue=true', w.staff.token);
		assert.deepEqual(od.items.map((x) => x.id).sort((a, b) => a - b), [ref.id, housing.id, tuition.id, own.id].sort((a, b) => a - b), '31 days');
		assert.ok(od.items.every((x) => x.overdue === true));
		dash = await ok(get(w, w.admin, '/reports/dashboard'), 200, 'dashboard');
		assert.equal(dash.agency_referrals_overdue, 5, 'the city counts S2 too');
		await w.setClock('2026-04-03T09:00:00Z');

		// follow-up while pending
		const fu = await ok(post(w, w.staff, `/agency-referrals/${housing.id}/follow-ups`, { date: '2026-04-03', note: '电话询问住建局，材料已受理' }), 200, 'follow-up');
		assert.equal(fu.followed_up_on, '2026-04-03');
		assertFieldError(await post(w, w.staff, `/agency-referrals/${housing.id}/follow-ups`, { date: '2026-04-04', note: 'x' }), 'date');

		// outcome: refused once; a second outcome is 409 and changes nothing
		const out = (who, id, body) => post(w, who, `/agency-referrals/${id}/outcome`, body);
		assertFieldError(await out(w.staff, tuition.id, { outcome: 'maybe', decided_on: '2026-04-01' }), 'outcome');
		assertFieldError(await out(w.staff, tuition.id, { outcome: 'refused', decided_on: '2026-03-01' }), 'decided_on');
		assertError(await out(w.reviewer, tuition.id, { outcome: 'refused', decided_on: '2026-04-01' }), 403, 'forbidden');
		assertError(await out(w.staff, med.id, { outcome: 'refused', decided_on: '2026-04-01' }), 404, 'not_found', 'S2 referral');
		const refused = await ok(out(w.staff, tuition.id, { outcome: 'refused', decided_on: '2026-04-01', note: '不符合条件' }), 200, 'refused');
		assert.equal(refused.status, 'refused');
		assertError(await out(w.staff, tuition.id, { outcome: 'granted', decided_on: '2026-04-02' }), 409, 'invalid_transition', 'decided already');
		assert.equal((await ok(get(w, w.staff, `/agency-referrals/${tuition.id}`), 200, 't')).status, 'refused');
		assertError(await post(w, w.staff, `/agency-referrals/${tuition.id}/follow-ups`, { date: '2026-04-03', note: 'x' }), 409, 'invalid_transition');

		// a raised standard for the district: M's figures are not recomputed until the archive changes
		assertStatus(await s.api('POST', '/standards', { token: w.admin.token, body: { org_id: w.d.id, year: 2026, monthly_fen: 110000 } }), 201, 'standard');
		assert.equal((await ok(get(w, w.admin, `/households/${M.id}`), 200, 'M')).suggested_category, 'marginal');
		const g = await ok(out(w.staff, ref.id, { outcome: 'granted', decided_on: '2026-04-02', amount_fen: 93000, dibao_cert_no: '浙杭低保2026-0042' }), 200, 'granted');
		assert.equal(g.status, 'granted');
		assert.equal(g.amount_fen, 93000);
		assert.equal(g.overdue, false);
		const after = await ok(get(w, w.admin, `/households/${M.id}`), 200, 'M');
		assert.equal(after.receives_dibao, true, 'a granted dibao sets receives_dibao');
		assert.equal(after.dibao_cert_no, '浙杭低保2026-0042');
		assert.equal(after.suggested_category, 'dibao', 'recomputed: 100,000 ≤ 110,000');
		assertError(await out(w.staff, ref.id, { outcome: 'refused', decided_on: '2026-04-02' }), 409, 'invalid_transition');
		// a granted housing referral leaves the archive's dibao alone
		await ok(out(w.staff, housing.id, { outcome: 'granted', decided_on: '2026-04-03', amount_fen: null }), 200, 'housing granted');
		assert.equal((await ok(get(w, w.admin, `/households/${A.id}`), 200, 'A')).receives_dibao, false);

		const list = await listAll(s, '/agency-referrals?status=pending', w.admin.token);
		assert.deepEqual(list.items.map((x) => x.id).sort((a, b) => a - b), [own.id, med.id].sort((a, b) => a - b));
		const bySvc = await listAll(s, '/agency-referrals?service=dibao', w.staff.token);
		assert.deepEqual(bySvc.items.map((x) => x.id), [ref.id]);
		assert.ok(bySvc.items[0].household_name && !('id_number' in bySvc.items[0]), 'names, no ID numbers');
		assertFieldError(await get(w, w.staff, '/agency-referrals?status=lost'), 'status');
		const hh = await ok(get(w, w.staff, `/households/${M.id}/agency-referrals`), 200, 'household referrals');
		assert.deepEqual(hh.items.map((x) => x.id), [ref.id]);
		const au = await auditOf(w, 'household', M.id);
		assert.ok(au.some((x) => x.action === 'update' && /低保/.test(x.summary || x.message || JSON.stringify(x))), 'the archive change is audited');
		auditVerify(s);
	});

	test('the quarterly report: outreach per unit and in total', T, async () => {
		const r = await ok(get(w, w.admin, '/reports/quarterly?org_id=1&period=2026Q1'), 200, 'report');
		const o = r.total.outreach;
		assert.ok(o, 'total.outreach');
		// 2026Q1: the eight S1 activities, the S2 clinic, the fair and the training (all in March)
		assert.equal(o.activities, 11);
		assert.equal(o.attendance, 199 + 2 + 1, 'households attending outreach activities (the training: one enrolment)');
		assert.deepEqual(o.referrals, { made: 5, granted: 0 }, 'five referred in Q1, none decided in it');
		assert.deepEqual(o.projects, { count: 1, funded_fen: 100000 }, 'projects of 2026 (the year of the period)');
		const ud = r.units.find((u) => u.org_id === w.d.id).outreach;
		assert.equal(ud.activities, 11);
		assert.deepEqual(ud.projects, { count: 0, funded_fen: 0 });
		const u2 = r.units.find((u) => u.org_id === d2.id).outreach;
		assert.deepEqual(u2, { activities: 0, attendance: 0, referrals: { made: 0, granted: 0 }, projects: { count: 1, funded_fen: 100000 } });
		const q2 = await ok(get(w, w.admin, '/reports/quarterly?org_id=1&period=2026Q2'), 200, 'Q2');
		assert.deepEqual(q2.total.outreach.referrals, { made: 0, granted: 2 }, 'two granted in April');

		// the same figures in the workbook (sheet 活动与外联, the 合计 row) and the PDF
		const file = async (ext) => {
			const res = await fetch(`${s.base}/api/v1/reports/quarterly.${ext}?org_id=1&period=2026Q1`, { headers: { Authorization: `Bearer ${w.admin.token}` } });
			assert.equal(res.status, 200, `quarterly.${ext}`);
			const f = path.join(s.dir, `outreach.${ext}`);
			fs.writeFileSync(f, Buffer.from(await res.arrayBuffer()));
			return f;
		};
		const xr = spawnSync('python3', [path.join(REPO, 'tests/api/xlsx_read.py'), await file('xlsx')], { encoding: 'utf8', maxBuffer: 64 << 20 });
		assert.equal(xr.status, 0, xr.stderr);
		const sh = JSON.parse(xr.stdout).sheets.find((x) => x.name === '活动与外联');
		assert.ok(sh, 'a sheet 活动与外联');
		const rows = {};
		for (const [ref, c] of Object.entries(sh.cells)) {
			const [, col, row] = ref.match(/^([A-Z]+)(\d+)$/);
			(rows[row] ||= {})[col] = c.v;
		}
		const heads = Object.values(rows).find((r) => r.B === '开展活动（次）');
		assert.ok(heads, 'the first column is 开展活动（次）');
		assert.equal(Object.values(rows).find((r) => r.C === '转介件数' || r.D === '转介件数') ? 1 : 0, 1, 'the referral columns');
		const sum = Object.values(rows).find((r) => r.A === '合计');
		assert.deepEqual([sum.B, sum.C, sum.D, sum.E, sum.F, sum.G], [11, 202, 5, 0, 1, 1000], '合计: counts, and 100,000 fen as 1,000 yuan');
		const pt = spawnSync('pdftotext', ['-layout', await file('pdf'), '-'], { encoding: 'utf8' });
		assert.equal(pt.status, 0, pt.stderr);
		assert.match(pt.stdout, /十二、活动与外联/);
		assert.match(pt.stdout, /转介办成/);
	});

	test('bangfu check: the kept attendance, donations and fundings agree with their records, and a drift is named', T, async () => {
		let c = s.cli(['check']);
		assert.equal(c.code, 0, c.stdout + c.stderr);
		assert.match(c.stdout, /通过\s+活动捐款与项目拨款与记录一致/);
		const id = act.legal_outreach.id;
		s.sql(`UPDATE activities SET attendance = attendance + 1 WHERE id = ${id}`);
		c = s.cli(['check']);
		assert.equal(c.code, 1, 'a drift fails the check');
		assert.match(c.stdout, /失败\s+活动捐款与项目拨款与记录一致：活动的参加户数与参加记录不一致：1 处/);
		s.sql(`UPDATE activities SET attendance = attendance - 1 WHERE id = ${id}`);
		assert.equal(s.cli(['check']).code, 0, 'repaired');
	});
});
