/* ST-08 to ST-10: emergency protection (3.2), police notification (2.4.19, 3.5) and the strategy meeting or
 * discussion (3.4): its urgency category (which names the T-33 clock variants), who was invited and who attended
 * (CSC chaired by a first line manager, the police and health, with a paediatrician, the hospital or legal services
 * when the circumstances need them, 3.4.10-3.4.13, 3.6.3), what was shared and decided, and whether it starts
 * section 47 enquiries (the initial conference clock runs from that discussion, 3.4.18). Further discussions keep
 * their own 15 working day clock (3.4.6, A-15). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/enums.h"
#include "pathway/front.h"

#define SMD_MAX_PARTICIPANTS 40

static void warn(struct front_out *out, const char *rule, const char *citation, const char *message)
{
	json_array_append_new(out->warnings,
	                      json_pack("{s:s, s:s, s:s}", "rule", rule, "citation", citation, "message", message));
}

static bool is_one_of(const char *v, const char *const *set)
{
	for (; v && *set; set++)
		if (strcmp(v, *set) == 0)
			return true;
	return false;
}

/* ---- strategy discussions ---- */

struct attendance {
	bool csc, police, health, paediatrician, hospital, legal, referrer_invited, senior;
};

static bool role_is(json_t *p, const char *needle)
{
	const char *r = json_string_value(json_object_get(p, "role"));
	if (!r)
		return false;
	size_t n = strlen(needle);
	for (const char *s = r; *s; s++)
		if (strncasecmp(s, needle, n) == 0)
			return true;
	return false;
}

static void tally(json_t *participants, struct attendance *a)
{
	memset(a, 0, sizeof *a);
	a->senior = true;
	size_t i;
	json_t *p;
	json_array_foreach(participants, i, p) {
		const char *agency = json_string_value(json_object_get(p, "agency_type"));
		bool attended = json_is_true(json_object_get(p, "attended"));
		if (json_is_true(json_object_get(p, "is_referrer")) &&
		    (attended || !json_is_false(json_object_get(p, "invited"))))
			a->referrer_invited = true;
		if (!attended || !agency)
			continue;
		if (!json_is_true(json_object_get(p, "seniority_confirmed")))
			a->senior = false;
		if (strncmp(agency, "CSC", 3) == 0)
			a->csc = true;
		if (strcmp(agency, "POLICE") == 0)
			a->police = true;
		if (strncmp(agency, "HEALTH_", 7) == 0)
			a->health = true;
		if (strcmp(agency, "HEALTH_ACUTE_HOSPITAL") == 0)
			a->hospital = true;
		if (strncmp(agency, "HEALTH_", 7) == 0 && role_is(p, "paediatric"))
			a->paediatrician = true;
		if (strcmp(agency, "LA_LEGAL") == 0)
			a->legal = true;
	}
}

/* Who was required and missing (3.4.10-3.4.13, 3.6.3, R-30); "" when nobody. */
static void missing_people(json_t *smd, const struct attendance *a, struct buf *out)
{
	struct {
		bool need, have;
		const char *who;
	} req[] = {
		{true, json_is_true(json_object_get(smd, "chair_is_flm")), "a children's social care first line manager as chair"},
		{true, a->csc, "children's social care"},
		{true, a->police, "the police"},
		{true, a->health, "health"},
		{json_is_true(json_object_get(smd, "medical_implications")), a->paediatrician, "a paediatrician"},
		{json_is_true(json_object_get(smd, "child_in_hospital")), a->hospital, "the hospital's responsible consultant"},
		{json_is_true(json_object_get(smd, "access_refused")), a->legal, "legal services"},
	};
	for (size_t i = 0; i < sizeof req / sizeof req[0]; i++)
		if (req[i].need && !req[i].have)
			buf_addf(out, "%s%s", out->len ? ", " : "", req[i].who);
}

