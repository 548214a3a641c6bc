/* Account administration (create, disable, enable, re-role, password change and reset), TOTP enrolment and sign-in
 * with a second factor, and the roles file, against a real temporary SQLite database with the migrations applied.
 * The clock is a parameter everywhere. */
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
#include "auth/roles.h"
#include "auth/session.h"
#include "auth/totp.h"
#include "store/migrate.h"

#define T0 1767225600 /* 2026-01-01T00:00:00Z */
#define PW "correct horse battery"
#define PW2 "another long passphrase"

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
	snprintf(f->path, sizeof f->path, "/tmp/sg_acct_XXXXXX");
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

static enum login_outcome try_login(struct fx *f, const char *user, const char *pw, const char *code, int64_t now,
                                    struct login_result *res)
{
	struct login_request rq = {.username = user, .password = pw, .totp_code = code};
	assert_int_equal(login_authenticate(f->st, &rq, now, res), 0);
	return res->outcome;
}

/* ---- accounts ---- */

static void test_admin_create_disable_role(void **state)
{
	struct fx *f = *state;
	const char *why = NULL;
	char admin[ACCOUNT_ID_SIZE], dup[ACCOUNT_ID_SIZE];
	assert_int_equal(account_create(f->st, f->roles, NULL, "root.admin", "Robin Admin", "sysadmin", PW2, T0, admin,
	                                &why),
	                 ACCOUNT_OK);
	static const struct {
		const char *user, *name, *role, *pw, *why_has;
	} refused[] = {
		/* 1 */ {"a.smith", "Someone Else", "police", NULL, "taken"},
		/* 2 */ {"A.SMITH", "Someone Else", "police", NULL, "taken"},
		/* 3 */ {"ab", "Short Name", "police", NULL, "3 to 64"},
		/* 4 */ {"has space", "Name", "police", NULL, "3 to 64"},
		/* 5 */ {".dot.first", "Name", "police", NULL, "3 to 64"},
		/* 6 */ {"new.user", "Name", "superuser", NULL, "not a role"},
		/* 7 */ {"new.user", "", "police", NULL, "name"},
		/* 8 */ {"new.user", "Line\nbreak", "police", NULL, "name"},
		/* 9 */ {"new.user", "Name", "police", "too short", "too short"},
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		why = NULL;
		int rc = account_create(f->st, f->roles, admin, refused[i].user, refused[i].name, refused[i].role,
		                        refused[i].pw, T0, dup, &why);
		if (rc != ACCOUNT_REFUSED || !strstr(why, refused[i].why_has))
			fail_msg("case %zu: rc %d why %s", i + 1, rc, why ? why : "");
	}
	/* A created account with no password cannot sign in. */
	char nopw[ACCOUNT_ID_SIZE];
	assert_int_equal(account_create(f->st, f->roles, admin, "p.officer", "Pat Officer", "police", NULL, T0, nopw, &why),
	                 ACCOUNT_OK);
	struct login_result r;
	assert_int_equal(try_login(f, "p.officer", "", NULL, T0, &r), LOGIN_BAD_CREDENTIALS);
	assert_int_equal(account_set_password(f->st, admin, nopw, PW2, T0, &why), ACCOUNT_OK);
	assert_int_equal(try_login(f, "p.officer", PW2, NULL, T0, &r), LOGIN_OK);

	/* Re-role: sessions end, the change is a permission_change naming both roles. */
	assert_int_equal(try_login(f, "a.smith", PW, NULL, T0, &r), LOGIN_OK);
	assert_int_equal(account_set_role(f->st, f->roles, admin, f->uid, "manager_of_everything", T0, &why),
	                 ACCOUNT_REFUSED);
	assert_int_equal(account_set_role(f->st, f->roles, admin, admin, "police", T0, &why), ACCOUNT_REFUSED);
	assert_int_equal(account_set_role(f->st, f->roles, admin, f->uid, "team_manager", T0 + 1, &why), ACCOUNT_OK);
	struct session got;
	assert_int_equal(session_lookup(f->st, r.token, NULL, T0 + 2, &got), SESSION_ABSENT);
	assert_int_equal(store_query_int(f->st,
	                                 "SELECT COUNT(*) FROM audit_log WHERE action = 'permission_change'"
	                                 " AND object_id = $1 AND detail LIKE 'role social_worker -> team_manager%'",
	                                 f->uid),
	                 1);
	struct account a;
	assert_int_equal(account_get(f->st, f->uid, &a), 1);
	assert_string_equal(a.role, "team_manager");
	assert_string_equal(a.username, "a.smith");
	assert_string_equal(a.display_name, "Alex Smith");
	assert_true(a.has_password);
	assert_int_equal(a.password_changed_at, T0);

	/* Disable: sessions end; the right password then gets "disabled", a wrong one still gets "no". */
	assert_int_equal(try_login(f, "a.smith", PW, NULL, T0 + 3, &r), LOGIN_OK);
	assert_int_equal(account_disable(f->st, admin, admin, T0 + 4, &why), ACCOUNT_REFUSED);
	assert_int_equal(account_disable(f->st, admin, f->uid, T0 + 4, &why), ACCOUNT_OK);
	assert_int_equal(account_disable(f->st, admin, f->uid, T0 + 4, &why), ACCOUNT_OK); /* no-op, not re-audited */
	assert_int_equal(session_lookup(f->st, r.token, NULL, T0 + 5, &got), SESSION_ABSENT);
	assert_int_equal(try_login(f, "a.smith", PW, NULL, T0 + 6, &r), LOGIN_DISABLED);
	assert_int_equal(try_login(f, "a.smith", "wrong password!", NULL, T0 + 7, &r), LOGIN_BAD_CREDENTIALS);
	assert_int_equal(account_enable(f->st, admin, f->uid, T0 + 8, &why), ACCOUNT_OK);
	assert_int_equal(try_login(f, "a.smith", PW, NULL, T0 + 9, &r), LOGIN_OK);
	assert_int_equal(store_query_int(f->st,
	                                 "SELECT COUNT(*) FROM audit_log WHERE action = 'permission_change'"
	                                 " AND object_id = $1",
	                                 f->uid),
	                 4); /* created, re-roled, disabled, enabled */
	assert_int_equal(account_disable(f->st, admin, "usr_nosuchuser00000", T0, &why), ACCOUNT_REFUSED);
}

