/* Rules of spec procedures-A1-5 section 5 on the front half of the pathway that complete ST-11, ST-12 and ST-15:
 *
 * - R-94 (2.6.5): a pre-birth referral keeps the gestation; a manager records whether a pre-birth assessment will be
 *   carried out, with the reasons, the risks and the strengths (ideally decided at 8 to 12 weeks).
 * - R-96, R-98 (2.6.9-2.6.11): a pre-birth strategy discussion is not recorded without the 2.6.10 decisions, an
 *   instruction to seek an emergency protection order at the delivery is recorded as given to the delivery suite's
 *   midwifery manager, and the parents are kept in the dark only on medical advice, which is recorded.
 * - R-45 (3.8.7-3.8.15): who consented to a paediatric assessment and how, legal advice before relying on a general
 *   consent given for a child accommodated under section 20, a parent's permission for a child under 16 or why it
 *   was not asked, the parents told and a record made at the time after emergency treatment without consent, and a
 *   court order considered when permission was not obtained outside an emergency.
 * - R-40 (3.3.5-3.3.7): a joint visit discussion recorded by both the police and social care, no waiting for an
 *   absent agency when the child is at immediate risk, and the actions after the visit recorded and shared.
 *
 * The checks called from the commands of strategy.c and s47.c live here so those files stay about their stage. */
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/enums.h"
#include "pathway/back.h"
#include "pathway/front.h"

static void warn(struct front_out *out, const char *rule, const char *citation, const char *message)
{
	json_array_append_new(out->warnings,
	                      json_pack("{s:s, s:s, s:s}", "rule", rule, "citation", citation, "message", message));
}

static bool unborn(struct http_request *req, const char *child_id)
{
	return front_count(req, "SELECT COUNT(*) FROM children WHERE id = $1 AND is_unborn = 1", child_id, NULL, NULL) ==
	       1;
}

/* Whole weeks of pregnancy on `day` for an expected date of delivery (40 weeks from the first day of the last
 * period), or -1 when the date cannot be read. */
static int gestation_weeks(const char *edd, int32_t day)
{
	int32_t due;
	if (!edd || date_parse(edd, &due) < 0)
		return -1;
	int32_t days = 280 - (due - day);
	return days < 0 ? 0 : days / 7;
}

/* ---- gestation at referral ---- */

int front_prebirth_gestation(struct http_request *req, const char *child_id, int64_t received, json_t *in,
                             bool on_create, struct front_out *out)
{
	json_t *g = json_object_get(in, "gestation_weeks_at_referral");
	if (!unborn(req, child_id)) {
		if (g && on_create) /* one referral body for a family: the born children do not take it */
			json_object_del(in, "gestation_weeks_at_referral");
		else if (g)
			return front_fail(out, 422, "gestation_weeks_at_referral",
			                  "Gestation is recorded only for an unborn child");
		return 0;
	}
	if (g) {
		if (!json_is_integer(g) || json_integer_value(g) < 0 || json_integer_value(g) > 45)
			return front_fail(out, 422, "gestation_weeks_at_referral",
			                  "Enter the weeks of pregnancy as a whole number from 0 to 45");
		return 0;
	}
	if (!on_create)
		return 0;
	const char *edd = back_lookup(req, "SELECT edd FROM children WHERE id = $1", child_id);
	int32_t day;
	int h, m, s;
	moment_to_local(received, &day, &h, &m, &s);
	int weeks = gestation_weeks(edd, day);
	if (weeks >= 0)
		json_object_set_new(in, "gestation_weeks_at_referral", json_integer(weeks));
	return 0;
}

/* ---- the manager's pre-birth assessment decision ---- */

