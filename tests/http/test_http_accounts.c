/* Accounts, administration, information-sharing decisions and audit reports (issue 7), against the real server:
 * the JSON API and the pages, their refusals (precise fields, nothing written) and their audit entries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/totp.h"
#include "core/date.h"
#include "store/store.h"
#include "testsrv.h"

#define PW "a long enough password 2026"

static struct testsrv srv;
static struct store *st;

static int setup(void **state)
{
	testsrv_start(&srv, true);
	struct buf err;
	buf_init(&err, 1024);
	if (store_open(&st, srv.db, NULL, &err) != STORE_OK) {
		fprintf(stderr, "%s\n", buf_str(&err));
		return -1;
	}
	buf_free(&err);
	return 0;
}

static int teardown(void **state)
{
	store_close(st);
	assert_int_equal(testsrv_stop(&srv), 0);
	return 0;
}

static const char *path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *path(const char *fmt, ...)
{
	static char ring[8][512];
	static int next;
	char *p = ring[next++ % 8];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p, 512, fmt, ap);
	va_end(ap);
	return p;
}

/* Sends, checks the status, and returns the JSON body (a new reference, may be NULL). */
/* A form post as a browser sends it (CSRF token in the form); returns the status and keeps the body in out. */
static int form(struct client *c, const char *p, const char *fields, struct buf *out)
{
	char body[4096];
	snprintf(body, sizeof body, "csrf=%s&%s", c->csrf, fields);
	char saved[128];
	snprintf(saved, sizeof saved, "%s", c->csrf);
	c->csrf[0] = '\0'; /* only the form field, as a page would */
	struct http_resp r;
	int status = client_req(c, "POST", p, "application/x-www-form-urlencoded", body, &r);
	snprintf(c->csrf, sizeof c->csrf, "%s", saved);
	if (out) {
		buf_reset(out);
		buf_adds(out, buf_str(&r.body));
		const char *loc = resp_header(&r, "Location");
		if (loc)
			buf_addf(out, "\nLocation: %s", loc);
	}
	resp_free(&r);
	return status;
}

static int page(struct client *c, const char *p, struct buf *out)
{
	struct http_resp r;
	int status = client_req(c, "GET", p, NULL, NULL, &r);
	buf_reset(out);
	buf_adds(out, buf_str(&r.body));
	resp_free(&r);
	return status;
}

static void login(struct client *c, const char *username, const char *password)
{
	client_init(c, &srv);
	assert_int_equal(client_login(c, username, password), 201);
}

static const char *error_field(json_t *problem, size_t i)
{
	return json_string_value(json_object_get(json_array_get(json_object_get(problem, "errors"), i), "field"));
}

static bool has_error_field(json_t *problem, const char *field)
{
	for (size_t i = 0; i < json_array_size(json_object_get(problem, "errors")); i++)
		if (strcmp(error_field(problem, i), field) == 0)
			return true;
	return false;
}

static int64_t count(const char *sql, const char *arg)
{
	return store_query_int(st, sql, arg);
}

/* The signed-in user's id (a new string). */
static char *my_id(struct client *c)
{
	json_t *s = tc_call(c, "GET", "/api/v1/session", NULL, 200);
	char *id = strdup(json_string_value(json_object_get(json_object_get(s, "user"), "id")));
	json_decref(s);
	return id;
}

static char *create_user(struct client *admin, const char *username, const char *role)
{
	char body[512];
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"display_name\":\"Test User\",\"role\":\"%s\",\"password\":\"%s\"}",
	         username, role, PW);
	json_t *u = tc_call(admin, "POST", "/api/v1/users", body, 201);
	char *id = strdup(json_string_value(json_object_get(u, "id")));
	json_decref(u);
	return id;
}

/* ---- administration ---- */

