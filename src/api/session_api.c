/* Signing in and out: the sign-in page and form, sign-out, and the API's session resource. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/records.h"
#include "app/app.h"
#include "app/web.h"
#include "auth/login.h"
#include "core/date.h"

#define PRESESSION_COOKIE "sg_presession"

/* The sign-in form has no session to hold a CSRF token yet, so it uses a double-submit token: a random value in
 * a SameSite=Strict cookie that must match the form's hidden field. */
static void set_presession(struct http_request *req, char token[44])
{
	/* Keep the token the browser already holds, so a second sign-in tab does not break the first. */
	const char *held = http_cookie_value(&req->arena, req->cookie, PRESESSION_COOKIE);
	bool reuse = held && strlen(held) == 32 && strspn(held, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                                                         "0123456789-_") == 32;
	if (reuse) {
		snprintf(token, 44, "%s", held);
		return;
	}
	unsigned char rnd[24];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2base64(token, 44, rnd, sizeof rnd, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	struct app *app = req->app;
	char *cookie = arena_printf(&req->arena, "%s=%s; Path=/sign-in; HttpOnly; SameSite=Strict%s", PRESESSION_COOKIE,
	                            token, app->cfg.cookie_secure ? "; Secure" : "");
	http_header(req, "Set-Cookie", cookie);
}

static bool safe_next(const char *next)
{
	/* Only a path on this site: no scheme, no host, no backslashes. */
	return next && next[0] == '/' && next[1] != '/' && !strchr(next, '\\') && strlen(next) < 512;
}

static void render_sign_in(struct http_request *req, int status, json_t *errors, const char *username)
{
	char token[44];
	set_presession(req, token);
	const char *next = http_query(req, "next");
	if (!next)
		next = http_form(req, "next");
	json_t *ctx = json_pack("{s:s, s:s, s:s, s:b}", "presession", token, "next", safe_next(next) ? next : "/",
	                        "username", username ? username : "", "expired", http_query(req, "expired") != NULL);
	if (errors)
		web_add_errors(ctx, errors);
	json_decref(errors);
	web_page(req, status, "sign_in", "Sign in", ctx);
}

static void h_sign_in_page(struct http_request *req)
{
	if (req->signed_in) {
		http_redirect(req, "/");
		return;
	}
	render_sign_in(req, 200, NULL, NULL);
}

static const char *outcome_message(const struct login_result *res)
{
	switch (res->outcome) {
	case LOGIN_LOCKED: return "This account is locked after too many failed attempts. Try again in 15 minutes.";
	case LOGIN_DISABLED: return "This account has been disabled. Contact your system administrator.";
	case LOGIN_TOTP_REQUIRED: return "Enter the 6-digit code from your authenticator app";
	case LOGIN_TOTP_INVALID: return "The code is wrong or has expired. Enter the current code from your app";
	default: return "Enter a correct username and password";
	}
}

/* Shared by the form and the API: 0 signed in (cookie set), 1 refused (res says why), -1 error (answered). */
static int do_sign_in(struct http_request *req, const char *username, const char *password, const char *code,
                      struct login_result *res)
{
	struct app *app = req->app;
	struct session_config scfg = {app->cfg.session_idle_s, app->cfg.session_absolute_s};
	struct login_request rq = {
		.username = username,
		.password = password,
		.totp_code = code,
		.presented_token = http_cookie_value(&req->arena, req->cookie, SESSION_COOKIE_NAME),
		.session = &scfg,
	};
	if (login_authenticate(req->store, &rq, moment_now(), res) < 0) {
		web_error(req, 500, "Internal error", "Signing in failed. Try again.");
		return -1;
	}
	if (res->outcome != LOGIN_OK)
		return 1;
	struct buf cookie;
	buf_init(&cookie, 1024);
	session_cookie(&cookie, res->token, app->cfg.cookie_secure);
	http_header(req, "Set-Cookie", buf_str(&cookie));
	buf_free(&cookie);
	return 0;
}

static void h_sign_in_post(struct http_request *req)
{
	const char *sent = http_form(req, "presession");
	const char *cookie = http_cookie_value(&req->arena, req->cookie, PRESESSION_COOKIE);
	if (!sent || !cookie || strlen(sent) != strlen(cookie) || sodium_memcmp(sent, cookie, strlen(sent)) != 0) {
		json_t *errors = json_pack("[{s:s, s:s}]", "field", "username", "message",
		                           "The sign-in form had expired. Enter your details again");
		render_sign_in(req, 400, errors, http_form(req, "username"));
		return;
	}
	const char *username = http_form(req, "username"), *password = http_form(req, "password");
	json_t *errors = json_array();
	if (!username || !*username)
		json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "username", "message", "Enter your username"));
	if (!password || !*password)
		json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "password", "message", "Enter your password"));
	if (json_array_size(errors)) {
		render_sign_in(req, 400, errors, username);
		return;
	}
	struct login_result res;
	int rc = do_sign_in(req, username, password, http_form(req, "code"), &res);
	if (rc < 0) {
		json_decref(errors);
		return;
	}
	if (rc == 1) {
		const char *field = res.outcome == LOGIN_TOTP_REQUIRED || res.outcome == LOGIN_TOTP_INVALID ? "code"
		                                                                                              : "username";
		json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field, "message", outcome_message(&res)));
		json_t *ctx_errors = errors;
		render_sign_in(req, res.outcome == LOGIN_LOCKED ? 429 : 401, ctx_errors, username);
		return;
	}
	json_decref(errors);
	const char *next = http_form(req, "next");
	http_redirect(req, safe_next(next) ? next : "/");
}

