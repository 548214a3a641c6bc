#include "app/web.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "app/app.h"
#include "audit/audit.h"
#include "auth/session.h"
#include "core/date.h"
#include "http/router.h"
#include "policy/policy.h"
#include "ui/template.h"

static struct session_config session_cfg(const struct app *app)
{
	struct session_config c = {app->cfg.session_idle_s, app->cfg.session_absolute_s};
	return c;
}

bool web_load_user(struct http_request *req, const char *user_id)
{
	struct store_stmt *st = store_prepare(
		req->store, "SELECT id, username, display_name, role, team_id FROM users WHERE id = $1 AND disabled = 0");
	if (!st)
		return false;
	store_bind_text(st, 1, user_id);
	bool ok = store_step(st) == STORE_ROW;
	if (ok) {
		struct arena *a = &req->arena;
		req->user.id = arena_strdup(a, store_col_text(st, 0));
		req->user.username = arena_strdup(a, store_col_text(st, 1));
		req->user.display_name = arena_strdup(a, store_col_text(st, 2));
		req->user.role = arena_strdup(a, store_col_text(st, 3));
		req->user.team_id = arena_strdup(a, store_col_text(st, 4));
	}
	store_reset(st);
	return ok;
}

/* The signed-in user's account and session into req->user. Returns false for a disabled account. */
static bool load_user(struct http_request *req, const struct session *s)
{
	if (!web_load_user(req, s->user_id))
		return false;
	struct arena *a = &req->arena;
	req->user.session_id = arena_strdup(a, s->id);
	req->user.csrf = arena_strdup(a, s->csrf_token);
	req->user.session_expires_at = s->expires_at < s->absolute_expires_at ? s->expires_at : s->absolute_expires_at;
	return true;
}

int web_authenticate(struct http_request *req)
{
	struct app *app = req->app;
	const char *token = http_cookie_value(&req->arena, req->cookie, SESSION_COOKIE_NAME);
	bool expired = false;
	if (token) {
		struct session s;
		struct session_config cfg = session_cfg(app);
		int rc = session_lookup(req->store, token, &cfg, moment_now(), &s);
		if (rc == SESSION_VALID && load_user(req, &s))
			req->signed_in = true;
		expired = rc == SESSION_EXPIRED;
	}
	if (req->signed_in || (req->route->flags & ROUTE_PUBLIC))
		return 0;
	if (http_wants_json(req)) {
		http_problem(req, 401, "Sign-in required",
		             expired ? "Your session has expired. Sign in again." : "Sign in to use this service.", NULL);
		http_header(req, "WWW-Authenticate", "Cookie realm=\"safeguard\"");
		return -1;
	}
	/* Come back to the same page afterwards (GET only: a refused POST's draft is kept by autosave). */
	struct buf loc;
	buf_init(&loc, 4096);
	buf_adds(&loc, "/sign-in?");
	if (expired)
		buf_adds(&loc, "expired=1&");
	buf_adds(&loc, "next=");
	const char *next = req->method == HTTP_GET ? req->path : "/";
	for (const char *p = next; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("/-_.", c))
			buf_addc(&loc, (char)c);
		else
			buf_addf(&loc, "%%%02X", c);
	}
	http_redirect(req, buf_str(&loc));
	buf_free(&loc);
	return -1;
}

static void audit_now(struct http_request *req, const char *action, const char *object_type, const char *object_id,
                      const char *child_id, const char *detail)
{
	if (store_begin(req->store) != STORE_OK)
		return;
	struct audit_event ev = {
		.actor_user_id = req->signed_in ? req->user.id : NULL,
		.action = action,
		.object_type = object_type,
		.object_id = object_id,
		.child_id = child_id,
		.detail = detail,
	};
	if (audit_append(req->store, &ev) == 0)
		store_commit(req->store);
	else
		store_rollback(req->store);
}

int web_check_csrf(struct http_request *req)
{
	if (!req->signed_in)
		return 0; /* public state-changing routes carry their own protection (ROUTE_NO_CSRF) */
	const char *sent = http_form(req, "csrf");
	if (!sent)
		sent = req->csrf_header;
	struct session s;
	memset(&s, 0, sizeof s);
	snprintf(s.csrf_token, sizeof s.csrf_token, "%s", req->user.csrf);
	if (sent && session_csrf_check(&s, sent))
		return 0;
	audit_now(req, "csrf_rejected", "route", NULL, NULL, req->route->pattern);
	web_error(req, 403, "The form has expired",
	          "The security token was missing or did not match. Go back, reload the page and try again.");
	return -1;
}

static const char *mime_for(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".css", "text/css; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".mjs", "text/javascript; charset=utf-8"}, {".woff2", "font/woff2"}, {".woff", "font/woff"},
		{".png", "image/png"}, {".svg", "image/svg+xml"}, {".ico", "image/x-icon"},
		{".json", "application/json"}, {".map", "application/json"},
	};
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

