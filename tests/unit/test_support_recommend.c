/* The interventions recommender as tables: every age 0-17 (and unborn) against every type of abuse and a family at
 * risk, for parents and for alternative carers. Each expected list was worked out by hand from the recommendation
 * text of NG76 1.5.4-1.5.13 and 1.7.4-1.7.19 (seed 000) and the research messages' examples (seed 002):
 *
 *   1.7.4  offer, parents who neglected or physically abused a child under 5          -> 0-4, neglect/physical
 *   1.7.6  consider, under 5, physical/emotional abuse, neglect, domestic violence     -> 0-4
 *   1.7.10 consider, under 12, physical/emotional abuse or neglect                     -> 0-11
 *   1.7.11 consider, under 12, physical abuse or neglect                               -> 0-11
 *   1.7.14 consider, 10 to 17, abuse or neglect (section: physical/emotional/neglect)  -> 10-17
 *   1.7.17 offer, sexual abuse with anxiety, sexualised behaviour or PTSD, no lower age -> conditional on symptoms
 *   1.7.18 consider, 8 to 17 after sexual abuse                                         -> 8-17
 *   1.7.19 consider, girls 6 to 14 with emotional or behavioural disturbance           -> conditional
 *   1.5.x  early help for families at risk; 1.5.9 up to 7, 1.5.10 pre-school (0-4)
 * Run from the repository root, or set SAFEGUARD_RULES. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/enums.h"
#include "support/catalogue.h"
#include "support/recommend.h"

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

/* "A B C" (space-separated ids, in order) for one list of the result. */
static void ids_of(const json_t *result, const char *list, char *out, size_t cap)
{
	size_t i, n = 0;
	json_t *e;
	out[0] = '\0';
	json_array_foreach(json_object_get(result, list), i, e) {
		const char *id = support_str(e, "id");
		n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? " " : "", strncmp(id, "INT-", 4) == 0 ? id + 4 : id);
		if (n >= cap)
			break;
	}
}

struct row {
	int age_from, age_to; /* inclusive; SUPPORT_UNBORN for an unborn child */
	const char *abuse;    /* NULL: a family at risk */
	const char *carer;
	const char *fits, *conditional, *background; /* ids without "INT-", in order */
};

static void check_rows(const struct row *rows, size_t n, const char *sex, const char *const *needs, size_t nneeds)
{
	for (size_t r = 0; r < n; r++) {
		for (int age = rows[r].age_from; age <= rows[r].age_to; age++) {
			struct support_situation sit = {age, rows[r].abuse, rows[r].carer, sex, needs, nneeds};
			json_t *res = support_recommend(cat, &sit);
			char got[1024];
			const char *lists[] = {"fits", "conditional", "background"};
			const char *want[] = {rows[r].fits, rows[r].conditional, rows[r].background};
			for (int k = 0; k < 3; k++) {
				if (!want[k])
					continue;
				ids_of(res, lists[k], got, sizeof got);
				if (strcmp(got, want[k]))
					fail_msg("row %zu, age %d, %s, %s: %s are \"%s\", want \"%s\"", r, age,
					         rows[r].abuse ? rows[r].abuse : "at risk", rows[r].carer ? rows[r].carer : "parents",
					         lists[k], got, want[k]);
			}
			json_decref(res);
		}
	}
}

#define EH_FITS "NG76-1.5.4 NG76-1.5.7 NG76-1.5.13"
#define BG_ALL "SCAS-VIG SCAS-MSTCAN"
#define BG_ALL_MTFC "SCAS-VIG SCAS-MSTCAN SCAS-MTFC"
#define BG_PHYS "SCAS-PCIT SCAS-VIG SCAS-MSTCAN"
#define BG_PHYS_MTFC "SCAS-PCIT SCAS-VIG SCAS-MSTCAN SCAS-MTFC"

