#include "support/pages_util.h"

#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "app/web.h"
#include "core/date.h"
#include "domain/entities.h"
#include "domain/enums.h"
#include "domain/record.h"
#include "policy/policy.h"

const struct support_catalogue *support_pages_catalogue(const struct http_request *req)
{
	return req->app->support;
}

json_t *support_pages_context(struct http_request *req, const char *child_id)
{
	json_t *child = record_get(req->store, &entity_child, child_id);
	if (!child)
		return NULL;
	const char *name = arena_printf(&req->arena, "%s %s", json_string_value(json_object_get(child, "forenames")),
	                                json_string_value(json_object_get(child, "surname")));
	bool can_child = policy_child(req->store, &req->user, "child.read", child_id);
	json_t *ctx = json_pack(
		"{s:{s:s, s:s, s:s, s:s, s:b}, s:s, s:b, s:b}", "child", "id", child_id, "name", name, "href",
		arena_printf(&req->arena, "/children/%s", child_id), "support_href",
		arena_printf(&req->arena, "/children/%s/support", child_id), "unborn",
		json_is_true(json_object_get(child, "is_unborn")), "back_href",
		can_child ? arena_printf(&req->arena, "/children/%s", child_id) : "/", "can_read",
		policy_child(req->store, &req->user, "support.read", child_id), "can_record",
		policy_child(req->store, &req->user, "support.record", child_id));
	json_decref(child);
	return ctx;
}

const char *support_pages_date(struct http_request *req, const char *iso)
{
	static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
	                                     "July",    "August",   "September", "October", "November", "December"};
	int32_t d;
	if (!iso)
		return "";
	if (strlen(iso) > 10) {
		int64_t t;
		int h, m, s;
		if (moment_parse(iso, &t) < 0)
			return iso;
		moment_to_local(t, &d, &h, &m, &s);
	} else if (date_parse(iso, &d) < 0) {
		return iso;
	}
	int y, mo, dd;
	date_to_ymd(d, &y, &mo, &dd);
	return arena_printf(&req->arena, "%d %s %d", dd, months[mo - 1], y);
}

const char *support_pages_form_date(struct http_request *req, const char *name)
{
	const char *whole = http_form(req, name);
	if (whole && *whole)
		return whole;
	char k[96];
	snprintf(k, sizeof k, "%s-day", name);
	const char *d = http_form(req, k);
	snprintf(k, sizeof k, "%s-month", name);
	const char *m = http_form(req, k);
	snprintf(k, sizeof k, "%s-year", name);
	const char *y = http_form(req, k);
	if (!(d && *d) && !(m && *m) && !(y && *y))
		return NULL;
	int di, mi, yi;
	char extra;
	if (d && m && y && sscanf(d, "%d%c", &di, &extra) == 1 && sscanf(m, "%d%c", &mi, &extra) == 1 &&
	    sscanf(y, "%d%c", &yi, &extra) == 1 && date_valid_ymd(yi, mi, di))
		return arena_printf(&req->arena, "%04d-%02d-%02d", yi, mi, di);
	return "invalid";
}

json_t *support_pages_date_field(struct http_request *req, const char *name, const char *label, const char *hint,
                                 const char *iso, const json_t *error_map)
{
	char k[96];
	const char *parts[3];
	static const char *const sfx[] = {"day", "month", "year"};
	int y = 0, m = 0, d = 0;
	int32_t day;
	bool have = iso && date_parse(iso, &day) == 0;
	if (have)
		date_to_ymd(day, &y, &m, &d);
	for (int i = 0; i < 3; i++) {
		snprintf(k, sizeof k, "%s-%s", name, sfx[i]);
		const char *v = http_form(req, k);
		parts[i] = v ? v : have ? arena_printf(&req->arena, "%d", i == 0 ? d : i == 1 ? m : y) : "";
	}
	json_t *err = json_object_get(error_map, name);
	return json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s, s:O?, s:b}", "name", name, "label", label, "hint", hint, "day",
	                 parts[0], "month", parts[1], "year", parts[2], "error", err, "heading", 0);
}

void support_pages_add_errors(json_t *ctx, json_t *errors)
{
	if (!errors)
		return;
	web_add_errors(ctx, errors);
	json_decref(errors);
}

json_t *support_pages_options(const char *enum_list, const json_t *chosen)
{
	json_t *opts = enums_list(enum_list);
	if (!opts)
		return json_array();
	size_t i;
	json_t *o;
	json_array_foreach(opts, i, o) {
		const char *code = json_string_value(json_object_get(o, "code"));
		bool on = json_is_string(chosen) ? strcmp(json_string_value(chosen), code) == 0 : support_has(chosen, code);
		json_object_set_new(o, "checked", json_boolean(on));
	}
	return opts;
}

const char *support_pages_form(struct http_request *req, const char *name)
{
	const char *v = http_form(req, name);
	return v ? v : "";
}

const char *support_pages_level_class(const char *level)
{
	if (!level)
		return "govuk-tag--grey";
	if (strcmp(level, "immediate") == 0 || strcmp(level, "special") == 0 || strcmp(level, "suspect") == 0)
		return "govuk-tag--red";
	if (strcmp(level, "consider") == 0)
		return "govuk-tag--yellow";
	if (strcmp(level, "refer_elsewhere") == 0)
		return "govuk-tag--orange";
	return "govuk-tag--grey";
}

void support_pages_settle(struct http_request *req, int rc, json_t *in, json_t *errors, support_pages_render_fn render,
                          const char *next)
{
	json_decref(in);
	if (rc == 1) {
		render(req, 422, errors);
		return;
	}
	json_decref(errors);
	if (rc == 0)
		http_redirect(req, next);
}
