#include "auth/session.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"

static int64_t idle_of(const struct session_config *c)
{
	return c && c->idle_seconds > 0 ? c->idle_seconds : SESSION_DEFAULT_IDLE;
}

static int64_t absolute_of(const struct session_config *c)
{
	return c && c->absolute_seconds > 0 ? c->absolute_seconds : SESSION_DEFAULT_ABSOLUTE;
}

static bool b64url_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool session_token_well_formed(const char *token)
{
	if (!token)
		return false;
	for (int i = 0; i < SESSION_TOKEN_LEN; i++)
		if (!b64url_char(token[i]))
			return false; /* also stops at a NUL before 43 characters */
	return token[SESSION_TOKEN_LEN] == '\0';
}

void session_id_for_token(const char *token, char id[SESSION_ID_SIZE])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(id, SESSION_ID_SIZE, h, sizeof h);
}

static void random_token(char out[SESSION_TOKEN_SIZE])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, SESSION_TOKEN_SIZE, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

int session_create(struct store *st, const char *user_id, const struct session_config *cfg, int64_t now,
                   char token[SESSION_TOKEN_SIZE], struct session *out)
{
	struct session s = {0};
	if (!user_id || strlen(user_id) >= sizeof s.user_id || sodium_init() < 0)
		return -1;
	random_token(token);
	session_id_for_token(token, s.id);
	random_token(s.csrf_token);
	snprintf(s.user_id, sizeof s.user_id, "%s", user_id);
	s.created_at = s.last_seen_at = now;
	s.absolute_expires_at = now + absolute_of(cfg);
	s.expires_at = min64(now + idle_of(cfg), s.absolute_expires_at);

	char created[AUDIT_TIME_LEN], idle[AUDIT_TIME_LEN], abs[AUDIT_TIME_LEN];
	audit_time_format(now, created);
	audit_time_format(s.expires_at, idle);
	audit_time_format(s.absolute_expires_at, abs);
	struct store_stmt *q = store_prepare(st, "INSERT INTO sessions (id, user_id, csrf_token, created_at,"
	                                         " last_seen_at, expires_at, absolute_expires_at)"
	                                         " VALUES ($1, $2, $3, $4, $4, $5, $6)");
	if (!q)
		goto fail;
	if (store_bind_text(q, 1, s.id) || store_bind_text(q, 2, s.user_id) || store_bind_text(q, 3, s.csrf_token) ||
	    store_bind_text(q, 4, created) || store_bind_text(q, 5, idle) || store_bind_text(q, 6, abs) ||
	    store_step(q) != STORE_DONE) {
		store_reset(q);
		goto fail;
	}
	store_reset(q);
	if (out)
		*out = s;
	return 0;
fail:
	sodium_memzero(token, SESSION_TOKEN_SIZE);
	return -1;
}

int session_destroy(struct store *st, const char *session_id)
{
	struct store_stmt *q = store_prepare(st, "DELETE FROM sessions WHERE id = $1");
	if (!q)
		return -1;
	int rc = store_bind_text(q, 1, session_id) ? STORE_ERR : store_step(q);
	store_reset(q);
	return rc == STORE_DONE ? 0 : -1;
}

int session_destroy_user(struct store *st, const char *user_id, const char *except_id, int *count)
{
	struct store_stmt *q = store_prepare(st, "DELETE FROM sessions WHERE user_id = $1 AND id <> $2");
	if (!q)
		return -1;
	/* No real id is empty, so "" as the exception excludes nothing. */
	int rc = store_bind_text(q, 1, user_id) || store_bind_text(q, 2, except_id ? except_id : "") ? STORE_ERR
	                                                                                              : store_step(q);
	store_reset(q);
	if (rc != STORE_DONE)
		return -1;
	if (count)
		*count = store_changes(st);
	return 0;
}

int session_purge_expired(struct store *st, int64_t now)
{
	char at[AUDIT_TIME_LEN];
	audit_time_format(now, at);
	struct store_stmt *q =
		store_prepare(st, "DELETE FROM sessions WHERE expires_at <= $1 OR absolute_expires_at <= $1");
	if (!q)
		return -1;
	int rc = store_bind_text(q, 1, at) ? STORE_ERR : store_step(q);
	store_reset(q);
	return rc == STORE_DONE ? store_changes(st) : -1;
}

