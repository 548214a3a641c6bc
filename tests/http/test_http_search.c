/* Search over HTTP against the real server (usability goal U6): one query finds a child by a name with a typo or
 * a sound-alike spelling, an alias, a related adult's name, a date of birth in UK formats, an NHS number (and says
 * when its check digit is wrong), a postcode, an address word or a case ID; a restricted address is never matched;
 * the Find a child page and the header search box; likely duplicates before a new child is saved. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testsrv.h"

#define FORM "application/x-www-form-urlencoded"

static struct testsrv srv;
static struct client sw;
static char child_a[64], child_b[64], child_c[64], case_a[64];

static json_t *call(const char *method, const char *path, const char *body, int want)
{
	struct http_resp r;
	int got = client_req(&sw, method, path, NULL, body, &r);
	if (got != want)
		fail_msg("%s %s: status %d, want %d: %s", method, path, got, want, buf_str(&r.body));
	json_t *j = r.json ? json_incref(r.json) : NULL;
	resp_free(&r);
	return j;
}

static void id_into(json_t *j, char out[64])
{
	snprintf(out, 64, "%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);
}

static int setup(void **state)
{
	testsrv_start(&srv, true);
	client_init(&sw, &srv);
	assert_int_equal(client_login(&sw, "asha.patel", DEMO_PASSWORD), 201);
	id_into(call("POST", "/api/v1/children",
	             "{\"forenames\":\"John\",\"surname\":\"Threlfall\",\"dob\":\"2018-05-14\",\"nhs_number\":\"943 476 "
	             "5919\",\"postcode\":\"CM2 0PP\",\"address\":\"12 Acacia Avenue, Chelmsford\","
	             "\"aliases\":\"Johnny Threlfell\"}",
	             201),
	        child_a);
	id_into(call("POST", "/api/v1/children",
	             "{\"forenames\":\"Katherine\",\"surname\":\"Smyth-Quarrie\",\"dob\":\"2016-11-02\"}", 201),
	        child_b);
	/* A child in a refuge: the address and postcode are restricted (procedures-A1-5 5.10). */
	id_into(call("POST", "/api/v1/children",
	             "{\"forenames\":\"Muhammad\",\"surname\":\"Searchwell\",\"dob\":\"2019-01-01\",\"postcode\":\"CM9 "
	             "4RR\",\"address\":\"Harbourlight House\",\"address_restricted\":true}",
	             201),
	        child_c);
	char person[64], path[160], body[256];
	id_into(call("POST", "/api/v1/persons", "{\"forenames\":\"Mariam\",\"surname\":\"Searchwell\"}", 201), person);
	snprintf(path, sizeof path, "/api/v1/children/%s/relationships", child_c);
	snprintf(body, sizeof body, "{\"person_id\":\"%s\",\"relationship_type\":\"mother\"}", person);
	json_decref(call("POST", path, body, 201));
	snprintf(path, sizeof path, "/api/v1/children/%s/cases", child_a);
	id_into(call("POST", path, "{}", 201), case_a);
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(testsrv_stop(&srv), 0);
	return 0;
}

/* The result for child id in a search answer, or NULL. */
static json_t *result_for(json_t *answer, const char *id)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(answer, "results"), i, r) if (strcmp(json_string_value(json_object_get(r, "id")),
	                                                                        id) == 0) return r;
	return NULL;
}

static bool has_reason(json_t *result, const char *reason)
{
	size_t i;
	json_t *w;
	json_array_foreach(json_object_get(result, "match_reasons"), i, w) if (strcmp(json_string_value(w), reason) ==
	                                                                        0) return true;
	return false;
}

/* q with spaces and slashes written as they would be in a URL. */
static json_t *search(const char *q)
{
	char path[512];
	size_t n = (size_t)snprintf(path, sizeof path, "/api/v1/search?q=");
	for (const char *p = q; *p && n + 4 < sizeof path; p++)
		n += (size_t)snprintf(path + n, sizeof path - n, *p == ' ' ? "%%20" : *p == '/' ? "%%2F" : "%c", *p);
	return call("GET", path, NULL, 200);
}

