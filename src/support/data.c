#include "support/data.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "domain/entities.h"
#include "domain/record.h"
#include "support/support_entities.h"
#include "support/prompts.h"

static json_t *text_or_null(struct store_stmt *s, int col)
{
	return store_col_is_null(s, col) ? json_null() : json_string(store_col_text(s, col));
}

static int64_t moment_or_zero(const char *iso)
{
	int64_t t = 0;
	if (iso)
		moment_parse(iso, &t);
	return t;
}

/* "partner_referrer" -> "partner referrer", for a concern recorded by someone whose agency is not known. */
static json_t *role_words(const char *role)
{
	char out[64];
	snprintf(out, sizeof out, "%s", role ? role : "");
	for (char *p = out; *p; p++)
		if (*p == '_')
			*p = ' ';
	return json_string(out);
}

static json_t *load_concerns(struct store *st, const char *child_id)
{
	struct store_stmt *s = store_prepare(
		st, "SELECT c.id, c.case_id, c.observed_on, c.summary, c.immediate_danger, c.level, c.review_by, "
		    "c.agency_id, a.name, c.recorder_role, c.clocks_started, c.created_at, c.created_by, u.display_name "
		    "FROM support_concerns c LEFT JOIN agencies a ON a.id = c.agency_id "
		    "LEFT JOIN users u ON u.id = c.created_by WHERE c.child_id = $1 "
		    "ORDER BY c.observed_on, c.created_at, c.id");
	if (!s)
		return NULL;
	store_bind_text(s, 1, child_id);
	json_t *out = json_array();
	int rc;
	while ((rc = store_step(s)) == STORE_ROW) {
		json_t *c = json_object();
		json_object_set_new(c, "id", json_string(store_col_text(s, 0)));
		json_object_set_new(c, "case_id", text_or_null(s, 1));
		json_object_set_new(c, "observed_on", json_string(store_col_text(s, 2)));
		json_object_set_new(c, "summary", json_string(store_col_text(s, 3)));
		json_object_set_new(c, "immediate_danger", json_boolean(store_col_int(s, 4)));
		json_object_set_new(c, "level", json_string(store_col_text(s, 5)));
		json_object_set_new(c, "review_by", text_or_null(s, 6));
		json_object_set_new(c, "agency_id", text_or_null(s, 7));
		json_object_set_new(c, "agency_name", text_or_null(s, 8));
		json_object_set_new(c, "recorder_role", json_string(store_col_text(s, 9)));
		json_object_set_new(c, "recorder_role_label", role_words(store_col_text(s, 9)));
		json_object_set_new(c, "clocks_started", json_integer(store_col_int(s, 10)));
		json_object_set_new(c, "created_at", json_string(store_col_text(s, 11)));
		json_object_set_new(c, "created_t", json_integer(moment_or_zero(store_col_text(s, 11))));
		json_object_set_new(c, "created_by", text_or_null(s, 12));
		json_object_set_new(c, "recorder_name", text_or_null(s, 13));
		const char *agency = store_col_text(s, 7), *agency_name = store_col_text(s, 8);
		char key[96];
		snprintf(key, sizeof key, agency ? "%s" : "role:%s", agency ? agency : store_col_text(s, 9));
		json_object_set_new(c, "source_key", json_string(key));
		json_object_set(c, "source_label",
		                agency_name ? json_object_get(c, "agency_name") : json_object_get(c, "recorder_role_label"));
		json_object_set_new(c, "features", json_array());
		json_array_append_new(out, c);
	}
	if (rc != STORE_DONE) {
		json_decref(out);
		return NULL;
	}
	s = store_prepare(st, "SELECT concern_id, feature_id FROM support_concern_features WHERE child_id = $1 "
	                      "ORDER BY concern_id, position");
	if (!s) {
		json_decref(out);
		return NULL;
	}
	store_bind_text(s, 1, child_id);
	while ((rc = store_step(s)) == STORE_ROW) {
		size_t i;
		json_t *c;
		json_array_foreach(out, i, c) {
			if (strcmp(json_string_value(json_object_get(c, "id")), store_col_text(s, 0)) == 0)
				json_array_append_new(json_object_get(c, "features"), json_string(store_col_text(s, 1)));
		}
	}
	if (rc != STORE_DONE) {
		json_decref(out);
		return NULL;
	}
	return out;
}

