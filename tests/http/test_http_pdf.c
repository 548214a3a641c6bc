/* PDF downloads against the real server: one child is walked through the pathway's own commands to an initial
 * conference with a decision letter, a conference record (full and parents' copy) and a plan; then each PDF (the
 * letter, both records, the plan, the chronology with and without filters) is read back with poppler's pdftotext
 * for the text it must hold, and the parents' copy for the text it must not. Every download is audited as an
 * export; anyone who may not read the record gets exactly the answer for a missing one; a document that did not
 * come from Safeguard's generator, or whose bytes no longer match their fingerprint, is not turned into a PDF. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"
#include "store/store.h"
#include "testsrv.h"

#define WITHHELD_NOTE "Operation Kestrel: officers watch the address until 30 March"

static struct testsrv srv;
static struct client sw, mgr, chair, police, health, edu, other, smgr;
static char sw_id[64], mgr_id[64], chair_id[64], police_id[64], health_id[64], edu_id[64];
static char csc_agency[64], police_agency[64], hv_agency[64], school_agency[64];
static char child[64], case_id[64], mother[64], conf_id[64], plan_id[64], letter[64], record[64], parents[64];

static int64_t sql_int(const char *sql, const char *arg)
{
	struct store *st;
	struct buf err;
	buf_init(&err, 0);
	struct store_options opt = {.read_only = true};
	if (store_open(&st, srv.db, &opt, &err) != STORE_OK)
		fail_msg("cannot open the test database: %s", buf_str(&err));
	int64_t n = store_query_int(st, sql, arg);
	store_close(st);
	buf_free(&err);
	return n;
}

/* Downloads a PDF: checks the answer is one, and returns the text of page `page` (0 = all) from pdftotext. */
static char *pdf_text(struct client *c, const char *path, int page)
{
	struct http_resp r;
	int got = client_req(c, "GET", path, NULL, NULL, &r);
	if (got != 200)
		fail_msg("GET %s: status %d: %.1000s", path, got, buf_str(&r.body));
	assert_string_equal(resp_header(&r, "Content-Type"), "application/pdf");
	assert_non_null(strstr(resp_header(&r, "Content-Disposition"), "attachment; filename="));
	assert_true(r.body.len > 5 && memcmp(r.body.data, "%PDF-", 5) == 0);
	char file[] = "/tmp/sgpdftest.XXXXXX";
	int fd = mkstemp(file);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, r.body.data, r.body.len), (ssize_t)r.body.len);
	close(fd);
	resp_free(&r);
	char cmd[256];
	if (page)
		snprintf(cmd, sizeof cmd, "pdftotext -q -f %d -l %d %s -", page, page, file);
	else
		snprintf(cmd, sizeof cmd, "pdftotext -q %s -", file);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct buf out;
	buf_init(&out, 0);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_add(&out, chunk, n);
	int rc = pclose(p);
	unlink(file);
	if (rc != 0)
		fail_msg("pdftotext could not read %s (exit %d)", path, rc);
	/* Words a table cell wrapped come out on separate lines: compare text with its white space collapsed. */
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

static void expect(const char *text, const char *want, const char *what)
{
	if (!strstr(text, want))
		fail_msg("%s lacks \"%s\"; it reads:\n%.4000s", what, want, text);
}

/* ---- the walk: contact to an initial conference with its letter, record and plan ---- */

/* A London moment "YYYY-MM-DDTHH:MM:SS": now (time NULL), or `days` from today at `time`. The walk happens as it
 * runs, because each step's clocks start from the moment the step before was recorded. */
static const char *when(int days, const char *time, char out[32])
{
	int32_t day;
	int h, m, sec;
	moment_to_local(moment_now(), &day, &h, &m, &sec);
	char d[DATE_ISO_LEN];
	date_format(day + days, d);
	if (time)
		snprintf(out, 32, "%sT%s", d, time);
	else
		snprintf(out, 32, "%sT%02d:%02d:%02d", d, h, m, sec);
	return out;
}

