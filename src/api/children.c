/* The children resource: search, create, read, update. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/command.h"
#include "api/records.h"
#include "api/view_cache.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/chronology.h"
#include "domain/entities.h"
#include "policy/policy.h"
#include "search/search.h"

json_t *records_search_children(struct store *st, const char *q, int limit)
{
	json_t *found = search_children(st, q, limit);
	json_t *results = json_incref(json_object_get(found, "results"));
	json_decref(found);
	return results;
}

/* An unborn child has an expected date of delivery and no date of birth; a born child the reverse. */
static void check_birth_fields(json_t *in, json_t *errors)
{
	bool unborn = json_is_true(json_object_get(in, "is_unborn"));
	json_t *dob = json_object_get(in, "dob"), *edd = json_object_get(in, "edd");
	bool has_dob = dob && !json_is_null(dob), has_edd = edd && !json_is_null(edd);
	if (unborn && !has_edd)
		json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "edd", "message",
		                                        "Enter the expected date of delivery for an unborn child"));
	if (unborn && has_dob)
		json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "dob", "message",
		                                        "An unborn child has no date of birth yet"));
	if (!unborn && !has_dob)
		json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "dob", "message", "Enter date of birth"));
	int32_t d;
	if (has_dob && json_is_string(dob) && date_parse(json_string_value(dob), &d) == 0 && d > date_today())
		json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "dob", "message",
		                                        "Date of birth must be today or in the past"));
}

int records_create_child(struct http_request *req, json_t *in, json_t *errors, char id_out[ID_MAX])
{
	if (command_begin_or_respond(req) < 0)
		return -1;
	if (record_validate(req->store, &entity_child, in, false, errors) == 0)
		check_birth_fields(in, errors);
	if (json_array_size(errors)) {
		store_rollback(req->store);
		return 1;
	}
	int rc = record_insert(req->store, &entity_child, in, NULL, 0, req->user.id, id_out);
	if (rc != STORE_OK) {
		web_store_failure(req, rc);
		return -1;
	}
	struct chronology_event ev = {
		.child_id = id_out,
		.event_type = "record_created",
		.summary = "Child's record created",
		.source_type = "child",
		.source_id = id_out,
	};
	rc = chronology_append(req->store, &ev, req->user.id, NULL);
	if (rc != STORE_OK) {
		web_store_failure(req, rc);
		return -1;
	}
	if (command_audit_or_respond(req, "create", "child", id_out, id_out) < 0)
		return -1;
	return command_commit_or_respond(req);
}

/* The child's view with or without the restricted fields, as the policy decided for this user. */
static json_t *child_view(struct http_request *req, const char *child_id, bool restricted)
{
	json_t *child = record_get(req->store, &entity_child, child_id);
	if (!child)
		return NULL;
	record_redact(&entity_child, child, restricted);
	json_t *cases = record_list(req->store, &entity_case, "child_id", child_id, "opened_at DESC", 100);
	json_object_set_new(child, "cases", cases);
	json_t *rels = json_array();
	struct store_stmt *s = store_prepare(
		req->store, "SELECT r.id, r.person_id, p.forenames, p.surname, r.relationship_type, "
		            "r.has_parental_responsibility, r.resident_in_household, r.start_date, r.end_date "
		            "FROM relationships r JOIN persons p ON p.id = r.person_id WHERE r.child_id = $1 "
		            "ORDER BY r.end_date IS NOT NULL, p.surname, p.forenames");
	if (s) {
		store_bind_text(s, 1, child_id);
		while (store_step(s) == STORE_ROW) {
			json_array_append_new(
				rels, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:s?, s:s?}", "id", store_col_text(s, 0),
				                "person_id", store_col_text(s, 1), "forenames", store_col_text(s, 2),
				                "surname", store_col_text(s, 3), "relationship_type", store_col_text(s, 4),
				                "has_parental_responsibility", (int)store_col_int(s, 5),
				                "resident_in_household", (int)store_col_int(s, 6), "start_date",
				                store_col_text(s, 7), "end_date", store_col_text(s, 8)));
		}
	}
	json_object_set_new(child, "relationships", rels);
	return child;
}

