/* http: the request and response as handlers see them, independent of libmicrohttpd.
 *
 * Ownership: every string reachable from a struct http_request lives in req->arena (or in the connection, for the
 * request's life) and is freed when the response has been sent. Handlers write the response into req->out with the
 * helpers below; the adapter (server.c, the only file that includes microhttpd.h) sends it. */
#ifndef SG_HTTP_H
#define SG_HTTP_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"

#define HTTP_MAX_PARAMS 4
#define HTTP_MAX_OUT_HEADERS 8
#define HTTP_MAX_FIELDS 512

enum http_method { HTTP_GET = 1, HTTP_POST = 2, HTTP_PUT = 4, HTTP_PATCH = 8, HTTP_DELETE = 16, HTTP_HEAD = 32 };

struct http_kv {
	const char *key;
	const char *value;
};

/* One uploaded file of a multipart/form-data body (bytes live in the request's body buffer). */
struct http_file {
	const char *field;
	const char *filename; /* as sent; never used as a path */
	const char *content_type;
	const char *data;
	size_t len;
};

struct route;
struct store;
struct app;

struct http_user {
	const char *id;
	const char *username;
	const char *display_name;
	const char *role;
	const char *team_id;
	const char *session_id;
	const char *csrf;
	int64_t session_expires_at;
};

struct http_request {
	struct arena arena;
	enum http_method method;
	const char *method_name;
	const char *path;      /* decoded path, no query */
	const char *raw_query; /* as sent, after '?', or "" */
	struct http_kv *query;
	int nquery;
	struct http_kv *form; /* application/x-www-form-urlencoded body */
	int nform;
	struct http_file *files; /* multipart/form-data uploads */
	int nfiles;
	json_t *json; /* application/json body (owned: decref'd with the request) */
	const char *body;
	size_t body_len;
	const char *content_type;
	const char *accept;
	const char *cookie;
	const char *csrf_header; /* X-CSRF-Token, for API clients signed in with the session cookie */
	const char *params[HTTP_MAX_PARAMS]; /* path parameters in pattern order */
	int nparams;
	const struct route *route;
	struct app *app;
	struct store *store; /* this worker thread's connection */
	struct http_user user; /* filled when signed in */
	bool signed_in;
	bool is_api; /* path starts /api/ : answers are JSON and problem+json */

	/* response */
	int status;
	struct buf out;
	const char *out_type;
	const char *out_file; /* when set, the adapter streams this file instead of out */
	struct http_kv out_headers[HTTP_MAX_OUT_HEADERS];
	int nout_headers;
};

/* Request inputs. */
const char *http_query(const struct http_request *req, const char *key);
const char *http_form(const struct http_request *req, const char *key);
/* Every value of a repeated form field (checkboxes), in order; returns the count. */
int http_form_all(const struct http_request *req, const char *key, const char **vals, int max);
const char *http_param(const struct http_request *req, int i);
bool http_wants_json(const struct http_request *req);

/* Response helpers. */
void http_header(struct http_request *req, const char *key, const char *value);
void http_respond(struct http_request *req, int status, const char *type, const char *body, size_t len);
void http_json(struct http_request *req, int status, json_t *doc); /* steals doc */
void http_redirect(struct http_request *req, const char *location); /* 303 See Other */

/* RFC 9457 problem+json. `field` (may be NULL) names the offending input as a JSON pointer-ish path. */
void http_problem(struct http_request *req, int status, const char *title, const char *detail, const char *field);
/* A problem with several invalid fields: errors is a JSON array of {"field":..., "message":...} (stolen). */
void http_problem_fields(struct http_request *req, int status, const char *title, json_t *errors);
/* http_problem with extension members (RFC 9457 section 3.2) from ext (stolen; may be NULL); the standard members
 * win over an extension of the same name. */
void http_problem_ext(struct http_request *req, int status, const char *title, const char *detail, const char *field,
                      json_t *ext);
const char *http_status_text(int status);

/* Parsers (fuzzed): percent-decoding, k=v&k=v lists, cookie headers. Results live in the arena.
 * Return -1 on malformed input (bad escapes, too many fields, embedded NUL). */
int http_url_decode(struct arena *a, const char *s, size_t n, bool plus_is_space, char **out);
int http_parse_pairs(struct arena *a, const char *s, size_t n, struct http_kv **out, int *count);
const char *http_cookie_value(struct arena *a, const char *header, const char *name);
/* multipart/form-data (RFC 7578): text parts become fields, parts with a filename become files. The boundary comes
 * from content_type. Returns -1 on a malformed body. */
int http_parse_multipart(struct arena *a, const char *content_type, const char *body, size_t len,
                         struct http_kv **fields, int *nfields, struct http_file **files, int *nfiles);
const struct http_file *http_file(const struct http_request *req, const char *field);

#endif
