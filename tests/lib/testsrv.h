/* testsrv: black-box tests of the real `safeguard serve`. testsrv_start() makes a temporary database, migrates
 * it, seeds the demo authority, starts the server on an ephemeral loopback port and waits until it answers;
 * testsrv_stop() sends SIGTERM and checks it stopped cleanly. A tiny HTTP/1.1 client talks to it, keeping one
 * session cookie and its CSRF token per client. */
#ifndef SG_TESTSRV_H
#define SG_TESTSRV_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

struct testsrv {
	int pid;
	int port;
	char dir[256];
	char db[300];
	char home[1024];
};

struct http_resp {
	int status;
	struct buf headers;
	struct buf body;
	json_t *json; /* parsed when the body is JSON */
};

struct client {
	struct testsrv *srv;
	char cookie[256];
	char csrf[128];
};

/* seed: also run seed-demo. Returns 0 or aborts the test run. */
int testsrv_start(struct testsrv *srv, bool seed);
/* Returns the server's exit status (0 for a clean shutdown). */
int testsrv_stop(struct testsrv *srv);
/* Runs the safeguard binary with args (NULL-terminated) against srv's database; returns the exit status and
 * captures stdout+stderr into out (may be NULL). */
int testsrv_run(struct testsrv *srv, struct buf *out, const char *const *args);

void client_init(struct client *c, struct testsrv *srv);
/* Sends a request; body may be NULL; content_type defaults to application/json when a body is given.
 * Sends the client's cookie and (for non-GET) its CSRF token as X-CSRF-Token. */
int client_req(struct client *c, const char *method, const char *path, const char *content_type, const char *body,
               struct http_resp *r);
/* Sends raw bytes as the whole request (for malformed-request tests). */
int client_raw(struct client *c, const char *raw, size_t len, struct http_resp *r);
/* Signs in through the API and keeps the cookie and CSRF token. Returns the HTTP status. */
int client_login(struct client *c, const char *username, const char *password);
const char *resp_header(struct http_resp *r, const char *name); /* value in a static buffer, or NULL */
void resp_free(struct http_resp *r);

/* Shared by the integration tests: each fails the running test (cmocka fail_msg) with what happened instead. */
/* The string at key, or fails. */
const char *tc_str(json_t *o, const char *key);
/* Sends the request and fails unless the status is want; returns the JSON body (a new reference; NULL if none). */
json_t *tc_call(struct client *c, const char *method, const char *path, const char *body, int want);
/* tc_call with the body made by printf. */
json_t *tc_callf(struct client *c, const char *method, int want, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* A path made by printf, in one of four rotating static buffers (so up to four can be alive at once). */
const char *tc_pathf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A refusal names what was wrong: fails unless some error's field, message or rule contains want. */
void tc_expect_reason(json_t *problem, const char *want);

/* Signs c in to srv as a demo user (failing the test otherwise); id (may be NULL) receives the user's id. */
void tc_login(struct testsrv *srv, struct client *c, const char *name, char id[64]);
/* Whether a command's answer carries a warning for rule (and, unless severity is NULL, of that severity). */
bool tc_has_warning(json_t *body, const char *rule, const char *severity);
/* "YYYY-MM-DD" for today + days, and "YYYY-MM-DDTHH:MM" at hhmm that day (eight rotating static buffers each). */
const char *tc_day(int days);
const char *tc_at(int days, const char *hhmm);

#define DEMO_PASSWORD "safeguard-demo-2026"

#endif
