/* The HTML pages of the front half of the pathway: the case's pathway page, recording a contact (search first, then
 * the contact with its children), a contact's page (convert to referrals, or close), and every command form drawn
 * from the form table. Pages call the same commands as the JSON API; a refused form is drawn again with the GOV.UK
 * error summary and everything typed; warnings are shown on a confirmation page and kept on the transition. */
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "api/records.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/entities.h"
#include "domain/enums.h"
#include "pathway/front.h"
#include "pathway/front_forms.h"
#include "policy/policy.h"

static const char *long_moment(struct http_request *req, const char *iso)
{
	static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
	                                     "July",    "August",   "September", "October", "November", "December"};
	int32_t d;
	int h = 0, m = 0, s;
	int64_t t;
	bool timed = iso && strlen(iso) > 10;
	if (!iso)
		return "";
	if (timed ? moment_parse(iso, &t) < 0 : date_parse(iso, &d) < 0)
		return iso;
	if (timed)
		moment_to_local(t, &d, &h, &m, &s);
	int y, mo, dd;
	date_to_ymd(d, &y, &mo, &dd);
	if (!timed)
		return arena_printf(&req->arena, "%d %s %d", dd, months[mo - 1], y);
	return arena_printf(&req->arena, "%d %s %d, %02d:%02d", dd, months[mo - 1], y, h, m);
}

static const char *label_of(const char *list, json_t *code)
{
	const char *c = json_string_value(code);
	const char *l = c ? enums_label(list, c) : NULL;
	return l ? l : c ? c : "";
}

/* Shows the warnings of a command that succeeded, or goes straight on when there are none. */
static void done(struct http_request *req, struct front_out *out, const char *next, const char *what)
{
	if (json_array_size(out->warnings) == 0) {
		http_redirect(req, next);
		return;
	}
	json_t *ctx = json_pack("{s:s, s:s, s:O}", "next", next, "what", what, "warnings", out->warnings);
	web_page(req, 200, "pathway/done", "Saved, with points to act on", ctx);
}

/* ---- the case's pathway page ---- */

static void decorate(struct http_request *req, json_t *rows, const char *owner, const char *stage, const char *date_key)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		const char *id = json_string_value(json_object_get(r, "id"));
		json_object_set_new(r, "links", front_form_links(req, owner, id, stage));
		if (date_key)
			json_object_set_new(r, "when",
			                    json_string(long_moment(req, json_string_value(json_object_get(r, date_key)))));
	}
}

