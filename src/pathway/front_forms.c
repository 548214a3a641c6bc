/* The form table of the front half of the pathway and the conversion between posted fields, JSON input and the
 * template's field list (see front_forms.h). */
#include "pathway/front_forms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "domain/enums.h"
#include "policy/policy.h"

/* Inputs that are not columns of the command's entity. */
static const struct field extras[] = {
	{"smd_category", FIELD_ENUM, 0, "urgency category of the strategy discussion", .enum_name = "smd_category",
	 .hint = "Needed when the next step is a strategy discussion: it sets when it must be held"},
	{"category", FIELD_ENUM, FIELD_REQUIRED, "urgency category", .enum_name = "smd_category"},
	{"trigger", FIELD_ENUM, 0, "what led to it", .enum_name = "smd_trigger"},
	{"reason", FIELD_LONG, 0, "reason", 4000},
	{"held_at", FIELD_MOMENT, FIELD_REQUIRED, "when the review was held"},
	{"decisions", FIELD_LONG, FIELD_REQUIRED, "decisions", 10000},
	{"circulated_at", FIELD_MOMENT, 0, "when the record was sent"},
	{NULL},
};

#define F(...) ((const char *const[]){__VA_ARGS__, NULL})

static const struct front_form forms[] = {
	{"cases", "communication", "Log a communication", "communication.log", "communication.log", &front_communication,
	 F("recipient_type", "recipient_name", "purpose", "channel", "direction", "sent_at", "summary", "rule_id",
	   "discloses_referrer_identity", "content_agreed_with_police"),
	 front_communication_log, NULL, false, "Save communication"},
	{"cases", "assessment", "Start an assessment", "assessment.record", "assessment.start", &front_assessment_create,
	 F("assessment_type", "plan"), front_assessment_start, NULL, false, "Start assessment"},
	{"cases", "cin-plan", "Record the child in need plan", "cin.plan", "cin.plan", &front_cin_plan,
	 F("services", "actions", "purpose", "measurable_outcomes", "parent_expectations", "review_points", "agreed_at",
	   "next_review_date"),
	 front_cin_plan_create, NULL, false, "Save plan"},
	{"cases", "cin-review", "Record a child in need plan review", "cin.plan", "cin.review", NULL,
	 F("held_at", "decisions"), front_cin_review, NULL, false, "Save review"},
	{"cases", "close", "Close the case", "pathway.close", "case.close", NULL, F("reason"), front_case_close, NULL,
	 false, "Close case"},
	{"cases", "emergency", "Record emergency action", "emergency.record", "emergency.record", &front_emergency,
	 F("means", "taken_at", "agency", "officers", "designated_officer_name", "designated_officer_rank",
	   "last_resort_reason", "legal_advice_at", "manager_agreement_by", "manager_agreement_at", "order_made_at",
	   "order_expires_at", "court", "other_children_considered", "child_location", "proceedings_decision"),
	 front_emergency_record, NULL, false, "Save emergency action"},
	{"cases", "police", "Record that the police were told", "police.notify", "police.notify", &front_police,
	 F("notified_at", "channel", "matters", "police_decision", "investigation_mode", "police_reference",
	   "confirmed_in_writing_at", "notes"),
	 front_police_notify, NULL, false, "Save"},
	{"cases", "convene", "Convene a strategy discussion", "strategy.record", "strategy.convene", NULL,
	 F("category", "trigger", "reason"), front_strategy_convene, NULL, false, "Convene"},
	{"cases", "strategy", "Record a strategy meeting or discussion", "strategy.record", "strategy.record", &front_smd,
	 F("format", "smd_trigger", "category", "held_at", "chair_name", "chair_is_flm", "medical_implications",
	   "child_in_hospital", "access_refused", "information_shared", "decision_s47", "investigation_mode",
	   "criminal_investigation_plan", "s47_plan", "child_seen_alone_plan", "interpreter_needed",
	   "other_children_considered", "paediatric_assessment_needed", "paediatric_timing", "immediate_actions",
	   "decisions", "family_sharing_decision", "withheld_reason", "legal_action_required", "further_smd_due",
	   "s47_authorised_by", "police_consulted_at", "attendance_override_reason", "venue", "pb_s47_and_assessment",
	   "pb_assessment_areas", "pb_who_involved", "pb_parents_told_how_when", "pb_parents_not_told",
	   "pb_medical_advice", "pb_medical_advice_by", "pb_adult_services_actions", "pb_birth_actions",
	   "epo_at_delivery", "epo_instruction", "midwifery_manager_name", "midwifery_manager_told_at"),
	 front_strategy_record, NULL, true, "Save strategy discussion"},
	{"cases", "paediatric", "Record a paediatric assessment or body map", "paediatric.record", "paediatric.record",
	 &front_paediatric,
	 F("record_kind", "urgency", "purpose", "examiner_type", "examiner_name", "examined_at", "place",
	   "consent_given_by", "consent_method", "emergency_without_consent", "parents_informed_at",
	   "interview_before_exam", "exam_first_agreed_reason", "findings", "report_signed_by", "report_signed_at",
	   "report_sent_to", "sarc_referral", "s20_general_consent", "legal_advice_at", "legal_advice_summary",
	   "parental_permission", "parental_permission_reason", "emergency_record", "court_order_considered",
	   "court_order_decision"),
	 front_paediatric_record, NULL, false, "Save"},
	{"cases", "whereabouts", "Record a missing child or refused access", "s47.record", "whereabouts.record",
	 &front_whereabouts, F("kind", "recorded_at", "last_seen_at", "attempts"), front_whereabouts_record, NULL, false,
	 "Save"},
	{"cases", "hospital-hold", "Place a hospital discharge hold", "hospital_hold.record", "hospital_hold.place",
	 &front_hospital_hold, F("hospital_name", "placed_at"), front_hospital_hold_place, NULL, false, "Place hold"},

	{"referrals", "update", "Referral details", "referral.record", "referral.update", &front_referral,
	 F("route", "concern_description", "concern_identified_at", "child_location", "immediate_protection_needed",
	   "paediatric_same_day", "child_views", "interpreter_need", "services_required", "agreed_actions",
	   "gestation_weeks_at_referral"),
	 front_referral_update, &front_referral, false, "Save referral"},
	{"referrals", "prebirth-decision", "Decide on a pre-birth assessment", "referral.decide", "prebirth.decide",
	 &front_referral_prebirth,
	 F("prebirth_assessment_decision", "prebirth_decision_rationale", "prebirth_risks", "prebirth_strengths"),
	 front_referral_prebirth_decide, NULL, false, "Save decision"},
	{"referrals", "consent", "Parental agreement and discussing with other agencies", "referral.record",
	 "referral.consent", &front_referral_consent,
	 F("parental_agreement", "parental_not_sought_reason", "parental_reason_detail", "checks_without_consent",
	   "checks_without_consent_reason", "checks_without_consent_detail"),
	 front_referral_consent_cmd, &front_referral, false, "Save"},
	{"referrals", "decision", "Record the referral decision", "referral.decide", "referral.decide",
	 &front_referral_decision,
	 F("decision", "smd_category", "decision_reasons", "needs_immediate_protection", "is_cin", "reasonable_cause_s47",
	   "specialist_assessment_required", "see_child_asap", "services_required", "agreed_actions",
	   "alternative_support", "family_feedback_by", "family_informed", "family_not_informed_reason"),
	 front_referral_decide, NULL, false, "Approve decision"},

	{"assessments", "update", "Assessment", "assessment.record", "assessment.record", &front_assessment,
	 F("plan", "who_seen", "child_seen_at", "child_seen_alone", "child_seen_alone_at", "child_not_seen_reason",
	   "child_views", "parents_seen", "parents_views", "household_children_seen", "home_visited_at", "bedroom_seen",
	   "factors", "developmental_needs", "parenting_capacity", "family_environment", "analysis",
	   "if_nothing_changes", "is_cin", "reasonable_cause_s47", "accommodation_needed", "interpreter_used",
	   "interpreter_name", "interpreter_is_family_member"),
	 front_assessment_update, &front_assessment, false, "Save assessment"},
	{"assessments", "outcome", "Record the assessment outcome", "assessment.record", "assessment.record",
	 &front_assessment_outcome, F("outcome", "outcome_reasons"), front_assessment_outcome_cmd, NULL, false,
	 "Save outcome"},
	{"assessments", "authorise", "Approve the assessment", "assessment.authorise", "assessment.authorise",
	 &front_assessment_authorise,
	 F("chk_child_alone_views", "chk_all_children_seen", "chk_home_and_bedroom", "chk_parent_seen_views",
	   "chk_histories_considered", "chk_analysis_complete", "chk_evidence_for_services", "chk_records_chronology",
	   "chk_review_planned", "chk_plan_distributed", "child_not_seen_reason", "smd_category"),
	 front_assessment_authorise_cmd, NULL, false, "Approve"},
	{"assessments", "extension", "Agree a new date for the assessment", "assessment.extend", "assessment.extend",
	 &front_extension, F("sw_reason", "manager_reason", "new_due"), front_assessment_extend, NULL, false,
	 "Agree new date"},

	{"s47", "update", "Section 47 enquiry", "s47.record", "s47.record", &front_s47,
	 F("investigation_mode", "police_reference", "family_informed_plan", "parents_informed_at",
	   "parents_not_informed_reason", "parents_not_informed_detail", "parents_not_informed_medical_by",
	   "parent_permission_for_checks",
	   "proceed_despite_refusal_reason", "child_seen_at", "child_seen_alone", "child_seen_present",
	   "joint_visit_discussed", "joint_visit_notes", "risk_assessment", "views_considered",
	   "interim_safety_arrangements"),
	 front_s47_update, &front_s47, false, "Save enquiry"},
	{"s47", "check", "Record an agency check", "s47.record", "s47.record", &front_agency_check,
	 F("agency_name", "professional_name", "contacted_directly", "reason_given", "consent_status", "response",
	   "checked_at"),
	 front_s47_check, NULL, false, "Save check"},
	{"s47", "joint-visit", "Record a joint visit discussion with the police", "s47.record", "s47.record",
	 &front_joint_visit_create,
	 F("allegation", "discussed_at", "location", "decision", "decision_reason", "immediate_risk", "partner_unavailable",
	   "csc_record", "police_officer_name", "police_reference", "police_record", "police_recorded_at"),
	 front_joint_visit_record, NULL, false, "Save discussion"},
	{"joint-visits", "police-record", "Add the police's record of the joint visit discussion", "joint_visit.police",
	 "s47.record", &front_joint_visit_police,
	 F("police_officer_name", "police_reference", "police_record", "police_recorded_at"), front_joint_visit_police_cmd,
	 NULL, false, "Save the police's record"},
	{"joint-visits", "outcome", "Record the visit and share the actions", "s47.record", "s47.record",
	 &front_joint_visit_outcome,
	 F("visited_at", "visit_outcome", "actions_after", "actions_shared_at", "actions_shared_with"),
	 front_joint_visit_outcome_cmd, NULL, false, "Save"},
	{"s47", "outcome", "Authorise the enquiry's outcome", "s47.outcome", "s47.outcome", &front_s47_outcome,
	 F("outcome", "all_children_and_carers_seen", "agencies_agree_safety_plan", "icpc_decision_reasons",
	   "interim_safety_arrangements"),
	 front_s47_outcome_cmd, NULL, false, "Authorise outcome"},
	{"s47", "conclude", "Close the enquiry", "s47.outcome", "s47.conclude", NULL, F("reason"), front_s47_conclude,
	 NULL, false, "Close enquiry"},
	{"whereabouts", "plan", "Agree the plan to find the child", "s47.record", "whereabouts.record",
	 &front_whereabouts_plan, F("smd_id", "location_plan"), front_whereabouts_plan_cmd, NULL, false, "Agree plan"},
	{"whereabouts", "located", "Record that the child was found", "s47.record", "whereabouts.record",
	 &front_whereabouts_located, F("located_at", "outcome"), front_whereabouts_located_cmd, NULL, false, "Save"},
	{"strategy-discussions", "circulate", "Send the strategy discussion record", "strategy.record", "strategy.record",
	 NULL, F("circulated_at"), front_strategy_circulate, NULL, false, "Record as sent"},
	{"police-notifications", "update", "The police decision", "police.notify", "police.notify", &front_police,
	 F("police_decision", "investigation_mode", "police_reference", "notes"), front_police_update, &front_police,
	 false, "Save"},
	{"hospital-holds", "release", "Release the hospital discharge hold", "hospital_hold.record",
	 "hospital_hold.release", &front_hospital_hold, F("smd_not_appropriate_reason"), front_hospital_hold_release,
	 NULL, false, "Release hold"},
};

