/* sha256: SHA-256 (FIPS 180-4) for the audit chain, using the x86 SHA extensions when the CPU has them.
 *
 * Why not libsodium's crypto_hash_sha256: its portable C compression costs about 0.2 us per 64-byte block here,
 * which alone keeps `safeguard audit verify` near 600,000 entries/s; the SHA-NI path is several times faster and
 * leaves the database read as the limit. Output is byte-identical to libsodium's (tests compare them on many
 * inputs, on both paths). The choice is made once per process by CPUID; no state is shared between threads. */
#ifndef SG_SHA256_H
#define SG_SHA256_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHA256_BYTES 32

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;
	uint8_t block[64];
	size_t fill;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
void sha256_final(struct sha256 *c, uint8_t out[SHA256_BYTES]);
void sha256(const void *data, size_t n, uint8_t out[SHA256_BYTES]);

/* Whether the SHA extensions are in use. */
bool sha256_accelerated(void);
/* Tests: force the portable path (true) or return to the CPU's choice (false). */
void sha256_force_portable(bool on);

#endif
