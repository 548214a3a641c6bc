/* Who may see what (issue 7), against the real server: (a) every route of the covered tables, for the demo user of
 * every role and a related and an unrelated child, answers as rules/access_matrix.txt says, and that table agrees
 * with the policy's JSON; (b) a restricted address never leaves the server for someone outside the list, until they
 * break the glass; (c) sessions: fixation, expiry, lock-out, bad cookies; (d) `safeguard audit verify` finds an
 * edited audit row. Shared set-up and the route walker are in access_fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/session.h"

#include "access_fixture.c" /* the fixture is part of this test: one translation unit per test binary */

static struct fixture fx;

static int setup(void **state)
{
	fixture_start(&fx);
	return 0;
}

static int teardown(void **state)
{
	return fixture_stop(&fx);
}

/* ---- (a) the authorisation matrix ---- */

static void test_matrix_agrees_with_policy_data(void **state)
{
	struct matrix m;
	matrix_load(&m, fx.srv.home);
	struct buf why;
	buf_init(&why, 0);
	int bad = matrix_check_json(&m, fx.srv.home, &why);
	if (bad) {
		fprintf(stderr, "rules/access_matrix.txt disagrees with rules/access*.json:\n%s", buf_str(&why));
		fail_msg("%d cells disagree (listed above)", bad);
	}
	buf_free(&why);
	matrix_free(&m);
}

static void test_every_route_answers_as_the_matrix_says(void **state)
{
	struct matrix m;
	matrix_load(&m, fx.srv.home);
	struct buf why;
	buf_init(&why, 0);
	int checked = 0;
	int bad = walk_matrix(&fx, &m, &why, &checked);
	if (bad) {
		fprintf(stderr, "route answers that disagree with rules/access_matrix.txt:\n%s", buf_str(&why));
		fail_msg("%d answers disagree (listed above)", bad);
	}
	/* Not vacuous: every role was tried on the covered routes. */
	assert_true(checked > 500);
	buf_free(&why);
	matrix_free(&m);
}

/* ---- (b) restricted fields ---- */

static bool on_restricted_list(const char *username)
{
	/* The allocated worker, her team manager and the service manager (child.restricted in rules/access.json). */
	return !strcmp(username, "asha.patel") || !strcmp(username, "dan.hughes") || !strcmp(username, "erin.walsh");
}

static void test_restricted_fields_never_sent_outside_the_list(void **state)
{
	struct buf why;
	buf_init(&why, 0);
	int pages = 0, leaks = 0;
	for (size_t i = 0; i < fixture_nusers; i++) {
		if (on_restricted_list(fixture_users[i].username))
			continue;
		leaks += scan_for_marker(&fx, fixture_users[i].username, &why, &pages);
	}
	leaks += scan_for_marker(&fx, "ben.okafor", &why, &pages);
	if (leaks) {
		fprintf(stderr, "the restricted marker left the server in:\n%s", buf_str(&why));
		fail_msg("%d answers held the restricted marker (listed above)", leaks);
	}
	assert_true(pages > 100);
	/* The marker is really there: those on the list see it. */
	struct client c;
	struct http_resp r;
	client_init(&c, &fx.srv);
	assert_int_equal(client_login(&c, "asha.patel", DEMO_PASSWORD), 201);
	assert_int_equal(client_req(&c, "GET", fixture_path(&fx, "/api/v1/children/%s", fx.child[0]), NULL, NULL, &r),
	                 200);
	assert_non_null(strstr(buf_str(&r.body), fx.marker));
	resp_free(&r);
	assert_int_equal(client_req(&c, "GET", fixture_path(&fx, "/api/v1/persons/%s", fx.person[0]), NULL, NULL, &r),
	                 200);
	assert_non_null(strstr(buf_str(&r.body), fx.marker));
	resp_free(&r);
	buf_free(&why);
}

static int get_contains(struct client *c, const char *path, const char *needle)
{
	struct http_resp r;
	int status = client_req(c, "GET", path, NULL, NULL, &r);
	int found = status == 200 && strstr(buf_str(&r.body), needle) != NULL;
	resp_free(&r);
	return found;
}

