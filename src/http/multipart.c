/* multipart/form-data bodies (RFC 7578), for the document upload form. Our own parser, like the others here,
 * and fuzzed (fuzz/fuzz_parse.c). Part bodies are not copied: fields and files point into the body buffer, which
 * lives as long as the request; field values are copied into the arena so they are NUL-terminated. */
#include <string.h>
#include <strings.h>

#include "http/http.h"

#define MULTIPART_MAX_PARTS 64

static const char *memfind(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	if (nlen == 0 || hlen < nlen)
		return NULL;
	for (const char *p = hay; (p = memchr(p, needle[0], hlen - (size_t)(p - hay) - nlen + 1)); p++) {
		if (memcmp(p, needle, nlen) == 0)
			return p;
		if ((size_t)(p - hay) + nlen >= hlen)
			break;
	}
	return NULL;
}

/* The value of a parameter such as name="x" in a header line (quoted or not), copied into the arena. */
static const char *header_param(struct arena *a, const char *line, size_t len, const char *param)
{
	size_t plen = strlen(param);
	for (size_t i = 0; i + plen + 1 < len; i++) {
		if ((i == 0 || line[i - 1] == ';' || line[i - 1] == ' ') && strncasecmp(line + i, param, plen) == 0 &&
		    line[i + plen] == '=') {
			const char *v = line + i + plen + 1;
			size_t rest = len - (i + plen + 1), n = 0;
			if (rest && *v == '"') {
				v++;
				rest--;
				while (n < rest && v[n] != '"')
					n++;
				if (n == rest)
					return NULL; /* unterminated quote */
			} else {
				while (n < rest && v[n] != ';' && v[n] != ' ')
					n++;
			}
			return arena_strndup(a, v, n);
		}
	}
	return NULL;
}

int http_parse_multipart(struct arena *a, const char *content_type, const char *body, size_t len,
                         struct http_kv **fields, int *nfields, struct http_file **files, int *nfiles)
{
	const char *b = content_type ? header_param(a, content_type, strlen(content_type), "boundary") : NULL;
	if (!b || !*b || strlen(b) > 70)
		return -1;
	char *delim = arena_printf(a, "--%s", b);
	size_t dlen = strlen(delim);
	struct http_kv *kv = arena_alloc(a, sizeof *kv * MULTIPART_MAX_PARTS);
	struct http_file *fv = arena_alloc(a, sizeof *fv * MULTIPART_MAX_PARTS);
	int nk = 0, nf = 0;
	const char *p = memfind(body, len, delim, dlen);
	if (!p)
		return -1;
	const char *end = body + len;
	for (;;) {
		p += dlen;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			break; /* the closing delimiter */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return -1;
		p += 2;
		const char *hdr_end = memfind(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (!hdr_end)
			return -1;
		const char *name = NULL, *filename = NULL, *ctype = NULL;
		for (const char *line = p; line < hdr_end;) {
			const char *eol = memfind(line, (size_t)(hdr_end - line) + 2, "\r\n", 2);
			size_t llen = (size_t)(eol - line);
			if (llen > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
				name = header_param(a, line, llen, "name");
				filename = header_param(a, line, llen, "filename");
			} else if (llen > 13 && strncasecmp(line, "Content-Type:", 13) == 0) {
				const char *v = line + 13;
				while (v < eol && *v == ' ')
					v++;
				ctype = arena_strndup(a, v, (size_t)(eol - v));
			}
			line = eol + 2;
		}
		const char *data = hdr_end + 4;
		const char *next = memfind(data, (size_t)(end - data), delim, dlen);
		if (!next || next - data < 2 || next[-2] != '\r' || next[-1] != '\n' || !name)
			return -1;
		size_t dl = (size_t)(next - data) - 2;
		if (nk + nf >= MULTIPART_MAX_PARTS)
			return -1;
		if (filename) {
			fv[nf++] = (struct http_file){name, filename, ctype ? ctype : "application/octet-stream", data, dl};
		} else {
			if (memchr(data, '\0', dl))
				return -1;
			kv[nk].key = name;
			kv[nk].value = arena_strndup(a, data, dl);
			nk++;
		}
		p = next;
	}
	*fields = kv;
	*nfields = nk;
	*files = fv;
	*nfiles = nf;
	return 0;
}
