#include "policy/policy.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/id.h"

enum relation { REL_ANY = 1, REL_ALLOCATED = 2, REL_TEAM = 4, REL_INVOLVED = 8, REL_CREATOR = 16 };

static const struct {
	const char *name;
	enum relation rel;
} relation_names[] = {
	{"any", REL_ANY}, {"allocated", REL_ALLOCATED}, {"team", REL_TEAM},
	{"involved", REL_INVOLVED}, {"creator", REL_CREATOR},
};

static json_t *actions;    /* {"action": {"grants": [{"role","relation"}], "unlocks"?: ["action"]}} */
static json_t *spec_roles; /* {"role": "CSC_FLM,CSC_..."} */
/* Derived from actions when loaded, so that a request's checks are two hash look-ups rather than a walk of every
 * grant (and, for emergency access, of every action): */
static json_t *grant_bits;  /* {"action": {"role": relation bits}} */
static json_t *unlocked_by; /* {"action": ["action whose live grant unlocks it", ...]} */
static int break_glass_seconds = 3600; /* from the "break_glass" object of an access file; 60 minutes if none */

static int relation_bit(const char *name)
{
	for (size_t i = 0; i < sizeof relation_names / sizeof relation_names[0]; i++)
		if (strcmp(relation_names[i].name, name) == 0)
			return relation_names[i].rel;
	return 0;
}

static int load_roles(const char *rules_dir, json_t **roles, struct buf *err)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/roles.json", rules_dir);
	json_error_t jerr;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		buf_addf(err, "%s: line %d: %s", path, jerr.line, jerr.text);
		return -1;
	}
	*roles = json_object();
	json_decref(spec_roles);
	spec_roles = json_object();
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(doc, "roles"), i, r) {
		json_t *code = json_object_get(r, "code");
		if (!json_is_string(code))
			continue;
		json_object_set_new(*roles, json_string_value(code), json_true());
		char csv[512] = "";
		size_t j, len = 0;
		json_t *sr;
		json_array_foreach(json_object_get(r, "spec_roles"), j, sr) {
			if (json_is_string(sr) && len + 1 < sizeof csv)
				len += (size_t)snprintf(csv + len, sizeof csv - len, "%s%s", len ? "," : "",
				                        json_string_value(sr));
		}
		json_object_set_new(spec_roles, json_string_value(code), json_string(csv));
	}
	json_decref(doc);
	return 0;
}

static bool break_glass_set;

/* The optional top-level {"minutes": N, "citation": "..."}: how long one use of emergency access lasts. At most one
 * access file may set it. */
static int load_break_glass(const char *path, json_t *bg, struct buf *err)
{
	if (!bg)
		return 0;
	json_t *m = json_object_get(bg, "minutes");
	if (break_glass_set) {
		buf_addf(err, "%s: break_glass: already set in another access file", path);
		return -1;
	}
	if (!json_is_integer(m) || json_integer_value(m) < 1 || json_integer_value(m) > 24 * 60) {
		buf_addf(err, "%s: break_glass: minutes must be a whole number from 1 to 1440", path);
		return -1;
	}
	if (!json_is_string(json_object_get(bg, "citation"))) {
		buf_addf(err, "%s: break_glass: missing citation", path);
		return -1;
	}
	break_glass_set = true;
	break_glass_seconds = (int)json_integer_value(m) * 60;
	return 0;
}

/* Checks one access file and adds its actions to into; an action defined twice is an error. */
static int load_actions_file(const char *path, json_t *roles, json_t *into, struct buf *err)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	int rc = -1;
	if (!doc) {
		buf_addf(err, "%s: line %d: %s", path, jerr.line, jerr.text);
		return -1;
	}
	json_t *acts = json_object_get(doc, "actions");
	if (!json_is_object(acts)) {
		buf_addf(err, "%s: (top): expected an \"actions\" object", path);
		goto out;
	}
	const char *name;
	json_t *a;
	json_object_foreach(acts, name, a) {
		const char *k;
		json_t *v;
		if (json_object_get(into, name)) {
			buf_addf(err, "%s: %s: action already defined in another access file", path, name);
			goto out;
		}
		json_object_foreach(a, k, v) {
			if (strcmp(k, "description") && strcmp(k, "citation") && strcmp(k, "grants") && strcmp(k, "unlocks")) {
				buf_addf(err, "%s: %s: unknown field %s", path, name, k);
				goto out;
			}
		}
		if (!json_is_string(json_object_get(a, "citation"))) {
			buf_addf(err, "%s: %s: missing citation", path, name);
			goto out;
		}
		size_t i;
		json_t *g;
		json_array_foreach(json_object_get(a, "grants"), i, g) {
			const char *role = json_string_value(json_object_get(g, "role"));
			const char *rel = json_string_value(json_object_get(g, "relation"));
			if (!role || !json_object_get(roles, role)) {
				buf_addf(err, "%s: %s: grant %zu names an unknown role", path, name, i);
				goto out;
			}
			if (!rel || !relation_bit(rel)) {
				buf_addf(err, "%s: %s: grant %zu names an unknown relation", path, name, i);
				goto out;
			}
		}
		json_t *unlocks = json_object_get(a, "unlocks");
		json_array_foreach(unlocks, i, g) {
			if (!json_is_string(g)) {
				buf_addf(err, "%s: %s: unlocks must list action names", path, name);
				goto out;
			}
		}
		if (unlocks && !json_is_array(unlocks)) {
			buf_addf(err, "%s: %s: unlocks must be an array of action names", path, name);
			goto out;
		}
		json_object_set(into, name, a);
	}
	if (load_break_glass(path, json_object_get(doc, "break_glass"), err) < 0)
		goto out;
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

