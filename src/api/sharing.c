/* Information-sharing decisions on a child (issue 7, part 3; procedures-B 3.1.4, 3.4.5, 3.5.1-3.5.8): every
 * decision to share, or not to, records what, with whom, why, on which lawful basis, whether consent was sought and
 * why not. One command writes the decision, its chronology entry and its audit entry ("share") together. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "api/access_control.h"
#include "api/access_util.h"
#include "api/command.h"
#include "api/lawful_bases.h"
#include "app/app.h"
#include "app/web.h"
#include "core/date.h"
#include "core/id.h"
#include "docs/pack.h"
#include "domain/chronology.h"
#include "domain/enums.h"
#include "policy/policy.h"

#define TEXT_MAX 4000
#define NAME_MAX_BYTES 200

static pthread_mutex_t bases_lock = PTHREAD_MUTEX_INITIALIZER;
static json_t *bases_loaded;

/* rules/lawful_bases.json, read once; NULL (after answering 500) when it is missing or malformed. */
static const json_t *bases_or_respond(struct http_request *req)
{
	struct app *app = req->app;
	pthread_mutex_lock(&bases_lock);
	if (!bases_loaded) {
		struct buf path, err;
		buf_init(&path, 4096);
		buf_init(&err, 1024);
		buf_addf(&path, "%s/lawful_bases.json", app->rules_dir);
		if (lawful_bases_load(buf_str(&path), &bases_loaded, &err) < 0) {
			fprintf(stderr, "safeguard: %s\n", buf_str(&err));
			bases_loaded = NULL;
		}
		buf_free(&path);
		buf_free(&err);
	}
	const json_t *doc = bases_loaded;
	pthread_mutex_unlock(&bases_lock);
	if (!doc)
		web_error(req, 500, "Internal error", "The list of lawful bases cannot be read.");
	return doc;
}

static const char *const input_keys[] = {"decision",       "information",   "recipient_type",
                                         "recipient_name", "reason",        "lawful_basis",
                                         "special_category_condition",      "schedule1_condition",
                                         "consent_sought", "consent_given", "no_consent_reason",
                                         "no_consent_detail"};
#define NKEYS (sizeof input_keys / sizeof input_keys[0])

struct decision {
	const char *decision, *information, *recipient_type, *recipient_name, *reason;
	const char *art6, *art9, *sch1, *no_consent_reason, *no_consent_detail;
	int consent_sought, consent_given;
};

static void need_text(json_t *errors, const char *v, const char *field, const char *missing, size_t max)
{
	if (!v)
		access_util_error(errors, field, missing);
	else if (strlen(v) > max)
		access_util_error(errors, field, max == NAME_MAX_BYTES ? "Use 200 characters or fewer"
		                                                       : "Use 4,000 characters or fewer");
}

static void need_code(json_t *errors, const char *list, const char *v, const char *field, const char *missing)
{
	if (!v)
		access_util_error(errors, field, missing);
	else if (!enums_label(list, v))
		access_util_error(errors, field, "Choose one of the options");
}

