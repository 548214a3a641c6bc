/* Emergency ("break-glass") access to a child's restricted details (issue 7, part 2).
 *
 * Someone who may read a child's record but is not on its restricted list (child.restricted) can, when the policy
 * grants them child.break_glass for that child, give a reason and see the restricted details for a limited time.
 * One transaction records the grant, the audit entry "break_glass" with the reason, and an alert to the child's
 * allocated worker and their team manager. The policy (src/policy) then answers child.restricted with yes for that
 * user and child until the grant expires; nothing here decides access itself. */
#include <stdio.h>
#include <string.h>

#include "api/access_control.h"
#include "api/access_util.h"
#include "api/command.h"
#include "app/web.h"
#include "core/date.h"
#include "core/id.h"
#include "policy/policy.h"

#define REASON_MIN 10
#define REASON_MAX 1000
#define MAX_ALERTED 16

/* Who is told: the allocated workers on the child's open cases and the managers of their teams (and of the cases'
 * teams); with no open case, whoever recorded the child. Never the person who broke the glass. */
static int recipients(struct http_request *req, const char *child_id, char ids[MAX_ALERTED][ID_MAX])
{
	struct store_stmt *s = store_prepare(
		req->store,
		"SELECT c.allocated_user_id FROM cases c WHERE c.child_id = $1 AND c.closed_at IS NULL "
		"AND c.allocated_user_id IS NOT NULL "
		"UNION SELECT t.manager_id FROM cases c JOIN users w ON w.id = c.allocated_user_id "
		"JOIN teams t ON t.id = w.team_id WHERE c.child_id = $1 AND c.closed_at IS NULL AND t.manager_id IS NOT NULL "
		"UNION SELECT t.manager_id FROM cases c JOIN teams t ON t.id = c.team_id "
		"WHERE c.child_id = $1 AND c.closed_at IS NULL AND t.manager_id IS NOT NULL "
		"UNION SELECT ch.created_by FROM children ch WHERE ch.id = $1 AND ch.created_by IS NOT NULL AND NOT EXISTS "
		"(SELECT 1 FROM cases c WHERE c.child_id = ch.id AND c.closed_at IS NULL)");
	if (!s)
		return -1;
	store_bind_text(s, 1, child_id);
	int n = 0;
	while (n < MAX_ALERTED && store_step(s) == STORE_ROW) {
		const char *u = store_col_text(s, 0);
		if (u && strcmp(u, req->user.id) != 0)
			snprintf(ids[n++], ID_MAX, "%s", u);
	}
	store_reset(s);
	return n;
}

/* 0 granted (id_out, *expires filled); 1 refused with errors; -1 answered. */
static int grant(struct http_request *req, const char *child_id, const char *reason, json_t *errors,
                 char id_out[ID_MAX], int64_t *expires)
{
	if (!reason)
		access_util_error(errors, "reason", "Say why you need to see the restricted details");
	else if (strlen(reason) < REASON_MIN)
		access_util_error(errors, "reason", "Give a fuller reason: at least 10 characters");
	else if (strlen(reason) > REASON_MAX)
		access_util_error(errors, "reason", "The reason must be 1,000 characters or fewer");
	if (policy_child(req->store, &req->user, "child.restricted", child_id))
		access_util_error(errors, "reason", "You can already see this child's restricted details");
	if (json_array_size(errors))
		return 1;
	char who[MAX_ALERTED][ID_MAX];
	int n = recipients(req, child_id, who);
	if (n < 0) {
		web_store_failure(req, STORE_ERR);
		return -1;
	}
	int64_t now = moment_now();
	*expires = now + policy_break_glass_seconds();
	if (command_begin_or_respond(req) < 0)
		return -1;
	id_new("bgl", id_out);
	struct store_stmt *s = store_prepare(
		req->store, "INSERT INTO break_glass_grants (id, user_id, child_id, reason, granted_at, expires_at) "
		            "VALUES ($1, $2, $3, $4, $5, $6)");
	int rc = STORE_ERR;
	if (s) {
		store_bind_text(s, 1, id_out);
		store_bind_text(s, 2, req->user.id);
		store_bind_text(s, 3, child_id);
		store_bind_text(s, 4, reason);
		store_bind_int(s, 5, now);
		store_bind_int(s, 6, *expires);
		rc = store_step(s) == STORE_DONE ? STORE_OK : STORE_ERR;
	}
	for (int i = 0; rc == STORE_OK && i < n; i++)
		rc = alerts_add(req->store, who[i], "break_glass", child_id, id_out, req->user.id);
	if (rc != STORE_OK) {
		web_store_failure(req, rc);
		return -1;
	}
	struct audit_event ev = {.action = "break_glass", .object_type = "child", .object_id = child_id,
	                         .child_id = child_id, .reason = reason,
	                         .detail = arena_printf(&req->arena, "restricted details for %d minutes; %d alerted",
	                                                policy_break_glass_seconds() / 60, n)};
	if (access_util_audit_or_respond(req, ev) < 0 || command_commit_or_respond(req) < 0)
		return -1;
	return 0;
}