static void h_case(struct http_request *req)
{
	struct front_out out;
	front_out_init(&out);
	struct front_case c;
	if (front_load_case(req, http_param(req, 0), "child.read", &c, &out) < 0) {
		front_respond_failure(req, &out);
		front_out_free(&out);
		return;
	}
	front_out_free(&out);
	json_t *v = front_case_view(req, c.id);
	json_t *child = record_get(req->store, &entity_child, c.child_id);
	const char *stage = c.closed ? "closed" : c.stage;
	json_object_set_new(v, "child_name", json_sprintf("%s %s", json_string_value(json_object_get(child, "forenames")),
	                                                  json_string_value(json_object_get(child, "surname"))));
	json_object_set_new(v, "child_id", json_string(c.child_id));
	json_object_set_new(v, "case_id", json_string(c.id));
	json_object_set_new(v, "record_links", c.closed ? json_array() : front_form_links(req, "cases", c.id, stage));
	decorate(req, json_object_get(v, "referrals"), "referrals", stage, "received_at");
	decorate(req, json_object_get(v, "assessments"), "assessments", stage, "started_at");
	decorate(req, json_object_get(v, "s47_enquiries"), "s47", stage, "started_at");
	decorate(req, json_object_get(v, "strategy_discussions"), "strategy-discussions", stage, "held_at");
	decorate(req, json_object_get(v, "whereabouts"), "whereabouts", stage, "recorded_at");
	decorate(req, json_object_get(v, "hospital_holds"), "hospital-holds", stage, "placed_at");
	decorate(req, json_object_get(v, "police_notifications"), "police-notifications", stage, "notified_at");
	decorate(req, json_object_get(v, "emergency_actions"), "emergency-actions", stage, "taken_at");
	decorate(req, json_object_get(v, "paediatric_assessments"), "paediatric-assessments", stage, "examined_at");
	decorate(req, json_object_get(v, "cin_plans"), "cin-plans", stage, "agreed_at");
	decorate(req, json_object_get(v, "joint_visits"), "joint-visits", stage, "discussed_at");
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(v, "referrals"), i, r)
		json_object_set_new(r, "decision_label", json_string(label_of("referral_outcome", json_object_get(r, "decision"))));
	json_array_foreach(json_object_get(v, "assessments"), i, r)
		json_object_set_new(r, "outcome_label", json_string(label_of("assessment_outcome", json_object_get(r, "outcome"))));
	json_array_foreach(json_object_get(v, "s47_enquiries"), i, r)
		json_object_set_new(r, "outcome_label", json_string(label_of("s47_outcome", json_object_get(r, "outcome"))));
	json_array_foreach(json_object_get(v, "police_notifications"), i, r)
		json_object_set_new(r, "decision_label", json_string(label_of("police_decision", json_object_get(r, "police_decision"))));
	json_array_foreach(json_object_get(v, "emergency_actions"), i, r)
		json_object_set_new(r, "means_label", json_string(label_of("protection_means", json_object_get(r, "means"))));
	json_array_foreach(json_object_get(v, "paediatric_assessments"), i, r)
		json_object_set_new(r, "kind_label", json_string(label_of("paediatric_record_kind", json_object_get(r, "record_kind"))));
	json_array_foreach(json_object_get(v, "joint_visits"), i, r) {
		json_object_set_new(r, "decision_label", json_string(label_of("joint_visit_decision", json_object_get(r, "decision"))));
		json_object_set_new(r, "allegation_label", json_string(label_of("police_matter", json_object_get(r, "allegation"))));
	}
	bool unborn = json_is_true(json_object_get(child, "is_unborn"));
	json_array_foreach(json_object_get(v, "referrals"), i, r) {
		json_object_set_new(r, "prebirth_label",
		                    json_string(label_of("prebirth_assessment_decision", json_object_get(r, "prebirth_assessment_decision"))));
		/* The pre-birth assessment decision is offered only for an unborn child, and only until it is made. */
		json_t *links = json_object_get(r, "links");
		for (size_t k = json_array_size(links); k-- > 0;) {
			const char *slug = json_string_value(json_object_get(json_array_get(links, k), "slug"));
			if (slug && strcmp(slug, "prebirth-decision") == 0 &&
			    (!unborn || json_string_value(json_object_get(r, "prebirth_assessment_decision"))))
				json_array_remove(links, k);
		}
	}
	json_array_foreach(json_object_get(v, "strategy_discussions"), i, r)
		json_object_set_new(r, "decision_label", json_string(label_of("smd_s47_decision", json_object_get(r, "decision_s47"))));
	json_array_foreach(json_object_get(v, "transitions"), i, r) {
		json_object_set_new(r, "when", json_string(long_moment(req, json_string_value(json_object_get(r, "at")))));
		json_object_set_new(r, "from_label", json_string(label_of("case_stage", json_object_get(r, "from"))));
		json_object_set_new(r, "to_label", json_string(label_of("case_stage", json_object_get(r, "to"))));
	}
	json_array_foreach(json_object_get(v, "communications"), i, r) {
		json_object_set_new(r, "when", json_string(long_moment(req, json_string_value(json_object_get(r, "sent_at")))));
		json_object_set_new(r, "purpose_label", json_string(label_of("communication_purpose", json_object_get(r, "purpose"))));
		json_object_set_new(r, "party_label", json_string(label_of("communication_party", json_object_get(r, "recipient_type"))));
		json_object_set_new(r, "channel_label", json_string(label_of("communication_channel", json_object_get(r, "channel"))));
	}
	json_array_foreach(json_object_get(v, "contacts"), i, r)
		json_object_set_new(r, "when", json_string(long_moment(req, json_string_value(json_object_get(r, "received_at")))));
	/* At the front door, a child recorded with the contact (a partner's referral cannot search the register) may be
	 * one already known: show the likely matches so the worker checks before going on (2.4.4, U6). */
	if (!c.closed && (strcmp(stage, "contact") == 0 || strcmp(stage, "referral") == 0) &&
	    policy_allows_action(&req->user, "child.search")) {
		json_t *dups = records_likely_duplicates(req, child);
		for (size_t k = json_array_size(dups); k-- > 0;)
			if (strcmp(json_string_value(json_object_get(json_array_get(dups, k), "id")), c.child_id) == 0)
				json_array_remove(dups, k);
		json_object_set_new(v, "possible_matches", dups);
	}
	json_decref(child);
	json_object_set_new(v, "back_href", json_sprintf("/children/%s", c.child_id));
	command_audit_read(req, "case", c.id, c.child_id);
	web_page(req, 200, "pathway/case", "Case pathway", v);
}

