/* The decision-support catalogues (rules/support): every entry loads and passes validation (ids unique across the
 * catalogues, citations present, enumerations known, references resolved), and each kind of bad file stops loading
 * with a message naming the file, the entry and the problem.
 * Run from the repository root, or set SAFEGUARD_RULES to the rules directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock/rules.h"
#include "domain/enums.h"
#include "support/catalogue.h"

static const char *rules_dir(void)
{
	const char *e = getenv("SAFEGUARD_RULES");
	return e && *e ? e : "rules";
}

static struct clock_rules *clocks;

static int setup(void **state)
{
	struct buf err;
	buf_init(&err, 0);
	if (enums_load_dir(rules_dir(), &err) < 0 || clock_rules_load(&clocks, rules_dir(), &err) < 0) {
		fprintf(stderr, "setup: %s\n", buf_str(&err));
		buf_free(&err);
		return -1;
	}
	buf_free(&err);
	return 0;
}

static int teardown(void **state)
{
	clock_rules_free(clocks);
	enums_free();
	return 0;
}

static struct support_catalogue *load_real(void)
{
	struct buf err;
	buf_init(&err, 0);
	struct support_catalogue *cat = NULL;
	if (support_catalogue_load(&cat, rules_dir(), clocks, &err) < 0)
		fail_msg("the shipped catalogues do not load: %s", buf_str(&err));
	buf_free(&err);
	return cat;
}

static void test_shipped_catalogues_load(void **state)
{
	struct support_catalogue *cat = load_real();
	static const struct {
		const char *catalogue, *section;
		size_t count;
	} counts[] = {
		{"alerting_features", "features", 36},       {"alerting_features", "responses", 6},
		{"alerting_features", "escalations", 2},     {"vulnerability_factors", "factors", 32},
		{"vulnerability_factors", "combinations", 3}, {"neglect", "categories", 4},
		{"neglect", "care_domains", 4},              {"neglect", "harm_tests", 4},
		{"capacity_to_change", "factors", 8},        {"interventions", "interventions", 26},
	};
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		size_t n = json_array_size(support_catalogue_list(cat, counts[i].catalogue, counts[i].section));
		if (n != counts[i].count)
			fail_msg("%s.%s: %zu entries, want %zu", counts[i].catalogue, counts[i].section, n, counts[i].count);
	}
	/* Every feature NG76 1.3.12-1.3.47 is there, once, with its own paragraph as citation. */
	for (int p = 12; p <= 47; p++) {
		char id[32], cit[32];
		snprintf(id, sizeof id, "NG76-1.3.%d", p);
		snprintf(cit, sizeof cit, "NG76 1.3.%d", p);
		json_t *f = support_catalogue_get(cat, id);
		assert_non_null(f);
		assert_string_equal(support_catalogue_kind(cat, id), "alerting_features.features");
		assert_string_equal(support_str(f, "citation"), cit);
	}
	/* Levels as NG76 grades them: 23 consider, 10 suspect, 2 awareness, 1 handled elsewhere. */
	int levels[4] = {0};
	size_t i;
	json_t *f;
	json_array_foreach(support_catalogue_list(cat, "alerting_features", "features"), i, f) {
		const char *l = support_str(f, "level");
		levels[strcmp(l, "consider") == 0 ? 0 : strcmp(l, "suspect") == 0 ? 1 : strcmp(l, "recognise") == 0 ? 2 : 3]++;
	}
	assert_int_equal(levels[0], 23);
	assert_int_equal(levels[1], 10);
	assert_int_equal(levels[2], 2);
	assert_int_equal(levels[3], 1);
	/* A sign nested in a category is indexed too, with its kind. */
	assert_string_equal(support_catalogue_kind(cat, "NEG-PHY-01"), "neglect.categories.signs");
	assert_null(support_catalogue_get(cat, "NG76-9.9.9"));
	support_catalogue_free(cat);
}

/* Every entry of every section has a non-empty citation; every id is unique (the index would have refused). */
static void test_every_entry_cited(void **state)
{
	struct support_catalogue *cat = load_real();
	json_t *all = support_catalogue_all(cat);
	const char *name;
	json_t *doc;
	size_t entries = 0;
	json_object_foreach(all, name, doc) {
		const char *key;
		json_t *sec;
		json_object_foreach(doc, key, sec) {
			if (!json_is_array(sec))
				continue;
			size_t i;
			json_t *e;
			json_array_foreach(sec, i, e) {
				const char *c = support_str(e, "citation");
				if (!c || !*c)
					fail_msg("%s.%s[%zu] has no citation", name, key, i);
				assert_non_null(support_catalogue_get(cat, support_str(e, "id")));
				entries++;
			}
		}
	}
	assert_true(entries > 150);
	json_decref(all);
	support_catalogue_free(cat);
}

/* ---- bad files: copy the shipped catalogues to a temporary rules directory, spoil one, load ---- */

