/* The demo families walked along the pathway by the pathway's own commands (see seed_pathway.h). Day 0 is the day the
 * contact came in; every later step is dated from it (and never after now), and each family stops at its goal, so
 * the caseload has what a real one has: deadlines met, deadlines running and some overdue. */
#include "cli/seed_pathway.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/seed_walk.h"
#include "pathway/stage.h"
#include "policy/policy.h"

/* Day offsets from day 0 (calendar days; meetings move off weekends). */
enum {
	SMD_AFTER = 1,      /* the strategy discussion */
	ICPC_AFTER = 10,    /* the initial conference: well within 15 working days of the discussion */
	FIRST_CG_AFTER = 5, /* the first core group, after the conference: within 10 working days */
	CG_EVERY = 42,      /* core groups every 6 weeks */
	VISIT_EVERY = 18,   /* visits every two and a half weeks (the plans say every 3) */
	REVIEW_AFTER = 84,  /* the first review, after the conference: within 3 months */
};

static int contact_create(struct http_request *req, const char *id, json_t *in, struct front_out *out)
{
	return front_contact_create(req, in, out);
}

static void schedule(struct http_request *req, const char *id, json_t *in, struct back_out *o)
{
	conference_schedule(req, in, o);
}

static void record_discussed(struct http_request *req, const char *id, json_t *in, struct back_out *o)
{
	documents_record_milestone(req, id, "discussed", in, o);
}

static void record_amendments(struct http_request *req, const char *id, json_t *in, struct back_out *o)
{
	documents_record_milestone(req, id, "amendments", in, o);
}

/* ---- the front half ---- */

static const struct {
	const char *name, *role, *agency;
} referrers[] = {
	{"Ms Reed", "Designated safeguarding lead", "Riverside Primary School (demo)"},
	{"Dr Lane", "GP", "Harbour Surgery (demo)"},
	{"Sam Ellis", "Health visitor", "0-19 Health Visiting (demo)"},
	{"PC Adams", "Response officer", "Essex Police (demo)"},
};

/* The contact about the family's children (ST-01, ST-04) and, unless it stays a contact, their referrals, each
 * acknowledged to the referrer on the day. */
static int intake(struct seed_walk *w, bool convert)
{
	const struct seed_family_walk *f = w->fam;
	char when[MOMENT_ISO_LEN];
	json_t *kids = json_array();
	for (int i = 0; i < f->n_children; i++)
		json_array_append_new(kids, json_pack("{s:s}", "child_id", f->children[i]));
	size_t r = strlen(f->surname) % (sizeof referrers / sizeof referrers[0]);
	seed_walk_tick(w, w->d0, 9, 35);
	json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "received_at",
	                       seed_walk_at(w, when, w->d0, 9, 30), "channel", "PHONE", "contact_type", "CONTACT_REFERRAL",
	                       "referrer_type", "PROFESSIONAL", "referrer_name", referrers[r].name, "referrer_role",
	                       referrers[r].role, "referrer_agency_name", referrers[r].agency, "feedback_method", "EMAIL",
	                       "concern_summary", f->concern, "parental_agreement", "AGREED", "children", kids);
	if (seed_walk_front(w, "the contact", &w->cast->sw, contact_create, NULL, in, w->contact) < 0)
		return -1;
	for (int i = 0; i < f->n_children; i++)
		if (!seed_walk_lookup(w, "SELECT case_id FROM contact_children WHERE contact_id = $1 AND child_id = $2",
		                      w->contact, f->children[i], w->cases[i]))
			return -1;
	if (!convert)
		return 0;
	seed_walk_tick(w, w->d0, 10, 5);
	in = json_pack("{s:s, s:s}", "received_at", seed_walk_at(w, when, w->d0, 10, 0), "concern_description", f->concern);
	if (seed_walk_front(w, "the referrals", &w->cast->sw, front_contact_convert, w->contact, in, NULL) < 0)
		return -1;
	seed_walk_tick(w, w->d0, 11, 5);
	for (int i = 0; i < f->n_children; i++) {
		in = json_pack("{s:s, s:s, s:s, s:s, s:s}", "recipient_type", "REFERRER", "purpose", "ACKNOWLEDGEMENT",
		               "channel", "EMAIL", "sent_at", seed_walk_at(w, when, w->d0, 11, 0), "summary",
		               "Referral received; the decision follows today");
		if (seed_walk_front(w, "the acknowledgement", &w->cast->sw, front_communication_log, w->cases[i], in, NULL) < 0)
			return -1;
	}
	return 0;
}