/* ---- the command forms ---- */

static const char *owner_of(struct http_request *req)
{
	/* "/pathway/<owner>/<id>/<form>" */
	const char *p = req->path + strlen("/pathway/");
	const char *slash = strchr(p, '/');
	return slash ? arena_strndup(&req->arena, p, (size_t)(slash - p)) : "";
}

static void render_form(struct http_request *req, const struct front_form *f, const char *owner, const char *id,
                        const struct front_case *c, json_t *errors, int status)
{
	json_t *ctx = json_object();
	if (errors) {
		web_add_errors(ctx, errors);
		front_form_fix_hrefs(f, json_object_get(ctx, "errors"));
		json_decref(errors);
	}
	json_t *record = NULL;
	if (f->prefill && req->method == HTTP_GET)
		record = front_row(req, f->prefill, id);
	json_object_set_new(ctx, "fields",
	                    front_form_fields(f, req, record, json_object_get(ctx, "error_map"), c->id));
	json_decref(record);
	json_object_set_new(ctx, "action", json_sprintf("/pathway/%s/%s/%s", owner, id, f->slug));
	json_object_set_new(ctx, "button", json_string(f->button));
	json_object_set_new(ctx, "heading", json_string(f->title));
	const char *stage_label = enums_label("case_stage", c->stage);
	json_object_set_new(ctx, "stage_label", json_string(stage_label ? stage_label : c->stage));
	json_object_set_new(ctx, "back_href", json_sprintf("/pathway/cases/%s", c->id));
	if (f->participants) {
		json_t *rows = json_array();
		static const char *const suggested[] = {"CSC", "POLICE", "HEALTH_GP", "", "", "", "", ""};
		for (int i = 0; i < 8; i++) {
			char k[48];
			snprintf(k, sizeof k, "p%d_agency_type", i);
			const char *agency = req->method == HTTP_POST ? http_form(req, k) : suggested[i];
			json_t *opts = enums_list("agency_type");
			size_t j;
			json_t *o;
			json_array_foreach(opts, j, o) json_object_set_new(
				o, "selected", json_boolean(agency && strcmp(agency, json_string_value(json_object_get(o, "code"))) == 0));
			json_t *row = json_pack("{s:i, s:i, s:o}", "n", i, "number", i + 1, "options", opts);
			static const char *const keys[] = {"name", "role"};
			for (int t = 0; t < 2; t++) {
				snprintf(k, sizeof k, "p%d_%s", i, keys[t]);
				const char *val = http_form(req, k);
				json_object_set_new(row, keys[t], json_string(val ? val : ""));
			}
			static const char *const flags[] = {"attended", "is_chair", "is_referrer", "seniority_confirmed"};
			for (int t = 0; t < 4; t++) {
				snprintf(k, sizeof k, "p%d_%s", i, flags[t]);
				json_object_set_new(row, flags[t], json_boolean(http_form(req, k) != NULL));
			}
			json_array_append_new(rows, row);
		}
		json_object_set_new(ctx, "participants", rows);
	}
	web_page(req, status, "pathway/form", f->title, ctx);
}

