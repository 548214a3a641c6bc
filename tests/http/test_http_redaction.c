/* Redaction (issue 7, part 6) against the real server: a child with a restricted (refuge) address, a restricted
 * disclosure, third-party and withheld chronology entries and a report withheld from the family; a decision to
 * share with the police; then the information pack made through the API and through the form. Every copy that
 * leaves (the JSON answers, the HTML document, the PDF read back with pdftotext) is searched for each restricted
 * string, which must be absent, and for the shareable ones, which must be there. The file copy holds what was left
 * out and only those on the restricted list may open it. A refusal to share gives no pack; bad input gets
 * problem+json naming the field and writes nothing; anyone who may not see the child gets the answer for a missing
 * record; the audit log holds the export. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "testsrv.h"

/* What must never leave in an agency copy. */
static const char *const secrets[] = {
	"Refuge House", "Kestrel Lane", "ZZ9 4RF",           /* the restricted address and postcode */
	"SECRET-DISCLOSURE-ALPHA",                           /* a restricted chronology entry */
	"SECRET-THIRD-PARTY-BETA",                           /* about a third party */
	"SECRET-WITHHELD-GAMMA",                             /* withheld: a police operation */
	"SECRET-REPORT-EPSILON",                             /* a report withheld from the family */
};
/* What must go. */
static const char *const shareable[] = {"Nova", "Redwell", "SHAREABLE-ENTRY-ONE", "Mona", "SHAREABLE-REPORT-ZETA",
                                        "left out under 5.11"};

static struct testsrv srv;
static struct client sw, other, smgr, police, auditor;
static char child[64], share_id[64], refused_id[64], parent_id[64];

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

static void login(struct client *c, const char *name)
{
	client_init(c, &srv);
	assert_int_equal(client_login(c, name, DEMO_PASSWORD), 201);
}

static struct store *open_db(bool write)
{
	struct store *st;
	struct buf err;
	buf_init(&err, 0);
	struct store_options opt = {.read_only = !write};
	if (store_open(&st, srv.db, &opt, &err) != STORE_OK)
		fail_msg("cannot open the test database: %s", buf_str(&err));
	buf_free(&err);
	return st;
}

static int64_t sql_int(const char *sql, const char *arg)
{
	struct store *st = open_db(false);
	int64_t n = store_query_int(st, sql, arg);
	store_close(st);
	return n;
}

/* Fails naming the first secret found in what; checks every shareable string is there when want_shareable. */
static void check_redacted(const char *what, const char *text, bool want_shareable)
{
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
		if (strstr(text, secrets[i]))
			fail_msg("%s holds the restricted \"%s\":\n%.4000s", what, secrets[i], text);
	for (size_t i = 0; want_shareable && i < sizeof shareable / sizeof shareable[0]; i++)
		if (!strstr(text, shareable[i]))
			fail_msg("%s lacks \"%s\":\n%.4000s", what, shareable[i], text);
}

static char *get_body(struct client *c, const char *p, int want)
{
	struct http_resp r;
	int got = client_req(c, "GET", p, NULL, NULL, &r);
	if (got != want)
		fail_msg("GET %s: status %d, want %d: %.1000s", p, got, want, buf_str(&r.body));
	char *s = strdup(buf_str(&r.body));
	resp_free(&r);
	return s;
}

/* The PDF's text from pdftotext, white space collapsed. */
static char *pdf_text(struct client *c, const char *p)
{
	struct http_resp r;
	int got = client_req(c, "GET", p, NULL, NULL, &r);
	if (got != 200)
		fail_msg("GET %s: status %d: %.1000s", p, got, buf_str(&r.body));
	assert_string_equal(resp_header(&r, "Content-Type"), "application/pdf");
	char file[] = "/tmp/sgredact.XXXXXX";
	int fd = mkstemp(file);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, r.body.data, r.body.len), (ssize_t)r.body.len);
	close(fd);
	resp_free(&r);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "pdftotext -q %s -", file);
	FILE *pp = popen(cmd, "r");
	assert_non_null(pp);
	struct buf out;
	buf_init(&out, 0);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, pp)) > 0)
		buf_add(&out, chunk, n);
	int rc = pclose(pp);
	unlink(file);
	if (rc != 0)
		fail_msg("pdftotext could not read %s (exit %d)", p, rc);
	char *text = buf_detach(&out), *w = text;
	for (const char *s = text; s && *s; s++) {
		bool space = *s == ' ' || *s == '\n' || *s == '\t' || *s == '\f';
		if (space && (w == text || w[-1] == ' '))
			continue;
		*w++ = space ? ' ' : *s;
	}
	if (text)
		*w = '\0';
	return text;
}

