/* calendar.c — see calendar.h and docs/calendar.md. */
#include "services/calendar.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/embed.h"
#include "core/tz.h"
#include "http/req.h"
#include "rules/calfile.h"
#include "rules/case_flow.h"
#include "rules/multipart.h"
#include "services/audit.h"

#define OPEN_APPS "('submitted', 'verified', 'approved')"
#define OPEN_CASES "('received', 'assigned', 'in_progress')"

/* --- the days in force --------------------------------------------------------- */

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

/* --- the known years -------------------------------------------------------------- */

struct cal_known {
	int n;
	int failed;          /* the query failed: every year counts as unknown */
	int years[];
};

/* RULE calendar.cache: the known years as read at one generation of
 * kept_gen 'calendar' (migration 036), shared by the server's workers. */
static struct {
	pthread_mutex_t mu;
	int64_t gen; /* 0: empty */
	struct cal_known *k; /* malloc'd */
} cal_cache = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* A copy in x's arena of the years cached at gen, or NULL. */
static struct cal_known *cal_cache_get(struct ctx *x, int64_t gen)
{
	struct cal_known *k = NULL;
	pthread_mutex_lock(&cal_cache.mu);
	if (cal_cache.k && cal_cache.gen == gen) {
		size_t size = sizeof *k + sizeof(int) * (size_t)cal_cache.k->n;
		k = memcpy(arena_alloc(x->a, size), cal_cache.k, size);
	}
	pthread_mutex_unlock(&cal_cache.mu);
	return k;
}

static void cal_cache_put(int64_t gen, const struct cal_known *k)
{
	size_t size = sizeof *k + sizeof(int) * (size_t)k->n;
	struct cal_known *copy = malloc(size);
	if (!copy)
		return;
	memcpy(copy, k, size);
	pthread_mutex_lock(&cal_cache.mu);
	free(cal_cache.k);
	cal_cache.k = copy;
	cal_cache.gen = gen;
	pthread_mutex_unlock(&cal_cache.mu);
}

/* The years whose holidays are known: from the cache while the session's
 * generation is the cached one, otherwise by one statement (a request
 * that changed the years reads them again: calendar_forget()). */
static const struct cal_known *known(struct ctx *x)
{
	if (x->cal_known)
		return x->cal_known;
	struct cal_known *k = x->cal_gen > 0 ? cal_cache_get(x, x->cal_gen) : NULL;
	if (k)
		return x->cal_known = k;
	struct err e = {0};
	int cap = 64, n = 0;
	int *years = malloc(sizeof *years * (size_t)cap);
	struct db_stmt *s = years ? db_q(x->db, &e, "SELECT year FROM calendar_years ORDER BY year", "") : NULL;
	int rc = s ? 0 : -E_DB;
	while (s && (rc = db_step(s, &e)) == DB_ROW) {
		if (n == cap) {
			int *more = cap < 10000 ? realloc(years, sizeof *years * (size_t)(cap *= 2)) : NULL;
			if (!more) {
				rc = -E_DB;
				break;
			}
			years = more;
		}
		years[n++] = (int)db_col_int(s, 0);
	}
	db_finalize(s);
	k = arena_alloc(x->a, sizeof *k + sizeof(int) * (size_t)(n + 1));
	k->failed = rc < 0;
	k->n = k->failed ? 0 : n;
	if (k->n)
		memcpy(k->years, years, sizeof *years * (size_t)n);
	free(years);
	if (!k->failed && x->cal_gen > 0)
		cal_cache_put(x->cal_gen, k);
	err_clear(&e);
	return x->cal_known = k;
}

/* After a change to calendar_years in this request: read them again, from
 * the database (the session's generation is older than the change). */
static void calendar_forget(struct ctx *x)
{
	x->cal_known = NULL;
	x->cal_gen = 0;
}

static int year_known(struct ctx *x, int y)
{
	const struct cal_known *k = known(x);
	for (int i = 0; i < k->n; i++)
		if (k->years[i] == y)
			return 1;
	return 0;
}

int calendar_provisional(struct ctx *x, const char *date)
{
	/* RULE calendar.provisional */
	day_t d;
	if (!date || date_parse(date, &d) != 0)
		return 0;
	int y;
	date_to_ymd(d, &y, &(int){0}, &(int){0});
	return !year_known(x, y);
}

void calendar_flag(struct ctx *x, json_t *o, const char *key, const char *flag)
{
	if (json_is_object(o))
		json_object_set_new(o, flag, json_boolean(calendar_provisional(x, json_string_value(json_object_get(o, key)))));
}

