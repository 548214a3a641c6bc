/* Pages for the people around a child and the child's own details: add a person with their relationship to the
 * child (one form, one transaction), and change the child's details. The same operations as POST /api/v1/persons
 * + POST /api/v1/children/{id}/relationships, and PATCH /api/v1/children/{id}. */
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "api/records.h"
#include "app/web.h"
#include "domain/chronology.h"
#include "domain/entities.h"
#include "domain/enums.h"
#include "policy/policy.h"
#include "ui/pages.h"

static json_t *options(const char *list, const char *selected)
{
	json_t *opts = enums_list(list);
	size_t i;
	json_t *o;
	json_array_foreach(opts, i, o) json_object_set_new(
		o, "selected", json_boolean(selected && strcmp(selected, json_string_value(json_object_get(o, "code"))) == 0));
	return opts;
}

/* The form's typed values, for re-display after a refusal (everything typed is kept). */
static json_t *typed(struct http_request *req, const char *const *keys, size_t n)
{
	json_t *o = json_object();
	for (size_t i = 0; i < n; i++) {
		const char *v = http_form(req, keys[i]);
		json_object_set_new(o, keys[i], json_string(v ? v : ""));
	}
	return o;
}

static const char *const person_keys[] = {"forenames", "surname", "dob-day", "dob-month", "dob-year",
                                          "relationship_type", "has_parental_responsibility",
                                          "resident_in_household"};

static void render_person_form(struct http_request *req, int status, json_t *errors)
{
	const char *id = http_param(req, 0);
	json_t *form = typed(req, person_keys, sizeof person_keys / sizeof person_keys[0]);
	json_t *ctx = json_pack("{s:s, s:o, s:o, s:b, s:b, s:s}", "child_id", id, "form", form, "relationships",
	                        options("relationship_type", http_form(req, "relationship_type")), "pr_yes",
	                        http_form(req, "has_parental_responsibility") &&
	                                strcmp(http_form(req, "has_parental_responsibility"), "yes") == 0,
	                        "resident_yes",
	                        http_form(req, "resident_in_household") &&
	                                strcmp(http_form(req, "resident_in_household"), "yes") == 0,
	                        "back_href", arena_printf(&req->arena, "/children/%s", id));
	if (errors) {
		web_add_errors(ctx, errors);
		json_decref(errors);
	}
	web_page(req, status, "person_new", "Add a person", ctx);
}

static void h_person_new(struct http_request *req)
{
	if (!command_child_allowed(req, "child.update", http_param(req, 0)))
		return;
	render_person_form(req, 200, NULL);
}

static void h_person_add(struct http_request *req)
{
	const char *child = http_param(req, 0);
	if (!command_child_allowed(req, "child.update", child))
		return;
	json_t *person = record_from_form(&entity_person, req);
	json_t *rel = record_from_form(&entity_relationship, req);
	/* The person does not exist yet: validate the relationship without it, then link the new id. */
	json_object_del(rel, "person_id");
	if (command_begin_or_respond(req) < 0) {
		json_decref(person);
		json_decref(rel);
		return;
	}
	json_t *errors = json_array();
	record_validate(req->store, &entity_person, person, false, errors);
	json_t *rel_check = json_deep_copy(rel);
	json_object_set_new(rel_check, "person_id", json_string("per_0000000000000000"));
	json_t *rel_errors = json_array();
	record_validate(req->store, &entity_relationship, rel_check, false, rel_errors);
	size_t i;
	json_t *e;
	json_array_foreach(rel_errors, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "field")), "person_id") != 0)
			json_array_append(errors, e);
	}
	json_decref(rel_check);
	json_decref(rel_errors);
	if (json_array_size(errors)) {
		store_rollback(req->store);
		json_decref(person);
		json_decref(rel);
		render_person_form(req, 422, errors);
		return;
	}
	json_decref(errors);
	char pid[ID_MAX], rid[ID_MAX];
	int rc = record_insert(req->store, &entity_person, person, NULL, 0, req->user.id, pid);
	if (rc == STORE_OK) {
		json_object_set_new(rel, "person_id", json_string(pid));
		struct http_kv extra[] = {{"child_id", child}};
		rc = record_insert(req->store, &entity_relationship, rel, extra, 1, req->user.id, rid);
	}
	const char *label = enums_label("relationship_type", json_string_value(json_object_get(rel, "relationship_type")));
	struct chronology_event ev = {.child_id = child,
	                              .event_type = "household_change",
	                              .summary = arena_printf(&req->arena, "%s recorded as the child's %s",
	                                                      json_string_value(json_object_get(person, "forenames")),
	                                                      label ? label : "relative"),
	                              .source_type = "relationship",
	                              .source_id = rid};
	json_decref(person);
	json_decref(rel);
	if (rc == STORE_OK)
		rc = chronology_append(req->store, &ev, req->user.id, NULL);
	if (rc != STORE_OK) {
		web_store_failure(req, rc);
		return;
	}
	if (command_audit_or_respond(req, "create", "person", pid, child) < 0 || command_commit_or_respond(req) < 0)
		return;
	http_redirect(req, arena_printf(&req->arena, "/children/%s", child));
}

