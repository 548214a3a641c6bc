/* Loading and checking rules/pathway/stages.json (see stage.h). The checked document is kept as it was read and
 * only ever read afterwards, so the lookups below need no locking once loading is over. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pathway/stage.h"
#include "pathway/stage_internal.h"

static json_t *loaded;
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

static int fail(struct buf *err, const char *path, const char *entry, const char *problem)
{
	buf_addf(err, "%s: %s: %s", path, entry, problem);
	return -1;
}

static bool only_keys(json_t *obj, const char *const *allowed, const char **bad)
{
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v) {
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(*a, k) == 0;
		if (!ok) {
			*bad = k;
			return false;
		}
	}
	return true;
}

static bool nonempty_string(json_t *v)
{
	return json_is_string(v) && *json_string_value(v);
}

static bool stage_known(json_t *doc, const char *code)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(doc, "stages"), i, s) {
		if (strcmp(json_string_value(json_object_get(s, "code")), code) == 0)
			return true;
	}
	return false;
}

static int check_stages(json_t *doc, const char *path, struct buf *err)
{
	static const char *const keys[] = {"code", "initial", "closes_case", "citation", NULL};
	json_t *stages = json_object_get(doc, "stages");
	if (!json_is_array(stages) || json_array_size(stages) == 0)
		return fail(err, path, "stages", "must be a non-empty array");
	int initial = 0;
	size_t i;
	json_t *s;
	char where[96];
	json_array_foreach(stages, i, s) {
		snprintf(where, sizeof where, "stages[%zu]", i);
		const char *bad;
		if (!json_is_object(s))
			return fail(err, path, where, "must be an object");
		if (!only_keys(s, keys, &bad))
			return fail(err, path, where, "unknown field");
		if (!nonempty_string(json_object_get(s, "code")) || !nonempty_string(json_object_get(s, "citation")))
			return fail(err, path, where, "needs a code and a citation");
		if (strlen(json_string_value(json_object_get(s, "code"))) >= STAGE_CODE_MAX)
			return fail(err, path, where, "code too long");
		for (size_t j = 0; j < i; j++)
			if (json_equal(json_object_get(json_array_get(stages, j), "code"), json_object_get(s, "code")))
				return fail(err, path, where, "duplicate stage code");
		if (json_is_true(json_object_get(s, "initial")))
			initial++;
	}
	if (initial != 1)
		return fail(err, path, "stages", "exactly one stage must be marked initial");
	return 0;
}

static int check_guard(json_t *g, const char *path, const char *where, struct buf *err)
{
	static const char *const keys[] = {"kind", "severity", "rule", "citation", "message", "field", "roles",
	                                   "event", "fact", NULL};
	const char *bad;
	if (!json_is_object(g))
		return fail(err, path, where, "a guard must be an object");
	if (!only_keys(g, keys, &bad))
		return fail(err, path, where, "unknown field in guard");
	const char *kind = json_string_value(json_object_get(g, "kind"));
	const char *sev = json_string_value(json_object_get(g, "severity"));
	if (!sev || (strcmp(sev, "enforce") && strcmp(sev, "warn")))
		return fail(err, path, where, "severity must be enforce or warn");
	if (!nonempty_string(json_object_get(g, "citation")) || !nonempty_string(json_object_get(g, "message")))
		return fail(err, path, where, "a guard needs a citation and a message");
	if (!kind)
		return fail(err, path, where, "a guard needs a kind");
	if (strcmp(kind, "role") == 0) {
		json_t *roles = json_object_get(g, "roles");
		if (!json_is_array(roles) || json_array_size(roles) == 0)
			return fail(err, path, where, "a role guard needs roles");
		size_t i;
		json_t *r;
		json_array_foreach(roles, i, r) if (!nonempty_string(r)) return fail(err, path, where, "roles are strings");
	} else if (strcmp(kind, "event") == 0) {
		if (!nonempty_string(json_object_get(g, "event")))
			return fail(err, path, where, "an event guard needs event");
	} else if (strcmp(kind, "fact") == 0) {
		if (!nonempty_string(json_object_get(g, "fact")))
			return fail(err, path, where, "a fact guard needs fact");
	} else if (strcmp(kind, "reason") != 0) {
		return fail(err, path, where, "kind must be role, reason, event or fact");
	}
	return 0;
}

static int check_transitions(json_t *doc, const char *path, struct buf *err)
{
	static const char *const keys[] = {"from", "to", "command", "citation", "guards", NULL};
	json_t *ts = json_object_get(doc, "transitions");
	if (!json_is_array(ts) || json_array_size(ts) == 0)
		return fail(err, path, "transitions", "must be a non-empty array");
	size_t i;
	json_t *t;
	char where[128];
	json_array_foreach(ts, i, t) {
		snprintf(where, sizeof where, "transitions[%zu]", i);
		const char *bad;
		if (!json_is_object(t) || !only_keys(t, keys, &bad))
			return fail(err, path, where, "must be an object with from, to, command, citation and guards");
		const char *from = json_string_value(json_object_get(t, "from"));
		const char *to = json_string_value(json_object_get(t, "to"));
		if (!from || !to || !stage_known(doc, from) || !stage_known(doc, to))
			return fail(err, path, where, "from and to must be stages listed in stages");
		if (!nonempty_string(json_object_get(t, "command")) || !nonempty_string(json_object_get(t, "citation")))
			return fail(err, path, where, "needs a command and a citation");
		for (size_t j = 0; j < i; j++) {
			json_t *o = json_array_get(ts, j);
			if (json_equal(json_object_get(o, "from"), json_object_get(t, "from")) &&
			    json_equal(json_object_get(o, "to"), json_object_get(t, "to")) &&
			    json_equal(json_object_get(o, "command"), json_object_get(t, "command")))
				return fail(err, path, where, "duplicate transition");
		}
		json_t *guards = json_object_get(t, "guards");
		if (!json_is_array(guards))
			return fail(err, path, where, "guards must be an array (possibly empty)");
		size_t k;
		json_t *g;
		int events = 0;
		json_array_foreach(guards, k, g) {
			if (json_is_object(g) && json_is_string(json_object_get(g, "kind")) &&
			    strcmp(json_string_value(json_object_get(g, "kind")), "event") == 0 && ++events > 1)
				return fail(err, path, where, "at most one event guard per transition");
			char gw[160];
			snprintf(gw, sizeof gw, "%s.guards[%zu]", where, k);
			if (check_guard(g, path, gw, err) < 0)
				return -1;
		}
	}
	return 0;
}

static int check_in_stage(json_t *doc, const char *path, struct buf *err)
{
	json_t *in = json_object_get(doc, "in_stage");
	if (!in)
		return 0;
	if (!json_is_object(in))
		return fail(err, path, "in_stage", "must be an object");
	const char *cmd;
	json_t *v;
	json_object_foreach(in, cmd, v) {
		static const char *const keys[] = {"stages", "citation", NULL};
		const char *bad;
		if (!json_is_object(v) || !only_keys(v, keys, &bad) || !nonempty_string(json_object_get(v, "citation")))
			return fail(err, path, cmd, "an in_stage command needs stages and a citation");
		json_t *stages = json_object_get(v, "stages");
		if (!json_is_array(stages) || json_array_size(stages) == 0)
			return fail(err, path, cmd, "stages must be a non-empty array");
		size_t i;
		json_t *s;
		json_array_foreach(stages, i, s) {
			if (!json_is_string(s) || !stage_known(doc, json_string_value(s)))
				return fail(err, path, cmd, "unknown stage");
		}
	}
	return 0;
}

static int check_outcomes(json_t *doc, const char *path, struct buf *err)
{
	json_t *out = json_object_get(doc, "outcomes");
	if (!out)
		return 0;
	if (!json_is_object(out))
		return fail(err, path, "outcomes", "must be an object");
	const char *list;
	json_t *v;
	json_object_foreach(out, list, v) {
		static const char *const keys[] = {"citation", "next", NULL};
		const char *bad;
		if (!json_is_object(v) || !only_keys(v, keys, &bad) || !nonempty_string(json_object_get(v, "citation")) ||
		    !json_is_object(json_object_get(v, "next")))
			return fail(err, path, list, "an outcome list needs a citation and next");
		const char *code;
		json_t *to;
		json_object_foreach(json_object_get(v, "next"), code, to) {
			if (!json_is_string(to) || !stage_known(doc, json_string_value(to)))
				return fail(err, path, list, "next names an unknown stage");
		}
	}
	return 0;
}

static int check_clock_variants(json_t *doc, const char *path, struct buf *err)
{
	json_t *cv = json_object_get(doc, "clock_variants");
	if (!cv)
		return 0;
	if (!json_is_object(cv))
		return fail(err, path, "clock_variants", "must be an object");
	const char *list;
	json_t *v;
	json_object_foreach(cv, list, v) {
		static const char *const keys[] = {"citation", "map", NULL};
		const char *bad;
		if (!json_is_object(v) || !only_keys(v, keys, &bad) || !nonempty_string(json_object_get(v, "citation")) ||
		    !json_is_object(json_object_get(v, "map")))
			return fail(err, path, list, "clock_variants needs a citation and a map");
		const char *code;
		json_t *arr;
		json_object_foreach(json_object_get(v, "map"), code, arr) {
			if (!json_is_array(arr) || json_array_size(arr) > STAGE_MAX_VARIANTS)
				return fail(err, path, list, "each code maps to an array of at most 8 variant codes");
			size_t i;
			json_t *x;
			json_array_foreach(arr, i, x) if (!nonempty_string(x)) return fail(err, path, list, "variant codes are strings");
		}
	}
	return 0;
}

static json_t *load_file(const char *path, struct buf *err)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		buf_addf(err, "%s: line %d: %s", path, jerr.line, jerr.text);
		return NULL;
	}
	static const char *const keys[] = {"version", "about",    "stages", "transitions", "in_stage",
	                                   "outcomes", "clock_variants", NULL};
	const char *bad;
	if (!json_is_object(doc) || !only_keys(doc, keys, &bad) || !nonempty_string(json_object_get(doc, "version"))) {
		fail(err, path, "(top)", "expected version, stages, transitions, in_stage and outcomes only");
		json_decref(doc);
		return NULL;
	}
	if (check_stages(doc, path, err) < 0 || check_transitions(doc, path, err) < 0 ||
	    check_in_stage(doc, path, err) < 0 || check_outcomes(doc, path, err) < 0 ||
	    check_clock_variants(doc, path, err) < 0) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

int stage_load(const char *rules_dir, struct buf *err)
{
	struct buf path;
	buf_init(&path, 4096);
	buf_addf(&path, "%s/pathway/stages.json", rules_dir);
	json_t *doc = load_file(buf_str(&path), err);
	buf_free(&path);
	if (!doc)
		return -1;
	pthread_mutex_lock(&load_lock);
	json_t *old = loaded;
	loaded = doc;
	pthread_mutex_unlock(&load_lock);
	json_decref(old);
	return 0;
}

void stage_free(void)
{
	pthread_mutex_lock(&load_lock);
	json_decref(loaded);
	loaded = NULL;
	pthread_mutex_unlock(&load_lock);
}

int stage_ensure_loaded(const char *rules_dir, struct buf *err)
{
	pthread_mutex_lock(&load_lock);
	bool have = loaded != NULL;
	pthread_mutex_unlock(&load_lock);
	return have ? 0 : stage_load(rules_dir, err);
}

json_t *stage_rules(struct buf *err)
{
	pthread_mutex_lock(&load_lock);
	json_t *doc = loaded;
	pthread_mutex_unlock(&load_lock);
	if (doc)
		return doc;
	const char *home = getenv("SAFEGUARD_HOME");
	struct buf dir;
	buf_init(&dir, 4096);
	buf_addf(&dir, "%s/rules", home && *home ? home : ".");
	int rc = stage_load(buf_str(&dir), err);
	buf_free(&dir);
	if (rc < 0)
		return NULL;
	pthread_mutex_lock(&load_lock);
	doc = loaded;
	pthread_mutex_unlock(&load_lock);
	return doc;
}

json_t *stage_find_transition(json_t *doc, const char *from, const char *to, const char *command)
{
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(doc, "transitions"), i, t) {
		if (strcmp(json_string_value(json_object_get(t, "from")), from) == 0 &&
		    strcmp(json_string_value(json_object_get(t, "to")), to) == 0 &&
		    strcmp(json_string_value(json_object_get(t, "command")), command) == 0)
			return t;
	}
	return NULL;
}

bool stage_closes_case(json_t *doc, const char *code)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(doc, "stages"), i, s) {
		if (strcmp(json_string_value(json_object_get(s, "code")), code) == 0)
			return json_is_true(json_object_get(s, "closes_case"));
	}
	return false;
}

const char *stage_initial(json_t *doc)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(doc, "stages"), i, s) {
		if (json_is_true(json_object_get(s, "initial")))
			return json_string_value(json_object_get(s, "code"));
	}
	return NULL;
}

bool stage_allowed(const char *from, const char *to, const char *command)
{
	struct buf err;
	buf_init(&err, 4096);
	json_t *doc = stage_rules(&err);
	buf_free(&err);
	return doc && from && to && command && stage_find_transition(doc, from, to, command);
}

const char *stage_outcome_next(const char *list, const char *code)
{
	struct buf err;
	buf_init(&err, 4096);
	json_t *doc = stage_rules(&err);
	buf_free(&err);
	if (!doc || !list || !code)
		return NULL;
	json_t *next = json_object_get(json_object_get(json_object_get(doc, "outcomes"), list), "next");
	return json_string_value(json_object_get(next, code));
}

json_t *stage_commands_from(const char *stage)
{
	json_t *out = json_array();
	struct buf err;
	buf_init(&err, 4096);
	json_t *doc = stage_rules(&err);
	buf_free(&err);
	if (!doc || !stage)
		return out;
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(doc, "transitions"), i, t) {
		if (strcmp(json_string_value(json_object_get(t, "from")), stage) == 0)
			json_array_append_new(out, json_pack("{s:O, s:O}", "command", json_object_get(t, "command"), "to",
			                                     json_object_get(t, "to")));
	}
	const char *cmd;
	json_t *v;
	json_object_foreach(json_object_get(doc, "in_stage"), cmd, v) {
		json_array_foreach(json_object_get(v, "stages"), i, t) {
			if (strcmp(json_string_value(t), stage) == 0) {
				json_array_append_new(out, json_pack("{s:s}", "command", cmd));
				break;
			}
		}
	}
	return out;
}

int stage_clock_variants(const char *list, const char *code, const char **out, int max)
{
	struct buf err;
	buf_init(&err, 4096);
	json_t *doc = stage_rules(&err);
	buf_free(&err);
	if (!doc || !list || !code)
		return 0;
	json_t *arr = json_object_get(json_object_get(json_object_get(json_object_get(doc, "clock_variants"), list), "map"),
	                              code);
	int n = 0;
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x) {
		if (n < max)
			out[n++] = json_string_value(x);
	}
	return n;
}
