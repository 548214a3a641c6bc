/* Passwords, sessions, CSRF, sign-in, session fixation and lock-out, against a real temporary SQLite database with
 * the migrations applied (accounts and the second factor are in test_account.c). The clock is a parameter everywhere, so expiry and lock-out windows are tested by
 * passing later moments, not by sleeping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "auth/login.h"
#include "auth/password.h"
#include "auth/roles.h"
#include "auth/session.h"
#include "store/migrate.h"

#define T0 1767225600 /* 2026-01-01T00:00:00Z */
#define PW "correct horse battery"

struct fx {
	char path[64];
	struct store *st;
	struct roles *roles;
	char uid[ACCOUNT_ID_SIZE]; /* "a.smith", social worker, password PW */
};

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);
	return v && v[0] ? v : dflt;
}

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	snprintf(f->path, sizeof f->path, "/tmp/sg_auth_XXXXXX");
	int fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	struct buf err, roles_path;
	buf_init(&err, 0);
	buf_init(&roles_path, 0);
	assert_int_equal(store_open(&f->st, f->path, NULL, &err), STORE_OK);
	if (migrate_up(f->st, env_or("SAFEGUARD_MIGRATIONS", "migrations"), NULL, &err) != 0)
		fail_msg("migrate: %s", buf_str(&err));
	buf_addf(&roles_path, "%s/roles.json", env_or("SAFEGUARD_RULES", "rules"));
	if (roles_load(&f->roles, buf_str(&roles_path), &err) != 0)
		fail_msg("roles: %s", buf_str(&err));
	const char *why = NULL;
	assert_int_equal(account_create(f->st, f->roles, NULL, "A.Smith", "Alex Smith", "social_worker", PW, T0, f->uid,
	                                &why),
	                 ACCOUNT_OK);
	buf_free(&err);
	buf_free(&roles_path);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	struct audit_verify_result res;
	/* Whatever a test did, the audit chain it left must be intact. */
	assert_int_equal(audit_verify(f->st, NULL, &res), 0);
	store_close(f->st);
	roles_free(f->roles);
	char side[80];
	unlink(f->path);
	snprintf(side, sizeof side, "%s-wal", f->path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", f->path);
	unlink(side);
	free(f);
	return 0;
}

static int64_t count_audit(struct store *st, const char *action)
{
	return store_query_int(st, "SELECT COUNT(*) FROM audit_log WHERE action = $1", action);
}

static enum login_outcome try_login(struct fx *f, const char *user, const char *pw, const char *code, int64_t now,
                                    struct login_result *res)
{
	struct login_request rq = {.username = user, .password = pw, .totp_code = code};
	assert_int_equal(login_authenticate(f->st, &rq, now, res), 0);
	return res->outcome;
}

/* ---- passwords ---- */

static void test_password_hash_verify(void **state)
{
	(void)state;
	char h[PASSWORD_HASH_MAX];
	assert_int_equal(password_hash(PW, h), 0);
	assert_non_null(strstr(h, "$argon2id$"));
	assert_int_equal(password_verify(h, PW), 0);
	assert_int_equal(password_verify(h, "correct horse battery "), 1);
	assert_int_equal(password_verify(h, ""), 1);
	assert_int_equal(password_verify("not a hash", PW), 1);
	assert_int_equal(password_verify("", PW), 1);
	assert_int_equal(password_verify(NULL, PW), 1);
	assert_false(password_needs_rehash(h));
}