/* The participant rows of the strategy form as the API's participants array (rows without a name are unused). */
static json_t *participants_input(struct http_request *req)
{
	json_t *arr = json_array();
	for (int i = 0; i < 8; i++) {
		char k[48];
		snprintf(k, sizeof k, "p%d_name", i);
		const char *name = http_form(req, k);
		if (!name || !*name)
			continue;
		json_t *p = json_pack("{s:s}", "name", name);
		snprintf(k, sizeof k, "p%d_agency_type", i);
		const char *agency = http_form(req, k);
		if (agency && *agency)
			json_object_set_new(p, "agency_type", json_string(agency));
		snprintf(k, sizeof k, "p%d_role", i);
		const char *role = http_form(req, k);
		if (role && *role)
			json_object_set_new(p, "role", json_string(role));
		static const char *const flags[] = {"attended", "is_chair", "is_referrer", "seniority_confirmed"};
		for (int t = 0; t < 4; t++) {
			snprintf(k, sizeof k, "p%d_%s", i, flags[t]);
			json_object_set_new(p, flags[t], json_boolean(http_form(req, k) != NULL));
		}
		json_array_append_new(arr, p);
	}
	return arr;
}

/* Finds the form and the case it belongs to, checking the role may use it and may see the case. */
static const struct front_form *form_or_respond(struct http_request *req, struct front_case *c)
{
	const char *owner = owner_of(req);
	const struct front_form *f = front_form_find(owner, http_param(req, 1));
	if (!f) {
		web_not_found(req);
		return NULL;
	}
	if (!policy_allows_action(&req->user, f->action)) {
		web_forbidden(req, f->action, NULL);
		return NULL;
	}
	struct front_out out;
	front_out_init(&out);
	const char *table = front_form_owner_table(owner);
	int rc = table ? front_load_owner(req, table, http_param(req, 0), f->action, c, &out)
	               : front_load_case(req, http_param(req, 0), f->action, c, &out);
	if (rc < 0)
		front_respond_failure(req, &out);
	front_out_free(&out);
	return rc < 0 ? NULL : f;
}

static void h_form(struct http_request *req)
{
	struct front_case c;
	const struct front_form *f = form_or_respond(req, &c);
	if (f)
		render_form(req, f, owner_of(req), http_param(req, 0), &c, NULL, 200);
}

static void h_form_post(struct http_request *req)
{
	struct front_case c;
	const struct front_form *f = form_or_respond(req, &c);
	if (!f)
		return;
	json_t *in = front_form_input(f, req);
	if (f->participants)
		json_object_set_new(in, "participants", participants_input(req));
	struct front_out out;
	front_out_init(&out);
	f->cmd(req, http_param(req, 0), in, &out);
	json_decref(in);
	if (out.status == 404 || out.status >= 500) {
		front_respond_failure(req, &out);
	} else if (out.status) {
		render_form(req, f, owner_of(req), http_param(req, 0), &c, json_deep_copy(out.errors), out.status);
	} else {
		done(req, &out, arena_printf(&req->arena, "/pathway/cases/%s", c.id), f->title);
	}
	front_out_free(&out);
}

/* ---- contacts ---- */

static const char *const contact_fields[] = {
	"received_at", "channel", "contact_type", "referrer_type", "anonymous", "anonymity_requested",
	"identity_disclosure_consent", "referrer_name", "referrer_role", "referrer_agency_name", "referrer_phone",
	"referrer_email", "referrer_relationship", "feedback_wanted", "feedback_method", "interview_offered",
	"concern_summary", "referrer_opinion", "immediate_danger", "parental_agreement", "parental_not_sought_reason",
	"parental_reason_detail", NULL,
};

static const struct front_form contact_form = {"contacts", "new", "Record a contact", "contact.create",
                                               "contact.create", &front_contact, contact_fields, NULL, NULL, false,
                                               "Save contact"};

