/* Black-box tests of the real server over HTTP: the records API, bad input, access, and shutdown. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testsrv.h"

static struct testsrv srv;

static int setup(void **state)
{
	testsrv_start(&srv, true);
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(testsrv_stop(&srv), 0); /* a clean shutdown on SIGTERM */
	return 0;
}

static json_t *must_json(struct http_resp *r)
{
	if (!r->json)
		fail_msg("expected JSON, got status %d: %s", r->status, buf_str(&r->body));
	return r->json;
}

static char *create_child(struct client *c, const char *body)
{
	struct http_resp r;
	assert_int_equal(client_req(c, "POST", "/api/v1/children", NULL, body, &r), 201);
	char *id = strdup(json_string_value(json_object_get(must_json(&r), "id")));
	assert_non_null(resp_header(&r, "Location"));
	resp_free(&r);
	return id;
}

static void test_health_is_public(void **state)
{
	struct client c;
	client_init(&c, &srv);
	struct http_resp r;
	assert_int_equal(client_req(&c, "GET", "/healthz", NULL, NULL, &r), 200);
	resp_free(&r);
}

static void test_api_needs_sign_in(void **state)
{
	struct client c;
	client_init(&c, &srv);
	struct http_resp r;
	assert_int_equal(client_req(&c, "GET", "/api/v1/enums", NULL, NULL, &r), 401);
	assert_string_equal(resp_header(&r, "Content-Type"), "application/problem+json");
	assert_int_equal(json_integer_value(json_object_get(must_json(&r), "status")), 401);
	resp_free(&r);
	/* Pages redirect to the sign-in page and come back afterwards. */
	assert_int_equal(client_req(&c, "GET", "/children", NULL, NULL, &r), 303);
	assert_string_equal(resp_header(&r, "Location"), "/sign-in?next=/children");
	resp_free(&r);
}

static void test_wrong_password_refused(void **state)
{
	struct client c;
	client_init(&c, &srv);
	assert_int_equal(client_login(&c, "asha.patel", "not-the-password"), 401);
	assert_int_equal(client_login(&c, "nobody.here", "not-the-password"), 401);
}

static void test_child_lifecycle(void **state)
{
	struct client c;
	client_init(&c, &srv);
	assert_int_equal(client_login(&c, "asha.patel", DEMO_PASSWORD), 201);
	char *id = create_child(&c, "{\"forenames\":\"Testy\",\"surname\":\"Lifecycle\",\"dob\":\"2019-03-27\","
	                            "\"gender\":\"female\",\"address\":\"2 Secret Lane\",\"postcode\":\"CM1 1AA\"}");
	char path[128];
	struct http_resp r;
	snprintf(path, sizeof path, "/api/v1/children/%s", id);
	assert_int_equal(client_req(&c, "GET", path, NULL, NULL, &r), 200);
	assert_string_equal(json_string_value(json_object_get(must_json(&r), "surname")), "Lifecycle");
	resp_free(&r);

	assert_int_equal(client_req(&c, "PATCH", path, NULL, "{\"nhs_number\":\"943 476 5919\"}", &r), 200);
	assert_string_equal(json_string_value(json_object_get(must_json(&r), "nhs_number")), "943 476 5919");
	resp_free(&r);

	/* The chronology was written as things happened. */
	snprintf(path, sizeof path, "/api/v1/children/%s/chronology", id);
	assert_int_equal(client_req(&c, "GET", path, NULL, NULL, &r), 200);
	json_t *items = json_object_get(must_json(&r), "items");
	assert_true(json_array_size(items) >= 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "event_type")),
	                    "record_created");
	resp_free(&r);

	/* A person and a relationship. */
	assert_int_equal(client_req(&c, "POST", "/api/v1/persons", NULL,
	                            "{\"forenames\":\"Pat\",\"surname\":\"Lifecycle\",\"dob\":\"1990-01-02\"}", &r),
	                 201);
	char person[64];
	snprintf(person, sizeof person, "%s", json_string_value(json_object_get(must_json(&r), "id")));
	resp_free(&r);
	char body[256];
	snprintf(body, sizeof body,
	         "{\"person_id\":\"%s\",\"relationship_type\":\"mother\",\"has_parental_responsibility\":true}", person);
	snprintf(path, sizeof path, "/api/v1/children/%s/relationships", id);
	assert_int_equal(client_req(&c, "POST", path, NULL, body, &r), 201);
	resp_free(&r);

	/* A case, allocated to the worker opening it. */
	snprintf(path, sizeof path, "/api/v1/children/%s/cases", id);
	assert_int_equal(client_req(&c, "POST", path, NULL, "{}", &r), 201);
	assert_string_equal(json_string_value(json_object_get(must_json(&r), "stage")), "contact");
	resp_free(&r);

	/* A document keeps its SHA-256. "hello" base64 = aGVsbG8= */
	snprintf(path, sizeof path, "/api/v1/children/%s/documents", id);
	assert_int_equal(client_req(&c, "POST", path, NULL,
	                            "{\"doc_type\":\"OTHER\",\"title\":\"Note\",\"mime_type\":\"text/plain\","
	                            "\"content_base64\":\"aGVsbG8=\"}",
	                            &r),
	                 201);
	assert_string_equal(json_string_value(json_object_get(must_json(&r), "sha256")),
	                    "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
	char doc[64];
	snprintf(doc, sizeof doc, "%s", json_string_value(json_object_get(r.json, "id")));
	resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/documents/%s/content", doc);
	assert_int_equal(client_req(&c, "GET", path, NULL, NULL, &r), 200);
	assert_int_equal(r.body.len, 5);
	assert_memory_equal(r.body.data, "hello", 5);
	resp_free(&r);

	/* Search finds the child by name and by postcode, saying why. */
	assert_int_equal(client_req(&c, "GET", "/api/v1/children?q=lifecycle", NULL, NULL, &r), 200);
	json_t *res = json_object_get(must_json(&r), "results");
	assert_int_equal(json_array_size(res), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(json_array_get(res, 0), "match_reasons"), 0)),
	                    "name");
	resp_free(&r);
	free(id);
}

