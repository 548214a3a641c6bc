#include "core/json_write.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decodes one UTF-8 sequence at s (n bytes available) into *cp, with jansson's rules: no overlong forms, no
 * surrogates, nothing past U+10FFFF. Returns its length, or 0 when it is invalid. */
static size_t utf8_decode(const unsigned char *s, size_t n, int32_t *cp)
{
	unsigned char c = s[0];
	size_t len;
	int32_t v;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		v = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000))
		return 0;
	*cp = v;
	return len;
}

static int add_u(struct buf *out, int32_t cp)
{
	char seq[16];
	int n;
	if (cp < 0x10000) {
		n = snprintf(seq, sizeof seq, "\\u%04X", (unsigned)cp);
	} else {
		cp -= 0x10000;
		n = snprintf(seq, sizeof seq, "\\u%04X\\u%04X", (unsigned)(0xD800 | ((cp & 0xFFC00) >> 10)),
		             (unsigned)(0xDC00 | (cp & 0x3FF)));
	}
	return buf_add(out, seq, (size_t)n);
}

static int write_string(struct buf *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + len;
	if (buf_addc(out, '"') < 0)
		return -1;
	while (s < end) {
		const unsigned char *run = s;
		while (s < end && *s >= 0x20 && *s < 0x80 && *s != '"' && *s != '\\')
			s++;
		if (s > run && buf_add(out, run, (size_t)(s - run)) < 0)
			return -1;
		if (s == end)
			break;
		int32_t cp;
		size_t n = utf8_decode(s, (size_t)(end - s), &cp);
		if (!n)
			return -1;
		s += n;
		const char *esc = NULL;
		switch (cp) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default: break;
		}
		if (esc ? buf_add(out, esc, 2) < 0 : add_u(out, cp) < 0)
			return -1;
	}
	return buf_addc(out, '"');
}

static int write_value(struct buf *out, const json_t *v, int depth)
{
	if (depth > JSON_WRITE_MAX_DEPTH)
		return -1;
	switch (json_typeof(v)) {
	case JSON_NULL: return buf_add(out, "null", 4);
	case JSON_TRUE: return buf_add(out, "true", 4);
	case JSON_FALSE: return buf_add(out, "false", 5);
	case JSON_INTEGER: return buf_addf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	case JSON_STRING: return write_string(out, json_string_value(v), json_string_length(v));
	case JSON_REAL: {
		/* jansson's own shortest-round-trip formatting, not reimplemented. */
		char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_ENSURE_ASCII);
		int rc = s ? buf_adds(out, s) : -1;
		free(s);
		return rc;
	}
	case JSON_ARRAY: {
		if (buf_addc(out, '[') < 0)
			return -1;
		size_t n = json_array_size(v);
		for (size_t i = 0; i < n; i++)
			if ((i && buf_addc(out, ',') < 0) || write_value(out, json_array_get(v, i), depth + 1) < 0)
				return -1;
		return buf_addc(out, ']');
	}
	case JSON_OBJECT: {
		if (buf_addc(out, '{') < 0)
			return -1;
		bool first = true;
		/* Insertion order, as json_dumps without JSON_SORT_KEYS. */
		for (void *it = json_object_iter((json_t *)v); it; it = json_object_iter_next((json_t *)v, it)) {
			if ((!first && buf_addc(out, ',') < 0) ||
			    write_string(out, json_object_iter_key(it), json_object_iter_key_len(it)) < 0 ||
			    buf_addc(out, ':') < 0 || write_value(out, json_object_iter_value(it), depth + 1) < 0)
				return -1;
			first = false;
		}
		return buf_addc(out, '}');
	}
	default: return -1;
	}
}

int json_write_compact(struct buf *out, const json_t *doc)
{
	if (!json_is_object(doc) && !json_is_array(doc))
		return -1;
	size_t mark = out->len;
	if (write_value(out, doc, 0) == 0)
		return 0;
	/* Something this writer leaves to jansson: let it decide, whole, so the answer is exactly its answer. */
	out->len = mark;
	if (out->data)
		out->data[mark] = '\0';
	char *s = json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII);
	int rc = s ? buf_adds(out, s) : -1;
	free(s);
	return rc;
}
