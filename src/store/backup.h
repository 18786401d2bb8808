/* backup.h — whole-database copies.  SQLite: the online backup API (safe
 * while `serve` runs).  PostgreSQL: pg_dump/pg_restore (custom format). */
#ifndef BANGFU_BACKUP_H
#define BANGFU_BACKUP_H

#include "core/err.h"

int backup_run(const char *url, const char *file, struct err *e);
/* Refuses a target that already holds bangfu data. */
int restore_run(const char *url, const char *file, struct err *e);

#endif