static void test_password_change(void **state)
{
	struct fx *f = *state;
	struct login_result here, elsewhere, r;
	const char *why = NULL;
	assert_int_equal(try_login(f, "a.smith", PW, NULL, T0, &here), LOGIN_OK);
	assert_int_equal(try_login(f, "a.smith", PW, NULL, T0, &elsewhere), LOGIN_OK);
	assert_int_equal(account_change_password(f->st, f->uid, "not my password", PW2, here.session.id, T0 + 1, &why),
	                 ACCOUNT_REFUSED);
	assert_non_null(strstr(why, "current password"));
	/* That wrong guess counts towards lock-out like a failed sign-in. */
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM login_failures WHERE username = $1", "a.smith"), 1);
	assert_int_equal(account_change_password(f->st, f->uid, PW, "tiny", here.session.id, T0 + 2, &why),
	                 ACCOUNT_REFUSED);
	assert_int_equal(account_change_password(f->st, f->uid, PW, PW, here.session.id, T0 + 2, &why), ACCOUNT_REFUSED);
	assert_int_equal(account_change_password(f->st, f->uid, PW, PW2, here.session.id, T0 + 3, &why), ACCOUNT_OK);
	struct session got;
	assert_int_equal(session_lookup(f->st, here.token, NULL, T0 + 4, &got), SESSION_VALID);
	assert_int_equal(session_lookup(f->st, elsewhere.token, NULL, T0 + 4, &got), SESSION_ABSENT);
	assert_int_equal(try_login(f, "a.smith", PW, NULL, T0 + 5, &r), LOGIN_BAD_CREDENTIALS);
	assert_int_equal(try_login(f, "a.smith", PW2, NULL, T0 + 6, &r), LOGIN_OK);
	struct account a;
	assert_int_equal(account_get(f->st, f->uid, &a), 1);
	assert_int_equal(a.password_changed_at, T0 + 3);
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM audit_log WHERE action = 'update' AND object_id = $1"
	                                        " AND detail LIKE 'password changed by its owner%'",
	                                 f->uid),
	                 1);
}

/* ---- second factor ---- */

/* A six-digit code that is valid for none of the steps around t (the secret is random, so pick, don't guess). */
static void wrong_code(const uint8_t key[TOTP_SECRET_BYTES], int64_t t, char out[8])
{
	char valid[3][8];
	for (int d = 0; d < 3; d++)
		totp_code(key, TOTP_SECRET_BYTES, t + (d - 1) * TOTP_STEP, 6, valid[d]);
	for (int n = 0;; n++) {
		snprintf(out, 8, "%06d", n % 1000000);
		if (strcmp(out, valid[0]) && strcmp(out, valid[1]) && strcmp(out, valid[2]))
			return;
	}
}

