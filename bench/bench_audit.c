/* bench_audit: the cost of audit_append, and the speed of audit_verify against the budget (10 million
 * entries in under 20 s, i.e. 500,000 entries/s: that is the baseline the ratio is against).
 *
 * Builds a temporary database with BENCH_AUDIT_N entries (default 1,000,000, at least 100,000) of realistic size,
 * appended in transactions of 1,000 as a busy server's group commit would, then verifies the whole chain. Append is
 * compared with inserting the same first 100,000 rows into an identical table without the chain (read the previous
 * entry, hash), measured in the same run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "store/migrate.h"

#define BASELINE_VERIFY 500000.0 /* entries/s: 10M in 20 s */
#define BATCH 1000
#define BASELINE_ROWS 100000 /* append is compared with plain inserts over this many rows */

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The baseline for append: the same rows, batches and indexes, inserted into a copy of the table without reading the
 * previous entry or hashing. Returns the seconds taken for BASELINE_ROWS rows, or -1. */
static double plain_inserts(struct store *st, int64_t t0)
{
	if (store_exec(st, "CREATE TABLE audit_plain AS SELECT * FROM audit_log WHERE 0;"
	                   " CREATE INDEX audit_plain_child ON audit_plain(child_id, at);"
	                   " CREATE INDEX audit_plain_actor ON audit_plain(actor_user_id, at)") != STORE_OK)
		return -1;
	double start = seconds();
	for (long i = 0; i < BASELINE_ROWS; i += BATCH) {
		if (store_begin(st) != STORE_OK)
			return -1;
		for (long j = i; j < i + BATCH; j++) {
			char actor[24], child[24], object[24], at[AUDIT_TIME_LEN];
			snprintf(actor, sizeof actor, "usr_%016ld", j % 977);
			snprintf(child, sizeof child, "chd_%016ld", j % 100003);
			snprintf(object, sizeof object, "cas_%016ld", j % 200003);
			audit_time_format(t0 + j, at);
			struct store_stmt *q = store_prepare(
				st, "INSERT INTO audit_plain (seq, at, actor_user_id, action, object_type, object_id, child_id,"
				    " reason, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, 'case', $5, $6, $7,"
				    " 'GET /cases/{id}/chronology', $8, $8)");
			if (!q || store_bind_int(q, 1, j + 1) || store_bind_text(q, 2, at) || store_bind_text(q, 3, actor) ||
			    store_bind_text(q, 4, j % 5 ? "read" : "update") || store_bind_text(q, 5, object) ||
			    store_bind_text(q, 6, child) || store_bind_text(q, 7, j % 50 ? NULL : "allocated worker") ||
			    store_bind_text(q, 8, "0000000000000000000000000000000000000000000000000000000000000000") ||
			    store_step(q) != STORE_DONE) {
				store_rollback(st);
				return -1;
			}
		}
		if (store_commit(st) != STORE_OK)
			return -1;
	}
	return seconds() - start;
}

static void progress(int64_t done, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "  verified %lld\n", (long long)done);
}

int main(void)
{
	const char *n_env = getenv("BENCH_AUDIT_N");
	long n = n_env ? strtol(n_env, NULL, 10) : 1000000;
	if (n < BASELINE_ROWS)
		n = BASELINE_ROWS;
	const char *mig = getenv("SAFEGUARD_MIGRATIONS");
	char path[] = "/tmp/sg_bench_audit_XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) {
		perror("mkstemp");
		return 1;
	}
	close(fd);
	struct store *st = NULL;
	struct buf err;
	buf_init(&err, 0);
	int rc = 1;
	if (store_open(&st, path, NULL, &err) != STORE_OK || migrate_up(st, mig && mig[0] ? mig : "migrations", NULL,
	                                                               &err) != 0) {
		fprintf(stderr, "bench_audit: %s\n", buf_str(&err));
		goto out;
	}

	const int64_t t0 = 1767225600;
	double start = seconds(), first_s = 0;
	for (long i = 0; i < n; i += BATCH) {
		if (i == BASELINE_ROWS)
			first_s = seconds() - start;
		if (store_begin(st) != STORE_OK)
			goto fail;
		for (long j = i; j < i + BATCH && j < n; j++) {
			char actor[24], child[24], object[24];
			snprintf(actor, sizeof actor, "usr_%016ld", j % 977);
			snprintf(child, sizeof child, "chd_%016ld", j % 100003);
			snprintf(object, sizeof object, "cas_%016ld", j % 200003);
			struct audit_event ev = {.actor_user_id = actor,
			                         .action = j % 5 ? "read" : "update",
			                         .object_type = "case",
			                         .object_id = object,
			                         .child_id = child,
			                         .reason = j % 50 ? NULL : "allocated worker",
			                         .detail = "GET /cases/{id}/chronology"};
			if (audit_append_at(st, &ev, t0 + j) != 0)
				goto fail;
		}
		if (store_commit(st) != STORE_OK)
			goto fail;
	}
	double append_s = seconds() - start;
	if (!first_s)
		first_s = append_s;
	double plain_s = plain_inserts(st, t0);
	if (plain_s < 0)
		goto fail;
	printf("audit append: %.0f entries/s over %ld (%.2f us each, %d per transaction, each commit synced)\n",
	       (double)n / append_s, n, append_s * 1e6 / (double)n, BATCH);
	printf("audit append first %d: %.0f entries/s (ratio %.2f vs baseline %.0f rows/s of the same rows inserted"
	       " without the chain)\n",
	       BASELINE_ROWS, BASELINE_ROWS / first_s, plain_s / first_s, BASELINE_ROWS / plain_s);

	struct audit_verify_result res;
	struct audit_verify_options opt = {.progress = progress};
	start = seconds();
	int v = audit_verify(st, &opt, &res);
	double verify_s = seconds() - start;
	if (v != 0) {
		fprintf(stderr, "bench_audit: verify did not pass: %s\n", res.reason);
		goto out;
	}
	double rate = (double)res.entries / verify_s;
	printf("audit verify: %.0f entries/s (ratio %.2f vs baseline %.0f entries/s; 10M would take %.1f s, budget 20 s)\n",
	       rate, rate / BASELINE_VERIFY, BASELINE_VERIFY, 1e7 / rate);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "bench_audit: append failed: %s\n", store_errmsg(st));
	store_rollback(st);
out:
	store_close(st);
	buf_free(&err);
	char side[64];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	return rc;
}
