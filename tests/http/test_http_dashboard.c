/* The managers' dashboards and bulk reassignment (U11) against the real server: who sees which dashboard; the
 * figures checked against the database directly; reassigning 10, 100 and 200 cases created through the API in one
 * call each (one audit entry per case, one chronology entry per child, deadlines following the case); the whole
 * batch refused, naming the cases, when any one may not be reassigned; and the same journey through the pages,
 * without script: tick, check, confirm. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "testsrv.h"

static struct testsrv srv;
static struct client sw, mgr, mgr_b, smgr, auditor, admin;
static char asha[64], ben[64], cara[64], dan[64], team_a[64], team_b[64];

/* A page (or form post): its status, and its HTML kept in out (may be NULL). */
static void page(struct client *c, const char *method, const char *path, const char *form, int want, struct buf *out)
{
	struct http_resp r;
	int got = client_req(c, method, path, form ? "application/x-www-form-urlencoded" : NULL, form, &r);
	if (got != want)
		fail_msg("%s %s: status %d, want %d: %.3000s", method, path, got, want, buf_str(&r.body));
	if (out) {
		buf_reset(out);
		buf_add(out, r.body.data ? r.body.data : "", r.body.len);
		if (got == 303)
			buf_adds(out, resp_header(&r, "Location"));
	}
	resp_free(&r);
}

static void expect_in(const struct buf *b, const char *want)
{
	if (!strstr(buf_str(b), want))
		fail_msg("the page lacks \"%s\"", want);
}

/* One number from the test's own view of the database (read-only, beside the running server). */
static int64_t sql_int(const char *sql, const char *arg)
{
	struct store *st;
	struct buf err;
	buf_init(&err, 0);
	struct store_options opt = {.read_only = true};
	if (store_open(&st, srv.db, &opt, &err) != STORE_OK)
		fail_msg("cannot open the test database: %s", buf_str(&err));
	int64_t n = store_query_int(st, sql, arg);
	store_close(st);
	buf_free(&err);
	return n;
}

static int setup(void **state)
{
	testsrv_start(&srv, true);
	tc_login(&srv, &sw, "asha.patel", asha);
	tc_login(&srv, &mgr, "dan.hughes", dan);
	tc_login(&srv, &mgr_b, "ella.shaw", NULL);
	tc_login(&srv, &smgr, "erin.walsh", NULL);
	tc_login(&srv, &auditor, "jo.lindqvist", NULL);
	tc_login(&srv, &admin, "kim.adeyemi", NULL);
	struct client tmp;
	tc_login(&srv, &tmp, "ben.okafor", ben);
	tc_login(&srv, &tmp, "cara.nolan", cara);
	json_t *d = tc_call(&mgr, "GET", "/api/v1/dashboard", NULL, 200);
	snprintf(team_a, sizeof team_a, "%s", tc_str(json_object_get(d, "team"), "id"));
	json_decref(d);
	d = tc_call(&mgr_b, "GET", "/api/v1/dashboard", NULL, 200);
	snprintf(team_b, sizeof team_b, "%s", tc_str(json_object_get(d, "team"), "id"));
	json_decref(d);
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(testsrv_stop(&srv), 0);
	return 0;
}

/* ---- who sees what ---- */

