/* Tests for src/calendar/: England and Wales bank holidays, local closures, working-day arithmetic, rule files.
 * The rules directory is $SAFEGUARD_RULES, or "rules" relative to the repository root where the tests run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "calendar/calendar.h"
#include "calendar/calendar_rules.h"
#include "core/date.h"

#define ERR (-1)

static struct calendar *national, *essex, *southend, *thurrock, *builtin;

static const char *rules_dir(void)
{
	const char *e = getenv("SAFEGUARD_RULES");
	return e && *e ? e : "rules";
}

static struct calendar *load_or_report(const char *authority)
{
	struct calendar *cal = NULL;
	struct buf err = {0};
	if (calendar_load(&cal, rules_dir(), authority, &err) < 0)
		fprintf(stderr, "cannot load calendar rules from %s: %s\n", rules_dir(), buf_str(&err));
	buf_free(&err);
	return cal;
}

static int setup(void **state)
{
	(void)state;
	national = load_or_report(NULL);
	essex = load_or_report("essex");
	southend = load_or_report("southend");
	thurrock = load_or_report("thurrock");
	builtin = calendar_new_national();
	return national && essex && southend && thurrock && builtin ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	calendar_free(national);
	calendar_free(essex);
	calendar_free(southend);
	calendar_free(thurrock);
	calendar_free(builtin);
	return 0;
}

static int32_t D(const char *iso)
{
	int32_t day;
	if (date_parse(iso, &day) < 0)
		fail_msg("bad date in test table: %s", iso);
	return day;
}

/* ---- bank holidays ---- */

static const struct {
	int year;
	const char *days[11];
} known_years[] = {
	{2000, {"2000-01-03", "2000-04-21", "2000-04-24", "2000-05-01", "2000-05-29", "2000-08-28", "2000-12-25",
		"2000-12-26"}},
	{2004, {"2004-01-01", "2004-04-09", "2004-04-12", "2004-05-03", "2004-05-31", "2004-08-30", "2004-12-27",
		"2004-12-28"}},
	{2010, {"2010-01-01", "2010-04-02", "2010-04-05", "2010-05-03", "2010-05-31", "2010-08-30", "2010-12-27",
		"2010-12-28"}},
	{2011, {"2011-01-03", "2011-04-22", "2011-04-25", "2011-04-29", "2011-05-02", "2011-05-30", "2011-08-29",
		"2011-12-26", "2011-12-27"}},
	{2012, {"2012-01-02", "2012-04-06", "2012-04-09", "2012-05-07", "2012-06-04", "2012-06-05", "2012-08-27",
		"2012-12-25", "2012-12-26"}},
	{2015, {"2015-01-01", "2015-04-03", "2015-04-06", "2015-05-04", "2015-05-25", "2015-08-31", "2015-12-25",
		"2015-12-28"}},
	{2016, {"2016-01-01", "2016-03-25", "2016-03-28", "2016-05-02", "2016-05-30", "2016-08-29", "2016-12-26",
		"2016-12-27"}},
	{2020, {"2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25", "2020-08-31", "2020-12-25",
		"2020-12-28"}},
	{2021, {"2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30", "2021-12-27",
		"2021-12-28"}},
	{2022, {"2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-29",
		"2022-09-19", "2022-12-26", "2022-12-27"}},
	{2023, {"2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-28",
		"2023-12-25", "2023-12-26"}},
	{2024, {"2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25",
		"2024-12-26"}},
	{2025, {"2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25",
		"2025-12-26"}},
	{2026, {"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25",
		"2026-12-28"}},
	{2027, {"2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27",
		"2027-12-28"}},
	{2028, {"2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-29", "2028-08-28", "2028-12-25",
		"2028-12-26"}},
	{2032, {"2032-01-01", "2032-03-26", "2032-03-29", "2032-05-03", "2032-05-31", "2032-08-30", "2032-12-27",
		"2032-12-28"}},
	{2038, {"2038-01-01", "2038-04-23", "2038-04-26", "2038-05-03", "2038-05-31", "2038-08-30", "2038-12-27",
		"2038-12-28"}},
	{2100, {"2100-01-01", "2100-03-26", "2100-03-29", "2100-05-03", "2100-05-31", "2100-08-30", "2100-12-27",
		"2100-12-28"}},
};

static void test_known_years(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof known_years / sizeof known_years[0]; i++) {
		int32_t days[16];
		const char *names[16];
		int n = calendar_bank_holidays(national, known_years[i].year, days, names, 16);
		int want = 0;
		while (want < 11 && known_years[i].days[want])
			want++;
		if (n != want)
			fail_msg("%d: %d bank holidays, expected %d", known_years[i].year, n, want);
		for (int j = 0; j < n; j++) {
			char iso[DATE_ISO_LEN];
			date_format(days[j], iso);
			if (strcmp(iso, known_years[i].days[j]) != 0)
				fail_msg("%d holiday %d: got %s (%s), expected %s", known_years[i].year, j, iso, names[j],
					 known_years[i].days[j]);
			assert_int_equal(calendar_day_kind(national, days[j], NULL), CAL_BANK_HOLIDAY);
		}
	}
}

/* Every year has the eight regular days; the extra ones are the one-off national days. */
static int expected_count(int year)
{
	switch (year) {
	case 2002: case 2011: case 2012: case 2023: return 9;
	case 2022: return 10;
	default: return 8;
	}
}

