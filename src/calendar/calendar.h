/* calendar: working days for England and Wales, with an authority's own closure days.
 *
 * A calendar is built once from the data under rules/calendar/ (the movable bank-holiday rules are computed, one-off
 * days and each authority's closure days are data) and is then read-only, so it is safe to share between threads.
 * Supported range: 2000-01-01 to 2100-12-31 (CALENDAR_FIRST_DAY .. CALENDAR_LAST_DAY); an operation whose input or
 * result falls outside it returns -1.
 *
 * Counting convention (spec procedures-A1-5 §2.1 note 1): the day of the event is day 0; "within N working days"
 * means by the end of the Nth working day after it. So add_working_days(Fri, 1) = the next working Monday, and
 * add_working_days(d, 0) = d. count_working_days(from, to) counts working days in (from, to]: it is the inverse, so
 * count(d, add(d, n)) == n. */
#ifndef SG_CALENDAR_H
#define SG_CALENDAR_H
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"

struct calendar;

/* Why a day is not a working day (for "why is the date what it is"). */
enum calendar_day_kind {
	CAL_WORKING = 0,
	CAL_WEEKEND,
	CAL_BANK_HOLIDAY,  /* includes substitute days and one-off national days */
	CAL_LOCAL_CLOSURE, /* the authority's own closure day */
};

/* Load rules_dir/calendar/england-and-wales.json and rules_dir/calendar/local/<authority>.json (authority NULL or
 * "" = national days only). On failure returns -1 and appends a message naming the file, the entry and the problem
 * to err. */
int calendar_load(struct calendar **out, const char *rules_dir, const char *authority, struct buf *err);
/* A calendar with national bank holidays only and no data files (tests, `deadline` without rules). */
struct calendar *calendar_new_national(void);
void calendar_free(struct calendar *cal);

/* Add a closure day at run time (the admin page edits the same data); returns -1 outside the range. */
int calendar_add_closure(struct calendar *cal, int32_t day, const char *name);

int32_t calendar_first_day(void);
int32_t calendar_last_day(void);
bool calendar_in_range(int32_t day);

bool calendar_is_working_day(const struct calendar *cal, int32_t day);
enum calendar_day_kind calendar_day_kind(const struct calendar *cal, int32_t day, const char **name);
int calendar_add_working_days(const struct calendar *cal, int32_t day, int n, int32_t *out); /* n may be < 0 */
int calendar_count_working_days(const struct calendar *cal, int32_t from, int32_t to, int *out);
int calendar_add_days(int32_t day, int n, int32_t *out);
int calendar_add_weeks(int32_t day, int n, int32_t *out);
int calendar_add_months(int32_t day, int n, int32_t *out); /* 31 Jan + 1 month = 28/29 Feb (month-end clamping) */
int calendar_add_hours(int64_t moment, int n, int64_t *out);  /* elapsed hours: correct across clock changes */

/* The national bank holidays of a year, in date order, for tests and the admin page: returns the count. */
int calendar_bank_holidays(const struct calendar *cal, int year, int32_t *days, const char **names, int max);

#endif
