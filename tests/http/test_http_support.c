/* Decision support end to end through the real server (issue 6): a concern with a 'suspect' sign shows the
 * referral response and starts the statutory clock on the open case; a 'consider' sign needs a review date;
 * factors combine into a prompt citing its paragraph and stop when a factor ends; prompts explain themselves and
 * are dismissed only with a reason; neglect assessments chart drift and the rule of optimism; a written agreement
 * runs its own clock; interventions are recommended for the child's age and abuse type and tracked to a result;
 * start-again syndrome is flagged after closure; partner agencies record for children they are involved with;
 * the pages render; and a bad catalogue stops start-up naming the file, the entry and the problem.
 *
 * State another module would create (a partner's case membership, a case closure) is written straight to the
 * test database through the store interface. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/date.h"
#include "core/id.h"
#include "store/store.h"
#include "testsrv.h"

static struct testsrv srv;

static int setup(void **state)
{
	testsrv_start(&srv, true);
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(testsrv_stop(&srv), 0);
	return 0;
}

static json_t *must_json(struct http_resp *r)
{
	if (!r->json)
		fail_msg("expected JSON, got status %d: %s", r->status, buf_str(&r->body));
	return r->json;
}

static void iso_days(int delta, char out[DATE_ISO_LEN])
{
	date_format(date_today() + delta, out);
}

/* A child born `years` ago today, created by c, with an open case allocated to c. Writes the ids. */
static void child_with_case(struct client *c, int years, const char *surname, char child[64], char case_id[64])
{
	int y, m, d;
	date_to_ymd(date_today(), &y, &m, &d);
	char body[256], path[128];
	snprintf(body, sizeof body,
	         "{\"forenames\":\"Sam\",\"surname\":\"%s\",\"dob\":\"%04d-%02d-01\",\"gender\":\"female\"}", surname,
	         y - years, m);
	struct http_resp r;
	assert_int_equal(client_req(c, "POST", "/api/v1/children", NULL, body, &r), 201);
	snprintf(child, 64, "%s", json_string_value(json_object_get(must_json(&r), "id")));
	resp_free(&r);
	if (!case_id)
		return;
	snprintf(path, sizeof path, "/api/v1/children/%s/cases", child);
	assert_int_equal(client_req(c, "POST", path, NULL, "{}", &r), 201);
	snprintf(case_id, 64, "%s", json_string_value(json_object_get(must_json(&r), "id")));
	resp_free(&r);
}

static int post(struct client *c, const char *child, const char *what, const char *body, struct http_resp *r)
{
	char path[400];
	snprintf(path, sizeof path, "/api/v1/children/%s/%s", child, what);
	return client_req(c, "POST", path, NULL, body, r);
}

static int get(struct client *c, const char *child, const char *what, struct http_resp *r)
{
	char path[400];
	snprintf(path, sizeof path, "/api/v1/children/%s/%s", child, what);
	return client_req(c, "GET", path, NULL, NULL, r);
}

static const char *first_error_field(struct http_resp *r)
{
	return json_string_value(json_object_get(json_array_get(json_object_get(must_json(r), "errors"), 0), "field"));
}

/* The active prompt of a rule, or NULL (borrowed from r). */
static json_t *prompt_of(json_t *items, const char *rule, const char *status)
{
	size_t i;
	json_t *p;
	json_array_foreach(items, i, p) {
		if (strcmp(json_string_value(json_object_get(p, "rule")), rule) == 0 &&
		    (!status || strcmp(json_string_value(json_object_get(p, "status")), status) == 0))
			return p;
	}
	return NULL;
}

static void exec_sql(const char *sql, const char *a, const char *b)
{
	struct store *st = NULL;
	struct buf err;
	buf_init(&err, 0);
	assert_int_equal(store_open(&st, srv.db, NULL, &err), STORE_OK);
	assert_int_equal(store_begin(st), STORE_OK);
	struct store_stmt *s = store_prepare(st, sql);
	assert_non_null(s);
	store_bind_text(s, 1, a);
	if (b)
		store_bind_text(s, 2, b);
	assert_int_equal(store_step(s), STORE_DONE);
	assert_int_equal(store_commit(st), STORE_OK);
	store_close(st);
	buf_free(&err);
}

static void test_suspect_concern_starts_clock(void **state)
{
	struct client c;
	client_init(&c, &srv);
	assert_int_equal(client_login(&c, "asha.patel", DEMO_PASSWORD), 201);
	char child[64], case_id[64], today[DATE_ISO_LEN], body[512];
	child_with_case(&c, 6, "Suspectsign", child, case_id);
	iso_days(0, today);
	snprintf(body, sizeof body,
	         "{\"observed_on\":\"%s\",\"summary\":\"Home visit: no food, heating off, floor unsafe.\","
	         "\"features\":[\"NG76-1.3.24\",\"NG76-1.3.12\"]}",
	         today);
	struct http_resp r;
	assert_int_equal(post(&c, child, "concerns", body, &r), 201);
	json_t *resp = json_object_get(must_json(&r), "response");
	assert_string_equal(json_string_value(json_object_get(resp, "level")), "suspect");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(resp, "responses"), 0), "id")),
	                    "RESP-SUSPECT");
	json_t *clock = json_object_get(resp, "clock");
	assert_string_equal(json_string_value(json_object_get(clock, "event")), "professional_concern_identified");
	assert_string_equal(json_string_value(json_object_get(clock, "case_id")), case_id);
	assert_true(json_integer_value(json_object_get(clock, "started")) >= 1);
	assert_non_null(resp_header(&r, "Location"));
	/* The concern's response is already a prompt, citing its paragraph. */
	json_t *p = prompt_of(json_object_get(r.json, "prompts"), "RESP-SUSPECT", "active");
	assert_non_null(p);
	resp_free(&r);

	/* The professional-referral clock (T-01) now runs on the case. */
	assert_int_equal(get(&c, child, "clocks", &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "T-01"));
	resp_free(&r);
	/* And the chronology has the concern. */
	assert_int_equal(get(&c, child, "chronology", &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "Suspect: refer to children's social care now"));
	resp_free(&r);
}

