/* census.c — the census sheet: header mapping, row checks, households. */
#include "rules/census.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/household.h"
#include "rules/idcard.h"
#include "rules/money.h"

const char *const census_columns[CC__MAX] = {
	[CC_HEAD_ID] = "户主身份证号", [CC_NAME] = "姓名",           [CC_ID] = "身份证号",
	[CC_RELATION] = "与户主关系",  [CC_INCOME] = "月收入(元)",   [CC_HEALTH] = "健康状况",
	[CC_SCHOOL] = "就学阶段",      [CC_PHONE] = "联系电话",       [CC_EMPLOYER] = "工作单位",
	[CC_ADDRESS] = "家庭住址",     [CC_CAUSES] = "致困原因",      [CC_ARCHIVE_NO] = "档案编号",
	[CC_ENTERED_ON] = "建档日期",
};

int census_required(enum census_col c)
{
	return c == CC_HEAD_ID || c == CC_NAME || c == CC_ID || c == CC_RELATION || c == CC_INCOME;
}

const char *census_template_header(void)
{
	return "户主身份证号,姓名,身份证号,与户主关系,月收入(元),健康状况,就学阶段,联系电话,工作单位,家庭住址,致困原因";
}

/* --- errors ------------------------------------------------------------------ */

void census_error(struct census *c, int row, const char *column, const char *fmt, ...)
{
	if (c->nerr >= CENSUS_MAX_ERRORS) {
		c->dropped++;
		return;
	}
	if (c->nerr == c->errcap) {
		int cap = c->errcap ? c->errcap * 2 : 32;
		struct census_error *n = arena_alloc(c->a, (size_t)cap * sizeof *n);
		if (c->nerr)
			memcpy(n, c->err, (size_t)c->nerr * sizeof *n);
		c->err = n;
		c->errcap = cap;
	}
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	c->err[c->nerr] = (struct census_error){row, column ? column : "", arena_strdup(c->a, buf), c->nerr};
	c->nerr++;
}

