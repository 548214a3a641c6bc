/* The hash-chained audit log against a real temporary SQLite database with the migrations applied: appending, the
 * same-transaction rule, verify on an intact chain, verify naming the first tampered entry for a table of direct
 * edits and deletions, anchors against cutting the newest entries, and the two report questions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "audit/audit.h"
#include "audit/sha256.h"
#include "store/migrate.h"

#define T0 1767225600 /* 2026-01-01T00:00:00Z */
#define DAY 86400

struct fx {
	char path[64];
	struct store *st;
};

static const char *migrations_dir(void)
{
	const char *d = getenv("SAFEGUARD_MIGRATIONS");
	return d && d[0] ? d : "migrations";
}

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	snprintf(f->path, sizeof f->path, "/tmp/sg_audit_XXXXXX");
	int fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	struct buf err;
	buf_init(&err, 0);
	assert_int_equal(store_open(&f->st, f->path, NULL, &err), STORE_OK);
	int rc = migrate_up(f->st, migrations_dir(), NULL, &err);
	if (rc != 0)
		fprintf(stderr, "migrate: %s\n", buf_str(&err));
	assert_int_equal(rc, 0);
	buf_free(&err);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->st);
	char side[80];
	unlink(f->path);
	snprintf(side, sizeof side, "%s-wal", f->path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", f->path);
	unlink(side);
	free(f);
	return 0;
}

/* Entry i (1-based) of the standard ten: alternating readers of two children, one day apart. */
static void append_ten(struct store *st)
{
	static const char *const actors[] = {"usr_a", "usr_b"};
	static const char *const children[] = {"chd_1", "chd_2"};
	assert_int_equal(store_begin(st), STORE_OK);
	for (int i = 1; i <= 10; i++) {
		char obj[16];
		snprintf(obj, sizeof obj, "cas_%d", i);
		struct audit_event ev = {.actor_user_id = actors[i % 2],
		                         .action = i % 3 == 0 ? "update" : "read",
		                         .object_type = "case",
		                         .object_id = obj,
		                         .child_id = children[(i / 2) % 2],
		                         .reason = i == 4 ? "allocated worker" : NULL,
		                         .detail = "GET /cases/{id}"};
		assert_int_equal(audit_append_at(st, &ev, T0 + (int64_t)i * DAY), 0);
	}
	assert_int_equal(store_commit(st), STORE_OK);
}

/* The chain's SHA-256 must equal libsodium's on every length and every split of the input, on both the SHA-NI
 * path (when this CPU has it) and the portable one. */
static void test_sha256_matches_libsodium(void **state)
{
	(void)state;
	assert_true(sodium_init() >= 0);
	static uint8_t buf[700];
	for (int portable = 0; portable < 2; portable++) {
		sha256_force_portable(portable == 1);
		if (portable)
			assert_false(sha256_accelerated());
		for (size_t n = 0; n < sizeof buf; n++) {
			uint8_t want[SHA256_BYTES], got[SHA256_BYTES];
			randombytes_buf(buf, n);
			crypto_hash_sha256(want, buf, n);
			struct sha256 c;
			sha256_init(&c);
			size_t a = n / 3, b = n / 2;
			sha256_update(&c, buf, a);
			sha256_update(&c, buf + a, b - a);
			sha256_update(&c, buf + b, n - b);
			sha256_final(&c, got);
			assert_memory_equal(got, want, SHA256_BYTES);
			sha256(buf, n, got);
			assert_memory_equal(got, want, SHA256_BYTES);
		}
	}
	sha256_force_portable(false);
	/* FIPS 180-2 example "abc". */
	uint8_t d[SHA256_BYTES];
	sha256("abc", 3, d);
	static const uint8_t abc[SHA256_BYTES] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
	                                          0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
	                                          0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
	assert_memory_equal(d, abc, SHA256_BYTES);
}

