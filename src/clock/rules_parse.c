/* Parsing and checking one entry of a clock rule file. Every problem is reported as "FILE: ENTRY: PROBLEM"; the
 * first problem stops the load, because a half-loaded rule set must never be used. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "clock/rules_internal.h"

static const char *const rule_fields[] = {
	"id", "title", "kind", "milestone", "start_event", "start_pick", "stop_event", "limit", "unit", "opens_at",
	"max_limit", "start_offset_days", "variants", "extension", "responsible_role", "citation", "advisory",
	"urgency", "enabled", "notes", "applies_when", NULL,
};
static const char *const variant_fields[] = {
	"code", "id", "title", "start_event", "start_pick", "limit", "unit", "opens_at", "start_offset_days",
	"citation", "responsible_role", "advisory", "enabled", "notes", NULL,
};
static const char *const extension_fields[] = {
	"allowed", "authorised_by_roles", "reason_by_roles", "needs_reason", "needs_written_authorisation",
	"needs_new_due_date", "citation", "notes", NULL,
};
static const char *const alias_fields[] = {"id", "rule", "variant", "citation", "notes", NULL};
static const char *const event_fields[] = {"code", "description", NULL};

static const char *const kind_names[] = {"forward", "backward", "recurring", "gestation", NULL};
static const char *const unit_names[] = {"WD", "H", "CD", "W", "M", "SAME_DAY", "GEST", "EDD_W", NULL};
static const char *const pick_names[] = {"earliest", "latest", "first_present", NULL};
static const char *const urgency_names[] = {"immediately", "as_soon_as_possible", NULL};

/* A variant being assembled: it starts as a copy of its rule's shared fields. */
struct partial {
	struct clock_variant v;
	bool has_limit, has_unit;
};

int clock_rules_fail(struct clock_parse *p, const char *entry, const char *fmt, ...)
{
	va_list ap;
	buf_addf(p->err, "%s: %s: ", p->file, entry);
	va_start(ap, fmt);
	buf_vaddf(p->err, fmt, ap);
	va_end(ap);
	return -1;
}

static int name_index(const char *const *names, const char *s)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *clock_rules_kind_name(enum clock_kind kind)
{
	return kind_names[kind];
}

const char *clock_rules_unit_name(enum clock_unit unit)
{
	return unit_names[unit];
}

