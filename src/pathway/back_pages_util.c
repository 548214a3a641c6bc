/* Form contexts for the back half's pages (see back_pages.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "app/web.h"
#include "core/date.h"
#include "domain/enums.h"
#include "pathway/back_pages.h"

json_t *back_pages_options(const char *list, json_t *choices, const char *selected)
{
	json_t *src = choices ? json_incref(choices) : list ? enums_list(list) : NULL;
	json_t *out = json_array();
	size_t i;
	json_t *o;
	json_array_foreach(src, i, o) {
		const char *code = json_string_value(json_object_get(o, "code"));
		json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "code", code ? code : "", "label",
		                                     json_string_value(json_object_get(o, "label")), "selected",
		                                     selected && code && strcmp(selected, code) == 0));
	}
	json_decref(src);
	return out;
}

json_t *back_pages_users(struct http_request *req, const char *const *roles)
{
	json_t *out = json_array();
	struct store_stmt *s = store_prepare(req->store, "SELECT id, display_name, role FROM users WHERE disabled = 0 "
	                                                 "ORDER BY display_name");
	if (!s)
		return out;
	while (store_step(s) == STORE_ROW) {
		bool ok = !roles;
		for (const char *const *r = roles; r && *r; r++)
			ok = ok || strcmp(*r, store_col_text(s, 2)) == 0;
		if (ok)
			json_array_append_new(out, json_pack("{s:s, s:s}", "code", store_col_text(s, 0), "label",
			                                     store_col_text(s, 1)));
	}
	return out;
}

json_t *back_pages_agencies(struct http_request *req)
{
	json_t *out = json_array();
	struct store_stmt *s = store_prepare(req->store, "SELECT id, name FROM agencies ORDER BY name");
	if (!s)
		return out;
	while (store_step(s) == STORE_ROW)
		json_array_append_new(out, json_pack("{s:s, s:s}", "code", store_col_text(s, 0), "label", store_col_text(s, 1)));
	return out;
}

static const char *form_value(struct http_request *req, const char *name, const char *suffix)
{
	char k[160];
	snprintf(k, sizeof k, "%s%s", name, suffix);
	const char *v = http_form(req, k);
	return v ? v : "";
}

/* The default as a string, or "". */
static const char *default_text(struct http_request *req, json_t *defaults, const char *key)
{
	json_t *v = json_object_get(defaults, key);
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return arena_printf(&req->arena, "%lld", (long long)json_integer_value(v));
	if (json_is_true(v))
		return "yes";
	if (json_is_false(v))
		return "no";
	return "";
}

static void date_parts(const char *iso, bool moment, json_t *d)
{
	int32_t day = 0;
	int h = 0, m = 0, s = 0;
	int64_t t;
	bool ok = false;
	if (iso && strlen(iso) > 10 && moment_parse(iso, &t) == 0) {
		moment_to_local(t, &day, &h, &m, &s);
		ok = true;
	} else if (iso && date_parse(iso, &day) == 0) {
		ok = true;
	}
	if (!ok)
		return;
	int y, mo, dd;
	date_to_ymd(day, &y, &mo, &dd);
	json_object_set_new(d, "day", json_sprintf("%d", dd));
	json_object_set_new(d, "month", json_sprintf("%d", mo));
	json_object_set_new(d, "year", json_sprintf("%d", y));
	if (moment)
		json_object_set_new(d, "time", json_sprintf("%02d:%02d", h, m));
}

void back_pages_fields(struct http_request *req, json_t *fields, const struct entity *e, const char *prefix,
                       const char *posted, json_t *defaults, json_t *options, json_t *error_map)
{
	bool here = posted && strcmp(posted, prefix) == 0;
	for (const struct field *f = e->fields; f->name; f++) {
		if (f->flags & FIELD_READONLY)
			continue;
		const char *name = arena_printf(&req->arena, "%s%s", prefix, f->name);
		char label[256];
		snprintf(label, sizeof label, "%s", f->label ? f->label : f->name);
		label[0] = (char)toupper((unsigned char)label[0]);
		json_t *choices = json_object_get(options, f->name);
		bool date = f->type == FIELD_DATE || f->type == FIELD_MOMENT;
		bool select = f->type == FIELD_ENUM || (f->type == FIELD_REF && choices);
		const char *value = here ? form_value(req, name, "") : default_text(req, defaults, f->name);
		json_t *d = json_pack("{s:s, s:s, s:s?, s:s, s:O?, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:s, s:s, s:s, "
		                      "s:s}",
		                      "name", name, "label", label, "hint", f->hint, "value", value, "error",
		                      json_object_get(error_map, name), "is_text",
		                      !date && !select && (f->type == FIELD_TEXT || f->type == FIELD_REF), "is_long",
		                      f->type == FIELD_LONG, "is_int", f->type == FIELD_INT, "is_select", select, "is_bool",
		                      f->type == FIELD_BOOL, "is_date", date, "is_moment", f->type == FIELD_MOMENT, "checked",
		                      strcmp(value, "yes") == 0 || strcmp(value, "true") == 0, "day", "", "month", "", "year",
		                      "", "time", "");
		json_object_set_new(d, "unchecked", json_boolean(strcmp(value, "no") == 0 || strcmp(value, "false") == 0));
		json_object_set_new(d, "heading", json_false());
		if (!f->hint && f->type == FIELD_MOMENT)
			json_object_set_new(d, "hint", json_string(FIELD_MOMENT_HINT));
		if (date && here) {
			json_object_set_new(d, "day", json_string(form_value(req, name, "-day")));
			json_object_set_new(d, "month", json_string(form_value(req, name, "-month")));
			json_object_set_new(d, "year", json_string(form_value(req, name, "-year")));
			json_object_set_new(d, "time", json_string(form_value(req, name, "-time")));
		} else if (date) {
			date_parts(json_string_value(json_object_get(defaults, f->name)), f->type == FIELD_MOMENT, d);
		}
		json_object_set_new(d, "options", select ? back_pages_options(f->enum_name, choices, value) : json_array());
		json_object_set_new(fields, name, d);
	}
}

