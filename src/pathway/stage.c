/* Applying the pathway state machine to a case (see stage.h). */
#include "pathway/stage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "clock/clock.h"
#include "core/date.h"
#include "domain/enums.h"
#include "pathway/stage_internal.h"

static const char *stage_label(const char *code)
{
	const char *l = code ? enums_label("case_stage", code) : NULL;
	return l ? l : code;
}

void stage_result_free(struct stage_result *res)
{
	json_decref(res->warnings);
	json_decref(res->refusals);
	res->warnings = res->refusals = NULL;
}

struct case_row {
	char stage[STAGE_CODE_MAX];
	char child_id[ID_MAX];
	bool closed;
};

static int read_case(struct store *st, const char *case_id, struct case_row *c)
{
	if (!case_id || !id_valid(case_id))
		return STAGE_NO_CASE;
	struct store_stmt *s = store_prepare(st, "SELECT stage, child_id, closed_at FROM cases WHERE id = $1");
	if (!s)
		return STAGE_ERROR;
	store_bind_text(s, 1, case_id);
	int rc = store_step(s);
	if (rc != STORE_ROW) {
		store_reset(s);
		return rc == STORE_DONE ? STAGE_NO_CASE : STAGE_ERROR;
	}
	snprintf(c->stage, sizeof c->stage, "%s", store_col_text(s, 0));
	snprintf(c->child_id, sizeof c->child_id, "%s", store_col_text(s, 1));
	c->closed = !store_col_is_null(s, 2);
	store_reset(s);
	return STAGE_OK;
}

int stage_current(struct store *st, const char *case_id, char out[STAGE_CODE_MAX])
{
	struct case_row c;
	int rc = read_case(st, case_id, &c);
	if (rc == STAGE_OK)
		snprintf(out, STAGE_CODE_MAX, "%s", c.stage);
	return rc;
}

static bool has_fact(const struct stage_request *rq, const char *fact)
{
	for (int i = 0; i < rq->n_facts; i++)
		if (rq->facts[i] && strcmp(rq->facts[i], fact) == 0)
			return true;
	return false;
}

static bool actor_has_role(struct store *st, const char *user_id, json_t *roles)
{
	if (!user_id)
		return false;
	struct store_stmt *s = store_prepare(st, "SELECT role FROM users WHERE id = $1 AND disabled = 0");
	if (!s)
		return false;
	store_bind_text(s, 1, user_id);
	bool ok = false;
	if (store_step(s) == STORE_ROW) {
		const char *role = store_col_text(s, 0);
		size_t i;
		json_t *r;
		json_array_foreach(roles, i, r) ok = ok || strcmp(json_string_value(r), role) == 0;
	}
	store_reset(s);
	return ok;
}

/* The event must have been recorded for this step: at or after the case's latest transition, and not already used
 * by an earlier transition, so that an event of an earlier episode (the previous review) cannot satisfy a later one.
 * The satisfying event's id is written into consumed (ID_MAX bytes). */
static bool event_recorded(struct store *st, const char *case_id, const char *event, char *consumed)
{
	struct store_stmt *s = store_prepare(
		st, "SELECT e.id FROM case_events e WHERE e.case_id = $1 AND e.event = $2 AND e.recorded_at >= "
		    "COALESCE((SELECT MAX(t.at_epoch) FROM stage_transitions t WHERE t.case_id = $1), 0) "
		    "AND NOT EXISTS (SELECT 1 FROM stage_transitions u WHERE u.case_id = $1 AND u.consumed_event_id = e.id) "
		    "ORDER BY e.recorded_at DESC, e.id LIMIT 1");
	if (!s)
		return false;
	store_bind_text(s, 1, case_id);
	store_bind_text(s, 2, event);
	bool ok = store_step(s) == STORE_ROW;
	if (ok)
		snprintf(consumed, ID_MAX, "%s", store_col_text(s, 0));
	store_reset(s);
	return ok;
}

static bool guard_holds(struct store *st, const struct stage_request *rq, json_t *g, char *consumed)
{
	const char *kind = json_string_value(json_object_get(g, "kind"));
	if (strcmp(kind, "role") == 0)
		return actor_has_role(st, rq->actor_user_id, json_object_get(g, "roles"));
	if (strcmp(kind, "reason") == 0)
		return rq->reason && rq->reason[strspn(rq->reason, " \t\r\n")];
	if (strcmp(kind, "event") == 0)
		return event_recorded(st, rq->case_id, json_string_value(json_object_get(g, "event")), consumed);
	return has_fact(rq, json_string_value(json_object_get(g, "fact")));
}

