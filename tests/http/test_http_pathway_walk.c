/* Issue 5's end-to-end walks over HTTP against the real server.
 *
 * 1. Through /api/v1: two siblings from a professional's contact through the referral decision, a strategy
 *    discussion, section 47 enquiries and their outcome, an initial conference that decides a plan for one and no
 *    plan for the other, the plan put into force, the first core group, visits, a review conference that ends the
 *    plan with step-down to child in need support, and the meeting after it. Every step checks the case's stage, the
 *    clocks it started and stopped, the chronology, and the documents the conferences generated (the decision
 *    letter, the record, and the parents' copy without what the chair withheld).
 * 2. The same walk for one child through the HTML forms only, as a browser without JavaScript: sign-in form,
 *    form-urlencoded posts carrying the csrf field and no X-CSRF-Token header, 303 redirects followed, every id read
 *    from the pages; the pages show the stage and the clocks at each step.
 * 3. Refusal tests for the rules of spec sections 5.1-5.9 the system enforces that the front and back half tests do
 *    not already refuse.
 *
 * Dates are relative to today, so the walk never ages out: the API walk starts 60 days ago; the forms walk happens
 * now, since the contact page converts a referral at the moment it is pressed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "testsrv.h"

#define WITHHELD_NOTE "Operation Kestrel: officers are watching the address until the interview"
#define WITHHELD_REPORT "Intelligence item 5120 from a confidential source"

static struct testsrv srv;
static struct client sw, mgr, smgr, chair, police, health, edu, other;
static char sw_id[64], mgr_id[64], chair_id[64], police_id[64], health_id[64], edu_id[64];
static char csc_agency[64], police_agency[64], hv_agency[64], school_agency[64];

/* ---- helpers ---- */

/* A refusal names what was wrong: some error's field, message or rule contains `want`. */
/* Sends the request, checks the refusal's status and that it names `want`. */
static void refused(struct client *c, const char *method, const char *path, int status, const char *want,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void refused(struct client *c, const char *method, const char *path, int status, const char *want,
                    const char *fmt, ...)
{
	char body[16384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(body, sizeof body, fmt, ap);
	va_end(ap);
	json_t *r = tc_call(c, method, path, body, status);
	if (want)
		tc_expect_reason(r, want);
	json_decref(r);
}

/* "YYYY-MM-DD" for today + days, and "YYYY-MM-DDTHH:MM" at that time of day. */
static void expect_stage(const char *case_id, const char *want)
{
	json_t *v = tc_call(&sw, "GET", tc_pathf("/api/v1/cases/%s/pathway", case_id), NULL, 200);
	if (strcmp(tc_str(v, "stage"), want) != 0)
		fail_msg("case %s at %s, want %s", case_id, tc_str(v, "stage"), want);
	json_decref(v);
}

/* Checks a child's clocks (GET /api/v1/children/:id/clocks) against "RULE:state" items, where state is running,
 * met (met or met late), stopped, or none (no clock of that rule at all). */
static void expect_clocks(struct client *c, const char *child, const char *const *want)
{
	json_t *r = tc_call(c, "GET", tc_pathf("/api/v1/children/%s/clocks", child), NULL, 200);
	for (; *want; want++) {
		char rule[16], state[16];
		if (sscanf(*want, "%15[^:]:%15s", rule, state) != 2)
			fail_msg("bad expectation %s", *want);
		bool found = false;
		size_t i;
		json_t *k;
		json_array_foreach(json_object_get(r, "items"), i, k) {
			if (strcmp(tc_str(k, "rule_id"), rule) != 0)
				continue;
			const char *s = tc_str(k, "state");
			if (strcmp(state, "none") == 0 || strcmp(s, state) == 0 ||
			    (strcmp(state, "met") == 0 && strcmp(s, "met_late") == 0))
				found = true;
			if (strcmp(state, "none") == 0)
				fail_msg("child %s has a %s clock (%s), want none", child, rule, s);
		}
		if (!found && strcmp(state, "none") != 0) {
			json_array_foreach(json_object_get(r, "items"), i, k)
				fprintf(stderr, "  %s %s started %s met %s\n", tc_str(k, "rule_id"), tc_str(k, "state"),
				        tc_str(k, "started_at"), json_string_value(json_object_get(k, "met_at")));
			fail_msg("child %s has no %s clock %s (its clocks are listed above)", child, rule, state);
		}
	}
	json_decref(r);
}

/* Checks that the child's chronology holds an entry of each type. */
static void expect_chronology(const char *child, const char *const *types)
{
	json_t *v = tc_call(&sw, "GET", tc_pathf("/api/v1/children/%s/chronology", child), NULL, 200);
	for (; *types; types++) {
		bool found = false;
		size_t i;
		json_t *e;
		json_array_foreach(json_object_get(v, "items"), i, e) found =
			found || strcmp(json_string_value(json_object_get(e, "event_type")), *types) == 0;
		if (!found)
			fail_msg("no %s entry in child %s's chronology", *types, child);
	}
	json_decref(v);
}

#define LIST(...) ((const char *const[]){__VA_ARGS__, NULL})

static void fetch_document(const char *doc, struct buf *out)
{
	struct http_resp r;
	assert_int_equal(client_req(&sw, "GET", tc_pathf("/api/v1/documents/%s/content", doc), NULL, NULL, &r), 200);
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[65];
	crypto_hash_sha256(h, (const unsigned char *)r.body.data, r.body.len);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	assert_string_equal(resp_header(&r, "X-Document-SHA256"), hex);
	buf_add(out, r.body.data, r.body.len);
	resp_free(&r);
}

static bool contains(const struct buf *b, const char *needle)
{
	return memmem(b->data, b->len, needle, strlen(needle)) != NULL;
}

static int setup(void **state)
{
	testsrv_start(&srv, true);
	tc_login(&srv, &sw, "asha.patel", sw_id);
	tc_login(&srv, &mgr, "dan.hughes", mgr_id);
	tc_login(&srv, &smgr, "erin.walsh", NULL);
	tc_login(&srv, &chair, "faye.morgan", chair_id);
	tc_login(&srv, &police, "gita.rao", police_id);
	tc_login(&srv, &health, "hana.kowalski", health_id);
	tc_login(&srv, &edu, "ian.brooks", edu_id);
	tc_login(&srv, &other, "cara.nolan", NULL);
	json_t *r = tc_call(&sw, "GET", "/api/v1/agencies", NULL, 200);
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(r, "items"), i, a) {
		const char *t = tc_str(a, "agency_type");
		char *dst = strcmp(t, "CSC") == 0                ? csc_agency
		          : strcmp(t, "POLICE") == 0             ? police_agency
		          : strcmp(t, "HEALTH_HV_0_19") == 0     ? hv_agency
		          : strcmp(t, "EDUCATION_SCHOOL") == 0   ? school_agency
		                                                 : NULL;
		if (dst)
			snprintf(dst, 64, "%s", tc_str(a, "id"));
	}
	json_decref(r);
	assert_true(csc_agency[0] && police_agency[0] && hv_agency[0] && school_agency[0]);
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(testsrv_stop(&srv), 0);
	return 0;
}

/* ==== 1. the walk through the API ==== */

struct family {
	char contact[64], child[2][64], case_[2][64], referral[2][64], s47[2][64], mother[64], father[64];
	char icpc[64], plan[64], review[64];
};
static struct family fam; /* child[0] is Ada, the elder: conferences list children oldest first (c0) */

#define SMD_BODY \
	"{\"format\":\"SMD_MEETING\",\"category\":\"SMD_SERIOUS_SAME_DAY\",\"held_at\":\"%s\"," \
	"\"chair_name\":\"Dan Hughes\",\"chair_is_flm\":true,\"decision_s47\":\"S47_INITIATE\"," \
	"\"information_shared\":\"School saw bruising twice this term\",\"investigation_mode\":\"JOINT\"," \
	"\"family_sharing_decision\":\"Nothing until the police have spoken to the parents\"," \
	"\"police_consulted_at\":\"%s\",\"s47_authorised_by\":\"%s\",\"decisions\":\"Joint visit tomorrow\"," \
	"\"participants\":[{\"name\":\"Dan Hughes\",\"agency_type\":\"CSC\",\"attended\":true,\"is_chair\":true," \
	"\"seniority_confirmed\":true},{\"name\":\"DC Gita Rao\",\"agency_type\":\"POLICE\",\"attended\":true," \
	"\"seniority_confirmed\":true},{\"name\":\"Hana Kowalski\",\"agency_type\":\"HEALTH_HV_0_19\"," \
	"\"attended\":true,\"seniority_confirmed\":true},{\"name\":\"Ms Reed\",\"agency_type\":\"EDUCATION_SCHOOL\"," \
	"\"is_referrer\":true,\"attended\":true,\"seniority_confirmed\":true}]}"

/* ST-01 to ST-14: contact, referral and its decision, strategy discussion, section 47 and its outcome. */
static void test_api_front(void **state)
{
	json_t *r = tc_callf(&sw, "POST", 201, "/api/v1/contacts",
	                  "{\"received_at\":\"%s\",\"channel\":\"PHONE\",\"contact_type\":\"CONTACT_REFERRAL\","
	                  "\"referrer_type\":\"PROFESSIONAL\",\"referrer_name\":\"Ms Reed\",\"referrer_role\":\"Designated "
	                  "safeguarding lead\",\"referrer_agency_name\":\"Riverside Primary\",\"feedback_method\":\"EMAIL\","
	                  "\"concern_summary\":\"Ada has bruises on both arms and says her father grabbed her.\","
	                  "\"parental_agreement\":\"AGREED\",\"children\":[{\"forenames\":\"Ada\",\"surname\":\"Stepwise\","
	                  "\"dob\":\"2017-05-05\",\"gender\":\"female\"},{\"forenames\":\"Ben\",\"surname\":\"Stepwise\","
	                  "\"dob\":\"2020-02-02\",\"gender\":\"male\"}]}",
	                  tc_at(-60, "09:15"));
	snprintf(fam.contact, sizeof fam.contact, "%s", tc_str(r, "id"));
	json_t *kids = json_object_get(r, "children");
	assert_int_equal(json_array_size(kids), 2);
	for (int i = 0; i < 2; i++) {
		json_t *k = json_array_get(kids, (size_t)i);
		json_t *c = tc_call(&sw, "GET", tc_pathf("/api/v1/children/%s", tc_str(k, "child_id")), NULL, 200);
		int slot = strcmp(tc_str(c, "forenames"), "Ada") == 0 ? 0 : 1;
		json_decref(c);
		snprintf(fam.child[slot], 64, "%s", tc_str(k, "child_id"));
		snprintf(fam.case_[slot], 64, "%s", tc_str(k, "case_id"));
		assert_string_equal(tc_str(k, "stage"), "contact");
	}
	json_decref(r);
	for (int i = 0; i < 2; i++) {
		expect_stage(fam.case_[i], "contact");
		expect_chronology(fam.child[i], LIST("contact", "case_opened"));
	}

	/* ST-04: one referral per child; the receipt starts the decision, acknowledgement and assessment clocks. */
	r = tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/contacts/%s/referrals", fam.contact),
	          "{\"received_at\":\"%s\",\"concern_description\":\"Bruising; disclosure about the father\"}",
	          tc_at(-60, "10:00"));
	kids = json_object_get(r, "children");
	for (size_t i = 0; i < 2; i++) {
		int slot = strcmp(tc_str(json_array_get(kids, i), "child_id"), fam.child[0]) == 0 ? 0 : 1;
		snprintf(fam.referral[slot], 64, "%s", tc_str(json_array_get(kids, i), "referral_id"));
	}
	json_decref(r);
	for (int i = 0; i < 2; i++) {
		expect_stage(fam.case_[i], "referral");
		expect_clocks(&sw, fam.child[i], LIST("T-06:running", "T-08:running", "T-16:running", "T-39:none"));
		expect_chronology(fam.child[i], LIST("referral"));
		/* The referrer is told it arrived: the acknowledgement clock stops. */
		json_decref(tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/cases/%s/communications", fam.case_[i]),
		                  "{\"recipient_type\":\"REFERRER\",\"purpose\":\"ACKNOWLEDGEMENT\",\"channel\":\"EMAIL\","
		                  "\"sent_at\":\"%s\",\"summary\":\"Received; decision today\"}",
		                  tc_at(-60, "11:00")));
		expect_clocks(&sw, fam.child[i], LIST("T-08:met", "T-06:running"));
	}

	/* ST-05: the manager's decision for each child: a strategy discussion. */
	for (int i = 0; i < 2; i++) {
		r = tc_call(&mgr, "POST", tc_pathf("/api/v1/referrals/%s/decision", fam.referral[i]),
		         "{\"decision\":\"REF_STRATEGY\",\"decision_reasons\":\"Disclosure of assault by a parent\","
		         "\"reasonable_cause_s47\":true,\"smd_category\":\"SMD_SERIOUS_SAME_DAY\",\"family_informed\":true}",
		         200);
		json_decref(r);
		expect_stage(fam.case_[i], "strategy");
		expect_clocks(&sw, fam.child[i], LIST("T-06:met", "T-33:running"));
		expect_chronology(fam.child[i], LIST("referral_decision"));
	}
	r = tc_call(&sw, "POST", "/api/v1/persons", "{\"forenames\":\"Maya\",\"surname\":\"Stepwise\"}", 201);
	snprintf(fam.mother, sizeof fam.mother, "%s", tc_str(r, "id"));
	json_decref(r);
	r = tc_call(&sw, "POST", "/api/v1/persons", "{\"forenames\":\"Rob\",\"surname\":\"Stepwise\"}", 201);
	snprintf(fam.father, sizeof fam.father, "%s", tc_str(r, "id"));
	json_decref(r);
	for (int i = 0; i < 2; i++) {
		const char *parents[][2] = {{fam.mother, "mother"}, {fam.father, "father"}};
		for (int p = 0; p < 2; p++)
			json_decref(tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/children/%s/relationships", fam.child[i]),
			                  "{\"person_id\":\"%s\",\"relationship_type\":\"%s\",\"has_parental_responsibility\":true}",
			                  parents[p][0], parents[p][1]));
	}

	/* ST-10, ST-11: the strategy discussion starts enquiries; the initial conference clock runs from it. */
	for (int i = 0; i < 2; i++) {
		json_decref(tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/cases/%s/strategy-discussions", fam.case_[i]), SMD_BODY,
		                  tc_at(-59, "15:00"), tc_at(-59, "14:00"), mgr_id));
		expect_stage(fam.case_[i], "s47");
		expect_clocks(&sw, fam.child[i], LIST("T-33:met", "T-39:running"));
		expect_chronology(fam.child[i], LIST("strategy_discussion", "s47_started"));
		json_t *v = tc_call(&sw, "GET", tc_pathf("/api/v1/cases/%s/pathway", fam.case_[i]), NULL, 200);
		snprintf(fam.s47[i], 64, "%s", tc_str(json_array_get(json_object_get(v, "s47_enquiries"), 0), "id"));
		json_decref(v);
		json_decref(tc_callf(&sw, "PATCH", 200, tc_pathf("/api/v1/s47/%s", fam.s47[i]),
		                  "{\"child_seen_at\":\"%s\",\"child_seen_alone\":true,\"joint_visit_discussed\":true,"
		                  "\"risk_assessment\":\"Risk of further assault by the father\"}",
		                  tc_at(-58, "10:00")));
	}

	/* ST-14: the outcome (a manager), the agencies and the parents told, the enquiry closed: conference needed. */
	for (int i = 0; i < 2; i++) {
		json_decref(tc_call(&mgr, "POST", tc_pathf("/api/v1/s47/%s/outcome", fam.s47[i]),
		                 "{\"outcome\":\"S47_SUBSTANTIATED_ICPC\",\"icpc_decision_reasons\":\"Likely significant harm; "
		                 "a plan is needed\",\"interim_safety_arrangements\":\"Father stays with his brother\"}",
		                 200));
		expect_stage(fam.case_[i], "s47_outcome");
		static const char *const told[] = {"AGENCY", "PARENT", "CHILD"};
		for (int t = 0; t < 3; t++)
			json_decref(tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/cases/%s/communications", fam.case_[i]),
			                  "{\"recipient_type\":\"%s\",\"recipient_name\":\"Riverside Primary\","
			                  "\"purpose\":\"S47_OUTCOME\",\"channel\":\"IN_PERSON\",\"sent_at\":\"%s\"}",
			                  told[t], tc_at(-57, "10:00")));
		json_decref(tc_call(&mgr, "POST", tc_pathf("/api/v1/s47/%s/conclude", fam.s47[i]), "{}", 200));
		expect_stage(fam.case_[i], "icpc_pending");
		expect_clocks(&sw, fam.child[i], LIST("T-39:running", "T-57:none"));
		expect_chronology(fam.child[i], LIST("s47_outcome"));
	}
	json_t *v = tc_call(&sw, "GET", tc_pathf("/api/v1/cases/%s/pathway", fam.case_[0]), NULL, 200);
	static const char *const walk[] = {"contact", "referral", "decided", "strategy", "s47", "s47_outcome",
	                                   "icpc_pending"};
	json_t *ts = json_object_get(v, "transitions");
	assert_int_equal(json_array_size(ts), sizeof walk / sizeof walk[0]);
	for (size_t i = 0; i < sizeof walk / sizeof walk[0]; i++)
		assert_string_equal(tc_str(json_array_get(ts, i), "to"), walk[i]);
	json_decref(v);
}

