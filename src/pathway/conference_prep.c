/* Getting a conference ready: invitations and attendance (4.3, 4.4.1), the child's participation (4.4.3-4.4.18),
 * reports with their backward deadlines (4.7, T-54..T-56), exclusion of a parent (4.5, ST-16a) and the sections of
 * the record the chair writes and may withhold from the parents (4.14.5). */
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "domain/enums.h"
#include "pathway/back.h"

static bool open_for_preparation(json_t *c, struct back_out *o)
{
	if (strcmp(json_string_value(json_object_get(c, "status")), "held") == 0) {
		back_fail(o, 409, NULL, "The conference has been held and its decision recorded: this can no longer change");
		return false;
	}
	return true;
}

static const char *first_child(json_t *c)
{
	return json_string_value(json_object_get(json_array_get(json_object_get(c, "children"), 0), "child_id"));
}

/* One audit entry per child the conference covers, so each child's access history is complete. */
static int audit_children(struct http_request *req, struct back_out *o, json_t *c, const char *action,
                          const char *object_type, const char *object_id)
{
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(c, "children"), i, k) {
		if (back_audit(req, o, action, object_type, object_id, json_string_value(json_object_get(k, "child_id"))) < 0)
			return -1;
	}
	return 0;
}

/* A clock event and a chronology entry on every child's case. */
static int each_child_event(struct http_request *req, struct back_out *o, json_t *c, const char *event, int64_t at,
                            const char *subject_id, const char *summary, const char *source_type,
                            const char *source_id)
{
	char iso[MOMENT_ISO_LEN];
	moment_format(at, iso);
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(c, "children"), i, k) {
		const char *child = json_string_value(json_object_get(k, "child_id"));
		const char *case_id = json_string_value(json_object_get(k, "case_id"));
		if (event && back_clock(req, o, case_id, child, event, at, subject_id, NULL) < 0)
			return -1;
		if (summary && back_chronology(req, o, child, case_id, iso, "conference", "routine", summary, source_type,
		                               source_id) < 0)
			return -1;
	}
	return 0;
}

static void finish(struct http_request *req, struct back_out *o, json_t *c, const struct entity *e,
                   const char *subject_type)
{
	if (o->status == BACK_OK)
		back_commit(req, o, subject_type, o->id);
	if (o->status != BACK_OK) {
		store_rollback(req->store);
	} else {
		o->result = record_get(req->store, e, o->id);
	}
	json_decref(c);
}

static bool is_family_role(const char *role)
{
	return role && (strcmp(role, "PARENT") == 0 || strcmp(role, "PERSON_WITH_PR") == 0 ||
	                strcmp(role, "FAMILY_MEMBER") == 0);
}

/* an observer needs both the chair's and the family's consent beforehand (4.3.5). */
static void check_observer(struct back_out *o, const char *role, bool chair_ok, bool family_ok)
{
	if (role && strcmp(role, "PROFESSIONAL_OBSERVER") == 0 && (!chair_ok || !family_ok))
		back_refuse(o, 422, chair_ok ? "observer_family_consent" : "observer_chair_consent", "R-60", "4.3.5",
		            "A professional observer may attend only with the consent of both the chair and the family");
}

