// Counts kept as records move (RULE counts.kept, migrations 011, 023, 026):
// archives per unit, status and category, active archives covered per unit
// and period, active archives per unit and review date, and archives per
// unit, status, the report's category and causes (the quarterly report).  Every kind of
// change is run (create, each workflow step, a review date moved, a
// category change by review, exit, reject, both import ways with drafts and
// archived rows, a campaign, its disbursement, an exit of a covered archive)
// and after each one the kept counts equal a fresh COUNT; the list totals
// and a campaign's coverage come from them; `bangfu check` names a drift.
import assert from 'node:assert/strict';
import { test, before, after } from 'node:test';
import { startServer, assertStatus, limit } from './lib.mjs';
import { START, aidWorld, makeHouseholds, hhAct, hhBody, openAccount, deposit, appTrOk } from './aid-world.mjs';
import { family, csv, CSV_TYPE, HEADER } from './import-fixture.mjs';

const T = { timeout: limit(240000) };
let s, w;
before(async () => {
	s = await startServer({ clock: START });
	w = await aidWorld(s, { label: 'counts' });
});
after(async () => { if (s) await s.stop(); });

const rows = (q) => s.sql(q).trim();
function assertFresh(what) {
	assert.equal(rows("SELECT org_id || ':' || status || ':' || category || '=' || n FROM hh_counts WHERE n <> 0 ORDER BY 1"),
		rows("SELECT org_id || ':' || status || ':' || COALESCE(category, '') || '=' || COUNT(*) FROM households"
			+ " GROUP BY org_id, status, COALESCE(category, '') ORDER BY 1"), `${what}: archives per unit, status, category`);
	assert.equal(rows("SELECT org_id || ':' || period || '=' || n FROM cover_counts WHERE n <> 0 ORDER BY 1"),
		rows("SELECT h.org_id || ':' || a.cover_period || '=' || COUNT(*) FROM applications a JOIN households h ON h.id = a.household_id"
			+ " WHERE a.cover_period IS NOT NULL AND a.status NOT IN ('rejected', 'withdrawn') AND h.status = 'active'"
			+ " GROUP BY h.org_id, a.cover_period ORDER BY 1"), `${what}: covered archives per unit and period`);
	assert.equal(rows("SELECT org_id || ':' || due || '=' || n FROM review_counts WHERE n <> 0 ORDER BY 1"),
		rows("SELECT org_id || ':' || next_review_date || '=' || COUNT(*) FROM households"
			+ " WHERE status = 'active' AND next_review_date IS NOT NULL GROUP BY org_id, next_review_date ORDER BY 1"),
		`${what}: active archives per unit and review date`);
	assert.equal(rows("SELECT gram || ':' || org_id || '=' || n FROM gram_counts WHERE n <> 0 ORDER BY 1"),
		rows("SELECT gram || ':' || org_id || '=' || COUNT(*) FROM name_grams GROUP BY gram, org_id ORDER BY 1"),
		`${what}: archives per name gram and unit`);
	assert.equal(rows("SELECT prefix || ':' || org_id || '=' || n FROM archive_counts WHERE n <> 0 ORDER BY 1"),
		rows("SELECT substr(archive_no, 1, 10) || ':' || org_id || '=' || COUNT(*) FROM households WHERE archive_no IS NOT NULL"
			+ " GROUP BY substr(archive_no, 1, 10), org_id ORDER BY 1"), `${what}: archives per unit and number prefix`);
	// migration 031: each unit with the units above it, from the paths
	assert.equal(rows("SELECT org_id || ':' || anc_id FROM org_tree ORDER BY 1"),
		rows("SELECT o.id || ':' || a.id FROM orgs o JOIN orgs a ON o.path LIKE a.path || '%' ORDER BY 1"), `${what}: the units above each unit`);
	// and the reviews due kept for every unit above the archive's: active by review date ('a'),
	// watched exits by the end of the watch ('u') and by the next visit ('n')
	assert.equal(rows("SELECT org_id || ':' || kind || ':' || day || '=' || n FROM review_tally WHERE n <> 0 ORDER BY 1"),
		rows("SELECT a.id || ':' || k.kind || ':' || k.day || '=' || COUNT(*) FROM ("
			+ "SELECT org_id, 'a' AS kind, next_review_date AS day FROM households WHERE status = 'active' AND next_review_date IS NOT NULL"
			+ " UNION ALL SELECT org_id, 'u', monitor_until FROM households WHERE status = 'exited' AND next_review_date <= monitor_until"
			+ " UNION ALL SELECT org_id, 'n', next_review_date FROM households WHERE status = 'exited' AND next_review_date <= monitor_until) k"
			+ " JOIN orgs o ON o.id = k.org_id JOIN orgs a ON o.path LIKE a.path || '%' GROUP BY a.id, k.kind, k.day ORDER BY 1"),
		`${what}: reviews and visits due per unit and every unit above`);
	assert.equal(rows("SELECT org_id || ':' || status || ':' || cat || ':' || causes || '=' || n FROM hh_report_counts WHERE n <> 0 ORDER BY 1"),
		rows("SELECT org_id || ':' || status || ':' || COALESCE(category, suggested_category, '') || ':' || COALESCE(causes, '')"
			+ " || '=' || COUNT(*) FROM households GROUP BY org_id, status, COALESCE(category, suggested_category, ''),"
			+ " COALESCE(causes, '') ORDER BY 1"), `${what}: archives per unit, status, category and causes`);
	// migration 037: the latest filing of each archive's condolence applications approved now
	assert.equal(rows("SELECT household_id || ':' || org_id || ':' || active || ':' || last_at FROM hh_condolence ORDER BY 1"),
		rows("SELECT h.id || ':' || h.org_id || ':' || CASE WHEN h.status = 'active' THEN 1 ELSE 0 END || ':' || MAX(a.created_at)"
			+ " FROM households h JOIN applications a ON a.household_id = h.id WHERE a.program_code = 'condolence'"
			+ " AND a.status IN ('approved', 'disbursed', 'receipted', 'closed') GROUP BY h.id, h.org_id, h.status ORDER BY 1"),
		`${what}: the latest approved condolence filing per archive`);
}
async function assertTotals(what) {
	for (const q of ['', 'status=active', 'status=draft', 'status=active&category=dibao', `org_id=${w.s1.id}&status=active`]) {
		const r = await s.api('GET', `/households?limit=1&${q}`, { token: w.admin.token });
		assertStatus(r, 200);
		const cond = ['1 = 1'];
		for (const [k, v] of new URLSearchParams(q))
			cond.push(k === 'org_id' ? `h.org_id IN (SELECT id FROM orgs WHERE path LIKE (SELECT path FROM orgs WHERE id = ${v}) || '%')` : `h.${k} = '${v}'`);
		assert.equal(r.json.total, Number(rows(`SELECT COUNT(*) FROM households h WHERE ${cond.join(' AND ')}`)), `${what}: total of ?${q}`);
	}
	// RULE counts.grams: a surname and a given name, from the kept rows (migration 028)
	const name = rows("SELECT name FROM households ORDER BY id DESC LIMIT 1");
	for (const q of [[...name][0], [...name].slice(1, 3).join(''), name]) { // and the whole name: the grams alone (migration 030)
		for (const org of ['', `&org_id=${w.s1.id}`]) {
			const r = await s.api('GET', `/households?limit=1&q=${encodeURIComponent(q)}${org}`, { token: w.admin.token });
			assertStatus(r, 200);
			const like = [...q].length === 1 ? `'${q}%'` : `'%${q}%'`;
			const inOrg = org ? ` AND org_id IN (SELECT id FROM orgs WHERE path LIKE (SELECT path FROM orgs WHERE id = ${w.s1.id}) || '%')` : '';
			assert.equal(r.json.total, Number(rows(`SELECT COUNT(*) FROM households WHERE name LIKE ${like}${inOrg}`)), `${what}: total of ?q=${q}${org}`);
		}
	}
	// RULE counts.archive: archive-number prefixes of up to ten digits from the kept rows (migration 029), longer ones counted
	const no = rows("SELECT archive_no FROM households WHERE archive_no IS NOT NULL ORDER BY id DESC LIMIT 1");
	for (const len of [4, 6, 10, 12]) {
		for (const org of ['', `&org_id=${w.s1.id}`]) {
			const p = no.slice(0, len);
			const r = await s.api('GET', `/households?limit=1&q=${p}${org}`, { token: w.admin.token });
			assertStatus(r, 200);
			const inOrg = org ? ` AND org_id IN (SELECT id FROM orgs WHERE path LIKE (SELECT path FROM orgs WHERE id = ${w.s1.id}) || '%')` : '';
			assert.equal(r.json.total, Number(rows(`SELECT COUNT(*) FROM households WHERE archive_no LIKE '${p}%'${inOrg}`)), `${what}: total of ?q=${p}${org}`);
		}
	}
	// RULE counts.review: the reviews due, from the kept rows (migration 023)
	const today = START.slice(0, 10);
	for (const q of ['review_due=true', 'review_due=true&status=active', 'review_due=true&status=exited',
		`review_due=true&org_id=${w.s1.id}`, `review_due=true&org_id=${w.s1.id}&status=exited`]) {
		const r = await s.api('GET', `/households?limit=1&${q}`, { token: w.admin.token });
		assertStatus(r, 200);
		const org = q.includes('org_id') ? ` AND h.org_id IN (SELECT id FROM orgs WHERE path LIKE (SELECT path FROM orgs WHERE id = ${w.s1.id}) || '%')` : '';
		const active = q.includes('status=exited') ? '1 = 0' : "h.status = 'active'";
		const watched = q.includes('status=active') ? '' : ` OR (h.status = 'exited' AND h.monitor_until >= '${today}')`;
		assert.equal(r.json.total, Number(rows(`SELECT COUNT(*) FROM households h WHERE (${active}${watched}) AND h.next_review_date <= '${today}'${org}`)),
			`${what}: total of ?${q}`);
	}
}