/* Every action named in an "unlocks" list must exist: a typo would otherwise unlock nothing, silently. */
static int check_unlocks(json_t *acts, struct buf *err)
{
	const char *name;
	json_t *a;
	json_object_foreach(acts, name, a) {
		size_t i;
		json_t *u;
		json_array_foreach(json_object_get(a, "unlocks"), i, u) {
			if (!json_object_get(acts, json_string_value(u))) {
				buf_addf(err, "access rules: %s: unlocks unknown action %s", name, json_string_value(u));
				return -1;
			}
		}
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void derive_tables(void)
{
	json_decref(grant_bits);
	json_decref(unlocked_by);
	grant_bits = json_object();
	unlocked_by = json_object();
	const char *name;
	json_t *a;
	json_object_foreach(actions, name, a) {
		json_t *by_role = json_object();
		size_t i;
		json_t *g;
		json_array_foreach(json_object_get(a, "grants"), i, g) {
			const char *role = json_string_value(json_object_get(g, "role"));
			int bits = (int)json_integer_value(json_object_get(by_role, role)) |
			           relation_bit(json_string_value(json_object_get(g, "relation")));
			json_object_set_new(by_role, role, json_integer(bits));
		}
		json_object_set_new(grant_bits, name, by_role);
		json_array_foreach(json_object_get(a, "unlocks"), i, g) {
			const char *target = json_string_value(g);
			json_t *list = json_object_get(unlocked_by, target);
			if (!list) {
				list = json_array();
				json_object_set_new(unlocked_by, target, list);
			}
			json_array_append_new(list, json_string(name));
		}
	}
}

int policy_load(const char *rules_dir, struct buf *err)
{
	char path[1024];
	json_t *roles = NULL, *acts = json_object();
	int rc = -1;
	break_glass_set = false;
	break_glass_seconds = 3600;
	if (load_roles(rules_dir, &roles, err) < 0)
		goto out;
	snprintf(path, sizeof path, "%s/access.json", rules_dir);
	if (load_actions_file(path, roles, acts, err) < 0)
		goto out;
	/* Each part of the service may keep its actions in a file of its own under access.d. */
	snprintf(path, sizeof path, "%s/access.d", rules_dir);
	DIR *d = opendir(path);
	char *names[128];
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) && n < 128) {
		size_t len = strlen(e->d_name);
		if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)
			names[n++] = strdup(e->d_name);
	}
	if (d)
		closedir(d);
	qsort(names, (size_t)n, sizeof names[0], cmp_str);
	int bad = 0;
	for (int i = 0; i < n; i++) {
		char file[1300];
		snprintf(file, sizeof file, "%s/%s", path, names[i]);
		if (!bad && load_actions_file(file, roles, acts, err) < 0)
			bad = 1;
		free(names[i]);
	}
	if (bad || check_unlocks(acts, err) < 0)
		goto out;
	json_decref(actions);
	actions = json_incref(acts);
	derive_tables();
	rc = 0;
out:
	json_decref(acts);
	json_decref(roles);
	return rc;
}

void policy_free(void)
{
	json_decref(actions);
	actions = NULL;
	json_decref(spec_roles);
	spec_roles = NULL;
	json_decref(grant_bits);
	grant_bits = NULL;
	json_decref(unlocked_by);
	unlocked_by = NULL;
}

const char *policy_spec_roles(const char *role)
{
	const char *s = role ? json_string_value(json_object_get(spec_roles, role)) : NULL;
	return s ? s : "";
}

bool policy_known_action(const char *action)
{
	return json_object_get(actions, action) != NULL;
}

