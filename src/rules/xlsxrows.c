/* xlsxrows.c — the first worksheet of an XLSX workbook (libzip + expat).
 *
 * An XLSX file is a zip archive of XML parts.  Each part we need is
 * inflated in 64 KiB chunks (zip_fread) straight into expat, never whole:
 * xl/workbook.xml (the first sheet, the 1904 date flag) and its
 * relationships, xl/sharedStrings.xml (the text most cells point at) and
 * the worksheet itself, whose rows go to the sheet's sink one by one.  Only
 * the shared strings are kept (packed in one buffer), since any cell may
 * point at any of them.  Cells keep their kind: a number stays a number (its
 * shortest decimal text, 15 significant digits as Excel shows it), and a
 * cell with a formula is marked CELL_FORMULA — the cached result in the file
 * is whatever the last program that saved it computed, so the importer
 * refuses it instead of trusting it.
 *
 * Defences: every entry read is capped (SHEET_MAX_ENTRY uncompressed bytes,
 * a compression ratio of SHEET_MAX_RATIO for entries above 1 MiB, and the
 * bytes actually inflated, whatever the header claims); DTDs are refused
 * (no entity expansion at all); rows, columns, cells and shared strings are
 * bounded.  A broken or truncated archive is an error message.
 */
#include "rules/sheet.h"

#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define MAX_ROW_NUMBER 1048576 /* Excel's own limit */

static int fail(struct sheet *s, int row, const char *fmt, const char *arg)
{
	if (!s->err[0]) {
		snprintf(s->err, sizeof s->err, fmt, arg ? arg : "");
		s->err_row = row;
	}
	return -1;
}

static const char *local(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
	for (int i = 0; atts[i]; i += 2)
		if (!strcmp(atts[i], name))
			return atts[i + 1];
	return NULL;
}

/* --- a growing text buffer, capped --------------------------------------- */

struct text {
	char *p;
	size_t n, cap;
	int over;
};

static void text_add(struct text *t, const char *s, int len)
{
	if (len <= 0 || t->over)
		return;
	if (t->n + (size_t)len > SHEET_MAX_CELL) {
		t->over = 1;
		return;
	}
	if (t->n + (size_t)len + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 64;
		while (cap < t->n + (size_t)len + 1)
			cap *= 2;
		char *np = realloc(t->p, cap);
		if (!np) {
			t->over = 1;
			return;
		}
		t->p = np;
		t->cap = cap;
	}
	memcpy(t->p + t->n, s, (size_t)len);
	t->n += (size_t)len;
	t->p[t->n] = '\0';
}

static char *text_take(struct text *t)
{
	char *p = t->p ? t->p : strdup("");
	t->p = NULL;
	t->n = t->cap = 0;
	t->over = 0;
	return p;
}

/* --- the XML parser, common parts ------------------------------------------- */

struct xml {
	XML_Parser p;
	struct sheet *s;
	int failed;
};

static void xml_stop(struct xml *x, int row, const char *fmt, const char *arg)
{
	if (x->failed)
		return;
	x->failed = 1;
	fail(x->s, row, fmt, arg);
	XML_StopParser(x->p, XML_FALSE);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sys,
			       const XML_Char *pub, int internal)
{
	(void)name, (void)sys, (void)pub, (void)internal;
	xml_stop(ud, 0, "xlsx 文件含有不允许的 XML 文档类型声明（DTD）%s", "");
}

#define CHUNK 65536
#define RATIO_FROM (1u << 20) /* entries smaller than this may compress as they like */

static int ratio_bad(zip_uint64_t size, zip_uint64_t comp)
{
	return size > RATIO_FROM && (comp == 0 || size / comp > SHEET_MAX_RATIO);
}