/* Every kind of bad input gets a precise 4xx naming the field, and nothing is written. */
static void test_bad_input(void **state)
{
	struct client c;
	client_init(&c, &srv);
	assert_int_equal(client_login(&c, "asha.patel", DEMO_PASSWORD), 201);
	static const struct {
		const char *method, *path, *body;
		int status;
		const char *field; /* first error's field, or NULL */
	} cases[] = {
		{"POST", "/api/v1/children", "{\"forenames\":", 400, NULL},
		{"POST", "/api/v1/children", "[1,2]", 400, NULL},
		{"POST", "/api/v1/children", "{\"forenames\":\"A\",\"surname\":\"B\",\"dob\":\"2026-02-30\"}", 422, "dob"},
		{"POST", "/api/v1/children", "{\"forenames\":\"A\",\"surname\":\"B\",\"dob\":\"2019-01-01\",\"shoe\":1}",
		 422, "shoe"},
		{"POST", "/api/v1/children", "{\"forenames\":7,\"surname\":\"B\",\"dob\":\"2019-01-01\"}", 422,
		 "forenames"},
		{"POST", "/api/v1/children", "{\"surname\":\"B\",\"dob\":\"2019-01-01\"}", 422, "forenames"},
		{"POST", "/api/v1/children", "{\"forenames\":\"A\",\"surname\":\"B\",\"is_unborn\":true}", 422, "edd"},
		{"POST", "/api/v1/children", "{\"forenames\":\"A\",\"surname\":\"B\",\"dob\":\"2019-01-01\",\"gender\":\"x\"}",
		 422, "gender"},
		{"POST", "/api/v1/children", "{\"forenames\":\"A\",\"surname\":\"B\",\"dob\":\"2019-01-01\",\"id\":\"x\"}",
		 422, "id"},
		{"GET", "/api/v1/children/chd_0000000000000000", NULL, 404, NULL},
		{"GET", "/api/v1/children/not-an-id", NULL, 404, NULL},
		{"GET", "/api/v1/nothing-here", NULL, 404, NULL},
		{"DELETE", "/api/v1/children", NULL, 405, NULL},
		{"GET", "/api/v1/children?q=", NULL, 400, "q"},
		{"GET", "/api/v1/children/chd_0000000000000000/chronology?from=2026-13-01", NULL, 404, NULL},
	};
	struct http_resp r;
	assert_int_equal(client_req(&c, "GET", "/api/v1/children?q=B", NULL, NULL, &r), 200);
	size_t before = json_array_size(json_object_get(must_json(&r), "results"));
	resp_free(&r);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int got = client_req(&c, cases[i].method, cases[i].path, NULL, cases[i].body, &r);
		if (got != cases[i].status)
			fail_msg("case %zu (%s %s): status %d, want %d: %s", i, cases[i].method, cases[i].path, got,
			         cases[i].status, buf_str(&r.body));
		assert_string_equal(resp_header(&r, "Content-Type"), "application/problem+json");
		if (cases[i].field) {
			json_t *e = json_array_get(json_object_get(must_json(&r), "errors"), 0);
			const char *f = json_string_value(json_object_get(e, "field"));
			if (!f || strcmp(f, cases[i].field))
				fail_msg("case %zu: error names field %s, want %s", i, f ? f : "(none)", cases[i].field);
		}
		resp_free(&r);
	}
	assert_int_equal(client_req(&c, "GET", "/api/v1/children?q=B", NULL, NULL, &r), 200);
	assert_int_equal(json_array_size(json_object_get(must_json(&r), "results")), before);
	resp_free(&r);
}

