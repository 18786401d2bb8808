/* attachments.c — upload, list, download and delete of scans (API.md
 * "Attachments").  The bytes are checked and cleaned where the request
 * body lies (rules/filetype.c rewrites them in place) and written to the
 * database from there (store: incremental blob I/O on SQLite, a binary
 * bytea parameter on PostgreSQL): a 10 MiB scan is held once, in the body. */
#include "services/attachments.h"

#include <openssl/evp.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "rules/filetype.h"
#include "rules/multipart.h"
#include "rules/utf8.h"
#include "services/audit.h"
#include "services/orgs.h"

#define ATTACH_MAX_DEFAULT (10LL << 20)

/* RULE scope.attach: every owner is read through its unit's path, so an
 * owner outside the caller's subtree is missing.  Columns: org_id,
 * household_id, editable (RULE attach.delete), programme documents. */
static const struct owner_sql {
	const char *type, *label, *sql;
} owner_sql[] = {
	{"household", "困难职工档案",
	 "SELECT h.org_id, h.id, CASE WHEN h.status IN ('draft', 'rejected') THEN 1 ELSE 0 END, NULL"
	 " FROM households h JOIN orgs o ON o.id = h.org_id WHERE h.id = ? AND o.path LIKE ?"},
	{"member", "家庭成员",
	 "SELECT h.org_id, h.id, CASE WHEN h.status IN ('draft', 'rejected') THEN 1 ELSE 0 END, NULL"
	 " FROM members m JOIN households h ON h.id = m.household_id JOIN orgs o ON o.id = h.org_id"
	 " WHERE m.id = ? AND o.path LIKE ?"},
	{"application", "帮扶申请",
	 "SELECT a.org_id, a.household_id, CASE WHEN a.status = 'submitted' THEN 1 ELSE 0 END, a.program_snapshot"
	 " FROM applications a JOIN orgs o ON o.id = a.org_id WHERE a.id = ? AND o.path LIKE ?"},
	{"case", "接待个案",
	 "SELECT c.org_id, c.household_id, CASE WHEN c.status <> 'closed' THEN 1 ELSE 0 END, NULL"
	 " FROM cases c JOIN orgs o ON o.id = c.org_id WHERE c.id = ? AND o.path LIKE ?"},
	/* a mutual-aid claim: the hospital's papers (API.md "Mutual aid") */
	{"claim", "互助报销",
	 "SELECT c.org_id, en.household_id, CASE WHEN c.status = 'submitted' THEN 1 ELSE 0 END, NULL"
	 " FROM ma_claims c JOIN ma_enrolments en ON en.id = c.enrolment_id JOIN orgs o ON o.id = c.org_id"
	 " WHERE c.id = ? AND o.path LIKE ?"},
};

int attach_owner_load(struct ctx *x, const char *type, int64_t id, struct attach_owner *o,
		      struct err *e)
{
	const struct owner_sql *k = NULL;
	for (size_t i = 0; type && i < sizeof owner_sql / sizeof owner_sql[0]; i++)
		if (!strcmp(type, owner_sql[i].type))
			k = &owner_sql[i];
	if (!k)
		return err_field(e, "owner_type", "owner_type 应为 household、member、application、case 或 claim");
	memset(o, 0, sizeof *o);
	o->type = k->type;
	o->label = k->label;
	o->id = id;
	if (!k->sql)
		return err_set(e, E_NOT_FOUND, "%s不存在", k->label);
	struct db_stmt *s = db_q(x->db, e, k->sql, "is", id, ctx_scope_like(x));
	if (!s)
		return -(int)e->code;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		o->org_id = db_col_int(s, 0);
		o->household_id = db_col_int(s, 1);
		o->editable = (int)db_col_int(s, 2);
		if (db_col_text(s, 3)) {
			json_t *snap = json_loads(db_col_text(s, 3), 0, NULL);
			char *d = json_dumps(json_object_get(snap, "documents"), JSON_COMPACT);
			o->documents = d ? arena_strdup(x->a, d) : NULL;
			free(d);
			json_decref(snap);
		}
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_set(e, E_NOT_FOUND, "%s不存在", k->label);
	}
	db_finalize(s);
	return rc;
}

/* The kinds every owner takes (API.md), beside the programmes' documents. */
static const char *const fixed_kinds[] = {"身份证", "户口簿", "低保证", "残疾证", "病情证明", "收入证明",
					  "困难职工证明", "授权委托书", "核对结果", "照片", "其他"};

static int in_list(const char *json_text, const char *kind)
{
	json_t *a = json_text ? json_loads(json_text, 0, NULL) : NULL, *v;
	size_t i;
	int found = 0;
	json_array_foreach(a, i, v)
		found |= json_is_string(v) && !strcmp(json_string_value(v), kind);
	json_decref(a);
	return found;
}

static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* RULE attach.kind: 1–50 characters, a fixed kind or a document of the
 * owner's programme (an application's own; for the other owners, of any
 * programme, as the household's scan counts for its applications). */
int attach_kind_check(struct ctx *x, const struct attach_owner *o, const char *kind, struct err *e)
{
	if (!kind || !*kind || chars(kind) > 50)
		return err_field(e, "kind", "材料类型应为 1 到 50 个字");
	for (size_t i = 0; i < sizeof fixed_kinds / sizeof fixed_kinds[0]; i++)
		if (!strcmp(kind, fixed_kinds[i]))
			return 0;
	int found = 0, rc;
	if (!strcmp(o->type, "application")) {
		found = in_list(o->documents, kind);
	} else {
		struct db_stmt *s = db_q(x->db, e, "SELECT documents FROM programs", "");
		if (!s)
			return -(int)e->code;
		while (!found && (rc = db_step(s, e)) == DB_ROW)
			found = in_list(db_col_text(s, 0), kind);
		db_finalize(s);
		if (rc < 0)
			return rc;
	}
	return found ? 0 : err_field(e, "kind", "材料类型“%s”不是本项目的申请材料，也不是身份证、户口簿、低保证、残疾证、"
					     "病情证明、收入证明、困难职工证明、授权委托书、核对结果、照片或其他", kind);
}

