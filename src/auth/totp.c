#include "auth/totp.h"

#include <sodium.h>
#include <string.h>

/* ---- SHA-1 (RFC 3174), a straightforward single-block-at-a-time implementation. ---- */

struct sha1 {
	uint32_t h[5];
	uint64_t bytes;
	uint8_t block[64];
	size_t fill;
};

static uint32_t rol(uint32_t x, int n)
{
	return (x << n) | (x >> (32 - n));
}

static void sha1_block(struct sha1 *c, const uint8_t *p)
{
	uint32_t w[80];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	uint32_t a = c->h[0], b = c->h[1], d = c->h[3], e = c->h[4], cc = c->h[2];
	for (int i = 0; i < 80; i++) {
		uint32_t f, k;
		if (i < 20) {
			f = (b & cc) | (~b & d), k = 0x5A827999;
		} else if (i < 40) {
			f = b ^ cc ^ d, k = 0x6ED9EBA1;
		} else if (i < 60) {
			f = (b & cc) | (b & d) | (cc & d), k = 0x8F1BBCDC;
		} else {
			f = b ^ cc ^ d, k = 0xCA62C1D6;
		}
		uint32_t t = rol(a, 5) + f + e + k + w[i];
		e = d;
		d = cc;
		cc = rol(b, 30);
		b = a;
		a = t;
	}
	c->h[0] += a;
	c->h[1] += b;
	c->h[2] += cc;
	c->h[3] += d;
	c->h[4] += e;
	sodium_memzero(w, sizeof w);
}