static int setup(void **state)
{
	testsrv_start(&srv, true);
	tc_login(&srv, &sw, "asha.patel", sw_id);
	tc_login(&srv, &mgr, "dan.hughes", mgr_id);
	tc_login(&srv, &chair, "faye.morgan", chair_id);
	tc_login(&srv, &police, "gita.rao", police_id);
	tc_login(&srv, &health, "hana.kowalski", health_id);
	tc_login(&srv, &edu, "ian.brooks", edu_id);
	tc_login(&srv, &other, "cara.nolan", NULL);
	tc_login(&srv, &smgr, "erin.walsh", NULL);
	json_t *r = tc_call(&sw, "GET", "/api/v1/agencies", NULL, 200);
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(r, "items"), i, a) {
		const char *t = tc_str(a, "agency_type");
		char *dst = strcmp(t, "CSC") == 0 ? csc_agency : strcmp(t, "POLICE") == 0 ? police_agency
		          : strcmp(t, "HEALTH_HV_0_19") == 0 ? hv_agency : strcmp(t, "EDUCATION_SCHOOL") == 0 ? school_agency
		                                                                                             : NULL;
		if (dst)
			snprintf(dst, 64, "%s", tc_str(a, "id"));
	}
	json_decref(r);
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(testsrv_stop(&srv), 0);
	return 0;
}

static void to_icpc_pending(void)
{
	char now[32];
	json_t *r = tc_callf(&sw, "POST", 201, "/api/v1/contacts",
	                 "{\"received_at\":\"%s\",\"channel\":\"PHONE\",\"contact_type\":\"CONTACT_REFERRAL\","
	                 "\"referrer_type\":\"PROFESSIONAL\",\"referrer_name\":\"Ms Teacher\",\"referrer_role\":\"Lead\","
	                 "\"referrer_agency_name\":\"Riverside Primary\",\"feedback_method\":\"EMAIL\","
	                 "\"concern_summary\":\"Hungry at school every day; says there is no food at home.\","
	                 "\"parental_agreement\":\"AGREED\",\"children\":[{\"forenames\":\"Pia\",\"surname\":\"Printwell\","
	                 "\"dob\":\"2018-04-04\",\"gender\":\"female\"}]}",
	                 when(0, NULL, now));
	json_t *k = json_array_get(json_object_get(r, "children"), 0);
	snprintf(child, sizeof child, "%s", tc_str(k, "child_id"));
	snprintf(case_id, sizeof case_id, "%s", tc_str(k, "case_id"));
	char path[160];
	snprintf(path, sizeof path, "/api/v1/contacts/%s/referrals", tc_str(r, "id"));
	json_decref(r);
	r = tc_call(&sw, "POST", path, "{\"concern_description\":\"Neglect: hunger\"}", 201);
	snprintf(path, sizeof path, "/api/v1/referrals/%s/decision",
	         tc_str(json_array_get(json_object_get(r, "children"), 0), "referral_id"));
	json_decref(r);
	json_decref(tc_call(&mgr, "POST", path,
	                 "{\"decision\":\"REF_STRATEGY\",\"decision_reasons\":\"Persistent hunger reported by school\","
	                 "\"reasonable_cause_s47\":true,\"smd_category\":\"SMD_SERIOUS_SAME_DAY\","
	                 "\"family_informed\":true}",
	                 200));
	r = tc_call(&sw, "POST", "/api/v1/persons", "{\"forenames\":\"Mona\",\"surname\":\"Printwell\"}", 201);
	snprintf(mother, sizeof mother, "%s", tc_str(r, "id"));
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/children/%s/relationships", child);
	json_decref(tc_callf(&sw, "POST", 201, path,
	                  "{\"person_id\":\"%s\",\"relationship_type\":\"mother\",\"has_parental_responsibility\":true}",
	                  mother));
	snprintf(path, sizeof path, "/api/v1/cases/%s/strategy-discussions", case_id);
	json_decref(tc_callf(&sw, "POST", 201, path,
	                  "{\"format\":\"SMD_MEETING\",\"category\":\"SMD_SERIOUS_SAME_DAY\",\"held_at\":\"%s\","
	                  "\"chair_name\":\"Dan Hughes\",\"chair_is_flm\":true,\"decision_s47\":\"S47_INITIATE\","
	                  "\"information_shared\":\"School records\",\"investigation_mode\":\"JOINT\","
	                  "\"family_sharing_decision\":\"Share the concerns now\",\"police_consulted_at\":\"%s\","
	                  "\"s47_authorised_by\":\"%s\",\"decisions\":\"Visit tomorrow\","
	                  "\"participants\":[{\"name\":\"Dan Hughes\",\"agency_type\":\"CSC\",\"attended\":true,"
	                  "\"is_chair\":true,\"seniority_confirmed\":true},{\"name\":\"DC Rao\",\"agency_type\":\"POLICE\","
	                  "\"attended\":true,\"seniority_confirmed\":true},{\"name\":\"Nurse Hana\",\"agency_type\":"
	                  "\"HEALTH_SCHOOL_NURSE\",\"attended\":true,\"seniority_confirmed\":true}]}",
	                  when(0, NULL, now), now, mgr_id));
	snprintf(path, sizeof path, "/api/v1/cases/%s/pathway", case_id);
	json_t *v = tc_call(&sw, "GET", path, NULL, 200);
	char s47[64];
	snprintf(s47, sizeof s47, "%s", tc_str(json_array_get(json_object_get(v, "s47_enquiries"), 0), "id"));
	json_decref(v);
	snprintf(path, sizeof path, "/api/v1/s47/%s/outcome", s47);
	json_decref(tc_call(&mgr, "POST", path,
	                 "{\"outcome\":\"S47_SUBSTANTIATED_ICPC\",\"icpc_decision_reasons\":\"Significant harm likely\","
	                 "\"interim_safety_arrangements\":\"Breakfast club daily\"}",
	                 200));
	snprintf(path, sizeof path, "/api/v1/cases/%s/communications", case_id);
	json_decref(tc_callf(&sw, "POST", 201, path,
	                  "{\"recipient_type\":\"AGENCY\",\"recipient_name\":\"Riverside Primary\",\"purpose\":"
	                  "\"S47_OUTCOME\",\"channel\":\"EMAIL\",\"sent_at\":\"%s\"}",
	                  when(0, NULL, now)));
	snprintf(path, sizeof path, "/api/v1/s47/%s/conclude", s47);
	json_decref(tc_call(&mgr, "POST", path, "{}", 200));
}

