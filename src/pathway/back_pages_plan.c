/* The HTML pages of a child protection plan: the plan page (core group, outcomes, actions, putting it into force,
 * the meeting after it ends), a core group meeting, a visit, and ending the plan without a review. */
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/enums.h"
#include "pathway/back_pages.h"

static const struct field ppm_fields[] = {
	{"held_at", FIELD_MOMENT, FIELD_REQUIRED, "date and time of the meeting"},
	{"notes", FIELD_LONG, FIELD_REQUIRED, "what the meeting agreed", 10000},
	{NULL},
};
static const struct entity ppm_form = {"meeting", "cp_plans", "cpp", ppm_fields, false, NULL};
static const struct field notes_fields[] = {{"notes_circulated_at", FIELD_MOMENT, 0, "date the notes were sent"},
                                            {NULL}};
static const struct entity notes_form = {"notes", "core_group_meetings", "cgm", notes_fields, false, NULL};
static const struct field end_fields[] = {
	{"reason", FIELD_ENUM, FIELD_REQUIRED, "reason the plan ends", .enum_name = "discontinuation_reason"},
	{"ended_on", FIELD_DATE, 0, "date the plan ends", .hint = "Leave empty for today"},
	{"consultation_record", FIELD_LONG, FIELD_REQUIRED, "consultation with the agencies at the conference that "
	                                                    "started the plan", 10000},
	{"receiving_la_conference_on", FIELD_DATE, 0, "date of the new authority's transfer-in conference",
	 .hint = "Only when the child has moved to another authority"},
	{"receiving_la_confirmed_at", FIELD_DATE, 0, "date the new authority confirmed responsibility in writing",
	 .hint = "Only when the child has moved to another authority"},
	{NULL},
};
static const struct entity end_form = {"ending", "cp_plans", "cpp", end_fields, false, NULL};

/* The child's documents, newest first, as select options (the evidence of an agency's acceptance, R-76). */
static json_t *document_options(struct http_request *req, const char *child_id)
{
	json_t *opts = json_array();
	struct store_stmt *s = store_prepare(req->store, "SELECT id, title FROM documents WHERE child_id = $1 ORDER BY "
	                                                 "created_at DESC, id LIMIT 200");
	if (!s)
		return opts;
	store_bind_text(s, 1, child_id);
	while (store_step(s) == STORE_ROW)
		json_array_append_new(opts, json_pack("{s:s, s:s}", "code", store_col_text(s, 0), "label", store_col_text(s, 1)));
	store_reset(s);
	return opts;
}

static json_t *load_view(struct http_request *req, const char *plan_id)
{
	struct back_out tmp;
	back_out_init(&tmp);
	json_t *v = plan_view(req, plan_id, &tmp);
	if (!v)
		back_page_answered(req, &tmp);
	back_out_free(&tmp);
	return v;
}

static void render_plan(struct http_request *req, const char *plan_id, int status, const char *posted, json_t *errs,
                        struct back_out *o)
{
	json_t *v = load_view(req, plan_id);
	if (!v)
		return;
	const char *child = json_string_value(json_object_get(v, "child_id"));
	if (status == 200)
		command_audit_read(req, "cp_plan", plan_id, child);
	json_t *map = back_pages_error_map(errs), *fld = json_object();
	json_t *kids = json_pack("[{s:s}]", "child_id", child);
	json_t *outcomes = json_array();
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(v, "outcomes"), i, r)
		json_array_append_new(outcomes, json_pack("{s:O, s:O}", "code", json_object_get(r, "id"), "label",
		                                          json_object_get(r, "description")));
	json_t *users = back_pages_users(req, NULL), *agencies = back_pages_agencies(req);
	json_t *opts = json_pack("{s:o, s:O, s:o, s:O, s:O, s:O, s:o}", "lead_sw_user_id",
	                         back_pages_users(req, back_pages_sw_roles), "user_id", users, "person_id",
	                         back_pages_persons(req, kids), "agency_id", agencies, "owner_user_id", users,
	                         "owner_agency_id", agencies, "outcome_id", outcomes);
	back_pages_fields(req, fld, &back_plan, "upd_", posted, v, opts, map);
	back_pages_fields(req, fld, &back_plan_member, "mem_", posted, NULL, opts, map);
	back_pages_fields(req, fld, &back_outcome, "out_", posted, NULL, opts, map);
	back_pages_fields(req, fld, &back_action, "act_", posted, NULL, opts, map);
	back_pages_fields(req, fld, &ppm_form, "ppm_", posted, NULL, NULL, map);
	json_object_set_new(opts, "document_id", document_options(req, child));
	back_pages_fields(req, fld, &back_acceptance, "acc_", posted, NULL, opts, map);
	json_decref(opts);
	json_decref(users);
	json_decref(agencies);
	json_decref(kids);
	json_array_foreach(json_object_get(v, "actions"), i, r) {
		char prefix[48];
		snprintf(prefix, sizeof prefix, "ac%zu_", i);
		json_object_set_new(r, "fld", back_pages_row_fields(req, &back_action, prefix, posted, r, NULL, map));
		json_object_set_new(r, "p", json_string(prefix));
	}
	json_array_foreach(json_object_get(v, "core_groups"), i, r) {
		char prefix[48];
		snprintf(prefix, sizeof prefix, "nc%zu_", i);
		json_object_set_new(r, "fld", back_pages_row_fields(req, &notes_form, prefix, posted, NULL, NULL, map));
		json_object_set_new(r, "p", json_string(prefix));
		json_object_set_new(r, "needs_notes", json_boolean(json_is_true(json_object_get(r, "held")) &&
		                                                   !json_string_value(json_object_get(r, "notes_circulated_at"))));
	}
	json_t *members = json_object_get(v, "members");
	json_array_foreach(members, i, r) json_object_set_new(r, "active", json_boolean(!json_string_value(json_object_get(r, "end_date"))));
	json_t *ctx = json_pack("{s:o, s:o, s:o}", "plan", v, "fld", fld, "error_map", map);
	json_object_set_new(ctx, "back_href", json_sprintf("/children/%s/protection", child));
	back_pages_render(req, status, "pathway_back/plan", "Child protection plan", ctx, errs, o);
}

