/* documents.c — the PDF answers.  The data comes from the same service
 * functions as the JSON answers (scope checked there: out of scope → 404);
 * drawing is src/render/'s business. */
#include "services/documents.h"

#include <stdlib.h>
#include <string.h>

#include "render/pdf_forms.h"
#include "render/pdf_report.h"
#include "services/applications.h"
#include "services/hh_workflow.h"
#include "services/households.h"
#include "services/orgs.h"
#include "services/reports.h"

#define CONTACT_MAX 200 /* characters of ?contact= */

/* Answers the PDF in buf (taken over and freed) as an inline file. */
static int reply_pdf(struct req *r, char *buf, size_t len, const char *ascii_name)
{
	char *copy = arena_alloc(r->x.a, len + 1);
	memcpy(copy, buf, len);
	free(buf);
	r->raw = copy;
	r->raw_len = len;
	r->content_type = "application/pdf";
	r->disposition = arena_printf(r->x.a, "inline; filename=\"%s\"", ascii_name);
	r->status = 200;
	return 0;
}

/* Runs a query with one integer parameter; a new array or NULL (e set). */
static json_t *rows(struct ctx *x, struct err *e, const char *sql, int64_t id)
{
	struct db_stmt *s = db_q(x->db, e, sql, "i", id);
	json_t *items = s ? db_rows_json(s, e) : NULL;
	db_finalize(s);
	return items;
}

int documents_h_quarterly(struct req *r)
{
	int64_t org;
	json_t *rep = NULL;
	int rc = req_query_int(r, "org_id", r->x.who.org_id, 1, INT64_MAX, &org);
	if (!rc)
		rc = report_quarterly(&r->x, org, req_query(r, "period"), &rep, &r->err);
	if (rc)
		return rc;
	/* the programmes' names as they are now (the report carries codes) */
	json_t *names = json_object();
	struct db_stmt *s = db_q(r->x.db, &r->err, "SELECT code, name FROM programs", "");
	while (s && db_step(s, &r->err) == DB_ROW)
		json_object_set_new(names, db_col_text(s, 0), json_string(db_col_text(s, 1)));
	db_finalize(s);
	json_object_set_new(rep, "program_names", names);
	char *buf = NULL;
	size_t len = 0;
	rc = pdf_quarterly_report_mem(rep, &buf, &len, &r->err);
	const char *name = arena_printf(r->x.a, "quarterly-%lld-%s.pdf", (long long)org,
					json_string_value(json_object_get(rep, "period")));
	json_decref(rep);
	return rc ? rc : reply_pdf(r, buf, len, name);
}

static const struct field card_query[] = {
	{"reveal_reason", F_STR, F_REQ, 2, 200, "查看原因"},
	FIELDS_END,
};

/* GET /households/{id}/card.pdf[?reveal_reason=]: masked as GET
 * /households/{id} shows it; with a reason, in full and audited as a
 * reveal (RULE privacy.reveal). */
int documents_h_card(struct req *r)
{
	struct ctx *x = &r->x;
	const char *reason = req_query(r, "reveal_reason");
	json_t *h = NULL;
	if (reason) {
		if (!perm_allows(x->who.role, P_REVEAL))
			return req_deny(r, E_FORBIDDEN, "当前角色不能查看完整身份证号");
		json_t *q = json_pack("{s:s}", "reveal_reason", reason);
		int rc = q ? validate_object(&r->err, q, card_query, "")
			   : err_field(&r->err, "reveal_reason", "查看原因不是有效的 UTF-8 文本");
		json_decref(q);
		if (rc)
			return rc;
		h = household_reveal(x, r->id, reason, &r->err);
	} else {
		h = household_json(x, r->id, 0, &r->err);
	}
	if (!h)
		return -(int)(r->err.code ? r->err.code : E_DB);
	json_t *card = json_pack("{s:o}", "household", h);
	json_t *ev = hh_events_json(x, r->id, &r->err);
	json_t *visits = rows(x, &r->err,
			      "SELECT date, kind, visitor, notes FROM visits WHERE household_id = ?"
			      " ORDER BY date DESC, id DESC LIMIT 5", r->id); /* the last five */
	json_t *pairings = rows(x, &r->err,
				"SELECT cadre_name, cadre_unit, phone, plan, start_date, end_date"
				" FROM pairings WHERE household_id = ? ORDER BY id", r->id);
	json_t *aid = rows(x, &r->err,
			   "SELECT p.name AS program_name, a.status, a.disbursed_at,"
			   " a.disbursed_fen - a.refunded_fen AS amount_fen"
			   " FROM applications a JOIN programs p ON p.code = a.program_code"
			   " WHERE a.household_id = ? AND a.disbursed_at IS NOT NULL ORDER BY a.disbursed_at, a.id",
			   r->id);
	int rc = -E_DB;
	if (ev && visits && pairings && aid) {
		json_object_set_new(card, "events", ev);
		json_object_set_new(card, "visits", visits);
		json_object_set_new(card, "pairings", pairings);
		json_object_set_new(card, "aid", aid);
		ev = visits = pairings = aid = NULL;
		char *buf = NULL;
		size_t len = 0;
		rc = pdf_household_card(card, &buf, &len, &r->err);
		if (!rc)
			rc = reply_pdf(r, buf, len, arena_printf(x->a, "household-%lld.pdf", (long long)r->id));
	}
	json_decref(ev), json_decref(visits), json_decref(pairings), json_decref(aid);
	json_decref(card);
	return rc;
}

