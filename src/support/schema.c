#include "support/schema.h"

#include <stddef.h>

#define F(n, k, r, a) {n, k, r, a, NULL}
#define REQ true
#define OPT false
#define ID_AND_CITATION F("id", SCHEMA_ID, REQ, NULL), F("citation", SCHEMA_TEXT, REQ, NULL)

/* ---- alerting_features.json ---- */

static const struct schema_field action_fields[] = {
	F("code", SCHEMA_TEXT, REQ, NULL),
	F("text", SCHEMA_TEXT, REQ, NULL),
	{NULL},
};

static const struct schema_field response_fields[] = {
	ID_AND_CITATION,
	F("scope", SCHEMA_ENUM, REQ, "support_response_scope"),
	F("title", SCHEMA_TEXT, REQ, NULL),
	{"actions", SCHEMA_OBJ_LIST, REQ, NULL, action_fields},
	F("starts_clock", SCHEMA_EVENT, OPT, NULL),
	{NULL},
};

static const struct schema_field feature_fields[] = {
	ID_AND_CITATION,
	F("domain", SCHEMA_ENUM, REQ, "support_feature_domain"),
	F("level", SCHEMA_ENUM, REQ, "support_alert_level"),
	F("abuse_types", SCHEMA_ENUM_LIST, REQ, "support_abuse_type"),
	F("subject", SCHEMA_ENUM, REQ, "support_feature_subject"),
	F("title", SCHEMA_TEXT, REQ, NULL),
	F("description", SCHEMA_TEXT, REQ, NULL),
	F("examples", SCHEMA_TEXT_LIST, REQ, NULL),
	F("caution", SCHEMA_TEXT, OPT, NULL),
	F("age_max_exclusive", SCHEMA_INT, OPT, NULL),
	F("response", SCHEMA_REF, OPT, "alerting_features.responses"),
	F("tickable", SCHEMA_BOOL, OPT, NULL),
	F("see_also", SCHEMA_REF_LIST, OPT, "alerting_features.features"),
	{NULL},
};

static const struct schema_field escalation_fields[] = {
	ID_AND_CITATION,
	F("from", SCHEMA_REF, REQ, "alerting_features.features"),
	F("to", SCHEMA_REF, REQ, "alerting_features.features"),
	F("min_occasions", SCHEMA_INT, REQ, NULL),
	F("title", SCHEMA_TEXT, REQ, NULL),
	F("message", SCHEMA_TEXT, REQ, NULL),
	{NULL},
};

static const struct schema_field pattern_fields[] = {
	ID_AND_CITATION,
	F("min_sources", SCHEMA_INT, REQ, NULL),
	F("window_months", SCHEMA_INT, REQ, NULL),
	F("title", SCHEMA_TEXT, REQ, NULL),
	F("message", SCHEMA_TEXT, REQ, NULL),
	{NULL},
};

static const struct schema_section alerting_sections[] = {
	{"responses", response_fields},
	{"features", feature_fields},
	{"escalations", escalation_fields},
	{"patterns", pattern_fields},
	{NULL},
};

/* ---- vulnerability_factors.json ---- */

static const struct schema_field principle_fields[] = {
	ID_AND_CITATION,
	F("text", SCHEMA_TEXT, REQ, NULL),
	{NULL},
};

static const struct schema_field factor_fields[] = {
	ID_AND_CITATION,
	F("source", SCHEMA_ENUM, REQ, "support_source"),
	F("group", SCHEMA_ENUM, REQ, "support_factor_group"),
	F("concept", SCHEMA_TEXT, REQ, NULL),
	F("applies_to", SCHEMA_ENUM, REQ, "support_factor_about"),
	F("title", SCHEMA_TEXT, REQ, NULL),
	F("description", SCHEMA_TEXT, REQ, NULL),
	F("note", SCHEMA_TEXT, OPT, NULL),
	{NULL},
};

static const struct schema_field combination_fields[] = {
	ID_AND_CITATION,
	F("min_distinct", SCHEMA_INT, REQ, NULL),
	F("concepts", SCHEMA_TEXT_LIST, OPT, NULL),
	F("from_source", SCHEMA_ENUM, OPT, "support_source"),
	F("title", SCHEMA_TEXT, REQ, NULL),
	F("message", SCHEMA_TEXT, REQ, NULL),
	F("note", SCHEMA_TEXT, OPT, NULL),
	{NULL},
};

static const struct schema_section vulnerability_sections[] = {
	{"principles", principle_fields},
	{"factors", factor_fields},
	{"combinations", combination_fields},
	{NULL},
};

/* ---- neglect.json ---- */

static const struct schema_field sign_fields[] = {
	F("id", SCHEMA_ID, REQ, NULL),
	F("text", SCHEMA_TEXT, REQ, NULL),
	{NULL},
};

static const struct schema_field category_fields[] = {
	ID_AND_CITATION,
	F("name", SCHEMA_TEXT, REQ, NULL),
	F("summary", SCHEMA_TEXT, REQ, NULL),
	{"signs", SCHEMA_OBJ_LIST, REQ, NULL, sign_fields},
	F("related_features", SCHEMA_REF_LIST, OPT, "alerting_features.features"),
	F("domains", SCHEMA_REF_LIST, OPT, "neglect.care_domains"),
	F("note", SCHEMA_TEXT, OPT, NULL),
	{NULL},
};

