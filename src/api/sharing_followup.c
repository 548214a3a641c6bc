/* Follow-ups on a recorded information-sharing decision (issue 7, part 4):
 *   - the four-eyes address check (procedures-B 3.5.6; spec B-ch01-07 digest G3.7): where the channel needs it
 *     (rules/sharing_channels.json), a second person, never the one who recorded the decision, confirms the address;
 *     until then no information pack is made for the decision;
 *   - settling "not yet" told (3.4.4, 3.5.3, 3.5.5; digest 3g): once it is safe, or once it is decided they will
 *     not be told, the answer becomes yes (with the date) or no (with the reason) and leaves the follow-up list.
 * Each is one transaction with a chronology entry and an audit entry ("update"); bad input writes nothing. */
#include <string.h>

#include "api/access_control.h"
#include "api/access_util.h"
#include "api/command.h"
#include "api/sharing_internal.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/chronology.h"

static bool is(const char *v, const char *want)
{
	return v && strcmp(v, want) == 0;
}

static bool known_key(const char *k, const char *const *keys, size_t n)
{
	if (strcmp(k, "csrf") == 0)
		return true;
	for (size_t i = 0; i < n; i++)
		if (strcmp(k, keys[i]) == 0)
			return true;
	return false;
}

static void unknown_fields(json_t *in, const char *const *keys, size_t n, json_t *errors)
{
	const char *k;
	json_t *v;
	json_object_foreach(in, k, v) {
		if (!known_key(k, keys, n))
			access_util_error(errors, k, "This is not a field of this follow-up");
	}
}

/* The decision named by sharing_decision_id, on this child; NULL (error added) when there is none. */
static json_t *decision_or_error(struct http_request *req, const char *child, json_t *in, json_t *errors)
{
	const char *id = access_util_text(req, in, "sharing_decision_id");
	json_t *d = id ? sharing_decision_view(req, child, id) : NULL;
	if (!d && !req->status)
		access_util_error(errors, "sharing_decision_id", "Choose a sharing decision recorded for this child");
	return d;
}

static int update(struct http_request *req, const char *sql, const char *const *args, size_t n)
{
	struct store_stmt *s = store_prepare(req->store, sql);
	if (!s)
		return STORE_ERR;
	for (size_t i = 0; i < n; i++)
		store_bind_text(s, (int)i + 1, args[i]);
	if (store_step(s) != STORE_DONE)
		return STORE_ERR;
	return store_changes(req->store) == 1 ? STORE_OK : STORE_CONSTRAINT; /* settled meanwhile by someone else */
}

/* Writes the follow-up with its chronology and audit entries. 0 done; -1 answered. */
static int commit(struct http_request *req, const char *child, const char *id, const char *sql,
                  const char *const *args, size_t n, const char *summary, const char *detail)
{
	if (command_begin_or_respond(req) < 0)
		return -1;
	int rc = update(req, sql, args, n);
	struct chronology_event ev = {.child_id = child, .event_type = "information_shared", .summary = summary,
	                              .source_type = "sharing_decision", .source_id = id};
	if (rc == STORE_OK)
		rc = chronology_append(req->store, &ev, req->user.id, NULL);
	if (rc != STORE_OK) {
		web_store_failure(req, rc);
		return -1;
	}
	struct audit_event ae = {.action = "update", .object_type = "sharing_decision", .object_id = id,
	                         .child_id = child, .detail = detail};
	if (access_util_audit_or_respond(req, ae) < 0 || command_commit_or_respond(req) < 0)
		return -1;
	return 0;
}

/* G3.7. 0 done (id_out); 1 refused (errors); -1 answered. */
static int address_check(struct http_request *req, const char *child, json_t *in, json_t *errors, const char **id_out)
{
	static const char *const keys[] = {"sharing_decision_id", "address_confirmed"};
	unknown_fields(in, keys, 2, errors);
	json_t *d = decision_or_error(req, child, in, errors);
	if (!d && req->status)
		return -1;
	if (d && !json_is_true(json_object_get(d, "address_check_required")))
		access_util_error(errors, "sharing_decision_id", "That decision's channel does not need an address check");
	else if (d && !json_is_true(json_object_get(d, "address_check_pending")))
		access_util_error(errors, "sharing_decision_id", "The address for that decision has already been checked");
	else if (d && is(json_string_value(json_object_get(d, "decided_by")), req->user.id))
		access_util_error(errors, "address_confirmed",
		                  "A second person must check the address: you recorded this decision, so ask a colleague");
	else if (access_util_flag(in, "address_confirmed") != 1)
		access_util_error(errors, "address_confirmed",
		                  "Confirm that you have checked the address against a trusted source");
	if (json_array_size(errors)) {
		json_decref(d);
		return 1;
	}
	const char *id = arena_printf(&req->arena, "%s", json_string_value(json_object_get(d, "id")));
	/* Copied before d goes: the string belongs to it. */
	const char *address = arena_strdup(&req->arena, json_string_value(json_object_get(d, "recipient_address")));
	json_decref(d);
	char now[AUDIT_TIME_LEN];
	audit_time_format(moment_now(), now);
	const char *args[] = {req->user.id, now, id};
	*id_out = id;
	return commit(req, child, id,
	              "UPDATE sharing_decisions SET address_checked_by = $1, address_checked_at = $2 WHERE id = $3 "
	              "AND address_check_required = 1 AND address_checked_by IS NULL",
	              args, 3,
	              arena_printf(&req->arena, "The address for sharing (%s) was checked by a second person",
	                           address ? address : "not given"),
	              "address checked by a second person");
}