static bool is_code(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static bool is_role(const char *s)
{
	if (!(*s >= 'A' && *s <= 'Z'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* Timescale ids: "T-33", "T6-04", "T9-11", optionally with a letter ("T-13a"). */
static bool is_rule_id(const char *s)
{
	if (*s++ != 'T')
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	if (*s++ != '-')
		return false;
	int digits = 0;
	while (*s >= '0' && *s <= '9') {
		s++;
		digits++;
	}
	if (*s >= 'a' && *s <= 'z')
		s++;
	return digits >= 2 && digits <= 3 && *s == '\0';
}

static int check_fields(struct clock_parse *p, const char *entry, json_t *obj, const char *const *allowed,
			const char *extra)
{
	const char *key;
	json_t *val;
	if (!json_is_object(obj))
		return clock_rules_fail(p, entry, "must be a JSON object");
	json_object_foreach(obj, key, val) {
		if (extra && strcmp(key, extra) == 0)
			continue;
		if (name_index(allowed, key) < 0)
			return clock_rules_fail(p, entry, "unknown field \"%s\"", key);
	}
	return 0;
}

static int get_str(struct clock_parse *p, const char *entry, json_t *obj, const char *key, bool required,
		   const char **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v) {
		if (required)
			return clock_rules_fail(p, entry, "missing %s", key);
		return 0;
	}
	if (!json_is_string(v))
		return clock_rules_fail(p, entry, "%s must be a string", key);
	if (json_string_length(v) == 0 || strlen(json_string_value(v)) != json_string_length(v))
		return clock_rules_fail(p, entry, "%s is empty or holds a NUL byte", key);
	*out = clock_rules_pool(p->set, json_string_value(v));
	return 0;
}

static int get_name(struct clock_parse *p, const char *entry, json_t *obj, const char *key, bool required,
		    const char *const *names, const char *what, int *out)
{
	const char *s;
	if (get_str(p, entry, obj, key, required, &s) < 0)
		return -1;
	if (!s)
		return 0;
	int i = name_index(names, s);
	if (i < 0)
		return clock_rules_fail(p, entry, "unknown %s \"%s\"", what, s);
	*out = i;
	return 0;
}

static int get_code(struct clock_parse *p, const char *entry, json_t *obj, const char *key, bool required,
		    const char **out)
{
	if (get_str(p, entry, obj, key, required, out) < 0)
		return -1;
	if (*out && !is_code(*out))
		return clock_rules_fail(p, entry, "%s \"%s\" is not a snake_case code", key, *out);
	return 0;
}

static int get_id(struct clock_parse *p, const char *entry, json_t *obj, const char *key, bool required,
		  const char **out)
{
	if (get_str(p, entry, obj, key, required, out) < 0)
		return -1;
	if (*out && !is_rule_id(*out))
		return clock_rules_fail(p, entry, "%s \"%s\" is not a timescale id like T-33 or T6-04", key, *out);
	return 0;
}

static int get_role(struct clock_parse *p, const char *entry, json_t *obj, const char *key, bool required,
		    const char **out)
{
	if (get_str(p, entry, obj, key, required, out) < 0)
		return -1;
	if (*out && !is_role(*out))
		return clock_rules_fail(p, entry, "%s \"%s\" is not an UPPER_SNAKE role code", key, *out);
	return 0;
}

static int get_int(struct clock_parse *p, const char *entry, json_t *obj, const char *key, bool *present, int *out)
{
	json_t *v = json_object_get(obj, key);
	if (present)
		*present = v != NULL;
	if (!v)
		return 0;
	if (!json_is_integer(v))
		return clock_rules_fail(p, entry, "%s must be a whole number", key);
	json_int_t n = json_integer_value(v);
	if (n < 0)
		return clock_rules_fail(p, entry, "negative %s (%lld)", key, (long long)n);
	if (n > 100000)
		return clock_rules_fail(p, entry, "%s too large (%lld)", key, (long long)n);
	*out = (int)n;
	return 0;
}

static int get_bool(struct clock_parse *p, const char *entry, json_t *obj, const char *key, bool *out)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return clock_rules_fail(p, entry, "%s must be true or false", key);
	*out = json_is_true(v);
	return 0;
}

/* A string or an array of strings, each a known event code, without repeats. */
static int get_events(struct clock_parse *p, const char *entry, json_t *obj, const char *key, const char **arr,
		      int *n)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	size_t count = json_is_array(v) ? json_array_size(v) : 1;
	if (count == 0 || count > CLOCK_MAX_EVENTS)
		return clock_rules_fail(p, entry, "%s must list 1 to %d event codes", key, CLOCK_MAX_EVENTS);
	*n = 0;
	for (size_t i = 0; i < count; i++) {
		json_t *e = json_is_array(v) ? json_array_get(v, i) : v;
		if (!json_is_string(e))
			return clock_rules_fail(p, entry, "%s must be an event code or a list of them", key);
		const char *code = json_string_value(e);
		if (!clock_rules_event_known(p->set, code))
			return clock_rules_fail(p, entry, "unknown event code \"%s\" in %s", code, key);
		for (int j = 0; j < *n; j++)
			if (strcmp(arr[j], code) == 0)
				return clock_rules_fail(p, entry, "event \"%s\" listed twice in %s", code, key);
		arr[(*n)++] = clock_rules_pool(p->set, code);
	}
	return 0;
}

static int get_roles(struct clock_parse *p, const char *entry, json_t *obj, const char *key, const char **arr, int *n)
{
	json_t *v = json_object_get(obj, key);
	*n = 0;
	if (!v)
		return 0;
	if (!json_is_array(v) || json_array_size(v) > CLOCK_MAX_ROLES)
		return clock_rules_fail(p, entry, "%s must be a list of at most %d role codes", key, CLOCK_MAX_ROLES);
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *r = json_array_get(v, i);
		if (!json_is_string(r) || !is_role(json_string_value(r)))
			return clock_rules_fail(p, entry, "%s[%zu] is not an UPPER_SNAKE role code", key, i);
		arr[(*n)++] = clock_rules_pool(p->set, json_string_value(r));
	}
	return 0;
}

