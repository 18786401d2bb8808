/* hh_workflow.c — the five-step archiving workflow driven by the table in
 * rules/hh_flow.c: the step says who and from where; this file checks the
 * step's conditions, moves the status, and writes event and audit. */
#include "services/hh_workflow.h"
#include "services/primary_aid.h"

#include <stdio.h>
#include <string.h>

#include "rules/household.h"
#include "rules/money.h"
#include "services/audit.h"
#include "services/calendar.h"
#include "services/cards.h"
#include "services/households.h"
#include "services/orgs.h"
#include "services/watch.h"

#define FEN_MAX 100000000000LL

const struct field hh_transition_body[] = {
	{"action", F_STR, F_REQ, 1, 20, "操作"},
	{"comment", F_STR, 0, 0, 2000, "意见"},
	{"category", F_STR, 0, 0, 20, "困难类别"},
	{"notice_workdays", F_INT, 0, 1, 30, "公示天数（工作日）"},
	{"exit_reason", F_STR, 0, 0, 500, "退出原因"},
	{"monthly_income_fen", F_INT, 0, 0, FEN_MAX, "本人月收入（分）"},
	{"causes", F_ARR, 0, 0, CAUSE__MAX, "致困原因"},
	{"members", F_ARR, 0, 0, 20, "家庭成员", member_body},
	{"primary_aid", F_STR, F_NULL, 1, 32, "帮扶主项"},
	FIELDS_END,
};

struct hh_row {
	enum hh_status status;
	int64_t org_id, submitted_by, version, per_capita, standard;
	const char *notice_end, *region_code, *name, *id_number, *category, *above_since;
};

static int load_row(struct ctx *x, int64_t id, struct hh_row *h, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT h.status, h.org_id, h.submitted_by, h.version, h.notice_end,"
				 " o.region_code, h.name, h.id_number, h.per_capita_income_fen,"
				 " h.standard_fen, h.category, h.above_marginal_since"
				 " FROM households h JOIN orgs o ON o.id = h.org_id"
				 " WHERE h.id = ? AND o.path LIKE ?",
				 "is", id, ctx_scope_like(x));
	if (!s)
		return -E_DB;
	int rc = db_step(s, e);
	if (rc == DB_ROW) {
		h->status = hh_status_parse(db_col_text(s, 0));
		h->org_id = db_col_int(s, 1);
		h->submitted_by = db_col_int(s, 2);
		h->version = db_col_int(s, 3);
		h->notice_end = arena_strdup(x->a, db_col_text(s, 4));
		h->region_code = arena_strdup(x->a, db_col_text(s, 5));
		h->name = arena_strdup(x->a, db_col_text(s, 6));
		h->id_number = arena_strdup(x->a, db_col_text(s, 7));
		h->per_capita = db_col_int(s, 8);
		h->standard = db_col_int(s, 9);
		h->category = arena_strdup(x->a, db_col_text(s, 10));
		h->above_since = arena_strdup(x->a, db_col_text(s, 11));
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_set(e, E_NOT_FOUND, "档案不存在");
	}
	db_finalize(s);
	return rc;
}

static const char *str(json_t *b, const char *k)
{
	const char *s = json_string_value(json_object_get(b, k));
	return s && *s ? s : NULL;
}

/* RULE archive.number: <region code><year><5-digit sequence>, gap-free per
 * region and year because the counter moves in this transaction. */
static int next_archive_no(struct ctx *x, const char *region, const char **out, struct err *e)
{
	int year;
	date_to_ymd(x->today, &year, &(int){0}, &(int){0});
	int64_t seq = 0;
	int rc = db_int(x->db, e, &seq, NULL,
			"INSERT INTO archive_seqs (region_code, year, last) VALUES (?, ?, 1)"
			" ON CONFLICT (region_code, year) DO UPDATE SET last = archive_seqs.last + 1"
			" RETURNING last",
			"si", region, (int64_t)year);
	if (rc)
		return rc;
	if (seq > 99999)
		return err_set(e, E_CONFLICT, "本区划本年度档案编号已用完");
	*out = arena_printf(x->a, "%s%04d%05lld", region, year, (long long)seq);
	return 0;
}