static json_t *guard_note(json_t *g)
{
	json_t *n = json_pack("{s:O?, s:O, s:O}", "rule", json_object_get(g, "rule"), "citation",
	                      json_object_get(g, "citation"), "message", json_object_get(g, "message"));
	if (json_object_get(g, "field"))
		json_object_set(n, "field", json_object_get(g, "field"));
	return n;
}

static void join_messages(json_t *notes, struct buf *out)
{
	size_t i;
	json_t *n;
	json_array_foreach(notes, i, n) {
		buf_addf(out, "%s%s (%s)", i ? "; " : "", json_string_value(json_object_get(n, "message")),
		         json_string_value(json_object_get(n, "citation")));
	}
}

/* A closed case owes nothing more: its running clocks stop, each with the reason, in the same transaction. */
static int stop_case_clocks(struct store *st, const struct stage_request *rq, struct buf *why_not)
{
	struct store_stmt *s = store_prepare(st, "SELECT id FROM clocks WHERE case_id = $1 AND state = 'running'");
	if (!s) {
		buf_addf(why_not, "the case's clocks could not be read: %s", store_errmsg(st));
		return STAGE_ERROR;
	}
	store_bind_text(s, 1, rq->case_id);
	json_t *ids = json_array();
	while (store_step(s) == STORE_ROW)
		json_array_append_new(ids, json_string(store_col_text(s, 0)));
	struct buf reason;
	buf_init(&reason, 2048);
	buf_addf(&reason, "case closed (%s)", rq->command);
	int rc = STAGE_OK;
	size_t i;
	json_t *id;
	json_array_foreach(ids, i, id) {
		if (clock_stop(st, json_string_value(id), buf_str(&reason), rq->actor_user_id, why_not) < 0) {
			rc = STAGE_ERROR;
			break;
		}
	}
	buf_free(&reason);
	json_decref(ids);
	return rc;
}

static int write_transition(struct store *st, const struct stage_request *rq, const struct case_row *c,
                            json_t *doc, const char *consumed, struct stage_result *res, struct buf *why_not)
{
	char now_iso[MOMENT_ISO_LEN];
	int64_t now = moment_now();
	moment_format(now, now_iso);
	id_new("stg", res->transition_id);
	char *warnings = json_dumps(res->warnings, JSON_COMPACT);
	struct store_stmt *s = store_prepare(
		st, "INSERT INTO stage_transitions (id, case_id, child_id, from_stage, to_stage, command, reason, warnings, "
		    "source_type, source_id, actor_user_id, at, at_epoch, consumed_event_id, seq) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
		    "(SELECT COALESCE(MAX(seq), 0) + 1 FROM stage_transitions WHERE case_id = $2))");
	int rc = STORE_ERR;
	if (s) {
		store_bind_text(s, 1, res->transition_id);
		store_bind_text(s, 2, rq->case_id);
		store_bind_text(s, 3, c->child_id);
		store_bind_text(s, 4, c->stage[0] ? c->stage : NULL);
		store_bind_text(s, 5, rq->to);
		store_bind_text(s, 6, rq->command);
		store_bind_text(s, 7, rq->reason);
		store_bind_text(s, 8, json_array_size(res->warnings) ? warnings : NULL);
		store_bind_text(s, 9, rq->source_type);
		store_bind_text(s, 10, rq->source_id);
		store_bind_text(s, 11, rq->actor_user_id);
		store_bind_text(s, 12, now_iso);
		store_bind_int(s, 13, now);
		store_bind_text(s, 14, consumed[0] ? consumed : NULL);
		rc = store_step(s);
	}
	free(warnings);
	if (rc != STORE_DONE) {
		buf_addf(why_not, "the transition could not be recorded: %s", store_errmsg(st));
		return STAGE_ERROR;
	}
	bool closes = stage_closes_case(doc, rq->to);
	s = store_prepare(st, closes ? "UPDATE cases SET stage = $1, updated_at = $2, updated_by = $3, closed_at = $2, "
	                               "closure_reason = $4 WHERE id = $5 AND stage = $6"
	                             : "UPDATE cases SET stage = $1, updated_at = $2, updated_by = $3 "
	                               "WHERE id = $4 AND stage = $5");
	if (!s) {
		buf_addf(why_not, "the case could not be updated: %s", store_errmsg(st));
		return STAGE_ERROR;
	}
	int n = 1;
	store_bind_text(s, n++, rq->to);
	store_bind_text(s, n++, now_iso);
	store_bind_text(s, n++, rq->actor_user_id);
	if (closes)
		store_bind_text(s, n++, rq->reason ? rq->reason : rq->command);
	store_bind_text(s, n++, rq->case_id);
	store_bind_text(s, n, c->stage);
	if (store_step(s) != STORE_DONE || store_changes(st) != 1) {
		buf_addf(why_not, "the case changed stage while this was being recorded; nothing was saved");
		return STAGE_ERROR;
	}
	if (closes && stop_case_clocks(st, rq, why_not) != STAGE_OK)
		return STAGE_ERROR;
	char detail[160];
	snprintf(detail, sizeof detail, "%s: %s -> %s", rq->command, c->stage, rq->to);
	struct audit_event ev = {
		.actor_user_id = rq->actor_user_id,
		.action = "stage_transition",
		.object_type = "case",
		.object_id = rq->case_id,
		.child_id = c->child_id,
		.detail = detail,
	};
	if (audit_append(st, &ev) != 0) {
		buf_adds(why_not, "the audit entry could not be written");
		return STAGE_ERROR;
	}
	return STAGE_OK;
}

