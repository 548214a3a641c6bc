/* The front half of the child protection pathway over HTTP against the real server: one family from contact through
 * referral decision, assessment, strategy discussion and section 47 enquiry to the outcome "initial conference
 * needed", and a refusal test for every rule of spec sections 5.1 to 5.5 the system enforces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testsrv.h"

static struct testsrv srv;
static struct client sw, mgr, smgr;     /* asha.patel (team A), dan.hughes (team A manager), erin.walsh */
static char mgr_id[64], sw_id[64];

static int setup(void **state)
{
	testsrv_start(&srv, true);
	client_init(&sw, &srv);
	client_init(&mgr, &srv);
	client_init(&smgr, &srv);
	assert_int_equal(client_login(&sw, "asha.patel", DEMO_PASSWORD), 201);
	assert_int_equal(client_login(&mgr, "dan.hughes", DEMO_PASSWORD), 201);
	assert_int_equal(client_login(&smgr, "erin.walsh", DEMO_PASSWORD), 201);
	struct http_resp r;
	assert_int_equal(client_req(&mgr, "GET", "/api/v1/session", NULL, NULL, &r), 200);
	snprintf(mgr_id, sizeof mgr_id, "%s", json_string_value(json_object_get(json_object_get(r.json, "user"), "id")));
	resp_free(&r);
	assert_int_equal(client_req(&sw, "GET", "/api/v1/session", NULL, NULL, &r), 200);
	snprintf(sw_id, sizeof sw_id, "%s", json_string_value(json_object_get(json_object_get(r.json, "user"), "id")));
	resp_free(&r);
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(testsrv_stop(&srv), 0);
	return 0;
}

/* Sends a request and checks the status; returns the JSON body (a new reference; NULL for a non-JSON body). */
/* A refusal names what was wrong: some error's field or message contains `want`. */
static void expect_stage(const char *case_id, const char *want)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/cases/%s/pathway", case_id);
	json_t *v = tc_call(&sw, "GET", path, NULL, 200);
	if (strcmp(tc_str(v, "stage"), want) != 0)
		fail_msg("case %s at %s, want %s", case_id, tc_str(v, "stage"), want);
	json_decref(v);
}

#define PROFESSIONAL_CONTACT \
	"{\"received_at\":\"2026-03-02T09:15\",\"channel\":\"PHONE\",\"contact_type\":\"CONTACT_REFERRAL\"," \
	"\"referrer_type\":\"PROFESSIONAL\",\"referrer_name\":\"Ms Teacher\",\"referrer_role\":\"Designated lead\"," \
	"\"referrer_agency_name\":\"Riverside Primary\",\"feedback_method\":\"EMAIL\"," \
	"\"concern_summary\":\"Bruising seen on the arm; the child says a parent grabbed them.\"," \
	"\"parental_agreement\":\"AGREED\",\"children\":[%s]}"

struct family {
	char contact[64], child1[64], child2[64], case1[64], case2[64], ref1[64], ref2[64];
};

static struct family fam;

/* ST-01..ST-04: search first, then a contact about two siblings recorded at the front door. */
static void test_front_door(void **state)
{
	json_t *r = tc_call(&sw, "GET", "/api/v1/children?q=Pathwalker", NULL, 200);
	assert_int_equal(json_array_size(json_object_get(r, "results")), 0);
	json_decref(r);
	r = tc_callf(&sw, "POST", 201, "/api/v1/contacts", PROFESSIONAL_CONTACT,
	          "{\"forenames\":\"Ada\",\"surname\":\"Pathwalker\",\"dob\":\"2018-04-04\",\"gender\":\"female\"},"
	          "{\"forenames\":\"Ben\",\"surname\":\"Pathwalker\",\"dob\":\"2020-06-06\"}");
	snprintf(fam.contact, sizeof fam.contact, "%s", tc_str(r, "id"));
	json_t *kids = json_object_get(r, "children");
	assert_int_equal(json_array_size(kids), 2);
	snprintf(fam.child1, sizeof fam.child1, "%s", tc_str(json_array_get(kids, 0), "child_id"));
	snprintf(fam.child2, sizeof fam.child2, "%s", tc_str(json_array_get(kids, 1), "child_id"));
	snprintf(fam.case1, sizeof fam.case1, "%s", tc_str(json_array_get(kids, 0), "case_id"));
	snprintf(fam.case2, sizeof fam.case2, "%s", tc_str(json_array_get(kids, 1), "case_id"));
	assert_string_equal(tc_str(json_array_get(kids, 0), "stage"), "contact");
	json_decref(r);
	/* The search now finds them, saying why. */
	r = tc_call(&sw, "GET", "/api/v1/children?q=Pathwalker", NULL, 200);
	assert_int_equal(json_array_size(json_object_get(r, "results")), 2);
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(json_array_get(json_object_get(r, "results"), 0), "match_reasons"), 0)),
	                    "name");
	json_decref(r);
	/* ST-04: one referral per child; the receipt starts their clocks. A spoken referral awaits written confirmation. */
	char path[160];
	snprintf(path, sizeof path, "/api/v1/contacts/%s/referrals", fam.contact);
	r = tc_call(&sw, "POST", path,
	         "{\"verbal\":true,\"received_at\":\"2026-03-02T10:00\",\"concern_description\":\"Bruising; disclosure\"}",
	         201);
	kids = json_object_get(r, "children");
	snprintf(fam.ref1, sizeof fam.ref1, "%s", tc_str(json_array_get(kids, 0), "referral_id"));
	snprintf(fam.ref2, sizeof fam.ref2, "%s", tc_str(json_array_get(kids, 1), "referral_id"));
	json_decref(r);
	expect_stage(fam.case1, "referral");
	expect_stage(fam.case2, "referral");
	/* Converting again is not possible: the cases have left the contact stage. */
	r = tc_call(&sw, "POST", path, "{}", 409);
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/children/%s/clocks", fam.child1);
	r = tc_call(&sw, "GET", path, NULL, 200);
	bool t06 = false, t05 = false, t16 = false;
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(r, "items"), i, c) {
		const char *rule = json_string_value(json_object_get(c, "rule_id"));
		t06 = t06 || strcmp(rule, "T-06") == 0;
		t05 = t05 || strcmp(rule, "T-05") == 0;
		t16 = t16 || strcmp(rule, "T-16") == 0;
	}
	assert_true(t06 && t05 && t16);
	json_decref(r);
}