static void entry(const char *date, const char *type, const char *summary, const char *restriction)
{
	char body[1024];
	snprintf(body, sizeof body, "{\"event_date\":\"%sT10:00:00\",\"event_type\":\"%s\",\"summary\":\"%s\"%s%s%s}",
	         date, type, summary, restriction ? ",\"restriction\":\"" : "", restriction ? restriction : "",
	         restriction ? "\"" : "");
	json_decref(tc_call(&sw, "POST", path("/api/v1/children/%s/chronology", child), body, 201));
}

static void decision(const char *body, char id[64])
{
	json_t *j = tc_call(&sw, "POST", path("/api/v1/children/%s/sharing-decisions", child), body, 201);
	snprintf(id, 64, "%s", tc_str(j, "id"));
	json_decref(j);
}

/* A conference with one shareable report and one withheld from the family. Conferences are walked through the
 * pathway elsewhere (test_http_pathway_back, test_http_pdf); here only its reports matter, so the rows are written
 * as those commands write them. */
static void seed_reports(void)
{
	char case_id[64];
	struct store *st = open_db(false);
	struct store_stmt *s = store_prepare(st, "SELECT id FROM cases WHERE child_id = $1");
	store_bind_text(s, 1, child);
	assert_int_equal(store_step(s), STORE_ROW);
	snprintf(case_id, sizeof case_id, "%s", store_col_text(s, 0));
	store_reset(s);
	store_close(st);
	st = open_db(true);
	char sql[2048];
	snprintf(sql, sizeof sql,
	         "INSERT INTO conferences (id, conf_type, status, scheduled_at, created_at, updated_at) VALUES "
	         "('cnf_redact', 'ICPC', 'held', '2026-02-01T10:00:00Z', '2026-01-20T10:00:00Z', '2026-02-01T10:00:00Z');"
	         "INSERT INTO conference_children (id, conference_id, child_id, case_id) VALUES "
	         "('cch_redact', 'cnf_redact', '%s', '%s');"
	         "INSERT INTO conference_reports (id, conference_id, report_type, title, content, submitted_at, "
	         "withheld_from_family, withholding_reason, created_at) VALUES "
	         "('crp_redact1', 'cnf_redact', 'REPORT_AGENCY', 'School report', 'SHAREABLE-REPORT-ZETA attends daily', "
	         "'2026-01-28T09:00:00Z', 0, NULL, '2026-01-28T09:00:00Z'),"
	         "('crp_redact2', 'cnf_redact', 'REPORT_AGENCY', 'Police report', 'SECRET-REPORT-EPSILON suspect interviewed', "
	         "'2026-01-29T09:00:00Z', 1, 'Live investigation', '2026-01-29T09:00:00Z');",
	         child, case_id);
	assert_int_equal(store_exec(st, sql), STORE_OK);
	store_close(st);
}

