#include "services/setup.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "services/audit.h"
#include "services/calendar.h"
#include "services/orgs.h"
#include "services/users.h"
#include "store/migrate.h"

/* 16 characters from an alphabet without look-alikes, with at least one
 * letter and one digit (RULE password.strength). */
void random_password(char out[17])
{
	static const char alpha[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (;;) {
		int letters = 0, digits = 0;
		for (int i = 0; i < 16; i++) {
			out[i] = alpha[randombytes_uniform(sizeof alpha - 1)];
			letters += out[i] > '9';
			digits += out[i] <= '9';
		}
		out[16] = '\0';
		if (letters && digits)
			return;
	}
}

int setup_init(struct ctx *x, const struct init_opts *o, struct err *e)
{
	if (migrate_has_data(x->db))
		return err_set(e, E_CONFLICT, "数据库中已有数据，init 拒绝覆盖（如需重建请换一个新数据库）");
	int rc = migrate_up(x->db, e);
	if (rc)
		return rc;
	char generated[17];
	const char *pw = o->admin_password;
	if (!pw) {
		random_password(generated);
		pw = generated;
	}
	x->who.org_path = "/";
	x->who.role = ROLE_ADMIN;
	int64_t root = 0, admin = 0;
	const char *years = NULL;
	if ((rc = db_begin(x->db, 1, e)) ||
	    (rc = org_create(x, 0, o->org_name, LEVEL_CITY, o->region_code, &root, e)) ||
	    (rc = user_add(x, o->admin_user, "系统管理员", root, "admin", pw, &admin, e)) ||
	    (rc = calendar_statutory_sync(x, &years, e)))
		goto out;
	if (!o->admin_password &&
	    (rc = db_run(x->db, e, "UPDATE users SET must_change_password = 1 WHERE id = ?", "i", admin)))
		goto out;
	if (o->demo && ((rc = demo_build(x, root, o->region_code, e)) || (rc = demo_households(x, e)) ||
			  (rc = demo_aid(x, e)) || (rc = demo_cases(x, e)) || (rc = demo_services(x, e)) ||
			  (rc = demo_attachments(x, e)) || (rc = demo_found(x, e)) || (rc = demo_mutual(x, e)) ||
			  (rc = demo_outreach(x, e))))
		goto out;
	rc = db_commit(x->db, e);
out:
	db_rollback(x->db);
	if (rc)
		return rc;
	printf("已初始化：%s（单位编号 %lld，区划 %s）\n", o->org_name, (long long)root, o->region_code);
	printf("管理员：%s  密码：%s\n", o->admin_user, pw);
	if (years)
		printf("已载入法定节假日安排：%s 年\n", years);
	return 0;
}
