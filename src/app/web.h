/* web: the parts of the request pipeline shared by every handler: signing in from the session cookie, the CSRF
 * check, static assets, rendering a page in the layout, and answering errors as an HTML page or as problem+json
 * depending on who asked. */
#ifndef SG_WEB_H
#define SG_WEB_H
#include <jansson.h>

#include "http/http.h"

/* Fills req->user from the session cookie. For a route that needs sign-in and has none, answers (401 for the
 * API, a redirect to /sign-in for pages) and returns -1. */
int web_authenticate(struct http_request *req);
/* Loads an enabled account's id, username, display name, role and team into req->user (arena strings), without a
 * session: for requests that prove who they are another way (a private calendar feed's address). false when there
 * is no such enabled account. */
bool web_load_user(struct http_request *req, const char *user_id);
/* Checks the CSRF token (form field "csrf" or header X-CSRF-Token) against the session; answers 403 and returns
 * -1 when it is missing or wrong. */
int web_check_csrf(struct http_request *req);

void web_serve_asset(struct http_request *req, const char *const *dirs, int ndirs, const char *rel);

/* An error as problem+json (API or JSON clients) or as the error page. */
void web_error(struct http_request *req, int status, const char *title, const char *detail);
/* Refusal by the policy: recorded in the audit log. With a child id the answer is exactly that of a missing
 * record (404), so a refusal reveals nothing; without, 403. */
void web_forbidden(struct http_request *req, const char *action, const char *child_id);
/* A refusal for a record that is not a child's (a household, a person): audited, answered as missing. */
void web_hidden(struct http_request *req, const char *action, const char *object_type, const char *object_id);
/* A missing record: the same answer as web_forbidden with a child id. */
void web_not_found(struct http_request *req);
/* Validation errors: problem+json 422 with every field for the API; for pages the caller re-renders its form
 * with web_error_summary(). errors is stolen. */
void web_invalid(struct http_request *req, json_t *errors);
/* A storage failure inside a command: rolls back and answers 500 (or 409 on a constraint). */
void web_store_failure(struct http_request *req, int rc);

/* Renders template `page` inside the layout with ctx (stolen), adding the user, the CSRF token, the navigation
 * and the page title. */
void web_page(struct http_request *req, int status, const char *page, const char *title, json_t *ctx);
/* Adds "errors" (the GOV.UK error summary list, each with an href to its field) and "error_map" to ctx. */
void web_add_errors(json_t *ctx, json_t *errors);

#endif
