/* The conference page (everything that prepares and follows a conference, one form each) and the chair's decision
 * page. Forms post to the page's own addresses; each calls the command the JSON API calls. */
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/enums.h"
#include "pathway/back_pages.h"
#include "policy/policy.h"

static const struct field amend_fields[] = {{"received_at", FIELD_MOMENT, 0, "date the amendments arrived"}, {NULL}};
static const struct entity amend_form = {"amendments", "conferences", "conf", amend_fields, false, NULL};
static const struct field discuss_fields[] = {{"discussed_at", FIELD_MOMENT, 0, "date gone through with the parents"},
                                              {NULL}};
static const struct entity discuss_form = {"discussion", "conferences", "conf", discuss_fields, false, NULL};

static json_t *conference_warnings(struct http_request *req, const char *conf_id)
{
	json_t *out = json_array();
	struct store_stmt *s = store_prepare(
		req->store, "SELECT DISTINCT severity, rule_ref, citation, message FROM pathway_warnings WHERE subject_id = $1");
	if (!s)
		return out;
	store_bind_text(s, 1, conf_id);
	while (store_step(s) == STORE_ROW)
		json_array_append_new(out, json_pack("{s:b, s:s, s:s, s:s}", "alert", strcmp(store_col_text(s, 0), "alert") == 0,
		                                     "rule", store_col_text(s, 1), "citation", store_col_text(s, 2), "message",
		                                     store_col_text(s, 3)));
	return out;
}

/* Each row of a list gets its own small form, prefixed so that ids and errors stay unique. */
static void row_forms(struct http_request *req, json_t *rows, const char *stem, const struct entity *e,
                      const char *posted, json_t *map)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		char prefix[48];
		snprintf(prefix, sizeof prefix, "%s%zu_", stem, i);
		json_object_set_new(r, "fld", back_pages_row_fields(req, e, prefix, posted, r, NULL, map));
		json_object_set_new(r, "p", json_string(prefix));
	}
}

