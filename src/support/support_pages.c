/* The decision-support pages: a child's overview, recording a concern and the response it calls for, and a
 * prompt's "why am I seeing this" page with its dismissal. The care-record pages are in pages_records.c and
 * pages_interventions.c. */
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/enums.h"
#include "policy/policy.h"
#include "support/support_alerts.h"
#include "support/commands.h"
#include "support/data.h"
#include "support/support_entities.h"
#include "support/handlers.h"
#include "support/pages_util.h"
#include "support/prompts.h"
#include "support/view.h"

#define MAX_FEATURES 64

static const char *level_words(const char *level)
{
	static const struct {
		const char *code, *words;
	} map[] = {
		{"immediate", "Immediate danger"}, {"special", "Its own steps"},      {"suspect", "Suspect"},
		{"refer_elsewhere", "Another guideline"}, {"consider", "Consider"}, {"recognise", "Awareness"},
	};
	for (size_t i = 0; level && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i].code, level) == 0)
			return map[i].words;
	return "Prompt";
}

static void decorate_prompt(struct http_request *req, const char *child_id, json_t *p)
{
	const char *level = support_str(p, "level");
	json_object_set_new(p, "href", json_string(arena_printf(&req->arena, "/children/%s/support/prompts/%s", child_id,
	                                                        support_str(p, "id"))));
	json_object_set_new(p, "level_label", json_string(level_words(level)));
	json_object_set_new(p, "level_class", json_string(support_pages_level_class(level)));
	json_object_set_new(p, "raised_long", json_string(support_pages_date(req, support_str(p, "raised_on"))));
	json_object_set_new(p, "is_active", json_boolean(strcmp(support_str(p, "status"), "active") == 0));
	json_t *d = json_object_get(p, "dismissal");
	if (d)
		json_object_set_new(d, "at_long", json_string(support_pages_date(req, support_str(d, "dismissed_at"))));
	else
		json_object_set_new(p, "dismissal", json_null());
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(p, "triggers"), i, t) {
		json_object_set_new(t, "date_long", json_string(support_pages_date(req, support_str(t, "date"))));
		if (!json_object_get(t, "source"))
			json_object_set_new(t, "source", json_string(""));
	}
}

static void decorate_concern(struct http_request *req, const char *child_id, json_t *c)
{
	const char *level = support_str(c, "level");
	json_object_set_new(c, "href", json_string(arena_printf(&req->arena, "/children/%s/support/concerns/%s", child_id,
	                                                        support_str(c, "id"))));
	json_object_set_new(c, "date_long", json_string(support_pages_date(req, support_str(c, "observed_on"))));
	json_object_set_new(c, "review_long", json_string(support_pages_date(req, support_str(c, "review_by"))));
	json_object_set_new(c, "level_label", json_string(level_words(level)));
	json_object_set_new(c, "level_class", json_string(support_pages_level_class(level)));
	if (!json_object_get(c, "recorder_name") || json_is_null(json_object_get(c, "recorder_name")))
		json_object_set_new(c, "recorder_name", json_string(""));
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(c, "feature_items"), i, f) json_object_set_new(
		f, "level_class", json_string(support_pages_level_class(support_str(f, "level"))));
}

/* ---- the overview ---- */

