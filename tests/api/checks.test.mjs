// Agency checks (家庭经济状况核对) on the worker's signed 授权委托书: the
// authorisation must be this household's attachment of that kind; one check
// per agency, pending until its result; roles staff, reviewer, admin; scope
// 404; counted in the quarterly report (requested, found).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withServer, limit, assertStatus, assertError, assertFieldError } from './lib.mjs';
import { aidWorld, makeHouseholds, auditOf, auditVerify } from './aid-world.mjs';
import { pdf } from './scans.mjs';

const T = { timeout: limit(300000) };

async function upload(w, who, q, bytes) {
	const res = await fetch(`${w.s.base}/api/v1/attachments?${new URLSearchParams(q)}`, { method: 'POST',
		headers: { Authorization: `Bearer ${who.token}`, 'Content-Type': 'application/pdf' }, body: bytes });
	const text = await res.text();
	return { status: res.status, text, json: JSON.parse(text) };
}

test('checks need the household\'s 授权委托书, record results and are counted in the report', T, async () => {
	await withServer({}, async (s) => {
		const w = await aidWorld(s, { label: 'checks', extraUsers: { staff2: ['s2', 'staff'], finance: ['s1', 'finance'] } });
		const [hh, other] = await makeHouseholds(w, [{ org: 's1', category: 'dibao' }, { org: 's1', category: 'marginal' }]);
		const auth = await upload(w, w.staff, { owner_type: 'household', owner_id: hh.id, kind: '授权委托书' }, pdf().bytes);
		assertStatus(auth, 201, 'the signed authorisation');
		const otherAuth = await upload(w, w.staff, { owner_type: 'household', owner_id: other.id, kind: '授权委托书' }, pdf().bytes);
		const idCard = await upload(w, w.staff, { owner_type: 'household', owner_id: hh.id, kind: '身份证' }, pdf().bytes);
		const today = w.today();
		const post = (who, body, id = hh.id) => s.api('POST', `/households/${id}/checks`, { token: who.token, body });

		// the authorisation must be this household's 授权委托书
		assertFieldError(await post(w.staff, { agency: 'housing', requested_on: today, authorisation_id: idCard.json.id }), 'authorisation_id');
		assertFieldError(await post(w.staff, { agency: 'housing', requested_on: today, authorisation_id: otherAuth.json.id }), 'authorisation_id');
		assertFieldError(await post(w.staff, { agency: 'spaceport', requested_on: today, authorisation_id: auth.json.id }), 'agency');
		assertFieldError(await post(w.staff, { agency: 'housing', requested_on: '2099-01-01', authorisation_id: auth.json.id }), 'requested_on');
		assertError(await post(w.finance, { agency: 'housing', requested_on: today, authorisation_id: auth.json.id }), 403, 'forbidden');
		assertError(await post(w.staff2, { agency: 'housing', requested_on: today, authorisation_id: auth.json.id }), 404, 'not_found');
		assert.equal(s.sql('SELECT COUNT(*) FROM household_checks').trim(), '0', 'nothing stored by refusals');

		const c1 = await post(w.staff, { agency: 'housing', requested_on: today, authorisation_id: auth.json.id });
		assertStatus(c1, 201, 'housing check');
		assert.equal(c1.json.status, 'pending');
		assert.equal(c1.json.agency_label, '房产');
		const c2 = await post(w.reviewer, { agency: 'vehicles', requested_on: today, authorisation_id: auth.json.id });
		assertStatus(c2, 201, 'a reviewer requests too');
		const c3 = await post(w.admin, { agency: 'bank', requested_on: today, authorisation_id: auth.json.id });
		assertStatus(c3, 201, 'an admin too');

		const result = (who, cid, body) => s.api('POST', `/households/${hh.id}/checks/${cid}/result`, { token: who.token, body });
		assertFieldError(await result(w.reviewer, c1.json.id, { result: 'found', result_on: today }), 'finding');
		assertFieldError(await result(w.reviewer, c1.json.id, { result: 'maybe', result_on: today }), 'result');
		assertFieldError(await result(w.reviewer, c1.json.id, { result: 'clear', result_on: '2020-01-01' }), 'result_on');
		const r1 = await result(w.reviewer, c1.json.id, { result: 'found', finding: '名下另有住房一套（80㎡）', result_on: today });
		assertStatus(r1, 200, 'found');
		assert.equal(r1.json.status, 'done');
		assert.equal(r1.json.result, 'found');
		assertStatus(await result(w.staff, c2.json.id, { result: 'clear', result_on: today }), 200, 'clear');
		assertError(await result(w.staff, c1.json.id, { result: 'clear', result_on: today }), 409, 'invalid_transition');
		assertError(await s.api('POST', `/households/${other.id}/checks/${c3.json.id}/result`, { token: w.staff.token,
			body: { result: 'clear', result_on: today } }), 404, 'not_found');

		const l = await s.api('GET', `/households/${hh.id}/checks`, { token: w.viewer.token });
		assertStatus(l, 200, 'list');
		assert.deepEqual(l.json.items.map((c) => [c.agency, c.status, c.result]),
			[['housing', 'done', 'found'], ['vehicles', 'done', 'clear'], ['bank', 'pending', null]]);
		assertError(await s.api('GET', `/households/${hh.id}/checks`, { token: w.staff2.token }), 404, 'not_found');
		assert.deepEqual((await auditOf(w, 'household_check', c1.json.id)).map((e) => e.action).filter((a) => a !== 'denied').sort(), ['create', 'result']);

		const rep = await s.api('GET', `/reports/quarterly?org_id=${w.d.id}&period=2026Q1`, { token: w.admin.token });
		assertStatus(rep, 200, 'report');
		assert.deepEqual(rep.json.total.checks, { requested: 3, found: 1 });
		const s1 = rep.json.units.find((u) => u.org_id === w.s1.id), s2 = rep.json.units.find((u) => u.org_id === w.s2.id);
		assert.deepEqual(s1.checks, { requested: 3, found: 1 });
		assert.deepEqual(s2.checks, { requested: 0, found: 0 });
		const q2 = await s.api('GET', `/reports/quarterly?org_id=${w.d.id}&period=2026Q2`, { token: w.admin.token });
		assert.deepEqual(q2.json.total.checks, { requested: 0, found: 0 });
		auditVerify(s);
	});
});
