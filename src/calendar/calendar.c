/* Working-day calendar: per-day tables over the supported range, so every query is O(1).
 *
 * upto[i] is the number of working days in [first day, first day + i], and ordinal[k] is the offset of the
 * (k+1)-th working day. Then count(from, to] = upto[to] - upto[from], and add(d, n) for n != 0 is the working day
 * whose upto is upto[d] + n, which is ordinal[upto[d] + n - 1]. That one formula serves both signs and keeps
 * count(d, add(d, n)) == n for every n: a non-working day sits at the end of the working day before it, so one
 * working day before a Sunday is the Thursday, just as one after a Saturday is the Monday. */
#include "calendar/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar_rules.h"
#include "core/date.h"
#include "core/xmalloc.h"

#define CAL_FIRST 10957 /* 2000-01-01 */
#define CAL_DAYS 36890  /* to 2100-12-31: 101 years, 25 of them leap */
#define CAL_MAX_NAMES 65535
#define NATIONAL_FILE "england-and-wales.json"
#define MAX_AUTHORITY_LEN 64

struct calendar {
	uint8_t kind[CAL_DAYS];    /* enum calendar_day_kind */
	uint16_t name[CAL_DAYS];   /* index into names; 0 = no name */
	int32_t upto[CAL_DAYS];    /* working days in [CAL_FIRST, CAL_FIRST + i] */
	int32_t ordinal[CAL_DAYS]; /* offset from CAL_FIRST of working day number k (from 0) */
	int32_t nworking;
	char **names; /* names[0] is unused so that 0 can mean "none" */
	size_t nnames, capnames;
};

int32_t calendar_first_day(void)
{
	return CAL_FIRST;
}

int32_t calendar_last_day(void)
{
	return CAL_FIRST + CAL_DAYS - 1;
}

bool calendar_in_range(int32_t day)
{
	return day >= CAL_FIRST && day < CAL_FIRST + CAL_DAYS;
}

/* Names repeat every year ("Christmas Day"), so each is stored once. Returns 0 when the table is full. */
static uint16_t intern(struct calendar *cal, const char *s)
{
	for (size_t i = 1; i < cal->nnames; i++)
		if (strcmp(cal->names[i], s) == 0)
			return (uint16_t)i;
	if (cal->nnames > CAL_MAX_NAMES)
		return 0;
	if (cal->nnames == cal->capnames) {
		cal->capnames = cal->capnames ? cal->capnames * 2 : 64;
		cal->names = xrealloc(cal->names, cal->capnames * sizeof *cal->names);
	}
	cal->names[cal->nnames] = xstrdup(s);
	return (uint16_t)cal->nnames++;
}

static struct calendar *calendar_alloc(void)
{
	struct calendar *cal = xcalloc(1, sizeof *cal);
	cal->nnames = 1;
	cal->capnames = 64;
	cal->names = xcalloc(cal->capnames, sizeof *cal->names);
	for (int32_t i = 0; i < CAL_DAYS; i++)
		cal->kind[i] = date_weekday(CAL_FIRST + i) >= 5 ? CAL_WEEKEND : CAL_WORKING;
	return cal;
}

void calendar_free(struct calendar *cal)
{
	if (!cal)
		return;
	for (size_t i = 1; i < cal->nnames; i++)
		free(cal->names[i]);
	free(cal->names);
	free(cal);
}

static void build_index(struct calendar *cal)
{
	int32_t w = 0;
	for (int32_t i = 0; i < CAL_DAYS; i++) {
		if (cal->kind[i] == CAL_WORKING)
			cal->ordinal[w++] = i;
		cal->upto[i] = w;
	}
	cal->nworking = w;
}

static int apply_national(struct calendar *cal, const struct calendar_rules *r, struct buf *err)
{
	struct cal_holiday *h = xcalloc(calendar_rules_max_per_year(r) + 1, sizeof *h);
	struct buf name = {0};
	int rc = -1;
	for (int y = CAL_FIRST_YEAR; y <= CAL_LAST_YEAR; y++) {
		int n = calendar_rules_year(r, y, h, err);
		if (n < 0)
			goto out;
		for (int j = 0; j < n; j++) {
			/* A substitute can in principle run past the end of the range; the table stops there. */
			if (!calendar_in_range(h[j].day))
				continue;
			int32_t i = h[j].day - CAL_FIRST;
			if (cal->kind[i] == CAL_BANK_HOLIDAY) {
				char iso[DATE_ISO_LEN];
				date_format(h[j].day, iso);
				if (err)
					buf_addf(err, "%s: %s is both %s and %s", r->file, iso, cal->names[cal->name[i]],
						 h[j].name);
				goto out;
			}
			buf_reset(&name);
			buf_addf(&name, h[j].substitute ? "%s (substitute day)" : "%s", h[j].name);
			cal->kind[i] = CAL_BANK_HOLIDAY;
			cal->name[i] = intern(cal, buf_str(&name));
		}
	}
	rc = 0;
out:
	buf_free(&name);
	free(h);
	return rc;
}