int calendar_missing(struct ctx *x, const char **message, int *year, struct err *e)
{
	/* RULE calendar.missing */
	*message = NULL;
	*year = 0;
	int y, m;
	date_to_ymd(x->today, &y, &m, &(int){0});
	if (known(x)->failed)
		return err_set(e, E_DB, NULL);
	if (!year_known(x, y)) {
		*year = y;
		*message = arena_printf(x->a, "工作日历：%d 年法定节假日尚未导入，本年的期限暂按周一至周五计算", y);
	} else if (m == 12 && !year_known(x, y + 1)) {
		*year = y + 1;
		*message = arena_printf(x->a, "工作日历：%d 年法定节假日尚未导入（国务院办公厅通知发布后请升级 bangfu 并运行"
					      " bangfu migrate，或用 bangfu calendar import 导入）", y + 1);
	}
	return 0;
}

/* --- recomputing the open deadlines (RULE calendar.recompute) -------------------- */

/* RULE calendar.recompute: a deadline in a year whose holidays were not
 * known was counted Monday to Friday (and flagged provisional); when the
 * year becomes known (statutory data loaded, or an import's year row) the
 * open deadlines falling in it are counted again on the calendar now in
 * force.  A deadline is the N-th working day after its start: an
 * application's the submission date (local date of created_at) and its
 * programme snapshot's deadline_workdays; a notice's the publish date and
 * its notice_workdays (the publish event's data); a case's received_on and
 * its category's days.  Campaign applications (approved at once, due the
 * day they are made) have no working-day deadline.  An admin's change of
 * one day (PUT, DELETE) moves no deadline already set, as before. */
struct moved {
	int64_t id;
	char due[11];
};

struct moves {
	struct moved *v;
	int n, cap;
};

static void move_add(struct ctx *x, struct moves *m, int64_t id, day_t due)
{
	if (m->n == m->cap) {
		int cap = m->cap ? m->cap * 2 : 64;
		struct moved *nv = arena_alloc(x->a, sizeof *nv * (size_t)cap);
		if (m->n)
			memcpy(nv, m->v, sizeof *nv * (size_t)m->n);
		m->v = nv;
		m->cap = cap;
	}
	m->v[m->n].id = id;
	date_format(due, m->v[m->n].due);
	m->n++;
}

/* The local date of an RFC 3339 timestamp, -1 when it is not one. */
static int local_day(const char *ts, day_t *d)
{
	int64_t t;
	if (!ts || ts_parse(ts, &t) != 0)
		return -1;
	*d = tz_day(t);
	return 0;
}

static int64_t json_int_in(const char *text, const char *key, int64_t def)
{
	json_t *o = text ? json_loads(text, 0, NULL) : NULL;
	json_t *v = json_object_get(o, key);
	int64_t n = json_is_integer(v) ? json_integer_value(v) : def;
	json_decref(o);
	return n;
}

/* One kind of record: sql selects id, start, N source, deadline for the open
 * records with deadline >= ?; kind says how to read start and N. */
enum rec { REC_APP, REC_NOTICE, REC_CASE };

static int find_moves(struct ctx *x, const struct wd_calendar *cal, enum rec kind, const char *los,
		      const char *his, struct moves *m, struct err *e)
{
	static const char *const sql[] = {
		[REC_APP] = "SELECT a.id, a.created_at, a.program_snapshot, a.due_date FROM applications a"
			    " WHERE a.status IN " OPEN_APPS " AND a.campaign_id IS NULL AND a.due_date >= ? AND a.due_date <= ?",
		[REC_NOTICE] = "SELECT h.id, e.at, e.data, h.notice_end FROM households h"
			       " JOIN household_events e ON e.id = (SELECT MAX(e2.id) FROM household_events e2"
			       "  WHERE e2.household_id = h.id AND e2.action = 'publish')"
			       " WHERE h.status = 'in_notice' AND h.notice_end >= ? AND h.notice_end <= ?",
		[REC_CASE] = "SELECT c.id, c.received_on, c.category, c.deadline FROM cases c"
			     " WHERE c.status IN " OPEN_CASES " AND c.deadline >= ? AND c.deadline <= ?",
	};
	struct db_stmt *s = db_q(x->db, e, sql[kind], "ss", los, his);
	if (!s)
		return -E_DB;
	int rc;
	while ((rc = db_step(s, e)) == DB_ROW) {
		const char *start_s = db_col_text(s, 1), *aux = db_col_text(s, 2), *due_s = db_col_text(s, 3);
		day_t start, due;
		int64_t n;
		if (kind == REC_CASE) {
			if (date_parse(start_s, &start) != 0)
				continue;
			n = case_category_workdays(case_category_parse(aux));
		} else {
			if (local_day(start_s, &start) != 0)
				continue;
			n = json_int_in(aux, kind == REC_APP ? "deadline_workdays" : "notice_workdays",
					kind == REC_APP ? 0 : 5);
		}
		if (n < 1 || n > 3650 || date_parse(due_s, &due) != 0)
			continue;
		day_t now_due = wd_add_workdays(cal, start, (int)n);
		if (now_due != due)
			move_add(x, m, db_col_int(s, 0), now_due);
	}
	db_finalize(s);
	return rc < 0 ? rc : 0;
}

