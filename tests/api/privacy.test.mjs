// Privacy (API.md "Privacy"): every answer that carries a person is masked
// for every role, shows the age and never the birth date; the full values
// come only from POST /households/{id}/reveal with a reason, audited; edits
// work on masked data; the archive card is masked unless a reason is given.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertFieldError, assertStatus, limit } from './lib.mjs';
import { people, hhBody, world, createHh, revealHh, assertMasked, maskId, act, getHh, walk } from './idgen.mjs';

const T = { timeout: limit(120000) };

describe('privacy: masked by default, reveal with a reason', () => {
	let s, w, h, finance, p;
	const audit = async (q) => (await s.api('GET', `/audit?${q}`, { token: w.admin.token })).json.items;
	const reveals = async (id) => (await audit(`entity=household&entity_id=${id}&action=reveal&limit=500`)).length;

	before(async () => {
		s = await startServer();
		w = await world(s, { users: ['staff1', 'reviewer1', 'approver', 'viewer1', 'staff2', 'viewerD', 'adminS1'] });
		finance = await s.userSession({ role: 'finance', org_id: w.s1.id });
		p = people(900);
		h = await createHh(w, hhBody(w.s1.id, p, { phone: '13912345678', members: [
			{ name: '配偶', id_number: p.female('19880808'), relation: 'spouse', monthly_income_fen: 0 },
			{ name: '孩子', id_number: p.male('20140214'), relation: 'child', monthly_income_fen: 0 }] }));
	});
	after(async () => { await s.stop(); });

	test('reveal: the full numbers and birth dates, audited with the reason, for staff, reviewer, approver and admin', T, async () => {
		for (const who of [w.staff1, w.reviewer1, w.approver, w.adminS1, w.admin]) {
			const n0 = await reveals(h.id);
			const r = await s.api('POST', `/households/${h.id}/reveal`, { token: who.token, body: { reason: '入户核查' } });
			assertStatus(r, 200, `reveal as ${who.user.username}`);
			assert.match(r.headers.get('cache-control') || '', /no-store/, 'never cached');
			assert.deepEqual(Object.keys(r.json).sort(), ['birth_date', 'id', 'id_number', 'members', 'phone']);
			assert.equal(r.json.id, h.id);
			assert.equal(r.json.id_number, h.id_number);
			assert.equal(r.json.phone, '13912345678');
			assert.match(r.json.birth_date, /^\d{4}-\d{2}-\d{2}$/);
			assert.equal(r.json.id_number.slice(6, 14), r.json.birth_date.replaceAll('-', ''), 'the hidden digits are the birth date');
			assert.deepEqual(r.json.members.map((m) => [m.name, m.birth_date]), [['配偶', '1988-08-08'], ['孩子', '2014-02-14']]);
			assert.deepEqual(r.json.members.map((m) => m.id_number), h.members.map((m) => m.id_number));
			const items = await audit(`entity=household&entity_id=${h.id}&action=reveal&limit=500`);
			assert.equal(items.length, n0 + 1, 'one audit entry per reveal');
			const e = items[0];
			assert.equal(e.action, 'reveal');
			assert.equal(e.entity, 'household');
			assert.equal(e.user_id, who.user.id);
			assert.match(e.summary, /入户核查/, 'the reason is in the summary');
			assert.ok(!JSON.stringify(e).includes(h.id_number), 'the audit entry does not copy the number');
		}
		// ?action= filters: only reveals
		const only = await audit('action=reveal&limit=500');
		assert.ok(only.length >= 5 && only.every((e) => e.action === 'reveal'));
	});

	test('reveal refused: no reason, a short or long one, finance and viewer, out of scope; nothing written', T, async () => {
		const n0 = await reveals(h.id);
		const post = (who, body, id = h.id) => s.api('POST', `/households/${id}/reveal`, { token: who.token, body });
		assertFieldError(await post(w.staff1, {}), 'reason');
		assertFieldError(await post(w.staff1, { reason: '查' }), 'reason');
		assertFieldError(await post(w.staff1, { reason: '  ' }), 'reason');
		assertFieldError(await post(w.staff1, { reason: '因'.repeat(201) }), 'reason');
		assertError(await post(w.staff1, { reason: 5 }), 400, 'bad_request', 'a number is no reason');
		assertError(await post(finance, { reason: '资金发放' }), 403, 'forbidden', 'finance');
		assertError(await post(w.viewer1, { reason: '入户核查' }), 403, 'forbidden', 'viewer');
		assertError(await post(w.staff2, { reason: '入户核查' }), 404, 'not_found', 'another street');
		assertError(await post(w.staff1, { reason: '入户核查' }, 987654), 404, 'not_found', 'no such archive');
		assert.equal(await reveals(h.id), n0, 'no reveal was audited');
		assertStatus(await post(w.staff1, { reason: '转介' }), 200, 'two characters are enough');
		assertStatus(await post(w.staff1, { reason: '因'.repeat(200) }), 200, '200 characters are enough');
	});

	test('every answer that carries a person is masked, with the age and never the birth date', T, async () => {
		const n0 = (await audit(`entity=household&entity_id=${h.id}&limit=500`)).length;
		const birth = h.id_number.slice(6, 10) + '-' + h.id_number.slice(10, 12) + '-' + h.id_number.slice(12, 14);
		const clean = (text, what) => {
			for (const full of [h.id_number, ...h.members.map((m) => m.id_number), '13912345678'])
				assert.ok(!text.includes(full), `${what}: no full number ${full}`);
			for (const bd of [birth, '1988-08-08', '2014-02-14'])
				assert.ok(!text.includes(bd), `${what}: no birth date ${bd}`);
		};
		for (const who of [w.viewer1, w.staff1, w.viewerD, finance]) {
			const g = await s.api('GET', `/households/${h.id}`, { token: who.token });
			assertStatus(g, 200);
			assertMasked(g.json, `GET as ${who.user.role}`);
			assert.equal(g.json.phone, '139****5678');
			clean(g.text, `GET as ${who.user.role}`);
			const l = await s.api('GET', `/households?org_id=${w.s1.id}&limit=500`, { token: who.token });
			const it = l.json.items.find((x) => x.id === h.id);
			assert.ok(it, 'in the list');
			assert.equal(it.id_number, maskId(h.id_number));
			assert.equal(it.age, g.json.age);
			assert.equal(it.birth_date, undefined);
			clean(l.text, `list as ${who.user.role}`);
		}
		const sr = await s.api('POST', '/households/search', { token: w.staff1.token, body: { id_number: h.members[1].id_number } });
		assert.equal(sr.json.total, 1);
		clean(sr.text, 'search by ID number');
		assert.equal((await audit(`entity=household&entity_id=${h.id}&limit=500`)).length, n0, 'plain reads write nothing');
		// a transition answers masked
		const tr = await act(w, h.id, w.staff1, { action: 'submit' });
		assertMasked(tr, 'transition answer');
		clean(JSON.stringify(tr), 'transition answer');
		// a job seeker with the worker's number, a case on the household
		const js = await s.api('POST', '/job-seekers', { token: w.staff1.token, body: { org_id: w.s1.id, name: h.name, id_number: h.id_number, phone: '13912345678' } });
		assertStatus(js, 201, 'job seeker');
		assert.equal(js.json.id_number, maskId(h.id_number));
		assert.equal(js.json.phone, '139****5678');
		assert.equal(typeof js.json.age, 'number');
		assert.equal(js.json.birth_date, undefined);
		clean(js.text, 'job seeker');
		const jl = await s.api('GET', '/job-seekers?limit=500', { token: w.staff1.token });
		clean(jl.text, 'job seeker list');
		const cs = await s.api('POST', '/cases', { token: w.staff1.token, body: { org_id: w.s1.id, channel: 'hotline', category: 'consultation', household_id: h.id, subject: '求助', description: '生活困难' } });
		assertStatus(cs, 201, 'case');
		clean(cs.text, 'case');
		clean((await s.api('GET', `/cases/${cs.json.id}`, { token: w.staff1.token })).text, 'case detail');
		// the CSV export: 年龄, never 出生日期
		const out = path.join(s.dir, 'privacy-export.csv');
		const r = s.cli(['export', 'households', '--org-id', String(w.s1.id), '--format', 'csv', '-o', out]);
		assert.equal(r.code, 0, r.stderr);
		const csv = fs.readFileSync(out, 'utf8');
		assert.ok(csv.split('\n')[0].includes('年龄') && !csv.includes('出生日期'), 'an age column, no birth date column');
		assert.ok(csv.includes(maskId(h.id_number)));
		clean(csv, 'CSV export');
	});

	test('edits work on masked data: numbers sent back masked are kept; a new worker number is taken', T, async () => {
		const q = people(950);
		const x = await createHh(w, hhBody(w.s1.id, q, { phone: '13600001111', members: [{ name: '配偶', id_number: q.female('19900101'), relation: 'spouse', monthly_income_fen: 100 }] }));
		const g = await getHh(w, x.id, w.staff1);
		const u = await s.api('PATCH', `/households/${x.id}`, { token: w.staff1.token, body: { version: g.version, id_number: g.id_number, phone: g.phone,
			members: [...g.members.map((m) => ({ id: m.id, name: m.name, id_number: m.id_number, relation: m.relation, monthly_income_fen: 5000 })),
				{ name: '孩子', id_number: q.male('20150101'), relation: 'child' }] } });
		assertStatus(u, 200, 'patch with the masked values');
		assertMasked(u.json, 'PATCH answer');
		let full = await revealHh(w, u.json);
		assert.equal(full.id_number, x.id_number, 'the worker keeps the stored number');
		assert.equal(full.phone, '13600001111', 'the phone sent back masked is kept');
		assert.equal(full.members[0].id_number, x.members[0].id_number, 'the member keeps the stored number');
		assert.equal(full.members[0].monthly_income_fen, 5000, 'and the other change is taken');
		// a member id that is not this household's → 422, nothing changed
		const other = await getHh(w, h.id);
		const bad = await s.api('PATCH', `/households/${x.id}`, { token: w.staff1.token, body: { version: u.json.version,
			members: [{ id: other.members[0].id, name: '冒名', id_number: other.members[0].id_number, relation: 'spouse' }] } });
		assertFieldError(bad, 'members[0].id');
		// a masked number without an id is not a number
		assertFieldError(await s.api('PATCH', `/households/${x.id}`, { token: w.staff1.token, body: { version: u.json.version,
			members: [{ name: '某', id_number: u.json.members[0].id_number, relation: 'spouse' }] } }), 'members[0].id_number');
		assert.equal((await getHh(w, x.id, w.staff1)).version, u.json.version, 'refused patches change nothing');
		// a corrected worker number replaces the stored one, and frees the old
		const fixed = q.female('19750505');
		const c = await s.api('PATCH', `/households/${x.id}`, { token: w.staff1.token, body: { version: u.json.version, id_number: fixed } });
		assertStatus(c, 200, 'a new worker number');
		assert.equal(c.json.id_number, maskId(fixed));
		assert.equal(c.json.gender, 'female');
		full = await revealHh(w, c.json);
		assert.equal(full.id_number, fixed);
		assert.equal(full.birth_date, '1975-05-05');
		assert.equal(full.members.length, 2, 'members kept');
		await createHh(w, hhBody(w.s2.id, q, { id_number: x.id_number, members: [] }), w.staff2);
		assertError(await s.api('PATCH', `/households/${x.id}`, { token: w.staff1.token, body: { version: c.json.version, id_number: h.id_number } }), 409, 'duplicate_id_number', 'a number held elsewhere');
	});

	test('the archive card: masked unless a reason is given; then in full and audited', T, async () => {
		const get = (who, q = '') => fetch(`${s.base}/api/v1/households/${h.id}/card.pdf${q}`, { headers: { Authorization: `Bearer ${who.token}` } });
		const text = async (res) => {
			assert.equal(res.status, 200);
			const file = path.join(s.dir, `card-${Date.now()}-${Math.random()}.pdf`);
			fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
			return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
		};
		const n0 = await reveals(h.id);
		const masked = await text(await get(w.viewer1));
		assert.ok(masked.includes(maskId(h.id_number)) && !masked.includes(h.id_number), 'masked card');
		assert.ok(masked.includes('年龄') && !masked.includes('出生日期'), 'the age, not the birth date');
		assert.equal(await reveals(h.id), n0, 'a masked card writes nothing');
		const fullCard = await text(await get(w.staff1, '?reveal_reason=' + encodeURIComponent('资金发放')));
		assert.ok(fullCard.includes(h.id_number) && fullCard.includes(h.members[0].id_number), 'full card');
		assert.ok(fullCard.includes('出生日期'));
		assert.equal(await reveals(h.id), n0 + 1, 'the full card is a reveal');
		const refused = async (res, status, code) => {
			assert.equal(res.status, status);
			assert.equal((await res.json()).error.code, code);
		};
		await refused(await get(w.viewer1, '?reveal_reason=' + encodeURIComponent('资金发放')), 403, 'forbidden');
		await refused(await get(w.staff1, '?reveal_reason=x'), 422, 'validation_failed');
		await refused(await get(w.staff2, '?reveal_reason=' + encodeURIComponent('资金发放')), 404, 'not_found');
		assert.equal(await reveals(h.id), n0 + 1, 'refusals write no reveal');
	});
});
