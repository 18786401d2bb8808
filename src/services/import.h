/* import.h — household census imports (API.md "Import format (普查表)"):
 * POST /imports/households and `bangfu import households` run this one
 * service.
 */
#ifndef BANGFU_IMPORT_H
#define BANGFU_IMPORT_H

#include <jansson.h>
#include <stddef.h>

#include "core/ctx.h"
#include "rules/sheet.h"

struct req;

struct import_opts {
	int64_t org_id;
	int dry_run;
	int one_by_one;             /* straight to the careful way (import.c) */
	enum sheet_format format;   /* SHEET_AUTO: by content */
	const char *path;           /* read this file (as a stream) instead of buf */
	/* called every 1000 rows and once at the end (CLI progress): rows
	 * read, input bytes read of in all */
	void (*progress)(void *arg, long rows, unsigned long long done, unsigned long long total);
	void *progress_arg;
};

/* Reads the file (buf[0..len), or o->path), checks every row with the
 * pure rules of rules/census.c and the household rules of POST /households,
 * and inserts the households (import.c: the bulk ways, or one by one).
 * Called outside any transaction: it opens its own and commits, or rolls
 * back with any error and for a dry run, so that nothing stays.
 *
 * Returns 0 with *answer = {"dry_run","households","people","active",
 * "mode","errors":[]} ("active": households that started active; "mode":
 * the way that finished); -E_VALIDATION_FAILED with e->details = that
 * answer with its errors when the file has any; -E_NOT_FOUND for an org
 * outside the caller's scope; other codes when the database fails. */
int import_households(struct ctx *x, const void *buf, size_t len, const struct import_opts *o,
		      json_t **answer, struct err *e);

/* The file's format by its name (.xlsx, .csv), else by its type. */
enum sheet_format import_format_of(const char *content_type, const char *filename);
/* ?name=true|false (or 1|0), absent: false; 422 otherwise. */
int import_query_flag(struct req *r, const char *name, int *out);

int imports_h_households(struct req *r);  /* POST /imports/households */
int imports_h_template(struct req *r);    /* GET /imports/households/template.csv */

#endif