/* The open deadlines falling in year y, counted again. */
static int recompute(struct ctx *x, int y, struct err *e)
{
	/* RULE calendar.recompute */
	struct wd_calendar cal;
	day_t first;
	date_from_ymd(1900, 1, 1, &first);
	char los[11], his[11];
	snprintf(los, sizeof los, "%04d-01-01", y);
	snprintf(his, sizeof his, "%04d-12-31", y);
	struct moves m[3] = {{0}};
	int rc = calendar_load(x, first, &cal, e);
	for (int k = REC_APP; !rc && k <= REC_CASE; k++)
		rc = find_moves(x, &cal, (enum rec)k, los, his, &m[k], e);
	static const char *const upd[] = {
		[REC_APP] = "UPDATE applications SET due_date = ? WHERE id = ?",
		[REC_NOTICE] = "UPDATE households SET notice_end = ? WHERE id = ?",
		[REC_CASE] = "UPDATE cases SET deadline = ? WHERE id = ?",
	};
	for (int k = REC_APP; !rc && k <= REC_CASE; k++)
		for (int i = 0; !rc && i < m[k].n; i++)
			rc = db_run(x->db, e, upd[k], "si", m[k].v[i].due, m[k].v[i].id);
	if (!rc && m[0].n + m[1].n + m[2].n)
		rc = audit_add(x, "recompute", "calendar", 0, 0, e,
			       "%d 年节假日载入后重算期限：申请 %d 件、公示 %d 户、个案 %d 件", y, m[REC_APP].n,
			       m[REC_NOTICE].n, m[REC_CASE].n);
	return rc;
}

/* --- an admin's days ---------------------------------------------------------------- */

static int set_override(struct ctx *x, const char *date, int workday, const char *note, struct err *e)
{
	return db_run(x->db, e,
		      "INSERT INTO calendar (date, workday, note, source) VALUES (?, ?, ?, 'override')"
		      " ON CONFLICT (date) DO UPDATE SET workday = excluded.workday, note = excluded.note,"
		      " source = 'override'",
		      "sis", date, (int64_t)(workday != 0), note ? note : "");
}

int calendar_set(struct ctx *x, const char *date, int workday, const char *note, struct err *e)
{
	day_t d;
	if (date_parse(date, &d) != 0)
		return err_field(e, "date", "日期无效：%s", date);
	int rc = set_override(x, date, workday, note, e);
	if (!rc)
		rc = audit_add(x, "set", "calendar", 0, 0, e, "设定 %s 为%s%s%s", date,
			       workday ? "工作日" : "休息日", note && *note ? "：" : "", note ? note : "");
	return rc;
}

/* --- the statutory data -------------------------------------------------------------- */

/* Every shipped file, parsed (strict).  A shipped file that does not parse
 * is a defect of the build (tests/unit/test_calfile.c reads them all). */
static int shipped(struct ctx *x, struct calfile **files, int *n, struct err *e)
{
	int count = 0;
	while (calendars[count].name)
		count++;
	*files = arena_alloc(x->a, sizeof **files * (size_t)(count + 1));
	*n = count;
	for (int i = 0; i < count; i++)
		if (calfile_parse(calendars[i].data, calendars[i].size, x->a, 1, &(*files)[i]) != 0) {
			const struct calfile_error *er = &(*files)[i].errors[0];
			int rc = err_set(e, E_INTERNAL, "程序自带的工作日历 %s 第 %d 行有误：%s", calendars[i].name,
					 er->row, er->message);
			for (int k = 0; k <= i; k++)
				calfile_free(&(*files)[k]);
			return rc;
		}
	return 0;
}

