#include "api/lawful_bases.h"

#include <stdio.h>
#include <string.h>

static int fail(struct buf *err, const char *path, const char *entry, const char *problem)
{
	buf_addf(err, "%s: %s: %s", path, entry, problem);
	return -1;
}

static bool nonempty_string(const json_t *v)
{
	return json_is_string(v) && *json_string_value(v);
}

static bool code_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static int only_fields(const json_t *obj, const char *const *allowed, size_t n, const char *path, const char *entry,
                       struct buf *err)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)obj, k, v) {
		size_t i = 0;
		while (i < n && strcmp(k, allowed[i]) != 0)
			i++;
		if (i == n) {
			char msg[160];
			snprintf(msg, sizeof msg, "unknown field %s", k);
			return fail(err, path, entry, msg);
		}
	}
	return 0;
}

static int check_groups(const json_t *groups, const char *path, struct buf *err)
{
	static const char *const fields[] = {"label", "required", "citation"};
	if (!json_is_object(groups) || json_object_size(groups) == 0)
		return fail(err, path, "groups", "expected a non-empty object");
	const char *name;
	json_t *g;
	json_object_foreach((json_t *)groups, name, g) {
		if (!json_is_object(g))
			return fail(err, path, name, "a group must be an object");
		if (only_fields(g, fields, 3, path, name, err) < 0)
			return -1;
		if (!nonempty_string(json_object_get(g, "label")) || !nonempty_string(json_object_get(g, "citation")) ||
		    !json_is_boolean(json_object_get(g, "required")))
			return fail(err, path, name, "a group needs a label, a citation and required (true or false)");
	}
	return 0;
}

static int check_basis(const json_t *doc, const json_t *b, size_t i, const char *path, struct buf *err)
{
	static const char *const fields[] = {"code",
	                                     "group",
	                                     "label",
	                                     "summary",
	                                     "citation",
	                                     "requires_group",
	                                     "requires_codes",
	                                     "not_for_roles",
	                                     "detail_prompt",
	                                     "needs_consent_given",
	                                     "no_special_category_with_capacity",
	                                     "confirm_outside_public_task_for_roles"};
	char entry[96];
	snprintf(entry, sizeof entry, "bases[%zu]", i);
	if (!json_is_object(b))
		return fail(err, path, entry, "each basis must be an object");
	const char *code = json_string_value(json_object_get(b, "code"));
	if (code)
		snprintf(entry, sizeof entry, "%s", code);
	if (only_fields(b, fields, sizeof fields / sizeof fields[0], path, entry, err) < 0)
		return -1;
	if (!code || !code_ok(code))
		return fail(err, path, entry, "code must be lower-case letters, digits and _");
	const json_t *groups = json_object_get(doc, "groups");
	if (!json_object_get(groups, json_string_value(json_object_get(b, "group"))))
		return fail(err, path, entry, "group must name one of the groups");
	static const char *const text[] = {"label", "summary", "citation"};
	for (size_t k = 0; k < 3; k++)
		if (!nonempty_string(json_object_get(b, text[k]))) {
			char msg[64];
			snprintf(msg, sizeof msg, "missing %s", text[k]);
			return fail(err, path, entry, msg);
		}
	const json_t *bases = json_object_get(doc, "bases");
	for (size_t j = 0; j < i; j++)
		if (json_equal(json_object_get(json_array_get(bases, j), "code"), json_object_get(b, "code")))
			return fail(err, path, entry, "duplicate code");
	const json_t *rg = json_object_get(b, "requires_group"), *rc = json_object_get(b, "requires_codes");
	if ((rg == NULL) != (rc == NULL))
		return fail(err, path, entry, "requires_group and requires_codes go together");
	if (rg && !json_object_get(groups, json_string_value(rg)))
		return fail(err, path, entry, "requires_group must name one of the groups");
	if (rc && (!json_is_array(rc) || json_array_size(rc) == 0))
		return fail(err, path, entry, "requires_codes must be a non-empty array");
	size_t k;
	json_t *v;
	json_array_foreach(rc, k, v) {
		const json_t *target = lawful_bases_find(doc, json_string_value(v));
		if (!target || !json_equal(json_object_get(target, "group"), rg))
			return fail(err, path, entry, "requires_codes must name bases of requires_group");
	}
	static const char *const role_lists[] = {"not_for_roles", "confirm_outside_public_task_for_roles"};
	for (size_t r = 0; r < 2; r++) {
		const json_t *roles = json_object_get(b, role_lists[r]);
		char msg[96];
		snprintf(msg, sizeof msg, "%s must be an array of role codes", role_lists[r]);
		if (roles && !json_is_array(roles))
			return fail(err, path, entry, msg);
		json_array_foreach(roles, k, v) {
			if (!nonempty_string(v))
				return fail(err, path, entry, msg);
		}
	}
	const json_t *prompt = json_object_get(b, "detail_prompt");
	if (prompt && !nonempty_string(prompt))
		return fail(err, path, entry, "detail_prompt must be a non-empty string");
	static const char *const flags[] = {"needs_consent_given", "no_special_category_with_capacity"};
	for (size_t f = 0; f < 2; f++) {
		const json_t *fv = json_object_get(b, flags[f]);
		if (fv && !json_is_boolean(fv))
			return fail(err, path, entry, "needs_consent_given and no_special_category_with_capacity are true or false");
	}
	return 0;
}

