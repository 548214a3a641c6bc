/* The plumbing every back-half command shares: the result of a command, the transaction, the clock, stage,
 * chronology and audit calls inside it, and answering the API from the result. */
#include "pathway/back.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "app/web.h"
#include "audit/audit.h"
#include "clock/clock.h"
#include "core/date.h"
#include "domain/chronology.h"
#include "pathway/stage.h"

void back_out_init(struct back_out *o)
{
	memset(o, 0, sizeof *o);
	o->errors = json_array();
	o->warnings = json_array();
}

void back_out_free(struct back_out *o)
{
	json_decref(o->errors);
	json_decref(o->warnings);
	json_decref(o->result);
	memset(o, 0, sizeof *o);
}

static json_t *error_object(const char *field, const char *rule, const char *citation, const char *fmt, va_list ap)
{
	struct buf b;
	buf_init(&b, 4096);
	buf_vaddf(&b, fmt, ap);
	json_t *e = json_object();
	if (field)
		json_object_set_new(e, "field", json_string(field));
	json_object_set_new(e, "message", json_string(buf_str(&b)));
	if (rule)
		json_object_set_new(e, "rule", json_string(rule));
	if (citation)
		json_object_set_new(e, "citation", json_string(citation));
	buf_free(&b);
	return e;
}

int back_fail(struct back_out *o, int status, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	json_array_append_new(o->errors, error_object(field, NULL, NULL, fmt, ap));
	va_end(ap);
	if (!o->status)
		o->status = status;
	return o->status;
}

int back_refuse(struct back_out *o, int status, const char *field, const char *rule, const char *citation,
                const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	json_array_append_new(o->errors, error_object(field, rule, citation, fmt, ap));
	va_end(ap);
	if (!o->status)
		o->status = status;
	return o->status;
}

void back_warn(struct back_out *o, const char *child_id, const char *case_id, const char *severity, const char *rule,
               const char *citation, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	json_t *w = error_object(NULL, rule, citation, fmt, ap);
	va_end(ap);
	json_object_set_new(w, "severity", json_string(severity ? severity : "warning"));
	json_object_set_new(w, "child_id", child_id ? json_string(child_id) : json_null());
	json_object_set_new(w, "case_id", case_id ? json_string(case_id) : json_null());
	json_array_append_new(o->warnings, w);
}

int back_forbid(struct back_out *o, const char *action, const char *child_id)
{
	o->status = 404;
	o->forbidden_action = action;
	o->forbidden_child = child_id;
	return 404;
}

int back_store_fail(struct back_out *o, int rc)
{
	if (rc == STORE_BUSY)
		return back_fail(o, 503, NULL, "The database is busy. Nothing was saved; try again.");
	if (rc == STORE_CONSTRAINT)
		return back_fail(o, 409, NULL, "The change conflicts with records already held, and nothing was saved.");
	return back_fail(o, 500, NULL, "The change could not be saved, and nothing was written.");
}

int back_begin(struct http_request *req, struct back_out *o)
{
	int rc = store_begin(req->store);
	if (rc == STORE_OK)
		return 0;
	back_store_fail(o, rc);
	return -1;
}

static int record_warnings(struct http_request *req, struct back_out *o, const char *subject_type,
                           const char *subject_id)
{
	size_t i;
	json_t *w;
	char now[MOMENT_ISO_LEN];
	moment_format(moment_now(), now);
	json_array_foreach(o->warnings, i, w) {
		const char *child = json_string_value(json_object_get(w, "child_id"));
		if (!child || json_is_true(json_object_get(w, "recorded")))
			continue;
		char id[ID_MAX];
		id_new("pwn", id);
		int rc = back_exec(req,
		                   "INSERT INTO pathway_warnings (id, child_id, case_id, subject_type, subject_id, severity, "
		                   "rule_ref, citation, message, raised_at, raised_by) "
		                   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
		                   11, id, child, json_string_value(json_object_get(w, "case_id")), subject_type, subject_id,
		                   json_string_value(json_object_get(w, "severity")),
		                   json_string_value(json_object_get(w, "rule")),
		                   json_string_value(json_object_get(w, "citation")),
		                   json_string_value(json_object_get(w, "message")), now, req->user.id);
		if (rc != STORE_OK)
			return rc;
		json_object_set_new(w, "recorded", json_true());
	}
	return STORE_OK;
}

