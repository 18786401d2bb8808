/* calfile.h — the rows of a working-day calendar file (RULE calendar.file).
 *
 * One format for the statutory data bangfu ships
 * (src/store/calendar/cn-statutory.csv) and for `bangfu calendar import` /
 * POST /imports/calendar, read by rules/sheet.h (CSV in UTF-8 with or
 * without BOM or GB18030, or XLSX):
 *
 *     # a comment: a row whose first cell starts with '#'
 *     date,workday,note                 (an optional header: date / 日期)
 *     year,2027,国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕N号）
 *     2027-01-01,0,元旦
 *     2027-02-07,1,春节调休上班
 *
 * A day row: the date (YYYY-MM-DD, also YYYY/M/D as Excel writes it, or an
 * Excel date), whether it is a working day (1 / 0, true / false, 是 / 否,
 * 上班 / 休息, 班 / 休) and a note of at most 100 characters.  A year row names
 * the notice the year's days come from: with it the year counts as known
 * (its deadlines are no longer provisional).  Each date and each year at
 * most once; more than three columns, an unknown value or an impossible
 * date is an error of its row.  Pure: no I/O, no database.
 */
#ifndef BANGFU_RULES_CALFILE_H
#define BANGFU_RULES_CALFILE_H

#include "core/arena.h"
#include "rules/dates.h"
#include "rules/sheet.h"

#define CALFILE_MAX_ERRORS 100
#define CALFILE_NOTE_MAX 100     /* characters, as PUT /calendar/{date} */
#define CALFILE_NOTICE_MAX 200

struct calfile_day {
	day_t date;
	int workday;
	const char *note;   /* "" when none */
	int row;
};
struct calfile_year {
	int year;
	const char *notice;
	int row;
};
struct calfile_error {
	int row;            /* 0: the whole file */
	const char *message;
};

struct calfile {
	struct arena *a;    /* notes, notices and messages live here */
	int strict;         /* the shipped data: every day in a year row's year */
	int rows;           /* data rows seen (day and year rows) */
	struct calfile_day *days;   /* malloc'd; by date after calfile_end */
	int ndays, dcap;
	struct calfile_year *years; /* malloc'd, in file order */
	int nyears, ycap;
	struct calfile_error errors[CALFILE_MAX_ERRORS]; /* by row after calfile_end */
	int nerrors, dropped;       /* dropped: errors past the cap */
};

void calfile_begin(struct calfile *f, struct arena *a, int strict);
/* One non-blank row as rules/sheet.h gives it (date1904 from the sheet). */
void calfile_row(struct calfile *f, const struct sheet_row *r, int date1904);
/* An error of the file itself (the reader's: encoding, format). */
void calfile_error(struct calfile *f, int row, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Sorts the days, finds dates given twice, sorts the errors by row. */
void calfile_end(struct calfile *f);
void calfile_free(struct calfile *f);

/* The whole of a file in memory (the shipped data): begin, every row, end. */
int calfile_parse(const void *buf, size_t len, struct arena *a, int strict, struct calfile *f);

/* 1 when y is one of f's year rows. */
int calfile_has_year(const struct calfile *f, int y);

#endif
