/* Deadline views, one clock, extensions and the calendar feed, over HTTP against the real server and the demo
 * authority (whose cases carry real clocks). */
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

static json_t *items(struct client *c, const char *path, int want_status)
{
	struct http_resp r;
	int got = client_req(c, "GET", path, NULL, NULL, &r);
	if (got != want_status)
		fail_msg("%s: %d, want %d: %s", path, got, want_status, buf_str(&r.body));
	json_t *out = json_incref(json_object_get(r.json, "items"));
	resp_free(&r);
	return out;
}

/* The first running clock of a rule among the user's open clocks; writes its id. */
static bool find_clock(struct client *c, const char *query, const char *rule, char id[64])
{
	json_t *rows = items(c, query, 200);
	size_t i;
	json_t *row;
	bool found = false;
	json_array_foreach(rows, i, row) {
		if (strcmp(json_string_value(json_object_get(row, "rule_id")), rule) == 0) {
			snprintf(id, 64, "%s", json_string_value(json_object_get(row, "id")));
			found = true;
			break;
		}
	}
	json_decref(rows);
	return found;
}

static void test_views(void **state)
{
	struct client sw, sm;
	client_init(&sw, &srv);
	client_init(&sm, &srv);
	assert_int_equal(client_login(&sw, "asha.patel", DEMO_PASSWORD), 201);
	assert_int_equal(client_login(&sm, "erin.walsh", DEMO_PASSWORD), 201);
	json_t *mine = items(&sw, "/api/v1/clocks?window=open", 200);
	assert_true(json_array_size(mine) > 0);
	json_t *first = json_array_get(mine, 0);
	/* Each row names the child, the rule, its citation and the responsible person. */
	assert_non_null(json_string_value(json_object_get(first, "child_name")));
	assert_non_null(json_string_value(json_object_get(first, "citation")));
	assert_string_equal(json_string_value(json_object_get(first, "responsible_name")), "Asha Patel");
	json_decref(mine);
	json_t *overdue = items(&sw, "/api/v1/clocks?window=overdue", 200);
	size_t i;
	json_t *row;
	json_array_foreach(overdue, i, row) {
		assert_true(json_is_true(json_object_get(row, "overdue")));
		assert_string_equal(json_string_value(json_object_get(row, "status")), "breached");
	}
	json_decref(overdue);
	json_decref(items(&sw, "/api/v1/clocks?window=within&days=10", 200));
	json_decref(items(&sw, "/api/v1/clocks?window=today", 200));
	json_decref(items(&sw, "/api/v1/clocks?window=breached", 200));
	/* A social worker has no team or authority view; the service manager has both. */
	json_decref(items(&sw, "/api/v1/clocks?scope=all", 403));
	json_decref(items(&sw, "/api/v1/clocks?scope=team", 403));
	json_t *all = items(&sm, "/api/v1/clocks?scope=all&window=open", 200);
	assert_true(json_array_size(all) > 20);
	json_decref(all);
	/* Bad input is named. */
	json_decref(items(&sw, "/api/v1/clocks?window=someday", 400));
	json_decref(items(&sw, "/api/v1/clocks?days=-1&window=within", 400));
	json_decref(items(&sw, "/api/v1/clocks?scope=galaxy", 400));
}

