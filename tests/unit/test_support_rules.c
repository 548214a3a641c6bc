/* Decision-support rules as tables: the combination rules fire exactly when they should (distinct concepts, per
 * rule), the response to a concern follows NG76 1.3's precedence, the neglect pitfalls (drift, optimism) read a
 * series of assessments correctly, and the prompts computed from a child's records carry their triggers and
 * paragraphs, with ids that change only when the triggering data does.
 * Run from the repository root, or set SAFEGUARD_RULES. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "domain/enums.h"
#include "support/support_alerts.h"
#include "support/catalogue.h"
#include "support/combine.h"
#include "support/neglect.h"
#include "support/prompts.h"

static struct support_catalogue *cat;

static int setup(void **state)
{
	const char *rules = getenv("SAFEGUARD_RULES");
	rules = rules && *rules ? rules : "rules";
	struct buf err;
	buf_init(&err, 0);
	if (enums_load_dir(rules, &err) < 0 || support_catalogue_load(&cat, rules, NULL, &err) < 0) {
		fprintf(stderr, "setup: %s\n", buf_str(&err));
		buf_free(&err);
		return -1;
	}
	buf_free(&err);
	return 0;
}

static int teardown(void **state)
{
	support_catalogue_free(cat);
	enums_free();
	return 0;
}

/* An array of strings from a space-separated list. */
static json_t *words(const char *list)
{
	json_t *a = json_array();
	char copy[1024];
	snprintf(copy, sizeof copy, "%s", list);
	for (char *save = NULL, *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		json_array_append_new(a, json_string(w));
	return a;
}

static void joined(const json_t *arr, const char *key, char *out, size_t cap)
{
	size_t i, n = 0;
	json_t *e;
	out[0] = '\0';
	json_array_foreach(arr, i, e) {
		const char *s = key ? support_str(e, key) : json_string_value(e);
		n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? " " : "", s);
		if (n >= cap)
			break;
	}
}

/* ---- combinations ---- */

static void test_combinations_fire_exactly(void **state)
{
	static const struct {
		const char *factors, *fired;
	} rows[] = {
		{"", ""},
		{"NG76-1.2.3-a", ""},
		/* The same concept from two sources counts once. */
		{"NG76-1.2.3-a STAFFS-RF-07", ""},
		{"NG76-1.2.7 STAFFS-RF-01", ""},
		{"NG76-1.2.3-d STAFFS-RF-02", ""},
		/* The example: substance misuse with domestic abuse and mental ill health. */
		{"NG76-1.2.3-a NG76-1.2.3-b NG76-1.2.3-d", "SCAS-COMB-01 NG76-1.2.1-COMB"},
		{"NG76-1.2.3-a NG76-1.2.3-b", "SCAS-COMB-01 NG76-1.2.1-COMB"},
		{"STAFFS-RF-07 STAFFS-RF-06", "SCAS-COMB-01 STAFFS-RF-RULE-01"},
		/* Learning disability and mental health from different sources: only the research-message rule spans
		 * both sources; each source alone has one concept. */
		{"STAFFS-RF-05 NG76-1.2.3-d", "SCAS-COMB-01"},
		{"NG76-1.2.2 NG76-1.2.7", "NG76-1.2.1-COMB"},
		{"STAFFS-RF-04 STAFFS-RF-11", "STAFFS-RF-RULE-01"},
		/* Volatility is an NG76 parental factor but not one of the research messages' co-existing problems. */
		{"NG76-1.2.3-c NG76-1.2.3-a", "NG76-1.2.1-COMB"},
		/* The research messages' own risk statements belong to no combination rule. */
		{"SCAS-RM-01 SCAS-RM-07 SCAS-RM-02", ""},
		{"STAFFS-RF-05 SCAS-RM-03", ""},
		{"NG76-1.2.3-a NG76-1.2.3-b NG76-1.2.3-d STAFFS-RF-05", "SCAS-COMB-01 NG76-1.2.1-COMB"},
		/* Disability and disadvantage are not parental problems: one research-message concept only. */
		{"STAFFS-RF-01 STAFFS-RF-02 STAFFS-RF-03", "STAFFS-RF-RULE-01"},
		{"STAFFS-RF-01 STAFFS-RF-03", "STAFFS-RF-RULE-01"},
	};
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		json_t *ids = words(rows[r].factors), *recs = json_array();
		size_t i;
		json_t *v;
		json_array_foreach(ids, i, v) {
			char rid[32];
			snprintf(rid, sizeof rid, "vfa_%zu", i);
			json_array_append_new(recs, json_pack("{s:s, s:O}", "id", rid, "factor_id", v));
		}
		json_t *fired = support_combinations(cat, recs);
		char got[512];
		joined(fired, "rule", got, sizeof got);
		if (strcmp(got, rows[r].fired))
			fail_msg("row %zu (%s): fired \"%s\", want \"%s\"", r, rows[r].factors, got, rows[r].fired);
		json_decref(fired);
		json_decref(recs);
		json_decref(ids);
	}
}

