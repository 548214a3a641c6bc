/* The pathway state machine (src/pathway/stage.c) against a migrated database and the real rules file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/date.h"
#include "core/id.h"
#include "domain/enums.h"
#include "pathway/stage.h"
#include "store/migrate.h"
#include "store/store.h"

struct fixture {
	char dir[64];
	char path[128];
	struct store *st;
	char sw[ID_MAX], mgr[ID_MAX], child[ID_MAX];
};

static void exec1(struct store *st, const char *sql, const char *a, const char *b, const char *c)
{
	struct store_stmt *s = store_prepare(st, sql);
	assert_non_null(s);
	if (a)
		store_bind_text(s, 1, a);
	if (b)
		store_bind_text(s, 2, b);
	if (c)
		store_bind_text(s, 3, c);
	assert_int_equal(store_step(s), STORE_DONE);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/sg-stage-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	struct buf err;
	buf_init(&err, 4096);
	assert_int_equal(store_open(&f->st, f->path, NULL, &err), STORE_OK);
	if (migrate_up(f->st, "migrations", NULL, &err) < 0)
		fail_msg("%s", buf_str(&err));
	if (stage_load("rules", &err) < 0)
		fail_msg("%s", buf_str(&err));
	buf_free(&err);
	id_new("usr", f->sw);
	id_new("usr", f->mgr);
	id_new("chd", f->child);
	assert_int_equal(store_begin(f->st), STORE_OK);
	exec1(f->st, "INSERT INTO users (id, username, display_name, role, created_at, updated_at) "
	             "VALUES ($1, $2, 'A Worker', $3, '2026-01-01', '2026-01-01')", f->sw, "sw", "social_worker");
	exec1(f->st, "INSERT INTO users (id, username, display_name, role, created_at, updated_at) "
	             "VALUES ($1, $2, 'A Manager', $3, '2026-01-01', '2026-01-01')", f->mgr, "mgr", "team_manager");
	exec1(f->st, "INSERT INTO children (id, forenames, surname, dob, created_at, updated_at) "
	             "VALUES ($1, 'Test', 'Child', '2019-01-01', '2026-01-01', '2026-01-01')", f->child, NULL, NULL);
	assert_int_equal(store_commit(f->st), STORE_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->st);
	char p[200];
	snprintf(p, sizeof p, "%s/t.db-wal", f->dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/t.db-shm", f->dir);
	unlink(p);
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	stage_free();
	return 0;
}

static void open_case(struct fixture *f, char id[ID_MAX])
{
	struct buf err;
	buf_init(&err, 1024);
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(stage_open_case(f->st, f->child, NULL, f->sw, "contact.create", "test", f->sw, id, &err),
	                 STAGE_OK);
	assert_int_equal(store_commit(f->st), STORE_OK);
	buf_free(&err);
}

static void record_event(struct fixture *f, const char *case_id, const char *event)
{
	char id[ID_MAX];
	id_new("evt", id);
	struct store_stmt *s = store_prepare(f->st, "INSERT INTO case_events (id, case_id, child_id, event, at, "
	                                            "recorded_at) VALUES ($1, $2, $3, $4, $5, $5)");
	assert_non_null(s);
	store_bind_text(s, 1, id);
	store_bind_text(s, 2, case_id);
	store_bind_text(s, 3, f->child);
	store_bind_text(s, 4, event);
	store_bind_int(s, 5, moment_now());
	assert_int_equal(store_step(s), STORE_DONE);
}

static void expect_stage(struct fixture *f, const char *case_id, const char *want)
{
	char got[STAGE_CODE_MAX];
	assert_int_equal(stage_current(f->st, case_id, got), STAGE_OK);
	assert_string_equal(got, want);
}

/* One step of a walk: optional events recorded first, then a transition, with the expected status. */
struct step {
	const char *event;
	const char *to, *command, *reason;
	int actor; /* 0 social worker, 1 manager */
	const char *facts[4];
	int status;
	int warnings;          /* expected count when it succeeds */
	const char *stage_after;
	const char *why;       /* substring of why_not on refusal */
};

