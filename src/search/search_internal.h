/* search_internal: what search.c and search_parse.c share. Not for other modules. */
#ifndef SG_SEARCH_INTERNAL_H
#define SG_SEARCH_INTERNAL_H
#include <jansson.h>
#include <stdint.h>

#include "search/search.h"

#define SEARCH_MAX_TERMS 8

enum search_term_kind {
	TERM_WORD,     /* a name or address word, normalised (search_tokens) */
	TERM_DATE,     /* a date of birth: day */
	TERM_NHS,      /* ten digits */
	TERM_POSTCODE, /* upper case, no spaces */
	TERM_AREA,     /* an outward code */
	TERM_ID,       /* a case or child id, lower case */
};

struct search_term {
	enum search_term_kind kind;
	char text[SEARCH_TOKEN_MAX];
	int32_t day;
};

/* Reads a query into at most SEARCH_MAX_TERMS terms; appends what the user should know (an NHS number with a
 * wrong check digit, words left out) to notices as strings. Returns the number of terms. */
int search_parse(const char *q, struct search_term *terms, json_t *notices);

#endif
