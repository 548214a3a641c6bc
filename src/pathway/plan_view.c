/* Reading a plan: the plan with its core group, outcomes, actions, core group meetings, visits, running clocks and
 * the warnings recorded on the child, shared by the API and the pages. */
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "domain/enums.h"
#include "pathway/back.h"
#include "policy/policy.h"

static void label(json_t *row, const char *key, const char *list)
{
	const char *code = json_string_value(json_object_get(row, key));
	const char *l = code ? enums_label(list, code) : NULL;
	char k[64];
	snprintf(k, sizeof k, "%s_label", key);
	json_object_set_new(row, k, json_string(l ? l : code ? code : ""));
}

static void long_date(struct http_request *req, json_t *row, const char *key)
{
	char k[64];
	snprintf(k, sizeof k, "%s_long", key);
	json_object_set_new(row, k, json_string(back_long_date(req, json_string_value(json_object_get(row, key)))));
}

static json_t *running_clocks(struct http_request *req, const char *case_id)
{
	json_t *out = json_array();
	struct store_stmt *s = store_prepare(
		req->store, "SELECT id, rule_id, title, citation, due_at FROM clocks WHERE case_id = $1 AND state = 'running' "
		            "ORDER BY due_at");
	if (!s)
		return out;
	store_bind_text(s, 1, case_id);
	while (store_step(s) == STORE_ROW) {
		char due[MOMENT_ISO_LEN];
		moment_format(store_col_int(s, 4), due);
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id", store_col_text(s, 0),
		                                     "rule_id", store_col_text(s, 1), "title", store_col_text(s, 2),
		                                     "citation", store_col_text(s, 3), "due_at", due, "due_long",
		                                     back_long_date(req, due), "overdue",
		                                     store_col_int(s, 4) < moment_now()));
	}
	return out;
}

static json_t *warnings_for(struct http_request *req, const char *child_id)
{
	json_t *out = json_array();
	struct store_stmt *s = store_prepare(
		req->store, "SELECT severity, rule_ref, citation, message, raised_at FROM pathway_warnings WHERE child_id = $1 "
		            "ORDER BY raised_at DESC LIMIT 50");
	if (!s)
		return out;
	store_bind_text(s, 1, child_id);
	while (store_step(s) == STORE_ROW)
		json_array_append_new(out, json_pack("{s:s, s:b, s:s, s:s, s:s, s:s}", "severity", store_col_text(s, 0),
		                                     "alert", strcmp(store_col_text(s, 0), "alert") == 0, "rule",
		                                     store_col_text(s, 1), "citation", store_col_text(s, 2), "message",
		                                     store_col_text(s, 3), "raised_long",
		                                     back_long_date(req, store_col_text(s, 4))));
	return out;
}

