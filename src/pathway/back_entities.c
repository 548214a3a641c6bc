/* The records of the back half of the pathway (spec procedures-A1-5 4.13-4.20) as field tables for record.h, so
 * one description serves validation, forms, messages and SQL. Columns are those of migrations/0007. */
#include "pathway/back.h"

#define STAMPS                                                                                                       \
	{"created_at", FIELD_TEXT, FIELD_READONLY}, { "created_by", FIELD_TEXT, FIELD_READONLY }
#define UPDATED                                                                                                      \
	{"updated_at", FIELD_TEXT, FIELD_READONLY}, { "updated_by", FIELD_TEXT, FIELD_READONLY }

/* 4.13 Conference: what is given when it is convened or rescheduled. */
static const struct field conference_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY, "ID"},
	{"conf_type", FIELD_ENUM, FIELD_REQUIRED | FIELD_CREATE_ONLY, "type of conference", .enum_name = "conference_type"},
	{"status", FIELD_TEXT, FIELD_READONLY, "status"},
	{"scheduled_at", FIELD_MOMENT, FIELD_REQUIRED, "date and time of the conference"},
	{"held_at", FIELD_MOMENT, FIELD_READONLY, "held"},
	{"venue", FIELD_TEXT, 0, "venue", 200},
	{"childcare_offered", FIELD_BOOL, 0, "childcare offered to the parents"},
	{"chair_user_id", FIELD_REF, 0, "chair", .ref_table = "users"},
	{"chair_independence_confirmed", FIELD_BOOL, 0, "chair's independence confirmed"},
	{"minute_taker", FIELD_TEXT, FIELD_READONLY, "minute taker"},
	{"parents_not_invited_reason", FIELD_LONG, 0, "why the parents are not invited", 2000},
	{"brought_forward_trigger", FIELD_ENUM, 0, "reason the review is brought forward", .enum_name = "review_trigger"},
	{"previous_conference_id", FIELD_REF, FIELD_CREATE_ONLY, "previous conference", .ref_table = "conferences"},
	{"originating_la", FIELD_TEXT, 0, "originating authority", 200},
	{"reschedule_count", FIELD_INT, FIELD_READONLY, "times rescheduled"},
	{"reschedule_reason", FIELD_LONG, 0, "reason for the new date", 2000},
	{"police_caution_note", FIELD_LONG, FIELD_READONLY, "police contribution"},
	{"quorum_met", FIELD_BOOL, FIELD_READONLY, "quorate"},
	{"police_present", FIELD_BOOL, FIELD_READONLY, "police present"},
	{"csc_present", FIELD_BOOL, FIELD_READONLY, "children's social care present"},
	{"inquorate_no_three_agencies", FIELD_BOOL, FIELD_READONLY},
	{"inquorate_enough_information", FIELD_BOOL, FIELD_READONLY},
	{"inquorate_delay_harmful", FIELD_BOOL, FIELD_READONLY},
	{"inquorate_reason", FIELD_LONG, FIELD_READONLY},
	{"recommendations", FIELD_LONG, FIELD_READONLY},
	{"decision_letter_sent_at", FIELD_TEXT, FIELD_READONLY},
	{"record_sent_at", FIELD_TEXT, FIELD_READONLY},
	{"record_version", FIELD_INT, FIELD_READONLY},
	{"record_amendments_received_at", FIELD_TEXT, FIELD_READONLY},
	{"record_discussed_with_parents_at", FIELD_TEXT, FIELD_READONLY},
	STAMPS, UPDATED,
	{NULL},
};
const struct entity back_conference = {"conference", "conferences", "conf", conference_fields, true, NULL};

