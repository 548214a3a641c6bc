/* buf, arena and id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/id.h"

static void test_buf_appends_and_terminates(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_adds(&b, "abc"), 0);
	assert_int_equal(buf_addf(&b, "-%d-%s", 42, "x"), 0);
	assert_int_equal(buf_addc(&b, '!'), 0);
	assert_string_equal(buf_str(&b), "abc-42-x!");
	assert_int_equal(b.len, 9);
	buf_reset(&b);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
}

static void test_buf_cap_is_hard(void **state)
{
	struct buf b;
	buf_init(&b, 8);
	assert_int_equal(buf_adds(&b, "12345678"), 0);
	assert_int_equal(buf_adds(&b, "9"), -1);
	assert_string_equal(buf_str(&b), "12345678"); /* unchanged after a refused append */
	assert_int_equal(buf_addf(&b, "%s", "more"), -1);
	assert_int_equal(b.len, 8);
	buf_free(&b);
}

static void test_buf_html_escaping(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"plain", "plain"},
		{"<script>", "&lt;script&gt;"},
		{"a & b", "a &amp; b"},
		{"\"q\" 'a'", "&quot;q&quot; &#39;a&#39;"},
		{"", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf b;
		buf_init(&b, 0);
		assert_int_equal(buf_add_html(&b, cases[i].in), 0);
		assert_string_equal(buf_str(&b), cases[i].out);
		buf_free(&b);
	}
}

static void test_buf_detach(void **state)
{
	struct buf b;
	buf_init(&b, 0);
	buf_adds(&b, "keep");
	char *s = buf_detach(&b);
	assert_string_equal(s, "keep");
	assert_int_equal(b.len, 0);
	free(s);
	s = buf_detach(&b);
	assert_string_equal(s, "");
	free(s);
}

static void test_arena(void **state)
{
	struct arena a;
	arena_init(&a);
	char *s = arena_strdup(&a, "hello");
	assert_string_equal(s, "hello");
	assert_null(arena_strdup(&a, NULL));
	assert_string_equal(arena_printf(&a, "%s-%d", "n", 7), "n-7");
	void *big = arena_alloc(&a, 100000); /* larger than a block */
	memset(big, 1, 100000);
	for (int i = 0; i < 1000; i++) {
		char *p = arena_alloc(&a, 33);
		assert_int_equal(((uintptr_t)p) % 16, 0);
		assert_int_equal(p[0], 0);
	}
	assert_string_equal(s, "hello");
	arena_free(&a);
}

static void test_ids(void **state)
{
	char a[ID_MAX], b[ID_MAX];
	id_new("chd", a);
	id_new("chd", b);
	assert_int_equal(strlen(a), 20);
	assert_memory_equal(a, "chd_", 4);
	assert_string_not_equal(a, b);
	assert_true(id_valid(a));
	static const char *const invalid[] = {
		"", "chd", "chd_", "chd_123", "CHD_0123456789abcdef", "chd_0123456789abcdeu", "chd-0123456789abcdef",
		"_0123456789abcdefgh", "chd_0123456789abcdef0", "../etc/passwd", "chd_0123456789abcde'",
	};
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
		if (id_valid(invalid[i]))
			fail_msg("id_valid accepted %s", invalid[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_appends_and_terminates), cmocka_unit_test(test_buf_cap_is_hard),
		cmocka_unit_test(test_buf_html_escaping),          cmocka_unit_test(test_buf_detach),
		cmocka_unit_test(test_arena),                      cmocka_unit_test(test_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