/* The fields a variant may set and a rule may set for all its variants. */
static int parse_shared(struct clock_parse *p, const char *entry, json_t *obj, struct partial *pv)
{
	int i;
	bool has;
	if (get_events(p, entry, obj, "start_event", pv->v.start_events, &pv->v.n_start_events) < 0)
		return -1;
	i = -1;
	if (get_name(p, entry, obj, "start_pick", false, pick_names, "start_pick", &i) < 0)
		return -1;
	if (i >= 0)
		pv->v.start_pick = (enum clock_start_pick)i;
	if (get_int(p, entry, obj, "limit", &has, &pv->v.limit) < 0)
		return -1;
	pv->has_limit |= has;
	i = -1;
	if (get_name(p, entry, obj, "unit", false, unit_names, "unit", &i) < 0)
		return -1;
	if (i >= 0) {
		pv->v.unit = (enum clock_unit)i;
		pv->has_unit = true;
	}
	if (get_int(p, entry, obj, "opens_at", &has, &pv->v.opens_at) < 0)
		return -1;
	pv->v.has_opens |= has;
	if (get_int(p, entry, obj, "start_offset_days", NULL, &pv->v.start_offset_days) < 0)
		return -1;
	return get_bool(p, entry, obj, "advisory", &pv->v.advisory);
}

static int finish_variant(struct clock_parse *p, const char *entry, struct partial *pv)
{
	if (pv->v.n_start_events == 0)
		return clock_rules_fail(p, entry, "missing start_event");
	if (!pv->has_unit)
		return clock_rules_fail(p, entry, "missing unit");
	if (!pv->has_limit)
		return clock_rules_fail(p, entry, "missing limit");
	pv->v.file = p->file;
	return 0;
}

/* The fields only an explicit variant (inline or added from another file) has. */
static int parse_variant(struct clock_parse *p, const char *entry, json_t *obj, struct partial *pv)
{
	pv->v.enabled = true;
	pv->v.notes = NULL;
	if (get_code(p, entry, obj, "code", true, &pv->v.code) < 0 || get_id(p, entry, obj, "id", false, &pv->v.id) < 0 ||
	    get_str(p, entry, obj, "title", true, &pv->v.title) < 0 ||
	    get_str(p, entry, obj, "citation", true, &pv->v.citation) < 0 ||
	    get_bool(p, entry, obj, "enabled", &pv->v.enabled) < 0 ||
	    get_str(p, entry, obj, "notes", false, &pv->v.notes) < 0)
		return -1;
	const char *role;
	if (get_role(p, entry, obj, "responsible_role", false, &role) < 0)
		return -1;
	if (role)
		pv->v.responsible_role = role;
	if (strcmp(pv->v.code, "default") == 0)
		return clock_rules_fail(p, entry, "variant code \"default\" is reserved for rules without variants");
	if (parse_shared(p, entry, obj, pv) < 0)
		return -1;
	return finish_variant(p, entry, pv);
}

static int parse_extension(struct clock_parse *p, const char *entry, json_t *obj, struct clock_extension *e)
{
	memset(e, 0, sizeof(*e));
	if (!obj)
		return clock_rules_fail(p, entry, "missing extension (write {\"allowed\": false} when there is none)");
	if (check_fields(p, entry, obj, extension_fields, NULL) < 0)
		return -1;
	json_t *allowed = json_object_get(obj, "allowed");
	if (!json_is_boolean(allowed))
		return clock_rules_fail(p, entry, "extension.allowed must be true or false");
	e->allowed = json_is_true(allowed);
	if (get_roles(p, entry, obj, "authorised_by_roles", e->authorised_by_roles, &e->n_authorised_by_roles) < 0 ||
	    get_roles(p, entry, obj, "reason_by_roles", e->reason_by_roles, &e->n_reason_by_roles) < 0 ||
	    get_bool(p, entry, obj, "needs_reason", &e->needs_reason) < 0 ||
	    get_bool(p, entry, obj, "needs_written_authorisation", &e->needs_written_authorisation) < 0 ||
	    get_bool(p, entry, obj, "needs_new_due_date", &e->needs_new_due_date) < 0 ||
	    get_str(p, entry, obj, "citation", false, &e->citation) < 0 ||
	    get_str(p, entry, obj, "notes", false, &e->notes) < 0)
		return -1;
	if (e->allowed) {
		if (e->n_authorised_by_roles == 0)
			return clock_rules_fail(p, entry, "extension allowed but authorised_by_roles is empty");
		if (!e->needs_reason)
			return clock_rules_fail(p, entry, "extension allowed without needs_reason: every extension records why");
		if (!e->citation)
			return clock_rules_fail(p, entry, "extension allowed without a citation");
	} else if (e->n_authorised_by_roles || e->n_reason_by_roles || e->citation || e->needs_reason ||
		   e->needs_written_authorisation || e->needs_new_due_date) {
		return clock_rules_fail(p, entry, "extension not allowed but describes who may extend");
	}
	return 0;
}