static void run_steps(struct fixture *f, const char *case_id, const struct step *steps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct step *s = &steps[i];
		assert_int_equal(store_begin(f->st), STORE_OK);
		if (s->event)
			record_event(f, case_id, s->event);
		int nf = 0;
		while (nf < 4 && s->facts[nf])
			nf++;
		struct stage_request rq = {.case_id = case_id, .to = s->to, .command = s->command, .reason = s->reason,
		                           .actor_user_id = s->actor ? f->mgr : f->sw, .facts = s->facts,
		                           .n_facts = nf};
		struct stage_result res;
		struct buf why;
		buf_init(&why, 4096);
		int rc = stage_apply(f->st, &rq, &res, &why);
		if (rc != s->status)
			fail_msg("step %zu (%s -> %s): status %d, want %d: %s", i, s->command, s->to, rc, s->status,
			         buf_str(&why));
		if (rc == STAGE_OK) {
			assert_int_equal(store_commit(f->st), STORE_OK);
			if ((int)json_array_size(res.warnings) != s->warnings)
				fail_msg("step %zu: %zu warnings, want %d", i, json_array_size(res.warnings), s->warnings);
		} else {
			store_rollback(f->st);
			if (s->why && !strstr(buf_str(&why), s->why))
				fail_msg("step %zu: reason \"%s\" lacks \"%s\"", i, buf_str(&why), s->why);
		}
		expect_stage(f, case_id, s->stage_after);
		stage_result_free(&res);
		buf_free(&why);
	}
}

static void test_front_walk(void **state)
{
	struct fixture *f = *state;
	char c[ID_MAX];
	open_case(f, c);
	expect_stage(f, c, "contact");
	static const struct step steps[] = {
		/* Not a transition from contact at all. */
		{NULL, "s47_outcome", "s47.outcome", "x", 1, {NULL}, STAGE_REFUSED_STAGE, 0, "contact", "cannot move"},
		/* The receipt must be recorded first (its clocks). */
		{NULL, "referral", "referral.create", NULL, 0, {NULL}, STAGE_REFUSED_GUARD, 0, "contact", "received"},
		{"referral_received", "referral", "referral.create", NULL, 0, {NULL}, STAGE_OK, 0, "referral", NULL},
		/* A social worker cannot make the decision final. */
		{"referral_decision_made", "decided", "referral.decide", "because", 0, {NULL}, STAGE_REFUSED_GUARD, 0,
		 "referral", "manager"},
		/* A manager must give reasons. */
		{"referral_decision_made", "decided", "referral.decide", "  ", 1, {NULL}, STAGE_REFUSED_GUARD, 0,
		 "referral", "reasons"},
		/* Allowed; the referrer was not told and the spoken referral is unconfirmed: two warnings. */
		{"referral_decision_made", "decided", "referral.decide", "Reasonable cause", 1, {NULL}, STAGE_OK, 2,
		 "decided", NULL},
		{NULL, "strategy", "referral.outcome", NULL, 1, {"referrer_feedback_logged"}, STAGE_OK, 0, "strategy",
		 NULL},
		/* Enquiries need the manager's authorisation, the police consulted and the clock event. */
		{NULL, "s47", "strategy.record", NULL, 1, {"smd_attendance_complete", "family_sharing_decided"},
		 STAGE_REFUSED_GUARD, 0, "strategy", "authorisation"},
		{"s47_initiated", "s47", "strategy.record", NULL, 1,
		 {"smd_attendance_complete", "family_sharing_decided", "s47_authorised_by_manager", "police_consulted"},
		 STAGE_OK, 0, "s47", NULL},
		/* Outcome needs reasons; the NFA-type facts are asserted by the command. */
		{NULL, "s47_outcome", "s47.outcome", "Significant harm", 1,
		 {"all_children_and_carers_seen", "agencies_agree_safety_plan", "child_located"}, STAGE_OK, 0,
		 "s47_outcome", NULL},
		{NULL, "icpc_pending", "s47.conclude", NULL, 1, {NULL}, STAGE_REFUSED_GUARD, 0, "s47_outcome",
		 "agencies"},
		{NULL, "icpc_pending", "s47.conclude", NULL, 1, {"agencies_informed"}, STAGE_OK, 3, "icpc_pending", NULL},
		/* The other half: no plan without the conference recorded. */
		{NULL, "cp_plan", "conference.decide", NULL, 1, {NULL}, STAGE_REFUSED_GUARD, 0, "icpc_pending",
		 "conference"},
		{"icpc_held", "cp_plan", "conference.decide", NULL, 1, {NULL}, STAGE_OK, 0, "cp_plan", NULL},
		{"rcpc_held", "cp_plan", "review.held", NULL, 1, {NULL}, STAGE_OK, 0, "cp_plan", NULL},
		/* An old rcpc_held does not satisfy a later review. */
		{NULL, "cp_plan", "review.held", NULL, 1, {NULL}, STAGE_REFUSED_GUARD, 0, "cp_plan", "review"},
		{"cp_plan_discontinued", "plan_ended", "plan.discontinue", "Risk reduced (4.10.5)", 1, {NULL}, STAGE_OK,
		 0, "plan_ended", NULL},
		{NULL, "closed", "case.close", "Finished", 0, {NULL}, STAGE_REFUSED_GUARD, 0, "plan_ended", "manager"},
		{NULL, "closed", "case.close", "Finished", 1, {NULL}, STAGE_OK, 0, "closed", NULL},
		{NULL, "cin", "plan.step_down", NULL, 1, {NULL}, STAGE_REFUSED_STAGE, 0, "closed", "closed"},
	};
	run_steps(f, c, steps, sizeof steps / sizeof steps[0]);
	json_t *h = stage_history(f->st, c);
	assert_int_equal(json_array_size(h), 11); /* the opening and ten transitions */
	assert_true(json_is_null(json_object_get(json_array_get(h, 0), "from")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(h, 2), "to")), "decided");
	assert_int_equal(json_array_size(json_object_get(json_array_get(h, 2), "warnings")), 2);
	json_decref(h);
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM cases WHERE id = $1 AND closed_at IS NOT NULL", c),
	                 1);
	assert_int_equal(
		store_query_int(f->st, "SELECT COUNT(*) FROM audit_log WHERE action = 'stage_transition' AND object_id = $1",
		                c),
		10);
}

