/* edge.h — what the HTTP edge decides before any route runs: whether a
 * request's framing is unambiguous (RFC 9112 §6.3), which address the
 * client has, and how a logged field is escaped.
 *
 * Pure functions over plain strings (server.c collects the headers from
 * libmicrohttpd), unit-tested in tests/unit/test_edge.c.  docs/deployment.md
 * ("The HTTP edge") says which of these checks the library makes and which
 * bangfu makes.
 */
#ifndef BANGFU_EDGE_H
#define BANGFU_EDGE_H

#include <stddef.h>

struct edge_header {
	const char *name, *value;
};

/* NULL when the request's framing is unambiguous; otherwise the reason
 * (zh-CN, static) to answer 400 and close the connection with.  Refused:
 * a header name that is not an RFC 9110 token (a space before the colon,
 * a line folded into the name by the library), more than one
 * Content-Length, Transfer-Encoding or Host, Content-Length together with
 * Transfer-Encoding, a Transfer-Encoding other than exactly `chunked`, any
 * Transfer-Encoding in an HTTP/1.0 request, and an HTTP/1.1 request
 * without Host (RFC 9112 §3.2). */
const char *edge_framing_problem(const struct edge_header *h, int n, int http10);

/* 1 when a request target as it came on the request line holds a byte
 * that no request target may hold (whitespace, control characters). */
int edge_bad_target(const char *raw);

/* Copies s into out (cap bytes, always NUL-terminated, cut at cap) with
 * every byte that could split or forge a log line written as \xHH: control
 * characters, space, '"', '\\', DEL and every byte >= 0x80 (the same set
 * as nginx's log_format escape=default).  `text` keeps space and '"' (a
 * message, not a key=value field).  NULL is written as "-". */
void edge_log_escape(char *out, size_t cap, const char *s, int text);

/* 1 when addr is one of the comma-separated addresses in list. */
int edge_addr_listed(const char *list, const char *addr);

/* The last address of an X-Forwarded-For value (the one the proxy
 * appended), normalised into out; 0, or -1 when it is not an IPv4 or IPv6
 * address. */
int edge_forwarded_client(const char *xff, char *out, size_t cap);

#endif