/* ST-05: the team manager's decision for each child. */
static int decide(struct seed_walk *w, const char *decision)
{
	seed_walk_tick(w, w->d0, 15, 0);
	for (int i = 0; i < w->fam->n_children; i++) {
		char ref[ID_MAX];
		if (!seed_walk_lookup(w, "SELECT id FROM referrals WHERE case_id = $1", w->cases[i], NULL, ref))
			return -1;
		bool strategy = strcmp(decision, "REF_STRATEGY") == 0, nfa = strcmp(decision, "REF_NFA") == 0;
		json_t *in = json_pack("{s:s, s:s, s:b, s:b}", "decision", decision, "decision_reasons",
		                       strategy ? "Reasonable cause to suspect significant harm"
		                       : nfa    ? "Concern explained by the school; no services needed"
		                                : "Needs are not yet understood",
		                       "family_informed", 1, "reasonable_cause_s47", strategy);
		if (strategy)
			json_object_set_new(in, "smd_category",
			                    json_string(w->fam->goal == SEED_PRE_BIRTH ? "SMD_PREBIRTH_ASAP" : "SMD_ROUTINE_3WD"));
		if (nfa)
			json_object_set_new(in, "alternative_support", json_string("School nurse drop-in offered"));
		if (seed_walk_front(w, "the referral decision", &w->cast->manager, front_referral_decide, ref, in, NULL) < 0)
			return -1;
	}
	return 0;
}

/* ST-06: the assessment recorded, its outcome given to the family in writing, and approved by the manager with the
 * checklist. Alongside enquiries the approval leaves the case where it is (3.3.3). */
static int assess(struct seed_walk *w, int i, const char *a, const char *outcome, int32_t seen, int32_t done)
{
	char when[MOMENT_ISO_LEN], alone[MOMENT_ISO_LEN];
	const struct seed_user *sw = &w->cast->sw;
	json_t *in;
	if (strcmp(w->fam->forenames[i], "Unborn") != 0) {
		seed_walk_tick(w, seen, 12, 0);
		in = json_pack("{s:s, s:s, s:b, s:s, s:s, s:b, s:b, s:s, s:b, s:s, s:b}", "child_seen_at",
		               seed_walk_at(w, when, seen, 10, 0), "who_seen", "The child, the mother and the siblings",
		               "child_seen_alone", 1, "child_seen_alone_at", seed_walk_at(w, alone, seen, 10, 30), "child_views",
		               "Wants things to be calmer at home", "parents_seen", 1, "household_children_seen", 1,
		               "home_visited_at", when, "bedroom_seen", 1, "factors", "Parental mental health; housing",
		               "is_cin", 1);
		if (seed_walk_front(w, "the assessment", sw, front_assessment_update, a, in, NULL) < 0)
			return -1;
	}
	seed_walk_tick(w, done, 14, 0);
	in = json_pack("{s:s, s:s}", "outcome", outcome, "outcome_reasons",
	               strcmp(outcome, "ASMT_CIN_PLAN") == 0 ? "Needs support to stay well at home"
	                                                     : "Enquiries under way: a conference will decide the plan");
	if (seed_walk_front(w, "the assessment outcome", sw, front_assessment_outcome_cmd, a, in, NULL) < 0)
		return -1;
	seed_walk_tick(w, done, 15, 5);
	in = json_pack("{s:s, s:s, s:s, s:s}", "recipient_type", "FAMILY", "purpose", "ASSESSMENT_OUTCOME", "channel",
	               "WRITTEN", "sent_at", seed_walk_at(w, when, done, 15, 0));
	if (seed_walk_front(w, "the assessment feedback", sw, front_communication_log, w->cases[i], in, NULL) < 0)
		return -1;
	in = json_pack("{s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b}", "chk_child_alone_views", 1,
	               "chk_all_children_seen", 1, "chk_home_and_bedroom", 1, "chk_parent_seen_views", 1,
	               "chk_histories_considered", 1, "chk_analysis_complete", 1, "chk_evidence_for_services", 1,
	               "chk_records_chronology", 1, "chk_review_planned", 1, "chk_plan_distributed", 1);
	if (strcmp(outcome, "ASMT_STRATEGY_OR_S47") == 0)
		json_object_set_new(in, "smd_category", json_string("SMD_ROUTINE_3WD"));
	if (strcmp(w->fam->forenames[i], "Unborn") == 0)
		json_object_set_new(in, "child_not_seen_reason",
		                    json_string("Not yet born: the mother was seen and the midwife consulted"));
	seed_walk_tick(w, done, 16, 0);
	return seed_walk_front(w, "the assessment approval", &w->cast->manager, front_assessment_authorise_cmd, a, in, NULL);
}

