/* audit.c — append, list and verify the audit log. */
#include "services/audit.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "http/req.h"
#include "rules/hashchain.h"
#include "rules/utf8.h"

#define NFIELDS 9

/* The fields one entry's hash covers, in order; ints as decimal text. */
static void entry_fields(char ibuf[4][24], const char *f[NFIELDS], int64_t id, const char *at,
			 const int64_t *user_id, const int64_t *org_id, const char *action,
			 const char *entity, const int64_t *entity_id, const char *summary,
			 const char *client)
{
	snprintf(ibuf[0], 24, "%" PRId64, id);
	f[0] = ibuf[0];
	f[1] = at;
	f[2] = user_id ? (snprintf(ibuf[1], 24, "%" PRId64, *user_id), ibuf[1]) : NULL;
	f[3] = org_id ? (snprintf(ibuf[2], 24, "%" PRId64, *org_id), ibuf[2]) : NULL;
	f[4] = action;
	f[5] = entity;
	f[6] = entity_id ? (snprintf(ibuf[3], 24, "%" PRId64, *entity_id), ibuf[3]) : NULL;
	f[7] = summary;
	f[8] = client;
}

int audit_chain_open(struct ctx *x, struct audit_chain *ch, struct err *e)
{
	/* RULE audit.chain: the head's row lock orders every append */
	struct db_stmt *s = db_q(x->db, e, "UPDATE audit_head SET seq = seq WHERE one = 1 RETURNING seq, hash", "");
	if (!s)
		return -E_DB;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		ch->seq = db_col_int(s, 0);
		snprintf(ch->hash, sizeof ch->hash, "%s", db_col_text(s, 1) ? db_col_text(s, 1) : "");
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_set(e, E_INTERNAL, "审计链头缺失");
	}
	db_finalize(s);
	return rc;
}

/* RULE audit.utf8: a summary is UTF-8 before it is hashed, or the entry
 * would stay unreadable for good (GET /audit answers JSON): one cut by the
 * 1 KiB buffer, or by a "%.64s" of the caller, loses its broken tail.  Texts
 * the summary quotes are UTF-8 already: the store refuses any other. */
static int chain_append(struct ctx *x, struct audit_chain *ch, const char *action, const char *entity,
			int64_t entity_id, int64_t org_id, const char *summary, struct err *e)
{
	int64_t seq = ch->seq + 1, uid = x->who.id, oid = org_id ? org_id : x->who.org_id;
	const int64_t *puid = x->who.id ? &uid : NULL, *poid = oid ? &oid : NULL;
	const int64_t *peid = entity_id ? &entity_id : NULL;
	char ibuf[4][24], hash[65];
	const char *f[NFIELDS];
	entry_fields(ibuf, f, seq, x->now_s, puid, poid, action, entity, peid, summary, x->client);
	hashchain_entry(ch->hash, f, NFIELDS, hash);
	int rc = db_run(x->db, e,
			"INSERT INTO audit_log (id, at, user_id, org_id, action, entity, entity_id, summary,"
			" client, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"isssssssss" "s", seq, x->now_s, f[2], f[3], action, entity, f[6], summary,
			x->client, ch->hash, hash);
	if (rc == 0) {
		ch->seq = seq;
		memcpy(ch->hash, hash, sizeof hash);
	}
	return rc;
}