test('every kind of change keeps the counts equal to a fresh COUNT', T, async () => {
	assertFresh('the start');
	const hs = await makeHouseholds(w, [
		{ org: 's1', category: 'dibao' }, { org: 's1', category: 'marginal' }, { org: 's2', category: 'accident' },
		{ org: 's1', upto: 'draft' }, { org: 's1', upto: 'in_notice' }, { org: 's2', upto: 'verified' }]);
	assertFresh('create and every step');
	// two reviews fall due (a date moved by SQL is a change as any other)
	s.sql(`UPDATE households SET next_review_date = '${START.slice(0, 4)}-01-15' WHERE id IN (${hs[0].id}, ${hs[2].id})`);
	assertFresh('review dates moved');
	await assertTotals('after the steps');
	assert.ok((await s.api('GET', '/households?limit=1&review_due=true', { token: w.admin.token })).json.total >= 2, 'reviews due');
	// a review that changes the category, a reject, an edit that changes nothing counted
	const rv = await hhAct(w, hs[0].id, w.reviewer, { action: 'review', monthly_income_fen: 20000000 });
	assert.notEqual(rv.category, 'dibao', 'the review moved the category');
	assertFresh('review');
	await hhAct(w, hs[4].id, w.reviewer, { action: 'reject', comment: '材料不全' });
	assertFresh('reject');
	// a rename moves the archive's name grams
	const d = (await s.api('GET', `/households/${hs[3].id}`, { token: w.admin.token })).json;
	assertStatus(await s.api('PATCH', `/households/${hs[3].id}`, { token: w.admin.token, body: { version: d.version, name: '欧阳改名' } }), 200, 'rename');
	assertFresh('rename');
	// both import ways, drafts and archived rows
	const arch = [...HEADER, '档案编号', '建档日期'];
	const good = [...family(2), ...family(3)].map((r) => [...r, '', '']);
	const active = family(1).map((r) => [...r, '330102202600077', '2025-06-01']);
	for (const oneByOne of [false, true]) {
		const batch = oneByOne ? [...family(2), ...family(1)].map((r) => [...r, '', '']) : [...good, ...active];
		const r = await s.api('POST', `/imports/households?org_id=${w.s1.id}&dry_run=false${oneByOne ? '&one_by_one=true' : ''}`,
			{ token: w.admin.token, rawBody: csv(batch, arch), contentType: CSV_TYPE });
		assertStatus(r, 200, 'import');
		assertFresh(`import ${oneByOne ? 'one by one' : 'in bulk'}`);
	}
	await assertTotals('after the imports');
	// a campaign covers the active archives; its coverage is the kept one
	const c = await s.api('POST', '/campaigns', { token: w.approverS.token, body: {
		org_id: w.s1.id, name: '春节送温暖', period: 'counts-1', amounts: { dibao: 1000, marginal: 800, accident: 600, none: 500 } } });
	assertStatus(c, 201, 'campaign');
	assertFresh('campaign');
	const activeS1 = Number(rows(`SELECT COUNT(*) FROM households WHERE status = 'active' AND org_id = ${w.s1.id}`));
	assert.deepEqual([c.json.coverage.covered, c.json.coverage.active], [activeS1, activeS1], 'every active archive of S1 covered');
	const acct = await openAccount(w, 1, w.financeC);
	await deposit(w, acct.id, 100000000, w.financeC);
	// one of its applications paid alone, then the campaign pays the rest
	const apps = (await s.api('GET', `/applications?campaign_id=${c.json.id}&limit=500`, { token: w.admin.token })).json.items;
	assertStatus(await s.api('POST', `/applications/${apps[0].id}/transitions`, { token: w.financeC.token,
		body: { action: 'disburse', account_id: acct.id } }), 200, 'a single disbursement');
	let cj = (await s.api('GET', `/campaigns/${c.json.id}`, { token: w.admin.token })).json;
	assert.deepEqual([cj.disbursed, cj.applications], [1, apps.length], 'one paid');
	assert.equal(cj.amount_fen, apps.reduce((t, a) => t + a.approved_fen, 0));
	assertStatus(await s.api('POST', `/campaigns/${c.json.id}/disburse`, { token: w.financeC.token, body: { account_id: acct.id } }), 200);
	cj = (await s.api('GET', `/campaigns/${c.json.id}`, { token: w.admin.token })).json;
	assert.deepEqual([cj.disbursed, cj.applications], [apps.length, apps.length], 'all paid');
	assertFresh('disbursement');
	// an exit takes the archive out of the active count and out of the coverage
	await hhAct(w, hs[1].id, w.approverS, { action: 'exit', exit_reason: '再就业，收入稳定' });
	assertFresh('exit');
	// the watch after it: a visit sets the next one, a visit due as the watch ends
	// ends them, a visit date moved into the past makes one due (RULE watch.visit)
	const watchVisit = (date) => s.api('POST', `/households/${hs[1].id}/visits`, { token: w.staff.token,
		body: { date, kind: 'monitoring', visitor: '监测员', notes: '回访' } });
	assertStatus(await watchVisit(START.slice(0, 10)), 201, 'a monitoring visit');
	assertFresh('a visit under watch');
	s.sql(`UPDATE households SET next_review_date = '${START.slice(0, 4)}-01-10' WHERE id = ${hs[1].id}`);
	assertFresh('a visit due');
	await assertTotals('a visit due');
	s.sql(`UPDATE households SET monitor_until = '${START.slice(0, 4)}-01-05' WHERE id = ${hs[1].id}`);
	assertFresh('a watch ended before its visit');
	await assertTotals('a watch ended');
	const [y, m] = START.slice(0, 7).split('-').map(Number);
	s.sql(`UPDATE households SET monitor_until = '${m < 12 ? y : y + 1}-${String(m % 12 + 1).padStart(2, '0')}-28' WHERE id = ${hs[1].id}`);
	assertStatus(await watchVisit(START.slice(0, 10)), 201, 'a visit whose next would fall past the watch ends them');
	assert.equal(rows(`SELECT COALESCE(next_review_date, 'none') FROM households WHERE id = ${hs[1].id}`), 'none');
	assertFresh('the last visit');
	const g = await s.api('GET', `/campaigns/${c.json.id}`, { token: w.admin.token });
	assert.deepEqual([g.json.coverage.covered, g.json.coverage.active], [activeS1 - 1, activeS1 - 1]);
	await assertTotals('after the exit');
	// a new archive in S1 is active but not covered
	const [late] = await makeHouseholds(w, [{ org: 's1', body: hhBody(w, 's1') }]);
	assert.equal(late.status, 'active');
	const g2 = await s.api('GET', `/campaigns/${c.json.id}`, { token: w.admin.token });
	assert.deepEqual([g2.json.coverage.covered, g2.json.coverage.active], [activeS1 - 1, activeS1]);
	// a condolence application of its own, filed, verified, then approved
	// (migration 037: the latest approved filing moves at the approval)
	const docs = (await s.api('GET', '/programs', { token: w.admin.token })).json.items.find((p) => p.code === 'condolence').documents;
	const own = await s.api('POST', '/applications', { token: w.staff.token, body: { household_id: late.id,
		program_code: 'condolence', requested_fen: 30000, member_id: null, reason: '节日慰问',
		documents: typeof docs === 'string' ? JSON.parse(docs) : docs } });
	assertStatus(own, 201, 'a condolence application');
	await appTrOk(w, own.json.id, w.reviewer, { action: 'verify' });
	assertFresh('a condolence application verified');
	assert.equal(rows(`SELECT COUNT(*) FROM hh_condolence WHERE household_id = ${late.id}`), '0', 'not approved yet');
	await appTrOk(w, own.json.id, w.approverD, { action: 'approve', approved_fen: 30000, comment: '同意' });
	assertFresh('a condolence application approved');
	assert.equal(rows(`SELECT active || ':' || last_at FROM hh_condolence WHERE household_id = ${late.id}`), `1:${own.json.created_at}`);
	assertFresh('the end');
	assert.equal(s.cli(['check']).code, 0, 'check passes');
});

