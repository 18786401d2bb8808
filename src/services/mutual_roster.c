/* mutual_roster.c — POST /mutual-aid/plans/{id}/enrolments/import: the
 * enrolment list as a roster file (CSV in UTF-8 or GB18030, or XLSX, read
 * by rules/sheet.h as the household import reads its census), columns
 * 姓名, 身份证号, 联系电话.  Answered like the household import: errors by
 * row, nothing enrolled while there is one, a dry run enrols nothing. */
#include <string.h>

#include "rules/multipart.h"
#include "services/import.h"
#include "services/mutual_aid.h"

#define ROSTER_MAX_ERRORS 200

enum { COL_NAME, COL_ID, COL_PHONE, COL__MAX };
static const char *const headers[COL__MAX] = {"姓名", "身份证号", "联系电话"};

struct roster {
	json_t *errors;
	int nerr, dropped;
};

static void add_error(struct roster *ro, int row, const char *column, const char *msg)
{
	if (ro->nerr >= ROSTER_MAX_ERRORS) {
		ro->dropped++;
		return;
	}
	ro->nerr++;
	json_array_append_new(ro->errors, json_pack("{s:i,s:s,s:s}", "row", row, "column", column, "message", msg));
}

static void report_row(void *arg, const struct ma_person *p, int i, const char *field, enum err_code code,
		       const char *msg)
{
	(void)i;
	(void)code;
	add_error(arg, p->row, !strcmp(field, "name") ? headers[COL_NAME] : headers[COL_ID], msg);
}

/* The cell's text without surrounding blanks, trimmed where it lies (the
 * reader frees it after the row); "" past the row's end. */
static const char *trimmed(const struct sheet_row *r, int col)
{
	if (col < 0 || col >= r->ncells || !r->cells[col].text)
		return "";
	char *s = r->cells[col].text;
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	s[n] = 0;
	return s;
}

/* The header row: each known column once, 姓名 and 身份证号 present. */
static int read_header(struct roster *ro, const struct sheet_row *h, int col[COL__MAX])
{
	int ok = 1;
	for (int c = 0; c < COL__MAX; c++)
		col[c] = -1;
	for (int i = 0; i < h->ncells; i++) {
		const char *t = sheet_cell(h, i);
		int c = 0;
		while (c < COL__MAX && strcmp(t, headers[c]))
			c++;
		if (!*t)
			continue;
		if (c == COL__MAX) {
			add_error(ro, h->row, t, "未知的列（应为 姓名、身份证号、联系电话）");
			ok = 0;
		} else if (col[c] >= 0) {
			add_error(ro, h->row, t, "列重复");
			ok = 0;
		} else {
			col[c] = i;
		}
	}
	for (int c = 0; c < COL_PHONE; c++)
		if (col[c] < 0) {
			add_error(ro, h->row, headers[c], "缺少此列");
			ok = 0;
		}
	return ok;
}

/* The rows as the reader streams them (sheet.h's sink), three times over
 * the same body: first the header and the cells no person can come from
 * (errors of the file), then each person checked (ma_run_check keeps 16
 * bytes of them), then, when all is well, each person written (CHUNK rows
 * an INSERT).  No pass holds more than one row of the file. */
enum pass { P_FILE, P_CHECK, P_WRITE };
struct take {
	struct roster *ro;
	struct ma_run *run;
	struct err *e;
	enum pass pass;
	int col[COL__MAX], header_ok, seen_header, rc;
	int n;
};

static int take_row(void *arg, const struct sheet *s, const struct sheet_row *row)
{
	(void)s;
	struct take *t = arg;
	if (!t->seen_header) {
		t->seen_header = 1;
		if (t->pass == P_FILE)
			t->header_ok = read_header(t->ro, row, t->col);
		return 0;
	}
	if (!t->header_ok)
		return 0;
	if (sheet_kind(row, t->col[COL_ID]) == CELL_NUMBER) {
		if (t->pass == P_FILE)
			add_error(t->ro, row->row, headers[COL_ID], "身份证号应为文本格式（数字格式会丢失末位）");
		return 0;
	}
	if (t->pass == P_FILE) {
		t->n++;
		return 0;
	}
	struct ma_person p = {trimmed(row, t->col[COL_NAME]), trimmed(row, t->col[COL_ID]),
			      t->col[COL_PHONE] >= 0 ? trimmed(row, t->col[COL_PHONE]) : NULL, row->row};
	if (t->pass == P_CHECK)
		return ma_run_check(t->run, &p);
	return (t->rc = ma_run_write(t->run, &p, t->e)) ? -1 : 0;
}

