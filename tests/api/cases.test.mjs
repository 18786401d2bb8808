// Reception cases (信访接待、12351 热线、来信、网上): intake by channel, the
// person (archived household or free entry), deadlines in working days, the
// workflow table with its refusals, scope between streets, the audit trail
// and the quarterly report figures.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertFieldError, assertStatus, listAll, limit } from './lib.mjs';
import { START, aidWorld, makeHouseholds, auditOf, auditVerify } from './aid-world.mjs';
import { badCheck, maskId } from './idgen.mjs';

const T = { timeout: limit(90000) };
const DAY0 = '2026-03-16T09:00:00Z'; // a Monday, after the households are made

const post = (w, who, p, body) => w.s.api('POST', p, { token: who.token, body });
const act = (w, id, who, body) => post(w, who, `/cases/${id}/actions`, body);
async function actOk(w, id, who, body) {
	const r = await act(w, id, who, body);
	assertStatus(r, 200, `case ${id}: ${body.action}`);
	return r.json;
}
function body(w, over = {}) {
	return {
		org_id: w.s1.id, channel: 'hotline', category: 'consultation', person_name: '赵六',
		phone: '13912345678', work_unit: '某某建筑公司', migrant_worker: true,
		subject: '咨询工伤认定', description: '来电咨询工伤认定的程序和材料', ...over,
	};
}
async function intake(w, who, over = {}) {
	const r = await post(w, who, '/cases', body(w, over));
	assertStatus(r, 201, `intake ${JSON.stringify(over)}`);
	return r.json;
}
async function getCase(w, id, who) {
	const r = await w.s.api('GET', `/cases/${id}`, { token: (who || w.admin).token });
	assertStatus(r, 200, `GET case ${id}`);
	return r.json;
}
const list = async (w, q, who) => listAll(w.s, `/cases?${q}`, (who || w.admin).token);
// walks a case up to `to` along the main line
async function walk(w, id, to, { result = '已答复', recovered_fen } = {}) {
	const line = ['assigned', 'in_progress', 'resolved', 'closed'];
	let c = await getCase(w, id);
	for (const st of line.slice(0, line.indexOf(to) + 1)) {
		if (c.status === st)
			continue;
		const b = { assigned: { action: 'assign', assigned_to: w.users.staff.id }, in_progress: { action: 'start' },
			resolved: { action: 'resolve', result, ...(recovered_fen !== undefined ? { recovered_fen } : {}) },
			closed: { action: 'close' } }[st];
		c = await actOk(w, id, w.staff, b);
	}
	return c;
}