static void test_combination_lists_distinct_concepts(void **state)
{
	json_t *recs = json_pack("[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}]", "id", "vfa_a", "factor_id", "NG76-1.2.3-a", "id",
	                         "vfa_b", "factor_id", "STAFFS-RF-07", "id", "vfa_c", "factor_id", "NG76-1.2.3-b");
	json_t *fired = support_combinations(cat, recs);
	json_t *scas = json_array_get(fired, 0);
	assert_string_equal(support_str(scas, "rule"), "SCAS-COMB-01");
	char got[256];
	joined(json_object_get(scas, "concepts"), NULL, got, sizeof got);
	assert_string_equal(got, "parental_substance_misuse domestic_abuse");
	joined(json_object_get(scas, "records"), NULL, got, sizeof got);
	assert_string_equal(got, "vfa_a vfa_b vfa_c");
	json_decref(fired);
	json_decref(recs);
}

/* ---- the response to a concern ---- */

static void test_concern_responses(void **state)
{
	static const struct {
		const char *features;
		bool immediate;
		const char *level, *responses;
		bool clock;
	} rows[] = {
		{"NG76-1.3.12", false, "consider", "RESP-CONSIDER RESP-ALL", false},
		{"NG76-1.3.24", false, "suspect", "RESP-SUSPECT RESP-ALL", true},
		{"NG76-1.3.12 NG76-1.3.24", false, "suspect", "RESP-SUSPECT RESP-ALL", true},
		{"", true, "immediate", "RESP-IMMEDIATE", true},
		{"NG76-1.3.12", true, "immediate", "RESP-IMMEDIATE", true},
		{"NG76-1.3.47", false, "special", "RESP-TRAFFICKING RESP-ALL", true},
		{"NG76-1.3.47 NG76-1.3.20", false, "special", "RESP-TRAFFICKING RESP-SUSPECT RESP-ALL", true},
		{"NG76-1.3.44", false, "refer_elsewhere", "RESP-FII RESP-ALL", false},
		{"NG76-1.3.44 NG76-1.3.12", false, "refer_elsewhere", "RESP-FII RESP-CONSIDER RESP-ALL", false},
		{"NG76-1.3.44 NG76-1.3.40", false, "suspect", "RESP-FII RESP-SUSPECT RESP-ALL", true},
		{"", false, "none", "", false},
		/* Ids that are not alerting features (a factor, an unknown id) count for nothing. */
		{"NG76-1.2.2 NG76-9.9.9", false, "none", "", false},
	};
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		json_t *ids = words(rows[r].features);
		json_t *resp = support_alerts_response(cat, ids, rows[r].immediate);
		char got[256];
		joined(json_object_get(resp, "responses"), "id", got, sizeof got);
		if (strcmp(support_str(resp, "level"), rows[r].level) || strcmp(got, rows[r].responses))
			fail_msg("row %zu: level %s, responses \"%s\"; want %s, \"%s\"", r, support_str(resp, "level"), got,
			         rows[r].level, rows[r].responses);
		const char *clock = support_str(resp, "starts_clock");
		assert_int_equal(clock != NULL, rows[r].clock);
		if (clock)
			assert_string_equal(clock, "professional_concern_identified");
		json_decref(resp);
		json_decref(ids);
	}
}