static void render_contact_new(struct http_request *req, json_t *errors, int status)
{
	json_t *ctx = json_object();
	if (errors) {
		web_add_errors(ctx, errors);
		front_form_fix_hrefs(&contact_form, json_object_get(ctx, "errors"));
		json_decref(errors);
	}
	json_object_set_new(ctx, "fields", front_form_fields(&contact_form, req, NULL, json_object_get(ctx, "error_map"),
	                                                     NULL));
	const char *q = req->method == HTTP_POST ? http_form(req, "q") : http_query(req, "q");
	json_t *results = q && *q && strlen(q) <= 100 ? records_search_children(req->store, q, 20) : json_array();
	const char *chosen[16];
	int nchosen = req->method == HTTP_POST ? http_form_all(req, "child_id", chosen, 16) : 0;
	size_t i;
	json_t *r;
	json_array_foreach(results, i, r) {
		struct buf why;
		buf_init(&why, 256);
		size_t j;
		json_t *w;
		json_array_foreach(json_object_get(r, "match_reasons"), j, w)
			buf_addf(&why, "%s%s", j ? ", " : "", json_string_value(w));
		json_object_set_new(r, "why", json_string(buf_str(&why)));
		buf_free(&why);
		bool sel = false;
		for (int k = 0; k < nchosen; k++)
			sel = sel || strcmp(chosen[k], json_string_value(json_object_get(r, "id"))) == 0;
		json_object_set_new(r, "checked", json_boolean(sel));
		json_object_set_new(r, "born", json_string(long_moment(req, json_string_value(json_object_get(r, "dob")))));
	}
	json_object_set_new(ctx, "q", json_string(q ? q : ""));
	json_object_set_new(ctx, "searched", json_boolean(q && *q));
	json_object_set_new(ctx, "results", results);
	json_t *news = json_array();
	for (int n = 0; n < 3; n++) {
		char k[48];
		json_t *row = json_pack("{s:i, s:i}", "n", n, "number", n + 1);
		static const char *const keys[] = {"forenames", "surname", "dob-day", "dob-month", "dob-year"};
		for (size_t t = 0; t < 5; t++) {
			snprintf(k, sizeof k, "new%d_%s", n, keys[t]);
			const char *val = http_form(req, k);
			json_object_set_new(row, keys[t], json_string(val ? val : ""));
		}
		json_array_append_new(news, row);
	}
	json_object_set_new(ctx, "new_children", news);
	json_object_set_new(ctx, "back_href", json_string("/children"));
	web_page(req, status, "pathway/contact_new", "Record a contact", ctx);
}

static void h_contact_new(struct http_request *req)
{
	render_contact_new(req, NULL, 200);
}

static void h_contact_create(struct http_request *req)
{
	json_t *in = front_form_input(&contact_form, req);
	json_t *children = json_array();
	const char *chosen[16];
	int n = http_form_all(req, "child_id", chosen, 16);
	for (int i = 0; i < n; i++)
		json_array_append_new(children, json_pack("{s:s}", "child_id", chosen[i]));
	for (int i = 0; i < 3; i++) {
		char k[48];
		snprintf(k, sizeof k, "new%d_forenames", i);
		const char *fn = http_form(req, k);
		snprintf(k, sizeof k, "new%d_surname", i);
		const char *sn = http_form(req, k);
		if ((!fn || !*fn) && (!sn || !*sn))
			continue;
		json_t *child = json_pack("{s:s, s:s}", "forenames", fn ? fn : "", "surname", sn ? sn : "");
		const char *d[3];
		static const char *const parts[] = {"day", "month", "year"};
		for (int t = 0; t < 3; t++) {
			snprintf(k, sizeof k, "new%d_dob-%s", i, parts[t]);
			d[t] = http_form(req, k);
		}
		int dd, mm, yy;
		char extra;
		if (d[0] && d[1] && d[2] && sscanf(d[0], "%d%c", &dd, &extra) == 1 && sscanf(d[1], "%d%c", &mm, &extra) == 1 &&
		    sscanf(d[2], "%d%c", &yy, &extra) == 1 && yy >= 1000 && yy <= 9999)
			json_object_set_new(child, "dob", json_sprintf("%04d-%02d-%02d", yy, mm, dd));
		else if ((d[0] && *d[0]) || (d[1] && *d[1]) || (d[2] && *d[2]))
			json_object_set_new(child, "dob", json_string("invalid"));
		json_array_append_new(children, child);
	}
	json_object_set_new(in, "children", children);
	struct front_out out;
	front_out_init(&out);
	front_contact_create(req, in, &out);
	json_decref(in);
	if (out.status == 404 || out.status >= 500)
		front_respond_failure(req, &out);
	else if (out.status)
		render_contact_new(req, json_deep_copy(out.errors), out.status);
	else
		done(req, &out, arena_printf(&req->arena, "/pathway/contacts/%s", out.id), "Record a contact");
	front_out_free(&out);
}

static bool contact_visible(struct http_request *req, json_t *contact, const char *action)
{
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(contact, "children"), i, k) {
		if (policy_child(req->store, &req->user, action, json_string_value(json_object_get(k, "child_id"))))
			return true;
	}
	return false;
}

