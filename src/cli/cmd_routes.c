/* cmd_routes.c — `bangfu routes [--check]`: the route table as JSON (for
 * the route × role × scope matrix test), or, with --check, the table's
 * rules (http/route_check.c) checked; the build runs the latter. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "http/route.h"

int cmd_routes(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse(argc, argv, "check,help", &o);
	if (rc)
		return rc;
	char msg[512];
	if (route_table_check(routes, routes_count, msg, sizeof msg)) {
		fprintf(stderr, "bangfu: 路由表有误：%s\n", msg);
		return 1;
	}
	if (cli_flag(&o, "check"))
		return 0;
	json_t *t = route_table_json();
	char *s = json_dumps(t, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(t);
	if (!s)
		return 1;
	puts(s);
	free(s);
	return 0;
}