static void test_feature_refusals(void **state)
{
	assert_null(support_alerts_refuse(cat, "NG76-1.3.12", 5));
	assert_null(support_alerts_refuse(cat, "NG76-1.3.29", 11));
	assert_null(support_alerts_refuse(cat, "NG76-1.3.29", -1));
	assert_non_null(support_alerts_refuse(cat, "NG76-1.3.29", 12));
	assert_non_null(support_alerts_refuse(cat, "NG76-1.3.45", 5)); /* awareness only */
	assert_non_null(support_alerts_refuse(cat, "NG76-1.2.2", 5));  /* a factor, not a feature */
	assert_non_null(support_alerts_refuse(cat, "NG76-1.3.99", 5));
	json_t *ids = words("NG76-1.3.12 NG76-1.3.24 NG76-1.3.29 NG76-1.3.31");
	json_t *types = support_alerts_abuse_types(cat, ids);
	char got[128];
	joined(types, NULL, got, sizeof got);
	assert_string_equal(got, "neglect physical emotional");
	json_decref(types);
	json_decref(ids);
}

/* ---- neglect assessments ---- */

/* "2026-01-10:3333:improving" = date, ratings for the four domains in catalogue order (0 = not rated), view. */
static json_t *series(const char *spec)
{
	static const char *const domains[] = {"CARE-PHYSICAL", "CARE-SAFETY", "CARE-LOVE", "CARE-ESTEEM"};
	json_t *out = json_array();
	char copy[512];
	snprintf(copy, sizeof copy, "%s", spec);
	int k = 0;
	for (char *save = NULL, *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save), k++) {
		char date[11], digits[5], view[20];
		if (sscanf(w, "%10[^:]:%4[0-9]:%19s", date, digits, view) != 3)
			fail_msg("bad spec %s", w);
		json_t *ratings = json_object();
		for (int d = 0; d < 4; d++)
			if (digits[d] != '0')
				json_object_set_new(ratings, domains[d], json_integer(digits[d] - '0'));
		char id[16];
		snprintf(id, sizeof id, "nga_%d", k);
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:o}", "id", id, "assessed_on", date, "overall_view",
		                                     view, "ratings", ratings));
	}
	return out;
}

static void test_drift_and_optimism(void **state)
{
	static const struct {
		const char *spec;
		bool drift, optimism;
	} rows[] = {
		{"2026-01-10:3333:not_sure", false, false},
		{"2026-01-10:3333:not_sure 2026-02-10:3333:no_change", false, false},
		/* Three assessments, nothing better, still rated 3: drift. */
		{"2026-01-10:3333:not_sure 2026-02-10:3333:no_change 2026-03-10:3333:no_change", true, false},
		/* One domain improved over the window: no drift. */
		{"2026-01-10:3333:not_sure 2026-02-10:3333:no_change 2026-03-10:2333:no_change", false, false},
		/* Improved then slipped back to where it started: no better than the first of the window, so drift. */
		{"2026-01-10:3333:not_sure 2026-02-10:2222:improving 2026-03-10:3333:worse", true, false},
		/* Nothing improved but nothing is a concern any more (all 2 = mostly met): no drift. */
		{"2026-01-10:2222:not_sure 2026-02-10:2222:no_change 2026-03-10:2222:no_change", false, false},
		/* Only the last three count: an early improvement does not hide the later stall. */
		{"2025-10-01:5555:worse 2026-01-10:4444:improving 2026-02-10:4444:no_change 2026-03-10:4444:no_change", true,
		 false},
		/* Says improving, ratings the same as last time: the rule of optimism (and drift). */
		{"2026-01-10:3333:not_sure 2026-02-10:3333:no_change 2026-03-10:3333:improving", true, true},
		{"2026-01-10:4444:not_sure 2026-02-10:4444:improving", false, true},
		/* Says improving and one domain is better: borne out. */
		{"2026-01-10:4444:not_sure 2026-02-10:4344:improving", false, false},
		/* Order of entry does not matter: sorted by date. */
		{"2026-03-10:4344:improving 2026-01-10:4444:not_sure", false, false},
		{"2026-02-10:4444:improving 2026-01-10:4344:not_sure", false, true},
		/* Domains rated at only one of the two assessments are not compared. */
		{"2026-01-10:4000:not_sure 2026-02-10:0300:improving", false, false},
	};
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		json_t *a = series(rows[r].spec);
		json_t *d = support_neglect_drift(cat, a), *o = support_neglect_optimism(cat, a);
		if ((d != NULL) != rows[r].drift || (o != NULL) != rows[r].optimism)
			fail_msg("row %zu (%s): drift %d optimism %d, want %d %d", r, rows[r].spec, d != NULL, o != NULL,
			         rows[r].drift, rows[r].optimism);
		json_decref(d);
		json_decref(o);
		json_decref(a);
	}
}

