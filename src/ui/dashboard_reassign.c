/* Bulk reassignment (U11): up to DASHBOARD_MAX_REASSIGN cases to another worker in one confirmed action.
 *
 * The page journey works without script: tick cases on the team dashboard, choose the worker and give a reason,
 * "Continue" shows what will change, "Reassign" does it. The API does the same in one call. Both run one check
 * (plan) and one command (apply): every case must pass the policy's case.allocate, or the whole batch is refused
 * naming the cases that failed; then one transaction moves every case (with its running deadlines that the
 * previous worker held) and writes one audit entry per case and one chronology entry per child. */
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "app/web.h"
#include "audit/audit.h"
#include "core/date.h"
#include "domain/chronology.h"
#include "domain/entities.h"
#include "domain/enums.h"
#include "domain/record.h"
#include "policy/policy.h"
#include "ui/dashboard.h"

#define REASON_MAX 1000

struct batch {
	const char *ids[DASHBOARD_MAX_REASSIGN + 1];
	int n;
	const char *to, *reason, *team; /* team: the dashboard's team (pages only) */
	const char *to_name, *to_team;
	json_t *cases; /* [{case_id, child_id, child_name, from_id, from_name, stage_label, changed}] */
};

static void add_error(json_t *errors, const char *field, const char *message)
{
	json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field, "message", message));
}

/* Reads the batch from the API body or the form into b (arena strings); input errors go to errors. */
static void read_input(struct http_request *req, struct batch *b, json_t *errors)
{
	memset(b, 0, sizeof *b);
	const char *raw[DASHBOARD_MAX_REASSIGN + 1];
	int n = 0;
	bool too_many = false;
	if (req->is_api) {
		json_t *in = req->json, *ids = json_object_get(in, "case_ids");
		if (!json_is_object(in) || !json_is_array(ids)) {
			add_error(errors, "case_ids", "Give case_ids as a list of case ids");
		} else {
			size_t i;
			json_t *v;
			json_array_foreach(ids, i, v) {
				if (!json_is_string(v)) {
					add_error(errors, arena_printf(&req->arena, "case_ids/%zu", i), "Each case id must be a string");
					continue;
				}
				if (n == DASHBOARD_MAX_REASSIGN) {
					too_many = true;
					break;
				}
				raw[n++] = arena_strdup(&req->arena, json_string_value(v));
			}
		}
		b->to = arena_strdup(&req->arena, json_string_value(json_object_get(in, "to_user_id")));
		b->reason = arena_strdup(&req->arena, json_string_value(json_object_get(in, "reason")));
	} else {
		n = http_form_all(req, "case_id", raw, DASHBOARD_MAX_REASSIGN + 1);
		too_many = n > DASHBOARD_MAX_REASSIGN;
		if (too_many)
			n = DASHBOARD_MAX_REASSIGN;
		b->to = http_form(req, "to_user_id");
		b->reason = http_form(req, "reason");
		b->team = http_form(req, "team");
	}
	/* The same case ticked twice (or listed twice) is one case. */
	for (int i = 0; i < n; i++) {
		bool seen = false;
		for (int k = 0; k < b->n && !seen; k++)
			seen = strcmp(b->ids[k], raw[i]) == 0;
		if (!seen)
			b->ids[b->n++] = raw[i];
	}
	if (too_many)
		add_error(errors, "case_ids", arena_printf(&req->arena, "Choose at most %d cases at a time",
		                                           DASHBOARD_MAX_REASSIGN));
	else if (b->n == 0 && !json_array_size(errors))
		add_error(errors, "case_ids", "Choose at least one case to reassign");
	if (!b->to || !*b->to)
		add_error(errors, "to_user_id", "Choose the worker the cases go to");
	size_t rlen = b->reason ? strlen(b->reason) : 0;
	while (rlen && (b->reason[rlen - 1] == ' ' || b->reason[rlen - 1] == '\n' || b->reason[rlen - 1] == '\r'))
		rlen--;
	if (!rlen)
		add_error(errors, "reason", "Give the reason for the reassignment");
	else if (rlen > REASON_MAX)
		add_error(errors, "reason", arena_printf(&req->arena, "The reason must be %d characters or fewer",
		                                         REASON_MAX));
}

/* The worker the cases go to: an enabled account in a team; outside the user's own team only for those who see
 * the whole authority. */
