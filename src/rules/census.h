/* census.h — the household census sheet (普查表, API.md "Import format"):
 * header row, one row per person, households grouped by 户主身份证号.
 *
 * Pure: takes a sheet already read (rules/sheet.h) and gives households
 * with their rows, or row-level errors.  What needs the database (scope,
 * duplicates against open archives, inserting) is the service's part
 * (services/import.c), which adds its own errors with census_error().
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

struct census {
	struct arena *a;
	struct census_household *hh;
	int nhh, cap;
	int people;            /* data rows */
	int header_row;
	int has_archive_cols;
	struct census_error *err;
	int nerr, errcap, dropped;
};

/* Reads the sheet.  allow_archive: the caller may import archives already
 * approved on paper (档案编号/建档日期; admins only).  `today` bounds ID
 * birth dates and 建档日期.  Always fills c (errors included); returns the
 * number of errors. */
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