static int year_is_statutory(struct ctx *x, int y, int *yes, struct err *e)
{
	int64_t n = 0;
	int rc = db_int(x->db, e, &n, NULL,
			"SELECT COUNT(*) FROM calendar_years WHERE year = ? AND source = 'statutory'", "i", (int64_t)y);
	*yes = n > 0;
	return rc;
}

static const char *append_year(struct ctx *x, const char *list, int y)
{
	return list ? arena_printf(x->a, "%s、%d", list, y) : arena_printf(x->a, "%d", y);
}

int calendar_statutory_sync(struct ctx *x, const char **years, struct err *e)
{
	struct calfile *files;
	int nf, rc = shipped(x, &files, &nf, e);
	const char *list = NULL;
	calendar_forget(x);
	for (int f = 0; !rc && f < nf; f++) {
		const struct calfile *cf = &files[f];
		for (int yi = 0; !rc && yi < cf->nyears; yi++) {
			int y = cf->years[yi].year, have = 0, days = 0;
			if ((rc = year_is_statutory(x, y, &have, e)) || have)
				continue;
			int was = year_known(x, y); /* read before any change: the cache */
			for (int i = 0; !rc && i < cf->ndays; i++) {
				const struct calfile_day *d = &cf->days[i];
				int dy;
				date_to_ymd(d->date, &dy, &(int){0}, &(int){0});
				if (dy != y)
					continue;
				char ds[11];
				date_format(d->date, ds);
				/* under an admin's override only the notice's own value is kept */
				rc = db_run(x->db, e,
					    "INSERT INTO calendar (date, workday, note, source, statutory_workday, statutory_note)"
					    " VALUES (?, ?, ?, 'statutory', ?, ?) ON CONFLICT (date) DO UPDATE SET"
					    " statutory_workday = excluded.statutory_workday, statutory_note = excluded.statutory_note",
					    "sisis", ds, (int64_t)d->workday, d->note, (int64_t)d->workday, d->note);
				days++;
			}
			if (!rc)
				rc = db_run(x->db, e,
					    "INSERT INTO calendar_years (year, notice, source, loaded_at) VALUES (?, ?, 'statutory', ?)"
					    " ON CONFLICT (year) DO UPDATE SET notice = excluded.notice, source = 'statutory',"
					    " loaded_at = excluded.loaded_at",
					    "iss", (int64_t)y, cf->years[yi].notice, x->now_s);
			if (!rc)
				rc = audit_add(x, "load", "calendar", 0, 0, e, "载入 %d 年法定节假日安排（%d 天）：%s", y, days,
					       cf->years[yi].notice);
			if (!rc && !was)
				rc = recompute(x, y, e);
			if (!rc)
				list = append_year(x, list, y);
		}
	}
	for (int f = 0; f < nf; f++)
		calfile_free(&files[f]);
	calendar_forget(x);
	if (years)
		*years = rc ? NULL : list;
	return rc;
}

int calendar_unloaded(struct ctx *x, const char **years, struct err *e)
{
	struct calfile *files;
	int nf, rc = shipped(x, &files, &nf, e);
	const char *list = NULL;
	for (int f = 0; !rc && f < nf; f++)
		for (int yi = 0; !rc && yi < files[f].nyears; yi++) {
			int have = 0;
			if (!(rc = year_is_statutory(x, files[f].years[yi].year, &have, e)) && !have)
				list = append_year(x, list, files[f].years[yi].year);
		}
	for (int f = 0; f < nf; f++)
		calfile_free(&files[f]);
	*years = rc ? NULL : list;
	return rc;
}

/* --- import ------------------------------------------------------------------------------ */

static int import_refused(struct calfile *f, struct err *e)
{
	json_t *errs = json_array();
	for (int i = 0; i < f->nerrors; i++)
		json_array_append_new(errs, json_pack("{s:i, s:s}", "row", f->errors[i].row, "message",
						      f->errors[i].message));
	int n = f->nerrors + f->dropped;
	const struct calfile_error *first = &f->errors[0];
	int rc;
	if (n == 1 && first->row > 0)
		rc = err_set(e, E_VALIDATION_FAILED, "工作日历文件第 %d 行：%s；未导入任何一天", first->row,
			     first->message);
	else if (n == 1)
		rc = err_set(e, E_VALIDATION_FAILED, "工作日历文件有误：%s；未导入任何一天", first->message);
	else
		rc = err_set(e, E_VALIDATION_FAILED, "工作日历文件有 %d 处错误（第一处在第 %d 行：%s），未导入任何一天", n,
			     first->row, first->message);
	json_decref(e->details);
	e->details = json_pack("{s:o, s:i}", "errors", errs, "error_count", n);
	return rc;
}