static void invite(const char *user, const char *role, const char *agency, bool attends)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/conferences/%s/invitations", conf_id);
	json_t *r = tc_callf(&sw, "POST", 201, path,
	                  "{\"user_id\":\"%s\",\"attendee_role\":\"%s\",\"agency_id\":\"%s\",\"direct_contact\":true}",
	                  user, role, agency);
	if (attends) {
		snprintf(path, sizeof path, "/api/v1/conference-invitations/%s", tc_str(r, "id"));
		json_decref(tc_call(&sw, "PATCH", path, "{\"attendance\":\"IN_PERSON\"}", 200));
	}
	json_decref(r);
}

static void test_walk_to_documents(void **state)
{
	to_icpc_pending();
	char at[32], first_cg[32], review[32];
	json_t *r = tc_callf(&sw, "POST", 201, "/api/v1/conferences",
	                  "{\"conf_type\":\"CONF_INITIAL\",\"child_ids\":[\"%s\"],\"scheduled_at\":\"%s\","
	                  "\"venue\":\"Civic Centre\",\"chair_user_id\":\"%s\",\"chair_independence_confirmed\":true}",
	                  child, when(0, NULL, at), chair_id);
	snprintf(conf_id, sizeof conf_id, "%s", tc_str(r, "id"));
	json_decref(r);
	char path[160];
	snprintf(path, sizeof path, "/api/v1/conferences/%s/invitations", conf_id);
	json_decref(tc_callf(&sw, "POST", 201, path,
	                  "{\"person_id\":\"%s\",\"attendee_role\":\"PARENT\",\"pre_meeting_offered\":true}", mother));
	invite(sw_id, "CSC_SW", csc_agency, true);
	invite(police_id, "POLICE", police_agency, true);
	invite(health_id, "HEALTH_HV", hv_agency, true);
	invite(edu_id, "EDUCATION", school_agency, true);
	snprintf(path, sizeof path, "/api/v1/conferences/%s/notes", conf_id);
	json_decref(tc_call(&chair, "POST", path,
	                 "{\"heading\":\"Police information\",\"body\":\"" WITHHELD_NOTE "\",\"withheld_from_parents\":true,"
	                 "\"withholding_reason\":\"Would prejudice a criminal investigation\"}",
	                 201));
	json_decref(tc_call(&chair, "POST", path,
	                 "{\"heading\":\"Discussion\",\"body\":\"Mona described the family's week of meals.\"}", 201));
	snprintf(path, sizeof path, "/api/v1/conferences/%s/decision", conf_id);
	r = tc_callf(&chair, "POST", 200, path,
	          "{\"held_at\":\"%s\",\"minute_taker\":\"Pat Minutes\",\"recommendations\":\"Referral to a "
	          "parenting programme\",\"children\":[{\"child_id\":\"%s\",\"decision\":\"ICPC_PLAN\",\"decision_reasons\":"
	          "\"Neglect is likely to continue\",\"category\":\"CP_CAT_NEGLECT\",\"likelihood_basis\":"
	          "\"LIKELIHOOD_HARM_SHOWN\",\"risks_stated\":\"Hunger\",\"what_needs_to_change\":\"Regular meals\","
	          "\"lead_sw_user_id\":\"%s\",\"first_core_group_at\":\"%s\",\"core_group_frequency_weeks\":6,"
	          "\"visit_frequency_weeks\":4,\"next_review_at\":\"%.10s\",\"contingency_plan\":\"Legal planning "
	          "meeting if no progress\",\"outline_outcomes\":\"Pia eats three meals a day\\nPia attends school every "
	          "day\",\"core_group\":[{\"user_id\":\"%s\",\"name\":\"Hana Kowalski\",\"member_role\":\"HEALTH_HV\","
	          "\"agency_id\":\"%s\"},{\"person_id\":\"%s\",\"name\":\"Mona Printwell\",\"member_role\":\"PARENT\"}]}]}",
	          when(0, NULL, at), child, sw_id, when(7, "10:00:00", first_cg), when(60, "10:00:00", review), health_id,
	          hv_agency, mother);
	snprintf(plan_id, sizeof plan_id, "%s", tc_str(json_array_get(json_object_get(r, "children"), 0), "plan_id"));
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/conferences/%s/decision-letter", conf_id);
	json_decref(tc_call(&chair, "POST", path, "{}", 201));
	snprintf(path, sizeof path, "/api/v1/conferences/%s/record", conf_id);
	r = tc_call(&chair, "POST", path, "{}", 201);
	size_t i;
	json_t *doc;
	json_array_foreach(json_object_get(r, "documents"), i, doc) {
		const char *kind = tc_str(doc, "kind");
		snprintf(strcmp(kind, "record") == 0 ? record : strcmp(kind, "parents_copy") == 0 ? parents : letter, 64, "%s",
		         tc_str(doc, "document_id"));
	}
	json_decref(r);
	assert_true(letter[0] && record[0] && parents[0] && plan_id[0]);
}

