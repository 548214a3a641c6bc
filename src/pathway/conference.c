/* Convening, scheduling and rescheduling a child protection conference (ST-15 pre-birth, ST-16 initial, ST-17
 * transfer-in, ST-22 review), and reading one. A conference may cover several children of a family; each child's
 * own case is checked and moved separately (4.1.5, 4.9.6). */
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "app/app.h"
#include "clock/rules.h"
#include "core/date.h"
#include "domain/enums.h"
#include "pathway/back.h"
#include "policy/policy.h"

#define MAX_CHILDREN 12

json_t *conference_children(struct http_request *req, const char *conf_id)
{
	json_t *out = json_array();
	struct store_stmt *s = store_prepare(
		req->store, "SELECT cc.child_id, cc.case_id, ch.forenames, ch.surname, ch.is_unborn, ch.dob, ch.edd "
		            "FROM conference_children cc JOIN children ch ON ch.id = cc.child_id "
		            "WHERE cc.conference_id = $1 ORDER BY ch.dob, ch.forenames");
	if (!s)
		return out;
	store_bind_text(s, 1, conf_id);
	while (store_step(s) == STORE_ROW)
		json_array_append_new(
			out, json_pack("{s:s, s:s, s:s, s:b, s:s?, s:s?}", "child_id", store_col_text(s, 0), "case_id",
			               store_col_text(s, 1), "name",
			               arena_printf(&req->arena, "%s %s", store_col_text(s, 2), store_col_text(s, 3)),
			               "is_unborn", (int)store_col_int(s, 4), "dob", store_col_text(s, 5), "edd",
			               store_col_text(s, 6)));
	return out;
}

json_t *conference_load(struct http_request *req, const char *conf_id, const char *action, bool only_chair,
                        struct back_out *o)
{
	json_t *c = record_get(req->store, &back_conference, conf_id);
	if (!c) {
		back_fail(o, 404, NULL, "There is no such conference");
		return NULL;
	}
	json_t *kids = conference_children(req, conf_id);
	const char *chair = json_string_value(json_object_get(c, "chair_user_id"));
	bool is_chair = chair && req->user.id && strcmp(chair, req->user.id) == 0;
	size_t i;
	json_t *k;
	json_array_foreach(kids, i, k) {
		const char *child = json_string_value(json_object_get(k, "child_id"));
		bool ok;
		if (only_chair)
			ok = is_chair && policy_allows_action(&req->user, action);
		else if (strcmp(action, "child.read") == 0)
			/* The named chair keeps the conference's own papers after the case closes (4.14.4, 4.14.10). */
			ok = is_chair || policy_child(req->store, &req->user, action, child);
		else
			ok = policy_child(req->store, &req->user, action, child);
		if (!ok) {
			back_forbid(o, action, arena_strdup(&req->arena, child));
			json_decref(kids);
			json_decref(c);
			return NULL;
		}
	}
	json_object_set_new(c, "children", kids);
	json_object_set_new(c, "is_chair", json_boolean(is_chair));
	return c;
}

/* The events that would be recorded when a conference of this kind is held: the clocks waiting for them are the
 * ones the meeting must fall within. */
static const char *const *held_events(int kind)
{
	static const char *const initial[] = {"icpc_held", NULL};
	static const char *const transfer[] = {"transfer_in_conference_held", "icpc_held", NULL};
	static const char *const review[] = {"rcpc_held", NULL};
	return kind == CONF_KIND_REVIEW ? review : kind == CONF_KIND_TRANSFER_IN ? transfer : initial;
}

static bool waits_for_any(const struct clock_rule *r, const char *const *events)
{
	for (const char *const *e = events; *e; e++)
		for (int i = 0; i < r->n_stop_events; i++)
			if (strcmp(r->stop_events[i], *e) == 0)
				return true;
	return false;
}

/* The meeting must fall within the clocks it satisfies. Where the rule lets a manager extend it
 * (the initial conference, 4.1.9), a later date is refused until the extension is recorded; otherwise it is a
 * warning and the breach reason is recorded on the clock. */
