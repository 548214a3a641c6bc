/* User administration pages for the system administrator: the list of accounts, adding one, and one account's page
 * with a form for each change (role, team, disable or enable, reset password, lift a lock-out, remove the second
 * factor). Each form posts to its own address and comes back to the account's page; a refused change re-renders the
 * page with the GOV.UK error summary and the choices made kept. */
#include <stdio.h>
#include <string.h>

#include "api/access_control.h"
#include "api/access_util.h"
#include "api/admin_api.h"
#include "api/command.h"
#include "app/web.h"
#include "core/id.h"

static void h_users(struct http_request *req)
{
	json_t *items = admin_api_users(req);
	if (!items)
		return;
	json_t *ctx = json_pack("{s:o, s:i}", "users", items, "count", (int)json_array_size(items));
	web_page(req, 200, "admin/users", "Users", ctx);
}

static const char *const new_keys[] = {"display_name", "username", "role", "team_id"};

static void render_new(struct http_request *req, int status, json_t *errors)
{
	json_t *roles = admin_api_roles(req, http_form(req, "role"));
	if (!roles) {
		json_decref(errors);
		return;
	}
	json_t *ctx = json_pack("{s:o, s:o, s:o, s:s}", "form", access_util_typed(req, new_keys, 4), "roles", roles,
	                        "teams", admin_api_teams(req, http_form(req, "team_id")), "back_href", "/admin/users");
	if (errors)
		web_add_errors(ctx, errors);
	json_decref(errors);
	web_page(req, status, "admin/user_new", "Add a user", ctx);
}

static void h_new(struct http_request *req)
{
	render_new(req, 200, NULL);
}

static void h_create(struct http_request *req)
{
	json_t *in = command_input_or_respond(req, NULL);
	json_t *errors = json_array();
	char id[ACCOUNT_ID_SIZE];
	int rc = admin_api_create(req, in, errors, id);
	json_decref(in);
	if (rc == 1) {
		render_new(req, 422, errors);
		return;
	}
	json_decref(errors);
	if (rc == 0)
		http_redirect(req, arena_printf(&req->arena, "/admin/users/%s?done=created", id));
}

static const char *flash_for(const char *done)
{
	static const struct {
		const char *code, *text;
	} msgs[] = {
		{"created", "The account has been created. Give the person their initial password in person or by phone."},
		{"role", "The role has been changed. The person has been signed out so the new role applies."},
		{"team", "The team has been changed."},
		{"disabled", "The account has been disabled and its sessions ended."},
		{"enabled", "The account has been enabled."},
		{"password", "The password has been reset and the person has been signed out everywhere."},
		{"unlocked", "The lock-out has been lifted."},
		{"totp", "Two-step verification has been removed. The person can set it up again."},
	};
	for (size_t i = 0; done && i < sizeof msgs / sizeof msgs[0]; i++)
		if (strcmp(done, msgs[i].code) == 0)
			return msgs[i].text;
	return NULL;
}

static void render_user(struct http_request *req, int status, json_t *errors)
{
	const char *id = http_param(req, 0);
	json_t *u = id_valid(id) ? admin_api_user(req, id) : NULL;
	if (!u) {
		json_decref(errors);
		web_not_found(req);
		return;
	}
	const char *role = http_form(req, "role") ? http_form(req, "role") : json_string_value(json_object_get(u, "role"));
	const char *team =
		http_form(req, "team_id") ? http_form(req, "team_id") : json_string_value(json_object_get(u, "team_id"));
	json_t *roles = admin_api_roles(req, role);
	if (!roles) {
		json_decref(u);
		json_decref(errors);
		return;
	}
	const char *name = arena_strdup(&req->arena, json_string_value(json_object_get(u, "display_name")));
	json_t *ctx = json_pack("{s:o, s:o, s:o, s:b, s:s?, s:s}", "account", u, "roles", roles, "teams",
	                        admin_api_teams(req, team), "self", strcmp(id, req->user.id) == 0, "flash",
	                        errors ? NULL : flash_for(http_query(req, "done")), "back_href", "/admin/users");
	if (errors)
		web_add_errors(ctx, errors);
	json_decref(errors);
	web_page(req, status, "admin/user", name, ctx);
}

static void h_user(struct http_request *req)
{
	render_user(req, 200, NULL);
}

/* One change from the account's page: in is what the op reads; done names the flash on success. */
static void change(struct http_request *req, json_t *in, int (*op)(struct http_request *, const char *, json_t *,
                                                                   json_t *), const char *done)
{
	const char *id = http_param(req, 0);
	json_t *errors = json_array();
	bool exists = id_valid(id) && store_query_int(req->store, "SELECT COUNT(*) FROM users WHERE id = $1", id) == 1;
	int rc = exists ? op(req, id, in, errors) : 2;
	json_decref(in);
	if (rc == 2) {
		json_decref(errors);
		web_not_found(req);
		return;
	}
	if (rc == 1) {
		render_user(req, 422, errors);
		return;
	}
	json_decref(errors);
	if (rc == 0)
		http_redirect(req, arena_printf(&req->arena, "/admin/users/%s?done=%s", id, done));
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

static json_t *form_field(struct http_request *req, const char *key)
{
	const char *v = http_form(req, key);
	return json_pack("{s:s}", key, v ? v : "");
}

static void h_role(struct http_request *req)
{
	change(req, form_field(req, "role"), op_update, "role");
}

static void h_team(struct http_request *req)
{
	change(req, form_field(req, "team_id"), op_update, "team");
}

static void h_disable(struct http_request *req)
{
	change(req, json_pack("{s:b}", "disabled", 1), op_update, "disabled");
}

static void h_enable(struct http_request *req)
{
	change(req, json_pack("{s:b}", "disabled", 0), op_update, "enabled");
}

static void h_password(struct http_request *req)
{
	change(req, form_field(req, "password"), op_password, "password");
}

static void h_unlock(struct http_request *req)
{
	change(req, json_object(), op_unlock, "unlocked");
}

static void h_totp_remove(struct http_request *req)
{
	change(req, json_object(), op_totp_remove, "totp");
}

const struct route admin_pages_routes[] = {
	{HTTP_GET, "/admin/users", h_users, "user.manage"},
	{HTTP_GET, "/admin/users/new", h_new, "user.manage"},
	{HTTP_POST, "/admin/users", h_create, "user.manage"},
	{HTTP_GET, "/admin/users/:id", h_user, "user.manage"},
	{HTTP_POST, "/admin/users/:id/role", h_role, "user.manage"},
	{HTTP_POST, "/admin/users/:id/team", h_team, "user.manage"},
	{HTTP_POST, "/admin/users/:id/disable", h_disable, "user.manage"},
	{HTTP_POST, "/admin/users/:id/enable", h_enable, "user.manage"},
	{HTTP_POST, "/admin/users/:id/password", h_password, "user.manage"},
	{HTTP_POST, "/admin/users/:id/unlock", h_unlock, "user.manage"},
	{HTTP_POST, "/admin/users/:id/totp-remove", h_totp_remove, "user.manage"},
	{0},
};
