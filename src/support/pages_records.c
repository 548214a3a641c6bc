/* The decision-support pages for factors, neglect assessments (with the chart), capacity-to-change reviews and
 * written agreements. Each form posts to a command in commands*.c and is shown again with its errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/command.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/enums.h"
#include "support/commands.h"
#include "support/data.h"
#include "support/support_entities.h"
#include "support/handlers.h"
#include "support/neglect.h"
#include "support/pages_util.h"

#define MAX_MARKS 128

static json_t *persons_of(struct http_request *req, const char *child_id, const char *chosen)
{
	json_t *out = json_array();
	struct store_stmt *s = store_prepare(
		req->store, "SELECT p.id, p.forenames, p.surname, r.relationship_type FROM relationships r "
		            "JOIN persons p ON p.id = r.person_id WHERE r.child_id = $1 ORDER BY p.surname, p.forenames");
	if (!s)
		return out;
	store_bind_text(s, 1, child_id);
	while (store_step(s) == STORE_ROW) {
		const char *rel = enums_label("relationship_type", store_col_text(s, 3));
		json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "id", store_col_text(s, 0), "label",
		                                     arena_printf(&req->arena, "%s %s (%s)", store_col_text(s, 1),
		                                                  store_col_text(s, 2), rel ? rel : store_col_text(s, 3)),
		                                     "selected", chosen && strcmp(chosen, store_col_text(s, 0)) == 0));
	}
	return out;
}

static const char *overview_path(struct http_request *req)
{
	return arena_printf(&req->arena, "/children/%s/support", http_param(req, 0));
}

/* ---- vulnerability factors ---- */

static void render_factor_form(struct http_request *req, int status, json_t *errors)
{
	const char *child_id = http_param(req, 0);
	json_t *ctx = support_pages_context(req, child_id);
	support_pages_add_errors(ctx, errors);
	const char *chosen = support_pages_form(req, "factor_id");
	json_t *groups = enums_list("support_factor_group");
	size_t i, j;
	json_t *g, *f;
	json_array_foreach(groups, i, g) {
		json_t *items = json_array();
		json_array_foreach(support_catalogue_list(support_pages_catalogue(req), "vulnerability_factors", "factors"), j,
		                   f) {
			if (strcmp(support_str(f, "group"), json_string_value(json_object_get(g, "code"))))
				continue;
			json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:b}", "id", support_str(f, "id"), "title",
			                                       support_str(f, "title"), "citation", support_str(f, "citation"),
			                                       "selected", strcmp(chosen, support_str(f, "id")) == 0));
		}
		json_object_set_new(g, "factors", items);
	}
	json_object_set_new(ctx, "groups", groups);
	json_t *about = http_form(req, "about") ? json_string(http_form(req, "about")) : json_null();
	json_object_set_new(ctx, "abouts", support_pages_options("support_factor_about", about));
	json_decref(about);
	json_object_set_new(ctx, "persons", persons_of(req, child_id, http_form(req, "person_id")));
	json_object_set_new(ctx, "noted_on", support_pages_date_field(req, "noted_on", "When was it noted?", NULL,
	                                                              NULL, json_object_get(ctx, "error_map")));
	json_object_set_new(ctx, "form", json_pack("{s:s}", "evidence", support_pages_form(req, "evidence")));
	json_object_set_new(ctx, "principles", json_deep_copy(support_catalogue_list(
		support_pages_catalogue(req), "vulnerability_factors", "principles")));
	web_page(req, status, "support/factor_new", "Record a vulnerability factor", ctx);
}

void support_pages_factor_new(struct http_request *req)
{
	if (support_handlers_child(req, "support.record"))
		render_factor_form(req, 200, NULL);
}

void support_pages_factor_create(struct http_request *req)
{
	if (!support_handlers_child(req, "support.record"))
		return;
	json_t *in = record_from_form(&support_entities_factor, req), *errors = json_array();
	char id[ID_MAX];
	int rc = support_commands_factor(req, http_param(req, 0), in, errors, id);
	support_pages_settle(req, rc, in, errors, render_factor_form, overview_path(req));
}

