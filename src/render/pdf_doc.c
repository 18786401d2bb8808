/* pdf_doc.c — pages, header and footer, text, tables and boxes (pdf_doc.h).
 *
 * cairo writes the PDF into a growing memory buffer through
 * cairo_pdf_surface_create_for_stream; pango lays out every string with the
 * Noto CJK fonts, which cairo embeds (subset) in the file.  Pango's default
 * font map is per thread, so documents may be drawn by several HTTP workers
 * at once. */
#include "render/pdf_doc.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOP (PDF_MARGIN + 6)
#define BOTTOM (PDF_A4_H - PDF_MARGIN)
#define WIDTH (PDF_A4_W - 2 * PDF_MARGIN)
#define PAD 4.0
#define BODY_PT 9.5
#define MAX_COLS 16

struct sink {
	char *p;
	size_t n, cap;
	int oom;
};

struct pdf_doc {
	cairo_surface_t *surf;
	cairo_t *cr;
	struct sink out;
	char *unit, *title;
	int page;
	double y;
};

/* How one cell of a row is drawn. */
struct cell {
	const char *text;
	double w;
	int bold, fill, right;
};

/* Under LeakSanitizer (make build/asan/bangfu, the unit tests): fontconfig
 * and cairo keep process-wide font caches for the life of the process,
 * which LSan reports at exit.  Every object this file creates is freed in
 * pdf_doc_free(); the libraries' own caches are not ours to free. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\nleak:libcairo.so\n";
}

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int len)
{
	struct sink *s = closure;
	if (s->n + len > s->cap) {
		size_t cap = s->cap ? s->cap : 65536;
		while (cap < s->n + len)
			cap *= 2;
		char *p = realloc(s->p, cap);
		if (!p) {
			s->oom = 1;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		s->p = p;
		s->cap = cap;
	}
	memcpy(s->p + s->n, data, len);
	s->n += len;
	return CAIRO_STATUS_SUCCESS;
}

/* A layout of `text` in PDF_SANS (or serif) at `size` points, wrapped at
 * `width` points when width > 0.  The caller unrefs it. */
static PangoLayout *layout(cairo_t *cr, const char *text, double size, int bold, int serif, double width)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, serif ? PDF_SERIF : PDF_SANS);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

static double layout_h(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static double layout_w(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)w / PANGO_SCALE;
}

double pdf_text_at(cairo_t *cr, const char *text, double size, double x, double y, int align)
{
	PangoLayout *l = layout(cr, text, size, 0, 0, 0);
	double w = layout_w(l);
	cairo_move_to(cr, align == 1 ? x - w : align == 2 ? x - w / 2 : x, y);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
	return w;
}

double pdf_text_box(cairo_t *cr, const char *text, double size, double x, double y, double w, int centre)
{
	PangoLayout *l = layout(cr, text, size, 0, 0, w);
	if (centre)
		pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	double h = layout_h(l);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
	return h;
}

static void new_page(struct pdf_doc *d)
{
	cairo_t *cr = d->cr;
	if (d->page)
		cairo_show_page(cr);
	d->page++;
	cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
	pdf_text_at(cr, d->unit, 8, PDF_MARGIN, PDF_MARGIN - 26, 0);
	pdf_text_at(cr, d->title, 8, PDF_A4_W - PDF_MARGIN, PDF_MARGIN - 26, 1);
	cairo_set_line_width(cr, 0.6);
	cairo_move_to(cr, PDF_MARGIN, PDF_MARGIN - 10);
	cairo_line_to(cr, PDF_A4_W - PDF_MARGIN, PDF_MARGIN - 10);
	cairo_stroke(cr);
	char foot[32];
	snprintf(foot, sizeof foot, "第 %d 页", d->page);
	pdf_text_at(cr, foot, 8, PDF_A4_W / 2, BOTTOM + 14, 2);
	cairo_set_source_rgb(cr, 0, 0, 0);
	d->y = TOP;
}

/* Starts a new page unless `h` points fit below the cursor (or the page is
 * still empty: a block taller than a page is drawn and cut at the foot). */
static void room(struct pdf_doc *d, double h)
{
	if (d->y + h > BOTTOM && d->y > TOP)
		new_page(d);
}