static void test_consider_needs_review_and_bad_input(void **state)
{
	struct client c;
	client_init(&c, &srv);
	assert_int_equal(client_login(&c, "asha.patel", DEMO_PASSWORD), 201);
	char child[64], case_id[64], older[64], today[DATE_ISO_LEN], later[DATE_ISO_LEN], tomorrow[DATE_ISO_LEN];
	child_with_case(&c, 5, "Considersign", child, case_id);
	child_with_case(&c, 14, "Olderchild", older, NULL);
	iso_days(0, today);
	iso_days(14, later);
	iso_days(1, tomorrow);
	static const struct {
		const char *features, *extra, *field;
		int status;
		bool older;
	} cases[] = {
		{"[\"NG76-1.3.12\"]", "", "review_by", 422, false},
		{"[\"NG76-1.3.99\"]", "", "features", 422, false},
		{"[\"NG76-1.3.45\"]", "", "features", 422, false},          /* awareness only */
		{"[\"NG76-1.2.2\"]", "", "features", 422, false},           /* a factor, not a sign */
		{"[\"NG76-1.3.29\"]", ",\"review_by\":\"L\"", "features", 422, true}, /* under 12 only */
		{"[]", "", "features", 422, false},
		{"[\"NG76-1.3.12\",\"NG76-1.3.12\"]", ",\"review_by\":\"L\"", "features", 422, false},
		{"\"NG76-1.3.12\"", "", "features", 422, false},
		{"[\"NG76-1.3.12\"]", ",\"review_by\":\"L\",\"colour\":\"red\"", "colour", 422, false},
		{"[\"NG76-1.3.12\"]", ",\"review_by\":\"2020-01-01\"", "review_by", 422, false},
	};
	struct http_resp r;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char extra[256], body[768];
		snprintf(extra, sizeof extra, "%s", cases[i].extra);
		char *l = strstr(extra, "\"L\"");
		if (l) {
			char rest[200];
			snprintf(rest, sizeof rest, "%s", l + 3);
			snprintf(l, sizeof extra - (size_t)(l - extra), "\"%s\"%s", later, rest);
		}
		snprintf(body, sizeof body, "{\"observed_on\":\"%s\",\"summary\":\"Seen at school\",\"features\":%s%s}",
		         today, cases[i].features, extra);
		int got = post(&c, cases[i].older ? older : child, "concerns", body, &r);
		if (got != cases[i].status || strcmp(first_error_field(&r) ? first_error_field(&r) : "", cases[i].field))
			fail_msg("case %zu: %d %s", i, got, buf_str(&r.body));
		resp_free(&r);
	}
	/* The signs must not be dated in the future. */
	char body[512];
	snprintf(body, sizeof body, "{\"observed_on\":\"%s\",\"summary\":\"x\",\"features\":[\"NG76-1.3.24\"]}", tomorrow);
	assert_int_equal(post(&c, child, "concerns", body, &r), 422);
	assert_string_equal(first_error_field(&r), "observed_on");
	resp_free(&r);
	/* Nothing was written by the refusals. */
	assert_int_equal(get(&c, child, "concerns", &r), 200);
	assert_int_equal(json_array_size(json_object_get(must_json(&r), "items")), 0);
	resp_free(&r);

	snprintf(body, sizeof body,
	         "{\"observed_on\":\"%s\",\"summary\":\"Withdrawn in class\",\"features\":[\"NG76-1.3.12\"],"
	         "\"review_by\":\"%s\"}",
	         today, later);
	assert_int_equal(post(&c, child, "concerns", body, &r), 201);
	json_t *resp = json_object_get(must_json(&r), "response");
	assert_string_equal(json_string_value(json_object_get(resp, "level")), "consider");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(resp, "responses"), 0), "id")),
	                    "RESP-CONSIDER");
	assert_null(json_object_get(json_object_get(resp, "clock"), "started"));
	resp_free(&r);
	/* The case page data: every feature across agencies and time. */
	assert_int_equal(get(&c, child, "concerns", &r), 200);
	json_t *f = json_array_get(json_object_get(must_json(&r), "features"), 0);
	assert_string_equal(json_string_value(json_object_get(f, "id")), "NG76-1.3.12");
	assert_int_equal(json_integer_value(json_object_get(f, "count")), 1);
	resp_free(&r);
}

