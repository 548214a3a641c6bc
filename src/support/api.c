/* The decision-support JSON API: the catalogue, a child's overview, concerns, factors and prompts; and the checks
 * every support handler shares. The care records are in api_care.c. */
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "app/app.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/entities.h"
#include "policy/policy.h"
#include "support/commands.h"
#include "support/data.h"
#include "support/handlers.h"
#include "support/prompts.h"
#include "support/view.h"

static const struct support_catalogue *cat_of(const struct http_request *req)
{
	return req->app->support;
}

bool support_handlers_child(struct http_request *req, const char *action)
{
	const char *child_id = http_param(req, 0);
	if (!command_child_allowed(req, action, child_id))
		return false;
	if (store_query_int(req->store, "SELECT COUNT(*) FROM children WHERE id = $1", child_id) != 1) {
		web_not_found(req);
		return false;
	}
	return true;
}

json_t *support_handlers_concern(struct http_request *req, const char *child_id, const char *concern_id)
{
	json_t *data = support_data_load(req->store, child_id);
	json_t *found = NULL;
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(data, "concerns"), i, c) {
		if (concern_id && strcmp(support_str(c, "id"), concern_id) == 0)
			found = json_incref(c);
	}
	json_decref(data);
	return found;
}

bool support_handlers_concern_visible(struct http_request *req, const char *child_id, const json_t *concern)
{
	const char *by = support_str(concern, "created_by");
	if (policy_child(req->store, &req->user, "support.read", child_id))
		return true;
	return by && strcmp(by, req->user.id) == 0 && policy_child(req->store, &req->user, "support.record", child_id);
}

bool support_api_begin(struct http_request *req, json_t **in, json_t **errors)
{
	json_t *raw = command_input_or_respond(req, NULL);
	if (!raw)
		return false;
	*in = json_deep_copy(raw);
	json_decref(raw);
	*errors = json_array();
	return true;
}

bool support_api_end(struct http_request *req, int rc, json_t *in, json_t *errors)
{
	json_decref(in);
	if (rc == 1) {
		web_invalid(req, errors); /* answers 422 and frees the errors */
		return false;
	}
	json_decref(errors);
	return rc >= 0;
}

void support_api_created(struct http_request *req, const char *what, const char *id, json_t *body)
{
	char loc[160];
	snprintf(loc, sizeof loc, "/api/v1/children/%s/%s/%s", http_param(req, 0), what, id);
	http_header(req, "Location", loc);
	http_json(req, 201, body);
}

json_t *support_api_find_by_id(const json_t *list, const char *id)
{
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e) {
		if (strcmp(support_str(e, "id"), id) == 0)
			return e;
	}
	return NULL;
}

/* ---- catalogue and overview ---- */

void support_api_catalogue(struct http_request *req)
{
	http_json(req, 200, support_catalogue_all(cat_of(req)));
}

void support_api_overview(struct http_request *req)
{
	if (!support_handlers_child(req, "support.read"))
		return;
	const char *child_id = http_param(req, 0);
	json_t *o = support_view_overview(req->store, cat_of(req), child_id, date_today());
	if (!o) {
		web_store_failure(req, STORE_ERR);
		return;
	}
	command_audit_read(req, "support", NULL, child_id);
	http_json(req, 200, o);
}

/* ---- concerns ---- */

void support_api_concerns_list(struct http_request *req)
{
	if (!support_handlers_child(req, "support.read"))
		return;
	const char *child_id = http_param(req, 0);
	json_t *data = support_data_load(req->store, child_id);
	if (!data) {
		web_store_failure(req, STORE_ERR);
		return;
	}
	json_t *items = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(data, "concerns"), i, c) json_array_append_new(items,
	                                                                                 support_view_concern(cat_of(req), c));
	json_t *features = support_view_features(cat_of(req), json_object_get(data, "concerns"));
	json_decref(data);
	command_audit_read(req, "support_concern", NULL, child_id);
	http_json(req, 200, json_pack("{s:o, s:o}", "items", items, "features", features));
}

void support_api_concerns_create(struct http_request *req)
{
	json_t *response = NULL;
	char id[ID_MAX];
	json_t *in, *errors;
	if (!support_handlers_child(req, "support.record") || !support_api_begin(req, &in, &errors))
		return;
	int rc = support_commands_concern(req, http_param(req, 0), in, errors, id, &response);
	if (!support_api_end(req, rc, in, errors))
		return;
	json_t *c = support_handlers_concern(req, http_param(req, 0), id);
	json_t *body = c ? support_view_concern(cat_of(req), c) : json_object();
	json_decref(c);
	/* The response as it was when recorded, with what happened to the clock. */
	json_object_set_new(body, "response", response);
	json_t *prompts = support_data_prompts(req->store, cat_of(req), http_param(req, 0), date_today());
	json_object_set_new(body, "prompts", prompts ? prompts : json_array());
	support_api_created(req, "concerns", id, body);
}

