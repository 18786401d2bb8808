// Attachments (API.md "Attachments"): the scans of households, members,
// applications and cases.  Typed from the bytes, JPEG/PNG metadata taken
// out, sha256 of what is stored, bytes in the database (check, backup and
// restore carry them), downloads audited with their headers, scope 404,
// roles, deletes while the owner is editable, and bad input storing nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { withServer, limit, assertStatus, assertError, assertFieldError, freshDatabase, runCli } from './lib.mjs';
import { aidWorld, makeHouseholds, hhBody, hhAct, auditOf, auditVerify } from './aid-world.mjs';
import { jpeg, png, pdf, sha256 } from './scans.mjs';

const T = { timeout: limit(300000) };

async function upload(w, who, q, bytes, { type = 'application/octet-stream', filename, field = 'file' } = {}) {
	const headers = { Authorization: `Bearer ${who.token}` };
	let body = bytes;
	if (filename !== undefined) {
		body = new FormData();
		if (field)
			body.append(field, new Blob([bytes], { type }), filename);
		else
			body.append('other', 'x');
	} else {
		headers['Content-Type'] = type;
	}
	const res = await fetch(`${w.s.base}/api/v1/attachments?${new URLSearchParams(q)}`, { method: 'POST', headers, body });
	const text = await res.text();
	let json = null;
	try { json = JSON.parse(text); } catch (e) { /* not JSON */ }
	return { status: res.status, headers: res.headers, json, text };
}
async function download(w, who, id) {
	const res = await fetch(`${w.s.base}/api/v1/attachments/${id}/content`, { headers: { Authorization: `Bearer ${who.token}` } });
	return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}
const list = async (w, who, owner_type, owner_id) =>
	w.s.api('GET', `/attachments?owner_type=${owner_type}&owner_id=${owner_id}`, { token: who.token });
const countRows = (s) => Number(s.sql('SELECT COUNT(*) FROM attachments').trim());

async function world(s) {
	const w = await aidWorld(s, { label: 'attach', extraUsers: { staff2: ['s2', 'staff'], finance: ['s1', 'finance'] } });
	const body = hhBody(w, 's1', { members: [{ name: '王小', id_number: w.p.male('20100101'), relation: 'child', monthly_income_fen: 0,
		school_stage: 'senior', disability: false }] });
	const r = await s.api('POST', '/households', { token: w.staff.token, body });
	assertStatus(r, 201, 'draft household');
	w.draft = r.json;
	return w;
}