static int setup(void **state)
{
	testsrv_start(&srv, true);
	login(&sw, "asha.patel");
	login(&other, "cara.nolan");
	login(&smgr, "erin.walsh");
	login(&police, "gita.rao");
	login(&auditor, "jo.lindqvist");
	json_t *j = tc_call(&sw, "POST", "/api/v1/children",
	                 "{\"forenames\":\"Nova\",\"surname\":\"Redwell\",\"dob\":\"2016-06-06\",\"nhs_number\":\"9434765919\","
	                 "\"address\":\"Refuge House, 3 Kestrel Lane\",\"postcode\":\"ZZ9 4RF\",\"address_restricted\":true}",
	                 201);
	snprintf(child, sizeof child, "%s", tc_str(j, "id"));
	json_decref(j);
	json_decref(tc_call(&sw, "POST", path("/api/v1/children/%s/cases", child), "{}", 201));
	j = tc_call(&sw, "POST", "/api/v1/persons", "{\"forenames\":\"Mona\",\"surname\":\"Redwell\"}", 201);
	char body[256];
	snprintf(body, sizeof body, "{\"person_id\":\"%s\",\"relationship_type\":\"mother\"}", tc_str(j, "id"));
	json_decref(j);
	json_decref(tc_call(&sw, "POST", path("/api/v1/children/%s/relationships", child), body, 201));
	entry("2026-01-10", "significant_incident", "SHAREABLE-ENTRY-ONE: bruise explained by a fall at school", NULL);
	entry("2026-01-12", "significant_incident", "SECRET-DISCLOSURE-ALPHA told the nurse where they now live",
	      "restricted");
	entry("2026-01-14", "partner_contribution", "SECRET-THIRD-PARTY-BETA, a neighbour, heard shouting", "third_party");
	entry("2026-01-16", "police_notification", "SECRET-WITHHELD-GAMMA: Operation Nightjar surveillance", "withheld");
	entry("2025-03-01", "visit", "OUT-OF-SCOPE-DELTA home visit", "none");
	seed_reports();
	decision("{\"direction\":\"proactive\",\"risk_level\":\"significant_harm\",\"risk_prompt\":\"Disclosure\","
	         "\"basis_detail\":\"Children Act 1989 s47\",\"channel\":\"in_person\",\"onward_sharing\":\"No\","
	         "\"subject_informed\":\"not_yet\","
	         "\"decision\":\"shared\",\"information\":\"Chronology since January for the joint investigation\","
	         "\"recipient_type\":\"agency\",\"recipient_name\":\"Essex Police CAIT\",\"reason\":\"Joint s47 enquiry\","
	         "\"lawful_basis\":\"public_task\",\"consent_sought\":false,\"no_consent_reason\":\"PREJUDICE_CRIMINAL_INVESTIGATION\"}",
	         share_id);
	decision("{\"direction\":\"request_received\",\"requester_name\":\"A solicitor\",\"purpose\":\"Unstated\","
	         "\"risk_level\":\"significant_harm\",\"decision\":\"refused\",\"information\":\"The whole file\",\"recipient_type\":\"agency\","
	         "\"recipient_name\":\"A solicitor\",\"reason\":\"No lawful purpose\",\"consent_sought\":false,"
	         "\"no_consent_reason\":\"PREJUDICE_CRIMINAL_INVESTIGATION\"}",
	         refused_id);
	decision("{\"direction\":\"proactive\",\"risk_level\":\"significant_harm\",\"risk_prompt\":\"The plan\","
	         "\"basis_detail\":\"Children Act 1989 s47\",\"channel\":\"in_person\",\"onward_sharing\":\"No\","
	         "\"consent_of\":\"parents\",\"consent_limits_explained\":true,"
	         "\"decision\":\"shared\",\"information\":\"Plan summary\",\"recipient_type\":\"parent\","
	         "\"recipient_name\":\"Mona Redwell\",\"reason\":\"Keep her informed\",\"lawful_basis\":\"public_task\","
	         "\"consent_sought\":true,\"consent_given\":true}",
	         parent_id);
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(testsrv_stop(&srv), 0);
	return 0;
}

static int64_t packs(void)
{
	return sql_int("SELECT COUNT(*) FROM sharing_packs WHERE child_id = $1", child);
}

/* The restricted entry is hidden in the record itself from those not on the restricted list, and shown to those
 * on it: the pack's rule is not the only guard. */
static void test_restricted_entry_hidden_on_screen(void **state)
{
	char *mine = get_body(&smgr, path("/api/v1/children/%s/chronology", child), 200);
	assert_non_null(strstr(mine, "SECRET-DISCLOSURE-ALPHA"));
	free(mine);
	char *theirs = get_body(&auditor, path("/api/v1/children/%s/chronology", child), 200);
	assert_null(strstr(theirs, "SECRET-DISCLOSURE-ALPHA"));
	assert_non_null(strstr(theirs, "SECRET-THIRD-PARTY-BETA")); /* seen inside; never sent */
	free(theirs);
}

