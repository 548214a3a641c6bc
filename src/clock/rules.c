/* The clock rule set: finding the files, loading them in a fixed order, cross-file checks and lookups. */
#include "clock/rules.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock/rules_internal.h"
#include "core/xmalloc.h"

#define EVENTS_FILE "events.json"
#define MAX_RULE_FILES 64

static void grow(void **arr, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return;
	size_t n = *cap ? *cap * 2 : 16;
	while (n < need)
		n *= 2;
	*arr = xrealloc(*arr, n * size);
	*cap = n;
}

const char *clock_rules_pool(struct clock_rules *set, const char *s)
{
	grow((void **)&set->strs, &set->cap_strs, set->n_strs + 1, sizeof(char *));
	set->strs[set->n_strs] = xstrdup(s);
	return set->strs[set->n_strs++];
}

void clock_rules_free(struct clock_rules *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n_strs; i++)
		free(set->strs[i]);
	free(set->strs);
	free(set->rules);
	free(set->events);
	free(set->aliases);
	free(set->additions);
	free(set);
}

static json_t *load_json(struct clock_parse *p)
{
	json_error_t jerr;
	json_t *root = json_load_file(p->file, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		if (jerr.line > 0)
			buf_addf(p->err, "%s: line %d: %s", p->file, jerr.line, jerr.text);
		else
			buf_addf(p->err, "%s: %s", p->file, jerr.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		buf_addf(p->err, "%s: top level: must be a JSON object", p->file);
		json_decref(root);
		return NULL;
	}
	return root;
}

/* Top-level keys other than the known ones are errors too, so a misspelt "rules" cannot silently load nothing. */
static int check_top(struct clock_parse *p, json_t *root, const char *const *allowed)
{
	const char *key;
	json_t *val;
	json_object_foreach(root, key, val) {
		int ok = 0;
		for (int i = 0; allowed[i]; i++)
			ok |= strcmp(allowed[i], key) == 0;
		if (!ok)
			return clock_rules_fail(p, "top level", "unknown field \"%s\"", key);
	}
	return 0;
}

static json_t *get_list(struct clock_parse *p, json_t *root, const char *key, bool required)
{
	json_t *v = json_object_get(root, key);
	if (!v) {
		if (required)
			clock_rules_fail(p, "top level", "missing %s", key);
		return NULL;
	}
	if (!json_is_array(v)) {
		clock_rules_fail(p, "top level", "%s must be a list", key);
		return NULL;
	}
	return v;
}

static int load_events(struct clock_rules *set, const char *path, struct buf *err)
{
	static const char *const top[] = {"about", "events", NULL};
	struct clock_parse p = {.set = set, .file = path, .err = err};
	int rc = -1;
	json_t *root = load_json(&p);
	if (!root)
		return -1;
	json_t *list;
	if (check_top(&p, root, top) < 0 || !(list = get_list(&p, root, "events", true)))
		goto out;
	for (size_t i = 0; i < json_array_size(list); i++) {
		char entry[48];
		struct clock_event ev;
		snprintf(entry, sizeof(entry), "events[%zu]", i);
		if (clock_rules_parse_event(&p, entry, json_array_get(list, i), &ev) < 0)
			goto out;
		if (clock_rules_event_known(set, ev.code)) {
			clock_rules_fail(&p, ev.code, "duplicate event code");
			goto out;
		}
		grow((void **)&set->events, &set->cap_events, set->n_events + 1, sizeof(*set->events));
		set->events[set->n_events++] = ev;
	}
	if (set->n_events == 0) {
		clock_rules_fail(&p, "top level", "no events");
		goto out;
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

static const struct clock_rule *find_rule(const struct clock_rules *set, const char *id)
{
	for (size_t i = 0; i < set->n_rules; i++)
		if (strcmp(set->rules[i].id, id) == 0)
			return &set->rules[i];
	return NULL;
}

static int load_rule_file(struct clock_rules *set, const char *path, struct buf *err)
{
	static const char *const top[] = {"source", "about", "rules", "variants", "aliases", NULL};
	struct clock_parse p = {.set = set, .file = clock_rules_pool(set, path), .err = err};
	int rc = -1;
	char entry[48];
	json_t *root = load_json(&p);
	if (!root)
		return -1;
	json_t *rules, *adds = NULL, *aliases = NULL;
	json_t *source = json_object_get(root, "source");
	if (check_top(&p, root, top) < 0)
		goto out;
	if (!json_is_string(source) || json_string_length(source) == 0) {
		clock_rules_fail(&p, "top level", "missing source (the document and version the citations refer to)");
		goto out;
	}
	if (!(rules = get_list(&p, root, "rules", true)))
		goto out;
	if ((json_object_get(root, "variants") && !(adds = get_list(&p, root, "variants", false))) ||
	    (json_object_get(root, "aliases") && !(aliases = get_list(&p, root, "aliases", false))))
		goto out;
	for (size_t i = 0; i < json_array_size(rules); i++) {
		struct clock_rule r;
		snprintf(entry, sizeof(entry), "rules[%zu]", i);
		if (clock_rules_parse_rule(&p, entry, json_array_get(rules, i), &r) < 0)
			goto out;
		const struct clock_rule *dup = find_rule(set, r.id);
		if (dup) {
			clock_rules_fail(&p, r.id, "duplicate id (also defined in %s)", dup->file);
			goto out;
		}
		grow((void **)&set->rules, &set->cap_rules, set->n_rules + 1, sizeof(*set->rules));
		set->rules[set->n_rules++] = r;
	}
	for (size_t i = 0; adds && i < json_array_size(adds); i++) {
		struct clock_addition a;
		snprintf(entry, sizeof(entry), "variants[%zu]", i);
		if (clock_rules_parse_addition(&p, entry, json_array_get(adds, i), &a) < 0)
			goto out;
		grow((void **)&set->additions, &set->cap_additions, set->n_additions + 1, sizeof(*set->additions));
		set->additions[set->n_additions++] = a;
	}
	for (size_t i = 0; aliases && i < json_array_size(aliases); i++) {
		struct clock_alias a;
		snprintf(entry, sizeof(entry), "aliases[%zu]", i);
		if (clock_rules_parse_alias(&p, entry, json_array_get(aliases, i), &a) < 0)
			goto out;
		grow((void **)&set->aliases, &set->cap_aliases, set->n_aliases + 1, sizeof(*set->aliases));
		set->aliases[set->n_aliases++] = a;
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

/* Variants written in another chapter's file join their rule once every file is in. */
static int attach_additions(struct clock_rules *set, struct buf *err)
{
	for (size_t i = 0; i < set->n_additions; i++) {
		struct clock_addition *a = &set->additions[i];
		struct clock_parse p = {.set = set, .file = a->variant.file, .err = err};
		struct clock_rule *r = (struct clock_rule *)find_rule(set, a->rule_id);
		if (!r)
			return clock_rules_fail(&p, a->entry, "adds a variant to unknown rule %s", a->rule_id);
		if (strcmp(r->variants[0].code, "default") == 0)
			return clock_rules_fail(&p, a->entry, "rule %s has no variants to add to", a->rule_id);
		if (r->n_variants >= CLOCK_MAX_VARIANTS)
			return clock_rules_fail(&p, a->entry, "rule %s already has %d variants", a->rule_id,
						CLOCK_MAX_VARIANTS);
		if (!a->variant.responsible_role)
			a->variant.responsible_role = r->responsible_role;
		r->variants[r->n_variants++] = a->variant;
	}
	return 0;
}

/* Where an id is already used: a rule, another rule's variant, or an alias. */
static const char *id_owner(const struct clock_rules *set, const char *id, const void *self)
{
	for (size_t i = 0; i < set->n_rules; i++) {
		const struct clock_rule *r = &set->rules[i];
		if (r != self && strcmp(r->id, id) == 0)
			return r->file;
		for (int j = 0; j < r->n_variants; j++) {
			const struct clock_variant *v = &r->variants[j];
			if (v != self && v->id && strcmp(v->id, id) == 0 && strcmp(v->id, r->id) != 0)
				return v->file;
		}
	}
	for (size_t i = 0; i < set->n_aliases; i++)
		if (&set->aliases[i] != self && strcmp(set->aliases[i].id, id) == 0)
			return set->aliases[i].file;
	return NULL;
}

static int check_set(struct clock_rules *set, struct buf *err)
{
	for (size_t i = 0; i < set->n_rules; i++) {
		const struct clock_rule *r = &set->rules[i];
		if (clock_rules_check_rule(r, err) < 0)
			return -1;
		for (int j = 0; j < r->n_variants; j++) {
			const struct clock_variant *v = &r->variants[j];
			const char *other;
			/* A variant may carry its own rule's id (the row it encodes); any other id must be unique. */
			if (!v->id || strcmp(v->id, r->id) == 0)
				continue;
			if ((other = id_owner(set, v->id, v))) {
				struct clock_parse p = {.set = set, .file = v->file, .err = err};
				return clock_rules_fail(&p, r->id, "variant %s: duplicate id %s (also in %s)", v->code,
							v->id, other);
			}
		}
	}
	for (size_t i = 0; i < set->n_aliases; i++) {
		const struct clock_alias *a = &set->aliases[i];
		struct clock_parse p = {.set = set, .file = a->file, .err = err};
		const struct clock_rule *r = find_rule(set, a->rule_id);
		const char *other = id_owner(set, a->id, a);
		if (other)
			return clock_rules_fail(&p, a->id, "duplicate id (also in %s)", other);
		if (!r)
			return clock_rules_fail(&p, a->id, "alias of unknown rule %s", a->rule_id);
		if (a->variant_code && !clock_rules_variant(r, a->variant_code))
			return clock_rules_fail(&p, a->id, "alias of unknown variant %s of %s", a->variant_code, r->id);
	}
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The rule files of rules_dir/clocks in name order, so the load order (and the first error) is reproducible. */
static int list_rule_files(const char *dir, char **names, size_t *n, struct buf *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	*n = 0;
	if (!d) {
		buf_addf(err, "%s: cannot open the clock rules directory", dir);
		return -1;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".json") != 0 ||
		    strcmp(e->d_name, EVENTS_FILE) == 0)
			continue;
		if (*n == MAX_RULE_FILES) {
			buf_addf(err, "%s: more than %d rule files", dir, MAX_RULE_FILES);
			closedir(d);
			return -1;
		}
		names[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, *n, sizeof(*names), cmp_names);
	if (*n == 0) {
		buf_addf(err, "%s: no clock rule files", dir);
		return -1;
	}
	return 0;
}

int clock_rules_load(struct clock_rules **out, const char *rules_dir, struct buf *err)
{
	struct clock_rules *set = xcalloc(1, sizeof(*set));
	char *names[MAX_RULE_FILES];
	size_t n_names = 0;
	struct buf path = {0};
	int rc = -1;
	*out = NULL;

	buf_addf(&path, "%s/clocks", rules_dir);
	char *dir = buf_detach(&path);
	buf_addf(&path, "%s/%s", dir, EVENTS_FILE);
	if (load_events(set, buf_str(&path), err) < 0 || list_rule_files(dir, names, &n_names, err) < 0)
		goto out;
	for (size_t i = 0; i < n_names; i++) {
		buf_reset(&path);
		buf_addf(&path, "%s/%s", dir, names[i]);
		if (load_rule_file(set, buf_str(&path), err) < 0)
			goto out;
	}
	if (attach_additions(set, err) < 0 || check_set(set, err) < 0)
		goto out;
	*out = set;
	set = NULL;
	rc = 0;
out:
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	free(dir);
	buf_free(&path);
	clock_rules_free(set);
	return rc;
}

size_t clock_rules_count(const struct clock_rules *set)
{
	return set->n_rules;
}

const struct clock_rule *clock_rules_at(const struct clock_rules *set, size_t i)
{
	return i < set->n_rules ? &set->rules[i] : NULL;
}

const struct clock_variant *clock_rules_variant(const struct clock_rule *rule, const char *code)
{
	for (int i = 0; i < rule->n_variants; i++)
		if (strcmp(rule->variants[i].code, code) == 0)
			return &rule->variants[i];
	return NULL;
}

int clock_rules_find(const struct clock_rules *set, const char *id, const struct clock_rule **rule,
		     const struct clock_variant **variant)
{
	const struct clock_rule *r = find_rule(set, id);
	const struct clock_variant *v = r ? &r->variants[0] : NULL;
	for (size_t i = 0; !r && i < set->n_rules; i++)
		for (int j = 0; j < set->rules[i].n_variants; j++)
			if (set->rules[i].variants[j].id && strcmp(set->rules[i].variants[j].id, id) == 0) {
				r = &set->rules[i];
				v = &r->variants[j];
				break;
			}
	for (size_t i = 0; !r && i < set->n_aliases; i++)
		if (strcmp(set->aliases[i].id, id) == 0) {
			r = find_rule(set, set->aliases[i].rule_id);
			v = set->aliases[i].variant_code ? clock_rules_variant(r, set->aliases[i].variant_code)
							  : &r->variants[0];
		}
	if (!r)
		return -1;
	if (rule)
		*rule = r;
	if (variant)
		*variant = v;
	return 0;
}

static bool listed(const char *const *arr, int n, const char *code)
{
	for (int i = 0; i < n; i++)
		if (strcmp(arr[i], code) == 0)
			return true;
	return false;
}

size_t clock_rules_by_start_event(const struct clock_rules *set, const char *event, const struct clock_rule **out,
				  size_t max)
{
	size_t total = 0;
	for (size_t i = 0; i < set->n_rules; i++) {
		const struct clock_rule *r = &set->rules[i];
		bool hit = r->kind == CLOCK_RECURRING && listed(r->stop_events, r->n_stop_events, event);
		for (int j = 0; !hit && j < r->n_variants; j++)
			hit = r->variants[j].enabled &&
			      listed(r->variants[j].start_events, r->variants[j].n_start_events, event);
		if (!hit || !r->enabled)
			continue;
		if (total < max)
			out[total] = r;
		total++;
	}
	return total;
}

size_t clock_rules_event_count(const struct clock_rules *set)
{
	return set->n_events;
}

const struct clock_event *clock_rules_event_at(const struct clock_rules *set, size_t i)
{
	return i < set->n_events ? &set->events[i] : NULL;
}

bool clock_rules_event_known(const struct clock_rules *set, const char *code)
{
	for (size_t i = 0; i < set->n_events; i++)
		if (strcmp(set->events[i].code, code) == 0)
			return true;
	return false;
}
