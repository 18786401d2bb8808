/* validate.c — body checks against a route's field spec, before handlers.
 *
 * Shape and type problems (not an object, unknown field, wrong JSON type)
 * answer 400 bad_request; value problems (missing, blank, too long, out of
 * range, bad date) answer 422 validation_failed.  Both name the field in
 * details.fields.
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

static int check_value(struct req *r, const struct field *f, json_t *v)
{
	const char *lab = f->label ? f->label : f->name;
	if (f->type == F_STR) {
		const char *s = json_string_value(v);
		size_t n = utf8_len(s);
		int64_t max = f->max ? f->max : 10000;
		if ((f->flags & F_REQ) && blank(s))
			return err_field(&r->err, f->name, "%s不能为空", lab);
		if ((int64_t)n < f->min)
			return err_field(&r->err, f->name, "%s至少%lld个字符", lab, (long long)f->min);
		if ((int64_t)n > max)
			return err_field(&r->err, f->name, "%s不能超过%lld个字符", lab, (long long)max);
	} else if (f->type == F_DATE) {
		day_t d;
		if (date_parse(json_string_value(v), &d) != 0)
			return err_field(&r->err, f->name, "%s不是有效日期（YYYY-MM-DD）", lab);
	} else if (f->type == F_INT) {
		json_int_t n = json_integer_value(v);
		if (n < f->min || (f->max && n > f->max))
			return err_field(&r->err, f->name, "%s应在%lld至%lld之间", lab,
					 (long long)f->min, (long long)f->max);
	} else if (f->type == F_ARR) {
		size_t n = json_array_size(v);
		if ((int64_t)n < f->min || (f->max && (int64_t)n > f->max))
			return err_field(&r->err, f->name, "%s的数量应在%lld至%lld之间", lab,
					 (long long)f->min, (long long)f->max);
	}
	return 0;
}

int validate_body(struct req *r, const struct field *spec)
{
	if (!spec)
		return 0;
	if (!json_is_object(r->in))
		return err_set(&r->err, E_BAD_REQUEST, "请求体应为 JSON 对象");
	const char *key;
	json_t *v;
	int rc = 0;
	/* shape first: unknown fields and wrong types are 400 */
	json_object_foreach(r->in, key, v) {
		const struct field *f = spec;
		while (f->name && strcmp(f->name, key))
			f++;
		if (!f->name) {
			err_field(&r->err, key, "未知字段：%s", key);
			rc = -E_BAD_REQUEST;
		} else if (!json_is_null(v) && !type_ok(f, v)) {
			err_field(&r->err, key, "%s应为%s", f->label ? f->label : key,
				  type_label(f->type));
			rc = -E_BAD_REQUEST;
		}
	}
	if (rc) {
		r->err.code = E_BAD_REQUEST;
		snprintf(r->err.msg, sizeof r->err.msg, "%s", "请求格式错误：字段未知或类型不符");
		return rc;
	}
	for (const struct field *f = spec; f->name; f++) {
		v = json_object_get(r->in, f->name);
		if (!v || json_is_null(v)) {
			if (f->flags & F_REQ)
				rc = err_field(&r->err, f->name, "%s为必填项",
					       f->label ? f->label : f->name);
			continue;
		}
		if (check_value(r, f, v))
			rc = -E_VALIDATION_FAILED;
	}
	return rc;
}