test('GET /campaigns pages', T, async () => {
	for (let i = 0; i < 3; i++)
		assertStatus(await s.api('POST', '/campaigns', { token: w.approverS.token, body: {
			org_id: w.s1.id, name: `活动${i}`, period: `page-${i}`, amounts: { dibao: 100, marginal: 100, accident: 100, none: 100 } } }), 201);
	const all = await s.api('GET', '/campaigns', { token: w.admin.token });
	assert.ok(all.json.total >= 4);
	const p = await s.api('GET', '/campaigns?limit=2&offset=1', { token: w.admin.token });
	assert.equal(p.json.total, all.json.total);
	assert.deepEqual(p.json.items.map((x) => x.id), all.json.items.slice(1, 3).map((x) => x.id), 'newest first, the second and third');
	assert.equal((await s.api('GET', '/campaigns?limit=501', { token: w.admin.token })).status, 422);
	// a page's campaigns of several units: each as GET /campaigns/{id} reads it, the active
	// archives of its unit's subtree (read once per unit of the page) a fresh COUNT
	assertStatus(await s.api('POST', '/campaigns', { token: w.approverD.token, body: {
		org_id: w.d.id, name: '区活动', period: 'page-d', amounts: { dibao: 100, marginal: 100, accident: 100, none: 100 } } }), 201);
	const page = (await s.api('GET', '/campaigns', { token: w.admin.token })).json.items;
	assert.ok(new Set(page.map((c) => c.org_id)).size >= 2, 'campaigns of two units at least');
	for (const c of page) {
		assert.deepEqual(c, (await s.api('GET', `/campaigns/${c.id}`, { token: w.admin.token })).json, `campaign ${c.id}`);
		assert.equal(c.coverage.active, Number(rows("SELECT COUNT(*) FROM households h JOIN orgs o ON o.id = h.org_id"
			+ ` WHERE h.status = 'active' AND o.path LIKE (SELECT path FROM orgs WHERE id = ${c.org_id}) || '%'`)), `campaign ${c.id}: active`);
	}
});

