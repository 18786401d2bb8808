#include "err.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules/utf8.h"

static const struct {
	int status;
	const char *code;
	const char *msg;
} err_table[E__MAX] = {
	[E_OK] = {200, "ok", "成功"},
	[E_BAD_JSON] = {400, "bad_json", "请求体不是合法的 JSON"},
	[E_BAD_REQUEST] = {400, "bad_request", "请求格式错误"},
	[E_UNAUTHENTICATED] = {401, "unauthenticated", "未登录或登录已过期，请重新登录"},
	[E_INVALID_CREDENTIALS] = {401, "invalid_credentials", "用户名或密码错误"},
	[E_FORBIDDEN] = {403, "forbidden", "无权执行此操作"},
	[E_CSRF_FAILED] = {403, "csrf_failed", "安全校验失败，请刷新页面后重试"},
	[E_SEPARATION_OF_DUTIES] = {403, "separation_of_duties", "不能审批本人提交的事项"},
	[E_NOT_FOUND] = {404, "not_found", "记录不存在"},
	[E_METHOD_NOT_ALLOWED] = {405, "method_not_allowed", "不支持此请求方法"},
	[E_DUPLICATE_ID_NUMBER] = {409, "duplicate_id_number", "该身份证号已在其他在档家庭中"},
	[E_INVALID_TRANSITION] = {409, "invalid_transition", "当前状态下不能执行此操作"},
	[E_NOTICE_PERIOD] = {409, "notice_period", "公示期尚未结束"},
	[E_OPEN_OBJECTION] = {409, "open_objection", "存在未处理的异议"},
	[E_INSUFFICIENT_FUNDS] = {409, "insufficient_funds", "账户余额不足"},
	[E_CONFLICT] = {409, "conflict", "记录已被他人修改，请刷新后重试"},
	[E_TOO_LARGE] = {413, "too_large", "请求体过大"},
	[E_URI_TOO_LONG] = {414, "uri_too_long", "请求地址过长"},
	[E_HEADERS_TOO_LARGE] = {431, "headers_too_large", "请求头过大"},
	[E_UNSUPPORTED_MEDIA_TYPE] = {415, "unsupported_media_type", "不支持的请求体类型"},
	[E_VALIDATION_FAILED] = {422, "validation_failed", "数据校验未通过"},
	[E_NOT_ELIGIBLE] = {422, "not_eligible", "不符合申请条件"},
	[E_ACCOUNT_LOCKED] = {429, "account_locked", "登录失败次数过多，账户已锁定15分钟"},
	[E_RATE_LIMITED] = {429, "rate_limited", "请求过于频繁，请稍后再试"},
	[E_INTERNAL] = {500, "internal", "服务器内部错误"},
	[E_DB] = {503, "db_unavailable", "数据库暂时不可用，请稍后重试"},
	[E_HTTP_VERSION] = {505, "http_version_not_supported", "不支持此 HTTP 版本"},
	[E_USAGE] = {400, "usage", "命令用法错误"},
};

static enum err_code clamp(enum err_code c)
{
	return (c > E_OK && c < E__MAX) ? c : E_INTERNAL;
}

int err_set(struct err *e, enum err_code code, const char *fmt, ...)
{
	code = clamp(code);
	if (e) {
		e->code = code;
		if (fmt) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(e->msg, sizeof e->msg, fmt, ap);
			va_end(ap);
			utf8_repair(e->msg); /* a long message is cut on a character */
		} else {
			snprintf(e->msg, sizeof e->msg, "%s", err_table[code].msg);
		}
	}
	return -(int)code;
}

static json_t *details_obj(struct err *e)
{
	if (!e->details)
		e->details = json_object();
	return e->details;
}

int err_missing_documents(struct err *e, const char *msg, json_t *missing)
{
	err_set(e, E_VALIDATION_FAILED, "%s", msg);
	if (e)
		json_object_set(details_obj(e), "missing_documents", missing);
	return -E_VALIDATION_FAILED;
}

int err_field(struct err *e, const char *field, const char *fmt, ...)
{
	if (!e)
		return -E_VALIDATION_FAILED;
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	utf8_repair(buf);
	json_t *fields = json_object_get(details_obj(e), "fields");
	if (!fields) {
		fields = json_object();
		json_object_set_new(e->details, "fields", fields);
	}
	if (!json_object_get(fields, field))
		json_object_set_new(fields, field, json_string(buf));
	if (e->code == E_OK || e->code == E_VALIDATION_FAILED) {
		e->code = E_VALIDATION_FAILED;
		snprintf(e->msg, sizeof e->msg, "数据校验未通过：%s", buf);
		utf8_repair(e->msg);
	}
	return -E_VALIDATION_FAILED;
}

void err_detail_push(struct err *e, const char *key, const char *text)
{
	if (!e)
		return;
	json_t *arr = json_object_get(details_obj(e), key);
	if (!arr) {
		arr = json_array();
		json_object_set_new(e->details, key, arr);
	}
	json_array_append_new(arr, json_string(text));
}

void err_clear(struct err *e)
{
	if (!e)
		return;
	json_decref(e->details);
	memset(e, 0, sizeof *e);
}

int err_http_status(enum err_code code) { return err_table[clamp(code)].status; }
const char *err_json_code(enum err_code code) { return err_table[clamp(code)].code; }
const char *err_default_msg(enum err_code code) { return err_table[clamp(code)].msg; }

int err_exit_code(enum err_code code)
{
	if (code == E_OK)
		return 0;
	return code == E_USAGE ? 2 : 1;
}

json_t *err_to_json(const struct err *e)
{
	enum err_code c = clamp(e->code);
	json_t *d = e->details ? json_deep_copy(e->details) : json_object();
	return json_pack("{s:{s:s,s:s,s:o}}", "error", "code", err_table[c].code,
			 "message", e->msg[0] ? e->msg : err_table[c].msg, "details", d);
}