/* The conference-level part of the decision: held, minutes, quorum override (4.3.11), recommendations. */
static const struct field held_fields[] = {
	{"held_at", FIELD_MOMENT, FIELD_REQUIRED, "date and time the conference was held"},
	{"minute_taker", FIELD_TEXT, FIELD_REQUIRED, "minute taker", 200},
	{"police_caution_note", FIELD_LONG, 0, "how the police contribution was managed", 2000},
	{"recommendations", FIELD_LONG, 0, "recommendations", 10000},
	{"inquorate_no_three_agencies", FIELD_BOOL, 0, "the child has not had contact with three agencies"},
	{"inquorate_enough_information", FIELD_BOOL, 0, "there is enough information to decide"},
	{"inquorate_delay_harmful", FIELD_BOOL, 0, "delay would harm the child"},
	{"inquorate_reason", FIELD_LONG, 0, "why the conference goes ahead without a quorum", 2000},
	{NULL},
};
const struct entity back_conference_held = {"conference", "conferences", "conf", held_fields, true, NULL};

/* One child's part of a conference: participation (4.4) and the decision (4.8.2, 4.9, 4.10, 4.1.19). */
static const struct field child_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY},
	{"conference_id", FIELD_TEXT, FIELD_READONLY},
	{"child_id", FIELD_TEXT, FIELD_READONLY},
	{"case_id", FIELD_TEXT, FIELD_READONLY},
	{"participation", FIELD_ENUM, 0, "how the child takes part", .enum_name = "child_participation"},
	{"child_wish", FIELD_LONG, 0, "what the child wants", 2000},
	{"parents_view_on_attending", FIELD_LONG, 0, "what the parents think about the child attending", 2000},
	{"decision", FIELD_ENUM, FIELD_REQUIRED, "decision", .enum_name = "conference_decision"},
	{"decision_reasons", FIELD_LONG, FIELD_REQUIRED, "reasons for the decision", 10000},
	{"category", FIELD_ENUM, 0, "category of abuse", .enum_name = "cp_category"},
	{"likelihood_basis", FIELD_ENUM, 0, "basis of the likelihood of significant harm", .enum_name = "likelihood_basis"},
	{"risks_stated", FIELD_LONG, 0, "the risks", 10000},
	{"what_needs_to_change", FIELD_LONG, 0, "what needs to change", 10000},
	{"significant_harm_judgement", FIELD_LONG, 0, "judgement on current and likely significant harm", 10000},
	{"consider_legal_proceedings", FIELD_BOOL, 0, "legal proceedings to be considered"},
	{"new_assessment_required", FIELD_BOOL, 0, "a new assessment is needed"},
	{"step_down_considered", FIELD_BOOL, 0, "step-down or family group conference considered"},
	{"full_assessment_completed", FIELD_BOOL, 0, "full assessment of the family in its new situation"},
	{"cin_recommendations", FIELD_LONG, 0, "child in need plan or recommendations", 10000},
	{"lead_sw_user_id", FIELD_REF, 0, "lead social worker", .ref_table = "users"},
	{"first_core_group_at", FIELD_MOMENT, 0, "date of the first core group"},
	{"core_group_frequency_weeks", FIELD_INT, 0, "weeks between core groups"},
	{"visit_frequency_weeks", FIELD_INT, 0, "weeks between visits"},
	{"next_review_at", FIELD_DATE, 0, "date of the review conference"},
	{"contingency_plan", FIELD_LONG, 0, "contingency plan", 10000},
	{"outline_outcomes", FIELD_LONG, 0, "outcomes of the outline plan", 10000},
	{"plan_id", FIELD_TEXT, FIELD_READONLY},
	{"decided_at", FIELD_TEXT, FIELD_READONLY},
	{"decided_by", FIELD_TEXT, FIELD_READONLY},
	{NULL},
};
const struct entity back_conference_child = {"conference decision", "conference_children", "cch", child_fields,
                                             false, NULL};

