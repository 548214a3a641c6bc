/* Recompute every open clock of an authority (1,000,000 of them) from its rule and start, and list the overdue
 * ones, against a plain scan of the same rows in the same run. Usage: bench_clocks [ROWS] (rules from
 * $SAFEGUARD_RULES or ./rules) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calendar/calendar.h"
#include "clock/deadline.h"
#include "clock/rules.h"
#include "core/date.h"
#include "store/migrate.h"
#include "store/store.h"

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int rows = argc > 1 ? atoi(argv[1]) : 1000000;
	const char *rules_dir = getenv("SAFEGUARD_RULES") ? getenv("SAFEGUARD_RULES") : "rules";
	char dir[] = "/tmp/sgbench.XXXXXX", path[128];
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/c.db", dir);
	struct buf err;
	buf_init(&err, 0);
	struct store *st;
	struct calendar *cal;
	struct clock_rules *rules;
	if (store_open(&st, path, NULL, &err) || migrate_up(st, "migrations", NULL, &err) ||
	    calendar_load(&cal, rules_dir, "essex", &err) || clock_rules_load(&rules, rules_dir, &err)) {
		fprintf(stderr, "bench_clocks: %s\n", buf_str(&err));
		return 1;
	}
	store_exec(st, "INSERT INTO users (id, username, display_name, role, created_at, updated_at) VALUES "
	               "('usr_0000000000000001', 'b', 'B', 'social_worker', 'x', 'x');"
	               "INSERT INTO children (id, forenames, surname, dob, created_at, updated_at) VALUES "
	               "('chd_0000000000000001', 'A', 'B', '2019-01-01', 'x', 'x');"
	               "INSERT INTO cases (id, child_id, stage, opened_at, created_at, updated_at) VALUES "
	               "('cas_0000000000000001', 'chd_0000000000000001', 'cp_plan', 'x', 'x', 'x')");
	/* A realistic mix of forward working-day, month and recurring week clocks started over the last year. */
	static const char *const mix[][2] = {{"T-16", "default"}, {"T-06", "default"}, {"T-39", "default"},
	                                     {"T-49", "default"}, {"T-62", "default"}, {"T-57", "default"}};
	int64_t now = moment_now();
	double t0 = now_s();
	store_begin(st);
	struct store_stmt *ins = store_prepare(
		st, "INSERT INTO clocks (id, case_id, child_id, rule_id, variant, title, citation, started_at, due_at, "
		    "due_day, original_due_at, state, responsible_user_id, created_at, updated_at) VALUES ($1, "
		    "'cas_0000000000000001', 'chd_0000000000000001', $2, $3, 't', 'c', $4, $5, 'd', $5, 'running', "
		    "'usr_0000000000000001', 0, 0)");
	for (int i = 0; i < rows; i++) {
		char id[32];
		snprintf(id, sizeof id, "clk_%016d", i);
		store_bind_text(ins, 1, id);
		store_bind_text(ins, 2, mix[i % 6][0]);
		store_bind_text(ins, 3, mix[i % 6][1]);
		store_bind_int(ins, 4, now - (int64_t)(i % 365) * 86400);
		store_bind_int(ins, 5, 0);
		store_step(ins);
		if (i % 100000 == 99999) {
			store_commit(st);
			store_begin(st);
		}
	}
	store_commit(st);
	double load = now_s() - t0;

	/* Baseline: read every open clock's row and compare its stored due moment. */
	t0 = now_s();
	struct store_stmt *s = store_prepare(
		st, "SELECT id, rule_id, variant, started_at, due_at FROM clocks WHERE state = 'running'");
	long scanned = 0, stale = 0;
	while (store_step(s) == STORE_ROW) {
		scanned++;
		stale += store_col_int(s, 4) < now;
	}
	double scan = now_s() - t0;

	/* Recompute: the same rows, each due moment worked out again from its rule, overdue ones listed. */
	t0 = now_s();
	s = store_prepare(st, "SELECT id, rule_id, variant, started_at, due_at FROM clocks WHERE state = 'running'");
	long overdue = 0, computed = 0;
	char last_rule[16] = "";
	const struct clock_rule *rule = NULL;
	const struct clock_variant *variant = NULL;
	char **listed = malloc(sizeof(char *) * (size_t)rows);
	while (store_step(s) == STORE_ROW) {
		const char *rid = store_col_text(s, 1);
		if (strcmp(rid, last_rule) != 0) {
			clock_rules_find(rules, rid, &rule, &variant);
			snprintf(last_rule, sizeof last_rule, "%s", rid);
		}
		struct clock_due due;
		buf_reset(&err);
		if (clock_deadline_due(rule, &rule->variants[0], store_col_int(s, 3), cal, &due, &err) < 0)
			continue;
		computed++;
		if (due.due < now)
			listed[overdue++] = strdup(store_col_text(s, 0));
	}
	double recompute = now_s() - t0;
	printf("clocks: %d open clocks loaded in %.1f s; recompute all + list %ld overdue: %.3f s; plain scan: %.3f s; "
	       "ratio %.2f vs plain scan (target: under 1 s)\n",
	       rows, load, overdue, recompute, scan, recompute / scan);
	for (long i = 0; i < overdue; i++)
		free(listed[i]);
	free(listed);
	(void)stale;
	(void)computed;
	store_close(st);
	calendar_free(cal);
	clock_rules_free(rules);
	buf_free(&err);
	char p2[200];
	const char *sfx[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(p2, sizeof p2, "%s%s", path, sfx[i]);
		unlink(p2);
	}
	rmdir(dir);
	return recompute < 1.0 ? 0 : 1;
}