static void test_totp_enrol_and_sign_in(void **state)
{
	struct fx *f = *state;
	const char *why = NULL;
	char secret[TOTP_SECRET_B32], mgr[ACCOUNT_ID_SIZE], code[8];
	struct buf uri;
	buf_init(&uri, 0);
	/* A social worker's role is not TOTP-capable. */
	assert_int_equal(account_totp_begin(f->st, f->roles, f->uid, "Safeguard", T0, secret, &uri, &why),
	                 ACCOUNT_REFUSED);
	assert_int_equal(account_create(f->st, f->roles, NULL, "t.manager", "Terry Manager", "team_manager", PW, T0, mgr,
	                                &why),
	                 ACCOUNT_OK);
	assert_int_equal(account_totp_begin(f->st, f->roles, mgr, "Safeguard", T0, secret, &uri, &why), ACCOUNT_OK);
	assert_int_equal(strlen(secret), 32);
	assert_non_null(strstr(buf_str(&uri), "otpauth://totp/Safeguard:t.manager?secret="));
	assert_non_null(strstr(buf_str(&uri), secret));
	uint8_t key[TOTP_SECRET_BYTES];
	assert_int_equal(totp_base32_decode(secret, key, sizeof key), TOTP_SECRET_BYTES);

	/* Unconfirmed: sign-in does not ask for a code yet. */
	struct login_result r;
	assert_int_equal(try_login(f, "t.manager", PW, NULL, T0 + 10, &r), LOGIN_OK);
	wrong_code(key, T0 + 20, code);
	assert_int_equal(account_totp_confirm(f->st, mgr, code, T0 + 20, &why), ACCOUNT_REFUSED);
	totp_code(key, sizeof key, T0 + 30, 6, code);
	assert_int_equal(account_totp_confirm(f->st, mgr, code, T0 + 30, &why), ACCOUNT_OK);
	assert_int_equal(account_totp_begin(f->st, f->roles, mgr, "Safeguard", T0 + 31, secret, &uri, &why),
	                 ACCOUNT_REFUSED); /* already enrolled */
	struct account a;
	assert_int_equal(account_get(f->st, mgr, &a), 1);
	assert_true(a.totp_enrolled);

	/* Confirmed: password alone is not enough. */
	int64_t t = T0 + 300;
	assert_int_equal(try_login(f, "t.manager", PW, NULL, t, &r), LOGIN_TOTP_REQUIRED);
	assert_int_equal(store_query_int(f->st, "SELECT COUNT(*) FROM sessions WHERE user_id = $1", mgr), 1);
	wrong_code(key, t, code);
	assert_int_equal(try_login(f, "t.manager", PW, code, t, &r), LOGIN_TOTP_INVALID);
	/* A wrong password with any code is just bad credentials, and does not reveal the factor. */
	totp_code(key, sizeof key, t, 6, code);
	assert_int_equal(try_login(f, "t.manager", "wrong password!", code, t, &r), LOGIN_BAD_CREDENTIALS);
	assert_int_equal(try_login(f, "t.manager", PW, code, t, &r), LOGIN_OK);
	/* The same code cannot be used twice. */
	assert_int_equal(try_login(f, "t.manager", PW, code, t + 5, &r), LOGIN_TOTP_INVALID);
	/* The next step's code works. */
	totp_code(key, sizeof key, t + 30, 6, code);
	assert_int_equal(try_login(f, "t.manager", PW, code, t + 30, &r), LOGIN_OK);
	assert_int_equal(store_query_int(f->st,
	                                 "SELECT COUNT(*) FROM audit_log WHERE object_id = $1 AND action = 'login_failed'"
	                                 " AND detail = 'wrong TOTP code'",
	                                 mgr),
	                 2);
	/* Removed by an administrator: password alone works again. */
	assert_int_equal(account_totp_remove(f->st, NULL, mgr, t + 60, &why), ACCOUNT_OK);
	assert_int_equal(try_login(f, "t.manager", PW, NULL, t + 61, &r), LOGIN_OK);
	assert_int_equal(store_query_int(f->st,
	                                 "SELECT COUNT(*) FROM audit_log WHERE object_id = $1 AND action = 'permission_change'"
	                                 " AND detail LIKE 'second factor%'",
	                                 mgr),
	                 2);
	buf_free(&uri);
}

static void test_roles_file(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *code;
		bool totp;
	} expect[] = {
		{"partner_referrer", false}, {"social_worker", false}, {"team_manager", true}, {"service_manager", true},
		{"conference_chair", false}, {"lado", false},          {"police", false},      {"health", false},
		{"education", false},        {"auditor", false},       {"sysadmin", true},
	};
	assert_int_equal(f->roles->count, sizeof expect / sizeof expect[0]);
	for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
		const struct role *r = roles_find(f->roles, expect[i].code);
		assert_non_null(r);
		assert_int_equal(r->totp_capable, expect[i].totp);
		assert_true(strlen(r->citation) > 0);
	}
	assert_null(roles_find(f->roles, "root"));
	/* A broken file is refused with a reason. */
	char path[] = "/tmp/sg_roles_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *bad = "{\"roles\": [{\"code\": \"x\", \"label\": \"X\", \"description\": \"d\", \"citation\": \"c\","
	                  " \"totp_capable\": false}, {\"code\": \"x\", \"label\": \"Y\", \"description\": \"d\","
	                  " \"citation\": \"c\", \"totp_capable\": true}]}";
	assert_int_equal(write(fd, bad, strlen(bad)), (ssize_t)strlen(bad));
	close(fd);
	struct roles *r = NULL;
	struct buf err;
	buf_init(&err, 0);
	assert_int_equal(roles_load(&r, path, &err), -1);
	assert_non_null(strstr(buf_str(&err), "twice"));
	unlink(path);
	buf_free(&err);
}

int main(void)
{
#define FX(t) cmocka_unit_test_setup_teardown(t, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		FX(test_admin_create_disable_role),
		FX(test_password_change),
		FX(test_totp_enrol_and_sign_in),
		FX(test_roles_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
