/* docs/openapi.json documents exactly the API the server routes: every /api/v1 route has an operation, and every
 * documented operation has a route. (Run scripts/openapi-sync.py after adding a route.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/routes.h"

static const char *const method_names[] = {"get", "post", "put", "patch", "delete"};

static void to_openapi(const char *pattern, char *out, size_t cap)
{
	size_t n = 0;
	for (const char *p = pattern; *p && n + 2 < cap; p++) {
		if (*p == ':') {
			out[n++] = '{';
			while (p[1] && p[1] != '/' && n + 2 < cap)
				out[n++] = *++p;
			out[n++] = '}';
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
}

static void test_routes_and_document_agree(void **state)
{
	const char *home = getenv("SAFEGUARD_HOME");
	char path[1024];
	snprintf(path, sizeof path, "%s/docs/openapi.json", home ? home : ".");
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr);
	if (!doc)
		fail_msg("%s: %s", path, jerr.text);
	assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.0.3");
	json_t *paths = json_object_get(doc, "paths");
	json_t *seen = json_object();
	int routes = 0;
	for (const struct route *const *t = routes_all; *t; t++) {
		for (const struct route *r = *t; r->pattern; r++) {
			if (strncmp(r->pattern, "/api/", 5) != 0)
				continue;
			char oapath[512];
			to_openapi(r->pattern, oapath, sizeof oapath);
			for (int m = 0; m < 5; m++) {
				if (!(r->methods & (1u << m)))
					continue;
				routes++;
				json_t *op = json_object_get(json_object_get(paths, oapath), method_names[m]);
				if (!op)
					fail_msg("%s %s is routed but not in docs/openapi.json (run scripts/openapi-sync.py)",
					         method_names[m], oapath);
				if (!json_is_string(json_object_get(op, "summary")))
					fail_msg("%s %s has no summary", method_names[m], oapath);
				char key[600];
				snprintf(key, sizeof key, "%s %s", method_names[m], oapath);
				json_object_set_new(seen, key, json_true());
			}
		}
	}
	const char *p;
	json_t *ops;
	json_object_foreach(paths, p, ops) {
		const char *m;
		json_t *op;
		json_object_foreach(ops, m, op) {
			char key[600];
			snprintf(key, sizeof key, "%s %s", m, p);
			if (!json_object_get(seen, key))
				fail_msg("docs/openapi.json documents %s, which no route serves", key);
		}
	}
	assert_true(routes > 30);
	json_decref(seen);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_routes_and_document_agree)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