/* ST-05: acknowledgement logged, a manager's decision with reasons, per child. */
static void test_referral_decision(void **state)
{
	char path[160];
	snprintf(path, sizeof path, "/api/v1/referrals/%s/decision", fam.ref1);
	/* a social worker cannot make the decision. */
	json_t *r = tc_call(&sw, "POST", path, "{\"decision\":\"REF_STRATEGY\",\"decision_reasons\":\"x\"}", 403);
	json_decref(r);
	expect_stage(fam.case1, "referral");
	snprintf(path, sizeof path, "/api/v1/cases/%s/communications", fam.case1);
	r = tc_call(&sw, "POST", path,
	         "{\"recipient_type\":\"REFERRER\",\"purpose\":\"ACKNOWLEDGEMENT\",\"channel\":\"EMAIL\","
	         "\"sent_at\":\"2026-03-02T11:00\",\"summary\":\"Received; decision by tomorrow\",\"rule_id\":\"T-08\"}",
	         201);
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/referrals/%s/decision", fam.ref1);
	/* the strategy discussion's category is required. */
	r = tc_call(&mgr, "POST", path, "{\"decision\":\"REF_STRATEGY\",\"decision_reasons\":\"Disclosure of assault\"}", 422);
	tc_expect_reason(r, "smd_category");
	json_decref(r);
	/* not telling the family needs a reason. */
	r = tc_call(&mgr, "POST", path,
	         "{\"decision\":\"REF_STRATEGY\",\"decision_reasons\":\"Disclosure\",\"smd_category\":\"SMD_SERIOUS_SAME_DAY\","
	         "\"family_informed\":false}",
	         422);
	tc_expect_reason(r, "family_not_informed_reason");
	json_decref(r);
	r = tc_call(&mgr, "POST", path,
	         "{\"decision\":\"REF_STRATEGY\",\"decision_reasons\":\"Disclosure of assault by a parent\","
	         "\"reasonable_cause_s47\":true,\"smd_category\":\"SMD_SERIOUS_SAME_DAY\",\"family_informed\":false,"
	         "\"family_not_informed_reason\":\"JEOPARDISE_POLICE_INVESTIGATION\"}",
	         200);
	assert_true(tc_has_warning(r, "R-04", NULL)); /* the spoken referral is not confirmed in writing yet */
	assert_true(tc_has_warning(r, "R-07", NULL)); /* no decision feedback logged yet */
	assert_false(tc_has_warning(r, "R-05", NULL)); /* the acknowledgement was logged */
	json_decref(r);
	expect_stage(fam.case1, "strategy");
	/* Deciding again is an illegal transition. */
	r = tc_call(&mgr, "POST", path, "{\"decision\":\"REF_NFA\",\"decision_reasons\":\"again\"}", 409);
	json_decref(r);
	/* The sibling gets a decision of their own. */
	snprintf(path, sizeof path, "/api/v1/referrals/%s/decision", fam.ref2);
	r = tc_call(&mgr, "POST", path,
	         "{\"decision\":\"REF_ASSESSMENT\",\"decision_reasons\":\"Sibling: needs assessing\",\"family_informed\":true}",
	         200);
	json_decref(r);
	expect_stage(fam.case2, "assessment");
	/* The written confirmation arrives; feedback is logged. */
	snprintf(path, sizeof path, "/api/v1/cases/%s/communications", fam.case1);
	r = tc_call(&sw, "POST", path,
	         "{\"direction\":\"in\",\"recipient_type\":\"REFERRER\",\"purpose\":\"WRITTEN_CONFIRMATION\","
	         "\"channel\":\"EMAIL\",\"sent_at\":\"2026-03-02T16:00\"}",
	         201);
	json_decref(r);
	r = tc_call(&sw, "POST", path,
	         "{\"recipient_type\":\"REFERRER\",\"purpose\":\"DECISION_FEEDBACK\",\"channel\":\"PHONE\","
	         "\"sent_at\":\"2026-03-02T16:30\"}",
	         201);
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/referrals/%s", fam.ref1);
	r = tc_call(&sw, "GET", path, NULL, 200);
	assert_true(json_is_string(json_object_get(r, "written_confirmation_at")));
	assert_true(json_is_string(json_object_get(r, "acknowledged_at")));
	json_decref(r);
}

