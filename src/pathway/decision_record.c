/* Recording a conference's decision (the chair's, 4.11.1, A-24), and the dissent that may follow (ST-25).
 * One command holds the conference for every child it covers: the decision, the clocks the meeting stops and starts,
 * the stage each case moves to, the plan it creates, the agencies' views, chronology and audit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "domain/enums.h"
#include "pathway/back.h"
#include "pathway/stage.h"
#include "policy/policy.h"

/* Validates obj against e, naming each error's field prefix+field so the form can point at it. */
static void validate_prefixed(struct http_request *req, struct back_out *o, const struct entity *e, json_t *obj,
                              const char *prefix)
{
	json_t *errors = json_array();
	record_validate(req->store, e, obj, false, errors);
	size_t i;
	json_t *err;
	json_array_foreach(errors, i, err) {
		const char *f = json_string_value(json_object_get(err, "field"));
		back_fail(o, 422, NULL, "%s", json_string_value(json_object_get(err, "message")));
		json_object_set_new(json_array_get(o->errors, json_array_size(o->errors) - 1), "field",
		                    json_sprintf("%s%s", prefix, f ? f : ""));
	}
	json_decref(errors);
}

static bool same_london_day(int64_t a, int64_t b)
{
	int32_t da, db;
	int h, m, s;
	moment_to_local(a, &da, &h, &m, &s);
	moment_to_local(b, &db, &h, &m, &s);
	return da == db;
}

static int count_parents_invited(struct http_request *req, const char *conf_id)
{
	const char *n = back_lookup(req, "SELECT COUNT(*) FROM conference_invitations WHERE conference_id = $1 AND "
	                                 "attendee_role IN ('PARENT', 'PERSON_WITH_PR')",
	                            conf_id);
	return n ? (int)strtol(n, NULL, 10) : 0;
}

/* The guards that concern the conference as a whole. Returns whether it is inquorate (and allowed to go on). */
static bool check_conference(struct http_request *req, struct back_out *o, const char *conf_id, json_t *c, json_t *in,
                             int64_t held_at)
{
	if (held_at > moment_now() + 60)
		back_fail(o, 422, "held_at", "A conference cannot be recorded as held in the future");
	int64_t when = 0;
	moment_parse(json_string_value(json_object_get(c, "scheduled_at")), &when);
	if (held_at && !same_london_day(held_at, when))
		back_refuse(o, 409, "held_at", "R-56", "4.7.7-4.7.9",
		            "The conference was arranged for %s: change its date first, so that the report deadlines "
		            "follow the meeting",
		            back_long_date(req, json_string_value(json_object_get(c, "scheduled_at"))));
	json_t *q = decision_quorum(req, conf_id);
	if (!json_is_true(json_object_get(q, "chair_independent")))
		back_refuse(o, 409, NULL, "R-54", "4.8.1",
		            "The chair's independence from the case must be confirmed before the conference decides");
	if (count_parents_invited(req, conf_id) == 0 && !json_string_value(json_object_get(c, "parents_not_invited_reason")))
		back_refuse(o, 409, NULL, "R-57", "4.4.1",
		            "The parents must be invited, unless the reason for not inviting them is recorded");
	bool full = json_is_true(json_object_get(q, "quorate")) &&
	            (json_is_true(json_object_get(q, "police_present")) ||
	             !json_is_true(json_object_get(q, "police_required")));
	if (!full && !(back_bool(in, "inquorate_no_three_agencies") && back_bool(in, "inquorate_enough_information") &&
	               back_bool(in, "inquorate_delay_harmful") && back_str(in, "inquorate_reason"))) {
		struct buf why;
		buf_init(&why, 4096);
		size_t i;
		json_t *p;
		json_array_foreach(json_object_get(q, "problems"), i, p) buf_addf(&why, "%s%s", i ? "; " : "",
		                                                                   json_string_value(p));
		back_refuse(o, 409, "inquorate_reason", "R-55", "4.3.3; 4.3.10; 4.3.11",
		            "The conference is not quorate (%s). It can go ahead only if the chair records that the child "
		            "has not had contact with three agencies, that there is enough information, and that delay "
		            "would harm the child; it may then make only an interim plan",
		            buf_str(&why));
		buf_free(&why);
	}
	json_object_set_new(in, "__quorate", json_boolean(json_is_true(json_object_get(q, "quorate"))));
	json_object_set_new(in, "__police", json_boolean(json_is_true(json_object_get(q, "police_present"))));
	json_object_set_new(in, "__csc", json_boolean(json_is_true(json_object_get(q, "csc_present"))));
	json_decref(q);
	return !full;
}