void support_api_concern_get(struct http_request *req)
{
	const char *child_id = http_param(req, 0);
	json_t *c = support_handlers_concern(req, child_id, http_param(req, 1));
	if (!c || !support_handlers_concern_visible(req, child_id, c)) {
		json_decref(c);
		if (id_valid(child_id))
			web_forbidden(req, "support.concern", child_id);
		else
			web_not_found(req);
		return;
	}
	json_t *v = support_view_concern(cat_of(req), c);
	json_decref(c);
	command_audit_read(req, "support_concern", http_param(req, 1), child_id);
	http_json(req, 200, v);
}

/* ---- factors ---- */

void support_api_factors_list(struct http_request *req)
{
	if (!support_handlers_child(req, "support.read"))
		return;
	const char *child_id = http_param(req, 0);
	json_t *data = support_data_load(req->store, child_id);
	if (!data) {
		web_store_failure(req, STORE_ERR);
		return;
	}
	json_t *v = support_view_factors(cat_of(req), json_object_get(data, "factors"));
	json_decref(data);
	command_audit_read(req, "support_factor", NULL, child_id);
	http_json(req, 200, v);
}

void support_api_factors_create(struct http_request *req)
{
	char id[ID_MAX];
	json_t *in, *errors;
	if (!support_handlers_child(req, "support.record") || !support_api_begin(req, &in, &errors))
		return;
	int rc = support_commands_factor(req, http_param(req, 0), in, errors, id);
	if (!support_api_end(req, rc, in, errors))
		return;
	json_t *data = support_data_load(req->store, http_param(req, 0));
	json_t *view = support_view_factors(cat_of(req), json_object_get(data, "factors"));
	json_decref(data);
	json_t *body = json_null();
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(view, "current"), i, f) {
		if (strcmp(support_str(f, "id"), id) == 0)
			body = json_incref(f);
	}
	if (json_is_null(body))
		body = json_object();
	json_object_set(body, "combinations", json_object_get(view, "combinations"));
	json_decref(view);
	support_api_created(req, "factors", id, body);
}

void support_api_factor_end(struct http_request *req)
{
	json_t *in, *errors;
	if (!support_handlers_child(req, "support.record") || !support_api_begin(req, &in, &errors))
		return;
	int rc = support_commands_factor_end(req, http_param(req, 0), http_param(req, 1), in, errors);
	if (!support_api_end(req, rc, in, errors))
		return;
	json_t *data = support_data_load(req->store, http_param(req, 0));
	json_t *view = support_view_factors(cat_of(req), json_object_get(data, "factors"));
	json_decref(data);
	http_json(req, 200, view);
}

/* ---- prompts ---- */

void support_api_prompts_list(struct http_request *req)
{
	if (!support_handlers_child(req, "support.read"))
		return;
	const char *child_id = http_param(req, 0), *status = http_query(req, "status");
	if (status && strcmp(status, "active") && strcmp(status, "dismissed")) {
		http_problem(req, 400, "Unknown status", "status is active or dismissed.", "status");
		return;
	}
	json_t *prompts = support_data_prompts(req->store, cat_of(req), child_id, date_today());
	if (!prompts) {
		web_store_failure(req, STORE_ERR);
		return;
	}
	for (size_t i = 0; status && i < json_array_size(prompts);) {
		if (strcmp(support_str(json_array_get(prompts, i), "status"), status))
			json_array_remove(prompts, i);
		else
			i++;
	}
	command_audit_read(req, "support_prompt", NULL, child_id);
	http_json(req, 200, json_pack("{s:o}", "items", prompts));
}

void support_api_prompt_get(struct http_request *req)
{
	if (!support_handlers_child(req, "support.read"))
		return;
	const char *child_id = http_param(req, 0);
	json_t *prompts = support_data_prompts(req->store, cat_of(req), child_id, date_today());
	json_t *p = prompts ? support_prompts_find(prompts, http_param(req, 1)) : NULL;
	if (!p) {
		json_decref(prompts);
		web_not_found(req);
		return;
	}
	json_incref(p);
	json_decref(prompts);
	command_audit_read(req, "support_prompt", http_param(req, 1), child_id);
	http_json(req, 200, p);
}

void support_api_prompt_dismiss(struct http_request *req)
{
	json_t *in, *errors;
	if (!support_handlers_child(req, "support.record") || !support_handlers_child(req, "support.read") || !support_api_begin(req, &in, &errors))
		return;
	int rc = support_commands_dismiss(req, http_param(req, 0), http_param(req, 1), in, errors);
	if (!support_api_end(req, rc, in, errors))
		return;
	json_t *prompts = support_data_prompts(req->store, cat_of(req), http_param(req, 0), date_today());
	json_t *p = prompts ? support_prompts_find(prompts, http_param(req, 1)) : NULL;
	http_json(req, 200, p ? json_incref(p) : json_object());
	json_decref(prompts);
}
