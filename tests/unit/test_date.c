/* Tests for src/core/date.c: civil days, strict parsing, and London time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"

static void test_known_days(void **state)
{
	(void)state;
	static const struct {
		int y, m, d;
		int32_t day;
		int weekday;
	} cases[] = {
		{1970, 1, 1, 0, 3},          {1969, 12, 31, -1, 2},       {1900, 1, 1, -25567, 0},
		{2000, 1, 1, 10957, 5},      {2000, 2, 29, 11016, 1},     {2000, 3, 1, 11017, 2},
		{2026, 3, 29, 20541, 6},     {2100, 12, 31, 47846, 4},    {2199, 12, 31, 84005, 1},
		{2024, 2, 29, 19782, 3},     {1600, 3, 1, -135080, 2},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int y, m, d;
		assert_int_equal(date_from_ymd(cases[i].y, cases[i].m, cases[i].d), cases[i].day);
		date_to_ymd(cases[i].day, &y, &m, &d);
		assert_int_equal(y, cases[i].y);
		assert_int_equal(m, cases[i].m);
		assert_int_equal(d, cases[i].d);
		assert_int_equal(date_weekday(cases[i].day), cases[i].weekday);
	}
}

/* Walk every day of the parseable range and check each is the calendar successor of the one before. */
static void test_every_day_round_trips(void **state)
{
	(void)state;
	int32_t first = date_from_ymd(1900, 1, 1), last = date_from_ymd(2199, 12, 31);
	int py = 1899, pm = 12, pd = 31;
	for (int32_t day = first; day <= last; day++) {
		int y, m, d;
		date_to_ymd(day, &y, &m, &d);
		assert_true(date_valid_ymd(y, m, d));
		assert_int_equal(date_from_ymd(y, m, d), day);
		if (pd < date_days_in_month(py, pm))
			assert_true(y == py && m == pm && d == pd + 1);
		else if (pm < 12)
			assert_true(y == py && m == pm + 1 && d == 1);
		else
			assert_true(y == py + 1 && m == 1 && d == 1);
		assert_int_equal(date_weekday(day), (date_weekday(day - 1) + 1) % 7);
		py = y;
		pm = m;
		pd = d;
	}
}