test('scans are typed, cleaned, hashed, stored, downloaded with their headers and audited', T, async () => {
	await withServer({ clock: '2026-03-02T09:00:00Z' }, async (s) => {
		const w = await world(s);
		const hid = w.draft.id, mid = w.draft.members[0].id;
		const j = jpeg();

		// a JPEG as the body: EXIF (GPS), COM and the trailer are gone
		const up = await upload(w, w.staff, { owner_type: 'household', owner_id: hid, kind: '身份证', note: '正反面' }, j.bytes, { type: 'image/jpeg' });
		assertStatus(up, 201, 'upload jpeg');
		assert.equal(up.json.content_type, 'image/jpeg');
		assert.equal(up.json.size, j.clean.length, 'size is of the stored bytes');
		assert.equal(up.json.sha256, sha256(j.clean), 'sha256 is of the stored bytes');
		assert.equal(up.json.owner_type, 'household');
		assert.equal(up.json.owner_id, hid);
		assert.equal(up.json.kind, '身份证');
		assert.equal(up.json.note, '正反面');
		assert.equal(up.json.uploaded_by, w.staff.user.id);
		assert.equal(up.json.filename, '身份证.jpg', 'a body has no name: the kind and the type name it');
		const d = await download(w, w.staff, up.json.id);
		assert.equal(d.status, 200);
		assert.ok(d.bytes.equals(j.clean), 'the stored bytes come back');
		assert.ok(!d.bytes.includes(Buffer.from('GPSLatitude')), 'no GPS in the stored file');
		assert.equal(d.headers.get('content-type'), 'image/jpeg');
		assert.equal(d.headers.get('cache-control'), 'no-store');
		assert.equal(d.headers.get('x-content-type-options'), 'nosniff');
		assert.equal(d.headers.get('content-disposition'), "attachment; filename*=UTF-8''%E8%BA%AB%E4%BB%BD%E8%AF%81.jpg");

		// a PNG as multipart, named in Chinese, of a member: tEXt dropped
		const p = png();
		const up2 = await upload(w, w.staff, { owner_type: 'member', owner_id: mid, kind: '残疾证' }, p.bytes,
			{ type: 'image/jpeg', filename: '王小 残疾证.png' });
		assertStatus(up2, 201, 'upload png (multipart; the part says jpeg, the bytes say png)');
		assert.equal(up2.json.content_type, 'image/png');
		assert.equal(up2.json.filename, '王小 残疾证.png');
		assert.equal(up2.json.sha256, sha256(p.clean));
		const d2 = await download(w, w.staff, up2.json.id);
		assert.ok(d2.bytes.equals(p.clean));
		assert.equal(d2.headers.get('content-disposition'),
			"attachment; filename*=UTF-8''%E7%8E%8B%E5%B0%8F%20%E6%AE%8B%E7%96%BE%E8%AF%81.png");

		// a PDF of a case (the bytes unchanged)
		const c = await s.api('POST', '/cases', { token: w.staff.token, body: { org_id: w.s1.id, channel: 'window',
			category: 'legal_aid', household_id: hid, subject: '工伤认定', description: '' } });
		assertStatus(c, 201, 'case');
		const f = pdf();
		const up3 = await upload(w, w.staff, { owner_type: 'case', owner_id: c.json.id, kind: '其他' }, f.bytes, { type: 'application/pdf', filename: 'a/b/../认定书.pdf' });
		assertStatus(up3, 201, 'upload pdf to a case');
		assert.equal(up3.json.filename, '认定书.pdf', 'no path in a stored name');
		assert.equal(up3.json.sha256, sha256(f.bytes));

		// lists, by owner
		const l = await list(w, w.staff, 'household', hid);
		assertStatus(l, 200, 'list');
		assert.deepEqual(l.json.items.map((x) => x.id), [up.json.id]);
		assert.equal(l.json.total, 1);
		assert.equal((await list(w, w.viewer, 'member', mid)).json.total, 1, 'a viewer reads the list');

		// audit: upload and download entries
		const ups = await auditOf(w, 'attachment', up.json.id);
		assert.deepEqual(ups.map((e) => e.action).sort(), ['download', 'upload']);
		const got = await s.api('GET', '/audit?action=download', { token: w.admin.token });
		assert.ok(got.json.items.filter((e) => e.entity === 'attachment').length >= 2, 'each download audited');

		// scope: another street's staff sees none of it
		assertError(await upload(w, w.staff2, { owner_type: 'household', owner_id: hid, kind: '身份证' }, j.bytes, { type: 'image/jpeg' }), 404, 'not_found');
		assertError(await list(w, w.staff2, 'household', hid), 404, 'not_found');
		assertError(await s.api('GET', `/attachments/${up.json.id}`, { token: w.staff2.token }), 404, 'not_found');
		const out = await download(w, w.staff2, up.json.id);
		assert.equal(out.status, 404, 'bytes out of scope: 404');
		assertError(await s.api('DELETE', `/attachments/${up.json.id}`, { token: w.staff2.token }), 404, 'not_found');

		// roles: a reviewer uploads the 核对结果 only; finance and viewer nothing
		assertError(await upload(w, w.reviewer, { owner_type: 'household', owner_id: hid, kind: '身份证' }, j.bytes), 403, 'forbidden');
		assertStatus(await upload(w, w.reviewer, { owner_type: 'household', owner_id: hid, kind: '核对结果' }, f.bytes), 201, 'reviewer: 核对结果');
		assertError(await upload(w, w.finance, { owner_type: 'household', owner_id: hid, kind: '其他' }, f.bytes), 403, 'forbidden');
		assertError(await upload(w, w.viewer, { owner_type: 'household', owner_id: hid, kind: '其他' }, f.bytes), 403, 'forbidden');
		assertError(await s.api('DELETE', `/attachments/${up.json.id}`, { token: w.reviewer.token }), 403, 'forbidden');

		// check verifies every hash, and names a changed one
		let ck = s.cli(['check']);
		assert.equal(ck.code, 0, ck.stdout + ck.stderr);
		assert.match(ck.stdout, /通过\s+附件文件内容与 sha256 一致/);
		const pg = /^postgres/.test(s.dbUrl);
		s.sql(pg ? `UPDATE attachment_blobs SET bytes = overlay(bytes placing '\\x00'::bytea from 5) WHERE attachment_id = ${up2.json.id}`
			: `UPDATE attachment_blobs SET bytes = substr(bytes, 1, 4) || X'00' || substr(bytes, 6) WHERE attachment_id = ${up2.json.id}`);
		ck = s.cli(['check']);
		assert.equal(ck.code, 1, ck.stdout);
		assert.match(ck.stdout, new RegExp(`失败\\s+附件文件内容与 sha256 一致：附件 ${up2.json.id} 的文件内容与 sha256 不符`));
		s.sql(pg ? `UPDATE attachment_blobs SET bytes = decode('${p.clean.toString('hex')}', 'hex') WHERE attachment_id = ${up2.json.id}`
			: `UPDATE attachment_blobs SET bytes = X'${p.clean.toString('hex')}' WHERE attachment_id = ${up2.json.id}`);
		ck = s.cli(['check']);
		assert.equal(ck.code, 0, ck.stdout);

		// backup and restore carry the bytes
		const file = path.join(s.dir, 'backup.bin');
		const b = s.cli(['backup', '-o', file]);
		assert.equal(b.code, 0, b.stderr);
		const dir2 = fs.mkdtempSync(path.join(s.dir, 'restore-'));
		const db2 = freshDatabase(dir2);
		try {
			const r = runCli(['restore', file], db2.dbUrl);
			assert.equal(r.code, 0, r.stderr);
			const ck2 = runCli(['check'], db2.dbUrl);
			assert.equal(ck2.code, 0, ck2.stdout + ck2.stderr);
			assert.match(ck2.stdout, /通过\s+附件文件内容与 sha256 一致/);
			const hex = db2.sql(pg ? `SELECT encode(bytes, 'hex') FROM attachment_blobs WHERE attachment_id = ${up.json.id}`
				: `SELECT hex(bytes) FROM attachment_blobs WHERE attachment_id = ${up.json.id}`).trim().toLowerCase();
			assert.equal(hex, j.clean.toString('hex'), 'restored bytes are the stored ones');
		} finally {
			db2.drop();
		}
		auditVerify(s);
	});
});

