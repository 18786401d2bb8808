/* orgs.h — org units (city → district → street → grassroots) and scope. */
#ifndef BANGFU_ORGS_H
#define BANGFU_ORGS_H

#include "core/ctx.h"

struct req;

struct org {
	int64_t id, parent_id;
	const char *name, *region_code, *path;
	enum org_level level;
};

/* Loads org `id` if it lies in the actor's subtree; -E_NOT_FOUND if it does
 * not exist or lies outside (never say which).  out may be NULL. */
int org_in_scope(struct ctx *x, int64_t id, struct org *out, struct err *e);

/* Creates an org under parent (0: a root, used by init only).  Writes the
 * audit entry; the caller owns the transaction.  *id gets the new id. */
int org_create(struct ctx *x, int64_t parent_id, const char *name, enum org_level level,
	       const char *region_code, int64_t *id, struct err *e);

json_t *org_json(struct ctx *x, int64_t id, struct err *e);

/* RULE scope.record: row `id` of `table` (a constant, never input; it has an
 * org_id column) lies in the actor's subtree; otherwise E_NOT_FOUND with the
 * zh-CN `missing` message, never saying whether it exists. */
int record_in_scope(struct ctx *x, const char *table, int64_t id, const char *missing,
		    struct err *e);

int orgs_scope(struct req *r);
int orgs_h_list(struct req *r);
int orgs_h_get(struct req *r);
int orgs_h_create(struct req *r);
int orgs_h_update(struct req *r);

#endif
