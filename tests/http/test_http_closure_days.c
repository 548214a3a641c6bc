/* The authority's closure days page and API against the real server, run from a scratch copy of SAFEGUARD_HOME
 * whose rules/calendar/local/ is a real directory (everything else links to the repository), so the test writes
 * only its own copy of essex.json. Checks who may use it, every refusal (with the loader's own reasons), that a
 * day added is written atomically as a file start-up accepts, audited, listed as waiting for a restart, and
 * counted by a server started afterwards. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"
#include "testsrv.h"

static struct testsrv srv;
static struct client admin, sw, mgr;
static char home[PATH_MAX], repo[PATH_MAX];

static void must(int ok, const char *what)
{
	if (!ok) {
		perror(what);
		exit(1);
	}
}

static void link_into(const char *from_dir, const char *to_dir, const char *name)
{
	char src[PATH_MAX * 2], dst[PATH_MAX * 2];
	snprintf(src, sizeof src, "%s/%s", from_dir, name);
	snprintf(dst, sizeof dst, "%s/%s", to_dir, name);
	must(symlink(src, dst) == 0, dst);
}

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	must(in && out, from);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
		must(fwrite(chunk, 1, n, out) == n, to);
	fclose(in);
	fclose(out);
}

/* The scratch home: migrations, web and build link to the repository, and so does every entry of rules except
 * calendar, whose national file is linked and whose local directory holds a copy of essex.json. */
static void make_home(void)
{
	const char *h = getenv("SAFEGUARD_HOME");
	must(realpath(h ? h : ".", repo) != NULL, "SAFEGUARD_HOME");
	snprintf(home, sizeof home, "/tmp/sghome.XXXXXX");
	must(mkdtemp(home) != NULL, "mkdtemp");
	static const char *const top[] = {"migrations", "web", "build"};
	for (size_t i = 0; i < sizeof top / sizeof top[0]; i++)
		link_into(repo, home, top[i]);
	char rules[PATH_MAX + 16], repo_rules[PATH_MAX + 16], cal[PATH_MAX + 32], repo_cal[PATH_MAX + 32];
	snprintf(rules, sizeof rules, "%s/rules", home);
	snprintf(repo_rules, sizeof repo_rules, "%s/rules", repo);
	must(mkdir(rules, 0755) == 0, rules);
	DIR *d = opendir(repo_rules);
	must(d != NULL, repo_rules);
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && strcmp(e->d_name, "calendar") != 0)
			link_into(repo_rules, rules, e->d_name);
	closedir(d);
	snprintf(cal, sizeof cal, "%s/calendar", rules);
	snprintf(repo_cal, sizeof repo_cal, "%s/calendar", repo_rules);
	must(mkdir(cal, 0755) == 0, cal);
	link_into(repo_cal, cal, "england-and-wales.json");
	char local[PATH_MAX + 48], from[PATH_MAX + 64], to[PATH_MAX + 64];
	snprintf(local, sizeof local, "%s/local", cal);
	must(mkdir(local, 0755) == 0, local);
	snprintf(from, sizeof from, "%s/local/essex.json", repo_cal);
	snprintf(to, sizeof to, "%s/essex.json", local);
	copy_file(from, to);
}

static char *essex_file(void)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof path, "%s/rules/calendar/local/essex.json", home);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct buf b;
	buf_init(&b, 0);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b);
}

static void start(void)
{
	setenv("SAFEGUARD_HOME", home, 1);
	testsrv_start(&srv, true);
	client_init(&admin, &srv);
	client_init(&sw, &srv);
	client_init(&mgr, &srv);
	assert_int_equal(client_login(&admin, "kim.adeyemi", DEMO_PASSWORD), 201);
	assert_int_equal(client_login(&sw, "asha.patel", DEMO_PASSWORD), 201);
	assert_int_equal(client_login(&mgr, "dan.hughes", DEMO_PASSWORD), 201);
}

static int setup(void **state)
{
	make_home();
	start();
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(testsrv_stop(&srv), 0);
	char cmd[PATH_MAX * 2];
	/* Only our scratch home: links, the copied file and the directories (no recursive removal of anything else). */
	static const char *const parts[] = {"rules/calendar/local/essex.json", "rules/calendar/england-and-wales.json"};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		snprintf(cmd, sizeof cmd, "%s/%s", home, parts[i]);
		unlink(cmd);
	}
	static const char *const dirs[] = {"rules/calendar/local", "rules/calendar"};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		snprintf(cmd, sizeof cmd, "%s/%s", home, dirs[i]);
		rmdir(cmd);
	}
	char rules[PATH_MAX + 16];
	snprintf(rules, sizeof rules, "%s/rules", home);
	DIR *d = opendir(rules);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(cmd, sizeof cmd, "%s/%s", rules, e->d_name);
		unlink(cmd);
	}
	if (d)
		closedir(d);
	rmdir(rules);
	static const char *const top[] = {"migrations", "web", "build"};
	for (size_t i = 0; i < sizeof top / sizeof top[0]; i++) {
		snprintf(cmd, sizeof cmd, "%s/%s", home, top[i]);
		unlink(cmd);
	}
	rmdir(home);
	return 0;
}

