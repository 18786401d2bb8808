// Households (困难职工档案): create, validation, list and masking, PATCH,
// scope, precise identification (one open archive per ID number).
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertFieldError, assertStatus, listAll, uniq, limit } from './lib.mjs';
import { idNumber, badCheck, checkChar, maskId, people, hhBody, world, createHh, revealHh, assertMasked, act, getHh } from './idgen.mjs';

const T = { timeout: limit(60000) };

const hhTotal = async (w) => {
	const r = await w.s.api('GET', '/households?limit=1', { token: w.admin.token });
	assertStatus(r, 200, 'GET /households');
	return r.json.total;
};

describe('households', () => {
	let s, w;
	before(async () => {
		s = await startServer();
		w = await world(s, { users: ['staff1', 'reviewer1', 'approver', 'viewer1', 'staff2', 'reviewer2', 'staffD', 'viewerD', 'adminS1'] });
	});
	after(async () => { if (s) await s.stop(); });

	test('POST /households → 201 draft with the derived fields', T, async () => {
		const p = people(0);
		const worker = idNumber('330106', '19850615', 11); // odd → male
		const spouse = idNumber('330106', '19870320', 12); // even → female
		const child = idNumber('330106', '20150901', 14);
		const body = {
			org_id: w.s1.id, name: '张三', id_number: worker, phone: '13800138000', employer: '某某机械厂',
			address: '上城区解放路 1 号', monthly_income_fen: 150000, causes: ['illness_family', 'low_income'],
			housing: '租住公房', living_conditions: '家庭困难', illness: '妻子患慢性肾病，长期服药',
			mental_state: '积极', employment_needs: '希望转岗', skills: '钳工', measures: '送温暖',
			dibao_cert_no: 'DB-2026-001', notes: '备注', receives_dibao: true, migrant_worker: true,
			model_worker: false, disability: false,
			members: [
				{ name: '李四', id_number: spouse, relation: 'spouse', monthly_income_fen: 50000, health: '慢性病',
					school_stage: 'none', disability: true, occupation: '无' },
				{ name: '张小', id_number: child, relation: 'child', monthly_income_fen: 0, health: '健康',
					school_stage: 'primary', disability: false },
			],
		};
		const r = await s.api('POST', '/households', { token: w.staff1.token, body });
		assertStatus(r, 201, 'create');
		const h = r.json;
		assert.equal(typeof h.id, 'number');
		assert.equal(typeof h.version, 'number');
		assert.equal(h.status, 'draft');
		assert.equal(h.org_id, w.s1.id);
		assert.equal(h.name, '张三');
		assertMasked(h, 'the 201 answer');
		assert.equal(h.id_number, maskId(worker));
		assert.equal(h.phone, '138****8000');
		assert.equal(h.gender, 'male');
		assert.equal(h.age, 40, 'born 1985-06-15, on 2026-03-02');
		assert.deepEqual(h.members.map((m) => [m.id_number, m.age]), [[maskId(spouse), 38], [maskId(child), 10]]);
		const full = await revealHh(w, h);
		assert.equal(full.id_number, worker);
		assert.equal(full.birth_date, '1985-06-15');
		assert.deepEqual(full.members.map((m) => [m.id_number, m.birth_date]), [[spouse, '1987-03-20'], [child, '2015-09-01']]);
		assert.equal(h.household_size, 3);
		// (150000 + 50000 + 0) / 3 = 66666.67 → 66667
		assert.equal(h.per_capita_income_fen, 66667);
		assert.equal(h.standard_fen, 93000, 'the root standard is inherited');
		assert.equal(h.suggested_category, 'dibao');
		assert.equal(h.category, null);
		assert.equal(h.archive_no, null);
		assert.equal(h.notice_end, null);
		assert.equal(h.next_review_date, null);
		assert.deepEqual([...h.causes].sort(), ['illness_family', 'low_income']);
		for (const k of ['employer', 'address', 'housing', 'living_conditions', 'illness', 'mental_state',
			'employment_needs', 'skills', 'measures', 'dibao_cert_no', 'notes', 'receives_dibao', 'migrant_worker',
			'model_worker', 'disability', 'monthly_income_fen'])
			assert.deepEqual(h[k], body[k], `field ${k} echoed`);
		assert.equal(h.members.length, 2);
		for (const [i, m] of h.members.entries()) {
			assert.equal(typeof m.id, 'number', `member ${i} has an id`);
			for (const k of Object.keys(body.members[i]).filter((k) => k !== 'id_number'))
				assert.deepEqual(m[k], body.members[i][k], `member ${i} field ${k}`);
		}
		assert.notEqual(h.members[0].id, h.members[1].id);
		// a female worker, a single-person household
		const f = await createHh(w, { org_id: w.s1.id, name: '王芳', id_number: p.female('19900101'), monthly_income_fen: 80000, causes: [], members: [] });
		assert.equal(f.gender, 'female');
		assert.equal(f.birth_date, '1990-01-01');
		assert.equal(f.household_size, 1);
		assert.equal(f.per_capita_income_fen, 80000);
		assert.deepEqual(f.members, []);
		// GET answers the same record
		const g = await getHh(w, h.id);
		assert.equal(g.per_capita_income_fen, 66667);
		assert.equal(g.members.length, 2);
	});

	test('ID numbers: a check character X and a leap day are valid; lower-case x is the same person', T, async () => {
		let seq = 301;
		while (checkChar('330106' + '19800301' + String(seq).padStart(3, '0')) !== 'X')
			seq += 2;
		const withX = idNumber('330106', '19800301', seq);
		assert.ok(withX.endsWith('X'));
		const a = await createHh(w, { org_id: w.s1.id, name: '陈X', id_number: withX, monthly_income_fen: 0, members: [] });
		assert.equal(a.id_number, withX);
		const leap = await createHh(w, { org_id: w.s1.id, name: '闰日', id_number: idNumber('330106', '20000229', 303), monthly_income_fen: 0, members: [] });
		assert.equal(leap.birth_date, '2000-02-29');
		const r = await s.api('POST', '/households', { token: w.staff1.token,
			body: { org_id: w.s1.id, name: '陈小x', id_number: withX.toLowerCase(), monthly_income_fen: 0, members: [] } });
		assert.ok(r.status === 409 || r.status === 422, `lower-case x of a held number must not open a second archive: ${r.status} ${r.text}`);
	});

	test('per-capita income rounds half up; the suggested category follows dibao → marginal → accident → none', T, async () => {
		const p = people(20);
		const spouse = (income) => [{ name: '配偶', id_number: p.female(), relation: 'spouse', monthly_income_fen: income }];
		const a = await createHh(w, hhBody(w.s1.id, p, { monthly_income_fen: 100001, members: spouse(0) }));
		assert.equal(a.per_capita_income_fen, 50001, '100001 / 2 = 50000.5 → 50001');
		const b = await createHh(w, hhBody(w.s1.id, p, { monthly_income_fen: 100000, members: [...spouse(0), { name: '孩子', id_number: p.male('20120101'), relation: 'child', monthly_income_fen: 0 }] }));
		assert.equal(b.per_capita_income_fen, 33333, '100000 / 3 = 33333.33 → 33333');
		const c = await createHh(w, hhBody(w.s1.id, p, { monthly_income_fen: 100000, members: spouse(1) }));
		assert.equal(c.per_capita_income_fen, 50001, '100001 / 2 with member income');
		const cases = [
			[93000, ['low_income'], 'dibao'],
			[93001, ['low_income'], 'marginal'],
			[139500, [], 'marginal'],
			[139501, ['illness_self'], 'accident'],
			[139501, ['illness_family'], 'accident'],
			[139501, ['accident'], 'accident'],
			[200000, ['disaster', 'low_income'], 'accident'],
			[139501, ['work_injury'], 'accident'],
			[139501, ['low_income', 'disability_self'], 'none'],
			[139501, [], 'none'],
		];
		for (const [income, causes, cat] of cases) {
			const h = await createHh(w, hhBody(w.s1.id, p, { monthly_income_fen: income, causes, members: [] }));
			assert.equal(h.per_capita_income_fen, income);
			assert.equal(h.suggested_category, cat, `per-capita ${income}, causes ${causes} → ${cat}`);
			assert.equal(h.category, null);
		}
	});

	test('bad ID numbers → 422 naming id_number or members[i].id_number; nothing written', T, async () => {
		const p = people(60);
		const total = await hhTotal(w);
		const good = p.male();
		const cases = [
			['17 characters', { id_number: good.slice(0, 17) }, 'id_number'],
			['19 characters', { id_number: good + '1' }, 'id_number'],
			['15-digit old format', { id_number: '330102850615001' }, 'id_number'],
			['letters', { id_number: '33010219850615A01' + '1' }, 'id_number'],
			['29 Feb of a common year', { id_number: idNumber('330102', '20230229', 1) }, 'id_number'],
			['month 13', { id_number: idNumber('330102', '19851301', 1) }, 'id_number'],
			['born in the future', { id_number: idNumber('330102', '20260305', 1) }, 'id_number'],
			['wrong check character', { id_number: badCheck(good) }, 'id_number'],
			['member with a wrong check character', { id_number: good, members: [{ name: '李四', id_number: badCheck(p.female()), relation: 'spouse' }] }, 'members[0].id_number'],
			['second member born in the future', { id_number: good, members: [
				{ name: '李四', id_number: p.female(), relation: 'spouse' },
				{ name: '小张', id_number: idNumber('330102', '20261201', 2), relation: 'child' }] }, 'members[1].id_number'],
			['member with the worker\'s number', { id_number: good, members: [{ name: '李四', id_number: good, relation: 'spouse' }] }, 'members[0].id_number'],
		];
		for (const [what, over, field] of cases) {
			const r = await s.api('POST', '/households', { token: w.staff1.token, body: hhBody(w.s1.id, p, over) });
			assertFieldError(r, field, { what });
		}
		assert.equal(await hhTotal(w), total, 'no household written on refusal');
	});

	test('other validation failures → 422 with the field; wrong shape → 400; nothing written', T, async () => {
		const p = people(80);
		const total = await hhTotal(w);
		const mem = (over) => [{ name: '李四', id_number: p.female(), relation: 'spouse', ...over }];
		const f422 = [
			['negative income', { monthly_income_fen: -1 }, 'monthly_income_fen'],
			['negative member income', { members: mem({ monthly_income_fen: -100 }) }, 'members[0].monthly_income_fen'],
			['unknown cause', { causes: ['low_income', 'laziness'] }, 'causes'],
			['unknown relation', { members: [...mem({}), { name: '某', id_number: p.male('20100101'), relation: 'neighbour' }] }, 'members[1].relation'],
			['unknown school stage', { members: mem({ school_stage: 'phd' }) }, 'members[0].school_stage'],
			['empty name', { name: '' }, 'name'],
			['51-character name', { name: '张'.repeat(51) }, 'name'],
			['empty member name', { members: mem({ name: '' }) }, 'members[0].name'],
			['two members with one number', { members: [...mem({}), { name: '王五', id_number: null, relation: 'sibling' }] }, 'members[1].id_number'],
		];
		// the last case: both members carry the same (valid) number
		f422[8][1].members[1].id_number = f422[8][1].members[0].id_number;
		for (const [what, over, field] of f422) {
			const r = await s.api('POST', '/households', { token: w.staff1.token, body: hhBody(w.s1.id, p, over) });
			assertFieldError(r, field, { what });
		}
		const missing = hhBody(w.s1.id, p);
		delete missing.id_number;
		const rm = await s.api('POST', '/households', { token: w.staff1.token, body: missing });
		assert.ok([400, 422].includes(rm.status), `missing id_number: ${rm.status} ${rm.text}`);
		if (rm.status === 422)
			assertFieldError(rm, 'id_number');
		const f400 = [
			['unknown field', { colour: 'red' }],
			['unknown member field', { members: mem({ shoe_size: 42 }) }],
			['income as a string', { monthly_income_fen: '150000' }],
			['income as a fraction', { monthly_income_fen: 1500.5 }],
			['causes not an array', { causes: 'low_income' }],
			['members not an array', { members: { name: '李四' } }],
			['disability not a bool', { disability: 'yes' }],
			['member disability not a bool', { members: mem({ disability: 1 }) }],
			['name a number', { name: 12345 }],
			['org_id a string', { org_id: String(w.s1.id) }],
		];
		for (const [what, over] of f400) {
			const r = await s.api('POST', '/households', { token: w.staff1.token, body: hhBody(w.s1.id, p, over) });
			assertError(r, 400, 'bad_request', what);
		}
		assertError(await s.api('POST', '/households', { token: w.staff1.token, rawBody: '{"name":' }), 400, 'bad_json', 'broken JSON');
		assertError(await s.api('POST', '/households', { token: w.staff1.token, body: [hhBody(w.s1.id, p)] }), 400, 'bad_request', 'an array body');
		assert.equal(await hhTotal(w), total, 'no household written on refusal');
	});

	test('who may create: staff and admin; reviewer, approver, viewer → 403; outside the subtree → 404', T, async () => {
		const p = people(110);
		const total = await hhTotal(w);
		for (const who of ['reviewer1', 'approver', 'viewerD', 'viewer1']) {
			const r = await s.api('POST', '/households', { token: w[who].token, body: hhBody(w.s1.id, p) });
			assertError(r, 403, 'forbidden', who);
		}
		assertError(await s.api('POST', '/households', { token: w.staff2.token, body: hhBody(w.s1.id, p) }), 404, 'not_found', 'S2 staff into S1');
		assertError(await s.api('POST', '/households', { token: w.adminS1.token, body: hhBody(w.s2.id, p) }), 404, 'not_found', 'S1 admin into S2');
		assertError(await s.api('POST', '/households', { token: w.staff1.token, body: hhBody(w.d.id, p) }), 404, 'not_found', 'S1 staff into D');
		assertError(await s.api('POST', '/households', { token: w.staff1.token, body: hhBody(987654, p) }), 404, 'not_found', 'no such unit');
		assertError(await s.api('POST', '/households', { body: hhBody(w.s1.id, p) }), 401, 'unauthenticated', 'no token');
		// a cookie session needs the CSRF token
		const ck = await s.login(w.users.staff1.username, w.users.staff1.password);
		assertError(await s.api('POST', '/households', { cookie: ck.cookie, body: hhBody(w.s1.id, p) }), 403, 'csrf_failed', 'cookie without X-CSRF-Token');
		assertError(await s.api('POST', '/households', { cookie: ck.cookie, headers: { 'X-CSRF-Token': 'x' + ck.csrf }, body: hhBody(w.s1.id, p) }), 403, 'csrf_failed', 'wrong X-CSRF-Token');
		assert.equal(await hhTotal(w), total);
		const viaCookie = await s.api('POST', '/households', { cookie: ck.cookie, headers: { 'X-CSRF-Token': ck.csrf }, body: hhBody(w.s1.id, p) });
		assertStatus(viaCookie, 201, 'cookie with X-CSRF-Token');
		await createHh(w, hhBody(w.s1.id, p), w.adminS1);
		await createHh(w, hhBody(w.s1.id, p), w.admin);
		await createHh(w, hhBody(w.s2.id, p), w.staffD);
		assert.equal(await hhTotal(w), total + 4);
	});

	test('list: id_number and phone masked; the full numbers never appear', T, async () => {
		const p = people(130);
		const org = await s.createOrg({ parent_id: w.d.id, level: 'street', name: uniq('街道丙') });
		const made = [];
		for (let i = 0; i < 3; i++)
			made.push(await createHh(w, hhBody(org.id, p, { phone: `1390571${String(1000 + i)}` }), w.staffD));
		const r = await s.api('GET', `/households?org_id=${org.id}`, { token: w.staffD.token });
		assertStatus(r, 200);
		assert.equal(r.json.total, 3);
		assert.equal(r.json.items.length, 3);
		for (const h of made) {
			const it = r.json.items.find((x) => x.id === h.id);
			assert.ok(it, `household ${h.id} listed`);
			assert.equal(it.id_number, maskId(h.id_number));
			assert.match(it.id_number, /^\d{6}\*{8}\d{3}[\dX]$/);
			assert.equal(it.phone, h.phone.slice(0, 3) + '****' + h.phone.slice(7));
			assert.equal(it.status, 'draft');
			assert.equal(it.name, h.name);
			assert.ok(!r.text.includes(h.id_number), 'the full worker ID is not in the list');
			assert.ok(!r.text.includes(h.phone), 'the full phone is not in the list');
			for (const m of h.members)
				assert.ok(!r.text.includes(m.id_number), 'a member\'s full ID is not in the list');
		}
		// the contract's own example
		const ex = await createHh(w, { org_id: org.id, name: '例子', id_number: '110101199003074514', phone: '13800138000', monthly_income_fen: 0, members: [] }, w.staffD);
		const l = await listAll(s, `/households?org_id=${org.id}`, w.staffD.token);
		const it = l.items.find((x) => x.id === ex.id);
		assert.equal(it.id_number, '110101********4514');
		assert.equal(it.phone, '138****8000');
	});

	test('list filters: status, category, org_id, q; limit/offset and total', T, async () => {
		const p = people(150);
		const org = await s.createOrg({ parent_id: w.d.id, level: 'street', name: uniq('街道丁') });
		const tag = uniq('筛');
		const made = [];
		for (let i = 0; i < 5; i++)
			made.push(await createHh(w, hhBody(org.id, p, { name: `${tag}${i}号` }), w.staffD));
		const other = await createHh(w, hhBody(org.id, p, { name: uniq('另') }), w.staffD);
		const tok = w.staffD.token;
		const get = async (q) => {
			const r = await s.api('GET', `/households?${q}`, { token: tok });
			assertStatus(r, 200, q);
			assert.ok(Array.isArray(r.json.items));
			assert.equal(typeof r.json.total, 'number');
			return r.json;
		};
		let l = await get(`org_id=${org.id}`);
		assert.equal(l.total, 6);
		l = await get(`org_id=${org.id}&q=${encodeURIComponent(tag)}`);
		assert.equal(l.total, 5, 'q by name');
		assert.deepEqual(l.items.map((x) => x.id).sort((a, b) => a - b), made.map((h) => h.id).sort((a, b) => a - b));
		l = await get(`q=${encodeURIComponent(tag + '3')}`);
		assert.deepEqual(l.items.map((x) => x.id), [made[3].id], 'q by a name fragment');
		l = await get(`q=${encodeURIComponent('没有这个人' + tag)}`);
		assert.equal(l.total, 0);
		assert.deepEqual(l.items, []);
		// paging
		const pages = [];
		for (const off of [0, 2, 4]) {
			const pg = await get(`org_id=${org.id}&limit=2&offset=${off}`);
			assert.equal(pg.total, 6, 'total ignores limit/offset');
			pages.push(...pg.items.map((x) => x.id));
			assert.equal(pg.items.length, 2);
		}
		assert.equal(new Set(pages).size, 6, 'pages do not overlap');
		assert.equal((await get(`org_id=${org.id}&limit=2&offset=6`)).items.length, 0);
		// status and category
		await act(w, made[0].id, w.staffD, { action: 'submit' });
		await act(w, made[1].id, w.staffD, { action: 'submit' });
		const v = await s.api('POST', `/households/${made[1].id}/visits`, { token: w.staffD.token, body: { date: '2026-03-01', kind: 'verification', visitor: '王', notes: '' } });
		assertStatus(v, 201);
		const rev = await s.userSession({ org_id: org.id, role: 'reviewer' });
		await act(w, made[1].id, rev, { action: 'verify', category: 'marginal' });
		l = await get(`org_id=${org.id}&status=submitted`);
		assert.deepEqual(l.items.map((x) => x.id), [made[0].id]);
		l = await get(`org_id=${org.id}&status=draft`);
		assert.equal(l.total, 4);
		assert.ok(l.items.every((x) => x.status === 'draft'));
		l = await get(`org_id=${org.id}&category=marginal`);
		assert.deepEqual(l.items.map((x) => x.id), [made[1].id]);
		assert.equal(l.items[0].category, 'marginal');
		l = await get(`org_id=${org.id}&status=verified&category=marginal&q=${encodeURIComponent(tag)}`);
		assert.equal(l.total, 1);
		l = await get(`org_id=${org.id}&status=active`);
		assert.equal(l.total, 0);
		assert.ok(other.id);
	});

	// RULE scope.root: on PostgreSQL the root's caller reads the whole tree's lists
	// by status and category from the archives alone, the status and category written in,
	// its first 500 rows read from the first 32, 64, ... 512 in order and cut
	// by LIMIT and OFFSET (later pages planned each; SQLite reads through the
	// units): every page equals a fresh SELECT in the list's order, across those
	// cuts and past them.
	test('the whole tree by status and category: every page in order, across the prepared cuts', T, async () => {
		const made = [];
		for (let i = 0; i < 70; i++)
			made.push(await createHh(w, hhBody(i % 2 ? w.s1.id : w.s2.id, people(400 + i)), i % 2 ? w.staff1 : w.staff2));
		for (let i = 0; i < made.length; i += 3)
			await act(w, made[i].id, i % 2 ? w.staff1 : w.staff2, { action: 'submit' });
		const truth = (cond) => s.sql(`SELECT id FROM households WHERE ${cond} ORDER BY id DESC`).trim().split(/\s+/).filter(Boolean).map(Number);
		const lists = { '': 'TRUE', 'status=draft': "status = 'draft'", 'status=submitted': "status = 'submitted'",
			'category=marginal': "category = 'marginal'", 'status=draft&category=marginal': "status = 'draft' AND category = 'marginal'" };
		for (const [q, cond] of Object.entries(lists)) {
			const all = truth(cond);
			assert.ok(q.includes('category') || all.length > 20, `enough archives for ?${q}`);
			for (const [size, off] of [[1, 0], [20, 0], [20, 20], [32, 0], [33, 0], [30, 31], [50, 14], [7, 60], [64, 1],
				[200, 300], [20, 480], [50, 450], [1, 500], [200, 499]]) {
				const r = await s.api('GET', `/households?${q}&limit=${size}&offset=${off}`, { token: w.admin.token });
				assertStatus(r, 200, `?${q} ${size} from ${off}`);
				assert.equal(r.json.total, all.length, `the total of ?${q}`);
				assert.deepEqual(r.json.items.map((x) => x.id), all.slice(off, off + size), `?${q}: ${size} from ${off}`);
			}
		}
		const bad = await s.api('GET', "/households?status=active'--", { token: w.admin.token });
		assertFieldError(bad, 'status');
	});

	test('GET /households/{id}: masked for every role, and a plain read writes nothing', T, async () => {
		const p = people(180);
		const h = await createHh(w, hhBody(w.s1.id, p));
		const audit = async () => (await s.api('GET', `/audit?entity=household&entity_id=${h.id}`, { token: w.admin.token })).json.items.length;
		const n0 = await audit();
		for (const who of [w.viewer1, w.staff1, w.admin]) {
			const r = await s.api('GET', `/households/${h.id}`, { token: who.token });
			assertStatus(r, 200, `${who.user.role} reads inside its scope`);
			assertMasked(r.json, `GET as ${who.user.role}`);
			assert.equal(r.json.id_number, maskId(h.id_number));
			assert.equal(r.json.members[0].id_number, maskId(h.members[0].id_number));
			assert.ok(!r.text.includes(h.id_number) && !r.text.includes(h.birth_date), 'neither the full number nor the birth date');
		}
		assert.equal(await audit(), n0, 'no audit entry for a masked read');
		assertError(await s.api('GET', '/households/987654', { token: w.admin.token }), 404, 'not_found');
	});

	test('PATCH: needs the current version, bumps it, recomputes; stale → 409 conflict', T, async () => {
		const p = people(200);
		const h = await createHh(w, hhBody(w.s1.id, p, { monthly_income_fen: 150000 }));
		const u = await s.api('PATCH', `/households/${h.id}`, { token: w.staff1.token,
			body: { version: h.version, monthly_income_fen: 300000, address: '新地址', causes: ['unemployment'] } });
		assertStatus(u, 200, 'patch');
		assert.equal(u.json.version, h.version + 1);
		assert.equal(u.json.monthly_income_fen, 300000);
		assert.equal(u.json.address, '新地址');
		assert.deepEqual(u.json.causes, ['unemployment']);
		assert.equal(u.json.per_capita_income_fen, 150000, '300000 / 2');
		assert.equal(u.json.suggested_category, 'none');
		assertMasked(u.json, 'the PATCH answer');
		assert.equal(u.json.id_number, maskId(h.id_number));
		assert.equal(u.json.name, h.name, 'untouched fields stay');
		assert.equal(u.json.employer, h.employer);
		// stale version
		const stale = await s.api('PATCH', `/households/${h.id}`, { token: w.staff1.token, body: { version: h.version, notes: '旧版本' } });
		assertError(stale, 409, 'conflict', 'stale version');
		assert.equal((await getHh(w, h.id)).notes, h.notes, 'a stale patch changes nothing');
		// two edits on the same version at once: one wins, one 409 conflict
		const race = await Promise.all(['甲', '乙'].map((n) => s.api('PATCH', `/households/${h.id}`, { token: w.staff1.token, body: { version: u.json.version, notes: n } })));
		assert.deepEqual(race.map((r) => r.status).sort(), [200, 409], race.map((r) => r.text.slice(0, 150)).join(' / '));
		assertError(race.find((r) => r.status === 409), 409, 'conflict');
		const winner = race.find((r) => r.status === 200).json;
		assert.equal(winner.version, u.json.version + 1);
		assert.equal((await getHh(w, h.id)).notes, winner.notes);
		u.json.version = winner.version;
		// members replaced
		const kid = p.male('20180101');
		const u2 = await s.api('PATCH', `/households/${h.id}`, { token: w.staff1.token, body: { version: u.json.version,
			members: [...h.members.map((m) => ({ name: m.name, id_number: m.id_number, relation: m.relation, monthly_income_fen: m.monthly_income_fen })),
				{ name: '张小', id_number: kid, relation: 'child', monthly_income_fen: 0, school_stage: 'preschool' }] } });
		assertStatus(u2, 200, 'patch members');
		assert.equal(u2.json.version, u.json.version + 1);
		assert.equal(u2.json.household_size, 3);
		assert.equal(u2.json.per_capita_income_fen, 100000);
		assert.ok(u2.json.members.some((m) => m.id_number === maskId(kid) && m.school_stage === 'preschool'));
		// refused patches change nothing
		const g0 = await getHh(w, h.id);
		assertFieldError(await s.api('PATCH', `/households/${h.id}`, { token: w.staff1.token, body: { version: g0.version, monthly_income_fen: -5 } }), 'monthly_income_fen');
		assertFieldError(await s.api('PATCH', `/households/${h.id}`, { token: w.staff1.token, body: { version: g0.version, members: [{ name: '某', id_number: badCheck(p.male()), relation: 'child' }] } }), 'members[0].id_number');
		assertFieldError(await s.api('PATCH', `/households/${h.id}`, { token: w.staff1.token, body: { version: g0.version, members: [{ name: '某', id_number: h.id_number, relation: 'child' }] } }), 'members[0].id_number');
		assertFieldError(await s.api('PATCH', `/households/${h.id}`, { token: w.staff1.token, body: { version: g0.version, causes: ['bogus'] } }), 'causes');
		assertError(await s.api('PATCH', `/households/${h.id}`, { token: w.staff1.token, body: { version: g0.version, colour: 'red' } }), 400, 'bad_request', 'unknown field');
		assertError(await s.api('PATCH', `/households/${h.id}`, { token: w.staff1.token, body: { version: g0.version, status: 'active' } }), 400, 'bad_request', 'status is not patchable');
		assertError(await s.api('PATCH', `/households/${h.id}`, { token: w.reviewer1.token, body: { version: g0.version, notes: 'x' } }), 403, 'forbidden', 'reviewer');
		assertError(await s.api('PATCH', `/households/${h.id}`, { token: w.viewer1.token, body: { version: g0.version, notes: 'x' } }), 403, 'forbidden', 'viewer');
		const g1 = await getHh(w, h.id);
		assert.equal(g1.version, g0.version);
		assert.deepEqual(g1.members.map((m) => m.id_number).sort(), g0.members.map((m) => m.id_number).sort());
	});

	test('PATCH outside draft/rejected/active → 409 invalid_transition; editable again once rejected', T, async () => {
		const p = people(230);
		const h = await createHh(w, hhBody(w.s1.id, p));
		const sub = await act(w, h.id, w.staff1, { action: 'submit' });
		assert.equal(sub.status, 'submitted');
		assertError(await s.api('PATCH', `/households/${h.id}`, { token: w.staff1.token, body: { version: sub.version, notes: '改' } }), 409, 'invalid_transition', 'patch while submitted');
		const rej = await act(w, h.id, w.reviewer1, { action: 'reject', comment: '材料不全' });
		assert.equal(rej.status, 'rejected');
		const u = await s.api('PATCH', `/households/${h.id}`, { token: w.staff1.token, body: { version: rej.version, notes: '已补材料' } });
		assertStatus(u, 200, 'patch while rejected');
		assert.equal(u.json.notes, '已补材料');
		assert.equal(u.json.status, 'rejected');
		const re = await act(w, h.id, w.staff1, { action: 'submit' });
		assert.equal(re.status, 'submitted');
	});

	test('scope: a sibling street gets 404; the district sees both streets', T, async () => {
		const p = people(250);
		const h1 = await createHh(w, hhBody(w.s1.id, p));
		const h2 = await createHh(w, hhBody(w.s2.id, p), w.staff2);
		const t2 = w.staff2.token;
		assertError(await s.api('GET', `/households/${h1.id}`, { token: t2 }), 404, 'not_found', 'GET');
		assertError(await s.api('PATCH', `/households/${h1.id}`, { token: t2, body: { version: h1.version, notes: 'x' } }), 404, 'not_found', 'PATCH');
		assertError(await s.api('POST', `/households/${h1.id}/transitions`, { token: t2, body: { action: 'submit' } }), 404, 'not_found', 'submit');
		assertError(await s.api('POST', `/households/${h1.id}/transitions`, { token: w.reviewer2.token, body: { action: 'reject', comment: 'x' } }), 404, 'not_found', 'reject by S2 reviewer');
		assertError(await s.api('GET', `/households/${h1.id}/events`, { token: t2 }), 404, 'not_found', 'events');
		// out of scope is answered like a missing record, before the role
		const a = await s.api('GET', `/households/${h1.id}`, { token: t2 });
		const b = await s.api('GET', '/households/987654', { token: t2 });
		assert.equal(a.json.error.message, b.json.error.message);
		assertError(await s.api('POST', `/households/${h1.id}/transitions`, { token: w.reviewer2.token, body: { action: 'submit' } }), 404, 'not_found', 'wrong role and out of scope');
		// nothing happened to h1
		const g = await getHh(w, h1.id);
		assert.equal(g.status, 'draft');
		assert.equal(g.version, h1.version);
		// lists
		const l2 = await listAll(s, '/households', t2);
		assert.ok(l2.items.some((x) => x.id === h2.id));
		assert.ok(!l2.items.some((x) => x.id === h1.id), 'S2 does not list S1 households');
		assert.ok(l2.items.every((x) => x.org_id === w.s2.id));
		const l1 = await listAll(s, '/households', w.staff1.token);
		assert.ok(l1.items.every((x) => x.org_id === w.s1.id), 'S1 lists S1 only');
		const lf = await s.api('GET', `/households?org_id=${w.s1.id}`, { token: t2 });
		assert.ok(lf.status === 404 || (lf.status === 200 && lf.json.total === 0), `S2 filtering on S1: ${lf.status} ${lf.text.slice(0, 200)}`);
		// the district
		const lD = await listAll(s, '/households', w.staffD.token);
		assert.ok(lD.items.some((x) => x.id === h1.id) && lD.items.some((x) => x.id === h2.id), 'the district lists both streets');
		assertStatus(await s.api('GET', `/households/${h1.id}`, { token: w.viewerD.token }), 200, 'district viewer reads S1');
		const u = await s.api('PATCH', `/households/${h2.id}`, { token: w.staffD.token, body: { version: h2.version, notes: '区里改' } });
		assertStatus(u, 200, 'district staff patches S2');
		await act(w, h1.id, w.staffD, { action: 'submit' });
		// the root admin lists everything
		const lA = await listAll(s, '/households', w.admin.token);
		assert.ok(lA.items.some((x) => x.id === h1.id) && lA.items.some((x) => x.id === h2.id));
	});

	test('precise identification: an ID number in an open archive → 409 duplicate_id_number with the unit name only', T, async () => {
		const p = people(270);
		const h = await createHh(w, hhBody(w.s1.id, p));
		const worker = h.id_number, spouse = h.members[0].id_number;
		const total = await hhTotal(w);
		const check = (r, what) => {
			const d = assertError(r, 409, 'duplicate_id_number', what);
			assert.equal(d.org_name, w.s1.name, `${what}: details.org_name is the holding unit`);
			const txt = JSON.stringify(r.json);
			assert.ok(!txt.includes(h.name), `${what}: the holder's name is not revealed`);
			assert.ok(!Object.hasOwn(d, 'household_id') && !Object.hasOwn(d, 'id'), `${what}: no household id in details`);
		};
		// same worker, same unit
		check(await s.api('POST', '/households', { token: w.staff1.token, body: hhBody(w.s1.id, p, { id_number: worker }) }), 'worker again');
		// the worker as somebody's member, in a unit the caller cannot see
		check(await s.api('POST', '/households', { token: w.staff2.token, body: hhBody(w.s2.id, p, { members: [{ name: '某', id_number: worker, relation: 'sibling' }] }) }), 'worker as a member elsewhere');
		// the member as a worker elsewhere
		check(await s.api('POST', '/households', { token: w.staff2.token, body: hhBody(w.s2.id, p, { id_number: spouse, name: '李四', members: [] }) }), 'member as a worker elsewhere');
		// the member as a member elsewhere
		check(await s.api('POST', '/households', { token: w.staff2.token, body: hhBody(w.s2.id, p, { members: [{ name: '某', id_number: spouse, relation: 'spouse' }] }) }), 'member as a member elsewhere');
		// an admin of the root, and the district
		check(await s.api('POST', '/households', { token: w.admin.token, body: hhBody(w.d.id, p, { id_number: worker }) }), 'root admin');
		assert.equal(await hhTotal(w), total, 'nothing written');
		// a submitted or rejected archive is open too
		await act(w, h.id, w.staff1, { action: 'submit' });
		check(await s.api('POST', '/households', { token: w.staff2.token, body: hhBody(w.s2.id, p, { id_number: worker }) }), 'submitted holder');
		await act(w, h.id, w.reviewer1, { action: 'reject', comment: '退回' });
		check(await s.api('POST', '/households', { token: w.staff2.token, body: hhBody(w.s2.id, p, { id_number: worker }) }), 'rejected holder');
		// PATCH that brings in a held number
		const other = await createHh(w, hhBody(w.s2.id, p), w.staff2);
		const r = await s.api('PATCH', `/households/${other.id}`, { token: w.staff2.token, body: { version: other.version,
			members: [{ name: '某', id_number: spouse, relation: 'other' }] } });
		check(r, 'patch adding a held member');
		const g = await getHh(w, other.id);
		assert.equal(g.version, other.version);
		assert.deepEqual(g.members.map((m) => m.id_number), other.members.map((m) => maskId(m.id_number)));
		// a household may keep its own members when patched
		const rej = await getHh(w, h.id);
		const keep = await s.api('PATCH', `/households/${h.id}`, { token: w.staff1.token, body: { version: rej.version,
			members: rej.members.map((m) => ({ id: m.id, name: m.name, id_number: m.id_number, relation: m.relation })) } });
		assertStatus(keep, 200, 'patching a household with its own members, sent back masked');
		// a member dropped from an archive is free again
		const drop = await s.api('PATCH', `/households/${h.id}`, { token: w.staff1.token, body: { version: keep.json.version, members: [] } });
		assertStatus(drop, 200, 'drop the member');
		await createHh(w, hhBody(w.s2.id, p, { id_number: spouse, name: '李四', members: [] }), w.staff2);
	});

	test('two concurrent creates with one ID number: exactly one 201, one 409', T, async () => {
		const p = people(300);
		for (let round = 0; round < 6; round++) {
			const id = p.male('19700101');
			const bodies = round % 2 === 0
				? [hhBody(w.s1.id, p, { id_number: id }), hhBody(w.s2.id, p, { id_number: id })]
				: [hhBody(w.s1.id, p, { id_number: id }), hhBody(w.s2.id, p, { members: [{ name: '某', id_number: id, relation: 'sibling' }] })];
			const [a, b] = await Promise.all([
				s.api('POST', '/households', { token: w.staff1.token, body: bodies[0] }),
				s.api('POST', '/households', { token: w.staff2.token, body: bodies[1] }),
			]);
			const st = [a.status, b.status].sort();
			assert.deepEqual(st, [201, 409], `round ${round}: ${a.status} ${a.text.slice(0, 200)} / ${b.status} ${b.text.slice(0, 200)}`);
			assertError(a.status === 409 ? a : b, 409, 'duplicate_id_number');
		}
		// three at once
		const id = p.male('19710101');
		const name = uniq('并发');
		const rs = await Promise.all([w.staff1, w.staff2, w.staffD].map((u, i) =>
			s.api('POST', '/households', { token: u.token, body: hhBody([w.s1.id, w.s2.id, w.s1.id][i], p, { id_number: id, name }) })));
		assert.deepEqual(rs.map((r) => r.status).sort(), [201, 409, 409], rs.map((r) => r.text.slice(0, 120)).join(' / '));
		const l = await listAll(s, `/households?q=${encodeURIComponent(name)}`, w.admin.token);
		assert.equal(l.total, 1, 'one archive written');
	});
});
