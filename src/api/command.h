/* command: the shape every write takes (ARCHITECTURE "one transaction per command"): begin, validate, write the
 * record, the chronology entry and the audit entry, commit; or roll back and answer with the reason.
 * Helpers here answer the request themselves when they fail ("...or respond"), so handlers stay linear. */
#ifndef SG_COMMAND_H
#define SG_COMMAND_H
#include <jansson.h>
#include <stdbool.h>

#include "domain/record.h"
#include "http/http.h"

/* The request's input as a JSON object: the API body, or the HTML form converted through entity e (NULL e =
 * the form's fields as strings). Answers 400 and returns NULL when an API body is missing or not an object. */
json_t *command_input_or_respond(struct http_request *req, const struct entity *e);
/* Opens the write transaction; answers 503 and returns -1 when the database is busy. */
int command_begin_or_respond(struct http_request *req);
/* Opens the write transaction and validates in against e (partial: only the keys given); on a refusal rolls back,
 * answers 422 naming every field, and returns -1. */
int command_begin_valid_or_respond(struct http_request *req, const struct entity *e, json_t *in, bool partial);
/* The whole update command for a record of e: begin, validate, update, audit ("update", child_id), commit.
 * Returns 0 committed, or -1 answered (404 when there is no such record). Borrows in. */
int command_update_or_respond(struct http_request *req, const struct entity *e, const char *id, json_t *in,
                              const char *child_id);
/* The first child id that sql (one $1 parameter, one column of child ids) returns for key on which the user may
 * perform action, copied into the arena; NULL when there is none. */
const char *command_permitted_child(struct http_request *req, const char *sql, const char *key, const char *action);
/* Commits; on failure rolls back, answers, and returns -1. */
int command_commit_or_respond(struct http_request *req);
/* Appends the audit entry for this request's actor. Returns -1 (after rolling back and answering 500) on error. */
int command_audit_or_respond(struct http_request *req, const char *action, const char *object_type,
                             const char *object_id, const char *child_id);
/* Audits a read of a child's record: queued and group-committed within AUDIT_QUEUE_FLUSH_MS (audit_queue.h). */
void command_audit_read(struct http_request *req, const char *object_type, const char *object_id,
                        const char *child_id);
/* The same for an export (a download that leaves the system: CSV, PDF, calendar). */
void command_audit_export(struct http_request *req, const char *object_type, const char *object_id,
                          const char *child_id);
/* Checks the policy for a child (404 on refusal, audited). Returns true when allowed. */
bool command_child_allowed(struct http_request *req, const char *action, const char *child_id);

#endif
