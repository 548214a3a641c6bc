/* The interventions page: which NG76 interventions fit the child's age, the type of abuse and who cares for them
 * (the situation can be changed on the page), each with its eligibility, intensity, duration and citation; and
 * what was offered, taken up and completed, with what result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/command.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/enums.h"
#include "support/support_alerts.h"
#include "support/commands.h"
#include "support/data.h"
#include "support/support_entities.h"
#include "support/handlers.h"
#include "support/pages_util.h"

/* The abuse type the latest concern points to, to start the recommender from the record. */
static const char *abuse_from_concerns(struct http_request *req, const char *child_id, const char **on)
{
	json_t *data = support_data_load(req->store, child_id);
	json_t *concerns = json_object_get(data, "concerns");
	const char *found = NULL;
	*on = NULL;
	for (size_t i = json_array_size(concerns); i-- > 0 && !found;) {
		json_t *c = json_array_get(concerns, i);
		json_t *types = support_alerts_abuse_types(support_pages_catalogue(req), json_object_get(c, "features"));
		if (json_array_size(types)) {
			found = arena_strdup(&req->arena, json_string_value(json_array_get(types, 0)));
			*on = arena_strdup(&req->arena, support_str(c, "observed_on"));
		}
		json_decref(types);
	}
	json_decref(data);
	return found;
}

static void decorate_results(struct http_request *req, json_t *rec, const char *child_id)
{
	static const char *const lists[] = {"fits", "conditional", "background"};
	for (size_t k = 0; k < 3; k++) {
		size_t i;
		json_t *e;
		json_array_foreach(json_object_get(rec, lists[k]), i, e) {
			struct buf s;
			buf_init(&s, 16384);
			size_t j;
			json_t *v;
			json_array_foreach(json_object_get(e, "examples"), j, v) buf_addf(&s, "%s%s", j ? ", " : "",
			                                                                  json_string_value(v));
			json_object_set_new(e, "examples_text", json_string(buf_str(&s)));
			buf_reset(&s);
			json_array_foreach(json_object_get(e, "conditions"), j, v) buf_addf(&s, "%s%s", j ? "; and " : "",
			                                                                    support_str(v, "text"));
			json_object_set_new(e, "conditions_text", json_string(buf_str(&s)));
			buf_free(&s);
			const char *attends = support_str(e, "attends");
			json_object_set_new(e, "attends_label",
			                    json_string(attends ? enums_label("support_attends", attends) : "Not stated"));
			json_object_set_new(e, "strength_class",
			                    json_string(strcmp(support_str(e, "strength"), "offer") == 0 ? "govuk-tag--green"
			                                                                                 : "govuk-tag--blue"));
			if (json_is_null(json_object_get(e, "note")))
				json_object_set_new(e, "note", json_string(""));
			if (json_is_null(json_object_get(e, "alternatives")))
				json_object_set_new(e, "alternatives", json_string(""));
		}
	}
	(void)child_id;
}

static json_t *recorded(struct http_request *req, const char *child_id)
{
	json_t *rows = record_list(req->store, &support_entities_intervention, "child_id", child_id,
	                           "offered_on, created_at", 1000);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		json_t *e = support_catalogue_get(support_pages_catalogue(req), support_str(r, "intervention_id"));
		const char *res = support_str(r, "result");
		json_object_set_new(r, "name", json_string(e ? support_str(e, "name") : support_str(r, "intervention_id")));
		json_object_set_new(r, "status_label",
		                    json_string(enums_label("support_intervention_status", support_str(r, "status"))));
		json_object_set_new(r, "result_label", json_string(res ? enums_label("support_intervention_result", res) : ""));
		json_object_set_new(r, "offered_long", json_string(support_pages_date(req, support_str(r, "offered_on"))));
		json_object_set_new(r, "href", json_string(arena_printf(&req->arena, "/children/%s/support/interventions/%s",
		                                                        child_id, support_str(r, "id"))));
	}
	return rows;
}

static void render_page(struct http_request *req, int status, json_t *errors)
{
	const char *child_id = http_param(req, 0);
	json_t *ctx = support_pages_context(req, child_id);
	json_t *sit_errors = json_array();
	/* On a re-rendered form the situation comes from the query string the form was reached with. */
	json_t *sit = support_handlers_situation(req, child_id, false, sit_errors);
	const char *from_date = NULL;
	bool asked = false;
	for (int i = 0; i < req->nquery; i++)
		asked = asked || strcmp(req->query[i].key, "abuse_type") == 0;
	if (!asked) {
		const char *abuse = abuse_from_concerns(req, child_id, &from_date);
		if (abuse)
			json_object_set_new(sit, "abuse_type", json_string(abuse));
	}
	json_t *all_errors = errors ? errors : json_array();
	json_array_extend(all_errors, sit_errors);
	json_decref(sit_errors);
	if (json_array_size(all_errors))
		support_pages_add_errors(ctx, all_errors);
	else
		json_decref(all_errors);
	json_t *rec = support_handlers_recommend(req, sit);
	decorate_results(req, rec, child_id);
	json_t *abuse = json_object_get(sit, "abuse_type");
	json_t *abuses = support_pages_options("support_abuse_type", abuse);
	for (size_t i = 0; i < json_array_size(abuses);) {
		if (strcmp(support_str(json_array_get(abuses, i), "code"), "general") == 0)
			json_array_remove(abuses, i);
		else
			i++;
	}
	json_object_set_new(ctx, "abuses", abuses);
	json_object_set_new(ctx, "at_risk", json_boolean(!abuse || json_is_null(abuse)));
	json_object_set_new(ctx, "carers", support_pages_options("support_carer", json_object_get(sit, "carer")));
	json_object_set_new(ctx, "needs", support_pages_options("support_need", json_object_get(sit, "needs")));
	json_t *sexes = support_pages_options("gender", json_object_get(sit, "sex"));
	json_object_set_new(ctx, "sexes", sexes);
	json_object_set_new(ctx, "from_concern", from_date ? json_string(support_pages_date(req, from_date)) : json_null());
	json_object_set_new(ctx, "situation", sit);
	json_object_set_new(ctx, "recommendations", rec);
	json_object_set_new(ctx, "recorded", recorded(req, child_id));
	json_object_set_new(ctx, "principles", json_deep_copy(support_catalogue_list(support_pages_catalogue(req),
	                                                                             "interventions", "principles")));
	json_object_set_new(ctx, "action", json_string(arena_printf(&req->arena, "/children/%s/support/interventions",
	                                                            child_id)));
	web_page(req, status, "support/interventions", "Interventions that may help", ctx);
}

