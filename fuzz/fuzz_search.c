/* libFuzzer driver for the search module's readers of untrusted text (U6): the query parser, name tokens and their
 * phonetic keys, edit distance, NHS numbers, postcodes and typed dates. Build and run (clang from Debian's clang-14):
 *   clang -fsanitize=fuzzer,address,undefined -Isrc $(pkg-config --cflags jansson) -o /tmp/fuzz_search \
 *     fuzz/fuzz_search.c src/search/search_parse.c src/search/search_key.c src/core/date.c src/core/id.c \
 *     src/core/xmalloc.c $(pkg-config --libs jansson libsodium)
 *   /tmp/fuzz_search -max_total_time=60 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "search/search_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *q = malloc(size + 1);
	memcpy(q, data, size);
	q[size] = '\0';
	struct search_term terms[SEARCH_MAX_TERMS];
	json_t *notices = json_array();
	int n = search_parse(q, terms, notices);
	if (n < 0 || n > SEARCH_MAX_TERMS)
		abort();
	json_decref(notices);
	char toks[16][SEARCH_TOKEN_MAX];
	int nt = search_tokens(q, toks, 16);
	for (int i = 0; i < nt; i++) {
		char ph[SEARCH_PHONETIC_MAX];
		search_phonetic(toks[i], ph);
		if (strlen(ph) >= SEARCH_PHONETIC_MAX)
			abort();
		if (i && search_distance(toks[i - 1], toks[i]) < 0)
			abort();
	}
	char digits[11], pc[8];
	search_nhs_number(q, digits);
	search_postcode(q, pc);
	search_postcode_area(q, pc);
	int32_t day;
	search_date(q, &day);
	free(q);
	return 0;
}