/* ---- the PDFs ---- */

static int64_t exports_of(const char *child_id)
{
	return sql_int("SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND child_id = $1", child_id);
}

static void test_document_pdfs(void **state)
{
	int64_t before = exports_of(child);
	char path[160];
	snprintf(path, sizeof path, "/api/v1/documents/%s/pdf", letter);
	char *t = pdf_text(&sw, path, 1);
	static const char *const in_letter[] = {"Child protection conference: decision letter", "Pia Printwell", child,
	                                        "Neglect", "Asha Patel", "Faye Morgan", "Page 1 of", "Made by Safeguard for "
	                                        "Asha Patel"};
	for (size_t i = 0; i < sizeof in_letter / sizeof in_letter[0]; i++)
		expect(t, in_letter[i], "the decision letter's first page");
	free(t);
	t = pdf_text(&sw, path, 0);
	expect(t, "If you disagree", "the decision letter");
	expect(t, "SHA-256", "the decision letter's provenance note");
	free(t);
	snprintf(path, sizeof path, "/api/v1/documents/%s/pdf", record);
	t = pdf_text(&sw, path, 0);
	expect(t, "Child protection conference record", "the record");
	expect(t, WITHHELD_NOTE, "the full record");
	expect(t, "Mona described the family", "the full record");
	free(t);
	snprintf(path, sizeof path, "/api/v1/documents/%s/pdf", parents);
	t = pdf_text(&sw, path, 0);
	expect(t, "parents' copy", "the parents' copy");
	expect(t, "Mona described the family", "the parents' copy");
	if (strstr(t, "Operation Kestrel") || strstr(t, "prejudice a criminal investigation"))
		fail_msg("the parents' copy PDF holds what the chair withheld");
	free(t);
	assert_int_equal(exports_of(child) - before, 4);
	assert_true(sql_int("SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND object_type = 'document' AND "
	                    "object_id = $1", letter) == 2);
}

