/* arena.h — a per-request bump allocator.
 *
 * Everything a request allocates with arena_* dies with arena_free(); no
 * individual frees.  Not thread-safe: one arena belongs to one request.
 */
#ifndef BANGFU_ARENA_H
#define BANGFU_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a); /* NULL is fine */
void *arena_alloc(struct arena *a, size_t n); /* zeroed; aborts on OOM */
void *arena_alloc_raw(struct arena *a, size_t n); /* not zeroed (a buffer about to be filled) */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
