/* xlsx_list.c — lists as workbooks (streamed in libxlsxwriter's
 * constant_memory mode: a row is on disk once written, so a list of a
 * million archives costs no more memory than one of ten), the import
 * template, and the temporary files the HTTP answers go through. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "render/xlsx_out.h"

#define XLSX_MAX_ROWS 1048576 /* Excel's limit */
#define LIST_HEAD_ROWS 3           /* title, note, header */

struct xlsx_list {
	FILE *csv;           /* a CSV list instead of a workbook */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	const struct xlsx_col *cols;
	int ncols;
	int row;
	lxw_format *text, *num, *fen;
	char *path;
};

static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static lxw_format *head_format(lxw_workbook *wb)
{
	lxw_format *f = workbook_add_format(wb);
	format_set_bold(f);
	format_set_border(f, LXW_BORDER_THIN);
	format_set_align(f, LXW_ALIGN_CENTER);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	format_set_text_wrap(f);
	format_set_bg_color(f, 0xDDEBF7);
	return f;
}

static lxw_format *num_format(lxw_workbook *wb, const char *num)
{
	lxw_format *f = workbook_add_format(wb);
	format_set_num_format(f, num);
	return f;
}

struct xlsx_list *xlsx_list_open(const char *path, const char *sheet, const char *title,
				 const char *note, const struct xlsx_col *cols, int ncols, struct err *e)
{
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = getenv("TMPDIR")};
	struct xlsx_list *l = calloc(1, sizeof *l);
	if (!l || !(l->wb = workbook_new_opt(path, &opt)) || !(l->ws = workbook_add_worksheet(l->wb, sheet))) {
		if (l && l->wb)
			workbook_close(l->wb);
		free(l);
		err_set(e, E_INTERNAL, "无法创建 Excel 文件");
		return NULL;
	}
	l->cols = cols;
	l->ncols = ncols;
	l->path = strdup(path);
	l->text = num_format(l->wb, "@");
	l->num = num_format(l->wb, "0");
	l->fen = num_format(l->wb, "#,##0.00");
	lxw_format *tf = workbook_add_format(l->wb), *head = head_format(l->wb);
	format_set_bold(tf);
	format_set_font_size(tf, 14);
	worksheet_set_row(l->ws, 0, 24, NULL);
	worksheet_write_string(l->ws, 0, 0, title, tf);
	if (note)
		worksheet_write_string(l->ws, 1, 0, note, NULL);
	for (int i = 0; i < ncols; i++) {
		double w = cols[i].width ? cols[i].width : (double)chars(cols[i].header) * 2.0 + 4.0;
		worksheet_set_column(l->ws, i, i, w, NULL);
		worksheet_write_string(l->ws, 2, i, cols[i].header, head);
	}
	worksheet_freeze_panes(l->ws, LIST_HEAD_ROWS, 0);
	l->row = LIST_HEAD_ROWS;
	return l;
}

/* Labels of an array of codes joined by 、. */
static void join_labels(json_t *arr, const char *(*label)(const char *), char *buf, size_t n)
{
	size_t used = 0, i;
	json_t *v;
	buf[0] = 0;
	json_array_foreach(arr, i, v) {
		const char *c = json_string_value(v);
		const char *t = c && label ? label(c) : c;
		int k = snprintf(buf + used, n - used, "%s%s", used ? "、" : "", t ? t : "");
		if (k < 0 || (size_t)k >= n - used)
			break;
		used += (size_t)k;
	}
}

/* A cell as text (CSV): money as yuan with two decimals, labels, 是/否. */
static const char *cell_text(const struct xlsx_col *c, json_t *v, char *buf, size_t n)
{
	const char *s = json_string_value(v);
	long long i = json_integer_value(v);
	switch (c->kind) {
	case XK_INT:
		snprintf(buf, n, "%lld", i);
		return buf;
	case XK_FEN:
		snprintf(buf, n, "%s%lld.%02lld", i < 0 ? "-" : "", (i < 0 ? -i : i) / 100, (i < 0 ? -i : i) % 100);
		return buf;
	case XK_BOOL:
		return json_is_true(v) ? "是" : "否";
	case XK_LIST:
		join_labels(v, c->label, buf, n);
		return buf;
	case XK_LABEL:
		if (s && c->label && c->label(s))
			return c->label(s);
		/* fall through */
	case XK_TEXT:
		if (!s)
			snprintf(buf, n, "%lld", i);
		return s ? s : buf;
	}
	return "";
}

