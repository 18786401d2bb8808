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
#include <sys/stat.h>

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

int sheet_emit(struct sheet *s, int row, struct cell *cells, int n)
{
	int blank = 1;
	for (int i = 0; i < n && blank; i++)
		if (cells[i].kind != CELL_EMPTY)
			blank = 0;
	if (blank) {
		sheet_cells_free(cells, n);
		return 0;
	}
	if (s->seen >= SHEET_MAX_ROWS) {
		sheet_cells_free(cells, n);
		snprintf(s->err, sizeof s->err, "行数超过上限（%d 行），请分成几个文件导入", SHEET_MAX_ROWS);
		s->err_row = row;
		return -1;
	}
	s->seen++;
	if (s->sink) {
		struct sheet_row r = {row, n, cells};
		int rc = s->sink(s->sink_arg, s, &r);
		sheet_cells_free(cells, n);
		if (rc)
			s->stopped = 1;
		return rc ? -1 : 0;
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

/* --- input: a buffer or a file, read in chunks ------------------------------ */

#define CHUNK 65536

struct src {
	const char *buf;
	size_t len, off;
	FILE *f;
	unsigned long long *done;  /* bytes read, for progress; may be NULL */
};

static size_t src_read(struct src *in, char *dst, size_t n)
{
	size_t k;
	if (in->f) {
		k = fread(dst, 1, n, in->f);
	} else {
		k = in->len - in->off < n ? in->len - in->off : n;
		memcpy(dst, in->buf + in->off, k);
		in->off += k;
	}
	if (in->done)
		*in->done += k;
	return k;
}

static int src_rewind(struct src *in)
{
	in->off = 0;
	if (in->done)
		*in->done = 0;
	return in->f ? fseek(in->f, 0, SEEK_SET) : 0;
}

/* The longest prefix of s[0..n) that does not end inside a UTF-8 sequence. */
static size_t utf8_whole(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	for (size_t k = 1; k <= 3 && k <= n; k++) {
		unsigned c = s[n - k];
		if (c < 0x80)
			return n;
		if (c >= 0xC0) {
			size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
			return len > k ? n - k : n;
		}
	}
	return n;
}

/* Line breaks in t[0..n) ("\r\n", "\n" and a lone "\r" each one); a "\r"
 * at the end waits in *cr for the next piece. */
static int count_breaks(const char *t, size_t n, int *cr)
{
	int k = 0;
	for (size_t i = 0; i < n; i++) {
		if (*cr) {
			*cr = 0;
			k++;
			if (t[i] == '\n')
				continue;
		}
		if (t[i] == '\r')
			*cr = 1;
		else if (t[i] == '\n')
			k++;
	}
	return k;
}

typedef int (*text_fn)(void *arg, const char *t, size_t n);

static size_t bom_len(const char *p, size_t n)
{
	return n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3) ? 3 : 0;
}

/* Pass 1: 1 when all of in (after a BOM) is UTF-8, 0 when not, -1 with
 * err set for UTF-16 or a read error. */
static int is_utf8(struct src *in, char *raw, char *err, size_t errlen)
{
	size_t carry = 0, n;
	int first = 1;
	while ((n = src_read(in, raw + carry, CHUNK)) > 0 || carry) {
		size_t have = carry + n, skip = 0;
		if (first) {
			first = 0;
			if (have >= 2 && (((unsigned char)raw[0] == 0xFF && (unsigned char)raw[1] == 0xFE) ||
					  ((unsigned char)raw[0] == 0xFE && (unsigned char)raw[1] == 0xFF))) {
				snprintf(err, errlen, "文件是 UTF-16 编码，请另存为“CSV UTF-8（逗号分隔）”或 GB18030 编码的 CSV");
				return -1;
			}
			skip = bom_len(raw, have);
		}
		if (!n)
			return 0; /* ends inside a sequence */
		size_t whole = utf8_whole(raw + skip, have - skip) + skip;
		if (!utf8_valid(raw + skip, whole - skip))
			return 0;
		carry = have - whole;
		memmove(raw, raw + whole, carry);
	}
	if (in->f && ferror(in->f)) {
		snprintf(err, errlen, "读取文件失败");
		return -1;
	}
	return 1;
}

/* The text of in, in UTF-8 pieces without BOM, to out: UTF-8 is passed on
 * as it is, anything else converted from GB18030 (a superset of GBK and
 * GB2312).  Returns 0; -1 with a zh-CN reason in err (and, for bytes that
 * are neither, the line they are on in *bad_line when bad_line is not
 * NULL); or out's non-zero value, which stops it. */
static int decode(struct src *in, text_fn out, void *arg, char *err, size_t errlen, int *bad_line)
{
	char *raw = malloc(CHUNK + 4), *conv = NULL;
	iconv_t cd = (iconv_t)-1;
	int rc = -1, lines = 0, cr = 0;
	if (!raw)
		goto nomem;
	if (src_rewind(in)) {
		snprintf(err, errlen, "读取文件失败");
		goto out;
	}
	int utf8 = is_utf8(in, raw, err, errlen);
	if (utf8 < 0)
		goto out;
	if (src_rewind(in)) {
		snprintf(err, errlen, "读取文件失败");
		goto out;
	}
	if (!utf8) {
		cd = iconv_open("UTF-8", "GB18030");
		if (cd == (iconv_t)-1) {
			snprintf(err, errlen, "系统不支持 GB18030 编码转换");
			goto out;
		}
		if (!(conv = malloc(2 * CHUNK + 16)))
			goto nomem;
	}
	size_t carry = 0, n;
	int first = 1;
	while ((n = src_read(in, raw + carry, CHUNK)) > 0 || carry) {
		size_t have = carry + n, skip = first ? bom_len(raw, have) : 0;
		first = 0;
		if (utf8) {
			if ((rc = out(arg, raw + skip, have - skip)))
				goto out;
			continue;
		}
		char *p = raw + skip;
		size_t left = have - skip;
		while (left) {
			char *o = conv;
			size_t room = 2 * CHUNK + 16;
			int e = iconv(cd, &p, &left, &o, &room) == (size_t)-1 ? errno : 0;
			if (o > conv) {
				lines += count_breaks(conv, (size_t)(o - conv), &cr);
				if ((rc = out(arg, conv, (size_t)(o - conv))))
					goto out;
			}
			if (!e || e == E2BIG)
				continue;
			if (e == EINVAL && n)
				break; /* a character cut by the chunk: the rest comes next */
			snprintf(err, errlen, "文件编码无法识别：既不是 UTF-8 也不是 GB18030（第 %d 行附近）", lines + 1);
			if (bad_line)
				*bad_line = lines + 1;
			rc = -1;
			goto out;
		}
		carry = left;
		memmove(raw, p, carry);
	}
	if (in->f && ferror(in->f)) {
		snprintf(err, errlen, "读取文件失败");
		rc = -1;
		goto out;
	}
	rc = 0;
	goto out;
nomem:
	snprintf(err, errlen, "内存不足");
	rc = -1;
out:
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	free(conv);
	free(raw);
	return rc;
}

struct growbuf {
	char *p;
	size_t n, cap;
};

static int grow_add(void *arg, const char *t, size_t n)
{
	struct growbuf *g = arg;
	if (g->n + n + 1 > g->cap) {
		size_t cap = g->cap ? g->cap : 256;
		while (cap < g->n + n + 1)
			cap *= 2;
		char *np = realloc(g->p, cap);
		if (!np)
			return 1;
		g->p = np;
		g->cap = cap;
	}
	memcpy(g->p + g->n, t, n);
	g->n += n;
	g->p[g->n] = '\0';
	return 0;
}

int text_to_utf8(const char *in, size_t n, char **out, size_t *outlen, char *err, size_t errlen)
{
	struct src s = {.buf = in, .len = n};
	struct growbuf g = {0};
	int rc = decode(&s, grow_add, &g, err, errlen, NULL);
	if (!rc && !g.p && grow_add(&g, "", 0))
		rc = 1;
	if (rc) {
		if (rc > 0)
			snprintf(err, errlen, "内存不足");
		free(g.p);
		*out = NULL;
		*outlen = 0;
		return -1;
	}
	*out = g.p;
	*outlen = g.n;
	return 0;
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
		if (sheet_emit(st->s, st->line, st->cells, st->n))
			st->failed = 1;
	} else {
		sheet_cells_free(st->cells, st->n);
	}
	st->cells = NULL;
	st->n = st->cap = 0;
	st->line += 1 + st->embedded;
	st->embedded = 0;
}

