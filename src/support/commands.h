/* support/commands: the decision-support writes, one transaction each (ARCHITECTURE "one transaction per
 * command"): validate, write the record, start a clock where the catalogue says so, append the chronology entry
 * and the audit entry, commit. The JSON API and the HTML pages both call these, with the same input shapes.
 *
 * Every function takes the child already checked by the caller (command_child_allowed) and an input object it
 * may modify. Returns 0 on success (id_out, and *result where there is one, filled), 1 when the input is invalid
 * (errors holds [{field, message}], nothing written), or -1 when the store failed (already answered). */
#ifndef SG_SUPPORT_COMMANDS_H
#define SG_SUPPORT_COMMANDS_H
#include <jansson.h>

#include "core/id.h"
#include "http/http.h"

/* {"observed_on", "summary", "features": [ids], "immediate_danger", "review_by", "agency_id"}. *result: the
 * response (support_alerts_response) with "clock": {"event", "case_id", "started"} or {"not_started": reason}. */
int support_commands_concern(struct http_request *req, const char *child_id, json_t *in, json_t *errors,
                             char id_out[ID_MAX], json_t **result);
/* {"factor_id", "about", "person_id", "noted_on", "evidence"}. */
int support_commands_factor(struct http_request *req, const char *child_id, json_t *in, json_t *errors,
                            char id_out[ID_MAX]);
/* {"ended_on", "end_reason"} for the child's factor factor_id (a record id). */
int support_commands_factor_end(struct http_request *req, const char *child_id, const char *factor_id, json_t *in,
                                json_t *errors);
/* {"assessed_on", "overall_view", "summary", "ratings": {domain: n}, "evidence": {domain: text}, "marks": [ids]}. */
int support_commands_assessment(struct http_request *req, const char *child_id, json_t *in, json_t *errors,
                                char id_out[ID_MAX]);
/* {"reviewed_on", "person_id", "summary", "answers": {factor: {"answer", "evidence"}}, "agreement": {...}}; the
 * optional agreement is written with the review (agreement_out receives its id, or ""). */
int support_commands_review(struct http_request *req, const char *child_id, json_t *in, json_t *errors,
                            char id_out[ID_MAX], char agreement_out[ID_MAX]);
/* {"what_must_change", "due_on", "consequence", "agreed_with", "review_id"}. */
int support_commands_agreement(struct http_request *req, const char *child_id, json_t *in, json_t *errors,
                               char id_out[ID_MAX]);
/* {"outcome", "outcome_on", "outcome_note"} for the child's agreement. */
int support_commands_agreement_outcome(struct http_request *req, const char *child_id, const char *agreement_id,
                                       json_t *in, json_t *errors);
/* {"intervention_id", "status", "offered_on", ...} to record; or, with record_id set, the fields to change. */
int support_commands_intervention(struct http_request *req, const char *child_id, const char *record_id, json_t *in,
                                  json_t *errors, char id_out[ID_MAX]);
/* {"reason"}: dismisses the child's active prompt prompt_id, keeping the reason and a copy of the prompt. */
int support_commands_dismiss(struct http_request *req, const char *child_id, const char *prompt_id, json_t *in,
                             json_t *errors);

#endif
