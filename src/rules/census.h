/* census.h — the household census sheet (普查表, API.md "Import format"):
 * header row, one row per person, households grouped by 户主身份证号.
 *
 * Pure: takes rows (rules/sheet.h) and gives households with their rows,
 * or row-level errors.  What needs the database (scope, duplicates against
 * open archives, inserting) is the service's part (services/import.c),
 * which adds its own errors with census_error().
 *
 * Streaming: census_begin(), census_row() for each row as the reader
 * gives it, census_end().  A household is complete when a row of another
 * household comes, so census_row() must be given the rows of one household
 * together (a head that comes back later is an error naming its first
 * row).  The file need not be so ordered (API.md): the service stores the
 * rows first and gives them back grouped by census_row_head().  Each
 * complete household goes to the sink; its strings live in c->ha, which is
 * emptied after the sink returns, so memory stays flat in the file size.
 * "Seen before in this file?" (ID numbers, heads, archive numbers) is asked
 * of c->seen when set (the service keeps them in the database), else kept
 * in memory.  census_parse() is the same over a sheet held in memory, with
 * every household kept in c->hh.
 */
#ifndef BANGFU_RULES_CENSUS_H
#define BANGFU_RULES_CENSUS_H

#include <stdint.h>

#include "core/arena.h"
#include "rules/dates.h"
#include "rules/sheet.h"

enum census_col {
	CC_HEAD_ID,    /* 户主身份证号 */
	CC_NAME,       /* 姓名 */
	CC_ID,         /* 身份证号 */
	CC_RELATION,   /* 与户主关系 */
	CC_INCOME,     /* 月收入(元) */
	CC_HEALTH,     /* 健康状况 */
	CC_SCHOOL,     /* 就学阶段 */
	CC_PHONE,      /* 联系电话 */
	CC_EMPLOYER,   /* 工作单位 */
	CC_ADDRESS,    /* 家庭住址 */
	CC_CAUSES,     /* 致困原因 */
	CC_ARCHIVE_NO, /* 档案编号 (optional) */
	CC_ENTERED_ON, /* 建档日期 (optional) */
	CC__MAX
};
#define CC_STANDARD CC_ARCHIVE_NO /* the columns of the template */

/* The column names as the header spells them. */
extern const char *const census_columns[CC__MAX];
/* 1 for the columns a file must have. */
int census_required(enum census_col c);

#define CENSUS_MAX_MEMBERS 20
#define CENSUS_MAX_ERRORS 1000

struct census_person {
	int row;
	const char *name;
	char id[19];           /* normalized (upper-case X) */
	int relation;          /* enum relation; -1 for 本人 */
	int64_t income_fen;
	const char *health;    /* NULL when blank */
	int school;            /* enum school_stage */
	const char *employer;  /* NULL when blank; a member's becomes occupation */
};

struct census_household {
	char head_id[19];
	int first_row;
	int bad;               /* a row of it has an error: not to be inserted */
	struct census_person worker;
	int has_worker;
	struct census_person *members;
	int nmembers, cap;
	const char *phone, *address;  /* the worker row's, NULL when blank */
	unsigned causes;              /* CAUSE_BIT mask, union over its rows */
	const char *archive_no;       /* both or neither */
	char entered_on[11];
	int archive_row;              /* the row archive_no came from */
};

struct census_error {
	int row;               /* 0: the file as a whole */
	const char *column;    /* "" when none */
	const char *message;
	int seq;               /* order of reporting, for a stable sort */
};

/* A row's archive values, checked when its household is complete. */
struct census_arow {
	int row;
	const char *no, *on;
	int on_number;         /* 建档日期 is an Excel serial */
	struct census_arow *next;
};

struct census;
/* A complete household; returns 0, or non-zero to stop reading. */
typedef int (*census_sink_fn)(void *arg, struct census *c, struct census_household *h);
/* kind 'i' an ID number, 'h' a head, 'a' an archive number: the row it was
 * first seen on, or 0 when new (it is then remembered); <0 on failure. */
typedef int (*census_seen_fn)(void *arg, char kind, const char *key, int row);

struct census {
	struct arena *a;       /* errors, and all else for census_parse() */
	struct arena *ha;      /* the current household's (streaming) */
	struct census_household *hh;  /* census_parse(): every household */
	int nhh, cap;          /* households (so far) */
	int people;            /* data rows */
	int header_row;
	int has_archive_cols;
	struct census_error *err;
	int nerr, errcap, dropped;
	/* streaming state */
	day_t today;
	int allow_archive, date1904;
	census_sink_fn sink;
	census_seen_fn seen;
	void *arg;
	int state;             /* 0 no header yet, 1 reading rows, 2 header refused */
	int ncols, where[CC__MAX];
	int *map;              /* column → enum census_col, -1 none */
	unsigned char *named;  /* column has a header */
	unsigned char *blank_reported;
	struct census_household cur;
	int has_cur;
	struct census_arow *arows;
	void *maps;            /* the in-memory seen-before maps */
};

/* allow_archive: the caller may import archives already approved on paper
 * (档案编号/建档日期; admins only).  `today` bounds ID birth dates and
 * 建档日期.  sink NULL: households are kept in c->hh.  expect_rows sizes
 * the in-memory maps (used when seen is NULL). */
void census_begin(struct census *c, struct arena *a, day_t today, int allow_archive,
		  census_sink_fn sink, census_seen_fn seen, void *arg, int expect_rows);
/* One row of the sheet, the header first.  Returns 0, or the sink's or
 * seen's failure (non-zero). */
int census_row(struct census *c, const struct sheet_row *r);
/* The normalized 户主身份证号 of a data row (after the header), or "" when
 * it is missing or not a valid ID number. */
void census_row_head(const struct census *c, const struct sheet_row *r, char out[19]);
/* The last household, the file-level checks; frees c->ha.  With
 * complete = 0 (reading failed) only frees.  Returns as census_row. */
int census_end(struct census *c, int complete);

/* Reads the sheet.  Always fills c (errors included); returns the number
 * of errors. */
int census_parse(struct arena *a, const struct sheet *s, day_t today, int allow_archive,
		 struct census *c);

/* Adds an error; past CENSUS_MAX_ERRORS they are only counted. */
void census_error(struct census *c, int row, const char *column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Sorts the errors by row (stable), drops exact repeats. */
void census_sort_errors(struct census *c);

/* The header row of the template (standard columns, comma separated). */
const char *census_template_header(void);

#endif