static void test_time_text(void **state)
{
	(void)state;
	char s[AUDIT_TIME_LEN];
	audit_time_format(T0 + 3661, s);
	assert_string_equal(s, "2026-01-01T01:01:01Z");
	int64_t t = 0;
	assert_int_equal(audit_time_parse(s, &t), 0);
	assert_int_equal(t, T0 + 3661);
	static const char *const bad[] = {
		"2026-01-01T01:01:01",  "2026-01-01 01:01:01Z", "2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z",
		"2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00+00:00", "", NULL,
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(audit_time_parse(bad[i], &t), -1);
	assert_int_equal(audit_time_parse("2024-02-29T12:00:00Z", &t), 0);
}

static void test_append_rules(void **state)
{
	struct fx *f = *state;
	struct audit_event ev = {.action = "read", .object_type = "child", .object_id = "chd_1", .child_id = "chd_1"};
	/* Outside a transaction it would not commit with the change it records. */
	assert_int_equal(audit_append(f->st, &ev), -1);
	assert_int_equal(store_begin(f->st), STORE_OK);
	struct audit_event glass = {.actor_user_id = "usr_a", .action = "break_glass", .child_id = "chd_1"};
	assert_int_equal(audit_append(f->st, &glass), -1);
	glass.reason = "";
	assert_int_equal(audit_append(f->st, &glass), -1);
	glass.reason = "out-of-hours emergency placement";
	assert_int_equal(audit_append(f->st, &glass), 0);
	struct audit_event noaction = {.object_type = "child"};
	assert_int_equal(audit_append(f->st, &noaction), -1);
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM audit_log", NULL), 1);
}

static void test_rollback_takes_entry_with_it(void **state)
{
	struct fx *f = *state;
	append_ten(f->st);
	assert_int_equal(store_begin(f->st), STORE_OK);
	struct audit_event ev = {.actor_user_id = "usr_a", .action = "update", .object_type = "case"};
	assert_int_equal(audit_append(f->st, &ev), 0);
	assert_int_equal(store_rollback(f->st), STORE_OK);
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM audit_log", NULL), 10);
	/* The chain continues from the last committed entry. */
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(audit_append(f->st, &ev), 0);
	assert_int_equal(store_commit(f->st), STORE_OK);
	struct audit_verify_result res;
	assert_int_equal(audit_verify(f->st, NULL, &res), 0);
	assert_int_equal(res.entries, 11);
	assert_int_equal(res.last_seq, 11);
}

static void test_verify_intact(void **state)
{
	struct fx *f = *state;
	struct audit_verify_result res;
	assert_int_equal(audit_verify(f->st, NULL, &res), 0); /* empty is intact */
	assert_int_equal(res.entries, 0);
	assert_string_equal(res.head_hash, "");
	append_ten(f->st);
	assert_int_equal(audit_verify(f->st, NULL, &res), 0);
	assert_int_equal(res.entries, 10);
	assert_int_equal(res.broken_seq, 0);
	struct store_stmt *q = store_prepare(f->st, "SELECT hash, prev_hash FROM audit_log WHERE seq = $1");
	assert_non_null(q);
	store_bind_int(q, 1, 10);
	assert_int_equal(store_step(q), STORE_ROW);
	assert_string_equal(res.head_hash, store_col_text(q, 0));
	store_reset(q);
	store_bind_int(q, 1, 1);
	assert_int_equal(store_step(q), STORE_ROW);
	assert_string_equal(store_col_text(q, 1),
	                    "0000000000000000000000000000000000000000000000000000000000000000");
	store_reset(q);
}

/* Direct edits of the database, as someone with file access might make them, and the entry verify must name. */
static const struct {
	const char *sql;
	int64_t broken;
	const char *reason_has;
} tamper[] = {
	/* 1 */ {"UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 5", 5, "altered"},
	/* 2 */ {"UPDATE audit_log SET actor_user_id = 'usr_z' WHERE seq = 3", 3, "altered"},
	/* 3 */ {"UPDATE audit_log SET at = '2026-01-02T00:00:01Z' WHERE seq = 7", 7, "altered"},
	/* 4 */ {"UPDATE audit_log SET reason = NULL WHERE seq = 4", 4, "altered"},
	/* 5 */ {"UPDATE audit_log SET child_id = NULL WHERE seq = 2", 2, "altered"},
	/* 6 */ {"UPDATE audit_log SET hash = '" "1111111111111111111111111111111111111111111111111111111111111111"
	         "' WHERE seq = 8", 8, "altered"},
	/* 7 */ {"UPDATE audit_log SET prev_hash = '" "2222222222222222222222222222222222222222222222222222222222222222"
	         "' WHERE seq = 9", 9, "prev_hash"},
	/* 8 */ {"DELETE FROM audit_log WHERE seq = 6", 6, "missing"},
	/* 9 */ {"DELETE FROM audit_log WHERE seq = 1", 1, "missing"},
	/* 10: moving a character between adjacent fields keeps their concatenation: the length prefixes catch it. */
	{"UPDATE audit_log SET object_type = object_type || substr(object_id, 1, 1),"
	 " object_id = substr(object_id, 2) WHERE seq = 5", 5, "altered"},
	/* 11: renumbering the last entry leaves a gap */
	{"UPDATE audit_log SET seq = 100 WHERE seq = 10", 10, "missing"},
	/* 12: copying entry 3's hash over entry 4's hides nothing */
	{"UPDATE audit_log SET hash = (SELECT hash FROM audit_log WHERE seq = 3) WHERE seq = 4", 4, "altered"},
	/* 13: a hash in upper case is not the hash we wrote */
	{"UPDATE audit_log SET hash = upper(hash) WHERE seq = 2", 2, "malformed"},
};

static void test_verify_finds_tampering(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof tamper / sizeof tamper[0]; i++) {
		void *fxs;
		fx_setup(&fxs);
		struct fx *f = fxs;
		append_ten(f->st);
		assert_int_equal(store_exec(f->st, tamper[i].sql), STORE_OK);
		struct audit_verify_result res;
		int rc = audit_verify(f->st, NULL, &res);
		if (rc != 1 || res.broken_seq != tamper[i].broken || !strstr(res.reason, tamper[i].reason_has))
			fprintf(stderr, "case %zu: rc %d broken %lld reason %s\n", i + 1, rc, (long long)res.broken_seq,
			        res.reason);
		assert_int_equal(rc, 1);
		assert_int_equal(res.broken_seq, tamper[i].broken);
		assert_non_null(strstr(res.reason, tamper[i].reason_has));
		assert_int_equal(res.entries, tamper[i].broken - 1);
		fx_teardown(&fxs);
	}
}

