/* fuzz_xlsx.c — libFuzzer harness for the XLSX reader.
 *
 * The first byte chooses how the rest is used:
 *   even: the bytes are the file itself (zip-level damage: truncation,
 *         lying headers, bombs, not a zip at all);
 *   odd:  the bytes are XML parts — shared strings and the worksheet,
 *         separated by a NUL byte — zipped here into a well-formed archive,
 *         so that the mutations reach the XML handlers (cells, rows, shared
 *         string references, formulas, inline strings, DTDs).
 * Then the census rules read whatever sheet came out.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/arena.h"
#include "rules/census.h"
#include "rules/sheet.h"

static char *zip_parts(const uint8_t *d, size_t n, size_t *len)
{
	const uint8_t *nul = memchr(d, 0, n);
	size_t sl = nul ? (size_t)(nul - d) : 0;
	const uint8_t *ws = nul ? nul + 1 : d;
	size_t wl = nul ? n - sl - 1 : n;
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (!src)
		return NULL;
	zip_source_keep(src);
	zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	char *out = NULL;
	if (z) {
		/* stored, not deflated: the harness should spend its time in the reader */
		zip_int64_t i;
		if (sl && (i = zip_file_add(z, "xl/sharedStrings.xml", zip_source_buffer(z, d, sl, 0), 0)) >= 0)
			zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0);
		if ((i = zip_file_add(z, "xl/worksheets/sheet1.xml", zip_source_buffer(z, ws, wl, 0), 0)) >= 0)
			zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0);
		if (zip_close(z) == 0 && zip_source_open(src) == 0) {
			zip_source_seek(src, 0, SEEK_END);
			zip_int64_t size = zip_source_tell(src);
			zip_source_seek(src, 0, SEEK_SET);
			out = size > 0 ? malloc((size_t)size) : NULL;
			if (out && zip_source_read(src, out, (zip_uint64_t)size) != size) {
				free(out);
				out = NULL;
			}
			*len = (size_t)size;
			zip_source_close(src);
		} else {
			zip_discard(z);
		}
	}
	zip_source_free(src);
	zip_error_fini(&ze);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct sheet s = {0};
	int rc;
	if (data[0] & 1) {
		size_t len = 0;
		char *zip = zip_parts(data + 1, size - 1, &len);
		if (!zip)
			return 0;
		rc = sheet_read(zip, len, SHEET_XLSX, &s);
		free(zip);
	} else {
		rc = sheet_read(data + 1, size - 1, SHEET_XLSX, &s);
	}
	if (rc == 0) {
		struct arena *a = arena_new();
		struct census c;
		day_t today;
		date_parse("2026-03-02", &today);
		census_parse(a, &s, today, 1, &c);
		arena_free(a);
	} else if (!s.err[0]) {
		__builtin_trap();
	}
	sheet_free(&s);
	return 0;
}
