/* The SQLite store, the migration runner, enumerations and the record layer, against real temporary databases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/entities.h"
#include "domain/enums.h"
#include "domain/record.h"
#include "store/migrate.h"
#include "store/store.h"

struct fixture {
	char dir[64];
	char path[128];
	struct store *st;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/sgstore.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	struct buf err;
	buf_init(&err, 0);
	assert_int_equal(store_open(&f->st, f->path, NULL, &err), STORE_OK);
	buf_free(&err);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->st);
	char cmd[200];
	const char *sfx[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(cmd, sizeof cmd, "%s%s", f->path, sfx[i]);
		unlink(cmd);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static void test_durability_settings(void **state)
{
	struct fixture *f = *state;
	struct store_stmt *s = store_prepare(f->st, "PRAGMA journal_mode");
	assert_int_equal(store_step(s), STORE_ROW);
	assert_string_equal(store_col_text(s, 0), "wal");
	store_reset(s);
	/* NORMAL: SQLite writes the WAL, and store_commit() syncs it (group commit) before it returns. */
	assert_int_equal(store_query_int(f->st, "PRAGMA synchronous", NULL), 1);
	assert_int_equal(store_query_int(f->st, "PRAGMA foreign_keys", NULL), 1);
	assert_int_equal(store_exec(f->st, "CREATE TABLE d (x INTEGER)"), STORE_OK);
	assert_true(store_last_commit_durable(f->st));
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(store_exec(f->st, "INSERT INTO d (x) VALUES (1)"), STORE_OK);
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_true(store_last_commit_durable(f->st));
	struct store_stmt *ins = store_prepare(f->st, "INSERT INTO d (x) VALUES ($1)"); /* autocommit */
	store_bind_int(ins, 1, 2);
	assert_int_equal(store_step(ins), STORE_DONE);
	assert_true(store_last_commit_durable(f->st));
	/* A relaxed commit does not wait for the disk (nothing else is syncing here, so it is not covered yet). */
	assert_int_equal(store_begin_relaxed(f->st), STORE_OK);
	assert_int_equal(store_exec(f->st, "INSERT INTO d (x) VALUES (4)"), STORE_OK);
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_false(store_last_commit_durable(f->st));
	/* A row written inside a read snapshot commits when a write transaction ends the snapshot: synced too (and
	 * that sync covers the relaxed commit before it). */
	assert_int_equal(store_begin_read(f->st), STORE_OK);
	assert_int_equal(store_exec(f->st, "INSERT INTO d (x) VALUES (3)"), STORE_OK);
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_true(store_last_commit_durable(f->st));
	assert_int_equal(store_rollback(f->st), STORE_OK);
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM d", NULL), 4);
}

/* Group commit: writers on several connections (threads) commit at once; every commit, when store_commit returns,
 * is covered by a completed sync, whoever ran it; and no commit is lost or doubled. */
struct committer {
	const char *path;
	int id, n, durable;
};

static void *commit_loop(void *arg)
{
	struct committer *c = arg;
	struct store *st;
	struct buf err;
	buf_init(&err, 0);
	if (store_open(&st, c->path, NULL, &err) != STORE_OK)
		return NULL;
	buf_free(&err);
	for (int i = 0; i < c->n; i++) {
		if (store_begin(st) != STORE_OK)
			break;
		struct store_stmt *s = store_prepare(st, "INSERT INTO g (who, i) VALUES ($1, $2)");
		store_bind_int(s, 1, c->id);
		store_bind_int(s, 2, i);
		if (store_step(s) != STORE_DONE || store_commit(st) != STORE_OK)
			break;
		c->durable += store_last_commit_durable(st);
	}
	store_close(st);
	return NULL;
}

static void test_group_commit(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(store_exec(f->st, "CREATE TABLE g (who INTEGER, i INTEGER, PRIMARY KEY (who, i))"), STORE_OK);
	enum { THREADS = 6, EACH = 40 };
	struct committer c[THREADS];
	pthread_t th[THREADS];
	for (int t = 0; t < THREADS; t++) {
		c[t] = (struct committer){f->path, t, EACH, 0};
		assert_int_equal(pthread_create(&th[t], NULL, commit_loop, &c[t]), 0);
	}
	for (int t = 0; t < THREADS; t++) {
		pthread_join(th[t], NULL);
		assert_int_equal(c[t].durable, EACH);
	}
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM g", NULL), THREADS * EACH);
	/* A relaxed commit (the read audit) does not wait, but the next ordinary commit's sync covers it. */
	assert_int_equal(store_begin_relaxed(f->st), STORE_OK);
	assert_int_equal(store_exec(f->st, "INSERT INTO g (who, i) VALUES (99, 1)"), STORE_OK);
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(store_exec(f->st, "INSERT INTO g (who, i) VALUES (99, 2)"), STORE_OK);
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_true(store_last_commit_durable(f->st));
}