/* ST-06 and ST-07 for the sibling: seen alone, outcome, the manager's checklist, feedback, the CIN plan. */
static void test_assessment(void **state)
{
	char path[160];
	snprintf(path, sizeof path, "/api/v1/cases/%s/pathway", fam.case2);
	json_t *v = tc_call(&sw, "GET", path, NULL, 200);
	char aid[64];
	snprintf(aid, sizeof aid, "%s", tc_str(json_array_get(json_object_get(v, "assessments"), 0), "id"));
	json_decref(v);
	snprintf(path, sizeof path, "/api/v1/assessments/%s", aid);
	/* a family member cannot interpret. */
	json_t *r = tc_call(&sw, "PATCH", path, "{\"interpreter_used\":true,\"interpreter_is_family_member\":true}", 422);
	tc_expect_reason(r, "interpreter_is_family_member");
	json_decref(r);
	r = tc_call(&sw, "PATCH", path,
	         "{\"who_seen\":\"Ben, mother, Ada\",\"child_seen_at\":\"2026-03-04T10:00\",\"child_seen_alone\":true,"
	         "\"child_seen_alone_at\":\"2026-03-04T10:20\",\"child_views\":\"Likes school\",\"parents_seen\":true,"
	         "\"factors\":\"Domestic abuse in the home\",\"is_cin\":true}",
	         200);
	json_decref(r);
	/* The assessment clock may be extended only by a first line manager, with both reasons and a date. */
	snprintf(path, sizeof path, "/api/v1/assessments/%s/extension", aid);
	r = tc_call(&sw, "POST", path, "{\"sw_reason\":\"a\",\"manager_reason\":\"b\",\"new_due\":\"2026-06-30\"}", 403);
	json_decref(r);
	r = tc_call(&mgr, "POST", path, "{\"sw_reason\":\"Father not yet seen\",\"new_due\":\"2026-06-30\"}", 422);
	tc_expect_reason(r, "manager_reason");
	json_decref(r);
	r = tc_call(&mgr, "POST", path,
	         "{\"sw_reason\":\"Father not yet seen\",\"manager_reason\":\"File reviewed\",\"new_due\":\"2026-06-30\"}",
	         201);
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/assessments/%s/outcome", aid);
	r = tc_call(&sw, "POST", path, "{\"outcome\":\"ASMT_CIN_PLAN\",\"outcome_reasons\":\"Needs support\"}", 200);
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/assessments/%s/authorise", aid);
	/* the checklist must be complete; R-18: written feedback logged first. */
	r = tc_call(&mgr, "POST", path, "{\"chk_child_alone_views\":true}", 422);
	tc_expect_reason(r, "checklist");
	tc_expect_reason(r, "feedback");
	json_decref(r);
	expect_stage(fam.case2, "assessment");
	snprintf(path, sizeof path, "/api/v1/cases/%s/communications", fam.case2);
	r = tc_call(&sw, "POST", path,
	         "{\"recipient_type\":\"FAMILY\",\"purpose\":\"ASSESSMENT_OUTCOME\",\"channel\":\"WRITTEN\","
	         "\"sent_at\":\"2026-03-20T10:00\"}",
	         201);
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/assessments/%s/authorise", aid);
	r = tc_call(&mgr, "POST", path,
	         "{\"chk_child_alone_views\":true,\"chk_all_children_seen\":true,\"chk_home_and_bedroom\":true,"
	         "\"chk_parent_seen_views\":true,\"chk_histories_considered\":true,\"chk_analysis_complete\":true,"
	         "\"chk_evidence_for_services\":true,\"chk_records_chronology\":true,\"chk_review_planned\":true,"
	         "\"chk_plan_distributed\":true}",
	         200);
	json_decref(r);
	expect_stage(fam.case2, "cin");
	snprintf(path, sizeof path, "/api/v1/cases/%s/cin-plans", fam.case2);
	r = tc_call(&sw, "POST", path, "{\"services\":\"Family support\",\"agreed_at\":\"2026-03-21T10:00\"}", 422);
	tc_expect_reason(r, "measurable_outcomes");
	json_decref(r);
	r = tc_call(&sw, "POST", path,
	         "{\"services\":\"Family support worker weekly\",\"measurable_outcomes\":\"Attendance above 95%\","
	         "\"agreed_at\":\"2026-03-21T10:00\",\"next_review_date\":\"2026-09-21\"}",
	         201);
	json_decref(r);
	/* Closing a child in need case is a manager's decision, with the reason; its clocks stop. */
	snprintf(path, sizeof path, "/api/v1/cases/%s/close", fam.case2);
	r = tc_call(&sw, "POST", path, "{\"reason\":\"Outcomes met\"}", 422);
	tc_expect_reason(r, "manager");
	json_decref(r);
	r = tc_call(&mgr, "POST", path, "{}", 422);
	tc_expect_reason(r, "reason");
	json_decref(r);
	r = tc_call(&mgr, "POST", path, "{\"reason\":\"Outcomes met and sustained\"}", 200);
	assert_string_equal(tc_str(r, "stage"), "closed");
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/children/%s/clocks", fam.child2);
	r = tc_call(&smgr, "GET", path, NULL, 200); /* a closed case leaves the team's view; the service manager sees all */
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(r, "items"), i, c)
		assert_string_not_equal(json_string_value(json_object_get(c, "state")), "running");
	json_decref(r);
}

#define SMD_BODY \
	"{\"format\":\"SMD_MEETING\",\"category\":\"SMD_SERIOUS_SAME_DAY\",\"held_at\":\"2026-03-02T15:00\"," \
	"\"chair_name\":\"Dan Hughes\",\"chair_is_flm\":true,\"decision_s47\":\"S47_INITIATE\"," \
	"\"information_shared\":\"Police hold prior call-outs\",\"investigation_mode\":\"JOINT\"%s," \
	"\"participants\":[{\"name\":\"Dan Hughes\",\"agency_type\":\"CSC\",\"attended\":true,\"is_chair\":true," \
	"\"seniority_confirmed\":true},{\"name\":\"DC Rao\",\"agency_type\":\"POLICE\",\"attended\":%s," \
	"\"seniority_confirmed\":true},{\"name\":\"Nurse Hana\",\"agency_type\":\"HEALTH_SCHOOL_NURSE\",\"attended\":true," \
	"\"seniority_confirmed\":true},{\"name\":\"Ms Teacher\",\"agency_type\":\"EDUCATION_SCHOOL\",\"is_referrer\":true," \
	"\"attended\":true,\"seniority_confirmed\":true}]}"

