// idgen.mjs — valid resident ID numbers (GB 11643) for the API tests.
//
// idNumber('110101', '19900307', 451) → '110101199003074514': region (6
// digits) + birth date (8) + sequence (3 digits; odd = male, even = female)
// + the ISO 7064 MOD 11-2 check character.
import assert from 'node:assert/strict';
import { assertStatus, uniq, regionCode } from './lib.mjs';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function checkChar(first17) {
	if (!/^\d{17}$/.test(first17))
		throw new Error(`checkChar wants 17 digits, got ${first17}`);
	let sum = 0;
	for (let i = 0; i < 17; i++)
		sum += Number(first17[i]) * WEIGHTS[i];
	return CHECK[sum % 11];
}

export function idNumber(region6, yyyymmdd, seq) {
	const region = String(region6);
	const date = String(yyyymmdd).replaceAll('-', '');
	if (!/^\d{6}$/.test(region) || !/^\d{8}$/.test(date))
		throw new Error(`idNumber(${region6}, ${yyyymmdd}, ${seq}): bad region or date`);
	const n = Number(seq);
	if (!Number.isInteger(n) || n < 0 || n > 999)
		throw new Error(`idNumber: seq must be 0..999, got ${seq}`);
	const first = region + date + String(n).padStart(3, '0');
	return first + checkChar(first);
}

// The same number with a wrong check character.
export function badCheck(id) {
	const good = id[17];
	const i = CHECK.indexOf(good);
	return id.slice(0, 17) + CHECK[(i + 1) % 11];
}

// The list mask: first 6 and last 4 characters around asterisks.
export function maskId(id) {
	return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
}

// --- household test fixtures ------------------------------------------------
// (kept here: lib.mjs belongs to the shared harness)

// people(): distinct valid ID numbers; male() has an odd sequence number,
// female() an even one.  The sequence numbers come from one counter per
// birth date for the whole process, so no two calls give the same number
// (the argument is only a label kept for readability).  With the default
// birth date a spent date moves on to the next day.
const used = new Map(); // "region+date+parity" → next index
function nextSeq(key) {
	const n = used.get(key) || 0;
	used.set(key, n + 1);
	return n;
}
export function people(_label, region = '330102') {
	const take = (odd, born, movable) => {
		for (let shift = 0; ; shift++) {
			const date = shift ? addDays(`${born.slice(0, 4)}-${born.slice(4, 6)}-${born.slice(6, 8)}`, shift).replaceAll('-', '') : born;
			const key = `${region}${date}${odd ? 1 : 0}`;
			const seq = nextSeq(key) * 2 + (odd ? 1 : 0);
			if (seq <= 999)
				return idNumber(region, date, seq);
			if (!movable)
				throw new Error(`people: sequence numbers of ${date} exhausted`);
		}
	};
	return {
		male: (born) => take(true, born || '19850615', !born),
		female: (born) => take(false, born || '19870320', !born),
	};
}

export const isoDate = (d) => d.toISOString().slice(0, 10);
export function addDays(date, n) {
	const d = new Date(date.slice(0, 10) + 'T00:00:00Z');
	d.setUTCDate(d.getUTCDate() + n);
	return isoDate(d);
}

// A household body: a worker (male) and a spouse (female).
export function hhBody(org_id, p, over = {}) {
	return {
		org_id,
		name: uniq('张'),
		id_number: p.male(),
		phone: '13800138000',
		employer: '某某机械厂',
		address: '上城区解放路 1 号',
		monthly_income_fen: 150000,
		causes: ['illness_family', 'low_income'],
		housing: '租住公房',
		notes: '测试',
		members: [{ name: '李四', id_number: p.female(), relation: 'spouse', monthly_income_fen: 0,
			health: '慢性病', school_stage: 'none', disability: false }],
		...over,
	};
}