static void test_finds_the_child(void **state)
{
	char case_upper[64];
	snprintf(case_upper, sizeof case_upper, "%s", case_a);
	for (char *p = case_upper; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	const struct {
		const char *q;
		const char *child;  /* the child who must be found */
		const char *reason; /* one of its match reasons */
	} cases[] = {
		/* 1 */ {"Jon Threlfall", child_a, "name sounds alike"},
		/* 2 */ {"John Threflall", child_a, "name spelled alike"}, /* transposed letters */
		/* 3 */ {"threlfall", child_a, "name"},
		/* 4 */ {"Thre", child_a, "name"}, /* the start of a name */
		/* 5 */ {"Johnny", child_a, "other name"},
		/* 6 */ {"Catherine Smith", child_b, "name sounds alike"},
		/* 7 */ {"Kathryn Quarrie", child_b, "name"},
		/* 8 */ {"Mohammed Searchwell", child_c, "name sounds alike"},
		/* 9 */ {"Mariam", child_c, "related adult's name"},
		/* 10 */ {"14/05/2018", child_a, "date of birth"},
		/* 11 */ {"14 May 2018", child_a, "date of birth"},
		/* 12 */ {"2018-05-14", child_a, "date of birth"},
		/* 13 */ {"943 476 5919", child_a, "NHS number"},
		/* 14 */ {"9434765919", child_a, "NHS number"},
		/* 15 */ {"cm20pp", child_a, "postcode"},
		/* 16 */ {"CM2 0PP", child_a, "postcode"},
		/* 17 */ {"Threlfall CM2", child_a, "postcode area"},
		/* 18 */ {"Acacia", child_a, "address"},
		/* 19 */ {case_a, child_a, "case ID"},
		/* 20 */ {case_upper, child_a, "case ID"},
		/* 21 */ {child_b, child_b, "child ID"},
		/* 22 */ {"Threlfall 14/05/2018", child_a, "date of birth"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *a = search(cases[i].q);
		json_t *r = result_for(a, cases[i].child);
		if (!r)
			fail_msg("case %zu: \"%s\" did not find the child: %s", i + 1, cases[i].q, json_dumps(a, 0));
		if (!has_reason(r, cases[i].reason))
			fail_msg("case %zu: \"%s\": reasons %s lack \"%s\"", i + 1, cases[i].q,
			         json_dumps(json_object_get(r, "match_reasons"), 0), cases[i].reason);
		assert_false(json_is_true(json_object_get(r, "partial")));
		/* Identifying details only: never an address or postcode. */
		assert_null(json_object_get(r, "postcode"));
		assert_null(json_object_get(r, "address"));
		json_decref(a);
	}
	/* A name and a date that together fit the child rank it first. */
	json_t *a = search("Threlfall 14/05/2018");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(a, "results"), 0), "id")),
	                    child_a);
	json_decref(a);
}

static void test_what_must_not_match(void **state)
{
	/* A restricted address is never matched, by postcode, outward code or address word, nor revealed. */
	static const char *const refuge[] = {"CM9 4RR", "cm94rr", "Searchwell CM9", "Harbourlight"};
	for (size_t i = 0; i < sizeof refuge / sizeof refuge[0]; i++) {
		json_t *a = search(refuge[i]);
		json_t *r = result_for(a, child_c);
		if (r && (has_reason(r, "postcode") || has_reason(r, "postcode area") || has_reason(r, "address") ||
		          !json_is_true(json_object_get(r, "partial"))))
			fail_msg("\"%s\" matched the child whose address is restricted: %s", refuge[i], json_dumps(a, 0));
		json_decref(a);
	}
	/* Searchwell alone does find the child, by name. */
	json_t *by_name = search("Searchwell");
	assert_non_null(result_for(by_name, child_c));
	json_decref(by_name);
	/* Different names and a wrong date do not match. */
	static const struct {
		const char *q, *child;
	} cases[] = {
		{"Mark Threlfall", child_a}, {"Jon Smith", child_a}, {"15/05/2018", child_a}, {"Karen Smyth", child_b},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *a = search(cases[i].q);
		json_t *r = result_for(a, cases[i].child);
		if (r && !json_is_true(json_object_get(r, "partial")))
			fail_msg("\"%s\" fully matched a child it should not: %s", cases[i].q, json_dumps(r, 0));
		json_decref(a);
	}
}

