// Employment services (职业介绍、技能培训、招聘会): job seekers linked to
// their open archive, the "4050" flag from the ID number, employers and
// vacancies, referrals with outcomes (a hired archived worker is suggested
// for exit and counts as a re-employed exit), trainings with enrolments and
// results, job fairs, the quarterly report's employment figures.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertFieldError, assertStatus, listAll, limit } from './lib.mjs';
import { START, aidWorld, makeHouseholds, getHousehold, hhAct, auditOf, auditVerify } from './aid-world.mjs';
import { badCheck, maskId } from './idgen.mjs';

const T = { timeout: limit(120000) };
const post = (w, who, p, body) => w.s.api('POST', p, { token: who.token, body });
const patch = (w, who, p, body) => w.s.api('PATCH', p, { token: who.token, body });
const get = (w, who, p) => w.s.api('GET', p, { token: who.token });

async function created(res, what) {
	assertStatus(res, 201, what);
	return res.json;
}

describe('employment services', () => {
	let s, w;
	let A1, D1, B1; // active of S1, draft of S1, active of S2
	const S = {}; // seekers
	const E = {}; // employers, vacancies
	before(async () => {
		s = await startServer({ clock: START });
		w = await aidWorld(s, { label: 'employment' });
		[A1, D1, B1] = await makeHouseholds(w, [{ org: 's1' }, { org: 's1', upto: 'draft' }, { org: 's2' }]);
	});
	after(async () => { if (s) await s.stop(); });

	test('job seekers: link to the open archive, 4050 flag, masked ID, validation, roles, scope', T, async () => {
		const a1 = await getHousehold(w, A1.id);
		const full = a1.id_number;
		assert.equal(full.length, 18);
		S.archived = await created(await post(w, w.staff, '/job-seekers', {
			org_id: w.s1.id, name: a1.name, id_number: full, phone: '13900001111', skills: '电工', wishes: '物业维修',
			certificates: ['再就业优惠证'],
		}), 'archived worker');
		assert.equal(S.archived.household_id, A1.id, 'linked to the open archive holding the ID number');
		assert.equal(S.archived.household_status, 'active');
		assert.equal(S.archived.archived, true);
		assert.equal(S.archived.id_number, maskId(full), 'the ID number is masked');
		assert.deepEqual(S.archived.certificates, ['再就业优惠证']);
		assert.equal(S.archived.status, 'seeking');
		assert.deepEqual(S.archived.referrals, []);

		// 4050: women of 40 or more, men of 50 or more, on the server's day (2026-03-…)
		const woman46 = w.p.female('19800101'), man46 = w.p.male('19800101'), man50 = w.p.male('19760101');
		S.woman46 = await created(await post(w, w.staff, '/job-seekers', { org_id: w.s1.id, name: '李女士', id_number: woman46 }), 'woman 46');
		S.man46 = await created(await post(w, w.staff, '/job-seekers', { org_id: w.s1.id, name: '赵先生', id_number: man46 }), 'man 46');
		S.man50 = await created(await post(w, w.admin, '/job-seekers', { org_id: w.s2.id, name: '钱先生', id_number: man50 }), 'man 50 in S2');
		assert.deepEqual([S.woman46.group_4050, S.man46.group_4050, S.man50.group_4050], [true, false, true]);
		assert.deepEqual([S.woman46.gender, S.man46.gender, S.woman46.age, S.man50.age], ['female', 'male', 46, 50]);
		assert.equal(S.woman46.household_id, null);
		assert.equal(S.woman46.archived, false);

		// refusals change nothing
		const body = { org_id: w.s1.id, name: '孙某', id_number: w.p.male('19900101') };
		assertFieldError(await post(w, w.staff, '/job-seekers', { ...body, id_number: badCheck(body.id_number) }), 'id_number', { what: 'bad check character' });
		assertFieldError(await post(w, w.staff, '/job-seekers', { ...body, name: '' }), 'name', { what: 'no name' });
		assertFieldError(await post(w, w.staff, '/job-seekers', { ...body, certificates: [''] }), 'certificates', { what: 'blank certificate' });
		assertError(await post(w, w.staff, '/job-seekers', { ...body, certificates: 'x' }), 400, 'bad_request', 'certificates not an array');
		assertError(await post(w, w.staff, '/job-seekers', { ...body, status: 'employed' }), 400, 'bad_request', 'unknown field');
		assertError(await post(w, w.staff, '/job-seekers', { ...body, id_number: woman46 }), 409, 'conflict', 'registered twice');
		assertError(await post(w, w.staff, '/job-seekers', { ...body, org_id: w.s2.id }), 404, 'not_found', 'staff of S1 in S2');
		for (const who of ['reviewer', 'approverS', 'financeC', 'viewer'])
			assertError(await post(w, w[who], '/job-seekers', body), 403, 'forbidden', `${who} registers`);
		const all = await listAll(s, '/job-seekers', w.admin.token);
		assert.equal(all.total, 4, 'refused registrations create nothing');

		const mine = await listAll(s, '/job-seekers', w.viewer.token);
		assert.deepEqual(mine.items.map((x) => x.id), [S.archived.id, S.woman46.id, S.man46.id], 'the viewer of S1 sees S1 only');
		assert.ok(mine.items.every((x) => x.id_number.includes('*')), 'lists mask ID numbers');
		const g = await listAll(s, '/job-seekers?group_4050=true', w.admin.token);
		assert.deepEqual(g.items.map((x) => x.id).sort((a, b) => a - b), [S.woman46.id, S.man50.id].sort((a, b) => a - b));
		const ar = await listAll(s, '/job-seekers?archived=true', w.admin.token);
		assert.deepEqual(ar.items.map((x) => x.id), [S.archived.id]);
		assertError(await get(w, w.staff, `/job-seekers/${S.man50.id}`), 404, 'not_found', 'seeker of S2 from S1');
		assertFieldError(await get(w, w.staff, '/job-seekers?status=bogus'), 'status');

		const upd = await patch(w, w.staff, `/job-seekers/${S.man46.id}`, { skills: '焊工', certificates: ['焊工证'] });
		assertStatus(upd, 200, 'patch seeker');
		assert.equal(upd.json.skills, '焊工');
		assert.deepEqual(upd.json.certificates, ['焊工证']);
		assertError(await patch(w, w.viewer, `/job-seekers/${S.man46.id}`, { skills: 'x' }), 403, 'forbidden', 'viewer edits');
		void D1;
	});

	test('employers and vacancies: scope, wages, open/closed', T, async () => {
		E.firm = await created(await post(w, w.staff, '/employers', { org_id: w.s1.id, name: '某物业公司', industry: '物业', contact: '周经理', phone: '0571-88880000' }), 'employer');
		E.firm2 = await created(await post(w, w.staffD, '/employers', { org_id: w.s2.id, name: '某超市' }), 'employer of S2');
		assertError(await post(w, w.staff, '/employers', { org_id: w.s2.id, name: 'x' }), 404, 'not_found', 'employer in S2 by S1');
		assertError(await post(w, w.financeC, '/employers', { org_id: w.s1.id, name: 'x' }), 403, 'forbidden', 'finance');
		E.job = await created(await post(w, w.staff, '/vacancies', { employer_id: E.firm.id, title: '维修工', positions: 2, wage_min_fen: 300000, wage_max_fen: 450000 }), 'vacancy');
		assert.equal(E.job.status, 'open');
		assert.equal(E.job.org_id, w.s1.id);
		assert.equal(E.job.employer_name, '某物业公司');
		assertFieldError(await post(w, w.staff, '/vacancies', { employer_id: E.firm.id, title: 'x', positions: 1, wage_min_fen: 5, wage_max_fen: 4 }), 'wage_max_fen');
		assertFieldError(await post(w, w.staff, '/vacancies', { employer_id: E.firm.id, title: 'x', positions: 0 }), 'positions');
		assertError(await post(w, w.staff, '/vacancies', { employer_id: E.firm2.id, title: 'x', positions: 1 }), 404, 'not_found', 'vacancy of an S2 employer');
		E.other = await created(await post(w, w.staff, '/vacancies', { employer_id: E.firm.id, title: '保洁员', positions: 1 }), 'second vacancy');
		E.closed = await created(await post(w, w.staff, '/vacancies', { employer_id: E.firm.id, title: '门卫', positions: 1 }), 'third vacancy');
		const c = await patch(w, w.staff, `/vacancies/${E.closed.id}`, { status: 'closed' });
		assertStatus(c, 200, 'close');
		assert.equal(c.json.status, 'closed');
		assertFieldError(await patch(w, w.staff, `/vacancies/${E.closed.id}`, { status: 'gone' }), 'status');
		const firm = await get(w, w.viewer, `/employers/${E.firm.id}`);
		assertStatus(firm, 200);
		assert.deepEqual(firm.json.vacancies.map((v) => v.title), ['维修工', '保洁员', '门卫']);
		const open = await listAll(s, '/vacancies?status=open', w.viewer.token);
		assert.deepEqual(open.items.map((v) => v.id), [E.job.id, E.other.id]);
	});

	test('referrals: pending once, outcome once; hired archived worker → exit suggestion, re-employed exit', T, async () => {
		const r1 = await created(await post(w, w.staff, '/referrals', { seeker_id: S.archived.id, vacancy_id: E.job.id, note: '推荐面试' }), 'referral');
		assert.equal(r1.outcome, 'pending');
		assert.equal(r1.date, w.today());
		assert.equal(r1.org_id, w.s1.id);
		assertError(await post(w, w.staff, '/referrals', { seeker_id: S.archived.id, vacancy_id: E.job.id }), 409, 'conflict', 'the same pending referral');
		assertFieldError(await post(w, w.staff, '/referrals', { seeker_id: S.woman46.id, vacancy_id: E.closed.id }), 'vacancy_id', { what: 'a closed vacancy' });
		assertError(await post(w, w.staff, '/referrals', { seeker_id: S.man50.id, vacancy_id: E.job.id }), 404, 'not_found', 'seeker of S2');
		assertError(await post(w, w.viewer, '/referrals', { seeker_id: S.woman46.id, vacancy_id: E.job.id }), 403, 'forbidden', 'viewer refers');
		const r2 = await created(await post(w, w.staff, '/referrals', { seeker_id: S.woman46.id, vacancy_id: E.other.id }), 'second referral');
		const r3 = await created(await post(w, w.staff, '/referrals', { seeker_id: S.man46.id, vacancy_id: E.job.id }), 'third referral');

		const before = await getHousehold(w, A1.id);
		assert.equal(before.exit_suggested, false);
		const p = `/referrals/${r1.id}/outcome`;
		assertFieldError(await post(w, w.staff, p, { outcome: 'maybe' }), 'outcome');
		assertError(await post(w, w.reviewer, p, { outcome: 'hired' }), 403, 'forbidden', 'reviewer records');
		assert.equal((await getHousehold(w, A1.id)).version, before.version, 'refusals change nothing');
		const hired = await post(w, w.staff, p, { outcome: 'hired', note: '已签合同' });
		assertStatus(hired, 200, 'hired');
		assert.equal(hired.json.outcome, 'hired');
		assert.equal(hired.json.outcome_date, w.today());
		assertError(await post(w, w.staff, p, { outcome: 'rejected' }), 409, 'invalid_transition', 'outcome twice');
		assertStatus(await post(w, w.staff, `/referrals/${r2.id}/outcome`, { outcome: 'no_show' }), 200);
		assertStatus(await post(w, w.staff, `/referrals/${r3.id}/outcome`, { outcome: 'rejected' }), 200);

		const seeker = (await get(w, w.staff, `/job-seekers/${S.archived.id}`)).json;
		assert.equal(seeker.status, 'employed');
		assert.deepEqual(seeker.referrals.map((x) => x.outcome), ['hired']);
		assertFieldError(await post(w, w.staff, '/referrals', { seeker_id: S.archived.id, vacancy_id: E.other.id }), 'seeker_id', { what: 'an employed seeker' });

		const h = await getHousehold(w, A1.id);
		assert.equal(h.exit_suggested, true, 're-employment suggests the exit');
		assert.equal(h.status, 'active', 'nothing exits by itself');
		const ev = (await get(w, w.admin, `/households/${A1.id}/events`)).json.items;
		const re = ev.find((e) => e.action === 'reemployed');
		assert.ok(re, `a reemployed event: ${JSON.stringify(ev.map((e) => e.action))}`);
		assert.match(re.comment, /某物业公司/);
		const sugg = await listAll(s, '/households?exit_suggested=true', w.admin.token);
		assert.deepEqual(sugg.items.map((x) => x.id), [A1.id]);

		// the exit goes through the normal workflow
		const out = await hhAct(w, A1.id, w.approverS, { action: 'exit', exit_reason: '再就业' });
		assert.equal(out.status, 'exited');
		const list = await listAll(s, `/referrals?outcome=hired`, w.viewer.token);
		assert.deepEqual(list.items.map((x) => x.id), [r1.id]);
		assert.deepEqual((await auditOf(w, 'referral', r1.id)).map((e) => e.action).sort(), ['create', 'denied', 'outcome'], 'the refused step is audited too');
		void B1;
	});

	test('trainings: capacity, one enrolment each, results once, certificates', T, async () => {
		const tr = await created(await post(w, w.staff, '/trainings', { org_id: w.s1.id, name: '家政服务培训', provider: '市职业技能学校', start_date: '2026-03-16', end_date: '2026-03-27', capacity: 2 }), 'training');
		assert.equal(tr.enrolled, 0);
		assertFieldError(await post(w, w.staff, '/trainings', { org_id: w.s1.id, name: 'x', start_date: '2026-03-16', end_date: '2026-03-01', capacity: 2 }), 'end_date');
		assertFieldError(await post(w, w.staff, '/trainings', { org_id: w.s1.id, name: 'x', start_date: '2026-03-16', end_date: '2026-03-20', capacity: 0 }), 'capacity');
		const p = `/trainings/${tr.id}/enrolments`;
		const e1 = await created(await post(w, w.staff, p, { seeker_id: S.woman46.id }), 'enrol 1');
		assert.equal(e1.enrolled, 1);
		assertError(await post(w, w.staff, p, { seeker_id: S.woman46.id }), 409, 'conflict', 'enrolled twice');
		assertError(await post(w, w.staff, p, { seeker_id: S.man50.id }), 404, 'not_found', 'seeker of S2');
		await created(await post(w, w.staff, p, { seeker_id: S.man46.id }), 'enrol 2');
		assertFieldError(await post(w, w.staff, p, { seeker_id: S.archived.id }), 'seeker_id', { what: 'over capacity' });
		const t2 = (await get(w, w.viewer, `/trainings/${tr.id}`)).json;
		assert.equal(t2.enrolled, 2);
		const [en1, en2] = t2.enrolments;
		assert.equal(en1.result, 'pending');
		const rp = (eid) => `/trainings/${tr.id}/enrolments/${eid}/result`;
		assertFieldError(await post(w, w.staff, rp(en2.id), { result: 'failed', certificate: 'x' }), 'certificate');
		assertFieldError(await post(w, w.staff, rp(en2.id), { result: 'great' }), 'result');
		assertError(await post(w, w.staff, rp(999999), { result: 'passed' }), 404, 'not_found', 'unknown enrolment');
		const ok = await post(w, w.staff, rp(en1.id), { result: 'passed', certificate: '家政服务员（初级）' });
		assertStatus(ok, 200, 'passed');
		assert.equal(ok.json.passed, 1);
		assertError(await post(w, w.staff, rp(en1.id), { result: 'failed' }), 409, 'invalid_transition', 'result twice');
		assertStatus(await post(w, w.staff, rp(en2.id), { result: 'failed' }), 200);
		const sk = (await get(w, w.staff, `/job-seekers/${S.woman46.id}`)).json;
		assert.deepEqual(sk.certificates, ['家政服务员（初级）'], 'the certificate joins the seeker');
		assert.deepEqual(sk.enrolments.map((x) => x.result), ['passed']);
	});

	test('job fairs: counts, validation, scope', T, async () => {
		const f = await created(await post(w, w.staff, '/job-fairs', { org_id: w.s1.id, name: '春风行动招聘会', date: '2026-03-20', place: '街道广场', employers: 12, vacancies: 150 }), 'fair');
		assert.deepEqual([f.employers, f.vacancies, f.visitors, f.agreements], [12, 150, 0, 0]);
		const u = await patch(w, w.staff, `/job-fairs/${f.id}`, { visitors: 800, agreements: 65 });
		assertStatus(u, 200);
		assert.deepEqual([u.json.employers, u.json.visitors, u.json.agreements], [12, 800, 65]);
		assertFieldError(await patch(w, w.staff, `/job-fairs/${f.id}`, { visitors: -1 }), 'visitors');
		assertFieldError(await post(w, w.staff, '/job-fairs', { org_id: w.s1.id, name: 'x', date: '2026-02-30' }), 'date');
		assertError(await post(w, w.staff, '/job-fairs', { org_id: w.s2.id, name: 'x', date: '2026-03-20' }), 404, 'not_found', 'fair in S2');
		const f2 = await created(await post(w, w.staffD, '/job-fairs', { org_id: w.s2.id, name: '乙街道招聘会', date: '2026-03-21' }), 'fair in S2');
		assertError(await get(w, w.staff, `/job-fairs/${f2.id}`), 404, 'not_found', 'fair of S2 from S1');
		assert.equal((await get(w, w.staff, `/job-fairs/${f.id}`)).json.visitors, 800);
	});

	test('quarterly report: employment figures per unit match what happened', T, async () => {
		const r = await get(w, w.admin, `/reports/quarterly?org_id=${w.d.id}&period=2026Q1`);
		assertStatus(r, 200, 'report');
		const s1 = r.json.units.find((u) => u.org_id === w.s1.id), s2 = r.json.units.find((u) => u.org_id === w.s2.id);
		assert.deepEqual(s1.employment, { seekers_registered: 3, referrals: 3, hired: 1, trainings: 1, trained: 1, reemployed_exits: 1 });
		assert.deepEqual(s2.employment, { seekers_registered: 1, referrals: 0, hired: 0, trainings: 0, trained: 0, reemployed_exits: 0 });
		assert.deepEqual(r.json.total.employment, { seekers_registered: 4, referrals: 3, hired: 1, trainings: 1, trained: 1, reemployed_exits: 1 });
		assert.equal(s1.households.exited, 1);
		const q2 = await get(w, w.admin, `/reports/quarterly?org_id=${w.d.id}&period=2026Q2`);
		assert.deepEqual(q2.json.total.employment, { seekers_registered: 0, referrals: 0, hired: 0, trainings: 0, trained: 0, reemployed_exits: 0 });
		auditVerify(s);
	});

	// RULE scope.id_link: a seeker of S1 with the ID number of S2's archived
	// worker says nothing of that archive to S1 (the household itself is a
	// 404 for S1); the district, which sees both, gets the link.
	test('an ID number links only to an archive in the caller\'s scope', T, async () => {
		const b1 = await getHousehold(w, B1.id);
		assertError(await get(w, w.staff, `/households/${B1.id}`), 404, 'not_found', 'S2\'s archive from S1');
		const x = await created(await post(w, w.staff, '/job-seekers', { org_id: w.s1.id, name: b1.name, id_number: b1.id_number }),
			'a seeker of S1 with the ID number of S2\'s worker');
		const nothing = (o, what) => assert.deepEqual([o.household_id, o.household_status, o.archived], [null, null, false], what);
		nothing(x, 'the 201 answer');
		nothing((await get(w, w.staff, `/job-seekers/${x.id}`)).json, 'GET by S1');
		nothing((await listAll(s, '/job-seekers', w.viewer.token)).items.find((i) => i.id === x.id), 'the list of S1');
		assert.ok(!(await listAll(s, '/job-seekers?archived=true', w.viewer.token)).items.some((i) => i.id === x.id),
			'not among S1\'s archived seekers');
		const d = (await get(w, w.staffD, `/job-seekers/${x.id}`)).json;
		assert.deepEqual([d.household_id, d.household_status, d.archived], [B1.id, 'active', true], 'the district sees the link');
		assert.ok((await listAll(s, '/job-seekers?archived=true', w.staffD.token)).items.some((i) => i.id === x.id));
	});
});