// world(s): standard 93000 at the root for 2026 (or `years`), city(1) →
// district D → streets S1, S2 with the users named in `users` (w.staff1,
// w.reviewer1, ... each {token, user, record}); w.setClock() moves the clock.
const DEFAULT_USERS = ['staff1', 'reviewer1', 'approver', 'viewer1', 'staff2', 'reviewer2', 'staffD'];
export async function world(s, { years = [2026], clock = '2026-03-02T09:00:00Z', users = DEFAULT_USERS } = {}) {
	const w = { s, clock };
	const adm = await s.admin();
	for (const year of years) {
		const r = await s.api('POST', '/standards', { token: adm.token, body: { org_id: 1, year, monthly_fen: 93000 } });
		assertStatus(r, 201, `standard ${year}`);
	}
	w.d = await s.createOrg({ parent_id: 1, level: 'district', name: uniq('区') });
	w.s1 = await s.createOrg({ parent_id: w.d.id, level: 'street', name: uniq('街道甲'), region_code: regionCode() });
	w.s2 = await s.createOrg({ parent_id: w.d.id, level: 'street', name: uniq('街道乙'), region_code: regionCode() });
	const spec = {
		staff1: [w.s1.id, 'staff'], reviewer1: [w.s1.id, 'reviewer'], approver: [w.d.id, 'approver'],
		staff2: [w.s2.id, 'staff'], reviewer2: [w.s2.id, 'reviewer'],
		staffD: [w.d.id, 'staff'], viewerD: [w.d.id, 'viewer'], viewer1: [w.s1.id, 'viewer'],
		adminS1: [w.s1.id, 'admin'],
	};
	w.users = {};
	for (const k of users) {
		assert.ok(spec[k], `world: unknown user ${k}`);
		const [org_id, role] = spec[k];
		w.users[k] = await s.createUser({ org_id, role, name: `${k}用户` });
	}
	// Bearer tokens from `bangfu token create` (much cheaper than an argon2
	// POST /login), made when a user is first used.  After the clock moves
	// they have expired (30 idle minutes by the server's clock), so a fresh
	// one is made at the next use.
	const sess = {};
	const fresh = (username) => {
		const r = s.cli(['token', 'create', '--user', username]);
		assert.equal(r.code, 0, `bangfu token create --user ${username}: ${r.stderr}`);
		return r.stdout.trim();
	};
	for (const [k, u] of Object.entries(w.users)) {
		const user = { id: u.id, username: u.username, name: u.name, org_id: u.org_id, role: u.role };
		sess[k] = { user, record: u, stale: true, token: null, cookie: null, csrf: null };
		Object.defineProperty(w, k, {
			enumerable: true,
			get() {
				if (sess[k].stale)
					sess[k] = { ...sess[k], token: fresh(u.username), stale: false, cookie: null, csrf: null };
				return sess[k];
			},
		});
	}
	w.admin = await s.admin();
	w.relogin = async () => {
		for (const k of Object.keys(sess))
			sess[k].stale = true;
		w.admin = { ...w.admin, token: fresh(w.admin.user.username), cookie: null, csrf: null };
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

// Creates a household; checks that the 201 answer is masked (API.md
// "Privacy") and returns it with the full values of a reveal (by the root
// admin, audited as such) put in place, so that tests can reuse the numbers.
export async function createHh(w, body, tok) {
	const r = await w.s.api('POST', '/households', { token: (tok || w.staff1).token, body });
	assertStatus(r, 201, `create household ${JSON.stringify(body).slice(0, 200)}`);
	assertMasked(r.json, 'the 201 answer');
	return revealHh(w, r.json);
}

// A household record (masked, as the API gives it) with the full values of
// POST /households/{id}/reveal in place.
export async function revealHh(w, h, tok) {
	const r = await w.s.api('POST', `/households/${h.id}/reveal`, { token: (tok || w.admin).token, body: { reason: '测试核对' } });
	assertStatus(r, 200, `reveal household ${h.id}`);
	const full = r.json;
	const members = (h.members || []).map((m) => {
		const f = full.members.find((x) => x.id === m.id);
		assert.ok(f, `reveal names member ${m.id}`);
		return { ...m, id_number: f.id_number, birth_date: f.birth_date };
	});
	return { ...h, id_number: full.id_number, phone: full.phone, birth_date: full.birth_date, members };
}

// RULE privacy.masked: masked numbers, an age and never a birth date, for the
// worker and every member.
export function assertMasked(h, what = '') {
	assert.equal(h.masked, true, `${what}: masked`);
	const people = [h, ...(h.members || [])];
	for (const p of people) {
		assert.match(p.id_number, /^\d{6}\*{8}\d{3}[\dX]$/, `${what}: ${p.name}'s ID number masked`);
		assert.equal(p.birth_date, undefined, `${what}: no birth_date for ${p.name}`);
		assert.equal(typeof p.age, 'number', `${what}: an age for ${p.name}`);
		if (p.phone)
			assert.match(p.phone, /^\d{3}\*+\d{4}$/, `${what}: ${p.name}'s phone masked`);
	}
}

export async function act(w, id, who, body, status = 200) {
	const r = await w.s.api('POST', `/households/${id}/transitions`, { token: who.token, body });
	assertStatus(r, status, `${body.action} on ${id}`);
	return r.json;
}

export async function getHh(w, id, tok) {
	const r = await w.s.api('GET', `/households/${id}`, { token: (tok || w.admin).token });
	assertStatus(r, 200, `GET household ${id}`);
	return r.json;
}

// Walks households (in lockstep) from draft up to `target`
// (submitted|verified|in_notice|approved|active).  Moves the clock to the day
// after the latest notice end for approve (sessions are renewed).  `by`
// names the users (keys of w) for each role.  Returns the records.
const ORDER = ['draft', 'submitted', 'verified', 'in_notice', 'approved', 'active'];
export async function walk(w, ids, target, { category = 'dibao', by = {} } = {}) {
	const u = { staff: 'staff1', submitter: by.staff || 'staff1', reviewer: 'reviewer1', approver: 'approver', ...by };
	const upto = ORDER.indexOf(target);
	assert.ok(upto > 0, `walk: bad target ${target}`);
	const out = {};
	for (const id of ids)
		out[id] = await act(w, id, w[u.submitter], { action: 'submit' });
	if (upto >= 2) {
		for (const id of ids) {
			const v = await w.s.api('POST', `/households/${id}/visits`, { token: w[u.staff].token,
				body: { date: w.today(), kind: 'verification', visitor: '王核查', notes: '入户核查' } });
			assertStatus(v, 201, 'verification visit');
			out[id] = await act(w, id, w[u.reviewer], { action: 'verify', category });
		}
	}
	if (upto >= 3)
		for (const id of ids)
			out[id] = await act(w, id, w[u.staff], { action: 'publish' });
	if (upto >= 4) {
		const end = Object.values(out).map((h) => h.notice_end).sort().pop();
		await w.setClock(addDays(end, 1) + 'T09:00:00Z');
		for (const id of ids)
			out[id] = await act(w, id, w[u.approver], { action: 'approve' });
	}
	if (upto >= 5)
		for (const id of ids)
			out[id] = await act(w, id, w[u.staff], { action: 'enter' });
	return ids.map((id) => out[id]);
}