static const struct field invitation_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY},
	{"conference_id", FIELD_TEXT, FIELD_READONLY},
	{"user_id", FIELD_REF, FIELD_CREATE_ONLY, "user", .ref_table = "users"},
	{"person_id", FIELD_REF, FIELD_CREATE_ONLY, "family member", .ref_table = "persons"},
	{"name", FIELD_TEXT, FIELD_REQUIRED, "name", 200},
	{"attendee_role", FIELD_ENUM, FIELD_REQUIRED, "role at the conference", .enum_name = "conference_attendee_role"},
	{"agency_id", FIELD_REF, 0, "agency", .ref_table = "agencies"},
	{"sent_at", FIELD_MOMENT, 0, "date the invitation was sent"},
	{"direct_contact", FIELD_BOOL, 0, "the agency has had direct contact with each child"},
	{"attendance", FIELD_ENUM, 0, "attendance", .enum_name = "attendance_mode"},
	{"delegate_name", FIELD_TEXT, 0, "delegate", 200},
	{"pre_meeting_offered", FIELD_BOOL, 0, "pre-meeting with the chair offered"},
	{"interpreter_needed", FIELD_BOOL, 0, "interpreter needed"},
	{"observer_chair_consent", FIELD_BOOL, 0, "the chair consents to the observer"},
	{"observer_family_consent", FIELD_BOOL, 0, "the family consents to the observer"},
	{"case_member_ids", FIELD_TEXT, FIELD_READONLY},
	STAMPS, UPDATED,
	{NULL},
};
const struct entity back_invitation = {"invitation", "conference_invitations", "inv", invitation_fields, true, NULL};

static const struct field report_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY},
	{"conference_id", FIELD_TEXT, FIELD_READONLY},
	{"report_type", FIELD_ENUM, FIELD_REQUIRED, "type of report", .enum_name = "conference_report_type"},
	{"agency_id", FIELD_REF, 0, "agency", .ref_table = "agencies"},
	{"author_user_id", FIELD_TEXT, FIELD_READONLY},
	{"title", FIELD_TEXT, FIELD_REQUIRED, "title", 200},
	{"content", FIELD_LONG, FIELD_REQUIRED, "report", 100000},
	{"fact_opinion_distinguished", FIELD_BOOL, 0, "fact, allegation and opinion are kept apart"},
	{"each_child_considered", FIELD_BOOL, 0, "every child in the household is considered"},
	{"submitted_at", FIELD_MOMENT, 0, "date the report was given"},
	{"shared_with_family_at", FIELD_MOMENT, FIELD_READONLY, "shared with the family"},
	{"withheld_from_family", FIELD_BOOL, 0, "withheld from the family"},
	{"withholding_reason", FIELD_LONG, 0, "reason for withholding", 2000},
	STAMPS,
	{NULL},
};
const struct entity back_report = {"conference report", "conference_reports", "rpt", report_fields, false, NULL};

static const struct field exclusion_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY},
	{"conference_id", FIELD_TEXT, FIELD_READONLY},
	{"person_id", FIELD_REF, FIELD_REQUIRED, "person", .ref_table = "persons"},
	{"requested_by", FIELD_TEXT, FIELD_READONLY},
	{"requested_at", FIELD_MOMENT, FIELD_READONLY},
	{"grounds", FIELD_TEXT, FIELD_REQUIRED, "grounds", 1000},
	{"evidence", FIELD_LONG, FIELD_REQUIRED, "evidence", 10000},
	{"legal_advice_taken", FIELD_BOOL, 0, "legal advice taken"},
	{"representative", FIELD_TEXT, 0, "friend or advocate who represents them", 200},
	{"decision", FIELD_ENUM, FIELD_READONLY, "decision", .enum_name = "exclusion_extent"},
	{"decided_by", FIELD_TEXT, FIELD_READONLY},
	{"decided_at", FIELD_TEXT, FIELD_READONLY},
	{"period", FIELD_TEXT, FIELD_READONLY},
	{"communicated_in_writing_at", FIELD_TEXT, FIELD_READONLY},
	{"views_arrangements", FIELD_TEXT, FIELD_READONLY},
	{"receives_record", FIELD_TEXT, FIELD_READONLY},
	STAMPS,
	{NULL},
};
const struct entity back_exclusion = {"exclusion", "conference_exclusions", "exc", exclusion_fields, false, NULL};