static void test_scopes(void **state)
{
	char team_a_path[160], team_b_path[160];
	snprintf(team_a_path, sizeof team_a_path, "/api/v1/dashboard?team=%s", team_a);
	snprintf(team_b_path, sizeof team_b_path, "/api/v1/dashboard?team=%s", team_b);
	static const struct {
		struct client *c;
		int which; /* 0 own, 1 team A, 2 team B */
		int status;
		const char *scope;
	} cases[] = {
		{&mgr, 0, 200, "team"},      {&mgr, 1, 200, "team"},       {&mgr, 2, 403, NULL},
		{&smgr, 0, 200, "authority"}, {&smgr, 2, 200, "team"},     {&auditor, 0, 200, "authority"},
		{&auditor, 1, 200, "team"},  {&sw, 0, 403, NULL},          {&admin, 0, 403, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *path = cases[i].which == 0 ? "/api/v1/dashboard" : cases[i].which == 1 ? team_a_path : team_b_path;
		json_t *r = tc_call(cases[i].c, "GET", path, NULL, cases[i].status);
		if (cases[i].scope && strcmp(tc_str(r, "scope"), cases[i].scope) != 0)
			fail_msg("case %zu: scope %s, want %s", i, tc_str(r, "scope"), cases[i].scope);
		json_decref(r);
	}
	/* The navigation shows the dashboard to those who may see one. */
	struct buf b;
	buf_init(&b, 0);
	page(&mgr, "GET", "/", NULL, 200, &b);
	expect_in(&b, "href=\"/dashboard\"");
	page(&sw, "GET", "/", NULL, 200, &b);
	assert_null(strstr(buf_str(&b), "href=\"/dashboard\""));
	page(&sw, "GET", "/dashboard", NULL, 403, NULL);
	buf_free(&b);
}

/* ---- the figures, against the database ---- */

static void test_figures(void **state)
{
	json_t *a = tc_call(&smgr, "GET", "/api/v1/dashboard", NULL, 200);
	json_t *totals = json_object_get(a, "totals");
	assert_int_equal(json_integer_value(json_object_get(totals, "open_cases")),
	                 sql_int("SELECT COUNT(*) FROM cases WHERE closed_at IS NULL", NULL));
	/* Children on a plan whose case has no worker: the database says which, independently of the view's query. */
	int64_t unallocated = sql_int("SELECT COUNT(*) FROM cases c LEFT JOIN users u ON u.id = c.allocated_user_id "
	                              "WHERE c.closed_at IS NULL AND c.stage = 'cp_plan' AND (u.id IS NULL OR "
	                              "u.disabled = 1)", NULL);
	assert_true(unallocated > 0); /* the demo data has some, so the check below means something */
	assert_int_equal(json_array_size(json_object_get(a, "on_plan_no_worker")), unallocated);
	int64_t overdue = 0;
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(a, "teams"), i, t) overdue += json_integer_value(json_object_get(t, "overdue"));
	assert_int_equal(overdue, json_integer_value(json_object_get(totals, "overdue")));
	assert_int_equal(overdue, sql_int("SELECT COUNT(*) FROM clocks WHERE state = 'running' AND due_at < "
	                                  "CAST(strftime('%s', 'now') AS INTEGER)", NULL));
	json_decref(a);
	/* Each worker's figures. */
	json_t *d = tc_call(&mgr, "GET", "/api/v1/dashboard", NULL, 200);
	json_t *w;
	bool saw_asha = false;
	json_array_foreach(json_object_get(d, "workers"), i, w) {
		const char *id = tc_str(w, "id");
		assert_int_equal(json_integer_value(json_object_get(w, "open_cases")),
		                 sql_int("SELECT COUNT(*) FROM cases WHERE allocated_user_id = $1 AND closed_at IS NULL", id));
		assert_int_equal(json_integer_value(json_object_get(w, "overdue")),
		                 sql_int("SELECT COUNT(*) FROM clocks WHERE responsible_user_id = $1 AND state = 'running' "
		                         "AND due_at < CAST(strftime('%s', 'now') AS INTEGER)", id));
		saw_asha = saw_asha || strcmp(id, asha) == 0;
	}
	assert_true(saw_asha);
	json_decref(d);
	/* The authority page: a chart a screen reader can read, and the same figures as a table. */
	struct buf b;
	buf_init(&b, 0);
	page(&smgr, "GET", "/dashboard", NULL, 200, &b);
	expect_in(&b, "role=\"img\"");
	expect_in(&b, "aria-label=\"Overdue statutory deadlines by team: ");
	expect_in(&b, "<title>Overdue statutory deadlines by team</title>");
	expect_in(&b, "Caseloads and overdue statutory deadlines by team</caption>");
	expect_in(&b, "Family Safeguarding Team B");
	page(&mgr, "GET", "/dashboard", NULL, 200, &b);
	expect_in(&b, "Open cases and overdue statutory deadlines by worker");
	expect_in(&b, "name=\"case_id\"");
	/* An auditor sees a team's cases but cannot reassign them. */
	char path[160];
	snprintf(path, sizeof path, "/dashboard?team=%s", team_a);
	page(&auditor, "GET", path, NULL, 200, &b);
	expect_in(&b, "Open cases in the team");
	assert_null(strstr(buf_str(&b), "name=\"case_id\""));
	buf_free(&b);
}

/* ---- bulk reassignment ---- */

/* n new children, each with a case opened by Asha (so allocated to her, in team A); ids into out. */
static void make_cases(int n, char (*out)[64], const char *tag)
{
	for (int i = 0; i < n; i++) {
		char body[256], path[128];
		/* Numbered names look alike on purpose, so each is confirmed as not a duplicate (U6). */
		snprintf(body, sizeof body,
		         "{\"forenames\":\"Bulk%s\",\"surname\":\"Child%03d\",\"dob\":\"2015-01-%02d\","
		         "\"not_duplicate\":true}",
		         tag, i, 1 + i % 28);
		json_t *c = tc_call(&sw, "POST", "/api/v1/children", body, 201);
		snprintf(path, sizeof path, "/api/v1/children/%s/cases", tc_str(c, "id"));
		json_decref(c);
		json_t *k = tc_call(&sw, "POST", path, "{}", 201);
		snprintf(out[i], 64, "%s", tc_str(k, "id"));
		json_decref(k);
	}
}

