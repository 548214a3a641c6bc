/* ST-06 and ST-07: the assessment (who was seen, the child seen alone and when, the child's views, the factors
 * found, the outcome, the manager's authorisation against the 2.5.15 and 2.5.24 checklists), its extension beyond
 * 45 working days only through the clock engine with both reasons and a new date (2.2.36, 2.5.2, A-05), and the
 * child in need plan with its reviews (2.2.30-2.2.32, 2.5.26). An assessment continues alongside section 47
 * enquiries (3.3.3): its outcome then moves nothing but is held to the same guards. */
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "app/app.h"
#include "app/web.h"
#include "clock/clock.h"
#include "core/date.h"
#include "domain/enums.h"
#include "pathway/front.h"
#include "policy/policy.h"

static void warn(struct front_out *out, const char *rule, const char *citation, const char *message)
{
	json_array_append_new(out->warnings,
	                      json_pack("{s:s, s:s, s:s}", "rule", rule, "citation", citation, "message", message));
}

static const char *const checklist[] = {
	"chk_child_alone_views",    "chk_all_children_seen", "chk_home_and_bedroom",      "chk_parent_seen_views",
	"chk_histories_considered", "chk_analysis_complete", "chk_evidence_for_services", "chk_records_chronology",
	"chk_review_planned",       "chk_plan_distributed",
};