struct csv_feed {
	struct csv_parser p;
	struct csv_state st;
	int lines, cr;  /* line breaks before the current piece */
};

/* One piece of UTF-8 text into libcsv. */
static int csv_piece(void *arg, const char *t, size_t n)
{
	struct csv_feed *f = arg;
	char m[160];
	int cr = f->cr;
	const char *nul = memchr(t, '\0', n);
	if (nul) {
		int line = 1 + f->lines + count_breaks(t, (size_t)(nul - t), &cr);
		snprintf(m, sizeof m, "文件含有二进制内容（NUL 字符），不是 CSV 文本文件");
		csv_fail(&f->st, line, m);
		return 1;
	}
	size_t done = csv_parse(&f->p, t, n, on_field, on_record, &f->st);
	if (f->st.failed)
		return 1;
	if (done != n) {
		int line = 1 + f->lines + count_breaks(t, done, &cr);
		snprintf(m, sizeof m, "CSV 格式错误：第 %d 行引号不配对（字段内的引号应写成两个 \"\"）", line);
		csv_fail(&f->st, line, m);
		return 1;
	}
	f->lines += count_breaks(t, n, &f->cr);
	return 0;
}

static int csv_stream(struct src *in, struct sheet *s)
{
	struct csv_feed f = {.st = {.s = s, .line = 1}};
	if (csv_init(&f.p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL)) {
		snprintf(s->err, sizeof s->err, "内存不足");
		return -1;
	}
	in->done = &s->in_done;
	int rc = decode(in, csv_piece, &f, s->err, sizeof s->err, &s->err_row);
	if (!rc && csv_fini(&f.p, on_field, on_record, &f.st) && !f.st.failed) {
		char m[160];
		snprintf(m, sizeof m, "CSV 格式错误：第 %d 行起的引号没有结束", f.st.line);
		csv_fail(&f.st, f.st.line, m);
	}
	csv_free(&f.p);
	sheet_cells_free(f.st.cells, f.st.n);
	return rc || f.st.failed ? -1 : 0;
}

