#include "auth/login.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/password.h"
#include "auth/totp.h"

static int max_failures(const struct login_policy *p)
{
	return p && p->max_failures > 0 ? p->max_failures : LOGIN_DEFAULT_MAX_FAILURES;
}

static int64_t window_of(const struct login_policy *p)
{
	return p && p->window_seconds > 0 ? p->window_seconds : LOGIN_DEFAULT_WINDOW;
}

static int64_t lockout_of(const struct login_policy *p)
{
	return p && p->lockout_seconds > 0 ? p->lockout_seconds : LOGIN_DEFAULT_LOCKOUT;
}

static int run(struct store_stmt *q)
{
	int rc = store_step(q);
	store_reset(q);
	return rc == STORE_DONE ? 0 : -1;
}

static int audit_user(struct store *st, const char *actor, const char *action, const char *user_id,
                      const char *detail, int64_t now)
{
	struct audit_event ev = {.actor_user_id = actor,
	                         .action = action,
	                         .object_type = "user",
	                         .object_id = user_id,
	                         .detail = detail};
	return audit_append_at(st, &ev, now);
}

int64_t login_locked_until(struct store *st, const char *username, int64_t now)
{
	struct store_stmt *q = store_prepare(st, "SELECT locked_until FROM login_lockouts WHERE username = $1");
	if (!q)
		return -1;
	if (store_bind_text(q, 1, username)) {
		store_reset(q);
		return -1;
	}
	int64_t until = 0;
	int rc = store_step(q);
	if (rc == STORE_ROW) {
		int64_t t;
		/* An unreadable lock row locks: failing closed costs one administrator unlock at worst. */
		if (audit_time_parse(store_col_text(q, 0), &t) != 0)
			t = now + 1;
		until = t > now ? t : 0;
	} else if (rc != STORE_DONE) {
		until = -1;
	}
	store_reset(q);
	return until;
}

static int clear_failures(struct store *st, const char *username)
{
	struct store_stmt *a = store_prepare(st, "DELETE FROM login_failures WHERE username = $1");
	if (!a || store_bind_text(a, 1, username) || run(a))
		return -1;
	struct store_stmt *b = store_prepare(st, "DELETE FROM login_lockouts WHERE username = $1");
	if (!b || store_bind_text(b, 1, username) || run(b))
		return -1;
	return 0;
}

int login_record_failure(struct store *st, const struct login_policy *policy, const char *username,
                         const char *user_id, const char *detail, int64_t now, int64_t *locked_until)
{
	char at[AUDIT_TIME_LEN], since[AUDIT_TIME_LEN];
	audit_time_format(now, at);
	audit_time_format(now - window_of(policy), since);
	if (locked_until)
		*locked_until = 0;
	if (audit_user(st, NULL, "login_failed", user_id, detail, now) < 0)
		return -1;
	if (!username)
		return 0; /* not a possible username: nothing to count against */

	/* Forget failures older than the window, for everyone: keeps the table small under a spray of usernames. */
	struct store_stmt *q = store_prepare(st, "DELETE FROM login_failures WHERE at < $1");
	if (!q || store_bind_text(q, 1, since) || run(q))
		return -1;
	q = store_prepare(st, "INSERT INTO login_failures (username, at) VALUES ($1, $2)");
	if (!q || store_bind_text(q, 1, username) || store_bind_text(q, 2, at) || run(q))
		return -1;
	q = store_prepare(st, "SELECT COUNT(*) FROM login_failures WHERE username = $1 AND at >= $2");
	if (!q || store_bind_text(q, 1, username) || store_bind_text(q, 2, since))
		return -1;
	int rc = store_step(q);
	int64_t count = rc == STORE_ROW ? store_col_int(q, 0) : -1;
	store_reset(q);
	if (count < 0)
		return -1;
	if (count < max_failures(policy))
		return 0;

	int64_t until = now + lockout_of(policy);
	char until_s[AUDIT_TIME_LEN], why[96];
	audit_time_format(until, until_s);
	/* The failures are consumed by the lock, so counting starts afresh when it ends. */
	if (clear_failures(st, username) < 0)
		return -1;
	q = store_prepare(st, "INSERT INTO login_lockouts (username, locked_at, locked_until) VALUES ($1, $2, $3)");
	if (!q || store_bind_text(q, 1, username) || store_bind_text(q, 2, at) || store_bind_text(q, 3, until_s) ||
	    run(q))
		return -1;
	snprintf(why, sizeof why, "%lld failed sign-ins; locked until %s", (long long)count, until_s);
	if (audit_user(st, NULL, "lockout", user_id, why, now) < 0)
		return -1;
	if (locked_until)
		*locked_until = until;
	return 0;
}

/* What the read phase learns about the account. */
struct candidate {
	bool known;
	struct account acct;
	char hash[PASSWORD_HASH_MAX];
	uint8_t totp_key[64];
	int totp_len; /* 0 = no confirmed factor */
	int64_t totp_last_step;
};

