// The five-step archiving workflow (申请、审核、公示、审批、录入) end to end,
// with the clock across a holiday; notice periods; archive numbers;
// rejection, separation of duties, objections during the notice.
// (Reviews, the exit suggestion and exit: households-dynamic.test.mjs.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withServer, assertError, assertFieldError, assertStatus, listAll, regionCode, uniq, PASSWORD, limit } from './lib.mjs';
import { people, hhBody, world, createHh, act, getHh, walk, addDays } from './idgen.mjs';

const T = { timeout: limit(60000) };

const tr = (w, id, who, body) => w.s.api('POST', `/households/${id}/transitions`, { token: who.token, body });
const events = async (w, id) => {
	const r = await w.s.api('GET', `/households/${id}/events`, { token: w.admin.token });
	assertStatus(r, 200, 'events');
	assert.ok(Array.isArray(r.json.items));
	return r.json.items;
};
const auditOf = async (w, id) => (await listAll(w.s, `/audit?entity=household&entity_id=${id}`, w.admin.token)).items;
const visit = async (w, id, who, kind = 'verification') => {
	const r = await w.s.api('POST', `/households/${id}/visits`, { token: who.token, body: { date: w.today(), kind, visitor: '王核查', notes: '入户' } });
	assertStatus(r, 201, `visit ${kind}`);
	return r.json;
};
const auditVerify = (s) => {
	const r = s.cli(['audit', 'verify']);
	assert.equal(r.code, 0, `bangfu audit verify: ${r.stdout}\n${r.stderr}`);
};
const ids = (l) => l.items.map((x) => x.id).sort((a, b) => a - b);