/* Inflates entry `name` chunk by chunk into x's parser.  Returns 0; 1 when
 * it does not exist and `required` is 0; -1 with s->err set (or s->stopped).
 * The sizes the archive declares are checked before anything is inflated
 * and the bytes really inflated against them all along: an entry that
 * inflates to more than it declared, than `cap`, or than SHEET_MAX_RATIO
 * times its compressed size is refused at that chunk. */
static int stream_entry(zip_t *z, const char *name, int required, struct xml *x, zip_uint64_t cap,
			int progress)
{
	struct sheet *s = x->s;
	zip_int64_t idx = zip_name_locate(z, name, 0);
	if (idx < 0)
		return required ? fail(s, 0, "文件不是有效的 xlsx 工作簿：缺少 %s", name) : 1;
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(z, (zip_uint64_t)idx, 0, &st))
		return fail(s, 0, "xlsx 文件已损坏：无法读取 %s", name);
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
		return fail(s, 0, "xlsx 文件已加密，请取消密码保护后再导入%s", "");
	if (!(st.valid & ZIP_STAT_SIZE) || st.size > cap)
		return fail(s, 0, "xlsx 文件中的 %s 解压后过大，拒绝处理", name);
	zip_uint64_t comp = st.valid & ZIP_STAT_COMP_SIZE ? st.comp_size : 0;
	if ((st.valid & ZIP_STAT_COMP_SIZE) && ratio_bad(st.size, comp))
		return fail(s, 0, "xlsx 文件中的 %s 压缩比异常（疑似压缩炸弹），拒绝处理", name);
	zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)idx, 0);
	if (!f)
		return fail(s, 0, "xlsx 文件已损坏：无法解压 %s", name);
	char *buf = malloc(CHUNK);
	if (!buf) {
		zip_fclose(f);
		return fail(s, 0, "内存不足%s", "");
	}
	XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
	if (progress)
		s->in_total = st.size, s->in_done = 0;
	zip_uint64_t n = 0;
	int rc = -1;
	for (;;) {
		zip_int64_t r = zip_fread(f, buf, CHUNK);
		if (r < 0) {
			fail(s, 0, "xlsx 文件已损坏或不完整：解压 %s 失败", name);
			break;
		}
		n += (zip_uint64_t)r;
		if (n > st.size) { /* more than the archive announced */
			fail(s, 0, "xlsx 文件已损坏：%s 的实际大小与记录不符", name);
			break;
		}
		if (ratio_bad(n, comp)) {
			fail(s, 0, "xlsx 文件中的 %s 压缩比异常（疑似压缩炸弹），拒绝处理", name);
			break;
		}
		if (r == 0 && n != st.size) {
			fail(s, 0, "xlsx 文件已损坏或不完整：%s 的数据不全", name);
			break;
		}
		if (progress)
			s->in_done = n;
		enum XML_Status xs = XML_Parse(x->p, buf, (int)r, r == 0);
		if (x->failed)
			break;
		if (xs != XML_STATUS_OK) {
			char m[200];
			snprintf(m, sizeof m, "%s（第 %lu 行：%s）", name,
				 (unsigned long)XML_GetCurrentLineNumber(x->p), XML_ErrorString(XML_GetErrorCode(x->p)));
			fail(s, 0, "xlsx 文件已损坏：XML 格式错误 %s", m);
			break;
		}
		if (r == 0) {
			rc = 0;
			break;
		}
	}
	free(buf);
	zip_fclose(f);
	return rc;
}

/* --- workbook: the first sheet's relationship id, the date system ---------- */

struct wb {
	struct xml x;
	char rid[128];
	int seen_sheet;
};

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct wb *w = ud;
	const char *l = local(name);
	if (!strcmp(l, "workbookPr")) {
		const char *d = attr(atts, "date1904");
		if (d && (!strcmp(d, "1") || !strcmp(d, "true")))
			w->x.s->date1904 = 1;
	} else if (!strcmp(l, "sheet") && !w->seen_sheet) {
		w->seen_sheet = 1;
		for (int i = 0; atts[i]; i += 2)
			if (strchr(atts[i], ':') && !strcmp(local(atts[i]), "id"))
				snprintf(w->rid, sizeof w->rid, "%s", atts[i + 1]);
	}
}

