/* back_pages: the helpers the back half's HTML pages share. A form field is described once, in the entity's field
 * table (record.h); these helpers turn it into the context the field partial draws (label, value, error, options),
 * so every form keeps what was typed when it is refused and shows the GOV.UK error summary.
 *
 * Forms on one page carry a prefix each ("inv_", "rpt_"...), so that their fields and errors never collide.
 * Returned JSON is a new reference; strings are borrowed. */
#ifndef SG_PATHWAY_BACK_PAGES_H
#define SG_PATHWAY_BACK_PAGES_H
#include <jansson.h>

#include "domain/record.h"
#include "http/http.h"
#include "pathway/back.h"

extern const struct route back_pages_conf_routes[];
extern const struct route back_pages_plan_routes[];

/* Field contexts for every input field of e, named prefix+field, into fields (an object). Values come from the
 * posted form when `posted` is this prefix, else from defaults (a record, keys without the prefix). options holds
 * a select's choices for reference fields ({field: [{code, label}]}); enumerations use their list. */
void back_pages_fields(struct http_request *req, json_t *fields, const struct entity *e, const char *prefix,
                       const char *posted, json_t *defaults, json_t *options, json_t *error_map);
/* The same for one row's small form, keyed by the bare field names (the contexts keep the prefixed names). */
json_t *back_pages_row_fields(struct http_request *req, const struct entity *e, const char *prefix, const char *posted,
                              json_t *defaults, json_t *options, json_t *error_map);
/* [{code, label, selected}] for an enumeration or for given choices. */
json_t *back_pages_options(const char *list, json_t *choices, const char *selected);
/* Users who may sign in, optionally only some roles (NULL-terminated; NULL = all): [{code, label}]. */
json_t *back_pages_users(struct http_request *req, const char *const *roles);
json_t *back_pages_agencies(struct http_request *req);
/* The prefix a form on a page with several forms declares in its hidden "p" field (checked), or "". */
const char *back_pages_prefix(struct http_request *req);
/* The people linked to these children ([{child_id}]) as select choices. */
json_t *back_pages_persons(struct http_request *req, json_t *children);
/* Roles offered as chairs, and as lead social workers. */
extern const char *const back_pages_chair_roles[];
extern const char *const back_pages_sw_roles[];
/* Errors from a command, with each field named as the form names it (prefix added) and date errors pointing at
 * the day box. Returns a new array. */
json_t *back_pages_errors(struct http_request *req, json_t *errors, const char *prefix);
/* {field: first message} of those errors. */
json_t *back_pages_error_map(json_t *errors);
/* Renders a page with errors (may be NULL; the warnings of o as well when given). ctx is stolen. */
void back_pages_render(struct http_request *req, int status, const char *page, const char *title, json_t *ctx,
                       json_t *errors, struct back_out *o);
/* 303 to url with ?done=code (a fixed message chosen by code, never echoed input). */
void back_pages_done(struct http_request *req, const char *url, const char *code);
/* The success message for ?done=, or NULL. */
const char *back_pages_flash(struct http_request *req);

#endif