static void render_page(struct http_request *req, int status, json_t *errors)
{
	const char *id = http_param(req, 0);
	const char *reason = http_form(req, "reason");
	int64_t until = policy_break_glass_until(req->store, &req->user, id);
	bool on_list = policy_child(req->store, &req->user, "child.restricted", id);
	const char *name = access_util_child_name(req, id);
	json_t *ctx = json_pack("{s:s, s:s, s:s, s:b, s:b, s:s, s:i, s:s}", "child_id", id, "name", name, "reason",
	                        reason ? reason : "", "on_list", on_list && !until, "active", until > 0, "until",
	                        access_util_when(req, until), "minutes", policy_break_glass_seconds() / 60,
	                        "back_href", arena_printf(&req->arena, "/children/%s", id));
	if (errors)
		web_add_errors(ctx, errors);
	json_decref(errors);
	web_page(req, status, "break_glass", "See restricted details", ctx);
}

static void h_page(struct http_request *req)
{
	if (!command_child_allowed(req, "child.break_glass", http_param(req, 0)))
		return;
	render_page(req, 200, NULL);
}

static void h_post(struct http_request *req)
{
	const char *id = http_param(req, 0);
	if (!command_child_allowed(req, "child.break_glass", id))
		return;
	json_t *in = command_input_or_respond(req, NULL);
	if (!in)
		return;
	json_t *errors = json_array();
	char grant_id[ID_MAX];
	int64_t expires = 0;
	int rc = grant(req, id, access_util_text(req, in, "reason"), errors, grant_id, &expires);
	json_decref(in);
	if (rc == 1) {
		if (req->is_api)
			web_invalid(req, errors);
		else
			render_page(req, 422, errors);
		return;
	}
	json_decref(errors);
	if (rc < 0)
		return;
	if (!req->is_api) {
		http_redirect(req, arena_printf(&req->arena, "/children/%s", id));
		return;
	}
	char exp[MOMENT_ISO_LEN];
	moment_format(expires, exp);
	http_json(req, 201, json_pack("{s:s, s:s, s:s, s:b}", "id", grant_id, "child_id", id, "expires_at", exp,
	                              "restricted_visible", 1));
}

static void h_api_status(struct http_request *req)
{
	const char *id = http_param(req, 0);
	if (!command_child_allowed(req, "child.break_glass", id))
		return;
	int64_t until = policy_break_glass_until(req->store, &req->user, id);
	char exp[MOMENT_ISO_LEN];
	moment_format(until, exp);
	http_json(req, 200, json_pack("{s:b, s:s?, s:b, s:i}", "active", until > 0, "expires_at", until ? exp : NULL,
	                              "restricted_visible",
	                              policy_child(req->store, &req->user, "child.restricted", id), "minutes",
	                              policy_break_glass_seconds() / 60));
}

const struct route break_glass_routes[] = {
	{HTTP_GET, "/children/:id/break-glass", h_page, "child.break_glass"},
	{HTTP_POST, "/children/:id/break-glass", h_post, "child.break_glass"},
	{HTTP_GET, "/api/v1/children/:id/break-glass", h_api_status, "child.break_glass"},
	{HTTP_POST, "/api/v1/children/:id/break-glass", h_post, "child.break_glass"},
	{0},
};
