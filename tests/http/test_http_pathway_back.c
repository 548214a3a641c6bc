/* The back half of the child protection pathway over HTTP against the real server: two siblings walked (through the
 * front half's commands) to "initial conference pending", then through the initial conference, the plan, core
 * groups, visits, a review that ends the plan, and the meeting after it; a move in on a plan and a birth; and a
 * refusal test for each rule of spec sections 5.6 to 5.9 that the system enforces. The parents' copy of the
 * conference record is checked byte for byte for what the chair withheld. */
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

#define WITHHELD_NOTE "Operation Nightjar: the police are watching the address until 30 March"
#define WITHHELD_REPORT "Intelligence item 4471 from a covert source"

static struct testsrv srv;
static struct client sw, mgr, smgr, chair, police, health, edu, other;
static char sw_id[64], mgr_id[64], smgr_id[64], chair_id[64], police_id[64], health_id[64], edu_id[64];
static char csc_agency[64], police_agency[64], hv_agency[64], school_agency[64];

struct family {
	char child1[64], child2[64], case1[64], case2[64], mother[64], father[64];
};
static struct family fam;
static char conf_id[64], plan_id[64], transfer_conf[64], planned_meeting[64], mover[64];

static int setup(void **state)
{
	testsrv_start(&srv, true);
	tc_login(&srv, &sw, "asha.patel", sw_id);
	tc_login(&srv, &mgr, "dan.hughes", mgr_id);
	tc_login(&srv, &smgr, "erin.walsh", smgr_id);
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

static void expect_stage(const char *case_id, const char *want)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/cases/%s/pathway", case_id);
	json_t *v = tc_call(&sw, "GET", path, NULL, 200);
	if (strcmp(tc_str(v, "stage"), want) != 0)
		fail_msg("case %s at %s, want %s", case_id, tc_str(v, "stage"), want);
	json_decref(v);
}

/* The running (or any) clock of a rule on a child: its due moment, or NULL. */
static char *clock_due(const char *child, const char *rule, const char *state)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/children/%s/clocks", child);
	json_t *r = tc_call(&sw, "GET", path, NULL, 200);
	char *due = NULL;
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(r, "items"), i, c) {
		if (strcmp(tc_str(c, "rule_id"), rule) == 0 && (!state || strcmp(tc_str(c, "state"), state) == 0)) {
			json_t *d = json_object_get(c, "due_at");
			due = json_is_string(d) ? strdup(json_string_value(d)) : json_is_integer(d) ? strdup("int") : NULL;
			if (json_is_integer(d)) {
				free(due);
				char buf[32];
				snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(d));
				due = strdup(buf);
			}
		}
	}
	json_decref(r);
	return due;
}

/* ---- the front half, through its own commands, to "initial conference pending" ---- */

#define SMD_BODY \
	"{\"format\":\"SMD_MEETING\",\"category\":\"SMD_SERIOUS_SAME_DAY\",\"held_at\":\"2026-03-02T15:00\"," \
	"\"chair_name\":\"Dan Hughes\",\"chair_is_flm\":true,\"decision_s47\":\"S47_INITIATE\"," \
	"\"information_shared\":\"Police hold prior call-outs\",\"investigation_mode\":\"JOINT\"," \
	"\"family_sharing_decision\":\"Nothing until the police interview\",\"police_consulted_at\":\"2026-03-02T14:00\"," \
	"\"s47_authorised_by\":\"%s\",\"decisions\":\"Joint visit tomorrow\",\"further_smd_due\":\"2026-03-16\"," \
	"\"participants\":[{\"name\":\"Dan Hughes\",\"agency_type\":\"CSC\",\"attended\":true,\"is_chair\":true," \
	"\"seniority_confirmed\":true},{\"name\":\"DC Rao\",\"agency_type\":\"POLICE\",\"attended\":true," \
	"\"seniority_confirmed\":true},{\"name\":\"Nurse Hana\",\"agency_type\":\"HEALTH_SCHOOL_NURSE\",\"attended\":true," \
	"\"seniority_confirmed\":true}]}"

static void link_parent(const char *child, const char *person, const char *type)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/children/%s/relationships", child);
	json_decref(tc_callf(&sw, "POST", 201, path,
	                  "{\"person_id\":\"%s\",\"relationship_type\":\"%s\",\"has_parental_responsibility\":true}",
	                  person, type));
}

static void walk_to_icpc_pending(const char *child_case)
{
	char path[160];
	snprintf(path, sizeof path, "/api/v1/cases/%s/strategy-discussions", child_case);
	json_decref(tc_callf(&sw, "POST", 201, path, SMD_BODY, mgr_id));
	snprintf(path, sizeof path, "/api/v1/cases/%s/pathway", child_case);
	json_t *v = tc_call(&sw, "GET", path, NULL, 200);
	char s47[64];
	snprintf(s47, sizeof s47, "%s", tc_str(json_array_get(json_object_get(v, "s47_enquiries"), 0), "id"));
	json_decref(v);
	snprintf(path, sizeof path, "/api/v1/s47/%s/outcome", s47);
	json_decref(tc_call(&mgr, "POST", path,
	                 "{\"outcome\":\"S47_SUBSTANTIATED_ICPC\",\"icpc_decision_reasons\":\"Significant harm likely\","
	                 "\"interim_safety_arrangements\":\"Father to stay away; daily school check\"}",
	                 200));
	snprintf(path, sizeof path, "/api/v1/cases/%s/communications", child_case);
	json_decref(tc_call(&sw, "POST", path,
	                 "{\"recipient_type\":\"AGENCY\",\"recipient_name\":\"Riverside Primary\",\"purpose\":\"S47_OUTCOME\","
	                 "\"channel\":\"EMAIL\",\"sent_at\":\"2026-03-05T10:00\"}",
	                 201));
	snprintf(path, sizeof path, "/api/v1/s47/%s/conclude", s47);
	json_decref(tc_call(&mgr, "POST", path, "{}", 200));
	expect_stage(child_case, "icpc_pending");
}