/* review: new income/members/causes, category recomputed, exit tracking.
 * The old values go into the event's data. */
static int do_review(struct ctx *x, int64_t id, struct hh_row *h, json_t *b, const char **data,
		     struct err *e)
{
	int rc = 0;
	json_t *old = json_pack("{s:I,s:s?}", "per_capita_income_fen", (json_int_t)h->per_capita,
				"category", h->category);
	struct db_stmt *s = db_q(x->db, e, "SELECT monthly_income_fen, household_size FROM households"
					   " WHERE id = ?", "i", id);
	if (s && db_step(s, e) == DB_ROW) {
		json_object_set_new(old, "monthly_income_fen", json_integer(db_col_int(s, 0)));
		json_object_set_new(old, "household_size", json_integer(db_col_int(s, 1)));
	}
	db_finalize(s);
	if (json_object_get(b, "monthly_income_fen"))
		rc = db_run(x->db, e, "UPDATE households SET monthly_income_fen = ? WHERE id = ?", "ii",
			    (int64_t)json_integer_value(json_object_get(b, "monthly_income_fen")), id);
	if (!rc && json_object_get(b, "causes")) {
		char buf[512] = "";
		size_t i;
		json_t *v;
		json_array_foreach(json_object_get(b, "causes"), i, v) {
			if (cause_parse(json_string_value(v)) < 0) {
				rc = err_field(e, "causes", "未知的致困原因");
				break;
			}
			if (*buf)
				strcat(buf, ",");
			strcat(buf, json_string_value(v));
		}
		if (!rc)
			rc = db_run(x->db, e, "UPDATE households SET causes = ? WHERE id = ?", "si", buf, id);
	}
	if (!rc && json_object_get(b, "members")) {
		json_t *idn = json_string(h->id_number);
		rc = household_set_members(x, id, idn, json_object_get(b, "members"), e);
		json_decref(idn);
	}
	if (!rc)
		rc = household_recompute(x, id, e);
	int64_t pc = 0, standard = 0;
	const char *suggested = NULL;
	s = rc ? NULL : db_q(x->db, e, "SELECT per_capita_income_fen, standard_fen, suggested_category"
				       " FROM households WHERE id = ?", "i", id);
	if (s && db_step(s, e) == DB_ROW) {
		pc = db_col_int(s, 0);
		standard = db_col_int(s, 1);
		suggested = arena_strdup(x->a, db_col_text(s, 2));
	}
	db_finalize(s);
	if (!rc) {
		/* RULE archive.exit_suggest: above the marginal line at reviews
		 * spanning 6 months → suggested exit (never automatic) */
		int above = standard > 0 && pc * 100 > standard * CATEGORY_MARGINAL_PCT;
		const char *since = above ? (h->above_since ? h->above_since : x->today_s) : NULL;
		int suggest = 0;
		day_t d;
		if (since && date_parse(since, &d) == 0)
			suggest = date_add_months(d, 6) <= x->today;
		char next[11];
		date_format(date_add_months(x->today, 6), next);
		rc = db_run(x->db, e,
			    "UPDATE households SET category = ?, last_review_date = ?, next_review_date = ?,"
			    " above_marginal_since = ?, exit_suggested = ? WHERE id = ?",
			    "ssssii", suggested, x->today_s, next, since, (int64_t)suggest, id);
	}
	char *dump = json_dumps(old, JSON_COMPACT);
	*data = arena_strdup(x->a, dump);
	free(dump);
	json_decref(old);
	return rc;
}

