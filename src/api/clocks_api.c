/* Deadlines: the statutory clock views (mine, my team's, the authority's, a child's), one clock explained, its
 * extension, breach reason and stop, and an iCalendar feed of my upcoming deadlines. JSON and HTML. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/clocks_api.h"
#include "api/command.h"
#include "app/app.h"
#include "app/web.h"
#include "clock/clock.h"
#include "core/date.h"
#include "policy/policy.h"
#include "ui/format.h"

static struct clock_engine engine(struct http_request *req)
{
	struct app *app = req->app;
	struct clock_engine e = {app->clock_rules, app->calendar};
	return e;
}

static const struct {
	const char *name;
	enum clock_window w;
	const char *label;
} windows[] = {
	{"overdue", CLOCK_OVERDUE, "Overdue"},
	{"today", CLOCK_DUE_TODAY, "Due today"},
	{"within", CLOCK_DUE_WITHIN, "Due soon"},
	{"breached", CLOCK_BREACHED_MONTH, "Missed this month"},
	{"open", CLOCK_OPEN, "All running"},
};

/* Parses scope and window from the query; answers 400/403 and returns -1 when they are wrong or not allowed. */
static int query_from_request(struct http_request *req, struct clock_query *q)
{
	memset(q, 0, sizeof *q);
	q->now = moment_now();
	q->working_days = 5;
	const char *scope = http_query(req, "scope"), *window = http_query(req, "window"), *days = http_query(req, "days");
	if (!scope || strcmp(scope, "user") == 0) {
		q->scope = CLOCK_SCOPE_USER;
		q->scope_id = req->user.id;
	} else if (strcmp(scope, "team") == 0) {
		if (!policy_allows_action(&req->user, "clock.team")) {
			web_forbidden(req, "clock.team", NULL);
			return -1;
		}
		q->scope = CLOCK_SCOPE_TEAM;
		q->scope_id = http_query(req, "team") ? http_query(req, "team") : req->user.team_id;
		if (!q->scope_id) {
			http_problem(req, 400, "No team", "Give team=ID: your account is not in a team.", "team");
			return -1;
		}
		if (req->user.team_id && strcmp(q->scope_id, req->user.team_id) != 0 &&
		    !policy_allows_action(&req->user, "clock.authority")) {
			web_forbidden(req, "clock.authority", NULL);
			return -1;
		}
	} else if (strcmp(scope, "all") == 0) {
		if (!policy_allows_action(&req->user, "clock.authority")) {
			web_forbidden(req, "clock.authority", NULL);
			return -1;
		}
		q->scope = CLOCK_SCOPE_ALL;
	} else {
		http_problem(req, 400, "Unknown scope", "scope must be user, team or all.", "scope");
		return -1;
	}
	q->window = CLOCK_OVERDUE;
	if (window) {
		size_t i = 0;
		for (; i < sizeof windows / sizeof windows[0]; i++)
			if (strcmp(windows[i].name, window) == 0)
				break;
		if (i == sizeof windows / sizeof windows[0]) {
			http_problem(req, 400, "Unknown window", "window must be overdue, today, within, breached or open.",
			             "window");
			return -1;
		}
		q->window = windows[i].w;
	}
	if (days) {
		char *end;
		long n = strtol(days, &end, 10);
		if (*end || n < 0 || n > 60) {
			http_problem(req, 400, "Invalid days", "days must be a whole number from 0 to 60.", "days");
			return -1;
		}
		q->working_days = (int)n;
	}
	return 0;
}

static void h_clocks(struct http_request *req)
{
	struct clock_query q;
	if (query_from_request(req, &q) < 0)
		return;
	struct clock_engine e = engine(req);
	http_json(req, 200, json_pack("{s:o}", "items", clock_list(req->store, &e, &q)));
}

