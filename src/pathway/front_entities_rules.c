/* Field tables for the rules of migrations/0012_pathway_rules.sql on the front half of the pathway: the manager's
 * pre-birth assessment decision on a referral (R-94, 2.6.5) and the joint visit discussions of a section 47 enquiry
 * (R-40, 3.3.5-3.3.7). As in front_entities.c, the full entity lists every column and each command has its own
 * subset, so its input cannot touch anything else. */
#include "pathway/front.h"

#define RO_TEXT(n) {n, FIELD_TEXT, FIELD_READONLY}

static const struct field prebirth_decision_fields[] = {
	{"prebirth_assessment_decision", FIELD_ENUM, FIELD_REQUIRED, "decision on a pre-birth assessment",
	 .enum_name = "prebirth_assessment_decision",
	 .hint = "Consider one on every pre-birth referral, ideally at 8 to 12 weeks of pregnancy (2.6.5)"},
	{"prebirth_decision_rationale", FIELD_LONG, FIELD_REQUIRED, "the reasons for the decision", 10000},
	{"prebirth_risks", FIELD_LONG, FIELD_REQUIRED, "the risks", 10000},
	{"prebirth_strengths", FIELD_LONG, FIELD_REQUIRED, "the strengths", 10000},
	{NULL},
};
const struct entity front_referral_prebirth = {"referral", "referrals", "ref", prebirth_decision_fields, true, NULL};

#define JV_DISCUSSION(req)                                                                                             \
	{"allegation", FIELD_ENUM, req, "what is alleged", .enum_name = "police_matter"},                              \
	{"discussed_at", FIELD_MOMENT, req, "when the police and social care discussed the visit"},                    \
	{"location", FIELD_ENUM, req, "where the visit is best made", .enum_name = "joint_visit_location"},            \
	{"decision", FIELD_ENUM, req, "what was decided", .enum_name = "joint_visit_decision"},                        \
	{"decision_reason", FIELD_LONG, 0, "why, when not a joint visit", 4000},                                       \
	{"immediate_risk", FIELD_BOOL, 0, "the child is at immediate risk"},                                           \
	{"partner_unavailable", FIELD_BOOL, 0, "the other agency cannot attend now"},                                  \
	{"csc_record", FIELD_LONG, req, "social care's record of the discussion", 10000}
#define JV_POLICE(req)                                                                                                 \
	{"police_officer_name", FIELD_TEXT, req, "the police officer in the discussion", 200},                          \
	{"police_reference", FIELD_TEXT, 0, "police reference", 100},                                                  \
	{"police_record", FIELD_LONG, req, "the police's record of the discussion", 10000},                            \
	{"police_recorded_at", FIELD_MOMENT, req, "when the police recorded it"}
#define JV_OUTCOME(req)                                                                                                \
	{"visited_at", FIELD_MOMENT, 0, "when the visit was made"},                                                    \
	{"visit_outcome", FIELD_LONG, 0, "what the visit found", 10000},                                               \
	{"actions_after", FIELD_LONG, req, "the actions and decisions after the visit", 10000},                        \
	{"actions_shared_at", FIELD_MOMENT, req, "when they were shared"},                                             \
	{"actions_shared_with", FIELD_TEXT, req, "who they were shared with", 500}

static const struct field joint_visit_fields[] = {
	RO_TEXT("id"), RO_TEXT("s47_id"), RO_TEXT("case_id"), RO_TEXT("child_id"),
	JV_DISCUSSION(FIELD_READONLY), RO_TEXT("csc_recorded_by"),
	JV_POLICE(FIELD_READONLY), RO_TEXT("police_recorded_by"),
	JV_OUTCOME(FIELD_READONLY),
	RO_TEXT("created_at"), RO_TEXT("created_by"), RO_TEXT("updated_at"), RO_TEXT("updated_by"),
	{NULL},
};
const struct entity front_joint_visit = {"joint visit", "s47_joint_visits", "jvd", joint_visit_fields, true,
                                         "s47_id"};

static const struct field joint_visit_create_fields[] = {
	JV_DISCUSSION(FIELD_REQUIRED),
	JV_POLICE(0),
	{NULL},
};
const struct entity front_joint_visit_create = {"joint visit", "s47_joint_visits", "jvd", joint_visit_create_fields,
                                                true, "s47_id"};

static const struct field joint_visit_police_fields[] = {
	JV_POLICE(FIELD_REQUIRED),
	{NULL},
};
const struct entity front_joint_visit_police = {"joint visit", "s47_joint_visits", "jvd", joint_visit_police_fields,
                                                true, "s47_id"};

static const struct field joint_visit_outcome_fields[] = {
	JV_OUTCOME(FIELD_REQUIRED),
	{NULL},
};
const struct entity front_joint_visit_outcome = {"joint visit", "s47_joint_visits", "jvd", joint_visit_outcome_fields,
                                                 true, "s47_id"};
