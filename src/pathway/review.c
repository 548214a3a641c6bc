/* Reviews and the end of a plan (ST-22, ST-23, and the birth that times the first review after a pre-birth
 * conference, ST-15): the review conference's decision, discontinuation without a review where 4.10.6 allows it,
 * step-down to child in need support, and the multi-agency meeting three months after a plan ends (4.10.3). */
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "domain/enums.h"
#include "pathway/back.h"
#include "pathway/stage.h"
#include "policy/policy.h"

static int32_t eighteenth(struct http_request *req, const char *child_id)
{
	const char *dob = back_lookup(req, "SELECT dob FROM children WHERE id = $1", child_id);
	int32_t d;
	if (!dob || date_parse(dob, &d) < 0)
		return 0;
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	return date_from_ymd(y + 18, m, date_valid_ymd(y + 18, m, dd) ? dd : 28);
}

int review_schedule_checks(struct http_request *req, struct back_out *o, const char *child_id, const char *case_id,
                           int64_t when, const char *conf_type, const char *trigger)
{
	const char *plan = plan_open_for_child(req, child_id);
	const char *status = plan ? back_lookup(req, "SELECT status FROM cp_plans WHERE id = $1", plan) : NULL;
	if (!plan) {
		back_refuse(o, 409, "conf_type", "R-83", "4.1.19", "There is no plan to review");
		return -1;
	}
	if (status && strcmp(status, "TEMPORARY_TRANSFER_IN") == 0) {
		back_refuse(o, 409, "conf_type", "R-89", "4.1.16",
		            "A child who moved in on a plan needs a transfer-in conference, not a review");
		return -1;
	}
	int32_t day, adult = eighteenth(req, child_id);
	int h, m, s;
	moment_to_local(when, &day, &h, &m, &s);
	if (adult && day >= adult) {
		char iso[DATE_ISO_LEN];
		date_format(adult, iso);
		back_warn(o, child_id, case_id, "warning", "R-87", "1.1.2; 4.10.6",
		          "The child turns 18 on %s, before this date: the plan ends then, without a review",
		          back_long_date(req, iso));
	}
	int age = back_age_years(req, child_id, date_today());
	if (age >= 0 && age < 5)
		back_warn(o, child_id, case_id, "warning", "R-84", "4.1.24",
		          "The child is under 5: consider whether serious concerns call for a shorter review interval");
	const char *start = back_lookup(req, "SELECT start_date FROM cp_plans WHERE id = $1", plan);
	int32_t sd;
	if (start && date_parse(start, &sd) == 0 && date_today() - sd > 730)
		back_warn(o, child_id, case_id, "warning", "R-84", "4.1.24",
		          "The plan has lasted more than two years: some partnerships review such plans separately");
	if (conf_type && strcmp(conf_type, "CONF_REVIEW_COMBINED_WITH_LAC_REVIEW") == 0) {
		const char *lac = back_lookup(req, "SELECT is_looked_after FROM children WHERE id = $1", child_id);
		if (!lac || strcmp(lac, "1") != 0)
			back_warn(o, child_id, case_id, "warning", "R-90", "4.2.7",
			          "A review is combined with a looked-after review only for a looked-after child");
	}
	(void)trigger;
	return 0;
}

static int update_plan_from_review(struct http_request *req, struct back_out *o, const char *plan_id, json_t *d,
                                   const char *conf_id)
{
	bool amended = strcmp(back_str(d, "decision"), "RCPC_CONTINUE_AMENDED") == 0;
	const char *quorate = back_lookup(req, "SELECT quorum_met FROM conferences WHERE id = $1", conf_id);
	char now[MOMENT_ISO_LEN], vf[16] = "", cf[16] = "";
	moment_format(moment_now(), now);
	if (amended && json_is_integer(json_object_get(d, "visit_frequency_weeks")))
		snprintf(vf, sizeof vf, "%lld", (long long)json_integer_value(json_object_get(d, "visit_frequency_weeks")));
	if (amended && json_is_integer(json_object_get(d, "core_group_frequency_weeks")))
		snprintf(cf, sizeof cf, "%lld",
		         (long long)json_integer_value(json_object_get(d, "core_group_frequency_weeks")));
	/* An interim plan made by an inquorate conference becomes a full one at a quorate review (4.3.12). */
	int rc = back_exec(req, "UPDATE cp_plans SET next_review_at = $1, "
	                        "category = COALESCE($2, category), contingency_plan = COALESCE($3, contingency_plan), "
	                        "visit_frequency_weeks = COALESCE($4, visit_frequency_weeks), "
	                        "core_group_frequency_weeks = COALESCE($5, core_group_frequency_weeks), "
	                        "status = CASE WHEN status = 'INTERIM_INQUORATE' AND $6 = '1' THEN 'ACTIVE' ELSE status END, "
	                        "updated_at = $7, updated_by = $8 WHERE id = $9",
	                   9, back_str(d, "next_review_at"), amended ? back_str(d, "category") : NULL,
	                   amended ? back_str(d, "contingency_plan") : NULL, vf[0] ? vf : NULL, cf[0] ? cf : NULL,
	                   quorate ? quorate : "0", now, req->user.id, plan_id);
	if (rc != STORE_OK)
		return back_store_fail(o, rc), -1;
	const char *lines = amended ? back_str(d, "outline_outcomes") : NULL;
	for (const char *p = lines; p && *p;) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' '))
			n--;
		if (n) {
			json_t *row = json_pack("{s:s%}", "description", p, n);
			char id[ID_MAX];
			struct http_kv extra[] = {{"plan_id", plan_id}};
			rc = record_insert(req->store, &back_outcome, row, extra, 1, req->user.id, id);
			json_decref(row);
			if (rc != STORE_OK)
				return back_store_fail(o, rc), -1;
		}
		p = end ? end + 1 : NULL;
	}
	return 0;
}

