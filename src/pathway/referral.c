/* ST-05: the referral decision within one working day, approved by a manager, with its reasons (2.4.21-2.4.22);
 * parental agreement and discussing the referral with other agencies (1.6.14-1.6.17, 2.4.12-2.4.14, 2.5.5); and the
 * notification and communication log (4.23), which is how acknowledgements, written confirmations, decision
 * feedback and outcome letters are evidenced and how their clocks are met. */
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

static bool referrer_feedback_logged(struct http_request *req, const char *case_id)
{
	return front_count(req,
	                   "SELECT COUNT(*) FROM communications WHERE case_id = $1 AND recipient_type = 'REFERRER' AND "
	                   "purpose IN ('DECISION_FEEDBACK', 'DECISION_LETTER')",
	                   case_id, NULL, NULL) > 0;
}

int front_referral_decide(struct http_request *req, const char *referral_id, json_t *in, struct front_out *out)
{
	json_t *ref = front_row(req, &front_referral, referral_id);
	if (!ref)
		return front_fail(out, 404, NULL, "There is no such referral.");
	json_t *category = json_incref(json_object_get(in, "smd_category"));
	json_object_del(in, "smd_category");
	int rc = -1;
	struct front_case c;
	if (front_begin(req, out) < 0)
		goto out;
	if (front_load_case(req, json_string_value(json_object_get(ref, "case_id")), "referral.decide", &c, out) < 0) {
		front_abort(req);
		goto out;
	}
	front_validate(req, &front_referral_decision, in, false, out);
	const char *decision = front_str(in, "decision");
	const char *cat = json_string_value(category);
	if (decision && strcmp(decision, "REF_STRATEGY") == 0 && !cat)
		front_fail(out, 422, "smd_category",
		           "Choose the strategy discussion's urgency category: it sets when it must be held (3.4.17, R-29)");
	if (cat && !enums_label("smd_category", cat))
		front_fail(out, 422, "smd_category", "Choose one of the listed urgency categories");
	json_t *told = json_object_get(in, "family_informed");
	if (json_is_false(told) && !front_str(in, "family_not_informed_reason"))
		front_fail(out, 422, "family_not_informed_reason",
		           "Record why the family is not told what action will be taken (2.1.13, R-08)");
	if (front_failed(out)) {
		front_abort(req);
		goto out;
	}
	if (front_can(req, out, &c, "decided", "referral.decide") < 0)
		goto out;
	const char *next = stage_outcome_next("referral_outcome", decision);
	if (!next) {
		front_abort(req);
		front_fail(out, 500, NULL, "The decision has no next stage in rules/pathway/stages.json");
		goto out;
	}
	char now_iso[MOMENT_ISO_LEN];
	int64_t now = moment_now();
	moment_format(now, now_iso);
	const char *vals[] = {now_iso, req->user.id, referral_id};
	if (front_update(req, out, &front_referral_decision, referral_id, in) < 0 ||
	    front_exec(req, out, "UPDATE referrals SET decision_at = $1, decided_by = $2 WHERE id = $3", vals, 3) < 0)
		goto out;
	if (front_event(req, out, &c, "referral_evaluated", now, referral_id, NULL, 0, NULL, 0) < 0 ||
	    front_event(req, out, &c, "referral_decision_made", now, referral_id, NULL, 0, NULL, 0) < 0)
		goto out;
	const char *facts[4];
	int nf = 0;
	if (!json_is_null(json_object_get(ref, "acknowledged_at")))
		facts[nf++] = "referrer_acknowledged";
	if (!json_is_true(json_object_get(ref, "verbal")) || !json_is_null(json_object_get(ref, "written_confirmation_at")))
		facts[nf++] = "written_confirmation_not_outstanding";
	const char *reasons = front_str(in, "decision_reasons");
	if (front_transition(req, out, &c, "decided", "referral.decide", reasons, facts, nf, "referral", referral_id) < 0)
		goto out;
	nf = 0;
	if (referrer_feedback_logged(req, c.id))
		facts[nf++] = "referrer_feedback_logged";
	if (json_is_true(told) || front_str(in, "family_not_informed_reason"))
		facts[nf++] = "family_told_or_reason";
	if (front_transition(req, out, &c, next, "referral.outcome", reasons, facts, nf, "referral", referral_id) < 0)
		goto out;
	if (strcmp(next, "assessment") == 0) {
		json_t *a = json_pack("{s:s}", "assessment_type", "SINGLE_CIN");
		struct http_kv extra[] = {{"case_id", c.id},
		                          {"child_id", c.child_id},
		                          {"referral_id", referral_id},
		                          {"started_at", json_string_value(json_object_get(ref, "received_at"))}};
		char aid[ID_MAX];
		int r = front_insert(req, out, &front_assessment_create, a, extra, 4, aid);
		json_decref(a);
		if (r < 0 || front_chronology(req, out, &c, "assessment_started", "Assessment started", NULL, "assessment",
		                              aid, NULL) < 0)
			goto out;
	}
	if (strcmp(next, "strategy") == 0) {
		const char *variants[STAGE_MAX_VARIANTS];
		int nv = stage_clock_variants("smd_category", cat, variants, STAGE_MAX_VARIANTS);
		if (nv && front_event(req, out, &c, "cp_concern_identified", now, referral_id, variants, nv, NULL, 0) < 0)
			goto out;
	}
	if ((strcmp(decision, "REF_NFA") == 0 || strcmp(decision, "REF_SIGNPOST") == 0) &&
	    !front_str(in, "alternative_support"))
		warn(out, "R-07", "2.1.8; 2.4.25", "Suggest alternative support to the referrer when the threshold is not met");
	char summary[256];
	snprintf(summary, sizeof summary, "Referral decision: %s", enums_label("referral_outcome", decision));
	bool serious = strcmp(next, "strategy") == 0 || strcmp(next, "emergency") == 0;
	if (front_chronology(req, out, &c, "referral_decision", summary, serious ? "significant" : NULL, "referral",
	                     referral_id, now_iso) < 0 ||
	    front_audit(req, out, "decide", "referral", referral_id, c.child_id) < 0 || front_commit(req, out) < 0)
		goto out;
	snprintf(out->id, sizeof out->id, "%s", referral_id);
	rc = 0;
out:
	json_decref(category);
	json_decref(ref);
	return rc;
}

