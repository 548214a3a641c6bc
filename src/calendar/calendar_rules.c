/* The national rule file: reading it, and working out one year's bank holidays from it. */
#include "calendar/calendar_rules.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/xmalloc.h"

static const char *const weekday_names[7] = {"monday", "tuesday", "wednesday", "thursday",
					     "friday", "saturday", "sunday"};
static const char *const weekday_titles[7] = {"Monday", "Tuesday", "Wednesday", "Thursday",
					      "Friday", "Saturday", "Sunday"};

void calendar_rules_error(const struct cal_entry *e, const char *fmt, ...)
{
	if (!e->err)
		return;
	if (e->err->len)
		buf_adds(e->err, "; ");
	buf_addf(e->err, "%s: ", e->file);
	if (e->section)
		buf_addf(e->err, "%s[%zu] '%s': ", e->section, e->index, e->id ? e->id : "(no id)");
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(e->err, fmt, ap);
	va_end(ap);
}

int calendar_rules_check_fields(const json_t *obj, const char *const *allowed, const struct cal_entry *e)
{
	const char *key;
	const json_t *val;
	json_object_foreach((json_t *)obj, key, val) {
		const char *const *a = allowed;
		while (*a && strcmp(*a, key) != 0)
			a++;
		if (!*a) {
			calendar_rules_error(e, "unknown field '%s'", key);
			return -1;
		}
	}
	return 0;
}