int calendar_import(struct ctx *x, const void *buf, size_t len, const char *path, json_t **answer,
		    struct err *e)
{
	*answer = NULL;
	struct sheet s = {0};
	struct calfile f;
	calfile_begin(&f, x->a, 0);
	int bad = path ? sheet_read_file(path, SHEET_AUTO, &s) : sheet_read(buf, len, SHEET_AUTO, &s);
	if (bad)
		calfile_error(&f, s.err_row, "%s", s.err);
	else
		for (int i = 0; i < s.nrows; i++)
			calfile_row(&f, &s.rows[i], s.date1904);
	sheet_free(&s);
	calfile_end(&f);
	int rc = 0;
	if (f.nerrors || f.dropped) {
		rc = import_refused(&f, e);
		calfile_free(&f);
		return rc;
	}
	json_t *years = json_array();
	calendar_forget(x);
	int *fresh = arena_alloc(x->a, sizeof(int) * (size_t)(f.nyears + 1));
	for (int i = 0; i < f.nyears; i++) /* before any change: the cache */
		fresh[i] = !year_known(x, f.years[i].year);
	for (int i = 0; !rc && i < f.ndays; i++) {
		char ds[11];
		date_format(f.days[i].date, ds);
		rc = set_override(x, ds, f.days[i].workday, f.days[i].note, e);
	}
	/* a year row makes its year known; a shipped year keeps its notice */
	for (int i = 0; !rc && i < f.nyears; i++) {
		rc = db_run(x->db, e,
			    "INSERT INTO calendar_years (year, notice, source, loaded_at) VALUES (?, ?, 'override', ?)"
			    " ON CONFLICT (year) DO UPDATE SET notice = excluded.notice, loaded_at = excluded.loaded_at"
			    " WHERE calendar_years.source = 'override'",
			    "iss", (int64_t)f.years[i].year, f.years[i].notice, x->now_s);
		json_array_append_new(years, json_integer(f.years[i].year));
	}
	char from[11] = "", to[11] = "";
	if (f.ndays) {
		date_format(f.days[0].date, from);
		date_format(f.days[f.ndays - 1].date, to);
	}
	if (!rc)
		rc = audit_add(x, "import", "calendar", 0, 0, e, "导入工作日历：%d 天%s%s%s%s%s", f.ndays,
			       f.ndays ? "（" : "", from, f.ndays ? " 至 " : "", to, f.ndays ? "）" : "");
	calendar_forget(x);
	for (int i = 0; !rc && i < f.nyears; i++)
		if (fresh[i])
			rc = recompute(x, f.years[i].year, e);
	if (!rc)
		*answer = json_pack("{s:i, s:O, s:s?, s:s?}", "days", f.ndays, "years", years, "from",
				    f.ndays ? from : NULL, "to", f.ndays ? to : NULL);
	json_decref(years);
	calfile_free(&f);
	return rc;
}

/* --- HTTP --------------------------------------------------------------------------------- */

/* GET /calendar?year= → the year's days in force (statutory and
 * overrides), each with its source, and the year's notice. */
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
				 "SELECT date, workday, note, source, statutory_workday, statutory_note FROM calendar"
				 " WHERE date LIKE ? ORDER BY date",
				 "s", like);
	json_t *items = s ? db_rows_json(s, &r->err) : NULL;
	db_finalize(s);
	if (!items)
		return -E_DB;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		day_t d = 0;
		date_parse(json_string_value(json_object_get(it, "date")), &d);
		json_object_set_new(it, "workday", json_boolean(json_integer_value(json_object_get(it, "workday"))));
		json_object_set_new(it, "weekday", json_integer(date_weekday(d)));
		json_t *sw = json_object_get(it, "statutory_workday");
		if (json_is_integer(sw))
			json_object_set_new(it, "statutory",
					    json_pack("{s:b, s:s}", "workday", (int)json_integer_value(sw), "note",
						      json_string_value(json_object_get(it, "statutory_note"))
							      ? json_string_value(json_object_get(it, "statutory_note"))
							      : ""));
		json_object_del(it, "statutory_workday");
		json_object_del(it, "statutory_note");
	}
	json_t *out = json_pack("{s:o, s:I, s:I}", "items", items, "total", (json_int_t)json_array_size(items), "year",
				(json_int_t)year);
	s = db_q(r->x.db, &r->err, "SELECT notice, source FROM calendar_years WHERE year = ?", "i", year);
	if (!s) {
		json_decref(out);
		return -E_DB;
	}
	if ((rc = db_step(s, &r->err)) == DB_ROW) {
		json_object_set_new(out, "notice", json_string(db_col_text(s, 0)));
		json_object_set_new(out, "notice_source", json_string(db_col_text(s, 1)));
	} else {
		json_object_set_new(out, "notice", json_null());
		json_object_set_new(out, "notice_source", json_null());
	}
	db_finalize(s);
	if (rc < 0) {
		json_decref(out);
		return rc;
	}
	json_object_set_new(out, "known", json_boolean(rc == DB_ROW));
	const char *msg;
	int missing;
	if ((rc = calendar_missing(&r->x, &msg, &missing, &r->err))) {
		json_decref(out);
		return rc;
	}
	json_object_set_new(out, "warning", msg ? json_string(msg) : json_null());
	return req_reply(r, 200, out);
}

