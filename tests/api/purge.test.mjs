// Retention purge (RULE retention.purge): `bangfu purge --exited-before DATE
// [--dry-run]` erases the scans' bytes and the personal fields of archives
// exited before DATE; the quarterly reports of past periods read the same
// before and after; one audit entry per archive; the chain and `check` stay
// whole; an archive exited later and an active one are untouched.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withServer, limit, assertStatus } from './lib.mjs';
import { aidWorld, makeHouseholds, hhAct, openAccount, deposit, appTrOk, auditOf, auditVerify } from './aid-world.mjs';
import { jpeg, pdf } from './scans.mjs';

const T = { timeout: limit(400000) };

async function upload(w, q, bytes) {
	const res = await fetch(`${w.s.base}/api/v1/attachments?${new URLSearchParams(q)}`, { method: 'POST',
		headers: { Authorization: `Bearer ${w.staff.token}`, 'Content-Type': 'application/octet-stream' }, body: bytes });
	assert.equal(res.status, 201, await res.clone().text());
	return res.json();
}
const content = async (w, id) => (await fetch(`${w.s.base}/api/v1/attachments/${id}/content`,
	{ headers: { Authorization: `Bearer ${w.admin.token}` } })).status;

test('purge erases exited archives\' scans and personal fields; past reports unchanged', T, async () => {
	await withServer({}, async (s) => {
		const w = await aidWorld(s, { label: 'purge' });
		const acct = await openAccount(w, w.s1.id, w.financeC);
		await deposit(w, acct.id, 10000000, w.financeC);
		const [a, b, c] = await makeHouseholds(w, [{ org: 's1', category: 'dibao' }, { org: 's1', category: 'dibao' },
			{ org: 's2', category: 'marginal' }]);
		const progs = (await s.api('GET', '/programs', { token: w.admin.token })).json.items;
		const living = progs.find((p) => p.code === 'living');
		const scans = {};
		for (const h of [a, b]) {
			const filed = await s.api('POST', '/applications', { token: w.staff.token, body: { household_id: h.id,
				program_code: 'living', member_id: null, requested_fen: 30000, reason: '', documents: living.documents } });
			assertStatus(filed, 201, 'apply');
			await appTrOk(w, filed.json.id, w.reviewer, { action: 'verify' });
			await appTrOk(w, filed.json.id, w.approverS, { action: 'approve' });
			await appTrOk(w, filed.json.id, w.financeC, { action: 'disburse', account_id: acct.id });
			await appTrOk(w, filed.json.id, w.staff, { action: 'receipt', signed_by: `${h.name}本人`, signed_on: w.today() });
			assertStatus(await s.api('POST', `/households/${h.id}/visits`, { token: w.staff.token,
				body: { date: w.today(), kind: 'review', visitor: '李干事', notes: `${h.name}家中走访，住址见档案` } }), 201, 'visit');
			const cs = await s.api('POST', '/cases', { token: w.staff.token, body: { org_id: w.s1.id, channel: 'window',
				category: 'legal_aid', household_id: h.id, subject: '法律咨询', description: '' } });
			assertStatus(cs, 201, 'case');
			scans[h.id] = [
				await upload(w, { owner_type: 'household', owner_id: h.id, kind: '身份证' }, jpeg().bytes),
				await upload(w, { owner_type: 'application', owner_id: filed.json.id, kind: '救助申请书' }, pdf().bytes),
				await upload(w, { owner_type: 'case', owner_id: cs.json.id, kind: '其他' }, pdf().bytes),
			];
		}
		// A exits in March (Q1); B in April (Q2); C stays active
		await hhAct(w, a.id, w.approverS, { action: 'exit', exit_reason: '已就业，收入超过标准' });
		await w.setClock('2026-04-08T09:00:00Z');
		await hhAct(w, b.id, w.approverS, { action: 'exit', exit_reason: '家庭收入提高' });
		await w.setClock('2026-07-06T09:00:00Z');

		const reports = async () => {
			const out = {};
			for (const org of [1, w.d.id])
				for (const period of ['2026Q1', '2026Q2']) {
					const r = await s.api('GET', `/reports/quarterly?org_id=${org}&period=${period}`, { token: w.admin.token });
					assertStatus(r, 200, `report ${org} ${period}`);
					out[`${org} ${period}`] = r.json;
				}
			return out;
		};
		const before = await reports();
		assert.equal(before[`${w.d.id} 2026Q1`].total.households.exited, 1, 'the report counts A\'s exit');
		assert.equal(before[`${w.d.id} 2026Q1`].total.aid.by_program.living.count, 2, 'and both payments');

		// a dry run counts A alone and writes nothing
		const dry = s.cli(['purge', '--db', s.dbUrl, '--exited-before', '2026-04-01', '--dry-run']);
		assert.equal(dry.code, 0, dry.stderr);
		assert.match(dry.stdout, /演练（未写入）：将处理 1 个 2026-04-01 前退出的档案：清除个人信息，删除 3 个附件的文件内容/);
		assert.equal(await content(w, scans[a.id][0].id), 200, 'dry run: bytes still there');
		assert.equal(s.sql(`SELECT COUNT(*) FROM households WHERE purged_at IS NOT NULL`).trim(), '0');
		assert.equal(s.cli(['purge', '--db', s.dbUrl, '--exited-before', '2026-13-01']).code, 2, 'a bad date is a usage error');

		const run = s.cli(['purge', '--db', s.dbUrl, '--exited-before', '2026-04-01']);
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stdout, /已处理 1 个/);

		assert.deepEqual(await reports(), before, 'every past report reads the same');
		for (const sc of scans[a.id]) {
			assert.equal(await content(w, sc.id), 404, 'no bytes left');
			const m = (await s.api('GET', `/attachments/${sc.id}`, { token: w.admin.token })).json;
			assert.ok(m.purged_at, 'purged_at set');
			assert.equal(m.sha256, sc.sha256, 'the metadata stays');
		}
		for (const sc of scans[b.id])
			assert.equal(await content(w, sc.id), 200, 'B exited after the date: kept');
		const ga = (await s.api('GET', `/households/${a.id}`, { token: w.admin.token })).json;
		assert.equal(ga.name, '已清除');
		assert.equal(ga.phone, null);
		assert.equal(ga.address, null);
		assert.equal(ga.status, 'exited');
		assert.equal(ga.monthly_income_fen, a.monthly_income_fen, 'figures stay');
		const gb = (await s.api('GET', `/households/${b.id}`, { token: w.admin.token })).json;
		assert.equal(gb.name, b.name, 'B keeps its name');
		assert.equal(s.sql(`SELECT COUNT(*) FROM households WHERE id_number = '${a.id_number}'`).trim(), '0', 'no ID number left');
		assert.equal(s.sql(`SELECT COUNT(*) FROM archive_people WHERE id_number = '${a.id_number}'`).trim(), '0');
		assert.equal(s.sql(`SELECT COUNT(*) FROM visits WHERE household_id = ${a.id} AND notes IS NOT NULL`).trim(), '0');
		assert.equal(s.sql(`SELECT COUNT(*) FROM cases WHERE household_id = ${a.id} AND person_name <> '已清除'`).trim(), '0');
		assert.equal(s.sql(`SELECT signed_by FROM applications WHERE household_id = ${a.id}`).trim(), '已清除', 'the signer\'s name goes');
		assert.equal(s.sql(`SELECT signed_by FROM applications WHERE household_id = ${b.id}`).trim(), `${b.name}本人`, 'B keeps it');
		const q = await s.api('GET', `/households?q=${encodeURIComponent(a.name)}`, { token: w.admin.token });
		assert.equal(q.json.total, 0, 'the old name finds nothing');
		// one audit entry per archive
		const purges = (await auditOf(w, 'household')).filter((e) => e.action === 'purge');
		assert.deepEqual(purges.map((e) => e.entity_id), [a.id]);
		assert.match(purges[0].summary, /删除 3 个附件的文件内容/);
		auditVerify(s);
		const ck = s.cli(['check']);
		assert.equal(ck.code, 0, ck.stdout + ck.stderr);
		// the ID number is free for a new archive; a second run finds nothing more
		const again = s.cli(['purge', '--db', s.dbUrl, '--exited-before', '2026-04-01']);
		assert.match(again.stdout, /已处理 0 个/);
		assert.equal(c.status, 'active');
	});
});