int front_referral_consent_cmd(struct http_request *req, const char *referral_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_owner(req, "referrals", referral_id, "referral.record", &c, out) < 0)
		return -1;
	if (front_begin(req, out) < 0)
		return -1;
	if (front_in_stage(req, out, &c, "referral.consent") < 0)
		return -1;
	front_validate(req, &front_referral_consent, in, true, out);
	const char *agree = front_str(in, "parental_agreement");
	if (agree && strcmp(agree, "NOT_SOUGHT") == 0 && !front_str(in, "parental_not_sought_reason"))
		front_fail(out, 422, "parental_not_sought_reason",
		           "Give the reason the parents' agreement was not sought (1.6.14, 1.6.15, R-03)");
	if (agree && strcmp(agree, "REFUSED") == 0 && !front_str(in, "parental_reason_detail"))
		front_fail(out, 422, "parental_reason_detail",
		           "The parents refused: record why the referral goes ahead without their agreement (1.6.17, R-03)");
	bool without = front_true(in, "checks_without_consent");
	const char *why = front_str(in, "checks_without_consent_reason");
	if (without && !why)
		front_fail(out, 422, "checks_without_consent_reason",
		           "Choose the reason for discussing the referral without the parents' permission (2.5.5, R-10)");
	if (without && why && strcmp(why, "OTHER") == 0 && !front_str(in, "checks_without_consent_detail"))
		front_fail(out, 422, "checks_without_consent_detail", "Describe the other reason");
	if (without && !front_is_manager(req))
		front_fail(out, 422, "checks_without_consent",
		           "Discussing the referral with other agencies without the parents' permission needs a children's "
		           "social care manager's authorisation (2.4.14, R-10)");
	if (front_failed(out))
		return front_abort(req);
	if (front_update(req, out, &front_referral_consent, referral_id, in) < 0)
		return -1;
	if (without) {
		char now_iso[MOMENT_ISO_LEN];
		moment_format(moment_now(), now_iso);
		const char *vals[] = {req->user.id, now_iso, referral_id};
		if (front_exec(req, out, "UPDATE referrals SET checks_authorised_by = $1, checks_authorised_at = $2 WHERE id = $3",
		               vals, 3) < 0)
			return -1;
	}
	if (agree && strcmp(agree, "REFUSED") == 0)
		warn(out, "R-03", "1.6.17", "Tell the parents that the referral has been made");
	if (front_audit(req, out, "update", "referral", referral_id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	snprintf(out->id, sizeof out->id, "%s", referral_id);
	return 0;
}

int front_referral_update(struct http_request *req, const char *referral_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_owner(req, "referrals", referral_id, "referral.record", &c, out) < 0 || front_begin(req, out) < 0 ||
	    front_in_stage(req, out, &c, "referral.update") < 0)
		return -1;
	if (front_validate(req, &front_referral, in, true, out) < 0 ||
	    front_prebirth_gestation(req, c.child_id, 0, in, false, out) < 0) /* */
		return front_abort(req);
	if (front_update(req, out, &front_referral, referral_id, in) < 0 ||
	    front_audit(req, out, "update", "referral", referral_id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	snprintf(out->id, sizeof out->id, "%s", referral_id);
	return 0;
}

/* ---- the communication log ---- */

/* What each kind of logged communication means for the clocks and the chronology. */
static const struct {
	const char *purpose, *direction, *event, *chronology, *summary;
} comm_kinds[] = {
	{"ACKNOWLEDGEMENT", "out", "referral_acknowledged", "referral", "Referrer told the referral arrived (2.4.23)"},
	{"WRITTEN_CONFIRMATION", "in", "referral_confirmed_in_writing", "referral",
	 "Written confirmation of the spoken referral received (1.6.23)"},
	{"DECISION_FEEDBACK", "out", NULL, "referral_decision", "Feedback on the referral decision given"},
	{"DECISION_LETTER", "out", NULL, "referral_decision", "Written decision sent"},
	{"ASSESSMENT_OUTCOME", "out", NULL, "assessment_outcome", "Assessment outcome shared"},
	{"SMD_INVITATION", "out", NULL, "strategy_discussion", "Invited to the strategy discussion"},
	{"SMD_RECORD", "out", NULL, "strategy_discussion", "Strategy discussion record sent"},
	{"S47_STARTED", "out", NULL, "s47_started", "Told that section 47 enquiries have started"},
	{"S47_OUTCOME", "out", NULL, "s47_outcome", "Section 47 outcome shared"},
	{"POLICE_REFERRAL", "out", NULL, "police_notification", "Police told"},
	{"POLICE_WRITTEN_CONFIRMATION", "out", "police_referral_confirmed_in_writing", "police_notification",
	 "Telephone referral to the police confirmed in writing (3.5.4)"},
	{"HOSPITAL_NOTIFICATION", "out", NULL, "hospital_admission", "Telephone notification about a child in hospital"},
	{"INSPECTORATE", "out", NULL, "partner_contribution", "Inspectorate told"},
	{"OTHER", NULL, NULL, "partner_contribution", "Communication logged"},
};

static bool family_side(const char *party)
{
	return strcmp(party, "REFERRER") != 0;
}

int front_communication_log(struct http_request *req, const char *case_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_case(req, case_id, "communication.log", &c, out) < 0 || front_begin(req, out) < 0 ||
	    front_in_stage(req, out, &c, "communication.log") < 0)
		return -1;
	if (!json_object_get(in, "direction"))
		json_object_set_new(in, "direction", json_string("out"));
	front_validate(req, &front_communication, in, false, out);
	const char *dir = front_str(in, "direction");
	if (dir && strcmp(dir, "out") && strcmp(dir, "in"))
		front_fail(out, 422, "direction", "direction is out or in");
	if (front_failed(out))
		return front_abort(req);
	const char *party = front_str(in, "recipient_type"), *purpose = front_str(in, "purpose");
	/* A non-professional referrer's identity never leaves without their consent (1.7.5, 2.4.8, R-09). */
	if (front_true(in, "discloses_referrer_identity") && family_side(party) &&
	    front_count(req,
	                "SELECT COUNT(*) FROM contact_children k JOIN contacts t ON t.id = k.contact_id "
	                "WHERE k.case_id = $1 AND t.referrer_type NOT IN ('PROFESSIONAL', 'POLICE', 'OTHER_LA') "
	                "AND t.identity_disclosure_consent = 0",
	                c.id, NULL, NULL) > 0) {
		front_abort(req);
		return front_fail(out, 422, "discloses_referrer_identity",
		                  "The referrer is not a professional and has not agreed to be named: their identity cannot "
		                  "be shared with the family or other agencies (1.7.5, 2.4.8, R-09)");
	}
	/* While a criminal investigation runs, the family's feedback is agreed with the police first (3.9.12). */
	if (purpose && strcmp(purpose, "S47_OUTCOME") == 0 &&
	    (strcmp(party, "PARENT") == 0 || strcmp(party, "CHILD") == 0 || strcmp(party, "FAMILY") == 0) &&
	    !front_true(in, "content_agreed_with_police") &&
	    front_count(req, "SELECT COUNT(*) FROM police_notifications WHERE case_id = $1 AND "
	                     "police_decision = 'CRIMINAL_INVESTIGATION'",
	                c.id, NULL, NULL) > 0) {
		front_abort(req);
		return front_fail(out, 422, "content_agreed_with_police",
		                  "A criminal investigation is running: agree the content of the feedback with the police "
		                  "before it goes to the family (3.9.12, R-49)");
	}
	struct http_kv extra[] = {{"case_id", c.id}, {"child_id", c.child_id}};
	if (front_insert(req, out, &front_communication, in, extra, 2, out->id) < 0)
		return -1;
	int64_t at = front_moment(in, "sent_at", moment_now());
	const char *sent = front_str(in, "sent_at");
	size_t k = 0;
	while (k + 1 < sizeof comm_kinds / sizeof comm_kinds[0] && strcmp(comm_kinds[k].purpose, purpose) != 0)
		k++;
	bool evented = comm_kinds[k].event && strcmp(comm_kinds[k].direction, dir) == 0;
	if (evented && strcmp(comm_kinds[k].event, "referral_acknowledged") == 0 && strcmp(party, "REFERRER") != 0)
		evented = false;
	if (evented) {
		/* No subject: the clocks this stops (T-08, T-05, T-40) were started with the referral or the police
		 * notification as their subject, and the update below applies to every one of them on the case. */
		if (front_event(req, out, &c, comm_kinds[k].event, at, NULL, NULL, 0, NULL, 0) < 0)
			return -1;
		const char *vals[] = {sent, c.id};
		const char *sql = strcmp(purpose, "ACKNOWLEDGEMENT") == 0
		                          ? "UPDATE referrals SET acknowledged_at = $1 WHERE case_id = $2 AND acknowledged_at IS NULL"
		                  : strcmp(purpose, "WRITTEN_CONFIRMATION") == 0
		                          ? "UPDATE referrals SET written_confirmation_at = $1 WHERE case_id = $2 AND "
		                            "written_confirmation_at IS NULL"
		                          : "UPDATE police_notifications SET confirmed_in_writing_at = $1 WHERE case_id = $2 "
		                            "AND confirmed_in_writing_at IS NULL";
		if (front_exec(req, out, sql, vals, 2) < 0)
			return -1;
	}
	char summary[300];
	const char *label = enums_label("communication_party", party);
	snprintf(summary, sizeof summary, "%s (%s %s)", comm_kinds[k].summary, strcmp(dir, "in") == 0 ? "from" : "to",
	         label ? label : party);
	if (front_chronology(req, out, &c, comm_kinds[k].chronology, summary, NULL, "communication", out->id, sent) < 0 ||
	    front_audit(req, out, "create", "communication", out->id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	return 0;
}

/* ---- the JSON API ---- */

static void h_referral_get(struct http_request *req)
{
	struct front_out out;
	front_out_init(&out);
	struct front_case c;
	if (front_load_owner(req, "referrals", http_param(req, 0), "child.read", &c, &out) < 0) {
		front_respond_failure(req, &out);
	} else {
		command_audit_read(req, "referral", http_param(req, 0), c.child_id);
		http_json(req, 200, front_row(req, &front_referral, http_param(req, 0)));
	}
	front_out_free(&out);
}

typedef int (*referral_cmd)(struct http_request *, const char *, json_t *, struct front_out *);

static void run(struct http_request *req, referral_cmd cmd, int ok_status)
{
	json_t *in = command_input_or_respond(req, NULL);
	if (!in)
		return;
	struct front_out out;
	front_out_init(&out);
	const char *id = http_param(req, 0);
	cmd(req, id, in, &out);
	json_decref(in);
	json_t *body = NULL;
	if (!out.status)
		body = cmd == front_communication_log ? front_row(req, &front_communication, out.id)
		                                      : front_row(req, &front_referral, out.id);
	front_respond(req, &out, ok_status, body);
	front_out_free(&out);
}

static void h_referral_update(struct http_request *req)
{
	run(req, front_referral_update, 200);
}

static void h_referral_consent(struct http_request *req)
{
	run(req, front_referral_consent_cmd, 200);
}

static void h_referral_decision(struct http_request *req)
{
	run(req, front_referral_decide, 200);
}

static void h_comm_create(struct http_request *req)
{
	run(req, front_communication_log, 201);
}

static void h_case_pathway(struct http_request *req)
{
	struct front_out out;
	front_out_init(&out);
	struct front_case c;
	if (front_load_case(req, http_param(req, 0), "child.read", &c, &out) < 0) {
		front_respond_failure(req, &out);
	} else {
		command_audit_read(req, "case", c.id, c.child_id);
		http_json(req, 200, front_case_view(req, c.id));
	}
	front_out_free(&out);
}

static void h_comm_list(struct http_request *req)
{
	struct front_out out;
	front_out_init(&out);
	struct front_case c;
	if (front_load_case(req, http_param(req, 0), "child.read", &c, &out) < 0) {
		front_respond_failure(req, &out);
	} else {
		command_audit_read(req, "communication", NULL, c.child_id);
		http_json(req, 200,
		          json_pack("{s:o}", "items", record_list(req->store, &front_communication, "case_id", c.id,
		                                                  "sent_at", 1000)));
	}
	front_out_free(&out);
}

const struct route referral_routes[] = {
	{HTTP_GET, "/api/v1/referrals/:id", h_referral_get, "child.read"},
	{HTTP_PATCH, "/api/v1/referrals/:id", h_referral_update, "referral.record"},
	{HTTP_POST, "/api/v1/referrals/:id/consent", h_referral_consent, "referral.record"},
	{HTTP_POST, "/api/v1/referrals/:id/decision", h_referral_decision, "referral.decide"},
	{HTTP_GET, "/api/v1/cases/:id/pathway", h_case_pathway, "child.read"},
	{HTTP_GET, "/api/v1/cases/:id/communications", h_comm_list, "child.read"},
	{HTTP_POST, "/api/v1/cases/:id/communications", h_comm_create, "communication.log"},
	{0},
};
