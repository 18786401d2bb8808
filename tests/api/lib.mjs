// lib.mjs — shared helpers of the API tests (node --test, node 20, no npm).
//
// startServer(opts) gives each test (or each file) its own bangfu: a fresh
// database (SQLite file, or a new PostgreSQL database when
// BANGFU_TEST_DB_KIND=pg), `bangfu init`, a clock file and `bangfu serve` on a
// free loopback port.  stop() checks the server exits cleanly and printed no
// sanitizer report.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.resolve(REPO, process.env.BANGFU_BIN || 'build/bangfu');
export const DB_KIND = process.env.BANGFU_TEST_DB_KIND === 'pg' ? 'pg' : 'sqlite';
export const ADMIN_USER = 'admin';
export const ADMIN_PASSWORD = 'Admin12345a';
export const DEFAULT_CLOCK = '2026-03-02T09:00:00Z';
export const PASSWORD = 'Passw0rd1234';
export const ROLES = ['admin', 'staff', 'reviewer', 'approver', 'finance', 'viewer'];

// Under valgrind (`make valgrind`) every bangfu process runs 20–50 times
// slower: BANGFU_TEST_SLOWDOWN (the Makefile's valgrind target sets it)
// stretches every time limit of the suite (limit(ms)), so that no process is
// killed because a test ran out of time and memcheck judges each one.
export const SLOWDOWN = Math.max(1, Number(process.env.BANGFU_TEST_SLOWDOWN) || 1);
export function limit(ms) {
	return ms * SLOWDOWN;
}

// A process the suite kills on purpose (kill -9 of a crash test) cannot be
// judged by memcheck; its pid is appended to BANGFU_TEST_KILLED_LOG so that
// tests/valgrind/verdict.sh names it apart from processes killed by accident.
function killOnPurpose(child) {
	const log = process.env.BANGFU_TEST_KILLED_LOG;
	if (log)
		fs.appendFileSync(log, `${child.pid}\n`);
	child.kill('SIGKILL');
}

const SANITIZER_MARKS = ['AddressSanitizer', 'LeakSanitizer', 'runtime error:'];
const CJK = /[\u3400-\u9fff]/;

// Subcommands and how many words they take before the options.
const DB_COMMANDS = {
	init: 1, migrate: 1, serve: 1, backup: 1, restore: 1, check: 1,
	token: 2, user: 2, calendar: 2, audit: 2, import: 2, report: 2, export: 2,
};

export function assertNoSanitizer(text, what) {
	for (const m of SANITIZER_MARKS)
		assert.ok(!text.includes(m), `${what} printed a sanitizer report (${m}):\n${text.slice(-6000)}`);
}

function psql(url, sql) {
	const r = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql], { encoding: 'utf8', timeout: 60000 });
	if (r.status !== 0)
		throw new Error(`psql failed (${sql}): ${r.stderr}`);
	return r.stdout;
}

function pgUrlWithDb(url, db) {
	const u = new URL(url);
	u.pathname = '/' + db;
	return u.toString();
}