/* Pairs each child of the conference with exactly one decision. */
static json_t *match_decisions(struct back_out *o, json_t *c, json_t *decisions)
{
	json_t *kids = json_object_get(c, "children"), *out = json_array();
	if (!json_is_array(decisions) || json_array_size(decisions) != json_array_size(kids)) {
		back_refuse(o, 422, "children", "R-62", "4.9.6", "Record a decision for each child the conference is about");
		return out;
	}
	size_t i, j;
	json_t *k, *d;
	json_array_foreach(kids, i, k) {
		json_t *found = NULL;
		json_array_foreach(decisions, j, d) {
			if (json_is_object(d) && json_equal(json_object_get(d, "child_id"), json_object_get(k, "child_id")))
				found = d;
		}
		if (!found) {
			back_refuse(o, 422, "children", "R-62", "4.9.6", "There is no decision for %s",
			            json_string_value(json_object_get(k, "name")));
			continue;
		}
		json_t *copy = json_deep_copy(found);
		json_t *cg = json_incref(json_object_get(copy, "core_group"));
		json_object_del(copy, "core_group");
		json_object_del(copy, "child_id");
		json_array_append_new(out, json_pack("{s:O, s:o, s:o}", "child", k, "decision", copy, "core_group",
		                                     json_is_array(cg) ? cg : (json_decref(cg), json_array())));
	}
	return out;
}

static const char *held_summary(struct http_request *req, json_t *c, json_t *d)
{
	const char *cat = back_str(d, "category");
	return arena_printf(&req->arena, "%s held: %s%s%s", enums_label("conference_type", back_str(c, "conf_type")),
	                    enums_label("conference_decision", back_str(d, "decision")), cat ? ", " : "",
	                    cat ? enums_label("cp_category", cat) : "");
}

