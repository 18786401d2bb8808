// Migration 006 on a database that already holds a double cover (two
// campaigns of one period covering the same households, as two app
// processes on PostgreSQL could make before it): the first cover keeps the
// period, the later one loses it, the unique index is built, `bangfu check`
// passes, and a new campaign of the period covers nobody twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withServer, assertStatus, limit } from './lib.mjs';
import { START, aidWorld, makeHouseholds } from './aid-world.mjs';

const AMOUNTS = { dibao: 1000, marginal: 800, accident: 600, none: 500 };
const COLS = 'household_id, org_id, program_code, program_version, program_snapshot, status, requested_fen,' +
	' approved_fen, reason, documents, year, due_date, required_level, created_at, updated_at';

test('migration 006 keeps the first cover of a period and refuses a second', { timeout: limit(240000) }, async () => {
	await withServer({ clock: START }, async (s) => {
		const w = await aidWorld(s, { label: 'cover' });
		await makeHouseholds(w, [{ org: 's1' }, { org: 's1', category: 'marginal' }]);
		const c = await s.api('POST', '/campaigns', { token: w.approverS.token, body: { org_id: w.s1.id, name: '春节', period: 'p1', amounts: AMOUNTS } });
		assertStatus(c, 201);
		const n = Number(s.sql(`SELECT COUNT(*) FROM applications WHERE campaign_id = ${c.json.id}`));
		assert.ok(n >= 2);
		assert.equal(Number(s.sql(`SELECT COUNT(*) FROM applications WHERE cover_period = 'p1'`)), n, 'new covers carry their period');

		// back to schema 5 with a second cover of p1, as made before the fix
		await s.crash();
		s.sql('DROP INDEX applications_cover_period');
		s.sql('DROP INDEX applications_covered'); // migration 009's, on the column too
		// migrations 010 to 012 run again too: their tables, triggers, functions and columns go
		if (/^postgres(ql)?:/.test(s.dbUrl))
			s.sql('DROP FUNCTION hh_counts_move, cover_counts_app, cover_counts_hh CASCADE; DROP FUNCTION hh_counts_add, cover_counts_add');
		else
			for (const t of ['hh_counts_insert', 'hh_counts_update', 'hh_counts_delete', 'cover_counts_app_insert',
				'cover_counts_app_update', 'cover_counts_app_delete', 'cover_counts_hh_update'])
				s.sql(`DROP TRIGGER ${t}`);
		s.sql('DROP TABLE hh_counts; DROP TABLE cover_counts; DROP TABLE name_grams');
		for (const col of ['applications_n', 'amount_fen', 'disbursed_n'])
			s.sql(`ALTER TABLE campaigns DROP COLUMN ${col}`);
		s.sql('ALTER TABLE applications DROP COLUMN cover_period');
		// (and before the later migrations, which run again after it; 012
		// added columns and a table, which schema 5 had not)
		// the later ones stay recorded and are not run again (migrate_up applies
		// the versions that are missing) ...
		s.sql('DELETE FROM schema_migrations WHERE version BETWEEN 6 AND 13');
		// ... except those that reshape 010's name_grams, which run again after
		// it: 025 (WITHOUT ROWID), 028 (its kept counts), 030 (the names),
		// 034 (the runs of three characters)
		if (/^postgres(ql)?:/.test(s.dbUrl))
			s.sql('DROP FUNCTION gram_counts_move, gram_counts_add CASCADE');
		s.sql('DROP TABLE gram_counts');
		s.sql("DELETE FROM schema_migrations WHERE name IN ('025_bulk_import.sql', '028_gram_counts.sql', '030_gram_names.sql', '034_name_threes.sql')");
		s.sql('DROP TABLE calendar_years');
		s.sql('DELETE FROM calendar');
		for (const col of ['statutory_note', 'statutory_workday', 'source'])
			s.sql(`ALTER TABLE calendar DROP COLUMN ${col}`);
		const dup = Number(s.sql(`INSERT INTO campaigns (org_id, name, period, amounts, created_at) VALUES (${w.s1.id}, '重复', 'p1', '{}', '${START}') RETURNING id`));
		s.sql(`INSERT INTO applications (${COLS}, campaign_id) SELECT ${COLS}, ${dup} FROM applications WHERE campaign_id = ${c.json.id}`);
		// versions missing below the newest: the database is not up to date
		const before = s.cli(['check']);
		assert.notEqual(before.code, 0, 'check refuses a database with versions missing');
		assert.match(before.stdout + before.stderr, /请先运行 bangfu migrate/);
		const m = s.cli(['migrate']);
		assert.equal(m.code, 0, m.stderr);
		await s.restart();

		assert.equal(Number(s.sql(`SELECT COUNT(*) FROM applications WHERE campaign_id = ${c.json.id} AND cover_period = 'p1'`)), n, 'the first cover keeps its period');
		assert.equal(Number(s.sql(`SELECT COUNT(*) FROM applications WHERE campaign_id = ${dup} AND cover_period IS NULL`)), n, 'the second loses it');
		const chk = s.cli(['check']);
		assert.equal(chk.code, 0, chk.stdout + chk.stderr);
		// the database now refuses a second live cover of p1
		assert.throws(() => s.sql(`UPDATE applications SET cover_period = 'p1' WHERE campaign_id = ${dup}`));
		const again = await s.api('POST', '/campaigns', { token: w.approverS.token, body: { org_id: w.s1.id, name: '再来', period: 'p1', amounts: AMOUNTS } });
		assertStatus(again, 201);
		assert.equal(Number(s.sql(`SELECT COUNT(*) FROM applications WHERE campaign_id = ${again.json.id}`)), 0, 'nobody is covered twice');
	});
});