static void test_factors_combine_and_prompts_explain(void **state)
{
	struct client c;
	client_init(&c, &srv);
	assert_int_equal(client_login(&c, "asha.patel", DEMO_PASSWORD), 201);
	char child[64], case_id[64], today[DATE_ISO_LEN], body[512];
	child_with_case(&c, 3, "Combination", child, case_id);
	iso_days(0, today);
	struct http_resp r;
	snprintf(body, sizeof body,
	         "{\"factor_id\":\"NG76-1.2.3-a\",\"noted_on\":\"%s\",\"evidence\":\"Told us at the visit\"}", today);
	assert_int_equal(post(&c, child, "factors", body, &r), 201);
	assert_string_equal(json_string_value(json_object_get(must_json(&r), "about")), "parent_or_carer");
	assert_int_equal(json_array_size(json_object_get(r.json, "combinations")), 0);
	resp_free(&r);
	/* The same concept from another source counts once: still no combination. */
	snprintf(body, sizeof body, "{\"factor_id\":\"STAFFS-RF-07\",\"noted_on\":\"%s\",\"evidence\":\"GP letter\"}", today);
	assert_int_equal(post(&c, child, "factors", body, &r), 201);
	assert_int_equal(json_array_size(json_object_get(must_json(&r), "combinations")), 0);
	resp_free(&r);
	snprintf(body, sizeof body,
	         "{\"factor_id\":\"NG76-1.2.3-b\",\"noted_on\":\"%s\",\"evidence\":\"Police call-out last week\"}", today);
	assert_int_equal(post(&c, child, "factors", body, &r), 201);
	char da_factor[64];
	snprintf(da_factor, sizeof da_factor, "%s", json_string_value(json_object_get(must_json(&r), "id")));
	json_t *combos = json_object_get(r.json, "combinations");
	assert_int_equal(json_array_size(combos), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(combos, 0), "rule")), "SCAS-COMB-01");
	resp_free(&r);
	/* Bad factors are refused with the field named. */
	snprintf(body, sizeof body, "{\"factor_id\":\"NG76-1.3.12\",\"noted_on\":\"%s\",\"evidence\":\"x\"}", today);
	assert_int_equal(post(&c, child, "factors", body, &r), 422);
	assert_string_equal(first_error_field(&r), "factor_id");
	resp_free(&r);

	/* The combination raises a prompt citing its paragraph, with the factors that raised it. */
	assert_int_equal(get(&c, child, "prompts", &r), 200);
	json_t *p = prompt_of(json_object_get(must_json(&r), "items"), "SCAS-COMB-01", "active");
	assert_non_null(p);
	char pid[64], path[200];
	snprintf(pid, sizeof pid, "%s", json_string_value(json_object_get(p, "id")));
	assert_true(id_valid(pid));
	assert_int_equal(json_array_size(json_object_get(p, "triggers")), 3);
	assert_non_null(strstr(json_string_value(json_object_get(p, "citation")), "SCAS-RESEARCH-MESSAGES"));
	resp_free(&r);
	/* Why am I seeing this: the data and the paragraphs. */
	snprintf(path, sizeof path, "prompts/%s", pid);
	assert_int_equal(get(&c, child, path, &r), 200);
	json_t *paras = json_object_get(must_json(&r), "paragraphs");
	assert_string_equal(json_string_value(json_object_get(json_array_get(paras, 0), "id")), "SCAS-COMB-01");
	assert_true(json_array_size(paras) >= 3);
	resp_free(&r);

	/* Dismissal needs a reason; the reason is kept and shown. */
	snprintf(path, sizeof path, "prompts/%s/dismiss", pid);
	assert_int_equal(post(&c, child, path, "{}", &r), 422);
	assert_string_equal(first_error_field(&r), "reason");
	resp_free(&r);
	assert_int_equal(post(&c, child, path, "{\"reason\":\"   \"}", &r), 422);
	resp_free(&r);
	assert_int_equal(post(&c, child, path, "{\"reason\":\"Discussed with adult services; joint plan agreed\"}", &r),
	                 200);
	assert_string_equal(json_string_value(json_object_get(must_json(&r), "status")), "dismissed");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "dismissal"), "reason")),
	                    "Discussed with adult services; joint plan agreed");
	resp_free(&r);
	assert_int_equal(post(&c, child, path, "{\"reason\":\"again\"}", &r), 422);
	resp_free(&r);
	assert_int_equal(post(&c, child, "prompts/prm_0000000000000000/dismiss", "{\"reason\":\"x\"}", &r), 404);
	resp_free(&r);
	assert_int_equal(get(&c, child, "prompts?status=active", &r), 200);
	assert_null(prompt_of(json_object_get(must_json(&r), "items"), "SCAS-COMB-01", NULL));
	resp_free(&r);

	/* Ending a factor ends the combination: the prompt is no longer raised. */
	snprintf(path, sizeof path, "factors/%s/end", da_factor);
	assert_int_equal(post(&c, child, path, "{\"ended_on\":\"2001-01-01\",\"end_reason\":\"x\"}", &r), 422);
	assert_string_equal(first_error_field(&r), "ended_on");
	resp_free(&r);
	snprintf(body, sizeof body, "{\"ended_on\":\"%s\",\"end_reason\":\"Partner left; injunction in place\"}", today);
	assert_int_equal(post(&c, child, path, body, &r), 200);
	assert_int_equal(json_array_size(json_object_get(must_json(&r), "combinations")), 0);
	assert_int_equal(json_array_size(json_object_get(r.json, "ended")), 1);
	resp_free(&r);
	assert_int_equal(get(&c, child, "prompts", &r), 200);
	assert_null(prompt_of(json_object_get(must_json(&r), "items"), "SCAS-COMB-01", NULL));
	resp_free(&r);
}