json_t *records_child_view(struct http_request *req, const char *child_id)
{
	return child_view(req, child_id, policy_child(req->store, &req->user, "child.restricted", child_id));
}

/* GET /api/v1/search?q= and (the same, kept for existing clients) GET /api/v1/children?q=. limit: 1 to 100. */
static void h_search(struct http_request *req)
{
	const char *q = http_query(req, "q"), *lim = http_query(req, "limit");
	if (!q || !*q) {
		http_problem(req, 400, "Missing search",
		             "Give q: a name, date of birth, NHS number, postcode or case ID.", "q");
		return;
	}
	if (strlen(q) > SEARCH_QUERY_MAX) {
		http_problem(req, 400, "Search too long", "The search must be 100 characters or fewer.", "q");
		return;
	}
	int limit = 50;
	if (lim) {
		char *end;
		long v = strtol(lim, &end, 10);
		if (!*lim || *end || v < 1 || v > 100) {
			http_problem(req, 400, "Bad limit", "limit must be a whole number from 1 to 100.", "limit");
			return;
		}
		limit = (int)v;
	}
	http_json(req, 200, search_children(req->store, q, limit));
}

/* GET /api/v1/search/duplicates?forenames=&surname=&dob=&edd=&nhs_number=: the children a new record would likely
 * duplicate, as the new-child form shows them before saving (procedures-A1-5 2.4.4). */
static const char *query_or_null(struct http_request *req, const char *key)
{
	const char *v = http_query(req, key);
	return v && *v ? v : NULL;
}

static void h_duplicates(struct http_request *req)
{
	struct search_new_child c = {
		.forenames = query_or_null(req, "forenames"),
		.surname = query_or_null(req, "surname"),
		.dob = query_or_null(req, "dob"),
		.edd = query_or_null(req, "edd"),
		.nhs_number = query_or_null(req, "nhs_number"),
	};
	static const char *const fields[] = {"forenames", "surname", "dob", "edd", "nhs_number"};
	const char *values[] = {c.forenames, c.surname, c.dob, c.edd, c.nhs_number};
	for (size_t i = 0; i < 5; i++)
		if (values[i] && strlen(values[i]) > SEARCH_QUERY_MAX) {
			http_problem(req, 400, "Too long", "Each value must be 100 characters or fewer.", fields[i]);
			return;
		}
	int32_t d;
	if (c.dob && date_parse(c.dob, &d) < 0) {
		http_problem(req, 400, "Bad date", "dob must be a real date, like 2019-03-27.", "dob");
		return;
	}
	if (c.edd && date_parse(c.edd, &d) < 0) {
		http_problem(req, 400, "Bad date", "edd must be a real date, like 2026-09-01.", "edd");
		return;
	}
	if (!c.surname && !c.nhs_number) {
		http_problem(req, 400, "Missing surname", "Give the new child's surname (and forenames, dob or edd), or an "
		             "NHS number.", "surname");
		return;
	}
	http_json(req, 200, json_pack("{s:o}", "duplicates", search_duplicates(req->store, &c, 20)));
}

json_t *records_likely_duplicates(struct http_request *req, const json_t *in)
{
	struct search_new_child c = {
		.forenames = json_string_value(json_object_get(in, "forenames")),
		.surname = json_string_value(json_object_get(in, "surname")),
		.dob = json_string_value(json_object_get(in, "dob")),
		.edd = json_string_value(json_object_get(in, "edd")),
		.nhs_number = json_string_value(json_object_get(in, "nhs_number")),
	};
	if (!c.surname && !c.nhs_number)
		return json_array();
	return search_duplicates(req->store, &c, 10);
}

