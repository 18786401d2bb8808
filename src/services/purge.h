/* purge.h — the retention purge (RULE retention.purge, API.md
 * "Attachments", DESIGN.md §2.8): archives exited before a date lose their
 * scans' bytes and their personal fields; every count and amount stays,
 * so the reports of any period read the same before and after. */
#ifndef BANGFU_PURGE_H
#define BANGFU_PURGE_H

#include "core/ctx.h"

struct purge_counts {
	int64_t archives;     /* archives erased (or, dry, to erase) */
	int64_t attachments;  /* scans whose bytes went */
	int64_t bytes;        /* their size */
};

/* Erases, for each archive exited before `before` (YYYY-MM-DD) and not yet
 * purged: the bytes of every scan of the household, its members, its
 * applications and its cases (metadata kept, file name and note cleared,
 * purged_at set); the worker's name, ID number, phone, address, employer
 * and notes; each member's name and ID number; the name, phone and ID
 * number of its cases; the notes of its visits, the text of its objections,
 * its applications' reason, signer and closing report.  One audit entry "purge"
 * per archive, in transactions of a few hundred archives.  dry: counts
 * only, nothing written. */
int purge_exited(struct ctx *x, const char *before, int dry, struct purge_counts *n, struct err *e);

#endif
