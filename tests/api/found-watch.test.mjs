// Watching after exit (返困监测) and reopening, API.md "Found early": an exit
// keeps the archive under watch for 12 months with a visit due after 6; a
// `monitoring` visit sets the next one (or ends them past the watch);
// `reopen` brings an exited archive back to draft with its number, trail,
// visits and members, refused while one of its people is in another open
// archive; a later `enter` keeps the number.
import assert from 'node:assert/strict';
import { test, describe, before, after } from 'node:test';
import { startServer, assertError, assertFieldError, assertStatus, listAll, limit } from './lib.mjs';
import { aidWorld, makeHouseholds, hhBody, hhAct, getHousehold, auditVerify } from './aid-world.mjs';
import { addDays } from './idgen.mjs';

const T = { timeout: limit(120000) };
const post = (w, who, p, body) => w.s.api('POST', p, { token: who.token, body });
const get = (w, who, p) => w.s.api('GET', p, { token: who.token });
const visit = (w, id, date, kind = 'monitoring') => post(w, w.staff, `/households/${id}/visits`,
	{ date, kind, visitor: '监测员', notes: '回访' });
const ids = (items) => items.map((x) => x.id);

describe('watching after exit and reopening', () => {
	let s, w, A, B, D, F;
	before(async () => {
		s = await startServer({ clock: '2026-03-02T09:00:00Z' });
		w = await aidWorld(s, { label: 'found-watch' });
		const member = () => ({ name: '周成员', id_number: w.p.female(), relation: 'spouse', monthly_income_fen: 0,
			health: '良好', school_stage: 'none', disability: false });
		[A, B, D, F] = await makeHouseholds(w, [{}, {}, { body: { members: [member()] } }, {}]);
		await w.setClock('2026-03-16T09:00:00Z'); // a Monday
	});
	after(() => s && s.stop());

	test('an exit starts the watch: 12 months, a visit due after 6', T, async () => {
		const x = await hhAct(w, A.id, w.approverS, { action: 'exit', exit_reason: '再就业，收入稳定' });
		assert.equal(x.status, 'exited');
		assert.equal(x.monitor_until, '2027-03-16');
		assert.equal(x.next_review_date, '2026-09-16');
		const watched = (await listAll(w.s, '/households?monitoring=true', w.staff.token)).items;
		assert.deepEqual(ids(watched), [A.id]);
		assert.equal(watched[0].monitor_until, '2027-03-16');
		assert.ok(!ids((await listAll(w.s, '/households?review_due=true', w.staff.token)).items).includes(A.id));
		const dash = (await get(w, w.staff, '/reports/dashboard')).json;
		assert.equal(dash.monitoring, 1);
		assert.equal(dash.monitoring_due, 0);
	});

	test('a monitoring visit: only on an exited archive; sets the next, or ends them past the watch', T, async () => {
		const n0 = (await get(w, w.staff, `/households/${B.id}/visits`)).json.items.length;
		assertFieldError(await visit(w, B.id, '2026-03-16'), 'kind');
		assert.equal((await get(w, w.staff, `/households/${B.id}/visits`)).json.items.length, n0, 'nothing recorded');
		assertFieldError(await visit(w, A.id, '2026-03-16', 'inspection'), 'kind');
		for (const who of [w.viewer, w.reviewer])
			assertError(await post(w, who, `/households/${A.id}/visits`, { date: '2026-03-16', kind: 'monitoring', visitor: 'x' }), 403, 'forbidden');
		await w.setClock('2026-09-17T09:00:00Z');
		const due = (await listAll(w.s, '/households?review_due=true', w.staff.token)).items;
		assert.ok(ids(due).includes(A.id), 'the watched archive is due for its visit');
		let dash = (await get(w, w.staff, '/reports/dashboard')).json;
		assert.equal(dash.monitoring_due, 1);
		assertStatus(await visit(w, A.id, '2026-09-10'), 201, 'monitoring visit');
		let h = await getHousehold(w, A.id);
		assert.equal(h.next_review_date, '2027-03-10'); // calendar months
		assert.equal(h.status, 'exited');
		assert.ok(!ids((await listAll(w.s, '/households?review_due=true', w.staff.token)).items).includes(A.id));
		assertStatus(await visit(w, A.id, '2026-09-17'), 201);
		h = await getHousehold(w, A.id);
		assert.equal(h.next_review_date, null, '2027-03-17 would be after the watch ends (2027-03-16)');
		dash = (await get(w, w.staff, '/reports/dashboard')).json;
		assert.equal(dash.monitoring_due, 0);
		// after the watch: not listed any more
		await w.setClock('2027-03-17T09:00:00Z');
		assert.ok(!ids((await listAll(w.s, '/households?monitoring=true', w.staff.token)).items).includes(A.id));
		await w.setClock('2026-09-17T09:00:00Z');
	});

	test('reopen: staff or admin with a comment; back to draft with its number, trail, visits and members', T, async () => {
		assertError(await post(w, w.staff, `/households/${B.id}/transitions`, { action: 'reopen', comment: '返困' }), 409, 'invalid_transition');
		assertError(await post(w, w.approverS, `/households/${A.id}/transitions`, { action: 'reopen', comment: '返困' }), 403, 'forbidden');
		assertFieldError(await post(w, w.staff, `/households/${A.id}/transitions`, { action: 'reopen' }), 'comment');
		const visits0 = (await get(w, w.staff, `/households/${A.id}/visits`)).json.items.length;
		const r = await hhAct(w, A.id, w.staff, { action: 'reopen', comment: '因病返困，重新启用' });
		assert.equal(r.status, 'draft');
		assert.equal(r.archive_no, A.archive_no);
		assert.equal(r.monitor_until, null);
		assert.equal(r.next_review_date, null);
		assert.equal((await get(w, w.staff, `/households/${A.id}/visits`)).json.items.length, visits0);
		const ev = (await get(w, w.staff, `/households/${A.id}/events`)).json.items;
		assert.deepEqual(ev.slice(-2).map((e) => [e.action, e.from, e.to]), [['exit', 'active', 'exited'], ['reopen', 'exited', 'draft']]);
		assert.equal(ev.at(-1).comment, '因病返困，重新启用');
		assert.ok(ev.some((e) => e.action === 'enter'), 'the old trail is kept');
		assert.ok(!ids((await listAll(w.s, '/households?monitoring=true', w.staff.token)).items).includes(A.id));
		// the person cannot get a second archive: the reopened one is open again
		const dup = await post(w, w.staff, '/households', hhBody(w, 's1', { id_number: A.id_number }));
		assertError(dup, 409, 'duplicate_id_number');
		// the five steps again; enter keeps the number
		await hhAct(w, A.id, w.staff, { action: 'submit' });
		assertStatus(await visit(w, A.id, w.today(), 'verification'), 201);
		await hhAct(w, A.id, w.reviewer, { action: 'verify', category: 'dibao' });
		const p = await hhAct(w, A.id, w.staff, { action: 'publish' });
		await w.setClock(addDays(p.notice_end, 1) + 'T09:00:00Z');
		await hhAct(w, A.id, w.approverD, { action: 'approve' });
		const e = await hhAct(w, A.id, w.staff, { action: 'enter' });
		assert.equal(e.status, 'active');
		assert.equal(e.archive_no, A.archive_no);
	});

	test('reopen is refused while the worker or a member is in another open archive', T, async () => {
		const dm = (await getHousehold(w, D.id)).members[0];
		await hhAct(w, D.id, w.approverS, { action: 'exit', exit_reason: '家庭收入提高' });
		await hhAct(w, F.id, w.approverS, { action: 'exit', exit_reason: '子女就业' });
		// the member and the worker are free, and now archived elsewhere
		assertStatus(await post(w, w.staffD, '/households', hhBody(w, 's2', { id_number: dm.id_number })), 201);
		assertStatus(await post(w, w.staffD, '/households', hhBody(w, 's2', { id_number: F.id_number })), 201);
		for (const h of [D, F]) {
			const r = await post(w, w.staff, `/households/${h.id}/transitions`, { action: 'reopen', comment: '返困' });
			assertError(r, 409, 'duplicate_id_number');
			assert.equal(r.json.error.details.org_name, w.s2.name);
			const after = await getHousehold(w, h.id);
			assert.equal(after.status, 'exited', 'nothing changed');
			assert.ok(after.monitor_until);
		}
		auditVerify(s);
	});
});