static json_t *load_cases(struct store *st, const char *child_id)
{
	struct store_stmt *s = store_prepare(
		st, "SELECT id, opened_at, closed_at, stage FROM cases WHERE child_id = $1 ORDER BY opened_at, id");
	if (!s)
		return NULL;
	store_bind_text(s, 1, child_id);
	json_t *out = json_array();
	int rc;
	while ((rc = store_step(s)) == STORE_ROW) {
		const char *closed = store_col_text(s, 2);
		char closed_on[DATE_ISO_LEN] = "";
		int64_t ct = moment_or_zero(closed);
		if (closed) {
			int32_t d;
			int h, m, sec;
			moment_to_local(ct, &d, &h, &m, &sec);
			date_format(d, closed_on);
		}
		json_array_append_new(out, json_pack("{s:s, s:I, s:o, s:o, s:s}", "id", store_col_text(s, 0), "opened_t",
		                                     (json_int_t)moment_or_zero(store_col_text(s, 1)), "closed_t",
		                                     closed ? json_integer(ct) : json_null(), "closed_on",
		                                     closed ? json_string(closed_on) : json_null(), "stage",
		                                     store_col_text(s, 3)));
	}
	if (rc != STORE_DONE) {
		json_decref(out);
		return NULL;
	}
	return out;
}

static json_t *load_assessments(struct store *st, const char *child_id)
{
	struct store_stmt *s = store_prepare(
		st, "SELECT a.id, a.case_id, a.assessed_on, a.overall_view, a.summary, a.created_at, a.created_by, "
		    "u.display_name FROM support_neglect_assessments a LEFT JOIN users u ON u.id = a.created_by "
		    "WHERE a.child_id = $1 ORDER BY a.assessed_on, a.id");
	if (!s)
		return NULL;
	store_bind_text(s, 1, child_id);
	json_t *out = json_array();
	int rc;
	while ((rc = store_step(s)) == STORE_ROW) {
		json_array_append_new(
			out, json_pack("{s:s, s:o, s:s, s:s, s:s, s:s, s:o, s:o, s:{}, s:{}, s:[]}", "id", store_col_text(s, 0),
			               "case_id", text_or_null(s, 1), "assessed_on", store_col_text(s, 2), "overall_view",
			               store_col_text(s, 3), "summary", store_col_text(s, 4), "created_at",
			               store_col_text(s, 5), "created_by", text_or_null(s, 6), "assessor_name",
			               text_or_null(s, 7), "ratings", "evidence", "marks"));
	}
	if (rc != STORE_DONE)
		goto fail;
	s = store_prepare(st, "SELECT r.assessment_id, r.domain_id, r.rating, r.evidence FROM support_neglect_ratings r "
	                      "JOIN support_neglect_assessments a ON a.id = r.assessment_id WHERE a.child_id = $1");
	if (!s)
		goto fail;
	store_bind_text(s, 1, child_id);
	while ((rc = store_step(s)) == STORE_ROW) {
		size_t i;
		json_t *a;
		json_array_foreach(out, i, a) {
			if (strcmp(json_string_value(json_object_get(a, "id")), store_col_text(s, 0)))
				continue;
			json_object_set_new(json_object_get(a, "ratings"), store_col_text(s, 1), json_integer(store_col_int(s, 2)));
			if (!store_col_is_null(s, 3))
				json_object_set_new(json_object_get(a, "evidence"), store_col_text(s, 1),
				                    json_string(store_col_text(s, 3)));
		}
	}
	if (rc != STORE_DONE)
		goto fail;
	s = store_prepare(st, "SELECT m.assessment_id, m.mark_id FROM support_neglect_marks m "
	                      "JOIN support_neglect_assessments a ON a.id = m.assessment_id WHERE a.child_id = $1 "
	                      "ORDER BY m.mark_id");
	if (!s)
		goto fail;
	store_bind_text(s, 1, child_id);
	while ((rc = store_step(s)) == STORE_ROW) {
		size_t i;
		json_t *a;
		json_array_foreach(out, i, a) {
			if (strcmp(json_string_value(json_object_get(a, "id")), store_col_text(s, 0)) == 0)
				json_array_append_new(json_object_get(a, "marks"), json_string(store_col_text(s, 1)));
		}
	}
	if (rc != STORE_DONE)
		goto fail;
	return out;
fail:
	json_decref(out);
	return NULL;
}

static json_t *load_reviews(struct store *st, const char *child_id)
{
	json_t *out = record_list(st, &support_entities_review, "child_id", child_id, "reviewed_on", 1000);
	struct store_stmt *s = store_prepare(
		st, "SELECT r.review_id, r.factor_id, r.answer, r.evidence FROM support_capacity_answers r "
		    "JOIN support_capacity_reviews v ON v.id = r.review_id WHERE v.child_id = $1");
	if (!s) {
		json_decref(out);
		return NULL;
	}
	size_t i;
	json_t *v;
	json_array_foreach(out, i, v) json_object_set_new(v, "answers", json_object());
	store_bind_text(s, 1, child_id);
	int rc;
	while ((rc = store_step(s)) == STORE_ROW) {
		json_array_foreach(out, i, v) {
			if (strcmp(json_string_value(json_object_get(v, "id")), store_col_text(s, 0)) == 0)
				json_object_set_new(json_object_get(v, "answers"), store_col_text(s, 1),
				                    json_pack("{s:s, s:o}", "answer", store_col_text(s, 2), "evidence",
				                              text_or_null(s, 3)));
		}
	}
	if (rc != STORE_DONE) {
		json_decref(out);
		return NULL;
	}
	return out;
}