static void check_target(struct http_request *req, struct batch *b, json_t *errors)
{
	struct store_stmt *s = store_prepare(req->store, "SELECT display_name, team_id FROM users WHERE id = $1 "
	                                                 "AND disabled = 0 AND team_id IS NOT NULL");
	if (!s)
		return;
	store_bind_text(s, 1, b->to);
	if (store_step(s) == STORE_ROW) {
		b->to_name = arena_strdup(&req->arena, store_col_text(s, 0));
		b->to_team = arena_strdup(&req->arena, store_col_text(s, 1));
	}
	store_reset(s);
	if (!b->to_name)
		add_error(errors, "to_user_id", "Choose a worker who is in a team and can sign in");
	else if (!policy_allows_action(&req->user, "clock.authority") &&
	         (!req->user.team_id || strcmp(req->user.team_id, b->to_team) != 0))
		add_error(errors, "to_user_id", "You can reassign cases only to workers in your own team");
}

/* Loads every case and asks the policy about each. Returns 0 (all allowed), or the HTTP status of the refusal
 * with errors filled: 403 naming the cases that may not be reassigned, 422 for closed ones. */
static int check_cases(struct http_request *req, struct batch *b, json_t *errors)
{
	b->cases = json_array();
	json_t *refused = json_array();
	struct store_stmt *s = store_prepare(
		req->store, "SELECT c.child_id, ch.forenames || ' ' || ch.surname, c.allocated_user_id, u.display_name, "
		            "c.stage, c.closed_at FROM cases c JOIN children ch ON ch.id = c.child_id "
		            "LEFT JOIN users u ON u.id = c.allocated_user_id WHERE c.id = $1");
	int status = 0;
	for (int i = 0; s && i < b->n; i++) {
		store_bind_text(s, 1, b->ids[i]);
		if (store_step(s) != STORE_ROW) {
			store_reset(s);
			json_array_append_new(refused, json_pack("{s:s, s:n}", "case_id", b->ids[i], "child_id"));
			continue;
		}
		const char *stage = store_col_text(s, 4);
		const char *label = enums_label("case_stage", stage);
		json_t *c = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s, s:b, s:b}", "case_id", b->ids[i], "child_id",
		                      store_col_text(s, 0), "child_name", store_col_text(s, 1), "from_id",
		                      store_col_text(s, 2), "from_name", store_col_is_null(s, 3) ? "No worker"
		                                                                                 : store_col_text(s, 3),
		                      "stage_label", label ? label : stage, "closed", !store_col_is_null(s, 5), "changed",
		                      store_col_is_null(s, 2) || strcmp(store_col_text(s, 2), b->to) != 0);
		store_reset(s);
		const char *child = json_string_value(json_object_get(c, "child_id"));
		if (!policy_child(req->store, &req->user, "case.allocate", child)) {
			json_array_append_new(refused, json_pack("{s:s, s:s}", "case_id", b->ids[i], "child_id", child));
			json_decref(c);
			continue;
		}
		if (json_is_true(json_object_get(c, "closed"))) {
			add_error(errors, arena_printf(&req->arena, "case_ids/%d", i),
			          arena_printf(&req->arena, "Case %s is closed: reopen it before reassigning it", b->ids[i]));
			status = 422;
		}
		json_array_append_new(b->cases, c);
	}
	if (json_array_size(refused)) {
		/* The whole batch is refused. A case that does not exist and one the user may not touch read the same,
		 * and each refusal about a child is audited as any other refused access is. */
		json_array_clear(errors);
		size_t i;
		json_t *r;
		if (store_begin(req->store) == STORE_OK) {
			bool ok = true;
			json_array_foreach(refused, i, r) {
				const char *child = json_string_value(json_object_get(r, "child_id"));
				struct audit_event ev = {.actor_user_id = req->user.id, .action = "access_denied",
				                         .object_type = "case", .object_id = json_string_value(json_object_get(r, "case_id")),
				                         .child_id = child, .detail = "case.allocate"};
				if (child && audit_append(req->store, &ev) != 0)
					ok = false;
			}
			if (ok)
				store_commit(req->store);
			else
				store_rollback(req->store);
		}
		json_array_foreach(refused, i, r) {
			const char *id = json_string_value(json_object_get(r, "case_id"));
			add_error(errors, "case_ids",
			          arena_printf(&req->arena, "Case %s cannot be reassigned: it does not exist or you may not "
			                                    "allocate it. Nothing was reassigned.", id));
		}
		status = 403;
	}
	json_decref(refused);
	return status;
}

