/* The team and authority dashboards: caseloads, overdue work, children on a plan with no worker, and a bar chart of
 * overdue work drawn as SVG by the template from numbers computed here (no chart library, no script). */
#include "ui/dashboard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/web.h"
#include "core/date.h"
#include "domain/enums.h"
#include "policy/policy.h"
#include "ui/format.h"

#define CASE_LIST_MAX 1000

/* A case's team, as the policy's "team" relation reads it, falling back to the allocated worker's team; a worker
 * counts only while their account is enabled. */
#define CASE_TEAM "COALESCE(c.team_id, au.team_id)"
#define CASE_JOIN "LEFT JOIN users au ON au.id = c.allocated_user_id AND au.disabled = 0 "

int dashboard_scope(struct http_request *req, const char *asked, const char **team_id)
{
	bool authority = policy_allows_action(&req->user, "clock.authority");
	bool team = policy_allows_action(&req->user, "clock.team");
	if (asked && *asked) {
		if (authority || (team && req->user.team_id && strcmp(asked, req->user.team_id) == 0)) {
			*team_id = asked;
			return 0;
		}
		web_forbidden(req, "clock.authority", NULL);
		return -1;
	}
	if (authority) {
		*team_id = NULL;
		return 0;
	}
	if (team && req->user.team_id) {
		*team_id = req->user.team_id;
		return 0;
	}
	web_forbidden(req, "clock.team", NULL);
	return -1;
}

/* One number: $1 is the team ("" = the whole authority), and $2 (when with_now) the present moment. */
static json_int_t count(struct http_request *req, const char *sql, const char *team_id, bool with_now)
{
	struct store_stmt *s = store_prepare(req->store, sql);
	if (!s)
		return 0;
	store_bind_text(s, 1, team_id ? team_id : "");
	if (with_now)
		store_bind_int(s, 2, moment_now());
	json_int_t n = store_step(s) == STORE_ROW ? (json_int_t)store_col_int(s, 0) : 0;
	store_reset(s);
	return n;
}

/* Totals for one team (NULL = the whole authority). */
static json_t *totals(struct http_request *req, const char *team_id)
{
	json_int_t open = count(req, "SELECT COUNT(*) FROM cases c " CASE_JOIN "WHERE c.closed_at IS NULL "
	                             "AND ($1 = '' OR " CASE_TEAM " = $1)", team_id, false);
	json_int_t none = count(req, "SELECT COUNT(*) FROM cases c " CASE_JOIN "WHERE c.closed_at IS NULL "
	                             "AND au.id IS NULL AND ($1 = '' OR " CASE_TEAM " = $1)", team_id, false);
	json_int_t overdue = count(req, "SELECT COUNT(*) FROM clocks k JOIN cases c ON c.id = k.case_id " CASE_JOIN
	                                "WHERE k.state = 'running' AND k.due_at < $2 AND ($1 = '' OR " CASE_TEAM " = $1)",
	                           team_id, true);
	return json_pack("{s:I, s:I, s:I}", "open_cases", open, "no_worker", none, "overdue", overdue);
}

/* Open cases on a child protection plan with no worker allocated, oldest first. */
static json_t *on_plan_no_worker(struct http_request *req, const char *team_id)
{
	json_t *out = json_array();
	struct store_stmt *s = store_prepare(
		req->store, "SELECT c.id, c.child_id, ch.forenames || ' ' || ch.surname, c.opened_at, t.name FROM cases c "
		            "JOIN children ch ON ch.id = c.child_id " CASE_JOIN "LEFT JOIN teams t ON t.id = " CASE_TEAM " "
		            "WHERE c.closed_at IS NULL AND c.stage = 'cp_plan' AND au.id IS NULL "
		            "AND ($1 = '' OR " CASE_TEAM " = $1) ORDER BY c.opened_at, c.id LIMIT 500");
	if (!s)
		return out;
	store_bind_text(s, 1, team_id ? team_id : "");
	while (store_step(s) == STORE_ROW)
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:s}", "case_id", store_col_text(s, 0),
		                                     "child_id", store_col_text(s, 1), "child_name", store_col_text(s, 2),
		                                     "opened_long", format_long_date(&req->arena, store_col_text(s, 3)),
		                                     "team_name", store_col_is_null(s, 4) ? "No team" : store_col_text(s, 4)));
	return out;
}

