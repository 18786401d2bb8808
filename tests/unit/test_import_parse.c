/* Unit tests for the census import's pure parsers: encodings, the CSV and
 * XLSX readers (rules/sheet.h), multipart bodies, and the census rules
 * (rules/census.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/arena.h"
#include "rules/census.h"
#include "rules/household.h"
#include "rules/multipart.h"
#include "rules/sheet.h"

/* --- encodings ------------------------------------------------------------ */

static void test_utf8_valid(void **state)
{
	assert_true(utf8_valid("abc", 3));
	assert_true(utf8_valid("张三", strlen("张三")));
	assert_true(utf8_valid("\xF0\x9F\x98\x80", 4));
	assert_false(utf8_valid("\xC0\xAF", 2));         /* overlong */
	assert_false(utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
	assert_false(utf8_valid("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
	assert_false(utf8_valid("\xE5\xBC", 2));         /* cut short */
	assert_false(utf8_valid("\xD5\xC5\xC8\xFD", 4)); /* 张三 in GB18030 */
}

static void test_text_to_utf8(void **state)
{
	char *out, err[256];
	size_t n;
	assert_int_equal(text_to_utf8("\xEF\xBB\xBF张三", strlen("\xEF\xBB\xBF张三"), &out, &n, err, sizeof err), 0);
	assert_string_equal(out, "张三");
	free(out);
	assert_int_equal(text_to_utf8("\xD5\xC5\xC8\xFD,\xC0\xEE\xCB\xC4", 9, &out, &n, err, sizeof err), 0);
	assert_string_equal(out, "张三,李四");
	free(out);
	assert_int_equal(text_to_utf8("\xFF\xFE\x20\x00", 4, &out, &n, err, sizeof err), -1);
	assert_non_null(strstr(err, "UTF-16"));
	assert_int_equal(text_to_utf8("ok\n\x81\x20", 5, &out, &n, err, sizeof err), -1);
	assert_non_null(strstr(err, "第 2 行"));
}

static void test_serial_date(void **state)
{
	char d[11];
	assert_int_equal(sheet_serial_date("45292", 0, d), 0);
	assert_string_equal(d, "2024-01-01");
	assert_int_equal(sheet_serial_date("61", 0, d), 0);
	assert_string_equal(d, "1900-03-01");
	assert_int_equal(sheet_serial_date("0", 1, d), -1);
	assert_int_equal(sheet_serial_date("43830", 1, d), 0);
	assert_string_equal(d, "2024-01-01");
	assert_int_equal(sheet_serial_date("60", 0, d), -1);
	assert_int_equal(sheet_serial_date("45292.5", 0, d), -1);
	assert_int_equal(sheet_serial_date("abc", 0, d), -1);
	assert_int_equal(sheet_serial_date("1e300", 0, d), -1);
}

/* --- CSV ---------------------------------------------------------------------- */

static void test_csv_rows_and_lines(void **state)
{
	const char *t = "a,b,c\r\n"
			"\r\n"
			"1,\"x, \"\"y\"\"\",3\r\n"
			"\"multi\nline\",2\n"
			",,\n"
			"last,row";
	struct sheet s = {0};
	assert_int_equal(sheet_read_csv(t, strlen(t), &s), 0);
	assert_int_equal(s.nrows, 4);
	assert_int_equal(s.rows[0].row, 1);
	assert_int_equal(s.rows[1].row, 3);
	assert_string_equal(sheet_cell(&s.rows[1], 1), "x, \"y\"");
	assert_int_equal(s.rows[2].row, 4);
	assert_string_equal(sheet_cell(&s.rows[2], 0), "multi\nline");
	assert_int_equal(s.rows[3].row, 7); /* the quoted line break counts */
	assert_string_equal(sheet_cell(&s.rows[3], 1), "row");
	assert_string_equal(sheet_cell(&s.rows[3], 7), "");
	sheet_free(&s);
}

static void test_csv_errors(void **state)
{
	struct sheet s = {0};
	const char *bad = "a,b\n1,\"x\"y\n";
	assert_int_equal(sheet_read_csv(bad, strlen(bad), &s), -1);
	assert_int_equal(s.err_row, 2);
	sheet_free(&s);
	memset(&s, 0, sizeof s);
	const char *open = "a,b\n1,\"never closed\n";
	assert_int_equal(sheet_read_csv(open, strlen(open), &s), -1);
	sheet_free(&s);
	memset(&s, 0, sizeof s);
	assert_int_equal(sheet_read_csv("a\0b", 3, &s), -1);
	assert_non_null(strstr(s.err, "NUL"));
	sheet_free(&s);
	memset(&s, 0, sizeof s);
	/* too many columns */
	char *wide = malloc(SHEET_MAX_COLS * 2 + 8);
	size_t n = 0;
	for (int i = 0; i <= SHEET_MAX_COLS; i++)
		wide[n++] = 'x', wide[n++] = ',';
	wide[n] = '\0';
	assert_int_equal(sheet_read_csv(wide, n, &s), -1);
	free(wide);
	sheet_free(&s);
}

static void test_csv_gb18030(void **state)
{
	const char *t = "\xD0\xD5\xC3\xFB\n\xD5\xC5\xC8\xFD\n"; /* 姓名 / 张三 */
	struct sheet s = {0};
	assert_int_equal(sheet_read(t, strlen(t), SHEET_AUTO, &s), 0);
	assert_int_equal(s.nrows, 2);
	assert_string_equal(sheet_cell(&s.rows[0], 0), "姓名");
	assert_string_equal(sheet_cell(&s.rows[1], 0), "张三");
	sheet_free(&s);
}

/* --- XLSX ---------------------------------------------------------------------------- */

struct entry { const char *name, *data; size_t len; };

/* A zip in memory with the given entries; *len set, malloc'd. */
static char *make_zip(const struct entry *e, int n, size_t *len)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_source_keep(src);
	zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(z);
	for (int i = 0; i < n; i++) {
		zip_source_t *fs = zip_source_buffer(z, e[i].data, e[i].len ? e[i].len : strlen(e[i].data), 0);
		assert_true(zip_file_add(z, e[i].name, fs, ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
	assert_int_equal(zip_source_open(src), 0);
	zip_source_seek(src, 0, SEEK_END);
	zip_int64_t size = zip_source_tell(src);
	zip_source_seek(src, 0, SEEK_SET);
	char *buf = malloc((size_t)size);
	assert_int_equal(zip_source_read(src, buf, (zip_uint64_t)size), size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*len = (size_t)size;
	return buf;
}

static const char *WB =
	"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
	" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	"<workbookPr date1904=\"false\"/><sheets><sheet name=\"a\" sheetId=\"1\" r:id=\"rId7\"/></sheets></workbook>";
static const char *RELS =
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId7\" Type=\"x\" Target=\"worksheets/data.xml\"/></Relationships>";
static const char *SST =
	"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
	"<si><t>姓名</t></si>"
	"<si><r><t>张</t></r><r><rPr><b/></rPr><t>三</t></r><rPh><t>ZHANG</t></rPh></si>"
	"<si><t xml:space=\"preserve\"> 李&amp;四 </t></si></sst>";
static const char *WS =
	"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
	"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"inlineStr\"><is><t>收入</t></is></c></row>"
	"<row r=\"3\"><c r=\"A3\" t=\"s\"><v>1</v></c><c r=\"B3\" t=\"s\"><v>2</v></c><c r=\"C3\"><v>1500.3000000000002</v></c>"
	"<c r=\"D3\"><f>SUM(1,2)</f><v>3</v></c><c r=\"E3\"><v>13800138000</v></c><c r=\"F3\" t=\"b\"><v>1</v></c>"
	"<c r=\"G3\" t=\"e\"><v>#N/A</v></c><c r=\"H3\"><v>110101199003074514</v></c></row>"
	"<row><c t=\"str\"><f>A1</f><v>x</v></c><c><v>7</v></c></row>"
	"<row r=\"9\"><c r=\"B9\"/></row>"
	"</sheetData></worksheet>";

static void test_xlsx_read(void **state)
{
	struct entry e[] = {{"xl/workbook.xml", WB, 0}, {"xl/_rels/workbook.xml.rels", RELS, 0},
			    {"xl/sharedStrings.xml", SST, 0}, {"xl/worksheets/data.xml", WS, 0}};
	size_t len;
	char *zip = make_zip(e, 4, &len);
	struct sheet s = {0};
	assert_int_equal(sheet_read(zip, len, SHEET_XLSX, &s), 0);
	assert_int_equal(s.nrows, 3); /* row 9 is blank */
	assert_int_equal(s.rows[0].row, 1);
	assert_string_equal(sheet_cell(&s.rows[0], 0), "姓名");
	assert_string_equal(sheet_cell(&s.rows[0], 1), "");
	assert_string_equal(sheet_cell(&s.rows[0], 2), "收入");
	const struct sheet_row *r = &s.rows[1];
	assert_int_equal(r->row, 3);
	assert_string_equal(sheet_cell(r, 0), "张三");
	assert_string_equal(sheet_cell(r, 1), " 李&四 ");
	assert_int_equal(sheet_kind(r, 2), CELL_NUMBER);
	assert_string_equal(sheet_cell(r, 2), "1500.3");
	assert_int_equal(sheet_kind(r, 3), CELL_FORMULA);
	assert_string_equal(sheet_cell(r, 4), "13800138000");
	assert_int_equal(sheet_kind(r, 5), CELL_BOOL);
	assert_int_equal(sheet_kind(r, 6), CELL_ERROR);
	assert_string_equal(sheet_cell(r, 7), "1.10101199003075e+17");
	assert_int_equal(s.rows[2].row, 4);
	assert_int_equal(sheet_kind(&s.rows[2], 0), CELL_FORMULA);
	assert_string_equal(sheet_cell(&s.rows[2], 1), "7");
	sheet_free(&s);
	/* truncated anywhere: an error, never a crash */
	for (size_t cut = 1; cut < len; cut += 7) {
		struct sheet t = {0};
		int rc = sheet_read(zip, cut, SHEET_XLSX, &t);
		if (rc)
			assert_true(t.err[0] != '\0');
		sheet_free(&t);
	}
	free(zip);
}

static void test_xlsx_refusals(void **state)
{
	size_t len;
	struct sheet s = {0};
	/* not a zip */
	assert_int_equal(sheet_read("hello", 5, SHEET_XLSX, &s), -1);
	assert_non_null(strstr(s.err, "zip"));
	memset(&s, 0, sizeof s);
	/* old .xls */
	assert_int_equal(sheet_read("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1....", 12, SHEET_AUTO, &s), -1);
	assert_non_null(strstr(s.err, ".xls"));
	memset(&s, 0, sizeof s);
	/* no worksheet */
	struct entry e1[] = {{"hello.txt", "hi", 0}};
	char *zip = make_zip(e1, 1, &len);
	assert_int_equal(sheet_read(zip, len, SHEET_AUTO, &s), -1);
	assert_non_null(strstr(s.err, "sheet1.xml"));
	free(zip);
	sheet_free(&s);
	memset(&s, 0, sizeof s);
	/* a DTD (entity expansion) */
	struct entry e2[] = {{"xl/worksheets/sheet1.xml",
			      "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&a;</t></is></c></row></sheetData></worksheet>", 0}};
	zip = make_zip(e2, 1, &len);
	assert_int_equal(sheet_read(zip, len, SHEET_AUTO, &s), -1);
	assert_non_null(strstr(s.err, "DTD"));
	free(zip);
	sheet_free(&s);
	memset(&s, 0, sizeof s);
	/* a zip bomb: a 60 MB workbook.xml → over the size cap of the small
	 * parts; an 8 MB (or 60 MB) worksheet → over the ratio */
	size_t big = 60u << 20;
	char *zeros = calloc(1, big);
	struct entry e3[] = {{"xl/workbook.xml", zeros, big}};
	zip = make_zip(e3, 1, &len);
	assert_int_equal(sheet_read(zip, len, SHEET_AUTO, &s), -1);
	assert_non_null(strstr(s.err, "过大"));
	free(zip);
	sheet_free(&s);
	memset(&s, 0, sizeof s);
	struct entry e3b[] = {{"xl/worksheets/sheet1.xml", zeros, big}};
	zip = make_zip(e3b, 1, &len);
	assert_int_equal(sheet_read(zip, len, SHEET_AUTO, &s), -1);
	assert_non_null(strstr(s.err, "压缩比"));
	free(zip);
	sheet_free(&s);
	memset(&s, 0, sizeof s);
	struct entry e4[] = {{"xl/worksheets/sheet1.xml", zeros, 8u << 20}};
	zip = make_zip(e4, 1, &len);
	assert_int_equal(sheet_read(zip, len, SHEET_AUTO, &s), -1);
	assert_non_null(strstr(s.err, "压缩比"));
	free(zip);
	free(zeros);
	sheet_free(&s);
	memset(&s, 0, sizeof s);
	/* a shared string index out of range */
	struct entry e5[] = {{"xl/worksheets/sheet1.xml",
			      "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>5</v></c></row></sheetData></worksheet>", 0}};
	zip = make_zip(e5, 1, &len);
	assert_int_equal(sheet_read(zip, len, SHEET_AUTO, &s), -1);
	free(zip);
	sheet_free(&s);
}

/* --- multipart ------------------------------------------------------------------------------ */

static void test_multipart(void **state)
{
	const char *body = "preamble\r\n"
			   "--XyZ\r\n"
			   "Content-Disposition: form-data; name=\"note\"\r\n\r\n"
			   "hello\r\n"
			   "--XyZ\r\n"
			   "Content-Disposition: form-data; name=\"file\"; filename=\"普查表.xlsx\"\r\n"
			   "Content-Type: application/octet-stream\r\n\r\n"
			   "a,b\r\n--XyZnot-a-delimiter\r\n"
			   "--XyZ--\r\n";
	struct mp_part p;
	char err[200];
	assert_true(multipart_is("multipart/form-data; boundary=XyZ"));
	assert_false(multipart_is("text/csv"));
	assert_int_equal(multipart_find("multipart/form-data; boundary=\"XyZ\"", body, strlen(body), "file", &p, err,
					sizeof err), 0);
	assert_int_equal(p.len, strlen("a,b\r\n--XyZnot-a-delimiter"));
	assert_memory_equal(p.data, "a,b\r\n--XyZnot-a-delimiter", p.len);
	assert_string_equal(p.filename, "普查表.xlsx");
	assert_string_equal(p.content_type, "application/octet-stream");
	assert_int_equal(multipart_find("multipart/form-data; boundary=XyZ", body, strlen(body), "nope", &p, err,
					sizeof err), -1);
	assert_int_equal(multipart_find("multipart/form-data", body, strlen(body), "file", &p, err, sizeof err), -1);
	assert_int_equal(multipart_find("multipart/form-data; boundary=XyZ", body, 60, "file", &p, err, sizeof err), -1);
}

/* --- census ------------------------------------------------------------------------------------ */

#define HDR "户主身份证号,姓名,身份证号,与户主关系,月收入（元）,健康状况,就学阶段,联系电话,工作单位,家庭住址,致困原因\n"
#define W1 "110101199003074514"
#define M1 "110101199205060022"
#define M2 "110101201509010016"

static int parse(const char *csv, int admin, struct census *c, struct arena *a)
{
	struct sheet s = {0};
	assert_int_equal(sheet_read_csv(csv, strlen(csv), &s), 0);
	day_t today;
	date_parse("2026-03-02", &today);
	int n = census_parse(a, &s, today, admin, c);
	sheet_free(&s);
	census_sort_errors(c);
	return n;
}

static int has_error(const struct census *c, int row, const char *column)
{
	for (int i = 0; i < c->nerr; i++)
		if (c->err[i].row == row && !strcmp(c->err[i].column, column))
			return 1;
	return 0;
}

static void test_census_good(void **state)
{
	struct arena *a = arena_new();
	struct census c;
	const char *csv = HDR
		W1 ",张三," M2 ",子女,0,,小学,,,,子女就学\n"
		W1 ",张三," W1 ",本人,1500.5,良好,,13800138000,某厂,某路1号,家属患病、收入低\n"
		"\n"
		W1 ",李四," M1 ",配偶,800,慢性病,,,超市,,\n";
	assert_int_equal(parse(csv, 0, &c, a), 0);
	assert_int_equal(c.nhh, 1);
	assert_int_equal(c.people, 3);
	struct census_household *h = &c.hh[0];
	assert_int_equal(h->first_row, 2);
	assert_true(h->has_worker);
	assert_int_equal(h->worker.row, 3);
	assert_int_equal(h->worker.income_fen, 150050);
	assert_string_equal(h->phone, "13800138000");
	assert_int_equal(h->nmembers, 2);
	assert_int_equal(h->members[0].relation, REL_CHILD);
	assert_int_equal(h->members[0].school, SCHOOL_PRIMARY);
	assert_int_equal(h->members[1].row, 5);
	assert_int_equal(h->members[1].income_fen, 80000);
	assert_int_equal(h->causes, CAUSE_BIT(CAUSE_EDUCATION) | CAUSE_BIT(CAUSE_ILLNESS_FAMILY) | CAUSE_BIT(CAUSE_LOW_INCOME));
	assert_false(h->bad);
	arena_free(a);
}

static void test_census_errors(void **state)
{
	struct arena *a = arena_new();
	struct census c;
	const char *csv = HDR
		W1 ",张三," W1 ",本人,,良好,,,,,\n"                       /* 2: no income */
		W1 ",李四," M1 ",表亲,1.234,,硕士,,,,天灾\n"             /* 3: relation, income, school, cause */
		W1 ",李四," M1 ",配偶,0,,,,,,\n"                          /* 4: duplicate of row 3 */
		"110101199003074515,王五,110101199003074515,本人,0\n"    /* 5: bad check digit */
		M2 ",赵六," M2 ",子女,0\n";                               /* 6: no 本人 row for its household */
	assert_true(parse(csv, 0, &c, a) > 0);
	assert_true(has_error(&c, 2, "月收入(元)"));
	assert_true(has_error(&c, 3, "与户主关系"));
	assert_true(has_error(&c, 3, "月收入(元)"));
	assert_true(has_error(&c, 3, "就学阶段"));
	assert_true(has_error(&c, 3, "致困原因"));
	assert_true(has_error(&c, 4, "身份证号"));
	assert_true(has_error(&c, 5, "户主身份证号"));
	assert_true(has_error(&c, 5, "身份证号"));
	assert_true(has_error(&c, 6, "与户主关系"));
	for (int i = 1; i < c.nerr; i++)
		assert_true(c.err[i - 1].row <= c.err[i].row);
	arena_free(a);

	a = arena_new();
	assert_true(parse("姓名,籍贯\n张三,浙江\n", 0, &c, a) > 0);
	assert_true(has_error(&c, 1, "籍贯"));
	assert_true(has_error(&c, 1, "户主身份证号"));
	assert_true(has_error(&c, 1, "月收入(元)"));
	arena_free(a);

	a = arena_new();
	assert_true(parse(HDR, 0, &c, a) > 0); /* a header and nothing else */
	assert_int_equal(c.err[0].row, 1);
	arena_free(a);

	a = arena_new();
	assert_true(parse("", 0, &c, a) > 0);
	assert_int_equal(c.err[0].row, 0);
	arena_free(a);
}

static void test_census_archive(void **state)
{
	struct arena *a = arena_new();
	struct census c;
	const char *csv = "户主身份证号,姓名,身份证号,与户主关系,月收入(元),档案编号,建档日期\n"
			  W1 ",张三," W1 ",本人,0,110101202500001,2025年6月1日\n"
			  W1 ",李四," M1 ",配偶,0,,\n";
	assert_int_equal(parse(csv, 1, &c, a), 0);
	assert_string_equal(c.hh[0].archive_no, "110101202500001");
	assert_string_equal(c.hh[0].entered_on, "2025-06-01");
	arena_free(a);
	a = arena_new();
	assert_true(parse(csv, 0, &c, a) > 0); /* not an admin */
	assert_true(has_error(&c, 2, "档案编号"));
	arena_free(a);
	a = arena_new();
	const char *future = "户主身份证号,姓名,身份证号,与户主关系,月收入(元),档案编号,建档日期\n"
			     W1 ",张三," W1 ",本人,0,A1,2027-01-01\n";
	assert_true(parse(future, 1, &c, a) > 0);
	assert_true(has_error(&c, 2, "建档日期"));
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_text_to_utf8),
		cmocka_unit_test(test_serial_date),
		cmocka_unit_test(test_csv_rows_and_lines),
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_csv_gb18030),
		cmocka_unit_test(test_xlsx_read),
		cmocka_unit_test(test_xlsx_refusals),
		cmocka_unit_test(test_multipart),
		cmocka_unit_test(test_census_good),
		cmocka_unit_test(test_census_errors),
		cmocka_unit_test(test_census_archive),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