/* Clock events, plan, stage and chronology for one child. */
static int apply_child(struct http_request *req, struct back_out *o, const char *conf_id, json_t *c, int kind,
                       json_t *entry, int64_t held_at)
{
	json_t *k = json_object_get(entry, "child"), *d = json_object_get(entry, "decision");
	const char *child = json_string_value(json_object_get(k, "child_id"));
	const char *case_id = json_string_value(json_object_get(k, "case_id"));
	const char *dec = back_str(d, "decision");
	char now[MOMENT_ISO_LEN], held_iso[MOMENT_ISO_LEN];
	moment_format(moment_now(), now);
	moment_format(held_at, held_iso);
	struct store_stmt *s = store_prepare(req->store, "SELECT id FROM conference_children WHERE conference_id = $1 "
	                                                 "AND child_id = $2");
	char rid[ID_MAX] = "";
	if (s) {
		store_bind_text(s, 1, conf_id);
		store_bind_text(s, 2, child);
		if (store_step(s) == STORE_ROW)
			snprintf(rid, sizeof rid, "%s", store_col_text(s, 0));
		store_reset(s);
	}
	int rc = record_update(req->store, &back_conference_child, rid, d, NULL);
	if (rc == STORE_OK)
		rc = back_exec(req, "UPDATE conference_children SET decided_at = $1, decided_by = $2 WHERE id = $3", 3, now,
		               req->user.id, rid);
	if (rc != STORE_OK)
		return back_store_fail(o, rc), -1;
	/* The meeting: every conference, then what kind it was. Held events carry no subject, so that they stop the
	 * case's clocks whichever conference started them. */
	if (back_clock(req, o, case_id, child, "conference_held", held_at, NULL, "*") < 0)
		return -1;
	if (kind == CONF_KIND_TRANSFER_IN &&
	    back_clock(req, o, case_id, child, "transfer_in_conference_held", held_at, NULL, NULL) < 0)
		return -1;
	if (back_clock(req, o, case_id, child, kind == CONF_KIND_REVIEW ? "rcpc_held" : "icpc_held", held_at, NULL,
	               NULL) < 0)
		return -1;
	/* Report deadlines of this conference that were never met stop with it. */
	if (back_stop_clocks(req, o, case_id, conf_id, NULL, NULL, "The conference was held before this was done") < 0)
		return -1;
	json_object_set_new(d, "child_id", json_string(child));
	json_object_set_new(d, "case_id", json_string(case_id));
	const char *to = stage_outcome_next("conference_decision", dec);
	const char *reason = back_str(d, "decision_reasons");
	if (kind == CONF_KIND_REVIEW) {
		if (review_apply_decision(req, o, conf_id, d, held_at) < 0)
			return -1;
	} else if (decision_is_plan(dec)) {
		char plan_id[ID_MAX];
		if (plan_create_from_decision(req, o, conf_id, d, json_object_get(entry, "core_group"), plan_id) < 0)
			return -1;
		rc = back_exec(req, "UPDATE conference_children SET plan_id = $1 WHERE id = $2", 2, plan_id, rid);
		if (rc != STORE_OK)
			return back_store_fail(o, rc), -1;
		/* After a pre-birth conference the first review runs from the birth, not the conference (4.1.22, A-11). */
		static const char *const review_events[] = {"rcpc_held", NULL};
		if (kind == CONF_KIND_PRE_BIRTH &&
		    back_stop_clocks(req, o, case_id, NULL, review_events, "icpc_held",
		                     "Pre-birth conference: the first review falls due one month after the birth (4.1.22)") < 0)
			return -1;
		if (back_transition(req, o, case_id, child, to, "conference.decide", reason, "conference", conf_id) < 0)
			return -1;
	} else {
		static const char *const plan_events[] = {"visit_made", "core_group_held", "rcpc_held", NULL};
		if (back_stop_clocks(req, o, case_id, NULL, plan_events, NULL,
		                     "The conference decided that no child protection plan is needed") < 0)
			return -1;
		const char *temp = plan_open_for_child(req, child);
		if (temp && plan_end(req, o, temp, NULL, conf_id, held_at,
		                     "The transfer-in conference decided that no plan is needed (4.1.18)") < 0)
			return -1;
		if (back_transition(req, o, case_id, child, to, "conference.decide", reason, "conference", conf_id) < 0)
			return -1;
	}
	return back_chronology(req, o, child, case_id, held_iso, "conference", "significant", held_summary(req, c, d),
	                       "conference", conf_id) < 0 ||
	               back_audit(req, o, "decide", "conference", conf_id, child) < 0
	           ? -1
	           : 0;
}

static int insert_views(struct http_request *req, struct back_out *o, const char *conf_id, json_t *views,
                        json_t *matched)
{
	size_t i, j;
	json_t *v, *m;
	json_array_foreach(views, i, v) {
		const char *dec = NULL;
		json_array_foreach(matched, j, m) {
			if (json_equal(json_object_get(json_object_get(m, "child"), "child_id"), json_object_get(v, "child_id")))
				dec = back_str(json_object_get(m, "decision"), "decision");
		}
		const char *dissent = dec ? decision_dissent_of(back_str(v, "view"), dec) : NULL;
		struct http_kv extra[] = {{"conference_id", conf_id}, {"dissent_position", dissent}};
		char id[ID_MAX];
		int rc = record_insert(req->store, &back_view, v, extra, 2, req->user.id, id);
		if (rc != STORE_OK)
			return back_store_fail(o, rc), -1;
		if (dissent)
			back_warn(o, back_str(v, "child_id"), NULL, "warning", "R-64", "4.11.1; 4.11.2",
			          "%s dissents from the decision; it is noted in the record and may be escalated through the "
			          "agency's designated lead",
			          back_str(v, "professional_name"));
	}
	return 0;
}