int review_apply_decision(struct http_request *req, struct back_out *o, const char *conf_id, json_t *d,
                          int64_t held_at)
{
	const char *child = back_str(d, "child_id"), *case_id = back_str(d, "case_id");
	const char *dec = back_str(d, "decision"), *reason = back_str(d, "decision_reasons");
	const char *plan_id = plan_open_for_child(req, child);
	if (!plan_id)
		return back_fail(o, 409, NULL, "There is no plan to review"), -1;
	int rc = back_exec(req, "UPDATE conference_children SET plan_id = $1 WHERE conference_id = $2 AND child_id = $3",
	                   3, plan_id, conf_id, child);
	if (rc != STORE_OK)
		return back_store_fail(o, rc), -1;
	const char *to = stage_outcome_next("conference_decision", dec);
	if (strcmp(dec, "RCPC_DISCONTINUE") != 0) {
		if (update_plan_from_review(req, o, plan_id, d, conf_id) < 0)
			return -1;
		return back_transition(req, o, case_id, child, to, "review.held", reason, "conference", conf_id);
	}
	/* The plan ends: a review conference decision, made as a plan is made (4.10.4); support continues as a child
	 * in need (4.10.9). */
	if (plan_end(req, o, plan_id, "END_NO_LONGER_AT_RISK", conf_id, held_at, NULL) < 0 ||
	    back_transition(req, o, case_id, child, to, "plan.discontinue", reason, "conference", conf_id) < 0)
		return -1;
	const char *cin = NULL;
	if (back_stage_offers(req, case_id, "plan.step_down", &cin)) {
		if (back_transition(req, o, case_id, child, cin, "plan.step_down", back_str(d, "cin_recommendations"),
		                    "conference", conf_id) < 0)
			return -1;
		rc = back_exec(req, "UPDATE cp_plans SET step_down_cin = 1 WHERE id = $1", 1, plan_id);
		if (rc != STORE_OK)
			return back_store_fail(o, rc), -1;
	}
	back_warn(o, child, case_id, "warning", "R-88", "4.10.3; 4.10.8; 4.10.9",
	          "Tell at least the agencies invited to the conference that started the plan; agree the child in need "
	          "plan with the family; hold the multi-agency meeting within three months");
	return 0;
}