static void test_password_policy(void **state)
{
	(void)state;
	char long_pw[1100];
	memset(long_pw, 'x', sizeof long_pw - 1);
	long_pw[1] = 'y';
	long_pw[sizeof long_pw - 1] = '\0';
	const struct {
		const char *pw, *user;
		int rc;
		const char *why_has;
	} cases[] = {
		/* 1 */ {"short one", NULL, -1, "too short"},
		/* 2 */ {"elevenchars", NULL, -1, "too short"},
		/* 3 */ {"twelve chars", NULL, 0, NULL},
		/* 4 */ {"aaaaaaaaaaaaaaaa", NULL, -1, "repeated"},
		/* 5 */ {"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
		         NULL, -1, "repeated"},
		/* 6: eleven two-byte characters are 22 bytes but still too short */
		{"\xc3\xa9\xc3\xa8\xc3\xa9\xc3\xa8\xc3\xa9\xc3\xa8\xc3\xa9\xc3\xa8\xc3\xa9\xc3\xa8\xc3\xa9", NULL, -1,
		 "too short"},
		/* 7 */ {"my name is a.smith ok", "a.smith", -1, "username"},
		/* 8 */ {"MY NAME IS A.SMITH OK", "a.smith", -1, "username"},
		/* 9 */ {"tab\there and more", NULL, -1, "control"},
		/* 10 */ {"bad \xff utf-8 here!", NULL, -1, "not valid"},
		/* 11: overlong encoding of '/' */ {"overlong \xc0\xaf and more", NULL, -1, "not valid"},
		/* 12: truncated sequence at the end */ {"truncated at end \xe2\x82", NULL, -1, "not valid"},
		/* 13 */ {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x91\xe3\x82\xb9\xe3\x83\xaf\xe3\x83\xbc"
		          "\xe3\x83\x89\xe3\x81\xa7\xe3\x81\x99\xe5\xae\x89", NULL, 0, NULL},
		/* 14 */ {long_pw, NULL, -1, "too long"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *why = NULL;
		int rc = password_policy_check(cases[i].pw, cases[i].user, &why);
		if (rc != cases[i].rc)
			fail_msg("case %zu: rc %d (%s)", i + 1, rc, why ? why : "");
		if (cases[i].why_has)
			assert_non_null(strstr(why, cases[i].why_has));
	}
}

/* ---- sessions ---- */

static void test_session_lifecycle(void **state)
{
	struct fx *f = *state;
	char tok[SESSION_TOKEN_SIZE], id[SESSION_ID_SIZE];
	struct session s, got;
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(session_create(f->st, f->uid, NULL, T0, tok, &s), 0);
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_int_equal(strlen(tok), SESSION_TOKEN_LEN);
	assert_true(session_token_well_formed(tok));
	/* Only the token's hash is stored. */
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM sessions WHERE id = $1", tok), 0);
	session_id_for_token(tok, id);
	assert_string_equal(id, s.id);
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM sessions WHERE id = $1", id), 1);

	assert_int_equal(session_lookup(f->st, tok, NULL, T0 + 10, &got), SESSION_VALID);
	assert_string_equal(got.user_id, f->uid);
	assert_string_equal(got.csrf_token, s.csrf_token);
	assert_int_equal(got.expires_at, T0 + SESSION_DEFAULT_IDLE); /* not touched within the first minute */
	assert_int_equal(session_seconds_left(&got, T0 + 10), SESSION_DEFAULT_IDLE - 10);
	/* Activity moves the idle deadline. */
	assert_int_equal(session_lookup(f->st, tok, NULL, T0 + 1700, &got), SESSION_VALID);
	assert_int_equal(got.expires_at, T0 + 1700 + SESSION_DEFAULT_IDLE);
	assert_int_equal(session_lookup(f->st, tok, NULL, T0 + 1700 + SESSION_DEFAULT_IDLE - 1, &got), SESSION_VALID);
	/* Idle past the deadline: expired, and the row is gone. */
	int64_t idle_out = got.expires_at;
	assert_int_equal(session_lookup(f->st, tok, NULL, idle_out, &got), SESSION_EXPIRED);
	assert_int_equal(session_lookup(f->st, tok, NULL, idle_out, &got), SESSION_ABSENT);
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM sessions", NULL), 0);
}

/* The server checks the session inside the request's read snapshot: the touch and the removal of an expired row
 * still reach the database (they end the snapshot and commit on their own) rather than being lost with it. */
static void test_session_writes_inside_read_snapshot(void **state)
{
	struct fx *f = *state;
	char tok[SESSION_TOKEN_SIZE];
	struct session s, got;
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(session_create(f->st, f->uid, NULL, T0, tok, &s), 0);
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_int_equal(store_begin_read(f->st), STORE_OK);
	assert_int_equal(session_lookup(f->st, tok, NULL, T0 + 10, &got), SESSION_VALID);
	assert_true(store_in_transaction(f->st)); /* no touch needed: the snapshot goes on */
	store_rollback(f->st);
	assert_int_equal(store_begin_read(f->st), STORE_OK);
	assert_int_equal(session_lookup(f->st, tok, NULL, T0 + 1700, &got), SESSION_VALID);
	assert_false(store_in_transaction(f->st)); /* the touch ended the snapshot and committed */
	store_rollback(f->st);                    /* what a request does at its end: nothing left to undo */
	/* Still valid just before the moved idle deadline, which would have passed long ago had the touch been lost. */
	struct session again;
	assert_int_equal(session_lookup(f->st, tok, NULL, T0 + 1700 + SESSION_DEFAULT_IDLE - 1, &again), SESSION_VALID);
	assert_int_equal(store_begin_read(f->st), STORE_OK);
	assert_int_equal(session_lookup(f->st, tok, NULL, T0 + 1700 + 2 * SESSION_DEFAULT_IDLE, &again),
	                 SESSION_EXPIRED);
	store_rollback(f->st);
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM sessions", NULL), 0);
}

static void test_session_absolute_expiry(void **state)
{
	struct fx *f = *state;
	char tok[SESSION_TOKEN_SIZE];
	struct session s, got;
	struct session_config cfg = {.idle_seconds = 600, .absolute_seconds = 3600};
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(session_create(f->st, f->uid, &cfg, T0, tok, &s), 0);
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_int_equal(s.absolute_expires_at, T0 + 3600);
	/* Busy all the way: every 5 minutes, never idle, yet the session ends at the absolute deadline. */
	int64_t t = T0;
	for (; t < T0 + 3600; t += 300) {
		assert_int_equal(session_lookup(f->st, tok, &cfg, t, &got), SESSION_VALID);
		assert_true(got.expires_at <= got.absolute_expires_at);
	}
	assert_int_equal(session_seconds_left(&got, T0 + 3599), 1);
	assert_int_equal(session_lookup(f->st, tok, &cfg, T0 + 3600, &got), SESSION_EXPIRED);
}

static void test_session_malformed_refused_without_query(void **state)
{
	struct fx *f = *state;
	char tok[SESSION_TOKEN_SIZE];
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(session_create(f->st, f->uid, NULL, T0, tok, NULL), 0);
	assert_int_equal(store_commit(f->st), STORE_OK);
	char plus[SESSION_TOKEN_SIZE], shorter[SESSION_TOKEN_SIZE], longer[SESSION_TOKEN_SIZE + 1];
	memcpy(plus, tok, sizeof plus);
	plus[5] = '+';
	memcpy(shorter, tok, sizeof shorter);
	shorter[SESSION_TOKEN_LEN - 1] = '\0';
	memcpy(longer, tok, SESSION_TOKEN_LEN);
	longer[SESSION_TOKEN_LEN] = 'A';
	longer[SESSION_TOKEN_LEN + 1] = '\0';
	const char *const bad[] = {NULL, "", plus, shorter, longer, "../../../../etc/passwd", "' OR 1=1 --"};
	/* With the table gone, any query would fail with -1: ABSENT proves none was made. */
	assert_int_equal(store_exec(f->st, "DROP TABLE sessions"), STORE_OK);
	struct session got;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_false(session_token_well_formed(bad[i]));
		assert_int_equal(session_lookup(f->st, bad[i], NULL, T0, &got), SESSION_ABSENT);
	}
	assert_int_equal(session_lookup(f->st, tok, NULL, T0, &got), -1);
}