/* Reads the row for id into *s. 1 found, 0 not found (or its user is disabled), -1 error. */
static int load(struct store *st, const char *id, struct session *s)
{
	struct store_stmt *q = store_prepare(
		st, "SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, s.absolute_expires_at,"
		    " u.disabled FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1");
	if (!q)
		return -1;
	if (store_bind_text(q, 1, id)) {
		store_reset(q);
		return -1;
	}
	int rc = store_step(q), found = 0;
	if (rc == STORE_ROW) {
		const char *uid = store_col_text(q, 0), *csrf = store_col_text(q, 1);
		bool ok = uid && csrf && strlen(uid) < sizeof s->user_id && strlen(csrf) == SESSION_TOKEN_LEN &&
		          audit_time_parse(store_col_text(q, 2), &s->created_at) == 0 &&
		          audit_time_parse(store_col_text(q, 3), &s->last_seen_at) == 0 &&
		          audit_time_parse(store_col_text(q, 4), &s->expires_at) == 0 &&
		          audit_time_parse(store_col_text(q, 5), &s->absolute_expires_at) == 0;
		/* A row we cannot read is treated as absent rather than trusted. */
		if (ok && store_col_int(q, 6) == 0) {
			snprintf(s->id, sizeof s->id, "%s", id);
			snprintf(s->user_id, sizeof s->user_id, "%s", uid);
			snprintf(s->csrf_token, sizeof s->csrf_token, "%s", csrf);
			found = 1;
		}
	} else if (rc != STORE_DONE) {
		found = -1;
	}
	store_reset(q);
	return found;
}

static int touch(struct store *st, struct session *s, const struct session_config *cfg, int64_t now)
{
	int64_t idle = min64(now + idle_of(cfg), s->absolute_expires_at);
	char seen[AUDIT_TIME_LEN], exp[AUDIT_TIME_LEN];
	audit_time_format(now, seen);
	audit_time_format(idle, exp);
	struct store_stmt *q = store_prepare(st, "UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id = $1");
	if (!q)
		return -1;
	int rc = store_bind_text(q, 1, s->id) || store_bind_text(q, 2, seen) || store_bind_text(q, 3, exp)
	                 ? STORE_ERR
	                 : store_step(q);
	store_reset(q);
	if (rc != STORE_DONE)
		return -1;
	s->last_seen_at = now;
	s->expires_at = idle;
	return 0;
}

int session_lookup(struct store *st, const char *token, const struct session_config *cfg, int64_t now,
                   struct session *out)
{
	if (!session_token_well_formed(token))
		return SESSION_ABSENT;
	struct session s = {0};
	char id[SESSION_ID_SIZE];
	session_id_for_token(token, id);
	int found = load(st, id, &s);
	if (found < 0)
		return -1;
	if (found == 0)
		return SESSION_ABSENT;
	/* The writes below commit on their own, not inside a caller's read snapshot (which cannot take the write lock,
	 * and whose end would discard them). */
	if (now >= s.expires_at || now >= s.absolute_expires_at) {
		store_end_read(st);
		/* Best effort: if the delete fails the row is still refused here and purged later. */
		(void)session_destroy(st, s.id);
		return SESSION_EXPIRED;
	}
	if (now - s.last_seen_at >= SESSION_TOUCH_EVERY) {
		store_end_read(st);
		if (touch(st, &s, cfg, now) < 0)
			return -1;
	}
	*out = s;
	return SESSION_VALID;
}

bool session_csrf_check(const struct session *s, const char *submitted)
{
	if (!s || !submitted || strnlen(submitted, SESSION_TOKEN_SIZE) != SESSION_TOKEN_LEN ||
	    strlen(s->csrf_token) != SESSION_TOKEN_LEN)
		return false;
	return sodium_memcmp(s->csrf_token, submitted, SESSION_TOKEN_LEN) == 0;
}

int64_t session_seconds_left(const struct session *s, int64_t now)
{
	int64_t end = min64(s->expires_at, s->absolute_expires_at);
	return end > now ? end - now : 0;
}

int session_cookie(struct buf *out, const char *token, bool secure)
{
	if (!session_token_well_formed(token))
		return -1;
	return buf_addf(out, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s", SESSION_COOKIE_NAME, token,
	                secure ? "; Secure" : "");
}

int session_cookie_clear(struct buf *out, bool secure)
{
	return buf_addf(out, "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict%s", SESSION_COOKIE_NAME,
	                secure ? "; Secure" : "");
}

bool session_secure_default(const char *addr)
{
	if (!addr || !addr[0])
		return true;
	char host[256];
	const char *end;
	if (addr[0] == '[') {
		end = strchr(addr, ']');
		if (!end)
			return true;
		addr++;
	} else {
		/* host:port has one colon; a bare IPv6 address has several. */
		const char *c = strchr(addr, ':');
		end = c && !strchr(c + 1, ':') ? c : addr + strlen(addr);
	}
	size_t n = (size_t)(end - addr);
	if (n >= sizeof host)
		return true;
	memcpy(host, addr, n);
	host[n] = '\0';
	if (strcmp(host, "localhost") == 0 || strcmp(host, "::1") == 0)
		return false;
	/* 127.0.0.0/8, written as a dotted quad. */
	unsigned parts = 0;
	const char *p = host;
	if (strncmp(p, "127.", 4) != 0)
		return true;
	for (; *p; p++) {
		if (*p == '.')
			parts++;
		else if (*p < '0' || *p > '9')
			return true;
	}
	return parts != 3;
}