static void test_to_icpc_pending(void **state)
{
	json_t *r = tc_call(&sw, "POST", "/api/v1/contacts",
	                 "{\"received_at\":\"2026-03-02T09:15\",\"channel\":\"PHONE\",\"contact_type\":\"CONTACT_REFERRAL\","
	                 "\"referrer_type\":\"PROFESSIONAL\",\"referrer_name\":\"Ms Teacher\",\"referrer_role\":\"Lead\","
	                 "\"referrer_agency_name\":\"Riverside Primary\",\"feedback_method\":\"EMAIL\","
	                 "\"concern_summary\":\"Bruising; the child says a parent grabbed them.\","
	                 "\"parental_agreement\":\"AGREED\",\"children\":[{\"forenames\":\"Cora\",\"surname\":\"Backhalf\","
	                 "\"dob\":\"2018-04-04\",\"gender\":\"female\"},{\"forenames\":\"Dev\",\"surname\":\"Backhalf\","
	                 "\"dob\":\"2020-06-06\"}]}",
	                 201);
	json_t *kids = json_object_get(r, "children");
	char contact[64], path[160];
	/* child1 is Cora, the elder (conferences list children oldest first, so her decision is c0). */
	for (size_t i = 0; i < 2; i++) {
		json_t *k = json_array_get(kids, i);
		snprintf(path, sizeof path, "/api/v1/children/%s", tc_str(k, "child_id"));
		json_t *c = tc_call(&sw, "GET", path, NULL, 200);
		bool cora = strcmp(tc_str(c, "forenames"), "Cora") == 0;
		json_decref(c);
		snprintf(cora ? fam.child1 : fam.child2, 64, "%s", tc_str(k, "child_id"));
		snprintf(cora ? fam.case1 : fam.case2, 64, "%s", tc_str(k, "case_id"));
	}
	snprintf(contact, sizeof contact, "%s", tc_str(r, "id"));
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/contacts/%s/referrals", contact);
	r = tc_call(&sw, "POST", path, "{\"received_at\":\"2026-03-02T10:00\",\"concern_description\":\"Bruising; disclosure\"}",
	         201);
	kids = json_object_get(r, "children");
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "/api/v1/referrals/%s/decision", tc_str(json_array_get(kids, i), "referral_id"));
		json_decref(tc_call(&mgr, "POST", path,
		                 "{\"decision\":\"REF_STRATEGY\",\"decision_reasons\":\"Disclosure of assault by a parent\","
		                 "\"reasonable_cause_s47\":true,\"smd_category\":\"SMD_SERIOUS_SAME_DAY\","
		                 "\"family_informed\":false,\"family_not_informed_reason\":\"JEOPARDISE_POLICE_INVESTIGATION\"}",
		                 200));
	}
	json_decref(r);
	r = tc_call(&sw, "POST", "/api/v1/persons", "{\"forenames\":\"Mara\",\"surname\":\"Backhalf\"}", 201);
	snprintf(fam.mother, sizeof fam.mother, "%s", tc_str(r, "id"));
	json_decref(r);
	r = tc_call(&sw, "POST", "/api/v1/persons", "{\"forenames\":\"Rex\",\"surname\":\"Backhalf\"}", 201);
	snprintf(fam.father, sizeof fam.father, "%s", tc_str(r, "id"));
	json_decref(r);
	link_parent(fam.child1, fam.mother, "mother");
	link_parent(fam.child2, fam.mother, "mother");
	link_parent(fam.child1, fam.father, "father");
	link_parent(fam.child2, fam.father, "father");
	/* no conference before the strategy discussion that started the enquiry exists. */
	r = tc_callf(&sw, "POST", 409, "/api/v1/conferences",
	          "{\"conf_type\":\"CONF_INITIAL\",\"child_ids\":[\"%s\"],\"scheduled_at\":\"2026-03-20T10:00\"}", fam.child1);
	tc_expect_reason(r, "section 47");
	json_decref(r);
	walk_to_icpc_pending(fam.case1);
	walk_to_icpc_pending(fam.case2);
}

/* ---- ST-16: convening the initial conference, with its guards ---- */

static void test_schedule(void **state)
{
	char body[1024];
	/* not before the strategy discussion that started the enquiry, and not after the 15 working days. */
	json_t *r = tc_callf(&sw, "POST", 409, "/api/v1/conferences",
	                  "{\"conf_type\":\"CONF_INITIAL\",\"child_ids\":[\"%s\",\"%s\"],\"scheduled_at\":\"2026-03-01T10:00\","
	                  "\"chair_user_id\":\"%s\",\"chair_independence_confirmed\":true}",
	                  fam.child1, fam.child2, chair_id);
	tc_expect_reason(r, "strategy discussion");
	json_decref(r);
	r = tc_callf(&sw, "POST", 409, "/api/v1/conferences",
	          "{\"conf_type\":\"CONF_INITIAL\",\"child_ids\":[\"%s\"],\"scheduled_at\":\"2026-04-30T10:00\","
	          "\"chair_user_id\":\"%s\",\"chair_independence_confirmed\":true}",
	          fam.child1, chair_id);
	tc_expect_reason(r, "R-53");
	tc_expect_reason(r, "T-39");
	json_decref(r);
	/* a pre-birth conference is for an unborn child. */
	r = tc_callf(&sw, "POST", 422, "/api/v1/conferences",
	          "{\"conf_type\":\"CONF_PRE_BIRTH\",\"child_ids\":[\"%s\"],\"scheduled_at\":\"2026-03-20T10:00\"}", fam.child1);
	tc_expect_reason(r, "R-97");
	json_decref(r);
	/* the chair must be independent, and confirmed so. */
	r = tc_callf(&sw, "POST", 422, "/api/v1/conferences",
	          "{\"conf_type\":\"CONF_INITIAL\",\"child_ids\":[\"%s\"],\"scheduled_at\":\"2026-03-20T10:00\","
	          "\"chair_user_id\":\"%s\",\"chair_independence_confirmed\":true}",
	          fam.child1, mgr_id);
	tc_expect_reason(r, "R-54");
	json_decref(r);
	r = tc_callf(&sw, "POST", 422, "/api/v1/conferences",
	          "{\"conf_type\":\"CONF_INITIAL\",\"child_ids\":[\"%s\"],\"scheduled_at\":\"2026-03-20T10:00\","
	          "\"chair_user_id\":\"%s\"}",
	          fam.child1, chair_id);
	tc_expect_reason(r, "chair_independence_confirmed");
	json_decref(r);
	/* A review needs a plan to review. */
	r = tc_callf(&sw, "POST", 409, "/api/v1/conferences",
	          "{\"conf_type\":\"CONF_REVIEW\",\"child_ids\":[\"%s\"],\"scheduled_at\":\"2026-03-20T10:00\"}", fam.child1);
	tc_expect_reason(r, "plan");
	json_decref(r);
	snprintf(body, sizeof body,
	         "{\"conf_type\":\"CONF_INITIAL\",\"child_ids\":[\"%s\",\"%s\"],\"scheduled_at\":\"2026-03-20T10:00\","
	         "\"venue\":\"Civic Centre\",\"childcare_offered\":true,\"chair_user_id\":\"%s\","
	         "\"chair_independence_confirmed\":true}",
	         fam.child1, fam.child2, chair_id);
	r = tc_call(&sw, "POST", "/api/v1/conferences", body, 201);
	snprintf(conf_id, sizeof conf_id, "%s", tc_str(r, "id"));
	assert_int_equal(json_array_size(json_object_get(r, "children")), 2);
	json_decref(r);
	/* One conference at a time for a child. */
	r = tc_call(&sw, "POST", "/api/v1/conferences", body, 409);
	json_decref(r);
	/* The backward report deadlines follow the meeting when it moves (2.1 note 3). */
	char *before = clock_due(fam.child1, "T-55", "running");
	assert_non_null(before);
	char path[128];
	snprintf(path, sizeof path, "/api/v1/conferences/%s", conf_id);
	r = tc_call(&sw, "PATCH", path, "{\"scheduled_at\":\"2026-03-19T10:00\"}", 422);
	tc_expect_reason(r, "reschedule_reason");
	json_decref(r);
	json_decref(tc_call(&sw, "PATCH", path,
	                 "{\"scheduled_at\":\"2026-03-19T10:00\",\"reschedule_reason\":\"Police officer in court on the 20th\"}",
	                 200));
	char *after = clock_due(fam.child1, "T-55", "running");
	assert_non_null(after);
	assert_string_not_equal(before, after);
	free(before);
	free(after);
}

/* ---- preparing: invitations, reports, exclusion, participation, the record's sections ---- */

static char excl_id[64], police_inv[64], sw_inv[64], hv_inv[64], edu_inv[64];

static void invite(const char *user, const char *role, const char *agency, char out[64])
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/conferences/%s/invitations", conf_id);
	json_t *r = tc_callf(&sw, "POST", 201, path,
	                  "{\"user_id\":\"%s\",\"attendee_role\":\"%s\",\"agency_id\":\"%s\",\"direct_contact\":true}",
	                  user, role, agency);
	if (out)
		snprintf(out, 64, "%s", tc_str(r, "id"));
	json_decref(r);
}

