/* Parsers for the parts of a request that come from outside: percent-encoded strings, query strings and form
 * bodies, and cookie headers. Our own small code rather than libmicrohttpd's post processor (where most of that
 * library's past CVEs were), and fuzzed (fuzz/fuzz_parse.c). */
#include <string.h>

#include "http/http.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int http_url_decode(struct arena *a, const char *s, size_t n, bool plus_is_space, char **out)
{
	char *d = arena_alloc(a, n + 1), *w = d;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			if (i + 2 >= n)
				return -1;
			int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = (char)(hi * 16 + lo);
			if (c == '\0')
				return -1;
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		} else if (c == '\0') {
			return -1;
		}
		*w++ = c;
	}
	*w = '\0';
	*out = d;
	return 0;
}

int http_parse_pairs(struct arena *a, const char *s, size_t n, struct http_kv **out, int *count)
{
	int cap = 1;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '&')
			cap++;
	if (cap > HTTP_MAX_FIELDS)
		return -1;
	struct http_kv *kv = arena_alloc(a, sizeof *kv * (size_t)cap);
	int k = 0;
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '&')
			continue;
		size_t len = i - start;
		if (len > 0) {
			const char *part = s + start;
			const char *eq = memchr(part, '=', len);
			size_t klen = eq ? (size_t)(eq - part) : len;
			char *key, *val;
			if (http_url_decode(a, part, klen, true, &key) < 0)
				return -1;
			if (eq) {
				if (http_url_decode(a, eq + 1, len - klen - 1, true, &val) < 0)
					return -1;
			} else {
				val = arena_strdup(a, "");
			}
			if (key[0]) {
				kv[k].key = key;
				kv[k].value = val;
				k++;
			}
		}
		start = i + 1;
	}
	*out = kv;
	*count = k;
	return 0;
}

const char *http_cookie_value(struct arena *a, const char *header, const char *name)
{
	if (!header)
		return NULL;
	size_t nlen = strlen(name);
	const char *p = header;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
			const char *v = p + nlen + 1;
			size_t vlen = len - nlen - 1;
			while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
				vlen--;
			if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
				v++;
				vlen -= 2;
			}
			return vlen ? arena_strndup(a, v, vlen) : NULL;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return NULL;
}
