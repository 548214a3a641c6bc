/* The records of the front half of the pathway (migrations/0006_pathway_front.sql) as field tables for record.h.
 * A "full" entity lists every column (system-set ones READONLY), so it reads rows with the right types and accepts
 * exactly what a practitioner may type; a command that writes only part of a row has its own subset entity over
 * the same table, so its input cannot touch anything else. Enumerations are lists of rules/enums.d/pathway_front.json
 * (cited there). */
#include "pathway/front.h"

#define CREATED {"created_at", FIELD_TEXT, FIELD_READONLY}, {"created_by", FIELD_TEXT, FIELD_READONLY}
#define UPDATED {"updated_at", FIELD_TEXT, FIELD_READONLY}, {"updated_by", FIELD_TEXT, FIELD_READONLY}
#define RO_TEXT(n) {n, FIELD_TEXT, FIELD_READONLY}
#define RO_BOOL(n) {n, FIELD_BOOL, FIELD_READONLY}
#define RO_INT(n) {n, FIELD_INT, FIELD_READONLY}
/* R-94 (2.6.5): an unborn child's gestation when the referral came in; worked out from the expected date of
 * delivery when the referrer does not give it (contact.c). */
#define GESTATION_FIELD                                                                                                \
	{"gestation_weeks_at_referral", FIELD_INT, 0, "weeks of pregnancy when the referral came in",                     \
	 .hint = "Unborn child only. Leave empty to work it out from the expected date of delivery"}

/* 4.5 Contact. Referrer details of a non-professional are shown only inside children's social care. */
static const struct field contact_fields[] = {
	RO_TEXT("id"),
	{"received_at", FIELD_MOMENT, FIELD_REQUIRED, "when the contact was received"},
	{"channel", FIELD_ENUM, FIELD_REQUIRED, "how the contact came in", .enum_name = "contact_channel"},
	{"contact_type", FIELD_ENUM, FIELD_REQUIRED, "type of contact", .enum_name = "contact_type"},
	{"referrer_type", FIELD_ENUM, FIELD_REQUIRED, "who is making contact", .enum_name = "referrer_type"},
	{"out_of_hours", FIELD_BOOL, 0, "out of hours"},
	{"anonymous", FIELD_BOOL, 0, "anonymous"},
	{"anonymity_requested", FIELD_BOOL, 0, "anonymity requested"},
	{"identity_disclosure_consent", FIELD_BOOL, 0, "consent to their identity being shared"},
	{"referrer_name", FIELD_TEXT, 0, "referrer's name", 200},
	{"referrer_role", FIELD_TEXT, 0, "referrer's role or job", 200},
	{"referrer_agency_id", FIELD_REF, 0, "referrer's agency", .ref_table = "agencies"},
	{"referrer_agency_name", FIELD_TEXT, 0, "referrer's organisation", 200},
	{"referrer_phone", FIELD_TEXT, 0, "referrer's telephone", 40},
	{"referrer_email", FIELD_TEXT, 0, "referrer's email", 200},
	{"referrer_relationship", FIELD_TEXT, 0, "referrer's relationship to the child", 200},
	RO_TEXT("referrer_user_id"),
	{"feedback_wanted", FIELD_BOOL, 0, "feedback wanted"},
	{"feedback_method", FIELD_ENUM, 0, "how the referrer wants feedback", .enum_name = "feedback_method"},
	{"interview_offered", FIELD_BOOL, 0, "interview offered"},
	{"concern_summary", FIELD_LONG, FIELD_REQUIRED, "what was reported and seen", 10000},
	{"referrer_opinion", FIELD_LONG, 0, "the referrer's opinion", 10000},
	{"immediate_danger", FIELD_BOOL, 0, "child in immediate danger"},
	{"parental_agreement", FIELD_ENUM, 0, "parents' agreement to the referral", .enum_name = "parental_agreement"},
	{"parental_not_sought_reason", FIELD_ENUM, 0, "why agreement was not sought",
	 .enum_name = "consent_not_sought_reason"},
	{"parental_reason_detail", FIELD_LONG, 0, "reasons about parental agreement", 4000},
	RO_TEXT("status"), RO_TEXT("closed_reason"),
	CREATED, UPDATED,
	{NULL},
};
const struct entity front_contact = {"contact", "contacts", "con", contact_fields, true, NULL};

