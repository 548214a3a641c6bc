/* Decision-support commands: concerns (with the clock a 'suspect' sign starts), vulnerability factors, and prompt
 * dismissals; the shared checks. The care records (neglect, capacity, agreements, interventions) are in
 * commands_care.c. */
#include "support/commands.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "app/app.h"
#include "app/web.h"
#include "clock/clock.h"
#include "core/date.h"
#include "domain/chronology.h"
#include "support/support_alerts.h"
#include "support/commands_internal.h"
#include "support/data.h"
#include "support/support_entities.h"
#include "support/prompts.h"

const struct support_catalogue *support_commands_catalogue(const struct http_request *req)
{
	return req->app->support;
}

void support_commands_error(json_t *errors, const char *field, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field, "message", msg));
}

void support_commands_not_future(const json_t *in, const char *field, const char *label, json_t *errors)
{
	int32_t d;
	const char *s = support_str(in, field);
	if (s && date_parse(s, &d) == 0 && d > date_today())
		support_commands_error(errors, field, "%s cannot be in the future", label);
}

void support_commands_not_before(const json_t *in, const char *earlier, const char *later, const char *message,
                                 json_t *errors)
{
	int32_t a, b;
	const char *sa = support_str(in, earlier), *sb = support_str(in, later);
	if (sa && sb && date_parse(sa, &a) == 0 && date_parse(sb, &b) == 0 && b < a)
		support_commands_error(errors, later, "%s", message);
}

bool support_commands_known_keys(const json_t *in, const char *const *keys, size_t nkeys, const char *what,
                                 json_t *errors)
{
	bool ok = true;
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)in, k, v) {
		bool known = false;
		for (size_t i = 0; i < nkeys && !known; i++)
			known = strcmp(keys[i], k) == 0;
		if (!known) {
			support_commands_error(errors, k, "%s is not a field of %s", k, what);
			ok = false;
		}
	}
	return ok;
}

int support_commands_finish(struct http_request *req, const char *child_id, const char *audit_action,
                            const char *object_type, const char *object_id, const char *chron_type,
                            const char *chron_summary, const char *significance)
{
	if (chron_type) {
		struct chronology_event ev = {.child_id = child_id,
		                              .event_type = chron_type,
		                              .summary = chron_summary,
		                              .significance = significance,
		                              .source_type = object_type,
		                              .source_id = object_id};
		int rc = chronology_append(req->store, &ev, req->user.id, NULL);
		if (rc != STORE_OK) {
			web_store_failure(req, rc);
			return -1;
		}
	}
	if (command_audit_or_respond(req, audit_action, object_type, object_id, child_id) < 0)
		return -1;
	return command_commit_or_respond(req);
}

/* ---- concerns ---- */

/* Takes the features list out of the input (the entity does not know it) and checks its shape. */
static json_t *take_features(json_t *in, json_t *errors)
{
	json_t *f = json_incref(json_object_get(in, "features"));
	json_object_del(in, "features");
	if (!f || json_is_null(f)) {
		json_decref(f);
		return json_array();
	}
	if (!json_is_array(f)) {
		support_commands_error(errors, "features", "features must be a list of alerting feature ids");
		json_decref(f);
		return json_array();
	}
	size_t i;
	json_t *v;
	json_array_foreach(f, i, v) {
		if (!json_is_string(v)) {
			support_commands_error(errors, "features", "features must be a list of alerting feature ids");
			break;
		}
		for (size_t j = 0; j < i; j++)
			if (json_equal(json_array_get(f, j), v))
				support_commands_error(errors, "features", "%s is ticked twice", json_string_value(v));
	}
	return f;
}

/* When the concern's signs were seen: now if today, else the start of that day (London). */
static int64_t concern_moment(const char *observed_on)
{
	int32_t d;
	if (!observed_on || date_parse(observed_on, &d) < 0 || d >= date_today())
		return moment_now();
	return moment_from_local(d, 0, 0, 0);
}

