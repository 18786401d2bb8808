// aid-fixture.mjs — shared set-up of the aid tests (programmes, applications,
// funds): the unit tree, the users of every role the aid workflow needs,
// active households made in bulk, and small request helpers.
import assert from 'node:assert/strict';
import { assertStatus, listAll, uniq } from './lib.mjs';
import { aidWorld as baseWorld, getHousehold } from './aid-world.mjs';
// the same helpers serve both fixture modules
export { balance, auditVerify, reconcile, getHousehold } from './aid-world.mjs';
import { addDays } from './idgen.mjs';

export const REGION = '330102';
export const START = '2026-03-02T09:00:00Z'; // a Monday

// The aid world is the campaign tests' world (aid-world.mjs) with a finance
// user in street S2 and both streets in region 330102: city(1) → district D
// → streets S1, S2, the standard 93000 fen for 2026, users of every role.
// w[key] gives {token, user}; tokens are renewed after every clock move.
export async function aidWorld(s, { extraUsers = {} } = {}) {
	return baseWorld(s, { extraUsers: { financeS2: ['s2', 'finance'], ...extraUsers }, streetRegion: REGION, label: 'aid' });
}

// A one-person household body of S1 (per-capita 50000 ≤ 93000).
export function hhBody(w, over = {}) {
	return {
		org_id: w.s1.id,
		name: uniq('王'),
		id_number: w.p.male(),
		phone: '13800138000',
		employer: '某某纺织厂',
		address: '上城区解放路 9 号',
		monthly_income_fen: 50000,
		causes: ['low_income'],
		housing: '租住公房',
		members: [],
		...over,
	};
}

// A member of a household body.
export function member(w, over = {}) {
	return { name: uniq('小王'), id_number: w.p.female('20080506'), relation: 'child', monthly_income_fen: 0,
		health: '健康', school_stage: 'none', disability: false, ...over };
}

const hhAct = async (w, id, who, body) => {
	const r = await w.s.api('POST', `/households/${id}/transitions`, { token: who.token, body });
	assertStatus(r, 200, `household ${id}: ${body.action}`);
	return r.json;
};

export async function createHousehold(w, body, who) {
	const r = await w.s.api('POST', '/households', { token: (who || w.staff).token, body });
	assertStatus(r, 201, `create household ${JSON.stringify(body).slice(0, 200)}`);
	return r.json;
}

// Makes one active household per body (in lockstep: create, submit,
// verification visit, verify, publish; the clock moves to the day after the
// notice; approve, enter).  Returns the household records (GET, with members).
export async function makeActive(w, bodies) {
	const hs = [];
	for (const b of bodies)
		hs.push(await createHousehold(w, b));
	for (const h of hs) {
		await hhAct(w, h.id, w.staff, { action: 'submit' });
		const v = await w.s.api('POST', `/households/${h.id}/visits`, { token: w.staff.token,
			body: { date: w.today(), kind: 'verification', visitor: 'x', notes: '入户核查' } });
		assertStatus(v, 201, 'verification visit');
		await hhAct(w, h.id, w.reviewer, { action: 'verify', category: 'dibao' });
	}
	let end = '';
	for (const h of hs) {
		const p = await hhAct(w, h.id, w.staff, { action: 'publish' });
		if (p.notice_end > end)
			end = p.notice_end;
	}
	if (hs.length) {
		const next = addDays(end, 1) + 'T09:00:00Z';
		if (next > w.clock)
			await w.setClock(next);
	}
	const out = [];
	for (const h of hs) {
		await hhAct(w, h.id, w.approverD, { action: 'approve' });
		const e = await hhAct(w, h.id, w.staff, { action: 'enter' });
		assert.equal(e.status, 'active');
		out.push(await getHousehold(w, h.id));
	}
	return out;
}

// --- programmes and applications -------------------------------------------

export async function programs(w, who) {
	const r = await w.s.api('GET', '/programs', { token: (who || w.admin).token });
	assertStatus(r, 200, 'GET /programs');
	assert.ok(Array.isArray(r.json.items), 'programs: items must be an array');
	return r.json.items;
}
export async function program(w, code) {
	const p = (await programs(w)).find((x) => x.code === code);
	assert.ok(p, `programme ${code} not listed`);
	return p;
}

export const LIVING_DOCS = ['救助申请书', '身份证复印件', '低保证或单位/社区出具的困难证明'];

// POST /applications (raw answer).
export function apply(w, body, who) {
	return w.s.api('POST', '/applications', { token: (who || w.staff).token,
		body: { member_id: null, reason: '', documents: [], ...body } });
}
// POST /applications expecting 201; returns the record.
export async function applyOk(w, body, who) {
	const r = await apply(w, body, who);
	assertStatus(r, 201, `apply ${JSON.stringify(body).slice(0, 200)}`);
	return r.json;
}

export const tr = (w, id, who, body) => w.s.api('POST', `/applications/${id}/transitions`, { token: who.token, body });
export async function trOk(w, id, who, body, status = 200) {
	const r = await tr(w, id, who, body);
	assertStatus(r, status, `application ${id}: ${body.action}`);
	return r.json;
}

export async function getApp(w, id, who) {
	const r = await w.s.api('GET', `/applications/${id}`, { token: (who || w.admin).token });
	assertStatus(r, 200, `GET application ${id}`);
	return r.json;
}

export async function appTotal(w) {
	const r = await w.s.api('GET', '/applications?limit=1', { token: w.admin.token });
	assertStatus(r, 200, 'GET /applications');
	return r.json.total;
}

export async function appEvents(w, id) {
	const r = await w.s.api('GET', `/applications/${id}/events`, { token: w.admin.token });
	assertStatus(r, 200, `events of ${id}`);
	assert.ok(Array.isArray(r.json.items), 'events: items must be an array');
	return r.json.items;
}

// --- funds -----------------------------------------------------------------

export async function openAccount(w, org_id, { source = 'union', name, who } = {}) {
	const r = await w.s.api('POST', '/fund-accounts', { token: (who || w.financeC).token,
		body: { org_id, source, year: 2026, name: name || uniq('账户') } });
	assertStatus(r, 201, `open account at ${org_id}`);
	assert.equal(r.json.balance_fen, 0);
	return r.json;
}
export async function deposit(w, id, amount_fen, who) {
	const r = await w.s.api('POST', `/fund-accounts/${id}/deposits`, { token: (who || w.financeC).token,
		body: { amount_fen, note: '拨入' } });
	assertStatus(r, 201, `deposit ${amount_fen} into ${id}`);
	return r.json;
}
export async function ledger(w, id, who) {
	return listAll(w.s, `/fund-accounts/${id}/ledger`, (who || w.financeC).token);
}

// --- dates -------------------------------------------------------------------

// The n-th working day after `date` (Mon–Fri, less `holidays`, plus `extra`).
export function workdaysAfter(date, n, { holidays = [], extra = [] } = {}) {
	let d = date;
	for (let k = 0; k < n;) {
		d = addDays(d, 1);
		const dow = new Date(d + 'T00:00:00Z').getUTCDay();
		const work = extra.includes(d) || (dow !== 0 && dow !== 6 && !holidays.includes(d));
		if (work)
			k++;
	}
	return d;
}