static void check_within_clocks(struct http_request *req, struct back_out *o, const char *child_id,
                                const char *case_id, int kind, int64_t when)
{
	struct app *app = req->app;
	struct store_stmt *s = store_prepare(
		req->store, "SELECT rule_id, due_at, title, citation FROM clocks WHERE case_id = $1 AND state = 'running'");
	if (!s)
		return;
	store_bind_text(s, 1, case_id);
	while (store_step(s) == STORE_ROW) {
		const struct clock_rule *r;
		if (clock_rules_find(app->clock_rules, store_col_text(s, 0), &r, NULL) < 0 ||
		    !waits_for_any(r, held_events(kind)) || r->kind == CLOCK_BACKWARD)
			continue;
		int64_t due = store_col_int(s, 1);
		if (when <= due)
			continue;
		char due_iso[MOMENT_ISO_LEN];
		moment_format(due, due_iso);
		const char *due_text = back_long_date(req, due_iso);
		if (r->extension.allowed)
			back_refuse(o, 409, "scheduled_at", "R-53", r->extension.citation ? r->extension.citation : r->citation,
			            "The conference must be held by %s (%s, %s). A later date needs a manager's written "
			            "authorisation of the delay first: extend the clock with the reasons, then schedule it",
			            due_text, r->id, store_col_text(s, 3));
		else
			back_warn(o, child_id, case_id, "warning", kind == CONF_KIND_REVIEW ? "R-83" : "R-89",
			          store_col_text(s, 3), "This date is after %s, when %s is due (%s): record the reason for the delay",
			          due_text, store_col_text(s, 2), r->id);
	}
}

/* The earliest moment an event was recorded on the case, or 0. */
static int64_t first_event(struct http_request *req, const char *case_id, const char *event)
{
	struct store_stmt *s = store_prepare(
		req->store, "SELECT MIN(at) FROM case_events WHERE case_id = $1 AND event = $2");
	if (!s)
		return 0;
	store_bind_text(s, 1, case_id);
	store_bind_text(s, 2, event);
	int64_t at = 0;
	if (store_step(s) == STORE_ROW && !store_col_is_null(s, 0))
		at = store_col_int(s, 0);
	store_reset(s);
	return at;
}

/* The guards on the date and the case, for convening and for every new date (4.1.6, 4.1.7, 4.1.15, 4.1.21). */
static void check_when(struct http_request *req, struct back_out *o, const char *conf_type, int kind,
                       json_t *children, int64_t when, const char *trigger)
{
	size_t i;
	json_t *k;
	json_array_foreach(children, i, k) {
		const char *child = json_string_value(json_object_get(k, "child_id"));
		const char *case_id = json_string_value(json_object_get(k, "case_id"));
		const char *name = json_string_value(json_object_get(k, "name"));
		int64_t start = 0;
		const char *start_what = NULL;
		if (strcmp(conf_type, "CONF_INITIAL") == 0) {
			start = first_event(req, case_id, "s47_initiated");
			start_what = "the strategy discussion that started the section 47 enquiry";
			if (!start)
				back_refuse(o, 409, "conf_type", "R-53", "4.1.6; 4.1.7",
				            "No strategy discussion has started section 47 enquiries for %s: an initial conference "
				            "follows the enquiry that recommends one",
				            name);
		} else if (kind == CONF_KIND_PRE_BIRTH) {
			if (!json_is_true(json_object_get(k, "is_unborn")))
				back_refuse(o, 422, "conf_type", "R-97", "4.1.10; 4.1.14",
				            "%s has been born: hold an initial conference, not a pre-birth one", name);
			start = first_event(req, case_id, "s47_initiated");
			start_what = "the strategy discussion that started the pre-birth enquiry";
		} else if (kind == CONF_KIND_TRANSFER_IN) {
			start = first_event(req, case_id, "transfer_in_notified");
			start_what = "the notification from the other authority";
			if (!start)
				back_refuse(o, 409, "conf_type", "R-89", "4.1.15; 4.1.16",
				            "No move into this authority has been notified for %s: record the transfer-in "
				            "notification first",
				            name);
		}
		if (start && when < start) {
			char iso[MOMENT_ISO_LEN];
			moment_format(start, iso);
			back_refuse(o, 409, "scheduled_at", "R-53", "3.4.18; 4.1.7",
			            "The conference cannot be before %s (%s) for %s", start_what, back_long_date(req, iso), name);
		}
		check_within_clocks(req, o, child, case_id, kind, when);
		if (kind == CONF_KIND_REVIEW)
			review_schedule_checks(req, o, child, case_id, when, conf_type, trigger);
	}
	int32_t day;
	int h, m, sec;
	moment_to_local(when, &day, &h, &m, &sec);
	if (h >= 15 && h < 17 && json_array_size(children))
		back_warn(o, json_string_value(json_object_get(json_array_get(children, 0), "child_id")), NULL, "warning",
		          "R-70", "4.3.8", "The conference is at %d:%02d, when parents may be collecting children from "
		          "school: choose a time they can attend", h, m);
}