struct rels {
	struct xml x;
	const char *rid;
	char target[256];
};

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct rels *r = ud;
	if (strcmp(local(name), "Relationship"))
		return;
	const char *id = attr(atts, "Id"), *t = attr(atts, "Target");
	if (id && t && !strcmp(id, r->rid) && !r->target[0]) {
		if (t[0] == '/')
			snprintf(r->target, sizeof r->target, "%s", t + 1);
		else
			snprintf(r->target, sizeof r->target, "xl/%s", t);
	}
}

/* --- shared strings ------------------------------------------------------------ */

struct sst {
	struct xml x;
	char *buf;      /* every string, NUL-terminated, one after the other */
	size_t len, bcap;
	size_t *off;    /* where string i starts in buf */
	int n, cap;
	int in_si, in_t, in_rph;
	struct text t;
};

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct sst *s = ud;
	const char *l = local(name);
	(void)atts;
	if (!strcmp(l, "si")) {
		s->in_si = 1;
		s->t.n = 0;
		s->t.over = 0;
		if (s->t.p)
			s->t.p[0] = '\0';
	} else if (!strcmp(l, "rPh")) {
		s->in_rph = 1;
	} else if (!strcmp(l, "t") && s->in_si && !s->in_rph) {
		s->in_t = 1;
	}
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	struct sst *s = ud;
	const char *l = local(name);
	if (!strcmp(l, "t")) {
		s->in_t = 0;
	} else if (!strcmp(l, "rPh")) {
		s->in_rph = 0;
	} else if (!strcmp(l, "si") && s->in_si) {
		s->in_si = 0;
		if (s->t.over) {
			xml_stop(&s->x, 0, "xlsx 文件中有一个文本过长（超过 32 KB）%s", "");
			return;
		}
		size_t tl = s->t.n;
		if (s->n >= SHEET_MAX_STRINGS || s->len + tl + 1 > SHEET_MAX_SST_BYTES) {
			xml_stop(&s->x, 0, "xlsx 文件中的文本条目过多%s", "");
			return;
		}
		if (s->n == s->cap) {
			int cap = s->cap ? s->cap * 2 : 256;
			size_t *no = realloc(s->off, (size_t)cap * sizeof *no);
			if (!no) {
				xml_stop(&s->x, 0, "内存不足%s", "");
				return;
			}
			s->off = no;
			s->cap = cap;
		}
		if (s->len + tl + 1 > s->bcap) {
			size_t cap = s->bcap ? s->bcap : 4096;
			while (cap < s->len + tl + 1)
				cap *= 2;
			char *nb = realloc(s->buf, cap);
			if (!nb) {
				xml_stop(&s->x, 0, "内存不足%s", "");
				return;
			}
			s->buf = nb;
			s->bcap = cap;
		}
		if (tl)
			memcpy(s->buf + s->len, s->t.p, tl);
		s->buf[s->len + tl] = '\0';
		s->off[s->n++] = s->len;
		s->len += tl + 1;
		s->t.n = 0;
	}
}

static void XMLCALL sst_text(void *ud, const XML_Char *str, int len)
{
	struct sst *s = ud;
	if (s->in_t)
		text_add(&s->t, str, len);
}

/* --- the worksheet ----------------------------------------------------------------- */

struct ws {
	struct xml x;
	struct sst *sst;
	int row, prev_row, in_row;
	struct cell *cells;
	int ncells, cap;
	/* the current cell */
	int in_c, col, prev_col, formula, in_v, in_is, in_t, in_rph;
	char type[16];
	struct text v, is;
};