/* Parents or carers, sex not recorded, no symptoms or circumstances recorded. */
static void test_parents_every_age_and_type(void **state)
{
	static const struct row rows[] = {
		/* A family at risk: early help (NG76 1.5). */
		{SUPPORT_UNBORN, SUPPORT_UNBORN, NULL, NULL, EH_FITS, "NG76-1.5.12 NG76-1.5.11", ""},
		{0, 4, NULL, NULL, EH_FITS, "NG76-1.5.12 NG76-1.5.9 NG76-1.5.10 NG76-1.5.11", ""},
		{5, 7, NULL, NULL, EH_FITS, "NG76-1.5.12 NG76-1.5.9 NG76-1.5.11", ""},
		{8, 17, NULL, NULL, EH_FITS, "NG76-1.5.12 NG76-1.5.11", ""},
		/* Physical abuse. */
		{SUPPORT_UNBORN, SUPPORT_UNBORN, "physical", NULL, "", "", BG_PHYS},
		{0, 2, "physical", NULL, "NG76-1.7.4 NG76-1.7.6 NG76-1.7.10 NG76-1.7.11", "", BG_PHYS},
		{3, 4, "physical", NULL, "NG76-1.7.4 NG76-1.7.6 NG76-1.7.10 NG76-1.7.11", "", BG_PHYS_MTFC},
		{5, 9, "physical", NULL, "NG76-1.7.10 NG76-1.7.11", "", BG_PHYS_MTFC},
		{10, 11, "physical", NULL, "NG76-1.7.10 NG76-1.7.11 NG76-1.7.14", "", BG_PHYS_MTFC},
		{12, 17, "physical", NULL, "NG76-1.7.14", "", BG_PHYS_MTFC},
		/* Emotional abuse: no attachment-based offer (1.7.4 names neglect and physical abuse), no PCIT (1.7.11). */
		{0, 2, "emotional", NULL, "NG76-1.7.6 NG76-1.7.10", "", BG_ALL},
		{3, 4, "emotional", NULL, "NG76-1.7.6 NG76-1.7.10", "", BG_ALL_MTFC},
		{5, 9, "emotional", NULL, "NG76-1.7.10", "", BG_ALL_MTFC},
		{10, 11, "emotional", NULL, "NG76-1.7.10 NG76-1.7.14", "", BG_ALL_MTFC},
		{12, 17, "emotional", NULL, "NG76-1.7.14", "", BG_ALL_MTFC},
		/* Neglect: as physical abuse for the NG76 entries. */
		{0, 2, "neglect", NULL, "NG76-1.7.4 NG76-1.7.6 NG76-1.7.10 NG76-1.7.11", "", BG_ALL},
		{3, 4, "neglect", NULL, "NG76-1.7.4 NG76-1.7.6 NG76-1.7.10 NG76-1.7.11", "", BG_ALL_MTFC},
		{5, 9, "neglect", NULL, "NG76-1.7.10 NG76-1.7.11", "", BG_ALL_MTFC},
		{10, 11, "neglect", NULL, "NG76-1.7.10 NG76-1.7.11 NG76-1.7.14", "", BG_ALL_MTFC},
		{12, 17, "neglect", NULL, "NG76-1.7.14", "", BG_ALL_MTFC},
		/* Living with domestic abuse: only child-parent psychotherapy names it (1.7.6). */
		{0, 2, "domestic_abuse_exposure", NULL, "NG76-1.7.6", "", BG_ALL},
		{3, 4, "domestic_abuse_exposure", NULL, "NG76-1.7.6", "", BG_ALL_MTFC},
		{5, 17, "domestic_abuse_exposure", NULL, "", "", BG_ALL_MTFC},
		/* Sexual abuse: TF-CBT needs its symptoms; 1.7.19 needs a girl with disturbance; 1.7.18 from 8. */
		{0, 2, "sexual", NULL, "", "NG76-1.7.17", BG_ALL},
		{3, 5, "sexual", NULL, "", "NG76-1.7.17", BG_ALL_MTFC},
		{6, 7, "sexual", NULL, "", "NG76-1.7.17 NG76-1.7.19-IND NG76-1.7.19-GRP", BG_ALL_MTFC},
		{8, 14, "sexual", NULL, "NG76-1.7.18", "NG76-1.7.17 NG76-1.7.19-IND NG76-1.7.19-GRP", BG_ALL_MTFC},
		{15, 17, "sexual", NULL, "NG76-1.7.18", "NG76-1.7.17", BG_ALL_MTFC},
	};
	check_rows(rows, sizeof rows / sizeof rows[0], NULL, NULL, 0);
}