/* The name a download carries: the uploaded one without any path, or the
 * kind with the type's extension when it has none or is not clean text. */
static const char *clean_name(struct ctx *x, const char *raw, const char *kind, enum file_type t)
{
	const char *base = raw ? raw : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	size_t n = strlen(base);
	int ok = n > 0 && n <= 200 && utf8_valid(base, n) && strcmp(base, ".") && strcmp(base, "..");
	for (size_t i = 0; ok && i < n; i++)
		ok = (unsigned char)base[i] >= 0x20 && base[i] != 0x7f;
	return ok ? arena_strdup(x->a, base) : arena_printf(x->a, "%s.%s", kind, file_type_ext(t));
}

/* OpenSSL's SHA-256 (SHA-NI/AVX2 where the CPU has them: about 1.5 GB/s)
 * rather than libsodium's portable one (about 300 MB/s), which was the
 * largest CPU cost of an upload (issue 19). */
int attach_sha256_hex(const void *bytes, size_t len, char hex[ATTACH_SHA256_HEX])
{
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (!EVP_Digest(bytes, len, h, &n, EVP_sha256(), NULL) || n != 32)
		return -1;
	sodium_bin2hex(hex, ATTACH_SHA256_HEX, h, n);
	return 0;
}

int attach_store(struct ctx *x, const struct attach_owner *o, const char *kind, const char *filename,
		 const char *note, unsigned char *bytes, size_t len, int64_t *id, struct err *e)
{
	long long max = x->cfg && x->cfg->attachment_max > 0 ? x->cfg->attachment_max : ATTACH_MAX_DEFAULT;
	char why[200];
	if (!len)
		return err_field(e, "file", "文件为空");
	if ((long long)len > max) /* RULE attach.size */
		return err_set(e, E_TOO_LARGE, "文件过大：超过 %lld 字节的上限", max);
	enum file_type t = file_type_clean(bytes, &len, why, sizeof why);
	if (t == FT_NONE)
		return err_set(e, E_UNSUPPORTED_MEDIA_TYPE, "%s", why);
	char hex[ATTACH_SHA256_HEX];
	if (attach_sha256_hex(bytes, len, hex))
		return err_set(e, E_INTERNAL, "无法计算文件的 sha256");
	const char *name = clean_name(x, filename, kind, t);
	int rc = db_insert(x->db, e, id,
			   "INSERT INTO attachments (org_id, owner_type, owner_id, household_id, kind, filename,"
			   " content_type, size, sha256, uploaded_by, uploaded_at, note)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			   "isizsssiszss", o->org_id, o->type, o->id, o->household_id, kind, name,
			   file_type_mime(t), (int64_t)len, hex, x->who.id, x->now_s, note);
	if (!rc)
		rc = db_blob_insert(x->db, "attachment_blobs", "attachment_id", "bytes", *id, bytes, len, e);
	if (!rc)
		rc = audit_add(x, "upload", "attachment", *id, o->org_id, e, "上传%s %lld 的%s（%s，%zu 字节）",
			       o->label, (long long)o->id, kind, file_type_mime(t), len);
	return rc;
}

json_t *attach_json(struct ctx *x, int64_t id, struct err *e)
{
	json_t *o = db_one_json(x->db, e, "SELECT " ATTACH_COLS " FROM attachments a WHERE a.id = ?", id);
	if (!o && e->code == E_NOT_FOUND)
		err_set(e, E_NOT_FOUND, "附件不存在");
	return o;
}

int attach_documents(struct ctx *x, json_t *app, struct err *e)
{
	json_t *miss = json_object_get(app, "missing_documents"), *att = json_object();
	int64_t id = json_integer_value(json_object_get(app, "id"));
	int64_t hid = json_integer_value(json_object_get(app, "household_id"));
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT a.kind, a.id, a.content_type, a.owner_type FROM attachments a WHERE a.id IN (SELECT MIN(id)"
				 " FROM attachments WHERE deleted_at IS NULL AND purged_at IS NULL"
				 " AND ((owner_type = 'application' AND owner_id = ?)"
				 " OR (owner_type IN ('household', 'member') AND household_id = ?)) GROUP BY kind)",
				 "ii", id, hid);
	int rc = s ? 0 : -(int)e->code;
	while (s && (rc = db_step(s, e)) == DB_ROW)
		json_object_set_new(att, db_col_text(s, 0),
				    json_pack("{s:I,s:s,s:s}", "id", (json_int_t)db_col_int(s, 1), "content_type",
					      db_col_text(s, 2), "owner_type", db_col_text(s, 3)));
	db_finalize(s);
	if (rc < 0) {
		json_decref(att);
		return rc;
	}
	/* RULE aid.documents: ticked or attached */
	for (size_t i = json_array_size(miss); i-- > 0;)
		if (json_object_get(att, json_string_value(json_array_get(miss, i))))
			json_array_remove(miss, i);
	json_object_set_new(app, "attached_documents", att);
	return 0;
}

int attachments_scope(struct req *r)
{
	return record_in_scope(&r->x, "attachments", r->id, "附件不存在", &r->err);
}
