// Dynamic management (动态管理) of active archives: reviews every 6 months,
// the exit suggestion, exit (解困脱困) and archiving the same person again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withServer, assertError, assertFieldError, assertStatus, listAll, limit } from './lib.mjs';
import { people, hhBody, world, createHh, act, getHh, walk, addDays, badCheck, maskId } from './idgen.mjs';

const T = { timeout: limit(60000) };

const tr = (w, id, who, body) => w.s.api('POST', `/households/${id}/transitions`, { token: who.token, body });
const events = async (w, id) => {
	const r = await w.s.api('GET', `/households/${id}/events`, { token: w.admin.token });
	assertStatus(r, 200, 'events');
	assert.ok(Array.isArray(r.json.items));
	return r.json.items;
};
const auditOf = async (w, id) => (await listAll(w.s, `/audit?entity=household&entity_id=${id}`, w.admin.token)).items;
const parseData = (d) => (typeof d === 'string' ? JSON.parse(d) : d);
const auditVerify = (s) => {
	const r = s.cli(['audit', 'verify']);
	assert.equal(r.code, 0, `bangfu audit verify: ${r.stdout}\n${r.stderr}`);
};
const ids = (l) => l.items.map((x) => x.id).sort((a, b) => a - b);

test('review every 6 months: recomputes the category, keeps the old values; exit suggestion after two reviews 6 months apart', T, async () => {
	await withServer({ clock: '2026-03-02T09:00:00Z' }, async (s) => {
		const w = await world(s, { years: [2026, 2027] });
		const p = people('review');
		const mk = async () => createHh(w, hhBody(w.s1.id, p, { causes: ['low_income'], monthly_income_fen: 150000 }));
		const h = await mk(); // above, above 6 months later → suggested
		const hc = await mk(); // above, below, above → not suggested
		const hb = await mk(); // exactly on the marginal line → not above
		const hd = await mk(); // never reviewed: review_due
		const hm = await mk(); // members change
		const draft = await mk();
		const all = [h, hc, hb, hd, hm];
		const walked = await walk(w, all.map((x) => x.id), 'active');
		const entered = w.today();
		assert.equal(walked[0].per_capita_income_fen, 75000);
		const nextReview = walked[0].next_review_date;
		assert.equal(nextReview, entered.replace('2026-03', '2026-09'));
		const review = (x, who, body) => tr(w, x.id, who, { action: 'review', ...body });
		for (const who of ['approver', 'viewer1'])
			assertError(await review(h, w[who], { monthly_income_fen: 300000 }), 403, 'forbidden', `${who} reviews`);
		assertError(await review(draft, w.staff1, { monthly_income_fen: 300000 }), 409, 'invalid_transition', 'review a draft');
		assertFieldError(await review(h, w.staff1, { monthly_income_fen: -1 }), 'monthly_income_fen', { what: 'negative income at review' });

		// first review: above the marginal line (139500)
		const r1 = await act(w, h.id, w.staff1, { action: 'review', monthly_income_fen: 300000, comment: '再就业' });
		assert.equal(r1.status, 'active');
		assert.equal(r1.per_capita_income_fen, 150000);
		assert.equal(r1.category, 'none', 'recomputed');
		assert.equal(r1.suggested_category, 'none');
		assert.equal(r1.version, walked[0].version + 1);
		assert.equal(r1.exit_suggested, false);
		const rev = (await events(w, h.id)).filter((e) => e.action === 'review');
		assert.equal(rev.length, 1);
		assert.equal(rev[0].from, 'active');
		assert.equal(rev[0].to, 'active');
		assert.equal(rev[0].comment, '再就业');
		assert.equal(rev[0].user_id, w.staff1.user.id);
		const old = parseData(rev[0].data);
		assert.equal(old.per_capita_income_fen, 75000, 'the event keeps the old per-capita income');
		assert.equal(old.category, 'dibao', 'the event keeps the old category');
		assert.equal(old.monthly_income_fen, 150000);
		await act(w, hc.id, w.reviewer1, { action: 'review', monthly_income_fen: 300000 });
		await act(w, hb.id, w.staff1, { action: 'review', monthly_income_fen: 279000 });
		assert.equal((await getHh(w, hb.id)).per_capita_income_fen, 139500);
		assert.equal((await getHh(w, hb.id)).category, 'marginal');
		// members change at review
		const r2 = await act(w, hm.id, w.staff1, { action: 'review', monthly_income_fen: 150000, members: [
			{ name: hm.members[0].name, id_number: hm.members[0].id_number, relation: 'spouse', monthly_income_fen: 30000 },
			{ name: '张小', id_number: p.male('20200202'), relation: 'child', monthly_income_fen: 0, school_stage: 'preschool' }] });
		assert.equal(r2.household_size, 3);
		assert.equal(r2.per_capita_income_fen, 60000);
		assert.equal(r2.category, 'dibao');
		assertFieldError(await review(hm, w.staff1, { members: [{ name: '某', id_number: badCheck(p.male('20200303')), relation: 'child' }] }), 'members[0].id_number', { what: 'bad member ID at review' });
		assertError(await review(hm, w.staff1, { members: [{ name: '某', id_number: h.id_number, relation: 'other' }] }), 409, 'duplicate_id_number', 'a member held elsewhere at review');
		assert.equal((await getHh(w, hm.id)).household_size, 3, 'a refused review changes nothing');
		let sug = await listAll(s, '/households?exit_suggested=true', w.staff1.token);
		assert.deepEqual(sug.items, [], 'one review above the line does not suggest an exit');

		// 3 months on: still above for h, below for hc
		await w.setClock(addDays(entered, 92) + 'T09:00:00Z');
		await act(w, h.id, w.staff1, { action: 'review', monthly_income_fen: 300000 });
		await act(w, hc.id, w.staff1, { action: 'review', monthly_income_fen: 100000 });
		sug = await listAll(s, '/households?exit_suggested=true', w.staff1.token);
		assert.deepEqual(sug.items, [], 'three months are not six');

		// review_due: hd's next review date is reached
		await w.setClock(addDays(nextReview, -1) + 'T09:00:00Z');
		let due = await listAll(s, '/households?review_due=true', w.staff1.token);
		assert.ok(!due.items.some((x) => x.id === hd.id), 'not due the day before');
		await w.setClock(nextReview + 'T09:00:00Z');
		due = await listAll(s, '/households?review_due=true', w.staff1.token);
		assert.ok(due.items.some((x) => x.id === hd.id), `due on ${nextReview}: ${JSON.stringify(due.items.map((x) => [x.id, x.next_review_date]))}`);
		assert.ok(due.items.every((x) => x.status === 'active' && x.next_review_date <= nextReview));
		assert.ok(!due.items.some((x) => x.id === draft.id));
		const rd = await act(w, hd.id, w.reviewer1, { action: 'review' });
		assert.equal(rd.next_review_date, nextReview.replace('2026-09', '2027-03'));
		due = await listAll(s, '/households?review_due=true', w.staff1.token);
		assert.ok(!due.items.some((x) => x.id === hd.id), 'reviewed: no longer due');

		// six months after the first review: h above again → suggested; hc and hb not
		await act(w, h.id, w.staff1, { action: 'review', monthly_income_fen: 300000 });
		await act(w, hc.id, w.staff1, { action: 'review', monthly_income_fen: 300000 });
		await act(w, hb.id, w.staff1, { action: 'review', monthly_income_fen: 279000 });
		sug = await listAll(s, '/households?exit_suggested=true', w.staff1.token);
		assert.deepEqual(sug.items.map((x) => x.id), [h.id], 'h only');
		const gh = await getHh(w, h.id);
		assert.equal(gh.status, 'active', 'an exit is suggested, never automatic');
		assert.equal(gh.exit_suggested, true);
		const sugD = await listAll(s, '/households?exit_suggested=true', w.staffD.token);
		assert.deepEqual(ids(sugD), [h.id], 'the district sees the suggestion');
		const sugS2 = await listAll(s, '/households?exit_suggested=true', w.staff2.token);
		assert.deepEqual(sugS2.items, [], 'a sibling street does not');
		auditVerify(s);
	});
});