/* ST-07: after the assessment, the child in need plan. */
static int assess_to_cin(struct seed_walk *w, int i)
{
	char a[ID_MAX], when[MOMENT_ISO_LEN], day[DATE_ISO_LEN];
	if (!seed_walk_lookup(w, "SELECT id FROM assessments WHERE case_id = $1", w->cases[i], NULL, a) ||
	    assess(w, i, a, "ASMT_CIN_PLAN", w->d0 + 4, w->d0 + 8) < 0)
		return -1;
	seed_walk_tick(w, w->d0 + 20, 14, 30);
	json_t *in = json_pack("{s:s, s:s, s:s, s:s}", "services", "Family support worker weekly; parenting course",
	                       "measurable_outcomes", "School attendance above 95%; the home is warm and stocked",
	                       "agreed_at", seed_walk_at(w, when, w->d0 + 20, 14, 0), "next_review_date",
	                       seed_walk_on(day, w->d0 + 20 + 180));
	return seed_walk_front(w, "the child in need plan", &w->cast->sw, front_cin_plan_create, w->cases[i], in, NULL);
}

/* ST-10, ST-11: the strategy discussion that starts enquiries, with who attended. */
static int strategy(struct seed_walk *w, int i)
{
	const struct seed_cast *c = w->cast;
	char held[MOMENT_ISO_LEN], consulted[MOMENT_ISO_LEN];
	int32_t day = w->d0 + SMD_AFTER;
	bool unborn = w->fam->goal == SEED_PRE_BIRTH;
	json_t *ps = json_pack(
		"[{s:s, s:s, s:b, s:b, s:b}, {s:s, s:s, s:b, s:b}, {s:s, s:s, s:b, s:b}]", "name", c->manager.name,
		"agency_type", "CSC", "attended", 1, "is_chair", 1, "seniority_confirmed", 1, "name", c->police.name,
		"agency_type", "POLICE", "attended", 1, "seniority_confirmed", 1, "name",
		unborn ? "Community midwife" : c->health.name, "agency_type", unborn ? "HEALTH_MIDWIFERY" : "HEALTH_HV_0_19",
		"attended", 1, "seniority_confirmed", 1);
	json_t *in = json_pack(
		"{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "format", "SMD_MEETING", "category",
		unborn ? "SMD_PREBIRTH_ASAP" : "SMD_ROUTINE_3WD", "held_at", seed_walk_at(w, held, day, 14, 0), "chair_name",
		c->manager.name, "chair_is_flm", 1, "decision_s47", "S47_INITIATE", "information_shared",
		"Agency records and the referrer's account", "investigation_mode", "SINGLE_CSC", "family_sharing_decision",
		"The parents are told about the enquiry at the first visit", "police_consulted_at",
		seed_walk_at(w, consulted, day, 11, 0), "s47_authorised_by", c->manager.id, "decisions", "Joint home visit tomorrow",
		"participants", ps);
	if (unborn) {
		/* The 2.6.10 decisions of a pre-birth discussion, and the manager's pre-birth assessment decision on
		 * the referral (2.6.5, R-94). */
		json_t *pb = json_pack(
			"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "venue", "Colchester Hospital maternity unit",
			"pb_s47_and_assessment", "Enquiries and a pre-birth assessment are both needed", "pb_assessment_areas",
			"Substance use, home conditions, support network", "pb_who_involved", "Social worker, community midwife, "
			"drug and alcohol service", "pb_parents_told_how_when", "Told together at the first home visit",
			"pb_adult_services_actions", "Drug and alcohol service shares test results with the social worker",
			"pb_birth_actions", "Delivery suite tells children's social care when the mother is admitted", "epo_at_delivery",
			0);
		json_object_update(in, pb);
		json_decref(pb);
		char ref[ID_MAX];
		if (!seed_walk_lookup(w, "SELECT id FROM referrals WHERE case_id = $1", w->cases[i], NULL, ref)) {
			json_decref(in);
			return -1;
		}
		json_t *d = json_pack("{s:s, s:s, s:s, s:s}", "prebirth_assessment_decision", "PREBIRTH_ASSESSMENT",
		                      "prebirth_decision_rationale", "Heroin use in pregnancy and a sibling previously removed",
		                      "prebirth_risks", "Withdrawal at birth; unstable housing", "prebirth_strengths",
		                      "Mother attends antenatal care; grandmother offers support");
		seed_walk_tick(w, day, 13, 0);
		if (seed_walk_front(w, "the pre-birth assessment decision", &c->manager, front_referral_prebirth_decide, ref, d,
		                    NULL) < 0) {
			json_decref(in);
			return -1;
		}
	}
	seed_walk_tick(w, day, 15, 30);
	return seed_walk_front(w, "the strategy discussion", &c->sw, front_strategy_record, w->cases[i], in, NULL);
}

/* ST-11, ST-14: the child seen, the manager's outcome (a conference is needed), the agencies and the parents told,
 * the enquiry closed. */
