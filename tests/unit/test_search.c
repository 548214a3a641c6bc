/* Tests for src/search/search_key.c: name tokens, the phonetic key, edit distance, NHS numbers, postcodes and
 * dates as people type them. Each table pairs input and expected output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"
#include "search/search.h"

static void test_tokens(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		const char *want; /* tokens joined by '|' */
	} cases[] = {
		/* 1 */ {"John Smith", "john|smith"},
		/* 2 */ {"  O'Brien-Jones ", "obrien|jones"},
		/* 3 */ {"Zoë Łukasz", "zoe|lukasz"},
		/* 4 */ {"JOSÉ  Muñoz,Ana", "jose|munoz|ana"},
		/* 5 */ {"O\xe2\x80\x99Neill", "oneill"},
		/* 6 */ {"", ""},
		/* 7 */ {"123 --", ""},
		/* 8 */ {"Child007", "child"},
		/* 9 */ {"\xd8\xb9\xd9\x84\xd9\x8a Ali", "ali"}, /* Arabic script is not folded: it separates */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char toks[8][SEARCH_TOKEN_MAX], got[256] = "";
		int n = search_tokens(cases[i].in, toks, 8);
		for (int t = 0; t < n; t++) {
			strncat(got, t ? "|" : "", sizeof got - strlen(got) - 1);
			strncat(got, toks[t], sizeof got - strlen(got) - 1);
		}
		if (strcmp(got, cases[i].want))
			fail_msg("case %zu: tokens of \"%s\" are \"%s\", want \"%s\"", i + 1, cases[i].in, got, cases[i].want);
	}
}

/* Names that sound alike share a key; names that do not, do not. */
static void test_phonetic(void **state)
{
	(void)state;
	static const struct {
		const char *a, *b;
		bool same;
	} cases[] = {
		/* 1 */ {"jon", "john", true},
		/* 2 */ {"smyth", "smith", true},
		/* 3 */ {"schmidt", "smith", true},
		/* 4 */ {"mohammed", "muhammad", true},
		/* 5 */ {"mohamed", "mohammad", true},
		/* 6 */ {"katherine", "catherine", true},
		/* 7 */ {"kathryn", "catherine", true},
		/* 8 */ {"stephen", "steven", true},
		/* 9 */ {"philip", "filip", true},
		/* 10 */ {"ahmed", "ahmad", true},
		/* 11 */ {"aisha", "ayesha", true},
		/* 12 */ {"lewis", "louis", true},
		/* 13 */ {"macdonald", "mcdonald", true},
		/* 14 */ {"leigh", "lee", true},
		/* 15 */ {"claire", "clare", true},
		/* 16 */ {"gemma", "jemma", true},
		/* 17 */ {"knight", "night", true},
		/* 18 */ {"smith", "jones", false},
		/* 19 */ {"john", "mark", false},
		/* 20 */ {"katherine", "karen", false},
		/* 21 */ {"mohammed", "michael", false},
		/* 22 */ {"charlotte", "christopher", false},
		/* 23 */ {"hannah", "hana", true},
		/* 24 */ {"anon", "anna", false}, /* only neighbouring sounds merge */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char ka[SEARCH_PHONETIC_MAX], kb[SEARCH_PHONETIC_MAX];
		search_phonetic(cases[i].a, ka);
		search_phonetic(cases[i].b, kb);
		if ((strcmp(ka, kb) == 0) != cases[i].same)
			fail_msg("case %zu: %s -> %s, %s -> %s: want %s", i + 1, cases[i].a, ka, cases[i].b, kb,
			         cases[i].same ? "the same key" : "different keys");
		assert_true(ka[0] != '\0');
	}
	char k[SEARCH_PHONETIC_MAX];
	search_phonetic("", k);
	assert_string_equal(k, "");
	/* A long token is cut, never overrun. */
	search_phonetic("bartholomewsonbartholomewsonbartholomewson", k);
	assert_true(strlen(k) < SEARCH_PHONETIC_MAX);
}

static void test_distance(void **state)
{
	(void)state;
	static const struct {
		const char *a, *b;
		int want;
	} cases[] = {
		/* 1 */ {"smith", "smith", 0},
		/* 2 */ {"smith", "smtih", 1},      /* transposed letters */
		/* 3 */ {"jonathan", "jonahtan", 1}, /* transposed letters */
		/* 4 */ {"smith", "smyth", 1},
		/* 5 */ {"smith", "smiths", 1},
		/* 6 */ {"smith", "mith", 1},
		/* 7 */ {"catherine", "katharine", 2},
		/* 8 */ {"", "abc", 3},
		/* 9 */ {"abc", "", 3},
		/* 10 */ {"kitten", "sitting", 3},
		/* 11 */ {"ca", "abc", 3}, /* optimal string alignment: no edit of a swapped pair */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int got = search_distance(cases[i].a, cases[i].b);
		if (got != cases[i].want)
			fail_msg("case %zu: distance(%s, %s) = %d, want %d", i + 1, cases[i].a, cases[i].b, got, cases[i].want);
		assert_int_equal(search_distance(cases[i].b, cases[i].a), got);
	}
	static const struct {
		size_t len;
		int want;
	} allow[] = {{1, 0}, {3, 0}, {4, 1}, {7, 1}, {8, 2}, {20, 2}};
	for (size_t i = 0; i < sizeof allow / sizeof allow[0]; i++)
		assert_int_equal(search_max_distance(allow[i].len), allow[i].want);
}

