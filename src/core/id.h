/* id: opaque record identifiers. A prefix naming the kind of record, then 16 characters of Crockford base32 from
 * 80 random bits (libsodium randombytes). Never derived from a name or a date of birth, so ids are safe in URLs
 * and logs. */
#ifndef SG_ID_H
#define SG_ID_H
#include <stdbool.h>
#include <stddef.h>

#define ID_MAX 32

/* Writes "<prefix>_<16 chars>" into out (ID_MAX bytes); prefix must be at most 8 lowercase letters. */
void id_new(const char *prefix, char out[ID_MAX]);
/* True when s looks like an id we could have issued (any prefix): guards against junk in URLs before a query. */
bool id_valid(const char *s);

#endif