static void test_parameters_out_of_order_and_repeated(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(store_exec(f->st, "CREATE TABLE t (a TEXT, b TEXT, c TEXT)"), STORE_OK);
	struct store_stmt *s = store_prepare(f->st, "INSERT INTO t (a, b, c) VALUES ($2, $1, $2)");
	assert_non_null(s);
	store_bind_text(s, 1, "one");
	store_bind_text(s, 2, "two");
	assert_int_equal(store_step(s), STORE_DONE);
	s = store_prepare(f->st, "SELECT a || b || c FROM t WHERE '$1' = '$1'");
	assert_int_equal(store_step(s), STORE_ROW);
	assert_string_equal(store_col_text(s, 0), "twoonetwo");
	store_reset(s);
}

static void test_transactions_and_constraints(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(store_exec(f->st, "CREATE TABLE u (id TEXT PRIMARY KEY)"), STORE_OK);
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_true(store_in_transaction(f->st));
	struct store_stmt *s = store_prepare(f->st, "INSERT INTO u (id) VALUES ($1)");
	store_bind_text(s, 1, "x");
	assert_int_equal(store_step(s), STORE_DONE);
	assert_int_equal(store_rollback(f->st), STORE_OK);
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM u", NULL), 0);
	assert_int_equal(store_begin(f->st), STORE_OK);
	store_bind_text(s, 1, "x");
	assert_int_equal(store_step(s), STORE_DONE);
	store_bind_text(s, 1, "x");
	assert_int_equal(store_step(s), STORE_CONSTRAINT);
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM u", NULL), 1);
	assert_null(store_prepare(f->st, "SELEC nonsense"));
	assert_non_null(strstr(store_errmsg(f->st), "syntax"));
}

/* The data version tells a cache whether anything changed: another connection's commit (the read-audit writer,
 * another process) or this connection's own; a read changes nothing. */
static void test_data_version(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(store_exec(f->st, "CREATE TABLE v (x INTEGER)"), STORE_OK);
	struct store *other;
	struct buf err;
	buf_init(&err, 0);
	assert_int_equal(store_open(&other, f->path, NULL, &err), STORE_OK);
	buf_free(&err);
	assert_int_equal(store_data_version(f->st), 0); /* outside a transaction: unknown */

	assert_int_equal(store_begin_read(f->st), STORE_OK);
	assert_int_equal(store_data_version(f->st), 0); /* the snapshot has not read yet: it could still move */
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM v", NULL), 0);
	uint64_t v1 = store_data_version(f->st);
	assert_true(v1 != 0);
	assert_int_equal(store_rollback(f->st), STORE_OK);

	assert_int_equal(store_begin_read(f->st), STORE_OK); /* nothing changed: the same */
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM v", NULL), 0);
	assert_true(store_data_version(f->st) == v1);
	assert_int_equal(store_rollback(f->st), STORE_OK);

	assert_int_equal(store_begin(other), STORE_OK); /* another connection commits */
	assert_int_equal(store_exec(other, "INSERT INTO v (x) VALUES (1)"), STORE_OK);
	assert_int_equal(store_commit(other), STORE_OK);
	assert_int_equal(store_begin_read(f->st), STORE_OK);
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM v", NULL), 1);
	uint64_t v2 = store_data_version(f->st);
	assert_true(v2 != 0 && v2 != v1);
	assert_int_equal(store_rollback(f->st), STORE_OK);

	assert_int_equal(store_begin(f->st), STORE_OK); /* this connection commits */
	assert_int_equal(store_exec(f->st, "INSERT INTO v (x) VALUES (2)"), STORE_OK);
	assert_int_equal(store_data_version(f->st), 0); /* uncommitted rows: never cached */
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_int_equal(store_begin_read(f->st), STORE_OK);
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM v", NULL), 2);
	uint64_t v3 = store_data_version(f->st);
	assert_true(v3 != 0 && v3 != v2 && v3 != v1);
	assert_int_equal(store_rollback(f->st), STORE_OK);
	store_close(other);
}