void support_pages_overview(struct http_request *req)
{
	if (!support_handlers_child(req, "support.read"))
		return;
	const char *child_id = http_param(req, 0);
	json_t *ctx = support_pages_context(req, child_id);
	json_t *o = ctx ? support_view_overview(req->store, support_pages_catalogue(req), child_id, date_today()) : NULL;
	if (!o) {
		json_decref(ctx);
		web_store_failure(req, STORE_ERR);
		return;
	}
	json_t *active = json_array(), *dismissed = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(o, "prompts"), i, v) {
		decorate_prompt(req, child_id, v);
		json_array_append(json_is_true(json_object_get(v, "is_active")) ? active : dismissed, v);
	}
	json_array_foreach(json_object_get(o, "concerns"), i, v) decorate_concern(req, child_id, v);
	json_array_foreach(json_object_get(o, "features"), i, v) {
		json_object_set_new(v, "level_class", json_string(support_pages_level_class(support_str(v, "level"))));
		json_object_set_new(v, "first_long", json_string(support_pages_date(req, support_str(v, "first"))));
		json_object_set_new(v, "last_long", json_string(support_pages_date(req, support_str(v, "last"))));
		struct buf s;
		buf_init(&s, 8192);
		size_t j;
		json_t *src;
		json_array_foreach(json_object_get(v, "sources"), j, src) buf_addf(&s, "%s%s", j ? ", " : "",
		                                                                  json_string_value(src));
		json_object_set_new(v, "sources_text", json_string(buf_str(&s)));
		buf_free(&s);
	}
	json_t *factors = json_object_get(o, "factors");
	json_array_foreach(json_object_get(factors, "current"), i, v) {
		json_object_set_new(v, "noted_long", json_string(support_pages_date(req, support_str(v, "noted_on"))));
		json_object_set_new(v, "end_href", json_string(arena_printf(&req->arena, "/children/%s/support/factors/%s/end",
		                                                            child_id, support_str(v, "id"))));
	}
	json_array_foreach(json_object_get(factors, "ended"), i, v) {
		json_object_set_new(v, "noted_long", json_string(support_pages_date(req, support_str(v, "noted_on"))));
		json_object_set_new(v, "ended_long", json_string(support_pages_date(req, support_str(v, "ended_on"))));
	}
	json_array_foreach(json_object_get(o, "agreements"), i, v) {
		json_t *clock = json_object_get(v, "clock");
		const char *state = support_str(clock, "state");
		json_object_set_new(v, "due_long", json_string(support_pages_date(req, support_str(v, "due_on"))));
		json_object_set_new(v, "outcome_href", json_string(arena_printf(
			&req->arena, "/children/%s/support/agreements/%s/outcome", child_id, support_str(v, "id"))));
		json_object_set_new(clock, "late", json_boolean(strcmp(state, "overdue") == 0));
		json_object_set_new(clock, "label",
		                    json_string(strcmp(state, "running") == 0   ? "Running"
		                                : strcmp(state, "overdue") == 0 ? "Overdue"
		                                : strcmp(state, "met") == 0     ? "Met"
		                                : strcmp(state, "met_late") == 0 ? "Met late"
		                                : strcmp(state, "partly_met") == 0 ? "Partly met"
		                                                                  : "Not met"));
	}
	json_array_foreach(json_object_get(o, "reviews"), i, v) json_object_set_new(
		v, "date_long", json_string(support_pages_date(req, support_str(v, "reviewed_on"))));
	json_array_foreach(json_object_get(o, "interventions"), i, v) {
		json_t *e = support_catalogue_get(support_pages_catalogue(req), support_str(v, "intervention_id"));
		json_object_set_new(v, "name", json_string(e ? support_str(e, "name") : support_str(v, "intervention_id")));
		json_object_set_new(v, "status_label",
		                    json_string(enums_label("support_intervention_status", support_str(v, "status"))));
		json_object_set_new(v, "offered_long", json_string(support_pages_date(req, support_str(v, "offered_on"))));
		const char *res = support_str(v, "result");
		json_object_set_new(v, "result_label",
		                    json_string(res ? enums_label("support_intervention_result", res) : ""));
		json_object_set_new(v, "href", json_string(arena_printf(&req->arena, "/children/%s/support/interventions/%s",
		                                                        child_id, support_str(v, "id"))));
	}
	json_object_set_new(ctx, "active", active);
	json_object_set_new(ctx, "dismissed", dismissed);
	json_object_set_new(ctx, "support", o);
	command_audit_read(req, "support", NULL, child_id);
	const char *title = arena_printf(&req->arena, "Decision support: %s",
	                                 support_str(json_object_get(ctx, "child"), "name"));
	web_page(req, 200, "support/overview", title, ctx);
}

/* ---- recording a concern ---- */

