/* server.h — the HTTP server (libmicrohttpd). */
#ifndef BANGFU_SERVER_H
#define BANGFU_SERVER_H

#include "core/ctx.h"

/* Serves until SIGTERM or SIGINT, then lets in-flight requests finish and
 * closes the databases.  Returns 0, or <0 with e set when it cannot start. */
int server_run(const struct config *cfg, struct err *e);

struct req;
/* GET /metrics (Prometheus text), answered to loopback clients only. */
int server_metrics(struct req *r);

#endif
