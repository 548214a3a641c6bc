/* The rules of each catalogue that a field table cannot state. Each names the file, the entry and the problem. */
#include <stdarg.h>
#include <string.h>

#include "support/catalogue_internal.h"

static int fail(const struct support_catalogue *cat, const char *catalogue, const char *entry, struct buf *err,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int fail(const struct support_catalogue *cat, const char *catalogue, const char *entry, struct buf *err,
                const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_addf(err, "%s: %s: ", support_str(cat->files, catalogue), entry);
	buf_vaddf(err, fmt, ap);
	va_end(ap);
	return -1;
}

static int check_alerting(const struct support_catalogue *cat, struct buf *err)
{
	static const char *const needed[] = {"all", "immediate", "suspect", "consider"};
	json_t *responses = support_catalogue_list(cat, "alerting_features", "responses");
	for (size_t k = 0; k < sizeof needed / sizeof needed[0]; k++) {
		int count = 0;
		size_t i;
		json_t *r;
		json_array_foreach(responses, i, r) count += strcmp(support_str(r, "scope"), needed[k]) == 0;
		if (count != 1)
			return fail(cat, "alerting_features", "responses", err,
			            "exactly one response must have scope \"%s\" (found %d)", needed[k], count);
	}
	size_t i;
	json_t *f;
	json_array_foreach(support_catalogue_list(cat, "alerting_features", "features"), i, f) {
		const char *id = support_str(f, "id"), *level = support_str(f, "level");
		bool tickable = support_bool(f, "tickable", true);
		if (strcmp(level, "recognise") == 0 && tickable)
			return fail(cat, "alerting_features", id, err,
			            "a 'recognise' entry is awareness only and must have \"tickable\": false");
		const char *resp = support_str(f, "response");
		if (strcmp(level, "refer_elsewhere") == 0 && !resp)
			return fail(cat, "alerting_features", id, err, "a 'refer_elsewhere' feature must name its response");
		if (resp) {
			const char *scope = support_str(support_catalogue_get(cat, resp), "scope");
			if (strcmp(scope, "special") && strcmp(scope, "refer_elsewhere"))
				return fail(cat, "alerting_features", id, err,
				            "\"response\" may only name a special or refer_elsewhere response, not %s", resp);
		}
		long long age = support_int(f, "age_max_exclusive", -1);
		if (age == 0 || age > 18)
			return fail(cat, "alerting_features", id, err, "\"age_max_exclusive\" must be between 1 and 18");
	}
	json_array_foreach(support_catalogue_list(cat, "alerting_features", "escalations"), i, f) {
		const char *id = support_str(f, "id");
		json_t *from = support_catalogue_get(cat, support_str(f, "from"));
		json_t *to = support_catalogue_get(cat, support_str(f, "to"));
		if (strcmp(support_str(from, "level"), "consider") || strcmp(support_str(to, "level"), "suspect"))
			return fail(cat, "alerting_features", id, err, "an escalation must lead from a 'consider' feature to "
			                                               "a 'suspect' one");
		if (support_int(f, "min_occasions", 0) < 2)
			return fail(cat, "alerting_features", id, err, "\"min_occasions\" must be 2 or more");
	}
	json_array_foreach(support_catalogue_list(cat, "alerting_features", "patterns"), i, f) {
		const char *id = support_str(f, "id");
		if (support_int(f, "min_sources", 0) < 2)
			return fail(cat, "alerting_features", id, err, "\"min_sources\" must be 2 or more");
		long long w = support_int(f, "window_months", 0);
		if (w < 1 || w > 120)
			return fail(cat, "alerting_features", id, err, "\"window_months\" must be between 1 and 120");
	}
	return 0;
}

/* Distinct concepts among the factors of a source (or all factors when source is NULL). */
static size_t concepts_of_source(const struct support_catalogue *cat, const char *source, const char *concept,
                                 bool *found)
{
	json_t *seen = json_object();
	size_t i;
	json_t *f;
	json_array_foreach(support_catalogue_list(cat, "vulnerability_factors", "factors"), i, f) {
		if (source && strcmp(support_str(f, "source"), source))
			continue;
		json_object_set_new(seen, support_str(f, "concept"), json_true());
	}
	if (found)
		*found = concept && json_object_get(seen, concept);
	size_t n = json_object_size(seen);
	json_decref(seen);
	return n;
}

static int check_vulnerability(const struct support_catalogue *cat, struct buf *err)
{
	size_t i;
	json_t *c;
	json_array_foreach(support_catalogue_list(cat, "vulnerability_factors", "combinations"), i, c) {
		const char *id = support_str(c, "id");
		json_t *concepts = json_object_get(c, "concepts");
		const char *source = support_str(c, "from_source");
		long long min = support_int(c, "min_distinct", 0);
		if ((concepts != NULL) == (source != NULL))
			return fail(cat, "vulnerability_factors", id, err,
			            "give either \"concepts\" or \"from_source\", not both and not neither");
		if (min < 2)
			return fail(cat, "vulnerability_factors", id, err, "\"min_distinct\" must be 2 or more");
		size_t available;
		if (concepts) {
			size_t j;
			json_t *k;
			json_array_foreach(concepts, j, k) {
				bool found;
				concepts_of_source(cat, NULL, json_string_value(k), &found);
				if (!found)
					return fail(cat, "vulnerability_factors", id, err,
					            "concept \"%s\" is not the concept of any factor", json_string_value(k));
			}
			available = json_array_size(concepts);
		} else {
			available = concepts_of_source(cat, source, NULL, NULL);
		}
		if ((size_t)min > available)
			return fail(cat, "vulnerability_factors", id, err,
			            "\"min_distinct\" is %lld but only %zu distinct concepts can match", min, available);
	}
	return 0;
}

static int check_neglect(const struct support_catalogue *cat, struct buf *err)
{
	json_t *scale = support_catalogue_list(cat, "neglect", "rating_scale");
	size_t n = json_array_size(scale), i;
	if (n < 2)
		return fail(cat, "neglect", "rating_scale", err, "the scale needs at least two points");
	json_t *r;
	json_array_foreach(scale, i, r) {
		if (support_int(r, "value", 0) != (long long)i + 1)
			return fail(cat, "neglect", support_str(r, "id"), err,
			            "rating values must run 1, 2, 3... in order (expected %zu)", i + 1);
	}
	if (json_array_size(support_catalogue_list(cat, "neglect", "care_domains")) == 0)
		return fail(cat, "neglect", "care_domains", err, "at least one domain of care is needed");
	if (json_array_size(support_catalogue_list(cat, "neglect", "adolescent")) > 1)
		return fail(cat, "neglect", "adolescent", err, "there can be only one adolescent entry");
	json_array_foreach(support_catalogue_list(cat, "neglect", "adolescent"), i, r) {
		if (support_int(r, "from_age", 0) > 17)
			return fail(cat, "neglect", support_str(r, "id"), err, "\"from_age\" must be 17 or less");
	}
	json_t *seen = json_object();
	int rc = 0;
	json_array_foreach(support_catalogue_list(cat, "neglect", "pitfalls"), i, r) {
		const char *id = support_str(r, "id"), *det = support_str(r, "detector");
		bool drift = strcmp(det, "drift") == 0;
		if (strcmp(det, "none") && json_object_get(seen, det)) {
			rc = fail(cat, "neglect", id, err, "detector \"%s\" is already used by %s", det,
			          json_string_value(json_object_get(seen, det)));
			break;
		}
		json_object_set_new(seen, det, json_string(id));
		bool has_params = json_object_get(r, "min_assessments") || json_object_get(r, "concern_rating");
		if (!drift && has_params) {
			rc = fail(cat, "neglect", id, err, "only the drift detector takes min_assessments and concern_rating");
			break;
		}
		if (drift && (support_int(r, "min_assessments", 0) < 2 || support_int(r, "concern_rating", 0) < 1 ||
		              support_int(r, "concern_rating", 0) > (long long)n)) {
			rc = fail(cat, "neglect", id, err,
			          "drift needs min_assessments of 2 or more and a concern_rating on the scale (1-%zu)", n);
			break;
		}
	}
	json_decref(seen);
	return rc;
}

static int check_capacity(const struct support_catalogue *cat, struct buf *err)
{
	json_t *seen = json_object();
	size_t i;
	json_t *r;
	int rc = 0;
	json_array_foreach(support_catalogue_list(cat, "capacity_to_change", "agreement_rules"), i, r) {
		const char *det = support_str(r, "detector");
		if (json_object_get(seen, det)) {
			rc = fail(cat, "capacity_to_change", support_str(r, "id"), err, "detector \"%s\" is used twice", det);
			break;
		}
		json_object_set_new(seen, det, json_true());
	}
	json_decref(seen);
	return rc;
}

static int check_interventions(const struct support_catalogue *cat, struct buf *err)
{
	json_t *alt_counts = json_object();
	size_t i;
	json_t *e;
	int rc = 0;
	json_array_foreach(support_catalogue_list(cat, "interventions", "interventions"), i, e) {
		const char *id = support_str(e, "id");
		long long lo = support_int(e, "age_min", -1), hi = support_int(e, "age_max", -1);
		bool after = strcmp(support_str(e, "stage"), "after_abuse") == 0;
		size_t nafter = json_array_size(json_object_get(e, "after"));
		if (hi > 17 || lo > 17 || (lo >= 0 && hi >= 0 && lo > hi)) {
			rc = fail(cat, "interventions", id, err, "ages must lie within 0-17 with age_min <= age_max");
			break;
		}
		if (after != (nafter > 0)) {
			rc = fail(cat, "interventions", id, err,
			          after ? "an after_abuse intervention must list the abuse it follows in \"after\""
			                : "an early_help intervention must have an empty \"after\"");
			break;
		}
		if (json_array_size(json_object_get(e, "carers")) == 0) {
			rc = fail(cat, "interventions", id, err, "\"carers\" must name at least one carer");
			break;
		}
		size_t j;
		json_t *need;
		json_array_foreach(json_object_get(e, "needs_any"), j, need) {
			if (support_has(json_object_get(e, "excluded_if"), json_string_value(need))) {
				rc = fail(cat, "interventions", id, err, "\"%s\" is both needed and excluded",
				          json_string_value(need));
				break;
			}
		}
		if (rc)
			break;
		const char *alt = support_str(e, "alternatives");
		if (alt)
			json_object_set_new(alt_counts, alt,
			                    json_integer(support_int(alt_counts, alt, 0) + 1));
	}
	const char *alt;
	json_t *count;
	if (rc == 0) {
		json_object_foreach(alt_counts, alt, count) {
			if (json_integer_value(count) < 2) {
				rc = fail(cat, "interventions", alt, err, "an \"alternatives\" group needs two or more entries");
				break;
			}
		}
	}
	json_decref(alt_counts);
	return rc;
}

int support_catalogue_check_rules(const struct support_catalogue *cat, struct buf *err)
{
	if (check_alerting(cat, err) < 0 || check_vulnerability(cat, err) < 0 || check_neglect(cat, err) < 0 ||
	    check_capacity(cat, err) < 0 || check_interventions(cat, err) < 0)
		return -1;
	return 0;
}
