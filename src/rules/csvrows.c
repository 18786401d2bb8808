/* csvrows.c — the sheet container, text encodings, and the CSV reader.
 *
 * Quotes, doubled quotes and line breaks inside quoted fields are left to
 * libcsv (strict mode: a stray quote is an error, not a guess).  We only
 * count physical lines, so that a row number is the line a person sees in
 * a text editor: "\r\n", "\n" and a lone "\r" each end one line, and a
 * quoted field spanning lines moves the next record down accordingly.
 */
#include "rules/sheet.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/dates.h"

/* --- the container ----------------------------------------------------- */

void sheet_cells_free(struct cell *cells, int n)
{
	for (int i = 0; i < n; i++)
		free(cells[i].text);
	free(cells);
}

void sheet_free(struct sheet *s)
{
	for (int i = 0; i < s->nrows; i++)
		sheet_cells_free(s->rows[i].cells, s->rows[i].ncells);
	free(s->rows);
	s->rows = NULL;
	s->nrows = s->cap = 0;
}

int sheet_add_row(struct sheet *s, int row, struct cell *cells, int n)
{
	int blank = 1;
	for (int i = 0; i < n && blank; i++)
		if (cells[i].kind != CELL_EMPTY)
			blank = 0;
	if (blank) {
		sheet_cells_free(cells, n);
		return 0;
	}
	if (s->nrows >= SHEET_MAX_ROWS) {
		sheet_cells_free(cells, n);
		snprintf(s->err, sizeof s->err, "行数超过上限（%d 行），请分成几个文件导入", SHEET_MAX_ROWS);
		s->err_row = row;
		return -1;
	}
	if (s->nrows == s->cap) {
		int cap = s->cap ? s->cap * 2 : 64;
		struct sheet_row *nr = realloc(s->rows, (size_t)cap * sizeof *nr);
		if (!nr) {
			sheet_cells_free(cells, n);
			snprintf(s->err, sizeof s->err, "内存不足");
			return -1;
		}
		s->rows = nr;
		s->cap = cap;
	}
	s->rows[s->nrows++] = (struct sheet_row){row, n, cells};
	return 0;
}

const char *sheet_cell(const struct sheet_row *r, int col)
{
	return col >= 0 && col < r->ncells && r->cells[col].text ? r->cells[col].text : "";
}

enum cell_kind sheet_kind(const struct sheet_row *r, int col)
{
	return col >= 0 && col < r->ncells ? r->cells[col].kind : CELL_EMPTY;
}

/* --- encodings ----------------------------------------------------------- */

int utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len;
		uint32_t cp, min;
		if (c >= 0xC2 && c <= 0xDF)
			len = 2, cp = c & 0x1F, min = 0x80;
		else if (c >= 0xE0 && c <= 0xEF)
			len = 3, cp = c & 0x0F, min = 0x800;
		else if (c >= 0xF0 && c <= 0xF4)
			len = 4, cp = c & 0x07, min = 0x10000;
		else
			return 0;
		if (n - i < len)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

int text_to_utf8(const char *in, size_t n, char **out, size_t *outlen, char *err, size_t errlen)
{
	*out = NULL;
	*outlen = 0;
	if (n >= 2 && (((unsigned char)in[0] == 0xFF && (unsigned char)in[1] == 0xFE) ||
		       ((unsigned char)in[0] == 0xFE && (unsigned char)in[1] == 0xFF))) {
		snprintf(err, errlen, "文件是 UTF-16 编码，请另存为“CSV UTF-8（逗号分隔）”或 GB18030 编码的 CSV");
		return -1;
	}
	if (n >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3)) {
		in += 3;
		n -= 3;
	}
	if (utf8_valid(in, n)) {
		char *t = malloc(n + 1);
		if (!t)
			goto nomem;
		memcpy(t, in, n);
		t[n] = '\0';
		*out = t;
		*outlen = n;
		return 0;
	}
	/* not UTF-8: GB18030 (a superset of GBK and GB2312), which turns every
	 * Chinese character into at most 4 UTF-8 bytes */
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1) {
		snprintf(err, errlen, "系统不支持 GB18030 编码转换");
		return -1;
	}
	size_t cap = n * 2 + 16;
	char *t = malloc(cap + 1);
	if (!t) {
		iconv_close(cd);
		goto nomem;
	}
	char *src = (char *)in, *dst = t;
	size_t left = n, room = cap;
	size_t r = iconv(cd, &src, &left, &dst, &room);
	int bad = r == (size_t)-1;
	if (!bad) /* flush the shift state */
		bad = iconv(cd, NULL, NULL, &dst, &room) == (size_t)-1;
	iconv_close(cd);
	if (bad) {
		free(t);
		size_t at = (size_t)(src - in);
		int line = 1;
		for (size_t i = 0; i < at && i < n; i++)
			line += in[i] == '\n';
		snprintf(err, errlen, "文件编码无法识别：既不是 UTF-8 也不是 GB18030（第 %d 行附近）", line);
		return -1;
	}
	*dst = '\0';
	*out = t;
	*outlen = (size_t)(dst - t);
	return 0;
nomem:
	snprintf(err, errlen, "内存不足");
	return -1;
}

int sheet_serial_date(const char *num, int date1904, char out[11])
{
	char *end;
	errno = 0;
	double v = strtod(num, &end);
	while (*end == ' ')
		end++;
	if (errno || end == num || *end || !isfinite(v) || v != floor(v) || v < 1 || v > 2958465)
		return -1;
	long serial = (long)v;
	day_t base;
	if (date1904)
		date_from_ymd(1904, 1, 1, &base);
	else if (serial >= 61) /* Lotus' 1900-02-29 that never was */
		date_from_ymd(1899, 12, 30, &base);
	else
		return -1;
	day_t d = base + (day_t)serial;
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	if (y < 1900 || y > 2999)
		return -1;
	date_format(d, out);
	return 0;
}

