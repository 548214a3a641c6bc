#include "auth/password.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

_Static_assert(PASSWORD_HASH_MAX == crypto_pwhash_STRBYTES, "PASSWORD_HASH_MAX must match libsodium");

#define OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define MEM crypto_pwhash_MEMLIMIT_INTERACTIVE

/* A counting semaphore from a mutex and a condition: statically initialised, so no set-up call to forget. */
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slots_free = PTHREAD_COND_INITIALIZER;
static int slots_in_use;

static void slot_take(void)
{
	pthread_mutex_lock(&slots_lock);
	while (slots_in_use >= PASSWORD_MAX_CONCURRENT)
		pthread_cond_wait(&slots_free, &slots_lock);
	slots_in_use++;
	pthread_mutex_unlock(&slots_lock);
}

static void slot_give(void)
{
	pthread_mutex_lock(&slots_lock);
	slots_in_use--;
	pthread_cond_signal(&slots_free);
	pthread_mutex_unlock(&slots_lock);
}

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	if (sodium_init() < 0)
		return -1;
	slot_take();
	int rc = crypto_pwhash_str(out, pw, strlen(pw), OPS, MEM);
	slot_give();
	return rc == 0 ? 0 : -1;
}

int password_verify(const char *hash, const char *pw)
{
	if (sodium_init() < 0)
		return -1;
	if (!hash || !hash[0])
		return 1;
	/* crypto_pwhash_str_verify reads up to crypto_pwhash_STRBYTES: never hand it a longer or unterminated string. */
	if (strnlen(hash, PASSWORD_HASH_MAX) >= PASSWORD_HASH_MAX)
		return 1;
	slot_take();
	int rc = crypto_pwhash_str_verify(hash, pw, strlen(pw));
	slot_give();
	return rc == 0 ? 0 : 1;
}

bool password_needs_rehash(const char *hash)
{
	if (sodium_init() < 0 || !hash || strnlen(hash, PASSWORD_HASH_MAX) >= PASSWORD_HASH_MAX)
		return false;
	return crypto_pwhash_str_needs_rehash(hash, OPS, MEM) == 1;
}

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[PASSWORD_HASH_MAX];

static void make_dummy(void)
{
	unsigned char rnd[24];
	char pw[sizeof rnd * 2 + 1];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(pw, sizeof pw, rnd, sizeof rnd);
	if (password_hash(pw, dummy_hash) != 0)
		dummy_hash[0] = '\0';
	sodium_memzero(pw, sizeof pw);
}

void password_verify_dummy(const char *pw)
{
	if (sodium_init() < 0)
		return;
	pthread_once(&dummy_once, make_dummy);
	if (dummy_hash[0])
		(void)password_verify(dummy_hash, pw);
}

/* Length in bytes of the UTF-8 sequence starting at s, or 0 when it is not well formed (overlong forms,
 * surrogates and values above U+10FFFF included). */
static size_t utf8_seq(const unsigned char *s)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	size_t n;
	unsigned cp, min;
	if ((c & 0xE0) == 0xC0) {
		n = 2, cp = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3, cp = c & 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4, cp = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

int password_policy_check(const char *pw, const char *username, const char **why)
{
	if (!pw) {
		*why = "Enter a password.";
		return -1;
	}
	size_t bytes = strnlen(pw, PASSWORD_MAX_BYTES + 1);
	if (bytes > PASSWORD_MAX_BYTES) {
		*why = "The password is too long: use at most 1024 characters.";
		return -1;
	}
	const unsigned char *p = (const unsigned char *)pw;
	size_t chars = 0, first = 0;
	bool all_same = true;
	for (size_t i = 0; i < bytes;) {
		size_t n = utf8_seq(p + i);
		if (n == 0 || i + n > bytes) {
			*why = "The password contains characters that are not valid text.";
			return -1;
		}
		if (p[i] < 0x20 || p[i] == 0x7F) {
			*why = "The password must not contain control characters such as tabs or line breaks.";
			return -1;
		}
		if (chars == 0)
			first = n;
		else if (n != first || memcmp(p + i, p, n) != 0)
			all_same = false;
		chars++;
		i += n;
	}
	if (chars < PASSWORD_MIN_CHARS) {
		*why = "The password is too short: use at least 12 characters. A few unrelated words make a good one.";
		return -1;
	}
	if (all_same) {
		*why = "The password must not be a single character repeated.";
		return -1;
	}
	if (username && strlen(username) >= 3 && strcasestr(pw, username)) {
		*why = "The password must not contain your username.";
		return -1;
	}
	return 0;
}