test('exit: approver with a reason; the person may then be archived again', T, async () => {
	await withServer({ clock: '2026-03-02T09:00:00Z' }, async (s) => {
		const w = await world(s);
		const p = people('exit');
		const h = await createHh(w, hhBody(w.s1.id, p));
		const [act1] = await walk(w, [h.id], 'active');
		for (const who of ['staff1', 'reviewer1', 'admin'])
			assertError(await tr(w, h.id, w[who], { action: 'exit', exit_reason: '脱困' }), 403, 'forbidden', `${who} exits`);
		assertFieldError(await tr(w, h.id, w.approver, { action: 'exit' }), 'exit_reason', { what: 'exit without a reason' });
		assert.equal((await getHh(w, h.id)).status, 'active');
		// while active the numbers are held
		assertError(await s.api('POST', '/households', { token: w.staff2.token, body: hhBody(w.s2.id, p, { id_number: h.id_number }) }), 409, 'duplicate_id_number', 'active holder');
		const ex = await act(w, h.id, w.approver, { action: 'exit', exit_reason: '家庭收入稳定，已解困' });
		assert.equal(ex.status, 'exited');
		assert.equal(ex.exit_reason, '家庭收入稳定，已解困');
		assert.equal(ex.archive_no, act1.archive_no, 'the archive number stays');
		const last = (await events(w, h.id)).pop();
		assert.deepEqual([last.action, last.from, last.to, last.user_id], ['exit', 'active', 'exited', w.approver.user.id]);
		assert.ok((await auditOf(w, h.id)).some((e) => e.action === 'exit'));
		// exited is final
		assertError(await s.api('PATCH', `/households/${h.id}`, { token: w.staff1.token, body: { version: ex.version, notes: 'x' } }), 409, 'invalid_transition', 'patch an exited archive');
		for (const [who, action] of [['staff1', 'review'], ['approver', 'exit'], ['staff1', 'submit'], ['staff1', 'enter']])
			assertError(await tr(w, h.id, w[who], { action, exit_reason: 'x' }), 409, 'invalid_transition', `${action} on exited`);
		const l = await listAll(s, '/households?status=exited', w.staff1.token);
		assert.deepEqual(ids(l), [h.id]);
		// the worker and the spouse may be archived again, anywhere
		const again = await createHh(w, hhBody(w.s2.id, p, { id_number: h.id_number, name: h.name }), w.staff2);
		assert.equal(again.status, 'draft');
		const spouse = await createHh(w, hhBody(w.s1.id, p, { id_number: h.members[0].id_number, name: h.members[0].name, members: [] }));
		assert.equal(spouse.status, 'draft');
		// and the new archives hold the numbers again
		assertError(await s.api('POST', '/households', { token: w.staff1.token, body: hhBody(w.s1.id, p, { id_number: h.id_number }) }), 409, 'duplicate_id_number', 'held again');
		const old = await getHh(w, h.id);
		assert.equal(old.status, 'exited', 'the old archive is kept');
		assert.equal(old.id_number, maskId(h.id_number));
		// an empty reason is no reason
		const h2 = await createHh(w, hhBody(w.s1.id, p));
		await walk(w, [h2.id], 'active');
		assertFieldError(await tr(w, h2.id, w.approver, { action: 'exit', exit_reason: '' }), 'exit_reason', { what: 'exit with an empty reason' });
		auditVerify(s);
	});
});