test('five steps: submit → verify → publish (notice across a holiday) → approve after the notice → enter', T, async () => {
	await withServer({ clock: '2026-03-02T09:00:00Z' }, async (s) => {
		const w = await world(s);
		const p = people('walk');
		// Wednesday 4 March is a holiday
		assertStatus(await s.api('PUT', '/calendar/2026-03-04', { token: w.admin.token, body: { workday: false, note: '测试假日' } }), 200, 'holiday');
		const h = await createHh(w, hhBody(w.s1.id, p));
		assert.equal(h.status, 'draft');

		// nothing but submit from a draft
		for (const [who, action] of [['reviewer1', 'verify'], ['staff1', 'publish'], ['approver', 'approve'], ['staff1', 'enter'], ['staff1', 'review'], ['approver', 'exit']]) {
			const body = { action, category: 'dibao', comment: 'x', exit_reason: 'x' };
			assertError(await tr(w, h.id, w[who], body), 409, 'invalid_transition', `${action} from draft`);
		}
		assertError(await tr(w, h.id, w.reviewer1, { action: 'reject', comment: '退回' }), 409, 'invalid_transition', 'reject from draft');
		assertError(await tr(w, h.id, w.staff1, { action: 'fly' }), 409, 'invalid_transition', 'unknown action');
		assertError(await tr(w, h.id, w.staff1, { action: 'SUBMIT' }), 409, 'invalid_transition', 'actions are lower case');
		for (const who of ['reviewer1', 'approver', 'viewer1'])
			assertError(await tr(w, h.id, w[who], { action: 'submit' }), 403, 'forbidden', `${who} submits`);
		assert.equal((await getHh(w, h.id)).status, 'draft');

		// 1 submit (申请)
		const sub = await act(w, h.id, w.staff1, { action: 'submit', comment: '职工本人申请' });
		assert.equal(sub.status, 'submitted');
		assert.equal(sub.version, h.version + 1, 'a transition bumps the version');
		assertError(await tr(w, h.id, w.staff1, { action: 'submit' }), 409, 'invalid_transition', 'submit twice');

		// 2 verify (审核): needs a verification visit and a category
		assertFieldError(await tr(w, h.id, w.reviewer1, { action: 'verify', category: 'dibao' }), 'visits', { what: 'verify without a visit' });
		await visit(w, h.id, w.staff1, 'condolence');
		assertFieldError(await tr(w, h.id, w.reviewer1, { action: 'verify', category: 'dibao' }), 'visits', { what: 'a condolence visit is not a verification' });
		await visit(w, h.id, w.staff1, 'verification');
		assertFieldError(await tr(w, h.id, w.reviewer1, { action: 'verify' }), 'category', { what: 'verify without category' });
		assertFieldError(await tr(w, h.id, w.reviewer1, { action: 'verify', category: 'poor' }), 'category', { what: 'verify with an unknown category' });
		for (const who of ['staff1', 'approver', 'admin'])
			assertError(await tr(w, h.id, w[who], { action: 'verify', category: 'dibao' }), 403, 'forbidden', `${who} verifies`);
		assert.equal((await getHh(w, h.id)).status, 'submitted');
		const ver = await act(w, h.id, w.reviewer1, { action: 'verify', category: 'marginal', comment: '核查属实' });
		assert.equal(ver.status, 'verified');
		assert.equal(ver.category, 'marginal', 'the confirmed category (the reviewer may differ from the suggestion)');
		assert.equal(ver.suggested_category, 'dibao');
		const patchIn = async (state) => {
			const g = await getHh(w, h.id);
			assert.equal(g.status, state);
			assertError(await s.api('PATCH', `/households/${h.id}`, { token: w.staff1.token, body: { version: g.version, notes: state } }), 409, 'invalid_transition', `patch while ${state}`);
		};
		await patchIn('verified');

		// 3 publish (公示): 5 working days after Monday 2 March, skipping Wed 4 March
		for (const who of ['approver', 'viewer1'])
			assertError(await tr(w, h.id, w[who], { action: 'publish' }), 403, 'forbidden', `${who} publishes`);
		const pub = await act(w, h.id, w.staff1, { action: 'publish' });
		assert.equal(pub.status, 'in_notice');
		assert.equal(pub.notice_end, '2026-03-10', '3,5,6,9,10 March');
		assertError(await tr(w, h.id, w.staff1, { action: 'publish' }), 409, 'invalid_transition', 'publish twice');
		await patchIn('in_notice');

		// 4 approve (审批): not during the notice, only by an approver
		assertError(await tr(w, h.id, w.approver, { action: 'approve' }), 409, 'notice_period', 'approve on the day of publishing');
		await w.setClock('2026-03-10T15:30:00Z'); // 23:30 in Beijing
		assertError(await tr(w, h.id, w.approver, { action: 'approve' }), 409, 'notice_period', 'approve on the last day of the notice');
		await w.setClock('2026-03-11T08:00:00Z');
		for (const who of ['staff1', 'reviewer1', 'admin'])
			assertError(await tr(w, h.id, w[who], { action: 'approve' }), 403, 'forbidden', `${who} approves`);
		// an approver of the sibling street does not see it
		const a2 = await s.createUser({ org_id: w.s2.id, role: 'approver' });
		const a2tok = s.cli(['token', 'create', '--user', a2.username]).stdout.trim();
		assertError(await tr(w, h.id, { token: a2tok }, { action: 'approve' }), 404, 'not_found', 'approver of S2');
		const apr = await act(w, h.id, w.approver, { action: 'approve', comment: '同意' });
		assert.equal(apr.status, 'approved');
		assert.equal(apr.archive_no, null, 'no archive number before entering');
		assertError(await tr(w, h.id, w.approver, { action: 'approve' }), 409, 'invalid_transition', 'approve twice');
		await patchIn('approved');

		// 5 enter (录入)
		for (const who of ['approver', 'reviewer1'])
			assertError(await tr(w, h.id, w[who], { action: 'enter' }), 403, 'forbidden', `${who} enters`);
		const ent = await act(w, h.id, w.staff1, { action: 'enter' });
		assert.equal(ent.status, 'active');
		assert.equal(ent.archive_no, `${w.s1.region_code}202600001`);
		assert.equal(ent.next_review_date, '2026-09-11', '6 months on');
		assert.equal(ent.category, 'marginal');
		assertError(await tr(w, h.id, w.staff1, { action: 'enter' }), 409, 'invalid_transition', 'enter twice');

		// every step kept: who, when, from, to, why
		const ev = (await events(w, h.id)).filter((e) => e.action !== 'create');
		assert.deepEqual(ev.map((e) => [e.action, e.from, e.to]), [
			['submit', 'draft', 'submitted'], ['verify', 'submitted', 'verified'], ['publish', 'verified', 'in_notice'],
			['approve', 'in_notice', 'approved'], ['enter', 'approved', 'active']]);
		assert.deepEqual(ev.map((e) => e.user_id), [w.staff1.user.id, w.reviewer1.user.id, w.staff1.user.id, w.approver.user.id, w.staff1.user.id]);
		assert.deepEqual(ev.map((e) => e.at), ['2026-03-02T09:00:00Z', '2026-03-02T09:00:00Z', '2026-03-02T09:00:00Z', '2026-03-11T08:00:00Z', '2026-03-11T08:00:00Z']);
		assert.equal(ev[0].comment, '职工本人申请');
		assert.equal(ev[1].comment, '核查属实');
		assert.equal(ev[3].comment, '同意');
		for (const e of ev)
			for (const k of ['at', 'user_id', 'action', 'from', 'to', 'comment'])
				assert.ok(Object.hasOwn(e, k), `event lacks ${k}: ${JSON.stringify(e)}`);
		// and audited
		const au = await auditOf(w, h.id);
		for (const [action, uid] of [['submit', w.staff1], ['verify', w.reviewer1], ['publish', w.staff1], ['approve', w.approver], ['enter', w.staff1]]) {
			const e = au.find((x) => x.action === action);
			assert.ok(e, `audit has ${action}: ${JSON.stringify(au.map((x) => x.action))}`);
			assert.equal(e.user_id, uid.user.id, `${action} audited with its user`);
			assert.equal(e.entity, 'household');
		}
		// an active archive is editable
		const u = await s.api('PATCH', `/households/${h.id}`, { token: w.staff1.token, body: { version: ent.version, notes: '在档修改' } });
		assertStatus(u, 200, 'patch an active archive');
		assert.equal(u.json.version, ent.version + 1);
		assert.equal(u.json.status, 'active');
		// q finds it by its archive number
		const q = await s.api('GET', `/households?q=${ent.archive_no}`, { token: w.staff1.token });
		assert.deepEqual(q.json.items.map((x) => x.id), [h.id]);
		assert.equal(q.json.items[0].archive_no, ent.archive_no);
		auditVerify(s);
	});
});