static void test_admin_manages_accounts(void **state)
{
	struct client kim, asha;
	login(&kim, "kim.adeyemi", DEMO_PASSWORD);
	login(&asha, "asha.patel", DEMO_PASSWORD);
	json_decref(tc_call(&asha, "GET", "/api/v1/users", NULL, 403));
	json_t *list = tc_call(&kim, "GET", "/api/v1/users", NULL, 200);
	assert_true(json_array_size(json_object_get(list, "items")) >= 14);
	json_decref(list);

	json_t *p = tc_call(&kim, "POST", "/api/v1/users", "{}", 422);
	static const char *const fields[] = {"username", "display_name", "role", "password"};
	for (size_t i = 0; i < 4; i++)
		assert_true(has_error_field(p, fields[i]));
	json_decref(p);
	p = tc_call(&kim, "POST", "/api/v1/users",
	         "{\"username\":\"asha.patel\",\"display_name\":\"X\",\"role\":\"social_worker\",\"password\":\"" PW "\"}",
	         422);
	assert_string_equal(error_field(p, 0), "username");
	json_decref(p);
	p = tc_call(&kim, "POST", "/api/v1/users",
	         "{\"username\":\"new.one\",\"display_name\":\"X\",\"role\":\"wizard\",\"password\":\"" PW "\"}", 422);
	assert_string_equal(error_field(p, 0), "role");
	json_decref(p);
	p = tc_call(&kim, "POST", "/api/v1/users",
	         "{\"username\":\"new.one\",\"display_name\":\"X\",\"role\":\"social_worker\",\"password\":\"short\"}", 422);
	assert_string_equal(error_field(p, 0), "password");
	json_decref(p);
	assert_int_equal(count("SELECT COUNT(*) FROM users WHERE username = $1", "new.one"), 0);

	char *id = create_user(&kim, "new.one", "social_worker");
	assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'permission_change' AND object_id = $1", id),
	                 1);
	struct client one;
	login(&one, "new.one", PW);
	/* A new role ends the person's sessions, so it applies at once. */
	json_t *u = tc_call(&kim, "PATCH", path("/api/v1/users/%s", id), "{\"role\":\"team_manager\"}", 200);
	assert_string_equal(json_string_value(json_object_get(u, "role")), "team_manager");
	json_decref(u);
	json_decref(tc_call(&one, "GET", "/api/v1/session", NULL, 401));
	/* Disabled: the right password no longer signs in; enabled again, it does. */
	json_decref(tc_call(&kim, "PATCH", path("/api/v1/users/%s", id), "{\"disabled\":true}", 200));
	client_init(&one, &srv);
	assert_int_equal(client_login(&one, "new.one", PW), 401);
	json_decref(tc_call(&kim, "PATCH", path("/api/v1/users/%s", id), "{\"disabled\":false}", 200));
	login(&one, "new.one", PW);
	/* A password reset ends every session. */
	json_decref(tc_call(&kim, "POST", path("/api/v1/users/%s/password", id), "{\"password\":\"another long password 1\"}",
	                 204));
	json_decref(tc_call(&one, "GET", "/api/v1/session", NULL, 401));
	assert_int_equal(client_login(&one, "new.one", PW), 401);
	login(&one, "new.one", "another long password 1");
	/* Nobody disables or re-roles themselves. */
	char *kim_id = my_id(&kim);
	p = tc_call(&kim, "PATCH", path("/api/v1/users/%s", kim_id), "{\"disabled\":true}", 422);
	free(kim_id);
	assert_string_equal(error_field(p, 0), "disabled");
	json_decref(p);
	json_decref(tc_call(&kim, "PATCH", path("/api/v1/users/%s", "usr_0000000000000000"), "{\"disabled\":true}", 404));
	assert_true(count("SELECT COUNT(*) FROM audit_log WHERE action IN ('permission_change', 'update') "
	                  "AND object_id = $1",
	                  id) >= 5);
	free(id);
}

