/* search: finding the right child in one search (usability goal U6), and spotting likely duplicates before a new
 * child is recorded (procedures-A1-5 2.4.4: check existing records before creating new ones).
 *
 * Three layers, one file each:
 *   search_key.c    pure functions: name tokens, a phonetic key, edit distance, NHS numbers (modulus 11),
 *                   postcodes and dates in the formats people type. No I/O; unit-tested as tables.
 *   search_index.c  keeps the index tables (search_names, search_keys; migrations/0013) in step with children,
 *                   their aliases and their related adults' names. Restricted addresses are never indexed.
 *   search.c        reads a query, looks its terms up through the index and ranks children with match reasons.
 *
 * Ownership: functions borrow their arguments; returned JSON belongs to the caller. The index is written inside
 * the caller's transaction (the same one that writes the child), so the two never disagree after a commit.
 * docs/internals/search.md has the design. */
#ifndef SG_SEARCH_H
#define SG_SEARCH_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define SEARCH_TOKEN_MAX 48 /* a normalised name token, NUL included */
#define SEARCH_PHONETIC_MAX 12
#define SEARCH_QUERY_MAX 100 /* bytes: longer queries are refused */

/* ---- keys (search_key.c) ---- */

/* Splits text into normalised name tokens: lower-case ASCII letters only, accents folded (é -> e), apostrophes
 * dropped (O'Brien -> obrien), anything else separating tokens (Smith-Jones -> smith, jones). Writes at most max
 * tokens; returns how many. Tokens longer than SEARCH_TOKEN_MAX - 1 are cut. */
int search_tokens(const char *text, char (*out)[SEARCH_TOKEN_MAX], int max);
/* A phonetic key for one normalised token (a simplified Metaphone tuned for names heard in England: Jon/John,
 * Smyth/Smith/Schmidt, Katherine/Catherine, Mohammed/Muhammad, Stephen/Steven share a key). "" for "". */
void search_phonetic(const char *token, char out[SEARCH_PHONETIC_MAX]);
/* Damerau-Levenshtein distance (optimal string alignment: a swap of two neighbours costs 1). Strings past 47
 * bytes are compared on their first 47. */
int search_distance(const char *a, const char *b);
/* How many edits a token of this length may be away and still count as a typo: 0 up to 3 letters, 1 up to 7,
 * 2 beyond. */
int search_max_distance(size_t len);

enum search_nhs {
	SEARCH_NHS_NONE = 0,      /* not ten digits (spaces and hyphens aside) */
	SEARCH_NHS_VALID = 1,     /* ten digits whose modulus-11 check digit is right */
	SEARCH_NHS_BAD_CHECK = 2, /* ten digits, but the check digit is wrong: a mistyped number */
};
/* Reads an NHS number written with or without spaces or hyphens; digits (10 + NUL) into out when ten digits. */
enum search_nhs search_nhs_number(const char *in, char out[11]);
/* A full UK postcode in any spacing or case: writes it upper case without spaces (out: 8 bytes) and returns
 * true. search_postcode_area() is the same for an outward code alone ("CM1"). */
bool search_postcode(const char *in, char out[8]);
bool search_postcode_area(const char *in, char out[8]);
/* A date as people type it: 2019-03-27, 27/3/2019, 27-03-2019, 27.3.19, 27032019, 27 March 2019, 27th Mar 2019.
 * Two-digit years are this century unless that would be in the future. Returns the day number (core/date.h). */
bool search_date(const char *in, int32_t *day);

/* ---- the index (search_index.c) ---- */

/* Rewrites the child's index rows from the children, relationships and persons tables. Call inside the
 * transaction that changed the child. A child that no longer exists loses its rows. Returns STORE_OK or an error. */
int search_index_child(struct store *st, const char *child_id);
/* Re-indexes every child the person is related to (their name is searchable on those children). */
int search_index_person(struct store *st, const char *person_id);
/* Re-indexes the child of a relationship. */
int search_index_relationship(struct store *st, const char *relationship_id);
/* Rebuilds the whole index when it was built by an older version of the key functions (or never): run after
 * migrations, before serving. *rebuilt (may be NULL) receives how many children were indexed. */
int search_index_refresh(struct store *st, int *rebuilt);

/* ---- queries (search.c) ---- */

/* Children matching a free-text query: name words (typo-tolerant; aliases and related adults' names too), address
 * words, a date of birth, an NHS number, a postcode or postcode area, a case or child ID, in any mix. Children that
 * match every term come first; when none does, the best partial matches are returned with "partial": true.
 * Returns {"results": [{id, forenames, surname, dob, is_unborn, edd, cp_plan_status, match_reasons, score,
 * partial}], "notices": [text]}. Results show identifying details only, never an address or postcode. */
json_t *search_children(struct store *st, const char *q, int limit);

/* A child about to be recorded, for the duplicate check. */
struct search_new_child {
	const char *forenames, *surname, *dob, *edd, *nhs_number; /* ISO dates; any may be NULL */
};
/* Existing children who are likely the same child: a name that matches (exactly, by sound or by a typo) with
 * the same or a close date of birth (or expected date of delivery), or the same NHS number. An array of results
 * shaped as in search_children(), with reasons such as "date of birth close". */
json_t *search_duplicates(struct store *st, const struct search_new_child *c, int limit);

#endif