/* 3.5.3: settling a "not yet". 0 done; 1 refused; -1 answered. */
static int informed(struct http_request *req, const char *child, json_t *in, json_t *errors, const char **id_out)
{
	static const char *const keys[] = {"sharing_decision_id", "subject_informed", "subject_informed_on",
	                                   "subject_not_informed_reason"};
	unknown_fields(in, keys, 4, errors);
	json_t *d = decision_or_error(req, child, in, errors);
	if (!d && req->status)
		return -1;
	if (d && !json_is_true(json_object_get(d, "informed_follow_up")))
		access_util_error(errors, "sharing_decision_id",
		                  "That decision is not waiting for an answer on whether the child or family was told");
	const char *ans = access_util_text(req, in, "subject_informed");
	const char *on = access_util_text(req, in, "subject_informed_on");
	const char *why = access_util_text(req, in, "subject_not_informed_reason");
	int32_t day;
	if (!is(ans, "yes") && !is(ans, "no"))
		access_util_error(errors, "subject_informed",
		                  "Say whether they have now been told, or will not be told; until then it stays on the list");
	else if (is(ans, "yes") && !on)
		access_util_error(errors, "subject_informed_on", "Enter the date they were told, like 2026-03-27");
	else if (is(ans, "yes") && date_parse(on, &day) < 0)
		access_util_error(errors, "subject_informed_on", "The date they were told must be a real date, like 2026-03-27");
	else if (is(ans, "yes") && day > date_today())
		access_util_error(errors, "subject_informed_on", "The date they were told must be today or in the past");
	else if (is(ans, "no") && !why)
		access_util_error(errors, "subject_not_informed_reason", "Say why they will not be told");
	else if (why && strlen(why) > SHARING_TEXT_MAX)
		access_util_error(errors, "subject_not_informed_reason", "Use 4,000 characters or fewer");
	if (json_array_size(errors)) {
		json_decref(d);
		return 1;
	}
	const char *id = arena_printf(&req->arena, "%s", json_string_value(json_object_get(d, "id")));
	json_decref(d);
	const char *args[] = {ans, is(ans, "yes") ? on : NULL, is(ans, "no") ? why : NULL, req->user.id, id};
	*id_out = id;
	return commit(req, child, id,
	              "UPDATE sharing_decisions SET subject_informed = $1, subject_informed_on = $2, "
	              "subject_not_informed_reason = $3, subject_informed_by = $4 WHERE id = $5 "
	              "AND subject_informed = 'not_yet'",
	              args, 5,
	              is(ans, "yes") ? arena_printf(&req->arena, "The child or family was told on %s that information was shared", on)
	                             : "Decided that the child or family will not be told that information was shared",
	              is(ans, "yes") ? "subject informed" : "subject will not be informed");
}

typedef int (*followup_fn)(struct http_request *, const char *, json_t *, json_t *, const char **);

static void api(struct http_request *req, followup_fn fn)
{
	const char *child = http_param(req, 0);
	if (!command_child_allowed(req, "sharing.record", child))
		return;
	json_t *in = command_input_or_respond(req, NULL);
	if (!in)
		return;
	json_t *errors = json_array();
	const char *id = NULL;
	int rc = fn(req, child, in, errors, &id);
	json_decref(in);
	if (rc == 1) {
		web_invalid(req, errors);
		return;
	}
	json_decref(errors);
	if (rc < 0)
		return;
	json_t *d = sharing_decision_view(req, child, id);
	if (d)
		http_json(req, 200, d);
}

static void page(struct http_request *req, followup_fn fn, const char *form)
{
	const char *child = http_param(req, 0);
	if (!command_child_allowed(req, "sharing.record", child))
		return;
	json_t *in = command_input_or_respond(req, NULL);
	if (!in)
		return;
	json_t *errors = json_array();
	const char *id = NULL;
	const char *named = arena_printf(&req->arena, "%s", access_util_text(req, in, "sharing_decision_id")
	                                                        ? access_util_text(req, in, "sharing_decision_id")
	                                                        : "");
	int rc = fn(req, child, in, errors, &id);
	json_decref(in);
	if (rc == 1) {
		sharing_render_page(req, 422, errors, form, named);
		return;
	}
	json_decref(errors);
	if (rc == 0)
		http_redirect(req, arena_printf(&req->arena, "/children/%s/sharing?done=%s", child, form));
}

void sharing_api_address_check(struct http_request *req)
{
	api(req, address_check);
}

void sharing_api_informed(struct http_request *req)
{
	api(req, informed);
}

void sharing_page_address_check(struct http_request *req)
{
	page(req, address_check, "address_check");
}

void sharing_page_informed(struct http_request *req)
{
	page(req, informed, "informed");
}