static void form(struct client *c, const char *body, int want, struct buf *out)
{
	struct http_resp r;
	char full[4096];
	snprintf(full, sizeof full, "csrf=%s&%s", c->csrf, body);
	int got = client_req(c, "POST", "/admin/closure-days", "application/x-www-form-urlencoded", full, &r);
	if (got != want)
		fail_msg("POST /admin/closure-days (%s): status %d, want %d: %.3000s", body, got, want, buf_str(&r.body));
	if (out) {
		buf_reset(out);
		buf_add(out, r.body.data ? r.body.data : "", r.body.len);
	}
	resp_free(&r);
}

static void test_who_may(void **state)
{
	static const struct {
		struct client *c;
		int status;
	} cases[] = {{&admin, 200}, {&sw, 403}, {&mgr, 403}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct http_resp r;
		int got = client_req(cases[i].c, "GET", "/admin/closure-days", NULL, NULL, &r);
		if (got != cases[i].status)
			fail_msg("case %zu: %d, want %d", i, got, cases[i].status);
		if (got == 200) {
			assert_non_null(strstr(buf_str(&r.body), "Council closure between Christmas and New Year"));
			assert_non_null(strstr(buf_str(&r.body), "Counted"));
			assert_non_null(strstr(buf_str(&r.body), "deadlines count it only after Safeguard has been restarted"));
			assert_non_null(strstr(buf_str(&r.body), "href=\"/admin/closure-days\"")); /* in the navigation */
		}
		resp_free(&r);
	}
}

