// Reports (统计上报): GET /reports/quarterly and /reports/dashboard.
//
// One known world is built through the API, walking the clock through 2026:
// city(1) → district D → streets S1 (with a grassroots union G under it) and
// S2; households entered, exited, rejected and left half-way at known dates;
// applications disbursed before, inside and after 2026Q3; deposits,
// transfers (city → S1, D → S2), a refund; visits.  Then every cell of the
// district's Q3 report (total and both street rows) is checked against the
// hand-computed values below, plus the city's and a street user's view, Q2,
// errors and the dashboard.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { withServer, assertError, assertFieldError, assertStatus, uniq, regionCode, limit, DB_KIND } from './lib.mjs';
import { people } from './idgen.mjs';

const T = { timeout: limit(240000) };
const STATUSES = ['draft', 'submitted', 'verified', 'in_notice', 'approved', 'active', 'rejected', 'exited'];
const CATEGORIES = ['dibao', 'marginal', 'accident', 'none'];
const CAUSES = ['illness_self', 'illness_family', 'disability_self', 'disability_family', 'education',
	'unemployment', 'low_income', 'single_parent', 'accident', 'disaster', 'work_injury', 'other'];

// --- the world ---------------------------------------------------------------

const USERS = {
	staff1: ['s1', 'staff'], reviewer1: ['s1', 'reviewer'],
	staff2: ['s2', 'staff'], reviewer2: ['s2', 'reviewer'],
	staffD: ['d', 'staff'], reviewerD: ['d', 'reviewer'], approverD: ['d', 'approver'],
	financeC: ['city', 'finance'], viewerC: ['city', 'viewer'],
};

async function makeWorld(s) {
	const w = { s, clock: '2026-03-02T09:00:00Z', p: people('reports', '330102') };
	const adm = await s.admin();
	assertStatus(await s.api('POST', '/standards', { token: adm.token, body: { org_id: 1, year: 2026, monthly_fen: 93000 } }), 201, 'standard');
	w.d = await s.createOrg({ parent_id: 1, level: 'district', name: uniq('区'), region_code: regionCode() });
	w.s1 = await s.createOrg({ parent_id: w.d.id, level: 'street', name: uniq('街道甲'), region_code: regionCode() });
	w.s2 = await s.createOrg({ parent_id: w.d.id, level: 'street', name: uniq('街道乙'), region_code: regionCode() });
	w.g = await s.createOrg({ parent_id: w.s1.id, level: 'grassroots', name: uniq('基层工会'), region_code: regionCode() });
	w.orgOf = { city: 1, d: w.d.id, s1: w.s1.id, s2: w.s2.id, g: w.g.id };
	const sess = {};
	const fresh = (username) => {
		const r = s.cli(['token', 'create', '--user', username]);
		assert.equal(r.code, 0, `token create ${username}: ${r.stderr}`);
		return r.stdout.trim();
	};
	for (const [k, [org, role]] of Object.entries(USERS)) {
		const u = await s.createUser({ org_id: w.orgOf[org], role, name: `${k}用户` });
		sess[k] = { stale: true, username: u.username, user: u };
		Object.defineProperty(w, k, {
			enumerable: true,
			get() {
				if (sess[k].stale)
					sess[k] = { ...sess[k], token: fresh(sess[k].username), stale: false };
				return sess[k];
			},
		});
	}
	w.admin = () => ({ token: fresh('admin') });
	// sessions expire after 30 idle minutes of the server's clock: renew
	// every token after each move
	w.setClock = (c) => {
		w.clock = c;
		s.setClock(c);
		for (const k of Object.keys(sess))
			sess[k].stale = true;
	};
	w.today = () => w.clock.slice(0, 10);
	return w;
}

const staffOf = (w, org) => ({ s1: w.staff1, g: w.staff1, s2: w.staff2, d: w.staffD }[org]);
const reviewerOf = (w, org) => ({ s1: w.reviewer1, g: w.reviewer1, s2: w.reviewer2, d: w.reviewerD }[org]);

async function ok(res, status, what) {
	assertStatus(res, status, what);
	return res.json;
}

async function hhAct(w, h, who, body) {
	return ok(await w.s.api('POST', `/households/${h.id}/transitions`, { token: who.token, body }), 200, `${body.action} ${h.label}`);
}