static void render_contact(struct http_request *req, const char *id, json_t *errors, int status)
{
	json_t *c = front_contact_view(req, id);
	if (!c || !contact_visible(req, c, "child.read")) {
		json_decref(c);
		json_decref(errors);
		web_forbidden(req, "child.read", NULL);
		return;
	}
	json_t *ctx = json_pack("{s:o}", "contact", c);
	if (errors) {
		web_add_errors(ctx, errors);
		json_decref(errors);
	}
	json_object_set_new(c, "when", json_string(long_moment(req, json_string_value(json_object_get(c, "received_at")))));
	json_object_set_new(c, "type_label", json_string(label_of("contact_type", json_object_get(c, "contact_type"))));
	json_object_set_new(c, "referrer_label", json_string(label_of("referrer_type", json_object_get(c, "referrer_type"))));
	json_object_set_new(c, "channel_label", json_string(label_of("contact_channel", json_object_get(c, "channel"))));
	bool open = strcmp(json_string_value(json_object_get(c, "status")), "open") == 0;
	json_object_set_new(ctx, "can_convert", json_boolean(open && policy_allows_action(&req->user, "referral.record")));
	json_object_set_new(ctx, "can_close", json_boolean(open && policy_allows_action(&req->user, "contact.update")));
	const char *reason = http_form(req, "reason");
	json_object_set_new(ctx, "reason", json_string(reason ? reason : ""));
	command_audit_read(req, "contact", id, NULL);
	web_page(req, status, "pathway/contact", "Contact", ctx);
}

static void h_contact(struct http_request *req)
{
	render_contact(req, http_param(req, 0), NULL, 200);
}

static void contact_command(struct http_request *req, int (*cmd)(struct http_request *, const char *, json_t *,
                                                                 struct front_out *))
{
	const char *id = http_param(req, 0);
	json_t *in = json_object();
	const char *reason = http_form(req, "reason");
	if (reason && *reason)
		json_object_set_new(in, "reason", json_string(reason));
	const char *chosen[16];
	int n = http_form_all(req, "child_id", chosen, 16);
	if (n && cmd == front_contact_convert) {
		json_t *ids = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(ids, json_string(chosen[i]));
		json_object_set_new(in, "child_ids", ids);
	}
	if (cmd == front_contact_convert && http_form(req, "verbal"))
		json_object_set_new(in, "verbal", json_true());
	struct front_out out;
	front_out_init(&out);
	cmd(req, id, in, &out);
	json_decref(in);
	if (out.status == 404 || out.status >= 500)
		front_respond_failure(req, &out);
	else if (out.status)
		render_contact(req, id, json_deep_copy(out.errors), out.status);
	else
		done(req, &out, arena_printf(&req->arena, "/pathway/contacts/%s", id), "Contact");
	front_out_free(&out);
}

static void h_contact_convert(struct http_request *req)
{
	contact_command(req, front_contact_convert);
}

static void h_contact_close(struct http_request *req)
{
	contact_command(req, front_contact_close);
}

#define FORM_ROUTES(owner)                                                                                             \
	{HTTP_GET, "/pathway/" owner "/:id/:form", h_form, "child.read"},                                              \
	{HTTP_POST, "/pathway/" owner "/:id/:form", h_form_post, "child.read"}

const struct route front_pages_routes[] = {
	{HTTP_GET, "/pathway/contacts/new", h_contact_new, "contact.create"},
	{HTTP_POST, "/pathway/contacts", h_contact_create, "contact.create"},
	{HTTP_GET, "/pathway/contacts/:id", h_contact, "child.read"},
	{HTTP_POST, "/pathway/contacts/:id/referrals", h_contact_convert, "referral.record"},
	{HTTP_POST, "/pathway/contacts/:id/close", h_contact_close, "contact.update"},
	{HTTP_GET, "/pathway/cases/:id", h_case, "child.read"},
	FORM_ROUTES("cases"),
	FORM_ROUTES("referrals"),
	FORM_ROUTES("assessments"),
	FORM_ROUTES("s47"),
	FORM_ROUTES("whereabouts"),
	FORM_ROUTES("strategy-discussions"),
	FORM_ROUTES("hospital-holds"),
	FORM_ROUTES("police-notifications"),
	FORM_ROUTES("joint-visits"),
	{0},
};