static void test_outside_transaction_and_unknown_case(void **state)
{
	struct fixture *f = *state;
	char c[ID_MAX];
	open_case(f, c);
	struct buf why;
	buf_init(&why, 1024);
	assert_int_equal(stage_transition(f->st, c, "closed", "contact.close", "r", f->sw, &why), STAGE_ERROR);
	assert_non_null(strstr(buf_str(&why), "transaction"));
	buf_reset(&why);
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(stage_transition(f->st, "cas_0000000000000000", "closed", "contact.close", "r", f->sw, &why),
	                 STAGE_NO_CASE);
	/* A request for services cannot be closed as a contact: the simple form asserts no facts. */
	buf_reset(&why);
	assert_int_equal(stage_transition(f->st, c, "closed", "contact.close", "Information only", f->sw, &why),
	                 STAGE_REFUSED_GUARD);
	assert_non_null(strstr(buf_str(&why), "referral"));
	store_rollback(f->st);
	buf_free(&why);
}

static void test_in_stage_and_lookups(void **state)
{
	struct fixture *f = *state;
	char c[ID_MAX];
	open_case(f, c);
	struct buf why;
	buf_init(&why, 1024);
	assert_int_equal(stage_check_in_stage(f->st, c, "contact.update", &why), STAGE_OK);
	assert_int_equal(stage_check_in_stage(f->st, c, "s47.record", &why), STAGE_REFUSED_STAGE);
	assert_non_null(strstr(buf_str(&why), "possible at"));
	buf_free(&why);
	static const struct {
		const char *list, *code, *next;
	} outcomes[] = {
		{"referral_outcome", "REF_NFA", "closed"},
		{"referral_outcome", "REF_ASSESSMENT", "assessment"},
		{"referral_outcome", "REF_STRATEGY", "strategy"},
		{"assessment_outcome", "ASMT_CIN_PLAN", "cin"},
		{"smd_s47_decision", "S47_INITIATE", "s47"},
		{"s47_outcome", "S47_SUBSTANTIATED_ICPC", "icpc_pending"},
		{"s47_outcome", "NOPE", NULL},
		{"nope", "REF_NFA", NULL},
	};
	for (size_t i = 0; i < sizeof outcomes / sizeof outcomes[0]; i++) {
		const char *got = stage_outcome_next(outcomes[i].list, outcomes[i].code);
		if (outcomes[i].next)
			assert_string_equal(got, outcomes[i].next);
		else
			assert_null(got);
	}
	const char *variants[STAGE_MAX_VARIANTS];
	assert_int_equal(stage_clock_variants("smd_category", "SMD_SERIOUS_SAME_DAY", variants, STAGE_MAX_VARIANTS), 1);
	assert_string_equal(variants[0], "serious");
	assert_int_equal(stage_clock_variants("smd_category", "SMD_FURTHER_15WD", variants, STAGE_MAX_VARIANTS), 0);
	assert_int_equal(stage_clock_variants("smd_category", "NOPE", variants, STAGE_MAX_VARIANTS), 0);
	assert_true(stage_allowed("strategy", "s47", "strategy.record"));
	assert_false(stage_allowed("contact", "s47", "strategy.record"));
	json_t *cmds = stage_commands_from("contact");
	assert_true(json_array_size(cmds) >= 3);
	json_decref(cmds);
}