static char inv_sw[64], inv_police[64];

static void invite(const char *conf, const char *user, const char *role, const char *agency, char *out)
{
	json_t *r = tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/conferences/%s/invitations", conf),
	                  "{\"user_id\":\"%s\",\"attendee_role\":\"%s\",\"agency_id\":\"%s\",\"direct_contact\":true,"
	                  "\"attendance\":\"IN_PERSON\"}",
	                  user, role, agency);
	if (out)
		snprintf(out, 64, "%s", tc_str(r, "id"));
	json_decref(r);
}

/* ST-16: the initial conference for both children, its reports and record sections, and the decision: a plan for
 * Ada, child in need support for Ben. */
static void test_api_conference(void **state)
{
	json_t *r = tc_callf(&sw, "POST", 201, "/api/v1/conferences",
	                  "{\"conf_type\":\"CONF_INITIAL\",\"child_ids\":[\"%s\",\"%s\"],\"scheduled_at\":\"%s\","
	                  "\"venue\":\"Civic Centre, room 2\",\"childcare_offered\":true,\"chair_user_id\":\"%s\","
	                  "\"chair_independence_confirmed\":true}",
	                  fam.child[0], fam.child[1], tc_at(-50, "10:00"), chair_id);
	snprintf(fam.icpc, sizeof fam.icpc, "%s", tc_str(r, "id"));
	json_decref(r);
	/* The report deadlines count back from the meeting. */
	for (int i = 0; i < 2; i++)
		expect_clocks(&sw, fam.child[i], LIST("T-55:running", "T-56:running", "T-54:running", "T-39:running"));
	json_decref(tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/conferences/%s/invitations", fam.icpc),
	                  "{\"person_id\":\"%s\",\"attendee_role\":\"PARENT\",\"pre_meeting_offered\":true}", fam.mother));
	invite(fam.icpc, sw_id, "CSC_SW", csc_agency, inv_sw);
	invite(fam.icpc, police_id, "POLICE", police_agency, inv_police);
	invite(fam.icpc, health_id, "HEALTH_HV", hv_agency, NULL);
	invite(fam.icpc, edu_id, "EDUCATION", school_agency, NULL);
	r = tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/conferences/%s/reports", fam.icpc),
	          "{\"report_type\":\"REPORT_CSC\",\"title\":\"Social care report\",\"content\":\"Both children seen alone; "
	          "the mother is protective.\",\"fact_opinion_distinguished\":true,\"each_child_considered\":true,"
	          "\"submitted_at\":\"%s\"}",
	          tc_at(-53, "09:00"));
	char report[64];
	snprintf(report, sizeof report, "%s", tc_str(r, "id"));
	json_decref(r);
	json_decref(tc_callf(&sw, "POST", 200, tc_pathf("/api/v1/conference-reports/%s/shared", report),
	                  "{\"shared_with_family_at\":\"%s\"}", tc_at(-53, "15:00")));
	json_decref(tc_callf(&police, "POST", 201, tc_pathf("/api/v1/conferences/%s/reports", fam.icpc),
	                  "{\"report_type\":\"REPORT_AGENCY\",\"agency_id\":\"%s\",\"title\":\"Police report\","
	                  "\"content\":\"" WITHHELD_REPORT "\",\"fact_opinion_distinguished\":true,"
	                  "\"withheld_from_family\":true,\"withholding_reason\":\"Live investigation\","
	                  "\"submitted_at\":\"%s\"}",
	                  police_agency, tc_at(-53, "12:00")));
	for (int i = 0; i < 2; i++)
		expect_clocks(&sw, fam.child[i], LIST("T-55:met", "T-54:met", "T-56:met"));
	json_decref(tc_call(&chair, "POST", tc_pathf("/api/v1/conferences/%s/notes", fam.icpc),
	                 "{\"heading\":\"Police information\",\"body\":\"" WITHHELD_NOTE "\",\"withheld_from_parents\":true,"
	                 "\"withholding_reason\":\"Would prejudice the police investigation\"}",
	                 201));
	json_decref(tc_call(&chair, "POST", tc_pathf("/api/v1/conferences/%s/notes", fam.icpc),
	                 "{\"heading\":\"Discussion\",\"body\":\"The mother described the new morning routine.\"}", 201));
	r = tc_call(&chair, "GET", tc_pathf("/api/v1/conferences/%s/quorum", fam.icpc), NULL, 200);
	assert_true(json_is_true(json_object_get(r, "quorate")));
	assert_true(json_is_true(json_object_get(r, "police_present")));
	json_decref(r);

	r = tc_callf(&chair, "POST", 200, tc_pathf("/api/v1/conferences/%s/decision", fam.icpc),
	          "{\"held_at\":\"%s\",\"minute_taker\":\"Pat Minutes\",\"recommendations\":\"Parenting programme\","
	          "\"children\":[{\"child_id\":\"%s\",\"decision\":\"ICPC_PLAN\",\"decision_reasons\":\"Physical harm "
	          "is likely to recur\",\"category\":\"CP_CAT_PHYSICAL\",\"likelihood_basis\":\"LIKELIHOOD_HARM_SHOWN\","
	          "\"risks_stated\":\"The father's temper\",\"what_needs_to_change\":\"No physical chastisement\","
	          "\"lead_sw_user_id\":\"%s\",\"first_core_group_at\":\"%s\",\"core_group_frequency_weeks\":6,"
	          "\"visit_frequency_weeks\":4,\"next_review_at\":\"%s\",\"contingency_plan\":\"Legal planning meeting "
	          "if the father returns\",\"outline_outcomes\":\"Ada is safe at home\\nAda's bruising stops\","
	          "\"core_group\":[{\"user_id\":\"%s\",\"name\":\"Hana Kowalski\",\"member_role\":\"HEALTH_HV\","
	          "\"agency_id\":\"%s\"},{\"person_id\":\"%s\",\"name\":\"Maya Stepwise\",\"member_role\":\"PARENT\"}]},"
	          "{\"child_id\":\"%s\",\"decision\":\"ICPC_NO_PLAN_CIN\",\"decision_reasons\":\"Ben was not harmed\","
	          "\"cin_recommendations\":\"Family support worker weekly\",\"step_down_considered\":true}]}",
	          tc_at(-50, "10:30"), fam.child[0], sw_id, tc_at(-45, "10:00"), tc_day(-5), health_id, hv_agency, fam.mother,
	          fam.child[1]);
	assert_true(json_is_true(json_object_get(r, "quorum_met")));
	snprintf(fam.plan, sizeof fam.plan, "%s", tc_str(json_array_get(json_object_get(r, "children"), 0), "plan_id"));
	json_decref(r);
	expect_stage(fam.case_[0], "cp_plan");
	expect_stage(fam.case_[1], "cin");
	/* The meeting stopped T-39 for both and the report deadlines; for Ada the plan's clocks start. */
	expect_clocks(&sw, fam.child[0], LIST("T-39:met", "T-57:running", "T-62:running", "T-49:running", "T-66:running",
	                                      "T-67:running"));
	expect_clocks(&sw, fam.child[1], LIST("T-39:met", "T-66:running", "T-57:stopped", "T-62:stopped",
	                                      "T-49:stopped"));
	for (int i = 0; i < 2; i++)
		expect_chronology(fam.child[i], LIST("conference"));

	/* The documents (4.14): the letter, then the record with the parents' copy. */
	json_decref(tc_call(&sw, "POST", tc_pathf("/api/v1/conferences/%s/decision-letter", fam.icpc), "{}", 403));
	json_decref(tc_call(&chair, "POST", tc_pathf("/api/v1/conferences/%s/decision-letter", fam.icpc), "{}", 201));
	r = tc_call(&chair, "POST", tc_pathf("/api/v1/conferences/%s/record", fam.icpc), "{}", 201);
	char full[64] = "", copy[64] = "", letter[64] = "";
	size_t i;
	json_t *doc;
	json_array_foreach(json_object_get(r, "documents"), i, doc) {
		if (strcmp(tc_str(doc, "child_id"), fam.child[0]) != 0)
			continue;
		const char *kind = tc_str(doc, "kind");
		snprintf(strcmp(kind, "record") == 0 ? full : strcmp(kind, "parents_copy") == 0 ? copy : letter, 64, "%s",
		         tc_str(doc, "document_id"));
	}
	json_decref(r);
	assert_true(full[0] && copy[0] && letter[0]);
	for (int k = 0; k < 2; k++)
		expect_clocks(&sw, fam.child[k], LIST("T-66:met", "T-67:met", "T-68:running"));
	struct buf f, c, l;
	buf_init(&f, 0);
	buf_init(&c, 0);
	buf_init(&l, 0);
	fetch_document(full, &f);
	fetch_document(copy, &c);
	fetch_document(letter, &l);
	assert_true(contains(&f, WITHHELD_NOTE));
	assert_true(contains(&f, WITHHELD_REPORT));
	assert_false(contains(&c, WITHHELD_NOTE));
	assert_false(contains(&c, "Operation Kestrel"));
	assert_false(contains(&c, WITHHELD_REPORT));
	assert_false(contains(&c, "Would prejudice the police investigation"));
	assert_true(contains(&c, "The mother described the new morning routine."));
	assert_true(contains(&l, "Asha Patel")); /* the social worker is named (4.14.13) */
	assert_true(contains(&l, "complain"));
	assert_true(contains(&l, "Physical abuse"));
	buf_free(&f);
	buf_free(&c);
	buf_free(&l);
	r = tc_call(&sw, "GET", tc_pathf("/api/v1/documents/%s", copy), NULL, 200);
	assert_string_equal(tc_str(r, "redacted_version_of"), full);
	json_decref(r);
	/* Each child's documents list holds them. */
	r = tc_call(&sw, "GET", tc_pathf("/api/v1/children/%s/documents", fam.child[1]), NULL, 200);
	assert_true(json_array_size(json_object_get(r, "items")) >= 3);
	json_decref(r);
	json_decref(tc_callf(&sw, "POST", 200, tc_pathf("/api/v1/conferences/%s/record/discussed", fam.icpc),
	                  "{\"discussed_at\":\"%s\"}", tc_at(-40, "16:00")));
	expect_clocks(&sw, fam.child[0], LIST("T-69:met"));
}