static void render_conference(struct http_request *req, const char *conf_id, int status, const char *posted,
                              json_t *errs, struct back_out *o)
{
	struct back_out tmp;
	back_out_init(&tmp);
	json_t *c = conference_view(req, conf_id, &tmp);
	if (!c) {
		back_page_answered(req, &tmp);
		back_out_free(&tmp);
		return;
	}
	back_out_free(&tmp);
	if (status == 200) {
		size_t i;
		json_t *k;
		json_array_foreach(json_object_get(c, "children"), i, k)
			command_audit_read(req, "conference", conf_id, json_string_value(json_object_get(k, "child_id")));
	}
	json_t *map = back_pages_error_map(errs);
	json_t *ctx = json_pack("{s:O, s:o}", "c", c, "error_map", map);
	json_t *fld = json_object(), *kids = json_object_get(c, "children");
	json_t *persons = back_pages_persons(req, kids), *agencies = back_pages_agencies(req);
	json_t *opts = json_pack("{s:o, s:O, s:O, s:o}", "user_id", back_pages_users(req, NULL), "person_id", persons,
	                         "agency_id", agencies, "chair_user_id", back_pages_users(req, back_pages_chair_roles));
	back_pages_fields(req, fld, &back_conference, "rs_", posted, c, opts, map);
	back_pages_fields(req, fld, &back_invitation, "inv_", posted, NULL, opts, map);
	back_pages_fields(req, fld, &back_report, "rpt_", posted, NULL, opts, map);
	back_pages_fields(req, fld, &back_exclusion, "exr_", posted, NULL, opts, map);
	back_pages_fields(req, fld, &back_note, "note_", posted, NULL, NULL, map);
	back_pages_fields(req, fld, &amend_form, "am_", posted, NULL, NULL, map);
	back_pages_fields(req, fld, &discuss_form, "dp_", posted, NULL, NULL, map);
	json_decref(opts);
	json_decref(persons);
	json_decref(agencies);
	json_object_set_new(ctx, "fld", fld);
	row_forms(req, kids, "pc", &back_conference_child, posted, map);
	row_forms(req, json_object_get(c, "invitations"), "a", &back_invitation, posted, map);
	row_forms(req, json_object_get(c, "exclusions"), "x", &back_exclusion_decision, posted, map);
	json_t *views = json_object_get(c, "views");
	row_forms(req, views, "vl", &back_view, posted, map);
	size_t i;
	json_t *r;
	json_array_foreach(views, i, r) {
		char prefix[32];
		snprintf(prefix, sizeof prefix, "vm%zu_", i);
		json_object_set_new(r, "fldm", back_pages_row_fields(req, &back_view, prefix, posted, r, NULL, map));
		json_object_set_new(r, "pm", json_string(prefix));
	}
	/* Checkboxes for the grounds of an exclusion, keeping what was ticked. */
	const char *ticked[16];
	int n = posted && strcmp(posted, "exr_") == 0 ? http_form_all(req, "exr_grounds", ticked, 16) : 0;
	json_t *grounds = enums_list("exclusion_ground");
	json_array_foreach(grounds, i, r) {
		bool on = false;
		for (int j = 0; j < n; j++)
			on = on || strcmp(ticked[j], json_string_value(json_object_get(r, "code"))) == 0;
		json_object_set_new(r, "checked", json_boolean(on));
	}
	json_object_set_new(ctx, "grounds", grounds);
	const char *first = json_string_value(json_object_get(json_array_get(kids, 0), "child_id"));
	bool is_chair = json_is_true(json_object_get(c, "is_chair"));
	json_object_set_new(ctx, "can_schedule",
	                    json_boolean(first && policy_child(req->store, &req->user, "conference.schedule", first)));
	json_object_set_new(ctx, "can_contribute",
	                    json_boolean(first && policy_child(req->store, &req->user, "conference.contribute", first)));
	json_object_set_new(ctx, "can_review_dissent",
	                    json_boolean(!is_chair && policy_allows_action(&req->user, "conference.dissent_review")));
	json_object_set_new(ctx, "warnings", conference_warnings(req, conf_id));
	json_object_set_new(ctx, "back_href", first ? json_sprintf("/children/%s/protection", first) : json_null());
	json_decref(c);
	back_pages_render(req, status, "pathway_back/conference", "Child protection conference", ctx, errs, o);
}

static void h_page(struct http_request *req)
{
	render_conference(req, http_param(req, 0), 200, NULL, NULL, NULL);
}

/* One form on the conference page: convert, run the command, then go back to the page or draw it again. */
static void hub(struct http_request *req, const struct entity *e, const char *row_table,
                void (*fn)(struct http_request *, const char *, json_t *, struct back_out *), const char *done)
{
	const char *id = http_param(req, 0);
	const char *prefix = back_pages_prefix(req);
	json_t *in = e ? back_form_fields(req, e, prefix) : json_object();
	const char *child = http_form(req, "child_id");
	if (child && *child)
		json_object_set_new(in, "child_id", json_string(child));
	if (strcmp(prefix, "exr_") == 0) {
		const char *g[16];
		int n = http_form_all(req, "exr_grounds", g, 16);
		json_t *arr = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(arr, json_string(g[i]));
		json_object_set_new(in, "grounds", arr);
	}
	const char *conf_id = id;
	if (row_table) {
		char sql[160];
		snprintf(sql, sizeof sql, "SELECT conference_id FROM %s WHERE id = $1", row_table);
		conf_id = back_lookup(req, sql, id);
	}
	struct back_out o;
	back_out_init(&o);
	if (!conf_id)
		back_fail(&o, 404, NULL, "There is no such record");
	else
		fn(req, id, in, &o);
	json_decref(in);
	if (o.status == BACK_OK) {
		back_pages_done(req, arena_printf(&req->arena, "/conferences/%s", conf_id), done);
	} else if (!back_page_answered(req, &o)) {
		json_t *errs = back_pages_errors(req, o.errors, prefix);
		render_conference(req, conf_id, o.status, prefix, errs, &o);
		json_decref(errs);
	}
	back_out_free(&o);
}