/* The chair's decision on an exclusion (4.5.5, 4.5.8-4.5.10). */
static const struct field exclusion_decision_fields[] = {
	{"decision", FIELD_ENUM, FIELD_REQUIRED, "decision", .enum_name = "exclusion_extent"},
	{"period", FIELD_TEXT, 0, "for how long", 500},
	{"communicated_in_writing_at", FIELD_MOMENT, 0, "date the parent was told in writing"},
	{"views_arrangements", FIELD_LONG, 0, "how their views will be recorded and presented", 2000},
	{"receives_record", FIELD_ENUM, 0, "copy of the record", .enum_name = "record_copy"},
	{"representative", FIELD_TEXT, 0, "friend or advocate who represents them", 200},
	{"legal_advice_taken", FIELD_BOOL, 0, "legal advice taken"},
	{NULL},
};
const struct entity back_exclusion_decision = {"exclusion", "conference_exclusions", "exc",
                                               exclusion_decision_fields, false, NULL};

static const struct field note_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY},
	{"conference_id", FIELD_TEXT, FIELD_READONLY},
	{"heading", FIELD_TEXT, FIELD_REQUIRED, "heading", 200},
	{"body", FIELD_LONG, FIELD_REQUIRED, "text", 100000},
	{"withheld_from_parents", FIELD_BOOL, 0, "withheld from the parents' copy"},
	{"withholding_reason", FIELD_LONG, 0, "reason for withholding", 2000},
	STAMPS,
	{NULL},
};
const struct entity back_note = {"record section", "conference_notes", "cnt", note_fields, false, NULL};

static const struct field view_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY},
	{"conference_id", FIELD_TEXT, FIELD_READONLY},
	{"child_id", FIELD_REF, FIELD_REQUIRED, "child", .ref_table = "children"},
	{"agency_id", FIELD_REF, 0, "agency", .ref_table = "agencies"},
	{"professional_name", FIELD_TEXT, FIELD_REQUIRED, "name of the professional", 200},
	{"view", FIELD_ENUM, FIELD_REQUIRED, "view", .enum_name = "agency_view"},
	{"dissent_position", FIELD_ENUM, FIELD_READONLY, "dissent", .enum_name = "dissent_position"},
	{"designated_lead_at", FIELD_MOMENT, 0, "date raised with the designated lead"},
	{"designated_lead_concurs", FIELD_BOOL, 0, "the designated lead agrees"},
	{"chair_manager_alerted_at", FIELD_MOMENT, 0, "date the chair's line manager was alerted"},
	{"manager_user_id", FIELD_TEXT, FIELD_READONLY},
	{"manager_decision", FIELD_ENUM, 0, "line manager's decision", .enum_name = "dissent_manager_decision"},
	{"manager_decided_at", FIELD_MOMENT, 0, "date of the line manager's decision"},
	{"director_referral_at", FIELD_MOMENT, 0, "date referred to the Director"},
	{"director_decision", FIELD_LONG, 0, "the Director's decision", 4000},
	STAMPS,
	{NULL},
};
const struct entity back_view = {"agency view", "conference_views", "cvw", view_fields, false, NULL};

