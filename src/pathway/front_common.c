/* The command plumbing shared by the front-half pathway commands (see front.h). */
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "app/app.h"
#include "app/web.h"
#include "audit/audit.h"
#include "clock/clock.h"
#include "core/date.h"
#include "domain/chronology.h"
#include "domain/enums.h"
#include "pathway/front.h"
#include "policy/policy.h"

void front_out_init(struct front_out *out)
{
	memset(out, 0, sizeof *out);
	out->errors = json_array();
	out->warnings = json_array();
}

void front_out_free(struct front_out *out)
{
	json_decref(out->errors);
	json_decref(out->warnings);
	out->errors = out->warnings = NULL;
}

int front_fail(struct front_out *out, int status, const char *field, const char *message)
{
	json_t *e = json_pack("{s:s}", "message", message);
	if (field)
		json_object_set_new(e, "field", json_string(field));
	json_array_append_new(out->errors, e);
	if (!out->status)
		out->status = status;
	return -1;
}

bool front_failed(const struct front_out *out)
{
	return out->status != 0;
}

int front_abort(struct http_request *req)
{
	if (store_in_transaction(req->store))
		store_rollback(req->store);
	return -1;
}

static int store_status(int rc)
{
	return rc == STORE_BUSY ? 503 : rc == STORE_CONSTRAINT ? 409 : 500;
}

/* The server's rules directory is known here, so the pathway table comes from it even before start-up loads it. */
static int ensure_rules(struct http_request *req, struct front_out *out)
{
	struct app *app = req->app;
	struct buf err;
	buf_init(&err, 4096);
	int loaded = stage_ensure_loaded(app->rules_dir, &err);
	buf_free(&err);
	if (loaded < 0)
		return front_fail(out, 500, NULL, "The pathway rules (rules/pathway/stages.json) could not be loaded.");
	return 0;
}

int front_begin(struct http_request *req, struct front_out *out)
{
	if (ensure_rules(req, out) < 0)
		return -1;
	int rc = store_begin(req->store);
	if (rc == STORE_OK)
		return 0;
	return front_fail(out, store_status(rc), NULL, "The database is busy. Nothing was saved; try again.");
}

int front_commit(struct http_request *req, struct front_out *out)
{
	int rc = store_commit(req->store);
	if (rc == STORE_OK)
		return 0;
	store_rollback(req->store);
	return front_fail(out, store_status(rc), NULL, "The change could not be saved, and nothing was written.");
}

static int store_failed(struct http_request *req, struct front_out *out, int rc)
{
	front_abort(req);
	return front_fail(out, store_status(rc), NULL,
	                  rc == STORE_CONSTRAINT ? "The change conflicts with records already held; nothing was saved."
	                                         : "The change could not be saved, and nothing was written.");
}

int front_load_case(struct http_request *req, const char *case_id, const char *action, struct front_case *c,
                    struct front_out *out)
{
	memset(c, 0, sizeof *c);
	if (ensure_rules(req, out) < 0)
		return -1;
	struct store_stmt *s =
		id_valid(case_id) ? store_prepare(req->store, "SELECT child_id, stage, closed_at FROM cases WHERE id = $1")
		                  : NULL;
	bool found = false;
	if (s) {
		store_bind_text(s, 1, case_id);
		if (store_step(s) == STORE_ROW) {
			found = true;
			snprintf(c->id, sizeof c->id, "%s", case_id);
			snprintf(c->child_id, sizeof c->child_id, "%s", store_col_text(s, 0));
			snprintf(c->stage, sizeof c->stage, "%s", store_col_text(s, 1));
			c->closed = !store_col_is_null(s, 2);
		}
		store_reset(s);
	}
	if (!found)
		return front_fail(out, 404, NULL, "There is no such case.");
	if (!policy_child(req->store, &req->user, action, c->child_id)) {
		out->forbidden_action = action;
		snprintf(out->child_id, sizeof out->child_id, "%s", c->child_id);
		return front_fail(out, 404, NULL, "There is no such case.");
	}
	snprintf(out->case_id, sizeof out->case_id, "%s", c->id);
	snprintf(out->child_id, sizeof out->child_id, "%s", c->child_id);
	snprintf(out->stage, sizeof out->stage, "%s", c->stage);
	return 0;
}

int front_load_owner(struct http_request *req, const char *table, const char *row_id, const char *action,
                     struct front_case *c, struct front_out *out)
{
	char case_id[ID_MAX] = "";
	if (id_valid(row_id)) {
		struct buf sql;
		buf_init(&sql, 256);
		buf_addf(&sql, "SELECT case_id FROM %s WHERE id = $1", table); /* table: a compiled constant */
		struct store_stmt *s = store_prepare(req->store, buf_str(&sql));
		buf_free(&sql);
		if (s) {
			store_bind_text(s, 1, row_id);
			if (store_step(s) == STORE_ROW)
				snprintf(case_id, sizeof case_id, "%s", store_col_text(s, 0));
			store_reset(s);
		}
	}
	if (!case_id[0])
		return front_fail(out, 404, NULL, "There is no such record.");
	return front_load_case(req, case_id, action, c, out);
}

