/* fuzz_filetype.c — libFuzzer harness for the attachment type sniffer and
 * the JPEG/PNG metadata stripper (rules/filetype.c).  Any bytes: no crash,
 * no read or write outside the buffer; what is accepted shrinks or stays,
 * is still of the type it was taken for, and a second clean changes
 * nothing (the stripped file has nothing left to strip). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules/filetype.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *p = malloc(size ? size : 1), *q = NULL;
	if (!p)
		return 0;
	memcpy(p, data, size);
	size_t len = size;
	char why[200];
	enum file_type t = file_type_clean(p, &len, why, sizeof why);
	if (t != FT_NONE) {
		if (len > size || file_type_sniff(p, len) != t)
			__builtin_trap();
		q = malloc(len);
		if (!q)
			goto out;
		memcpy(q, p, len);
		size_t len2 = len;
		if (file_type_clean(q, &len2, why, sizeof why) != t || len2 != len || memcmp(p, q, len))
			__builtin_trap();
	} else if (!why[0]) {
		__builtin_trap(); /* a refusal always says why */
	}
out:
	free(p);
	free(q);
	return 0;
}
