/* Response helpers and RFC 9457 problem details. */
#include <stdlib.h>
#include <string.h>

#include "core/json_write.h"
#include "http/http.h"

const char *http_query(const struct http_request *req, const char *key)
{
	for (int i = 0; i < req->nquery; i++)
		if (strcmp(req->query[i].key, key) == 0)
			return req->query[i].value;
	return NULL;
}

const char *http_form(const struct http_request *req, const char *key)
{
	for (int i = 0; i < req->nform; i++)
		if (strcmp(req->form[i].key, key) == 0)
			return req->form[i].value;
	return NULL;
}

int http_form_all(const struct http_request *req, const char *key, const char **vals, int max)
{
	int n = 0;
	for (int i = 0; i < req->nform && n < max; i++)
		if (strcmp(req->form[i].key, key) == 0)
			vals[n++] = req->form[i].value;
	return n;
}

const struct http_file *http_file(const struct http_request *req, const char *field)
{
	for (int i = 0; i < req->nfiles; i++)
		if (strcmp(req->files[i].field, field) == 0)
			return &req->files[i];
	return NULL;
}

const char *http_param(const struct http_request *req, int i)
{
	return i < req->nparams ? req->params[i] : NULL;
}

bool http_wants_json(const struct http_request *req)
{
	return req->is_api || (req->accept && strstr(req->accept, "application/json") &&
	                       !strstr(req->accept, "text/html"));
}

void http_header(struct http_request *req, const char *key, const char *value)
{
	if (req->nout_headers >= HTTP_MAX_OUT_HEADERS)
		return;
	req->out_headers[req->nout_headers].key = arena_strdup(&req->arena, key);
	req->out_headers[req->nout_headers].value = arena_strdup(&req->arena, value);
	req->nout_headers++;
}

void http_respond(struct http_request *req, int status, const char *type, const char *body, size_t len)
{
	req->status = status;
	req->out_type = type;
	buf_reset(&req->out);
	buf_add(&req->out, body, len);
}

void http_json(struct http_request *req, int status, json_t *doc)
{
	req->status = status;
	req->out_type = "application/json";
	buf_reset(&req->out);
	json_write_compact(&req->out, doc); /* json_dumps' text; an empty body where it would fail */
	json_decref(doc);
}

void http_redirect(struct http_request *req, const char *location)
{
	req->status = 303;
	req->out_type = "text/plain; charset=utf-8";
	buf_reset(&req->out);
	buf_adds(&req->out, "See Other");
	http_header(req, "Location", location);
}

const char *http_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

static void problem_send(struct http_request *req, int status, json_t *doc)
{
	http_json(req, status, doc);
	req->out_type = "application/problem+json";
}

void http_problem(struct http_request *req, int status, const char *title, const char *detail, const char *field)
{
	http_problem_ext(req, status, title, detail, field, NULL);
}

void http_problem_ext(struct http_request *req, int status, const char *title, const char *detail, const char *field,
                      json_t *ext)
{
	json_t *doc = json_object();
	json_object_set_new(doc, "type", json_string("about:blank"));
	json_object_set_new(doc, "title", json_string(title ? title : http_status_text(status)));
	json_object_set_new(doc, "status", json_integer(status));
	if (detail)
		json_object_set_new(doc, "detail", json_string(detail));
	if (field) {
		json_t *errs = json_array();
		json_t *e = json_object();
		json_object_set_new(e, "field", json_string(field));
		json_object_set_new(e, "message", json_string(detail ? detail : title));
		json_array_append_new(errs, e);
		json_object_set_new(doc, "errors", errs);
	}
	if (req->path)
		json_object_set_new(doc, "instance", json_string(req->path));
	if (ext) {
		json_object_update_missing(doc, ext);
		json_decref(ext);
	}
	problem_send(req, status, doc);
}

void http_problem_fields(struct http_request *req, int status, const char *title, json_t *errors)
{
	json_t *doc = json_object();
	json_object_set_new(doc, "type", json_string("about:blank"));
	json_object_set_new(doc, "title", json_string(title));
	json_object_set_new(doc, "status", json_integer(status));
	size_t n = json_array_size(errors);
	if (n == 1) {
		json_t *m = json_object_get(json_array_get(errors, 0), "message");
		json_object_set(doc, "detail", m);
	} else {
		json_object_set_new(doc, "detail", json_sprintf("%zu fields are invalid", n));
	}
	json_object_set_new(doc, "errors", errors);
	if (req->path)
		json_object_set_new(doc, "instance", json_string(req->path));
	problem_send(req, status, doc);
}
