/* Writing the plan (ST-18, 5.3): the lead social worker, frequencies and contingency; core group members; outcomes;
 * actions with their owners and dates, and their progress (4.18, 5.3.13). */
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "domain/enums.h"
#include "pathway/back.h"

/* Loads the plan for plan.manage and opens the transaction; NULL (o filled) when it cannot be changed. */
static json_t *open_plan(struct http_request *req, const char *plan_id, struct back_out *o)
{
	json_t *p = plan_load(req, plan_id, "plan.manage", o);
	if (!p)
		return NULL;
	if (strcmp(back_str(p, "status"), "ENDED") == 0) {
		back_fail(o, 409, NULL, "The plan has ended and can no longer change");
		json_decref(p);
		return NULL;
	}
	if (back_begin(req, o) < 0) {
		json_decref(p);
		return NULL;
	}
	return p;
}

static void done(struct http_request *req, struct back_out *o, json_t *p, const char *object_type,
                 const char *object_id, const struct entity *e)
{
	if (o->status == BACK_OK &&
	    back_audit(req, o, "update", object_type, object_id, back_str(p, "child_id")) == 0)
		back_commit(req, o, "cp_plan", back_str(p, "id"));
	if (o->status != BACK_OK) {
		store_rollback(req->store);
	} else {
		snprintf(o->id, ID_MAX, "%s", object_id);
		o->result = e ? record_get(req->store, e, object_id) : plan_view_after(req, back_str(p, "id"));
	}
	json_decref(p);
}

static void check_frequency(struct http_request *req, struct back_out *o, json_t *in, const char *key,
                            const char *start, const char *stop, const char *rule, const char *message)
{
	json_t *v = json_object_get(in, key);
	int weeks = back_rule_weeks(req, start, stop);
	if (json_is_integer(v) && (json_integer_value(v) < 1 || (weeks > 0 && json_integer_value(v) > weeks)))
		back_refuse(o, 422, key, rule, "4.8.2; 5.2.5", "%s", message);
}

void plan_update(struct http_request *req, const char *plan_id, json_t *in, struct back_out *o)
{
	json_t *p = open_plan(req, plan_id, o);
	if (!p)
		return;
	back_validate(req, o, &back_plan, in, true);
	check_frequency(req, o, in, "visit_frequency_weeks", "icpc_held", "visit_made", "R-74",
	                "The social worker visits at least every 4 weeks (the plan may only make it more often)");
	check_frequency(req, o, in, "core_group_frequency_weeks", "core_group_held", "core_group_held", "R-71",
	                "Core groups meet at least every 6 weeks");
	const char *lead = back_str(in, "lead_sw_user_id");
	if (o->status == BACK_OK && lead) {
		const char *role = back_user_role(req, lead);
		if (!role || (strcmp(role, "social_worker") != 0 && strcmp(role, "team_manager") != 0))
			back_refuse(o, 422, "lead_sw_user_id", "R-62", "5.1.1; 5.4.2",
			            "The lead social worker must be a qualified local authority social worker");
	}
	if (json_object_get(in, "contingency_plan") && !back_str(in, "contingency_plan"))
		back_refuse(o, 422, "contingency_plan", "R-62", "4.9.8", "The contingency plan cannot be emptied");
	if (o->status == BACK_OK) {
		int rc = record_update(req->store, &back_plan, plan_id, in, req->user.id);
		if (rc != STORE_OK && rc != STORE_DONE)
			back_store_fail(o, rc);
	}
	const char *old_lead = back_str(p, "lead_sw_user_id");
	if (o->status == BACK_OK && lead && (!old_lead || strcmp(old_lead, lead) != 0)) {
		json_t *m = json_pack("{s:s, s:s, s:s}", "user_id", lead, "name", back_user_name(req, lead), "member_role",
		                      "CSC_SW");
		plan_member_insert(req, o, plan_id, back_str(p, "case_id"), back_str(p, "child_id"), m);
		json_decref(m);
	}
	done(req, o, p, "cp_plan", plan_id, NULL);
}

void plan_add_member(struct http_request *req, const char *plan_id, json_t *in, struct back_out *o)
{
	json_t *p = open_plan(req, plan_id, o);
	if (!p)
		return;
	const char *user = back_str(in, "user_id");
	if (!back_str(in, "name") && user && id_valid(user))
		json_object_set_new(in, "name", json_string(back_user_name(req, user)));
	back_validate(req, o, &back_plan_member, in, false);
	if (o->status == BACK_OK && user && !back_user_role(req, user))
		back_fail(o, 422, "user_id", "That user cannot sign in");
	if (o->status == BACK_OK)
		plan_member_insert(req, o, plan_id, back_str(p, "case_id"), back_str(p, "child_id"), in);
	if (o->status == BACK_OK)
		back_chronology(req, o, back_str(p, "child_id"), back_str(p, "case_id"), NULL, "core_group", "routine",
		                arena_printf(&req->arena, "%s joined the core group", back_str(in, "name")), "cp_plan",
		                plan_id);
	done(req, o, p, "cp_plan", plan_id, NULL);
}