test('notice_workdays, make-up working days; publish by a reviewer and an admin', T, async () => {
	await withServer({ clock: '2026-03-02T09:00:00Z' }, async (s) => {
		const w = await world(s);
		const p = people('notice');
		// Saturday 7 March is a make-up working day; Thursday 5 March a holiday
		assertStatus(await s.api('PUT', '/calendar/2026-03-07', { token: w.admin.token, body: { workday: true, note: '调休上班' } }), 200);
		assertStatus(await s.api('PUT', '/calendar/2026-03-05', { token: w.admin.token, body: { workday: false, note: '假日' } }), 200);
		const hs = [];
		for (let i = 0; i < 4; i++)
			hs.push(await createHh(w, hhBody(w.s1.id, p)));
		await walk(w, hs.map((h) => h.id), 'verified');
		const a = await act(w, hs[0].id, w.staff1, { action: 'publish' });
		assert.equal(a.notice_end, '2026-03-09', '3,4,6,7,9 March');
		const b = await act(w, hs[1].id, w.reviewer1, { action: 'publish', notice_workdays: 3 });
		assert.equal(b.notice_end, '2026-03-06', '3,4,6 March');
		const c = await act(w, hs[2].id, w.admin, { action: 'publish', notice_workdays: 1 });
		assert.equal(c.notice_end, '2026-03-03');
		for (const bad of [0, -1, 31])
			assertFieldError(await tr(w, hs[3].id, w.staff1, { action: 'publish', notice_workdays: bad }), 'notice_workdays', { what: `notice_workdays ${bad}` });
		assertError(await tr(w, hs[3].id, w.staff1, { action: 'publish', notice_workdays: '5' }), 400, 'bad_request', 'notice_workdays as a string');
		assert.equal((await getHh(w, hs[3].id)).status, 'verified');
		const pubEv = (await events(w, hs[1].id)).find((e) => e.action === 'publish');
		assert.equal(pubEv.user_id, w.reviewer1.user.id);
		// approve the day after each notice end, not before
		await w.setClock('2026-03-04T09:00:00Z');
		await act(w, hs[2].id, w.approver, { action: 'approve' });
		assertError(await tr(w, hs[1].id, w.approver, { action: 'approve' }), 409, 'notice_period');
		await w.setClock('2026-03-07T09:00:00Z');
		await act(w, hs[1].id, w.approver, { action: 'approve' });
		assertError(await tr(w, hs[0].id, w.approver, { action: 'approve' }), 409, 'notice_period', 'a make-up Saturday is in the notice');
		await w.setClock('2026-03-10T00:00:00Z');
		await act(w, hs[0].id, w.approver, { action: 'approve' });
		auditVerify(s);
	});
});