int calendar_h_put(struct req *r)
{
	const char *date = r->param[0], *note = body_str(r, "note");
	int wd = body_bool(r, "workday", 0);
	int rc = calendar_set(&r->x, date, wd, note, &r->err);
	if (rc)
		return rc;
	return req_reply(r, 200, json_pack("{s:s,s:b,s:s,s:s}", "date", date, "workday", wd, "note",
					   note ? note : "", "source", "override"));
}

/* DELETE /calendar/{date}: removes an admin's override; the notice's own
 * value of that day, if it has one, is in force again. */
int calendar_h_delete(struct req *r)
{
	day_t d;
	if (date_parse(r->param[0], &d) != 0)
		return err_field(&r->err, "date", "日期无效：%s", r->param[0]);
	struct db_stmt *s = db_q(r->x.db, &r->err,
				 "SELECT source, statutory_workday FROM calendar WHERE date = ?", "s", r->param[0]);
	if (!s)
		return -E_DB;
	int rc = db_step(s, &r->err), found = rc == DB_ROW, override = 0, statutory = 0;
	if (found) {
		override = db_col_text(s, 0) && !strcmp(db_col_text(s, 0), "override");
		statutory = !db_col_is_null(s, 1);
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	if (!found || !override)
		return err_set(&r->err, E_NOT_FOUND, found ? "该日期是法定节假日安排，没有管理员的调整可删除（如需改动请设定该日）"
							   : "该日期没有调整记录");
	if (statutory)
		rc = db_run(r->x.db, &r->err,
			    "UPDATE calendar SET workday = statutory_workday, note = COALESCE(statutory_note, ''),"
			    " source = 'statutory' WHERE date = ?",
			    "s", r->param[0]);
	else
		rc = db_run(r->x.db, &r->err, "DELETE FROM calendar WHERE date = ?", "s", r->param[0]);
	if (!rc)
		rc = audit_add(&r->x, "delete", "calendar", 0, 0, &r->err, "取消 %s 的工作日调整%s", r->param[0],
			       statutory ? "，恢复法定节假日安排" : "");
	if (!rc)
		r->status = 204;
	return rc;
}

/* GET /calendar/workdays?from=&add=N → {"date","provisional"}; ?from=&to= → {"workdays"} */
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
		return req_reply(r, 200, json_pack("{s:s,s:s,s:i,s:b}", "from", fs, "to", ts, "workdays",
						   wd_between(&cal, from, to), "provisional",
						   calendar_provisional(&r->x, fs) || calendar_provisional(&r->x, ts)));
	}
	int64_t add;
	if ((rc = req_query_int(r, "add", 1, 1, 3650, &add)))
		return rc;
	char out[11];
	date_format(wd_add_workdays(&cal, from, (int)add), out);
	return req_reply(r, 200, json_pack("{s:s,s:I,s:s,s:b}", "from", fs, "add", (json_int_t)add, "date", out,
					   "provisional", calendar_provisional(&r->x, out)));
}

/* POST /imports/calendar — the file as the body (text/csv or the xlsx
 * type) or as multipart field `file`. */
int calendar_h_import(struct req *r)
{
	struct mp_part part;
	int rc = req_file(r, "工作日历", &part);
	json_t *answer = NULL;
	if (!rc)
		rc = calendar_import(&r->x, part.data, part.len, NULL, &answer, &r->err);
	return rc ? rc : req_reply(r, 200, answer);
}