/* 4.6 Referral: what may be typed after the referral exists; decisions and consents have their own commands. */
static const struct field referral_fields[] = {
	RO_TEXT("id"), RO_TEXT("contact_id"), RO_TEXT("case_id"), RO_TEXT("child_id"), RO_TEXT("received_at"),
	RO_BOOL("verbal"), RO_TEXT("written_confirmation_at"),
	{"route", FIELD_ENUM, 0, "route of the referral", .enum_name = "referral_route"},
	{"concern_description", FIELD_LONG, 0, "the concern", 10000},
	{"concern_identified_at", FIELD_MOMENT, 0, "when the concern was identified"},
	{"child_location", FIELD_TEXT, 0, "where the child is now", 500},
	{"immediate_protection_needed", FIELD_BOOL, 0, "immediate protection needed"},
	{"paediatric_same_day", FIELD_BOOL, 0, "severe neglect, physical injury or penetrative sexual abuse"},
	{"child_views", FIELD_LONG, 0, "the child's views", 10000},
	{"interpreter_need", FIELD_TEXT, 0, "interpreter or communication need", 200},
	RO_TEXT("parental_agreement"), RO_TEXT("parental_not_sought_reason"), RO_TEXT("parental_reason_detail"),
	RO_BOOL("checks_without_consent"), RO_TEXT("checks_without_consent_reason"),
	RO_TEXT("checks_without_consent_detail"), RO_TEXT("checks_authorised_by"), RO_TEXT("checks_authorised_at"),
	RO_TEXT("acknowledged_at"), RO_TEXT("expected_decision_by"),
	RO_TEXT("decision"), RO_TEXT("decision_at"), RO_TEXT("decided_by"), RO_TEXT("decision_reasons"),
	RO_BOOL("needs_immediate_protection"), RO_BOOL("is_cin"), RO_BOOL("reasonable_cause_s47"),
	RO_BOOL("specialist_assessment_required"), RO_BOOL("see_child_asap"),
	{"services_required", FIELD_LONG, 0, "services required", 4000},
	{"agreed_actions", FIELD_LONG, 0, "actions agreed with the referrer", 4000},
	RO_TEXT("alternative_support"), RO_TEXT("family_feedback_by"), RO_BOOL("family_informed"),
	RO_TEXT("family_not_informed_reason"),
	GESTATION_FIELD,
	RO_TEXT("prebirth_assessment_decision"), RO_TEXT("prebirth_decision_rationale"), RO_TEXT("prebirth_risks"),
	RO_TEXT("prebirth_strengths"), RO_TEXT("prebirth_decided_by"), RO_TEXT("prebirth_decided_at"),
	RO_INT("prebirth_gestation_weeks_at_decision"),
	CREATED, UPDATED,
	{NULL},
};
const struct entity front_referral = {"referral", "referrals", "ref", referral_fields, true, NULL};

static const struct field referral_create_fields[] = {
	{"received_at", FIELD_MOMENT, 0, "when the referral was received"},
	{"verbal", FIELD_BOOL, 0, "made by telephone or in person"},
	{"route", FIELD_ENUM, 0, "route of the referral", .enum_name = "referral_route"},
	{"concern_description", FIELD_LONG, 0, "the concern", 10000},
	{"concern_identified_at", FIELD_MOMENT, 0, "when the concern was identified"},
	{"child_location", FIELD_TEXT, 0, "where the child is now", 500},
	{"immediate_protection_needed", FIELD_BOOL, 0, "immediate protection needed"},
	{"paediatric_same_day", FIELD_BOOL, 0, "severe neglect, physical injury or penetrative sexual abuse"},
	{"child_views", FIELD_LONG, 0, "the child's views", 10000},
	{"interpreter_need", FIELD_TEXT, 0, "interpreter or communication need", 200},
	GESTATION_FIELD,
	{NULL},
};
const struct entity front_referral_create = {"referral", "referrals", "ref", referral_create_fields, true, NULL};

static const struct field referral_consent_fields[] = {
	{"parental_agreement", FIELD_ENUM, 0, "parents' agreement", .enum_name = "parental_agreement"},
	{"parental_not_sought_reason", FIELD_ENUM, 0, "why agreement was not sought",
	 .enum_name = "consent_not_sought_reason"},
	{"parental_reason_detail", FIELD_LONG, 0, "reasons about parental agreement", 4000},
	{"checks_without_consent", FIELD_BOOL, 0, "discuss with other agencies without the parents' permission"},
	{"checks_without_consent_reason", FIELD_ENUM, 0, "reason for going ahead without permission",
	 .enum_name = "checks_without_consent_reason"},
	{"checks_without_consent_detail", FIELD_LONG, 0, "details of the reason", 4000},
	{NULL},
};
const struct entity front_referral_consent = {"referral", "referrals", "ref", referral_consent_fields, true, NULL};