/* GET /applications/{id}/form.pdf: the application as GET
 * /applications/{id} shows it; the applicant's ID number and phone masked
 * (the application's JSON carries none). */
int documents_h_form(struct req *r)
{
	struct ctx *x = &r->x;
	json_t *ap = application_json(x, r->id, &r->err);
	if (!ap)
		return -(int)(r->err.code ? r->err.code : E_DB);
	/* emergency aid names a person (masked) instead of an archive */
	json_t *h = json_is_object(json_object_get(ap, "person"))
			    ? json_deep_copy(json_object_get(ap, "person"))
			    : household_json(x, json_integer_value(json_object_get(ap, "household_id")), 0, &r->err);
	json_t *ev = application_events_json(x, r->id, &r->err);
	int rc = -E_DB;
	if (h && ev) {
		json_t *form = json_pack("{s:O, s:O, s:O}", "application", ap, "household", h, "events", ev);
		char *buf = NULL;
		size_t len = 0;
		rc = pdf_application_form(form, &buf, &len, &r->err);
		json_decref(form);
		if (!rc)
			rc = reply_pdf(r, buf, len, arena_printf(x->a, "application-%lld.pdf", (long long)r->id));
	}
	json_decref(ap), json_decref(h), json_decref(ev);
	return rc;
}

/* GET /households/notice.pdf?org_id=&contact=: the archives of the unit's
 * subtree now in the public notice (公示), oldest notice first.  The notice
 * starts on the day of the last publish step and ends on notice_end (the
 * N-th working day after it, set by publish). */
int documents_h_notice(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t org;
	struct org o;
	int rc = req_query_int(r, "org_id", x->who.org_id, 1, INT64_MAX, &org);
	if (!rc)
		rc = org_in_scope(x, org, &o, &r->err);
	if (rc)
		return rc;
	const char *contact = req_query(r, "contact");
	contact = contact ? contact : "";
	json_t *c = json_string(contact); /* NULL: not UTF-8 */
	size_t chars = 0;
	for (const char *p = contact; *p; p++)
		chars += ((unsigned char)*p & 0xC0) != 0x80;
	if (!c || chars > CONTACT_MAX) {
		json_decref(c);
		return err_field(&r->err, "contact", "异议联系方式应为不超过 %d 个字的文字", CONTACT_MAX);
	}
	struct db_stmt *s = db_q(x->db, &r->err,
				 "SELECT h.name, h.id_number, h.employer, COALESCE(h.category, h.suggested_category)"
				 " AS category, h.causes, o.name AS org_name, h.notice_end,"
				 " (SELECT MAX(e.at) FROM household_events e WHERE e.household_id = h.id"
				 "  AND e.action = 'publish') AS published_at"
				 " FROM households h JOIN orgs o ON o.id = h.org_id"
				 " WHERE h.status = 'in_notice' AND o.path LIKE ? ORDER BY h.notice_end, h.id",
				 "s", arena_printf(x->a, "%s%%", o.path));
	json_t *items = s ? db_rows_json(s, &r->err) : NULL;
	db_finalize(s);
	if (!items) {
		json_decref(c);
		return -E_DB;
	}
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		const char *pub = json_string_value(json_object_get(it, "published_at"));
		json_object_set_new(it, "notice_start", json_stringn(pub ? pub : "", pub ? 10 : 0));
		const char *causes = json_string_value(json_object_get(it, "causes"));
		json_t *arr = json_array();
		for (const char *p = causes; p && *p;) {
			size_t n = strcspn(p, ",");
			json_array_append_new(arr, json_stringn(p, n));
			p += n + (p[n] == ',');
		}
		json_object_set_new(it, "causes", arr);
	}
	json_t *notice = json_pack("{s:s, s:o, s:s, s:o}", "unit", o.name, "contact", c, "date", x->today_s,
				   "items", items);
	char *buf = NULL;
	size_t len = 0;
	rc = pdf_notice_list(notice, &buf, &len, &r->err);
	json_decref(notice);
	return rc ? rc : reply_pdf(r, buf, len, arena_printf(x->a, "notice-%lld.pdf", (long long)org));
}