static const struct {
	const char *owner, *table;
} owners[] = {
	{"referrals", "referrals"},         {"assessments", "assessments"},
	{"s47", "s47_enquiries"},           {"whereabouts", "whereabouts_episodes"},
	{"strategy-discussions", "strategy_discussions"}, {"hospital-holds", "hospital_holds"},
	{"police-notifications", "police_notifications"}, {"joint-visits", "s47_joint_visits"},
};

const char *front_form_owner_table(const char *owner)
{
	for (size_t i = 0; i < sizeof owners / sizeof owners[0]; i++)
		if (strcmp(owners[i].owner, owner) == 0)
			return owners[i].table;
	return NULL;
}

const struct front_form *front_form_find(const char *owner, const char *slug)
{
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
		if (strcmp(forms[i].owner, owner) == 0 && strcmp(forms[i].slug, slug) == 0)
			return &forms[i];
	return NULL;
}

static const struct field *lookup(const struct front_form *f, const char *name)
{
	const struct field *x = f->entity ? record_field(f->entity, name) : NULL;
	for (const struct field *e = extras; !x && e->name; e++)
		if (strcmp(e->name, name) == 0)
			x = e;
	return x;
}

static bool command_available(const char *stage, const char *command)
{
	json_t *cmds = stage_commands_from(stage);
	bool ok = false;
	size_t i;
	json_t *c;
	json_array_foreach(cmds, i, c) ok = ok || strcmp(json_string_value(json_object_get(c, "command")), command) == 0;
	json_decref(cmds);
	return ok;
}

