/* pdf_doc.h — A4 documents drawn with cairo + pango (Noto CJK fonts).
 *
 * The render layer draws from values it is handed (JSON or strings); it
 * runs no SQL.  A document flows top to bottom: each call places its block
 * at the cursor and starts a new page when the block does not fit.  Every
 * page carries a header (the unit's name left, the document's title right)
 * and "第 N 页" at the foot.  Text goes through pango layouts only (never
 * pasted into PDF operators), so any user text is safe to draw.
 *
 * Ownership: pdf_doc_new() returns a document the caller ends with
 * pdf_doc_finish() (which frees it) or pdf_doc_free() (on an error path).
 */
#ifndef BANGFU_PDF_DOC_H
#define BANGFU_PDF_DOC_H

#include <cairo.h>
#include <stddef.h>

#include "core/err.h"

#define PDF_A4_W 595.276 /* points */
#define PDF_A4_H 841.890
#define PDF_MARGIN 48.0
#define PDF_SANS "Noto Sans CJK SC"
#define PDF_SERIF "Noto Serif CJK SC"

struct pdf_doc;

/* One column of a table: heading, share of the text width (the shares of a
 * table add up to 1) and alignment (1: right, for figures). */
struct pdf_col {
	const char *head;
	double share;
	int right;
};

/* A new document; its first page is begun.  unit: the header's left text,
 * title: its right text.  Aborts when out of memory, like the arena. */
struct pdf_doc *pdf_doc_new(const char *unit, const char *title);
void pdf_doc_free(struct pdf_doc *d); /* NULL is fine */
/* Ends the document and frees d.  *buf (malloc'd, the caller frees) and
 * *len get the PDF.  Returns 0 or -E_INTERNAL when cairo failed. */
int pdf_doc_finish(struct pdf_doc *d, char **buf, size_t *len, struct err *e);

/* Blocks placed at the cursor. */
void pdf_title(struct pdf_doc *d, const char *text);      /* big, centred, serif */
void pdf_subtitle(struct pdf_doc *d, const char *text);   /* centred, small */
void pdf_heading(struct pdf_doc *d, const char *text);    /* a section's heading */
void pdf_para(struct pdf_doc *d, const char *text);       /* wrapped text */
/* Label/value boxes, `per_row` pairs a row: kv holds 2*n strings
 * (label, value, label, value, ...); NULL values print as blank. */
void pdf_fields(struct pdf_doc *d, const char *const *kv, int n, int per_row);
/* A table of nrows rows × ncols cells (row-major, NULL → blank).  Rows are
 * never split; a row that does not fit starts a new page, and the heading
 * row is drawn again at the top of it. */
void pdf_table(struct pdf_doc *d, const struct pdf_col *cols, int ncols, const char *const *cells,
	       int nrows);
/* Signature boxes, two a row: each a label (e.g. "审核意见") above a space
 * for handwriting, with `fill[i]` (who/when, NULL: blank) printed inside. */
void pdf_sign_boxes(struct pdf_doc *d, const char *const *labels, const char *const *fill, int n);
void pdf_gap(struct pdf_doc *d, double pt);

/* For drawings (charts): makes room for `h` points (a new page when the
 * cursor has less), returns the cairo context with the cursor's top-left
 * in *x, *y and the text width in *w, and moves the cursor below. */
cairo_t *pdf_area(struct pdf_doc *d, double h, double *x, double *y, double *w);
/* Draws one line of text at (x, y) (its top-left), size in points;
 * align: 0 left, 1 right of x, 2 centred on x.  Returns its width. */
double pdf_text_at(cairo_t *cr, const char *text, double size, double x, double y, int align);
/* Draws text wrapped (and centred when `centre`) in the box from x, w
 * points wide, top at y.  Returns its height. */
double pdf_text_box(cairo_t *cr, const char *text, double size, double x, double y, double w, int centre);

/* Pure layout helper (unit-tested): how many of the rows (heights in
 * `row_h`) fit from the cursor `y` down to `bottom` when a heading row of
 * `head_h` is drawn first.  0 when not even the first row fits. */
int pdf_rows_fit(double y, double bottom, double head_h, const double *row_h, int n);

#endif
