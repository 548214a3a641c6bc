#include "domain/enums.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Reads and checks one file; returns its lists (a new reference) or NULL. */
static json_t *load_file(const char *path, struct buf *err)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		buf_addf(err, "%s: line %d: %s", path, jerr.line, jerr.text);
		return NULL;
	}
	json_t *lists = json_object_get(doc, "lists");
	if (!json_is_object(lists) || !json_is_string(json_object_get(doc, "version"))) {
		json_decref(doc);
		fail(err, path, "(top)", "expected {\"version\": \"...\", \"lists\": {...}}");
		return NULL;
	}
	const char *k;
	json_t *v;
	json_object_foreach(doc, k, v) {
		if (strcmp(k, "version") && strcmp(k, "lists") && strcmp(k, "description")) {
			json_decref(doc);
			fail(err, path, k, "unknown field");
			return NULL;
		}
	}
	json_object_foreach(lists, k, v) {
		if (check_list(path, k, v, err) < 0) {
			json_decref(doc);
			return NULL;
		}
	}
	json_incref(lists);
	json_decref(doc);
	return lists;
}

int enums_load(const char *path, struct buf *err)
{
	json_t *lists = load_file(path, err);
	if (!lists)
		return -1;
	json_decref(loaded);
	loaded = lists;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int enums_load_dir(const char *rules_dir, struct buf *err)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/enums.json", rules_dir);
	json_t *all = load_file(path, err);
	if (!all)
		return -1;
	json_t *origin = json_object(); /* list name -> file, for duplicate messages */
	const char *k;
	json_t *v;
	json_object_foreach(all, k, v) json_object_set_new(origin, k, json_string(path));
	snprintf(path, sizeof path, "%s/enums.d", rules_dir);
	DIR *d = opendir(path);
	char *names[256];
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) && n < 256) {
		size_t len = strlen(e->d_name);
		if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)
			names[n++] = strdup(e->d_name);
	}
	if (d)
		closedir(d);
	qsort(names, (size_t)n, sizeof names[0], cmp_str);
	int rc = 0;
	for (int i = 0; i < n; i++) {
		char file[1300];
		snprintf(file, sizeof file, "%s/%s", path, names[i]);
		json_t *more = rc == 0 ? load_file(file, err) : NULL;
		if (rc == 0 && !more)
			rc = -1;
		json_object_foreach(more, k, v) {
			if (rc == 0 && json_object_get(all, k)) {
				buf_addf(err, "%s: %s: list already defined in %s", file, k,
				         json_string_value(json_object_get(origin, k)));
				rc = -1;
			}
			json_object_set(all, k, v);
			json_object_set_new(origin, k, json_string(file));
		}
		json_decref(more);
		free(names[i]);
	}
	json_decref(origin);
	if (rc < 0) {
		json_decref(all);
		return -1;
	}
	json_decref(loaded);
	loaded = all;
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
