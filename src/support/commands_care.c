/* Decision-support commands for the care records: neglect assessments, capacity-to-change reviews, written
 * agreements and interventions. */
#include <stdio.h>
#include <string.h>

#include "api/command.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/chronology.h"
#include "domain/enums.h"
#include "support/commands.h"
#include "support/commands_internal.h"
#include "support/data.h"
#include "support/support_entities.h"

/* Takes key out of in (a nested list or object the entity does not know); NULL when absent. */
static json_t *take(json_t *in, const char *key)
{
	json_t *v = json_incref(json_object_get(in, key));
	json_object_del(in, key);
	if (json_is_null(v)) {
		json_decref(v);
		return NULL;
	}
	return v;
}

static int insert_rows(struct store *st, const char *sql, const char *const *const *rows, size_t nrows, int ncols)
{
	struct store_stmt *s = store_prepare(st, sql);
	if (!s)
		return STORE_ERR;
	for (size_t r = 0; r < nrows; r++) {
		for (int c = 0; c < ncols; c++)
			store_bind_text(s, c + 1, rows[r][c]);
		int rc = store_step(s);
		if (rc != STORE_DONE)
			return rc < 0 ? rc : STORE_ERR;
	}
	return STORE_OK;
}

/* ---- neglect assessments ---- */

static void check_ratings(const struct support_catalogue *cat, json_t *ratings, json_t *evidence, json_t *errors)
{
	size_t top = json_array_size(support_catalogue_list(cat, "neglect", "rating_scale"));
	if (ratings && !json_is_object(ratings)) {
		support_commands_error(errors, "ratings", "ratings must be an object of domain: rating");
		return;
	}
	const char *k;
	json_t *v;
	json_object_foreach(ratings, k, v) {
		const char *kind = support_catalogue_kind(cat, k);
		if (!kind || strcmp(kind, "neglect.care_domains"))
			support_commands_error(errors, "ratings", "%s is not a domain of care in the catalogue", k);
	}
	size_t i;
	json_t *d;
	json_array_foreach(support_catalogue_list(cat, "neglect", "care_domains"), i, d) {
		char field[80];
		snprintf(field, sizeof field, "ratings.%s", support_str(d, "id"));
		json_t *r = json_object_get(ratings, support_str(d, "id"));
		if (!r)
			support_commands_error(errors, field, "Rate %s", support_str(d, "name"));
		else if (!json_is_integer(r) || json_integer_value(r) < 1 || (size_t)json_integer_value(r) > top)
			support_commands_error(errors, field, "The rating for %s must be a whole number from 1 to %zu",
			                       support_str(d, "name"), top);
	}
	if (evidence && !json_is_object(evidence)) {
		support_commands_error(errors, "evidence", "evidence must be an object of domain: text");
		return;
	}
	json_object_foreach(evidence, k, v) {
		const char *kind = support_catalogue_kind(cat, k);
		if (!kind || strcmp(kind, "neglect.care_domains") || !json_is_string(v) || json_string_length(v) > 4000)
			support_commands_error(errors, "evidence", "evidence for %s must be text about a domain of care, "
			                                           "4000 characters or fewer", k);
	}
}

static void check_marks(const struct support_catalogue *cat, json_t *marks, int age, json_t *errors)
{
	if (marks && !json_is_array(marks)) {
		support_commands_error(errors, "marks", "marks must be a list of ids");
		return;
	}
	json_t *adol = json_array_get(support_catalogue_list(cat, "neglect", "adolescent"), 0);
	size_t i;
	json_t *m;
	json_array_foreach(marks, i, m) {
		const char *kind = json_is_string(m) ? support_catalogue_kind(cat, json_string_value(m)) : NULL;
		const char *id = json_is_string(m) ? json_string_value(m) : "(not text)";
		if (!kind || (strcmp(kind, "neglect.categories.signs") && strcmp(kind, "neglect.adolescent.signs") &&
		              strcmp(kind, "neglect.harm_tests")))
			support_commands_error(errors, "marks", "%s is not a sign of neglect or a significant-harm test", id);
		else if (strcmp(kind, "neglect.adolescent.signs") == 0 && age >= 0 && age < support_int(adol, "from_age", 0))
			support_commands_error(errors, "marks", "%s is a sign of neglect in adolescents (from %lld)", id,
			                       support_int(adol, "from_age", 0));
		for (size_t j = 0; j < i; j++)
			if (json_equal(json_array_get(marks, j), m))
				support_commands_error(errors, "marks", "%s is marked twice", id);
	}
}

