/* Input conversion and the small lookups the back-half commands share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "clock/deadline.h"
#include "core/date.h"
#include "pathway/back.h"
#include "pathway/stage.h"

/* ---- input ---- */

static const char *form_part(const struct http_request *req, const char *prefix, const char *name, const char *suffix)
{
	char k[160];
	snprintf(k, sizeof k, "%s%s%s", prefix, name, suffix);
	return http_form(req, k);
}

static bool filled(const char *s)
{
	return s && *s;
}

/* A date from its three GOV.UK parts, or "invalid"; NULL when every part is empty. */
static json_t *date_from_parts(const char *d, const char *m, const char *y)
{
	if (!filled(d) && !filled(m) && !filled(y))
		return NULL;
	int di = 0, mi = 0, yi = 0;
	char extra;
	bool ok = filled(d) && filled(m) && filled(y) && sscanf(d, "%d%c", &di, &extra) == 1 &&
	          sscanf(m, "%d%c", &mi, &extra) == 1 && sscanf(y, "%d%c", &yi, &extra) == 1 && yi >= 1000 &&
	          yi <= 9999 && date_valid_ymd(yi, mi, di);
	if (!ok)
		return json_string("invalid");
	return json_sprintf("%04d-%02d-%02d", yi, mi, di);
}

json_t *back_form_fields(const struct http_request *req, const struct entity *e, const char *prefix)
{
	json_t *o = json_object();
	for (const struct field *f = e->fields; f->name; f++) {
		if (f->flags & FIELD_READONLY)
			continue;
		const char *whole = form_part(req, prefix, f->name, "");
		if ((f->type == FIELD_DATE || f->type == FIELD_MOMENT) && !filled(whole)) {
			json_t *day = date_from_parts(form_part(req, prefix, f->name, "-day"),
			                              form_part(req, prefix, f->name, "-month"),
			                              form_part(req, prefix, f->name, "-year"));
			const char *time = f->type == FIELD_MOMENT ? form_part(req, prefix, f->name, "-time") : NULL;
			if (!day && filled(time))
				day = json_string("invalid");
			if (day && filled(time) && strcmp(json_string_value(day), "invalid") != 0) {
				int h, m;
				char extra;
				if (sscanf(time, "%d:%d%c", &h, &m, &extra) == 2 && h >= 0 && h < 24 && m >= 0 && m < 60) {
					json_t *t = json_sprintf("%sT%02d:%02d", json_string_value(day), h, m);
					json_decref(day);
					day = t;
				} else {
					json_decref(day);
					day = json_string("invalid");
				}
			}
			if (day)
				json_object_set_new(o, f->name, day);
			continue;
		}
		if (!whole)
			continue;
		if (f->type == FIELD_BOOL) {
			if (strcmp(whole, "yes") == 0 || strcmp(whole, "true") == 0)
				json_object_set_new(o, f->name, json_true());
			else if (strcmp(whole, "no") == 0 || strcmp(whole, "false") == 0)
				json_object_set_new(o, f->name, json_false());
			else if (*whole)
				json_object_set_new(o, f->name, json_string(whole));
			continue;
		}
		if (!*whole)
			continue;
		if (f->type == FIELD_INT) {
			char *end;
			long long n = strtoll(whole, &end, 10);
			json_object_set_new(o, f->name, *end ? json_string(whole) : json_integer(n));
			continue;
		}
		json_object_set_new(o, f->name, json_string(whole));
	}
	return o;
}

json_t *back_input(struct http_request *req, const struct entity *e, const char *const *extra_keys)
{
	if (req->is_api) {
		if (!req->json && req->body_len == 0)
			return json_object(); /* a command with nothing to say, such as "activate" */
		if (!req->json) {
			http_problem(req, 400, "Missing body", "Send a JSON object with Content-Type: application/json.", NULL);
			return NULL;
		}
		if (!json_is_object(req->json)) {
			http_problem(req, 400, "Wrong body type", "The body must be a JSON object.", NULL);
			return NULL;
		}
		return json_deep_copy(req->json);
	}
	json_t *in = e ? back_form_fields(req, e, "") : json_object();
	for (const char *const *k = extra_keys; k && *k; k++) {
		const char *v = http_form(req, *k);
		if (filled(v))
			json_object_set_new(in, *k, json_string(v));
	}
	return in;
}

