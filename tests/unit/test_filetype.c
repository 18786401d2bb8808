/* Unit tests for src/rules/filetype.c (RULE attach.type, RULE attach.strip):
 * a table of files by their bytes, each accepted as its type with what must
 * be left after the strip, or refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "rules/filetype.h"

#define B(...) ((const unsigned char[]){__VA_ARGS__}), sizeof((const unsigned char[]){__VA_ARGS__})

struct file_case {
	const char *what;
	const unsigned char *in;
	size_t n;
	enum file_type want;
	const unsigned char *out; /* the stored bytes; NULL: the input unchanged */
	size_t out_n;
};

/* SOI, APP0(4 bytes), APP1 "Exif", COM, SOF0, SOS, data FF00 and RST0, EOI */
#define J_SOI 0xff, 0xd8
#define J_APP0 0xff, 0xe0, 0x00, 0x06, 'J', 'F', 'I', 'F'
#define J_APP1 0xff, 0xe1, 0x00, 0x08, 'E', 'x', 'i', 'f', 0, 0
#define J_COM 0xff, 0xfe, 0x00, 0x04, 'h', 'i'
#define J_ICC 0xff, 0xe2, 0x00, 0x04, 'I', 'C'
#define J_SOF 0xff, 0xc0, 0x00, 0x05, 8, 0, 1
#define J_SOS 0xff, 0xda, 0x00, 0x03, 1
#define J_DATA 0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56
#define J_EOI 0xff, 0xd9

static void test_jpeg(void **state)
{
	const struct file_case t[] = {
		{"EXIF and COM stripped, trailer dropped", B(J_SOI, J_APP0, J_APP1, J_COM, J_SOF, J_SOS, J_DATA, J_EOI, 'x', 'y'),
		 FT_JPEG, B(J_SOI, J_APP0, J_SOF, J_SOS, J_DATA, J_EOI)},
		{"ICC profile kept", B(J_SOI, J_ICC, J_SOF, J_SOS, J_DATA, J_EOI), FT_JPEG, NULL, 0},
		{"fill bytes before a marker collapse", B(J_SOI, 0xff, 0xff, J_SOF, J_SOS, J_DATA, J_EOI), FT_JPEG,
		 B(J_SOI, J_SOF, J_SOS, J_DATA, J_EOI)},
		{"segment longer than the file", B(J_SOI, 0xff, 0xe1, 0x7f, 0xff, 'E', 'x'), FT_NONE, NULL, 0},
		{"segment length below 2", B(J_SOI, 0xff, 0xe1, 0x00, 0x01, J_SOF, J_SOS, J_DATA, J_EOI), FT_NONE, NULL, 0},
		{"no EOI", B(J_SOI, J_SOF, J_SOS, J_DATA), FT_NONE, NULL, 0},
		{"no frame", B(J_SOI, J_APP0, J_EOI), FT_NONE, NULL, 0},
		{"scan before frame", B(J_SOI, J_SOS, J_DATA, J_EOI), FT_NONE, NULL, 0},
		{"garbage between segments", B(J_SOI, J_APP0, 0x00, J_SOF, J_SOS, J_DATA, J_EOI), FT_NONE, NULL, 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		unsigned char buf[256];
		char why[200] = "";
		size_t n = t[i].n;
		memcpy(buf, t[i].in, n);
		enum file_type got = file_type_clean(buf, &n, why, sizeof why);
		print_message("%s\n", t[i].what);
		assert_int_equal(got, t[i].want);
		if (got == FT_NONE) {
			assert_true(why[0] != '\0');
			continue;
		}
		const unsigned char *want = t[i].out ? t[i].out : t[i].in;
		size_t want_n = t[i].out ? t[i].out_n : t[i].n;
		assert_int_equal(n, want_n);
		assert_memory_equal(buf, want, n);
	}
}

static void test_sniff(void **state)
{
	char why[200];
	unsigned char html[] = "<html><body>hi</body></html>", elf[] = "\x7f" "ELF\x02\x01\x01";
	unsigned char pdf[] = "%PDF-1.7\n1 0 obj<<>>endobj\nstartxref\n9\n%%EOF\n", cut[] = "%PDF-1.7\n1 0 obj<<>>endobj\n";
	size_t n = sizeof html - 1;
	assert_int_equal(file_type_clean(html, &n, why, sizeof why), FT_NONE);
	assert_non_null(strstr(why, "类型不支持"));
	n = sizeof elf - 1;
	assert_int_equal(file_type_clean(elf, &n, why, sizeof why), FT_NONE);
	n = sizeof pdf - 1;
	assert_int_equal(file_type_clean(pdf, &n, why, sizeof why), FT_PDF);
	assert_int_equal(n, sizeof pdf - 1);
	n = sizeof cut - 1;
	assert_int_equal(file_type_clean(cut, &n, why, sizeof why), FT_NONE);
	assert_string_equal(file_type_mime(FT_PNG), "image/png");
	assert_string_equal(file_type_ext(FT_JPEG), "jpg");
	assert_int_equal(file_type_sniff((const unsigned char *)"\x89PNG\r\n\x1a\n", 8), FT_PNG);
	assert_int_equal(file_type_sniff((const unsigned char *)"\xff\xd8", 2), FT_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jpeg),
		cmocka_unit_test(test_sniff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
