/* drafts_form_key_valid: which strings may name a form whose draft is kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ui/drafts.h"

static void test_form_keys(void **state)
{
	static const struct {
		const char *key;
		bool valid;
	} cases[] = {
		{"/children/new", true},
		{"/children/chd_8x2k4m6p9q1r3s5t/referrals/new", true},
		{"/cases/cas_1/s47:outcome", true},
		{"/", true},
		{NULL, false},
		{"", false},
		{"children/new", false},          /* not a path on this site */
		{"//evil.example/x", false},      /* a scheme-relative address */
		{"/children//new", false},
		{"/children/../admin", false},
		{"/children/new?x=1", false},     /* a query is not part of the form's name */
		{"/children/new#top", false},
		{"/children/new\\x", false},
		{"/children/new x", false},
		{"/children/n\xc3\xa9w", false},  /* non-ASCII */
		{"https://example.org/", false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (drafts_form_key_valid(cases[i].key) != cases[i].valid)
			fail_msg("case %zu (%s): expected %s", i, cases[i].key ? cases[i].key : "NULL",
			         cases[i].valid ? "valid" : "invalid");
	}
}

static void test_form_key_length(void **state)
{
	char key[DRAFTS_KEY_MAX + 2];
	memset(key, 'a', sizeof key - 1);
	key[0] = '/';
	key[DRAFTS_KEY_MAX] = '\0'; /* exactly the limit */
	assert_true(drafts_form_key_valid(key));
	key[DRAFTS_KEY_MAX] = 'a';
	key[DRAFTS_KEY_MAX + 1] = '\0'; /* one over */
	assert_false(drafts_form_key_valid(key));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_keys),
		cmocka_unit_test(test_form_key_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