static void test_admin_pages(void **state)
{
	struct client kim;
	login(&kim, "kim.adeyemi", DEMO_PASSWORD);
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(page(&kim, "/admin/users", &out), 200);
	assert_non_null(strstr(buf_str(&out), "asha.patel"));
	/* A refused form comes back with the error summary and what was typed. */
	assert_int_equal(form(&kim, "/admin/users", "display_name=Pat+Page&username=pat.page&role=&password=x", &out), 422);
	assert_non_null(strstr(buf_str(&out), "govuk-error-summary"));
	assert_non_null(strstr(buf_str(&out), "href=\"#role\""));
	assert_non_null(strstr(buf_str(&out), "value=\"pat.page\""));
	assert_non_null(strstr(buf_str(&out), "value=\"Pat Page\""));
	assert_int_equal(form(&kim, "/admin/users",
	                      "display_name=Pat+Page&username=pat.page&role=health&password=a+long+enough+password+2026",
	                      &out),
	                 303);
	const char *loc = strstr(buf_str(&out), "Location: /admin/users/usr_");
	assert_non_null(loc);
	char user_path[128];
	snprintf(user_path, sizeof user_path, "%.*s", (int)strcspn(loc + 10, "?\n"), loc + 10);
	assert_int_equal(page(&kim, user_path, &out), 200);
	assert_non_null(strstr(buf_str(&out), "Pat Page"));
	char action[160];
	snprintf(action, sizeof action, "%s/disable", user_path);
	assert_int_equal(form(&kim, action, "x=1", &out), 303);
	assert_int_equal(count("SELECT disabled FROM users WHERE username = $1", "pat.page"), 1);
	snprintf(action, sizeof action, "%s/password", user_path);
	assert_int_equal(form(&kim, action, "password=short", &out), 422);
	assert_non_null(strstr(buf_str(&out), "href=\"#password\""));
	buf_free(&out);
}

/* ---- one's own account ---- */

static void test_password_change(void **state)
{
	struct client kim, a, b;
	login(&kim, "kim.adeyemi", DEMO_PASSWORD);
	char *id = create_user(&kim, "pw.change", "education");
	login(&a, "pw.change", PW);
	login(&b, "pw.change", PW);
	json_t *p = tc_call(&a, "POST", "/api/v1/me/password",
	                 "{\"current_password\":\"wrong wrong wrong\",\"new_password\":\"a brand new password 7\"}", 422);
	assert_string_equal(error_field(p, 0), "current_password");
	json_decref(p);
	p = tc_call(&a, "POST", "/api/v1/me/password", "{\"current_password\":\"" PW "\",\"new_password\":\"tiny\"}", 422);
	assert_string_equal(error_field(p, 0), "new_password");
	json_decref(p);
	json_decref(tc_call(&a, "POST", "/api/v1/me/password",
	                 "{\"current_password\":\"" PW "\",\"new_password\":\"a brand new password 7\"}", 204));
	/* This session carries on; the others end; the old password is gone. */
	json_decref(tc_call(&a, "GET", "/api/v1/session", NULL, 200));
	json_decref(tc_call(&b, "GET", "/api/v1/session", NULL, 401));
	client_init(&b, &srv);
	assert_int_equal(client_login(&b, "pw.change", PW), 401);
	login(&b, "pw.change", "a brand new password 7");
	assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'update' AND object_id = $1", id), 1);
	/* The page: mismatched confirmation, in the error summary; passwords are not written back. */
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(form(&b, "/account/password",
	                      "current_password=a+brand+new+password+7&new_password=one+more+password+8&"
	                      "confirm_password=one+more+password+9",
	                      &out),
	                 422);
	assert_non_null(strstr(buf_str(&out), "href=\"#confirm_password\""));
	assert_null(strstr(buf_str(&out), "one more password"));
	assert_int_equal(form(&b, "/account/password",
	                      "current_password=a+brand+new+password+7&new_password=one+more+password+8&"
	                      "confirm_password=one+more+password+8",
	                      &out),
	                 303);
	assert_non_null(strstr(buf_str(&out), "Location: /account?done=password"));
	buf_free(&out);
	free(id);
}

static void code_at(const char *secret, int64_t t, char code[8])
{
	uint8_t key[64];
	int n = totp_base32_decode(secret, key, sizeof key);
	assert_true(n > 0);
	totp_code(key, (size_t)n, t, 6, code);
}

