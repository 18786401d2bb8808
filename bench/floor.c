/* floor.c — the benchmark floor: the fastest bangfu could possibly be.
 *
 * A bare libmicrohttpd server configured like bangfu's (internal polling
 * thread pool of 8, epoll, ITC, 512 connections, 30 s timeout) that answers
 * every request with a small fixed JSON body shaped like GET /api/v1/me.
 * No routing, no database, no logging: whatever bangfu measures below this
 * is bangfu's own cost.
 *
 * Like bangfu, the first callback for a request only answers MHD_YES and the
 * response is queued on the second: queuing on the first call makes MHD
 * 0.9.75 answer "Connection: close", which would make the floor 3–9× slower
 * and the comparison meaningless.
 *
 * Usage: floor PORT   (listens on 127.0.0.1; SIGTERM/SIGINT stop it cleanly)
 */
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

static const char BODY[] = "{\"id\":1,\"username\":\"admin\",\"name\":\"x\",\"org_id\":1,\"role\":\"admin\"}";

static struct MHD_Response *shared_resp;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	static int marker;
	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload;
	if (*con_cls == NULL) {
		*con_cls = &marker;
		return MHD_YES;
	}
	if (*upload_size) { /* discard any body */
		*upload_size = 0;
		return MHD_YES;
	}
	*con_cls = NULL;
	return MHD_queue_response(conn, MHD_HTTP_OK, shared_resp);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s PORT\n", argv[0]);
		return 2;
	}
	char *end;
	long port = strtol(argv[1], &end, 10);
	if (*end || port < 1 || port > 65535) {
		fprintf(stderr, "floor: invalid port %s\n", argv[1]);
		return 2;
	}

	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	shared_resp = MHD_create_response_from_buffer(sizeof BODY - 1, (void *)BODY,
						      MHD_RESPMEM_PERSISTENT);
	if (!shared_resp)
		return 1;
	MHD_add_response_header(shared_resp, "Content-Type", "application/json");

	/* Signals go to this thread alone (blocked before MHD starts its threads). */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0,
		NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)8, MHD_OPTION_CONNECTION_LIMIT, (unsigned)512,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "floor: cannot listen on 127.0.0.1:%ld\n", port);
		MHD_destroy_response(shared_resp);
		return 1;
	}
	fprintf(stderr, "floor: serving on http://127.0.0.1:%ld\n", port);
	int sig = 0;
	sigwait(&set, &sig);
	MHD_quiesce_daemon(d);
	MHD_stop_daemon(d);
	MHD_destroy_response(shared_resp);
	fprintf(stderr, "floor: stopped cleanly\n");
	return 0;
}
