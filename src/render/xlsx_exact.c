/* xlsx_exact.c — every number of a written workbook as its shortest exact
 * text: 726.07, never 726.0700000000001.
 *
 * libxlsxwriter writes a number with "%.16G" unless it was built with its
 * own dtoa (USE_DTOA_LIBRARY), and Debian 12's 1.1.4 was not.  The double
 * nearest to 726.07 prints as 726.0700000000001 with 16 digits, so a yuan
 * amount written as fen / 100 (the right double) still reads back, as
 * text, as something other than the amount.  After workbook_close() the
 * sheets are therefore rewritten, streamed through a small window (a list
 * of a million rows is never in memory, as constant_memory promised),
 * each number cell's <v> replaced by the shortest text that reads back as
 * the same double (RULE money.exact_files).  Text, boolean and formula
 * string cells (t="...") are left alone.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "render/xlsx_out.h"

void xlsx_number_text(double v, char out[32])
{
	/* plain decimals for what money and counts are; exponents beyond */
	if (v == 0 || (fabs(v) >= 1e-6 && fabs(v) < 1e15))
		for (int d = 0; d <= 17; d++) {
			snprintf(out, 32, "%.*f", d, v);
			if (strtod(out, NULL) == v)
				return;
		}
	for (int p = 1; p <= 17; p++) {
		snprintf(out, 32, "%.*G", p, v);
		if (strtod(out, NULL) == v)
			return;
	}
}

/* The text of a <v> of a number cell: rewritten when it is a number. */
static void fix_value(FILE *out, const char *v, size_t n)
{
	char in[40], best[32];
	if (n && n < sizeof in) {
		memcpy(in, v, n);
		in[n] = '\0';
	}
	if (n && n < sizeof in && strspn(in, "0123456789.-+Ee") == n) {
		char *end;
		double d = strtod(in, &end);
		if (end == in + n) {
			xlsx_number_text(d, best);
			if (strlen(best) < n) {
				fputs(best, out);
				return;
			}
		}
	}
	fwrite(v, 1, n, out);
}

struct window {
	char *buf;
	size_t len, cap;
	int typed; /* the cell being read has a t="..." attribute */
};

/* Writes what can be decided of w to out and keeps the rest (an open
 * tag, a <v> whose </v> has not come) for the next chunk, or for the end
 * when `last`. */
static void flush(struct window *w, FILE *out, int last)
{
	size_t pos = 0;
	while (pos < w->len) {
		char *lt = memchr(w->buf + pos, '<', w->len - pos);
		if (!lt) {
			fwrite(w->buf + pos, 1, w->len - pos, out);
			pos = w->len;
			break;
		}
		size_t at = (size_t)(lt - w->buf), rest = w->len - at;
		fwrite(w->buf + pos, 1, at - pos, out);
		pos = at;
		if (rest < 4)
			break;
		if (!memcmp(lt, "<v>", 3)) {
			char *close = memmem(lt + 3, rest - 3, "</v>", 4);
			if (!close)
				break;
			fputs("<v>", out);
			if (w->typed)
				fwrite(lt + 3, 1, (size_t)(close - lt - 3), out);
			else
				fix_value(out, lt + 3, (size_t)(close - lt - 3));
			fputs("</v>", out);
			pos = (size_t)(close - w->buf) + 4;
			continue;
		}
		char *gt = memchr(lt, '>', rest);
		if (!gt)
			break;
		size_t tl = (size_t)(gt - lt) + 1;
		if (lt[1] == 'c' && (lt[2] == ' ' || lt[2] == '>' || lt[2] == '/'))
			w->typed = memmem(lt, tl, " t=\"", 4) != NULL;
		fwrite(lt, 1, tl, out);
		pos = at + tl;
	}
	if (last) {
		fwrite(w->buf + pos, 1, w->len - pos, out);
		pos = w->len;
	}
	memmove(w->buf, w->buf + pos, w->len - pos);
	w->len -= pos;
}

/* Entry `idx` of z, rewritten into the file `tmp`.  0 or -1. */
static int rewrite_entry(zip_t *z, zip_uint64_t idx, const char *tmp)
{
	zip_file_t *f = zip_fopen_index(z, idx, 0);
	FILE *out = fopen(tmp, "wb");
	struct window w = {.cap = 1 << 17};
	int rc = f && out && (w.buf = malloc(w.cap)) ? 0 : -1;
	while (!rc) {
		if (w.cap - w.len < (1 << 16)) {
			char *nb = realloc(w.buf, w.cap * 2); /* only a <v> or a tag longer than the window */
			if (!nb) {
				rc = -1;
				break;
			}
			w.buf = nb;
			w.cap *= 2;
		}
		zip_int64_t n = zip_fread(f, w.buf + w.len, 1 << 16);
		if (n < 0)
			rc = -1;
		if (n <= 0)
			break;
		w.len += (size_t)n;
		flush(&w, out, 0);
	}
	if (!rc)
		flush(&w, out, 1);
	free(w.buf);
	if (f)
		zip_fclose(f);
	if (out && fclose(out))
		rc = -1;
	return rc;
}

int xlsx_exact_numbers(const char *path, struct err *e)
{
	int zerr = 0, rc = 0;
	zip_t *z = zip_open(path, 0, &zerr);
	if (!z)
		return err_set(e, E_INTERNAL, "无法重写 Excel 文件（%d）", zerr);
	zip_int64_t n = zip_get_num_entries(z, 0);
	char *tmps[64];
	int ntmp = 0;
	for (zip_int64_t i = 0; !rc && i < n; i++) {
		const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
		size_t nl = name ? strlen(name) : 0;
		if (!name || strncmp(name, "xl/worksheets/sheet", 19) || nl < 4 || strcmp(name + nl - 4, ".xml"))
			continue;
		char *tmp = ntmp < 64 ? xlsx_tmp_path() : NULL;
		zip_source_t *src = NULL;
		zip_stat_t st; /* its time stays libxlsxwriter's: the same workbook, the same bytes */
		zip_stat_init(&st);
		int bad = !tmp || zip_stat_index(z, (zip_uint64_t)i, 0, &st) || rewrite_entry(z, (zip_uint64_t)i, tmp) ||
			  !(src = zip_source_file(z, tmp, 0, 0));
		if (!bad && zip_file_replace(z, (zip_uint64_t)i, src, 0) < 0) {
			zip_source_free(src); /* the archive took it only on success */
			bad = 1;
		}
		if (!bad && (st.valid & ZIP_STAT_MTIME))
			bad = zip_file_set_mtime(z, (zip_uint64_t)i, st.mtime, 0) < 0;
		if (bad)
			rc = err_set(e, E_INTERNAL, "无法重写 Excel 文件中的 %s", name);
		if (tmp)
			tmps[ntmp++] = tmp;
	}
	if (rc)
		zip_discard(z);
	else if (zip_close(z) < 0) {
		rc = err_set(e, E_INTERNAL, "无法写回 Excel 文件：%s", zip_strerror(z));
		zip_discard(z);
	}
	for (int i = 0; i < ntmp; i++) {
		unlink(tmps[i]);
		free(tmps[i]);
	}
	return rc;
}