static void test_api_pack_leaves_out_what_is_restricted(void **state)
{
	char body[256];
	snprintf(body, sizeof body, "{\"sharing_decision_id\":\"%s\",\"from\":\"2026-01-01\",\"to\":\"2026-06-30\"}", share_id);
	json_t *k = tc_call(&sw, "POST", path("/api/v1/children/%s/sharing-packs", child), body, 201);
	char *dump = json_dumps(k, 0);
	check_redacted("the pack's JSON", dump, false);
	free(dump);
	/* Three fields? No: the address and postcode (2), three entries, one report. */
	assert_int_equal(json_integer_value(json_object_get(k, "items_left_out")), 6);
	assert_int_equal(json_integer_value(json_object_get(k, "entries_included")), 1);
	const char *doc = tc_str(k, "document_id"), *full = tc_str(k, "full_document_id");
	char *html = get_body(&sw, path("/api/v1/documents/%s/content", doc), 200);
	check_redacted("the pack's HTML", html, true);
	assert_null(strstr(html, "OUT-OF-SCOPE-DELTA")); /* before the pack's period */
	assert_non_null(strstr(html, "3 items left out under 5.11"));
	free(html);
	char *pdf = pdf_text(&sw, tc_str(json_object_get(k, "links"), "pdf"));
	check_redacted("the pack's PDF", pdf, true);
	free(pdf);
	/* The agency copy is a redacted version of the file copy, which holds what was left out and is confidential. */
	json_t *d = tc_call(&sw, "GET", path("/api/v1/documents/%s", doc), NULL, 200);
	assert_string_equal(tc_str(d, "redacted_version_of"), full);
	assert_string_equal(tc_str(d, "sha256"), tc_str(k, "sha256"));
	json_decref(d);
	char *filed = get_body(&smgr, path("/api/v1/documents/%s/content", full), 200);
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
		if (!strstr(filed, secrets[i]))
			fail_msg("the file copy lacks \"%s\"", secrets[i]);
	free(filed);
	free(get_body(&auditor, path("/api/v1/documents/%s/content", full), 404));
	/* The decision lists its pack; nothing restricted comes with it. */
	char *list = get_body(&sw, path("/api/v1/children/%s/sharing-decisions", child), 200);
	assert_non_null(strstr(list, doc));
	check_redacted("the decisions' JSON", list, false);
	free(list);
	/* Made and audited as an export, with a chronology entry of its own. */
	assert_int_equal(sql_int("SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND object_type = "
	                         "'sharing_pack' AND object_id = $1",
	                         tc_str(k, "id")),
	                 1);
	assert_int_equal(sql_int("SELECT COUNT(*) FROM chronology WHERE source_type = 'sharing_pack' AND source_id = $1",
	                         tc_str(k, "id")),
	                 1);
	json_decref(k);
}

/* Limited to the kinds of entry the decision covers. */
static void test_pack_scope_by_kind(void **state)
{
	char body[256];
	snprintf(body, sizeof body,
	         "{\"sharing_decision_id\":\"%s\",\"event_types\":[\"visit\"],\"include_reports\":false}", share_id);
	json_t *k = tc_call(&sw, "POST", path("/api/v1/children/%s/sharing-packs", child), body, 201);
	char *html = get_body(&sw, path("/api/v1/documents/%s/content", tc_str(k, "document_id")), 200);
	assert_non_null(strstr(html, "OUT-OF-SCOPE-DELTA"));
	assert_null(strstr(html, "SHAREABLE-ENTRY-ONE"));
	assert_null(strstr(html, "SHAREABLE-REPORT-ZETA"));
	check_redacted("a pack of visits", html, false);
	free(html);
	assert_int_equal(json_integer_value(json_object_get(k, "entries_included")), 1);
	json_decref(k);
}

static void test_form_pack(void **state)
{
	char *page = get_body(&sw, path("/children/%s/sharing-pack", child), 200);
	assert_non_null(strstr(page, "Essex Police CAIT"));
	assert_null(strstr(page, "A solicitor")); /* a refusal has no pack */
	assert_null(strstr(page, "Mona Redwell (")); /* nor a share with a parent */
	free(page);
	char body[512];
	snprintf(body, sizeof body,
	         "csrf=%s&sharing_decision_id=%s&from=2026-01-01&to=&event_types=significant_incident&event_types="
	         "partner_contribution&event_types=police_notification&include_reports=yes",
	         sw.csrf, share_id);
	struct http_resp r;
	assert_int_equal(client_req(&sw, "POST", path("/children/%s/sharing-pack", child),
	                            "application/x-www-form-urlencoded", body, &r),
	                 303);
	char *where = strdup(resp_header(&r, "Location"));
	resp_free(&r);
	page = get_body(&sw, where, 200);
	free(where);
	assert_non_null(strstr(page, "Information pack made"));
	char *pdf_at = strstr(page, "/api/v1/documents/");
	assert_non_null(pdf_at);
	char doc[128];
	assert_int_equal(sscanf(pdf_at, "/api/v1/documents/%127[^/]", doc), 1);
	free(page);
	char *html = get_body(&sw, path("/api/v1/documents/%s/content", doc), 200);
	check_redacted("the form's pack", html, true);
	free(html);
	char *pdf = pdf_text(&sw, path("/api/v1/documents/%s/pdf", doc));
	check_redacted("the form's PDF", pdf, true);
	free(pdf);
	/* The sharing page links the pack. */
	page = get_body(&sw, path("/children/%s/sharing", child), 200);
	assert_non_null(strstr(page, doc));
	free(page);
}

