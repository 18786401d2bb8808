/* auth.c — passwords (argon2id), sessions and tokens, login/logout/me.
 *
 * Tokens are 256 random bits (libsodium), shown to the client once and
 * stored only as a BLAKE2b hash.  A session's last_seen is refreshed at
 * most once a minute, so idle expiry is judged to within a minute without
 * a database write on every request.
 */
#include "services/auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/req.h"
#include "rules/password.h"
#include "services/audit.h"
#include "store/migrate.h"

#define TOUCH_SECONDS 60

int auth_hash_password(const char *pw, char out[128], struct err *e)
{
	_Static_assert(crypto_pwhash_STRBYTES <= 128, "hash buffer");
	if (crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13))
		return err_set(e, E_INTERNAL, "密码哈希失败（内存不足）");
	return 0;
}

/* argon2id verifications since start, for /metrics: a failed login makes
 * one whether or not the user exists (RULE login.no_enumeration). */
static unsigned long long password_checks;

int auth_verify_password(const char *hash, const char *pw)
{
	__atomic_add_fetch(&password_checks, 1, __ATOMIC_RELAXED);
	return hash && crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

unsigned long long auth_password_checks(void)
{
	return __atomic_load_n(&password_checks, __ATOMIC_RELAXED);
}

static void random_hex(char *out, size_t nbytes)
{
	unsigned char buf[64];
	randombytes_buf(buf, nbytes);
	sodium_bin2hex(out, nbytes * 2 + 1, buf, nbytes);
}

/* RULE login.no_enumeration: the hash of a random password, made with the
 * parameters of every user's hash, that a login for an unknown username
 * is verified against — one argon2id per failed login either way, so the
 * time of the answer does not say whether the user exists. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_make(void)
{
	char pw[33];
	struct err e = {0};
	random_hex(pw, 16);
	if (auth_hash_password(pw, dummy_hash, &e))
		dummy_hash[0] = '\0'; /* out of memory: verify() fails fast, the login still fails */
	err_clear(&e);
}

void auth_prepare(void)
{
	pthread_once(&dummy_once, dummy_make);
}

static void token_hash(const char *token, char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
}

#define ACTOR_COLS \
	"u.id, u.username, u.name, u.role, u.org_id, o.path, o.level, u.locked, o.name," \
	" u.must_change_password"

static void actor_from_row(struct ctx *x, struct db_stmt *s, int base)
{
	x->who.id = db_col_int(s, base);
	x->who.username = arena_strdup(x->a, db_col_text(s, base + 1));
	x->who.name = arena_strdup(x->a, db_col_text(s, base + 2));
	x->who.role = role_parse(db_col_text(s, base + 3));
	x->who.org_id = db_col_int(s, base + 4);
	x->who.org_path = arena_strdup(x->a, db_col_text(s, base + 5));
	x->who.org_level = level_parse(db_col_text(s, base + 6));
	x->who.org_name = arena_strdup(x->a, db_col_text(s, base + 8));
	x->who.must_change = db_col_int(s, base + 9) != 0;
}

int auth_load_actor(struct ctx *x, const char *username, int64_t id, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT " ACTOR_COLS " FROM users u JOIN orgs o ON o.id = u.org_id"
				 " WHERE u.username = ? OR u.id = ?",
				 "si", username, id);
	if (!s)
		return -E_DB;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		actor_from_row(x, s, 0);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_set(e, E_NOT_FOUND, "用户不存在：%s", username ? username : "?");
	}
	db_finalize(s);
	return rc;
}

static const char *bearer_or_cookie(struct req *r)
{
	const char *h = req_header(r, "Authorization");
	if (h && !strncasecmp(h, "Bearer ", 7))
		return h + 7;
	const char *c = req_cookie(r, AUTH_COOKIE);
	if (c)
		r->via_cookie = 1;
	return c;
}