/* Starts the clocks the response calls for when the child has an open case. */
static int start_clock(struct http_request *req, const char *child_id, const char *concern_id,
                       const char *observed_on, json_t *response, int *started)
{
	const char *event = support_str(response, "starts_clock");
	*started = 0;
	if (!event) {
		json_object_set_new(response, "clock", json_pack("{s:s}", "not_started", "This response starts no clock."));
		return 0;
	}
	char case_id[ID_MAX];
	int found = support_data_open_case(req->store, child_id, case_id);
	if (found < 0)
		return -1;
	if (found == 0) {
		json_object_set_new(response, "clock",
		                    json_pack("{s:s, s:s}", "event", event, "not_started",
		                              "No case is open for this child, so no statutory clock could start. The "
		                              "referral to children's social care starts the referral clocks."));
		return 0;
	}
	struct clock_engine eng = {req->app->clock_rules, req->app->calendar};
	struct clock_event_record ev = {.case_id = case_id,
	                                .child_id = child_id,
	                                .event = event,
	                                .at = concern_moment(observed_on),
	                                .subject_id = concern_id,
	                                .responsible_user_id = req->user.id,
	                                .actor_user_id = req->user.id};
	struct buf err;
	buf_init(&err, 4096);
	int rc = clock_record_event(req->store, &eng, &ev, started, NULL, &err);
	if (rc < 0)
		fprintf(stderr, "safeguard: support: clock event failed: %s\n", buf_str(&err));
	buf_free(&err);
	if (rc < 0)
		return -1;
	json_object_set_new(response, "clock",
	                    json_pack("{s:s, s:s, s:i}", "event", event, "case_id", case_id, "started", *started));
	return 0;
}

int support_commands_concern(struct http_request *req, const char *child_id, json_t *in, json_t *errors,
                             char id_out[ID_MAX], json_t **result)
{
	const struct support_catalogue *cat = support_commands_catalogue(req);
	*result = NULL;
	json_t *features = take_features(in, errors);
	if (command_begin_or_respond(req) < 0) {
		json_decref(features);
		return -1;
	}
	record_validate(req->store, &support_entities_concern, in, false, errors);
	support_commands_not_future(in, "observed_on", "The date the signs were seen", errors);
	support_commands_not_before(in, "observed_on", "review_by", "The review date must be on or after the date the "
	                                                            "signs were seen", errors);
	bool immediate = json_is_true(json_object_get(in, "immediate_danger"));
	int age = support_data_child_age(req->store, child_id, support_str(in, "observed_on"));
	size_t i;
	json_t *v;
	json_array_foreach(features, i, v) {
		const char *why = json_is_string(v) ? support_alerts_refuse(cat, json_string_value(v), age) : NULL;
		if (why)
			support_commands_error(errors, "features", "%s %s", json_string_value(v), why);
	}
	if (json_array_size(features) == 0 && !immediate)
		support_commands_error(errors, "features",
		                       "Tick at least one sign you saw or were told about, or say the child is in immediate "
		                       "danger");
	json_t *response = support_alerts_response(cat, features, immediate);
	const char *level = support_str(response, "level");
	if (strcmp(level, "consider") == 0 && !support_str(in, "review_by"))
		support_commands_error(errors, "review_by",
		                       "Enter a date to review the child by: NG76 asks for a review after a 'consider' sign");
	if (json_array_size(errors)) {
		store_rollback(req->store);
		json_decref(features);
		json_decref(response);
		return 1;
	}
	char case_id[ID_MAX] = "", agency[ID_MAX] = "";
	if (support_data_open_case(req->store, child_id, case_id) < 0)
		case_id[0] = '\0';
	if (!json_object_get(in, "agency_id"))
		support_data_user_agency(req->store, req->user.id, agency);
	struct http_kv extra[] = {{"child_id", child_id},
	                          {"level", level},
	                          {"recorder_role", req->user.role},
	                          {"case_id", case_id[0] ? case_id : NULL},
	                          {"agency_id", agency}};
	int nextra = agency[0] ? 5 : 4;
	int rc = record_insert(req->store, &support_entities_concern, in, extra, nextra, req->user.id, id_out);
	struct store_stmt *s = rc == STORE_OK ? store_prepare(req->store, "INSERT INTO support_concern_features "
	                                                                  "(concern_id, child_id, feature_id, position) "
	                                                                  "VALUES ($1, $2, $3, $4)")
	                                      : NULL;
	json_array_foreach(features, i, v) {
		if (rc != STORE_OK)
			break;
		rc = STORE_ERR;
		if (s) {
			store_bind_text(s, 1, id_out);
			store_bind_text(s, 2, child_id);
			store_bind_text(s, 3, json_string_value(v));
			store_bind_int(s, 4, (int64_t)i);
			rc = store_step(s) == STORE_DONE ? STORE_OK : STORE_ERR;
		}
	}
	int started = 0;
	if (rc == STORE_OK && start_clock(req, child_id, id_out, support_str(in, "observed_on"), response, &started) < 0)
		rc = STORE_ERR;
	if (rc == STORE_OK && started) {
		s = store_prepare(req->store, "UPDATE support_concerns SET clocks_started = $1 WHERE id = $2");
		rc = STORE_ERR;
		if (s) {
			store_bind_int(s, 1, started);
			store_bind_text(s, 2, id_out);
			rc = store_step(s) == STORE_DONE ? STORE_OK : STORE_ERR;
		}
	}
	json_decref(features);
	if (rc != STORE_OK) {
		json_decref(response);
		web_store_failure(req, rc);
		return -1;
	}
	char summary[300];
	snprintf(summary, sizeof summary, "Concern recorded with decision support: %s", support_str(response, "title"));
	bool significant = strcmp(level, "consider") != 0;
	if (support_commands_finish(req, child_id, "create", "support_concern", id_out, "significant_incident", summary,
	                            significant ? "significant" : "routine") < 0) {
		json_decref(response);
		return -1;
	}
	*result = response;
	return 0;
}