test('archive numbers: region code of the unit + year + 5-digit sequence, consecutive per region and year', T, async () => {
	await withServer({ clock: '2026-03-02T09:00:00Z' }, async (s) => {
		const w = await world(s, { years: [2026, 2027] });
		const p = people('numbers');
		const g = await s.createOrg({ parent_id: w.s1.id, level: 'grassroots', name: uniq('基层工会'), region_code: regionCode() });
		const a = [];
		for (let i = 0; i < 4; i++)
			a.push(await createHh(w, hhBody(w.s1.id, p)));
		const inS2 = await createHh(w, hhBody(w.s2.id, p), w.staff2);
		const inG = await createHh(w, hhBody(g.id, p), w.staff1);
		await walk(w, [...a.map((h) => h.id), inG.id], 'approved');
		await walk(w, [inS2.id], 'approved', { by: { staff: 'staff2', reviewer: 'reviewer2' } });
		const e0 = await act(w, a[0].id, w.staff1, { action: 'enter' });
		const e1 = await act(w, a[1].id, w.staff1, { action: 'enter' });
		const eS2 = await act(w, inS2.id, w.staff2, { action: 'enter' });
		const eG = await act(w, inG.id, w.staff1, { action: 'enter' });
		assert.equal(e0.archive_no, `${w.s1.region_code}202600001`);
		assert.equal(e1.archive_no, `${w.s1.region_code}202600002`);
		assert.equal(eS2.archive_no, `${w.s2.region_code}202600001`, 'another region starts at 1');
		assert.equal(eG.archive_no, `${g.region_code}202600001`, 'the household\'s own unit gives the region code');
		// two at once: distinct, consecutive
		const both = await Promise.all([2, 3].map((i) => tr(w, a[i].id, w.staff1, { action: 'enter' })));
		for (const r of both)
			assertStatus(r, 200, 'concurrent enter');
		assert.deepEqual(both.map((r) => r.json.archive_no).sort(), [`${w.s1.region_code}202600003`, `${w.s1.region_code}202600004`]);
		// the same household entered twice at once: once only, and no number is lost
		const extra = await createHh(w, hhBody(w.s1.id, p));
		const extra2 = await createHh(w, hhBody(w.s1.id, p));
		await walk(w, [extra.id, extra2.id], 'approved');
		const twice = await Promise.all([0, 1].map(() => tr(w, extra.id, w.staff1, { action: 'enter' })));
		assert.deepEqual(twice.map((r) => r.status).sort(), [200, 409], twice.map((r) => r.text.slice(0, 150)).join(' / '));
		const won = twice.find((r) => r.status === 200).json;
		// the loser of the race: invalid_transition (it came second) or
		// conflict (caught mid-step); both are 409
		const loser = twice.find((r) => r.status === 409);
		assertError(loser, 409, loser.json?.error?.code === 'conflict' ? 'conflict' : 'invalid_transition', 'the second enter');
		assert.equal(won.archive_no, `${w.s1.region_code}202600005`);
		assert.equal((await act(w, extra2.id, w.staff1, { action: 'enter' })).archive_no, `${w.s1.region_code}202600006`, 'no gap after a refused enter');
		assert.equal((await events(w, extra.id)).filter((e) => e.action === 'enter').length, 1, 'one enter event');
		for (const r of [e0, e1, eS2, eG, ...both.map((x) => x.json)])
			assert.match(r.archive_no, /^\d{6}\d{4}\d{5}$/);
		// the q filter by archive-number prefix
		const l = await listAll(s, `/households?q=${w.s1.region_code}2026`, w.admin.token);
		assert.deepEqual(ids(l), [...a, extra, extra2].map((h) => h.id).sort((x, y) => x - y));
		// a new year starts again at 1
		await w.setClock('2026-12-28T09:00:00Z');
		const ny = await createHh(w, hhBody(w.s1.id, p));
		const [done] = await walk(w, [ny.id], 'active');
		assert.ok(w.today() >= '2027-01-01', `entered in 2027 (${w.today()})`);
		assert.equal(done.archive_no, `${w.s1.region_code}202700001`);
		assert.equal(done.next_review_date, addDays(w.today(), 0).replace(/^2027-01/, '2027-07'));
		auditVerify(s);
	});
});

