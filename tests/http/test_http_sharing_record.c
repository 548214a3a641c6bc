/* The complete information-sharing record (issue 7, part 4; spec B-ch01-07 digest 3d, guards 3f) against the real
 * server: every guard refuses with problem+json naming the field and writes nothing (no decision, chronology entry
 * or audit entry); a complete record through the API and through the form; the four-eyes address check, refused to
 * the person who recorded the decision and done by a colleague, with no information pack until then; a "not yet"
 * told decision shown as a follow-up and settled; a refusal to share recorded the same way; and a decision recorded
 * before migration 0016 still listed and shown. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "testsrv.h"

static struct testsrv srv;
static struct client asha, ben;
static char child[64];

/* A complete share: a police request by secure email, without consent, the family not told yet. */
#define COMPLETE                                                                                                     \
	"{\"direction\":\"request_received\",\"requester_name\":\"DC Hale\",\"requester_agency\":\"Essex Police\","     \
	"\"purpose\":\"Joint s47 enquiry\",\"risk_level\":\"significant_harm\",\"decision\":\"shared\","                \
	"\"information\":\"Dates of the last three visits\",\"recipient_type\":\"agency\",\"recipient_name\":\"Essex "  \
	"Police CAIT\",\"reason\":\"The police need the visit history\",\"lawful_basis\":\"public_task\","              \
	"\"basis_detail\":\"Children Act 1989 s47\",\"consent_sought\":false,\"no_consent_reason\":"                     \
	"\"PREJUDICE_CRIMINAL_INVESTIGATION\",\"subject_informed\":\"not_yet\",\"source_informed\":\"not_applicable\"," \
	"\"channel\":\"secure_email\",\"recipient_address\":\"cait@police.example\",\"security_assurance\":\"A "        \
	"restricted secure mailbox\",\"onward_sharing\":\"Only to the CPS if someone is charged\"}"

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	if (!s)
		fail_msg("no string %s in %s", key, json_dumps(o, 0));
	return s;
}

static json_t *call(struct client *c, const char *method, const char *path, const char *body, int want)
{
	struct http_resp r;
	int got = client_req(c, method, path, NULL, body, &r);
	if (got != want)
		fail_msg("%s %s: status %d, want %d: %.2000s", method, path, got, want, buf_str(&r.body));
	json_t *j = json_incref(r.json);
	resp_free(&r);
	return j;
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

static int64_t sql_int(const char *sql, const char *arg)
{
	struct store *st;
	struct buf err;
	buf_init(&err, 0);
	struct store_options opt = {.read_only = true};
	if (store_open(&st, srv.db, &opt, &err) != STORE_OK)
		fail_msg("cannot open the test database: %s", buf_str(&err));
	buf_free(&err);
	int64_t n = store_query_int(st, sql, arg);
	store_close(st);
	return n;
}

static void sql_exec(const char *sql)
{
	struct store *st;
	struct buf err;
	buf_init(&err, 0);
	struct store_options opt = {0};
	if (store_open(&st, srv.db, &opt, &err) != STORE_OK)
		fail_msg("cannot open the test database: %s", buf_str(&err));
	buf_free(&err);
	assert_int_equal(store_exec(st, sql), STORE_OK);
	store_close(st);
}

static bool has_error_field(json_t *problem, const char *field)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(problem, "errors"), i, e) {
		if (strcmp(str(e, "field"), field) == 0)
			return true;
	}
	return false;
}

/* The complete body with patch merged in and the keys in drop (space separated) removed, as text. */
static char *body_with(const char *patch, const char *drop)
{
	json_t *b = json_loads(COMPLETE, 0, NULL);
	assert_non_null(b);
	if (patch) {
		json_t *p = json_loads(patch, 0, NULL);
		if (!p)
			fail_msg("bad patch %s", patch);
		json_object_update(b, p);
		json_decref(p);
	}
	char keys[256];
	snprintf(keys, sizeof keys, "%s", drop ? drop : "");
	for (char *save, *k = strtok_r(keys, " ", &save); k; k = strtok_r(NULL, " ", &save))
		json_object_del(b, k);
	char *s = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	return s;
}

