/* The decision-support JSON API for the care records: neglect assessments (with the chart data and the drift and
 * optimism checks), capacity-to-change reviews, written agreements (with their clocks), and interventions (the
 * recommendations for the child's situation and what was offered, taken up and completed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/command.h"
#include "app/app.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/entities.h"
#include "domain/enums.h"
#include "support/commands.h"
#include "support/data.h"
#include "support/support_entities.h"
#include "support/handlers.h"
#include "support/neglect.h"
#include "support/recommend.h"
#include "support/view.h"

static const struct support_catalogue *cat_of(const struct http_request *req)
{
	return req->app->support;
}

/* A create command of the shape the care records share. */
typedef int (*create_fn)(struct http_request *req, const char *child_id, json_t *in, json_t *errors,
                         char id_out[ID_MAX]);

/* Runs fn on the request's JSON body: 0 with the new id, or -1 when it has answered (400, 422 or 500). */
static int run(struct http_request *req, create_fn fn, char id[ID_MAX])
{
	json_t *in, *errors;
	if (!support_api_begin(req, &in, &errors))
		return -1;
	int rc = fn(req, http_param(req, 0), in, errors, id);
	return support_api_end(req, rc, in, errors) ? 0 : -1;
}

/* ---- neglect assessments ---- */

static json_t *neglect_view(struct http_request *req, const char *child_id)
{
	json_t *data = support_data_load(req->store, child_id);
	if (!data)
		return NULL;
	json_t *a = json_object_get(data, "assessments");
	json_t *drift = support_neglect_drift(cat_of(req), a), *optimism = support_neglect_optimism(cat_of(req), a);
	json_t *out = json_pack("{s:O, s:o, s:o, s:o}", "items", a, "chart", support_neglect_chart(cat_of(req), a), "drift",
	                        drift ? drift : json_null(), "optimism", optimism ? optimism : json_null());
	json_decref(data);
	return out;
}

void support_api_assessments_list(struct http_request *req)
{
	if (!support_handlers_child(req, "support.read"))
		return;
	json_t *v = neglect_view(req, http_param(req, 0));
	if (!v) {
		web_store_failure(req, STORE_ERR);
		return;
	}
	command_audit_read(req, "support_neglect_assessment", NULL, http_param(req, 0));
	http_json(req, 200, v);
}

void support_api_assessments_create(struct http_request *req)
{
	char id[ID_MAX];
	if (!support_handlers_child(req, "support.record") || run(req, support_commands_assessment, id) < 0)
		return;
	json_t *v = neglect_view(req, http_param(req, 0));
	json_t *body = json_deep_copy(support_api_find_by_id(json_object_get(v, "items"), id));
	if (!body)
		body = json_object();
	json_object_set(body, "drift", json_object_get(v, "drift"));
	json_object_set(body, "optimism", json_object_get(v, "optimism"));
	json_decref(v);
	support_api_created(req, "neglect-assessments", id, body);
}

/* ---- capacity-to-change reviews and written agreements ---- */

void support_api_reviews_list(struct http_request *req)
{
	if (!support_handlers_child(req, "support.read"))
		return;
	json_t *data = support_data_load(req->store, http_param(req, 0));
	if (!data) {
		web_store_failure(req, STORE_ERR);
		return;
	}
	command_audit_read(req, "support_capacity_review", NULL, http_param(req, 0));
	http_json(req, 200, json_pack("{s:O}", "items", json_object_get(data, "reviews")));
	json_decref(data);
}

void support_api_reviews_create(struct http_request *req)
{
	char id[ID_MAX], agreement[ID_MAX];
	json_t *in, *errors;
	if (!support_handlers_child(req, "support.record") || !support_api_begin(req, &in, &errors))
		return;
	int rc = support_commands_review(req, http_param(req, 0), in, errors, id, agreement);
	if (!support_api_end(req, rc, in, errors))
		return;
	json_t *data = support_data_load(req->store, http_param(req, 0));
	json_t *body = json_deep_copy(support_api_find_by_id(json_object_get(data, "reviews"), id));
	if (!body)
		body = json_object();
	json_t *a = agreement[0] ? support_api_find_by_id(json_object_get(data, "agreements"), agreement) : NULL;
	json_object_set_new(body, "agreement", a ? support_view_agreement(a, date_today()) : json_null());
	json_decref(data);
	support_api_created(req, "capacity-reviews", id, body);
}

