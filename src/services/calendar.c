#include "services/calendar.h"

#include <string.h>

#include "http/req.h"
#include "services/audit.h"

int calendar_load(struct ctx *x, day_t from, struct wd_calendar *cal, struct err *e)
{
	char fs[11];
	date_format(from, fs);
	int64_t n = 0;
	int rc = db_int(x->db, e, &n, NULL, "SELECT COUNT(*) FROM calendar WHERE date >= ?", "s", fs);
	if (rc)
		return rc;
	day_t *dates = arena_alloc(x->a, sizeof *dates * (size_t)(n + 1));
	unsigned char *work = arena_alloc(x->a, (size_t)n + 1);
	struct db_stmt *s = db_q(x->db, e, "SELECT date, workday FROM calendar WHERE date >= ?"
					   " ORDER BY date", "s", fs);
	if (!s)
		return -E_DB;
	size_t i = 0;
	while (i < (size_t)n && (rc = db_step(s, e)) == DB_ROW) {
		if (date_parse(db_col_text(s, 0), &dates[i]) == 0)
			work[i++] = db_col_int(s, 1) != 0;
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	cal->dates = dates;
	cal->workday = work;
	cal->n = i;
	return 0;
}

int calendar_add_workdays(struct ctx *x, day_t from, int n, day_t *out, struct err *e)
{
	struct wd_calendar cal;
	int rc = calendar_load(x, from, &cal, e);
	if (!rc)
		*out = wd_add_workdays(&cal, from, n);
	return rc;
}

int calendar_set(struct ctx *x, const char *date, int workday, const char *note, struct err *e)
{
	day_t d;
	if (date_parse(date, &d) != 0)
		return err_field(e, "date", "日期无效：%s", date);
	int rc = db_run(x->db, e,
			"INSERT INTO calendar (date, workday, note) VALUES (?, ?, ?)"
			" ON CONFLICT (date) DO UPDATE SET workday = excluded.workday, note = excluded.note",
			"sis", date, (int64_t)(workday != 0), note ? note : "");
	if (!rc)
		rc = audit_add(x, "set", "calendar", 0, 0, e, "设定 %s 为%s%s%s", date,
			       workday ? "工作日" : "休息日", note && *note ? "：" : "", note ? note : "");
	return rc;
}

int calendar_h_list(struct req *r)
{
	int64_t year;
	int y;
	date_to_ymd(r->x.today, &y, &(int){0}, &(int){0});
	int rc = req_query_int(r, "year", y, 1900, 2999, &year);
	if (rc)
		return rc;
	const char *like = arena_printf(r->x.a, "%04lld-%%", (long long)year);
	struct db_stmt *s = db_q(r->x.db, &r->err,
				 "SELECT date, workday, note FROM calendar WHERE date LIKE ? ORDER BY date",
				 "s", like);
	json_t *items = s ? db_rows_json(s, &r->err) : NULL;
	db_finalize(s);
	if (!items)
		return -E_DB;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		json_object_set_new(it, "workday", json_boolean(json_integer_value(json_object_get(it, "workday"))));
	return req_reply_list(r, items, (int64_t)json_array_size(items));
}

int calendar_h_put(struct req *r)
{
	const char *date = r->param[0], *note = body_str(r, "note");
	int wd = body_bool(r, "workday", 0);
	int rc = calendar_set(&r->x, date, wd, note, &r->err);
	if (rc)
		return rc;
	return req_reply(r, 200, json_pack("{s:s,s:b,s:s}", "date", date, "workday", wd, "note",
					   note ? note : ""));
}

int calendar_h_delete(struct req *r)
{
	day_t d;
	if (date_parse(r->param[0], &d) != 0)
		return err_field(&r->err, "date", "日期无效：%s", r->param[0]);
	int64_t found = 0;
	int rc = db_int(r->x.db, &r->err, &found, NULL, "SELECT COUNT(*) FROM calendar WHERE date = ?",
			"s", r->param[0]);
	if (!rc && !found)
		return err_set(&r->err, E_NOT_FOUND, "该日期没有调整记录");
	if (!rc)
		rc = db_run(r->x.db, &r->err, "DELETE FROM calendar WHERE date = ?", "s", r->param[0]);
	if (!rc)
		rc = audit_add(&r->x, "delete", "calendar", 0, 0, &r->err, "取消 %s 的工作日调整",
			       r->param[0]);
	if (!rc)
		r->status = 204;
	return rc;
}

/* GET /calendar/workdays?from=&add=N → {"date"}; ?from=&to= → {"workdays"} */
int calendar_h_workdays(struct req *r)
{
	day_t from, to;
	const char *fs = req_query(r, "from"), *ts = req_query(r, "to");
	if (!fs || date_parse(fs, &from) != 0)
		return err_field(&r->err, "from", "起始日期无效（YYYY-MM-DD）");
	struct wd_calendar cal;
	int rc = calendar_load(&r->x, from, &cal, &r->err);
	if (rc)
		return rc;
	if (ts) {
		if (date_parse(ts, &to) != 0)
			return err_field(&r->err, "to", "截止日期无效（YYYY-MM-DD）");
		return req_reply(r, 200, json_pack("{s:s,s:s,s:i}", "from", fs, "to", ts, "workdays",
						   wd_between(&cal, from, to)));
	}
	int64_t add;
	if ((rc = req_query_int(r, "add", 1, 1, 3650, &add)))
		return rc;
	char out[11];
	date_format(wd_add_workdays(&cal, from, (int)add), out);
	return req_reply(r, 200, json_pack("{s:s,s:I,s:s}", "from", fs, "add", (json_int_t)add, "date", out));
}
