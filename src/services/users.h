/* users.h — accounts.  Passwords follow RULE password.strength. */
#ifndef BANGFU_USERS_H
#define BANGFU_USERS_H

#include "core/ctx.h"

struct req;

/* Creates a user in org_id (must be in the actor's scope).  Validates every
 * field; the caller owns the transaction.  *id gets the new id. */
int user_add(struct ctx *x, const char *username, const char *name, int64_t org_id,
	     const char *role, const char *password, int64_t *id, struct err *e);
/* Sets a new password (checked) and ends the user's sessions.  must_change:
 * the password was generated or chosen by someone else (an admin's reset), so
 * GET /me tells the user to change it; their own change clears the flag. */
int user_set_password(struct ctx *x, int64_t id, const char *password, int must_change,
		      struct err *e);
/* Locks (1) or unlocks (0); locking ends the user's sessions. */
int user_set_locked(struct ctx *x, int64_t id, int locked, struct err *e);
/* The id of a user by name, in the actor's scope. */
int user_find(struct ctx *x, const char *username, int64_t *id, struct err *e);

int users_scope(struct req *r);
int users_h_list(struct req *r);
int users_h_get(struct req *r);
int users_h_create(struct req *r);
int users_h_update(struct req *r);

#endif
