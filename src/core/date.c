#include "core/date.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SECS_PER_DAY 86400
#define PARSE_MIN_YEAR 1900
#define PARSE_MAX_YEAR 2199

/* Floor division and modulo: C's / and % truncate towards zero, which is wrong for moments before 1970. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
	return a - floor_div(a, b) * b;
}

/* Howard Hinnant's days_from_civil: proleptic Gregorian, exact for any year that fits. */
int32_t date_from_ymd(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

/* Hinnant's civil_from_days, the inverse of the above. */
void date_to_ymd(int32_t day, int *y, int *m, int *d)
{
	int64_t z = (int64_t)day + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
	int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (mm <= 2));
	*m = mm;
	*d = dd;
}

bool date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
	static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12)
		return 0;
	return m == 2 && date_is_leap(y) ? 29 : len[m - 1];
}

bool date_valid_ymd(int y, int m, int d)
{
	return m >= 1 && m <= 12 && d >= 1 && d <= date_days_in_month(y, m);
}

int date_weekday(int32_t day)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	return (int)floor_mod((int64_t)day + 3, 7);
}

/* Reads exactly n ASCII digits; no sign, no spaces. */
static int read_digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* The "YYYY-MM-DD" prefix of s; the caller checks what follows. */
static int parse_date_prefix(const char *s, int32_t *out)
{
	int y, m, d;
	if (read_digits(s, 4, &y) < 0 || s[4] != '-' || read_digits(s + 5, 2, &m) < 0 || s[7] != '-' ||
	    read_digits(s + 8, 2, &d) < 0)
		return -1;
	if (y < PARSE_MIN_YEAR || y > PARSE_MAX_YEAR || !date_valid_ymd(y, m, d))
		return -1;
	*out = date_from_ymd(y, m, d);
	return 0;
}

int date_parse(const char *s, int32_t *out)
{
	int32_t day;
	if (!s || strnlen(s, 11) != 10 || parse_date_prefix(s, &day) < 0)
		return -1;
	*out = day;
	return 0;
}

/* Years are kept to four digits so the output always fits; callers only format dates in the supported range. */
static unsigned clamp_year(int y)
{
	return y < 0 ? 0u : y > 9999 ? 9999u : (unsigned)y;
}

void date_format(int32_t day, char out[DATE_ISO_LEN])
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	snprintf(out, DATE_ISO_LEN, "%04u-%02u-%02u", clamp_year(y), (unsigned)m % 100u, (unsigned)d % 100u);
}

/* The last Sunday of a month, at 01:00 UTC, as a moment. */
static int64_t last_sunday_0100_utc(int y, int m)
{
	int32_t last = date_from_ymd(y, m, date_days_in_month(y, m));
	int32_t sunday = last - (date_weekday(last) + 1) % 7;
	return (int64_t)sunday * SECS_PER_DAY + 3600;
}

int moment_utc_offset(int64_t t)
{
	int y, m, d;
	date_to_ymd((int32_t)floor_div(t, SECS_PER_DAY), &y, &m, &d);
	if (m < 3 || m > 10)
		return 0;
	return t >= last_sunday_0100_utc(y, 3) && t < last_sunday_0100_utc(y, 10) ? 3600 : 0;
}

/* A London wall-clock time either exists once, twice (the October hour repeats) or not at all (the March hour is
 * skipped). Returns how many readings there are and the earlier one in *out; a skipped time gets the GMT reading,
 * which lands an hour later on the clock, as if the clock had been read before it went forward. */
static int local_readings(int32_t day, int hour, int minute, int second, int64_t *out)
{
	int64_t wall = (int64_t)day * SECS_PER_DAY + (int64_t)hour * 3600 + minute * 60 + second;
	bool as_bst = moment_utc_offset(wall - 3600) == 3600;
	bool as_gmt = moment_utc_offset(wall) == 0;
	*out = as_bst ? wall - 3600 : wall;
	return (int)as_bst + (int)as_gmt;
}

int64_t moment_from_local(int32_t day, int hour, int minute, int second)
{
	int64_t t;
	local_readings(day, hour, minute, second, &t);
	return t;
}

void moment_to_local(int64_t t, int32_t *day, int *hour, int *minute, int *second)
{
	int64_t local = t + moment_utc_offset(t);
	int64_t secs = floor_mod(local, SECS_PER_DAY);
	*day = (int32_t)floor_div(local, SECS_PER_DAY);
	*hour = (int)(secs / 3600);
	*minute = (int)(secs / 60 % 60);
	*second = (int)(secs % 60);
}

/* "+HH:MM" or "-HH:MM" into seconds east of UTC; real offsets lie within ±14:00. */
static int parse_offset(const char *s, int *out)
{
	int h, m;
	if ((s[0] != '+' && s[0] != '-') || read_digits(s + 1, 2, &h) < 0 || s[3] != ':' ||
	    read_digits(s + 4, 2, &m) < 0 || s[6] != '\0')
		return -1;
	if (m > 59 || h * 60 + m > 14 * 60)
		return -1;
	*out = (s[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
	return 0;
}

int moment_parse(const char *s, int64_t *out)
{
	int32_t day;
	int hour, minute, second = 0;
	if (!s || parse_date_prefix(s, &day) < 0)
		return -1;
	const char *p = s + 10;
	if (*p == '\0') {
		*out = moment_from_local(day, 0, 0, 0);
		return 0;
	}
	if (p[0] != 'T' || read_digits(p + 1, 2, &hour) < 0 || p[3] != ':' || read_digits(p + 4, 2, &minute) < 0)
		return -1;
	p += 6;
	if (*p == ':') {
		if (read_digits(p + 1, 2, &second) < 0)
			return -1;
		p += 3;
	}
	if (hour > 23 || minute > 59 || second > 59)
		return -1;
	int64_t wall = (int64_t)day * SECS_PER_DAY + hour * 3600 + minute * 60 + second;
	if (*p == '\0') {
		int64_t t;
		/* A wall-clock time that London skipped did not happen: refuse it rather than guess. */
		if (local_readings(day, hour, minute, second, &t) == 0)
			return -1;
		*out = t;
		return 0;
	}
	if (p[0] == 'Z' && p[1] == '\0') {
		*out = wall;
		return 0;
	}
	int offset;
	if (parse_offset(p, &offset) < 0)
		return -1;
	*out = wall - offset;
	return 0;
}

void moment_format(int64_t t, char out[MOMENT_ISO_LEN])
{
	int32_t day;
	int y, mo, d, h, mi, s;
	moment_to_local(t, &day, &h, &mi, &s);
	date_to_ymd(day, &y, &mo, &d);
	int off = moment_utc_offset(t) / 3600;
	snprintf(out, MOMENT_ISO_LEN, "%04u-%02u-%02uT%02u:%02u:%02u+%02u:00", clamp_year(y), (unsigned)mo % 100u,
		 (unsigned)d % 100u, (unsigned)h % 100u, (unsigned)mi % 100u, (unsigned)s % 100u, (unsigned)off % 100u);
}

static _Atomic int64_t fixed_now;

void moment_fix_now(int64_t t)
{
	atomic_store(&fixed_now, t);
}

int64_t moment_now(void)
{
	int64_t fixed = atomic_load(&fixed_now);
	if (fixed)
		return fixed;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

int32_t date_today(void)
{
	int32_t day;
	int h, m, s;
	moment_to_local(moment_now(), &day, &h, &m, &s);
	return day;
}