/* ---- vulnerability factors ---- */

int support_commands_factor(struct http_request *req, const char *child_id, json_t *in, json_t *errors,
                            char id_out[ID_MAX])
{
	const struct support_catalogue *cat = support_commands_catalogue(req);
	const char *fid = support_str(in, "factor_id");
	json_t *factor = support_catalogue_get(cat, fid);
	const char *kind = support_catalogue_kind(cat, fid);
	bool known = factor && strcmp(kind, "vulnerability_factors.factors") == 0;
	/* Who the factor is about defaults to the catalogue's answer. */
	if (known && !json_object_get(in, "about"))
		json_object_set_new(in, "about", json_string(support_str(factor, "applies_to")));
	if (command_begin_or_respond(req) < 0)
		return -1;
	if (fid && !known)
		support_commands_error(errors, "factor_id", "%s is not a vulnerability factor in the catalogue", fid);
	record_validate(req->store, &support_entities_factor, in, false, errors);
	if (json_object_get(in, "ended_on") || json_object_get(in, "end_reason"))
		support_commands_error(errors, "ended_on", "Record a new factor first; end it separately when it stops");
	support_commands_not_future(in, "noted_on", "The date it was noted", errors);
	if (json_array_size(errors)) {
		store_rollback(req->store);
		return 1;
	}
	struct http_kv extra[] = {{"child_id", child_id}};
	int rc = record_insert(req->store, &support_entities_factor, in, extra, 1, req->user.id, id_out);
	if (rc != STORE_OK) {
		web_store_failure(req, rc);
		return -1;
	}
	return support_commands_finish(req, child_id, "create", "support_factor", id_out, NULL, NULL, NULL);
}