int front_assessment_start(struct http_request *req, const char *case_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_case(req, case_id, "assessment.record", &c, out) < 0 || front_begin(req, out) < 0 ||
	    front_in_stage(req, out, &c, "assessment.start") < 0)
		return -1;
	if (front_validate(req, &front_assessment_create, in, false, out) < 0)
		return front_abort(req);
	if (front_count(req, "SELECT COUNT(*) FROM assessments WHERE case_id = $1 AND status = 'open'", c.id, NULL,
	                NULL) > 0) {
		front_abort(req);
		return front_fail(out, 409, NULL, "An assessment is already open on this case");
	}
	/* The 45 working days run from the referral, not from when the assessment was opened (2.2.36). */
	char referral[ID_MAX] = "", started[MOMENT_ISO_LEN];
	moment_format(moment_now(), started);
	struct store_stmt *s = store_prepare(req->store, "SELECT id, received_at FROM referrals WHERE case_id = $1 "
	                                                 "ORDER BY received_at DESC LIMIT 1");
	if (s) {
		store_bind_text(s, 1, c.id);
		if (store_step(s) == STORE_ROW) {
			snprintf(referral, sizeof referral, "%s", store_col_text(s, 0));
			snprintf(started, sizeof started, "%s", store_col_text(s, 1));
		}
		store_reset(s);
	}
	struct http_kv extra[] = {{"case_id", c.id}, {"child_id", c.child_id}, {"started_at", started},
	                          {"referral_id", referral[0] ? referral : NULL}};
	if (front_insert(req, out, &front_assessment_create, in, extra, referral[0] ? 4 : 3, out->id) < 0 ||
	    front_chronology(req, out, &c, "assessment_started", "Assessment started", NULL, "assessment", out->id,
	                     NULL) < 0 ||
	    front_audit(req, out, "create", "assessment", out->id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	return 0;
}

int front_assessment_update(struct http_request *req, const char *assessment_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_owner(req, "assessments", assessment_id, "assessment.record", &c, out) < 0 ||
	    front_begin(req, out) < 0 || front_in_stage(req, out, &c, "assessment.record") < 0)
		return -1;
	front_validate(req, &front_assessment, in, true, out);
	if (front_true(in, "interpreter_is_family_member"))
		front_fail(out, 422, "interpreter_is_family_member",
		           "A family member cannot act as interpreter: arrange an independent interpreter (2.2.18, R-22)");
	if (front_str(in, "child_not_seen_reason") && !front_is_manager(req))
		front_fail(out, 422, "child_not_seen_reason",
		           "Only a manager can decide that seeing the child is not appropriate (2.5.24, A-27)");
	if (front_true(in, "child_seen_alone") && !front_str(in, "child_seen_alone_at") &&
	    front_count(req, "SELECT COUNT(*) FROM assessments WHERE id = $1 AND child_seen_alone_at IS NOT NULL",
	                assessment_id, NULL, NULL) == 0)
		front_fail(out, 422, "child_seen_alone_at", "Say when the child was seen alone");
	if (front_failed(out))
		return front_abort(req);
	if (front_count(req, "SELECT COUNT(*) FROM assessments WHERE id = $1 AND status = 'open'", assessment_id, NULL,
	                NULL) != 1) {
		front_abort(req);
		return front_fail(out, 409, NULL, "This assessment is completed and can no longer be changed");
	}
	if (front_update(req, out, &front_assessment, assessment_id, in) < 0)
		return -1;
	if (front_str(in, "child_not_seen_reason")) {
		const char *vals[] = {req->user.id, assessment_id};
		if (front_exec(req, out, "UPDATE assessments SET child_not_seen_decided_by = $1 WHERE id = $2", vals, 2) < 0)
			return -1;
	}
	if (front_true(in, "reasonable_cause_s47"))
		warn(out, "R-19", "2.5.25; 2.4.18",
		     "Reasonable cause to suspect significant harm: convene a strategy discussion now");
	if (front_str(in, "child_seen_at") &&
	    front_chronology(req, out, &c, "visit",
	                     front_true(in, "child_seen_alone") ? "Child seen, and seen alone, for the assessment"
	                                                        : "Child seen for the assessment",
	                     NULL, "assessment", assessment_id, front_str(in, "child_seen_at")) < 0)
		return -1;
	if (front_audit(req, out, "update", "assessment", assessment_id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	snprintf(out->id, sizeof out->id, "%s", assessment_id);
	return 0;
}

int front_assessment_outcome_cmd(struct http_request *req, const char *assessment_id, json_t *in,
                                 struct front_out *out)
{
	struct front_case c;
	if (front_load_owner(req, "assessments", assessment_id, "assessment.record", &c, out) < 0 ||
	    front_begin(req, out) < 0 || front_in_stage(req, out, &c, "assessment.record") < 0)
		return -1;
	if (front_validate(req, &front_assessment_outcome, in, false, out) < 0)
		return front_abort(req);
	if (front_count(req, "SELECT COUNT(*) FROM assessments WHERE id = $1 AND status = 'open'", assessment_id, NULL,
	                NULL) != 1) {
		front_abort(req);
		return front_fail(out, 409, NULL, "This assessment is already completed");
	}
	char now_iso[MOMENT_ISO_LEN];
	moment_format(moment_now(), now_iso);
	const char *vals[] = {now_iso, req->user.id, assessment_id};
	if (front_update(req, out, &front_assessment_outcome, assessment_id, in) < 0 ||
	    front_exec(req, out, "UPDATE assessments SET outcome_recorded_at = $1, outcome_recorded_by = $2 WHERE id = $3",
	               vals, 3) < 0 ||
	    front_audit(req, out, "update", "assessment", assessment_id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	warn(out, "R-24", "2.5.23; 2.5.24",
	     "Before a manager approves it, send the outcome in writing to the family, the agencies and the referrer, and "
	     "log each in the communication log");
	snprintf(out->id, sizeof out->id, "%s", assessment_id);
	return 0;
}

/* The manager's approval (2.5.15, 2.5.24): the checklist, the child seen or a recorded decision, feedback logged. */
int front_assessment_authorise_cmd(struct http_request *req, const char *assessment_id, json_t *in,
                                   struct front_out *out)
{
	json_t *category = json_incref(json_object_get(in, "smd_category"));
	json_object_del(in, "smd_category");
	json_t *a = NULL;
	int rc = -1;
	struct front_case c;
	if (front_load_owner(req, "assessments", assessment_id, "assessment.authorise", &c, out) < 0 ||
	    front_begin(req, out) < 0)
		goto out;
	if (front_validate(req, &front_assessment_authorise, in, true, out) < 0) {
		front_abort(req);
		goto out;
	}
	a = front_row(req, &front_assessment, assessment_id);
	const char *outcome = json_string_value(json_object_get(a, "outcome"));
	if (!outcome || strcmp(json_string_value(json_object_get(a, "status")), "open") != 0) {
		front_abort(req);
		front_fail(out, 409, NULL, outcome ? "This assessment is already completed"
		                                   : "Record the assessment's outcome before it is approved");
		goto out;
	}
	const char *next = stage_outcome_next("assessment_outcome", outcome);
	const char *cat = json_string_value(category);
	if (next && strcmp(next, "strategy") == 0 && (!cat || !enums_label("smd_category", cat))) {
		front_abort(req);
		front_fail(out, 422, "smd_category",
		           "Choose the strategy discussion's urgency category: it sets when it must be held (3.4.17, R-29)");
		goto out;
	}
	if (front_update(req, out, &front_assessment_authorise, assessment_id, in) < 0)
		goto out;
	json_t *merged = json_deep_copy(a);
	json_object_update(merged, in);
	const char *facts[3];
	int nf = 0;
	bool all = true;
	for (size_t i = 0; i < sizeof checklist / sizeof checklist[0]; i++)
		all = all && json_is_true(json_object_get(merged, checklist[i]));
	if (all)
		facts[nf++] = "assessment_checklist_complete";
	if (!json_is_null(json_object_get(merged, "child_seen_at")) || front_str(merged, "child_not_seen_reason"))
		facts[nf++] = "child_seen_or_decision";
	json_decref(merged);
	if (front_count(req, "SELECT COUNT(*) FROM communications WHERE case_id = $1 AND purpose = 'ASSESSMENT_OUTCOME'",
	                c.id, NULL, NULL) > 0)
		facts[nf++] = "outcome_feedback_logged";
	if (strcmp(c.stage, "assessment") == 0) {
		if (front_can(req, out, &c, next, "assessment.authorise") < 0)
			goto out;
		/* No subject: the clock it meets (T-16) was started by the referral, a different record. */
		if (front_event(req, out, &c, "assessment_completed", moment_now(), NULL, NULL, 0, NULL, 0) < 0 ||
		    front_transition(req, out, &c, next, "assessment.authorise", front_str(a, "outcome_reasons"), facts, nf,
		                     "assessment", assessment_id) < 0)
			goto out;
	} else {
		/* Alongside enquiries: the case stays where it is, the same guards apply (3.3.3). */
		if (front_in_stage(req, out, &c, "assessment.authorise") < 0)
			goto out;
		struct stage_request rq = {.case_id = c.id, .to = next, .command = "assessment.authorise",
		                           .reason = front_str(a, "outcome_reasons"), .actor_user_id = req->user.id,
		                           .facts = facts, .n_facts = nf};
		struct stage_result res;
		struct buf why;
		buf_init(&why, 4096);
		int sc = stage_check(req->store, "assessment", &rq, &res, &why);
		size_t i;
		json_t *w;
		json_array_foreach(res.refusals, i, w) json_array_append(out->errors, w);
		json_array_foreach(res.warnings, i, w) json_array_append(out->warnings, w);
		stage_result_free(&res);
		buf_free(&why);
		if (sc != STAGE_OK) {
			front_abort(req);
			out->status = 422;
			goto out;
		}
		if (front_event(req, out, &c, "assessment_completed", moment_now(), NULL, NULL, 0, NULL, 0) < 0)
			goto out;
	}
	char now_iso[MOMENT_ISO_LEN];
	moment_format(moment_now(), now_iso);
	const char *vals[] = {req->user.id, now_iso, assessment_id};
	if (front_exec(req, out, "UPDATE assessments SET authorised_by = $1, authorised_at = $2, status = 'completed' "
	                         "WHERE id = $3",
	               vals, 3) < 0)
		goto out;
	if (next && strcmp(next, "strategy") == 0 && strcmp(c.stage, "strategy") == 0) {
		const char *variants[STAGE_MAX_VARIANTS];
		int nv = stage_clock_variants("smd_category", cat, variants, STAGE_MAX_VARIANTS);
		if (nv && front_event(req, out, &c, "cp_concern_identified", moment_now(), assessment_id, variants, nv, NULL,
		                      0) < 0)
			goto out;
	}
	if (next && strcmp(next, "cin") == 0 && strcmp(c.stage, "cin") == 0)
		warn(out, "R-23", "2.2.30; 2.5.26", "Record the child in need plan, with its services and review points");
	char summary[256];
	snprintf(summary, sizeof summary, "Assessment completed: %s", enums_label("assessment_outcome", outcome));
	if (front_chronology(req, out, &c, "assessment_outcome", summary, "significant", "assessment", assessment_id,
	                     now_iso) < 0 ||
	    front_audit(req, out, "authorise", "assessment", assessment_id, c.child_id) < 0 || front_commit(req, out) < 0)
		goto out;
	snprintf(out->id, sizeof out->id, "%s", assessment_id);
	rc = 0;
out:
	json_decref(a);
	json_decref(category);
	return rc;
}

/* T-16 beyond 45 working days: the SW's reasons, the first line manager's reason and new date, through the
 * clock engine, which alone decides whether the rule and the actor's role allow it. */
int front_assessment_extend(struct http_request *req, const char *assessment_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_owner(req, "assessments", assessment_id, "assessment.extend", &c, out) < 0 ||
	    front_begin(req, out) < 0 || front_in_stage(req, out, &c, "assessment.extend") < 0)
		return -1;
	if (front_validate(req, &front_extension, in, false, out) < 0)
		return front_abort(req);
	char clock_id[ID_MAX] = "";
	struct store_stmt *s = store_prepare(req->store, "SELECT id FROM clocks WHERE case_id = $1 AND rule_id = 'T-16' "
	                                                 "AND state = 'running' ORDER BY started_at DESC LIMIT 1");
	if (s) {
		store_bind_text(s, 1, c.id);
		if (store_step(s) == STORE_ROW)
			snprintf(clock_id, sizeof clock_id, "%s", store_col_text(s, 0));
		store_reset(s);
	}
	if (!clock_id[0]) {
		front_abort(req);
		return front_fail(out, 409, NULL, "There is no running assessment clock (T-16) on this case to extend");
	}
	int32_t day;
	date_parse(front_str(in, "new_due"), &day);
	int64_t due = moment_from_local(day, 23, 59, 59);
	struct buf reason, err;
	buf_init(&reason, 10000);
	buf_init(&err, 4096);
	buf_addf(&reason, "Social worker: %s. Manager: %s", front_str(in, "sw_reason"), front_str(in, "manager_reason"));
	struct app *app = req->app;
	struct clock_engine eng = {app->clock_rules, app->calendar};
	int rc = clock_extend(req->store, &eng, clock_id, due, buf_str(&reason), req->user.id,
	                      policy_spec_roles(req->user.role), &err);
	if (rc < 0) {
		front_abort(req);
		front_fail(out, 422, "new_due", buf_str(&err));
	}
	buf_free(&reason);
	buf_free(&err);
	if (rc < 0)
		return -1;
	struct http_kv extra[] = {{"assessment_id", assessment_id}, {"clock_id", clock_id}, {"approved_by", req->user.id}};
	if (front_insert(req, out, &front_extension, in, extra, 3, out->id) < 0 ||
	    front_audit(req, out, "extend", "assessment", assessment_id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	return 0;
}

int front_cin_plan_create(struct http_request *req, const char *case_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_case(req, case_id, "cin.plan", &c, out) < 0 || front_begin(req, out) < 0 ||
	    front_in_stage(req, out, &c, "cin.plan") < 0)
		return -1;
	if (front_validate(req, &front_cin_plan, in, false, out) < 0)
		return front_abort(req);
	struct http_kv extra[] = {{"case_id", c.id}, {"child_id", c.child_id}};
	if (front_insert(req, out, &front_cin_plan, in, extra, 2, out->id) < 0 ||
	    front_event(req, out, &c, "cin_plan_agreed", front_moment(in, "agreed_at", moment_now()), out->id, NULL, 0,
	                NULL, 0) < 0 ||
	    front_chronology(req, out, &c, "plan_started", "Child in need plan agreed", "significant", "cin_plan", out->id,
	                     front_str(in, "agreed_at")) < 0 ||
	    front_audit(req, out, "create", "cin_plan", out->id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	return 0;
}

/* A child in need plan review (2.2.32, 2.5.26): the next one falls due six months from this one's actual date. */
int front_cin_review(struct http_request *req, const char *case_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_case(req, case_id, "cin.plan", &c, out) < 0)
		return -1;
	int64_t held;
	const char *h = front_str(in, "held_at");
	if (!h || moment_parse(h, &held) < 0)
		front_fail(out, 422, "held_at", "Enter when the review was held, like 2026-03-27T14:30");
	if (!front_str(in, "decisions"))
		front_fail(out, 422, "decisions", "Record the review's decisions (2.2.32)");
	if (front_failed(out))
		return -1;
	if (front_begin(req, out) < 0 || front_can(req, out, &c, "cin", "cin.review") < 0 ||
	    front_event(req, out, &c, "cin_plan_reviewed", held, NULL, NULL, 0, NULL, 0) < 0 ||
	    front_transition(req, out, &c, "cin", "cin.review", front_str(in, "decisions"), NULL, 0, "cin_plan", NULL) < 0 ||
	    front_chronology(req, out, &c, "plan_started", "Child in need plan reviewed", NULL, "cin_plan", NULL, h) < 0 ||
	    front_audit(req, out, "review", "cin_plan", NULL, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	return 0;
}

/* Closing a case that needs nothing more (early help handed on, child in need outcomes met, 2.2.32): the guards in
 * stages.json say who may and require the reason. */
int front_case_close(struct http_request *req, const char *case_id, json_t *in, struct front_out *out)
{
	struct front_case c;
	if (front_load_case(req, case_id, "pathway.close", &c, out) < 0 || front_begin(req, out) < 0 ||
	    front_can(req, out, &c, "closed", "case.close") < 0)
		return -1;
	const char *reason = front_str(in, "reason");
	if (front_transition(req, out, &c, "closed", "case.close", reason, NULL, 0, "case", c.id) < 0 ||
	    front_chronology(req, out, &c, "case_closed", "Case closed", NULL, "case", c.id, NULL) < 0 ||
	    front_audit(req, out, "close", "case", c.id, c.child_id) < 0 || front_commit(req, out) < 0)
		return -1;
	return 0;
}

/* ---- the JSON API ---- */

static void h_start(struct http_request *req)
{
	front_run(req, front_assessment_start, 201, &front_assessment);
}

static void h_update(struct http_request *req)
{
	front_run(req, front_assessment_update, 200, &front_assessment);
}

static void h_outcome(struct http_request *req)
{
	front_run(req, front_assessment_outcome_cmd, 200, &front_assessment);
}

static void h_authorise(struct http_request *req)
{
	front_run(req, front_assessment_authorise_cmd, 200, &front_assessment);
}

static void h_extend(struct http_request *req)
{
	front_run(req, front_assessment_extend, 201, &front_extension);
}

static void h_cin_plan(struct http_request *req)
{
	front_run(req, front_cin_plan_create, 201, &front_cin_plan);
}

static void h_cin_review(struct http_request *req)
{
	front_run(req, front_cin_review, 201, NULL);
}

static void h_close(struct http_request *req)
{
	front_run(req, front_case_close, 200, NULL);
}

static void h_get(struct http_request *req)
{
	struct front_out out;
	front_out_init(&out);
	struct front_case c;
	if (front_load_owner(req, "assessments", http_param(req, 0), "child.read", &c, &out) < 0) {
		front_respond_failure(req, &out);
	} else {
		command_audit_read(req, "assessment", http_param(req, 0), c.child_id);
		json_t *a = front_row(req, &front_assessment, http_param(req, 0));
		json_object_set_new(a, "extensions", record_list(req->store, &front_extension, "assessment_id",
		                                                 http_param(req, 0), "created_at", 100));
		http_json(req, 200, a);
	}
	front_out_free(&out);
}

const struct route assessment_routes[] = {
	{HTTP_POST, "/api/v1/cases/:id/assessments", h_start, "assessment.record"},
	{HTTP_GET, "/api/v1/assessments/:id", h_get, "child.read"},
	{HTTP_PATCH, "/api/v1/assessments/:id", h_update, "assessment.record"},
	{HTTP_POST, "/api/v1/assessments/:id/outcome", h_outcome, "assessment.record"},
	{HTTP_POST, "/api/v1/assessments/:id/authorise", h_authorise, "assessment.authorise"},
	{HTTP_POST, "/api/v1/assessments/:id/extension", h_extend, "assessment.extend"},
	{HTTP_POST, "/api/v1/cases/:id/cin-plans", h_cin_plan, "cin.plan"},
	{HTTP_POST, "/api/v1/cases/:id/cin-reviews", h_cin_review, "cin.plan"},
	{HTTP_POST, "/api/v1/cases/:id/close", h_close, "pathway.close"},
	{0},
};