static int enquiry_to_conference(struct seed_walk *w, int i)
{
	const struct seed_cast *c = w->cast;
	char s47[ID_MAX], when[MOMENT_ISO_LEN];
	if (!seed_walk_lookup(w, "SELECT id FROM s47_enquiries WHERE case_id = $1", w->cases[i], NULL, s47))
		return -1;
	seed_walk_tick(w, w->d0 + 2, 12, 0);
	json_t *in = json_pack("{s:s, s:b, s:b, s:s}", "child_seen_at", seed_walk_at(w, when, w->d0 + 2, 10, 0),
	                       "child_seen_alone", w->fam->goal != SEED_PRE_BIRTH, "joint_visit_discussed", 1,
	                       "risk_assessment", "Likely significant harm without a plan");
	if (seed_walk_front(w, "the enquiry", &c->sw, front_s47_update, s47, in, NULL) < 0)
		return -1;
	/* The assessment runs alongside the enquiry and is concluded before the conference (3.3.3, 2.2.36). */
	char a[ID_MAX];
	seed_walk_tick(w, w->d0 + 2, 12, 30);
	in = json_pack("{s:s}", "assessment_type", w->fam->goal == SEED_PRE_BIRTH ? "PRE_BIRTH" : "S47_LINKED");
	if (seed_walk_front(w, "starting the assessment", &c->sw, front_assessment_start, w->cases[i], in, a) < 0 ||
	    assess(w, i, a, "ASMT_STRATEGY_OR_S47", w->d0 + 3, w->d0 + 4) < 0)
		return -1;
	seed_walk_tick(w, w->d0 + 4, 16, 30);
	in = json_pack("{s:s, s:s, s:s}", "outcome", "S47_SUBSTANTIATED_ICPC", "icpc_decision_reasons",
	               "Concerns substantiated; the child is likely to suffer significant harm",
	               "interim_safety_arrangements", "Daily contact with school or the health visitor until the conference");
	if (seed_walk_front(w, "the enquiry's outcome", &c->manager, front_s47_outcome_cmd, s47, in, NULL) < 0)
		return -1;
	static const char *const told[] = {"AGENCY", "PARENT"};
	seed_walk_tick(w, w->d0 + 5, 12, 5);
	for (int t = 0; t < 2; t++) {
		in = json_pack("{s:s, s:s, s:s, s:s}", "recipient_type", told[t], "purpose", "S47_OUTCOME", "channel",
		               t ? "IN_PERSON" : "EMAIL", "sent_at", seed_walk_at(w, when, w->d0 + 5, 12, 0));
		if (seed_walk_front(w, "telling them the outcome", &c->sw, front_communication_log, w->cases[i], in, NULL) < 0)
			return -1;
	}
	seed_walk_tick(w, w->d0 + 5, 15, 0);
	return seed_walk_front(w, "closing the enquiry", &c->manager, front_s47_conclude, s47, json_object(), NULL);
}

/* ---- the back half ---- */

/* On the day `arranged`, arranges a conference for children [from, to) of the family (ST-15, ST-16, ST-17, ST-22)
 * with the chair, then invites the mother and the professionals, each present unless the meeting is still to come. */
static int arrange(struct seed_walk *w, const char *type, int32_t day, int32_t arranged, int from, int to, bool police)
{
	const struct seed_cast *c = w->cast;
	char when[MOMENT_ISO_LEN];
	seed_walk_tick(w, arranged, 11, 0);
	json_t *ids = json_array();
	for (int i = from; i < to; i++)
		json_array_append_new(ids, json_string(w->fam->children[i]));
	json_t *in = json_pack("{s:s, s:o, s:s, s:s, s:b, s:s, s:b}", "conf_type", type, "child_ids", ids, "scheduled_at",
	                       seed_walk_planned(when, day, 10, 0), "venue", "Civic Centre, meeting room 2",
	                       "childcare_offered", 1, "chair_user_id", c->chair.id, "chair_independence_confirmed", 1);
	if (strcmp(type, "CONF_REVIEW") == 0)
		json_object_set_new(in, "previous_conference_id", json_string(w->icpc_id));
	if (strcmp(type, "CONF_TRANSFER_IN") == 0)
		json_object_set_new(in, "originating_la", json_string("Suffolk County Council"));
	if (seed_walk_back(w, "arranging the conference", &c->sw, schedule, NULL, in, w->conf) < 0)
		return -1;
	bool held = day <= w->today;
	in = json_pack("{s:s, s:s, s:s, s:b}", "person_id", w->fam->mother, "name", w->fam->mother_name, "attendee_role",
	               "PARENT", "pre_meeting_offered", 1);
	if (held)
		json_object_set_new(in, "attendance", json_string("IN_PERSON"));
	if (seed_walk_back(w, "inviting the mother", &c->sw, conference_invite, w->conf, in, NULL) < 0)
		return -1;
	const struct {
		const struct seed_user *u;
		const char *role, *agency;
		bool want;
	} pros[] = {
		{&c->sw, "CSC_SW", c->csc_agency, true},
		{&c->police, "POLICE", c->police_agency, police},
		{&c->health, "HEALTH_HV", c->hv_agency, true},
		{&c->education, "EDUCATION", c->school_agency, true},
	};
	for (size_t i = 0; i < sizeof pros / sizeof pros[0]; i++) {
		if (!pros[i].want)
			continue;
		in = json_pack("{s:s, s:s, s:s, s:b}", "user_id", pros[i].u->id, "attendee_role", pros[i].role, "agency_id",
		               pros[i].agency, "direct_contact", 1);
		if (held)
			json_object_set_new(in, "attendance", json_string("IN_PERSON"));
		if (seed_walk_back(w, "inviting the professionals", &c->sw, conference_invite, w->conf, in, NULL) < 0)
			return -1;
	}
	return 0;
}

