/* The policy's emergency-access rule (issue 7): a live break-glass grant gives the actions its action unlocks, only
 * while the holder still has the unlocking action for the child, and only until it expires; and the loader refuses
 * access files that get "unlocks" or "break_glass" wrong. Against a migrated temporary SQLite database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "auth/account.h"
#include "auth/roles.h"
#include "core/date.h"
#include "policy/policy.h"
#include "store/migrate.h"

#define CHILD "chd_0000000000000001"

struct fx {
	char path[64];
	struct store *st;
	char worker[ACCOUNT_ID_SIZE], colleague[ACCOUNT_ID_SIZE], stranger[ACCOUNT_ID_SIZE], auditor[ACCOUNT_ID_SIZE];
};

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);
	return v && v[0] ? v : dflt;
}

static void exec_ok(struct store *st, const char *sql)
{
	if (store_exec(st, sql) != STORE_OK)
		fail_msg("%s: %s", sql, store_errmsg(st));
}

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	snprintf(f->path, sizeof f->path, "/tmp/sg_policy_XXXXXX");
	int fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	struct buf err, roles_path;
	buf_init(&err, 0);
	buf_init(&roles_path, 0);
	assert_int_equal(store_open(&f->st, f->path, NULL, &err), STORE_OK);
	if (migrate_up(f->st, env_or("SAFEGUARD_MIGRATIONS", "migrations"), NULL, &err) != 0)
		fail_msg("migrate: %s", buf_str(&err));
	if (policy_load(env_or("SAFEGUARD_RULES", "rules"), &err) != 0)
		fail_msg("policy: %s", buf_str(&err));
	struct roles *roles = NULL;
	buf_addf(&roles_path, "%s/roles.json", env_or("SAFEGUARD_RULES", "rules"));
	if (roles_load(&roles, buf_str(&roles_path), &err) != 0)
		fail_msg("roles: %s", buf_str(&err));
	const char *why = NULL;
	int64_t now = moment_now();
	assert_int_equal(account_create(f->st, roles, NULL, "worker", "W", "social_worker", NULL, now, f->worker, &why), 0);
	assert_int_equal(account_create(f->st, roles, NULL, "colleague", "C", "social_worker", NULL, now, f->colleague,
	                                &why),
	                 0);
	assert_int_equal(account_create(f->st, roles, NULL, "stranger", "S", "social_worker", NULL, now, f->stranger, &why),
	                 0);
	assert_int_equal(account_create(f->st, roles, NULL, "auditor", "A", "auditor", NULL, now, f->auditor, &why), 0);
	roles_free(roles);
	exec_ok(f->st, "INSERT INTO agencies (id, name, agency_type, created_at) VALUES ('agy_1', 'CSC', 'CSC', 'x')");
	exec_ok(f->st, "INSERT INTO teams (id, name, agency_id, created_at) VALUES ('team_a', 'A', 'agy_1', 'x'), "
	               "('team_b', 'B', 'agy_1', 'x')");
	exec_ok(f->st, "INSERT INTO children (id, forenames, surname, dob, created_at, updated_at) "
	               "VALUES ('" CHILD "', 'Kit', 'Test', '2019-01-01', 'x', 'x')");
	char sql[512];
	snprintf(sql, sizeof sql, "UPDATE users SET team_id = CASE id WHEN '%s' THEN 'team_b' ELSE 'team_a' END",
	         f->stranger);
	exec_ok(f->st, sql);
	snprintf(sql, sizeof sql,
	         "INSERT INTO cases (id, child_id, stage, opened_at, allocated_user_id, team_id, created_at, updated_at) "
	         "VALUES ('cas_1', '" CHILD "', 'contact', 'x', '%s', 'team_a', 'x', 'x')",
	         f->worker);
	exec_ok(f->st, sql);
	buf_free(&err);
	buf_free(&roles_path);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->st);
	policy_free();
	char side[80];
	unlink(f->path);
	snprintf(side, sizeof side, "%s-wal", f->path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", f->path);
	unlink(side);
	free(f);
	return 0;
}

static void grant(struct fx *f, const char *id, const char *user, int64_t from, int64_t to)
{
	char sql[512];
	snprintf(sql, sizeof sql,
	         "INSERT INTO break_glass_grants (id, user_id, child_id, reason, granted_at, expires_at) "
	         "VALUES ('%s', '%s', '" CHILD "', 'emergency', %lld, %lld)",
	         id, user, (long long)from, (long long)to);
	exec_ok(f->st, sql);
}

static struct http_user user(struct fx *f, const char *id, const char *role, const char *team)
{
	struct http_user u = {.id = id, .role = role, .team_id = team};
	return u;
}

static void test_live_grant_unlocks_restricted(void **state)
{
	struct fx *f = *state;
	struct http_user worker = user(f, f->worker, "social_worker", "team_a");
	struct http_user colleague = user(f, f->colleague, "social_worker", "team_a");
	int64_t now = moment_now();
	/* The allocated worker is on the list; her team colleague may read but not see restricted details. */
	assert_true(policy_child(f->st, &worker, "child.restricted", CHILD));
	assert_true(policy_child(f->st, &colleague, "child.read", CHILD));
	assert_false(policy_child(f->st, &colleague, "child.restricted", CHILD));
	assert_true(policy_child(f->st, &colleague, "child.break_glass", CHILD));
	assert_int_equal(policy_break_glass_until(f->st, &colleague, CHILD), 0);
	grant(f, "bgl_1", f->colleague, now - 10, now + 3600);
	assert_true(policy_child(f->st, &colleague, "child.restricted", CHILD));
	assert_int_equal(policy_break_glass_until(f->st, &colleague, CHILD), now + 3600);
	/* It unlocks only what the action names. */
	assert_false(policy_child(f->st, &colleague, "case.allocate", CHILD));
	struct buf rel;
	buf_init(&rel, 0);
	policy_relations(f->st, &colleague, CHILD, &rel);
	assert_string_equal(buf_str(&rel), "team break_glass");
	buf_free(&rel);
	/* Moved to another team, the colleague no longer holds child.break_glass: the grant stops working. */
	struct http_user moved = user(f, f->colleague, "social_worker", "team_b");
	assert_false(policy_child(f->st, &moved, "child.restricted", CHILD));
	/* A new role without the unlocking action ends it too. */
	struct http_user reroled = user(f, f->colleague, "auditor", "team_a");
	assert_false(policy_child(f->st, &reroled, "child.restricted", CHILD));
}

