/* User administration: the operations (shared with admin_pages.c) and the JSON API under /api/v1/users. */
#include "api/admin_api.h"

#include <stdio.h>
#include <string.h>

#include "api/access_control.h"
#include "api/access_util.h"
#include "api/command.h"
#include "app/web.h"
#include "audit/audit.h"
#include "auth/login.h"
#include "core/date.h"
#include "core/id.h"

#define USERS_SQL                                                                                                   \
	"SELECT u.id, u.username, u.display_name, u.role, u.team_id, t.name, u.disabled, "                          \
	"EXISTS (SELECT 1 FROM user_totp p WHERE p.user_id = u.id AND p.confirmed_at IS NOT NULL), "                \
	"l.locked_until FROM users u LEFT JOIN teams t ON t.id = u.team_id "                                        \
	"LEFT JOIN login_lockouts l ON l.username = u.username "

static json_t *user_row(struct http_request *req, const struct roles *roles, struct store_stmt *s, const char *now)
{
	const char *role = store_col_text(s, 3);
	const struct role *r = roles ? roles_find(roles, role) : NULL;
	const char *until = store_col_text(s, 8);
	bool locked = until && strcmp(until, now) > 0;
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:b, s:b, s:b, s:s?}", "id", store_col_text(s, 0),
	                 "username", store_col_text(s, 1), "display_name", store_col_text(s, 2), "role", role,
	                 "role_label", r ? r->label : role, "team_id", store_col_text(s, 4), "team_name",
	                 store_col_text(s, 5), "disabled", (int)store_col_int(s, 6), "totp_enrolled",
	                 (int)store_col_int(s, 7), "locked", locked, "locked_until",
	                 locked ? access_util_when(req, access_util_parse_moment(until)) : NULL);
}

static json_t *query_users(struct http_request *req, const char *user_id)
{
	const struct roles *roles = access_util_roles_or_respond(req);
	if (!roles)
		return NULL;
	char now[AUDIT_TIME_LEN];
	audit_time_format(moment_now(), now);
	struct store_stmt *s = store_prepare(req->store, user_id ? USERS_SQL "WHERE u.id = $1"
	                                                         : USERS_SQL "ORDER BY u.display_name, u.username");
	json_t *items = json_array();
	if (!s)
		return items;
	if (user_id)
		store_bind_text(s, 1, user_id);
	while (store_step(s) == STORE_ROW)
		json_array_append_new(items, user_row(req, roles, s, now));
	store_reset(s);
	return items;
}

json_t *admin_api_users(struct http_request *req)
{
	return query_users(req, NULL);
}

json_t *admin_api_user(struct http_request *req, const char *user_id)
{
	if (!user_id || !*user_id)
		return NULL;
	json_t *items = query_users(req, user_id);
	json_t *u = json_incref(json_array_get(items, 0));
	json_decref(items);
	return u;
}

json_t *admin_api_teams(struct http_request *req, const char *team_id)
{
	json_t *teams = json_array();
	struct store_stmt *s = store_prepare(req->store, "SELECT id, name FROM teams ORDER BY name");
	while (s && store_step(s) == STORE_ROW) {
		const char *id = store_col_text(s, 0);
		json_array_append_new(teams, json_pack("{s:s, s:s, s:b}", "id", id, "name", store_col_text(s, 1),
		                                       "selected", team_id && strcmp(team_id, id) == 0));
	}
	return teams;
}

json_t *admin_api_roles(struct http_request *req, const char *selected)
{
	const struct roles *roles = access_util_roles_or_respond(req);
	if (!roles)
		return NULL;
	json_t *out = json_array();
	for (size_t i = 0; i < roles->count; i++) {
		const struct role *r = &roles->items[i];
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:b}", "code", r->code, "label", r->label,
		                                     "description", r->description,
		                                     "selected", selected && strcmp(selected, r->code) == 0));
	}
	return out;
}