/* Reads and checks the input; returns the number of errors appended. */
static int validate(struct http_request *req, const json_t *bases, json_t *in, struct decision *d, json_t *errors)
{
	const char *k;
	json_t *v;
	json_object_foreach(in, k, v) {
		size_t i = 0;
		while (i < NKEYS && strcmp(k, input_keys[i]) != 0)
			i++;
		if (i == NKEYS && strcmp(k, "csrf") != 0)
			access_util_error(errors, k, "This is not a field of a sharing decision");
	}
	memset(d, 0, sizeof *d);
	d->decision = access_util_text(req, in, "decision");
	d->information = access_util_text(req, in, "information");
	d->recipient_type = access_util_text(req, in, "recipient_type");
	d->recipient_name = access_util_text(req, in, "recipient_name");
	d->reason = access_util_text(req, in, "reason");
	d->art6 = access_util_text(req, in, "lawful_basis");
	d->art9 = access_util_text(req, in, "special_category_condition");
	d->sch1 = access_util_text(req, in, "schedule1_condition");
	d->no_consent_reason = access_util_text(req, in, "no_consent_reason");
	d->no_consent_detail = access_util_text(req, in, "no_consent_detail");
	d->consent_sought = access_util_flag(in, "consent_sought");
	d->consent_given = access_util_flag(in, "consent_given");
	need_code(errors, "sharing_decision", d->decision, "decision", "Say whether the information was shared");
	need_text(errors, d->information, "information", "Say what information was shared or asked for", TEXT_MAX);
	need_code(errors, "sharing_recipient_type", d->recipient_type, "recipient_type",
	          "Say who the information was for");
	need_text(errors, d->recipient_name, "recipient_name", "Name the person or agency", NAME_MAX_BYTES);
	need_text(errors, d->reason, "reason", "Give the reason for the decision", TEXT_MAX);
	bool shares = !d->decision || strcmp(d->decision, "refused") != 0;
	const char *field = NULL;
	const char *why = lawful_bases_check(bases, shares, req->user.role, d->art6, d->art9, d->sch1, &field);
	if (why)
		access_util_error(errors, field, why);
	if (d->consent_sought < 0)
		access_util_error(errors, "consent_sought", "Say whether consent was asked for");
	if (d->consent_sought == 1 && d->consent_given < 0)
		access_util_error(errors, "consent_given", "Say whether consent was given");
	if (d->consent_sought == 0)
		d->consent_given = -1;
	/* Without consent, and when a refusal of consent was overridden, the reason is recorded (3.5.3). */
	bool need_reason = d->consent_sought == 0 || (d->consent_sought == 1 && d->consent_given == 0 && shares);
	if (need_reason) {
		need_code(errors, "sharing_no_consent_reason", d->no_consent_reason, "no_consent_reason",
		          d->consent_sought == 0 ? "Say why consent was not asked for"
		                                 : "Say why the information was shared although consent was refused");
		if (d->no_consent_reason && strcmp(d->no_consent_reason, "OTHER") == 0)
			need_text(errors, d->no_consent_detail, "no_consent_detail", "Say what the other reason is", TEXT_MAX);
	} else {
		d->no_consent_reason = d->no_consent_detail = NULL;
	}
	if (d->no_consent_detail && strlen(d->no_consent_detail) > TEXT_MAX)
		access_util_error(errors, "no_consent_detail", "Use 4,000 characters or fewer");
	return (int)json_array_size(errors);
}

static const char *label_or(const char *list, const char *code)
{
	const char *l = code ? enums_label(list, code) : NULL;
	return l ? l : code;
}

/* 0 saved (id_out); 1 refused (errors filled); -1 answered. */
static int record(struct http_request *req, const char *child_id, json_t *in, json_t *errors, char id_out[ID_MAX])
{
	const json_t *bases = bases_or_respond(req);
	if (!bases)
		return -1;
	struct decision d;
	if (validate(req, bases, in, &d, errors))
		return 1;
	char now[AUDIT_TIME_LEN]; /* UTC, fixed width: the text sorts as the moments do */
	audit_time_format(moment_now(), now);
	if (command_begin_or_respond(req) < 0)
		return -1;
	id_new("shd", id_out);
	struct store_stmt *s = store_prepare(
		req->store,
		"INSERT INTO sharing_decisions (id, child_id, decision, information, recipient_type, recipient_name, reason, "
		"lawful_basis, special_category_condition, schedule1_condition, consent_sought, consent_given, "
		"no_consent_reason, no_consent_detail, decided_by, decided_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)");
	int rc = STORE_ERR;
	if (s) {
		const char *text[] = {id_out,  child_id, d.decision, d.information, d.recipient_type, d.recipient_name,
		                      d.reason, d.art6,  d.art9,     d.sch1};
		for (int i = 0; i < 10; i++)
			store_bind_text(s, i + 1, text[i]);
		store_bind_int(s, 11, d.consent_sought);
		if (d.consent_given < 0)
			store_bind_null(s, 12);
		else
			store_bind_int(s, 12, d.consent_given);
		store_bind_text(s, 13, d.no_consent_reason);
		store_bind_text(s, 14, d.no_consent_detail);
		store_bind_text(s, 15, req->user.id);
		store_bind_text(s, 16, now);
		rc = store_step(s) == STORE_DONE ? STORE_OK : STORE_ERR;
	}
	bool refused = strcmp(d.decision, "refused") == 0;
	const json_t *b6 = lawful_bases_find(bases, d.art6);
	struct chronology_event ev = {
		.child_id = child_id,
		.event_type = "information_shared",
		.summary = refused ? arena_printf(&req->arena, "Decided not to share information with %s (%s)",
		                                  d.recipient_name, label_or("sharing_recipient_type", d.recipient_type))
		                   : arena_printf(&req->arena, "Information %s with %s (%s); lawful basis: %s",
		                                  strcmp(d.decision, "shared") == 0 ? "shared" : "partly shared",
		                                  d.recipient_name, label_or("sharing_recipient_type", d.recipient_type),
		                                  json_string_value(json_object_get(b6, "label"))),
		.source_type = "sharing_decision",
		.source_id = id_out,
	};
	if (rc == STORE_OK)
		rc = chronology_append(req->store, &ev, req->user.id, NULL);
	if (rc != STORE_OK) {
		web_store_failure(req, rc);
		return -1;
	}
	struct audit_event ae = {.action = "share", .object_type = "sharing_decision", .object_id = id_out,
	                         .child_id = child_id, .reason = d.reason,
	                         .detail = arena_printf(&req->arena, "decision %s; recipient %s; basis %s", d.decision,
	                                                d.recipient_type, d.art6 ? d.art6 : "none")};
	if (access_util_audit_or_respond(req, ae) < 0 || command_commit_or_respond(req) < 0)
		return -1;
	return 0;
}