int support_commands_assessment(struct http_request *req, const char *child_id, json_t *in, json_t *errors,
                                char id_out[ID_MAX])
{
	const struct support_catalogue *cat = support_commands_catalogue(req);
	json_t *ratings = take(in, "ratings"), *evidence = take(in, "evidence"), *marks = take(in, "marks");
	int rc = -1;
	if (command_begin_or_respond(req) < 0)
		goto out;
	record_validate(req->store, &support_entities_assessment, in, false, errors);
	support_commands_not_future(in, "assessed_on", "The date of the assessment", errors);
	check_ratings(cat, ratings, evidence, errors);
	check_marks(cat, marks, support_data_child_age(req->store, child_id, support_str(in, "assessed_on")), errors);
	if (json_array_size(errors)) {
		store_rollback(req->store);
		rc = 1;
		goto out;
	}
	char case_id[ID_MAX] = "";
	if (support_data_open_case(req->store, child_id, case_id) < 0)
		case_id[0] = '\0';
	struct http_kv extra[] = {{"child_id", child_id}, {"case_id", case_id[0] ? case_id : NULL}};
	int src = record_insert(req->store, &support_entities_assessment, in, extra, 2, req->user.id, id_out);
	struct store_stmt *s = NULL;
	const char *k;
	json_t *v;
	if (src == STORE_OK)
		s = store_prepare(req->store, "INSERT INTO support_neglect_ratings (assessment_id, domain_id, rating, "
		                              "evidence) VALUES ($1, $2, $3, $4)");
	json_object_foreach(ratings, k, v) {
		if (src != STORE_OK || !s) {
			src = STORE_ERR;
			break;
		}
		store_bind_text(s, 1, id_out);
		store_bind_text(s, 2, k);
		store_bind_int(s, 3, json_integer_value(v));
		store_bind_text(s, 4, support_str(evidence, k));
		src = store_step(s) == STORE_DONE ? STORE_OK : STORE_ERR;
	}
	size_t i;
	json_array_foreach(marks, i, v) {
		if (src != STORE_OK)
			break;
		const char *row[] = {id_out, json_string_value(v)};
		const char *const *rows[] = {row};
		src = insert_rows(req->store, "INSERT INTO support_neglect_marks (assessment_id, mark_id) VALUES ($1, $2)",
		                  rows, 1, 2);
	}
	if (src != STORE_OK) {
		web_store_failure(req, src);
		goto out;
	}
	rc = support_commands_finish(req, child_id, "create", "support_neglect_assessment", id_out,
	                             "assessment_outcome", "Assessment of the care the child receives (neglect) recorded",
	                             "routine");
out:
	json_decref(ratings);
	json_decref(evidence);
	json_decref(marks);
	return rc;
}

/* ---- written agreements ---- */

static void check_agreement(struct http_request *req, json_t *in, json_t *errors, const char *prefix)
{
	static const char *const keys[] = {"review_id", "what_must_change", "due_on", "consequence", "agreed_with"};
	json_t *local = json_array();
	support_commands_known_keys(in, keys, sizeof keys / sizeof keys[0], "a written agreement", local);
	record_validate(req->store, &support_entities_agreement, in, false, local);
	int32_t d;
	const char *due = support_str(in, "due_on");
	if (due && date_parse(due, &d) == 0 && d <= date_today())
		support_commands_error(local, "due_on", "The date it must change by must be after today");
	size_t i;
	json_t *e;
	json_array_foreach(local, i, e) {
		char field[80];
		snprintf(field, sizeof field, "%s%s", prefix, support_str(e, "field"));
		json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field, "message", support_str(e, "message")));
	}
	json_decref(local);
}

