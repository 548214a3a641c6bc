#include "http/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "core/xmalloc.h"
#include "http/router.h"

struct server {
	struct MHD_Daemon *daemon;
	struct server_config cfg;
	atomic_int inflight;
	uint16_t port;
};

/* Per-request state, created by the URI log callback (which sees the raw URI before libmicrohttpd parses it). */
struct conn_state {
	struct http_request req;
	struct timespec started;
	bool too_large;
	bool started_handler;
	struct buf body;
};

static double elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct server *srv = cls;
	struct conn_state *cs = xcalloc(1, sizeof *cs);
	clock_gettime(CLOCK_MONOTONIC, &cs->started);
	arena_init(&cs->req.arena);
	buf_init(&cs->req.out, 0);
	buf_init(&cs->body, srv->cfg.max_body + 1);
	const char *q = strchr(uri, '?');
	size_t plen = q ? (size_t)(q - uri) : strlen(uri);
	char *path;
	if (http_url_decode(&cs->req.arena, uri, plen, false, &path) < 0)
		path = NULL; /* answered with 400 once the request is complete */
	cs->req.path = path;
	cs->req.raw_query = arena_strdup(&cs->req.arena, q ? q + 1 : "");
	cs->req.app = srv->cfg.app;
	atomic_fetch_add(&srv->inflight, 1);
	return cs;
}

static void log_access(struct server *srv, struct conn_state *cs)
{
	if (!srv->cfg.access_log)
		return;
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	const char *route = cs->req.route ? cs->req.route->pattern : "(unmatched)";
	/* Patterns and method names are ours, so they need no JSON escaping beyond what they are. */
	fprintf(srv->cfg.access_log,
	        "{\"ts\":\"%s\",\"method\":\"%s\",\"route\":\"%s\",\"status\":%d,\"ms\":%.3f}\n", ts,
	        cs->req.method_name ? cs->req.method_name : "?", route, cs->req.status, elapsed_ms(&cs->started));
	fflush(srv->cfg.access_log);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode tc)
{
	struct server *srv = cls;
	struct conn_state *cs = *con_cls;
	if (!cs)
		return;
	log_access(srv, cs);
	json_decref(cs->req.json);
	buf_free(&cs->req.out);
	buf_free(&cs->body);
	arena_free(&cs->req.arena);
	free(cs);
	*con_cls = NULL;
	atomic_fetch_sub(&srv->inflight, 1);
}

