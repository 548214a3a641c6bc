/* ST-01 to ST-04: the front door. A contact from a professional, a member of the public or the child (anonymous or
 * not, in or out of hours) is recorded with the referrer's details and how they want feedback, linked to existing
 * children found by search or to children recorded here, one case per child; then closed as information only, or
 * converted into one referral per child (the referral's receipt starts T-06, T-08 and T-16). */
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/chronology.h"
#include "domain/entities.h"
#include "domain/enums.h"
#include "pathway/front.h"
#include "policy/policy.h"

#define CONTACT_MAX_CHILDREN 12

static void warn(struct front_out *out, const char *rule, const char *citation, const char *message)
{
	json_array_append_new(out->warnings,
	                      json_pack("{s:s, s:s, s:s}", "rule", rule, "citation", citation, "message", message));
}

/* Rules on the contact itself that a field table cannot express (spec 5.1). */
static void check_contact(json_t *in, struct front_out *out)
{
	const char *type = front_str(in, "referrer_type");
	bool anonymous = front_true(in, "anonymous");
	if (type && strcmp(type, "ANONYMOUS") == 0)
		anonymous = true;
	if (type && strcmp(type, "PROFESSIONAL") == 0 && anonymous)
		front_fail(out, 422, "anonymous", "A referral from a professional cannot be anonymous (1.6.16, R-02)");
	if (!anonymous && type && strcmp(type, "CHILD_SELF") != 0 && !front_str(in, "referrer_name"))
		front_fail(out, 422, "referrer_name", "Enter the referrer's name, or record the contact as anonymous");
	json_t *fw = json_object_get(in, "feedback_wanted");
	bool wants = !fw || json_is_true(fw);
	if (wants && !anonymous && !front_str(in, "feedback_method"))
		front_fail(out, 422, "feedback_method", "Say how the referrer wants feedback on the decision (2.1.8)");
	const char *agree = front_str(in, "parental_agreement");
	if (agree && strcmp(agree, "NOT_SOUGHT") == 0 && !front_str(in, "parental_not_sought_reason"))
		front_fail(out, 422, "parental_not_sought_reason",
		           "Give the reason the parents' agreement was not sought (1.6.14, 1.6.15, R-03)");
	if (agree && strcmp(agree, "REFUSED") == 0 && !front_str(in, "parental_reason_detail"))
		front_fail(out, 422, "parental_reason_detail",
		           "The parents refused: record why the referral goes ahead without their agreement (1.6.17, R-03)");
}

static bool birth_fields_ok(json_t *child, const char *field, struct front_out *out)
{
	bool unborn = front_true(child, "is_unborn");
	if (unborn && !front_str(child, "edd"))
		return front_fail(out, 422, field, "Enter the expected date of delivery for an unborn child"), false;
	if (!unborn && !front_str(child, "dob"))
		return front_fail(out, 422, field, "Enter the child's date of birth"), false;
	return true;
}

/* Where a new case goes: a contact recorded by a member of staff opens the case in their team, allocated to them;
 * a referral a partner makes themselves opens it unallocated in the front door team (migrations/0014; 1.6.22,
 * 2.4.1), or with no team when none is marked, where only those who see every case find it. */
struct contact_route {
	const char *team_id;
	const char *allocated_user_id;
};

static const char *front_door_team(struct http_request *req)
{
	const char *team = NULL;
	struct store_stmt *s =
		store_prepare(req->store, "SELECT id FROM teams WHERE front_door = 1 ORDER BY created_at, id LIMIT 1");
	if (s) {
		if (store_step(s) == STORE_ROW)
			team = arena_strdup(&req->arena, store_col_text(s, 0));
		store_reset(s);
	}
	return team;
}

