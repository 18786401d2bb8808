#include "services/standards.h"

#include "http/req.h"
#include "services/audit.h"
#include "services/orgs.h"
#include "rules/money.h"

int standard_effective(struct ctx *x, int64_t org_id, int64_t year, int64_t *monthly_fen,
		       int64_t *source_org_id, int64_t *source_year, int *found, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT s.monthly_fen, s.org_id, s.year FROM standards s"
				 " JOIN orgs a ON a.id = s.org_id JOIN orgs t ON t.id = ?"
				 " WHERE s.year <= ? AND t.path LIKE a.path || '%'"
				 " ORDER BY s.year DESC, length(a.path) DESC LIMIT 1",
				 "ii", org_id, year);
	if (!s)
		return -E_DB;
	int rc = db_step(s, e);
	*found = rc == DB_ROW;
	if (*found) {
		*monthly_fen = db_col_int(s, 0);
		*source_org_id = db_col_int(s, 1);
		*source_year = db_col_int(s, 2);
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

int standard_set(struct ctx *x, int64_t org_id, int64_t year, int64_t monthly_fen, struct err *e)
{
	int rc = org_in_scope(x, org_id, NULL, e);
	if (rc)
		return rc;
	rc = db_run(x->db, e,
		    "INSERT INTO standards (org_id, year, monthly_fen, updated_at) VALUES (?, ?, ?, ?)"
		    " ON CONFLICT (org_id, year) DO UPDATE SET monthly_fen = excluded.monthly_fen,"
		    " updated_at = excluded.updated_at",
		    "iiis", org_id, year, monthly_fen, x->now_s);
	char yuan[32];
	money_format_fen(monthly_fen, yuan);
	if (!rc)
		rc = audit_add(x, "set", "standard", org_id, org_id, e, "设定 %lld 年最低生活保障标准为每月 %s 元",
			       (long long)year, yuan);
	return rc;
}

static json_t *standard_json(int64_t org_id, int64_t year, int64_t fen, int64_t src,
			     int64_t src_year)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:b}", "org_id", (json_int_t)org_id, "year",
			 (json_int_t)year, "monthly_fen", (json_int_t)fen, "source_org_id",
			 (json_int_t)src, "source_year", (json_int_t)src_year, "inherited",
			 src != org_id || src_year != year);
}

int standards_h_set(struct req *r)
{
	int64_t org = body_int(r, "org_id", 0), year = body_int(r, "year", 0);
	int64_t fen = body_int(r, "monthly_fen", 0);
	int rc = standard_set(&r->x, org, year, fen, &r->err);
	return rc ? rc : req_reply(r, 201, standard_json(org, year, fen, org, year));
}

int standards_h_get(struct req *r)
{
	int64_t org, year, fen = 0, src = 0, src_year = 0;
	int y;
	date_to_ymd(r->x.today, &y, &(int){0}, &(int){0});
	int rc = req_query_int(r, "org_id", r->x.who.org_id, 1, INT64_MAX, &org);
	if (!rc)
		rc = req_query_int(r, "year", y, 2000, 2100, &year);
	if (!rc)
		rc = org_in_scope(&r->x, org, NULL, &r->err);
	int found = 0;
	if (!rc)
		rc = standard_effective(&r->x, org, year, &fen, &src, &src_year, &found, &r->err);
	if (rc)
		return rc;
	if (!found)
		return err_set(&r->err, E_NOT_FOUND, "本单位及上级单位均未设定 %lld 年及以前的最低生活保障标准",
			       (long long)year);
	return req_reply(r, 200, standard_json(org, year, fen, src, src_year));
}
