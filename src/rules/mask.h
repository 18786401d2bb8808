/*
 * mask — hiding most of a personal identifier for display and export.
 * Lengths are in bytes: the inputs are ASCII identifiers.
 */
#ifndef BANGFU_RULES_MASK_H
#define BANGFU_RULES_MASK_H

#include <stddef.h>

/* RULE mask.id: writes the first 6 characters of id, one '*' per middle
 * character, then the last 4: "110101199003074514" -> "110101********4514".
 * An id shorter than 11 characters becomes all '*' (same length).  A NULL
 * id is treated as "".  The result is truncated to fit outsz and always
 * NUL-terminated when outsz > 0; outsz >= strlen(id) + 1 avoids truncation. */
void mask_id_number(const char *id, char *out, size_t outsz);

/* RULE mask.phone: writes the first 3 characters of p, one '*' per middle
 * character, then the last 4: "13800138000" -> "138****8000".  A p shorter
 * than 8 characters becomes all '*'.  NULL, truncation and termination as
 * for mask_id_number. */
void mask_phone(const char *p, char *out, size_t outsz);

#endif