struct pdf_doc *pdf_doc_new(const char *unit, const char *title)
{
	struct pdf_doc *d = calloc(1, sizeof *d);
	if (!d)
		abort(); /* out of memory: as the arena does */
	d->unit = strdup(unit ? unit : "");
	d->title = strdup(title ? title : "");
	d->surf = cairo_pdf_surface_create_for_stream(sink_write, &d->out, PDF_A4_W, PDF_A4_H);
	cairo_pdf_surface_set_metadata(d->surf, CAIRO_PDF_METADATA_TITLE, d->title);
	cairo_pdf_surface_set_metadata(d->surf, CAIRO_PDF_METADATA_CREATOR, "bangfu");
	d->cr = cairo_create(d->surf);
	new_page(d);
	return d;
}

void pdf_doc_free(struct pdf_doc *d)
{
	if (!d)
		return;
	cairo_destroy(d->cr);
	cairo_surface_destroy(d->surf);
	free(d->out.p);
	free(d->unit);
	free(d->title);
	free(d);
}

int pdf_doc_finish(struct pdf_doc *d, char **buf, size_t *len, struct err *e)
{
	*buf = NULL;
	*len = 0;
	cairo_show_page(d->cr);
	cairo_surface_finish(d->surf);
	int bad = cairo_status(d->cr) || cairo_surface_status(d->surf) || d->out.oom;
	if (!bad) {
		*buf = d->out.p;
		*len = d->out.n;
		d->out.p = NULL;
	}
	pdf_doc_free(d);
	return bad ? err_set(e, E_INTERNAL, "生成 PDF 失败") : 0;
}

/* A centred or left-aligned block of text across the text width. */
static void block(struct pdf_doc *d, const char *text, double size, int bold, int serif, int centre,
		  double after)
{
	PangoLayout *l = layout(d->cr, text, size, bold, serif, WIDTH);
	if (centre)
		pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	double h = layout_h(l);
	room(d, h);
	cairo_move_to(d->cr, PDF_MARGIN, d->y);
	pango_cairo_show_layout(d->cr, l);
	g_object_unref(l);
	d->y += h + after;
}

void pdf_title(struct pdf_doc *d, const char *text)
{
	block(d, text, 16, 1, 1, 1, 6);
}

void pdf_subtitle(struct pdf_doc *d, const char *text)
{
	block(d, text, 9, 0, 0, 1, 10);
}

void pdf_heading(struct pdf_doc *d, const char *text)
{
	room(d, 60); /* keep a heading with the first lines after it */
	d->y += 6;
	block(d, text, 11.5, 1, 0, 0, 4);
}

void pdf_para(struct pdf_doc *d, const char *text)
{
	block(d, text, BODY_PT, 0, 0, 0, 4);
}

void pdf_gap(struct pdf_doc *d, double pt)
{
	d->y += pt;
}

/* --- rows of boxed cells --------------------------------------------------- */

static double row_height(struct pdf_doc *d, const struct cell *c, int n)
{
	double h = 0;
	for (int i = 0; i < n; i++) {
		PangoLayout *l = layout(d->cr, c[i].text, BODY_PT, c[i].bold, 0, c[i].w - 2 * PAD);
		double t = layout_h(l);
		g_object_unref(l);
		if (t > h)
			h = t;
	}
	return h + 2 * PAD;
}

/* Draws one row of cells at the cursor, `h` high, and moves the cursor. */
static void draw_row(struct pdf_doc *d, const struct cell *c, int n, double h)
{
	cairo_t *cr = d->cr;
	double x = PDF_MARGIN;
	cairo_set_line_width(cr, 0.5);
	for (int i = 0; i < n; i++) {
		cairo_rectangle(cr, x, d->y, c[i].w, h);
		if (c[i].fill) {
			cairo_set_source_rgb(cr, 0.91, 0.93, 0.96);
			cairo_fill_preserve(cr);
		}
		cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		PangoLayout *l = layout(cr, c[i].text, BODY_PT, c[i].bold, 0, c[i].w - 2 * PAD);
		if (c[i].right)
			pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
		cairo_move_to(cr, x + PAD, d->y + PAD);
		pango_cairo_show_layout(cr, l);
		g_object_unref(l);
		x += c[i].w;
	}
	d->y += h;
}