/* A record held to a transition's guards while the case is elsewhere: nothing moves, nothing is written. */
static void test_check_without_moving(void **state)
{
	struct fixture *f = *state;
	char c[ID_MAX];
	open_case(f, c);
	static const struct {
		int actor;
		const char *facts[4];
		int status;
	} cases[] = {
		{1, {NULL}, STAGE_REFUSED_GUARD},
		{0, {"assessment_checklist_complete", "child_seen_or_decision", "outcome_feedback_logged"}, STAGE_REFUSED_GUARD},
		{1, {"assessment_checklist_complete", "child_seen_or_decision", "outcome_feedback_logged"}, STAGE_OK},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int nf = 0;
		while (nf < 4 && cases[i].facts[nf])
			nf++;
		struct stage_request rq = {.case_id = c, .to = "cin", .command = "assessment.authorise",
		                           .actor_user_id = cases[i].actor ? f->mgr : f->sw, .facts = cases[i].facts,
		                           .n_facts = nf};
		struct stage_result res;
		struct buf why;
		buf_init(&why, 1024);
		int rc = stage_check(f->st, "assessment", &rq, &res, &why);
		if (rc != cases[i].status)
			fail_msg("case %zu: %d, want %d: %s", i, rc, cases[i].status, buf_str(&why));
		stage_result_free(&res);
		buf_free(&why);
	}
	struct stage_request none = {.case_id = c, .to = "s47", .command = "assessment.authorise", .actor_user_id = f->mgr};
	struct stage_result res;
	struct buf why;
	buf_init(&why, 1024);
	assert_int_equal(stage_check(f->st, "assessment", &none, &res, &why), STAGE_REFUSED_STAGE);
	stage_result_free(&res);
	buf_free(&why);
	expect_stage(f, c, "contact");
	json_t *h = stage_history(f->st, c);
	assert_int_equal(json_array_size(h), 1);
	json_decref(h);
}

/* Every stage in the machine is a value of the case_stage enumeration, and the reverse. */
static void test_stages_match_enum(void **state)
{
	struct buf err;
	buf_init(&err, 4096);
	if (enums_load_dir("rules", &err) < 0)
		fail_msg("%s", buf_str(&err));
	json_t *doc = json_load_file("rules/pathway/stages.json", 0, NULL);
	assert_non_null(doc);
	json_t *list = enums_list("case_stage");
	assert_int_equal(json_array_size(list), json_array_size(json_object_get(doc, "stages")));
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(doc, "stages"), i, s)
		assert_non_null(enums_label("case_stage", json_string_value(json_object_get(s, "code"))));
	json_decref(list);
	json_decref(doc);
	enums_free();
	buf_free(&err);
}