test('bad files and bad requests store nothing', T, async () => {
	await withServer({ args: ['--attachment-max', '4096'] }, async (s) => {
		const w = await world(s);
		const q = { owner_type: 'household', owner_id: w.draft.id, kind: '身份证' };
		const before = countRows(s);
		const audits = (await auditOf(w, 'attachment')).length;
		const j = jpeg(), p = png(), f = pdf();
		const bad = [
			['HTML sent as image/jpeg', await upload(w, w.staff, q, Buffer.from('<html><script>alert(1)</script></html>'), { type: 'image/jpeg' }), 415],
			['an ELF executable', await upload(w, w.staff, q, Buffer.from('\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0', 'latin1'), { type: 'image/jpeg', filename: 'a.jpg' }), 415],
			['a PNG with a broken header', await upload(w, w.staff, q, p.broken, { type: 'image/png' }), 415],
			['a truncated PDF', await upload(w, w.staff, q, f.truncated, { type: 'application/pdf' }), 415],
			['a JPEG whose segment lies about its length', await upload(w, w.staff, q, j.lying, { type: 'image/jpeg' }), 415],
			['a truncated JPEG', await upload(w, w.staff, q, j.truncated, { type: 'image/jpeg' }), 415],
			['a file over --attachment-max', await upload(w, w.staff, q, pdf(5000).bytes, { type: 'application/pdf' }), 413],
			['a body far over the limit', await upload(w, w.staff, q, pdf(200000).bytes, { type: 'application/pdf' }), 413],
		];
		for (const [what, res, status] of bad) {
			assert.equal(res.status, status, `${what}: ${res.text}`);
			assert.equal(res.json.error.code, status === 415 ? 'unsupported_media_type' : 'too_large', what);
			assert.match(res.json.error.message, status === 415 ? /类型不支持|文件/ : /^文件过大：超过 4096 字节的上限$/, `${what}: a Chinese message`);
		}
		assertFieldError(await upload(w, w.staff, q, Buffer.alloc(0), { type: 'image/jpeg' }), 'file', { what: 'zero bytes' });
		assertFieldError(await upload(w, w.staff, q, Buffer.alloc(0), { type: 'image/jpeg', filename: 'e.jpg' }), 'file', { what: 'an empty part' });
		assertError(await upload(w, w.staff, q, j.bytes, { filename: 'x.jpg', field: null }), 400, 'bad_request');
		assertFieldError(await upload(w, w.staff, { ...q, kind: '证'.repeat(51) }, j.bytes), 'kind', { what: 'a kind of 51 characters' });
		assertFieldError(await upload(w, w.staff, { ...q, kind: '驾驶证' }, j.bytes), 'kind', { what: 'a kind no one takes' });
		assertFieldError(await upload(w, w.staff, { ...q, owner_type: 'pet' }, j.bytes), 'owner_type');
		assertError(await upload(w, w.staff, { ...q, owner_id: 999999 }, j.bytes), 404, 'not_found');
		assertError(await upload(w, w.staff, { ...q, owner_type: 'claim', owner_id: 1 }, j.bytes), 404, 'not_found');
		assert.equal(countRows(s), before, 'nothing stored');
		assert.equal((await auditOf(w, 'attachment')).length, audits, 'nothing audited as an upload');
		// 50 characters and a programme's document name are fine
		assertStatus(await upload(w, w.staff, { ...q, kind: '录取通知书或在读证明' }, j.bytes), 201, 'a document of a programme');
		assertStatus(await upload(w, w.staff, q, pdf(3000).bytes), 201, 'under the cap');
	});
});