static char *ids_json(char (*ids)[64], int n, const char *extra)
{
	struct buf b;
	buf_init(&b, 0);
	buf_adds(&b, "[");
	for (int i = 0; i < n; i++)
		buf_addf(&b, "%s\"%s\"", i ? "," : "", ids[i]);
	if (extra)
		buf_addf(&b, "%s\"%s\"", n ? "," : "", extra);
	buf_adds(&b, "]");
	return buf_detach(&b);
}

static void reassign_batch(int n)
{
	char (*ids)[64] = calloc((size_t)n, 64);
	char tag[16];
	snprintf(tag, sizeof tag, "N%d", n);
	make_cases(n, ids, tag);
	int64_t audit_before = sql_int("SELECT COUNT(*) FROM audit_log WHERE action = 'update' AND object_type = 'case' "
	                               "AND actor_user_id = $1", dan);
	char *list = ids_json(ids, n, NULL);
	struct buf body;
	buf_init(&body, 0);
	buf_addf(&body, "{\"case_ids\":%s,\"to_user_id\":\"%s\",\"reason\":\"Asha moves to the court team\"}", list, ben);
	json_t *r = tc_call(&mgr, "POST", "/api/v1/cases/reassign", buf_str(&body), 200);
	assert_int_equal(json_integer_value(json_object_get(r, "reassigned")), n);
	assert_int_equal(json_integer_value(json_object_get(r, "unchanged")), 0);
	assert_int_equal(json_array_size(json_object_get(r, "cases")), n);
	json_decref(r);
	/* Every case moved; one audit entry per case; one chronology entry per child. */
	for (int i = 0; i < n; i++)
		assert_int_equal(sql_int("SELECT COUNT(*) FROM cases WHERE id = $1 AND allocated_user_id = "
		                         "(SELECT id FROM users WHERE username = 'ben.okafor')", ids[i]),
		                 1);
	assert_int_equal(sql_int("SELECT COUNT(*) FROM audit_log WHERE action = 'update' AND object_type = 'case' AND "
	                         "actor_user_id = $1", dan) - audit_before, n);
	for (int i = 0; i < n; i += n > 20 ? 17 : 1) {
		assert_int_equal(sql_int("SELECT COUNT(*) FROM chronology WHERE event_type = 'case_reassigned' AND child_id = "
		                         "(SELECT child_id FROM cases WHERE id = $1)", ids[i]),
		                 1);
		assert_int_equal(sql_int("SELECT COUNT(*) FROM audit_log WHERE action = 'update' AND object_id = $1 AND "
		                         "reason = 'Asha moves to the court team'", ids[i]),
		                 1);
	}
	/* The same batch again changes nothing and writes nothing. */
	r = tc_call(&mgr, "POST", "/api/v1/cases/reassign", buf_str(&body), 200);
	assert_int_equal(json_integer_value(json_object_get(r, "reassigned")), 0);
	assert_int_equal(json_integer_value(json_object_get(r, "unchanged")), n);
	json_decref(r);
	assert_int_equal(sql_int("SELECT COUNT(*) FROM audit_log WHERE action = 'update' AND object_type = 'case' AND "
	                         "actor_user_id = $1", dan) - audit_before, n);
	buf_free(&body);
	free(list);
	free(ids);
}

static void test_reassign_10(void **state)
{
	reassign_batch(10);
}

static void test_reassign_100(void **state)
{
	reassign_batch(100);
}

static void test_reassign_200(void **state)
{
	reassign_batch(200);
}

