/* support/handlers: the request handlers of the decision-support routes (api*.c, *pages*.c), listed in
 * support_routes.c, and the checks they share. Internal to src/support. */
#ifndef SG_SUPPORT_HANDLERS_H
#define SG_SUPPORT_HANDLERS_H
#include <jansson.h>
#include <stdbool.h>

#include "http/http.h"
#include "support/catalogue.h"

/* The child in the path (parameter 0) exists and the user may do action on it; otherwise answers 404 (a refusal
 * looks exactly like a missing record) and returns false. */
bool support_handlers_child(struct http_request *req, const char *action);
/* The concern may be shown to this user: they may read the child's support, or they recorded it themselves and
 * may still record for the child. */
bool support_handlers_concern_visible(struct http_request *req, const char *child_id, const json_t *concern);
/* The child's concern with that id from the child's data (a new reference), or NULL. */
json_t *support_handlers_concern(struct http_request *req, const char *child_id, const char *concern_id);
/* The recommender's situation from a query or form (abuse_type, carer, sex, needs), with the child's age and sex
 * as defaults; fills errors for unknown values. Returns {"age", "unborn", "abuse_type", "carer", "sex", "needs"}. */
json_t *support_handlers_situation(struct http_request *req, const char *child_id, bool from_form, json_t *errors);
/* support_recommend for such a situation. */
json_t *support_handlers_recommend(struct http_request *req, const json_t *situation);

/* The shared shape of every support write over the API: support_api_begin reads the JSON body into *in (a copy
 * the command may change) with an empty *errors, or answers 400 and returns false; support_api_end frees both,
 * answers 422 with the errors when the command returned 1, and returns true only when the command succeeded (a
 * negative result has been answered already). */
bool support_api_begin(struct http_request *req, json_t **in, json_t **errors);
bool support_api_end(struct http_request *req, int rc, json_t *in, json_t *errors);
/* 201 with Location /api/v1/children/{child}/{what}/{id}; takes body. */
void support_api_created(struct http_request *req, const char *what, const char *id, json_t *body);
/* The element of list whose "id" is id (borrowed), or NULL. */
json_t *support_api_find_by_id(const json_t *list, const char *id);

void support_api_catalogue(struct http_request *req);
void support_api_overview(struct http_request *req);
void support_api_concerns_list(struct http_request *req);
void support_api_concerns_create(struct http_request *req);
void support_api_concern_get(struct http_request *req);
void support_api_factors_list(struct http_request *req);
void support_api_factors_create(struct http_request *req);
void support_api_factor_end(struct http_request *req);
void support_api_prompts_list(struct http_request *req);
void support_api_prompt_get(struct http_request *req);
void support_api_prompt_dismiss(struct http_request *req);
void support_api_assessments_list(struct http_request *req);
void support_api_assessments_create(struct http_request *req);
void support_api_reviews_list(struct http_request *req);
void support_api_reviews_create(struct http_request *req);
void support_api_agreements_list(struct http_request *req);
void support_api_agreements_create(struct http_request *req);
void support_api_agreement_outcome(struct http_request *req);
void support_api_interventions_list(struct http_request *req);
void support_api_interventions_create(struct http_request *req);
void support_api_intervention_update(struct http_request *req);

void support_pages_overview(struct http_request *req);
void support_pages_concern_new(struct http_request *req);
void support_pages_concern_create(struct http_request *req);
void support_pages_concern(struct http_request *req);
void support_pages_factor_new(struct http_request *req);
void support_pages_factor_create(struct http_request *req);
void support_pages_factor_end_form(struct http_request *req);
void support_pages_factor_end(struct http_request *req);
void support_pages_prompt(struct http_request *req);
void support_pages_prompt_dismiss(struct http_request *req);
void support_pages_neglect(struct http_request *req);
void support_pages_neglect_new(struct http_request *req);
void support_pages_neglect_create(struct http_request *req);
void support_pages_capacity_new(struct http_request *req);
void support_pages_capacity_create(struct http_request *req);
void support_pages_outcome_form(struct http_request *req);
void support_pages_outcome(struct http_request *req);
void support_pages_interventions(struct http_request *req);
void support_pages_intervention_create(struct http_request *req);
void support_pages_intervention_form(struct http_request *req);
void support_pages_intervention_update(struct http_request *req);

#endif
