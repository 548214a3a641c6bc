/* The private calendar feed (issue 4 part 4) over HTTP against the real server and the demo authority: turning it on
 * through the API and the account page, fetching it with no session, what it may and may not contain, replacing and
 * turning it off, a disabled owner, and the audit of each fetch. */
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
	assert_int_equal(testsrv_stop(&srv), 0);
	return 0;
}

/* The path part of a feed URL ("http://127.0.0.1:PORT/calendar-feeds/..."). */
static void feed_path(const char *url, char out[256])
{
	const char *p = strstr(url, "/calendar-feeds/");
	assert_non_null(p);
	snprintf(out, 256, "%s", p);
}

static int fetch(const char *path, struct http_resp *r)
{
	struct client anon;
	client_init(&anon, &srv);
	return client_req(&anon, "GET", path, NULL, NULL, r);
}

static void api_feed(struct client *c, char path[256])
{
	struct http_resp r;
	assert_int_equal(client_req(c, "POST", "/api/v1/me/calendar-feed", NULL, NULL, &r), 201);
	feed_path(json_string_value(json_object_get(r.json, "url")), path);
	assert_non_null(strstr(resp_header(&r, "Cache-Control"), "no-store"));
	resp_free(&r);
}

static void test_feed_through_the_api(void **state)
{
	struct client sw;
	client_init(&sw, &srv);
	assert_int_equal(client_login(&sw, "asha.patel", DEMO_PASSWORD), 201);
	struct http_resp r;
	assert_int_equal(client_req(&sw, "GET", "/api/v1/me/calendar-feed", NULL, NULL, &r), 200);
	assert_true(json_is_false(json_object_get(r.json, "enabled")));
	resp_free(&r);

	char path[256];
	api_feed(&sw, path);
	assert_int_equal(fetch(path, &r), 200);
	assert_non_null(strstr(resp_header(&r, "Content-Type"), "text/calendar"));
	const char *ics = buf_str(&r.body);
	assert_non_null(strstr(ics, "BEGIN:VCALENDAR"));
	assert_non_null(strstr(ics, "BEGIN:VEVENT"));
	/* Her running deadlines are there, and no child's name is. */
	struct http_resp clocks;
	assert_int_equal(client_req(&sw, "GET", "/api/v1/clocks?window=open", NULL, NULL, &clocks), 200);
	json_t *items = json_object_get(clocks.json, "items");
	assert_true(json_array_size(items) > 0);
	size_t i;
	json_t *row;
	json_array_foreach(items, i, row) {
		char uid[128];
		snprintf(uid, sizeof uid, "UID:%s@safeguard", json_string_value(json_object_get(row, "id")));
		assert_non_null(strstr(ics, uid));
		assert_null(strstr(ics, json_string_value(json_object_get(row, "child_name"))));
	}
	resp_free(&clocks);
	resp_free(&r);

	assert_int_equal(client_req(&sw, "GET", "/api/v1/me/calendar-feed", NULL, NULL, &r), 200);
	assert_true(json_is_true(json_object_get(r.json, "enabled")));
	assert_non_null(json_string_value(json_object_get(r.json, "last_used_at")));
	resp_free(&r);

	/* A new address replaces the old one at once. */
	char fresh[256];
	api_feed(&sw, fresh);
	assert_string_not_equal(path, fresh);
	assert_int_equal(fetch(path, &r), 404);
	assert_null(strstr(buf_str(&r.body), "VCALENDAR"));
	resp_free(&r);
	assert_int_equal(fetch(fresh, &r), 200);
	resp_free(&r);

	/* Turned off: the address is dead, and turning it off again says so. */
	assert_int_equal(client_req(&sw, "DELETE", "/api/v1/me/calendar-feed", NULL, NULL, &r), 204);
	resp_free(&r);
	assert_int_equal(fetch(fresh, &r), 404);
	resp_free(&r);
	assert_int_equal(client_req(&sw, "DELETE", "/api/v1/me/calendar-feed", NULL, NULL, &r), 404);
	assert_non_null(strstr(resp_header(&r, "Content-Type"), "application/problem+json"));
	resp_free(&r);

	/* Made-up and malformed addresses look exactly like a turned-off one. */
	assert_int_equal(fetch("/calendar-feeds/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &r), 404);
	resp_free(&r);
	assert_int_equal(fetch("/calendar-feeds/not-a-token", &r), 404);
	resp_free(&r);
}

static void test_feed_fetch_is_audited_for_its_owner(void **state)
{
	struct client sw, auditor;
	client_init(&sw, &srv);
	client_init(&auditor, &srv);
	assert_int_equal(client_login(&sw, "ben.okafor", DEMO_PASSWORD), 201);
	assert_int_equal(client_login(&auditor, "jo.lindqvist", DEMO_PASSWORD), 201);
	struct http_resp r;
	assert_int_equal(client_req(&sw, "GET", "/api/v1/session", NULL, NULL, &r), 200);
	char user_id[64];
	snprintf(user_id, sizeof user_id, "%s",
	         json_string_value(json_object_get(json_object_get(r.json, "user"), "id")));
	resp_free(&r);
	char path[256];
	api_feed(&sw, path);
	assert_int_equal(fetch(path, &r), 200);
	resp_free(&r);
	/* Reads are group-committed; the report is asked until the entry lands (well within a second). */
	char report[160];
	snprintf(report, sizeof report, "/api/v1/audit/users/%s", user_id);
	bool created = false, exported = false;
	for (int tries = 0; tries < 50 && !exported; tries++) {
		assert_int_equal(client_req(&auditor, "GET", report, NULL, NULL, &r), 200);
		size_t i;
		json_t *e;
		json_array_foreach(json_object_get(r.json, "items"), i, e) {
			const char *type = json_string_value(json_object_get(e, "object_type"));
			const char *action = json_string_value(json_object_get(e, "action"));
			if (type && strcmp(type, "calendar_feed") == 0 && strcmp(action, "create") == 0)
				created = true;
			if (type && strcmp(type, "deadlines_calendar") == 0 && strcmp(action, "export") == 0)
				exported = true;
		}
		resp_free(&r);
	}
	assert_true(created);
	assert_true(exported);
}

static void test_feed_through_the_account_page(void **state)
{
	struct client sw;
	client_init(&sw, &srv);
	assert_int_equal(client_login(&sw, "cara.nolan", DEMO_PASSWORD), 201);
	struct http_resp r;
	assert_int_equal(client_req(&sw, "GET", "/account", NULL, NULL, &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "href=\"/account/calendar\""));
	resp_free(&r);
	assert_int_equal(client_req(&sw, "GET", "/account/calendar", NULL, NULL, &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "Turn on a calendar address"));
	resp_free(&r);
	/* Without the form's CSRF token nothing is made. */
	struct client forged = sw;
	forged.csrf[0] = '\0';
	assert_int_equal(client_req(&forged, "POST", "/account/calendar", "application/x-www-form-urlencoded", "x=1", &r),
	                 403);
	resp_free(&r);
	assert_int_equal(client_req(&sw, "GET", "/api/v1/me/calendar-feed", NULL, NULL, &r), 200);
	assert_true(json_is_false(json_object_get(r.json, "enabled")));
	resp_free(&r);

	char body[256];
	snprintf(body, sizeof body, "csrf=%s", sw.csrf);
	assert_int_equal(client_req(&sw, "POST", "/account/calendar", "application/x-www-form-urlencoded", body, &r), 200);
	const char *page = buf_str(&r.body);
	const char *at = strstr(page, "/calendar-feeds/");
	assert_non_null(at);
	char path[256];
	size_t n = strcspn(at, "\"");
	snprintf(path, sizeof path, "%.*s", (int)n, at);
	assert_non_null(strstr(page, "shown once"));
	resp_free(&r);
	assert_int_equal(fetch(path, &r), 200);
	resp_free(&r);
	/* The address is never shown again: the page now says when it was made and last used. */
	assert_int_equal(client_req(&sw, "GET", "/account/calendar", NULL, NULL, &r), 200);
	assert_null(strstr(buf_str(&r.body), path));
	assert_non_null(strstr(buf_str(&r.body), "Last fetched by a calendar"));
	resp_free(&r);
	assert_int_equal(
		client_req(&sw, "POST", "/account/calendar/turn-off", "application/x-www-form-urlencoded", body, &r), 303);
	assert_non_null(strstr(resp_header(&r, "Location"), "/account/calendar?done=off"));
	resp_free(&r);
	assert_int_equal(fetch(path, &r), 404);
	resp_free(&r);
}

static void test_feed_stops_for_a_disabled_owner_and_roles_without_deadlines(void **state)
{
	struct client sw, admin, referrer;
	client_init(&sw, &srv);
	client_init(&admin, &srv);
	client_init(&referrer, &srv);
	assert_int_equal(client_login(&sw, "dan.hughes", DEMO_PASSWORD), 201);
	assert_int_equal(client_login(&admin, "kim.adeyemi", DEMO_PASSWORD), 201);
	assert_int_equal(client_login(&referrer, "lee.fraser", DEMO_PASSWORD), 201);
	struct http_resp r;
	/* A partner referrer has no deadlines to see, so no feed either. */
	assert_int_equal(client_req(&referrer, "POST", "/api/v1/me/calendar-feed", NULL, NULL, &r), 403);
	resp_free(&r);

	assert_int_equal(client_req(&sw, "GET", "/api/v1/session", NULL, NULL, &r), 200);
	char user_path[160];
	snprintf(user_path, sizeof user_path, "/api/v1/users/%s",
	         json_string_value(json_object_get(json_object_get(r.json, "user"), "id")));
	resp_free(&r);
	char path[256];
	api_feed(&sw, path);
	assert_int_equal(fetch(path, &r), 200);
	resp_free(&r);
	assert_int_equal(client_req(&admin, "PATCH", user_path, NULL, "{\"disabled\": true}", &r), 200);
	resp_free(&r);
	assert_int_equal(fetch(path, &r), 404);
	resp_free(&r);
	assert_int_equal(client_req(&admin, "PATCH", user_path, NULL, "{\"disabled\": false}", &r), 200);
	resp_free(&r);
	assert_int_equal(fetch(path, &r), 200); /* re-enabled: the same address works again */
	resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feed_through_the_api),
		cmocka_unit_test(test_feed_fetch_is_audited_for_its_owner),
		cmocka_unit_test(test_feed_through_the_account_page),
		cmocka_unit_test(test_feed_stops_for_a_disabled_owner_and_roles_without_deadlines),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