static json_t *workers(struct http_request *req, const char *team_id)
{
	json_t *out = json_array();
	struct store_stmt *s = store_prepare(
		req->store, "SELECT u.id, u.display_name, "
		            "(SELECT COUNT(*) FROM cases c WHERE c.allocated_user_id = u.id AND c.closed_at IS NULL), "
		            "(SELECT COUNT(*) FROM clocks k WHERE k.responsible_user_id = u.id AND k.state = 'running' "
		            "AND k.due_at < $2) FROM users u WHERE u.team_id = $1 AND u.disabled = 0 "
		            "ORDER BY u.display_name, u.id");
	if (!s)
		return out;
	store_bind_text(s, 1, team_id);
	store_bind_int(s, 2, moment_now());
	while (store_step(s) == STORE_ROW)
		json_array_append_new(out, json_pack("{s:s, s:s, s:I, s:I}", "id", store_col_text(s, 0), "name",
		                                     store_col_text(s, 1), "open_cases", (json_int_t)store_col_int(s, 2),
		                                     "overdue", (json_int_t)store_col_int(s, 3)));
	return out;
}

static json_t *team_cases(struct http_request *req, const char *team_id, const char *worker)
{
	json_t *out = json_array();
	struct store_stmt *s = store_prepare(
		req->store, "SELECT c.id, c.child_id, ch.forenames || ' ' || ch.surname, au.id, au.display_name, c.stage, "
		            "c.opened_at, (SELECT COUNT(*) FROM clocks k WHERE k.case_id = c.id AND k.state = 'running' "
		            "AND k.due_at < $3) FROM cases c JOIN children ch ON ch.id = c.child_id " CASE_JOIN
		            "WHERE c.closed_at IS NULL AND " CASE_TEAM " = $1 AND ($2 = '' OR c.allocated_user_id = $2) "
		            "ORDER BY ch.surname, ch.forenames, c.id LIMIT $4");
	if (!s)
		return out;
	store_bind_text(s, 1, team_id);
	store_bind_text(s, 2, worker ? worker : "");
	store_bind_int(s, 3, moment_now());
	store_bind_int(s, 4, CASE_LIST_MAX);
	while (store_step(s) == STORE_ROW) {
		const char *stage = store_col_text(s, 5);
		const char *label = enums_label("case_stage", stage);
		json_array_append_new(
			out, json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s, s:s, s:s, s:s, s:I}", "case_id", store_col_text(s, 0),
			               "child_id", store_col_text(s, 1), "child_name", store_col_text(s, 2), "worker_id",
			               store_col_text(s, 3), "worker_name",
			               store_col_is_null(s, 4) ? "No worker" : store_col_text(s, 4), "stage", stage,
			               "stage_label", label ? label : stage, "opened_at", store_col_text(s, 6), "opened_long",
			               format_long_date(&req->arena, store_col_text(s, 6)), "overdue",
			               (json_int_t)store_col_int(s, 7)));
	}
	return out;
}

json_t *dashboard_team(struct http_request *req, const char *team_id, const char *worker_filter)
{
	struct store_stmt *s = store_prepare(req->store, "SELECT name FROM teams WHERE id = $1");
	if (!s)
		return NULL;
	store_bind_text(s, 1, team_id);
	if (store_step(s) != STORE_ROW)
		return NULL;
	json_t *team = json_pack("{s:s, s:s}", "id", team_id, "name", store_col_text(s, 0));
	store_reset(s);
	return json_pack("{s:o, s:o, s:o, s:o, s:o}", "team", team, "totals", totals(req, team_id), "workers",
	                 workers(req, team_id), "on_plan_no_worker", on_plan_no_worker(req, team_id), "cases",
	                 team_cases(req, team_id, worker_filter));
}