static void test_prepare(void **state)
{
	char path[160];
	snprintf(path, sizeof path, "/api/v1/conferences/%s/decision", conf_id);
	/* nobody has been invited yet, so no parents and no quorum. */
	json_t *r = tc_call(&chair, "POST", path,
	                 "{\"held_at\":\"2026-03-19T10:30\",\"minute_taker\":\"Pat Minutes\",\"children\":[]}", 409);
	tc_expect_reason(r, "R-57");
	tc_expect_reason(r, "R-55");
	json_decref(r);
	/* an observer needs both consents. */
	snprintf(path, sizeof path, "/api/v1/conferences/%s/invitations", conf_id);
	r = tc_call(&sw, "POST", path,
	         "{\"name\":\"Student Social Worker\",\"attendee_role\":\"PROFESSIONAL_OBSERVER\","
	         "\"observer_chair_consent\":true}",
	         422);
	tc_expect_reason(r, "R-60");
	json_decref(r);
	json_decref(tc_callf(&sw, "POST", 201, path, "{\"person_id\":\"%s\",\"attendee_role\":\"PARENT\","
	                                          "\"pre_meeting_offered\":true}", fam.mother));
	r = tc_callf(&sw, "POST", 201, path, "{\"person_id\":\"%s\",\"attendee_role\":\"PARENT\"}", fam.father);
	assert_true(tc_has_warning(r, "R-57", NULL)); /* no pre-meeting with the chair offered */
	json_decref(r);
	invite(sw_id, "CSC_SW", csc_agency, sw_inv);
	invite(police_id, "POLICE", police_agency, police_inv);
	invite(health_id, "HEALTH_HV", hv_agency, hv_inv);
	invite(edu_id, "EDUCATION", school_agency, edu_inv);
	/* The invited police officer can now read the child's record and give a report (involved, issue 7). */
	snprintf(path, sizeof path, "/api/v1/children/%s", fam.child1);
	json_decref(tc_call(&police, "GET", path, NULL, 200));
	json_decref(tc_call(&other, "GET", path, NULL, 404));
	snprintf(path, sizeof path, "/api/v1/conferences/%s/reports", conf_id);
	r = tc_call(&sw, "POST", path,
	         "{\"report_type\":\"REPORT_CSC\",\"title\":\"Social care report\",\"content\":\"Both children seen alone.\","
	         "\"fact_opinion_distinguished\":true,\"each_child_considered\":true,\"submitted_at\":\"2026-03-16T09:00\"}",
	         201);
	char csc_report[64];
	snprintf(csc_report, sizeof csc_report, "%s", tc_str(r, "id"));
	json_decref(r);
	r = tc_callf(&police, "POST", 201, path,
	          "{\"report_type\":\"REPORT_AGENCY\",\"agency_id\":\"%s\",\"title\":\"Police report\",\"content\":\"%s\","
	          "\"withheld_from_family\":true,\"withholding_reason\":\"Live investigation\","
	          "\"submitted_at\":\"2026-03-16T12:00\"}",
	          police_agency, WITHHELD_REPORT);
	assert_true(tc_has_warning(r, "R-68", NULL)); /* fact and opinion not confirmed as kept apart */
	json_decref(r);
	r = tc_call(&police, "POST", path,
	         "{\"report_type\":\"REPORT_AGENCY\",\"title\":\"x\",\"content\":\"y\",\"withheld_from_family\":true}", 422);
	tc_expect_reason(r, "agency_id");
	tc_expect_reason(r, "withholding_reason");
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/conference-reports/%s/shared", csc_report);
	json_decref(tc_call(&sw, "POST", path, "{\"shared_with_family_at\":\"2026-03-17T09:00\"}", 200));
	/* The report clocks of this conference were met. */
	char *met = clock_due(fam.child1, "T-55", "met");
	assert_non_null(met);
	free(met);
	/* ST-16a: exclusion, R-58. */
	snprintf(path, sizeof path, "/api/v1/conferences/%s/exclusions", conf_id);
	r = tc_callf(&sw, "POST", 422, path, "{\"person_id\":\"%s\",\"evidence\":\"Threats to the teacher\"}", fam.father);
	tc_expect_reason(r, "R-58");
	json_decref(r);
	r = tc_callf(&sw, "POST", 201, path,
	          "{\"person_id\":\"%s\",\"grounds\":[\"EXCL_PROFESSIONAL_INTIMIDATION\",\"EXCL_DISRUPTIVE_BEHAVIOUR\"],"
	          "\"evidence\":\"Threatened the class teacher on 10 March\"}",
	          fam.father);
	snprintf(excl_id, sizeof excl_id, "%s", tc_str(r, "id"));
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/conference-exclusions/%s/decision", excl_id);
	json_decref(tc_call(&sw, "POST", path, "{\"decision\":\"EXCL_PART\"}", 403)); /* only a chair */
	r = tc_call(&chair, "POST", path, "{\"decision\":\"EXCL_PART\"}", 422);
	tc_expect_reason(r, "period");
	tc_expect_reason(r, "views_arrangements");
	json_decref(r);
	r = tc_call(&chair, "POST", path,
	         "{\"decision\":\"EXCL_PART\",\"period\":\"While the teacher speaks\",\"views_arrangements\":\"Advocate\","
	         "\"receives_record\":\"NONE\"}",
	         422);
	tc_expect_reason(r, "receives_record");
	json_decref(r);
	json_decref(tc_call(&chair, "POST", path,
	                 "{\"decision\":\"EXCL_PART\",\"period\":\"While the teacher speaks\",\"views_arrangements\":"
	                 "\"His advocate presents his written views\",\"receives_record\":\"PARTIAL\"}",
	                 200));
	/* under 12, attending in person is a prompt, not a refusal. */
	snprintf(path, sizeof path, "/api/v1/conferences/%s/participation", conf_id);
	r = tc_callf(&sw, "POST", 200, path, "{\"child_id\":\"%s\",\"participation\":\"ATTEND_PART\"}", fam.child1);
	assert_true(tc_has_warning(r, "R-59", NULL));
	json_decref(r);
	/* The chair's sections of the record; one is left out of the parents' copy, with a reason. */
	snprintf(path, sizeof path, "/api/v1/conferences/%s/notes", conf_id);
	json_decref(tc_call(&sw, "POST", path, "{\"heading\":\"x\",\"body\":\"y\"}", 403));
	r = tc_call(&chair, "POST", path, "{\"heading\":\"Police information\",\"body\":\"" WITHHELD_NOTE "\","
	                               "\"withheld_from_parents\":true}", 422);
	tc_expect_reason(r, "withholding_reason");
	json_decref(r);
	json_decref(tc_call(&chair, "POST", path,
	                 "{\"heading\":\"Police information\",\"body\":\"" WITHHELD_NOTE "\",\"withheld_from_parents\":true,"
	                 "\"withholding_reason\":\"Would prejudice a criminal investigation\"}",
	                 201));
	json_decref(tc_call(&chair, "POST", path,
	                 "{\"heading\":\"Discussion\",\"body\":\"The parents described the morning routine.\"}", 201));
}

/* ---- the conference: quorum, decision, views and dissent ---- */

static void attend(const char *inv)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/conference-invitations/%s", inv);
	json_decref(tc_call(&sw, "PATCH", path, "{\"attendance\":\"IN_PERSON\"}", 200));
}

#define PLAN_CHILD_FMT \
	"{\"child_id\":\"%s\",\"decision\":\"ICPC_PLAN\",\"decision_reasons\":\"Neglect is likely to continue\"," \
	"\"category\":\"CP_CAT_NEGLECT\",\"likelihood_basis\":\"LIKELIHOOD_HARM_SHOWN\",\"risks_stated\":\"Hunger\"," \
	"\"what_needs_to_change\":\"Regular meals\",\"lead_sw_user_id\":\"%s\",\"first_core_group_at\":\"%s\"," \
	"\"core_group_frequency_weeks\":6,\"visit_frequency_weeks\":%d,\"next_review_at\":\"2026-06-10\"," \
	"\"contingency_plan\":\"Legal planning meeting if no progress\",\"outline_outcomes\":\"Cora eats three meals a day\\n" \
	"Cora attends school every day\",\"core_group\":[%s]}"