static void p_reschedule(struct http_request *req)
{
	hub(req, &back_conference, NULL, conference_reschedule, "saved");
}
static void p_invite(struct http_request *req)
{
	hub(req, &back_invitation, NULL, conference_invite, "saved");
}
static void p_attendance(struct http_request *req)
{
	hub(req, &back_invitation, "conference_invitations", conference_attendance, "saved");
}
static void p_participation(struct http_request *req)
{
	hub(req, &back_conference_child, NULL, conference_participation, "saved");
}
static void p_report(struct http_request *req)
{
	hub(req, &back_report, NULL, conference_report, "saved");
}
static void p_report_shared(struct http_request *req)
{
	hub(req, NULL, "conference_reports", conference_report_shared, "saved");
}
static void p_exclusion(struct http_request *req)
{
	hub(req, &back_exclusion, NULL, conference_exclusion_request, "saved");
}
static void p_exclusion_decide(struct http_request *req)
{
	hub(req, &back_exclusion_decision, "conference_exclusions", conference_exclusion_decide, "saved");
}
static void p_note(struct http_request *req)
{
	hub(req, &back_note, NULL, conference_note, "saved");
}
static void p_letter(struct http_request *req)
{
	hub(req, NULL, NULL, documents_decision_letter, "letter");
}
static void p_record(struct http_request *req)
{
	hub(req, NULL, NULL, documents_record, "record");
}
static void amendments(struct http_request *req, const char *id, json_t *in, struct back_out *o)
{
	documents_record_milestone(req, id, "amendments", in, o);
}
static void discussed(struct http_request *req, const char *id, json_t *in, struct back_out *o)
{
	documents_record_milestone(req, id, "discussed", in, o);
}
static void p_amendments(struct http_request *req)
{
	hub(req, &amend_form, NULL, amendments, "saved");
}
static void p_discussed(struct http_request *req)
{
	hub(req, &discuss_form, NULL, discussed, "saved");
}
static void p_dissent_lead(struct http_request *req)
{
	hub(req, &back_view, "conference_views", decision_dissent_lead, "saved");
}
static void p_dissent_manager(struct http_request *req)
{
	hub(req, &back_view, "conference_views", decision_dissent_manager, "saved");
}

/* ---- the chair's decision page ---- */

