#include "support/catalogue.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock/rules.h"
#include "core/xmalloc.h"
#include "domain/enums.h"
#include "support/catalogue_internal.h"
#include "support/schema.h"

#define MAX_FILES 64

/* A reference seen while checking fields, resolved once every file is loaded. */
struct pending_ref {
	const char *file, *entry, *field, *target, *kind;
};

struct loader {
	struct support_catalogue *cat;
	const struct clock_rules *clocks;
	struct buf *err;
	struct pending_ref *refs;
	size_t nrefs, caprefs;
	json_t *strings; /* keeps the strings pending refs point into alive */
};

static int fail(struct loader *ld, const char *file, const char *entry, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(struct loader *ld, const char *file, const char *entry, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_addf(ld->err, "%s: %s: ", file, entry);
	buf_vaddf(ld->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* Interns s so a pending reference can keep pointing at it after the documents change hands. */
static const char *keep(struct loader *ld, const char *s)
{
	json_t *v = json_string(s);
	json_array_append_new(ld->strings, v);
	return json_string_value(v);
}

static void add_ref(struct loader *ld, const char *file, const char *entry, const char *field, const char *target,
                    const char *kind)
{
	if (ld->nrefs == ld->caprefs) {
		ld->caprefs = ld->caprefs ? ld->caprefs * 2 : 256;
		ld->refs = xrealloc(ld->refs, ld->caprefs * sizeof *ld->refs);
	}
	ld->refs[ld->nrefs++] = (struct pending_ref){keep(ld, file), keep(ld, entry), field, keep(ld, target), kind};
}

static int register_id(struct loader *ld, const char *file, const char *id, const char *kind, json_t *entry)
{
	json_t *prev = json_object_get(ld->cat->index, id);
	if (prev)
		return fail(ld, file, id, "duplicate id (already defined in %s)", support_str(prev, "file"));
	json_object_set_new(ld->cat->index, id, json_pack("{s:s, s:s, s:O}", "file", file, "kind", kind, "entry", entry));
	return 0;
}

static int check_fields(struct loader *ld, const char *file, const char *label, const char *kind, json_t *obj,
                        const struct schema_field *fields);

static int check_value(struct loader *ld, const char *file, const char *label, const char *kind,
                       const struct schema_field *f, json_t *v)
{
	size_t i;
	json_t *item;
	switch (f->kind) {
	case SCHEMA_ID:
		if (!json_is_string(v) || !*json_string_value(v))
			return fail(ld, file, label, "id must be a non-empty string");
		return 0;
	case SCHEMA_TEXT:
		if (!json_is_string(v) || !*json_string_value(v))
			return fail(ld, file, label, "field \"%s\" must be a non-empty string", f->name);
		return 0;
	case SCHEMA_INT:
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return fail(ld, file, label, "field \"%s\" must be a whole number, 0 or more", f->name);
		return 0;
	case SCHEMA_BOOL:
		if (!json_is_boolean(v))
			return fail(ld, file, label, "field \"%s\" must be true or false", f->name);
		return 0;
	case SCHEMA_EVENT:
		if (!json_is_string(v))
			return fail(ld, file, label, "field \"%s\" must be a clock event code", f->name);
		if (ld->clocks && !clock_rules_event_known(ld->clocks, json_string_value(v)))
			return fail(ld, file, label, "field \"%s\": unknown clock event \"%s\" (not in clocks/events.json)",
			            f->name, json_string_value(v));
		return 0;
	case SCHEMA_ENUM:
		if (!json_is_string(v) || !enums_label(f->arg, json_string_value(v)))
			return fail(ld, file, label, "field \"%s\": unknown value %s%s%s (not in enumeration %s)", f->name,
			            json_is_string(v) ? "\"" : "", json_is_string(v) ? json_string_value(v) : "(not a string)",
			            json_is_string(v) ? "\"" : "", f->arg);
		return 0;
	case SCHEMA_REF:
		if (!json_is_string(v) || !*json_string_value(v))
			return fail(ld, file, label, "field \"%s\" must be an id", f->name);
		add_ref(ld, file, label, f->name, json_string_value(v), f->arg);
		return 0;
	case SCHEMA_ENUM_LIST:
	case SCHEMA_TEXT_LIST:
	case SCHEMA_REF_LIST:
	case SCHEMA_OBJ_LIST:
		break;
	}
	if (!json_is_array(v))
		return fail(ld, file, label, "field \"%s\" must be an array", f->name);
	json_array_foreach(v, i, item) {
		if (f->kind == SCHEMA_OBJ_LIST) {
			char sub[256];
			json_t *id = json_object_get(item, "id");
			if (json_is_string(id))
				snprintf(sub, sizeof sub, "%s", json_string_value(id));
			else
				snprintf(sub, sizeof sub, "%s.%s[%zu]", label, f->name, i);
			if (!json_is_object(item))
				return fail(ld, file, sub, "each item of \"%s\" must be an object", f->name);
			char subkind[160];
			snprintf(subkind, sizeof subkind, "%s.%s", kind, f->name);
			if (check_fields(ld, file, sub, subkind, item, f->sub) < 0)
				return -1;
			continue;
		}
		if (!json_is_string(item) || !*json_string_value(item))
			return fail(ld, file, label, "field \"%s\": item %zu must be a non-empty string", f->name, i);
		const char *s = json_string_value(item);
		for (size_t j = 0; j < i; j++)
			if (strcmp(json_string_value(json_array_get(v, j)), s) == 0)
				return fail(ld, file, label, "field \"%s\": \"%s\" is listed twice", f->name, s);
		if (f->kind == SCHEMA_ENUM_LIST && !enums_label(f->arg, s))
			return fail(ld, file, label, "field \"%s\": unknown value \"%s\" (not in enumeration %s)", f->name, s,
			            f->arg);
		if (f->kind == SCHEMA_REF_LIST)
			add_ref(ld, file, label, f->name, s, f->arg);
	}
	return 0;
}

static int check_fields(struct loader *ld, const char *file, const char *label, const char *kind, json_t *obj,
                        const struct schema_field *fields)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		const struct schema_field *f = fields;
		while (f->name && strcmp(f->name, key))
			f++;
		if (!f->name)
			return fail(ld, file, label, "unknown field \"%s\"", key);
	}
	for (const struct schema_field *f = fields; f->name; f++) {
		v = json_object_get(obj, f->name);
		if (!v || json_is_null(v)) {
			if (!f->required)
				continue;
			if (strcmp(f->name, "citation") == 0)
				return fail(ld, file, label, "missing citation");
			return fail(ld, file, label, "missing field \"%s\"", f->name);
		}
		if (check_value(ld, file, label, kind, f, v) < 0)
			return -1;
	}
	for (const struct schema_field *f = fields; f->name; f++)
		if (f->kind == SCHEMA_ID)
			return register_id(ld, file, json_string_value(json_object_get(obj, f->name)), kind, obj);
	return 0;
}

static const struct schema_catalogue *schema_named(const char *name)
{
	for (const struct schema_catalogue *c = support_schema_catalogues; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static int load_file(struct loader *ld, const char *path)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc)
		return fail(ld, path, "(file)", "line %d: %s", jerr.line, jerr.text);
	int rc = -1;
	const char *name = support_str(doc, "catalogue");
	const struct schema_catalogue *sc = name ? schema_named(name) : NULL;
	if (!json_is_object(doc) || !sc) {
		fail(ld, path, "(top)", "\"catalogue\" must name one of alerting_features, vulnerability_factors, "
		                        "neglect, capacity_to_change, interventions");
		goto out;
	}
	if (json_object_get(ld->cat->docs, name)) {
		fail(ld, path, "(top)", "catalogue %s is already loaded from %s", name,
		     support_str(ld->cat->files, name));
		goto out;
	}
	const char *key;
	json_t *v;
	json_object_foreach(doc, key, v) {
		bool known = !strcmp(key, "catalogue") || !strcmp(key, "version") || !strcmp(key, "about");
		for (const struct schema_section *s = sc->sections; !known && s->name; s++)
			known = strcmp(s->name, key) == 0;
		if (!known) {
			fail(ld, path, "(top)", "unknown field \"%s\"", key);
			goto out;
		}
	}
	if (!support_str(doc, "version") || !support_str(doc, "about")) {
		fail(ld, path, "(top)", "\"version\" and \"about\" must be strings");
		goto out;
	}
	for (const struct schema_section *s = sc->sections; s->name; s++) {
		json_t *arr = json_object_get(doc, s->name);
		if (!json_is_array(arr)) {
			fail(ld, path, "(top)", "missing section \"%s\" (an array)", s->name);
			goto out;
		}
		char kind[128];
		snprintf(kind, sizeof kind, "%s.%s", name, s->name);
		size_t i;
		json_t *e;
		json_array_foreach(arr, i, e) {
			char label[160];
			json_t *id = json_object_get(e, "id");
			if (json_is_string(id) && *json_string_value(id))
				snprintf(label, sizeof label, "%s", json_string_value(id));
			else
				snprintf(label, sizeof label, "%s[%zu]", s->name, i);
			if (!json_is_object(e)) {
				fail(ld, path, label, "each entry must be an object");
				goto out;
			}
			if (check_fields(ld, path, label, kind, e, s->fields) < 0)
				goto out;
		}
	}
	json_object_set(ld->cat->docs, name, doc);
	json_object_set_new(ld->cat->files, name, json_string(path));
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

static int resolve_refs(struct loader *ld)
{
	for (size_t i = 0; i < ld->nrefs; i++) {
		const struct pending_ref *r = &ld->refs[i];
		json_t *target = json_object_get(ld->cat->index, r->target);
		if (!target)
			return fail(ld, r->file, r->entry, "field \"%s\" refers to \"%s\", which is not defined", r->field,
			            r->target);
		if (r->kind && strcmp(support_str(target, "kind"), r->kind))
			return fail(ld, r->file, r->entry, "field \"%s\" refers to \"%s\", which is in %s, not in %s", r->field,
			            r->target, support_str(target, "kind"), r->kind);
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int support_catalogue_load(struct support_catalogue **out, const char *rules_dir, const struct clock_rules *clocks,
                           struct buf *err)
{
	*out = NULL;
	struct support_catalogue *cat = xcalloc(1, sizeof *cat);
	cat->docs = json_object();
	cat->files = json_object();
	cat->index = json_object();
	cat->empty = json_array();
	struct loader ld = {.cat = cat, .clocks = clocks, .err = err, .strings = json_array()};
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/support", rules_dir);
	char *names[MAX_FILES];
	int n = 0, rc = -1;
	DIR *d = opendir(dir);
	if (!d) {
		buf_addf(err, "%s: (directory): cannot open the support catalogues", dir);
		goto out;
	}
	struct dirent *de;
	while ((de = readdir(d)) && n < MAX_FILES) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] != '.' && len > 5 && strcmp(de->d_name + len - 5, ".json") == 0)
			names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof names[0], cmp_str);
	int bad = 0;
	for (int i = 0; i < n; i++) {
		char path[1400];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (!bad && load_file(&ld, path) < 0)
			bad = 1;
		free(names[i]);
	}
	if (bad)
		goto out;
	for (const struct schema_catalogue *c = support_schema_catalogues; c->name; c++) {
		if (!json_object_get(cat->docs, c->name)) {
			buf_addf(err, "%s: %s: catalogue missing (no file declares \"catalogue\": \"%s\")", dir, c->name,
			         c->name);
			goto out;
		}
	}
	if (resolve_refs(&ld) < 0 || support_catalogue_check_rules(cat, err) < 0)
		goto out;
	*out = cat;
	cat = NULL;
	rc = 0;
out:
	free(ld.refs);
	json_decref(ld.strings);
	support_catalogue_free(cat);
	return rc;
}

void support_catalogue_free(struct support_catalogue *cat)
{
	if (!cat)
		return;
	json_decref(cat->docs);
	json_decref(cat->files);
	json_decref(cat->index);
	json_decref(cat->empty);
	free(cat);
}

json_t *support_catalogue_get(const struct support_catalogue *cat, const char *id)
{
	return id ? json_object_get(json_object_get(cat->index, id), "entry") : NULL;
}

const char *support_catalogue_kind(const struct support_catalogue *cat, const char *id)
{
	return id ? support_str(json_object_get(cat->index, id), "kind") : NULL;
}

json_t *support_catalogue_list(const struct support_catalogue *cat, const char *catalogue, const char *section)
{
	json_t *arr = json_object_get(json_object_get(cat->docs, catalogue), section);
	return arr ? arr : cat->empty;
}

json_t *support_catalogue_find(const struct support_catalogue *cat, const char *catalogue, const char *section,
                               const char *key, const char *value)
{
	size_t i;
	json_t *e;
	json_array_foreach(support_catalogue_list(cat, catalogue, section), i, e) {
		const char *v = support_str(e, key);
		if (v && value && strcmp(v, value) == 0)
			return e;
	}
	return NULL;
}

json_t *support_catalogue_all(const struct support_catalogue *cat)
{
	return json_deep_copy(cat->docs);
}

const char *support_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

long long support_int(const json_t *obj, const char *key, long long fallback)
{
	json_t *v = json_object_get(obj, key);
	return json_is_integer(v) ? (long long)json_integer_value(v) : fallback;
}

bool support_bool(const json_t *obj, const char *key, bool fallback)
{
	json_t *v = json_object_get(obj, key);
	return json_is_boolean(v) ? json_is_true(v) : fallback;
}

bool support_has(const json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	if (!s)
		return false;
	json_array_foreach(arr, i, v) {
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	}
	return false;
}
