/* Alerts to one user: raised inside another command's transaction (a break-glass use alerts the child's allocated
 * worker and their team manager), listed on "My work" and in the API until marked read. Only the alert's own user
 * ever sees it or marks it. */
#include <stdio.h>
#include <string.h>

#include "api/access_control.h"
#include "api/command.h"
#include "api/access_util.h"
#include "app/web.h"
#include "core/date.h"
#include "core/id.h"
#include "policy/policy.h"

#define ALERTS_LIST_MAX 100

int alerts_add(struct store *st, const char *user_id, const char *kind, const char *child_id, const char *source_id,
               const char *actor_id)
{
	struct store_stmt *s = store_prepare(
		st, "INSERT INTO alerts (id, user_id, kind, child_id, source_id, actor_id, created_at) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $7)");
	if (!s)
		return STORE_ERR;
	char id[ID_MAX];
	id_new("alr", id);
	store_bind_text(s, 1, id);
	store_bind_text(s, 2, user_id);
	store_bind_text(s, 3, kind);
	store_bind_text(s, 4, child_id);
	store_bind_text(s, 5, source_id);
	store_bind_text(s, 6, actor_id);
	store_bind_int(s, 7, moment_now());
	int rc = store_step(s);
	return rc == STORE_DONE ? STORE_OK : rc;
}

/* unread_only: the "My work" list; otherwise the newest ALERTS_LIST_MAX, read or not. */
static json_t *list_alerts(struct http_request *req, bool unread_only)
{
	json_t *items = json_array();
	struct store_stmt *s = store_prepare(
		req->store, "SELECT a.id, a.kind, a.child_id, a.created_at, a.read_at, u.display_name, g.reason, "
		            "g.expires_at FROM alerts a LEFT JOIN users u ON u.id = a.actor_id "
		            "LEFT JOIN break_glass_grants g ON g.id = a.source_id "
		            "WHERE a.user_id = $1 AND ($2 = 0 OR a.read_at IS NULL) ORDER BY a.created_at DESC LIMIT $3");
	if (!s)
		return items;
	store_bind_text(s, 1, req->user.id);
	store_bind_int(s, 2, unread_only);
	store_bind_int(s, 3, ALERTS_LIST_MAX);
	while (store_step(s) == STORE_ROW) {
		int64_t created = store_col_int(s, 3), expires = store_col_int(s, 7);
		json_array_append_new(
			items, json_pack("{s:s, s:s, s:s?, s:s, s:b, s:s, s:s?, s:s, s:I}", "id", store_col_text(s, 0), "kind",
			                 store_col_text(s, 1), "child_id", store_col_text(s, 2), "when",
			                 access_util_when(req, created), "read", !store_col_is_null(s, 4), "actor_name",
			                 store_col_text(s, 5) ? store_col_text(s, 5) : "", "reason", store_col_text(s, 6),
			                 "until", access_util_when(req, expires), "created_at", (json_int_t)created));
	}
	/* Names only for children this user may still read (a case can move on after the alert was raised). */
	size_t i;
	json_t *a;
	json_array_foreach(items, i, a) {
		const char *child = json_string_value(json_object_get(a, "child_id"));
		bool may = child && policy_child(req->store, &req->user, "child.read", child);
		json_object_set_new(a, "child_name", json_string(may ? access_util_child_name(req, child) : "a child"));
		json_object_set_new(a, "child_link", json_boolean(may));
	}
	return items;
}

json_t *alerts_unread(struct http_request *req)
{
	return list_alerts(req, true);
}

static void h_api_list(struct http_request *req)
{
	http_json(req, 200, json_pack("{s:o}", "items", list_alerts(req, false)));
}

/* Marks the alert read when it is this user's. Answers 404 (and returns -1) for any other id. */
static int mark_read(struct http_request *req)
{
	const char *id = http_param(req, 0);
	if (!id_valid(id)) {
		web_not_found(req);
		return -1;
	}
	if (command_begin_or_respond(req) < 0)
		return -1;
	struct store_stmt *s = store_prepare(
		req->store, "UPDATE alerts SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL");
	if (!s) {
		web_store_failure(req, STORE_ERR);
		return -1;
	}
	store_bind_int(s, 1, moment_now());
	store_bind_text(s, 2, id);
	store_bind_text(s, 3, req->user.id);
	int rc = store_step(s);
	if (rc != STORE_DONE) {
		web_store_failure(req, rc);
		return -1;
	}
	if (store_changes(req->store) == 0) {
		store_rollback(req->store);
		/* Already read is fine; someone else's (or no) alert looks the same as a missing one. */
		struct store_stmt *q = store_prepare(req->store, "SELECT 1 FROM alerts WHERE id = $1 AND user_id = $2");
		bool mine = false;
		if (q) {
			store_bind_text(q, 1, id);
			store_bind_text(q, 2, req->user.id);
			mine = store_step(q) == STORE_ROW;
			store_reset(q);
		}
		if (!mine) {
			web_not_found(req);
			return -1;
		}
		return 0;
	}
	return command_commit_or_respond(req);
}

static void h_api_read(struct http_request *req)
{
	if (mark_read(req) == 0)
		http_respond(req, 204, NULL, "", 0);
}

static void h_page_read(struct http_request *req)
{
	if (mark_read(req) == 0)
		http_redirect(req, "/");
}

const struct route alerts_routes[] = {
	{HTTP_GET, "/api/v1/me/alerts", h_api_list, "session.self"},
	{HTTP_POST, "/api/v1/me/alerts/:id/read", h_api_read, "session.self"},
	{HTTP_POST, "/alerts/:id/read", h_page_read, "session.self"},
	{0},
};
