/* exports.h — files out of bangfu (issue 5, the Excel part): the quarterly
 * report and the household and application lists with their filters as
 * .xlsx, the import template as .xlsx, and the household list as CSV for
 * the command line.  The services gather the data (the same functions as
 * the JSON answers, so scope, filters and masking are theirs); src/render
 * formats it. */
#ifndef BANGFU_EXPORTS_H
#define BANGFU_EXPORTS_H

#include "core/ctx.h"
#include "http/route.h"
#include "services/households.h"

/* The quarterly report of org_id for period as a workbook at path.
 * Errors as report_quarterly() (404 out of scope, 422 bad period). */
int export_quarterly_xlsx(struct ctx *x, int64_t org_id, const char *period, const char *path, struct err *e);

enum export_format { EXPORT_XLSX, EXPORT_CSV };
/* Every household matching f (masked like the list) into path: a workbook,
 * or CSV in UTF-8 with a BOM.  *rows gets the number written (may be NULL). */
int export_households(struct ctx *x, const struct hh_filter *f, enum export_format fmt, const char *path,
		      int64_t *rows, struct err *e);

int exports_h_quarterly_xlsx(struct req *r);   /* GET /reports/quarterly.xlsx?org_id=&period= */
int exports_h_households_xlsx(struct req *r);  /* GET /households.xlsx?<the filters of GET /households> */
int exports_h_applications_xlsx(struct req *r);/* GET /applications.xlsx?<the filters of GET /applications> */
int exports_h_template_xlsx(struct req *r);    /* GET /imports/households/template.xlsx */

#endif
