// PDF output (issue 5): the quarterly report, the archive card (档案卡), the
// application form (申请审批表) and the public notice list (公示名单).
//
// A small world is built through the API (aid-world: city → district D →
// streets S1, S2): two active households (A in S1 with a member, B in S2),
// two households left in the public notice (N1 in S1, N2 in S2) and one
// living-aid application of A walked to disbursement.  Every PDF is fetched
// from the real server and read back with poppler: pdftotext -layout for
// the words and figures, pdffonts for the embedded CJK font, pdftoppm for a
// page that is not blank.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { withServer, assertError, assertFieldError, assertStatus, limit } from './lib.mjs';
import { aidWorld, makeHouseholds, hhBody, auditOf } from './aid-world.mjs';
import { applyOk, trOk, openAccount, deposit, LIVING_DOCS, member } from './aid-fixture.mjs';
import { maskId } from './idgen.mjs';

const T = { timeout: limit(300000) };
const STATUSES = ['draft', 'submitted', 'verified', 'in_notice', 'approved', 'active', 'rejected', 'exited'];

// GET a file: {status, type, disposition, buf, json} (json for error answers).
async function getFile(w, p, who) {
	const res = await fetch(`${w.s.base}/api/v1${p}`, { headers: { Authorization: `Bearer ${who.token}` } });
	const buf = Buffer.from(await res.arrayBuffer());
	let json = null;
	try { json = JSON.parse(buf.toString('utf8')); } catch (e) { json = null; }
	return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'),
		buf, json, text: buf.subarray(0, 600).toString('utf8') };
}

// Fetches a PDF expecting 200 and writes it to the server's scratch dir.
let fileSeq = 0;
async function pdf(w, p, who) {
	const r = await getFile(w, p, who);
	assertStatus(r, 200, `GET ${p}`);
	assert.equal(r.type, 'application/pdf', `${p}: content type`);
	assert.match(r.disposition || '', /^inline; filename="[A-Za-z0-9-]+\.pdf"$/, `${p}: disposition`);
	assert.equal(r.buf.subarray(0, 5).toString('latin1'), '%PDF-', `${p}: a PDF`);
	const file = path.join(w.s.dir, `doc-${++fileSeq}.pdf`);
	fs.writeFileSync(file, r.buf);
	if (process.env.BANGFU_PDF_KEEP) // a directory to keep the PDFs in, for a look
		fs.copyFileSync(file, path.join(process.env.BANGFU_PDF_KEEP, `${fileSeq}-${p.split('?')[0].replace(/\W+/g, '-')}.pdf`));
	return file;
}

const pdftotext = (file) => execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
const squash = (s) => s.replace(/\s+/g, '');

// pdffonts lists at least one Noto CJK font, embedded.
function assertCjkEmbedded(file) {
	const out = execFileSync('pdffonts', [file], { encoding: 'utf8' });
	const rows = out.split('\n').filter((l) => /Noto(Sans|Serif)CJK/.test(l));
	assert.ok(rows.length > 0, `no Noto CJK font in ${file}:\n${out}`);
	for (const l of rows)
		assert.match(l, /\syes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/, `font not embedded: ${l}`);
}

// The first page at 50 dpi: a PNG of real size, and (grey map) enough dark pixels.
function assertNotBlank(file) {
	const base = file.replace(/\.pdf$/, '');
	execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', '-singlefile', file, base]);
	const png = fs.readFileSync(base + '.png');
	assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
	assert.ok(Math.abs(png.readUInt32BE(16) - 413) <= 1, 'A4 at 50 dpi is 413 pixels wide');
	execFileSync('pdftoppm', ['-gray', '-r', '50', '-f', '1', '-l', '1', '-singlefile', file, base]);
	const pgm = fs.readFileSync(base + '.pgm');
	// P5\n<w> <h>\n255\n<pixels>
	const head = pgm.subarray(0, 40).toString('latin1').split(/\s+/);
	const [wd, ht] = [Number(head[1]), Number(head[2])];
	const pixels = pgm.subarray(pgm.length - wd * ht);
	let dark = 0;
	for (const v of pixels)
		if (v < 160)
			dark++;
	assert.ok(dark > 500, `page 1 of ${file} looks blank (${dark} dark pixels of ${wd}x${ht})`);
	return dark;
}

