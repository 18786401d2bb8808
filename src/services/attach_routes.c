/* attach_routes.c — the HTTP side of attachments (API.md "Attachments"):
 * the owner and kind from the query, the file from the body or the
 * multipart field `file`, downloads with their headers. */
#include <stdio.h>
#include <string.h>

#include "rules/multipart.h"
#include "rules/utf8.h"
#include "services/attachments.h"
#include "services/audit.h"

/* The file: the multipart field `file` (with its name) or the body. */
static int upload_part(struct req *r, struct mp_part *p)
{
	const char *ct = req_header(r, "Content-Type");
	memset(p, 0, sizeof *p);
	if (multipart_is(ct)) {
		char why[200];
		if (multipart_find(ct, r->body ? r->body : "", r->body_len, "file", p, why, sizeof why))
			return err_set(&r->err, E_BAD_REQUEST, "%s", why);
	} else {
		p->data = r->body;
		p->len = r->body_len;
	}
	if (!p->data || !p->len)
		return err_field(&r->err, "file", "文件为空：请上传 JPEG、PNG 图片或 PDF 文件");
	return 0;
}

/* The owner named by ?owner_type=&owner_id=, in scope (404 otherwise). */
static int query_owner(struct req *r, struct attach_owner *o)
{
	int64_t oid = 0;
	int rc = req_query_int(r, "owner_id", 0, 1, INT64_MAX, &oid);
	if (!rc && !oid)
		rc = err_field(&r->err, "owner_id", "请用 owner_id 指定所属记录");
	if (rc)
		return rc;
	return attach_owner_load(&r->x, req_query(r, "owner_type"), oid, o, &r->err);
}

/* POST /attachments?owner_type=&owner_id=&kind=[&note=] */
int attachments_h_upload(struct req *r)
{
	struct ctx *x = &r->x;
	struct attach_owner o;
	const char *kind = req_query(r, "kind"), *note = req_query(r, "note");
	int rc = query_owner(r, &o);
	if (rc)
		return rc;
	/* RULE perm.attach: staff and admin; a reviewer the 核对结果 alone */
	enum role role = x->who.role;
	if (!(role == ROLE_STAFF || role == ROLE_ADMIN || (role == ROLE_REVIEWER && kind && !strcmp(kind, "核对结果"))))
		return req_deny(r, E_FORBIDDEN, role == ROLE_REVIEWER ? "审核人只能上传核对结果" : NULL);
	if (note && (!utf8_valid(note, strlen(note)) || strlen(note) > 600))
		return err_field(&r->err, "note", "备注最多 200 个字");
	struct mp_part part;
	if ((rc = attach_kind_check(x, &o, kind, &r->err)) || (rc = upload_part(r, &part)))
		return rc;
	int64_t id = 0;
	if ((rc = attach_store(x, &o, kind, part.filename, note && *note ? note : NULL,
			       (unsigned char *)part.data, part.len, &id, &r->err)))
		return rc;
	json_t *j = attach_json(x, id, &r->err);
	return j ? req_reply(r, 201, j) : -(int)r->err.code;
}

/* The list's scope: its owner's (404 out of scope, before the permission). */
int attachments_owner_scope(struct req *r)
{
	struct attach_owner o;
	return query_owner(r, &o);
}

/* GET /attachments?owner_type=&owner_id= */
int attachments_h_list(struct req *r)
{
	struct attach_owner o;
	int64_t limit, offset;
	int rc = req_paging(r, &limit, &offset);
	if (!rc)
		rc = query_owner(r, &o);
	if (rc)
		return rc;
	struct db_args a = {0};
	db_arg_str(&a, o.type);
	db_arg_int(&a, o.id);
	json_t *items = NULL;
	int64_t total = 0;
	if ((rc = db_page(r->x.db, &r->err, ATTACH_COLS, "FROM attachments a WHERE a.owner_type = ? AND a.owner_id = ?",
			  "a.id", &a, limit, offset, &items, &total)))
		return rc;
	return req_reply_list(r, items, total);
}

int attachments_h_get(struct req *r)
{
	json_t *j = attach_json(&r->x, r->id, &r->err);
	return j ? req_reply(r, 200, j) : -(int)r->err.code;
}

/* RFC 5987 / 6266: the UTF-8 name percent-encoded but for the unreserved. */
static const char *disposition(struct ctx *x, const char *how, const char *name)
{
	size_t n = strlen(name);
	char *out = arena_alloc(x->a, strlen(how) + 24 + 3 * n + 1), *w = out;
	w += sprintf(w, "%s; filename*=UTF-8''", how);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p))
			*w++ = (char)*p;
		else
			w += sprintf(w, "%%%02X", *p);
	}
	*w = '\0';
	return out;
}

/* A piece of a download (req.h `piece`), read while it is sent. */
static int content_piece(struct db *c, int64_t id, size_t len, size_t off, char *buf, size_t n, struct err *e)
{
	return db_blob_read_at(c, "attachment_blobs", "bytes", id, len, off, buf, n, e);
}

