// The quarterly report's blocks of API.md "Found early" in JSON, Excel and
// PDF: clues received / resolved / on time / archived, emergency aid paid
// and archived after, households under watch at the end and reopened.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test, describe, before, after } from 'node:test';
import { startServer, assertStatus, limit, REPO } from './lib.mjs';
import { aidWorld, makeHouseholds, hhBody, hhAct, openAccount, deposit, appTrOk } from './aid-world.mjs';

const T = { timeout: limit(120000) };
const post = (w, who, p, body) => w.s.api('POST', p, { token: who.token, body });
const get = (w, who, p) => w.s.api('GET', p, { token: who.token });
const clue = (w, who, org_id) => post(w, who, '/clues', { org_id, name: '吴线索', id_number: null, phone: null,
	address: '某小区', situation: '失业后无收入', causes: ['unemployment'] });

describe('the quarterly report of clues, emergency aid and the watch', () => {
	let s, w, rep;
	before(async () => {
		s = await startServer({ clock: '2026-03-02T09:00:00Z' });
		w = await aidWorld(s, { label: 'found-report', extraUsers: { informant: ['s1', 'informant'] } });
		const [h1, h2, h3] = await makeHouseholds(w, [{}, {}, {}]); // clock: after the notice, in March
		const c1 = (await clue(w, w.informant, w.s1.id)).json;
		const c2 = (await clue(w, w.informant, w.s1.id)).json;
		assertStatus(await clue(w, w.staffD, w.s2.id), 201);
		assertStatus(await post(w, w.staff, `/clues/${c1.id}/resolve`, { outcome: 'archived', household_id: h1.id }), 200);
		const acct = await openAccount(w, 1, w.financeC);
		await deposit(w, acct.id, 500000, w.financeC);
		await w.setClock('2026-03-20T09:00:00Z');
		assertStatus(await post(w, w.staff, `/clues/${c2.id}/resolve`, { outcome: 'not_in_difficulty' }), 200); // late
		const pid = w.p.male();
		const app = await post(w, w.staff, '/applications', { program_code: 'emergency', org_id: w.s1.id,
			person: { name: '郑急难', id_number: pid, phone: null, address: '某村' }, requested_fen: 100000,
			reason: '车祸', documents: ['身份证'] });
		assertStatus(app, 201);
		await appTrOk(w, app.json.id, w.reviewer, { action: 'verify' });
		await appTrOk(w, app.json.id, w.approverS, { action: 'approve' });
		await appTrOk(w, app.json.id, w.financeC, { action: 'disburse', account_id: acct.id });
		const hp = await post(w, w.staff, '/households', hhBody(w, 's1', { id_number: pid }));
		assertStatus(await post(w, w.staff, `/applications/${app.json.id}/follow-up`, { outcome: 'archived', household_id: hp.json.id }), 200);
		await hhAct(w, h2.id, w.approverS, { action: 'exit', exit_reason: '收入提高' });
		await hhAct(w, h3.id, w.approverS, { action: 'exit', exit_reason: '收入提高' });
		await hhAct(w, h3.id, w.staff, { action: 'reopen', comment: '返困' });
		const r = await get(w, w.admin, `/reports/quarterly?org_id=${w.d.id}&period=2026Q1`);
		assertStatus(r, 200);
		rep = r.json;
	});
	after(() => s && s.stop());

	test('JSON: the total and each child unit', T, async () => {
		assert.deepEqual(rep.total.clues, { received: 3, resolved: 2, on_time: 1, archived: 1 });
		assert.deepEqual(rep.total.emergency, { count: 1, amount_fen: 100000, archived_after: 1 });
		assert.equal(rep.total.households.monitoring, 1, 'the reopened one is no longer watched');
		assert.equal(rep.total.households.reopened, 1);
		const s1 = rep.units.find((u) => u.org_id === w.s1.id), s2 = rep.units.find((u) => u.org_id === w.s2.id);
		assert.deepEqual(s1.clues, { received: 2, resolved: 2, on_time: 1, archived: 1 });
		assert.deepEqual(s2.clues, { received: 1, resolved: 0, on_time: 0, archived: 0 });
		assert.deepEqual(s2.emergency, { count: 0, amount_fen: 0, archived_after: 0 });
		assert.equal(s2.households.monitoring, 0);
		const q2 = (await get(w, w.admin, `/reports/quarterly?org_id=${w.d.id}&period=2026Q2`)).json;
		assert.deepEqual(q2.total.clues, { received: 0, resolved: 0, on_time: 0, archived: 0 });
		assert.equal(q2.total.emergency.count, 0);
		assert.equal(q2.total.households.monitoring, 1, 'still watched at the end of June');
		assert.equal(q2.total.households.reopened, 0);
	});

	test('Excel and PDF carry the blocks', T, async () => {
		const x = await w.s.api('GET', `/reports/quarterly.xlsx?org_id=${w.d.id}&period=2026Q1`, { token: w.admin.token });
		assertStatus(x, 200);
		const file = path.join(s.dir, 'found.xlsx');
		const res = await fetch(`${s.base}/api/v1/reports/quarterly.xlsx?org_id=${w.d.id}&period=2026Q1`,
			{ headers: { Authorization: `Bearer ${w.admin.token}` } });
		fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
		const r = spawnSync('python3', [path.join(REPO, 'tests/api/xlsx_read.py'), file], { encoding: 'utf8' });
		assert.equal(r.status, 0, r.stderr);
		const sheet = JSON.parse(r.stdout).sheets.find((sh) => sh.name === '线索与临时救助');
		assert.ok(sheet, 'the sheet is there');
		const texts = Object.values(sheet.cells).map((c) => c.v);
		for (const head of ['收到线索', '按时处理', '发放金额（元）', '跟进后建档', '期末监测户数', '本期重新启用'])
			assert.ok(texts.includes(head), `column ${head}`);
		assert.ok(texts.includes(1000), 'the emergency amount in yuan');
		const pdf = await fetch(`${s.base}/api/v1/reports/quarterly.pdf?org_id=${w.d.id}&period=2026Q1`,
			{ headers: { Authorization: `Bearer ${w.admin.token}` } });
		assert.equal(pdf.status, 200);
		const buf = Buffer.from(await pdf.arrayBuffer());
		assert.equal(buf.subarray(0, 5).toString(), '%PDF-');
	});

	// RULE report.emergency: every programme flagged emergency counts (an admin's
	// too, API.md), read by their codes; a payment of any other programme does not
	test('emergency aid counts every emergency programme and nothing else', T, async () => {
		await w.setClock('2026-04-07T09:00:00Z');
		const prog = await post(w, w.admin, '/programs', { code: 'disaster', name: '灾害临时救助', standard_fen: 50000,
			max_fen: 300000, deadline_workdays: 2, documents: ['身份证'], tiers: [{ level: 'street', max_fen: null }],
			rules: {}, emergency: true });
		assertStatus(prog, 201, 'an emergency programme of the admin');
		const acct = await openAccount(w, 1, w.financeC);
		await deposit(w, acct.id, 1000000, w.financeC);
		const pay = async (body) => {
			const a = await post(w, w.staff, '/applications', { org_id: w.s1.id, ...body });
			assertStatus(a, 201, `apply ${body.program_code}`);
			await appTrOk(w, a.json.id, w.reviewer, { action: 'verify' });
			await appTrOk(w, a.json.id, w.approverS, { action: 'approve' });
			await appTrOk(w, a.json.id, w.financeC, { action: 'disburse', account_id: acct.id });
		};
		await pay({ program_code: 'disaster', person: { name: '冯灾民', id_number: w.p.male(), phone: null, address: '某镇' },
			requested_fen: 120000, reason: '房屋受灾', documents: ['身份证'] });
		const [h] = await makeHouseholds(w, [{}]);
		await pay({ program_code: 'living', household_id: h.id, requested_fen: 30000, reason: '生活困难',
			documents: ['救助申请书', '身份证复印件', '低保证或单位/社区出具的困难证明'] });
		const q2 = (await get(w, w.admin, `/reports/quarterly?org_id=${w.d.id}&period=2026Q2`)).json;
		assert.deepEqual(q2.total.emergency, { count: 1, amount_fen: 120000, archived_after: 0 });
		assert.deepEqual(q2.units.find((u) => u.org_id === w.s1.id).emergency, { count: 1, amount_fen: 120000, archived_after: 0 });
		const q1 = (await get(w, w.admin, `/reports/quarterly?org_id=${w.d.id}&period=2026Q1`)).json;
		assert.deepEqual(q1.total.emergency, { count: 1, amount_fen: 100000, archived_after: 1 }, 'the first quarter as before');
	});
});
