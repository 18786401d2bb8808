/* req.c — small helpers handlers use to read a request and answer it. */
#include "http/req.h"

#include "rules/multipart.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *req_query(struct req *r, const char *name)
{
	if (!r->conn)
		return NULL;
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_header(struct req *r, const char *name)
{
	if (!r->conn)
		return NULL;
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(struct req *r, const char *name)
{
	return r->conn ? MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name) : NULL;
}

int req_query_int(struct req *r, const char *name, int64_t def, int64_t min, int64_t max,
		  int64_t *out)
{
	const char *s = req_query(r, name);
	*out = def;
	if (!s || !*s)
		return 0;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max)
		return err_field(&r->err, name, "参数 %s 应为%lld至%lld之间的整数", name,
				 (long long)min, (long long)max);
	*out = v;
	return 0;
}

int req_paging(struct req *r, int64_t *limit, int64_t *offset)
{
	int rc = req_query_int(r, "limit", 50, 1, 500, limit);
	if (rc == 0)
		rc = req_query_int(r, "offset", 0, 0, INT64_MAX / 2, offset);
	return rc;
}

int req_reply(struct req *r, int status, json_t *out)
{
	json_decref(r->out);
	r->out = out;
	r->status = status;
	return 0;
}

int req_reply_text(struct req *r, int status, char *text)
{
	json_decref(r->out);
	r->out = NULL;
	r->raw = arena_strdup(r->x.a, text);
	r->raw_len = strlen(text);
	r->content_type = "application/json; charset=utf-8";
	r->status = status;
	free(text);
	return 0;
}

int req_reply_list(struct req *r, json_t *items, int64_t total)
{
	return req_reply(r, 200, json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total));
}

const char *body_str(struct req *r, const char *name)
{
	return json_string_value(json_object_get(r->in, name));
}

int64_t body_int(struct req *r, const char *name, int64_t def)
{
	json_t *v = json_object_get(r->in, name);
	return json_is_integer(v) ? json_integer_value(v) : def;
}

int body_bool(struct req *r, const char *name, int def)
{
	json_t *v = json_object_get(r->in, name);
	return json_is_boolean(v) ? json_is_true(v) : def;
}

int body_has(struct req *r, const char *name)
{
	json_t *v = json_object_get(r->in, name);
	return v && !json_is_null(v);
}

int req_file(struct req *r, const char *what, struct mp_part *part)
{
	const char *ct = req_header(r, "Content-Type");
	memset(part, 0, sizeof *part);
	if (multipart_is(ct)) {
		char why[200];
		if (multipart_find(ct, r->body ? r->body : "", r->body_len, "file", part, why, sizeof why))
			return err_set(&r->err, E_BAD_REQUEST, "%s", why);
	} else {
		part->data = r->body;
		part->len = r->body_len;
		snprintf(part->content_type, sizeof part->content_type, "%s", ct ? ct : "");
	}
	if (!part->data || !part->len)
		return err_set(&r->err, E_BAD_REQUEST, "没有收到文件：请把%s（CSV 或 xlsx）作为请求体，或作为 multipart 字段 file 上传",
			       what);
	return 0;
}