async function visit(w, h, kind = 'verification', date = w.today()) {
	return ok(await w.s.api('POST', `/households/${h.id}/visits`, { token: staffOf(w, h.org).token,
		body: { date, kind, visitor: '王走访', notes: '入户' } }), 201, `visit ${h.label}`);
}

// Creates households {label, org, category, causes} and walks them in
// lockstep to `upto` (draft|submitted|active).  To active: submit, a
// verification visit and verify today, publish with a one-working-day
// notice, the clock to `approveOn`, approve and enter there.
async function makeHouseholds(w, specs, upto, approveOn) {
	const hs = [];
	for (const sp of specs) {
		const body = {
			org_id: w.orgOf[sp.org], name: uniq('户'), id_number: w.p.male(), phone: '13800138000',
			employer: '某某厂', address: '某路 1 号', monthly_income_fen: 50000, causes: sp.causes,
			housing: '租住', members: [],
		};
		const h = await ok(await w.s.api('POST', '/households', { token: staffOf(w, sp.org).token, body }), 201, `create ${sp.label}`);
		hs.push({ ...sp, id: h.id });
	}
	if (upto === 'draft')
		return hs;
	for (const h of hs)
		await hhAct(w, h, staffOf(w, h.org), { action: 'submit' });
	if (upto === 'submitted')
		return hs;
	for (const h of hs) {
		await visit(w, h);
		await hhAct(w, h, reviewerOf(w, h.org), { action: 'verify', category: h.category });
		await hhAct(w, h, staffOf(w, h.org), { action: 'publish', notice_workdays: 1 });
	}
	w.setClock(approveOn);
	for (const h of hs) {
		await hhAct(w, h, w.approverD, { action: 'approve' });
		const e = await hhAct(w, h, staffOf(w, h.org), { action: 'enter' });
		assert.equal(e.status, 'active');
		assert.equal(e.entered_on, approveOn.slice(0, 10));
	}
	return hs;
}

async function account(w, org, name) {
	return ok(await w.s.api('POST', '/fund-accounts', { token: w.financeC.token,
		body: { org_id: w.orgOf[org], source: 'union', year: 2026, name } }), 201, `account ${name}`);
}
async function deposit(w, acct, amount_fen) {
	return ok(await w.s.api('POST', `/fund-accounts/${acct.id}/deposits`, { token: w.financeC.token,
		body: { amount_fen, note: '拨入' } }), 201, `deposit into ${acct.name}`);
}
async function transfer(w, from, to, amount_fen) {
	const r = await w.s.api('POST', '/fund-transfers', { token: w.financeC.token,
		body: { from_account_id: from.id, to_account_id: to.id, amount_fen, note: '下拨' } });
	assert.ok(r.status === 200 || r.status === 201, `transfer: ${r.status} ${r.text}`);
}

let programDocs = null;
async function docsOf(w, code) {
	if (!programDocs) {
		const r = await ok(await w.s.api('GET', '/programs', { token: w.admin().token }), 200, 'programs');
		programDocs = Object.fromEntries(r.items.map((p) => [p.code, typeof p.documents === 'string' ? JSON.parse(p.documents) : p.documents]));
	}
	return programDocs[code];
}

// Files an application for h and walks it: 'submitted', 'approved' or
// 'disbursed' (from account `acct`).
async function application(w, h, program_code, requested_fen, upto, acct) {
	const body = { household_id: h.id, program_code, requested_fen, member_id: null, reason: '生活困难',
		documents: await docsOf(w, program_code) };
	const a = await ok(await w.s.api('POST', '/applications', { token: staffOf(w, h.org).token, body }), 201, `apply ${program_code} for ${h.label}`);
	const tr = async (who, b) => ok(await w.s.api('POST', `/applications/${a.id}/transitions`, { token: who.token, body: b }), 200, `${b.action} application ${a.id}`);
	if (upto === 'submitted')
		return a;
	await tr(reviewerOf(w, h.org), { action: 'verify' });
	if (upto === 'verified')
		return a;
	await tr(w.approverD, { action: 'approve', approved_fen: requested_fen, comment: '同意' });
	if (upto === 'approved')
		return a;
	const d = await tr(w.financeC, { action: 'disburse', account_id: acct.id });
	assert.equal(d.status, 'disbursed');
	return d;
}
async function disburse(w, a, acct) {
	return ok(await w.s.api('POST', `/applications/${a.id}/transitions`, { token: w.financeC.token,
		body: { action: 'disburse', account_id: acct.id } }), 200, `disburse ${a.id}`);
}