static void render_factor_end(struct http_request *req, int status, json_t *errors)
{
	const char *child_id = http_param(req, 0);
	json_t *row = support_data_child_row(req->store, &support_entities_factor, http_param(req, 1), child_id);
	if (!row) {
		json_decref(errors);
		web_not_found(req);
		return;
	}
	json_t *ctx = support_pages_context(req, child_id);
	support_pages_add_errors(ctx, errors);
	json_t *e = support_catalogue_get(support_pages_catalogue(req), support_str(row, "factor_id"));
	json_object_set_new(ctx, "factor", json_pack("{s:s, s:s, s:s}", "title", e ? support_str(e, "title") : "",
	                                             "noted_long", support_pages_date(req, support_str(row, "noted_on")),
	                                             "evidence", support_str(row, "evidence")));
	json_object_set_new(ctx, "ended_on", support_pages_date_field(req, "ended_on", "When did it stop applying?", NULL,
	                                                              NULL, json_object_get(ctx, "error_map")));
	json_object_set_new(ctx, "end_reason", json_string(support_pages_form(req, "end_reason")));
	json_object_set_new(ctx, "action", json_string(req->path));
	json_decref(row);
	web_page(req, status, "support/factor_end", "This factor no longer applies", ctx);
}

void support_pages_factor_end_form(struct http_request *req)
{
	if (support_handlers_child(req, "support.record"))
		render_factor_end(req, 200, NULL);
}

void support_pages_factor_end(struct http_request *req)
{
	if (!support_handlers_child(req, "support.record"))
		return;
	json_t *in = json_object(), *errors = json_array();
	const char *ended = support_pages_form_date(req, "ended_on"), *reason = http_form(req, "end_reason");
	if (ended)
		json_object_set_new(in, "ended_on", json_string(ended));
	if (reason && *reason)
		json_object_set_new(in, "end_reason", json_string(reason));
	int rc = support_commands_factor_end(req, http_param(req, 0), http_param(req, 1), in, errors);
	support_pages_settle(req, rc, in, errors, render_factor_end, overview_path(req));
}

/* ---- neglect ---- */

void support_pages_neglect(struct http_request *req)
{
	if (!support_handlers_child(req, "support.read"))
		return;
	const char *child_id = http_param(req, 0);
	const struct support_catalogue *cat = support_pages_catalogue(req);
	json_t *data = support_data_load(req->store, child_id);
	if (!data) {
		web_store_failure(req, STORE_ERR);
		return;
	}
	json_t *ctx = support_pages_context(req, child_id);
	json_t *a = json_object_get(data, "assessments");
	json_t *drift = support_neglect_drift(cat, a), *optimism = support_neglect_optimism(cat, a);
	json_t *list = support_neglect_sorted(a);
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		json_object_set_new(v, "date_long", json_string(support_pages_date(req, support_str(v, "assessed_on"))));
		json_object_set_new(v, "view_label",
		                    json_string(enums_label("support_overall_view", support_str(v, "overall_view"))));
		json_t *marks = json_array();
		size_t j;
		json_t *m;
		json_array_foreach(json_object_get(v, "marks"), j, m) {
			json_t *e = support_catalogue_get(cat, json_string_value(m));
			const char *text = support_str(e, "text") ? support_str(e, "text") : support_str(e, "name");
			json_array_append_new(marks, json_string(text ? text : json_string_value(m)));
		}
		json_object_set_new(v, "mark_texts", marks);
		if (!json_object_get(v, "assessor_name") || json_is_null(json_object_get(v, "assessor_name")))
			json_object_set_new(v, "assessor_name", json_string(""));
	}
	json_object_set_new(ctx, "assessments", list);
	json_object_set_new(ctx, "chart", support_neglect_chart(cat, a));
	json_object_set_new(ctx, "drift", drift ? json_incref(support_catalogue_get(cat, support_str(drift, "rule")))
	                                        : json_null());
	json_object_set_new(ctx, "optimism", optimism ? json_incref(support_catalogue_get(cat, support_str(optimism,
	                                                                                                  "rule")))
	                                              : json_null());
	json_decref(drift);
	json_decref(optimism);
	json_object_set_new(ctx, "pitfalls", json_deep_copy(support_catalogue_list(cat, "neglect", "pitfalls")));
	json_object_set_new(ctx, "harm_tests", json_deep_copy(support_catalogue_list(cat, "neglect", "harm_tests")));
	json_decref(data);
	command_audit_read(req, "support_neglect_assessment", NULL, child_id);
	web_page(req, 200, "support/neglect", "The care this child receives over time", ctx);
}

static json_t *marks_chosen(struct http_request *req)
{
	const char *vals[MAX_MARKS];
	int n = http_form_all(req, "marks", vals, MAX_MARKS);
	json_t *out = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(out, json_string(vals[i]));
	return out;
}