static char s47_id[64], smd_id[64];

/* ST-08, ST-09, ST-10: emergency refusals, the police told, the strategy discussion that starts enquiries. */
static void test_strategy(void **state)
{
	char path[160], extra[600];
	snprintf(path, sizeof path, "/api/v1/cases/%s/police-notifications", fam.case1);
	json_t *r = tc_call(&sw, "POST", path,
	                 "{\"notified_at\":\"2026-03-02T12:00\",\"channel\":\"PHONE\",\"matters\":\"PHYSICAL_ABH_OR_MORE_SERIOUS\","
	                 "\"police_decision\":\"CRIMINAL_INVESTIGATION\"}",
	                 201);
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/cases/%s/strategy-discussions", fam.case1);
	/* the police are required. */
	snprintf(extra, sizeof extra, ",\"family_sharing_decision\":\"Nothing until police interview\","
	                              "\"police_consulted_at\":\"2026-03-02T14:00\",\"s47_authorised_by\":\"%s\"", mgr_id);
	r = tc_callf(&sw, "POST", 422, path, SMD_BODY, extra, "false");
	tc_expect_reason(r, "participants");
	tc_expect_reason(r, "police");
	json_decref(r);
	/* what may be shared with the family must be decided. */
	snprintf(extra, sizeof extra, ",\"police_consulted_at\":\"2026-03-02T14:00\",\"s47_authorised_by\":\"%s\"", mgr_id);
	r = tc_callf(&sw, "POST", 422, path, SMD_BODY, extra, "true");
	tc_expect_reason(r, "family_sharing_decision");
	json_decref(r);
	/* the manager's authorisation, and the police consulted. */
	r = tc_callf(&sw, "POST", 422, path, SMD_BODY, ",\"family_sharing_decision\":\"None yet\"", "true");
	tc_expect_reason(r, "s47_authorised_by");
	tc_expect_reason(r, "police_consulted_at");
	json_decref(r);
	snprintf(extra, sizeof extra, ",\"family_sharing_decision\":\"None yet\",\"police_consulted_at\":\"2026-03-02T14:00\","
	                              "\"s47_authorised_by\":\"%s\"", sw_id);
	r = tc_callf(&sw, "POST", 422, path, SMD_BODY, extra, "true");
	tc_expect_reason(r, "s47_authorised_by");
	json_decref(r);
	expect_stage(fam.case1, "strategy");
	snprintf(extra, sizeof extra,
	         ",\"family_sharing_decision\":\"Nothing until the police interview\",\"police_consulted_at\":"
	         "\"2026-03-02T14:00\",\"s47_authorised_by\":\"%s\",\"decisions\":\"Joint visit tomorrow\","
	         "\"further_smd_due\":\"2026-03-16\"",
	         mgr_id);
	r = tc_callf(&sw, "POST", 201, path, SMD_BODY, extra, "true");
	snprintf(smd_id, sizeof smd_id, "%s", tc_str(r, "id"));
	assert_int_equal(json_array_size(json_object_get(r, "participants")), 4);
	json_decref(r);
	expect_stage(fam.case1, "s47");
	snprintf(path, sizeof path, "/api/v1/cases/%s/pathway", fam.case1);
	json_t *v = tc_call(&sw, "GET", path, NULL, 200);
	snprintf(s47_id, sizeof s47_id, "%s", tc_str(json_array_get(json_object_get(v, "s47_enquiries"), 0), "id"));
	json_decref(v);
	/* The initial conference clock runs from this discussion (T-39). */
	snprintf(path, sizeof path, "/api/v1/children/%s/clocks", fam.child1);
	r = tc_call(&sw, "GET", path, NULL, 200);
	bool t39 = false;
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(r, "items"), i, c) t39 =
		t39 || (strcmp(json_string_value(json_object_get(c, "rule_id")), "T-39") == 0 &&
	                strcmp(json_string_value(json_object_get(c, "state")), "running") == 0);
	assert_true(t39);
	json_decref(r);
	/* A telephone discussion's record needs a manager before it goes out; a meeting's does not. */
	snprintf(path, sizeof path, "/api/v1/strategy-discussions/%s/circulate", smd_id);
	r = tc_call(&sw, "POST", path, "{}", 200);
	json_decref(r);
	/* emergency action refusals. */
	snprintf(path, sizeof path, "/api/v1/cases/%s/emergency-actions", fam.case1);
	r = tc_call(&sw, "POST", path, "{\"means\":\"EMERGENCY_PROTECTION_ORDER\",\"taken_at\":\"2026-03-03T09:00\"}", 422);
	tc_expect_reason(r, "legal_advice_at");
	json_decref(r);
	r = tc_call(&sw, "POST", path,
	         "{\"means\":\"POLICE_PROTECTION\",\"taken_at\":\"2026-03-03T09:00\",\"designated_officer_name\":\"Sgt X\","
	         "\"designated_officer_rank\":\"SERGEANT\",\"last_resort_reason\":\"No time\"}",
	         422);
	tc_expect_reason(r, "designated_officer_rank");
	json_decref(r);
	expect_stage(fam.case1, "s47");
}