static json_t *agreements_view(struct http_request *req, const char *child_id)
{
	json_t *data = support_data_load(req->store, child_id);
	if (!data)
		return NULL;
	json_t *items = json_array();
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(data, "agreements"), i, a) json_array_append_new(
		items, support_view_agreement(a, date_today()));
	json_decref(data);
	return items;
}

void support_api_agreements_list(struct http_request *req)
{
	if (!support_handlers_child(req, "support.read"))
		return;
	json_t *items = agreements_view(req, http_param(req, 0));
	if (!items) {
		web_store_failure(req, STORE_ERR);
		return;
	}
	command_audit_read(req, "support_agreement", NULL, http_param(req, 0));
	http_json(req, 200, json_pack("{s:o}", "items", items));
}

void support_api_agreements_create(struct http_request *req)
{
	char id[ID_MAX];
	if (!support_handlers_child(req, "support.record") || run(req, support_commands_agreement, id) < 0)
		return;
	json_t *items = agreements_view(req, http_param(req, 0));
	json_t *body = json_incref(support_api_find_by_id(items, id));
	json_decref(items);
	support_api_created(req, "agreements", id, body ? body : json_object());
}

void support_api_agreement_outcome(struct http_request *req)
{
	json_t *in, *errors;
	if (!support_handlers_child(req, "support.record") || !support_api_begin(req, &in, &errors))
		return;
	int rc = support_commands_agreement_outcome(req, http_param(req, 0), http_param(req, 1), in, errors);
	if (!support_api_end(req, rc, in, errors))
		return;
	json_t *items = agreements_view(req, http_param(req, 0));
	json_t *body = json_incref(support_api_find_by_id(items, http_param(req, 1)));
	json_decref(items);
	http_json(req, 200, body ? body : json_object());
}

/* ---- interventions ---- */

static bool known_code(const char *list, const char *code)
{
	return code && enums_label(list, code);
}

json_t *support_handlers_situation(struct http_request *req, const char *child_id, bool from_form, json_t *errors)
{
	const char *(*get)(const struct http_request *, const char *) = from_form ? http_form : http_query;
	json_t *child = record_get(req->store, &entity_child, child_id);
	bool unborn = json_is_true(json_object_get(child, "is_unborn"));
	char today[DATE_ISO_LEN];
	date_format(date_today(), today);
	int age = unborn ? -1 : support_data_child_age(req->store, child_id, today);
	const char *abuse = get(req, "abuse_type"), *carer = get(req, "carer"), *sex = get(req, "sex");
	const char *age_in = get(req, "age");
	if (age_in && *age_in) {
		char *end;
		long a = strtol(age_in, &end, 10);
		if (*end || a < 0 || a > 17)
			json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "age", "message",
			                                        "The age must be a whole number of years from 0 to 17"));
		else
			age = (int)a, unborn = false;
	}
	if (abuse && *abuse && (strcmp(abuse, "general") == 0 || !known_code("support_abuse_type", abuse)))
		json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "abuse_type", "message",
		                                        "Choose the type of abuse (physical, emotional, sexual, neglect or "
		                                        "living with domestic abuse), or none for a family at risk"));
	if (carer && *carer && !known_code("support_carer", carer))
		json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "carer", "message",
		                                        "Choose who cares for the child now"));
	if (!sex || !*sex)
		sex = support_str(child, "gender");
	else if (!known_code("gender", sex))
		json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "sex", "message", "Choose the child's sex"));
	json_t *needs = json_array();
	const char *vals[32];
	int n = 0;
	if (from_form) {
		n = http_form_all(req, "needs", vals, 32);
	} else {
		for (int i = 0; i < req->nquery && n < 32; i++)
			if (strcmp(req->query[i].key, "needs") == 0)
				vals[n++] = req->query[i].value;
	}
	for (int i = 0; i < n; i++) {
		/* The API also takes needs=a,b in one value. */
		char copy[512];
		snprintf(copy, sizeof copy, "%s", vals[i]);
		for (char *save = NULL, *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
			if (!known_code("support_need", w))
				json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "needs", "message",
				                                        "One of the needs is not in the list"));
			else if (!support_has(needs, w))
				json_array_append_new(needs, json_string(w));
		}
	}
	json_t *sit = json_pack("{s:i, s:b, s:s?, s:s, s:s?, s:o}", "age", age, "unborn", unborn, "abuse_type",
	                        abuse && *abuse ? abuse : NULL, "carer", carer && *carer ? carer : "birth_parents", "sex",
	                        sex, "needs", needs);
	json_decref(child);
	return sit;
}

