/* calfile — see calfile.h (RULE calendar.file). */
#include "rules/calfile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules/utf8.h"

void calfile_begin(struct calfile *f, struct arena *a, int strict)
{
	memset(f, 0, sizeof *f);
	f->a = a;
	f->strict = strict;
}

void calfile_free(struct calfile *f)
{
	free(f->days);
	free(f->years);
	f->days = NULL;
	f->years = NULL;
	f->ndays = f->dcap = f->nyears = f->ycap = 0;
}

void calfile_error(struct calfile *f, int row, const char *fmt, ...)
{
	if (f->nerrors == CALFILE_MAX_ERRORS) {
		f->dropped++;
		return;
	}
	char buf[320];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	utf8_repair(buf);
	f->errors[f->nerrors++] = (struct calfile_error){row, arena_strdup(f->a, buf)};
}

/* The cell's text without the spaces around it (arena). */
static const char *cell(struct calfile *f, const struct sheet_row *r, int col)
{
	const char *s = sheet_cell(r, col);
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return arena_strndup(f->a, s, n);
}

static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* min_digits..max_digits ASCII digits at *p (advanced past them) → their
 * value, -1 when there are fewer. */
static int number(const char **p, int min_digits, int max_digits)
{
	int v = 0, n = 0;
	while (**p >= '0' && **p <= '9' && n < max_digits) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n >= min_digits ? v : -1;
}

/* "2027-01-01", "2027-1-1", "2027/1/1", or an Excel date → *d. */
static int parse_date(const struct sheet_row *r, const char *s, int date1904, day_t *d)
{
	if (sheet_kind(r, 0) == CELL_NUMBER) {
		char iso[11];
		return sheet_serial_date(s, date1904, iso) == 0 && date_parse(iso, d) == 0 ? 0 : -1;
	}
	const char *p = s;
	int y = number(&p, 4, 4);
	char sep = *p;
	if (y < 0 || (sep != '-' && sep != '/'))
		return -1;
	p++;
	int m = number(&p, 1, 2);
	if (m < 0 || *p != sep)
		return -1;
	p++;
	int dd = number(&p, 1, 2);
	if (dd < 0 || *p || y < 1900 || y > 2999)
		return -1;
	return date_from_ymd(y, m, dd, d);
}

static int parse_workday(const char *s)
{
	static const char *const yes[] = {"1", "true", "是", "上班", "班", "工作日", NULL};
	static const char *const no[] = {"0", "false", "否", "休息", "休", "休息日", "放假", NULL};
	for (int i = 0; yes[i]; i++)
		if (!strcasecmp(s, yes[i]))
			return 1;
	for (int i = 0; no[i]; i++)
		if (!strcasecmp(s, no[i]))
			return 0;
	return -1;
}

int calfile_has_year(const struct calfile *f, int y)
{
	for (int i = 0; i < f->nyears; i++)
		if (f->years[i].year == y)
			return 1;
	return 0;
}

/* Room for one more element in *arr (n used of *cap); 1 when memory ran
 * out (an error of the row). */
static int grow(struct calfile *f, void **arr, int n, int *cap, size_t size, int row)
{
	if (n < *cap)
		return 0;
	int ncap = *cap ? *cap * 2 : 64;
	void *p = realloc(*arr, (size_t)ncap * size);
	if (!p) {
		calfile_error(f, row, "内存不足");
		return 1;
	}
	*arr = p;
	*cap = ncap;
	return 0;
}

/* Cells past the third with something in them: an error of the row. */
static int extra_cells(struct calfile *f, const struct sheet_row *r)
{
	for (int c = 3; c < r->ncells; c++)
		if (*cell(f, r, c)) {
			calfile_error(f, r->row, "第 %d 列多出内容：每行只有 日期,是否工作日,说明 三列"
				      "（说明中有逗号时请用英文双引号把说明括起来）", c + 1);
			return 1;
		}
	return 0;
}

