/* fuzz_http.c — libFuzzer harness for the request path without a socket:
 * method + path → route_match (the one route table); the body → jansson
 * (as the dispatcher parses it) → validate_object against the matched
 * route's field spec and against one more spec picked by the input, so
 * every handler's body spec is reached whatever the path; the body as
 * multipart/form-data → multipart_find (the import upload).
 * Input: byte 0 picks the method, byte 1 the extra spec, then the path up
 * to '\n', then the Content-Type up to '\n', then the body.  Must never
 * crash, leak or read out of bounds; a matched route must be one whose
 * pattern and method fit, and a refusal must carry a message.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "http/route.h"
#include "rules/multipart.h"

static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "get"};

static const char *line(const uint8_t **p, const uint8_t *end, struct arena *a)
{
	const uint8_t *nl = memchr(*p, '\n', (size_t)(end - *p));
	const uint8_t *stop = nl ? nl : end;
	char *s = arena_strndup(a, (const char *)*p, (size_t)(stop - *p));
	*p = nl ? nl + 1 : end;
	return s;
}

static void check_spec(json_t *in, const struct field *spec)
{
	struct err e = {0};
	int rc = validate_object(&e, in, spec, "");
	if (rc && (!e.msg[0] || (e.code != E_BAD_REQUEST && e.code != E_VALIDATION_FAILED)))
		__builtin_trap(); /* a refusal is 400 or 422 and says why */
	if (!rc && e.code != E_OK)
		__builtin_trap();
	err_clear(&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	const uint8_t *p = data + 2, *end = data + size;
	struct arena *a = arena_new();
	const char *method = methods[data[0] % (sizeof methods / sizeof methods[0])];
	const char *path = line(&p, end, a);
	const char *ctype = line(&p, end, a);
	const char *body = (const char *)p;
	size_t blen = (size_t)(end - p);

	struct req r = {0};
	r.x.a = a;
	int known = 0;
	const struct route *rt = route_match(&r, method, path, &known);
	if (rt && (!known || (strcmp(rt->method, method) && strcmp(method, "HEAD"))))
		__builtin_trap();
	if (rt && r.nparam > REQ_MAX_PARAMS)
		__builtin_trap();

	json_error_t je;
	json_t *in = json_loadb(body, blen, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	if (in) {
		if (rt && rt->body)
			check_spec(in, rt->body);
		const struct route *other = &routes[data[1] % routes_count];
		if (other->body)
			check_spec(in, other->body);
		json_decref(in);
	}

	if (multipart_is(ctype)) {
		struct mp_part part;
		char err[256];
		if (multipart_find(ctype, body, blen, "file", &part, err, sizeof err) == 0) {
			if (part.data < body || part.data + part.len > body + blen)
				__builtin_trap(); /* the part lies inside the body */
		} else if (!err[0]) {
			__builtin_trap();
		}
	}
	arena_free(a);
	return 0;
}