test('reject: comment required, reasons kept, editable and resubmittable; from submitted, verified and in_notice', T, async () => {
	await withServer({ clock: '2026-03-02T09:00:00Z' }, async (s) => {
		const w = await world(s);
		const p = people('reject');
		const h = await createHh(w, hhBody(w.s1.id, p));
		// submitted twice at once: one step only
		const twice = await Promise.all([w.staff1, w.admin].map((u) => tr(w, h.id, u, { action: 'submit' })));
		assert.deepEqual(twice.map((r) => r.status).sort(), [200, 409], twice.map((r) => r.text.slice(0, 150)).join(' / '));
		const lost = twice.find((r) => r.status === 409);
		assertError(lost, 409, lost.json?.error?.code === 'conflict' ? 'conflict' : 'invalid_transition', 'the second submit');
		assert.equal((await events(w, h.id)).filter((e) => e.action === 'submit').length, 1, 'one submit event');
		assertFieldError(await tr(w, h.id, w.reviewer1, { action: 'reject' }), 'comment', { what: 'reject without comment' });
		for (const who of ['staff1', 'viewer1', 'admin'])
			assertError(await tr(w, h.id, w[who], { action: 'reject', comment: '不行' }), 403, 'forbidden', `${who} rejects`);
		assert.equal((await getHh(w, h.id)).status, 'submitted');
		const r1 = await act(w, h.id, w.reviewer1, { action: 'reject', comment: '收入证明缺失' });
		assert.equal(r1.status, 'rejected');
		assertError(await tr(w, h.id, w.reviewer1, { action: 'reject', comment: '再退' }), 409, 'invalid_transition', 'reject a rejected one');
		assertError(await tr(w, h.id, w.reviewer1, { action: 'verify', category: 'dibao' }), 409, 'invalid_transition', 'verify a rejected one');
		const u = await s.api('PATCH', `/households/${h.id}`, { token: w.staff1.token, body: { version: r1.version, monthly_income_fen: 120000 } });
		assertStatus(u, 200, 'edit after rejection');
		// resubmit, verify, and the approver rejects from verified
		await act(w, h.id, w.staff1, { action: 'submit' });
		await visit(w, h.id, w.staff1);
		await act(w, h.id, w.reviewer1, { action: 'verify', category: 'dibao' });
		const r2 = await act(w, h.id, w.approver, { action: 'reject', comment: '类别有误' });
		assert.equal(r2.status, 'rejected');
		// and once more from the notice
		await act(w, h.id, w.admin, { action: 'submit' });
		await act(w, h.id, w.reviewer1, { action: 'verify', category: 'dibao' });
		await act(w, h.id, w.staff1, { action: 'publish' });
		const r3 = await act(w, h.id, w.reviewer1, { action: 'reject', comment: '公示中发现问题' });
		assert.equal(r3.status, 'rejected');
		const ev = (await events(w, h.id)).filter((e) => e.action === 'reject');
		assert.deepEqual(ev.map((e) => [e.from, e.to, e.comment, e.user_id]), [
			['submitted', 'rejected', '收入证明缺失', w.reviewer1.user.id],
			['verified', 'rejected', '类别有误', w.approver.user.id],
			['in_notice', 'rejected', '公示中发现问题', w.reviewer1.user.id]]);
		const au = await auditOf(w, h.id);
		assert.equal(au.filter((e) => e.action === 'reject').length, 3);
		assert.ok(au.some((e) => e.action === 'update'), 'the edit is audited');
		// an empty comment is no comment
		const h2 = await createHh(w, hhBody(w.s1.id, p));
		await act(w, h2.id, w.staff1, { action: 'submit' });
		assertFieldError(await tr(w, h2.id, w.reviewer1, { action: 'reject', comment: '' }), 'comment', { what: 'reject with an empty comment' });
		auditVerify(s);
	});
});