static json_t *feature_domains(struct http_request *req, int age, const json_t *chosen)
{
	const struct support_catalogue *cat = support_pages_catalogue(req);
	json_t *domains = enums_list("support_feature_domain");
	size_t i, j;
	json_t *d, *f;
	json_array_foreach(domains, i, d) {
		json_t *items = json_array();
		json_array_foreach(support_catalogue_list(cat, "alerting_features", "features"), j, f) {
			if (strcmp(support_str(f, "domain"), json_string_value(json_object_get(d, "code"))))
				continue;
			const char *id = support_str(f, "id"), *level = support_str(f, "level");
			bool refused = support_alerts_refuse(cat, id, age) != NULL;
			if (refused)
				continue;
			struct buf ex;
			buf_init(&ex, 8192);
			size_t k;
			json_t *e;
			json_array_foreach(json_object_get(f, "examples"), k, e) buf_addf(&ex, "%s%s", k ? "; " : "",
			                                                                  json_string_value(e));
			json_array_append_new(
				items, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id", id, "citation",
				                 support_str(f, "citation"), "title", support_str(f, "title"), "description",
				                 support_str(f, "description"), "caution",
				                 support_str(f, "caution") ? support_str(f, "caution") : "", "examples", buf_str(&ex),
				                 "level_label", level_words(level), "level_class", support_pages_level_class(level),
				                 "checked", support_has(chosen, id)));
			buf_free(&ex);
		}
		json_object_set_new(d, "features", items);
	}
	/* Awareness entries are shown, not ticked. */
	json_t *aware = json_array();
	json_array_foreach(support_catalogue_list(cat, "alerting_features", "features"), j, f) {
		if (!support_bool(f, "tickable", true))
			json_array_append_new(aware, json_pack("{s:s, s:s}", "citation", support_str(f, "citation"), "text",
			                                       support_str(f, "description")));
	}
	return json_pack("{s:o, s:o}", "domains", domains, "awareness", aware);
}

static void render_concern_form(struct http_request *req, const char *child_id, int status, json_t *errors)
{
	json_t *ctx = support_pages_context(req, child_id);
	support_pages_add_errors(ctx, errors);
	json_t *emap = json_object_get(ctx, "error_map");
	const char *vals[MAX_FEATURES];
	int n = http_form_all(req, "features", vals, MAX_FEATURES);
	json_t *chosen = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(chosen, json_string(vals[i]));
	char today[DATE_ISO_LEN];
	date_format(date_today(), today);
	int age = support_data_child_age(req->store, child_id, today);
	json_t *fd = feature_domains(req, age, chosen);
	json_object_update(ctx, fd);
	json_decref(fd);
	json_decref(chosen);
	json_object_set_new(ctx, "observed_on",
	                    support_pages_date_field(req, "observed_on", "When did you see or hear about these signs?",
	                                             "For example, 27 3 2026", req->method == HTTP_GET ? today : NULL,
	                                             emap));
	json_object_set_new(ctx, "review_by",
	                    support_pages_date_field(req, "review_by", "Review the child by",
	                                             "Needed for a 'consider' sign: sooner the more worried you are",
	                                             NULL, emap));
	json_object_set_new(ctx, "form", json_pack("{s:s, s:b}", "summary", support_pages_form(req, "summary"),
	                                           "immediate_danger",
	                                           strcmp(support_pages_form(req, "immediate_danger"), "yes") == 0));
	json_object_set_new(ctx, "action", json_string(arena_printf(&req->arena, "/children/%s/support/concerns",
	                                                            child_id)));
	web_page(req, status, "support/concern_new", "Record a concern", ctx);
}

void support_pages_concern_new(struct http_request *req)
{
	if (support_handlers_child(req, "support.record"))
		render_concern_form(req, http_param(req, 0), 200, NULL);
}