/* Foster, kinship and adoptive carers and special guardians (NG76 1.7.8-1.7.9, 1.7.12-1.7.13, 1.7.15-1.7.16). */
static void test_alternative_carers(void **state)
{
	static const struct row rows[] = {
		/* Foster carers: the 'offer' of 1.7.8 wins over the 'consider' of 1.7.9 for the same carers. The research
		 * messages' MTFC (3-17, foster, adoptive or birth parents) is the only background item for them. */
		{0, 2, "physical", "foster_carers", "NG76-1.7.8", "", ""},
		{3, 4, "physical", "foster_carers", "NG76-1.7.8", "", "SCAS-MTFC"},
		{5, 12, "physical", "foster_carers", "NG76-1.7.13 NG76-1.7.15", "NG76-1.7.12", "SCAS-MTFC"},
		{13, 17, "physical", "foster_carers", "NG76-1.7.15", "", "SCAS-MTFC"},
		{0, 4, "neglect", "foster_carers", "NG76-1.7.8", "", NULL},
		{5, 12, "emotional", "foster_carers", "NG76-1.7.13 NG76-1.7.15", "NG76-1.7.12", NULL},
		{0, 4, "domestic_abuse_exposure", "foster_carers", "", "", NULL},
		/* Adoptive parents, special guardians, kinship carers: the permanence entries. */
		{0, 4, "neglect", "adoptive_parents", "NG76-1.7.9", "", NULL},
		{5, 17, "neglect", "adoptive_parents", "NG76-1.7.16", "", "SCAS-MTFC"},
		{0, 4, "emotional", "special_guardians", "NG76-1.7.9", "", ""},
		{5, 17, "physical", "kinship_carers", "NG76-1.7.16", "", ""},
		/* No early help is listed for a family at risk when the child lives with alternative carers. */
		{0, 17, NULL, "foster_carers", "", "", ""},
		/* After sexual abuse the interventions are for the child, whoever cares for them. */
		{8, 14, "sexual", "kinship_carers", "NG76-1.7.18", "NG76-1.7.17 NG76-1.7.19-IND NG76-1.7.19-GRP", ""},
	};
	check_rows(rows, sizeof rows / sizeof rows[0], NULL, NULL, 0);
}

