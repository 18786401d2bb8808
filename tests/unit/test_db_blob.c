/* Unit tests for db_blob_read_at() (a streamed download's blocks, on a real
 * SQLite file): any block of a blob comes back exact, a block past the end
 * or a length that is not the blob's is refused, a missing row is
 * E_NOT_FOUND. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "tmpdb.h"

#define LEN (700u * 1024 + 3) /* several of the driver's 256 KiB pieces, a short last one */

struct blob_fx {
	struct tmpdb t;
	struct db *c;
	unsigned char *bytes;
};

static int setup(void **state)
{
	struct blob_fx *f = calloc(1, sizeof *f);
	struct err e = {0};
	tmpdb_make(&f->t, "blob");
	assert_int_equal(db_open(f->t.path, &f->c, &e), 0);
	assert_int_equal(db_exec(f->c, "CREATE TABLE b (attachment_id INTEGER PRIMARY KEY, bytes BLOB NOT NULL)", &e), 0);
	f->bytes = malloc(LEN);
	for (size_t i = 0; i < LEN; i++)
		f->bytes[i] = (unsigned char)(i * 131 + i / 4099);
	assert_true(db_blob_pieces(f->c));
	assert_int_equal(db_blob_insert(f->c, "b", "attachment_id", "bytes", 7, f->bytes, LEN, &e), 0);
	*state = f;
	return 0;
}

static int blob_teardown(void **state)
{
	struct blob_fx *f = *state;
	db_close(f->c);
	tmpdb_remove(&f->t);
	free(f->bytes);
	free(f);
	return 0;
}

static void test_blocks_exact(void **state)
{
	struct blob_fx *f = *state;
	struct err e = {0};
	unsigned char *buf = malloc(LEN);
	/* blocks of odd sizes at odd offsets cover the blob, across pieces */
	const size_t sizes[] = {4093, 262144, 300001, LEN};
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		memset(buf, 0xee, LEN);
		for (size_t off = 0; off < LEN; off += sizes[k]) {
			size_t n = LEN - off < sizes[k] ? LEN - off : sizes[k];
			assert_int_equal(db_blob_read_at(f->c, "b", "bytes", 7, LEN, off, buf + off, n, &e), 0);
		}
		assert_memory_equal(buf, f->bytes, LEN);
	}
	/* the whole-file reader is the same */
	memset(buf, 0, LEN);
	assert_int_equal(db_blob_read(f->c, "b", "bytes", 7, buf, LEN, &e), 0);
	assert_memory_equal(buf, f->bytes, LEN);
	free(buf);
}

static void test_refusals(void **state)
{
	struct blob_fx *f = *state;
	struct err e = {0};
	unsigned char buf[16];
	assert_int_equal(db_blob_read_at(f->c, "b", "bytes", 8, LEN, 0, buf, 1, &e), -E_NOT_FOUND);
	err_clear(&e);
	assert_int_equal(db_blob_read_at(f->c, "b", "bytes", 7, LEN - 1, 0, buf, 1, &e), -E_INTERNAL);
	err_clear(&e);
	assert_int_equal(db_blob_read_at(f->c, "b", "bytes", 7, LEN, LEN - 8, buf, 9, &e), -E_INTERNAL);
	err_clear(&e);
	assert_int_equal(db_blob_read_at(f->c, "b", "bytes", 7, LEN, LEN + 1, buf, 0, &e), -E_INTERNAL);
	err_clear(&e);
	/* the last bytes, exactly */
	assert_int_equal(db_blob_read_at(f->c, "b", "bytes", 7, LEN, LEN - 8, buf, 8, &e), 0);
	assert_memory_equal(buf, f->bytes + LEN - 8, 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_blocks_exact, setup, blob_teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, blob_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
