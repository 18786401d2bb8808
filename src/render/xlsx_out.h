/* xlsx_out.h — Excel workbooks (libxlsxwriter): the quarterly report, lists
 * with their filters, the import template.
 *
 * Pure formatting: JSON (or rows handed in one at a time) → a workbook file
 * at `path`.  No SQL here; the services gather the data and choose the file
 * (libxlsxwriter 1.1.4 of Debian 12 has no output_buffer, so the HTTP
 * answers go through a temporary file, see xlsx_tmp_path()).
 *
 * Text cells are written as strings, never as formulas: a value starting
 * with = + - @ stays text in Excel (STYLE.md 8).  Money (fen) is written as
 * 元, a number (fen / 100, stored as its exact decimal text: xlsx_exact.c)
 * with the format 0.00; every money header says （元）.
 */
#ifndef BANGFU_XLSX_OUT_H
#define BANGFU_XLSX_OUT_H

#include <jansson.h>
#include <stddef.h>

#include "core/err.h"

/* The quarterly report (the JSON of report_quarterly()) as one sheet per
 * section; `program_names` maps programme code → zh-CN name (may be NULL:
 * the codes are shown).  Keys it does not know are tolerated; numeric keys
 * of `cases` and `overdue` it does not know get a column of their own. */
int xlsx_quarterly_report(json_t *report, json_t *program_names, const char *path, struct err *e);

/* --- lists: one row per record, streamed (constant memory), or CSV ------- */
enum xlsx_kind {
	XK_TEXT,   /* a string (numbers are shown as their text) */
	XK_INT,    /* an integer */
	XK_FEN,    /* integer fen shown as 元 (0.00) */
	XK_LABEL,  /* a code shown through `label` (unknown codes as they are) */
	XK_LIST,   /* an array of codes, labels joined by 、 */
	XK_BOOL,   /* 是 / 否 */
};

struct xlsx_col {
	const char *header;                  /* zh-CN */
	const char *key;                     /* key in the row object */
	enum xlsx_kind kind;
	double width;                        /* characters; 0: from the header */
	const char *(*label)(const char *code); /* XK_LABEL, XK_LIST */
};

struct xlsx_list;
/* Opens a workbook with one sheet `sheet`: a title row, the filter line
 * `note` (may be NULL), the header row (frozen), then rows. */
struct xlsx_list *xlsx_list_open(const char *path, const char *sheet, const char *title,
				 const char *note, const struct xlsx_col *cols, int ncols, struct err *e);
/* The same list as CSV: UTF-8 with a BOM, the header row, money as yuan
 * (1234.50), a cell starting with = + - @ prefixed by an apostrophe. */
struct xlsx_list *csv_list_open(const char *path, const struct xlsx_col *cols, int ncols, struct err *e);
/* One row from an object keyed like the columns.  0 or <0 with e set. */
int xlsx_list_row(struct xlsx_list *l, json_t *row, struct err *e);
/* Writes the file and frees l (also after an error; NULL is fine). */
int xlsx_list_close(struct xlsx_list *l, struct err *e);

/* --- the import template (API.md "Import format") ------------------------ */
struct xlsx_choice {
	const char *column;          /* header it applies to */
	const char *const *values;   /* NULL-terminated drop-down values */
	int strict;                  /* 1: only these; 0: a suggestion (free text allowed) */
};
struct xlsx_template {
	const char *sheet;            /* the data sheet (first: importers read it) */
	const char *const *headers;   /* NULL-terminated */
	const char *const *example;   /* nexample rows of one cell per header */
	int nexample;
	const char *const *text_cols; /* headers whose cells stay text (ID numbers, phones), NULL-terminated */
	const struct xlsx_choice *choices;
	int nchoices;
	const char *const *help;      /* 填表说明: triples column, 必填, explanation; NULL-terminated */
};
/* The data sheet (header row 1, the example below it, drop-downs for the
 * choices over the next 2,000 rows) and a second sheet 填表说明. */
int xlsx_import_template(const struct xlsx_template *t, const char *path, struct err *e);

/* --- exact numbers (xlsx_exact.c) ---------------------------------------- */
/* The shortest text that reads back as v, in plain decimals below 10^15
 * ("%.{0..17}f"), else "%.{1..17}G": 726.07 for the double nearest 726.07
 * (libxlsxwriter's "%.16G" gives 726.0700000000001). */
void xlsx_number_text(double v, char out[32]);
/* Rewrites the number cells of every sheet of the closed workbook at path
 * to xlsx_number_text() (RULE money.exact_files).  0 or <0 with e set. */
int xlsx_exact_numbers(const char *path, struct err *e);

/* --- files ------------------------------------------------------------ */
/* A fresh path under $TMPDIR (or /tmp) for a workbook, created empty
 * (mkstemp) so that no other process can take the name.  Returns a
 * malloc'd string (caller frees) or NULL. */
char *xlsx_tmp_path(void);
/* Reads the whole file into a malloc'd buffer and unlinks it.  0 or <0. */
int xlsx_take_file(const char *path, char **data, size_t *len, struct err *e);

#endif
