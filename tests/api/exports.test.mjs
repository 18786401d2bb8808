// Excel exports (issue 5): GET /reports/quarterly.xlsx, /households.xlsx,
// /applications.xlsx, /imports/households/template.xlsx, and the CLI's
// `report quarterly` and `export households`.
//
// The demo city (init --demo) gives every section of the report figures
// that are not zero.  Every workbook is re-read by tests/api/xlsx_read.py
// (Python's zipfile + xml.etree: a reader independent of bangfu) and every
// cell is compared with the JSON answer of the same request.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { withServer, assertError, assertFieldError, listAll, REPO, ADMIN_USER, ADMIN_PASSWORD, limit } from './lib.mjs';
import { people } from './idgen.mjs';

const READER = path.join(REPO, 'tests/api/xlsx_read.py');
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const T = { timeout: limit(600000) };

const STATUS_LABEL = { draft: '草稿', submitted: '待审核', verified: '已审核', in_notice: '公示中',
	approved: '已审批', active: '在档', rejected: '已退回', exited: '已退出' };
const CATEGORY_LABEL = { dibao: '低保户', marginal: '低保边缘户', accident: '意外致困户', none: '一般困难' };
const CAUSE_LABEL = { illness_self: '本人患病', illness_family: '家属患病', disability_self: '本人残疾',
	disability_family: '家属残疾', education: '子女就学', unemployment: '失业', low_income: '收入低',
	single_parent: '单亲', accident: '意外事故', disaster: '自然灾害', work_injury: '工伤', other: '其他' };

// --- reading workbooks ---------------------------------------------------------

