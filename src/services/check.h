/* check.h — `bangfu check`: is this database whole?  Schema version,
 * foreign keys, ledger reconciliation, the audit chain, and precise
 * identification (one open archive per person), partner-card purchases
 * against the ledger, cards of archives no longer active, cases. */
#ifndef BANGFU_CHECK_H
#define BANGFU_CHECK_H

#include "store/db.h"

/* Prints one line per check; returns the number of failed checks. */
int check_all(struct db *c);

#endif