void plan_end_member(struct http_request *req, const char *member_id, json_t *in, struct back_out *o)
{
	const char *plan_id = back_lookup(req, "SELECT plan_id FROM plan_members WHERE id = $1", member_id);
	if (!plan_id) {
		back_fail(o, 404, NULL, "There is no such core group member");
		return;
	}
	json_t *p = open_plan(req, plan_id, o);
	if (!p)
		return;
	char day[DATE_ISO_LEN];
	date_format(date_today(), day);
	int rc = back_exec(req, "UPDATE case_members SET end_date = $1 WHERE end_date IS NULL AND id = "
	                        "(SELECT case_member_id FROM plan_members WHERE id = $2)",
	                   2, day, member_id);
	if (rc == STORE_OK)
		rc = back_exec(req, "UPDATE plan_members SET end_date = $1 WHERE id = $2 AND end_date IS NULL", 2, day,
		               member_id);
	if (rc != STORE_OK)
		back_store_fail(o, rc);
	done(req, o, p, "cp_plan", plan_id, NULL);
}

void plan_add_outcome(struct http_request *req, const char *plan_id, json_t *in, struct back_out *o)
{
	json_t *p = open_plan(req, plan_id, o);
	if (!p)
		return;
	back_validate(req, o, &back_outcome, in, false);
	char id[ID_MAX] = "";
	struct http_kv extra[] = {{"plan_id", plan_id}};
	if (o->status == BACK_OK) {
		int rc = record_insert(req->store, &back_outcome, in, extra, 1, req->user.id, id);
		if (rc != STORE_OK)
			back_store_fail(o, rc);
	}
	done(req, o, p, "plan_outcome", id, &back_outcome);
}

void plan_add_action(struct http_request *req, const char *plan_id, json_t *in, struct back_out *o)
{
	json_t *p = open_plan(req, plan_id, o);
	if (!p)
		return;
	back_validate(req, o, &back_action, in, false);
	const char *outcome = back_str(in, "outcome_id");
	if (o->status == BACK_OK && outcome) {
		const char *owner_plan = back_lookup(req, "SELECT plan_id FROM plan_outcomes WHERE id = $1", outcome);
		if (!owner_plan || strcmp(owner_plan, plan_id) != 0)
			back_fail(o, 422, "outcome_id", "The outcome is not part of this plan");
	}
	int32_t due;
	if (o->status == BACK_OK && date_parse(back_str(in, "due_date"), &due) == 0 && due < date_today())
		back_warn(o, back_str(p, "child_id"), back_str(p, "case_id"), "warning", "R-80", "5.3.13",
		          "The action is already overdue");
	char id[ID_MAX] = "";
	struct http_kv extra[] = {{"plan_id", plan_id}};
	if (o->status == BACK_OK) {
		if (!back_str(in, "status"))
			json_object_set_new(in, "status", json_string("OPEN"));
		int rc = record_insert(req->store, &back_action, in, extra, 1, req->user.id, id);
		if (rc != STORE_OK)
			back_store_fail(o, rc);
	}
	done(req, o, p, "plan_action", id, &back_action);
}

void plan_update_action(struct http_request *req, const char *action_id, json_t *in, struct back_out *o)
{
	const char *plan_id = back_lookup(req, "SELECT plan_id FROM plan_actions WHERE id = $1", action_id);
	if (!plan_id) {
		back_fail(o, 404, NULL, "There is no such action");
		return;
	}
	json_t *p = open_plan(req, plan_id, o);
	if (!p)
		return;
	back_validate(req, o, &back_action, in, true);
	const char *status = back_str(in, "status");
	if (o->status == BACK_OK && status && strcmp(status, "DONE") == 0 && !back_str(in, "completed_at")) {
		char today[DATE_ISO_LEN];
		date_format(date_today(), today);
		json_object_set_new(in, "completed_at", json_string(today));
	}
	/* A commitment an agency cannot keep is renegotiated with a new date, not left overdue (5.3.13). */
	if (o->status == BACK_OK && status && strcmp(status, "RENEGOTIATED") == 0 && !back_str(in, "due_date"))
		back_refuse(o, 422, "due_date", "R-80", "5.3.13", "A renegotiated action needs its new date");
	if (o->status == BACK_OK) {
		int rc = record_update(req->store, &back_action, action_id, in, req->user.id);
		if (rc != STORE_OK && rc != STORE_DONE)
			back_store_fail(o, rc);
	}
	done(req, o, p, "plan_action", action_id, &back_action);
}

/* ---- the API ---- */

static void h_update(struct http_request *req)
{
	back_api_run(req, plan_update, 200);
}
static void h_member(struct http_request *req)
{
	back_api_run(req, plan_add_member, 201);
}
static void h_member_end(struct http_request *req)
{
	back_api_run(req, plan_end_member, 200);
}
static void h_outcome(struct http_request *req)
{
	back_api_run(req, plan_add_outcome, 201);
}
static void h_action(struct http_request *req)
{
	back_api_run(req, plan_add_action, 201);
}
static void h_action_update(struct http_request *req)
{
	back_api_run(req, plan_update_action, 200);
}

const struct route plan_edit_routes[] = {
	{HTTP_PATCH, "/api/v1/plans/:id", h_update, "plan.manage"},
	{HTTP_POST, "/api/v1/plans/:id/members", h_member, "plan.manage"},
	{HTTP_POST, "/api/v1/plan-members/:id/end", h_member_end, "plan.manage"},
	{HTTP_POST, "/api/v1/plans/:id/outcomes", h_outcome, "plan.manage"},
	{HTTP_POST, "/api/v1/plans/:id/actions", h_action, "plan.manage"},
	{HTTP_PATCH, "/api/v1/plan-actions/:id", h_action_update, "plan.manage"},
	{0},
};
