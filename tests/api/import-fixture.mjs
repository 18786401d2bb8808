// import-fixture.mjs — census files for the import tests: rows of valid
// households, CSV, XLSX (python3 zipfile), GB18030, and the upload helpers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { assertError, assertStatus } from './lib.mjs';
import { idNumber } from './idgen.mjs';

export const HEADER = ['户主身份证号', '姓名', '身份证号', '与户主关系', '月收入(元)', '健康状况', '就学阶段',
	'联系电话', '工作单位', '家庭住址', '致困原因'];

// Distinct valid ID numbers for this file (region 310104, a birth date per
// counter, odd = male / even = female sequence numbers).
let counter = 0;
export function pid(male = true) {
	counter++;
	const d = new Date(Date.UTC(1960, 0, 1) + counter * 86400000 * 3);
	const ymd = d.toISOString().slice(0, 10).replaceAll('-', '');
	return idNumber('310104', ymd, (counter % 400) * 2 + (male ? 1 : 0) + 100);
}

// A household: rows [head, name, id, relation, income, health, school, phone, employer, address, causes].
export function family(n = 2, over = {}) {
	const head = pid(true);
	const rows = [[head, '王' + counter, head, '本人', '2100.50', '良好', '', '13800138000', '杭州重型机械厂', '上城区解放路1号', '家属患病、收入低']];
	const rel = ['配偶', '子女', '父母', '子女'];
	for (let i = 1; i < n; i++)
		rows.push([head, '成员' + counter, pid(i % 2 === 0), rel[(i - 1) % rel.length], i === 1 ? '800' : '0', '慢性病', i === 2 ? '小学' : '', '', '', '', '']);
	return Object.assign(rows, over);
}

const q = (v) => (/[",\r\n]/.test(String(v)) ? '"' + String(v).replaceAll('"', '""') + '"' : String(v));
export function csv(rows, header = HEADER, eol = '\n') {
	return [header, ...rows].map((r) => r.map(q).join(',')).join(eol) + eol;
}

// An .xlsx made with python3's zipfile: cells are strings (shared strings,
// or inline with {inline:'..'}), numbers, or {f:'formula', v:cached}.
export function xlsx(rows, { truncate = 0 } = {}) {
	const py = String.raw`
import json, sys, zipfile, io
from xml.sax.saxutils import escape
rows = json.load(sys.stdin)
sst = []; idx = {}
def col(i):
    s = ''
    i += 1
    while i:
        i, r = divmod(i - 1, 26); s = chr(65 + r) + s
    return s
out = []
for r, row in enumerate(rows, 1):
    cells = []
    for c, v in enumerate(row):
        ref = col(c) + str(r)
        if v is None or v == '':
            continue
        if isinstance(v, dict) and 'f' in v:
            cells.append('<c r="%s"><f>%s</f><v>%s</v></c>' % (ref, escape(v['f']), v['v']))
        elif isinstance(v, dict) and 'inline' in v:
            cells.append('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, escape(v['inline'])))
        elif isinstance(v, (int, float)):
            cells.append('<c r="%s"><v>%r</v></c>' % (ref, v))
        else:
            if v not in idx:
                idx[v] = len(sst); sst.append(v)
            cells.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, idx[v]))
    out.append('<row r="%d">%s</row>' % (r, ''.join(cells)))
sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
  '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>%s</sheetData></worksheet>' % ''.join(out))
ss = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
  '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>'
  % (len(sst), len(sst), ''.join('<si><t>%s</t></si>' % escape(s) for s in sst)))
wb = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
  '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
  '<sheets><sheet name="普查表" sheetId="1" r:id="rId1"/></sheets></workbook>')
wbrels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
  '</Relationships>')
ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
  '<Default Extension="xml" ContentType="application/xml"/>'
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
  '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
  '</Types>')
rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
  '</Relationships>')
b = io.BytesIO()
with zipfile.ZipFile(b, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('[Content_Types].xml', ct)
    z.writestr('_rels/.rels', rels)
    z.writestr('xl/workbook.xml', wb)
    z.writestr('xl/_rels/workbook.xml.rels', wbrels)
    z.writestr('xl/sharedStrings.xml', ss)
    z.writestr('xl/worksheets/sheet1.xml', sheet)
sys.stdout.buffer.write(b.getvalue())
`;
	const r = spawnSync('python3', ['-c', py], { input: JSON.stringify(rows), maxBuffer: 64 << 20 });
	assert.equal(r.status, 0, `python3 zipfile failed: ${r.stderr}`);
	const buf = r.stdout;
	return truncate ? buf.subarray(0, buf.length - truncate) : buf;
}

export function gb18030(text) {
	const r = spawnSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: Buffer.from(text, 'utf8') });
	assert.equal(r.status, 0, `iconv failed: ${r.stderr}`);
	return r.stdout;
}

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function uploadTo(s, w, body, { org = w.s1.id, who = w.staff1, dry, type = CSV_TYPE } = {}) {
	const qs = `org_id=${org}` + (dry === undefined ? '' : `&dry_run=${dry}`);
	return s.api('POST', `/imports/households?${qs}`, { token: who.token, rawBody: body, contentType: type });
}

export async function countIn(s, w, org = w.s1.id) {
	const r = await s.api('GET', `/households?org_id=${org}&limit=1`, { token: w.admin.token });
	assertStatus(r, 200, 'list households');
	return r.json.total;
}

export function assertImportError(res, what) {
	const d = assertError(res, 422, 'validation_failed', what);
	assert.equal(typeof d.dry_run, 'boolean', res.text);
	assert.equal(typeof d.households, 'number', res.text);
	assert.equal(typeof d.people, 'number', res.text);
	assert.ok(Array.isArray(d.errors) && d.errors.length > 0, `errors expected: ${res.text}`);
	for (const e of d.errors) {
		assert.equal(typeof e.row, 'number', res.text);
		assert.equal(typeof e.column, 'string', res.text);
		assert.match(e.message, /[\u3400-\u9fff]/, res.text);
	}
	return d;
}
export const hasError = (d, row, column, re) => d.errors.some((e) => e.row === row && e.column === column && (!re || re.test(e.message)));
