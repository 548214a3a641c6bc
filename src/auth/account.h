/* account: user accounts as an administrator and their owner manage them — create, disable, enable, re-role, set or
 * change the password, enrol or remove the TOTP second factor. Every change is audited in the transaction that
 * makes it: role grants, role changes, disabling, enabling and second-factor changes as "permission_change",
 * password changes as "update".
 *
 * Transactions: every function here opens and commits its own (call with none open), because password hashing takes
 * about 0.12 s and must not hold the database's write lock. Whether the actor may do this at all is src/policy's
 * decision, made before calling; these functions only refuse what is never valid (an unknown role, a taken username,
 * a weak password, disabling or re-roling yourself). actor_user_id NULL means the system console.
 *
 * Results: ACCOUNT_OK; ACCOUNT_REFUSED with *why set to a sentence for the user (static storage); ACCOUNT_ERR for a
 * database failure. Strings are borrowed. */
#ifndef SG_ACCOUNT_H
#define SG_ACCOUNT_H
#include <stdbool.h>
#include <stdint.h>

#include "auth/roles.h"
#include "core/buf.h"
#include "store/store.h"

#define ACCOUNT_ID_SIZE 64
#define ACCOUNT_USERNAME_SIZE 65 /* 3..64 characters of a-z 0-9 . _ @ - */
#define ACCOUNT_NAME_SIZE 201    /* display name, at most 200 bytes */
#define ACCOUNT_ROLE_SIZE 33

enum { ACCOUNT_OK = 0, ACCOUNT_ERR = -1, ACCOUNT_REFUSED = -2 };

struct account {
	char id[ACCOUNT_ID_SIZE];
	char username[ACCOUNT_USERNAME_SIZE];
	char display_name[ACCOUNT_NAME_SIZE];
	char role[ACCOUNT_ROLE_SIZE];
	bool disabled;
	bool has_password;
	bool totp_enrolled; /* a confirmed second factor is demanded at sign-in */
	int64_t created_at;
	int64_t password_changed_at; /* 0 when never set */
};

/* Lower-cases ASCII letters and checks the username alphabet and length. 0, or -1 when it can never be a username. */
int account_username_normalise(const char *in, char out[ACCOUNT_USERNAME_SIZE]);

/* Reads an account by id or by username (normalised first). 1 found, 0 not found, -1 error. */
int account_get(struct store *st, const char *user_id, struct account *out);
int account_find(struct store *st, const char *username, struct account *out);

/* Creates an account. password may be NULL (the account cannot sign in until one is set). id_out receives the new
 * id. */
int account_create(struct store *st, const struct roles *roles, const char *actor_user_id, const char *username,
                   const char *display_name, const char *role, const char *password, int64_t now,
                   char id_out[ACCOUNT_ID_SIZE], const char **why);
/* Disabling also ends every session of the account. Doing either to an account already in that state changes and
 * audits nothing. */
int account_disable(struct store *st, const char *actor_user_id, const char *user_id, int64_t now, const char **why);
int account_enable(struct store *st, const char *actor_user_id, const char *user_id, int64_t now, const char **why);
/* Changes the role and ends the account's sessions, so the new role applies from its next sign-in. */
int account_set_role(struct store *st, const struct roles *roles, const char *actor_user_id, const char *user_id,
                     const char *role, int64_t now, const char **why);
/* The owner's change: old_password must be right (a wrong one counts as a failed sign-in towards lock-out), the
 * new one must pass the policy; every other session of the user ends (keep_session_id, the one making the change,
 * may be NULL). */
int account_change_password(struct store *st, const char *user_id, const char *old_password,
                            const char *new_password, const char *keep_session_id, int64_t now, const char **why);
/* An administrator's reset: sets the password and ends all the user's sessions. */
int account_set_password(struct store *st, const char *actor_user_id, const char *user_id, const char *password,
                         int64_t now, const char **why);

/* TOTP enrolment, step 1: only for roles marked totp_capable and only when no confirmed factor exists. Stores a new
 * random secret (replacing any unconfirmed one) and returns it in base32 with its otpauth:// URI appended to uri
 * (issuer as shown in the app, e.g. "Safeguard"). Nothing is demanded at sign-in until step 2 succeeds. */
int account_totp_begin(struct store *st, const struct roles *roles, const char *user_id, const char *issuer,
                       int64_t now, char secret_b32[33], struct buf *uri, const char **why);
/* Step 2: the user proves their app produces the right code; from then on sign-in demands a code. */
int account_totp_confirm(struct store *st, const char *user_id, const char *code, int64_t now, const char **why);
/* Removes the factor (a lost phone: an administrator does this after checking who is asking). */
int account_totp_remove(struct store *st, const char *actor_user_id, const char *user_id, int64_t now,
                        const char **why);

#endif
