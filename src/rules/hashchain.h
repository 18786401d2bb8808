/*
 * hashchain — the audit log hash chain.  Each entry's hash covers the
 * previous entry's hash and the entry's fields, so editing, dropping or
 * reordering any entry breaks every later hash.  Uses libsodium's
 * crypto_generichash (BLAKE2b) with a 32-byte output, written as
 * lower-case hex.
 */
#ifndef BANGFU_RULES_HASHCHAIN_H
#define BANGFU_RULES_HASHCHAIN_H

#include <stddef.h>

/* RULE audit.chain: out_hex = hex(BLAKE2b-256 over: the bytes of prev_hex
 * (nothing when NULL) then, for each of the nfields fields, a NULL field as
 * the single byte 0x00, a string as 0x01 + its length as 8 bytes big-endian
 * + its bytes).  So ("ab","c"), ("a","bc"), (NULL) and ("") all differ.
 * fields may be NULL when nfields is 0.  out_hex gets 64 hex digits + NUL. */
void hashchain_entry(const char *prev_hex, const char *const fields[], size_t nfields, char out_hex[65]);

/* Compares two 64-character hex strings in time independent of where they
 * differ.  Returns 1 when both are exactly 64 characters and equal, else 0
 * (including NULL arguments). */
int hashchain_hex_equal(const char *a, const char *b);

#endif
