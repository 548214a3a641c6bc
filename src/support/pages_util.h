/* support/pages_util: what the decision-support pages share: the child's heading, dates in GOV.UK style, date
 * fields for partials/date_input, re-rendering a form with its errors. Strings live in the request arena. */
#ifndef SG_SUPPORT_PAGES_UTIL_H
#define SG_SUPPORT_PAGES_UTIL_H
#include <jansson.h>
#include <stdbool.h>

#include "http/http.h"
#include "support/catalogue.h"

const struct support_catalogue *support_pages_catalogue(const struct http_request *req);
/* A page context with "child" {id, name, href, support_href}, "back_href", "can_read", "can_record"; NULL when
 * the child cannot be read (the caller answers 404). */
/* A form's page renderer: status 200 or 422, with the errors to show (taken). */
typedef void (*support_pages_render_fn)(struct http_request *req, int status, json_t *errors);
/* After a form's command returned rc: frees in; 1 re-renders the form with the errors (422, nothing written);
 * 0 redirects to next (a path); a negative rc has been answered already. */
void support_pages_settle(struct http_request *req, int rc, json_t *in, json_t *errors, support_pages_render_fn render,
                          const char *next);
json_t *support_pages_context(struct http_request *req, const char *child_id);
/* "2026-03-27" or a moment -> "27 March 2026"; "" for NULL. */
const char *support_pages_date(struct http_request *req, const char *iso);
/* An ISO date from NAME-day/-month/-year (or NAME itself) in the form: NULL when all are empty, "invalid" when
 * the parts do not make a date. */
const char *support_pages_form_date(struct http_request *req, const char *name);
/* A date field for partials/date_input, filled from the form when re-rendering (else from iso). */
json_t *support_pages_date_field(struct http_request *req, const char *name, const char *label, const char *hint,
                                 const char *iso, const json_t *error_map);
/* Adds the errors to ctx for the error summary and the inline messages (errors is stolen). */
void support_pages_add_errors(json_t *ctx, json_t *errors);
/* A list of {code, label, checked} from an enumeration, with checked set for codes in chosen. */
json_t *support_pages_options(const char *enum_list, const json_t *chosen);
/* A form value, or "" (so templates never fall back to an outer key). */
const char *support_pages_form(struct http_request *req, const char *name);
/* Tags for the levels ("suspect" red, "consider" yellow...). */
const char *support_pages_level_class(const char *level);

#endif
