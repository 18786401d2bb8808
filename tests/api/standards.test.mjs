// Minimum living standards, set per unit and year, inherited downwards.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withServer, assertError, assertFieldError, assertStatus, limit } from './lib.mjs';

const T = { timeout: limit(60000) };

test('standards: create, inherit from the nearest ancestor, override', T, async () => {
	await withServer({}, async (s) => {
		const { token } = await s.admin();
		const t = await s.tree();
		const g = await s.createOrg({ parent_id: t.s1, level: 'grassroots' });

		const none = await s.api('GET', `/standards?org_id=${t.s1}&year=2026`, { token });
		assertError(none, 404, 'not_found', 'no standard anywhere yet');

		const c = await s.api('POST', '/standards', { token, body: { org_id: 1, year: 2026, monthly_fen: 80000 } });
		assertStatus(c, 201, 'city standard');
		assert.equal(c.json.org_id, 1);
		assert.equal(c.json.year, 2026);
		assert.equal(c.json.monthly_fen, 80000);

		let r = await s.api('GET', `/standards?org_id=${t.s1}&year=2026`, { token });
		assertStatus(r, 200, 'inherited');
		assert.equal(r.json.monthly_fen, 80000);
		assert.equal(r.json.source_org_id, 1);
		r = await s.api('GET', `/standards?org_id=${g.id}&year=2026`, { token });
		assertStatus(r, 200);
		assert.equal(r.json.source_org_id, 1, 'grassroots inherits from the city');
		r = await s.api('GET', '/standards?org_id=1&year=2026', { token });
		assertStatus(r, 200);
		assert.equal(r.json.monthly_fen, 80000);
		assert.equal(r.json.source_org_id, 1);

		// another year has none
		assertError(await s.api('GET', `/standards?org_id=${t.s1}&year=2025`, { token }), 404, 'not_found', 'other year');

		// the district's own one is nearer
		assertStatus(await s.api('POST', '/standards', { token, body: { org_id: t.d, year: 2026, monthly_fen: 85000 } }), 201);
		r = await s.api('GET', `/standards?org_id=${t.s1}&year=2026`, { token });
		assert.equal(r.json.monthly_fen, 85000);
		assert.equal(r.json.source_org_id, t.d);

		// the street's own one wins
		const own = await s.api('POST', '/standards', { token, body: { org_id: t.s1, year: 2026, monthly_fen: 91000 } });
		assertStatus(own, 201, 'street standard');
		r = await s.api('GET', `/standards?org_id=${t.s1}&year=2026`, { token });
		assertStatus(r, 200);
		assert.equal(r.json.monthly_fen, 91000);
		assert.equal(r.json.source_org_id, t.s1);
		r = await s.api('GET', `/standards?org_id=${g.id}&year=2026`, { token });
		assert.equal(r.json.monthly_fen, 91000);
		assert.equal(r.json.source_org_id, t.s1);
		// the sibling still inherits the district's
		r = await s.api('GET', `/standards?org_id=${t.s2}&year=2026`, { token });
		assert.equal(r.json.monthly_fen, 85000);
		assert.equal(r.json.source_org_id, t.d);
		// the city keeps its own
		r = await s.api('GET', '/standards?org_id=1&year=2026', { token });
		assert.equal(r.json.monthly_fen, 80000);
	});
});

test('standards: setting the same unit and year again replaces it (or is a conflict), never two answers', T, async () => {
	await withServer({}, async (s) => {
		const { token } = await s.admin();
		assertStatus(await s.api('POST', '/standards', { token, body: { org_id: 1, year: 2026, monthly_fen: 80000 } }), 201);
		const again = await s.api('POST', '/standards', { token, body: { org_id: 1, year: 2026, monthly_fen: 82000 } });
		assert.ok([200, 201, 409].includes(again.status), `second standard for the same unit/year: ${again.status} ${again.text}`);
		const r = await s.api('GET', '/standards?org_id=1&year=2026', { token });
		assertStatus(r, 200);
		assert.equal(r.json.monthly_fen, again.status === 409 ? 80000 : 82000);
	});
});

test('standards: monthly_fen must be positive; year and org checked', T, async () => {
	await withServer({}, async (s) => {
		const { token } = await s.admin();
		for (const fen of [0, -1, -80000])
			assertFieldError(await s.api('POST', '/standards', { token, body: { org_id: 1, year: 2026, monthly_fen: fen } }),
				'monthly_fen', { what: `monthly_fen ${fen}` });
		const frac = await s.api('POST', '/standards', { token, body: { org_id: 1, year: 2026, monthly_fen: 800.5 } });
		assert.ok([400, 422].includes(frac.status), `fractional fen must be refused: ${frac.status} ${frac.text}`);
		assertError(frac, frac.status, frac.status === 400 ? 'bad_request' : 'validation_failed');
		const str = await s.api('POST', '/standards', { token, body: { org_id: 1, year: 2026, monthly_fen: '80000' } });
		assertError(str, 400, 'bad_request', 'monthly_fen as a string');
		assertError(await s.api('POST', '/standards', { token, body: { org_id: 424242, year: 2026, monthly_fen: 80000 } }),
			404, 'not_found', 'unknown org');
		// nothing was stored by the refusals
		assertError(await s.api('GET', '/standards?org_id=1&year=2026', { token }), 404, 'not_found');
	});
});