static void assess(struct client *c, const char *child, int days_ago, int rating, const char *view, int want,
                   struct http_resp *r)
{
	char date[DATE_ISO_LEN], body[700];
	iso_days(-days_ago, date);
	snprintf(body, sizeof body,
	         "{\"assessed_on\":\"%s\",\"overall_view\":\"%s\",\"summary\":\"Home visit\",\"ratings\":"
	         "{\"CARE-PHYSICAL\":%d,\"CARE-SAFETY\":%d,\"CARE-LOVE\":%d,\"CARE-ESTEEM\":%d},"
	         "\"evidence\":{\"CARE-PHYSICAL\":\"Fridge empty\"},\"marks\":[\"NEG-PHY-01\",\"SH-PERSISTENT\"]}",
	         date, view, rating, rating, rating, rating);
	assert_int_equal(post(c, child, "neglect-assessments", body, r), want);
}

static void test_neglect_drift_and_optimism(void **state)
{
	struct client c;
	client_init(&c, &srv);
	assert_int_equal(client_login(&c, "asha.patel", DEMO_PASSWORD), 201);
	char child[64], case_id[64], body[512], today[DATE_ISO_LEN];
	child_with_case(&c, 4, "Neglectseries", child, case_id);
	iso_days(0, today);
	struct http_resp r;
	/* A rating missing, out of range, or an unknown mark is refused. */
	snprintf(body, sizeof body,
	         "{\"assessed_on\":\"%s\",\"overall_view\":\"no_change\",\"summary\":\"x\",\"ratings\":"
	         "{\"CARE-PHYSICAL\":3,\"CARE-LOVE\":3,\"CARE-ESTEEM\":3}}",
	         today);
	assert_int_equal(post(&c, child, "neglect-assessments", body, &r), 422);
	assert_string_equal(first_error_field(&r), "ratings.CARE-SAFETY");
	resp_free(&r);
	snprintf(body, sizeof body,
	         "{\"assessed_on\":\"%s\",\"overall_view\":\"no_change\",\"summary\":\"x\",\"ratings\":"
	         "{\"CARE-PHYSICAL\":9,\"CARE-SAFETY\":3,\"CARE-LOVE\":3,\"CARE-ESTEEM\":3},\"marks\":[\"NEG-ADOL-01\"]}",
	         today);
	assert_int_equal(post(&c, child, "neglect-assessments", body, &r), 422);
	assert_string_equal(first_error_field(&r), "ratings.CARE-PHYSICAL");
	assert_non_null(strstr(buf_str(&r.body), "NEG-ADOL-01")); /* adolescent signs from 10 */
	resp_free(&r);

	assess(&c, child, 60, 3, "not_sure", 201, &r);
	assert_true(json_is_null(json_object_get(must_json(&r), "drift")));
	resp_free(&r);
	assess(&c, child, 30, 3, "no_change", 201, &r);
	resp_free(&r);
	assess(&c, child, 0, 3, "improving", 201, &r);
	assert_string_equal(json_string_value(json_object_get(json_object_get(must_json(&r), "drift"), "rule")), "PIT-DRIFT");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "optimism"), "rule")),
	                    "PIT-RULE-OF-OPTIMISM");
	resp_free(&r);
	assert_int_equal(get(&c, child, "prompts", &r), 200);
	assert_non_null(prompt_of(json_object_get(must_json(&r), "items"), "PIT-DRIFT", "active"));
	assert_non_null(prompt_of(json_object_get(r.json, "items"), "PIT-RULE-OF-OPTIMISM", "active"));
	resp_free(&r);
	assert_int_equal(get(&c, child, "neglect-assessments", &r), 200);
	json_t *chart = json_object_get(must_json(&r), "chart");
	assert_int_equal(json_integer_value(json_object_get(chart, "count")), 3);
	assert_int_equal(json_array_size(json_object_get(chart, "series")), 4);
	resp_free(&r);
	/* The page draws the chart as inline SVG with the same data as a table. */
	char path[128];
	snprintf(path, sizeof path, "/children/%s/support/neglect", child);
	assert_int_equal(client_req(&c, "GET", path, NULL, NULL, &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "<svg role=\"img\""));
	assert_non_null(strstr(buf_str(&r.body), "<polyline points=\""));
	assert_non_null(strstr(buf_str(&r.body), "Ratings by assessment"));
	assert_non_null(strstr(buf_str(&r.body), "Care has not improved across several assessments"));
	resp_free(&r);
}