int stage_apply(struct store *st, const struct stage_request *rq, struct stage_result *res, struct buf *why_not)
{
	memset(res, 0, sizeof *res);
	res->warnings = json_array();
	res->refusals = json_array();
	if (!store_in_transaction(st)) {
		buf_adds(why_not, "a stage transition must run inside the command's transaction");
		return STAGE_ERROR;
	}
	json_t *doc = stage_rules(why_not);
	if (!doc)
		return STAGE_ERROR;
	if (!rq->to || !rq->command) {
		buf_adds(why_not, "a transition needs a target stage and a command");
		return STAGE_ERROR;
	}
	struct case_row c;
	int rc = read_case(st, rq->case_id, &c);
	if (rc != STAGE_OK) {
		buf_adds(why_not, rc == STAGE_NO_CASE ? "there is no such case" : "the case could not be read");
		return rc;
	}
	snprintf(res->from, sizeof res->from, "%s", c.stage);
	json_t *t = c.closed ? NULL : stage_find_transition(doc, c.stage, rq->to, rq->command);
	if (!t) {
		if (c.closed)
			buf_addf(why_not, "The case is closed, so it cannot move to %s", stage_label(rq->to));
		else if (strcmp(c.stage, rq->to) == 0)
			buf_addf(why_not, "The case is already at the %s stage, and %s cannot be recorded there",
			         stage_label(c.stage), rq->command);
		else
			buf_addf(why_not, "The case is at the %s stage: it cannot move to %s by %s", stage_label(c.stage),
			         stage_label(rq->to), rq->command);
		return STAGE_REFUSED_STAGE;
	}
	char consumed[ID_MAX] = "";
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(t, "guards"), i, g) {
		if (guard_holds(st, rq, g, consumed))
			continue;
		bool enforce = strcmp(json_string_value(json_object_get(g, "severity")), "enforce") == 0;
		json_array_append_new(enforce ? res->refusals : res->warnings, guard_note(g));
	}
	if (json_array_size(res->refusals)) {
		join_messages(res->refusals, why_not);
		return STAGE_REFUSED_GUARD;
	}
	return write_transition(st, rq, &c, doc, consumed, res, why_not);
}

int stage_check(struct store *st, const char *from, const struct stage_request *rq, struct stage_result *res,
                struct buf *why_not)
{
	memset(res, 0, sizeof *res);
	res->warnings = json_array();
	res->refusals = json_array();
	json_t *doc = stage_rules(why_not);
	if (!doc)
		return STAGE_ERROR;
	snprintf(res->from, sizeof res->from, "%s", from ? from : "");
	json_t *t = from && rq->to && rq->command ? stage_find_transition(doc, from, rq->to, rq->command) : NULL;
	if (!t) {
		buf_addf(why_not, "There is no step from %s to %s by %s", stage_label(from), stage_label(rq->to),
		         rq->command ? rq->command : "(none)");
		return STAGE_REFUSED_STAGE;
	}
	char consumed[ID_MAX] = "";
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(t, "guards"), i, g) {
		if (guard_holds(st, rq, g, consumed))
			continue;
		bool enforce = strcmp(json_string_value(json_object_get(g, "severity")), "enforce") == 0;
		json_array_append_new(enforce ? res->refusals : res->warnings, guard_note(g));
	}
	if (json_array_size(res->refusals)) {
		join_messages(res->refusals, why_not);
		return STAGE_REFUSED_GUARD;
	}
	return STAGE_OK;
}

int stage_transition(struct store *st, const char *case_id, const char *to, const char *command, const char *reason,
                     const char *actor_user_id, struct buf *why_not)
{
	struct stage_request rq = {
		.case_id = case_id,
		.to = to,
		.command = command,
		.reason = reason,
		.actor_user_id = actor_user_id,
	};
	struct stage_result res;
	int rc = stage_apply(st, &rq, &res, why_not);
	stage_result_free(&res);
	return rc;
}

