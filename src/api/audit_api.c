/* Audit reports for auditors (action audit.read; issue 7, part 4): who looked at a child's record, when and why;
 * what a user did and saw; and every use of emergency (break-glass) access. Pages under /audit, JSON under
 * /api/v1/audit. Reads are audited through a queue, so it is flushed first and recent reads appear; each report
 * viewed is itself written to the audit log before it is shown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/access_control.h"
#include "api/access_util.h"
#include "api/command.h"
#include "app/app.h"
#include "app/web.h"
#include "audit/audit_queue.h"
#include "auth/account.h"
#include "core/date.h"
#include "core/id.h"

#define REPORT_LIMIT_DEFAULT 1000
#define REPORT_LIMIT_MAX 100000
#define BREAK_GLASS_LIMIT 1000

static const struct {
	const char *action, *label;
} action_labels[] = {
	{"read", "Looked at"},        {"create", "Created"},
	{"update", "Changed"},        {"export", "Exported"},
	{"share", "Recorded a sharing decision"}, {"break_glass", "Used emergency access"},
	{"access_denied", "Was refused"}, {"login", "Signed in"},
	{"login_failed", "Failed to sign in"}, {"logout", "Signed out"},
	{"lockout", "Locked out"},    {"unlock", "Lifted a lock-out"},
	{"permission_change", "Changed permissions"}, {"csrf_rejected", "Sent an expired form"},
};

static const char *action_label(const char *a)
{
	for (size_t i = 0; a && i < sizeof action_labels / sizeof action_labels[0]; i++)
		if (strcmp(action_labels[i].action, a) == 0)
			return action_labels[i].label;
	return a;
}

struct range {
	const char *from, *to; /* as given, for the form */
	struct audit_range r;
};

/* from and to are London days, both inclusive; limit caps the rows. Appends errors for what is wrong. */
static void read_range(struct http_request *req, struct range *rg, json_t *errors)
{
	memset(rg, 0, sizeof *rg);
	rg->from = http_query(req, "from");
	rg->to = http_query(req, "to");
	int64_t from = access_util_day_bound(rg->from, false), to = access_util_day_bound(rg->to, true);
	if (from < 0)
		access_util_error(errors, "from", "The start date must be a real date, like 2026-01-31");
	if (to < 0)
		access_util_error(errors, "to", "The end date must be a real date, like 2026-01-31");
	if (from > 0 && to > 0 && to <= from)
		access_util_error(errors, "to", "The end date must be the same as or after the start date");
	rg->r.from = from > 0 ? from : 0;
	rg->r.to = to > 0 ? to : 0;
	const char *limit = http_query(req, "limit");
	rg->r.limit = REPORT_LIMIT_DEFAULT;
	if (limit) {
		char *end;
		long n = strtol(limit, &end, 10);
		if (*end || n < 1 || n > REPORT_LIMIT_MAX)
			access_util_error(errors, "limit", "The limit must be a whole number from 1 to 100000");
		else
			rg->r.limit = (int)n;
	}
}

static int collect(const struct audit_entry *e, void *ctx)
{
	json_array_append_new((json_t *)ctx,
	                      json_pack("{s:I, s:s, s:s?, s:s, s:s?, s:s?, s:s?, s:s?, s:s?}", "seq", (json_int_t)e->seq,
	                                "at", e->at, "actor_user_id", e->actor_user_id, "action", e->action,
	                                "object_type", e->object_type, "object_id", e->object_id, "child_id",
	                                e->child_id, "reason", e->reason, "detail", e->detail));
	return 0;
}

/* Names for people, looked up once each after the report's statement has finished. */
static void add_names(struct http_request *req, json_t *items)
{
	json_t *users = json_object(), *children = json_object();
	size_t i;
	json_t *e;
	json_array_foreach(items, i, e) {
		const char *u = json_string_value(json_object_get(e, "actor_user_id"));
		const char *c = json_string_value(json_object_get(e, "child_id"));
		if (u && !json_object_get(users, u))
			json_object_set_new(users, u, json_string(access_util_user_name(req, u)));
		if (c && !json_object_get(children, c))
			json_object_set_new(children, c, json_string(access_util_child_name(req, c)));
		json_object_set_new(e, "actor_name", u ? json_incref(json_object_get(users, u))
		                                      : json_string("(not signed in, or the system)"));
		json_object_set_new(e, "child_name", c ? json_incref(json_object_get(children, c)) : json_null());
		json_object_set_new(e, "action_label", json_string(action_label(json_string_value(json_object_get(e,
		                                                                                               "action")))));
		json_object_set_new(e, "when", json_string(access_util_when(req, access_util_parse_moment(
		                                                                     json_string_value(json_object_get(e, "at"))))));
	}
	json_decref(users);
	json_decref(children);
}