// Builds the fixture; returns w with the households (w.h) and accounts (w.acct).
async function buildFixture(s) {
	const w = await makeWorld(s);
	w.acct = {
		CA: await account(w, 'city', '市总帮扶资金'),
		DA: await account(w, 'd', '区帮扶资金'),
		SA1: await account(w, 's1', '街道甲帮扶资金'),
		SA2: await account(w, 's2', '街道乙帮扶资金'),
	};
	const h = {};
	const put = (list) => { for (const x of list) h[x.label] = x; };

	// Q1: three archives entered on Wednesday 4 March (next review 2026-09-04)
	put(await makeHouseholds(w, [
		{ label: 'A1', org: 's1', category: 'dibao', causes: ['illness_family', 'low_income'] },
		{ label: 'A2', org: 's1', category: 'marginal', causes: ['unemployment'] },
		{ label: 'A3', org: 's2', category: 'accident', causes: ['accident'] },
	], 'active', '2026-03-04T09:00:00Z'));

	// Q2 (11 May): A3 exits; money arrives; A2's living aid is paid from SA1
	w.setClock('2026-05-11T09:00:00Z');
	await hhAct(w, h.A3, w.approverD, { action: 'exit', exit_reason: '已再就业' });
	await deposit(w, w.acct.CA, 1000000);
	await deposit(w, w.acct.SA1, 200000);
	await application(w, h.A2, 'living', 20000, 'disbursed', w.acct.SA1);

	// Q3 (Monday 6 July): new households; entered Wednesday 8 July
	w.setClock('2026-07-06T09:00:00Z');
	put(await makeHouseholds(w, [{ label: 'B5', org: 's1', causes: ['other'] }], 'draft'));
	put(await makeHouseholds(w, [
		{ label: 'B4', org: 's1', causes: ['education'] },
		{ label: 'B6', org: 's2', causes: ['disaster'] },
	], 'submitted'));
	await hhAct(w, h.B6, w.reviewer2, { action: 'reject', comment: '材料不实' });
	put(await makeHouseholds(w, [
		{ label: 'B1', org: 's1', category: 'dibao', causes: ['low_income'] },
		{ label: 'B2', org: 'g', category: 'marginal', causes: ['single_parent'] },
		{ label: 'B3', org: 's2', category: 'dibao', causes: ['illness_self', 'low_income'] },
		{ label: 'B7', org: 'd', category: 'accident', causes: ['work_injury'] },
	], 'active', '2026-07-08T09:00:00Z'));
	// 8 July: funds and aid
	await deposit(w, w.acct.SA2, 300000);
	await deposit(w, w.acct.DA, 50000);
	await transfer(w, w.acct.CA, w.acct.SA1, 100000);
	await transfer(w, w.acct.DA, w.acct.SA2, 20000);
	const app1 = await application(w, h.A1, 'living', 50000, 'disbursed', w.acct.SA1);
	await ok(await s.api('POST', `/fund-accounts/${w.acct.SA1.id}/refunds`, { token: w.financeC.token,
		body: { application_id: app1.id, amount_fen: 10000, note: '多发退回' } }), 201, 'refund');
	await application(w, h.B3, 'living', 30000, 'disbursed', w.acct.SA2);
	await application(w, h.A1, 'condolence', 50000, 'disbursed', w.acct.SA1);
	w.app4 = await application(w, h.B1, 'living', 40000, 'approved'); // due 16 July: overdue at the end of Q3
	await visit(w, h.A1, 'review');

	// 17 August: A2 exits
	w.setClock('2026-08-17T09:00:00Z');
	await hhAct(w, h.A2, w.approverD, { action: 'exit', exit_reason: '收入提高' });

	// Friday 25 September: a medical application due on Saturday 10 October, the
	// National Day make-up working day (6 working days: 28, 29, 30 September,
	// 8, 9, 10 October; not overdue on 30 September)
	w.setClock('2026-09-25T09:00:00Z');
	w.app5 = await application(w, h.B3, 'medical', 60000, 'submitted');
	assert.equal(w.app5.due_date, '2026-10-10');
	// Monday 28 September
	w.setClock('2026-09-28T09:00:00Z');
	// B2's condolence aid, filed in Q3 and approved only in Q4: B2 is not
	// covered at the end of Q3 (its status now is not its status then)
	w.app6 = await application(w, h.B2, 'condolence', 30000, 'verified');
	w.h = h;
	return w;
}