/* A case's running deadlines that its worker held follow it to the new worker, with their history. */
static void test_deadlines_follow_the_case(void **state)
{
	json_t *d = tc_call(&mgr, "GET", "/api/v1/dashboard", NULL, 200);
	char case_id[64] = "", child[64] = "";
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(d, "cases"), i, c) {
		if (!case_id[0] && json_integer_value(json_object_get(c, "overdue")) > 0 &&
		    strcmp(tc_str(c, "worker_id"), asha) == 0) {
			snprintf(case_id, sizeof case_id, "%s", tc_str(c, "case_id"));
			snprintf(child, sizeof child, "%s", tc_str(c, "child_id"));
		}
	}
	json_decref(d);
	assert_true(case_id[0]);
	int64_t held = sql_int("SELECT COUNT(*) FROM clocks WHERE case_id = $1 AND state = 'running' AND "
	                       "responsible_user_id = (SELECT id FROM users WHERE username = 'asha.patel')", case_id);
	assert_true(held > 0);
	char body[512];
	snprintf(body, sizeof body, "{\"case_ids\":[\"%s\"],\"to_user_id\":\"%s\",\"reason\":\"Caseload balancing\"}",
	         case_id, ben);
	json_decref(tc_call(&mgr, "POST", "/api/v1/cases/reassign", body, 200));
	assert_int_equal(sql_int("SELECT COUNT(*) FROM clocks WHERE case_id = $1 AND state = 'running' AND "
	                         "responsible_user_id = (SELECT id FROM users WHERE username = 'ben.okafor')", case_id),
	                 held);
	assert_int_equal(sql_int("SELECT COUNT(*) FROM clock_history h JOIN clocks k ON k.id = h.clock_id WHERE "
	                         "k.case_id = $1 AND h.change = 'reassigned'", case_id),
	                 held);
	/* Ben's "my work" now lists them; the child's chronology says why. */
	char path[128];
	snprintf(path, sizeof path, "/api/v1/children/%s/chronology?type=case_reassigned", child);
	json_t *chron = tc_call(&mgr, "GET", path, NULL, 200);
	assert_int_equal(json_array_size(json_object_get(chron, "items")), 1);
	assert_non_null(strstr(tc_str(json_array_get(json_object_get(chron, "items"), 0), "summary"), "Caseload balancing"));
	json_decref(chron);
}

