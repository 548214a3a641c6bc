/* json_write_compact must give exactly json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII), byte for byte, including
 * where json_dumps fails (then: nothing written, -1). Table-driven, plus generated strings over every escape class. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_write.h"

/* Compares the writer with jansson on doc (borrowed); the buffer starts with a prefix that must survive. */
static void same_as_jansson(const json_t *doc)
{
	char *want = json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII);
	struct buf b;
	buf_init(&b, 0);
	buf_adds(&b, "prefix:");
	int rc = json_write_compact(&b, doc);
	if (want) {
		assert_int_equal(rc, 0);
		assert_string_equal(buf_str(&b) + 7, want);
	} else {
		assert_int_equal(rc, -1);
		assert_string_equal(buf_str(&b), "prefix:");
	}
	free(want);
	buf_free(&b);
}

static void test_documents(void **state)
{
	static const char *const docs[] = {
		"{}",
		"[]",
		"{\"a\":null,\"b\":true,\"c\":false,\"d\":0,\"e\":-9223372036854775808,\"f\":9223372036854775807}",
		"{\"z\":1,\"a\":2,\"m\":{\"y\":[1,[2,[3,{}]],[]],\"b\":\"\"}}", /* insertion order kept, not sorted */
		"[\"quote \\\" backslash \\\\ slash / tab \\t nl \\n cr \\r bs \\b ff \\f\"]",
		"[\"\\u0000 \\u0001 \\u001f \\u007f \\u0080 \\u00e9 \\u07ff \\u0800 \\uffff \\ud83d\\ude00 \\udbff\\udfff\"]",
		"{\"cl\\u00e9\":\"Zo\\u00eb \\u201cquoted\\u201d \\u2014 \\u00a3\"}",
		"[1.5, 0.1, -0.0, 1e300, 3.0, 123456789.125, [2.5]]", /* reals go to jansson */
		"{\"child\":{\"id\":\"chd_x\",\"cases\":[{\"id\":\"cas_1\",\"n\":1}],\"relationships\":[]}}",
	};
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		json_error_t err;
		json_t *doc = json_loads(docs[i], JSON_ALLOW_NUL, &err);
		assert_non_null(doc);
		same_as_jansson(doc);
		json_decref(doc);
	}
}

static void test_failures_match(void **state)
{
	/* Not an object or an array: json_dumps refuses without JSON_ENCODE_ANY. */
	json_t *s = json_string("x");
	same_as_jansson(s);
	json_decref(s);
	/* Invalid UTF-8 in a value: jansson fails the whole dump. */
	json_t *bad = json_pack("{s:o}", "k", json_stringn_nocheck("a\xff" "b", 3));
	same_as_jansson(bad);
	json_decref(bad);
	json_t *surrogate = json_pack("[o]", json_stringn_nocheck("\xed\xa0\x80", 3));
	same_as_jansson(surrogate);
	json_decref(surrogate);
	/* Invalid UTF-8 in a key: jansson writes what it can and goes on; so must we. */
	json_t *badkey = json_object();
	json_object_set_new_nocheck(badkey, "k\xc3", json_integer(1));
	json_object_set_new(badkey, "ok", json_integer(2));
	same_as_jansson(badkey);
	json_decref(badkey);
	/* A cycle: jansson refuses it; the writer must stop too rather than recurse for ever. */
	json_t *a = json_array(), *o = json_object();
	json_array_append(a, o);
	json_object_set(o, "back", a);
	same_as_jansson(a);
	json_object_del(o, "back");
	json_decref(o);
	json_decref(a);
	/* Deep but legal nesting beyond the writer's own limit: jansson's answer is used. */
	json_t *deep = json_array();
	for (int i = 0; i < JSON_WRITE_MAX_DEPTH + 10; i++)
		deep = json_pack("[o]", deep);
	same_as_jansson(deep);
	json_decref(deep);
}

/* Generated strings mixing every class: plain ASCII, escapes, controls, 2-, 3- and 4-byte sequences, and NULs. */
static void test_generated_strings(void **state)
{
	static const char *const pieces[] = {
		"a", "Z", " ", "\"", "\\", "/", "\b", "\f", "\n", "\r", "\t", "\x01", "\x1f", "\x7f",
		"\xc2\x80", "\xc3\xa9", "\xdf\xbf", "\xe0\xa0\x80", "\xe2\x80\x94", "\xef\xbf\xbf", "\xf0\x9f\x98\x80",
		"\xf4\x8f\xbf\xbf", "<script>", "&amp;",
	};
	const size_t np = sizeof pieces / sizeof pieces[0];
	uint32_t seed = 12345;
	for (int round = 0; round < 500; round++) {
		char text[256];
		size_t len = 0;
		int count = round % 17;
		for (int k = 0; k < count; k++) {
			seed = seed * 1103515245u + 12345u;
			const char *p = pieces[(seed >> 16) % np];
			size_t pl = strlen(p);
			memcpy(text + len, p, pl);
			len += pl;
			if ((seed >> 8) % 11 == 0)
				text[len++] = '\0'; /* an embedded NUL */
		}
		json_t *doc = json_object();
		json_object_set_new(doc, "v", json_stringn(text, len));
		json_object_set_new(doc, count ? "k\xc3\xa9y" : "key", json_string("x"));
		same_as_jansson(doc);
		json_decref(doc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_documents),
		cmocka_unit_test(test_failures_match),
		cmocka_unit_test(test_generated_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