void support_pages_concern_create(struct http_request *req)
{
	if (!support_handlers_child(req, "support.record"))
		return;
	const char *child_id = http_param(req, 0);
	json_t *in = record_from_form(&support_entities_concern, req);
	const char *vals[MAX_FEATURES];
	int n = http_form_all(req, "features", vals, MAX_FEATURES);
	json_t *features = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(features, json_string(vals[i]));
	json_object_set_new(in, "features", features);
	json_t *errors = json_array(), *response = NULL;
	char id[ID_MAX];
	int rc = support_commands_concern(req, child_id, in, errors, id, &response);
	json_decref(in);
	json_decref(response);
	if (rc == 1) {
		render_concern_form(req, child_id, 422, errors);
		return;
	}
	json_decref(errors);
	if (rc == 0)
		http_redirect(req, arena_printf(&req->arena, "/children/%s/support/concerns/%s", child_id, id));
}

void support_pages_concern(struct http_request *req)
{
	const char *child_id = http_param(req, 0);
	json_t *c = support_handlers_concern(req, child_id, http_param(req, 1));
	if (!c || !support_handlers_concern_visible(req, child_id, c)) {
		json_decref(c);
		if (id_valid(child_id))
			web_forbidden(req, "support.concern", child_id);
		else
			web_not_found(req);
		return;
	}
	json_t *ctx = support_pages_context(req, child_id);
	json_t *v = support_view_concern(support_pages_catalogue(req), c);
	json_decref(c);
	decorate_concern(req, child_id, v);
	json_t *response = json_object_get(v, "response");
	const char *clock = support_str(response, "starts_clock");
	long long started = support_int(v, "clocks_started", 0);
	const char *clock_text = !clock ? NULL
	                         : started ? "A statutory clock started for the referral to children's social care: it "
	                                     "shows on the Deadlines page."
	                         : json_is_null(json_object_get(v, "case_id"))
	                                 ? "No case is open for this child, so no statutory clock could start. The "
	                                   "referral itself starts the referral clocks."
	                                 : "No clock rule applies to this concern.";
	json_object_set_new(ctx, "concern", v);
	json_object_set_new(ctx, "clock_text", clock_text ? json_string(clock_text) : json_null());
	command_audit_read(req, "support_concern", http_param(req, 1), child_id);
	web_page(req, 200, "support/concern", support_str(response, "title") ? support_str(response, "title") : "Concern",
	         ctx);
}

/* ---- why am I seeing this ---- */

static void render_prompt(struct http_request *req, int status, json_t *errors)
{
	const char *child_id = http_param(req, 0);
	json_t *prompts = support_data_prompts(req->store, support_pages_catalogue(req), child_id, date_today());
	json_t *p = prompts ? support_prompts_find(prompts, http_param(req, 1)) : NULL;
	if (!p) {
		json_decref(prompts);
		json_decref(errors);
		web_not_found(req);
		return;
	}
	decorate_prompt(req, child_id, p);
	json_t *ctx = support_pages_context(req, child_id);
	support_pages_add_errors(ctx, errors);
	json_object_set(ctx, "prompt", p);
	json_object_set_new(ctx, "reason", json_string(support_pages_form(req, "reason")));
	json_object_set_new(ctx, "dismiss_href", json_string(arena_printf(
		&req->arena, "/children/%s/support/prompts/%s/dismiss", child_id, http_param(req, 1))));
	json_decref(prompts);
	command_audit_read(req, "support_prompt", http_param(req, 1), child_id);
	web_page(req, status, "support/prompt", "Why am I seeing this?", ctx);
}

void support_pages_prompt(struct http_request *req)
{
	if (support_handlers_child(req, "support.read"))
		render_prompt(req, 200, NULL);
}

void support_pages_prompt_dismiss(struct http_request *req)
{
	if (!support_handlers_child(req, "support.record") || !support_handlers_child(req, "support.read"))
		return;
	json_t *in = json_pack("{s:s}", "reason", support_pages_form(req, "reason"));
	json_t *errors = json_array();
	int rc = support_commands_dismiss(req, http_param(req, 0), http_param(req, 1), in, errors);
	support_pages_settle(req, rc, in, errors, render_prompt,
	                     arena_printf(&req->arena, "/children/%s/support/prompts/%s", http_param(req, 0),
		                                http_param(req, 1)));
}