void decision_record(struct http_request *req, const char *conf_id, json_t *in, struct back_out *o)
{
	json_t *c = conference_load(req, conf_id, "conference.decide", true, o);
	if (!c)
		return;
	snprintf(o->id, ID_MAX, "%s", conf_id);
	json_t *decisions = json_incref(json_object_get(in, "children"));
	json_t *views = json_incref(json_object_get(in, "views"));
	json_object_del(in, "children");
	json_object_del(in, "views");
	json_t *matched = NULL;
	if (back_begin(req, o) < 0)
		goto out;
	if (strcmp(back_str(c, "status"), "held") == 0)
		back_fail(o, 409, NULL, "The conference's decision has already been recorded");
	else
		back_validate(req, o, &back_conference_held, in, false);
	int64_t held_at = 0;
	back_moment(in, "held_at", &held_at);
	const char *conf_type = arena_strdup(&req->arena, back_str(c, "conf_type"));
	int kind = back_conf_kind(conf_type);
	bool inquorate = o->status == BACK_OK && check_conference(req, o, conf_id, c, in, held_at);
	matched = match_decisions(o, c, decisions);
	size_t i;
	json_t *m, *v;
	json_array_foreach(matched, i, m) {
		char prefix[64];
		snprintf(prefix, sizeof prefix, "c%zu_", i);
		json_t *d = json_object_get(m, "decision");
		validate_prefixed(req, o, &back_conference_child, d, prefix);
		size_t j;
		json_t *member;
		json_array_foreach(json_object_get(m, "core_group"), j, member) {
			snprintf(prefix, sizeof prefix, "c%zu_cg%zu_", i, j);
			validate_prefixed(req, o, &back_plan_member, member, prefix);
		}
		if (back_str(d, "decision"))
			decision_check_child(req, o, kind, inquorate, held_at, d, json_object_get(m, "core_group"), (int)i,
			                     conf_type);
	}
	if (views && !json_is_array(views))
		back_fail(o, 422, "views", "views must be a list of each agency's view");
	json_array_foreach(views, i, v) {
		char prefix[64];
		snprintf(prefix, sizeof prefix, "v%zu_", i);
		validate_prefixed(req, o, &back_view, v, prefix);
		bool known = false;
		size_t j;
		json_array_foreach(json_object_get(c, "children"), j, m) known =
			known || json_equal(json_object_get(m, "child_id"), json_object_get(v, "child_id"));
		if (!known)
			back_fail(o, 422, "views", "A view names a child the conference is not about");
	}
	if (o->status != BACK_OK)
		goto out;
	json_t *quorum_flags = json_pack("{s:O, s:O, s:O}", "q", json_object_get(in, "__quorate"), "p",
	                                 json_object_get(in, "__police"), "c", json_object_get(in, "__csc"));
	json_object_del(in, "__quorate");
	json_object_del(in, "__police");
	json_object_del(in, "__csc");
	int rc = record_update(req->store, &back_conference_held, conf_id, in, req->user.id);
	if (rc == STORE_OK)
		rc = back_exec(req, "UPDATE conferences SET status = 'held', quorum_met = $1, police_present = $2, "
		                    "csc_present = $3 WHERE id = $4",
		               4, json_is_true(json_object_get(quorum_flags, "q")) ? "1" : "0",
		               json_is_true(json_object_get(quorum_flags, "p")) ? "1" : "0",
		               json_is_true(json_object_get(quorum_flags, "c")) ? "1" : "0", conf_id);
	json_decref(quorum_flags);
	if (rc != STORE_OK) {
		back_store_fail(o, rc);
		goto out;
	}
	json_array_foreach(matched, i, m) {
		if (apply_child(req, o, conf_id, c, kind, m, held_at) < 0)
			goto out;
	}
	if (views && insert_views(req, o, conf_id, views, matched) < 0)
		goto out;
	back_commit(req, o, "conference", conf_id);
out:
	if (o->status != BACK_OK)
		store_rollback(req->store);
	else
		o->result = conference_view_after(req, conf_id);
	json_decref(matched);
	json_decref(decisions);
	json_decref(views);
	json_decref(c);
}