// After Q3 (12 October): none of this may change the Q3 report.
async function afterQ3(w) {
	const h = w.h;
	w.setClock('2026-10-12T09:00:00Z');
	await hhAct(w, h.A1, w.approverD, { action: 'exit', exit_reason: '家庭收入提高' });
	await disburse(w, w.app4, w.acct.SA1);
	await ok(await w.s.api('POST', `/applications/${w.app6.id}/transitions`, { token: w.approverD.token,
		body: { action: 'approve', approved_fen: 30000, comment: '同意' } }), 200, 'approve app6 in Q4');
	await deposit(w, w.acct.SA1, 7000);
	await visit(w, h.B4);
	await hhAct(w, h.B4, w.reviewer1, { action: 'verify', category: 'dibao' });
	await visit(w, h.B1, 'pairing');
	const [c1] = await makeHouseholds(w, [{ label: 'C1', org: 's1', causes: ['low_income'] }], 'draft');
	h.C1 = c1;
}

// --- expected values ---------------------------------------------------------

const round4 = (n, d) => (d > 0 ? Math.round((n * 10000) / d) / 10000 : 0);

// One UNIT from a compact description; every cell not named is 0.
function unit({ status = {}, cat = {}, cause = {}, fresh = 0, exited = 0, ytd = 0, aid = {}, funds = [0, 0, 0],
	visits = 0, overdueApps = 0, overdueReviews = 0, covered = 0 }, programs) {
	const active = status.active || 0;
	const rate = round4(ytd, active + ytd);
	const byProgram = {};
	let n = 0;
	let fen = 0;
	for (const p of programs) {
		const [c, f] = aid[p] || [0, 0];
		byProgram[p] = { count: c, amount_fen: f };
		n += c;
		fen += f;
	}
	return {
		households: {
			by_status: Object.fromEntries(STATUSES.map((k) => [k, status[k] || 0])),
			by_category: Object.fromEntries(CATEGORIES.map((k) => [k, cat[k] || 0])),
			by_cause: Object.fromEntries(CAUSES.map((k) => [k, cause[k] || 0])),
			active, new: fresh, exited, exited_ytd: ytd,
			exit_rate_ytd: rate, exit_target: 0.3, exit_target_met: rate >= 0.3,
		},
		aid: { by_program: byProgram, count: n, amount_fen: fen },
		funds: { in_fen: funds[0], out_fen: funds[1], balance_fen: funds[2] },
		visits,
		cases: { received: 0, closed: 0, finished: 0, closure_rate: 0, recovered_fen: 0 }, // tests/api/cases.test.mjs has cases
		overdue: { applications: overdueApps, reviews: overdueReviews, cases: 0 },
		condolence: { covered, active, ratio: round4(covered, active) },
	};
}

// Checks the answer's skeleton, then compares a unit cell by cell (so a
// failure names the cell).
function checkUnit(got, want, what) {
	const flat = (o, pre = '') => Object.entries(o).flatMap(([k, v]) =>
		(v && typeof v === 'object' && !Array.isArray(v) ? flat(v, `${pre}${k}.`) : [[`${pre}${k}`, v]]));
	const g = Object.fromEntries(flat(got));
	for (const [k, v] of flat(want)) {
		assert.ok(Object.hasOwn(g, k), `${what}: ${k} missing`);
		if (typeof v === 'number' && !Number.isInteger(v))
			assert.ok(Math.abs(g[k] - v) < 1e-9, `${what}: ${k} = ${g[k]}, expected ${v}`);
		else
			assert.deepEqual(g[k], v, `${what}: ${k}`);
	}
	for (const k of ['households.by_status', 'households.by_category', 'households.by_cause', 'aid.by_program'])
		assert.deepEqual(Object.keys(k.split('.').reduce((o, p) => o[p], got)).sort(),
			Object.keys(k.split('.').reduce((o, p) => o[p], want)).sort(), `${what}: keys of ${k}`);
}

async function quarterly(w, token, query) {
	return w.s.api('GET', `/reports/quarterly?${query}`, { token });
}

