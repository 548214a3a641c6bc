/* rules/lawful_bases.json and its interpreter (issue 7, part 3): the real file loads; malformed files are refused
 * naming the entry; and the grounds given for a sharing decision are checked as the data says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "api/lawful_bases.h"

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);
	return v && v[0] ? v : dflt;
}

static json_t *real(void)
{
	char path[512];
	snprintf(path, sizeof path, "%s/lawful_bases.json", env_or("SAFEGUARD_RULES", "rules"));
	json_t *doc = NULL;
	struct buf err;
	buf_init(&err, 0);
	if (lawful_bases_load(path, &doc, &err) != 0)
		fail_msg("%s", buf_str(&err));
	buf_free(&err);
	return doc;
}

static void test_real_file_loads_with_citations(void **state)
{
	json_t *doc = real();
	const json_t *p18 = lawful_bases_find(doc, "dpa_s1_safeguarding");
	assert_non_null(p18);
	assert_non_null(strstr(json_string_value(json_object_get(p18, "citation")), "Sch 1 Part 2 para 18"));
	json_t *art6 = lawful_bases_options(doc, "article_6", "public_task");
	assert_true(json_array_size(art6) >= 5);
	size_t selected = 0, i;
	json_t *o;
	json_array_foreach(art6, i, o) selected += json_is_true(json_object_get(o, "selected"));
	assert_int_equal(selected, 1);
	json_decref(art6);
	json_decref(doc);
}

static void test_check_follows_the_data(void **state)
{
	static const struct {
		bool shares;
		const char *role, *art6, *art9, *sch1;
		const char *field; /* NULL: accepted */
	} cases[] = {
		{true, "social_worker", "public_task", NULL, NULL, NULL},
		{false, "social_worker", NULL, NULL, NULL, NULL},
		{true, "social_worker", NULL, NULL, NULL, "lawful_basis"},
		{true, "social_worker", "made_up", NULL, NULL, "lawful_basis"},
		{true, "social_worker", "dpa_s1_safeguarding", NULL, NULL, "lawful_basis"},
		{true, "social_worker", "consent", NULL, NULL, "lawful_basis"},
		{true, "partner_referrer", "consent", NULL, NULL, NULL},
		{true, "health", "public_task", "public_task", NULL, "special_category_condition"},
		{true, "health", "public_task", "art9_substantial_public_interest", NULL, "schedule1_condition"},
		{true, "health", "public_task", "art9_substantial_public_interest", "dpa_s1_safeguarding", NULL},
		{true, "health", "public_task", "art9_substantial_public_interest", "dpa_s1_health_social_care",
		 "schedule1_condition"},
		{true, "health", "public_task", "art9_health_social_care", "dpa_s1_health_social_care", NULL},
		{true, "health", "public_task", "art9_legal_claims", NULL, NULL},
		{true, "health", "public_task", NULL, "dpa_s1_safeguarding", "special_category_condition"},
		{true, "health", "public_task", "art9_legal_claims", "art9_legal_claims", "schedule1_condition"},
	};
	json_t *doc = real();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *field = NULL;
		const char *why = lawful_bases_check(doc, cases[i].shares, cases[i].role, cases[i].art6, cases[i].art9,
		                                     cases[i].sch1, &field);
		if (!cases[i].field && why)
			fail_msg("case %zu: refused (%s): %s", i, field, why);
		if (cases[i].field && (!why || !field || strcmp(field, cases[i].field)))
			fail_msg("case %zu: want a refusal on %s, got %s", i, cases[i].field, field ? field : "none");
	}
	json_decref(doc);
}