int back_commit(struct http_request *req, struct back_out *o, const char *subject_type, const char *subject_id)
{
	int rc = record_warnings(req, o, subject_type, subject_id);
	if (rc == STORE_OK)
		rc = store_commit(req->store);
	if (rc == STORE_OK)
		return 0;
	store_rollback(req->store);
	back_store_fail(o, rc);
	return -1;
}

int back_audit(struct http_request *req, struct back_out *o, const char *action, const char *object_type,
               const char *object_id, const char *child_id)
{
	struct audit_event ev = {
		.actor_user_id = req->user.id,
		.action = action,
		.object_type = object_type,
		.object_id = object_id,
		.child_id = child_id,
		.detail = req->route ? req->route->pattern : NULL,
	};
	if (audit_append(req->store, &ev) == 0)
		return 0;
	back_store_fail(o, STORE_ERR);
	return -1;
}

int back_clock(struct http_request *req, struct back_out *o, const char *case_id, const char *child_id,
               const char *event, int64_t at, const char *subject_id, const char *variant)
{
	struct app *app = req->app;
	struct clock_engine eng = {app->clock_rules, app->calendar};
	const char *variants[1] = {variant};
	struct clock_event_record ev = {
		.case_id = case_id,
		.child_id = child_id,
		.event = event,
		.at = at,
		.subject_id = subject_id,
		.variants = variant ? variants : NULL,
		.n_variants = variant ? 1 : 0,
		.actor_user_id = req->user.id,
	};
	struct buf err;
	buf_init(&err, 4096);
	int rc = clock_record_event(req->store, &eng, &ev, NULL, NULL, &err);
	if (rc < 0) {
		if (err.len)
			back_fail(o, 409, NULL, "The statutory clocks refused this: %s", buf_str(&err));
		else
			back_store_fail(o, STORE_ERR);
	}
	buf_free(&err);
	return rc < 0 ? -1 : 0;
}

int back_transition(struct http_request *req, struct back_out *o, const char *case_id, const char *child_id,
                    const char *to, const char *command, const char *reason, const char *source_type,
                    const char *source_id)
{
	struct stage_request rq = {
		.case_id = case_id,
		.to = to,
		.command = command,
		.reason = reason,
		.actor_user_id = req->user.id,
		.source_type = source_type,
		.source_id = source_id,
	};
	struct stage_result res;
	memset(&res, 0, sizeof res);
	struct buf why;
	buf_init(&why, 4096);
	int rc = stage_apply(req->store, &rq, &res, &why);
	size_t i;
	json_t *w;
	json_array_foreach(res.warnings, i, w) {
		back_warn(o, child_id, case_id, "warning", json_string_value(json_object_get(w, "rule")),
		          json_string_value(json_object_get(w, "citation")), "%s",
		          json_string_value(json_object_get(w, "message")));
	}
	if (rc == STAGE_REFUSED_GUARD && json_array_size(res.refusals)) {
		json_array_foreach(res.refusals, i, w) {
			back_refuse(o, 422, json_string_value(json_object_get(w, "field")),
			            json_string_value(json_object_get(w, "rule")),
			            json_string_value(json_object_get(w, "citation")), "%s",
			            json_string_value(json_object_get(w, "message")));
		}
	} else if (rc == STAGE_REFUSED_STAGE || rc == STAGE_REFUSED_GUARD) {
		back_fail(o, rc == STAGE_REFUSED_STAGE ? 409 : 422, NULL, "%s", why.len ? buf_str(&why) : "Not allowed now");
	} else if (rc == STAGE_NO_CASE) {
		back_fail(o, 404, NULL, "There is no such case");
	} else if (rc != STAGE_OK) {
		back_fail(o, 500, NULL, "The stage could not be changed: %s", why.len ? buf_str(&why) : "error");
	}
	stage_result_free(&res);
	buf_free(&why);
	return rc == STAGE_OK ? 0 : -1;
}

int back_chronology(struct http_request *req, struct back_out *o, const char *child_id, const char *case_id,
                    const char *event_date, const char *event_type, const char *significance, const char *summary,
                    const char *source_type, const char *source_id)
{
	struct chronology_event ev = {
		.child_id = child_id,
		.case_id = case_id,
		.event_date = event_date,
		.event_type = event_type,
		.summary = summary,
		.significance = significance,
		.source_type = source_type,
		.source_id = source_id,
	};
	int rc = chronology_append(req->store, &ev, req->user.id, NULL);
	if (rc == STORE_OK)
		return 0;
	back_store_fail(o, rc);
	return -1;
}