static void test_break_glass_shows_restricted_and_alerts_owner(void **state)
{
	struct client ben, asha, dan, jo, cara;
	struct http_resp r;
	client_init(&ben, &fx.srv);
	client_init(&asha, &fx.srv);
	client_init(&dan, &fx.srv);
	client_init(&jo, &fx.srv);
	client_init(&cara, &fx.srv);
	assert_int_equal(client_login(&ben, "ben.okafor", DEMO_PASSWORD), 201);
	assert_int_equal(client_login(&asha, "asha.patel", DEMO_PASSWORD), 201);
	assert_int_equal(client_login(&dan, "dan.hughes", DEMO_PASSWORD), 201);
	assert_int_equal(client_login(&jo, "jo.lindqvist", DEMO_PASSWORD), 201);
	assert_int_equal(client_login(&cara, "cara.nolan", DEMO_PASSWORD), 201);
	const char *child = fx.child[0];
	const char *api = fixture_path(&fx, "/api/v1/children/%s/break-glass", child);
	/* Refusals first: no reason; a role without the action; a worker with no link to the child. */
	assert_int_equal(client_req(&ben, "POST", api, NULL, "{}", &r), 422);
	resp_free(&r);
	assert_int_equal(client_req(&jo, "POST", api, NULL, "{\"reason\":\"Auditors do not break glass\"}", &r), 403);
	resp_free(&r);
	assert_int_equal(client_req(&cara, "POST", api, NULL, "{\"reason\":\"Not my team's child at all\"}", &r), 404);
	resp_free(&r);
	assert_false(get_contains(&ben, fixture_path(&fx, "/api/v1/children/%s", child), fx.marker));

	assert_int_equal(client_req(&ben, "POST", api, NULL,
	                            "{\"reason\":\"Police attending the home tonight need the address\"}", &r),
	                 201);
	assert_non_null(json_object_get(r.json, "expires_at"));
	resp_free(&r);
	/* JSON, the child's page, the person's contact details and the confidential document. */
	assert_true(get_contains(&ben, fixture_path(&fx, "/api/v1/children/%s", child), fx.marker));
	assert_true(get_contains(&ben, fixture_path(&fx, "/children/%s", child), fx.marker));
	assert_true(get_contains(&ben, fixture_path(&fx, "/api/v1/persons/%s", fx.person[0]), fx.marker));
	assert_true(get_contains(&ben, fixture_path(&fx, "/api/v1/documents/%s/content", fx.secret_doc), fx.marker));
	/* The grant is personal: the police officer involved still does not see it. */
	struct client gita;
	client_init(&gita, &fx.srv);
	assert_int_equal(client_login(&gita, "gita.rao", DEMO_PASSWORD), 201);
	assert_false(get_contains(&gita, fixture_path(&fx, "/api/v1/children/%s", child), fx.marker));

	/* Audited with the reason, in the same transaction as the grant. */
	assert_int_equal(fixture_sql_int(&fx,
	                                 "SELECT COUNT(*) FROM audit_log WHERE action = 'break_glass' AND child_id = $1 "
	                                 "AND reason = 'Police attending the home tonight need the address'",
	                                 child),
	                 1);
	/* The allocated worker and her team manager are alerted, on My work and in the API. */
	assert_true(get_contains(&asha, "/", "used emergency access"));
	assert_true(get_contains(&dan, "/", "Police attending the home tonight"));
	assert_int_equal(client_req(&asha, "GET", "/api/v1/me/alerts", NULL, NULL, &r), 200);
	json_t *a0 = json_array_get(json_object_get(r.json, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(a0, "kind")), "break_glass");
	assert_string_equal(json_string_value(json_object_get(a0, "child_id")), child);
	char alert[64];
	snprintf(alert, sizeof alert, "%s", json_string_value(json_object_get(a0, "id")));
	resp_free(&r);
	assert_false(get_contains(&ben, "/", "used emergency access"));
	/* Someone else cannot mark it; its owner can, and it leaves My work. */
	assert_int_equal(client_req(&dan, "POST", fixture_path(&fx, "/api/v1/me/alerts/%s/read", alert), NULL, "{}", &r),
	                 404);
	resp_free(&r);
	assert_int_equal(client_req(&asha, "POST", fixture_path(&fx, "/api/v1/me/alerts/%s/read", alert), NULL, "{}", &r),
	                 204);
	resp_free(&r);
	assert_false(get_contains(&asha, "/", "used emergency access"));
	/* The auditors' report lists it. */
	assert_true(get_contains(&jo, "/audit/break-glass", "Police attending the home tonight"));
	assert_int_equal(client_req(&jo, "GET", "/api/v1/audit/break-glass", NULL, NULL, &r), 200);
	assert_true(json_array_size(json_object_get(r.json, "items")) >= 1);
	resp_free(&r);

	/* When the grant expires the details are hidden again. */
	fixture_sql(&fx, "UPDATE break_glass_grants SET expires_at = granted_at - 3600, granted_at = granted_at - 7200 "
	                 "WHERE child_id = $1",
	            child, NULL);
	assert_false(get_contains(&ben, fixture_path(&fx, "/api/v1/children/%s", child), fx.marker));
	assert_int_equal(client_req(&ben, "GET", fixture_path(&fx, "/api/v1/documents/%s/content", fx.secret_doc), NULL,
	                            NULL, &r),
	                 404);
	resp_free(&r);
}