/* One CSV field: quoted when needed; a leading = + - @ (or tab, CR) gets
 * an apostrophe so that a spreadsheet does not run it as a formula. */
static void csv_field(FILE *f, const char *s)
{
	int lead = strchr("=+-@\t\r", *s) && *s;
	int quote = lead || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		fputc('"', f);
	if (lead)
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	if (quote)
		fputc('"', f);
}

struct xlsx_list *csv_list_open(const char *path, const struct xlsx_col *cols, int ncols, struct err *e)
{
	struct xlsx_list *l = calloc(1, sizeof *l);
	if (!l || !(l->csv = fopen(path, "wb"))) {
		free(l);
		err_set(e, E_INTERNAL, "无法创建文件 %s：%s", path, strerror(errno));
		return NULL;
	}
	l->cols = cols;
	l->ncols = ncols;
	fputs("\xEF\xBB\xBF", l->csv);
	for (int i = 0; i < ncols; i++) {
		if (i)
			fputc(',', l->csv);
		csv_field(l->csv, cols[i].header);
	}
	fputs("\r\n", l->csv);
	return l;
}

static void csv_row(struct xlsx_list *l, json_t *row)
{
	char buf[1024];
	for (int i = 0; i < l->ncols; i++) {
		json_t *v = json_object_get(row, l->cols[i].key);
		if (i)
			fputc(',', l->csv);
		if (v && !json_is_null(v))
			csv_field(l->csv, cell_text(&l->cols[i], v, buf, sizeof buf));
	}
	fputs("\r\n", l->csv);
}

int xlsx_list_row(struct xlsx_list *l, json_t *row, struct err *e)
{
	if (l->csv) {
		csv_row(l, row);
		return 0;
	}
	if (l->row >= XLSX_MAX_ROWS)
		return err_set(e, E_VALIDATION_FAILED, "记录超过 Excel 一张工作表的上限（%d 行），请加筛选条件分批导出",
			       XLSX_MAX_ROWS - LIST_HEAD_ROWS);
	char buf[1024];
	for (int i = 0; i < l->ncols; i++) {
		const struct xlsx_col *c = &l->cols[i];
		json_t *v = json_object_get(row, c->key);
		if (!v || json_is_null(v))
			continue;
		if (c->kind == XK_INT || c->kind == XK_FEN)
			worksheet_write_number(l->ws, l->row, i,
					       json_number_value(v) / (c->kind == XK_FEN ? 100.0 : 1.0),
					       c->kind == XK_FEN ? l->fen : l->num);
		else
			worksheet_write_string(l->ws, l->row, i, cell_text(c, v, buf, sizeof buf), l->text);
	}
	l->row++;
	return 0;
}

int xlsx_list_close(struct xlsx_list *l, struct err *e)
{
	if (!l)
		return 0;
	int rc = 0;
	if (l->csv) {
		if (fclose(l->csv))
			rc = err_set(e, E_INTERNAL, "写入文件失败：%s", strerror(errno));
	} else {
		lxw_error x = workbook_close(l->wb);
		if (x != LXW_NO_ERROR)
			rc = err_set(e, E_INTERNAL, "生成 Excel 文件失败：%s", lxw_strerror(x));
		else
			rc = l->path ? xlsx_exact_numbers(l->path, e) : err_set(e, E_INTERNAL, "内存不足");
	}
	free(l->path);
	free(l);
	return rc;
}

/* --- the import template --------------------------------------------------- */

static int col_of(const struct xlsx_template *t, const char *header)
{
	for (int i = 0; t->headers[i]; i++)
		if (!strcmp(t->headers[i], header))
			return i;
	return -1;
}

#define TEMPLATE_ROWS 2000 /* rows the drop-downs cover */