static json_t *signs_with_checks(const json_t *signs, const json_t *chosen)
{
	json_t *out = json_array();
	size_t i;
	json_t *s;
	json_array_foreach(signs, i, s) json_array_append_new(
		out, json_pack("{s:s, s:s, s:b}", "id", support_str(s, "id"), "text", support_str(s, "text"), "checked",
		               support_has(chosen, support_str(s, "id"))));
	return out;
}

static void render_neglect_form(struct http_request *req, int status, json_t *errors)
{
	const char *child_id = http_param(req, 0);
	const struct support_catalogue *cat = support_pages_catalogue(req);
	json_t *ctx = support_pages_context(req, child_id);
	support_pages_add_errors(ctx, errors);
	json_t *emap = json_object_get(ctx, "error_map"), *chosen = marks_chosen(req);
	json_t *scale = support_catalogue_list(cat, "neglect", "rating_scale");
	json_t *domains = json_array();
	size_t i, j;
	json_t *d, *r;
	json_array_foreach(support_catalogue_list(cat, "neglect", "care_domains"), i, d) {
		const char *id = support_str(d, "id");
		char key[96];
		snprintf(key, sizeof key, "rating-%s", id);
		const char *picked = support_pages_form(req, key);
		json_t *points = json_array();
		json_array_foreach(scale, j, r) {
			char value[8];
			snprintf(value, sizeof value, "%lld", support_int(r, "value", 0));
			json_array_append_new(points, json_pack("{s:s, s:s, s:b}", "value", value, "label", support_str(r, "label"),
			                                        "checked", strcmp(picked, value) == 0));
		}
		char field[96], ev[96];
		snprintf(field, sizeof field, "ratings.%s", id);
		snprintf(ev, sizeof ev, "evidence-%s", id);
		json_t *err = json_object_get(emap, field);
		struct buf areas;
		buf_init(&areas, 4096);
		json_t *a;
		json_array_foreach(json_object_get(d, "areas"), j, a) buf_addf(&areas, "%s%s", j ? ", " : "",
		                                                               json_string_value(a));
		json_array_append_new(domains, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:O?, s:s}", "id", id, "field",
		                                         field, "name", support_str(d, "name"), "hint", support_str(d, "hint"),
		                                         "areas", buf_str(&areas), "key", key, "points", points, "error", err,
		                                         "evidence", support_pages_form(req, ev)));
		buf_free(&areas);
	}
	json_object_set_new(ctx, "domains", domains);
	json_t *cats = json_array();
	json_array_foreach(support_catalogue_list(cat, "neglect", "categories"), i, d) json_array_append_new(
		cats, json_pack("{s:s, s:s, s:s, s:o}", "name", support_str(d, "name"), "summary", support_str(d, "summary"),
		                "citation", support_str(d, "citation"), "signs",
		                signs_with_checks(json_object_get(d, "signs"), chosen)));
	json_object_set_new(ctx, "categories", cats);
	json_t *adol = json_array_get(support_catalogue_list(cat, "neglect", "adolescent"), 0);
	char today[DATE_ISO_LEN];
	date_format(date_today(), today);
	int age = support_data_child_age(req->store, child_id, today);
	if (adol && (age < 0 || age >= support_int(adol, "from_age", 0)))
		json_object_set_new(ctx, "adolescent",
		                    json_pack("{s:s, s:s, s:s, s:o}", "title", support_str(adol, "title"), "summary",
		                              support_str(adol, "summary"), "citation", support_str(adol, "citation"), "signs",
		                              signs_with_checks(json_object_get(adol, "signs"), chosen)));
	else
		json_object_set_new(ctx, "adolescent", json_null());
	json_object_set_new(ctx, "harm_tests",
	                    signs_with_checks(support_catalogue_list(cat, "neglect", "harm_tests"), chosen));
	json_t *view = http_form(req, "overall_view") ? json_string(http_form(req, "overall_view")) : json_null();
	json_object_set_new(ctx, "views", support_pages_options("support_overall_view", view));
	json_decref(view);
	json_decref(chosen);
	json_object_set_new(ctx, "assessed_on", support_pages_date_field(req, "assessed_on", "Date of the assessment",
	                                                                 NULL, req->method == HTTP_GET ? today : NULL,
	                                                                 emap));
	json_object_set_new(ctx, "summary", json_string(support_pages_form(req, "summary")));
	web_page(req, status, "support/neglect_new", "Assess the care the child receives", ctx);
}