test('separation of duties: the submitter, made an approver, may not approve (403 separation_of_duties)', T, async () => {
	await withServer({ clock: '2026-03-02T09:00:00Z' }, async (s) => {
		const w = await world(s);
		const p = people('sod');
		const x = await s.createUser({ org_id: w.s1.id, role: 'staff', name: '经办转审批' });
		let xs = await s.login(x.username, PASSWORD);
		const h = await createHh(w, hhBody(w.s1.id, p), xs);
		const sub = await act(w, h.id, xs, { action: 'submit' });
		assert.equal(sub.submitted_by ?? x.id, x.id);
		await visit(w, h.id, w.staff1);
		await act(w, h.id, w.reviewer1, { action: 'verify', category: 'dibao' });
		const pub = await act(w, h.id, w.staff1, { action: 'publish' });
		await w.setClock(addDays(pub.notice_end, 1) + 'T09:00:00Z');
		const pr = await s.api('PATCH', `/users/${x.id}`, { token: w.admin.token, body: { role: 'approver' } });
		assertStatus(pr, 200, 'make the submitter an approver');
		xs = await s.login(x.username, PASSWORD);
		assert.equal(xs.user.role, 'approver');
		assertError(await tr(w, h.id, xs, { action: 'approve' }), 403, 'separation_of_duties', 'the submitter approves');
		const g = await getHh(w, h.id);
		assert.equal(g.status, 'in_notice', 'nothing changed');
		assert.equal(g.version, pub.version);
		assert.ok(!(await events(w, h.id)).some((e) => e.action === 'approve'));
		const ok = await act(w, h.id, w.approver, { action: 'approve' });
		assert.equal(ok.status, 'approved');
		// the approver may still approve what somebody else submitted
		const h2 = await createHh(w, hhBody(w.s1.id, p));
		await walk(w, [h2.id], 'in_notice');
		const e2 = (await getHh(w, h2.id)).notice_end;
		await w.setClock(addDays(e2, 1) + 'T09:00:00Z');
		xs = await s.login(x.username, PASSWORD);
		assert.equal((await act(w, h2.id, xs, { action: 'approve' })).status, 'approved');
		auditVerify(s);
	});
});