/* ST-18 to ST-20: the plan into force, the first core group and its notes, visits. */
static void test_api_plan(void **state)
{
	json_t *p = tc_call(&sw, "GET", tc_pathf("/api/v1/plans/%s", fam.plan), NULL, 200);
	assert_string_equal(tc_str(p, "status"), "DRAFT");
	assert_string_equal(tc_str(p, "lead_sw_user_id"), sw_id);
	assert_string_equal(tc_str(p, "contingency_plan"), "Legal planning meeting if the father returns");
	assert_int_equal(json_array_size(json_object_get(p, "outcomes")), 2);
	assert_true(json_array_size(json_object_get(p, "members")) >= 3); /* the lead, the health visitor, the mother */
	char outcome[64];
	snprintf(outcome, sizeof outcome, "%s", tc_str(json_array_get(json_object_get(p, "outcomes"), 0), "id"));
	json_decref(p);
	refused(&sw, "POST", tc_pathf("/api/v1/plans/%s/activate", fam.plan), 422, "actions", "{}");
	json_decref(tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/plans/%s/actions", fam.plan),
	                  "{\"outcome_id\":\"%s\",\"description\":\"Parenting programme place\",\"owner_name\":\"Asha "
	                  "Patel\",\"owner_user_id\":\"%s\",\"due_date\":\"%s\"}",
	                  outcome, sw_id, tc_day(20)));
	json_decref(tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/plans/%s/outcomes", fam.plan),
	                  "{\"description\":\"Ada attends school every day\",\"measure\":\"Attendance above 95%%\"}"));
	json_t *r = tc_call(&sw, "POST", tc_pathf("/api/v1/plans/%s/activate", fam.plan), "{}", 200);
	assert_string_equal(tc_str(r, "status"), "ACTIVE");
	json_decref(r);
	r = tc_call(&sw, "GET", tc_pathf("/api/v1/children/%s", fam.child[0]), NULL, 200);
	assert_string_equal(tc_str(r, "cp_plan_status"), "active");
	json_decref(r);
	expect_chronology(fam.child[0], LIST("plan_started"));
	/* The core group member reads the record for the life of the plan. */
	json_decref(tc_call(&health, "GET", tc_pathf("/api/v1/children/%s", fam.child[0]), NULL, 200));

	r = tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/plans/%s/core-groups", fam.plan),
	          "{\"held_at\":\"%s\",\"chair_name\":\"Dan Hughes\",\"attendees\":\"Asha Patel, Hana Kowalski, Maya "
	          "Stepwise\",\"progress_review\":\"Father has moved out\",\"outcome\":\"CG_PLAN_CONFIRMED\"}",
	          tc_at(-45, "10:00"));
	assert_int_equal(json_integer_value(json_object_get(r, "sequence_no")), 1);
	char cg[64];
	snprintf(cg, sizeof cg, "%s", tc_str(r, "id"));
	json_decref(r);
	expect_clocks(&sw, fam.child[0], LIST("T-57:met", "T-58:running", "T-60:running"));
	json_decref(tc_callf(&sw, "POST", 200, tc_pathf("/api/v1/core-groups/%s/notes-circulated", cg),
	                  "{\"notes_circulated_at\":\"%s\"}", tc_at(-44, "16:00")));
	expect_clocks(&sw, fam.child[0], LIST("T-60:met"));
	expect_chronology(fam.child[0], LIST("core_group"));

	static const struct {
		int day;
		const char *outcome;
	} visits[] = {{-48, "SEEN_ALONE"}, {-30, "SEEN_ALONE"}, {-10, "SEEN_WITH_OTHERS"}};
	for (size_t i = 0; i < sizeof visits / sizeof visits[0]; i++) {
		r = tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/plans/%s/visits", fam.plan),
		          "{\"visit_at\":\"%s\",\"visit_type\":\"STATUTORY_CP\",\"outcome\":\"%s\",\"bedroom_seen\":true,"
		          "\"child_views\":\"Ada says home is calmer\"}",
		          tc_at(visits[i].day, "16:00"), visits[i].outcome);
		assert_false(tc_has_warning(r, "R-74", NULL));
		json_decref(r);
	}
	/* The visiting clock restarts from the last visit (2.1 note 6): running, not overdue. */
	expect_clocks(&sw, fam.child[0], LIST("T-62:running", "T-62:met"));
	r = tc_call(&sw, "GET", tc_pathf("/api/v1/children/%s/clocks", fam.child[0]), NULL, 200);
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(r, "items"), i, k) {
		if (strcmp(tc_str(k, "rule_id"), "T-62") == 0 && strcmp(tc_str(k, "state"), "running") == 0)
			assert_false(json_is_true(json_object_get(k, "overdue")));
	}
	json_decref(r);
	expect_chronology(fam.child[0], LIST("visit"));
}

/* ST-22, ST-23: the review conference ends the plan; support continues as a child in need (step-down, 4.10.9); the
 * multi-agency meeting after it. */
static void test_api_review_and_end(void **state)
{
	json_t *r = tc_callf(&sw, "POST", 201, "/api/v1/conferences",
	                  "{\"conf_type\":\"CONF_REVIEW\",\"child_ids\":[\"%s\"],\"scheduled_at\":\"%s\","
	                  "\"chair_user_id\":\"%s\",\"chair_independence_confirmed\":true,\"previous_conference_id\":\"%s\"}",
	                  fam.child[0], tc_at(-5, "10:00"), chair_id, fam.icpc);
	snprintf(fam.review, sizeof fam.review, "%s", tc_str(r, "id"));
	json_decref(r);
	json_decref(tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/conferences/%s/invitations", fam.review),
	                  "{\"person_id\":\"%s\",\"attendee_role\":\"PARENT\",\"pre_meeting_offered\":true,"
	                  "\"attendance\":\"IN_PERSON\"}",
	                  fam.mother));
	invite(fam.review, sw_id, "CSC_SW", csc_agency, NULL);
	invite(fam.review, health_id, "HEALTH_HV", hv_agency, NULL);
	invite(fam.review, edu_id, "EDUCATION", school_agency, NULL);
	r = tc_callf(&chair, "POST", 200, tc_pathf("/api/v1/conferences/%s/decision", fam.review),
	          "{\"held_at\":\"%s\",\"minute_taker\":\"Pat Minutes\",\"children\":[{\"child_id\":\"%s\","
	          "\"decision\":\"RCPC_DISCONTINUE\",\"decision_reasons\":\"The father has left; Ada is safe\","
	          "\"significant_harm_judgement\":\"No longer likely to suffer significant harm\","
	          "\"cin_recommendations\":\"Family support worker continues fortnightly\"}]}",
	          tc_at(-5, "10:30"), fam.child[0]);
	assert_true(tc_has_warning(r, "R-88", NULL));
	json_decref(r);
	/* The plan ended and the case stepped down to child in need. */
	expect_stage(fam.case_[0], "cin");
	r = tc_call(&sw, "GET", tc_pathf("/api/v1/cases/%s/pathway", fam.case_[0]), NULL, 200);
	json_t *ts = json_object_get(r, "transitions");
	size_t n = json_array_size(ts);
	assert_true(n >= 3);
	assert_string_equal(tc_str(json_array_get(ts, n - 3), "to"), "cp_plan");
	assert_string_equal(tc_str(json_array_get(ts, n - 2), "to"), "plan_ended");
	assert_string_equal(tc_str(json_array_get(ts, n - 1), "to"), "cin");
	json_decref(r);
	r = tc_call(&sw, "GET", tc_pathf("/api/v1/plans/%s", fam.plan), NULL, 200);
	assert_string_equal(tc_str(r, "status"), "ENDED");
	assert_string_equal(tc_str(r, "end_reason"), "END_NO_LONGER_AT_RISK");
	assert_true(json_is_true(json_object_get(r, "step_down_cin")) ||
	            json_integer_value(json_object_get(r, "step_down_cin")) == 1);
	json_decref(r);
	expect_clocks(&sw, fam.child[0], LIST("T-49:met", "T-62:stopped", "T-70:running", "T-71:none"));
	expect_chronology(fam.child[0], LIST("plan_ended"));
	/* The review's own letter and record. */
	json_decref(tc_call(&chair, "POST", tc_pathf("/api/v1/conferences/%s/decision-letter", fam.review), "{}", 201));
	json_decref(tc_call(&chair, "POST", tc_pathf("/api/v1/conferences/%s/record", fam.review), "{}", 201));
	r = tc_call(&sw, "GET", tc_pathf("/api/v1/conferences/%s", fam.review), NULL, 200);
	assert_int_equal(json_array_size(json_object_get(r, "documents")), 3);
	json_decref(r);
	/* Once the plan has ended and the review's record is out, the health visitor (core group member, then invited
	 * to the review) no longer sees Ada's record. */
	json_decref(tc_call(&health, "GET", tc_pathf("/api/v1/children/%s", fam.child[0]), NULL, 404));
	/* The meeting three months after is the first child in need review (4.10.3). */
	json_decref(tc_callf(&sw, "POST", 200, tc_pathf("/api/v1/plans/%s/post-plan-meeting", fam.plan),
	                  "{\"held_at\":\"%s\",\"notes\":\"Support continues; school attendance good\"}", tc_at(-1, "10:00")));
	expect_clocks(&sw, fam.child[0], LIST("T-70:met", "T-71:running"));
	/* The whole walk is in Ada's chronology. */
	expect_chronology(fam.child[0], LIST("contact", "referral", "referral_decision", "strategy_discussion",
	                                     "s47_started", "s47_outcome", "conference", "plan_started", "core_group",
	                                     "visit", "plan_ended"));
}

/* ==== 2. the same walk through the HTML forms, as a browser without JavaScript ==== */

struct browser {
	struct client c;   /* c.csrf stays empty: no X-CSRF-Token header, only the form's csrf field */
	char csrf[128];    /* from the last page that carried a form */
	struct buf page;   /* the last page drawn */
	char url[512];     /* its address */
	int status;        /* its status */
};

/* Copies the characters of an id (letters, digits, '-', '_') found right after the first `prefix` at or after
 * `from` into out. Returns a pointer past the prefix, or NULL. */
static const char *id_after(const char *from, const char *prefix, char out[64])
{
	const char *p = from ? strstr(from, prefix) : NULL;
	out[0] = '\0';
	if (!p)
		return NULL;
	p += strlen(prefix);
	size_t n = 0;
	while (n < 63 && (p[n] == '-' || p[n] == '_' || (p[n] >= '0' && p[n] <= '9') || (p[n] >= 'a' && p[n] <= 'z') ||
	                  (p[n] >= 'A' && p[n] <= 'Z')))
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
	return p;
}

static void page_has(struct browser *b, const char *needle)
{
	if (!strstr(buf_str(&b->page), needle))
		fail_msg("%s (status %d) lacks \"%s\": %.1500s", b->url, b->status, needle, buf_str(&b->page));
}

static void remember_page(struct browser *b, struct http_resp *r, const char *url)
{
	buf_reset(&b->page);
	buf_add(&b->page, r->body.data, r->body.len);
	b->status = r->status;
	snprintf(b->url, sizeof b->url, "%s", url);
	char token[128];
	if (id_after(buf_str(&b->page), "name=\"csrf\" value=\"", token) && token[0])
		snprintf(b->csrf, sizeof b->csrf, "%s", token);
}

/* GET, following redirects; the page drawn is kept. Returns the final status. */
static int b_get(struct browser *b, const char *path)
{
	char url[512];
	snprintf(url, sizeof url, "%s", path);
	for (int hops = 0; hops < 5; hops++) {
		struct http_resp r;
		client_req(&b->c, "GET", url, NULL, NULL, &r);
		if (r.status == 303 || r.status == 302) {
			snprintf(url, sizeof url, "%s", resp_header(&r, "Location"));
			resp_free(&r);
			continue;
		}
		remember_page(b, &r, url);
		resp_free(&r);
		return b->status;
	}
	fail_msg("too many redirects from %s", path);
	return -1;
}

static void b_open(struct browser *b, const char *path, const char *expect)
{
	if (b_get(b, path) != 200)
		fail_msg("GET %s: status %d: %.800s", path, b->status, buf_str(&b->page));
	if (expect)
		page_has(b, expect);
}

/* A form body under construction: key=value pairs, percent-encoded. */
struct form {
	struct buf b;
};