static void test_anchor_catches_cut_tail(void **state)
{
	struct fx *f = *state;
	append_ten(f->st);
	struct audit_verify_result head, res;
	assert_int_equal(audit_verify(f->st, NULL, &head), 0);
	struct audit_verify_options opt = {.anchor_seq = head.last_seq, .anchor_hash = head.head_hash};
	assert_int_equal(audit_verify(f->st, &opt, &res), 0);
	/* A wrong recorded hash for the anchor is reported at the anchor. */
	opt.anchor_hash = "3333333333333333333333333333333333333333333333333333333333333333";
	assert_int_equal(audit_verify(f->st, &opt, &res), 1);
	assert_int_equal(res.broken_seq, 10);
	/* Cutting the newest two entries leaves an intact but shorter chain: only the anchor shows it. */
	assert_int_equal(store_exec(f->st, "DELETE FROM audit_log WHERE seq > 8"), STORE_OK);
	assert_int_equal(audit_verify(f->st, NULL, &res), 0);
	assert_int_equal(res.entries, 8);
	opt.anchor_hash = head.head_hash;
	assert_int_equal(audit_verify(f->st, &opt, &res), 1);
	assert_int_equal(res.broken_seq, 9);
	assert_non_null(strstr(res.reason, "anchor"));
}

struct collected {
	int n;
	int64_t seqs[16];
	int stop_after;
};