json_t *plan_view(struct http_request *req, const char *plan_id, struct back_out *o)
{
	json_t *p = plan_load(req, plan_id, "child.read", o);
	if (!p)
		return NULL;
	const char *child = arena_strdup(&req->arena, back_str(p, "child_id"));
	const char *case_id = arena_strdup(&req->arena, back_str(p, "case_id"));
	label(p, "status", "cp_plan_status");
	label(p, "category", "cp_category");
	label(p, "end_reason", "discontinuation_reason");
	long_date(req, p, "start_date");
	long_date(req, p, "next_review_at");
	long_date(req, p, "end_date");
	long_date(req, p, "post_plan_meeting_at");
	json_object_set_new(p, "ended", json_boolean(strcmp(back_str(p, "status"), "ENDED") == 0));
	json_object_set_new(p, "draft", json_boolean(strcmp(back_str(p, "status"), "DRAFT") == 0));
	json_object_set_new(p, "lead_sw_name", json_string(back_user_name(req, back_str(p, "lead_sw_user_id"))));
	const char *name = back_lookup(req, "SELECT forenames || ' ' || surname FROM children WHERE id = $1", child);
	json_object_set_new(p, "child_name", json_string(name ? name : ""));
	const char *dob = back_lookup(req, "SELECT dob FROM children WHERE id = $1", child);
	int32_t d;
	if (dob && date_parse(dob, &d) == 0) {
		int y, m, dd;
		date_to_ymd(d, &y, &m, &dd);
		/* The plan ends at 18 at the latest (1.1.2, 4.10.6); 29 February birthdays fall on 28 February. */
		char eighteen[DATE_ISO_LEN];
		date_format(date_from_ymd(y + 18, m, date_valid_ymd(y + 18, m, dd) ? dd : 28), eighteen);
		json_object_set_new(p, "eighteenth_birthday", json_string(eighteen));
		long_date(req, p, "eighteenth_birthday");
	}
	json_t *members = record_list(req->store, &back_plan_member, "plan_id", plan_id, "created_at", 500);
	size_t i;
	json_t *r;
	json_array_foreach(members, i, r) label(r, "member_role", "conference_attendee_role");
	json_object_set_new(p, "members", members);
	json_object_set_new(p, "outcomes", record_list(req->store, &back_outcome, "plan_id", plan_id, "created_at", 500));
	json_t *actions = record_list(req->store, &back_action, "plan_id", plan_id, "due_date", 1000);
	char today[DATE_ISO_LEN];
	date_format(date_today(), today);
	json_array_foreach(actions, i, r) {
		label(r, "status", "plan_action_status");
		long_date(req, r, "due_date");
		json_object_set_new(r, "overdue", json_boolean(strcmp(back_str(r, "status"), "DONE") != 0 &&
		                                               strcmp(back_str(r, "due_date"), today) < 0));
	}
	json_object_set_new(p, "actions", actions);
	json_t *meetings = record_list(req->store, &back_core_group, "plan_id", plan_id, "created_at", 500);
	json_array_foreach(meetings, i, r) {
		label(r, "outcome", "core_group_outcome");
		long_date(req, r, "scheduled_at");
		long_date(req, r, "held_at");
		long_date(req, r, "notes_circulated_at");
		json_object_set_new(r, "held", json_boolean(back_str(r, "held_at") != NULL));
	}
	json_object_set_new(p, "core_groups", meetings);
	json_t *visits = record_list(req->store, &back_visit, "plan_id", plan_id, "visit_at DESC", 500);
	json_array_foreach(visits, i, r) {
		label(r, "outcome", "visit_outcome");
		label(r, "visit_type", "visit_type");
		long_date(req, r, "visit_at");
	}
	json_object_set_new(p, "visits", visits);
	json_t *acc = record_list(req->store, &back_acceptance, "plan_id", plan_id, "accepted_at", 500);
	json_array_foreach(acc, i, r) {
		label(r, "method", "acceptance_method");
		long_date(req, r, "accepted_at");
	}
	json_object_set_new(p, "acceptances", acc);
	json_object_set_new(p, "acceptance_gaps", plan_acceptance_gaps(req, plan_id));
	json_object_set_new(p, "clocks", running_clocks(req, case_id));
	json_object_set_new(p, "warnings", warnings_for(req, child));
	const char *conf = back_str(p, "conference_id");
	if (conf)
		json_object_set_new(p, "conference_type_label",
		                    json_string(enums_label("conference_type",
		                                            back_lookup(req, "SELECT conf_type FROM conferences WHERE id = $1",
		                                                        conf))));
	json_object_set_new(p, "can_manage", json_boolean(policy_child(req->store, &req->user, "plan.manage", child)));
	json_object_set_new(p, "can_visit", json_boolean(policy_child(req->store, &req->user, "visit.record", child)));
	json_object_set_new(p, "can_core_group",
	                    json_boolean(policy_child(req->store, &req->user, "core_group.record", child)));
	json_object_set_new(p, "can_discontinue",
	                    json_boolean(policy_child(req->store, &req->user, "plan.discontinue", child)));
	return p;
}

json_t *plan_view_after(struct http_request *req, const char *plan_id)
{
	struct back_out tmp;
	back_out_init(&tmp);
	json_t *v = plan_view(req, plan_id, &tmp);
	back_out_free(&tmp);
	return v ? v : json_pack("{s:s}", "id", plan_id);
}