describe('cases', () => {
	let s, w, H1, H2;
	before(async () => {
		s = await startServer({ clock: START });
		w = await aidWorld(s, { label: 'cases', extraUsers: { staff2: ['s1', 'staff'], staffS2: ['s2', 'staff'], finance: ['s1', 'finance'] } });
		[H1, H2] = await makeHouseholds(w, [{ org: 's1' }, { org: 's2' }]);
		await w.setClock(DAY0);
	});
	after(async () => { if (s) await s.stop(); });

	test('intake of a hotline call (free entry): 201, received, deadline, masked answer, trail', T, async () => {
		const idn = w.p.male();
		const c = await intake(w, w.staff, { id_number: idn });
		assert.equal(c.status, 'received');
		assert.equal(c.channel, 'hotline');
		assert.equal(c.channel_label, '12351热线');
		assert.equal(c.category, 'consultation');
		assert.equal(c.org_id, w.s1.id);
		assert.equal(c.household_id, null);
		assert.equal(c.person_name, '赵六');
		assert.equal(c.migrant_worker, true);
		assert.equal(c.received_on, '2026-03-16');
		assert.equal(c.deadline, '2026-03-19'); // consultation: 3 working days
		assert.equal(c.overdue, false);
		assert.equal(c.version, 1);
		assert.equal(c.id_number, maskId(idn));
		assert.equal(c.phone, '139****5678');
		assert.equal(c.recovered_fen, 0);
		assert.deepEqual(c.events.map((e) => [e.action, e.from, e.to]), [['receive', null, 'received']]);
		const audit = await auditOf(w, 'case', c.id);
		assert.deepEqual(audit.map((a) => a.action), ['create']);
		assert.ok(!JSON.stringify(audit).includes(idn), 'the audit never holds a full ID number');
	});

	test('intake linked to a household: person from the archive; out-of-scope and missing household → 404', T, async () => {
		const c = await intake(w, w.staff, { household_id: H1.id, person_name: undefined, phone: undefined, category: 'legal_aid', channel: 'window' });
		assert.equal(c.household_id, H1.id);
		assert.equal(c.household_name, H1.name);
		assert.equal(c.person_name, H1.name);
		assert.equal(c.id_number, maskId(H1.id_number));
		assert.equal(c.deadline, '2026-03-25'); // legal aid review: 7 working days
		const before = (await list(w, '')).total;
		assertError(await post(w, w.staff, '/cases', body(w, { household_id: H2.id })), 404, 'not_found', 'household of S2 for S1 staff');
		assertError(await post(w, w.staff, '/cases', body(w, { household_id: 999999 })), 404, 'not_found', 'no such household');
		assertError(await post(w, w.staff, '/cases', body(w, { org_id: w.s2.id })), 404, 'not_found', 'org of S2');
		assert.equal((await list(w, '')).total, before, 'refusals change nothing');
	});

	test('intake refusals: bad ID number, no name, unknown codes, unknown field, wrong role', T, async () => {
		const before = (await list(w, '')).total;
		assertFieldError(await post(w, w.staff, '/cases', body(w, { id_number: badCheck(w.p.male()) })), 'id_number');
		assertFieldError(await post(w, w.staff, '/cases', body(w, { id_number: '12345' })), 'id_number');
		assertFieldError(await post(w, w.staff, '/cases', body(w, { person_name: undefined })), 'person_name');
		assertFieldError(await post(w, w.staff, '/cases', body(w, { channel: 'fax' })), 'channel');
		assertFieldError(await post(w, w.staff, '/cases', body(w, { category: 'divorce' })), 'category');
		assertFieldError(await post(w, w.staff, '/cases', body(w, { subject: '' })), 'subject');
		assertFieldError(await post(w, w.staff, '/cases', body(w, { recovered_fen: 100 })), 'recovered_fen', { status: 400, code: 'bad_request' });
		assertError(await post(w, w.staff, '/cases', { ...body(w), org_id: 'x' }), 400, 'bad_request');
		for (const who of [w.viewer, w.finance, w.reviewer, w.approverS])
			assertError(await post(w, who, '/cases', body(w)), 403, 'forbidden', who.user.role);
		assert.equal((await list(w, '')).total, before, 'refusals change nothing');
		const c = await intake(w, w.admin, { channel: 'letter', category: 'other' });
		assert.equal(c.channel_label, '来信');
	});

	test('the main line: assign → start → resolve (wage arrears, money) → close; events, audit, version', T, async () => {
		const c = await intake(w, w.staff, { category: 'wage_arrears', channel: 'online', subject: '讨要拖欠工资' });
		assert.equal(c.deadline, '2026-03-30'); // 10 working days
		let x = await actOk(w, c.id, w.staff, { action: 'assign', assigned_to: w.users.staff2.id, version: 1 });
		assert.equal(x.status, 'assigned');
		assert.equal(x.assigned_to, w.users.staff2.id);
		assert.equal(x.assigned_name, w.users.staff2.name);
		assert.equal(x.version, 2);
		x = await actOk(w, c.id, w.staff2, { action: 'start' });
		assert.equal(x.status, 'in_progress');
		assertFieldError(await act(w, c.id, w.staff2, { action: 'resolve' }), 'result');
		assertFieldError(await act(w, c.id, w.staff2, { action: 'resolve', result: '已追回', recovered_fen: -1 }), 'recovered_fen');
		x = await actOk(w, c.id, w.staff2, { action: 'resolve', result: '协调企业支付拖欠工资', recovered_fen: 1234500 });
		assert.equal(x.status, 'resolved');
		assert.equal(x.recovered_fen, 1234500);
		assert.equal(x.result, '协调企业支付拖欠工资');
		assert.ok(x.finished_at);
		assert.equal(x.closed_at, null);
		// a reviewer checks the result and closes it
		x = await actOk(w, c.id, w.reviewer, { action: 'close', comment: '回访满意' });
		assert.equal(x.status, 'closed');
		assert.ok(x.closed_at);
		assert.deepEqual(x.events.map((e) => [e.action, e.from, e.to]), [
			['receive', null, 'received'], ['assign', 'received', 'assigned'], ['start', 'assigned', 'in_progress'],
			['resolve', 'in_progress', 'resolved'], ['close', 'resolved', 'closed']]);
		assert.equal(x.events[3].comment, '协调企业支付拖欠工资');
		assert.equal(x.events[4].user_id, w.users.reviewer.id);
		const ev = await w.s.api('GET', `/cases/${c.id}/events`, { token: w.viewer.token });
		assertStatus(ev, 200, 'events');
		assert.equal(ev.json.total, 5);
		const audit = await auditOf(w, 'case', c.id);
		assert.deepEqual(audit.map((a) => a.action).reverse(), ['create', 'assign', 'start', 'resolve', 'close']);
		// closed is final
		for (const action of ['assign', 'start', 'resolve', 'close', 'refer'])
			assertError(await act(w, c.id, w.staff, { action, ...(action === 'assign' ? { assigned_to: w.users.staff.id } : {}), ...(action === 'refer' ? { referred_to: '区法院' } : {}), ...(action === 'resolve' ? { result: 'x' } : {}) }), 409, 'invalid_transition', action);
		auditVerify(w.s);
	});

	test('refusals on actions: wrong state, wrong role (audited), bad assignee, money on a non-wage case, stale version', T, async () => {
		const c = await intake(w, w.staff, { category: 'labour_dispute' });
		assertError(await act(w, c.id, w.staff, { action: 'start' }), 409, 'invalid_transition', 'start from received');
		assertError(await act(w, c.id, w.staff, { action: 'close' }), 409, 'invalid_transition', 'close from received');
		assertError(await act(w, c.id, w.staff, { action: 'reopen' }), 409, 'invalid_transition', 'unknown action');
		const denied0 = (await auditOf(w, 'case', c.id)).filter((a) => a.action === 'denied').length;
		assertError(await act(w, c.id, w.viewer, { action: 'assign', assigned_to: w.users.staff.id }), 403, 'forbidden', 'viewer');
		assertError(await act(w, c.id, w.finance, { action: 'refer', referred_to: '劳动仲裁委' }), 403, 'forbidden', 'finance');
		assertError(await act(w, c.id, w.reviewer, { action: 'assign', assigned_to: w.users.staff.id }), 403, 'forbidden', 'reviewer assigns');
		assert.equal((await auditOf(w, 'case', c.id)).filter((a) => a.action === 'denied').length, denied0 + 3, 'refusals audited');
		assertFieldError(await act(w, c.id, w.staff, { action: 'assign' }), 'assigned_to');
		assertFieldError(await act(w, c.id, w.staff, { action: 'assign', assigned_to: w.users.reviewer.id }), 'assigned_to', { what: 'a reviewer is no assignee' });
		assertFieldError(await act(w, c.id, w.staff, { action: 'assign', assigned_to: w.users.staffS2.id }), 'assigned_to', { what: 'staff of another street' });
		assertFieldError(await act(w, c.id, w.staff, { action: 'assign', assigned_to: w.users.staffD.id }), 'assigned_to', { what: 'staff of the parent unit' });
		assertFieldError(await act(w, c.id, w.staff, { action: 'assign', assigned_to: 999999 }), 'assigned_to');
		assertFieldError(await act(w, c.id, w.staff, { action: 'refer' }), 'referred_to');
		assertError(await act(w, c.id, w.staff, { action: 'assign', assigned_to: 'x' }), 400, 'bad_request');
		let x = await getCase(w, c.id);
		assert.equal(x.status, 'received');
		assert.equal(x.version, 1, 'refusals change nothing');
		await actOk(w, c.id, w.staff, { action: 'assign', assigned_to: w.users.staff.id, version: 1 });
		// a second staff acting on the state they saw (version 1) loses
		assertError(await act(w, c.id, w.staff2, { action: 'assign', assigned_to: w.users.staff2.id, version: 1 }), 409, 'conflict', 'stale version');
		await actOk(w, c.id, w.staff, { action: 'start' });
		assertFieldError(await act(w, c.id, w.staff, { action: 'resolve', result: '调解成功', recovered_fen: 500 }), 'recovered_fen', { what: 'money on a labour dispute' });
		x = await getCase(w, c.id);
		assert.equal(x.status, 'in_progress');
		assert.equal(x.recovered_fen, 0);
		x = await actOk(w, c.id, w.staff, { action: 'resolve', result: '调解成功' });
		assert.equal(x.recovered_fen, 0);
	});

	test('concurrent actions on the same state (version 1): exactly one wins', T, async () => {
		const c = await intake(w, w.staff, {});
		const rs = await Promise.all([
			act(w, c.id, w.staff, { action: 'assign', assigned_to: w.users.staff.id, version: 1 }),
			act(w, c.id, w.staff2, { action: 'refer', referred_to: '区信访局', version: 1 }),
			act(w, c.id, w.staff2, { action: 'refer', referred_to: '市信访局', version: 1 }),
		]);
		const ok = rs.filter((r) => r.status === 200);
		assert.equal(ok.length, 1, `one winner: ${rs.map((r) => r.status)}`);
		for (const r of rs.filter((r) => r.status !== 200))
			assert.ok(r.status === 409 && ['conflict', 'invalid_transition'].includes(r.json.error.code), r.text);
		const x = await getCase(w, c.id);
		assert.equal(x.events.length, 2);
		assert.equal(x.version, 2);
	});

	test('referral (转办) from each open state; referred is final', T, async () => {
		for (const upto of [null, 'assigned', 'in_progress']) {
			const c = await intake(w, w.staff, { category: 'petition', channel: 'letter' });
			if (upto)
				await walk(w, c.id, upto);
			const x = await actOk(w, c.id, w.staff, { action: 'refer', referred_to: '区人力资源和社会保障局', comment: '属劳动保障监察职责' });
			assert.equal(x.status, 'referred');
			assert.equal(x.status_label, '已转办');
			assert.equal(x.referred_to, '区人力资源和社会保障局');
			assert.ok(x.finished_at);
			assert.equal(x.events.at(-1).comment, '区人力资源和社会保障局；属劳动保障监察职责');
			assertError(await act(w, c.id, w.staff, { action: 'start' }), 409, 'invalid_transition');
		}
		const c = await walk(w, (await intake(w, w.staff)).id, 'resolved');
		assertError(await act(w, c.id, w.staff, { action: 'refer', referred_to: 'x' }), 409, 'invalid_transition', 'resolved cannot be referred');
	});

	test('deadlines follow the working-day calendar; overdue by the one clock', T, async () => {
		const adm = w.admin;
		assertStatus(await w.s.api('PUT', '/calendar/2026-03-18', { token: adm.token, body: { workday: false, note: '测试假日' } }), 200);
		const c = await intake(w, w.staff, { category: 'legal_aid' });
		assert.equal(c.deadline, '2026-03-26', 'one holiday moves the 7th working day by one');
		assertStatus(await w.s.api('DELETE', '/calendar/2026-03-18', { token: adm.token, body: {} }), 204);
		const done = await walk(w, (await intake(w, w.staff)).id, 'resolved'); // consultation, due 03-19
		const open = await intake(w, w.staff); // due 03-19
		await w.setClock('2026-03-19T09:00:00Z'); // 17:00 in Beijing
		assert.equal((await getCase(w, open.id)).overdue, false, 'on the deadline day not yet overdue');
		await w.setClock('2026-03-20T09:00:00Z');
		assert.equal((await getCase(w, open.id)).overdue, true);
		assert.equal((await getCase(w, done.id)).overdue, false, 'a resolved case is never overdue');
		const over = await list(w, 'overdue=true');
		assert.ok(over.items.some((i) => i.id === open.id));
		assert.ok(!over.items.some((i) => i.id === done.id));
		assert.ok(over.items.every((i) => i.overdue && ['received', 'assigned', 'in_progress'].includes(i.status)));
		const dash = await w.s.api('GET', `/reports/dashboard?org_id=${w.s1.id}`, { token: w.viewer.token });
		assertStatus(dash, 200);
		assert.equal(dash.json.cases_overdue, over.items.filter((i) => i.org_id === w.s1.id).length);
		assert.equal(dash.json.cases_open, (await list(w, `org_id=${w.s1.id}`)).items.filter((i) => ['received', 'assigned', 'in_progress'].includes(i.status)).length);
		await w.setClock(DAY0);
	});

	test('list filters, paging, masking; scope isolation between streets', T, async () => {
		const mine = await intake(w, w.staffS2, { org_id: w.s2.id, person_name: '钱七', category: 'wage_arrears', channel: 'window' });
		const all = await list(w, '');
		assert.ok(all.total >= 10);
		for (const [q, pred] of [
			['status=received', (i) => i.status === 'received'],
			['category=wage_arrears', (i) => i.category === 'wage_arrears'],
			['channel=letter', (i) => i.channel === 'letter'],
			[`org_id=${w.s2.id}`, (i) => i.org_id === w.s2.id],
			[`assigned_to=${w.users.staff2.id}`, (i) => i.assigned_to === w.users.staff2.id],
			[`household_id=${H1.id}`, (i) => i.household_id === H1.id],
			['q=钱七', (i) => i.person_name === '钱七'],
		]) {
			const r = await list(w, q);
			assert.equal(r.total, all.items.filter(pred).length, q);
			assert.ok(r.total > 0, `${q} finds something`);
			assert.ok(r.items.every(pred), q);
		}
		const page = await w.s.api('GET', '/cases?limit=2&offset=1', { token: w.admin.token });
		assertStatus(page, 200);
		assert.equal(page.json.items.length, 2);
		assert.deepEqual(page.json.items.map((i) => i.id), all.items.slice(1, 3).map((i) => i.id));
		assert.ok(all.items.every((i) => !i.id_number || i.id_number.includes('*')), 'ID numbers masked in lists');
		assertFieldError(await w.s.api('GET', '/cases?status=open', { token: w.admin.token }), 'status');
		// street S1 does not see S2's case and vice versa
		const s1 = await list(w, '', w.staff);
		assert.ok(s1.items.every((i) => i.org_id === w.s1.id));
		assert.ok(!s1.items.some((i) => i.id === mine.id));
		assertError(await w.s.api('GET', `/cases/${mine.id}`, { token: w.staff.token }), 404, 'not_found');
		assertError(await w.s.api('GET', `/cases/${mine.id}/events`, { token: w.viewer.token }), 404, 'not_found');
		assertError(await act(w, mine.id, w.staff, { action: 'refer', referred_to: 'x' }), 404, 'not_found');
		assertError(await act(w, mine.id, w.viewer, { action: 'refer', referred_to: 'x' }), 404, 'not_found', 'scope before role');
		assertError(await w.s.api('GET', `/cases?org_id=${w.s2.id}`, { token: w.staff.token }), 404, 'not_found');
		const s2 = await list(w, '', w.staffS2);
		assert.deepEqual(s2.items.map((i) => i.id), [mine.id]);
		// the district sees both streets
		assert.equal((await list(w, '', w.staffD)).total, all.total - all.items.filter((i) => i.org_id === 1).length);
		assert.equal((await getCase(w, mine.id)).status, 'received', 'the refused actions changed nothing');
	});
});

