/* The child protection plan (ST-18): made from a conference's decision as a draft, put into force only when it has
 * its lead social worker, core group, outcomes, actions with owners and dates, and contingency plan (5.7, R-62);
 * a temporary plan for a child who moves in on a plan (ST-17, 4.1.17); and its end (ST-23). */
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "core/date.h"
#include "domain/enums.h"
#include "pathway/back.h"
#include "pathway/stage.h"
#include "policy/policy.h"

const char *plan_open_for_child(struct http_request *req, const char *child_id)
{
	return back_lookup(req, "SELECT id FROM cp_plans WHERE child_id = $1 AND status <> 'ENDED' ORDER BY created_at DESC",
	                   child_id);
}

json_t *plan_load(struct http_request *req, const char *plan_id, const char *action, struct back_out *o)
{
	json_t *p = record_get(req->store, &back_plan, plan_id);
	if (!p) {
		back_fail(o, 404, NULL, "There is no such plan");
		return NULL;
	}
	const char *child = arena_strdup(&req->arena, json_string_value(json_object_get(p, "child_id")));
	if (!policy_child(req->store, &req->user, action, child)) {
		back_forbid(o, action, child);
		json_decref(p);
		return NULL;
	}
	return p;
}

/* A core group member: the plan_members row and, for someone who signs in, the case_members row that gives access
 * for the life of the plan (5.2.3). */
int plan_member_insert(struct http_request *req, struct back_out *o, const char *plan_id, const char *case_id,
                       const char *child_id, json_t *m)
{
	char cm[ID_MAX] = "", id[ID_MAX], today[DATE_ISO_LEN];
	date_format(date_today(), today);
	const char *user = back_str(m, "user_id");
	if (user) {
		int rc = back_add_member(req, case_id, child_id, user, "core_group", cm);
		if (rc != STORE_OK)
			return back_store_fail(o, rc), -1;
	}
	struct http_kv extra[] = {{"plan_id", plan_id}, {"start_date", today}, {"case_member_id", cm[0] ? cm : NULL}};
	int rc = record_insert(req->store, &back_plan_member, m, extra, 3, req->user.id, id);
	if (rc != STORE_OK)
		return back_store_fail(o, rc), -1;
	return 0;
}

static int insert_outcomes(struct http_request *req, struct back_out *o, const char *plan_id, const char *lines)
{
	for (const char *p = lines; p && *p;) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' '))
			n--;
		if (n) {
			json_t *row = json_pack("{s:s%}", "description", p, n);
			char id[ID_MAX];
			struct http_kv extra[] = {{"plan_id", plan_id}};
			int rc = record_insert(req->store, &back_outcome, row, extra, 1, req->user.id, id);
			json_decref(row);
			if (rc != STORE_OK)
				return back_store_fail(o, rc), -1;
		}
		p = end ? end + 1 : NULL;
	}
	return 0;
}

static const char *day_of(int64_t t, char out[DATE_ISO_LEN])
{
	int32_t d;
	int h, m, s;
	moment_to_local(t, &d, &h, &m, &s);
	date_format(d, out);
	return out;
}

