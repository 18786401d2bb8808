// aid-world.mjs — the small world of the campaign, goods and loan tests:
// city(1) → district D (region 330102) → streets S1, S2; the users of every
// role those features need; active households of given confirmed
// categories made in lockstep; fund helpers and the CLI checks.
import assert from 'node:assert/strict';
import { assertStatus, listAll, uniq, regionCode } from './lib.mjs';
import { people, addDays, revealHh } from './idgen.mjs';

export const START = '2026-03-02T09:00:00Z'; // a Monday
export const REGION = '330102';

// key → [org key, role]
const USERS = {
	staff: ['s1', 'staff'],
	reviewer: ['s1', 'reviewer'],
	approverS: ['s1', 'approver'],
	approverD: ['d', 'approver'],
	approverC: ['city', 'approver'],
	financeC: ['city', 'finance'],
	financeD: ['d', 'finance'],
	viewer: ['s1', 'viewer'],
	// households of S2 are made by the district's staff and reviewer
	staffD: ['d', 'staff'],
	reviewerD: ['d', 'reviewer'],
};

// aidWorld(s): the standard (93000 fen, root, 2026), the tree and the users.
// w[key] is {token, user} (tokens from `bangfu token create`, renewed after
// every clock move: sessions expire after 30 idle minutes of the clock).
// Options: extraUsers (more key → [org key, role]), streetRegion (the streets'
// region code; a fresh one by default), label (of the ID number series).
export async function aidWorld(s, { extraUsers = {}, streetRegion, label = 'aid-world' } = {}) {
	const w = { s, clock: START, p: people(label, REGION) };
	const adm = await s.admin();
	assertStatus(await s.api('POST', '/standards', { token: adm.token, body: { org_id: 1, year: 2026, monthly_fen: 93000 } }), 201, 'standard 2026');
	w.d = await s.createOrg({ parent_id: 1, level: 'district', name: uniq('区'), region_code: REGION });
	w.s1 = await s.createOrg({ parent_id: w.d.id, level: 'street', name: uniq('街道甲'), region_code: streetRegion || regionCode() });
	w.s2 = await s.createOrg({ parent_id: w.d.id, level: 'street', name: uniq('街道乙'), region_code: streetRegion || regionCode() });
	w.orgOf = { city: 1, d: w.d.id, s1: w.s1.id, s2: w.s2.id };
	w.users = {};
	const sess = {};
	const fresh = (username) => {
		const r = s.cli(['token', 'create', '--user', username]);
		assert.equal(r.code, 0, `bangfu token create --user ${username}: ${r.stderr}`);
		return r.stdout.trim();
	};
	w.addUser = async (key, orgKey, role) => {
		const u = await s.createUser({ org_id: w.orgOf[orgKey] ?? orgKey, role, name: `${key}用户` });
		w.users[key] = u;
		sess[key] = { stale: true, token: null, user: { id: u.id, username: u.username, org_id: u.org_id, role: u.role } };
		Object.defineProperty(w, key, {
			enumerable: true, configurable: true,
			get() {
				if (sess[key].stale)
					sess[key] = { ...sess[key], token: fresh(u.username), stale: false };
				return sess[key];
			},
		});
		return u;
	};
	for (const [k, [o, role]] of Object.entries({ ...USERS, ...extraUsers }))
		await w.addUser(k, o, role);
	w.admin = adm;
	w.relogin = async () => {
		for (const k of Object.keys(sess))
			sess[k].stale = true;
		w.admin = { ...w.admin, token: fresh(w.admin.user.username) };
		s._admin = w.admin;
	};
	w.setClock = async (c) => {
		w.clock = c;
		s.setClock(c);
		await w.relogin();
	};
	w.today = () => w.clock.slice(0, 10);
	return w;
}