/* The social care report (given to the chair and shared with the family `before` weekdays ahead), the police
 * report, and a section of the record the chair keeps from the parents' copy. */
static int prepare(struct seed_walk *w, int32_t day, int before, bool police)
{
	const struct seed_cast *c = w->cast;
	char when[MOMENT_ISO_LEN], rpt[ID_MAX];
	int32_t given = seed_walk_weekdays_before(day, before);
	seed_walk_tick(w, given, 9, 5);
	json_t *in = json_pack("{s:s, s:s, s:s, s:b, s:b, s:s}", "report_type", "REPORT_CSC", "title",
	                       "Social care report", "content",
	                       "Each child was seen, and seen alone where their age allowed. The mother engages; the risks "
	                       "come from the home conditions and the adults' conflict.",
	                       "fact_opinion_distinguished", 1, "each_child_considered", 1, "submitted_at",
	                       seed_walk_at(w, when, given, 9, 0));
	if (seed_walk_back(w, "the social care report", &c->sw, conference_report, w->conf, in, rpt) < 0)
		return -1;
	seed_walk_tick(w, given, 15, 5);
	in = json_pack("{s:s}", "shared_with_family_at", seed_walk_at(w, when, given, 15, 0));
	if (seed_walk_back(w, "sharing the report", &c->sw, conference_report_shared, rpt, in, NULL) < 0)
		return -1;
	if (police) {
		seed_walk_tick(w, given, 12, 5);
		in = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s}", "report_type", "REPORT_AGENCY", "agency_id",
		               c->police_agency, "title", "Police report", "content",
		               "Two call-outs to the address this year; no charges.", "fact_opinion_distinguished", 1,
		               "submitted_at", seed_walk_at(w, when, given, 12, 0));
		if (seed_walk_back(w, "the police report", &c->police, conference_report, w->conf, in, NULL) < 0)
			return -1;
	}
	seed_walk_tick(w, day - 1, 10, 0);
	in = json_pack("{s:s, s:s, s:b, s:s}", "heading", "Information from the police", "body",
	               "A neighbour's statement names a visitor to the home; the police are still tracing him.",
	               "withheld_from_parents", 1, "withholding_reason", "Would prejudice the police enquiry");
	return seed_walk_back(w, "the chair's record", &c->chair, conference_note, w->conf, in, NULL);
}

/* One child's plan decision at an initial or pre-birth conference: the core group is the health visitor and
 * the mother besides the lead social worker. */
static json_t *plan_decision(struct seed_walk *w, int i, int32_t held, bool pre_birth)
{
	const struct seed_cast *c = w->cast;
	const char *name = strcmp(w->fam->forenames[i], "Unborn") == 0 ? "The baby" : w->fam->forenames[i];
	char first[MOMENT_ISO_LEN], review[DATE_ISO_LEN], outcomes[256];
	snprintf(outcomes, sizeof outcomes, "%s is safe from harm at home\n%s's health and development needs are met",
	         name, name);
	json_t *d = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:[{s:s, s:s, s:s, s:s}, {s:s, s:s, s:s}]}",
		"child_id", w->fam->children[i], "decision", "ICPC_PLAN", "decision_reasons",
		"Significant harm is likely without a multi-agency plan", "category", w->fam->category, "likelihood_basis",
		pre_birth ? "LIKELIHOOD_PREDICTED" : "LIKELIHOOD_HARM_SHOWN", "risks_stated", w->fam->concern,
		"what_needs_to_change", "Safe, consistent care every day, and the adults' conflict kept from the children",
		"lead_sw_user_id", c->sw.id, "first_core_group_at",
		seed_walk_planned(first, seed_walk_weekday(held + FIRST_CG_AFTER), 10, 0),
		"core_group_frequency_weeks", 6, "visit_frequency_weeks", 3, "contingency_plan",
		"A legal planning meeting if the plan is not kept to", "outline_outcomes", outcomes, "core_group", "user_id",
		c->health.id, "name", c->health.name, "member_role", "HEALTH_HV", "agency_id", c->hv_agency, "person_id",
		w->fam->mother, "name", w->fam->mother_name, "member_role", "PARENT");
	if (!pre_birth)
		json_object_set_new(d, "next_review_at", json_string(seed_walk_on(review, held + REVIEW_AFTER)));
	return d;
}