int support_commands_factor_end(struct http_request *req, const char *child_id, const char *factor_id, json_t *in,
                                json_t *errors)
{
	static const char *const keys[] = {"ended_on", "end_reason"};
	if (command_begin_or_respond(req) < 0)
		return -1;
	json_t *row = support_data_child_row(req->store, &support_entities_factor, factor_id, child_id);
	if (!row) {
		store_rollback(req->store);
		web_not_found(req);
		return -1;
	}
	support_commands_known_keys(in, keys, 2, "the end of a factor", errors);
	record_validate(req->store, &support_entities_factor, in, true, errors);
	if (!support_str(in, "ended_on"))
		support_commands_error(errors, "ended_on", "Enter the date it stopped applying");
	if (!support_str(in, "end_reason") || !*support_str(in, "end_reason"))
		support_commands_error(errors, "end_reason", "Enter why it no longer applies");
	if (support_str(row, "ended_on"))
		support_commands_error(errors, "ended_on", "This factor was already recorded as ended on %s",
		                       support_str(row, "ended_on"));
	support_commands_not_future(in, "ended_on", "The date it stopped applying", errors);
	json_object_set(in, "noted_on", json_object_get(row, "noted_on"));
	support_commands_not_before(in, "noted_on", "ended_on", "It cannot stop before the date it was noted", errors);
	json_object_del(in, "noted_on");
	json_decref(row);
	if (json_array_size(errors)) {
		store_rollback(req->store);
		return 1;
	}
	int rc = record_update(req->store, &support_entities_factor, factor_id, in, req->user.id);
	if (rc != STORE_OK) {
		web_store_failure(req, rc);
		return -1;
	}
	return support_commands_finish(req, child_id, "update", "support_factor", factor_id, NULL, NULL, NULL);
}

/* ---- prompts ---- */

int support_commands_dismiss(struct http_request *req, const char *child_id, const char *prompt_id, json_t *in,
                             json_t *errors)
{
	static const char *const keys[] = {"reason"};
	support_commands_known_keys(in, keys, 1, "a dismissal", errors);
	const char *reason = support_str(in, "reason");
	size_t len = reason ? strlen(reason) : 0;
	while (len && (reason[len - 1] == ' ' || reason[len - 1] == '\n' || reason[len - 1] == '\r'))
		len--;
	if (!len)
		support_commands_error(errors, "reason", "Enter why you are dismissing this prompt");
	else if (len > 2000)
		support_commands_error(errors, "reason", "The reason must be 2000 characters or fewer");
	if (command_begin_or_respond(req) < 0)
		return -1;
	json_t *prompts = support_data_prompts(req->store, support_commands_catalogue(req), child_id, date_today());
	if (!prompts) {
		web_store_failure(req, STORE_ERR);
		return -1;
	}
	json_t *p = support_prompts_find(prompts, prompt_id);
	if (!p) {
		json_decref(prompts);
		store_rollback(req->store);
		web_not_found(req);
		return -1;
	}
	if (strcmp(support_str(p, "status"), "active"))
		support_commands_error(errors, "reason", "This prompt was already dismissed");
	if (json_array_size(errors)) {
		json_decref(prompts);
		store_rollback(req->store);
		return 1;
	}
	char id[ID_MAX], now[MOMENT_ISO_LEN];
	id_new("dis", id);
	moment_format(moment_now(), now);
	json_object_del(p, "status");
	char *snapshot = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS);
	struct store_stmt *s = store_prepare(
		req->store, "INSERT INTO support_prompt_dismissals (id, child_id, prompt_id, rule_id, reason, snapshot, "
		            "dismissed_at, dismissed_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
	int rc = STORE_ERR;
	if (s) {
		store_bind_text(s, 1, id);
		store_bind_text(s, 2, child_id);
		store_bind_text(s, 3, prompt_id);
		store_bind_text(s, 4, support_str(p, "rule"));
		store_bind_textn(s, 5, reason, len);
		store_bind_text(s, 6, snapshot);
		store_bind_text(s, 7, now);
		store_bind_text(s, 8, req->user.id);
		rc = store_step(s);
		rc = rc == STORE_DONE ? STORE_OK : rc;
	}
	free(snapshot);
	json_decref(prompts);
	if (rc != STORE_OK) {
		web_store_failure(req, rc);
		return -1;
	}
	return support_commands_finish(req, child_id, "dismiss", "support_prompt", prompt_id, NULL, NULL, NULL);
}