json_t *support_data_load(struct store *st, const char *child_id)
{
	json_t *concerns = load_concerns(st, child_id), *cases = load_cases(st, child_id);
	json_t *assessments = load_assessments(st, child_id), *reviews = load_reviews(st, child_id);
	if (!concerns || !cases || !assessments || !reviews) {
		json_decref(concerns);
		json_decref(cases);
		json_decref(assessments);
		json_decref(reviews);
		return NULL;
	}
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "concerns", concerns, "cases", cases, "assessments",
	                 assessments, "reviews", reviews, "factors",
	                 record_list(st, &support_entities_factor, "child_id", child_id, "noted_on, created_at", 1000),
	                 "agreements",
	                 record_list(st, &support_entities_agreement, "child_id", child_id, "due_on, created_at", 1000),
	                 "interventions",
	                 record_list(st, &support_entities_intervention, "child_id", child_id, "offered_on, created_at",
	                             1000));
}

json_t *support_data_prompts(struct store *st, const struct support_catalogue *cat, const char *child_id,
                             int32_t today)
{
	json_t *data = support_data_load(st, child_id);
	if (!data)
		return NULL;
	json_t *prompts = support_prompts_compute(cat, child_id, data, today);
	json_decref(data);
	size_t i;
	json_t *p;
	json_array_foreach(prompts, i, p) json_object_set_new(p, "status", json_string("active"));
	struct store_stmt *s = store_prepare(
		st, "SELECT d.prompt_id, d.reason, d.dismissed_at, d.dismissed_by, u.display_name "
		    "FROM support_prompt_dismissals d LEFT JOIN users u ON u.id = d.dismissed_by WHERE d.child_id = $1");
	if (!s) {
		json_decref(prompts);
		return NULL;
	}
	store_bind_text(s, 1, child_id);
	int rc;
	while ((rc = store_step(s)) == STORE_ROW) {
		p = support_prompts_find(prompts, store_col_text(s, 0));
		if (!p)
			continue; /* the data that raised it has changed; the dismissal stays on record */
		json_object_set_new(p, "status", json_string("dismissed"));
		json_object_set_new(p, "dismissal",
		                    json_pack("{s:s, s:s, s:o, s:o}", "reason", store_col_text(s, 1), "dismissed_at",
		                              store_col_text(s, 2), "dismissed_by", text_or_null(s, 3), "dismissed_by_name",
		                              text_or_null(s, 4)));
	}
	if (rc != STORE_DONE) {
		json_decref(prompts);
		return NULL;
	}
	return prompts;
}

static int one_text(struct store *st, const char *sql, const char *arg, char out[ID_MAX])
{
	struct store_stmt *s = store_prepare(st, sql);
	if (!s)
		return STORE_ERR;
	store_bind_text(s, 1, arg);
	int rc = store_step(s);
	int found = 0;
	if (rc == STORE_ROW && !store_col_is_null(s, 0)) {
		snprintf(out, ID_MAX, "%s", store_col_text(s, 0));
		found = 1;
	}
	store_reset(s);
	return rc < 0 ? rc : found;
}

int support_data_open_case(struct store *st, const char *child_id, char out[ID_MAX])
{
	return one_text(st, "SELECT id FROM cases WHERE child_id = $1 AND closed_at IS NULL "
	                    "ORDER BY opened_at DESC, id LIMIT 1",
	                child_id, out);
}

int support_data_user_agency(struct store *st, const char *user_id, char out[ID_MAX])
{
	int rc = one_text(st, "SELECT p.agency_id FROM users u JOIN professionals p ON p.id = u.professional_id "
	                      "WHERE u.id = $1",
	                  user_id, out);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	rc = one_text(st, "SELECT t.agency_id FROM users u JOIN teams t ON t.id = u.team_id WHERE u.id = $1", user_id,
	              out);
	return rc < 0 ? 0 : rc;
}

int support_data_child_age(struct store *st, const char *child_id, const char *on_date)
{
	json_t *c = record_get(st, &entity_child, child_id);
	int age = -1;
	int32_t dob, on;
	const char *d = c ? json_string_value(json_object_get(c, "dob")) : NULL;
	if (d && date_parse(d, &dob) == 0 && on_date && date_parse(on_date, &on) == 0 && on >= dob) {
		int y, m, dd, oy, om, od;
		date_to_ymd(dob, &y, &m, &dd);
		date_to_ymd(on, &oy, &om, &od);
		age = oy - y - ((om < m || (om == m && od < dd)) ? 1 : 0);
	}
	json_decref(c);
	return age;
}

json_t *support_data_child_row(struct store *st, const struct entity *e, const char *id, const char *child_id)
{
	json_t *row = id ? record_get(st, e, id) : NULL;
	const char *owner = row ? json_string_value(json_object_get(row, "child_id")) : NULL;
	if (row && (!owner || !child_id || strcmp(owner, child_id) != 0)) {
		json_decref(row);
		row = NULL;
	}
	return row;
}