void support_pages_neglect_new(struct http_request *req)
{
	if (support_handlers_child(req, "support.record"))
		render_neglect_form(req, 200, NULL);
}

void support_pages_neglect_create(struct http_request *req)
{
	if (!support_handlers_child(req, "support.record"))
		return;
	const struct support_catalogue *cat = support_pages_catalogue(req);
	json_t *in = record_from_form(&support_entities_assessment, req);
	json_t *ratings = json_object(), *evidence = json_object();
	size_t i;
	json_t *d;
	json_array_foreach(support_catalogue_list(cat, "neglect", "care_domains"), i, d) {
		char key[96];
		snprintf(key, sizeof key, "rating-%s", support_str(d, "id"));
		const char *v = http_form(req, key);
		char *end;
		long n = v && *v ? strtol(v, &end, 10) : 0;
		if (v && *v)
			json_object_set_new(ratings, support_str(d, "id"), *end ? json_string(v) : json_integer(n));
		snprintf(key, sizeof key, "evidence-%s", support_str(d, "id"));
		v = http_form(req, key);
		if (v && *v)
			json_object_set_new(evidence, support_str(d, "id"), json_string(v));
	}
	json_object_set_new(in, "ratings", ratings);
	json_object_set_new(in, "evidence", evidence);
	json_object_set_new(in, "marks", marks_chosen(req));
	json_t *errors = json_array();
	char id[ID_MAX];
	int rc = support_commands_assessment(req, http_param(req, 0), in, errors, id);
	support_pages_settle(req, rc, in, errors, render_neglect_form,
	                     arena_printf(&req->arena, "/children/%s/support/neglect", http_param(req, 0)));
}

/* ---- capacity to change and written agreements ---- */

static void render_capacity_form(struct http_request *req, int status, json_t *errors)
{
	const char *child_id = http_param(req, 0);
	const struct support_catalogue *cat = support_pages_catalogue(req);
	json_t *ctx = support_pages_context(req, child_id);
	support_pages_add_errors(ctx, errors);
	json_t *emap = json_object_get(ctx, "error_map");
	json_t *factors = json_array();
	size_t i;
	json_t *f;
	json_array_foreach(support_catalogue_list(cat, "capacity_to_change", "factors"), i, f) {
		const char *id = support_str(f, "id");
		char key[64], ev[64], field[64];
		snprintf(key, sizeof key, "answer-%s", id);
		snprintf(ev, sizeof ev, "evidence-%s", id);
		snprintf(field, sizeof field, "answers.%s", id);
		json_t *picked = http_form(req, key) ? json_string(http_form(req, key)) : json_null();
		json_array_append_new(
			factors, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:O?, s:s}", "id", id, "key", key,
			                   "evidence_key", ev, "field", field, "text", support_str(f, "text"), "direction",
			                   enums_label("support_ctc_direction", support_str(f, "direction")), "hint",
			                   support_str(f, "evidence_hint") ? support_str(f, "evidence_hint") : "", "answers",
			                   support_pages_options("support_ctc_answer", picked), "evidence",
			                   support_pages_form(req, ev), "error", json_object_get(emap, field), "citation",
			                   support_str(f, "citation")));
		json_decref(picked);
	}
	json_object_set_new(ctx, "factors", factors);
	json_object_set_new(ctx, "principles",
	                    json_deep_copy(support_catalogue_list(cat, "capacity_to_change", "principles")));
	json_object_set_new(ctx, "persons", persons_of(req, child_id, http_form(req, "person_id")));
	char today[DATE_ISO_LEN];
	date_format(date_today(), today);
	json_object_set_new(ctx, "reviewed_on", support_pages_date_field(req, "reviewed_on", "Date of the review", NULL,
	                                                                 req->method == HTTP_GET ? today : NULL, emap));
	json_object_set_new(ctx, "due_on",
	                    support_pages_date_field(req, "agreement.due_on", "By when must it change?", NULL, NULL, emap));
	json_object_set_new(ctx, "form",
	                    json_pack("{s:s, s:s, s:s, s:s, s:O?, s:O?, s:O?}", "summary", support_pages_form(req, "summary"),
	                              "what", support_pages_form(req, "agreement.what_must_change"), "consequence",
	                              support_pages_form(req, "agreement.consequence"), "agreed_with",
	                              support_pages_form(req, "agreement.agreed_with"), "what_error",
	                              json_object_get(emap, "agreement.what_must_change"), "consequence_error",
	                              json_object_get(emap, "agreement.consequence"), "agreed_error",
	                              json_object_get(emap, "agreement.agreed_with")));
	web_page(req, status, "support/capacity_new", "Capacity to change", ctx);
}