export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Runs the binary; `--db URL` is inserted after the subcommand words when the
// subcommand needs one and the caller did not give --db.
export function runCli(args, dbUrl, { env, timeout: ms = 60000 } = {}) {
	const timeout = limit(ms);
	let full = [...args];
	const words = DB_COMMANDS[args[0]];
	if (dbUrl && words && !args.includes('--db'))
		full = [...args.slice(0, words), '--db', dbUrl, ...args.slice(words)];
	const r = spawnSync(BIN, full, {
		encoding: 'utf8', timeout, env: { ...process.env, ...(env || {}) },
		maxBuffer: 64 * 1024 * 1024,
	});
	if (r.error && r.error.code === 'ETIMEDOUT')
		throw new Error(`bangfu ${full.join(' ')} did not finish within ${timeout / 1000} s (killed):\n${r.stderr}`);
	if (r.error)
		throw r.error;
	const out = { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
	assertNoSanitizer(r.stderr + r.stdout, `bangfu ${full.join(' ')}`);
	assert.ok(r.signal === null, `bangfu ${full.join(' ')} died of ${r.signal}:\n${r.stderr}`);
	return out;
}

// A fresh empty database of `kind` (sqlite or pg; default: the suite's);
// returns {dbUrl, drop(), sql(stmt)}.
export function freshDatabase(dir, kind = DB_KIND) {
	if (kind === 'pg') {
		const base = process.env.BANGFU_TEST_PG_URL;
		assert.ok(base, 'BANGFU_TEST_PG_URL must be set when BANGFU_TEST_DB_KIND=pg');
		const name = 't_' + randomBytes(6).toString('hex');
		let lastErr;
		for (let i = 0; i < 5; i++) {
			try { psql(base, `CREATE DATABASE ${name}`); lastErr = null; break; } catch (e) { lastErr = e; }
		}
		if (lastErr)
			throw lastErr;
		const dbUrl = pgUrlWithDb(base, name);
		return {
			dbUrl,
			sql: (stmt) => psql(dbUrl, stmt),
			drop: () => psql(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
		};
	}
	const file = path.join(dir, 'bangfu.db');
	return {
		dbUrl: file,
		sql: (stmt) => {
			const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', file, stmt], { encoding: 'utf8', timeout: 60000 });
			if (r.status !== 0)
				throw new Error(`sqlite3 failed (${stmt}): ${r.stderr}`);
			return r.stdout;
		},
		drop: () => {},
	};
}

export function parseCookie(setCookie) {
	// "name=value; HttpOnly; ..." → "name=value"
	return setCookie.split(';')[0].trim();
}

// --- raw HTTP (tests/api/edge.test.mjs, tests/scale) ---------------------------

// Sends `bytes` on a new connection and collects what comes back until the
// server closes the connection ({text, closed: true}) or `wait` ms passed
// with it still open ({closed: false}).  A reset after the answer (the
// server closed with our bytes unread) counts as closed.
export function rawHttp(base, bytes, { wait = 4000 } = {}) {
	const { hostname, port } = new URL(base);
	return new Promise((resolve) => {
		const chunks = [];
		const sock = net.connect(Number(port), hostname, () => sock.write(bytes, () => {}));
		let done = false;
		const finish = (closed) => {
			if (done)
				return;
			done = true;
			clearTimeout(timer);
			sock.destroy();
			resolve({ text: Buffer.concat(chunks).toString('utf8'), closed });
		};
		const timer = setTimeout(() => finish(false), limit(wait));
		sock.on('data', (c) => chunks.push(c));
		sock.on('end', () => finish(true));
		sock.on('close', () => finish(true));
		sock.on('error', () => finish(true));
	});
}

// Every response on the wire, in order: {status, headers (lower-case), text, json}.
export function httpResponses(wire) {
	const out = [];
	let rest = wire;
	while (rest.startsWith('HTTP/1.')) {
		const end = rest.indexOf('\r\n\r\n');
		assert.ok(end > 0, `a response head that does not end: ${JSON.stringify(rest.slice(0, 300))}`);
		const [line, ...fields] = rest.slice(0, end).split('\r\n');
		const headers = {};
		for (const f of fields) {
			const i = f.indexOf(':');
			headers[f.slice(0, i).trim().toLowerCase()] = f.slice(i + 1).trim();
		}
		const len = Number(headers['content-length'] || 0);
		const body = Buffer.from(rest.slice(end + 4), 'utf8').subarray(0, len).toString('utf8');
		let json = null;
		try { json = JSON.parse(body); } catch (e) { json = null; }
		out.push({ status: Number(line.split(' ')[1]), headers, text: body, json });
		rest = Buffer.from(rest.slice(end + 4), 'utf8').subarray(len).toString('utf8');
	}
	assert.equal(rest, '', `bytes after the last response: ${JSON.stringify(rest.slice(0, 300))}`);
	return out;
}

// Checks an error answer: status, code and the exact error shape with a
// Chinese message.  Returns error.details.
export function assertError(res, status, code, what = '') {
	const ctx = `${what} → ${res.status} ${res.text.slice(0, 400)}`;
	assert.equal(res.status, status, `expected HTTP ${status} ${code}: ${ctx}`);
	assert.ok(res.json && typeof res.json === 'object' && !Array.isArray(res.json), `error body is not a JSON object: ${ctx}`);
	assert.deepEqual(Object.keys(res.json), ['error'], `error body must hold only "error": ${ctx}`);
	const e = res.json.error;
	assert.ok(e && typeof e === 'object', `error is not an object: ${ctx}`);
	assert.deepEqual(Object.keys(e).sort(), ['code', 'details', 'message'], `error keys: ${ctx}`);
	assert.equal(e.code, code, `error code: ${ctx}`);
	assert.equal(typeof e.message, 'string', ctx);
	assert.ok(e.message.length > 0, `empty message: ${ctx}`);
	assert.match(e.message, CJK, `message is not Chinese: ${ctx}`);
	assert.ok(e.details && typeof e.details === 'object' && !Array.isArray(e.details), `details must be an object: ${ctx}`);
	return e.details;
}

// 422 validation_failed naming `field` in details.fields.
export function assertFieldError(res, field, { status = 422, code = 'validation_failed', what = '' } = {}) {
	const d = assertError(res, status, code, what);
	assert.ok(d.fields && typeof d.fields === 'object', `details.fields missing: ${res.text}`);
	assert.ok(Object.hasOwn(d.fields, field), `details.fields.${field} missing: ${res.text}`);
	assert.equal(typeof d.fields[field], 'string', `details.fields.${field} should be a message: ${res.text}`);
	return d;
}

export function assertStatus(res, status, what = '') {
	assert.equal(res.status, status, `${what} expected ${status}, got ${res.status}: ${res.text.slice(0, 600)}`);
}

let regionSeq = 0;
export function regionCode() {
	// 6 digits, distinct inside one process.
	regionSeq++;
	return String(110000 + ((process.pid * 37 + regionSeq * 101) % 89999)).padStart(6, '0');
}
let nameSeq = 0;
export function uniq(prefix) {
	nameSeq++;
	return `${prefix}${Date.now().toString(36)}${nameSeq}`;
}

// Polls GET /healthz until 200 (true), the process exits or the time is up (false).
export async function waitHealthy(base, exitInfo, ms) {
	const deadline = Date.now() + ms;
	for (;;) {
		if (exitInfo())
			return false;
		try {
			const res = await fetch(base + '/healthz');
			await res.arrayBuffer();
			if (res.status === 200)
				return true;
		} catch (e) { /* not up yet */ }
		if (Date.now() > deadline)
			return false;
		await sleep(50);
	}
}

// The server closes a connection idle for 30 s (serve --timeout).  A slowed
// down suite leaves kept-alive connections idle longer (a CLI step blocks
// the test's event loop), and a fetch on a connection closed under it fails:
// the idle timeout is stretched like the other limits unless the test sets it.
function idleTimeout(extraArgs) {
	if (SLOWDOWN === 1 || (extraArgs || []).includes('--timeout'))
		return [];
	return ['--timeout', String(limit(30))];
}

// Starts `bangfu serve` on dbUrl (a free port, retried when another process
// took it first) and waits for /healthz.  Returns {child, exited, base,
// getExit}; stderr/stdout chunks are pushed into the given arrays.
async function launch(dbUrl, clockFile, extraArgs, stderrChunks, stdoutChunks) {
	for (let attempt = 1; ; attempt++) {
		const port = await freePort();
		const args = ['serve', '--db', dbUrl, '--listen', `127.0.0.1:${port}`, '--clock-file', clockFile, ...idleTimeout(extraArgs), ...(extraArgs || [])];
		let exitInfo = null;
		const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
		child.stderr.on('data', (c) => stderrChunks.push(c));
		child.stdout.on('data', (c) => stdoutChunks.push(c));
		const exited = new Promise((resolve) => child.on('exit', (code, signal) => {
			exitInfo = { code, signal };
			resolve(exitInfo);
		}));
		const base = `http://127.0.0.1:${port}`;
		const launched = { child, exited, base, getExit: () => exitInfo };
		if (await waitHealthy(base, () => exitInfo, limit(60000)))
			return launched;
		const err = Buffer.concat(stderrChunks).toString('utf8');
		if (!exitInfo) {
			child.kill('SIGKILL');
			throw new Error(`bangfu serve did not answer /healthz with 200 within ${limit(60)} s:\n${err}`);
		}
		// Another process may have taken the port between freePort() and bind().
		if (attempt < 3 && /in use|EADDRINUSE|占用/i.test(err)) {
			stderrChunks.length = 0;
			continue;
		}
		assertNoSanitizer(err, 'bangfu serve');
		throw new Error(`bangfu serve exited early (${JSON.stringify(exitInfo)}):\n${err}`);
	}
}

export async function startServer(opts = {}) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-api-'));
	let db;
	let run = null;
	const stderrChunks = [];
	const stdoutChunks = [];
	let stopped = false;
	let initOutput = '';
	const clockFile = path.join(dir, 'clock');
	const cleanup = () => {
		try { db && db.drop(); } catch (e) { /* best effort */ }
		fs.rmSync(dir, { recursive: true, force: true });
	};
	try {
		db = freshDatabase(dir, opts.kind);
		const initArgs = opts.noAdminPassword ? ['init'] : ['init', '--admin-user', ADMIN_USER, '--admin-password', ADMIN_PASSWORD];
		if (opts.demo)
			initArgs.push('--demo');
		if (opts.initArgs)
			initArgs.push(...opts.initArgs);
		const r = runCli(initArgs, db.dbUrl, { timeout: opts.demo ? 400000 : 60000 });
		assert.equal(r.code, 0, `bangfu init failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
		initOutput = r.stdout + '\n' + r.stderr;
		fs.writeFileSync(clockFile, (opts.clock || DEFAULT_CLOCK) + '\n');
		run = await launch(db.dbUrl, clockFile, opts.args, stderrChunks, stdoutChunks);
		const h = { initOutput, db, dir, clockFile, stderrChunks, stdoutChunks, cleanup,
			markStopped: () => { stopped = true; }, isStopped: () => stopped,
			run: () => run,
			relaunch: async () => { run = await launch(db.dbUrl, clockFile, opts.args, stderrChunks, stdoutChunks); return run; } };
		return makeHandle(h);
	} catch (e) {
		if (run && !run.getExit())
			run.child.kill('SIGKILL');
		cleanup();
		throw e;
	}
}

function makeHandle(h) {
	const { db, clockFile } = h;
	const s = {
		base: h.run().base,
		dbUrl: db.dbUrl,
		dir: h.dir,
		initOutput: h.initOutput,
		clockFile,
		setClock(str) { fs.writeFileSync(clockFile, str + '\n'); },
		stderr() { return Buffer.concat(h.stderrChunks).toString('utf8'); },
		sql(stmt) { return db.sql(stmt); },

		async api(method, p, { token, body, rawBody, headers = {}, cookie, contentType } = {}) {
			const url = s.base + (p.startsWith('/healthz') ? p : '/api/v1' + p);
			const hdrs = { ...headers };
			if (token)
				hdrs.Authorization = `Bearer ${token}`;
			if (cookie)
				hdrs.Cookie = cookie;
			let payload;
			if (rawBody !== undefined) {
				payload = rawBody;
				if (!Object.keys(hdrs).some((k) => k.toLowerCase() === 'content-type'))
					hdrs['Content-Type'] = contentType || 'application/json';
			} else if (body !== undefined) {
				payload = JSON.stringify(body);
				hdrs['Content-Type'] = 'application/json';
			}
			const res = await fetch(url, { method, headers: hdrs, body: payload });
			const text = await res.text();
			let json = null;
			try { json = text.length ? JSON.parse(text) : null; } catch (e) { json = null; }
			return { status: res.status, headers: res.headers, json, text };
		},

		async login(username, password) {
			const res = await s.api('POST', '/login', { body: { username, password } });
			assertStatus(res, 200, `login ${username}`);
			const sc = res.headers.getSetCookie();
			assert.ok(sc.length >= 1, 'login should set a cookie');
			return { token: res.json.token, csrf: res.json.csrf_token, cookie: parseCookie(sc[0]), user: res.json.user, setCookie: sc };
		},

		async admin() {
			if (!s._admin)
				s._admin = await s.login(ADMIN_USER, ADMIN_PASSWORD);
			return s._admin;
		},

		cli(args, o) { return runCli(args, db.dbUrl, o); },

		// Creates an org as admin (or as `token`); returns the record.
		async createOrg({ parent_id = 1, name, level, region_code, token } = {}) {
			token = token || (await s.admin()).token;
			const body = { parent_id, name: name || uniq('单位'), level, region_code: region_code || regionCode() };
			const res = await s.api('POST', '/orgs', { token, body });
			assertStatus(res, 201, `create org ${JSON.stringify(body)}`);
			return res.json;
		},

		// city(1) → district → street1, street2
		async tree() {
			const d = await s.createOrg({ parent_id: 1, level: 'district', name: uniq('区') });
			const s1 = await s.createOrg({ parent_id: d.id, level: 'street', name: uniq('街道甲') });
			const s2 = await s.createOrg({ parent_id: d.id, level: 'street', name: uniq('街道乙') });
			return { city: 1, d: d.id, s1: s1.id, s2: s2.id };
		},

		async createUser({ username, name, password = PASSWORD, org_id = 1, role = 'staff', token } = {}) {
			token = token || (await s.admin()).token;
			const body = { username: username || uniq('u'), name: name || '测试用户', password, org_id, role };
			const res = await s.api('POST', '/users', { token, body });
			assertStatus(res, 201, `create user ${JSON.stringify(body)}`);
			return { ...res.json, password };
		},

		// Creates a user and logs in; returns the login result plus the record.
		async userSession(o = {}) {
			const u = await s.createUser(o);
			const l = await s.login(u.username, u.password);
			return { ...l, record: u };
		},

		// kill -9 of the server (crash tests); `restart()` starts it again on
		// the same database, on a new port (s.base changes).
		async crash() {
			const { child, exited, getExit } = h.run();
			if (!getExit())
				killOnPurpose(child);
			return exited;
		},
		async restart() {
			s.base = (await h.relaunch()).base;
		},

		async stop() {
			if (h.isStopped())
				return;
			h.markStopped();
			try {
				const { child, exited, getExit } = h.run();
				if (!getExit())
					child.kill('SIGTERM');
				const killer = setTimeout(() => child.kill('SIGKILL'), limit(15000));
				const info = await exited;
				clearTimeout(killer);
				const err = s.stderr();
				assert.deepEqual(info, { code: 0, signal: null }, `bangfu serve should exit 0 on SIGTERM, got ${JSON.stringify(info)}:\n${err.slice(-6000)}`);
				assertNoSanitizer(err, 'bangfu serve');
			} finally {
				h.cleanup();
			}
		},
	};
	return s;
}

// A handle on a bangfu serve that someone else started on PostgreSQL
// database dbUrl (tests/scale: two processes behind nginx): the same
// helpers as startServer's; stop() leaves the process alone.
export function attachServer({ base, dbUrl, clockFile }) {
	const none = { code: 0, signal: null };
	let stopped = false;
	return makeHandle({ initOutput: '', db: { dbUrl, sql: (stmt) => psql(dbUrl, stmt), drop: () => {} },
		dir: null, clockFile, stderrChunks: [], stdoutChunks: [], cleanup: () => {},
		markStopped: () => { stopped = true; }, isStopped: () => stopped,
		run: () => ({ base, child: null, exited: Promise.resolve(none), getExit: () => none }),
		relaunch: () => { throw new Error('attachServer: not ours to restart'); } });
}

// Runs fn(server) on a server of its own and always stops it.
export async function withServer(opts, fn) {
	if (typeof opts === 'function') {
		fn = opts;
		opts = {};
	}
	const s = await startServer(opts);
	let failed = true;
	try {
		await fn(s);
		failed = false;
	} finally {
		if (failed) {
			try { await s.stop(); } catch (e) { console.error('# also, on stop:', e.message); }
		} else {
			await s.stop();
		}
	}
}

// ISO time `minutes` after iso.
export function plusMinutes(iso, minutes) {
	return new Date(Date.parse(iso) + minutes * 60000).toISOString().replace(/\.000Z$/, 'Z');
}

export async function listAll(s, p, token) {
	const sep = p.includes('?') ? '&' : '?';
	const items = [];
	let total = null;
	for (let offset = 0; ; offset += 500) {
		const res = await s.api('GET', `${p}${sep}limit=500&offset=${offset}`, { token });
		assertStatus(res, 200, `GET ${p}`);
		assert.ok(Array.isArray(res.json.items), `GET ${p}: items must be an array: ${res.text.slice(0, 300)}`);
		assert.equal(typeof res.json.total, 'number', `GET ${p}: total must be a number`);
		total = res.json.total;
		items.push(...res.json.items);
		if (res.json.items.length === 0 || items.length >= total)
			break;
	}
	return { items, total };
}
