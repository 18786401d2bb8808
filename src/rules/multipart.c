/* multipart.c — one field of a multipart/form-data body. */
#include "rules/multipart.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

int multipart_is(const char *ct)
{
	if (!ct)
		return 0;
	while (*ct == ' ')
		ct++;
	return !strncasecmp(ct, "multipart/form-data", 19) && (!ct[19] || ct[19] == ';' || ct[19] == ' ');
}

/* Parameter `name` of a header value ("form-data; name=\"file\""), quoted
 * or not, into out.  Returns 0 or -1 when absent. */
static int param(const char *v, size_t vlen, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name);
	size_t i = 0;
	while (i < vlen) {
		/* to the next ';' outside quotes */
		while (i < vlen && v[i] != ';') {
			if (v[i] == '"')
				for (i++; i < vlen && v[i] != '"'; i++)
					if (v[i] == '\\')
						i++;
			i++;
		}
		if (i >= vlen)
			break;
		i++;
		while (i < vlen && (v[i] == ' ' || v[i] == '\t'))
			i++;
		if (vlen - i > nl && !strncasecmp(v + i, name, nl) && v[i + nl] == '=') {
			i += nl + 1;
			size_t o = 0;
			if (i < vlen && v[i] == '"') {
				for (i++; i < vlen && v[i] != '"'; i++) {
					if (v[i] == '\\' && i + 1 < vlen)
						i++;
					if (o + 1 < outlen)
						out[o++] = v[i];
				}
			} else {
				for (; i < vlen && v[i] != ';' && v[i] != ' ' && v[i] != '\t'; i++)
					if (o + 1 < outlen)
						out[o++] = v[i];
			}
			out[o] = '\0';
			return 0;
		}
	}
	return -1;
}

int multipart_find(const char *ct, const char *body, size_t len, const char *field,
		   struct mp_part *out, char *err, size_t errlen)
{
	char b[80] = "--", name[128];
	memset(out, 0, sizeof *out);
	if (!multipart_is(ct) || param(ct, strlen(ct), "boundary", b + 2, sizeof b - 2) || !b[2] ||
	    strlen(b) > 72) {
		snprintf(err, errlen, "multipart/form-data 请求缺少有效的 boundary 参数");
		return -1;
	}
	size_t bl = strlen(b);
	const char *end = body + len;
	const char *p = len >= bl ? memmem(body, len, b, bl) : NULL;
	while (p) {
		p += bl;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			break; /* the closing delimiter */
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
			p += 2;
		else if (p < end && *p == '\n')
			p++;
		else
			goto bad;
		/* headers, up to an empty line */
		int is_field = 0;
		char type[128] = "", file[256] = "";
		for (;;) {
			const char *eol = memchr(p, '\n', (size_t)(end - p));
			if (!eol)
				goto bad;
			size_t hl = (size_t)(eol - p);
			if (hl && p[hl - 1] == '\r')
				hl--;
			if (!hl) {
				p = eol + 1;
				break;
			}
			const char *colon = memchr(p, ':', hl);
			if (colon) {
				size_t kl = (size_t)(colon - p);
				const char *v = colon + 1;
				size_t vl = hl - kl - 1;
				while (vl && (*v == ' ' || *v == '\t'))
					v++, vl--;
				if (kl == 19 && !strncasecmp(p, "Content-Disposition", 19)) {
					if (!param(v, vl, "name", name, sizeof name) && !strcmp(name, field))
						is_field = 1;
					param(v, vl, "filename", file, sizeof file);
				} else if (kl == 12 && !strncasecmp(p, "Content-Type", 12)) {
					snprintf(type, sizeof type, "%.*s", (int)(vl < 127 ? vl : 127), v);
				}
			}
			p = eol + 1;
		}
		/* the content, up to CRLF + delimiter */
		const char *next = NULL;
		for (const char *q = p; q < end;) {
			const char *m = memmem(q, (size_t)(end - q), b, bl);
			if (!m)
				break;
			/* a delimiter: at a line start, then "--" or the end of the line */
			const char *after = m + bl;
			while (after < end && (*after == ' ' || *after == '\t'))
				after++;
			if (m - p >= 1 && m[-1] == '\n' &&
			    (end - after < 1 || *after == '\r' || *after == '\n' ||
			     (end - (m + bl) >= 2 && m[bl] == '-' && m[bl + 1] == '-'))) {
				next = m;
				break;
			}
			q = m + 1;
		}
		if (!next)
			goto bad;
		if (is_field) {
			size_t n = (size_t)(next - p) - 1; /* the '\n' */
			if (n && p[n - 1] == '\r')
				n--;
			out->data = p;
			out->len = n;
			snprintf(out->content_type, sizeof out->content_type, "%s", type);
			snprintf(out->filename, sizeof out->filename, "%s", file);
			return 0;
		}
		p = next;
	}
	snprintf(err, errlen, "multipart/form-data 请求中没有名为“%s”的文件字段", field);
	return -1;
bad:
	snprintf(err, errlen, "multipart/form-data 请求体格式错误或不完整");
	return -1;
}
