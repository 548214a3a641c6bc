/* One's own account: the account page, changing one's password, and enrolling a second factor (TOTP) for the roles
 * that use one. Pages and JSON call the same account_* functions (src/auth/account.h), which check and audit. */
#include <stdio.h>
#include <string.h>

#include "api/access_control.h"
#include "api/access_util.h"
#include "api/command.h"
#include "app/web.h"
#include "auth/account.h"
#include "auth/password.h"
#include "auth/totp.h"
#include "core/date.h"
#include "policy/policy.h"

#define TOTP_ISSUER "Safeguard"

static const char *role_label(struct http_request *req, const struct roles *roles, const char *code)
{
	const struct role *r = roles ? roles_find(roles, code) : NULL;
	return r ? r->label : code;
}

static void h_account_page(struct http_request *req)
{
	const struct roles *roles = access_util_roles_or_respond(req);
	if (!roles)
		return;
	struct account a;
	if (account_get(req->store, req->user.id, &a) != 1) {
		web_store_failure(req, STORE_ERR);
		return;
	}
	const char *done = http_query(req, "done");
	const char *flash = !done ? NULL
	                    : strcmp(done, "password") == 0
	                        ? "Your password has been changed. You have been signed out everywhere else."
	                    : strcmp(done, "two-step") == 0 ? "Two-step verification is set up. You will need a code "
	                                                      "from your app each time you sign in."
	                                                    : NULL;
	json_t *ctx = json_pack("{s:s, s:s, s:s, s:b, s:b, s:b, s:s?}", "name", a.display_name, "username", a.username,
	                        "role_label", role_label(req, roles, a.role), "can_totp",
	                        policy_allows_action(&req->user, "account.totp"), "totp_enrolled", a.totp_enrolled,
	                        "can_calendar", policy_allows_action(&req->user, "clock.read"), "flash", flash);
	web_page(req, 200, "account/index", "Your account", ctx);
}

/* ---- password ---- */

/* 0 changed; 1 refused with errors filled; -1 answered (a database failure). */
static int change_password(struct http_request *req, const char *current, const char *fresh, const char *confirm,
                           bool check_confirm, json_t *errors)
{
	if (!current)
		access_util_error(errors, "current_password", "Enter your current password");
	if (!fresh)
		access_util_error(errors, "new_password", "Enter a new password");
	else if (check_confirm && (!confirm || strcmp(fresh, confirm) != 0))
		access_util_error(errors, "confirm_password", "The new passwords do not match: type the same one twice");
	const char *why = NULL;
	/* The new password's own faults are named against it before the current one is checked. */
	if (fresh && password_policy_check(fresh, req->user.username, &why) < 0)
		access_util_error(errors, "new_password", why);
	if (json_array_size(errors))
		return 1;
	int rc = account_change_password(req->store, req->user.id, current, fresh, req->user.session_id, moment_now(),
	                                 &why);
	if (rc == ACCOUNT_OK)
		return 0;
	if (rc == ACCOUNT_REFUSED) {
		bool about_new = why && strstr(why, "must be different");
		access_util_error(errors, about_new ? "new_password" : "current_password", why);
		return 1;
	}
	web_error(req, 500, "Internal error", "The password could not be changed. Nothing was saved; try again.");
	return -1;
}

static void render_password(struct http_request *req, int status, json_t *errors)
{
	json_t *ctx = json_pack("{s:s}", "back_href", "/account");
	if (errors)
		web_add_errors(ctx, errors);
	json_decref(errors);
	web_page(req, status, "account/password", "Change your password", ctx);
}

static void h_password_page(struct http_request *req)
{
	render_password(req, 200, NULL);
}

/* A password exactly as typed (spaces are part of it); NULL when absent or empty. */
static const char *password_input(json_t *in, const char *key)
{
	const char *v = json_string_value(json_object_get(in, key));
	return v && *v ? v : NULL;
}