/* store_end_read ends a read snapshot and leaves a write transaction alone. */
static void test_end_read(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(store_exec(f->st, "CREATE TABLE w (x INTEGER)"), STORE_OK);
	store_end_read(f->st); /* nothing open: nothing happens */
	assert_false(store_in_transaction(f->st));
	assert_int_equal(store_begin_read(f->st), STORE_OK);
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM w", NULL), 0);
	store_end_read(f->st);
	assert_false(store_in_transaction(f->st));
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(store_exec(f->st, "INSERT INTO w (x) VALUES (1)"), STORE_OK);
	store_end_read(f->st);
	assert_true(store_in_transaction(f->st));
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM w", NULL), 1);
}

/* A statement prepared and bound survives the cache filling up behind it (no use after free under ASan). */
static void test_statement_cache_eviction(void **state)
{
	struct fixture *f = *state;
	struct store_stmt *held = store_prepare(f->st, "SELECT $1 + 1");
	store_bind_int(held, 1, 41);
	for (int i = 0; i < 600; i++) {
		char sql[64];
		snprintf(sql, sizeof sql, "SELECT %d", i);
		struct store_stmt *s = store_prepare(f->st, sql);
		assert_int_equal(store_step(s), STORE_ROW);
		assert_int_equal(store_col_int(s, 0), i);
		store_reset(s);
		if (i == 100) {
			held = store_prepare(f->st, "SELECT $1 + 1"); /* re-used recently: stays cached */
			store_bind_int(held, 1, 41);
		}
	}
	held = store_prepare(f->st, "SELECT $1 + 1");
	store_bind_int(held, 1, 41);
	assert_int_equal(store_step(held), STORE_ROW);
	assert_int_equal(store_col_int(held, 0), 42);
	store_reset(held);
}

static void test_migrations(void **state)
{
	struct fixture *f = *state;
	struct buf err;
	buf_init(&err, 0);
	int applied = -1;
	assert_int_equal(migrate_check(f->st, "migrations", &err), 1);
	assert_int_equal(migrate_up(f->st, "migrations", &applied, &err), 0);
	assert_true(applied >= 4);
	int v = migrate_current_version(f->st);
	assert_true(v >= 4);
	assert_int_equal(migrate_check(f->st, "migrations", &err), 0);
	assert_int_equal(migrate_up(f->st, "migrations", &applied, &err), 0);
	assert_int_equal(applied, 0);
	/* A database from a newer program is refused. */
	assert_int_equal(store_exec(f->st, "INSERT INTO schema_migrations VALUES (9999, 'future', 'x')"), STORE_OK);
	assert_int_equal(migrate_check(f->st, "migrations", &err), -1);
	assert_non_null(strstr(buf_str(&err), "newer"));
	buf_reset(&err);
	assert_int_equal(migrate_up(f->st, "migrations", &applied, &err), -1);
	buf_free(&err);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void test_enums_validation(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *json, *expect;
	} bad[] = {
		{"{\"version\":\"1\",\"lists\":{\"a\":{\"values\":[{\"code\":\"x\",\"label\":\"X\"}]}}}", "a: missing citation"},
		{"{\"version\":\"1\",\"lists\":{\"a\":{\"citation\":\"c\",\"values\":[{\"code\":\"x\",\"label\":\"X\"},"
		 "{\"code\":\"x\",\"label\":\"Y\"}]}}}", "duplicate code x"},
		{"{\"version\":\"1\",\"lists\":{\"a\":{\"citation\":\"c\",\"colour\":1,\"values\":[]}}}", "unknown field"},
		{"{\"version\":\"1\",\"lists\":{\"a\":{\"citation\":\"c\",\"values\":[{\"code\":\"x\",\"label\":\"X\","
		 "\"shade\":2}]}}}", "a.values[0]: unknown field"},
		{"{\"lists\":{}}", "expected"},
		{"{not json", "line 1"},
	};
	char path[200];
	snprintf(path, sizeof path, "%s/enums.json", f->dir);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		write_file(path, bad[i].json);
		struct buf err;
		buf_init(&err, 0);
		assert_int_equal(enums_load(path, &err), -1);
		if (!strstr(buf_str(&err), bad[i].expect) || !strstr(buf_str(&err), path))
			fail_msg("case %zu: '%s' lacks '%s' or the file name", i, buf_str(&err), bad[i].expect);
		buf_free(&err);
	}
	struct buf err;
	buf_init(&err, 0);
	assert_int_equal(enums_load("rules/enums.json", &err), 0);
	assert_string_equal(enums_label("gender", "female"), "Female");
	assert_null(enums_label("gender", "nope"));
	assert_null(enums_label("nolist", "female"));
	buf_free(&err);
}