static const struct field referral_decision_fields[] = {
	{"decision", FIELD_ENUM, FIELD_REQUIRED, "decision", .enum_name = "referral_outcome"},
	{"decision_reasons", FIELD_LONG, FIELD_REQUIRED, "reasons for the decision", 10000},
	{"needs_immediate_protection", FIELD_BOOL, 0, "child needs immediate protection"},
	{"is_cin", FIELD_BOOL, 0, "child in need (section 17)"},
	{"reasonable_cause_s47", FIELD_BOOL, 0, "reasonable cause to suspect significant harm"},
	{"specialist_assessment_required", FIELD_BOOL, 0, "specialist assessment needed"},
	{"see_child_asap", FIELD_BOOL, 0, "see the child as soon as possible"},
	{"services_required", FIELD_LONG, 0, "services required", 4000},
	{"agreed_actions", FIELD_LONG, 0, "actions agreed with the referrer", 4000},
	{"alternative_support", FIELD_LONG, 0, "alternative support suggested", 4000},
	{"family_feedback_by", FIELD_TEXT, 0, "who tells the family", 200},
	{"family_informed", FIELD_BOOL, 0, "the family is told what will happen"},
	{"family_not_informed_reason", FIELD_ENUM, 0, "why the family is not told",
	 .enum_name = "family_not_told_reason"},
	{NULL},
};
const struct entity front_referral_decision = {"referral", "referrals", "ref", referral_decision_fields, true, NULL};

/* 4.23 Notification and communication log. */
static const struct field communication_fields[] = {
	RO_TEXT("id"), RO_TEXT("case_id"), RO_TEXT("child_id"),
	{"direction", FIELD_TEXT, 0, "direction (out or in)", 3},
	{"recipient_type", FIELD_ENUM, FIELD_REQUIRED, "who it was to or from", .enum_name = "communication_party"},
	{"recipient_name", FIELD_TEXT, 0, "name", 200},
	{"purpose", FIELD_ENUM, FIELD_REQUIRED, "purpose", .enum_name = "communication_purpose"},
	{"channel", FIELD_ENUM, FIELD_REQUIRED, "how", .enum_name = "communication_channel"},
	{"sent_at", FIELD_MOMENT, FIELD_REQUIRED, "when"},
	{"summary", FIELD_LONG, 0, "what was said or sent", 10000},
	{"linked_type", FIELD_TEXT, 0, "linked record type", 40},
	{"linked_id", FIELD_TEXT, 0, "linked record", 40},
	{"rule_id", FIELD_TEXT, 0, "rule or timescale it evidences", 20},
	{"discloses_referrer_identity", FIELD_BOOL, 0, "it names the referrer"},
	{"content_agreed_with_police", FIELD_BOOL, 0, "content agreed with the police"},
	CREATED,
	{NULL},
};
const struct entity front_communication = {"communication", "communications", "com", communication_fields, false,
                                           "case_id"};

/* 4.7 Assessment. */
#define ASSESSMENT_CHECKS(flags)                                                                                       \
	{"chk_child_alone_views", FIELD_BOOL, flags, "the child was seen alone and their views recorded"},                 \
	{"chk_all_children_seen", FIELD_BOOL, flags, "every child in the household was seen"},                     \
	{"chk_home_and_bedroom", FIELD_BOOL, flags, "the home was visited and the child's bedroom seen"},          \
	{"chk_parent_seen_views", FIELD_BOOL, flags, "the parent was seen and their views recorded"},              \
	{"chk_histories_considered", FIELD_BOOL, flags, "parents' and carers' histories considered"},              \
	{"chk_analysis_complete", FIELD_BOOL, flags, "the analysis is complete"},                                  \
	{"chk_evidence_for_services", FIELD_BOOL, flags, "there is evidence for the service decisions"},           \
	{"chk_records_chronology", FIELD_BOOL, flags, "records and chronology are up to date"},                    \
	{"chk_review_planned", FIELD_BOOL, flags, "regular review is planned"},                                    \
	{"chk_plan_distributed", FIELD_BOOL, flags, "the plan's key elements went to all participants"}

