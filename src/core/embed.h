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
/* The statutory calendars (the CSV files of src/store/calendar), ended by {0}. */
extern const struct embedded calendars[];

/* The web interface (build/web), embedded by mk/embed_web.sh. */
struct web_asset {
	const char *path;   /* "/index.html", "/assets/index-3f2a.js" */
	const char *data;
	size_t size;
	const char *gz;     /* gzip -9 copy, or NULL */
	size_t gz_size;
};
extern const struct web_asset webassets[]; /* ended by {NULL} */

#endif
