/* logbuf.h — serve's log lines, gathered in memory and written by a
 * thread of their own (logbuf.c).
 *
 * Every worker used to write its access line with a write(2) of its own
 * to the one stderr: eight threads taking the same file's lock for each
 * request, and sleeping on it (the machine's cores idle while they
 * waited).  Lines are now appended to a buffer under a mutex (a copy of
 * a hundred bytes) and a flusher writes what gathered, at most
 * LOGBUF_FLUSH_MS after the first line of a batch.  Lines stay whole and
 * in order; a buffer full before then is written by the worker that
 * filled it.  logbuf_stop() writes what is left. */
#ifndef BANGFU_LOGBUF_H
#define BANGFU_LOGBUF_H

#include <stddef.h>

/* How long a line may wait in memory before it is written. */
#define LOGBUF_FLUSH_MS 20

/* Starts gathering lines for fd.  Until it is called (or when it could
 * not start its thread: it returns -1), logbuf_write() writes at once. */
int logbuf_start(int fd);
/* Writes one whole line (or several) of n bytes. */
void logbuf_write(const char *line, size_t n);
/* Writes what is gathered and stops the thread; later lines are written
 * at once.  A no-op when not started. */
void logbuf_stop(void);

#endif