/* Links or records one child and opens (or reuses) their case. */
static int add_child(struct http_request *req, struct front_out *out, const char *contact_id, json_t *entry,
                     size_t index, json_t *cases, const struct contact_route *route)
{
	char field[48];
	snprintf(field, sizeof field, "children[%zu]", index);
	char child_id[ID_MAX] = "";
	const char *given = front_str(entry, "child_id");
	if (given) {
		if (json_object_size(entry) != 1)
			return front_abort(req), front_fail(out, 422, field, "Give either child_id or a new child's details");
		if (front_count(req, "SELECT COUNT(*) FROM children WHERE id = $1", given, NULL, NULL) != 1)
			return front_abort(req), front_fail(out, 422, field, "No such child: search again");
		snprintf(child_id, sizeof child_id, "%s", given);
	} else {
		json_t *errs = json_array();
		if (record_validate(req->store, &entity_child, entry, false, errs)) {
			size_t i;
			json_t *e;
			json_array_foreach(errs, i, e) {
				char f[96];
				snprintf(f, sizeof f, "%s.%s", field, json_string_value(json_object_get(e, "field")));
				front_fail(out, 422, f, json_string_value(json_object_get(e, "message")));
			}
			json_decref(errs);
			return front_abort(req);
		}
		json_decref(errs);
		if (!birth_fields_ok(entry, field, out))
			return front_abort(req);
		if (front_insert(req, out, &entity_child, entry, NULL, 0, child_id) < 0)
			return -1;
		struct chronology_event ev = {.child_id = child_id, .event_type = "record_created",
		                              .summary = "Child's record created at the front door", .source_type = "child",
		                              .source_id = child_id};
		if (chronology_append(req->store, &ev, req->user.id, NULL) != STORE_OK)
			return front_abort(req), front_fail(out, 500, NULL, "The child's record could not be saved");
		if (front_audit(req, out, "create", "child", child_id, child_id) < 0)
			return -1;
	}
	for (size_t i = 0; i < json_array_size(cases); i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(cases, i), "child_id")), child_id) == 0)
			return front_abort(req), front_fail(out, 422, field, "The same child is listed twice");
	/* A child with an open case keeps it: the contact goes to the allocated worker (1.6.22, R-12). */
	char case_id[ID_MAX] = "";
	struct store_stmt *s = store_prepare(req->store, "SELECT id, stage FROM cases WHERE child_id = $1 AND "
	                                                 "closed_at IS NULL ORDER BY opened_at DESC LIMIT 1");
	if (s) {
		store_bind_text(s, 1, child_id);
		if (store_step(s) == STORE_ROW) {
			snprintf(case_id, sizeof case_id, "%s", store_col_text(s, 0));
			if (strcmp(store_col_text(s, 1), "contact") != 0)
				warn(out, "R-12", "1.6.22; 2.4.1",
				     "This child already has an open case: the contact is added to it and goes to the allocated "
				     "worker, or their manager or the duty worker in their absence");
		}
		store_reset(s);
	}
	if (!case_id[0]) {
		struct buf err;
		buf_init(&err, 2048);
		int rc = stage_open_case(req->store, child_id, route->team_id, route->allocated_user_id, "contact.create",
		                         "contact received", req->user.id, case_id, &err);
		buf_free(&err);
		if (rc != STAGE_OK)
			return front_abort(req), front_fail(out, 500, NULL, "The case could not be opened");
		struct front_case c = {.closed = false};
		snprintf(c.id, sizeof c.id, "%s", case_id);
		snprintf(c.child_id, sizeof c.child_id, "%s", child_id);
		if (front_chronology(req, out, &c, "case_opened", "Case opened at the front door", NULL, "case", case_id,
		                     NULL) < 0)
			return -1;
	}
	char link_id[ID_MAX], now[MOMENT_ISO_LEN];
	id_new("cch", link_id);
	moment_format(moment_now(), now);
	const char *vals[] = {link_id, contact_id, child_id, case_id, now, req->user.id};
	if (front_exec(req, out,
	               "INSERT INTO contact_children (id, contact_id, child_id, case_id, created_at, created_by) "
	               "VALUES ($1, $2, $3, $4, $5, $6)",
	               vals, 6) < 0)
		return -1;
	json_array_append_new(cases, json_pack("{s:s, s:s}", "child_id", child_id, "case_id", case_id));
	return 0;
}

/* The one contact command. by_referrer: the signed-in user is the professional making the referral (the partner
 * question pages), so they are the contact's referrer_user_id (their feedback is shown to them) and the case goes
 * to the front door rather than to them. */