static void test_plan_pdf(void **state)
{
	char path[160];
	snprintf(path, sizeof path, "/plans/%s/pdf", plan_id);
	char *t = pdf_text(&sw, path, 1);
	static const char *const want[] = {"Child protection plan", "Pia Printwell", child, "Neglect", "Asha Patel",
	                                   "Contingency plan", "Legal planning meeting if no progress",
	                                   "Pia eats three meals a day", "Hana Kowalski", "Page 1 of"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		expect(t, want[i], "the plan's first page");
	free(t);
	snprintf(path, sizeof path, "/api/v1/plans/%s/pdf", plan_id);
	t = pdf_text(&sw, path, 0);
	expect(t, "Mona Printwell", "the plan (API)");
	free(t);
	assert_true(sql_int("SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND object_type = 'cp_plan' AND "
	                    "object_id = $1", plan_id) == 2);
}

static void test_chronology_pdf(void **state)
{
	char path[200];
	snprintf(path, sizeof path, "/children/%s/chronology.pdf", child);
	char *t = pdf_text(&sw, path, 1);
	static const char *const want[] = {"Chronology", "Pia Printwell", child, "newest first", "Date", "Event",
	                                   "What happened", "Child protection conference", "Page 1 of"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		expect(t, want[i], "the chronology's first page");
	free(t);
	/* The page's filters apply: only the conference entries. */
	snprintf(path, sizeof path, "/children/%s/chronology.pdf?type=conference&from=2026-01-01&to=2199-12-31", child);
	t = pdf_text(&sw, path, 0);
	expect(t, "only Child protection conference", "the filtered chronology");
	expect(t, "from 1 January 2026 to 31 December 2199", "the filtered chronology");
	if (strstr(t, "Referral decision") || strstr(t, "Record created"))
		fail_msg("the filtered chronology holds entries of other types:\n%s", t);
	free(t);
	snprintf(path, sizeof path, "/api/v1/children/%s/chronology/pdf", child);
	t = pdf_text(&mgr, path, 0);
	expect(t, "Record created", "the chronology through the API");
	free(t);
	/* A date that is not one is refused, as on the page. */
	snprintf(path, sizeof path, "/children/%s/chronology.pdf?from=2026-02-30", child);
	struct http_resp r;
	assert_int_equal(client_req(&sw, "GET", path, NULL, NULL, &r), 400);
	resp_free(&r);
}

/* Anyone who may not read the record gets the answer for a missing record, and nothing is exported. */
static void test_access(void **state)
{
	int64_t before = exports_of(child);
	char paths[5][200];
	snprintf(paths[0], sizeof paths[0], "/children/%s/chronology.pdf", child);
	snprintf(paths[1], sizeof paths[1], "/api/v1/children/%s/chronology/pdf", child);
	snprintf(paths[2], sizeof paths[2], "/api/v1/documents/%s/pdf", letter);
	snprintf(paths[3], sizeof paths[3], "/plans/%s/pdf", plan_id);
	snprintf(paths[4], sizeof paths[4], "/api/v1/plans/%s/pdf", plan_id);
	for (int i = 0; i < 5; i++) {
		struct http_resp r;
		int got = client_req(&other, "GET", paths[i], NULL, NULL, &r);
		if (got != 404)
			fail_msg("%s answered %d for a worker of another team", paths[i], got);
		resp_free(&r);
	}
	struct http_resp r;
	assert_int_equal(client_req(&other, "GET", "/api/v1/documents/doc_0000000000000000/pdf", NULL, NULL, &r), 404);
	resp_free(&r);
	assert_int_equal(exports_of(child), before);
	/* The service manager may (authority-wide reads). */
	char *t = pdf_text(&smgr, paths[2], 1);
	expect(t, "Made by Safeguard for Erin Walsh", "the letter exported by the service manager");
	free(t);
}

/* Only documents Safeguard generated become PDFs, and only while their bytes match their fingerprint. */
static void test_refused_documents(void **state)
{
	char path[200], id[64];
	static const struct {
		const char *mime, *base64;
		int status;
	} cases[] = {
		{"text/plain", "aGVsbG8=", 415},                                          /* "hello" */
		{"text/html", "PHA+aGk8L3A+PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", 415},     /* <p>hi</p><script>... */
		{"text/html", "PGgxPlVwbG9hZGVkIG5vdGU8L2gxPjxwPkZpbmUgdGV4dDwvcD4=", 200}, /* <h1>Uploaded note</h1><p>Fine text</p> */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(path, sizeof path, "/api/v1/children/%s/documents", child);
		json_t *d = tc_callf(&sw, "POST", 201, path,
		                  "{\"doc_type\":\"OTHER\",\"title\":\"Upload %zu\",\"mime_type\":\"%s\",\"content_base64\":\"%s\"}",
		                  i, cases[i].mime, cases[i].base64);
		snprintf(id, sizeof id, "%s", tc_str(d, "id"));
		json_decref(d);
		snprintf(path, sizeof path, "/api/v1/documents/%s/pdf", id);
		struct http_resp r;
		int got = client_req(&sw, "GET", path, NULL, NULL, &r);
		if (got != cases[i].status)
			fail_msg("case %zu: status %d, want %d: %s", i, got, cases[i].status, buf_str(&r.body));
		resp_free(&r);
	}
	/* The last one converts; change its bytes behind the service's back and it no longer does. */
	struct store *st;
	struct buf err;
	buf_init(&err, 0);
	assert_int_equal(store_open(&st, srv.db, NULL, &err), STORE_OK);
	assert_int_equal(store_begin(st), STORE_OK);
	struct store_stmt *s = store_prepare(st, "UPDATE documents SET content = $1 WHERE id = $2");
	assert_non_null(s);
	store_bind_blob(s, 1, "<h1>Forged</h1>", 15);
	store_bind_text(s, 2, id);
	assert_int_equal(store_step(s), STORE_DONE);
	assert_int_equal(store_commit(st), STORE_OK);
	store_close(st);
	buf_free(&err);
	struct http_resp r;
	assert_int_equal(client_req(&sw, "GET", path, NULL, NULL, &r), 409);
	assert_non_null(strstr(buf_str(&r.body), "fingerprint"));
	resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_to_documents), cmocka_unit_test(test_document_pdfs),
		cmocka_unit_test(test_plan_pdf),          cmocka_unit_test(test_chronology_pdf),
		cmocka_unit_test(test_access),            cmocka_unit_test(test_refused_documents),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
