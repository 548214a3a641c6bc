/* login: signing in and out, with lock-out after repeated failures.
 *
 * A sign-in reads the account, checks the lock, verifies the password (argon2id, outside any transaction so the
 * write lock is never held while hashing), then in ONE write transaction records the outcome in the audit log and,
 * on success, ends the session the browser presented (fixation defence) and mints a new one. Unknown usernames are
 * verified against a dummy hash so they take as long as real ones, and they are counted and locked out exactly like
 * real ones, so neither timing nor lock-out reveals which usernames exist. A locked username is refused without
 * looking at the password until the lock expires; the failures that caused it are then forgotten.
 *
 * Rate: with PASSWORD_MAX_CONCURRENT hashes at a time a server verifies at most ~16 passwords a second; per-address
 * throttling belongs in front of the server (nginx limit_req) or the HTTP layer, which knows the address.
 *
 * Transactions: login_authenticate, login_sign_out and login_unlock open their own (call with none open);
 * login_record_failure runs inside the caller's. Strings are borrowed. */
#ifndef SG_LOGIN_H
#define SG_LOGIN_H
#include <stdbool.h>
#include <stdint.h>

#include "auth/account.h"
#include "auth/session.h"
#include "store/store.h"

#define LOGIN_DEFAULT_MAX_FAILURES 5
#define LOGIN_DEFAULT_WINDOW (15 * 60)
#define LOGIN_DEFAULT_LOCKOUT (15 * 60)

struct login_policy {
	int max_failures;        /* failures within window that lock the username; 0 = 5 */
	int64_t window_seconds;  /* 0 = 15 minutes */
	int64_t lockout_seconds; /* 0 = 15 minutes */
};

enum login_outcome {
	LOGIN_OK = 0,
	LOGIN_BAD_CREDENTIALS, /* unknown username or wrong password: show the same message for both */
	LOGIN_LOCKED,          /* too many failures: refused until res->locked_until */
	LOGIN_DISABLED,        /* right password, but the account is disabled */
	LOGIN_TOTP_REQUIRED,   /* right password, the account has a second factor and no code was given */
	LOGIN_TOTP_INVALID,    /* right password, wrong or replayed code (counts as a failure) */
};

struct login_request {
	const char *username;
	const char *password;
	const char *totp_code;         /* NULL or "" when the form had none */
	const char *presented_token;   /* the sg_session cookie the browser sent, if any: ended on success */
	const struct session_config *session; /* NULL = defaults */
	const struct login_policy *policy;    /* NULL = defaults */
};

struct login_result {
	enum login_outcome outcome;
	int64_t locked_until;             /* LOGIN_LOCKED */
	struct account account;           /* LOGIN_OK */
	char token[SESSION_TOKEN_SIZE];   /* LOGIN_OK: the new cookie value */
	struct session session;           /* LOGIN_OK: the new session (csrf_token, deadlines) */
};

/* 0 with res->outcome set, or -1 on a database error (nothing is granted then). */
int login_authenticate(struct store *st, const struct login_request *rq, int64_t now, struct login_result *res);
/* Ends the session behind token (if any) and audits the log-out. 0, or -1 on a database error. */
int login_sign_out(struct store *st, const char *token, int64_t now);
/* An administrator lifts a lock-out early. 0, or -1 on error (an unknown or unlocked username is not an error). */
int login_unlock(struct store *st, const char *actor_user_id, const char *username, int64_t now);
/* When username is locked at now, its lock's end; else 0. -1 on error. */
int64_t login_locked_until(struct store *st, const char *username, int64_t now);

/* Inside the caller's write transaction: counts one failed sign-in for a normalised username, locks it when the
 * policy's limit is reached (auditing the lock-out), and audits the failure (detail says which check failed; never
 * the username or password). user_id is the account's id when known. *locked_until (may be NULL) gets the new
 * lock's end, or 0. 0 or -1. */
int login_record_failure(struct store *st, const struct login_policy *policy, const char *username,
                         const char *user_id, const char *detail, int64_t now, int64_t *locked_until);

#endif