/* ---- dissent (4.11.2-4.11.5) ---- */

static json_t *load_view(struct http_request *req, const char *view_id, const char *action, struct back_out *o,
                         json_t **conf)
{
	json_t *v = record_get(req->store, &back_view, view_id);
	if (!v) {
		back_fail(o, 404, NULL, "There is no such view");
		return NULL;
	}
	const char *conf_id = arena_strdup(&req->arena, back_str(v, "conference_id"));
	*conf = conference_load(req, conf_id, action, false, o);
	if (!*conf) {
		json_decref(v);
		return NULL;
	}
	if (!back_str(v, "dissent_position")) {
		back_fail(o, 409, NULL, "This agency agreed with the decision: there is no dissent to escalate");
		json_decref(v);
		json_decref(*conf);
		return NULL;
	}
	return v;
}

static void save_view(struct http_request *req, struct back_out *o, const char *view_id, json_t *v, json_t *c,
                      json_t *in, const char *summary)
{
	if (o->status == BACK_OK) {
		int rc = record_update(req->store, &back_view, view_id, in, NULL);
		if (rc != STORE_OK)
			back_store_fail(o, rc);
	}
	const char *child = back_str(v, "child_id");
	const char *case_id = NULL;
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(c, "children"), i, k) {
		if (strcmp(json_string_value(json_object_get(k, "child_id")), child) == 0)
			case_id = json_string_value(json_object_get(k, "case_id"));
	}
	if (o->status == BACK_OK &&
	    back_chronology(req, o, child, case_id, NULL, "conference", "significant", summary, "conference_view",
	                    view_id) == 0 &&
	    back_audit(req, o, "update", "conference_view", view_id, child) == 0)
		back_commit(req, o, "conference", back_str(c, "id"));
	if (o->status != BACK_OK)
		store_rollback(req->store);
	else
		o->result = record_get(req->store, &back_view, view_id);
	json_decref(v);
	json_decref(c);
}

void decision_dissent_lead(struct http_request *req, const char *view_id, json_t *in, struct back_out *o)
{
	json_t *c = NULL;
	json_t *v = load_view(req, view_id, "conference.contribute", o, &c);
	if (!v)
		return;
	snprintf(o->id, ID_MAX, "%s", view_id);
	if (back_begin(req, o) < 0) {
		json_decref(v);
		json_decref(c);
		return;
	}
	static const char *const keys[] = {"designated_lead_at", "designated_lead_concurs", "chair_manager_alerted_at",
	                                   NULL};
	const char *key;
	json_t *val;
	json_object_foreach(in, key, val) {
		bool ok = false;
		for (const char *const *k = keys; *k; k++)
			ok = ok || strcmp(*k, key) == 0;
		if (!ok)
			back_fail(o, 422, key, "%s is not part of the designated lead's step", key);
	}
	if (o->status == BACK_OK)
		back_validate(req, o, &back_view, in, true);
	if (o->status == BACK_OK && !back_str(in, "designated_lead_at"))
		back_fail(o, 422, "designated_lead_at", "Enter the date the dissent was raised with the designated lead");
	if (o->status == BACK_OK && back_bool(in, "designated_lead_concurs") && !back_str(in, "chair_manager_alerted_at"))
		back_refuse(o, 422, "chair_manager_alerted_at", "R-91", "4.11.3",
		            "The designated lead agrees: the chair's line manager must be alerted at once; record when");
	save_view(req, o, view_id, v, c, in,
	          back_bool(in, "designated_lead_concurs")
	              ? "A dissent from the conference decision was supported by the agency's designated lead and "
	                "passed to the chair's line manager"
	              : "A dissent from the conference decision was considered by the agency's designated lead");
}

