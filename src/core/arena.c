#include "arena.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 8192

struct chunk {
	struct chunk *next;
	size_t used, cap;
	max_align_t data[];
};

struct arena {
	struct chunk *head;
};

/* One spare CHUNK per thread: a request's arena takes it and gives it back,
 * so serving a request mallocs no chunk (an 8 KiB malloc is a large request
 * to glibc, which first consolidates its fast bins: 2 % of a cheap read). */
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;

static void spare_init(void)
{
	if (pthread_key_create(&spare_key, free))
		abort();
}

static struct chunk *chunk_new(size_t cap, struct chunk *next)
{
	struct chunk *c = NULL;
	if (cap == CHUNK) {
		pthread_once(&spare_once, spare_init);
		if ((c = pthread_getspecific(spare_key)))
			pthread_setspecific(spare_key, NULL);
	}
	if (!c)
		c = malloc(sizeof *c + cap);
	if (!c)
		abort(); /* out of memory: nothing sensible left to do */
	c->next = next;
	c->used = 0;
	c->cap = cap;
	return c;
}

struct arena *arena_new(void)
{
	struct arena *a = calloc(1, sizeof *a);
	if (!a)
		abort();
	return a;
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	for (struct chunk *c = a->head, *n; c; c = n) {
		n = c->next;
		if (c->cap == CHUNK && !pthread_getspecific(spare_key))
			pthread_setspecific(spare_key, c);
		else
			free(c);
	}
	free(a);
}

void *arena_alloc_raw(struct arena *a, size_t n)
{
	size_t align = sizeof(max_align_t);
	n = (n + align - 1) / align * align;
	if (n == 0)
		n = align;
	struct chunk *c = a->head;
	if (!c || c->cap - c->used < n) {
		if (n > CHUNK / 2) {
			/* big allocation: own chunk, behind the current one */
			struct chunk *big = chunk_new(n, c ? c->next : NULL);
			if (c)
				c->next = big;
			else
				a->head = big;
			big->used = n;
			return big->data;
		}
		c = a->head = chunk_new(CHUNK, a->head);
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

void *arena_alloc(struct arena *a, size_t n)
{
	void *p = arena_alloc_raw(a, n);
	memset(p, 0, n ? n : 1);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return arena_strdup(a, "");
	char *p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