/* 4.16 CP plan: the parts the lead social worker keeps up to date. */
static const struct field plan_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY},
	{"child_id", FIELD_TEXT, FIELD_READONLY},
	{"case_id", FIELD_TEXT, FIELD_READONLY},
	{"conference_id", FIELD_TEXT, FIELD_READONLY},
	{"status", FIELD_ENUM, FIELD_READONLY, "status", .enum_name = "cp_plan_status"},
	{"category", FIELD_ENUM, FIELD_READONLY, "category", .enum_name = "cp_category"},
	{"lead_sw_user_id", FIELD_REF, 0, "lead social worker", .ref_table = "users"},
	{"contingency_plan", FIELD_LONG, 0, "contingency plan", 10000},
	{"legal_action_triggers", FIELD_LONG, 0, "what would lead to legal action", 4000},
	{"visit_frequency_weeks", FIELD_INT, 0, "weeks between visits"},
	{"core_group_frequency_weeks", FIELD_INT, 0, "weeks between core groups"},
	{"next_review_at", FIELD_DATE, FIELD_READONLY, "next review conference"},
	{"originating_la", FIELD_TEXT, FIELD_READONLY},
	{"transfer_notified_at", FIELD_TEXT, FIELD_READONLY},
	{"start_date", FIELD_TEXT, FIELD_READONLY},
	{"activated_at", FIELD_TEXT, FIELD_READONLY},
	{"activated_by", FIELD_TEXT, FIELD_READONLY},
	{"end_date", FIELD_TEXT, FIELD_READONLY},
	{"end_reason", FIELD_ENUM, FIELD_READONLY, "reason the plan ended", .enum_name = "discontinuation_reason"},
	{"ended_by", FIELD_TEXT, FIELD_READONLY},
	{"end_conference_id", FIELD_TEXT, FIELD_READONLY},
	{"consultation_record", FIELD_LONG, FIELD_READONLY},
	{"receiving_la_confirmed_at", FIELD_TEXT, FIELD_READONLY},
	{"step_down_cin", FIELD_BOOL, FIELD_READONLY},
	{"post_plan_meeting_at", FIELD_TEXT, FIELD_READONLY},
	{"post_plan_meeting_notes", FIELD_LONG, FIELD_READONLY},
	STAMPS, UPDATED,
	{NULL},
};
const struct entity back_plan = {"child protection plan", "cp_plans", "cpp", plan_fields, true, NULL};

static const struct field member_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY},
	{"plan_id", FIELD_TEXT, FIELD_READONLY},
	{"user_id", FIELD_REF, 0, "user", .ref_table = "users"},
	{"person_id", FIELD_REF, 0, "family member", .ref_table = "persons"},
	{"name", FIELD_TEXT, FIELD_REQUIRED, "name", 200},
	{"member_role", FIELD_ENUM, FIELD_REQUIRED, "role", .enum_name = "conference_attendee_role"},
	{"agency_id", FIELD_REF, 0, "agency", .ref_table = "agencies"},
	{"contact_frequency", FIELD_TEXT, 0, "how often they see the child", 200},
	{"case_member_id", FIELD_TEXT, FIELD_READONLY},
	{"start_date", FIELD_TEXT, FIELD_READONLY},
	{"end_date", FIELD_TEXT, FIELD_READONLY},
	STAMPS,
	{NULL},
};
const struct entity back_plan_member = {"core group member", "plan_members", "pmb", member_fields, false, NULL};

static const struct field outcome_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY},
	{"plan_id", FIELD_TEXT, FIELD_READONLY},
	{"description", FIELD_LONG, FIELD_REQUIRED, "outcome", 2000},
	{"measure", FIELD_LONG, 0, "how progress will be judged", 2000},
	STAMPS,
	{NULL},
};
const struct entity back_outcome = {"outcome", "plan_outcomes", "pout", outcome_fields, false, NULL};