static void test_chart_geometry(void **state)
{
	json_t *a = series("2026-01-10:5432:not_sure 2026-02-10:4400:no_change 2026-03-10:1100:improving");
	json_t *chart = support_neglect_chart(cat, a);
	assert_int_equal(support_int(chart, "count", 0), 3);
	json_t *phys = json_array_get(json_object_get(chart, "series"), 0);
	assert_string_equal(support_str(phys, "domain"), "CARE-PHYSICAL");
	/* x runs 70..610 over three assessments; rating 1 at the top (y 20), 5 at the bottom (y 250). */
	assert_string_equal(support_str(phys, "points"), "70,250 340,192 610,20");
	json_t *love = json_array_get(json_object_get(chart, "series"), 2);
	assert_string_equal(support_str(love, "points"), "70,135"); /* rated once */
	json_t *row = json_array_get(json_object_get(chart, "rows"), 1);
	assert_string_equal(support_str(row, "date"), "10 Feb 2026");
	assert_string_equal(support_str(json_array_get(json_object_get(row, "cells"), 2), "label"), "Not rated");
	assert_int_equal(json_array_size(json_object_get(chart, "gridlines")), 5);
	json_decref(chart);
	json_decref(a);
}

/* ---- prompts computed from a child's records ---- */

/* A concern: "id date created_t case source features..." (case and source "-" for none). */
static json_t *concern(const char *spec)
{
	char id[32], date[16], casebuf[32], source[32], feats[256] = "";
	long long created;
	int n = 0;
	if (sscanf(spec, "%31s %15s %lld %31s %31s %n", id, date, &created, casebuf, source, &n) != 5)
		fail_msg("bad concern spec %s", spec);
	snprintf(feats, sizeof feats, "%s", spec + n);
	return json_pack("{s:s, s:s, s:I, s:o, s:s, s:s, s:b, s:o}", "id", id, "observed_on", date, "created_t",
	                 (json_int_t)created, "case_id", strcmp(casebuf, "-") ? json_string(casebuf) : json_null(),
	                 "source_key", source, "source_label", source, "immediate_danger", 0, "features", words(feats));
}

static json_t *data_of(const char *const *concerns, size_t n, json_t *cases, json_t *factors, json_t *agreements)
{
	json_t *c = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(c, concern(concerns[i]));
	return json_pack("{s:o, s:o, s:o, s:[], s:o}", "concerns", c, "cases", cases ? cases : json_array(), "factors",
	                 factors ? factors : json_array(), "assessments", "agreements",
	                 agreements ? agreements : json_array());
}

