// The route × role × scope matrix, generated from the route table itself
// (`bangfu routes` prints it with the roles each permission allows): for
// every route and every role at city, district and two streets —
//   * a role the route's permission does not allow gets 403, never 2xx;
//   * a user of the sibling street asking for a record of street S1 gets
//     404 (scope is checked before the permission), whatever the role;
//   * an allowed role's GET of an in-scope record or list answers 200.
// Public routes are only the listed ones (checked at build time too).  A new
// route is covered here without writing a test for it.
import assert from 'node:assert/strict';
import { test, before, after } from 'node:test';
import { startServer, assertStatus, ROLES, runCli, limit } from './lib.mjs';
import { START, aidWorld, makeHouseholds, openAccount } from './aid-world.mjs';
import { people } from './idgen.mjs';

const LEVELS = ['city', 'd', 's1', 's2'];
const PUBLIC = ['GET /healthz', 'GET /readyz', 'GET /metrics', 'POST /api/v1/login'];
// the query a GET needs to answer 200
const QUERY = {
	'/api/v1/reports/quarterly': '?period=2026Q1',
	'/api/v1/reports/quarterly.xlsx': '?period=2026Q1',
	'/api/v1/reports/quarterly.pdf': '?period=2026Q1',
	'/api/v1/partners/:id/statements': '?month=2026-03',
	'/api/v1/calendar/workdays': '?from=2026-03-02&add=3',
};

let s, w, table, rec;
before(async () => {
	s = await startServer({ clock: START });
	const extraUsers = {};
	for (const role of ROLES)
		for (const lvl of LEVELS)
			extraUsers[`m_${role}_${lvl}`] = [lvl, role];
	w = await aidWorld(s, { extraUsers, label: 'matrix' });
	const [hh] = await makeHouseholds(w, [{ org: 's1', category: 'dibao' }]);
	const acct = await openAccount(w, w.s1.id, w.financeC);
	const camp = await s.api('POST', '/campaigns', { token: w.approverS.token, body: {
		org_id: w.s1.id, name: '矩阵测试', period: 'matrix', amounts: { dibao: 1000, marginal: 800, accident: 600, none: 500 } } });
	assertStatus(camp, 201, 'campaign');
	const apps = await s.api('GET', `/applications?campaign_id=${camp.json.id}`, { token: w.admin.token });
	assertStatus(apps, 200);
	assert.ok(apps.json.items.length >= 1, 'the campaign made an application');
	const goods = await s.api('POST', '/goods', { token: w.staff.token, body: { org_id: w.s1.id, name: '棉被', unit: '条' } });
	assertStatus(goods, 201, 'goods');
	const progs = await s.api('GET', '/programs', { token: w.admin.token });
	assertStatus(progs, 200);
	// one record of each kind of #7, in street S1
	const mk = async (p, body, who = w.staff) => {
		const r = await s.api('POST', p, { token: who.token, body });
		assertStatus(r, 201, p);
		return r.json.id;
	};
	const p = people('matrix');
	const caseId = await mk('/cases', { org_id: w.s1.id, channel: 'hotline', category: 'consultation', person_name: '来电人', subject: '咨询' });
	const seeker = await mk('/job-seekers', { org_id: w.s1.id, name: '求职者', id_number: p.male() });
	const employer = await mk('/employers', { org_id: w.s1.id, name: '某公司', industry: '物业', contact: '周经理', phone: '0571-88880000' });
	const vacancy = await mk('/vacancies', { employer_id: employer, title: '保洁', positions: 2, wage_min_fen: 300000, wage_max_fen: 400000 });
	const referral = await mk('/referrals', { seeker_id: seeker, vacancy_id: vacancy });
	const training = await mk('/trainings', { org_id: w.s1.id, name: '家政培训', provider: '职校', start_date: '2026-03-09', end_date: '2026-03-20', capacity: 10 });
	const fair = await mk('/job-fairs', { org_id: w.s1.id, name: '春风行动', date: '2026-03-10', place: '广场' });
	const partner = await mk('/partners', { org_id: w.s1.id, name: '爱心超市', kind: 'shop', union_share_bp: 5000, account_id: acct.id });
	const card = await mk('/cards', { household_id: hh.id });
	// the record each path parameter names, all of street S1
	rec = {
		orgs: w.s1.id, users: w.users.staff.id, households: hh.id, applications: apps.json.items[0].id,
		'fund-accounts': acct.id, campaigns: camp.json.id, goods: goods.json.id,
		loans: null, // no loan is made here: the loan routes are checked for "never 2xx" only
		programs: progs.json.items[0].code, calendar: '2026-05-01',
		cases: caseId, 'job-seekers': seeker, employers: employer, vacancies: vacancy, referrals: referral,
		trainings: training, 'job-fairs': fair, partners: partner, cards: card,
	};
	// a scan of the household (attachments): its list takes the owner in the query
	const up = await fetch(`${s.base}/api/v1/attachments?owner_type=household&owner_id=${hh.id}&kind=${encodeURIComponent('其他')}`, {
		method: 'POST', headers: { Authorization: `Bearer ${w.staff.token}`, 'Content-Type': 'application/pdf' },
		body: '%PDF-1.4\n1 0 obj << >> endobj\nstartxref\n0\n%%EOF\n' });
	assert.equal(up.status, 201, 'upload a scan');
	rec.attachments = (await up.json()).id;
	QUERY['/api/v1/attachments'] = `?owner_type=household&owner_id=${hh.id}`;
	const r = runCli(['routes']);
	assert.equal(r.code, 0, r.stderr);
	table = JSON.parse(r.stdout);
});
after(async () => { if (s) await s.stop(); });

