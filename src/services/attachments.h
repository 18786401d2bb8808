/* attachments.h — the scans of the papers (电子档案, API.md "Attachments",
 * DESIGN.md §2.8): stored in the database with their sha256, typed from
 * their bytes, JPEG metadata taken out (rules/filetype.h), downloads
 * audited.  Agency checks on the worker's authorisation are in checks.c,
 * the retention purge in purge.c. */
#ifndef BANGFU_ATTACHMENTS_H
#define BANGFU_ATTACHMENTS_H

#include "http/route.h"

/* The owner of an attachment, read in the caller's scope. */
struct attach_owner {
	const char *type;        /* "household", "member", "application", "case", "claim" */
	const char *label;       /* "困难职工档案" */
	int64_t id, org_id, household_id; /* household_id 0: none (a case without an archive) */
	int editable;            /* RULE attach.delete: household draft/rejected, application submitted */
	const char *documents;   /* an application's programme documents (JSON text) or NULL */
};

/* Finds owner `type` `id` inside the actor's subtree.  422 for an unknown
 * type, 404 for a missing or out-of-scope owner. */
int attach_owner_load(struct ctx *x, const char *type, int64_t id, struct attach_owner *o,
		      struct err *e);

/* RULE attach.kind: 422 details.fields.kind unless 1–50 characters and a
 * kind the owner takes. */
int attach_kind_check(struct ctx *x, const struct attach_owner *o, const char *kind, struct err *e);

/* The columns of an attachment's metadata (alias a). */
#define ATTACH_COLS                                                                                 \
	"a.id, a.owner_type, a.owner_id, a.household_id, a.kind, a.filename, a.content_type, a.size," \
	" a.sha256, a.uploaded_by, (SELECT u.name FROM users u WHERE u.id = a.uploaded_by)"          \
	" AS uploaded_by_name, a.uploaded_at, a.note, a.deleted_at, a.purged_at"

/* Stores the file (bytes in place: rewritten by the metadata strip) for o,
 * audited as "upload"; *id gets the new id.  415 / 413 / 422 as API.md. */
int attach_store(struct ctx *x, const struct attach_owner *o, const char *kind, const char *filename,
		 const char *note, unsigned char *bytes, size_t len, int64_t *id, struct err *e);

/* The attachment's metadata, NULL with e set when missing. */
json_t *attach_json(struct ctx *x, int64_t id, struct err *e);

/* RULE aid.documents: removes from the application answer's
 * "missing_documents" every name an attachment of the application or of
 * its household carries as kind, and lists them under "attached_documents"
 * ({kind: {id, content_type, owner_type}}, the first scan of each kind). */
int attach_documents(struct ctx *x, json_t *app, struct err *e);

/* The sha256 of the bytes in lower-case hex; -1 if it cannot be computed. */
#define ATTACH_SHA256_HEX 65
int attach_sha256_hex(const void *bytes, size_t len, char hex[ATTACH_SHA256_HEX]);

/* `bangfu check`: every live scan's bytes match its size and sha256, no
 * bytes are left of deleted or purged ones; *n counts those verified. */
int attach_check(struct db *c, int64_t *n, struct err *e);

int attachments_scope(struct req *r);
int attachments_owner_scope(struct req *r); /* ?owner_type=&owner_id= */
int attachments_h_upload(struct req *r);
int attachments_h_list(struct req *r);
int attachments_h_get(struct req *r);
int attachments_h_content(struct req *r);
int attachments_h_delete(struct req *r);

#endif
