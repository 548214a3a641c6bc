/* The read path's view cache (api/view_cache.h) against the real server: a kept view is served only to a request
 * that sees exactly the data it was built from, and every read still checks the session and the policy and is still
 * audited. One worker thread, so every read after the first meets the same connection and its cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "testsrv.h"

static struct testsrv srv;
static struct store *db; /* the test's own connection: a writer outside the server */

static int setup(void **state)
{
	setenv("SAFEGUARD_THREADS", "1", 1);
	testsrv_start(&srv, true);
	struct buf err;
	buf_init(&err, 0);
	assert_int_equal(store_open(&db, srv.db, NULL, &err), STORE_OK);
	buf_free(&err);
	return 0;
}

static int teardown(void **state)
{
	store_close(db);
	assert_int_equal(testsrv_stop(&srv), 0);
	return 0;
}

static void sql(const char *text, const char *a, const char *b)
{
	assert_int_equal(store_begin(db), STORE_OK);
	struct store_stmt *s = store_prepare(db, text);
	assert_non_null(s);
	store_bind_text(s, 1, a);
	if (b)
		store_bind_text(s, 2, b);
	assert_int_equal(store_step(s), STORE_DONE);
	assert_int_equal(store_commit(db), STORE_OK);
}

static char *create_child(struct client *c, const char *body)
{
	struct http_resp r;
	assert_int_equal(client_req(c, "POST", "/api/v1/children", NULL, body, &r), 201);
	char *id = strdup(json_string_value(json_object_get(r.json, "id")));
	resp_free(&r);
	return id;
}

/* GETs path and returns the body (malloc'd); the status must be want. */
static char *get(struct client *c, const char *path, int want)
{
	struct http_resp r;
	assert_int_equal(client_req(c, "GET", path, NULL, NULL, &r), want);
	char *body = strdup(buf_str(&r.body));
	resp_free(&r);
	return body;
}

/* Reads audited for the child: the read-audit queue commits within a tenth of a second, so wait up to 5 s. */
static int64_t reads_audited(const char *child, int64_t at_least)
{
	int64_t n = -1;
	for (int i = 0; i < 100; i++) {
		n = store_query_int(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'read' AND child_id = $1", child);
		if (n >= at_least)
			break;
		usleep(50000);
	}
	return n;
}

static void test_repeated_reads_same_bytes_each_audited(void **state)
{
	struct client c;
	client_init(&c, &srv);
	assert_int_equal(client_login(&c, "asha.patel", DEMO_PASSWORD), 201);
	char *id = create_child(&c, "{\"forenames\":\"Kept\",\"surname\":\"View\",\"dob\":\"2018-08-08\"}");
	char path[128];
	snprintf(path, sizeof path, "/api/v1/children/%s", id);
	char *first = get(&c, path, 200);
	for (int i = 0; i < 5; i++) {
		char *again = get(&c, path, 200);
		assert_string_equal(again, first);
		free(again);
	}
	assert_int_equal(reads_audited(id, 6), 6);
	free(first);
	free(id);
}

/* Someone on the restricted list reads first (the full view is built and kept); someone off it reads next, and the
 * other way round: each gets the view the policy gives them. */
static void test_restricted_view_never_served_to_others(void **state)
{
	struct client off, on;
	client_init(&off, &srv);
	client_init(&on, &srv);
	assert_int_equal(client_login(&off, "asha.patel", DEMO_PASSWORD), 201);
	assert_int_equal(client_login(&on, "erin.walsh", DEMO_PASSWORD), 201);
	char *id = create_child(&off, "{\"forenames\":\"Refuge\",\"surname\":\"Cached\",\"dob\":\"2017-07-07\","
	                              "\"address\":\"Refuge House 12\",\"postcode\":\"ZZ9 8ZZ\"}");
	char path[128];
	snprintf(path, sizeof path, "/api/v1/children/%s", id);
	for (int round = 0; round < 3; round++) {
		char *full = get(&on, path, 200), *hidden = get(&off, path, 200);
		assert_non_null(strstr(full, "Refuge House 12"));
		assert_null(strstr(hidden, "Refuge House"));
		assert_null(strstr(hidden, "ZZ9"));
		assert_non_null(strstr(hidden, "restricted_fields"));
		free(full);
		free(hidden);
		hidden = get(&off, path, 200);
		full = get(&on, path, 200);
		assert_null(strstr(hidden, "Refuge House"));
		assert_non_null(strstr(full, "Refuge House 12"));
		free(full);
		free(hidden);
	}
	free(id);
}

/* A change through the API, and a change by another process straight into the database, are both seen by the
 * very next read. */
static void test_changes_seen_at_once(void **state)
{
	struct client c;
	client_init(&c, &srv);
	assert_int_equal(client_login(&c, "asha.patel", DEMO_PASSWORD), 201);
	char *id = create_child(&c, "{\"forenames\":\"Before\",\"surname\":\"Change\",\"dob\":\"2015-05-05\"}");
	char path[128];
	snprintf(path, sizeof path, "/api/v1/children/%s", id);
	for (int i = 0; i < 3; i++)
		free(get(&c, path, 200));
	struct http_resp r;
	assert_int_equal(client_req(&c, "PATCH", path, NULL, "{\"forenames\":\"Patched\"}", &r), 200);
	resp_free(&r);
	char *body = get(&c, path, 200);
	assert_non_null(strstr(body, "\"Patched\""));
	free(body);
	for (int i = 0; i < 3; i++)
		free(get(&c, path, 200));
	sql("UPDATE children SET forenames = 'Outside' WHERE id = $1", id, NULL);
	body = get(&c, path, 200);
	assert_non_null(strstr(body, "\"Outside\""));
	assert_null(strstr(body, "Patched"));
	free(body);
	free(id);
}

/* The session is checked on every read, cached view or not: a disabled account or an ended session is refused at
 * once. */
static void test_session_checked_on_every_read(void **state)
{
	struct client c, admin;
	client_init(&c, &srv);
	client_init(&admin, &srv);
	assert_int_equal(client_login(&c, "cara.nolan", DEMO_PASSWORD), 201);
	char *id = create_child(&c, "{\"forenames\":\"Session\",\"surname\":\"Check\",\"dob\":\"2014-04-04\"}");
	char path[128];
	snprintf(path, sizeof path, "/api/v1/children/%s", id);
	for (int i = 0; i < 3; i++)
		free(get(&c, path, 200));
	sql("UPDATE users SET disabled = 1 WHERE username = $1", "cara.nolan", NULL);
	free(get(&c, path, 401));
	sql("UPDATE users SET disabled = 0 WHERE username = $1", "cara.nolan", NULL);
	free(get(&c, path, 200));
	sql("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = $1)", "cara.nolan", NULL);
	free(get(&c, path, 401));
	free(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repeated_reads_same_bytes_each_audited),
		cmocka_unit_test(test_restricted_view_never_served_to_others),
		cmocka_unit_test(test_changes_seen_at_once),
		cmocka_unit_test(test_session_checked_on_every_read),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
