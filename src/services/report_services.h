/* report_services.h — the employment and partner-card figures of the
 * quarterly report (reports.c places them in each UNIT). */
#ifndef BANGFU_REPORT_SERVICES_H
#define BANGFU_REPORT_SERVICES_H

#include "core/ctx.h"
#include "rules/period.h"

/* One aggregate of a report block, run per bucket (the unit and each
 * direct child, each covering its subtree): SELECT b.id, sel FROM from
 * (t: the table with org_id) ... WHERE cond GROUP BY b.id, its columns
 * landing in unit[group][keys[i]].  bounds names cond's parameters: d/D
 * the period's first/last day, t/T its first/last instant; NULL is "dT"
 * (the first day and the last instant bound dates and timestamps alike). */
struct report_agg {
	const char *group, *sel, *from, *cond;
	const char *keys[3];
	const char *bounds;
	/* when set (NULL-terminated), cond is a format whose one %s becomes a
	 * placeholder for each of these values (NULL when there are none),
	 * bound before the bounds; the statement is planned with them */
	const char *const *in;
};
/* Runs aggs[0..n-1]; *out (new reference) maps the bucket's org id (as
 * text) to {group:{key:N}}. */
int report_aggs(struct ctx *x, const struct report_agg *aggs, size_t n, int64_t root_id, const char *like,
		const struct period *p, json_t **out, struct err *e);
/* Sets unit[group][key] for every aggregate from `all` (0 when absent). */
void report_aggs_unit(const struct report_agg *aggs, size_t n, json_t *all, int64_t org_id, json_t *unit);

/* Runs the aggregates for root `root_id` (subtree LIKE pattern `like`) and
 * its direct children over period p.  *out (new reference) maps the
 * bucket's org id (as text) to {"employment":{...},"cards":{...}}. */
int report_services(struct ctx *x, int64_t root_id, const char *like, const struct period *p,
		    json_t **out, struct err *e);
/* Sets unit.employment and unit.cards from `all` (zeros when absent). */
void report_services_unit(json_t *all, int64_t org_id, json_t *unit);

#endif
