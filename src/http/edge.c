/* edge.c — framing, client address and log escaping of the HTTP edge. */
#include "http/edge.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* RFC 9110 §5.6.2: token = 1*tchar */
static int is_token(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      strchr("!#$%&'*+-.^_`|~", c)))
			return 0;
	}
	return 1;
}

/* libmicrohttpd 0.9.75 appends a folded continuation line to the previous
 * header's *name* ("Transfer-Encoding:\r\n chunked" arrives as the name
 * "Transfer-Encodingchunked"): a name that starts like a framing header
 * but is longer is such a fold. */
static int folded_framing_name(const char *name)
{
	static const char *const framing[] = {"content-length", "transfer-encoding"};
	for (size_t i = 0; i < sizeof framing / sizeof framing[0]; i++) {
		size_t n = strlen(framing[i]);
		if (!strncasecmp(name, framing[i], n) && name[n])
			return 1;
	}
	return 0;
}

/* "chunked" alone, ignoring surrounding blanks, any case. */
static int only_chunked(const char *v)
{
	while (*v == ' ' || *v == '\t')
		v++;
	if (strncasecmp(v, "chunked", 7))
		return 0;
	for (v += 7; *v == ' ' || *v == '\t'; v++)
		;
	return !*v;
}

const char *edge_framing_problem(const struct edge_header *h, int n, int http10)
{
	int cl = 0, te = 0, host = 0;
	const char *te_value = NULL;
	for (int i = 0; i < n; i++) {
		const char *name = h[i].name ? h[i].name : "";
		if (!is_token(name))
			return "请求头名称不合法（含空格或控制字符，或为折行）";
		if (folded_framing_name(name))
			return "Content-Length 或 Transfer-Encoding 请求头被折行";
		if (!strcasecmp(name, "Content-Length"))
			cl++;
		else if (!strcasecmp(name, "Transfer-Encoding")) {
			te++;
			te_value = h[i].value ? h[i].value : "";
		} else if (!strcasecmp(name, "Host"))
			host++;
	}
	if (cl > 1)
		return "请求含多个 Content-Length";
	if (te > 1)
		return "请求含多个 Transfer-Encoding";
	if (cl && te)
		return "请求同时含 Content-Length 与 Transfer-Encoding";
	if (te && (http10 || !only_chunked(te_value)))
		return "不支持的 Transfer-Encoding（只接受 HTTP/1.1 的 chunked）";
	if (host > 1)
		return "请求含多个 Host";
	if (!host && !http10)
		return "HTTP/1.1 请求缺少 Host";
	return NULL;
}

int edge_bad_target(const char *raw)
{
	for (; *raw; raw++)
		if ((unsigned char)*raw <= 0x20 || *raw == 0x7f)
			return 1;
	return 0;
}

void edge_log_escape(char *out, size_t cap, const char *s, int text)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	if (!cap)
		return;
	if (!s)
		s = "-";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int plain = (c > 0x20 && c < 0x7f && c != '"' && c != '\\') || (text && (c == ' ' || c == '"'));
		size_t need = plain ? 1 : 4;
		if (o + need >= cap)
			break;
		if (plain) {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
}

int edge_addr_listed(const char *list, const char *addr)
{
	size_t n = strlen(addr);
	for (const char *p = list; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *end = p + strcspn(p, ", ");
		if ((size_t)(end - p) == n && n && !strncmp(p, addr, n))
			return 1;
		p = end;
	}
	return 0;
}

int edge_forwarded_client(const char *xff, char *out, size_t cap)
{
	if (!xff)
		return -1;
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ' || *last == '\t')
		last++;
	char buf[64];
	size_t n = strcspn(last, " \t");
	if (!n || n >= sizeof buf || last[n + strspn(last + n, " \t")])
		return -1;
	memcpy(buf, last, n);
	buf[n] = '\0';
	unsigned char bin[16];
	if (inet_pton(AF_INET, buf, bin) == 1)
		return inet_ntop(AF_INET, bin, out, (socklen_t)cap) ? 0 : -1;
	if (inet_pton(AF_INET6, buf, bin) == 1)
		return inet_ntop(AF_INET6, bin, out, (socklen_t)cap) ? 0 : -1;
	return -1;
}
