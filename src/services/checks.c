/* checks.c — agency checks on the worker's authorisation (see checks.h). */
#include "services/checks.h"

#include <stdlib.h>
#include <string.h>

#include "services/audit.h"
#include "services/households.h"

const struct field check_body[] = {
	{"agency", F_STR, F_REQ, 1, 20, "核对单位"},
	{"requested_on", F_DATE, F_REQ, 0, 0, "申请核对日期"},
	{"authorisation_id", F_INT, F_REQ, 1, 0, "授权委托书"},
	{"note", F_STR, 0, 0, 500, "备注"},
	FIELDS_END,
};
const struct field check_result_body[] = {
	{"result", F_STR, F_REQ, 1, 10, "核对结果"},
	{"finding", F_STR, 0, 0, 2000, "核对发现"},
	{"result_on", F_DATE, F_REQ, 0, 0, "结果日期"},
	FIELDS_END,
};

/* RULE checks.agency: 民政, 房产, 车辆, 工商, 社保, 税务, 银行 */
static const struct {
	const char *code, *label;
} agencies[] = {
	{"civil_affairs", "民政"}, {"housing", "房产"}, {"vehicles", "车辆"}, {"market", "市场监管（工商）"},
	{"social_security", "社保"}, {"tax", "税务"}, {"bank", "银行"},
};

static const char *agency_label(const char *code)
{
	for (size_t i = 0; code && i < sizeof agencies / sizeof agencies[0]; i++)
		if (!strcmp(code, agencies[i].code))
			return agencies[i].label;
	return NULL;
}

#define CHECK_COLS                                                                                 \
	"c.id, c.household_id, c.agency, c.status, c.requested_on, c.authorisation_id, c.result,"    \
	" c.finding, c.result_on, c.requested_by, c.result_by, c.created_at, c.updated_at"

static json_t *check_json(struct ctx *x, int64_t id, struct err *e)
{
	json_t *o = db_one_json(x->db, e, "SELECT " CHECK_COLS " FROM household_checks c WHERE c.id = ?", id);
	if (o)
		json_object_set_new(o, "agency_label",
				    json_string(agency_label(json_string_value(json_object_get(o, "agency")))));
	return o;
}

int check_request(struct ctx *x, int64_t hid, const char *agency, const char *on, int64_t auth, int64_t *cid,
		  struct err *e)
{
	enum hh_status st;
	int64_t org = 0, found_id = 0;
	int found = 0;
	int rc = household_load(x, hid, &st, &org, NULL, e);
	if (rc)
		return rc;
	if (st == HS_EXITED)
		return err_set(e, E_INVALID_TRANSITION, "档案已退出，不再核对");
	if (!agency_label(agency))
		rc = err_field(e, "agency", "核对单位应为 civil_affairs、housing、vehicles、market、social_security、tax 或 bank");
	if (strcmp(on, x->today_s) > 0)
		rc = err_field(e, "requested_on", "申请核对日期不能晚于今天");
	/* RULE checks.authorisation: the household's own signed 授权委托书 */
	int drc = db_int(x->db, e, &found_id, &found,
			 "SELECT id FROM attachments WHERE id = ? AND owner_type = 'household' AND owner_id = ?"
			 " AND kind = '授权委托书' AND deleted_at IS NULL AND purged_at IS NULL",
			 "ii", auth, hid);
	if (drc)
		return drc;
	if (!found)
		rc = err_field(e, "authorisation_id", "请先上传本户职工签字的授权委托书，再选择它");
	if (rc)
		return rc;
	if ((rc = db_insert(x->db, e, cid,
			    "INSERT INTO household_checks (household_id, org_id, agency, status, requested_on,"
			    " authorisation_id, requested_by, created_at, updated_at)"
			    " VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?)",
			    "iissizss", hid, org, agency, on, auth, x->who.id, x->now_s, x->now_s)))
		return rc;
	return audit_add(x, "create", "household_check", *cid, org, e, "档案 %lld 申请%s核对（授权委托书 %lld）",
			 (long long)hid, agency_label(agency), (long long)auth);
}

int check_result(struct ctx *x, int64_t hid, int64_t cid, const char *result, const char *finding, const char *on,
		 struct err *e)
{
	int64_t org = 0;
	int rc = household_load(x, hid, NULL, &org, NULL, e);
	if (rc)
		return rc;
	json_t *c = cid > 0 ? check_json(x, cid, e) : NULL;
	if (!c || json_integer_value(json_object_get(c, "household_id")) != hid) {
		json_decref(c);
		return err_set(e, E_NOT_FOUND, "核对记录不存在");
	}
	const char *req_on = json_string_value(json_object_get(c, "requested_on"));
	if (strcmp(json_string_value(json_object_get(c, "status")), "pending"))
		rc = err_set(e, E_INVALID_TRANSITION, "该核对已有结果");
	else if (strcmp(result, "clear") && strcmp(result, "found"))
		rc = err_field(e, "result", "核对结果应为 clear（未发现）或 found（发现财产或收入）");
	else if (!strcmp(result, "found") && (!finding || !*finding))
		rc = err_field(e, "finding", "发现财产或收入时请写明核对发现");
	else if (strcmp(on, req_on) < 0 || strcmp(on, x->today_s) > 0)
		rc = err_field(e, "result_on", "结果日期应在申请核对日期之后、今天之前");
	if (!rc)
		rc = db_run(x->db, e,
			    "UPDATE household_checks SET status = 'done', result = ?, finding = ?, result_on = ?,"
			    " result_by = ?, updated_at = ? WHERE id = ? AND status = 'pending'",
			    "sssisi", result, finding, on, x->who.id, x->now_s, cid);
	if (!rc)
		rc = audit_add(x, "result", "household_check", cid, org, e, "%s核对结果：%s",
			       agency_label(json_string_value(json_object_get(c, "agency"))),
			       !strcmp(result, "found") ? "发现财产或收入" : "未发现");
	json_decref(c);
	return rc;
}

/* POST /households/{id}/checks */
int checks_h_create(struct req *r)
{
	int64_t cid = 0;
	int rc = check_request(&r->x, r->id, body_str(r, "agency"), body_str(r, "requested_on"),
			       body_int(r, "authorisation_id", 0), &cid, &r->err);
	if (rc)
		return rc;
	json_t *o = check_json(&r->x, cid, &r->err);
	return o ? req_reply(r, 201, o) : -(int)r->err.code;
}

/* POST /households/{id}/checks/{cid}/result */
int checks_h_result(struct req *r)
{
	int64_t cid = r->nparam > 1 ? strtoll(r->param[1], NULL, 10) : 0;
	int rc = check_result(&r->x, r->id, cid, body_str(r, "result"), body_str(r, "finding"), body_str(r, "result_on"),
			      &r->err);
	if (rc)
		return rc;
	json_t *o = check_json(&r->x, cid, &r->err);
	return o ? req_reply(r, 200, o) : -(int)r->err.code;
}

/* GET /households/{id}/checks */
int checks_h_list(struct req *r)
{
	struct db_stmt *s = db_q(r->x.db, &r->err,
				 "SELECT " CHECK_COLS " FROM household_checks c WHERE c.household_id = ? ORDER BY c.id", "i", r->id);
	json_t *items = s ? db_rows_json(s, &r->err) : NULL;
	db_finalize(s);
	if (!items)
		return -(int)r->err.code;
	size_t i;
	json_t *o;
	json_array_foreach(items, i, o)
		json_object_set_new(o, "agency_label", json_string(agency_label(json_string_value(json_object_get(o, "agency")))));
	return req_reply_list(r, items, (int64_t)json_array_size(items));
}