/* The chair's decision for each child (children: the decisions, stolen), then the decision letter and the record
 * with the parents' copy (4.14). */
static int decide_conference(struct seed_walk *w, int32_t held, json_t *children)
{
	char when[MOMENT_ISO_LEN];
	json_t *in = json_pack("{s:s, s:s, s:s, s:o}", "held_at", seed_walk_at(w, when, held, 10, 30), "minute_taker",
	                       "Pat Minutes",
	                       "recommendations", "Parenting programme; school nurse drop-ins", "children", children);
	const struct seed_user *chair = &w->cast->chair;
	seed_walk_tick(w, held, 12, 0);
	if (seed_walk_back(w, "the conference's decision", chair, decision_record, w->conf, in, NULL) < 0)
		return -1;
	seed_walk_tick(w, held, 16, 0);
	if (seed_walk_back(w, "the decision letter", chair, documents_decision_letter, w->conf, json_object(), NULL) < 0)
		return -1;
	seed_walk_tick(w, held + 7, 10, 0);
	if (seed_walk_back(w, "the conference record", chair, documents_record, w->conf, json_object(), NULL) < 0)
		return -1;
	/* Amendments back within the week; the social worker goes through the record with the parents (4.14.4). */
	if (held + 9 >= w->today)
		return 0;
	seed_walk_tick(w, held + 8, 15, 5);
	in = json_pack("{s:s}", "received_at", seed_walk_at(w, when, held + 8, 15, 0));
	if (seed_walk_back(w, "the amendments to the record", &w->cast->sw, record_amendments, w->conf, in, NULL) < 0)
		return -1;
	seed_walk_tick(w, held + 9, 15, 5);
	in = json_pack("{s:s}", "discussed_at", seed_walk_at(w, when, held + 9, 15, 0));
	return seed_walk_back(w, "the record gone through with the parents", &w->cast->sw, record_discussed, w->conf, in,
	                      NULL);
}

/* ST-18: the plan into force with an action for its first outcome. */
static int activate(struct seed_walk *w, int i, int32_t held)
{
	const struct seed_cast *c = w->cast;
	char outcome[ID_MAX], due[DATE_ISO_LEN];
	if (!seed_walk_lookup(w, "SELECT plan_id FROM conference_children WHERE conference_id = $1 AND child_id = $2",
	                      w->conf, w->fam->children[i], w->plans[i]) ||
	    !seed_walk_lookup(w, "SELECT id FROM plan_outcomes WHERE plan_id = $1 ORDER BY created_at, id", w->plans[i],
	                      NULL, outcome))
		return -1;
	json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s}", "outcome_id", outcome, "description",
	                       "Weekly family support sessions at home", "owner_name", c->sw.name, "owner_user_id", c->sw.id,
	                       "due_date", seed_walk_on(due, held + 56));
	seed_walk_tick(w, held, 16, 30);
	if (seed_walk_back(w, "the plan's action", &c->sw, plan_add_action, w->plans[i], in, NULL) < 0)
		return -1;
	seed_walk_tick(w, held, 17, 0);
	return seed_walk_back(w, "putting the plan into force", &c->sw, plan_activate, w->plans[i], json_object(), NULL);
}

/* ST-19, ST-20: core groups every 6 weeks (notes out two days later) and visits, on days in [from, until]; visits
 * stop after visits_until. */
