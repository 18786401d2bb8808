/* fuzz_csv.c — libFuzzer harness for the CSV reader and the census rules:
 * any bytes (UTF-8, GB18030, garbage) → sheet_read_csv → census_parse.
 * Must never crash, leak or read out of bounds; errors are fine.
 *
 *   make fuzz   (or: build/fuzz/fuzz_csv -max_total_time=30 CORPUS_DIR)
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "rules/census.h"
#include "rules/sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sheet s = {0};
	if (sheet_read_csv(data, size, &s) == 0) {
		struct arena *a = arena_new();
		struct census c;
		day_t today;
		date_parse("2026-03-02", &today);
		census_parse(a, &s, today, size & 1, &c);
		census_sort_errors(&c);
		arena_free(a);
	} else if (!s.err[0]) {
		__builtin_trap(); /* a failure must say why */
	}
	sheet_free(&s);
	return 0;
}