static bool has_notice(json_t *a, const char *text)
{
	size_t i;
	json_t *n;
	json_array_foreach(json_object_get(a, "notices"), i, n) if (strstr(json_string_value(n), text)) return true;
	return false;
}

static void test_notices_and_partial_matches(void **state)
{
	/* A mistyped NHS number says so (its check digit is wrong) and still searches. */
	json_t *a = search("943 476 5918");
	assert_true(has_notice(a, "not a valid NHS number"));
	json_decref(a);
	a = search("943 476 5919");
	assert_false(has_notice(a, "not a valid NHS number"));
	json_decref(a);
	/* Nothing fits every term: the best partial matches, said to be partial. */
	a = search("Threlfall 01/01/2001");
	json_t *r = result_for(a, child_a);
	assert_non_null(r);
	assert_true(json_is_true(json_object_get(r, "partial")));
	assert_true(has_notice(a, "match part of it"));
	json_decref(a);
	/* Nothing to look up. */
	a = search("12 --");
	assert_int_equal(json_array_size(json_object_get(a, "results")), 0);
	assert_true(has_notice(a, "Nothing in the search could be looked up"));
	json_decref(a);
	/* The children route answers the same way (kept for existing clients). */
	a = call("GET", "/api/v1/children?q=Jon%20Threlfall", NULL, 200);
	assert_non_null(result_for(a, child_a));
	json_decref(a);
	a = call("GET", "/api/v1/search?q=Threlfall&limit=1", NULL, 200);
	assert_int_equal(json_array_size(json_object_get(a, "results")), 1);
	json_decref(a);
}