/* Reads and checks a batch. 0 when it may go ahead; otherwise the HTTP status, with errors filled. */
static int plan(struct http_request *req, struct batch *b, json_t *errors)
{
	read_input(req, b, errors);
	if (json_array_size(errors))
		return 422;
	check_target(req, b, errors);
	if (json_array_size(errors))
		return 422;
	return check_cases(req, b, errors);
}

/* Moves the running deadlines the previous worker held on the case to the new worker, with their history. */
static int move_clocks(struct http_request *req, const char *case_id, const char *from, const char *to)
{
	struct store_stmt *s = store_prepare(
		req->store, "SELECT id FROM clocks WHERE case_id = $1 AND state = 'running' AND "
		            "(responsible_user_id = $2 OR (responsible_user_id IS NULL AND $2 = ''))");
	if (!s)
		return -1;
	store_bind_text(s, 1, case_id);
	store_bind_text(s, 2, from ? from : "");
	json_t *ids = json_array();
	while (store_step(s) == STORE_ROW)
		json_array_append_new(ids, json_string(store_col_text(s, 0)));
	int64_t now = moment_now();
	size_t i;
	json_t *id;
	int rc = 0;
	json_array_foreach(ids, i, id) {
		struct store_stmt *u = store_prepare(
			req->store, "UPDATE clocks SET responsible_user_id = $1, updated_at = $2 WHERE id = $3");
		struct store_stmt *h = store_prepare(
			req->store, "INSERT INTO clock_history (id, clock_id, at, change, detail, due_at, actor) "
			            "VALUES ($1, $2, $3, 'reassigned', $4, NULL, $5)");
		if (!u || !h) {
			rc = -1;
			break;
		}
		store_bind_text(u, 1, to);
		store_bind_int(u, 2, now);
		store_bind_text(u, 3, json_string_value(id));
		char hid[ID_MAX];
		id_new("clh", hid);
		store_bind_text(h, 1, hid);
		store_bind_text(h, 2, json_string_value(id));
		store_bind_int(h, 3, now);
		store_bind_text(h, 4, "The case was reassigned to another worker");
		store_bind_text(h, 5, req->user.id);
		if (store_step(u) != STORE_DONE || store_step(h) != STORE_DONE) {
			rc = -1;
			break;
		}
	}
	json_decref(ids);
	return rc;
}

/* The command: one transaction for the whole batch. 0 done; -1 answered (rolled back). */
static int apply(struct http_request *req, struct batch *b, int *moved)
{
	*moved = 0;
	if (command_begin_or_respond(req) < 0)
		return -1;
	json_t *children = json_object(); /* child_id -> already has its chronology entry */
	size_t i;
	json_t *c;
	int rc = STORE_OK;
	json_array_foreach(b->cases, i, c) {
		if (!json_is_true(json_object_get(c, "changed")))
			continue;
		const char *id = json_string_value(json_object_get(c, "case_id"));
		const char *child = json_string_value(json_object_get(c, "child_id"));
		const char *from = json_string_value(json_object_get(c, "from_id"));
		json_t *in = json_pack("{s:s, s:s}", "allocated_user_id", b->to, "team_id", b->to_team);
		rc = record_update(req->store, &entity_case, id, in, req->user.id);
		json_decref(in);
		if (rc != STORE_OK) /* STORE_DONE: the case went away since it was checked */
			break;
		if (move_clocks(req, id, from, b->to) < 0) {
			rc = STORE_ERR;
			break;
		}
		struct audit_event ev = {.actor_user_id = req->user.id, .action = "update", .object_type = "case",
		                         .object_id = id, .child_id = child, .reason = b->reason,
		                         .detail = arena_printf(&req->arena, "reassigned from %s to %s", from ? from : "none",
		                                                b->to)};
		if (audit_append(req->store, &ev) != 0) {
			rc = STORE_ERR;
			break;
		}
		if (!json_object_get(children, child)) {
			json_object_set_new(children, child, json_true());
			struct chronology_event ce = {
				.child_id = child,
				.case_id = id,
				.event_type = "case_reassigned",
				.summary = arena_printf(&req->arena, "Allocated worker changed from %s to %s. Reason: %s",
				                        json_string_value(json_object_get(c, "from_name")), b->to_name, b->reason),
				.significance = "routine",
				.source_type = "case",
				.source_id = id,
			};
			rc = chronology_append(req->store, &ce, req->user.id, NULL);
			if (rc != STORE_OK)
				break;
		}
		(*moved)++;
	}
	json_decref(children);
	if (rc != STORE_OK) {
		web_store_failure(req, rc == STORE_DONE ? STORE_CONSTRAINT : rc);
		return -1;
	}
	return command_commit_or_respond(req);
}