static void h_create(struct http_request *req)
{
	json_t *in = command_input_or_respond(req, &entity_child);
	if (!in)
		return;
	/* As on the form (U6): a likely duplicate stops the save until the client confirms none of them is this child,
	 * by sending "not_duplicate": true with the same record. */
	json_t *confirm = json_object_get(in, "not_duplicate");
	if (confirm && !json_is_boolean(confirm)) {
		json_decref(in);
		http_problem(req, 422, "Invalid input", "not_duplicate must be true or false", "not_duplicate");
		return;
	}
	bool confirmed = json_is_true(confirm);
	json_object_del(in, "not_duplicate");
	json_t *dups = confirmed ? json_array() : records_likely_duplicates(req, in);
	if (json_array_size(dups)) {
		json_decref(in);
		http_problem_ext(req, 409, "Possible duplicate",
		                 "Children already recorded may be this child. Check them; if none is, send the record "
		                 "again with \"not_duplicate\": true.",
		                 "not_duplicate", json_pack("{s:o}", "duplicates", dups));
		return;
	}
	json_decref(dups);
	json_t *errors = json_array();
	char id[ID_MAX];
	int rc = records_create_child(req, in, errors, id);
	json_decref(in);
	if (rc == 1) {
		web_invalid(req, errors);
		return;
	}
	json_decref(errors);
	if (rc < 0)
		return;
	char loc[96];
	snprintf(loc, sizeof loc, "/api/v1/children/%s", id);
	http_header(req, "Location", loc);
	http_json(req, 201, records_child_view(req, id));
}

static void h_get(struct http_request *req)
{
	const char *id = http_param(req, 0);
	if (!command_child_allowed(req, "child.read", id))
		return;
	bool restricted = policy_child(req->store, &req->user, "child.restricted", id);
	/* The same snapshot data gives the same text: only the building is skipped, never the checks or the audit. */
	uint64_t version = store_data_version(req->store);
	size_t len;
	const char *kept = view_cache_get(req->store, "child", id, restricted, version, &len);
	if (kept) {
		command_audit_read(req, "child", id, id);
		http_respond(req, 200, "application/json", kept, len);
		return;
	}
	json_t *child = child_view(req, id, restricted);
	if (!child) {
		web_not_found(req);
		return;
	}
	command_audit_read(req, "child", id, id);
	http_json(req, 200, child);
	if (req->out.len)
		view_cache_put(req->store, "child", id, restricted, version, req->out.data, req->out.len);
}

static void h_update(struct http_request *req)
{
	const char *id = http_param(req, 0);
	if (!command_child_allowed(req, "child.update", id))
		return;
	json_t *in = command_input_or_respond(req, &entity_child);
	if (!in)
		return;
	if (command_begin_or_respond(req) < 0) {
		json_decref(in);
		return;
	}
	json_t *errors = json_array();
	if (record_validate(req->store, &entity_child, in, true, errors)) {
		store_rollback(req->store);
		json_decref(in);
		web_invalid(req, errors);
		return;
	}
	json_decref(errors);
	/* Restricted fields may be changed only by those who may see them. */
	if ((json_object_get(in, "address") || json_object_get(in, "postcode")) &&
	    !policy_child(req->store, &req->user, "child.restricted", id)) {
		store_rollback(req->store);
		json_decref(in);
		http_problem(req, 403, "Restricted field", "You cannot change this child's address.", "address");
		return;
	}
	int rc = record_update(req->store, &entity_child, id, in, req->user.id);
	json_decref(in);
	if (rc == STORE_DONE) {
		store_rollback(req->store);
		web_not_found(req);
		return;
	}
	if (rc != STORE_OK) {
		web_store_failure(req, rc);
		return;
	}
	if (command_audit_or_respond(req, "update", "child", id, id) < 0 || command_commit_or_respond(req) < 0)
		return;
	http_json(req, 200, records_child_view(req, id));
}

const struct route children_routes[] = {
	{HTTP_GET, "/api/v1/search", h_search, "child.search"},
	{HTTP_GET, "/api/v1/search/duplicates", h_duplicates, "child.search"},
	{HTTP_GET, "/api/v1/children", h_search, "child.search"},
	{HTTP_POST, "/api/v1/children", h_create, "child.create"},
	{HTTP_GET, "/api/v1/children/:id", h_get, "child.read"},
	{HTTP_PATCH, "/api/v1/children/:id", h_update, "child.update"},
	{0},
};
