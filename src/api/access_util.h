/* access_util: what the access-control handlers (own account, user administration, break glass, sharing decisions,
 * audit reports) share: reading an input that came as JSON or as a form, collecting field errors for the GOV.UK
 * error summary, dates for people, the roles table, and audit entries that carry a reason.
 *
 * Ownership: returned strings live in the request arena; returned json_t are new references. The roles table is
 * loaded once per process from rules/roles.json and then shared read-only. */
#ifndef SG_ACCESS_UTIL_H
#define SG_ACCESS_UTIL_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "audit/audit.h"
#include "auth/roles.h"
#include "http/http.h"

/* A string input, trimmed of surrounding spaces; NULL when absent, not a string, or empty after trimming. */
const char *access_util_text(struct http_request *req, json_t *in, const char *key);
/* A yes/no input: JSON true/false or the form's "yes"/"no". 1, 0, or -1 when absent or anything else. */
int access_util_flag(json_t *in, const char *key);
/* Appends {"field", "message"} to errors. */
void access_util_error(json_t *errors, const char *field, const char *message);
/* The form's values for keys, as strings ("" when absent), so a refused form shows everything typed. */
json_t *access_util_typed(const struct http_request *req, const char *const *keys, size_t n);
/* "27 March 2026 at 14:05" in London time; "" for 0. */
const char *access_util_when(struct http_request *req, int64_t t);
/* Seconds since the epoch of a UTC text moment "YYYY-MM-DDTHH:MM:SSZ" or an ISO moment; 0 when unreadable. */
int64_t access_util_parse_moment(const char *s);
/* A London calendar day "YYYY-MM-DD" as the moment it starts (end = true: the moment the next day starts), for
 * inclusive date ranges. 0 for an empty or NULL day; -1 when it is not a date. */
int64_t access_util_day_bound(const char *day, bool end);
/* The roles from rules/roles.json; NULL (after answering 500) when the file cannot be loaded. */
const struct roles *access_util_roles_or_respond(struct http_request *req);
/* A user's display name ("" when there is no such user). */
const char *access_util_user_name(struct http_request *req, const char *user_id);
/* A child's "Forenames Surname" ("" when there is no such child). Only for someone the policy lets read it. */
const char *access_util_child_name(struct http_request *req, const char *child_id);
/* Appends ev inside the open write transaction, with this request's user as the actor when ev has none. On
 * failure rolls back, answers 500 and returns -1. */
int access_util_audit_or_respond(struct http_request *req, struct audit_event ev);
/* The select options of an enumeration list, each with "selected" set for the chosen code. */
json_t *access_util_options(const char *list, const char *selected);

#endif