static void test_decide(void **state)
{
	char path[160], core[512], kid1[4096], body[12288];
	attend(sw_inv);
	attend(hv_inv);
	attend(edu_inv);
	snprintf(path, sizeof path, "/api/v1/conferences/%s/quorum", conf_id);
	json_t *q = tc_call(&chair, "GET", path, NULL, 200);
	assert_true(json_is_true(json_object_get(q, "quorate")));
	assert_false(json_is_true(json_object_get(q, "police_present")));
	json_decref(q);
	snprintf(core, sizeof core,
	         "{\"user_id\":\"%s\",\"name\":\"Hana Kowalski\",\"member_role\":\"HEALTH_HV\",\"agency_id\":\"%s\"},"
	         "{\"person_id\":\"%s\",\"name\":\"Mara Backhalf\",\"member_role\":\"PARENT\"}",
	         health_id, hv_agency, fam.mother);
	snprintf(kid1, sizeof kid1, PLAN_CHILD_FMT, fam.child1, sw_id, "2026-03-26T10:00", 4, core);
	char kid2[1024];
	snprintf(kid2, sizeof kid2,
	         "{\"child_id\":\"%s\",\"decision\":\"ICPC_NO_PLAN_CIN\",\"decision_reasons\":\"Younger; less exposed\","
	         "\"cin_recommendations\":\"Family support weekly\",\"step_down_considered\":true}",
	         fam.child2);
	snprintf(path, sizeof path, "/api/v1/conferences/%s/decision", conf_id);
	/* R-55 (4.3.3): an initial conference needs the police. */
	snprintf(body, sizeof body, "{\"held_at\":\"2026-03-19T10:30\",\"minute_taker\":\"Pat Minutes\",\"children\":[%s,%s]}",
	         kid1, kid2);
	json_t *r = tc_call(&chair, "POST", path, body, 409);
	tc_expect_reason(r, "police");
	json_decref(r);
	attend(police_inv);
	/* Only the named chair decides. */
	json_decref(tc_call(&sw, "POST", path, body, 403));
	json_decref(tc_call(&smgr, "POST", path, body, 404));
	/* every child has a decision, and a plan decision has all it needs. */
	snprintf(body, sizeof body, "{\"held_at\":\"2026-03-19T10:30\",\"minute_taker\":\"Pat Minutes\",\"children\":[%s]}",
	         kid1);
	r = tc_call(&chair, "POST", path, body, 422);
	tc_expect_reason(r, "children");
	json_decref(r);
	snprintf(kid1, sizeof kid1, PLAN_CHILD_FMT, fam.child1, sw_id, "2026-04-20T10:00", 6, "");
	snprintf(body, sizeof body, "{\"held_at\":\"2026-03-19T10:30\",\"minute_taker\":\"Pat Minutes\",\"children\":[%s,%s]}",
	         kid1, kid2);
	r = tc_call(&chair, "POST", path, body, 422);
	tc_expect_reason(r, "c0_first_core_group_at"); /* within 10 working days */
	tc_expect_reason(r, "c0_visit_frequency_weeks"); /* at least every 4 weeks */
	tc_expect_reason(r, "c0_core_group"); /* */
	json_decref(r);
	snprintf(kid1, sizeof kid1,
	         "{\"child_id\":\"%s\",\"decision\":\"ICPC_PLAN\",\"decision_reasons\":\"Neglect\",\"risks_stated\":\"x\"}",
	         fam.child1);
	snprintf(body, sizeof body,
	         "{\"held_at\":\"2026-03-19T10:30\",\"minute_taker\":\"Pat Minutes\",\"children\":[%s,{\"child_id\":\"%s\","
	         "\"decision\":\"ICPC_NO_PLAN_CIN\",\"decision_reasons\":\"x\"}]}",
	         kid1, fam.child2);
	r = tc_call(&chair, "POST", path, body, 422);
	tc_expect_reason(r, "c0_category"); /* 4.9.5 */
	tc_expect_reason(r, "c0_contingency_plan");
	tc_expect_reason(r, "c1_cin_recommendations"); /* */
	tc_expect_reason(r, "c1_step_down_considered");
	json_decref(r);
	snprintf(kid1, sizeof kid1, PLAN_CHILD_FMT, fam.child1, sw_id, "2026-03-26T10:00", 4, core);
	snprintf(body, sizeof body,
	         "{\"held_at\":\"2026-03-19T10:30\",\"minute_taker\":\"Pat Minutes\",\"recommendations\":\"Referral to "
	         "a parenting programme\",\"children\":[%s,%s],\"views\":[{\"child_id\":\"%s\",\"agency_id\":\"%s\","
	         "\"professional_name\":\"DC Gita Rao\",\"view\":\"VIEW_NO_PLAN\"},{\"child_id\":\"%s\",\"agency_id\":\"%s\","
	         "\"professional_name\":\"Hana Kowalski\",\"view\":\"VIEW_PLAN\"}]}",
	         kid1, kid2, fam.child1, police_agency, fam.child1, hv_agency);
	r = tc_call(&chair, "POST", path, body, 200);
	assert_true(tc_has_warning(r, "R-64", NULL)); /* the police dissent is noted */
	assert_true(json_is_true(json_object_get(r, "quorum_met")));
	json_t *kids = json_object_get(r, "children");
	snprintf(plan_id, sizeof plan_id, "%s", tc_str(json_array_get(kids, 0), "plan_id"));
	assert_string_equal(tc_str(json_array_get(kids, 0), "category"), "CP_CAT_NEGLECT");
	json_decref(r);
	expect_stage(fam.case1, "cp_plan");
	expect_stage(fam.case2, "cin");
	json_decref(tc_call(&chair, "POST", path, body, 409)); /* decided once */
	/* The conference stopped T-39 and started the post-conference clocks. */
	char *d = clock_due(fam.child1, "T-39", "met");
	assert_non_null(d);
	free(d);
	assert_non_null(d = clock_due(fam.child1, "T-57", "running"));
	free(d);
	assert_non_null(d = clock_due(fam.child1, "T-66", "running"));
	free(d);
	/* No plan for the sibling: no visiting or core group clock runs for them. */
	assert_null(clock_due(fam.child2, "T-62", "running"));
	assert_null(clock_due(fam.child2, "T-57", "running"));
}

/* ---- ST-25: dissent goes to the designated lead, then the chair's line manager ---- */

