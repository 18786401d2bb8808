/* check.h — `bangfu check`: is this database whole?  Schema version,
 * foreign keys, ledger reconciliation, the audit chain, and precise
 * identification (one open archive per person), partner-card purchases
 * against the ledger, cards of archives no longer active, cases. */
#ifndef BANGFU_CHECK_H
#define BANGFU_CHECK_H

#include "core/ctx.h"

/* Prints one line per check; returns the number of failed checks.  Then
 * the reminders that fail nothing (RULE calendar.missing: next year's
 * statutory holidays not yet loaded; shipped years `bangfu migrate` has not
 * loaded), each on a line starting with 提醒. */
int check_all(struct ctx *x);

/* The outreach figures kept beside their records (check_outreach.c):
 * prints one line; 1 when it fails. */
int check_outreach(struct db *c);

#endif