/* Who may chair: a role that may decide conferences (an independent chair or a CSC manager, 4.8.1, A-23). */
static void check_chair(struct http_request *req, struct back_out *o, json_t *in, json_t *children,
                        const char *previous_chair)
{
	const char *chair = back_str(in, "chair_user_id");
	if (!chair)
		return;
	const char *role = back_user_role(req, chair);
	struct http_user u = {.id = chair, .role = role};
	if (!role || !policy_allows_action(&u, "conference.decide")) {
		back_refuse(o, 422, "chair_user_id", "R-54", "4.8.1",
		            "The chair must be an independent chair or a children's social care manager");
		return;
	}
	if (!back_bool(in, "chair_independence_confirmed"))
		back_refuse(o, 422, "chair_independence_confirmed", "R-54", "4.8.1",
		            "Confirm that the chair has had no operational or line-management responsibility for the case");
	decision_chair_independent(req, chair, children, o);
	if (previous_chair && strcmp(previous_chair, chair) != 0 && json_array_size(children))
		back_warn(o, json_string_value(json_object_get(json_array_get(children, 0), "child_id")), NULL, "warning",
		          "R-54", "4.8.1", "Where possible the same chair as the previous conference should chair this one");
}

/* Adds the chair to each child's case so they can read the papers (4.14.10). */
static int chair_access(struct http_request *req, struct back_out *o, const char *conf_id, const char *chair,
                        json_t *children)
{
	size_t i;
	json_t *k;
	json_array_foreach(children, i, k) {
		int rc = back_add_member(req, json_string_value(json_object_get(k, "case_id")),
		                         json_string_value(json_object_get(k, "child_id")), chair, "conference_invitee", NULL);
		if (rc != STORE_OK)
			return back_store_fail(o, rc), -1;
	}
	(void)conf_id;
	return 0;
}

static int record_scheduled(struct http_request *req, struct back_out *o, const char *conf_id, int kind,
                            json_t *children, int64_t when, const char *summary)
{
	char iso[MOMENT_ISO_LEN];
	moment_format(when, iso);
	size_t i;
	json_t *k;
	json_array_foreach(children, i, k) {
		const char *child = json_string_value(json_object_get(k, "child_id"));
		const char *case_id = json_string_value(json_object_get(k, "case_id"));
		if (back_clock(req, o, case_id, child, "conference_scheduled", when, conf_id,
		               kind == CONF_KIND_REVIEW ? "rcpc" : "icpc") < 0 ||
		    back_chronology(req, o, child, case_id, NULL, "conference", "significant",
		                    arena_printf(&req->arena, "%s %s", summary, back_long_date(req, iso)), "conference",
		                    conf_id) < 0 ||
		    back_audit(req, o, "update", "conference", conf_id, child) < 0)
			return -1;
	}
	return 0;
}

