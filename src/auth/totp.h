/* totp: time-based one-time passwords (RFC 6238) over HOTP (RFC 4226) with HMAC-SHA-1 (RFC 2104, RFC 3174), the
 * variant every authenticator app implements. libsodium has no SHA-1, so a small one lives here; SHA-1's collision
 * weakness does not touch HMAC-SHA-1 as a keyed function, which is what TOTP relies on.
 *
 * Pure functions, no allocation except totp_uri (which appends to the caller's buf). Secrets are borrowed. */
#ifndef SG_TOTP_H
#define SG_TOTP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define TOTP_STEP 30         /* seconds per time step */
#define TOTP_DIGITS 6
#define TOTP_WINDOW 1        /* steps accepted either side of now, for clock drift */
#define TOTP_SECRET_BYTES 20 /* 160 bits, the size RFC 4226 recommends */
#define TOTP_SECRET_B32 33   /* base32 of 20 bytes (32 chars) + NUL */

void totp_sha1(const void *data, size_t n, uint8_t out[20]);
void totp_hmac_sha1(const uint8_t *key, size_t keylen, const void *msg, size_t n, uint8_t out[20]);

/* HOTP value for counter, reduced to digits (6..8) decimal digits. */
uint32_t totp_hotp(const uint8_t *key, size_t keylen, uint64_t counter, int digits);
/* The time step containing t (seconds since the epoch). */
uint64_t totp_step(int64_t t);
/* Formats the code for moment t into out (digits + 1 bytes), zero-padded. */
void totp_code(const uint8_t *key, size_t keylen, int64_t t, int digits, char *out);
/* Checks a 6-digit code against now +/- TOTP_WINDOW steps, accepting only steps after last_step (replay defence:
 * pass the last step accepted for this secret, or 0). Returns true and sets *step when it matches. Comparison of
 * the candidate codes is constant-time. Spaces in code (as apps display "123 456") are ignored. */
bool totp_verify(const uint8_t *key, size_t keylen, const char *code, int64_t now, uint64_t last_step,
                 uint64_t *step);

/* RFC 4648 base32, upper case, no padding. out must hold 8 * ceil(n / 5) + 1 bytes. */
void totp_base32_encode(const uint8_t *in, size_t n, char *out);
/* Decodes base32 (either case; spaces and '=' padding ignored) into out (cap bytes). Returns bytes written, or -1
 * on a bad character, non-zero trailing bits or overflow. */
int totp_base32_decode(const char *in, uint8_t *out, size_t cap);

/* Appends "otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER&algorithm=SHA1&digits=6&period=30" with issuer and
 * account percent-encoded (Key Uri Format used by authenticator apps). 0, or -1 when buf is full. */
int totp_uri(struct buf *out, const char *issuer, const char *account, const char *secret_b32);

#endif