static int insert_agreement(struct http_request *req, const char *child_id, json_t *in, char id_out[ID_MAX])
{
	struct http_kv extra[] = {{"child_id", child_id}};
	return record_insert(req->store, &support_entities_agreement, in, extra, 1, req->user.id, id_out);
}

int support_commands_agreement(struct http_request *req, const char *child_id, json_t *in, json_t *errors,
                               char id_out[ID_MAX])
{
	if (command_begin_or_respond(req) < 0)
		return -1;
	check_agreement(req, in, errors, "");
	const char *review = support_str(in, "review_id");
	if (review) {
		json_t *r = record_get(req->store, &support_entities_review, review);
		if (r && strcmp(support_str(r, "child_id"), child_id))
			support_commands_error(errors, "review_id", "That review is about another child");
		json_decref(r);
	}
	if (json_array_size(errors)) {
		store_rollback(req->store);
		return 1;
	}
	int rc = insert_agreement(req, child_id, in, id_out);
	if (rc != STORE_OK) {
		web_store_failure(req, rc);
		return -1;
	}
	char summary[200];
	snprintf(summary, sizeof summary, "Written agreement made: what must change by %s, and what follows if not",
	         support_str(in, "due_on"));
	return support_commands_finish(req, child_id, "create", "support_agreement", id_out, "significant_incident",
	                               summary, "significant");
}

int support_commands_agreement_outcome(struct http_request *req, const char *child_id, const char *agreement_id,
                                       json_t *in, json_t *errors)
{
	static const char *const keys[] = {"outcome", "outcome_on", "outcome_note"};
	if (command_begin_or_respond(req) < 0)
		return -1;
	json_t *row = support_data_child_row(req->store, &support_entities_agreement, agreement_id, child_id);
	if (!row) {
		store_rollback(req->store);
		web_not_found(req);
		return -1;
	}
	support_commands_known_keys(in, keys, 3, "an agreement's outcome", errors);
	record_validate(req->store, &support_entities_agreement, in, true, errors);
	if (!support_str(in, "outcome"))
		support_commands_error(errors, "outcome", "Choose whether the agreement was met");
	if (!support_str(in, "outcome_on"))
		support_commands_error(errors, "outcome_on", "Enter the date of the outcome");
	if (support_str(row, "outcome"))
		support_commands_error(errors, "outcome", "An outcome is already recorded for this agreement");
	support_commands_not_future(in, "outcome_on", "The date of the outcome", errors);
	char made[DATE_ISO_LEN];
	snprintf(made, sizeof made, "%.10s", support_str(row, "created_at"));
	json_object_set_new(in, "made_on", json_string(made));
	support_commands_not_before(in, "made_on", "outcome_on", "The outcome cannot come before the agreement", errors);
	json_object_del(in, "made_on");
	json_decref(row);
	if (json_array_size(errors)) {
		store_rollback(req->store);
		return 1;
	}
	int rc = record_update(req->store, &support_entities_agreement, agreement_id, in, req->user.id);
	if (rc != STORE_OK) {
		web_store_failure(req, rc);
		return -1;
	}
	const char *outcome = support_str(in, "outcome");
	char summary[160];
	snprintf(summary, sizeof summary, "Written agreement outcome recorded: %s",
	         strcmp(outcome, "met") == 0 ? "met" : strcmp(outcome, "partly_met") == 0 ? "partly met" : "not met");
	return support_commands_finish(req, child_id, "update", "support_agreement", agreement_id, "significant_incident",
	                               summary, strcmp(outcome, "met") ? "significant" : "routine");
}

