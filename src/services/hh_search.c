/* hh_search.c — see hh_search.h. */
#include "services/hh_search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_CHARS 50 /* household_body: a name has at most 50 characters */
#define GRAMS_MAX (3 * NAME_CHARS) /* the first character, the pairs, the threes */

/* Splits UTF-8 text into characters: start[i] and len[i]; returns how many
 * (at most max). */
static int chars_of(const char *s, const char **start, size_t *len, int max)
{
	int n = 0;
	for (const char *p = s; *p && n < max; n++) {
		const char *q = p + 1;
		while (*q && ((unsigned char)*q & 0xC0) == 0x80)
			q++;
		start[n] = p;
		len[n] = (size_t)(q - p);
		p = q;
	}
	return n;
}

static int gram_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

int name_grams_put(struct ctx *x, int64_t hid, int64_t org, const char *name, struct err *e)
{
	int rc = db_run(x->db, e, "DELETE FROM name_grams WHERE household_id = ?", "i", hid);
	return rc ? rc : name_grams_add(x, hid, org, name, e);
}

int name_grams_add(struct ctx *x, int64_t hid, int64_t org, const char *name, struct err *e)
{
	const char *c[NAME_CHARS];
	size_t l[NAME_CHARS];
	int n = chars_of(name ? name : "", c, l, NAME_CHARS);
	int rc = 0;
	char grams[GRAMS_MAX][16];
	int ng = 0;
	if (!rc && n > 0)
		snprintf(grams[ng++], sizeof grams[0], "^%.*s", (int)l[0], c[0]);
	/* each run of two characters, and of three (migration 034) */
	for (int w = 2; w <= 3; w++)
		for (int i = 0; i + w <= n && ng < GRAMS_MAX; i++) {
			char g[16];
			snprintf(g, sizeof g, "%.*s%.*s%.*s", (int)l[i], c[i], (int)l[i + 1], c[i + 1],
				 w == 3 ? (int)l[i + 2] : 0, w == 3 ? c[i + 2] : "");
			int seen = 0;
			for (int j = 1; j < ng && !seen; j++)
				seen = !strcmp(grams[j], g);
			if (!seen)
				memcpy(grams[ng++], g, sizeof g);
		}
	/* RULE counts.grams: in sorted order, so that two writers lock the
	 * kept rows they share (migration 028) in one order on PostgreSQL */
	qsort(grams, (size_t)ng, sizeof grams[0], gram_cmp);
	for (int i = 0; !rc && i < ng; i++)
		rc = db_run(x->db, e, "INSERT INTO name_grams (gram, household_id, org_id, name) VALUES (?, ?, ?, ?)",
			    "siis", grams[i], hid, org, name ? name : "");
	return rc;
}

const char *name_grams_count(const char *q)
{
	const char *c[NAME_CHARS + 1];
	size_t l[NAME_CHARS + 1];
	int n = chars_of(q, c, l, NAME_CHARS + 1);
	/* RULE counts.grams: up to three characters (a surname, a given name,
	 * a full name), the kept rows of the gram's units (migrations 028,
	 * 034); past three, the first three's rows whose name holds the text,
	 * from the grams alone (migration 030), the scope's units found once
	 * (a join checked each row's unit: a fifth more); planned with its
	 * values (PostgreSQL's generic plan for LIKE ? read the table: 4 ms at
	 * 100,000 archives) */
	return n <= 3		    ? "SELECT COALESCE(SUM(g.n), 0) FROM gram_counts g JOIN orgs o ON o.id = g.org_id"
				      " WHERE g.gram = ? AND o.path LIKE ?"
	       : n <= NAME_CHARS ? DB_PLAN_EACH "SELECT COUNT(*) FROM name_grams g WHERE g.gram = ? AND g.name LIKE ? ESCAPE '\\'"
				      " AND g.org_id IN (SELECT id FROM orgs WHERE path LIKE ?)"
				    : NULL;
}

void name_grams_from(struct ctx *x, const char *q, char *from, size_t fn, struct db_args *a)
{
	const char *c[NAME_CHARS + 1];
	size_t l[NAME_CHARS + 1];
	int n = chars_of(q, c, l, NAME_CHARS + 1);
	/* the unit from the gram's own (its archive's, proved by `bangfu
	 * check`), the archive LEFT JOINed: a page's ids (g.household_id)
	 * with no filter on the archive read no archive row, as both engines
	 * drop such a join; a filter on h makes it an inner join */
	size_t used = (size_t)snprintf(from, fn, "FROM name_grams g JOIN orgs o ON o.id = g.org_id"
						 " LEFT JOIN households h ON h.id = g.household_id WHERE %s",
					 n > NAME_CHARS || n < 1 ? "1 = 0" : "g.gram = ?");
	if (n > NAME_CHARS || n < 1)
		return;
	if (n == 1) {
		db_arg_str(a, arena_printf(x->a, "^%s", q));
		return;
	}
	/* the rows of the first two characters, or three (migration 034);
	 * past three, those whose name (kept with each gram, migration 030)
	 * holds the text */
	db_arg_str(a, arena_printf(x->a, "%.*s%.*s%.*s", (int)l[0], c[0], (int)l[1], c[1], n > 2 ? (int)l[2] : 0,
				   n > 2 ? c[2] : ""));
	if (n > 3) {
		char *esc = arena_alloc(x->a, 2 * strlen(q) + 3), *o = esc;
		*o++ = '%';
		for (const char *p = q; *p; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				*o++ = '\\';
			*o++ = *p;
		}
		*o++ = '%';
		*o = '\0';
		snprintf(from + used, fn - used, " AND g.name LIKE ? ESCAPE '\\'");
		db_arg_str(a, esc);
	}
}

/* Each name's grams, computed from the names: k.i = 0 the first character
 * (with ^), then every run of w = 2 and 3 characters from k.i. */
#define GRAMS_OF_NAMES                                                                                   \
	"SELECT DISTINCT CASE WHEN k.i = 0 THEN '^' || substr(h.name, 1, 1) ELSE substr(h.name, k.i, w.w) END" \
	" AS gram, h.id AS household_id, h.org_id, h.name FROM households h"                                 \
	" JOIN (WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 49)"                \
	" SELECT i FROM n) k ON k.i < length(h.name)"                                                         \
	" JOIN (SELECT 2 AS w UNION ALL SELECT 3) w"                                                          \
	" ON (k.i = 0 AND w.w = 2) OR (k.i > 0 AND k.i + w.w - 1 <= length(h.name))"

const char name_grams_drift_sql[] =
	"SELECT (SELECT COUNT(*) FROM (" GRAMS_OF_NAMES " EXCEPT SELECT gram, household_id, org_id, name FROM name_grams) d1)"
	" + (SELECT COUNT(*) FROM (SELECT gram, household_id, org_id, name FROM name_grams EXCEPT " GRAMS_OF_NAMES ") d2)";