/* Writes "this auditor viewed this report" before the report is shown; -1 (answered) when it cannot. */
static int audit_viewing(struct http_request *req, const char *object_id, const char *child_id, const char *what)
{
	if (command_begin_or_respond(req) < 0)
		return -1;
	struct audit_event ev = {.action = "read", .object_type = "audit_report", .object_id = object_id,
	                         .child_id = child_id, .detail = what};
	if (access_util_audit_or_respond(req, ev) < 0 || command_commit_or_respond(req) < 0)
		return -1;
	return 0;
}

/* The report for a child (child_id) or a user (user_id); NULL (answered) on failure. */
static json_t *report(struct http_request *req, const char *child_id, const char *user_id, const struct range *rg,
                      bool *truncated)
{
	struct app *app = req->app;
	audit_queue_flush(app->read_audit); /* reads from the last tenth of a second are in the log too */
	if (audit_viewing(req, child_id ? child_id : user_id, child_id, child_id ? "child report" : "user report") < 0)
		return NULL;
	json_t *items = json_array();
	int n = child_id ? audit_report_child(req->store, child_id, &rg->r, collect, items, truncated)
	                 : audit_report_user(req->store, user_id, &rg->r, collect, items, truncated);
	if (n < 0) {
		json_decref(items);
		web_error(req, 500, "Internal error", "The audit log could not be read.");
		return NULL;
	}
	add_names(req, items);
	return items;
}

static void api_report(struct http_request *req, bool by_child)
{
	const char *id = http_param(req, 0);
	json_t *errors = json_array();
	struct range rg;
	read_range(req, &rg, errors);
	if (json_array_size(errors)) {
		web_invalid(req, errors);
		return;
	}
	json_decref(errors);
	if (!id_valid(id)) {
		web_not_found(req);
		return;
	}
	bool truncated = false;
	json_t *items = report(req, by_child ? id : NULL, by_child ? NULL : id, &rg, &truncated);
	if (items)
		http_json(req, 200, json_pack("{s:s, s:o, s:b}", by_child ? "child_id" : "user_id", id, "items", items,
		                              "truncated", truncated));
}

static void h_api_child(struct http_request *req)
{
	api_report(req, true);
}

static void h_api_user(struct http_request *req)
{
	api_report(req, false);
}

/* ---- the page: search by child or by user ---- */

/* A user id from what was typed: an id, or a username. NULL when neither names an account. */
static const char *resolve_user(struct http_request *req, const char *typed)
{
	struct account a;
	if (id_valid(typed) && account_get(req->store, typed, &a) == 1)
		return arena_strdup(&req->arena, a.id);
	if (account_find(req->store, typed, &a) == 1)
		return arena_strdup(&req->arena, a.id);
	return NULL;
}

static void h_page(struct http_request *req)
{
	const char *child = http_query(req, "child"), *user = http_query(req, "user");
	child = child && *child ? child : NULL;
	user = user && *user ? user : NULL;
	json_t *errors = json_array();
	struct range rg;
	read_range(req, &rg, errors);
	const char *user_id = NULL;
	if (child && !id_valid(child))
		access_util_error(errors, "child", "Enter a child's record ID, like chd_0123456789ABCDEF");
	if (user && !(user_id = resolve_user(req, user)))
		access_util_error(errors, "user", "There is no user with that username or ID");
	if (child && user)
		access_util_error(errors, "child", "Search by a child or by a user, not both at once");
	json_t *ctx = json_pack("{s:s, s:s, s:s, s:s}", "child", child ? child : "", "user", user ? user : "", "from",
	                        rg.from ? rg.from : "", "to", rg.to ? rg.to : "");
	bool bad = json_array_size(errors) > 0;
	if (!bad && (child || user_id)) {
		bool truncated = false;
		json_t *items = report(req, child, child ? NULL : user_id, &rg, &truncated);
		if (!items) {
			json_decref(ctx);
			json_decref(errors);
			return;
		}
		json_object_set_new(ctx, "searched", json_true());
		json_object_set_new(ctx, "by_child", json_boolean(child != NULL));
		json_object_set_new(ctx, "subject", json_string(child ? access_util_child_name(req, child)
		                                                      : access_util_user_name(req, user_id)));
		json_object_set_new(ctx, "count", json_integer((json_int_t)json_array_size(items)));
		json_object_set_new(ctx, "items", items);
		json_object_set_new(ctx, "truncated", json_boolean(truncated));
	}
	web_add_errors(ctx, errors);
	json_decref(errors);
	web_page(req, bad ? 400 : 200, "audit/index", "Audit", ctx);
}

/* ---- every use of emergency access ---- */