/* ---- (c) sessions ---- */

static void test_session_fixation_refused(void **state)
{
	struct client a, b;
	struct http_resp r;
	client_init(&a, &fx.srv);
	client_init(&b, &fx.srv);
	/* An attacker plants a live session cookie of their own in the victim's browser. */
	assert_int_equal(client_login(&a, "ian.brooks", DEMO_PASSWORD), 201);
	snprintf(b.cookie, sizeof b.cookie, "%s", a.cookie);
	assert_int_equal(client_login(&b, "hana.kowalski", DEMO_PASSWORD), 201);
	assert_string_not_equal(a.cookie, b.cookie);
	assert_int_equal(client_req(&a, "GET", "/api/v1/session", NULL, NULL, &r), 401);
	resp_free(&r);
	assert_int_equal(client_req(&b, "GET", "/api/v1/session", NULL, NULL, &r), 200);
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "user"), "username")),
	                    "hana.kowalski");
	resp_free(&r);
	/* A token the client chose itself is never adopted. */
	struct client c;
	client_init(&c, &fx.srv);
	snprintf(c.cookie, sizeof c.cookie, "sg_session=%s", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	char chosen[256];
	snprintf(chosen, sizeof chosen, "%s", c.cookie);
	assert_int_equal(client_req(&c, "GET", "/api/v1/session", NULL, NULL, &r), 401);
	resp_free(&r);
	assert_int_equal(client_login(&c, "hana.kowalski", DEMO_PASSWORD), 201);
	assert_string_not_equal(c.cookie, chosen);
	snprintf(c.cookie, sizeof c.cookie, "%s", chosen);
	assert_int_equal(client_req(&c, "GET", "/api/v1/session", NULL, NULL, &r), 401);
	resp_free(&r);
}

static void test_expired_and_deleted_sessions_sign_out(void **state)
{
	struct client c;
	struct http_resp r;
	client_init(&c, &fx.srv);
	assert_int_equal(client_login(&c, "ian.brooks", DEMO_PASSWORD), 201);
	const char *uid = fixture_user_id(&fx, "ian.brooks");
	fixture_sql(&fx, "UPDATE sessions SET expires_at = '2000-01-01T00:00:00Z' WHERE user_id = $1", uid, NULL);
	assert_int_equal(client_req(&c, "GET", "/api/v1/session", NULL, NULL, &r), 401);
	assert_non_null(strstr(buf_str(&r.body), "expired"));
	resp_free(&r);
	/* The expired session's row is gone (the database keeps only the hash of the cookie). */
	char sid[SESSION_ID_SIZE];
	session_id_for_token(strchr(c.cookie, '=') + 1, sid);
	assert_int_equal(fixture_sql_int(&fx, "SELECT COUNT(*) FROM sessions WHERE id = $1", sid), 0);

	assert_int_equal(client_login(&c, "ian.brooks", DEMO_PASSWORD), 201);
	assert_int_equal(client_req(&c, "GET", "/api/v1/session", NULL, NULL, &r), 200);
	resp_free(&r);
	fixture_sql(&fx, "DELETE FROM sessions WHERE user_id = $1", uid, NULL);
	assert_int_equal(client_req(&c, "GET", "/api/v1/session", NULL, NULL, &r), 401);
	resp_free(&r);
	assert_int_equal(client_req(&c, "GET", "/children", NULL, NULL, &r), 303);
	assert_non_null(strstr(resp_header(&r, "Location"), "/sign-in"));
	resp_free(&r);
}

static void test_lockout_after_five_wrong_passwords(void **state)
{
	const char *uid = fixture_create_user(&fx, "lock.test", "team_manager");
	struct client c;
	client_init(&c, &fx.srv);
	for (int i = 0; i < 4; i++)
		assert_int_equal(client_login(&c, "lock.test", "not-the-password-at-all"), 401);
	/* The fifth wrong password locks the account; then even the right one is refused, without being checked. */
	assert_int_equal(client_login(&c, "lock.test", "not-the-password-at-all"), 429);
	assert_int_equal(client_login(&c, "lock.test", FIXTURE_PASSWORD), 429);
	assert_int_equal(fixture_sql_int(&fx, "SELECT COUNT(*) FROM audit_log WHERE action = 'lockout' AND object_id = $1",
	                                 uid),
	                 1);
	assert_int_equal(fixture_sql_int(&fx, "SELECT COUNT(*) FROM audit_log WHERE action = 'login_failed' "
	                                      "AND object_id = $1",
	                                 uid),
	                 6);
	/* The administrator lifts it, audited. */
	struct client kim;
	struct http_resp r;
	client_init(&kim, &fx.srv);
	assert_int_equal(client_login(&kim, "kim.adeyemi", DEMO_PASSWORD), 201);
	assert_int_equal(client_req(&kim, "POST", fixture_path(&fx, "/api/v1/users/%s/unlock", uid), NULL, "{}", &r),
	                 200);
	resp_free(&r);
	assert_int_equal(fixture_sql_int(&fx, "SELECT COUNT(*) FROM audit_log WHERE action = 'unlock' AND object_id = $1",
	                                 uid),
	                 1);
	assert_int_equal(client_login(&c, "lock.test", FIXTURE_PASSWORD), 201);
}

