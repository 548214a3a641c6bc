#include "auth/account.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/login.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/totp.h"
#include "core/id.h"

int account_username_normalise(const char *in, char out[ACCOUNT_USERNAME_SIZE])
{
	size_t n = in ? strnlen(in, ACCOUNT_USERNAME_SIZE) : 0;
	if (n < 3 || n >= ACCOUNT_USERNAME_SIZE)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || !strchr("._@-", c)))
			return -1;
		out[i] = c;
	}
	out[n] = '\0';
	return 0;
}

static int run(struct store_stmt *q)
{
	int rc = store_step(q);
	store_reset(q);
	return rc == STORE_DONE ? 0 : -1;
}

static void copy_col(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

#define ACCOUNT_SELECT                                                                                              \
	"SELECT u.id, u.username, u.display_name, u.role, u.disabled,"                                              \
	" CASE WHEN u.password_hash IS NULL OR u.password_hash = '' THEN 0 ELSE 1 END, u.created_at,"               \
	" u.password_changed_at,"                                                                                   \
	" (SELECT COUNT(*) FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL) FROM users u"

static int load(struct store *st, const char *sql, const char *key, struct account *a)
{
	struct store_stmt *q = store_prepare(st, sql);
	if (!q || store_bind_text(q, 1, key))
		return -1;
	int rc = store_step(q), found = rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
	if (found == 1) {
		memset(a, 0, sizeof *a);
		copy_col(a->id, sizeof a->id, store_col_text(q, 0));
		copy_col(a->username, sizeof a->username, store_col_text(q, 1));
		copy_col(a->display_name, sizeof a->display_name, store_col_text(q, 2));
		copy_col(a->role, sizeof a->role, store_col_text(q, 3));
		a->disabled = store_col_int(q, 4) != 0;
		a->has_password = store_col_int(q, 5) != 0;
		/* Rows written by other tools may use another time form; an unreadable moment reads as unknown (0). */
		if (audit_time_parse(store_col_text(q, 6), &a->created_at) != 0)
			a->created_at = 0;
		if (audit_time_parse(store_col_text(q, 7), &a->password_changed_at) != 0)
			a->password_changed_at = 0;
		a->totp_enrolled = store_col_int(q, 8) > 0;
	}
	store_reset(q);
	return found;
}

int account_get(struct store *st, const char *user_id, struct account *out)
{
	return user_id ? load(st, ACCOUNT_SELECT " WHERE u.id = $1", user_id, out) : 0;
}

int account_find(struct store *st, const char *username, struct account *out)
{
	char norm[ACCOUNT_USERNAME_SIZE];
	if (account_username_normalise(username, norm) < 0)
		return 0;
	return load(st, ACCOUNT_SELECT " WHERE u.username = $1", norm, out);
}

static int audit_perm(struct store *st, const char *actor, const char *action, const char *user_id,
                      const char *detail, int64_t now)
{
	struct audit_event ev = {.actor_user_id = actor,
	                         .action = action,
	                         .object_type = "user",
	                         .object_id = user_id,
	                         .detail = detail};
	return audit_append_at(st, &ev, now);
}

static int refuse(const char **why, const char *text)
{
	*why = text;
	return ACCOUNT_REFUSED;
}

/* Commits, or rolls back and reports a database error. */
static int finish(struct store *st, int ok)
{
	if (ok && store_commit(st) == STORE_OK)
		return ACCOUNT_OK;
	store_rollback(st);
	return ACCOUNT_ERR;
}

static bool display_name_ok(const char *s)
{
	size_t n = s ? strnlen(s, ACCOUNT_NAME_SIZE) : 0;
	if (n == 0 || n >= ACCOUNT_NAME_SIZE)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

int account_create(struct store *st, const struct roles *roles, const char *actor_user_id, const char *username,
                   const char *display_name, const char *role, const char *password, int64_t now,
                   char id_out[ACCOUNT_ID_SIZE], const char **why)
{
	char norm[ACCOUNT_USERNAME_SIZE], hash[PASSWORD_HASH_MAX] = "", at[AUDIT_TIME_LEN], detail[96];
	if (account_username_normalise(username, norm) < 0)
		return refuse(why, "A username is 3 to 64 characters: letters, digits and . _ @ - (starting with a letter "
		                   "or digit).");
	if (!display_name_ok(display_name))
		return refuse(why, "Give the person's name (at most 200 characters, on one line).");
	if (!roles_find(roles, role))
		return refuse(why, "That is not a role this system knows.");
	if (password) {
		if (password_policy_check(password, norm, why) < 0)
			return ACCOUNT_REFUSED;
		if (password_hash(password, hash) < 0)
			return ACCOUNT_ERR;
	}
	if (sodium_init() < 0)
		return ACCOUNT_ERR;
	char id[ID_MAX];
	id_new("usr", id);
	audit_time_format(now, at);
	snprintf(detail, sizeof detail, "account created with role %s", role);
	if (store_begin(st) != STORE_OK)
		return ACCOUNT_ERR;
	struct store_stmt *q = store_prepare(
		st, "INSERT INTO users (id, username, display_name, role, password_hash, disabled, created_at,"
		    " updated_at, password_changed_at) VALUES ($1, $2, $3, $4, $5, 0, $6, $6, $7)");
	if (!q || store_bind_text(q, 1, id) || store_bind_text(q, 2, norm) || store_bind_text(q, 3, display_name) ||
	    store_bind_text(q, 4, role) || store_bind_text(q, 5, password ? hash : NULL) ||
	    store_bind_text(q, 6, at) || store_bind_text(q, 7, password ? at : NULL)) {
		sodium_memzero(hash, sizeof hash);
		return finish(st, 0);
	}
	sodium_memzero(hash, sizeof hash);
	int rc = store_step(q);
	store_reset(q);
	if (rc == STORE_CONSTRAINT) {
		store_rollback(st);
		return refuse(why, "That username is already taken.");
	}
	int ok = rc == STORE_DONE && audit_perm(st, actor_user_id, "permission_change", id, detail, now) == 0;
	int res = finish(st, ok);
	if (res == ACCOUNT_OK)
		snprintf(id_out, ACCOUNT_ID_SIZE, "%s", id);
	return res;
}

static int set_disabled(struct store *st, const char *actor, const char *user_id, bool disabled, int64_t now,
                        const char **why)
{
	if (disabled && actor && user_id && strcmp(actor, user_id) == 0)
		return refuse(why, "You cannot disable your own account.");
	if (store_begin(st) != STORE_OK)
		return ACCOUNT_ERR;
	struct account a;
	int found = account_get(st, user_id, &a);
	if (found <= 0) {
		store_rollback(st);
		return found < 0 ? ACCOUNT_ERR : refuse(why, "There is no such account.");
	}
	if (a.disabled == disabled)
		return finish(st, 1);
	char at[AUDIT_TIME_LEN], detail[96];
	int ended = 0;
	audit_time_format(now, at);
	struct store_stmt *q = store_prepare(st, "UPDATE users SET disabled = $2, updated_at = $3 WHERE id = $1");
	int ok = q && !store_bind_text(q, 1, user_id) && !store_bind_bool(q, 2, disabled) && !store_bind_text(q, 3, at) &&
	         run(q) == 0 && (!disabled || session_destroy_user(st, user_id, NULL, &ended) == 0);
	if (disabled)
		snprintf(detail, sizeof detail, "account disabled; %d sessions ended", ended);
	else
		snprintf(detail, sizeof detail, "account enabled");
	ok = ok && audit_perm(st, actor, "permission_change", user_id, detail, now) == 0;
	return finish(st, ok);
}

int account_disable(struct store *st, const char *actor_user_id, const char *user_id, int64_t now, const char **why)
{
	return set_disabled(st, actor_user_id, user_id, true, now, why);
}

int account_enable(struct store *st, const char *actor_user_id, const char *user_id, int64_t now, const char **why)
{
	return set_disabled(st, actor_user_id, user_id, false, now, why);
}

int account_set_role(struct store *st, const struct roles *roles, const char *actor_user_id, const char *user_id,
                     const char *role, int64_t now, const char **why)
{
	if (!roles_find(roles, role))
		return refuse(why, "That is not a role this system knows.");
	if (actor_user_id && user_id && strcmp(actor_user_id, user_id) == 0)
		return refuse(why, "You cannot change your own role: ask another administrator.");
	if (store_begin(st) != STORE_OK)
		return ACCOUNT_ERR;
	struct account a;
	int found = account_get(st, user_id, &a);
	if (found <= 0) {
		store_rollback(st);
		return found < 0 ? ACCOUNT_ERR : refuse(why, "There is no such account.");
	}
	if (strcmp(a.role, role) == 0)
		return finish(st, 1);
	char at[AUDIT_TIME_LEN], detail[128];
	int ended = 0;
	audit_time_format(now, at);
	struct store_stmt *q = store_prepare(st, "UPDATE users SET role = $2, updated_at = $3 WHERE id = $1");
	int ok = q && !store_bind_text(q, 1, user_id) && !store_bind_text(q, 2, role) && !store_bind_text(q, 3, at) &&
	         run(q) == 0 && session_destroy_user(st, user_id, NULL, &ended) == 0;
	snprintf(detail, sizeof detail, "role %s -> %s; %d sessions ended", a.role, role, ended);
	ok = ok && audit_perm(st, actor_user_id, "permission_change", user_id, detail, now) == 0;
	return finish(st, ok);
}

/* Stores a new hash (only over expect_hash when given, so a concurrent change is not overwritten), ends the user's
 * sessions except keep_id, and audits. Inside its own transaction. */
static int store_password(struct store *st, const char *actor, const char *user_id, const char *hash,
                          const char *expect_hash, const char *keep_id, const char *who, int64_t now,
                          const char **why)
{
	char at[AUDIT_TIME_LEN], detail[96];
	int ended = 0;
	audit_time_format(now, at);
	if (store_begin(st) != STORE_OK)
		return ACCOUNT_ERR;
	struct store_stmt *q = store_prepare(
		st, expect_hash ? "UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = $3"
		                  " WHERE id = $1 AND password_hash = $4"
		                : "UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = $3"
		                  " WHERE id = $1");
	if (!q || store_bind_text(q, 1, user_id) || store_bind_text(q, 2, hash) || store_bind_text(q, 3, at) ||
	    (expect_hash && store_bind_text(q, 4, expect_hash)) || run(q) < 0)
		return finish(st, 0);
	if (store_changes(st) != 1) {
		store_rollback(st);
		return refuse(why, "The password was changed elsewhere just now: sign in again and retry.");
	}
	snprintf(detail, sizeof detail, "password %s", who);
	int ok = session_destroy_user(st, user_id, keep_id, &ended) == 0;
	snprintf(detail + strlen(detail), sizeof detail - strlen(detail), "; %d sessions ended", ended);
	ok = ok && audit_perm(st, actor, "update", user_id, detail, now) == 0;
	return finish(st, ok);
}

static int read_hash(struct store *st, const char *user_id, char out[PASSWORD_HASH_MAX])
{
	struct store_stmt *q = store_prepare(st, "SELECT password_hash FROM users WHERE id = $1");
	if (!q || store_bind_text(q, 1, user_id))
		return -1;
	int rc = store_step(q);
	const char *h = rc == STORE_ROW ? store_col_text(q, 0) : NULL;
	snprintf(out, PASSWORD_HASH_MAX, "%s", h && strlen(h) < PASSWORD_HASH_MAX ? h : "");
	store_reset(q);
	return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : -1;
}

int account_change_password(struct store *st, const char *user_id, const char *old_password,
                            const char *new_password, const char *keep_session_id, int64_t now, const char **why)
{
	struct account a;
	char old_hash[PASSWORD_HASH_MAX], new_hash[PASSWORD_HASH_MAX];
	if (!old_password || !new_password)
		return refuse(why, "Enter your current password and a new one.");
	int found = account_get(st, user_id, &a);
	if (found <= 0)
		return found < 0 ? ACCOUNT_ERR : refuse(why, "There is no such account.");
	int64_t until = login_locked_until(st, a.username, now);
	if (until < 0 || read_hash(st, user_id, old_hash) < 0)
		return ACCOUNT_ERR;
	if (until > 0)
		return refuse(why, "Too many failed attempts: wait a few minutes, then try again.");
	int v = password_verify(old_hash, old_password);
	if (v < 0)
		return ACCOUNT_ERR;
	if (v != 0) {
		/* A stolen session must not become a way to guess the password without tripping the lock-out. */
		if (store_begin(st) != STORE_OK)
			return ACCOUNT_ERR;
		if (finish(st, login_record_failure(st, NULL, a.username, a.id, "wrong current password at password change",
		                                    now, NULL) == 0) != ACCOUNT_OK)
			return ACCOUNT_ERR;
		return refuse(why, "The current password is not right.");
	}
	if (password_policy_check(new_password, a.username, why) < 0)
		return ACCOUNT_REFUSED;
	if (strcmp(old_password, new_password) == 0)
		return refuse(why, "The new password must be different from the current one.");
	if (password_hash(new_password, new_hash) < 0)
		return ACCOUNT_ERR;
	int rc = store_password(st, user_id, user_id, new_hash, old_hash, keep_session_id, "changed by its owner", now,
	                        why);
	sodium_memzero(new_hash, sizeof new_hash);
	return rc;
}

int account_set_password(struct store *st, const char *actor_user_id, const char *user_id, const char *password,
                         int64_t now, const char **why)
{
	struct account a;
	char hash[PASSWORD_HASH_MAX];
	int found = account_get(st, user_id, &a);
	if (found <= 0)
		return found < 0 ? ACCOUNT_ERR : refuse(why, "There is no such account.");
	if (password_policy_check(password, a.username, why) < 0)
		return ACCOUNT_REFUSED;
	if (password_hash(password, hash) < 0)
		return ACCOUNT_ERR;
	int rc = store_password(st, actor_user_id, user_id, hash, NULL, NULL, "set by an administrator", now, why);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

int account_totp_begin(struct store *st, const struct roles *roles, const char *user_id, const char *issuer,
                       int64_t now, char secret_b32[33], struct buf *uri, const char **why)
{
	struct account a;
	int found = account_get(st, user_id, &a);
	if (found <= 0)
		return found < 0 ? ACCOUNT_ERR : refuse(why, "There is no such account.");
	const struct role *r = roles_find(roles, a.role);
	if (!r || !r->totp_capable)
		return refuse(why, "Your role does not use a second factor.");
	if (a.totp_enrolled)
		return refuse(why, "A second factor is already set up. Remove it before setting up a new one.");
	if (sodium_init() < 0)
		return ACCOUNT_ERR;
	uint8_t key[TOTP_SECRET_BYTES];
	char at[AUDIT_TIME_LEN];
	randombytes_buf(key, sizeof key);
	totp_base32_encode(key, sizeof key, secret_b32);
	sodium_memzero(key, sizeof key);
	audit_time_format(now, at);
	if (store_begin(st) != STORE_OK)
		return ACCOUNT_ERR;
	struct store_stmt *del = store_prepare(st, "DELETE FROM user_totp WHERE user_id = $1 AND confirmed_at IS NULL");
	struct store_stmt *ins = NULL;
	int ok = del && !store_bind_text(del, 1, user_id) && run(del) == 0;
	if (ok)
		ins = store_prepare(st, "INSERT INTO user_totp (user_id, secret, created_at) VALUES ($1, $2, $3)");
	ok = ok && ins && !store_bind_text(ins, 1, user_id) && !store_bind_text(ins, 2, secret_b32) &&
	     !store_bind_text(ins, 3, at) && run(ins) == 0 &&
	     audit_perm(st, user_id, "update", user_id, "second factor enrolment started", now) == 0;
	int rc = finish(st, ok);
	if (rc == ACCOUNT_OK && totp_uri(uri, issuer, a.username, secret_b32) < 0)
		rc = ACCOUNT_ERR;
	if (rc != ACCOUNT_OK)
		sodium_memzero(secret_b32, TOTP_SECRET_B32);
	return rc;
}

int account_totp_confirm(struct store *st, const char *user_id, const char *code, int64_t now, const char **why)
{
	if (store_begin(st) != STORE_OK)
		return ACCOUNT_ERR;
	struct store_stmt *q =
		store_prepare(st, "SELECT secret FROM user_totp WHERE user_id = $1 AND confirmed_at IS NULL");
	if (!q || store_bind_text(q, 1, user_id))
		return finish(st, 0);
	uint8_t key[64];
	int n = -1, rc = store_step(q);
	if (rc == STORE_ROW && store_col_text(q, 0))
		n = totp_base32_decode(store_col_text(q, 0), key, sizeof key);
	store_reset(q);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return finish(st, 0);
	if (rc == STORE_DONE || n <= 0) {
		store_rollback(st);
		return refuse(why, "Start setting up the second factor first.");
	}
	uint64_t step = 0;
	bool good = totp_verify(key, (size_t)n, code, now, 0, &step);
	sodium_memzero(key, sizeof key);
	if (!good) {
		store_rollback(st);
		return refuse(why, "That code is not right. Check the clock on your phone and enter the newest code.");
	}
	char at[AUDIT_TIME_LEN];
	audit_time_format(now, at);
	q = store_prepare(st, "UPDATE user_totp SET confirmed_at = $2, last_step = $3 WHERE user_id = $1");
	int ok = q && !store_bind_text(q, 1, user_id) && !store_bind_text(q, 2, at) &&
	         !store_bind_int(q, 3, (int64_t)step) && run(q) == 0 &&
	         audit_perm(st, user_id, "permission_change", user_id, "second factor enrolled", now) == 0;
	return finish(st, ok);
}

int account_totp_remove(struct store *st, const char *actor_user_id, const char *user_id, int64_t now,
                        const char **why)
{
	(void)why;
	if (store_begin(st) != STORE_OK)
		return ACCOUNT_ERR;
	struct store_stmt *q = store_prepare(st, "DELETE FROM user_totp WHERE user_id = $1");
	int ok = q && !store_bind_text(q, 1, user_id) && run(q) == 0;
	if (ok && store_changes(st) > 0)
		ok = audit_perm(st, actor_user_id, "permission_change", user_id, "second factor removed", now) == 0;
	return finish(st, ok);
}