/* ---- a child's details ---- */

static const char *const child_keys[] = {"forenames", "surname", "gender", "nhs_number", "upn", "ethnicity",
                                         "first_language", "religion", "communication_needs", "disabilities",
                                         "address", "postcode"};

static void render_child_edit(struct http_request *req, int status, json_t *values, json_t *errors)
{
	const char *id = http_param(req, 0);
	bool restricted = policy_child(req->store, &req->user, "child.restricted", id);
	json_t *ctx = json_pack("{s:s, s:o, s:o, s:b, s:s}", "child_id", id, "form", values, "genders",
	                        options("gender", json_string_value(json_object_get(values, "gender"))),
	                        "can_edit_address", restricted, "back_href",
	                        arena_printf(&req->arena, "/children/%s", id));
	if (errors) {
		web_add_errors(ctx, errors);
		json_decref(errors);
	}
	web_page(req, status, "child_edit", "Change the child's details", ctx);
}

static void h_child_edit(struct http_request *req)
{
	const char *id = http_param(req, 0);
	if (!command_child_allowed(req, "child.update", id))
		return;
	json_t *child = record_get(req->store, &entity_child, id);
	if (!child) {
		web_not_found(req);
		return;
	}
	record_redact(&entity_child, child, policy_child(req->store, &req->user, "child.restricted", id));
	json_t *values = json_object();
	for (size_t i = 0; i < sizeof child_keys / sizeof child_keys[0]; i++) {
		const char *v = json_string_value(json_object_get(child, child_keys[i]));
		json_object_set_new(values, child_keys[i], json_string(v ? v : ""));
	}
	json_decref(child);
	render_child_edit(req, 200, values, NULL);
}

static void h_child_save(struct http_request *req)
{
	const char *id = http_param(req, 0);
	if (!command_child_allowed(req, "child.update", id))
		return;
	bool restricted = policy_child(req->store, &req->user, "child.restricted", id);
	json_t *in = json_object();
	for (size_t i = 0; i < sizeof child_keys / sizeof child_keys[0]; i++) {
		const char *k = child_keys[i];
		const char *v = http_form(req, k);
		if (!v || ((!strcmp(k, "address") || !strcmp(k, "postcode")) && !restricted))
			continue;
		/* An emptied optional field clears it; the required names are checked by validation. */
		json_object_set_new(in, k, *v || !strcmp(k, "forenames") || !strcmp(k, "surname") ? json_string(v)
		                                                                                    : json_null());
	}
	if (command_begin_or_respond(req) < 0) {
		json_decref(in);
		return;
	}
	json_t *errors = json_array();
	if (record_validate(req->store, &entity_child, in, true, errors)) {
		store_rollback(req->store);
		json_decref(in);
		render_child_edit(req, 422, typed(req, child_keys, sizeof child_keys / sizeof child_keys[0]), errors);
		return;
	}
	json_decref(errors);
	int rc = record_update(req->store, &entity_child, id, in, req->user.id);
	json_decref(in);
	if (rc != STORE_OK) {
		if (rc == STORE_DONE) {
			store_rollback(req->store);
			web_not_found(req);
		} else {
			web_store_failure(req, rc);
		}
		return;
	}
	if (command_audit_or_respond(req, "update", "child", id, id) < 0 || command_commit_or_respond(req) < 0)
		return;
	http_redirect(req, arena_printf(&req->arena, "/children/%s", id));
}

const struct route people_pages_routes[] = {
	{HTTP_GET, "/children/:id/people/new", h_person_new, "child.update"},
	{HTTP_POST, "/children/:id/people", h_person_add, "child.update"},
	{HTTP_GET, "/children/:id/edit", h_child_edit, "child.update"},
	{HTTP_POST, "/children/:id", h_child_save, "child.update"},
	{0},
};
