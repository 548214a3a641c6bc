/* The HTML pages of conferences: a child's protection page (conferences and plans, a move in on a plan, the birth),
 * arranging a conference, the conference page with every form that prepares and follows it, and the chair's
 * decision page. Each form calls the same command as the JSON API; a refused form is drawn again with the GOV.UK
 * error summary and everything typed. */
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/enums.h"
#include "pathway/back_pages.h"
#include "pathway/stage.h"
#include "policy/policy.h"

/* Forms that exist only on pages: their fields, for labels and conversion. Commands validate them. */
static const struct field transfer_fields[] = {
	{"originating_la", FIELD_TEXT, FIELD_REQUIRED, "authority the child moved from", 200},
	{"notified_at", FIELD_MOMENT, 0, "date and time of the notification"},
	{"category", FIELD_ENUM, 0, "category of the plan there", .enum_name = "cp_category"},
	{"lead_sw_user_id", FIELD_REF, 0, "social worker here", .ref_table = "users"},
	{NULL},
};
static const struct entity transfer_form = {"transfer-in", "cp_plans", "cpp", transfer_fields, false, NULL};
static const struct field birth_fields[] = {{"dob", FIELD_DATE, FIELD_REQUIRED, "date of birth"}, {NULL}};
static const struct entity birth_form = {"birth", "children", "chd", birth_fields, false, NULL};

const char *const back_pages_chair_roles[] = {"conference_chair", "service_manager", NULL};
const char *const back_pages_sw_roles[] = {"social_worker", "team_manager", NULL};

/* ---- a child's protection page ---- */

static void render_protection(struct http_request *req, const char *child_id, int status, const char *posted,
                              json_t *errs)
{
	json_t *ctx = back_pages_error_map(errs);
	json_t *map = ctx;
	ctx = json_object();
	json_object_set_new(ctx, "error_map", map);
	json_t *list = conference_list_for_child(req, child_id);
	json_object_update(ctx, list);
	json_decref(list);
	const char *name = back_lookup(req, "SELECT forenames || ' ' || surname FROM children WHERE id = $1", child_id);
	const char *unborn = back_lookup(req, "SELECT is_unborn FROM children WHERE id = $1", child_id);
	const char *case_id = back_open_case(req, child_id);
	json_object_set_new(ctx, "child", json_pack("{s:s, s:s, s:b}", "id", child_id, "name", name ? name : "",
	                                            "is_unborn", unborn && strcmp(unborn, "1") == 0));
	json_object_set_new(ctx, "case_id", case_id ? json_string(case_id) : json_null());
	json_object_set_new(ctx, "can_schedule",
	                    json_boolean(case_id && policy_child(req->store, &req->user, "conference.schedule", child_id)));
	json_object_set_new(ctx, "can_transfer",
	                    json_boolean(case_id && policy_child(req->store, &req->user, "plan.manage", child_id) &&
	                                 back_stage_offers(req, case_id, "transfer_in.notified", NULL)));
	json_object_set_new(ctx, "can_birth", json_boolean(unborn && strcmp(unborn, "1") == 0 &&
	                                                   policy_child(req->store, &req->user, "child.birth", child_id)));
	json_t *fld = json_object(), *opts = json_pack("{s:o}", "lead_sw_user_id", back_pages_users(req, back_pages_sw_roles));
	back_pages_fields(req, fld, &transfer_form, "ti_", posted, NULL, opts, map);
	back_pages_fields(req, fld, &birth_form, "bi_", posted, NULL, NULL, map);
	json_decref(opts);
	json_object_set_new(ctx, "fld", fld);
	json_object_set_new(ctx, "back_href", json_sprintf("/children/%s", child_id));
	back_pages_render(req, status, "pathway_back/protection", "Child protection", ctx, errs, NULL);
}

static void h_protection(struct http_request *req)
{
	const char *child = http_param(req, 0);
	if (!command_child_allowed(req, "child.read", child))
		return;
	command_audit_read(req, "conference", NULL, child);
	render_protection(req, child, 200, NULL, NULL);
}

static void h_transfer_in(struct http_request *req)
{
	const char *case_id = http_param(req, 0);
	const char *child = back_lookup(req, "SELECT child_id FROM cases WHERE id = $1", case_id);
	json_t *in = back_form_fields(req, &transfer_form, "ti_");
	struct back_out o;
	back_out_init(&o);
	plan_transfer_in(req, case_id, in, &o);
	json_decref(in);
	if (o.status == BACK_OK)
		back_pages_done(req, arena_printf(&req->arena, "/plans/%s", o.id), "transfer");
	else if (!back_page_answered(req, &o)) {
		json_t *errs = back_pages_errors(req, o.errors, "ti_");
		render_protection(req, child, o.status, "ti_", errs);
		json_decref(errs);
	}
	back_out_free(&o);
}

static void h_birth(struct http_request *req)
{
	const char *child = http_param(req, 0);
	json_t *in = back_form_fields(req, &birth_form, "bi_");
	struct back_out o;
	back_out_init(&o);
	review_birth(req, child, in, &o);
	json_decref(in);
	if (o.status == BACK_OK)
		back_pages_done(req, arena_printf(&req->arena, "/children/%s/protection", child), "birth");
	else if (!back_page_answered(req, &o)) {
		json_t *errs = back_pages_errors(req, o.errors, "bi_");
		render_protection(req, child, o.status, "bi_", errs);
		json_decref(errs);
	}
	back_out_free(&o);
}

