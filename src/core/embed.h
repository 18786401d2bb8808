/* embed.h — files compiled into the binary by mk/embed.sh. */
#ifndef BANGFU_EMBED_H
#define BANGFU_EMBED_H

#include <stddef.h>

struct embedded {
	const char *name; /* base name, e.g. "001_foundation.sql" */
	const char *data; /* NUL-terminated */
	size_t size;      /* without the NUL */
};

extern const struct embedded migrations[]; /* sorted by name, ended by {0} */

#endif