/* The relations through which the role is granted the action (bit set). */
static int granted_relations(const char *role, const char *action)
{
	return (int)json_integer_value(json_object_get(json_object_get(grant_bits, action), role));
}

bool policy_allows_action(const struct http_user *user, const char *action)
{
	if (!user || !user->role)
		return false;
	return granted_relations(user->role, action) != 0;
}

static bool exists2(struct store *st, const char *sql, const char *a, const char *b)
{
	struct store_stmt *s = store_prepare(st, sql);
	if (!s)
		return false;
	store_bind_text(s, 1, a);
	store_bind_text(s, 2, b);
	bool found = store_step(s) == STORE_ROW;
	store_reset(s);
	return found;
}

static bool has_relation(struct store *st, const struct http_user *user, const char *child_id, int rel)
{
	switch (rel) {
	case REL_ANY:
		return true;
	case REL_ALLOCATED:
		return exists2(st,
		               "SELECT 1 FROM cases WHERE child_id = $1 AND allocated_user_id = $2 AND closed_at IS NULL",
		               child_id, user->id);
	case REL_TEAM:
		return user->team_id &&
		       exists2(st, "SELECT 1 FROM cases WHERE child_id = $1 AND team_id = $2 AND closed_at IS NULL",
		               child_id, user->team_id);
	case REL_INVOLVED:
		return exists2(st,
		               "SELECT 1 FROM case_members m JOIN cases c ON c.id = m.case_id WHERE m.child_id = $1 "
		               "AND m.user_id = $2 AND m.end_date IS NULL AND c.closed_at IS NULL",
		               child_id, user->id);
	case REL_CREATOR:
		return exists2(st,
		               "SELECT 1 FROM children ch WHERE ch.id = $1 AND ch.created_by = $2 AND NOT EXISTS "
		               "(SELECT 1 FROM cases c WHERE c.child_id = ch.id AND c.closed_at IS NULL)",
		               child_id, user->id);
	default:
		return false;
	}
}

/* The role and relations alone, without emergency access. */
static bool granted_by_relation(struct store *st, const struct http_user *user, const char *action,
                                const char *child_id)
{
	int bits = granted_relations(user->role, action);
	for (size_t i = 0; i < sizeof relation_names / sizeof relation_names[0]; i++) {
		int rel = relation_names[i].rel;
		if ((bits & rel) && has_relation(st, user, child_id, rel))
			return true;
	}
	return false;
}

int64_t policy_break_glass_until(struct store *st, const struct http_user *user, const char *child_id)
{
	if (!user || !user->id || !child_id || !id_valid(child_id))
		return 0;
	struct store_stmt *s = store_prepare(st, "SELECT MAX(expires_at) FROM break_glass_grants "
	                                         "WHERE user_id = $1 AND child_id = $2 AND expires_at > $3");
	if (!s)
		return 0;
	store_bind_text(s, 1, user->id);
	store_bind_text(s, 2, child_id);
	store_bind_int(s, 3, moment_now());
	int64_t until = store_step(s) == STORE_ROW && !store_col_is_null(s, 0) ? store_col_int(s, 0) : 0;
	store_reset(s);
	return until;
}

int policy_break_glass_seconds(void)
{
	return break_glass_seconds;
}

/* A live break-glass grant gives the actions its action unlocks, for as long as the user still holds that action
 * for the child through their role and relation: a new role or a finished involvement ends it early. */
static bool granted_by_break_glass(struct store *st, const struct http_user *user, const char *action,
                                   const char *child_id)
{
	size_t i;
	json_t *by;
	json_array_foreach(json_object_get(unlocked_by, action), i, by) {
		if (policy_break_glass_until(st, user, child_id) > 0 &&
		    granted_by_relation(st, user, json_string_value(by), child_id))
			return true;
	}
	return false;
}

bool policy_child(struct store *st, const struct http_user *user, const char *action, const char *child_id)
{
	if (!user || !user->role || !child_id || !id_valid(child_id))
		return false;
	return granted_by_relation(st, user, action, child_id) || granted_by_break_glass(st, user, action, child_id);
}

void policy_relations(struct store *st, const struct http_user *user, const char *child_id, struct buf *out)
{
	for (size_t i = 1; i < sizeof relation_names / sizeof relation_names[0]; i++) {
		if (has_relation(st, user, child_id, relation_names[i].rel)) {
			if (out->len)
				buf_addc(out, ' ');
			buf_adds(out, relation_names[i].name);
		}
	}
	if (policy_break_glass_until(st, user, child_id) > 0)
		buf_adds(out, out->len ? " break_glass" : "break_glass");
}