static int read_candidate(struct store *st, const char *username, struct candidate *c)
{
	int found = account_find(st, username, &c->acct);
	if (found <= 0)
		return found;
	c->known = true;
	struct store_stmt *q = store_prepare(st, "SELECT password_hash FROM users WHERE id = $1");
	if (!q || store_bind_text(q, 1, c->acct.id))
		return -1;
	int rc = store_step(q);
	if (rc == STORE_ROW) {
		const char *h = store_col_text(q, 0);
		if (h && strlen(h) < sizeof c->hash)
			snprintf(c->hash, sizeof c->hash, "%s", h);
	}
	store_reset(q);
	if (rc != STORE_ROW)
		return -1;
	q = store_prepare(st, "SELECT secret, last_step FROM user_totp WHERE user_id = $1 AND confirmed_at IS NOT NULL");
	if (!q || store_bind_text(q, 1, c->acct.id))
		return -1;
	rc = store_step(q);
	if (rc == STORE_ROW) {
		int n = totp_base32_decode(store_col_text(q, 0) ? store_col_text(q, 0) : "", c->totp_key,
		                           sizeof c->totp_key);
		c->totp_last_step = store_col_int(q, 1);
		/* A confirmed factor whose secret is unreadable still demands a code, which then never matches. */
		c->totp_len = n > 0 ? n : -1;
	}
	store_reset(q);
	return rc == STORE_ROW || rc == STORE_DONE ? 1 : -1;
}

/* Claims the TOTP step so the same code cannot sign in twice: only a step newer than the last one wins. */
static int claim_step(struct store *st, const char *user_id, uint64_t step)
{
	struct store_stmt *q =
		store_prepare(st, "UPDATE user_totp SET last_step = $2 WHERE user_id = $1 AND last_step < $2");
	if (!q || store_bind_text(q, 1, user_id) || store_bind_int(q, 2, (int64_t)step) || run(q))
		return -1;
	return store_changes(st) == 1 ? 1 : 0;
}

static int fail(struct store *st, const struct login_request *rq, const char *username, const struct candidate *c,
                const char *detail, enum login_outcome outcome, int64_t now, struct login_result *res)
{
	int64_t until = 0;
	if (store_begin(st) != STORE_OK)
		return -1;
	if (login_record_failure(st, rq->policy, username, c->known ? c->acct.id : NULL, detail, now, &until) < 0 ||
	    store_commit(st) != STORE_OK) {
		store_rollback(st);
		return -1;
	}
	res->outcome = until ? LOGIN_LOCKED : outcome;
	res->locked_until = until;
	return 0;
}

/* Inside the write transaction, once every check has passed: the session and the audit entry commit together. */
static int grant(struct store *st, const struct login_request *rq, const struct candidate *c, uint64_t step,
                 int64_t now, struct login_result *res)
{
	if (c->totp_len != 0) {
		int claimed = claim_step(st, c->acct.id, step);
		if (claimed <= 0)
			return claimed < 0 ? -1 : 1;
	}
	if (clear_failures(st, c->acct.username) < 0)
		return -1;
	if (rq->presented_token && session_token_well_formed(rq->presented_token)) {
		char old[SESSION_ID_SIZE];
		session_id_for_token(rq->presented_token, old);
		if (session_destroy(st, old) < 0)
			return -1;
	}
	if (session_purge_expired(st, now) < 0 ||
	    session_create(st, c->acct.id, rq->session, now, res->token, &res->session) < 0)
		return -1;
	if (audit_user(st, c->acct.id, "login", c->acct.id, c->totp_len ? "password and TOTP" : "password", now) < 0)
		return -1;
	return 0;
}

static void rehash_if_due(struct store *st, const struct candidate *c, const char *password)
{
	char fresh[PASSWORD_HASH_MAX];
	if (!password_needs_rehash(c->hash) || password_hash(password, fresh) != 0)
		return;
	/* Only if the hash is still the one verified: a concurrent password change must win. Failure is harmless. */
	struct store_stmt *q = store_prepare(st, "UPDATE users SET password_hash = $2 WHERE id = $1 AND password_hash = $3");
	if (q && store_bind_text(q, 1, c->acct.id) == 0 && store_bind_text(q, 2, fresh) == 0 &&
	    store_bind_text(q, 3, c->hash) == 0)
		(void)run(q);
	sodium_memzero(fresh, sizeof fresh);
}

