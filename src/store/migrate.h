/* migrate.h — numbered schema migrations, embedded at build time. */
#ifndef BANGFU_MIGRATE_H
#define BANGFU_MIGRATE_H

#include "db.h"

/* Applies every embedded migration not yet applied, each in its own
 * transaction.  Returns 0 or <0 with e set. */
int migrate_up(struct db *c, struct err *e);

/* 0 when the database is at the version this binary expects; otherwise
 * E_DB with a message telling the operator what to do. */
int migrate_check(struct db *c, struct err *e);

/* Number of migrations compiled in. */
int migrate_latest(void);

/* 1 when the database already holds bangfu data (an org exists). */
int migrate_has_data(struct db *c);

#endif