static void test_agreement_clock_and_capacity(void **state)
{
	struct client c;
	client_init(&c, &srv);
	assert_int_equal(client_login(&c, "asha.patel", DEMO_PASSWORD), 201);
	char child[64], case_id[64], today[DATE_ISO_LEN], due[DATE_ISO_LEN];
	child_with_case(&c, 2, "Agreement", child, case_id);
	iso_days(0, today);
	iso_days(28, due);
	struct buf body;
	buf_init(&body, 0);
	buf_addf(&body, "{\"reviewed_on\":\"%s\",\"summary\":\"Review at home\",\"answers\":{", today);
	for (int i = 1; i <= 8; i++)
		buf_addf(&body, "%s\"CTC-0%d\":{\"answer\":\"%s\"%s}", i > 1 ? "," : "", i, i == 4 ? "present" : "not_known",
		         i == 4 ? ",\"evidence\":\"Left the abusive partner in May\"" : "");
	buf_addf(&body, "},\"agreement\":{\"what_must_change\":\"No drinking while caring for the baby\",\"due_on\":\"%s\","
	                "\"consequence\":\"Legal advice on care proceedings\",\"agreed_with\":\"Mother\"}}",
	         due);
	struct http_resp r;
	assert_int_equal(post(&c, child, "capacity-reviews", buf_str(&body), &r), 201);
	json_t *agr = json_object_get(must_json(&r), "agreement");
	assert_string_equal(json_string_value(json_object_get(json_object_get(agr, "clock"), "state")), "running");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(agr, "clock"), "days_left")), 28);
	char aid[64], path[200];
	snprintf(aid, sizeof aid, "%s", json_string_value(json_object_get(agr, "id")));
	resp_free(&r);
	buf_free(&body);
	/* Every factor must be answered, with evidence where it is present. */
	char small[300];
	snprintf(small, sizeof small,
	         "{\"reviewed_on\":\"%s\",\"summary\":\"x\",\"answers\":{\"CTC-01\":{\"answer\":\"present\"}}}", today);
	assert_int_equal(post(&c, child, "capacity-reviews", small, &r), 422);
	assert_string_equal(first_error_field(&r), "answers.CTC-01");
	resp_free(&r);
	/* An agreement must end after today. */
	snprintf(small, sizeof small,
	         "{\"what_must_change\":\"x\",\"due_on\":\"%s\",\"consequence\":\"y\",\"agreed_with\":\"z\"}", today);
	assert_int_equal(post(&c, child, "agreements", small, &r), 422);
	assert_string_equal(first_error_field(&r), "due_on");
	resp_free(&r);
	/* Not met: the prompt asks for the consequence to be followed through. */
	snprintf(path, sizeof path, "agreements/%s/outcome", aid);
	snprintf(small, sizeof small, "{\"outcome\":\"not_met\",\"outcome_on\":\"%s\",\"outcome_note\":\"Drinking seen\"}",
	         today);
	assert_int_equal(post(&c, child, path, small, &r), 200);
	assert_string_equal(json_string_value(json_object_get(json_object_get(must_json(&r), "clock"), "state")), "not_met");
	resp_free(&r);
	assert_int_equal(post(&c, child, path, small, &r), 422); /* only once */
	resp_free(&r);
	assert_int_equal(get(&c, child, "prompts", &r), 200);
	assert_non_null(prompt_of(json_object_get(must_json(&r), "items"), "AGR-NOT-MET", "active"));
	resp_free(&r);
}

static void test_interventions_recommended_and_tracked(void **state)
{
	struct client c;
	client_init(&c, &srv);
	assert_int_equal(client_login(&c, "asha.patel", DEMO_PASSWORD), 201);
	char child[64], case_id[64], today[DATE_ISO_LEN];
	child_with_case(&c, 6, "Interventions", child, case_id);
	iso_days(0, today);
	struct http_resp r;
	assert_int_equal(get(&c, child, "interventions?abuse_type=neglect", &r), 200);
	json_t *fits = json_object_get(json_object_get(must_json(&r), "recommendations"), "fits");
	assert_int_equal(json_array_size(fits), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(fits, 0), "id")), "INT-NG76-1.7.10");
	assert_string_equal(json_string_value(json_object_get(json_array_get(fits, 1), "id")), "INT-NG76-1.7.11");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r.json, "situation"), "age")), 6);
	resp_free(&r);
	/* The girl's sex comes from her record; with disturbance after sexual abuse both 1.7.19 options fit. */
	assert_int_equal(get(&c, child, "interventions?abuse_type=sexual&needs=emotional_behavioural_disturbance", &r), 200);
	fits = json_object_get(json_object_get(must_json(&r), "recommendations"), "fits");
	assert_int_equal(json_array_size(fits), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(fits, 0), "alternatives")), "NG76-1.7.19");
	resp_free(&r);
	assert_int_equal(get(&c, child, "interventions?abuse_type=general", &r), 400);
	resp_free(&r);
	assert_int_equal(get(&c, child, "interventions?needs=flying", &r), 400);
	resp_free(&r);

	char body[300];
	snprintf(body, sizeof body,
	         "{\"intervention_id\":\"INT-NG76-1.7.10\",\"status\":\"offered\",\"offered_on\":\"%s\","
	         "\"provider\":\"SafeCare team\"}",
	         today);
	assert_int_equal(post(&c, child, "interventions", body, &r), 201);
	char iid[64], path[200];
	snprintf(iid, sizeof iid, "%s", json_string_value(json_object_get(must_json(&r), "id")));
	assert_string_equal(json_string_value(json_object_get(r.json, "name")), "Comprehensive parenting intervention");
	resp_free(&r);
	assert_int_equal(post(&c, child, "interventions",
	                      "{\"intervention_id\":\"INT-NOPE\",\"status\":\"offered\",\"offered_on\":\"2026-01-01\"}", &r),
	                 422);
	assert_string_equal(first_error_field(&r), "intervention_id");
	resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/children/%s/interventions/%s", child, iid);
	assert_int_equal(client_req(&c, "PATCH", path, NULL, "{\"status\":\"completed\"}", &r), 422);
	assert_string_equal(first_error_field(&r), "completed_on");
	resp_free(&r);
	assert_int_equal(client_req(&c, "PATCH", path, NULL, "{\"result\":\"improved\"}", &r), 422);
	assert_string_equal(first_error_field(&r), "result");
	resp_free(&r);
	snprintf(body, sizeof body,
	         "{\"status\":\"completed\",\"taken_up_on\":\"%s\",\"completed_on\":\"%s\",\"sessions_attended\":24,"
	         "\"result\":\"some_improvement\",\"result_note\":\"Routines better\"}",
	         today, today);
	assert_int_equal(client_req(&c, "PATCH", path, NULL, body, &r), 200);
	assert_string_equal(json_string_value(json_object_get(must_json(&r), "status")), "completed");
	assert_string_equal(json_string_value(json_object_get(r.json, "result_label")), "Some improvement");
	resp_free(&r);
}