static int col_of(const char *ref, int *col)
{
	int c = 0, i = 0;
	for (; ref[i] >= 'A' && ref[i] <= 'Z'; i++) {
		c = c * 26 + (ref[i] - 'A' + 1);
		if (c > 16384)
			return -1;
	}
	if (!i)
		return -1;
	*col = c - 1;
	return 0;
}

static void XMLCALL ws_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct ws *w = ud;
	const char *l = local(name);
	if (w->x.failed)
		return;
	if (!strcmp(l, "row")) {
		const char *r = attr(atts, "r");
		long n = w->prev_row + 1;
		if (r) {
			char *end;
			errno = 0;
			n = strtol(r, &end, 10);
			if (errno || *end || n < 1 || n > MAX_ROW_NUMBER) {
				xml_stop(&w->x, 0, "xlsx 工作表已损坏：行号“%s”无效", r);
				return;
			}
		}
		if (n <= w->prev_row) {
			xml_stop(&w->x, (int)n, "xlsx 工作表已损坏：行号顺序错乱%s", "");
			return;
		}
		w->row = (int)n;
		w->in_row = 1;
		w->prev_col = -1;
	} else if (!strcmp(l, "c") && w->in_row) {
		const char *r = attr(atts, "r"), *t = attr(atts, "t");
		int col = w->prev_col + 1;
		if (r && col_of(r, &col)) {
			xml_stop(&w->x, w->row, "xlsx 工作表已损坏：单元格位置“%s”无效", r);
			return;
		}
		w->in_c = 1;
		w->col = col;
		w->prev_col = col;
		w->formula = 0;
		snprintf(w->type, sizeof w->type, "%s", t ? t : "n");
	} else if (w->in_c && !strcmp(l, "f")) {
		w->formula = 1;
	} else if (w->in_c && !strcmp(l, "v")) {
		w->in_v = 1;
	} else if (w->in_c && !strcmp(l, "is")) {
		w->in_is = 1;
	} else if (w->in_is && !strcmp(l, "rPh")) {
		w->in_rph = 1;
	} else if (w->in_is && !w->in_rph && !strcmp(l, "t")) {
		w->in_t = 1;
	}
}

/* A number as Excel shows it: 15 significant digits, no trailing zeros,
 * plain notation below 10^15. */
static char *number_text(const char *v, int *ok)
{
	char *end, buf[64];
	errno = 0;
	double d = strtod(v, &end);
	while (*end == ' ')
		end++;
	*ok = !(errno == ERANGE || end == v || *end || !isfinite(d));
	if (!*ok)
		return strdup(v);
	if (fabs(d) < 1e15 && d == floor(d))
		snprintf(buf, sizeof buf, "%.0f", d);
	else
		snprintf(buf, sizeof buf, "%.15g", d);
	if (!strcmp(buf, "-0"))
		strcpy(buf, "0");
	return strdup(buf);
}

static void ws_put(struct ws *w, enum cell_kind kind, char *text)
{
	if (!text) {
		xml_stop(&w->x, w->row, "内存不足%s", "");
		return;
	}
	if (kind == CELL_EMPTY || (kind == CELL_TEXT && !*text)) {
		free(text); /* nothing to keep; columns in between stay empty */
		return;
	}
	if (w->col >= SHEET_MAX_COLS) {
		free(text);
		xml_stop(&w->x, w->row, "xlsx 工作表的列数超过上限（200 列）%s", "");
		return;
	}
	if (w->col >= w->cap) {
		int cap = w->cap ? w->cap : 16;
		while (cap <= w->col)
			cap *= 2;
		struct cell *nc = realloc(w->cells, (size_t)cap * sizeof *nc);
		if (!nc) {
			free(text);
			xml_stop(&w->x, w->row, "内存不足%s", "");
			return;
		}
		memset(nc + w->cap, 0, (size_t)(cap - w->cap) * sizeof *nc);
		w->cells = nc;
		w->cap = cap;
	}
	if (w->col < w->ncells && w->cells[w->col].kind != CELL_EMPTY) {
		free(text);
		xml_stop(&w->x, w->row, "xlsx 工作表已损坏：单元格重复%s", "");
		return;
	}
	w->cells[w->col] = (struct cell){kind, text};
	if (w->col + 1 > w->ncells)
		w->ncells = w->col + 1;
}