struct tmp_rules {
	char dir[64];
	char support[96];
};

static void copy_file(const char *from, const char *to)
{
	json_error_t jerr;
	json_t *doc = json_load_file(from, 0, &jerr);
	assert_non_null(doc);
	assert_int_equal(json_dump_file(doc, to, JSON_INDENT(1)), 0);
	json_decref(doc);
}

static const char *const files[] = {"alerting_features", "vulnerability_factors", "neglect", "capacity_to_change",
                                    "interventions"};

static void tmp_make(struct tmp_rules *t)
{
	snprintf(t->dir, sizeof t->dir, "/tmp/sgsupport.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->support, sizeof t->support, "%s/support", t->dir);
	assert_int_equal(mkdir(t->support, 0700), 0);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char from[512], to[256];
		snprintf(from, sizeof from, "%s/support/%s.json", rules_dir(), files[i]);
		snprintf(to, sizeof to, "%s/%s.json", t->support, files[i]);
		copy_file(from, to);
	}
}

static void tmp_remove(struct tmp_rules *t)
{
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char p[256];
		snprintf(p, sizeof p, "%s/%s.json", t->support, files[i]);
		unlink(p);
	}
	char extra[256];
	snprintf(extra, sizeof extra, "%s/zz_extra.json", t->support);
	unlink(extra);
	rmdir(t->support);
	rmdir(t->dir);
}

static json_t *tmp_read(struct tmp_rules *t, const char *file)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s.json", t->support, file);
	json_t *doc = json_load_file(p, 0, NULL);
	assert_non_null(doc);
	return doc;
}

static void tmp_write(struct tmp_rules *t, const char *file, json_t *doc)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s.json", t->support, file);
	assert_int_equal(json_dump_file(doc, p, JSON_INDENT(1)), 0);
	json_decref(doc);
}

static json_t *entry(json_t *doc, const char *section, const char *id)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(doc, section), i, e) {
		if (strcmp(support_str(e, "id"), id) == 0)
			return e;
	}
	fail_msg("no entry %s in %s", id, section);
	return NULL;
}

enum op { SET_STRING, SET_INT, SET_RAW, DELETE, WRITE_RAW_FILE, REMOVE_FILE };

struct spoil {
	const char *file, *section, *id; /* the entry to change */
	enum op op;
	const char *key, *value;
	const char *want; /* substring of the error */
};

static void apply(struct tmp_rules *t, const struct spoil *s)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s.json", t->support, s->file);
	if (s->op == REMOVE_FILE) {
		unlink(p);
		return;
	}
	if (s->op == WRITE_RAW_FILE) {
		FILE *f = fopen(p, "w");
		assert_non_null(f);
		fputs(s->value, f);
		fclose(f);
		return;
	}
	json_t *doc = tmp_read(t, s->file);
	json_t *e = s->section ? entry(doc, s->section, s->id) : doc;
	switch (s->op) {
	case SET_STRING:
		json_object_set_new(e, s->key, json_string(s->value));
		break;
	case SET_INT:
		json_object_set_new(e, s->key, json_integer(strtol(s->value, NULL, 10)));
		break;
	case SET_RAW:
		json_object_set_new(e, s->key, json_loads(s->value, JSON_DECODE_ANY, NULL));
		break;
	case DELETE:
		json_object_del(e, s->key);
		break;
	default:
		break;
	}
	tmp_write(t, s->file, doc);
}