int plan_create_from_decision(struct http_request *req, struct back_out *o, const char *conf_id, json_t *d,
                              json_t *core_group, char plan_id[ID_MAX])
{
	const char *child = back_str(d, "child_id"), *case_id = back_str(d, "case_id");
	const char *held = back_lookup(req, "SELECT held_at FROM conferences WHERE id = $1", conf_id);
	int64_t held_at = moment_now();
	if (held)
		moment_parse(held, &held_at);
	char start[DATE_ISO_LEN], now[MOMENT_ISO_LEN];
	day_of(held_at, start);
	moment_format(moment_now(), now);
	const char *existing = plan_open_for_child(req, child);
	const char *status = existing ? back_lookup(req, "SELECT status FROM cp_plans WHERE id = $1", existing) : NULL;
	json_t *vf = json_object_get(d, "visit_frequency_weeks"), *cf = json_object_get(d, "core_group_frequency_weeks");
	char vfs[16] = "", cfs[16] = "";
	if (json_is_integer(vf))
		snprintf(vfs, sizeof vfs, "%lld", (long long)json_integer_value(vf));
	if (json_is_integer(cf))
		snprintf(cfs, sizeof cfs, "%lld", (long long)json_integer_value(cf));
	int rc;
	if (existing && status && strcmp(status, "TEMPORARY_TRANSFER_IN") == 0) {
		/* The transfer-in conference turns the temporary plan into this authority's own (4.1.16-4.1.18). */
		snprintf(plan_id, ID_MAX, "%s", existing);
		rc = back_exec(req, "UPDATE cp_plans SET conference_id = $1, status = 'DRAFT', category = $2, "
		                    "lead_sw_user_id = $3, contingency_plan = $4, visit_frequency_weeks = $5, "
		                    "core_group_frequency_weeks = $6, next_review_at = $7, start_date = $8, updated_at = $9, "
		                    "updated_by = $10 WHERE id = $11",
		               11, conf_id, back_str(d, "category"), back_str(d, "lead_sw_user_id"),
		               back_str(d, "contingency_plan"), vfs[0] ? vfs : NULL, cfs[0] ? cfs : NULL,
		               back_str(d, "next_review_at"), start, now, req->user.id, plan_id);
	} else if (existing) {
		return back_fail(o, 409, NULL, "The child already has a child protection plan"), -1;
	} else {
		id_new("cpp", plan_id);
		rc = back_exec(req, "INSERT INTO cp_plans (id, child_id, case_id, conference_id, status, category, "
		                    "lead_sw_user_id, contingency_plan, visit_frequency_weeks, core_group_frequency_weeks, "
		                    "next_review_at, start_date, created_at, created_by, updated_at, updated_by) "
		                    "VALUES ($1, $2, $3, $4, 'DRAFT', $5, $6, $7, $8, $9, $10, $11, $12, $13, $12, $13)",
		               13, plan_id, child, case_id, conf_id, back_str(d, "category"), back_str(d, "lead_sw_user_id"),
		               back_str(d, "contingency_plan"), vfs[0] ? vfs : NULL, cfs[0] ? cfs : NULL,
		               back_str(d, "next_review_at"), start, now, req->user.id);
	}
	if (rc != STORE_OK)
		return back_store_fail(o, rc), -1;
	const char *lead = back_str(d, "lead_sw_user_id");
	bool lead_listed = false;
	size_t i;
	json_t *m;
	json_array_foreach(core_group, i, m) lead_listed = lead_listed || (lead && back_str(m, "user_id") &&
	                                                                    strcmp(back_str(m, "user_id"), lead) == 0);
	if (lead && !lead_listed) {
		json_t *lm = json_pack("{s:s, s:s, s:s}", "user_id", lead, "name", back_user_name(req, lead), "member_role",
		                       "CSC_SW");
		rc = plan_member_insert(req, o, plan_id, case_id, child, lm);
		json_decref(lm);
		if (rc < 0)
			return -1;
	}
	json_array_foreach(core_group, i, m) {
		if (plan_member_insert(req, o, plan_id, case_id, child, m) < 0)
			return -1;
	}
	return insert_outcomes(req, o, plan_id, back_str(d, "outline_outcomes"));
}

int plan_end(struct http_request *req, struct back_out *o, const char *plan_id, const char *reason_code,
             const char *end_conference_id, int64_t at, const char *why)
{
	json_t *p = record_get(req->store, &back_plan, plan_id);
	if (!p)
		return back_fail(o, 404, NULL, "There is no such plan"), -1;
	char child[ID_MAX], case_id[ID_MAX], day[DATE_ISO_LEN], now[MOMENT_ISO_LEN], at_iso[MOMENT_ISO_LEN];
	snprintf(child, sizeof child, "%s", back_str(p, "child_id"));
	snprintf(case_id, sizeof case_id, "%s", back_str(p, "case_id"));
	json_decref(p);
	day_of(at, day);
	moment_format(moment_now(), now);
	moment_format(at, at_iso);
	int rc = back_exec(req, "UPDATE cp_plans SET status = 'ENDED', end_date = $1, end_reason = $2, ended_by = $3, "
	                        "end_conference_id = $4, updated_at = $5, updated_by = $3 WHERE id = $6",
	                   6, day, reason_code, req->user.id, end_conference_id, now, plan_id);
	/* Core group access lasts for the life of the plan (5.2.3). */
	if (rc == STORE_OK)
		rc = back_exec(req, "UPDATE case_members SET end_date = $1 WHERE end_date IS NULL AND id IN "
		                    "(SELECT case_member_id FROM plan_members WHERE plan_id = $2)",
		               2, day, plan_id);
	if (rc == STORE_OK)
		rc = back_exec(req, "UPDATE plan_members SET end_date = $1 WHERE plan_id = $2 AND end_date IS NULL", 2, day,
		               plan_id);
	if (rc == STORE_OK)
		rc = back_exec(req, "UPDATE children SET cp_plan_status = 'ended', updated_at = $1, updated_by = $2 "
		                    "WHERE id = $3",
		               3, now, req->user.id, child);
	if (rc != STORE_OK)
		return back_store_fail(o, rc), -1;
	static const char *const plan_events[] = {"visit_made", "core_group_held", "rcpc_held", NULL};
	if (back_stop_clocks(req, o, case_id, NULL, plan_events, NULL, "The child protection plan has ended") < 0)
		return -1;
	if (reason_code && back_clock(req, o, case_id, child, "cp_plan_discontinued", at, NULL, NULL) < 0)
		return -1;
	const char *label = reason_code ? enums_label("discontinuation_reason", reason_code) : NULL;
	return back_chronology(req, o, child, case_id, at_iso, "plan_ended", "significant",
	                       arena_printf(&req->arena, "Child protection plan ended: %s", label ? label : why),
	                       "cp_plan", plan_id);
}