static void h_password_post(struct http_request *req)
{
	json_t *in = command_input_or_respond(req, NULL);
	json_t *errors = json_array();
	int rc = change_password(req, password_input(in, "current_password"), password_input(in, "new_password"),
	                         password_input(in, "confirm_password"), true, errors);
	json_decref(in);
	if (rc == 1) {
		/* Passwords are never written back into the page: the user types them again. */
		render_password(req, 422, errors);
		return;
	}
	json_decref(errors);
	if (rc == 0)
		http_redirect(req, "/account?done=password");
}

static void h_api_password(struct http_request *req)
{
	json_t *in = command_input_or_respond(req, NULL);
	if (!in)
		return;
	json_t *errors = json_array();
	int rc = change_password(req, password_input(in, "current_password"), password_input(in, "new_password"), NULL,
	                         false, errors);
	json_decref(in);
	if (rc == 1) {
		web_invalid(req, errors);
		return;
	}
	json_decref(errors);
	if (rc == 0)
		http_respond(req, 204, NULL, "", 0);
}

/* ---- second factor ---- */

/* The unconfirmed secret of an enrolment in progress, or NULL. */
static const char *pending_secret(struct http_request *req)
{
	struct store_stmt *s =
		store_prepare(req->store, "SELECT secret FROM user_totp WHERE user_id = $1 AND confirmed_at IS NULL");
	if (!s)
		return NULL;
	store_bind_text(s, 1, req->user.id);
	const char *v = store_step(s) == STORE_ROW ? arena_strdup(&req->arena, store_col_text(s, 0)) : NULL;
	store_reset(s);
	return v;
}

/* The secret in groups of four, as authenticator apps accept it typed. */
static const char *grouped(struct http_request *req, const char *secret)
{
	struct buf b;
	buf_init(&b, 256);
	for (size_t i = 0; secret[i]; i++) {
		if (i && i % 4 == 0)
			buf_addc(&b, ' ');
		buf_addc(&b, secret[i]);
	}
	const char *out = arena_strdup(&req->arena, buf_str(&b));
	buf_free(&b);
	return out;
}

static void render_two_step(struct http_request *req, int status, const char *secret, json_t *errors)
{
	struct account a;
	if (account_get(req->store, req->user.id, &a) != 1) {
		json_decref(errors);
		web_store_failure(req, STORE_ERR);
		return;
	}
	if (!secret && !a.totp_enrolled)
		secret = pending_secret(req);
	json_t *ctx = json_pack("{s:b, s:s}", "enrolled", a.totp_enrolled, "back_href", "/account");
	if (secret) {
		struct buf uri;
		buf_init(&uri, 1024);
		totp_uri(&uri, TOTP_ISSUER, a.username, secret);
		json_object_set_new(ctx, "pending", json_pack("{s:s, s:s}", "secret", grouped(req, secret), "uri",
		                                              buf_str(&uri)));
		buf_free(&uri);
	}
	const char *code = http_form(req, "code");
	json_object_set_new(ctx, "code", json_string(code ? code : ""));
	if (errors)
		web_add_errors(ctx, errors);
	json_decref(errors);
	web_page(req, status, "account/two_step", "Two-step verification", ctx);
}

static void h_two_step_page(struct http_request *req)
{
	render_two_step(req, 200, NULL, NULL);
}

/* 0 begun (secret and uri filled); 1 refused (why set); -1 answered. */
static int begin(struct http_request *req, char secret[TOTP_SECRET_B32], struct buf *uri, const char **why)
{
	const struct roles *roles = access_util_roles_or_respond(req);
	if (!roles)
		return -1;
	int rc = account_totp_begin(req->store, roles, req->user.id, TOTP_ISSUER, moment_now(), secret, uri, why);
	if (rc == ACCOUNT_OK)
		return 0;
	if (rc == ACCOUNT_REFUSED)
		return 1;
	web_error(req, 500, "Internal error", "Two-step verification could not be started. Try again.");
	return -1;
}

