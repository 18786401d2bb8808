/* primary_aid.c — 帮扶主项: checked against the programmes and the items
 * beside them, set on approve, review and PATCH. */
#include "services/primary_aid.h"

#include <string.h>

/* Items beside the programmes (employment and legal are programmes too). */
static const struct {
	const char *code, *label;
} extra[] = {
	{"medical_mutual", "医疗互助"},
	{"employment", "就业援助"},
	{"legal", "法律援助"},
};

const char *primary_aid_label(struct ctx *x, const char *code)
{
	for (size_t i = 0; code && i < sizeof extra / sizeof extra[0]; i++)
		if (!strcmp(code, extra[i].code))
			return extra[i].label;
	struct err e = {0};
	struct db_stmt *s = code ? db_q(x->db, &e, "SELECT name FROM programs WHERE code = ?", "s", code) : NULL;
	const char *name = s && db_step(s, &e) == DB_ROW ? arena_strdup(x->a, db_col_text(s, 0)) : NULL;
	db_finalize(s);
	err_clear(&e);
	return name;
}

int primary_aid_known(struct ctx *x, const char *code, struct err *e)
{
	(void)e;
	return primary_aid_label(x, code) != NULL;
}

int primary_aid_apply(struct ctx *x, int64_t id, json_t *body, struct err *e)
{
	json_t *v = json_object_get(body, "primary_aid");
	if (!v)
		return 0;
	const char *code = json_string_value(v);
	if (!json_is_null(v) && !primary_aid_known(x, code, e))
		return err_field(e, "primary_aid", "未知的帮扶主项：%s（应为帮扶项目代码，或 employment、legal、medical_mutual）",
				 code ? code : "");
	return db_run(x->db, e, "UPDATE households SET primary_aid = ? WHERE id = ?", "si", code, id);
}