void review_discontinue(struct http_request *req, const char *plan_id, json_t *in, struct back_out *o)
{
	json_t *p = plan_load(req, plan_id, "plan.discontinue", o);
	if (!p)
		return;
	snprintf(o->id, ID_MAX, "%s", plan_id);
	const char *child = arena_strdup(&req->arena, back_str(p, "child_id"));
	const char *case_id = arena_strdup(&req->arena, back_str(p, "case_id"));
	const char *status = arena_strdup(&req->arena, back_str(p, "status"));
	json_decref(p);
	static const char *const keys[] = {"reason", "consultation_record", "ended_on", "receiving_la_conference_on",
	                                   "receiving_la_confirmed_at", NULL};
	const char *key;
	json_t *v;
	json_object_foreach(in, key, v) {
		bool ok = false;
		for (const char *const *k = keys; *k; k++)
			ok = ok || strcmp(*k, key) == 0;
		if (!ok)
			back_fail(o, 422, key, "%s is not part of ending a plan", key);
	}
	const char *reason = back_str(in, "reason");
	int32_t ended = date_today(), d;
	if (back_str(in, "ended_on") && (date_parse(back_str(in, "ended_on"), &ended) < 0 || ended > date_today()))
		back_fail(o, 422, "ended_on", "Enter the date the plan ends: a real date, not in the future");
	if (!reason || !enums_label("discontinuation_reason", reason))
		back_fail(o, 422, "reason", "Choose the reason the plan ends");
	else if (strcmp(reason, "END_NO_LONGER_AT_RISK") == 0)
		back_refuse(o, 409, "reason", "R-87", "4.10.4; 4.10.6",
		            "Only a review conference can decide that the child is no longer likely to suffer significant "
		            "harm: arrange a review conference");
	if (!back_str(in, "consultation_record"))
		back_refuse(o, 422, "consultation_record", "R-87", "4.10.6; 4.10.7",
		            "Record the consultation with the agencies at the conference that started the plan");
	if (strcmp(status, "ENDED") == 0)
		back_fail(o, 409, NULL, "The plan has already ended");
	if (reason && strcmp(reason, "END_MOVED_TO_OTHER_LA") == 0 &&
	    (!back_str(in, "receiving_la_conference_on") || !back_str(in, "receiving_la_confirmed_at") ||
	     date_parse(back_str(in, "receiving_la_conference_on"), &d) < 0 ||
	     date_parse(back_str(in, "receiving_la_confirmed_at"), &d) < 0))
		back_refuse(o, 422, "receiving_la_confirmed_at", "R-87", "4.10.5",
		            "The plan ends only after the new authority has held its transfer-in conference and confirmed "
		            "responsibility in writing: enter both dates");
	if (reason && strcmp(reason, "END_REACHED_18") == 0) {
		int32_t adult = eighteenth(req, child);
		if (!adult || ended < adult)
			back_refuse(o, 422, "reason", "R-87", "4.10.6", "The child is not yet 18 on that date");
	}
	if (reason && strcmp(reason, "END_DIED") == 0 &&
	    !back_lookup(req, "SELECT date_of_death FROM children WHERE id = $1 AND date_of_death IS NOT NULL", child))
		back_refuse(o, 422, "reason", "R-87", "4.10.5", "Record the date of death on the child's record first");
	if (o->status != BACK_OK || back_begin(req, o) < 0)
		return;
	const char *to = NULL;
	if (!back_stage_offers(req, case_id, "plan.discontinue", &to))
		back_fail(o, 409, NULL, "The child's case is not at the plan stage");
	char iso[DATE_ISO_LEN];
	date_format(ended, iso);
	const char *why = arena_printf(&req->arena, "%s. Consultation: %s", enums_label("discontinuation_reason", reason),
	                               back_str(in, "consultation_record"));
	if (o->status == BACK_OK) {
		int rc = back_exec(req, "UPDATE cp_plans SET consultation_record = $1, receiving_la_confirmed_at = $2 "
		                        "WHERE id = $3",
		                   3, back_str(in, "consultation_record"), back_str(in, "receiving_la_confirmed_at"), plan_id);
		if (rc != STORE_OK)
			back_store_fail(o, rc);
	}
	if (o->status == BACK_OK &&
	    plan_end(req, o, plan_id, reason, NULL, moment_from_local(ended, 12, 0, 0), NULL) == 0 &&
	    back_transition(req, o, case_id, child, to, "plan.discontinue", why, "cp_plan", plan_id) == 0 &&
	    back_audit(req, o, "update", "cp_plan", plan_id, child) == 0) {
		back_warn(o, child, case_id, "warning", "R-88", "4.10.7; 4.10.8",
		          "Tell at least the agencies invited to the conference that started the plan");
		back_commit(req, o, "cp_plan", plan_id);
	}
	if (o->status != BACK_OK)
		store_rollback(req->store);
	else
		o->result = plan_view_after(req, plan_id);
}

