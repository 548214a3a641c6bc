/* ST-11 to ST-14: the section 47 enquiry (telling the family or the manager's reasons for not telling them, agency
 * checks made directly with a named professional, the child seen and seen alone, the risk assessment), the
 * paediatric assessment (3.8), a child missing or access obstructed (the 24-hour rule, 3.6.2-3.6.3), and the
 * outcome with its feedback to the agencies, the parents and the child before any conference (3.9). */
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/enums.h"
#include "pathway/front.h"

static void warn(struct front_out *out, const char *rule, const char *citation, const char *message)
{
	json_array_append_new(out->warnings,
	                      json_pack("{s:s, s:s, s:s}", "rule", rule, "citation", citation, "message", message));
}

static bool s47_open(struct http_request *req, const char *s47_id)
{
	return front_count(req, "SELECT COUNT(*) FROM s47_enquiries WHERE id = $1 AND status = 'open'", s47_id, NULL,
	                   NULL) == 1;
}

int front_s47_update(struct http_request *req, const char *s47_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_owner(req, "s47_enquiries", s47_id, "s47.record", &c, out) < 0 || front_begin(req, out) < 0 ||
	    front_in_stage(req, out, &c, "s47.record") < 0)
		return -1;
	front_validate(req, &front_s47, in, true, out);
	front_prebirth_s47_check(req, &c, in, out); /* */
	const char *why = front_str(in, "parents_not_informed_reason");
	if (why && !front_is_manager(req))
		front_fail(out, 422, "parents_not_informed_reason",
		           "Only a manager can decide that the parents are not told about the checks, with the reason "
		           "(3.4.25, R-38)");
	if (why && strcmp(why, "OTHER") == 0 && !front_str(in, "parents_not_informed_detail"))
		front_fail(out, 422, "parents_not_informed_detail", "Describe the other reason");
	const char *perm = front_str(in, "parent_permission_for_checks");
	if (perm && strcmp(perm, "REFUSED") == 0) {
		if (!front_str(in, "proceed_despite_refusal_reason"))
			front_fail(out, 422, "proceed_despite_refusal_reason",
			           "The parents refused: record the manager's decision whether to go ahead, and why (3.4.26, R-38)");
		else if (!front_is_manager(req))
			front_fail(out, 422, "proceed_despite_refusal_reason",
			           "Going ahead despite the parents' refusal is a manager's decision (3.4.26, R-38)");
	}
	if (front_failed(out))
		return front_abort(req);
	if (!s47_open(req, s47_id)) {
		front_abort(req);
		return front_fail(out, 409, NULL, "The enquiry has its outcome and can no longer be changed");
	}
	if (front_update(req, out, &front_s47, s47_id, in) < 0)
		return -1;
	if (why) {
		const char *vals[] = {req->user.id, s47_id};
		if (front_exec(req, out, "UPDATE s47_enquiries SET parents_not_informed_by = $1 WHERE id = $2", vals, 2) < 0)
			return -1;
	}
	if (front_str(in, "child_seen_at") &&
	    front_chronology(req, out, &c, "visit",
	                     front_true(in, "child_seen_alone") ? "Child seen alone during section 47 enquiries"
	                                                        : "Child seen during section 47 enquiries",
	                     NULL, "s47", s47_id, front_str(in, "child_seen_at")) < 0)
		return -1;
	if (json_is_false(json_object_get(in, "child_seen_alone")) && !front_str(in, "child_seen_present"))
		warn(out, "R-48", "3.4.3; 4.7.5", "The child should be seen alone unless that is inappropriate: record who "
		                                  "was present and why");
	if (front_audit(req, out, "update", "s47", s47_id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	snprintf(out->id, sizeof out->id, "%s", s47_id);
	return 0;
}

int front_s47_check(struct http_request *req, const char *s47_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_owner(req, "s47_enquiries", s47_id, "s47.record", &c, out) < 0 || front_begin(req, out) < 0 ||
	    front_in_stage(req, out, &c, "s47.record") < 0)
		return -1;
	if (front_validate(req, &front_agency_check, in, false, out) < 0)
		return front_abort(req);
	if (json_is_false(json_object_get(in, "contacted_directly")))
		warn(out, "R-11", "3.4.27; 2.5.6; 1.11.3",
		     "Checks are made directly with the professional, not through reception staff or other intermediaries");
	struct http_kv extra[] = {{"s47_id", s47_id}};
	if (front_insert(req, out, &front_agency_check, in, extra, 1, out->id) < 0 ||
	    front_audit(req, out, "create", "agency_check", out->id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	return 0;
}

/* The outcome, authorised and countersigned by a manager (3.9.9, 3.11.2); the guards in stages.json hold the
 * seen-and-spoken-with and agencies-agree conditions (3.9.4, 3.9.7, R-48). */
int front_s47_outcome_cmd(struct http_request *req, const char *s47_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_owner(req, "s47_enquiries", s47_id, "s47.outcome", &c, out) < 0 || front_begin(req, out) < 0)
		return -1;
	if (front_validate(req, &front_s47_outcome, in, false, out) < 0)
		return front_abort(req);
	if (!s47_open(req, s47_id)) {
		front_abort(req);
		return front_fail(out, 409, NULL, "The enquiry already has its outcome");
	}
	if (front_joint_visits_check(req, &c, s47_id, out) < 0) /* */
		return front_abort(req);
	const char *outcome = front_str(in, "outcome");
	bool icpc = strcmp(outcome, "S47_SUBSTANTIATED_ICPC") == 0;
	bool no_risk = strcmp(outcome, "S47_SUBSTANTIATED_NO_CONTINUING_RISK") == 0;
	const char *facts[3];
	int nf = 0;
	if (icpc || front_true(in, "all_children_and_carers_seen"))
		facts[nf++] = "all_children_and_carers_seen";
	if (!no_risk || front_true(in, "agencies_agree_safety_plan"))
		facts[nf++] = "agencies_agree_safety_plan";
	if (front_count(req, "SELECT COUNT(*) FROM whereabouts_episodes WHERE case_id = $1 AND kind = "
	                     "'WHEREABOUTS_UNKNOWN' AND located_at IS NULL",
	                c.id, NULL, NULL) == 0)
		facts[nf++] = "child_located";
	char now_iso[MOMENT_ISO_LEN];
	moment_format(moment_now(), now_iso);
	const char *vals[] = {now_iso, req->user.id, icpc ? "1" : "0", s47_id};
	if (front_update(req, out, &front_s47_outcome, s47_id, in) < 0 ||
	    front_exec(req, out, "UPDATE s47_enquiries SET outcome_at = $1, outcome_authorised_by = $2, icpc_decision = $3, "
	                         "status = 'outcome' WHERE id = $4",
	               vals, 4) < 0 ||
	    front_transition(req, out, &c, "s47_outcome", "s47.outcome", front_str(in, "icpc_decision_reasons"), facts, nf,
	                     "s47", s47_id) < 0)
		return -1;
	char summary[300];
	snprintf(summary, sizeof summary, "Section 47 outcome: %s", enums_label("s47_outcome", outcome));
	if (front_chronology(req, out, &c, "s47_outcome", summary, icpc ? "critical" : "significant", "s47", s47_id,
	                     now_iso) < 0 ||
	    front_audit(req, out, "authorise", "s47", s47_id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	if (icpc && !front_str(in, "interim_safety_arrangements"))
		warn(out, "R-52", "3.9.6", "Record the interim multi-agency safety arrangements until the conference");
	warn(out, "R-49", "3.9.10; 3.9.11; 3.9.12",
	     "Give the outcome and what it means to the agencies involved, the parents and the child (in a form suited "
	     "to them) before any conference, and log each");
	snprintf(out->id, sizeof out->id, "%s", s47_id);
	return 0;
}

static bool told(struct http_request *req, const char *case_id, const char *parties_sql)
{
	struct buf sql;
	buf_init(&sql, 512);
	buf_addf(&sql, "SELECT COUNT(*) FROM communications WHERE case_id = $1 AND purpose = 'S47_OUTCOME' AND "
	               "recipient_type IN (%s)", parties_sql); /* parties_sql: compiled constants */
	bool ok = front_count(req, buf_str(&sql), case_id, NULL, NULL) > 0;
	buf_free(&sql);
	return ok;
}

/* Closing the enquiry: the agencies told (3.11.5, R-50); the parents and child told before the conference (3.9.10). */
int front_s47_conclude(struct http_request *req, const char *s47_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_owner(req, "s47_enquiries", s47_id, "s47.outcome", &c, out) < 0 || front_begin(req, out) < 0)
		return -1;
	json_t *s = front_row(req, &front_s47, s47_id);
	const char *outcome = json_string_value(json_object_get(s, "outcome"));
	const char *next = stage_outcome_next("s47_outcome", outcome);
	if (!outcome || strcmp(json_string_value(json_object_get(s, "status")), "outcome") != 0 || !next) {
		json_decref(s);
		front_abort(req);
		return front_fail(out, 409, NULL, "Record and authorise the enquiry's outcome before closing it");
	}
	const char *facts[4];
	int nf = 0;
	if (told(req, c.id, "'AGENCY', 'POLICE', 'HEALTH', 'EDUCATION', 'OTHER_LA'"))
		facts[nf++] = "agencies_informed";
	bool reason = !json_is_null(json_object_get(s, "parents_not_informed_reason"));
	if (reason || told(req, c.id, "'PARENT', 'FAMILY'"))
		facts[nf++] = "parents_informed_or_reason";
	if (reason || told(req, c.id, "'CHILD'"))
		facts[nf++] = "child_informed_or_reason";
	if (!json_is_null(json_object_get(s, "interim_safety_arrangements")))
		facts[nf++] = "interim_safety_recorded";
	json_decref(s);
	const char *vals[] = {s47_id};
	if (front_transition(req, out, &c, next, "s47.conclude", front_str(in, "reason"), facts, nf, "s47", s47_id) < 0 ||
	    front_exec(req, out, "UPDATE s47_enquiries SET status = 'closed' WHERE id = $1", vals, 1) < 0)
		return -1;
	char summary[200];
	snprintf(summary, sizeof summary, "Section 47 enquiry closed; next: %s", enums_label("case_stage", next));
	if (front_chronology(req, out, &c, "s47_outcome", summary, "significant", "s47", s47_id, NULL) < 0 ||
	    front_audit(req, out, "close", "s47", s47_id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	snprintf(out->id, sizeof out->id, "%s", s47_id);
	return 0;
}

/* ---- paediatric assessment (3.8) ---- */

int front_paediatric_record(struct http_request *req, const char *case_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_case(req, case_id, "paediatric.record", &c, out) < 0 || front_begin(req, out) < 0 ||
	    front_in_stage(req, out, &c, "paediatric.record") < 0)
		return -1;
	front_validate(req, &front_paediatric, in, false, out);
	const char *kind = front_str(in, "record_kind"), *examiner = front_str(in, "examiner_type");
	bool full = kind && strcmp(kind, "FULL_EXAMINATION") == 0;
	if (full && (!examiner || strcmp(examiner, "NON_MEDICAL_STAFF") == 0))
		front_fail(out, 422, "examiner_type",
		           "Only an appropriately trained doctor records a full examination; other staff record a body map "
		           "(3.8.6, 3.8.16, R-43)");
	if (kind && !full && !front_str(in, "report_signed_by"))
		front_fail(out, 422, "report_signed_by", "A body map is signed and dated by whoever made it (3.8.6)");
	if (front_true(in, "emergency_without_consent")) {
		if (!front_str(in, "parents_informed_at"))
			front_fail(out, 422, "parents_informed_at",
			           "Treatment without consent in an emergency: record when the parents were told (3.8.14, R-45)");
	} else if (full) {
		if (!front_str(in, "consent_given_by"))
			front_fail(out, 422, "consent_given_by", "Record who consented to the examination (3.8.7, R-45)");
		if (!front_str(in, "consent_method"))
			front_fail(out, 422, "consent_method", "Record how consent was given (3.8.7, R-45)");
	}
	front_paediatric_consent_check(req, &c, in, out); /* */
	if (front_str(in, "report_sent_to") && (!front_str(in, "report_signed_by") || !front_str(in, "report_signed_at") ||
	                                        !front_str(in, "findings")))
		front_fail(out, 422, "report_signed_by",
		           "A report is sent only once it holds the findings and is signed and dated by the doctor "
		           "(3.8.27, 3.8.28, R-46)");
	if (front_failed(out))
		return front_abort(req);
	if (json_is_false(json_object_get(in, "interview_before_exam")) && !front_str(in, "exam_first_agreed_reason"))
		warn(out, "R-44", "3.8.2; A-29",
		     "The examination came before the police or social care interview: record the exceptional circumstances "
		     "the police and social care agreed");
	struct http_kv extra[] = {{"case_id", c.id}, {"child_id", c.child_id}, {"court_order_considered_by", req->user.id}};
	if (front_insert(req, out, &front_paediatric, in, extra, front_true(in, "court_order_considered") ? 3 : 2,
	                 out->id) < 0)
		return -1;
	/* No subject: the clock it meets (T-42) was started by the referral, a different record. */
	if (full && front_event(req, out, &c, "paediatric_assessment_done", front_moment(in, "examined_at", moment_now()),
	                        NULL, NULL, 0, NULL, 0) < 0)
		return -1;
	if (front_chronology(req, out, &c, "significant_incident",
	                     full ? "Paediatric assessment" : "Body map of visible marks recorded", "significant",
	                     "paediatric_assessment", out->id, front_str(in, "examined_at")) < 0 ||
	    front_audit(req, out, "create", "paediatric_assessment", out->id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	return 0;
}

/* ---- missing child or access refused (3.6.2, 3.6.3) ---- */

int front_whereabouts_record(struct http_request *req, const char *case_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_case(req, case_id, "s47.record", &c, out) < 0 || front_begin(req, out) < 0 ||
	    front_in_stage(req, out, &c, "whereabouts.record") < 0)
		return -1;
	if (front_validate(req, &front_whereabouts, in, false, out) < 0)
		return front_abort(req);
	bool missing = strcmp(front_str(in, "kind"), "WHEREABOUTS_UNKNOWN") == 0;
	struct http_kv extra[] = {{"case_id", c.id}, {"child_id", c.child_id}};
	if (front_insert(req, out, &front_whereabouts, in, extra, 2, out->id) < 0)
		return -1;
	/* The 24 hours run from when the whereabouts are recorded as unknown; last seen is kept apart. */
	if (missing && front_event(req, out, &c, "whereabouts_unknown_recorded",
	                           front_moment(in, "recorded_at", moment_now()), out->id, NULL, 0, NULL, 0) < 0)
		return -1;
	if (front_chronology(req, out, &c, "missing_episode",
	                     missing ? "Child's whereabouts unknown during enquiries" : "Access to the child refused",
	                     "critical", "whereabouts", out->id, front_str(in, "recorded_at")) < 0 ||
	    front_audit(req, out, "create", "whereabouts", out->id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	warn(out, "R-42", missing ? "3.6.2" : "3.6.3",
	     missing ? "Within 24 hours: a strategy discussion with the police, and the manager's agreement to a plan to "
	               "find and see the child"
	             : "Hold a strategy discussion including legal representation to plan how to reach the child");
	return 0;
}

int front_whereabouts_plan_cmd(struct http_request *req, const char *episode_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_owner(req, "whereabouts_episodes", episode_id, "s47.record", &c, out) < 0 ||
	    front_begin(req, out) < 0)
		return -1;
	front_validate(req, &front_whereabouts_plan, in, false, out);
	json_t *ep = front_row(req, &front_whereabouts, episode_id);
	bool missing = strcmp(json_string_value(json_object_get(ep, "kind")), "WHEREABOUTS_UNKNOWN") == 0;
	json_decref(ep);
	const char *smd = front_str(in, "smd_id");
	if (!front_failed(out)) {
		if (front_count(req, "SELECT COUNT(*) FROM strategy_discussions WHERE id = $1 AND case_id = $2", smd, c.id,
		                NULL) != 1)
			front_fail(out, 422, "smd_id", "Choose a strategy discussion of this case");
		else if (front_count(req, "SELECT COUNT(*) FROM strategy_participants WHERE smd_id = $1 AND attended = 1 "
		                          "AND agency_type = $2",
		                     smd, missing ? "POLICE" : "LA_LEGAL", NULL) == 0)
			front_fail(out, 422, "smd_id",
			           missing ? "The plan to find the child is agreed at a strategy discussion with the police (3.6.2)"
			                   : "Access refused: the strategy discussion includes legal representation (3.6.3)");
	}
	if (!front_is_manager(req))
		front_fail(out, 422, "location_plan", "The plan is agreed with the responsible manager (3.6.2, R-42)");
	if (front_failed(out))
		return front_abort(req);
	const char *vals[] = {req->user.id, episode_id};
	if (front_update(req, out, &front_whereabouts_plan, episode_id, in) < 0 ||
	    front_exec(req, out, "UPDATE whereabouts_episodes SET manager_agreement_by = $1 WHERE id = $2", vals, 2) < 0)
		return -1;
	if (missing && front_event(req, out, &c, "child_location_plan_agreed", moment_now(), episode_id, NULL, 0, NULL,
	                           0) < 0)
		return -1;
	if (front_chronology(req, out, &c, "missing_episode", "Plan agreed to find and see the child", "significant",
	                     "whereabouts", episode_id, NULL) < 0 ||
	    front_audit(req, out, "update", "whereabouts", episode_id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	snprintf(out->id, sizeof out->id, "%s", episode_id);
	return 0;
}

int front_whereabouts_located_cmd(struct http_request *req, const char *episode_id, json_t *in,
                                  struct front_out *out)
{
	struct front_case c;
	if (front_load_owner(req, "whereabouts_episodes", episode_id, "s47.record", &c, out) < 0 ||
	    front_begin(req, out) < 0)
		return -1;
	if (front_validate(req, &front_whereabouts_located, in, false, out) < 0)
		return front_abort(req);
	if (front_update(req, out, &front_whereabouts_located, episode_id, in) < 0 ||
	    front_chronology(req, out, &c, "missing_episode", "Child found and seen", "significant", "whereabouts",
	                     episode_id, front_str(in, "located_at")) < 0 ||
	    front_audit(req, out, "update", "whereabouts", episode_id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	snprintf(out->id, sizeof out->id, "%s", episode_id);
	return 0;
}

/* ---- the JSON API ---- */

static void h_update(struct http_request *req)
{
	front_run(req, front_s47_update, 200, &front_s47);
}

static void h_check(struct http_request *req)
{
	front_run(req, front_s47_check, 201, &front_agency_check);
}

static void h_outcome(struct http_request *req)
{
	front_run(req, front_s47_outcome_cmd, 200, &front_s47);
}

static void h_conclude(struct http_request *req)
{
	front_run(req, front_s47_conclude, 200, &front_s47);
}

static void h_paediatric(struct http_request *req)
{
	front_run(req, front_paediatric_record, 201, &front_paediatric);
}

static void h_whereabouts(struct http_request *req)
{
	front_run(req, front_whereabouts_record, 201, &front_whereabouts);
}

static void h_whereabouts_plan(struct http_request *req)
{
	front_run(req, front_whereabouts_plan_cmd, 200, &front_whereabouts);
}

static void h_whereabouts_located(struct http_request *req)
{
	front_run(req, front_whereabouts_located_cmd, 200, &front_whereabouts);
}

static void h_hold(struct http_request *req)
{
	front_run(req, front_hospital_hold_place, 201, &front_hospital_hold);
}

static void h_hold_release(struct http_request *req)
{
	front_run(req, front_hospital_hold_release, 200, &front_hospital_hold);
}

static void h_get(struct http_request *req)
{
	struct front_out out;
	front_out_init(&out);
	struct front_case c;
	const char *id = http_param(req, 0);
	if (front_load_owner(req, "s47_enquiries", id, "child.read", &c, &out) < 0) {
		front_respond_failure(req, &out);
	} else {
		command_audit_read(req, "s47", id, c.child_id);
		json_t *s = front_row(req, &front_s47, id);
		json_object_set_new(s, "agency_checks",
		                    record_list(req->store, &front_agency_check, "s47_id", id, "checked_at", 200));
		http_json(req, 200, s);
	}
	front_out_free(&out);
}

const struct route s47_routes[] = {
	{HTTP_GET, "/api/v1/s47/:id", h_get, "child.read"},
	{HTTP_PATCH, "/api/v1/s47/:id", h_update, "s47.record"},
	{HTTP_POST, "/api/v1/s47/:id/agency-checks", h_check, "s47.record"},
	{HTTP_POST, "/api/v1/s47/:id/outcome", h_outcome, "s47.outcome"},
	{HTTP_POST, "/api/v1/s47/:id/conclude", h_conclude, "s47.outcome"},
	{HTTP_POST, "/api/v1/cases/:id/paediatric-assessments", h_paediatric, "paediatric.record"},
	{HTTP_POST, "/api/v1/cases/:id/whereabouts", h_whereabouts, "s47.record"},
	{HTTP_POST, "/api/v1/whereabouts/:id/plan", h_whereabouts_plan, "s47.record"},
	{HTTP_POST, "/api/v1/whereabouts/:id/located", h_whereabouts_located, "s47.record"},
	{HTTP_POST, "/api/v1/cases/:id/hospital-holds", h_hold, "hospital_hold.record"},
	{HTTP_POST, "/api/v1/hospital-holds/:id/release", h_hold_release, "hospital_hold.record"},
	{0},
};
