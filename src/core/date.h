/* date: civil dates and moments, with no time-zone database.
 *
 * A day is a count of days since 1970-01-01 (int32_t; negative before 1970), so date arithmetic is integer
 * arithmetic. A moment is seconds since the Unix epoch in UTC (int64_t). Safeguard shows and reads times in
 * Europe/London: BST runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October
 * (the rule in force since 1996, applied to every year we support).
 *
 * All functions are pure and thread-safe. Parsers return 0 on success and -1 on bad input, leaving *out untouched. */
#ifndef SG_DATE_H
#define SG_DATE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DATE_ISO_LEN 11      /* "YYYY-MM-DD" + NUL */
#define MOMENT_ISO_LEN 26    /* "YYYY-MM-DDTHH:MM:SS+01:00" + NUL */

int32_t date_from_ymd(int y, int m, int d); /* no validation: callers pass a valid date */
void date_to_ymd(int32_t day, int *y, int *m, int *d);
bool date_valid_ymd(int y, int m, int d);
int date_days_in_month(int y, int m);
bool date_is_leap(int y);
int date_weekday(int32_t day); /* 0 = Monday .. 6 = Sunday */

/* Strict ISO 8601 calendar date "YYYY-MM-DD" (years 1900-2199); rejects 2026-02-30. */
int date_parse(const char *s, int32_t *out);
void date_format(int32_t day, char out[DATE_ISO_LEN]);

/* Europe/London. */
int64_t moment_from_local(int32_t day, int hour, int minute, int second);
void moment_to_local(int64_t t, int32_t *day, int *hour, int *minute, int *second);
int moment_utc_offset(int64_t t); /* seconds east of UTC in London at t: 0 or 3600 */
/* Accepts "YYYY-MM-DD" (London midnight), "YYYY-MM-DDTHH:MM[:SS]" (London local time), or with "Z" / "+HH:MM". */
int moment_parse(const char *s, int64_t *out);
/* "YYYY-MM-DDTHH:MM:SS+00:00" or "+01:00", in London local time. */
void moment_format(int64_t t, char out[MOMENT_ISO_LEN]);
int64_t moment_now(void);
int32_t date_today(void); /* today's date in London */
/* Makes moment_now() (and so date_today()) answer t instead of the clock, until called with 0. Only for
 * `safeguard seed-demo`, which replays a fictional past through the service's own commands so that every record is
 * dated when its step happened; the server never calls it. */
void moment_fix_now(int64_t t);

#endif