void conference_invite(struct http_request *req, const char *conf_id, json_t *in, struct back_out *o)
{
	json_t *c = conference_load(req, conf_id, "conference.schedule", false, o);
	if (!c)
		return;
	const char *user = back_str(in, "user_id"), *person = back_str(in, "person_id");
	if (!back_str(in, "name") && user && id_valid(user))
		json_object_set_new(in, "name", json_string(back_user_name(req, user)));
	if (!back_str(in, "name") && person && id_valid(person)) {
		const char *n = back_lookup(req, "SELECT forenames || ' ' || surname FROM persons WHERE id = $1", person);
		if (n)
			json_object_set_new(in, "name", json_string(n));
	}
	char now[MOMENT_ISO_LEN];
	moment_format(moment_now(), now);
	if (!json_object_get(in, "sent_at"))
		json_object_set_new(in, "sent_at", json_string(now));
	if (back_begin(req, o) < 0) {
		json_decref(c);
		return;
	}
	if (open_for_preparation(c, o))
		back_validate(req, o, &back_invitation, in, false);
	const char *role = back_str(in, "attendee_role");
	if (o->status == BACK_OK) {
		if (user && !back_user_role(req, user))
			back_fail(o, 422, "user_id", "That user cannot sign in");
		check_observer(o, role, back_bool(in, "observer_chair_consent"), back_bool(in, "observer_family_consent"));
		if (role && (strcmp(role, "PARENT") == 0 || strcmp(role, "PERSON_WITH_PR") == 0)) {
			if (!back_bool(in, "pre_meeting_offered"))
				back_warn(o, first_child(c), NULL, "warning", "R-57", "4.4.1",
				          "Offer each parent a meeting with the chair before the conference");
			if (back_bool(in, "interpreter_needed"))
				back_warn(o, first_child(c), NULL, "warning", "R-57", "4.4.1; 4.14.9",
				          "Book a professional interpreter: a family member must not interpret");
		}
	}
	if (o->status != BACK_OK) {
		finish(req, o, c, &back_invitation, "conference");
		return;
	}
	/* A user invited gets the conference papers through the access policy for as long as the case is open. */
	struct buf members;
	buf_init(&members, 4096);
	size_t i;
	json_t *k;
	if (user && !is_family_role(role)) {
		json_array_foreach(json_object_get(c, "children"), i, k) {
			char mid[ID_MAX];
			if (back_add_member(req, json_string_value(json_object_get(k, "case_id")),
			                    json_string_value(json_object_get(k, "child_id")), user, "conference_invitee",
			                    mid) != STORE_OK) {
				back_store_fail(o, STORE_ERR);
				break;
			}
			buf_addf(&members, "%s%s", members.len ? "," : "", mid);
		}
	}
	struct http_kv extra[] = {{"conference_id", conf_id}, {"case_member_ids", members.len ? buf_str(&members) : NULL}};
	int rc = o->status ? STORE_ERR : record_insert(req->store, &back_invitation, in, extra, 2, req->user.id, o->id);
	buf_free(&members);
	if (o->status == BACK_OK && rc != STORE_OK)
		back_store_fail(o, rc);
	if (o->status == BACK_OK)
		audit_children(req, o, c, "create", "invitation", o->id);
	finish(req, o, c, &back_invitation, "conference");
}

void conference_attendance(struct http_request *req, const char *inv_id, json_t *in, struct back_out *o)
{
	json_t *inv = record_get(req->store, &back_invitation, inv_id);
	if (!inv) {
		back_fail(o, 404, NULL, "There is no such invitation");
		return;
	}
	const char *conf_id = arena_strdup(&req->arena, json_string_value(json_object_get(inv, "conference_id")));
	json_t *c = conference_load(req, conf_id, "conference.schedule", false, o);
	if (!c) {
		json_decref(inv);
		return;
	}
	snprintf(o->id, ID_MAX, "%s", inv_id);
	if (back_begin(req, o) < 0) {
		json_decref(inv);
		json_decref(c);
		return;
	}
	json_object_del(in, "name");
	json_object_del(in, "attendee_role");
	if (open_for_preparation(c, o))
		back_validate(req, o, &back_invitation, in, true);
	const char *role = json_string_value(json_object_get(inv, "attendee_role"));
	if (o->status == BACK_OK) {
		json_t *merged = json_deep_copy(inv);
		json_object_update(merged, in);
		check_observer(o, role, json_is_true(json_object_get(merged, "observer_chair_consent")),
		               json_is_true(json_object_get(merged, "observer_family_consent")));
		const char *mode = json_string_value(json_object_get(merged, "attendance"));
		if (mode && strcmp(mode, "APOLOGIES_WITH_REPORT_AND_DELEGATE") == 0 &&
		    !json_string_value(json_object_get(merged, "delegate_name")))
			back_warn(o, first_child(c), NULL, "warning", "R-61", "4.3.6",
			          "An invitee who cannot attend must send a written report and a well-briefed delegate: name "
			          "the delegate");
		if (mode && strcmp(mode, "DID_NOT_ATTEND") == 0 && !is_family_role(role))
			back_warn(o, first_child(c), NULL, "warning", "R-61", "4.3.6",
			          "%s did not attend: every agency must still send a written report",
			          json_string_value(json_object_get(merged, "name")));
		json_decref(merged);
	}
	json_decref(inv);
	if (o->status == BACK_OK) {
		int rc = record_update(req->store, &back_invitation, inv_id, in, req->user.id);
		if (rc != STORE_OK && rc != STORE_DONE)
			back_store_fail(o, rc);
	}
	if (o->status == BACK_OK)
		audit_children(req, o, c, "update", "invitation", inv_id);
	finish(req, o, c, &back_invitation, "conference");
}

