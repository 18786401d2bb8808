// What is recorded about a household: visits (走访), pairings (结对帮扶),
// the event trail of the workflow and the audit log.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertFieldError, assertStatus, listAll, limit } from './lib.mjs';
import { people, hhBody, world, createHh, act, getHh, walk } from './idgen.mjs';

const T = { timeout: limit(60000) };
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

describe('household records', () => {
	let s, w;
	before(async () => {
		s = await startServer({ clock: '2026-03-02T09:00:00Z' });
		w = await world(s, { users: ['staff1', 'reviewer1', 'approver', 'viewer1', 'staff2', 'reviewer2', 'staffD', 'viewerD'] });
	});
	after(async () => { if (s) await s.stop(); });

	const auditOf = async (entity, id) => (await listAll(s, `/audit?entity=${entity}&entity_id=${id}`, w.admin.token)).items;

	test('visits: staff and admin record them; GET lists them; other roles 403; bad values 422', T, async () => {
		const p = people('visits');
		const h = await createHh(w, hhBody(w.s1.id, p));
		const post = (who, body, id = h.id) => s.api('POST', `/households/${id}/visits`, { token: who.token, body });
		const ok = { date: '2026-03-02', kind: 'verification', visitor: '王核查', notes: '入户核查，情况属实' };
		const r = await post(w.staff1, ok);
		assertStatus(r, 201, 'visit by staff');
		assert.equal(typeof r.json.id, 'number');
		for (const k of Object.keys(ok))
			assert.equal(r.json[k], ok[k], `visit echoes ${k}`);
		const kinds = ['condolence', 'pairing', 'review'];
		const made = [r.json];
		for (const kind of kinds) {
			const x = await post(kind === 'review' ? w.admin : w.staff1, { date: '2026-02-15', kind, visitor: '李干部' });
			assertStatus(x, 201, `visit ${kind}`);
			assert.equal(x.json.kind, kind);
			made.push(x.json);
		}
		for (const who of ['reviewer1', 'approver', 'viewer1', 'viewerD'])
			assertError(await post(w[who], ok), 403, 'forbidden', `${who} records a visit`);
		assertFieldError(await post(w.staff1, { ...ok, date: '2026-03-03' }), 'date', { what: 'tomorrow' });
		assertFieldError(await post(w.staff1, { ...ok, date: '2027-01-01' }), 'date', { what: 'next year' });
		assertFieldError(await post(w.staff1, { ...ok, kind: 'party' }), 'kind', { what: 'unknown kind' });
		assertFieldError(await post(w.staff1, { ...ok, visitor: '' }), 'visitor', { what: 'empty visitor' });
		const badDate = await post(w.staff1, { ...ok, date: '2026-02-30' });
		assert.ok([400, 422].includes(badDate.status), `30 February: ${badDate.status} ${badDate.text}`);
		if (badDate.status === 422)
			assertFieldError(badDate, 'date');
		assertError(await post(w.staff1, { ...ok, mood: 'good' }), 400, 'bad_request', 'unknown field');
		assertError(await post(w.staff1, { ...ok, date: 20260302 }), 400, 'bad_request', 'date as a number');
		// scope: the sibling street, even with the wrong role, gets 404 first
		assertError(await post(w.staff2, ok), 404, 'not_found', 'S2 staff');
		assertError(await post(w.reviewer2, ok), 404, 'not_found', 'S2 reviewer (scope before role)');
		assertError(await s.api('GET', `/households/${h.id}/visits`, { token: w.staff2.token }), 404, 'not_found', 'S2 lists');
		assertError(await post(w.staff1, ok, 987654), 404, 'not_found', 'no such household');
		// the district records one too
		assertStatus(await post(w.staffD, { ...ok, kind: 'condolence' }), 201, 'district staff');
		const l = await s.api('GET', `/households/${h.id}/visits`, { token: w.viewer1.token });
		assertStatus(l, 200, 'a viewer lists visits');
		assert.ok(Array.isArray(l.json.items));
		assert.equal(l.json.items.length, 5);
		assert.equal(l.json.total, 5);
		for (const m of made) {
			const it = l.json.items.find((x) => x.id === m.id);
			assert.ok(it, `visit ${m.id} listed`);
			assert.equal(it.kind, m.kind);
			assert.equal(it.date, m.date);
			assert.equal(it.visitor, m.visitor);
		}
		// another household's visits are its own
		const h2 = await createHh(w, hhBody(w.s1.id, p));
		const l2 = await s.api('GET', `/households/${h2.id}/visits`, { token: w.staff1.token });
		assert.deepEqual(l2.json.items, []);
		assert.equal(l2.json.total, 0);
		// audited
		const au = await auditOf('visit', r.json.id);
		assert.ok(au.some((e) => e.action === 'create' && e.user_id === w.staff1.user.id), `visit audited: ${JSON.stringify(au)}`);
	});

	test('pairings: one plan per household (一户一法); validation; roles; scope', T, async () => {
		const p = people('pairings');
		const h = await createHh(w, hhBody(w.s1.id, p));
		const post = (who, body) => s.api('POST', `/households/${h.id}/pairings`, { token: who.token, body });
		const ok = { cadre_name: '赵干部', cadre_unit: '市总工会机关', plan: '每季度走访；协助子女助学申请；推荐再就业岗位', visits_per_year: 4, start_date: '2026-03-01' };
		const r = await post(w.staff1, ok);
		assertStatus(r, 201, 'pairing');
		assert.equal(typeof r.json.id, 'number');
		for (const k of Object.keys(ok))
			assert.equal(r.json[k], ok[k], `pairing echoes ${k}`);
		assertStatus(await post(w.admin, { ...ok, visits_per_year: 12, cadre_name: '钱干部' }), 201, 'admin, 12 a year');
		assertStatus(await post(w.staff1, { ...ok, visits_per_year: 1, cadre_name: '孙干部' }), 201, 'once a year');
		for (const n of [0, 13, -1])
			assertFieldError(await post(w.staff1, { ...ok, visits_per_year: n }), 'visits_per_year', { what: `visits_per_year ${n}` });
		const noPlan = { ...ok };
		delete noPlan.plan;
		const rp = await post(w.staff1, noPlan);
		assert.ok([400, 422].includes(rp.status), `no plan: ${rp.status} ${rp.text}`);
		assertFieldError(await post(w.staff1, { ...ok, plan: '' }), 'plan', { what: 'empty plan' });
		assertFieldError(await post(w.staff1, { ...ok, cadre_name: '' }), 'cadre_name', { what: 'empty cadre' });
		const bd = await post(w.staff1, { ...ok, start_date: '2026-13-01' });
		assert.ok([400, 422].includes(bd.status), `bad start_date: ${bd.status} ${bd.text}`);
		assertError(await post(w.staff1, { ...ok, visits_per_year: '4' }), 400, 'bad_request', 'visits_per_year as a string');
		assertError(await post(w.staff1, { ...ok, budget: 1 }), 400, 'bad_request', 'unknown field');
		for (const who of ['reviewer1', 'approver', 'viewer1'])
			assertError(await post(w[who], ok), 403, 'forbidden', `${who} adds a pairing`);
		assertError(await post(w.staff2, ok), 404, 'not_found', 'S2 staff');
		assertError(await s.api('GET', `/households/${h.id}/pairings`, { token: w.staff2.token }), 404, 'not_found', 'S2 lists');
		const l = await s.api('GET', `/households/${h.id}/pairings`, { token: w.viewerD.token });
		assertStatus(l, 200);
		assert.equal(l.json.total, 3);
		assert.deepEqual(l.json.items.map((x) => x.cadre_name).sort(), ['孙干部', '赵干部', '钱干部'].sort());
		const it = l.json.items.find((x) => x.id === r.json.id);
		assert.equal(it.plan, ok.plan);
		assert.equal(it.visits_per_year, 4);
		assert.equal(it.start_date, '2026-03-01');
		const au = await auditOf('pairing', r.json.id);
		assert.ok(au.some((e) => e.action === 'create'), 'pairing audited');
	});

	test('events: every transition in order with at, user_id, action, from, to, comment, data; refused ones leave none', T, async () => {
		const p = people('events');
		const h = await createHh(w, hhBody(w.s1.id, p));
		const evs = async () => {
			const r = await s.api('GET', `/households/${h.id}/events`, { token: w.viewer1.token });
			assertStatus(r, 200, 'events');
			return r.json.items.filter((e) => e.action !== 'create');
		};
		assert.deepEqual(await evs(), []);
		await act(w, h.id, w.staff1, { action: 'submit', comment: '申请' });
		await act(w, h.id, w.reviewer1, { action: 'reject', comment: '缺材料' });
		await act(w, h.id, w.staff1, { action: 'submit' });
		// refused attempts
		assertError(await s.api('POST', `/households/${h.id}/transitions`, { token: w.reviewer1.token, body: { action: 'verify', category: 'dibao' } }), 422, 'validation_failed');
		assertError(await s.api('POST', `/households/${h.id}/transitions`, { token: w.approver.token, body: { action: 'approve' } }), 409, 'invalid_transition');
		assertError(await s.api('POST', `/households/${h.id}/transitions`, { token: w.viewer1.token, body: { action: 'submit' } }), 403, 'forbidden');
		const ev = await evs();
		assert.deepEqual(ev.map((e) => [e.action, e.from, e.to, e.comment, e.user_id]), [
			['submit', 'draft', 'submitted', '申请', w.staff1.user.id],
			['reject', 'submitted', 'rejected', '缺材料', w.reviewer1.user.id],
			['submit', 'rejected', 'submitted', null, w.staff1.user.id],
		]);
		for (const e of ev) {
			for (const k of ['at', 'user_id', 'action', 'from', 'to', 'comment', 'data'])
				assert.ok(Object.hasOwn(e, k), `event lacks ${k}: ${JSON.stringify(e)}`);
			assert.match(e.at, RFC3339);
			assert.ok(e.at.startsWith('2026-03-02T09:00'), `at follows the server clock: ${e.at}`);
		}
		// the walk on to active, across a clock move
		const v = await s.api('POST', `/households/${h.id}/visits`, { token: w.staff1.token, body: { date: '2026-03-02', kind: 'verification', visitor: '王' } });
		assertStatus(v, 201);
		await act(w, h.id, w.reviewer1, { action: 'verify', category: 'dibao' });
		const pub = await act(w, h.id, w.staff1, { action: 'publish', notice_workdays: 2 });
		assert.equal(pub.notice_end, '2026-03-04');
		await w.setClock('2026-03-05T10:15:00Z');
		await act(w, h.id, w.approver, { action: 'approve' });
		await act(w, h.id, w.staff1, { action: 'enter' });
		await act(w, h.id, w.staff1, { action: 'review', monthly_income_fen: 90000, comment: '收入下降' });
		const all = await evs();
		assert.deepEqual(all.map((e) => e.action), ['submit', 'reject', 'submit', 'verify', 'publish', 'approve', 'enter', 'review']);
		for (let i = 1; i < all.length; i++) {
			assert.equal(all[i].from, all[i - 1].to, `event ${i} starts where ${i - 1} ended`);
			assert.ok(all[i].at >= all[i - 1].at, 'in time order');
		}
		assert.equal(all.at(-2).at, '2026-03-05T10:15:00Z');
		const rv = all.at(-1);
		const data = typeof rv.data === 'string' ? JSON.parse(rv.data) : rv.data;
		assert.equal(data.monthly_income_fen, 150000, 'the review event keeps the old income');
		assert.equal(data.per_capita_income_fen, 75000);
		assert.equal(data.category, 'dibao');
		assertError(await s.api('GET', `/households/${h.id}/events`, { token: w.staff2.token }), 404, 'not_found', 'S2 reads events');
		assertStatus(await s.api('GET', `/households/${h.id}/events`, { token: w.staffD.token }), 200, 'the district reads events');
	});

	test('audit: create, edit, every step and each reveal with its reason are logged; the chain verifies', T, async () => {
		const p = people('audit');
		const h = await createHh(w, hhBody(w.s1.id, p));
		const u = await s.api('PATCH', `/households/${h.id}`, { token: w.staff1.token, body: { version: h.version, notes: '补充' } });
		assertStatus(u, 200);
		const [done] = await walk(w, [h.id], 'active');
		assert.equal(done.status, 'active');
		await act(w, h.id, w.reviewer1, { action: 'review', monthly_income_fen: 160000 });
		await act(w, h.id, w.approver, { action: 'exit', exit_reason: '再就业，收入稳定' });
		const rv = await s.api('POST', `/households/${h.id}/reveal`, { token: w.reviewer1.token, body: { reason: '入户核查' } });
		assertStatus(rv, 200, 'reveal');
		const au = await auditOf('household', h.id);
		assert.ok(au.every((e) => e.entity === 'household' && e.entity_id === h.id));
		for (let i = 1; i < au.length; i++)
			assert.ok(au[i - 1].id > au[i].id, 'newest first');
		const actions = au.map((e) => e.action).reverse();
		const want = ['create', 'update', 'submit', 'verify', 'publish', 'approve', 'enter', 'review', 'exit', 'reveal'];
		let at = 0;
		for (const a of actions)
			if (a === want[at])
				at++;
		assert.equal(at, want.length, `audit holds ${want.join(', ')} in order: ${actions.join(', ')}`);
		const byAction = Object.fromEntries(au.map((e) => [e.action, e]));
		assert.equal(byAction.submit.user_id, w.staff1.user.id);
		assert.equal(byAction.verify.user_id, w.reviewer1.user.id);
		assert.equal(byAction.approve.user_id, w.approver.user.id);
		assert.equal(byAction.exit.user_id, w.approver.user.id);
		const reveal = au.find((e) => e.action === 'reveal'); // the newest
		assert.equal(reveal.user_id, w.reviewer1.user.id);
		assert.match(reveal.summary, /入户核查/, 'the reason is in the summary');
		assert.match(byAction.approve.at, RFC3339);
		assert.ok(byAction.approve.at.slice(0, 10) > '2026-03-02', `approve audited at the moved clock: ${byAction.approve.at}`);
		for (const e of au)
			assert.ok(!JSON.stringify(e).includes(h.id_number), `no full ID number in the audit log: ${JSON.stringify(e)}`);
		// who may read the audit log
		assertError(await s.api('GET', `/audit?entity=household&entity_id=${h.id}`, { token: w.staff1.token }), 403, 'forbidden', 'staff reads audit');
		assertError(await s.api('GET', `/audit?entity=household&entity_id=${h.id}`, { token: w.approver.token }), 403, 'forbidden', 'approver reads audit');
		assertStatus(await s.api('GET', `/audit?entity=household&entity_id=${h.id}`, { token: w.viewerD.token }), 200, 'a viewer reads audit');
		const r = s.cli(['audit', 'verify']);
		assert.equal(r.code, 0, `bangfu audit verify: ${r.stdout}\n${r.stderr}`);
	});
});