/* ---- capacity-to-change reviews ---- */

static void check_answers(const struct support_catalogue *cat, json_t *answers, json_t *errors)
{
	if (!json_is_object(answers)) {
		support_commands_error(errors, "answers", "answers must be an object of factor: {answer, evidence}");
		return;
	}
	const char *k;
	json_t *v;
	json_object_foreach(answers, k, v) {
		const char *kind = support_catalogue_kind(cat, k);
		if (!kind || strcmp(kind, "capacity_to_change.factors"))
			support_commands_error(errors, "answers", "%s is not a capacity-to-change factor", k);
	}
	size_t i;
	json_t *f;
	json_array_foreach(support_catalogue_list(cat, "capacity_to_change", "factors"), i, f) {
		const char *id = support_str(f, "id");
		char field[80];
		snprintf(field, sizeof field, "answers.%s", id);
		json_t *a = json_object_get(answers, id);
		const char *ans = support_str(a, "answer"), *ev = support_str(a, "evidence");
		if (!ans || !enums_label("support_ctc_answer", ans))
			support_commands_error(errors, field, "Answer %s: %s", id, support_str(f, "text"));
		else if (strcmp(ans, "present") == 0 && (!ev || !*ev))
			support_commands_error(errors, field, "Give the evidence for %s", id);
		else if (ev && strlen(ev) > 4000)
			support_commands_error(errors, field, "The evidence for %s must be 4000 characters or fewer", id);
	}
}

int support_commands_review(struct http_request *req, const char *child_id, json_t *in, json_t *errors,
                            char id_out[ID_MAX], char agreement_out[ID_MAX])
{
	const struct support_catalogue *cat = support_commands_catalogue(req);
	json_t *answers = take(in, "answers"), *agreement = take(in, "agreement");
	agreement_out[0] = '\0';
	int rc = -1;
	if (command_begin_or_respond(req) < 0)
		goto out;
	record_validate(req->store, &support_entities_review, in, false, errors);
	support_commands_not_future(in, "reviewed_on", "The date of the review", errors);
	check_answers(cat, answers, errors);
	if (agreement && !json_is_object(agreement))
		support_commands_error(errors, "agreement", "agreement must be an object");
	else if (agreement)
		check_agreement(req, agreement, errors, "agreement.");
	if (agreement && json_object_get(agreement, "review_id"))
		support_commands_error(errors, "agreement.review_id", "The agreement is linked to this review");
	if (json_array_size(errors)) {
		store_rollback(req->store);
		rc = 1;
		goto out;
	}
	struct http_kv extra[] = {{"child_id", child_id}};
	int src = record_insert(req->store, &support_entities_review, in, extra, 1, req->user.id, id_out);
	const char *k;
	json_t *v;
	json_object_foreach(answers, k, v) {
		if (src != STORE_OK)
			break;
		const char *row[] = {id_out, k, support_str(v, "answer"), support_str(v, "evidence")};
		const char *const *rows[] = {row};
		src = insert_rows(req->store, "INSERT INTO support_capacity_answers (review_id, factor_id, answer, "
		                              "evidence) VALUES ($1, $2, $3, $4)",
		                  rows, 1, 4);
	}
	if (src == STORE_OK && agreement) {
		json_object_set_new(agreement, "review_id", json_string(id_out));
		src = insert_agreement(req, child_id, agreement, agreement_out);
	}
	if (src != STORE_OK) {
		web_store_failure(req, src);
		goto out;
	}
	if (agreement_out[0]) {
		char summary[200];
		snprintf(summary, sizeof summary, "Written agreement made: what must change by %s, and what follows if not",
		         support_str(agreement, "due_on"));
		struct chronology_event ev = {.child_id = child_id,
		                              .event_type = "significant_incident",
		                              .summary = summary,
		                              .significance = "significant",
		                              .source_type = "support_agreement",
		                              .source_id = agreement_out};
		src = chronology_append(req->store, &ev, req->user.id, NULL);
		if (src == STORE_OK && command_audit_or_respond(req, "create", "support_agreement", agreement_out,
		                                                child_id) < 0)
			goto out;
		if (src != STORE_OK) {
			web_store_failure(req, src);
			goto out;
		}
	}
	rc = support_commands_finish(req, child_id, "create", "support_capacity_review", id_out, NULL, NULL, NULL);
out:
	json_decref(answers);
	json_decref(agreement);
	return rc;
}