static void h_two_step_begin(struct http_request *req)
{
	char secret[TOTP_SECRET_B32];
	struct buf uri;
	buf_init(&uri, 1024);
	const char *why = NULL;
	int rc = begin(req, secret, &uri, &why);
	buf_free(&uri);
	if (rc < 0)
		return;
	json_t *errors = NULL;
	if (rc == 1) {
		errors = json_array();
		access_util_error(errors, "setup", why);
	}
	render_two_step(req, rc == 1 ? 422 : 200, rc == 0 ? arena_strdup(&req->arena, secret) : NULL, errors);
}

/* 0 confirmed; 1 refused (why set); -1 answered. */
static int confirm(struct http_request *req, const char *code, const char **why)
{
	if (!code) {
		*why = "Enter the 6-digit code from your authenticator app";
		return 1;
	}
	int rc = account_totp_confirm(req->store, req->user.id, code, moment_now(), why);
	if (rc == ACCOUNT_OK)
		return 0;
	if (rc == ACCOUNT_REFUSED)
		return 1;
	web_error(req, 500, "Internal error", "The code could not be checked. Try again.");
	return -1;
}

static void h_two_step_confirm(struct http_request *req)
{
	json_t *in = command_input_or_respond(req, NULL);
	const char *why = NULL;
	int rc = confirm(req, access_util_text(req, in, "code"), &why);
	json_decref(in);
	if (rc == 0)
		http_redirect(req, "/account?done=two-step");
	if (rc != 1)
		return;
	json_t *errors = json_array();
	access_util_error(errors, "code", why);
	render_two_step(req, 422, NULL, errors);
}

static void h_api_totp_get(struct http_request *req)
{
	struct account a;
	if (account_get(req->store, req->user.id, &a) != 1) {
		web_store_failure(req, STORE_ERR);
		return;
	}
	http_json(req, 200, json_pack("{s:b, s:b}", "enrolled", a.totp_enrolled, "pending",
	                              !a.totp_enrolled && pending_secret(req) != NULL));
}

static void h_api_totp_begin(struct http_request *req)
{
	char secret[TOTP_SECRET_B32];
	struct buf uri;
	buf_init(&uri, 1024);
	const char *why = NULL;
	int rc = begin(req, secret, &uri, &why);
	if (rc == 0)
		http_json(req, 201, json_pack("{s:s, s:s}", "secret", secret, "otpauth_uri", buf_str(&uri)));
	else if (rc == 1)
		http_problem(req, 409, "Cannot start two-step verification", why, NULL);
	buf_free(&uri);
}

static void h_api_totp_confirm(struct http_request *req)
{
	json_t *in = command_input_or_respond(req, NULL);
	if (!in)
		return;
	const char *why = NULL;
	int rc = confirm(req, access_util_text(req, in, "code"), &why);
	json_decref(in);
	if (rc == 0)
		http_json(req, 200, json_pack("{s:b}", "enrolled", 1));
	else if (rc == 1)
		http_problem(req, 422, "Code not accepted", why, "code");
}

const struct route account_routes[] = {
	{HTTP_GET, "/account", h_account_page, "session.self"},
	{HTTP_GET, "/account/password", h_password_page, "session.self"},
	{HTTP_POST, "/account/password", h_password_post, "session.self"},
	{HTTP_POST, "/api/v1/me/password", h_api_password, "session.self"},
	{HTTP_GET, "/account/two-step", h_two_step_page, "account.totp"},
	{HTTP_POST, "/account/two-step", h_two_step_begin, "account.totp"},
	{HTTP_POST, "/account/two-step/confirm", h_two_step_confirm, "account.totp"},
	{HTTP_GET, "/api/v1/me/totp", h_api_totp_get, "account.totp"},
	{HTTP_POST, "/api/v1/me/totp", h_api_totp_begin, "account.totp"},
	{HTTP_POST, "/api/v1/me/totp/confirm", h_api_totp_confirm, "account.totp"},
	{0},
};
