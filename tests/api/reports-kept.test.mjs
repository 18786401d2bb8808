// The quarterly report from kept counts (migration 026, services/reports.c):
// an archive's status at the period's end is its status now unless it has
// an event after the end or was created after it; the report takes the
// kept counts and corrects them by those archives.  Here archives change
// after the end of 2026Q3 in every way (exited, reopened, reviewed into
// another category, a new archive, a draft submitted, one moved to the other
// street by SQL without an event) and the district's 2026Q3 figures are
// compared, for the total and both streets, with the slow full
// reconstruction computed here from the rows (the last event at or before
// the end, per archive).  The aid of the period comes from the kept
// monthly sums (aid_monthly, UTC months) corrected by the payments between
// the zone's bounds and the months': payments a few hours either side of
// the quarter's bounds are placed in the right quarter in Asia/Shanghai
// (east of UTC) and America/Los_Angeles (west, `bangfu report quarterly`),
// and so are the funds' flows (ledger_monthly, migration 026).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { withServer, assertStatus, limit, DB_KIND } from './lib.mjs';
import { START, aidWorld, makeHouseholds, hhAct, hhBody, openAccount, deposit, appTrOk } from './aid-world.mjs';

const T = { timeout: limit(240000) };
const STATUSES = ['draft', 'submitted', 'verified', 'in_notice', 'approved', 'active', 'rejected', 'exited'];
const CATEGORIES = ['dibao', 'marginal', 'accident', 'none'];
const CAUSES = ['illness_self', 'illness_family', 'disability_self', 'disability_family', 'education',
	'unemployment', 'low_income', 'single_parent', 'accident', 'disaster', 'work_injury', 'other'];
// 2026Q3 in Asia/Shanghai (UTC+8)
const Q3 = { from: '2026-07-01', to: '2026-09-30', fromTs: '2026-06-30T16:00:00Z', toTs: '2026-09-30T15:59:59Z' };
const APPROVED = "('approved', 'disbursed', 'receipted', 'closed')";

// The households figures of 2026Q3 for the unit at `path` and its subtree,
// rebuilt archive by archive from the rows: the status at the end is the
// to_status of the last event at or before it (none: the status now if
// created by the end).
function reference(s, orgPath) {
	const q = `SELECT h.id || '|' || h.status || '|' || COALESCE(h.category, h.suggested_category) || '|' || h.causes`
		+ ` || '|' || CASE WHEN h.created_at <= '${Q3.toTs}' THEN 1 ELSE 0 END`
		+ ` || '|' || COALESCE(h.review_before_exit, h.next_review_date, '')`
		+ ` || '|' || COALESCE(h.entered_on, '') || '|' || COALESCE(h.exited_on, '')`
		+ ` || '|' || COALESCE((SELECT e.to_status FROM household_events e WHERE e.household_id = h.id`
		+ ` AND e.to_status IS NOT NULL AND e.at <= '${Q3.toTs}' ORDER BY e.id DESC LIMIT 1), '')`
		+ ` || '|' || (SELECT COUNT(*) FROM applications a WHERE a.household_id = h.id AND a.program_code = 'condolence'`
		+ ` AND a.created_at >= '${Q3.fromTs}' AND a.created_at <= '${Q3.toTs}' AND EXISTS (SELECT 1 FROM application_events ae`
		+ ` WHERE ae.application_id = a.id AND ae.at <= '${Q3.toTs}' AND ae.to_status IN ${APPROVED}))`
		+ ` FROM households h JOIN orgs o ON o.id = h.org_id WHERE o.path LIKE '${orgPath}%'`;
	const zero = (keys) => Object.fromEntries(keys.map((k) => [k, 0]));
	const r = { by_status: zero(STATUSES), by_category: zero(CATEGORIES), by_cause: zero(CAUSES),
		new: 0, exited: 0, exited_ytd: 0, reviews: 0, covered: 0 };
	for (const line of s.sql(q).trim().split('\n').filter(Boolean)) {
		const [, now, cat, causes, byEnd, review, entered, exited, last, condolence] = line.split('|');
		const st = last || (byEnd === '1' ? now : null);
		if (st)
			r.by_status[st]++;
		if (st === 'active') {
			r.by_category[cat]++;
			for (const c of causes.split(',').filter(Boolean))
				r.by_cause[c]++;
			if (review && review < Q3.to)
				r.reviews++;
			if (Number(condolence) > 0)
				r.covered++;
		}
		if (entered >= Q3.from && entered <= Q3.to)
			r.new++;
		if (exited >= Q3.from && exited <= Q3.to)
			r.exited++;
		if (exited >= '2026-01-01' && exited <= Q3.to)
			r.exited_ytd++;
	}
	return r;
}

