/* utf8.h — checking and repairing UTF-8 text (pure, no allocation).
 *
 * Every text bangfu stores or hashes into the audit chain is UTF-8
 * (API.md "General"): the readers decode what they are given (rules/sheet.h),
 * the store refuses any other text (store/db.c), and texts built by printf
 * into fixed buffers are cut on a character boundary, never inside one. */
#ifndef BANGFU_RULES_UTF8_H
#define BANGFU_RULES_UTF8_H

#include <stddef.h>

/* 1 when s[0..n) is well-formed UTF-8 (no overlong forms, no surrogates,
 * nothing above U+10FFFF), else 0. */
int utf8_valid(const char *s, size_t n);

/* Makes the NUL-terminated s well-formed in place: an incomplete sequence
 * at its end (what a byte-counted cut leaves: snprintf into a full buffer,
 * "%.64s") is dropped, any other invalid byte becomes '?'.  Returns the
 * number of bytes changed or dropped (0: s was already valid). */
size_t utf8_repair(char *s);

#endif