static int err_cmp(const void *a, const void *b)
{
	const struct census_error *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void census_sort_errors(struct census *c)
{
	if (c->nerr > 1)
		qsort(c->err, (size_t)c->nerr, sizeof *c->err, err_cmp);
	int k = 0;
	for (int i = 0; i < c->nerr; i++) {
		if (k && c->err[k - 1].row == c->err[i].row && !strcmp(c->err[k - 1].column, c->err[i].column) &&
		    !strcmp(c->err[k - 1].message, c->err[i].message))
			continue;
		c->err[k++] = c->err[i];
	}
	c->nerr = k;
}

/* --- small helpers ---------------------------------------------------------------- */

/* s without surrounding blanks (ASCII and the ideographic space): where it
 * starts, its length in *len. */
static const char *trim_span(const char *s, size_t *len)
{
	size_t n = strlen(s);
	for (;;) {
		if (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
			s++, n--;
		else if (n >= 3 && !memcmp(s, "\xE3\x80\x80", 3))
			s += 3, n -= 3;
		else
			break;
	}
	for (;;) {
		if (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
			n--;
		else if (n >= 3 && !memcmp(s + n - 3, "\xE3\x80\x80", 3))
			n -= 3;
		else
			break;
	}
	*len = n;
	return s;
}

/* A copy without surrounding blanks. */
static char *trim(struct arena *a, const char *s)
{
	size_t n;
	s = trim_span(s, &n);
	return arena_strndup(a, s, n);
}

static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Header text → canonical: fullwidth parentheses as ASCII, no spaces. */
static char *header_norm(struct arena *a, const char *s)
{
	char *t = trim(a, s), *o = t;
	for (const char *p = t; *p;) {
		if (!strncmp(p, "\xEF\xBC\x88", 3)) { /* （ */
			*o++ = '(';
			p += 3;
		} else if (!strncmp(p, "\xEF\xBC\x89", 3)) { /* ） */
			*o++ = ')';
			p += 3;
		} else if (*p == ' ') {
			p++;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return t;
}

/* A string → int map (open addressing) for ID numbers and archive numbers. */
struct map {
	const char **k;
	int *v;
	size_t cap;
};

static void map_init(struct arena *a, struct map *m, size_t n)
{
	m->cap = 16;
	while (m->cap < n * 2)
		m->cap *= 2;
	m->k = arena_alloc(a, m->cap * sizeof *m->k);
	m->v = arena_alloc(a, m->cap * sizeof *m->v);
}

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* The value stored under k, or stores v and returns -1. */
static int map_put(struct map *m, const char *k, int v)
{
	size_t i = hash(k) & (m->cap - 1);
	while (m->k[i]) {
		if (!strcmp(m->k[i], k))
			return m->v[i];
		i = (i + 1) & (m->cap - 1);
	}
	m->k[i] = k;
	m->v[i] = v;
	return -1;
}

static int parse_date(const char *s, day_t *d)
{
	int y, m, dd, n = 0;
	char tail;
	if (!date_parse(s, d))
		return 0;
	if ((sscanf(s, "%4d-%2d-%2d%n%c", &y, &m, &dd, &n, &tail) == 3 ||
	     sscanf(s, "%4d/%2d/%2d%n%c", &y, &m, &dd, &n, &tail) == 3 ||
	     sscanf(s, "%4d.%2d.%2d%n%c", &y, &m, &dd, &n, &tail) == 3 ||
	     sscanf(s, "%4d年%2d月%2d日%n%c", &y, &m, &dd, &n, &tail) == 3) &&
	    n == (int)strlen(s) && y >= 1900 && y <= 2999)
		return date_from_ymd(y, m, dd, d);
	return -1;
}

/* --- one row ------------------------------------------------------------------------- */

struct row_vals {
	const char *v[CC__MAX];  /* trimmed; NULL when blank or unusable */
	enum cell_kind kind[CC__MAX];
};

static const char *col(enum census_col c) { return census_columns[c]; }

/* An ID number column: normalized into out, or an error. */
static int check_id(struct census *c, int row, enum census_col cc, const struct row_vals *rv,
		    day_t today, char out[19])
{
	const char *s = rv->v[cc];
	if (!s) {
		census_error(c, row, col(cc), "%s不能为空", col(cc));
		return -1;
	}
	if (rv->kind[cc] == CELL_NUMBER) {
		census_error(c, row, col(cc), "身份证号被 Excel 存成了数字，后几位已丢失；请把该列设为“文本”格式后重新填写");
		return -1;
	}
	struct idcard_info info;
	int rc = idcard_check(s, today, &info);
	if (rc != ID_OK) {
		census_error(c, row, col(cc), "%s", idcard_strerror(rc));
		return -1;
	}
	memcpy(out, info.norm, 19);
	return 0;
}

static int check_len(struct census *c, int row, enum census_col cc, const char *s, size_t max)
{
	if (s && chars(s) > max) {
		census_error(c, row, col(cc), "%s不能超过%zu个字符", col(cc), max);
		return -1;
	}
	return 0;
}

static int parse_causes(struct census *c, int row, const char *s, unsigned *mask)
{
	int rc = 0;
	char *buf = arena_strdup(c->ha, s);
	/* 、 is the separator the format names; ，,;； and spaces are forgiven */
	static const char *const seps[] = {"\xE3\x80\x81", "\xEF\xBC\x8C", ",", ";", "\xEF\xBC\x9B", " ",
					   "\xE3\x80\x80", NULL};
	char *p = buf;
	while (*p) {
		size_t len = strlen(p), cut = len, skip = 0;
		for (int i = 0; seps[i]; i++) {
			char *q = strstr(p, seps[i]);
			if (q && (size_t)(q - p) < cut) {
				cut = (size_t)(q - p);
				skip = strlen(seps[i]);
			}
		}
		char save = p[cut];
		p[cut] = '\0';
		if (*p) {
			int k = cause_from_label(p);
			if (k < 0) {
				census_error(c, row, col(CC_CAUSES),
					     "未知的致困原因“%s”：应为 本人患病、家属患病、本人残疾、家属残疾、子女就学、"
					     "失业、收入低、单亲、意外事故、自然灾害、工伤、其他，多个用“、”分隔",
					     p);
				rc = -1;
			} else {
				*mask |= CAUSE_BIT(k);
			}
		}
		p[cut] = save;
		p += cut + skip;
		if (!skip)
			break;
	}
	return rc;
}

static void add_member(struct census *c, struct census_household *h, const struct census_person *p)
{
	if (h->nmembers == h->cap) {
		int cap = h->cap ? h->cap * 2 : 4;
		struct census_person *n = arena_alloc(c->ha, (size_t)cap * sizeof *n);
		if (h->nmembers)
			memcpy(n, h->members, (size_t)h->nmembers * sizeof *n);
		h->members = n;
		h->cap = cap;
	}
	h->members[h->nmembers++] = *p;
}

/* --- seen before in this file -------------------------------------------------------------- */

struct maps {
	struct map ids, heads, archives;
};

static int seen(struct census *c, char kind, const char *key, int row)
{
	if (c->seen)
		return c->seen(c->arg, kind, key, row);
	struct maps *m = c->maps;
	struct map *t = kind == 'i' ? &m->ids : kind == 'h' ? &m->heads : &m->archives;
	int first = map_put(t, arena_strdup(c->a, key), row);
	return first < 0 ? 0 : first;
}

/* --- the header ------------------------------------------------------------------------------- */

static void header(struct census *c, const struct sheet_row *hr)
{
	struct arena *a = c->a;
	c->header_row = hr->row;
	int ncols = c->ncols = hr->ncells;
	c->map = arena_alloc(a, (size_t)(ncols ? ncols : 1) * sizeof *c->map);
	c->named = arena_alloc(a, (size_t)(ncols ? ncols : 1));
	c->blank_reported = arena_alloc(a, (size_t)SHEET_MAX_COLS + 1);
	int *where = c->where;
	for (int k = 0; k < CC__MAX; k++)
		where[k] = -1;
	for (int i = 0; i < ncols; i++) {
		c->map[i] = -1;
		const char *raw = sheet_cell(hr, i);
		char *h = header_norm(a, raw);
		if (!*h)
			continue;
		c->named[i] = 1;
		int k = 0;
		while (k < CC__MAX && strcmp(h, census_columns[k]))
			k++;
		if (k == CC__MAX) {
			census_error(c, hr->row, trim(a, raw), "未知的列“%s”：可用的列为 %s，以及可选的 档案编号、建档日期",
				     trim(a, raw), census_template_header());
			continue;
		}
		if (where[k] >= 0) {
			census_error(c, hr->row, census_columns[k], "列“%s”出现了两次", census_columns[k]);
			continue;
		}
		where[k] = i;
		c->map[i] = k;
	}
	int missing = 0;
	for (int k = 0; k < CC__MAX; k++)
		if (census_required(k) && where[k] < 0) {
			census_error(c, hr->row, census_columns[k], "缺少必填列“%s”", census_columns[k]);
			missing = 1;
		}
	if ((where[CC_ARCHIVE_NO] >= 0) != (where[CC_ENTERED_ON] >= 0)) {
		int k = where[CC_ARCHIVE_NO] >= 0 ? CC_ENTERED_ON : CC_ARCHIVE_NO;
		census_error(c, hr->row, census_columns[k], "“档案编号”和“建档日期”两列须同时提供");
		missing = 1;
	}
	c->has_archive_cols = where[CC_ARCHIVE_NO] >= 0;
	c->state = missing ? 2 : 1;
}

/* --- a complete household ---------------------------------------------------------------------- */

/* RULE archive.paper: archives approved on paper carry 档案编号 and 建档日期
 * on the worker's row (admins only); member rows leave them blank or the
 * same. */
static int archive_checks(struct census *c, struct census_household *h)
{
	struct census_arow *w = NULL;
	for (struct census_arow *r = c->arows; r; r = r->next)
		if (h->has_worker && r->row == h->worker.row)
			w = r;
	if (w && (w->no || w->on)) {
		const char *no = w->no, *on = w->on;
		int row = w->row, first;
		day_t d;
		char buf[11];
		if (!c->allow_archive) {
			census_error(c, row, col(CC_ARCHIVE_NO),
				     "只有管理员可以导入已建档的档案（档案编号、建档日期），请删去这两列的内容或请管理员导入");
			h->bad = 1;
		} else if (!no || !on) {
			census_error(c, row, col(no ? CC_ENTERED_ON : CC_ARCHIVE_NO), "“档案编号”和“建档日期”须同时填写");
			h->bad = 1;
		} else if (check_len(c, row, CC_ARCHIVE_NO, no, 50)) {
			h->bad = 1;
		} else if ((first = seen(c, 'a', no, row)) != 0) {
			if (first < 0)
				return first;
			census_error(c, row, col(CC_ARCHIVE_NO), "与第 %d 行的档案编号重复", first);
			h->bad = 1;
		} else if (w->on_number ? sheet_serial_date(on, c->date1904, buf) || date_parse(buf, &d)
					: parse_date(on, &d) != 0) {
			census_error(c, row, col(CC_ENTERED_ON), "建档日期“%s”无效：应为 YYYY-MM-DD 格式的日期", on);
			h->bad = 1;
		} else if (d > c->today) {
			census_error(c, row, col(CC_ENTERED_ON), "建档日期不能晚于今天");
			h->bad = 1;
		} else {
			h->archive_no = no;
			date_format(d, h->entered_on);
			h->archive_row = row;
		}
	}
	/* member rows that carry archive values: they must match the worker's */
	for (struct census_arow *r = c->arows; r; r = r->next) {
		if (r == w)
			continue;
		if (r->no && (!h->archive_no || strcmp(r->no, h->archive_no))) {
			census_error(c, r->row, col(CC_ARCHIVE_NO), "档案编号只填在户主本人的行；家庭成员的行请留空或与户主行相同");
			h->bad = 1;
		} else if (!r->no && r->on && !h->archive_no) {
			census_error(c, r->row, col(CC_ENTERED_ON), "建档日期只填在户主本人的行；家庭成员的行请留空或与户主行相同");
			h->bad = 1;
		}
	}
	return 0;
}

static int finish(struct census *c)
{
	if (!c->has_cur)
		return 0;
	struct census_household *h = &c->cur;
	int rc = 0;
	c->has_cur = 0;
	if (!h->has_worker) {
		if (!h->bad)
			census_error(c, h->first_row, col(CC_HEAD_ID),
				     "该户缺少户主本人的行：应有一行与户主关系为“本人”、身份证号与户主身份证号相同");
		h->bad = 1;
	}
	if (c->has_archive_cols && (rc = archive_checks(c, h)))
		return rc;
	c->arows = NULL;
	if (c->sink) {
		rc = c->sink(c->arg, c, h);
		arena_free(c->ha);
		c->ha = arena_new();
		return rc;
	}
	if (c->nhh == c->cap) {
		int cap = c->cap ? c->cap * 2 : 64;
		struct census_household *n = arena_alloc(c->a, (size_t)cap * sizeof *n);
		if (c->nhh)
			memcpy(n, c->hh, (size_t)c->nhh * sizeof *n);
		c->hh = n;
		c->cap = cap;
	}
	c->hh[c->nhh++] = *h;
	return 0;
}

/* The household of `head`: the current one, or a new one after the
 * current is finished.  NULL when the sink or seen failed (*rc). */
static struct census_household *household_of(struct census *c, const char *head, int row, int *rc)
{
	if (c->has_cur && !strcmp(c->cur.head_id, head))
		return &c->cur;
	if ((*rc = finish(c)))
		return NULL;
	struct census_household *h = &c->cur;
	memset(h, 0, sizeof *h);
	memcpy(h->head_id, head, 19);
	h->first_row = row;
	c->has_cur = 1;
	if (c->sink)
		c->nhh++;
	int first = seen(c, 'h', head, row);
	if (first < 0) {
		*rc = first;
		return NULL;
	}
	if (first) {
		census_error(c, row, col(CC_HEAD_ID), "该户已在第 %d 行出现：同一户的各行须连续排列，请把它们排在一起", first);
		h->bad = 1;
	}
	return h;
}

/* The head a row belongs to, normalized, or "" — known before its values
 * are copied into the household's arena, which the household before it
 * may still own. */
void census_row_head(const struct census *c, const struct sheet_row *r, char out[19])
{
	out[0] = '\0';
	enum cell_kind k = sheet_kind(r, c->where[CC_HEAD_ID]);
	if (k != CELL_TEXT)
		return;
	size_t n;
	const char *t = trim_span(sheet_cell(r, c->where[CC_HEAD_ID]), &n);
	char buf[40];
	struct idcard_info info;
	if (n >= sizeof buf)
		return;
	memcpy(buf, t, n);
	buf[n] = '\0';
	if (idcard_check(buf, c->today, &info) == ID_OK)
		memcpy(out, info.norm, 19);
}

/* --- one row -------------------------------------------------------------------------------------- */

static int data_row(struct census *c, const struct sheet_row *r)
{
	int row = r->row, bad = 0, rc = 0;
	char head[19];
	census_row_head(c, r, head);
	if (*head && !(c->has_cur && !strcmp(c->cur.head_id, head)) && (rc = finish(c)))
		return rc;
	struct arena *a = c->ha;
	c->people++;
	/* a value under a column without a name */
	for (int i = 0; i < r->ncells; i++)
		if ((i >= c->ncols || c->map[i] < 0) && r->cells[i].kind != CELL_EMPTY && *trim(a, sheet_cell(r, i)) &&
		    (i >= c->ncols || !c->named[i])) {
			if (!c->blank_reported[i < SHEET_MAX_COLS ? i : SHEET_MAX_COLS]) {
				c->blank_reported[i < SHEET_MAX_COLS ? i : SHEET_MAX_COLS] = 1;
				census_error(c, row, "", "第 %d 列有内容但没有列名", i + 1);
			}
			bad = 1;
		}
	struct row_vals rv;
	for (int k = 0; k < CC__MAX; k++) {
		rv.v[k] = NULL;
		rv.kind[k] = CELL_EMPTY;
		if (c->where[k] < 0)
			continue;
		rv.kind[k] = sheet_kind(r, c->where[k]);
		const char *t = trim(a, sheet_cell(r, c->where[k]));
		if (rv.kind[k] == CELL_FORMULA) {
			census_error(c, row, col(k), "单元格含公式，请填写数值");
			bad = 1;
			continue;
		}
		if (rv.kind[k] == CELL_ERROR) {
			census_error(c, row, col(k), "单元格是错误值（%s），请填写正确内容", t);
			bad = 1;
			continue;
		}
		rv.v[k] = *t ? t : NULL;
	}
	struct census_person p = {.row = row, .relation = -2};
	char hid[19] = "";
	int head_ok = check_id(c, row, CC_HEAD_ID, &rv, c->today, hid) == 0;
	int id_ok = check_id(c, row, CC_ID, &rv, c->today, p.id) == 0;
	bad |= !head_ok || !id_ok;
	p.name = rv.v[CC_NAME];
	if (!p.name) {
		census_error(c, row, col(CC_NAME), "姓名不能为空");
		bad = 1;
	} else {
		bad |= check_len(c, row, CC_NAME, p.name, 50);
	}
	const char *rel = rv.v[CC_RELATION];
	if (!rel) {
		census_error(c, row, col(CC_RELATION), "与户主关系不能为空");
		bad = 1;
	} else if (!strcmp(rel, "本人")) {
		p.relation = -1;
	} else if ((p.relation = relation_from_label(rel)) < 0) {
		census_error(c, row, col(CC_RELATION),
			     "与户主关系“%s”无效：应为 本人、配偶、子女、父母、兄弟姐妹、祖父母、孙子女、其他", rel);
		p.relation = -2;
		bad = 1;
	}
	const char *inc = rv.v[CC_INCOME];
	if (!inc) {
		if (p.relation == -1) {
			census_error(c, row, col(CC_INCOME), "户主本人的月收入不能为空，没有收入请填 0");
			bad = 1;
		}
	} else if (money_parse_yuan(inc, &p.income_fen) || p.income_fen > 100000000000LL) {
		census_error(c, row, col(CC_INCOME), "月收入“%s”无效：应为以元为单位的金额，最多两位小数（如 1500 或 1500.50）",
			     inc);
		bad = 1;
	}
	p.health = rv.v[CC_HEALTH];
	bad |= check_len(c, row, CC_HEALTH, p.health, 200);
	p.school = SCHOOL_NONE;
	if (rv.v[CC_SCHOOL] && (p.school = school_from_label(rv.v[CC_SCHOOL])) < 0) {
		census_error(c, row, col(CC_SCHOOL), "就学阶段“%s”无效：应为 无、学前、小学、初中、高中、中职、大学",
			     rv.v[CC_SCHOOL]);
		p.school = SCHOOL_NONE;
		bad = 1;
	}
	p.employer = rv.v[CC_EMPLOYER];
	bad |= check_len(c, row, CC_EMPLOYER, p.employer, 100);
	unsigned causes = 0;
	if (rv.v[CC_CAUSES])
		bad |= parse_causes(c, row, rv.v[CC_CAUSES], &causes) != 0;
	if (p.relation == -1) {
		bad |= check_len(c, row, CC_PHONE, rv.v[CC_PHONE], 20);
		bad |= check_len(c, row, CC_ADDRESS, rv.v[CC_ADDRESS], 200);
	}
	if (!head_ok)
		return 0; /* no household to put it in */
	struct census_household *h = household_of(c, hid, row, &rc);
	if (!h)
		return rc;
	h->causes |= causes;
	if (c->has_archive_cols && (rv.v[CC_ARCHIVE_NO] || rv.v[CC_ENTERED_ON])) {
		struct census_arow *ar = arena_alloc(c->ha, sizeof *ar);
		*ar = (struct census_arow){row, rv.v[CC_ARCHIVE_NO], rv.v[CC_ENTERED_ON],
					   rv.kind[CC_ENTERED_ON] == CELL_NUMBER, c->arows};
		c->arows = ar;
	}
	if (id_ok) {
		int first = seen(c, 'i', p.id, row);
		if (first < 0)
			return first;
		if (first) {
			census_error(c, row, col(CC_ID), "与第 %d 行的身份证号重复：同一人在文件中只能出现一次", first);
			bad = 1;
			id_ok = 0;
		}
	}
	if (p.relation == -1) {
		if (id_ok && strcmp(p.id, hid)) {
			census_error(c, row, col(CC_ID), "与户主关系为“本人”的行，身份证号应与户主身份证号相同");
			bad = 1;
		} else if (h->has_worker) {
			census_error(c, row, col(CC_RELATION), "同一户只能有一行“本人”（第 %d 行已是本人）", h->worker.row);
			bad = 1;
		} else if (id_ok) {
			h->worker = p;
			h->has_worker = 1;
			h->phone = rv.v[CC_PHONE];
			h->address = rv.v[CC_ADDRESS];
		}
	} else if (p.relation >= 0) {
		if (id_ok && !strcmp(p.id, hid)) {
			census_error(c, row, col(CC_RELATION), "身份证号与户主身份证号相同的行，与户主关系应填“本人”");
			bad = 1;
		} else if (h->nmembers >= CENSUS_MAX_MEMBERS) {
			census_error(c, row, col(CC_HEAD_ID), "每户家庭成员（不含户主本人）最多 %d 人", CENSUS_MAX_MEMBERS);
			bad = 1;
		} else {
			add_member(c, h, &p);
		}
	}
	if (bad)
		h->bad = 1;
	return 0;
}

/* --- the sheet ---------------------------------------------------------------------------- */

void census_begin(struct census *c, struct arena *a, day_t today, int allow_archive,
		  census_sink_fn sink, census_seen_fn seen_fn, void *arg, int expect_rows)
{
	memset(c, 0, sizeof *c);
	c->a = a;
	c->ha = sink ? arena_new() : a;
	c->today = today;
	c->allow_archive = allow_archive;
	c->sink = sink;
	c->seen = seen_fn;
	c->arg = arg;
	if (!seen_fn) {
		struct maps *m = arena_alloc(a, sizeof *m);
		size_t n = expect_rows > 0 ? (size_t)expect_rows : 1024;
		map_init(a, &m->ids, n);
		map_init(a, &m->heads, n);
		map_init(a, &m->archives, n);
		c->maps = m;
	}
}

int census_row(struct census *c, const struct sheet_row *r)
{
	if (c->state == 0) {
		header(c, r);
		return 0;
	}
	return c->state == 1 ? data_row(c, r) : 0;
}

int census_end(struct census *c, int complete)
{
	int rc = 0;
	if (complete) {
		if (c->state == 0)
			census_error(c, 0, "", "文件是空的：第一行应为列名（%s）", census_template_header());
		else if (c->state == 1 && c->people == 0)
			census_error(c, c->header_row, "", "文件只有列名行，没有数据行");
		else
			rc = finish(c);
	}
	if (c->sink)
		arena_free(c->ha);
	c->ha = NULL;
	return rc;
}

int census_parse(struct arena *a, const struct sheet *s, day_t today, int allow_archive,
		 struct census *c)
{
	census_begin(c, a, today, allow_archive, NULL, NULL, NULL, s->nrows);
	c->date1904 = s->date1904;
	for (int i = 0; i < s->nrows; i++)
		census_row(c, &s->rows[i]);
	census_end(c, 1);
	return c->nerr;
}
