/* TOTP building blocks against their RFC test vectors: SHA-1 (RFC 3174 / FIPS 180), HMAC-SHA-1 (RFC 2202), HOTP
 * (RFC 4226 appendix D), TOTP (RFC 6238 appendix B, SHA-1 rows) and base32 (RFC 4648 section 10). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "auth/totp.h"

static void hex(const uint8_t *in, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[in[i] >> 4];
		out[2 * i + 1] = hx[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static void fill(uint8_t *p, int c, size_t n)
{
	memset(p, c, n);
}

static void test_sha1_vectors(void **state)
{
	(void)state;
	static const struct {
		const char *msg;
		int repeat;
		const char *digest;
	} cases[] = {
		/* 1 */ {"abc", 1, "a9993e364706816aba3e25717850c26c9cd0d89d"},
		/* 2 */ {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
		         "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
		/* 3 */ {"a", 1000000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f"},
		/* 4 */ {"0123456701234567012345670123456701234567012345670123456701234567", 10,
		         "dea356a2cddd90c7a7ecedc5ebb563934f460452"},
		/* 5 */ {"", 1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t len = strlen(cases[i].msg), total = len * (size_t)cases[i].repeat;
		char *m = malloc(total + 1);
		for (int r = 0; r < cases[i].repeat; r++)
			memcpy(m + (size_t)r * len, cases[i].msg, len);
		uint8_t d[20];
		char h[41];
		totp_sha1(m, total, d);
		hex(d, 20, h);
		assert_string_equal(h, cases[i].digest);
		free(m);
	}
}

static void test_hmac_sha1_rfc2202(void **state)
{
	(void)state;
	uint8_t k[80], data[50], d[20];
	char h[41];
	const struct {
		int key_byte;
		size_t key_len;
		const char *data;
		int data_byte;
		size_t data_len;
		const char *digest;
	} cases[] = {
		/* 1 */ {0x0b, 20, "Hi There", 0, 0, "b617318655057264e28bc0b6fb378c8ef146be00"},
		/* 3 */ {0xaa, 20, NULL, 0xdd, 50, "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
		/* 5 */ {0x0c, 20, "Test With Truncation", 0, 0, "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"},
		/* 6 */ {0xaa, 80, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0,
		         "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
		/* 7 */ {0xaa, 80, "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data", 0, 0,
		         "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fill(k, cases[i].key_byte, cases[i].key_len);
		const void *msg = cases[i].data;
		size_t n = cases[i].data ? strlen(cases[i].data) : cases[i].data_len;
		if (!cases[i].data) {
			fill(data, cases[i].data_byte, cases[i].data_len);
			msg = data;
		}
		totp_hmac_sha1(k, cases[i].key_len, msg, n, d);
		hex(d, 20, h);
		assert_string_equal(h, cases[i].digest);
	}
	/* 2: a key shorter than the digest. */
	const char *jefe = "Jefe", *q = "what do ya want for nothing?";
	totp_hmac_sha1((const uint8_t *)jefe, 4, q, strlen(q), d);
	hex(d, 20, h);
	assert_string_equal(h, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
	/* 4: a 25-byte key 0x01..0x19. */
	for (int i = 0; i < 25; i++)
		k[i] = (uint8_t)(i + 1);
	fill(data, 0xcd, 50);
	totp_hmac_sha1(k, 25, data, 50, d);
	hex(d, 20, h);
	assert_string_equal(h, "4c9007f4026250c6bc8414f9bf50c86c2d7235da");
}

static const uint8_t RFC_KEY[] = "12345678901234567890";

static void test_hotp_rfc4226(void **state)
{
	(void)state;
	static const uint32_t expect[] = {755224, 287082, 359152, 969429, 338314,
	                                  254676, 287922, 162583, 399871, 520489};
	for (uint64_t c = 0; c < 10; c++)
		assert_int_equal(totp_hotp(RFC_KEY, 20, c, 6), expect[c]);
}

static void test_totp_rfc6238(void **state)
{
	(void)state;
	static const struct {
		int64_t t;
		const char *code;
	} cases[] = {
		{59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
		{1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000LL, "65353130"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[9];
		totp_code(RFC_KEY, 20, cases[i].t, 8, out);
		assert_string_equal(out, cases[i].code);
	}
}

static void test_totp_verify_window_and_replay(void **state)
{
	(void)state;
	const int64_t now = 1111111111; /* step 37037037 */
	char prev[7], cur[7], next[7], far[7];
	totp_code(RFC_KEY, 20, now - 30, 6, prev);
	totp_code(RFC_KEY, 20, now, 6, cur);
	totp_code(RFC_KEY, 20, now + 30, 6, next);
	totp_code(RFC_KEY, 20, now + 90, 6, far);
	uint64_t step = 0;
	struct {
		const char *code;
		uint64_t last;
		bool ok;
		uint64_t step;
	} cases[] = {
		{cur, 0, true, 37037037},          {prev, 0, true, 37037036},      {next, 0, true, 37037038},
		{far, 0, false, 0},                {cur, 37037037, false, 0},      /* replay of the same step */
		{prev, 37037036, false, 0},        {next, 37037037, true, 37037038},
		{"", 0, false, 0},                 {"12345", 0, false, 0},         {"1234567", 0, false, 0},
		{"12a456", 0, false, 0},           {NULL, 0, false, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		step = 0;
		bool ok = totp_verify(RFC_KEY, 20, cases[i].code, now, cases[i].last, &step);
		assert_int_equal(ok, cases[i].ok);
		if (ok)
			assert_int_equal(step, cases[i].step);
	}
	/* Apps show "123 456": spaces are ignored. */
	char spaced[8] = {cur[0], cur[1], cur[2], ' ', cur[3], cur[4], cur[5], '\0'};
	assert_true(totp_verify(RFC_KEY, 20, spaced, now, 0, &step));
}

static void test_base32_rfc4648(void **state)
{
	(void)state;
	static const struct {
		const char *plain, *enc;
	} cases[] = {
		{"", ""},          {"f", "MY"},          {"fo", "MZXQ"},          {"foo", "MZXW6"},
		{"foob", "MZXW6YQ"}, {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[32];
		uint8_t back[16];
		size_t n = strlen(cases[i].plain);
		totp_base32_encode((const uint8_t *)cases[i].plain, n, out);
		assert_string_equal(out, cases[i].enc);
		assert_int_equal(totp_base32_decode(cases[i].enc, back, sizeof back), (int)n);
		assert_memory_equal(back, cases[i].plain, n);
	}
	uint8_t b[32];
	assert_int_equal(totp_base32_decode("mzxw6ytboi", b, sizeof b), 6); /* lower case */
	assert_int_equal(totp_base32_decode("MZXW 6YTB OI======", b, sizeof b), 6);
	assert_int_equal(totp_base32_decode("MZXW1", b, sizeof b), -1);  /* 1 is not in the alphabet */
	assert_int_equal(totp_base32_decode("MY", b, 0), -1);            /* no room */
	assert_int_equal(totp_base32_decode("MZ7", b, sizeof b), -1);    /* a dangling character */
	assert_int_equal(totp_base32_decode("MY", b, sizeof b), 1);      /* "f": trailing bits zero */
	assert_int_equal(totp_base32_decode("MZ", b, sizeof b), -1);     /* trailing bits not zero */
	/* The RFC 6238 key in base32, as an authenticator would be given it. */
	char enc[40];
	totp_base32_encode(RFC_KEY, 20, enc);
	assert_string_equal(enc, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

static void test_uri(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 0);
	assert_int_equal(totp_uri(&b, "Safeguard Essex", "a.smith@example", "GEZDGNBV"), 0);
	assert_string_equal(buf_str(&b), "otpauth://totp/Safeguard%20Essex:a.smith%40example?secret=GEZDGNBV"
	                                 "&issuer=Safeguard%20Essex&algorithm=SHA1&digits=6&period=30");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha1_vectors),
		cmocka_unit_test(test_hmac_sha1_rfc2202),
		cmocka_unit_test(test_hotp_rfc4226),
		cmocka_unit_test(test_totp_rfc6238),
		cmocka_unit_test(test_totp_verify_window_and_replay),
		cmocka_unit_test(test_base32_rfc4648),
		cmocka_unit_test(test_uri),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