/* 5.7 (R-62, brief): what must be in place before a plan is in force. */
static void activation_guards(struct http_request *req, struct back_out *o, json_t *p, const char **decision)
{
	const char *plan_id = back_str(p, "id"), *conf = back_str(p, "conference_id");
	const char *status = back_str(p, "status");
	if (strcmp(status, "TEMPORARY_TRANSFER_IN") == 0) {
		back_refuse(o, 409, NULL, "R-89", "4.1.17",
		            "A temporary plan is replaced by the plan the transfer-in conference makes");
		return;
	}
	if (strcmp(status, "DRAFT") != 0) {
		back_fail(o, 409, NULL, "The plan is already %s", enums_label("cp_plan_status", status));
		return;
	}
	*decision = conf ? back_lookup(req, "SELECT cc.decision FROM conference_children cc JOIN conferences c ON "
	                                    "c.id = cc.conference_id WHERE cc.plan_id = $1 AND c.status = 'held'",
	                               plan_id)
	                 : NULL;
	if (!*decision || !decision_is_plan(*decision)) {
		back_refuse(o, 409, NULL, "R-62", "4.1.2; 4.9.4",
		            "A child protection plan can only follow a conference that decided the child needs one");
		return;
	}
	const char *lead = back_str(p, "lead_sw_user_id");
	if (!lead)
		back_refuse(o, 422, "lead_sw_user_id", "R-62", "5.1.1; 5.4.2", "Name the lead social worker");
	struct store_stmt *s = store_prepare(
		req->store, "SELECT COUNT(*) FROM plan_members WHERE plan_id = $1 AND end_date IS NULL AND "
		            "(user_id IS NULL OR $2 IS NULL OR user_id <> $2)");
	store_bind_text(s, 1, plan_id);
	store_bind_text(s, 2, lead);
	int64_t members = store_step(s) == STORE_ROW ? store_col_int(s, 0) : 0;
	store_reset(s);
	if (members == 0)
		back_refuse(o, 422, "core_group", "R-62", "4.8.2; 5.2.3", "Add the core group members");
	const char *outcomes = back_lookup(req, "SELECT COUNT(*) FROM plan_outcomes WHERE plan_id = $1", plan_id);
	if (!outcomes || strcmp(outcomes, "0") == 0)
		back_refuse(o, 422, "outcomes", "R-62", "4.9.8; 5.3.2", "Write the outcomes the plan must achieve");
	const char *actions = back_lookup(req, "SELECT COUNT(*) FROM plan_actions WHERE plan_id = $1", plan_id);
	if (!actions || strcmp(actions, "0") == 0)
		back_refuse(o, 422, "actions", "R-62", "5.2.1; 5.3.2",
		            "Write the actions: who will do what, by when");
	const char *bare = back_lookup(req, "SELECT COUNT(*) FROM plan_outcomes po WHERE po.plan_id = $1 AND NOT EXISTS "
	                                    "(SELECT 1 FROM plan_actions pa WHERE pa.outcome_id = po.id)",
	                               plan_id);
	if (bare && strcmp(bare, "0") != 0 && actions && strcmp(actions, "0") != 0)
		back_warn(o, back_str(p, "child_id"), back_str(p, "case_id"), "warning", "R-62", "5.3.2",
		          "%s outcome(s) have no action linked to them yet", bare);
	if (!back_str(p, "contingency_plan"))
		back_refuse(o, 422, "contingency_plan", "R-62", "4.9.8; 5.3.2", "Write the contingency plan");
	if (!json_is_integer(json_object_get(p, "visit_frequency_weeks")))
		back_refuse(o, 422, "visit_frequency_weeks", "R-74", "4.8.2", "Say how often the social worker visits");
}

