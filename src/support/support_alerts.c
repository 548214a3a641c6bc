#include "support/support_alerts.h"

#include <string.h>

/* NG76 1.3's order of precedence: the first that applies sets the level. */
static const char *const precedence[] = {"immediate", "special", "suspect", "refer_elsewhere", "consider"};

static json_t *response_view(const json_t *r)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:O}", "id", support_str(r, "id"), "scope", support_str(r, "scope"),
	                 "title", support_str(r, "title"), "citation", support_str(r, "citation"), "actions",
	                 json_object_get(r, "actions"));
}

static void add_response(json_t *responses, const json_t *r)
{
	size_t i;
	json_t *have;
	json_array_foreach(responses, i, have) {
		if (strcmp(support_str(have, "id"), support_str(r, "id")) == 0)
			return;
	}
	json_array_append_new(responses, response_view(r));
}

json_t *support_alerts_response(const struct support_catalogue *cat, const json_t *feature_ids, bool immediate)
{
	json_t *responses = json_array(), *features = json_array();
	bool seen[sizeof precedence / sizeof precedence[0]] = {false};
	seen[0] = immediate;
	size_t i;
	json_t *v;
	json_array_foreach(feature_ids, i, v) {
		json_t *f = support_catalogue_get(cat, json_string_value(v));
		const char *kind = support_catalogue_kind(cat, json_string_value(v));
		if (!f || strcmp(kind, "alerting_features.features"))
			continue;
		json_array_append_new(features, json_pack("{s:s, s:s, s:s, s:s}", "id", support_str(f, "id"), "title",
		                                          support_str(f, "title"), "level", support_str(f, "level"),
		                                          "citation", support_str(f, "citation")));
		const char *level = support_str(f, "level");
		if (support_str(f, "response")) {
			const char *scope = support_str(support_catalogue_get(cat, support_str(f, "response")), "scope");
			for (size_t k = 0; k < sizeof precedence / sizeof precedence[0]; k++)
				seen[k] = seen[k] || strcmp(precedence[k], scope) == 0;
		} else if (strcmp(level, "suspect") == 0) {
			seen[2] = true;
		} else if (strcmp(level, "consider") == 0) {
			seen[4] = true;
		}
	}
	const char *level = "none";
	for (size_t k = 0; k < sizeof precedence / sizeof precedence[0]; k++) {
		if (seen[k]) {
			level = precedence[k];
			break;
		}
	}
	if (immediate) {
		/* Immediate danger comes before everything else; the other steps wait until the child is safe. */
		add_response(responses, support_catalogue_find(cat, "alerting_features", "responses", "scope", "immediate"));
	} else {
		/* Signs with steps of their own, in the order recorded. */
		json_array_foreach(feature_ids, i, v) {
			const char *kind = support_catalogue_kind(cat, json_string_value(v));
			if (!kind || strcmp(kind, "alerting_features.features"))
				continue;
			const char *rid = support_str(support_catalogue_get(cat, json_string_value(v)), "response");
			if (rid)
				add_response(responses, support_catalogue_get(cat, rid));
		}
		if (seen[2])
			add_response(responses, support_catalogue_find(cat, "alerting_features", "responses", "scope", "suspect"));
		else if (seen[4])
			add_response(responses,
			             support_catalogue_find(cat, "alerting_features", "responses", "scope", "consider"));
		if (json_array_size(responses))
			add_response(responses, support_catalogue_find(cat, "alerting_features", "responses", "scope", "all"));
	}
	const char *clock = NULL;
	json_array_foreach(responses, i, v) {
		const char *ev = support_str(support_catalogue_get(cat, support_str(v, "id")), "starts_clock");
		if (ev && !clock)
			clock = ev;
	}
	json_t *first = json_array_get(responses, 0);
	json_t *out = json_pack("{s:s, s:o, s:o}", "level", level, "responses", responses, "features", features);
	json_object_set_new(out, "title", first ? json_string(support_str(first, "title")) : json_null());
	json_object_set_new(out, "citation", first ? json_string(support_str(first, "citation")) : json_null());
	json_object_set_new(out, "starts_clock", clock ? json_string(clock) : json_null());
	return out;
}

const char *support_alerts_refuse(const struct support_catalogue *cat, const char *feature_id, int age_years)
{
	json_t *f = support_catalogue_get(cat, feature_id);
	const char *kind = support_catalogue_kind(cat, feature_id);
	if (!f || !kind || strcmp(kind, "alerting_features.features"))
		return "is not an alerting feature in the catalogue";
	if (!support_bool(f, "tickable", true))
		return "is for awareness only and cannot be recorded as a sign";
	long long max = support_int(f, "age_max_exclusive", -1);
	if (max > 0 && age_years >= max)
		return "applies only to younger children (see its age limit)";
	return NULL;
}

json_t *support_alerts_abuse_types(const struct support_catalogue *cat, const json_t *feature_ids)
{
	json_t *out = json_array();
	size_t i, j;
	json_t *v, *t;
	json_array_foreach(feature_ids, i, v) {
		json_array_foreach(json_object_get(support_catalogue_get(cat, json_string_value(v)), "abuse_types"), j, t) {
			if (strcmp(json_string_value(t), "general") && !support_has(out, json_string_value(t)))
				json_array_append(out, t);
		}
	}
	return out;
}