static void test_record_layer(void **state)
{
	struct fixture *f = *state;
	struct buf err;
	buf_init(&err, 0);
	assert_int_equal(migrate_up(f->st, "migrations", NULL, &err), 0);
	assert_int_equal(enums_load("rules/enums.json", &err), 0);
	buf_free(&err);

	static const struct {
		const char *json;
		bool partial;
		const char *field; /* expected first error field, NULL = valid */
	} cases[] = {
		{"{\"forenames\":\"A\",\"surname\":\"B\",\"dob\":\"2019-01-01\"}", false, NULL},
		{"{\"surname\":\"B\"}", false, "forenames"},
		{"{\"surname\":\"B\"}", true, NULL},
		{"{\"forenames\":\"\",\"surname\":\"B\"}", false, "forenames"},
		{"{\"forenames\":\"A\",\"surname\":\"B\",\"dob\":\"2019-02-29\"}", false, "dob"},
		{"{\"forenames\":\"A\",\"surname\":\"B\",\"gender\":\"robot\"}", false, "gender"},
		{"{\"forenames\":\"A\",\"surname\":\"B\",\"interpreter_required\":\"yes\"}", false, "interpreter_required"},
		{"{\"forenames\":\"A\\u0001\",\"surname\":\"B\"}", false, "forenames"},
		{"{\"created_by\":\"me\"}", true, "created_by"},
		{"{\"colour\":\"red\"}", true, "colour"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *in = json_loads(cases[i].json, 0, NULL);
		json_t *errors = json_array();
		int n = record_validate(f->st, &entity_child, in, cases[i].partial, errors);
		const char *field = json_string_value(json_object_get(json_array_get(errors, 0), "field"));
		if (cases[i].field ? (!field || strcmp(field, cases[i].field)) : n != 0)
			fail_msg("case %zu: got %d errors, first %s", i, n, field ? field : "(none)");
		json_decref(in);
		json_decref(errors);
	}

	/* Insert, read, update, redact. */
	json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:b}", "forenames", "Rae", "surname", "Moss", "dob", "2018-04-01",
	                       "address", "Refuge 1", "interpreter_required", 1);
	char id[ID_MAX];
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(record_insert(f->st, &entity_child, in, NULL, 0, NULL, id), STORE_OK);
	assert_int_equal(store_commit(f->st), STORE_OK);
	json_decref(in);
	json_t *row = record_get(f->st, &entity_child, id);
	assert_non_null(row);
	assert_string_equal(json_string_value(json_object_get(row, "surname")), "Moss");
	assert_true(json_is_true(json_object_get(row, "interpreter_required")));
	json_t *upd = json_pack("{s:s}", "surname", "Moss-Lee");
	assert_int_equal(record_update(f->st, &entity_child, id, upd, NULL), STORE_OK);
	assert_int_equal(record_update(f->st, &entity_child, "chd_0000000000000000", upd, NULL), STORE_DONE);
	json_decref(upd);
	json_decref(row);
	row = record_get(f->st, &entity_child, id);
	assert_string_equal(json_string_value(json_object_get(row, "surname")), "Moss-Lee");
	record_redact(&entity_child, row, false);
	assert_null(json_object_get(row, "address"));
	assert_string_equal(json_string_value(json_array_get(json_object_get(row, "restricted_fields"), 0)), "address");
	json_decref(row);
	assert_null(record_get(f->st, &entity_child, "chd_0000000000000000"));
	assert_null(record_get(f->st, &entity_child, "'; DROP TABLE children; --"));
	enums_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_durability_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parameters_out_of_order_and_repeated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transactions_and_constraints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_statement_cache_eviction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_end_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enums_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_layer, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