static int plan_activity(struct seed_walk *w, int i, int32_t from, int32_t until, int32_t visits_until)
{
	const struct seed_cast *c = w->cast;
	char when[MOMENT_ISO_LEN], cg[ID_MAX];
	int n = 0;
	for (int32_t d = seed_walk_weekday(w->icpc + FIRST_CG_AFTER); d <= until; d = seed_walk_weekday(d + CG_EVERY), n++) {
		if (d < from)
			continue;
		json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s}", "held_at", seed_walk_at(w, when, d, 10, 0), "chair_name",
		                       c->manager.name, "attendees", "Lead social worker, health visitor, mother",
		                       "progress_review", n ? "Steady progress on the outcomes" : "The plan explained to all",
		                       "outcome", "CG_PLAN_CONFIRMED");
		seed_walk_tick(w, d, 11, 0);
		if (seed_walk_back(w, "a core group", &c->sw, core_group_record, w->plans[i], in, cg) < 0)
			return -1;
		int32_t sent = d + 2 <= until ? d + 2 : d;
		seed_walk_tick(w, sent, 17, 0);
		in = json_pack("{s:s}", "notes_circulated_at", seed_walk_at(w, when, sent, 17, 0));
		if (seed_walk_back(w, "the core group's notes", &c->sw, core_group_notes_circulated, cg, in, NULL) < 0)
			return -1;
	}
	int k = 0;
	for (int32_t d = w->icpc + 2; d <= until && d <= visits_until; d += VISIT_EVERY, k++) {
		if (d < from)
			continue;
		bool alone = k % 2 == 0;
		json_t *in = json_pack("{s:s, s:s, s:s, s:b, s:s}", "visit_at", seed_walk_at(w, when, d, 16, 0), "visit_type",
		                       "STATUTORY_CP", "outcome", alone ? "SEEN_ALONE" : "SEEN_WITH_OTHERS", "bedroom_seen",
		                       alone, "child_views", "Says home has been calmer");
		seed_walk_tick(w, d, 17, 0);
		if (seed_walk_back(w, "a visit", &c->sw, visit_record, w->plans[i], in, NULL) < 0)
			return -1;
	}
	return 0;
}

/* The next core group, planned after the last one held (the plan page lists it). */
static int plan_next_core_group(struct seed_walk *w, int i)
{
	int32_t d = seed_walk_weekday(w->icpc + FIRST_CG_AFTER);
	while (d <= w->today)
		d = seed_walk_weekday(d + CG_EVERY);
	char when[MOMENT_ISO_LEN];
	seed_walk_tick(w, w->today, 9, 0);
	json_t *in = json_pack("{s:s, s:s}", "scheduled_at", seed_walk_planned(when, d, 10, 0), "venue", "Family centre");
	return seed_walk_back(w, "planning the next core group", &w->cast->sw, core_group_record, w->plans[i], in, NULL);
}

/* ST-22, ST-23: the review conference for the children on plans; it continues the plans or ends them. */
static int review(struct seed_walk *w, int32_t day, int n, bool end)
{
	char next[DATE_ISO_LEN];
	if (arrange(w, "CONF_REVIEW", day, day - 14, 0, n, false) < 0 || prepare(w, day, 6, false) < 0)
		return -1;
	json_t *kids = json_array();
	for (int i = 0; i < n; i++) {
		json_t *d = json_pack("{s:s, s:s, s:s, s:s}", "child_id", w->fam->children[i], "decision",
		                      end ? "RCPC_DISCONTINUE" : "RCPC_CONTINUE", "decision_reasons",
		                      end ? "The outcomes are met and have lasted" : "Progress, but the risks remain",
		                      "significant_harm_judgement",
		                      end ? "No longer likely to suffer significant harm"
		                          : "Still likely to suffer significant harm");
		if (end)
			json_object_set_new(d, "cin_recommendations", json_string("Family support continues as a child in need"));
		else
			json_object_set_new(d, "next_review_at", json_string(seed_walk_on(next, day + 150)));
		json_array_append_new(kids, d);
	}
	return decide_conference(w, day, kids);
}

/* ST-17: the move in on another authority's plan, its temporary plan, and the transfer-in conference arranged. */
static int transfer_in(struct seed_walk *w)
{
	char when[MOMENT_ISO_LEN];
	if (intake(w, false) < 0)
		return -1;
	for (int i = 0; i < w->fam->n_children; i++) {
		json_t *in = json_pack("{s:s, s:s, s:s, s:s}", "originating_la", "Suffolk County Council", "notified_at",
		                       seed_walk_at(w, when, w->d0, 9, 45), "category", w->fam->category, "lead_sw_user_id",
		                       w->cast->sw.id);
		seed_walk_tick(w, w->d0, 9, 50);
		if (seed_walk_back(w, "the move in on a plan", &w->cast->sw, plan_transfer_in, w->cases[i], in, NULL) < 0)
			return -1;
	}
	w->icpc = seed_walk_weekday(w->d0 + ICPC_AFTER);
	return arrange(w, "CONF_TRANSFER_IN", w->icpc, w->d0, 0, w->fam->n_children, true);
}