int front_referral_prebirth_decide(struct http_request *req, const char *referral_id, json_t *in,
                                   struct front_out *out)
{
	struct front_case c;
	if (front_load_owner(req, "referrals", referral_id, "referral.decide", &c, out) < 0 || front_begin(req, out) < 0 ||
	    front_in_stage(req, out, &c, "prebirth.decide") < 0)
		return -1;
	front_validate(req, &front_referral_prebirth, in, false, out);
	if (!unborn(req, c.child_id))
		front_fail(out, 422, "prebirth_assessment_decision",
		           "A pre-birth assessment is decided only for an unborn child (2.6.5)");
	if (!front_is_manager(req))
		front_fail(out, 422, "prebirth_assessment_decision",
		           "A manager records the decision on a pre-birth assessment (2.6.5, R-94)");
	if (front_failed(out))
		return front_abort(req);
	if (front_count(req, "SELECT COUNT(*) FROM referrals WHERE id = $1 AND prebirth_assessment_decision IS NOT NULL",
	                referral_id, NULL, NULL) > 0) {
		front_abort(req);
		return front_fail(out, 409, NULL, "The decision on a pre-birth assessment has already been recorded");
	}
	int weeks = gestation_weeks(back_lookup(req, "SELECT edd FROM children WHERE id = $1", c.child_id), date_today());
	char now_iso[MOMENT_ISO_LEN], weeks_s[16];
	moment_format(moment_now(), now_iso);
	snprintf(weeks_s, sizeof weeks_s, "%d", weeks);
	const char *vals[] = {req->user.id, now_iso, weeks >= 0 ? weeks_s : NULL, referral_id};
	if (front_update(req, out, &front_referral_prebirth, referral_id, in) < 0 ||
	    front_exec(req, out, "UPDATE referrals SET prebirth_decided_by = $1, prebirth_decided_at = $2, "
	                         "prebirth_gestation_weeks_at_decision = $3 WHERE id = $4",
	               vals, 4) < 0)
		return -1;
	const char *decision = front_str(in, "prebirth_assessment_decision");
	char summary[200];
	snprintf(summary, sizeof summary, "Pre-birth assessment decision: %s",
	         enums_label("prebirth_assessment_decision", decision));
	if (front_chronology(req, out, &c, "referral_decision", summary, "significant", "referral", referral_id, now_iso) < 0 ||
	    front_audit(req, out, "decide_prebirth", "referral", referral_id, c.child_id) < 0 ||
	    front_commit(req, out) < 0)
		return -1;
	if (weeks > 12)
		warn(out, "R-94", "2.6.5",
		     "The decision came after 12 weeks of pregnancy: consider a pre-birth assessment as early as possible, "
		     "ideally at 8 to 12 weeks");
	snprintf(out->id, sizeof out->id, "%s", referral_id);
	return 0;
}

/* ---- the pre-birth strategy discussion ---- */

static bool answered(json_t *in, const char *key)
{
	return json_is_boolean(json_object_get(in, key));
}

int front_prebirth_smd_check(struct http_request *req, const struct front_case *c, json_t *in,
                             struct front_out *out)
{
	const char *cat = front_str(in, "category"), *trig = front_str(in, "smd_trigger");
	bool pre_birth = unborn(req, c->child_id) || (cat && strcmp(cat, "SMD_PREBIRTH_ASAP") == 0) ||
	                 (trig && strcmp(trig, "PREBIRTH") == 0);
	bool not_told = front_true(in, "pb_parents_not_told");
	if (not_told && !front_str(in, "pb_medical_advice"))
		front_fail(out, 422, "pb_medical_advice",
		           "The parents are kept uninformed only on medical advice that telling them could harm the baby's or "
		           "the mother's health: record the advice (2.6.11, R-98)");
	if (not_told && !front_str(in, "pb_medical_advice_by"))
		front_fail(out, 422, "pb_medical_advice_by", "Record who gave the medical advice (2.6.11, R-98)");
	if (front_true(in, "epo_at_delivery")) {
		if (!front_str(in, "epo_instruction"))
			front_fail(out, 422, "epo_instruction",
			           "Record the instruction about the emergency protection order at the delivery (2.6.10, R-96)");
		if (!front_str(in, "midwifery_manager_name"))
			front_fail(out, 422, "midwifery_manager_name",
			           "The instruction goes to the midwifery manager of the delivery suite: record who was given it "
			           "(2.6.10, R-96)");
		if (!front_str(in, "midwifery_manager_told_at"))
			front_fail(out, 422, "midwifery_manager_told_at",
			           "Record when the midwifery manager of the delivery suite was given the instruction "
			           "(2.6.10, R-96)");
	}
	if (!pre_birth)
		return front_failed(out) ? -1 : 0;
	/* A further discussion need not decide again what an earlier one on this case already recorded (2.6.10). */
	bool decided_before = front_count(req, "SELECT COUNT(*) FROM strategy_discussions WHERE case_id = $1 AND "
	                                       "pb_birth_actions IS NOT NULL",
	                                  c->id, NULL, NULL) > 0;
	if (!decided_before) {
		static const struct {
			const char *key, *message;
		} need[] = {
			{"pb_s47_and_assessment", "Decide whether enquiries and a pre-birth assessment are needed, or note the "
			                          "earlier antenatal meeting that agreed it (2.6.10, R-96)"},
			{"pb_assessment_areas", "Decide what the assessment will look at (2.6.10, R-96)"},
			{"pb_who_involved", "Decide who will be involved (2.6.10, R-96)"},
			{"pb_adult_services_actions", "Decide what adult services working with the expectant parents must do "
			                              "(2.6.10, R-96)"},
			{"pb_birth_actions", "Decide what the obstetric, delivery suite, postnatal and midwifery staff must do when "
			                     "the baby is born (2.6.10, R-96)"},
		};
		for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
			if (!front_str(in, need[i].key))
				front_fail(out, 422, need[i].key, need[i].message);
		if (!not_told && !front_str(in, "pb_parents_told_how_when"))
			front_fail(out, 422, "pb_parents_told_how_when",
			           "Decide how and when the parents are told of the concerns (2.6.10, 2.6.11, R-96)");
		if (!answered(in, "epo_at_delivery"))
			front_fail(out, 422, "epo_at_delivery",
			           "Say whether an emergency protection order is to be sought at the delivery (2.6.10, R-96)");
	}
	if (front_failed(out))
		return -1;
	if (!front_str(in, "venue"))
		warn(out, "R-96", "2.6.9",
		     "A pre-birth discussion is held at the hospital where the birth is planned, or the midwifery service: "
		     "record where it was held");
	return 0;
}

