/* Information-sharing decisions on a child (issue 7, parts 3 and 4; procedures-B 3.1.4, 3.4.5, 3.5.1-3.5.8): every
 * decision to share, or not to, records what, with whom, why, on which lawful basis, whether consent was sought and
 * why not, whether the child or family was told, how it went and the checks that needed. Recording is
 * sharing_record.c, the follow-ups sharing_followup.c; this file loads the rules, lists decisions and serves the
 * page and the routes. */
#include <stdio.h>
#include <string.h>

#include "api/access_control.h"
#include "api/access_util.h"
#include "api/command.h"
#include "api/lawful_bases.h"
#include "api/sharing_channels.h"
#include "api/sharing_internal.h"
#include "app/app.h"
#include "app/web.h"
#include "core/date.h"
#include "docs/pack.h"
#include "domain/enums.h"
#include "policy/policy.h"

const json_t *sharing_bases(struct http_request *req)
{
	return req->app->lawful_bases;
}

const json_t *sharing_channels(struct http_request *req)
{
	return req->app->sharing_channels;
}

static const char *label_or(const char *list, const char *code)
{
	const char *l = code ? enums_label(list, code) : NULL;
	return l ? l : code;
}

/* The columns a decision shows: text, then yes/no flags (NULL when not answered). */
static const char *const text_cols[] = {
	"id", "decision", "information", "recipient_type", "recipient_name", "reason", "lawful_basis",
	"special_category_condition", "schedule1_condition", "no_consent_reason", "no_consent_detail", "decided_by",
	"decided_at", "direction", "requester_name", "requester_agency", "purpose", "risk_level", "risk_prompt",
	"consent_of", "subject_informed", "subject_informed_on", "subject_not_informed_reason", "subject_informed_by",
	"source_informed", "channel", "recipient_address", "security_assurance", "address_checked_by",
	"address_checked_at", "onward_sharing", "basis_detail"};
#define NTEXT (sizeof text_cols / sizeof text_cols[0])
static const char *const flag_cols[] = {"consent_sought",      "consent_given",       "caller_known",
                                        "callback_verified",   "consent_limits_explained", "subject_can_consent",
                                        "outside_public_task", "address_check_required"};
#define NFLAG (sizeof flag_cols / sizeof flag_cols[0])

static const char *str(const json_t *row, const char *key)
{
	return json_string_value(json_object_get(row, key));
}

static json_t *basis_label(const json_t *bases, const char *code)
{
	return json_incref(json_object_get(lawful_bases_find(bases, code), "label"));
}

static json_t *labels(struct http_request *req, const json_t *bases, const json_t *channels, json_t *row)
{
	json_t *l = json_object();
	static const struct {
		const char *key, *list;
	} enum_labels[] = {{"decision", "sharing_decision"},          {"recipient_type", "sharing_recipient_type"},
	                   {"no_consent_reason", "sharing_no_consent_reason"}, {"direction", "sharing_direction"},
	                   {"risk_level", "sharing_risk_level"},        {"consent_of", "sharing_consent_of"},
	                   {"subject_informed", "sharing_subject_informed"},
	                   {"source_informed", "sharing_source_informed"}};
	for (size_t i = 0; i < sizeof enum_labels / sizeof enum_labels[0]; i++) {
		const char *v = str(row, enum_labels[i].key);
		if (v)
			json_object_set_new(l, enum_labels[i].key, json_string(label_or(enum_labels[i].list, v)));
	}
	static const char *const basis_keys[] = {"lawful_basis", "special_category_condition", "schedule1_condition"};
	for (size_t i = 0; i < 3; i++) {
		json_t *b = basis_label(bases, str(row, basis_keys[i]));
		if (b)
			json_object_set_new(l, basis_keys[i], b);
	}
	json_t *ch = json_incref(json_object_get(sharing_channels_find(channels, str(row, "channel")), "label"));
	if (ch)
		json_object_set_new(l, "channel", ch);
	else if (str(row, "channel"))
		json_object_set_new(l, "channel", json_string(str(row, "channel")));
	json_object_set_new(l, "decided_at", json_string(access_util_when(req, access_util_parse_moment(str(row, "decided_at")))));
	if (str(row, "address_checked_at"))
		json_object_set_new(l, "address_checked_at", json_string(access_util_when(req, access_util_parse_moment(str(row, "address_checked_at")))));
	int32_t day;
	if (str(row, "subject_informed_on") && date_parse(str(row, "subject_informed_on"), &day) == 0) {
		int y, m, dd;
		static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
		                                     "July",    "August",   "September", "October", "November", "December"};
		date_to_ymd(day, &y, &m, &dd);
		json_object_set_new(l, "subject_informed_on", json_sprintf("%d %s %d", dd, months[m - 1], y));
	}
	return l;
}