static void test_expired_or_foreign_grants_unlock_nothing(void **state)
{
	struct fx *f = *state;
	int64_t now = moment_now();
	struct http_user colleague = user(f, f->colleague, "social_worker", "team_a");
	struct http_user stranger = user(f, f->stranger, "social_worker", "team_b");
	struct http_user auditor = user(f, f->auditor, "auditor", NULL);
	grant(f, "bgl_old", f->colleague, now - 7200, now - 3600);
	assert_false(policy_child(f->st, &colleague, "child.restricted", CHILD));
	assert_int_equal(policy_break_glass_until(f->st, &colleague, CHILD), 0);
	/* A grant row for someone with no relation to the child (not made through the route) gives nothing. */
	grant(f, "bgl_s", f->stranger, now - 10, now + 3600);
	assert_false(policy_child(f->st, &stranger, "child.restricted", CHILD));
	grant(f, "bgl_a", f->auditor, now - 10, now + 3600);
	assert_false(policy_child(f->st, &auditor, "child.restricted", CHILD));
	/* Someone else's live grant is not yours. */
	grant(f, "bgl_c", f->stranger, now - 10, now + 3600);
	assert_false(policy_child(f->st, &colleague, "child.restricted", CHILD));
	assert_int_equal(policy_break_glass_seconds(), 3600);
}

/* ---- the loader ---- */

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void test_loader_refuses_bad_unlocks_and_durations(void **state)
{
	static const struct {
		const char *access, *extra; /* access.json, and access.d/x.json (NULL: none) */
		const char *error;          /* NULL: loads */
	} cases[] = {
		{"{\"actions\": {\"a\": {\"citation\": \"c\", \"grants\": [], \"unlocks\": [\"b\"]}, "
		 "\"b\": {\"citation\": \"c\", \"grants\": []}}}",
		 NULL, NULL},
		{"{\"actions\": {\"a\": {\"citation\": \"c\", \"grants\": [], \"unlocks\": [\"nope\"]}}}", NULL,
		 "unlocks unknown action nope"},
		{"{\"actions\": {\"a\": {\"citation\": \"c\", \"grants\": [], \"unlocks\": \"b\"}}}", NULL,
		 "unlocks must be an array"},
		{"{\"actions\": {\"a\": {\"citation\": \"c\", \"grants\": [], \"unlocks\": [7]}}}", NULL,
		 "unlocks must list action names"},
		{"{\"break_glass\": {\"minutes\": 0, \"citation\": \"c\"}, \"actions\": {}}", NULL, "minutes must be"},
		{"{\"break_glass\": {\"minutes\": 30}, \"actions\": {}}", NULL, "missing citation"},
		{"{\"break_glass\": {\"minutes\": 30, \"citation\": \"c\"}, \"actions\": {}}",
		 "{\"break_glass\": {\"minutes\": 20, \"citation\": \"c\"}, \"actions\": {}}", "already set"},
		{"{\"break_glass\": {\"minutes\": 30, \"citation\": \"c\"}, \"actions\": {}}", NULL, NULL},
	};
	char dir[64], path[160];
	snprintf(dir, sizeof dir, "/tmp/sg_rules_XXXXXX");
	assert_non_null(mkdtemp(dir));
	char roles_src[512];
	snprintf(roles_src, sizeof roles_src, "%s/roles.json", env_or("SAFEGUARD_RULES", "rules"));
	FILE *in = fopen(roles_src, "r");
	assert_non_null(in);
	struct buf roles;
	buf_init(&roles, 0);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
		buf_add(&roles, chunk, n);
	fclose(in);
	snprintf(path, sizeof path, "%s/roles.json", dir);
	write_file(path, buf_str(&roles));
	buf_free(&roles);
	snprintf(path, sizeof path, "%s/access.d", dir);
	mkdir(path, 0700);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(path, sizeof path, "%s/access.json", dir);
		write_file(path, cases[i].access);
		snprintf(path, sizeof path, "%s/access.d/x.json", dir);
		if (cases[i].extra)
			write_file(path, cases[i].extra);
		else
			unlink(path);
		struct buf err;
		buf_init(&err, 0);
		int rc = policy_load(dir, &err);
		if (cases[i].error && (rc == 0 || !strstr(buf_str(&err), cases[i].error)))
			fail_msg("case %zu: want an error with \"%s\", got %d \"%s\"", i, cases[i].error, rc, buf_str(&err));
		if (!cases[i].error && rc != 0)
			fail_msg("case %zu: want it to load, got \"%s\"", i, buf_str(&err));
		buf_free(&err);
	}
	assert_int_equal(policy_break_glass_seconds(), 30 * 60);
	const char *files[] = {"access.d/x.json", "access.json", "roles.json", "access.d"};
	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		i < 3 ? unlink(path) : rmdir(path);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_live_grant_unlocks_restricted, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_expired_or_foreign_grants_unlock_nothing, fx_setup, fx_teardown),
		cmocka_unit_test(test_loader_refuses_bad_unlocks_and_durations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