static const struct field assessment_fields[] = {
	RO_TEXT("id"), RO_TEXT("case_id"), RO_TEXT("child_id"), RO_TEXT("referral_id"), RO_TEXT("assessment_type"),
	RO_TEXT("started_at"),
	{"plan", FIELD_LONG, 0, "the assessment plan", 10000},
	{"who_seen", FIELD_LONG, 0, "who was seen", 4000},
	{"child_seen_at", FIELD_MOMENT, 0, "when the child was seen"},
	{"child_seen_alone", FIELD_BOOL, 0, "the child was seen alone"},
	{"child_seen_alone_at", FIELD_MOMENT, 0, "when the child was seen alone"},
	{"child_not_seen_reason", FIELD_LONG, 0, "why seeing the child is not appropriate", 4000},
	RO_TEXT("child_not_seen_decided_by"),
	{"child_views", FIELD_LONG, 0, "the child's views", 10000},
	{"parents_seen", FIELD_BOOL, 0, "the parents were seen"},
	{"parents_views", FIELD_LONG, 0, "the parents' views", 10000},
	{"household_children_seen", FIELD_BOOL, 0, "every child in the household was seen"},
	{"home_visited_at", FIELD_MOMENT, 0, "when the home was visited"},
	{"bedroom_seen", FIELD_BOOL, 0, "the child's bedroom was seen"},
	{"factors", FIELD_LONG, 0, "factors identified", 10000},
	{"developmental_needs", FIELD_LONG, 0, "the child's developmental needs", 10000},
	{"parenting_capacity", FIELD_LONG, 0, "parenting capacity", 10000},
	{"family_environment", FIELD_LONG, 0, "family and environmental factors", 10000},
	{"analysis", FIELD_LONG, 0, "analysis", 20000},
	{"if_nothing_changes", FIELD_LONG, 0, "what happens if nothing changes", 10000},
	{"is_cin", FIELD_BOOL, 0, "child in need"},
	{"reasonable_cause_s47", FIELD_BOOL, 0, "reasonable cause to suspect significant harm"},
	{"accommodation_needed", FIELD_BOOL, 0, "the child needs or asks for accommodation"},
	{"interpreter_used", FIELD_BOOL, 0, "an interpreter was used"},
	{"interpreter_name", FIELD_TEXT, 0, "interpreter", 200},
	{"interpreter_is_family_member", FIELD_BOOL, 0, "the interpreter is a family member"},
	RO_TEXT("outcome"), RO_TEXT("outcome_reasons"), RO_TEXT("outcome_recorded_at"), RO_TEXT("outcome_recorded_by"),
	ASSESSMENT_CHECKS(FIELD_READONLY),
	RO_TEXT("authorised_by"), RO_TEXT("authorised_at"), RO_TEXT("status"),
	CREATED, UPDATED,
	{NULL},
};
const struct entity front_assessment = {"assessment", "assessments", "asm", assessment_fields, true, "case_id"};

static const struct field assessment_create_fields[] = {
	{"assessment_type", FIELD_ENUM, FIELD_REQUIRED, "type of assessment", .enum_name = "assessment_type"},
	{"plan", FIELD_LONG, 0, "the assessment plan", 10000},
	{NULL},
};
const struct entity front_assessment_create = {"assessment", "assessments", "asm", assessment_create_fields, true,
                                               "case_id"};

static const struct field assessment_outcome_fields[] = {
	{"outcome", FIELD_ENUM, FIELD_REQUIRED, "outcome", .enum_name = "assessment_outcome"},
	{"outcome_reasons", FIELD_LONG, FIELD_REQUIRED, "reasons for the outcome", 10000},
	{NULL},
};
const struct entity front_assessment_outcome = {"assessment", "assessments", "asm", assessment_outcome_fields, true,
                                                "case_id"};

static const struct field assessment_authorise_fields[] = {
	ASSESSMENT_CHECKS(0),
	{"child_not_seen_reason", FIELD_LONG, 0, "why seeing the child is not appropriate", 4000},
	{NULL},
};
const struct entity front_assessment_authorise = {"assessment", "assessments", "asm", assessment_authorise_fields,
                                                  true, "case_id"};

static const struct field extension_fields[] = {
	RO_TEXT("id"), RO_TEXT("assessment_id"), RO_TEXT("clock_id"),
	{"sw_reason", FIELD_LONG, FIELD_REQUIRED, "the social worker's reasons", 4000},
	{"manager_reason", FIELD_LONG, FIELD_REQUIRED, "the manager's reason for the extension", 4000},
	{"new_due", FIELD_DATE, FIELD_REQUIRED, "the new date"},
	RO_TEXT("approved_by"),
	CREATED,
	{NULL},
};
const struct entity front_extension = {"assessment extension", "assessment_extensions", "ext", extension_fields,
                                       false, NULL};

/* 4.24 Child in need plan. */
static const struct field cin_plan_fields[] = {
	RO_TEXT("id"), RO_TEXT("case_id"), RO_TEXT("child_id"), RO_TEXT("source"),
	{"services", FIELD_LONG, FIELD_REQUIRED, "services", 10000},
	{"actions", FIELD_LONG, 0, "actions, who does them and by when", 10000},
	{"purpose", FIELD_LONG, 0, "purpose", 4000},
	{"measurable_outcomes", FIELD_LONG, FIELD_REQUIRED, "measurable outcomes for the child", 10000},
	{"parent_expectations", FIELD_LONG, 0, "what is expected of the parents", 10000},
	{"review_points", FIELD_LONG, 0, "review points", 4000},
	{"agreed_at", FIELD_MOMENT, FIELD_REQUIRED, "when the plan was agreed"},
	{"next_review_date", FIELD_DATE, 0, "next review"},
	CREATED,
	{NULL},
};
const struct entity front_cin_plan = {"child in need plan", "cin_plans", "cin", cin_plan_fields, false, "case_id"};