static int contact_create(struct http_request *req, json_t *in, struct front_out *out, bool by_referrer)
{
	json_t *children = json_incref(json_object_get(in, "children"));
	json_object_del(in, "children");
	if (!json_is_array(children) || json_array_size(children) == 0 ||
	    json_array_size(children) > CONTACT_MAX_CHILDREN)
		front_fail(out, 422, "children", "Add the child or children the contact is about (search first)");
	const char *type = front_str(in, "referrer_type");
	if (type && strcmp(type, "ANONYMOUS") == 0)
		json_object_set_new(in, "anonymous", json_true());
	const char *channel = front_str(in, "channel");
	if (channel && strcmp(channel, "OUT_OF_HOURS_EDT") == 0)
		json_object_set_new(in, "out_of_hours", json_true());
	int rc = -1;
	if (front_begin(req, out) < 0)
		goto out;
	front_validate(req, &front_contact, in, false, out);
	check_contact(in, out);
	if (front_failed(out)) {
		front_abort(req);
		goto out;
	}
	struct http_kv referrer[] = {{"referrer_user_id", req->user.id}};
	if (front_insert(req, out, &front_contact, in, referrer, by_referrer ? 1 : 0, out->id) < 0)
		goto out;
	struct contact_route route = {req->user.team_id, req->user.id};
	if (by_referrer)
		route = (struct contact_route){front_door_team(req), NULL};
	json_t *cases = json_array();
	size_t i;
	json_t *entry;
	json_array_foreach(children, i, entry) {
		if (!json_is_object(entry)) {
			front_abort(req);
			front_fail(out, 422, "children", "Each child is an object: {\"child_id\": ...} or a new child's details");
			break;
		}
		if (add_child(req, out, out->id, entry, i, cases, &route) < 0)
			break;
	}
	if (front_failed(out)) {
		json_decref(cases);
		goto out;
	}
	struct front_case c;
	json_array_foreach(cases, i, entry) {
		memset(&c, 0, sizeof c);
		snprintf(c.id, sizeof c.id, "%s", json_string_value(json_object_get(entry, "case_id")));
		snprintf(c.child_id, sizeof c.child_id, "%s", json_string_value(json_object_get(entry, "child_id")));
		bool anon = front_true(in, "anonymous");
		char summary[200];
		snprintf(summary, sizeof summary, "Contact received (%s%s%s)",
		         enums_label("contact_type", front_str(in, "contact_type")),
		         anon ? ", anonymous" : "", front_true(in, "out_of_hours") ? ", out of hours" : "");
		if (front_chronology(req, out, &c, "contact", summary, front_true(in, "immediate_danger") ? "critical" : NULL,
		                     "contact", out->id, front_str(in, "received_at")) < 0)
			break;
	}
	if (!front_failed(out) && json_array_size(cases) == 1) {
		snprintf(out->case_id, sizeof out->case_id, "%s",
		         json_string_value(json_object_get(json_array_get(cases, 0), "case_id")));
		snprintf(out->child_id, sizeof out->child_id, "%s",
		         json_string_value(json_object_get(json_array_get(cases, 0), "child_id")));
	}
	json_decref(cases);
	if (front_failed(out))
		goto out;
	if (front_true(in, "immediate_danger"))
		warn(out, "T-03", "1.6.2; 1.6.18; 2.4.16",
		     "The child may be in immediate danger: make sure emergency services or the police have been called and "
		     "convert this contact to a referral now");
	if (front_audit(req, out, "create", "contact", out->id, out->child_id[0] ? out->child_id : NULL) < 0 ||
	    front_commit(req, out) < 0)
		goto out;
	rc = 0;
out:
	json_decref(children);
	return rc;
}

int front_contact_create(struct http_request *req, json_t *in, struct front_out *out)
{
	return contact_create(req, in, out, false);
}

int front_contact_submit(struct http_request *req, json_t *in, struct front_out *out)
{
	return contact_create(req, in, out, true);
}

