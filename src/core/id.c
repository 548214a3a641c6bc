#include "core/id.h"

#include <sodium.h>
#include <string.h>

static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

void id_new(const char *prefix, char out[ID_MAX])
{
	unsigned char rnd[10];
	randombytes_buf(rnd, sizeof rnd);
	size_t p = strlen(prefix);
	if (p > 8)
		p = 8;
	memcpy(out, prefix, p);
	out[p++] = '_';
	/* 80 bits = 16 base32 digits. */
	unsigned long long acc = 0;
	int bits = 0, bi = 0;
	for (int i = 0; i < 16; i++) {
		if (bits < 5) {
			acc = (acc << 8) | rnd[bi++];
			bits += 8;
		}
		bits -= 5;
		out[p++] = alphabet[(acc >> bits) & 31];
	}
	out[p] = '\0';
}

bool id_valid(const char *s)
{
	size_t n = strlen(s);
	if (n < 18 || n > 25)
		return false;
	const char *us = strchr(s, '_');
	if (!us || us == s || us - s > 8 || strlen(us + 1) != 16)
		return false;
	for (const char *c = s; c < us; c++)
		if (*c < 'a' || *c > 'z')
			return false;
	for (const char *c = us + 1; *c; c++)
		if (!strchr(alphabet, *c))
			return false;
	return true;
}