/* 4.12 Emergency action. */
static const struct field emergency_fields[] = {
	RO_TEXT("id"), RO_TEXT("case_id"), RO_TEXT("child_id"),
	{"means", FIELD_ENUM, FIELD_REQUIRED, "means of protection", .enum_name = "protection_means"},
	{"taken_at", FIELD_MOMENT, FIELD_REQUIRED, "when the action was taken"},
	{"agency", FIELD_TEXT, 0, "agency", 200},
	{"officers", FIELD_TEXT, 0, "officers", 500},
	{"designated_officer_name", FIELD_TEXT, 0, "designated officer", 200},
	{"designated_officer_rank", FIELD_ENUM, 0, "designated officer's rank", .enum_name = "police_rank"},
	{"last_resort_reason", FIELD_LONG, 0, "why police protection was the last resort", 4000},
	{"legal_advice_at", FIELD_MOMENT, 0, "when legal advice was given"},
	{"manager_agreement_by", FIELD_REF, 0, "the line manager who agreed", .ref_table = "users"},
	{"manager_agreement_at", FIELD_MOMENT, 0, "when the manager agreed"},
	{"order_made_at", FIELD_MOMENT, 0, "when the order was made"},
	{"order_expires_at", FIELD_MOMENT, 0, "when the order ends"},
	{"court", FIELD_TEXT, 0, "court", 200},
	{"other_children_considered", FIELD_LONG, 0, "other children considered", 4000},
	{"child_location", FIELD_TEXT, 0, "where the child is", 500},
	{"proceedings_decision", FIELD_ENUM, 0, "proceedings", .enum_name = "proceedings_decision"},
	CREATED,
	{NULL},
};
const struct entity front_emergency = {"emergency action", "emergency_actions", "emg", emergency_fields, false,
                                       "case_id"};

/* ST-09 police notification. */
static const struct field police_fields[] = {
	RO_TEXT("id"), RO_TEXT("case_id"), RO_TEXT("child_id"),
	{"notified_at", FIELD_MOMENT, FIELD_REQUIRED, "when the police were told"},
	{"channel", FIELD_ENUM, FIELD_REQUIRED, "how", .enum_name = "communication_channel"},
	{"matters", FIELD_ENUM, 0, "what is suspected", .enum_name = "police_matter"},
	{"police_decision", FIELD_ENUM, 0, "police decision", .enum_name = "police_decision"},
	{"investigation_mode", FIELD_ENUM, 0, "investigation", .enum_name = "investigation_mode"},
	{"police_reference", FIELD_TEXT, 0, "police reference", 100},
	{"confirmed_in_writing_at", FIELD_MOMENT, 0, "when it was confirmed in writing"},
	{"notes", FIELD_LONG, 0, "notes", 4000},
	CREATED,
	{NULL},
};
const struct entity front_police = {"police notification", "police_notifications", "pol", police_fields, false,
                                    "case_id"};