static json_t *record(const char *patch, const char *drop, int want)
{
	char *body = body_with(patch, drop);
	json_t *j = call(&asha, "POST", path("/api/v1/children/%s/sharing-decisions", child), body, want);
	free(body);
	return j;
}

static int64_t written(void)
{
	return sql_int("SELECT COUNT(*) FROM sharing_decisions WHERE child_id = $1", child) +
	       sql_int("SELECT COUNT(*) FROM chronology WHERE child_id = $1 AND source_type = 'sharing_decision'", child) +
	       sql_int("SELECT COUNT(*) FROM audit_log WHERE object_type = 'sharing_decision' AND action IN ('share', "
	               "'update') AND child_id = $1",
	               child);
}

static void test_every_guard_names_its_field(void **state)
{
	static const struct {
		const char *patch, *drop, *field, *why;
	} bad[] = {
		{NULL, "reason", "reason", "G3.1: no reason"},
		{NULL, "direction", "direction", "3d: how it started"},
		{"{\"direction\":\"sideways\"}", NULL, "direction", "not a direction"},
		{NULL, "requester_name", "requester_name", "3.5.8: who asked"},
		{NULL, "purpose", "purpose", "3.5.8: the purpose of a request"},
		{NULL, "risk_level", "risk_level", "3.5.1: risk at the time"},
		{"{\"risk_level\":\"dire\"}", NULL, "risk_level", "not a risk level"},
		{"{\"direction\":\"proactive\"}", NULL, "risk_prompt", "3.5.8: what prompted a disclosure"},
		{NULL, "subject_informed", "subject_informed", "G3.2: shared without consent"},
		{"{\"subject_informed\":\"yes\"}", NULL, "subject_informed_on", "told: when"},
		{"{\"subject_informed\":\"yes\",\"subject_informed_on\":\"2999-01-01\"}", NULL, "subject_informed_on",
		 "told in the future"},
		{"{\"subject_informed\":\"yes\",\"subject_informed_on\":\"2026-02-30\"}", NULL, "subject_informed_on",
		 "not a date"},
		{"{\"subject_informed\":\"no\"}", NULL, "subject_not_informed_reason", "3.5.5: why not told"},
		{"{\"source_informed\":\"perhaps\"}", NULL, "source_informed", "not an answer"},
		{NULL, "channel", "channel", "3d: how it went"},
		{"{\"channel\":\"open_email\"}", NULL, "channel", "only secure channels (G3.7)"},
		{NULL, "recipient_address", "recipient_address", "3.5.6: the address to check"},
		{NULL, "security_assurance", "security_assurance", "3.5.6: the recipient's assurance"},
		{"{\"channel\":\"phone\"}", NULL, "caller_known", "G3.6: is the caller known"},
		{"{\"channel\":\"phone\",\"caller_known\":false}", NULL, "callback_verified", "G3.6: no call-back"},
		{"{\"channel\":\"phone\",\"caller_known\":false,\"callback_verified\":false}", NULL, "callback_verified",
		 "G3.6: call-back not done"},
		{NULL, "onward_sharing", "onward_sharing", "3.4.4: onward sharing"},
		{NULL, "basis_detail", "basis_detail", "3c: what public task"},
		{"{\"lawful_basis\":\"consent\"}", NULL, "lawful_basis", "G3.3: a statutory agency"},
		{"{\"lawful_basis\":\"vital_interests\",\"special_category_condition\":\"art9_vital_interests\"}", NULL,
		 "subject_can_consent", "G3.4: capacity not said"},
		{"{\"lawful_basis\":\"vital_interests\",\"special_category_condition\":\"art9_vital_interests\","
		 "\"subject_can_consent\":true}",
		 NULL, "subject_can_consent", "G3.4: able to consent"},
		{"{\"lawful_basis\":\"legitimate_interests\"}", NULL, "outside_public_task", "G3.5: a public authority"},
		{"{\"consent_sought\":true,\"consent_given\":true}", NULL, "consent_of", "3.5.2: whose consent"},
		{"{\"consent_sought\":true,\"consent_given\":true,\"consent_of\":\"parents\"}", NULL,
		 "consent_limits_explained", "3.4.4: limits of the consent"},
		{"{\"whole_file\":true}", NULL, "whole_file", "not a field"},
	};
	int64_t before = written();
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *p = record(bad[i].patch, bad[i].drop, 422);
		if (!has_error_field(p, bad[i].field))
			fail_msg("case %zu (%s): no error for %s in %s", i, bad[i].why, bad[i].field, json_dumps(p, 0));
		json_decref(p);
	}
	assert_int_equal(written(), before);
	/* The same answers with the guard met are accepted: the table above is not refusing everything. */
	json_decref(record("{\"channel\":\"phone\",\"caller_known\":false,\"callback_verified\":true}",
	                   "recipient_address security_assurance", 201));
	json_decref(record("{\"lawful_basis\":\"vital_interests\",\"special_category_condition\":\"art9_vital_interests\","
	                   "\"subject_can_consent\":false,\"basis_detail\":\"Overdose: the ambulance crew need it\"}",
	                   NULL, 201));
	json_decref(record("{\"lawful_basis\":\"legitimate_interests\",\"outside_public_task\":true}", NULL, 201));
	assert_int_equal(written(), before + 9);
}