test('objections during the notice: recorded by staff, resolved by reviewer/approver; open ones block approve; upheld → rejected', T, async () => {
	await withServer({ clock: '2026-03-02T09:00:00Z' }, async (s) => {
		const w = await world(s);
		const p = people('objection');
		const h1 = await createHh(w, hhBody(w.s1.id, p));
		const h2 = await createHh(w, hhBody(w.s1.id, p));
		await walk(w, [h1.id, h2.id], 'verified');
		const obj = (id, who, text = '群众反映该户有车辆') => s.api('POST', `/households/${id}/objections`, { token: who.token, body: { text } });
		const resolve = (id, oid, who, body) => s.api('POST', `/households/${id}/objections/${oid}/resolve`, { token: who.token, body });
		assertError(await obj(h1.id, w.staff1), 409, 'invalid_transition', 'objection before the notice');
		const pub1 = await act(w, h1.id, w.staff1, { action: 'publish' });
		await act(w, h2.id, w.staff1, { action: 'publish' });
		for (const who of ['reviewer1', 'approver', 'viewer1'])
			assertError(await obj(h1.id, w[who]), 403, 'forbidden', `${who} records an objection`);
		assertError(await obj(h1.id, w.staff2), 404, 'not_found', 'a sibling street');
		assertFieldError(await obj(h1.id, w.staff1, ''), 'text', { what: 'empty text' });
		const o1 = await obj(h1.id, w.staff1);
		assertStatus(o1, 201, 'objection');
		assert.equal(typeof o1.json.id, 'number');
		assert.equal(o1.json.status, 'open');
		const lo = await s.api('GET', `/households/${h1.id}/objections`, { token: w.viewer1.token });
		assertStatus(lo, 200);
		assert.deepEqual(lo.json.items.map((o) => [o.id, o.status]), [[o1.json.id, 'open']]);
		// after the notice: the open objection blocks
		await w.setClock(addDays(pub1.notice_end, 1) + 'T09:00:00Z');
		assertError(await tr(w, h1.id, w.approver, { action: 'approve' }), 409, 'open_objection', 'approve with an open objection');
		for (const who of ['staff1', 'viewer1', 'admin'])
			assertError(await resolve(h1.id, o1.json.id, w[who], { upheld: false, comment: '不成立' }), 403, 'forbidden', `${who} resolves`);
		assertError(await resolve(h2.id, o1.json.id, w.reviewer1, { upheld: false, comment: '不成立' }), 404, 'not_found', 'objection of another household');
		assertError(await resolve(h1.id, 987654, w.reviewer1, { upheld: false, comment: 'x' }), 404, 'not_found', 'no such objection');
		assertError(await resolve(h1.id, o1.json.id, w.reviewer1, { upheld: 'no', comment: 'x' }), 400, 'bad_request', 'upheld not a bool');
		const d = await resolve(h1.id, o1.json.id, w.reviewer1, { upheld: false, comment: '经核实车辆已报废，异议不成立' });
		assertStatus(d, 200, 'dismiss');
		assert.notEqual(d.json.status, 'open');
		const lo2 = await s.api('GET', `/households/${h1.id}/objections`, { token: w.viewer1.token });
		assert.notEqual(lo2.json.items[0].status, 'open');
		assert.equal((await getHh(w, h1.id)).status, 'in_notice', 'a dismissed objection leaves the household in the notice');
		assert.equal((await act(w, h1.id, w.approver, { action: 'approve' })).status, 'approved');
		// h2: two objections; one dismissed still leaves one open; upheld → rejected
		const a = await obj(h2.id, w.staff1, '异议一');
		const b = await obj(h2.id, w.admin, '异议二');
		assertStatus(a, 201);
		assertStatus(b, 201);
		assertStatus(await resolve(h2.id, a.json.id, w.approver, { upheld: false, comment: '不成立' }), 200);
		assertError(await tr(w, h2.id, w.approver, { action: 'approve' }), 409, 'open_objection', 'one still open');
		const up = await resolve(h2.id, b.json.id, w.approver, { upheld: true, comment: '异议成立，收入超标' });
		assertStatus(up, 200, 'uphold');
		const g2 = await getHh(w, h2.id);
		assert.equal(g2.status, 'rejected', 'an upheld objection rejects the household');
		const rej = (await events(w, h2.id)).filter((e) => e.to === 'rejected');
		assert.equal(rej.length, 1, 'the rejection is an event');
		assert.equal(rej[0].from, 'in_notice');
		assertError(await obj(h2.id, w.staff1), 409, 'invalid_transition', 'objection on a rejected household');
		assertError(await tr(w, h2.id, w.approver, { action: 'approve' }), 409, 'invalid_transition');
		const au = (await listAll(s, '/audit?entity=objection', w.admin.token)).items;
		assert.ok(au.filter((e) => e.action === 'create').length >= 3, 'objections audited');
		assert.ok(au.filter((e) => e.action === 'resolve').length >= 3, 'resolutions audited');
		auditVerify(s);
	});
});