static void h_plan(struct http_request *req)
{
	render_plan(req, http_param(req, 0), 200, NULL, NULL, NULL);
}

/* One form on the plan page. row_table names the table whose plan_id leads back to the plan. */
static void hub(struct http_request *req, const struct entity *e, const char *row_table,
                void (*fn)(struct http_request *, const char *, json_t *, struct back_out *), const char *done)
{
	const char *id = http_param(req, 0), *prefix = back_pages_prefix(req);
	json_t *in = e ? back_form_fields(req, e, prefix) : json_object();
	const char *plan_id = id;
	if (row_table) {
		char sql[160];
		snprintf(sql, sizeof sql, "SELECT plan_id FROM %s WHERE id = $1", row_table);
		plan_id = back_lookup(req, sql, id);
	}
	struct back_out o;
	back_out_init(&o);
	if (!plan_id)
		back_fail(&o, 404, NULL, "There is no such record");
	else
		fn(req, id, in, &o);
	json_decref(in);
	if (o.status == BACK_OK) {
		back_pages_done(req, arena_printf(&req->arena, "/plans/%s", plan_id), done);
	} else if (!back_page_answered(req, &o)) {
		json_t *errs = back_pages_errors(req, o.errors, prefix);
		render_plan(req, plan_id, o.status, prefix, errs, &o);
		json_decref(errs);
	}
	back_out_free(&o);
}

static void p_update(struct http_request *req)
{
	hub(req, &back_plan, NULL, plan_update, "saved");
}
static void p_member(struct http_request *req)
{
	hub(req, &back_plan_member, NULL, plan_add_member, "saved");
}
static void p_member_end(struct http_request *req)
{
	hub(req, NULL, "plan_members", plan_end_member, "saved");
}
static void p_outcome(struct http_request *req)
{
	hub(req, &back_outcome, NULL, plan_add_outcome, "saved");
}
static void p_action(struct http_request *req)
{
	hub(req, &back_action, NULL, plan_add_action, "saved");
}
static void p_action_update(struct http_request *req)
{
	hub(req, &back_action, "plan_actions", plan_update_action, "saved");
}
static void p_acceptance(struct http_request *req)
{
	hub(req, &back_acceptance, NULL, plan_add_acceptance, "saved");
}
static void p_activate(struct http_request *req)
{
	hub(req, NULL, NULL, plan_activate, "activated");
}
static void p_post_plan(struct http_request *req)
{
	hub(req, &ppm_form, NULL, review_post_plan_meeting, "saved");
}
static void p_notes(struct http_request *req)
{
	hub(req, &notes_form, "core_group_meetings", core_group_notes_circulated, "saved");
}

/* ---- a form on a page of its own: a core group meeting, a visit, ending the plan ---- */

static void render_form(struct http_request *req, const char *plan_id, const char *page, const char *title,
                        const struct entity *e, json_t *defaults, const char *action, int status, json_t *errs)
{
	json_t *v = load_view(req, plan_id);
	if (!v)
		return;
	json_t *map = back_pages_error_map(errs), *fld = json_object();
	back_pages_fields(req, fld, e, "", req->method == HTTP_POST ? "" : NULL, defaults, NULL, map);
	json_t *ctx = json_pack("{s:o, s:o, s:o, s:s}", "plan", v, "fld", fld, "error_map", map, "action", action);
	json_object_set_new(ctx, "back_href", json_sprintf("/plans/%s", plan_id));
	back_pages_render(req, status, page, title, ctx, errs, NULL);
}

static void own_page(struct http_request *req, const char *plan_id, const struct entity *e, const char *page,
                     const char *title, const char *action, const char *done, json_t *defaults,
                     void (*fn)(struct http_request *, const char *, json_t *, struct back_out *), const char *target)
{
	json_t *in = back_form_fields(req, e, "");
	struct back_out o;
	back_out_init(&o);
	fn(req, target, in, &o);
	json_decref(in);
	if (o.status == BACK_OK) {
		back_pages_done(req, arena_printf(&req->arena, "/plans/%s", plan_id), done);
	} else if (!back_page_answered(req, &o)) {
		json_t *errs = back_pages_errors(req, o.errors, "");
		render_form(req, plan_id, page, title, e, defaults, action, o.status, errs);
		json_decref(errs);
	}
	back_out_free(&o);
}