/* The rules of the prompts, space-separated, sorted by rule id for a stable comparison. */
static void rules_of(const json_t *prompts, char *out, size_t cap)
{
	const char *ids[64];
	size_t n = 0, i;
	json_t *p;
	json_array_foreach(prompts, i, p) if (n < 64) ids[n++] = support_str(p, "rule");
	for (size_t a = 0; a < n; a++)
		for (size_t b = a + 1; b < n; b++)
			if (strcmp(ids[a], ids[b]) > 0) {
				const char *t = ids[a];
				ids[a] = ids[b];
				ids[b] = t;
			}
	size_t len = 0;
	out[0] = '\0';
	for (size_t k = 0; k < n && len < cap; k++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s", k ? " " : "", ids[k]);
}

static void test_prompts_from_records(void **state)
{
	int32_t today = date_from_ymd(2026, 6, 15);
	json_t *closed_case = json_pack("[{s:s, s:I, s:I, s:s}]", "id", "cas_1", "opened_t", (json_int_t)100, "closed_t",
	                                (json_int_t)500, "closed_on", "2026-03-01");
	static const struct {
		const char *concerns[4];
		bool with_closed_case;
		const char *rules; /* sorted */
	} rows[] = {
		/* One 'consider' concern: its own response only. */
		{{"con_a 2026-06-01 600 - agy_1 NG76-1.3.31"}, false, "RESP-CONSIDER"},
		/* The same interaction on two dates: the escalation prompt (1.3.31 -> 1.3.32). */
		{{"con_a 2026-06-01 600 - agy_1 NG76-1.3.31", "con_b 2026-06-08 700 - agy_1 NG76-1.3.31"}, false,
		 "ESC-1.3.31 RESP-CONSIDER RESP-CONSIDER"},
		/* Twice on one date is one occasion. */
		{{"con_a 2026-06-01 600 - agy_1 NG76-1.3.31", "con_b 2026-06-01 700 - agy_1 NG76-1.3.31"}, false,
		 "RESP-CONSIDER RESP-CONSIDER"},
		/* Already judged persistent (1.3.32 ticked since): no escalation prompt. */
		{{"con_a 2026-06-01 600 - agy_1 NG76-1.3.31", "con_b 2026-06-08 700 - agy_1 NG76-1.3.31",
		  "con_c 2026-06-08 800 - agy_1 NG76-1.3.32"},
		 false, "RESP-CONSIDER RESP-CONSIDER RESP-SUSPECT"},
		/* Two agencies within the year: the pattern prompt; a year and more apart: not. */
		{{"con_a 2026-06-01 600 - agy_1 NG76-1.3.12", "con_b 2026-02-01 700 - role:police NG76-1.3.42"}, false,
		 "PAT-MULTI-AGENCY RESP-CONSIDER RESP-CONSIDER"},
		{{"con_a 2026-06-01 600 - agy_1 NG76-1.3.12", "con_b 2025-06-14 700 - role:police NG76-1.3.42"}, false,
		 "RESP-CONSIDER RESP-CONSIDER"},
		/* Start-again: neglect in the closed case, neglect again after closure (different signs). */
		{{"con_a 2026-02-01 200 cas_1 agy_1 NG76-1.3.25", "con_b 2026-06-01 900 - agy_1 NG76-1.3.24"}, true,
		 "PIT-START-AGAIN RESP-SUSPECT RESP-SUSPECT"},
		/* After closure but about something else (emotional abuse, a general sign): no flag. */
		{{"con_a 2026-02-01 200 cas_1 agy_1 NG76-1.3.25", "con_b 2026-06-01 900 - agy_1 NG76-1.3.31 NG76-1.3.12"},
		 true, "RESP-CONSIDER RESP-SUSPECT"},
		/* Recorded before the closure: not a re-referral. */
		{{"con_a 2026-02-01 200 cas_1 agy_1 NG76-1.3.25", "con_b 2026-02-20 400 - agy_1 NG76-1.3.24"}, true,
		 "RESP-SUSPECT RESP-SUSPECT"},
		/* The same sign again after closure (a general one) is the same concern. */
		{{"con_a 2026-02-01 200 cas_1 agy_1 NG76-1.3.12", "con_b 2026-06-01 900 - agy_1 NG76-1.3.12"}, true,
		 "PIT-START-AGAIN RESP-CONSIDER RESP-CONSIDER"},
	};
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		size_t n = 0;
		while (n < 4 && rows[r].concerns[n])
			n++;
		json_t *data = data_of(rows[r].concerns, n, rows[r].with_closed_case ? json_deep_copy(closed_case) : NULL,
		                       NULL, NULL);
		json_t *prompts = support_prompts_compute(cat, "chd_test", data, today);
		char got[512];
		rules_of(prompts, got, sizeof got);
		if (strcmp(got, rows[r].rules))
			fail_msg("row %zu: prompts \"%s\", want \"%s\"", r, got, rows[r].rules);
		json_decref(prompts);
		json_decref(data);
	}
	json_decref(closed_case);
}

