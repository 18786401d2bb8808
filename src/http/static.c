/* static.c — files of the single-page app, compiled into the binary.
 * Hashed assets are cached for a year; index.html is revalidated; gzip is
 * served to clients that accept it. */
#include "http/static.h"

#include <string.h>

#include "core/embed.h"
#include "http/req.h"

static const struct {
	const char *ext, *type;
} types[] = {
	{".html", "text/html; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".mjs", "text/javascript; charset=utf-8"},
	{".css", "text/css; charset=utf-8"},
	{".svg", "image/svg+xml"},
	{".png", "image/png"},
	{".ico", "image/x-icon"},
	{".woff2", "font/woff2"},
	{".woff", "font/woff"},
	{".ttf", "font/ttf"},
	{".json", "application/json"},
	{".txt", "text/plain; charset=utf-8"},
};

static const char *type_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

static const struct web_asset *find(const char *path)
{
	for (const struct web_asset *a = webassets; a->path; a++)
		if (!strcmp(a->path, path))
			return a;
	return NULL;
}

int static_serve(struct req *r)
{
	const char *p = r->path;
	if ((strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) || !strncmp(p, "/api/", 5) ||
	    !strcmp(p, "/api") || !strcmp(p, "/healthz") || !strcmp(p, "/readyz") || !strcmp(p, "/metrics"))
		return -1;
	const struct web_asset *a = find(!strcmp(p, "/") ? "/index.html" : p);
	int fallback = 0;
	if (!a && !strncmp(p, "/assets/", 8))
		return -1; /* a missing asset is a 404, not the app */
	if (!a) {
		a = find("/index.html");
		fallback = 1;
	}
	if (!a) {
		static const char page[] =
			"<!doctype html><meta charset=utf-8><title>bangfu</title>"
			"<p>界面尚未构建：请用 make run 或 make 构建（需要 npm 依赖）。接口位于 /api/v1。</p>";
		r->raw = page;
		r->raw_len = sizeof page - 1;
		r->content_type = "text/html; charset=utf-8";
		r->cache_control = "no-cache";
		r->status = 200;
		return 0;
	}
	const char *ae = req_header(r, "Accept-Encoding");
	if (a->gz && ae && strstr(ae, "gzip")) {
		r->raw = a->gz;
		r->raw_len = a->gz_size;
		r->content_encoding = "gzip";
	} else {
		r->raw = a->data;
		r->raw_len = a->size;
	}
	r->content_type = type_of(a->path);
	r->cache_control = !fallback && !strncmp(a->path, "/assets/", 8) ? "public, max-age=31536000, immutable"
									 : "no-cache";
	r->status = 200;
	return 0;
}