json_t *dashboard_authority(struct http_request *req)
{
	json_t *teams = json_array();
	struct store_stmt *s = store_prepare(req->store, "SELECT id, name FROM teams ORDER BY name, id");
	if (s)
		while (store_step(s) == STORE_ROW)
			json_array_append_new(teams, json_pack("{s:s, s:s}", "id", store_col_text(s, 0), "name",
			                                       store_col_text(s, 1)));
	size_t i;
	json_t *t;
	json_array_foreach(teams, i, t) {
		json_t *n = totals(req, json_string_value(json_object_get(t, "id")));
		json_object_update(t, n);
		json_decref(n);
	}
	/* Open cases that belong to no team at all still count in the authority's totals; show them as a row. */
	json_int_t stray = count(req, "SELECT COUNT(*) FROM cases c " CASE_JOIN "WHERE c.closed_at IS NULL AND "
	                              CASE_TEAM " IS NULL AND $1 = ''", NULL, false);
	if (stray) {
		json_int_t none = count(req, "SELECT COUNT(*) FROM cases c " CASE_JOIN "WHERE c.closed_at IS NULL AND "
		                             "au.id IS NULL AND " CASE_TEAM " IS NULL AND $1 = ''", NULL, false);
		json_int_t overdue = count(req, "SELECT COUNT(*) FROM clocks k JOIN cases c ON c.id = k.case_id " CASE_JOIN
		                                "WHERE k.state = 'running' AND k.due_at < $2 AND " CASE_TEAM " IS NULL "
		                                "AND $1 = ''", NULL, true);
		json_array_append_new(teams, json_pack("{s:n, s:s, s:I, s:I, s:I}", "id", "name", "No team", "open_cases",
		                                       stray, "no_worker", none, "overdue", overdue));
	}
	return json_pack("{s:o, s:o, s:o}", "totals", totals(req, NULL), "teams", teams, "on_plan_no_worker",
	                 on_plan_no_worker(req, NULL));
}

/* ---- the bar chart ---- */

/* Horizontal bars, one per row, in a 640-unit-wide viewBox that scales with the page: label, bar, value. The
 * numbers are computed here; the template only prints them (escaped), so no markup is built from data. */
static json_t *chart(struct http_request *req, json_t *rows, const char *name_key, const char *title)
{
	enum { WIDTH = 640, LABEL_END = 230, BAR_X = 240, BAR_MAX = 340, ROW = 34, BAR_H = 22, TOP = 8 };
	json_int_t max = 0;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		if (json_integer_value(json_object_get(r, "overdue")) > max)
			max = json_integer_value(json_object_get(r, "overdue"));
	}
	json_t *bars = json_array();
	struct buf label;
	buf_init(&label, 4096);
	buf_addf(&label, "%s: ", title);
	json_array_foreach(rows, i, r) {
		const char *name = json_string_value(json_object_get(r, name_key));
		json_int_t v = json_integer_value(json_object_get(r, "overdue"));
		int w = max ? (int)(v * BAR_MAX / max) : 0;
		if (v && w < 2)
			w = 2;
		int y = TOP + (int)i * ROW;
		/* Long names are shortened in the picture only; the table beside it has them in full. */
		const char *shown = name && strlen(name) > 30 ? arena_printf(&req->arena, "%.28s\xE2\x80\xA6", name) : name;
		json_array_append_new(bars, json_pack("{s:s, s:I, s:i, s:i, s:i, s:i}", "label", shown ? shown : "",
		                                      "value", v, "y", y, "text_y", y + 16, "bar_w", w, "value_x",
		                                      BAR_X + w + 6));
		buf_addf(&label, "%s%s %lld", i ? ", " : "", name ? name : "", (long long)v);
	}
	json_t *c = json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:o}", "title", title, "label", buf_str(&label), "width",
	                      WIDTH, "height", TOP * 2 + (int)json_array_size(rows) * ROW, "label_x", LABEL_END, "bar_x",
	                      BAR_X, "bars", bars);
	buf_free(&label);
	return c;
}

/* ---- pages and the API ---- */

static const char *worker_filter(struct http_request *req)
{
	const char *w = http_query(req, "worker");
	return w && *w ? w : NULL;
}

