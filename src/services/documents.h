/* documents.h — the printable PDFs (issue 5): each handler gathers the
 * record's data with the same scope and masking as its JSON twin and hands
 * it to src/render/, which draws it. */
#ifndef BANGFU_DOCUMENTS_H
#define BANGFU_DOCUMENTS_H

#include "http/route.h"

int documents_h_quarterly(struct req *r); /* GET /reports/quarterly.pdf?org_id=&period= */
int documents_h_card(struct req *r);      /* GET /households/{id}/card.pdf */
int documents_h_form(struct req *r);      /* GET /applications/{id}/form.pdf */
int documents_h_notice(struct req *r);    /* GET /households/notice.pdf?org_id=&contact= */

#endif
