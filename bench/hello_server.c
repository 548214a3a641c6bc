/* The baseline for the read benchmark: a bare libmicrohttpd server answering "hello" with the same threading
 * model as safeguard serve (epoll internal thread pool). Usage: hello_server PORT_FILE [THREADS] */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                              const char *version, const char *data, size_t *size, void **state)
{
	static int first;
	if (!*state) {
		*state = &first; /* queue on the second call, as safeguard does, so keep-alive is kept */
		return MHD_YES;
	}
	static const char body[] = "hello";
	struct MHD_Response *r = MHD_create_response_from_buffer(sizeof body - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "text/plain");
	enum MHD_Result rc = MHD_queue_response(conn, 200, r);
	MHD_destroy_response(r);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: hello_server PORT_FILE [THREADS]\n");
		return 2;
	}
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD, 0, NULL, NULL, answer, NULL,
	                                        MHD_OPTION_THREAD_POOL_SIZE, argc > 2 ? (unsigned)atoi(argv[2]) : 2u,
	                                        MHD_OPTION_END);
	if (!d)
		return 1;
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	FILE *f = fopen(argv[1], "w");
	fprintf(f, "%u\n", info->port);
	fclose(f);
	int sig;
	sigwait(&stop, &sig);
	MHD_stop_daemon(d);
	return 0;
}