// "/api/v1/households/:id/objections/:oid/resolve" → a concrete path, and
// whether the record it names exists (in street S1).
function fill(pattern) {
	const segs = pattern.split('/');
	let known = true;
	const out = segs.map((seg, i) => {
		if (!seg.startsWith(':'))
			return seg;
		const v = i === segs.findIndex((x) => x.startsWith(':')) ? rec[segs[i - 1]] : 1;
		if (v === null || v === undefined) {
			known = false;
			return '999999';
		}
		return String(v);
	});
	return { path: out.join('/'), known };
}

async function call(rt, who) {
	const { path } = fill(rt.pattern);
	const p = path.replace(/^\/api\/v1/, '') + (rt.method === 'GET' ? QUERY[rt.pattern] || '' : '');
	const o = { token: who.token };
	if (rt.raw_body)
		Object.assign(o, { rawBody: 'a,b\n1,2\n', contentType: 'text/csv' });
	else if (rt.method !== 'GET')
		o.body = {};
	if (!path.startsWith('/api/v1'))
		return s.api(rt.method, path, o);
	return s.api(rt.method, p, o);
}

test('only the listed routes are public', () => {
	const pub = table.filter((r) => r.perm === 'public').map((r) => `${r.method} ${r.pattern}`);
	assert.deepEqual(pub.sort(), [...PUBLIC].sort());
	assert.ok(table.length > 50);
});

test('every route × role × level: 403 without the permission, 404 out of scope', { timeout: limit(900000) }, async () => {
	let checked = 0;
	const fails = [];
	for (const rt of table) {
		if (rt.perm === 'public')
			continue;
		const { known } = fill(rt.pattern);
		const jobs = [];
		for (const role of ROLES)
			for (const lvl of LEVELS) {
				const allowed = rt.roles.includes(role);
				const outside = rt.scoped && lvl === 's2';
				let want;
				if (outside || (rt.scoped && !known))
					want = [404];
				else if (!allowed)
					want = [403];
				else if (rt.method === 'GET' && rt.perm === 'read')
					want = [200];
				else
					continue; // an allowed write: its own tests cover it
				jobs.push({ role, lvl, want });
			}
		// a few at a time: each refusal writes an audit entry
		for (let i = 0; i < jobs.length; i += 6) {
			const batch = jobs.slice(i, i + 6);
			const res = await Promise.all(batch.map((j) => call(rt, w[`m_${j.role}_${j.lvl}`])));
			res.forEach((r, k) => {
				const j = batch[k];
				checked++;
				if (!j.want.includes(r.status) || (r.status >= 200 && r.status < 300 && !j.want.includes(200)))
					fails.push(`${rt.method} ${rt.pattern} as ${j.role}@${j.lvl}: want ${j.want}, got ${r.status} ${r.text.slice(0, 160)}`);
				if (r.status === 403)
					assert.equal(r.json?.error?.code, 'forbidden');
			});
		}
	}
	assert.deepEqual(fails, [], `${fails.length} of ${checked} checks failed`);
	assert.ok(checked > 500, `only ${checked} checks`);
	console.log(`# matrix: ${checked} route × role × level checks`);
});