json_t *front_form_links(struct http_request *req, const char *owner, const char *id, const char *stage)
{
	json_t *out = json_array();
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		const struct front_form *f = &forms[i];
		if (strcmp(f->owner, owner) != 0 || !policy_allows_action(&req->user, f->action) ||
		    !command_available(stage, f->command))
			continue;
		json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "slug", f->slug, "title", f->title, "href",
		                                     arena_printf(&req->arena, "/pathway/%s/%s/%s", owner, id, f->slug)));
	}
	return out;
}

static const char *part(struct http_request *req, const char *name, const char *suffix)
{
	char k[96];
	snprintf(k, sizeof k, "%s-%s", name, suffix);
	const char *v = http_form(req, k);
	return v ? v : "";
}

/* Joins day, month and year (and time) boxes: "" when all are empty, an unparseable string when half-filled (the
 * validator then names the field). */
static const char *joined_date(struct http_request *req, const char *name, bool with_time)
{
	const char *d = part(req, name, "day"), *m = part(req, name, "month"), *y = part(req, name, "year");
	const char *t = with_time ? part(req, name, "time") : "";
	if (!*d && !*m && !*y && !*t)
		return "";
	int di, mi, yi, hh = 0, mm = 0;
	char extra;
	bool ok = sscanf(d, "%d%c", &di, &extra) == 1 && sscanf(m, "%d%c", &mi, &extra) == 1 &&
	          sscanf(y, "%d%c", &yi, &extra) == 1 && yi >= 1000 && yi <= 9999 && date_valid_ymd(yi, mi, di);
	if (ok && *t)
		ok = (sscanf(t, "%d:%d%c", &hh, &mm, &extra) == 2 || sscanf(t, "%d.%d%c", &hh, &mm, &extra) == 2) &&
		     hh >= 0 && hh < 24 && mm >= 0 && mm < 60;
	if (!ok)
		return "invalid";
	if (with_time && *t)
		return arena_printf(&req->arena, "%04d-%02d-%02dT%02d:%02d", yi, mi, di, hh, mm);
	return arena_printf(&req->arena, "%04d-%02d-%02d", yi, mi, di);
}

