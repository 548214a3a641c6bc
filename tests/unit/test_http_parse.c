/* The request parsers and the router, table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "http/http.h"
#include "http/router.h"

static void test_url_decode(void **state)
{
	static const struct {
		const char *in;
		bool plus;
		const char *out; /* NULL = rejected */
	} cases[] = {
		{"abc", false, "abc"},
		{"a%20b", false, "a b"},
		{"a+b", true, "a b"},
		{"a+b", false, "a+b"},
		{"%41%62", false, "Ab"},
		{"%e2%82%ac", false, "\xe2\x82\xac"},
		{"%", false, NULL},
		{"%4", false, NULL},
		{"%zz", false, NULL},
		{"%00", false, NULL},
		{"100%", false, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct arena a;
		arena_init(&a);
		char *out = NULL;
		int rc = http_url_decode(&a, cases[i].in, strlen(cases[i].in), cases[i].plus, &out);
		if (cases[i].out) {
			assert_int_equal(rc, 0);
			assert_string_equal(out, cases[i].out);
		} else if (rc != -1) {
			fail_msg("case %zu (%s) should be rejected", i, cases[i].in);
		}
		arena_free(&a);
	}
}

static void test_pairs(void **state)
{
	struct arena a;
	arena_init(&a);
	struct http_kv *kv;
	int n;
	const char *q = "a=1&b=two+words&&c&=skipped&d=%3D&a=again";
	assert_int_equal(http_parse_pairs(&a, q, strlen(q), &kv, &n), 0);
	assert_int_equal(n, 5);
	assert_string_equal(kv[0].key, "a");
	assert_string_equal(kv[0].value, "1");
	assert_string_equal(kv[1].value, "two words");
	assert_string_equal(kv[2].key, "c");
	assert_string_equal(kv[2].value, "");
	assert_string_equal(kv[3].value, "=");
	assert_string_equal(kv[4].value, "again");
	assert_int_equal(http_parse_pairs(&a, "", 0, &kv, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(http_parse_pairs(&a, "a=%zz", 5, &kv, &n), -1);
	/* Too many fields is refused rather than allocated. */
	struct buf many;
	buf_init(&many, 0);
	for (int i = 0; i < HTTP_MAX_FIELDS + 1; i++)
		buf_adds(&many, "x=1&");
	assert_int_equal(http_parse_pairs(&a, many.data, many.len, &kv, &n), -1);
	buf_free(&many);
	arena_free(&a);
}

static void test_cookies(void **state)
{
	static const struct {
		const char *header, *name, *value;
	} cases[] = {
		{"sg_session=abc", "sg_session", "abc"},
		{"a=1; sg_session=xyz; b=2", "sg_session", "xyz"},
		{"a=1;sg_session=\"q\"", "sg_session", "q"},
		{"sg_sessionx=1", "sg_session", NULL},
		{"xsg_session=1", "sg_session", NULL},
		{"", "sg_session", NULL},
		{"sg_session=", "sg_session", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct arena a;
		arena_init(&a);
		const char *v = http_cookie_value(&a, cases[i].header, cases[i].name);
		if (cases[i].value)
			assert_string_equal(v, cases[i].value);
		else if (v)
			fail_msg("case %zu: got %s", i, v);
		arena_free(&a);
	}
}

static void test_multipart(void **state)
{
	static const char ct[] = "multipart/form-data; boundary=XyZ";
	static const char body[] = "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nBody map\r\n"
	                           "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a b.txt\"\r\n"
	                           "Content-Type: text/plain\r\n\r\nhel\r\nlo\r\n--XyZ--\r\n";
	struct arena a;
	arena_init(&a);
	struct http_kv *kv;
	struct http_file *files;
	int nk, nf;
	assert_int_equal(http_parse_multipart(&a, ct, body, sizeof body - 1, &kv, &nk, &files, &nf), 0);
	assert_int_equal(nk, 1);
	assert_string_equal(kv[0].key, "title");
	assert_string_equal(kv[0].value, "Body map");
	assert_int_equal(nf, 1);
	assert_string_equal(files[0].filename, "a b.txt");
	assert_string_equal(files[0].content_type, "text/plain");
	assert_int_equal(files[0].len, 7);
	assert_memory_equal(files[0].data, "hel\r\nlo", 7);
	static const char *const bad[] = {
		"", "--XyZ", "--XyZ\r\n\r\nno name\r\n--XyZ--", "--XyZ\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nx",
		"--XyZ\r\nContent-Disposition: form-data; name=\"t\r\n\r\nx\r\n--XyZ--",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (http_parse_multipart(&a, ct, bad[i], strlen(bad[i]), &kv, &nk, &files, &nf) != -1)
			fail_msg("bad multipart %zu accepted", i);
	assert_int_equal(http_parse_multipart(&a, "multipart/form-data", body, sizeof body - 1, &kv, &nk, &files, &nf),
	                 -1);
	arena_free(&a);
}

static void handler(struct http_request *req)
{
	(void)req;
}

static const struct route table[] = {
	{HTTP_GET, "/children", handler, "a"},
	{HTTP_POST, "/children", handler, "b"},
	{HTTP_GET, "/children/new", handler, "c"},
	{HTTP_GET | HTTP_PATCH, "/children/:id", handler, "d"},
	{HTTP_GET, "/children/:id/cases/:case", handler, "e"},
	{0},
};
static const struct route *const tables[] = {table, NULL};

static void test_router(void **state)
{
	static const struct {
		enum http_method m;
		const char *path;
		int result;
		const char *action, *p0, *p1, *allow;
	} cases[] = {
		{HTTP_GET, "/children", ROUTER_FOUND, "a"},
		{HTTP_POST, "/children", ROUTER_FOUND, "b"},
		{HTTP_HEAD, "/children", ROUTER_FOUND, "a"},
		{HTTP_GET, "/children/new", ROUTER_FOUND, "c"},
		{HTTP_GET, "/children/chd_1", ROUTER_FOUND, "d", "chd_1"},
		{HTTP_PATCH, "/children/chd_1", ROUTER_FOUND, "d", "chd_1"},
		{HTTP_GET, "/children/x/cases/y", ROUTER_FOUND, "e", "x", "y"},
		{HTTP_DELETE, "/children/x", ROUTER_BAD_METHOD, NULL, NULL, NULL, "GET, PATCH"},
		{HTTP_PUT, "/children", ROUTER_BAD_METHOD, NULL, NULL, NULL, "GET, POST"},
		{HTTP_GET, "/children/", ROUTER_NOT_FOUND},
		{HTTP_GET, "/children//cases/y", ROUTER_NOT_FOUND},
		{HTTP_GET, "/childrenx", ROUTER_NOT_FOUND},
		{HTTP_GET, "/", ROUTER_NOT_FOUND},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct http_request req;
		memset(&req, 0, sizeof req);
		arena_init(&req.arena);
		req.method = cases[i].m;
		req.path = cases[i].path;
		struct buf allow;
		buf_init(&allow, 0);
		int got = router_match(tables, &req, &allow);
		if (got != cases[i].result)
			fail_msg("case %zu %s: %d, want %d", i, cases[i].path, got, cases[i].result);
		if (cases[i].action)
			assert_string_equal(req.route->action, cases[i].action);
		if (cases[i].p0)
			assert_string_equal(req.params[0], cases[i].p0);
		if (cases[i].p1)
			assert_string_equal(req.params[1], cases[i].p1);
		if (cases[i].allow)
			assert_string_equal(buf_str(&allow), cases[i].allow);
		buf_free(&allow);
		arena_free(&req.arena);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_decode),
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_cookies),
		cmocka_unit_test(test_router),
		cmocka_unit_test(test_multipart),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