static void test_oversized_and_malformed_requests(void **state)
{
	struct client c;
	client_init(&c, &srv);
	assert_int_equal(client_login(&c, "asha.patel", DEMO_PASSWORD), 201);
	char raw[1024];
	snprintf(raw, sizeof raw,
	         "POST /api/v1/children HTTP/1.1\r\nHost: x\r\nCookie: %s\r\nX-CSRF-Token: %s\r\n"
	         "Content-Type: application/json\r\nContent-Length: 99999999\r\nConnection: close\r\n\r\n{}",
	         c.cookie, c.csrf);
	struct http_resp r;
	assert_int_equal(client_raw(&c, raw, strlen(raw), &r), 413);
	resp_free(&r);
	const char *bad_escape = "GET /api/v1/children%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	assert_int_equal(client_raw(&c, bad_escape, strlen(bad_escape), &r), 400);
	resp_free(&r);
	/* The server keeps serving. */
	assert_int_equal(client_req(&c, "GET", "/healthz", NULL, NULL, &r), 200);
	resp_free(&r);
}

static void test_csrf_required(void **state)
{
	struct client c;
	client_init(&c, &srv);
	assert_int_equal(client_login(&c, "asha.patel", DEMO_PASSWORD), 201);
	char saved[128];
	snprintf(saved, sizeof saved, "%s", c.csrf);
	struct http_resp r;
	c.csrf[0] = '\0';
	assert_int_equal(client_req(&c, "POST", "/api/v1/persons", NULL, "{\"forenames\":\"C\",\"surname\":\"S\"}", &r),
	                 403);
	resp_free(&r);
	snprintf(c.csrf, sizeof c.csrf, "forged-token-forged-token-forged-token-1234");
	assert_int_equal(client_req(&c, "POST", "/api/v1/persons", NULL, "{\"forenames\":\"C\",\"surname\":\"S\"}", &r),
	                 403);
	resp_free(&r);
	snprintf(c.csrf, sizeof c.csrf, "%s", saved);
	assert_int_equal(client_req(&c, "POST", "/api/v1/persons", NULL, "{\"forenames\":\"C\",\"surname\":\"S\"}", &r),
	                 201);
	resp_free(&r);
}

/* A worker from another team sees someone else's child exactly as a missing one. */
static void test_unrelated_child_looks_missing(void **state)
{
	struct client a, b;
	client_init(&a, &srv);
	client_init(&b, &srv);
	assert_int_equal(client_login(&a, "asha.patel", DEMO_PASSWORD), 201);
	assert_int_equal(client_login(&b, "cara.nolan", DEMO_PASSWORD), 201);
	char *id = create_child(&a, "{\"forenames\":\"Hidden\",\"surname\":\"Fromcara\",\"dob\":\"2018-05-05\"}");
	char path[128];
	snprintf(path, sizeof path, "/api/v1/children/%s", id);
	struct http_resp r1, r2;
	assert_int_equal(client_req(&b, "GET", path, NULL, NULL, &r1), 404);
	assert_int_equal(client_req(&b, "GET", "/api/v1/children/chd_0000000000000000", NULL, NULL, &r2), 404);
	json_object_del(r1.json, "instance");
	json_object_del(r2.json, "instance");
	assert_true(json_equal(r1.json, r2.json));
	resp_free(&r1);
	resp_free(&r2);
	free(id);
}