void plan_activate(struct http_request *req, const char *plan_id, json_t *in, struct back_out *o)
{
	json_t *p = plan_load(req, plan_id, "plan.manage", o);
	if (!p)
		return;
	snprintf(o->id, ID_MAX, "%s", plan_id);
	if (back_begin(req, o) < 0) {
		json_decref(p);
		return;
	}
	const char *decision = NULL;
	activation_guards(req, o, p, &decision);
	const char *child = back_str(p, "child_id"), *case_id = back_str(p, "case_id");
	if (o->status == BACK_OK) {
		char now[MOMENT_ISO_LEN];
		moment_format(moment_now(), now);
		const char *status = strcmp(decision, "ICPC_INQUORATE_INTERIM_PLAN") == 0 ? "INTERIM_INQUORATE" : "ACTIVE";
		int rc = back_exec(req, "UPDATE cp_plans SET status = $1, activated_at = $2, activated_by = $3, updated_at = $2, "
		                        "updated_by = $3 WHERE id = $4",
		                   4, status, now, req->user.id, plan_id);
		if (rc == STORE_OK)
			rc = back_exec(req, "UPDATE children SET cp_plan_status = 'active', updated_at = $1, updated_by = $2 "
			                    "WHERE id = $3",
			               3, now, req->user.id, child);
		if (rc != STORE_OK)
			back_store_fail(o, rc);
		int32_t start;
		int64_t start_at = moment_now();
		if (date_parse(back_str(p, "start_date"), &start) == 0)
			start_at = moment_from_local(start, 12, 0, 0);
		if (o->status == BACK_OK && back_clock(req, o, case_id, child, "cp_plan_started", start_at, NULL, NULL) == 0 &&
		    back_chronology(req, o, child, case_id, NULL, "plan_started", "significant",
		                    arena_printf(&req->arena, "Child protection plan in force (%s)",
		                                 enums_label("cp_category", back_str(p, "category"))),
		                    "cp_plan", plan_id) == 0 &&
		    back_audit(req, o, "update", "cp_plan", plan_id, child) == 0) {
			back_warn(o, child, case_id, "warning", "R-77", "5.3.4; 5.3.6; 5.3.8",
			          "Give the child a copy of the plan suited to their age and language; tell the parents the plan "
			          "may be used as evidence, and why any preference of theirs was not accepted");
			json_t *gaps = plan_acceptance_gaps(req, plan_id);
			if (json_array_size(gaps) > 0) {
				struct buf names;
				buf_init(&names, 2048);
				size_t g;
				json_t *n;
				json_array_foreach(gaps, g, n) buf_addf(&names, "%s%s", g ? ", " : "", json_string_value(n));
				back_warn(o, child, case_id, "warning", "R-76", "5.3.11",
				          "Keep each agency's acceptance of its responsibilities (signature or email) on the record; "
				          "not yet received from: %s",
				          buf_str(&names));
				buf_free(&names);
			}
			json_decref(gaps);
			back_commit(req, o, "cp_plan", plan_id);
		}
	}
	if (o->status != BACK_OK)
		store_rollback(req->store);
	else
		o->result = plan_view_after(req, plan_id);
	json_decref(p);
}