/* ---- arranging a conference ---- */

/* The child and the brothers and sisters who share a parent with them and have an open case (4.1.5). */
static json_t *family_children(struct http_request *req, const char *child_id)
{
	json_t *out = json_array();
	struct store_stmt *s = store_prepare(
		req->store, "SELECT DISTINCT ch.id, ch.forenames || ' ' || ch.surname FROM children ch WHERE ch.id = $1 OR "
		            "ch.id IN (SELECT r2.child_id FROM relationships r1 JOIN relationships r2 ON r2.person_id = "
		            "r1.person_id WHERE r1.child_id = $1 AND r1.relationship_type IN ('mother', 'father', "
		            "'step_parent', 'parent_partner')) ORDER BY ch.dob");
	if (!s)
		return out;
	store_bind_text(s, 1, child_id);
	while (store_step(s) == STORE_ROW)
		json_array_append_new(out, json_pack("{s:s, s:s}", "id", store_col_text(s, 0), "name", store_col_text(s, 1)));
	size_t i;
	json_t *k;
	json_t *keep = json_array();
	json_array_foreach(out, i, k) {
		const char *id = json_string_value(json_object_get(k, "id"));
		if (back_open_case(req, id) && policy_child(req->store, &req->user, "conference.schedule", id))
			json_array_append(keep, k);
	}
	json_decref(out);
	return keep;
}

static void render_new(struct http_request *req, const char *child_id, int status, json_t *errs)
{
	bool posted = req->method == HTTP_POST;
	json_t *map = back_pages_error_map(errs);
	json_t *ctx = json_object(), *fld = json_object();
	const char *plan = plan_open_for_child(req, child_id);
	const char *prev = back_lookup(req, "SELECT c.id FROM conferences c JOIN conference_children cc ON "
	                                    "cc.conference_id = c.id WHERE cc.child_id = $1 ORDER BY c.scheduled_at DESC",
	                               child_id);
	json_t *defaults = json_pack("{s:s, s:s?}", "conf_type", plan ? "CONF_REVIEW" : "CONF_INITIAL",
	                             "previous_conference_id", prev);
	json_t *opts = json_pack("{s:o}", "chair_user_id", back_pages_users(req, back_pages_chair_roles));
	back_pages_fields(req, fld, &back_conference, "", posted ? "" : NULL, defaults, opts, map);
	json_decref(opts);
	json_decref(defaults);
	json_t *kids = family_children(req, child_id);
	const char *chosen[16];
	int n = posted ? http_form_all(req, "child_ids", chosen, 16) : 0;
	size_t i;
	json_t *k;
	json_array_foreach(kids, i, k) {
		const char *id = json_string_value(json_object_get(k, "id"));
		bool on = !posted && strcmp(id, child_id) == 0;
		for (int j = 0; j < n; j++)
			on = on || strcmp(chosen[j], id) == 0;
		json_object_set_new(k, "checked", json_boolean(on));
	}
	json_object_set_new(ctx, "kids", kids);
	json_object_set_new(ctx, "fld", fld);
	json_object_set_new(ctx, "child_id", json_string(child_id));
	json_object_set_new(ctx, "previous_conference_id", prev ? json_string(prev) : json_null());
	json_object_set_new(ctx, "error_map", map);
	json_object_set_new(ctx, "back_href", json_sprintf("/children/%s/protection", child_id));
	back_pages_render(req, status, "pathway_back/conference_new", "Arrange a child protection conference", ctx, errs,
	                  NULL);
}

static void h_new(struct http_request *req)
{
	const char *child = http_query(req, "child_id");
	if (!child) {
		web_not_found(req);
		return;
	}
	if (!command_child_allowed(req, "conference.schedule", child))
		return;
	render_new(req, child, 200, NULL);
}

static void h_create(struct http_request *req)
{
	json_t *in = back_form_fields(req, &back_conference, "");
	const char *ids[16];
	int n = http_form_all(req, "child_ids", ids, 16);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_string(ids[i]));
	json_object_set_new(in, "child_ids", arr);
	struct back_out o;
	back_out_init(&o);
	conference_schedule(req, in, &o);
	json_decref(in);
	const char *child = http_form(req, "child_id");
	if (o.status == BACK_OK) {
		back_pages_done(req, arena_printf(&req->arena, "/conferences/%s", o.id), "scheduled");
	} else if (!back_page_answered(req, &o)) {
		if (child && id_valid(child) && policy_child(req->store, &req->user, "child.read", child)) {
			json_t *errs = back_pages_errors(req, o.errors, "");
			render_new(req, child, o.status, errs);
			json_decref(errs);
		} else {
			web_not_found(req);
		}
	}
	back_out_free(&o);
}

const struct route back_pages_routes[] = {
	{HTTP_GET, "/children/:id/protection", h_protection, "child.read"},
	{HTTP_POST, "/cases/:id/transfer-in", h_transfer_in, "plan.manage"},
	{HTTP_POST, "/children/:id/birth", h_birth, "child.birth"},
	{HTTP_GET, "/conferences/new", h_new, "conference.schedule"},
	{HTTP_POST, "/conferences", h_create, "conference.schedule"},
	{0},
};