static json_t *break_glass_list(struct http_request *req, const struct range *rg)
{
	json_t *items = json_array();
	struct store_stmt *s = store_prepare(
		req->store, "SELECT g.id, g.user_id, u.display_name, u.role, g.child_id, c.forenames || ' ' || c.surname, "
		            "g.reason, g.granted_at, g.expires_at FROM break_glass_grants g "
		            "LEFT JOIN users u ON u.id = g.user_id LEFT JOIN children c ON c.id = g.child_id "
		            "WHERE g.granted_at >= $1 AND ($2 = 0 OR g.granted_at < $2) ORDER BY g.granted_at DESC LIMIT $3");
	if (!s)
		return items;
	store_bind_int(s, 1, rg->r.from);
	store_bind_int(s, 2, rg->r.to);
	store_bind_int(s, 3, BREAK_GLASS_LIMIT);
	int64_t now = moment_now();
	while (store_step(s) == STORE_ROW) {
		int64_t granted = store_col_int(s, 7), expires = store_col_int(s, 8);
		char g[MOMENT_ISO_LEN], x[MOMENT_ISO_LEN];
		moment_format(granted, g);
		moment_format(expires, x);
		json_array_append_new(
			items, json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:s?, s:s, s:s, s:s, s:s, s:s, s:b, s:I, s:I}", "id",
			                 store_col_text(s, 0), "user_id", store_col_text(s, 1), "user_name",
			                 store_col_text(s, 2), "role", store_col_text(s, 3), "child_id", store_col_text(s, 4),
			                 "child_name", store_col_text(s, 5), "reason", store_col_text(s, 6), "granted_at", g,
			                 "expires_at", x, "granted", access_util_when(req, granted), "expires",
			                 access_util_when(req, expires), "live", expires > now, "granted_epoch",
			                 (json_int_t)granted, "expires_epoch", (json_int_t)expires));
	}
	/* What each holder did with the child's record while the grant lasted. */
	size_t i;
	json_t *e;
	json_array_foreach(items, i, e) {
		char from[AUDIT_TIME_LEN], to[AUDIT_TIME_LEN];
		audit_time_format(json_integer_value(json_object_get(e, "granted_epoch")), from);
		audit_time_format(json_integer_value(json_object_get(e, "expires_epoch")), to);
		struct store_stmt *c = store_prepare(
			req->store, "SELECT COUNT(*) FROM audit_log WHERE actor_user_id = $1 AND child_id = $2 "
			            "AND action = 'read' AND at >= $3 AND at < $4");
		int64_t reads = 0;
		if (c) {
			store_bind_text(c, 1, json_string_value(json_object_get(e, "user_id")));
			store_bind_text(c, 2, json_string_value(json_object_get(e, "child_id")));
			store_bind_text(c, 3, from);
			store_bind_text(c, 4, to);
			reads = store_step(c) == STORE_ROW ? store_col_int(c, 0) : 0;
			store_reset(c);
		}
		json_object_set_new(e, "reads_during", json_integer(reads));
		json_object_del(e, "granted_epoch");
		json_object_del(e, "expires_epoch");
	}
	return items;
}

static void break_glass_report(struct http_request *req)
{
	json_t *errors = json_array();
	struct range rg;
	read_range(req, &rg, errors);
	if (json_array_size(errors)) {
		if (req->is_api) {
			web_invalid(req, errors);
			return;
		}
		json_t *ctx = json_pack("{s:s, s:s, s:o}", "from", rg.from ? rg.from : "", "to", rg.to ? rg.to : "",
		                        "items", json_array());
		web_add_errors(ctx, errors);
		json_decref(errors);
		web_page(req, 400, "audit/break_glass", "Emergency access", ctx);
		return;
	}
	json_decref(errors);
	struct app *app = req->app;
	audit_queue_flush(app->read_audit);
	if (audit_viewing(req, NULL, NULL, "break-glass report") < 0)
		return;
	json_t *items = break_glass_list(req, &rg);
	if (req->is_api) {
		http_json(req, 200, json_pack("{s:o}", "items", items));
		return;
	}
	json_t *ctx = json_pack("{s:s, s:s, s:o, s:i, s:s}", "from", rg.from ? rg.from : "", "to", rg.to ? rg.to : "",
	                        "items", items, "count", (int)json_array_size(items), "back_href", "/audit");
	web_page(req, 200, "audit/break_glass", "Emergency access", ctx);
}

const struct route audit_routes[] = {
	{HTTP_GET, "/audit", h_page, "audit.read"},
	{HTTP_GET, "/audit/break-glass", break_glass_report, "audit.read"},
	{HTTP_GET, "/api/v1/audit/children/:id", h_api_child, "audit.read"},
	{HTTP_GET, "/api/v1/audit/users/:id", h_api_user, "audit.read"},
	{HTTP_GET, "/api/v1/audit/break-glass", break_glass_report, "audit.read"},
	{0},
};
