#include "support/support_entities.h"

#define STAMPS                                                                                                     \
	{"created_at", FIELD_TEXT, FIELD_READONLY}, { "created_by", FIELD_TEXT, FIELD_READONLY }
#define UPDATED                                                                                                    \
	{"updated_at", FIELD_TEXT, FIELD_READONLY}, { "updated_by", FIELD_TEXT, FIELD_READONLY }

/* NG76 1.3: what was seen, when, by which agency; the features ticked are a list beside it. */
static const struct field concern_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY, "ID"},
	{"child_id", FIELD_REF, FIELD_READONLY, "child", .ref_table = "children"},
	{"case_id", FIELD_REF, FIELD_READONLY, "case", .ref_table = "cases"},
	{"observed_on", FIELD_DATE, FIELD_REQUIRED, "the date the signs were seen or reported"},
	{"summary", FIELD_LONG, FIELD_REQUIRED, "what you saw or were told", 4000},
	{"immediate_danger", FIELD_BOOL, 0, "whether the child is in immediate danger"},
	{"level", FIELD_TEXT, FIELD_READONLY, "level"},
	{"review_by", FIELD_DATE, 0, "the date to review the child by"},
	{"agency_id", FIELD_REF, 0, "agency", .ref_table = "agencies"},
	{"recorder_role", FIELD_TEXT, FIELD_READONLY, "recorded by"},
	{"clocks_started", FIELD_INT, FIELD_READONLY, "clocks started"},
	STAMPS,
	{NULL},
};
const struct entity support_entities_concern = {"concern", "support_concerns", "con", concern_fields, false,
                                                "child_id"};

/* NG76 1.2; Staffordshire section 8: a factor for the child or the household. */
static const struct field factor_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY, "ID"},
	{"child_id", FIELD_REF, FIELD_READONLY, "child", .ref_table = "children"},
	{"factor_id", FIELD_TEXT, FIELD_REQUIRED | FIELD_CREATE_ONLY, "the factor", 40},
	{"about", FIELD_ENUM, FIELD_REQUIRED, "who the factor is about", .enum_name = "support_factor_about"},
	{"person_id", FIELD_REF, 0, "the parent or carer", .ref_table = "persons"},
	{"noted_on", FIELD_DATE, FIELD_REQUIRED, "the date it was noted"},
	{"evidence", FIELD_LONG, FIELD_REQUIRED, "the evidence for it", 4000},
	{"ended_on", FIELD_DATE, 0, "the date it stopped applying"},
	{"end_reason", FIELD_LONG, 0, "why it no longer applies", 2000},
	STAMPS,
	UPDATED,
	{NULL},
};
const struct entity support_entities_factor = {"vulnerability factor", "support_factors", "vfa", factor_fields, true,
                                               "child_id"};

/* Staffordshire sections 3, 5, 9 and 11: the ratings and marks are lists beside it. */
static const struct field assessment_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY, "ID"},
	{"child_id", FIELD_REF, FIELD_READONLY, "child", .ref_table = "children"},
	{"case_id", FIELD_REF, FIELD_READONLY, "case", .ref_table = "cases"},
	{"assessed_on", FIELD_DATE, FIELD_REQUIRED, "the date of the assessment"},
	{"overall_view", FIELD_ENUM, FIELD_REQUIRED, "your overall view of the care", .enum_name = "support_overall_view"},
	{"summary", FIELD_LONG, FIELD_REQUIRED, "a summary of the assessment", 4000},
	STAMPS,
	{NULL},
};
const struct entity support_entities_assessment = {"neglect assessment", "support_neglect_assessments", "nga",
                                                   assessment_fields, false, "child_id"};

/* Research messages (parents likely to change): the answers are a list beside it. */
static const struct field review_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY, "ID"},
	{"child_id", FIELD_REF, FIELD_READONLY, "child", .ref_table = "children"},
	{"person_id", FIELD_REF, 0, "the parent or carer", .ref_table = "persons"},
	{"reviewed_on", FIELD_DATE, FIELD_REQUIRED, "the date of the review"},
	{"summary", FIELD_LONG, FIELD_REQUIRED, "a summary of the review", 4000},
	STAMPS,
	{NULL},
};
const struct entity support_entities_review = {"capacity review", "support_capacity_reviews", "ctc", review_fields,
                                               false, "child_id"};

/* Research messages (calls to action): a time-limited written agreement and its outcome. */
static const struct field agreement_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY, "ID"},
	{"child_id", FIELD_REF, FIELD_READONLY, "child", .ref_table = "children"},
	{"review_id", FIELD_REF, FIELD_CREATE_ONLY, "the capacity review", .ref_table = "support_capacity_reviews"},
	{"what_must_change", FIELD_LONG, FIELD_REQUIRED | FIELD_CREATE_ONLY, "what must change", 4000},
	{"due_on", FIELD_DATE, FIELD_REQUIRED | FIELD_CREATE_ONLY, "the date it must change by"},
	{"consequence", FIELD_LONG, FIELD_REQUIRED | FIELD_CREATE_ONLY, "what happens if it does not", 4000},
	{"agreed_with", FIELD_TEXT, FIELD_REQUIRED | FIELD_CREATE_ONLY, "who it was agreed with", 200},
	{"outcome", FIELD_ENUM, 0, "the outcome", .enum_name = "support_agreement_outcome"},
	{"outcome_on", FIELD_DATE, 0, "the date of the outcome"},
	{"outcome_note", FIELD_LONG, 0, "notes on the outcome", 4000},
	STAMPS,
	UPDATED,
	{NULL},
};
const struct entity support_entities_agreement = {"written agreement", "support_agreements", "agr", agreement_fields,
                                                  true, "child_id"};

/* NG76 1.5 and 1.7: an intervention offered, and what came of it. */
static const struct field intervention_fields[] = {
	{"id", FIELD_TEXT, FIELD_READONLY, "ID"},
	{"child_id", FIELD_REF, FIELD_READONLY, "child", .ref_table = "children"},
	{"intervention_id", FIELD_TEXT, FIELD_REQUIRED | FIELD_CREATE_ONLY, "the intervention", 40},
	{"provider", FIELD_TEXT, 0, "who provides it", 200},
	{"status", FIELD_ENUM, FIELD_REQUIRED, "where it stands", .enum_name = "support_intervention_status"},
	{"offered_on", FIELD_DATE, FIELD_REQUIRED, "the date it was offered"},
	{"taken_up_on", FIELD_DATE, 0, "the date it was taken up"},
	{"completed_on", FIELD_DATE, 0, "the date it was completed"},
	{"stopped_on", FIELD_DATE, 0, "the date it stopped"},
	{"sessions_attended", FIELD_INT, 0, "sessions attended"},
	{"result", FIELD_ENUM, 0, "the result for the child", .enum_name = "support_intervention_result"},
	{"result_note", FIELD_LONG, 0, "notes on the result", 4000},
	STAMPS,
	UPDATED,
	{NULL},
};
const struct entity support_entities_intervention = {"intervention", "support_interventions", "int",
                                                     intervention_fields, true, "child_id"};