int hh_transition(struct ctx *x, int64_t id, json_t *b, int *denied, struct err *e)
{
	struct hh_row h = {0};
	enum hh_action act = HA_SUBMIT;
	*denied = 0;
	int rc = load_row(x, id, &h, e);
	if (rc)
		return rc;
	const char *action = str(b, "action"), *comment = str(b, "comment");
	const struct hh_step *step = hh_step_find(action, &act);
	if (!step)
		return err_set(e, E_INVALID_TRANSITION, "未知的操作：%s", action ? action : "");
	if (!perm_allows(x->who.role, step->perm)) {
		*denied = 1;
		return err_set(e, E_FORBIDDEN, "“%s”角色不能执行“%s”", role_label(x->who.role), step->label);
	}
	if (!hh_step_allowed(step, h.status))
		return err_set(e, E_INVALID_TRANSITION, "档案处于“%s”状态，不能执行“%s”",
			       hh_status_label(h.status), step->label);
	if ((step->flags & HF_COMMENT) && !comment)
		return err_field(e, "comment", "请填写%s意见", step->label);
	if ((step->flags & HF_EXIT_REASON) && !str(b, "exit_reason"))
		return err_field(e, "exit_reason", "请填写退出原因");
	if ((step->flags & HF_CATEGORY) && category_parse(str(b, "category")) < 0)
		return err_field(e, "category", "请确认困难类别（dibao、marginal、accident 或 none）");
	if (step->flags & HF_VISIT) {
		int64_t n = 0;
		if ((rc = db_int(x->db, e, &n, NULL, "SELECT COUNT(*) FROM visits WHERE household_id = ?"
						     " AND kind = 'verification'", "i", id)))
			return rc;
		if (n == 0)
			return err_field(e, "visits", "审核前须有至少一次入户核查（verification）走访记录");
	}
	if ((step->flags & HF_NOT_SUBMITTER) && h.submitted_by == x->who.id && x->who.id) {
		*denied = 1;
		return err_set(e, E_SEPARATION_OF_DUTIES, "不能审批本人提交的档案");
	}
	if (step->flags & HF_NOTICE_OVER) {
		day_t end;
		/* RULE archive.notice: approve only after the notice period */
		if (!h.notice_end || date_parse(h.notice_end, &end) != 0 || x->today <= end)
			return err_set(e, E_NOTICE_PERIOD, "公示期至 %s 结束，期满后方可审批",
				       h.notice_end ? h.notice_end : "?");
	}
	if (step->flags & HF_NO_OBJECTION) {
		int64_t n = 0;
		if ((rc = db_int(x->db, e, &n, NULL, "SELECT COUNT(*) FROM objections WHERE household_id = ?"
						     " AND status = 'open'", "i", id)))
			return rc;
		if (n)
			return err_set(e, E_OPEN_OBJECTION, "公示期内有 %lld 条异议尚未处理", (long long)n);
	}

	const char *data = NULL;
	switch (act) {
	case HA_SUBMIT:
		rc = db_run(x->db, e, "UPDATE households SET submitted_by = ? WHERE id = ?", "zi",
			    x->who.id, id);
		break;
	case HA_VERIFY:
		rc = db_run(x->db, e, "UPDATE households SET category = ? WHERE id = ?", "si",
			    str(b, "category"), id);
		break;
	case HA_PUBLISH: {
		int64_t n = json_integer_value(json_object_get(b, "notice_workdays"));
		day_t end;
		if (n <= 0)
			n = 5;
		if (!(rc = calendar_add_workdays(x, x->today, (int)n, &end, e))) {
			char es[11];
			date_format(end, es);
			rc = db_run(x->db, e, "UPDATE households SET notice_end = ? WHERE id = ?", "si", es, id);
			data = arena_printf(x->a, "{\"notice_workdays\":%lld,\"notice_end\":\"%s\"}",
					    (long long)n, es);
		}
		break;
	}
	case HA_ENTER: {
		const char *no = NULL;
		char next[11];
		date_format(date_add_months(x->today, 6), next);
		/* RULE watch.reopen: a reopened archive keeps its number */
		if (!(rc = watch_kept_archive_no(x, id, &no, e)) && !no)
			rc = next_archive_no(x, h.region_code, &no, e);
		if (!rc)
			rc = db_run(x->db, e, "UPDATE households SET archive_no = ?, entered_on = ?,"
					      " next_review_date = ? WHERE id = ?",
				    "sssi", no, x->today_s, next, id);
		if (!rc) /* RULE cards.reactivate */
			rc = cards_on_enter(x, id, e);
		break;
	}
	case HA_REVIEW:
		rc = do_review(x, id, &h, b, &data, e);
		break;
	case HA_EXIT:
		rc = db_run(x->db, e, "UPDATE households SET exit_reason = ?, exited_on = ?,"
				      " exit_suggested = 0 WHERE id = ?",
			    "ssi", str(b, "exit_reason"), x->today_s, id);
		if (!rc) /* RULE archive.open: the people are free for a new archive */
			rc = db_run(x->db, e, "UPDATE archive_people SET is_open = 0 WHERE household_id = ?",
				    "i", id);
		if (!rc) /* RULE cards.suspend, in this transaction */
			rc = cards_on_exit(x, id, e);
		if (!rc) /* RULE watch.exit */
			rc = watch_on_exit(x, id, e);
		break;
	case HA_REOPEN:
		rc = watch_on_reopen(x, id, e);
		break;
	default:
		break;
	}
	if (!rc && (act == HA_APPROVE || act == HA_REVIEW)) /* 帮扶主项 */
		rc = primary_aid_apply(x, id, b, e);
	if (rc)
		return rc;
	const char *from = hh_status_name(h.status), *to = hh_status_name(step->to);
	/* guarded by the status read above: of two concurrent steps on one
	 * archive, the second finds no row and changes nothing (409) */
	int64_t moved = 0;
	if ((rc = db_int(x->db, e, &moved, NULL,
			 "UPDATE households SET status = ?, version = version + 1, updated_at = ?"
			 " WHERE id = ? AND status = ? AND version = ? RETURNING id",
			 "ssisi", to, x->now_s, id, from, h.version)))
		return rc;
	if (!moved)
		return err_set(e, E_CONFLICT, "档案已被他人同时处理，请刷新后重试");
	if ((rc = household_event(x, id, step->name, from, to,
				  comment ? comment : str(b, "exit_reason"), data, e)))
		return rc;
	return audit_add(x, step->name, "household", id, h.org_id, e, "档案“%s”：%s（%s → %s）%s%s",
			 h.name, step->label, hh_status_label(h.status), hh_status_label(step->to),
			 comment ? "，意见：" : "", comment ? comment : "");
}

