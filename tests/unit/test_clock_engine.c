/* The clock engine on cases: events start, stop, restart and move clocks, with dates worked out by hand from the
 * England and Wales calendar (national days only). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar/calendar.h"
#include "clock/clock.h"
#include "core/date.h"
#include "store/migrate.h"

struct fx {
	char dir[64], path[128];
	struct store *st;
	struct calendar *cal;
	struct clock_rules *rules;
	struct clock_engine eng;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/sgclock.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	struct buf err;
	buf_init(&err, 0);
	assert_int_equal(store_open(&f->st, f->path, NULL, &err), STORE_OK);
	if (migrate_up(f->st, "migrations", NULL, &err) < 0 || clock_rules_load(&f->rules, "rules", &err) < 0)
		fail_msg("%s", buf_str(&err));
	buf_free(&err);
	f->cal = calendar_new_national();
	f->eng.rules = f->rules;
	f->eng.cal = f->cal;
	assert_int_equal(store_exec(f->st,
	                            "INSERT INTO users (id, username, display_name, role, created_at, updated_at) VALUES "
	                            "('usr_0000000000000001', 'w', 'Worker', 'social_worker', 'x', 'x');"
	                            "INSERT INTO children (id, forenames, surname, dob, created_at, updated_at) VALUES "
	                            "('chd_0000000000000001', 'A', 'B', '2019-01-01', 'x', 'x');"
	                            "INSERT INTO cases (id, child_id, stage, opened_at, allocated_user_id, created_at, "
	                            "updated_at) VALUES ('cas_0000000000000001', 'chd_0000000000000001', 'referral', "
	                            "'x', 'usr_0000000000000001', 'x', 'x')"),
	                 STORE_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->st);
	calendar_free(f->cal);
	clock_rules_free(f->rules);
	char p[200];
	const char *sfx[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", f->path, sfx[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static int64_t at(const char *iso)
{
	int64_t t;
	if (moment_parse(iso, &t) < 0)
		fail_msg("bad moment %s", iso);
	return t;
}

static int record(struct fx *f, const char *event, const char *when, const char *subject, const char *variant,
                  struct buf *err)
{
	const char *vars[] = {variant};
	struct clock_event_record ev = {
		.case_id = "cas_0000000000000001",
		.child_id = "chd_0000000000000001",
		.event = event,
		.at = at(when),
		.subject_id = subject,
		.variants = variant ? vars : NULL,
		.n_variants = variant ? 1 : 0,
		.actor_user_id = "usr_0000000000000001",
	};
	assert_int_equal(store_begin(f->st), STORE_OK);
	int rc = clock_record_event(f->st, &f->eng, &ev, NULL, NULL, err);
	if (rc == 0)
		assert_int_equal(store_commit(f->st), STORE_OK);
	else
		store_rollback(f->st);
	return rc;
}

/* The clock of a rule (the latest one), or NULL. */
static json_t *clock_of(struct fx *f, const char *rule)
{
	struct clock_query q = {.scope = CLOCK_SCOPE_CHILD, .scope_id = "chd_0000000000000001", .window = CLOCK_ANY,
	                        .now = at("2027-06-01T12:00")};
	json_t *all = clock_list(f->st, &f->eng, &q);
	json_t *found = NULL;
	size_t i;
	json_t *c;
	json_array_foreach(all, i, c) {
		if (strcmp(json_string_value(json_object_get(c, "rule_id")), rule) == 0)
			found = c;
	}
	json_incref(found);
	json_decref(all);
	return found;
}

static void expect(struct fx *f, const char *rule, const char *due_day, const char *state)
{
	json_t *c = clock_of(f, rule);
	if (!c)
		fail_msg("no clock for %s", rule);
	const char *d = json_string_value(json_object_get(c, "due_day"));
	const char *s = json_string_value(json_object_get(c, "state"));
	if (strcmp(d, due_day) || strcmp(s, state))
		fail_msg("%s: due %s state %s, want %s %s", rule, d, s, due_day, state);
	json_decref(c);
}

