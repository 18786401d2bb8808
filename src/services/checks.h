/* checks.h — household economic checks with other agencies (家庭经济状况核对,
 * API.md "Attachments", DESIGN.md §2.8): made on the worker's signed
 * authorisation (授权委托书, an attachment of the household), one per agency,
 * pending until its result (clear or found) is recorded. */
#ifndef BANGFU_CHECKS_H
#define BANGFU_CHECKS_H

#include "http/route.h"

extern const struct field check_body[];
extern const struct field check_result_body[];

/* Requests a check of household hid by `agency` on the date `on`, on the
 * authorisation attachment `auth` (RULE checks.authorisation); audited.
 * 404 out of scope, 409 for an exited archive, 422 per field. */
int check_request(struct ctx *x, int64_t hid, const char *agency, const char *on, int64_t auth, int64_t *cid,
		  struct err *e);
/* Records the result (clear|found, a finding when found) of a pending
 * check dated `on`; 409 when it has one already; audited. */
int check_result(struct ctx *x, int64_t hid, int64_t cid, const char *result, const char *finding, const char *on,
		 struct err *e);

int checks_h_create(struct req *r);
int checks_h_result(struct req *r);
int checks_h_list(struct req *r);

#endif