test('a delete takes the bytes while the owner is editable, then 409', T, async () => {
	await withServer({}, async (s) => {
		const w = await world(s);
		const q = { owner_type: 'household', owner_id: w.draft.id, kind: '户口簿' };
		const a = (await upload(w, w.staff, q, pdf().bytes)).json;
		const b = (await upload(w, w.staff, q, png().bytes)).json;
		const del = await s.api('DELETE', `/attachments/${a.id}`, { token: w.staff.token });
		assertStatus(del, 204, 'delete in draft');
		assert.equal((await download(w, w.staff, a.id)).status, 404, 'no bytes after a delete');
		const meta = await s.api('GET', `/attachments/${a.id}`, { token: w.staff.token });
		assertStatus(meta, 200, 'the metadata stays');
		assert.ok(meta.json.deleted_at, 'deleted_at set');
		assert.equal(s.sql(`SELECT COUNT(*) FROM attachment_blobs WHERE attachment_id = ${a.id}`).trim(), '0');
		assertError(await s.api('DELETE', `/attachments/${a.id}`, { token: w.staff.token }), 409, 'invalid_transition');
		await hhAct(w, w.draft.id, w.staff, { action: 'submit' });
		assertError(await s.api('DELETE', `/attachments/${b.id}`, { token: w.staff.token }), 409, 'invalid_transition');
		assert.equal((await download(w, w.staff, b.id)).status, 200, 'still there');
		const acts = (await auditOf(w, 'attachment', a.id)).map((e) => e.action).sort();
		assert.deepEqual(acts, ['delete', 'upload']);
		const ck = s.cli(['check']);
		assert.equal(ck.code, 0, ck.stdout);
	});
});

test('verify counts a programme document present when ticked or attached (application or household)', T, async () => {
	await withServer({}, async (s) => {
		const w = await aidWorld(s, { label: 'attach-docs' });
		const [hh] = await makeHouseholds(w, [{ org: 's1', category: 'dibao' }]);
		const a = await s.api('POST', '/applications', { token: w.staff.token, body: { household_id: hh.id, program_code: 'living',
			member_id: null, requested_fen: 30000, reason: '', documents: ['救助申请书'] } });
		assertStatus(a, 201, 'apply');
		const id = a.json.id;
		assert.deepEqual(a.json.missing_documents, ['身份证复印件', '低保证或单位/社区出具的困难证明']);
		const verify = () => s.api('POST', `/applications/${id}/transitions`, { token: w.reviewer.token, body: { action: 'verify' } });
		let v = await verify();
		assertError(v, 422, 'validation_failed');
		assert.deepEqual(v.json.error.details.missing_documents, ['身份证复印件', '低保证或单位/社区出具的困难证明']);

		// the ID card scanned on the household counts for its applications
		const idScan = await upload(w, w.staff, { owner_type: 'household', owner_id: hh.id, kind: '身份证复印件' }, jpeg().bytes);
		assertStatus(idScan, 201, 'household scan');
		// a scan deleted while the application is submitted counts no more
		const gone = await upload(w, w.staff, { owner_type: 'application', owner_id: id, kind: '低保证或单位/社区出具的困难证明' }, pdf().bytes);
		assertStatus(gone, 201, 'application scan');
		assertStatus(await s.api('DELETE', `/attachments/${gone.json.id}`, { token: w.staff.token }), 204, 'delete');
		v = await verify();
		assertError(v, 422, 'validation_failed');
		assert.deepEqual(v.json.error.details.missing_documents, ['低保证或单位/社区出具的困难证明']);
		// a kind outside the application's programme is refused on the application
		assertFieldError(await upload(w, w.staff, { owner_type: 'application', owner_id: id, kind: '录取通知书或在读证明' }, pdf().bytes), 'kind');

		const cert = await upload(w, w.staff, { owner_type: 'application', owner_id: id, kind: '低保证或单位/社区出具的困难证明' }, png().bytes);
		assertStatus(cert, 201, 'application scan');
		const got = await s.api('GET', `/applications/${id}`, { token: w.viewer.token });
		assertStatus(got, 200);
		assert.deepEqual(got.json.missing_documents, []);
		assert.deepEqual(got.json.attached_documents, {
			'身份证复印件': { id: idScan.json.id, content_type: 'image/jpeg', owner_type: 'household' },
			'低保证或单位/社区出具的困难证明': { id: cert.json.id, content_type: 'image/png', owner_type: 'application' } });
		v = await verify();
		assertStatus(v, 200, 'verify with scans');
		assert.equal(v.json.status, 'verified');
		// verified: the application's scans can no longer be deleted
		assertError(await s.api('DELETE', `/attachments/${cert.json.id}`, { token: w.staff.token }), 409, 'invalid_transition');
	});
});