json_t *support_handlers_recommend(struct http_request *req, const json_t *situation)
{
	json_t *needs = json_object_get(situation, "needs");
	size_t n = json_array_size(needs);
	const char *codes[32];
	for (size_t i = 0; i < n && i < 32; i++)
		codes[i] = json_string_value(json_array_get(needs, i));
	int age = (int)support_int(situation, "age", -1);
	struct support_situation sit = {
		.age = json_is_true(json_object_get(situation, "unborn")) ? SUPPORT_UNBORN : age,
		.abuse_type = support_str(situation, "abuse_type"),
		.carer = support_str(situation, "carer"),
		.child_sex = support_str(situation, "sex"),
		.needs = codes,
		.nneeds = n < 32 ? n : 32,
	};
	/* A born child whose age is not recorded is matched as if no age limit applied to them: say so. */
	json_t *r = support_recommend(cat_of(req), &sit);
	if (sit.age < 0 && sit.age != SUPPORT_UNBORN)
		json_object_set_new(r, "note", json_string("The child's age is not recorded: age limits were not applied."));
	return r;
}

static json_t *recorded_interventions(struct http_request *req, const char *child_id)
{
	json_t *rows = record_list(req->store, &support_entities_intervention, "child_id", child_id,
	                           "offered_on, created_at", 1000);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		json_t *e = support_catalogue_get(cat_of(req), support_str(r, "intervention_id"));
		json_object_set_new(r, "name", json_string(e ? support_str(e, "name") : support_str(r, "intervention_id")));
		json_object_set_new(r, "citation", e ? json_string(support_str(e, "citation")) : json_null());
		const char *st = support_str(r, "status"), *res = support_str(r, "result");
		json_object_set_new(r, "status_label", json_string(enums_label("support_intervention_status", st)));
		json_object_set_new(r, "result_label",
		                    res ? json_string(enums_label("support_intervention_result", res)) : json_null());
	}
	return rows;
}

void support_api_interventions_list(struct http_request *req)
{
	if (!support_handlers_child(req, "support.read"))
		return;
	const char *child_id = http_param(req, 0);
	json_t *errors = json_array();
	json_t *sit = support_handlers_situation(req, child_id, false, errors);
	if (json_array_size(errors)) {
		json_decref(sit);
		http_problem_fields(req, 400, "The situation has invalid values", errors);
		return;
	}
	json_decref(errors);
	json_t *rec = support_handlers_recommend(req, sit);
	command_audit_read(req, "support_intervention", NULL, child_id);
	http_json(req, 200, json_pack("{s:o, s:o, s:o}", "items", recorded_interventions(req, child_id), "situation", sit,
	                              "recommendations", rec));
}

void support_api_interventions_create(struct http_request *req)
{
	char id[ID_MAX];
	json_t *in, *errors;
	if (!support_handlers_child(req, "support.record") || !support_api_begin(req, &in, &errors))
		return;
	int rc = support_commands_intervention(req, http_param(req, 0), NULL, in, errors, id);
	if (!support_api_end(req, rc, in, errors))
		return;
	json_t *items = recorded_interventions(req, http_param(req, 0));
	json_t *body = json_incref(support_api_find_by_id(items, id));
	json_decref(items);
	support_api_created(req, "interventions", id, body ? body : json_object());
}

void support_api_intervention_update(struct http_request *req)
{
	char id[ID_MAX];
	json_t *in, *errors;
	if (!support_handlers_child(req, "support.record") || !support_api_begin(req, &in, &errors))
		return;
	int rc = support_commands_intervention(req, http_param(req, 0), http_param(req, 1), in, errors, id);
	if (!support_api_end(req, rc, in, errors))
		return;
	json_t *items = recorded_interventions(req, http_param(req, 0));
	json_t *body = json_incref(support_api_find_by_id(items, id));
	json_decref(items);
	http_json(req, 200, body ? body : json_object());
}