static void test_prompt_ids_follow_the_data(void **state)
{
	int32_t today = date_from_ymd(2026, 6, 15);
	const char *two[] = {"con_a 2026-06-01 600 - agy_1 NG76-1.3.12", "con_b 2026-05-01 700 - role:police NG76-1.3.42"};
	const char *three[] = {"con_a 2026-06-01 600 - agy_1 NG76-1.3.12", "con_b 2026-05-01 700 - role:police NG76-1.3.42",
	                       "con_c 2026-06-10 800 - agy_1 NG76-1.3.41"};
	const char *other[] = {"con_a 2026-06-01 600 - agy_1 NG76-1.3.12", "con_b 2026-05-01 700 - role:police NG76-1.3.42",
	                       "con_c 2026-06-10 800 - role:health NG76-1.3.41"};
	json_t *d1 = data_of(two, 2, NULL, NULL, NULL), *d2 = data_of(three, 3, NULL, NULL, NULL);
	json_t *d3 = data_of(other, 3, NULL, NULL, NULL);
	json_t *p1 = support_prompts_compute(cat, "chd_test", d1, today);
	json_t *p1b = support_prompts_compute(cat, "chd_test", d1, today);
	json_t *p2 = support_prompts_compute(cat, "chd_test", d2, today);
	json_t *p3 = support_prompts_compute(cat, "chd_test", d3, today);
	json_t *px = support_prompts_compute(cat, "chd_other", d1, today);
	const char *pattern[5];
	json_t *sets[5] = {p1, p1b, p2, p3, px};
	for (int k = 0; k < 5; k++) {
		pattern[k] = NULL;
		size_t i;
		json_t *p;
		json_array_foreach(sets[k], i, p) if (strcmp(support_str(p, "rule"), "PAT-MULTI-AGENCY") == 0) pattern[k] =
			support_str(p, "id");
		assert_non_null(pattern[k]);
		assert_int_equal(strncmp(pattern[k], "prm_", 4), 0);
		assert_int_equal(strlen(pattern[k]), 20);
	}
	assert_string_equal(pattern[0], pattern[1]); /* the same data, the same prompt */
	assert_string_equal(pattern[0], pattern[2]); /* another concern from an agency already counted */
	assert_string_not_equal(pattern[0], pattern[3]); /* a new agency: a new prompt */
	assert_string_not_equal(pattern[0], pattern[4]); /* another child */
	/* The prompt carries its triggers (newest concern first in raised_on) and its paragraph. */
	json_t *p = support_prompts_find(p2, pattern[2]);
	assert_int_equal(json_array_size(json_object_get(p, "triggers")), 3);
	assert_string_equal(support_str(p, "raised_on"), "2026-06-10");
	assert_string_equal(support_str(json_array_get(json_object_get(p, "paragraphs"), 0), "id"), "PAT-MULTI-AGENCY");
	json_t *sets2[] = {p1, p1b, p2, p3, px, d1, d2, d3};
	for (size_t k = 0; k < sizeof sets2 / sizeof sets2[0]; k++)
		json_decref(sets2[k]);
}

static void test_agreement_and_factor_prompts(void **state)
{
	int32_t today = date_from_ymd(2026, 6, 15);
	json_t *agreements = json_pack(
		"[{s:s, s:s, s:s, s:n}, {s:s, s:s, s:s, s:n}, {s:s, s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s, s:s}]", "id",
		"agr_late", "due_on", "2026-06-14", "what_must_change", "a", "outcome", "id", "agr_running", "due_on",
		"2026-06-15", "what_must_change", "b", "outcome", "id", "agr_met", "due_on", "2026-06-01", "what_must_change",
		"c", "outcome", "met", "outcome_on", "2026-06-01", "id", "agr_not", "due_on", "2026-06-01", "what_must_change",
		"d", "outcome", "not_met", "outcome_on", "2026-06-02");
	json_t *factors = json_pack("[{s:s, s:s, s:s}, {s:s, s:s, s:s, s:s}, {s:s, s:s, s:s}]", "id", "vfa_1", "factor_id",
	                            "NG76-1.2.3-a", "noted_on", "2026-01-01", "id", "vfa_2", "factor_id", "NG76-1.2.3-b",
	                            "noted_on", "2026-01-01", "ended_on", "2026-02-01", "id", "vfa_3", "factor_id",
	                            "STAFFS-RF-05", "noted_on", "2026-03-01");
	json_t *data = data_of(NULL, 0, NULL, factors, agreements);
	json_t *prompts = support_prompts_compute(cat, "chd_test", data, today);
	char got[256];
	rules_of(prompts, got, sizeof got);
	/* The ended domestic-abuse factor does not count: substance misuse with learning disability still combines. */
	assert_string_equal(got, "AGR-NOT-MET AGR-OVERDUE SCAS-COMB-01");
	json_decref(prompts);
	json_decref(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_combinations_fire_exactly),
		cmocka_unit_test(test_combination_lists_distinct_concepts),
		cmocka_unit_test(test_concern_responses),
		cmocka_unit_test(test_feature_refusals),
		cmocka_unit_test(test_drift_and_optimism),
		cmocka_unit_test(test_chart_geometry),
		cmocka_unit_test(test_prompts_from_records),
		cmocka_unit_test(test_prompt_ids_follow_the_data),
		cmocka_unit_test(test_agreement_and_factor_prompts),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