// RULE watch.review_due: the active archives and the watched exits are read
// as two ordered arms and merged by date; every page is a cut of one order.
describe('the reviews due: active and watched exits in one date order', () => {
	let s, w, X;
	before(async () => {
		s = await startServer({ clock: '2026-03-02T09:00:00Z' });
		w = await aidWorld(s, { label: 'watch-order' });
		X = await makeHouseholds(w, [{}, {}, {}, {}, {}]);
	});
	after(() => s && s.stop());

	test('pages of one and of two cut the same order; the totals add up', T, async () => {
		// alternate: review (active), exit (watched), review, exit, review
		const days = ['2026-05-04', '2026-05-05', '2026-05-06', '2026-05-07', '2026-05-08'];
		for (let i = 0; i < X.length; i++) {
			await w.setClock(days[i] + 'T09:00:00Z');
			const h = i % 2
				? await hhAct(w, X[i].id, w.approverS, { action: 'exit', exit_reason: '再就业，收入稳定' })
				: await hhAct(w, X[i].id, w.staff, { action: 'review' });
			assert.equal(h.next_review_date, days[i].replace('2026-05', '2026-11'));
		}
		await w.setClock('2026-11-09T09:00:00Z');
		const due = (await listAll(w.s, '/households?review_due=true', w.staff.token)).items;
		const key = (x) => `${x.next_review_date}|${String(x.id).padStart(12, '0')}`;
		assert.deepEqual(due.map(key), due.map(key).sort(), 'by review date, then id');
		const ours = ids(due).filter((id) => X.some((x) => x.id === id));
		assert.deepEqual(ours, ids(X), 'active and watched interleaved by date');
		for (const size of [1, 2]) {
			const paged = [];
			for (let off = 0; off < due.length + size; off += size) {
				const p = (await get(w, w.staff, `/households?review_due=true&limit=${size}&offset=${off}`)).json;
				assert.equal(p.total, due.length, 'the total on every page');
				paged.push(...ids(p.items));
			}
			assert.deepEqual(paged, ids(due), `pages of ${size}`);
		}
		const act = (await listAll(w.s, '/households?review_due=true&status=active', w.staff.token)).items;
		const ex = (await listAll(w.s, '/households?review_due=true&status=exited', w.staff.token)).items;
		assert.deepEqual(ids(ex), [X[1].id, X[3].id]);
		assert.ok(act.every((x) => x.status === 'active'));
		assert.equal(act.length + ex.length, due.length);
		// RULE scope.root: the root's caller reads the whole tree without the units'
		// paths (its first 500 rows prepared with their LIMITs, later pages planned each):
		// the same archives in the same order as through the district's path
		const root = (await listAll(w.s, '/households?review_due=true', w.approverC.token)).items;
		const district = (await listAll(w.s, `/households?review_due=true&org_id=${w.d.id}`, w.approverC.token)).items;
		assert.deepEqual(ids(root), ids(district), 'the whole tree as the tree read unit by unit');
		assert.deepEqual(ids(root), ids(due));
		for (const [size, off] of [[1, 0], [2, 1], [2, 3], [200, 300], [200, 400], [50, 499]]) {
			const p = (await get(w, w.approverC, `/households?review_due=true&limit=${size}&offset=${off}`)).json;
			assert.equal(p.total, root.length, `the total, ${size} from ${off}`);
			assert.deepEqual(ids(p.items), ids(root).slice(off, off + size), `${size} from ${off}`);
		}
		const rootEx = (await listAll(w.s, '/households?review_due=true&status=exited', w.approverC.token)).items;
		assert.deepEqual(ids(rootEx), [X[1].id, X[3].id], 'one arm for the whole tree');
		// a name narrows both arms alike
		const name = (await getHousehold(w, X[3].id)).name;
		const byName = (await listAll(w.s, `/households?review_due=true&q=${encodeURIComponent(name)}`, w.staff.token)).items;
		assert.ok(ids(byName).includes(X[3].id));
		assert.ok(byName.every((x) => x.name.includes(name)));
	});
});