static void test_bad_requests(void **state)
{
	char long_q[160] = "/api/v1/search?q=";
	memset(long_q + strlen(long_q), 'a', 101);
	const struct {
		const char *path, *field;
	} cases[] = {
		{"/api/v1/search", "q"},
		{"/api/v1/search?q=", "q"},
		{long_q, "q"},
		{"/api/v1/search?q=Smith&limit=0", "limit"},
		{"/api/v1/search?q=Smith&limit=101", "limit"},
		{"/api/v1/search?q=Smith&limit=ten", "limit"},
		{"/api/v1/search/duplicates?forenames=Jon", "surname"},
		{"/api/v1/search/duplicates?surname=Threlfall&dob=2018-02-30", "dob"},
		{"/api/v1/search/duplicates?surname=Threlfall&edd=soon", "edd"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct http_resp r;
		int got = client_req(&sw, "GET", cases[i].path, NULL, NULL, &r);
		if (got != 400)
			fail_msg("case %zu (%s): status %d, want 400", i + 1, cases[i].path, got);
		assert_string_equal(resp_header(&r, "Content-Type"), "application/problem+json");
		json_t *e = json_array_get(json_object_get(r.json, "errors"), 0);
		const char *f = json_string_value(json_object_get(e, "field"));
		if (!f || strcmp(f, cases[i].field))
			fail_msg("case %zu: the problem names %s, want %s", i + 1, f ? f : "(none)", cases[i].field);
		resp_free(&r);
	}
}

static void test_duplicates_api(void **state)
{
	const struct {
		const char *query;
		const char *child;
		bool found;
		const char *reason;
	} cases[] = {
		/* 1 */ {"forenames=Jon&surname=Threlfal&dob=2018-05-20", child_a, true, "date of birth close"},
		/* 2 */ {"forenames=John&surname=Threlfall&dob=2018-05-14", child_a, true, "date of birth"},
		/* 3 */ {"forenames=John&surname=Threlfall&dob=2018-05-14", child_b, false, NULL},
		/* 4 */ {"forenames=John&surname=Threlfall&dob=2010-01-01", child_a, false, NULL},
		/* 5 */ {"forenames=Ann&surname=Other&dob=2000-01-01&nhs_number=9434765919", child_a, true, "NHS number"},
		/* 6 */ {"forenames=Mark&surname=Threlfall&dob=2018-05-14", child_a, false, NULL},
		/* 7 */ {"forenames=Catherine&surname=Smyth-Quarrie&dob=2016-02-11", child_b, true, "date of birth close"},
		/* 8 */ {"forenames=John&surname=Threlfall&dob=2019-05-14", child_a, true, "date of birth close"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char path[256];
		snprintf(path, sizeof path, "/api/v1/search/duplicates?%s", cases[i].query);
		json_t *a = call("GET", path, NULL, 200);
		json_t *d = json_pack("{s:O}", "results", json_object_get(a, "duplicates"));
		json_t *r = result_for(d, cases[i].child);
		if (!r != !cases[i].found)
			fail_msg("case %zu (%s): the child was %sfound: %s", i + 1, cases[i].query, r ? "" : "not ",
			         json_dumps(a, 0));
		if (r && !has_reason(r, cases[i].reason))
			fail_msg("case %zu: reasons %s lack \"%s\"", i + 1, json_dumps(json_object_get(r, "match_reasons"), 0),
			         cases[i].reason);
		json_decref(d);
		json_decref(a);
	}
}

static int page(const char *method, const char *path, const char *body, struct buf *out)
{
	struct http_resp r;
	int status = client_req(&sw, method, path, body ? FORM : NULL, body, &r);
	buf_reset(out);
	buf_adds(out, buf_str(&r.body));
	resp_free(&r);
	return status;
}

static void test_pages(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	/* The search box is in the header of every page. */
	assert_int_equal(page("GET", "/", NULL, &b), 200);
	assert_non_null(strstr(buf_str(&b), "id=\"app-header-search\""));
	assert_non_null(strstr(buf_str(&b), "action=\"/children\" role=\"search\""));
	/* Its results page. */
	assert_int_equal(page("GET", "/children?q=Jon+Threlfall", NULL, &b), 200);
	assert_non_null(strstr(buf_str(&b), "John Threlfall</a>"));
	assert_non_null(strstr(buf_str(&b), "name sounds alike"));
	assert_int_equal(page("GET", "/children?q=943+476+5918", NULL, &b), 200);
	assert_non_null(strstr(buf_str(&b), "not a valid NHS number"));
	/* The refuge postcode finds nothing and shows nothing of the child. */
	assert_int_equal(page("GET", "/children?q=CM9+4RR", NULL, &b), 200);
	assert_null(strstr(buf_str(&b), "Searchwell"));
	assert_null(strstr(buf_str(&b), child_c));
	buf_free(&b);
}

static int64_t children_named(const char *surname)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/search?q=%s&limit=100", surname);
	json_t *a = call("GET", path, NULL, 200);
	int64_t n = 0;
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(a, "results"), i, r) n +=
		strcmp(json_string_value(json_object_get(r, "surname")), surname) == 0;
	json_decref(a);
	return n;
}

/* Saving a new child who looks like one already recorded shows the likely duplicates and saves nothing until the
 * user confirms none is the same child. */