static void test_partners_and_access(void **state)
{
	struct client a, police, cara, chair;
	client_init(&a, &srv);
	client_init(&police, &srv);
	client_init(&cara, &srv);
	client_init(&chair, &srv);
	assert_int_equal(client_login(&a, "asha.patel", DEMO_PASSWORD), 201);
	assert_int_equal(client_login(&police, "gita.rao", DEMO_PASSWORD), 201);
	assert_int_equal(client_login(&cara, "cara.nolan", DEMO_PASSWORD), 201);
	char child[64], case_id[64], today[DATE_ISO_LEN], later[DATE_ISO_LEN], body[512];
	child_with_case(&a, 9, "Partners", child, case_id);
	iso_days(0, today);
	iso_days(7, later);
	snprintf(body, sizeof body, "{\"observed_on\":\"%s\",\"summary\":\"Seen out late\",\"features\":[\"NG76-1.3.17\"],"
	                            "\"review_by\":\"%s\"}",
	         today, later);
	struct http_resp r;
	/* Not involved: the child looks missing. */
	assert_int_equal(post(&police, child, "concerns", body, &r), 404);
	resp_free(&r);
	assert_int_equal(get(&cara, child, "support", &r), 404);
	resp_free(&r);
	assert_int_equal(post(&cara, child, "concerns", body, &r), 404);
	resp_free(&r);
	/* Once the police officer is a member of the case, they record, and the sign shows with their agency. */
	char mid[ID_MAX];
	id_new("cmb", mid);
	struct store *st = NULL;
	struct buf err;
	buf_init(&err, 0);
	assert_int_equal(store_open(&st, srv.db, NULL, &err), STORE_OK);
	assert_int_equal(store_begin(st), STORE_OK);
	struct store_stmt *s = store_prepare(
		st, "INSERT INTO case_members (id, case_id, child_id, user_id, member_role, start_date, created_at) "
		    "SELECT $1, $2, $3, id, 'other', $4, $4 FROM users WHERE username = 'gita.rao'");
	store_bind_text(s, 1, mid);
	store_bind_text(s, 2, case_id);
	store_bind_text(s, 3, child);
	store_bind_text(s, 4, today);
	assert_int_equal(store_step(s), STORE_DONE);
	assert_int_equal(store_commit(st), STORE_OK);
	store_close(st);
	buf_free(&err);
	assert_int_equal(post(&police, child, "concerns", body, &r), 201);
	resp_free(&r);
	snprintf(body, sizeof body, "{\"observed_on\":\"%s\",\"summary\":\"Missed two health reviews\","
	                            "\"features\":[\"NG76-1.3.42\"],\"review_by\":\"%s\"}",
	         today, later);
	assert_int_equal(post(&a, child, "concerns", body, &r), 201);
	resp_free(&r);
	/* Two agencies now: the pattern prompt appears. */
	assert_int_equal(get(&a, child, "prompts", &r), 200);
	json_t *p = prompt_of(json_object_get(must_json(&r), "items"), "PAT-MULTI-AGENCY", "active");
	assert_non_null(p);
	assert_int_equal(json_array_size(json_object_get(p, "triggers")), 2);
	resp_free(&r);
	assert_int_equal(get(&police, child, "support", &r), 200);
	json_t *features = json_object_get(must_json(&r), "features");
	assert_int_equal(json_array_size(features), 2);
	resp_free(&r);
	/* The catalogue is reference data for every role. */
	assert_int_equal(client_req(&police, "GET", "/api/v1/support/catalogue", NULL, NULL, &r), 200);
	assert_int_equal(json_object_size(must_json(&r)), 5);
	assert_non_null(json_object_get(json_object_get(r.json, "interventions"), "interventions"));
	resp_free(&r);
}