/* The cases a contact opened or joined, with their children. */
static json_t *contact_cases(struct http_request *req, const char *contact_id)
{
	json_t *arr = json_array();
	struct store_stmt *s = store_prepare(req->store, "SELECT child_id, case_id FROM contact_children WHERE "
	                                                 "contact_id = $1 ORDER BY created_at, id");
	if (!s)
		return arr;
	store_bind_text(s, 1, contact_id);
	while (store_step(s) == STORE_ROW)
		json_array_append_new(arr, json_pack("{s:s, s:s}", "child_id", store_col_text(s, 0), "case_id",
		                                     store_col_text(s, 1)));
	return arr;
}

int front_contact_close(struct http_request *req, const char *contact_id, json_t *in, struct front_out *out)
{
	json_t *contact = front_row(req, &front_contact, contact_id);
	if (!contact)
		return front_fail(out, 404, NULL, "There is no such contact.");
	const char *reason = front_str(in, "reason");
	bool info_only = strcmp(json_string_value(json_object_get(contact, "contact_type")), "CONTACT_REFERRAL") != 0;
	const char *facts[] = {"contact_not_request_for_services"};
	json_t *cases = contact_cases(req, contact_id);
	int rc = -1;
	if (front_begin(req, out) < 0)
		goto out;
	size_t i;
	json_t *e;
	int closed = 0;
	json_array_foreach(cases, i, e) {
		struct front_case c;
		if (front_load_case(req, json_string_value(json_object_get(e, "case_id")), "contact.update", &c, out) < 0) {
			front_abort(req);
			goto out;
		}
		if (strcmp(c.stage, "contact") != 0)
			continue; /* a child whose case was already open is not closed by this contact */
		if (front_transition(req, out, &c, "closed", "contact.close", reason, facts, info_only ? 1 : 0, "contact",
		                     contact_id) < 0 ||
		    front_chronology(req, out, &c, "case_closed", "Contact closed without a referral", NULL, "contact",
		                     contact_id, NULL) < 0)
			goto out;
		closed++;
	}
	if (!closed) {
		front_abort(req);
		front_fail(out, 409, NULL, "None of this contact's cases is still at the contact stage");
		goto out;
	}
	const char *vals[] = {reason, contact_id};
	if (front_exec(req, out, "UPDATE contacts SET status = 'closed', closed_reason = $1 WHERE id = $2", vals, 2) < 0 ||
	    front_audit(req, out, "close", "contact", contact_id, out->child_id) < 0 || front_commit(req, out) < 0)
		goto out;
	snprintf(out->id, sizeof out->id, "%s", contact_id);
	rc = 0;
out:
	json_decref(cases);
	json_decref(contact);
	return rc;
}

static bool listed(json_t *ids, const char *child_id)
{
	if (!ids)
		return true;
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v) if (json_is_string(v) && strcmp(json_string_value(v), child_id) == 0) return true;
	return false;
}

/* One referral per child: its receipt is the clock start for the decision, the acknowledgement and the assessment
 * (2.4.2, 2.2.36; A-01). A spoken referral also starts the 48-hour written confirmation clock (1.6.23). */
