// Clues (线索) and the informant (信息员), API.md "Found early": an informant
// files clues for its unit or one below and sees only its own, with nothing
// saying whether the person has an archive; every other route answers 403.
// Staff see the subtree's clues masked, resolve each once within 5 working
// days; overdue clues are on the dashboard.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertFieldError, assertStatus, listAll, limit } from './lib.mjs';
import { aidWorld, makeHouseholds, hhBody, auditOf, auditVerify } from './aid-world.mjs';
import { badCheck, maskId } from './idgen.mjs';

const T = { timeout: limit(120000) };
const post = (w, who, p, body) => w.s.api('POST', p, { token: who.token, body });
const get = (w, who, p) => w.s.api('GET', p, { token: who.token });
const clueBody = (w, over = {}) => ({ org_id: w.s1.id, name: '赵线索', id_number: w.p.male(), phone: '13912345678',
	address: '湖滨街道 3 号', situation: '丈夫突发重病住院，家中无收入', causes: ['illness_family'], ...over });
async function file(w, who, over) {
	const r = await post(w, who, '/clues', clueBody(w, over));
	assertStatus(r, 201, 'file a clue');
	return r.json;
}
const count = async (w) => (await get(w, w.admin, '/clues?limit=1')).json.total;

describe('clues and the informant', () => {
	let s, w, hh, hhS2;
	before(async () => {
		s = await startServer({ clock: '2026-03-02T09:00:00Z' });
		w = await aidWorld(s, { label: 'found-clues', extraUsers: {
			informant: ['s1', 'informant'], informant2: ['s1', 'informant'], informantD: ['d', 'informant'],
			staffS2: ['s2', 'staff'], finance: ['s1', 'finance'] } });
		[hh, hhS2] = await makeHouseholds(w, [{ org: 's1' }, { org: 's2' }]);
		await w.setClock('2026-03-02T09:00:00Z');
	});
	after(() => s && s.stop());

	test('an informant files a clue: open, received today, due the 5th working day, masked', T, async () => {
		const c = await file(w, w.informant);
		assert.equal(c.status, 'open');
		assert.equal(c.received_on, '2026-03-02');
		assert.equal(c.due_date, '2026-03-09'); // Mon + 5 working days
		assert.match(c.id_number, /^\d{6}\*+\w{4}$/);
		assert.equal(c.phone, '139****5678');
		assert.deepEqual(c.causes, ['illness_family']);
		assert.equal(c.overdue, false);
		const d = await file(w, w.informantD, { org_id: w.s2.id, id_number: null, phone: null, causes: [] });
		assert.equal(d.id_number, null);
		assert.deepEqual(d.causes, []);
		const a = await auditOf(w, 'clue', c.id);
		assert.equal(a.length, 1);
		assert.equal(a[0].action, 'create');
	});

	test('refused clues change nothing: out of scope, bad ID number, unknown cause, missing fields', T, async () => {
		const before = await count(w);
		assertError(await post(w, w.informant, '/clues', clueBody(w, { org_id: w.s2.id })), 404, 'not_found');
		assertError(await post(w, w.informant, '/clues', clueBody(w, { org_id: w.d.id })), 404, 'not_found');
		assertFieldError(await post(w, w.informant, '/clues', clueBody(w, { id_number: badCheck(w.p.male()) })), 'id_number');
		assertFieldError(await post(w, w.informant, '/clues', clueBody(w, { id_number: '12345' })), 'id_number');
		assertFieldError(await post(w, w.informant, '/clues', clueBody(w, { causes: ['bad_luck'] })), 'causes');
		assertFieldError(await post(w, w.informant, '/clues', clueBody(w, { situation: '' })), 'situation');
		assertFieldError(await post(w, w.informant, '/clues', clueBody(w, { address: undefined })), 'address');
		for (const who of [w.viewer, w.reviewer, w.finance, w.approverS])
			assertError(await post(w, who, '/clues', clueBody(w)), 403, 'forbidden');
		assert.equal(await count(w), before);
	});

	test('an informant is refused every other route, reads included, even for records that exist', T, async () => {
		const staffClue = await file(w, w.staff);
		const refused = [
			['GET', '/households'], ['GET', `/households/${hh.id}`], ['GET', '/households/999999'],
			['GET', `/households/${hhS2.id}`], ['GET', '/orgs'], ['GET', `/orgs/${w.s1.id}`], ['GET', '/users'],
			['GET', '/applications'], ['GET', '/programs'], ['GET', '/reports/dashboard'],
			['GET', '/reports/quarterly?period=2026Q1'], ['GET', '/cases'], ['GET', '/audit'],
			['GET', `/clues/${staffClue.id}`], ['GET', '/clues/999999'], ['POST', `/clues/${staffClue.id}/resolve`],
			['POST', '/households'], ['POST', '/households/search'], ['POST', `/households/${hh.id}/reveal`],
			['POST', '/applications'], ['POST', '/me/password'],
		];
		for (const [m, p] of refused) {
			const r = await w.s.api(m, p, { token: w.informant.token, body: m === 'POST' ? {} : undefined });
			assertError(r, 403, 'forbidden', `${m} ${p}`);
		}
		const me = await get(w, w.informant, '/me');
		assertStatus(me, 200, 'GET /me');
		assert.equal(me.json.role, 'informant');
	});

	test('no clue answer tells an informant whether the person has an archive', T, async () => {
		const archived = await file(w, w.informant, { id_number: hh.id_number, name: hh.name });
		const fresh = await file(w, w.informant, { id_number: w.p.male(), name: '钱无档' });
		assert.deepEqual(Object.keys(archived).sort(), Object.keys(fresh).sort());
		const same = (o) => { const c = { ...o }; for (const k of ['id', 'name', 'id_number', 'created_at', 'updated_at']) delete c[k]; return c; };
		assert.deepEqual(same(archived), same(fresh));
		for (const k of Object.keys(archived))
			assert.doesNotMatch(k, /household|archive|outcome|application/, `no archive hint in key ${k}`);
		// resolved as a duplicate (the person has an archive) and as not in difficulty: the
		// informant's list shows both resolved, alike
		assertStatus(await post(w, w.staff, `/clues/${archived.id}/resolve`, { outcome: 'duplicate', household_id: hh.id, comment: '已在档' }), 200);
		assertStatus(await post(w, w.staff, `/clues/${fresh.id}/resolve`, { outcome: 'not_in_difficulty', comment: '核实不困难' }), 200);
		const mine = (await listAll(w.s, '/clues', w.informant.token)).items;
		const a = mine.find((c) => c.id === archived.id), f = mine.find((c) => c.id === fresh.id);
		assert.deepEqual(Object.keys(a).sort(), Object.keys(f).sort());
		assert.deepEqual(same(a), same(f));
		assert.equal(a.status, 'resolved');
		assert.ok(!JSON.stringify(a).includes(String(hh.archive_no)), 'no archive number');
		// the staff see the outcome and the link
		const st = await get(w, w.staff, `/clues/${archived.id}`);
		assert.equal(st.json.outcome, 'duplicate');
		assert.equal(st.json.household_id, hh.id);
	});

	test('an informant sees only its own clues; staff the subtree, masked', T, async () => {
		const other = await file(w, w.informant2);
		const mine = (await listAll(w.s, '/clues', w.informant.token)).items;
		assert.ok(mine.length >= 3);
		assert.ok(mine.every((c) => c.created_by === w.informant.user.id), 'own clues only');
		assert.ok(!mine.some((c) => c.id === other.id));
		const staff = (await listAll(w.s, '/clues', w.staff.token)).items;
		assert.ok(staff.some((c) => c.id === other.id));
		assert.ok(staff.every((c) => c.org_id === w.s1.id), 'the street sees its own subtree');
		for (const c of staff) {
			assert.ok(c.id_number == null || /^\d{6}\*+\w{4}$/.test(c.id_number), `masked ${c.id_number}`);
			assert.ok(c.phone == null || /^\d{3}\*{4}\d{4}$/.test(c.phone), `masked ${c.phone}`);
		}
		const s2 = (await listAll(w.s, '/clues', w.staffS2.token)).items;
		assert.ok(s2.length >= 1 && s2.every((c) => c.org_id === w.s2.id));
		assertError(await get(w, w.staffS2, `/clues/${other.id}`), 404, 'not_found');
		assertError(await post(w, w.staffS2, `/clues/${other.id}/resolve`, { outcome: 'referred' }), 404, 'not_found');
		const district = (await listAll(w.s, '/clues', w.staffD.token)).items;
		assert.ok(district.some((c) => c.org_id === w.s1.id) && district.some((c) => c.org_id === w.s2.id));
		const byOrg = (await listAll(w.s, `/clues?org_id=${w.s2.id}`, w.staffD.token)).items;
		assert.ok(byOrg.every((c) => c.org_id === w.s2.id));
		assertError(await get(w, w.staffS2, `/clues?org_id=${w.s1.id}`), 404, 'not_found');
	});

	test('resolving: links in scope, once, by staff, reviewer or admin', T, async () => {
		const c = await file(w, w.informant);
		const path = `/clues/${c.id}/resolve`;
		assertFieldError(await post(w, w.staff, path, { outcome: 'archived' }), 'household_id');
		assertFieldError(await post(w, w.staff, path, { outcome: 'emergency_aid', comment: '' }), 'application_id');
		assertFieldError(await post(w, w.staff, path, { outcome: 'lost' }), 'outcome');
		assertError(await post(w, w.staffD, path, { outcome: 'archived', household_id: 999999 }), 404, 'not_found');
		assertError(await post(w, w.staff, path, { outcome: 'archived', household_id: hhS2.id }), 404, 'not_found');
		assertError(await post(w, w.staff, path, { outcome: 'emergency_aid', application_id: 999999 }), 404, 'not_found');
		for (const who of [w.viewer, w.finance, w.approverS])
			assertError(await post(w, who, path, { outcome: 'referred' }), 403, 'forbidden');
		assert.equal((await get(w, w.staff, `/clues/${c.id}`)).json.status, 'open', 'refusals change nothing');
		const r = await post(w, w.staff, path, { outcome: 'archived', household_id: hh.id, comment: '已建档' });
		assertStatus(r, 200, 'resolve');
		assert.equal(r.json.status, 'resolved');
		assert.equal(r.json.outcome, 'archived');
		assert.equal(r.json.household_id, hh.id);
		assert.equal(r.json.resolved_on, '2026-03-02');
		assert.equal(r.json.on_time, true);
		assertError(await post(w, w.staff, path, { outcome: 'referred' }), 409, 'invalid_transition');
		assertError(await post(w, w.reviewer, path, { outcome: 'duplicate' }), 409, 'invalid_transition');
		const d = await file(w, w.informant);
		const rv = await post(w, w.reviewer, `/clues/${d.id}/resolve`, { outcome: 'referred', comment: '转介民政' });
		assertStatus(rv, 200, 'a reviewer resolves');
		assert.equal(rv.json.outcome, 'referred');
		const audit = await auditOf(w, 'clue', c.id);
		assert.deepEqual(audit.map((a) => a.action).filter((a) => a !== 'denied').sort(), ['create', 'resolve']);
	});

	test('overdue clues: the list and the dashboard; late resolution is not on time', T, async () => {
		const c = await file(w, w.informant);
		const open = (await listAll(w.s, '/clues?status=open', w.staff.token)).items;
		assert.ok(open.some((x) => x.id === c.id));
		let dash = (await get(w, w.staff, '/reports/dashboard')).json;
		const before = dash.clues_overdue;
		assert.equal(before, 0);
		assert.ok(dash.clues_open >= 1);
		await w.setClock('2026-03-10T09:00:00Z'); // due 03-09
		const over = (await listAll(w.s, '/clues?overdue=true', w.staff.token)).items;
		assert.ok(over.some((x) => x.id === c.id));
		assert.ok(over.every((x) => x.status === 'open' && x.due_date < '2026-03-10' && x.overdue === true));
		dash = (await get(w, w.staff, '/reports/dashboard')).json;
		assert.equal(dash.clues_overdue, over.length);
		const i = dash.months.indexOf('2026-03');
		assert.ok(dash.clues_received[i] >= 8, 'received this month');
		const onTime = dash.clues_on_time[i];
		const r = await post(w, w.admin, `/clues/${c.id}/resolve`, { outcome: 'not_in_difficulty' });
		assertStatus(r, 200);
		assert.equal(r.json.on_time, false);
		dash = (await get(w, w.staff, '/reports/dashboard')).json;
		assert.equal(dash.clues_on_time[i], onTime, 'a late resolution is not on time');
		assert.equal(dash.clues_overdue, over.length - 1);
		assertFieldError(await get(w, w.staff, '/clues?status=closed'), 'status');
		await w.setClock('2026-03-02T09:00:00Z');
		auditVerify(s);
	});
});
