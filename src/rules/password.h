/*
 * password — the account password policy.
 */
#ifndef BANGFU_RULES_PASSWORD_H
#define BANGFU_RULES_PASSWORD_H

/* Longest password accepted, in bytes (keeps hashing cost bounded). */
#define PASSWORD_MAX_BYTES 128
/* Shortest password accepted, in Unicode code points. */
#define PASSWORD_MIN_CHARS 10

/* RULE password.strength: accepts pw when it is valid UTF-8, has at least
 * 10 characters counted as code points, at least one ASCII letter and one
 * ASCII digit, and at most 128 bytes.  Returns 0 ok; -1 bad, with *why (if
 * why is not NULL) set to a static zh-CN sentence for the user, e.g.
 * "密码至少10个字符，且须同时包含字母和数字".  A NULL pw is bad. */
int password_check(const char *pw, const char **why);

#endif
