/* libFuzzer driver for the request parsers: percent-decoding, query strings and form bodies, cookie headers and
 * multipart bodies. Build and run (clang from Debian's clang-14):
 *   clang -fsanitize=fuzzer,address,undefined -Isrc -o /tmp/fuzz_parse fuzz/fuzz_parse.c src/http/parse.c \
 *     src/http/multipart.c src/core/arena.c src/core/buf.c src/core/xmalloc.c
 *   /tmp/fuzz_parse -max_total_time=60 fuzz/corpus/parse */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a);
	const char *s = (const char *)data;
	char *out;
	http_url_decode(&a, s, size, true, &out);
	struct http_kv *kv;
	int n;
	http_parse_pairs(&a, s, size, &kv, &n);
	char *text = xstrndup(s, size);
	http_cookie_value(&a, text, "sg_session");
	struct http_file *files;
	int nf;
	http_parse_multipart(&a, "multipart/form-data; boundary=B0", s, size, &kv, &n, &files, &nf);
	/* The first line may carry its own Content-Type, so boundaries are fuzzed too. */
	const char *nl = memchr(s, '\n', size);
	if (nl) {
		char *ct = xstrndup(s, (size_t)(nl - s));
		http_parse_multipart(&a, ct, nl + 1, size - (size_t)(nl - s) - 1, &kv, &n, &files, &nf);
		free(ct);
	}
	free(text);
	arena_free(&a);
	return 0;
}
