/* The secret addresses of private calendar feeds (feed.h). */
#include "auth/feed.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

int feed_create(struct store *st, const char *user_id, int64_t now, char token[SESSION_TOKEN_SIZE])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(token, SESSION_TOKEN_SIZE, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	char hash[SESSION_ID_SIZE];
	session_id_for_token(token, hash);
	/* Delete then insert (portable, unlike an upsert): the old address stops working in the same transaction. */
	if (feed_revoke(st, user_id) < 0)
		return -1;
	struct store_stmt *s =
		store_prepare(st, "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)");
	if (!s)
		return -1;
	store_bind_text(s, 1, user_id);
	store_bind_text(s, 2, hash);
	store_bind_int(s, 3, now);
	return store_step(s) == STORE_DONE ? 0 : -1;
}

int feed_revoke(struct store *st, const char *user_id)
{
	struct store_stmt *s = store_prepare(st, "DELETE FROM calendar_feeds WHERE user_id = $1");
	if (!s)
		return -1;
	store_bind_text(s, 1, user_id);
	if (store_step(s) != STORE_DONE)
		return -1;
	return store_changes(st) > 0 ? 1 : 0;
}

int feed_status(struct store *st, const char *user_id, struct feed_status *out)
{
	memset(out, 0, sizeof *out);
	struct store_stmt *s =
		store_prepare(st, "SELECT created_at, COALESCE(last_used_at, 0) FROM calendar_feeds WHERE user_id = $1");
	if (!s)
		return -1;
	store_bind_text(s, 1, user_id);
	int rc = store_step(s);
	if (rc == STORE_ROW) {
		out->enabled = true;
		out->created_at = store_col_int(s, 0);
		out->last_used_at = store_col_int(s, 1);
		rc = store_step(s);
	}
	return rc == STORE_DONE ? 0 : -1;
}

int feed_lookup(struct store *st, const char *token, int64_t now, char user_id[SESSION_USER_ID_SIZE])
{
	if (!token || !session_token_well_formed(token))
		return 0;
	char hash[SESSION_ID_SIZE];
	session_id_for_token(token, hash);
	struct store_stmt *s = store_prepare(st, "SELECT f.user_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id "
	                                         "WHERE f.token_hash = $1 AND u.disabled = 0");
	if (!s)
		return -1;
	store_bind_text(s, 1, hash);
	int rc = store_step(s);
	if (rc != STORE_ROW)
		return rc == STORE_DONE ? 0 : -1;
	snprintf(user_id, SESSION_USER_ID_SIZE, "%s", store_col_text(s, 0));
	store_reset(s);
	/* When it was last fetched, so its owner can see whether an address they shared is in use. Best effort: a
	 * calendar keeps working if this cannot be written. */
	if (store_begin(st) == STORE_OK) {
		struct store_stmt *u = store_prepare(st, "UPDATE calendar_feeds SET last_used_at = $1 WHERE token_hash = $2");
		if (u) {
			store_bind_int(u, 1, now);
			store_bind_text(u, 2, hash);
		}
		if (u && store_step(u) == STORE_DONE)
			store_commit(st);
		else
			store_rollback(st);
	}
	return 1;
}
