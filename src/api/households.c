/* Households (spec 4.2 "Household"): an address with its members, children and adults, over time. A household is
 * visible to whoever may read one of the children in it, and changed by whoever may change one of them. */
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "api/records.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/chronology.h"
#include "domain/entities.h"
#include "policy/policy.h"

/* A child in the household the user may act on for action, or NULL. */
static const char *permitted_child(struct http_request *req, const char *household, const char *action)
{
	return command_permitted_child(
		req, "SELECT child_id FROM household_members WHERE household_id = $1 AND child_id IS NOT NULL", household,
		action);
}

static json_t *household_view(struct http_request *req, const char *id, const char *child)
{
	json_t *h = record_get(req->store, &entity_household, id);
	if (!h)
		return NULL;
	record_redact(&entity_household, h, policy_child(req->store, &req->user, "child.restricted", child));
	json_t *members = json_array();
	struct store_stmt *s = store_prepare(
		req->store, "SELECT m.child_id, m.person_id, COALESCE(c.forenames, p.forenames), COALESCE(c.surname, "
		            "p.surname), m.start_date, m.end_date FROM household_members m LEFT JOIN children c ON "
		            "c.id = m.child_id LEFT JOIN persons p ON p.id = m.person_id WHERE m.household_id = $1 "
		            "ORDER BY m.end_date IS NOT NULL, m.start_date");
	if (s) {
		store_bind_text(s, 1, id);
		while (store_step(s) == STORE_ROW)
			json_array_append_new(members,
			                      json_pack("{s:s?, s:s?, s:s, s:s, s:s?, s:s?}", "child_id", store_col_text(s, 0),
			                                "person_id", store_col_text(s, 1), "forenames", store_col_text(s, 2),
			                                "surname", store_col_text(s, 3), "start_date", store_col_text(s, 4),
			                                "end_date", store_col_text(s, 5)));
	}
	json_object_set_new(h, "members", members);
	return h;
}

static int add_member(struct http_request *req, const char *household, const char *child_id, const char *person_id,
                      const char *start)
{
	struct store_stmt *s = store_prepare(
		req->store,
		"INSERT INTO household_members (household_id, child_id, person_id, start_date) VALUES ($1, $2, $3, $4)");
	if (!s)
		return STORE_ERR;
	store_bind_text(s, 1, household);
	store_bind_text(s, 2, child_id);
	store_bind_text(s, 3, person_id);
	store_bind_text(s, 4, start);
	int rc = store_step(s);
	return rc == STORE_DONE ? STORE_OK : rc;
}

/* POST /api/v1/households {address, postcode, child_id}: a household starts with one child in it. */
static void h_create(struct http_request *req)
{
	json_t *in = command_input_or_respond(req, NULL);
	if (!in)
		return;
	json_t *child = json_incref(json_object_get(in, "child_id"));
	json_object_del(in, "child_id");
	const char *child_id = json_string_value(child);
	if (!child_id) {
		json_decref(in);
		json_decref(child);
		http_problem(req, 422, "Missing child", "Give child_id: a household is recorded from a child's record.",
		             "child_id");
		return;
	}
	child_id = arena_strdup(&req->arena, child_id);
	json_decref(child);
	if (!command_child_allowed(req, "child.update", child_id) ||
	    command_begin_valid_or_respond(req, &entity_household, in, false) < 0) {
		json_decref(in);
		return;
	}
	char id[ID_MAX], today[DATE_ISO_LEN];
	date_format(date_today(), today);
	int rc = record_insert(req->store, &entity_household, in, NULL, 0, req->user.id, id);
	json_decref(in);
	if (rc == STORE_OK)
		rc = add_member(req, id, child_id, NULL, today);
	struct chronology_event ev = {.child_id = child_id, .event_type = "household_change",
	                              .summary = "Household recorded", .source_type = "household", .source_id = id};
	if (rc == STORE_OK)
		rc = chronology_append(req->store, &ev, req->user.id, NULL);
	if (rc != STORE_OK) {
		web_store_failure(req, rc);
		return;
	}
	if (command_audit_or_respond(req, "create", "household", id, child_id) < 0 || command_commit_or_respond(req) < 0)
		return;
	http_header(req, "Location", arena_printf(&req->arena, "/api/v1/households/%s", id));
	http_json(req, 201, household_view(req, id, child_id));
}

static void h_get(struct http_request *req)
{
	const char *id = http_param(req, 0);
	const char *child = id_valid(id) ? permitted_child(req, id, "child.read") : NULL;
	json_t *h = child ? household_view(req, id, child) : NULL;
	if (!h) {
		web_hidden(req, "child.read", "household", id_valid(id) ? id : NULL);
		return;
	}
	command_audit_read(req, "household", id, child);
	http_json(req, 200, h);
}

/* POST /api/v1/households/{id}/members {child_id | person_id, start_date?} */
static void h_add_member(struct http_request *req)
{
	const char *id = http_param(req, 0);
	const char *child = id_valid(id) ? permitted_child(req, id, "child.update") : NULL;
	if (!child) {
		web_hidden(req, "child.update", "household", id_valid(id) ? id : NULL);
		return;
	}
	json_t *in = command_input_or_respond(req, NULL);
	if (!in)
		return;
	const char *cid = json_string_value(json_object_get(in, "child_id"));
	const char *pid = json_string_value(json_object_get(in, "person_id"));
	const char *start = json_string_value(json_object_get(in, "start_date"));
	int32_t d;
	const char *problem = NULL, *field = NULL;
	if (!cid == !pid)
		problem = "Give exactly one of child_id and person_id.", field = "child_id";
	else if (start && date_parse(start, &d) < 0)
		problem = "start_date must be a real date, like 2026-03-27.", field = "start_date";
	else if (cid && !policy_child(req->store, &req->user, "child.update", cid))
		problem = "child_id does not match any record you can change.", field = "child_id";
	else if (pid && !(id_valid(pid) && store_query_int(req->store, "SELECT COUNT(*) FROM persons WHERE id = $1", pid) > 0))
		problem = "person_id does not match any record.", field = "person_id";
	if (problem) {
		http_problem(req, 422, "Invalid member", problem, field);
		json_decref(in);
		return;
	}
	char today[DATE_ISO_LEN];
	date_format(date_today(), today);
	const char *c = cid ? arena_strdup(&req->arena, cid) : NULL, *p = pid ? arena_strdup(&req->arena, pid) : NULL;
	const char *st = arena_strdup(&req->arena, start ? start : today);
	json_decref(in);
	if (command_begin_or_respond(req) < 0)
		return;
	int rc = add_member(req, id, c, p, st);
	struct chronology_event ev = {.child_id = child, .event_type = "household_change",
	                              .summary = "A member joined the household", .source_type = "household",
	                              .source_id = id};
	if (rc == STORE_OK)
		rc = chronology_append(req->store, &ev, req->user.id, NULL);
	if (rc != STORE_OK) {
		web_store_failure(req, rc);
		return;
	}
	if (command_audit_or_respond(req, "update", "household", id, child) < 0 || command_commit_or_respond(req) < 0)
		return;
	http_json(req, 201, household_view(req, id, child));
}

const struct route households_routes[] = {
	{HTTP_POST, "/api/v1/households", h_create, "child.update"},
	{HTTP_GET, "/api/v1/households/:id", h_get, "child.read"},
	{HTTP_POST, "/api/v1/households/:id/members", h_add_member, "child.update"},
	{0},
};