static void test_totp_enrolment(void **state)
{
	struct client kim, tm, sw;
	login(&kim, "kim.adeyemi", DEMO_PASSWORD);
	char *id = create_user(&kim, "totp.manager", "team_manager");
	login(&tm, "totp.manager", PW);
	login(&sw, "asha.patel", DEMO_PASSWORD);
	json_decref(tc_call(&sw, "POST", "/api/v1/me/totp", "{}", 403)); /* social workers do not use a second factor */
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(page(&tm, "/account/two-step", &out), 200);
	assert_int_equal(form(&tm, "/account/two-step", "x=1", &out), 200);
	assert_non_null(strstr(buf_str(&out), "otpauth://totp/Safeguard:totp.manager?secret="));
	assert_int_equal(form(&tm, "/account/two-step/confirm", "code=000000", &out), 422);
	assert_non_null(strstr(buf_str(&out), "href=\"#code\""));
	assert_non_null(strstr(buf_str(&out), "value=\"000000\""));

	json_t *b = tc_call(&tm, "POST", "/api/v1/me/totp", "{}", 201);
	char secret[64];
	snprintf(secret, sizeof secret, "%s", json_string_value(json_object_get(b, "secret")));
	assert_non_null(strstr(json_string_value(json_object_get(b, "otpauth_uri")), secret));
	json_decref(b);
	json_decref(tc_call(&tm, "POST", "/api/v1/me/totp/confirm", "{\"code\":\"12\"}", 422));
	char code[8], body[64];
	code_at(secret, moment_now(), code);
	snprintf(body, sizeof body, "{\"code\":\"%s\"}", code);
	json_decref(tc_call(&tm, "POST", "/api/v1/me/totp/confirm", body, 200));
	b = tc_call(&tm, "GET", "/api/v1/me/totp", NULL, 200);
	assert_true(json_is_true(json_object_get(b, "enrolled")));
	json_decref(b);
	/* Sign-in now needs a code; a code is good once, so use the next step's (within the drift window). */
	struct client again;
	client_init(&again, &srv);
	assert_int_equal(client_login(&again, "totp.manager", PW), 401);
	code_at(secret, moment_now() + TOTP_STEP, code);
	char creds[256];
	snprintf(creds, sizeof creds, "{\"username\":\"totp.manager\",\"password\":\"%s\",\"totp_code\":\"%s\"}", PW, code);
	json_decref(tc_call(&again, "POST", "/api/v1/session", creds, 201));
	assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'permission_change' AND object_id = $1 "
	                       "AND detail = 'second factor enrolled'",
	                       id),
	                 1);
	/* A lost phone: the administrator removes it, and the password alone works again. */
	json_decref(tc_call(&kim, "DELETE", path("/api/v1/users/%s/totp", id), NULL, 200));
	login(&again, "totp.manager", PW);
	buf_free(&out);
	free(id);
}

/* ---- information sharing ---- */

static char *new_child(struct client *c, const char *surname)
{
	char body[256];
	snprintf(body, sizeof body, "{\"forenames\":\"Share\",\"surname\":\"%s\",\"dob\":\"2017-02-02\"}", surname);
	json_t *j = tc_call(c, "POST", "/api/v1/children", body, 201);
	char *id = strdup(json_string_value(json_object_get(j, "id")));
	json_decref(j);
	json_decref(tc_call(c, "POST", path("/api/v1/children/%s/cases", id), "{}", 201));
	return id;
}

