#include "testsrv.h"

#include "core/date.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *bin(void)
{
	const char *b = getenv("SAFEGUARD_BIN");
	return b ? b : "build/safeguard";
}

int testsrv_run(struct testsrv *srv, struct buf *out, const char *const *args)
{
	int pipefd[2];
	if (pipe(pipefd) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		setenv("SAFEGUARD_DB", srv->db, 1);
		const char *argv[32];
		int n = 0;
		argv[n++] = bin();
		for (int i = 0; args[i] && n < 31; i++)
			argv[n++] = args[i];
		argv[n] = NULL;
		execv(bin(), (char *const *)argv);
		_exit(127);
	}
	close(pipefd[1]);
	char chunk[4096];
	ssize_t got;
	while ((got = read(pipefd[0], chunk, sizeof chunk)) > 0)
		if (out)
			buf_add(out, chunk, (size_t)got);
	close(pipefd[0]);
	int status;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int testsrv_start(struct testsrv *srv, bool seed)
{
	memset(srv, 0, sizeof *srv);
	snprintf(srv->dir, sizeof srv->dir, "/tmp/sgtest.XXXXXX");
	if (!mkdtemp(srv->dir)) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(srv->db, sizeof srv->db, "%s/t.db", srv->dir);
	const char *home = getenv("SAFEGUARD_HOME");
	snprintf(srv->home, sizeof srv->home, "%s", home ? home : ".");
	struct buf out;
	buf_init(&out, 0);
	const char *mig[] = {"migrate", "--home", srv->home, NULL};
	if (testsrv_run(srv, &out, mig) != 0) {
		fprintf(stderr, "migrate failed: %s\n", buf_str(&out));
		exit(1);
	}
	if (seed) {
		const char *sd[] = {"seed-demo", "--home", srv->home, NULL};
		buf_reset(&out);
		if (testsrv_run(srv, &out, sd) != 0) {
			fprintf(stderr, "seed-demo failed: %s\n", buf_str(&out));
			exit(1);
		}
	}
	buf_free(&out);
	char port_file[400], log_file[400];
	snprintf(port_file, sizeof port_file, "%s/port", srv->dir);
	snprintf(log_file, sizeof log_file, "%s/access.log", srv->dir);
	pid_t pid = fork();
	if (pid == 0) {
		setenv("SAFEGUARD_DB", srv->db, 1);
		setenv("SAFEGUARD_COOKIE_SECURE", "0", 1);
		char errlog[400];
		snprintf(errlog, sizeof errlog, "%s/server.log", srv->dir);
		int fd = open(errlog, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(bin(), bin(), "serve", "--listen", "127.0.0.1:0", "--home", srv->home, "--port-file", port_file,
		      "--access-log", log_file, (char *)NULL);
		_exit(127);
	}
	srv->pid = pid;
	for (int i = 0; i < 500; i++) {
		FILE *f = fopen(port_file, "r");
		if (f) {
			int ok = fscanf(f, "%d", &srv->port);
			fclose(f);
			if (ok == 1 && srv->port > 0)
				return 0;
		}
		int status;
		if (waitpid(pid, &status, WNOHANG) == pid) {
			fprintf(stderr, "server exited during start-up; see %s/server.log\n", srv->dir);
			exit(1);
		}
		usleep(20000);
	}
	fprintf(stderr, "server did not start within 10 s\n");
	kill(pid, SIGKILL);
	exit(1);
}

int testsrv_stop(struct testsrv *srv)
{
	kill(srv->pid, SIGTERM);
	int status = 0;
	for (int i = 0; i < 500; i++) {
		if (waitpid(srv->pid, &status, WNOHANG) == srv->pid)
			break;
		usleep(20000);
		if (i == 499) {
			kill(srv->pid, SIGKILL);
			waitpid(srv->pid, &status, 0);
			return -1;
		}
	}
	bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	if (!clean) {
		/* A server that did not stop cleanly shows why before its directory goes. */
		char path[600], line[1024];
		snprintf(path, sizeof path, "%s/server.log", srv->dir);
		FILE *f = fopen(path, "r");
		fprintf(stderr, "server stopped with status %d; its log:\n", status);
		while (f && fgets(line, sizeof line, f))
			fprintf(stderr, "  | %s", line);
		if (f)
			fclose(f);
	}
	if (!getenv("SAFEGUARD_KEEP_TEST_DIR")) {
		char cmd[600];
		snprintf(cmd, sizeof cmd, "%s/server.log", srv->dir);
		/* Remove the temporary directory's known files, then the directory. */
		const char *files[] = {"t.db", "t.db-wal", "t.db-shm", "port", "access.log", "server.log"};
		for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
			snprintf(cmd, sizeof cmd, "%s/%s", srv->dir, files[i]);
			unlink(cmd);
		}
		rmdir(srv->dir);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void client_init(struct client *c, struct testsrv *srv)
{
	memset(c, 0, sizeof *c);
	c->srv = srv;
}

static int connect_to(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void parse_response(struct buf *raw, struct http_resp *r)
{
	const char *s = buf_str(raw);
	const char *hdr_end = strstr(s, "\r\n\r\n");
	sscanf(s, "HTTP/1.%*d %d", &r->status);
	size_t hlen = hdr_end ? (size_t)(hdr_end - s) : raw->len;
	buf_add(&r->headers, s, hlen);
	if (hdr_end)
		buf_add(&r->body, hdr_end + 4, raw->len - hlen - 4);
	const char *ct = resp_header(r, "Content-Type");
	if (ct && strstr(ct, "json"))
		r->json = json_loads(buf_str(&r->body), 0, NULL);
}

static void remember_cookie(struct client *c, struct http_resp *r)
{
	const char *h = buf_str(&r->headers);
	const char *p = h;
	while ((p = strcasestr(p, "\r\nSet-Cookie: sg_session="))) {
		p += strlen("\r\nSet-Cookie: ");
		size_t n = strcspn(p, ";\r");
		if (n < sizeof c->cookie) {
			memcpy(c->cookie, p, n);
			c->cookie[n] = '\0';
		}
		if (strncmp(c->cookie, "sg_session=;", 12) == 0 || strcmp(c->cookie, "sg_session=") == 0)
			c->cookie[0] = '\0';
	}
}

int client_raw(struct client *c, const char *raw, size_t len, struct http_resp *r)
{
	memset(r, 0, sizeof *r);
	buf_init(&r->headers, 0);
	buf_init(&r->body, 0);
	int fd = connect_to(c->srv->port);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, raw + off, len - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	shutdown(fd, SHUT_WR);
	struct buf in;
	buf_init(&in, 0);
	char chunk[8192];
	ssize_t got;
	while ((got = read(fd, chunk, sizeof chunk)) > 0)
		buf_add(&in, chunk, (size_t)got);
	close(fd);
	parse_response(&in, r);
	buf_free(&in);
	remember_cookie(c, r);
	return r->status;
}

int client_req(struct client *c, const char *method, const char *path, const char *content_type, const char *body,
               struct http_resp *r)
{
	struct buf req;
	buf_init(&req, 0);
	buf_addf(&req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n", method, path);
	if (c->cookie[0])
		buf_addf(&req, "Cookie: %s\r\n", c->cookie);
	if (strcmp(method, "GET") && c->csrf[0])
		buf_addf(&req, "X-CSRF-Token: %s\r\n", c->csrf);
	if (strncmp(path, "/api/", 5) == 0)
		buf_adds(&req, "Accept: application/json\r\n");
	if (body) {
		buf_addf(&req, "Content-Type: %s\r\nContent-Length: %zu\r\n",
		         content_type ? content_type : "application/json", strlen(body));
	}
	buf_adds(&req, "\r\n");
	if (body)
		buf_adds(&req, body);
	int rc = client_raw(c, req.data, req.len, r);
	buf_free(&req);
	return rc;
}

int client_login(struct client *c, const char *username, const char *password)
{
	char body[512];
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
	struct http_resp r;
	int status = client_req(c, "POST", "/api/v1/session", NULL, body, &r);
	const char *t = json_string_value(json_object_get(r.json, "csrf_token"));
	if (t)
		snprintf(c->csrf, sizeof c->csrf, "%s", t);
	resp_free(&r);
	return status;
}

const char *resp_header(struct http_resp *r, const char *name)
{
	static _Thread_local char value[1024];
	const char *h = buf_str(&r->headers);
	size_t n = strlen(name);
	for (const char *p = h; (p = strstr(p, "\r\n")); p += 2) {
		if (strncasecmp(p + 2, name, n) == 0 && p[2 + n] == ':') {
			const char *v = p + 3 + n;
			while (*v == ' ')
				v++;
			size_t len = strcspn(v, "\r");
			if (len >= sizeof value)
				len = sizeof value - 1;
			memcpy(value, v, len);
			value[len] = '\0';
			return value;
		}
	}
	return NULL;
}

void resp_free(struct http_resp *r)
{
	buf_free(&r->headers);
	buf_free(&r->body);
	json_decref(r->json);
	r->json = NULL;
}

/* ---- helpers shared by the integration tests ---- */

const char *tc_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	if (!s)
		fail_msg("no string %s", key);
	return s;
}

json_t *tc_call(struct client *c, const char *method, const char *path, const char *body, int want)
{
	struct http_resp r;
	int got = client_req(c, method, path, NULL, body, &r);
	if (got != want)
		fail_msg("%s %s: status %d, want %d: %.2000s", method, path, got, want, buf_str(&r.body));
	json_t *j = r.json ? json_incref(r.json) : NULL;
	resp_free(&r);
	return j;
}

json_t *tc_callf(struct client *c, const char *method, int want, const char *path, const char *fmt, ...)
{
	char body[16384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(body, sizeof body, fmt, ap);
	va_end(ap);
	return tc_call(c, method, path, body, want);
}

const char *tc_pathf(const char *fmt, ...)
{
	static _Thread_local char paths[4][512];
	static _Thread_local int next;
	char *p = paths[next++ % 4];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p, 512, fmt, ap);
	va_end(ap);
	return p;
}

void tc_expect_reason(json_t *problem, const char *want)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(problem, "errors"), i, e) {
		static const char *const keys[] = {"field", "message", "rule"};
		for (size_t k = 0; k < 3; k++) {
			const char *v = json_string_value(json_object_get(e, keys[k]));
			if (v && strstr(v, want))
				return;
		}
	}
	char *dump = json_dumps(problem, JSON_COMPACT);
	fail_msg("no error mentions \"%s\": %s", want, dump ? dump : "(null)");
}

void tc_login(struct testsrv *srv, struct client *c, const char *name, char id[64])
{
	client_init(c, srv);
	assert_int_equal(client_login(c, name, DEMO_PASSWORD), 201);
	if (id) {
		json_t *r = tc_call(c, "GET", "/api/v1/session", NULL, 200);
		snprintf(id, 64, "%s", tc_str(json_object_get(r, "user"), "id"));
		json_decref(r);
	}
}

bool tc_has_warning(json_t *body, const char *rule, const char *severity)
{
	size_t i;
	json_t *w;
	json_array_foreach(json_object_get(body, "warnings"), i, w) {
		const char *r = json_string_value(json_object_get(w, "rule"));
		const char *s = json_string_value(json_object_get(w, "severity"));
		if (r && strcmp(r, rule) == 0 && (!severity || (s && strcmp(s, severity) == 0)))
			return true;
	}
	return false;
}

const char *tc_day(int days)
{
	static _Thread_local char out[8][DATE_ISO_LEN];
	static _Thread_local int next;
	char *d = out[next++ % 8];
	date_format(date_today() + days, d);
	return d;
}

const char *tc_at(int days, const char *hhmm)
{
	static _Thread_local char out[8][40];
	static _Thread_local int next;
	char *m = out[next++ % 8];
	snprintf(m, 40, "%sT%s", tc_day(days), hhmm);
	return m;
}