int back_validate(struct http_request *req, struct back_out *o, const struct entity *e, json_t *in, bool partial)
{
	json_t *errors = json_array();
	int n = record_validate(req->store, e, in, partial, errors);
	size_t i;
	json_t *err;
	json_array_foreach(errors, i, err) json_array_append(o->errors, err);
	json_decref(errors);
	if (n && !o->status)
		o->status = 422;
	return n;
}

int back_moment(json_t *in, const char *key, int64_t *out)
{
	json_t *v = json_object_get(in, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || moment_parse(json_string_value(v), out) < 0)
		return -1;
	return 1;
}

const char *back_str(json_t *in, const char *key)
{
	const char *s = json_string_value(json_object_get(in, key));
	return s && *s ? s : NULL;
}

bool back_bool(json_t *in, const char *key)
{
	return json_is_true(json_object_get(in, key));
}

/* ---- lookups ---- */

const char *back_lookup(struct http_request *req, const char *sql, const char *arg)
{
	struct store_stmt *s = store_prepare(req->store, sql);
	if (!s)
		return NULL;
	store_bind_text(s, 1, arg);
	const char *v = NULL;
	if (store_step(s) == STORE_ROW)
		v = arena_strdup(&req->arena, store_col_text(s, 0));
	store_reset(s);
	return v;
}

const char *back_open_case(struct http_request *req, const char *child_id)
{
	return back_lookup(req, "SELECT id FROM cases WHERE child_id = $1 AND closed_at IS NULL ORDER BY opened_at DESC",
	                   child_id);
}

const char *back_user_name(struct http_request *req, const char *user_id)
{
	const char *n = user_id ? back_lookup(req, "SELECT display_name FROM users WHERE id = $1", user_id) : NULL;
	return n ? n : "";
}

const char *back_user_role(struct http_request *req, const char *user_id)
{
	return back_lookup(req, "SELECT role FROM users WHERE id = $1 AND disabled = 0", user_id);
}

const char *back_long_date(struct http_request *req, const char *iso)
{
	static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
	                                     "July",    "August",   "September", "October", "November", "December"};
	if (!iso)
		return "";
	int32_t d;
	int h = 0, m = 0, sec = 0;
	bool timed = strlen(iso) > 10;
	if (timed) {
		int64_t t;
		if (moment_parse(iso, &t) < 0)
			return iso;
		moment_to_local(t, &d, &h, &m, &sec);
	} else if (date_parse(iso, &d) < 0) {
		return iso;
	}
	int y, mo, dd;
	date_to_ymd(d, &y, &mo, &dd);
	if (!timed || (h == 0 && m == 0))
		return arena_printf(&req->arena, "%d %s %d", dd, months[mo - 1], y);
	return arena_printf(&req->arena, "%d %s %d at %d:%02d%s", dd, months[mo - 1], y, h % 12 ? h % 12 : 12, m,
	                    h < 12 ? "am" : "pm");
}

int back_age_years(struct http_request *req, const char *child_id, int32_t on)
{
	const char *dob = back_lookup(req, "SELECT dob FROM children WHERE id = $1 AND is_unborn = 0", child_id);
	int32_t d;
	if (!dob || date_parse(dob, &d) < 0)
		return -1;
	int y, m, dd, ty, tm, td;
	date_to_ymd(d, &y, &m, &dd);
	date_to_ymd(on, &ty, &tm, &td);
	return ty - y - ((tm < m || (tm == m && td < dd)) ? 1 : 0);
}

/* The rule started by start_event that waits for stop_event, with the variant that start_event starts. */
static int find_rule(struct http_request *req, const char *start_event, const char *stop_event,
                     const struct clock_rule **rule_out, const struct clock_variant **variant_out)
{
	struct app *app = req->app;
	const struct clock_rule *rules[32];
	size_t n = clock_rules_by_start_event(app->clock_rules, start_event, rules, 32);
	for (size_t i = 0; i < n && i < 32; i++) {
		const struct clock_rule *r = rules[i];
		bool stops = false;
		for (int k = 0; k < r->n_stop_events; k++)
			stops = stops || strcmp(r->stop_events[k], stop_event) == 0;
		if (!r->enabled || !stops)
			continue;
		for (int v = 0; v < r->n_variants; v++) {
			const struct clock_variant *cv = &r->variants[v];
			bool starts = r->kind == CLOCK_RECURRING;
			for (int k = 0; k < cv->n_start_events; k++)
				starts = starts || strcmp(cv->start_events[k], start_event) == 0;
			if (cv->enabled && !cv->advisory && starts) {
				*rule_out = r;
				*variant_out = cv;
				return 0;
			}
		}
	}
	return -1;
}