/* From the strategy discussion to the plans in force (or to the goal's earlier stop). */
static int to_conference(struct seed_walk *w)
{
	const struct seed_family_walk *f = w->fam;
	int n = f->n_children;
	for (int i = 0; i < n; i++)
		if (strategy(w, i) < 0)
			return -1;
	if (f->goal == SEED_S47)
		return 0;
	for (int i = 0; i < n; i++)
		if (enquiry_to_conference(w, i) < 0)
			return -1;
	if (f->goal == SEED_ICPC_PENDING)
		return 0;
	w->icpc = seed_walk_weekday(w->d0 + ICPC_AFTER);
	bool pre_birth = f->goal == SEED_PRE_BIRTH;
	if (arrange(w, pre_birth ? "CONF_PRE_BIRTH" : "CONF_INITIAL", w->icpc, w->d0 + 6, 0, n, true) < 0)
		return -1;
	snprintf(w->icpc_id, sizeof w->icpc_id, "%s", w->conf);
	if (f->goal == SEED_ICPC_ARRANGED)
		return 0;
	if (prepare(w, w->icpc, 3, true) < 0)
		return -1;
	int plans = f->goal == SEED_MIXED ? 1 : n;
	json_t *kids = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
			kids, i < plans ? plan_decision(w, i, w->icpc, pre_birth)
			                : json_pack("{s:s, s:s, s:s, s:s, s:b}", "child_id", f->children[i], "decision",
			                            "ICPC_NO_PLAN_CIN", "decision_reasons", "Not exposed to the same risks",
			                            "cin_recommendations", "Family support worker; school nurse", "step_down_considered",
			                            1));
	if (decide_conference(w, w->icpc, kids) < 0)
		return -1;
	for (int i = 0; i < plans; i++)
		if (activate(w, i, w->icpc) < 0)
			return -1;
	int32_t review_day = seed_walk_weekday(w->icpc + REVIEW_AFTER);
	bool reviewed = f->goal == SEED_REVIEWED || f->goal == SEED_STEP_DOWN;
	int32_t until = reviewed ? review_day - 1 : w->today - 1;
	int32_t visits_until = f->goal == SEED_PLAN_NO_VISITS ? w->icpc + 12 : pre_birth ? w->icpc - 1 : until;
	for (int i = 0; i < plans; i++)
		if (plan_activity(w, i, w->icpc, until, visits_until) < 0)
			return -1;
	if (reviewed && review(w, review_day, plans, f->goal == SEED_STEP_DOWN) < 0)
		return -1;
	for (int i = 0; f->goal == SEED_REVIEWED && i < plans; i++)
		if (plan_activity(w, i, review_day + 1, w->today - 1, w->today - 1) < 0)
			return -1;
	for (int i = 0; f->goal != SEED_STEP_DOWN && i < plans; i++)
		if (plan_next_core_group(w, i) < 0)
			return -1;
	return 0;
}

int seed_pathway_walk(struct seed_pathway *sp, const struct seed_cast *cast, const struct seed_family_walk *fam,
                      struct buf *err)
{
	moment_fix_now(0);
	struct seed_walk w = {.sp = sp, .cast = cast, .fam = fam, .err = err, .today = date_today(), .real_now = moment_now()};
	w.d0 = w.today - fam->days_ago;
	int rc = 0;
	if (fam->goal == SEED_TRANSFER_IN)
		rc = transfer_in(&w);
	else if (intake(&w, fam->goal != SEED_CONTACT) < 0)
		rc = -1;
	else if (fam->goal == SEED_CLOSED)
		rc = decide(&w, "REF_NFA");
	else if (fam->goal == SEED_EARLY_HELP)
		rc = decide(&w, "REF_EARLY_HELP");
	else if (fam->goal == SEED_ASSESSMENT || fam->goal == SEED_CIN)
		rc = decide(&w, "REF_ASSESSMENT");
	else if (fam->goal != SEED_CONTACT && fam->goal != SEED_REFERRAL)
		rc = decide(&w, "REF_STRATEGY") < 0 || (fam->goal != SEED_STRATEGY && to_conference(&w) < 0) ? -1 : 0;
	for (int i = 0; rc == 0 && fam->goal == SEED_CIN && i < fam->n_children; i++)
		rc = assess_to_cin(&w, i);
	moment_fix_now(0);
	return rc;
}

int seed_pathway_open(struct seed_pathway *sp, struct store *st, const char *home, struct calendar *cal,
                      struct clock_rules *rules, struct buf *err)
{
	memset(sp, 0, sizeof *sp);
	sp->st = st;
	struct buf dir;
	buf_init(&dir, 4096);
	buf_addf(&dir, "%s/rules", home);
	sp->app.rules_dir = buf_detach(&dir);
	sp->app.calendar = cal;
	sp->app.clock_rules = rules;
	return policy_load(sp->app.rules_dir, err) < 0 || stage_load(sp->app.rules_dir, err) < 0 ? -1 : 0;
}

void seed_pathway_close(struct seed_pathway *sp)
{
	policy_free();
	stage_free();
	free(sp->app.rules_dir);
	sp->app.rules_dir = NULL;
}
