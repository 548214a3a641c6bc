/* Core group meetings (ST-19): the first within 10 working days of the conference, then at most 6 weeks apart
 * (4.8.2, 5.2.5, A-13); a new date confirmed in writing to everyone (5.2.7); notes and the written plan circulated
 * within 10 working days (5.3.10). The intervals themselves are clocks (rules/clocks T-57..T-60). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "domain/enums.h"
#include "pathway/back.h"

static json_t *open_plan(struct http_request *req, const char *plan_id, struct back_out *o)
{
	json_t *p = plan_load(req, plan_id, "core_group.record", o);
	if (!p)
		return NULL;
	if (strcmp(back_str(p, "status"), "ENDED") == 0) {
		back_fail(o, 409, NULL, "The plan has ended: core groups are held only while there is a plan");
		json_decref(p);
		return NULL;
	}
	if (back_begin(req, o) < 0) {
		json_decref(p);
		return NULL;
	}
	return p;
}

/* The moment of the last held meeting of the plan before `before`, or 0. */
static int64_t last_held(struct http_request *req, const char *plan_id, const char *except_id)
{
	struct store_stmt *s = store_prepare(
		req->store, "SELECT held_at FROM core_group_meetings WHERE plan_id = $1 AND held_at IS NOT NULL AND id <> $2");
	if (!s)
		return 0;
	store_bind_text(s, 1, plan_id);
	store_bind_text(s, 2, except_id ? except_id : "");
	int64_t last = 0, t;
	while (store_step(s) == STORE_ROW)
		if (moment_parse(store_col_text(s, 0), &t) == 0 && t > last)
			last = t;
	return last;
}

static int64_t plan_start(struct http_request *req, json_t *p)
{
	const char *conf = back_str(p, "conference_id");
	const char *held = conf ? back_lookup(req, "SELECT held_at FROM conferences WHERE id = $1", conf) : NULL;
	int64_t t = 0;
	if (held)
		moment_parse(held, &t);
	return t;
}

/* Records a meeting as held: its sequence, the clock events, the prompts its content raises and the chronology. */
static int hold(struct http_request *req, struct back_out *o, json_t *p, const char *meeting_id, json_t *in,
                int64_t held_at)
{
	const char *plan_id = back_str(p, "id"), *child = back_str(p, "child_id"), *case_id = back_str(p, "case_id");
	if (held_at > moment_now() + 60)
		return back_fail(o, 422, "held_at", "A meeting cannot be recorded as held in the future"), -1;
	if (held_at < plan_start(req, p))
		return back_fail(o, 422, "held_at", "A core group meets after the conference that made the plan"), -1;
	int64_t prev = last_held(req, plan_id, meeting_id);
	struct store_stmt *cs = store_prepare(req->store, "SELECT COUNT(*) FROM core_group_meetings WHERE plan_id = $1 "
	                                                  "AND held_at IS NOT NULL AND id <> $2");
	const char *n = NULL;
	if (cs) {
		store_bind_text(cs, 1, plan_id);
		store_bind_text(cs, 2, meeting_id);
		if (store_step(cs) == STORE_ROW)
			n = arena_strdup(&req->arena, store_col_text(cs, 0));
		store_reset(cs);
	}
	int seq = (n ? (int)strtol(n, NULL, 10) : 0) + 1;
	char seqs[16];
	snprintf(seqs, sizeof seqs, "%d", seq);
	int rc = back_exec(req, "UPDATE core_group_meetings SET sequence_no = $1 WHERE id = $2", 2, seqs, meeting_id);
	if (rc != STORE_OK)
		return back_store_fail(o, rc), -1;
	/* core_group_held first: recorded the other way round it would stop the second-meeting clock it had just
	 * started. */
	if (back_clock(req, o, case_id, child, "core_group_held", held_at, NULL, NULL) < 0)
		return -1;
	if (seq == 1 && back_clock(req, o, case_id, child, "first_core_group_held", held_at, NULL, NULL) < 0)
		return -1;
	json_t *weeks = json_object_get(p, "core_group_frequency_weeks");
	if (prev && json_is_integer(weeks) && held_at - prev > json_integer_value(weeks) * 7 * 86400 + 86400)
		back_warn(o, child, case_id, "warning", "R-71", "4.8.2; 5.2.5",
		          "This meeting came more than %lld weeks after the last one, the interval the plan sets",
		          (long long)json_integer_value(weeks));
	if (back_str(in, "new_household_members"))
		back_warn(o, child, case_id, "warning", "R-79", "5.2.1; 4.1.25",
		          "Someone new lives at or often visits the home: tell the core group, and consider whether the "
		          "review conference should be brought forward");
	const char *outcome = back_str(in, "outcome");
	if (outcome && strcmp(outcome, "CG_RECOMMEND_EARLY_RCPC") == 0)
		back_warn(o, child, case_id, "warning", "R-82", "4.1.25; 5.5.3",
		          "The core group recommends an early review: arrange a review conference brought forward");
	if (outcome && strcmp(outcome, "CG_REFER_STRATEGY") == 0)
		back_warn(o, child, case_id, "warning", "R-75", "5.5.1",
		          "Convene a strategy discussion (police entry, section 47 enquiries, legal action, early review)");
	if (outcome && strcmp(outcome, "CG_ESCALATE_MANAGERS") == 0)
		back_warn(o, child, case_id, "warning", "R-82", "5.5.3",
		          "Involve the managers or child protection advisers of the agencies concerned");
	char iso[MOMENT_ISO_LEN];
	moment_format(held_at, iso);
	return back_chronology(req, o, child, case_id, iso, "core_group", "routine",
	                       arena_printf(&req->arena, "Core group meeting %d held%s%s", seq, outcome ? ": " : "",
	                                    outcome ? enums_label("core_group_outcome", outcome) : ""),
	                       "core_group_meeting", meeting_id);
}