static void test_new_child_duplicates(void **state)
{
	struct buf b, body;
	buf_init(&b, 0);
	buf_init(&body, 0);
	int64_t before = children_named("Threlfall");
	buf_addf(&body, "csrf=%s&form_key=/children/new&forenames=Jon&surname=Threlfall&dob-day=16&dob-month=5"
	         "&dob-year=2018", sw.csrf);
	assert_int_equal(page("POST", "/children", buf_str(&body), &b), 422);
	assert_non_null(strstr(buf_str(&b), "This child may already be recorded"));
	char link[96];
	snprintf(link, sizeof link, "href=\"/children/%s\"", child_a);
	assert_non_null(strstr(buf_str(&b), link));
	assert_non_null(strstr(buf_str(&b), "href=\"#not_duplicate\""));
	assert_non_null(strstr(buf_str(&b), "value=\"Jon\"")); /* what was typed is kept */
	assert_int_equal(children_named("Threlfall"), before);
	/* Confirmed: saved. */
	buf_adds(&body, "&not_duplicate=yes");
	assert_int_equal(page("POST", "/children", buf_str(&body), &b), 303);
	assert_int_equal(children_named("Threlfall"), before + 1);
	/* A child with no likely duplicate is saved at once. */
	buf_reset(&body);
	buf_addf(&body, "csrf=%s&form_key=/children/new&forenames=Ulla&surname=Vandersloot&dob-day=3&dob-month=3"
	         "&dob-year=2017", sw.csrf);
	assert_int_equal(page("POST", "/children", buf_str(&body), &b), 303);
	buf_free(&b);
	buf_free(&body);
}

/* The API stops on the same likely duplicates (409 naming them) until the client confirms with "not_duplicate". */
static void test_new_child_duplicates_api(void **state)
{
#define REC "{\"forenames\":\"Catherine\",\"surname\":\"Smyth-Quarrie\",\"dob\":\"2016-11-03\"%s}"
	char body[256];
	int64_t before = children_named("Smyth-Quarrie");
	snprintf(body, sizeof body, REC, "");
	struct http_resp r;
	assert_int_equal(client_req(&sw, "POST", "/api/v1/children", NULL, body, &r), 409);
	assert_non_null(strstr(resp_header(&r, "Content-Type"), "application/problem+json"));
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(r.json, "errors"), 0), "field")),
	                    "not_duplicate");
	bool named = false;
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(r.json, "duplicates"), i, d) named |=
		strcmp(json_string_value(json_object_get(d, "id")), child_b) == 0;
	assert_true(named);
	resp_free(&r);
	assert_int_equal(children_named("Smyth-Quarrie"), before);
	snprintf(body, sizeof body, REC, ",\"not_duplicate\":\"yes\"");
	json_decref(call("POST", "/api/v1/children", body, 422));
	assert_int_equal(children_named("Smyth-Quarrie"), before);
	snprintf(body, sizeof body, REC, ",\"not_duplicate\":true");
	json_decref(call("POST", "/api/v1/children", body, 201));
	assert_int_equal(children_named("Smyth-Quarrie"), before + 1);
#undef REC
}

/* A case at the front door whose child looks like one already known shows the likely matches, never itself. */
static void test_front_door_case_shows_possible_matches(void **state)
{
	char twin[64], twin_case[64], path[160];
	id_into(call("POST", "/api/v1/children",
	             "{\"forenames\":\"Jon\",\"surname\":\"Threlfall\",\"dob\":\"2018-05-15\",\"not_duplicate\":true}", 201),
	        twin);
	snprintf(path, sizeof path, "/api/v1/children/%s/cases", twin);
	id_into(call("POST", path, "{}", 201), twin_case);
	struct buf b;
	buf_init(&b, 0);
	snprintf(path, sizeof path, "/pathway/cases/%s", twin_case);
	assert_int_equal(page("GET", path, NULL, &b), 200);
	assert_non_null(strstr(buf_str(&b), "This child may already be known"));
	char link[160];
	snprintf(link, sizeof link, "href=\"/children/%s\"", child_a);
	assert_non_null(strstr(buf_str(&b), link));
	snprintf(link, sizeof link, "<li><a class=\"govuk-link\" href=\"/children/%s\"", twin);
	assert_null(strstr(buf_str(&b), link));
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finds_the_child),      cmocka_unit_test(test_what_must_not_match),
		cmocka_unit_test(test_notices_and_partial_matches), cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_duplicates_api),       cmocka_unit_test(test_pages),
		cmocka_unit_test(test_new_child_duplicates), cmocka_unit_test(test_new_child_duplicates_api),
		cmocka_unit_test(test_front_door_case_shows_possible_matches),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