json_t *sharing_list(struct http_request *req, const json_t *bases, const char *child_id, const char *id)
{
	json_t *items = json_array();
	const json_t *channels = sharing_channels(req);
	struct buf sql;
	buf_init(&sql, 2048);
	buf_adds(&sql, "SELECT u.display_name, c.display_name, i.display_name");
	for (size_t i = 0; i < NTEXT; i++)
		buf_addf(&sql, ", d.%s", text_cols[i]);
	for (size_t i = 0; i < NFLAG; i++)
		buf_addf(&sql, ", d.%s", flag_cols[i]);
	buf_adds(&sql, " FROM sharing_decisions d LEFT JOIN users u ON u.id = d.decided_by "
	               "LEFT JOIN users c ON c.id = d.address_checked_by LEFT JOIN users i ON i.id = d.subject_informed_by "
	               "WHERE d.child_id = $1 AND ($2 IS NULL OR d.id = $2) ORDER BY d.decided_at DESC, d.id");
	struct store_stmt *s = store_prepare(req->store, buf_str(&sql));
	buf_free(&sql);
	if (!s)
		return items;
	store_bind_text(s, 1, child_id);
	store_bind_text(s, 2, id);
	while (store_step(s) == STORE_ROW) {
		json_t *row = json_object();
		for (size_t i = 0; i < NTEXT; i++) {
			const char *v = store_col_text(s, (int)i + 3);
			json_object_set_new(row, text_cols[i], v ? json_string(v) : json_null());
		}
		for (size_t i = 0; i < NFLAG; i++) {
			int c = (int)(NTEXT + i) + 3;
			json_object_set_new(row, flag_cols[i],
			                    store_col_is_null(s, c) ? json_null() : json_boolean(store_col_int(s, c)));
		}
		static const char *const names[] = {"decided_by_name", "address_checked_by_name", "subject_informed_by_name"};
		for (int i = 0; i < 3; i++) {
			const char *v = store_col_text(s, i);
			json_object_set_new(row, names[i], v ? json_string(v) : json_null());
		}
		json_object_set_new(row, "labels", labels(req, bases, channels, row));
		bool shares = strcmp(str(row, "decision"), "refused") != 0;
		const char *to = str(row, "recipient_type");
		/* G3.7: a decision whose channel needs the four-eyes check waits for a second person. */
		bool pending = json_is_true(json_object_get(row, "address_check_required")) && !str(row, "address_checked_by");
		json_object_set_new(row, "address_check_pending", json_boolean(pending));
		/* 3.4.4, 3.5.3: "not yet" told is a follow-up until settled. */
		json_object_set_new(row, "informed_follow_up", json_boolean(str(row, "subject_informed") &&
		                                                              strcmp(str(row, "subject_informed"), "not_yet") == 0));
		/* Recorded before the complete record (migration 0016): the page says what it lacks. */
		json_object_set_new(row, "partial_record", json_boolean(!str(row, "direction")));
		/* A pack goes with a decision to share with another agency or a court (docs/internals/redaction.md). */
		json_object_set_new(row, "pack_possible",
		                    json_boolean(shares && !pending && (strcmp(to, "agency") == 0 || strcmp(to, "court") == 0)));
		json_array_append_new(items, row);
	}
	size_t i;
	json_t *row;
	json_array_foreach(items, i, row)
		json_object_set_new(row, "packs", pack_list(req, child_id, str(row, "id")));
	return items;
}

json_t *sharing_decision_view(struct http_request *req, const char *child_id, const char *id)
{
	const json_t *bases = sharing_bases(req);
	if (!id)
		return NULL;
	json_t *items = sharing_list(req, bases, child_id, id);
	json_t *d = json_incref(json_array_get(items, 0));
	json_decref(items);
	return d;
}

static void h_api_list(struct http_request *req)
{
	const char *child = http_param(req, 0);
	if (!command_child_allowed(req, "child.read", child))
		return;
	const json_t *bases = sharing_bases(req);
	command_audit_read(req, "sharing_decision", NULL, child);
	http_json(req, 200, json_pack("{s:o}", "items", sharing_list(req, bases, child, NULL)));
}