json_t *back_pages_errors(struct http_request *req, json_t *errors, const char *prefix)
{
	json_t *out = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(errors, i, e) {
		json_t *c = json_deep_copy(e);
		const char *f = json_string_value(json_object_get(e, "field"));
		if (f) {
			char name[160], day[176];
			snprintf(name, sizeof name, "%s%s", prefix ? prefix : "", f);
			snprintf(day, sizeof day, "%s-day", name);
			json_object_set_new(c, "field", json_string(name));
			json_object_set_new(c, "href", json_sprintf("#%s", http_form(req, day) ? day : name));
		}
		json_array_append_new(out, c);
	}
	return out;
}

static const struct {
	const char *code, *message;
} flashes[] = {
	{"scheduled", "The conference has been arranged"},
	{"saved", "Your changes have been saved"},
	{"decided", "The conference's decision has been recorded"},
	{"letter", "The decision letter has been issued"},
	{"record", "The conference record and the parents' copy have been issued"},
	{"activated", "The child protection plan is now in force"},
	{"visit", "The visit has been recorded"},
	{"core_group", "The core group meeting has been recorded"},
	{"ended", "The child protection plan has ended"},
	{"birth", "The birth has been recorded"},
	{"transfer", "The move in on a plan has been recorded"},
};

const char *back_pages_flash(struct http_request *req)
{
	const char *code = http_query(req, "done");
	for (size_t i = 0; code && i < sizeof flashes / sizeof flashes[0]; i++)
		if (strcmp(flashes[i].code, code) == 0)
			return flashes[i].message;
	return NULL;
}

void back_pages_done(struct http_request *req, const char *url, const char *code)
{
	http_redirect(req, arena_printf(&req->arena, "%s?done=%s", url, code));
}

json_t *back_pages_error_map(json_t *errors)
{
	json_t *map = json_object();
	size_t i;
	json_t *e;
	json_array_foreach(errors, i, e) {
		const char *f = json_string_value(json_object_get(e, "field"));
		if (f && !json_object_get(map, f))
			json_object_set(map, f, json_object_get(e, "message"));
	}
	return map;
}

void back_pages_render(struct http_request *req, int status, const char *page, const char *title, json_t *ctx,
                       json_t *errors, struct back_out *o)
{
	if (errors && json_array_size(errors)) {
		json_object_set(ctx, "errors", errors);
		json_object_set_new(ctx, "error_map", back_pages_error_map(errors));
	} else if (!json_object_get(ctx, "error_map")) {
		json_object_set_new(ctx, "error_map", json_object());
	}
	if (o && json_array_size(o->warnings))
		json_object_set(ctx, "warnings_now", o->warnings);
	const char *flash = back_pages_flash(req);
	if (flash)
		json_object_set_new(ctx, "flash", json_string(flash));
	web_page(req, status, page, title, ctx);
}

/* The prefix a hub form declares (letters, digits and "_" only), or "". */
const char *back_pages_prefix(struct http_request *req)
{
	const char *p = http_form(req, "p");
	if (!p || strlen(p) > 16)
		return "";
	for (const char *c = p; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
			return "";
	return p;
}

json_t *back_pages_persons(struct http_request *req, json_t *children)
{
	json_t *out = json_array();
	size_t i;
	json_t *k;
	json_array_foreach(children, i, k) {
		struct store_stmt *s = store_prepare(
			req->store, "SELECT p.id, p.forenames || ' ' || p.surname, r.relationship_type FROM relationships r "
			            "JOIN persons p ON p.id = r.person_id WHERE r.child_id = $1 ORDER BY p.surname");
		if (!s)
			break;
		store_bind_text(s, 1, json_string_value(json_object_get(k, "child_id")));
		while (store_step(s) == STORE_ROW) {
			const char *rel = enums_label("relationship_type", store_col_text(s, 2));
			json_array_append_new(out, json_pack("{s:s, s:s}", "code", store_col_text(s, 0), "label",
			                                     arena_printf(&req->arena, "%s (%s)", store_col_text(s, 1),
			                                                  rel ? rel : store_col_text(s, 2))));
		}
	}
	return out;
}


json_t *back_pages_row_fields(struct http_request *req, const struct entity *e, const char *prefix, const char *posted,
                              json_t *defaults, json_t *options, json_t *error_map)
{
	json_t *tmp = json_object(), *out = json_object();
	back_pages_fields(req, tmp, e, prefix, posted, defaults, options, error_map);
	size_t n = strlen(prefix);
	const char *key;
	json_t *v;
	json_object_foreach(tmp, key, v) json_object_set(out, key + n, v);
	json_decref(tmp);
	return out;
}