int clock_rules_parse_rule(struct clock_parse *p, const char *entry, json_t *obj, struct clock_rule *out)
{
	char label[96];
	int kind = -1, urgency = -1;
	memset(out, 0, sizeof(*out));
	if (check_fields(p, entry, obj, rule_fields, NULL) < 0 || get_id(p, entry, obj, "id", true, &out->id) < 0)
		return -1;
	entry = out->id; /* name the entry by its id from here on */
	out->enabled = true;
	out->file = p->file;
	if (get_str(p, entry, obj, "title", true, &out->title) < 0 ||
	    get_name(p, entry, obj, "kind", true, kind_names, "kind", &kind) < 0 ||
	    get_code(p, entry, obj, "milestone", false, &out->milestone) < 0 ||
	    get_code(p, entry, obj, "applies_when", false, &out->applies_when) < 0 ||
	    get_events(p, entry, obj, "stop_event", out->stop_events, &out->n_stop_events) < 0 ||
	    get_role(p, entry, obj, "responsible_role", true, &out->responsible_role) < 0 ||
	    get_str(p, entry, obj, "citation", true, &out->citation) < 0 ||
	    get_name(p, entry, obj, "urgency", false, urgency_names, "urgency", &urgency) < 0 ||
	    get_bool(p, entry, obj, "enabled", &out->enabled) < 0 ||
	    get_str(p, entry, obj, "notes", false, &out->notes) < 0 ||
	    get_int(p, entry, obj, "max_limit", &out->has_max_limit, &out->max_limit) < 0 ||
	    parse_extension(p, entry, json_object_get(obj, "extension"), &out->extension) < 0)
		return -1;
	out->kind = (enum clock_kind)kind;
	if (urgency >= 0)
		out->urgency = urgency_names[urgency];
	if (out->n_stop_events == 0)
		return clock_rules_fail(p, entry, "missing stop_event");

	struct partial base;
	memset(&base, 0, sizeof(base));
	base.v.responsible_role = out->responsible_role;
	base.v.citation = out->citation;
	base.v.enabled = true;
	if (parse_shared(p, entry, obj, &base) < 0)
		return -1;

	json_t *variants = json_object_get(obj, "variants");
	if (!variants) {
		base.v.code = "default";
		base.v.notes = NULL;
		if (finish_variant(p, entry, &base) < 0)
			return -1;
		out->variants[0] = base.v;
		out->n_variants = 1;
		return 0;
	}
	if (!json_is_array(variants) || json_array_size(variants) == 0)
		return clock_rules_fail(p, entry, "variants must be a non-empty list");
	if (json_array_size(variants) > CLOCK_MAX_VARIANTS)
		return clock_rules_fail(p, entry, "too many variants (%zu, at most %d)", json_array_size(variants),
					CLOCK_MAX_VARIANTS);
	for (size_t i = 0; i < json_array_size(variants); i++) {
		json_t *vo = json_array_get(variants, i);
		struct partial pv = base;
		json_t *code = json_is_object(vo) ? json_object_get(vo, "code") : NULL;
		if (json_is_string(code))
			snprintf(label, sizeof(label), "%s variant %s", out->id, json_string_value(code));
		else
			snprintf(label, sizeof(label), "%s variants[%zu]", out->id, i);
		if (check_fields(p, label, vo, variant_fields, NULL) < 0 || parse_variant(p, label, vo, &pv) < 0)
			return -1;
		out->variants[out->n_variants++] = pv.v;
	}
	return 0;
}

int clock_rules_parse_addition(struct clock_parse *p, const char *entry, json_t *obj, struct clock_addition *out)
{
	struct partial pv;
	memset(out, 0, sizeof(*out));
	memset(&pv, 0, sizeof(pv));
	if (check_fields(p, entry, obj, variant_fields, "rule") < 0 ||
	    get_id(p, entry, obj, "rule", true, &out->rule_id) < 0 || parse_variant(p, entry, obj, &pv) < 0)
		return -1;
	out->variant = pv.v;
	out->entry = clock_rules_pool(p->set, entry);
	return 0;
}

int clock_rules_parse_alias(struct clock_parse *p, const char *entry, json_t *obj, struct clock_alias *out)
{
	memset(out, 0, sizeof(*out));
	if (check_fields(p, entry, obj, alias_fields, NULL) < 0 || get_id(p, entry, obj, "id", true, &out->id) < 0 ||
	    get_id(p, entry, obj, "rule", true, &out->rule_id) < 0 ||
	    get_code(p, entry, obj, "variant", false, &out->variant_code) < 0 ||
	    get_str(p, entry, obj, "citation", true, &out->citation) < 0 ||
	    get_str(p, entry, obj, "notes", false, &out->notes) < 0)
		return -1;
	out->file = p->file;
	return 0;
}