int back_rule_due(struct http_request *req, const char *start_event, const char *stop_event, int64_t start,
                  int64_t *due, const char **rule_id)
{
	const struct clock_rule *r;
	const struct clock_variant *v;
	if (find_rule(req, start_event, stop_event, &r, &v) < 0)
		return -1;
	struct app *app = req->app;
	struct clock_due d;
	struct buf err;
	buf_init(&err, 1024);
	int rc = clock_deadline_due(r, v, start, app->calendar, &d, &err);
	buf_free(&err);
	if (rc < 0)
		return -1;
	*due = d.due;
	if (rule_id)
		*rule_id = r->id;
	return 0;
}

int back_rule_weeks(struct http_request *req, const char *start_event, const char *stop_event)
{
	const struct clock_rule *r;
	const struct clock_variant *v;
	if (find_rule(req, start_event, stop_event, &r, &v) < 0 || v->unit != CLOCK_W)
		return -1;
	return v->limit;
}

bool back_stage_offers(struct http_request *req, const char *case_id, const char *command, const char **to_out)
{
	char stage[STAGE_CODE_MAX];
	if (!case_id || stage_current(req->store, case_id, stage) != STAGE_OK)
		return false;
	json_t *cmds = stage_commands_from(stage);
	size_t i;
	json_t *c;
	bool found = false;
	json_array_foreach(cmds, i, c) {
		const char *name = json_string_value(json_object_get(c, "command"));
		const char *to = json_string_value(json_object_get(c, "to"));
		if (name && to && strcmp(name, command) == 0) {
			if (to_out)
				*to_out = arena_strdup(&req->arena, to);
			found = true;
			break;
		}
	}
	json_decref(cmds);
	return found;
}

int back_add_member(struct http_request *req, const char *case_id, const char *child_id, const char *user_id,
                    const char *member_role, char *id_out)
{
	struct store_stmt *s = store_prepare(
		req->store, "SELECT id FROM case_members WHERE case_id = $1 AND user_id = $2 AND member_role = $3 "
		            "AND end_date IS NULL");
	if (!s)
		return STORE_ERR;
	store_bind_text(s, 1, case_id);
	store_bind_text(s, 2, user_id);
	store_bind_text(s, 3, member_role);
	if (store_step(s) == STORE_ROW) {
		if (id_out)
			snprintf(id_out, ID_MAX, "%s", store_col_text(s, 0));
		store_reset(s);
		return STORE_OK;
	}
	char id[ID_MAX], now[MOMENT_ISO_LEN], today[DATE_ISO_LEN];
	id_new("cmb", id);
	moment_format(moment_now(), now);
	date_format(date_today(), today);
	int rc = back_exec(req,
	                   "INSERT INTO case_members (id, case_id, child_id, user_id, member_role, start_date, created_at, "
	                   "created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
	                   8, id, case_id, child_id, user_id, member_role, today, now, req->user.id);
	if (rc == STORE_OK && id_out)
		snprintf(id_out, ID_MAX, "%s", id);
	return rc;
}

int back_conf_kind(const char *conf_type)
{
	static const struct {
		const char *code;
		enum back_conf_kind kind;
	} kinds[] = {
		{"CONF_INITIAL", CONF_KIND_INITIAL},
		{"CONF_INITIAL_POST_CAO", CONF_KIND_INITIAL},
		{"CONF_PRE_BIRTH", CONF_KIND_PRE_BIRTH},
		{"CONF_TRANSFER_IN", CONF_KIND_TRANSFER_IN},
		{"CONF_REVIEW", CONF_KIND_REVIEW},
		{"CONF_REVIEW_BROUGHT_FORWARD", CONF_KIND_REVIEW},
		{"CONF_EARLY_REVIEW_AFTER_INQUORATE", CONF_KIND_REVIEW},
		{"CONF_RECONVENED", CONF_KIND_REVIEW},
		{"CONF_REVIEW_COMBINED_WITH_LAC_REVIEW", CONF_KIND_REVIEW},
	};
	for (size_t i = 0; conf_type && i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].code, conf_type) == 0)
			return (int)kinds[i].kind;
	return -1;
}