/* How often My work (the home page) says needle to the client: its sharing follow-ups. */
static int home_mentions(struct client *c, const char *needle)
{
	struct http_resp r;
	assert_int_equal(client_req(c, "GET", "/", NULL, NULL, &r), 200);
	int n = 0;
	for (const char *p = buf_str(&r.body); (p = strstr(p, needle)); p += strlen(needle))
		n++;
	resp_free(&r);
	return n;
}

static void test_complete_record_and_the_four_eyes_check(void **state)
{
	int pending_before = home_mentions(&asha, "still has to check the recipient"),
	    untold_before = home_mentions(&asha, "have not yet been told");
	int64_t before = written();
	json_t *d = record(NULL, NULL, 201);
	const char *id = str(d, "id");
	char did[64];
	snprintf(did, sizeof did, "%s", id);
	assert_string_equal(str(d, "direction"), "request_received");
	assert_string_equal(str(d, "requester_agency"), "Essex Police");
	assert_string_equal(str(d, "risk_level"), "significant_harm");
	assert_string_equal(str(d, "subject_informed"), "not_yet");
	assert_string_equal(str(d, "channel"), "secure_email");
	assert_string_equal(str(d, "onward_sharing"), "Only to the CPS if someone is charged");
	assert_string_equal(str(json_object_get(d, "labels"), "channel"), "Secure email");
	assert_true(json_is_true(json_object_get(d, "address_check_required")));
	assert_true(json_is_true(json_object_get(d, "address_check_pending")));
	assert_true(json_is_true(json_object_get(d, "informed_follow_up")));
	assert_false(json_is_true(json_object_get(d, "pack_possible")));
	json_decref(d);
	/* One transaction: the decision, its chronology entry, its audit entry. */
	assert_int_equal(written(), before + 3);
	/* Both follow-ups wait on the recorder's My work. */
	assert_int_equal(home_mentions(&asha, "still has to check the recipient"), pending_before + 1);
	assert_int_equal(home_mentions(&asha, "have not yet been told"), untold_before + 1);
	/* No information pack until the address is checked. */
	char body[512];
	snprintf(body, sizeof body, "{\"sharing_decision_id\":\"%s\"}", did);
	json_t *p = call(&asha, "POST", path("/api/v1/children/%s/sharing-packs", child), body, 422);
	assert_true(has_error_field(p, "sharing_decision_id"));
	json_decref(p);
	/* The four-eyes check: not by the person who recorded it, and only when confirmed. */
	const char *checks = path("/api/v1/children/%s/sharing-address-checks", child);
	snprintf(body, sizeof body, "{\"sharing_decision_id\":\"%s\",\"address_confirmed\":true}", did);
	p = call(&asha, "POST", checks, body, 422);
	assert_true(has_error_field(p, "address_confirmed"));
	json_decref(p);
	snprintf(body, sizeof body, "{\"sharing_decision_id\":\"%s\",\"address_confirmed\":false}", did);
	p = call(&ben, "POST", checks, body, 422);
	assert_true(has_error_field(p, "address_confirmed"));
	json_decref(p);
	p = call(&ben, "POST", checks, "{\"sharing_decision_id\":\"shd_nosuchone\",\"address_confirmed\":true}", 422);
	assert_true(has_error_field(p, "sharing_decision_id"));
	json_decref(p);
	assert_int_equal(sql_int("SELECT COUNT(*) FROM sharing_decisions WHERE id = $1 AND address_checked_by IS NULL", did),
	                 1);
	assert_int_equal(written(), before + 3);
	snprintf(body, sizeof body, "{\"sharing_decision_id\":\"%s\",\"address_confirmed\":true}", did);
	d = call(&ben, "POST", checks, body, 200);
	assert_string_equal(str(d, "address_checked_by_name"), "Ben Okafor");
	assert_false(json_is_true(json_object_get(d, "address_check_pending")));
	assert_true(json_is_true(json_object_get(d, "pack_possible")));
	json_decref(d);
	assert_int_equal(written(), before + 5);
	assert_int_equal(home_mentions(&asha, "still has to check the recipient"), pending_before);
	p = call(&ben, "POST", checks, body, 422); /* once only */
	assert_true(has_error_field(p, "sharing_decision_id"));
	json_decref(p);
	/* Settling "not yet": yes or no, each with what it needs. */
	const char *informed = path("/api/v1/children/%s/sharing-informed", child);
	static const struct {
		const char *extra, *field;
	} bad[] = {
		{"", "subject_informed"},
		{",\"subject_informed\":\"not_yet\"", "subject_informed"},
		{",\"subject_informed\":\"yes\"", "subject_informed_on"},
		{",\"subject_informed\":\"yes\",\"subject_informed_on\":\"2999-12-31\"", "subject_informed_on"},
		{",\"subject_informed\":\"no\"", "subject_not_informed_reason"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(body, sizeof body, "{\"sharing_decision_id\":\"%s\"%s}", did, bad[i].extra);
		p = call(&asha, "POST", informed, body, 422);
		if (!has_error_field(p, bad[i].field))
			fail_msg("informed case %zu: no error for %s in %s", i, bad[i].field, json_dumps(p, 0));
		json_decref(p);
	}
	assert_int_equal(written(), before + 5);
	snprintf(body, sizeof body,
	         "{\"sharing_decision_id\":\"%s\",\"subject_informed\":\"no\",\"subject_not_informed_reason\":\"The "
	         "police ask that the family is not told while they investigate\"}",
	         did);
	d = call(&asha, "POST", informed, body, 200);
	assert_string_equal(str(d, "subject_informed"), "no");
	assert_string_equal(str(d, "subject_informed_by_name"), "Asha Patel");
	assert_false(json_is_true(json_object_get(d, "informed_follow_up")));
	json_decref(d);
	assert_int_equal(written(), before + 7);
	assert_int_equal(home_mentions(&asha, "have not yet been told"), untold_before);
	p = call(&asha, "POST", informed, body, 422); /* no longer waiting */
	assert_true(has_error_field(p, "sharing_decision_id"));
	json_decref(p);
}

static void test_refusal_recorded_the_same_way(void **state)
{
	json_t *d = record("{\"decision\":\"refused\",\"direction\":\"request_received\",\"requester_name\":\"A caller\","
	                   "\"requester_agency\":\"Unknown\",\"purpose\":\"Said they were a relative\","
	                   "\"reason\":\"Could not verify who was calling\",\"consent_sought\":false,"
	                   "\"no_consent_reason\":\"PREJUDICE_WELFARE\",\"channel\":\"phone\"}",
	                   "lawful_basis basis_detail subject_informed recipient_address security_assurance onward_sharing",
	                   201);
	assert_string_equal(str(d, "decision"), "refused");
	assert_string_equal(str(d, "requester_name"), "A caller");
	assert_false(json_is_true(json_object_get(d, "address_check_required")));
	assert_false(json_is_true(json_object_get(d, "informed_follow_up")));
	assert_true(json_is_null(json_object_get(d, "lawful_basis")));
	json_decref(d);
	/* A refusal still says how it started and the risk. */
	json_t *p = record("{\"decision\":\"refused\"}", "direction risk_level", 422);
	assert_true(has_error_field(p, "direction"));
	assert_true(has_error_field(p, "risk_level"));
	json_decref(p);
}

static int post_form(struct client *c, const char *p, const char *fields, struct buf *out)
{
	char body[4096];
	snprintf(body, sizeof body, "csrf=%s&%s", c->csrf, fields);
	char saved[128];
	snprintf(saved, sizeof saved, "%s", c->csrf);
	c->csrf[0] = '\0'; /* only the form field, as a page would */
	struct http_resp r;
	int status = client_req(c, "POST", p, "application/x-www-form-urlencoded", body, &r);
	snprintf(c->csrf, sizeof c->csrf, "%s", saved);
	buf_reset(out);
	buf_adds(out, buf_str(&r.body));
	resp_free(&r);
	return status;
}

static int get_page(struct client *c, const char *p, struct buf *out)
{
	struct http_resp r;
	int status = client_req(c, "GET", p, NULL, NULL, &r);
	buf_reset(out);
	buf_adds(out, buf_str(&r.body));
	resp_free(&r);
	return status;
}

static void test_form_follow_ups_and_old_rows(void **state)
{
	struct buf out;
	buf_init(&out, 0);
	char pg[128]; /* path()'s ring is reused below */
	snprintf(pg, sizeof pg, "/children/%s/sharing", child);
	int64_t before = written();
	/* A refused form: the error summary links each field, what was typed stays, nothing is written. */
	assert_int_equal(post_form(&asha, pg,
	                           "decision=shared&information=Typed+words&recipient_type=agency&recipient_name=School&"
	                           "reason=Attendance&lawful_basis=public_task&consent_sought=no&no_consent_reason="
	                           "PREJUDICE_WELFARE&channel=secure_portal&requester_name=Head+teacher",
	                           &out),
	                 422);
	static const char *const wanted[] = {"href=\"#direction\"", "href=\"#risk_level\"", "href=\"#subject_informed\"",
	                                     "href=\"#recipient_address\"", "href=\"#security_assurance\"",
	                                     "href=\"#onward_sharing\"", "href=\"#basis_detail\"", "Typed words",
	                                     "value=\"Head teacher\""};
	for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++)
		if (!strstr(buf_str(&out), wanted[i]))
			fail_msg("the refused form lacks %s", wanted[i]);
	assert_int_equal(written(), before);
	/* The complete form. */
	assert_int_equal(post_form(&asha, pg,
	                           "direction=request_received&requester_name=Head+teacher&requester_agency=Redwell+Primary&"
	                           "purpose=Attendance+plan&risk_level=child_in_need&decision=partly_shared&information="
	                           "Dates+of+the+plan+review&recipient_type=agency&recipient_name=Redwell+Primary&reason="
	                           "Attendance&lawful_basis=public_task&basis_detail=Children+Act+1989+s17&consent_sought=no&"
	                           "no_consent_reason=PREJUDICE_WELFARE&subject_informed=not_yet&source_informed=yes&"
	                           "channel=secure_portal&recipient_address=head%40school.example&security_assurance=Portal+"
	                           "account+of+the+designated+safeguarding+lead&onward_sharing=No",
	                           &out),
	                 303);
	assert_int_equal(written(), before + 3);
	char did[64];
	{
		struct store *st;
		struct buf err;
		buf_init(&err, 0);
		struct store_options opt = {.read_only = true};
		assert_int_equal(store_open(&st, srv.db, &opt, &err), STORE_OK);
		buf_free(&err);
		struct store_stmt *s = store_prepare(st, "SELECT id FROM sharing_decisions WHERE recipient_name = "
		                                         "'Redwell Primary' AND child_id = $1");
		store_bind_text(s, 1, child);
		assert_int_equal(store_step(s), STORE_ROW);
		snprintf(did, sizeof did, "%s", store_col_text(s, 0));
		store_reset(s);
		store_close(st);
	}
	/* It waits as a follow-up: the address check (not offered to its recorder) and "not yet" told. */
	assert_int_equal(get_page(&asha, pg, &out), 200);
	assert_non_null(strstr(buf_str(&out), "Follow-ups"));
	assert_non_null(strstr(buf_str(&out), "head@school.example"));
	assert_non_null(strstr(buf_str(&out), "Not yet told that it was shared"));
	assert_null(strstr(buf_str(&out), path("id=\"address_check-%s\"", did)));
	char fields[512];
	snprintf(fields, sizeof fields, "sharing_decision_id=%s&address_confirmed=yes", did);
	assert_int_equal(post_form(&asha, path("/children/%s/sharing/address-check", child), fields, &out), 422);
	assert_non_null(strstr(buf_str(&out), path("href=\"#address_check-%s\"", did)));
	assert_int_equal(get_page(&ben, pg, &out), 200);
	assert_non_null(strstr(buf_str(&out), path("id=\"address_check-%s\"", did)));
	snprintf(fields, sizeof fields, "sharing_decision_id=%s", did);
	assert_int_equal(post_form(&ben, path("/children/%s/sharing/address-check", child), fields, &out), 422);
	assert_non_null(strstr(buf_str(&out), "Confirm that you have checked the address"));
	assert_int_equal(written(), before + 3);
	snprintf(fields, sizeof fields, "sharing_decision_id=%s&address_confirmed=yes", did);
	assert_int_equal(post_form(&ben, path("/children/%s/sharing/address-check", child), fields, &out), 303);
	snprintf(fields, sizeof fields, "sharing_decision_id=%s&subject_informed=yes&subject_informed_on=2026-01-05", did);
	assert_int_equal(post_form(&asha, path("/children/%s/sharing/informed", child), fields, &out), 303);
	assert_int_equal(written(), before + 7);
	assert_int_equal(get_page(&asha, pg, &out), 200);
	assert_non_null(strstr(buf_str(&out), "Checked by Ben Okafor"));
	assert_non_null(strstr(buf_str(&out), "on 5 January 2026"));
	/* A decision recorded before the complete record: still listed, and the page says what it lacks. */
	sql_exec(path("INSERT INTO sharing_decisions (id, child_id, decision, information, recipient_type, "
	              "recipient_name, reason, lawful_basis, consent_sought, consent_given, decided_by, decided_at) "
	              "SELECT 'shd_oldrow', '%s', 'shared', 'Old summary', 'agency', 'Old GP', 'Old reason', "
	              "'public_task', 1, 1, id, '2026-01-01T09:00:00Z' FROM users WHERE username = 'asha.patel'",
	              child));
	json_t *l = call(&asha, "GET", path("/api/v1/children/%s/sharing-decisions", child), NULL, 200);
	size_t i;
	json_t *row;
	bool found = false;
	json_array_foreach(json_object_get(l, "items"), i, row) {
		if (strcmp(str(row, "id"), "shd_oldrow") == 0) {
			found = true;
			assert_true(json_is_true(json_object_get(row, "partial_record")));
			assert_true(json_is_null(json_object_get(row, "direction")));
			assert_true(json_is_true(json_object_get(row, "pack_possible")));
		}
	}
	assert_true(found);
	json_decref(l);
	assert_int_equal(get_page(&asha, pg, &out), 200);
	assert_non_null(strstr(buf_str(&out), "Old GP"));
	assert_non_null(strstr(buf_str(&out), "Recorded before the full record was kept"));
	/* The channels are data, with citations. */
	json_t *ch = call(&asha, "GET", "/api/v1/sharing-channels", NULL, 200);
	char *text = json_dumps(ch, 0);
	assert_non_null(strstr(text, "\"four_eyes\": true"));
	assert_non_null(strstr(text, "3.5.4"));
	free(text);
	json_decref(ch);
	buf_free(&out);
}

static int setup(void **state)
{
	testsrv_start(&srv, true);
	client_init(&asha, &srv);
	assert_int_equal(client_login(&asha, "asha.patel", DEMO_PASSWORD), 201);
	client_init(&ben, &srv);
	assert_int_equal(client_login(&ben, "ben.okafor", DEMO_PASSWORD), 201);
	json_t *j = call(&asha, "POST", "/api/v1/children",
	                 "{\"forenames\":\"Ivy\",\"surname\":\"Sharington\",\"dob\":\"2015-05-05\"}", 201);
	snprintf(child, sizeof child, "%s", str(j, "id"));
	json_decref(j);
	json_decref(call(&asha, "POST", path("/api/v1/children/%s/cases", child), "{}", 201));
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(testsrv_stop(&srv), 0);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_guard_names_its_field),
		cmocka_unit_test(test_complete_record_and_the_four_eyes_check),
		cmocka_unit_test(test_refusal_recorded_the_same_way),
		cmocka_unit_test(test_form_follow_ups_and_old_rows),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