/* ---- R-98 on the enquiry ---- */

int front_prebirth_s47_check(struct http_request *req, const struct front_case *c, json_t *in,
                             struct front_out *out)
{
	const char *why = front_str(in, "parents_not_informed_reason");
	if (!why)
		return 0;
	bool medical = strcmp(why, "PREBIRTH_MEDICAL_ADVICE") == 0;
	if (unborn(req, c->child_id)) {
		if (!medical)
			return front_fail(out, 422, "parents_not_informed_reason",
			                  "The parents of an unborn child are told of the concerns unless medical advice is that "
			                  "telling them could harm the baby's or the mother's health (2.6.11, R-98)");
		if (!front_str(in, "parents_not_informed_medical_by"))
			front_fail(out, 422, "parents_not_informed_medical_by", "Record who gave the medical advice (2.6.11, R-98)");
		if (!front_str(in, "parents_not_informed_detail"))
			front_fail(out, 422, "parents_not_informed_detail", "Record the medical advice (2.6.11, R-98)");
		return front_failed(out) ? -1 : 0;
	}
	if (medical)
		return front_fail(out, 422, "parents_not_informed_reason", "This reason applies only to an unborn child");
	return 0;
}

/* ---- paediatric consent ---- */

int front_paediatric_consent_check(struct http_request *req, const struct front_case *c, json_t *in,
                                   struct front_out *out)
{
	const char *kind = front_str(in, "record_kind");
	if (!kind || strcmp(kind, "FULL_EXAMINATION") != 0)
		return 0;
	bool emergency = front_true(in, "emergency_without_consent");
	if (emergency && !front_str(in, "emergency_record"))
		front_fail(out, 422, "emergency_record",
		           "Treatment without consent in an emergency: the doctor's full record made at the time is needed "
		           "(3.8.14, R-45)");
	if (front_true(in, "s20_general_consent") && !front_str(in, "legal_advice_at"))
		front_fail(out, 422, "legal_advice_at",
		           "A parent's general medical consent for a child accommodated under section 20 is relied on only "
		           "after legal advice: record when it was taken (3.8.8, R-45)");
	int32_t day;
	int h, m, s;
	moment_to_local(front_moment(in, "examined_at", moment_now()), &day, &h, &m, &s);
	int age = back_age_years(req, c->child_id, day);
	const char *by = front_str(in, "consent_given_by");
	const char *perm = front_str(in, "parental_permission");
	if (!perm && by && strcmp(by, "PERSON_WITH_PR") == 0) {
		perm = "GIVEN";
		json_object_set_new(in, "parental_permission", json_string(perm));
	}
	if (!emergency && age >= 0 && age < 16) {
		if (!perm)
			front_fail(out, 422, "parental_permission",
			           "For a child under 16, record whether a parent's permission was asked (3.8.12, R-45)");
		else if (strcmp(perm, "NOT_SOUGHT") == 0 && !front_str(in, "parental_permission_reason"))
			front_fail(out, 422, "parental_permission_reason",
			           "Record why a parent's permission was not asked (3.8.12, R-45)");
	}
	if (!emergency && perm && strcmp(perm, "GIVEN") != 0) {
		if (!front_true(in, "court_order_considered") || !front_str(in, "court_order_decision"))
			front_fail(out, 422, "court_order_considered",
			           "Without a parent's permission outside an emergency, the social worker and manager consider "
			           "whether to seek a court order: record their decision (3.8.15, R-45)");
	}
	return front_failed(out) ? -1 : 0;
}

/* ---- joint visits ---- */