static void test_sharing_decisions(void **state)
{
	struct client asha, cara, jo;
	login(&asha, "asha.patel", DEMO_PASSWORD);
	login(&cara, "cara.nolan", DEMO_PASSWORD);
	login(&jo, "jo.lindqvist", DEMO_PASSWORD);
	char *child = new_child(&asha, "Sharing");
	const char *api = path("/api/v1/children/%s/sharing-decisions", child);
	static const struct {
		const char *body, *field;
	} bad[] = {
		{"{}", "decision"},
		{"{\"decision\":\"maybe\",\"information\":\"x\",\"recipient_type\":\"agency\",\"recipient_name\":\"P\","
		 "\"reason\":\"r\",\"lawful_basis\":\"public_task\",\"consent_sought\":true,\"consent_given\":true}",
		 "decision"},
		{"{\"decision\":\"shared\",\"information\":\"x\",\"recipient_type\":\"agency\",\"recipient_name\":\"P\","
		 "\"reason\":\"r\",\"consent_sought\":true,\"consent_given\":true}",
		 "lawful_basis"},
		{"{\"decision\":\"shared\",\"information\":\"x\",\"recipient_type\":\"agency\",\"recipient_name\":\"P\","
		 "\"reason\":\"r\",\"lawful_basis\":\"because\",\"consent_sought\":true,\"consent_given\":true}",
		 "lawful_basis"},
		{"{\"decision\":\"shared\",\"information\":\"x\",\"recipient_type\":\"agency\",\"recipient_name\":\"P\","
		 "\"reason\":\"r\",\"lawful_basis\":\"consent\",\"consent_sought\":true,\"consent_given\":true}",
		 "lawful_basis"},
		{"{\"decision\":\"shared\",\"information\":\"x\",\"recipient_type\":\"agency\",\"recipient_name\":\"P\","
		 "\"reason\":\"r\",\"lawful_basis\":\"public_task\",\"special_category_condition\":"
		 "\"art9_substantial_public_interest\",\"consent_sought\":true,\"consent_given\":true}",
		 "schedule1_condition"},
		{"{\"decision\":\"shared\",\"information\":\"x\",\"recipient_type\":\"agency\",\"recipient_name\":\"P\","
		 "\"reason\":\"r\",\"lawful_basis\":\"public_task\",\"consent_sought\":false}",
		 "no_consent_reason"},
		{"{\"decision\":\"shared\",\"information\":\"x\",\"recipient_type\":\"agency\",\"recipient_name\":\"P\","
		 "\"reason\":\"r\",\"lawful_basis\":\"public_task\",\"consent_sought\":false,\"no_consent_reason\":\"OTHER\"}",
		 "no_consent_detail"},
		{"{\"decision\":\"refused\",\"information\":\"x\",\"recipient_type\":\"pigeon\",\"recipient_name\":\"P\","
		 "\"reason\":\"r\",\"consent_sought\":true,\"consent_given\":false}",
		 "recipient_type"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *p = tc_call(&asha, "POST", api, bad[i].body, 422);
		if (!has_error_field(p, bad[i].field))
			fail_msg("case %zu: no error for %s in %s", i, bad[i].field, json_dumps(p, 0));
		json_decref(p);
	}
	assert_int_equal(count("SELECT COUNT(*) FROM sharing_decisions WHERE child_id = $1", child), 0);
	json_t *d = tc_call(&asha, "POST", api,
	                 "{\"direction\":\"proactive\",\"risk_level\":\"significant_harm\",\"risk_prompt\":\"Bruising\","
	                 "\"subject_informed\":\"not_yet\",\"basis_detail\":\"Children Act 1989 s47 enquiry\",\"channel\":\"in_person\","
	                 "\"onward_sharing\":\"Not beyond the investigating officers\","
	                 "\"decision\":\"shared\",\"information\":\"Bruising seen at school on Monday\","
	                 "\"recipient_type\":\"agency\",\"recipient_name\":\"Essex Police CAIT\",\"reason\":\"Joint "
	                 "enquiry\",\"lawful_basis\":\"public_task\",\"special_category_condition\":"
	                 "\"art9_substantial_public_interest\",\"schedule1_condition\":\"dpa_s1_safeguarding\","
	                 "\"consent_sought\":false,\"no_consent_reason\":\"PREJUDICE_CRIMINAL_INVESTIGATION\"}",
	                 201);
	assert_string_equal(json_string_value(json_object_get(d, "decided_by_name")), "Asha Patel");
	json_decref(d);
	json_decref(tc_call(&asha, "POST", api,
	                 "{\"direction\":\"request_received\",\"requester_name\":\"Father\",\"purpose\":\"To visit\","
	                 "\"risk_level\":\"significant_harm\",\"decision\":\"refused\",\"information\":\"The child's new school\",\"recipient_type\":\"parent\","
	                 "\"recipient_name\":\"Father\",\"reason\":\"Court order restricts contact\",\"consent_sought\":"
	                 "false,\"no_consent_reason\":\"PREJUDICE_WELFARE\"}",
	                 201));
	json_t *l = tc_call(&asha, "GET", api, NULL, 200);
	assert_int_equal(json_array_size(json_object_get(l, "items")), 2);
	json_decref(l);
	/* In the chronology and the audit log, in the same transaction. */
	assert_int_equal(count("SELECT COUNT(*) FROM chronology WHERE child_id = $1 AND source_type = 'sharing_decision'",
	                       child),
	                 2);
	assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'share' AND child_id = $1", child), 2);
	/* Another team's worker sees nothing; the auditor reads but does not record. */
	json_decref(tc_call(&cara, "GET", api, NULL, 404));
	json_decref(tc_call(&cara, "POST", api, "{}", 404));
	json_decref(tc_call(&jo, "GET", api, NULL, 200));
	json_decref(tc_call(&jo, "POST", api, "{}", 403));
	/* The page: the decisions and, on a refusal, the form with the error summary and what was typed. */
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(page(&asha, path("/children/%s/sharing", child), &out), 200);
	assert_non_null(strstr(buf_str(&out), "Essex Police CAIT"));
	assert_non_null(strstr(buf_str(&out), "Schedule 1 paragraph 18"));
	assert_int_equal(form(&asha, path("/children/%s/sharing", child),
	                      "decision=shared&information=Typed+words&recipient_name=Health+visitor&consent_sought=yes",
	                      &out),
	                 422);
	assert_non_null(strstr(buf_str(&out), "href=\"#lawful_basis\""));
	assert_non_null(strstr(buf_str(&out), "Typed words"));
	assert_non_null(strstr(buf_str(&out), "value=\"Health visitor\""));
	assert_int_equal(form(&asha, path("/children/%s/sharing", child),
	                      "decision=shared&information=Dates+of+visits&recipient_type=agency&recipient_name=GP&"
	                      "reason=Health+check&lawful_basis=public_task&consent_sought=yes&consent_given=yes&"
	                      "direction=proactive&risk_level=child_in_need&risk_prompt=Missed+checks&basis_detail=s17+duty&"
	                      "consent_of=parents&channel=in_person&onward_sharing=No&consent_limits_explained=yes",
	                      &out),
	                 303);
	/* The lawful bases are data, with citations. */
	json_t *lb = tc_call(&asha, "GET", "/api/v1/lawful-bases", NULL, 200);
	char *text = json_dumps(lb, 0);
	assert_non_null(strstr(text, "Sch 1 Part 2 para 18"));
	free(text);
	json_decref(lb);
	buf_free(&out);
	free(child);
}

/* ---- audit reports ---- */

static void test_audit_reports(void **state)
{
	struct client asha, jo;
	login(&asha, "asha.patel", DEMO_PASSWORD);
	login(&jo, "jo.lindqvist", DEMO_PASSWORD);
	char *child = new_child(&asha, "Audited");
	json_decref(tc_call(&asha, "GET", path("/api/v1/children/%s", child), NULL, 200));
	json_decref(tc_call(&asha, "GET", path("/api/v1/audit/children/%s", child), NULL, 403));
	/* The read just made is there at once (the queue is flushed first). */
	json_t *r = tc_call(&jo, "GET", path("/api/v1/audit/children/%s", child), NULL, 200);
	json_t *items = json_object_get(r, "items");
	bool seen = false;
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *e = json_array_get(items, i);
		seen |= !strcmp(json_string_value(json_object_get(e, "action")), "read") &&
		        !strcmp(json_string_value(json_object_get(e, "actor_name")), "Asha Patel");
	}
	assert_true(seen);
	json_decref(r);
	/* Looking at the report was itself recorded, and shows in the next one. */
	assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'read' AND object_type = 'audit_report' "
	                       "AND child_id = $1",
	                       child),
	                 1);
	char *asha_id = my_id(&asha);
	r = tc_call(&jo, "GET", path("/api/v1/audit/users/%s?from=2000-01-01", asha_id), NULL, 200);
	assert_true(json_array_size(json_object_get(r, "items")) >= 2);
	json_decref(r);
	json_decref(tc_call(&jo, "GET", path("/api/v1/audit/users/%s?from=2026-02-30", asha_id), NULL, 422));
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(page(&jo, path("/audit?child=%s", child), &out), 200);
	assert_non_null(strstr(buf_str(&out), "Asha Patel"));
	assert_int_equal(page(&jo, "/audit?user=asha.patel", &out), 200);
	assert_non_null(strstr(buf_str(&out), "Share Audited"));
	free(asha_id);
	assert_int_equal(page(&jo, "/audit?user=no.such.person", &out), 400);
	assert_non_null(strstr(buf_str(&out), "href=\"#user\""));
	assert_int_equal(page(&jo, "/audit/break-glass", &out), 200);
	buf_free(&out);
	free(child);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_admin_manages_accounts),
		cmocka_unit_test(test_admin_pages),
		cmocka_unit_test(test_password_change),
		cmocka_unit_test(test_totp_enrolment),
		cmocka_unit_test(test_sharing_decisions),
		cmocka_unit_test(test_audit_reports),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