json_t *front_form_input(const struct front_form *f, struct http_request *req)
{
	json_t *in = json_object();
	for (const char *const *n = f->fields; *n; n++) {
		const struct field *x = lookup(f, *n);
		if (!x)
			continue;
		const char *v;
		if (x->type == FIELD_DATE || x->type == FIELD_MOMENT)
			v = joined_date(req, x->name, x->type == FIELD_MOMENT);
		else
			v = http_form(req, x->name);
		if (!v || !*v)
			continue;
		if (x->type == FIELD_INT) {
			char *end;
			long long num = strtoll(v, &end, 10);
			json_object_set_new(in, x->name, *end == '\0' ? json_integer(num) : json_string(v));
			continue;
		}
		if (x->type == FIELD_BOOL) {
			if (strcmp(v, "yes") == 0)
				json_object_set_new(in, x->name, json_true());
			else if (strcmp(v, "no") == 0)
				json_object_set_new(in, x->name, json_false());
			continue;
		}
		json_object_set_new(in, x->name, json_string(v));
	}
	return in;
}

/* Options of a select: an enumeration, the managers (for a manager's authorisation), or the case's discussions. */
static json_t *options_for(struct http_request *req, const struct field *x, const char *selected, const char *case_id)
{
	json_t *opts = json_array();
	if (x->type == FIELD_ENUM) {
		json_t *list = enums_list(x->enum_name);
		size_t i;
		json_t *o;
		json_array_foreach(list, i, o) json_array_append_new(
			opts, json_pack("{s:O, s:O, s:b}", "code", json_object_get(o, "code"), "label", json_object_get(o, "label"),
			                "selected", selected && strcmp(selected, json_string_value(json_object_get(o, "code"))) == 0));
		json_decref(list);
		return opts;
	}
	bool users = strcmp(x->ref_table, "users") == 0;
	struct store_stmt *s = store_prepare(
		req->store, users ? "SELECT id, display_name FROM users WHERE disabled = 0 AND role IN ('team_manager', "
		                    "'service_manager') ORDER BY display_name"
		                  : "SELECT id, chair_name || ' ' || held_at FROM strategy_discussions WHERE case_id = $1 "
		                    "ORDER BY sequence_no DESC");
	if (!s)
		return opts;
	if (!users)
		store_bind_text(s, 1, case_id);
	while (store_step(s) == STORE_ROW)
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "code", store_col_text(s, 0), "label",
		                                      store_col_text(s, 1),
		                                      "selected", selected && strcmp(selected, store_col_text(s, 0)) == 0));
	return opts;
}