static void h_child_clocks(struct http_request *req)
{
	const char *child = http_param(req, 0);
	if (!command_child_allowed(req, "child.read", child))
		return;
	struct clock_engine e = engine(req);
	struct clock_query q = {.scope = CLOCK_SCOPE_CHILD, .scope_id = child, .window = CLOCK_ANY, .now = moment_now()};
	command_audit_read(req, "clock", NULL, child);
	http_json(req, 200, json_pack("{s:o}", "items", clock_list(req->store, &e, &q)));
}

/* The clock if the user may see its child (404 otherwise, audited). */
static json_t *clock_if_allowed(struct http_request *req, const char *action)
{
	struct clock_engine e = engine(req);
	json_t *c = clock_get(req->store, &e, http_param(req, 0));
	const char *child = c ? json_string_value(json_object_get(c, "child_id")) : NULL;
	if (!c || !policy_child(req->store, &req->user, action, child)) {
		web_forbidden(req, action, child ? arena_strdup(&req->arena, child) : NULL);
		json_decref(c);
		return NULL;
	}
	return c;
}

static void h_clock(struct http_request *req)
{
	json_t *c = clock_if_allowed(req, "child.read");
	if (!c)
		return;
	command_audit_read(req, "clock", http_param(req, 0), json_string_value(json_object_get(c, "child_id")));
	if (http_wants_json(req)) {
		http_json(req, 200, c);
		return;
	}
	json_object_set_new(c, "can_extend", json_boolean(json_is_true(json_object_get(c, "extension_allowed")) &&
	                                                  policy_allows_action(&req->user, "clock.extend")));
	json_object_set_new(c, "running", json_boolean(strcmp(json_string_value(json_object_get(c, "state")),
	                                                      "running") == 0));
	static const char *const moments[] = {"due_at", "started_at", "met_at"};
	for (size_t k = 0; k < 3; k++) {
		const char *v = json_string_value(json_object_get(c, moments[k]));
		if (v)
			json_object_set_new(c, arena_printf(&req->arena, "%s_long", moments[k]),
			                    json_string(format_long_moment(&req->arena, v)));
	}
	web_page(req, 200, "clock", json_string_value(json_object_get(c, "title")), json_pack("{s:o}", "clock", c));
}

/* One action on a clock: extend, breach reason or stop. Each is a command: one transaction with its audit. */
enum clock_action { ACT_EXTEND, ACT_BREACH, ACT_STOP };