/* Refusals: each answers with the field or the cases at fault, and nothing is reassigned. */
static void test_refusals(void **state)
{
	char mine[3][64], theirs[64] = "";
	make_cases(3, mine, "Refused");
	/* A case of team B, which Dan does not manage. */
	json_t *d = tc_call(&mgr_b, "GET", "/api/v1/dashboard", NULL, 200);
	snprintf(theirs, sizeof theirs, "%s", tc_str(json_array_get(json_object_get(d, "cases"), 0), "case_id"));
	json_decref(d);
	char (*many)[64] = calloc(201, 64);
	for (int i = 0; i < 201; i++)
		snprintf(many[i], 64, "cas_%016d", i);
	char *three = ids_json(mine, 3, NULL), *with_b = ids_json(mine, 3, theirs),
	     *with_missing = ids_json(mine, 3, "cas_0000000000000000"), *too_many = ids_json(many, 201, NULL);
	struct {
		struct client *c;
		const char *ids, *to, *reason;
		int status;
		const char *field, *names;
	} cases[] = {
		{&mgr, "[]", ben, "x", 422, "case_ids", NULL},
		{&mgr, too_many, ben, "x", 422, "case_ids", "at most 200"},
		{&mgr, three, "", "x", 422, "to_user_id", NULL},
		{&mgr, three, "usr_0000000000000000", "x", 422, "to_user_id", NULL},
		{&mgr, three, cara, "x", 422, "to_user_id", "own team"},
		{&mgr, three, ben, "  ", 422, "reason", NULL},
		{&mgr, with_b, ben, "x", 403, "case_ids", theirs},
		{&mgr, with_missing, ben, "x", 403, "case_ids", "cas_0000000000000000"},
		{&sw, three, ben, "x", 403, NULL, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf body;
		buf_init(&body, 0);
		buf_addf(&body, "{\"case_ids\":%s,\"to_user_id\":\"%s\",\"reason\":\"%s\"}", cases[i].ids, cases[i].to,
		         cases[i].reason);
		struct http_resp r;
		int got = client_req(cases[i].c, "POST", "/api/v1/cases/reassign", NULL, buf_str(&body), &r);
		if (got != cases[i].status)
			fail_msg("case %zu: status %d, want %d: %s", i, got, cases[i].status, buf_str(&r.body));
		if (cases[i].field) {
			const char *f = json_string_value(json_object_get(json_array_get(json_object_get(r.json, "errors"), 0),
			                                                  "field"));
			if (!f || strncmp(f, cases[i].field, strlen(cases[i].field)) != 0)
				fail_msg("case %zu: error field %s, want %s", i, f ? f : "(none)", cases[i].field);
		}
		if (cases[i].names && !strstr(buf_str(&r.body), cases[i].names))
			fail_msg("case %zu: the refusal does not name %s: %s", i, cases[i].names, buf_str(&r.body));
		resp_free(&r);
		buf_free(&body);
	}
	/* Nothing moved: Asha still holds all three, and the refusal about team B's child was audited. */
	for (int i = 0; i < 3; i++)
		assert_int_equal(sql_int("SELECT COUNT(*) FROM cases WHERE id = $1 AND allocated_user_id = "
		                         "(SELECT id FROM users WHERE username = 'asha.patel')", mine[i]),
		                 1);
	assert_true(sql_int("SELECT COUNT(*) FROM audit_log WHERE action = 'access_denied' AND object_id = $1", theirs) >= 1);
	/* Without the CSRF token the API refuses before anything else. */
	char saved[128];
	snprintf(saved, sizeof saved, "%s", mgr.csrf);
	mgr.csrf[0] = '\0';
	char body[512];
	snprintf(body, sizeof body, "{\"case_ids\":%s,\"to_user_id\":\"%s\",\"reason\":\"x\"}", three, ben);
	json_decref(tc_call(&mgr, "POST", "/api/v1/cases/reassign", body, 403));
	snprintf(mgr.csrf, sizeof mgr.csrf, "%s", saved);
	free(three);
	free(with_b);
	free(with_missing);
	free(too_many);
	free(many);
}

/* The page journey, without script: select all of a worker's cases, check, confirm; a refusal keeps the ticks. */
static void test_pages(void **state)
{
	char ids[200][64];
	make_cases(200, ids, "Page");
	struct buf b, form;
	buf_init(&b, 0);
	buf_init(&form, 0);
	char path[256];
	snprintf(path, sizeof path, "/dashboard?team=%s&worker=%s&select=all", team_a, asha);
	page(&mgr, "GET", path, NULL, 200, &b);
	expect_in(&b, "Select all");
	char want[128];
	snprintf(want, sizeof want, "value=\"%s\" checked", ids[199]);
	expect_in(&b, want);
	/* No reason: refused, with the error summary, and every tick kept. */
	for (int i = 0; i < 200; i++)
		buf_addf(&form, "&case_id=%s", ids[i]);
	char *ticks = buf_detach(&form);
	buf_init(&form, 0);
	buf_addf(&form, "csrf=%s&team=%s&to_user_id=%s&reason=%s", mgr.csrf, team_a, ben, ticks);
	page(&mgr, "POST", "/dashboard/reassign/check", buf_str(&form), 422, &b);
	expect_in(&b, "govuk-error-summary");
	expect_in(&b, "Give the reason for the reassignment");
	expect_in(&b, want);
	/* With a reason: the confirmation page lists what will change. */
	buf_reset(&form);
	buf_addf(&form, "csrf=%s&team=%s&to_user_id=%s&reason=Team%%20restructure%s", mgr.csrf, team_a, ben, ticks);
	free(ticks);
	page(&mgr, "POST", "/dashboard/reassign/check", buf_str(&form), 200, &b);
	expect_in(&b, "Check the reassignment");
	expect_in(&b, "Reassign 200 cases");
	expect_in(&b, "BulkPage Child199");
	assert_int_equal(sql_int("SELECT COUNT(*) FROM cases WHERE allocated_user_id = $1 AND id IN (SELECT id FROM cases "
	                         "WHERE child_id IN (SELECT id FROM children WHERE forenames = 'BulkPage'))", ben),
	                 0); /* checking changes nothing */
	page(&mgr, "POST", "/dashboard/reassign", buf_str(&form), 303, &b);
	expect_in(&b, "reassigned=200");
	assert_int_equal(sql_int("SELECT COUNT(*) FROM cases WHERE allocated_user_id = $1 AND child_id IN (SELECT id FROM "
	                         "children WHERE forenames = 'BulkPage')", ben),
	                 200);
	snprintf(path, sizeof path, "/dashboard?team=%s&reassigned=200", team_a);
	page(&mgr, "GET", path, NULL, 200, &b);
	expect_in(&b, "200 cases reassigned.");
	/* More than 200 ticked at once is refused. */
	buf_addf(&form, "&case_id=%s", "cas_0000000000000001");
	page(&mgr, "POST", "/dashboard/reassign/check", buf_str(&form), 422, &b);
	expect_in(&b, "Choose at most 200 cases at a time");
	buf_free(&b);
	buf_free(&form);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scopes),        cmocka_unit_test(test_figures),
		cmocka_unit_test(test_reassign_10),   cmocka_unit_test(test_reassign_100),
		cmocka_unit_test(test_reassign_200),  cmocka_unit_test(test_deadlines_follow_the_case),
		cmocka_unit_test(test_refusals),      cmocka_unit_test(test_pages),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