static void finish(struct http_request *req, struct back_out *o, json_t *p, const char *meeting_id)
{
	if (o->status == BACK_OK &&
	    back_audit(req, o, "update", "core_group_meeting", meeting_id, back_str(p, "child_id")) == 0)
		back_commit(req, o, "core_group_meeting", meeting_id);
	if (o->status != BACK_OK) {
		store_rollback(req->store);
	} else {
		snprintf(o->id, ID_MAX, "%s", meeting_id);
		o->result = record_get(req->store, &back_core_group, meeting_id);
	}
	json_decref(p);
}

void core_group_record(struct http_request *req, const char *plan_id, json_t *in, struct back_out *o)
{
	json_t *p = open_plan(req, plan_id, o);
	if (!p)
		return;
	json_object_del(in, "written_confirmation_sent_at");
	back_validate(req, o, &back_core_group, in, false);
	int64_t held_at = 0, when = 0;
	int held = back_moment(in, "held_at", &held_at);
	int planned = back_moment(in, "scheduled_at", &when);
	if (o->status == BACK_OK && held != 1 && planned != 1)
		back_fail(o, 422, "scheduled_at", "Enter when the meeting is planned, or when it was held");
	char id[ID_MAX] = "";
	struct http_kv extra[] = {{"plan_id", plan_id}, {"sequence_no", "0"}};
	if (o->status == BACK_OK) {
		int rc = record_insert(req->store, &back_core_group, in, extra, 2, req->user.id, id);
		if (rc != STORE_OK)
			back_store_fail(o, rc);
	}
	if (o->status == BACK_OK && held == 1)
		hold(req, o, p, id, in, held_at);
	if (o->status == BACK_OK && held != 1) {
		int64_t due;
		const char *last = NULL;
		int64_t prev = last_held(req, plan_id, NULL);
		int rc = prev ? back_rule_due(req, "core_group_held", "core_group_held", prev, &due, &last)
		              : back_rule_due(req, "icpc_held", "core_group_held", plan_start(req, p), &due, &last);
		if (rc == 0 && when > due)
			back_warn(o, back_str(p, "child_id"), back_str(p, "case_id"), "warning", "R-71", "4.8.2; 5.2.5",
			          "This date is later than the core group is due (%s)", last);
	}
	finish(req, o, p, id);
}