static bool attends(const char *p)
{
	return p && strncmp(p, "ATTEND_", 7) == 0;
}

void conference_participation(struct http_request *req, const char *conf_id, json_t *in, struct back_out *o)
{
	json_t *c = conference_load(req, conf_id, "conference.schedule", false, o);
	if (!c)
		return;
	const char *child = back_str(in, "child_id");
	child = child ? arena_strdup(&req->arena, child) : NULL; /* the input's copy goes when child_id is removed */
	const char *case_id = NULL;
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(c, "children"), i, k) {
		if (child && strcmp(child, json_string_value(json_object_get(k, "child_id"))) == 0)
			case_id = json_string_value(json_object_get(k, "case_id"));
	}
	if (back_begin(req, o) < 0) {
		json_decref(c);
		return;
	}
	if (!case_id)
		back_fail(o, 422, "child_id", "Choose a child the conference is about");
	static const char *const allowed[] = {"child_id", "participation", "child_wish", "parents_view_on_attending",
	                                      "csrf", NULL};
	const char *key;
	json_t *v;
	json_object_foreach(in, key, v) {
		bool ok = false;
		for (const char *const *a = allowed; *a; a++)
			ok = ok || strcmp(*a, key) == 0;
		if (!ok)
			back_fail(o, 422, key, "%s is not part of the child's participation", key);
	}
	json_object_del(in, "child_id");
	json_object_del(in, "csrf");
	if (open_for_preparation(c, o) && o->status == BACK_OK)
		back_validate(req, o, &back_conference_child, in, true);
	const char *p = back_str(in, "participation");
	if (o->status == BACK_OK && !p)
		back_fail(o, 422, "participation", "Choose how the child takes part");
	if (o->status == BACK_OK) {
		int age = back_age_years(req, child, date_today());
		if (age >= 12 && !attends(p) && strcmp(p, "DECLINED") != 0)
			back_warn(o, child, case_id, "warning", "R-59", "4.4.7",
			          "A child of 12 or over should be offered the chance to attend, unless they have said they do "
			          "not want to");
		if (age >= 0 && age < 12 && attends(p))
			back_warn(o, child, case_id, "warning", "R-59", "4.4.6; 4.4.7",
			          "A child under 12 is presumed unlikely to take part directly: record why attending will "
			          "benefit them");
		int rc = back_exec(req, "UPDATE conference_children SET participation = $1, child_wish = $2, "
		                        "parents_view_on_attending = $3 WHERE conference_id = $4 AND child_id = $5",
		                   5, p, back_str(in, "child_wish"), back_str(in, "parents_view_on_attending"), conf_id, child);
		if (rc != STORE_OK)
			back_store_fail(o, rc);
	}
	if (o->status == BACK_OK && back_audit(req, o, "update", "conference", conf_id, child) == 0)
		back_commit(req, o, "conference", conf_id);
	if (o->status != BACK_OK)
		store_rollback(req->store);
	else
		o->result = conference_view_after(req, conf_id);
	snprintf(o->id, ID_MAX, "%s", conf_id);
	json_decref(c);
}