// Another process opens a write transaction that deletes every visit and
// keeps it open (SQLite: holding the writer lock) until release().
async function holdWriter(s) {
	const pg = DB_KIND === 'pg';
	const child = pg ? spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', s.dbUrl], { stdio: ['pipe', 'ignore', 'inherit'] })
		: spawn('sqlite3', [s.dbUrl], { stdio: ['pipe', 'ignore', 'inherit'] });
	const exited = new Promise((resolve) => child.on('exit', resolve));
	child.stdin.write(pg ? 'BEGIN;\nDELETE FROM visits;\n' : 'BEGIN IMMEDIATE;\nDELETE FROM visits;\n');
	const held = () => (pg
		? s.sql("SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'idle in transaction' AND query LIKE 'DELETE FROM visits%'").trim() === '1'
		: spawnSync('sqlite3', ['-cmd', '.timeout 0', s.dbUrl, 'BEGIN IMMEDIATE; ROLLBACK;'], { encoding: 'utf8' }).status !== 0);
	for (let i = 0; !held(); i++) {
		if (i >= 200) {
			child.kill();
			assert.fail('the writer did not begin its transaction');
		}
		await new Promise((r) => setTimeout(r, 50));
	}
	return { release: async () => { child.stdin.end('ROLLBACK;\n'); assert.equal(await exited, 0); } };
}

// --- the tests ---------------------------------------------------------------------