test('bangfu check names a kept count that drifted', T, async () => {
	s.sql(`UPDATE hh_counts SET n = n + 1 WHERE org_id = ${w.s1.id} AND status = 'active' AND category = 'dibao'`);
	let c = s.cli(['check']);
	assert.equal(c.code, 1, c.stdout);
	assert.match(c.stdout, /按单位、状态、类别保存的档案数与档案不一致：1 处/);
	s.sql(`UPDATE hh_counts SET n = n - 1 WHERE org_id = ${w.s1.id} AND status = 'active' AND category = 'dibao'`);
	s.sql(`UPDATE cover_counts SET n = n - 1 WHERE period = 'counts-1'`);
	c = s.cli(['check']);
	assert.equal(c.code, 1, c.stdout);
	assert.match(c.stdout, /按单位、期别保存的慰问覆盖数与申请不一致：1 处/);
	s.sql(`UPDATE cover_counts SET n = n + 1 WHERE period = 'counts-1'`);
	assert.equal(s.cli(['check']).code, 0, 'repaired');
	s.sql(`UPDATE review_counts SET n = n + 1 WHERE org_id = ${w.s1.id}`);
	c = s.cli(['check']);
	assert.equal(c.code, 1, c.stdout);
	assert.match(c.stdout, /按单位、复核日期保存的在档数与档案不一致：\d+ 处/);
	s.sql(`UPDATE review_counts SET n = n - 1 WHERE org_id = ${w.s1.id}`);
	assert.equal(s.cli(['check']).code, 0, 'repaired');
	s.sql(`UPDATE review_tally SET n = n + 1 WHERE org_id = 1 AND kind = 'u'`);
	c = s.cli(['check']);
	assert.equal(c.code, 1, c.stdout);
	assert.match(c.stdout, /按单位（含下级）保存的待复核、待回访数与档案不一致：\d+ 处/);
	s.sql(`UPDATE review_tally SET n = n - 1 WHERE org_id = 1 AND kind = 'u'`);
	s.sql(`DELETE FROM org_tree WHERE org_id = ${w.s1.id} AND anc_id = 1`);
	c = s.cli(['check']);
	assert.equal(c.code, 1, c.stdout);
	assert.match(c.stdout, /单位的上级关系表与单位路径不一致：1 处/);
	s.sql(`INSERT INTO org_tree (org_id, anc_id) VALUES (${w.s1.id}, 1)`);
	assert.equal(s.cli(['check']).code, 0, 'repaired');
	s.sql(`UPDATE hh_report_counts SET n = n + 1 WHERE org_id = ${w.s1.id} AND status = 'active'`);
	c = s.cli(['check']);
	assert.equal(c.code, 1, c.stdout);
	assert.match(c.stdout, /按单位、状态、类别、致困原因保存的档案数与档案不一致：\d+ 处/);
	s.sql(`UPDATE hh_report_counts SET n = n - 1 WHERE org_id = ${w.s1.id} AND status = 'active'`);
	assert.equal(s.cli(['check']).code, 0, 'repaired');
	assert.ok(Number(rows('SELECT COUNT(*) FROM hh_condolence WHERE active = 1')) > 0, 'covered archives kept');
	s.sql('UPDATE hh_condolence SET active = 1 - active');
	c = s.cli(['check']);
	assert.equal(c.code, 1, c.stdout);
	assert.match(c.stdout, /按档案保存的最近一次已批准慰问申请时间与申请不一致：\d+ 处/);
	s.sql('UPDATE hh_condolence SET active = 1 - active');
	assert.equal(s.cli(['check']).code, 0, 'repaired');
	// the funds' flows per account and month (migration 026)
	assert.ok(Number(rows('SELECT COUNT(*) FROM ledger_monthly WHERE in_fen > 0')) > 0, 'deposits kept');
	s.sql('UPDATE ledger_monthly SET in_fen = in_fen + 1 WHERE in_fen > 0');
	c = s.cli(['check']);
	assert.equal(c.code, 1, c.stdout);
	assert.match(c.stdout, /按账户、月份保存的收支合计与资金流水不一致：\d+ 处/);
	s.sql('UPDATE ledger_monthly SET in_fen = in_fen - 1 WHERE in_fen > 0');
	assert.equal(s.cli(['check']).code, 0, 'repaired');
	s.sql(`UPDATE campaigns SET disbursed_n = disbursed_n - 1 WHERE period = 'counts-1'`);
	c = s.cli(['check']);
	assert.equal(c.code, 1, c.stdout);
	assert.match(c.stdout, /两节送温暖活动保存的申请数、金额或已发放数与申请不一致：1 处/);
	s.sql(`UPDATE campaigns SET disbursed_n = disbursed_n + 1 WHERE period = 'counts-1'`);
	assert.equal(s.cli(['check']).code, 0, 'repaired');
	s.sql(`UPDATE gram_counts SET n = n + 1 WHERE gram = '^欧' AND org_id = ${w.s1.id}`);
	c = s.cli(['check']);
	assert.equal(c.code, 1, c.stdout);
	assert.match(c.stdout, /按单位保存的姓名检索计数与检索索引不一致：1 处/);
	s.sql(`UPDATE gram_counts SET n = n - 1 WHERE gram = '^欧' AND org_id = ${w.s1.id}`);
	assert.equal(s.cli(['check']).code, 0, 'repaired');
	s.sql(`UPDATE archive_counts SET n = n + 1 WHERE org_id = ${w.s1.id} AND prefix = (SELECT MIN(prefix) FROM archive_counts WHERE org_id = ${w.s1.id})`);
	c = s.cli(['check']);
	assert.equal(c.code, 1, c.stdout);
	assert.match(c.stdout, /按单位、档案编号前十位保存的档案数与档案不一致：1 处/);
	s.sql(`UPDATE archive_counts SET n = n - 1 WHERE org_id = ${w.s1.id} AND prefix = (SELECT MIN(prefix) FROM archive_counts WHERE org_id = ${w.s1.id})`);
	assert.equal(s.cli(['check']).code, 0, 'repaired');
});