static const char *header(struct MHD_Connection *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

static bool is_type(const char *ct, const char *want)
{
	size_t n = strlen(want);
	return ct && strncasecmp(ct, want, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Parses the query and the body; on bad input queues a 4xx into req and returns -1. */
static int parse_inputs(struct conn_state *cs)
{
	struct http_request *req = &cs->req;
	if (!req->path) {
		http_problem(req, 400, "Malformed URL", "The address contains an invalid percent-escape.", NULL);
		return -1;
	}
	if (http_parse_pairs(&req->arena, req->raw_query, strlen(req->raw_query), &req->query, &req->nquery) < 0) {
		http_problem(req, 400, "Malformed query string", "The query string could not be decoded.", NULL);
		return -1;
	}
	if (cs->too_large) {
		http_problem(req, 413, "Request body too large", "The request body is larger than the server accepts.",
		             NULL);
		return -1;
	}
	req->body = cs->body.data ? cs->body.data : "";
	req->body_len = cs->body.len;
	if (req->body_len == 0)
		return 0;
	if (is_type(req->content_type, "application/x-www-form-urlencoded")) {
		if (memchr(req->body, '\0', req->body_len) ||
		    http_parse_pairs(&req->arena, req->body, req->body_len, &req->form, &req->nform) < 0) {
			http_problem(req, 400, "Malformed form", "The form body could not be decoded.", NULL);
			return -1;
		}
	} else if (is_type(req->content_type, "multipart/form-data")) {
		if (http_parse_multipart(&req->arena, req->content_type, req->body, req->body_len, &req->form, &req->nform,
		                         &req->files, &req->nfiles) < 0) {
			http_problem(req, 400, "Malformed upload", "The multipart form body could not be read.", NULL);
			return -1;
		}
	} else if (is_type(req->content_type, "application/json")) {
		json_error_t jerr;
		req->json = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
		if (!req->json) {
			char detail[300];
			snprintf(detail, sizeof detail, "The body is not valid JSON: %s at line %d column %d.", jerr.text,
			         jerr.line, jerr.column);
			http_problem(req, 400, "Malformed JSON", detail, NULL);
			return -1;
		}
	} else if (req->method != HTTP_GET) {
		http_problem(req, 415, "Unsupported media type",
		             "Send application/json or application/x-www-form-urlencoded.", NULL);
		return -1;
	}
	return 0;
}

static enum MHD_Result queue(struct MHD_Connection *conn, struct http_request *req)
{
	struct MHD_Response *resp = NULL;
	if (req->out_file) {
		int fd = open(req->out_file, O_RDONLY | O_CLOEXEC);
		struct stat sb;
		if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
			resp = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
		} else {
			if (fd >= 0)
				close(fd);
			req->out_file = NULL;
			http_problem(req, 404, "Not found", NULL, NULL);
		}
	}
	if (!resp) {
		const char *body = req->method == HTTP_HEAD ? "" : buf_str(&req->out);
		size_t len = req->method == HTTP_HEAD ? 0 : req->out.len;
		resp = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	}
	if (!resp)
		return MHD_NO;
	if (req->out_type)
		MHD_add_response_header(resp, "Content-Type", req->out_type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Content-Security-Policy",
	                        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self' "
	                        "'sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw='; frame-ancestors 'none'");
	bool cache_set = false;
	for (int i = 0; i < req->nout_headers; i++) {
		MHD_add_response_header(resp, req->out_headers[i].key, req->out_headers[i].value);
		if (strcasecmp(req->out_headers[i].key, "Cache-Control") == 0)
			cache_set = true;
	}
	if (!cache_set)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	enum MHD_Result r = MHD_queue_response(conn, (unsigned)req->status, resp);
	MHD_destroy_response(resp);
	return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
	struct server *srv = cls;
	struct conn_state *cs = *con_cls;
	struct http_request *req = &cs->req;
	if (!cs->started_handler) {
		/* First call: headers only. Do not queue here, or libmicrohttpd drops keep-alive. */
		cs->started_handler = true;
		req->method_name = arena_strdup(&req->arena, method);
		req->method = router_method(method);
		req->content_type = arena_strdup(&req->arena, header(conn, "Content-Type"));
		req->accept = arena_strdup(&req->arena, header(conn, "Accept"));
		req->cookie = arena_strdup(&req->arena, header(conn, "Cookie"));
		req->csrf_header = arena_strdup(&req->arena, header(conn, "X-CSRF-Token"));
		const char *cl = header(conn, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > srv->cfg.max_body)
			cs->too_large = true;
		req->is_api = req->path && strncmp(req->path, "/api/", 5) == 0;
		if (!cs->too_large)
			return MHD_YES;
		/* Refuse at once rather than read a body we will not keep; the connection then closes. */
		http_problem(req, 413, "Request body too large", "The request body is larger than the server accepts.",
		             NULL);
		return queue(conn, req);
	}
	if (cs->too_large) {
		*upload_data_size = 0;
		return MHD_YES; /* the 413 is already queued */
	}
	if (*upload_data_size) {
		if (buf_add(&cs->body, upload_data, *upload_data_size) < 0) {
			cs->too_large = true;
			*upload_data_size = 0;
			http_problem(req, 413, "Request body too large",
			             "The request body is larger than the server accepts.", NULL);
			return queue(conn, req);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (!req->method) {
		http_problem(req, 405, "Method not allowed", "This server does not support that method.", NULL);
	} else if (parse_inputs(cs) == 0) {
		srv->cfg.handle(req);
	}
	if (!req->status)
		http_problem(req, 500, "Internal error", "The request was not answered.", NULL);
	return queue(conn, req);
}

int server_start(struct server **out, const struct server_config *cfg, struct buf *err)
{
	struct server *srv = xcalloc(1, sizeof *srv);
	srv->cfg = *cfg;
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons(cfg->port);
	if (inet_pton(AF_INET, cfg->host, &addr.sin_addr) != 1) {
		buf_addf(err, "listen address %s is not an IPv4 address", cfg->host);
		free(srv);
		return -1;
	}
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC; /* ITC: quiesce on shutdown */
	srv->daemon = MHD_start_daemon(
		flags, cfg->port, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, cfg->threads ? cfg->threads : 2, MHD_OPTION_CONNECTION_TIMEOUT,
		cfg->timeout_s ? cfg->timeout_s : 30, MHD_OPTION_CONNECTION_LIMIT, 512,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32 * 1024, MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1, MHD_OPTION_END);
	if (!srv->daemon) {
		buf_addf(err, "cannot listen on %s:%u (is the port in use?)", cfg->host, cfg->port);
		free(srv);
		return -1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : cfg->port;
	*out = srv;
	return 0;
}

uint16_t server_port(const struct server *srv)
{
	return srv->port;
}

void server_stop(struct server *srv, unsigned grace_ms)
{
	if (!srv)
		return;
	MHD_socket s = MHD_quiesce_daemon(srv->daemon);
	for (unsigned waited = 0; atomic_load(&srv->inflight) > 0 && waited < grace_ms; waited += 10)
		usleep(10000);
	MHD_stop_daemon(srv->daemon);
	if (s != MHD_INVALID_SOCKET)
		close(s);
	free(srv);
}
