/* The children resource: search, create, read, update. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "api/records.h"
#include "api/view_cache.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/chronology.h"
#include "domain/entities.h"
#include "policy/policy.h"

/* A restricted address (a refuge) is never matched by postcode: a "matched on postcode" answer would reveal it. */
static void add_reason(json_t *reasons, const char *r)
{
	json_array_append_new(reasons, json_string(r));
}

/* Normalise a postcode or NHS number: upper case, no spaces. */
static void squash(const char *in, char *out, size_t cap)
{
	size_t n = 0;
	for (; *in && n + 1 < cap; in++)
		if (!isspace((unsigned char)*in))
			out[n++] = (char)toupper((unsigned char)*in);
	out[n] = '\0';
}

json_t *records_search_children(struct store *st, const char *q, int limit)
{
	json_t *out = json_array();
	if (!q || !*q)
		return out;
	char squashed[64], like[256], dob[DATE_ISO_LEN] = "";
	squash(q, squashed, sizeof squashed);
	int32_t d;
	int dd, mm, yy;
	char extra;
	if (date_parse(q, &d) == 0)
		date_format(d, dob);
	else if (sscanf(q, "%d/%d/%d%c", &dd, &mm, &yy, &extra) == 3 && date_valid_ymd(yy, mm, dd))
		date_format(date_from_ymd(yy, mm, dd), dob);
	snprintf(like, sizeof like, "%%%s%%", q);
	struct store_stmt *s = store_prepare(
		st, "SELECT id, forenames, surname, dob, is_unborn, edd, nhs_number, postcode, cp_plan_status, "
		    "LOWER(forenames || ' ' || surname) LIKE LOWER($1) OR LOWER(surname) LIKE LOWER($1) "
		    "  OR LOWER(COALESCE(aliases, '')) LIKE LOWER($1), "
		    "dob = $2, REPLACE(COALESCE(nhs_number, ''), ' ', '') = $3, "
		    "(address_restricted = 0 AND UPPER(REPLACE(COALESCE(postcode, ''), ' ', '')) = $3) "
		    "FROM children WHERE LOWER(forenames || ' ' || surname) LIKE LOWER($1) "
		    "OR LOWER(surname) LIKE LOWER($1) OR LOWER(COALESCE(aliases, '')) LIKE LOWER($1) OR dob = $2 "
		    "OR REPLACE(COALESCE(nhs_number, ''), ' ', '') = $3 "
		    "OR (address_restricted = 0 AND UPPER(REPLACE(COALESCE(postcode, ''), ' ', '')) = $3) "
		    "ORDER BY surname, forenames LIMIT $4");
	if (!s)
		return out;
	store_bind_text(s, 1, like);
	store_bind_text(s, 2, dob[0] ? dob : NULL);
	store_bind_text(s, 3, squashed);
	store_bind_int(s, 4, limit);
	while (store_step(s) == STORE_ROW) {
		json_t *reasons = json_array();
		if (store_col_int(s, 9))
			add_reason(reasons, "name");
		if (store_col_int(s, 10))
			add_reason(reasons, "date of birth");
		if (store_col_int(s, 11))
			add_reason(reasons, "NHS number");
		if (store_col_int(s, 12))
			add_reason(reasons, "postcode");
		json_array_append_new(
			out, json_pack("{s:s, s:s, s:s, s:s?, s:b, s:s?, s:s, s:o}", "id", store_col_text(s, 0), "forenames",
			               store_col_text(s, 1), "surname", store_col_text(s, 2), "dob", store_col_text(s, 3),
			               "is_unborn", (int)store_col_int(s, 4), "edd", store_col_text(s, 5), "cp_plan_status",
			               store_col_text(s, 8), "match_reasons", reasons));
	}
	return out;
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

static void h_search(struct http_request *req)
{
	const char *q = http_query(req, "q");
	if (!q || !*q) {
		http_problem(req, 400, "Missing search", "Give q: a name, date of birth, NHS number or postcode.", "q");
		return;
	}
	if (strlen(q) > 100) {
		http_problem(req, 400, "Search too long", "The search must be 100 characters or fewer.", "q");
		return;
	}
	http_json(req, 200, json_pack("{s:o}", "results", records_search_children(req->store, q, 50)));
}

static void h_create(struct http_request *req)
{
	json_t *in = command_input_or_respond(req, &entity_child);
	if (!in)
		return;
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
	{HTTP_GET, "/api/v1/children", h_search, "child.search"},
	{HTTP_POST, "/api/v1/children", h_create, "child.create"},
	{HTTP_GET, "/api/v1/children/:id", h_get, "child.read"},
	{HTTP_PATCH, "/api/v1/children/:id", h_update, "child.update"},
	{0},
};
