/* server: the libmicrohttpd adapter, the only file that includes microhttpd.h, so the HTTP library can be swapped.
 *
 * It reads each request within limits (headers, body size, idle timeout), parses the query string and the body
 * (form or JSON) with our own parsers, calls the handler given at start-up once per complete request, sends the
 * response, and writes one JSON line per request to the access log: time, method, route pattern, status and
 * duration. Never the path itself, the query or the body, which may hold personal data. */
#ifndef SG_SERVER_H
#define SG_SERVER_H
#include <stdint.h>
#include <stdio.h>

#include "http/http.h"

struct server_config {
	const char *host;      /* "127.0.0.1" */
	uint16_t port;         /* 0 = ephemeral */
	unsigned threads;      /* worker threads in the epoll pool */
	size_t max_body;       /* bytes; larger bodies get 413 */
	unsigned timeout_s;    /* idle connection timeout */
	FILE *access_log;      /* NULL = no access log */
	void (*handle)(struct http_request *req); /* called for every complete request */
	void *app;             /* stored in req->app */
};

struct server;

int server_start(struct server **out, const struct server_config *cfg, struct buf *err);
uint16_t server_port(const struct server *srv); /* the bound port (useful with port 0) */
/* Stops accepting, waits up to grace_ms for requests in flight to finish, then stops the threads. */
void server_stop(struct server *srv, unsigned grace_ms);

#endif