int auth_authenticate(struct req *r)
{
	struct ctx *x = &r->x;
	const char *token = bearer_or_cookie(r);
	if (!token || strlen(token) != 64)
		return err_set(&r->err, E_UNAUTHENTICATED, NULL);
	char th[65];
	token_hash(token, th);
	struct db_stmt *s = db_q(x->db, &r->err,
				 "SELECT s.id, s.last_seen, s.csrf_token, " ACTOR_COLS ","
				 " (SELECT n FROM kept_gen WHERE name = 'orgs'), (SELECT n FROM kept_gen WHERE name = 'calendar')"
				 " FROM sessions s JOIN users u ON u.id = s.user_id"
				 " JOIN orgs o ON o.id = u.org_id WHERE s.token_hash = ? AND s.revoked = 0",
				 "s", th);
	if (!s)
		return -E_DB;
	int rc = db_step(s, &r->err);
	if (rc != DB_ROW) {
		db_finalize(s);
		return rc < 0 ? rc : err_set(&r->err, E_UNAUTHENTICATED, NULL);
	}
	int64_t sid = db_col_int(s, 0), seen = 0;
	const char *last = db_col_text(s, 1);
	int never_used = last == NULL, locked = (int)db_col_int(s, 10);
	if (last)
		ts_parse(last, &seen);
	r->csrf = arena_strdup(x->a, db_col_text(s, 2));
	actor_from_row(x, s, 3);
	r->orgs_gen = db_col_int(s, 13); /* RULE orgs.cache: read with the session */
	x->cal_gen = db_col_int(s, 14);  /* RULE calendar.cache */
	db_finalize(s);

	/* RULE session.idle: judged by the one clock */
	int64_t idle = (int64_t)x->cfg->session_idle_min * 60;
	if (locked || (!never_used && x->now - seen > idle)) {
		/* an expired session stays dead, whatever the clock does next */
		struct err ignore = {0};
		db_run(x->db, &ignore, "UPDATE sessions SET revoked = 1 WHERE id = ?", "i", sid);
		err_clear(&ignore);
		memset(&x->who, 0, sizeof x->who);
		return err_set(&r->err, E_UNAUTHENTICATED, locked ? "账户已停用" : "登录已超时，请重新登录");
	}
	if (never_used || x->now - seen >= TOUCH_SECONDS)
		db_run(x->db, &r->err, "UPDATE sessions SET last_seen = ? WHERE id = ?", "si", x->now_s,
		       sid);
	r->session_id = sid;
	x->authed = 1;
	return 0;
}

int auth_check_csrf(struct req *r)
{
	const char *h = req_header(r, "X-CSRF-Token");
	if (!h || !r->csrf || strlen(h) != strlen(r->csrf) ||
	    sodium_memcmp(h, r->csrf, strlen(h)) != 0)
		return err_set(&r->err, E_CSRF_FAILED, NULL);
	return 0;
}

static int session_new(struct ctx *x, int64_t user_id, const char *kind, char token[65],
		       char csrf[33], struct err *e)
{
	char th[65];
	random_hex(token, 32);
	random_hex(csrf, 16);
	token_hash(token, th);
	const char *last = strcmp(kind, "web") ? NULL : x->now_s;
	return db_run(x->db, e,
		      "INSERT INTO sessions (token_hash, csrf_token, user_id, kind, created_at, last_seen)"
		      " VALUES (?, ?, ?, ?, ?, ?)",
		      "ssisss", th, csrf, user_id, kind, x->now_s, last);
}

int auth_token_create(struct ctx *x, const char *username, char out[65], struct err *e)
{
	int rc = auth_load_actor(x, username, 0, e);
	char csrf[33];
	if (!rc)
		rc = db_begin(x->db, 1, e);
	if (!rc)
		rc = session_new(x, x->who.id, "cli", out, csrf, e);
	if (!rc)
		rc = audit_add(x, "token_create", "session", x->who.id, x->who.org_id, e,
			       "为用户 %s 创建命令行令牌", username);
	if (!rc)
		rc = db_commit(x->db, e);
	db_rollback(x->db);
	return rc;
}

int auth_revoke_user(struct ctx *x, int64_t user_id, struct err *e)
{
	return db_run(x->db, e, "UPDATE sessions SET revoked = 1 WHERE user_id = ?", "i", user_id);
}