/* The child's decisions, newest first, with labels for people. id: only that one (NULL: all). */
static json_t *list(struct http_request *req, const json_t *bases, const char *child_id, const char *id)
{
	json_t *items = json_array();
	struct store_stmt *s = store_prepare(
		req->store,
		"SELECT d.id, d.decision, d.information, d.recipient_type, d.recipient_name, d.reason, d.lawful_basis, "
		"d.special_category_condition, d.schedule1_condition, d.consent_sought, d.consent_given, d.no_consent_reason, "
		"d.no_consent_detail, d.decided_by, u.display_name, d.decided_at FROM sharing_decisions d "
		"LEFT JOIN users u ON u.id = d.decided_by WHERE d.child_id = $1 AND ($2 IS NULL OR d.id = $2) "
		"ORDER BY d.decided_at DESC, d.id");
	if (!s)
		return items;
	store_bind_text(s, 1, child_id);
	store_bind_text(s, 2, id);
	while (store_step(s) == STORE_ROW) {
		const char *art6 = store_col_text(s, 6), *art9 = store_col_text(s, 7), *sch1 = store_col_text(s, 8);
		const char *why = store_col_text(s, 11);
		json_t *row = json_pack(
			"{s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:b, s:o, s:s?, s:s?, s:s, s:s?, s:s}", "id",
			store_col_text(s, 0), "decision", store_col_text(s, 1), "information", store_col_text(s, 2),
			"recipient_type", store_col_text(s, 3), "recipient_name", store_col_text(s, 4), "reason",
			store_col_text(s, 5), "lawful_basis", art6, "special_category_condition", art9, "schedule1_condition",
			sch1, "consent_sought", (int)store_col_int(s, 9), "consent_given",
			store_col_is_null(s, 10) ? json_null() : json_boolean(store_col_int(s, 10)), "no_consent_reason", why,
			"no_consent_detail", store_col_text(s, 12), "decided_by", store_col_text(s, 13), "decided_by_name",
			store_col_text(s, 14), "decided_at", store_col_text(s, 15));
		json_object_set_new(row, "labels",
		                    json_pack("{s:s?, s:s?, s:O?, s:O?, s:O?, s:s?, s:s}", "decision",
		                              label_or("sharing_decision", store_col_text(s, 1)), "recipient_type",
		                              label_or("sharing_recipient_type", store_col_text(s, 3)), "lawful_basis",
		                              json_object_get(lawful_bases_find(bases, art6), "label"),
		                              "special_category_condition",
		                              json_object_get(lawful_bases_find(bases, art9), "label"),
		                              "schedule1_condition", json_object_get(lawful_bases_find(bases, sch1), "label"),
		                              "no_consent_reason", label_or("sharing_no_consent_reason", why), "decided_at",
		                              access_util_when(req, access_util_parse_moment(store_col_text(s, 15)))));
		/* A pack goes with a decision to share with another agency or a court (docs/internals/redaction.md). */
		bool shares = strcmp(store_col_text(s, 1), "refused") != 0;
		const char *to = store_col_text(s, 3);
		json_object_set_new(row, "pack_possible",
		                    json_boolean(shares && (strcmp(to, "agency") == 0 || strcmp(to, "court") == 0)));
		json_array_append_new(items, row);
	}
	size_t i;
	json_t *row;
	json_array_foreach(items, i, row)
		json_object_set_new(row, "packs", pack_list(req, child_id, json_string_value(json_object_get(row, "id"))));
	return items;
}

json_t *sharing_decision_view(struct http_request *req, const char *child_id, const char *id)
{
	const json_t *bases = bases_or_respond(req);
	if (!bases || !id)
		return NULL;
	json_t *items = list(req, bases, child_id, id);
	json_t *d = json_incref(json_array_get(items, 0));
	json_decref(items);
	return d;
}

