// Partner cards (爱心超市/药店/医院/学校, 困难职工证): partners with a
// cost-sharing ratio and a fund account of their unit; cards for active
// archives only, one per household, suspended in the exit transaction and
// active again when the worker is archived anew; purchases debit the
// union's share (half up) through the funds ledger, never below zero, also
// under concurrency; monthly statements; the report's card figures.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertFieldError, assertStatus, listAll, limit } from './lib.mjs';
import { START, aidWorld, makeHouseholds, getHousehold, hhAct, openAccount, deposit, balance, checkLedger,
	auditOf, auditVerify, reconcile } from './aid-world.mjs';

const T = { timeout: limit(120000) };
const post = (w, who, p, body) => w.s.api('POST', p, { token: who.token, body });
const get = (w, who, p) => w.s.api('GET', p, { token: who.token });
const halfUp = (amount, bp) => Math.floor((amount * bp + 5000) / 10000);

async function created(res, what) {
	assertStatus(res, 201, what);
	return res.json;
}

describe('partner cards', () => {
	let s, w;
	let A1, A2, D1, B1; // active ×2 of S1, draft of S1, active of S2
	let acc, accD, accS2, shop, pharmacy, shopS2;
	const C = {};
	const bought = []; // every accepted purchase, as answered
	before(async () => {
		s = await startServer({ clock: START });
		w = await aidWorld(s, { label: 'cards' });
		[A1, A2, D1, B1] = await makeHouseholds(w, [{ org: 's1' }, { org: 's1' }, { org: 's1', upto: 'draft' }, { org: 's2' }]);
		acc = await openAccount(w, w.s1.id, w.financeD, { name: '爱心卡结算（甲街道）' });
		accD = await openAccount(w, w.d.id, w.financeD, { name: '区账户' });
		accS2 = await openAccount(w, w.s2.id, w.financeD, { name: '爱心卡结算（乙街道）' });
		await deposit(w, acc.id, 10000, w.financeD);
		await deposit(w, accS2.id, 50000, w.financeD);
	});
	after(async () => { if (s) await s.stop(); });

	test('partners: kinds, ratio in basis points, the account of the partner\'s own unit, roles, scope', T, async () => {
		shop = await created(await post(w, w.staff, '/partners', { org_id: w.s1.id, name: '爱心超市（解放路店）', kind: 'shop', union_share_bp: 8800, account_id: acc.id, address: '解放路 1 号' }), 'shop');
		assert.equal(shop.union_share_bp, 8800);
		assert.equal(shop.account_id, acc.id);
		pharmacy = await created(await post(w, w.admin, '/partners', { org_id: w.s1.id, name: '爱心药店', kind: 'pharmacy', union_share_bp: 5000, account_id: acc.id }), 'pharmacy');
		shopS2 = await created(await post(w, w.staffD, '/partners', { org_id: w.s2.id, name: '乙街道爱心超市', kind: 'shop', union_share_bp: 9000, account_id: accS2.id }), 'shop of S2');
		for (const kind of ['hospital', 'school'])
			await created(await post(w, w.staff, '/partners', { org_id: w.s1.id, name: `爱心${kind}`, kind, union_share_bp: 10000, account_id: acc.id }), kind);
		const body = { org_id: w.s1.id, name: '某店', kind: 'shop', union_share_bp: 8800, account_id: acc.id };
		assertFieldError(await post(w, w.staff, '/partners', { ...body, kind: 'bar' }), 'kind');
		assertFieldError(await post(w, w.staff, '/partners', { ...body, union_share_bp: 10001 }), 'union_share_bp');
		assertFieldError(await post(w, w.staff, '/partners', { ...body, union_share_bp: -1 }), 'union_share_bp');
		assertError(await post(w, w.staff, '/partners', { ...body, union_share_bp: 88.5 }), 400, 'bad_request', 'a fractional ratio');
		assertFieldError(await post(w, w.staffD, '/partners', { ...body, account_id: accD.id }), 'account_id', { what: 'an account of another unit' });
		assertFieldError(await post(w, w.staff, '/partners', { ...body, account_id: accS2.id }), 'account_id', { what: 'an account outside the scope' });
		assertError(await post(w, w.staff, '/partners', { ...body, org_id: w.s2.id }), 404, 'not_found', 'partner in S2 from S1');
		for (const who of ['reviewer', 'approverS', 'financeD', 'viewer'])
			assertError(await post(w, w[who], '/partners', body), 403, 'forbidden', `${who} adds a partner`);
		const mine = await listAll(s, '/partners', w.viewer.token);
		assert.equal(mine.total, 4, 'S1 sees its four partners; refusals created nothing');
		assert.deepEqual((await listAll(s, '/partners?kind=pharmacy', w.viewer.token)).items.map((p) => p.id), [pharmacy.id]);
		assertError(await get(w, w.staff, `/partners/${shopS2.id}`), 404, 'not_found', 'partner of S2 from S1');
	});

	test('cards: active archives only, one per household; roles and scope', T, async () => {
		C.a1 = await created(await post(w, w.staff, '/cards', { household_id: A1.id }), 'card A1');
		assert.equal(C.a1.status, 'active');
		assert.equal(C.a1.household_id, A1.id);
		assert.equal(C.a1.issued_on, w.today());
		assert.match(C.a1.card_no, /^\d{14}$/);
		assertError(await post(w, w.staff, '/cards', { household_id: A1.id }), 409, 'conflict', 'a second card');
		assertFieldError(await post(w, w.staff, '/cards', { household_id: D1.id }), 'household_id', { what: 'a draft archive' });
		assertError(await post(w, w.staff, '/cards', { household_id: B1.id }), 404, 'not_found', 'archive of S2 from S1');
		for (const who of ['reviewer', 'financeD', 'viewer'])
			assertError(await post(w, w[who], '/cards', { household_id: A2.id }), 403, 'forbidden', `${who} issues`);
		C.a2 = await created(await post(w, w.admin, '/cards', { household_id: A2.id }), 'card A2');
		C.b1 = await created(await post(w, w.staffD, '/cards', { household_id: B1.id }), 'card B1');
		const mine = await listAll(s, '/cards', w.viewer.token);
		assert.deepEqual(mine.items.map((c) => c.id), [C.a1.id, C.a2.id]);
		assertError(await get(w, w.staff, `/cards/${C.b1.id}`), 404, 'not_found', 'card of S2 from S1');
	});

	test('purchases: the union\'s share (half up) leaves the partner\'s account, partner share tracked', T, async () => {
		const p = `/cards/${C.a1.id}/purchases`;
		const r = await created(await post(w, w.staff, p, { partner_id: shop.id, amount_fen: 1234, items: '大米 10 斤、食用油 1 桶' }), 'purchase');
		assert.equal(r.union_fen, halfUp(1234, 8800)); // 1085.92 → 1086
		assert.equal(r.union_fen, 1086);
		assert.equal(r.partner_fen, 148);
		assert.equal(r.amount_fen, 1234);
		assert.equal(r.date, w.today());
		assert.equal(r.account_id, acc.id);
		bought.push(r);
		assert.equal(await balance(w, acc.id), 10000 - 1086);
		const rows = await checkLedger(w, acc.id);
		const last = rows.at(-1);
		assert.equal(last.kind, 'card_purchase');
		assert.equal(last.amount_fen, -1086);
		assert.equal(last.id, r.ledger_id);

		const r2 = await created(await post(w, w.financeD, `/cards/${C.a2.id}/purchases`, { partner_id: pharmacy.id, amount_fen: 3 }), 'finance records at the pharmacy');
		assert.deepEqual([r2.union_fen, r2.partner_fen], [2, 1], '1.5 fen rounds half up to the union');
		bought.push(r2);

		const before = await balance(w, acc.id);
		const ledgerLen = (await checkLedger(w, acc.id)).length;
		// 20000 × 88 % = 17600 > the balance: 409 as funds answer, nothing changes
		assertError(await post(w, w.staff, p, { partner_id: shop.id, amount_fen: 20000 }), 409, 'insufficient_funds', 'beyond the balance');
		assertFieldError(await post(w, w.staff, p, { partner_id: shop.id, amount_fen: 0 }), 'amount_fen');
		assertFieldError(await post(w, w.staff, p, { partner_id: shop.id }), 'amount_fen');
		assertError(await post(w, w.staff, p, { partner_id: shopS2.id, amount_fen: 100 }), 404, 'not_found', 'a partner outside the scope');
		assertFieldError(await post(w, w.staffD, p, { partner_id: shopS2.id, amount_fen: 100 }), 'partner_id', { what: 'a partner that does not serve the card\'s unit' });
		for (const who of ['reviewer', 'approverS', 'viewer'])
			assertError(await post(w, w[who], p, { partner_id: shop.id, amount_fen: 100 }), 403, 'forbidden', `${who} records a purchase`);
		assert.equal(await balance(w, acc.id), before, 'refusals move no money');
		assert.equal((await checkLedger(w, acc.id)).length, ledgerLen, 'and write no ledger row');
		reconcile(s);
	});

	test('concurrent purchases never overdraw: 8 × 880 fen against 3000 → exactly 3', T, async () => {
		const start = await balance(w, accS2.id);
		assert.equal(start, 50000);
		// bring S2's account down to 3000 with purchases of B1 at 90 %
		const r = await created(await post(w, w.staffD, `/cards/${C.b1.id}/purchases`, { partner_id: shopS2.id, amount_fen: 52222 }), 'big purchase');
		assert.equal(r.union_fen, 47000); // 47000 - 0.2 → half up 47000
		bought.push(r);
		assert.equal(await balance(w, accS2.id), 3000);
		const shop88 = await created(await post(w, w.staffD, '/partners', { org_id: w.s2.id, name: '乙街道爱心药店', kind: 'pharmacy', union_share_bp: 8800, account_id: accS2.id }), '88 % partner');
		const tok = w.staffD.token;
		const res = await Promise.all(Array.from({ length: 8 }, () =>
			s.api('POST', `/cards/${C.b1.id}/purchases`, { token: tok, body: { partner_id: shop88.id, amount_fen: 1000 } })));
		const ok = res.filter((x) => x.status === 201);
		assert.equal(ok.length, 3, `statuses ${JSON.stringify(res.map((x) => x.status))}`);
		for (const x of res.filter((y) => y.status !== 201))
			assertError(x, 409, 'insufficient_funds', 'a concurrent purchase beyond the balance');
		for (const x of ok) {
			assert.deepEqual([x.json.union_fen, x.json.partner_fen], [880, 120]);
			bought.push(x.json);
		}
		assert.equal(await balance(w, accS2.id), 3000 - 3 * 880);
		await checkLedger(w, accS2.id);
		reconcile(s);
	});

	test('statements per partner and month equal the sum of the purchases', T, async () => {
		const st = await get(w, w.viewer, `/partners/${shop.id}/statements?month=2026-03`);
		assertStatus(st, 200, 'statement');
		const mine = bought.filter((b) => b.partner_id === shop.id);
		assert.equal(st.json.count, mine.length);
		assert.deepEqual(st.json.items.map((i) => i.id), mine.map((b) => b.id));
		const sum = (k) => st.json.items.reduce((a, i) => a + i[k], 0);
		for (const k of ['amount_fen', 'union_fen', 'partner_fen'])
			assert.equal(st.json[k], sum(k), `${k} is the sum of the rows`);
		assert.equal(st.json.amount_fen, st.json.union_fen + st.json.partner_fen);
		assert.deepEqual([st.json.from, st.json.to, st.json.month], ['2026-03-01', '2026-03-31', '2026-03']);
		const empty = (await get(w, w.viewer, `/partners/${shop.id}/statements?month=2026-02`)).json;
		assert.deepEqual([empty.count, empty.amount_fen, empty.union_fen, empty.partner_fen, empty.items], [0, 0, 0, 0, []]);
		for (const m of ['2026-13', '2026-3', '', 'march'])
			assertFieldError(await get(w, w.viewer, `/partners/${shop.id}/statements?month=${m}`), 'month', { what: `month ${m}` });
		assertFieldError(await get(w, w.viewer, `/partners/${shop.id}/statements`), 'month', { what: 'no month' });
		assertError(await get(w, w.viewer, `/partners/${shopS2.id}/statements?month=2026-03`), 404, 'not_found', 'statement of S2 from S1');
	});

	test('exit suspends the card in the same transaction; re-archiving the worker re-activates it', T, async () => {
		const h = await getHousehold(w, A2.id);
		const out = await hhAct(w, A2.id, w.approverS, { action: 'exit', exit_reason: '家庭收入提高，解困' });
		assert.equal(out.status, 'exited');
		const c = (await get(w, w.staff, `/cards/${C.a2.id}`)).json;
		assert.equal(c.status, 'suspended');
		assert.equal(c.suspended_on, w.today());
		const bal = await balance(w, acc.id);
		const d = assertError(await post(w, w.staff, `/cards/${C.a2.id}/purchases`, { partner_id: shop.id, amount_fen: 500 }), 422, 'not_eligible', 'a suspended card');
		assert.deepEqual(d.reasons, ['card_suspended']);
		assert.equal(await balance(w, acc.id), bal, 'no money for a suspended card');
		assertFieldError(await post(w, w.staff, '/cards', { household_id: A2.id }), 'household_id', { what: 'a card for an exited archive' });
		assert.deepEqual((await auditOf(w, 'card', C.a2.id)).map((e) => e.action).sort(), ['create', 'purchase', 'suspend']);
		assert.deepEqual((await listAll(s, '/cards?status=suspended', w.viewer.token)).items.map((x) => x.id), [C.a2.id]);

		// the same worker is archived again: the card follows and works again
		const [again] = await makeHouseholds(w, [{ org: 's1', body: { id_number: h.id_number, name: h.name } }]);
		assert.equal(again.status, 'active');
		const c2 = (await get(w, w.staff, `/cards/${C.a2.id}`)).json;
		assert.equal(c2.status, 'active');
		assert.equal(c2.household_id, again.id);
		assert.equal(c2.suspended_on, null);
		assertError(await post(w, w.staff, '/cards', { household_id: again.id }), 409, 'conflict', 'the re-activated card is the one card');
		bought.push(await created(await post(w, w.staff, `/cards/${C.a2.id}/purchases`, { partner_id: shop.id, amount_fen: 500 }), 'purchase after re-archiving'));
		assert.equal(bought.at(-1).household_id, again.id);
		reconcile(s);
		auditVerify(s);
	});

	test('quarterly report: card figures per unit equal the purchases', T, async () => {
		const r = await get(w, w.admin, `/reports/quarterly?org_id=${w.d.id}&period=2026Q1`);
		assertStatus(r, 200, 'report');
		const sum = (list, k) => list.reduce((a, b) => a + b[k], 0);
		const s1p = bought.filter((b) => b.account_id === acc.id), s2p = bought.filter((b) => b.account_id === accS2.id);
		const s1 = r.json.units.find((u) => u.org_id === w.s1.id), s2 = r.json.units.find((u) => u.org_id === w.s2.id);
		assert.deepEqual(s1.cards, { issued: 2, active: 2, purchases: s1p.length, union_fen: sum(s1p, 'union_fen'), partner_fen: sum(s1p, 'partner_fen') });
		assert.deepEqual(s2.cards, { issued: 1, active: 1, purchases: s2p.length, union_fen: sum(s2p, 'union_fen'), partner_fen: sum(s2p, 'partner_fen') });
		assert.deepEqual(r.json.total.cards, { issued: 3, active: 3, purchases: bought.length, union_fen: sum(bought, 'union_fen'), partner_fen: sum(bought, 'partner_fen') });
		// the union's shares are the fund's card_purchase outflows
		const out = (await listAll(s, `/fund-accounts/${acc.id}/ledger`, w.financeD.token)).items.filter((l) => l.kind === 'card_purchase');
		assert.equal(-sum(out, 'amount_fen'), sum(s1p, 'union_fen'));
	});

	// RULE scope.id_link: a card is found by the worker's ID number only in
	// the scope of who enters the new archive — else its purchases of
	// another street would come along to a user who may not see them.
	test('re-archiving elsewhere: a card of a unit outside the enterer\'s scope stays suspended and unseen', T, async () => {
		const h = await getHousehold(w, B1.id);
		assert.equal((await hhAct(w, B1.id, w.approverD, { action: 'exit', exit_reason: '迁居' })).status, 'exited');
		assert.equal((await get(w, w.staffD, `/cards/${C.b1.id}`)).json.status, 'suspended');
		// the worker moves to S1 and is archived there: S1's staff enters the archive
		const [moved] = await makeHouseholds(w, [{ org: 's1', body: { id_number: h.id_number, name: h.name } }]);
		assert.equal(moved.status, 'active');
		const old = (await get(w, w.staffD, `/cards/${C.b1.id}`)).json;
		assert.deepEqual([old.status, old.household_id, old.org_id], ['suspended', B1.id, w.s2.id], 'the S2 card did not move');
		assertError(await get(w, w.staff, `/cards/${C.b1.id}`), 404, 'not_found', 'and S1 does not see it');
		assert.ok(!(await listAll(s, '/cards', w.staff.token)).items.some((c) => c.id === C.b1.id || c.household_id === moved.id),
			'no card of S1 carries S2\'s purchases');
		const fresh = await created(await post(w, w.staff, '/cards', { household_id: moved.id }), 'a card of its own for the new archive');
		assert.notEqual(fresh.id, C.b1.id);
		assert.deepEqual(fresh.recent_purchases, [], 'nothing of the S2 archive comes with it');
		auditVerify(s);
	});
});
