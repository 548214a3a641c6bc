/* An authority's closure-day file: whole days on which its offices are shut, each approved by someone named. */
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar_rules.h"
#include "core/date.h"
#include "core/xmalloc.h"

/* A closure run longer than this is more likely a typing slip in a year than a real closure. */
#define MAX_CLOSURE_SPAN 31

static const char *const fields_top[] = {"version", "authority", "name", "note", "closures", NULL};
static const char *const fields_closure[] = {"id", "date", "from", "to", "name", "reason", "approved_by", NULL};

static void add_day(struct calendar_local *l, size_t *cap, const char *id, const char *name, int32_t day)
{
	if (l->nclosures == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		l->closures = xrealloc(l->closures, *cap * sizeof *l->closures);
	}
	l->closures[l->nclosures++] = (struct cal_closure){.id = xstrdup(id), .name = xstrdup(name), .day = day};
}

static int check_new_day(const struct calendar_local *l, int32_t day, const struct cal_entry *e)
{
	char iso[DATE_ISO_LEN];
	date_format(day, iso);
	for (size_t i = 0; i < l->nclosures; i++) {
		if (l->closures[i].day == day) {
			calendar_rules_error(e, "%s is already a closure day under entry '%s'", iso, l->closures[i].id);
			return -1;
		}
	}
	return 0;
}

/* One entry: either one "date" (which must be a weekday), or "from" and "to" (inclusive), whose weekend days are
 * skipped because they are never working days anyway. */
static int parse_closure(const json_t *obj, struct calendar_local *l, size_t *cap, const struct cal_entry *e)
{
	const char *name = NULL, *reason = NULL, *approved = NULL;
	int32_t date = 0, from = 0, to = 0;
	if (calendar_rules_check_fields(obj, fields_closure, e) < 0 ||
	    calendar_rules_get_string(obj, "name", true, &name, e) < 0 ||
	    calendar_rules_get_string(obj, "reason", true, &reason, e) < 0 ||
	    calendar_rules_get_string(obj, "approved_by", true, &approved, e) < 0)
		return -1;
	bool single = json_object_get(obj, "date") != NULL;
	bool span = json_object_get(obj, "from") || json_object_get(obj, "to");
	if (single == span) {
		calendar_rules_error(e, "give either 'date', or both 'from' and 'to'");
		return -1;
	}
	if (single) {
		if (calendar_rules_get_date(obj, "date", true, &date, e) < 0)
			return -1;
		if (date_weekday(date) >= 5) {
			char iso[DATE_ISO_LEN];
			date_format(date, iso);
			calendar_rules_error(e, "field 'date': %s falls at a weekend, which is never a working day", iso);
			return -1;
		}
		from = to = date;
	} else if (calendar_rules_get_date(obj, "from", true, &from, e) < 0 ||
		   calendar_rules_get_date(obj, "to", true, &to, e) < 0) {
		return -1;
	} else if (to < from || to - from >= MAX_CLOSURE_SPAN) {
		calendar_rules_error(e, "'from' to 'to' must run forwards and span at most %d days", MAX_CLOSURE_SPAN);
		return -1;
	}
	for (int32_t d = from; d <= to; d++) {
		if (date_weekday(d) >= 5)
			continue;
		if (check_new_day(l, d, e) < 0)
			return -1;
		add_day(l, cap, e->id, name, d);
	}
	return 0;
}

static int check_ids(const json_t *arr, size_t upto, const char *id, const struct cal_entry *e)
{
	for (size_t i = 0; i < upto; i++) {
		const char *other = json_string_value(json_object_get(json_array_get(arr, i), "id"));
		if (other && strcmp(other, id) == 0) {
			calendar_rules_error(e, "duplicate id '%s'", id);
			return -1;
		}
	}
	return 0;
}

int calendar_local_parse(struct calendar_local *out, const json_t *root, const char *file, const char *authority,
			 struct buf *err)
{
	struct cal_entry e = {.file = file, .err = err};
	struct calendar_local l = {0};
	const char *auth = NULL, *name = NULL, *note = NULL;
	int version = 0;
	size_t cap = 0;
	if (!json_is_object(root)) {
		calendar_rules_error(&e, "the file must hold one JSON object");
		goto fail;
	}
	if (calendar_rules_check_fields(root, fields_top, &e) < 0 ||
	    calendar_rules_get_int(root, "version", true, 1, 1, &version, &e) < 0 ||
	    calendar_rules_get_string(root, "authority", true, &auth, &e) < 0 ||
	    calendar_rules_get_string(root, "name", true, &name, &e) < 0 ||
	    calendar_rules_get_string(root, "note", false, &note, &e) < 0)
		goto fail;
	if (strcmp(auth, authority) != 0) {
		calendar_rules_error(&e, "field 'authority' is '%s' but the file is for '%s'", auth, authority);
		goto fail;
	}
	const json_t *arr = json_object_get(root, "closures");
	if (!json_is_array(arr)) {
		calendar_rules_error(&e, "'closures' must be an array (it may be empty)");
		goto fail;
	}
	e.section = "closures";
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *obj = json_array_get(arr, i);
		e.index = i;
		e.id = NULL;
		if (!json_is_object(obj)) {
			calendar_rules_error(&e, "each entry must be an object");
			goto fail;
		}
		if (calendar_rules_get_string(obj, "id", true, &e.id, &e) < 0 || check_ids(arr, i, e.id, &e) < 0 ||
		    parse_closure(obj, &l, &cap, &e) < 0)
			goto fail;
	}
	*out = l;
	return 0;
fail:
	calendar_local_free(&l);
	return -1;
}

void calendar_local_free(struct calendar_local *l)
{
	for (size_t i = 0; i < l->nclosures; i++) {
		free(l->closures[i].id);
		free(l->closures[i].name);
	}
	free(l->closures);
	memset(l, 0, sizeof *l);
}