function readXlsx(file) {
	const r = spawnSync('python3', [READER, file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
	assert.equal(r.status, 0, `xlsx_read ${file}: ${r.stderr}`);
	return JSON.parse(r.stdout);
}

function colName(i) {
	let n = '';
	for (i += 1; i; i = Math.floor((i - 1) / 26))
		n = String.fromCharCode(65 + ((i - 1) % 26)) + n;
	return n;
}
const cellOf = (sheet, col, row) => sheet.cells[`${colName(col)}${row}`];
const val = (sheet, col, row) => cellOf(sheet, col, row)?.v;

// Downloads a file; answers {status, headers, buf, json}.  A GET is tried
// once more when the kept-alive connection was closed under it (the CLI
// steps can leave it idle past the server's connection timeout).
async function download(s, p, token) {
	const get = () => fetch(`${s.base}/api/v1${p}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
	let res;
	try {
		res = await get();
	} catch (e) {
		if (!/ECONNRESET|UND_ERR_SOCKET|other side closed/.test(`${e.cause?.code} ${e.cause?.message}`))
			throw e;
		res = await get();
	}
	const buf = Buffer.from(await res.arrayBuffer());
	let json = null;
	try { json = JSON.parse(buf.toString('utf8')); } catch (e) { json = null; }
	return { status: res.status, headers: res.headers, buf, json, text: buf.toString('utf8') };
}

async function workbook(s, p, token, name) {
	const r = await download(s, p, token);
	assert.equal(r.status, 200, `GET ${p}: ${r.text.slice(0, 300)}`);
	assert.equal(r.headers.get('content-type'), XLSX_TYPE);
	assert.match(r.headers.get('content-disposition'), /^attachment; filename="[^"]+\.xlsx"; filename\*=UTF-8''/);
	const file = path.join(s.dir, name);
	fs.writeFileSync(file, r.buf);
	return { file, wb: readXlsx(file) };
}

// --- the report layout, written out here from API.md and the issue ------------------

const get = (o, keys) => keys.reduce((v, k) => (v == null ? undefined : v[k]), o);

// The case, employment and card columns: [key, kind, header] (API.md, issue 7 and the jobs issue).
const CASE_COLS = [['received', 'cnt', '受理'], ['finished', 'cnt', '办结'], ['closed', 'cnt', '结案'],
	['closure_rate', 'rate', '办结率'], ['recovered_fen', 'fen', '追回欠薪（元）']];
const EMPLOYMENT_COLS = [['seekers_registered', 'cnt', '登记求职人数'], ['referrals', 'cnt', '推荐就业人次'],
	['hired', 'cnt', '推荐成功（录用）'], ['trainings', 'cnt', '开班培训期数'], ['trained', 'cnt', '培训合格人数'],
	['reemployed_exits', 'cnt', '再就业退出户数']];
const CARD_COLS = [['issued', 'cnt', '本期发卡'], ['active', 'cnt', '期末有效卡'], ['purchases', 'cnt', '消费笔数'],
	['union_fen', 'fen', '工会承担（元）'], ['partner_fen', 'fen', '商户让利（元）']];
// API.md "Found early": clues and emergency aid (issue 26)
const CLUE_COLS = [['received', 'cnt', '收到线索'], ['resolved', 'cnt', '已处理'], ['on_time', 'cnt', '按时处理'],
	['archived', 'cnt', '转为建档']];
const EMERGENCY_COLS = [['count', 'cnt', '发放笔数'], ['amount_fen', 'fen', '发放金额（元）'], ['archived_after', 'cnt', '跟进后建档']];
const MUTUAL_COLS = [['enrolled', 'cnt'], ['premium_fen', 'fen'], ['claims', 'cnt'], ['paid', 'cnt'], ['paid_fen', 'fen'], ['open', 'cnt']];

// The columns of each sheet for a report: [path, kind] with kind cnt | fen | rate | yesno.
function expectedSheets(rep) {
	const t = rep.total;
	const flat = (obj, known) => {
		const cols = known.filter(([k]) => k in t[obj]).map(([k, kind]) => [[obj, k], kind]);
		for (const [k, v] of Object.entries(t[obj]))
			if (!known.some(([kk]) => kk === k) && typeof v === 'number')
				cols.push([[obj, k], k.endsWith('_fen') ? 'fen' : (k.endsWith('_rate') || k.endsWith('ratio') || !Number.isInteger(v)) ? 'rate' : 'cnt']);
		return cols;
	};
	return [
		['户数与类别', [
			...Object.keys(t.households.by_status).map((k) => [['households', 'by_status', k], 'cnt']),
			...Object.keys(t.households.by_category).map((k) => [['households', 'by_category', k], 'cnt']),
			...Object.keys(t.households.by_cause).map((k) => [['households', 'by_cause', k], 'cnt'])]],
		['新增与退出', [[['households', 'new'], 'cnt'], [['households', 'exited'], 'cnt'],
			[['households', 'exited_ytd'], 'cnt'], [['households', 'active'], 'cnt'],
			[['households', 'exit_rate_ytd'], 'rate'], [['households', 'exit_target_met'], 'yesno']]],
		['帮扶项目', [
			...Object.keys(t.aid.by_program).flatMap((c) => [[['aid', 'by_program', c, 'count'], 'cnt'],
				[['aid', 'by_program', c, 'amount_fen'], 'fen']]),
			[['aid', 'count'], 'cnt'], [['aid', 'amount_fen'], 'fen']]],
		['资金', [[['funds', 'in_fen'], 'fen'], [['funds', 'out_fen'], 'fen'], [['funds', 'balance_fen'], 'fen']]],
		['走访与案件', [[['visits'], 'cnt'],
			...flat('condolence', [['covered', 'cnt'], ['active', 'cnt'], ['ratio', 'rate']]),
			...flat('cases', CASE_COLS.map(([k, kind]) => [k, kind])),
			...flat('checks', [['requested', 'cnt'], ['found', 'cnt']])]],
		['逾期事项', flat('overdue', [['applications', 'cnt'], ['reviews', 'cnt'], ['cases', 'cnt']])],
		['就业服务', flat('employment', EMPLOYMENT_COLS)],
		['爱心卡', flat('cards', CARD_COLS)],
		['线索与临时救助', [...flat('clues', CLUE_COLS), ...flat('emergency', EMERGENCY_COLS),
			[['households', 'monitoring'], 'cnt'], [['households', 'reopened'], 'cnt']]],
		['互助保障', [...flat('mutual_aid', MUTUAL_COLS),
			...Object.keys(t.households.by_primary_aid).map((k) => [['households', 'by_primary_aid', k], 'cnt'])]],
		['活动与外联', [[['outreach', 'activities'], 'cnt'], [['outreach', 'attendance'], 'cnt'],
			[['outreach', 'referrals', 'made'], 'cnt'], [['outreach', 'referrals', 'granted'], 'cnt'],
			[['outreach', 'projects', 'count'], 'cnt'], [['outreach', 'projects', 'funded_fen'], 'fen']]],
	];
}

const shown = (v, kind) => (kind === 'fen' ? v / 100 : kind === 'yesno' ? (v ? '是' : '否') : v);

// RULE money.exact_files: a money cell's number, as written in the file, is
// the exact yuan of its fen (726.07, never 726.0700000000001; trailing
// zeros may go).  Compared as text: 726.0700000000001 reads back as the
// same double as 726.07, so only the text tells them apart.
function yuanText(fen) {
	const a = Math.abs(fen);
	return `${fen < 0 ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`.replace(/\.?0+$/, '');
}
function assertExactYuan(cell, fen, what) {
	assert.ok(cell && typeof cell.text === 'string', `${what}: a number cell`);
	assert.equal(cell.text, yuanText(fen), `${what}: ${fen} fen written as ${cell.text}`);
}
const near = (a, b, what) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} ≠ ${b}`);

// Every cell of every sheet of the report workbook against the JSON report.
function checkReport(wb, rep, orgName, quarterText) {
	const sheets = expectedSheets(rep);
	assert.deepEqual(wb.sheets.map((x) => x.name), sheets.map(([n]) => n), 'one sheet per section');
	const first = 5, own = first + rep.units.length, sum = own + 1;
	for (const [name, cols] of sheets) {
		const sh = wb.sheets.find((x) => x.name === name);
		const at = (c, r) => `${name}!${colName(c)}${r}`;
		assert.equal(val(sh, 0, 1), `${orgName} ${quarterText}困难职工帮扶统计表`, `${name} title`);
		assert.match(val(sh, 0, 2), new RegExp(`${rep.from} 至 ${rep.to}.*金额单位：元`));
		assert.deepEqual(sh.pane && [sh.pane.xSplit, sh.pane.ySplit, sh.pane.state], ['1', '4', 'frozen'], `${name}: frozen header`);
		assert.ok(sh.cols.length > 0 && sh.cols.every((c) => c.width >= 8), `${name}: column widths set`);
		assert.equal(val(sh, 0, 3), '单位');
		assert.equal(val(sh, cols.length + 1, 4), undefined, `${name}: no column beyond the report's`);
		rep.units.forEach((u, i) => {
			assert.equal(val(sh, 0, first + i), u.name, at(0, first + i));
			cols.forEach(([p, kind], c) => {
				const cell = cellOf(sh, c + 1, first + i);
				assert.ok(cell, `${at(c + 1, first + i)} present`);
				if (kind === 'yesno')
					assert.equal(cell.v, shown(get(u, p), kind), at(c + 1, first + i));
				else
					near(cell.v, shown(get(u, p), kind), `${at(c + 1, first + i)} (${p.join('.')})`);
				if (kind === 'fen')
					assertExactYuan(cell, get(u, p), `${at(c + 1, first + i)} (${p.join('.')})`);
				assert.equal(cell.f, null, `${at(c + 1, first + i)} is a value`);
			});
		});
		assert.equal(val(sh, 0, own), '本级');
		assert.equal(val(sh, 0, sum), '合计');
		cols.forEach(([p, kind], c) => {
			const total = get(rep.total, p);
			const cell = cellOf(sh, c + 1, sum);
			if (kind === 'yesno')
				assert.equal(cell.v, shown(total, kind), at(c + 1, sum));
			else
				near(cell.v, shown(total, kind), `${at(c + 1, sum)} cached total (${p.join('.')})`);
			if (kind === 'fen')
				assertExactYuan(cell, total, `${at(c + 1, sum)} cached total (${p.join('.')})`);
			if (kind === 'cnt' || kind === 'fen') {
				const L = colName(c + 1);
				assert.equal(cell.f, `SUM(${L}${first}:${L}${own})`, `${at(c + 1, sum)} formula`);
				const ownV = total - rep.units.reduce((a, u) => a + get(u, p), 0);
				near(val(sh, c + 1, own), shown(ownV, kind), `${at(c + 1, own)} 本级 = total − units`);
				if (kind === 'fen')
					assertExactYuan(cellOf(sh, c + 1, own), ownV, `${at(c + 1, own)} 本级`);
				// the formula's own arithmetic gives the total
				let s = 0;
				for (let r = first; r <= own; r++)
					s += val(sh, c + 1, r);
				near(s, shown(total, kind), `${at(c + 1, sum)} SUM of the rows`);
			}
			if (kind === 'rate' && cell.f !== null)
				assert.match(cell.f, /^IF\(.+ROUND\(.+,4\),0\)$/, `${at(c + 1, sum)} rate formula`);
		});
	}
	const rate = wb.sheets.find((x) => x.name === '新增与退出');
	assert.match(cellOf(rate, 5, sum).f, /^IF\(/, 'the total exit rate is a formula');
	// every case, employment and card figure is there under its Chinese header
	const headerOf = (name, obj, key) => {
		const cols = sheets.find(([n]) => n === name)[1];
		const c = cols.findIndex(([p]) => p[0] === obj && p[1] === key);
		assert.ok(c >= 0, `${name} has a column for ${obj}.${key}`);
		return [wb.sheets.find((x) => x.name === name), c + 1];
	};
	for (const [obj, name, cols] of [['cases', '走访与案件', CASE_COLS], ['employment', '就业服务', EMPLOYMENT_COLS], ['cards', '爱心卡', CARD_COLS],
		['clues', '线索与临时救助', CLUE_COLS]])
		for (const [k, , head] of cols) {
			const [sh, c] = headerOf(name, obj, k);
			assert.equal(val(sh, c, ['走访与案件', '线索与临时救助'].includes(name) ? 4 : 3), head, `${name} header of ${obj}.${k}`);
		}
	const [ov, oc] = headerOf('逾期事项', 'overdue', 'cases');
	assert.equal(val(ov, oc, 3), '逾期未办结的个案');
	// 办结率: 本级 from its own counts, 合计 = ROUND(办结/受理, 4) over the 合计 row
	const [vs, rc] = headerOf('走访与案件', 'cases', 'closure_rate');
	const [, fc] = headerOf('走访与案件', 'cases', 'finished'), [, qc] = headerOf('走访与案件', 'cases', 'received');
	const F = `${colName(fc)}${sum}`, Q = `${colName(qc)}${sum}`;
	assert.equal(cellOf(vs, rc, sum).f, `IF(${Q}>0,ROUND(${F}/${Q},4),0)`, '办结率 total formula');
	const ownQ = val(vs, qc, own), ownF = val(vs, fc, own);
	near(val(vs, rc, own), ownQ > 0 ? Math.round(ownF * 10000 / ownQ) / 10000 : 0, '本级 办结率 from its counts');
	rep.units.forEach((u, i) => near(val(vs, rc, first + i), u.cases.closure_rate, `${u.name} 办结率`));
}

function quarterText(period) {
	return `${period.slice(0, 4)}年第${'一二三四'[Number(period[5]) - 1]}季度`;
}

// --- lists --------------------------------------------------------------------------

// Data rows of a list sheet (title, filter line, header, rows) as objects by header.
function listRows(sheet) {
	const headers = [];
	for (let c = 0; val(sheet, c, 3) !== undefined; c++)
		headers.push(val(sheet, c, 3));
	const rows = [];
	for (let r = 4; Object.keys(sheet.cells).some((k) => k.replace(/^[A-Z]+/, '') === String(r)); r++) {
		const o = {};
		headers.forEach((h, c) => { o[h] = val(sheet, c, r); });
		rows.push(o);
	}
	return { headers, rows };
}

const yuan = (fen) => (fen == null ? undefined : fen / 100);

function expectHousehold(h) {
	return {
		档案ID: h.id, 档案编号: h.archive_no ?? undefined, 姓名: h.name, 身份证号: h.id_number,
		性别: { male: '男', female: '女' }[h.gender], 年龄: h.age, 联系电话: h.phone ?? undefined,
		所属单位: h.org_name, 档案状态: STATUS_LABEL[h.status], 困难类别: h.category ? CATEGORY_LABEL[h.category] : undefined,
		建议类别: h.suggested_category ? CATEGORY_LABEL[h.suggested_category] : undefined,
		致困原因: h.causes.map((c) => CAUSE_LABEL[c]).join('、'), 家庭人口: h.household_size,
		'人均月收入（元）': yuan(h.per_capita_income_fen), 公示截止: h.notice_end ?? undefined,
		下次复核日期: h.next_review_date ?? undefined, 建议解困: h.exit_suggested ? '是' : '否',
	};
}

// --- the tests -----------------------------------------------------------------------

test('exports: the quarterly report, lists, the import template and the CLI, as workbooks', T, async () => {
	await withServer({ demo: true }, async (s) => {
		try {
			await exportsWorld(s);
		} catch (e) {
			// say why a request failed and what the server was doing
			e.message += `\ncause: ${e.cause?.code || ''} ${e.cause?.message || ''}\nserver log:\n${s.stderr().split('\n').slice(-15).join('\n')}`;
			throw e;
		}
	});
});

async function exportsWorld(s) {
	const adm = await s.login(ADMIN_USER, ADMIN_PASSWORD);
	const users = (await listAll(s, '/users', adm.token)).items;
	const orgs = (await listAll(s, '/orgs', adm.token)).items;
	const district = orgs.find((o) => o.level === 'district');
	const other = orgs.find((o) => o.level === 'district' && o.id !== district.id);
	const dUser = users.find((u) => u.org_id === district.id && u.role === 'viewer') ||
		users.find((u) => u.org_id === district.id);
	const du = await s.login(dUser.username, 'Demo2026pass');

	// 1. the city's report: every cell of every sheet against the JSON
	// the demo dates its aid and money from the day it is built: take the
	// quarter of today or the one before, whichever paid out more
	let period, rep;
	for (const d of [new Date(), new Date(Date.now() - 92 * 86400000)]) {
		const p = `${d.getUTCFullYear()}Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
		const jr = await s.api('GET', `/reports/quarterly?org_id=1&period=${p}`, { token: adm.token });
		assert.equal(jr.status, 200, jr.text);
		if (!rep || jr.json.total.aid.count > rep.total.aid.count)
			[period, rep] = [p, jr.json];
	}
	assert.ok(rep.units.length >= 4, 'the demo city has districts');
	assert.ok(rep.total.households.new > 0 && rep.total.aid.count > 0 && rep.total.visits > 0 &&
		rep.total.funds.in_fen + rep.total.funds.out_fen > 0,
		`a report with figures: ${JSON.stringify(rep.total).slice(0, 300)}`);
	const city = orgs.find((o) => o.id === 1);
	const { wb: cityWb, file: cityFile } = await workbook(s, `/reports/quarterly.xlsx?org_id=1&period=${period}`, adm.token, 'city.xlsx');
	checkReport(cityWb, rep, city.name, quarterText(period));
	// programme names in the group header, money headers say 元
	const aidSheet = cityWb.sheets.find((x) => x.name === '帮扶项目');
	const progs = (await s.api('GET', '/programs', { token: adm.token })).json.items;
	Object.keys(rep.total.aid.by_program).forEach((code, i) =>
		assert.equal(val(aidSheet, 1 + 2 * i, 3), progs.find((x) => x.code === code).name, `programme ${code} named`));
	assert.equal(val(aidSheet, 2, 4), '金额（元）');
	assert.equal(val(cityWb.sheets.find((x) => x.name === '资金'), 1, 3), '本期收入（元）');

	// a district user's own report (org_id defaults to the caller's unit)
	const jd = await s.api('GET', `/reports/quarterly?period=${period}`, { token: du.token });
	assert.equal(jd.status, 200, jd.text);
	assert.equal(jd.json.org_id, district.id);
	const { wb: dWb } = await workbook(s, `/reports/quarterly.xlsx?period=${period}`, du.token, 'district.xlsx');
	checkReport(dWb, jd.json, district.name, quarterText(period));

	// 2. errors as GET /reports/quarterly: out of scope 404, bad period 422, no login 401
	for (const p of [`/reports/quarterly?org_id=1&period=${period}`, `/reports/quarterly?org_id=${other.id}&period=${period}`]) {
		assertError(await s.api('GET', p, { token: du.token }), 404, 'not_found', p);
		assertError(await download(s, p.replace('quarterly?', 'quarterly.xlsx?'), du.token), 404, 'not_found', `${p} as xlsx`);
	}
	for (const bad of ['2026Q5', '2026q1', '', '26Q1'])
		assertFieldError(await download(s, `/reports/quarterly.xlsx?org_id=1&period=${bad}`, adm.token), 'period', { what: bad });
	assertError(await download(s, `/reports/quarterly.xlsx?org_id=1&period=${period}`), 401, 'unauthenticated');
	assertError(await download(s, '/households.xlsx'), 401, 'unauthenticated');
	assertError(await download(s, '/imports/households/template.xlsx'), 401, 'unauthenticated');
	assertError(await download(s, `/households.xlsx?org_id=${other.id}`, du.token), 404, 'not_found');
	assertFieldError(await download(s, '/households.xlsx?status=nonsense', adm.token), 'status');

	// 3. the household list with its filters: the same rows as the JSON list, masked
	for (const [q, who] of [[`?org_id=${district.id}&status=active`, adm], ['?category=dibao', du], ['?q=%E7%8E%8B', adm]]) {
		const json = await listAll(s, `/households${q}`, who.token);
		assert.ok(json.total > 0, `households${q} has rows`);
		const { wb } = await workbook(s, `/households.xlsx${q}`, who.token, 'hh.xlsx');
		assert.equal(wb.sheets.length, 1);
		const sh = wb.sheets[0];
		assert.deepEqual(sh.pane && [sh.pane.xSplit ?? null, sh.pane.ySplit, sh.pane.state], [null, '3', 'frozen']);
		const { rows, headers } = listRows(sh);
		assert.equal(rows.length, json.total, `every row of households${q}, not a page`);
		rows.forEach((r, i) => assert.deepEqual(r, expectHousehold(json.items[i]), `households${q} row ${i + 1}`));
		const ic = headers.indexOf('人均月收入（元）');
		let noisy = 0; // incomes whose 16-digit text is not their yuan (what libxlsxwriter alone writes)
		json.items.forEach((h, i) => {
			if (h.per_capita_income_fen == null)
				return;
			assertExactYuan(cellOf(sh, ic, 4 + i), h.per_capita_income_fen, `households${q} row ${i + 1} income`);
			noisy += (h.per_capita_income_fen / 100).toPrecision(16).replace(/\.?0+$/, '') !== yuanText(h.per_capita_income_fen);
		});
		if (q.startsWith('?org_id'))
			assert.ok(noisy > 0, 'the list has incomes that "%.16G" would not write exactly (726.07 → 726.0700000000001)');
		for (const r of rows) {
			assert.match(r.身份证号, /^\d{6}\*{8}[\dX]{4}$/, 'ID numbers masked');
			assert.ok(r.联系电话 === undefined || /^\d{3}\*{4}\d{4}$/.test(r.联系电话), 'phones masked');
		}
	}

	// 4. the application list with its filters
	for (const q of ['?status=disbursed', '?program_code=living', '?overdue=true']) {
		const json = await listAll(s, `/applications${q}`, adm.token);
		const { wb } = await workbook(s, `/applications.xlsx${q}`, adm.token, 'apps.xlsx');
		const { rows, headers } = listRows(wb.sheets[0]);
		assert.equal(rows.length, json.total, `every row of applications${q}`);
		json.items.forEach((a, i) => {
			for (const [head, key] of [['申请金额（元）', 'requested_fen'], ['批准金额（元）', 'approved_fen'],
				['发放金额（元）', 'disbursed_fen'], ['退回金额（元）', 'refunded_fen']])
				if (a[key] != null)
					assertExactYuan(cellOf(wb.sheets[0], headers.indexOf(head), 4 + i), a[key], `applications${q} row ${i + 1} ${head}`);
		});
		rows.forEach((r, i) => {
			const a = json.items[i];
			assert.equal(r.申请编号, a.id, `applications${q} row ${i + 1} in the list's order`);
			assert.equal(r.户主姓名, a.household_name);
			assert.equal(r['申请金额（元）'], yuan(a.requested_fen));
			assert.equal(r['发放金额（元）'], yuan(a.disbursed_fen));
			assert.equal(r.是否逾期, a.overdue ? '是' : '否');
		});
		if (q === '?status=disbursed')
			assert.ok(rows.length > 0 && rows.every((r) => r.状态 === '已发放'), 'status as its Chinese label');
		if (q === '?program_code=living')
			assert.ok(rows.length > 0 && rows.every((r) => r.帮扶项目 === '生活救助'), 'programme by name');
	}

	// 5. the import template: headers, drop-downs, 填表说明; filled in, it imports
	const { wb: tpl, file: tplFile } = await workbook(s, '/imports/households/template.xlsx', adm.token, 'tpl.xlsx');
	assert.deepEqual(tpl.sheets.map((x) => x.name), ['普查表', '填表说明']);
	const HEAD = ['户主身份证号', '姓名', '身份证号', '与户主关系', '月收入(元)', '健康状况', '就学阶段',
		'联系电话', '工作单位', '家庭住址', '致困原因'];
	assert.deepEqual(HEAD.map((_, c) => val(tpl.sheets[0], c, 1)), HEAD);
	const dv = Object.fromEntries(tpl.sheets[0].validations.map((d) => [val(tpl.sheets[0], d.sqref.charCodeAt(0) - 65, 1), d]));
	assert.deepEqual(dv['与户主关系'].list, ['本人', '配偶', '子女', '父母', '兄弟姐妹', '祖父母', '孙子女', '其他']);
	assert.deepEqual(dv['就学阶段'].list, ['无', '学前', '小学', '初中', '高中', '中职', '大学']);
	assert.equal(dv['与户主关系'].errorStyle, 'stop');
	assert.ok(dv['健康状况'].list.includes('慢性病'));
	assert.equal(dv['健康状况'].errorStyle, 'information', 'health is free text with suggestions');
	const help = tpl.sheets[1];
	for (const h of HEAD)
		assert.ok(Object.values(help.cells).some((c) => c.v === h), `填表说明 explains ${h}`);
	const street = orgs.find((o) => o.level === 'street');
	const post = (file, dry) => s.api('POST', `/imports/households?org_id=${street.id}&dry_run=${dry}`,
		{ token: adm.token, rawBody: fs.readFileSync(file), contentType: XLSX_TYPE });
	const asIs = await post(tplFile, true);
	assert.equal(asIs.status, 200, `the template's example imports: ${asIs.text}`);
	assert.deepEqual([asIs.json.households, asIs.json.people], [1, 3]);
	const p = people('exports', '330106');
	const rows = [];
	for (let i = 0; i < 3; i++) {
		const head = p.male();
		rows.push([head, `导出测试${i}`, head, '本人', '1200.5', '健康', '无', '13900001111', '某厂', '某路 1 号', '失业、收入低']);
		rows.push([head, `家属${i}`, p.female(), '配偶', '0', '慢性病', '', '', '', '', '']);
	}
	const filled = path.join(s.dir, 'filled.xlsx');
	const f = spawnSync('python3', [READER, '--fill', tplFile, filled], { input: JSON.stringify(rows), encoding: 'utf8' });
	assert.equal(f.status, 0, f.stderr);
	const dry = await post(filled, true);
	assert.equal(dry.status, 200, dry.text);
	assert.deepEqual([dry.json.dry_run, dry.json.households, dry.json.people, dry.json.errors], [true, 3, 6, []]);
	rows[1][3] = '妻子'; // not in the drop-down: the import refuses it by row
	spawnSync('python3', [READER, '--fill', tplFile, filled], { input: JSON.stringify(rows), encoding: 'utf8' });
	const bad = await post(filled, true);
	assert.equal(bad.status, 422, bad.text);
	assert.deepEqual(bad.json.error.details.errors.map((e) => [e.row, e.column]), [[3, '与户主关系']]);

	// 6. the CLI writes the same workbook and the same JSON
	const cliX = path.join(s.dir, 'cli-report.xlsx'), cliJ = path.join(s.dir, 'cli-report.json');
	let r = s.cli(['report', 'quarterly', '--org-id', '1', '--period', period, '--format', 'xlsx', '-o', cliX]);
	assert.equal(r.code, 0, r.stderr);
	assert.deepEqual(readXlsx(cliX), readXlsx(cityFile), 'CLI and HTTP workbooks hold the same cells');
	r = s.cli(['report', 'quarterly', '--org-id', '1', '--period', period, '--format', 'json', '-o', cliJ]);
	assert.equal(r.code, 0, r.stderr);
	assert.deepEqual(JSON.parse(fs.readFileSync(cliJ, 'utf8')), rep);
	const cliP = path.join(s.dir, 'r.pdf');
	r = s.cli(['report', 'quarterly', '--org-id', '1', '--period', period, '--format', 'pdf', '-o', cliP]);
	assert.equal(r.code, 0, r.stderr);
	const pdfText = spawnSync('pdftotext', ['-layout', cliP, '-'], { encoding: 'utf8' });
	assert.equal(pdfText.status, 0, pdfText.stderr);
	assert.match(pdfText.stdout, /困难职工帮扶统计报告/, 'the CLI writes the quarterly report as PDF');
	r = s.cli(['report', 'quarterly', '--org-id', '1', '--period', '2026Q7', '--format', 'xlsx', '-o', cliX]);
	assert.equal(r.code, 2, 'a bad period is a usage error');
	assert.match(r.stderr, /统计期/);
	assert.deepEqual(readXlsx(cliX), readXlsx(cityFile), 'a failed run leaves the old file alone');
	r = s.cli(['report', 'quarterly', '--org-id', '999999', '--period', period, '--format', 'json', '-o', cliJ]);
	assert.equal(r.code, 1, 'no such unit');
	assert.deepEqual(JSON.parse(fs.readFileSync(cliJ, 'utf8')), rep, 'and the old file is kept');

	const q = `?org_id=${district.id}&status=active`;
	const { file: httpHh } = await workbook(s, `/households.xlsx${q}`, adm.token, 'hh-http.xlsx');
	const cliHh = path.join(s.dir, 'cli-hh.xlsx'), cliCsv = path.join(s.dir, 'cli-hh.csv');
	r = s.cli(['export', 'households', '--org-id', String(district.id), '--status', 'active', '-o', cliHh, '--clock-file', s.clockFile]);
	assert.equal(r.code, 0, r.stderr);
	const a = listRows(readXlsx(cliHh).sheets[0]), b = listRows(readXlsx(httpHh).sheets[0]);
	assert.deepEqual(a, b, 'CLI export = GET /households.xlsx with the same filters');
	r = s.cli(['export', 'households', '--org-id', String(district.id), '--status', 'active', '--format', 'csv', '-o', cliCsv, '--clock-file', s.clockFile]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, new RegExp(`已导出 ${b.rows.length} 户`));
	const csv = fs.readFileSync(cliCsv);
	assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'CSV starts with a BOM');
	const lines = csv.toString('utf8').slice(1).trim().split('\r\n');
	assert.equal(lines[0], b.headers.join(','));
	assert.equal(lines.length - 1, b.rows.length);
	const firstRow = lines[1].split(',');
	assert.equal(Number(firstRow[0]), b.rows[0].档案ID);
	assert.equal(firstRow[3], b.rows[0].身份证号, 'masked in CSV too');
	assert.equal(firstRow[13], b.rows[0]['人均月收入（元）'].toFixed(2), 'yuan with two decimals');
	r = s.cli(['export', 'households', '--org-id', String(district.id), '--status', 'bogus', '-o', cliCsv]);
	assert.equal(r.code, 1, r.stderr);
	assert.ok(fs.readFileSync(cliCsv).equals(csv), 'a refused export leaves the old file alone');
	r = s.cli(['export', 'households', '--org-id', String(district.id), '--format', 'pdf', '-o', cliCsv]);
	assert.equal(r.code, 2);
}