void support_pages_interventions(struct http_request *req)
{
	if (!support_handlers_child(req, "support.read"))
		return;
	command_audit_read(req, "support_intervention", NULL, http_param(req, 0));
	render_page(req, 200, NULL);
}

void support_pages_intervention_create(struct http_request *req)
{
	if (!support_handlers_child(req, "support.record"))
		return;
	json_t *in = record_from_form(&support_entities_intervention, req), *errors = json_array();
	if (!json_object_get(in, "status"))
		json_object_set_new(in, "status", json_string("offered"));
	if (!json_object_get(in, "offered_on")) {
		char today[DATE_ISO_LEN];
		date_format(date_today(), today);
		json_object_set_new(in, "offered_on", json_string(today));
	}
	char id[ID_MAX];
	int rc = support_commands_intervention(req, http_param(req, 0), NULL, in, errors, id);
	support_pages_settle(req, rc, in, errors, render_page,
	                     arena_printf(&req->arena, "/children/%s/support/interventions/%s", http_param(req, 0), id));
}

static void render_update(struct http_request *req, int status, json_t *errors)
{
	const char *child_id = http_param(req, 0);
	json_t *row = support_data_child_row(req->store, &support_entities_intervention, http_param(req, 1), child_id);
	if (!row) {
		json_decref(errors);
		web_not_found(req);
		return;
	}
	json_t *ctx = support_pages_context(req, child_id);
	support_pages_add_errors(ctx, errors);
	json_t *emap = json_object_get(ctx, "error_map");
	bool again = req->method == HTTP_POST;
	json_t *e = support_catalogue_get(support_pages_catalogue(req), support_str(row, "intervention_id"));
	json_object_set_new(row, "name", json_string(e ? support_str(e, "name") : support_str(row, "intervention_id")));
	json_object_set_new(row, "citation", json_string(e ? support_str(e, "citation") : ""));
	json_object_set_new(row, "offered_long", json_string(support_pages_date(req, support_str(row, "offered_on"))));
	json_t *st = json_string(again ? support_pages_form(req, "status") : support_str(row, "status"));
	json_object_set_new(ctx, "statuses", support_pages_options("support_intervention_status", st));
	json_decref(st);
	const char *res = again ? support_pages_form(req, "result") : support_str(row, "result");
	json_t *rj = json_string(res ? res : "");
	json_object_set_new(ctx, "results", support_pages_options("support_intervention_result", rj));
	json_decref(rj);
	static const struct {
		const char *name, *label;
	} dates[] = {{"taken_up_on", "Date taken up"}, {"completed_on", "Date completed"}, {"stopped_on", "Date stopped"}};
	for (size_t i = 0; i < 3; i++)
		json_object_set_new(ctx, dates[i].name,
		                    support_pages_date_field(req, dates[i].name, dates[i].label, NULL,
		                                             again ? NULL : support_str(row, dates[i].name), emap));
	json_t *n = json_object_get(row, "sessions_attended");
	json_object_set_new(ctx, "form",
	                    json_pack("{s:s, s:s, s:s}", "provider",
	                              again ? support_pages_form(req, "provider")
	                                    : (support_str(row, "provider") ? support_str(row, "provider") : ""),
	                              "sessions",
	                              again ? support_pages_form(req, "sessions_attended")
	                                    : (json_is_integer(n) ? arena_printf(&req->arena, "%lld",
	                                                                         (long long)json_integer_value(n))
	                                                          : ""),
	                              "result_note",
	                              again ? support_pages_form(req, "result_note")
	                                    : (support_str(row, "result_note") ? support_str(row, "result_note") : "")));
	json_object_set_new(ctx, "record", row);
	json_object_set_new(ctx, "action", json_string(req->path));
	web_page(req, status, "support/intervention", "Update an intervention", ctx);
}

void support_pages_intervention_form(struct http_request *req)
{
	if (support_handlers_child(req, "support.record"))
		render_update(req, 200, NULL);
}

void support_pages_intervention_update(struct http_request *req)
{
	if (!support_handlers_child(req, "support.record"))
		return;
	json_t *in = record_from_form(&support_entities_intervention, req), *errors = json_array();
	/* The intervention and the offer date are fixed once recorded. */
	json_object_del(in, "intervention_id");
	json_object_del(in, "offered_on");
	char id[ID_MAX];
	int rc = support_commands_intervention(req, http_param(req, 0), http_param(req, 1), in, errors, id);
	support_pages_settle(req, rc, in, errors, render_update,
	                     arena_printf(&req->arena, "/children/%s/support/interventions", http_param(req, 0)));
}