void support_pages_capacity_new(struct http_request *req)
{
	if (support_handlers_child(req, "support.record"))
		render_capacity_form(req, 200, NULL);
}

void support_pages_capacity_create(struct http_request *req)
{
	if (!support_handlers_child(req, "support.record"))
		return;
	const struct support_catalogue *cat = support_pages_catalogue(req);
	json_t *in = record_from_form(&support_entities_review, req), *answers = json_object();
	size_t i;
	json_t *f;
	json_array_foreach(support_catalogue_list(cat, "capacity_to_change", "factors"), i, f) {
		char key[64];
		snprintf(key, sizeof key, "answer-%s", support_str(f, "id"));
		const char *a = http_form(req, key);
		snprintf(key, sizeof key, "evidence-%s", support_str(f, "id"));
		const char *e = http_form(req, key);
		if (a && *a)
			json_object_set_new(answers, support_str(f, "id"),
			                    json_pack("{s:s, s:s?}", "answer", a, "evidence", e && *e ? e : NULL));
	}
	json_object_set_new(in, "answers", answers);
	static const char *const keys[] = {"what_must_change", "consequence", "agreed_with"};
	json_t *agreement = json_object();
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		char name[64];
		snprintf(name, sizeof name, "agreement.%s", keys[k]);
		const char *v = http_form(req, name);
		if (v && *v)
			json_object_set_new(agreement, keys[k], json_string(v));
	}
	const char *due = support_pages_form_date(req, "agreement.due_on");
	if (due)
		json_object_set_new(agreement, "due_on", json_string(due));
	if (json_object_size(agreement))
		json_object_set(in, "agreement", agreement);
	json_decref(agreement);
	json_t *errors = json_array();
	char id[ID_MAX], agr[ID_MAX];
	int rc = support_commands_review(req, http_param(req, 0), in, errors, id, agr);
	support_pages_settle(req, rc, in, errors, render_capacity_form, overview_path(req));
}

static void render_outcome(struct http_request *req, int status, json_t *errors)
{
	const char *child_id = http_param(req, 0);
	json_t *row = support_data_child_row(req->store, &support_entities_agreement, http_param(req, 1), child_id);
	if (!row) {
		json_decref(errors);
		web_not_found(req);
		return;
	}
	json_t *ctx = support_pages_context(req, child_id);
	support_pages_add_errors(ctx, errors);
	json_object_set_new(row, "due_long", json_string(support_pages_date(req, support_str(row, "due_on"))));
	json_object_set_new(ctx, "agreement", row);
	json_t *picked = http_form(req, "outcome") ? json_string(http_form(req, "outcome")) : json_null();
	json_object_set_new(ctx, "outcomes", support_pages_options("support_agreement_outcome", picked));
	json_decref(picked);
	json_object_set_new(ctx, "outcome_on", support_pages_date_field(req, "outcome_on", "Date of the outcome", NULL,
	                                                                NULL, json_object_get(ctx, "error_map")));
	json_object_set_new(ctx, "note", json_string(support_pages_form(req, "outcome_note")));
	json_object_set_new(ctx, "action", json_string(req->path));
	web_page(req, status, "support/outcome", "Record the agreement's outcome", ctx);
}

void support_pages_outcome_form(struct http_request *req)
{
	if (support_handlers_child(req, "support.record"))
		render_outcome(req, 200, NULL);
}

void support_pages_outcome(struct http_request *req)
{
	if (!support_handlers_child(req, "support.record"))
		return;
	json_t *in = record_from_form(&support_entities_agreement, req), *errors = json_array();
	/* Only the outcome fields belong to this form. */
	static const char *const drop[] = {"review_id", "what_must_change", "due_on", "consequence", "agreed_with"};
	for (size_t k = 0; k < sizeof drop / sizeof drop[0]; k++)
		json_object_del(in, drop[k]);
	int rc = support_commands_agreement_outcome(req, http_param(req, 0), http_param(req, 1), in, errors);
	support_pages_settle(req, rc, in, errors, render_outcome, overview_path(req));
}