static void f_add(struct form *f, const char *key, const char *value)
{
	if (f->b.len)
		buf_addc(&f->b, '&');
	for (int part = 0; part < 2; part++) {
		for (const unsigned char *p = (const unsigned char *)(part ? value : key); *p; p++) {
			if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
			    *p == '_' || *p == '.')
				buf_addc(&f->b, (char)*p);
			else if (*p == ' ')
				buf_addc(&f->b, '+');
			else
				buf_addf(&f->b, "%%%02X", *p);
		}
		if (!part)
			buf_addc(&f->b, '=');
	}
}

/* Pairs given as "key", "value", ..., NULL. */
static void f_pairs(struct form *f, ...)
{
	va_list ap;
	va_start(ap, f);
	const char *k;
	while ((k = va_arg(ap, const char *))) {
		const char *v = va_arg(ap, const char *);
		f_add(f, k, v);
	}
	va_end(ap);
}

/* The day, month, year (and time) boxes of a date or moment field, from a moment in London time. */
static void f_moment(struct form *f, const char *name, int64_t t, bool with_time)
{
	int32_t d;
	int h, m, s, y, mo, dd;
	moment_to_local(t, &d, &h, &m, &s);
	date_to_ymd(d, &y, &mo, &dd);
	char k[96], v[16];
	static const char *const parts[] = {"day", "month", "year", "time"};
	int vals[] = {dd, mo, y};
	for (int i = 0; i < (with_time ? 4 : 3); i++) {
		snprintf(k, sizeof k, "%s-%s", name, parts[i]);
		if (i < 3)
			snprintf(v, sizeof v, "%d", vals[i]);
		else
			snprintf(v, sizeof v, "%02d:%02d", h, m);
		f_add(f, k, v);
	}
}

/* POSTs a form as the page's browser would: the csrf field of the page it came from, then the redirect followed
 * (and the pathway's "Saved, with points to act on" page continued). Returns the POST's own status. */
static int b_post(struct browser *b, const char *path, struct form *f)
{
	struct form body;
	buf_init(&body.b, 0);
	f_add(&body, "csrf", b->csrf);
	if (f->b.len) {
		buf_addc(&body.b, '&');
		buf_add(&body.b, f->b.data, f->b.len);
	}
	struct http_resp r;
	client_req(&b->c, "POST", path, "application/x-www-form-urlencoded", buf_str(&body.b), &r);
	buf_free(&body.b);
	buf_reset(&f->b);
	int status = r.status;
	if (status == 303) {
		char next[512];
		snprintf(next, sizeof next, "%s", resp_header(&r, "Location"));
		resp_free(&r);
		b_get(b, next);
	} else {
		remember_page(b, &r, path);
		resp_free(&r);
	}
	char next[64 * 4];
	const char *cont = strstr(buf_str(&b->page), "govuk-panel--confirmation");
	if (b->status == 200 && cont) {
		const char *href = strstr(cont, "href=\"");
		if (href) {
			size_t n = strcspn(href + 6, "\"");
			snprintf(next, sizeof next, "%.*s", (int)n, href + 6);
			b_get(b, next);
		}
	}
	return status;
}

/* Posts and checks that the form was accepted (303, or 200 with points to act on). */
static void b_submit(struct browser *b, const char *path, struct form *f)
{
	int s = b_post(b, path, f);
	const char *summary = strstr(buf_str(&b->page), "govuk-error-summary");
	if (s != 303 && s != 200)
		fail_msg("POST %s: status %d: %.2000s", path, s, summary ? summary : buf_str(&b->page));
}

/* The value of the option labelled `label` in the select named `name` on the current page. */
static void option_value(struct browser *b, const char *name, const char *label, char out[64])
{
	char key[128];
	snprintf(key, sizeof key, "name=\"%s\"", name);
	const char *sel = strstr(buf_str(&b->page), key);
	const char *end = sel ? strstr(sel, "</select>") : NULL;
	const char *lab = sel ? strstr(sel, label) : NULL;
	if (!sel || !end || !lab || lab > end)
		fail_msg("%s: no option \"%s\" in %s", b->url, label, name);
	const char *v = NULL;
	for (const char *p = sel; p && p < lab; p = strstr(p + 1, "<option value=\""))
		if (strncmp(p, "<option value=\"", 15) == 0)
			v = p;
	if (!v)
		fail_msg("%s: option \"%s\" has no value", b->url, label);
	id_after(v, "<option value=\"", out);
}

/* The value of the checkbox of group `name` whose label holds `label`. */
static void checkbox_value(struct browser *b, const char *name, const char *label, char out[64])
{
	char key[128];
	snprintf(key, sizeof key, "name=\"%s\" type=\"checkbox\" value=\"", name);
	const char *best = NULL;
	for (const char *p = strstr(buf_str(&b->page), key); p; p = strstr(p + 1, key)) {
		const char *lab = strstr(p, "</label>");
		const char *text = strstr(p, label);
		if (lab && text && text < lab)
			best = p;
	}
	if (!best)
		fail_msg("%s: no checkbox %s for \"%s\"", b->url, name, label);
	id_after(best, key, out);
}

static void b_sign_in(struct browser *b, const char *username)
{
	client_init(&b->c, &srv);
	buf_init(&b->page, 0);
	struct http_resp r;
	assert_int_equal(client_req(&b->c, "GET", "/sign-in", NULL, NULL, &r), 200);
	const char *set = resp_header(&r, "Set-Cookie");
	assert_non_null(set);
	snprintf(b->c.cookie, sizeof b->c.cookie, "%.*s", (int)strcspn(set, ";"), set);
	char presession[64];
	assert_non_null(id_after(buf_str(&r.body), "name=\"presession\" value=\"", presession));
	resp_free(&r);
	struct form f;
	buf_init(&f.b, 0);
	f_pairs(&f, "presession", presession, "next", "/", "username", username, "password", DEMO_PASSWORD, NULL);
	assert_int_equal(client_req(&b->c, "POST", "/sign-in", "application/x-www-form-urlencoded", buf_str(&f.b), &r),
	                 303);
	buf_free(&f.b);
	assert_non_null(strstr(b->c.cookie, "sg_session="));
	assert_string_equal(b->c.csrf, "");
	resp_free(&r);
	b_open(b, "/", NULL);
}

/* The case page shows the stage as its tag. */
static void page_stage(struct browser *b, const char *case_id, const char *label)
{
	char tag[128];
	b_open(b, tc_pathf("/pathway/cases/%s", case_id), "Case pathway");
	snprintf(tag, sizeof tag, "govuk-tag--blue\">%s</strong>", label);
	page_has(b, tag);
}

/* The deadlines page lists a clock of this rule for the child (a row with the child's link and the rule). */
static void page_deadline(struct browser *b, const char *child, const char *rule, bool want)
{
	b_open(b, "/deadlines?scope=user&window=open", "Deadlines");
	char link[128];
	snprintf(link, sizeof link, "href=\"/children/%s\"", child);
	bool found = false;
	for (const char *p = strstr(buf_str(&b->page), link); p && !found; p = strstr(p + 1, link)) {
		const char *end = strstr(p, "</tr>");
		const char *hit = strstr(p, rule);
		found = end && hit && hit < end;
	}
	if (found != want)
		fail_msg("the deadlines page %s a running %s for child %s", found ? "lists" : "does not list", rule, child);
}

static struct browser bsw, bmgr, bchair;