static void test_referral_starts_its_clocks(void **state)
{
	struct fx *f = *state;
	struct buf err;
	buf_init(&err, 0);
	/* Referral received Friday 18 December 2026. Christmas Day is Friday 25th; Boxing Day (Saturday 26th) is
	 * substituted to Monday 28th; New Year's Day is Friday 1 January 2027. */
	assert_int_equal(record(f, "referral_received", "2026-12-18T10:00", NULL, NULL, &err), 0);
	expect(f, "T-06", "2026-12-21", "running"); /* 1 WD: Monday 21 */
	expect(f, "T-08", "2026-12-21", "running");
	/* 45 WD: Dec 21-24 (4), 29-31 (7), Jan 4-8 (12), 11-15 (17), 18-22 (22), 25-29 (27), Feb 1-5 (32),
	 * 8-12 (37), 15-19 (42), 22, 23, 24 (45). */
	expect(f, "T-16", "2027-02-24", "running");
	/* A referral alone names no strategy category, so no strategy clock yet. */
	assert_null(clock_of(f, "T-33"));
	/* Decision on Monday 21 at 16:00: met. */
	assert_int_equal(record(f, "referral_decision_made", "2026-12-21T16:00", NULL, NULL, &err), 0);
	expect(f, "T-06", "2026-12-21", "met");
	/* A stop before its start is refused, naming the clock. */
	assert_int_equal(store_exec(f->st, "UPDATE clocks SET state = 'running' WHERE rule_id = 'T-06'"), STORE_OK);
	assert_int_equal(record(f, "referral_decision_made", "2026-12-17T09:00", NULL, NULL, &err), -1);
	assert_non_null(strstr(buf_str(&err), "T-06"));
	buf_free(&err);
}

static void test_strategy_variants_and_late_stop(void **state)
{
	struct fx *f = *state;
	struct buf err;
	buf_init(&err, 0);
	assert_int_equal(record(f, "referral_received", "2027-01-05T09:00", NULL, NULL, &err), 0);
	/* Emergency action Friday 8 January 16:00: a strategy discussion within 1 WD (T-30): Monday 11th. */
	assert_int_equal(record(f, "emergency_action_taken", "2027-01-08T16:00", NULL, NULL, &err), 0);
	expect(f, "T-33", "2027-01-11", "running");
	json_t *c = clock_of(f, "T-33");
	assert_string_equal(json_string_value(json_object_get(c, "variant")), "post_emergency");
	json_decref(c);
	/* Held on Tuesday 12th: met late. */
	assert_int_equal(record(f, "strategy_discussion_held", "2027-01-12T10:00", NULL, NULL, &err), 0);
	expect(f, "T-33", "2027-01-11", "met_late");
	buf_free(&err);
}

static void test_backward_clock_moves_with_the_meeting(void **state)
{
	struct fx *f = *state;
	struct buf err;
	buf_init(&err, 0);
	/* Initial conference fixed for Wednesday 10 March 2027: the chair's report 2 WD before, Monday 8th. */
	assert_int_equal(record(f, "conference_scheduled", "2027-03-10T10:00", "cnf_1", "icpc", &err), 0);
	expect(f, "T-55", "2027-03-08", "running");
	/* Moved to Wednesday 17th: Monday 15th. */
	assert_int_equal(record(f, "conference_scheduled", "2027-03-17T10:00", "cnf_1", "icpc", &err), 0);
	expect(f, "T-55", "2027-03-15", "running");
	/* A review conference: 5 WD before Wednesday 2 June 2027 (Monday 31 May is the spring bank holiday):
	 * Tue 1 Jun (1), Fri 28 May (2), Thu 27 (3), Wed 26 (4), Tue 25 May (5). */
	assert_int_equal(record(f, "conference_scheduled", "2027-06-02T10:00", "cnf_2", "rcpc", &err), 0);
	struct clock_query q = {.scope = CLOCK_SCOPE_CHILD, .scope_id = "chd_0000000000000001", .window = CLOCK_OPEN,
	                        .now = at("2027-03-01T12:00")};
	json_t *all = clock_list(f->st, &f->eng, &q);
	bool seen = false;
	size_t i;
	json_t *c;
	json_array_foreach(all, i, c) {
		if (strcmp(json_string_value(json_object_get(c, "rule_id")), "T-55") == 0 &&
		    strcmp(json_string_value(json_object_get(c, "variant")), "rcpc") == 0) {
			assert_string_equal(json_string_value(json_object_get(c, "due_day")), "2027-05-25");
			seen = true;
		}
	}
	json_decref(all);
	assert_true(seen);
	buf_free(&err);
}

static void test_recurring_visits_restart(void **state)
{
	struct fx *f = *state;
	struct buf err;
	buf_init(&err, 0);
	/* Initial conference Monday 1 March 2027: visits at least every 4 weeks, first by 29 March. */
	assert_int_equal(record(f, "icpc_held", "2027-03-01T10:00", NULL, NULL, &err), 0);
	assert_int_equal(record(f, "conference_held", "2027-03-01T10:00", NULL, "*", &err), 0);
	expect(f, "T-62", "2027-03-29", "running");
	/* A visit on Friday 12 March closes it and starts the next 4 weeks: Friday 9 April. */
	assert_int_equal(record(f, "visit_made", "2027-03-12T14:00", NULL, NULL, &err), 0);
	expect(f, "T-62", "2027-04-09", "running");
	struct clock_query q = {.scope = CLOCK_SCOPE_CHILD, .scope_id = "chd_0000000000000001", .window = CLOCK_ANY,
	                        .now = at("2027-03-13T12:00")};
	json_t *all = clock_list(f->st, &f->eng, &q);
	int met = 0;
	size_t i;
	json_t *c;
	json_array_foreach(all, i, c) {
		if (strcmp(json_string_value(json_object_get(c, "rule_id")), "T-62") == 0 &&
		    strcmp(json_string_value(json_object_get(c, "state")), "met") == 0)
			met++;
	}
	json_decref(all);
	assert_int_equal(met, 1);
	buf_free(&err);
}