static void test_leap_and_month_lengths(void **state)
{
	(void)state;
	static const struct {
		int y, m, len;
		bool leap;
	} cases[] = {
		{2000, 2, 29, true}, {1900, 2, 28, false}, {2100, 2, 28, false}, {2024, 2, 29, true},
		{2025, 2, 28, false}, {2025, 4, 30, false}, {2025, 12, 31, false}, {2025, 13, 0, false},
		{2025, 0, 0, false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(date_days_in_month(cases[i].y, cases[i].m), cases[i].len);
		assert_int_equal(date_is_leap(cases[i].y), cases[i].leap);
	}
	assert_false(date_valid_ymd(2026, 2, 29));
	assert_true(date_valid_ymd(2028, 2, 29));
	assert_false(date_valid_ymd(2026, 4, 31));
	assert_false(date_valid_ymd(2026, 1, 0));
}

static void test_date_parse(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int ok;
		int y, m, d;
	} cases[] = {
		{"2026-02-03", 1, 2026, 2, 3},  {"2024-02-29", 1, 2024, 2, 29}, {"1900-01-01", 1, 1900, 1, 1},
		{"2199-12-31", 1, 2199, 12, 31}, {"2026-02-30", 0, 0, 0, 0},     {"2023-02-29", 0, 0, 0, 0},
		{"2026-2-3", 0, 0, 0, 0},        {"2026-02-3", 0, 0, 0, 0},      {"2026-02-03x", 0, 0, 0, 0},
		{"2026-02-03 ", 0, 0, 0, 0},     {" 2026-02-03", 0, 0, 0, 0},    {"1899-12-31", 0, 0, 0, 0},
		{"2200-01-01", 0, 0, 0, 0},      {"2026/02/03", 0, 0, 0, 0},     {"2026-13-01", 0, 0, 0, 0},
		{"2026-00-10", 0, 0, 0, 0},      {"2026-01-00", 0, 0, 0, 0},     {"", 0, 0, 0, 0},
		{"+026-02-03", 0, 0, 0, 0},      {"2026-04-31", 0, 0, 0, 0},     {"20260203", 0, 0, 0, 0},
		{"2026-02-03T00:00", 0, 0, 0, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int32_t out = 12345;
		int rc = date_parse(cases[i].in, &out);
		if (cases[i].ok) {
			assert_int_equal(rc, 0);
			assert_int_equal(out, date_from_ymd(cases[i].y, cases[i].m, cases[i].d));
			char back[DATE_ISO_LEN];
			date_format(out, back);
			assert_string_equal(back, cases[i].in);
		} else {
			assert_int_equal(rc, -1);
			assert_int_equal(out, 12345); /* untouched */
		}
	}
	int32_t out = 7;
	assert_int_equal(date_parse(NULL, &out), -1);
	assert_int_equal(out, 7);
}

static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
	return (int64_t)date_from_ymd(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

static void test_utc_offset(void **state)
{
	(void)state;
	static const struct {
		int y, mo, d, h, mi, s;
		int offset;
	} cases[] = {
		{2026, 3, 29, 0, 59, 59, 0},     {2026, 3, 29, 1, 0, 0, 3600},  {2026, 10, 25, 0, 59, 59, 3600},
		{2026, 10, 25, 1, 0, 0, 0},      {2026, 7, 1, 12, 0, 0, 3600},  {2026, 1, 15, 12, 0, 0, 0},
		{2024, 3, 31, 1, 0, 0, 3600},    {2024, 3, 30, 23, 0, 0, 0},    {2024, 10, 27, 0, 59, 59, 3600},
		{2024, 10, 27, 1, 0, 0, 0},      {2000, 3, 26, 1, 0, 0, 3600},  {2000, 10, 29, 1, 0, 0, 0},
		{2100, 3, 28, 1, 0, 0, 3600},    {2100, 10, 31, 0, 0, 0, 3600}, {2100, 10, 31, 1, 0, 0, 0},
		{2026, 12, 31, 23, 59, 59, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t t = utc(cases[i].y, cases[i].mo, cases[i].d, cases[i].h, cases[i].mi, cases[i].s);
		assert_int_equal(moment_utc_offset(t), cases[i].offset);
	}
}

static void test_moment_parse(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		const char *formatted; /* NULL: must be refused */
	} cases[] = {
		{"2026-07-01", "2026-07-01T00:00:00+01:00"},
		{"2026-01-15", "2026-01-15T00:00:00+00:00"},
		{"2026-01-15T09:30", "2026-01-15T09:30:00+00:00"},
		{"2026-07-15T09:30:15", "2026-07-15T09:30:15+01:00"},
		{"2026-07-15T09:30:15Z", "2026-07-15T10:30:15+01:00"},
		{"2026-07-15T09:30Z", "2026-07-15T10:30:00+01:00"},
		{"2026-01-15T09:30:15+05:30", "2026-01-15T04:00:15+00:00"},
		{"2026-01-15T09:30:15-02:00", "2026-01-15T11:30:15+00:00"},
		{"2026-07-15T09:30+01:00", "2026-07-15T09:30:00+01:00"},
		{"2026-03-29T00:59:59", "2026-03-29T00:59:59+00:00"},
		{"2026-03-29T02:00", "2026-03-29T02:00:00+01:00"},
		{"2026-03-29T01:30", NULL}, /* London skipped this hour */
		{"2026-03-29T01:30Z", "2026-03-29T02:30:00+01:00"},
		{"2026-10-25T01:30", "2026-10-25T01:30:00+01:00"}, /* the repeated hour: the first reading */
		{"2026-10-25T01:30Z", "2026-10-25T01:30:00+00:00"},
		{"2026-10-25T02:00", "2026-10-25T02:00:00+00:00"},
		{"2026-12-31T23:59:59Z", "2026-12-31T23:59:59+00:00"},
		{"2026-07-15T24:00", NULL},
		{"2026-07-15T09:60", NULL},
		{"2026-07-15T09:30:60", NULL},
		{"2026-07-15 09:30", NULL},
		{"2026-07-15t09:30", NULL},
		{"2026-07-15T9:30", NULL},
		{"2026-07-15T09:30+0100", NULL},
		{"2026-07-15T09:30+15:00", NULL},
		{"2026-07-15T09:30+01:60", NULL},
		{"2026-07-15T09:30Zjunk", NULL},
		{"2026-07-15T09:30:00Z ", NULL},
		{"2026-02-30T10:00", NULL},
		{"2026-07-15T", NULL},
		{"2026-07-15T09", NULL},
		{"2026-07-15T09:30:1", NULL},
		{"2026-07-15T09:30:00.5", NULL},
		{"2026-07-15x", NULL},
		{"1899-12-31T12:00Z", NULL},
		{"", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t t = -42;
		int rc = moment_parse(cases[i].in, &t);
		if (!cases[i].formatted) {
			assert_int_equal(rc, -1);
			assert_int_equal(t, -42);
			continue;
		}
		assert_int_equal(rc, 0);
		char out[MOMENT_ISO_LEN];
		moment_format(t, out);
		assert_string_equal(out, cases[i].formatted);
		/* What we print we can read back to the same moment. */
		int64_t again;
		assert_int_equal(moment_parse(out, &again), 0);
		assert_int_equal(again, t);
	}
	int64_t t;
	assert_int_equal(moment_parse("1970-01-01T00:00Z", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(moment_parse("2026-10-25T01:30", &t), 0);
	assert_int_equal(t, utc(2026, 10, 25, 0, 30, 0));
	assert_int_equal(moment_parse(NULL, &t), -1);
}

/* Every local hour of 2026 maps to a moment and back, except the one London skipped. */
static void test_local_round_trip(void **state)
{
	(void)state;
	int32_t skipped_day = date_from_ymd(2026, 3, 29);
	for (int32_t day = date_from_ymd(2026, 1, 1); day <= date_from_ymd(2026, 12, 31); day++) {
		for (int h = 0; h < 24; h++) {
			int64_t t = moment_from_local(day, h, 17, 5);
			int32_t d2;
			int h2, m2, s2;
			moment_to_local(t, &d2, &h2, &m2, &s2);
			if (day == skipped_day && h == 1) {
				/* Read as GMT, so it shows an hour later on the clock. */
				assert_int_equal(h2, 2);
				continue;
			}
			assert_int_equal(d2, day);
			assert_int_equal(h2, h);
			assert_int_equal(m2, 17);
			assert_int_equal(s2, 5);
		}
	}
	/* The two 01:30s of 25 October are an hour apart; from_local gives the first. */
	int64_t first = moment_from_local(date_from_ymd(2026, 10, 25), 1, 30, 0);
	assert_int_equal(first, utc(2026, 10, 25, 0, 30, 0));
	assert_int_equal(moment_utc_offset(first), 3600);
	assert_int_equal(moment_utc_offset(first + 3600), 0);
}

static void test_negative_moments(void **state)
{
	(void)state;
	int32_t day;
	int h, m, s;
	moment_to_local(-1, &day, &h, &m, &s);
	assert_int_equal(day, -1);
	assert_int_equal(h, 23);
	assert_int_equal(m, 59);
	assert_int_equal(s, 59);
	char out[MOMENT_ISO_LEN];
	moment_format(utc(1900, 1, 1, 0, 0, 0), out);
	assert_string_equal(out, "1900-01-01T00:00:00+00:00");
	moment_format(utc(1950, 6, 1, 12, 0, 0), out);
	assert_string_equal(out, "1950-06-01T13:00:00+01:00");
}

static void test_now_and_today(void **state)
{
	(void)state;
	int64_t now = moment_now();
	assert_true(now > utc(2024, 1, 1, 0, 0, 0));
	int32_t today = date_today(), day;
	int h, m, s;
	moment_to_local(now, &day, &h, &m, &s);
	/* The two calls may straddle midnight. */
	assert_true(today == day || today == day + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_days),        cmocka_unit_test(test_every_day_round_trips),
		cmocka_unit_test(test_leap_and_month_lengths), cmocka_unit_test(test_date_parse),
		cmocka_unit_test(test_utc_offset),        cmocka_unit_test(test_moment_parse),
		cmocka_unit_test(test_local_round_trip),  cmocka_unit_test(test_negative_moments),
		cmocka_unit_test(test_now_and_today),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