int sheet_read_csv(const void *buf, size_t len, struct sheet *s)
{
	struct src in = {.buf = buf, .len = len};
	s->in_total = len;
	return csv_stream(&in, s);
}

/* --- by content -------------------------------------------------------------- */

/* The format of a file that starts with b[0..len): -1 with s->err set when
 * it is refused. */
static int sniff(const unsigned char *b, size_t len, enum sheet_format hint, struct sheet *s)
{
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
	return zip || empty_zip ? SHEET_XLSX : SHEET_CSV;
}

int sheet_read(const void *buf, size_t len, enum sheet_format hint, struct sheet *s)
{
	int f = sniff(buf, len, hint, s);
	if (f < 0)
		return -1;
	return f == SHEET_XLSX ? sheet_read_xlsx(buf, len, s) : sheet_read_csv(buf, len, s);
}

int sheet_read_file(const char *path, enum sheet_format hint, struct sheet *s)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(s->err, sizeof s->err, "无法打开文件：%s", strerror(errno));
		return -1;
	}
	unsigned char head[8];
	size_t n = fread(head, 1, sizeof head, f);
	struct stat st;
	if (!fstat(fileno(f), &st))
		s->in_total = (unsigned long long)st.st_size;
	int rc = sniff(head, n, hint, s);
	if (rc == SHEET_XLSX) {
		fclose(f);
		return sheet_read_xlsx_file(path, s);
	}
	if (rc == SHEET_CSV) {
		struct src in = {.f = f};
		rc = csv_stream(&in, s);
	}
	fclose(f);
	return rc;
}