static void test_dissent(void **state)
{
	char path[160];
	snprintf(path, sizeof path, "/api/v1/conferences/%s", conf_id);
	json_t *c = tc_call(&chair, "GET", path, NULL, 200);
	char view[64] = "";
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(c, "views"), i, v) {
		if (json_is_string(json_object_get(v, "dissent_position")))
			snprintf(view, sizeof view, "%s", tc_str(v, "id"));
	}
	json_decref(c);
	assert_true(view[0]);
	snprintf(path, sizeof path, "/api/v1/conference-views/%s/manager-decision", view);
	json_t *r = tc_call(&smgr, "POST", path, "{\"manager_decision\":\"UPHOLD\"}", 409);
	tc_expect_reason(r, "designated lead");
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/conference-views/%s/designated-lead", view);
	r = tc_call(&police, "POST", path, "{\"designated_lead_at\":\"2026-03-20T09:00\",\"designated_lead_concurs\":true}", 422);
	tc_expect_reason(r, "R-91");
	json_decref(r);
	json_decref(tc_call(&police, "POST", path,
	                 "{\"designated_lead_at\":\"2026-03-20T09:00\",\"designated_lead_concurs\":true,"
	                 "\"chair_manager_alerted_at\":\"2026-03-20T09:30\"}",
	                 200));
	snprintf(path, sizeof path, "/api/v1/conference-views/%s/manager-decision", view);
	json_decref(tc_call(&chair, "POST", path, "{\"manager_decision\":\"UPHOLD\"}", 409)); /* not the chair */
	r = tc_call(&smgr, "POST", path, "{\"manager_decision\":\"UPHOLD\",\"manager_decided_at\":\"2026-03-21T10:00\"}", 200);
	assert_string_equal(tc_str(r, "manager_decision"), "UPHOLD");
	json_decref(r);
}

/* ---- the letter and the record: the parents' copy leaves out what the chair withheld ---- */

static void fetch_document(const char *doc, struct buf *out)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/documents/%s/content", doc);
	struct http_resp r;
	assert_int_equal(client_req(&sw, "GET", path, NULL, NULL, &r), 200);
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
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= b->len; i++)
		if (memcmp(b->data + i, needle, n) == 0)
			return true;
	return false;
}

static void test_documents(void **state)
{
	char path[160];
	snprintf(path, sizeof path, "/api/v1/conferences/%s/decision-letter", conf_id);
	json_decref(tc_call(&sw, "POST", path, "{}", 403));
	json_t *r = tc_call(&chair, "POST", path, "{}", 201);
	json_decref(r);
	json_decref(tc_call(&chair, "POST", path, "{}", 409));
	char *d = clock_due(fam.child1, "T-66", "met");
	if (!d)
		d = clock_due(fam.child1, "T-66", "met_late");
	assert_non_null(d);
	free(d);
	snprintf(path, sizeof path, "/api/v1/conferences/%s/record", conf_id);
	r = tc_call(&chair, "POST", path, "{}", 201);
	char full[64] = "", copy[64] = "", letter[64] = "";
	size_t i;
	json_t *doc;
	json_array_foreach(json_object_get(r, "documents"), i, doc) {
		if (strcmp(tc_str(doc, "child_id"), fam.child1) != 0)
			continue;
		const char *kind = tc_str(doc, "kind");
		snprintf(strcmp(kind, "record") == 0 ? full : strcmp(kind, "parents_copy") == 0 ? copy : letter, 64, "%s",
		         tc_str(doc, "document_id"));
	}
	json_decref(r);
	assert_true(full[0] && copy[0] && letter[0]);
	struct buf f, c, l;
	buf_init(&f, 0);
	buf_init(&c, 0);
	buf_init(&l, 0);
	fetch_document(full, &f);
	fetch_document(copy, &c);
	fetch_document(letter, &l);
	assert_true(contains(&f, WITHHELD_NOTE));
	assert_true(contains(&f, WITHHELD_REPORT));
	assert_true(contains(&f, "Threatened the class teacher"));
	assert_false(contains(&c, WITHHELD_NOTE));
	assert_false(contains(&c, "Operation Nightjar"));
	assert_false(contains(&c, WITHHELD_REPORT));
	assert_false(contains(&c, "Would prejudice a criminal investigation"));
	assert_false(contains(&c, "Threatened the class teacher"));
	assert_true(contains(&c, "The parents described the morning routine."));
	assert_true(contains(&c, "Neglect"));
	assert_true(contains(&l, "Asha Patel")); /* the social worker's name (4.14.13) */
	assert_true(contains(&l, "complain"));
	buf_free(&f);
	buf_free(&c);
	buf_free(&l);
	snprintf(path, sizeof path, "/api/v1/documents/%s", copy);
	r = tc_call(&sw, "GET", path, NULL, 200);
	assert_string_equal(tc_str(r, "redacted_version_of"), full);
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/conferences/%s/record/discussed", conf_id);
	json_decref(tc_call(&sw, "POST", path, "{\"discussed_at\":\"2026-04-02T10:00\"}", 200));
	assert_non_null(d = clock_due(fam.child1, "T-69", "met"));
	free(d);
}

/* ---- ST-18: the plan comes into force only when complete (5.7) ---- */

static void test_plan(void **state)
{
	char path[160];
	snprintf(path, sizeof path, "/api/v1/plans/%s", plan_id);
	json_t *p = tc_call(&sw, "GET", path, NULL, 200);
	assert_string_equal(tc_str(p, "status"), "DRAFT");
	assert_int_equal(json_array_size(json_object_get(p, "outcomes")), 2);
	char outcome[64];
	snprintf(outcome, sizeof outcome, "%s", tc_str(json_array_get(json_object_get(p, "outcomes"), 0), "id"));
	json_decref(p);
	snprintf(path, sizeof path, "/api/v1/plans/%s/activate", plan_id);
	json_t *r = tc_call(&sw, "POST", path, NULL, 422);
	tc_expect_reason(r, "actions");
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/plans/%s/actions", plan_id);
	r = tc_call(&sw, "POST", path, "{\"description\":\"Breakfast club place\",\"due_date\":\"2026-04-01\"}", 422);
	tc_expect_reason(r, "owner_name");
	json_decref(r);
	json_decref(tc_callf(&sw, "POST", 201, path,
	                  "{\"outcome_id\":\"%s\",\"description\":\"Breakfast club place\",\"owner_name\":\"Ian Brooks\","
	                  "\"owner_user_id\":\"%s\",\"due_date\":\"2026-04-01\"}",
	                  outcome, edu_id));
	snprintf(path, sizeof path, "/api/v1/plans/%s", plan_id);
	r = tc_call(&sw, "PATCH", path, "{\"visit_frequency_weeks\":5}", 422);
	tc_expect_reason(r, "R-74");
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/plans/%s/activate", plan_id);
	r = tc_call(&sw, "POST", path, NULL, 200);
	assert_string_equal(tc_str(r, "status"), "ACTIVE");
	assert_true(tc_has_warning(r, "R-77", NULL));
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/children/%s", fam.child1);
	r = tc_call(&sw, "GET", path, NULL, 200);
	assert_string_equal(tc_str(r, "cp_plan_status"), "active");
	json_decref(r);
	/* The core group member has access for the life of the plan. */
	json_decref(tc_call(&health, "GET", path, NULL, 200));
	json_decref(tc_call(&other, "GET", path, NULL, 404));
}

/* ---- ST-19, ST-20: core groups and visits ---- */