/* --- CSV ------------------------------------------------------------------ */

struct csv_state {
	struct sheet *s;
	struct cell *cells;
	int n, cap;
	int line;          /* the line the current record starts on */
	int embedded;      /* line breaks inside its quoted fields */
	int last_term;     /* the character that ended the previous record */
	int failed;
};

static void csv_fail(struct csv_state *st, int row, const char *msg)
{
	if (st->failed)
		return;
	st->failed = 1;
	snprintf(st->s->err, sizeof st->s->err, "%s", msg);
	st->s->err_row = row;
}

static void on_field(void *data, size_t len, void *ctx)
{
	struct csv_state *st = ctx;
	const char *f = data ? data : "";
	if (!data)
		len = 0;
	for (size_t i = 0; i < len; i++)
		if (f[i] == '\n' || (f[i] == '\r' && (i + 1 == len || f[i + 1] != '\n')))
			st->embedded++;
	if (st->failed)
		return;
	if (st->n >= SHEET_MAX_COLS) {
		char m[128];
		snprintf(m, sizeof m, "第 %d 行的列数超过上限（%d 列）", st->line, SHEET_MAX_COLS);
		csv_fail(st, st->line, m);
		return;
	}
	if (len > SHEET_MAX_CELL) {
		char m[128];
		snprintf(m, sizeof m, "第 %d 行有一个单元格过长（超过 %d 字节）", st->line, SHEET_MAX_CELL);
		csv_fail(st, st->line, m);
		return;
	}
	if (st->n == st->cap) {
		int cap = st->cap ? st->cap * 2 : 16;
		struct cell *nc = realloc(st->cells, (size_t)cap * sizeof *nc);
		if (!nc) {
			csv_fail(st, st->line, "内存不足");
			return;
		}
		st->cells = nc;
		st->cap = cap;
	}
	char *t = malloc(len + 1);
	if (!t) {
		csv_fail(st, st->line, "内存不足");
		return;
	}
	memcpy(t, f, len);
	t[len] = '\0';
	st->cells[st->n++] = (struct cell){len ? CELL_TEXT : CELL_EMPTY, t};
}

static void on_record(int c, void *ctx)
{
	struct csv_state *st = ctx;
	/* the '\n' of a "\r\n" arrives as an empty record of its own */
	int crlf_tail = c == '\n' && st->last_term == '\r' && st->n == 0 && st->embedded == 0;
	st->last_term = c;
	if (crlf_tail)
		return;
	if (!st->failed && st->n > 0) {
		if (sheet_add_row(st->s, st->line, st->cells, st->n))
			st->failed = 1;
		st->cells = NULL;
		st->n = st->cap = 0;
	} else {
		sheet_cells_free(st->cells, st->n);
		st->cells = NULL;
		st->n = st->cap = 0;
	}
	st->line += 1 + st->embedded;
	st->embedded = 0;
}

static int line_at(const char *t, size_t at)
{
	int line = 1;
	for (size_t i = 0; i < at; i++)
		if (t[i] == '\n' || (t[i] == '\r' && t[i + 1] != '\n'))
			line++;
	return line;
}

int sheet_read_csv(const void *buf, size_t len, struct sheet *s)
{
	char *text;
	size_t n;
	if (text_to_utf8(buf, len, &text, &n, s->err, sizeof s->err))
		return -1;
	if (strlen(text) != n) {
		snprintf(s->err, sizeof s->err, "文件含有二进制内容（NUL 字符），不是 CSV 文本文件");
		s->err_row = line_at(text, strlen(text));
		free(text);
		return -1;
	}
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL)) {
		free(text);
		snprintf(s->err, sizeof s->err, "内存不足");
		return -1;
	}
	struct csv_state st = {.s = s, .line = 1};
	size_t off = 0;
	while (off < n && !st.failed) {
		size_t chunk = n - off < 65536 ? n - off : 65536;
		size_t done = csv_parse(&p, text + off, chunk, on_field, on_record, &st);
		if (done != chunk) {
			char m[160];
			int line = line_at(text, off + done);
			snprintf(m, sizeof m, "CSV 格式错误：第 %d 行引号不配对（字段内的引号应写成两个 \"\"）", line);
			csv_fail(&st, line, m);
			break;
		}
		off += chunk;
	}
	if (!st.failed && csv_fini(&p, on_field, on_record, &st)) {
		char m[160];
		snprintf(m, sizeof m, "CSV 格式错误：第 %d 行起的引号没有结束", st.line);
		csv_fail(&st, st.line, m);
	}
	csv_free(&p);
	sheet_cells_free(st.cells, st.n);
	free(text);
	return st.failed ? -1 : 0;
}

/* --- by content -------------------------------------------------------------- */

int sheet_read(const void *buf, size_t len, enum sheet_format hint, struct sheet *s)
{
	const unsigned char *b = buf;
	int zip = len >= 4 && !memcmp(b, "PK\x03\x04", 4);
	int empty_zip = len >= 4 && !memcmp(b, "PK\x05\x06", 4);
	if (len >= 8 && !memcmp(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
		snprintf(s->err, sizeof s->err, "不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后再导入");
		return -1;
	}
	if (hint == SHEET_XLSX && !zip) {
		snprintf(s->err, sizeof s->err, "文件不是有效的 xlsx 工作簿（xlsx 是 zip 压缩包，此文件%s）",
			 empty_zip ? "是空压缩包" : "不是 zip 格式");
		return -1;
	}
	if (zip || empty_zip)
		return sheet_read_xlsx(buf, len, s);
	return sheet_read_csv(buf, len, s);
}