void review_post_plan_meeting(struct http_request *req, const char *plan_id, json_t *in, struct back_out *o)
{
	json_t *p = plan_load(req, plan_id, "plan.manage", o);
	if (!p)
		return;
	snprintf(o->id, ID_MAX, "%s", plan_id);
	const char *child = arena_strdup(&req->arena, back_str(p, "child_id"));
	const char *case_id = arena_strdup(&req->arena, back_str(p, "case_id"));
	bool ended = back_str(p, "end_reason") != NULL, done = back_str(p, "post_plan_meeting_at") != NULL;
	const char *end_date = arena_strdup(&req->arena, back_str(p, "end_date"));
	json_decref(p);
	int64_t at = 0;
	int has = back_moment(in, "held_at", &at);
	if (has != 1 || at > moment_now() + 60)
		back_fail(o, 422, "held_at", "Enter when the meeting was held, not in the future");
	if (!back_str(in, "notes"))
		back_fail(o, 422, "notes", "Record what the meeting agreed");
	if (!ended)
		back_fail(o, 409, NULL, "This meeting follows the end of a plan, and this plan has not ended");
	else if (done)
		back_fail(o, 409, NULL, "The meeting after this plan has already been recorded");
	int32_t end_day;
	if (o->status == BACK_OK && end_date && date_parse(end_date, &end_day) == 0 &&
	    at < moment_from_local(end_day, 0, 0, 0))
		back_fail(o, 422, "held_at", "The meeting comes after the plan ended");
	if (o->status != BACK_OK || back_begin(req, o) < 0)
		return;
	char iso[MOMENT_ISO_LEN];
	moment_format(at, iso);
	int rc = back_exec(req, "UPDATE cp_plans SET post_plan_meeting_at = $1, post_plan_meeting_notes = $2 WHERE id = $3",
	                   3, iso, back_str(in, "notes"), plan_id);
	if (rc != STORE_OK)
		back_store_fail(o, rc);
	if (o->status == BACK_OK && back_clock(req, o, case_id, child, "post_plan_review_held", at, NULL, NULL) == 0 &&
	    back_chronology(req, o, child, case_id, iso, "plan_ended", "routine",
	                    "Multi-agency meeting after the plan ended (the first child in need review)", "cp_plan",
	                    plan_id) == 0 &&
	    back_audit(req, o, "update", "cp_plan", plan_id, child) == 0)
		back_commit(req, o, "cp_plan", plan_id);
	if (o->status != BACK_OK)
		store_rollback(req->store);
	else
		o->result = plan_view_after(req, plan_id);
}

void review_birth(struct http_request *req, const char *child_id, json_t *in, struct back_out *o)
{
	if (!policy_child(req->store, &req->user, "child.birth", child_id)) {
		back_forbid(o, "child.birth", child_id);
		return;
	}
	snprintf(o->id, ID_MAX, "%s", child_id);
	const char *unborn = back_lookup(req, "SELECT is_unborn FROM children WHERE id = $1", child_id);
	int32_t dob;
	const char *dobs = back_str(in, "dob");
	if (!dobs || date_parse(dobs, &dob) < 0 || dob > date_today())
		back_fail(o, 422, "dob", "Enter the date of birth: a real date, today or in the past");
	if (!unborn || strcmp(unborn, "1") != 0)
		back_fail(o, 409, NULL, "The child's birth is already recorded");
	if (o->status != BACK_OK || back_begin(req, o) < 0)
		return;
	char now[MOMENT_ISO_LEN];
	moment_format(moment_now(), now);
	int rc = back_exec(req, "UPDATE children SET dob = $1, is_unborn = 0, updated_at = $2, updated_by = $3 WHERE id = $4",
	                   4, dobs, now, req->user.id, child_id);
	if (rc != STORE_OK)
		back_store_fail(o, rc);
	struct store_stmt *s = store_prepare(req->store, "SELECT id FROM cases WHERE child_id = $1 AND closed_at IS NULL");
	json_t *cases = json_array();
	if (s) {
		store_bind_text(s, 1, child_id);
		while (store_step(s) == STORE_ROW)
			json_array_append_new(cases, json_string(store_col_text(s, 0)));
	}
	size_t i;
	json_t *c;
	json_array_foreach(cases, i, c) {
		if (o->status == BACK_OK)
			back_clock(req, o, json_string_value(c), child_id, "birth", moment_from_local(dob, 12, 0, 0), NULL, NULL);
		if (o->status == BACK_OK)
			back_chronology(req, o, child_id, json_string_value(c), dobs, "household_change", "significant",
			                "The child was born", "child", child_id);
	}
	json_decref(cases);
	if (o->status == BACK_OK && plan_open_for_child(req, child_id))
		back_warn(o, child_id, NULL, "warning", "R-83", "4.1.22",
		          "The child is on a plan made before birth: the first review conference is due within one month of "
		          "the birth");
	if (o->status == BACK_OK && back_audit(req, o, "update", "child", child_id, child_id) == 0)
		back_commit(req, o, "child", child_id);
	if (o->status != BACK_OK)
		store_rollback(req->store);
	else
		o->result = json_pack("{s:s, s:s}", "id", child_id, "dob", dobs);
}

static void h_discontinue(struct http_request *req)
{
	back_api_run(req, review_discontinue, 200);
}
static void h_post_plan(struct http_request *req)
{
	back_api_run(req, review_post_plan_meeting, 200);
}
static void h_birth(struct http_request *req)
{
	back_api_run(req, review_birth, 200);
}

const struct route review_routes[] = {
	{HTTP_POST, "/api/v1/plans/:id/discontinue", h_discontinue, "plan.discontinue"},
	{HTTP_POST, "/api/v1/plans/:id/post-plan-meeting", h_post_plan, "plan.manage"},
	{HTTP_POST, "/api/v1/children/:id/birth", h_birth, "child.birth"},
	{0},
};