/* Maps an account refusal to the field it is about. */
static const char *field_for(const char *why, const char *fallback)
{
	if (!why)
		return fallback;
	/* Every password-policy sentence names the password; test it first, as one also mentions the username. */
	if (strstr(why, "password"))
		return "password";
	if (strstr(why, "username"))
		return "username";
	if (strstr(why, "role"))
		return "role";
	if (strstr(why, "name"))
		return "display_name";
	return fallback;
}

static int account_result(struct http_request *req, int rc, const char *why, const char *field, json_t *errors)
{
	if (rc == ACCOUNT_OK)
		return 0;
	if (rc == ACCOUNT_REFUSED) {
		access_util_error(errors, field_for(why, field), why ? why : "That change is not allowed.");
		return 1;
	}
	web_error(req, 500, "Internal error", "The account could not be changed. Nothing was saved; try again.");
	return -1;
}

/* The team id to set: "" for none. NULL (with an error) when it names no team. */
static const char *team_input(struct http_request *req, json_t *in, json_t *errors)
{
	json_t *v = json_object_get(in, "team_id");
	if (!v || json_is_null(v))
		return "";
	const char *t = access_util_text(req, in, "team_id");
	if (!t && json_is_string(v))
		return "";
	if (t && store_query_int(req->store, "SELECT COUNT(*) FROM teams WHERE id = $1", t) == 1)
		return t;
	access_util_error(errors, "team_id", "Choose a team from the list");
	return NULL;
}

/* The team is part of what a person may see (the 'team' relation), so a change is a permission change. */
static int set_team(struct http_request *req, const char *user_id, const char *team_id)
{
	if (command_begin_or_respond(req) < 0)
		return -1;
	struct store_stmt *s =
		store_prepare(req->store, "UPDATE users SET team_id = $1, updated_at = $2 WHERE id = $3");
	char now[MOMENT_ISO_LEN];
	moment_format(moment_now(), now);
	int rc = STORE_ERR;
	if (s) {
		store_bind_text(s, 1, *team_id ? team_id : NULL);
		store_bind_text(s, 2, now);
		store_bind_text(s, 3, user_id);
		rc = store_step(s);
	}
	if (rc != STORE_DONE) {
		web_store_failure(req, rc);
		return -1;
	}
	struct audit_event ev = {.action = "permission_change", .object_type = "user", .object_id = user_id,
	                         .detail = *team_id ? "team changed" : "team removed"};
	if (access_util_audit_or_respond(req, ev) < 0 || command_commit_or_respond(req) < 0)
		return -1;
	return 0;
}

int admin_api_create(struct http_request *req, json_t *in, json_t *errors, char id_out[ACCOUNT_ID_SIZE])
{
	const struct roles *roles = access_util_roles_or_respond(req);
	if (!roles)
		return -1;
	const char *username = access_util_text(req, in, "username");
	const char *name = access_util_text(req, in, "display_name");
	const char *role = access_util_text(req, in, "role");
	const char *pw = json_string_value(json_object_get(in, "password"));
	if (!username)
		access_util_error(errors, "username", "Enter a username");
	if (!name)
		access_util_error(errors, "display_name", "Enter the person's full name");
	if (!role)
		access_util_error(errors, "role", "Choose a role");
	else if (!roles_find(roles, role))
		access_util_error(errors, "role", "Choose a role from the list");
	if (!pw || !*pw)
		access_util_error(errors, "password", "Enter an initial password");
	const char *team = team_input(req, in, errors);
	if (json_array_size(errors))
		return 1;
	const char *why = NULL;
	int rc = account_create(req->store, roles, req->user.id, username, name, role, pw, moment_now(), id_out, &why);
	rc = account_result(req, rc, why, "username", errors); /* why is set only once the call has returned */
	if (rc != 0 || !*team)
		return rc;
	return set_team(req, id_out, team);
}