void plan_transfer_in(struct http_request *req, const char *case_id, json_t *in, struct back_out *o)
{
	const char *child = back_lookup(req, "SELECT child_id FROM cases WHERE id = $1 AND closed_at IS NULL", case_id);
	if (!child) {
		back_fail(o, 404, NULL, "There is no such open case");
		return;
	}
	if (!policy_child(req->store, &req->user, "plan.manage", child)) {
		back_forbid(o, "plan.manage", child);
		return;
	}
	static const char *const keys[] = {"originating_la", "notified_at", "category", "lead_sw_user_id", NULL};
	const char *key;
	json_t *v;
	json_object_foreach(in, key, v) {
		bool ok = false;
		for (const char *const *k = keys; *k; k++)
			ok = ok || strcmp(*k, key) == 0;
		if (!ok)
			back_fail(o, 422, key, "%s is not part of a transfer-in notification", key);
	}
	int64_t at = moment_now();
	if (back_moment(in, "notified_at", &at) < 0 || at > moment_now() + 60)
		back_fail(o, 422, "notified_at", "Enter when the other authority notified the move, not in the future");
	if (!back_str(in, "originating_la"))
		back_fail(o, 422, "originating_la", "Enter the authority the child moved from");
	const char *cat = back_str(in, "category");
	if (cat && !enums_label("cp_category", cat))
		back_fail(o, 422, "category", "category must be one of the listed options");
	const char *lead = back_str(in, "lead_sw_user_id");
	if (lead && !back_user_role(req, lead))
		back_fail(o, 422, "lead_sw_user_id", "lead social worker does not match any user");
	if (o->status != BACK_OK || back_begin(req, o) < 0)
		return;
	if (plan_open_for_child(req, child))
		back_fail(o, 409, NULL, "The child already has a child protection plan here");
	const char *to = NULL;
	if (o->status == BACK_OK && !back_stage_offers(req, case_id, "transfer_in.notified", &to))
		back_refuse(o, 409, NULL, "R-89", "4.1.15",
		            "A move in on a plan starts a new case: record it on a case that is still at the contact stage");
	char iso[MOMENT_ISO_LEN], now[MOMENT_ISO_LEN];
	moment_format(at, iso);
	moment_format(moment_now(), now);
	if (o->status == BACK_OK && back_clock(req, o, case_id, child, "transfer_in_notified", at, NULL, NULL) == 0 &&
	    back_transition(req, o, case_id, child, to, "transfer_in.notified", back_str(in, "originating_la"), "cp_plan", NULL) == 0) {
		id_new("cpp", o->id);
		int rc = back_exec(req, "INSERT INTO cp_plans (id, child_id, case_id, status, category, lead_sw_user_id, "
		                        "originating_la, transfer_notified_at, start_date, created_at, created_by, updated_at, "
		                        "updated_by) VALUES ($1, $2, $3, 'TEMPORARY_TRANSFER_IN', $4, $5, $6, $7, $8, $9, $10, "
		                        "$9, $10)",
		                   10, o->id, child, case_id, cat, lead, back_str(in, "originating_la"), iso, iso, now,
		                   req->user.id);
		if (rc == STORE_OK)
			rc = back_exec(req, "UPDATE children SET cp_plan_status = 'temporary' WHERE id = $1", 1, child);
		if (rc != STORE_OK)
			back_store_fail(o, rc);
	}
	if (o->status == BACK_OK &&
	    back_chronology(req, o, child, case_id, iso, "plan_started", "significant",
	                    arena_printf(&req->arena, "Moved in on a child protection plan from %s: temporary plan recorded",
	                                 back_str(in, "originating_la")),
	                    "cp_plan", o->id) == 0 &&
	    back_audit(req, o, "create", "cp_plan", o->id, child) == 0) {
		back_warn(o, child, case_id, "warning", "R-89", "4.1.15; 4.1.16; 4.1.17",
		          "Tell children's social care, the designated health professionals and the police; the originating "
		          "authority stays responsible until the transfer-in conference, to which it is invited with its "
		          "reports");
		back_commit(req, o, "cp_plan", o->id);
	}
	if (o->status != BACK_OK)
		store_rollback(req->store);
	else
		o->result = plan_view_after(req, o->id);
}

/* ---- the API ---- */

static void h_get(struct http_request *req)
{
	struct back_out o;
	back_out_init(&o);
	o.result = plan_view(req, http_param(req, 0), &o);
	if (o.result)
		command_audit_read(req, "cp_plan", http_param(req, 0), back_str(o.result, "child_id"));
	back_api_answer(req, &o, 200);
	back_out_free(&o);
}
static void h_activate(struct http_request *req)
{
	back_api_run(req, plan_activate, 200);
}
static void h_transfer_in(struct http_request *req)
{
	back_api_run(req, plan_transfer_in, 201);
}

const struct route plan_routes[] = {
	{HTTP_GET, "/api/v1/plans/:id", h_get, "child.read"},
	{HTTP_POST, "/api/v1/plans/:id/activate", h_activate, "plan.manage"},
	{HTTP_POST, "/api/v1/cases/:id/transfer-in", h_transfer_in, "plan.manage"},
	{0},
};