int front_validate(struct http_request *req, const struct entity *e, json_t *in, bool partial,
                   struct front_out *out)
{
	if (record_validate(req->store, e, in, partial, out->errors) == 0)
		return 0;
	if (!out->status)
		out->status = 422;
	return -1;
}

int64_t front_moment(json_t *in, const char *key, int64_t fallback)
{
	int64_t t;
	const char *s = json_string_value(json_object_get(in, key));
	if (s && moment_parse(s, &t) == 0)
		return t;
	return fallback;
}

bool front_true(json_t *in, const char *key)
{
	return json_is_true(json_object_get(in, key));
}

const char *front_str(json_t *in, const char *key)
{
	const char *s = json_string_value(json_object_get(in, key));
	return s && *s ? s : NULL;
}

int front_event(struct http_request *req, struct front_out *out, const struct front_case *c, const char *event,
                int64_t at, const char *subject_id, const char *const *variants, int n_variants,
                const char *const *conditions, int n_conditions)
{
	struct app *app = req->app;
	struct clock_engine eng = {app->clock_rules, app->calendar};
	struct clock_event_record ev = {
		.case_id = c->id,
		.child_id = c->child_id,
		.event = event,
		.at = at,
		.subject_id = subject_id,
		.variants = n_variants ? variants : NULL,
		.n_variants = n_variants,
		.conditions = n_conditions ? conditions : NULL,
		.n_conditions = n_conditions,
		.actor_user_id = req->user.id,
	};
	struct buf err;
	buf_init(&err, 4096);
	int rc = clock_record_event(req->store, &eng, &ev, NULL, NULL, &err);
	if (rc == 0) {
		buf_free(&err);
		return 0;
	}
	front_abort(req);
	struct buf msg;
	buf_init(&msg, 4096);
	buf_addf(&msg, "The %s could not be recorded against the statutory clocks: %s", event, buf_str(&err));
	front_fail(out, 422, NULL, buf_str(&msg));
	buf_free(&msg);
	buf_free(&err);
	return -1;
}

int front_transition(struct http_request *req, struct front_out *out, struct front_case *c, const char *to,
                     const char *command, const char *reason, const char *const *facts, int n_facts,
                     const char *source_type, const char *source_id)
{
	struct stage_request rq = {
		.case_id = c->id,
		.to = to,
		.command = command,
		.reason = reason,
		.actor_user_id = req->user.id,
		.facts = facts,
		.n_facts = n_facts,
		.source_type = source_type,
		.source_id = source_id,
	};
	struct stage_result res;
	struct buf why;
	buf_init(&why, 8192);
	int rc = stage_apply(req->store, &rq, &res, &why);
	size_t i;
	json_t *w;
	json_array_foreach(res.warnings, i, w) json_array_append(out->warnings, w);
	if (rc == STAGE_OK) {
		snprintf(c->stage, sizeof c->stage, "%s", to);
		snprintf(out->stage, sizeof out->stage, "%s", to);
	} else {
		front_abort(req);
		if (rc == STAGE_REFUSED_GUARD) {
			json_array_foreach(res.refusals, i, w) json_array_append(out->errors, w);
			out->status = out->status ? out->status : 422;
		} else {
			front_fail(out, rc == STAGE_REFUSED_STAGE ? 409 : rc == STAGE_NO_CASE ? 404 : 500, NULL,
			           buf_str(&why));
		}
	}
	stage_result_free(&res);
	buf_free(&why);
	return rc == STAGE_OK ? 0 : -1;
}

int front_can(struct http_request *req, struct front_out *out, const struct front_case *c, const char *to,
              const char *command)
{
	if (!c->closed && stage_allowed(c->stage, to, command))
		return 0;
	const char *from = enums_label("case_stage", c->stage), *dest = enums_label("case_stage", to);
	char msg[400];
	if (c->closed)
		snprintf(msg, sizeof msg, "The case is closed");
	else
		snprintf(msg, sizeof msg, "The case is at the %s stage: it cannot move to %s this way", from ? from : c->stage,
		         dest ? dest : to);
	front_abort(req);
	return front_fail(out, 409, NULL, msg);
}

int front_in_stage(struct http_request *req, struct front_out *out, const struct front_case *c, const char *command)
{
	struct buf why;
	buf_init(&why, 4096);
	int rc = stage_check_in_stage(req->store, c->id, command, &why);
	if (rc != STAGE_OK) {
		front_abort(req);
		front_fail(out, rc == STAGE_REFUSED_STAGE ? 409 : 500, NULL, buf_str(&why));
	}
	buf_free(&why);
	return rc == STAGE_OK ? 0 : -1;
}

