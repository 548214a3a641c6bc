/* support/data: reading a child's decision-support records from the store, in the shapes the pure engines
 * (alerts, combine, neglect, prompts) take, and overlaying prompt dismissals.
 *
 * Every function runs on the caller's connection (inside or outside a transaction). JSON results are new
 * references; NULL means a database error. */
#ifndef SG_SUPPORT_DATA_H
#define SG_SUPPORT_DATA_H
#include <jansson.h>
#include <stdint.h>

#include "core/id.h"
#include "domain/record.h"
#include "store/store.h"
#include "support/catalogue.h"

/* {"concerns": [...], "factors": [...], "assessments": [...], "reviews": [...], "agreements": [...],
 *  "interventions": [...], "cases": [...]} for the child. Concerns carry "features" (ids, in the order ticked),
 * "agency_name", "recorder_name", "source_key" (the agency, or "role:<role>" when no agency is known),
 * "source_label" and "created_t" (seconds); cases carry "opened_t", "closed_t" and "closed_on"; assessments carry
 * "ratings" {domain: n}, "evidence" {domain: text}, "marks" [ids] and "assessor_name"; reviews carry "answers"
 * {factor: {answer, evidence}}. */
json_t *support_data_load(struct store *st, const char *child_id);

/* The prompts for the child (support_prompts_compute on support_data_load), each with "status" ("active" or
 * "dismissed") and, when dismissed, "dismissal": {reason, dismissed_at, dismissed_by, dismissed_by_name}. */
json_t *support_data_prompts(struct store *st, const struct support_catalogue *cat, const char *child_id,
                             int32_t today);

/* The record of e with that id if it is this child's (a new reference); NULL when there is none, or it is another
 * child's (callers answer both as a missing record). */
json_t *support_data_child_row(struct store *st, const struct entity *e, const char *id, const char *child_id);

/* The child's open case (the newest), if any: 1 and the id, 0 when none, negative on a database error. */
int support_data_open_case(struct store *st, const char *child_id, char out[ID_MAX]);

/* The agency a user works for (through their professional record, else their team), if known: 1 and the id,
 * 0 when not known. */
int support_data_user_agency(struct store *st, const char *user_id, char out[ID_MAX]);

/* The child's age in whole years on an ISO date; -1 for an unborn child or an unknown date of birth. */
int support_data_child_age(struct store *st, const char *child_id, const char *on_date);

#endif