/* ST-11..ST-14: informing the family, checks, the paediatric assessment, a missing child, the outcome, feedback. */
static void test_s47(void **state)
{
	char path[160], body[1024];
	snprintf(path, sizeof path, "/api/v1/s47/%s", s47_id);
	/* not telling the parents is the manager's decision. */
	json_t *r = tc_call(&sw, "PATCH", path, "{\"parents_not_informed_reason\":\"IMPEDE_CRIMINAL_INVESTIGATION\"}", 422);
	tc_expect_reason(r, "manager");
	json_decref(r);
	r = tc_call(&sw, "PATCH", path, "{\"parent_permission_for_checks\":\"REFUSED\"}", 422);
	tc_expect_reason(r, "proceed_despite_refusal_reason");
	json_decref(r);
	r = tc_call(&mgr, "PATCH", path, "{\"parents_not_informed_reason\":\"IMPEDE_CRIMINAL_INVESTIGATION\"}", 200);
	json_decref(r);
	r = tc_call(&sw, "PATCH", path,
	         "{\"child_seen_at\":\"2026-03-03T10:00\",\"child_seen_alone\":true,\"joint_visit_discussed\":true,"
	         "\"risk_assessment\":\"Risk of further assault\"}",
	         200);
	json_decref(r);
	/* a check names the professional, the reason and the consent passed on. */
	snprintf(path, sizeof path, "/api/v1/s47/%s/agency-checks", s47_id);
	r = tc_call(&sw, "POST", path, "{\"agency_name\":\"Harbour Surgery\",\"checked_at\":\"2026-03-03T11:00\"}", 422);
	tc_expect_reason(r, "professional_name");
	json_decref(r);
	r = tc_call(&sw, "POST", path,
	         "{\"agency_name\":\"Harbour Surgery\",\"professional_name\":\"Dr Green\",\"reason_given\":\"s47 enquiry\","
	         "\"consent_status\":\"NOT_SOUGHT\",\"checked_at\":\"2026-03-03T11:00\",\"contacted_directly\":false}",
	         201);
	assert_true(tc_has_warning(r, "R-11", NULL));
	json_decref(r);
	/* the paediatric assessment. */
	snprintf(path, sizeof path, "/api/v1/cases/%s/paediatric-assessments", fam.case1);
	r = tc_call(&sw, "POST", path,
	         "{\"record_kind\":\"FULL_EXAMINATION\",\"examiner_type\":\"NON_MEDICAL_STAFF\",\"examiner_name\":\"SW\","
	         "\"examined_at\":\"2026-03-03T13:00\",\"consent_given_by\":\"PERSON_WITH_PR\",\"consent_method\":\"WRITTEN\"}",
	         422);
	tc_expect_reason(r, "examiner_type");
	json_decref(r);
	r = tc_call(&sw, "POST", path,
	         "{\"record_kind\":\"FULL_EXAMINATION\",\"examiner_type\":\"CONSULTANT_PAEDIATRICIAN\",\"examiner_name\":"
	         "\"Dr Paed\",\"examined_at\":\"2026-03-03T13:00\"}",
	         422);
	tc_expect_reason(r, "consent_given_by");
	json_decref(r);
	r = tc_call(&sw, "POST", path,
	         "{\"record_kind\":\"FULL_EXAMINATION\",\"examiner_type\":\"CONSULTANT_PAEDIATRICIAN\",\"examiner_name\":"
	         "\"Dr Paed\",\"examined_at\":\"2026-03-03T13:00\",\"consent_given_by\":\"PERSON_WITH_PR\","
	         "\"consent_method\":\"WRITTEN\",\"report_sent_to\":\"GP\"}",
	         422);
	tc_expect_reason(r, "report_signed_by");
	json_decref(r);
	r = tc_call(&sw, "POST", path,
	         "{\"record_kind\":\"FULL_EXAMINATION\",\"examiner_type\":\"CONSULTANT_PAEDIATRICIAN\",\"examiner_name\":"
	         "\"Dr Paed\",\"examined_at\":\"2026-03-03T13:00\",\"consent_given_by\":\"PERSON_WITH_PR\","
	         "\"consent_method\":\"WRITTEN\",\"findings\":\"Fingertip bruising\",\"report_signed_by\":\"Dr Paed\","
	         "\"report_signed_at\":\"2026-03-03T17:00\",\"report_sent_to\":\"SW, GP, police\"}",
	         201);
	json_decref(r);
	/* ST-13: whereabouts unknown; the plan is agreed by a manager at a discussion with the police. */
	snprintf(path, sizeof path, "/api/v1/cases/%s/whereabouts", fam.case1);
	r = tc_call(&sw, "POST", path,
	         "{\"kind\":\"WHEREABOUTS_UNKNOWN\",\"recorded_at\":\"2026-03-04T09:00\",\"last_seen_at\":\"2026-03-03T18:00\"}",
	         201);
	char wid[64];
	snprintf(wid, sizeof wid, "%s", tc_str(r, "id"));
	assert_true(tc_has_warning(r, "R-42", NULL));
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/whereabouts/%s/plan", wid);
	snprintf(body, sizeof body, "{\"smd_id\":\"%s\",\"location_plan\":\"Police welfare check at grandmother's\"}",
	         smd_id);
	r = tc_call(&sw, "POST", path, body, 422);
	tc_expect_reason(r, "manager");
	json_decref(r);
	r = tc_call(&mgr, "POST", path, body, 200);
	json_decref(r);
	/* The outcome: a social worker cannot authorise it; the guards of 3.9 apply. */
	snprintf(path, sizeof path, "/api/v1/s47/%s/outcome", s47_id);
	r = tc_call(&sw, "POST", path, "{\"outcome\":\"S47_SUBSTANTIATED_ICPC\",\"icpc_decision_reasons\":\"x\"}", 403);
	json_decref(r);
	r = tc_call(&mgr, "POST", path, "{\"outcome\":\"S47_SUBSTANTIATED_ICPC\"}", 422); /* */
	tc_expect_reason(r, "icpc_decision_reasons");
	json_decref(r);
	r = tc_call(&mgr, "POST", path, "{\"outcome\":\"S47_NOT_SUBSTANTIATED\",\"icpc_decision_reasons\":\"Not met\"}", 422);
	tc_expect_reason(r, "all_children_and_carers_seen"); /* */
	json_decref(r);
	r = tc_call(&mgr, "POST", path,
	         "{\"outcome\":\"S47_SUBSTANTIATED_NO_CONTINUING_RISK\",\"icpc_decision_reasons\":\"Abuser left\","
	         "\"all_children_and_carers_seen\":true}",
	         422);
	tc_expect_reason(r, "agencies_agree_safety_plan"); /* R-48 (3.9.7) */
	json_decref(r);
	r = tc_call(&mgr, "POST", path,
	         "{\"outcome\":\"S47_SUBSTANTIATED_ICPC\",\"icpc_decision_reasons\":\"Significant harm likely; plan needed\","
	         "\"interim_safety_arrangements\":\"Father to stay away; daily school check\"}",
	         200);
	assert_true(tc_has_warning(r, "R-42", NULL)); /* the child was never recorded as found */
	json_decref(r);
	expect_stage(fam.case1, "s47_outcome");
	/* the agencies are told before the enquiry closes. */
	snprintf(path, sizeof path, "/api/v1/s47/%s/conclude", s47_id);
	r = tc_call(&mgr, "POST", path, "{}", 422);
	tc_expect_reason(r, "agencies");
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/cases/%s/communications", fam.case1);
	/* with a criminal investigation open, the family's feedback is agreed with the police first. */
	r = tc_call(&sw, "POST", path,
	         "{\"recipient_type\":\"PARENT\",\"purpose\":\"S47_OUTCOME\",\"channel\":\"IN_PERSON\","
	         "\"sent_at\":\"2026-03-05T10:00\"}",
	         422);
	tc_expect_reason(r, "content_agreed_with_police");
	json_decref(r);
	r = tc_call(&sw, "POST", path,
	         "{\"recipient_type\":\"AGENCY\",\"recipient_name\":\"Riverside Primary\",\"purpose\":\"S47_OUTCOME\","
	         "\"channel\":\"EMAIL\",\"sent_at\":\"2026-03-05T10:00\"}",
	         201);
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/s47/%s/conclude", s47_id);
	r = tc_call(&mgr, "POST", path, "{}", 200);
	assert_string_equal(tc_str(r, "stage"), "icpc_pending");
	json_decref(r);
	expect_stage(fam.case1, "icpc_pending");
	/* The whole walk is in the case's transitions and the child's chronology. */
	snprintf(path, sizeof path, "/api/v1/cases/%s/pathway", fam.case1);
	json_t *v = tc_call(&sw, "GET", path, NULL, 200);
	static const char *const walk[] = {"contact", "referral", "decided", "strategy", "s47", "s47_outcome",
	                                   "icpc_pending"};
	json_t *ts = json_object_get(v, "transitions");
	assert_int_equal(json_array_size(ts), sizeof walk / sizeof walk[0]);
	for (size_t i = 0; i < sizeof walk / sizeof walk[0]; i++)
		assert_string_equal(tc_str(json_array_get(ts, i), "to"), walk[i]);
	json_decref(v);
	snprintf(path, sizeof path, "/api/v1/children/%s/chronology", fam.child1);
	v = tc_call(&sw, "GET", path, NULL, 200);
	static const char *const kinds[] = {"contact", "referral", "referral_decision", "strategy_discussion",
	                                    "s47_started", "s47_outcome", "police_notification", "missing_episode"};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		bool found = false;
		size_t i;
		json_t *e;
		json_array_foreach(json_object_get(v, "items"), i, e) found =
			found || strcmp(json_string_value(json_object_get(e, "event_type")), kinds[k]) == 0;
		if (!found)
			fail_msg("no %s entry in the chronology", kinds[k]);
	}
	json_decref(v);
}