static const struct schema_field adolescent_fields[] = {
	ID_AND_CITATION,
	F("from_age", SCHEMA_INT, REQ, NULL),
	F("title", SCHEMA_TEXT, REQ, NULL),
	F("summary", SCHEMA_TEXT, REQ, NULL),
	{"signs", SCHEMA_OBJ_LIST, REQ, NULL, sign_fields},
	F("note", SCHEMA_TEXT, OPT, NULL),
	{NULL},
};

static const struct schema_field harm_test_fields[] = {
	ID_AND_CITATION,
	F("name", SCHEMA_TEXT, REQ, NULL),
	F("text", SCHEMA_TEXT, REQ, NULL),
	{NULL},
};

static const struct schema_field domain_fields[] = {
	ID_AND_CITATION,
	F("name", SCHEMA_TEXT, REQ, NULL),
	F("areas", SCHEMA_TEXT_LIST, REQ, NULL),
	F("hint", SCHEMA_TEXT, OPT, NULL),
	{NULL},
};

static const struct schema_field rating_fields[] = {
	ID_AND_CITATION,
	F("value", SCHEMA_INT, REQ, NULL),
	F("label", SCHEMA_TEXT, REQ, NULL),
	{NULL},
};

static const struct schema_field pitfall_fields[] = {
	ID_AND_CITATION,
	F("detector", SCHEMA_ENUM, REQ, "support_pitfall_detector"),
	F("title", SCHEMA_TEXT, REQ, NULL),
	F("message", SCHEMA_TEXT, REQ, NULL),
	F("min_assessments", SCHEMA_INT, OPT, NULL),
	F("concern_rating", SCHEMA_INT, OPT, NULL),
	{NULL},
};

static const struct schema_section neglect_sections[] = {
	{"categories", category_fields},
	{"adolescent", adolescent_fields},
	{"harm_tests", harm_test_fields},
	{"care_domains", domain_fields},
	{"rating_scale", rating_fields},
	{"pitfalls", pitfall_fields},
	{NULL},
};

/* ---- capacity_to_change.json ---- */

static const struct schema_field ctc_factor_fields[] = {
	ID_AND_CITATION,
	F("direction", SCHEMA_ENUM, REQ, "support_ctc_direction"),
	F("text", SCHEMA_TEXT, REQ, NULL),
	F("evidence_hint", SCHEMA_TEXT, OPT, NULL),
	F("related", SCHEMA_REF_LIST, OPT, NULL),
	{NULL},
};

static const struct schema_field agreement_rule_fields[] = {
	ID_AND_CITATION,
	F("detector", SCHEMA_ENUM, REQ, "support_agreement_detector"),
	F("title", SCHEMA_TEXT, REQ, NULL),
	F("message", SCHEMA_TEXT, REQ, NULL),
	{NULL},
};

static const struct schema_section capacity_sections[] = {
	{"factors", ctc_factor_fields},
	{"principles", principle_fields},
	{"agreement_rules", agreement_rule_fields},
	{NULL},
};

/* ---- interventions.json ---- */

static const struct schema_field intervention_fields[] = {
	ID_AND_CITATION,
	F("name", SCHEMA_TEXT, REQ, NULL),
	F("examples", SCHEMA_TEXT_LIST, REQ, NULL),
	F("stage", SCHEMA_ENUM, REQ, "support_intervention_stage"),
	F("strength", SCHEMA_ENUM, REQ, "support_strength"),
	F("after", SCHEMA_ENUM_LIST, REQ, "support_abuse_type"),
	F("carers", SCHEMA_ENUM_LIST, REQ, "support_carer"),
	F("attends", SCHEMA_ENUM, OPT, "support_attends"),
	F("age_min", SCHEMA_INT, OPT, NULL),
	F("age_max", SCHEMA_INT, OPT, NULL),
	F("from_pregnancy", SCHEMA_BOOL, OPT, NULL),
	F("child_sex", SCHEMA_ENUM, OPT, "gender"),
	F("needs_any", SCHEMA_ENUM_LIST, OPT, "support_need"),
	F("excluded_if", SCHEMA_ENUM_LIST, OPT, "support_need"),
	F("group", SCHEMA_TEXT, OPT, NULL),
	F("alternatives", SCHEMA_TEXT, OPT, NULL),
	F("eligibility", SCHEMA_TEXT, REQ, NULL),
	F("intensity", SCHEMA_TEXT, REQ, NULL),
	F("duration", SCHEMA_TEXT, REQ, NULL),
	F("setting", SCHEMA_TEXT, REQ, NULL),
	F("aims", SCHEMA_TEXT_LIST, REQ, NULL),
	F("note", SCHEMA_TEXT, OPT, NULL),
	{NULL},
};

static const struct schema_section intervention_sections[] = {
	{"principles", principle_fields},
	{"interventions", intervention_fields},
	{NULL},
};

const struct schema_catalogue support_schema_catalogues[] = {
	{"alerting_features", alerting_sections},
	{"vulnerability_factors", vulnerability_sections},
	{"neglect", neglect_sections},
	{"capacity_to_change", capacity_sections},
	{"interventions", intervention_sections},
	{NULL},
};