int login_authenticate(struct store *st, const struct login_request *rq, int64_t now, struct login_result *res)
{
	memset(res, 0, sizeof *res);
	res->outcome = LOGIN_BAD_CREDENTIALS;
	struct candidate c = {0};
	char username[ACCOUNT_USERNAME_SIZE];
	const char *password = rq->password ? rq->password : "";
	int rc = -1;
	if (!rq->username || account_username_normalise(rq->username, username) < 0) {
		password_verify_dummy(password);
		rc = fail(st, rq, NULL, &c, "malformed username", LOGIN_BAD_CREDENTIALS, now, res);
		goto out;
	}
	int64_t until = login_locked_until(st, username, now);
	if (until < 0 || read_candidate(st, username, &c) < 0)
		goto out;
	if (until > 0) {
		/* Refused without looking at the password, so a locked account is no oracle for guesses. */
		if (store_begin(st) != STORE_OK)
			goto out;
		if (audit_user(st, NULL, "login_failed", c.known ? c.acct.id : NULL, "locked", now) < 0 ||
		    store_commit(st) != STORE_OK) {
			store_rollback(st);
			goto out;
		}
		res->outcome = LOGIN_LOCKED;
		res->locked_until = until;
		rc = 0;
		goto out;
	}
	if (!c.known || !c.hash[0]) {
		password_verify_dummy(password);
		rc = fail(st, rq, username, &c, c.known ? "no password set" : "unknown username", LOGIN_BAD_CREDENTIALS,
		          now, res);
		goto out;
	}
	int v = password_verify(c.hash, password);
	if (v < 0)
		goto out;
	if (v != 0) {
		rc = fail(st, rq, username, &c, "wrong password", LOGIN_BAD_CREDENTIALS, now, res);
		goto out;
	}
	/* The password is right from here on; only now may the answer say more than "no". */
	uint64_t step = 0;
	if (c.totp_len != 0) {
		if (!rq->totp_code || !rq->totp_code[0]) {
			res->outcome = LOGIN_TOTP_REQUIRED;
			rc = 0;
			goto out;
		}
		if (c.totp_len < 0 || !totp_verify(c.totp_key, (size_t)c.totp_len, rq->totp_code, now,
		                                   (uint64_t)c.totp_last_step, &step)) {
			rc = fail(st, rq, username, &c, "wrong TOTP code", LOGIN_TOTP_INVALID, now, res);
			goto out;
		}
	}
	if (store_begin(st) != STORE_OK)
		goto out;
	/* Re-checked under the write lock: a lock or a disable may have landed while the password was hashing. */
	until = login_locked_until(st, username, now);
	struct account fresh;
	int found = account_get(st, c.acct.id, &fresh);
	if (until < 0 || found < 0) {
		store_rollback(st);
		goto out;
	}
	if (until > 0 || found == 0 || fresh.disabled) {
		const char *detail = until > 0 ? "locked" : "account disabled";
		if (audit_user(st, NULL, "login_failed", c.acct.id, detail, now) < 0 || store_commit(st) != STORE_OK) {
			store_rollback(st);
			goto out;
		}
		res->outcome = until > 0 ? LOGIN_LOCKED : LOGIN_DISABLED;
		res->locked_until = until;
		rc = 0;
		goto out;
	}
	int g = grant(st, rq, &c, step, now, res);
	if (g == 1) {
		/* Lost the race for this TOTP step: the code was already used. */
		store_rollback(st);
		rc = fail(st, rq, username, &c, "replayed TOTP code", LOGIN_TOTP_INVALID, now, res);
		goto out;
	}
	if (g < 0 || store_commit(st) != STORE_OK) {
		store_rollback(st);
		memset(res, 0, sizeof *res);
		res->outcome = LOGIN_BAD_CREDENTIALS;
		goto out;
	}
	res->outcome = LOGIN_OK;
	res->account = fresh;
	rehash_if_due(st, &c, password);
	rc = 0;
out:
	sodium_memzero(&c, sizeof c);
	return rc;
}

int login_sign_out(struct store *st, const char *token, int64_t now)
{
	if (!session_token_well_formed(token))
		return 0;
	char id[SESSION_ID_SIZE];
	session_id_for_token(token, id);
	if (store_begin(st) != STORE_OK)
		return -1;
	struct store_stmt *q = store_prepare(st, "SELECT user_id FROM sessions WHERE id = $1");
	char user[SESSION_USER_ID_SIZE] = "";
	int rc = -1;
	if (!q || store_bind_text(q, 1, id))
		goto out;
	int s = store_step(q);
	if (s == STORE_ROW && store_col_text(q, 0))
		snprintf(user, sizeof user, "%s", store_col_text(q, 0));
	store_reset(q);
	if (s != STORE_ROW && s != STORE_DONE)
		goto out;
	if (s == STORE_ROW &&
	    (session_destroy(st, id) < 0 || audit_user(st, user, "logout", user, NULL, now) < 0))
		goto out;
	rc = store_commit(st) == STORE_OK ? 0 : -1;
out:
	if (rc < 0)
		store_rollback(st);
	return rc;
}

int login_unlock(struct store *st, const char *actor_user_id, const char *username, int64_t now)
{
	char norm[ACCOUNT_USERNAME_SIZE];
	if (account_username_normalise(username, norm) < 0)
		return 0;
	struct account a;
	int found = account_find(st, norm, &a);
	if (found < 0 || store_begin(st) != STORE_OK)
		return -1;
	int64_t until = login_locked_until(st, norm, now);
	if (until < 0 || clear_failures(st, norm) < 0 ||
	    (until > 0 && audit_user(st, actor_user_id, "unlock", found ? a.id : NULL, "lock-out lifted", now) < 0) ||
	    store_commit(st) != STORE_OK) {
		store_rollback(st);
		return -1;
	}
	return 0;
}
