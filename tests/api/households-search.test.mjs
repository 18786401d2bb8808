// Searching by ID number goes through a POST body, never a URL; it finds
// workers and members in scope, open or exited, and answers masked.
import assert from 'node:assert/strict';
import { test, before, after } from 'node:test';
import { startServer, assertStatus, assertError, assertFieldError, limit } from './lib.mjs';
import { idNumber } from './idgen.mjs';

const T = { timeout: limit(60000) };
let s, tree, staff1, staff2;
const worker = idNumber('330102', '19800101', 511);
const member = idNumber('330102', '20100101', 512);

before(async () => {
	s = await startServer();
	tree = await s.tree();
	staff1 = await s.userSession({ role: 'staff', org_id: tree.s1 });
	staff2 = await s.userSession({ role: 'staff', org_id: tree.s2 });
	const h = await s.api('POST', '/households', { token: staff1.token, body: {
		org_id: tree.s1, name: '检索户', id_number: worker, phone: '13900139000', monthly_income_fen: 80000,
		causes: ['low_income'], members: [{ name: '孩子', id_number: member, relation: 'child' }] } });
	assertStatus(h, 201);
});
after(async () => { await s.stop(); });

test('finds by the worker or a member, masked', T, async () => {
	for (const idn of [worker, member]) {
		const r = await s.api('POST', '/households/search', { token: staff1.token, body: { id_number: idn } });
		assertStatus(r, 200);
		assert.equal(r.json.total, 1);
		assert.equal(r.json.items[0].name, '检索户');
		assert.equal(r.json.items[0].id_number, worker.slice(0, 6) + '********' + worker.slice(14));
		assert.equal(r.json.items[0].phone, '139****9000');
	}
});

test('outside the scope nothing is found, and a bad number is refused', T, async () => {
	const r = await s.api('POST', '/households/search', { token: staff2.token, body: { id_number: worker } });
	assertStatus(r, 200);
	assert.equal(r.json.total, 0);
	assertFieldError(await s.api('POST', '/households/search', { token: staff1.token,
		body: { id_number: worker.slice(0, 17) } }), 'id_number');
	assertError(await s.api('POST', '/households/search', { token: staff1.token, body: {} }), 422, 'validation_failed');
	assertError(await s.api('POST', '/households/search', { body: { id_number: worker } }), 401, 'unauthenticated');
});

test('the access log never carries the number', T, async () => {
	await s.api('POST', '/households/search', { token: staff1.token, body: { id_number: worker } });
	assert.ok(!s.stderr().includes(worker), 'ID number absent from the server log');
});