static void test_extensions_only_where_allowed(void **state)
{
	struct fx *f = *state;
	struct buf err;
	buf_init(&err, 0);
	assert_int_equal(record(f, "referral_received", "2027-01-05T09:00", NULL, NULL, &err), 0);
	assert_int_equal(record(f, "emergency_action_taken", "2027-01-08T16:00", NULL, NULL, &err), 0);
	json_t *t16 = clock_of(f, "T-16"), *t33 = clock_of(f, "T-33");
	char id16[32], id33[32];
	snprintf(id16, sizeof id16, "%s", json_string_value(json_object_get(t16, "id")));
	snprintf(id33, sizeof id33, "%s", json_string_value(json_object_get(t33, "id")));
	json_decref(t16);
	json_decref(t33);
	int64_t later = at("2027-04-30T23:59:59");
	static const struct {
		const char *clock, *reason, *roles, *expect_err;
	} cases[] = {
		{"33", "busy", "CSC_FLM", "cannot be extended"},
		{"16", "busy", "CSC_SW", "authorised by a manager"},
		{"16", "", "CSC_FLM", "reason"},
		{"16", "Family moved; new assessment needed", "CSC_FLM", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&err);
		assert_int_equal(store_begin(f->st), STORE_OK);
		int rc = clock_extend(f->st, &f->eng, strcmp(cases[i].clock, "16") == 0 ? id16 : id33, later,
		                      cases[i].reason, "usr_0000000000000001", cases[i].roles, &err);
		if (cases[i].expect_err) {
			assert_int_equal(rc, -1);
			if (!strstr(buf_str(&err), cases[i].expect_err))
				fail_msg("case %zu: '%s' lacks '%s'", i, buf_str(&err), cases[i].expect_err);
			store_rollback(f->st);
		} else {
			assert_int_equal(rc, 0);
			assert_int_equal(store_commit(f->st), STORE_OK);
		}
	}
	expect(f, "T-16", "2027-04-30", "running");
	json_t *c = clock_get(f->st, &f->eng, id16);
	assert_true(json_is_true(json_object_get(c, "extended")));
	assert_int_equal(json_array_size(json_object_get(c, "history")), 2); /* started, extended */
	json_decref(c);
	buf_free(&err);
}

static void test_views(void **state)
{
	struct fx *f = *state;
	struct buf err;
	buf_init(&err, 0);
	assert_int_equal(record(f, "referral_received", "2027-01-05T09:00", NULL, NULL, &err), 0);
	/* On Thursday 7 January 2027 at noon the 1 WD clocks (due Wednesday 6th) are overdue. */
	struct clock_query q = {.scope = CLOCK_SCOPE_USER, .scope_id = "usr_0000000000000001", .window = CLOCK_OVERDUE,
	                        .now = at("2027-01-07T12:00")};
	json_t *rows = clock_list(f->st, &f->eng, &q);
	assert_true(json_array_size(rows) >= 2);
	json_t *first = json_array_get(rows, 0);
	assert_true(json_is_true(json_object_get(first, "overdue")));
	assert_string_equal(json_string_value(json_object_get(first, "child_name")), "A B");
	json_decref(rows);
	/* On Tuesday 5th at noon they are due within 1 working day, not overdue. */
	q.now = at("2027-01-05T12:00");
	q.window = CLOCK_DUE_WITHIN;
	q.working_days = 1;
	rows = clock_list(f->st, &f->eng, &q);
	assert_true(json_array_size(rows) >= 2);
	json_decref(rows);
	q.window = CLOCK_OVERDUE;
	rows = clock_list(f->st, &f->eng, &q);
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);
	/* Another user sees none of them. */
	q.scope_id = "usr_0000000000000009";
	q.window = CLOCK_OPEN;
	rows = clock_list(f->st, &f->eng, &q);
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);
	buf_reset(&err);
	assert_int_equal(record(f, "no_such_event", "2027-01-05T09:00", NULL, NULL, &err), -1);
	assert_non_null(strstr(buf_str(&err), "unknown clock event"));
	buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_referral_starts_its_clocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strategy_variants_and_late_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backward_clock_moves_with_the_meeting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recurring_visits_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extensions_only_where_allowed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_views, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