/* child_ids from the input: each a child the user may convene for, with an open case. */
static json_t *subject_children(struct http_request *req, struct back_out *o, json_t *ids)
{
	json_t *out = json_array();
	if (!json_is_array(ids) || json_array_size(ids) == 0 || json_array_size(ids) > MAX_CHILDREN) {
		back_fail(o, 422, "child_ids", "Choose the children the conference is about (1 to %d)", MAX_CHILDREN);
		return out;
	}
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v) {
		const char *child = json_string_value(v);
		if (!child || !id_valid(child)) {
			back_fail(o, 422, "child_ids", "child_ids must be a list of child ids");
			break;
		}
		for (size_t j = 0; j < i; j++)
			if (json_equal(json_array_get(ids, j), v))
				back_fail(o, 422, "child_ids", "A child is listed twice");
		if (!policy_child(req->store, &req->user, "conference.schedule", child)) {
			back_forbid(o, "conference.schedule", arena_strdup(&req->arena, child));
			break;
		}
		const char *case_id = back_open_case(req, child);
		const char *name = back_lookup(req, "SELECT forenames || ' ' || surname FROM children WHERE id = $1", child);
		if (!case_id) {
			back_refuse(o, 409, "child_ids", "R-53", "4.1.6", "%s has no open case", name ? name : child);
			continue;
		}
		const char *unborn = back_lookup(req, "SELECT is_unborn FROM children WHERE id = $1", child);
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:b}", "child_id", child, "case_id", case_id, "name",
		                                     name ? name : "", "is_unborn", unborn && strcmp(unborn, "1") == 0));
		const char *other = back_lookup(
			req, "SELECT c.id FROM conferences c JOIN conference_children cc ON cc.conference_id = c.id "
			     "WHERE cc.child_id = $1 AND c.status = 'scheduled'",
			child);
		if (other)
			back_refuse(o, 409, "child_ids", "R-53", "4.1.7",
			            "%s already has a conference arranged: change its date instead", name ? name : child);
	}
	return out;
}

static const char *type_label(const char *conf_type)
{
	const char *l = enums_label("conference_type", conf_type);
	return l ? l : "Child protection conference";
}