static void test_forms_walk(void **state)
{
	b_sign_in(&bsw, "asha.patel");
	b_sign_in(&bmgr, "dan.hughes");
	b_sign_in(&bchair, "faye.morgan");
	struct form f;
	buf_init(&f.b, 0);
	int64_t contact_at = moment_now() / 60 * 60 - 3600;

	/* Search first, then the contact about a child not yet known. */
	b_open(&bsw, "/pathway/contacts/new?q=Formwalk", "Record a contact");
	f_pairs(&f, "q", "Formwalk", "new0_forenames", "Cleo", "new0_surname", "Formwalk", "new0_dob-day", "3",
	        "new0_dob-month", "3", "new0_dob-year", "2019", "referrer_type", "PROFESSIONAL", "referrer_name",
	        "Dr Lane", "referrer_agency_name", "Harbour Surgery", "channel", "PHONE", "contact_type",
	        "CONTACT_REFERRAL", "feedback_method", "EMAIL", "concern_summary", "Burn marks on Cleo's hands",
	        "parental_agreement", "AGREED", NULL);
	f_moment(&f, "received_at", contact_at, true);
	b_submit(&bsw, "/pathway/contacts", &f);
	page_has(&bsw, "Convert to referrals");
	char contact[64], case_id[64], child[64];
	assert_non_null(id_after(bsw.url, "/pathway/contacts/", contact));
	assert_non_null(id_after(buf_str(&bsw.page), "href=\"/pathway/cases/", case_id));
	page_stage(&bsw, case_id, "Contact");
	assert_non_null(id_after(buf_str(&bsw.page), "href=\"/children/", child));

	/* Convert to a referral from the contact page. */
	b_open(&bsw, tc_pathf("/pathway/contacts/%s", contact), "Convert to referrals");
	b_submit(&bsw, tc_pathf("/pathway/contacts/%s/referrals", contact), &f);
	page_stage(&bsw, case_id, "Referral");
	page_deadline(&bsw, child, "T-06", true);

	/* The manager finds the decision form on the case page. */
	page_stage(&bmgr, case_id, "Referral");
	char referral[64];
	assert_non_null(id_after(buf_str(&bmgr.page), "href=\"/pathway/referrals/", referral));
	page_has(&bmgr, tc_pathf("/pathway/referrals/%s/decision", referral));
	b_open(&bmgr, tc_pathf("/pathway/referrals/%s/decision", referral), "Record the referral decision");
	f_pairs(&f, "decision", "REF_STRATEGY", "smd_category", "SMD_ROUTINE_3WD", "decision_reasons",
	        "Unexplained burns on a young child", "reasonable_cause_s47", "yes", "family_informed", "yes", NULL);
	b_submit(&bmgr, tc_pathf("/pathway/referrals/%s/decision", referral), &f);
	page_stage(&bsw, case_id, "Strategy discussion");
	page_deadline(&bsw, child, "T-06", false);
	page_deadline(&bsw, child, "T-33", true);

	/* From here the walk happens at one moment: the referral was received just now, at minute precision. */
	int64_t now = moment_now() / 60 * 60;

	/* The strategy discussion, with who attended, from the case page's link. */
	page_stage(&bsw, case_id, "Strategy discussion");
	page_has(&bsw, tc_pathf("/pathway/cases/%s/strategy", case_id));
	b_open(&bsw, tc_pathf("/pathway/cases/%s/strategy", case_id), "Record a strategy meeting or discussion");
	char dan[64];
	option_value(&bsw, "s47_authorised_by", "Dan Hughes", dan);
	f_pairs(&f, "format", "SMD_MEETING", "category", "SMD_ROUTINE_3WD", "chair_name", "Dan Hughes", "chair_is_flm",
	        "yes", "information_shared", "GP saw the burns", "decision_s47", "S47_INITIATE", "investigation_mode",
	        "JOINT", "decisions", "Joint visit today", "family_sharing_decision", "The parents are told today",
	        "s47_authorised_by", dan, "p0_name", "Dan Hughes", "p0_agency_type", "CSC", "p0_attended", "yes",
	        "p0_is_chair", "yes", "p0_seniority_confirmed", "yes", "p1_name", "DC Gita Rao", "p1_agency_type", "POLICE",
	        "p1_attended", "yes", "p1_seniority_confirmed", "yes", "p2_name", "Dr Lane", "p2_agency_type", "HEALTH_GP",
	        "p2_attended", "yes", "p2_is_referrer", "yes", "p2_seniority_confirmed", "yes", NULL);
	f_moment(&f, "held_at", now, true);
	f_moment(&f, "police_consulted_at", now, true);
	b_submit(&bsw, tc_pathf("/pathway/cases/%s/strategy", case_id), &f);
	page_stage(&bsw, case_id, "Section 47 enquiry");
	page_deadline(&bsw, child, "T-33", false);
	page_deadline(&bsw, child, "T-39", true);

	/* The enquiry: the child seen, then the outcome (a manager) and the agencies told, then closed. */
	char s47[64];
	page_stage(&bsw, case_id, "Section 47 enquiry");
	assert_non_null(id_after(buf_str(&bsw.page), "href=\"/pathway/s47/", s47));
	b_open(&bsw, tc_pathf("/pathway/s47/%s/update", s47), "Section 47 enquiry");
	f_pairs(&f, "child_seen_alone", "yes", "joint_visit_discussed", "yes", "risk_assessment", "Burns need explaining",
	        NULL);
	f_moment(&f, "child_seen_at", now, true);
	b_submit(&bsw, tc_pathf("/pathway/s47/%s/update", s47), &f);
	page_stage(&bmgr, case_id, "Section 47 enquiry");
	page_has(&bmgr, tc_pathf("/pathway/s47/%s/outcome", s47));
	b_open(&bmgr, tc_pathf("/pathway/s47/%s/outcome", s47), "Authorise the enquiry");
	f_pairs(&f, "outcome", "S47_SUBSTANTIATED_ICPC", "icpc_decision_reasons", "Non-accidental burns",
	        "interim_safety_arrangements", "Grandmother supervises bath time", NULL);
	b_submit(&bmgr, tc_pathf("/pathway/s47/%s/outcome", s47), &f);
	page_stage(&bsw, case_id, "Section 47 outcome");
	b_open(&bsw, tc_pathf("/pathway/cases/%s/communication", case_id), "Log a communication");
	f_pairs(&f, "recipient_type", "AGENCY", "recipient_name", "Harbour Surgery", "purpose", "S47_OUTCOME", "channel",
	        "EMAIL", "direction", "out", NULL);
	f_moment(&f, "sent_at", now, true);
	b_submit(&bsw, tc_pathf("/pathway/cases/%s/communication", case_id), &f);
	b_open(&bmgr, tc_pathf("/pathway/s47/%s/conclude", s47), "Close the enquiry");
	f_pairs(&f, "reason", "Conference needed", NULL);
	b_submit(&bmgr, tc_pathf("/pathway/s47/%s/conclude", s47), &f);
	page_stage(&bsw, case_id, "Initial conference pending");
	page_deadline(&bsw, child, "T-39", true);

	/* The mother, recorded from the child's page, so that she can be invited. */
	b_open(&bsw, tc_pathf("/children/%s/people/new", child), NULL);
	f_pairs(&f, "forenames", "Nina", "surname", "Formwalk", "relationship_type", "mother",
	        "has_parental_responsibility", "yes", "resident_in_household", "yes", NULL);
	b_submit(&bsw, tc_pathf("/children/%s/people", child), &f);

	/* The conference, arranged from the child's protection page. */
	b_open(&bsw, tc_pathf("/children/%s/protection", child), "Child protection");
	page_has(&bsw, tc_pathf("/conferences/new?child_id=%s", child));
	b_open(&bsw, tc_pathf("/conferences/new?child_id=%s", child), "Arrange a child protection conference");
	char faye[64];
	option_value(&bsw, "chair_user_id", "Faye Morgan", faye);
	f_pairs(&f, "child_id", child, "child_ids", child, "conf_type", "CONF_INITIAL", "venue", "Civic Centre",
	        "childcare_offered", "yes", "chair_user_id", faye, "chair_independence_confirmed", "yes", NULL);
	f_moment(&f, "scheduled_at", now, true);
	b_submit(&bsw, "/conferences", &f);
	char conf[64];
	assert_non_null(id_after(bsw.url, "/conferences/", conf));
	page_has(&bsw, "Initial child protection conference");
	page_has(&bsw, "T-55"); /* the report deadlines on the conference page */
	page_has(&bsw, "T-39");

	/* Invitations: the mother, then the professionals, each with their attendance. */
	char nina[64];
	option_value(&bsw, "inv_person_id", "Nina Formwalk", nina);
	f_pairs(&f, "p", "inv_", "inv_attendee_role", "PARENT", "inv_person_id", nina, "inv_pre_meeting_offered", "yes",
	        NULL);
	b_submit(&bsw, tc_pathf("/conferences/%s/invitations", conf), &f);
	static const struct {
		const char *user, *role, *agency;
	} pros[] = {{"Asha Patel", "CSC_SW", "Essex Children"},
	            {"DC Gita Rao", "POLICE", "Essex Police"},
	            {"Hana Kowalski", "HEALTH_HV", "0-19 Health Visiting"},
	            {"Ian Brooks", "EDUCATION", "Riverside Primary"}};
	for (size_t i = 0; i < sizeof pros / sizeof pros[0]; i++) {
		char user[64], agency[64];
		option_value(&bsw, "inv_user_id", pros[i].user, user);
		option_value(&bsw, "inv_agency_id", pros[i].agency, agency);
		f_pairs(&f, "p", "inv_", "inv_attendee_role", pros[i].role, "inv_user_id", user, "inv_agency_id", agency,
		        "inv_direct_contact", "yes", NULL);
		b_submit(&bsw, tc_pathf("/conferences/%s/invitations", conf), &f);
	}
	/* Attendance, one small form per invitation. */
	const char *form = strstr(buf_str(&bsw.page), "action=\"/conference-invitations/");
	int marked = 0;
	char invs[8][64], prefixes[8][64];
	for (; form && marked < 8; form = strstr(form + 1, "action=\"/conference-invitations/")) {
		id_after(form, "action=\"/conference-invitations/", invs[marked]);
		id_after(form, "name=\"p\" value=\"", prefixes[marked]);
		marked++;
	}
	assert_int_equal(marked, 6); /* the chair, the mother and the four professionals */
	for (int i = 0; i < marked; i++) {
		char key[96];
		snprintf(key, sizeof key, "%sattendance", prefixes[i]);
		f_pairs(&f, "p", prefixes[i], key, "IN_PERSON", NULL);
		b_submit(&bsw, tc_pathf("/conference-invitations/%s/attendance", invs[i]), &f);
	}
	page_has(&bsw, "the conference is quorate, with the police present");

	/* The chair's decision page: a plan, with the health visitor and the mother in the core group. */
	b_open(&bchair, tc_pathf("/conferences/%s", conf), "Record the conference");
	b_open(&bchair, tc_pathf("/conferences/%s/decision", conf), "Record the conference&#39;s decision");
	char lead[64], hv[64], mum[64];
	option_value(&bchair, "c0_lead_sw_user_id", "Asha Patel", lead);
	checkbox_value(&bchair, "c0_cg", "Hana Kowalski", hv);
	checkbox_value(&bchair, "c0_cg", "Nina Formwalk", mum);
	f_pairs(&f, "minute_taker", "Pat Minutes", "c0_decision", "ICPC_PLAN", "c0_decision_reasons", "Burns were inflicted",
	        "c0_category", "CP_CAT_PHYSICAL", "c0_likelihood_basis", "LIKELIHOOD_HARM_SHOWN", "c0_risks_stated",
	        "Scalding at bath time", "c0_what_needs_to_change", "Supervised baths", "c0_lead_sw_user_id", lead,
	        "c0_core_group_frequency_weeks", "6", "c0_visit_frequency_weeks", "2", "c0_outline_outcomes",
	        "Cleo is bathed safely", "c0_contingency_plan", "Legal planning meeting", "c0_cg", hv, "c0_cg", mum, NULL);
	f_moment(&f, "held_at", now, true);
	f_moment(&f, "c0_first_core_group_at", now, true);
	f_moment(&f, "c0_next_review_at", now + 30 * 86400, false);
	b_submit(&bchair, tc_pathf("/conferences/%s/decision", conf), &f);
	page_has(&bchair, "Held ");
	page_has(&bchair, "Open the plan");
	page_stage(&bsw, case_id, "Child protection plan");
	page_deadline(&bsw, child, "T-39", false);
	page_deadline(&bsw, child, "T-57", true);
	page_deadline(&bsw, child, "T-62", true);

	/* The letter and the record, from the conference page. */
	b_open(&bchair, tc_pathf("/conferences/%s", conf), "Sign and send the decision letter");
	b_submit(&bchair, tc_pathf("/conferences/%s/decision-letter", conf), &f);
	b_open(&bchair, tc_pathf("/conferences/%s", conf), "Sign and send the record");
	b_submit(&bchair, tc_pathf("/conferences/%s/record", conf), &f);
	page_has(&bchair, "Conference decision letter");
	page_has(&bchair, "parents&#39; copy");
	page_has(&bchair, "/api/v1/documents/");

	/* The plan: an action, then into force. */
	char plan[64], outcome[64];
	assert_non_null(id_after(buf_str(&bchair.page), "href=\"/plans/", plan));
	b_open(&bsw, tc_pathf("/plans/%s", plan), "Put the plan into force");
	page_has(&bsw, "Draft: not yet in force");
	page_has(&bsw, "T-57");
	option_value(&bsw, "act_outcome_id", "Cleo is bathed safely", outcome);
	f_pairs(&f, "p", "act_", "act_outcome_id", outcome, "act_description", "Bath thermometer and supervision",
	        "act_owner_name", "Nina Formwalk", NULL);
	f_moment(&f, "act_due_date", now + 14 * 86400, false);
	b_submit(&bsw, tc_pathf("/plans/%s/actions", plan), &f);
	page_has(&bsw, "Bath thermometer and supervision");
	b_submit(&bsw, tc_pathf("/plans/%s/activate", plan), &f);
	page_has(&bsw, ">Active</strong>");

	/* The first core group and a visit, each on its own page. */
	b_open(&bsw, tc_pathf("/plans/%s/core-groups/new", plan), "Core group meeting");
	f_pairs(&f, "chair_name", "Dan Hughes", "attendees", "Asha Patel, Hana Kowalski, Nina Formwalk", "outcome",
	        "CG_PLAN_CONFIRMED", NULL);
	f_moment(&f, "held_at", now, true);
	b_submit(&bsw, tc_pathf("/plans/%s/core-groups", plan), &f);
	page_has(&bsw, "Meeting 1, held");
	page_has(&bsw, "T-58");
	b_open(&bsw, tc_pathf("/plans/%s/visits/new", plan), "Record a visit");
	f_pairs(&f, "visit_type", "STATUTORY_CP", "outcome", "SEEN_ALONE", "bedroom_seen", "yes", NULL);
	f_moment(&f, "visit_at", now, true);
	b_submit(&bsw, tc_pathf("/plans/%s/visits", plan), &f);
	page_has(&bsw, "Child seen alone");
	page_stage(&bsw, case_id, "Child protection plan");

	/* The review conference: arranged from the protection page (a review, since there is a plan). */
	b_open(&bsw, tc_pathf("/conferences/new?child_id=%s", child), "Arrange a child protection conference");
	char prev[64];
	assert_non_null(id_after(buf_str(&bsw.page), "name=\"previous_conference_id\" value=\"", prev));
	assert_string_equal(prev, conf);
	f_pairs(&f, "child_id", child, "child_ids", child, "previous_conference_id", prev, "conf_type", "CONF_REVIEW",
	        "chair_user_id", faye, "chair_independence_confirmed", "yes", NULL);
	f_moment(&f, "scheduled_at", now, true);
	b_submit(&bsw, "/conferences", &f);
	char review[64];
	assert_non_null(id_after(bsw.url, "/conferences/", review));
	page_has(&bsw, "Review child protection conference");
	f_pairs(&f, "p", "inv_", "inv_attendee_role", "PARENT", "inv_person_id", nina, NULL);
	b_submit(&bsw, tc_pathf("/conferences/%s/invitations", review), &f);
	for (size_t i = 0; i < sizeof pros / sizeof pros[0]; i++) {
		if (strcmp(pros[i].role, "POLICE") == 0)
			continue; /* a review needs no police (4.3.3 is for initial conferences) */
		char user[64], agency[64];
		option_value(&bsw, "inv_user_id", pros[i].user, user);
		option_value(&bsw, "inv_agency_id", pros[i].agency, agency);
		f_pairs(&f, "p", "inv_", "inv_attendee_role", pros[i].role, "inv_user_id", user, "inv_agency_id", agency,
		        "inv_direct_contact", "yes", NULL);
		b_submit(&bsw, tc_pathf("/conferences/%s/invitations", review), &f);
	}
	form = strstr(buf_str(&bsw.page), "action=\"/conference-invitations/");
	marked = 0;
	for (; form && marked < 8; form = strstr(form + 1, "action=\"/conference-invitations/")) {
		id_after(form, "action=\"/conference-invitations/", invs[marked]);
		id_after(form, "name=\"p\" value=\"", prefixes[marked]);
		marked++;
	}
	assert_int_equal(marked, 5);
	for (int i = 0; i < marked; i++) {
		char key[96];
		snprintf(key, sizeof key, "%sattendance", prefixes[i]);
		f_pairs(&f, "p", prefixes[i], key, "IN_PERSON", NULL);
		b_submit(&bsw, tc_pathf("/conference-invitations/%s/attendance", invs[i]), &f);
	}
	b_open(&bchair, tc_pathf("/conferences/%s/decision", review), "Record the conference&#39;s decision");
	f_pairs(&f, "minute_taker", "Pat Minutes", "c0_decision", "RCPC_DISCONTINUE", "c0_decision_reasons",
	        "Safe bathing is established", "c0_significant_harm_judgement", "No longer likely to suffer significant harm",
	        "c0_cin_recommendations", "Family support continues", NULL);
	f_moment(&f, "held_at", now, true);
	b_submit(&bchair, tc_pathf("/conferences/%s/decision", review), &f);
	page_stage(&bsw, case_id, "Child in need");
	page_has(&bsw, "Plan ended");
	page_deadline(&bsw, child, "T-62", false);
	page_deadline(&bsw, child, "T-70", true);

	/* The meeting after the plan, from the plan page. */
	b_open(&bsw, tc_pathf("/plans/%s", plan), "Meeting after the plan");
	page_has(&bsw, ">Ended</strong>");
	f_pairs(&f, "p", "ppm_", "ppm_notes", "Support continues", NULL);
	f_moment(&f, "ppm_held_at", now, true);
	b_submit(&bsw, tc_pathf("/plans/%s/post-plan-meeting", plan), &f);
	page_has(&bsw, "Support continues");
	page_deadline(&bsw, child, "T-70", false);
	page_deadline(&bsw, child, "T-71", true);
	buf_free(&f.b);
	buf_free(&bsw.page);
	buf_free(&bmgr.page);
	buf_free(&bchair.page);
}

/* ==== 3. refusals: the enforced rules of spec 5.1-5.9 that the front and back half tests do not refuse ==== */