static json_t *me_json(const struct actor *w)
{
	return json_pack("{s:I,s:s,s:s,s:I,s:s}", "id", (json_int_t)w->id, "username", w->username,
			 "name", w->name, "org_id", (json_int_t)w->org_id, "role", role_name(w->role));
}

/* Records a failed login (its own transaction) and answers 401. */
static int login_failed(struct req *r, const char *username)
{
	struct ctx *x = &r->x;
	struct err e = {0};
	if (db_begin(x->db, 1, &e) == 0 &&
	    db_run(x->db, &e, "INSERT INTO login_failures (username, at, client) VALUES (?, ?, ?)",
		   "sss", username, x->now_s, x->client) == 0 &&
	    audit_add(x, "login_failed", "session", 0, 0, &e, "登录失败：用户名 %.64s", username) == 0)
		db_commit(x->db, &e);
	db_rollback(x->db);
	err_clear(&e);
	return err_set(&r->err, E_INVALID_CREDENTIALS, NULL);
}

/* POST /login {"username","password"} — R_OWN_TX: argon2id runs outside
 * any transaction so slow hashing never holds the write lock. */
int auth_h_login(struct req *r)
{
	struct ctx *x = &r->x;
	const char *username = body_str(r, "username"), *pw = body_str(r, "password");
	char since[21];
	ts_format(x->now - AUTH_LOCK_SECONDS, since);

	/* RULE login.spray: many failures from one address, over any names */
	int64_t fails = 0;
	int rc = db_int(x->db, &r->err, &fails, NULL,
			"SELECT COUNT(*) FROM login_failures WHERE client = ? AND at > ?", "ss", x->client, since);
	if (rc)
		return rc;
	if (fails >= AUTH_CLIENT_FAILURES)
		return err_set(&r->err, E_RATE_LIMITED, "此地址登录失败次数过多，请15分钟后再试");

	/* RULE login.lockout: 5 failures in 15 minutes lock the account 15 minutes */
	if ((rc = db_int(x->db, &r->err, &fails, NULL,
			 "SELECT COUNT(*) FROM login_failures WHERE username = ? AND at > ?", "ss", username,
			 since)))
		return rc;
	if (fails >= AUTH_LOCK_FAILURES)
		return err_set(&r->err, E_ACCOUNT_LOCKED, NULL);

	struct db_stmt *s = db_q(x->db, &r->err,
				 "SELECT " ACTOR_COLS ", u.password_hash FROM users u"
				 " JOIN orgs o ON o.id = u.org_id WHERE u.username = ?",
				 "s", username);
	if (!s)
		return -E_DB;
	rc = db_step(s, &r->err);
	char hash[160] = "";
	int locked = 0;
	if (rc == DB_ROW) {
		actor_from_row(x, s, 0);
		locked = (int)db_col_int(s, 7);
		snprintf(hash, sizeof hash, "%s", db_col_text(s, 10));
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE) {
		auth_prepare();
		snprintf(hash, sizeof hash, "%s", dummy_hash);
	}
	if (!auth_verify_password(hash, pw) || rc == DB_DONE) {
		memset(&x->who, 0, sizeof x->who);
		return login_failed(r, username);
	}
	if (locked) {
		memset(&x->who, 0, sizeof x->who);
		return err_set(&r->err, E_FORBIDDEN, "账户已停用，请联系管理员");
	}
	/* A success forgives this name's failures from this address only: those
	 * from elsewhere still count, for the lock and for their address's
	 * limit (RULE login.spray: the real user logging in does not clear what
	 * a sprayer tried on the same name). */
	char token[65], csrf[33];
	if ((rc = db_begin(x->db, 1, &r->err)) ||
	    (rc = session_new(x, x->who.id, "web", token, csrf, &r->err)) ||
	    (rc = db_run(x->db, &r->err, "DELETE FROM login_failures WHERE username = ? AND client = ?", "ss",
			 username, x->client)) ||
	    (rc = audit_add(x, "login", "session", x->who.id, x->who.org_id, &r->err, "用户 %s 登录",
			    username)) ||
	    (rc = db_commit(x->db, &r->err)))
		return rc;
	r->set_cookie = arena_printf(x->a, AUTH_COOKIE "=%s; HttpOnly; SameSite=Strict; Path=/", token);
	return req_reply(r, 200, json_pack("{s:s,s:s,s:o}", "token", token, "csrf_token", csrf, "user",
					   me_json(&x->who)));
}