static void h_api_create(struct http_request *req)
{
	const char *child = http_param(req, 0);
	if (!command_child_allowed(req, "sharing.record", child))
		return;
	json_t *in = command_input_or_respond(req, NULL);
	if (!in)
		return;
	json_t *errors = json_array();
	char id[ID_MAX];
	int rc = sharing_record(req, child, in, errors, id);
	json_decref(in);
	if (rc == 1) {
		web_invalid(req, errors);
		return;
	}
	json_decref(errors);
	if (rc < 0)
		return;
	json_t *items = sharing_list(req, sharing_bases(req), child, id);
	http_header(req, "Location", arena_printf(&req->arena, "/api/v1/children/%s/sharing-decisions", child));
	http_json(req, 201, json_incref(json_array_get(items, 0)));
	json_decref(items);
}

static void h_api_bases(struct http_request *req)
{
	http_json(req, 200, json_deep_copy(sharing_bases(req)));
}

static void h_api_channels(struct http_request *req)
{
	http_json(req, 200, json_deep_copy(sharing_channels(req)));
}

/* ---- the page: follow-ups, the decisions so far and the form for a new one ---- */

static json_t *radios(struct http_request *req, const char *list, const char *key)
{
	json_t *opts = access_util_options(list, http_form(req, key));
	size_t i;
	json_t *o;
	/* The first radio carries the field's own id, so the error summary's link lands on it. */
	json_array_foreach(opts, i, o) json_object_set_new(
		o, "input_id", i ? json_sprintf("%s-%s", key, json_string_value(json_object_get(o, "code"))) : json_string(key));
	return opts;
}

/* The yes/no questions as {key: {yes, no}} for the radios' checked state. */
static json_t *yes_no(struct http_request *req)
{
	static const char *const keys[] = {"consent_sought",          "consent_given",       "caller_known",
	                                   "callback_verified",       "subject_can_consent", "outside_public_task",
	                                   "consent_limits_explained"};
	json_t *out = json_object();
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *v = http_form(req, keys[i]);
		json_object_set_new(out, keys[i], json_pack("{s:b, s:b}", "yes", v && strcmp(v, "yes") == 0, "no",
		                                            v && strcmp(v, "no") == 0));
	}
	return out;
}

/* Puts a follow-up form's errors on its decision (fu_errors, fu_form) and points the summary at its inputs. */
static void place_followup_errors(json_t *items, json_t *errors, const char *form, const char *decision_id)
{
	size_t i;
	json_t *row;
	json_array_foreach(items, i, row) {
		const char *id = json_string_value(json_object_get(row, "id"));
		if (!decision_id || !id || strcmp(id, decision_id) != 0)
			continue;
		json_t *map = json_object();
		size_t k;
		json_t *e;
		json_array_foreach(errors, k, e) {
			const char *field = json_string_value(json_object_get(e, "field"));
			json_object_set_new(e, "href", json_sprintf("#%s-%s", form, id));
			if (field && !json_object_get(map, field))
				json_object_set(map, field, json_object_get(e, "message"));
		}
		json_object_set_new(row, "fu_errors", map);
		json_object_set_new(row, "fu_form", json_string(form));
	}
}

