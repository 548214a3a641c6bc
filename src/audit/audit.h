/* audit: the append-only, hash-chained audit log.
 *
 * Every read of a child's record, every write, export, log-in, failed log-in, break-glass and permission change is
 * appended with audit_append() INSIDE the caller's open write transaction, so the entry commits or rolls back with
 * the change it records. Each entry stores the SHA-256 of the previous entry and the SHA-256 of its own canonical
 * content plus that previous hash, so editing or deleting any row breaks the chain at that row.
 * The application never updates or deletes audit rows. Strings are borrowed. */
#ifndef SG_AUDIT_H
#define SG_AUDIT_H
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

struct audit_event {
	const char *actor_user_id; /* NULL for an anonymous or system action */
	const char *action;        /* read | create | update | export | login | login_failed | logout | lockout |
	                              break_glass | permission_change | share | access_denied | ... */
	const char *object_type;   /* child | case | referral | document | user | session | ... */
	const char *object_id;     /* opaque id, may be NULL */
	const char *child_id;      /* the child whose record this touches, for "who looked at this child" */
	const char *reason;        /* why (required for break_glass), may be NULL */
	const char *detail;        /* short non-personal detail such as the route pattern, may be NULL */
};

/* Appends one entry. Must be called inside an open write transaction (store_begin). Returns 0 or -1. */
int audit_append(struct store *st, const struct audit_event *ev);

/* --- Added for issue 7 (everything below is an addition; audit_append above is unchanged). --- */

/* Moments in the audit log (and the auth tables) are UTC text "YYYY-MM-DDTHH:MM:SSZ": fixed width, so comparing the
 * text compares the moments, and the exact bytes are what the chain hashes. */
#define AUDIT_TIME_LEN 21
#define AUDIT_HASH_HEX 65 /* 64 hex digits + NUL */

void audit_time_format(int64_t t, char out[AUDIT_TIME_LEN]);
/* Strict: exactly the form above. 0, or -1 leaving *out untouched. */
int audit_time_parse(const char *s, int64_t *out);

/* As audit_append, with the entry's moment given (tests, imports, and callers that already read the clock). */
int audit_append_at(struct store *st, const struct audit_event *ev, int64_t now);

/* The whole chain, streamed in seq order inside one read snapshot, in constant memory. Call with no transaction
 * open. Checks that seq runs 1, 2, 3 ... with no gap, that each prev_hash is the previous entry's hash, and that each
 * hash is SHA-256 of prev_hash and the entry's canonical content. A chain can only prove what is in it: removing the
 * newest entries leaves a shorter intact chain, so operators record the head (last_seq, head_hash) elsewhere and pass
 * it back as the anchor to prove nothing after it was cut. */
struct audit_verify_options {
	void (*progress)(int64_t done, void *ctx); /* every 1,000,000 entries; may be NULL */
	void *ctx;
	int64_t anchor_seq;     /* 0 = no anchor */
	const char *anchor_hash; /* the hash recorded for anchor_seq */
};
struct audit_verify_result {
	int64_t entries;                /* entries checked before stopping */
	int64_t broken_seq;             /* 0 when intact: the first entry that fails */
	char reason[192];               /* why it fails (no personal data) */
	int64_t last_seq;               /* head of the intact chain */
	char head_hash[AUDIT_HASH_HEX]; /* hash of last_seq ("" for an empty log) */
};
/* 0 intact, 1 broken (see res->broken_seq and res->reason), -1 on a database error (reason says which). */
int audit_verify(struct store *st, const struct audit_verify_options *opt, struct audit_verify_result *res);

/* One row handed to a report callback. Strings are borrowed for the duration of the call; NULL where not recorded. */
struct audit_entry {
	int64_t seq;
	const char *at, *actor_user_id, *action, *object_type, *object_id, *child_id, *reason, *detail;
};
/* from is inclusive and to exclusive (seconds since the epoch, 0 = open); limit 0 means 1000, at most 100000.
 * Entries come oldest first. *truncated (may be NULL) says whether more matched than the limit. */
struct audit_range {
	int64_t from, to;
	int limit;
};
/* The callback returns 0 to go on, anything else to stop early; it must not use st, whose report statement is live
 * while it runs (collect ids, then look names up afterwards). Both reports return the number of entries handed to
 * the callback, or -1 on a database error. Call inside a read transaction or with none open. */
int audit_report_child(struct store *st, const char *child_id, const struct audit_range *r,
                       int (*fn)(const struct audit_entry *e, void *ctx), void *ctx, bool *truncated);
int audit_report_user(struct store *st, const char *user_id, const struct audit_range *r,
                      int (*fn)(const struct audit_entry *e, void *ctx), void *ctx, bool *truncated);

#endif