static int convert_one(struct http_request *req, struct front_out *out, json_t *contact, json_t *in,
                       struct front_case *c, json_t *made)
{
	if (front_can(req, out, c, "referral", "referral.create") < 0)
		return -1;
	/* Without a time given (the contact page sends none), the receipt is now to the minute: the pages show and take
	 * moments by the minute, so a strategy discussion recorded for the minute shown is not "before" the referral. */
	int64_t received = front_moment(in, "received_at", moment_now() / 60 * 60);
	char received_iso[MOMENT_ISO_LEN];
	moment_format(received, received_iso);
	json_t *row = json_deep_copy(in);
	json_object_set_new(row, "received_at", json_string(received_iso));
	if (front_prebirth_gestation(req, c->child_id, received, row, true, out) < 0) { /* */
		json_decref(row);
		return front_abort(req);
	}
	static const char *const copied[] = {"parental_agreement", "parental_not_sought_reason",
	                                     "parental_reason_detail"};
	struct http_kv extra[3 + 3];
	int nextra = 0;
	extra[nextra++] = (struct http_kv){"contact_id", json_string_value(json_object_get(contact, "id"))};
	extra[nextra++] = (struct http_kv){"case_id", c->id};
	extra[nextra++] = (struct http_kv){"child_id", c->child_id};
	for (size_t i = 0; i < 3; i++) {
		const char *v = json_string_value(json_object_get(contact, copied[i]));
		if (v)
			extra[nextra++] = (struct http_kv){copied[i], v};
	}
	char ref_id[ID_MAX];
	int rc = front_insert(req, out, &front_referral_create, row, extra, nextra, ref_id);
	json_decref(row);
	if (rc < 0)
		return -1;
	const char *conds[] = {"paediatric_same_day"};
	if (front_event(req, out, c, "referral_received", received, ref_id, NULL, 0, conds,
	                front_true(in, "paediatric_same_day") ? 1 : 0) < 0)
		return -1;
	if (front_true(in, "verbal") && front_event(req, out, c, "verbal_referral_made", received, ref_id, NULL, 0,
	                                            NULL, 0) < 0)
		return -1;
	if (front_transition(req, out, c, "referral", "referral.create", NULL, NULL, 0, "referral", ref_id) < 0)
		return -1;
	if (front_chronology(req, out, c, "referral", front_true(in, "verbal") ? "Referral received (spoken; written "
	                                                                         "confirmation due within 48 hours)"
	                                                                       : "Referral received",
	                     front_true(in, "immediate_protection_needed") ? "critical" : "significant", "referral",
	                     ref_id, received_iso) < 0 ||
	    front_audit(req, out, "create", "referral", ref_id, c->child_id) < 0)
		return -1;
	json_array_append_new(made, json_pack("{s:s, s:s, s:s}", "referral_id", ref_id, "case_id", c->id, "child_id",
	                                      c->child_id));
	snprintf(out->id, sizeof out->id, "%s", ref_id);
	return 0;
}

int front_contact_convert(struct http_request *req, const char *contact_id, json_t *in, struct front_out *out)
{
	json_t *contact = front_row(req, &front_contact, contact_id);
	if (!contact)
		return front_fail(out, 404, NULL, "There is no such contact.");
	json_t *ids = json_incref(json_object_get(in, "child_ids"));
	json_object_del(in, "child_ids");
	json_t *cases = contact_cases(req, contact_id);
	json_t *made = json_array();
	int rc = -1;
	if (ids && (!json_is_array(ids) || json_array_size(ids) == 0)) {
		front_fail(out, 422, "child_ids", "child_ids lists the children to refer (leave it out for all of them)");
		goto out;
	}
	if (front_begin(req, out) < 0)
		goto out;
	if (front_validate(req, &front_referral_create, in, false, out) < 0) {
		front_abort(req);
		goto out;
	}
	size_t i;
	json_t *e;
	json_array_foreach(cases, i, e) {
		const char *child = json_string_value(json_object_get(e, "child_id"));
		if (!listed(ids, child))
			continue;
		struct front_case c;
		if (front_load_case(req, json_string_value(json_object_get(e, "case_id")), "referral.record", &c, out) < 0) {
			front_abort(req);
			goto out;
		}
		if (convert_one(req, out, contact, in, &c, made) < 0)
			goto out;
	}
	if (json_array_size(made) == 0 || (ids && json_array_size(made) != json_array_size(ids))) {
		front_abort(req);
		front_fail(out, 422, "child_ids", "Choose children this contact is about");
		goto out;
	}
	const char *vals[] = {contact_id};
	if (front_exec(req, out, "UPDATE contacts SET status = 'converted' WHERE id = $1", vals, 1) < 0 ||
	    front_commit(req, out) < 0)
		goto out;
	if (json_array_size(made) == 1) {
		snprintf(out->case_id, sizeof out->case_id, "%s",
		         json_string_value(json_object_get(json_array_get(made, 0), "case_id")));
	}
	rc = 0;
out:
	json_decref(made);
	json_decref(cases);
	json_decref(ids);
	json_decref(contact);
	return rc;
}

/* ---- the JSON API ---- */