int stage_check_in_stage(struct store *st, const char *case_id, const char *command, struct buf *why_not)
{
	json_t *doc = stage_rules(why_not);
	if (!doc)
		return STAGE_ERROR;
	struct case_row c;
	int rc = read_case(st, case_id, &c);
	if (rc != STAGE_OK) {
		buf_adds(why_not, rc == STAGE_NO_CASE ? "there is no such case" : "the case could not be read");
		return rc;
	}
	json_t *stages = json_object_get(json_object_get(json_object_get(doc, "in_stage"), command), "stages");
	size_t i;
	json_t *s;
	json_array_foreach(stages, i, s) {
		if (strcmp(json_string_value(s), c.stage) == 0)
			return STAGE_OK;
	}
	buf_addf(why_not, "This cannot be recorded while the case is at the %s stage", stage_label(c.stage));
	if (json_array_size(stages)) {
		buf_adds(why_not, " (possible at: ");
		json_array_foreach(stages, i, s) buf_addf(why_not, "%s%s", i ? ", " : "", stage_label(json_string_value(s)));
		buf_adds(why_not, ")");
	}
	return STAGE_REFUSED_STAGE;
}

int stage_open_case(struct store *st, const char *child_id, const char *team_id, const char *allocated_user_id,
                    const char *command, const char *reason, const char *actor_user_id, char case_id_out[ID_MAX],
                    struct buf *err)
{
	json_t *doc = stage_rules(err);
	if (!doc)
		return STAGE_ERROR;
	const char *initial = stage_initial(doc);
	char now_iso[MOMENT_ISO_LEN];
	int64_t now = moment_now();
	moment_format(now, now_iso);
	id_new("cas", case_id_out);
	struct store_stmt *s = store_prepare(
		st, "INSERT INTO cases (id, child_id, stage, opened_at, allocated_user_id, team_id, created_at, created_by, "
		    "updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $4, $7, $4, $7)");
	if (!s) {
		buf_addf(err, "%s", store_errmsg(st));
		return STAGE_ERROR;
	}
	store_bind_text(s, 1, case_id_out);
	store_bind_text(s, 2, child_id);
	store_bind_text(s, 3, initial);
	store_bind_text(s, 4, now_iso);
	store_bind_text(s, 5, allocated_user_id);
	store_bind_text(s, 6, team_id);
	store_bind_text(s, 7, actor_user_id);
	if (store_step(s) != STORE_DONE) {
		buf_addf(err, "the case could not be opened: %s", store_errmsg(st));
		return STAGE_ERROR;
	}
	char tid[ID_MAX];
	id_new("stg", tid);
	s = store_prepare(st, "INSERT INTO stage_transitions (id, case_id, child_id, from_stage, to_stage, command, "
	                      "reason, actor_user_id, at, at_epoch, seq) VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8, $9, 1)");
	if (!s) {
		buf_addf(err, "%s", store_errmsg(st));
		return STAGE_ERROR;
	}
	store_bind_text(s, 1, tid);
	store_bind_text(s, 2, case_id_out);
	store_bind_text(s, 3, child_id);
	store_bind_text(s, 4, initial);
	store_bind_text(s, 5, command);
	store_bind_text(s, 6, reason);
	store_bind_text(s, 7, actor_user_id);
	store_bind_text(s, 8, now_iso);
	store_bind_int(s, 9, now);
	if (store_step(s) != STORE_DONE) {
		buf_addf(err, "the opening could not be recorded: %s", store_errmsg(st));
		return STAGE_ERROR;
	}
	return STAGE_OK;
}

json_t *stage_history(struct store *st, const char *case_id)
{
	json_t *out = json_array();
	struct store_stmt *s = store_prepare(
		st, "SELECT t.id, t.from_stage, t.to_stage, t.command, t.reason, t.warnings, t.actor_user_id, "
		    "u.display_name, t.at FROM stage_transitions t LEFT JOIN users u ON u.id = t.actor_user_id "
		    "WHERE t.case_id = $1 ORDER BY t.seq");
	if (!s)
		return out;
	store_bind_text(s, 1, case_id);
	while (store_step(s) == STORE_ROW) {
		json_t *w = store_col_text(s, 5) ? json_loads(store_col_text(s, 5), 0, NULL) : NULL;
		json_array_append_new(
			out, json_pack("{s:s, s:s?, s:s, s:s, s:s?, s:o, s:s?, s:s?, s:s}", "id", store_col_text(s, 0), "from",
			               store_col_text(s, 1), "to", store_col_text(s, 2), "command", store_col_text(s, 3),
			               "reason", store_col_text(s, 4), "warnings", w ? w : json_array(), "actor_user_id",
			               store_col_text(s, 6), "actor_name", store_col_text(s, 7), "at", store_col_text(s, 8)));
	}
	return out;
}