function figures(u) {
	const h = u.households;
	return { by_status: h.by_status, by_category: h.by_category, by_cause: h.by_cause, new: h.new, exited: h.exited,
		exited_ytd: h.exited_ytd, reviews: u.overdue.reviews, covered: u.condolence.covered };
}

async function report(w, period) {
	const r = await w.s.api('GET', `/reports/quarterly?org_id=${w.d.id}&period=${period}`, { token: w.admin.token });
	assertStatus(r, 200, `report ${period}`);
	return r.json;
}

function assertReference(s, w, rep, what) {
	assert.deepEqual(figures(rep.total), reference(s, w.d.path), `${what}: the district`);
	for (const st of [w.s1, w.s2]) {
		const u = rep.units.find((x) => x.org_id === st.id);
		assert.ok(u, `${what}: a row for street ${st.id}`);
		assert.deepEqual(figures(u), reference(s, st.path), `${what}: street ${st.id}`);
	}
}

const living = (rep) => rep.total.aid.by_program.living;

test('2026Q3 counted as it was at its end after archives changed in every way; payments near the bounds in the right quarter, east and west of UTC', T, async () => {
	await withServer({ clock: START }, async (s) => {
		const w = await aidWorld(s, { label: 'reports-kept' });
		for (const k of ['d', 's1', 's2'])
			w[k].path = s.sql(`SELECT path FROM orgs WHERE id = ${w[k].id}`).trim();
		const h = await makeHouseholds(w, [
			{ org: 's1', category: 'dibao' }, { org: 's1', category: 'dibao', body: { causes: ['illness_self', 'low_income'] } },
			{ org: 's1', category: 'marginal' }, { org: 's2', category: 'accident', body: hhBody(w, 's2', { causes: ['disaster'] }) },
			{ org: 's2', category: 'dibao', body: hhBody(w, 's2') }, { org: 's1', category: 'marginal' },
			{ org: 's1', upto: 'draft' }, { org: 's1', upto: 'verified' }]);
		const staffOf = (x) => (x.org_id === w.s1.id ? w.staff : w.staffD);
		const approverOf = (x) => (x.org_id === w.s1.id ? w.approverS : w.approverD);
		const exit = (x) => hhAct(w, x.id, approverOf(x), { action: 'exit', exit_reason: '再就业，收入稳定' });
		await exit(h[4]); // exited before the quarter

		// five payments: A and B either side of the quarter's start in UTC,
		// C and D either side of its end, E (condolence) inside
		const acct = await openAccount(w, 1, w.financeC);
		await deposit(w, acct.id, 100000000, w.financeC);
		const programs = (await s.api('GET', '/programs', { token: w.admin.token })).json.items;
		const docs = (code) => { const d = programs.find((p) => p.code === code).documents; return typeof d === 'string' ? JSON.parse(d) : d; };
		const approve = (a) => appTrOk(w, a.id, w.approverD, { action: 'approve', approved_fen: a.requested_fen, comment: '同意' });
		const apply = async (x, code, fen, upto = 'approved') => {
			const r = await s.api('POST', '/applications', { token: staffOf(x).token, body: { household_id: x.id,
				program_code: code, requested_fen: fen, member_id: null, reason: '生活困难', documents: docs(code) } });
			assertStatus(r, 201, `apply ${code}`);
			await appTrOk(w, r.json.id, x.org_id === w.s1.id ? w.reviewer : w.reviewerD, { action: 'verify' });
			if (upto === 'approved')
				await approve(r.json);
			return r.json;
		};
		const pay = async (a, at) => {
			await w.setClock(at);
			await appTrOk(w, a.id, w.financeC, { action: 'disburse', account_id: acct.id });
		};
		await w.setClock('2026-06-20T09:00:00Z');
		const [A, B, C, D] = [await apply(h[0], 'living', 10000), await apply(h[1], 'living', 20000),
			await apply(h[3], 'living', 40000), await apply(h[2], 'living', 80000)];
		await pay(A, '2026-06-30T20:00:00Z'); // Shanghai 07-01 04:00 (Q3); UTC June; Los Angeles 06-30 (Q2)
		await pay(B, '2026-07-01T03:00:00Z'); // Shanghai Q3; UTC July; Los Angeles 06-30 20:00 (Q2)
		await w.setClock('2026-08-10T09:00:00Z');
		const E = await apply(h[2], 'condolence', 50000); // filed and approved in Q3: h[2] covered
		await pay(E, '2026-08-10T10:00:00Z');
		await exit(h[5]); // exited in the quarter
		// reviews due before the end (the date moved by SQL, as in counts.test)
		s.sql(`UPDATE households SET next_review_date = '2026-09-01' WHERE id IN (${h[1].id}, ${h[2].id})`);
		// condolence filed in Q3: h[1]'s approved then (paid after the end),
		// h[3]'s approved only after the end (not covered in Q3)
		await w.setClock('2026-09-20T09:00:00Z');
		const F = await apply(h[1], 'condolence', 50000);
		const G = await apply(h[3], 'condolence', 50000, 'verified');
		await w.setClock('2026-09-29T09:00:00Z');
		const before = await report(w, '2026Q3'); // nothing after the end yet
		assertReference(s, w, before, 'at the end');
		assert.equal(before.total.condolence.covered, 2, 'h[1] and h[2]');
		assert.ok(before.total.overdue.reviews >= 2, 'reviews due at the end');
		assert.deepEqual([before.total.households.exited, before.total.households.exited_ytd], [1, 2]);

		await pay(C, '2026-09-30T20:00:00Z'); // Shanghai 10-01 04:00 (Q4); UTC September; Los Angeles 09-30 (Q3)
		await pay(D, '2026-10-01T03:00:00Z'); // Shanghai Q4; UTC October; Los Angeles 09-30 20:00 (Q3)
		// after the end: every kind of change
		await w.setClock('2026-10-15T09:00:00Z');
		await approve(G); // approved after the end: h[3] still not covered in Q3
		await pay(F, '2026-10-15T09:30:00Z'); // an event after the end: still covered
		await exit(h[0]); // active at the end
		await exit(h[2]); // active and covered at the end
		await hhAct(w, h[4].id, w.staffD, { action: 'reopen', comment: '返困，重新启用' }); // exited at the end
		const rv = await hhAct(w, h[1].id, w.reviewer, { action: 'review', monthly_income_fen: 20000000 });
		assert.notEqual(rv.category, 'dibao', 'the review moved the category');
		await hhAct(w, h[6].id, w.staff, { action: 'submit' }); // a draft at the end
		await makeHouseholds(w, [{ org: 's2', category: 'none', body: hhBody(w, 's2') }]); // created after the end
		s.sql(`UPDATE households SET org_id = ${w.s2.id} WHERE id = ${h[3].id}`); // moved, no event
		const after = await report(w, '2026Q3');
		assertReference(s, w, after, 'after the changes');
		// the statuses at the end, the coverage, the entries and exits are
		// those of the end (the category, the causes, the review date and the
		// unit are read as they are now: API.md's simplifications)
		for (const k of ['by_status', 'new', 'exited', 'exited_ytd', 'covered'])
			assert.deepEqual(figures(after.total)[k], figures(before.total)[k], `the district's ${k} unchanged`);
		assert.notDeepEqual(figures((await report(w, '2026Q4')).total).by_status, figures(after.total).by_status,
			'2026Q4 counts the changes');

		// the payments, by the zone's days: Shanghai (the server's zone)
		assert.deepEqual(living(after), { count: 2, amount_fen: 30000 }, 'Q3 in Shanghai: A and B');
		assert.deepEqual(living(await report(w, '2026Q4')), { count: 2, amount_fen: 120000 }, 'Q4 in Shanghai: C and D');
		assert.deepEqual((await report(w, '2026Q4')).total.aid.by_program.condolence, { count: 1, amount_fen: 50000 }, 'Q4: F');
		assert.deepEqual(living(await report(w, '2026Q2')), { count: 0, amount_fen: 0 }, 'Q2 in Shanghai: none');
		assert.deepEqual(after.total.aid.by_program.condolence, { count: 1, amount_fen: 50000 });
		// Los Angeles (UTC-7 in summer), through the CLI
		const west = (period) => {
			const out = path.join(s.dir, `west-${period}.json`);
			const r = s.cli(['report', 'quarterly', '--org-id', String(w.d.id), '--period', period, '--format', 'json', '-o', out],
				{ env: { BANGFU_TZ: 'America/Los_Angeles' } });
			assert.equal(r.code, 0, r.stderr);
			return JSON.parse(fs.readFileSync(out, 'utf8'));
		};
		assert.deepEqual(living(west('2026Q2')), { count: 2, amount_fen: 30000 }, 'Q2 in Los Angeles: A and B');
		assert.deepEqual(living(west('2026Q3')), { count: 2, amount_fen: 120000 }, 'Q3 in Los Angeles: C and D');
		assert.deepEqual(living(west('2026Q4')), { count: 0, amount_fen: 0 }, 'Q4 in Los Angeles: none');
		// the funds' flows the same way (ledger_monthly): the payments leave
		// the city's account
		const out = async (period) => {
			const r = await s.api('GET', `/reports/quarterly?org_id=1&period=${period}`, { token: w.admin.token });
			assertStatus(r, 200);
			return r.json.total.funds.out_fen;
		};
		assert.deepEqual([await out('2026Q2'), await out('2026Q3'), await out('2026Q4')], [0, 80000, 170000],
			'out of the accounts in Shanghai: Q3 A, B and E; Q4 C, D and F');
		const westCity = (period) => {
			const file = path.join(s.dir, `west-city-${period}.json`);
			const r = s.cli(['report', 'quarterly', '--org-id', '1', '--period', period, '--format', 'json', '-o', file],
				{ env: { BANGFU_TZ: 'America/Los_Angeles' } });
			assert.equal(r.code, 0, r.stderr);
			return JSON.parse(fs.readFileSync(file, 'utf8')).total.funds.out_fen;
		};
		assert.deepEqual([westCity('2026Q2'), westCity('2026Q3'), westCity('2026Q4')], [30000, 170000, 50000],
			'out of the accounts in Los Angeles: Q2 A and B; Q3 C, D and E; Q4 F');
		assert.equal(s.cli(['check']).code, 0, 'check passes');

		// migration 026 upgrades a database that had these rows before it:
		// its objects dropped and its version forgotten, `bangfu migrate`
		// counts them again; the figures and `bangfu check` agree
		await s.crash();
		if (DB_KIND === 'pg')
			s.sql('DROP FUNCTION hh_report_counts_move, ledger_monthly_add, ledger_monthly_sub CASCADE; DROP FUNCTION hh_report_counts_add');
		else
			for (const t of ['hh_report_counts_insert', 'hh_report_counts_update', 'hh_report_counts_delete',
				'ledger_monthly_insert', 'ledger_monthly_delete'])
				s.sql(`DROP TRIGGER ${t}`);
		s.sql('DROP TABLE hh_report_counts; DROP TABLE ledger_monthly');
		for (const i of ['applications_program_disbursed', 'households_created', 'households_before_exit', 'ledger_transfer_at',
			'households_entered', 'households_exited'])
			s.sql(`DROP INDEX ${i}`);
		s.sql('CREATE INDEX households_entered ON households (entered_on); CREATE INDEX households_exited ON households (exited_on)');
		s.sql("DELETE FROM schema_migrations WHERE name = '026_report_counts.sql'");
		// and migration 037 (the latest approved condolence filing per archive) likewise
		if (DB_KIND === 'pg')
			s.sql('DROP FUNCTION hh_condolence_app, hh_condolence_hh CASCADE; DROP FUNCTION hh_condolence_again');
		else
			for (const t of ['hh_condolence_app_insert', 'hh_condolence_app_update', 'hh_condolence_app_delete', 'hh_condolence_hh_update'])
				s.sql(`DROP TRIGGER ${t}`);
		s.sql('DROP VIEW hh_condolence_fresh; DROP TABLE hh_condolence');
		s.sql("DELETE FROM schema_migrations WHERE name = '037_condolence_last.sql'");
		const m = s.cli(['migrate']);
		assert.equal(m.code, 0, m.stderr);
		await s.restart();
		await w.relogin();
		const upgraded = await report(w, '2026Q3');
		assert.deepEqual(upgraded.total, after.total, 'the district after the upgrade');
		assert.deepEqual(upgraded.units, after.units, 'the streets after the upgrade');
		assert.ok(Number(s.sql('SELECT COUNT(*) FROM hh_condolence WHERE active = 1').trim()) > 0, '037 filled the kept rows again');
		const chk = s.cli(['check']);
		assert.equal(chk.code, 0, chk.stdout + chk.stderr);

		// an application of no archive (emergency aid) filed after the end:
		// its late event names no archive, and the archives covered with no
		// late event of their own stay counted (one covered in Q4)
		await w.setClock('2026-11-10T09:00:00Z');
		const live = h.find((x) => x.org_id === w.s1.id && s.sql(`SELECT status FROM households WHERE id = ${x.id}`).trim() === 'active');
		await apply(live, 'condolence', 30000);
		const q4 = await report(w, '2026Q4');
		assert.ok(q4.total.condolence.covered >= 1, 'covered in Q4');
		await w.setClock('2027-01-05T09:00:00Z');
		const em = await s.api('POST', '/applications', { token: w.staff.token, body: { program_code: 'emergency',
			org_id: w.s1.id, person: { name: '郑急难', id_number: w.p.male(), phone: null, address: '某村' },
			requested_fen: 100000, reason: '车祸', documents: ['身份证'] } });
		assertStatus(em, 201, 'an emergency application');
		const q4late = await report(w, '2026Q4');
		assert.equal(q4late.total.condolence.covered, q4.total.condolence.covered, 'Q4 covered after a late emergency application');
		assert.equal(s.cli(['check']).code, 0, 'check passes');
	});
});