static void h_core_group_new(struct http_request *req)
{
	const char *plan = http_param(req, 0);
	render_form(req, plan, "pathway_back/core_group", "Core group meeting", &back_core_group, NULL,
	            arena_printf(&req->arena, "/plans/%s/core-groups", plan), 200, NULL);
}
static void p_core_group_new(struct http_request *req)
{
	const char *plan = http_param(req, 0);
	own_page(req, plan, &back_core_group, "pathway_back/core_group", "Core group meeting",
	         arena_printf(&req->arena, "/plans/%s/core-groups", plan), "core_group", NULL, core_group_record, plan);
}
static void h_core_group_edit(struct http_request *req)
{
	json_t *m = record_get(req->store, &back_core_group, http_param(req, 0));
	if (!m) {
		web_not_found(req);
		return;
	}
	const char *plan = arena_strdup(&req->arena, json_string_value(json_object_get(m, "plan_id")));
	render_form(req, plan, "pathway_back/core_group", "Core group meeting", &back_core_group, m,
	            arena_printf(&req->arena, "/core-groups/%s", http_param(req, 0)), 200, NULL);
	json_decref(m);
}
static void p_core_group_edit(struct http_request *req)
{
	json_t *m = record_get(req->store, &back_core_group, http_param(req, 0));
	if (!m) {
		web_not_found(req);
		return;
	}
	const char *plan = arena_strdup(&req->arena, json_string_value(json_object_get(m, "plan_id")));
	own_page(req, plan, &back_core_group, "pathway_back/core_group", "Core group meeting",
	         arena_printf(&req->arena, "/core-groups/%s", http_param(req, 0)), "core_group", m, core_group_update,
	         http_param(req, 0));
	json_decref(m);
}
static void h_visit_new(struct http_request *req)
{
	const char *plan = http_param(req, 0);
	render_form(req, plan, "pathway_back/visit", "Record a visit", &back_visit, NULL,
	            arena_printf(&req->arena, "/plans/%s/visits", plan), 200, NULL);
}
static void p_visit_new(struct http_request *req)
{
	const char *plan = http_param(req, 0);
	own_page(req, plan, &back_visit, "pathway_back/visit", "Record a visit",
	         arena_printf(&req->arena, "/plans/%s/visits", plan), "visit", NULL, visit_record, plan);
}
static void h_end(struct http_request *req)
{
	const char *plan = http_param(req, 0);
	render_form(req, plan, "pathway_back/discontinue", "End the plan without a review conference", &end_form, NULL,
	            arena_printf(&req->arena, "/plans/%s/discontinue", plan), 200, NULL);
}
static void p_end(struct http_request *req)
{
	const char *plan = http_param(req, 0);
	own_page(req, plan, &end_form, "pathway_back/discontinue", "End the plan without a review conference",
	         arena_printf(&req->arena, "/plans/%s/discontinue", plan), "ended", NULL, review_discontinue, plan);
}

const struct route back_pages_plan_routes[] = {
	{HTTP_GET, "/plans/:id", h_plan, "child.read"},
	{HTTP_POST, "/plans/:id/update", p_update, "plan.manage"},
	{HTTP_POST, "/plans/:id/members", p_member, "plan.manage"},
	{HTTP_POST, "/plan-members/:id/end", p_member_end, "plan.manage"},
	{HTTP_POST, "/plans/:id/outcomes", p_outcome, "plan.manage"},
	{HTTP_POST, "/plans/:id/actions", p_action, "plan.manage"},
	{HTTP_POST, "/plan-actions/:id/update", p_action_update, "plan.manage"},
	{HTTP_POST, "/plans/:id/activate", p_activate, "plan.manage"},
	{HTTP_POST, "/plans/:id/acceptances", p_acceptance, "plan.manage"},
	{HTTP_POST, "/plans/:id/post-plan-meeting", p_post_plan, "plan.manage"},
	{HTTP_POST, "/core-groups/:id/notes-circulated", p_notes, "core_group.record"},
	{HTTP_GET, "/plans/:id/core-groups/new", h_core_group_new, "core_group.record"},
	{HTTP_POST, "/plans/:id/core-groups", p_core_group_new, "core_group.record"},
	{HTTP_GET, "/core-groups/:id/edit", h_core_group_edit, "core_group.record"},
	{HTTP_POST, "/core-groups/:id", p_core_group_edit, "core_group.record"},
	{HTTP_GET, "/plans/:id/visits/new", h_visit_new, "visit.record"},
	{HTTP_POST, "/plans/:id/visits", p_visit_new, "visit.record"},
	{HTTP_GET, "/plans/:id/discontinue", h_end, "plan.discontinue"},
	{HTTP_POST, "/plans/:id/discontinue", p_end, "plan.discontinue"},
	{0},
};