int clock_rules_parse_event(struct clock_parse *p, const char *entry, json_t *obj, struct clock_event *out)
{
	if (check_fields(p, entry, obj, event_fields, NULL) < 0 ||
	    get_code(p, entry, obj, "code", true, &out->code) < 0 ||
	    get_str(p, entry, obj, "description", true, &out->description) < 0)
		return -1;
	return 0;
}

static bool unit_fits_kind(enum clock_kind kind, enum clock_unit unit)
{
	switch (kind) {
	case CLOCK_FORWARD:
		return unit != CLOCK_GEST && unit != CLOCK_EDD_W;
	case CLOCK_BACKWARD:
		return unit == CLOCK_WD || unit == CLOCK_CD;
	case CLOCK_RECURRING:
		return unit == CLOCK_WD || unit == CLOCK_CD || unit == CLOCK_W || unit == CLOCK_M;
	case CLOCK_GESTATION:
		return unit == CLOCK_GEST || unit == CLOCK_EDD_W;
	}
	return false;
}

/* Largest sensible limit per unit: about ten years, or the length of a pregnancy. */
static int unit_max(enum clock_unit unit)
{
	static const int max[] = {
		[CLOCK_WD] = 2600, [CLOCK_H] = 87600, [CLOCK_CD] = 3660, [CLOCK_W] = 520,
		[CLOCK_M] = 120,   [CLOCK_SAME_DAY] = 0, [CLOCK_GEST] = 42, [CLOCK_EDD_W] = 36,
	};
	return max[unit];
}

static int check_variant(const struct clock_rule *r, const struct clock_variant *v, struct buf *err)
{
	char label[96];
	struct clock_parse p = {.set = NULL, .file = v->file, .err = err};
	if (strcmp(v->code, "default") == 0)
		snprintf(label, sizeof(label), "%s", r->id);
	else
		snprintf(label, sizeof(label), "%s variant %s", r->id, v->code);

	if (!unit_fits_kind(r->kind, v->unit))
		return clock_rules_fail(&p, label, "unit %s cannot be used by a %s rule", unit_names[v->unit],
					kind_names[r->kind]);
	if (v->unit == CLOCK_SAME_DAY && v->limit != 0)
		return clock_rules_fail(&p, label, "unit SAME_DAY needs limit 0, not %d", v->limit);
	if (v->unit != CLOCK_SAME_DAY && v->limit < 1)
		return clock_rules_fail(&p, label, "limit 0 is only meaningful with unit SAME_DAY");
	if (v->limit > unit_max(v->unit))
		return clock_rules_fail(&p, label, "limit %d is out of range for unit %s (at most %d)", v->limit,
					unit_names[v->unit], unit_max(v->unit));
	if (v->unit == CLOCK_GEST && v->limit < 4)
		return clock_rules_fail(&p, label, "gestation limit %d is below 4 weeks", v->limit);
	if (v->has_opens && (v->unit != CLOCK_GEST || v->opens_at < 4 || v->opens_at >= v->limit))
		return clock_rules_fail(&p, label, "opens_at needs unit GEST and a week from 4 up to the limit");
	if (v->start_offset_days) {
		bool day_unit = v->unit == CLOCK_WD || v->unit == CLOCK_CD || v->unit == CLOCK_W || v->unit == CLOCK_M;
		if (!day_unit || r->kind == CLOCK_BACKWARD)
			return clock_rules_fail(&p, label, "start_offset_days needs a forward or recurring day-based unit");
		if (v->start_offset_days > 31)
			return clock_rules_fail(&p, label, "start_offset_days %d is over 31", v->start_offset_days);
	}
	if (r->has_max_limit && v->limit > r->max_limit)
		return clock_rules_fail(&p, label, "limit %d exceeds max_limit %d", v->limit, r->max_limit);
	return 0;
}

int clock_rules_check_rule(const struct clock_rule *rule, struct buf *err)
{
	for (int i = 0; i < rule->n_variants; i++) {
		const struct clock_variant *v = &rule->variants[i];
		if (check_variant(rule, v, err) < 0)
			return -1;
		for (int j = 0; j < i; j++)
			if (strcmp(rule->variants[j].code, v->code) == 0) {
				struct clock_parse p = {.set = NULL, .file = v->file, .err = err};
				return clock_rules_fail(&p, rule->id, "duplicate variant code \"%s\"", v->code);
			}
	}
	return 0;
}