void core_group_update(struct http_request *req, const char *meeting_id, json_t *in, struct back_out *o)
{
	json_t *m = record_get(req->store, &back_core_group, meeting_id);
	if (!m) {
		back_fail(o, 404, NULL, "There is no such meeting");
		return;
	}
	const char *plan_id = arena_strdup(&req->arena, back_str(m, "plan_id"));
	json_t *p = open_plan(req, plan_id, o);
	if (!p) {
		json_decref(m);
		return;
	}
	back_validate(req, o, &back_core_group, in, true);
	bool was_held = back_str(m, "held_at") != NULL;
	int64_t old_when = 0, when = 0, held_at = 0;
	moment_parse(back_str(m, "scheduled_at") ? back_str(m, "scheduled_at") : "", &old_when);
	int moved = o->status == BACK_OK ? back_moment(in, "scheduled_at", &when) : 0;
	int held = o->status == BACK_OK ? back_moment(in, "held_at", &held_at) : 0;
	if (was_held && (moved == 1 || held == 1))
		back_fail(o, 409, NULL, "The meeting has been held: its date can no longer change");
	/* a new date reaches every member in writing (5.2.7). */
	if (o->status == BACK_OK && moved == 1 && old_when && when != old_when) {
		if (!back_str(in, "written_confirmation_sent_at"))
			back_refuse(o, 422, "written_confirmation_sent_at", "R-72", "5.2.7",
			            "A rescheduled core group must be confirmed in writing to every member: record when it was");
		json_object_set_new(in, "reschedule_count",
		                    json_integer(json_integer_value(json_object_get(m, "reschedule_count")) + 1));
	}
	json_decref(m);
	if (o->status == BACK_OK) {
		int rc = record_update(req->store, &back_core_group, meeting_id, in, req->user.id);
		if (rc != STORE_OK && rc != STORE_DONE)
			back_store_fail(o, rc);
	}
	if (o->status == BACK_OK && held == 1 && !was_held)
		hold(req, o, p, meeting_id, in, held_at);
	finish(req, o, p, meeting_id);
}

void core_group_notes_circulated(struct http_request *req, const char *meeting_id, json_t *in, struct back_out *o)
{
	json_t *m = record_get(req->store, &back_core_group, meeting_id);
	if (!m) {
		back_fail(o, 404, NULL, "There is no such meeting");
		return;
	}
	const char *plan_id = arena_strdup(&req->arena, back_str(m, "plan_id"));
	int64_t held_at = 0, at = moment_now();
	bool held = back_str(m, "held_at") && moment_parse(back_str(m, "held_at"), &held_at) == 0;
	bool already = back_str(m, "notes_circulated_at") != NULL;
	json_decref(m);
	json_t *p = open_plan(req, plan_id, o);
	if (!p)
		return;
	if (back_moment(in, "notes_circulated_at", &at) < 0)
		back_fail(o, 422, "notes_circulated_at", "Enter a real date and time, like 2026-03-27T14:30");
	else if (!held)
		back_fail(o, 409, NULL, "The meeting has not been held yet");
	else if (already)
		back_fail(o, 409, NULL, "The notes of this meeting have already been circulated");
	else if (at < held_at || at > moment_now() + 60)
		back_fail(o, 422, "notes_circulated_at", "The notes go out after the meeting, and not in the future");
	char iso[MOMENT_ISO_LEN];
	moment_format(at, iso);
	if (o->status == BACK_OK) {
		int rc = back_exec(req, "UPDATE core_group_meetings SET notes_circulated_at = $1 WHERE id = $2", 2, iso,
		                   meeting_id);
		if (rc != STORE_OK)
			back_store_fail(o, rc);
	}
	if (o->status == BACK_OK &&
	    back_clock(req, o, back_str(p, "case_id"), back_str(p, "child_id"), "core_group_notes_circulated", at, NULL,
	               NULL) == 0)
		back_chronology(req, o, back_str(p, "child_id"), back_str(p, "case_id"), iso, "core_group", "routine",
		                "Core group notes and the written plan sent to the members", "core_group_meeting",
		                meeting_id);
	finish(req, o, p, meeting_id);
}

/* ---- the API ---- */

static void h_record(struct http_request *req)
{
	back_api_run(req, core_group_record, 201);
}
static void h_update(struct http_request *req)
{
	back_api_run(req, core_group_update, 200);
}
static void h_notes(struct http_request *req)
{
	back_api_run(req, core_group_notes_circulated, 200);
}

const struct route core_group_routes[] = {
	{HTTP_POST, "/api/v1/plans/:id/core-groups", h_record, "core_group.record"},
	{HTTP_PATCH, "/api/v1/core-groups/:id", h_update, "core_group.record"},
	{HTTP_POST, "/api/v1/core-groups/:id/notes-circulated", h_notes, "core_group.record"},
	{0},
};