int calendar_rules_get_string(const json_t *obj, const char *key, bool required, const char **out,
			      const struct cal_entry *e)
{
	const json_t *v = json_object_get(obj, key);
	if (!v) {
		if (required)
			calendar_rules_error(e, "missing field '%s'", key);
		return required ? -1 : 0;
	}
	if (!json_is_string(v) || json_string_length(v) == 0) {
		calendar_rules_error(e, "field '%s' must be a non-empty string", key);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

int calendar_rules_get_int(const json_t *obj, const char *key, bool required, int lo, int hi, int *out,
			   const struct cal_entry *e)
{
	const json_t *v = json_object_get(obj, key);
	if (!v) {
		if (required)
			calendar_rules_error(e, "missing field '%s'", key);
		return required ? -1 : 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
		calendar_rules_error(e, "field '%s' must be a whole number from %d to %d", key, lo, hi);
		return -1;
	}
	*out = (int)json_integer_value(v);
	return 0;
}

int calendar_rules_get_date(const json_t *obj, const char *key, bool required, int32_t *out,
			    const struct cal_entry *e)
{
	const char *s = NULL;
	int32_t day;
	if (calendar_rules_get_string(obj, key, required, &s, e) < 0)
		return -1;
	if (!s)
		return 0;
	if (date_parse(s, &day) < 0) {
		calendar_rules_error(e, "field '%s': '%s' is not a real date written YYYY-MM-DD", key, s);
		return -1;
	}
	if (day < date_from_ymd(CAL_FIRST_YEAR, 1, 1) || day > date_from_ymd(CAL_LAST_YEAR, 12, 31)) {
		calendar_rules_error(e, "field '%s': %s is outside the supported range %d-01-01 to %d-12-31", key, s,
				     CAL_FIRST_YEAR, CAL_LAST_YEAR);
		return -1;
	}
	*out = day;
	return 0;
}

/* Anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
int32_t calendar_rules_easter(int year)
{
	int a = year % 19, b = year / 100, c = year % 100;
	int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31;
	int day = (h + l - 7 * m + 114) % 31 + 1;
	return date_from_ymd(year, month, day);
}

/* Names in this file must be unique across all its sections, so an id picks out one entry. */
static int check_unique_id(const char **seen, size_t nseen, const char *id, const struct cal_entry *e)
{
	for (size_t i = 0; i < nseen; i++) {
		if (strcmp(seen[i], id) == 0) {
			calendar_rules_error(e, "duplicate id '%s'", id);
			return -1;
		}
	}
	return 0;
}

static int get_weekday(const json_t *obj, int *out, const struct cal_entry *e)
{
	const char *s = NULL;
	if (calendar_rules_get_string(obj, "weekday", true, &s, e) < 0)
		return -1;
	for (int i = 0; i < 7; i++) {
		if (strcmp(s, weekday_names[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	calendar_rules_error(e, "field 'weekday': '%s' is not a day name in lower case (monday .. sunday)", s);
	return -1;
}

static int require_weekday(int32_t day, const char *key, const struct cal_entry *e)
{
	int wd = date_weekday(day);
	if (wd < 5)
		return 0;
	char iso[DATE_ISO_LEN];
	date_format(day, iso);
	calendar_rules_error(e, "field '%s': %s is a %s, and a bank holiday is always a weekday", key, iso,
			     weekday_titles[wd]);
	return -1;
}

static const char *const fields_fixed[] = {"id", "name", "kind", "month", "day", "substitute",
					   "from_year", "to_year", "citation", NULL};
static const char *const fields_easter[] = {"id", "name", "kind", "offset", "substitute",
					    "from_year", "to_year", "citation", NULL};
static const char *const fields_nth[] = {"id", "name", "kind", "month", "weekday", "n", "substitute",
					 "from_year", "to_year", "citation", NULL};
static const char *const fields_last[] = {"id", "name", "kind", "month", "weekday", "substitute",
					  "from_year", "to_year", "citation", NULL};

static const struct {
	const char *name;
	enum cal_rule_kind kind;
	const char *const *fields;
} rule_kinds[] = {
	{"fixed", CAL_RULE_FIXED, fields_fixed},
	{"easter_offset", CAL_RULE_EASTER_OFFSET, fields_easter},
	{"nth_weekday", CAL_RULE_NTH_WEEKDAY, fields_nth},
	{"last_weekday", CAL_RULE_LAST_WEEKDAY, fields_last},
};

static int parse_rule_kind(const json_t *obj, struct cal_rule *r, const struct cal_entry *e)
{
	const char *kind = NULL;
	size_t k = 0, nkinds = sizeof rule_kinds / sizeof rule_kinds[0];
	if (calendar_rules_get_string(obj, "kind", true, &kind, e) < 0)
		return -1;
	while (k < nkinds && strcmp(kind, rule_kinds[k].name) != 0)
		k++;
	if (k == nkinds) {
		calendar_rules_error(e, "field 'kind': '%s' is not one of fixed, easter_offset, nth_weekday, "
					"last_weekday", kind);
		return -1;
	}
	r->kind = rule_kinds[k].kind;
	if (calendar_rules_check_fields(obj, rule_kinds[k].fields, e) < 0)
		return -1;
	bool monthly = r->kind != CAL_RULE_EASTER_OFFSET, by_weekday = monthly && r->kind != CAL_RULE_FIXED;
	if ((monthly && calendar_rules_get_int(obj, "month", true, 1, 12, &r->month, e) < 0) ||
	    (r->kind == CAL_RULE_FIXED && calendar_rules_get_int(obj, "day", true, 1, 31, &r->day, e) < 0) ||
	    (r->kind == CAL_RULE_EASTER_OFFSET &&
	     calendar_rules_get_int(obj, "offset", true, -63, 63, &r->offset, e) < 0) ||
	    (by_weekday && get_weekday(obj, &r->weekday, e) < 0) ||
	    /* Only the first four of a weekday occur in every month; last_weekday covers the last. */
	    (r->kind == CAL_RULE_NTH_WEEKDAY && calendar_rules_get_int(obj, "n", true, 1, 4, &r->n, e) < 0))
		return -1;
	/* 2001 is not a leap year: a fixed day must exist in every year. */
	if (r->kind == CAL_RULE_FIXED && !date_valid_ymd(2001, r->month, r->day)) {
		calendar_rules_error(e, "month %d does not have a day %d in every year", r->month, r->day);
		return -1;
	}
	return 0;
}

static int parse_rule(const json_t *obj, struct cal_rule *r, const struct cal_entry *e)
{
	const char *name = NULL, *citation = NULL, *sub = "none";
	r->from_year = CAL_FIRST_YEAR;
	r->to_year = CAL_LAST_YEAR;
	if (parse_rule_kind(obj, r, e) < 0 || calendar_rules_get_string(obj, "name", true, &name, e) < 0 ||
	    calendar_rules_get_string(obj, "citation", true, &citation, e) < 0 ||
	    calendar_rules_get_string(obj, "substitute", false, &sub, e) < 0 ||
	    calendar_rules_get_int(obj, "from_year", false, 1900, 2199, &r->from_year, e) < 0 ||
	    calendar_rules_get_int(obj, "to_year", false, 1900, 2199, &r->to_year, e) < 0)
		return -1;
	if (strcmp(sub, "none") != 0 && strcmp(sub, "next_free_weekday") != 0) {
		calendar_rules_error(e, "field 'substitute': '%s' is not one of none, next_free_weekday", sub);
		return -1;
	}
	if (r->from_year > r->to_year) {
		calendar_rules_error(e, "from_year %d is after to_year %d", r->from_year, r->to_year);
		return -1;
	}
	r->substitute = strcmp(sub, "next_free_weekday") == 0;
	r->name = xstrdup(name);
	return 0;
}

static const char *const fields_one_off[] = {"id", "date", "name", "citation", NULL};
static const char *const fields_move[] = {"id", "from", "to", "name", "citation", NULL};

static int parse_one_off(const json_t *obj, struct cal_one_off *o, const struct cal_entry *e)
{
	const char *name = NULL, *citation = NULL;
	if (calendar_rules_check_fields(obj, fields_one_off, e) < 0 ||
	    calendar_rules_get_date(obj, "date", true, &o->day, e) < 0 ||
	    calendar_rules_get_string(obj, "name", true, &name, e) < 0 ||
	    calendar_rules_get_string(obj, "citation", true, &citation, e) < 0 || require_weekday(o->day, "date", e) < 0)
		return -1;
	o->name = xstrdup(name);
	return 0;
}

static int parse_move(const json_t *obj, struct cal_move *m, const struct cal_entry *e)
{
	const char *name = NULL, *citation = NULL;
	int fy, ty, mo, d;
	if (calendar_rules_check_fields(obj, fields_move, e) < 0 ||
	    calendar_rules_get_date(obj, "from", true, &m->from, e) < 0 ||
	    calendar_rules_get_date(obj, "to", true, &m->to, e) < 0 ||
	    calendar_rules_get_string(obj, "name", false, &name, e) < 0 ||
	    calendar_rules_get_string(obj, "citation", true, &citation, e) < 0 || require_weekday(m->to, "to", e) < 0)
		return -1;
	date_to_ymd(m->from, &fy, &mo, &d);
	date_to_ymd(m->to, &ty, &mo, &d);
	if (fy != ty || m->from == m->to) {
		calendar_rules_error(e, "'to' must be a different day in the same year as 'from'");
		return -1;
	}
	m->name = name ? xstrdup(name) : NULL;
	return 0;
}

/* Reads one array section; each element's parser fills slot i of an array of elem_size bytes. */
static int parse_section(const json_t *root, const char *section, bool required, void **items, size_t *count,
			 size_t elem_size, int (*parse)(const json_t *, void *, const struct cal_entry *),
			 const char **seen, size_t *nseen, const char *file, struct buf *err)
{
	struct cal_entry e = {.file = file, .err = err};
	const json_t *arr = json_object_get(root, section);
	if (!arr) {
		if (required)
			calendar_rules_error(&e, "missing array '%s'", section);
		return required ? -1 : 0;
	}
	if (!json_is_array(arr)) {
		calendar_rules_error(&e, "'%s' must be an array", section);
		return -1;
	}
	*items = xcalloc(json_array_size(arr) + 1, elem_size);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *obj = json_array_get(arr, i);
		const json_t *idv = json_object_get(obj, "id");
		e.section = section;
		e.index = i;
		e.id = json_is_string(idv) ? json_string_value(idv) : NULL;
		if (!json_is_object(obj)) {
			calendar_rules_error(&e, "each entry must be an object");
			return -1;
		}
		if (calendar_rules_get_string(obj, "id", true, &e.id, &e) < 0 ||
		    check_unique_id(seen, *nseen, e.id, &e) < 0)
			return -1;
		seen[(*nseen)++] = e.id;
		char *slot = (char *)*items + i * elem_size;
		/* The id goes in first so _free() can release a half-read entry. */
		*(char **)slot = xstrdup(e.id);
		(*count)++;
		if (parse(obj, slot, &e) < 0)
			return -1;
	}
	return 0;
}

static int parse_rule_v(const json_t *o, void *p, const struct cal_entry *e)
{
	return parse_rule(o, p, e);
}

static int parse_one_off_v(const json_t *o, void *p, const struct cal_entry *e)
{
	return parse_one_off(o, p, e);
}

static int parse_move_v(const json_t *o, void *p, const struct cal_entry *e)
{
	return parse_move(o, p, e);
}

/* parse_section() writes each entry's id through a char ** at the start of the entry. */
_Static_assert(offsetof(struct cal_rule, id) == 0, "id first");
_Static_assert(offsetof(struct cal_one_off, id) == 0, "id first");
_Static_assert(offsetof(struct cal_move, id) == 0, "id first");

static const char *const fields_top[] = {"version", "jurisdiction", "rules", "one_off", "moves", NULL};

int calendar_rules_parse(struct calendar_rules *out, const json_t *root, const char *file, struct buf *err)
{
	struct cal_entry top = {.file = file, .err = err};
	struct calendar_rules r = {.file = xstrdup(file)};
	const char *jurisdiction = NULL;
	int version = 0, rc = -1;
	size_t nentries = 0, nseen = 0;
	const char **seen = NULL;
	if (!json_is_object(root)) {
		calendar_rules_error(&top, "the file must hold one JSON object");
		goto out;
	}
	if (calendar_rules_check_fields(root, fields_top, &top) < 0 ||
	    calendar_rules_get_int(root, "version", true, 1, 1, &version, &top) < 0 ||
	    calendar_rules_get_string(root, "jurisdiction", true, &jurisdiction, &top) < 0)
		goto out;
	static const char *const sections[] = {"rules", "one_off", "moves"};
	for (size_t i = 0; i < 3; i++)
		nentries += json_array_size(json_object_get(root, sections[i]));
	seen = xcalloc(nentries + 1, sizeof *seen);
	void *rules = NULL, *one_offs = NULL, *moves = NULL;
	int bad = parse_section(root, "rules", true, &rules, &r.nrules, sizeof *r.rules, parse_rule_v, seen, &nseen,
				file, err);
	if (!bad)
		bad = parse_section(root, "one_off", false, &one_offs, &r.none_offs, sizeof *r.one_offs,
				    parse_one_off_v, seen, &nseen, file, err);
	if (!bad)
		bad = parse_section(root, "moves", false, &moves, &r.nmoves, sizeof *r.moves, parse_move_v, seen,
				    &nseen, file, err);
	r.rules = rules;
	r.one_offs = one_offs;
	r.moves = moves;
	if (bad)
		goto out;
	*out = r;
	rc = 0;
out:
	free(seen);
	if (rc < 0)
		calendar_rules_free(&r);
	return rc;
}

void calendar_rules_free(struct calendar_rules *r)
{
	for (size_t i = 0; i < r->nrules; i++) {
		free(r->rules[i].id);
		free(r->rules[i].name);
	}
	for (size_t i = 0; i < r->none_offs; i++) {
		free(r->one_offs[i].id);
		free(r->one_offs[i].name);
	}
	for (size_t i = 0; i < r->nmoves; i++) {
		free(r->moves[i].id);
		free(r->moves[i].name);
	}
	free(r->rules);
	free(r->one_offs);
	free(r->moves);
	free(r->file);
	memset(r, 0, sizeof *r);
}

size_t calendar_rules_max_per_year(const struct calendar_rules *r)
{
	return r->nrules + r->none_offs;
}

static int32_t rule_date(const struct cal_rule *r, int year)
{
	switch (r->kind) {
	case CAL_RULE_FIXED:
		return date_from_ymd(year, r->month, r->day);
	case CAL_RULE_EASTER_OFFSET:
		return calendar_rules_easter(year) + r->offset;
	case CAL_RULE_NTH_WEEKDAY: {
		int32_t first = date_from_ymd(year, r->month, 1);
		return first + (r->weekday - date_weekday(first) + 7) % 7 + 7 * (r->n - 1);
	}
	case CAL_RULE_LAST_WEEKDAY: {
		int32_t last = date_from_ymd(year, r->month, date_days_in_month(year, r->month));
		return last - (date_weekday(last) - r->weekday + 7) % 7;
	}
	}
	return 0;
}

static int find_day(const struct cal_holiday *h, size_t n, int32_t day)
{
	for (size_t i = 0; i < n; i++)
		if (h[i].day == day)
			return (int)i;
	return -1;
}

static int year_of(int32_t day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	return y;
}

static void clash(const struct calendar_rules *r, const char *section, size_t index, const char *id,
		  const char *what, int32_t day, const char *other, struct buf *err)
{
	struct cal_entry e = {.file = r->file, .section = section, .index = index, .id = id, .err = err};
	char iso[DATE_ISO_LEN];
	date_format(day, iso);
	if (other)
		calendar_rules_error(&e, "%s %s is already a bank holiday (%s)", what, iso, other);
	else
		calendar_rules_error(&e, "%s %s is not a bank holiday under the rules", what, iso);
}

/* A holiday that falls on a weekday keeps its own day. The ones that fall on a weekend then take, in rule order,
 * the next weekday not already taken: so Christmas on a Sunday moves to Tuesday 27 because Boxing Day keeps
 * Monday 26, and Christmas on a Saturday takes Monday 27, pushing Boxing Day to Tuesday 28. */
int calendar_rules_year(const struct calendar_rules *r, int year, struct cal_holiday *out, struct buf *err)
{
	size_t n = 0;
	bool *pending = xcalloc(r->nrules + 1, sizeof *pending);
	int rc = -1;
	for (size_t i = 0; i < r->nrules; i++) {
		const struct cal_rule *rule = &r->rules[i];
		if (year < rule->from_year || year > rule->to_year)
			continue;
		int32_t d = rule_date(rule, year);
		int at = find_day(out, n, d);
		if (date_weekday(d) < 5 && at < 0)
			out[n++] = (struct cal_holiday){.day = d, .name = rule->name};
		else if (date_weekday(d) < 5 && !rule->substitute) {
			clash(r, "rules", i, rule->id, "its day", d, out[at].name, err);
			goto out;
		} else
			pending[i] = true;
	}
	for (size_t i = 0; i < r->nrules; i++) {
		if (!pending[i] || !r->rules[i].substitute)
			continue;
		int32_t d = rule_date(&r->rules[i], year) + 1;
		while (date_weekday(d) >= 5 || find_day(out, n, d) >= 0)
			d++;
		out[n++] = (struct cal_holiday){.day = d, .name = r->rules[i].name, .substitute = true};
	}
	for (size_t i = 0; i < r->nmoves; i++) {
		const struct cal_move *m = &r->moves[i];
		if (year_of(m->from) != year)
			continue;
		int at = find_day(out, n, m->from), to = find_day(out, n, m->to);
		if (at < 0 || to >= 0) {
			clash(r, "moves", i, m->id, at < 0 ? "'from'" : "'to'", at < 0 ? m->from : m->to,
			      at < 0 ? NULL : out[to].name, err);
			goto out;
		}
		out[at].day = m->to;
		if (m->name)
			out[at].name = m->name;
	}
	for (size_t i = 0; i < r->none_offs; i++) {
		const struct cal_one_off *o = &r->one_offs[i];
		if (year_of(o->day) != year)
			continue;
		int at = find_day(out, n, o->day);
		if (at >= 0) {
			clash(r, "one_off", i, o->id, "'date'", o->day, out[at].name, err);
			goto out;
		}
		out[n++] = (struct cal_holiday){.day = o->day, .name = o->name};
	}
	for (size_t i = 1; i < n; i++) {
		struct cal_holiday h = out[i];
		size_t j = i;
		for (; j > 0 && out[j - 1].day > h.day; j--)
			out[j] = out[j - 1];
		out[j] = h;
	}
	rc = (int)n;
out:
	free(pending);
	return rc;
}
