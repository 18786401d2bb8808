/* auth.h — passwords, sessions, tokens, login/logout/me. */
#ifndef BANGFU_AUTH_H
#define BANGFU_AUTH_H

#include "core/ctx.h"
#include "http/route.h"

struct req;

#define AUTH_COOKIE "bangfu_session"
#define AUTH_LOCK_FAILURES 5
#define AUTH_LOCK_SECONDS (15 * 60)
/* RULE login.spray: this many failed logins from one client address in
 * AUTH_LOCK_SECONDS, whatever the usernames, refuse its logins (429). */
#define AUTH_CLIENT_FAILURES 20

/* argon2id (libsodium).  out must hold crypto_pwhash_STRBYTES (128). */
int auth_hash_password(const char *pw, char out[128], struct err *e);
int auth_verify_password(const char *hash, const char *pw); /* 1 match */
/* How many verifications this process made (bangfu_password_verifications_total). */
unsigned long long auth_password_checks(void);
/* Makes (once per process) the hash a login of an unknown username is
 * verified against; serve calls it at start so no login pays for it. */
void auth_prepare(void);

/* Finds the caller's session from the bearer token or the cookie, checks
 * idle expiry against the one clock, and fills r->x.who.  401 otherwise. */
int auth_authenticate(struct req *r);
/* Cookie sessions: X-CSRF-Token must equal the session's token (403). */
int auth_check_csrf(struct req *r);

/* A CLI bearer token for `username`; its idle timer starts at first use.
 * out gets 64 hex characters. */
int auth_token_create(struct ctx *x, const char *username, char out[65], struct err *e);

/* Ends every session of a user (password change, lock). */
int auth_revoke_user(struct ctx *x, int64_t user_id, struct err *e);

/* Loads an actor (user + org) by username or id into x->who (arena). */
int auth_load_actor(struct ctx *x, const char *username, int64_t id, struct err *e);

int auth_h_login(struct req *r);
int auth_h_logout(struct req *r);
int auth_h_me(struct req *r);
int auth_h_healthz(struct req *r);
int auth_h_readyz(struct req *r);
int auth_h_password(struct req *r);
extern const struct field password_body[];

#endif