/* A new child at the given stage of the front half, for the refusal tests; fills child and case ids. */
static void new_case(const char *forename, const char *dob, const char *to, char child[64], char case_id[64])
{
	json_t *r = tc_callf(&sw, "POST", 201, "/api/v1/contacts",
	                  "{\"received_at\":\"%s\",\"channel\":\"PHONE\",\"contact_type\":\"CONTACT_REFERRAL\","
	                  "\"referrer_type\":\"PROFESSIONAL\",\"referrer_name\":\"Ms Reed\",\"feedback_method\":\"EMAIL\","
	                  "\"concern_summary\":\"Concern\",\"children\":[{\"forenames\":\"%s\",\"surname\":\"Refusal\","
	                  "\"dob\":\"%s\"}]}",
	                  tc_at(-30, "09:00"), forename, dob);
	char contact[64];
	snprintf(contact, sizeof contact, "%s", tc_str(r, "id"));
	snprintf(child, 64, "%s", tc_str(json_array_get(json_object_get(r, "children"), 0), "child_id"));
	snprintf(case_id, 64, "%s", tc_str(json_array_get(json_object_get(r, "children"), 0), "case_id"));
	json_decref(r);
	if (strcmp(to, "contact") == 0)
		return;
	r = tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/contacts/%s/referrals", contact), "{\"received_at\":\"%s\"}",
	          tc_at(-30, "10:00"));
	char ref[64];
	snprintf(ref, sizeof ref, "%s", tc_str(json_array_get(json_object_get(r, "children"), 0), "referral_id"));
	json_decref(r);
	if (strcmp(to, "referral") == 0)
		return;
	bool strategy = strcmp(to, "strategy") == 0 || strcmp(to, "s47") == 0;
	json_decref(tc_callf(&mgr, "POST", 200, tc_pathf("/api/v1/referrals/%s/decision", ref),
	                  "{\"decision\":\"%s\",\"decision_reasons\":\"Needs it\",\"family_informed\":true%s}",
	                  strategy ? "REF_STRATEGY" : "REF_ASSESSMENT",
	                  strategy ? ",\"smd_category\":\"SMD_ROUTINE_3WD\"" : ""));
	if (strcmp(to, "s47") == 0)
		json_decref(tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/cases/%s/strategy-discussions", case_id), SMD_BODY,
		                  tc_at(-29, "15:00"), tc_at(-29, "14:00"), mgr_id));
	expect_stage(case_id, to);
}

/* 5.2 and 5.4: R-18 (a manager approves; the child seen or the manager's reason why not), R-19 (convening needs
 * the reason), R-30 (the chair and the people each kind of discussion requires; only a manager may override),
 * R-37 (closing after a discussion needs its decisions). */
static void test_refusals_assessment_strategy(void **state)
{
	char child[64], case_id[64];
	new_case("Amy", "2016-01-01", "assessment", child, case_id);
	json_t *v = tc_call(&sw, "GET", tc_pathf("/api/v1/cases/%s/pathway", case_id), NULL, 200);
	char aid[64];
	snprintf(aid, sizeof aid, "%s", tc_str(json_array_get(json_object_get(v, "assessments"), 0), "id"));
	json_decref(v);
	json_decref(tc_call(&sw, "POST", tc_pathf("/api/v1/assessments/%s/outcome", aid),
	                 "{\"outcome\":\"ASMT_CIN_PLAN\",\"outcome_reasons\":\"Needs support\"}", 200));
	json_decref(tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/cases/%s/communications", case_id),
	                  "{\"recipient_type\":\"FAMILY\",\"purpose\":\"ASSESSMENT_OUTCOME\",\"channel\":\"WRITTEN\","
	                  "\"sent_at\":\"%s\"}",
	                  tc_at(-20, "10:00")));
	static const char checklist[] =
		"\"chk_child_alone_views\":true,\"chk_all_children_seen\":true,\"chk_home_and_bedroom\":true,"
		"\"chk_parent_seen_views\":true,\"chk_histories_considered\":true,\"chk_analysis_complete\":true,"
		"\"chk_evidence_for_services\":true,\"chk_records_chronology\":true,\"chk_review_planned\":true,"
		"\"chk_plan_distributed\":true";
	/* a social worker cannot approve. */
	refused(&sw, "POST", tc_pathf("/api/v1/assessments/%s/authorise", aid), 403, NULL, "{%s}", checklist);
	/* the child was never recorded as seen, and no manager's reason is given. */
	refused(&mgr, "POST", tc_pathf("/api/v1/assessments/%s/authorise", aid), 422, "R-18", "{%s}", checklist);
	expect_stage(case_id, "assessment");
	json_decref(tc_callf(&mgr, "POST", 200, tc_pathf("/api/v1/assessments/%s/authorise", aid),
	                  "{%s,\"child_not_seen_reason\":\"Amy was in hospital; seen there by the health visitor\"}",
	                  checklist));
	expect_stage(case_id, "cin");
	expect_clocks(&sw, child, LIST("T-16:met")); /* the approved assessment meets its clock */
	/* convening a strategy discussion for a child in need needs the reason. */
	refused(&sw, "POST", tc_pathf("/api/v1/cases/%s/strategy/convene", case_id), 422, "reason",
	        "{\"category\":\"SMD_ROUTINE_3WD\"}");
	expect_stage(case_id, "cin");
	json_decref(tc_call(&sw, "POST", tc_pathf("/api/v1/cases/%s/strategy/convene", case_id),
	                 "{\"category\":\"SMD_ROUTINE_3WD\",\"reason\":\"New injury reported by school\"}", 200));
	expect_stage(case_id, "strategy");

	const char *path = tc_pathf("/api/v1/cases/%s/strategy-discussions", case_id);
	char held[40];
	snprintf(held, sizeof held, "%s", tc_at(-1, "15:00"));
#define SMD_REFUSED(who, fields, participants, want) \
	refused(&(who), "POST", path, 422, want, \
	        "{\"format\":\"SMD_MEETING\",\"category\":\"SMD_ROUTINE_3WD\",\"held_at\":\"%s\"," \
	        "\"chair_name\":\"Dan Hughes\",\"decision_s47\":\"S47_INITIATE\",\"information_shared\":\"x\"," \
	        "\"family_sharing_decision\":\"Told today\",\"police_consulted_at\":\"%s\",\"s47_authorised_by\":\"%s\"" \
	        fields ",\"participants\":[" participants "]}", held, held, mgr_id)
#define CSC_POLICE_HEALTH \
	"{\"name\":\"Dan Hughes\",\"agency_type\":\"CSC\",\"attended\":true,\"is_chair\":true}," \
	"{\"name\":\"DC Rao\",\"agency_type\":\"POLICE\",\"attended\":true}," \
	"{\"name\":\"Nurse Hana\",\"agency_type\":\"HEALTH_SCHOOL_NURSE\",\"attended\":true}"
	/* the chair is a first line manager. */
	SMD_REFUSED(sw, ",\"chair_is_flm\":false", CSC_POLICE_HEALTH, "first line manager");
	/* medical implications need a paediatrician; a child in hospital, the consultant; refused access, legal. */
	SMD_REFUSED(sw, ",\"chair_is_flm\":true,\"medical_implications\":true", CSC_POLICE_HEALTH, "paediatrician");
	SMD_REFUSED(sw, ",\"chair_is_flm\":true,\"child_in_hospital\":true", CSC_POLICE_HEALTH, "consultant");
	SMD_REFUSED(sw, ",\"chair_is_flm\":true,\"access_refused\":true", CSC_POLICE_HEALTH, "legal services");
	/* health is required; a social worker's override is not a manager's. */
	SMD_REFUSED(sw, ",\"chair_is_flm\":true",
	            "{\"name\":\"Dan Hughes\",\"agency_type\":\"CSC\",\"attended\":true,\"is_chair\":true},"
	            "{\"name\":\"DC Rao\",\"agency_type\":\"POLICE\",\"attended\":true}",
	            "attending: health");
	SMD_REFUSED(sw, ",\"chair_is_flm\":true,\"attendance_override_reason\":\"Nurse off sick\"",
	            "{\"name\":\"Dan Hughes\",\"agency_type\":\"CSC\",\"attended\":true,\"is_chair\":true},"
	            "{\"name\":\"DC Rao\",\"agency_type\":\"POLICE\",\"attended\":true}",
	            "R-30");
	/* ending at a discussion (no enquiries, no services) needs its decisions recorded. */
	refused(&sw, "POST", path, 422, "decisions",
	        "{\"format\":\"SMD_MEETING\",\"category\":\"SMD_ROUTINE_3WD\",\"held_at\":\"%s\",\"chair_name\":\"Dan "
	        "Hughes\",\"chair_is_flm\":true,\"decision_s47\":\"S47_NOT_PURSUED_NFA\",\"information_shared\":\"x\","
	        "\"family_sharing_decision\":\"Told today\",\"participants\":[" CSC_POLICE_HEALTH "]}",
	        held);
	expect_stage(case_id, "strategy");
	/* A manager may record that it went ahead without health, with the reason (R-30 override). */
	json_t *r = tc_callf(&mgr, "POST", 201, path,
	                  "{\"format\":\"SMD_MEETING\",\"category\":\"SMD_ROUTINE_3WD\",\"held_at\":\"%s\","
	                  "\"chair_name\":\"Dan Hughes\",\"chair_is_flm\":true,\"decision_s47\":\"S47_INITIATE\","
	                  "\"information_shared\":\"x\",\"family_sharing_decision\":\"Told today\","
	                  "\"police_consulted_at\":\"%s\",\"attendance_override_reason\":\"School nurse off sick; GP sent "
	                  "a report\",\"participants\":[{\"name\":\"Dan Hughes\",\"agency_type\":\"CSC\",\"attended\":true,"
	                  "\"is_chair\":true},{\"name\":\"DC Rao\",\"agency_type\":\"POLICE\",\"attended\":true}]}",
	                  held, held);
	assert_true(tc_has_warning(r, "R-30", NULL));
	json_decref(r);
	expect_stage(case_id, "s47");
#undef SMD_REFUSED
#undef CSC_POLICE_HEALTH
}

/* 5.1, 5.3, 5.5 and 5.9: R-26 (police protection's last resort), R-43/R-46 (a body map is signed), R-45 (consent,
 * or the parents told after an emergency without it), R-94 (an unborn child's expected date of delivery), R-03 (a
 * refusal's reason), R-10 (the reason for checks without permission). */
static void test_refusals_emergency_s47(void **state)
{
	char child[64], case_id[64];
	new_case("Bea", "2015-02-02", "s47", child, case_id);
	const char *path = tc_pathf("/api/v1/cases/%s/emergency-actions", case_id);
	refused(&sw, "POST", path, 422, "last resort",
	        "{\"means\":\"POLICE_PROTECTION\",\"taken_at\":\"%s\",\"designated_officer_name\":\"Insp Wood\","
	        "\"designated_officer_rank\":\"INSPECTOR\"}",
	        tc_at(-20, "09:00"));
	path = tc_pathf("/api/v1/cases/%s/paediatric-assessments", case_id);
	refused(&sw, "POST", path, 422, "report_signed_by",
	        "{\"record_kind\":\"BODY_MAP\",\"examiner_type\":\"NON_MEDICAL_STAFF\",\"examiner_name\":\"Asha Patel\","
	        "\"examined_at\":\"%s\"}",
	        tc_at(-20, "11:00"));
	refused(&sw, "POST", path, 422, "consent_method",
	        "{\"record_kind\":\"FULL_EXAMINATION\",\"examiner_type\":\"CONSULTANT_PAEDIATRICIAN\",\"examiner_name\":"
	        "\"Dr Paed\",\"examined_at\":\"%s\",\"consent_given_by\":\"PERSON_WITH_PR\"}",
	        tc_at(-20, "11:00"));
	refused(&sw, "POST", path, 422, "parents_informed_at",
	        "{\"record_kind\":\"FULL_EXAMINATION\",\"examiner_type\":\"CONSULTANT_PAEDIATRICIAN\",\"examiner_name\":"
	        "\"Dr Paed\",\"examined_at\":\"%s\",\"emergency_without_consent\":true}",
	        tc_at(-20, "11:00"));
	json_decref(tc_callf(&sw, "POST", 201, path,
	                  "{\"record_kind\":\"BODY_MAP\",\"examiner_type\":\"NON_MEDICAL_STAFF\",\"examiner_name\":\"Asha "
	                  "Patel\",\"examined_at\":\"%s\",\"report_signed_by\":\"Asha Patel\",\"report_signed_at\":\"%s\"}",
	                  tc_at(-20, "11:00"), tc_at(-20, "11:30")));
	/* an unborn child is recorded with the expected date of delivery. */
	refused(&sw, "POST", "/api/v1/contacts", 422, "expected date of delivery",
	        "{\"received_at\":\"%s\",\"channel\":\"PHONE\",\"contact_type\":\"CONTACT_REFERRAL\","
	        "\"referrer_type\":\"PROFESSIONAL\",\"referrer_name\":\"Community midwife\",\"feedback_method\":\"EMAIL\","
	        "\"concern_summary\":\"Mother using heroin in pregnancy\",\"children\":[{\"forenames\":\"Unborn\","
	        "\"surname\":\"Refusal\",\"is_unborn\":true}]}",
	        tc_at(-20, "09:00"));
	/* on a referral still being decided. */
	char child2[64], case2[64];
	new_case("Cal", "2014-03-03", "referral", child2, case2);
	json_t *v = tc_call(&sw, "GET", tc_pathf("/api/v1/cases/%s/pathway", case2), NULL, 200);
	char ref[64];
	snprintf(ref, sizeof ref, "%s", tc_str(json_array_get(json_object_get(v, "referrals"), 0), "id"));
	json_decref(v);
	path = tc_pathf("/api/v1/referrals/%s/consent", ref);
	refused(&sw, "POST", path, 422, "parental_reason_detail", "{\"parental_agreement\":\"REFUSED\"}");
	refused(&mgr, "POST", path, 422, "checks_without_consent_reason", "{\"checks_without_consent\":true}");
	json_t *r = tc_call(&sw, "POST", path,
	                 "{\"parental_agreement\":\"REFUSED\",\"parental_reason_detail\":\"Risk to the child outweighs "
	                 "the refusal\"}",
	                 200);
	assert_true(tc_has_warning(r, "R-03", NULL)); /* tell the parents the referral was made */
	json_decref(r);
}