static void test_bad_files_stop_loading(void **state)
{
	static const struct spoil cases[] = {
		{"alerting_features", "features", "NG76-1.3.12", SET_STRING, "colour", "red",
		 "alerting_features.json: NG76-1.3.12: unknown field \"colour\""},
		{"alerting_features", "features", "NG76-1.3.13", SET_STRING, "id", "NG76-1.3.12",
		 "alerting_features.json: NG76-1.3.12: duplicate id"},
		{"alerting_features", "features", "NG76-1.3.14", DELETE, "citation", NULL,
		 "alerting_features.json: NG76-1.3.14: missing citation"},
		{"alerting_features", "features", "NG76-1.3.15", SET_STRING, "citation", "", "NG76-1.3.15: field \"citation\""},
		{"alerting_features", "features", "NG76-1.3.16", SET_STRING, "level", "maybe",
		 "NG76-1.3.16: field \"level\": unknown value \"maybe\" (not in enumeration support_alert_level)"},
		{"alerting_features", "features", "NG76-1.3.17", SET_RAW, "abuse_types", "[\"neglect\", \"spite\"]",
		 "NG76-1.3.17: field \"abuse_types\": unknown value \"spite\""},
		{"alerting_features", "escalations", "ESC-1.3.31", SET_STRING, "to", "NG76-1.3.99",
		 "ESC-1.3.31: field \"to\" refers to \"NG76-1.3.99\", which is not defined"},
		{"alerting_features", "escalations", "ESC-1.3.31", SET_STRING, "to", "NG76-1.2.2",
		 "ESC-1.3.31: field \"to\" refers to \"NG76-1.2.2\", which is in vulnerability_factors.factors, not in "
		 "alerting_features.features"},
		{"alerting_features", "responses", "RESP-SUSPECT", SET_STRING, "starts_clock", "tea_break",
		 "RESP-SUSPECT: field \"starts_clock\": unknown clock event \"tea_break\""},
		{"alerting_features", "responses", "RESP-CONSIDER", SET_STRING, "scope", "suspect",
		 "alerting_features.json: responses: exactly one response must have scope \"suspect\""},
		{"alerting_features", "features", "NG76-1.3.45", SET_RAW, "tickable", "true",
		 "NG76-1.3.45: a 'recognise' entry is awareness only"},
		{"vulnerability_factors", "factors", "STAFFS-RF-04", SET_STRING, "id", "NG76-1.3.20",
		 "vulnerability_factors.json: NG76-1.3.20: duplicate id (already defined in"},
		{"vulnerability_factors", "combinations", "SCAS-COMB-01", SET_RAW, "concepts", "[\"domestic_abuse\", \"jazz\"]",
		 "SCAS-COMB-01: concept \"jazz\" is not the concept of any factor"},
		{"vulnerability_factors", "combinations", "SCAS-COMB-01", SET_STRING, "from_source", "NG76",
		 "SCAS-COMB-01: give either \"concepts\" or \"from_source\""},
		{"neglect", "rating_scale", "RATE-3", SET_INT, "value", "7", "RATE-3: rating values must run 1, 2, 3"},
		{"neglect", "pitfalls", "PIT-DRIFT", SET_INT, "concern_rating", "9", "PIT-DRIFT: drift needs"},
		{"neglect", "categories", "NEG-CAT-PHYSICAL", SET_RAW, "signs", "[{\"id\": \"NEG-PHY-01\"}]",
		 "NEG-PHY-01: missing field \"text\""},
		{"capacity_to_change", "factors", "CTC-03", SET_STRING, "direction", "sideways",
		 "capacity_to_change.json: CTC-03: field \"direction\": unknown value \"sideways\""},
		{"interventions", "interventions", "INT-NG76-1.7.4", SET_INT, "age_min", "9",
		 "interventions.json: INT-NG76-1.7.4: ages must lie within 0-17"},
		{"interventions", "interventions", "INT-NG76-1.7.17", SET_RAW, "after", "[]",
		 "INT-NG76-1.7.17: an after_abuse intervention must list"},
		{"interventions", "interventions", "INT-NG76-1.7.19-GRP", DELETE, "alternatives", NULL,
		 "interventions.json: NG76-1.7.19: an \"alternatives\" group needs two or more entries"},
		{"interventions", NULL, NULL, SET_STRING, "colour", "red", "interventions.json: (top): unknown field \"colour\""},
		{"neglect", NULL, NULL, DELETE, "pitfalls", NULL, "neglect.json: (top): missing section \"pitfalls\""},
		{"neglect", NULL, NULL, REMOVE_FILE, NULL, NULL, "neglect: catalogue missing"},
		{"capacity_to_change", NULL, NULL, WRITE_RAW_FILE, NULL, "{\"catalogue\": ", "capacity_to_change.json: (file): line"},
		{"zz_extra", NULL, NULL, WRITE_RAW_FILE, NULL,
		 "{\"catalogue\": \"neglect\", \"version\": \"1\", \"about\": \"x\"}", "catalogue neglect is already loaded"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct tmp_rules t;
		tmp_make(&t);
		apply(&t, &cases[i]);
		struct buf err;
		buf_init(&err, 0);
		struct support_catalogue *cat = NULL;
		int rc = support_catalogue_load(&cat, t.dir, clocks, &err);
		if (rc == 0)
			fail_msg("case %zu (%s): loaded although spoiled", i, cases[i].want);
		assert_null(cat);
		if (!strstr(buf_str(&err), cases[i].want))
			fail_msg("case %zu: error \"%s\" does not contain \"%s\"", i, buf_str(&err), cases[i].want);
		/* The message always starts with the file it is about. */
		assert_non_null(strstr(buf_str(&err), t.support));
		buf_free(&err);
		tmp_remove(&t);
	}
}

/* A clean copy loads (so the spoiled cases above fail for the reason given, not for the copying). */
static void test_clean_copy_loads(void **state)
{
	struct tmp_rules t;
	tmp_make(&t);
	struct buf err;
	buf_init(&err, 0);
	struct support_catalogue *cat = NULL;
	if (support_catalogue_load(&cat, t.dir, clocks, &err) < 0)
		fail_msg("%s", buf_str(&err));
	support_catalogue_free(cat);
	buf_free(&err);
	tmp_remove(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_catalogues_load),
		cmocka_unit_test(test_every_entry_cited),
		cmocka_unit_test(test_clean_copy_loads),
		cmocka_unit_test(test_bad_files_stop_loading),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
