/* sharing_internal: what the information-sharing files share (issue 7, parts 3 and 4; procedures-B 3.1.4, 3.4.4,
 * 3.4.5, 3.5.1-3.5.8): the rules loaded at start-up (lawful bases, channels), the inputs of a decision, recording one
 * (sharing_record.c), listing them (sharing.c) and the follow-ups on a recorded decision (sharing_followup.c).
 *
 * Ownership: the rules documents are loaded once per process and borrowed; returned json_t are new references. */
#ifndef SG_SHARING_INTERNAL_H
#define SG_SHARING_INTERNAL_H
#include <jansson.h>

#include "core/id.h"
#include "http/http.h"

#define SHARING_TEXT_MAX 4000
#define SHARING_NAME_MAX 200

/* rules/lawful_bases.json and rules/sharing_channels.json, as app_open loaded and checked them (never NULL). */
const json_t *sharing_bases(struct http_request *req);
const json_t *sharing_channels(struct http_request *req);

/* The input fields of a decision, in the order the form asks for them. */
extern const char *const sharing_input_keys[];
extern const size_t sharing_input_count;

/* Checks in (a JSON body or a form) against the guards and, when it passes, writes the decision, its chronology
 * entry and its audit entry ("share") in one transaction. 0 saved (id_out); 1 refused (errors filled, nothing
 * written); -1 answered. */
int sharing_record(struct http_request *req, const char *child_id, json_t *in, json_t *errors, char id_out[ID_MAX]);

/* The child's decisions, newest first, with labels for people. id: only that one (NULL: all). */
json_t *sharing_list(struct http_request *req, const json_t *bases, const char *child_id, const char *id);

/* The follow-ups (sharing_followup.c): the four-eyes address check by a second person and settling a "not yet"
 * answer to whether the child or family has been told. API handlers answer JSON; page handlers redirect to the
 * sharing page or show it again with the error summary. */
void sharing_api_address_check(struct http_request *req);
void sharing_api_informed(struct http_request *req);
void sharing_page_address_check(struct http_request *req);
void sharing_page_informed(struct http_request *req);
/* Shows the sharing page (sharing.c) with status and, when not NULL, errors (consumed) for the form named by
 * form ("record", "address_check" or "informed") and, for a follow-up, the decision it was about. */
void sharing_render_page(struct http_request *req, int status, json_t *errors, const char *form, const char *decision_id);

#endif