/* 5.6 to 5.8 on the family's conferences: R-53 (a later conference needs the manager's extension first), R-58
 * (an exclusion decided before the meeting is told in writing), R-67 (a withheld report is never shared with the
 * family). */
static void test_refusals_conferences(void **state)
{
	char child[64], case_id[64];
	new_case("Dot", "2013-04-04", "s47", child, case_id);
	json_t *v = tc_call(&sw, "GET", tc_pathf("/api/v1/cases/%s/pathway", case_id), NULL, 200);
	char s47[64];
	snprintf(s47, sizeof s47, "%s", tc_str(json_array_get(json_object_get(v, "s47_enquiries"), 0), "id"));
	json_decref(v);
	json_decref(tc_call(&mgr, "POST", tc_pathf("/api/v1/s47/%s/outcome", s47),
	                 "{\"outcome\":\"S47_SUBSTANTIATED_ICPC\",\"icpc_decision_reasons\":\"Likely harm\","
	                 "\"interim_safety_arrangements\":\"Daily checks\"}",
	                 200));
	json_decref(tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/cases/%s/communications", case_id),
	                  "{\"recipient_type\":\"AGENCY\",\"purpose\":\"S47_OUTCOME\",\"channel\":\"EMAIL\","
	                  "\"sent_at\":\"%s\"}",
	                  tc_at(-28, "10:00")));
	json_decref(tc_call(&mgr, "POST", tc_pathf("/api/v1/s47/%s/conclude", s47), "{}", 200));
	/* 15 working days from the discussion have long passed; a date after them needs the extension. */
	refused(&sw, "POST", "/api/v1/conferences", 409, "T-39",
	        "{\"conf_type\":\"CONF_INITIAL\",\"child_ids\":[\"%s\"],\"scheduled_at\":\"%s\",\"chair_user_id\":\"%s\","
	        "\"chair_independence_confirmed\":true}",
	        child, tc_at(2, "10:00"), chair_id);
	json_t *clocks = tc_call(&sw, "GET", tc_pathf("/api/v1/children/%s/clocks", child), NULL, 200);
	char t39[64] = "";
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(clocks, "items"), i, k) {
		if (strcmp(tc_str(k, "rule_id"), "T-39") == 0 && strcmp(tc_str(k, "state"), "running") == 0)
			snprintf(t39, sizeof t39, "%s", tc_str(k, "id"));
	}
	json_decref(clocks);
	assert_true(t39[0]);
	/* A team manager is not the senior manager the rule names; the service manager authorises it. */
	json_decref(tc_callf(&mgr, "POST", 422, tc_pathf("/api/v1/clocks/%s/extend", t39),
	                  "{\"new_due\":\"%s\",\"reason\":\"Paediatric report awaited\"}", tc_day(10)));
	json_decref(tc_callf(&smgr, "POST", 200, tc_pathf("/api/v1/clocks/%s/extend", t39),
	                  "{\"new_due\":\"%s\",\"reason\":\"Paediatric report awaited; safety plan in place\"}", tc_day(10)));
	json_t *r = tc_callf(&sw, "POST", 201, "/api/v1/conferences",
	                  "{\"conf_type\":\"CONF_INITIAL\",\"child_ids\":[\"%s\"],\"scheduled_at\":\"%s\","
	                  "\"chair_user_id\":\"%s\",\"chair_independence_confirmed\":true}",
	                  child, tc_at(2, "10:00"), chair_id);
	char conf[64];
	snprintf(conf, sizeof conf, "%s", tc_str(r, "id"));
	json_decref(r);
	/* decided before the meeting, the exclusion is told to the parent in writing. */
	r = tc_call(&sw, "POST", "/api/v1/persons", "{\"forenames\":\"Dan\",\"surname\":\"Refusal\"}", 201);
	char father[64];
	snprintf(father, sizeof father, "%s", tc_str(r, "id"));
	json_decref(r);
	json_decref(tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/children/%s/relationships", child),
	                  "{\"person_id\":\"%s\",\"relationship_type\":\"father\",\"has_parental_responsibility\":true}",
	                  father));
	r = tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/conferences/%s/exclusions", conf),
	          "{\"person_id\":\"%s\",\"grounds\":[\"EXCL_PROFESSIONAL_INTIMIDATION\"],\"evidence\":\"Threatened a "
	          "worker\"}",
	          father);
	char excl[64];
	snprintf(excl, sizeof excl, "%s", tc_str(r, "id"));
	json_decref(r);
	refused(&chair, "POST", tc_pathf("/api/v1/conference-exclusions/%s/decision", excl), 422,
	        "communicated_in_writing_at",
	        "{\"decision\":\"EXCL_WHOLE\",\"period\":\"The whole meeting\",\"views_arrangements\":\"Written views read "
	        "out\",\"receives_record\":\"PARTIAL\"}");
	/* The parent and the professionals are invited (the police officer can then give a report). */
	json_decref(tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/conferences/%s/invitations", conf),
	                  "{\"person_id\":\"%s\",\"attendee_role\":\"PARENT\"}", father));
	invite(conf, sw_id, "CSC_SW", csc_agency, NULL);
	invite(conf, police_id, "POLICE", police_agency, NULL);
	invite(conf, health_id, "HEALTH_HV", hv_agency, NULL);
	invite(conf, edu_id, "EDUCATION", school_agency, NULL);
	/* the police report withheld from the family is never shared with it. */
	r = tc_callf(&police, "POST", 201, tc_pathf("/api/v1/conferences/%s/reports", conf),
	          "{\"report_type\":\"REPORT_AGENCY\",\"agency_id\":\"%s\",\"title\":\"Police\",\"content\":\"Secret\","
	          "\"withheld_from_family\":true,\"withholding_reason\":\"Live investigation\"}",
	          police_agency);
	char rpt[64];
	snprintf(rpt, sizeof rpt, "%s", tc_str(r, "id"));
	json_decref(r);
	refused(&sw, "POST", tc_pathf("/api/v1/conference-reports/%s/shared", rpt), 409, "R-67", "{}");
}

/* 5.6 to 5.8 on a plan: R-62 (a qualified lead social worker at the decision; a plan keeps its lead and its
 * contingency plan), R-80 (a renegotiated action has its new date), R-87 (ending without a review: death needs its
 * date, every reason needs the consultation), R-89 (a transfer-in conference ends a plan only after a full
 * assessment). */
static void test_refusals_plan(void **state)
{
	char child[64], case_id[64];
	new_case("Eve", "2012-05-05", "s47", child, case_id);
	json_t *v = tc_call(&sw, "GET", tc_pathf("/api/v1/cases/%s/pathway", case_id), NULL, 200);
	char s47[64];
	snprintf(s47, sizeof s47, "%s", tc_str(json_array_get(json_object_get(v, "s47_enquiries"), 0), "id"));
	json_decref(v);
	json_decref(tc_call(&mgr, "POST", tc_pathf("/api/v1/s47/%s/outcome", s47),
	                 "{\"outcome\":\"S47_SUBSTANTIATED_ICPC\",\"icpc_decision_reasons\":\"Likely harm\","
	                 "\"interim_safety_arrangements\":\"Daily checks\"}",
	                 200));
	json_decref(tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/cases/%s/communications", case_id),
	                  "{\"recipient_type\":\"AGENCY\",\"purpose\":\"S47_OUTCOME\",\"channel\":\"EMAIL\","
	                  "\"sent_at\":\"%s\"}",
	                  tc_at(-28, "10:00")));
	json_decref(tc_call(&mgr, "POST", tc_pathf("/api/v1/s47/%s/conclude", s47), "{}", 200));
	json_t *r = tc_callf(&sw, "POST", 201, "/api/v1/conferences",
	                  "{\"conf_type\":\"CONF_INITIAL\",\"child_ids\":[\"%s\"],\"scheduled_at\":\"%s\","
	                  "\"chair_user_id\":\"%s\",\"chair_independence_confirmed\":true,\"parents_not_invited_reason\":"
	                  "\"Both parents are in custody\"}",
	                  child, tc_at(-20, "10:00"), chair_id);
	char conf[64];
	snprintf(conf, sizeof conf, "%s", tc_str(r, "id"));
	json_decref(r);
	invite(conf, sw_id, "CSC_SW", csc_agency, NULL);
	invite(conf, police_id, "POLICE", police_agency, NULL);
	invite(conf, health_id, "HEALTH_HV", hv_agency, NULL);
	invite(conf, edu_id, "EDUCATION", school_agency, NULL);
	/* the lead social worker must be a qualified social worker (here: a police officer is named). */
	refused(&chair, "POST", tc_pathf("/api/v1/conferences/%s/decision", conf), 422, "c0_lead_sw_user_id",
	        "{\"held_at\":\"%s\",\"minute_taker\":\"Pat\",\"children\":[{\"child_id\":\"%s\",\"decision\":\"ICPC_PLAN\","
	        "\"decision_reasons\":\"Neglect\",\"category\":\"CP_CAT_NEGLECT\","
	        "\"likelihood_basis\":\"LIKELIHOOD_PREDICTED\",\"risks_stated\":\"Hunger\",\"what_needs_to_change\":\"Meals\","
	        "\"lead_sw_user_id\":\"%s\","
	        "\"first_core_group_at\":\"%s\",\"core_group_frequency_weeks\":6,\"visit_frequency_weeks\":4,"
	        "\"next_review_at\":\"%s\",\"contingency_plan\":\"Legal advice\",\"outline_outcomes\":\"Eve eats well\","
	        "\"core_group\":[{\"user_id\":\"%s\",\"name\":\"Hana\",\"member_role\":\"HEALTH_HV\"}]}]}",
	        tc_at(-20, "10:30"), child, police_id, tc_at(-18, "10:00"), tc_day(20), health_id);
	r = tc_callf(&chair, "POST", 200, tc_pathf("/api/v1/conferences/%s/decision", conf),
	          "{\"held_at\":\"%s\",\"minute_taker\":\"Pat\",\"children\":[{\"child_id\":\"%s\",\"decision\":\"ICPC_PLAN\","
	          "\"decision_reasons\":\"Neglect\",\"category\":\"CP_CAT_NEGLECT\",\"likelihood_basis\":"
	          "\"LIKELIHOOD_PREDICTED\",\"risks_stated\":\"Hunger\",\"what_needs_to_change\":\"Meals\","
	          "\"lead_sw_user_id\":\"%s\",\"first_core_group_at\":\"%s\",\"core_group_frequency_weeks\":6,"
	          "\"visit_frequency_weeks\":4,\"next_review_at\":\"%s\",\"contingency_plan\":\"Legal advice\","
	          "\"outline_outcomes\":\"Eve eats well\",\"core_group\":[{\"user_id\":\"%s\",\"name\":\"Hana\","
	          "\"member_role\":\"HEALTH_HV\"}]}]}",
	          tc_at(-20, "10:30"), child, sw_id, tc_at(-18, "10:00"), tc_day(20), health_id);
	char plan[64];
	snprintf(plan, sizeof plan, "%s", tc_str(json_array_get(json_object_get(r, "children"), 0), "plan_id"));
	json_decref(r);
	/* a plan keeps a social worker as its lead, and its contingency plan. */
	refused(&sw, "PATCH", tc_pathf("/api/v1/plans/%s", plan), 422, "lead_sw_user_id", "{\"lead_sw_user_id\":\"%s\"}",
	        police_id);
	refused(&sw, "PATCH", tc_pathf("/api/v1/plans/%s", plan), 422, "contingency_plan", "{\"contingency_plan\":\"\"}");
	r = tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/plans/%s/actions", plan),
	          "{\"description\":\"Food bank referral\",\"owner_name\":\"Asha Patel\",\"due_date\":\"%s\"}", tc_day(5));
	char action[64];
	snprintf(action, sizeof action, "%s", tc_str(r, "id"));
	json_decref(r);
	json_decref(tc_call(&sw, "POST", tc_pathf("/api/v1/plans/%s/activate", plan), "{}", 200));
	/* an action an agency cannot deliver is renegotiated with a new date, not left overdue. */
	refused(&sw, "PATCH", tc_pathf("/api/v1/plan-actions/%s", action), 422, "due_date",
	        "{\"status\":\"RENEGOTIATED\"}");
	/* ending the plan because the child died needs the date of death on the child's record. */
	refused(&smgr, "POST", tc_pathf("/api/v1/plans/%s/discontinue", plan), 422, "R-87",
	        "{\"reason\":\"END_DIED\",\"consultation_record\":\"Agencies consulted\"}");
	refused(&smgr, "POST", tc_pathf("/api/v1/plans/%s/discontinue", plan), 422, "R-87",
	        "{\"reason\":\"END_LEFT_UK_PERMANENTLY\"}");
	expect_stage(case_id, "cp_plan");

	/* a transfer-in conference may end the plan only after a full assessment in the new situation. */
	r = tc_call(&sw, "POST", "/api/v1/children", "{\"forenames\":\"Fin\",\"surname\":\"Refusal\",\"dob\":\"2011-06-06\"}",
	         201);
	char mover[64], mcase[64];
	snprintf(mover, sizeof mover, "%s", tc_str(r, "id"));
	json_decref(r);
	r = tc_call(&sw, "POST", tc_pathf("/api/v1/children/%s/cases", mover), "{}", 201);
	snprintf(mcase, sizeof mcase, "%s", tc_str(r, "id"));
	json_decref(r);
	json_decref(tc_callf(&sw, "POST", 201, tc_pathf("/api/v1/cases/%s/transfer-in", mcase),
	                  "{\"originating_la\":\"Suffolk\",\"notified_at\":\"%s\",\"category\":\"CP_CAT_NEGLECT\"}",
	                  tc_at(-3, "09:00")));
	r = tc_callf(&sw, "POST", 201, "/api/v1/conferences",
	          "{\"conf_type\":\"CONF_TRANSFER_IN\",\"child_ids\":[\"%s\"],\"scheduled_at\":\"%s\",\"chair_user_id\":"
	          "\"%s\",\"chair_independence_confirmed\":true,\"originating_la\":\"Suffolk\","
	          "\"parents_not_invited_reason\":\"Not yet traced\"}",
	          mover, tc_at(-1, "10:00"), chair_id);
	char tconf[64];
	snprintf(tconf, sizeof tconf, "%s", tc_str(r, "id"));
	json_decref(r);
	invite(tconf, sw_id, "CSC_SW", csc_agency, NULL);
	invite(tconf, police_id, "POLICE", police_agency, NULL);
	invite(tconf, health_id, "HEALTH_HV", hv_agency, NULL);
	invite(tconf, edu_id, "EDUCATION", school_agency, NULL);
	const char *tpath = tc_pathf("/api/v1/conferences/%s/decision", tconf);
	refused(&chair, "POST", tpath, 422, "c0_full_assessment_completed",
	        "{\"held_at\":\"%s\",\"minute_taker\":\"Pat\",\"children\":[{\"child_id\":\"%s\",\"decision\":"
	        "\"ICPC_NO_PLAN_CIN\",\"decision_reasons\":\"Settled well\",\"cin_recommendations\":\"School support\","
	        "\"step_down_considered\":true}]}",
	        tc_at(-1, "10:30"), mover);
	json_decref(tc_callf(&chair, "POST", 200, tpath,
	                  "{\"held_at\":\"%s\",\"minute_taker\":\"Pat\",\"children\":[{\"child_id\":\"%s\",\"decision\":"
	                  "\"ICPC_NO_PLAN_CIN\",\"decision_reasons\":\"Settled well\",\"cin_recommendations\":\"School "
	                  "support\",\"step_down_considered\":true,\"full_assessment_completed\":true}]}",
	                  tc_at(-1, "10:30"), mover));
	expect_stage(mcase, "cin");
	r = tc_call(&sw, "GET", tc_pathf("/api/v1/children/%s", mover), NULL, 200);
	assert_string_not_equal(tc_str(r, "cp_plan_status"), "temporary");
	json_decref(r);
}

