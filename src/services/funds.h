/* funds.h — fund accounts and the ledger (资金).  Every movement goes
 * through fund_move(): one ledger row, balance checked in the same UPDATE,
 * inside the caller's transaction.  RULE funds.never_negative. */
#ifndef BANGFU_FUNDS_H
#define BANGFU_FUNDS_H

#include "http/route.h"

extern const struct field account_body[];
extern const struct field deposit_body[];
extern const struct field transfer_body[];
extern const struct field refund_body[];

/* Adds delta (signed fen, not 0) to the account and appends a ledger row.
 * A debit the balance cannot cover answers E_INSUFFICIENT_FUNDS and changes
 * nothing.  application_id / transfer_id: 0 for none. */
int fund_move(struct ctx *x, int64_t account_id, int64_t delta, const char *kind,
	      int64_t application_id, int64_t transfer_id, const char *note, int64_t *balance,
	      struct err *e);

/* A transfer down the hierarchy (RULE funds.transfer_down): both accounts
 * in scope (404), the receiver inside the sender's subtree (422), the
 * balance covers it (409).  Writes the transfer, two ledger rows and the
 * audit entry; *tid gets the transfer's id. */
int fund_transfer(struct ctx *x, int64_t from, int64_t to, int64_t amount, const char *note, int64_t *tid,
		  struct err *e);

/* The account's org if it lies in the actor's scope; -E_NOT_FOUND else. */
int fund_account_in_scope(struct ctx *x, int64_t id, int64_t *org_id, struct err *e);

/* RULE funds.reconcile: every balance equals the sum of its ledger and its
 * last running balance.  0 when all agree; otherwise E_INTERNAL naming the
 * first account that does not. *n = accounts checked. */
int funds_reconcile(struct db *c, int64_t *n, struct err *e);

int funds_scope(struct req *r);
int funds_h_list(struct req *r);
int funds_h_get(struct req *r);
int funds_h_create(struct req *r);
int funds_h_deposit(struct req *r);
int funds_h_transfer(struct req *r);
int funds_h_refund(struct req *r);
int funds_h_ledger(struct req *r);

#endif