static bool is_336(const char *allegation)
{
	static const char *const kinds[] = {"ALLEGED_SEXUAL_ASSAULT", "PHYSICAL_ABH_OR_MORE_SERIOUS",
	                                    "SERIOUS_NEGLECT_CRUELTY", "MINOR_OFFENCE_AGGRAVATED"};
	for (size_t i = 0; allegation && i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(allegation, kinds[i]) == 0)
			return true;
	return false;
}

static bool police_side_given(json_t *in)
{
	return front_str(in, "police_officer_name") || front_str(in, "police_record") ||
	       front_str(in, "police_recorded_at") || front_str(in, "police_reference");
}

int front_joint_visit_record(struct http_request *req, const char *s47_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_owner(req, "s47_enquiries", s47_id, "s47.record", &c, out) < 0 || front_begin(req, out) < 0 ||
	    front_in_stage(req, out, &c, "s47.record") < 0)
		return -1;
	front_validate(req, &front_joint_visit_create, in, false, out);
	const char *decision = front_str(in, "decision");
	if (decision && strcmp(decision, "WAIT_FOR_BOTH") == 0 && front_true(in, "immediate_risk"))
		front_fail(out, 422, "decision",
		           "The child is at immediate risk: the visit goes ahead with the agency that can attend now, without "
		           "waiting for the other (3.3.7, R-40)");
	if (decision && strcmp(decision, "JOINT_VISIT") != 0 && is_336(front_str(in, "allegation")) &&
	    !front_str(in, "decision_reason"))
		front_fail(out, 422, "decision_reason",
		           "A joint visit is always considered for this allegation: record why the agencies decided otherwise "
		           "(3.3.6, R-40)");
	if (police_side_given(in)) {
		static const char *const need[] = {"police_officer_name", "police_record", "police_recorded_at"};
		for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
			if (!front_str(in, need[i]))
				front_fail(out, 422, need[i], "The police's record names the officer, what they recorded and when");
	}
	if (front_failed(out))
		return front_abort(req);
	if (front_count(req, "SELECT COUNT(*) FROM s47_enquiries WHERE id = $1 AND status = 'open'", s47_id, NULL, NULL) !=
	    1) {
		front_abort(req);
		return front_fail(out, 409, NULL, "The enquiry has its outcome and can no longer be changed");
	}
	struct http_kv extra[] = {{"s47_id", s47_id}, {"case_id", c.id}, {"child_id", c.child_id},
	                          {"csc_recorded_by", req->user.id}};
	if (front_insert(req, out, &front_joint_visit_create, in, extra, 4, out->id) < 0)
		return -1;
	char summary[300];
	snprintf(summary, sizeof summary, "Joint visit discussed with the police: %s",
	         enums_label("joint_visit_decision", decision));
	if (front_chronology(req, out, &c, "record_created", summary, "significant", "joint_visit", out->id,
	                     front_str(in, "discussed_at")) < 0 ||
	    front_audit(req, out, "create", "joint_visit", out->id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	if (!police_side_given(in))
		warn(out, "R-40", "3.3.5", "The police record the discussion too: add their record when it comes");
	return 0;
}

int front_joint_visit_police_cmd(struct http_request *req, const char *jv_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_owner(req, "s47_joint_visits", jv_id, "joint_visit.police", &c, out) < 0 ||
	    front_begin(req, out) < 0)
		return -1;
	if (front_validate(req, &front_joint_visit_police, in, false, out) < 0)
		return front_abort(req);
	if (front_count(req, "SELECT COUNT(*) FROM s47_joint_visits WHERE id = $1 AND police_record IS NOT NULL", jv_id,
	                NULL, NULL) > 0) {
		front_abort(req);
		return front_fail(out, 409, NULL, "The police's record of this discussion is already on file");
	}
	const char *vals[] = {req->user.id, jv_id};
	if (front_update(req, out, &front_joint_visit_police, jv_id, in) < 0 ||
	    front_exec(req, out, "UPDATE s47_joint_visits SET police_recorded_by = $1 WHERE id = $2", vals, 2) < 0 ||
	    front_audit(req, out, "update", "joint_visit", jv_id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	snprintf(out->id, sizeof out->id, "%s", jv_id);
	return 0;
}

int front_joint_visit_outcome_cmd(struct http_request *req, const char *jv_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_owner(req, "s47_joint_visits", jv_id, "s47.record", &c, out) < 0 || front_begin(req, out) < 0)
		return -1;
	front_validate(req, &front_joint_visit_outcome, in, false, out);
	if (!front_str(in, "visited_at"))
		front_fail(out, 422, "visited_at", "Enter when the visit was made");
	if (front_failed(out))
		return front_abort(req);
	if (front_count(req, "SELECT COUNT(*) FROM s47_joint_visits WHERE id = $1 AND decision = 'NO_VISIT'", jv_id, NULL,
	                NULL) > 0) {
		front_abort(req);
		return front_fail(out, 409, NULL, "The discussion decided that no visit was needed");
	}
	if (front_update(req, out, &front_joint_visit_outcome, jv_id, in) < 0 ||
	    front_chronology(req, out, &c, "visit", "Visit after the joint visit discussion; actions shared", "significant",
	                     "joint_visit", jv_id, front_str(in, "visited_at")) < 0 ||
	    front_audit(req, out, "update", "joint_visit", jv_id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	snprintf(out->id, sizeof out->id, "%s", jv_id);
	return 0;
}

/* Before the enquiry's outcome: every discussion recorded by both agencies, every visit's actions recorded and
 * shared (3.3.5, 3.3.7); a warning when a 3.3.6 allegation was notified to the police and no discussion is on file. */
int front_joint_visits_check(struct http_request *req, const struct front_case *c, const char *s47_id,
                             struct front_out *out)
{
	if (front_count(req, "SELECT COUNT(*) FROM s47_joint_visits WHERE s47_id = $1 AND police_record IS NULL", s47_id,
	                NULL, NULL) > 0)
		front_fail(out, 422, "joint_visits",
		           "A joint visit discussion has only social care's record: the police record it too (3.3.5, R-40)");
	if (front_count(req, "SELECT COUNT(*) FROM s47_joint_visits WHERE s47_id = $1 AND decision IN ('JOINT_VISIT', "
	                     "'SINGLE_CSC', 'SINGLE_POLICE') AND (actions_shared_at IS NULL OR actions_after IS NULL)",
	                s47_id, NULL, NULL) > 0)
		front_fail(out, 422, "joint_visits",
		           "Record the actions and decisions after each visit and who they were shared with (3.3.7, R-40)");
	if (front_failed(out))
		return -1;
	if (front_count(req, "SELECT COUNT(*) FROM s47_joint_visits WHERE s47_id = $1", s47_id, NULL, NULL) == 0 &&
	    front_count(req, "SELECT COUNT(*) FROM police_notifications WHERE case_id = $1 AND matters IN "
	                     "('ALLEGED_SEXUAL_ASSAULT', 'PHYSICAL_ABH_OR_MORE_SERIOUS', 'SERIOUS_NEGLECT_CRUELTY', "
	                     "'MINOR_OFFENCE_AGGRAVATED')",
	                c->id, NULL, NULL) > 0)
		warn(out, "R-40", "3.3.5; 3.3.6",
		     "The police were told of an allegation for which a joint visit is always considered, and no joint visit "
		     "discussion is recorded");
	return 0;
}

/* ---- the JSON API ---- */

static void h_prebirth(struct http_request *req)
{
	front_run(req, front_referral_prebirth_decide, 200, &front_referral);
}

static void h_joint_visit(struct http_request *req)
{
	front_run(req, front_joint_visit_record, 201, &front_joint_visit);
}

static void h_joint_visit_police(struct http_request *req)
{
	front_run(req, front_joint_visit_police_cmd, 200, &front_joint_visit);
}

static void h_joint_visit_outcome(struct http_request *req)
{
	front_run(req, front_joint_visit_outcome_cmd, 200, &front_joint_visit);
}

static void h_joint_visit_get(struct http_request *req)
{
	struct front_out out;
	front_out_init(&out);
	struct front_case c;
	const char *id = http_param(req, 0);
	if (front_load_owner(req, "s47_joint_visits", id, "child.read", &c, &out) < 0) {
		front_respond_failure(req, &out);
	} else {
		command_audit_read(req, "joint_visit", id, c.child_id);
		http_json(req, 200, front_row(req, &front_joint_visit, id));
	}
	front_out_free(&out);
}

const struct route front_rules_routes[] = {
	{HTTP_POST, "/api/v1/referrals/:id/prebirth-decision", h_prebirth, "referral.decide"},
	{HTTP_POST, "/api/v1/s47/:id/joint-visits", h_joint_visit, "s47.record"},
	{HTTP_GET, "/api/v1/joint-visits/:id", h_joint_visit_get, "child.read"},
	{HTTP_POST, "/api/v1/joint-visits/:id/police-record", h_joint_visit_police, "joint_visit.police"},
	{HTTP_POST, "/api/v1/joint-visits/:id/outcome", h_joint_visit_outcome, "s47.record"},
	{0},
};