/* ==== 4. the demo authority's caseload is real: every pathway page works on it ==== */

/* The seeded child of this family with this forename (the service manager sees every child). */
static void demo_child(const char *surname, const char *forename, char out[64])
{
	json_t *r = tc_call(&smgr, "GET", tc_pathf("/api/v1/children?q=%s", surname), NULL, 200);
	out[0] = '\0';
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(r, "results"), i, c) {
		if (strcmp(tc_str(c, "forenames"), forename) == 0 && strcmp(tc_str(c, "surname"), surname) == 0)
			snprintf(out, 64, "%s", tc_str(c, "id"));
	}
	json_decref(r);
	if (!out[0])
		fail_msg("the demo data has no %s %s", forename, surname);
}

static void page_ok(struct client *c, const char *path, const char *expect)
{
	struct http_resp r;
	int got = client_req(c, "GET", path, NULL, NULL, &r);
	if (got != 200 || (expect && !strstr(buf_str(&r.body), expect)))
		fail_msg("GET %s: status %d, or no \"%s\"", path, got, expect ? expect : "");
	resp_free(&r);
}

/* Opens the child's pages, its case's pathway, and each of its conferences and plans (and, as the child's social
 * worker when given, the forms of a plan in force); returns the protection JSON. */
static json_t *demo_pages(const char *child, const char *stage, struct client *worker)
{
	page_ok(&smgr, tc_pathf("/children/%s", child), NULL);
	page_ok(&smgr, tc_pathf("/children/%s/chronology", child), NULL);
	json_t *c = tc_call(&smgr, "GET", tc_pathf("/api/v1/children/%s", child), NULL, 200);
	json_t *cases = json_object_get(c, "cases");
	assert_true(json_array_size(cases) >= 1);
	const char *case_id = tc_str(json_array_get(cases, 0), "id");
	json_t *v = tc_call(&smgr, "GET", tc_pathf("/api/v1/cases/%s/pathway", case_id), NULL, 200);
	if (strcmp(tc_str(v, "stage"), stage) != 0)
		fail_msg("child %s's case is at %s, want %s", child, tc_str(v, "stage"), stage);
	json_decref(v);
	page_ok(&smgr, tc_pathf("/pathway/cases/%s", case_id), "Case pathway");
	json_decref(c);
	page_ok(&smgr, tc_pathf("/children/%s/protection", child), "Child protection");
	json_t *p = tc_call(&smgr, "GET", tc_pathf("/api/v1/children/%s/protection", child), NULL, 200);
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(p, "conferences"), i, k)
		page_ok(&smgr, tc_pathf("/conferences/%s", tc_str(k, "id")), NULL);
	json_array_foreach(json_object_get(p, "plans"), i, k) {
		page_ok(&smgr, tc_pathf("/plans/%s", tc_str(k, "id")), "Child protection plan");
		if (worker && strcmp(tc_str(k, "status"), "ACTIVE") == 0) {
			page_ok(worker, tc_pathf("/plans/%s/visits/new", tc_str(k, "id")), "Record a visit");
			page_ok(worker, tc_pathf("/plans/%s/core-groups/new", tc_str(k, "id")), "Core group meeting");
		}
	}
	return p;
}

static const char *status_of(json_t *protection, const char *list, size_t i)
{
	return tc_str(json_array_get(json_object_get(protection, list), i), "status");
}

static void test_demo_caseload(void **state)
{
	struct {
		const char *surname, *forename, *stage;
	} seen[] = {
		{"Jenkins", "Freddie", "contact"},  {"Bellamy", "Jayden", "referral"},   {"Kaur", "Simran", "early_help"},
		{"Evans", "Tyler", "assessment"},   {"Hussain", "Aisha", "cin"},         {"Quinn", "Grace", "strategy"},
		{"Chowdhury", "Zara", "s47"},       {"Usman", "Hamza", "icpc_pending"},  {"Zielinski", "Kacper", "closed"},
	};
	char child[64];
	size_t i;
	json_t *k;
	for (i = 0; i < sizeof seen / sizeof seen[0]; i++) {
		demo_child(seen[i].surname, seen[i].forename, child);
		json_decref(demo_pages(child, seen[i].stage, NULL));
	}
	/* A sibling group on plans from one conference, with core groups, visits and the conference's documents; a
	 * review can be arranged for them. */
	demo_child("Ashworth", "Mia", child);
	json_t *p = demo_pages(child, "cp_plan", &sw);
	assert_string_equal(status_of(p, "plans", 0), "ACTIVE");
	char icpc[64];
	snprintf(icpc, sizeof icpc, "%s", tc_str(json_array_get(json_object_get(p, "conferences"), 0), "id"));
	json_decref(p);
	json_t *c = tc_call(&smgr, "GET", tc_pathf("/api/v1/conferences/%s", icpc), NULL, 200);
	assert_int_equal(json_array_size(json_object_get(c, "children")), 3);
	assert_true(json_array_size(json_object_get(c, "documents")) >= 9); /* a letter, a record, a copy, each */
	json_decref(c);
	json_t *plan = tc_call(&sw, "GET", tc_pathf("/api/v1/children/%s/protection", child), NULL, 200);
	c = tc_call(&sw, "GET", tc_pathf("/api/v1/plans/%s", tc_str(json_array_get(json_object_get(plan, "plans"), 0), "id")),
	         NULL, 200);
	assert_true(json_array_size(json_object_get(c, "core_groups")) >= 1);
	assert_true(json_array_size(json_object_get(c, "visits")) >= 1);
	json_decref(c);
	json_decref(plan);
	/* Each step was dated when it happened, not when the demo was made: the decision within its working day, the
	 * letter on the day of the conference. */
	json_t *clocks = tc_call(&sw, "GET", tc_pathf("/api/v1/children/%s/clocks", child), NULL, 200);
	json_array_foreach(json_object_get(clocks, "items"), i, k) {
		const char *rule = tc_str(k, "rule_id");
		if (strcmp(rule, "T-06") == 0 || strcmp(rule, "T-33") == 0 || strcmp(rule, "T-39") == 0 ||
		    strcmp(rule, "T-66") == 0 || strcmp(rule, "T-57") == 0)
			assert_string_equal(tc_str(k, "state"), "met");
	}
	json_decref(clocks);
	page_ok(&sw, tc_pathf("/conferences/new?child_id=%s", child), "Arrange a child protection conference");
	char kids[3][64];
	demo_child("Ashworth", "Leo", kids[1]);
	demo_child("Ashworth", "Ava", kids[2]);
	json_decref(tc_callf(&sw, "POST", 201, "/api/v1/conferences",
	                  "{\"conf_type\":\"CONF_REVIEW\",\"child_ids\":[\"%s\",\"%s\",\"%s\"],\"scheduled_at\":\"%s\","
	                  "\"chair_user_id\":\"%s\",\"chair_independence_confirmed\":true,\"previous_conference_id\":\"%s\"}",
	                  child, kids[1], kids[2], tc_at(14, "10:00"), chair_id, icpc));
	/* Some deadlines are overdue: the review of the Gallagher children, the visits to Lena Nowak. */
	demo_child("Gallagher", "Oscar", child);
	json_decref(demo_pages(child, "cp_plan", &other));
	json_t *r = tc_call(&smgr, "GET", tc_pathf("/api/v1/children/%s/clocks", child), NULL, 200);
	bool late_review = false;
	json_array_foreach(json_object_get(r, "items"), i, k) late_review =
		late_review || (strcmp(tc_str(k, "rule_id"), "T-49") == 0 && json_is_true(json_object_get(k, "overdue")));
	json_decref(r);
	assert_true(late_review);
	demo_child("Nowak", "Lena", child);
	json_decref(demo_pages(child, "cp_plan", &sw));
	/* A review that continued the plans, and one that ended them with step-down. */
	demo_child("Vaughan", "Evie", child);
	p = demo_pages(child, "cp_plan", &other);
	assert_int_equal(json_array_size(json_object_get(p, "conferences")), 2);
	json_decref(p);
	demo_child("Ivanova", "Sofia", child);
	p = demo_pages(child, "cin", NULL);
	assert_string_equal(status_of(p, "plans", 0), "ENDED");
	json_decref(p);
	/* A plan for one child and child in need support for the other. */
	demo_child("Turner", "Isla", child);
	json_decref(demo_pages(child, "cin", NULL));
	/* Pre-birth: the conference before the birth made a plan. */
	demo_child("Dempsey", "Unborn", child);
	p = demo_pages(child, "cp_plan", NULL);
	assert_string_equal(tc_str(json_array_get(json_object_get(p, "conferences"), 0), "conf_type"), "CONF_PRE_BIRTH");
	json_decref(p);
	/* A move in on a plan: the temporary plan, the transfer-in conference arranged; the chair's decision page. */
	demo_child("Mensah", "Kofi", child);
	p = demo_pages(child, "icpc_pending", NULL);
	assert_string_equal(status_of(p, "plans", 0), "TEMPORARY_TRANSFER_IN");
	assert_string_equal(tc_str(json_array_get(json_object_get(p, "conferences"), 0), "conf_type"), "CONF_TRANSFER_IN");
	page_ok(&chair, tc_pathf("/conferences/%s/decision", tc_str(json_array_get(json_object_get(p, "conferences"), 0), "id")),
	        "Record the conference");
	json_decref(p);
	/* An initial conference arranged for the coming days. */
	demo_child("Lowe", "Alfie", child);
	p = demo_pages(child, "icpc_pending", NULL);
	assert_string_equal(status_of(p, "conferences", 0), "scheduled");
	json_decref(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_front),
		cmocka_unit_test(test_api_conference),
		cmocka_unit_test(test_api_plan),
		cmocka_unit_test(test_api_review_and_end),
		cmocka_unit_test(test_forms_walk),
		cmocka_unit_test(test_refusals_assessment_strategy),
		cmocka_unit_test(test_refusals_emergency_s47),
		cmocka_unit_test(test_refusals_conferences),
		cmocka_unit_test(test_refusals_plan),
		cmocka_unit_test(test_demo_caseload),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