static void test_session_unknown_disabled_destroy(void **state)
{
	struct fx *f = *state;
	char a[SESSION_TOKEN_SIZE], b[SESSION_TOKEN_SIZE], c[SESSION_TOKEN_SIZE];
	struct session sa, sb, sc, got;
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(session_create(f->st, f->uid, NULL, T0, a, &sa), 0);
	assert_int_equal(session_create(f->st, f->uid, NULL, T0, b, &sb), 0);
	assert_int_equal(session_create(f->st, f->uid, NULL, T0, c, &sc), 0);
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_string_not_equal(a, b);
	assert_string_not_equal(sa.csrf_token, sb.csrf_token);
	/* A well-formed token we never issued (a client-chosen id) finds nothing. */
	assert_int_equal(session_lookup(f->st, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, T0, &got),
	                 SESSION_ABSENT);
	int n = -1;
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(session_destroy(f->st, sa.id), 0);
	assert_int_equal(session_destroy_user(f->st, f->uid, sb.id, &n), 0);
	assert_int_equal(store_commit(f->st), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(session_lookup(f->st, a, NULL, T0, &got), SESSION_ABSENT);
	assert_int_equal(session_lookup(f->st, b, NULL, T0, &got), SESSION_VALID);
	assert_int_equal(session_lookup(f->st, c, NULL, T0, &got), SESSION_ABSENT);
	/* A session whose user is disabled is refused even if the row survived. */
	assert_int_equal(store_exec(f->st, "UPDATE users SET disabled = 1"), STORE_OK);
	assert_int_equal(session_lookup(f->st, b, NULL, T0, &got), SESSION_ABSENT);
	assert_int_equal(store_exec(f->st, "UPDATE users SET disabled = 0"), STORE_OK);
	assert_int_equal(session_purge_expired(f->st, T0 + SESSION_DEFAULT_IDLE), 1);
}

static void test_csrf(void **state)
{
	struct fx *f = *state;
	char tok[SESSION_TOKEN_SIZE], other_tok[SESSION_TOKEN_SIZE];
	struct session s, other;
	assert_int_equal(store_begin(f->st), STORE_OK);
	assert_int_equal(session_create(f->st, f->uid, NULL, T0, tok, &s), 0);
	assert_int_equal(session_create(f->st, f->uid, NULL, T0, other_tok, &other), 0);
	assert_int_equal(store_commit(f->st), STORE_OK);
	char forged[SESSION_TOKEN_SIZE], longer[SESSION_TOKEN_SIZE + 2];
	memcpy(forged, s.csrf_token, sizeof forged);
	forged[0] = forged[0] == 'A' ? 'B' : 'A';
	snprintf(longer, sizeof longer, "%sx", s.csrf_token);
	const struct {
		const char *submitted;
		bool ok;
	} cases[] = {
		/* 1 good */ {s.csrf_token, true},
		/* 2 missing */ {NULL, false},
		/* 3 empty */ {"", false},
		/* 4 forged, one character off */ {forged, false},
		/* 5 another session's token */ {other.csrf_token, false},
		/* 6 the session cookie itself */ {tok, false},
		/* 7 a prefix */ {"abc", false},
		/* 8 longer */ {longer, false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(session_csrf_check(&s, cases[i].submitted), cases[i].ok);
	assert_false(session_csrf_check(NULL, s.csrf_token));
}

static void test_cookie_strings(void **state)
{
	(void)state;
	const char *tok = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_01234";
	struct buf b;
	buf_init(&b, 0);
	assert_int_equal(session_cookie(&b, tok, true), 0);
	assert_string_equal(buf_str(&b), "sg_session=abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_01234; Path=/; HttpOnly; "
	                                 "SameSite=Strict; Secure");
	buf_reset(&b);
	assert_int_equal(session_cookie(&b, tok, false), 0);
	assert_null(strstr(buf_str(&b), "Secure"));
	buf_reset(&b);
	assert_int_equal(session_cookie(&b, "bad;token", true), -1);
	assert_int_equal(session_cookie_clear(&b, true), 0);
	assert_string_equal(buf_str(&b), "sg_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure");
	buf_free(&b);
	static const struct {
		const char *addr;
		bool secure;
	} cases[] = {
		{"127.0.0.1:8080", false}, {"127.1.2.3:80", false},  {"localhost:8080", false}, {"[::1]:8080", false},
		{"::1", false},            {"localhost", false},     {"0.0.0.0:8080", true},    {"10.0.0.5:443", true},
		{"[::]:8080", true},       {"127.evil.example:80", true}, {"127.0.0.1.nip.io:80", true},
		{"", true},                {NULL, true},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (session_secure_default(cases[i].addr) != cases[i].secure)
			fail_msg("case %zu (%s)", i + 1, cases[i].addr ? cases[i].addr : "NULL");
}

/* ---- sign-in, fixation, lock-out ---- */

static void test_login_ok_and_fixation(void **state)
{
	struct fx *f = *state;
	struct login_result r1, r2;
	assert_int_equal(try_login(f, "A.SMITH", PW, NULL, T0, &r1), LOGIN_OK); /* usernames are case-insensitive */
	assert_string_equal(r1.account.id, f->uid);
	assert_string_equal(r1.account.role, "social_worker");
	assert_int_equal(count_audit(f->st, "login"), 1);
	struct session got;
	assert_int_equal(session_lookup(f->st, r1.token, NULL, T0 + 5, &got), SESSION_VALID);
	assert_string_equal(got.csrf_token, r1.session.csrf_token);

	/* Signing in again while presenting that cookie (or one an attacker planted) gives a new token and kills the
	 * presented one. */
	struct login_request rq = {.username = "a.smith", .password = PW, .presented_token = r1.token};
	assert_int_equal(login_authenticate(f->st, &rq, T0 + 60, &r2), 0);
	assert_int_equal(r2.outcome, LOGIN_OK);
	assert_string_not_equal(r2.token, r1.token);
	assert_string_not_equal(r2.session.csrf_token, r1.session.csrf_token);
	assert_int_equal(session_lookup(f->st, r1.token, NULL, T0 + 61, &got), SESSION_ABSENT);
	assert_int_equal(session_lookup(f->st, r2.token, NULL, T0 + 61, &got), SESSION_VALID);
	/* A client-chosen token is never adopted. */
	const char *chosen = "FixatedTokenFixatedTokenFixatedTokenFixate1";
	rq.presented_token = chosen;
	assert_int_equal(login_authenticate(f->st, &rq, T0 + 120, &r1), 0);
	assert_int_equal(r1.outcome, LOGIN_OK);
	assert_string_not_equal(r1.token, chosen);
	assert_int_equal(session_lookup(f->st, chosen, NULL, T0 + 121, &got), SESSION_ABSENT);

	/* Sign-out ends the session and is audited. */
	assert_int_equal(login_sign_out(f->st, r1.token, T0 + 130), 0);
	assert_int_equal(session_lookup(f->st, r1.token, NULL, T0 + 131, &got), SESSION_ABSENT);
	assert_int_equal(count_audit(f->st, "logout"), 1);
	assert_int_equal(login_sign_out(f->st, "garbage", T0 + 131), 0);
}

static void test_login_failures_audited(void **state)
{
	struct fx *f = *state;
	struct login_result r;
	assert_int_equal(try_login(f, "a.smith", "wrong password!", NULL, T0, &r), LOGIN_BAD_CREDENTIALS);
	assert_int_equal(try_login(f, "nobody.here", PW, NULL, T0, &r), LOGIN_BAD_CREDENTIALS);
	assert_int_equal(try_login(f, "x", PW, NULL, T0, &r), LOGIN_BAD_CREDENTIALS); /* cannot be a username */
	assert_int_equal(count_audit(f->st, "login_failed"), 3);
	assert_int_equal(store_query_int(f->st,
	                                 "SELECT COUNT(*) FROM audit_log WHERE action = 'login_failed' AND object_id = $1"
	                                 " AND detail = 'wrong password'",
	                                 f->uid),
	                 1);
	/* Nothing typed into the username box is written to the audit log. */
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%' || $1 || '%'"
	                                        " OR object_id = $1",
	                                 "nobody.here"),
	                 0);
	assert_int_equal(count_audit(f->st, "login"), 0);
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM sessions", NULL), 0);
}

static void test_lockout_and_unlock_after_window(void **state)
{
	struct fx *f = *state;
	struct login_result r;
	for (int i = 0; i < LOGIN_DEFAULT_MAX_FAILURES - 1; i++)
		assert_int_equal(try_login(f, "a.smith", "wrong password!", NULL, T0 + i * 10, &r), LOGIN_BAD_CREDENTIALS);
	/* The fifth failure within the window locks. */
	assert_int_equal(try_login(f, "a.smith", "wrong password!", NULL, T0 + 40, &r), LOGIN_LOCKED);
	assert_int_equal(r.locked_until, T0 + 40 + LOGIN_DEFAULT_LOCKOUT);
	assert_int_equal(count_audit(f->st, "login_failed"), 5);
	assert_int_equal(count_audit(f->st, "lockout"), 1);
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM audit_log WHERE action = 'lockout' AND object_id = $1",
	                                 f->uid),
	                 1);
	/* Locked: even the right password is refused, and the refusal is recorded. */
	assert_int_equal(try_login(f, "a.smith", PW, NULL, T0 + 100, &r), LOGIN_LOCKED);
	assert_int_equal(count_audit(f->st, "login_failed"), 6);
	assert_int_equal(login_locked_until(f->st, "a.smith", T0 + 100), T0 + 40 + LOGIN_DEFAULT_LOCKOUT);
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM sessions", NULL), 0);
	/* One second before the end: still locked. At the end: the right password works. */
	assert_int_equal(try_login(f, "a.smith", PW, NULL, T0 + 40 + LOGIN_DEFAULT_LOCKOUT - 1, &r), LOGIN_LOCKED);
	assert_int_equal(try_login(f, "a.smith", PW, NULL, T0 + 40 + LOGIN_DEFAULT_LOCKOUT, &r), LOGIN_OK);
	assert_int_equal(login_locked_until(f->st, "a.smith", T0 + 40 + LOGIN_DEFAULT_LOCKOUT), 0);
	/* The failures were consumed by the lock: one new failure does not lock again. */
	assert_int_equal(try_login(f, "a.smith", "wrong password!", NULL, T0 + 2000, &r), LOGIN_BAD_CREDENTIALS);
}