int front_strategy_convene(struct http_request *req, const char *case_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_case(req, case_id, "strategy.record", &c, out) < 0)
		return -1;
	const char *cat = front_str(in, "category");
	if (!cat || !enums_label("smd_category", cat))
		front_fail(out, 422, "category",
		           "Choose the strategy discussion's urgency category: it sets when it must be held (3.4.17, R-29)");
	const char *trigger = front_str(in, "trigger");
	if (trigger && !enums_label("smd_trigger", trigger))
		front_fail(out, 422, "trigger", "Choose one of the listed triggers");
	if (front_failed(out) || front_begin(req, out) < 0 || front_can(req, out, &c, "strategy", "strategy.convene") < 0)
		return -1;
	if (front_transition(req, out, &c, "strategy", "strategy.convene", front_str(in, "reason"), NULL, 0, "case",
	                     c.id) < 0)
		return -1;
	const char *variants[STAGE_MAX_VARIANTS];
	int nv = stage_clock_variants("smd_category", cat, variants, STAGE_MAX_VARIANTS);
	if (nv && front_event(req, out, &c, "cp_concern_identified", moment_now(), NULL, variants, nv, NULL, 0) < 0)
		return -1;
	char summary[256];
	snprintf(summary, sizeof summary, "Strategy discussion to be convened (%s)", enums_label("smd_category", cat));
	if (front_chronology(req, out, &c, "strategy_discussion", summary, "significant", "case", c.id, NULL) < 0 ||
	    front_audit(req, out, "convene", "strategy_discussion", NULL, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	return 0;
}

static int insert_participants(struct http_request *req, struct front_out *out, const char *smd_id, json_t *ps)
{
	size_t i;
	json_t *p;
	json_array_foreach(ps, i, p) {
		struct http_kv extra[] = {{"smd_id", smd_id}};
		char id[ID_MAX];
		if (front_insert(req, out, &front_smd_participant, p, extra, 1, id) < 0)
			return -1;
	}
	return 0;
}

static int check_participants(struct http_request *req, json_t *ps, struct front_out *out)
{
	if (!json_is_array(ps) || json_array_size(ps) > SMD_MAX_PARTICIPANTS)
		return front_fail(out, 422, "participants", "List who was invited and who attended");
	size_t i;
	json_t *p;
	json_array_foreach(ps, i, p) {
		json_t *errs = json_array();
		if (!json_is_object(p) || record_validate(req->store, &front_smd_participant, p, false, errs)) {
			char f[64];
			snprintf(f, sizeof f, "participants[%zu]", i);
			const char *m = json_string_value(json_object_get(json_array_get(errs, 0), "message"));
			front_fail(out, 422, f, m ? m : "Each participant is an object with name and agency_type");
		}
		json_decref(errs);
	}
	return front_failed(out) ? -1 : 0;
}

int front_strategy_record(struct http_request *req, const char *case_id, json_t *in, struct front_out *out)
{
	json_t *ps = json_incref(json_object_get(in, "participants"));
	json_object_del(in, "participants");
	if (!ps)
		ps = json_array();
	int rc = -1;
	struct front_case c;
	if (front_load_case(req, case_id, "strategy.record", &c, out) < 0 || front_begin(req, out) < 0)
		goto out;
	front_validate(req, &front_smd, in, false, out);
	check_participants(req, ps, out);
	front_prebirth_smd_check(req, &c, in, out); /* */
	const char *decision = front_str(in, "decision_s47");
	if (front_failed(out)) {
		front_abort(req);
		goto out;
	}
	bool in_s47 = strcmp(c.stage, "s47") == 0;
	static const char *const continuing[] = {"S47_CONTINUE", "FURTHER_SMD", NULL};
	if (in_s47 && !is_one_of(decision, continuing)) {
		front_abort(req);
		front_fail(out, 422, "decision_s47",
		           "Enquiries are already under way: a further discussion continues them or plans another; record "
		           "the enquiry's outcome to end them");
		goto out;
	}
	const char *to = in_s47 ? "s47" : stage_outcome_next("smd_s47_decision", decision);
	if (!to) {
		front_abort(req);
		front_fail(out, 422, "decision_s47", "Choose one of the listed decisions");
		goto out;
	}
	if (front_can(req, out, &c, to, "strategy.record") < 0)
		goto out;
	static const char *const starting[] = {"S47_INITIATE", "S47_CONTINUE", NULL};
	bool initiates = !in_s47 && is_one_of(decision, starting);
	/* The facts the guards ask for. */
	const char *facts[6];
	int nf = 0;
	struct attendance a;
	tally(ps, &a);
	struct buf missing;
	buf_init(&missing, 1024);
	missing_people(in, &a, &missing);
	const char *override = front_str(in, "attendance_override_reason");
	if (!missing.len) {
		facts[nf++] = "smd_attendance_complete";
	} else if (override && front_is_manager(req)) {
		facts[nf++] = "smd_attendance_complete";
		char msg[1400];
		snprintf(msg, sizeof msg, "Held without %s: %s", buf_str(&missing), override);
		warn(out, "R-30", "3.4.10; 3.4.11; 3.4.13", msg);
	}
	if (front_str(in, "family_sharing_decision"))
		facts[nf++] = "family_sharing_decided";
	const char *authoriser = front_str(in, "s47_authorised_by");
	if (initiates && !authoriser && front_is_manager(req)) {
		json_object_set_new(in, "s47_authorised_by", json_string(req->user.id));
		authoriser = req->user.id;
	}
	if (front_user_is_manager(req, authoriser))
		facts[nf++] = "s47_authorised_by_manager";
	if (front_str(in, "police_consulted_at"))
		facts[nf++] = "police_consulted";
	if (!a.referrer_invited)
		warn(out, "R-30", "3.4.11", "The referring agency was not invited: consider whether it should take part");
	if (!a.senior)
		warn(out, "R-30", "3.4.12", "Not every participant was confirmed senior enough to decide for their agency");
	/* The record. */
	int64_t held = front_moment(in, "held_at", moment_now());
	char seq[24], prev[ID_MAX] = "";
	snprintf(seq, sizeof seq, "%lld",
	         (long long)front_count(req, "SELECT COUNT(*) FROM strategy_discussions WHERE case_id = $1", c.id, NULL,
	                                NULL) + 1);
	struct store_stmt *s = store_prepare(req->store, "SELECT id FROM strategy_discussions WHERE case_id = $1 ORDER BY "
	                                                 "sequence_no DESC LIMIT 1");
	if (s) {
		store_bind_text(s, 1, c.id);
		if (store_step(s) == STORE_ROW)
			snprintf(prev, sizeof prev, "%s", store_col_text(s, 0));
		store_reset(s);
	}
	struct http_kv extra[] = {{"case_id", c.id}, {"child_id", c.child_id}, {"sequence_no", seq},
	                          {"previous_smd_id", prev[0] ? prev : NULL}};
	if (front_insert(req, out, &front_smd, in, extra, prev[0] ? 4 : 3, out->id) < 0 ||
	    insert_participants(req, out, out->id, ps) < 0)
		goto out_missing;
	/* Clocks: the discussion meets T-33 (or T-37); a further one planned starts T-37; starting enquiries starts
	 * the initial conference clock from this discussion (3.4.18, R-36). */
	const char *conds[] = {"further_strategy_planned"};
	bool further = front_str(in, "further_smd_due") || strcmp(decision, "FURTHER_SMD") == 0;
	/* No subject: the clocks it meets were started by other records (T-33 by the referral decision, the
	 * convening or the emergency action; T-37 by the previous discussion). */
	if (front_event(req, out, &c, "strategy_discussion_held", held, NULL, NULL, 0, conds, further ? 1 : 0) < 0)
		goto out_missing;
	if (initiates && front_event(req, out, &c, "s47_initiated", held, out->id, NULL, 0, NULL, 0) < 0)
		goto out_missing;
	if (front_transition(req, out, &c, to, "strategy.record", front_str(in, "decisions"), facts, nf,
	                     "strategy_discussion", out->id) < 0) {
		if (missing.len && !override) {
			char msg[1400];
			snprintf(msg, sizeof msg, "Required but not recorded as attending: %s", buf_str(&missing));
			front_fail(out, 422, "participants", msg);
		}
		goto out_missing;
	}
	if (initiates) {
		char s47_id[ID_MAX], held_iso[MOMENT_ISO_LEN];
		id_new("enq", s47_id);
		moment_format(held, held_iso);
		const char *vals[] = {s47_id,
		                      c.id,
		                      c.child_id,
		                      out->id,
		                      held_iso,
		                      authoriser,
		                      front_str(in, "police_consulted_at"),
		                      front_str(in, "investigation_mode"),
		                      req->user.id};
		if (front_exec(req, out,
		               "INSERT INTO s47_enquiries (id, case_id, child_id, initiating_smd_id, started_at, authorised_by, "
		               "police_consulted_at, investigation_mode, created_at, created_by, updated_at, updated_by) "
		               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $5, $9, $5, $9)",
		               vals, 9) < 0 ||
		    front_chronology(req, out, &c, "s47_started", "Section 47 enquiries started", "significant", "s47",
		                     s47_id, held_iso) < 0 ||
		    front_audit(req, out, "create", "s47", s47_id, c.child_id) < 0)
			goto out_missing;
		warn(out, "R-49", "3.4.27; 3.6.1",
		     "Tell the agencies involved that enquiries have started, and the parents unless that would put the "
		     "child at risk or undermine a criminal investigation");
	}
	char summary[300];
	snprintf(summary, sizeof summary, "Strategy %s held (%s): %s",
	         strcmp(front_str(in, "format"), "SMD_TELEPHONE") == 0 ? "discussion" : "meeting",
	         enums_label("smd_category", front_str(in, "category")), enums_label("smd_s47_decision", decision));
	if (front_chronology(req, out, &c, "strategy_discussion", summary, "significant", "strategy_discussion", out->id,
	                     front_str(in, "held_at")) < 0 ||
	    front_audit(req, out, "create", "strategy_discussion", out->id, c.child_id) < 0 || front_commit(req, out) < 0)
		goto out_missing;
	rc = 0;
out_missing:
	buf_free(&missing);
out:
	json_decref(ps);
	return rc;
}