describe('cases in the quarterly report', () => {
	let s, w;
	before(async () => {
		s = await startServer({ clock: START });
		w = await aidWorld(s, { label: 'cases-report', extraUsers: { staffS2: ['s2', 'staff'] } });
	});
	after(async () => { if (s) await s.stop(); });

	test('received, closed, finished, closure_rate, recovered_fen, overdue per unit and total', T, async () => {
		const at = (who, org, over) => intake(w, who, { org_id: org, ...over });
		// S1: wage arrears closed (8000 recovered), one referred, one open consultation (overdue by 03-31)
		const a = await at(w.staff, w.s1.id, { category: 'wage_arrears' });
		await walk(w, a.id, 'closed', { recovered_fen: 800000 });
		const b = await at(w.staff, w.s1.id, { category: 'petition' });
		await actOk(w, b.id, w.staff, { action: 'refer', referred_to: '区信访局' });
		await at(w.staff, w.s1.id, {});
		// S2: wage arrears resolved (3000 recovered, not closed), one legal aid in progress
		const d = await at(w.staffS2, w.s2.id, { category: 'wage_arrears' });
		await actOk(w, d.id, w.staffS2, { action: 'assign', assigned_to: w.users.staffS2.id });
		await actOk(w, d.id, w.staffS2, { action: 'start' });
		await actOk(w, d.id, w.staffS2, { action: 'resolve', result: '已追回', recovered_fen: 300000 });
		const e = await at(w.staffS2, w.s2.id, { category: 'legal_aid' });
		await actOk(w, e.id, w.staffS2, { action: 'assign', assigned_to: w.users.staffS2.id });
		await actOk(w, e.id, w.staffS2, { action: 'start' });
		// a case of the next quarter counts in neither figure of Q1
		await w.setClock('2026-04-01T09:00:00Z');
		await at(w.staff, w.s1.id, { category: 'other' });

		const rep = await w.s.api('GET', `/reports/quarterly?org_id=${w.d.id}&period=2026Q1`, { token: w.admin.token });
		assertStatus(rep, 200, 'report');
		const u1 = rep.json.units.find((u) => u.org_id === w.s1.id), u2 = rep.json.units.find((u) => u.org_id === w.s2.id);
		assert.deepEqual(u1.cases, { received: 3, closed: 1, finished: 2, closure_rate: 0.6667, recovered_fen: 800000 });
		assert.deepEqual(u2.cases, { received: 2, closed: 0, finished: 1, closure_rate: 0.5, recovered_fen: 300000 });
		assert.deepEqual(rep.json.total.cases, { received: 5, closed: 1, finished: 3, closure_rate: 0.6, recovered_fen: 1100000 });
		assert.equal(u1.overdue.cases, 1, 'the consultation was due 03-05');
		assert.equal(u2.overdue.cases, 1, 'legal aid due 03-11, still in progress');
		assert.equal(rep.json.total.overdue.cases, 2);

		const q2 = await w.s.api('GET', `/reports/quarterly?org_id=${w.d.id}&period=2026Q2`, { token: w.admin.token });
		assertStatus(q2, 200);
		assert.deepEqual(q2.json.total.cases, { received: 1, closed: 0, finished: 0, closure_rate: 0, recovered_fen: 0 });
		assert.equal(q2.json.total.overdue.cases, 3, 'Q1 cases still open at the end of Q2, and the April one (due in April)');

		// the city's report counts the district in its row
		const city = await w.s.api('GET', '/reports/quarterly?org_id=1&period=2026Q1', { token: w.admin.token });
		assertStatus(city, 200);
		assert.deepEqual(city.json.units.find((u) => u.org_id === w.d.id).cases, rep.json.total.cases);
		auditVerify(w.s);
	});
});