static void ws_cell_end(struct ws *w)
{
	char *v = text_take(&w->v), *is = text_take(&w->is);
	enum cell_kind kind = CELL_TEXT;
	char *text = NULL;
	const char *t = w->type;
	if (!strcmp(t, "s")) {
		char *end;
		errno = 0;
		long i = strtol(v, &end, 10);
		if (!*v) {
			kind = CELL_EMPTY;
			text = strdup("");
		} else if (errno || *end || i < 0 || !w->sst || i >= w->sst->n) {
			free(v);
			free(is);
			xml_stop(&w->x, w->row, "xlsx 工作表已损坏：引用了不存在的文本条目%s", "");
			return;
		} else {
			text = strdup(w->sst->buf + w->sst->off[i]);
		}
	} else if (!strcmp(t, "inlineStr")) {
		text = is;
		is = NULL;
	} else if (!strcmp(t, "str")) {
		text = v;
		v = NULL;
	} else if (!strcmp(t, "b")) {
		kind = CELL_BOOL;
		text = strdup(!strcmp(v, "1") ? "TRUE" : "FALSE");
	} else if (!strcmp(t, "e")) {
		kind = CELL_ERROR;
		text = v;
		v = NULL;
	} else if (!strcmp(t, "d")) {
		text = v;
		v = NULL;
	} else { /* "n" */
		if (!*v) {
			kind = CELL_EMPTY;
			text = strdup("");
		} else {
			int ok;
			kind = CELL_NUMBER;
			text = number_text(v, &ok);
			if (!ok)
				kind = CELL_ERROR;
		}
	}
	if (w->formula)
		kind = CELL_FORMULA;
	free(v);
	free(is);
	ws_put(w, kind, text);
}

static void XMLCALL ws_end(void *ud, const XML_Char *name)
{
	struct ws *w = ud;
	const char *l = local(name);
	if (w->x.failed)
		return;
	if (!strcmp(l, "v")) {
		w->in_v = 0;
	} else if (!strcmp(l, "t")) {
		w->in_t = 0;
	} else if (!strcmp(l, "rPh")) {
		w->in_rph = 0;
	} else if (!strcmp(l, "is")) {
		w->in_is = 0;
	} else if (!strcmp(l, "c") && w->in_c) {
		w->in_c = 0;
		if (w->v.over || w->is.over) {
			xml_stop(&w->x, w->row, "xlsx 工作表中有一个单元格过长（超过 32 KB）%s", "");
			return;
		}
		ws_cell_end(w);
	} else if (!strcmp(l, "row") && w->in_row) {
		w->in_row = 0;
		w->prev_row = w->row;
		struct cell *cells = w->cells;
		int n = w->ncells;
		w->cells = NULL;
		w->ncells = w->cap = 0;
		if (!cells)
			return;
		if (sheet_emit(w->x.s, w->row, cells, n)) {
			w->x.failed = 1;
			XML_StopParser(w->x.p, XML_FALSE);
		}
	}
}

static void XMLCALL ws_text(void *ud, const XML_Char *str, int len)
{
	struct ws *w = ud;
	if (w->in_v)
		text_add(&w->v, str, len);
	else if (w->in_t)
		text_add(&w->is, str, len);
}

/* --- the whole workbook ------------------------------------------------------------- */

