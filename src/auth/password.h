/* password: argon2id password hashes (libsodium crypto_pwhash_str, interactive limits) and the password policy.
 *
 * One hash costs about 0.12 s and 64 MiB here, so at most PASSWORD_MAX_CONCURRENT hashes or verifications run at a
 * time across all threads; the rest wait their turn. Together with lock-out (login.h) this keeps a burst of log-ins
 * from exhausting memory. Thread-safe. Passwords are borrowed and never copied, logged or stored. */
#ifndef SG_PASSWORD_H
#define SG_PASSWORD_H
#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_HASH_MAX 128 /* crypto_pwhash_STRBYTES, checked in password.c */
#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_BYTES 1024
#define PASSWORD_MAX_CONCURRENT 2

/* Hashes pw into out (NUL-terminated "$argon2id$..."). 0, or -1 when libsodium cannot (out of memory). */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);
/* 0 when pw matches hash, 1 when it does not (or the hash is not one we can read), -1 on an internal error. */
int password_verify(const char *hash, const char *pw);
/* True when hash was made with weaker limits than today's, so a successful log-in should store a fresh hash. */
bool password_needs_rehash(const char *hash);
/* Checks pw against the policy: at least 12 characters (UTF-8 code points), at most 1024 bytes, valid UTF-8, not one
 * character repeated, and not containing the username (when given, compared case-insensitively). 0 when
 * acceptable; otherwise -1 with *why set to a sentence the user can act on (static storage). */
int password_policy_check(const char *pw, const char *username, const char **why);
/* Verifies pw against a fixed hash of a random password, taking as long as a real verification: used for unknown
 * usernames so their failures cost the same time as real ones. Always "no match". */
void password_verify_dummy(const char *pw);

#endif
