/* Drafts over HTTP against the real server: saving and reading back, pre-filling the new-child form, privacy
 * between users, the CSRF and sign-in guards, bad keys, the size limit, and deletion when the form is submitted. */
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

static void signed_in(struct client *c, const char *username)
{
	client_init(c, &srv);
	assert_int_equal(client_login(c, username, DEMO_PASSWORD), 201);
}

static int save(struct client *c, const char *fields, struct http_resp *r)
{
	struct buf body;
	buf_init(&body, 0);
	buf_addf(&body, "csrf=%s&%s", c->csrf, fields);
	int status = client_req(c, "POST", "/drafts", FORM, buf_str(&body), r);
	buf_free(&body);
	return status;
}

static json_t *load(struct client *c, const char *key, int expect_status)
{
	char path[512];
	snprintf(path, sizeof path, "/api/v1/drafts?form_key=%s", key);
	struct http_resp r;
	assert_int_equal(client_req(c, "GET", path, NULL, NULL, &r), expect_status);
	json_t *data = r.json ? json_incref(json_object_get(r.json, "data")) : NULL;
	resp_free(&r);
	return data;
}

static void test_saved_and_read_back(void **state)
{
	struct client a;
	signed_in(&a, "asha.patel");
	struct http_resp r;
	assert_int_equal(save(&a, "form_key=/children/new&forenames=Zo%C3%AB&is_unborn=yes&tag=a&tag=b", &r), 200);
	assert_non_null(r.json);
	assert_non_null(json_string_value(json_object_get(r.json, "saved_at")));
	assert_true(json_integer_value(json_object_get(r.json, "session_expires_at")) > 0);
	resp_free(&r);

	json_t *d = load(&a, "/children/new", 200);
	assert_non_null(d);
	assert_string_equal(json_string_value(json_object_get(d, "forenames")), "Zo\xc3\xab");
	assert_string_equal(json_string_value(json_object_get(d, "is_unborn")), "yes");
	json_t *tags = json_object_get(d, "tag"); /* a repeated field keeps every value, in order */
	assert_int_equal(json_array_size(tags), 2);
	assert_string_equal(json_string_value(json_array_get(tags, 1)), "b");
	assert_null(json_object_get(d, "csrf"));
	assert_null(json_object_get(d, "form_key"));
	json_decref(d);

	/* A second save replaces the first. */
	assert_int_equal(save(&a, "form_key=/children/new&forenames=Zoe", &r), 200);
	resp_free(&r);
	d = load(&a, "/children/new", 200);
	assert_string_equal(json_string_value(json_object_get(d, "forenames")), "Zoe");
	assert_null(json_object_get(d, "is_unborn"));
	json_decref(d);

	/* The form opened afresh carries on from the draft. */
	assert_int_equal(save(&a, "form_key=/children/new&forenames=Zo%C3%AB&surname=Draftwell&is_unborn=yes"
	                          "&dob-day=7",
	                      &r),
	                 200);
	resp_free(&r);
	assert_int_equal(client_req(&a, "GET", "/children/new", NULL, NULL, &r), 200);
	const char *html = buf_str(&r.body);
	assert_non_null(strstr(html, "value=\"Zo\xc3\xab\""));
	assert_non_null(strstr(html, "value=\"Draftwell\""));
	assert_non_null(strstr(html, "value=\"yes\" checked"));
	assert_non_null(strstr(html, "name=\"dob-day\" type=\"text\" inputmode=\"numeric\" value=\"7\""));
	assert_non_null(strstr(html, "data-autosave=\"/drafts\""));
	resp_free(&r);
}

static void test_drafts_are_private(void **state)
{
	struct client a, b;
	signed_in(&a, "asha.patel");
	signed_in(&b, "ben.okafor");
	struct http_resp r;
	assert_int_equal(save(&a, "form_key=/private/form&note=only-mine", &r), 200);
	resp_free(&r);
	assert_null(load(&b, "/private/form", 404));
	assert_int_equal(client_req(&b, "GET", "/children/new", NULL, NULL, &r), 200);
	assert_null(strstr(buf_str(&r.body), "only-mine"));
	resp_free(&r);
	json_t *d = load(&a, "/private/form", 200);
	assert_string_equal(json_string_value(json_object_get(d, "note")), "only-mine");
	json_decref(d);
}

static void test_guards(void **state)
{
	struct client none, a;
	client_init(&none, &srv);
	struct http_resp r;
	assert_null(load(&none, "/children/new", 401));
	assert_int_equal(client_req(&none, "POST", "/drafts", FORM, "form_key=/children/new&forenames=X", &r), 303);
	resp_free(&r);

	signed_in(&a, "asha.patel");
	char saved[128];
	snprintf(saved, sizeof saved, "%s", a.csrf);
	a.csrf[0] = '\0';
	assert_int_equal(client_req(&a, "POST", "/drafts", FORM, "form_key=/no/token&forenames=X", &r), 403);
	resp_free(&r);
	snprintf(a.csrf, sizeof a.csrf, "%s", saved);
	assert_null(load(&a, "/no/token", 404));

	static const char *const bad[] = {"", "relative", "%2F%2Fevil.example", "%2Fa%2F..%2Fb", "%2Fa%3Fq%3D1"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char fields[256];
		snprintf(fields, sizeof fields, "form_key=%s&forenames=X", bad[i]);
		assert_int_equal(save(&a, fields, &r), 422);
		resp_free(&r);
		assert_null(load(&a, bad[i], 400));
	}
	assert_int_equal(save(&a, "forenames=X", &r), 422); /* no key at all */
	resp_free(&r);
}

static void test_too_large(void **state)
{
	struct client a;
	signed_in(&a, "asha.patel");
	size_t n = 600 * 1024;
	char *fields = malloc(n + 64);
	int off = snprintf(fields, 64, "form_key=/big/form&text=");
	memset(fields + off, 'x', n);
	fields[off + (int)n] = '\0';
	struct http_resp r;
	assert_int_equal(save(&a, fields, &r), 413);
	resp_free(&r);
	free(fields);
	assert_null(load(&a, "/big/form", 404));
}

static void test_deleted_when_the_form_is_submitted(void **state)
{
	struct client a;
	signed_in(&a, "ben.okafor");
	struct http_resp r;
	assert_int_equal(save(&a, "form_key=/children/new&forenames=Sub&surname=Mitted", &r), 200);
	resp_free(&r);
	/* A refused submit keeps the draft ... */
	char body[512];
	snprintf(body, sizeof body, "csrf=%s&form_key=/children/new&forenames=Sub&surname=", a.csrf);
	assert_int_equal(client_req(&a, "POST", "/children", FORM, body, &r), 422);
	resp_free(&r);
	json_t *d = load(&a, "/children/new", 200);
	json_decref(d);
	/* ... a successful one discards it. */
	snprintf(body, sizeof body,
	         "csrf=%s&form_key=/children/new&forenames=Sub&surname=Mitted&dob-day=1&dob-month=2&dob-year=2018",
	         a.csrf);
	assert_int_equal(client_req(&a, "POST", "/children", FORM, body, &r), 303);
	resp_free(&r);
	assert_null(load(&a, "/children/new", 404));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_saved_and_read_back),
		cmocka_unit_test(test_drafts_are_private),
		cmocka_unit_test(test_guards),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_deleted_when_the_form_is_submitted),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