/* ---- the API ---- */

static void h_api(struct http_request *req)
{
	struct batch b;
	json_t *errors = json_array();
	int status = plan(req, &b, errors);
	if (status) {
		json_decref(b.cases);
		http_problem_fields(req, status, status == 403 ? "Not allowed for some cases" : "The request has invalid fields",
		                    errors);
		return;
	}
	json_decref(errors);
	int moved;
	if (apply(req, &b, &moved) < 0) {
		json_decref(b.cases);
		return;
	}
	json_t *out = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(b.cases, i, c)
		json_array_append_new(out, json_pack("{s:O, s:O, s:O, s:O}", "case_id", json_object_get(c, "case_id"),
		                                     "child_id", json_object_get(c, "child_id"), "from_user_id",
		                                     json_object_get(c, "from_id"), "changed", json_object_get(c, "changed")));
	json_decref(b.cases);
	http_json(req, 200, json_pack("{s:i, s:i, s:s, s:o}", "reassigned", moved, "unchanged",
	                              (int)json_array_size(out) - moved, "to_user_id", b.to, "cases", out));
}

/* ---- the pages: check, then confirm ---- */

/* The team whose dashboard the form came from, if the user may see it; answers otherwise. */
static bool page_team(struct http_request *req, const char **team)
{
	return dashboard_scope(req, http_form(req, "team"), team) == 0;
}

static void p_check(struct http_request *req)
{
	const char *team;
	if (!page_team(req, &team))
		return;
	struct batch b;
	json_t *errors = json_array();
	int status = team ? plan(req, &b, errors) : 422;
	if (!team) {
		b.cases = NULL;
		add_error(errors, "case_ids", "Open a team's dashboard to choose the cases to reassign");
	}
	if (status) {
		json_decref(b.cases);
		dashboard_render(req, status, team, errors);
		return;
	}
	json_decref(errors);
	int changes = 0;
	size_t i;
	json_t *c;
	json_array_foreach(b.cases, i, c) changes += json_is_true(json_object_get(c, "changed"));
	json_t *ctx = json_pack("{s:s, s:s, s:s, s:s, s:o, s:i, s:i, s:b, s:s}", "team", team, "to_user_id", b.to,
	                        "to_name", b.to_name, "reason", b.reason, "cases", b.cases, "changes", changes,
	                        "unchanged", (int)json_array_size(b.cases) - changes, "one", changes == 1, "back_href",
	                        arena_printf(&req->arena, "/dashboard?team=%s", team));
	web_page(req, 200, "dashboard_confirm", "Check the reassignment", ctx);
}

static void p_apply(struct http_request *req)
{
	const char *team;
	if (!page_team(req, &team))
		return;
	struct batch b;
	json_t *errors = json_array();
	int status = team ? plan(req, &b, errors) : 422;
	if (!team) {
		b.cases = NULL;
		add_error(errors, "case_ids", "Open a team's dashboard to choose the cases to reassign");
	}
	if (status) {
		json_decref(b.cases);
		dashboard_render(req, status, team, errors);
		return;
	}
	json_decref(errors);
	int moved;
	int rc = apply(req, &b, &moved);
	json_decref(b.cases);
	if (rc < 0)
		return;
	http_redirect(req, arena_printf(&req->arena, "/dashboard?team=%s&reassigned=%d", team, moved));
}

const struct route dashboard_reassign_routes[] = {
	{HTTP_POST, "/api/v1/cases/reassign", h_api, "case.allocate"},
	{HTTP_POST, "/dashboard/reassign/check", p_check, "case.allocate"},
	{HTTP_POST, "/dashboard/reassign", p_apply, "case.allocate"},
	{0},
};