test('quarterly report: every cell of the district, its streets and the city for 2026Q3, Q2; scope; errors; dashboard', T, async () => {
	await withServer({ clock: '2026-03-02T09:00:00Z' }, async (s) => {
		const w = await buildFixture(s);
		const progs = Object.keys(await (async () => { await docsOf(w, 'living'); return programDocs; })()).sort();
		assert.ok(progs.includes('living') && progs.includes('condolence'));

		// S1 (with G): A1 active (exits only in Q4), A2 exited 17 Aug, B1 and
		// B2 (G) entered 8 July, B4 submitted (verified only in Q4), B5 draft;
		// C1 is made in Q4 and not counted.
		const S1 = unit({
			status: { active: 3, exited: 1, submitted: 1, draft: 1 },
			cat: { dibao: 2, marginal: 1 },
			cause: { illness_family: 1, low_income: 2, single_parent: 1 },
			fresh: 2, exited: 1, ytd: 1,
			aid: { living: [1, 40000], condolence: [1, 50000] }, // 50000 − 10000 refunded; 50000
			// in: CA→SA1 100000 + refund 10000; out: 50000 + 50000; balance 200000−20000+100000−50000+10000−50000
			funds: [110000, 100000, 190000],
			visits: 3, // B1, B2 verification (6 July); A1 review (8 July)
			overdueApps: 1, // B1's living aid: approved, due 16 July, paid only in Q4
			overdueReviews: 1, // A1: next review 2026-09-04
			covered: 1, // A1's condolence aid filed and paid on 8 July
		}, progs);
		// S2: A3 exited 11 May, B3 entered 8 July, B6 rejected
		const S2 = unit({
			status: { active: 1, exited: 1, rejected: 1 },
			cat: { dibao: 1 },
			cause: { illness_self: 1, low_income: 1 },
			fresh: 1, exited: 0, ytd: 1,
			aid: { living: [1, 30000] },
			funds: [320000, 30000, 290000], // deposit 300000 + D→S2 20000 in; 30000 out
			visits: 1,
			overdueApps: 0, // B3's medical application is due 10 October
		}, progs);
		// D total: both streets plus B7 at the district itself and the
		// district's account; the D→S2 transfer is internal to D.
		const D = unit({
			status: { active: 5, exited: 2, rejected: 1, submitted: 1, draft: 1 },
			cat: { dibao: 3, marginal: 1, accident: 1 },
			cause: { illness_family: 1, low_income: 3, single_parent: 1, illness_self: 1, work_injury: 1 },
			fresh: 4, exited: 1, ytd: 2,
			aid: { living: [2, 70000], condolence: [1, 50000] },
			funds: [110000 + 300000 + 50000, 100000 + 30000, 190000 + 290000 + 30000],
			visits: 5,
			overdueApps: 1, overdueReviews: 1, covered: 1,
		}, progs);

		const check = async () => {
			const r = await quarterly(w, w.approverD.token, `org_id=${w.d.id}&period=2026Q3`);
			assertStatus(r, 200, 'district report');
			const j = r.json;
			assert.deepEqual(Object.keys(j).filter((k) => ['org_id', 'period', 'from', 'to', 'total', 'units'].includes(k)),
				['org_id', 'period', 'from', 'to', 'total', 'units']);
			assert.equal(j.org_id, w.d.id);
			assert.equal(j.period, '2026Q3');
			assert.equal(j.from, '2026-07-01');
			assert.equal(j.to, '2026-09-30');
			assert.deepEqual(j.units.map((u) => u.org_id), [w.s1.id, w.s2.id], 'one row per direct child');
			assert.deepEqual(j.units.map((u) => u.name), [w.s1.name, w.s2.name]);
			checkUnit(j.total, D, 'D total');
			checkUnit(j.units[0], S1, 'S1 row');
			checkUnit(j.units[1], S2, 'S2 row');
			// the total is the sum of the rows plus what sits at D itself (B7, DA)
			assert.equal(j.total.households.by_status.active, S1.households.active + S2.households.active + 1);
			return j;
		};
		const before = await check();

		// the city: one row (D, which counts the city → S1 transfer as money in),
		// the total leaves that transfer out as internal
		const c = await quarterly(w, w.viewerC.token, 'period=2026Q3');
		assertStatus(c, 200, 'city report (org_id defaults to the caller\'s unit)');
		assert.equal(c.json.org_id, 1);
		assert.deepEqual(c.json.units.map((u) => u.org_id), [w.d.id]);
		checkUnit(c.json.units[0], D, 'D row of the city report');
		const city = structuredClone(D);
		city.funds = { in_fen: 360000, out_fen: 130000, balance_fen: 510000 + 900000 };
		checkUnit(c.json.total, city, 'city total');

		// a street user sees its street: the total is S1's row, G its only unit
		const st = await quarterly(w, w.staff1.token, 'period=2026Q3');
		assertStatus(st, 200, 'street report');
		assert.equal(st.json.org_id, w.s1.id);
		checkUnit(st.json.total, S1, 'S1 report total');
		assert.deepEqual(st.json.units.map((u) => u.org_id), [w.g.id]);
		checkUnit(st.json.units[0], unit({
			status: { active: 1 }, cat: { marginal: 1 }, cause: { single_parent: 1 }, fresh: 1, visits: 1,
		}, progs), 'G row');
		for (const org of [w.d.id, w.s2.id, 1])
			assertError(await quarterly(w, w.staff1.token, `org_id=${org}&period=2026Q3`), 404, 'not_found', `street user, org ${org}`);
		assertError(await quarterly(w, w.staff2.token, `org_id=${w.g.id}&period=2026Q3`), 404, 'not_found', 'S2 user, G');
		assertError(await quarterly(w, w.approverD.token, 'org_id=999999&period=2026Q3'), 404, 'not_found', 'no such unit');

		// bad periods
		for (const p of ['2026Q5', '26Q1', '', '2026Q0', '2026q3', '2026-Q3', '2026Q3x', 'Q3'])
			assertFieldError(await quarterly(w, w.approverD.token, `org_id=${w.d.id}&period=${encodeURIComponent(p)}`), 'period', { what: `period ${p}` });
		assertFieldError(await quarterly(w, w.approverD.token, `org_id=${w.d.id}`), 'period', { what: 'no period' });
		assertFieldError(await quarterly(w, w.approverD.token, `org_id=abc&period=2026Q3`), 'org_id', { what: 'org_id abc' });
		assertError(await s.api('GET', '/reports/quarterly?period=2026Q3'), 401, 'unauthenticated', 'no token');

		// Q2 of the district: A1, A2 active; A3 exited 11 May; A2's aid; SA1's money
		const q2 = await quarterly(w, w.approverD.token, `org_id=${w.d.id}&period=2026Q2`);
		assertStatus(q2, 200, 'Q2');
		assert.equal(q2.json.from, '2026-04-01');
		assert.equal(q2.json.to, '2026-06-30');
		checkUnit(q2.json.total, unit({
			status: { active: 2, exited: 1 }, cat: { dibao: 1, marginal: 1 },
			cause: { illness_family: 1, low_income: 1, unemployment: 1 },
			exited: 1, ytd: 1, aid: { living: [1, 20000] }, funds: [200000, 20000, 180000],
		}, progs), 'D total Q2');
		checkUnit(q2.json.units[1], unit({ status: { exited: 1 }, exited: 1, ytd: 1 }, progs), 'S2 row Q2');

		// what happens after the quarter does not change it
		await afterQ3(w);
		const after = await check();
		assert.deepEqual(after, before, 'the Q3 report is the same after Q4 moves');

		// Q4 so far: A1 exited, app4 paid, 7000 deposited, C1 a draft, B4 verified
		const q4 = await quarterly(w, w.approverD.token, `org_id=${w.d.id}&period=2026Q4`);
		assertStatus(q4, 200, 'Q4');
		const s1q4 = q4.json.units[0].households;
		assert.deepEqual(s1q4.by_status, { draft: 2, submitted: 0, verified: 1, in_notice: 0, approved: 0, active: 2, rejected: 0, exited: 2 });
		assert.equal(s1q4.exited, 1);
		assert.equal(s1q4.exited_ytd, 2);
		assert.equal(s1q4.exit_rate_ytd, 0.5);
		assert.equal(s1q4.exit_target_met, true);
		assert.deepEqual(q4.json.units[0].aid.by_program.living, { count: 1, amount_fen: 40000 });
		assert.deepEqual(q4.json.units[0].funds, { in_fen: 7000, out_fen: 40000, balance_fen: 157000 });
		assert.equal(q4.json.units[0].visits, 2);

		// the dashboard of D on 12 October
		const db = await s.api('GET', `/reports/dashboard?org_id=${w.d.id}`, { token: w.approverD.token });
		assertStatus(db, 200, 'dashboard');
		const j = db.json;
		assert.equal(j.today, '2026-10-12');
		assert.equal(j.active, 4); // B1, B2, B3, B7
		assert.deepEqual(j.by_category, { dibao: 2, marginal: 1, accident: 1, none: 0 });
		assert.equal(j.reviews_due, 0);
		assert.equal(j.applications_open, 2); // B3's medical application, B2's condolence (approved)
		assert.equal(j.applications_overdue, 1); // due 10 October
		assert.equal(j.fund_balance_fen, 157000 + 290000 + 30000);
		assert.deepEqual(j.months, ['2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05',
			'2026-06', '2026-07', '2026-08', '2026-09', '2026-10']);
		assert.deepEqual(j.new, [0, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0]);
		assert.deepEqual(j.exited, [0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1]);
		assert.deepEqual(j.aid_by_program.living.count, [0, 0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 1]);
		assert.deepEqual(j.aid_by_program.living.amount_fen, [0, 0, 0, 0, 0, 0, 20000, 0, 70000, 0, 0, 40000]);
		assert.deepEqual(j.aid_by_program.condolence.amount_fen, [0, 0, 0, 0, 0, 0, 0, 0, 50000, 0, 0, 0]);
		assert.deepEqual(Object.keys(j.aid_by_program).sort(), progs);
		// a street's dashboard, and scope
		const ds = await s.api('GET', '/reports/dashboard', { token: w.staff2.token });
		assertStatus(ds, 200, 'S2 dashboard');
		assert.equal(ds.json.org_id, w.s2.id);
		assert.equal(ds.json.active, 1);
		assert.equal(ds.json.fund_balance_fen, 290000);
		assertError(await s.api('GET', `/reports/dashboard?org_id=${w.s1.id}`, { token: w.staff2.token }), 404, 'not_found', 'dashboard out of scope');

		// RULE report.snapshot: a report neither waits for a writer (SQLite:
		// one holding the writer lock) nor sees what it has not committed
		const q4Before = await quarterly(w, w.approverD.token, `org_id=${w.d.id}&period=2026Q4`);
		assertStatus(q4Before, 200, 'Q4 before the writer');
		assert.ok(q4Before.json.total.visits > 0, 'the world has visits in Q4');
		const writer = await holdWriter(s);
		try {
			const during = await quarterly(w, w.approverD.token, `org_id=${w.d.id}&period=2026Q4`);
			assertStatus(during, 200, 'Q4 while a writer keeps its transaction open');
			assert.deepEqual(during.json, q4Before.json);
		} finally {
			await writer.release();
		}
	});
});