static void test_lockout_window_and_reset(void **state)
{
	struct fx *f = *state;
	struct login_result r;
	struct login_policy pol = {.max_failures = 3, .window_seconds = 600, .lockout_seconds = 60};
	struct login_request rq = {.username = "a.smith", .password = "wrong password!", .policy = &pol};
	/* Failures spread wider than the window never add up to a lock. */
	static const int64_t spread[] = {0, 300, 700, 1000, 1400, 1700};
	for (size_t i = 0; i < sizeof spread / sizeof spread[0]; i++) {
		assert_int_equal(login_authenticate(f->st, &rq, T0 + spread[i], &r), 0);
		assert_int_equal(r.outcome, LOGIN_BAD_CREDENTIALS);
	}
	/* A success clears the count. */
	rq.password = PW;
	assert_int_equal(login_authenticate(f->st, &rq, T0 + 1710, &r), 0);
	assert_int_equal(r.outcome, LOGIN_OK);
	rq.password = "wrong password!";
	assert_int_equal(login_authenticate(f->st, &rq, T0 + 1720, &r), 0);
	assert_int_equal(r.outcome, LOGIN_BAD_CREDENTIALS);
	assert_int_equal(login_authenticate(f->st, &rq, T0 + 1730, &r), 0);
	assert_int_equal(r.outcome, LOGIN_BAD_CREDENTIALS);
	assert_int_equal(login_authenticate(f->st, &rq, T0 + 1740, &r), 0);
	assert_int_equal(r.outcome, LOGIN_LOCKED);
	assert_int_equal(r.locked_until, T0 + 1800);
	/* An administrator may lift it early; that is audited. */
	assert_int_equal(login_unlock(f->st, NULL, "A.Smith", T0 + 1750), 0);
	assert_int_equal(count_audit(f->st, "unlock"), 1);
	rq.password = PW;
	assert_int_equal(login_authenticate(f->st, &rq, T0 + 1751, &r), 0);
	assert_int_equal(r.outcome, LOGIN_OK);
}