int front_chronology(struct http_request *req, struct front_out *out, const struct front_case *c, const char *type,
                     const char *summary, const char *significance, const char *source_type, const char *source_id,
                     const char *event_date)
{
	struct chronology_event ev = {
		.child_id = c->child_id,
		.case_id = c->id,
		.event_date = event_date,
		.event_type = type,
		.summary = summary,
		.significance = significance,
		.source_type = source_type,
		.source_id = source_id,
	};
	int rc = chronology_append(req->store, &ev, req->user.id, NULL);
	return rc == STORE_OK ? 0 : store_failed(req, out, rc);
}

int front_audit(struct http_request *req, struct front_out *out, const char *action, const char *object_type,
                const char *object_id, const char *child_id)
{
	struct audit_event ev = {
		.actor_user_id = req->signed_in ? req->user.id : NULL,
		.action = action,
		.object_type = object_type,
		.object_id = object_id,
		.child_id = child_id,
		.detail = req->route ? req->route->pattern : NULL,
	};
	if (audit_append(req->store, &ev) == 0)
		return 0;
	return store_failed(req, out, STORE_ERR);
}

int front_insert(struct http_request *req, struct front_out *out, const struct entity *e, json_t *in,
                 const struct http_kv *extra, int nextra, char id_out[ID_MAX])
{
	int rc = record_insert(req->store, e, in, extra, nextra, req->user.id, id_out);
	return rc == STORE_OK ? 0 : store_failed(req, out, rc);
}

int front_update(struct http_request *req, struct front_out *out, const struct entity *e, const char *id,
                 json_t *in)
{
	int rc = record_update(req->store, e, id, in, req->user.id);
	if (rc == STORE_OK)
		return 0;
	if (rc == STORE_DONE) {
		front_abort(req);
		return front_fail(out, 404, NULL, "There is no such record.");
	}
	return store_failed(req, out, rc);
}

int front_exec(struct http_request *req, struct front_out *out, const char *sql, const char *const *vals, int n)
{
	struct store_stmt *s = store_prepare(req->store, sql);
	if (!s)
		return store_failed(req, out, STORE_ERR);
	for (int i = 0; i < n; i++)
		store_bind_text(s, i + 1, vals[i]);
	int rc = store_step(s);
	return rc == STORE_DONE ? 0 : store_failed(req, out, rc);
}

int64_t front_count(struct http_request *req, const char *sql, const char *a, const char *b, const char *c)
{
	struct store_stmt *s = store_prepare(req->store, sql);
	if (!s)
		return -1;
	const char *vals[] = {a, b, c};
	for (int i = 0; i < 3 && vals[i]; i++)
		store_bind_text(s, i + 1, vals[i]);
	int64_t n = store_step(s) == STORE_ROW ? store_col_int(s, 0) : -1;
	store_reset(s);
	return n;
}

bool front_is_manager(const struct http_request *req)
{
	const char *r = req->user.role;
	return r && (strcmp(r, "team_manager") == 0 || strcmp(r, "service_manager") == 0);
}

bool front_user_is_manager(struct http_request *req, const char *user_id)
{
	return user_id && front_count(req,
	                              "SELECT COUNT(*) FROM users WHERE id = $1 AND disabled = 0 AND role IN "
	                              "('team_manager', 'service_manager')",
	                              user_id, NULL, NULL) > 0;
}

void front_respond_failure(struct http_request *req, struct front_out *out)
{
	if (out->status == 404) {
		if (out->forbidden_action)
			web_forbidden(req, out->forbidden_action, out->child_id[0] ? out->child_id : NULL);
		else
			web_not_found(req);
		return;
	}
	const char *msg = json_string_value(json_object_get(json_array_get(out->errors, 0), "message"));
	web_error(req, out->status, out->status == 503 ? "Busy" : "Internal error", msg ? msg : "Nothing was saved.");
}

void front_respond(struct http_request *req, struct front_out *out, int ok_status, json_t *body)
{
	if (out->status == 0) {
		if (!body)
			body = json_object();
		json_object_set(body, "warnings", out->warnings);
		if (out->stage[0] && !json_object_get(body, "stage"))
			json_object_set_new(body, "stage", json_string(out->stage));
		http_json(req, ok_status, body);
		return;
	}
	json_decref(body);
	if (out->status == 409 || out->status == 422) {
		json_t *errors = json_deep_copy(out->errors);
		http_problem_fields(req, out->status,
		                    out->status == 409 ? "Not possible at this stage" : "The request was refused", errors);
		return;
	}
	front_respond_failure(req, out);
}

void front_run(struct http_request *req, front_cmd cmd, int ok_status, const struct entity *view)
{
	json_t *in = command_input_or_respond(req, NULL);
	if (!in)
		return;
	struct front_out out;
	front_out_init(&out);
	cmd(req, http_param(req, 0), in, &out);
	json_decref(in);
	json_t *body = NULL;
	if (!out.status)
		body = view && out.id[0] ? front_row(req, view, out.id) : front_case_view(req, out.case_id);
	front_respond(req, &out, ok_status, body);
	front_out_free(&out);
}