static void render_decision(struct http_request *req, const char *conf_id, int status, json_t *errs,
                            struct back_out *o)
{
	struct back_out tmp;
	back_out_init(&tmp);
	json_t *c = conference_load(req, conf_id, "conference.decide", true, &tmp);
	json_decref(c);
	c = c ? conference_view(req, conf_id, &tmp) : NULL;
	if (!c) {
		back_page_answered(req, &tmp);
		back_out_free(&tmp);
		return;
	}
	back_out_free(&tmp);
	bool posted = req->method == HTTP_POST;
	json_t *map = back_pages_error_map(errs);
	json_t *fld = json_object();
	back_pages_fields(req, fld, &back_conference_held, "", posted ? "" : NULL, NULL, NULL, map);
	json_t *opts = json_pack("{s:o}", "lead_sw_user_id", back_pages_users(req, back_pages_sw_roles));
	/* The people who may be named to the core group, and the professionals whose views are recorded. */
	json_t *people = json_array(), *professionals = json_array();
	size_t i, j;
	json_t *k, *inv;
	json_array_foreach(json_object_get(c, "invitations"), j, inv) {
		const char *role = json_string_value(json_object_get(inv, "attendee_role"));
		if (strcmp(role, "CHAIR") && strcmp(role, "MINUTE_TAKER") && strcmp(role, "CONF_ADMINISTRATOR") &&
		    strcmp(role, "PROFESSIONAL_OBSERVER") && strcmp(role, "INTERPRETER"))
			json_array_append(people, inv);
		if (json_string_value(json_object_get(inv, "agency_id")) && strcmp(role, "CHAIR") != 0)
			json_array_append(professionals, inv);
	}
	json_array_foreach(json_object_get(c, "children"), i, k) {
		char prefix[32], key[64];
		snprintf(prefix, sizeof prefix, "c%zu_", i);
		json_object_set_new(k, "fld", back_pages_row_fields(req, &back_conference_child, prefix, posted ? prefix : NULL,
		                                                    NULL, opts, map));
		json_object_set_new(k, "p", json_string(prefix));
		snprintf(key, sizeof key, "%score_group", prefix);
		json_object_set(k, "core_group_error", json_object_get(map, key) ? json_object_get(map, key) : json_null());
		const char *cg[64];
		snprintf(key, sizeof key, "%scg", prefix);
		int n = posted ? http_form_all(req, key, cg, 64) : 0;
		json_t *choices = json_array();
		json_array_foreach(people, j, inv) {
			const char *id = json_string_value(json_object_get(inv, "id"));
			bool on = false;
			for (int m = 0; m < n; m++)
				on = on || strcmp(cg[m], id) == 0;
			json_array_append_new(choices, json_pack("{s:s, s:s, s:s, s:s, s:b}", "id", id, "name",
			                                         json_string_value(json_object_get(inv, "name")), "role",
			                                         json_string_value(json_object_get(inv, "attendee_role_label")),
			                                         "field", key, "checked", on));
		}
		json_object_set_new(k, "core_group_choices", choices);
		json_t *vs = json_array();
		json_array_foreach(professionals, j, inv) {
			snprintf(key, sizeof key, "%sview%zu", prefix, j);
			const char *cur = posted ? http_form(req, key) : NULL;
			json_array_append_new(vs, json_pack("{s:s, s:s, s:s, s:o}", "name",
			                                    json_string_value(json_object_get(inv, "name")), "agency",
			                                    json_string_value(json_object_get(inv, "agency_name")), "field", key,
			                                    "options", back_pages_options("agency_view", NULL, cur)));
		}
		json_object_set_new(k, "view_choices", vs);
	}
	json_decref(opts);
	json_decref(people);
	json_decref(professionals);
	json_t *ctx = json_pack("{s:o, s:o, s:o}", "c", c, "fld", fld, "error_map", map);
	json_object_set_new(ctx, "review", json_boolean(json_integer_value(json_object_get(c, "kind")) == CONF_KIND_REVIEW));
	json_object_set_new(ctx, "back_href", json_sprintf("/conferences/%s", conf_id));
	back_pages_render(req, status, "pathway_back/decision", "Record the conference's decision", ctx, errs, o);
}

static void h_decision(struct http_request *req)
{
	render_decision(req, http_param(req, 0), 200, NULL, NULL);
}

/* The decision form as the JSON the command takes: the conference's part, then each child's, with the core group
 * chosen from the invitations and each professional's view. */