/* and closing a contact. */
static void test_intake_rules(void **state)
{
	/* a professional cannot be anonymous. */
	json_t *r = tc_call(&sw, "POST", "/api/v1/contacts",
	                 "{\"received_at\":\"2026-03-06T09:00\",\"channel\":\"PHONE\",\"contact_type\":\"CONTACT_REFERRAL\","
	                 "\"referrer_type\":\"PROFESSIONAL\",\"anonymous\":true,\"concern_summary\":\"x\","
	                 "\"feedback_method\":\"EMAIL\",\"children\":[{\"forenames\":\"Cy\",\"surname\":\"Anon\","
	                 "\"dob\":\"2017-01-01\"}]}",
	                 422);
	tc_expect_reason(r, "anonymous");
	json_decref(r);
	/* agreement not sought needs the reason. */
	r = tc_callf(&sw, "POST", 422, "/api/v1/contacts",
	          "{\"received_at\":\"2026-03-06T09:00\",\"channel\":\"PHONE\",\"contact_type\":\"CONTACT_REFERRAL\","
	          "\"referrer_type\":\"PROFESSIONAL\",\"referrer_name\":\"Dr X\",\"concern_summary\":\"x\","
	          "\"feedback_method\":\"EMAIL\",\"parental_agreement\":\"NOT_SOUGHT\",\"children\":[{\"child_id\":\"%s\"}]}",
	          fam.child1);
	tc_expect_reason(r, "parental_not_sought_reason");
	json_decref(r);
	/* Nothing was written by the refusals. */
	r = tc_call(&sw, "GET", "/api/v1/children?q=Anon", NULL, 200);
	assert_int_equal(json_array_size(json_object_get(r, "results")), 0);
	json_decref(r);
	/* An anonymous member of the public, out of hours, about a new child. */
	r = tc_call(&sw, "POST", "/api/v1/contacts",
	         "{\"received_at\":\"2026-03-07T23:10\",\"channel\":\"OUT_OF_HOURS_EDT\",\"contact_type\":\"CONTACT_REFERRAL\","
	         "\"referrer_type\":\"MEMBER_OF_PUBLIC\",\"referrer_name\":\"A neighbour\",\"anonymity_requested\":true,"
	         "\"feedback_method\":\"PHONE\",\"concern_summary\":\"Child left alone at night\","
	         "\"children\":[{\"forenames\":\"Dot\",\"surname\":\"Nightly\",\"dob\":\"2021-02-02\"}]}",
	         201);
	assert_true(json_is_true(json_object_get(r, "out_of_hours")));
	char contact[64], cas[64];
	snprintf(contact, sizeof contact, "%s", tc_str(r, "id"));
	snprintf(cas, sizeof cas, "%s", tc_str(json_array_get(json_object_get(r, "children"), 0), "case_id"));
	json_decref(r);
	char path[160];
	/* A request for services cannot be closed as a contact. */
	snprintf(path, sizeof path, "/api/v1/contacts/%s/close", contact);
	r = tc_call(&sw, "POST", path, "{\"reason\":\"Nothing to do\"}", 422);
	tc_expect_reason(r, "referral");
	json_decref(r);
	/* the neighbour's identity cannot go to the family. */
	snprintf(path, sizeof path, "/api/v1/cases/%s/communications", cas);
	r = tc_call(&sw, "POST", path,
	         "{\"recipient_type\":\"PARENT\",\"purpose\":\"OTHER\",\"channel\":\"PHONE\",\"sent_at\":\"2026-03-08T10:00\","
	         "\"discloses_referrer_identity\":true}",
	         422);
	tc_expect_reason(r, "discloses_referrer_identity");
	json_decref(r);
	/* the hospital hold. */
	snprintf(path, sizeof path, "/api/v1/cases/%s/hospital-holds", cas);
	r = tc_call(&sw, "POST", path, "{\"hospital_name\":\"Mid Essex\",\"placed_at\":\"2026-03-08T01:00\"}", 201);
	char hold[64];
	snprintf(hold, sizeof hold, "%s", tc_str(r, "id"));
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/hospital-holds/%s/release", hold);
	r = tc_call(&sw, "POST", path, "{}", 422);
	tc_expect_reason(r, "hospital's area");
	tc_expect_reason(r, "home area");
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/cases/%s/communications", cas);
	json_decref(tc_call(&sw, "POST", path,
	                 "{\"recipient_type\":\"HOSPITAL_AREA_CSC\",\"purpose\":\"HOSPITAL_NOTIFICATION\",\"channel\":\"PHONE\","
	                 "\"sent_at\":\"2026-03-08T01:30\"}",
	                 201));
	json_decref(tc_call(&sw, "POST", path,
	                 "{\"recipient_type\":\"HOME_AREA_CSC\",\"purpose\":\"HOSPITAL_NOTIFICATION\",\"channel\":\"PHONE\","
	                 "\"sent_at\":\"2026-03-08T01:40\"}",
	                 201));
	snprintf(path, sizeof path, "/api/v1/hospital-holds/%s/release", hold);
	r = tc_call(&sw, "POST", path, "{}", 422);
	tc_expect_reason(r, "smd_not_appropriate_reason");
	json_decref(r);
	r = tc_call(&sw, "POST", path, "{\"smd_not_appropriate_reason\":\"Accidental injury confirmed by consultant\"}", 200);
	json_decref(r);
	/* discussing the referral without permission needs a manager. */
	snprintf(path, sizeof path, "/api/v1/contacts/%s/referrals", contact);
	r = tc_call(&sw, "POST", path, "{}", 201);
	char ref[64];
	snprintf(ref, sizeof ref, "%s", tc_str(json_array_get(json_object_get(r, "children"), 0), "referral_id"));
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/referrals/%s/consent", ref);
	r = tc_call(&sw, "POST", path, "{\"checks_without_consent\":true,\"checks_without_consent_reason\":\"PREJUDICE_WELFARE\"}",
	         422);
	tc_expect_reason(r, "manager");
	json_decref(r);
	r = tc_call(&mgr, "POST", path, "{\"checks_without_consent\":true,\"checks_without_consent_reason\":\"PREJUDICE_WELFARE\"}",
	         200);
	assert_string_equal(tc_str(r, "checks_authorised_by"), mgr_id);
	json_decref(r);
	/* An information-only contact closes without a referral. */
	r = tc_call(&sw, "POST", "/api/v1/contacts",
	         "{\"received_at\":\"2026-03-09T09:00\",\"channel\":\"EMAIL\",\"contact_type\":\"CONTACT_INFO_REQUEST\","
	         "\"referrer_type\":\"OTHER_LA\",\"referrer_name\":\"Duty desk\",\"feedback_method\":\"EMAIL\","
	         "\"concern_summary\":\"Asks whether the family is known\",\"children\":[{\"forenames\":\"Eve\","
	         "\"surname\":\"Infoonly\",\"dob\":\"2015-05-05\"}]}",
	         201);
	snprintf(path, sizeof path, "/api/v1/contacts/%s/close", tc_str(r, "id"));
	snprintf(cas, sizeof cas, "%s", tc_str(json_array_get(json_object_get(r, "children"), 0), "case_id"));
	json_decref(r);
	r = tc_call(&sw, "POST", path, "{}", 422); /* a reason is required */
	tc_expect_reason(r, "reason");
	json_decref(r);
	r = tc_call(&sw, "POST", path, "{\"reason\":\"Information given; no concern\"}", 200);
	json_decref(r);
}

