/* Private calendar feeds (issue 4 part 4): each user may turn on one secret address that a calendar application
 * (Outlook, Google Calendar, an iPhone) fetches without signing in, to show their running statutory deadlines. The
 * feed holds only the rule, its citation and a link to the clock, never a child's name, and every fetch is audited as
 * an export by the feed's owner. The owner turns it on, replaces it (the old address stops working at once) or turns
 * it off from their account page or the API; disabling the account stops it too. Secrets: src/auth/feed.h. */
#include <stdio.h>
#include <string.h>

#include "api/clocks_api.h"
#include "api/command.h"
#include "app/app.h"
#include "app/web.h"
#include "auth/feed.h"
#include "core/date.h"
#include "policy/policy.h"
#include "ui/format.h"

#define FEED_PATH "/calendar-feeds/"

static const char *feed_url(struct http_request *req, const char *token)
{
	const char *base = req->app->cfg.public_url ? req->app->cfg.public_url : "";
	size_t n = strlen(base);
	return arena_printf(&req->arena, "%.*s%s%s", (int)(n && base[n - 1] == '/' ? n - 1 : n), base, FEED_PATH, token);
}

static const char *when(struct http_request *req, int64_t t)
{
	char iso[MOMENT_ISO_LEN];
	moment_format(t, iso);
	return format_long_moment(&req->arena, iso);
}

/* 0 with the new secret in token, or -1 answered. One transaction: the new address, the old one's end, the audit. */
static int create_feed(struct http_request *req, char token[SESSION_TOKEN_SIZE])
{
	if (command_begin_or_respond(req) < 0)
		return -1;
	if (feed_create(req->store, req->user.id, moment_now(), token) < 0) {
		web_store_failure(req, STORE_ERR);
		return -1;
	}
	if (command_audit_or_respond(req, "create", "calendar_feed", req->user.id, NULL) < 0)
		return -1;
	return command_commit_or_respond(req);
}

/* 1 turned off, 0 there was none, -1 answered. */
static int revoke_feed(struct http_request *req)
{
	if (command_begin_or_respond(req) < 0)
		return -1;
	int rc = feed_revoke(req->store, req->user.id);
	if (rc < 0) {
		web_store_failure(req, STORE_ERR);
		return -1;
	}
	if (rc == 0) {
		store_rollback(req->store);
		return 0;
	}
	if (command_audit_or_respond(req, "delete", "calendar_feed", req->user.id, NULL) < 0)
		return -1;
	return command_commit_or_respond(req) < 0 ? -1 : 1;
}

/* ---- the feed itself: no session; the secret in the address identifies the user ---- */

static void h_feed(struct http_request *req)
{
	store_end_read(req->store); /* leave the pipeline's read snapshot: the lookup notes the time of use */
	char user_id[SESSION_USER_ID_SIZE];
	int rc = feed_lookup(req->store, http_param(req, 0), moment_now(), user_id);
	if (rc < 0) {
		web_store_failure(req, STORE_ERR);
		return;
	}
	if (rc == 1)
		web_load_user(req, user_id);
	/* An unknown, replaced or turned-off address, or an owner whose role no longer sees deadlines: all look the
	 * same, so the address reveals nothing about whether it was ever valid. */
	if (!req->user.id || !policy_allows_action(&req->user, "clock.read")) {
		req->user.id = NULL;
		web_error(req, 404, "Page not found", "There is nothing at this address.");
		return;
	}
	store_begin_read(req->store);
	clocks_ical_respond(req);
}

/* ---- the account page ---- */

static void render_page(struct http_request *req, int status, const char *token, const char *flash)
{
	struct feed_status fs;
	if (feed_status(req->store, req->user.id, &fs) < 0) {
		web_store_failure(req, STORE_ERR);
		return;
	}
	json_t *ctx = json_pack("{s:b, s:s?, s:s?, s:s?, s:s?}", "enabled", fs.enabled, "created",
	                        fs.enabled ? when(req, fs.created_at) : NULL, "last_used",
	                        fs.last_used_at ? when(req, fs.last_used_at) : NULL, "url",
	                        token ? feed_url(req, token) : NULL, "flash", flash);
	web_page(req, status, "account/calendar", "Your deadlines in your calendar", ctx);
}

static void h_page(struct http_request *req)
{
	const char *done = http_query(req, "done");
	render_page(req, 200, NULL,
	            done && strcmp(done, "off") == 0 ? "The calendar address is turned off. Calendars using it will "
	                                               "stop showing your deadlines."
	                                             : NULL);
}

static void h_create(struct http_request *req)
{
	char token[SESSION_TOKEN_SIZE];
	if (create_feed(req, token) < 0)
		return;
	/* The address is shown once, on this answer, and never again: only its hash is kept. */
	http_header(req, "Cache-Control", "no-store");
	render_page(req, 200, token, NULL);
}

static void h_turn_off(struct http_request *req)
{
	if (revoke_feed(req) >= 0)
		http_redirect(req, "/account/calendar?done=off");
}

/* ---- the same over the API ---- */

static void h_api_get(struct http_request *req)
{
	struct feed_status fs;
	if (feed_status(req->store, req->user.id, &fs) < 0) {
		web_store_failure(req, STORE_ERR);
		return;
	}
	char c[MOMENT_ISO_LEN], u[MOMENT_ISO_LEN];
	moment_format(fs.created_at, c);
	moment_format(fs.last_used_at, u);
	http_json(req, 200, json_pack("{s:b, s:s?, s:s?}", "enabled", fs.enabled, "created_at", fs.enabled ? c : NULL,
	                              "last_used_at", fs.last_used_at ? u : NULL));
}

static void h_api_create(struct http_request *req)
{
	char token[SESSION_TOKEN_SIZE];
	if (create_feed(req, token) < 0)
		return;
	http_header(req, "Cache-Control", "no-store");
	http_json(req, 201, json_pack("{s:b, s:s}", "enabled", 1, "url", feed_url(req, token)));
}

static void h_api_delete(struct http_request *req)
{
	int rc = revoke_feed(req);
	if (rc == 1)
		http_respond(req, 204, "text/plain", "", 0);
	else if (rc == 0)
		http_problem(req, 404, "No calendar address", "Your calendar address is already turned off.", NULL);
}

const struct route calendar_feed_routes[] = {
	{HTTP_GET, FEED_PATH ":token", h_feed, NULL, ROUTE_PUBLIC},
	{HTTP_GET, "/account/calendar", h_page, "clock.read"},
	{HTTP_POST, "/account/calendar", h_create, "clock.read"},
	{HTTP_POST, "/account/calendar/turn-off", h_turn_off, "session.self"},
	{HTTP_GET, "/api/v1/me/calendar-feed", h_api_get, "clock.read"},
	{HTTP_POST, "/api/v1/me/calendar-feed", h_api_create, "clock.read"},
	{HTTP_DELETE, "/api/v1/me/calendar-feed", h_api_delete, "session.self"},
	{0},
};
