/* feed: the secret address of a user's private calendar feed (issue 4 part 4). A calendar application fetches the
 * feed without a session, so the address itself is the credential: 256 random bits (base64url, like a session
 * cookie), of which only the hex SHA-256 is stored. One feed per user; creating a new one replaces the old address.
 *
 * Transactions: feed_create and feed_revoke run inside the caller's write transaction (the caller audits the change
 * in it). feed_lookup runs with no transaction open (it records the time of use in a short one of its own) and
 * answers only for an enabled account. Strings are borrowed. */
#ifndef SG_FEED_H
#define SG_FEED_H
#include <stdbool.h>
#include <stdint.h>

#include "auth/session.h"
#include "store/store.h"

struct feed_status {
	bool enabled;
	int64_t created_at;
	int64_t last_used_at; /* 0 when never used */
};

/* Mints a new secret for user_id, replacing any earlier one. 0, or -1 on a database error. */
int feed_create(struct store *st, const char *user_id, int64_t now, char token[SESSION_TOKEN_SIZE]);
/* Turns the user's feed off. 1 removed, 0 there was none, -1 error. */
int feed_revoke(struct store *st, const char *user_id);
/* The user's feed, if any. 0, or -1 on error. */
int feed_status(struct store *st, const char *user_id, struct feed_status *out);
/* Resolves a secret to its enabled user's id. 1 found, 0 unknown (or malformed, or the account is disabled), -1. */
int feed_lookup(struct store *st, const char *token, int64_t now, char user_id[SESSION_USER_ID_SIZE]);

#endif