static void h_api_list(struct http_request *req)
{
	const char *child = http_param(req, 0);
	if (!command_child_allowed(req, "child.read", child))
		return;
	const json_t *bases = bases_or_respond(req);
	if (!bases)
		return;
	command_audit_read(req, "sharing_decision", NULL, child);
	http_json(req, 200, json_pack("{s:o}", "items", list(req, bases, child, NULL)));
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
	int rc = record(req, child, in, errors, id);
	json_decref(in);
	if (rc == 1) {
		web_invalid(req, errors);
		return;
	}
	json_decref(errors);
	if (rc < 0)
		return;
	json_t *items = list(req, bases_or_respond(req), child, id);
	http_header(req, "Location", arena_printf(&req->arena, "/api/v1/children/%s/sharing-decisions", child));
	http_json(req, 201, json_incref(json_array_get(items, 0)));
	json_decref(items);
}

static void h_api_bases(struct http_request *req)
{
	const json_t *bases = bases_or_respond(req);
	if (bases)
		http_json(req, 200, json_deep_copy(bases));
}

/* ---- the page: the decisions so far and the form for a new one ---- */

static void render_page(struct http_request *req, int status, json_t *errors)
{
	const char *child = http_param(req, 0);
	const json_t *bases = bases_or_respond(req);
	if (!bases) {
		json_decref(errors);
		return;
	}
	json_t *form = access_util_typed(req, input_keys, NKEYS);
	/* The first radio carries the field's own id, so the error summary's link lands on it. */
	json_t *decisions = access_util_options("sharing_decision", http_form(req, "decision"));
	size_t i;
	json_t *o;
	json_array_foreach(decisions, i, o) json_object_set_new(
		o, "input_id",
		i ? json_sprintf("decision-%s", json_string_value(json_object_get(o, "code"))) : json_string("decision"));
	const char *sought = http_form(req, "consent_sought"), *given = http_form(req, "consent_given");
	json_t *ctx = json_pack(
		"{s:s, s:s, s:o, s:o, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:b, s:b, s:b, s:s?, s:s}", "child_id",
		child, "name", access_util_child_name(req, child), "items", list(req, bases, child, NULL), "form", form,
		"can_record", policy_child(req->store, &req->user, "sharing.record", child), "can_pack",
		policy_child(req->store, &req->user, "sharing.pack", child), "decisions", decisions,
		"recipient_types",
		access_util_options("sharing_recipient_type", http_form(req, "recipient_type")), "reasons",
		access_util_options("sharing_no_consent_reason", http_form(req, "no_consent_reason")), "art6",
		lawful_bases_options(bases, "article_6", http_form(req, "lawful_basis")), "art9",
		lawful_bases_options(bases, "article_9", http_form(req, "special_category_condition")), "sch1",
		lawful_bases_options(bases, "schedule_1", http_form(req, "schedule1_condition")), "sought_yes",
		sought && strcmp(sought, "yes") == 0, "sought_no", sought && strcmp(sought, "no") == 0, "given_yes",
		given && strcmp(given, "yes") == 0, "given_no", given && strcmp(given, "no") == 0, "flash",
		http_query(req, "done") && !errors ? "The decision has been recorded." : NULL, "back_href",
		arena_printf(&req->arena, "/children/%s", child));
	if (errors)
		web_add_errors(ctx, errors);
	json_decref(errors);
	web_page(req, status, "sharing", "Information sharing", ctx);
}

static void h_page(struct http_request *req)
{
	const char *child = http_param(req, 0);
	if (!command_child_allowed(req, "child.read", child))
		return;
	command_audit_read(req, "sharing_decision", NULL, child);
	render_page(req, 200, NULL);
}

static void h_page_create(struct http_request *req)
{
	const char *child = http_param(req, 0);
	if (!command_child_allowed(req, "sharing.record", child))
		return;
	json_t *in = command_input_or_respond(req, NULL);
	json_t *errors = json_array();
	char id[ID_MAX];
	int rc = record(req, child, in, errors, id);
	json_decref(in);
	if (rc == 1) {
		render_page(req, 422, errors);
		return;
	}
	json_decref(errors);
	if (rc == 0)
		http_redirect(req, arena_printf(&req->arena, "/children/%s/sharing?done=1", child));
}

const struct route sharing_routes[] = {
	{HTTP_GET, "/api/v1/children/:id/sharing-decisions", h_api_list, "child.read"},
	{HTTP_POST, "/api/v1/children/:id/sharing-decisions", h_api_create, "sharing.record"},
	{HTTP_GET, "/api/v1/lawful-bases", h_api_bases, "reference.read"},
	{HTTP_GET, "/children/:id/sharing", h_page, "child.read"},
	{HTTP_POST, "/children/:id/sharing", h_page_create, "sharing.record"},
	{0},
};