// RULE watch.end: at every maintenance tick (serve --analyze-every S) the
// visit still pending on an archive whose watch has ended is cleared, one
// audit entry each, so that the watched exits with a visit date are those
// under watch (the reviews due read them in date order, migration 035).
describe('the end of a watch', () => {
	let s, w, A, B, C;
	before(async () => {
		s = await startServer({ clock: '2026-03-02T09:00:00Z', args: ['--analyze-every', '1'] });
		w = await aidWorld(s, { label: 'watch-end' });
		[A, B, C] = await makeHouseholds(w, [{}, {}, {}]);
		await w.setClock('2026-03-16T09:00:00Z');
	});
	after(() => s && s.stop());

	const until = async (what, fn) => {
		for (let i = 0; i < 200; i++) {
			const v = await fn();
			if (v)
				return v;
			await new Promise((r) => setTimeout(r, 100));
		}
		assert.fail(`not within 20 s: ${what}`);
	};

	test('a visit pending when the watch ends is cleared and audited; a running watch keeps its own', T, async () => {
		await hhAct(w, A.id, w.approverS, { action: 'exit', exit_reason: '再就业，收入稳定' }); // watch to 2027-03-16
		await hhAct(w, C.id, w.approverS, { action: 'exit', exit_reason: '再就业，收入稳定' });
		await w.setClock('2026-04-01T09:00:00Z');
		await hhAct(w, B.id, w.approverS, { action: 'exit', exit_reason: '再就业，收入稳定' }); // watch to 2027-04-01
		await w.setClock('2026-09-16T09:00:00Z');
		assertStatus(await visit(w, A.id, '2026-09-16'), 201);
		assert.equal((await getHousehold(w, A.id)).next_review_date, '2027-03-16', 'a last visit due as the watch ends');
		await w.setClock('2026-09-17T09:00:00Z');
		assertStatus(await visit(w, C.id, '2026-09-17'), 201);
		assert.equal((await getHousehold(w, C.id)).next_review_date, null, 'past the watch: none (RULE watch.visit)');
		// B's visit of 2026-10-01 is never made
		await w.setClock('2027-03-20T09:00:00Z');
		const a = await until('A cleared', async () => { const h = await getHousehold(w, A.id); return h.next_review_date === null && h; });
		assert.equal(a.status, 'exited');
		assert.equal(a.monitor_until, '2027-03-16', 'the end of the watch stays');
		assert.equal((await getHousehold(w, B.id)).next_review_date, '2026-10-01', 'B is watched until 2027-04-01');
		const due = await listAll(w.s, '/households?review_due=true&status=exited', w.staff.token);
		assert.deepEqual(ids(due.items).filter((id) => [A.id, B.id, C.id].includes(id)), [B.id]);
		const got = (await get(w, w.admin, '/audit?action=watch_end')).json.items;
		assert.deepEqual(got.map((e) => e.entity_id), [A.id], 'one entry, for A alone');
		assert.equal(got[0].entity, 'household');
		assert.match(got[0].summary, /2027年3月16日/);
		// B's watch ends on 2027-04-01 with its visit still pending
		await w.setClock('2027-04-02T09:00:00Z');
		await until('B cleared', async () => (await getHousehold(w, B.id)).next_review_date === null);
		assert.deepEqual((await listAll(w.s, '/households?review_due=true&status=exited', w.staff.token)).items, []);
		assert.equal((await get(w, w.admin, '/audit?action=watch_end')).json.items.length, 2);
		auditVerify(s);
		const c = s.cli(['check']);
		assert.equal(c.code, 0, c.stdout); // the kept review counts (migration 031) moved with it
	});
});