/* 4.18 Action: who does what by when. */
static const struct field action_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY},
	{"plan_id", FIELD_TEXT, FIELD_READONLY},
	{"outcome_id", FIELD_REF, FIELD_CREATE_ONLY, "outcome", .ref_table = "plan_outcomes"},
	{"description", FIELD_LONG, FIELD_REQUIRED | FIELD_CREATE_ONLY, "action", 2000},
	{"owner_name", FIELD_TEXT, FIELD_REQUIRED, "who will do it", 200},
	{"owner_user_id", FIELD_REF, 0, "owner", .ref_table = "users"},
	{"owner_agency_id", FIELD_REF, 0, "owner's agency", .ref_table = "agencies"},
	{"due_date", FIELD_DATE, FIELD_REQUIRED, "date it is due"},
	{"status", FIELD_ENUM, 0, "status", .enum_name = "plan_action_status"},
	{"completed_at", FIELD_DATE, 0, "date done"},
	STAMPS, UPDATED,
	{NULL},
};
const struct entity back_action = {"action", "plan_actions", "pact", action_fields, true, NULL};

/* 4.17 Core group meeting. */
static const struct field core_group_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY},
	{"plan_id", FIELD_TEXT, FIELD_READONLY},
	{"sequence_no", FIELD_INT, FIELD_READONLY},
	{"scheduled_at", FIELD_MOMENT, 0, "date and time planned"},
	{"held_at", FIELD_MOMENT, 0, "date and time held"},
	{"chair_name", FIELD_TEXT, 0, "chair", 200},
	{"venue", FIELD_TEXT, 0, "venue", 200},
	{"attendees", FIELD_LONG, 0, "who attended", 4000},
	{"apologies", FIELD_LONG, 0, "apologies and written reports", 4000},
	{"progress_review", FIELD_LONG, 0, "progress against the outcomes", 10000},
	{"risk_analysis", FIELD_LONG, 0, "risk analysis", 10000},
	{"new_household_members", FIELD_LONG, 0, "new adults or children in the household or visiting often", 4000},
	{"plan_changes", FIELD_LONG, 0, "changes to the plan", 10000},
	{"disagreements", FIELD_LONG, 0, "disagreements and the reasons", 4000},
	{"outcome", FIELD_ENUM, 0, "outcome of the meeting", .enum_name = "core_group_outcome"},
	{"next_meeting_at", FIELD_MOMENT, 0, "date of the next meeting"},
	{"reschedule_count", FIELD_INT, FIELD_READONLY},
	{"written_confirmation_sent_at", FIELD_MOMENT, 0, "date the new date was confirmed in writing"},
	{"notes_circulated_at", FIELD_MOMENT, FIELD_READONLY, "notes circulated"},
	STAMPS, UPDATED,
	{NULL},
};
const struct entity back_core_group = {"core group meeting", "core_group_meetings", "cgm", core_group_fields, true,
                                       NULL};

/* 4.19 Visit. */
static const struct field visit_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY},
	{"plan_id", FIELD_TEXT, FIELD_READONLY},
	{"child_id", FIELD_TEXT, FIELD_READONLY},
	{"case_id", FIELD_TEXT, FIELD_READONLY},
	{"visitor_user_id", FIELD_TEXT, FIELD_READONLY},
	{"visit_at", FIELD_MOMENT, FIELD_REQUIRED, "date and time of the visit"},
	{"visit_type", FIELD_ENUM, FIELD_REQUIRED, "type of visit", .enum_name = "visit_type"},
	{"outcome", FIELD_ENUM, FIELD_REQUIRED, "whether the child was seen", .enum_name = "visit_outcome"},
	{"bedroom_seen", FIELD_BOOL, 0, "bedroom seen"},
	{"infant_seen_awake", FIELD_BOOL, 0, "baby seen awake"},
	{"others_present", FIELD_LONG, 0, "who else was there", 2000},
	{"child_views", FIELD_LONG, 0, "what the child said", 10000},
	{"observations", FIELD_LONG, 0, "observations", 10000},
	{"no_access_reason", FIELD_LONG, 0, "what happened when there was no access", 2000},
	{"consecutive_no_access", FIELD_INT, FIELD_READONLY},
	{"follow_up_actions", FIELD_LONG, 0, "follow-up actions", 4000},
	STAMPS,
	{NULL},
};
const struct entity back_visit = {"visit", "plan_visits", "vis", visit_fields, false, NULL};