void conference_report(struct http_request *req, const char *conf_id, json_t *in, struct back_out *o)
{
	json_t *c = conference_load(req, conf_id, "conference.contribute", false, o);
	if (!c)
		return;
	char now[MOMENT_ISO_LEN];
	moment_format(moment_now(), now);
	if (!json_object_get(in, "submitted_at"))
		json_object_set_new(in, "submitted_at", json_string(now));
	if (back_begin(req, o) < 0) {
		json_decref(c);
		return;
	}
	if (open_for_preparation(c, o))
		back_validate(req, o, &back_report, in, false);
	const char *type = back_str(in, "report_type");
	int64_t at = 0;
	if (o->status == BACK_OK) {
		back_moment(in, "submitted_at", &at);
		if (at > moment_now() + 60)
			back_fail(o, 422, "submitted_at", "A report cannot be given in the future");
		if (strcmp(type, "REPORT_AGENCY") == 0 && !back_str(in, "agency_id"))
			back_refuse(o, 422, "agency_id", "R-56", "4.7.9", "Say which agency the report is from");
		if (back_bool(in, "withheld_from_family") && !back_str(in, "withholding_reason"))
			back_refuse(o, 422, "withholding_reason", "R-67", "4.14.5",
			            "Give the reason the report is withheld from the family");
		if (!back_bool(in, "fact_opinion_distinguished"))
			back_warn(o, first_child(c), NULL, "warning", "R-68", "4.7.1",
			          "A report must keep fact, allegation and opinion apart");
		if (strcmp(type, "REPORT_CSC") == 0 && !back_bool(in, "each_child_considered"))
			back_warn(o, first_child(c), NULL, "warning", "R-68", "4.7.3; 4.7.6",
			          "The social care report must cover every child in the household");
	}
	struct http_kv extra[] = {{"conference_id", conf_id}, {"author_user_id", req->user.id}};
	if (o->status == BACK_OK) {
		int rc = record_insert(req->store, &back_report, in, extra, 2, req->user.id, o->id);
		if (rc != STORE_OK)
			back_store_fail(o, rc);
	}
	/* The backward clocks of this conference stop when the report reaches the chair (T-55) or, for agencies,
	 * the chair and attendees (T-56). Contributions from the child or family have no deadline. */
	const char *event = strcmp(type ? type : "", "REPORT_CSC") == 0      ? "report_sent_to_chair"
	                    : strcmp(type ? type : "", "REPORT_AGENCY") == 0 ? "agency_report_submitted"
	                                                                     : NULL;
	if (o->status == BACK_OK &&
	    each_child_event(req, o, c, event, at, conf_id,
	                     arena_printf(&req->arena, "%s given for the conference", enums_label("conference_report_type", type)),
	                     "conference_report", o->id) == 0)
		audit_children(req, o, c, "create", "conference_report", o->id);
	finish(req, o, c, &back_report, "conference_report");
}

void conference_report_shared(struct http_request *req, const char *report_id, json_t *in, struct back_out *o)
{
	json_t *r = record_get(req->store, &back_report, report_id);
	if (!r) {
		back_fail(o, 404, NULL, "There is no such report");
		return;
	}
	const char *conf_id = arena_strdup(&req->arena, json_string_value(json_object_get(r, "conference_id")));
	bool withheld = json_is_true(json_object_get(r, "withheld_from_family"));
	bool csc = strcmp(json_string_value(json_object_get(r, "report_type")), "REPORT_CSC") == 0;
	json_decref(r);
	json_t *c = conference_load(req, conf_id, "conference.contribute", false, o);
	if (!c)
		return;
	snprintf(o->id, ID_MAX, "%s", report_id);
	int64_t at = moment_now();
	int has = back_moment(in, "shared_with_family_at", &at);
	if (back_begin(req, o) < 0) {
		json_decref(c);
		return;
	}
	if (has < 0)
		back_fail(o, 422, "shared_with_family_at", "Give the date and time it was shared, like 2026-03-27T14:30");
	else if (at > moment_now() + 60)
		back_fail(o, 422, "shared_with_family_at", "The date cannot be in the future");
	if (withheld)
		back_refuse(o, 409, NULL, "R-67", "4.14.5", "This report is withheld from the family");
	if (!csc)
		back_fail(o, 409, NULL, "Only the social care report is shared with the family by social care (4.7.7)");
	char iso[MOMENT_ISO_LEN];
	moment_format(at, iso);
	if (o->status == BACK_OK) {
		int rc = back_exec(req, "UPDATE conference_reports SET shared_with_family_at = $1 WHERE id = $2", 2, iso,
		                   report_id);
		if (rc != STORE_OK)
			back_store_fail(o, rc);
	}
	if (o->status == BACK_OK &&
	    each_child_event(req, o, c, "report_shared_with_family", at, conf_id,
	                     "The social care report was shared with the family", "conference_report", report_id) == 0)
		audit_children(req, o, c, "update", "conference_report", report_id);
	finish(req, o, c, &back_report, "conference_report");
}

/* Grounds as a comma-separated list of 3.14 codes, from an array or a string. */
static const char *normalise_grounds(struct http_request *req, struct back_out *o, json_t *v)
{
	struct buf b;
	buf_init(&b, 1024);
	json_t *list = json_is_array(v) ? json_incref(v) : json_array();
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		for (const char *p = s; p && *p;) {
			const char *end = strchr(p, ',');
			size_t n = end ? (size_t)(end - p) : strlen(p);
			json_array_append_new(list, json_stringn(p, n));
			p = end ? end + 1 : NULL;
		}
	}
	size_t i;
	json_t *g;
	json_array_foreach(list, i, g) {
		const char *code = json_string_value(g);
		if (!code || !enums_label("exclusion_ground", code)) {
			back_refuse(o, 422, "grounds", "R-58", "4.5.1", "Each ground must be one of those in 4.5.1");
			break;
		}
		buf_addf(&b, "%s%s", b.len ? "," : "", code);
	}
	json_decref(list);
	if (!b.len && !o->status)
		back_refuse(o, 422, "grounds", "R-58", "4.5.1", "Choose the grounds for excluding them");
	const char *out = arena_strdup(&req->arena, buf_str(&b));
	buf_free(&b);
	return out;
}