int admin_api_update(struct http_request *req, const char *user_id, json_t *in, json_t *errors)
{
	const struct roles *roles = access_util_roles_or_respond(req);
	if (!roles)
		return -1;
	struct account a;
	int found = account_get(req->store, user_id, &a);
	if (found < 0) {
		web_store_failure(req, STORE_ERR);
		return -1;
	}
	if (found == 0) {
		web_not_found(req);
		return -1;
	}
	const char *k;
	json_t *v;
	json_object_foreach(in, k, v) {
		if (strcmp(k, "role") && strcmp(k, "disabled") && strcmp(k, "team_id") && strcmp(k, "csrf"))
			access_util_error(errors, k, "This is not something that can be changed here");
	}
	const char *role = json_object_get(in, "role") ? access_util_text(req, in, "role") : NULL;
	if (json_object_get(in, "role") && (!role || !roles_find(roles, role)))
		access_util_error(errors, "role", "Choose a role from the list");
	int disabled = json_object_get(in, "disabled") ? access_util_flag(in, "disabled") : -2;
	if (disabled == -1)
		access_util_error(errors, "disabled", "disabled must be true or false");
	const char *team = json_object_get(in, "team_id") ? team_input(req, in, errors) : NULL;
	bool self = strcmp(user_id, req->user.id) == 0;
	if (self && role && strcmp(role, a.role) != 0)
		access_util_error(errors, "role", "You cannot change your own role: ask another administrator");
	if (self && disabled == 1)
		access_util_error(errors, "disabled", "You cannot disable your own account");
	if (json_array_size(errors))
		return 1;
	const char *why = NULL;
	int64_t now = moment_now();
	int rc = 0;
	if (role && strcmp(role, a.role) != 0) {
		rc = account_set_role(req->store, roles, req->user.id, user_id, role, now, &why);
		rc = account_result(req, rc, why, "role", errors);
	}
	if (rc == 0 && disabled >= 0 && disabled != a.disabled) {
		rc = disabled ? account_disable(req->store, req->user.id, user_id, now, &why)
		              : account_enable(req->store, req->user.id, user_id, now, &why);
		rc = account_result(req, rc, why, "disabled", errors);
	}
	if (rc == 0 && team) {
		json_t *cur = admin_api_user(req, user_id);
		const char *cur_team = json_string_value(json_object_get(cur, "team_id"));
		bool same = cur_team ? strcmp(cur_team, team) == 0 : !*team;
		json_decref(cur);
		if (!same)
			rc = set_team(req, user_id, team);
	}
	return rc;
}

int admin_api_reset_password(struct http_request *req, const char *user_id, const char *password, json_t *errors)
{
	if (!password || !*password) {
		access_util_error(errors, "password", "Enter the new password");
		return 1;
	}
	const char *why = NULL;
	int rc = account_set_password(req->store, req->user.id, user_id, password, moment_now(), &why);
	if (rc == ACCOUNT_REFUSED && why && strstr(why, "no such account")) {
		web_not_found(req);
		return -1;
	}
	return account_result(req, rc, why, "password", errors);
}

int admin_api_unlock(struct http_request *req, const char *user_id, json_t *errors)
{
	struct account a;
	int found = account_get(req->store, user_id, &a);
	if (found <= 0) {
		if (found < 0)
			web_store_failure(req, STORE_ERR);
		else
			web_not_found(req);
		return -1;
	}
	if (login_unlock(req->store, req->user.id, a.username, moment_now()) < 0) {
		web_error(req, 500, "Internal error", "The account could not be unlocked. Try again.");
		return -1;
	}
	return 0;
}

int admin_api_totp_remove(struct http_request *req, const char *user_id, json_t *errors)
{
	struct account a;
	int found = account_get(req->store, user_id, &a);
	if (found <= 0) {
		if (found < 0)
			web_store_failure(req, STORE_ERR);
		else
			web_not_found(req);
		return -1;
	}
	const char *why = NULL;
	int rc = account_totp_remove(req->store, req->user.id, user_id, moment_now(), &why);
	return account_result(req, rc, why, "totp", errors);
}