/* The record goes to everyone invited; a telephone discussion's record needs a manager's authorisation first
 * (3.4.15-3.4.16, R-34). */
int front_strategy_circulate(struct http_request *req, const char *smd_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_owner(req, "strategy_discussions", smd_id, "strategy.record", &c, out) < 0)
		return -1;
	json_t *smd = front_row(req, &front_smd, smd_id);
	bool phone = strcmp(json_string_value(json_object_get(smd, "format")), "SMD_TELEPHONE") == 0;
	json_decref(smd);
	if (phone && !front_is_manager(req))
		return front_fail(out, 422, NULL,
		                  "A telephone strategy discussion's record must be authorised by a children's social care "
		                  "manager before it is sent (3.4.16, R-34)");
	int64_t at = front_moment(in, "circulated_at", moment_now());
	char at_iso[MOMENT_ISO_LEN];
	moment_format(at, at_iso);
	const char *vals[] = {at_iso, phone ? req->user.id : NULL, smd_id};
	if (front_begin(req, out) < 0 ||
	    front_exec(req, out, "UPDATE strategy_discussions SET circulated_at = $1, record_authorised_by = $2 WHERE id = $3",
	               vals, 3) < 0 ||
	    front_audit(req, out, "circulate", "strategy_discussion", smd_id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	snprintf(out->id, sizeof out->id, "%s", smd_id);
	return 0;
}

/* ---- emergency protection ---- */

int front_emergency_record(struct http_request *req, const char *case_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_case(req, case_id, "emergency.record", &c, out) < 0 || front_begin(req, out) < 0)
		return -1;
	if (front_validate(req, &front_emergency, in, false, out) < 0)
		return front_abort(req);
	const char *means = front_str(in, "means");
	const char *facts[2];
	int nf = 0;
	bool epo = strcmp(means, "EMERGENCY_PROTECTION_ORDER") == 0;
	if (!epo || (front_str(in, "legal_advice_at") && front_user_is_manager(req, front_str(in, "manager_agreement_by"))))
		facts[nf++] = "legal_action_authorised";
	static const char *const ranks[] = {"INSPECTOR", "CHIEF_INSPECTOR", "SUPERINTENDENT", NULL};
	if (strcmp(means, "POLICE_PROTECTION") != 0 ||
	    (is_one_of(front_str(in, "designated_officer_rank"), ranks) && front_str(in, "designated_officer_name") &&
	     front_str(in, "last_resort_reason")))
		facts[nf++] = "police_protection_justified";
	const char *to = stage_allowed(c.stage, "emergency", "emergency.record") ? "emergency" : c.stage;
	if (front_can(req, out, &c, to, "emergency.record") < 0)
		return -1;
	struct http_kv extra[] = {{"case_id", c.id}, {"child_id", c.child_id}};
	int64_t taken = front_moment(in, "taken_at", moment_now());
	if (front_insert(req, out, &front_emergency, in, extra, 2, out->id) < 0 ||
	    front_event(req, out, &c, "emergency_action_taken", taken, out->id, NULL, 0, NULL, 0) < 0 ||
	    front_transition(req, out, &c, to, "emergency.record", NULL, facts, nf, "emergency_action", out->id) < 0)
		return -1;
	char summary[256];
	snprintf(summary, sizeof summary, "Emergency action: %s", enums_label("protection_means", means));
	if (front_chronology(req, out, &c, epo ? "legal_order" : "emergency_protection", summary, "critical",
	                     "emergency_action", out->id, front_str(in, "taken_at")) < 0 ||
	    front_audit(req, out, "create", "emergency_action", out->id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	warn(out, "R-27", "3.2.10; 3.4.17", "Hold a strategy discussion within one working day of the emergency action");
	if (!front_str(in, "other_children_considered"))
		warn(out, "R-28", "3.2.3", "Consider whether other children need protecting (the household, the alleged "
		                           "abuser's household, elsewhere)");
	if (epo && !front_str(in, "proceedings_decision"))
		warn(out, "R-28", "3.2.11", "Decide before the order ends whether to start proceedings or let it lapse");
	return 0;
}

/* ---- police notification ---- */

int front_police_notify(struct http_request *req, const char *case_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_case(req, case_id, "police.notify", &c, out) < 0 || front_begin(req, out) < 0 ||
	    front_in_stage(req, out, &c, "police.notify") < 0)
		return -1;
	if (front_validate(req, &front_police, in, false, out) < 0)
		return front_abort(req);
	struct http_kv extra[] = {{"case_id", c.id}, {"child_id", c.child_id}};
	if (front_insert(req, out, &front_police, in, extra, 2, out->id) < 0)
		return -1;
	if (strcmp(front_str(in, "channel"), "PHONE") == 0 &&
	    front_event(req, out, &c, "police_phone_referral_made", front_moment(in, "notified_at", moment_now()), out->id,
	                NULL, 0, NULL, 0) < 0)
		return -1;
	if (front_str(in, "confirmed_in_writing_at") &&
	    front_event(req, out, &c, "police_referral_confirmed_in_writing",
	                front_moment(in, "confirmed_in_writing_at", moment_now()), out->id, NULL, 0, NULL, 0) < 0)
		return -1;
	const char *m = front_str(in, "matters");
	if (m && strcmp(m, "MINOR_INJURY") == 0 &&
	    front_count(req, "SELECT COUNT(*) FROM children WHERE id = $1 AND (cp_plan_status = 'active' OR "
	                     "is_looked_after = 1)",
	                c.child_id, NULL, NULL) > 0)
		warn(out, "R-41", "3.5.7", "A minor injury to a child on a plan or looked after: consider a joint enquiry");
	if (front_chronology(req, out, &c, "police_notification", "Police told that a crime may have been committed",
	                     "significant", "police_notification", out->id, front_str(in, "notified_at")) < 0 ||
	    front_audit(req, out, "create", "police_notification", out->id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	return 0;
}

int front_police_update(struct http_request *req, const char *id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_owner(req, "police_notifications", id, "police.notify", &c, out) < 0 || front_begin(req, out) < 0)
		return -1;
	if (json_object_get(in, "confirmed_in_writing_at") || json_object_get(in, "notified_at") ||
	    json_object_get(in, "channel")) {
		front_abort(req);
		return front_fail(out, 422, "confirmed_in_writing_at",
		                  "Log the written confirmation in the communication log; the time and channel of the "
		                  "notification cannot be changed");
	}
	if (front_validate(req, &front_police, in, true, out) < 0)
		return front_abort(req);
	if (front_update(req, out, &front_police, id, in) < 0 ||
	    front_audit(req, out, "update", "police_notification", id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	snprintf(out->id, sizeof out->id, "%s", id);
	return 0;
}

/* ---- the JSON API ---- */

static void run(struct http_request *req, front_cmd cmd, int ok_status, const struct entity *view)
{
	json_t *in = command_input_or_respond(req, NULL);
	if (!in)
		return;
	struct front_out out;
	front_out_init(&out);
	cmd(req, http_param(req, 0), in, &out);
	json_decref(in);
	json_t *body = NULL;
	if (!out.status) {
		body = view && out.id[0] ? front_row(req, view, out.id) : front_case_view(req, out.case_id);
		if (view == &front_smd)
			json_object_set_new(body, "participants",
			                    record_list(req->store, &front_smd_participant, "smd_id", out.id, "created_at", 100));
	}
	front_respond(req, &out, ok_status, body);
	front_out_free(&out);
}

static void h_convene(struct http_request *req)
{
	run(req, front_strategy_convene, 200, NULL);
}

static void h_record(struct http_request *req)
{
	run(req, front_strategy_record, 201, &front_smd);
}

static void h_circulate(struct http_request *req)
{
	run(req, front_strategy_circulate, 200, &front_smd);
}

static void h_emergency(struct http_request *req)
{
	run(req, front_emergency_record, 201, &front_emergency);
}

static void h_police(struct http_request *req)
{
	run(req, front_police_notify, 201, &front_police);
}

static void h_police_update(struct http_request *req)
{
	run(req, front_police_update, 200, &front_police);
}

static void h_get(struct http_request *req)
{
	struct front_out out;
	front_out_init(&out);
	struct front_case c;
	const char *id = http_param(req, 0);
	if (front_load_owner(req, "strategy_discussions", id, "child.read", &c, &out) < 0) {
		front_respond_failure(req, &out);
	} else {
		command_audit_read(req, "strategy_discussion", id, c.child_id);
		json_t *smd = front_row(req, &front_smd, id);
		json_object_set_new(smd, "participants",
		                    record_list(req->store, &front_smd_participant, "smd_id", id, "created_at", 100));
		http_json(req, 200, smd);
	}
	front_out_free(&out);
}

const struct route strategy_routes[] = {
	{HTTP_POST, "/api/v1/cases/:id/strategy/convene", h_convene, "strategy.record"},
	{HTTP_POST, "/api/v1/cases/:id/strategy-discussions", h_record, "strategy.record"},
	{HTTP_GET, "/api/v1/strategy-discussions/:id", h_get, "child.read"},
	{HTTP_POST, "/api/v1/strategy-discussions/:id/circulate", h_circulate, "strategy.record"},
	{HTTP_POST, "/api/v1/cases/:id/emergency-actions", h_emergency, "emergency.record"},
	{HTTP_POST, "/api/v1/cases/:id/police-notifications", h_police, "police.notify"},
	{HTTP_PATCH, "/api/v1/police-notifications/:id", h_police_update, "police.notify"},
	{0},
};
