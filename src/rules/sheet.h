/* sheet.h — the rows of a CSV file or of the first worksheet of an XLSX
 * workbook, cells as UTF-8 text: kept in memory (s->rows), or streamed one
 * row at a time to a sink (s->sink) so that memory stays flat in the size
 * of the file.
 *
 * No sockets, no database: the readers take a buffer or a file path.
 * Every limit is checked before memory is spent on it, so a hostile file
 * (zip bomb, a million columns, a 10 MB cell) ends in s->err, never in a
 * crash or an exhausted machine.  What is held whatever the file size: one
 * row, 64 KiB buffers, and for XLSX the shared strings table (cells point
 * into it from anywhere in the sheet, so it has to be; it is packed into
 * one buffer and capped by SHEET_MAX_STRINGS / SHEET_MAX_SST_BYTES).
 *
 * Rows whose cells are all empty are dropped; the others keep their row
 * number as a person would count it (CSV: the file line the record starts
 * on, the first line being 1; XLSX: the worksheet row number).
 */
#ifndef BANGFU_RULES_SHEET_H
#define BANGFU_RULES_SHEET_H

#include <stddef.h>

#include "rules/utf8.h"

#define SHEET_MAX_ROWS 1048576          /* non-blank rows, header included (Excel's own limit) */
#define SHEET_MAX_COLS 200
#define SHEET_MAX_CELL 32768            /* bytes of one cell's text */
#define SHEET_MAX_ENTRY (50u << 20)     /* XLSX: uncompressed bytes of a small part (workbook, rels) */
#define SHEET_MAX_XML (1ull << 30)      /* XLSX: uncompressed bytes of the worksheet / shared strings */
#define SHEET_MAX_RATIO 200             /* XLSX: uncompressed / compressed of one entry above 1 MiB */
#define SHEET_MAX_STRINGS 4000000       /* XLSX: shared strings */
#define SHEET_MAX_SST_BYTES (256u << 20) /* XLSX: their text, all together */

enum cell_kind {
	CELL_EMPTY = 0,
	CELL_TEXT,      /* text (CSV: every non-empty cell) */
	CELL_NUMBER,    /* XLSX number; text is its shortest decimal form ("1500.5") */
	CELL_BOOL,      /* XLSX boolean; text "TRUE" / "FALSE" */
	CELL_FORMULA,   /* XLSX cell holding a formula; text is the cached value, not trusted */
	CELL_ERROR,     /* XLSX error value ("#N/A") */
};

struct cell {
	enum cell_kind kind;
	char *text;     /* NUL-terminated UTF-8; "" for CELL_EMPTY */
};

struct sheet_row {
	int row;        /* 1-based, as a person counts */
	int ncells;
	struct cell *cells;
};

struct sheet;
typedef int (*sheet_sink_fn)(void *arg, const struct sheet *s, const struct sheet_row *r);

struct sheet {
	struct sheet_row *rows;  /* without a sink: every non-blank row */
	int nrows, cap;
	int date1904;   /* XLSX: the workbook counts dates from 1904 */
	char err[320];  /* zh-CN reason when a reader fails */
	int err_row;    /* the row the failure is at, 0 when the whole file */
	/* Streaming: set sink before reading and each non-blank row goes to it
	 * in file order instead of into rows (its cells are freed when it
	 * returns).  A non-zero return stops the reader: it returns -1 with
	 * stopped = 1 and err empty. */
	sheet_sink_fn sink;
	void *sink_arg;
	int stopped;
	int seen;                       /* non-blank rows so far */
	unsigned long long in_done, in_total;  /* input bytes read / in all (progress) */
};

enum sheet_format { SHEET_AUTO, SHEET_CSV, SHEET_XLSX };

/* Reads buf by its content (SHEET_AUTO), or as the format named; a buffer
 * that is not what `hint` claims is refused with a clear message.  Returns
 * 0, or -1 with s->err set (or s->stopped, see sink).  s must be zeroed
 * first (then sink set, if any); sheet_free() always. */
int sheet_read(const void *buf, size_t len, enum sheet_format hint, struct sheet *s);
int sheet_read_csv(const void *buf, size_t len, struct sheet *s);
int sheet_read_xlsx(const void *buf, size_t len, struct sheet *s);
/* The same from a file, read in chunks (CSV twice: once to tell UTF-8
 * from GB18030, once to parse); never the whole file in memory. */
int sheet_read_file(const char *path, enum sheet_format hint, struct sheet *s);
int sheet_read_xlsx_file(const char *path, struct sheet *s);
void sheet_free(struct sheet *s);

/* The text of cell `col` of `r`, "" past its end. */
const char *sheet_cell(const struct sheet_row *r, int col);
enum cell_kind sheet_kind(const struct sheet_row *r, int col);

/* utf8_valid() is in rules/utf8.h. */

/* Text → UTF-8 without BOM: UTF-8 (with or without BOM) is kept, anything
 * else is converted from GB18030.  UTF-16 (a BOM) and bytes that are
 * neither are refused.  *out is malloc'd and NUL-terminated.  Returns 0,
 * or -1 with a zh-CN reason in err. */
int text_to_utf8(const char *in, size_t n, char **out, size_t *outlen, char *err, size_t errlen);

/* An Excel date serial (1900 or 1904 system) → "YYYY-MM-DD".  Returns 0,
 * or -1 when the number is not a whole day from 1900-03-01 to 2999-12-31. */
int sheet_serial_date(const char *num, int date1904, char out[11]);

/* For the readers: hands a row to the sink or appends it to rows, taking
 * ownership of cells[0..n) (their texts and the array); drops it when every
 * cell is empty.  Returns 0, or -1 with s->err set (row limit) or
 * s->stopped (the sink said stop), the cells freed. */
int sheet_emit(struct sheet *s, int row, struct cell *cells, int n);
void sheet_cells_free(struct cell *cells, int n);

#endif