static void clock_action(struct http_request *req, enum clock_action act)
{
	const char *policy_action = act == ACT_EXTEND ? "clock.extend" : "child.update";
	json_t *c = clock_if_allowed(req, policy_action);
	if (!c)
		return;
	const char *child = arena_strdup(&req->arena, json_string_value(json_object_get(c, "child_id")));
	json_decref(c);
	json_t *in = command_input_or_respond(req, NULL);
	if (!in)
		return;
	const char *reason = json_string_value(json_object_get(in, "reason"));
	int64_t new_due = 0;
	if (act == ACT_EXTEND) {
		const char *nd = json_string_value(json_object_get(in, "new_due"));
		int32_t day;
		if (!nd || date_parse(nd, &day) < 0) {
			json_decref(in);
			http_problem(req, 422, "Invalid new due date", "Give new_due as a date like 2026-12-04.", "new_due");
			return;
		}
		new_due = moment_from_local(day, 23, 59, 59);
	}
	if (command_begin_or_respond(req) < 0) {
		json_decref(in);
		return;
	}
	struct clock_engine e = engine(req);
	struct buf err;
	buf_init(&err, 1024);
	int rc = act == ACT_EXTEND ? clock_extend(req->store, &e, http_param(req, 0), new_due, reason, req->user.id,
	                                          policy_spec_roles(req->user.role), &err)
	         : act == ACT_BREACH ? clock_record_breach_reason(req->store, http_param(req, 0), reason, req->user.id,
	                                                          &err)
	                             : clock_stop(req->store, http_param(req, 0), reason, req->user.id, &err);
	json_decref(in);
	if (rc < 0) {
		store_rollback(req->store);
		if (!err.len) {
			buf_free(&err);
			web_store_failure(req, STORE_ERR);
			return;
		}
		const char *field = act == ACT_EXTEND && strstr(buf_str(&err), "date") ? "new_due" : "reason";
		if (req->is_api) {
			http_problem(req, 422, "Not allowed for this clock", buf_str(&err), field);
		} else {
			/* The clock page again, with the refusal in the error summary and what was typed kept. */
			json_t *page = clock_get(req->store, &e, http_param(req, 0));
			json_t *ctx = json_pack("{s:o, s:s?, s:s?}", "clock", page, "typed_reason", http_form(req, "reason"),
			                        "typed_new_due", http_form(req, "new_due"));
			json_t *errors = json_pack("[{s:s, s:s}]", "field", field, "message", buf_str(&err));
			web_add_errors(ctx, errors);
			json_decref(errors);
			json_object_set_new(page, "running", json_boolean(strcmp(json_string_value(
			                                                 json_object_get(page, "state")), "running") == 0));
			json_object_set_new(page, "can_extend",
			                    json_boolean(json_is_true(json_object_get(page, "extension_allowed")) &&
			                                 policy_allows_action(&req->user, "clock.extend")));
			web_page(req, 422, "clock", json_string_value(json_object_get(page, "title")), ctx);
		}
		buf_free(&err);
		return;
	}
	buf_free(&err);
	static const char *const names[] = {"extend", "breach_reason", "stop"};
	if (command_audit_or_respond(req, names[act], "clock", http_param(req, 0), child) < 0 ||
	    command_commit_or_respond(req) < 0)
		return;
	if (req->is_api) {
		http_json(req, 200, clock_get(req->store, &e, http_param(req, 0)));
		return;
	}
	http_redirect(req, arena_printf(&req->arena, "/clocks/%s", http_param(req, 0)));
}

static void h_extend(struct http_request *req)
{
	clock_action(req, ACT_EXTEND);
}

static void h_breach(struct http_request *req)
{
	clock_action(req, ACT_BREACH);
}

static void h_stop(struct http_request *req)
{
	clock_action(req, ACT_STOP);
}

/* ---- the deadlines page ---- */

static void h_deadlines_page(struct http_request *req)
{
	struct clock_query q;
	if (query_from_request(req, &q) < 0)
		return;
	struct clock_engine e = engine(req);
	const char *scope = http_query(req, "scope") ? http_query(req, "scope") : "user";
	json_t *tabs = json_array();
	json_t *items = NULL;
	for (size_t i = 0; i < sizeof windows / sizeof windows[0]; i++) {
		struct clock_query tq = q;
		tq.window = windows[i].w;
		json_t *rows = clock_list(req->store, &e, &tq);
		bool current = windows[i].w == q.window;
		json_array_append_new(tabs, json_pack("{s:s, s:s, s:i, s:b, s:s}", "name", windows[i].name, "label",
		                                      windows[i].label, "count", (int)json_array_size(rows), "current",
		                                      current, "scope", scope));
		if (current)
			items = rows;
		else
			json_decref(rows);
	}
	size_t i;
	json_t *r;
	json_array_foreach(items, i, r) {
		json_object_set_new(r, "due_long",
		                    json_string(format_long_date(&req->arena, json_string_value(json_object_get(r, "due_day")))));
		double p = json_real_value(json_object_get(r, "progress"));
		json_object_set_new(r, "percent", json_integer(p > 1 ? 100 : (int)(p * 100)));
	}
	json_t *ctx = json_pack("{s:o, s:o, s:s, s:b, s:b, s:i}", "tabs", tabs, "items", items, "scope", scope,
	                        "can_team", policy_allows_action(&req->user, "clock.team"), "can_all",
	                        policy_allows_action(&req->user, "clock.authority"), "days", q.working_days);
	web_page(req, 200, "deadlines", "Deadlines", ctx);
}