static void test_core_groups_and_visits(void **state)
{
	char path[160];
	snprintf(path, sizeof path, "/api/v1/plans/%s/core-groups", plan_id);
	json_t *r = tc_call(&sw, "POST", path, "{\"venue\":\"School\"}", 422);
	tc_expect_reason(r, "scheduled_at");
	json_decref(r);
	r = tc_call(&sw, "POST", path,
	         "{\"held_at\":\"2026-03-26T10:00\",\"chair_name\":\"Dan Hughes\",\"attendees\":\"SW, HV, mother\","
	         "\"progress_review\":\"Meals improving\",\"outcome\":\"CG_PLAN_CONFIRMED\","
	         "\"new_household_members\":\"Mother's new partner stays most nights\"}",
	         201);
	assert_int_equal(json_integer_value(json_object_get(r, "sequence_no")), 1);
	assert_true(tc_has_warning(r, "R-79", NULL));
	char first[64];
	snprintf(first, sizeof first, "%s", tc_str(r, "id"));
	json_decref(r);
	char *d = clock_due(fam.child1, "T-57", "met");
	assert_non_null(d);
	free(d);
	assert_non_null(d = clock_due(fam.child1, "T-58", "running"));
	free(d);
	snprintf(path, sizeof path, "/api/v1/core-groups/%s/notes-circulated", first);
	json_decref(tc_call(&sw, "POST", path, "{\"notes_circulated_at\":\"2026-03-30T16:00\"}", 200));
	json_decref(tc_call(&sw, "POST", path, "{\"notes_circulated_at\":\"2026-03-31T16:00\"}", 409));
	assert_non_null(d = clock_due(fam.child1, "T-60", "met"));
	free(d);
	/* a new date for a planned meeting is confirmed in writing to everyone. */
	snprintf(path, sizeof path, "/api/v1/plans/%s/core-groups", plan_id);
	r = tc_call(&sw, "POST", path, "{\"scheduled_at\":\"2026-05-01T10:00\"}", 201);
	char planned[64];
	snprintf(planned, sizeof planned, "%s", tc_str(r, "id"));
	snprintf(planned_meeting, sizeof planned_meeting, "%s", planned);
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/core-groups/%s", planned);
	r = tc_call(&sw, "PATCH", path, "{\"scheduled_at\":\"2026-05-04T10:00\"}", 422);
	tc_expect_reason(r, "R-72");
	json_decref(r);
	json_decref(tc_call(&sw, "PATCH", path,
	                 "{\"scheduled_at\":\"2026-05-04T10:00\",\"written_confirmation_sent_at\":\"2026-04-20T09:00\"}", 200));
	/* Visits: seen alone and bedroom at least every other visit; two without access raise an alert. */
	snprintf(path, sizeof path, "/api/v1/plans/%s/visits", plan_id);
	r = tc_call(&sw, "POST", path,
	         "{\"visit_at\":\"2026-03-24T16:00\",\"visit_type\":\"STATUTORY_CP\",\"outcome\":\"SEEN_WITH_OTHERS\"}", 201);
	assert_false(tc_has_warning(r, "R-74", NULL));
	json_decref(r);
	r = tc_call(&sw, "POST", path,
	         "{\"visit_at\":\"2026-04-07T16:00\",\"visit_type\":\"STATUTORY_CP\",\"outcome\":\"SEEN_WITH_OTHERS\"}", 201);
	assert_true(tc_has_warning(r, "R-74", "warning"));
	json_decref(r);
	r = tc_call(&sw, "POST", path,
	         "{\"visit_at\":\"2026-04-14T16:00\",\"visit_type\":\"UNANNOUNCED\",\"outcome\":\"NOT_SEEN_NO_ACCESS\"}", 422);
	tc_expect_reason(r, "no_access_reason");
	json_decref(r);
	r = tc_call(&sw, "POST", path,
	         "{\"visit_at\":\"2026-04-14T16:00\",\"visit_type\":\"UNANNOUNCED\",\"outcome\":\"NOT_SEEN_NO_ACCESS\","
	         "\"no_access_reason\":\"No answer; curtains drawn\"}",
	         201);
	assert_false(tc_has_warning(r, "R-75", "alert"));
	json_decref(r);
	r = tc_call(&sw, "POST", path,
	         "{\"visit_at\":\"2026-04-15T09:00\",\"visit_type\":\"UNANNOUNCED\",\"outcome\":\"NOT_SEEN_NO_ACCESS\","
	         "\"no_access_reason\":\"No answer again\"}",
	         201);
	assert_true(tc_has_warning(r, "R-75", "alert"));
	assert_int_equal(json_integer_value(json_object_get(r, "consecutive_no_access")), 2);
	json_decref(r);
	r = tc_call(&sw, "POST", path,
	         "{\"visit_at\":\"2026-04-16T10:00\",\"visit_type\":\"STATUTORY_CP\",\"outcome\":\"SEEN_ALONE\","
	         "\"bedroom_seen\":true}",
	         201);
	assert_false(tc_has_warning(r, "R-74", NULL));
	json_decref(r);
	/* The alert is in the chronology as critical. */
	snprintf(path, sizeof path, "/api/v1/children/%s/chronology?significance=critical", fam.child1);
	r = tc_call(&sw, "GET", path, NULL, 200);
	assert_true(json_array_size(json_object_get(r, "items")) >= 1);
	json_decref(r);
}

/* ---- ST-23 without a review, then ST-22: the review ends the plan ---- */

static void test_review_and_end(void **state)
{
	char path[160];
	snprintf(path, sizeof path, "/api/v1/plans/%s/discontinue", plan_id);
	json_decref(tc_call(&sw, "POST", path, "{\"reason\":\"END_REACHED_18\",\"consultation_record\":\"x\"}", 403));
	json_t *r = tc_call(&smgr, "POST", path, "{\"reason\":\"END_NO_LONGER_AT_RISK\",\"consultation_record\":\"x\"}", 409);
	tc_expect_reason(r, "review conference");
	json_decref(r);
	r = tc_call(&smgr, "POST", path, "{\"reason\":\"END_REACHED_18\"}", 422);
	tc_expect_reason(r, "R-87");
	json_decref(r);
	r = tc_call(&smgr, "POST", path, "{\"reason\":\"END_REACHED_18\",\"consultation_record\":\"All agreed\"}", 422);
	tc_expect_reason(r, "not yet 18");
	json_decref(r);
	r = tc_call(&smgr, "POST", path, "{\"reason\":\"END_MOVED_TO_OTHER_LA\",\"consultation_record\":\"All agreed\"}", 422);
	tc_expect_reason(r, "receiving_la_confirmed_at");
	json_decref(r);
	/* The review conference, within 3 months. */
	r = tc_callf(&sw, "POST", 201, "/api/v1/conferences",
	          "{\"conf_type\":\"CONF_REVIEW\",\"child_ids\":[\"%s\"],\"scheduled_at\":\"2026-06-10T10:00\","
	          "\"chair_user_id\":\"%s\",\"chair_independence_confirmed\":true,\"previous_conference_id\":\"%s\"}",
	          fam.child1, chair_id, conf_id);
	assert_true(tc_has_warning(r, "R-84", NULL) == false);
	char review[64];
	snprintf(review, sizeof review, "%s", tc_str(r, "id"));
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/conferences/%s/invitations", review);
	json_decref(tc_callf(&sw, "POST", 201, path, "{\"person_id\":\"%s\",\"attendee_role\":\"PARENT\","
	                                          "\"pre_meeting_offered\":true}", fam.mother));
	/* Agencies may be invited by name alone; a review needs no police (4.3.3 is for initial conferences). */
	static const char *const roles[] = {"CSC_SW", "HEALTH_HV", "EDUCATION"};
	const char *names[] = {"Asha Patel", "Health visitor", "Class teacher"};
	const char *agencies[] = {csc_agency, hv_agency, school_agency};
	for (int i = 0; i < 3; i++) {
		r = tc_callf(&sw, "POST", 201, path,
		          "{\"name\":\"%s\",\"attendee_role\":\"%s\",\"agency_id\":\"%s\",\"direct_contact\":true,"
		          "\"attendance\":\"IN_PERSON\"}",
		          names[i], roles[i], agencies[i]);
		json_decref(r);
	}
	snprintf(path, sizeof path, "/api/v1/conferences/%s/decision", review);
	/* every review says whether significant harm continues. */
	r = tc_callf(&chair, "POST", 422, path,
	          "{\"held_at\":\"2026-06-10T10:30\",\"minute_taker\":\"Pat Minutes\",\"children\":[{\"child_id\":\"%s\","
	          "\"decision\":\"RCPC_DISCONTINUE\",\"decision_reasons\":\"Good progress\"}]}",
	          fam.child1);
	tc_expect_reason(r, "R-86");
	tc_expect_reason(r, "c0_cin_recommendations");
	json_decref(r);
	r = tc_callf(&chair, "POST", 200, path,
	          "{\"held_at\":\"2026-06-10T10:30\",\"minute_taker\":\"Pat Minutes\",\"children\":[{\"child_id\":\"%s\","
	          "\"decision\":\"RCPC_DISCONTINUE\",\"decision_reasons\":\"Good progress\",\"significant_harm_judgement\":"
	          "\"No longer likely to suffer significant harm\",\"cin_recommendations\":\"Family support continues\"}]}",
	          fam.child1);
	assert_true(tc_has_warning(r, "R-88", NULL));
	json_decref(r);
	expect_stage(fam.case1, "cin");
	snprintf(path, sizeof path, "/api/v1/plans/%s", plan_id);
	r = tc_call(&sw, "GET", path, NULL, 200);
	assert_string_equal(tc_str(r, "status"), "ENDED");
	assert_string_equal(tc_str(r, "end_reason"), "END_NO_LONGER_AT_RISK");
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/children/%s", fam.child1);
	json_decref(tc_call(&health, "GET", path, NULL, 404)); /* core group access ended with the plan */
	char *d = clock_due(fam.child1, "T-70", "running");
	assert_non_null(d);
	free(d);
	assert_null(clock_due(fam.child1, "T-62", "running"));
	snprintf(path, sizeof path, "/api/v1/plans/%s/post-plan-meeting", plan_id);
	r = tc_call(&sw, "POST", path, "{\"held_at\":\"2026-09-01T10:00\"}", 422);
	tc_expect_reason(r, "notes");
	json_decref(r);
	json_decref(tc_call(&sw, "POST", path, "{\"held_at\":\"2026-09-01T10:00\",\"notes\":\"Support continues\"}", 200));
	assert_non_null(d = clock_due(fam.child1, "T-70", "met"));
	free(d);
	assert_non_null(d = clock_due(fam.child1, "T-71", "running"));
	free(d);
}