/* Files above this are streamed (below, one read and one send are
 * cheaper than blocks read and sent in turn). */
#define STREAM_ABOVE (2u << 20)

/* GET /attachments/{id}/content[?inline=1] — the bytes, audited.
 * R_TURN: the session, the scope, the metadata, the audit entry and the
 * bytes of a file up to STREAM_ABOVE are read and written in the writers'
 * turn, on SQLite the pool's writer connection: the one connection whose
 * map of the database survives the other writes (each of them is its
 * own).  A pooled reader connection drops its map at every change by
 * another (SQLite's pager, in WAL mode), and read a scan back through
 * fresh page faults, with the map torn down again afterwards: a fifth of a
 * 1 MiB download's CPU.
 * RULE privacy.download: the audit entry is committed first (with the
 * writers' batch before it, db_commit_early); its flush runs while the
 * bytes are read, and the answer waits for it (server.c dispatch, and the
 * first block of a stream): no byte goes before the entry recording the
 * download is on disk.  A larger file, on SQLite, is read after the commit
 * in blocks while it is sent, so a download never holds the whole file
 * (PostgreSQL reads a bytea whole: a slice of a compressed value
 * decompresses from its start). */
int attachments_h_content(struct req *r)
{
	struct ctx *x = &r->x;
	int rc = req_begin_write(r);
	if (rc)
		return rc;
	json_t *j = attach_json(x, r->id, &r->err);
	if (!j)
		return -(int)r->err.code;
	if (!json_is_null(json_object_get(j, "deleted_at")) || !json_is_null(json_object_get(j, "purged_at"))) {
		rc = err_set(&r->err, E_NOT_FOUND, "附件内容已删除");
		goto out;
	}
	size_t len = (size_t)json_integer_value(json_object_get(j, "size"));
	int stream = len > STREAM_ABOVE && db_blob_pieces(x->db);
	const char *inl = req_query(r, "inline");
	int64_t org = 0;
	if ((rc = db_int(x->db, &r->err, &org, NULL, "SELECT org_id FROM attachments WHERE id = ?", "i", r->id)) ||
	    (rc = audit_add(x, "download", "attachment", r->id, org, &r->err, "下载附件“%s”（%s）",
			    json_string_value(json_object_get(j, "kind")),
			    json_string_value(json_object_get(j, "filename")))) ||
	    (rc = db_commit_early(x->db, &r->flush_ticket, &r->err)))
		goto out;
	if (stream) {
		r->piece = content_piece;
		r->piece_key = r->id;
		r->stream_len = len;
	} else {
		char *buf = arena_alloc_raw(x->a, len); /* the blob fills it */
		if ((rc = db_blob_read(x->db, "attachment_blobs", "bytes", r->id, buf, len, &r->err)))
			goto out;
		r->raw = buf;
		r->raw_len = len;
		r->raw_lives = 1;
	}
	r->content_type = arena_strdup(x->a, json_string_value(json_object_get(j, "content_type")));
	r->disposition = disposition(x, inl && !strcmp(inl, "1") ? "inline" : "attachment",
				     json_string_value(json_object_get(j, "filename")));
	r->status = 200;
out:
	json_decref(j);
	return rc;
}

/* DELETE /attachments/{id} — while the owner is editable; the bytes go. */
int attachments_h_delete(struct req *r)
{
	struct ctx *x = &r->x;
	struct attach_owner o;
	json_t *j = attach_json(x, r->id, &r->err);
	if (!j)
		return -(int)r->err.code;
	int rc = 0;
	if (!json_is_null(json_object_get(j, "deleted_at")) || !json_is_null(json_object_get(j, "purged_at"))) {
		rc = err_set(&r->err, E_INVALID_TRANSITION, "附件已删除");
		goto out;
	}
	if ((rc = attach_owner_load(x, json_string_value(json_object_get(j, "owner_type")),
				    json_integer_value(json_object_get(j, "owner_id")), &o, &r->err)))
		goto out;
	if (!o.editable) { /* RULE attach.delete */
		rc = err_set(&r->err, E_INVALID_TRANSITION, "%s已提交审核，不能再删除附件", o.label);
		goto out;
	}
	if ((rc = db_run(x->db, &r->err, "DELETE FROM attachment_blobs WHERE attachment_id = ?", "i", r->id)) ||
	    (rc = db_run(x->db, &r->err, "UPDATE attachments SET deleted_at = ? WHERE id = ?", "si", x->now_s, r->id)) ||
	    (rc = audit_add(x, "delete", "attachment", r->id, o.org_id, &r->err, "删除附件“%s”（%s）",
			    json_string_value(json_object_get(j, "kind")),
			    json_string_value(json_object_get(j, "filename")))))
		goto out;
	r->status = 204;
out:
	json_decref(j);
	return rc;
}
