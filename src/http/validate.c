/* validate.c — body checks against a route's field spec, before handlers.
 *
 * Shape and type problems (not an object, unknown field, wrong JSON type)
 * answer 400 bad_request; value problems (missing, blank, too long, out of
 * range, bad date) answer 422 validation_failed.  Both name the field in
 * details.fields, nested ones as "members[0].id_number".
 */
#include <stdio.h>
#include <string.h>

#include "http/route.h"
#include "rules/dates.h"

static size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (!strchr(" \t\r\n", *s))
			return 0;
	return 1;
}

static int type_ok(const struct field *f, json_t *v)
{
	switch (f->type) {
	case F_STR:
	case F_DATE: return json_is_string(v);
	case F_INT: return json_is_integer(v);
	case F_BOOL: return json_is_boolean(v);
	case F_ARR: return json_is_array(v);
	case F_OBJ: return json_is_object(v);
	}
	return 0;
}

static const char *type_label(enum ftype t)
{
	switch (t) {
	case F_STR: return "字符串";
	case F_DATE: return "日期字符串（YYYY-MM-DD）";
	case F_INT: return "整数";
	case F_BOOL: return "布尔值（true/false）";
	case F_ARR: return "数组";
	case F_OBJ: return "对象";
	}
	return "?";
}

static int check_value(struct err *e, const struct field *f, json_t *v, const char *path)
{
	const char *lab = f->label ? f->label : f->name;
	if (f->type == F_STR) {
		const char *s = json_string_value(v);
		size_t n = utf8_len(s);
		int64_t max = f->max ? f->max : 10000;
		if ((f->flags & F_REQ) && blank(s))
			return err_field(e, path, "%s不能为空", lab);
		if ((int64_t)n < f->min)
			return err_field(e, path, "%s至少%lld个字符", lab, (long long)f->min);
		if ((int64_t)n > max)
			return err_field(e, path, "%s不能超过%lld个字符", lab, (long long)max);
	} else if (f->type == F_DATE) {
		day_t d;
		if (date_parse(json_string_value(v), &d) != 0)
			return err_field(e, path, "%s不是有效日期（YYYY-MM-DD）", lab);
	} else if (f->type == F_INT) {
		json_int_t n = json_integer_value(v);
		if (n < f->min || (f->max && n > f->max))
			return err_field(e, path, "%s应在%lld至%lld之间", lab, (long long)f->min,
					 (long long)f->max);
	} else if (f->type == F_ARR) {
		size_t n = json_array_size(v);
		if ((int64_t)n < f->min || (f->max && (int64_t)n > f->max))
			return err_field(e, path, "%s的数量应在%lld至%lld之间", lab, (long long)f->min,
					 (long long)f->max);
	}
	return 0;
}

/* Pass 1: unknown fields and wrong types, recursively (400). */
static int check_shape(struct err *e, json_t *obj, const struct field *spec, const char *prefix)
{
	const char *key;
	json_t *v;
	int rc = 0;
	char path[160];
	json_object_foreach(obj, key, v) {
		const struct field *f = spec;
		while (f->name && strcmp(f->name, key))
			f++;
		snprintf(path, sizeof path, "%s%s", prefix, key);
		if (!f->name) {
			err_field(e, path, "未知字段：%s", key);
			rc = -E_BAD_REQUEST;
		} else if (!json_is_null(v) && !type_ok(f, v)) {
			err_field(e, path, "%s应为%s", f->label ? f->label : key, type_label(f->type));
			rc = -E_BAD_REQUEST;
		} else if (f->type == F_ARR && f->of && json_is_array(v)) {
			size_t i;
			json_t *it;
			json_array_foreach(v, i, it) {
				char sub[160];
				snprintf(sub, sizeof sub, "%s%s[%zu].", prefix, key, i);
				if (!json_is_object(it)) {
					snprintf(path, sizeof path, "%s%s[%zu]", prefix, key, i);
					err_field(e, path, "应为对象");
					rc = -E_BAD_REQUEST;
				} else if (check_shape(e, it, f->of, sub)) {
					rc = -E_BAD_REQUEST;
				}
			}
		}
	}
	return rc;
}

/* Pass 2: required fields and values (422). */
static int check_values(struct err *e, json_t *obj, const struct field *spec, const char *prefix)
{
	int rc = 0;
	char path[160];
	for (const struct field *f = spec; f->name; f++) {
		json_t *v = json_object_get(obj, f->name);
		snprintf(path, sizeof path, "%s%s", prefix, f->name);
		if (!v || json_is_null(v)) {
			if (f->flags & F_REQ)
				rc = err_field(e, path, "%s为必填项", f->label ? f->label : f->name);
			continue;
		}
		if (check_value(e, f, v, path))
			rc = -E_VALIDATION_FAILED;
		if (f->type == F_ARR && f->of) {
			size_t i;
			json_t *it;
			json_array_foreach(v, i, it) {
				char sub[160];
				snprintf(sub, sizeof sub, "%s%s[%zu].", prefix, f->name, i);
				if (check_values(e, it, f->of, sub))
					rc = -E_VALIDATION_FAILED;
			}
		}
	}
	return rc;
}

int validate_object(struct err *e, json_t *obj, const struct field *spec, const char *prefix)
{
	if (!json_is_object(obj))
		return err_set(e, E_BAD_REQUEST, "请求体应为 JSON 对象");
	if (check_shape(e, obj, spec, prefix)) {
		e->code = E_BAD_REQUEST;
		snprintf(e->msg, sizeof e->msg, "%s", "请求格式错误：字段未知或类型不符");
		return -E_BAD_REQUEST;
	}
	return check_values(e, obj, spec, prefix);
}

int validate_body(struct req *r, const struct field *spec)
{
	return spec ? validate_object(&r->err, r->in, spec, "") : 0;
}