static void test_one_clock_and_extension(void **state)
{
	struct client sw, tm;
	client_init(&sw, &srv);
	client_init(&tm, &srv);
	assert_int_equal(client_login(&sw, "asha.patel", DEMO_PASSWORD), 201);
	assert_int_equal(client_login(&tm, "dan.hughes", DEMO_PASSWORD), 201);
	char t16[64], t33[64];
	assert_true(find_clock(&sw, "/api/v1/clocks?window=open", "T-16", t16));
	char path[160];
	snprintf(path, sizeof path, "/api/v1/clocks/%s", t16);
	struct http_resp r;
	assert_int_equal(client_req(&sw, "GET", path, NULL, NULL, &r), 200);
	assert_non_null(json_string_value(json_object_get(r.json, "explanation")));
	assert_true(json_array_size(json_object_get(r.json, "history")) >= 1);
	resp_free(&r);
	/* A social worker may not extend; the team manager may, with a reason and a later date. */
	snprintf(path, sizeof path, "/api/v1/clocks/%s/extend", t16);
	assert_int_equal(client_req(&sw, "POST", path, NULL, "{\"new_due\":\"2030-01-31\",\"reason\":\"x\"}", &r), 403);
	resp_free(&r);
	assert_int_equal(client_req(&tm, "POST", path, NULL, "{\"new_due\":\"2030-02-30\",\"reason\":\"x\"}", &r), 422);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(r.json, "errors"), 0),
	                                                      "field")),
	                    "new_due");
	resp_free(&r);
	assert_int_equal(client_req(&tm, "POST", path, NULL, "{\"new_due\":\"2030-01-31\"}", &r), 422);
	resp_free(&r);
	assert_int_equal(client_req(&tm, "POST", path, NULL,
	                            "{\"new_due\":\"2030-01-31\",\"reason\":\"Parent in hospital; child seen late\"}", &r),
	                 200);
	assert_true(json_is_true(json_object_get(r.json, "extended")));
	assert_string_equal(json_string_value(json_object_get(r.json, "due_day")), "2030-01-31");
	resp_free(&r);
	/* The strategy discussion clock allows no extension: a breach reason instead. */
	if (find_clock(&tm, "/api/v1/clocks?scope=team&window=open", "T-33", t33)) {
		snprintf(path, sizeof path, "/api/v1/clocks/%s/extend", t33);
		assert_int_equal(client_req(&tm, "POST", path, NULL, "{\"new_due\":\"2030-01-31\",\"reason\":\"x\"}", &r),
		                 422);
		assert_non_null(strstr(buf_str(&r.body), "cannot be extended"));
		resp_free(&r);
	}
}

static void test_breach_reason_and_feed(void **state)
{
	struct client sw;
	client_init(&sw, &srv);
	assert_int_equal(client_login(&sw, "asha.patel", DEMO_PASSWORD), 201);
	char id[64];
	if (find_clock(&sw, "/api/v1/clocks?window=overdue", "T-06", id) ||
	    find_clock(&sw, "/api/v1/clocks?window=overdue", "T-16", id)) {
		char path[160];
		snprintf(path, sizeof path, "/api/v1/clocks/%s/breach-reason", id);
		struct http_resp r;
		assert_int_equal(client_req(&sw, "POST", path, NULL, "{\"reason\":\"\"}", &r), 422);
		resp_free(&r);
		assert_int_equal(client_req(&sw, "POST", path, NULL, "{\"reason\":\"Duty cover short\"}", &r), 200);
		assert_string_equal(json_string_value(json_object_get(r.json, "breach_reason")), "Duty cover short");
		resp_free(&r);
	}
	struct http_resp r;
	assert_int_equal(client_req(&sw, "GET", "/api/v1/me/deadlines.ics", NULL, NULL, &r), 200);
	assert_non_null(strstr(resp_header(&r, "Content-Type"), "text/calendar"));
	assert_memory_equal(r.body.data, "BEGIN:VCALENDAR\r\n", 17);
	assert_non_null(strstr(buf_str(&r.body), "BEGIN:VEVENT"));
	assert_non_null(strstr(buf_str(&r.body), "END:VCALENDAR\r\n"));
	/* No child's name leaves the system in a calendar. */
	assert_null(strstr(buf_str(&r.body), "Ashworth"));
	resp_free(&r);
	/* The pages render. */
	assert_int_equal(client_req(&sw, "GET", "/deadlines?window=open", NULL, NULL, &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "Deadlines"));
	resp_free(&r);
	assert_int_equal(client_req(&sw, "GET", "/", NULL, NULL, &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "Overdue"));
	resp_free(&r);
}

/* Someone unrelated to the child cannot see its clock: the same answer as no clock at all. */
static void test_unrelated_clock_hidden(void **state)
{
	struct client sw, other;
	client_init(&sw, &srv);
	client_init(&other, &srv);
	assert_int_equal(client_login(&sw, "asha.patel", DEMO_PASSWORD), 201);
	assert_int_equal(client_login(&other, "cara.nolan", DEMO_PASSWORD), 201);
	char id[64], path[160];
	assert_true(find_clock(&sw, "/api/v1/clocks?window=open", "T-16", id));
	snprintf(path, sizeof path, "/api/v1/clocks/%s", id);
	struct http_resp r;
	assert_int_equal(client_req(&other, "GET", path, NULL, NULL, &r), 404);
	resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_views),
		cmocka_unit_test(test_one_clock_and_extension),
		cmocka_unit_test(test_breach_reason_and_feed),
		cmocka_unit_test(test_unrelated_clock_hidden),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