void conference_exclusion_request(struct http_request *req, const char *conf_id, json_t *in, struct back_out *o)
{
	json_t *c = conference_load(req, conf_id, "conference.contribute", false, o);
	if (!c)
		return;
	if (back_begin(req, o) < 0) {
		json_decref(c);
		return;
	}
	const char *grounds = normalise_grounds(req, o, json_object_get(in, "grounds"));
	if (grounds && *grounds)
		json_object_set_new(in, "grounds", json_string(grounds));
	if (open_for_preparation(c, o))
		back_validate(req, o, &back_exclusion, in, false);
	const char *person = back_str(in, "person_id");
	if (o->status == BACK_OK) {
		bool linked = false;
		size_t i;
		json_t *k;
		json_array_foreach(json_object_get(c, "children"), i, k) {
			struct store_stmt *s = store_prepare(
				req->store, "SELECT 1 FROM relationships WHERE child_id = $1 AND person_id = $2");
			store_bind_text(s, 1, json_string_value(json_object_get(k, "child_id")));
			store_bind_text(s, 2, person);
			linked = linked || store_step(s) == STORE_ROW;
			store_reset(s);
		}
		if (!linked)
			back_fail(o, 422, "person_id", "Only a parent or family member linked to the child can be excluded");
	}
	char now[MOMENT_ISO_LEN];
	moment_format(moment_now(), now);
	struct http_kv extra[] = {{"conference_id", conf_id}, {"requested_by", req->user.id}, {"requested_at", now}};
	if (o->status == BACK_OK) {
		int rc = record_insert(req->store, &back_exclusion, in, extra, 3, req->user.id, o->id);
		if (rc != STORE_OK)
			back_store_fail(o, rc);
	}
	if (o->status == BACK_OK &&
	    each_child_event(req, o, c, "exclusion_request_made", moment_now(), conf_id,
	                     "The chair was asked to exclude a family member from the conference", "conference_exclusion",
	                     o->id) == 0)
		audit_children(req, o, c, "create", "conference_exclusion", o->id);
	finish(req, o, c, &back_exclusion, "conference_exclusion");
}

void conference_exclusion_decide(struct http_request *req, const char *excl_id, json_t *in, struct back_out *o)
{
	json_t *x = record_get(req->store, &back_exclusion, excl_id);
	if (!x) {
		back_fail(o, 404, NULL, "There is no such exclusion request");
		return;
	}
	const char *conf_id = arena_strdup(&req->arena, json_string_value(json_object_get(x, "conference_id")));
	const char *person = arena_strdup(&req->arena, json_string_value(json_object_get(x, "person_id")));
	json_decref(x);
	json_t *c = conference_load(req, conf_id, "conference.decide", true, o);
	if (!c)
		return;
	snprintf(o->id, ID_MAX, "%s", excl_id);
	if (back_begin(req, o) < 0) {
		json_decref(c);
		return;
	}
	if (open_for_preparation(c, o))
		back_validate(req, o, &back_exclusion_decision, in, false);
	const char *d = back_str(in, "decision");
	if (o->status == BACK_OK && strcmp(d, "EXCL_NONE") != 0) {
		const char *copy = back_str(in, "receives_record");
		if (!back_str(in, "period"))
			back_refuse(o, 422, "period", "R-58", "4.5.5; 4.5.11",
			            "Say for how long they are excluded: the minimum time necessary, and never carried forward");
		if (!back_str(in, "views_arrangements"))
			back_refuse(o, 422, "views_arrangements", "R-58", "4.5.10",
			            "Say how their views will be recorded and presented to the conference");
		if (!copy)
			back_refuse(o, 422, "receives_record", "R-58", "4.4.1; 4.5.10",
			            "Decide whether they receive the conference record");
		else if (strcmp(d, "EXCL_PART") == 0 && strcmp(copy, "NONE") == 0)
			back_refuse(o, 422, "receives_record", "R-58", "4.4.1",
			            "A parent excluded from part of the conference must receive at least the record of the part "
			            "they attended");
		int64_t when = 0;
		moment_parse(json_string_value(json_object_get(c, "scheduled_at")), &when);
		if (moment_now() < when && !back_str(in, "communicated_in_writing_at"))
			back_refuse(o, 422, "communicated_in_writing_at", "R-58", "4.5.9",
			            "Decided before the conference: tell them in writing how to give their views, how they will "
			            "hear the outcome and how to complain, and record the date");
	}
	char now[MOMENT_ISO_LEN];
	moment_format(moment_now(), now);
	if (o->status == BACK_OK) {
		json_object_set_new(in, "decided_by", json_string(req->user.id));
		json_object_set_new(in, "decided_at", json_string(now));
		int rc = record_update(req->store, &back_exclusion, excl_id, in, NULL);
		if (rc == STORE_OK && strcmp(d, "EXCL_NONE") != 0)
			rc = back_exec(req, "UPDATE conference_invitations SET attendance = 'EXCLUDED' WHERE conference_id = $1 "
			                    "AND person_id = $2",
			               2, conf_id, person);
		if (rc != STORE_OK)
			back_store_fail(o, rc);
	}
	if (o->status == BACK_OK &&
	    each_child_event(req, o, c, NULL, moment_now(), conf_id,
	                     arena_printf(&req->arena, "The chair decided on a request to exclude a family member: %s",
	                                  enums_label("exclusion_extent", d)),
	                     "conference_exclusion", excl_id) == 0)
		audit_children(req, o, c, "update", "conference_exclusion", excl_id);
	finish(req, o, c, &back_exclusion, "conference_exclusion");
}

