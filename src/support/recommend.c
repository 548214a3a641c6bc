#include "support/recommend.h"

#include <string.h>

#include "core/buf.h"
#include "domain/enums.h"

enum verdict { OUT, FITS, CONDITIONAL };

static int strength_rank(const char *s)
{
	if (strcmp(s, "should_include") == 0)
		return 0;
	if (strcmp(s, "offer") == 0)
		return 1;
	if (strcmp(s, "consider") == 0)
		return 2;
	return 3;
}

static bool has_need(const struct support_situation *sit, const char *need)
{
	for (size_t i = 0; i < sit->nneeds; i++)
		if (strcmp(sit->needs[i], need) == 0)
			return true;
	return false;
}

static bool age_fits(const json_t *e, int age)
{
	long long lo = support_int(e, "age_min", -1), hi = support_int(e, "age_max", -1);
	if (age == SUPPORT_UNBORN)
		return support_bool(e, "from_pregnancy", false) || (lo < 0 && hi < 0);
	return (lo < 0 || age >= lo) && (hi < 0 || age <= hi);
}

static bool sex_known(const char *sex)
{
	return sex && strcmp(sex, "not_known") && strcmp(sex, "other");
}

/* Decides one entry; conditions receives what must also be true for a conditional fit. */
static enum verdict judge(const json_t *e, const struct support_situation *sit, json_t *conditions)
{
	const char *stage = support_str(e, "stage");
	if (sit->abuse_type ? strcmp(stage, "after_abuse") || !support_has(json_object_get(e, "after"), sit->abuse_type)
	                    : strcmp(stage, "early_help") != 0)
		return OUT;
	if (!support_has(json_object_get(e, "carers"), sit->carer ? sit->carer : "birth_parents"))
		return OUT;
	if (!age_fits(e, sit->age))
		return OUT;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(e, "excluded_if"), i, v) {
		if (has_need(sit, json_string_value(v)))
			return OUT;
	}
	const char *sex = support_str(e, "child_sex");
	if (sex && sex_known(sit->child_sex) && strcmp(sex, sit->child_sex))
		return OUT;
	enum verdict verdict = FITS;
	if (sex && !sex_known(sit->child_sex)) {
		const char *label = enums_label("gender", sex);
		json_array_append_new(conditions, json_pack("{s:s, s:s, s:s}", "kind", "child_sex", "code", sex, "text",
		                                            strcmp(sex, "female") == 0 ? "The child is a girl"
		                                                                       : label ? label : sex));
		verdict = CONDITIONAL;
	}
	json_t *needs = json_object_get(e, "needs_any");
	if (json_array_size(needs)) {
		bool met = false;
		json_array_foreach(needs, i, v) met = met || has_need(sit, json_string_value(v));
		if (!met) {
			struct buf text;
			buf_init(&text, 4096);
			json_array_foreach(needs, i, v) {
				const char *label = enums_label("support_need", json_string_value(v));
				buf_addf(&text, "%s%s", i ? (i + 1 == json_array_size(needs) ? ", or " : ", ") : "",
				         label ? label : json_string_value(v));
			}
			json_array_append_new(conditions, json_pack("{s:s, s:O, s:s}", "kind", "needs_any", "codes", needs,
			                                            "text", buf_str(&text)));
			buf_free(&text);
			verdict = CONDITIONAL;
		}
	}
	return verdict;
}

static json_t *item(const json_t *e, json_t *conditions)
{
	static const char *const copy[] = {"id",       "name",    "strength", "citation", "eligibility",
	                                   "intensity", "duration", "setting", "attends",  "note",
	                                   "alternatives", "stage"};
	json_t *o = json_object();
	for (size_t i = 0; i < sizeof copy / sizeof copy[0]; i++) {
		json_t *v = json_object_get(e, copy[i]);
		json_object_set(o, copy[i], v ? v : json_null());
	}
	json_object_set(o, "examples", json_object_get(e, "examples"));
	json_object_set(o, "aims", json_object_get(e, "aims"));
	json_object_set_new(o, "strength_label", json_string(enums_label("support_strength", support_str(e, "strength"))));
	json_object_set_new(o, "conditions", conditions);
	return o;
}

/* Keeps, per group, only the strongest entry (ties: the first). */
static void keep_strongest_per_group(json_t *list)
{
	for (size_t i = 0; i < json_array_size(list);) {
		json_t *e = json_array_get(list, i);
		const char *group = support_str(e, "group");
		bool beaten = false;
		size_t j;
		json_t *o;
		json_array_foreach(list, j, o) {
			if (j == i || !group || !support_str(o, "group") || strcmp(group, support_str(o, "group")))
				continue;
			int ri = strength_rank(support_str(e, "strength")), rj = strength_rank(support_str(o, "strength"));
			if (rj < ri || (rj == ri && j < i))
				beaten = true;
		}
		if (beaten)
			json_array_remove(list, i);
		else
			i++;
	}
}

/* A conditional entry adds nothing when a fitting entry of its group is at least as strong. */
static bool outranked_by_fit(const json_t *e, const json_t *fits)
{
	const char *group = support_str(e, "group");
	size_t i;
	json_t *f;
	json_array_foreach(fits, i, f) {
		if (group && support_str(f, "group") && strcmp(group, support_str(f, "group")) == 0 &&
		    strength_rank(support_str(f, "strength")) <= strength_rank(support_str(e, "strength")))
			return true;
	}
	return false;
}

static json_t *ordered(json_t *entries, json_t *conds)
{
	json_t *out = json_array();
	for (int rank = 0; rank <= 3; rank++) {
		size_t i;
		json_t *e;
		json_array_foreach(entries, i, e) {
			if (strength_rank(support_str(e, "strength")) != rank)
				continue;
			json_t *c = json_object_get(conds, support_str(e, "id"));
			json_array_append_new(out, item(e, json_incref(c)));
		}
	}
	json_decref(entries);
	json_decref(conds);
	return out;
}

json_t *support_recommend(const struct support_catalogue *cat, const struct support_situation *sit)
{
	json_t *fits = json_array(), *conditional = json_array(), *background = json_array();
	json_t *conds = json_object();
	size_t i;
	json_t *e;
	json_array_foreach(support_catalogue_list(cat, "interventions", "interventions"), i, e) {
		json_t *c = json_array();
		enum verdict v = judge(e, sit, c);
		if (v != OUT) {
			json_object_set(conds, support_str(e, "id"), c);
			if (strcmp(support_str(e, "strength"), "background") == 0)
				json_array_append(background, e);
			else
				json_array_append(v == FITS ? fits : conditional, e);
		}
		json_decref(c);
	}
	keep_strongest_per_group(fits);
	keep_strongest_per_group(background);
	for (size_t k = 0; k < json_array_size(conditional);) {
		if (outranked_by_fit(json_array_get(conditional, k), fits))
			json_array_remove(conditional, k);
		else
			k++;
	}
	keep_strongest_per_group(conditional);
	json_t *result = json_object();
	json_object_set_new(result, "fits", ordered(fits, json_incref(conds)));
	json_object_set_new(result, "conditional", ordered(conditional, json_incref(conds)));
	json_object_set_new(result, "background", ordered(background, conds));
	return result;
}