static void test_start_again_after_closure(void **state)
{
	struct client c;
	client_init(&c, &srv);
	assert_int_equal(client_login(&c, "asha.patel", DEMO_PASSWORD), 201);
	char child[64], case_id[64], today[DATE_ISO_LEN], body[512];
	child_with_case(&c, 7, "Startagain", child, case_id);
	iso_days(0, today);
	snprintf(body, sizeof body, "{\"observed_on\":\"%s\",\"summary\":\"Dirty and hungry\",\"features\":[\"NG76-1.3.25\"]}",
	         today);
	struct http_resp r;
	assert_int_equal(post(&c, child, "concerns", body, &r), 201);
	resp_free(&r);
	/* The case closed after the concern was recorded (as the pathway would close it), a while ago. */
	char before[MOMENT_ISO_LEN], closed[MOMENT_ISO_LEN];
	moment_format(moment_now() - 20, before);
	moment_format(moment_now() - 10, closed);
	exec_sql("UPDATE support_concerns SET created_at = $2 WHERE child_id = $1", child, before);
	exec_sql("UPDATE cases SET closed_at = $2, stage = 'closed' WHERE id = $1", case_id, closed);
	/* Re-referred for the same kind of concern (neglect): flagged, citing the Staffordshire paragraph. */
	snprintf(body, sizeof body,
	         "{\"observed_on\":\"%s\",\"summary\":\"Hungry again\",\"features\":[\"NG76-1.3.24\"]}", today);
	assert_int_equal(post(&c, child, "concerns", body, &r), 201);
	json_t *clock = json_object_get(json_object_get(must_json(&r), "response"), "clock");
	assert_non_null(json_object_get(clock, "not_started")); /* no open case now */
	json_t *p = prompt_of(json_object_get(r.json, "prompts"), "PIT-START-AGAIN", "active");
	assert_non_null(p);
	assert_non_null(strstr(json_string_value(json_object_get(p, "citation")), "STAFFS-NEGLECT section 12"));
	assert_int_equal(json_array_size(json_object_get(p, "triggers")), 3); /* the case, before, after */
	resp_free(&r);
}

static void test_pages(void **state)
{
	struct client c;
	client_init(&c, &srv);
	assert_int_equal(client_login(&c, "asha.patel", DEMO_PASSWORD), 201);
	char child[64], case_id[64], path[200], body[1024];
	child_with_case(&c, 8, "Pages", child, case_id);
	struct http_resp r;
	snprintf(path, sizeof path, "/children/%s/support/concerns/new", child);
	assert_int_equal(client_req(&c, "GET", path, NULL, NULL, &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "name=\"features\" type=\"checkbox\" value=\"NG76-1.3.24\""));
	assert_null(strstr(buf_str(&r.body), "value=\"NG76-1.3.45\"")); /* awareness only, not a checkbox */
	resp_free(&r);
	/* A form with errors comes back with the error summary and what was typed. */
	snprintf(path, sizeof path, "/children/%s/support/concerns", child);
	snprintf(body, sizeof body, "csrf=%s&summary=Seen+at+clinic&features=NG76-1.3.12", c.csrf);
	assert_int_equal(client_req(&c, "POST", path, "application/x-www-form-urlencoded", body, &r), 422);
	assert_non_null(strstr(buf_str(&r.body), "govuk-error-summary"));
	assert_non_null(strstr(buf_str(&r.body), "Seen at clinic"));
	assert_non_null(strstr(buf_str(&r.body), "value=\"NG76-1.3.12\" checked"));
	resp_free(&r);
	int y, m, d;
	date_to_ymd(date_today(), &y, &m, &d);
	snprintf(body, sizeof body,
	         "csrf=%s&summary=Scavenging+food&features=NG76-1.3.23&observed_on-day=%d&observed_on-month=%d"
	         "&observed_on-year=%d",
	         c.csrf, d, m, y);
	assert_int_equal(client_req(&c, "POST", path, "application/x-www-form-urlencoded", body, &r), 303);
	char where[256];
	snprintf(where, sizeof where, "%s", resp_header(&r, "Location"));
	resp_free(&r);
	assert_int_equal(client_req(&c, "GET", where, NULL, NULL, &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "Suspect: refer to children"));
	assert_non_null(strstr(buf_str(&r.body), "A statutory clock started"));
	resp_free(&r);
	/* Two factors that combine add two prompts: the overview shows every active prompt. */
	char today[DATE_ISO_LEN];
	iso_days(0, today);
	static const char *const factors[] = {"NG76-1.2.3-a", "NG76-1.2.3-b"};
	for (int i = 0; i < 2; i++) {
		snprintf(body, sizeof body, "{\"factor_id\":\"%s\",\"noted_on\":\"%s\",\"evidence\":\"x\"}", factors[i],
		         today);
		assert_int_equal(post(&c, child, "factors", body, &r), 201);
		resp_free(&r);
	}
	snprintf(path, sizeof path, "/children/%s/support", child);
	assert_int_equal(client_req(&c, "GET", path, NULL, NULL, &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "Signs recorded across agencies and over time"));
	int links = 0;
	for (const char *p = buf_str(&r.body); (p = strstr(p, ">Why am I seeing this?<")); p++)
		links++;
	assert_int_equal(links, 3);
	resp_free(&r);
	/* Every form page renders. */
	static const char *const pages[] = {"factors/new", "neglect/new", "capacity/new", "interventions",
	                                    "interventions?abuse_type=physical&carer=foster_carers"};
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		snprintf(path, sizeof path, "/children/%s/support/%s", child, pages[i]);
		if (client_req(&c, "GET", path, NULL, NULL, &r) != 200)
			fail_msg("%s: %d %s", path, r.status, buf_str(&r.body));
		resp_free(&r);
	}
	/* A prompt's page, and its dismissal through the form. */
	assert_int_equal(get(&c, child, "prompts", &r), 200);
	char pid[64];
	json_t *first = json_array_get(json_object_get(must_json(&r), "items"), 0);
	snprintf(pid, sizeof pid, "%s", json_string_value(json_object_get(first, "id")));
	resp_free(&r);
	snprintf(path, sizeof path, "/children/%s/support/prompts/%s/dismiss", child, pid);
	snprintf(body, sizeof body, "csrf=%s&reason=", c.csrf);
	assert_int_equal(client_req(&c, "POST", path, "application/x-www-form-urlencoded", body, &r), 422);
	assert_non_null(strstr(buf_str(&r.body), "Enter why you are dismissing this prompt"));
	resp_free(&r);
	snprintf(body, sizeof body, "csrf=%s&reason=Referral+made+by+phone", c.csrf);
	assert_int_equal(client_req(&c, "POST", path, "application/x-www-form-urlencoded", body, &r), 303);
	resp_free(&r);
	snprintf(path, sizeof path, "/children/%s/support/prompts/%s", child, pid);
	assert_int_equal(client_req(&c, "GET", path, NULL, NULL, &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "Referral made by phone"));
	resp_free(&r);
}

