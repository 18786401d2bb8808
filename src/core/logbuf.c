/* logbuf.c — serve's log lines, gathered and written by a flusher thread
 * (logbuf.h).
 *
 * Two buffers: the workers append to the current one under `mu`; the
 * flusher swaps it for the other and writes it.  Every write(2) is made
 * holding `out`, taken after `mu`, so that a worker writing a full buffer
 * itself waits for the flusher's earlier batch: the lines reach the file
 * in the order they were appended. */
#include "core/logbuf.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOGBUF_CAP (256 * 1024)

static struct {
	pthread_mutex_t mu, out;
	pthread_cond_t cv;
	char *buf[2];
	size_t len; /* of buf[cur] */
	int cur, fd, on, stop;
	pthread_t th;
} L = {.mu = PTHREAD_MUTEX_INITIALIZER, .out = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER,
       .fd = -1};

/* The whole of n bytes, or as much as the descriptor takes (nowhere to
 * report a failed log write). */
static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void *flusher(void *arg)
{
	(void)arg;
	sigset_t all; /* the process's signals are its main thread's to take */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	pthread_mutex_lock(&L.mu);
	for (;;) {
		while (!L.len && !L.stop)
			pthread_cond_wait(&L.cv, &L.mu);
		if (!L.len)
			break; /* stopped, nothing left */
		if (!L.stop) { /* let the batch gather */
			pthread_mutex_unlock(&L.mu);
			struct timespec ts = {0, LOGBUF_FLUSH_MS * 1000000L};
			while (nanosleep(&ts, &ts) && errno == EINTR)
				;
			pthread_mutex_lock(&L.mu);
		}
		char *b = L.buf[L.cur];
		size_t n = L.len;
		L.cur ^= 1;
		L.len = 0;
		pthread_mutex_lock(&L.out);
		pthread_mutex_unlock(&L.mu);
		write_all(L.fd, b, n);
		pthread_mutex_unlock(&L.out);
		pthread_mutex_lock(&L.mu);
	}
	pthread_mutex_unlock(&L.mu);
	return NULL;
}

int logbuf_start(int fd)
{
	L.fd = fd;
	L.buf[0] = malloc(LOGBUF_CAP);
	L.buf[1] = malloc(LOGBUF_CAP);
	L.len = 0;
	L.cur = 0;
	L.stop = 0;
	if (!L.buf[0] || !L.buf[1] || pthread_create(&L.th, NULL, flusher, NULL)) {
		free(L.buf[0]);
		free(L.buf[1]);
		L.buf[0] = L.buf[1] = NULL;
		return -1;
	}
	pthread_mutex_lock(&L.mu);
	L.on = 1;
	pthread_mutex_unlock(&L.mu);
	return 0;
}

void logbuf_write(const char *line, size_t n)
{
	pthread_mutex_lock(&L.mu);
	if (L.on && L.len + n > LOGBUF_CAP) { /* full before the flusher came */
		pthread_mutex_lock(&L.out);
		write_all(L.fd, L.buf[L.cur], L.len);
		pthread_mutex_unlock(&L.out);
		L.len = 0;
	}
	if (!L.on || n > LOGBUF_CAP) { /* at once, after what was gathered */
		pthread_mutex_lock(&L.out);
		pthread_mutex_unlock(&L.mu);
		write_all(L.on ? L.fd : STDERR_FILENO, line, n);
		pthread_mutex_unlock(&L.out);
		return;
	}
	if (!L.len)
		pthread_cond_signal(&L.cv);
	memcpy(L.buf[L.cur] + L.len, line, n);
	L.len += n;
	pthread_mutex_unlock(&L.mu);
}

void logbuf_stop(void)
{
	pthread_mutex_lock(&L.mu);
	int on = L.on;
	L.stop = 1;
	pthread_cond_signal(&L.cv);
	pthread_mutex_unlock(&L.mu);
	if (!on)
		return;
	pthread_join(L.th, NULL);
	pthread_mutex_lock(&L.mu);
	L.on = 0;
	free(L.buf[0]);
	free(L.buf[1]);
	L.buf[0] = L.buf[1] = NULL;
	pthread_mutex_unlock(&L.mu);
}