static int collect(const struct audit_entry *e, void *ctx)
{
	struct collected *c = ctx;
	c->seqs[c->n++] = e->seq;
	assert_non_null(e->at);
	assert_non_null(e->action);
	return c->stop_after && c->n >= c->stop_after;
}

static void test_reports(void **state)
{
	struct fx *f = *state;
	append_ten(f->st);
	/* Child chd_1 is entries with (i / 2) % 2 == 0: 1, 4, 5, 8, 9; chd_2: 2, 3, 6, 7, 10. usr_a (odd index
	 * into actors = i % 2 == 0): 2, 4, 6, 8, 10. Entry i is at T0 + i days. */
	static const struct {
		bool by_child;
		const char *key;
		int64_t from, to;
		int limit;
		int n;
		int64_t first, last;
		bool truncated;
	} cases[] = {
		/* 1 */ {true, "chd_1", 0, 0, 0, 5, 1, 9, false},
		/* 2 */ {true, "chd_2", 0, 0, 0, 5, 2, 10, false},
		/* 3 */ {true, "chd_1", T0 + 4 * DAY, T0 + 9 * DAY, 0, 3, 4, 8, false}, /* from inclusive, to exclusive */
		/* 4 */ {true, "chd_1", 0, 0, 2, 2, 1, 4, true},
		/* 5 */ {true, "chd_9", 0, 0, 0, 0, 0, 0, false},
		/* 6 */ {false, "usr_a", 0, 0, 0, 5, 2, 10, false},
		/* 7 */ {false, "usr_b", T0 + 6 * DAY, 0, 0, 2, 7, 9, false},
		/* 8 */ {false, "usr_a", 0, T0 + 1 * DAY, 0, 0, 0, 0, false},
		/* 9 */ {false, "usr_b", 0, 0, 5, 5, 1, 9, false}, /* exactly the limit: not truncated */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct collected c = {0};
		struct audit_range r = {.from = cases[i].from, .to = cases[i].to, .limit = cases[i].limit};
		bool truncated = !cases[i].truncated;
		int n = cases[i].by_child ? audit_report_child(f->st, cases[i].key, &r, collect, &c, &truncated)
		                          : audit_report_user(f->st, cases[i].key, &r, collect, &c, &truncated);
		assert_int_equal(n, cases[i].n);
		assert_int_equal(c.n, cases[i].n);
		assert_int_equal(truncated, cases[i].truncated);
		if (n > 0) {
			assert_int_equal(c.seqs[0], cases[i].first);
			assert_int_equal(c.seqs[n - 1], cases[i].last);
		}
	}
	/* The callback can stop early. */
	struct collected c = {.stop_after = 2};
	assert_int_equal(audit_report_child(f->st, "chd_1", NULL, collect, &c, NULL), 2);
	/* Reason is reported with the entry (case 4 of the ten carries one). */
	struct collected one = {0};
	struct audit_range r = {.from = T0 + 4 * DAY, .to = T0 + 5 * DAY};
	assert_int_equal(audit_report_child(f->st, "chd_1", &r, collect, &one, NULL), 1);
	assert_int_equal(one.seqs[0], 4);
}

static void test_verify_without_table(void **state)
{
	struct fx *f = *state;
	assert_int_equal(store_exec(f->st, "DROP TABLE audit_log"), STORE_OK);
	struct audit_verify_result res;
	assert_int_equal(audit_verify(f->st, NULL, &res), -1);
	assert_non_null(strstr(res.reason, "audit log"));
	assert_false(store_in_transaction(f->st));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_matches_libsodium),
		cmocka_unit_test(test_time_text),
		cmocka_unit_test_setup_teardown(test_append_rules, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rollback_takes_entry_with_it, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_verify_intact, fx_setup, fx_teardown),
		cmocka_unit_test(test_verify_finds_tampering),
		cmocka_unit_test_setup_teardown(test_anchor_catches_cut_tail, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reports, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_verify_without_table, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