/* ---- ST-17 and ST-15's birth ---- */

static void test_transfer_in_and_birth(void **state)
{
	json_t *r = tc_call(&sw, "POST", "/api/v1/children",
	                 "{\"forenames\":\"Eli\",\"surname\":\"Mover\",\"dob\":\"2016-02-02\"}", 201);
	char child[64], path[160], case_id[64];
	snprintf(child, sizeof child, "%s", tc_str(r, "id"));
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/children/%s/cases", child);
	r = tc_call(&sw, "POST", path, "{}", 201);
	snprintf(case_id, sizeof case_id, "%s", tc_str(r, "id"));
	json_decref(r);
	/* Without the notification, no transfer-in conference. */
	r = tc_callf(&sw, "POST", 409, "/api/v1/conferences",
	          "{\"conf_type\":\"CONF_TRANSFER_IN\",\"child_ids\":[\"%s\"],\"scheduled_at\":\"2026-11-20T10:00\"}", child);
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/cases/%s/transfer-in", case_id);
	r = tc_call(&sw, "POST", path, "{\"notified_at\":\"2026-11-16T09:00\"}", 422);
	tc_expect_reason(r, "originating_la");
	json_decref(r);
	r = tc_call(&sw, "POST", path, "{\"originating_la\":\"Kent\",\"notified_at\":\"2026-11-16T09:00\","
	                            "\"category\":\"CP_CAT_PHYSICAL\"}", 201);
	assert_string_equal(tc_str(r, "status"), "TEMPORARY_TRANSFER_IN");
	assert_true(tc_has_warning(r, "R-89", NULL));
	char temp[64];
	snprintf(temp, sizeof temp, "%s", tc_str(r, "id"));
	json_decref(r);
	expect_stage(case_id, "icpc_pending");
	char *d = clock_due(child, "T-47", "running");
	assert_non_null(d);
	free(d);
	/* A temporary plan is never put into force: only a conference makes a plan. */
	snprintf(path, sizeof path, "/api/v1/plans/%s/activate", temp);
	r = tc_call(&sw, "POST", path, NULL, 409);
	tc_expect_reason(r, "R-89");
	json_decref(r);
	r = tc_callf(&sw, "POST", 409, "/api/v1/conferences",
	          "{\"conf_type\":\"CONF_REVIEW\",\"child_ids\":[\"%s\"],\"scheduled_at\":\"2026-11-20T10:00\"}", child);
	tc_expect_reason(r, "R-83");
	json_decref(r);
	r = tc_callf(&sw, "POST", 201, "/api/v1/conferences",
	          "{\"conf_type\":\"CONF_TRANSFER_IN\",\"child_ids\":[\"%s\"],\"scheduled_at\":\"2026-11-27T10:00\","
	          "\"chair_user_id\":\"%s\",\"chair_independence_confirmed\":true,\"originating_la\":\"Kent\"}",
	          child, chair_id);
	snprintf(transfer_conf, sizeof transfer_conf, "%s", tc_str(r, "id"));
	snprintf(mover, sizeof mover, "%s", child);
	json_decref(r);
	/* The birth of an unborn child times the first review after a pre-birth conference (4.1.22). */
	r = tc_call(&sw, "POST", "/api/v1/children", "{\"forenames\":\"Unborn\",\"surname\":\"Soon\",\"is_unborn\":true,"
	                                          "\"edd\":\"2026-12-01\"}", 201);
	snprintf(child, sizeof child, "%s", tc_str(r, "id"));
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/children/%s/birth", child);
	r = tc_call(&sw, "POST", path, "{\"dob\":\"2099-01-01\"}", 422);
	tc_expect_reason(r, "dob");
	json_decref(r);
	json_decref(tc_call(&sw, "POST", path, "{\"dob\":\"2026-11-20\"}", 200));
	json_decref(tc_call(&sw, "POST", path, "{\"dob\":\"2026-11-20\"}", 409));
}

/* ---- R-55 / 4.3.12: an inquorate conference may go ahead only with the chair's reasons, and then makes only an
 * interim plan with an early review; it replaces the temporary plan of a child who moved in ---- */