/* A rules directory for a second server: links to the real one except support/, whose files are copied and one
 * spoiled. */
static void make_bad_home(char home[128])
{
	snprintf(home, 128, "/tmp/sgbadhome.XXXXXX");
	assert_non_null(mkdtemp(home));
	char real[1100], link_at[400], path[600];
	char *src = realpath(srv.home, NULL);
	assert_non_null(src);
	static const char *const tops[] = {"web", "migrations"};
	for (size_t i = 0; i < 2; i++) {
		snprintf(real, sizeof real, "%s/%s", src, tops[i]);
		snprintf(link_at, sizeof link_at, "%s/%s", home, tops[i]);
		assert_int_equal(symlink(real, link_at), 0);
	}
	snprintf(path, sizeof path, "%s/rules", home);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(real, sizeof real, "%s/rules", src);
	free(src);
	char *rules = realpath(real, NULL);
	assert_non_null(rules);
	DIR *dir = opendir(rules);
	struct dirent *e;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "support") == 0)
			continue;
		snprintf(real, sizeof real, "%s/%s", rules, e->d_name);
		snprintf(link_at, sizeof link_at, "%s/rules/%s", home, e->d_name);
		assert_int_equal(symlink(real, link_at), 0);
	}
	closedir(dir);
	snprintf(path, sizeof path, "%s/rules/support", home);
	assert_int_equal(mkdir(path, 0700), 0);
	static const char *const files[] = {"alerting_features", "vulnerability_factors", "neglect",
	                                    "capacity_to_change", "interventions"};
	for (size_t i = 0; i < 5; i++) {
		snprintf(real, sizeof real, "%s/support/%s.json", rules, files[i]);
		json_t *doc = json_load_file(real, 0, NULL);
		assert_non_null(doc);
		if (i == 0) {
			/* The second feature takes the first one's id. */
			json_t *f = json_array_get(json_object_get(doc, "features"), 1);
			json_object_set_new(f, "id", json_string("NG76-1.3.12"));
		}
		snprintf(link_at, sizeof link_at, "%s/rules/support/%s.json", home, files[i]);
		assert_int_equal(json_dump_file(doc, link_at, 0), 0);
		json_decref(doc);
	}
	free(rules);
}

/* Removes what make_bad_home made (links are removed, never followed). */
static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char p[600];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		struct stat sb;
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
			remove_tree(p);
		else
			unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static void test_bad_catalogue_stops_start_up(void **state)
{
	char home[128];
	make_bad_home(home);
	struct buf out;
	buf_init(&out, 0);
	const char *args[] = {"serve", "--home", home, "--listen", "127.0.0.1:0", NULL};
	alarm(60); /* a server that wrongly starts would otherwise wait here for ever */
	int rc = testsrv_run(&srv, &out, args);
	alarm(0);
	assert_int_not_equal(rc, 0);
	if (!strstr(buf_str(&out), "support/alerting_features.json: NG76-1.3.12: duplicate id"))
		fail_msg("start-up message: %s", buf_str(&out));
	buf_free(&out);
	remove_tree(home);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suspect_concern_starts_clock),
		cmocka_unit_test(test_consider_needs_review_and_bad_input),
		cmocka_unit_test(test_factors_combine_and_prompts_explain),
		cmocka_unit_test(test_neglect_drift_and_optimism),
		cmocka_unit_test(test_agreement_clock_and_capacity),
		cmocka_unit_test(test_interventions_recommended_and_tracked),
		cmocka_unit_test(test_partners_and_access),
		cmocka_unit_test(test_start_again_after_closure),
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_bad_catalogue_stops_start_up),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