/* Someone outside the case sees it exactly as a missing one. */
static void test_outsider(void **state)
{
	struct client other;
	client_init(&other, &srv);
	assert_int_equal(client_login(&other, "cara.nolan", DEMO_PASSWORD), 201);
	char path[160];
	snprintf(path, sizeof path, "/api/v1/cases/%s/pathway", fam.case1);
	json_decref(tc_call(&other, "GET", path, NULL, 404));
	snprintf(path, sizeof path, "/api/v1/cases/%s/communications", fam.case1);
	json_decref(tc_call(&other, "POST", path,
	                 "{\"recipient_type\":\"PARENT\",\"purpose\":\"OTHER\",\"channel\":\"PHONE\",\"sent_at\":\"2026-03-08T10:00\"}",
	                 404));
}

static void page(struct client *c, const char *method, const char *path, const char *form, int want, const char *const *has)
{
	struct http_resp r;
	int got = client_req(c, method, path, form ? "application/x-www-form-urlencoded" : NULL, form, &r);
	if (got != want)
		fail_msg("%s %s: status %d, want %d: %.400s", method, path, got, want, buf_str(&r.body));
	for (; has && *has; has++)
		if (!strstr(buf_str(&r.body), *has))
			fail_msg("%s %s: the page lacks \"%s\"", method, path, *has);
	resp_free(&r);
}