int hh_h_transition(struct req *r)
{
	int denied = 0;
	int rc = hh_transition(&r->x, r->id, r->in, &denied, &r->err);
	if (rc && denied)
		return req_deny(r, r->err.code, r->err.msg);
	if (rc)
		return rc;
	json_t *o = household_json(&r->x, r->id, 0, &r->err);
	return o ? req_reply(r, 200, o) : -E_DB;
}

json_t *hh_events_json(struct ctx *x, int64_t id, struct err *e)
{
	struct db_stmt *s = db_q(x->db, e,
				 "SELECT e.id, e.at, e.user_id, u.name AS user_name, e.action,"
				 " e.from_status AS \"from\", e.to_status AS \"to\", e.comment, e.data"
				 " FROM household_events e LEFT JOIN users u ON u.id = e.user_id"
				 " WHERE e.household_id = ? ORDER BY e.id",
				 "i", id);
	json_t *items = s ? db_rows_json(s, e) : NULL;
	db_finalize(s);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) { /* data is stored as JSON text */
		json_t *d = json_loads(json_string_value(json_object_get(it, "data")), 0, NULL);
		json_object_set_new(it, "data", d ? d : json_null());
	}
	return items;
}

int hh_h_events(struct req *r)
{
	json_t *items = hh_events_json(&r->x, r->id, &r->err);
	return items ? req_reply_list(r, items, (int64_t)json_array_size(items)) : -E_DB;
}