/* Bad input: problem+json naming the field, nothing written. */
static void test_refusals(void **state)
{
	static const struct {
		const char *fmt, *field;
	} bad[] = {
		{"{}", "sharing_decision_id"},
		{"{\"sharing_decision_id\":\"shd_nosuchdecision\"}", "sharing_decision_id"},
		{"{\"sharing_decision_id\":\"%s\"}", "sharing_decision_id"}, /* refused */
		{"{\"sharing_decision_id\":\"%P\"}", "sharing_decision_id"}, /* to a parent */
		{"{\"sharing_decision_id\":\"%S\",\"from\":\"2026-02-30\"}", "from"},
		{"{\"sharing_decision_id\":\"%S\",\"from\":\"2026-03-01\",\"to\":\"2026-02-01\"}", "to"},
		{"{\"sharing_decision_id\":\"%S\",\"event_types\":[\"gossip\"]}", "event_types"},
		{"{\"sharing_decision_id\":\"%S\",\"event_types\":\"visit\"}", "event_types"},
		{"{\"sharing_decision_id\":\"%S\",\"include_reports\":\"perhaps\"}", "include_reports"},
		{"{\"sharing_decision_id\":\"%S\",\"whole_file\":true}", "whole_file"},
	};
	int64_t before = packs();
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char body[512];
		const char *f = bad[i].fmt, *at = strchr(f, '%');
		if (at) {
			const char *id = at[1] == 's' ? refused_id : at[1] == 'P' ? parent_id : share_id;
			snprintf(body, sizeof body, "%.*s%s%s", (int)(at - f), f, id, at + 2);
		} else {
			snprintf(body, sizeof body, "%s", f);
		}
		struct http_resp r;
		int got = client_req(&sw, "POST", path("/api/v1/children/%s/sharing-packs", child), NULL, body, &r);
		if (got != 422)
			fail_msg("%s: status %d, want 422", body, got);
		assert_string_equal(resp_header(&r, "Content-Type"), "application/problem+json");
		char *dump = json_dumps(r.json, 0);
		if (!strstr(dump, bad[i].field))
			fail_msg("%s: the problem does not name %s: %s", body, bad[i].field, dump);
		free(dump);
		resp_free(&r);
	}
	assert_int_equal(packs(), before);
	/* The form: the error summary, the typed date kept, nothing written. */
	char body[256];
	snprintf(body, sizeof body, "csrf=%s&sharing_decision_id=%s&from=31/01/2026&include_reports=yes", sw.csrf,
	         share_id);
	struct http_resp r;
	assert_int_equal(client_req(&sw, "POST", path("/children/%s/sharing-pack", child),
	                            "application/x-www-form-urlencoded", body, &r),
	                 422);
	assert_non_null(strstr(buf_str(&r.body), "govuk-error-summary"));
	assert_non_null(strstr(buf_str(&r.body), "href=\"#from\""));
	assert_non_null(strstr(buf_str(&r.body), "31/01/2026"));
	resp_free(&r);
	assert_int_equal(packs(), before);
}

/* A worker of another team gets the answer for a missing record; a role that never makes packs (the police, the
 * auditor) is refused at the route, before any child is looked at. */
static void test_access(void **state)
{
	char body[256];
	snprintf(body, sizeof body, "{\"sharing_decision_id\":\"%s\"}", share_id);
	static const struct {
		struct client *c;
		int status;
	} who[] = {{&other, 404}, {&police, 403}, {&auditor, 403}};
	int64_t before = packs();
	for (size_t i = 0; i < sizeof who / sizeof who[0]; i++) {
		json_decref(tc_call(who[i].c, "POST", path("/api/v1/children/%s/sharing-packs", child), body, who[i].status));
		free(get_body(who[i].c, path("/children/%s/sharing-pack", child), who[i].status));
	}
	json_decref(tc_call(&other, "GET", path("/api/v1/children/%s/sharing-packs", child), NULL, 404));
	json_decref(tc_call(&police, "GET", path("/api/v1/children/%s/sharing-packs", child), NULL, 404));
	/* The auditor may read the record, so sees the packs listed, but makes none. */
	json_t *l = tc_call(&auditor, "GET", path("/api/v1/children/%s/sharing-packs", child), NULL, 200);
	assert_true(json_array_size(json_object_get(l, "items")) >= 1);
	json_decref(l);
	assert_int_equal(packs(), before);
	assert_true(sql_int("SELECT COUNT(*) FROM audit_log WHERE action = 'access_denied' AND child_id = $1", child) >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_restricted_entry_hidden_on_screen),
		cmocka_unit_test(test_api_pack_leaves_out_what_is_restricted),
		cmocka_unit_test(test_pack_scope_by_kind),
		cmocka_unit_test(test_form_pack),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_access),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