/* ---- iCalendar (RFC 5545) feed of my running deadlines ---- */

static void ical_text(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\' || *s == ';' || *s == ',')
			buf_addc(b, '\\');
		if (*s == '\n') {
			buf_adds(b, "\\n");
			continue;
		}
		buf_addc(b, *s);
	}
}

void clocks_ical_respond(struct http_request *req)
{
	struct clock_engine e = engine(req);
	struct clock_query q = {.scope = CLOCK_SCOPE_USER, .scope_id = req->user.id, .window = CLOCK_OPEN,
	                        .now = moment_now()};
	json_t *rows = clock_list(req->store, &e, &q);
	command_audit_export(req, "deadlines_calendar", NULL, NULL);
	struct buf b;
	buf_init(&b, 0);
	buf_adds(&b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Safeguard//Deadlines//EN\r\nCALSCALE:GREGORIAN\r\n"
	             "X-WR-CALNAME:Safeguard deadlines\r\n");
	char stamp[32];
	time_t now = (time_t)moment_now();
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		const char *day = json_string_value(json_object_get(r, "due_day"));
		int32_t d;
		if (!day || date_parse(day, &d) < 0)
			continue;
		int y, m, dd, y2, m2, d2;
		date_to_ymd(d, &y, &m, &dd);
		date_to_ymd(d + 1, &y2, &m2, &d2);
		/* Only the rule, its citation and a link: no child's name leaves the system in a calendar. */
		buf_addf(&b, "BEGIN:VEVENT\r\nUID:%s@safeguard\r\nDTSTAMP:%s\r\nDTSTART;VALUE=DATE:%04d%02d%02d\r\n"
		             "DTEND;VALUE=DATE:%04d%02d%02d\r\nSUMMARY:",
		         json_string_value(json_object_get(r, "id")), stamp, y, m, dd, y2, m2, d2);
		ical_text(&b, json_string_value(json_object_get(r, "rule_id")));
		buf_adds(&b, " ");
		ical_text(&b, json_string_value(json_object_get(r, "title")));
		buf_adds(&b, "\r\nDESCRIPTION:Citation ");
		ical_text(&b, json_string_value(json_object_get(r, "citation")));
		buf_addf(&b, "\r\nURL:/clocks/%s\r\nEND:VEVENT\r\n", json_string_value(json_object_get(r, "id")));
	}
	buf_adds(&b, "END:VCALENDAR\r\n");
	json_decref(rows);
	http_respond(req, 200, "text/calendar; charset=utf-8", b.data, b.len);
	buf_free(&b);
}

static void h_ical(struct http_request *req)
{
	clocks_ical_respond(req);
}

const struct route clocks_routes[] = {
	{HTTP_GET, "/api/v1/clocks", h_clocks, "clock.read"},
	{HTTP_GET, "/api/v1/clocks/:id", h_clock, "child.read"},
	{HTTP_POST, "/api/v1/clocks/:id/extend", h_extend, "clock.extend"},
	{HTTP_POST, "/api/v1/clocks/:id/breach-reason", h_breach, "child.update"},
	{HTTP_POST, "/api/v1/clocks/:id/stop", h_stop, "child.update"},
	{HTTP_GET, "/api/v1/children/:id/clocks", h_child_clocks, "child.read"},
	{HTTP_GET, "/api/v1/me/deadlines.ics", h_ical, "clock.read"},
	{HTTP_GET, "/deadlines", h_deadlines_page, "clock.read"},
	{HTTP_GET, "/clocks/:id", h_clock, "child.read"},
	{HTTP_POST, "/clocks/:id/extend", h_extend, "clock.extend"},
	{HTTP_POST, "/clocks/:id/breach-reason", h_breach, "child.update"},
	{HTTP_POST, "/clocks/:id/stop", h_stop, "child.update"},
	{0},
};
