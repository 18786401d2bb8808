/* Unit tests for serve's gathered log (core/logbuf.c) on a real file:
 * lines of many threads arrive whole, each thread's in its order, also
 * when the buffer fills before the flusher comes; a line is written
 * without a stop, by the flusher alone; every line is there after the
 * stop. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/logbuf.h"

#define THREADS 4
#define LINES 20000 /* x 4 x ~70 bytes: several times the buffer */

static int tmp_file(char *path, size_t n)
{
	const char *dir = getenv("TMPDIR");
	snprintf(path, n, "%s/bangfu-logbuf-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	return fd;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	b[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return b;
}

static void *writer(void *arg)
{
	int t = (int)(intptr_t)arg;
	char line[128];
	for (int i = 0; i < LINES; i++) {
		int n = snprintf(line, sizeof line, "access t=%d i=%d pad=%.40s\n", t, i,
				 "0123456789012345678901234567890123456789");
		logbuf_write(line, (size_t)n);
	}
	return NULL;
}

static void test_whole_lines_in_order(void **state)
{
	(void)state;
	char path[256];
	int fd = tmp_file(path, sizeof path);
	assert_int_equal(logbuf_start(fd), 0);
	pthread_t th[THREADS];
	for (int t = 0; t < THREADS; t++)
		assert_int_equal(pthread_create(&th[t], NULL, writer, (void *)(intptr_t)t), 0);
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	logbuf_stop();
	close(fd);

	size_t len;
	char *b = slurp(path, &len);
	int next[THREADS] = {0};
	size_t lines = 0;
	for (char *save = NULL, *l = strtok_r(b, "\n", &save); l; l = strtok_r(NULL, "\n", &save), lines++) {
		int t, i, end = 0;
		assert_int_equal(sscanf(l, "access t=%d i=%d pad=%*40[0-9]%n", &t, &i, &end), 2);
		assert_int_equal((size_t)end, strlen(l)); /* whole: nothing cut, nothing glued */
		assert_true(t >= 0 && t < THREADS);
		assert_int_equal(i, next[t]); /* each thread's lines in its order */
		next[t]++;
	}
	assert_int_equal(lines, (size_t)THREADS * LINES);
	for (int t = 0; t < THREADS; t++)
		assert_int_equal(next[t], LINES);
	free(b);
	unlink(path);
}

/* The flusher writes a lone line on its own, soon (polled for 5 s). */
static void test_flushed_without_a_stop(void **state)
{
	(void)state;
	char path[256];
	int fd = tmp_file(path, sizeof path);
	assert_int_equal(logbuf_start(fd), 0);
	const char line[] = "maintenance task=analyze status=ok\n";
	logbuf_write(line, sizeof line - 1);
	struct stat st = {0};
	for (int i = 0; i < 500 && st.st_size == 0; i++) {
		struct timespec ts = {0, 10 * 1000000L};
		nanosleep(&ts, NULL);
		assert_int_equal(fstat(fd, &st), 0);
	}
	assert_int_equal(st.st_size, (off_t)(sizeof line - 1));
	logbuf_stop();
	size_t len;
	char *b = slurp(path, &len);
	assert_string_equal(b, line); /* and not written twice by the stop */
	free(b);
	close(fd);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_lines_in_order),
		cmocka_unit_test(test_flushed_without_a_stop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