/* A closure on a day that is already a bank holiday changes nothing: the national reason is the better answer. */
static int mark_closure(struct calendar *cal, int32_t day, const char *name)
{
	if (!calendar_in_range(day) || !name || !*name)
		return -1;
	int32_t i = day - CAL_FIRST;
	if (cal->kind[i] != CAL_WORKING)
		return 0;
	uint16_t idx = intern(cal, name);
	if (!idx)
		return -1;
	cal->kind[i] = CAL_LOCAL_CLOSURE;
	cal->name[i] = idx;
	return 0;
}

static json_t *load_json(const char *path, struct buf *err)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root && err) {
		if (err->len)
			buf_adds(err, "; ");
		if (jerr.line > 0)
			buf_addf(err, "%s: line %d column %d: %s", path, jerr.line, jerr.column, jerr.text);
		else
			buf_addf(err, "%s: %s", path, jerr.text);
	}
	return root;
}

/* The authority name becomes part of a path, so it is held to a safe alphabet. */
static bool authority_ok(const char *a)
{
	size_t n = strlen(a);
	if (n == 0 || n > MAX_AUTHORITY_LEN || a[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((a[i] >= 'a' && a[i] <= 'z') || (a[i] >= '0' && a[i] <= '9') || a[i] == '-' || a[i] == '_'))
			return false;
	return true;
}

static int load_local(struct calendar *cal, const char *rules_dir, const char *authority, struct buf *err)
{
	struct buf path = {0};
	struct calendar_local l = {0};
	json_t *root = NULL;
	int rc = -1;
	if (!authority_ok(authority)) {
		if (err)
			buf_addf(err, "authority '%s': use lower-case letters, digits, '-' and '_' only", authority);
		goto out;
	}
	buf_addf(&path, "%s/calendar/local/%s.json", rules_dir, authority);
	root = load_json(buf_str(&path), err);
	if (!root || calendar_local_parse(&l, root, buf_str(&path), authority, err) < 0)
		goto out;
	for (size_t i = 0; i < l.nclosures; i++) {
		if (mark_closure(cal, l.closures[i].day, l.closures[i].name) < 0) {
			if (err)
				buf_addf(err, "%s: closures '%s': too many distinct names", buf_str(&path),
					 l.closures[i].id);
			goto out;
		}
	}
	rc = 0;
out:
	calendar_local_free(&l);
	json_decref(root);
	buf_free(&path);
	return rc;
}

static struct calendar *build_national(const json_t *root, const char *file, struct buf *err)
{
	struct calendar_rules r = {0};
	if (calendar_rules_parse(&r, root, file, err) < 0)
		return NULL;
	struct calendar *cal = calendar_alloc();
	if (apply_national(cal, &r, err) < 0) {
		calendar_free(cal);
		cal = NULL;
	}
	calendar_rules_free(&r);
	return cal;
}

int calendar_load(struct calendar **out, const char *rules_dir, const char *authority, struct buf *err)
{
	struct buf path = {0};
	struct calendar *cal = NULL;
	int rc = -1;
	buf_addf(&path, "%s/calendar/%s", rules_dir, NATIONAL_FILE);
	json_t *root = load_json(buf_str(&path), err);
	if (!root)
		goto out;
	cal = build_national(root, buf_str(&path), err);
	if (!cal || (authority && *authority && load_local(cal, rules_dir, authority, err) < 0))
		goto out;
	build_index(cal);
	*out = cal;
	cal = NULL;
	rc = 0;
out:
	calendar_free(cal);
	json_decref(root);
	buf_free(&path);
	return rc;
}

/* The compiled-in rules are checked by the tests, so failing here is a broken build, not bad input. */
struct calendar *calendar_new_national(void)
{
	json_error_t jerr;
	struct buf err = {0};
	json_t *root = json_loads(calendar_national_json, JSON_REJECT_DUPLICATES, &jerr);
	struct calendar *cal = root ? build_national(root, "(built-in " NATIONAL_FILE ")", &err) : NULL;
	if (!cal) {
		fprintf(stderr, "safeguard: built-in calendar rules are broken: %s\n", root ? buf_str(&err) : jerr.text);
		abort();
	}
	json_decref(root);
	buf_free(&err);
	build_index(cal);
	return cal;
}

int calendar_add_closure(struct calendar *cal, int32_t day, const char *name)
{
	if (mark_closure(cal, day, name) < 0)
		return -1;
	build_index(cal);
	return 0;
}

/* Outside the range there are no tables, so these two answer from the weekday alone; every arithmetic operation
 * refuses such days instead. */
bool calendar_is_working_day(const struct calendar *cal, int32_t day)
{
	if (!calendar_in_range(day))
		return date_weekday(day) < 5;
	return cal->kind[day - CAL_FIRST] == CAL_WORKING;
}

enum calendar_day_kind calendar_day_kind(const struct calendar *cal, int32_t day, const char **name)
{
	if (name)
		*name = NULL;
	if (!calendar_in_range(day))
		return date_weekday(day) >= 5 ? CAL_WEEKEND : CAL_WORKING;
	int32_t i = day - CAL_FIRST;
	if (name)
		*name = cal->names[cal->name[i]];
	return (enum calendar_day_kind)cal->kind[i];
}

int calendar_add_working_days(const struct calendar *cal, int32_t day, int n, int32_t *out)
{
	/* Unsigned wrap-around makes one comparison reject days on both sides of the range. */
	uint32_t i = (uint32_t)day - (uint32_t)CAL_FIRST;
	if (i >= CAL_DAYS)
		return -1;
	if (n == 0) {
		*out = day;
		return 0;
	}
	int64_t k = (int64_t)cal->upto[i] + n - 1;
	if (k < 0 || k >= cal->nworking)
		return -1;
	*out = CAL_FIRST + cal->ordinal[k];
	return 0;
}

int calendar_count_working_days(const struct calendar *cal, int32_t from, int32_t to, int *out)
{
	if (!calendar_in_range(from) || !calendar_in_range(to))
		return -1;
	*out = cal->upto[to - CAL_FIRST] - cal->upto[from - CAL_FIRST];
	return 0;
}

int calendar_add_days(int32_t day, int n, int32_t *out)
{
	int64_t r = (int64_t)day + n;
	if (!calendar_in_range(day) || r < CAL_FIRST || r >= CAL_FIRST + CAL_DAYS)
		return -1;
	*out = (int32_t)r;
	return 0;
}

int calendar_add_weeks(int32_t day, int n, int32_t *out)
{
	int64_t r = (int64_t)day + (int64_t)n * 7;
	if (!calendar_in_range(day) || r < CAL_FIRST || r >= CAL_FIRST + CAL_DAYS)
		return -1;
	*out = (int32_t)r;
	return 0;
}

int calendar_add_months(int32_t day, int n, int32_t *out)
{
	int y, m, d;
	if (!calendar_in_range(day))
		return -1;
	date_to_ymd(day, &y, &m, &d);
	int64_t months = (int64_t)y * 12 + (m - 1) + n;
	if (months < (int64_t)CAL_FIRST_YEAR * 12 || months > (int64_t)CAL_LAST_YEAR * 12 + 11)
		return -1;
	int ny = (int)(months / 12), nm = (int)(months % 12) + 1;
	int dim = date_days_in_month(ny, nm);
	*out = date_from_ymd(ny, nm, d < dim ? d : dim);
	return 0;
}

static bool moment_in_range(int64_t t)
{
	int32_t day;
	int h, m, s;
	moment_to_local(t, &day, &h, &m, &s);
	return calendar_in_range(day);
}

/* Elapsed hours on the UTC time line: 48 hours across the October change end 47 wall-clock hours later. */
int calendar_add_hours(int64_t moment, int n, int64_t *out)
{
	/* Bound first so the arithmetic cannot overflow; the range is about 3.2 million hours long. */
	if (moment < (int64_t)CAL_FIRST * 86400 - 86400 || moment > (int64_t)(CAL_FIRST + CAL_DAYS) * 86400)
		return -1;
	int64_t r = moment + (int64_t)n * 3600;
	if (!moment_in_range(moment) || !moment_in_range(r))
		return -1;
	*out = r;
	return 0;
}

int calendar_bank_holidays(const struct calendar *cal, int year, int32_t *days, const char **names, int max)
{
	if (year < CAL_FIRST_YEAR || year > CAL_LAST_YEAR)
		return -1;
	int count = 0;
	int32_t first = date_from_ymd(year, 1, 1) - CAL_FIRST, last = date_from_ymd(year, 12, 31) - CAL_FIRST;
	for (int32_t i = first; i <= last; i++) {
		if (cal->kind[i] != CAL_BANK_HOLIDAY)
			continue;
		if (count < max) {
			if (days)
				days[count] = CAL_FIRST + i;
			if (names)
				names[count] = cal->names[cal->name[i]];
		}
		count++;
	}
	return count;
}