int auth_h_logout(struct req *r)
{
	int rc = db_run(r->x.db, &r->err, "UPDATE sessions SET revoked = 1 WHERE id = ?", "i",
			r->session_id);
	if (!rc)
		rc = audit_add(&r->x, "logout", "session", r->x.who.id, 0, &r->err, "用户 %s 退出登录",
			       r->x.who.username);
	if (rc)
		return rc;
	r->set_cookie = AUTH_COOKIE "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0";
	r->status = 204;
	return 0;
}

int auth_h_me(struct req *r)
{
	/* everything from the session's own row (auth_authenticate): no query */
	const struct actor *w = &r->x.who;
	json_t *me = me_json(w);
	json_object_set_new(me, "org_level", json_string(level_name(w->org_level)));
	json_object_set_new(me, "org_name", json_string(w->org_name ? w->org_name : ""));
	/* a generated or admin-set password: the UI asks for a new one, the API does not insist */
	json_object_set_new(me, "must_change_password", json_boolean(w->must_change));
	json_object_set_new(me, "today", json_string(r->x.today_s)); /* the server's clock */
	json_object_set_new(me, "csrf_token", json_string(r->csrf ? r->csrf : ""));
	return req_reply(r, 200, me);
}

int auth_h_healthz(struct req *r)
{
	int64_t one = 0;
	if (db_int(r->x.db, &r->err, &one, NULL, "SELECT 1", "") != 0)
		return err_set(&r->err, E_DB, NULL);
	return req_reply(r, 200, json_pack("{s:s}", "status", "ok"));
}

int auth_h_readyz(struct req *r)
{
	if (migrate_check(r->x.db, &r->err) != 0)
		return err_set(&r->err, E_DB, "未就绪：%s", r->err.msg);
	return req_reply(r, 200, json_pack("{s:s}", "status", "ready"));
}

const struct field password_body[] = {
	{"old_password", F_STR, F_REQ, 1, 128, "原密码"},
	{"new_password", F_STR, F_REQ, 1, 128, "新密码"},
	FIELDS_END,
};

/* POST /me/password {"old_password","new_password"} — ends the user's other
 * sessions; this one stays. */
int auth_h_password(struct req *r)
{
	struct ctx *x = &r->x;
	char hash[160] = "";
	struct db_stmt *s = db_q(x->db, &r->err, "SELECT password_hash FROM users WHERE id = ?", "i", x->who.id);
	if (s && db_step(s, &r->err) == DB_ROW)
		snprintf(hash, sizeof hash, "%s", db_col_text(s, 0));
	db_finalize(s);
	if (!auth_verify_password(hash, body_str(r, "old_password")))
		return err_field(&r->err, "old_password", "原密码不正确");
	const char *why = NULL;
	if (password_check(body_str(r, "new_password"), &why) != 0)
		return err_field(&r->err, "new_password", "%s", why);
	if (!strcmp(body_str(r, "old_password"), body_str(r, "new_password")))
		return err_field(&r->err, "new_password", "新密码不能与原密码相同");
	char nh[128];
	int rc = auth_hash_password(body_str(r, "new_password"), nh, &r->err);
	if (!rc)
		rc = db_run(x->db, &r->err, "UPDATE users SET password_hash = ?, must_change_password = 0 WHERE id = ?",
			    "si", nh, x->who.id);
	if (!rc)
		rc = db_run(x->db, &r->err, "UPDATE sessions SET revoked = 1 WHERE user_id = ? AND id <> ?", "ii",
			    x->who.id, r->session_id);
	if (!rc)
		rc = audit_add(x, "password", "user", x->who.id, x->who.org_id, &r->err, "本人修改密码");
	if (!rc)
		r->status = 204;
	return rc;
}
