/* cli.h — the command line: one table of commands (main.c), options
 * parsed the same way for all, the same service functions as the API.
 * Exit codes: 0 success, 1 failure at run time, 2 usage error. */
#ifndef BANGFU_CLI_H
#define BANGFU_CLI_H

#include "core/ctx.h"

#define CLI_MAX_OPTS 16

struct cli_opts {
	int n;
	char name[CLI_MAX_OPTS][32];     /* "db", "demo" */
	const char *value[CLI_MAX_OPTS]; /* NULL for flags */
	const char *args[CLI_MAX_OPTS];  /* positional */
	int nargs;
};

/* Parses argv against `allowed` ("db=,listen=,demo" — '=' takes a value).
 * Prints the problem and returns 2 on a usage error. */
int cli_parse(int argc, char **argv, const char *allowed, struct cli_opts *o);
const char *cli_get(const struct cli_opts *o, const char *name);
int cli_flag(const struct cli_opts *o, const char *name);

/* Opens --db (or $BANGFU_DB) and fills x: arena, clock (--clock-file or
 * $BANGFU_CLOCK_FILE), the system actor (full scope, audit user NULL). */
int cli_open(const struct cli_opts *o, struct ctx *x, struct config *cfg, struct err *e);
void cli_close(struct ctx *x);

/* Prints e on stderr and returns its exit code. */
int cli_fail(const struct err *e);

struct command {
	const char *name;      /* "user add" */
	int (*run)(int argc, char **argv);
	const char *usage;     /* the synopsis line */
	const char *help;      /* zh-CN description */
};

int cmd_init(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user_add(int argc, char **argv);
int cmd_user_passwd(int argc, char **argv);
int cmd_user_lock(int argc, char **argv);
int cmd_user_unlock(int argc, char **argv);
int cmd_token_create(int argc, char **argv);
int cmd_calendar_import(int argc, char **argv);
int cmd_audit_verify(int argc, char **argv);
int cmd_funds_reconcile(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_purge(int argc, char **argv);
int cmd_import_households(int argc, char **argv);
int cmd_report_quarterly(int argc, char **argv);
int cmd_export_households(int argc, char **argv);
int cmd_routes(int argc, char **argv);

#endif