// A one-person household body (per-capita 50000 ≤ 93000) of org key `org`.
export function hhBody(w, org = 's1', over = {}) {
	return {
		org_id: w.orgOf[org],
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

export async function hhAct(w, id, who, body, status = 200) {
	const r = await w.s.api('POST', `/households/${id}/transitions`, { token: who.token, body });
	assertStatus(r, status, `household ${id}: ${body.action}`);
	return r.json;
}

// The record as GET /households/{id} gives it (masked), with the full
// numbers and birth dates of a reveal by the admin put in place.
export async function getHousehold(w, id) {
	const r = await w.s.api('GET', `/households/${id}`, { token: w.admin.token });
	assertStatus(r, 200, `GET household ${id}`);
	return revealHh(w, r.json);
}

const staffOf = (w, org) => (org === 's1' ? w.staff : w.staffD);
const reviewerOf = (w, org) => (org === 's1' ? w.reviewer : w.reviewerD);

// Creates one household per spec {org: 's1'|'s2', category, upto} and walks
// them in lockstep up to `upto` (draft|verified|in_notice|approved|active,
// default active): create, submit, verification visit, verify with the
// category, publish; the clock moves to the day after the latest notice end
// (sessions renewed); approve (district approver, who never submits), enter.
// Returns the household records (GET), in the order of the specs.
const ORDER = ['draft', 'submitted', 'verified', 'in_notice', 'approved', 'active'];
export async function makeHouseholds(w, specs) {
	const hs = [];
	for (const sp of specs) {
		const org = sp.org || 's1';
		const r = await w.s.api('POST', '/households', { token: staffOf(w, org).token, body: hhBody(w, org, sp.body) });
		assertStatus(r, 201, 'create household');
		hs.push({ id: r.json.id, org, category: sp.category || 'dibao', upto: ORDER.indexOf(sp.upto || 'active') });
		assert.ok(hs.at(-1).upto >= 0, `makeHouseholds: bad upto ${sp.upto}`);
	}
	for (const h of hs.filter((x) => x.upto >= 1))
		await hhAct(w, h.id, staffOf(w, h.org), { action: 'submit' });
	for (const h of hs.filter((x) => x.upto >= 2)) {
		const v = await w.s.api('POST', `/households/${h.id}/visits`, { token: staffOf(w, h.org).token,
			body: { date: w.today(), kind: 'verification', visitor: '王核查', notes: '入户核查' } });
		assertStatus(v, 201, 'verification visit');
		const ver = await hhAct(w, h.id, reviewerOf(w, h.org), { action: 'verify', category: h.category });
		assert.equal(ver.category, h.category);
	}
	let end = '';
	for (const h of hs.filter((x) => x.upto >= 3)) {
		const p = await hhAct(w, h.id, staffOf(w, h.org), { action: 'publish' });
		if (p.notice_end > end)
			end = p.notice_end;
	}
	if (hs.some((x) => x.upto >= 4)) {
		const next = addDays(end, 1) + 'T09:00:00Z';
		if (next > w.clock)
			await w.setClock(next);
		for (const h of hs.filter((x) => x.upto >= 4))
			await hhAct(w, h.id, w.approverD, { action: 'approve' });
	}
	for (const h of hs.filter((x) => x.upto >= 5)) {
		const e = await hhAct(w, h.id, staffOf(w, h.org), { action: 'enter' });
		assert.equal(e.status, 'active');
	}
	const out = [];
	for (const h of hs)
		out.push(await getHousehold(w, h.id));
	return out;
}

// --- funds -----------------------------------------------------------------

export async function openAccount(w, org_id, who, { source = 'union', name } = {}) {
	const r = await w.s.api('POST', '/fund-accounts', { token: who.token,
		body: { org_id, source, year: 2026, name: name || uniq('账户') } });
	assertStatus(r, 201, `open account at ${org_id}`);
	assert.equal(r.json.balance_fen, 0);
	return r.json;
}
export async function deposit(w, id, amount_fen, who) {
	const r = await w.s.api('POST', `/fund-accounts/${id}/deposits`, { token: who.token, body: { amount_fen, note: '拨入' } });
	assertStatus(r, 201, `deposit ${amount_fen} into ${id}`);
	return r.json;
}
export async function balance(w, id, who) {
	const r = await w.s.api('GET', `/fund-accounts/${id}`, { token: (who || w.financeC).token });
	assertStatus(r, 200, `GET account ${id}`);
	return r.json.balance_fen;
}
export async function ledger(w, id, who) {
	return (await listAll(w.s, `/fund-accounts/${id}/ledger`, (who || w.financeC).token)).items;
}
// The ledger's balance_fen runs (each row: previous + amount) and ends at
// the account's balance.  Returns the rows.
export async function checkLedger(w, id) {
	const rows = await ledger(w, id);
	let run = 0;
	for (const row of rows) {
		run += row.amount_fen;
		assert.equal(row.balance_fen, run, `running balance of account ${id}: ${JSON.stringify(row)}`);
		assert.ok(row.balance_fen >= 0, 'a balance never goes negative');
	}
	assert.equal(run, await balance(w, id), `the ledger of ${id} sums to its balance`);
	return rows;
}

// --- applications ------------------------------------------------------------

export async function applications(w, query, who) {
	return listAll(w.s, `/applications?${query}`, (who || w.admin).token);
}
export const appTr = (w, id, who, body) => w.s.api('POST', `/applications/${id}/transitions`, { token: who.token, body });
export async function appTrOk(w, id, who, body) {
	const r = await appTr(w, id, who, body);
	assertStatus(r, 200, `application ${id}: ${body.action}`);
	return r.json;
}

// --- CLI checks --------------------------------------------------------------

export function auditVerify(s) {
	const r = s.cli(['audit', 'verify']);
	assert.equal(r.code, 0, `bangfu audit verify: ${r.stdout}\n${r.stderr}`);
}
export function reconcile(s) {
	const r = s.cli(['funds', 'reconcile', '--db', s.dbUrl]);
	assert.equal(r.code, 0, `bangfu funds reconcile: ${r.stdout}\n${r.stderr}`);
}
export async function auditOf(w, entity, entity_id) {
	const q = entity_id ? `/audit?entity=${entity}&entity_id=${entity_id}` : `/audit?entity=${entity}`;
	return (await listAll(w.s, q, w.admin.token)).items;
}