int audit_chain_add(struct ctx *x, struct audit_chain *ch, const char *action, const char *entity,
		    int64_t entity_id, int64_t org_id, struct err *e, const char *fmt, ...)
{
	char summary[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(summary, sizeof summary, fmt, ap);
	va_end(ap);
	utf8_repair(summary); /* RULE audit.utf8 */
	return chain_append(x, ch, action, entity, entity_id, org_id, summary, e);
}

int audit_chain_close(struct ctx *x, const struct audit_chain *ch, struct err *e)
{
	return db_run(x->db, e, "UPDATE audit_head SET seq = ?, hash = ? WHERE one = 1", "is", ch->seq, ch->hash);
}

int audit_add(struct ctx *x, const char *action, const char *entity, int64_t entity_id,
	      int64_t org_id, struct err *e, const char *fmt, ...)
{
	char summary[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(summary, sizeof summary, fmt, ap);
	va_end(ap);
	utf8_repair(summary); /* RULE audit.utf8 */
	struct audit_chain ch;
	int rc = audit_chain_open(x, &ch, e);
	if (!rc)
		rc = chain_append(x, &ch, action, entity, entity_id, org_id, summary, e);
	if (!rc)
		rc = audit_chain_close(x, &ch, e);
	return rc;
}

static const int64_t *opt_int(struct db_stmt *s, int i, int64_t *buf)
{
	if (db_col_is_null(s, i))
		return NULL;
	*buf = db_col_int(s, i);
	return buf;
}

int audit_verify(struct db *c, int64_t *entries, int64_t *bad_id, struct err *e)
{
	struct db_stmt *s = db_q(c, e,
				 "SELECT id, at, user_id, org_id, action, entity, entity_id, summary,"
				 " client, prev_hash, hash FROM audit_log ORDER BY id",
				 "");
	if (!s)
		return -E_DB;
	char prev[65] = "";
	int64_t want = 1, n = 0;
	int rc;
	*bad_id = 0;
	while ((rc = db_step(s, e)) == DB_ROW) {
		int64_t id = db_col_int(s, 0), u, o, ei;
		const char *f[NFIELDS];
		char ibuf[4][24], hash[65];
		if (id != want) {
			*bad_id = want;
			rc = err_set(e, E_INTERNAL, "审计日志第 %" PRId64 " 条缺失（被删除）", want);
			break;
		}
		entry_fields(ibuf, f, id, db_col_text(s, 1), opt_int(s, 2, &u), opt_int(s, 3, &o),
			     db_col_text(s, 4), db_col_text(s, 5), opt_int(s, 6, &ei),
			     db_col_text(s, 7), db_col_text(s, 8));
		hashchain_entry(prev, f, NFIELDS, hash);
		const char *stored_prev = db_col_text(s, 9), *stored = db_col_text(s, 10);
		if (!stored_prev || strcmp(stored_prev, prev) || !stored ||
		    !hashchain_hex_equal(stored, hash)) {
			*bad_id = id;
			rc = err_set(e, E_INTERNAL, "审计日志第 %" PRId64 " 条已被篡改", id);
			break;
		}
		snprintf(prev, sizeof prev, "%s", stored);
		want++;
		n++;
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	/* the head must point at the last entry: catches deleting the tail */
	s = db_q(c, e, "SELECT seq, hash FROM audit_head WHERE one = 1", "");
	if (!s)
		return -E_DB;
	rc = db_step(s, e);
	if (rc == DB_ROW && (db_col_int(s, 0) != n || strcmp(db_col_text(s, 1), prev))) {
		*bad_id = n + 1;
		rc = err_set(e, E_INTERNAL, "审计日志末尾的第 %" PRId64 " 条起缺失或链头被改动", n + 1);
	} else if (rc == DB_ROW) {
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_set(e, E_INTERNAL, "审计链头缺失");
	}
	db_finalize(s);
	*entries = n;
	return rc;
}

/* GET /audit?entity=&entity_id=&action=&user_id=&limit=&offset= — newest first,
 * entries about the caller's subtree (entries with no unit: root only). */
int audit_h_list(struct req *r)
{
	int64_t limit, offset, eid, uid;
	int rc = req_paging(r, &limit, &offset);
	if (!rc)
		rc = req_query_int(r, "entity_id", 0, 0, INT64_MAX, &eid);
	if (!rc)
		rc = req_query_int(r, "user_id", 0, 0, INT64_MAX, &uid);
	if (rc)
		return rc;
	struct db_args a = {0};
	char where[512] = "FROM audit_log a WHERE (a.org_id IN (SELECT id FROM orgs WHERE path LIKE ?)"
			  " OR (a.org_id IS NULL AND ? = '/' || (SELECT MIN(id) FROM orgs) || '/'))";
	db_arg_str(&a, ctx_scope_like(&r->x));
	db_arg_str(&a, r->x.who.org_path);
	if (req_query(r, "entity")) {
		strcat(where, " AND a.entity = ?");
		db_arg_str(&a, req_query(r, "entity"));
	}
	if (req_query(r, "action")) {
		strcat(where, " AND a.action = ?");
		db_arg_str(&a, req_query(r, "action"));
	}
	if (eid) {
		strcat(where, " AND a.entity_id = ?");
		db_arg_int(&a, eid);
	}
	if (uid) {
		strcat(where, " AND a.user_id = ?");
		db_arg_int(&a, uid);
	}
	char *text = NULL;
	if ((rc = db_page_text(r->x.db, &r->err,
			       "a.id, a.at, a.user_id, a.org_id, a.action, a.entity, a.entity_id, a.summary, a.client",
			       where, "a.id DESC", &a, limit, offset, &text)))
		return rc;
	return req_reply_text(r, 200, text);
}