void conference_schedule(struct http_request *req, json_t *in, struct back_out *o)
{
	json_t *ids = json_incref(json_object_get(in, "child_ids"));
	json_object_del(in, "child_ids");
	json_object_del(in, "reschedule_reason");
	if (back_begin(req, o) < 0) {
		json_decref(ids);
		return;
	}
	back_validate(req, o, &back_conference, in, false);
	json_t *children = subject_children(req, o, ids);
	json_decref(ids);
	const char *conf_type = back_str(in, "conf_type");
	int kind = back_conf_kind(conf_type);
	int64_t when = 0;
	if (o->status == BACK_OK && back_moment(in, "scheduled_at", &when) == 1) {
		const char *trigger = back_str(in, "brought_forward_trigger");
		if (!trigger && conf_type && strcmp(conf_type, "CONF_EARLY_REVIEW_AFTER_INQUORATE") == 0)
			json_object_set_new(in, "brought_forward_trigger", json_string(trigger = "BF_INQUORATE"));
		if (kind == CONF_KIND_REVIEW && !trigger &&
		    (strcmp(conf_type, "CONF_REVIEW_BROUGHT_FORWARD") == 0 || strcmp(conf_type, "CONF_RECONVENED") == 0))
			back_refuse(o, 422, "brought_forward_trigger", "R-85", "4.1.25",
			            "Say why the review is brought forward or the conference reconvened");
		size_t i;
		json_t *k;
		const char *command = kind == CONF_KIND_REVIEW ? "review.held" : "conference.decide";
		json_array_foreach(children, i, k) {
			if (!back_stage_offers(req, json_string_value(json_object_get(k, "case_id")), command, NULL))
				back_refuse(o, 409, "conf_type", kind == CONF_KIND_REVIEW ? "R-83" : "R-53",
				            kind == CONF_KIND_REVIEW ? "4.1.19; 4.1.21" : "3.9.6; 4.1.6",
				            kind == CONF_KIND_REVIEW
				                ? "%s is not subject to a child protection plan, so there is nothing to review"
				                : "%s's case is not waiting for an initial conference: the section 47 enquiry (or "
				                  "the transfer-in notification) must come first",
				            json_string_value(json_object_get(k, "name")));
		}
		if (o->status == BACK_OK)
			check_when(req, o, conf_type, kind, children, when, trigger);
		const char *prev = back_str(in, "previous_conference_id");
		check_chair(req, o, in, children,
		            prev ? back_lookup(req, "SELECT chair_user_id FROM conferences WHERE id = $1", prev) : NULL);
		if (!back_bool(in, "childcare_offered") && kind != CONF_KIND_REVIEW && json_array_size(children))
			back_warn(o, json_string_value(json_object_get(json_array_get(children, 0), "child_id")), NULL,
			          "warning", "R-70", "4.3.7; 4.3.8", "Offer the parents childcare so that they can attend");
	}
	if (o->status != BACK_OK) {
		json_decref(children);
		store_rollback(req->store);
		return;
	}
	struct http_kv extra[] = {{"status", "scheduled"}};
	int rc = record_insert(req->store, &back_conference, in, extra, 1, req->user.id, o->id);
	size_t i;
	json_t *k;
	json_array_foreach(children, i, k) {
		char cc[ID_MAX];
		id_new("cch", cc);
		if (rc == STORE_OK)
			rc = back_exec(req, "INSERT INTO conference_children (id, conference_id, child_id, case_id) "
			                    "VALUES ($1, $2, $3, $4)",
			               4, cc, o->id, json_string_value(json_object_get(k, "child_id")),
			               json_string_value(json_object_get(k, "case_id")));
	}
	const char *chair = back_str(in, "chair_user_id");
	if (rc == STORE_OK && chair) {
		char inv[ID_MAX], now[MOMENT_ISO_LEN];
		id_new("inv", inv);
		moment_format(moment_now(), now);
		rc = back_exec(req, "INSERT INTO conference_invitations (id, conference_id, user_id, name, attendee_role, "
		                    "sent_at, created_at, created_by, updated_at, updated_by) "
		                    "VALUES ($1, $2, $3, $4, 'CHAIR', $5, $5, $6, $5, $6)",
		               6, inv, o->id, chair, back_user_name(req, chair), now, req->user.id);
	}
	if (rc != STORE_OK) {
		back_store_fail(o, rc);
	} else if ((chair && chair_access(req, o, o->id, chair, children) < 0) ||
	           record_scheduled(req, o, o->id, kind, children, when,
	                            arena_printf(&req->arena, "%s arranged for", type_label(conf_type))) < 0 ||
	           back_commit(req, o, "conference", o->id) < 0) {
		/* status set */
	}
	json_decref(children);
	if (o->status != BACK_OK) {
		store_rollback(req->store);
		return;
	}
	o->result = conference_view_after(req, o->id);
}