int pdf_rows_fit(double y, double bottom, double head_h, const double *row_h, int n)
{
	double at = y + head_h;
	int k = 0;
	while (k < n && at + row_h[k] <= bottom)
		at += row_h[k++];
	return k;
}

void pdf_table(struct pdf_doc *d, const struct pdf_col *cols, int ncols, const char *const *cells,
	       int nrows)
{
	if (ncols > MAX_COLS)
		ncols = MAX_COLS;
	struct cell head[MAX_COLS], row[MAX_COLS];
	for (int j = 0; j < ncols; j++)
		head[j] = (struct cell){cols[j].head, cols[j].share * WIDTH, 1, 1, 0};
	double head_h = row_height(d, head, ncols);
	double *hs = calloc((size_t)nrows + 1, sizeof *hs);
	if (!hs)
		abort();
	for (int i = 0; i < nrows; i++) {
		for (int j = 0; j < ncols; j++)
			row[j] = (struct cell){cells[i * ncols + j], head[j].w, 0, 0, cols[j].right};
		hs[i] = row_height(d, row, ncols);
	}
	int i = 0;
	do {
		int k = pdf_rows_fit(d->y, BOTTOM, head_h, hs + i, nrows - i);
		if (k == 0 && nrows > 0 && d->y > TOP) { /* nothing fits here: next page */
			new_page(d);
			k = pdf_rows_fit(d->y, BOTTOM, head_h, hs + i, nrows - i);
		}
		if (k == 0 && nrows > i)
			k = 1; /* a row taller than a page: drawn, cut at the foot */
		draw_row(d, head, ncols, head_h);
		for (int end = i + k; i < end; i++) {
			for (int j = 0; j < ncols; j++)
				row[j] = (struct cell){cells[i * ncols + j], head[j].w, 0, 0, cols[j].right};
			draw_row(d, row, ncols, hs[i]);
		}
		if (i < nrows)
			new_page(d);
	} while (i < nrows);
	free(hs);
	d->y += 8;
}

void pdf_fields(struct pdf_doc *d, const char *const *kv, int n, int per_row)
{
	if (per_row < 1 || per_row > MAX_COLS / 2)
		per_row = 1;
	double pair = WIDTH / per_row, lw = pair * (per_row == 1 ? 0.22 : 0.38);
	struct cell c[MAX_COLS];
	for (int i = 0; i < n; i += per_row) {
		int m = 0;
		for (int j = i; j < i + per_row; j++) {
			int have = j < n;
			c[m++] = (struct cell){have ? kv[2 * j] : "", lw, 1, 1, 0};
			c[m++] = (struct cell){have ? kv[2 * j + 1] : "", pair - lw, 0, 0, 0};
		}
		double h = row_height(d, c, m);
		room(d, h);
		draw_row(d, c, m, h);
	}
	d->y += 8;
}

void pdf_sign_boxes(struct pdf_doc *d, const char *const *labels, const char *const *fill, int n)
{
	cairo_t *cr = d->cr;
	double bw = WIDTH / 2, bh = 78;
	cairo_set_line_width(cr, 0.6);
	for (int i = 0; i < n; i++) {
		int col = i % 2;
		if (col == 0)
			room(d, bh);
		double x = PDF_MARGIN + col * bw;
		cairo_rectangle(cr, x, d->y, bw, bh);
		cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		PangoLayout *l = layout(cr, labels[i], 10, 1, 0, bw - 2 * PAD);
		cairo_move_to(cr, x + PAD + 2, d->y + PAD + 2);
		pango_cairo_show_layout(cr, l);
		g_object_unref(l);
		l = layout(cr, fill && fill[i] ? fill[i] : "签字：            日期：    年   月   日",
			   BODY_PT, 0, 0, bw - 4 * PAD);
		cairo_move_to(cr, x + 2 * PAD, d->y + bh - PAD - layout_h(l));
		pango_cairo_show_layout(cr, l);
		g_object_unref(l);
		if (col == 1 || i == n - 1)
			d->y += bh;
	}
	d->y += 8;
}

cairo_t *pdf_area(struct pdf_doc *d, double h, double *x, double *y, double *w)
{
	room(d, h);
	*x = PDF_MARGIN;
	*y = d->y;
	*w = WIDTH;
	d->y += h;
	return d->cr;
}