void sharing_render_page(struct http_request *req, int status, json_t *errors, const char *form, const char *decision_id)
{
	const char *child = http_param(req, 0);
	const json_t *bases = sharing_bases(req), *channels = sharing_channels(req);
	bool recording = form && strcmp(form, "record") == 0;
	json_t *items = sharing_list(req, bases, child, NULL);
	bool can_record = policy_child(req->store, &req->user, "sharing.record", child);
	json_t *follow_ups = json_array();
	size_t i;
	json_t *row;
	json_array_foreach(items, i, row) {
		bool pending = json_is_true(json_object_get(row, "address_check_pending"));
		const char *by = json_string_value(json_object_get(row, "decided_by"));
		json_object_set_new(row, "can_check", json_boolean(can_record && pending && by && strcmp(by, req->user.id) != 0));
		json_object_set_new(row, "can_settle", json_boolean(can_record && json_is_true(json_object_get(row, "informed_follow_up"))));
		json_object_set_new(row, "child_id", json_string(child));
		if (pending || json_is_true(json_object_get(row, "informed_follow_up")))
			json_array_append(follow_ups, row);
	}
	if (errors && !recording)
		place_followup_errors(items, errors, form, decision_id);
	const char *done = errors ? NULL : http_query(req, "done");
	const char *flash = !done                               ? NULL
	                    : strcmp(done, "address_check") == 0 ? "The address check has been recorded."
	                    : strcmp(done, "informed") == 0      ? "The answer has been recorded."
	                                                         : "The decision has been recorded.";
	json_t *ctx = json_pack(
		"{s:s, s:s, s:o, s:o, s:o, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s?, s:s}",
		"child_id", child, "name", access_util_child_name(req, child), "items", items, "follow_ups", follow_ups,
		"form", recording ? access_util_typed(req, sharing_input_keys, sharing_input_count) : json_object(),
		"can_record", can_record, "can_pack", policy_child(req->store, &req->user, "sharing.pack", child),
		"decisions", radios(req, "sharing_decision", "decision"), "directions",
		radios(req, "sharing_direction", "direction"), "informed_options",
		radios(req, "sharing_subject_informed", "subject_informed"), "source_options",
		radios(req, "sharing_source_informed", "source_informed"), "yn", yes_no(req), "recipient_types",
		access_util_options("sharing_recipient_type", http_form(req, "recipient_type")), "risk_levels",
		access_util_options("sharing_risk_level", http_form(req, "risk_level")), "consent_of_options",
		access_util_options("sharing_consent_of", http_form(req, "consent_of")), "reasons",
		access_util_options("sharing_no_consent_reason", http_form(req, "no_consent_reason")), "channels",
		sharing_channels_options(channels, http_form(req, "channel")), "art6",
		lawful_bases_options(bases, "article_6", http_form(req, "lawful_basis")), "art9",
		lawful_bases_options(bases, "article_9", http_form(req, "special_category_condition")), "sch1",
		lawful_bases_options(bases, "schedule_1", http_form(req, "schedule1_condition")), "flash", flash,
		"back_href", arena_printf(&req->arena, "/children/%s", child));
	/* The bases' prompts, so the form says what each one needs written down. */
	json_t *prompts = json_array();
	json_array_foreach(json_object_get(bases, "bases"), i, row) {
		if (json_object_get(row, "detail_prompt"))
			json_array_append_new(prompts, json_pack("{s:O, s:O}", "label", json_object_get(row, "label"), "prompt",
			                                         json_object_get(row, "detail_prompt")));
	}
	json_object_set_new(ctx, "basis_prompts", prompts);
	if (errors) {
		web_add_errors(ctx, errors);
		if (!recording) /* the record form's fields keep no error marks for a follow-up's errors */
			json_object_set_new(ctx, "error_map", json_object());
	}
	json_decref(errors);
	web_page(req, status, "sharing", "Information sharing", ctx);
}

static void h_page(struct http_request *req)
{
	const char *child = http_param(req, 0);
	if (!command_child_allowed(req, "child.read", child))
		return;
	command_audit_read(req, "sharing_decision", NULL, child);
	sharing_render_page(req, 200, NULL, NULL, NULL);
}

static void h_page_create(struct http_request *req)
{
	const char *child = http_param(req, 0);
	if (!command_child_allowed(req, "sharing.record", child))
		return;
	json_t *in = command_input_or_respond(req, NULL);
	json_t *errors = json_array();
	char id[ID_MAX];
	int rc = sharing_record(req, child, in, errors, id);
	json_decref(in);
	if (rc == 1) {
		sharing_render_page(req, 422, errors, "record", NULL);
		return;
	}
	json_decref(errors);
	if (rc == 0)
		http_redirect(req, arena_printf(&req->arena, "/children/%s/sharing?done=1", child));
}

const struct route sharing_routes[] = {
	{HTTP_GET, "/api/v1/children/:id/sharing-decisions", h_api_list, "child.read"},
	{HTTP_POST, "/api/v1/children/:id/sharing-decisions", h_api_create, "sharing.record"},
	{HTTP_POST, "/api/v1/children/:id/sharing-address-checks", sharing_api_address_check, "sharing.record"},
	{HTTP_POST, "/api/v1/children/:id/sharing-informed", sharing_api_informed, "sharing.record"},
	{HTTP_GET, "/api/v1/lawful-bases", h_api_bases, "reference.read"},
	{HTTP_GET, "/api/v1/sharing-channels", h_api_channels, "reference.read"},
	{HTTP_GET, "/children/:id/sharing", h_page, "child.read"},
	{HTTP_POST, "/children/:id/sharing", h_page_create, "sharing.record"},
	{HTTP_POST, "/children/:id/sharing/address-check", sharing_page_address_check, "sharing.record"},
	{HTTP_POST, "/children/:id/sharing/informed", sharing_page_informed, "sharing.record"},
	{0},
};