/* A stored moment or date split into the boxes of the form. */
static void split_stored(struct http_request *req, const char *iso, json_t *fo, bool with_time)
{
	int32_t day;
	int h = 0, m = 0, sec;
	int64_t t;
	if (!iso || !*iso)
		return;
	if (strlen(iso) > 10 && moment_parse(iso, &t) == 0)
		moment_to_local(t, &day, &h, &m, &sec);
	else if (date_parse(iso, &day) < 0)
		return;
	int y, mo, d;
	date_to_ymd(day, &y, &mo, &d);
	json_object_set_new(fo, "day", json_sprintf("%d", d));
	json_object_set_new(fo, "month", json_sprintf("%d", mo));
	json_object_set_new(fo, "year", json_sprintf("%d", y));
	if (with_time)
		json_object_set_new(fo, "time", json_sprintf("%02d:%02d", h, m));
}

json_t *front_form_fields(const struct front_form *f, struct http_request *req, json_t *record, json_t *error_map,
                          const char *case_id)
{
	json_t *arr = json_array();
	bool posted = req->method == HTTP_POST;
	for (const char *const *n = f->fields; *n; n++) {
		const struct field *x = lookup(f, *n);
		if (!x)
			continue;
		json_t *fo = json_pack("{s:s, s:s, s:s?, s:O?, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, "
		                       "s:b, s:b, s:n}",
		                       "name", x->name, "label", x->label ? x->label : x->name, "hint", x->hint, "error",
		                       json_object_get(error_map, x->name), "value", "", "day", "", "month", "", "year", "",
		                       "time", "", "is_text", x->type == FIELD_TEXT || x->type == FIELD_INT, "is_long",
		                       x->type == FIELD_LONG, "is_date", x->type == FIELD_DATE || x->type == FIELD_MOMENT, "is_moment",
		                       x->type == FIELD_MOMENT, "is_bool", x->type == FIELD_BOOL, "is_select",
		                       x->type == FIELD_ENUM || x->type == FIELD_REF, "is_int", 0, "checked", 0, "unchecked", 0, "heading", 0,
		                       "options");
		/* The label is a lower-case phrase for messages; forms show it capitalised. */
		const char *label = x->label ? x->label : x->name;
		json_object_set_new(fo, "label", json_sprintf("%c%s", (label[0] >= 'a' && label[0] <= 'z') ? label[0] - 32
		                                                                                             : label[0],
		                                              label + 1));
		if (!json_object_get(fo, "hint") || json_is_null(json_object_get(fo, "hint")))
			json_object_set_new(fo, "hint", x->type == FIELD_MOMENT ? json_string(FIELD_MOMENT_HINT) : json_null());
		const char *v = NULL;
		json_t *rv = record ? json_object_get(record, x->name) : NULL;
		if (x->type == FIELD_DATE || x->type == FIELD_MOMENT) {
			if (posted) {
				json_object_set_new(fo, "day", json_string(part(req, x->name, "day")));
				json_object_set_new(fo, "month", json_string(part(req, x->name, "month")));
				json_object_set_new(fo, "year", json_string(part(req, x->name, "year")));
				json_object_set_new(fo, "time", json_string(part(req, x->name, "time")));
			} else {
				split_stored(req, json_string_value(rv), fo, x->type == FIELD_MOMENT);
			}
		} else if (x->type == FIELD_BOOL) {
			v = posted ? http_form(req, x->name) : json_is_true(rv) ? "yes" : json_is_false(rv) ? "no" : NULL;
			json_object_set_new(fo, "checked", json_boolean(v && strcmp(v, "yes") == 0));
			json_object_set_new(fo, "unchecked", json_boolean(v && strcmp(v, "no") == 0));
		} else {
			v = posted                ? http_form(req, x->name)
			    : json_is_integer(rv) ? arena_printf(&req->arena, "%lld", (long long)json_integer_value(rv))
			                          : json_string_value(rv);
			json_object_set_new(fo, "value", json_string(v ? v : ""));
		}
		if (x->type == FIELD_ENUM || x->type == FIELD_REF)
			json_object_set_new(fo, "options", options_for(req, x, v, case_id));
		json_array_append_new(arr, fo);
	}
	return arr;
}

void front_form_fix_hrefs(const struct front_form *f, json_t *errors)
{
	size_t i;
	json_t *e;
	json_array_foreach(errors, i, e) {
		const char *name = json_string_value(json_object_get(e, "field"));
		const struct field *x = name ? lookup(f, name) : NULL;
		if (x && (x->type == FIELD_DATE || x->type == FIELD_MOMENT)) {
			json_object_set_new(e, "href", json_sprintf("#%s-day", name));
		} else if (name && !x && !(f->participants && strncmp(name, "participants", 12) == 0)) {
			json_object_del(e, "field"); /* not on this form: a plain entry in the summary */
			json_object_del(e, "href");
		}
	}
}
