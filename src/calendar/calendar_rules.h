/* calendar_rules: private to src/calendar/. Reads the rule files into plain structs and works out each year's days.
 *
 * calendar_rules_parse() and calendar_local_parse() borrow the JSON and copy what they keep; the structs they fill
 * own their strings until the matching _free(). Every error appended to err names the file, the entry (section,
 * index and id) and the problem. */
#ifndef SG_CALENDAR_RULES_H
#define SG_CALENDAR_RULES_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define CAL_FIRST_YEAR 2000
#define CAL_LAST_YEAR 2100

enum cal_rule_kind {
	CAL_RULE_FIXED,         /* month + day */
	CAL_RULE_EASTER_OFFSET, /* days from Easter Sunday */
	CAL_RULE_NTH_WEEKDAY,   /* n-th weekday of a month */
	CAL_RULE_LAST_WEEKDAY,  /* last weekday of a month */
};

struct cal_rule {
	char *id, *name;
	enum cal_rule_kind kind;
	int month, day, offset, n, weekday; /* weekday 0 = Monday, as date_weekday() */
	bool substitute;                    /* on a weekend, move to the next free weekday */
	int from_year, to_year;             /* inclusive; the whole supported range when absent */
};

struct cal_one_off {
	char *id, *name;
	int32_t day;
};

struct cal_move {
	char *id, *name; /* name NULL: keep the rule's name */
	int32_t from, to;
};

struct calendar_rules {
	char *file; /* for errors found while working out the years */
	struct cal_rule *rules;
	size_t nrules;
	struct cal_one_off *one_offs;
	size_t none_offs;
	struct cal_move *moves;
	size_t nmoves;
};

/* One national day of one year. name borrows from the rules; substitute days say so separately. */
struct cal_holiday {
	int32_t day;
	const char *name;
	bool substitute;
};

struct cal_closure {
	char *id, *name;
	int32_t day;
};

struct calendar_local {
	struct cal_closure *closures;
	size_t nclosures;
};

int calendar_rules_parse(struct calendar_rules *out, const json_t *root, const char *file, struct buf *err);
void calendar_rules_free(struct calendar_rules *r);
/* The national days of `year` in date order, at most calendar_rules_max_per_year(r) of them; returns the count or -1
 * when a move or one-off day clashes with the computed days. */
int calendar_rules_year(const struct calendar_rules *r, int year, struct cal_holiday *out, struct buf *err);
size_t calendar_rules_max_per_year(const struct calendar_rules *r);
/* Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm). */
int32_t calendar_rules_easter(int year);

/* authority: the file's expected "authority" value (the file name without .json). */
int calendar_local_parse(struct calendar_local *out, const json_t *root, const char *file, const char *authority,
			 struct buf *err);
void calendar_local_free(struct calendar_local *l);

/* The England and Wales rules compiled in, identical in effect to rules/calendar/england-and-wales.json
 * (test_calendar checks this for every year), for calendar_new_national(). */
extern const char calendar_national_json[];

/* Where a parser is, for error messages: "file: section[index] 'id': problem". section NULL = the whole file. */
struct cal_entry {
	const char *file, *section, *id;
	size_t index;
	struct buf *err;
};

void calendar_rules_error(const struct cal_entry *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Refuse fields not in allowed (NULL-terminated): a misspelt field must not be silently ignored. */
int calendar_rules_check_fields(const json_t *obj, const char *const *allowed, const struct cal_entry *e);
/* Typed field readers: a missing optional field leaves *out alone and returns 0; a missing required one, a wrong
 * type or a value out of bounds returns -1 with an error. Strings must be non-empty. Dates are "YYYY-MM-DD" and
 * must lie in the supported range. */
int calendar_rules_get_string(const json_t *obj, const char *key, bool required, const char **out,
			      const struct cal_entry *e);
int calendar_rules_get_int(const json_t *obj, const char *key, bool required, int lo, int hi, int *out,
			   const struct cal_entry *e);
int calendar_rules_get_date(const json_t *obj, const char *key, bool required, int32_t *out,
			    const struct cal_entry *e);

#endif
