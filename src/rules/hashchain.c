/* hashchain — see hashchain.h. */
#include "rules/hashchain.h"

#include <sodium.h>
#include <stdint.h>
#include <string.h>

#define HC_BYTES 32
#define HC_HEX   (HC_BYTES * 2)

void hashchain_entry(const char *prev_hex, const char *const fields[], size_t nfields, char out_hex[65])
{
	/* RULE audit.chain */
	crypto_generichash_state st;
	unsigned char digest[HC_BYTES];
	crypto_generichash_init(&st, NULL, 0, HC_BYTES);
	if (prev_hex != NULL)
		crypto_generichash_update(&st, (const unsigned char *)prev_hex, strlen(prev_hex));
	for (size_t i = 0; i < nfields; i++) {
		if (fields[i] == NULL) {
			static const unsigned char tag_null = 0x00;
			crypto_generichash_update(&st, &tag_null, 1);
			continue;
		}
		uint64_t len = strlen(fields[i]);
		unsigned char head[9];
		head[0] = 0x01;
		for (int b = 0; b < 8; b++)
			head[1 + b] = (unsigned char)(len >> (56 - 8 * b));
		crypto_generichash_update(&st, head, sizeof head);
		crypto_generichash_update(&st, (const unsigned char *)fields[i], (unsigned long long)len);
	}
	crypto_generichash_final(&st, digest, HC_BYTES);
	sodium_bin2hex(out_hex, HC_HEX + 1, digest, HC_BYTES);
}

int hashchain_hex_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL || strnlen(a, HC_HEX + 1) != HC_HEX || strnlen(b, HC_HEX + 1) != HC_HEX)
		return 0;
	volatile unsigned char diff = 0;
	for (size_t i = 0; i < HC_HEX; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}
