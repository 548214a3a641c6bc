/* records: the JSON API for the shared records (children, people and relationships, cases, chronology,
 * documents, agencies, professionals) and the read-only reference data. Routes are in records_routes. */
#ifndef SG_RECORDS_API_H
#define SG_RECORDS_API_H
#include <jansson.h>

#include "core/id.h"
#include "http/router.h"
#include "store/store.h"

extern const struct route children_routes[];
extern const struct route related_routes[];
extern const struct route session_routes[];
extern const struct route households_routes[];

/* The "results" array of search_children() (src/search/search.h): children matching a free-text query, each with
 * "match_reasons". For callers that show no notices. */
json_t *records_search_children(struct store *st, const char *q, int limit);
/* A child as the API returns it: the record redacted for this user, with cases, relationships (with the person's
 * name) and counts. NULL when there is no such child. */
json_t *records_child_view(struct http_request *req, const char *child_id);
/* The children already recorded that a new child with these fields (forenames, surname, dob, edd, nhs_number) would
 * likely duplicate (procedures-A1-5 2.4.4: check existing records first); the form and the API both stop on them. */
json_t *records_likely_duplicates(struct http_request *req, const json_t *in);
/* Creates a child from validated-or-not input (validated here). On success returns 0 and writes the id; on
 * invalid input returns 1 with errors filled; on a store failure has answered and returns -1. */
int records_create_child(struct http_request *req, json_t *in, json_t *errors, char id_out[ID_MAX]);

/* Stores a document (metadata in `in`, validated here; bytes with their SHA-256), its chronology entry and audit
 * entry in one transaction. 0 stored (id written), 1 invalid (errors filled), -1 answered (a store failure). */
int records_store_document(struct http_request *req, const char *child_id, json_t *in, const unsigned char *bytes,
                           size_t len, json_t *errors, char id[ID_MAX]);

#endif