static void sha1_init(struct sha1 *c)
{
	static const uint32_t iv[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
	memcpy(c->h, iv, sizeof iv);
	c->bytes = 0;
	c->fill = 0;
}

static void sha1_update(struct sha1 *c, const void *data, size_t n)
{
	const uint8_t *p = data;
	c->bytes += n;
	while (n) {
		size_t take = 64 - c->fill < n ? 64 - c->fill : n;
		memcpy(c->block + c->fill, p, take);
		c->fill += take;
		p += take;
		n -= take;
		if (c->fill == 64) {
			sha1_block(c, c->block);
			c->fill = 0;
		}
	}
}

static void sha1_final(struct sha1 *c, uint8_t out[20])
{
	uint64_t bits = c->bytes * 8;
	uint8_t pad = 0x80, zero = 0, len[8];
	sha1_update(c, &pad, 1);
	while (c->fill != 56)
		sha1_update(c, &zero, 1);
	for (int i = 0; i < 8; i++)
		len[i] = (uint8_t)(bits >> (56 - 8 * i));
	sha1_update(c, len, 8);
	for (int i = 0; i < 5; i++) {
		out[4 * i] = (uint8_t)(c->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)c->h[i];
	}
	sodium_memzero(c, sizeof *c);
}

void totp_sha1(const void *data, size_t n, uint8_t out[20])
{
	struct sha1 c;
	sha1_init(&c);
	sha1_update(&c, data, n);
	sha1_final(&c, out);
}

/* ---- HMAC (RFC 2104) ---- */

void totp_hmac_sha1(const uint8_t *key, size_t keylen, const void *msg, size_t n, uint8_t out[20])
{
	uint8_t k[64] = {0}, ipad[64], opad[64], inner[20];
	if (keylen > 64)
		totp_sha1(key, keylen, k);
	else if (keylen)
		memcpy(k, key, keylen);
	for (int i = 0; i < 64; i++) {
		ipad[i] = k[i] ^ 0x36;
		opad[i] = k[i] ^ 0x5c;
	}
	struct sha1 c;
	sha1_init(&c);
	sha1_update(&c, ipad, 64);
	sha1_update(&c, msg, n);
	sha1_final(&c, inner);
	sha1_init(&c);
	sha1_update(&c, opad, 64);
	sha1_update(&c, inner, 20);
	sha1_final(&c, out);
	sodium_memzero(k, sizeof k);
	sodium_memzero(ipad, sizeof ipad);
	sodium_memzero(opad, sizeof opad);
	sodium_memzero(inner, sizeof inner);
}

/* ---- HOTP / TOTP ---- */

uint32_t totp_hotp(const uint8_t *key, size_t keylen, uint64_t counter, int digits)
{
	uint8_t msg[8], mac[20];
	for (int i = 0; i < 8; i++)
		msg[i] = (uint8_t)(counter >> (56 - 8 * i));
	totp_hmac_sha1(key, keylen, msg, sizeof msg, mac);
	int off = mac[19] & 0x0f; /* dynamic truncation, RFC 4226 5.3 */
	uint32_t bin = (uint32_t)(mac[off] & 0x7f) << 24 | (uint32_t)mac[off + 1] << 16 | (uint32_t)mac[off + 2] << 8 |
	               mac[off + 3];
	sodium_memzero(mac, sizeof mac);
	uint32_t mod = 1;
	for (int i = 0; i < digits; i++)
		mod *= 10;
	return bin % mod;
}

uint64_t totp_step(int64_t t)
{
	return t < 0 ? 0 : (uint64_t)t / TOTP_STEP;
}

static void format_code(uint32_t v, int digits, char *out)
{
	for (int i = digits - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
	out[digits] = '\0';
}

void totp_code(const uint8_t *key, size_t keylen, int64_t t, int digits, char *out)
{
	format_code(totp_hotp(key, keylen, totp_step(t), digits), digits, out);
}

bool totp_verify(const uint8_t *key, size_t keylen, const char *code, int64_t now, uint64_t last_step,
                 uint64_t *step)
{
	char given[TOTP_DIGITS + 1];
	size_t n = 0;
	for (const char *p = code; p && *p; p++) {
		if (*p == ' ')
			continue;
		if (*p < '0' || *p > '9' || n == TOTP_DIGITS)
			return false;
		given[n++] = *p;
	}
	if (n != TOTP_DIGITS)
		return false;
	given[n] = '\0';
	uint64_t centre = totp_step(now);
	bool found = false;
	uint64_t match = 0;
	/* Every candidate is computed and compared, matching or not, so timing says nothing about which step hit. */
	for (int d = -TOTP_WINDOW; d <= TOTP_WINDOW; d++) {
		if (d < 0 && centre < (uint64_t)-d)
			continue;
		uint64_t s = centre + (uint64_t)(int64_t)d;
		char cand[TOTP_DIGITS + 1];
		format_code(totp_hotp(key, keylen, s, TOTP_DIGITS), TOTP_DIGITS, cand);
		bool eq = sodium_memcmp(cand, given, TOTP_DIGITS) == 0;
		if (eq && s > last_step && !found) {
			found = true;
			match = s;
		}
	}
	if (found && step)
		*step = match;
	return found;
}

/* ---- base32 (RFC 4648) ---- */

static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

void totp_base32_encode(const uint8_t *in, size_t n, char *out)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = B32[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[o++] = B32[(acc << (5 - bits)) & 31];
	out[o] = '\0';
}

int totp_base32_decode(const char *in, uint8_t *out, size_t cap)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0;
	for (const char *p = in; *p; p++) {
		char c = *p;
		if (c == ' ' || c == '=')
			continue;
		int v;
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a';
		else if (c >= '2' && c <= '7')
			v = c - '2' + 26;
		else
			return -1;
		acc = (acc << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			if (o == cap)
				return -1;
			out[o++] = (uint8_t)(acc >> (bits - 8));
			bits -= 8;
		}
		acc &= (1u << bits) - 1;
	}
	/* Leftover bits must be zero padding, or the text was not produced by an encoder. */
	if (bits >= 5 || (acc & ((1u << bits) - 1)) != 0)
		return -1;
	return (int)o;
}

static int add_pct(struct buf *b, const char *s)
{
	static const char hx[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		bool plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		             *p == '-' || *p == '.' || *p == '_' || *p == '~';
		int rc = plain ? buf_addc(b, (char)*p) : buf_addf(b, "%%%c%c", hx[*p >> 4], hx[*p & 15]);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int totp_uri(struct buf *out, const char *issuer, const char *account, const char *secret_b32)
{
	if (buf_adds(out, "otpauth://totp/") || add_pct(out, issuer) || buf_addc(out, ':') || add_pct(out, account) ||
	    buf_adds(out, "?secret=") || buf_adds(out, secret_b32) || buf_adds(out, "&issuer=") ||
	    add_pct(out, issuer) || buf_addf(out, "&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS, TOTP_STEP))
		return -1;
	return 0;
}