int lawful_bases_load(const char *path, json_t **out, struct buf *err)
{
	static const char *const fields[] = {"version", "description", "citation", "groups", "bases"};
	json_error_t jerr;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		buf_addf(err, "%s: line %d: %s", path, jerr.line, jerr.text);
		return -1;
	}
	int rc = -1;
	if (!json_is_object(doc)) {
		fail(err, path, "(top)", "expected an object");
		goto out;
	}
	if (only_fields(doc, fields, 5, path, "(top)", err) < 0)
		goto out;
	if (!nonempty_string(json_object_get(doc, "version")) || !nonempty_string(json_object_get(doc, "citation"))) {
		fail(err, path, "(top)", "version and citation are required");
		goto out;
	}
	if (check_groups(json_object_get(doc, "groups"), path, err) < 0)
		goto out;
	json_t *bases = json_object_get(doc, "bases");
	if (!json_is_array(bases) || json_array_size(bases) == 0) {
		fail(err, path, "bases", "expected a non-empty array");
		goto out;
	}
	size_t i;
	json_t *b;
	json_array_foreach(bases, i, b) {
		if (check_basis(doc, b, i, path, err) < 0)
			goto out;
	}
	*out = json_incref(doc);
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

const json_t *lawful_bases_find(const json_t *doc, const char *code)
{
	size_t i;
	json_t *b;
	if (!code)
		return NULL;
	json_array_foreach(json_object_get(doc, "bases"), i, b) {
		const char *c = json_string_value(json_object_get(b, "code"));
		if (c && strcmp(c, code) == 0)
			return b;
	}
	return NULL;
}

json_t *lawful_bases_options(const json_t *doc, const char *group, const char *selected)
{
	json_t *out = json_array();
	size_t i;
	json_t *b;
	json_array_foreach(json_object_get(doc, "bases"), i, b) {
		if (strcmp(json_string_value(json_object_get(b, "group")), group) != 0)
			continue;
		const char *code = json_string_value(json_object_get(b, "code"));
		json_array_append_new(out, json_pack("{s:s, s:O, s:O, s:O, s:b}", "code", code, "label",
		                                     json_object_get(b, "label"), "summary", json_object_get(b, "summary"),
		                                     "citation", json_object_get(b, "citation"), "selected",
		                                     selected && strcmp(selected, code) == 0));
	}
	return out;
}

static bool in_group(const json_t *b, const char *group)
{
	return b && strcmp(json_string_value(json_object_get(b, "group")), group) == 0;
}

static bool listed(const json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (s && strcmp(json_string_value(v), s) == 0)
			return true;
	}
	return false;
}

const char *lawful_bases_check(const json_t *doc, bool decision_shares, const char *role, const char *art6,
                               const char *art9, const char *sch1, const char **field)
{
	const json_t *b6 = lawful_bases_find(doc, art6), *b9 = lawful_bases_find(doc, art9);
	const json_t *b1 = lawful_bases_find(doc, sch1);
	*field = "lawful_basis";
	if (!art6 && decision_shares)
		return "Choose the lawful basis for sharing";
	if (art6 && !in_group(b6, "article_6"))
		return "Choose a lawful basis from the list";
	if (b6 && listed(json_object_get(b6, "not_for_roles"), role))
		return "Your agency is a statutory one: it does not rely on consent as the lawful basis for safeguarding. "
		       "Choose another basis and record whether consent was sought below";
	*field = "special_category_condition";
	if (art9 && !in_group(b9, "article_9"))
		return "Choose a special category condition from the list";
	*field = "schedule1_condition";
	if (sch1 && !in_group(b1, "schedule_1"))
		return "Choose a Schedule 1 condition from the list";
	if (sch1 && !art9) {
		*field = "special_category_condition";
		return "Choose the special category condition that the Schedule 1 condition goes with";
	}
	const json_t *need = json_object_get(b9, "requires_codes");
	if (need && !sch1)
		return "This special category condition needs a Schedule 1 condition as well: choose one";
	if (need && !listed(need, sch1))
		return "That Schedule 1 condition does not go with the special category condition chosen";
	*field = NULL;
	return NULL;
}

const char *lawful_bases_check_evidence(const json_t *doc, const char *role, const char *art6, bool special_category,
                                        const struct basis_evidence *ev, const char **field)
{
	const json_t *b6 = lawful_bases_find(doc, art6);
	*field = NULL;
	if (!b6)
		return NULL;
	/* G3.3: consent is a basis only when it was asked for and given, and its evidence is recorded (3.4.1-3.4.3). */
	if (json_is_true(json_object_get(b6, "needs_consent_given")) && !(ev->consent_sought == 1 && ev->consent_given == 1)) {
		*field = "consent_given";
		return "Consent is the lawful basis only when it was asked for and given: record that, or choose another basis";
	}
	/* G3.4: vital interests do not cover special category data about someone able to consent (3.3.2). */
	if (json_is_true(json_object_get(b6, "no_special_category_with_capacity")) && special_category) {
		*field = "subject_can_consent";
		if (ev->subject_can_consent < 0)
			return "Say whether the person is able to consent: vital interests cover special category information "
			       "only about someone who cannot";
		if (ev->subject_can_consent == 1)
			return "Vital interests cannot be relied on for special category information about a person able to "
			       "consent, even if they refused: choose another basis";
	}
	/* G3.5: a public authority relies on legitimate interests only outside its public tasks (3.3.4). */
	if (listed(json_object_get(b6, "confirm_outside_public_task_for_roles"), role) && ev->outside_public_task != 1) {
		*field = "outside_public_task";
		return "Your agency is a public authority: confirm that this purpose lies outside its public tasks, or "
		       "choose another basis";
	}
	const char *prompt = json_string_value(json_object_get(b6, "detail_prompt"));
	if (prompt && !ev->basis_detail) {
		*field = "basis_detail";
		return prompt;
	}
	*field = NULL;
	return NULL;
}