static void test_malformed_files_refused(void **state)
{
	static const char *const groups =
		"\"groups\": {\"article_6\": {\"label\": \"L\", \"required\": true, \"citation\": \"c\"}, "
		"\"schedule_1\": {\"label\": \"L\", \"required\": false, \"citation\": \"c\"}}";
	static const struct {
		const char *bases, *error;
	} cases[] = {
		{"[{\"code\": \"a\", \"group\": \"article_6\", \"label\": \"A\", \"summary\": \"s\", \"citation\": \"c\"}]", NULL},
		{"[]", "expected a non-empty array"},
		{"[{\"code\": \"A b\", \"group\": \"article_6\", \"label\": \"A\", \"summary\": \"s\", \"citation\": \"c\"}]",
		 "lower-case"},
		{"[{\"code\": \"a\", \"group\": \"nope\", \"label\": \"A\", \"summary\": \"s\", \"citation\": \"c\"}]",
		 "group must name"},
		{"[{\"code\": \"a\", \"group\": \"article_6\", \"label\": \"A\", \"summary\": \"s\"}]", "missing citation"},
		{"[{\"code\": \"a\", \"group\": \"article_6\", \"label\": \"A\", \"summary\": \"s\", \"citation\": \"c\", "
		 "\"colour\": \"red\"}]",
		 "unknown field colour"},
		{"[{\"code\": \"a\", \"group\": \"article_6\", \"label\": \"A\", \"summary\": \"s\", \"citation\": \"c\"}, "
		 "{\"code\": \"a\", \"group\": \"article_6\", \"label\": \"B\", \"summary\": \"s\", \"citation\": \"c\"}]",
		 "duplicate code"},
		{"[{\"code\": \"a\", \"group\": \"article_6\", \"label\": \"A\", \"summary\": \"s\", \"citation\": \"c\", "
		 "\"requires_group\": \"schedule_1\", \"requires_codes\": [\"missing\"]}]",
		 "requires_codes must name"},
		{"[{\"code\": \"a\", \"group\": \"article_6\", \"label\": \"A\", \"summary\": \"s\", \"citation\": \"c\", "
		 "\"requires_group\": \"schedule_1\"}]",
		 "go together"},
	};
	char path[64];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(path, sizeof path, "/tmp/sg_lb_XXXXXX");
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		FILE *fp = fdopen(fd, "w");
		fprintf(fp, "{\"version\": \"1\", \"citation\": \"c\", %s, \"bases\": %s}", groups, cases[i].bases);
		fclose(fp);
		json_t *doc = NULL;
		struct buf err;
		buf_init(&err, 0);
		int rc = lawful_bases_load(path, &doc, &err);
		if (cases[i].error && (rc == 0 || !strstr(buf_str(&err), cases[i].error)))
			fail_msg("case %zu: want an error with \"%s\", got %d \"%s\"", i, cases[i].error, rc, buf_str(&err));
		if (!cases[i].error && rc != 0)
			fail_msg("case %zu: want it to load: %s", i, buf_str(&err));
		json_decref(doc);
		buf_free(&err);
		unlink(path);
	}
}

/* The guards G3.3-G3.5 and the per-basis details (spec B-ch01-07 digest 3c, 3f), as the data sets them. */
static void test_evidence_follows_the_data(void **state)
{
	static const struct {
		const char *role, *art6;
		bool special;
		int sought, given, can_consent, outside;
		const char *detail, *field; /* field NULL: accepted */
	} cases[] = {
		{"social_worker", "public_task", false, 0, -1, -1, -1, "s47", NULL},
		{"social_worker", "public_task", false, 0, -1, -1, -1, NULL, "basis_detail"},
		{"partner_referrer", "consent", false, 1, 1, -1, -1, "Signed form", NULL},
		{"partner_referrer", "consent", false, 1, 0, -1, -1, "Signed form", "consent_given"},
		{"partner_referrer", "consent", false, 0, -1, -1, -1, "Signed form", "consent_given"},
		{"partner_referrer", "consent", false, 1, 1, -1, -1, NULL, "basis_detail"},
		{"health", "vital_interests", true, 0, -1, -1, -1, "Overdose", "subject_can_consent"},
		{"health", "vital_interests", true, 0, -1, 1, -1, "Overdose", "subject_can_consent"},
		{"health", "vital_interests", true, 0, -1, 0, -1, "Overdose", NULL},
		{"health", "vital_interests", false, 0, -1, -1, -1, "Overdose", NULL},
		{"police", "legitimate_interests", false, 0, -1, -1, -1, "LIA", "outside_public_task"},
		{"police", "legitimate_interests", false, 0, -1, -1, 0, "LIA", "outside_public_task"},
		{"police", "legitimate_interests", false, 0, -1, -1, 1, "LIA", NULL},
		{"partner_referrer", "legitimate_interests", false, 0, -1, -1, -1, "LIA", NULL},
		{"social_worker", NULL, false, 0, -1, -1, -1, NULL, NULL},
	};
	json_t *doc = real();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct basis_evidence ev = {.consent_sought = cases[i].sought, .consent_given = cases[i].given,
		                            .subject_can_consent = cases[i].can_consent,
		                            .outside_public_task = cases[i].outside, .basis_detail = cases[i].detail};
		const char *field = NULL;
		const char *why = lawful_bases_check_evidence(doc, cases[i].role, cases[i].art6, cases[i].special, &ev, &field);
		if (!cases[i].field && why)
			fail_msg("case %zu refused (%s): %s", i, field, why);
		if (cases[i].field && (!why || !field || strcmp(field, cases[i].field) != 0))
			fail_msg("case %zu: want %s, got %s", i, cases[i].field, field ? field : "(accepted)");
	}
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_file_loads_with_citations),
		cmocka_unit_test(test_check_follows_the_data),
		cmocka_unit_test(test_malformed_files_refused),
		cmocka_unit_test(test_evidence_follows_the_data),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