/* ---- interventions ---- */

/* The status must agree with the dates, and a result belongs to an intervention that has finished. */
static void check_intervention(const json_t *rec, json_t *errors)
{
	static const struct {
		const char *status, *date, *message;
	} needs[] = {
		{"taken_up", "taken_up_on", "Enter the date it was taken up"},
		{"completed", "completed_on", "Enter the date it was completed"},
		{"stopped", "stopped_on", "Enter the date it stopped"},
	};
	const char *status = support_str(rec, "status");
	for (size_t i = 0; status && i < sizeof needs / sizeof needs[0]; i++)
		if (strcmp(status, needs[i].status) == 0 && !support_str(rec, needs[i].date))
			support_commands_error(errors, needs[i].date, "%s", needs[i].message);
	if (support_str(rec, "result") && status && strcmp(status, "completed") && strcmp(status, "stopped"))
		support_commands_error(errors, "result", "Record a result once the intervention is completed or stopped");
	static const char *const dates[] = {"offered_on", "taken_up_on", "completed_on", "stopped_on"};
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		support_commands_not_future(rec, dates[i], "The date", errors);
		if (i)
			support_commands_not_before(rec, "offered_on", dates[i], "This date cannot be before it was offered",
			                            errors);
	}
	json_t *n = json_object_get(rec, "sessions_attended");
	if (json_is_integer(n) && (json_integer_value(n) < 0 || json_integer_value(n) > 1000))
		support_commands_error(errors, "sessions_attended", "Sessions attended must be between 0 and 1000");
}

int support_commands_intervention(struct http_request *req, const char *child_id, const char *record_id, json_t *in,
                                  json_t *errors, char id_out[ID_MAX])
{
	const struct support_catalogue *cat = support_commands_catalogue(req);
	if (command_begin_or_respond(req) < 0)
		return -1;
	json_t *row = NULL;
	if (record_id) {
		row = support_data_child_row(req->store, &support_entities_intervention, record_id, child_id);
		if (!row) {
			store_rollback(req->store);
			web_not_found(req);
			return -1;
		}
		snprintf(id_out, ID_MAX, "%s", record_id);
	}
	record_validate(req->store, &support_entities_intervention, in, record_id != NULL, errors);
	const char *iid = support_str(in, "intervention_id");
	const char *kind = support_catalogue_kind(cat, iid);
	if (iid && (!kind || strcmp(kind, "interventions.interventions")))
		support_commands_error(errors, "intervention_id", "%s is not an intervention in the catalogue", iid);
	/* The checks apply to the record as it will be after the change. */
	json_t *merged = row ? json_deep_copy(row) : json_object();
	json_object_update(merged, in);
	if (json_array_size(errors) == 0)
		check_intervention(merged, errors);
	json_decref(merged);
	json_decref(row);
	if (json_array_size(errors)) {
		store_rollback(req->store);
		return 1;
	}
	int rc;
	if (record_id) {
		rc = record_update(req->store, &support_entities_intervention, record_id, in, req->user.id);
	} else {
		struct http_kv extra[] = {{"child_id", child_id}};
		rc = record_insert(req->store, &support_entities_intervention, in, extra, 1, req->user.id, id_out);
	}
	if (rc != STORE_OK) {
		web_store_failure(req, rc);
		return -1;
	}
	return support_commands_finish(req, child_id, record_id ? "update" : "create", "support_intervention", id_out,
	                               NULL, NULL, NULL);
}