static void clear_cookie(struct http_request *req)
{
	struct app *app = req->app;
	struct buf cookie;
	buf_init(&cookie, 1024);
	session_cookie_clear(&cookie, app->cfg.cookie_secure);
	http_header(req, "Set-Cookie", buf_str(&cookie));
	buf_free(&cookie);
}

static void h_sign_out(struct http_request *req)
{
	login_sign_out(req->store, http_cookie_value(&req->arena, req->cookie, SESSION_COOKIE_NAME), moment_now());
	clear_cookie(req);
	if (req->is_api)
		http_respond(req, 204, NULL, "", 0);
	else
		http_redirect(req, "/sign-in?signed_out=1");
}

static json_t *session_json(const char *user_id, const char *username, const char *name, const char *role,
                            const char *csrf, int64_t expires)
{
	char exp[MOMENT_ISO_LEN];
	moment_format(expires, exp);
	return json_pack("{s:{s:s, s:s, s:s, s:s}, s:s, s:s}", "user", "id", user_id, "username", username,
	                 "display_name", name, "role", role, "csrf_token", csrf, "expires_at", exp);
}

static void h_api_session_create(struct http_request *req)
{
	json_t *in = req->json;
	const char *username = json_string_value(json_object_get(in, "username"));
	const char *password = json_string_value(json_object_get(in, "password"));
	const char *code = json_string_value(json_object_get(in, "totp_code"));
	if (!json_is_object(in) || !username || !password) {
		http_problem(req, 400, "Missing credentials", "Send {\"username\": ..., \"password\": ...} as JSON.",
		             !username ? "username" : "password");
		return;
	}
	struct login_result res;
	int rc = do_sign_in(req, username, password, code, &res);
	if (rc < 0)
		return;
	if (rc == 1) {
		int status = res.outcome == LOGIN_LOCKED ? 429 : 401;
		http_problem(req, status, status == 429 ? "Locked" : "Sign-in refused", outcome_message(&res),
		             res.outcome == LOGIN_TOTP_REQUIRED || res.outcome == LOGIN_TOTP_INVALID ? "totp_code" : NULL);
		return;
	}
	int64_t exp = res.session.expires_at < res.session.absolute_expires_at ? res.session.expires_at
	                                                                        : res.session.absolute_expires_at;
	http_json(req, 201,
	          session_json(res.account.id, res.account.username, res.account.display_name, res.account.role,
	                       res.session.csrf_token, exp));
}

static void h_api_session_get(struct http_request *req)
{
	http_json(req, 200,
	          session_json(req->user.id, req->user.username, req->user.display_name, req->user.role, req->user.csrf,
	                       req->user.session_expires_at));
}

static void h_health(struct http_request *req)
{
	http_json(req, 200, json_pack("{s:s}", "status", "ok"));
}

const struct route session_routes[] = {
	{HTTP_GET, "/sign-in", h_sign_in_page, NULL, ROUTE_PUBLIC},
	{HTTP_POST, "/sign-in", h_sign_in_post, NULL, ROUTE_PUBLIC | ROUTE_NO_CSRF},
	{HTTP_POST, "/sign-out", h_sign_out, "session.self"},
	{HTTP_POST, "/api/v1/session", h_api_session_create, NULL, ROUTE_PUBLIC | ROUTE_NO_CSRF},
	{HTTP_GET, "/api/v1/session", h_api_session_get, "session.self"},
	{HTTP_DELETE, "/api/v1/session", h_sign_out, "session.self"},
	{HTTP_GET, "/healthz", h_health, NULL, ROUTE_PUBLIC},
	{0},
};