static void test_nhs_number(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		enum search_nhs want;
		const char *digits;
	} cases[] = {
		/* 1 */ {"9434765919", SEARCH_NHS_VALID, "9434765919"},
		/* 2 */ {"943 476 5919", SEARCH_NHS_VALID, "9434765919"},
		/* 3 */ {"943-476-5919", SEARCH_NHS_VALID, "9434765919"},
		/* 4 */ {"9434765918", SEARCH_NHS_BAD_CHECK, "9434765918"},
		/* 5 */ {"4010232137", SEARCH_NHS_VALID, "4010232137"},
		/* 6 */ {"1000000010", SEARCH_NHS_BAD_CHECK, "1000000010"}, /* a check of 10 is never valid */
		/* 7 */ {"943476591", SEARCH_NHS_NONE, NULL},
		/* 8 */ {"94347659190", SEARCH_NHS_NONE, NULL},
		/* 9 */ {"943476591x", SEARCH_NHS_NONE, NULL},
		/* 10 */ {"", SEARCH_NHS_NONE, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char d[11];
		enum search_nhs got = search_nhs_number(cases[i].in, d);
		if (got != cases[i].want)
			fail_msg("case %zu: \"%s\" read as %d, want %d", i + 1, cases[i].in, got, cases[i].want);
		if (cases[i].digits)
			assert_string_equal(d, cases[i].digits);
	}
}

static void test_postcodes(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		const char *full; /* NULL: not a full postcode */
		const char *area; /* NULL: not an outward code */
	} cases[] = {
		/* 1 */ {"CM1 1AA", "CM11AA", NULL},
		/* 2 */ {"cm11aa", "CM11AA", NULL},
		/* 3 */ {" SW1A  1AA ", "SW1A1AA", NULL},
		/* 4 */ {"M1 1AE", "M11AE", NULL},
		/* 5 */ {"B33 8TH", "B338TH", NULL},
		/* 6 */ {"CM1", NULL, "CM1"},
		/* 7 */ {"sw1a", NULL, "SW1A"},
		/* 8 */ {"CM1 1A", NULL, NULL},
		/* 9 */ {"1CM 1AA", NULL, NULL},
		/* 10 */ {"Smith", NULL, NULL},
		/* 11 */ {"CM1-1AA", NULL, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[8];
		bool full = search_postcode(cases[i].in, out);
		if (full != (cases[i].full != NULL))
			fail_msg("case %zu: \"%s\" %s a postcode", i + 1, cases[i].in, full ? "read as" : "not read as");
		if (full)
			assert_string_equal(out, cases[i].full);
		bool area = search_postcode_area(cases[i].in, out);
		if (area != (cases[i].area != NULL))
			fail_msg("case %zu: \"%s\" %s an outward code", i + 1, cases[i].in, area ? "read as" : "not read as");
		if (area)
			assert_string_equal(out, cases[i].area);
	}
}

static void test_dates(void **state)
{
	(void)state;
	int ty, tm, td;
	date_to_ymd(date_today(), &ty, &tm, &td);
	char last_century[16];
	snprintf(last_century, sizeof last_century, "1/2/%02d", (ty + 1) % 100); /* next year's two digits */
	static const struct {
		const char *in;
		const char *want; /* ISO, or NULL: not a date */
	} cases[] = {
		/* 1 */ {"2019-03-27", "2019-03-27"},
		/* 2 */ {"27/03/2019", "2019-03-27"},
		/* 3 */ {"27/3/2019", "2019-03-27"},
		/* 4 */ {"27-03-2019", "2019-03-27"},
		/* 5 */ {"27.3.2019", "2019-03-27"},
		/* 6 */ {"27/03/19", "2019-03-27"},
		/* 7 */ {"27032019", "2019-03-27"},
		/* 8 */ {"27 March 2019", "2019-03-27"},
		/* 9 */ {"27th Mar 2019", "2019-03-27"},
		/* 10 */ {"1 sept 2020", "2020-09-01"},
		/* 11 */ {"27 march, 2019", "2019-03-27"},
		/* 12 */ {"31/02/2019", NULL},
		/* 13 */ {"27/03-2019", NULL},
		/* 14 */ {"27 Smarch 2019", NULL},
		/* 15 */ {"27/3/219", NULL},
		/* 16 */ {"March", NULL},
		/* 17 */ {"9434765919", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int32_t d;
		bool ok = search_date(cases[i].in, &d);
		if (ok != (cases[i].want != NULL))
			fail_msg("case %zu: \"%s\" %s a date", i + 1, cases[i].in, ok ? "read as" : "not read as");
		if (ok) {
			char iso[DATE_ISO_LEN];
			date_format(d, iso);
			if (strcmp(iso, cases[i].want))
				fail_msg("case %zu: \"%s\" read as %s, want %s", i + 1, cases[i].in, iso, cases[i].want);
		}
	}
	/* A two-digit year that would be in the future belongs to the last century. */
	int32_t d;
	assert_true(search_date(last_century, &d));
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	assert_int_equal(y, 1900 + (ty + 1) % 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokens),     cmocka_unit_test(test_phonetic), cmocka_unit_test(test_distance),
		cmocka_unit_test(test_nhs_number), cmocka_unit_test(test_postcodes), cmocka_unit_test(test_dates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