static void open_failed(int code, struct sheet *s)
{
	if (code == ZIP_ER_NOZIP)
		fail(s, 0, "文件不是有效的 xlsx 工作簿：不是 zip 压缩包，或文件不完整（被截断）%s", "");
	else if (code == ZIP_ER_INCONS || code == ZIP_ER_READ || code == ZIP_ER_SEEK || code == ZIP_ER_EOF)
		fail(s, 0, "xlsx 文件已损坏或不完整（可能上传时被截断）%s", "");
	else if (code == ZIP_ER_OPEN || code == ZIP_ER_NOENT)
		fail(s, 0, "无法打开文件%s", "");
	else
		fail(s, 0, "无法打开 xlsx 文件：%s", "压缩包结构错误");
}

/* One part through a parser of its own; 1 when it is absent. */
static int parse_part(zip_t *z, const char *name, int required, struct xml *x, void *ud,
		      XML_StartElementHandler start, XML_EndElementHandler end,
		      XML_CharacterDataHandler text, zip_uint64_t cap, int progress)
{
	x->p = XML_ParserCreate("UTF-8");
	if (!x->p)
		return fail(x->s, 0, "内存不足%s", "");
	XML_SetUserData(x->p, ud);
	XML_SetElementHandler(x->p, start, end);
	if (text)
		XML_SetCharacterDataHandler(x->p, text);
	int rc = stream_entry(z, name, required, x, cap, progress);
	XML_ParserFree(x->p);
	x->p = NULL;
	return rc;
}

/* The workbook's first worksheet to s; consumes z. */
static int read_workbook(zip_t *z, struct sheet *s)
{
	if (zip_get_num_entries(z, 0) > 10000) {
		zip_discard(z);
		return fail(s, 0, "xlsx 文件中的条目过多，拒绝处理%s", "");
	}
	int rc = -1;
	char sheet_path[300] = "xl/worksheets/sheet1.xml";
	struct sst sst = {0};
	struct ws ws = {0};

	/* the first sheet, as the workbook lists them */
	struct wb wb = {0};
	wb.x.s = s;
	int got = parse_part(z, "xl/workbook.xml", 0, &wb.x, &wb, wb_start, NULL, NULL, SHEET_MAX_ENTRY, 0);
	if (got < 0)
		goto out;
	if (!got && wb.rid[0]) {
		struct rels r = {0};
		r.x.s = s;
		r.rid = wb.rid;
		if (parse_part(z, "xl/_rels/workbook.xml.rels", 0, &r.x, &r, rels_start, NULL, NULL,
			       SHEET_MAX_ENTRY, 0) < 0)
			goto out;
		if (r.target[0])
			snprintf(sheet_path, sizeof sheet_path, "%s", r.target);
	}
	sst.x.s = s;
	if (parse_part(z, "xl/sharedStrings.xml", 0, &sst.x, &sst, sst_start, sst_end, sst_text, SHEET_MAX_XML, 0) < 0)
		goto out;
	ws.x.s = s;
	ws.sst = &sst;
	rc = parse_part(z, sheet_path, 1, &ws.x, &ws, ws_start, ws_end, ws_text, SHEET_MAX_XML, 1);
out:
	sheet_cells_free(ws.cells, ws.cap);
	free(ws.v.p);
	free(ws.is.p);
	free(sst.buf);
	free(sst.off);
	free(sst.t.p);
	zip_discard(z);
	return rc;
}

int sheet_read_xlsx(const void *buf, size_t len, struct sheet *s)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(buf, len, 0, &ze);
	if (!src) {
		zip_error_fini(&ze);
		return fail(s, 0, "内存不足%s", "");
	}
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (!z) {
		zip_source_free(src);
		open_failed(zip_error_code_zip(&ze), s);
		zip_error_fini(&ze);
		return -1;
	}
	zip_error_fini(&ze);
	return read_workbook(z, s);
}

int sheet_read_xlsx_file(const char *path, struct sheet *s)
{
	int code = 0;
	zip_t *z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &code);
	if (!z) {
		open_failed(code, s);
		return -1;
	}
	return read_workbook(z, s);
}
