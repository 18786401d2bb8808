// crashtest.mjs — kill -9 in the middle of work, restart, check that nothing
// that answered 2xx is lost and nothing is half-written.  Prints TAP (one
// line per round, then "# pass N" / "# fail N") for tests/run-all.sh.
//
// One world per database kind (SQLite always; PostgreSQL too when
// BANGFU_TEST_PG_URL is set, rounds alternate): active households of street
// S1, a funded account.  Each round fires at once: a census import of
// IMPORT_FAMILIES households (one transaction), the payment of campaign A
// (one transaction), the single disbursement of every application of
// campaign B, a burst of deposits and a burst of household creates; the
// server is killed with SIGKILL after a random delay, restarted, and:
//   - every household create, deposit and single disbursement that answered
//     2xx is in the database; an unanswered one is there once or not at all;
//   - the import is all there or not at all (all there if it answered 2xx);
//   - campaign A is paid for all of its applications or for none;
//   - each application has at most one ledger row; the ledger's running
//     balance holds and sums to the account balance;
//   - `bangfu check` exits 0.
// The kill comes after a random number of answers plus 0..KILL_MAX_MS ms
// (default 40), so that it lands mid-load on a fast or a slow machine.
// Settings: ROUNDS (default 4), SEED (default: from the time; printed — run
// again with SEED=... to replay the same choices), KILL_MAX_MS.
import assert from 'node:assert/strict';
import { startServer, runCli, assertStatus } from '../api/lib.mjs';
import { START, aidWorld, makeHouseholds, openAccount, deposit, checkLedger, hhBody } from '../api/aid-world.mjs';

const ROUNDS = Number(process.env.ROUNDS || 4);
const SEED = Number(process.env.SEED || (Date.now() % 1000000007));
const KILL_MAX_MS = Number(process.env.KILL_MAX_MS || 40);
const KINDS = process.env.BANGFU_TEST_PG_URL ? ['sqlite', 'pg'] : ['sqlite'];
const IMPORT_FAMILIES = 25;
const BURST = 12;
const AMOUNTS = { dibao: 1000, marginal: 800, accident: 600, none: 500 };

// mulberry32: a small seeded generator, so a failing round can be replayed
function rng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6D2B79F5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const HEADER = '户主身份证号,姓名,身份证号,与户主关系,月收入(元),健康状况,就学阶段,联系电话,工作单位,家庭住址,致困原因';
function importCsv(w, n) {
	const heads = [];
	const lines = [HEADER];
	for (let i = 0; i < n; i++) {
		const id = w.p.male();
		heads.push(id);
		lines.push(`${id},导入户${i},${id},本人,1200,良好,,13800138000,某厂,某街道${i}号,收入低`);
	}
	return { heads, csv: lines.join('\n') + '\n' };
}

const num = (text) => Number(String(text).trim());
const inList = (ids) => ids.map((x) => `'${x}'`).join(',');

async function makeWorld(kind) {
	const s = await startServer({ kind, clock: START });
	const w = await aidWorld(s, { label: `crash-${kind}` });
	await makeHouseholds(w, Array.from({ length: 6 }, (_, i) => ({ org: 's1', category: ['dibao', 'marginal', 'accident'][i % 3] })));
	w.acct = await openAccount(w, 1, w.financeC);
	await deposit(w, w.acct.id, 100000000, w.financeC);
	return { s, w };
}

async function campaign(w, period) {
	const c = await w.s.api('POST', '/campaigns', { token: w.approverS.token, body: { org_id: w.s1.id, name: '送温暖', period, amounts: AMOUNTS } });
	assertStatus(c, 201, `campaign ${period}`);
	const apps = await w.s.api('GET', `/applications?campaign_id=${c.json.id}&limit=500`, { token: w.admin.token });
	assertStatus(apps, 200);
	assert.ok(apps.json.items.length > 0, 'the campaign has applications');
	return { id: c.json.id, apps: apps.json.items.map((a) => a.id) };
}

// Runs fn(); returns {status, json} or {status: 0} when no answer came;
// calls done() either way.
async function attemptOnce(fn, done) {
	try {
		const r = await fn();
		return { status: r.status, json: r.json, text: r.text };
	} catch (e) {
		return { status: 0, error: e.message };
	} finally {
		done();
	}
}
const ok2 = (r) => r.status >= 200 && r.status < 300;

