/* db_stats.h — the SQLite planner's statistics, exact, in short turns. */
#ifndef BANGFU_DB_STATS_H
#define BANGFU_DB_STATS_H

#include "store/db.h"

/* RULE db.stats: ANALYZEs, with no row limit, each table whose row count
 * moved by more than a tenth since its statistics were taken (or that has
 * none), one index per write transaction.  *n is the number of indexes
 * analyzed (may be NULL).  PostgreSQL: nothing (autovacuum keeps its own).
 * 0 or <0. */
int db_refresh_stats(struct db *c, int *n, struct err *e);

#endif