/* The same operations through the HTML pages: search-first contact form, the case page, a refused form drawn again
 * with the error summary and everything typed, and a form that succeeds. */
static void test_pages(void **state)
{
	page(&sw, "GET", "/pathway/contacts/new?q=Pathwalker", NULL, 200,
	     (const char *const[]){"Record a contact", "Pathwalker", "Matched on name", "name=\"csrf\"", NULL});
	/* Refused: no child chosen, no concern; what was typed stays. */
	page(&sw, "POST", "/pathway/contacts",
	     "q=&referrer_name=Mr+Kept+Value&referrer_type=PROFESSIONAL&channel=PHONE&contact_type=CONTACT_REFERRAL"
	     "&received_at-day=9&received_at-month=3&received_at-year=2026&received_at-time=10%3A30",
	     422, (const char *const[]){"govuk-error-summary", "Mr Kept Value", "value=\"10:30\"", "#concern_summary", NULL});
	/* Accepted: a new child from the page, a member of the public who wants feedback by phone. */
	struct http_resp r;
	assert_int_equal(client_req(&sw, "POST", "/pathway/contacts", "application/x-www-form-urlencoded",
	                            "new0_forenames=Fay&new0_surname=Formpage&new0_dob-day=1&new0_dob-month=2&new0_dob-year=2019"
	                            "&referrer_type=MEMBER_OF_PUBLIC&referrer_name=Grandmother&channel=IN_PERSON"
	                            "&contact_type=CONTACT_REFERRAL&feedback_method=PHONE&concern_summary=Worried"
	                            "&received_at-day=9&received_at-month=3&received_at-year=2026&received_at-time=10%3A30",
	                            &r),
	                 303);
	const char *loc = resp_header(&r, "Location");
	assert_non_null(loc);
	assert_non_null(strstr(loc, "/pathway/contacts/"));
	char contact_page[160];
	snprintf(contact_page, sizeof contact_page, "%s", loc);
	resp_free(&r);
	page(&sw, "GET", contact_page, NULL, 200, (const char *const[]){"Formpage", "Convert to referrals", NULL});
	/* The case pages and a form. */
	char path[200];
	snprintf(path, sizeof path, "/pathway/cases/%s", fam.case1);
	page(&sw, "GET", path, NULL, 200,
	     (const char *const[]){"Case pathway", "Strategy meetings and discussions", "Communication log", "Stages", NULL});
	snprintf(path, sizeof path, "/pathway/cases/%s/communication", fam.case1);
	page(&sw, "GET", path, NULL, 200, (const char *const[]){"Log a communication", "govuk-select", NULL});
	page(&sw, "POST", path, "recipient_name=Kept+Name&channel=PHONE", 422,
	     (const char *const[]){"govuk-error-summary", "Kept Name", "href=\"#purpose\"", "href=\"#sent_at-day\"", NULL});
	page(&sw, "POST", path,
	     "recipient_type=POLICE&purpose=OTHER&channel=PHONE&sent_at-day=6&sent_at-month=3&sent_at-year=2026"
	     "&sent_at-time=09%3A00&summary=Update",
	     303, NULL);
	/* A social worker is not offered, and cannot use, a manager's form. */
	snprintf(path, sizeof path, "/pathway/s47/%s/outcome", s47_id);
	page(&sw, "GET", path, NULL, 403, NULL);
	/* Someone else's case looks missing. */
	struct client other;
	client_init(&other, &srv);
	assert_int_equal(client_login(&other, "cara.nolan", DEMO_PASSWORD), 201);
	snprintf(path, sizeof path, "/pathway/cases/%s", fam.case1);
	page(&other, "GET", path, NULL, 404, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_front_door),   cmocka_unit_test(test_referral_decision),
		cmocka_unit_test(test_assessment),   cmocka_unit_test(test_strategy),
		cmocka_unit_test(test_s47),          cmocka_unit_test(test_intake_rules),
		cmocka_unit_test(test_outsider),    cmocka_unit_test(test_pages),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