void conference_note(struct http_request *req, const char *conf_id, json_t *in, struct back_out *o)
{
	json_t *c = conference_load(req, conf_id, "conference.decide", true, o);
	if (!c)
		return;
	if (back_begin(req, o) < 0) {
		json_decref(c);
		return;
	}
	back_validate(req, o, &back_note, in, false);
	if (o->status == BACK_OK && back_bool(in, "withheld_from_parents") && !back_str(in, "withholding_reason"))
		back_refuse(o, 422, "withholding_reason", "R-67", "4.14.5",
		            "Give the reason this part is left out of the parents' copy");
	struct http_kv extra[] = {{"conference_id", conf_id}};
	if (o->status == BACK_OK) {
		int rc = record_insert(req->store, &back_note, in, extra, 1, req->user.id, o->id);
		if (rc != STORE_OK)
			back_store_fail(o, rc);
	}
	if (o->status == BACK_OK)
		audit_children(req, o, c, "create", "conference_note", o->id);
	finish(req, o, c, &back_note, "conference");
}

/* ---- the API ---- */

static void h_invite(struct http_request *req)
{
	back_api_run(req, conference_invite, 201);
}
static void h_attendance(struct http_request *req)
{
	back_api_run(req, conference_attendance, 200);
}
static void h_participation(struct http_request *req)
{
	back_api_run(req, conference_participation, 200);
}
static void h_report(struct http_request *req)
{
	back_api_run(req, conference_report, 201);
}
static void h_report_shared(struct http_request *req)
{
	back_api_run(req, conference_report_shared, 200);
}
static void h_exclusion(struct http_request *req)
{
	back_api_run(req, conference_exclusion_request, 201);
}
static void h_exclusion_decide(struct http_request *req)
{
	back_api_run(req, conference_exclusion_decide, 200);
}
static void h_note(struct http_request *req)
{
	back_api_run(req, conference_note, 201);
}

const struct route conference_prep_routes[] = {
	{HTTP_POST, "/api/v1/conferences/:id/invitations", h_invite, "conference.schedule"},
	{HTTP_PATCH, "/api/v1/conference-invitations/:id", h_attendance, "conference.schedule"},
	{HTTP_POST, "/api/v1/conferences/:id/participation", h_participation, "conference.schedule"},
	{HTTP_POST, "/api/v1/conferences/:id/reports", h_report, "conference.contribute"},
	{HTTP_POST, "/api/v1/conference-reports/:id/shared", h_report_shared, "conference.contribute"},
	{HTTP_POST, "/api/v1/conferences/:id/exclusions", h_exclusion, "conference.contribute"},
	{HTTP_POST, "/api/v1/conference-exclusions/:id/decision", h_exclusion_decide, "conference.decide"},
	{HTTP_POST, "/api/v1/conferences/:id/notes", h_note, "conference.decide"},
	{0},
};