static bool waits_for(const struct clock_rule *rule, const char *const *events)
{
	if (!events)
		return true;
	for (const char *const *e = events; *e; e++)
		for (int i = 0; i < rule->n_stop_events; i++)
			if (strcmp(rule->stop_events[i], *e) == 0)
				return true;
	return false;
}

int back_stop_clocks(struct http_request *req, struct back_out *o, const char *case_id, const char *subject_id,
                     const char *const *waiting_for, const char *started_by, const char *reason)
{
	struct app *app = req->app;
	struct store_stmt *s = store_prepare(
		req->store, "SELECT id, rule_id, start_event FROM clocks WHERE case_id = $1 AND state = 'running' "
		            "AND ($2 IS NULL OR subject_id = $2)");
	if (!s)
		return back_store_fail(o, STORE_ERR), -1;
	store_bind_text(s, 1, case_id);
	store_bind_text(s, 2, subject_id);
	json_t *ids = json_array();
	while (store_step(s) == STORE_ROW) {
		const struct clock_rule *rule;
		if (clock_rules_find(app->clock_rules, store_col_text(s, 1), &rule, NULL) < 0 || !waits_for(rule, waiting_for))
			continue;
		const char *start = store_col_text(s, 2);
		if (started_by && (!start || strcmp(start, started_by) != 0))
			continue;
		json_array_append_new(ids, json_string(store_col_text(s, 0)));
	}
	size_t i;
	json_t *id;
	int rc = 0;
	json_array_foreach(ids, i, id) {
		struct buf err;
		buf_init(&err, 1024);
		if (clock_stop(req->store, json_string_value(id), reason, req->user.id, &err) < 0) {
			back_fail(o, 500, NULL, "A clock could not be stopped: %s", buf_str(&err));
			rc = -1;
		}
		buf_free(&err);
		if (rc < 0)
			break;
	}
	json_decref(ids);
	return rc;
}

int back_exec(struct http_request *req, const char *sql, int n, ...)
{
	struct store_stmt *s = store_prepare(req->store, sql);
	if (!s)
		return STORE_ERR;
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		store_bind_text(s, i + 1, va_arg(ap, const char *));
	va_end(ap);
	int rc = store_step(s);
	return rc == STORE_DONE || rc == STORE_ROW ? (store_reset(s), STORE_OK) : rc;
}

/* ---- answering ---- */

static bool answer_refusal(struct http_request *req, struct back_out *o)
{
	store_rollback(req->store);
	if (o->status == BACK_ANSWERED)
		return true;
	if (o->status == 404) {
		if (o->forbidden_action)
			web_forbidden(req, o->forbidden_action, o->forbidden_child);
		else
			web_not_found(req);
		return true;
	}
	if (o->status >= 500) {
		const char *m = json_string_value(json_object_get(json_array_get(o->errors, 0), "message"));
		web_error(req, o->status, o->status == 503 ? "Busy" : "Internal error", m ? m : "Nothing was saved.");
		return true;
	}
	return false;
}

void back_api_answer(struct http_request *req, struct back_out *o, int ok_status)
{
	if (o->status != BACK_OK) {
		if (answer_refusal(req, o))
			return;
		const char *title = o->status == 409 ? "Not allowed at this point in the pathway"
		                                     : "The request has invalid fields";
		http_problem_fields(req, o->status, title, json_incref(o->errors));
		return;
	}
	json_t *body = o->result ? json_incref(o->result) : json_object();
	if (json_is_object(body)) {
		size_t i;
		json_t *w;
		json_array_foreach(o->warnings, i, w) json_object_del(w, "recorded");
		json_object_set(body, "warnings", o->warnings);
	}
	http_json(req, ok_status, body);
}

bool back_page_answered(struct http_request *req, struct back_out *o)
{
	if (o->status == BACK_OK)
		return false;
	return answer_refusal(req, o);
}

void back_api_run(struct http_request *req, void (*fn)(struct http_request *, const char *, json_t *, struct back_out *),
                  int ok_status)
{
	json_t *in = back_input(req, NULL, NULL);
	if (!in)
		return;
	struct back_out o;
	back_out_init(&o);
	fn(req, http_param(req, 0), in, &o);
	json_decref(in);
	back_api_answer(req, &o, ok_status);
	back_out_free(&o);
}