static void test_every_year(void **state)
{
	(void)state;
	for (int y = 2000; y <= 2100; y++) {
		int32_t days[16];
		const char *names[16];
		int n = calendar_bank_holidays(national, y, days, names, 16);
		if (n != expected_count(y))
			fail_msg("%d: %d bank holidays, expected %d", y, n, expected_count(y));
		int32_t easter = calendar_rules_easter(y);
		bool good_friday = false, easter_monday = false;
		for (int j = 0; j < n; j++) {
			assert_true(date_weekday(days[j]) < 5);
			assert_false(calendar_is_working_day(national, days[j]));
			if (j > 0)
				assert_true(days[j] > days[j - 1]);
			if (strcmp(names[j], "Good Friday") == 0)
				good_friday = days[j] == easter - 2;
			if (strcmp(names[j], "Easter Monday") == 0)
				easter_monday = days[j] == easter + 1;
		}
		assert_true(good_friday);
		assert_true(easter_monday);
		assert_int_equal(date_weekday(easter), 6);
	}
	assert_int_equal(calendar_bank_holidays(national, 1999, NULL, NULL, 0), ERR);
	assert_int_equal(calendar_bank_holidays(national, 2101, NULL, NULL, 0), ERR);
}

static void test_easter(void **state)
{
	(void)state;
	static const struct {
		int y, m, d;
	} cases[] = {
		{2000, 4, 23}, {2008, 3, 23}, {2011, 4, 24}, {2019, 4, 21}, {2024, 3, 31}, {2025, 4, 20},
		{2026, 4, 5},  {2038, 4, 25}, {2100, 3, 28}, {2285, 3, 22}, /* 2285: the earliest possible, 22 March */
		{1943, 4, 25}, /* the latest possible, 25 April */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(calendar_rules_easter(cases[i].y), date_from_ymd(cases[i].y, cases[i].m, cases[i].d));
}

static void test_names(void **state)
{
	(void)state;
	static const struct {
		const char *day, *name;
	} cases[] = {
		{"2021-12-27", "Christmas Day (substitute day)"},
		{"2021-12-28", "Boxing Day (substitute day)"},
		{"2022-12-26", "Boxing Day"},
		{"2022-12-27", "Christmas Day (substitute day)"},
		{"2027-12-27", "Christmas Day (substitute day)"},
		{"2027-12-28", "Boxing Day (substitute day)"},
		{"2026-12-28", "Boxing Day (substitute day)"},
		{"2015-12-28", "Boxing Day (substitute day)"},
		{"2022-01-03", "New Year's Day (substitute day)"},
		{"2023-01-02", "New Year's Day (substitute day)"},
		{"2020-05-08", "Early May bank holiday (VE Day)"},
		{"2022-06-02", "Spring bank holiday"},
		{"2022-06-03", "Platinum Jubilee bank holiday"},
		{"2022-09-19", "Bank holiday for the State Funeral of Queen Elizabeth II"},
		{"2023-05-08", "Bank holiday for the coronation of King Charles III"},
		{"2011-04-29", "Royal wedding"},
		{"2012-06-05", "Queen's Diamond Jubilee"},
		{"2002-06-03", "Golden Jubilee bank holiday"},
		{"2002-06-04", "Spring bank holiday"},
		{"2024-03-29", "Good Friday"},
		{"2026-08-31", "Summer bank holiday"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *name = NULL;
		assert_int_equal(calendar_day_kind(national, D(cases[i].day), &name), CAL_BANK_HOLIDAY);
		assert_non_null(name);
		assert_string_equal(name, cases[i].name);
	}
	/* The days the moves emptied are ordinary working days again. */
	static const char *const freed[] = {"2002-05-27", "2012-05-28", "2020-05-04", "2022-05-30"};
	for (size_t i = 0; i < sizeof freed / sizeof freed[0]; i++)
		assert_true(calendar_is_working_day(national, D(freed[i])));
}

static void test_bank_holidays_max(void **state)
{
	(void)state;
	int32_t days[4] = {0, 0, 0, -7};
	const char *names[4] = {NULL, NULL, NULL, "sentinel"};
	assert_int_equal(calendar_bank_holidays(national, 2026, days, names, 3), 8);
	assert_int_equal(days[0], D("2026-01-01"));
	assert_int_equal(days[2], D("2026-04-06"));
	assert_int_equal(days[3], -7);
	assert_string_equal(names[3], "sentinel");
	assert_int_equal(calendar_bank_holidays(national, 2026, NULL, NULL, 0), 8);
}

/* The compiled-in copy of the rules must say exactly what the data file says. */
static void test_builtin_matches_file(void **state)
{
	(void)state;
	for (int32_t d = calendar_first_day(); d <= calendar_last_day(); d++) {
		const char *a = NULL, *b = NULL;
		enum calendar_day_kind ka = calendar_day_kind(national, d, &a), kb = calendar_day_kind(builtin, d, &b);
		if (ka != kb || (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0)) {
			char iso[DATE_ISO_LEN];
			date_format(d, iso);
			fail_msg("%s: file says %d %s, built-in says %d %s; update src/calendar/calendar_national.c", iso,
				 ka, a ? a : "-", kb, b ? b : "-");
		}
	}
}

/* ---- local closures ---- */

static void test_local_closures(void **state)
{
	(void)state;
	static const struct {
		struct calendar **cal;
		const char *day;
		enum calendar_day_kind kind;
		const char *name;
	} cases[] = {
		{&essex, "2026-12-29", CAL_LOCAL_CLOSURE, "Council closure between Christmas and New Year"},
		{&essex, "2026-12-31", CAL_LOCAL_CLOSURE, "Council closure between Christmas and New Year"},
		{&essex, "2025-12-29", CAL_LOCAL_CLOSURE, "Council closure between Christmas and New Year"},
		{&essex, "2027-12-29", CAL_LOCAL_CLOSURE, "Council closure between Christmas and New Year"},
		{&essex, "2026-12-28", CAL_BANK_HOLIDAY, "Boxing Day (substitute day)"},
		{&essex, "2026-12-24", CAL_WORKING, NULL},
		{&essex, "2027-01-04", CAL_WORKING, NULL},
		{&national, "2026-12-29", CAL_WORKING, NULL},
		{&southend, "2026-12-24", CAL_LOCAL_CLOSURE, "Christmas Eve closure"},
		{&southend, "2025-12-24", CAL_LOCAL_CLOSURE, "Christmas Eve closure"},
		{&southend, "2026-12-30", CAL_LOCAL_CLOSURE, "Council closure between Christmas and New Year"},
		{&thurrock, "2026-11-13", CAL_LOCAL_CLOSURE, "Closure for the case-record system move"},
		{&thurrock, "2026-12-30", CAL_LOCAL_CLOSURE, "Council closure between Christmas and New Year"},
		{&thurrock, "2026-12-31", CAL_WORKING, NULL},
		{&thurrock, "2026-12-26", CAL_WEEKEND, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *name = "unset";
		enum calendar_day_kind k = calendar_day_kind(*cases[i].cal, D(cases[i].day), &name);
		if (k != cases[i].kind)
			fail_msg("case %zu (%s): kind %d, expected %d", i, cases[i].day, k, cases[i].kind);
		if (cases[i].name)
			assert_string_equal(name, cases[i].name);
		else
			assert_null(name);
		assert_int_equal(calendar_is_working_day(*cases[i].cal, D(cases[i].day)), cases[i].kind == CAL_WORKING);
	}
	/* Local closures are not national bank holidays. */
	assert_int_equal(calendar_bank_holidays(essex, 2026, NULL, NULL, 0), 8);
}

static void test_add_closure(void **state)
{
	(void)state;
	struct calendar *cal = calendar_new_national();
	int32_t out;
	assert_int_equal(calendar_add_working_days(cal, D("2026-06-12"), 1, &out), 0);
	assert_int_equal(out, D("2026-06-15"));
	assert_int_equal(calendar_add_closure(cal, D("2026-06-15"), "Staff training day"), 0);
	const char *name = NULL;
	assert_int_equal(calendar_day_kind(cal, D("2026-06-15"), &name), CAL_LOCAL_CLOSURE);
	assert_string_equal(name, "Staff training day");
	assert_int_equal(calendar_add_working_days(cal, D("2026-06-12"), 1, &out), 0);
	assert_int_equal(out, D("2026-06-16"));
	int n;
	assert_int_equal(calendar_count_working_days(cal, D("2026-06-12"), D("2026-06-16"), &n), 0);
	assert_int_equal(n, 1);
	/* A weekend or bank holiday is already closed: nothing changes. */
	assert_int_equal(calendar_add_closure(cal, D("2026-06-13"), "Saturday"), 0);
	assert_int_equal(calendar_day_kind(cal, D("2026-06-13"), NULL), CAL_WEEKEND);
	assert_int_equal(calendar_add_closure(cal, D("2026-12-25"), "Closed"), 0);
	assert_int_equal(calendar_day_kind(cal, D("2026-12-25"), &name), CAL_BANK_HOLIDAY);
	assert_string_equal(name, "Christmas Day");
	assert_int_equal(calendar_add_closure(cal, D("1999-12-30"), "Too early"), ERR);
	assert_int_equal(calendar_add_closure(cal, D("2101-01-03"), "Too late"), ERR);
	assert_int_equal(calendar_add_closure(cal, D("2026-06-17"), ""), ERR);
	calendar_free(cal);
}

/* ---- arithmetic ---- */

static void test_add_working_days(void **state)
{
	(void)state;
	static const struct {
		struct calendar **cal;
		const char *from;
		int n;
		const char *want; /* NULL: out of range */
	} cases[] = {
		{&national, "2026-12-24", 1, "2026-12-29"},
		{&essex, "2026-12-24", 1, "2027-01-04"},
		{&southend, "2026-12-23", 1, "2027-01-04"},
		{&thurrock, "2026-12-24", 1, "2026-12-31"},
		{&national, "2026-01-02", 1, "2026-01-05"},
		{&national, "2026-01-03", 1, "2026-01-05"},
		{&national, "2026-01-04", 1, "2026-01-05"},
		{&national, "2026-01-03", 0, "2026-01-03"},
		{&national, "2026-04-02", 1, "2026-04-07"},
		{&national, "2026-04-07", -1, "2026-04-02"},
		{&national, "2026-01-05", -1, "2026-01-02"},
		{&national, "2026-01-11", -1, "2026-01-08"}, /* from a Sunday: the Friday is day 0 */
		{&national, "2026-01-10", 2, "2026-01-13"},
		{&national, "2026-01-05", 45, "2026-03-09"},
		{&national, "2026-12-14", 15, "2027-01-07"},
		{&essex, "2026-12-14", 15, "2027-01-12"},
		{&national, "2022-05-27", 1, "2022-05-30"},
		{&national, "2022-06-01", 1, "2022-06-06"},
		{&national, "2022-09-16", 1, "2022-09-20"},
		{&national, "2020-05-07", 1, "2020-05-11"},
		{&national, "2021-12-24", 1, "2021-12-29"},
		{&national, "2021-12-29", -1, "2021-12-24"},
		{&national, "2000-01-04", -1, NULL},
		{&national, "2000-01-05", -1, "2000-01-04"},
		{&national, "2000-01-01", 1, "2000-01-04"},
		{&national, "2100-12-24", 1, "2100-12-29"},
		{&national, "2100-12-24", 3, "2100-12-31"},
		{&national, "2100-12-24", 4, NULL},
		{&national, "2100-12-31", 1, NULL},
		{&national, "2100-12-31", 0, "2100-12-31"},
		{&national, "1999-12-31", 0, NULL},
		{&national, "1999-12-31", 1, NULL},
		{&national, "2101-01-03", -1, NULL},
		{&national, "2050-06-15", 2147483647, NULL},
		{&national, "2050-06-15", -2147483647 - 1, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int32_t out = -99;
		int rc = calendar_add_working_days(*cases[i].cal, D(cases[i].from), cases[i].n, &out);
		if (!cases[i].want) {
			if (rc != ERR)
				fail_msg("case %zu: %s %+d should be out of range", i, cases[i].from, cases[i].n);
			assert_int_equal(out, -99);
			continue;
		}
		char iso[DATE_ISO_LEN];
		date_format(out, iso);
		if (rc != 0 || out != D(cases[i].want))
			fail_msg("case %zu: %s %+d WD = %s (rc %d), expected %s", i, cases[i].from, cases[i].n, iso, rc,
				 cases[i].want);
	}
}

static void test_count_working_days(void **state)
{
	(void)state;
	static const struct {
		struct calendar **cal;
		const char *from, *to;
		int want, rc;
	} cases[] = {
		{&national, "2026-01-02", "2026-01-05", 1, 0},   {&national, "2026-01-05", "2026-01-05", 0, 0},
		{&national, "2026-01-05", "2026-01-02", -1, 0},  {&national, "2026-12-24", "2026-12-29", 1, 0},
		{&essex, "2026-12-24", "2027-01-04", 1, 0},      {&national, "2026-01-03", "2026-01-04", 0, 0},
		{&national, "2025-12-31", "2026-12-31", 253, 0}, /* 261 weekdays less 8 bank holidays */
		{&essex, "2025-12-31", "2026-12-31", 250, 0},    {&national, "2026-12-31", "2025-12-31", -253, 0},
		{&national, "2021-12-31", "2022-12-31", 250, 0}, /* 260 weekdays less 10 */
		{&national, "1999-12-31", "2000-01-05", 0, ERR}, {&national, "2100-12-01", "2101-01-01", 0, ERR},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int n = -99;
		int rc = calendar_count_working_days(*cases[i].cal, D(cases[i].from), D(cases[i].to), &n);
		assert_int_equal(rc, cases[i].rc);
		assert_int_equal(n, rc == 0 ? cases[i].want : -99);
	}
	/* Whole years add up to the whole range. */
	int total, sum = 0, n;
	assert_int_equal(calendar_count_working_days(national, calendar_first_day(), calendar_last_day(), &total), 0);
	assert_int_equal(calendar_count_working_days(national, calendar_first_day(), D("2000-12-31"), &n), 0);
	sum += n;
	for (int y = 2001; y <= 2100; y++) {
		assert_int_equal(calendar_count_working_days(national, date_from_ymd(y - 1, 12, 31),
							     date_from_ymd(y, 12, 31), &n),
				 0);
		sum += n;
	}
	assert_int_equal(total, sum);
}

/* count(d, add(d, n)) == n for every day of the range and every n tried, in every calendar. */
static void test_count_inverts_add(void **state)
{
	(void)state;
	struct calendar *cals[] = {national, essex, southend, thurrock};
	for (size_t c = 0; c < 4; c++) {
		for (int32_t d = calendar_first_day(); d <= calendar_last_day(); d++) {
			for (int n = -25; n <= 60; n += (n < -5 || n > 20) ? 5 : 1) {
				int32_t e;
				int back;
				if (calendar_add_working_days(cals[c], d, n, &e) < 0) {
					/* Only allowed near the ends of the range. */
					assert_true(d - calendar_first_day() < 40 || calendar_last_day() - d < 90);
					continue;
				}
				assert_int_equal(calendar_count_working_days(cals[c], d, e, &back), 0);
				if (back != n)
					fail_msg("calendar %zu day %d n %d: add gave %d, count gives %d", c, d, n, e, back);
				if (n != 0)
					assert_true(calendar_is_working_day(cals[c], e));
			}
		}
	}
}

static void test_add_days_weeks_months(void **state)
{
	(void)state;
	static const struct {
		char unit;
		const char *from;
		int n;
		const char *want;
	} cases[] = {
		{'M', "2024-01-31", 1, "2024-02-29"}, {'M', "2025-01-31", 1, "2025-02-28"},
		{'M', "2024-03-31", -1, "2024-02-29"}, {'M', "2026-05-31", 1, "2026-06-30"},
		{'M', "2026-01-15", 12, "2027-01-15"}, {'M', "2024-02-29", 12, "2025-02-28"},
		{'M', "2026-08-31", 6, "2027-02-28"}, {'M', "2026-08-31", 2, "2026-10-31"},
		{'M', "2026-11-30", 3, "2027-02-28"}, {'M', "2026-03-15", -15, "2024-12-15"},
		{'M', "2100-12-31", 0, "2100-12-31"}, {'M', "2100-12-31", 1, NULL},
		{'M', "2000-01-31", -1, NULL},        {'M', "2026-01-01", 2147483647, NULL},
		{'M', "1999-12-01", 1, NULL},         {'D', "2026-12-31", 1, "2027-01-01"},
		{'D', "2024-02-28", 1, "2024-02-29"}, {'D', "2026-03-01", -1, "2026-02-28"},
		{'D', "2100-12-31", 1, NULL},         {'D', "2000-01-01", -1, NULL},
		{'D', "2026-01-01", 2147483647, NULL}, {'W', "2026-12-24", 1, "2026-12-31"},
		{'W', "2026-01-01", 6, "2026-02-12"}, {'W', "2026-01-01", -1, "2025-12-25"},
		{'W', "2100-12-25", 1, NULL},         {'W', "2026-01-01", 2147483647, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int32_t out = -99;
		int rc = cases[i].unit == 'M'   ? calendar_add_months(D(cases[i].from), cases[i].n, &out)
			 : cases[i].unit == 'W' ? calendar_add_weeks(D(cases[i].from), cases[i].n, &out)
						: calendar_add_days(D(cases[i].from), cases[i].n, &out);
		if (!cases[i].want) {
			assert_int_equal(rc, ERR);
			assert_int_equal(out, -99);
			continue;
		}
		char iso[DATE_ISO_LEN];
		date_format(out, iso);
		if (rc != 0 || strcmp(iso, cases[i].want) != 0)
			fail_msg("case %zu: %s %+d%c = %s (rc %d), expected %s", i, cases[i].from, cases[i].n,
				 cases[i].unit, iso, rc, cases[i].want);
	}
}

static void test_add_hours(void **state)
{
	(void)state;
	static const struct {
		const char *from;
		int n;
		const char *want; /* NULL: out of range */
	} cases[] = {
		{"2026-03-28T12:00", 24, "2026-03-29T13:00:00+01:00"}, /* 24 real hours over the spring change */
		{"2026-03-29T00:30", 1, "2026-03-29T02:30:00+01:00"},
		{"2026-10-24T10:00", 48, "2026-10-26T09:00:00+00:00"}, /* 48 real hours over the autumn change */
		{"2026-10-25T00:30", 1, "2026-10-25T01:30:00+01:00"},
		{"2026-10-25T00:30", 2, "2026-10-25T01:30:00+00:00"},
		{"2026-10-26T09:00", -48, "2026-10-24T10:00:00+01:00"},
		{"2026-07-01T09:00", 0, "2026-07-01T09:00:00+01:00"},
		{"2026-01-05T09:00", 24 * 365, "2027-01-05T09:00:00+00:00"},
		{"2100-12-31T22:59", 1, "2100-12-31T23:59:00+00:00"},
		{"2100-12-31T23:00", 1, NULL},
		{"2000-01-01T00:00", -1, NULL},
		{"1999-12-31T23:00", 1, NULL},
		{"2050-01-01T00:00", 2147483647, NULL},
		{"2050-01-01T00:00", -2147483647 - 1, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t t, out = -99;
		assert_int_equal(moment_parse(cases[i].from, &t), 0);
		int rc = calendar_add_hours(t, cases[i].n, &out);
		if (!cases[i].want) {
			assert_int_equal(rc, ERR);
			assert_int_equal(out, -99);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(out - t, (int64_t)cases[i].n * 3600);
		char s[MOMENT_ISO_LEN];
		moment_format(out, s);
		assert_string_equal(s, cases[i].want);
	}
	int64_t out;
	assert_int_equal(calendar_add_hours(INT64_MAX, 1, &out), ERR);
	assert_int_equal(calendar_add_hours(INT64_MIN, -1, &out), ERR);
}

static void test_range(void **state)
{
	(void)state;
	assert_int_equal(calendar_first_day(), D("2000-01-01"));
	assert_int_equal(calendar_last_day(), D("2100-12-31"));
	assert_true(calendar_in_range(D("2000-01-01")));
	assert_true(calendar_in_range(D("2100-12-31")));
	assert_false(calendar_in_range(D("1999-12-31")));
	assert_false(calendar_in_range(D("2101-01-01")));
	assert_false(calendar_in_range(INT32_MIN));
	assert_false(calendar_in_range(INT32_MAX));
	int32_t out;
	assert_int_equal(calendar_add_working_days(national, INT32_MIN, 1, &out), ERR);
	assert_int_equal(calendar_add_working_days(national, INT32_MAX, -1, &out), ERR);
	/* Outside the tables the weekday is the only thing known. */
	const char *name = "unset";
	assert_int_equal(calendar_day_kind(national, D("1999-12-31"), &name), CAL_WORKING);
	assert_null(name);
	assert_true(calendar_is_working_day(national, D("1999-12-31")));
	assert_int_equal(calendar_day_kind(national, D("2101-01-01"), NULL), CAL_WEEKEND);
	assert_false(calendar_is_working_day(national, D("2101-01-01")));
	assert_int_equal(calendar_day_kind(national, D("2101-01-03"), NULL), CAL_WORKING);
}

/* ---- malformed rule files ---- */

#define NAT_HEAD "{\"version\":1,\"jurisdiction\":\"E\",\"rules\":["
#define RULE_XMAS                                                                                              \
	"{\"id\":\"xmas\",\"name\":\"Christmas Day\",\"kind\":\"fixed\",\"month\":12,\"day\":25,"               \
	"\"substitute\":\"next_free_weekday\",\"citation\":\"c\"}"
#define MIN_NATIONAL NAT_HEAD RULE_XMAS "]}"
#define LOCAL_HEAD "{\"version\":1,\"authority\":\"essex\",\"name\":\"Essex\",\"closures\":["
#define CLOSURE(fields) "{\"id\":\"c1\",\"name\":\"Closed\",\"reason\":\"r\",\"approved_by\":\"a\"," fields "}"

static const struct bad_case {
	const char *national; /* NULL: no national file at all */
	const char *local;    /* NULL: no local file */
	const char *authority;
	const char *expect[3];
} bad_cases[] = {
	{NAT_HEAD "{\"id\":\"xmas\",\"name\":\"X\",\"kind\":\"fixed\",\"month\":12,\"day\":25,\"mnth\":1,"
		  "\"citation\":\"c\"}]}",
	 NULL, NULL, {"england-and-wales.json", "rules[0] 'xmas'", "unknown field 'mnth'"}},
	{NAT_HEAD RULE_XMAS "," RULE_XMAS "]}", NULL, NULL, {"england-and-wales.json", "rules[1] 'xmas'",
							    "duplicate id 'xmas'"}},
	{NAT_HEAD RULE_XMAS "],\"one_off\":[{\"id\":\"xmas\",\"date\":\"2026-06-01\",\"name\":\"N\","
			    "\"citation\":\"c\"}]}",
	 NULL, NULL, {"england-and-wales.json", "one_off[0] 'xmas'", "duplicate id 'xmas'"}},
	{NAT_HEAD "{\"id\":\"gf\",\"name\":\"Good Friday\",\"kind\":\"easter_offset\",\"offset\":-2}]}", NULL, NULL,
	 {"england-and-wales.json", "rules[0] 'gf'", "missing field 'citation'"}},
	{NAT_HEAD "{\"id\":\"gf\",\"name\":\"Good Friday\",\"kind\":\"easter_offset\",\"offset\":-2,"
		  "\"citation\":\"\"}]}",
	 NULL, NULL, {"england-and-wales.json", "rules[0] 'gf'", "'citation' must be a non-empty string"}},
	{NAT_HEAD RULE_XMAS "],\"one_off\":[{\"id\":\"bad\",\"date\":\"2026-02-30\",\"name\":\"N\","
			    "\"citation\":\"c\"}]}",
	 NULL, NULL, {"england-and-wales.json", "one_off[0] 'bad'", "'2026-02-30' is not a real date"}},
	{NAT_HEAD RULE_XMAS "],\"one_off\":[{\"id\":\"sat\",\"date\":\"2026-06-06\",\"name\":\"N\","
			    "\"citation\":\"c\"}]}",
	 NULL, NULL, {"one_off[0] 'sat'", "2026-06-06 is a Saturday", "always a weekday"}},
	{NAT_HEAD RULE_XMAS "],\"one_off\":[{\"id\":\"millennium\",\"date\":\"1999-12-31\",\"name\":\"N\","
			    "\"citation\":\"c\"}]}",
	 NULL, NULL, {"england-and-wales.json", "one_off[0] 'millennium'", "outside the supported range"}},
	{NAT_HEAD RULE_XMAS "],\"one_off\":[{\"id\":\"clash\",\"date\":\"2026-12-25\",\"name\":\"N\","
			    "\"citation\":\"c\"}]}",
	 NULL, NULL, {"one_off[0] 'clash'", "2026-12-25 is already a bank holiday", "(Christmas Day)"}},
	{NAT_HEAD RULE_XMAS "],\"moves\":[{\"id\":\"mv\",\"from\":\"2026-06-01\",\"to\":\"2026-06-02\","
			    "\"citation\":\"c\"}]}",
	 NULL, NULL, {"england-and-wales.json", "moves[0] 'mv'", "2026-06-01 is not a bank holiday under the rules"}},
	{NAT_HEAD RULE_XMAS "],\"moves\":[{\"id\":\"mv\",\"from\":\"2026-12-25\",\"to\":\"2027-01-04\","
			    "\"citation\":\"c\"}]}",
	 NULL, NULL, {"england-and-wales.json", "moves[0] 'mv'", "same year"}},
	{NAT_HEAD "{\"id\":\"f\",\"name\":\"F\",\"kind\":\"fortnightly\",\"citation\":\"c\"}]}", NULL, NULL,
	 {"england-and-wales.json", "rules[0] 'f'", "'kind': 'fortnightly'"}},
	{NAT_HEAD "{\"id\":\"f\",\"name\":\"F\",\"kind\":\"fixed\",\"month\":2,\"day\":30,\"citation\":\"c\"}]}", NULL,
	 NULL, {"england-and-wales.json", "rules[0] 'f'", "month 2 does not have a day 30"}},
	{NAT_HEAD "{\"id\":\"f\",\"name\":\"F\",\"kind\":\"fixed\",\"month\":2,\"day\":29,\"citation\":\"c\"}]}", NULL,
	 NULL, {"england-and-wales.json", "rules[0] 'f'", "does not have a day 29 in every year"}},
	{NAT_HEAD "{\"id\":\"m\",\"name\":\"M\",\"kind\":\"nth_weekday\",\"month\":5,\"weekday\":\"monday\","
		  "\"n\":5,\"citation\":\"c\"}]}",
	 NULL, NULL, {"england-and-wales.json", "rules[0] 'm'", "field 'n' must be a whole number from 1 to 4"}},
	{NAT_HEAD "{\"id\":\"m\",\"name\":\"M\",\"kind\":\"last_weekday\",\"month\":5,\"weekday\":\"Monday\","
		  "\"citation\":\"c\"}]}",
	 NULL, NULL, {"england-and-wales.json", "rules[0] 'm'", "'Monday' is not a day name"}},
	{NAT_HEAD "{\"id\":\"m\",\"name\":\"M\",\"kind\":\"last_weekday\",\"month\":5,\"weekday\":\"monday\","
		  "\"n\":1,\"citation\":\"c\"}]}",
	 NULL, NULL, {"england-and-wales.json", "rules[0] 'm'", "unknown field 'n'"}},
	{NAT_HEAD "{\"id\":\"x\",\"name\":\"X\",\"kind\":\"fixed\",\"month\":12,\"day\":25,"
		  "\"substitute\":\"previous\",\"citation\":\"c\"}]}",
	 NULL, NULL, {"england-and-wales.json", "rules[0] 'x'", "'substitute': 'previous'"}},
	{NAT_HEAD "{\"id\":\"a\",\"name\":\"A\",\"kind\":\"fixed\",\"month\":6,\"day\":1,\"citation\":\"c\"},"
		  "{\"id\":\"b\",\"name\":\"B\",\"kind\":\"nth_weekday\",\"month\":6,\"weekday\":\"monday\",\"n\":1,"
		  "\"citation\":\"c\"}]}",
	 NULL, NULL, {"england-and-wales.json", "rules[1] 'b'", "is already a bank holiday (A)"}},
	{NAT_HEAD "{\"id\":\"a\",", NULL, NULL, {"england-and-wales.json", "line 1", "column"}},
	{"{\"version\":1,\"version\":1,\"jurisdiction\":\"E\",\"rules\":[]}", NULL, NULL,
	 {"england-and-wales.json", "duplicate object key", "version"}},
	{"{\"version\":2,\"jurisdiction\":\"E\",\"rules\":[]}", NULL, NULL,
	 {"england-and-wales.json", "field 'version'", "from 1 to 1"}},
	{"{\"version\":1,\"jurisdiction\":\"E\"}", NULL, NULL, {"england-and-wales.json", "missing array 'rules'", ""}},
	{"{\"version\":1,\"jurisdiction\":\"E\",\"rules\":[],\"holidays\":[]}", NULL, NULL,
	 {"england-and-wales.json", "unknown field 'holidays'", ""}},
	{NAT_HEAD "{\"name\":\"A\",\"kind\":\"fixed\",\"month\":6,\"day\":1,\"citation\":\"c\"}]}", NULL, NULL,
	 {"england-and-wales.json", "rules[0] '(no id)'", "missing field 'id'"}},
	{"[1,2]", NULL, NULL, {"england-and-wales.json", "one JSON object", ""}},
	{NULL, NULL, NULL, {"england-and-wales.json", "unable to open", ""}},
	/* local files */
	{MIN_NATIONAL, LOCAL_HEAD CLOSURE("\"date\":\"2026-06-01\",\"aproved_by\":\"x\"") "]}", "essex",
	 {"local/essex.json", "closures[0] 'c1'", "unknown field 'aproved_by'"}},
	{MIN_NATIONAL, LOCAL_HEAD "{\"id\":\"c1\",\"name\":\"N\",\"reason\":\"r\",\"date\":\"2026-06-01\"}]}", "essex",
	 {"local/essex.json", "closures[0] 'c1'", "missing field 'approved_by'"}},
	{MIN_NATIONAL, LOCAL_HEAD CLOSURE("\"date\":\"2026-06-06\"") "]}", "essex",
	 {"local/essex.json", "closures[0] 'c1'", "2026-06-06 falls at a weekend"}},
	{MIN_NATIONAL, LOCAL_HEAD CLOSURE("\"date\":\"2026-02-30\"") "]}", "essex",
	 {"local/essex.json", "closures[0] 'c1'", "'2026-02-30' is not a real date"}},
	{MIN_NATIONAL, LOCAL_HEAD CLOSURE("\"date\":\"2101-01-03\"") "]}", "essex",
	 {"local/essex.json", "closures[0] 'c1'", "outside the supported range"}},
	{MIN_NATIONAL,
	 "{\"version\":1,\"authority\":\"southend\",\"name\":\"S\",\"closures\":[]}", "essex",
	 {"local/essex.json", "'authority' is 'southend'", "for 'essex'"}},
	{MIN_NATIONAL, LOCAL_HEAD CLOSURE("\"date\":\"2026-06-01\"") "," CLOSURE("\"date\":\"2026-06-02\"") "]}",
	 "essex", {"local/essex.json", "closures[1] 'c1'", "duplicate id 'c1'"}},
	{MIN_NATIONAL,
	 LOCAL_HEAD CLOSURE("\"from\":\"2026-12-29\",\"to\":\"2026-12-31\"") ","
		    "{\"id\":\"c2\",\"name\":\"N\",\"reason\":\"r\",\"approved_by\":\"a\",\"date\":\"2026-12-30\"}]}",
	 "essex", {"closures[1] 'c2'", "2026-12-30 is already a closure day", "entry 'c1'"}},
	{MIN_NATIONAL, LOCAL_HEAD CLOSURE("\"date\":\"2026-06-01\",\"from\":\"2026-06-01\"") "]}", "essex",
	 {"local/essex.json", "closures[0] 'c1'", "give either 'date'"}},
	{MIN_NATIONAL, LOCAL_HEAD CLOSURE("\"from\":\"2026-06-05\",\"to\":\"2026-06-01\"") "]}", "essex",
	 {"local/essex.json", "closures[0] 'c1'", "must run forwards"}},
	{MIN_NATIONAL, LOCAL_HEAD CLOSURE("\"from\":\"2026-06-05\"") "]}", "essex",
	 {"local/essex.json", "closures[0] 'c1'", "missing field 'to'"}},
	{MIN_NATIONAL, "{\"version\":1,\"authority\":\"essex\",\"name\":\"E\"}", "essex",
	 {"local/essex.json", "'closures' must be an array", ""}},
	{MIN_NATIONAL, NULL, "nowhere", {"local/nowhere.json", "unable to open", ""}},
	{MIN_NATIONAL, NULL, "../essex", {"authority '../essex'", "lower-case letters", ""}},
};

static char tmpdir[64];

static void write_file(const char *rel, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void remove_files(void)
{
	char path[256];
	snprintf(path, sizeof path, "%s/calendar/england-and-wales.json", tmpdir);
	unlink(path);
	snprintf(path, sizeof path, "%s/calendar/local/essex.json", tmpdir);
	unlink(path);
}

static int make_tmpdir(void **state)
{
	(void)state;
	char path[128];
	snprintf(tmpdir, sizeof tmpdir, "/tmp/sg-calendar-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(path, sizeof path, "%s/calendar", tmpdir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/calendar/local", tmpdir);
	return mkdir(path, 0700);
}

static int remove_tmpdir(void **state)
{
	(void)state;
	char path[128];
	remove_files();
	snprintf(path, sizeof path, "%s/calendar/local", tmpdir);
	rmdir(path);
	snprintf(path, sizeof path, "%s/calendar", tmpdir);
	rmdir(path);
	rmdir(tmpdir);
	return 0;
}

static void test_malformed_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *c = &bad_cases[i];
		remove_files();
		if (c->national)
			write_file("calendar/england-and-wales.json", c->national);
		if (c->local)
			write_file("calendar/local/essex.json", c->local);
		struct calendar *cal = NULL;
		struct buf err = {0};
		int rc = calendar_load(&cal, tmpdir, c->authority, &err);
		if (rc != ERR || cal)
			fail_msg("case %zu: loaded a bad file", i);
		for (int k = 0; k < 3; k++)
			if (!strstr(buf_str(&err), c->expect[k]))
				fail_msg("case %zu: error \"%s\" lacks \"%s\"", i, buf_str(&err), c->expect[k]);
		/* The message starts with the path of the file at fault. */
		if (strncmp(buf_str(&err), tmpdir, strlen(tmpdir)) != 0 && !strstr(c->expect[0], "authority"))
			fail_msg("case %zu: error \"%s\" does not start with the file", i, buf_str(&err));
		buf_free(&err);
	}
	/* The same harness loads good files, so the failures above are the files' fault. */
	remove_files();
	write_file("calendar/england-and-wales.json", MIN_NATIONAL);
	write_file("calendar/local/essex.json",
		   LOCAL_HEAD CLOSURE("\"from\":\"2026-12-29\",\"to\":\"2027-01-05\"") "]}");
	struct calendar *cal = NULL;
	struct buf err = {0};
	assert_int_equal(calendar_load(&cal, tmpdir, "essex", &err), 0);
	assert_string_equal(buf_str(&err), "");
	assert_int_equal(calendar_day_kind(cal, D("2027-01-05"), NULL), CAL_LOCAL_CLOSURE);
	assert_int_equal(calendar_day_kind(cal, D("2027-01-02"), NULL), CAL_WEEKEND);
	assert_int_equal(calendar_day_kind(cal, D("2027-01-06"), NULL), CAL_WORKING);
	assert_int_equal(calendar_bank_holidays(cal, 2026, NULL, NULL, 0), 1);
	calendar_free(cal);
	/* No error buffer is allowed too. */
	remove_files();
	assert_int_equal(calendar_load(&cal, tmpdir, NULL, NULL), ERR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_years),
		cmocka_unit_test(test_every_year),
		cmocka_unit_test(test_easter),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_bank_holidays_max),
		cmocka_unit_test(test_builtin_matches_file),
		cmocka_unit_test(test_local_closures),
		cmocka_unit_test(test_add_closure),
		cmocka_unit_test(test_add_working_days),
		cmocka_unit_test(test_count_working_days),
		cmocka_unit_test(test_count_inverts_add),
		cmocka_unit_test(test_add_days_weeks_months),
		cmocka_unit_test(test_add_hours),
		cmocka_unit_test(test_range),
		cmocka_unit_test_setup_teardown(test_malformed_files, make_tmpdir, remove_tmpdir),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