/* 4.9 Strategy meeting/discussion. */
static const struct field smd_fields[] = {
	RO_TEXT("id"), RO_TEXT("case_id"), RO_TEXT("child_id"), RO_INT("sequence_no"), RO_TEXT("previous_smd_id"),
	{"format", FIELD_ENUM, FIELD_REQUIRED, "format", .enum_name = "smd_format"},
	{"smd_trigger", FIELD_ENUM, 0, "what led to it", .enum_name = "smd_trigger"},
	{"category", FIELD_ENUM, FIELD_REQUIRED, "urgency category", .enum_name = "smd_category"},
	{"held_at", FIELD_MOMENT, FIELD_REQUIRED, "when it was held"},
	{"chair_name", FIELD_TEXT, FIELD_REQUIRED, "chair", 200},
	{"chair_is_flm", FIELD_BOOL, 0, "the chair is a children's social care first line manager"},
	{"medical_implications", FIELD_BOOL, 0, "medical implications or an examination"},
	{"child_in_hospital", FIELD_BOOL, 0, "the child is in hospital"},
	{"access_refused", FIELD_BOOL, 0, "access to the child refused or obstructed"},
	{"information_shared", FIELD_LONG, 0, "information shared", 20000},
	{"decision_s47", FIELD_ENUM, FIELD_REQUIRED, "decision on enquiries", .enum_name = "smd_s47_decision"},
	{"investigation_mode", FIELD_ENUM, 0, "investigation", .enum_name = "investigation_mode"},
	{"criminal_investigation_plan", FIELD_LONG, 0, "criminal investigation: conduct and timing", 4000},
	{"s47_plan", FIELD_LONG, 0, "plan for the enquiries", 10000},
	{"child_seen_alone_plan", FIELD_LONG, 0, "when the child will be seen alone", 2000},
	{"interpreter_needed", FIELD_BOOL, 0, "interpreter needed"},
	{"other_children_considered", FIELD_LONG, 0, "other children affected", 4000},
	{"paediatric_assessment_needed", FIELD_BOOL, 0, "paediatric assessment needed"},
	{"paediatric_timing", FIELD_TEXT, 0, "timing of the paediatric assessment", 200},
	{"immediate_actions", FIELD_LONG, 0, "immediate safeguarding action and interim services", 4000},
	{"decisions", FIELD_LONG, 0, "decisions and actions (who, what, by when)", 20000},
	{"family_sharing_decision", FIELD_LONG, 0, "what may be shared with the family", 4000},
	{"withheld_reason", FIELD_LONG, 0, "why anything is withheld from the family", 4000},
	{"legal_action_required", FIELD_BOOL, 0, "legal action needed"},
	{"further_smd_due", FIELD_DATE, 0, "further discussion by"},
	{"s47_authorised_by", FIELD_REF, 0, "manager authorising the enquiries", .ref_table = "users"},
	{"police_consulted_at", FIELD_MOMENT, 0, "when the police were consulted"},
	{"attendance_override_reason", FIELD_LONG, 0, "why it went ahead without everyone required", 4000},
	RO_TEXT("record_authorised_by"), RO_TEXT("circulated_at"),
	/* Pre-birth: what the discussion must decide (2.6.9-2.6.11, R-96, R-98). */
	{"venue", FIELD_TEXT, 0, "where it was held", 200,
	 .hint = "Pre-birth: the hospital where the birth is planned, or the midwifery service (2.6.9)"},
	{"pb_s47_and_assessment", FIELD_LONG, 0, "pre-birth: whether enquiries and a pre-birth assessment are needed",
	 4000, .hint = "Say so if an earlier antenatal meeting already agreed it (2.6.10)"},
	{"pb_assessment_areas", FIELD_LONG, 0, "pre-birth: what the assessment will look at", 4000},
	{"pb_who_involved", FIELD_LONG, 0, "pre-birth: who will be involved", 4000},
	{"pb_parents_told_how_when", FIELD_LONG, 0, "pre-birth: how and when the parents are told of the concerns",
	 4000},
	{"pb_parents_not_told", FIELD_BOOL, 0, "pre-birth: the parents are not to be told, on medical advice",
	 .hint = "Only when medical advice is that telling them could harm the baby's or the mother's health (2.6.11)"},
	{"pb_medical_advice", FIELD_LONG, 0, "pre-birth: the medical advice for not telling the parents", 4000},
	{"pb_medical_advice_by", FIELD_TEXT, 0, "pre-birth: who gave the medical advice", 200},
	{"pb_adult_services_actions", FIELD_LONG, 0,
	 "pre-birth: what adult services working with either expectant parent must do", 4000},
	{"pb_birth_actions", FIELD_LONG, 0,
	 "pre-birth: what the obstetric, delivery suite, postnatal and midwifery staff must do at the birth", 4000},
	{"epo_at_delivery", FIELD_BOOL, 0, "pre-birth: an emergency protection order is to be sought at the delivery"},
	{"epo_instruction", FIELD_LONG, 0, "pre-birth: the instruction about the emergency protection order", 4000},
	{"midwifery_manager_name", FIELD_TEXT, 0, "midwifery manager of the delivery suite given the instruction", 200},
	{"midwifery_manager_told_at", FIELD_MOMENT, 0, "when the midwifery manager was given the instruction"},
	CREATED,
	{NULL},
};
const struct entity front_smd = {"strategy discussion", "strategy_discussions", "smd", smd_fields, false, "case_id"};

static const struct field smd_participant_fields[] = {
	RO_TEXT("id"), RO_TEXT("smd_id"),
	{"name", FIELD_TEXT, FIELD_REQUIRED, "participant's name", 200},
	{"agency_type", FIELD_ENUM, FIELD_REQUIRED, "participant's agency", .enum_name = "agency_type"},
	{"role", FIELD_TEXT, 0, "participant's role", 200},
	{"invited", FIELD_BOOL, 0, "invited"},
	{"attended", FIELD_BOOL, 0, "attended"},
	{"is_chair", FIELD_BOOL, 0, "chair"},
	{"is_referrer", FIELD_BOOL, 0, "the referrer"},
	{"seniority_confirmed", FIELD_BOOL, 0, "senior enough to decide for their agency"},
	CREATED,
	{NULL},
};
const struct entity front_smd_participant = {"participant", "strategy_participants", "smp", smd_participant_fields,
                                             false, NULL};