static void test_unknown_usernames_lock_alike(void **state)
{
	struct fx *f = *state;
	struct login_result r;
	for (int i = 0; i < LOGIN_DEFAULT_MAX_FAILURES - 1; i++)
		assert_int_equal(try_login(f, "no.such.user", "whatever it is", NULL, T0 + i, &r), LOGIN_BAD_CREDENTIALS);
	assert_int_equal(try_login(f, "no.such.user", "whatever it is", NULL, T0 + 10, &r), LOGIN_LOCKED);
	assert_int_equal(count_audit(f->st, "lockout"), 1);
	/* Another username is unaffected. */
	assert_int_equal(try_login(f, "a.smith", PW, NULL, T0 + 11, &r), LOGIN_OK);
}

int main(void)
{
#define FX(t) cmocka_unit_test_setup_teardown(t, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_hash_verify),
		cmocka_unit_test(test_password_policy),
		FX(test_session_lifecycle),
		FX(test_session_writes_inside_read_snapshot),
		FX(test_session_absolute_expiry),
		FX(test_session_malformed_refused_without_query),
		FX(test_session_unknown_disabled_destroy),
		FX(test_csrf),
		cmocka_unit_test(test_cookie_strings),
		FX(test_login_ok_and_fixation),
		FX(test_login_failures_audited),
		FX(test_lockout_and_unlock_after_window),
		FX(test_lockout_window_and_reset),
		FX(test_unknown_usernames_lock_alike),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