static void test_inquorate_interim_plan(void **state)
{
	char path[160], now[MOMENT_ISO_LEN], body[4096], first_cg[DATE_ISO_LEN], review[DATE_ISO_LEN];
	moment_format(moment_now() - 30, now);
	date_format(date_today() + 2, first_cg);
	date_format(date_today() + 20, review);
	snprintf(path, sizeof path, "/api/v1/conferences/%s", transfer_conf);
	json_decref(tc_callf(&sw, "PATCH", 200, path,
	                  "{\"scheduled_at\":\"%s\",\"reschedule_reason\":\"Brought forward\",\"parents_not_invited_reason\":"
	                  "\"The mother's whereabouts are unknown\"}",
	                  now));
	snprintf(path, sizeof path, "/api/v1/conferences/%s/decision", transfer_conf);
#define KID \
		"{\"child_id\":\"%s\",\"decision\":\"%s\",\"decision_reasons\":\"Risks continue after the move\"," \
		"\"category\":\"CP_CAT_PHYSICAL\",\"risks_stated\":\"Injuries\",\"what_needs_to_change\":\"Supervision\"," \
		"\"lead_sw_user_id\":\"%s\",\"first_core_group_at\":\"%sT10:00\",\"core_group_frequency_weeks\":4," \
		"\"visit_frequency_weeks\":2,\"next_review_at\":\"%s\",\"contingency_plan\":\"Legal advice\"," \
		"\"outline_outcomes\":\"Safe supervision\",\"core_group\":[{\"name\":\"School nurse\"," \
		"\"member_role\":\"HEALTH_SCHOOL_NURSE\"}]}"

	char k1[1024];
	snprintf(k1, sizeof k1, KID, mover, "ICPC_PLAN", sw_id, first_cg, review);
	snprintf(body, sizeof body, "{\"held_at\":\"%s\",\"minute_taker\":\"Pat\",\"children\":[%s]}", now, k1);
	json_t *r = tc_call(&chair, "POST", path, body, 409);
	tc_expect_reason(r, "R-55");
	json_decref(r);
	const char *why = ",\"inquorate_no_three_agencies\":true,\"inquorate_enough_information\":true,"
	                  "\"inquorate_delay_harmful\":true,\"inquorate_reason\":\"New to the area; injuries this week\"";
	snprintf(body, sizeof body, "{\"held_at\":\"%s\",\"minute_taker\":\"Pat\"%s,\"children\":[%s]}", now, why, k1);
	r = tc_call(&chair, "POST", path, body, 422);
	tc_expect_reason(r, "interim plan");
	json_decref(r);
	snprintf(k1, sizeof k1, KID, mover, "ICPC_INQUORATE_INTERIM_PLAN", sw_id, first_cg, review);
	snprintf(body, sizeof body, "{\"held_at\":\"%s\",\"minute_taker\":\"Pat\"%s,\"children\":[%s]}", now, why, k1);
	r = tc_call(&chair, "POST", path, body, 200);
	assert_false(json_is_true(json_object_get(r, "quorum_met")));
	char plan[64];
	snprintf(plan, sizeof plan, "%s", tc_str(json_array_get(json_object_get(r, "children"), 0), "plan_id"));
	json_decref(r);
	snprintf(path, sizeof path, "/api/v1/plans/%s/actions", plan);
	json_decref(tc_call(&sw, "POST", path, "{\"description\":\"Supervision agreement\",\"owner_name\":\"Asha Patel\","
	                                    "\"due_date\":\"2026-12-31\"}", 201));
	snprintf(path, sizeof path, "/api/v1/plans/%s/activate", plan);
	r = tc_call(&sw, "POST", path, NULL, 200);
	assert_string_equal(tc_str(r, "status"), "INTERIM_INQUORATE");
	assert_string_equal(tc_str(r, "conference_id"), transfer_conf);
	json_decref(r);
	char *d = clock_due(mover, "T-47", "met");
	assert_non_null(d);
	free(d);
}

/* ---- the pages: the same operations, GOV.UK forms that keep what was typed ---- */

static void test_pages(void **state)
{
	char path[160], body[1024];
	struct http_resp r;
	snprintf(path, sizeof path, "/children/%s/protection", fam.child1);
	assert_int_equal(client_req(&sw, "GET", path, NULL, NULL, &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "Child protection"));
	assert_non_null(strstr(buf_str(&r.body), conf_id));
	resp_free(&r);
	snprintf(path, sizeof path, "/children/%s", fam.child1);
	assert_int_equal(client_req(&sw, "GET", path, NULL, NULL, &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "/protection"));
	resp_free(&r);
	snprintf(path, sizeof path, "/conferences/%s", conf_id);
	assert_int_equal(client_req(&chair, "GET", path, NULL, NULL, &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "Letters and record"));
	resp_free(&r);
	/* A refused form comes back with the error summary and what was typed. */
	snprintf(path, sizeof path, "/conferences/%s/notes", conf_id);
	snprintf(body, sizeof body, "csrf=%s&p=note_&note_heading=&note_body=Typed+text+kept", chair.csrf);
	assert_int_equal(client_req(&chair, "POST", path, "application/x-www-form-urlencoded", body, &r), 422);
	assert_non_null(strstr(buf_str(&r.body), "govuk-error-summary"));
	assert_non_null(strstr(buf_str(&r.body), "Typed text kept"));
	assert_non_null(strstr(buf_str(&r.body), "href=\"#note_heading\""));
	resp_free(&r);
	snprintf(body, sizeof body, "csrf=%s&p=note_&note_heading=Later&note_body=Added+from+the+page", chair.csrf);
	assert_int_equal(client_req(&chair, "POST", path, "application/x-www-form-urlencoded", body, &r), 303);
	resp_free(&r);
	snprintf(path, sizeof path, "/plans/%s", plan_id);
	assert_int_equal(client_req(&sw, "GET", path, NULL, NULL, &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "Child protection plan"));
	resp_free(&r);
	snprintf(path, sizeof path, "/conferences/new?child_id=%s", fam.child2);
	assert_int_equal(client_req(&sw, "GET", path, NULL, NULL, &r), 200);
	assert_non_null(strstr(buf_str(&r.body), "Arrange a child protection conference"));
	resp_free(&r);
	/* Arranging a conference from the page for a child in need (no plan to review) is refused on the page. */
	snprintf(body, sizeof body,
	         "csrf=%s&child_id=%s&child_ids=%s&conf_type=CONF_REVIEW&scheduled_at-day=1&scheduled_at-month=12&"
	         "scheduled_at-year=2026&scheduled_at-time=10%%3A00&venue=Typed+venue",
	         sw.csrf, fam.child2, fam.child2);
	assert_int_equal(client_req(&sw, "POST", "/conferences", "application/x-www-form-urlencoded", body, &r), 409);
	assert_non_null(strstr(buf_str(&r.body), "govuk-error-summary"));
	assert_non_null(strstr(buf_str(&r.body), "Typed venue"));
	resp_free(&r);
}

/* Every page draws (each template is exercised once with real data). */
static void test_more_pages(void **state)
{
	struct {
		struct client *c;
		const char *before, *id, *after, *expect;
	} pages[] = {
		{&sw, "/conferences/", transfer_conf, "", "Invite someone"},
		{&chair, "/conferences/", transfer_conf, "/decision", "Record the conference&#39;s decision"},
		{&sw, "/plans/", plan_id, "/visits/new", "Record a visit"},
		{&sw, "/plans/", plan_id, "/core-groups/new", "Core group meeting"},
		{&sw, "/core-groups/", planned_meeting, "/edit", "2026"},
		{&smgr, "/plans/", plan_id, "/discontinue", "End the plan without a review conference"},
	};
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		char path[160];
		snprintf(path, sizeof path, "%s%s%s", pages[i].before, pages[i].id, pages[i].after);
		struct http_resp r;
		int got = client_req(pages[i].c, "GET", path, NULL, NULL, &r);
		if (got != 200 || !strstr(buf_str(&r.body), pages[i].expect))
			fail_msg("%s: status %d, or no \"%s\": %.400s", path, got, pages[i].expect, buf_str(&r.body));
		resp_free(&r);
	}
	/* The chair's decision page refuses what is incomplete and keeps what was typed. */
	char path[160], body[512];
	snprintf(path, sizeof path, "/conferences/%s/decision", transfer_conf);
	snprintf(body, sizeof body, "csrf=%s&minute_taker=Typed+minute+taker&c0_decision=ICPC_PLAN", chair.csrf);
	struct http_resp r;
	int got = client_req(&chair, "POST", path, "application/x-www-form-urlencoded", body, &r);
	assert_true(got == 409 || got == 422);
	assert_non_null(strstr(buf_str(&r.body), "govuk-error-summary"));
	assert_non_null(strstr(buf_str(&r.body), "Typed minute taker"));
	resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_to_icpc_pending),
		cmocka_unit_test(test_schedule),
		cmocka_unit_test(test_prepare),
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_dissent),
		cmocka_unit_test(test_documents),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_core_groups_and_visits),
		cmocka_unit_test(test_review_and_end),
		cmocka_unit_test(test_transfer_in_and_birth),
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_more_pages),
		cmocka_unit_test(test_inquorate_interim_plan),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