/* Each refusal names the field, keeps what was typed, and leaves the file as it was. */
static void test_refusals(void **state)
{
	char *before = essex_file();
	static const struct {
		const char *body, *message;
	} cases[] = {
		{"from-day=&from-month=&from-year=&name=&reason=&approved_by=", "Enter the first day of the closure"},
		{"from-day=30&from-month=2&from-year=2027&name=Typed+name&reason=r&approved_by=a",
		 "The first day must be a real date"},
		{"from-day=24&from-month=12&from-year=2027&to-day=20&to-month=12&to-year=2027&name=n&reason=r&approved_by=a",
		 "The last day must be the same as or after the first day"},
		{"from-day=24&from-month=12&from-year=2027&name=Typed+name&reason=&approved_by=a",
		 "Enter the reason the offices are closed"},
		/* What only the calendar's own loader knows: a weekend, a day already closed, a run over 31 days. */
		{"from-day=26&from-month=12&from-year=2027&name=Typed+name&reason=r&approved_by=a", "falls at a weekend"},
		{"from-day=29&from-month=12&from-year=2026&name=Typed+name&reason=r&approved_by=a",
		 "is already a closure day under entry"},
		{"from-day=1&from-month=7&from-year=2027&to-day=10&to-month=8&to-year=2027&name=Typed+name&reason=r&"
		 "approved_by=a",
		 "span at most 31 days"},
	};
	struct buf b;
	buf_init(&b, 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		form(&admin, cases[i].body, 422, &b);
		if (!strstr(buf_str(&b), cases[i].message))
			fail_msg("case %zu: the page does not say \"%s\"", i, cases[i].message);
		assert_non_null(strstr(buf_str(&b), "govuk-error-summary"));
		if (strstr(cases[i].body, "Typed+name"))
			assert_non_null(strstr(buf_str(&b), "value=\"Typed name\""));
	}
	/* The loader's message names the real file, not the scratch copy it checked. */
	form(&admin, cases[4].body, 422, &b);
	assert_non_null(strstr(buf_str(&b), "rules/calendar/local/essex.json"));
	assert_null(strstr(buf_str(&b), "/tmp/sgcalendar"));
	buf_free(&b);
	char *after = essex_file();
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void test_add(void **state)
{
	int64_t audits = 0;
	struct store *st;
	struct buf err;
	buf_init(&err, 0);
	struct store_options ro = {.read_only = true};
	assert_int_equal(store_open(&st, srv.db, &ro, &err), STORE_OK);
	audits = store_query_int(st, "SELECT COUNT(*) FROM audit_log WHERE action = 'create' AND object_type = "
	                             "'closure_day'", NULL);
	store_close(st);
	struct buf b;
	buf_init(&b, 0);
	form(&admin, "from-day=24&from-month=12&from-year=2027&name=Christmas+Eve+closure&reason=Offices+shut%3B+the+"
	             "emergency+duty+team+covers&approved_by=Chief+Executive%2C+CE%2F2027%2F040",
	     303, NULL);
	struct http_resp r;
	assert_int_equal(client_req(&admin, "GET", "/admin/closure-days?added=1", NULL, NULL, &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "24 December 2027"));
	assert_non_null(strstr(buf_str(&r.body), "After a restart"));
	assert_non_null(strstr(buf_str(&r.body), "Closure day saved"));
	resp_free(&r);
	/* The file: valid JSON, the entry as typed, nothing else changed, no temporary file left behind. */
	char *text = essex_file();
	json_error_t je;
	json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	assert_non_null(root);
	json_t *list = json_object_get(root, "closures");
	json_t *last = json_array_get(list, json_array_size(list) - 1);
	assert_string_equal(json_string_value(json_object_get(last, "id")), "closure-2027-12-24");
	assert_string_equal(json_string_value(json_object_get(last, "date")), "2027-12-24");
	assert_string_equal(json_string_value(json_object_get(last, "approved_by")), "Chief Executive, CE/2027/040");
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "id")), "winter-closure-2025");
	json_decref(root);
	free(text);
	char local[PATH_MAX + 32];
	snprintf(local, sizeof local, "%s/rules/calendar/local", home);
	DIR *d = opendir(local);
	struct dirent *e;
	int files = 0;
	while ((e = readdir(d)))
		files += e->d_name[0] != '.';
	closedir(d);
	assert_int_equal(files, 1);
	/* The API: a run of days; the list says which wait for a restart. */
	json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s}", "from", "2027-08-02", "to", "2027-08-04", "name",
	                       "Office move", "reason", "The offices move; duty cover from the other hub", "approved_by",
	                       "Director, D/2027/11");
	char *body = json_dumps(in, 0);
	json_decref(in);
	assert_int_equal(client_req(&admin, "POST", "/api/v1/calendar/closure-days", NULL, body, &r), 201);
	assert_string_equal(json_string_value(json_object_get(r.json, "id")), "closure-2027-08-02");
	resp_free(&r);
	free(body);
	assert_int_equal(client_req(&admin, "GET", "/api/v1/calendar/closure-days", NULL, NULL, &r), 200);
	size_t i;
	json_t *c;
	int waiting = 0;
	json_array_foreach(json_object_get(r.json, "closures"), i, c) waiting += !json_is_true(json_object_get(c, "in_force"));
	assert_int_equal(waiting, 2);
	resp_free(&r);
	/* Both additions were audited. */
	assert_int_equal(store_open(&st, srv.db, &ro, &err), STORE_OK);
	assert_int_equal(store_query_int(st, "SELECT COUNT(*) FROM audit_log WHERE action = 'create' AND object_type = "
	                                     "'closure_day'", NULL) - audits, 2);
	store_close(st);
	buf_free(&err);
	buf_free(&b);
	/* The command-line calendar reads the new file as start-up will. */
	char rules[PATH_MAX + 16];
	snprintf(rules, sizeof rules, "%s/rules", home);
	struct buf out;
	buf_init(&out, 0);
	const char *args[] = {"calendar", "is-working-day", "2027-12-24", "--rules", rules, "--authority", "essex", NULL};
	assert_int_equal(testsrv_run(&srv, &out, args), 0);
	assert_non_null(strstr(buf_str(&out), "Christmas Eve closure"));
	buf_free(&out);
}

/* After a restart, the running service counts the new days. */
static void test_counted_after_restart(void **state)
{
	assert_int_equal(testsrv_stop(&srv), 0);
	start();
	struct http_resp r;
	assert_int_equal(client_req(&admin, "GET", "/api/v1/calendar/closure-days", NULL, NULL, &r), 200);
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(r.json, "closures"), i, c) {
		if (!json_is_true(json_object_get(c, "in_force")))
			fail_msg("closure %s is still not counted after a restart",
			         json_string_value(json_object_get(c, "id")));
	}
	assert_true(json_array_size(json_object_get(r.json, "closures")) >= 5);
	resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_who_may),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_counted_after_restart),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