async function round(n, world, seed) {
	const { s, w } = world;
	const rand = rng(seed);
	const TOTAL = 2 + BURST * 2; // + the singles of campaign B, counted below
	const tag = `crash-${seed}`;
	const A = await campaign(w, `${tag}-A`);
	const B = await campaign(w, `${tag}-B`);
	const imp = importCsv(w, IMPORT_FAMILIES);
	const tok = (k) => w[k].token;
	// the kill comes when `after` requests have answered, plus 0..KILL_MAX_MS
	// ms: mid-load whatever the machine's speed
	const after = Math.floor(rand() * (TOTAL + B.apps.length));
	const delay = Math.floor(rand() * KILL_MAX_MS);
	let answers = 0, wake = null;
	const done = () => { answers++; if (wake && answers >= after) wake(); };
	const api = (m, p, o) => s.api(m, p, o);
	const attempt = (fn) => attemptOnce(fn, done);

	// the import and the campaign start at random moments of the burst
	const later = (fn) => { const ms = Math.floor(rand() * 60); return () => new Promise((r) => setTimeout(r, ms)).then(fn); };
	const jobs = {
		import: attempt(later(() => api('POST', `/imports/households?org_id=${w.s2.id}`, { token: tok('staffD'), rawBody: imp.csv, contentType: 'text/csv' }))),
		campaignA: attempt(later(() => api('POST', `/campaigns/${A.id}/disburse`, { token: tok('financeC'), body: { account_id: w.acct.id } }))),
		singles: Promise.all(B.apps.map((id) => attempt(() => api('POST', `/applications/${id}/transitions`, { token: tok('financeC'), body: { action: 'disburse', account_id: w.acct.id } })))),
		deposits: Promise.all(Array.from({ length: BURST }, (_, i) => attempt(() => api('POST', `/fund-accounts/${w.acct.id}/deposits`, { token: tok('financeC'), body: { amount_fen: 100 + i, note: `${tag}-d${i}` } })))),
		creates: Promise.all(Array.from({ length: BURST }, () => attempt(() => api('POST', '/households', { token: tok('staff'), body: hhBody(w, 's1') })))),
	};
	if (answers < after)
		await new Promise((r) => { wake = r; });
	await new Promise((r) => setTimeout(r, delay));
	await s.crash();
	const res = {};
	for (const [k, p] of Object.entries(jobs))
		res[k] = await p;
	await s.restart();

	const all = [res.import, res.campaignA, ...res.singles, ...res.deposits, ...res.creates];
	const answered = all.filter(ok2).length;
	for (const r of all)
		assert.ok(r.status === 0 || r.status < 500, `a server error before the kill: ${r.status} ${r.text}`);

	// household creates
	for (const r of res.creates.filter(ok2))
		assert.equal(num(s.sql(`SELECT COUNT(*) FROM households WHERE id = ${r.json.id}`)), 1, `household ${r.json.id} answered 201 but is gone`);
	// deposits: each note once at most; once when answered
	res.deposits.forEach((r, i) => {
		const c = num(s.sql(`SELECT COUNT(*) FROM ledger WHERE note = '${tag}-d${i}'`));
		assert.ok(c <= 1, `deposit ${i} written ${c} times`);
		if (ok2(r))
			assert.equal(c, 1, `deposit ${i} answered ${r.status} but is not in the ledger`);
	});
	// the import: all or nothing
	const imported = num(s.sql(`SELECT COUNT(*) FROM archive_people WHERE is_open = 1 AND id_number IN (${inList(imp.heads)})`));
	assert.ok(imported === 0 || imported === IMPORT_FAMILIES, `import half-written: ${imported} of ${IMPORT_FAMILIES}`);
	if (ok2(res.import))
		assert.equal(imported, IMPORT_FAMILIES, 'the import answered 2xx but is not all there');
	// campaign A: all paid or none
	const paidA = num(s.sql(`SELECT COUNT(*) FROM applications WHERE campaign_id = ${A.id} AND status = 'disbursed'`));
	assert.ok(paidA === 0 || paidA === A.apps.length, `campaign half-paid: ${paidA} of ${A.apps.length}`);
	if (ok2(res.campaignA))
		assert.equal(paidA, A.apps.length, 'the campaign answered 2xx but is not paid');
	// single disbursements
	B.apps.forEach((id, i) => {
		const st = s.sql(`SELECT status FROM applications WHERE id = ${id}`).trim();
		if (ok2(res.singles[i]))
			assert.equal(st, 'disbursed', `application ${id} answered 2xx but is ${st}`);
	});
	// one ledger row per paid application, none for an unpaid one
	for (const id of [...A.apps, ...B.apps]) {
		const rows = num(s.sql(`SELECT COUNT(*) FROM ledger WHERE application_id = ${id} AND kind = 'disbursement'`));
		const st = s.sql(`SELECT status FROM applications WHERE id = ${id}`).trim();
		assert.equal(rows, st === 'disbursed' ? 1 : 0, `application ${id} (${st}) has ${rows} ledger rows`);
	}
	await checkLedger(w, w.acct.id);
	const chk = runCli(['check', '--db', s.dbUrl]);
	assert.equal(chk.code, 0, `bangfu check after the crash:\n${chk.stdout}\n${chk.stderr}`);
	return `killed ${delay} ms after answer ${after}, ${answered} of ${all.length} requests had answered 2xx` +
		` (import ${res.import.status || '-'}, campaign ${res.campaignA.status || '-'})`;
}

async function main() {
	console.log('TAP version 13');
	console.log(`# crashtest: ROUNDS=${ROUNDS} SEED=${SEED} kinds=${KINDS.join(',')}`);
	const worlds = {};
	let pass = 0, fail = 0;
	for (let n = 1; n <= ROUNDS; n++) {
		const kind = KINDS[(n - 1) % KINDS.length];
		const seed = SEED + n;
		const what = `round ${n} (${kind}, seed ${seed})`;
		try {
			worlds[kind] = worlds[kind] || await makeWorld(kind);
			const note = await round(n, worlds[kind], seed);
			console.log(`ok ${n} - ${what}: ${note}`);
			pass++;
		} catch (e) {
			console.log(`not ok ${n} - ${what}`);
			console.log(String(e.stack || e).split('\n').map((l) => '  # ' + l).join('\n'));
			fail++;
			if (worlds[kind]) {
				try { await worlds[kind].s.stop(); } catch (e2) { /* already reported */ }
				delete worlds[kind];
			}
		}
	}
	for (const { s } of Object.values(worlds)) {
		try { await s.stop(); } catch (e) { console.log(`  # stop: ${e.message}`); fail++; }
	}
	console.log(`1..${ROUNDS}`);
	console.log(`# pass ${pass}`);
	console.log(`# fail ${fail}`);
	process.exit(fail ? 1 : 0);
}
main();