void conference_reschedule(struct http_request *req, const char *conf_id, json_t *in, struct back_out *o)
{
	json_t *c = conference_load(req, conf_id, "conference.schedule", false, o);
	if (!c)
		return;
	json_t *children = json_incref(json_object_get(c, "children"));
	const char *conf_type = arena_strdup(&req->arena, json_string_value(json_object_get(c, "conf_type")));
	const char *old_chair = arena_strdup(&req->arena, json_string_value(json_object_get(c, "chair_user_id")));
	int64_t old_when = 0, when = 0;
	moment_parse(json_string_value(json_object_get(c, "scheduled_at")), &old_when);
	bool held = strcmp(json_string_value(json_object_get(c, "status")), "held") == 0;
	int count = (int)json_integer_value(json_object_get(c, "reschedule_count"));
	json_decref(c);
	int kind = back_conf_kind(conf_type);
	if (back_begin(req, o) < 0) {
		json_decref(children);
		return;
	}
	back_validate(req, o, &back_conference, in, true);
	if (held)
		back_fail(o, 409, NULL, "The conference has been held: its date can no longer change");
	int has_when = o->status == BACK_OK ? back_moment(in, "scheduled_at", &when) : 0;
	bool moved = has_when == 1 && when != old_when;
	if (o->status == BACK_OK && moved) {
		if (!back_str(in, "reschedule_reason"))
			back_refuse(o, 422, "reschedule_reason", "R-53", "4.1.9", "Give the reason for the new date");
		check_when(req, o, conf_type, kind, children, when, back_str(in, "brought_forward_trigger"));
		json_object_set_new(in, "reschedule_count", json_integer(count + 1));
	}
	const char *chair = back_str(in, "chair_user_id");
	if (o->status == BACK_OK && (chair || json_object_get(in, "chair_independence_confirmed"))) {
		if (!chair && old_chair)
			json_object_set_new(in, "chair_user_id", json_string(chair = old_chair));
		check_chair(req, o, in, children, NULL);
	}
	if (o->status == BACK_OK) {
		/* reschedule_count is not an input field: written after validation. */
		int rc = record_update(req->store, &back_conference, conf_id, in, req->user.id);
		if (rc == STORE_DONE)
			rc = STORE_OK;
		if (rc != STORE_OK)
			back_store_fail(o, rc);
	}
	if (o->status == BACK_OK && chair && (!old_chair || strcmp(chair, old_chair) != 0))
		chair_access(req, o, conf_id, chair, children);
	if (o->status == BACK_OK && moved)
		record_scheduled(req, o, conf_id, kind, children, when,
		                 arena_printf(&req->arena, "%s moved to", type_label(conf_type)));
	if (o->status == BACK_OK && !moved) {
		size_t i;
		json_t *k;
		json_array_foreach(children, i, k) if (o->status == BACK_OK) back_audit(
			req, o, "update", "conference", conf_id, json_string_value(json_object_get(k, "child_id")));
	}
	json_decref(children);
	if (o->status == BACK_OK)
		back_commit(req, o, "conference", conf_id);
	if (o->status != BACK_OK) {
		store_rollback(req->store);
		return;
	}
	snprintf(o->id, ID_MAX, "%s", conf_id);
	o->result = conference_view_after(req, conf_id);
}

/* ---- the API ---- */

static void audit_reads(struct http_request *req, json_t *c, const char *object_id)
{
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(c, "children"), i, k)
		command_audit_read(req, "conference", object_id, json_string_value(json_object_get(k, "child_id")));
}

static void h_schedule(struct http_request *req)
{
	json_t *in = back_input(req, NULL, NULL);
	if (!in)
		return;
	struct back_out o;
	back_out_init(&o);
	conference_schedule(req, in, &o);
	json_decref(in);
	if (o.status == BACK_OK) {
		char loc[96];
		snprintf(loc, sizeof loc, "/api/v1/conferences/%s", o.id);
		http_header(req, "Location", loc);
	}
	back_api_answer(req, &o, 201);
	back_out_free(&o);
}

static void h_get(struct http_request *req)
{
	struct back_out o;
	back_out_init(&o);
	json_t *c = conference_view(req, http_param(req, 0), &o);
	if (c) {
		audit_reads(req, c, http_param(req, 0));
		o.result = c;
	}
	back_api_answer(req, &o, 200);
	back_out_free(&o);
}

static void h_reschedule(struct http_request *req)
{
	json_t *in = back_input(req, NULL, NULL);
	if (!in)
		return;
	struct back_out o;
	back_out_init(&o);
	conference_reschedule(req, http_param(req, 0), in, &o);
	json_decref(in);
	back_api_answer(req, &o, 200);
	back_out_free(&o);
}

static void h_list(struct http_request *req)
{
	const char *child = http_param(req, 0);
	if (!command_child_allowed(req, "child.read", child))
		return;
	command_audit_read(req, "conference", NULL, child);
	http_json(req, 200, conference_list_for_child(req, child));
}

const struct route conference_routes[] = {
	{HTTP_POST, "/api/v1/conferences", h_schedule, "conference.schedule"},
	{HTTP_GET, "/api/v1/conferences/:id", h_get, "child.read"},
	{HTTP_PATCH, "/api/v1/conferences/:id", h_reschedule, "conference.schedule"},
	{HTTP_GET, "/api/v1/children/:id/protection", h_list, "child.read"},
	{0},
};