/* The restricted address is never sent to someone outside the list. */
static void test_restricted_address_hidden(void **state)
{
	struct client a, m;
	client_init(&a, &srv);
	client_init(&m, &srv);
	assert_int_equal(client_login(&a, "asha.patel", DEMO_PASSWORD), 201);
	char *id = create_child(&a, "{\"forenames\":\"Refuge\",\"surname\":\"Case\",\"dob\":\"2017-07-07\","
	                            "\"address\":\"Refuge House 9\",\"postcode\":\"ZZ9 9ZZ\"}");
	char path[128];
	snprintf(path, sizeof path, "/api/v1/children/%s", id);
	struct http_resp r;
	/* The creator (no case yet) may read the record but is not on the restricted list. */
	assert_int_equal(client_req(&a, "GET", path, NULL, NULL, &r), 200);
	assert_null(strstr(buf_str(&r.body), "Refuge House"));
	assert_null(strstr(buf_str(&r.body), "ZZ9"));
	resp_free(&r);
	/* The service manager may. */
	assert_int_equal(client_login(&m, "erin.walsh", DEMO_PASSWORD), 201);
	assert_int_equal(client_req(&m, "GET", path, NULL, NULL, &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "Refuge House"));
	resp_free(&r);
	free(id);
}

static void test_households(void **state)
{
	struct client a, b;
	client_init(&a, &srv);
	client_init(&b, &srv);
	assert_int_equal(client_login(&a, "asha.patel", DEMO_PASSWORD), 201);
	assert_int_equal(client_login(&b, "cara.nolan", DEMO_PASSWORD), 201);
	char *id = create_child(&a, "{\"forenames\":\"House\",\"surname\":\"Hold\",\"dob\":\"2016-06-06\"}");
	char body[256], path[128];
	struct http_resp r;
	snprintf(body, sizeof body, "{\"child_id\":\"%s\",\"address\":\"3 Home Row\",\"postcode\":\"CM2 2BB\"}", id);
	assert_int_equal(client_req(&a, "POST", "/api/v1/households", NULL, body, &r), 201);
	char hh[64];
	snprintf(hh, sizeof hh, "%s", json_string_value(json_object_get(must_json(&r), "id")));
	assert_int_equal(json_array_size(json_object_get(r.json, "members")), 1);
	resp_free(&r);
	assert_int_equal(client_req(&a, "POST", "/api/v1/persons", NULL, "{\"forenames\":\"Lodger\",\"surname\":\"Hold\"}",
	                            &r),
	                 201);
	char person[64];
	snprintf(person, sizeof person, "%s", json_string_value(json_object_get(must_json(&r), "id")));
	resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/households/%s/members", hh);
	snprintf(body, sizeof body, "{\"person_id\":\"%s\",\"start_date\":\"2026-01-05\"}", person);
	assert_int_equal(client_req(&a, "POST", path, NULL, body, &r), 201);
	assert_int_equal(json_array_size(json_object_get(must_json(&r), "members")), 2);
	resp_free(&r);
	assert_int_equal(client_req(&a, "POST", path, NULL, "{\"start_date\":\"2026-01-05\"}", &r), 422);
	resp_free(&r);
	snprintf(path, sizeof path, "/api/v1/households/%s", hh);
	assert_int_equal(client_req(&a, "GET", path, NULL, NULL, &r), 200);
	resp_free(&r);
	assert_int_equal(client_req(&b, "GET", path, NULL, NULL, &r), 404);
	resp_free(&r);
	free(id);
}

