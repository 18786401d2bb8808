/* pdf_forms.h — the printable forms, drawn from JSON the services gather.
 * Each writes a PDF into *buf (malloc'd, the caller frees) and *len, and
 * returns 0 or <0 with e set.  Codes (status, category, relation, ...) are
 * printed with their zh-CN labels. */
#ifndef BANGFU_PDF_FORMS_H
#define BANGFU_PDF_FORMS_H

#include <jansson.h>
#include <stddef.h>

#include "core/err.h"

/* 困难职工档案卡.  card: {"household": the record as GET /households/{id}
 * answers it (ID numbers as the caller may see them), "events": the trail,
 * "visits": the latest visits, "pairings", "aid": [{"program_name",
 * "status","disbursed_at","amount_fen"}]}. */
int pdf_household_card(json_t *card, char **buf, size_t *len, struct err *e);

/* 申请审批表.  form: {"application": as GET /applications/{id}, "household":
 * the applicant's record (masked), "events": the application's trail}. */
int pdf_application_form(json_t *form, char **buf, size_t *len, struct err *e);

/* 公示名单.  notice: {"unit": the publishing unit's name, "contact": text
 * or null, "date": today, "items": [{"name","id_number","employer",
 * "category","causes":[codes],"org_name","notice_start","notice_end"}]}.
 * ID numbers are masked here again whatever they arrive as (RULE
 * mask.notice): a notice is posted in public. */
int pdf_notice_list(json_t *notice, char **buf, size_t *len, struct err *e);

#endif
