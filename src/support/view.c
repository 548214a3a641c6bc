#include "support/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/xmalloc.h"
#include "domain/enums.h"
#include "support/support_alerts.h"
#include "support/combine.h"
#include "support/data.h"
#include "support/neglect.h"

static int level_rank(const char *level)
{
	static const char *const order[] = {"suspect", "refer_elsewhere", "consider", "recognise"};
	for (int i = 0; i < 4; i++)
		if (level && strcmp(level, order[i]) == 0)
			return i;
	return 4;
}

static int cmp_feature(const void *x, const void *y)
{
	const json_t *a = *(const json_t *const *)x, *b = *(const json_t *const *)y;
	int r = level_rank(support_str(a, "level")) - level_rank(support_str(b, "level"));
	if (r)
		return r;
	r = strcmp(support_str(b, "last"), support_str(a, "last"));
	return r ? r : strcmp(support_str(a, "id"), support_str(b, "id"));
}

json_t *support_view_features(const struct support_catalogue *cat, const json_t *concerns)
{
	json_t *by_id = json_object();
	size_t i, j;
	json_t *c, *f;
	json_array_foreach(concerns, i, c) {
		const char *date = support_str(c, "observed_on"), *source = support_str(c, "source_label");
		json_array_foreach(json_object_get(c, "features"), j, f) {
			const char *id = json_string_value(f);
			json_t *row = json_object_get(by_id, id);
			if (!row) {
				json_t *e = support_catalogue_get(cat, id);
				const char *level = support_str(e, "level");
				row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:[], s:[], s:[]}", "id", id, "citation",
				                support_str(e, "citation"), "title", support_str(e, "title"), "level", level,
				                "level_label", level ? enums_label("support_alert_level", level) : "", "count", 0,
				                "first", date, "last", date, "dates", "sources", "source_keys");
				json_object_set_new(by_id, id, row);
			}
			json_object_set_new(row, "count", json_integer(support_int(row, "count", 0) + 1));
			if (strcmp(date, support_str(row, "first")) < 0)
				json_object_set_new(row, "first", json_string(date));
			if (strcmp(date, support_str(row, "last")) > 0)
				json_object_set_new(row, "last", json_string(date));
			if (!support_has(json_object_get(row, "dates"), date))
				json_array_append_new(json_object_get(row, "dates"), json_string(date));
			if (source && !support_has(json_object_get(row, "sources"), source))
				json_array_append_new(json_object_get(row, "sources"), json_string(source));
			const char *key = support_str(c, "source_key");
			if (key && !support_has(json_object_get(row, "source_keys"), key))
				json_array_append_new(json_object_get(row, "source_keys"), json_string(key));
		}
	}
	size_t n = json_object_size(by_id), k = 0;
	json_t **rows = n ? xmalloc(n * sizeof *rows) : NULL;
	const char *key;
	json_t *row;
	json_object_foreach(by_id, key, row) {
		json_object_set_new(row, "agencies", json_integer((json_int_t)json_array_size(json_object_get(row, "source_keys"))));
		json_object_del(row, "source_keys");
		rows[k++] = row;
	}
	if (n)
		qsort(rows, n, sizeof *rows, cmp_feature);
	json_t *out = json_array();
	for (k = 0; k < n; k++)
		json_array_append(out, rows[k]);
	free(rows);
	json_decref(by_id);
	return out;
}

json_t *support_view_concern(const struct support_catalogue *cat, const json_t *concern)
{
	json_t *c = json_deep_copy(concern), *items = json_array();
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(concern, "features"), i, f) {
		json_t *e = support_catalogue_get(cat, json_string_value(f));
		const char *level = support_str(e, "level");
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", json_string_value(f), "citation",
		                                       support_str(e, "citation"), "title", support_str(e, "title"), "level",
		                                       level, "level_label", enums_label("support_alert_level", level)));
	}
	json_object_set_new(c, "feature_items", items);
	json_object_set_new(c, "response", support_alerts_response(cat, json_object_get(concern, "features"),
	                                                           json_is_true(json_object_get(concern,
	                                                                                        "immediate_danger"))));
	return c;
}

json_t *support_view_agreement(const json_t *agreement, int32_t today)
{
	json_t *a = json_deep_copy(agreement);
	const char *due = support_str(a, "due_on"), *outcome = support_str(a, "outcome");
	const char *on = support_str(a, "outcome_on");
	int32_t d = today, o = today;
	if (due)
		date_parse(due, &d);
	if (on)
		date_parse(on, &o);
	const char *state;
	if (!outcome)
		state = today > d ? "overdue" : "running";
	else if (strcmp(outcome, "met") == 0)
		state = o > d ? "met_late" : "met";
	else
		state = outcome;
	json_object_set_new(a, "clock", json_pack("{s:s, s:s?, s:i, s:b}", "state", state, "due_on", due, "days_left",
	                                          (int)(d - today), "open", outcome == NULL));
	json_object_set_new(a, "outcome_label",
	                    outcome ? json_string(enums_label("support_agreement_outcome", outcome)) : json_null());
	return a;
}