// The figures of the row that starts with `name` (its n-th such line).
function rowNumbers(text, name, nth = 0) {
	const lines = text.split('\n').filter((l) => l.trim().startsWith(name + ' ') && /[\d%]\s*$/.test(l));
	assert.ok(lines.length > nth, `no ${nth + 1}. row of ${name} in:\n${text.slice(0, 3000)}`);
	return lines[nth].trim().slice(name.length).trim().split(/\s+/);
}

test('PDF output', T, async (t) => {
	await withServer(async (s) => {
		const w = await aidWorld(s, { label: 'pdf' });
		await w.addUser('staff2', 's2', 'staff');
		const [A, B, N1, N2] = await makeHouseholds(w, [
			// names as people have them: a cell of the notice list fits three characters, not a test id
			{ org: 's1', body: { name: '王建国', members: [member(w, { name: '小明', health: '哮喘', school_stage: 'junior' })] } },
			{ org: 's2', category: 'marginal', body: { name: '钱卫东' } },
			{ org: 's1', upto: 'in_notice', body: { name: '李秀英' } },
			{ org: 's2', upto: 'in_notice', body: { name: '赵志强' } },
		]);
		assert.equal(A.status, 'active');
		assert.equal(N1.status, 'in_notice');
		const acct = await openAccount(w, w.s1.id);
		await deposit(w, acct.id, 1000000);
		const app = await applyOk(w, { household_id: A.id, program_code: 'living', requested_fen: 30007, reason: '家属患病，生活困难', documents: LIVING_DOCS });
		await trOk(w, app.id, w.reviewer, { action: 'verify', comment: '材料齐全' });
		await trOk(w, app.id, w.approverS, { action: 'approve', comment: '同意救助' });
		await trOk(w, app.id, w.financeC, { action: 'disburse', account_id: acct.id });
		// cases received in the quarter: two in S1, one in S2 (个案 table)
		for (const [who, org] of [[w.staff, w.s1], [w.staff, w.s1], [w.staffD, w.s2]])
			assertStatus(await s.api('POST', '/cases', { token: who.token, body: { org_id: org.id, channel: 'hotline',
				category: 'wage_arrears', person_name: '孙七', subject: '讨要欠薪', description: '工地欠薪三个月' } }), 201, 'case intake');
		const period = `${w.clock.slice(0, 4)}Q${Math.floor((Number(w.clock.slice(5, 7)) - 1) / 3) + 1}`;

		await t.test('quarterly report: title, every unit row of the JSON report, charts, font, image', async () => {
			const rj = await s.api('GET', `/reports/quarterly?org_id=${w.d.id}&period=${period}`, { token: w.staffD.token });
			assertStatus(rj, 200, 'JSON report');
			const file = await pdf(w, `/reports/quarterly.pdf?org_id=${w.d.id}&period=${period}`, w.staffD);
			const text = pdftotext(file);
			const q = ['一', '二', '三', '四'][Number(period.slice(5)) - 1];
			assert.ok(squash(text).includes(squash(`${w.d.name} ${period.slice(0, 4)}年第${q}季度困难职工帮扶统计报告`)), `title missing:\n${text.slice(0, 800)}`);
			for (const h of ['一、档案户数（按期末状态）', '二、在档困难职工', '四、帮扶资金发放', '五、资金收支', '图 1', '图 3', '目标 30%'])
				assert.ok(text.includes(h), `heading ${h} missing`);
			const rows = [...rj.json.units.map((u) => [u.name, u]), ['合计', rj.json.total]];
			assert.equal(rows.length, 3);
			for (const [name, u] of rows) {
				assert.deepEqual(rowNumbers(text, name, 0).map(Number), STATUSES.map((st) => u.households.by_status[st]), `status row of ${name}`);
				const cat = rowNumbers(text, name, 1);
				assert.equal(Number(cat[0]), u.households.by_status.active, `active count of ${name}`);
				assert.equal(Number(cat[1]), u.households.by_category.dibao, `dibao count of ${name}`);
			}
			// the figures are the world's: S1 has A active and N1 in notice, S2 B and N2
			const s1 = rj.json.units.find((u) => u.org_id === w.s1.id);
			assert.equal(s1.households.by_status.active, 1);
			assert.equal(s1.households.by_status.in_notice, 1);
			assert.equal(rj.json.total.aid.by_program.living.amount_fen, 30007);
			assert.match(text, /生活救助/);
			// 个案, 就业服务, 爱心卡: headings, and each 合计 and unit row as the JSON has it
			for (const h of ['七、个案（来访与维权）', '八、就业服务', '九、爱心卡', '办结率', '追回欠薪', '培训合格', '商户让利', '十三、家庭经济状况核对', '核对发现收入或财产'])
				assert.ok(text.includes(h), `heading ${h} missing:\n${text.slice(-3000)}`);
			assert.equal(rj.json.total.cases.received, 3, 'the three cases are in the report');
			const pct = (v) => `${(v * 100).toFixed(1)}%`;
			const yuanS = (fen) => (fen / 100).toFixed(2);
			// a unit's row under a heading: its rows before the heading are the earlier tables'
			const tableNo = (heading, name) => text.slice(0, text.indexOf(heading)).split('\n')
				.filter((l) => l.trim().startsWith(name + ' ') && /[\d%]\s*$/.test(l)).length;
			for (const [name, u] of rows) {
				const c = rowNumbers(text, name, tableNo('七、个案', name));
				assert.deepEqual(c, [String(u.cases.received), String(u.cases.finished), String(u.cases.closed),
					pct(u.cases.closure_rate), yuanS(u.cases.recovered_fen)], `个案 row of ${name}`);
				const e = rowNumbers(text, name, tableNo('八、就业服务', name));
				const em = u.employment;
				assert.deepEqual(e.map(Number), [em.seekers_registered, em.referrals, em.hired, em.trainings, em.trained, em.reemployed_exits], `就业服务 row of ${name}`);
				const k = rowNumbers(text, name, tableNo('九、爱心卡', name));
				assert.deepEqual(k, [String(u.cards.issued), String(u.cards.active), String(u.cards.purchases),
					yuanS(u.cards.union_fen), yuanS(u.cards.partner_fen)], `爱心卡 row of ${name}`);
			}
			assert.equal(s1.cases.received, 2);
			assert.ok(text.includes('300.07'), 'the living aid amount in yuan');
			// RULE money.exact_files: the bars of 图 2 carry every fen of their amount (300.07, not 300.1)
			const fig2 = text.slice(text.indexOf('图 2'), text.indexOf('图 3'));
			assert.ok(fig2.length > 0 && fig2.includes('300.07'), `图 2 labels its bar 300.07:\n${fig2}`);
			assert.doesNotMatch(fig2, /(^|[^\d.])\d+\.\d(?![\d%])/m, `no amount rounded to 0.1 yuan in 图 2:\n${fig2}`);
			assertCjkEmbedded(file);
			assertNotBlank(file);
		});

		await t.test('quarterly report: errors as GET /reports/quarterly', async () => {
			assertFieldError(await getFile(w, `/reports/quarterly.pdf?org_id=${w.d.id}&period=2026Q5`, w.staffD), 'period');
			assertFieldError(await getFile(w, `/reports/quarterly.pdf?org_id=${w.d.id}`, w.staffD), 'period');
			assertError(await getFile(w, `/reports/quarterly.pdf?org_id=${w.d.id}&period=${period}`, w.staff), 404, 'not_found', 'a street user asks for the district');
			assertError(await getFile(w, `/reports/quarterly.pdf?org_id=${w.s2.id}&period=${period}`, w.staff), 404, 'not_found', 'the other street');
			const v = await getFile(w, `/reports/quarterly.pdf?org_id=${w.s1.id}&period=${period}`, w.viewer);
			assert.equal(v.status, 200, 'every role reads reports');
		});

		await t.test('archive card: facts, members masked as GET shows them, trail, visits, aid, signature boxes; in full with a reason, audited', async () => {
			const reveals = async () => (await auditOf(w, 'household', A.id)).filter((a) => a.action === 'reveal').length;
			const before = await reveals();
			const masked = pdftotext(await pdf(w, `/households/${A.id}/card.pdf`, w.staff));
			assert.ok(masked.includes(maskId(A.id_number)) && !masked.includes(A.id_number), 'masked by default');
			assert.ok(masked.includes(maskId(A.members[0].id_number)) && !masked.includes(A.members[0].id_number), 'members masked');
			assert.equal(await reveals(), before, 'a masked card writes nothing');
			const file = await pdf(w, `/households/${A.id}/card.pdf?reveal_reason=${encodeURIComponent('档案核对')}`, w.staff);
			const text = pdftotext(file);
			const flat = squash(text);
			for (const h of ['困难职工档案卡', '一、基本情况', '二、家庭成员', '三、审批流程', '四、最近走访', '五、结对帮扶', '六、已获帮扶', '填表人', '审核人', '签字：'])
				assert.ok(text.includes(h), `${h} missing`);
			assert.ok(A.archive_no && text.includes(A.archive_no), 'archive number');
			assert.ok(flat.includes(A.name) && text.includes(A.id_number), 'head of household with the full ID number');
			const m = A.members[0];
			assert.ok(text.includes('小明') && text.includes(m.id_number), 'member with full ID');
			for (const word of ['子女', '哮喘', '初中', '在档', '低保', '某某纺织厂', '收入低', '入户核查', '生活救助', '300.07', '录入', '公示'])
				assert.ok(text.includes(word), `${word} missing on the card`);
			assert.equal(await reveals(), before + 1, 'the full card is audited as a reveal');
			assertCjkEmbedded(file);
			assertNotBlank(file);
			assertError(await getFile(w, `/households/${A.id}/card.pdf`, w.staff2), 404, 'not_found', 'a household of another street');
			assertError(await getFile(w, '/households/999999/card.pdf', w.staff), 404, 'not_found', 'no such household');
		});

		await t.test('application form: facts, amounts, eligibility snapshot, filled signature boxes, masked ID', async () => {
			const file = await pdf(w, `/applications/${app.id}/form.pdf`, w.staff);
			const text = pdftotext(file);
			for (const h of ['困难职工帮扶救助申请审批表', '申请人签字', '基层工会意见', '审核意见', '审批意见', '盖章', '日期', '资格核对'])
				assert.ok(text.includes(h), `${h} missing`);
			assert.ok(squash(text).includes(A.name), 'applicant');
			assert.ok(text.includes(maskId(A.id_number)), 'masked ID number');
			assert.ok(!text.includes(A.id_number), 'no full ID number on the form');
			for (const word of ['生活救助', '300.07', '家属患病，生活困难', '材料齐全', '同意救助', 'reviewer用户', 'approverS用户', '救助申请书', '已发放', '须为在档困难职工'])
				assert.ok(text.includes(word), `${word} missing on the form`);
			assertCjkEmbedded(file);
			assertNotBlank(file);
			assertError(await getFile(w, `/applications/${app.id}/form.pdf`, w.staff2), 404, 'not_found', 'application of another street');
		});

		await t.test('notice list: households in notice of the subtree, masked IDs always, notice period, contact', async () => {
			const contact = '区总工会帮扶中心 电话 0571-87654321';
			const file = await pdf(w, `/households/notice.pdf?org_id=${w.d.id}&contact=${encodeURIComponent(contact)}`, w.admin);
			const text = pdftotext(file);
			const flat = squash(text);
			for (const h of ['困难职工建档公示名单', '异议受理', w.d.name, contact])
				assert.ok(text.includes(h), `${h} missing`);
			for (const h of [N1, N2]) {
				assert.ok(flat.includes(h.name), `${h.name} listed`);
				assert.ok(text.includes(maskId(h.id_number)), `masked ID of ${h.name}`);
				assert.ok(!text.includes(h.id_number), `full ID of ${h.name} must not appear, even for an admin`);
				const ev = await s.api('GET', `/households/${h.id}/events`, { token: w.admin.token });
				const pub = ev.json.items.filter((e) => e.action === 'publish').at(-1);
				// the period cell wraps: "<start> 至" on one line, "<end>" below
				assert.ok(text.includes(`${pub.at.slice(0, 10)} 至`), `notice start of ${h.name}`);
				assert.ok(h.notice_end > pub.at.slice(0, 10) && text.includes(h.notice_end), `notice end of ${h.name}`);
			}
			for (const h of [A, B])
				assert.ok(!flat.includes(h.name), `${h.name} is not in notice`);
			assertCjkEmbedded(file);
			assertNotBlank(file);

			// a street's staff: only its own subtree
			const own = pdftotext(await pdf(w, '/households/notice.pdf', w.staff));
			assert.ok(squash(own).includes(N1.name) && !squash(own).includes(N2.name), 'S1 staff sees S1 only');
			assertError(await getFile(w, `/households/notice.pdf?org_id=${w.d.id}`, w.staff), 404, 'not_found', 'district list for a street user');
			for (const who of ['viewer', 'financeC', 'approverD'])
				assertError(await getFile(w, '/households/notice.pdf', w[who]), 403, 'forbidden', `${who} prints the notice`);
			assertFieldError(await getFile(w, `/households/notice.pdf?contact=${'电'.repeat(201)}`, w.staff), 'contact');
			assertFieldError(await getFile(w, '/households/notice.pdf?contact=%FF%FE', w.staff), 'contact');
		});
	});
});