static void test_needs_and_sex(void **state)
{
	/* Problem behaviour: the foster carers' 'offer' (1.7.12) replaces the 'consider' (1.7.13), which excludes it. */
	static const char *const behaviour[] = {"problem_behaviour"};
	static const struct row foster[] = {
		{5, 12, "neglect", "foster_carers", "NG76-1.7.12 NG76-1.7.15", "", NULL},
	};
	check_rows(foster, 1, NULL, behaviour, 1);

	/* Every carer circumstance of early help recorded: the directive content first, then the programmes. */
	static const char *const family[] = {"mother_anger_difficulties", "vulnerable_mother", "methadone_programme",
	                                     "parental_substance_misuse"};
	static const struct row early[] = {
		{0, 4, NULL, NULL,
		 "NG76-1.5.4 NG76-1.5.12 NG76-1.5.7 NG76-1.5.9 NG76-1.5.10 NG76-1.5.11 NG76-1.5.13", "", ""},
		{5, 7, NULL, NULL, "NG76-1.5.4 NG76-1.5.12 NG76-1.5.7 NG76-1.5.9 NG76-1.5.11 NG76-1.5.13", "", ""},
		{8, 17, NULL, NULL, "NG76-1.5.4 NG76-1.5.12 NG76-1.5.7 NG76-1.5.11 NG76-1.5.13", "", ""},
	};
	check_rows(early, 3, NULL, family, 4);

	/* A girl of 6-14 with disturbance after sexual abuse: both 1.7.19 options, as alternatives; TF-CBT still
	 * waits on its own symptoms. */
	static const char *const disturbance[] = {"emotional_behavioural_disturbance"};
	static const struct row girl[] = {
		{6, 7, "sexual", NULL, "NG76-1.7.19-IND NG76-1.7.19-GRP", "NG76-1.7.17", NULL},
		{8, 14, "sexual", NULL, "NG76-1.7.18 NG76-1.7.19-IND NG76-1.7.19-GRP", "NG76-1.7.17", NULL},
		{15, 17, "sexual", NULL, "NG76-1.7.18", "NG76-1.7.17", NULL},
	};
	check_rows(girl, 3, "female", disturbance, 1);
	static const struct row boy[] = {
		{6, 7, "sexual", NULL, "", "NG76-1.7.17", NULL},
		{8, 17, "sexual", NULL, "NG76-1.7.18", "NG76-1.7.17", NULL},
	};
	check_rows(boy, 2, "male", disturbance, 1);

	/* Any one of TF-CBT's symptoms makes it an offer, at every age after sexual abuse (no lower limit). */
	static const char *const anxious[] = {"anxiety"};
	static const struct row tfcbt[] = {
		{0, 7, "sexual", NULL, "NG76-1.7.17", "", NULL},
		{8, 17, "sexual", NULL, "NG76-1.7.17 NG76-1.7.18", "", NULL},
	};
	check_rows(tfcbt, 2, "male", anxious, 1);
}

/* What a conditional item says is missing, and what every item carries. */
static void test_item_contents(void **state)
{
	struct support_situation sit = {9, "sexual", NULL, "not_known", NULL, 0};
	json_t *res = support_recommend(cat, &sit);
	json_t *cond = json_object_get(res, "conditional");
	json_t *ind = NULL, *tf = NULL;
	size_t i;
	json_t *e;
	json_array_foreach(cond, i, e) {
		if (strcmp(support_str(e, "id"), "INT-NG76-1.7.19-IND") == 0)
			ind = e;
		if (strcmp(support_str(e, "id"), "INT-NG76-1.7.17") == 0)
			tf = e;
	}
	assert_non_null(ind);
	assert_non_null(tf);
	json_t *c = json_object_get(ind, "conditions");
	assert_int_equal(json_array_size(c), 2);
	assert_string_equal(support_str(json_array_get(c, 0), "kind"), "child_sex");
	assert_string_equal(support_str(json_array_get(c, 0), "text"), "The child is a girl");
	assert_string_equal(support_str(json_array_get(c, 1), "kind"), "needs_any");
	assert_string_equal(support_str(ind, "alternatives"), "NG76-1.7.19");
	c = json_object_get(tf, "conditions");
	assert_int_equal(json_array_size(c), 1);
	assert_string_equal(support_str(json_array_get(c, 0), "text"),
	                    "The child shows anxiety, The child shows sexualised behaviour, or The child shows signs of "
	                    "post-traumatic stress");
	assert_string_equal(support_str(tf, "strength"), "offer");
	assert_string_equal(support_str(tf, "citation"), "NG76 1.7.17; quick guide (after sexual abuse)");
	assert_non_null(strstr(support_str(tf, "intensity"), "12 and 16 sessions"));
	json_t *fit = json_array_get(json_object_get(res, "fits"), 0);
	assert_string_equal(support_str(fit, "id"), "INT-NG76-1.7.18");
	assert_int_equal(json_array_size(json_object_get(fit, "conditions")), 0);
	static const char *const keys[] = {"name", "eligibility", "intensity", "duration", "setting", "citation",
	                                   "strength_label"};
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
		assert_non_null(support_str(fit, keys[k]));
	json_decref(res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parents_every_age_and_type),
		cmocka_unit_test(test_alternative_carers),
		cmocka_unit_test(test_needs_and_sex),
		cmocka_unit_test(test_item_contents),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
