/* pdf_report.h — the quarterly report (统计上报) as a PDF, drawn from the
 * JSON of report_quarterly() (src/services/reports.h).  Keys it does not
 * know are ignored and missing figures print as 0, so the report may grow.
 * An optional "program_names" object {code: name} names the programmes;
 * without it the default programmes' names are used (else the code). */
#ifndef BANGFU_PDF_REPORT_H
#define BANGFU_PDF_REPORT_H

#include <jansson.h>
#include <stddef.h>

#include "core/err.h"

/* Writes the PDF to `path`.  Returns 0, or <0 with e set (E_INTERNAL when
 * drawing or writing failed). */
int pdf_quarterly_report(json_t *report, const char *path, struct err *e);

/* The same into memory: *buf (malloc'd, the caller frees), *len. */
int pdf_quarterly_report_mem(json_t *report, char **buf, size_t *len, struct err *e);

#endif