static void year_row(struct calfile *f, const struct sheet_row *r)
{
	const char *ys = cell(f, r, 1), *notice = cell(f, r, 2), *p = ys;
	int y = number(&p, 4, 4);
	if (extra_cells(f, r))
		return;
	if (y < 1900 || y > 2999 || *p) {
		calfile_error(f, r->row, "年份“%s”无效：year 行应写作 year,年份,通知名称与文号", ys);
		return;
	}
	if (!*notice) {
		calfile_error(f, r->row, "%d 年缺少通知名称与文号（year,%d,国务院办公厅关于%d年部分节假日安排的通知……）",
			      y, y, y);
		return;
	}
	if (chars(notice) > CALFILE_NOTICE_MAX) {
		calfile_error(f, r->row, "通知名称过长（至多 %d 个字）", CALFILE_NOTICE_MAX);
		return;
	}
	for (int i = 0; i < f->nyears; i++)
		if (f->years[i].year == y) {
			calfile_error(f, r->row, "%d 年已在第 %d 行写过", y, f->years[i].row);
			return;
		}
	if (grow(f, (void **)&f->years, f->nyears, &f->ycap, sizeof *f->years, r->row))
		return;
	f->years[f->nyears++] = (struct calfile_year){y, notice, r->row};
}

static void day_row(struct calfile *f, const struct sheet_row *r, int date1904)
{
	const char *ds = cell(f, r, 0), *ws = cell(f, r, 1), *note = cell(f, r, 2);
	day_t d;
	if (extra_cells(f, r))
		return;
	if (parse_date(r, ds, date1904, &d) != 0) {
		calfile_error(f, r->row, "日期“%s”无效：应为 YYYY-MM-DD 格式的真实日期", ds);
		return;
	}
	int w = parse_workday(ws);
	if (w < 0) {
		calfile_error(f, r->row, "是否工作日“%s”无效：应为 1（上班）或 0（休息）", ws);
		return;
	}
	if (chars(note) > CALFILE_NOTE_MAX) {
		calfile_error(f, r->row, "说明过长（至多 %d 个字）", CALFILE_NOTE_MAX);
		return;
	}
	int y;
	date_to_ymd(d, &y, &(int){0}, &(int){0});
	if (f->strict && !calfile_has_year(f, y)) {
		calfile_error(f, r->row, "%d 年的日期之前缺少 year,%d,通知名称与文号 一行", y, y);
		return;
	}
	if (grow(f, (void **)&f->days, f->ndays, &f->dcap, sizeof *f->days, r->row))
		return;
	f->days[f->ndays++] = (struct calfile_day){d, w, note, r->row};
}

void calfile_row(struct calfile *f, const struct sheet_row *r, int date1904)
{
	const char *c0 = cell(f, r, 0);
	if (c0[0] == '#')
		return;
	if (!f->rows && (!strcasecmp(c0, "date") || !strcmp(c0, "日期")))
		return; /* the header */
	f->rows++;
	if (!strcasecmp(c0, "year") || !strcmp(c0, "年度"))
		year_row(f, r);
	else
		day_row(f, r, date1904);
}

static int by_date(const void *a, const void *b)
{
	const struct calfile_day *x = a, *y = b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return x->row - y->row;
}

static int by_row(const void *a, const void *b)
{
	const struct calfile_error *x = a, *y = b;
	return x->row - y->row;
}

void calfile_end(struct calfile *f)
{
	if (f->ndays > 1)
		qsort(f->days, (size_t)f->ndays, sizeof *f->days, by_date);
	for (int i = 1; i < f->ndays; i++)
		if (f->days[i].date == f->days[i - 1].date) {
			char ds[11];
			date_format(f->days[i].date, ds);
			int first = f->days[i - 1].row;
			for (int k = i - 1; k > 0 && f->days[k - 1].date == f->days[i].date; k--)
				first = f->days[k - 1].row;
			calfile_error(f, f->days[i].row, "日期 %s 重复：第 %d 行已写过这一天", ds, first);
		}
	if (!f->rows && !f->nerrors)
		calfile_error(f, 0, "文件中没有日期：每行应为 日期,是否工作日,说明");
	if (f->nerrors > 1)
		qsort(f->errors, (size_t)f->nerrors, sizeof *f->errors, by_row);
}

int calfile_parse(const void *buf, size_t len, struct arena *a, int strict, struct calfile *f)
{
	calfile_begin(f, a, strict);
	struct sheet s = {0};
	if (sheet_read(buf, len, SHEET_AUTO, &s) != 0)
		calfile_error(f, s.err_row, "%s", s.err);
	for (int i = 0; i < s.nrows; i++)
		calfile_row(f, &s.rows[i], s.date1904);
	calfile_end(f);
	sheet_free(&s);
	return f->nerrors || f->dropped ? -1 : 0;
}