/* 4.10 Section 47 enquiry. */
static const struct field s47_fields[] = {
	RO_TEXT("id"), RO_TEXT("case_id"), RO_TEXT("child_id"), RO_TEXT("initiating_smd_id"), RO_TEXT("started_at"),
	RO_TEXT("authorised_by"), RO_TEXT("police_consulted_at"),
	{"investigation_mode", FIELD_ENUM, 0, "investigation", .enum_name = "investigation_mode"},
	{"police_reference", FIELD_TEXT, 0, "police reference", 100},
	{"family_informed_plan", FIELD_LONG, 0, "how and when the family is told", 4000},
	{"parents_informed_at", FIELD_MOMENT, 0, "when the parents were told"},
	{"parents_not_informed_reason", FIELD_ENUM, 0, "why the parents are not told",
	 .enum_name = "s47_not_informed_reason"},
	{"parents_not_informed_detail", FIELD_LONG, 0, "details of the reason", 4000},
	{"parents_not_informed_medical_by", FIELD_TEXT, 0, "unborn child: who gave the medical advice", 200},
	RO_TEXT("parents_not_informed_by"),
	{"parent_permission_for_checks", FIELD_ENUM, 0, "parents' permission for agency checks",
	 .enum_name = "parental_agreement"},
	{"proceed_despite_refusal_reason", FIELD_LONG, 0, "why checks go ahead despite refusal", 4000},
	{"child_seen_at", FIELD_MOMENT, 0, "when the child was seen"},
	{"child_seen_alone", FIELD_BOOL, 0, "the child was seen alone"},
	{"child_seen_present", FIELD_TEXT, 0, "who else was present and why", 500},
	{"joint_visit_discussed", FIELD_BOOL, 0, "a joint visit was discussed with the police"},
	{"joint_visit_notes", FIELD_LONG, 0, "joint visit decision and actions", 4000},
	{"risk_assessment", FIELD_LONG, 0, "risk assessment", 20000},
	{"views_considered", FIELD_LONG, 0, "views of the child, parents and others", 10000},
	RO_TEXT("outcome"), RO_TEXT("outcome_at"), RO_TEXT("outcome_authorised_by"),
	RO_BOOL("all_children_and_carers_seen"), RO_BOOL("agencies_agree_safety_plan"), RO_BOOL("icpc_decision"),
	RO_TEXT("icpc_decision_reasons"),
	{"interim_safety_arrangements", FIELD_LONG, 0, "interim safety arrangements until the conference", 4000},
	RO_TEXT("status"),
	CREATED, UPDATED,
	{NULL},
};
const struct entity front_s47 = {"section 47 enquiry", "s47_enquiries", "enq", s47_fields, true, "case_id"};

static const struct field s47_outcome_fields[] = {
	{"outcome", FIELD_ENUM, FIELD_REQUIRED, "outcome", .enum_name = "s47_outcome"},
	{"all_children_and_carers_seen", FIELD_BOOL, 0,
	 "the child, the other children in the household and the carers were seen and spoken with"},
	{"agencies_agree_safety_plan", FIELD_BOOL, 0, "the agencies most involved agree a safety plan without a conference"},
	{"icpc_decision_reasons", FIELD_LONG, FIELD_REQUIRED, "reasons for calling or not calling a conference", 10000},
	{"interim_safety_arrangements", FIELD_LONG, 0, "interim safety arrangements until the conference", 4000},
	{NULL},
};
const struct entity front_s47_outcome = {"section 47 enquiry", "s47_enquiries", "enq", s47_outcome_fields, true,
                                         "case_id"};

static const struct field agency_check_fields[] = {
	RO_TEXT("id"), RO_TEXT("s47_id"),
	{"agency_name", FIELD_TEXT, FIELD_REQUIRED, "agency", 200},
	{"professional_name", FIELD_TEXT, FIELD_REQUIRED, "the professional spoken to", 200},
	{"contacted_directly", FIELD_BOOL, 0, "the professional was contacted directly"},
	{"reason_given", FIELD_LONG, FIELD_REQUIRED, "the reason given for the check", 2000},
	{"consent_status", FIELD_ENUM, FIELD_REQUIRED, "the parents' consent as passed on",
	 .enum_name = "parental_agreement"},
	{"response", FIELD_LONG, 0, "the agency's information and view of the child", 10000},
	{"checked_at", FIELD_MOMENT, FIELD_REQUIRED, "when"},
	CREATED,
	{NULL},
};
const struct entity front_agency_check = {"agency check", "s47_agency_checks", "chk", agency_check_fields, false,
                                          NULL};