/* The same operations through the HTML forms: add a person, change the child's details, with a refusal first. */
static void test_forms(void **state)
{
	struct client a;
	client_init(&a, &srv);
	assert_int_equal(client_login(&a, "asha.patel", DEMO_PASSWORD), 201);
	char *id = create_child(&a, "{\"forenames\":\"Form\",\"surname\":\"Filler\",\"dob\":\"2015-05-05\"}");
	char path[128], body[512];
	struct http_resp r;
	snprintf(path, sizeof path, "/children/%s/people", id);
	snprintf(body, sizeof body, "csrf=%s&forenames=Sam&surname=&relationship_type=father", a.csrf);
	assert_int_equal(client_req(&a, "POST", path, "application/x-www-form-urlencoded", body, &r), 422);
	assert_non_null(strstr(buf_str(&r.body), "govuk-error-summary"));
	assert_non_null(strstr(buf_str(&r.body), "value=\"Sam\"")); /* what was typed is kept */
	resp_free(&r);
	snprintf(body, sizeof body,
	         "csrf=%s&forenames=Sam&surname=Filler&relationship_type=father&has_parental_responsibility=yes"
	         "&dob-day=1&dob-month=2&dob-year=1985",
	         a.csrf);
	assert_int_equal(client_req(&a, "POST", path, "application/x-www-form-urlencoded", body, &r), 303);
	resp_free(&r);
	snprintf(path, sizeof path, "/children/%s", id);
	snprintf(body, sizeof body, "csrf=%s&forenames=Form&surname=Filled&nhs_number=485%%20777%%203456", a.csrf);
	assert_int_equal(client_req(&a, "POST", path, "application/x-www-form-urlencoded", body, &r), 303);
	resp_free(&r);
	assert_int_equal(client_req(&a, "GET", path, NULL, NULL, &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "Form Filled"));
	assert_non_null(strstr(buf_str(&r.body), "Sam Filler"));
	assert_non_null(strstr(buf_str(&r.body), "485 777 3456"));
	resp_free(&r);

	/* A document through the upload form (multipart), kept with its SHA-256; a missing file is refused. */
	snprintf(path, sizeof path, "/children/%s/documents", id);
	char mp[1024];
	snprintf(mp, sizeof mp,
	         "--B0\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
	         "--B0\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nSchool note\r\n"
	         "--B0\r\nContent-Disposition: form-data; name=\"doc_type\"\r\n\r\nOTHER\r\n"
	         "--B0\r\nContent-Disposition: form-data; name=\"file\"; filename=\"note.txt\"\r\n"
	         "Content-Type: text/plain\r\n\r\nhello\r\n--B0--\r\n",
	         a.csrf);
	assert_int_equal(client_req(&a, "POST", path, "multipart/form-data; boundary=B0", mp, &r), 303);
	resp_free(&r);
	assert_int_equal(client_req(&a, "GET", path, NULL, NULL, &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"));
	assert_non_null(strstr(buf_str(&r.body), "Form Filled")); /* the child's name heads the list and its print */
	resp_free(&r);
	snprintf(mp, sizeof mp,
	         "--B0\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
	         "--B0\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nNo file\r\n--B0--\r\n",
	         a.csrf);
	assert_int_equal(client_req(&a, "POST", path, "multipart/form-data; boundary=B0", mp, &r), 422);
	assert_non_null(strstr(buf_str(&r.body), "Choose a file"));
	resp_free(&r);
	free(id);
}

static void test_access_log_has_no_personal_data(void **state)
{
	char path[400];
	snprintf(path, sizeof path, "%s/access.log", srv.dir);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[2048];
	int lines = 0;
	while (fgets(line, sizeof line, f)) {
		lines++;
		assert_null(strstr(line, "Lifecycle"));
		assert_null(strstr(line, "chd_"));
		assert_null(strstr(line, "asha"));
		json_t *j = json_loads(line, 0, NULL);
		assert_non_null(j);
		assert_non_null(json_object_get(j, "route"));
		assert_non_null(json_object_get(j, "status"));
		json_decref(j);
	}
	fclose(f);
	assert_true(lines > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_health_is_public),
		cmocka_unit_test(test_api_needs_sign_in),
		cmocka_unit_test(test_wrong_password_refused),
		cmocka_unit_test(test_child_lifecycle),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_oversized_and_malformed_requests),
		cmocka_unit_test(test_csrf_required),
		cmocka_unit_test(test_unrelated_child_looks_missing),
		cmocka_unit_test(test_restricted_address_hidden),
		cmocka_unit_test(test_households),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_access_log_has_no_personal_data),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