/* One pass of the reader over the body; 0, or -1 with s->err or s->stopped. */
static int read_pass(const struct mp_part *part, struct take *t, enum pass pass, struct sheet *s)
{
	*s = (struct sheet){.sink = take_row, .sink_arg = t};
	t->pass = pass;
	t->seen_header = 0;
	int rc = sheet_read(part->data, part->len,
			    import_format_of(part->content_type, part->filename[0] ? part->filename : NULL), s);
	sheet_free(s);
	return rc;
}

int ma_h_enrol_import(struct req *r)
{
	struct ctx *x = &r->x;
	int64_t org = 0, account = 0;
	int dry = 0;
	int rc = req_query_int(r, "org_id", 0, 1, INT64_MAX, &org);
	if (!rc)
		rc = req_query_int(r, "account_id", 0, 1, INT64_MAX, &account);
	if (!rc)
		rc = import_query_flag(r, "dry_run", &dry);
	if (!rc && !org)
		rc = err_field(&r->err, "org_id", "请用 org_id 指定参保单位");
	if (rc)
		return rc;
	struct mp_part part;
	if ((rc = req_file(r, "参保名单", &part)))
		return rc;
	struct sheet s;
	struct roster ro = {.errors = json_array()};
	struct ma_run run = {0};
	struct take t = {.ro = &ro, .run = &run, .e = &r->err};
	if (read_pass(&part, &t, P_FILE, &s)) {
		add_error(&ro, s.err_row, "", s.stopped ? "内存不足" : s.err);
	} else if (!t.seen_header) {
		add_error(&ro, 1, "", "文件为空");
	} else if (t.header_ok && !t.n && !ro.nerr) {
		add_error(&ro, 2, "", "名单中没有人员");
	}
	int n = t.header_ok ? t.n : 0;
	const char *paid_by = req_query(r, "paid_by");
	struct ma_enrol_opts o = {.plan_id = r->id, .org_id = org, .account_id = account,
				  .paid_by = paid_by ? paid_by : "member", .dry_run = dry || ro.nerr, .rows = 1};
	int64_t enrolled = 0;
	if (n && !(rc = ma_run_start(&run, x, &o, report_row, &ro, &r->err))) {
		/* the rows the first pass counted, as far as it got */
		if (read_pass(&part, &t, P_CHECK, &s) && s.stopped)
			rc = err_set(&r->err, E_INTERNAL, "内存不足");
		if (!rc)
			rc = ma_run_verify(&run, &r->err);
		if (!rc && !o.dry_run) {
			if (read_pass(&part, &t, P_WRITE, &s))
				rc = t.rc ? t.rc : err_set(&r->err, E_INTERNAL, "参保名单在两次读取之间不一致");
			if (!rc)
				rc = ma_run_finish(&run, &r->err);
		}
		if (!rc)
			enrolled = n;
	}
	ma_run_free(&run);
	if (ro.nerr || ro.dropped || (rc && json_array_size(ro.errors))) {
		if (ro.dropped) {
			char m[96];
			snprintf(m, sizeof m, "另有 %d 处错误未列出", ro.dropped);
			json_array_append_new(ro.errors, json_pack("{s:i,s:s,s:s}", "row", 0, "column", "", "message", m));
		}
		err_clear(&r->err);
		err_set(&r->err, E_VALIDATION_FAILED, "参保名单有 %d 处错误，未登记任何人员", ro.nerr + ro.dropped);
		r->err.details = json_pack("{s:b,s:i,s:i,s:o}", "dry_run", dry, "people", n, "enrolled", 0, "errors",
					   ro.errors);
		return -E_VALIDATION_FAILED;
	}
	json_decref(ro.errors);
	if (rc)
		return rc;
	return req_reply(r, 200, json_pack("{s:b,s:i,s:I,s:[]}", "dry_run", dry, "people", n, "enrolled",
					   (json_int_t)(dry ? 0 : enrolled), "errors"));
}
