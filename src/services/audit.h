/* audit.h — the append-only, hash-chained audit log.
 *
 * audit_add() must run inside the caller's write transaction: the entry
 * and the change it records commit together or not at all.  It takes the
 * chain head's row lock (UPDATE audit_head), so entries are numbered
 * without gaps and chained in commit order on both engines.
 * Never put a password, token or full ID number in a summary.
 */
#ifndef BANGFU_AUDIT_H
#define BANGFU_AUDIT_H

#include "core/ctx.h"

struct req;

/* Many entries in one go (a bulk import): audit_chain_open() takes the
 * head's row lock and reads it, audit_chain_add() appends one entry (one
 * INSERT), audit_chain_close() writes the head back.  Nothing else may
 * append between open and close.  audit_add() is the three in one. */
struct audit_chain {
	int64_t seq;
	char hash[65];
};
int audit_chain_open(struct ctx *x, struct audit_chain *ch, struct err *e);
int audit_chain_add(struct ctx *x, struct audit_chain *ch, const char *action, const char *entity,
		    int64_t entity_id, int64_t org_id, struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));
int audit_chain_close(struct ctx *x, const struct audit_chain *ch, struct err *e);

int audit_add(struct ctx *x, const char *action, const char *entity, int64_t entity_id,
	      int64_t org_id, struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* Walks the whole chain.  0 when intact; otherwise E_INTERNAL with the
 * first broken entry named in e->msg and *bad_id set. */
int audit_verify(struct db *c, int64_t *entries, int64_t *bad_id, struct err *e);

int audit_h_list(struct req *r);

#endif