void dashboard_render(struct http_request *req, int status, const char *team_id, json_t *errors)
{
	json_t *ctx;
	if (!team_id) {
		json_t *data = dashboard_authority(req);
		ctx = json_pack("{s:b, s:O, s:O, s:O}", "authority", 1, "totals", json_object_get(data, "totals"), "teams",
		                json_object_get(data, "teams"), "on_plan_no_worker",
		                json_object_get(data, "on_plan_no_worker"));
		json_object_set_new(ctx, "chart", chart(req, json_object_get(data, "teams"), "name",
		                                        "Overdue statutory deadlines by team"));
		json_decref(data);
		if (errors) {
			web_add_errors(ctx, errors);
			json_decref(errors);
		}
		web_page(req, status, "dashboard", "Authority dashboard", ctx);
		return;
	}
	const char *worker = req->method == HTTP_GET ? worker_filter(req) : http_form(req, "worker");
	json_t *data = dashboard_team(req, team_id, worker && *worker ? worker : NULL);
	if (!data) {
		json_decref(errors);
		web_not_found(req);
		return;
	}
	ctx = json_deep_copy(data);
	json_decref(data);
	json_object_set_new(ctx, "chart", chart(req, json_object_get(ctx, "workers"), "name",
	                                        "Overdue statutory deadlines by worker"));
	/* Ticked boxes survive a refused submission, and "Select all shown" ticks every box without script. */
	const char *chosen[DASHBOARD_MAX_REASSIGN + 1];
	int nchosen = http_form_all(req, "case_id", chosen, DASHBOARD_MAX_REASSIGN + 1);
	const char *sel = http_query(req, "select");
	bool all = req->method == HTTP_GET && sel && strcmp(sel, "all") == 0;
	const char *to = http_form(req, "to_user_id");
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(ctx, "cases"), i, c) {
		bool on = all;
		for (int k = 0; k < nchosen && !on; k++)
			on = strcmp(chosen[k], json_string_value(json_object_get(c, "case_id"))) == 0;
		json_object_set_new(c, "checked", json_boolean(on));
	}
	json_t *options = json_array(), *w;
	json_array_foreach(json_object_get(ctx, "workers"), i, w) {
		const char *id = json_string_value(json_object_get(w, "id"));
		json_array_append_new(options, json_pack("{s:s, s:O, s:b, s:b}", "id", id, "name", json_object_get(w, "name"),
		                                         "selected", to && strcmp(to, id) == 0, "filtered",
		                                         worker && strcmp(worker, id) == 0));
	}
	json_object_set_new(ctx, "worker_options", options);
	json_object_set_new(ctx, "worker", json_string(worker ? worker : ""));
	json_object_set_new(ctx, "reason", json_string(http_form(req, "reason") ? http_form(req, "reason") : ""));
	json_object_set_new(ctx, "case_count", json_integer((json_int_t)json_array_size(json_object_get(ctx, "cases"))));
	json_object_set_new(ctx, "can_reassign", json_boolean(policy_allows_action(&req->user, "case.allocate")));
	json_object_set_new(ctx, "max_reassign", json_integer(DASHBOARD_MAX_REASSIGN));
	if (policy_allows_action(&req->user, "clock.authority"))
		json_object_set_new(ctx, "back_href", json_string("/dashboard"));
	/* Only a number is echoed back: the address must not be able to put words into the page. */
	const char *done = http_query(req, "reassigned");
	char *end = NULL;
	long moved = done ? strtol(done, &end, 10) : -1;
	if (req->method == HTTP_GET && done && *done && !*end && moved >= 0 && moved <= DASHBOARD_MAX_REASSIGN)
		json_object_set_new(ctx, "flash", json_string(arena_printf(&req->arena, "%ld %s reassigned.", moved,
		                                                           moved == 1 ? "case" : "cases")));
	if (errors) {
		web_add_errors(ctx, errors);
		json_decref(errors);
	}
	web_page(req, status, "dashboard",
	         arena_printf(&req->arena, "Team dashboard: %s",
	                      json_string_value(json_object_get(json_object_get(ctx, "team"), "name"))),
	         ctx);
}

static void h_page(struct http_request *req)
{
	const char *team;
	if (dashboard_scope(req, http_query(req, "team"), &team) < 0)
		return;
	dashboard_render(req, 200, team, NULL);
}

static void h_api(struct http_request *req)
{
	const char *team;
	if (dashboard_scope(req, http_query(req, "team"), &team) < 0)
		return;
	json_t *data = team ? dashboard_team(req, team, worker_filter(req)) : dashboard_authority(req);
	if (!data) {
		web_not_found(req);
		return;
	}
	json_object_set_new(data, "scope", json_string(team ? "team" : "authority"));
	http_json(req, 200, data);
}

const struct route dashboard_routes[] = {
	{HTTP_GET, "/dashboard", h_page, "dashboard.read"},
	{HTTP_GET, "/api/v1/dashboard", h_api, "dashboard.read"},
	{0},
};
