// Goods in kind (爱心互助园地): an inventory per unit with donated receipts
// and hand-outs to active archives; the stock never goes negative, also
// under concurrent hand-outs.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertFieldError, assertStatus, listAll, limit } from './lib.mjs';
import { START, aidWorld, makeHouseholds, auditOf, auditVerify } from './aid-world.mjs';

const T = { timeout: limit(60000) };

const post = (w, who, p, body) => w.s.api('POST', p, { token: who.token, body });
async function getGoods(w, id, who) {
	const r = await w.s.api('GET', `/goods/${id}`, { token: (who || w.admin).token });
	assertStatus(r, 200, `GET goods ${id}`);
	assert.ok(Array.isArray(r.json.moves), 'moves must be an array');
	return r.json;
}
async function createGoods(w, who, body) {
	const r = await post(w, who, '/goods', body);
	assertStatus(r, 201, `create goods ${JSON.stringify(body)}`);
	return r.json;
}
async function receive(w, id, quantity, who) {
	const r = await post(w, who || w.staff, `/goods/${id}/receipts`, { quantity, donor: '爱心企业', date: w.today() });
	assertStatus(r, 201, `receipt of ${quantity}`);
	return r.json;
}

describe('goods', () => {
	let s, w;
	let A1, A2, D1, B1; // active of S1 ×2, draft of S1, active of S2
	const G = {};
	before(async () => {
		s = await startServer({ clock: START });
		w = await aidWorld(s);
		[A1, A2, D1, B1] = await makeHouseholds(w, [{ org: 's1' }, { org: 's1', category: 'marginal' }, { org: 's1', upto: 'draft' }, { org: 's2' }]);
	});
	after(async () => { if (s) await s.stop(); });

	test('POST /goods: staff and admin → 201 with stock 0; other roles → 403; validation; scope', T, async () => {
		const g = await createGoods(w, w.staff, { org_id: w.s1.id, name: '冬衣', unit: '件' });
		G.coat = g;
		assert.equal(g.org_id, w.s1.id);
		assert.equal(g.name, '冬衣');
		assert.equal(g.unit, '件');
		assert.equal(g.stock, 0);
		assert.deepEqual(g.moves, []);
		const byAdmin = await createGoods(w, w.admin, { org_id: w.s2.id, name: '大米', unit: '袋' });
		assert.equal(byAdmin.stock, 0);
		G.rice = byAdmin;
		const body = { org_id: w.s1.id, name: '棉被', unit: '床' };
		for (const who of ['financeC', 'financeD', 'reviewer', 'approverS', 'viewer'])
			assertError(await post(w, w[who], '/goods', body), 403, 'forbidden', `${who} creates goods`);
		assertFieldError(await post(w, w.staff, '/goods', { org_id: w.s1.id, name: '棉被' }), 'unit', { what: 'no unit' });
		assertFieldError(await post(w, w.staff, '/goods', { ...body, name: '' }), 'name', { what: 'empty name' });
		assertError(await post(w, w.staff, '/goods', { ...body, stock: 5 }), 400, 'bad_request', 'stock is not a body field');
		for (const org_id of [w.s2.id, w.d.id, 999999])
			assertError(await post(w, w.staff, '/goods', { ...body, org_id }), 404, 'not_found', `staff of S1, org ${org_id}`);
		const list = await listAll(s, '/goods', w.admin.token);
		assert.deepEqual(list.items.map((x) => x.id).sort((a, b) => a - b), [G.coat.id, G.rice.id].sort((a, b) => a - b), 'refused requests create nothing');
		const mine = await listAll(s, '/goods', w.viewer.token);
		assert.deepEqual(mine.items.map((x) => x.id), [G.coat.id], 'S1 sees only its own goods');
		assertError(await s.api('GET', `/goods/${G.rice.id}`, { token: w.staff.token }), 404, 'not_found', 'goods of S2 from S1');
	});

	test('receipts raise the stock; quantity > 0; finance → 403', T, async () => {
		const p = `/goods/${G.coat.id}/receipts`;
		const r = await post(w, w.staff, p, { quantity: 20, donor: '某服装厂', date: w.today(), note: '冬季捐赠' });
		assertStatus(r, 201, 'receipt');
		assert.equal(r.json.stock, 20);
		assert.equal(r.json.moves.length, 1);
		const m = r.json.moves[0];
		assert.equal(m.kind, 'receipt');
		assert.equal(m.quantity, 20);
		assert.equal(m.stock_after, 20);
		assert.equal(m.donor, '某服装厂');
		assert.equal(m.date, w.today());
		for (const quantity of [0, -5])
			assertFieldError(await post(w, w.staff, p, { quantity, donor: 'x', date: w.today() }), 'quantity', { what: `receipt of ${quantity}` });
		assertError(await post(w, w.staff, p, { quantity: 1.5, donor: 'x', date: w.today() }), 400, 'bad_request', 'fractional quantity');
		assertFieldError(await post(w, w.staff, p, { quantity: 3, date: w.today() }), 'donor', { what: 'no donor' });
		assertFieldError(await post(w, w.staff, p, { quantity: 3, donor: 'x' }), 'date', { what: 'no date' });
		assertFieldError(await post(w, w.staff, p, { quantity: 3, donor: 'x', date: '2026-02-30' }), 'date', { what: 'bad date' });
		for (const who of ['financeC', 'reviewer', 'viewer'])
			assertError(await post(w, w[who], p, { quantity: 3, donor: 'x', date: w.today() }), 403, 'forbidden', `${who} receives`);
		assertError(await post(w, w.staff, `/goods/${G.rice.id}/receipts`, { quantity: 3, donor: 'x', date: w.today() }), 404, 'not_found', 'receipt into goods of S2');
		assert.equal((await getGoods(w, G.coat.id)).stock, 20, 'refused receipts change nothing');
		const byAdmin = await post(w, w.admin, `/goods/${G.rice.id}/receipts`, { quantity: 7, donor: '粮油公司', date: w.today() });
		assertStatus(byAdmin, 201, 'admin receipt');
		assert.equal(byAdmin.json.stock, 7);
	});

	test('hand-outs lower the stock; never more than the stock; active households of the user\'s scope only', T, async () => {
		const p = `/goods/${G.coat.id}/handouts`;
		const r = await post(w, w.staff, p, { household_id: A1.id, quantity: 5, date: w.today(), note: '入户发放' });
		assertStatus(r, 201, 'hand-out');
		assert.equal(r.json.stock, 15);
		const m = r.json.moves.at(-1);
		assert.equal(m.kind, 'handout');
		assert.equal(m.quantity, 5, 'the quantity is given positive');
		assert.equal(m.stock_after, 15);
		assert.equal(m.household_id, A1.id);
		assert.equal(m.household_name, A1.name);

		const snapshot = JSON.stringify(await getGoods(w, G.coat.id));
		assertFieldError(await post(w, w.staff, p, { household_id: A2.id, quantity: 16, date: w.today() }), 'quantity', { what: 'more than the stock' });
		for (const quantity of [0, -1, -15])
			assertFieldError(await post(w, w.staff, p, { household_id: A2.id, quantity, date: w.today() }), 'quantity', { what: `hand-out of ${quantity}` });
		assertFieldError(await post(w, w.staff, p, { household_id: D1.id, quantity: 1, date: w.today() }), 'household_id', { what: 'a draft household' });
		assertError(await post(w, w.staff, p, { household_id: B1.id, quantity: 1, date: w.today() }), 404, 'not_found', 'a household of the sibling street');
		assertError(await post(w, w.staff, p, { household_id: 999999, quantity: 1, date: w.today() }), 404, 'not_found', 'an unknown household');
		assertFieldError(await post(w, w.staff, p, { quantity: 1, date: w.today() }), 'household_id', { what: 'no household' });
		for (const who of ['financeC', 'reviewer', 'approverS', 'viewer'])
			assertError(await post(w, w[who], p, { household_id: A2.id, quantity: 1, date: w.today() }), 403, 'forbidden', `${who} hands out`);
		assert.equal(JSON.stringify(await getGoods(w, G.coat.id)), snapshot, 'refused hand-outs change nothing');

		// the whole stock may go; then nothing more
		const all = await post(w, w.staff, p, { household_id: A2.id, quantity: 15, date: w.today() });
		assertStatus(all, 201, 'hand out the whole stock');
		assert.equal(all.json.stock, 0);
		assertFieldError(await post(w, w.staff, p, { household_id: A2.id, quantity: 1, date: w.today() }), 'quantity', { what: 'from an empty stock' });
		await receive(w, G.coat.id, 4);

		const g = await getGoods(w, G.coat.id, w.viewer);
		assert.equal(g.stock, 4);
		assert.deepEqual(g.moves.map((x) => [x.kind, x.quantity, x.stock_after]),
			[['receipt', 20, 20], ['handout', 5, 15], ['handout', 15, 0], ['receipt', 4, 4]]);
		assert.deepEqual(g.moves.map((x) => x.household_id), [null, A1.id, A2.id, null]);
		const au = (await auditOf(w, 'goods', G.coat.id)).filter((e) => e.action !== 'denied'); // refusals are audited too
		assert.deepEqual(au.map((e) => e.action).sort(), ['create', 'handout', 'handout', 'receipt', 'receipt'].sort(),
			`audit of the goods: ${JSON.stringify(au.map((e) => e.action))}`);
	});

	test('concurrent hand-outs: 10 × 3 against a stock of 20 → exactly 6 succeed, stock 2', T, async () => {
		const g = await createGoods(w, w.staff, { org_id: w.s1.id, name: '食用油', unit: '桶' });
		await receive(w, g.id, 20);
		const tok = w.staff.token;
		const res = await Promise.all(Array.from({ length: 10 }, (_, i) =>
			s.api('POST', `/goods/${g.id}/handouts`, { token: tok, body: { household_id: i % 2 ? A1.id : A2.id, quantity: 3, date: w.today() } })));
		const ok = res.filter((r) => r.status === 201);
		const refused = res.filter((r) => r.status !== 201);
		assert.equal(ok.length, 6, `statuses: ${JSON.stringify(res.map((r) => r.status))} ${refused.map((r) => r.text).join(' ').slice(0, 600)}`);
		for (const r of refused)
			assertFieldError(r, 'quantity', { what: 'a concurrent hand-out beyond the stock' });
		for (const r of ok)
			assert.ok(r.json.stock >= 0);
		const after = await getGoods(w, g.id);
		assert.equal(after.stock, 2);
		const outs = after.moves.filter((m) => m.kind === 'handout');
		assert.equal(outs.length, 6);
		assert.deepEqual(outs.map((m) => m.stock_after).sort((a, b) => b - a), [17, 14, 11, 8, 5, 2]);
		assert.ok(after.moves.every((m) => m.stock_after >= 0), 'never negative');
		auditVerify(s);
	});
});