static json_t *decision_input(struct http_request *req, const char *conf_id)
{
	json_t *in = back_form_fields(req, &back_conference_held, "");
	json_t *kids = conference_children(req, conf_id), *children = json_array(), *views = json_array();
	json_t *invs = record_list(req->store, &back_invitation, "conference_id", conf_id, "created_at", 1000);
	size_t i, j;
	json_t *k, *inv;
	json_array_foreach(kids, i, k) {
		char prefix[32], key[64];
		snprintf(prefix, sizeof prefix, "c%zu_", i);
		json_t *d = back_form_fields(req, &back_conference_child, prefix);
		json_object_set(d, "child_id", json_object_get(k, "child_id"));
		const char *cg[64];
		snprintf(key, sizeof key, "%scg", prefix);
		int n = http_form_all(req, key, cg, 64);
		json_t *members = json_array();
		size_t pro = 0;
		json_array_foreach(invs, j, inv) {
			const char *id = json_string_value(json_object_get(inv, "id"));
			for (int m = 0; m < n; m++) {
				if (strcmp(cg[m], id) != 0)
					continue;
				json_t *mem = json_pack("{s:O, s:O}", "name", json_object_get(inv, "name"), "member_role",
				                        json_object_get(inv, "attendee_role"));
				static const char *const keys[] = {"user_id", "person_id", "agency_id"};
				for (size_t q = 0; q < 3; q++)
					if (json_string_value(json_object_get(inv, keys[q])))
						json_object_set(mem, keys[q], json_object_get(inv, keys[q]));
				json_array_append_new(members, mem);
			}
			const char *role = json_string_value(json_object_get(inv, "attendee_role"));
			if (!json_string_value(json_object_get(inv, "agency_id")) || strcmp(role, "CHAIR") == 0)
				continue;
			snprintf(key, sizeof key, "%sview%zu", prefix, pro++);
			const char *v = http_form(req, key);
			if (v && *v)
				json_array_append_new(views, json_pack("{s:O, s:O, s:O, s:s}", "child_id",
				                                       json_object_get(k, "child_id"), "agency_id",
				                                       json_object_get(inv, "agency_id"), "professional_name",
				                                       json_object_get(inv, "name"), "view", v));
		}
		json_object_set_new(d, "core_group", members);
		json_array_append_new(children, d);
	}
	json_decref(kids);
	json_decref(invs);
	json_object_set_new(in, "children", children);
	json_object_set_new(in, "views", views);
	return in;
}

static void p_decision(struct http_request *req)
{
	const char *conf_id = http_param(req, 0);
	json_t *in = decision_input(req, conf_id);
	struct back_out o;
	back_out_init(&o);
	decision_record(req, conf_id, in, &o);
	json_decref(in);
	if (o.status == BACK_OK) {
		back_pages_done(req, arena_printf(&req->arena, "/conferences/%s", conf_id), "decided");
	} else if (!back_page_answered(req, &o)) {
		json_t *errs = back_pages_errors(req, o.errors, "");
		render_decision(req, conf_id, o.status, errs, &o);
		json_decref(errs);
	}
	back_out_free(&o);
}

const struct route back_pages_conf_routes[] = {
	{HTTP_GET, "/conferences/:id", h_page, "child.read"},
	{HTTP_POST, "/conferences/:id/reschedule", p_reschedule, "conference.schedule"},
	{HTTP_POST, "/conferences/:id/invitations", p_invite, "conference.schedule"},
	{HTTP_POST, "/conference-invitations/:id/attendance", p_attendance, "conference.schedule"},
	{HTTP_POST, "/conferences/:id/participation", p_participation, "conference.schedule"},
	{HTTP_POST, "/conferences/:id/reports", p_report, "conference.contribute"},
	{HTTP_POST, "/conference-reports/:id/shared", p_report_shared, "conference.contribute"},
	{HTTP_POST, "/conferences/:id/exclusions", p_exclusion, "conference.contribute"},
	{HTTP_POST, "/conference-exclusions/:id/decision", p_exclusion_decide, "conference.decide"},
	{HTTP_POST, "/conferences/:id/notes", p_note, "conference.decide"},
	{HTTP_POST, "/conferences/:id/decision-letter", p_letter, "conference.decide"},
	{HTTP_POST, "/conferences/:id/record", p_record, "conference.decide"},
	{HTTP_POST, "/conferences/:id/record/amendments", p_amendments, "conference.schedule"},
	{HTTP_POST, "/conferences/:id/record/discussed", p_discussed, "conference.schedule"},
	{HTTP_POST, "/conference-views/:id/designated-lead", p_dissent_lead, "conference.contribute"},
	{HTTP_POST, "/conference-views/:id/manager-decision", p_dissent_manager, "conference.dissent_review"},
	{HTTP_GET, "/conferences/:id/decision", h_decision, "conference.decide"},
	{HTTP_POST, "/conferences/:id/decision", p_decision, "conference.decide"},
	{0},
};