void decision_dissent_manager(struct http_request *req, const char *view_id, json_t *in, struct back_out *o)
{
	json_t *c = NULL;
	json_t *v = load_view(req, view_id, "conference.dissent_review", o, &c);
	if (!v)
		return;
	snprintf(o->id, ID_MAX, "%s", view_id);
	if (back_begin(req, o) < 0) {
		json_decref(v);
		json_decref(c);
		return;
	}
	static const char *const keys[] = {"manager_decision", "manager_decided_at", "director_referral_at",
	                                   "director_decision", NULL};
	const char *key;
	json_t *val;
	json_object_foreach(in, key, val) {
		bool ok = false;
		for (const char *const *k = keys; *k; k++)
			ok = ok || strcmp(*k, key) == 0;
		if (!ok)
			back_fail(o, 422, key, "%s is not part of the line manager's step", key);
	}
	if (json_is_true(json_object_get(c, "is_chair")))
		back_refuse(o, 409, NULL, "R-91", "4.11.3",
		            "The chair's line manager, not the chair, rules on a dissent from the chair's decision");
	if (!json_is_true(json_object_get(v, "designated_lead_concurs")))
		back_refuse(o, 409, NULL, "R-91", "4.11.2; 4.11.3",
		            "A dissent reaches the chair's line manager only when the agency's designated lead supports it");
	if (o->status == BACK_OK)
		back_validate(req, o, &back_view, in, true);
	if (o->status == BACK_OK && !back_str(in, "manager_decision") && !back_str(in, "director_referral_at"))
		back_fail(o, 422, "manager_decision", "Record the line manager's decision, or the referral to the Director");
	if (o->status == BACK_OK && back_str(in, "director_decision") && !back_str(in, "director_referral_at"))
		back_fail(o, 422, "director_referral_at", "Enter the date the matter went to the Director");
	const char *d = back_str(in, "manager_decision");
	if (o->status == BACK_OK && d) {
		json_object_set_new(in, "manager_user_id", json_string(req->user.id));
		if (!back_str(in, "manager_decided_at")) {
			char now[MOMENT_ISO_LEN];
			moment_format(moment_now(), now);
			json_object_set_new(in, "manager_decided_at", json_string(now));
		}
		if (strcmp(d, "UPHOLD") != 0)
			back_warn(o, back_str(v, "child_id"), NULL, "warning", "R-91", "4.11.4",
			          "%s: arrange the conference (a review brought forward for dissent, or a reconvened conference)",
			          enums_label("dissent_manager_decision", d));
	}
	save_view(req, o, view_id, v, c, in,
	          d ? arena_printf(&req->arena, "The chair's line manager ruled on a dissent: %s",
	                           enums_label("dissent_manager_decision", d))
	            : "A dissent from the conference decision was referred to the Director");
}

/* ---- the API ---- */

static void h_decide(struct http_request *req)
{
	back_api_run(req, decision_record, 200);
}
static void h_quorum(struct http_request *req)
{
	struct back_out o;
	back_out_init(&o);
	json_t *c = conference_load(req, http_param(req, 0), "child.read", false, &o);
	if (c) {
		o.result = decision_quorum(req, http_param(req, 0));
		json_decref(c);
	}
	back_api_answer(req, &o, 200);
	back_out_free(&o);
}
static void h_dissent_lead(struct http_request *req)
{
	back_api_run(req, decision_dissent_lead, 200);
}
static void h_dissent_manager(struct http_request *req)
{
	back_api_run(req, decision_dissent_manager, 200);
}

const struct route decision_routes[] = {
	{HTTP_POST, "/api/v1/conferences/:id/decision", h_decide, "conference.decide"},
	{HTTP_GET, "/api/v1/conferences/:id/quorum", h_quorum, "child.read"},
	{HTTP_POST, "/api/v1/conference-views/:id/designated-lead", h_dissent_lead, "conference.contribute"},
	{HTTP_POST, "/api/v1/conference-views/:id/manager-decision", h_dissent_manager, "conference.dissent_review"},
	{0},
};
