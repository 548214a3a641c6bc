#include "domain/enums.h"

#include <stdio.h>
#include <string.h>

static json_t *loaded; /* {"list": {"citation": "...", "values": [{"code","label"}...]}} */

static int fail(struct buf *err, const char *path, const char *entry, const char *problem)
{
	buf_addf(err, "%s: %s: %s", path, entry, problem);
	return -1;
}

static int check_list(const char *path, const char *name, json_t *list, struct buf *err)
{
	char where[160];
	if (!json_is_object(list))
		return fail(err, path, name, "a list must be an object with citation and values");
	const char *k;
	json_t *v;
	json_object_foreach(list, k, v) {
		if (strcmp(k, "citation") && strcmp(k, "values") && strcmp(k, "description"))
			return snprintf(where, sizeof where, "%s.%s", name, k), fail(err, path, where, "unknown field");
	}
	json_t *cit = json_object_get(list, "citation");
	if (!json_is_string(cit) || !*json_string_value(cit))
		return fail(err, path, name, "missing citation");
	json_t *vals = json_object_get(list, "values");
	if (!json_is_array(vals) || json_array_size(vals) == 0)
		return fail(err, path, name, "values must be a non-empty array");
	size_t i;
	json_t *item;
	json_array_foreach(vals, i, item) {
		snprintf(where, sizeof where, "%s.values[%zu]", name, i);
		if (!json_is_object(item))
			return fail(err, path, where, "each value must be an object with code and label");
		json_object_foreach(item, k, v) {
			if (strcmp(k, "code") && strcmp(k, "label") && strcmp(k, "citation"))
				return fail(err, path, where, "unknown field");
		}
		json_t *code = json_object_get(item, "code"), *label = json_object_get(item, "label");
		if (!json_is_string(code) || !*json_string_value(code) || !json_is_string(label))
			return fail(err, path, where, "code and label must be non-empty strings");
		for (size_t j = 0; j < i; j++) {
			json_t *other = json_object_get(json_array_get(vals, j), "code");
			if (json_equal(other, code)) {
				char msg[160];
				snprintf(msg, sizeof msg, "duplicate code %s", json_string_value(code));
				return fail(err, path, where, msg);
			}
		}
	}
	return 0;
}

int enums_load(const char *path, struct buf *err)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		buf_addf(err, "%s: line %d: %s", path, jerr.line, jerr.text);
		return -1;
	}
	json_t *lists = json_object_get(doc, "lists");
	if (!json_is_object(lists) || !json_is_string(json_object_get(doc, "version"))) {
		json_decref(doc);
		return fail(err, path, "(top)", "expected {\"version\": \"...\", \"lists\": {...}}");
	}
	const char *k;
	json_t *v;
	json_object_foreach(doc, k, v) {
		if (strcmp(k, "version") && strcmp(k, "lists") && strcmp(k, "description")) {
			json_decref(doc);
			return fail(err, path, k, "unknown field");
		}
	}
	json_object_foreach(lists, k, v) {
		if (check_list(path, k, v, err) < 0) {
			json_decref(doc);
			return -1;
		}
	}
	json_incref(lists);
	json_decref(doc);
	json_decref(loaded);
	loaded = lists;
	return 0;
}

void enums_free(void)
{
	json_decref(loaded);
	loaded = NULL;
}

const char *enums_label(const char *list, const char *code)
{
	json_t *vals = json_object_get(json_object_get(loaded, list), "values");
	size_t i;
	json_t *item;
	json_array_foreach(vals, i, item) {
		if (strcmp(json_string_value(json_object_get(item, "code")), code) == 0)
			return json_string_value(json_object_get(item, "label"));
	}
	return NULL;
}

json_t *enums_list(const char *list)
{
	json_t *vals = json_object_get(json_object_get(loaded, list), "values");
	return vals ? json_deep_copy(vals) : NULL;
}

json_t *enums_all(void)
{
	return loaded ? json_deep_copy(loaded) : json_object();
}
