/* session: server-side sessions behind an opaque cookie.
 *
 * The cookie carries 256 random bits (base64url, 43 characters). The database keeps only the hex SHA-256 of it (the
 * session id), so a leaked sessions table cannot be turned into cookies. A session ends at whichever comes first:
 * the idle deadline (moved forward by activity) or the absolute deadline (fixed at sign-in). Tokens are only ever
 * minted here, so a client cannot choose its own session (fixation); login.c mints a new one at every sign-in.
 * Each session has its own CSRF token, rendered into forms and compared in constant time on every state change.
 *
 * Transactions: session_create, session_destroy and session_destroy_user run inside the caller's write transaction
 * (they are steps of a larger change that is audited). session_lookup and session_purge_expired run with no
 * transaction open or inside a write transaction. Strings are borrowed; struct session is a plain copy. */
#ifndef SG_SESSION_H
#define SG_SESSION_H
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

#define SESSION_COOKIE_NAME "sg_session"
#define SESSION_TOKEN_LEN 43  /* base64url of 32 bytes, no padding */
#define SESSION_TOKEN_SIZE 44 /* with NUL */
#define SESSION_ID_SIZE 65    /* hex SHA-256 + NUL */
#define SESSION_USER_ID_SIZE 64
#define SESSION_DEFAULT_IDLE (30 * 60)
#define SESSION_DEFAULT_ABSOLUTE (10 * 60 * 60)
/* last_seen_at is written at most once a minute per session, so browsing is not one database commit per request; the
 * idle deadline can therefore fall up to a minute early, never late. */
#define SESSION_TOUCH_EVERY 60

struct session_config {
	int64_t idle_seconds;     /* 0 = SESSION_DEFAULT_IDLE */
	int64_t absolute_seconds; /* 0 = SESSION_DEFAULT_ABSOLUTE */
};

struct session {
	char id[SESSION_ID_SIZE]; /* database key; not the cookie value */
	char user_id[SESSION_USER_ID_SIZE];
	char csrf_token[SESSION_TOKEN_SIZE];
	int64_t created_at, last_seen_at;
	int64_t expires_at;          /* idle deadline */
	int64_t absolute_expires_at; /* hard deadline */
};

enum session_status {
	SESSION_VALID = 0,
	SESSION_ABSENT = 1,  /* no cookie, a malformed one, an unknown one, or its user is disabled */
	SESSION_EXPIRED = 2, /* it existed but timed out (idle or absolute); it is deleted now */
};

/* Length and alphabet check, no database: malformed cookies are refused before any query. */
bool session_token_well_formed(const char *token);
/* The session id (hex SHA-256) for a token. */
void session_id_for_token(const char *token, char id[SESSION_ID_SIZE]);

/* Mints a session for user_id. token receives the cookie value, out (may be NULL) the stored row. 0 or -1. */
int session_create(struct store *st, const char *user_id, const struct session_config *cfg, int64_t now,
                   char token[SESSION_TOKEN_SIZE], struct session *out);
/* Resolves a cookie value. Returns an enum session_status (out is filled only for SESSION_VALID), or -1 on a
 * database error. A valid session's idle deadline is moved to now + idle (capped at the absolute deadline). */
int session_lookup(struct store *st, const char *token, const struct session_config *cfg, int64_t now,
                   struct session *out);
/* Deletes one session by id; deleting one that does not exist is not an error. 0 or -1. */
int session_destroy(struct store *st, const char *session_id);
/* Deletes every session of user_id except except_id (NULL = all). *count (may be NULL) gets how many. 0 or -1. */
int session_destroy_user(struct store *st, const char *user_id, const char *except_id, int *count);
/* Deletes sessions past either deadline. Returns how many, or -1. */
int session_purge_expired(struct store *st, int64_t now);

/* True only when submitted is exactly this session's CSRF token (constant-time). NULL or empty is false. */
bool session_csrf_check(const struct session *s, const char *submitted);
/* Seconds until the session ends (the sooner deadline), 0 if already past: drives the expiry warning. */
int64_t session_seconds_left(const struct session *s, int64_t now);

/* Set-Cookie values: "sg_session=TOKEN; Path=/; HttpOnly; SameSite=Strict[; Secure]", and one that removes the
 * cookie (Max-Age=0). No Max-Age on the live cookie: it dies with the browser, and the server enforces deadlines.
 * 0, or -1 when out is full. */
int session_cookie(struct buf *out, const char *token, bool secure);
int session_cookie_clear(struct buf *out, bool secure);
/* Whether cookies should carry Secure for a server listening on addr ("host:port", "[v6]:port" or host): false only
 * for loopback (127.0.0.0/8, ::1, localhost), where development runs over plain HTTP. */
bool session_secure_default(const char *listen_addr);

#endif