static void write_rules(const char *dir, const char *text)
{
	char p[256];
	snprintf(p, sizeof p, "%s/pathway", dir);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/pathway/stages.json", dir);
	FILE *fp = fopen(p, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void test_bad_rule_files(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{"{", "line"},
		{"{\"version\":\"1\",\"stages\":[],\"transitions\":[]}", "stages"},
		{"{\"version\":\"1\",\"stages\":[{\"code\":\"a\",\"citation\":\"1\"}],\"transitions\":[]}", "initial"},
		{"{\"version\":\"1\",\"stages\":[{\"code\":\"a\",\"initial\":true}],\"transitions\":[]}", "citation"},
		{"{\"version\":\"1\",\"stages\":[{\"code\":\"a\",\"initial\":true,\"citation\":\"1\"}],"
		 "\"transitions\":[{\"from\":\"a\",\"to\":\"b\",\"command\":\"c\",\"citation\":\"1\",\"guards\":[]}]}",
		 "stages listed"},
		{"{\"version\":\"1\",\"stages\":[{\"code\":\"a\",\"initial\":true,\"citation\":\"1\"}],"
		 "\"transitions\":[{\"from\":\"a\",\"to\":\"a\",\"command\":\"c\",\"citation\":\"1\",\"guards\":["
		 "{\"kind\":\"role\",\"severity\":\"enforce\",\"citation\":\"1\",\"message\":\"m\"}]}]}",
		 "roles"},
		{"{\"version\":\"1\",\"stages\":[{\"code\":\"a\",\"initial\":true,\"citation\":\"1\"}],"
		 "\"transitions\":[{\"from\":\"a\",\"to\":\"a\",\"command\":\"c\",\"citation\":\"1\",\"guards\":["
		 "{\"kind\":\"fact\",\"fact\":\"f\",\"severity\":\"maybe\",\"citation\":\"1\",\"message\":\"m\"}]}]}",
		 "severity"},
		{"{\"version\":\"1\",\"stages\":[{\"code\":\"a\",\"initial\":true,\"citation\":\"1\"}],"
		 "\"transitions\":[{\"from\":\"a\",\"to\":\"a\",\"command\":\"c\",\"citation\":\"1\",\"guards\":[]},"
		 "{\"from\":\"a\",\"to\":\"a\",\"command\":\"c\",\"citation\":\"1\",\"guards\":[]}]}",
		 "duplicate"},
		{"{\"version\":\"1\",\"stages\":[{\"code\":\"a\",\"initial\":true,\"citation\":\"1\"}],"
		 "\"transitions\":[{\"from\":\"a\",\"to\":\"a\",\"command\":\"c\",\"citation\":\"1\",\"guards\":[]}],"
		 "\"in_stage\":{\"x\":{\"stages\":[\"zz\"],\"citation\":\"1\"}}}",
		 "unknown stage"},
		{"{\"version\":\"1\",\"stages\":[{\"code\":\"a\",\"initial\":true,\"citation\":\"1\"}],"
		 "\"transitions\":[{\"from\":\"a\",\"to\":\"a\",\"command\":\"c\",\"citation\":\"1\",\"guards\":[]}],"
		 "\"outcomes\":{\"l\":{\"citation\":\"1\",\"next\":{\"X\":\"zz\"}}}}",
		 "unknown stage"},
		{"{\"version\":\"1\",\"shoe\":1,\"stages\":[],\"transitions\":[]}", "(top)"},
	};
	char dir[64];
	snprintf(dir, sizeof dir, "/tmp/sg-stagerules-XXXXXX");
	assert_non_null(mkdtemp(dir));
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		write_rules(dir, cases[i].text);
		struct buf err;
		buf_init(&err, 4096);
		if (stage_load(dir, &err) == 0)
			fail_msg("case %zu loaded", i);
		if (!strstr(buf_str(&err), cases[i].want))
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, buf_str(&err), cases[i].want);
		buf_free(&err);
	}
	char p[256];
	snprintf(p, sizeof p, "%s/pathway/stages.json", dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/pathway", dir);
	rmdir(p);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_front_walk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outside_transaction_and_unknown_case, setup, teardown),
		cmocka_unit_test_setup_teardown(test_in_stage_and_lookups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_without_moving, setup, teardown),
		cmocka_unit_test(test_stages_match_enum),
		cmocka_unit_test(test_bad_rule_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