/* A contact is visible to whoever may read one of its children. */
static bool contact_allowed(struct http_request *req, const char *contact_id, const char *action)
{
	json_t *cases = id_valid(contact_id) ? contact_cases(req, contact_id) : json_array();
	bool ok = false;
	size_t i;
	json_t *e;
	json_array_foreach(cases, i, e) ok =
		ok || policy_child(req->store, &req->user, action, json_string_value(json_object_get(e, "child_id")));
	json_decref(cases);
	if (!ok)
		web_forbidden(req, action, NULL);
	return ok;
}

static void h_create(struct http_request *req)
{
	json_t *in = command_input_or_respond(req, NULL);
	if (!in)
		return;
	struct front_out out;
	front_out_init(&out);
	front_contact_create(req, in, &out);
	json_decref(in);
	if (!out.status) {
		char loc[96];
		snprintf(loc, sizeof loc, "/api/v1/contacts/%s", out.id);
		http_header(req, "Location", loc);
	}
	front_respond(req, &out, 201, out.status ? NULL : front_contact_view(req, out.id));
	front_out_free(&out);
}

static void h_get(struct http_request *req)
{
	const char *id = http_param(req, 0);
	if (!contact_allowed(req, id, "child.read"))
		return;
	json_t *v = front_contact_view(req, id);
	if (!v) {
		web_not_found(req);
		return;
	}
	command_audit_read(req, "contact", id, NULL);
	http_json(req, 200, v);
}

static void h_update(struct http_request *req)
{
	const char *id = http_param(req, 0);
	if (!contact_allowed(req, id, "contact.update"))
		return;
	json_t *in = command_input_or_respond(req, NULL);
	if (!in)
		return;
	struct front_out out;
	front_out_init(&out);
	json_t *cases = contact_cases(req, id);
	if (front_begin(req, &out) == 0) {
		struct front_case c;
		bool ok = front_load_case(req, json_string_value(json_object_get(json_array_get(cases, 0), "case_id")),
		                          "contact.update", &c, &out) == 0 &&
		          front_in_stage(req, &out, &c, "contact.update") == 0 &&
		          front_validate(req, &front_contact, in, true, &out) == 0;
		if (ok) {
			json_t *merged = front_row(req, &front_contact, id);
			json_object_update(merged, in);
			check_contact(merged, &out);
			json_decref(merged);
			ok = !front_failed(&out);
		}
		if (!ok)
			front_abort(req);
		else if (front_update(req, &out, &front_contact, id, in) == 0 &&
		         front_audit(req, &out, "update", "contact", id, c.child_id) == 0)
			front_commit(req, &out);
	}
	json_decref(cases);
	json_decref(in);
	front_respond(req, &out, 200, out.status ? NULL : front_contact_view(req, id));
	front_out_free(&out);
}

static void h_close(struct http_request *req)
{
	const char *id = http_param(req, 0);
	if (!contact_allowed(req, id, "contact.update"))
		return;
	json_t *in = command_input_or_respond(req, NULL);
	if (!in)
		return;
	struct front_out out;
	front_out_init(&out);
	front_contact_close(req, id, in, &out);
	json_decref(in);
	front_respond(req, &out, 200, out.status ? NULL : front_contact_view(req, id));
	front_out_free(&out);
}

static void h_convert(struct http_request *req)
{
	const char *id = http_param(req, 0);
	if (!contact_allowed(req, id, "referral.record"))
		return;
	json_t *in = command_input_or_respond(req, NULL);
	if (!in)
		return;
	struct front_out out;
	front_out_init(&out);
	front_contact_convert(req, id, in, &out);
	json_decref(in);
	front_respond(req, &out, 201, out.status ? NULL : front_contact_view(req, id));
	front_out_free(&out);
}

const struct route contact_routes[] = {
	{HTTP_POST, "/api/v1/contacts", h_create, "contact.create"},
	{HTTP_GET, "/api/v1/contacts/:id", h_get, "child.read"},
	{HTTP_PATCH, "/api/v1/contacts/:id", h_update, "contact.update"},
	{HTTP_POST, "/api/v1/contacts/:id/close", h_close, "contact.update"},
	{HTTP_POST, "/api/v1/contacts/:id/referrals", h_convert, "referral.record"},
	{0},
};