/* 4.11 Paediatric assessment. */
static const struct field paediatric_fields[] = {
	RO_TEXT("id"), RO_TEXT("case_id"), RO_TEXT("child_id"),
	{"record_kind", FIELD_ENUM, FIELD_REQUIRED, "what is recorded", .enum_name = "paediatric_record_kind"},
	{"urgency", FIELD_ENUM, 0, "urgency", .enum_name = "paediatric_urgency"},
	{"purpose", FIELD_ENUM, 0, "purpose", .enum_name = "paediatric_purpose"},
	{"examiner_type", FIELD_ENUM, 0, "examiner", .enum_name = "examiner_type"},
	{"examiner_name", FIELD_TEXT, FIELD_REQUIRED, "examiner's name", 200},
	{"examined_at", FIELD_MOMENT, FIELD_REQUIRED, "when"},
	{"place", FIELD_TEXT, 0, "where", 200},
	{"consent_given_by", FIELD_ENUM, 0, "who consented", .enum_name = "paediatric_consent_by"},
	{"consent_method", FIELD_ENUM, 0, "how consent was given", .enum_name = "consent_method"},
	{"emergency_without_consent", FIELD_BOOL, 0, "emergency treatment without consent"},
	{"parents_informed_at", FIELD_MOMENT, 0, "when the parents were told"},
	{"interview_before_exam", FIELD_BOOL, 0, "the police or social care interview came first"},
	{"exam_first_agreed_reason", FIELD_LONG, 0, "the exceptional circumstances agreed by police and social care",
	 2000},
	{"findings", FIELD_LONG, 0, "findings", 20000},
	{"report_signed_by", FIELD_TEXT, 0, "report signed by", 200},
	{"report_signed_at", FIELD_MOMENT, 0, "report signed on"},
	{"report_sent_to", FIELD_TEXT, 0, "report sent to", 500},
	{"sarc_referral", FIELD_BOOL, 0, "referred to the sexual assault referral centre"},
	/* Consent (3.8.7-3.8.15, R-45). */
	{"s20_general_consent", FIELD_BOOL, 0,
	 "the child is accommodated under section 20 and relies on a parent's general medical consent"},
	{"legal_advice_at", FIELD_MOMENT, 0, "when legal advice was taken on that consent"},
	{"legal_advice_summary", FIELD_LONG, 0, "the legal advice", 4000},
	{"parental_permission", FIELD_ENUM, 0, "a parent's permission (child under 16)",
	 .enum_name = "paediatric_parental_permission"},
	{"parental_permission_reason", FIELD_LONG, 0, "why a parent's permission was not asked", 4000},
	{"emergency_record", FIELD_LONG, 0, "the doctor's full record made at the time of the emergency treatment", 10000},
	{"court_order_considered", FIELD_BOOL, 0, "the social worker and manager considered a court order"},
	{"court_order_decision", FIELD_LONG, 0, "their decision on a court order, and why", 4000},
	RO_TEXT("court_order_considered_by"),
	CREATED,
	{NULL},
};
const struct entity front_paediatric = {"paediatric assessment", "paediatric_assessments", "pae", paediatric_fields,
                                        false, "case_id"};

/* 4.24 Missing or obstructed child. */
static const struct field whereabouts_fields[] = {
	RO_TEXT("id"), RO_TEXT("case_id"), RO_TEXT("child_id"),
	{"kind", FIELD_ENUM, FIELD_REQUIRED, "what happened", .enum_name = "whereabouts_kind"},
	{"recorded_at", FIELD_MOMENT, FIELD_REQUIRED, "when it was found"},
	{"last_seen_at", FIELD_MOMENT, 0, "when the child was last seen"},
	{"attempts", FIELD_LONG, 0, "attempts made", 4000},
	RO_TEXT("smd_id"), RO_TEXT("manager_agreement_by"), RO_TEXT("location_plan"), RO_TEXT("located_at"),
	RO_TEXT("outcome"),
	CREATED, UPDATED,
	{NULL},
};
const struct entity front_whereabouts = {"whereabouts episode", "whereabouts_episodes", "whr", whereabouts_fields, true,
                                         "case_id"};

static const struct field whereabouts_plan_fields[] = {
	{"smd_id", FIELD_REF, FIELD_REQUIRED, "the strategy discussion with the police",
	 .ref_table = "strategy_discussions"},
	{"location_plan", FIELD_LONG, FIELD_REQUIRED, "the agreed action to locate and see the child", 4000},
	{NULL},
};
const struct entity front_whereabouts_plan = {"whereabouts episode", "whereabouts_episodes", "whr",
                                              whereabouts_plan_fields, true, "case_id"};

static const struct field whereabouts_located_fields[] = {
	{"located_at", FIELD_MOMENT, FIELD_REQUIRED, "when the child was seen"},
	{"outcome", FIELD_LONG, 0, "outcome", 4000},
	{NULL},
};
const struct entity front_whereabouts_located = {"whereabouts episode", "whereabouts_episodes", "whr",
                                                 whereabouts_located_fields, true, "case_id"};

/* Hospital discharge hold (1.6.19). */
static const struct field hospital_hold_fields[] = {
	RO_TEXT("id"), RO_TEXT("case_id"), RO_TEXT("child_id"),
	{"hospital_name", FIELD_TEXT, FIELD_REQUIRED, "hospital", 200},
	{"placed_at", FIELD_MOMENT, FIELD_REQUIRED, "when the concern arose"},
	{"smd_not_appropriate_reason", FIELD_LONG, 0, "why no strategy discussion is appropriate", 4000},
	RO_TEXT("released_at"), RO_TEXT("released_by"),
	CREATED,
	{NULL},
};
const struct entity front_hospital_hold = {"hospital hold", "hospital_holds", "hos", hospital_hold_fields, false,
                                           "case_id"};