static json_t *factor_view(const struct support_catalogue *cat, const json_t *f)
{
	json_t *v = json_deep_copy(f);
	json_t *e = support_catalogue_get(cat, support_str(f, "factor_id"));
	json_object_set_new(v, "title", json_string(e ? support_str(e, "title") : support_str(f, "factor_id")));
	json_object_set_new(v, "citation", e ? json_string(support_str(e, "citation")) : json_null());
	json_object_set_new(v, "concept", e ? json_string(support_str(e, "concept")) : json_null());
	json_object_set_new(v, "group_label",
	                    json_string(e ? enums_label("support_factor_group", support_str(e, "group")) : ""));
	const char *about = support_str(f, "about");
	const char *about_label = about ? enums_label("support_factor_about", about) : NULL;
	json_object_set_new(v, "about_label", json_string(about_label ? about_label : ""));
	return v;
}

json_t *support_view_factors(const struct support_catalogue *cat, const json_t *factors)
{
	json_t *current = json_array(), *ended = json_array(), *current_records = json_array();
	size_t i;
	json_t *f;
	json_array_foreach(factors, i, f) {
		bool is_ended = support_str(f, "ended_on") != NULL;
		json_array_append_new(is_ended ? ended : current, factor_view(cat, f));
		if (!is_ended)
			json_array_append(current_records, f);
	}
	json_t *combos = support_combinations(cat, current_records);
	json_t *c;
	json_array_foreach(combos, i, c) {
		json_t *rule = support_catalogue_get(cat, support_str(c, "rule"));
		json_object_set_new(c, "title", json_string(support_str(rule, "title")));
		json_object_set_new(c, "citation", json_string(support_str(rule, "citation")));
		json_object_set_new(c, "message", json_string(support_str(rule, "message")));
	}
	json_decref(current_records);
	return json_pack("{s:o, s:o, s:o}", "current", current, "ended", ended, "combinations", combos);
}

json_t *support_view_overview(struct store *st, const struct support_catalogue *cat, const char *child_id,
                              int32_t today)
{
	json_t *data = support_data_load(st, child_id);
	json_t *prompts = data ? support_data_prompts(st, cat, child_id, today) : NULL;
	if (!data || !prompts) {
		json_decref(data);
		json_decref(prompts);
		return NULL;
	}
	json_t *concerns = json_array(), *agreements = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(data, "concerns"), i, v) json_array_append_new(concerns,
	                                                                                 support_view_concern(cat, v));
	json_array_foreach(json_object_get(data, "agreements"), i, v) json_array_append_new(agreements,
	                                                                                   support_view_agreement(v, today));
	json_t *assessments = json_object_get(data, "assessments");
	json_t *neglect = json_pack("{s:O, s:o}", "assessments", assessments, "chart",
	                            support_neglect_chart(cat, assessments));
	json_t *drift = support_neglect_drift(cat, assessments), *optimism = support_neglect_optimism(cat, assessments);
	json_object_set_new(neglect, "drift", drift ? drift : json_null());
	json_object_set_new(neglect, "optimism", optimism ? optimism : json_null());
	size_t active = 0;
	json_array_foreach(prompts, i, v) active += strcmp(support_str(v, "status"), "active") == 0;
	json_t *out = json_pack(
		"{s:o, s:o, s:o, s:o, s:O, s:o, s:O, s:o, s:{s:i, s:i, s:i}}", "concerns", concerns, "features",
		support_view_features(cat, json_object_get(data, "concerns")), "factors",
		support_view_factors(cat, json_object_get(data, "factors")), "neglect", neglect, "reviews",
		json_object_get(data, "reviews"), "agreements", agreements, "interventions",
		json_object_get(data, "interventions"), "prompts", prompts, "counts", "concerns",
		(int)json_array_size(concerns), "prompts_active", (int)active, "prompts", (int)json_array_size(prompts));
	json_decref(data);
	return out;
}

json_t *support_view_summary(struct store *st, const struct support_catalogue *cat, const char *child_id,
                             int32_t today)
{
	json_t *data = support_data_load(st, child_id);
	json_t *prompts = data ? support_data_prompts(st, cat, child_id, today) : NULL;
	if (!data || !prompts) {
		json_decref(data);
		json_decref(prompts);
		return NULL;
	}
	size_t active = 0, i;
	json_t *v;
	json_array_foreach(prompts, i, v) active += strcmp(support_str(v, "status"), "active") == 0;
	json_t *features = support_view_features(cat, json_object_get(data, "concerns"));
	char href[96];
	snprintf(href, sizeof href, "/children/%s/support", child_id);
	json_t *out = json_pack("{s:s, s:i, s:i, s:o}", "href", href, "prompts_active", (int)active, "feature_count",
	                        (int)json_array_size(features), "features", features);
	json_decref(prompts);
	json_decref(data);
	return out;
}