int xlsx_import_template(const struct xlsx_template *t, const char *path, struct err *e)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return err_set(e, E_INTERNAL, "无法创建 Excel 文件");
	lxw_worksheet *ws = workbook_add_worksheet(wb, t->sheet);
	lxw_worksheet *help = workbook_add_worksheet(wb, "填表说明");
	lxw_format *head = head_format(wb), *text = num_format(wb, "@");
	int ncols = 0;
	while (t->headers[ncols])
		ncols++;
	for (int i = 0; i < ncols; i++) {
		int is_text = 0;
		for (int k = 0; t->text_cols && t->text_cols[k]; k++)
			is_text |= !strcmp(t->text_cols[k], t->headers[i]);
		double w = (double)chars(t->headers[i]) * 2.0 + 4.0;
		worksheet_set_column(ws, i, i, is_text ? 22 : w < 12 ? 12 : w, is_text ? text : NULL);
		worksheet_write_string(ws, 0, i, t->headers[i], head);
		for (int r = 0; r < t->nexample; r++) {
			const char *v = t->example[r * ncols + i];
			if (v && *v)
				worksheet_write_string(ws, r + 1, i, v, is_text ? text : NULL);
		}
	}
	worksheet_freeze_panes(ws, 1, 0);
	for (int k = 0; k < t->nchoices; k++) {
		const struct xlsx_choice *ch = &t->choices[k];
		int c = col_of(t, ch->column);
		if (c < 0)
			continue;
		lxw_data_validation dv = {
			.validate = LXW_VALIDATION_TYPE_LIST,
			.value_list = (char **)ch->values,
			.error_type = ch->strict ? LXW_VALIDATION_ERROR_TYPE_STOP : LXW_VALIDATION_ERROR_TYPE_INFORMATION,
			.input_title = (char *)ch->column,
			.input_message = ch->strict ? "请从下拉列表中选择" : "可从下拉列表中选择，也可填写具体情况",
			.error_title = (char *)ch->column,
			.error_message = ch->strict ? "请从下拉列表中选择一项" : "该值不在常用列表中，请确认",
		};
		worksheet_data_validation_range(ws, 1, c, TEMPLATE_ROWS, c, &dv);
	}
	worksheet_set_column(help, 0, 0, 16, NULL);
	worksheet_set_column(help, 1, 1, 10, NULL);
	lxw_format *wrap = workbook_add_format(wb);
	format_set_text_wrap(wrap);
	format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
	worksheet_set_column(help, 2, 2, 80, wrap);
	worksheet_write_string(help, 0, 0, "列名", head);
	worksheet_write_string(help, 0, 1, "是否必填", head);
	worksheet_write_string(help, 0, 2, "填写说明", head);
	for (int i = 0; t->help && t->help[3 * i]; i++)
		for (int k = 0; k < 3; k++)
			worksheet_write_string(help, i + 1, k, t->help[3 * i + k], NULL);
	worksheet_freeze_panes(help, 1, 0);
	lxw_error rc = workbook_close(wb);
	return rc == LXW_NO_ERROR ? 0 : err_set(e, E_INTERNAL, "生成 Excel 文件失败：%s", lxw_strerror(rc));
}

/* --- files ------------------------------------------------------------------ */

char *xlsx_tmp_path(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	size_t n = strlen(dir) + 32;
	char *p = malloc(n);
	if (!p)
		return NULL;
	snprintf(p, n, "%s/bangfu-XXXXXX", dir);
	int fd = mkstemp(p);
	if (fd < 0) {
		free(p);
		return NULL;
	}
	close(fd); /* the name is ours; libxlsxwriter truncates and writes it */
	return p;
}

int xlsx_take_file(const char *path, char **data, size_t *len, struct err *e)
{
	*data = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		unlink(path);
		return err_set(e, E_INTERNAL, "读取生成的 Excel 文件失败：%s", strerror(errno));
	}
	int rc = 0;
	if (fseek(f, 0, SEEK_END) || (*len = (size_t)ftell(f), fseek(f, 0, SEEK_SET)) ||
	    !(*data = malloc(*len ? *len : 1)) || fread(*data, 1, *len, f) != *len) {
		free(*data);
		*data = NULL;
		*len = 0;
		rc = err_set(e, E_INTERNAL, "读取生成的 Excel 文件失败");
	}
	fclose(f);
	unlink(path);
	return rc;
}
