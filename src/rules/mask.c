/* mask — see mask.h. */
#include "rules/mask.h"

#include <string.h>

/* Keeps `head` leading and `tail` trailing bytes of s when s has at least
 * `min` bytes, stars everything else. */
static void mask_keep(const char *s, size_t head, size_t tail, size_t min,
                      char *out, size_t outsz)
{
	if (out == NULL || outsz == 0)
		return;
	size_t len = s == NULL ? 0 : strlen(s);
	int keep = len >= min;
	size_t i;
	for (i = 0; i < len && i + 1 < outsz; i++)
		out[i] = keep && (i < head || i >= len - tail) ? s[i] : '*';
	out[i] = '\0';
}

void mask_id_number(const char *id, char *out, size_t outsz)
{
	/* RULE mask.id */
	mask_keep(id, 6, 4, 11, out, outsz);
}

void mask_phone(const char *p, char *out, size_t outsz)
{
	/* RULE mask.phone */
	mask_keep(p, 3, 4, 8, out, outsz);
}