/* ---- the JSON API ---- */

static void answer_user(struct http_request *req, int status, const char *user_id)
{
	json_t *u = admin_api_user(req, user_id);
	if (!u) {
		web_not_found(req);
		return;
	}
	http_json(req, status, u);
}

static void h_list(struct http_request *req)
{
	json_t *items = admin_api_users(req);
	if (items)
		http_json(req, 200, json_pack("{s:o}", "items", items));
}

static void h_create(struct http_request *req)
{
	json_t *in = command_input_or_respond(req, NULL);
	if (!in)
		return;
	json_t *errors = json_array();
	char id[ACCOUNT_ID_SIZE];
	int rc = admin_api_create(req, in, errors, id);
	json_decref(in);
	if (rc == 1) {
		web_invalid(req, errors);
		return;
	}
	json_decref(errors);
	if (rc < 0)
		return;
	http_header(req, "Location", arena_printf(&req->arena, "/api/v1/users/%s", id));
	answer_user(req, 201, id);
}

static void h_get(struct http_request *req)
{
	answer_user(req, 200, http_param(req, 0));
}

static bool user_exists(struct http_request *req, const char *id)
{
	return id_valid(id) && store_query_int(req->store, "SELECT COUNT(*) FROM users WHERE id = $1", id) == 1;
}

/* Runs op on the user in the path and answers with the user, or 204 (a password, which has nothing to show). */
static void run_op(struct http_request *req, int (*op)(struct http_request *, const char *, json_t *, json_t *),
                   bool needs_body, int ok_status)
{
	const char *id = http_param(req, 0);
	if (!user_exists(req, id)) {
		web_not_found(req);
		return;
	}
	json_t *in = needs_body ? command_input_or_respond(req, NULL) : json_object();
	if (!in)
		return;
	json_t *errors = json_array();
	int rc = op(req, id, in, errors);
	json_decref(in);
	if (rc == 1) {
		web_invalid(req, errors);
		return;
	}
	json_decref(errors);
	if (rc < 0)
		return;
	if (ok_status == 204)
		http_respond(req, 204, NULL, "", 0);
	else
		answer_user(req, ok_status, id);
}

static int op_update(struct http_request *req, const char *id, json_t *in, json_t *errors)
{
	return admin_api_update(req, id, in, errors);
}

static int op_password(struct http_request *req, const char *id, json_t *in, json_t *errors)
{
	return admin_api_reset_password(req, id, json_string_value(json_object_get(in, "password")), errors);
}

static int op_unlock(struct http_request *req, const char *id, json_t *in, json_t *errors)
{
	return admin_api_unlock(req, id, errors);
}

static int op_totp_remove(struct http_request *req, const char *id, json_t *in, json_t *errors)
{
	return admin_api_totp_remove(req, id, errors);
}

static void h_update(struct http_request *req)
{
	run_op(req, op_update, true, 200);
}

static void h_password(struct http_request *req)
{
	run_op(req, op_password, true, 204);
}

static void h_unlock(struct http_request *req)
{
	run_op(req, op_unlock, false, 200);
}

static void h_totp_remove(struct http_request *req)
{
	run_op(req, op_totp_remove, false, 200);
}

const struct route admin_routes[] = {
	{HTTP_GET, "/api/v1/users", h_list, "user.manage"},
	{HTTP_POST, "/api/v1/users", h_create, "user.manage"},
	{HTTP_GET, "/api/v1/users/:id", h_get, "user.manage"},
	{HTTP_PATCH, "/api/v1/users/:id", h_update, "user.manage"},
	{HTTP_POST, "/api/v1/users/:id/password", h_password, "user.manage"},
	{HTTP_POST, "/api/v1/users/:id/unlock", h_unlock, "user.manage"},
	{HTTP_DELETE, "/api/v1/users/:id/totp", h_totp_remove, "user.manage"},
	{0},
};
