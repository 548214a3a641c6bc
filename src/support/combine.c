#include "support/combine.h"

#include <string.h>

static bool covers(const json_t *rule, const json_t *factor)
{
	const char *source = support_str(rule, "from_source");
	if (source)
		return strcmp(source, support_str(factor, "source")) == 0;
	return support_has(json_object_get(rule, "concepts"), support_str(factor, "concept"));
}

json_t *support_combinations(const struct support_catalogue *cat, const json_t *factors)
{
	json_t *fired = json_array();
	size_t i;
	json_t *rule;
	json_array_foreach(support_catalogue_list(cat, "vulnerability_factors", "combinations"), i, rule) {
		json_t *concepts = json_array(), *records = json_array(), *ids = json_array();
		size_t j;
		json_t *rec;
		json_array_foreach(factors, j, rec) {
			json_t *f = support_catalogue_get(cat, support_str(rec, "factor_id"));
			if (!f || !covers(rule, f))
				continue;
			if (!support_has(concepts, support_str(f, "concept")))
				json_array_append_new(concepts, json_string(support_str(f, "concept")));
			json_array_append_new(records, json_string(support_str(rec, "id")));
			if (!support_has(ids, support_str(f, "id")))
				json_array_append_new(ids, json_string(support_str(f, "id")));
		}
		if ((long long)json_array_size(concepts) >= support_int(rule, "min_distinct", 2)) {
			json_array_append_new(fired, json_pack("{s:s, s:o, s:o, s:o}", "rule", support_str(rule, "id"),
			                                       "concepts", concepts, "records", records, "factors", ids));
		} else {
			json_decref(concepts);
			json_decref(records);
			json_decref(ids);
		}
	}
	return fired;
}
