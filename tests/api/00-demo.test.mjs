// init --demo: the demo city.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withServer, listAll, ROLES, ADMIN_USER, ADMIN_PASSWORD, limit } from './lib.mjs';

test('init --demo: a city with 4 districts, 12 streets, 40 grassroots unions and users of every role', { timeout: limit(600000) }, async () => {
	await withServer({ demo: true }, async (s) => {
		let { token } = await s.login(ADMIN_USER, ADMIN_PASSWORD); // the given admin is kept
		const orgs = await listAll(s, '/orgs', token);
		assert.equal(orgs.items.length, orgs.total);
		const by = {};
		for (const o of orgs.items)
			by[o.level] = (by[o.level] || 0) + 1;
		assert.ok((by.city || 0) >= 1, `cities: ${JSON.stringify(by)}`);
		assert.ok((by.district || 0) >= 4, `districts: ${JSON.stringify(by)}`);
		assert.ok((by.street || 0) >= 12, `streets: ${JSON.stringify(by)}`);
		assert.ok((by.grassroots || 0) >= 40, `grassroots: ${JSON.stringify(by)}`);
		// every unit hangs off a unit that is listed, and is below it
		const rank = { city: 0, district: 1, street: 2, grassroots: 3 };
		const byId = new Map(orgs.items.map((o) => [o.id, o]));
		for (const o of orgs.items) {
			if (o.parent_id === null)
				continue;
			const p = byId.get(o.parent_id);
			assert.ok(p, `parent ${o.parent_id} of ${o.id} listed`);
			assert.ok(rank[o.level] > rank[p.level], `${o.id} (${o.level}) below ${p.id} (${p.level})`);
		}
		const users = await listAll(s, '/users', token);
		const roles = new Set(users.items.map((u) => u.role));
		for (const r of ROLES)
			assert.ok(roles.has(r), `a demo user with role ${r}: ${[...roles]}`);
		assert.ok(users.items.some((u) => u.org_id !== 1), 'demo users sit in the lower units too');
		const ok = s.cli(['audit', 'verify']);
		assert.equal(ok.code, 0, `the demo data keeps an intact audit chain: ${ok.stderr}`);

		// households in every state, applications in every state, funded accounts
		const hh = await s.api('GET', '/households?limit=1', { token });
		assert.ok(hh.json.total >= 1900, `about 2,000 demo households: ${hh.json.total}`);
		for (const st of ['draft', 'submitted', 'verified', 'in_notice', 'approved', 'active', 'rejected', 'exited']) {
			const r = await s.api('GET', `/households?status=${st}&limit=1`, { token });
			assert.ok(r.json.total > 0, `demo households ${st}`);
		}
		for (const st of ['submitted', 'verified', 'approved', 'disbursed', 'receipted', 'closed', 'rejected', 'withdrawn']) {
			const r = await s.api('GET', `/applications?status=${st}&limit=1`, { token });
			assert.ok(r.json.total > 0, `demo applications ${st}`);
		}
		const accts = await s.api('GET', '/fund-accounts', { token });
		assert.ok(accts.json.items.some((a) => a.balance_fen > 0), 'a funded demo account');
		assert.equal(s.cli(['funds', 'reconcile', '--db', s.dbUrl]).code, 0, 'the demo ledger reconciles');

		// a condolence campaign over the whole demo city covers every active archive
		const active = (await s.api('GET', '/households?status=active&limit=1', { token })).json.total;
		const approver = await s.login('city_approver', 'Demo2026pass');
		const c = await s.api('POST', '/campaigns', { token: approver.token, body: {
			org_id: 1, name: '全市春节送温暖', period: '2027春节',
			amounts: { dibao: 100000, marginal: 80000, accident: 80000, none: 50000 } } });
		assert.equal(c.status, 201, c.text);
		assert.equal(c.json.applications, active, 'one application per active archive');
		assert.deepEqual([c.json.coverage.covered, c.json.coverage.active], [active, active]);
		assert.equal(c.json.coverage.ratio, 1);

		// reception cases in every status, channel and category; some overdue, referred, money recovered.
		// The demo was built at the real time: read it then (a new session at the new clock).
		s.setClock(new Date().toISOString().slice(0, 19) + 'Z');
		({ token } = await s.login(ADMIN_USER, ADMIN_PASSWORD));
		// a centre that works (issue 23): at the demo's own date only a handful is overdue
		const dash = (await s.api('GET', '/reports/dashboard', { token })).json;
		assert.ok(dash.reviews_due > 0 && dash.reviews_due <= dash.active * 0.03, `reviews due: ${dash.reviews_due} of ${dash.active}`);
		const late = (await listAll(s, '/applications?overdue=true', token)).items.filter((a) => a.campaign_id === null);
		assert.ok(late.length > 0 && late.length <= 15, `overdue applications (the campaign's aside): ${late.length}`);
		assert.ok(dash.cases_overdue > 0 && dash.cases_overdue <= 20, `overdue cases: ${dash.cases_overdue}`);
		for (const q of ['received', 'assigned', 'in_progress', 'resolved', 'closed', 'referred'].map((v) => `status=${v}`)
			.concat(['window', 'hotline', 'letter', 'online'].map((v) => `channel=${v}`))
			.concat(['petition', 'consultation', 'legal_aid', 'wage_arrears', 'labour_dispute', 'other'].map((v) => `category=${v}`), ['overdue=true']))
			assert.ok((await s.api('GET', `/cases?${q}&limit=1`, { token })).json.total > 0, `demo cases ${q}`);
		const wage = await listAll(s, '/cases?category=wage_arrears', token);
		assert.ok(wage.items.some((i) => i.recovered_fen > 0), 'a wage-arrears case with money recovered');
		const streets = new Set((await listAll(s, '/cases', token)).items.map((i) => i.org_id));
		assert.equal(streets.size, 12, 'cases across the 12 streets');
		// employment services and partner cards
		for (const oc of ['pending', 'hired', 'rejected', 'no_show']) {
			const r = await s.api('GET', `/referrals?outcome=${oc}&limit=1`, { token });
			assert.ok(r.json.total > 0, `demo referrals ${oc}`);
		}
		const sugg = await s.api('GET', '/households?exit_suggested=true&limit=1', { token });
		assert.ok(sugg.json.total > 0, 'hired archived workers are exit suggestions');
		const partners = await listAll(s, '/partners', token);
		assert.deepEqual([...new Set(partners.items.map((p) => p.kind))].sort(), ['hospital', 'pharmacy', 'school', 'shop']);
		const cards = await listAll(s, '/cards?status=active', token);
		const used = cards.items.find((c) => c.purchases > 0);
		assert.ok(used, `a demo card with purchases among ${cards.total}`);
		const one = (await s.api('GET', `/cards/${used.id}`, { token })).json.recent_purchases[0];
		const st = (await s.api('GET', `/partners/${one.partner_id}/statements?month=${one.date.slice(0, 7)}`, { token })).json;
		assert.ok(st.items.some((i) => i.id === one.id), 'the purchase is on its partner\'s statement');
		assert.equal(st.union_fen, st.items.reduce((a, i) => a + i.union_fen, 0));
		assert.equal(s.cli(['funds', 'reconcile', '--db', s.dbUrl]).code, 0, 'the ledger still reconciles');
	});
});