static void test_bad_cookies_are_signed_out(void **state)
{
	static const char *const cookies[] = {
		"sg_session=!!!not-a-token!!!",
		"sg_session=*AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"sg_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"sg_session=",
		";;;===;sg_session;=;",
		"sg_session=%00%00%00",
		"sg_session=\"quoted\"",
		"other=1; sg_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA; sg_session=x",
	};
	struct client c;
	struct http_resp r;
	client_init(&c, &fx.srv);
	struct buf raw, big;
	buf_init(&raw, 0);
	buf_init(&big, 0);
	for (size_t i = 0; i <= sizeof cookies / sizeof cookies[0]; i++) {
		const char *cookie = cookies[i < sizeof cookies / sizeof cookies[0] ? i : 0];
		if (i == sizeof cookies / sizeof cookies[0]) {
			/* Oversized: a few kilobytes of cookie, still inside the server's header limit. */
			buf_adds(&big, "sg_session=");
			for (int k = 0; k < 3000; k++)
				buf_addc(&big, 'A');
			cookie = buf_str(&big);
		}
		buf_reset(&raw);
		buf_addf(&raw, "GET /api/v1/session HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\nCookie: %s\r\n"
		               "Connection: close\r\n\r\n", cookie);
		int status = client_raw(&c, raw.data, raw.len, &r);
		if (status != 401)
			fail_msg("cookie %zu: status %d, want 401 (signed out)", i, status);
		resp_free(&r);
		buf_reset(&raw);
		buf_addf(&raw, "GET /children HTTP/1.1\r\nHost: x\r\nCookie: %s\r\nConnection: close\r\n\r\n", cookie);
		assert_int_equal(client_raw(&c, raw.data, raw.len, &r), 303);
		resp_free(&r);
	}
	/* Far beyond any header limit: refused, and the server carries on. */
	buf_reset(&big);
	buf_adds(&big, "sg_session=");
	for (int k = 0; k < 200000; k++)
		buf_addc(&big, 'A');
	buf_reset(&raw);
	buf_addf(&raw, "GET /api/v1/session HTTP/1.1\r\nHost: x\r\nCookie: %s\r\nConnection: close\r\n\r\n",
	         buf_str(&big));
	int status = client_raw(&c, raw.data, raw.len, &r);
	assert_true(status == 401 || status == 431 || status == 413 || status == 400 || status == 0);
	resp_free(&r);
	assert_int_equal(client_req(&c, "GET", "/healthz", NULL, NULL, &r), 200);
	resp_free(&r);
	buf_free(&raw);
	buf_free(&big);
}

/* ---- (d) the audit chain ---- */

static void test_audit_verify_finds_edited_row(void **state)
{
	struct buf out;
	buf_init(&out, 0);
	const char *verify[] = {"audit", "verify", "--home", fx.srv.home, NULL};
	int rc = testsrv_run(&fx.srv, &out, verify);
	if (rc != 0)
		fail_msg("audit verify failed on an untouched log (%d): %s", rc, buf_str(&out));
	assert_non_null(strstr(buf_str(&out), "chain intact"));
	/* Edit one entry behind the application's back, as someone with the database file could. */
	assert_int_equal(fixture_sql_int(&fx, "SELECT COUNT(*) FROM audit_log WHERE seq = CAST($1 AS INTEGER)", "7"), 1);
	assert_int_equal(fixture_sqlite3_cli(&fx, "UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 7;"), 0);
	buf_reset(&out);
	rc = testsrv_run(&fx.srv, &out, verify);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(buf_str(&out), "chain broken at entry 7"));
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix_agrees_with_policy_data),
		cmocka_unit_test(test_every_route_answers_as_the_matrix_says),
		cmocka_unit_test(test_restricted_fields_never_sent_outside_the_list),
		cmocka_unit_test(test_break_glass_shows_restricted_and_alerts_owner),
		cmocka_unit_test(test_session_fixation_refused),
		cmocka_unit_test(test_expired_and_deleted_sessions_sign_out),
		cmocka_unit_test(test_lockout_after_five_wrong_passwords),
		cmocka_unit_test(test_bad_cookies_are_signed_out),
		cmocka_unit_test(test_audit_verify_finds_edited_row),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