void web_serve_asset(struct http_request *req, const char *const *dirs, int ndirs, const char *rel)
{
	bool safe = *rel && rel[0] != '/' && !strstr(rel, "..") && strlen(rel) < 256;
	for (const char *p = rel; safe && *p; p++)
		safe = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		       strchr("._-/", *p);
	for (int i = 0; safe && i < ndirs; i++) {
		char *path = arena_printf(&req->arena, "%s/%s", dirs[i], rel);
		struct stat sb;
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
			req->status = 200;
			req->out_file = path;
			req->out_type = mime_for(path);
			http_header(req, "Cache-Control", "public, max-age=86400");
			return;
		}
	}
	web_error(req, 404, "Not found", "There is no such file.");
}

void web_error(struct http_request *req, int status, const char *title, const char *detail)
{
	struct app *app = req->app;
	if (http_wants_json(req) || !app->templates || !template_exists(app->templates, "error")) {
		http_problem(req, status, title, detail, NULL);
		return;
	}
	json_t *ctx = json_pack("{s:i, s:s, s:s}", "status", status, "heading", title, "detail", detail ? detail : "");
	web_page(req, status, "error", title, ctx);
}

void web_forbidden(struct http_request *req, const char *action, const char *child_id)
{
	audit_now(req, "access_denied", child_id ? "child" : "route", child_id, child_id, action);
	if (child_id)
		web_not_found(req);
	else
		web_error(req, 403, "You do not have access", "Your role does not allow this. Ask your manager if you need it.");
}

void web_hidden(struct http_request *req, const char *action, const char *object_type, const char *object_id)
{
	audit_now(req, "access_denied", object_type, object_id, NULL, action);
	web_not_found(req);
}

void web_not_found(struct http_request *req)
{
	web_error(req, 404, "Page not found", "There is no record at this address, or you do not have access to it.");
}

void web_invalid(struct http_request *req, json_t *errors)
{
	http_problem_fields(req, 422, "The request has invalid fields", errors);
}

void web_store_failure(struct http_request *req, int rc)
{
	store_rollback(req->store);
	if (rc == STORE_CONSTRAINT)
		web_error(req, 409, "Conflict", "The change conflicts with records already held, and nothing was saved.");
	else if (rc == STORE_BUSY)
		web_error(req, 503, "Busy", "The database is busy. Nothing was saved; try again.");
	else
		web_error(req, 500, "Internal error", "The change could not be saved, and nothing was written.");
}

void web_add_errors(json_t *ctx, json_t *errors)
{
	json_t *map = json_object();
	size_t i;
	json_t *e;
	json_array_foreach(errors, i, e) {
		const char *field = json_string_value(json_object_get(e, "field"));
		if (!field)
			continue;
		if (!json_object_get(e, "href")) /* a caller may point at a specific input, such as a date's day box */
			json_object_set_new(e, "href", json_sprintf("#%s", field));
		if (!json_object_get(map, field))
			json_object_set(map, field, json_object_get(e, "message"));
	}
	json_object_set(ctx, "errors", errors);
	json_object_set_new(ctx, "error_map", map);
}

static json_t *nav_for(const struct http_request *req)
{
	static const struct {
		const char *href, *label, *action;
	} items[] = {
		{"/", "My work", NULL},
		{"/children", "Children", "child.search"},
		{"/refer", "Make a referral", "referral.submit"},
		{"/deadlines", "Deadlines", "clock.read"},
		{"/dashboard", "Dashboard", "dashboard.read"},
		{"/audit", "Audit", "audit.read"},
		{"/admin/users", "Users", "user.manage"},
		{"/admin/closure-days", "Closure days", "calendar.manage"},
	};
	json_t *nav = json_array();
	for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
		if (items[i].action && !policy_allows_action(&req->user, items[i].action))
			continue;
		size_t n = strlen(items[i].href);
		bool current = strcmp(req->path, items[i].href) == 0 ||
		               (n > 1 && strncmp(req->path, items[i].href, n) == 0);
		json_array_append_new(nav, json_pack("{s:s, s:s, s:b}", "href", items[i].href, "text", items[i].label,
		                                     "current", current));
	}
	return nav;
}

void web_page(struct http_request *req, int status, const char *page, const char *title, json_t *ctx)
{
	struct app *app = req->app;
	json_object_set_new(ctx, "title", json_string(title));
	if (req->signed_in) {
		json_object_set_new(ctx, "user",
		                    json_pack("{s:s, s:s, s:s}", "id", req->user.id, "name", req->user.display_name, "role",
		                              req->user.role));
		json_object_set_new(ctx, "csrf", json_string(req->user.csrf));
		json_object_set_new(ctx, "nav", nav_for(req));
		json_object_set_new(ctx, "can_search", json_boolean(policy_allows_action(&req->user, "child.search")));
		json_object_set_new(ctx, "session_expires_at", json_integer(req->user.session_expires_at));
	}
	buf_reset(&req->out);
	int rc = template_render_page(app->templates, "layout", page, ctx, &req->out);
	json_decref(ctx);
	if (rc < 0) {
		http_problem(req, 500, "Internal error", "The page could not be drawn.", NULL);
		return;
	}
	req->status = status;
	req->out_type = "text/html; charset=utf-8";
}
