/* multipart.h — finding one file field in a multipart/form-data body
 * (RFC 7578).  Pure: pointers into the caller's buffer, nothing copied. */
#ifndef BANGFU_RULES_MULTIPART_H
#define BANGFU_RULES_MULTIPART_H

#include <stddef.h>

struct mp_part {
	const char *data;      /* into the body */
	size_t len;
	char content_type[128];  /* "" when the part has none */
	char filename[256];      /* "" when none */
};

/* 1 when the Content-Type names multipart/form-data. */
int multipart_is(const char *content_type);

/* Finds the part whose Content-Disposition name is `field`.  Returns 0,
 * or -1 with a zh-CN reason in err (no boundary, malformed body, no such
 * field). */
int multipart_find(const char *content_type, const char *body, size_t len, const char *field,
		   struct mp_part *out, char *err, size_t errlen);

#endif
